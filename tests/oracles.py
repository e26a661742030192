"""Exact oracles, independent of the library: big-integer double sums and brute-force enumeration."""
from __future__ import annotations

import itertools
import math
from functools import lru_cache


def intersection_double_sum(n: int, d: int, dv: int) -> int:
    """I(d_v; d, n) from the spec's double sum, term by term with math.comb (the straightforward reference)."""
    return sum(
        math.comb(dv, i) * math.comb(n - dv, j)
        for i in range(dv + 1)
        for j in range(n - dv + 1)
        if i + j <= d and dv - i + j <= d
    )


@lru_cache(maxsize=64)
def _prefix_binomials(m: int) -> tuple[int, ...]:
    """sum_{j<=k} C(m, j) for k = 0..m, exact."""
    m = int(m)  # a NumPy integer would overflow
    out, acc, term = [], 0, 1
    for j in range(m + 1):  # term = C(m, j), from C(m, j-1) exactly
        acc += term
        out.append(acc)
        term = term * (m - j) // (j + 1)
    return tuple(out)


def intersection_exact(n: int, d: int, dv: int) -> int:
    """The same double sum with the inner sum over j as an exact prefix sum (fast enough for n = 4096)."""
    n, d, dv = int(n), int(d), int(dv)  # Python integers: exact at any size
    prefix = _prefix_binomials(n - dv)
    total, term = 0, 1
    for i in range(dv + 1):  # term = C(dv, i), from C(dv, i-1) exactly
        jmax = min(d - max(i, dv - i), n - dv)
        if jmax >= 0:
            total += term * prefix[jmax]
        term = term * (dv - i) // (i + 1)
    return total


def intersection_brute_force(n: int) -> list[list[int]]:
    """I[d][d_v] by enumerating every x in {0,1}^n (fine for n <= 12): x against 0 and 1^{d_v}0^{n-d_v}."""
    weights = [bin(x).count("1") for x in range(1 << n)]
    table = [[0] * (n + 1) for _ in range(n + 1)]
    for dv in range(n + 1):
        p = (1 << dv) - 1
        hist = [[0] * (n + 1) for _ in range(n + 1)]  # hist[dist to 0][dist to p]
        for x in range(1 << n):
            hist[weights[x]][weights[x ^ p]] += 1
        for d in range(n + 1):
            table[d][dv] = sum(hist[a][b] for a, b in itertools.product(range(d + 1), repeat=2))
    return table


def ball_size(n: int, d: int) -> int:
    return sum(math.comb(n, k) for k in range(d + 1))


def log_exact(x: int) -> float:
    """Natural log of a big integer (math.log handles arbitrary size); -inf for 0."""
    return math.log(x) if x > 0 else -math.inf


def cap_overlap_spec(n: int, d: int, cos_v: float, pieces: int = 40, digits: int = 20) -> float:
    """log of the spec's 2 J_n(θ_v/2, θ) / A_n (section 4, Lee & Kim's incomplete-beta integral) in
    `digits`-digit arithmetic: the regularised incomplete beta and the quadrature are mpmath's, over
    `pieces` subintervals spaced like Chebyshev nodes (dense at both ends, where the integrand turns).
    Caps no wider than a hemisphere (d <= n/2); -inf where they do not meet. 20 digits agree with 40 to
    2e-11 at every point the tests use, and 40 such pieces with 200 equal ones to 4e-10 (the tests ask
    for 1e-8), in a fifth of the time."""
    import mpmath as mp

    with mp.workdps(digits):
        n_, half = mp.mpf(n), mp.mpf(1) / 2
        theta = mp.acos(1 - 2 * mp.mpf(d) / n_)
        ta = mp.acos(mp.mpf(cos_v)) / 2
        if ta >= theta:
            return float("-inf")
        area = 2 * mp.pi ** (n_ / 2) / mp.gamma(n_ / 2)
        if ta == 0:  # the whole cap: ½ A_n I_{sin²θ}((n-1)/2, ½)
            return float(mp.log(mp.betainc((n_ - 1) / 2, half, 0, mp.sin(theta) ** 2, regularized=True) / 2))

        def integrand(phi):
            x = 1 - (mp.tan(ta) / mp.tan(phi)) ** 2
            return mp.sin(phi) ** (n_ - 2) * mp.betainc((n_ - 2) / 2, half, 0, x, regularized=True)

        j = mp.pi ** ((n_ - 1) / 2) / mp.gamma((n_ - 1) / 2) * mp.quad(integrand, [ta + (theta - ta) * (1 - mp.cos(mp.pi * k / pieces)) / 2 for k in range(pieces + 1)])
        return float(mp.log(2 * j / area))


def dominant_term_brute_force(n: int, d: int, dv: int) -> tuple[int, int]:
    """The largest term of the spec's double sum for I(d_v; d, n) and the number of (nonzero-range) terms, exactly."""
    terms = [
        math.comb(dv, i) * math.comb(n - dv, j)
        for i in range(dv + 1)
        for j in range(n - dv + 1)
        if i + j <= d and dv - i + j <= d
    ]
    return (max(terms) if terms else 0), len(terms)


def every_memory_loss(n: int, m: int, k: int, g: float) -> float:
    """The expected relative squared error ||softmax(g cos(q, p)) @ P - t||² / n over every memory of m - 1
    competitors (all 2^n patterns each) besides the target t, q t with k bits flipped: by symmetry q is all
    ones and t has its first k bits flipped. Brute force over 2^(n (m-1)) memories."""
    import numpy as np

    pats = np.array(list(itertools.product([-1.0, 1.0], repeat=n)))
    q = np.ones(n)
    t = q.copy()
    t[:k] = -1
    idx = np.array(list(itertools.product(range(len(pats)), repeat=m - 1)))
    P = np.concatenate([np.broadcast_to(t, (len(idx), 1, n)), pats[idx]], 1)
    z = g * (P @ q) / n
    w = np.exp(z - z.max(1, keepdims=True))
    w /= w.sum(1, keepdims=True)
    err = np.einsum("im,imn->in", w, P) - t
    return float((err**2).sum(1).mean() / n)


def competitor_law(n: int, k: int):
    """Every (x, y) a competitor can have (x its disagreements with q on the n - k unflipped bits, y its
    agreements on the k flipped ones) and its exact probability C(n-k, x) C(k, y) / 2^n."""
    import numpy as np

    xs, ys = np.meshgrid(np.arange(n - k + 1), np.arange(k + 1), indexing="ij")
    xs, ys = xs.ravel(), ys.ravel()
    return xs, ys, np.array([math.comb(n - k, a) * math.comb(k, b) for a, b in zip(xs, ys)]) / 2**n


def counted_memory_loss(n: int, k: int, g: float, x, y):
    """The expected loss of each memory given its competitors' counts x, y (rows: memories), with the bits'
    placement averaged out: E|A ∩ B| = |A||B| / size for independent uniform subsets A, B of one block."""
    import numpy as np

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    z = np.concatenate([np.zeros((len(x), 1)), -2 * g * (x - y) / n], 1)  # logits relative to the target
    w = np.exp(z - z.max(1, keepdims=True))
    w = (w / w.sum(1, keepdims=True))[:, 1:]
    diag = (w * w * (x + y)).sum(1)
    cross_x = ((w * x).sum(1) ** 2 - (w * w * x * x).sum(1)) / (n - k) if k < n else 0.0
    cross_y = ((w * y).sum(1) ** 2 - (w * w * y * y).sum(1)) / k if k > 0 else 0.0
    return 4 / n * (diag + cross_x + cross_y)


def enumerated_memory_loss(n: int, m: int, k: int, g: float) -> float:
    """The exact expected loss over memories of m patterns: `counted_memory_loss` summed over every
    combination of the m - 1 competitors' counts with its probability."""
    import numpy as np

    xs, ys, p = competitor_law(n, k)
    combos = np.array(list(itertools.product(range(len(xs)), repeat=m - 1)))
    return float(np.sum(counted_memory_loss(n, k, g, xs[combos], ys[combos]) * p[combos].prod(1)))
