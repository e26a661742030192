"""Tests run with JAX float64 (as every entry point does) and a throw-away compilation cache.

The smoke build is made once per session and shared by every test that reads a full build, also across
pytest-xdist workers (`make test` runs two): the first worker that asks for it builds it under a file
lock, the others wait and read it. Tests that share an expensive fixture (a build, the SLURM cluster)
run on one worker (`xdist_group`, set below); the rest are spread over the workers.
"""
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

import sdmattn

sys.path.insert(0, str(Path(__file__).parent))  # the oracles and builds modules

from builds import SMOKE, copy_repo, outputs, snakemake

# The fixtures whose tests must share a worker (they build once per worker), most expensive first.
GROUPED = ("built", "second_build", "resumed", "cluster")


def pytest_collection_modifyitems(items):
    """Group the tests of each expensive fixture, and put them first: their builds then run while the
    other worker takes the unit tests."""
    rank = {}
    for item in items:
        group = next((name for name in GROUPED if name in item.fixturenames), None)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
        rank[item.nodeid] = GROUPED.index(group) if group else len(GROUPED)
    items.sort(key=lambda item: rank[item.nodeid])  # stable: the file order within each rank


@pytest.fixture(scope="session", autouse=True)
def _x64(tmp_path_factory):
    sdmattn.setup_jax(tmp_path_factory.mktemp("jax-cache"))


@dataclass
class Build:
    work: Path  # the repository copy it was built in (only the tests of test_workflow.py change it)
    clean: Path  # a copy of `work` right after the clean build, never changed
    cache: Path  # its JAX compilation cache
    outputs: dict  # its outputs right after the clean build (builds.outputs)
    log: str


@pytest.fixture(scope="session")
def smoke_build(tmp_path_factory) -> Build:
    """A clean `preset=smoke` build, made once per session and shared by every test that reads a full
    build (workflow, reliability, provenance, the clean-build, resume and SLURM comparisons);
    `outputs` is its snapshot and `clean` an untouched copy of its tree."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's folder, above each worker's own
    root = shared / "smoke-build"
    work, clean, cache, log = root / "repo", root / "clean", root / "jax-cache", root / "build.log"
    with FileLock(shared / "smoke-build.lock"):
        if not (root / "done").exists():
            shutil.rmtree(root, ignore_errors=True)
            cache.mkdir(parents=True)
            copy_repo(work)
            result = snakemake(work, "--cores", "2", "--config", SMOKE, cache=cache)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            log.write_text(result.stdout + result.stderr)
            shutil.copytree(work, clean, symlinks=True, ignore=shutil.ignore_patterns(".snakemake"))
            (root / "done").touch()
    return Build(work, clean, cache, outputs(clean), log.read_text())
