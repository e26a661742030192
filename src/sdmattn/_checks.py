"""Argument checks shared by the public functions: integers in a range, finite reals.

Every public entry point validates its inputs here, so that a bad value fails with a `ValueError`
naming the argument and the allowed range instead of turning into a silent NaN inside a jitted kernel.
"""

from __future__ import annotations

import numpy as np


def as_int_array(name: str, value, lo=None, hi=None, *, hi_name: str | None = None, scalar: bool = False) -> np.ndarray:
    """`value` as an int64 array after checking it holds integers in [lo, hi] (bounds may be arrays);
    `scalar=True` also requires a single value."""
    try:
        arr = np.asarray(value)
    except (OverflowError, ValueError):
        raise ValueError(f"{name} must be an integer (or an array of integers), got {value!r}") from None
    integral = arr.dtype.kind in "iu" or (
        arr.dtype.kind == "f"
        and bool(np.all(np.isfinite(arr)))
        and bool(np.all(arr == np.round(arr)))
        and bool(np.all(np.abs(arr) < 2.0**62))
    )
    if arr.dtype == bool or not integral:
        kind = "a single integer" if scalar else "an integer (or an array of integers)"
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    if scalar and arr.ndim != 0:
        raise ValueError(f"{name} must be a single integer, got an array of shape {arr.shape}")
    arr = arr.astype(np.int64)
    for bound, bad, word in ((lo, np.less, ">="), (hi, np.greater, "<=")):
        if bound is None:
            continue
        a, b = np.broadcast_arrays(arr, np.asarray(bound))
        mask = bad(a, b)
        if mask.any():
            what = hi_name if (word == "<=" and hi_name) else str(int(b[mask].ravel()[0]))
            raise ValueError(f"{name} must be {word} {what}, got {int(a[mask].ravel()[0])}")
    return arr


def as_real(name: str, value, lo: float | None = None, hi: float | None = None, *, open_lo: bool = False) -> float:
    """`value` as a finite Python float in [lo, hi] (or (lo, hi] with `open_lo`)."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number, got {value!r}") from None
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if lo is not None and (x <= lo if open_lo else x < lo):
        raise ValueError(f"{name} must be {'>' if open_lo else '>='} {lo}, got {x}")
    if hi is not None and x > hi:
        raise ValueError(f"{name} must be <= {hi}, got {x}")
    return x
