"""sdmattn: Sparse Distributed Memory and attention, computed exactly.

The library is in rooms by concern (only `pipeline` knows the config; none knows Snakemake or Hydra):

- `sdmattn.theory`: exact intersections, binomials, caps, closed forms, Monte Carlo, β fits, optimal
  radii (pure functions, JAX float64: call `setup_jax()` first);
- `sdmattn.memory`: the neuron SDM, the pattern-view memories and recall;
- `sdmattn.learned`: the QK-norm Transformer, its tasks and its training;
- `sdmattn.pretrained`: a packaged pre-trained encoder read in NumPy, its effective β, the texts;
- `sdmattn.pipeline`: config schema and Hydra compose, budget, tables with provenance, the stage frame;
- `sdmattn.sections`: one module per report section (its datasets, figures, values and tables).

The names of `theory` and `memory` are re-exported here (imported on first use, see `_lazy`):

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
  distance, for any (n, m, r) including r = 2^n;
- `NeuronSDM` — Kanerva's memory with explicit random neurons (bit-packed addresses, integer
  counters, batched jitted write and read);
- `binary_sdm`, `continuous_sdm`, `binary_attention`, `continuous_attention` — pattern-view memories
  with one `read`; `recall` iterates reads to convergence; `flip_bits`, `rotate_to_cosine` — noise.
"""

import sys as _sys

from ._lazy import lazy_exports

# A launcher that appends sys.path entries again (Snakemake's `script:` preamble adds site-packages
# twice more) slows every later import of JAX, which reads each installed distribution's metadata once
# per entry: about 0.25 s in each stage. Keep the first of each entry, in order.
_sys.path[:] = list(dict.fromkeys(_sys.path))

__getattr__, __dir__ = lazy_exports(__name__, {"_runtime": ("require_x64", "setup_jax"), "theory": None, "memory": None})
