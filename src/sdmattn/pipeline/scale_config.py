"""The learned-scale experiment's part of the config schema, and its range checks (no JAX: composing stays cheap).

`LearnedScaleConfig` is the `learned_scale` node of `sdmattn.pipeline.config.Config`; `check_learned_scale`
is called by `sdmattn.pipeline.config.validate` with its `need(ok, key, allowed, value)` reporter and the
context lengths m of the optimal-radius stage, whose β* the experiment reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..learned.settings import ScaleSchedule

DIGIT_COUNT = 1797  # images of scikit-learn's load_digits (n = 64)


@dataclass
class NoiseMixture:
    """k flipped bits drawn uniformly from k_min..k_max for every query."""

    k_min: int = 0
    k_max: int = 24


@dataclass
class ScaleScan:
    """The oracle: `samples` fixed queries per noise (common random numbers), `points` log-spaced g in
    [g_min, g_max], then `points` more around the coarse minimiser. A minimum at g_max means divergence.
    The queries are split into `batches` equal batches whose paired losses give the scan's resolution."""

    samples: int = 4096
    batches: int = 8
    g_min: float = 0.5
    g_max: float = 1000.0
    points: int = 17


@dataclass
class DigitsScale:
    """The second variant: m centred, normalised digit images stored; queries at cosine 1 - 2k/64 from
    their target; g learned alone and with a projection W of queries and keys."""

    m: int = 1024
    k: int = 8
    samples: int = 1024


@dataclass
class LearnedScaleConfig(ScaleSchedule):
    """Attention as an associative memory with only its scale g learned: n-dimensional ±1 memories of
    every size in `m`; noise: each fixed k, and k uniform over each mixture; g0 = `start_below` β*_CD and
    `start_above` β*_Mem (β* of the optimal stage for the same n, m); Adam on log g for `steps` steps of
    `batch` fresh queries (`batch_by_m[m]` for the memory sizes it names: the smaller a memory, the rarer
    the close competitors that set its optimum, and the more queries a step needs), the rate decaying
    from `lr` to `lr_end` and constant over the last `window` steps; settled when log g moved less than
    `tol` over that window (the mean of its second half against the mean of its first);
    runs agree when within `agreement` (relative) of each other and
    of the scan's minimiser."""

    n: int = 64
    m: list[int] = field(default_factory=lambda: [64, 256, 1024])
    k: list[int] = field(default_factory=lambda: [0, 16, 20, 24, 28])
    mixtures: list[NoiseMixture] = field(default_factory=lambda: [NoiseMixture(0, 24), NoiseMixture(16, 28)])
    seed: int = 0
    start_below: float = 0.5
    start_above: float = 2.0
    agreement: float = 0.05
    batch_by_m: dict[str, int] = field(default_factory=dict)  # queries per step for these m instead of `batch` (add: +learned_scale.batch_by_m.256=512)
    scan: ScaleScan = field(default_factory=ScaleScan)
    digits: DigitsScale = field(default_factory=DigitsScale)


def check_learned_scale(ls, need, context_n: list[int], context_m: list[int]) -> None:
    """Range and cross-field checks of the `learned_scale` node; `need(ok, key, allowed, value)` reports.
    `context_n`, `context_m`: the (n, m) whose β* the optimal stage's context sweep computes."""
    key = "learned_scale"
    need(ls.n in context_n, f"{key}.n", f"a dimension of optimal.context.n {list(context_n)} (its β* are read there)", ls.n)
    ms = list(ls.m)
    need(len(ms) > 0 and ms == sorted(set(ms)) and all(m in context_m for m in ms), f"{key}.m",
         f"a non-empty increasing list of context lengths of the optimal stage ({list(context_m)})", ms)
    need(all(m >= 2 for m in ms), f"{key}.m", "memories of at least 2 patterns", ms)
    ks = list(ls.k)
    need(ks == sorted(set(ks)) and all(0 <= k <= ls.n for k in ks), f"{key}.k", f"an increasing list of noise levels in 0..n = 0..{ls.n}", ks)
    for mix in ls.mixtures:
        need(0 <= mix.k_min < mix.k_max <= ls.n, f"{key}.mixtures", f"k_min < k_max in 0..n = 0..{ls.n}", dict(mix))
    need(len(ks) + len(ls.mixtures) > 0, f"{key}.k", "noise levels, or mixtures in learned_scale.mixtures", ks)
    need(0 < ls.start_below < 1, f"{key}.start_below", "a factor in (0, 1) (g0 below β*_CD)", ls.start_below)
    need(1 < ls.start_above <= 100, f"{key}.start_above", "a factor in (1, 100] (g0 above β*_Mem)", ls.start_above)
    need(ls.seed >= 0, f"{key}.seed", "an integer >= 0", ls.seed)
    need(10 <= ls.steps <= 100_000, f"{key}.steps", "an integer in 10..100000", ls.steps)
    need(2 <= ls.batch <= 65536 and ls.batch % 2 == 0, f"{key}.batch", "an even integer in 2..65536 (two halves)", ls.batch)
    by_m = dict(ls.batch_by_m)  # sizes not in m are unused (so that m can shrink alone)
    need(all(str(m).isdigit() for m in by_m), f"{key}.batch_by_m", "memory sizes m as keys", sorted(by_m))
    need(all(isinstance(b, int) and 2 <= b <= 65536 and b % 2 == 0 for b in by_m.values()), f"{key}.batch_by_m",
         "even integers in 2..65536 (two halves)", by_m)
    need(0 < ls.lr_end <= ls.lr < 10, f"{key}.lr", "a rate in (0, 10) with 0 < lr_end <= lr", f"lr={ls.lr}, lr_end={ls.lr_end}")
    need(2 <= ls.window < ls.steps, f"{key}.window", f"an integer in 2..steps-1 = 2..{ls.steps - 1}", ls.window)
    need(0 < ls.tol < 1, f"{key}.tol", "a change of log g in (0, 1)", ls.tol)
    need(0 < ls.agreement < 1, f"{key}.agreement", "a relative tolerance in (0, 1)", ls.agreement)
    sc = ls.scan
    need(2 <= sc.batches <= 1024, f"{key}.scan.batches", "an integer in 2..1024", sc.batches)
    need(2 <= sc.samples <= 1 << 20 and sc.samples % sc.batches == 0, f"{key}.scan.samples",
         f"an integer in 2..2^20, a multiple of scan.batches = {sc.batches}", sc.samples)
    need(0 < sc.g_min < sc.g_max <= 1e6, f"{key}.scan", "0 < g_min < g_max <= 1e6", f"g_min={sc.g_min}, g_max={sc.g_max}")
    need(5 <= sc.points <= 10_000, f"{key}.scan.points", "an integer in 5..10000", sc.points)
    dg = ls.digits
    need(2 <= dg.m <= DIGIT_COUNT and dg.m in context_m, f"{key}.digits.m",
         f"a context length of the optimal stage in 2..{DIGIT_COUNT} (the digit images; β* are read there)", dg.m)
    need(64 in context_n, "optimal.context.n", "a list including 64 (the digits' β*)", list(context_n))
    need(0 <= dg.k <= 64, f"{key}.digits.k", "a noise level in 0..64 (cosine 1 - 2k/64)", dg.k)
    need(2 <= dg.samples <= 1 << 20 and dg.samples % sc.batches == 0, f"{key}.digits.samples",
         f"an integer in 2..2^20, a multiple of scan.batches = {sc.batches}", dg.samples)
