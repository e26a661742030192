"""The model and budget of a learned-β training run, and the schedule of a scale-only run, shared by the
config schema and the trainers.

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
    warmup: int = 50  # steps of linear learning-rate warm-up (then g's rate stays constant)
    lr_floor: float = 0.1  # the network's rate decays on a cosine to lr_floor * lr at the step cap
    # the recall task: stored key/value pairs, tokens per key, queries per sequence, and the probability
    # that each query-key token is replaced by a random key token (irreducible noise: sharper is not always better)
    pairs: int = 4
    key_len: int = 3
    queries: int = 4
    corrupt: float = 0.1
    # settling: train until every head's log g drifts less than `tol` over the last `window` steps
    # (mean over the window's second half minus over its first half), or until `steps` (the cap)
    window: int = 200
    tol: float = 0.02


TRAIN_SETTING_NAMES = tuple(f.name for f in fields(TrainSettings))


@dataclass
class ScaleSchedule:
    """Training the softmax scale alone (`sdmattn.learned.scale`): Adam on log g for `steps` steps of
    `batch` (even) fresh queries, the rate decaying exponentially from `lr` to `lr_end` until the last
    `window` steps and constant over them; settled means log g moved less than `tol` over that window.
    Shared with the config schema."""

    steps: int = 400
    batch: int = 64
    lr: float = 0.1
    lr_end: float = 1e-3
    window: int = 100
    tol: float = 0.02


SCALE_SCHEDULE_NAMES = tuple(f.name for f in fields(ScaleSchedule))


def batch_for(m: int, batch: int, batch_by_m) -> int:
    """The learned scale's queries per training step at memory size m: `batch_by_m`'s (keys m as the config
    writes them, strings of digits) where it names m, else `batch`."""
    return {int(size): int(b) for size, b in dict(batch_by_m or {}).items()}.get(m, batch)
RATIO_CLIP = 1e3  # the largest weight one half-batch's loss gives the other's gradient (sdmattn.learned.scale)
