"""Labelled tables with provenance: every data file is an xarray Dataset in netCDF (HDF5) format.

`write_table` stores the dataset together with where it came from (the stage, its parameters, the
resolved config of the build, package versions, git commit) and writes atomically, so a failed
stage never leaves a half-written file; `load_table(path)` is the one line that reads any of them.
"""

from __future__ import annotations

import contextlib
import contextvars
import glob
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


_PROVENANCE: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("sdmattn_provenance", default=None)


@contextlib.contextmanager
def provenance_scope(attrs: dict[str, str]):
    """Within the block, `write_text` and `figures.save_pdf` record `attrs` (set by `stage.run_stage`)."""
    token = _PROVENANCE.set(attrs)
    try:
        yield attrs
    finally:
        _PROVENANCE.reset(token)


def current_provenance() -> dict[str, str] | None:
    return _PROVENANCE.get()


def provenance_header(comment: str, attrs: dict[str, str] | None = None) -> str:
    """The provenance as comment lines (`comment` is the format's comment marker), '' outside a stage."""
    attrs = attrs if attrs is not None else current_provenance()
    if not attrs:
        return ""
    head = {k: attrs[k] for k in ("stage", "git_commit") if k in attrs}
    lines = [f"sdmattn provenance: {json.dumps(head)}", f"package versions: {attrs.get('package_versions', '')}",
             "resolved config:", *("  " + line for line in attrs.get("resolved_config", "").splitlines())]
    return "".join(f"{comment} {line}".rstrip() + "\n" for line in lines)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside `path`; on success it replaces `path`, on failure it is removed.
    Temporaries that a killed writer of `path` left behind (`.<name>.*.tmp`) are removed first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
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


COMMENT = {".tex": "%", ".yaml": "#", ".yml": "#", ".txt": "#"}


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` to `path` atomically, headed by the stage's provenance as comments (.tex, .yaml)."""
    marker = COMMENT.get(Path(path).suffix)
    with atomic_path(path) as tmp:
        tmp.write_text((provenance_header(marker) if marker else "") + text)
    return Path(path)


def load_table(path: str | os.PathLike) -> xr.Dataset:
    """Load a table written by `write_table` fully into memory (the file is closed on return)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no table at {path}")
    try:
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            return ds.load()
    except (OSError, ValueError, KeyError) as exc:  # h5py/h5netcdf's errors for a damaged or foreign file
        raise ValueError(f"{path}: not a readable sdmattn table (netCDF/HDF5): {exc}") from None


def unwritable(directories) -> list[str]:
    """Those of `directories` that cannot be written to (the nearest existing ancestor of a missing one
    decides), e.g. on a read-only mount or without write permission."""
    bad = []
    for directory in map(Path, directories):
        probe = directory
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        if not (probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)):
            bad.append(str(directory))
    return bad
