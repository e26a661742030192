"""Tests run with JAX float64 (as every entry point does) and one throw-away compilation cache for the
session, shared by the workers and the builds they start.

The session makes two builds of the smoke preset, each once, also across pytest-xdist workers (`make
test` runs two, each taking whole test files): a full clean one, shared by every test that reads a
full build, and a small one in another directory, killed mid-way and resumed, which must give the same
bytes (builds.RESUME_TARGETS). Both start with the session, under a file lock, and the tests wait.
"""
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

import sdmattn

sys.path.insert(0, str(Path(__file__).parent))  # the oracles and builds modules

from builds import RESUMED, outputs, start_clean_build, start_killed_build, wait_for_build

CLEAN_BUILDS = {"smoke_build": "smoke", "resumed_build": "resumed"}  # fixture: the session's build it reads
STARTS = {"smoke": start_clean_build, "resumed": start_killed_build}


def pytest_collection_modifyitems(items):
    """Files in three groups, file order within each: first those with end-to-end tests that make only
    their own builds, then the unit tests, last the files with tests that read the session's builds (see
    _start_clean_builds), which are done by then: no worker waits for them while unit tests are left.
    `make test` hands out whole files to its workers in this order (--dist loadfile
    --no-loadscope-reorder), so the tests that share a module's build or change a shared tree run on one
    worker."""
    reads_build, builds = set(), set()
    for item in items:
        if any(fixture in item.fixturenames for fixture in CLEAN_BUILDS):
            reads_build.add(item.path)
        elif item.get_closest_marker("workflow"):
            builds.add(item.path)
    items.sort(key=lambda item: 2 if item.path in reads_build else 0 if item.path in builds else 1)  # stable


def pytest_collection_finish(session):
    """The clean builds that the tests which will run (after -m and -k) need."""
    needed = {build for item in session.items for fixture, build in CLEAN_BUILDS.items() if fixture in item.fixturenames}
    session.config.stash[BUILDS_WANTED] = sorted(needed)


BUILDS_WANTED = pytest.StashKey[list]()


@pytest.fixture(scope="session", autouse=True)
def _jax(tmp_path_factory) -> Path:
    """Float64, and one compilation cache for the whole session: both workers, and every build and
    Snakemake run the tests start (they inherit it through $JAX_COMPILATION_CACHE_DIR), except the
    resumed build, which proves its bytes with a cache of its own. Half the unit tests' time is XLA
    compiling, and the builds compile many of the same programs."""
    cache = shared_folder(tmp_path_factory) / "jax-cache"
    os.environ["JAX_COMPILATION_CACHE_DIR"] = str(cache)
    sdmattn.setup_jax(cache)
    return cache


@pytest.fixture(scope="session", autouse=True)
def _start_clean_builds(request, tmp_path_factory, _jax):
    """Start the clean builds the session's tests need now, side by side (they take minutes), so that
    they run while the unit tests do."""
    start_clean_builds(shared_folder(tmp_path_factory), request.config.stash.get(BUILDS_WANTED, []))


@dataclass
class Build:
    work: Path  # the repository copy it was built in (only the tests of test_workflow.py change it)
    clean: Path  # a copy of `work` right after the clean build, never changed
    cache: Path  # its JAX compilation cache (the session's)
    outputs: dict  # its outputs right after the clean build (builds.outputs)
    log: str


def shared_folder(tmp_path_factory) -> Path:
    """The session's folder, shared by all xdist workers (each has its own folder below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def clean_build(tmp_path_factory, name: str) -> Path:
    """The work tree of one of the session's smoke builds ("smoke", "resumed"), once it is done."""
    shared = shared_folder(tmp_path_factory)
    start_clean_builds(shared, [name])
    return wait_for_build(shared / name)


def start_clean_builds(shared: Path, names) -> None:
    """Start the smoke builds `names` in `shared`, those that no worker of this session started yet."""
    with FileLock(shared / "builds.lock"):
        for name in names:
            if not (shared / name).exists():
                (shared / name).mkdir()
                STARTS[name](shared / name)


@pytest.fixture(scope="session")
def smoke_build(tmp_path_factory) -> Build:
    """A clean `preset=smoke` build, made once per session (also across workers) and shared by every test
    that reads a full build (workflow, reliability, provenance, the resumed-build, rerun and SLURM
    comparisons); `outputs` is its snapshot and `clean` an untouched copy of its tree (Snakemake's
    metadata included, its logs not)."""
    work = clean_build(tmp_path_factory, "smoke")
    root = work.parent
    with FileLock(root.parent / "smoke-clean.lock"):
        if not (root / "clean").exists():
            logs = lambda folder, names: ["log", "locks"] if Path(folder) == work / ".snakemake" else []  # noqa: E731
            shutil.copytree(work, root / "tmp-clean", symlinks=True, ignore=logs)
            (root / "tmp-clean").rename(root / "clean")
    return Build(work, root / "clean", root.parent / "jax-cache", outputs(root / "clean"), (root / "build.log").read_text())


@dataclass
class Resumed:
    work: Path  # its tree (no test changes it: copy it first)
    killed: dict  # what the kill interrupted (builds.kill_and_resume)
    log: str  # the resumed run's output
    outputs: dict


@pytest.fixture(scope="session")
def resumed_build(tmp_path_factory) -> Resumed:
    """A second smoke build, of builds.RESUME_TARGETS only, in another directory with its own compilation
    cache, SIGKILLed in the middle of a training job and resumed (made beside the smoke build)."""
    work = clean_build(tmp_path_factory, "resumed")
    killed = json.loads((work.parent / "killed.json").read_text())
    return Resumed(work, killed, (work.parent / "build.log").read_text().split(RESUMED, 1)[-1], outputs(work))
