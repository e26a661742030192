"""Reliability of the workflow: bad inputs stop it before any job, a killed build resumes to the same
bytes as the clean build, and a change reruns exactly the stages it affects."""
import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import BAD
from builds import (
    RESUME_TARGETS,
    SMOKE,
    built_copy,
    copy_repo,
    differences_from,
    nothing_built,
    outputs,
    planned_jobs,
    refusals,
    snakemake,
    snakemake_env,
)

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """An unbuilt copy of the repository (the refusals below must leave it unbuilt)."""
    return copy_repo(tmp_path_factory.mktemp("fresh") / "repo")


@pytest.fixture(scope="module")
def refused(fresh) -> dict[str, str | None]:
    """Every bad config of the table through the Snakefile, parsed in one fresh Python (builds.refusals)."""
    return dict(zip((json.dumps(b[0]) for b in BAD), refusals(fresh, [b[0] for b in BAD])))


@pytest.mark.parametrize("overrides, key, allowed", BAD, ids=[" ".join(b[0])[:60] for b in BAD])
def test_every_bad_config_stops_the_workflow_with_one_message(fresh, refused, overrides, key, allowed):
    """The whole bad-input table of test_config through the Snakefile (parsed as the CLI does, before any
    job: the CLI path for a few of them is test_workflow's test_bad_override_stops_before_any_job)."""
    message = refused[json.dumps(overrides)]
    assert message is not None, f"{overrides} parsed without a refusal"
    assert message.startswith("sdmattn: refusing to run: ") and key in message and allowed in message, message
    assert "\n" not in message and nothing_built(fresh)


@contextlib.contextmanager
def read_only(directory: Path):
    """Make `directory` read-only for the commands run inside: a read-only bind mount in a private mount
    namespace as root (permissions do not stop root), file modes otherwise. Yields a command prefix."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield []
        finally:
            directory.chmod(0o755)
        return
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind {directory} {directory} && "
                            f"mount -o remount,bind,ro {directory} && ! touch {directory}/.probe"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only directory as root here (unshare/mount): {probe.stderr.strip()[:200]}")
    yield ["unshare", "-m", "sh", "-c", f'mount --bind {directory} {directory} && mount -o remount,bind,ro {directory} && exec "$@"', "sh"]


def run_cli(work: Path, overrides: list[str], prefix: list[str] = ()) -> subprocess.CompletedProcess:
    cmd = [*prefix, sys.executable, "-m", "snakemake", "--cores", "1", "--config", f"overrides={json.dumps(overrides)}"]
    return subprocess.run(cmd, cwd=work, env=snakemake_env(), capture_output=True, text=True, timeout=120)


def _directory(work):
    (work / "scales").mkdir(exist_ok=True)
    return "scales"


def _binary(work):
    (work / "scales.bin").write_bytes(bytes(range(256)) * 4)
    return "scales.bin"


def _malformed(work):
    (work / "scales.txt").write_text("[('a.mha_scale.scale', tensor(1.5)),\n ('b.mha_scale.scale', tensor(-2.0))]\n")
    return "scales.txt"


def _empty(work):
    (work / "empty.txt").write_text("# nothing here\n")
    return "empty.txt"


# Bad files and directories, through the command line: (name, make the file -> path, the text the message must hold)
FILE_BAD = [
    ("published file is a directory", _directory, "scales: cannot read published learned scales"),
    ("published file is not text", _binary, "scales.bin: cannot read published learned scales"),
    ("published scale is negative", _malformed, "scales.txt:2: a softmax scale must be a positive number"),
    ("published file has no scales", _empty, "empty.txt: no learned scales found"),
]


@pytest.mark.parametrize("name, make, expected", FILE_BAD, ids=[b[0] for b in FILE_BAD])
def test_bad_optional_file_stops_before_any_job(fresh, name, make, expected):
    path = make(fresh)
    result = run_cli(fresh, ["preset=smoke", f"learned_beta.published_file={path}"])
    assert result.returncode != 0 and "refusing to run" in result.stderr and expected in result.stderr, result.stderr[-2000:]
    assert "learned_beta.published_file" in result.stderr and nothing_built(fresh)


@pytest.mark.parametrize("directory", ["data", "figures"])
def test_read_only_output_directory_stops_before_any_job(fresh, directory):
    with read_only(fresh / directory) as prefix:
        result = run_cli(fresh, ["preset=smoke"], prefix)
    assert result.returncode != 0, result.stderr[-2000:]
    assert f"refusing to run: output directory not writable: {directory}" in result.stderr, result.stderr[-2000:]
    assert nothing_built(fresh) and "Finished jobid" not in result.stdout + result.stderr


def test_a_killed_writer_leaves_no_file_that_passes_for_finished(tmp_path):
    """SIGKILL inside `atomic_path`: the target never exists half-written; the next write clears the temporary."""
    target = tmp_path / "table.nc"
    code = ("import os, signal, sys\nfrom sdmattn.pipeline.io import atomic_path\n"
            f"with atomic_path({str(target)!r}) as tmp:\n    tmp.write_bytes(b'x' * 4096)\n    os.kill(os.getpid(), signal.SIGKILL)\n")
    assert subprocess.run([sys.executable, "-c", code]).returncode == -signal.SIGKILL
    assert not target.exists() and len(list(tmp_path.glob(".table.nc.*.tmp"))) == 1
    from sdmattn.pipeline.io import write_text

    write_text(target, "done")
    assert target.read_text() == "done" and not list(tmp_path.glob(".*.tmp"))


def all_scripts_write_atomically():
    """Every stage adapter writes through write_table / write_text / save_pdf (all via atomic_path)."""
    scripts = Path(__file__).resolve().parents[2] / "workflow" / "scripts"
    raw = ("open(", ".to_netcdf(", ".savefig(", ".write_bytes(", "np.save")
    adapters = sorted(scripts.rglob("*.py"))
    assert len(adapters) >= 30, adapters  # every section's folder is searched
    return {str(p.relative_to(scripts)): [r for r in raw if r in p.read_text()] for p in adapters if any(r in p.read_text() for r in raw)}


def test_stage_adapters_write_only_through_atomic_writers():
    assert all_scripts_write_atomically() == {}


def test_killed_build_resumes_to_the_same_bytes(resumed_build):
    """The session's second build was SIGKILLed in a training job (builds.kill_and_resume): the stage
    it interrupted left no output, the resumed run reran it, and nothing temporary is left."""
    killed = resumed_build.killed
    assert killed["killed"] and killed["interrupted"], killed  # the kill came while a training job ran
    assert not killed["left_output"], killed  # the interrupted stage wrote nothing
    for stem in killed["interrupted"]:
        assert f"data/learned_beta/runs/{stem}.nc" in resumed_build.log  # rerun, not taken for finished
    assert not [p for p in resumed_build.work.rglob(".*.tmp")]


def test_a_build_elsewhere_gives_the_same_bytes(resumed_build, smoke_build):
    """The resumed build (another directory, its own compilation cache, a kill in between) against the
    clean smoke build: every output it made, byte for byte (the SLURM test compares another build)."""
    built = resumed_build.outputs
    assert set(RESUME_TARGETS) <= set(built) and len(built) >= 5, sorted(built)  # 2 runs, their table, the radii, the figure
    assert not differences_from(built, smoke_build.outputs), differences_from(built, smoke_build.outputs)


def test_damaged_table_found_mid_run_stops_before_writing(smoke_build, tmp_path):
    """A table damaged after it was built: its reader fails naming it, and writes nothing."""
    work = built_copy(smoke_build.clean, tmp_path / "repo")
    table, fits = work / "data" / "intersection" / "n16.nc", work / "data" / "beta" / "n16.nc"
    combined = work / "data" / "beta_fits.nc"
    before = combined.stat().st_mtime_ns
    table.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    result = snakemake(work, "data/beta_fits.nc", "--cores", "1", "--config", SMOKE)
    text = result.stdout + result.stderr
    assert result.returncode != 0 and "data/intersection/n16.nc: not a readable sdmattn table" in text, text[-3000:]
    assert not fits.exists() and combined.stat().st_mtime_ns == before  # nothing downstream was written
    assert not list(fits.parent.glob(".*.tmp"))


def test_every_output_records_config_versions_and_commit(smoke_build):
    from pypdf import PdfReader

    from sdmattn.pipeline.io import load_table

    work = smoke_build.clean
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    resolved = (work / "data" / "config.resolved.yaml").read_text()
    config = "\n".join(line for line in resolved.splitlines() if not line.startswith("#")) + "\n"
    checked = 0
    for path, _ in outputs(work).items():
        p = work / path
        if p.suffix == ".nc":
            attrs = load_table(p).attrs
            assert attrs["git_commit"] == commit and attrs["resolved_config"] == config, path
            assert json.loads(attrs["package_versions"])["jax"], path
        elif p.suffix == ".pdf" and p.parent.name == "figures":
            meta = PdfReader(p).metadata
            assert meta["/Subject"].endswith(f"git commit {commit}"), path
            keywords = json.loads(meta["/Keywords"])
            assert keywords["resolved_config"] == config and keywords["package_versions"]["jax"], path
        elif p.suffix in (".tex", ".yaml"):
            head = p.read_text()
            marker = "%" if p.suffix == ".tex" else "#"
            assert head.startswith(f'{marker} sdmattn provenance: {{"stage": ') and commit in head.splitlines()[0], path
            assert '"jax"' in head.splitlines()[1] and "sweep:" in head, path
        else:
            continue
        checked += 1
    assert checked >= 30


def test_changes_rerun_exactly_the_affected_stages(smoke_build, tmp_path):
    work = built_copy(smoke_build.clean, tmp_path / "repo")
    assert planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", SMOKE)) == {}
    script = work / "workflow" / "scripts" / "beta" / "figure_beta_sweep.py"
    script.write_text(script.read_text() + "# restyled\n")  # a stage's code
    assert planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", SMOKE)) == {
        "all": 1, "figure_beta_sweep": 1, "figure_marks": 1, "report": 1, "arxiv": 1}
    library = work / "src" / "sdmattn" / "sections" / "sdm.py"
    library.write_text(library.read_text() + "# edited\n")  # a section's module: its layout, its figure and the values read it
    assert planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", SMOKE)) == {
        "all": 1, "figure_beta_sweep": 1, "schematic_layout": 1, "figure_sdm_schematic": 1, "report_values": 1, "report": 1,
        "figure_marks": 1, "arxiv": 1}
    section = work / "paper" / "sections" / "cerebellum.tex"
    section.write_text(section.read_text() + "% edited\n")  # a section's prose: the report, and the encoder's texts
    pretrained = {"effective_beta": 2, "figure_effective_beta": 1, "pretrained_values": 1}  # MiniLM and SmolLM2
    assert planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", SMOKE)) == {
        "all": 1, "figure_beta_sweep": 1, "schematic_layout": 1, "figure_sdm_schematic": 1, "report_values": 1, "report": 1,
        "figure_marks": 1, "arxiv": 1, **pretrained}
    plan = planned_jobs(snakemake(work, "-n", "--cores", "2", "--config", 'overrides=["preset=smoke","fit.d_min=3"]'))
    assert plan == {"all": 1, "figure_beta_sweep": 1, "schematic_layout": 1, "figure_sdm_schematic": 1, **pretrained,
                    "report_values": 1, "report": 1, "beta_fits": 4, "beta_table": 1,
                    "figure_intersection_decay": 1, "figure_weight_comparison": 1, "resolved_config": 1,
                    "figure_marks": 1, "arxiv": 1, "scorecard_values": 1}, plan
