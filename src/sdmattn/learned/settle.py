"""Whether a learned scale has stopped moving: measured on its trajectory, never assumed.

The criterion is the one the learned-scale experiment states: over the last `window` steps, the mean of
log g over the window's second half minus its mean over the first half (the drift) is below `tol` in
absolute value. A steady trend of slope s per step drifts by s·window/2; step-to-step jitter of an
optimiser circling its optimum averages out.
"""

from __future__ import annotations

import numpy as np


def log_g_drift(log_g: np.ndarray, window: int) -> np.ndarray:
    """Drift of log g over the last `window` steps (steps on the first axis; any further axes are heads).
    NaN where fewer than `window` steps exist."""
    log_g = np.asarray(log_g, dtype=float)
    if window < 2:
        raise ValueError(f"window must be >= 2 steps, got {window}")
    if log_g.shape[0] < window:
        return np.full(log_g.shape[1:], np.nan)
    tail = log_g[-window:]
    half = window // 2
    return tail[window - half :].mean(0) - tail[:half].mean(0)


def is_settled(log_g: np.ndarray, window: int, tol: float) -> np.ndarray:
    """Per head: |drift of log g over the last `window` steps| < `tol` (False with too few steps)."""
    drift = log_g_drift(log_g, window)
    return np.abs(np.nan_to_num(drift, nan=np.inf)) < tol


def agree(a: np.ndarray, b: np.ndarray, rel: float) -> np.ndarray:
    """Two learned scales agree when they differ by less than `rel` relative to the smaller one."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.abs(a - b) < rel * np.minimum(a, b)
