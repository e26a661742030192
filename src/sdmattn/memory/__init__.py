"""SDM and attention as associative memories: write patterns, read with a noisy query, iterate.

- `neuron_sdm`: `NeuronSDM`, Kanerva's memory with explicit random neurons (bit-packed addresses,
  integer counters, batched jitted write and read);
- `pattern_memory`: the pattern view, `binary_sdm`, `continuous_sdm`, `binary_attention`,
  `continuous_attention`, each with one `read`;
- `recall`: `recall` iterates reads until nothing moves; `recall_cosine` scores the result.
The noise models (`flip_bits`, `rotate_to_cosine`) are in `sdmattn.theory.noise`.
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {  # imported on first use: a stage loads only the modules it calls
    "neuron_sdm": ("ActiveOverflow", "NeuronSDM"),
    "pattern_memory": ("BinaryPatternMemory", "ContinuousPatternMemory", "binary_attention",
             "binary_sdm", "continuous_attention", "continuous_sdm"),
    "recall": ("Recall", "recall", "recall_cosine"),
})
