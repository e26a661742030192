"""The `sdmattn` command end to end: the same build as the plain Snakemake form, refusals before any job,
and `sdmattn figures` redrawing the figures and nothing else after a style change."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from builds import built_copy, copy_repo, nothing_built, planned_jobs, snakemake, snakemake_env

pytestmark = pytest.mark.workflow

OVERRIDES = ["preset=smoke", "sweep.n=[64,128]"]
PLAIN = 'overrides=["preset=smoke","sweep.n=[64,128]"]'
TARGET = "data/config.resolved.yaml"  # the build's record: every value every stage reads


def sdmattn(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The console script of this interpreter's environment, run in `cwd`."""
    return subprocess.run([str(Path(sys.executable).parent / "sdmattn"), *args], cwd=cwd, env=snakemake_env(),
                          capture_output=True, text=True, check=False)


def test_sdmattn_and_the_plain_form_make_the_same_build(tmp_path):
    ours, plain = copy_repo(tmp_path / "ours"), copy_repo(tmp_path / "plain")
    made = sdmattn(ours, "build", *OVERRIDES, "--cores", "1", "--", TARGET)
    assert made.returncode == 0 and planned_jobs(made) == {"resolved_config": 1}, made.stderr[-3000:]
    made = snakemake(plain, TARGET, "--cores", "1", "--config", PLAIN)
    assert made.returncode == 0, made.stderr[-3000:]
    assert (ours / TARGET).read_bytes() == (plain / TARGET).read_bytes()
    assert "- 64\n  - 128\n" in (ours / TARGET).read_text() and "learned_beta:\n  steps: 60\n" in (ours / TARGET).read_text()
    # and what a whole build would run from here, both ways: the same jobs
    ours_plan = planned_jobs(sdmattn(ours, "build", *OVERRIDES, "--dry-run"))
    assert ours_plan == planned_jobs(snakemake(plain, "-n", "--cores", "2", "--config", PLAIN))
    assert ours_plan["beta_fits"] == 2 and "figure_beta_sweep" in ours_plan and "resolved_config" not in ours_plan


@pytest.mark.parametrize("command, says", [
    (["snakemake", "--cores", "2", "--config", "preset=smoke"],
     ("""--config 'preset' would be ignored (only 'overrides' is read); write sdmattn build preset=smoke, """
      """or --config 'overrides=["preset=smoke"]'""")),
    (["sdmattn", "config", "sweep.n=[0]"], "config key 'sweep.n' must be integers in 5.."),
])
def test_misread_or_bad_config_stops_with_one_line_before_any_job(tmp_path, command, says):
    work = copy_repo(tmp_path / "repo")
    result = snakemake(work, *command[1:]) if command[0] == "snakemake" else sdmattn(work, *command[1:])
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if line.startswith("sdmattn")]  # Snakemake may first name its profile
    assert len(ours) == 1 and ours[0].startswith("sdmattn: refusing to run: ") and says in ours[0], result.stderr
    assert "Traceback" not in result.stderr
    assert "Job stats" not in result.stdout + result.stderr and nothing_built(work)


def test_a_style_change_redraws_the_figures_and_then_only_the_report(smoke_build, tmp_path):
    work = built_copy(smoke_build.clean, tmp_path / "repo")
    style = work / "figures" / "sdmattn.mplstyle"
    style.write_text(style.read_text() + "\n# a restyle\n")
    plan = planned_jobs(sdmattn(work, "figures", "--dry-run"))  # the figures of the build here: preset=smoke
    figure_rules = {name for name in plan if name.startswith("figure_")}
    assert plan == {"figures": 1, **{name: 1 for name in figure_rules}} and len(figure_rules) == 16, plan
    # with the figures redrawn (new bytes stand in for it here: Snakemake compares checksums, not only times),
    # a build remakes only the report's own stages
    for pdf in (work / "figures").glob("*.pdf"):
        pdf.write_bytes(pdf.read_bytes() + b"% restyled\n")
    assert set(planned_jobs(sdmattn(work, "build", "preset=smoke", "--dry-run"))) == {"figure_marks", "report", "arxiv", "all"}


# Snakemake's HTML report in a real browser. The report is a React app that shows a result's caption when
# the result is opened; the driver below opens every result in turn (through the app's own state, rendered
# synchronously) and copies what the page then shows into the DOM that Chromium dumps.
DRIVER = """<script>
window.addEventListener("load", function () {
  const shown = document.createElement("div");
  shown.id = "sdmattn-shown";
  shown.style.display = "none";
  document.body.appendChild(shown);
  (function open() {
    if (typeof app === "undefined" || !app) { setTimeout(open, 20); return; }
    for (const path of Object.keys(results)) {
      ReactDOM.flushSync(function () { app.showResultInfo(path); });
      const block = document.createElement("section");
      block.setAttribute("data-path", path);
      block.textContent = document.querySelector("#app").textContent;
      shown.appendChild(block);
    }
    ReactDOM.flushSync(function () { app.showResultInfo("figures/intersection_decay.pdf"); });
    shown.setAttribute("data-done", String(Object.keys(results).length));
  })();
});
</script>"""
CHROMIUM = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--virtual-time-budget=20000"]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "html_report.png"  # the README's picture of the page


def chromium() -> str:
    import shutil

    if shutil.which("chromium"):
        return shutil.which("chromium")
    if shutil.which("apt-get") is None:
        pytest.skip("chromium is missing and apt-get is not available to install it (make browser)")
    pytest.fail("chromium is missing: `make browser` installs it (make test does)")


def caption_lead(rst: Path) -> str:
    """The first words of a caption, before its first value or markup, as the page shows them."""
    text = " ".join(rst.read_text().split())
    for mark in ("{{", "{%", " *", "``"):  # a value, emphasis, code (β* is text)
        text = text.split(mark, 1)[0]
    return " ".join(text.split()[:6])


def test_html_report_shows_every_figure_with_its_caption_in_chromium(smoke_build, tmp_path):
    import html
    import re

    browser = chromium()
    work = built_copy(smoke_build.clean, tmp_path / "repo")
    made = sdmattn(work, "report", "--html", "report.html")  # the overrides of the last build: preset=smoke
    assert made.returncode == 0, made.stderr[-3000:]
    page = work / "report.html"
    driven = tmp_path / "driven.html"
    head, end, tail = page.read_text().rpartition("</body>")  # the page's own: its scripts hold others in strings
    driven.write_text(head + DRIVER + end + tail)
    dom = subprocess.run([browser, *CHROMIUM, "--dump-dom", driven.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    shown = {path: " ".join(html.unescape(text).split())
             for path, text in re.findall(r'<section data-path="([^"]+)">(.*?)</section>', dom.stdout, re.DOTALL)}
    figures = sorted(p.relative_to(work).as_posix() for p in (work / "figures").glob("*.pdf"))
    assert len(figures) == 16 and set(figures) <= set(shown), (figures, sorted(shown), dom.stderr[-2000:])
    for figure in figures:
        lead = caption_lead(work / "workflow" / "report" / f"{Path(figure).stem}.rst")
        assert len(lead) > 15 and lead in shown[figure], (figure, lead, shown[figure])
    assert {"data/beta_fits.nc", "data/optimal/radii.nc", "paper/build/report.pdf"} <= set(shown)
    assert "n = 64, radius d = 11 and r = 2^64" in shown["figures/intersection_decay.pdf"]  # the values it was built with
    assert "n = 16, 32, 64, 128" in shown["data/beta_fits.nc"]
    for text in shown.values():
        assert "{{" not in text and "System Message" not in text and "Error" not in text, text
    screenshot = tmp_path / "report.png"
    subprocess.run([browser, *CHROMIUM, f"--screenshot={screenshot}", "--window-size=1400,900", driven.as_uri()],
                   capture_output=True, timeout=120, cwd=tmp_path, check=False)
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    if SCREENSHOT.parent.is_dir() and os.environ.get("SDMATTN_KEEP_SCREENSHOT"):
        SCREENSHOT.write_bytes(screenshot.read_bytes())  # SDMATTN_KEEP_SCREENSHOT=1: refresh the README's picture
