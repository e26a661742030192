"""Iterated reads: a noisy query is read, the output read again, until it stops moving (spec section 8).

`recall(memory, queries)` works for every memory with a `read` (`NeuronSDM` and the pattern-view
memories): the whole batch iterates inside one jitted `lax.while_loop`, and each query stops on its
own as soon as one read leaves it in place —

- binary: no bit changes;
- continuous: no element moves by more than `tolerance` (0.05); the last read is kept;

or after `max_steps` reads (100). A stopped query is not read again, so a memory that samples its
neurons at every read (finite-neuron SDM) cannot drift away from where it stopped.
`recall_cosine` is the experiments' metric: the cosine between the converged query and its target
(for bits, of the bipolar vectors: 1 - 2 Hamming / n).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Float, Int

from .._checks import as_int_array, as_real
from .neuron_sdm import XLA_OPTIONS, ActiveOverflow
from .pattern_memory import _check_bits, _check_units


class Recall(NamedTuple):
    """The converged queries, the reads each took, and whether it stopped before `max_steps`."""

    queries: Array
    steps: Int[Array, " q"]
    converged: Bool[Array, " q"]


@functools.partial(jax.jit, static_argnames=("step", "static", "binary", "max_steps"), compiler_options=XLA_OPTIONS)
def _iterate(step, static, operands, x0, key, binary: bool, max_steps: int, tolerance):
    def cond(state):
        _, _, active, _, i = state
        return (i < max_steps) & jnp.any(active)

    def body(state):
        x, steps, active, ok, i = state
        new, ok_now = step(static, operands, x, jax.random.fold_in(key, i), active)
        moved = jnp.any(new != x, axis=1) if binary else jnp.max(jnp.abs(new - x), axis=1) > tolerance
        x = jnp.where(active[:, None], new, x)
        return x, steps + active, active & moved, ok & ok_now, i + 1

    q = x0.shape[0]
    start = (x0, jnp.zeros(q, jnp.int32), jnp.ones(q, bool), jnp.bool_(True), jnp.int32(0))
    x, steps, active, ok, _ = jax.lax.while_loop(cond, body, start)
    return x, steps, ~active, ok


def recall(memory, queries, key=None, *, max_steps: int = 100, tolerance: float = 0.05) -> Recall:
    """Read each query again and again until it converges (see the module docstring).

    **Arguments:** a memory (`NeuronSDM` or a pattern-view memory), `queries` (bool rows for binary
    memories, unit rows for continuous ones), `key` (needed by finite-neuron sampling), `max_steps`,
    `tolerance` (continuous only). **Returns:** a `Recall`.
    """
    max_steps = int(as_int_array("max_steps", max_steps, lo=1, scalar=True))
    tolerance = as_real("tolerance", tolerance, lo=0.0, open_lo=True)
    binary = memory.kind == "binary"
    x0 = _check_bits("queries", queries, memory.n) if binary else _check_units("queries", queries, memory.n)
    if getattr(memory, "sample", False) and key is None:
        raise ValueError(f"{memory.label} samples its neurons at every read: pass a key")
    step, static, operands = memory._reader()
    key = jax.random.key(0) if key is None else key
    x, steps, converged, ok = _iterate(step, static, operands, x0, key, binary, max_steps, tolerance)
    if not bool(ok):
        raise ActiveOverflow(f"a query activated more than bound={memory.bound} neurons during recall")
    return Recall(x, steps, converged)


def recall_cosine(x: Array, target: Array) -> Float[np.ndarray, " q"]:
    """Cosine between each converged query and its target: bool rows as bipolar vectors
    (1 - 2 Hamming / n), real rows as they are (both unit length in the experiments)."""
    x, target = np.asarray(x), np.asarray(target)
    if x.shape != target.shape or x.ndim != 2:
        raise ValueError(f"x and target must be 2-D arrays of one shape, got {x.shape} and {target.shape}")
    if x.dtype == bool:
        return 1.0 - 2.0 * np.mean(x != target, axis=1)
    return np.sum(x * target, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(target, axis=1))


__all__ = ["Recall", "recall", "recall_cosine"]
