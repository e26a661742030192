"""Workflow builds for the tests: throw-away copies of the repository, Snakemake runs, output snapshots.

`copy_repo` copies the files git knows (no outputs, no Snakemake state) and commits them in a fresh
repository with a fixed author and date, so every copy has the same commit and the outputs record it.
`outputs(work)` maps each build output to its bytes (the report PDF to its text: pdfTeX stamps
the date into the file), the thing two builds are compared by. The session's two builds run in the
background (`start_clean_build`, `start_killed_build`); `wait_for_build` waits for either.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMOKE = 'overrides=["preset=smoke"]'
OUTPUT_DIRS = ("data", "figures", "paper/generated")
GIT_ENV = {"GIT_AUTHOR_NAME": "sdmattn tests", "GIT_AUTHOR_EMAIL": "tests@sdmattn", "GIT_AUTHOR_DATE": "2021-12-06T00:00:00Z",
           "GIT_COMMITTER_NAME": "sdmattn tests", "GIT_COMMITTER_EMAIL": "tests@sdmattn", "GIT_COMMITTER_DATE": "2021-12-06T00:00:00Z"}


def copy_repo(dest: Path) -> Path:
    """Copy the repository's files (tracked or not ignored by git) and commit them in a new repository."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "--no-gpg-sign", "-m", "test copy"]):
        subprocess.run(["git", *args], cwd=dest, env=env, capture_output=True, check=True)
    return dest


def built_copy(tree: Path, dest: Path) -> Path:
    """A copy of a built tree, Snakemake's metadata and the files' times included, for a test to change."""
    return Path(shutil.copytree(tree, dest, symlinks=True))


def nothing_built(work: Path) -> bool:
    """No build output in `work` (a fresh copy): a refused run left it as it was."""
    return sorted(p.name for p in (work / "data").iterdir()) == ["README.md"] and not list((work / "figures").glob("*.pdf"))


def snakemake_env(cache: Path | None = None) -> dict[str, str]:
    """The environment of a Snakemake run from this interpreter (with `cache`, that JAX cache instead of
    the one in this process's environment)."""
    env = dict(os.environ)
    if cache:
        env["JAX_COMPILATION_CACHE_DIR"] = str(cache)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def snakemake(cwd: Path, *args: str, cache: Path | None = None, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run Snakemake from this interpreter's environment in `cwd`, capturing its output."""
    return subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=cwd, env=snakemake_env(cache), capture_output=True,
                          text=True, timeout=timeout)


def start_clean_build(root: Path) -> None:
    """Start a clean smoke build of a fresh copy in `root/repo`, in the background (with the JAX cache
    of this process's environment); it writes its output to `root/build.log` and, when it ends, its exit
    status to `root/status`."""
    work = copy_repo(root / "repo")
    command = f'("$0" -m snakemake --cores 2 --config \'{SMOKE}\' > ../build.log 2>&1; echo $? > ../status) &'
    subprocess.run(["sh", "-c", command, sys.executable], cwd=work, env=snakemake_env(), start_new_session=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # returns at once


# The smallest build that proves resuming, and that a build elsewhere gives the same bytes: the training
# runs (one of them killed mid-way), their table, and their figure (with the optimal radii it draws).
RESUME_TARGETS = ("data/learned_beta/runs.nc", "figures/learned_beta.pdf")


def start_killed_build(root: Path) -> None:
    """Like `start_clean_build`, but of RESUME_TARGETS only, and SIGKILLed in the middle of a training
    job, then resumed (`kill_and_resume`, in the background); `root/killed.json` says what was interrupted."""
    copy_repo(root / "repo")
    (root / "jax-cache").mkdir()
    command = '("$0" "$1" kill-and-resume "$2" > "$2/driver.log" 2>&1; [ -s "$2/status" ] || echo 1 > "$2/status") &'
    subprocess.run(["sh", "-c", command, sys.executable, __file__, str(root)], start_new_session=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # returns at once


RESUMED = "\n=== sdmattn tests: the killed build resumed ===\n"  # between the two runs in build.log


def kill_and_resume(root: Path, timeout: float = 900) -> None:
    """Build RESUME_TARGETS of the smoke preset in `root/repo`, SIGKILL the build (with its jobs) while a
    training job runs, then resume it; both runs write to `root/build.log`, the resumed run's exit status
    goes to `root/status`."""
    work, env = root / "repo", snakemake_env(root / "jax-cache")
    command = [sys.executable, "-m", "snakemake", *RESUME_TARGETS, "--cores", "2", "--config", SMOKE]
    logs, runs = work / "data" / "logs" / "train_qknorm", work / "data" / "learned_beta" / "runs"
    with open(root / "build.log", "w") as log:
        try:
            proc = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            deadline, unfinished = time.monotonic() + timeout, []
            while time.monotonic() < deadline and proc.poll() is None and not unfinished:  # a training job started, not done
                started = [p for p in logs.glob("*.log") if "params" in p.read_text()] if logs.is_dir() else []
                unfinished = [p.stem for p in started if not (runs / f"{p.stem}.nc").exists()]
                time.sleep(0.2)
            running = proc.poll() is None
            if running:
                time.sleep(1.0)
                os.killpg(proc.pid, signal.SIGKILL)  # the whole process group: Snakemake and its running jobs
            proc.wait()
            killed = {"killed": running, "interrupted": unfinished, "left_output": [s for s in unfinished if (runs / f"{s}.nc").exists()],
                      "runs": sorted(p.name for p in runs.glob("*.nc"))}
            (root / "killed.json").write_text(json.dumps(killed))
            log.flush()
            unlock = subprocess.run([*command[:3], "--unlock", "--config", SMOKE], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
            log.write(RESUMED)
            log.flush()
            status = subprocess.run(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT).returncode or unlock.returncode
        except Exception:
            log.write(traceback.format_exc())
            status = 1
    (root / "status").write_text(str(status))


def wait_for_build(root: Path, timeout: float = 1800) -> Path:
    """Wait for the build `start_clean_build(root)` or `start_killed_build(root)` started (in this process or
    another); its work tree."""
    deadline = time.monotonic() + timeout
    while not (root / "status").is_file() or not (root / "status").read_text().strip():
        assert time.monotonic() < deadline, f"the build in {root} did not end within {timeout:.0f} s"
        time.sleep(1.0)
    status = int((root / "status").read_text())
    assert status == 0, f"the build in {root} failed ({status}):\n" + (root / "build.log").read_text()[-4000:]
    return root / "repo"


def planned_jobs(result: subprocess.CompletedProcess) -> dict[str, int]:
    """Rule -> count from a dry run's 'Job stats' table."""
    text = result.stdout + result.stderr
    if "Nothing to be done" in text:
        return {}
    table = text.split("Job stats:", 1)[1]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)\s*$", table, re.M) if m.group(1) != "total"}


def parse_workflow(work: Path, overrides: list[str]) -> str | None:
    """Parse the Snakefile in `work` and build its DAG in this process, as the CLI does before running any
    job: the message the workflow exited with, or None where it parsed."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, ResourceSettings

    cwd = os.getcwd()
    try:
        with SnakemakeApi(OutputSettings()) as api:
            wf = api.workflow(resource_settings=ResourceSettings(cores=1), snakefile=work / "Snakefile", workdir=work,
                              config_settings=ConfigSettings(config={"overrides": overrides}))
            wf.dag(DAGSettings())
    except SystemExit as stop:
        return str(stop.code)
    finally:
        os.chdir(cwd)  # Snakemake changes into the workdir
    return None


def refusals(work: Path, cases: list[list[str]]) -> list[str | None]:
    """`parse_workflow` of `work` for each list of overrides, all in one fresh Python (one start, not one
    per case; Snakemake's ResourceWarnings stay there)."""
    with tempfile.TemporaryDirectory() as tmp:
        given, found = Path(tmp) / "cases.json", Path(tmp) / "messages.json"
        given.write_text(json.dumps(cases))
        run = subprocess.run([sys.executable, __file__, "refusals", str(work), str(given), str(found)], env=snakemake_env(),
                             capture_output=True, text=True)
        assert run.returncode == 0 and found.is_file(), run.stderr[-3000:]
        return json.loads(found.read_text())


def report_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


def outputs(work: Path) -> dict[str, bytes | str]:
    """Every output of a build: relative path -> bytes (logs left out), the report PDF -> its text
    (when the build made it: a test may build a smaller target)."""
    found: dict[str, bytes | str] = {}
    for top in OUTPUT_DIRS:
        for path in sorted((work / top).rglob("*")):
            rel = path.relative_to(work).as_posix()
            if path.is_file() and not rel.startswith("data/logs/") and rel != "data/README.md" and path.suffix != ".mplstyle":
                found[rel] = path.read_bytes()
    if (work / "paper" / "build" / "report.pdf").is_file():
        found["paper/build/report.pdf"] = report_text(work / "paper" / "build" / "report.pdf")
    return found


def differences(a: dict, b: dict) -> list[str]:
    """The outputs that differ between two snapshots (missing on one side or different content)."""
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def differences_from(part: dict, whole: dict) -> list[str]:
    """The outputs of a partial build (`part`, a smaller target) that differ from the full build's."""
    return sorted(k for k in part if part[k] != whole.get(k))


if __name__ == "__main__":  # the background driver of start_killed_build, and the process of refusals
    if sys.argv[1:2] == ["kill-and-resume"] and len(sys.argv) == 3:
        kill_and_resume(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["refusals"] and len(sys.argv) == 5:
        messages = [parse_workflow(Path(sys.argv[2]), case) for case in json.loads(Path(sys.argv[3]).read_text())]
        Path(sys.argv[4]).write_text(json.dumps(messages))
    else:
        sys.exit("usage: builds.py kill-and-resume ROOT | builds.py refusals WORK CASES.json OUT.json")
