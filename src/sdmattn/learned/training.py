"""Training the QK-norm Transformer on a generated task and recording the softmax scales g it learns.

One jitted function runs `log_every` optimiser steps under `lax.scan`; a Python loop over those
chunks records g and drives the progress bar, so per-step cost carries no Python overhead. g is
trained in log space with its own learning rate (optax.multi_transform): with the network's rate it
barely moves in a short run.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
import xarray as xr

from .._progress import progress
from .qknorm import QKNormTransformer
from .settings import TrainSettings
from .settle import is_settled
from .tasks import make_batch, sequence_length


@dataclass
class TrainConfig(TrainSettings):
    """One training run: the task, the seed and g's initial value, plus the shared settings."""

    task: str = "recall"
    seed: int = 0
    g_init: float = 5.0
    eval_batches: int = 8


class TrainResult(NamedTuple):
    scales: np.ndarray  # (layers, heads or 1): learned g
    checkpoints: np.ndarray  # (checkpoints,): step of each recorded g
    trajectory: np.ndarray  # (checkpoints, layers, heads or 1)
    loss: float  # final training loss (mean of the last chunk)
    accuracy: float  # on fresh evaluation batches
    chance: float  # accuracy of uniform guessing among the task's possible answers
    settled: np.ndarray  # (layers, heads or 1): each head's log g drifted less than tol over the last window
    steps: int  # steps trained (the cap, or fewer when every head settled first)
    wall_s: float


def _loss(model, batch):
    logits = jax.vmap(model)(batch.tokens)
    ce = optax.softmax_cross_entropy_with_integer_labels(logits, batch.targets)
    correct = jnp.argmax(logits, -1) == batch.targets
    w = batch.mask.astype(logits.dtype)
    return jnp.sum(ce * w) / jnp.sum(w), jnp.sum(correct * w) / jnp.sum(w)


def train(cfg: TrainConfig) -> TrainResult:
    """Train one model; deterministic for a given config on CPU (a progress bar counts its chunks of steps)."""
    if cfg.steps % cfg.log_every:
        raise ValueError(f"steps ({cfg.steps}) must be a multiple of log_every ({cfg.log_every})")
    start = time.perf_counter()
    key = jax.random.PRNGKey(cfg.seed)
    kmodel, kdata, keval = jax.random.split(key, 3)
    task = dict(pairs=cfg.pairs, key_len=cfg.key_len, queries=cfg.queries, corrupt=cfg.corrupt)
    seq = sequence_length(cfg.task, cfg.vocab, **task)
    model = QKNormTransformer(cfg.vocab, seq, layers=cfg.layers, heads=cfg.heads, head_dim=cfg.head_dim,
                              width=cfg.width, mlp=cfg.mlp, g_init=cfg.g_init, per_head=cfg.per_head, key=kmodel)
    params, static = eqx.partition(model, eqx.is_array)
    labels = jax.tree_util.tree_map_with_path(
        lambda path, _: "g" if any(getattr(p, "name", None) == "log_g" for p in path) else "rest", params)
    warm = max(1, min(cfg.warmup, cfg.steps - 1))  # a cosine needs steps beyond the warm-up
    g_rate = optax.linear_schedule(cfg.lr_g / warm, cfg.lr_g, warm)  # then constant: g stops only where its gradient balances
    net_rate = optax.warmup_cosine_decay_schedule(cfg.lr / warm, cfg.lr, warm, cfg.steps, cfg.lr * cfg.lr_floor)
    opt = optax.multi_transform({"g": optax.adam(g_rate), "rest": optax.adamw(net_rate)}, lambda _: labels)
    state = opt.init(params)

    @jax.jit
    def chunk(params, state, keys):
        def step(carry, k):
            params, state = carry
            batch = make_batch(cfg.task, k, cfg.batch, cfg.vocab, **task)
            (loss, _), grads = jax.value_and_grad(lambda p: _loss(eqx.combine(p, static), batch), has_aux=True)(params)
            updates, state = opt.update(grads, state, params)
            params = optax.apply_updates(params, updates)
            return (params, state), (loss, jnp.log(eqx.combine(params, static).scales()))

        (params, state), (losses, log_g) = jax.lax.scan(step, (params, state), keys)
        return params, state, losses.mean(), log_g

    chunks = cfg.steps // cfg.log_every
    # stop once every head has passed the settling test at every check over the last window (one pass
    # could be luck: the test is repeated after every chunk)
    patience = -(-cfg.window // cfg.log_every) + 1
    trajectory, loss, passed = [], float("nan"), []
    recent = np.empty((0,) + model.scales().shape)  # log g of the last `window` steps: all the settling test reads
    for i in progress(range(chunks), desc=f"train {cfg.task} seed {cfg.seed} g0 {cfg.g_init:g}", unit="chunk"):
        keys = jax.random.split(jax.random.fold_in(kdata, i), cfg.log_every)
        params, state, loss, steps_log_g = chunk(params, state, keys)
        recent = np.concatenate([recent, np.asarray(steps_log_g)])[-cfg.window:]
        trajectory.append(np.asarray(eqx.combine(params, static).scales()))
        after_warmup = (i + 1) * cfg.log_every >= cfg.warmup + cfg.window
        passed.append(after_warmup and bool(is_settled(recent, cfg.window, cfg.tol).all()))
        if len(passed) >= patience and all(passed[-patience:]):
            break
    done = len(trajectory) * cfg.log_every
    settled = is_settled(recent, cfg.window, cfg.tol)
    model = eqx.combine(params, static)
    accuracy = eqx.filter_jit(lambda m, k: _loss(m, make_batch(cfg.task, k, cfg.batch, cfg.vocab, **task))[1])
    accs = [float(accuracy(model, k)) for k in jax.random.split(keval, cfg.eval_batches)]
    traj = np.stack(trajectory)
    chance = 2.0 / cfg.vocab if cfg.task == "recall" else 1.0 / cfg.vocab
    return TrainResult(traj[-1], cfg.log_every * np.arange(1, len(trajectory) + 1), traj, float(loss),
                       float(np.mean(accs)), chance, settled, done, time.perf_counter() - start)


def run_dataset(cfg: TrainConfig, result: TrainResult) -> xr.Dataset:
    """One run as a labelled table: learned g over (layer, head), its trajectory, and the scores."""
    dims = ("layer", "head")
    return xr.Dataset(
        {
            "g": (dims, result.scales, {"long_name": "learned softmax scale g (the learned β)"}),
            "g_trajectory": (("checkpoint",) + dims, result.trajectory),
            "settled": (dims, result.settled.astype(np.int8), {"long_name": "log g drifted < tol over the last window"}),
        },
        coords={"checkpoint": result.checkpoints, "layer": np.arange(cfg.layers), "head": np.arange(result.scales.shape[1])},
        attrs={**{k: (int(v) if isinstance(v, bool) else v) for k, v in asdict(cfg).items()},
               "loss": result.loss, "accuracy": result.accuracy, "chance": result.chance,
               "steps_trained": result.steps},  # no wall time: tables are byte-reproducible (it is logged)
    )
