"""Benchmark: composing the config (every Snakemake invocation parses the Snakefile, which composes it)
against the simple reference, in the same process.

The schema check walks every node of the composed config and asks the schema which keys it allows.
The reference builds the typed schema node anew for every question, as `sdmattn.pipeline.config` did
before it kept one read-only schema node per process; both give the same allowed keys.

    python benchmarks/bench_config.py [--repeats 5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from bench_intersection import best_time  # same folder: one timing helper for every benchmark
from sdmattn.pipeline import config

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"


def reference_allowed_keys(path: str) -> list[str]:
    """The schema's keys under `path`, from a schema node built for this one question."""
    node = OmegaConf.structured(config.Config)
    node = node if not path else OmegaConf.select(node, path)
    return list(node.keys()) if isinstance(node, DictConfig) else []


def nodes(cfg: DictConfig, path: str = ""):
    """Every mapping path of a composed config (what the schema check visits)."""
    yield path
    for key in cfg:
        if isinstance(cfg[key], DictConfig):
            yield from nodes(cfg[key], f"{path}.{key}" if path else str(key))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cfg = config.compose(None, CONFIG_DIR)
    paths = list(nodes(cfg))
    assert all(config.allowed_keys(p) == reference_allowed_keys(p) for p in paths)
    checks = best_time(lambda: [config.allowed_keys(p) for p in paths], args.repeats)
    reference = best_time(lambda: [reference_allowed_keys(p) for p in paths], args.repeats)
    whole = best_time(lambda: config.compose(None, CONFIG_DIR), args.repeats)
    print(f"schema questions of one compose ({len(paths)} nodes): {checks:.4f} s, reference {reference:.3f} s "
          f"(speed-up {reference / checks:,.0f}x)")
    print(f"compose(default config), all checks included: {whole:.3f} s")


if __name__ == "__main__":
    main()
