"""Re-exports loaded on first use, so that importing one corner of sdmattn does not load all of it.

Parsing the Snakefile needs only the config schema (`sdmattn.pipeline.config`), which lives inside the
`sdmattn` package and imports `sdmattn.learned.settings`; with eager re-exports that would import
JAX, SciPy and equinox on every Snakemake invocation and in every stage, whether it computes or not.
"""

from __future__ import annotations

import importlib
import importlib.util


def lazy_exports(package: str, exports: dict[str, tuple[str, ...] | None]):
    """`__getattr__` and `__dir__` for `package`'s `__init__`: each name of `exports[module]` is taken
    from `package.module` when first asked for (None: every name of that module's `__all__`)."""

    def module(name: str):
        return importlib.import_module(f"{package}.{name}")

    def names(name: str) -> tuple[str, ...]:
        listed = exports[name]
        return tuple(module(name).__all__) if listed is None else listed

    def __getattr__(name: str):
        if importlib.util.find_spec(f"{package}.{name}") is not None:  # a submodule (`from sdmattn import theory`)
            return module(name)  # without loading the other modules to search their names
        if name == "__all__":
            return sorted(n for m in exports for n in names(m))
        owner = next((m for m, listed in exports.items() if listed is not None and name in listed), None)
        owner = owner or next((m for m, listed in exports.items() if listed is None and name in names(m)), None)
        if owner is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(module(owner), name)

    def __dir__() -> list[str]:
        return __getattr__("__all__")

    return __getattr__, __dir__
