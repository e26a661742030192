"""The mathematics of SDM and attention: pure functions, JAX in float64 (call `sdmattn.setup_jax()` first).

- `intersection`: exact Hamming-ball intersections I(d_v; d, n) in log space;
- `binomial`: ball sizes, p(d) and its quantile;
- `caps`: continuous SDM, the overlap of two hyperspherical caps;
- `closed_forms`: the dominant term, bounds, β_approx and the exponential law around the exact counts;
- `montecarlo` and `stats`: explicit random neurons (bit-packed popcounts) and binomial intervals;
- `noise`: k flipped bits, a rotation to a given cosine, both per row from one key;
- `beta`: β such that softmax(β cos) mimics SDM (published and least-squares estimators, softmax fit);
- `optimal`: d* and β* for signal-to-noise, capacity and critical distance, for any (n, m, r);
- `weights` and `constants`: the normalised weights in NumPy and the shared names (no JAX: figures
  and report values read them);
- `published_forms`: the published computations' own forms (teaching formula, float64 ball minus lune,
  the continuous-count constant) beside the exact ones, for the errata.
"""

from .._lazy import lazy_exports

__getattr__, __dir__ = lazy_exports(__name__, {  # imported on first use: a stage loads only the modules it calls
    "beta": ("BetaFit", "beta_regression", "cosines", "fit_beta", "log_weights", "regress_log_intersection",
             "softmax_fit_beta", "softmax_fit_from_log_intersection"),
    "binomial": ("log_ball_size", "log_space_fraction_table", "radius_for_fraction", "space_fraction"),
    "caps": ("log_cap_fraction", "log_cap_intersection", "log_continuous_table"),
    "closed_forms": ("beta_approx", "dominant_term", "intersection_bounds", "log_exponential_approximation"),
    "intersection": ("binary_intersection_table", "log_binary_intersection"),
    "montecarlo": ("simulate_binary_intersection", "simulate_continuous_intersection"),
    "noise": ("flip_bits", "noisy_rows", "rotate_to_cosine"),
    "published_forms": ("ball_minus_lune_float64", "exact_intersection", "log_cap_count", "teaching_intersection",
                        "teaching_table"),
    "optimal": ("CriticalDistance", "OptimalRadii", "betas_at", "capacity_z", "critical_distance",
                "critical_distances", "expected_new_distance", "optimal_betas", "optimal_radii"),
    "stats": ("binomial_interval", "outside_interval_pvalue"),
    "weights": ("normalised_weights", "softmax_weights"),
})
