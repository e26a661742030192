"""The estimated cost of a build, and the limits that refuse an absurd one unless forced.

`over_budget(cfg)` estimates what a composed config asks for (Snakemake jobs, intersection tables on
disk, training steps, optimal-radius rows, simulated neurons, the learned scale's competitor draws) and returns, for the first limit exceeded, the config key
to blame and a message with the estimate and the override that builds it anyway (`budget.force=true`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..learned.settings import batch_for

FORCE = "budget.force=true"
JOB_OVERHEAD_S = 5.0  # start-up of one Snakemake job (interpreter, imports), measured on 2 cores
ENTRIES_PER_S = 5e7  # intersection-table entries per second (benchmarks/bench_intersection.py)
NORMALS_PER_S = 8e7  # Gaussian draws per second of the continuous Monte Carlo (its slower half)
SCALE_DRAWS_PER_S = 2.5e7  # the learned scale's competitors drawn, read and differentiated a second (m = 1024, 2 cores)


@dataclass(frozen=True)
class Limits:
    jobs: int = 1000
    table_gib: float = 8.0
    train_steps: int = 10**6
    optimal_rows: int = 5000
    neuron_bits: float = 1e13
    scale_draws: float = 1e11  # about an hour on 2 cores


@dataclass(frozen=True)
class Cost:
    jobs: int
    table_gib: float
    train_steps: int
    optimal_rows: int
    neuron_bits: float
    scale_draws: float
    cpu_hours: float


def table_dimensions(cfg) -> set[int]:
    """Every n whose (n+1)^2 intersection table the build makes."""
    opt = cfg.optimal
    ns = set(cfg.sweep.n) | {cfg.reference.n} | set(opt.modern.n) | set(opt.context.n)
    return ns | {mem.n for mem in opt.named.values()} | {cfg.learned_beta.head_dim}


def scale_draws(ls) -> float:
    """Competitors the learned-scale stage draws: m - 1 per query, for every step of its two runs per noise
    (batch_by_m's batch where it names m) and every query of its scan."""
    noises = len(ls.k) + len(ls.mixtures)
    return float(sum((m - 1) * noises * (2 * ls.steps * batch_for(m, ls.batch, ls.batch_by_m) + ls.scan.samples) for m in ls.m))


def estimate(cfg) -> Cost:
    lb, opt = cfg.learned_beta, cfg.optimal
    runs = len(lb.tasks) * len(lb.seeds) * len(lb.g_init)
    ns = table_dimensions(cfg)
    entries = sum((n + 1) ** 2 for n in ns)
    jobs = 2 * len(set(cfg.sweep.n)) + len(ns - set(cfg.sweep.n)) + runs + 20
    rows = len(opt.named) + 2 + len(opt.modern.n) * len(opt.modern.m) * len(opt.modern.r)
    bits = sum(run.r * run.n * len(run.radii) for run in cfg.continuous.monte_carlo.runs.values())
    draws = scale_draws(cfg.learned_scale)
    seconds = jobs * JOB_OVERHEAD_S + 3 * entries / ENTRIES_PER_S + bits / NORMALS_PER_S + draws / SCALE_DRAWS_PER_S
    return Cost(jobs, 8 * entries / 2**30, runs * lb.steps, rows, bits, draws, seconds / 3600)


def over_budget(cfg, limits: Limits = Limits()) -> tuple[str, str] | None:
    """(key, message) for the first limit the config exceeds, None when within them or forced."""
    if cfg.budget.force:
        return None
    cost = estimate(cfg)
    lb = cfg.learned_beta
    runs = len(lb.tasks) * len(lb.seeds) * len(lb.g_init)
    jobs_key = "sweep.n" if 2 * len(cfg.sweep.n) >= runs else "learned_beta.seeds"
    checks = [
        (jobs_key, cost.jobs > limits.jobs, f"{cost.jobs} Snakemake jobs (limit {limits.jobs})"),
        ("sweep.n", cost.table_gib > limits.table_gib,
         f"{cost.table_gib:.1f} GiB of intersection tables (limit {limits.table_gib:g} GiB)"),
        ("learned_beta.steps", cost.train_steps > limits.train_steps,
         f"{cost.train_steps} training steps over all {runs} runs (at most 10^6 steps without forcing)"),
        ("optimal.modern", cost.optimal_rows > limits.optimal_rows,
         f"{cost.optimal_rows} optimal-radius rows (limit {limits.optimal_rows})"),
        ("continuous.monte_carlo.runs", cost.neuron_bits > limits.neuron_bits,
         f"{cost.neuron_bits:.3g} simulated neuron bits, r n per radius (limit {limits.neuron_bits:.0e})"),
        ("learned_scale", cost.scale_draws > limits.scale_draws,
         f"{cost.scale_draws:.3g} competitor draws for the learned scale, (m - 1) per query over m, noise, runs, steps "
         f"and scan (limit {limits.scale_draws:.0e})"),
    ]
    for key, exceeded, what in checks:
        if exceeded:
            return key, (f"config key '{key}': this build would need {what}, about {cost.cpu_hours:.1f} CPU-hours in all; "
                         f"if that is meant, add the override '{FORCE}'")
    return None
