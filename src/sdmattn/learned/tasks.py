"""Sequence tasks for the learned-β models, generated on the fly from a seed (no downloads).

Each task returns a batch of token sequences `(tokens, targets, mask)`: the model reads `tokens`
and is scored on predicting `targets` where `mask` is true. All are in-context problems, so attention
must find the right earlier position:

- `recall`: associative recall with noisy query keys (the SDM setting): key/value pairs, then
  several queries, each a stored key with one of its tokens corrupted; predict that key's value;
- `induction`: a random sequence followed by its repeat; predict each repeated token;
- `completion`: a random motif repeated with a random period; predict the continuation.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jaxtyping import Array, Bool, Int

from .settings import TASKS


class Batch(NamedTuple):
    tokens: Int[Array, "batch seq"]
    targets: Int[Array, "batch seq"]
    mask: Bool[Array, "batch seq"]


def sequence_length(task: str, vocab: int, pairs: int = 4, key_len: int = 3, queries: int = 4, length: int = 24) -> int:
    """The sequence length a task produces (static, for model set-up)."""
    if task == "recall":
        return (pairs + queries) * (key_len + 1)
    return length


def make_batch(task: str, key: jax.Array, batch: int, vocab: int, *, pairs: int = 4, key_len: int = 3,
               queries: int = 4, length: int = 24) -> Batch:
    """A batch of one task. `vocab` is the token alphabet size (>= 8)."""
    if task == "recall":
        return _recall(key, batch, vocab, pairs, key_len, queries)
    if task == "induction":
        half = length // 2
        seq = jax.random.randint(key, (batch, half), 0, vocab)
        tokens = jnp.concatenate([seq, seq], axis=1)
        return _next_token(tokens, start=half)
    if task == "completion":
        k1, k2 = jax.random.split(key)
        period = jax.random.randint(k1, (batch, 1), 2, 6)
        motif = jax.random.randint(k2, (batch, 8), 0, vocab)
        pos = jnp.arange(length)[None, :]
        tokens = jnp.take_along_axis(motif, pos % period, axis=1)
        return _next_token(tokens, start=6)  # the longest period has been seen once by then
    raise ValueError(f"task must be one of {TASKS}, got {task!r}")


def _next_token(tokens, start: int) -> Batch:
    """Next-token prediction scored from position `start - 1` on (predicting token `start` onwards)."""
    targets = jnp.roll(tokens, -1, axis=1)
    pos = jnp.arange(tokens.shape[1])[None, :]
    mask = (pos >= start - 1) & (pos < tokens.shape[1] - 1)
    return Batch(tokens, targets, jnp.broadcast_to(mask, tokens.shape))


def _recall(key, batch, vocab, pairs, key_len, queries) -> Batch:
    half = vocab // 2  # keys use tokens [0, half), values [half, vocab)
    kk, kv, kq, kp, kn = jax.random.split(key, 5)
    keys = jax.random.randint(kk, (batch, pairs, key_len), 0, half)
    values = jax.random.randint(kv, (batch, pairs, 1), half, vocab)
    which = jax.random.randint(kq, (batch, queries), 0, pairs)
    qkeys = jnp.take_along_axis(keys, which[:, :, None], axis=1)
    slot = jax.random.randint(kp, (batch, queries, 1), 0, key_len)
    noise = jax.random.randint(kn, (batch, queries, 1), 0, half)
    qkeys = jnp.where(jnp.arange(key_len)[None, None, :] == slot, noise, qkeys)  # one corrupted token
    answers = jnp.take_along_axis(values, which[:, :, None], axis=1)
    stored = jnp.concatenate([keys, values], axis=2).reshape(batch, -1)
    asked = jnp.concatenate([qkeys, answers], axis=2).reshape(batch, -1)
    tokens = jnp.concatenate([stored, asked], axis=1)
    targets = jnp.roll(tokens, -1, axis=1)
    pos = jnp.arange(tokens.shape[1])
    block = key_len + 1
    is_answer_next = (pos >= pairs * block) & (pos % block == key_len - 1)  # last key token predicts the value
    return Batch(tokens, targets, jnp.broadcast_to(is_answer_next[None, :], tokens.shape))
