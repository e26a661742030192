"""Kanerva's Sparse Distributed Memory with explicit random neurons (spec section 2, neuron view).

r neurons sit at uniformly random addresses of {0,1}^n; a neuron is active for an address within
Hamming distance d. Writing (address, data) adds the bipolar data (+1 for a 1 bit, -1 for a 0 bit) to
the n counters of every active neuron; reading sums the counters of the neurons active for the query
and thresholds the sum at 0 (a tie keeps the query's own bit, so a read that sees nothing returns the
query unchanged).

How it stays fast and small for n = 1000, r = 10^6:

- neuron addresses are bit-packed, 64 bits a word, and stored word-major in even blocks of at most
  `BLOCK` neurons, (blocks, w, size), so one XOR and one popcount compare 64 bits and the compiler
  vectorises across neurons (asked for 512-bit vectors); distances are computed a block at a time
  for a chunk of addresses (cache-sized);
- counters use the smallest signed integer type that `max_writes` writes cannot overflow (int16 up to
  32,767 writes: 2 GB at n = 1000, r = 10^6), with one extra all-zero row r that absorbs padding;
- the active set is gathered as indices: neurons are uniform, so for any address the number active is
  Binomial(r, p(d)) and a bound K with tail probability 1e-15 (`active_bound`) holds in practice; the
  set is found from a packed activity bitmap (popcount prefix sums and an in-word select), and a write
  or read that meets more than K active neurons raises `ActiveOverflow` instead of truncating;
- writes scatter-add into the counter buffer in place (the buffer is donated to the jitted loop);
  reads gather K counter rows per query and sum them in int32 (int64 where K full counters could
  overflow it).
"""

from __future__ import annotations

import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Bool, Int, UInt64

from .._checks import as_int_array
from .._runtime import require_x64
from ..theory.montecarlo import WORD, pack_bits

BLOCK = 8192  # at most this many neurons per step of the activation loop
XLA_OPTIONS = {"xla_cpu_prefer_vector_width": "512"}  # wide popcounts where the CPU has them (ignored elsewhere)
CHUNK = 16  # addresses per step of the write and read loops
TAIL = 1e-15  # P(more than K neurons active for one address)


class ActiveOverflow(RuntimeError):
    """An address activated more neurons than the memory's bound K (see `active_bound`)."""


def counter_dtype(max_writes: int):
    """The smallest signed integer type whose counters cannot overflow after `max_writes` writes."""
    for dtype in (jnp.int8, jnp.int16, jnp.int32):
        if max_writes <= jnp.iinfo(dtype).max:
            return dtype
    return jnp.int64


def active_bound(r: int, log_p: float, tail: float = TAIL) -> int:
    """K such that P(Binomial(r, p) > K) <= `tail`, for p = exp(log_p): the most neurons one address
    may activate before `NeuronSDM` refuses it."""
    import scipy.stats  # imported where used: it takes a second, and most stages that import this module never use it

    p = math.exp(log_p)
    if p >= 1.0:
        return r
    with warnings.catch_warnings():  # the quantile search may not bracket tiny p: fixed up below
        warnings.simplefilter("ignore", RuntimeWarning)
        guess = scipy.stats.binom.isf(tail, r, p)
    k = int(guess) if np.isfinite(guess) else 0
    while k < r and scipy.stats.binom.sf(k, r, p) > tail:
        k += 1
    while k > 0 and scipy.stats.binom.sf(k - 1, r, p) <= tail:
        k -= 1
    return max(1, k)


def _select_bit(words: UInt64[Array, "*b"], rank: Int[Array, "*b"]) -> Int[Array, "*b"]:
    """Position of the set bit of each word that has `rank` set bits below it (binary search)."""
    pos = jnp.zeros(words.shape, jnp.int32)
    for step in (32, 16, 8, 4, 2, 1):
        trial = pos + step  # <= 63
        below = jax.lax.population_count(words & ((jnp.uint64(1) << trial.astype(jnp.uint64)) - jnp.uint64(1)))
        pos = jnp.where(below.astype(jnp.int32) <= rank, trial, pos)
    return pos


def _pack_words(bits: Bool[Array, "b c"]) -> UInt64[Array, "b c/64"]:
    """`pack_bits` for lengths that are multiples of 64, through bytes (cheaper in the hot loop)."""
    packed = jnp.packbits(bits, axis=-1, bitorder="little")
    return jax.lax.bitcast_convert_type(packed.reshape(*packed.shape[:-1], -1, 8), jnp.uint64)


def _active_indices(neurons_t, addresses, d, r: int, bound: int):
    """Indices of the neurons within d of each address, padded with r to length `bound`, and how many
    there are (which may exceed `bound`: the caller refuses those)."""
    blocks, _, size = neurons_t.shape
    offsets = jnp.arange(size)
    radius = jnp.asarray(d).astype(jnp.uint64)

    def block(_, xs):
        blk, c = xs  # (w, size) words of one block of neurons, and its number
        pop = jax.lax.population_count(blk[None, :, :] ^ addresses[:, :, None])  # summed in uint64: fastest
        near = (jnp.sum(pop, axis=1) <= radius) & (c * size + offsets < r)
        return None, _pack_words(near)  # (chunk, size / 64)

    _, bitmap = jax.lax.scan(block, None, (neurons_t, jnp.arange(blocks)))
    bitmap = jnp.moveaxis(bitmap, 0, 1).reshape(addresses.shape[0], -1)  # (chunk, padded r / 64)
    counts = jax.lax.population_count(bitmap).astype(jnp.int32)
    upto = jnp.cumsum(counts, axis=1)  # active neurons in words 0..i
    j = jnp.arange(bound, dtype=jnp.int32)
    word = jax.vmap(lambda u: jnp.searchsorted(u, j, side="right"))(upto)  # first word holding the j-th
    word = jnp.minimum(word, bitmap.shape[1] - 1)
    rank = j[None, :] - (jnp.take_along_axis(upto, word, 1) - jnp.take_along_axis(counts, word, 1))
    pos = _select_bit(jnp.take_along_axis(bitmap, word, 1), rank)
    total = upto[:, -1]
    index = jnp.where(j[None, :] < total[:, None], word * WORD + pos, r)
    return index.astype(jnp.int32), total


@functools.partial(jax.jit, static_argnames=("r", "bound"), donate_argnums=0, compiler_options=XLA_OPTIONS)
def _write(counters, neurons_t, addresses, data, d, r: int, bound: int):
    """Write chunk after chunk; a chunk with an address over the bound, and every chunk after it, is
    skipped. Returns the counters, the most neurons any address activated and the first failed chunk."""

    def body(i, state):
        counters, most, failed = state
        index, total = _active_indices(neurons_t, addresses[i], d, r, bound)
        ok = jnp.all(total <= bound) & (failed < 0)

        def add(c):  # one scatter of the chunk's k-th active neurons at a time (faster than one big one)
            rows = data[i].astype(c.dtype)
            step = lambda k, c: c.at[index[:, k]].add(rows, mode="promise_in_bounds")  # noqa: E731
            return jax.lax.fori_loop(0, jnp.max(total), step, c).at[r].set(0)

        counters = jax.lax.cond(ok, add, lambda c: c, counters)
        failed = jnp.where(ok | (failed >= 0), failed, i)
        return counters, jnp.maximum(most, jnp.max(total)), failed

    return jax.lax.fori_loop(0, addresses.shape[0], body, (counters, jnp.int32(0), jnp.int32(-1)))


def _read_sums(neurons_t, counters, queries, d, r: int, bound: int, active):
    """Counter sums over the active neurons of each packed query (chunks with no `active` query are
    skipped and read as 0), and the most neurons any query activated."""
    acc = jnp.int32 if bound * int(jnp.iinfo(counters.dtype).max) < 2**31 else jnp.int64  # sums cannot overflow
    n = counters.shape[1]

    def body(_, chunk):
        q, act = chunk

        def read(q):  # add the chunk's k-th active rows at a time (faster than one big gather)
            index, total = _active_indices(neurons_t, q, d, r, bound)
            most = jnp.minimum(jnp.max(total), bound)
            row = lambda k: counters[index[:, k]].astype(acc)  # noqa: E731
            return jax.lax.fori_loop(0, most, lambda k, s: s + row(k), jnp.zeros((q.shape[0], n), acc)), jnp.max(total)

        skip = lambda q: (jnp.zeros((q.shape[0], n), acc), jnp.int32(0))  # noqa: E731
        return None, jax.lax.cond(jnp.any(act), read, skip, q)

    _, (sums, most) = jax.lax.scan(body, None, (queries, active))
    return sums.reshape(-1, n), jnp.max(most)


def _chunked(x, fill=0):
    """Pad the leading axis to a multiple of CHUNK and split it into (chunks, CHUNK, ...)."""
    pad = -x.shape[0] % CHUNK
    x = jnp.pad(x, [(0, pad)] + [(0, 0)] * (x.ndim - 1), constant_values=fill)
    return x.reshape(-1, CHUNK, *x.shape[1:])


def _threshold(sums, bits):
    """Majority vote: 1 where the sum is positive, 0 where negative, the query's bit on a tie."""
    return jnp.where(sums > 0, True, jnp.where(sums < 0, False, bits))


def neuron_step(static, operands, x, key, active):
    """One read of every query (the recall loop's step; `key` unused: the neurons are fixed)."""
    del key
    _, r, d, bound = static
    neurons_t, counters = operands
    q = x.shape[0]
    sums, most = _read_sums(neurons_t, counters, _chunked(pack_bits(x)), d, r, bound, _chunked(active, False))
    return _threshold(sums[:q], x), most <= bound


@functools.partial(jax.jit, static_argnames=("r", "bound"), compiler_options=XLA_OPTIONS)
def _read(neurons_t, counters, packed, bits, d, r: int, bound: int):
    sums, most = _read_sums(neurons_t, counters, packed, d, r, bound, jnp.ones(packed.shape[:2], bool))
    return _threshold(sums[: bits.shape[0]], bits), most


class NeuronSDM:
    """Kanerva's SDM with `r` random binary neurons in {0,1}^n, active within Hamming radius `d`.

    **Arguments:** `n`, `r`, `d` (0 <= d <= n), `seed` of the neuron addresses, `max_writes` (sets the
    counter type; more writes raise). **Methods:** `write(addresses, data)` stores bool (m, n) rows;
    `read(queries)` returns one bool (q, n) read. See the module docstring for the layout.
    """

    kind = "binary"

    def __init__(self, n: int, r: int, d: int, *, seed: int = 0, max_writes: int = 2**15 - 1):
        require_x64()
        self.n = int(as_int_array("n", n, lo=1, scalar=True))
        self.r = int(as_int_array("r", r, lo=1, hi=2**31 - 2, scalar=True))
        self.d = int(as_int_array("d", d, lo=0, hi=self.n, hi_name="n", scalar=True))
        self.max_writes = int(as_int_array("max_writes", max_writes, lo=1, scalar=True))
        seed = int(as_int_array("seed", seed, lo=0, scalar=True))
        import scipy.stats

        log_p = float(scipy.stats.binom.logcdf(self.d, self.n, 0.5))
        self.bound = active_bound(self.r, log_p)
        words = -(-self.n // WORD)
        blocks = -(-self.r // BLOCK)
        size = -(-self.r // (blocks * WORD)) * WORD  # even blocks of whole words: little padding
        mask = pack_bits(jnp.ones(self.n, dtype=bool))
        neurons = jax.random.bits(jax.random.key(seed), (blocks, words, size), jnp.uint64) & mask[:, None]
        self._neurons_t = neurons
        self.counters = jnp.zeros((self.r + 1, self.n), counter_dtype(self.max_writes))
        self.writes = 0

    @property
    def addresses(self) -> UInt64[Array, "r w"]:
        """The neuron addresses, bit-packed (bit i of an address is bit i % 64 of word i // 64)."""
        blocks, words, size = self._neurons_t.shape
        return jnp.moveaxis(self._neurons_t, 1, 2).reshape(blocks * size, words)[: self.r]

    def _bits(self, name: str, x) -> Bool[Array, "b n"]:
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.n:
            raise ValueError(f"{name} must be a (rows, n) array with n = {self.n} bits, got shape {x.shape}")
        if x.dtype != bool and not np.isin(x, (0, 1)).all():
            raise ValueError(f"{name} must hold 0/1 bits, got a value {x[~np.isin(x, (0, 1))].ravel()[0]!r}")
        return jnp.asarray(x.astype(bool))

    def write(self, addresses: Bool[Array, "m n"], data: Bool[Array, "m n"] | None = None) -> None:
        """Add bipolar `data` (default: the addresses themselves, autoassociative) to the counters of
        the neurons within d of each address. Raises `ActiveOverflow` (keeping the writes before the
        failing chunk of CHUNK addresses) when an address activates more than `bound` neurons."""
        addresses = self._bits("addresses", addresses)
        data = addresses if data is None else self._bits("data", data)
        if data.shape[0] != addresses.shape[0]:
            raise ValueError(f"data must have one row per address ({addresses.shape[0]}), got {data.shape[0]}")
        m = addresses.shape[0]
        if self.writes + m > self.max_writes:
            raise ValueError(f"max_writes={self.max_writes} allows {self.max_writes - self.writes} more writes, "
                             f"got {m}: build the memory with max_writes >= {self.writes + m}")
        bipolar = jnp.where(data, 1, -1).astype(jnp.int8)
        self.counters, most, failed = _write(
            self.counters, self._neurons_t, _chunked(pack_bits(addresses)), _chunked(bipolar), self.d, r=self.r, bound=self.bound
        )
        failed = int(failed)
        self.writes += m if failed < 0 else failed * CHUNK
        if failed >= 0:
            raise ActiveOverflow(f"an address among rows {failed * CHUNK}..{failed * CHUNK + CHUNK - 1} activated "
                                 f"{int(most)} > bound={self.bound} neurons; rows from {failed * CHUNK} on were not written")

    def read(self, queries: Bool[Array, "q n"], key=None) -> Bool[Array, "q n"]:
        """One read: the majority vote of the counters of the neurons within d of each query (`key`
        unused; it keeps the signature of the pattern-view memories)."""
        del key
        if self.writes == 0:
            raise ValueError("read of an empty memory: write at least one pattern first")
        queries = self._bits("queries", queries)
        out, most = _read(self._neurons_t, self.counters, _chunked(pack_bits(queries)), queries, self.d, r=self.r, bound=self.bound)
        if int(most) > self.bound:
            raise ActiveOverflow(f"a query activated {int(most)} > bound={self.bound} neurons")
        return out

    def _reader(self):
        """(step, static, operands) for the recall loop (see `sdmattn.memory.recall`)."""
        if self.writes == 0:
            raise ValueError("read of an empty memory: write at least one pattern first")
        return neuron_step, (self.n, self.r, self.d, self.bound), (self._neurons_t, self.counters)


__all__ = ["ActiveOverflow", "NeuronSDM", "active_bound", "counter_dtype"]
