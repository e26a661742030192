"""Sequence tasks for the learned-β models, generated on the fly from a seed (no downloads).

Each task returns a batch of token sequences `(tokens, targets, mask)`: the model reads `tokens`
and is scored on predicting `targets` where `mask` is true. All are in-context problems, so attention
must find the right earlier position:

- `recall`: associative recall with noisy query keys (the SDM setting): key/value pairs (keys that
  differ in every token), then several queries, each a stored key whose tokens are each replaced by a
  random key token with probability `corrupt`; predict that key's value. The corruption is
  irreducible noise: the best answer weighs the stored keys by how well they match, so a sharper
  attention is not always better;
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


def sequence_length(task: str, vocab: int, pairs: int = 4, key_len: int = 3, queries: int = 4, length: int = 24,
                    **_) -> int:
    """The sequence length a task produces (static, for model set-up)."""
    if task == "recall":
        return (pairs + queries) * (key_len + 1)
    return length


def make_batch(task: str, key: jax.Array, batch: int, vocab: int, *, pairs: int = 4, key_len: int = 3,
               queries: int = 4, corrupt: float = 0.1, length: int = 24) -> Batch:
    """A batch of one task. `vocab` is the token alphabet size (>= 8; recall needs vocab/2 >= pairs)."""
    if task == "recall":
        if vocab // 2 < pairs:
            raise ValueError(f"recall needs vocab // 2 >= pairs (distinct key tokens), got vocab {vocab}, pairs {pairs}")
        return _recall(key, batch, vocab, pairs, key_len, queries, corrupt)
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


def corrupt_keys(key: jax.Array, keys: Int[Array, "*shape"], half: int, p: float) -> Int[Array, "*shape"]:
    """Each token replaced, independently with probability `p`, by a uniform token of [0, half) (which may
    equal the original)."""
    kflip, knoise = jax.random.split(key)
    flip = jax.random.bernoulli(kflip, p, keys.shape)
    return jnp.where(flip, jax.random.randint(knoise, keys.shape, 0, half), keys)


def _recall(key, batch, vocab, pairs, key_len, queries, corrupt) -> Batch:
    half = vocab // 2  # keys use tokens [0, half), values [half, vocab)
    kk, kv, kq, kn = jax.random.split(key, 4)
    # per key position, distinct tokens across the pairs: two stored keys differ in every token
    order = jnp.argsort(jax.random.uniform(kk, (batch, key_len, half)), axis=-1)[:, :, :pairs]
    keys = jnp.swapaxes(order, 1, 2)  # (batch, pairs, key_len)
    values = jax.random.randint(kv, (batch, pairs, 1), half, vocab)
    which = jax.random.randint(kq, (batch, queries), 0, pairs)
    qkeys = corrupt_keys(kn, jnp.take_along_axis(keys, which[:, :, None], axis=1), half, corrupt)
    answers = jnp.take_along_axis(values, which[:, :, None], axis=1)
    stored = jnp.concatenate([keys, values], axis=2).reshape(batch, -1)
    asked = jnp.concatenate([qkeys, answers], axis=2).reshape(batch, -1)
    tokens = jnp.concatenate([stored, asked], axis=1)
    targets = jnp.roll(tokens, -1, axis=1)
    pos = jnp.arange(tokens.shape[1])
    block = key_len + 1
    is_answer_next = (pos >= pairs * block) & (pos % block == key_len - 1)  # last key token predicts the value
    return Batch(tokens, targets, jnp.broadcast_to(is_answer_next[None, :], tokens.shape))
