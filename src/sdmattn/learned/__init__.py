"""Attention that learns its own β: a query-key-normalised Transformer, its tasks and its training.

- `qknorm`: `QKNormTransformer` (equinox), whose attention is softmax(g · cos) with a learned scale g;
- `tasks`: generated token tasks (`TASKS`: recall, induction, completion) and their batches;
- `settings`: `TrainSettings`, the model and budget a run needs (shared with the config schema);
- `training`: `train(TrainConfig)` with optax, returning the learned g and how it moved;
- `published`: `read_published_betas`, the published learned scales (QK-Norm format) to overlay.
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {  # imported on first use: the config schema needs only `settings`
    "published": ("read_published_betas",),
    "qknorm": ("QKNormTransformer",),
    "settings": ("TASKS", "TRAIN_SETTING_NAMES", "TrainSettings"),
    "tasks": ("make_batch", "sequence_length"),
    "training": ("TrainConfig", "TrainResult", "run_dataset", "train"),
})
