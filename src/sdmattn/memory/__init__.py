"""SDM and attention as associative memories: write patterns, read with a noisy query, iterate.

- `neuron_sdm`: `NeuronSDM`, Kanerva's memory with explicit random neurons (bit-packed addresses,
  integer counters, batched jitted write and read);
- `pattern_memory`: the pattern view, `binary_sdm`, `continuous_sdm`, `binary_attention`,
  `continuous_attention`, each with one `read`;
- `recall`: `recall` iterates reads until nothing moves; `recall_cosine` scores the result.
The noise models (`flip_bits`, `rotate_to_cosine`) are in `sdmattn.theory.noise`.
"""

from .neuron_sdm import ActiveOverflow, NeuronSDM
from .pattern_memory import (
    BinaryPatternMemory,
    ContinuousPatternMemory,
    binary_attention,
    binary_sdm,
    continuous_attention,
    continuous_sdm,
)
from .recall import Recall, recall, recall_cosine

__all__ = [
    "ActiveOverflow",
    "BinaryPatternMemory",
    "ContinuousPatternMemory",
    "NeuronSDM",
    "Recall",
    "binary_attention",
    "binary_sdm",
    "continuous_attention",
    "continuous_sdm",
    "recall",
    "recall_cosine",
]
