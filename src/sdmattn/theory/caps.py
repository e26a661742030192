"""Continuous SDM: the fraction of the sphere S^{n-1} inside two hyperspherical caps, in log space.

A neuron at unit vector u is active for ξ when cos(u, ξ) >= c = 1 - 2d/n: a cap of angular radius
θ = arccos c. Two caps of radius θ whose centres are at angle θ_v overlap in a fraction F of the
sphere. Project u onto the plane of the two centres: the projection has density
(n-2)/(2π) (1 - ρ²)^{(n-4)/2} on the unit disc, and the overlap is the part of the disc beyond both
chords at distance c. Integrating the density along each ray from the origin in closed form leaves
one integral over the ray's angle φ from the centres' bisector (for c >= 0, h = θ_v / 2):

    F = (1/π) ∫_h^θ (1 - c² / cos² φ)^{(n-2)/2} dφ,   empty when h >= θ,

equal to the spec's 2 J_n(θ_v/2, θ) / A_n (the tests check it against that formula in 40-digit
arithmetic). The integrand is evaluated in logs as sin(θ-φ) sin(θ+φ) / cos² φ, so it spans any
range; φ = θ - (θ - h) s² removes the endpoint root at φ = θ; the integral is cut where the
integrand has fallen by e^-80 and done by 128-point Gauss–Legendre quadrature. Caps wider than a
hemisphere (c < 0) follow from their complements: F(θ) = 1 - 2 F_cap(π - θ) + F(π - θ).
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Float

from .._checks import as_int_array
from .._runtime import require_x64

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(128)
_DROP = 80.0  # the integrand is cut where it is e^-80 below its peak (far below float64 rounding)
_BISECTIONS = 60


def _log_integrand(n, c, sin_t, width, s):
    """log of (1/π) (1 - c²/cos² φ)^{(n-2)/2} dφ/ds at φ = θ - δ, δ = width s², from c = cos θ,
    sin_t = sin θ and δ only (no difference of nearby angles is ever taken)."""
    delta = width * s * s
    cos_d, sin_d = jnp.cos(delta), jnp.sin(delta)
    cos_phi = c * cos_d + sin_t * sin_d  # cos(θ - δ)
    sin_sum = 2.0 * sin_t * c * cos_d - (2.0 * c * c - 1.0) * sin_d  # sin(θ + φ) = sin(2θ - δ)
    log_ratio = jnp.log(sin_d) + jnp.log(sin_sum) - 2.0 * jnp.log(cos_phi)
    return 0.5 * (n - 2.0) * log_ratio + jnp.log(2.0 * width * s) - math.log(math.pi)


def _log_overlap_narrow(n, c, sin_t, theta, h):
    """log F for caps no wider than a hemisphere (c >= 0); -inf where they do not meet."""
    width = jnp.maximum(theta - h, 0.0)
    meet = width > 0.0
    width = jnp.where(meet, width, 1.0)  # any positive value: masked below
    f = functools.partial(_log_integrand, n, c, sin_t, width)
    peak = f(jnp.ones_like(width))  # the integrand grows with s: its peak is at s = 1 (φ = h)

    def bisect(_, bracket):
        lo, hi = bracket
        mid = 0.5 * (lo + hi)
        below = f(mid) < peak - _DROP
        return jnp.where(below, mid, lo), jnp.where(below, hi, mid)

    cut, _ = jax.lax.fori_loop(0, _BISECTIONS, bisect, (jnp.zeros_like(width), jnp.ones_like(width)))
    half = 0.5 * (1.0 - cut)[..., None]
    s = cut[..., None] + half * (jnp.asarray(_NODES) + 1.0)
    expand = lambda a: a[..., None]  # noqa: E731
    terms = _log_integrand(expand(n), expand(c), expand(sin_t), expand(width), s)
    total = jax.scipy.special.logsumexp(terms + jnp.log(half * jnp.asarray(_WEIGHTS)), axis=-1)
    return jnp.where(meet, total, -jnp.inf)


@jax.jit
def _log_overlap(n, d, cos_v):
    """log F for integer radii d (any 0 <= d <= n) and centre cosines cos_v, broadcast."""
    n, d, cos_v = jnp.broadcast_arrays(n.astype(jnp.float64), d.astype(jnp.float64), cos_v)
    h = jnp.arcsin(jnp.sqrt(jnp.clip((1.0 - cos_v) / 2.0, 0.0, 1.0)))  # θ_v / 2, accurate near cos = 1
    wide = 2.0 * d > n
    dn = jnp.where(wide, n - d, d)  # the narrow cap: itself, or the complement's
    c = 1.0 - 2.0 * dn / n
    sin_t = 2.0 * jnp.sqrt(dn * (n - dn)) / n
    theta = 2.0 * jnp.arcsin(jnp.sqrt(dn / n))
    both = _log_overlap_narrow(n, c, sin_t, theta, h)
    cap = _log_overlap_narrow(n, c, sin_t, theta, jnp.zeros_like(h))
    # wide caps: 1 - 2 F_cap(π-θ) + F(π-θ), the first two terms as one accurate expm1
    outside = jnp.log(-jnp.expm1(jnp.minimum(math.log(2.0) + cap, 0.0)))
    return jnp.where(wide, jnp.logaddexp(outside, both), both)


def log_cap_intersection(n, d, cos) -> np.ndarray:
    """Natural log of the fraction of S^{n-1} within angular radius arccos(1 - 2d/n) of two unit vectors
    at cosine `cos`; `-inf` where the caps do not meet; at cos = 1 the whole cap.

    Broadcasts over arguments; n >= 2 and 0 <= d <= n integers, -1 <= cos <= 1. Accurate to about
    1e-12 relative (the tests ask 1e-8 for n <= 1000 against 40-digit quadrature).
    """
    require_x64()
    n = as_int_array("n", n, lo=2)
    d = as_int_array("d", d, lo=0, hi=n, hi_name="n")
    cos = np.asarray(cos, dtype=np.float64)
    bad = ~(np.isfinite(cos) & (np.abs(cos) <= 1.0))
    if bad.any():
        raise ValueError(f"cos must be finite and in [-1, 1], got {cos[bad].ravel()[0]}")
    return np.asarray(_log_overlap(jnp.asarray(n), jnp.asarray(d), jnp.asarray(cos)))


def log_cap_fraction(n, d) -> np.ndarray:
    """Natural log of the fraction of S^{n-1} in one cap of radius arccos(1 - 2d/n) (cos = 1 above)."""
    return log_cap_intersection(n, d, 1.0)


def log_continuous_table(n: int, d) -> Float[np.ndarray, "*d n+1"]:
    """log F at the binary grid cos = 1 - 2 d_v / n, d_v = 0..n, for each radius d: the continuous
    counterpart of rows of `binary_intersection_table`."""
    d = np.asarray(d)
    return log_cap_intersection(n, d[..., None], 1.0 - 2.0 * np.arange(n + 1) / n)


__all__ = ["log_cap_fraction", "log_cap_intersection", "log_continuous_table"]

