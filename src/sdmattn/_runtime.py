"""JAX runtime set-up: float64 and the persistent compilation cache.

The library never flips global JAX flags at import; entry points (stage adapters, benchmarks, tests)
call `setup_jax()` once. JAX itself is imported on first use, so a stage that needs none starts fast. Numerical functions call `require_x64()` so that running them in float32
fails loudly instead of losing the 1e-10 accuracy the tables promise.
"""

from __future__ import annotations

import os
from pathlib import Path


def setup_jax(cache_dir: str | os.PathLike | None = None, *, x64: bool = True) -> None:
    """Enable float64 (unless `x64=False`, e.g. for training) and a persistent compilation cache
    (`$JAX_COMPILATION_CACHE_DIR`, else `.cache/jax`). JAX's cache keys depend on the cache's path:
    processes share compiled programs only through the same path."""
    import jax

    jax.config.update("jax_enable_x64", x64)
    cache = Path(cache_dir or os.environ.get("JAX_COMPILATION_CACHE_DIR") or Path(".cache") / "jax")
    cache.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(cache.resolve()))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


def require_x64() -> None:
    """Raise unless JAX float64 is enabled (the log-space counts need it)."""
    import jax

    if not jax.config.jax_enable_x64:
        raise RuntimeError(
            "sdmattn needs JAX float64: call sdmattn.setup_jax() or "
            "jax.config.update('jax_enable_x64', True), or set JAX_ENABLE_X64=1"
        )
