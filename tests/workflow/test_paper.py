"""The report as a paper, on the session's smoke build: the errata say what they state, the scorecard
shows disagreement, every figure caption names its rule, script and commit, and the arXiv bundle
compiles alone to the same PDF."""
import math
import re
import shutil
import subprocess
import tarfile

import numpy as np
import pytest
from builds import report_text
from oracles import intersection_double_sum, intersection_exact

from sdmattn.pipeline.io import load_table
from sdmattn.theory.published_forms import teaching_intersection

pytestmark = pytest.mark.workflow

def macros(path) -> dict[str, str]:
    return dict(re.findall(r"^\\sdmdef\{([^}]*)\}\{(.*)\}$", path.read_text(), re.MULTILINE))


@pytest.fixture(scope="module")
def clean(smoke_build):
    return smoke_build.clean


def test_each_erratum_differs_as_stated(clean):
    err = load_table(clean / "data" / "errata.nc")
    fits = load_table(clean / "data" / "beta" / "n64.nc")
    # the two estimators: published = d/(d-1) least squares
    for d in (5, 11, 15):
        assert float(fits["beta_published"].sel(d=d) / fits["beta_ols"].sel(d=d)) == pytest.approx(d / (d - 1), rel=1e-12)
    # the two fit ranges, as the paper prints them
    assert [round(float(b), 3) for b in err["beta_from0"].sel(radius=[5, 11, 15])] == [35.485, 15.853, 10.110]
    assert [round(float(b), 3) for b in err["beta_from1"].sel(radius=[5, 11, 15])] == [35.362, 15.868, 10.123]
    # the continuous constant: e^2/2 on every count, β unchanged
    support = np.isfinite(err["log_count_intended"].values)
    assert support.sum() > 20 and (np.isfinite(err["log_count_published"].values) == support).all()
    ratio = np.exp(err["log_count_published"].values[support] - err["log_count_intended"].values[support])
    np.testing.assert_allclose(ratio, math.exp(2) / 2, rtol=1e-12)
    assert float(err["cont_beta_published"]) == pytest.approx(float(err["cont_beta_intended"]), rel=1e-12)
    # ball minus lune in float64 at n = 1000: nonzero where I = 0, wrong from d_v ≈ 711
    n, d = err.attrs["float_n"], err.attrs["float_d"]
    beyond = err["float_dv"].values > 2 * d
    assert intersection_exact(n, d, 2 * d + 1) == 0 and (err["ball_minus_lune"].values[beyond] != 0).all()
    exact711 = float(intersection_exact(n, d, 711))
    assert abs(float(err["ball_minus_lune"].sel(float_dv=711)) - exact711) > 1e-6 * exact711
    # Kanerva's normalisation: p = 0.001 against p(451) = 0.00107185
    kan = load_table(clean / "data" / "continuous" / "kanerva.nc")
    assert kan["book"].values[0] / kan.attrs["r"] == 0.001 and round(kan.attrs["space_fraction"], 8) == 0.00107185
    # the m of the stored output: d*_SNR 10 at m = 60,000, 11 at the paper's 1024
    assert dict(zip(err["m"].values.tolist(), err["d_snr"].values.tolist())) == {1024: 11, 60000: 10}
    # the teaching formula: zero at d = 5 where the exact count is not; entries it gets right are exact
    assert err["teaching_zero"].sel(d=5, dv=list(range(11))).all() and err["teaching_relative"].sel(d=5, dv=0) == 1.0
    for flag in (False, True):  # one entry it gets right and one it gets wrong, against the spec's double sum
        d_, dv_ = (int(x) for x in np.argwhere(err["teaching_differs"].values == flag)[7])
        assert (teaching_intersection(64, d_, dv_) != intersection_double_sum(64, d_, dv_)) == flag, (d_, dv_)
    values = macros(clean / "paper" / "generated" / "errata.tex")
    assert values["err/float/garbage"] == "711" and values["err/cont/factor"] == "3.6945"
    assert values["err/teach/differ"] == f"{int(err['teaching_differs'].values.sum()):,}".replace(",", "{,}")


def test_scorecard_shows_what_does_not_agree(clean):
    table = (clean / "paper" / "generated" / "tables" / "scorecard.tex").read_text()
    rows = [line for line in table.splitlines() if line.endswith(r"\\") and "&" in line][1:]
    assert len(rows) >= 25
    least_squares = [r for r in rows if "least squares" in r]
    assert len(least_squares) == 3 and all(r"\textbf{no}" in r for r in least_squares)
    assert all(r.split("&")[-1].strip().startswith("yes") for r in rows if "published estimator" in r)
    values = macros(clean / "paper" / "generated" / "scorecard.tex")
    assert int(values["score/rows"]) == len(rows) and int(values["score/disagree"]) == sum(r"\textbf{no}" in r for r in rows)
    text = report_text(clean / "paper" / "build" / "report.pdf")
    assert text.index("Reproduction scorecard") < text.index("Sparse Distributed Memory Sparse Distributed Memory (SDM)")


def test_every_caption_names_its_rule_script_and_commit(clean):
    text = re.sub(r"(?<=[_/.]) ", "", report_text(clean / "paper" / "build" / "report.pdf"))  # paths break at _ / .
    starts = [m.start() for m in re.finditer(r"Figure \d+: ", text)]
    assert len(starts) >= 14
    mark = re.compile(r"\[rule (figure_\w+), workflow/scripts/\w+/(figure_\w+)\.py, commit [0-9a-f]{12}\]")
    for start in starts:
        found = mark.search(text, start, start + 900)  # the caption's end
        assert found and found.group(1) == found.group(2), text[start:start + 900]
    assert len(mark.findall(text)) == len(starts)


def test_arxiv_bundle_compiles_alone_to_the_same_report(clean, tmp_path):
    with tarfile.open(clean / "paper" / "build" / "arxiv.tar.gz") as tar:
        names = tar.getnames()
        assert all(not n.startswith(("/", "..")) and ".." not in n.split("/") for n in names)
        tar.extractall(tmp_path / "bundle", filter="data")
    assert {"report.tex", "report.bbl", "generated/macros.tex", "generated/tables/scorecard.tex", "sections/errata.tex",
            "figures/cancellation.pdf"} <= set(names)
    for text in (tmp_path / "bundle").rglob("*.tex"):
        assert str(clean) not in text.read_text() and "/work/" not in text.read_text()
    latexmk = shutil.which("latexmk")
    assert latexmk, "latexmk is needed (make tex installs it)"
    run = subprocess.run([latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", "report.tex"], cwd=tmp_path / "bundle",
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    from pypdf import PdfReader

    ours, theirs = tmp_path / "bundle" / "report.pdf", clean / "paper" / "build" / "report.pdf"
    assert len(PdfReader(ours).pages) == len(PdfReader(theirs).pages)
    assert report_text(ours) == report_text(theirs)
