"""Labelled tables with provenance: every data file is an xarray Dataset in netCDF (HDF5) format.

`write_table` stores the dataset together with where it came from (the stage, its parameters, the
resolved config of the build, package versions, git commit) and writes atomically, so a failed
stage never leaves a half-written file; `load_table(path)` is the one line that reads any of them.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import xarray as xr

PACKAGES = ("sdmattn", "jax", "jaxlib", "numpy", "scipy", "xarray", "h5netcdf", "matplotlib", "snakemake", "hydra-core",
            "scikit-learn")


def package_versions(packages=PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape the numbers (absent ones are skipped)."""
    out = {"python": sys.version.split()[0]}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def git_commit(cwd: str | os.PathLike = ".") -> str:
    """The checked-out commit, with `-dirty` when the work tree has changes; `unknown` outside git."""
    try:
        run = lambda *a: subprocess.run(["git", *a], cwd=cwd, capture_output=True, text=True, check=True).stdout  # noqa: E731
        commit = run("rev-parse", "HEAD").strip()
        return commit + ("-dirty" if run("status", "--porcelain", "--untracked-files=no").strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def provenance(stage: str, params: dict | None = None, config_yaml: str | None = None) -> dict[str, str]:
    """netCDF attributes recording how a table was made (strings only, JSON where structured)."""
    return {
        "stage": stage,
        "stage_params": json.dumps(params or {}, sort_keys=True, default=str),
        "resolved_config": config_yaml or "",
        "package_versions": json.dumps(package_versions(), sort_keys=True),
        "git_commit": git_commit(),
    }


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside `path`; on success it replaces `path`, on failure it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the final file ordinary permissions
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_table(ds: xr.Dataset, path: str | os.PathLike, attrs: dict[str, str] | None = None) -> Path:
    """Write `ds` (plus provenance `attrs`) to `path` atomically."""
    with atomic_path(path) as tmp:
        ds.assign_attrs(**(attrs or {})).to_netcdf(tmp, engine="h5netcdf")
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` to `path` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return Path(path)


def load_table(path: str | os.PathLike) -> xr.Dataset:
    """Load a table written by `write_table` fully into memory (the file is closed on return)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no table at {path}")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()
