"""Attention that learns its own β: a query-key-normalised Transformer, its tasks and its training.

- `qknorm`: `QKNormTransformer` (equinox), whose attention is softmax(g · cos) with a learned scale g;
- `tasks`: generated token tasks (`TASKS`: recall, induction, completion) and their batches;
- `settings`: `TrainSettings`, the model and budget a run needs (shared with the config schema);
- `training`: `train(TrainConfig)` with optax, returning the learned g and how it moved;
- `published`: `read_published_betas`, the published learned scales (QK-Norm format) to overlay.
"""

from .published import read_published_betas
from .qknorm import QKNormTransformer
from .settings import TRAIN_SETTING_NAMES, TrainSettings
from .tasks import TASKS, make_batch, sequence_length
from .training import TrainConfig, TrainResult, run_dataset, train

__all__ = [
    "QKNormTransformer",
    "TASKS",
    "TRAIN_SETTING_NAMES",
    "TrainConfig",
    "TrainResult",
    "TrainSettings",
    "make_batch",
    "read_published_betas",
    "sequence_length",
    "run_dataset",
    "train",
]
