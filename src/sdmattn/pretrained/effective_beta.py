"""Effective β of the attention heads of a pre-trained encoder, per text, layer and head.

The paper's GPT-2 check: a head's effective β is its largest pre-softmax logit for one query,
max_j q·k_j/sqrt(d_head). Writing q·k_j/sqrt(d_head) = s_j cos(q, k_j) with s_j = |q||k_j|/sqrt(d_head)
shows it as a softmax(β cos) whose β is the scale of the best-matching key. For each text this
module takes two queries: the last token's (in BERT the closing [SEP] token, the analogue of GPT-2's
last-token query) and the last word token's (a content token), and records per layer and head:

- `beta`: max_j q·k_j/sqrt(d_head) (the effective β) and `argmax_key`, the key that attains it;
- `q_norm`, `k_norm` (|k_j| averaged over the keys), `cos_max` = max_j cos(q, k_j);
- `scale` = |q| mean_j|k_j| / sqrt(d_head) (the head's effective scale on cosines) and
  `beta_cos` = cos_max × scale (β had every key the mean norm);
- `weight_first`, `weight_last`: the attention weight on [CLS] and [SEP] (attention sinks).

`effective_beta_dataset` runs the encoder on every text and labels the result (text, layer, head,
query); `head_statistics` computes the statistics of one encoded text.

A causal decoder (`decoder_beta_dataset`, the paper's own setting) is read at its last token only,
as GPT-2 was, over two key sets (`KEY_SETS`): every key, and every key but the first token's, which
decoders use as an attention sink. Its table also holds each text's log-likelihood under the model,
from which its perplexity follows.
"""

from __future__ import annotations

import re

import numpy as np
import xarray as xr
from jaxtyping import Float, Int

from .encoder import Encoder, Encoding, encode, tokenize

QUERIES = ("last", "content")
KEY_SETS = {"all": 0, "no_first": 1}  # a decoder's key sets: name -> first key position
STATISTICS = {
    "beta": "effective β: max over keys of q·k/sqrt(d_head)",
    "argmax_key": "position of the key with the largest logit (0 is the first token: [CLS] in BERT)",
    "q_norm": "|q|",
    "k_norm": "mean over keys of |k|",
    "cos_max": "max over keys of cos(q, k)",
    "scale": "effective scale |q| mean|k| / sqrt(d_head)",
    "beta_cos": "cos_max × scale",
    "weight_first": "attention weight on the first token ([CLS] in BERT)",
    "weight_last": "attention weight on the last token ([SEP] in BERT; the query itself in a decoder)",
}
_WORD = re.compile(r"[A-Za-z0-9]")


def content_position(encoder: Encoder, ids: Int[np.ndarray, " t"]) -> int:
    """The last position before the closing special token whose token is a word piece (not
    punctuation); a `ValueError` when the text has none."""
    for pos in range(len(ids) - 2, 0, -1):
        token = encoder.tokenizer.id_to_token(int(ids[pos]))
        if _WORD.search(token) and not (token.startswith("[") and token.endswith("]")):
            return pos
    raise ValueError("the text has no word token between [CLS] and [SEP]")


def head_statistics(enc: Encoding, positions: list[int], first_key: int = 0) -> dict[str, Float[np.ndarray, "layers heads queries"]]:
    """The `STATISTICS` of every layer and head for the queries at `positions`, over the keys from
    position `first_key` on (1: without the first token, a decoder's attention sink); `argmax_key`
    counts positions from 0 all the same, and the attention weights are the model's own."""
    dh = enc.queries.shape[-1]
    q = enc.queries[:, :, positions, :]  # layers heads p dh
    keys = enc.keys[:, :, first_key:]
    logits = np.einsum("lhpd,lhtd->lhpt", q, keys) / np.sqrt(dh)
    q_norm = np.linalg.norm(q, axis=-1)
    k_norms = np.linalg.norm(keys, axis=-1)  # layers heads t
    cos = logits * np.sqrt(dh) / (q_norm[..., None] * k_norms[:, :, None, :])
    scale = q_norm * k_norms.mean(axis=-1)[..., None] / np.sqrt(dh)
    weights = enc.attention[:, :, positions, :]
    return {
        "beta": logits.max(axis=-1),
        "argmax_key": logits.argmax(axis=-1) + first_key,
        "q_norm": q_norm,
        "k_norm": np.broadcast_to(k_norms.mean(axis=-1)[..., None], q_norm.shape),
        "cos_max": cos.max(axis=-1),
        "scale": scale,
        "beta_cos": cos.max(axis=-1) * scale,
        "weight_first": weights[..., 0],
        "weight_last": weights[..., -1],
    }


def effective_beta_dataset(encoder: Encoder, texts: list[str], max_tokens: int, model: str) -> xr.Dataset:
    """Per (text, layer, head, query) statistics of one encoder over `texts` (each cut to
    `max_tokens` tokens), with the token counts and query positions per text."""
    if not texts:
        raise ValueError("no texts to measure")
    rows, tokens, where = [], [], []
    for text in texts:
        ids = tokenize(encoder, text, max_tokens)
        positions = [len(ids) - 1, content_position(encoder, ids)]
        rows.append(head_statistics(encode(encoder, ids), positions))
        tokens.append(len(ids))
        where.append(positions)
    s = encoder.shape
    dims = ("text", "layer", "head", "query")
    data = {k: (dims, np.stack([r[k] for r in rows]), {"long_name": v}) for k, v in STATISTICS.items()}
    data["tokens"] = ("text", np.asarray(tokens), {"long_name": "tokens including [CLS] and [SEP]"})
    data["position"] = (("text", "query"), np.asarray(where), {"long_name": "position of the query token"})
    coords = {"text": np.arange(len(texts)), "layer": np.arange(1, s.layers + 1), "head": np.arange(1, s.heads + 1),
              "query": list(QUERIES)}
    return xr.Dataset(data, coords=coords).assign_attrs(
        model=model, kind="encoder", layers=s.layers, heads=s.heads, head_dim=s.head_dim, d_model=s.d_model,
        max_tokens=max_tokens, texts="\n\n".join(texts),
    )


def decoder_beta_dataset(decoder, texts: list[str], max_tokens: int, model: str) -> xr.Dataset:
    """Per (text, layer, head, key_set) statistics of a causal decoder's last-token query over `texts`
    (each cut to `max_tokens` tokens), over all keys and without the first token (`KEY_SETS`); with
    each text's token count and summed log-likelihood of its tokens after the first, and the
    perplexity over all texts as an attribute."""
    from .decoder import decode, log_likelihoods
    from .decoder import tokenize as decoder_tokenize

    if not texts:
        raise ValueError("no texts to measure")
    rows, tokens, loglik = [], [], []
    for text in texts:
        ids = decoder_tokenize(decoder, text, max_tokens)
        if ids.size < 3:
            raise ValueError(f"a text of {ids.size} tokens; the decoder's statistics need at least 3: {text[:60]!r}")
        out = decode(decoder, ids)
        per_set = [head_statistics(out, [ids.size - 1], first) for first in KEY_SETS.values()]
        rows.append({k: np.concatenate([p[k] for p in per_set], axis=-1) for k in STATISTICS})
        tokens.append(ids.size)
        loglik.append(float(log_likelihoods(out).sum()))
    s = decoder.shape
    dims = ("text", "layer", "head", "key_set")
    data = {k: (dims, np.stack([r[k] for r in rows]), {"long_name": v}) for k, v in STATISTICS.items()}
    data["tokens"] = ("text", np.asarray(tokens), {"long_name": "tokens of the text (no BOS)"})
    data["log_likelihood"] = ("text", np.asarray(loglik), {"long_name": "sum of log p(token | earlier tokens), tokens 2.."})
    predicted = int(np.sum(tokens) - len(tokens))
    coords = {"text": np.arange(len(texts)), "layer": np.arange(1, s.layers + 1), "head": np.arange(1, s.heads + 1),
              "key_set": list(KEY_SETS)}
    return xr.Dataset(data, coords=coords).assign_attrs(
        model=model, kind="decoder", layers=s.layers, heads=s.heads, kv_heads=s.kv_heads, head_dim=s.head_dim,
        d_model=s.d_model, positions=s.positions, max_tokens=max_tokens, texts="\n\n".join(texts),
        perplexity=float(np.exp(-np.sum(loglik) / predicted)), predicted_tokens=predicted,
    )
