"""Attention as an associative memory with only its scale learned: where does the optimal g sit?

m stored patterns; a query is a stored pattern with noise; the read is softmax(g · cos(q, p_μ)) over the
stored patterns with the patterns (or clean versions of them) as values. The loss is the read's
relative squared error against the clean target, ||read - v_target||² / ||v_target||². Only g (as
log g) is trained, with optax, on fresh noisy queries every step, so the optimum of g is that of the
expected loss and can be checked against a brute-force scan.

- `noise_probabilities`: the noise of the random ±1 memories (k bits flipped, k drawn from a
  distribution over 0..n: one k, or a mixture); each query sees its own random memory, drawn by
  `random_memory.sample_overlaps` (stratified on its nearest competitor, importance-weighted), so the
  optimum is that of the expected loss over memories and noise;
- `read_error`: the per-query loss on a given memory (the digits), cancellation-free (the error is built
  from the non-target weights, so it stays exact when the target's weight rounds to 1);
- `train_scales`: Adam on log g for a batch of runs (noise distributions × starting values) on random
  memories of one size, every step one jitted `lax.scan` step;
- `settle_summary`: whether log g settled (its mean moved less than `tol` between the halves of the last
  `window` steps), its Polyak mean over that window and its signed drift: measured, not assumed;
- `scan_scales`: the same expected loss on a log grid of g with common random numbers (one fixed
  sample of queries for every g), refined around the minimiser; its minimiser, whether the minimum
  lies at an end of the grid (the optimum is then at 0 or at infinity), and its resolution: the span
  of g whose loss the sample cannot tell from the minimum's (`resolution`, paired over batches);
- `scale_verdict`: a point's verdict from both runs and the scan: agrees, diverges, vanishes, flat
  (the scan's own resolution is wider than the agreement asked for, and the runs end inside it) or
  disagrees;
- `train_projected_scale`, `digit_patterns`, `sample_rotated_queries`: the second variant, g learned
  together with a linear projection W of queries and keys (logits g · cos(W q, W p)), on real images.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, Bool, Float, Int

from ..theory.noise import _rotate
from .random_memory import Groups, MemoryLaw, group_competitors, log_expected_error, sample_overlaps
from .settings import RATIO_CLIP, ScaleSchedule
from .settle import is_settled, log_g_drift

VERDICTS = ("agrees", "diverges", "vanishes", "flat", "disagrees")
RESOLUTION_SE = 2.0  # a g is indistinguishable from the minimiser while its mean paired excess loss is under 2 standard errors
LOG_RATIO_CLIP = math.log(RATIO_CLIP)
# Adam's first-moment decay. The default 0.9 carries a run from below well past a flat optimum, from
# where the noisy gradient brings it back only slowly (measured at m = 1024, k = 16: runs from below
# peaked at g = 90 and ended at 74 against 71 from above; with 0.5 both end within 1.5% of each other).
ADAM_MOMENTUM = 0.5


# The memory and its noise -------------------------------------------------------------------------


def noise_probabilities(n: int, k_min: int, k_max: int | None = None) -> np.ndarray:
    """(n + 1,) probabilities of flipping k = 0..n bits: one k (k_max None) or k uniform over k_min..k_max."""
    k_max = k_min if k_max is None else k_max
    if not 0 <= k_min <= k_max <= n:
        raise ValueError(f"noise levels must satisfy 0 <= k_min <= k_max <= n = {n}, got {k_min}..{k_max}")
    probs = np.zeros(n + 1)
    probs[k_min : k_max + 1] = 1.0 / (k_max - k_min + 1)
    return probs


def _unit(x: Float[Array, "... n"]) -> Float[Array, "... n"]:
    return x / jnp.linalg.norm(x, axis=-1, keepdims=True)


@jax.jit
def log_read_error(log_g, stored: Float[Array, "m n"], values: Float[Array, "m v"], targets: Int[Array, " b"],
                   queries: Float[Array, "b n"], projection: Float[Array, "n n"] | None = None) -> Float[Array, " b"]:
    """log of the relative squared error ||read - v_t||² / ||v_t||² of the read softmax(g cos(W q, W p)) @ values,
    per query (W the identity when `projection` is None). The error is Σ_{ν≠t} w_ν (v_ν - v_t), computed
    from the non-target weights in log space with the largest one factored out, so it neither rounds to 0
    when the target's weight rounds to 1 nor underflows at large g: the loss keeps its slope there (k = 0)."""
    if projection is not None:
        stored, queries = stored @ projection.T, queries @ projection.T
    cos = _unit(queries) @ _unit(stored).T
    z = jnp.exp(log_g) * cos
    is_target = jnp.arange(stored.shape[0])[None, :] == targets[:, None]
    log_w = jnp.where(is_target, -jnp.inf, z - jax.nn.logsumexp(z, axis=-1, keepdims=True))
    top = jax.lax.stop_gradient(jnp.max(log_w, axis=-1, keepdims=True))
    u = jnp.exp(log_w - top)  # the non-target weights over the largest of them; the target's is 0
    target_values = values[targets]
    err = u @ values - jnp.sum(u, axis=-1, keepdims=True) * target_values
    return 2 * top[:, 0] + jnp.log(jnp.sum(err * err, axis=-1)) - jnp.log(jnp.sum(target_values * target_values, axis=-1))


def read_error(log_g, stored, values, targets, queries, projection=None) -> Float[Array, " b"]:
    """The relative squared error of each query's read (see `log_read_error`)."""
    return jnp.exp(log_read_error(log_g, stored, values, targets, queries, projection))


def _normalised_step(opt, errors_at, params, state):
    """One Adam step on a gradient that stays in range when the loss falls to e^-1000 (far below Adam's
    epsilon): the batch is split in halves A and B and the step follows ∇L_A / L_B + ∇L_B / L_A. Each
    half's loss is independent of the other half's draws, so the expected step still points along
    -∇E[L] and vanishes where it does. The ratios are clipped to e^±LOG_RATIO_CLIP: at large g the halves'
    losses differ by e^100s, and one such spike would inflate Adam's second moment for a thousand steps.
    Clipping changes the step only where the halves' losses differ by more than that factor (1000):
    at large g, where it favours the queries whose loss still falls with g; there the expected step is
    no longer exactly along -∇E[L] (a shallow optimum set by rare errors can be overshot).
    `errors_at(params)` gives the batch's per-query log errors.
    Returns the new params and state, and the log of the batch's mean loss."""

    def halves(p):
        e = errors_at(p).reshape(2, -1)
        log_half = jax.nn.logsumexp(e, axis=1) - jnp.log(e.shape[1])
        ratio = jax.lax.stop_gradient(jnp.clip(log_half - log_half[::-1], -LOG_RATIO_CLIP, LOG_RATIO_CLIP) - log_half)
        return jnp.sum(jnp.exp(log_half + ratio)), jax.nn.logsumexp(log_half) - jnp.log(2.0)

    (_, log_loss), grads = jax.value_and_grad(halves, has_aux=True)(params)
    updates, state = opt.update(grads, state, params)
    return optax.apply_updates(params, updates), state, log_loss


# Training g alone ---------------------------------------------------------------------------------


def _optimiser(schedule: ScaleSchedule) -> optax.GradientTransformation:
    """Adam, its rate decaying exponentially from lr to lr_end until the last `window` steps and constant
    there: log g then circles its optimum at a steady rate over the window, so that the window's mean is a
    Polyak average and its drift measures whether it still moves (a rate still falling would freeze log g
    wherever it happened to be and make any run look settled). Momentum ADAM_MOMENTUM, not Adam's 0.9."""
    decay = max(schedule.steps - schedule.window, 1)
    rate = optax.exponential_decay(schedule.lr, decay, schedule.lr_end / schedule.lr, end_value=schedule.lr_end)
    return optax.adam(rate, b1=ADAM_MOMENTUM)


def train_scales(key, law: MemoryLaw, probs: Float[Array, "r n1"], g0: Float[Array, " r"],
                 schedule: ScaleSchedule) -> tuple[np.ndarray, np.ndarray]:
    """Train log g alone for r runs on random memories of `law`'s size (run i: noise `probs[i]`, start
    `g0[i]`), each step on `batch` fresh queries, each with its memory, weighted by their importance
    weights. Every run draws its own queries (the key folded with its index).
    Returns (log g after every step (r, steps), log of the training loss of every step (r, steps))."""
    probs, log_g0 = jnp.asarray(probs), jnp.log(jnp.asarray(g0, dtype=jnp.float64))
    opt = _optimiser(schedule)
    keys = jax.vmap(lambda i: jax.random.split(jax.random.fold_in(key, i), schedule.steps))(jnp.arange(len(g0)))

    def one_run(log_g, p, run_keys):
        def step(carry, k):
            # one by one: each step evaluates its sample once (and its slope), so grouping by D would not pay
            groups = group_competitors(sample_overlaps(k, law, p, schedule.batch), law.n)
            log_g, state, log_loss = _normalised_step(opt, lambda lg: _weighted_log_error(lg, groups, law.n), *carry)
            return (log_g, state), (log_g, log_loss)

        _, (traj, losses) = jax.lax.scan(step, (log_g, opt.init(log_g)), run_keys)
        return traj, losses

    traj, losses = jax.jit(jax.vmap(one_run))(log_g0, probs, keys)
    return np.asarray(traj), np.asarray(losses)


class Settling(NamedTuple):
    g: np.ndarray  # exp of the mean log g over the last window (the learned g*)
    drift: np.ndarray  # mean log g over the window's second half minus over its first half (signed)
    spread: np.ndarray  # max - min of log g over the last window (the optimiser's jitter included)
    settled: np.ndarray  # |drift| < tol


def settle_summary(log_g: Float[Array, "... steps"], window: int, tol: float) -> Settling:
    """Settling measured on trajectories of log g over the last `window` steps: how far log g moved, as
    the mean over the window's second half minus the mean over its first half (a trend of slope s per
    step moves it by s window / 2; step-to-step jitter averages out), and the spread; settled when
    |drift| < tol (`settle.is_settled`, the criterion the Transformers' heads use too); g* the exp of the
    window's mean log g."""
    steps_first = np.moveaxis(np.asarray(log_g, dtype=float), -1, 0)
    tail = steps_first[-window:]
    return Settling(np.exp(tail.mean(0)), log_g_drift(steps_first, window), tail.max(0) - tail.min(0),
                    is_settled(steps_first, window, tol))


# The oracle: a grid scan with common random numbers ----------------------------------------------


class Scan(NamedTuple):
    grid: np.ndarray  # (points,) coarse log-spaced g
    loss: np.ndarray  # (r, points) log of the mean loss on the coarse grid
    fine_grid: np.ndarray  # (r, points) the fine grid around each coarse minimiser
    fine_loss: np.ndarray  # (r, points) log of the mean loss
    g: np.ndarray  # (r,) minimiser (parabolic refinement on the fine grid; the grid end at an edge)
    edge: np.ndarray  # (r,) -1: minimum at the lowest g (optimum -> 0), +1: at the highest (-> inf), 0: inside
    low: np.ndarray  # (r,) the scan's resolution: the lowest g it cannot tell from the minimiser (0: the grid's end)
    high: np.ndarray  # (r,) the highest such g (inf: the loss at the grid's top is indistinguishable too)


def _weighted_log_error(log_g, groups: Groups, n: int) -> Float[Array, " b"]:
    """log of each query's loss times its importance weight: their mean estimates the expected loss."""
    return log_expected_error(log_g, groups, n) + groups.log_weight


@functools.partial(jax.jit, static_argnums=2)
def _random_grid_loss(log_gs, groups: Groups, n: int):
    """log of the weighted mean loss of one batch of queries at each log g of `log_gs` (points,)."""

    def at(lg):
        e = _weighted_log_error(lg, groups, n)
        return jax.nn.logsumexp(e) - jnp.log(e.shape[0])

    return jax.lax.map(at, log_gs)


def _grid_loss(log_gs, stored, values, targets, queries, projection, batches: int):
    """log of the mean loss of each of `batches` equal batches of the queries, at each log g of `log_gs`
    (points, batches); every g on the same queries (common random numbers). Queries and keys are
    projected once, outside the loop over g (the identity for g alone: one compiled program serves both
    variants where the shapes agree)."""
    stored, queries = stored @ projection.T, queries @ projection.T

    def at(lg):
        e = log_read_error(lg, stored, values, targets, queries).reshape(batches, -1)
        return jax.nn.logsumexp(e, axis=1) - jnp.log(e.shape[1])

    return jax.lax.map(at, log_gs)


_grid_loss_jit = jax.jit(_grid_loss, static_argnums=6)


def _last_minimiser(loss: np.ndarray) -> int:
    """Index of the minimum, ties (a loss flat at its infimum) broken toward the largest g."""
    return int(len(loss) - 1 - np.argmin(loss[::-1]))


def _batch_mean(batch_loss: np.ndarray) -> np.ndarray:
    """log of the mean loss over all batches from the (points, batches) log batch means (equal batches)."""
    return np.logaddexp.reduce(batch_loss, axis=1) - math.log(batch_loss.shape[1])


def resolution(log_gs: np.ndarray, batch_loss: np.ndarray, best: int) -> tuple[float, float]:
    """The span of g around the grid point `best` whose loss the sample cannot tell from best's.

    `log_gs` (points,) increasing, `batch_loss` (points, batches) the log mean loss of each batch of
    queries (the same queries at every g). Per batch, the excess d_b(g) = loss_b(g) - loss_b(best) is
    paired (common random numbers), so its spread over batches measures the sampling error of the
    difference itself. Walking out from `best`, a g stays in the span while mean(d) <= RESOLUTION_SE
    standard errors of mean(d). Near a minimum mean(d) grows as the square of the distance δ in log g
    and its standard error as δ, so the bound is placed at δ · RESOLUTION_SE se / mean(d) of the first
    grid point outside (within the last grid step); it is 0 or inf where the span reaches an end of the
    grid. Returns (low, high) in g."""
    d = batch_loss - batch_loss[best]
    b = d.shape[1]
    mean = d.mean(1)
    se = d.std(1, ddof=1) / math.sqrt(b) if b > 1 else np.zeros_like(mean)

    def bound(step: int, beyond: float) -> float:
        i = best
        while 0 <= i + step < len(mean) and mean[i + step] <= RESOLUTION_SE * se[i + step]:
            i += step
        if not 0 <= i + step < len(mean):
            return beyond
        out = log_gs[i + step] - log_gs[best]
        reach = out * RESOLUTION_SE * se[i + step] / mean[i + step]
        return float(np.exp(log_gs[best] + np.clip(reach, *sorted((log_gs[i] - log_gs[best], out)))))

    return bound(-1, 0.0), bound(1, math.inf)


def refined_scan(loss_at, g_min: float, g_max: float, points: int) -> tuple:
    """Minimise a loss of g given as `loss_at(log_gs) -> (len(log_gs), batches)` log batch means (the same
    queries at every g; a 1-D result is one batch): `points` log-spaced g in [g_min, g_max], then `points`
    g spanning ±2 coarse steps around the coarse minimiser, refined by a parabola in log g through the
    fine grid's best three points. A minimum at an end of the coarse grid is reported as such (edge -1 or
    +1, g that end), not as an optimum. The resolution (`resolution`) is taken on both grids together.
    Returns (grid, loss, fine grid, fine loss, g, edge, low, high)."""
    grid = np.exp(np.linspace(math.log(g_min), math.log(g_max), points))
    step = math.log(g_max / g_min) / (points - 1)

    def batches_at(gs):
        out = np.asarray(loss_at(jnp.log(gs)), dtype=float)
        return out[:, None] if out.ndim == 1 else out

    coarse_b = batches_at(grid)
    loss = _batch_mean(coarse_b)
    i = _last_minimiser(loss)
    edge = -1 if i == 0 else (1 if i == points - 1 else 0)
    fine = np.exp(np.linspace(math.log(grid[i]) - 2 * step, math.log(grid[i]) + 2 * step, points))
    fine_b = batches_at(fine)
    fine_loss = _batch_mean(fine_b)
    g = grid[i] if edge else _parabola_minimiser(np.log(fine), fine_loss)
    inside = (fine >= g_min) & (fine <= g_max)
    both_g = np.concatenate([grid, fine[inside]])
    order = np.argsort(both_g, kind="stable")
    best = _last_minimiser(np.concatenate([loss, fine_loss[inside]])[order])
    low, high = resolution(np.log(both_g[order]), np.concatenate([coarse_b, fine_b[inside]])[order], best)
    return grid, loss, fine, fine_loss, g, edge, low, high


def scan_scales(key, law: MemoryLaw, probs: Float[Array, "r n1"], samples: int, g_min: float,
                g_max: float, points: int, batches: int = 8) -> Scan:
    """The expected loss of each noise distribution `probs[i]` on random memories of `law`'s size by
    `refined_scan`, on one sample of `samples` queries per distribution (the same keys for every
    distribution), drawn in `batches` equal batches (the resolution's) and kept for both grids."""
    rows = []
    for p in np.asarray(probs):
        sample = [group_competitors(sample_overlaps(jax.random.fold_in(key, b), law, p, samples // batches), law.n,
                                    by_d=law.m - 1 > 2 * law.n + 1) for b in range(batches)]
        rows.append(refined_scan(lambda lgs: jnp.stack([_random_grid_loss(lgs, ov, law.n) for ov in sample], 1),
                                 g_min, g_max, points))
    grid = rows[0][0]
    return Scan(grid, *(np.asarray([row[j] for row in rows]) for j in range(1, 8)))


def _parabola_minimiser(x: np.ndarray, y: np.ndarray) -> float:
    """exp of the vertex of the parabola through the three points around the smallest y (x the log g);
    the grid point itself when the minimum sits at an end of the fine grid."""
    i = _last_minimiser(y)
    if i in (0, len(y) - 1):
        return float(np.exp(x[i]))
    (x0, x1, x2), (y0, y1, y2) = x[i - 1 : i + 2], y[i - 1 : i + 2]
    denom = (x0 - x1) * (x0 - x2) * (x1 - x2)
    a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom
    b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom
    return float(np.exp(-b / (2 * a))) if a > 0 else float(np.exp(x1))


def scale_verdict(g: np.ndarray, drift: np.ndarray, settled: np.ndarray, scan_g: float, edge: int,
                  g_max: float, agreement: float, low: float = math.nan, high: float = math.nan) -> str:
    """One (memory, noise) point from its runs (learned g, signed drift, settled, one per start) and its
    scan (minimiser, edge, resolution [low, high]):

    - "agrees": every run settled, and their g agree with each other and with the scan's minimiser
      within the relative `agreement` (the scan's minimum inside the grid);
    - "diverges": the scan's minimum is at the top of the grid (the loss still falls as g grows) and
      every run either ended above the grid (`g_max`) or was still rising;
    - "vanishes": the same toward g -> 0;
    - "flat": the scan's minimum is inside the grid but its resolution reaches further than `agreement`
      from the minimiser (the sample cannot pin the optimum down that closely), and every run ended
      inside that resolution: the runs are consistent with the scan, but no g* is resolved;
    - "disagrees": anything else (reported as it is, never as a learned value)."""
    g, drift, settled = np.asarray(g), np.asarray(drift), np.asarray(settled)
    if edge == 1 and np.all((g > g_max) | (drift > 0) & ~settled):
        return "diverges"
    if edge == -1 and np.all((drift < 0) & ~settled):
        return "vanishes"
    close = lambda a, b: abs(a / b - 1.0) <= agreement  # noqa: E731
    if edge == 0 and np.all(settled) and close(g.max(), g.min()) and all(close(x, scan_g) for x in g):
        return "agrees"
    if edge == 0 and (low < scan_g * (1 - agreement) or high > scan_g * (1 + agreement)) and np.all((g >= low) & (g <= high)):
        return "flat"
    return "disagrees"


# The second variant: g with a learned projection, on real images ---------------------------------


def digit_patterns(images: Float[Array, "m n"]) -> np.ndarray:
    """Images as unit vectors after removing the mean image: the raw 8x8 digits share a large common
    component (most pairs have cosines well above 0.5), which centring removes so that cosine tells
    images apart."""
    x = np.asarray(images, dtype=np.float64)
    x = x - x.mean(axis=0, keepdims=True)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@functools.partial(jax.jit, static_argnums=3)
def sample_rotated_queries(key, patterns: Float[Array, "m n"], cos: float, batch: int):
    """`batch` uniformly drawn targets and their queries: unit vectors at exactly cosine `cos` from the target."""
    kt, kr = jax.random.split(key)
    targets = jax.random.randint(kt, (batch,), 0, patterns.shape[0])
    return targets, _rotate(kr, patterns[targets], jnp.full((batch,), cos))


def train_projected_scale(key, patterns: Float[Array, "m n"], cos: float, g0: Float[Array, " r"],
                          learn_projection: Bool[Array, " r"], schedule: ScaleSchedule):
    """Train log g, and where `learn_projection[i]` a projection W (n x n, from the identity) of queries and
    keys, for r runs (start g0[i]) in one jitted call: logits g cos(W q, W p), values the clean patterns,
    queries at cosine `cos` from their target, the same queries for every run.
    Returns (log g (r, steps), log loss (r, steps), final W (r, n, n))."""
    patterns = jnp.asarray(patterns)
    n = patterns.shape[1]
    opt = _optimiser(schedule)
    keys = jax.random.split(key, schedule.steps)

    def one_run(log_g, learn):
        params = {"log_g": log_g, "w": jnp.eye(n)}

        def step(carry, k):
            targets, queries = sample_rotated_queries(k, patterns, cos, schedule.batch)

            def errors_at(p):
                w = jnp.where(learn, p["w"], jax.lax.stop_gradient(p["w"]))
                return log_read_error(p["log_g"], patterns, patterns, targets, queries, w)

            params, state, log_loss = _normalised_step(opt, errors_at, *carry)
            return (params, state), (params["log_g"], log_loss)

        (params, _), (traj, losses) = jax.lax.scan(step, (params, opt.init(params)), keys)
        return traj, losses, params["w"]

    log_g0 = jnp.log(jnp.asarray(g0, dtype=jnp.float64))
    traj, losses, w = jax.jit(jax.vmap(one_run))(log_g0, jnp.asarray(learn_projection, dtype=bool))
    return np.asarray(traj), np.asarray(losses), np.asarray(w)


def scan_projected(key, patterns: Float[Array, "m n"], cos: float, projection: Float[Array, "n n"],
                   samples: int, g_min: float, g_max: float, points: int, batches: int = 8) -> tuple:
    """`refined_scan` of the loss at a fixed projection (the identity for g alone), one sample of queries
    for every g, split into `batches` for the resolution."""
    patterns = jnp.asarray(patterns)
    targets, queries = sample_rotated_queries(key, patterns, cos, samples)
    pj = jnp.asarray(projection)
    return refined_scan(lambda lgs: _grid_loss_jit(lgs, patterns, patterns, targets, queries, pj, batches), g_min, g_max, points)
