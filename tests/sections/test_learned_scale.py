"""The learned-scale section's report helpers: where g* crosses a β*, and the noise labels."""

import math

import numpy as np

from sdmattn.sections.learned_scale import _noise_tex, crossing_k, noise_grid


def test_crossing_is_linear_in_log_g():
    k, g = np.array([20, 24, 28]), np.array([40.0, 20.0, 10.0])
    assert crossing_k(k, g, math.sqrt(20.0 * 10.0)) == 26.0  # the geometric mean: half way in log g
    assert crossing_k(k, g, 40.0) == 20.0 and crossing_k(k, g, 10.0) == 28.0
    assert math.isnan(crossing_k(k, g, 50.0)) and math.isnan(crossing_k(k, g, 5.0))
    assert math.isnan(crossing_k(k[:1], g[:1], 40.0))


def test_noise_grid_labels():
    labels, lo, hi = noise_grid([0, 20], [{"k_min": 16, "k_max": 28}])
    assert labels == ["k=0", "k=20", "k~U16..28"] and lo.tolist() == [0, 20, 16] and hi.tolist() == [0, 20, 28]
    assert _noise_tex("k~U16..28") == r"$k\sim U\{16\ldots28\}$" and _noise_tex("k=0") == "$k=0$"
