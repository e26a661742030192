"""A small query-key-normalised Transformer (Henry et al. 2020) in equinox.

Queries and keys are L2-normalised per head and the logits are g · cos(q, k) with a learnable scale
g = exp(log g) > 0, one per layer or one per head. Those g are the learned β's the paper compares
with SDM's optimal β*. Pre-layer-norm decoder, causal attention, learned positions.
"""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, Int


class QKNormAttention(eqx.Module):
    wq: eqx.nn.Linear
    wk: eqx.nn.Linear
    wv: eqx.nn.Linear
    wo: eqx.nn.Linear
    log_g: Float[Array, " g"]  # one entry per layer (shape (1,)) or per head (shape (heads,))
    heads: int = eqx.field(static=True)

    def __init__(self, width: int, heads: int, head_dim: int, g_init: float, per_head: bool, *, key):
        kq, kk, kv, ko = jax.random.split(key, 4)
        inner = heads * head_dim
        self.wq = eqx.nn.Linear(width, inner, use_bias=False, key=kq)
        self.wk = eqx.nn.Linear(width, inner, use_bias=False, key=kk)
        self.wv = eqx.nn.Linear(width, inner, use_bias=False, key=kv)
        self.wo = eqx.nn.Linear(inner, width, use_bias=False, key=ko)
        # a concrete dtype, not a weakly typed Python float: the trained log g is concrete, and a weak type
        # at the start would make the training step compile again after its first chunk
        self.log_g = jnp.full((heads if per_head else 1,), jnp.log(g_init), dtype=self.wq.weight.dtype)
        self.heads = heads

    def __call__(self, x: Float[Array, "seq width"]) -> Float[Array, "seq width"]:
        seq = x.shape[0]
        split = lambda w: jax.vmap(w)(x).reshape(seq, self.heads, -1)  # noqa: E731
        q, k, v = split(self.wq), split(self.wk), split(self.wv)
        unit = lambda t: t / (jnp.linalg.norm(t, axis=-1, keepdims=True) + 1e-6)  # noqa: E731
        cos = jnp.einsum("qhd,khd->hqk", unit(q), unit(k))
        g = jnp.broadcast_to(jnp.exp(self.log_g), (self.heads,))
        causal = jnp.tril(jnp.ones((seq, seq), bool))
        logits = jnp.where(causal, g[:, None, None] * cos, -jnp.inf)
        out = jnp.einsum("hqk,khd->qhd", jax.nn.softmax(logits, axis=-1), v).reshape(seq, -1)
        return jax.vmap(self.wo)(out)


class Block(eqx.Module):
    ln1: eqx.nn.LayerNorm
    attn: QKNormAttention
    ln2: eqx.nn.LayerNorm
    mlp: eqx.nn.MLP

    def __init__(self, width, heads, head_dim, mlp, g_init, per_head, *, key):
        ka, km = jax.random.split(key)
        self.ln1, self.ln2 = eqx.nn.LayerNorm(width), eqx.nn.LayerNorm(width)
        self.attn = QKNormAttention(width, heads, head_dim, g_init, per_head, key=ka)
        self.mlp = eqx.nn.MLP(width, width, mlp, 1, activation=jax.nn.gelu, key=km)

    def __call__(self, x):
        x = x + self.attn(jax.vmap(self.ln1)(x))
        return x + jax.vmap(self.mlp)(jax.vmap(self.ln2)(x))


class QKNormTransformer(eqx.Module):
    """Token + position embeddings, `layers` QK-norm blocks, a final norm and an unembedding."""

    embed: eqx.nn.Embedding
    pos: Float[Array, "seq width"]
    blocks: list[Block]
    ln: eqx.nn.LayerNorm
    head: eqx.nn.Linear

    def __init__(self, vocab: int, seq: int, *, layers: int = 2, heads: int = 2, head_dim: int = 64,
                 width: int = 128, mlp: int = 256, g_init: float = 5.0, per_head: bool = True, key):
        keys = jax.random.split(key, layers + 3)
        self.embed = eqx.nn.Embedding(vocab, width, key=keys[0])
        self.pos = 0.02 * jax.random.normal(keys[1], (seq, width))
        self.blocks = [Block(width, heads, head_dim, mlp, g_init, per_head, key=k) for k in keys[3:]]
        self.ln = eqx.nn.LayerNorm(width)
        self.head = eqx.nn.Linear(width, vocab, key=keys[2])

    def __call__(self, tokens: Int[Array, " seq"]) -> Float[Array, "seq vocab"]:
        x = jax.vmap(self.embed)(tokens) + self.pos[: tokens.shape[0]]
        for block in self.blocks:
            x = block(x)
        return jax.vmap(self.head)(jax.vmap(self.ln)(x))

    def scales(self) -> Float[Array, "layers g"]:
        """The learned g of every layer (and head, when per head)."""
        return jnp.stack([jnp.exp(b.attn.log_g) for b in self.blocks])
