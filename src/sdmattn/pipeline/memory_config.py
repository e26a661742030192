"""The recall experiments' part of the config schema, and its range checks (no JAX: composing stays cheap).

`MemoryConfig` is the `memory` node of `sdmattn.pipeline.config.Config`; `check_memory` is called
by `sdmattn.pipeline.config.validate` with its `need(ok, key, allowed, value)` reporter.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

SOURCES = ("random", "digits")
OBJECTIVES = ("mem", "snr", "cd")
ESTIMATORS = ("published", "ols")
DIGITS = (64, 1797)  # n and the number of images of scikit-learn's load_digits
MAX_RECALL_N = 4096
MAX_COUNTER_BYTES = 8 * 2**30  # a neuron SDM's (r + 1) x n counters (int16 when m <= 32767)


@dataclass
class RecallDataset:
    """One dataset of the recall experiments: `source` (random | digits), dimension n, m stored patterns,
    r neurons (null: 2^n), the noise levels k and the `queries` per k and repeat. `neuron_queries` > 0
    adds a job with the explicit-neuron SDM and the finite-neuron pattern view on the first of those
    queries, at the noise levels `neuron_k`, the radii of `neuron_objectives`, for `neuron_repeats` repeats."""

    source: str = "random"
    n: int = 64
    m: int = 1024
    r: float | None = None
    k: list[int] = field(default_factory=list)
    queries: int = 64
    neuron_queries: int = 0
    neuron_k: list[int] = field(default_factory=list)
    neuron_objectives: list[str] = field(default_factory=lambda: ["snr"])
    neuron_repeats: int = 1


@dataclass
class MemoryConfig:
    """Noisy recall by SDM and attention (spec section 8): each memory at the optimal radii of
    `objectives` (from the optimal-radii stage) and at the extra `radii`; attention's β fitted with
    `estimator`; reads until nothing moves (binary) or no element moves by more than `tolerance`, at
    most `max_steps`. The report's recall limit is the largest k whose mean cosine stays >= `threshold`;
    neuron SDM agrees with its pattern view when their mean difference is within `agreement_z` standard
    errors."""

    seed: int = 0
    repeats: int = 2
    objectives: list[str] = field(default_factory=lambda: list(OBJECTIVES))
    radii: list[int] = field(default_factory=list)
    estimator: str = "published"
    max_steps: int = 100
    tolerance: float = 0.05
    threshold: float = 0.95
    agreement_z: float = 4.0
    datasets: dict[str, RecallDataset] = field(default_factory=dict)


def neuron_datasets(mem) -> list[str]:
    """The datasets that also run the explicit-neuron SDM."""
    return [name for name, ds in mem.datasets.items() if ds.neuron_queries > 0]


def check_memory(mem, need) -> None:
    """Range and cross-field checks of the `memory` node; `need(ok, key, allowed, value)` reports."""
    need(mem.seed >= 0, "memory.seed", "an integer >= 0", mem.seed)
    need(1 <= mem.repeats <= 100, "memory.repeats", "an integer in 1..100", mem.repeats)
    objectives = list(mem.objectives)
    need(all(o in OBJECTIVES for o in objectives) and len(set(objectives)) == len(objectives), "memory.objectives",
         f"a list of distinct objectives from {OBJECTIVES}", objectives)
    need(len(objectives) + len(mem.radii) > 0, "memory.radii", "extra radii, or objectives in memory.objectives", list(mem.radii))
    need(mem.estimator in ESTIMATORS, "memory.estimator", f"one of {ESTIMATORS}", mem.estimator)
    need(1 <= mem.max_steps <= 1000, "memory.max_steps", "an integer in 1..1000", mem.max_steps)
    need(0 < mem.tolerance <= 1, "memory.tolerance", "a number in (0, 1]", mem.tolerance)
    need(0 < mem.threshold <= 1, "memory.threshold", "a cosine in (0, 1]", mem.threshold)
    need(0 < mem.agreement_z <= 10, "memory.agreement_z", "a number of standard errors in (0, 10]", mem.agreement_z)
    need(len(mem.datasets) > 0, "memory.datasets", "at least one named dataset", dict(mem.datasets))
    for name, ds in mem.datasets.items():
        key = f"memory.datasets.{name}"
        need(re.fullmatch(r"[A-Za-z0-9]+", str(name)) is not None, "memory.datasets", "names of letters and digits", name)
        need(ds.source in SOURCES, f"{key}.source", f"one of {SOURCES}", ds.source)
        if ds.source == "digits":
            need(ds.n == DIGITS[0], f"{key}.n", f"{DIGITS[0]} for the 8x8 digit images", ds.n)
            need(ds.m <= DIGITS[1], f"{key}.m", f"at most the {DIGITS[1]} digit images", ds.m)
        need(8 <= ds.n <= MAX_RECALL_N, f"{key}.n", f"an integer in 8..{MAX_RECALL_N}", ds.n)
        need(2 <= ds.m <= 2**20, f"{key}.m", "an integer in 2..2^20 (stored patterns)", ds.m)
        need(ds.r is None or (1 <= ds.r and math.log2(ds.r) <= ds.n), f"{key}.r", f"null (r = 2^n) or a number in 1..2^n = 2^{ds.n}", ds.r)
        ks = list(ds.k)
        need(len(ks) > 0 and ks == sorted(set(ks)) and all(0 <= k <= ds.n for k in ks), f"{key}.k",
             f"a non-empty increasing list of noise levels in 0..n = 0..{ds.n}", ks)
        need(1 <= ds.queries <= ds.m, f"{key}.queries", f"an integer in 1..m = 1..{ds.m}", ds.queries)
        for d in mem.radii:
            need(2 <= d <= ds.n - 2, "memory.radii", f"radii in 2..n-2 for every dataset (n={ds.n} of '{name}')", d)
        need(0 <= ds.neuron_queries <= ds.m, f"{key}.neuron_queries", f"an integer in 0..m = 0..{ds.m} (0: no neuron SDM)", ds.neuron_queries)
        if ds.neuron_queries == 0:
            continue
        need(ds.r is not None and float(ds.r).is_integer() and ds.r <= 2**31 - 2, f"{key}.r",
             "a whole number of neurons <= 2^31 - 2 when neuron_queries > 0", ds.r)
        need((ds.r + 1) * ds.n * 2 <= MAX_COUNTER_BYTES, f"{key}.r",
             f"at most {MAX_COUNTER_BYTES / 2**30:g} GiB of int16 counters ((r + 1) n x 2 bytes)", ds.r)
        nk = list(ds.neuron_k)
        need(len(nk) > 0 and nk == sorted(set(nk)) and all(0 <= k <= ds.n for k in nk), f"{key}.neuron_k",
             f"a non-empty increasing list of noise levels in 0..n = 0..{ds.n}", nk)
        no = list(ds.neuron_objectives)
        need(len(no) > 0 and all(o in OBJECTIVES for o in no) and len(set(no)) == len(no), f"{key}.neuron_objectives",
             f"a non-empty list of distinct objectives from {OBJECTIVES}", no)
        need(1 <= ds.neuron_repeats <= 100, f"{key}.neuron_repeats", "an integer in 1..100", ds.neuron_repeats)
