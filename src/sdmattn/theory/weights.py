"""SDM's and softmax's normalised weights over d_v = 0..n, in NumPy alone (what the figures draw): a
figure stage reads them without loading JAX."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # shape annotations only: jaxtyping takes 0.2 s to import
    from jaxtyping import Float


def normalised_weights(log_i: Float[np.ndarray, "... dv"]) -> Float[np.ndarray, "... dv"]:
    """I(d_v) / sum_{d_v'} I(d_v') along the last axis, from log counts (the paper's plotted weights)."""
    log_i = np.asarray(log_i)
    return np.exp(log_i - np.logaddexp.reduce(log_i, axis=-1, keepdims=True))


def softmax_weights(beta: float, n: int) -> Float[np.ndarray, " n+1"]:
    """softmax(β cos) over d_v = 0..n: the logits β cos normalised like intersection log counts."""
    return normalised_weights(beta * (1.0 - 2.0 * np.arange(n + 1) / n))
