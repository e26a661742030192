"""Attention that learns its own β: a query-key-normalised Transformer, its tasks and its training.

- `qknorm`: `QKNormTransformer` (equinox), whose attention is softmax(g · cos) with a learned scale g;
- `tasks`: generated token tasks (`TASKS`: recall, induction, completion) and their batches;
- `settings`: `TrainSettings`, the model and budget a run needs (shared with the config schema);
- `training`: `train(TrainConfig)` with optax, returning the learned g and how it moved;
- `published`: `read_published_betas`, the published learned scales (QK-Norm format) to overlay;
- `random_memory`: a random ±1 memory as one noisy query sees it (its competitors' overlaps, drawn
  stratified on the nearest one) and the read's expected error (`memory_law`, `sample_overlaps`,
  `group_competitors`, `log_expected_error`);
- `scale`: attention as an associative memory with only its scale g learned (`train_scales`), the
  grid-scan oracle (`scan_scales`) and its resolution, settling and divergence (`settle_summary`, `scale_verdict`), and g
  learned with a projection of queries and keys (`train_projected_scale`).
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {  # imported on first use: the config schema needs only `settings`
    "published": ("read_published_betas",),
    "qknorm": ("QKNormTransformer",),
    "random_memory": ("Groups", "MemoryLaw", "Overlaps", "group_competitors", "log_expected_error", "memory_law", "sample_overlaps"),
    "scale": ("ScaleSchedule", "Scan", "Settling", "VERDICTS", "digit_patterns", "log_read_error",
              "noise_probabilities", "read_error", "refined_scan", "resolution", "sample_rotated_queries", "scale_verdict", "scan_projected", "scan_scales", "settle_summary",
              "train_projected_scale", "train_scales"),
    "settings": ("TASKS", "TRAIN_SETTING_NAMES", "TrainSettings", "batch_for"),
    "tasks": ("make_batch", "sequence_length"),
    "training": ("TrainConfig", "TrainResult", "run_dataset", "train"),
})
