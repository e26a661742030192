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
    out, acc = [], 0
    for j in range(m + 1):
        acc += math.comb(m, j)
        out.append(acc)
    return tuple(out)


def intersection_exact(n: int, d: int, dv: int) -> int:
    """The same double sum with the inner sum over j as an exact prefix sum (fast enough for n = 4096)."""
    prefix = _prefix_binomials(n - dv)
    total = 0
    for i in range(dv + 1):
        jmax = min(d - max(i, dv - i), n - dv)
        if jmax >= 0:
            total += math.comb(dv, i) * prefix[jmax]
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
