"""The shared frame of every Snakemake `script:` adapter in `workflow/scripts/`.

`run_stage(snakemake)` sends the stage's output to its `log:` file (its progress bars too, and to the
console when one is attached: `sdmattn._progress`), enables float64 and the persistent JAX
compilation cache, and hands back the provenance attributes for its tables. It only
reads attributes of the `snakemake` object, so the library does not depend on Snakemake.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .._progress import progress_to
from .._runtime import setup_jax
from . import io


@dataclass
class Stage:
    """What an adapter needs besides its inputs: a logger and the provenance of what it writes."""

    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("sdmattn"))


@contextlib.contextmanager
def run_stage(smk, *, jax: bool = True, x64: bool = True):
    """Context for a stage adapter: logging to `smk.log[0]`, JAX set-up (float64 unless `x64=False`),
    provenance; see the module docstring."""
    name = smk.rule
    params = {k: v for k, v in smk.params.items()}
    log_path = Path(smk.log[0]) if len(smk.log) else None
    handler = logging.FileHandler(log_path, mode="w") if log_path else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger(f"sdmattn.{name}")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        if jax:
            setup_jax(x64=x64)
        config_yaml = smk.config.get("resolved_yaml", "") if hasattr(smk, "config") else ""
        stage = Stage(name, io.provenance(name, params, config_yaml), logger)
        logger.info("stage %s: params %s; outputs %s", name, params, list(smk.output))
        bars = progress_to(handler.stream) if log_path else contextlib.nullcontext()
        with io.provenance_scope(stage.attrs), bars:
            yield stage
        logger.info("stage %s: done", name)
    except Exception:
        logger.exception("stage %s failed", name)
        raise
    finally:
        logger.removeHandler(handler)
        handler.close()
