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
    settled: bool  # log g moved less than 0.05 over the last fifth of training
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
    seq = sequence_length(cfg.task, cfg.vocab)
    model = QKNormTransformer(cfg.vocab, seq, layers=cfg.layers, heads=cfg.heads, head_dim=cfg.head_dim,
                              width=cfg.width, mlp=cfg.mlp, g_init=cfg.g_init, per_head=cfg.per_head, key=kmodel)
    params, static = eqx.partition(model, eqx.is_array)
    labels = jax.tree_util.tree_map_with_path(
        lambda path, _: "g" if any(getattr(p, "name", None) == "log_g" for p in path) else "rest", params)
    opt = optax.multi_transform({"g": optax.adam(cfg.lr_g), "rest": optax.adamw(cfg.lr)}, lambda _: labels)
    state = opt.init(params)

    @jax.jit
    def chunk(params, state, keys):
        def step(carry, k):
            params, state = carry
            batch = make_batch(cfg.task, k, cfg.batch, cfg.vocab)
            (loss, _), grads = jax.value_and_grad(lambda p: _loss(eqx.combine(p, static), batch), has_aux=True)(params)
            updates, state = opt.update(grads, state, params)
            return (optax.apply_updates(params, updates), state), loss

        (params, state), losses = jax.lax.scan(step, (params, state), keys)
        return params, state, losses.mean()

    chunks = cfg.steps // cfg.log_every
    trajectory, loss = [], float("nan")
    for i in progress(range(chunks), desc=f"train {cfg.task} seed {cfg.seed} g0 {cfg.g_init:g}", unit="chunk"):
        keys = jax.random.split(jax.random.fold_in(kdata, i), cfg.log_every)
        params, state, loss = chunk(params, state, keys)
        trajectory.append(np.asarray(eqx.combine(params, static).scales()))
    model = eqx.combine(params, static)
    accuracy = eqx.filter_jit(lambda m, k: _loss(m, make_batch(cfg.task, k, cfg.batch, cfg.vocab))[1])
    accs = [float(accuracy(model, k)) for k in jax.random.split(keval, cfg.eval_batches)]
    traj = np.stack(trajectory)
    tail = traj[-max(1, chunks // 5) - 1 :]
    settled = bool(np.all(np.abs(np.log(tail) - np.log(tail[-1])) < 0.05))
    chance = 2.0 / cfg.vocab if cfg.task == "recall" else 1.0 / cfg.vocab
    return TrainResult(traj[-1], cfg.log_every * np.arange(1, chunks + 1), traj, float(loss),
                       float(np.mean(accs)), chance, settled, time.perf_counter() - start)


def run_dataset(cfg: TrainConfig, result: TrainResult) -> xr.Dataset:
    """One run as a labelled table: learned g over (layer, head), its trajectory, and the scores."""
    dims = ("layer", "head")
    return xr.Dataset(
        {
            "g": (dims, result.scales, {"long_name": "learned softmax scale g (the learned β)"}),
            "g_trajectory": (("checkpoint",) + dims, result.trajectory),
        },
        coords={"checkpoint": result.checkpoints, "layer": np.arange(cfg.layers), "head": np.arange(result.scales.shape[1])},
        attrs={**{k: (int(v) if isinstance(v, bool) else v) for k, v in asdict(cfg).items()},
               "loss": result.loss, "accuracy": result.accuracy, "chance": result.chance,
               "settled": int(result.settled)},  # no wall time: tables are byte-reproducible (it is logged)
    )
