"""The mathematics of SDM and attention: pure functions, JAX in float64 (call `sdmattn.setup_jax()` first).

- `intersection`: exact Hamming-ball intersections I(d_v; d, n) in log space;
- `binomial`: ball sizes, p(d) and its quantile;
- `caps`: continuous SDM, the overlap of two hyperspherical caps;
- `closed_forms`: the dominant term, bounds, β_approx and the exponential law around the exact counts;
- `montecarlo` and `stats`: explicit random neurons (bit-packed popcounts) and binomial intervals;
- `noise`: k flipped bits, a rotation to a given cosine;
- `beta`: β such that softmax(β cos) mimics SDM (published and least-squares estimators, softmax fit);
- `optimal`: d* and β* for signal-to-noise, capacity and critical distance, for any (n, m, r).
"""

from .beta import (
    BetaFit,
    beta_regression,
    fit_beta,
    log_weights,
    regress_log_intersection,
    softmax_fit_beta,
    softmax_fit_from_log_intersection,
    softmax_weights,
)
from .binomial import log_ball_size, log_space_fraction_table, radius_for_fraction, space_fraction
from .caps import log_cap_fraction, log_cap_intersection, log_continuous_table
from .closed_forms import beta_approx, dominant_term, intersection_bounds, log_exponential_approximation
from .intersection import binary_intersection_table, log_binary_intersection, normalised_weights
from .montecarlo import simulate_binary_intersection, simulate_continuous_intersection
from .noise import flip_bits, rotate_to_cosine
from .optimal import (
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
from .stats import binomial_interval, outside_interval_pvalue

__all__ = [
    "BetaFit",
    "CriticalDistance",
    "OptimalRadii",
    "beta_approx",
    "beta_regression",
    "betas_at",
    "binary_intersection_table",
    "binomial_interval",
    "capacity_z",
    "critical_distance",
    "critical_distances",
    "dominant_term",
    "expected_new_distance",
    "fit_beta",
    "flip_bits",
    "intersection_bounds",
    "log_ball_size",
    "log_binary_intersection",
    "log_cap_fraction",
    "log_cap_intersection",
    "log_continuous_table",
    "log_exponential_approximation",
    "log_space_fraction_table",
    "log_weights",
    "normalised_weights",
    "optimal_betas",
    "optimal_radii",
    "outside_interval_pvalue",
    "radius_for_fraction",
    "regress_log_intersection",
    "rotate_to_cosine",
    "simulate_binary_intersection",
    "simulate_continuous_intersection",
    "softmax_fit_beta",
    "softmax_fit_from_log_intersection",
    "softmax_weights",
    "space_fraction",
]
