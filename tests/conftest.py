"""Tests run with JAX float64 (as every entry point does) and a throw-away compilation cache; the
smoke build is made once per session and shared (see tests/builds.py)."""
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import sdmattn

sys.path.insert(0, str(Path(__file__).parent))  # the oracles and builds modules

from builds import SMOKE, copy_repo, outputs, snakemake


@pytest.fixture(scope="session", autouse=True)
def _x64(tmp_path_factory):
    sdmattn.setup_jax(tmp_path_factory.mktemp("jax-cache"))


@dataclass
class Build:
    work: Path  # the repository copy it was built in (tests may change it afterwards)
    clean: Path  # a copy of `work` right after the clean build, never changed
    cache: Path  # its JAX compilation cache
    outputs: dict  # its outputs right after the clean build (builds.outputs)
    log: str


@pytest.fixture(scope="session")
def smoke_build(tmp_path_factory) -> Build:
    """A clean `preset=smoke` build, made once per session and shared by every test that reads a full
    build (workflow, reliability, provenance, the clean-build and SLURM comparisons); `outputs` is its
    snapshot and `clean` an untouched copy of its tree."""
    work = copy_repo(tmp_path_factory.mktemp("smoke") / "repo")
    cache = tmp_path_factory.mktemp("smoke-jax-cache")
    result = snakemake(work, "--cores", "2", "--config", SMOKE, cache=cache)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    clean = tmp_path_factory.mktemp("smoke-clean") / "repo"
    shutil.copytree(work, clean, symlinks=True, ignore=shutil.ignore_patterns(".snakemake"))
    return Build(work, clean, cache, outputs(work), result.stdout + result.stderr)
