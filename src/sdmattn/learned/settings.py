"""The model and budget of a learned-β training run, shared by the config schema and the trainer.

Kept free of JAX imports so that composing the config stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

TASKS = ("recall", "induction", "completion")  # the generated tasks of `sdmattn.learned.tasks`


@dataclass
class TrainSettings:
    """Model size, optimiser and budget: everything a run needs besides its task, seed and initial g."""

    steps: int = 600
    batch: int = 32
    lr: float = 3e-3
    lr_g: float = 3e-2
    vocab: int = 32
    layers: int = 2
    heads: int = 2
    head_dim: int = 64
    width: int = 128
    mlp: int = 256
    per_head: bool = True
    log_every: int = 50


TRAIN_SETTING_NAMES = tuple(f.name for f in fields(TrainSettings))
