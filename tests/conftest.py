"""Tests run with JAX float64 (as every entry point does) and a throw-away compilation cache."""
import sys
from pathlib import Path

import pytest

import sdmattn

sys.path.insert(0, str(Path(__file__).parent))  # the oracles module


@pytest.fixture(scope="session", autouse=True)
def _x64(tmp_path_factory):
    sdmattn.setup_jax(tmp_path_factory.mktemp("jax-cache"))
