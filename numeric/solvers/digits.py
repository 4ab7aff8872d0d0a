r"""Fixed-point vectors as int64 digit arrays, and the exact residual of the collective Liouvillian on them.

The arbitrary-precision refinement (:mod:`numeric.solvers.precision`) needs :math:`\mathcal L\rho` exactly,
up to the granularity :math:`2^{-p}`.  In Python integers (object arrays) each operation on an entry
costs ~40 ns of interpreter and allocation whatever its width; at crf S = 400 (d = 801, 321 000
real unknowns) one residual cost 0.37 s.  Here a number is ``L`` digits of ``B = 26`` bits in int64,

.. math:: v = \sum_{t<L} v_t\,2^{Bt},\qquad 0 \le v_t < 2^B\ (t < L-1),\quad v_{L-1} \text{ signed},

(floor-normalised: shifting off the low digits is Python's ``>>``, the floor), and a product of two
numbers is a convolution of their digits into int64 columns (each product below :math:`2^{52}`, so
that 2000 of them add without overflow) followed by one carry pass.  The kernel computes the same
integers as :meth:`numeric.solvers.precision.FixedPointLiouvillian.apply` bit for bit (the same
products, shifted by :math:`p` at the same places), on the real-form coordinates only (upper triangle,
symmetry sector) and without building :math:`d\times d` matrices; it releases the GIL and runs on
disjoint ranges of coordinates in threads.  ``p`` must be a multiple of ``B``
(:func:`aligned_bits`).

Why compiled and hand-written: no library on PyPI offers vectorised fixed-width big integers for
NumPy (python-flint's ``fmpz_mat`` multiplies dense matrices: :math:`d^3`, where the Liouvillian is
banded; gmpy2's ``mpz`` are object-array entries like Python ints).
"""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

import numpy as np
from numba import njit

from numeric.core.errors import SolverError
from numeric.solvers.frontal import default_threads

__all__ = ["B", "aligned_bits", "DigitFormat", "DigitLiouvillian", "to_digits", "to_ints", "ratios"]

#: bits per digit: a product of two digits is below 2**52, so 2**11 of them fit in an int64 column
B = 26
_MASK = (1 << B) - 1
#: numbers whose top digit reaches 2**(B - 1) in magnitude overflow their width
_TOP = 1 << (B - 1)


def aligned_bits(p: int) -> int:
    """``p`` rounded up to a multiple of :data:`B` (the digit kernels shift by whole digits)."""
    return -(-p // B) * B


def _width(max_abs: int, p: int) -> int:
    """Digits for numbers of magnitude up to ``max_abs`` (in units of :math:`2^{-p}`) with a margin of a
    digit: the fraction's ``p / B`` digits and the integer part's."""
    return max(-(-(int(max_abs).bit_length() + 1) // B), p // B + 1) + 1


# ------------------------------------------------------------------ conversions (Python side)
def to_digits(v: Sequence[int] | np.ndarray, L: int) -> np.ndarray:
    """``(len(v), L)`` int64 digits of the Python ints ``v`` (:class:`SolverError` if one needs more than ``L``)."""
    v = np.asarray(v, dtype=object).ravel()
    out = np.zeros((len(v), L), dtype=np.int64)
    if not len(v):
        return out
    limit = 1 << (B * L - 1)
    if not (-limit <= v.min() and v.max() < limit):
        raise SolverError(f"fixed-point values of up to {max(abs(int(v.min())), abs(int(v.max()))).bit_length()} bits "
                          f"do not fit {L} digits of {B} bits")
    for s in range(L - 1):  # object-array operations on Python ints: floor shifts, as the digits' definition
        out[:, s] = (v & _MASK).astype(np.int64)
        v = v >> B
    out[:, L - 1] = v.astype(np.int64)
    return out


def to_ints(x: np.ndarray) -> np.ndarray:
    """Object array of the Python ints that the digit rows of ``x`` stand for."""
    x = np.asarray(x, dtype=np.int64)
    n, L = x.shape
    neg, mag, _ = _magnitudes(x)
    nbytes = -(-(B * L) // 8) + 1
    raw = _pack(mag, nbytes).tobytes()
    frm = int.from_bytes
    out = np.empty(n, dtype=object)
    out[:] = [-frm(raw[k * nbytes:(k + 1) * nbytes], "little") if s else frm(raw[k * nbytes:(k + 1) * nbytes], "little")
              for k, s in enumerate(neg.tolist())]
    return out


def ratios(x: np.ndarray, T: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """``(man, exp)``: object array of Python ints and int64 array with ``man * 2**exp`` the quotient of each
    digit row of ``x`` by the positive Python int ``T``, truncated to ``bits`` significant bits rounded up to
    a multiple of 64 (relative error below 2**(1 - bits), for an mpf rounded from it:
    ``mpmath.libmp.from_man_exp``).  The quotient is the product with the reciprocal ``floor(2**E / T)``,
    ``E`` ``bits + 64`` bits beyond ``T``'s, in digits: no Python integer per row but the mantissa itself."""
    x = np.ascontiguousarray(x, dtype=np.int64)
    W = -(-int(bits) // 64)
    tb = int(T).bit_length()
    E = -(-(tb + 64 * W + 64) // B) * B
    R = to_digits([(1 << E) // int(T)], -(-(E - tb + 2) // B) + 1)[0]
    neg, mag, size = _magnitudes(x)
    words, exp = np.zeros((len(x), W), np.uint64), np.zeros(len(x), np.int64)
    _ranges(default_threads(), _ratios, len(x), mag, size, R, words, exp)
    man = np.zeros(len(x), dtype=object)
    for w in range(W):  # most significant word first
        man = (man << 64) | words[:, w].astype(object)
    man[neg] = -man[neg]
    return man, exp - E


# ------------------------------------------------------------------ compiled helpers
@njit(cache=True, nogil=True)
def _norm_row(v, k):  # pragma: no cover - compiled
    """Carry pass over the digits of row ``k`` of a 2-D array, in place (indexed, not through a view, whose
    reference count threads would contend for); False if the top digit overflows."""
    L = v.shape[1]
    carry = 0
    for t in range(L - 1):
        c = v[k, t] + carry
        carry = c >> B
        v[k, t] = c & _MASK
    v[k, L - 1] += carry
    return -_TOP <= v[k, L - 1] < _TOP


@njit(cache=True, nogil=True)
def _mac(cols, A, ra, la, X, rx, lx, s):  # pragma: no cover - compiled
    """cols[u + w] += s A[ra, u] X[rx, w] over the significant digits ``la``, ``lx`` of two magnitudes (rows
    of 2-D digit arrays: no array views, whose reference counts threads would contend for): the digit
    convolution of one product (``s`` = +-1, its sign)."""
    for u in range(la):
        au = s * A[ra, u]
        if au != 0:
            for w in range(lx):
                cols[u + w] += au * X[rx, w]


@njit(cache=True, nogil=True)
def _shift_add(cols, n, P, out, s):  # pragma: no cover - compiled
    """``out += s * (value of cols[:n] >> B P)`` digit-wise (``out`` not normalised), zeroing ``cols``; False
    on overflow of ``out``'s width."""
    L = out.shape[0]
    carry = 0
    for t in range(n):
        c = cols[t] + carry
        carry = c >> B
        cols[t] = c & _MASK
    top = carry  # the digits from P + L - 1 up fold into the top digit
    for t in range(n - 1, P + L - 2, -1):
        if not -(1 << 36) < top < (1 << 36):
            for u in range(n):
                cols[u] = 0
            return False
        top = (top << B) + cols[t]
    for t in range(L - 1):
        out[t] += s * cols[P + t]
    out[L - 1] += s * top
    for u in range(n):
        cols[u] = 0
    return True


@njit(cache=True, nogil=True)
def _magnitudes(x):  # pragma: no cover - compiled
    """(negative?, |x| as normalised digits, number of significant digits of |x|) per row."""
    n, L = x.shape
    neg = np.zeros(n, np.bool_)
    mag = x.copy()
    size = np.zeros(n, np.int64)
    for k in range(n):
        if x[k, L - 1] < 0:
            neg[k] = True
            for t in range(L):
                mag[k, t] = -x[k, t]
            _norm_row(mag, k)
        for t in range(L - 1, -1, -1):
            if mag[k, t] != 0:
                size[k] = t + 1
                break
    return neg, mag, size


def _signed(v: np.ndarray):
    """:func:`_magnitudes` of digit rows of any leading shape, flattened to rows ``(q, a) -> q * len + a``."""
    return _magnitudes(np.ascontiguousarray(v.reshape(-1, v.shape[-1])))


@njit(cache=True, nogil=True)
def _pack(mag, nbytes):  # pragma: no cover - compiled
    """Little-endian bytes of non-negative digit rows, ``nbytes`` per row."""
    n, L = mag.shape
    out = np.zeros((n, nbytes), np.uint8)
    for k in range(n):
        acc, bits, q = 0, 0, 0
        for t in range(L):
            acc |= mag[k, t] << bits
            bits += B
            while bits >= 8:
                out[k, q] = acc & 255
                acc >>= 8
                bits -= 8
                q += 1
        while bits > 0 and q < nbytes:
            out[k, q] = acc & 255
            acc >>= 8
            bits -= 8
            q += 1
    return out


@njit(cache=True, nogil=True)
def _from_float(k0, k1, f, e, out):  # pragma: no cover - compiled
    """Rows ``k0 <= k < k1`` of ``out`` (zeroed): the digits of floor(f * 2**e) for float64 ``f`` (the binary
    value exactly, as :func:`numeric.solvers.precision.float_to_fixed`); False on an overflow."""
    L = out.shape[1]
    ok = True
    for k in range(k0, k1):
        m, ex = math.frexp(f[k])
        mi = np.int64(m * 9007199254740992.0)  # m * 2**53, exact
        sh = ex - 53 + e
        if sh < 0:
            mi = mi >> min(-sh, 63)  # the floor, as Python's >>
            sh = 0
        neg = mi < 0
        mi = -mi if neg else mi
        q, r = sh // B, sh % B
        for t in range(3):  # |mi| <= 2**53: three digits
            dig = mi & _MASK
            mi = mi >> B
            if q + t < L:
                out[k, q + t] += dig << r
            elif dig != 0:
                ok = False
        if neg:
            for t in range(L):
                out[k, t] = -out[k, t]
        ok &= _norm_row(out, k)
    return ok


@njit(cache=True, nogil=True)
def _add(k0, k1, x, y, s, out):  # pragma: no cover - compiled
    """Rows ``k0 <= k < k1``: out = x + s y (s = +-1), normalised; False on an overflow."""
    L = x.shape[1]
    ok = True
    for k in range(k0, k1):
        for t in range(L):
            out[k, t] = x[k, t] + s * y[k, t]
        ok &= _norm_row(out, k)
    return ok


@njit(cache=True, nogil=True)
def _values(k0, k1, x, out):  # pragma: no cover - compiled
    """out[k] = the value of digit row k in float64 for k0 <= k < k1: Horner from the (signed) top digit down.
    Floor-normalised digits need no magnitude first: while the partial value is small it is exact, and once
    it is large the digit added is below its rounding's scale, so a small negative number (top digit -1,
    the rest full) comes out exact and any other to within a few roundings."""
    L = x.shape[1]
    for k in range(k0, k1):
        v = 0.0
        for t in range(L - 1, -1, -1):
            v = v * 67108864.0 + x[k, t]  # 2**26
        out[k] = v


@njit(cache=True, nogil=True)
def _ratios(k0, k1, mag, size, R, words, exp):  # pragma: no cover - compiled
    """Rows ``k0 <= k < k1`` of the magnitudes ``mag`` (``size`` significant digits): the leading ``64 W`` bits
    of |x R| as the ``W`` uint64 ``words`` (most significant first) and the weight ``exp`` of the last bit kept
    (``|x R| ~= words 2**exp``)."""
    L = mag.shape[1]
    W = words.shape[1]
    LR = R.shape[0]
    Rm = R.reshape(1, LR)
    cols = np.zeros(L + LR + 1, np.int64)
    want = 64 * W
    for k in range(k0, k1):
        if size[k] == 0:
            continue
        _mac(cols, mag, k, size[k], Rm, 0, LR, 1)
        carry = 0
        top = 0
        for t in range(L + LR + 1):
            c = cols[t] + carry
            carry = c >> B
            cols[t] = c & _MASK
            if cols[t] != 0:
                top = t
        nb = 0
        v = cols[top]
        while v > 0:
            v >>= 1
            nb += 1
        # the leading bits, from the top digit down, shifted into the words; e: the weight of the last bit kept
        have, t, e = 0, top, 0
        while t >= 0 and have < want:
            bits = nb if t == top else B
            take = min(bits, want - have)
            part = np.uint64(cols[t] >> (bits - take))
            for w in range(W - 1):
                words[k, w] = (words[k, w] << np.uint64(take)) | (words[k, w + 1] >> np.uint64(64 - take))
            words[k, W - 1] = (words[k, W - 1] << np.uint64(take)) | part
            have += take
            e = B * t + bits - take
            t -= 1
        exp[k] = e
        for u in range(L + LR + 1):
            cols[u] = 0
    return True


@njit(cache=True, nogil=True)
def _entry(tre, tim, c):  # pragma: no cover - compiled
    """(re index, im index, im sign) of the vec entry c = a + b d of rho: -1 where it has no such part."""
    t = tre[c]
    u = tim[c]
    if u > 0:
        return t, u - 1, 1
    if u < 0:
        return t, -u - 1, -1
    return t, -1, 0


@njit(cache=True, nogil=True)
def _weights(k0, k1, ci, cj, d, Joff, Jre, Jim, Jcx, P, Wr, Wi):  # pragma: no cover - compiled
    r""":math:`W_{ab} = (j_a\bar j_b) \gg p` of every jump (offset ``o``) at every coordinate ``(a, b)`` with
    :math:`a + o, b + o` inside (zero elsewhere): ``Wr`` its real part, ``Wi`` its imaginary part for a
    complex jump (``Jcx``), for the coordinates ``k0 <= k < k1``.  The digits come in normalised; False on an
    overflow."""
    Lc = Jre.shape[2]
    cols = np.zeros(2 * Lc + 1, np.int64)
    ok = True
    for q in range(Joff.shape[0]):
        o = Joff[q]
        for k in range(k0, k1):
            a, b = ci[k], cj[k]
            if a + o < 0 or a + o >= d or b + o < 0 or b + o >= d:
                continue
            _mac(cols, Jre[q], a, Lc, Jre[q], b, Lc, 1)
            if Jcx[q]:
                _mac(cols, Jim[q], a, Lc, Jim[q], b, Lc, 1)
            ok &= _shift_add(cols, 2 * Lc, P, Wr[q, k], 1)
            ok &= _norm_row(Wr[q], k)
            if Jcx[q]:
                _mac(cols, Jim[q], a, Lc, Jre[q], b, Lc, 1)
                _mac(cols, Jre[q], a, Lc, Jim[q], b, Lc, -1)
                ok &= _shift_add(cols, 2 * Lc, P, Wi[q, k], 1)
                ok &= _norm_row(Wi[q], k)
    return ok


@njit(cache=True, nogil=True)
def _apply_range(k0, k1, ci, cj, kind, d, tre, tim, xs, Koff, Kr, Ki, Joff, Wr, Wi, Jcx, P, base, out):
    # pragma: no cover - compiled
    r"""``out[k] = base[k] -`` coordinate ``k`` of :math:`\mathcal L\rho` for ``k0 <= k < k1`` (``base`` empty:
    zero): the integers of
    ``FixedPointLiouvillian.apply``: ``Rr = Mr + Mr^T``, ``Ri = Mi - Mi^T`` with :math:`M = (KX) \gg p`,
    :math:`(KX)_{ab} = \sum_o K_o[a] X_{a+o,b}`, and :math:`J\rho J^\dagger` as
    :math:`(W_{ab}\rho_{a+o,b+o}) \gg p` (:func:`_weights`).  ``xs``, ``Kr``, ``Ki``, ``Wr``, ``Wi``:
    sign-magnitude digits (:func:`_magnitudes`; rows ``q * d + a`` of ``K``, ``q * n + k`` of ``W``).
    One function body: a call per term with a dozen array arguments cost ~0.4 us in reference counts,
    ten times the products.  False on an overflow."""
    xneg, xmag, xlen = xs
    krn, krm, krl = Kr
    kin, kim, kil = Ki
    wrn, wrm, wrl = Wr
    win, wim, wil = Wi
    L = xmag.shape[1]
    n = krm.shape[1] + L
    cols = np.zeros(n + 1, np.int64)
    acc = np.zeros(L, np.int64)
    ok = True
    nk, nw = Koff.shape[0], ci.shape[0]
    with_base = base.shape[0] > 0
    for k in range(k0, k1):
        a, b, kd = ci[k], cj[k], kind[k]
        want = 1 if kd == 2 else 0
        for t in range(L):
            acc[t] = 0
        # K X at (a, b) and at (b, a): Re R_ab = Mr_ab + Mr_ba, Im R_ab = Mi_ab - Mi_ba (diagonal: 2 Mr_aa)
        for side in range(1 if kd == 0 else 2):
            row, col = (a, b) if side == 0 else (b, a)
            for q in range(nk):
                r = row + Koff[q]
                if r < 0 or r >= d:
                    continue
                tr, ti, si = _entry(tre, tim, r + col * d)
                c = q * d + row
                # Re: kr xr - ki xi; Im: kr xi + ki xr (the coefficient's parts, each a product when nonzero)
                t, sg = (tr, 1) if want == 0 else (ti, si)
                if t >= 0 and krl[c] and xlen[t]:
                    _mac(cols, xmag, t, xlen[t], krm, c, krl[c], -sg if krn[c] != xneg[t] else sg)
                t, sg = (ti, -si) if want == 0 else (tr, 1)
                if t >= 0 and kil[c] and xlen[t]:
                    _mac(cols, xmag, t, xlen[t], kim, c, kil[c], -sg if kin[c] != xneg[t] else sg)
            if side == 0:
                ok &= _shift_add(cols, n, P, acc, 2 if kd == 0 else 1)
            else:
                ok &= _shift_add(cols, n, P, acc, -1 if want == 1 else 1)
        # J rho J^dagger: (W_ab X_{a+o, b+o}) >> p for each jump
        for q in range(Joff.shape[0]):
            o = Joff[q]
            if a + o < 0 or a + o >= d or b + o < 0 or b + o >= d:
                continue
            tr, ti, si = _entry(tre, tim, (a + o) + (b + o) * d)
            c = q * nw + k
            t, sg = (tr, 1) if want == 0 else (ti, si)
            if t >= 0 and wrl[c] and xlen[t]:
                _mac(cols, xmag, t, xlen[t], wrm, c, wrl[c], -sg if wrn[c] != xneg[t] else sg)
            if Jcx[q]:
                t, sg = (ti, -si) if want == 0 else (tr, 1)
                if t >= 0 and wil[c] and xlen[t]:
                    _mac(cols, xmag, t, xlen[t], wim, c, wil[c], -sg if win[c] != xneg[t] else sg)
            ok &= _shift_add(cols, n, P, acc, 1)
        for t in range(L):  # out[k] = base[k] - acc, normalised
            out[k, t] = (base[k, t] if with_base else 0) - acc[t]
        ok &= _norm_row(out, k)
    return ok


# ------------------------------------------------------------------ the public objects
class DigitFormat:
    """The refinement's arithmetic on digit arrays (:func:`numeric.solvers.precision.refine`'s ``fmt``):
    ``L`` digits per number."""

    def __init__(self, L: int):
        self.L = L

    def from_float(self, f: np.ndarray, e: int) -> np.ndarray:
        """Digits of floor(f * 2**e) (as ``float_to_fixed``)."""
        f = np.ascontiguousarray(f, dtype=np.float64)
        out = np.zeros((len(f), self.L), np.int64)
        if not _ranges(default_threads(), _from_float, len(f), f, int(e), out):
            raise SolverError(f"fixed-point refinement: a correction does not fit {self.L} digits of {B} bits")
        return out

    def add(self, x: np.ndarray, y: np.ndarray, sign: int = 1) -> np.ndarray:
        """x + y (``sign`` -1: x - y)."""
        out = np.empty_like(x)
        if not _ranges(default_threads(), _add, len(x), np.ascontiguousarray(x), np.ascontiguousarray(y), sign, out):
            raise SolverError(f"fixed-point refinement: a sum does not fit {self.L} digits of {B} bits")
        return out

    @staticmethod
    def scaled(x: np.ndarray) -> tuple[np.ndarray, int]:
        """(float array, s) with ``x ~= float_array * 2**s``, max below about 2**61, s >= 0 (as ``scaled_float``,
        each value rounded to float64 rather than truncated to 60 bits)."""
        x = np.ascontiguousarray(x)
        out = np.empty(len(x))
        _ranges(default_threads(), _values, len(x), x, out)
        top = np.abs(out).max() if len(out) else 0.0
        s = max(math.frexp(top)[1] - 60, 0) if np.isfinite(top) else 0
        if not np.isfinite(top):
            raise SolverError(f"fixed-point value beyond float64's range ({x.shape[1]} digits of {B} bits)")
        return np.ldexp(out, -s), s


class DigitLiouvillian:
    r"""The exact residual :math:`-\mathcal L\rho` on real-form coordinates in digits, for a fixed-point
    Liouvillian whose jumps each have one nonzero diagonal.

    ``K``: ``{offset: (re, im)}`` (object arrays of Python ints, units :math:`2^{-p}`, entries
    ``K[i, i + offset]``); ``jumps``: a list of such one-diagonal dicts; ``i, j, kind``: the real-form
    coordinates; ``tre, tim``: their vec maps (:meth:`numeric.core.liouvillian.RealForm.vec_maps`);
    ``x_max``: the largest magnitude of the unknowns to expect (units :math:`2^{-p}`).
    """

    def __init__(self, K: dict, jumps: list, p: int, i, j, kind, d: int, tre, tim, x_max: int,
                 threads: int | None = None):
        if p % B:
            raise ValueError(f"DigitLiouvillian: p = {p} is not a multiple of {B} (use aligned_bits)")
        if any(len(J) != 1 for J in jumps):
            raise ValueError("DigitLiouvillian: every jump must have one nonzero diagonal")
        self.p, self.P, self.d = p, p // B, d
        big = [abs(int(t)) for part in (*K.values(), *(v for J in jumps for v in J.values())) for arr in part
               for t in arr]
        cmax = max(big, default=0)
        self.Lc = _width(max(cmax, (cmax * cmax) >> p), p)
        terms = 2 * len(K) + len(jumps) + 1
        self.L = _width(max(int(x_max), ((int(x_max) * max(cmax, 1 << p)) >> p) * terms) << 2, p)
        if 2 * max(len(K), 1) * min(self.Lc, self.L) >= 1 << (63 - 2 * B):  # products in one int64 column
            raise ValueError(f"DigitLiouvillian: {len(K)} diagonals of K overflow an int64 column of digit products")
        self.Koff = np.array(list(K), dtype=np.int64)
        empty = np.zeros((0, d, self.Lc), np.int64)
        Kre = np.stack([to_digits(re, self.Lc).reshape(d, self.Lc) for re, _ in K.values()]) if K else empty
        Kim = np.stack([to_digits(im, self.Lc).reshape(d, self.Lc) for _, im in K.values()]) if K else empty
        self.Kr, self.Ki = _signed(Kre), _signed(Kim)
        offs = [next(iter(J)) for J in jumps]
        self.Joff = np.array(offs, dtype=np.int64)
        Jre = np.stack([to_digits(J[o][0], self.Lc) for J, o in zip(jumps, offs)]) if jumps else empty
        Jim = np.stack([to_digits(J[o][1], self.Lc) for J, o in zip(jumps, offs)]) if jumps else empty
        self.Jcx = np.array([any(J[o][1]) for J, o in zip(jumps, offs)], dtype=np.bool_)
        self.i, self.j = np.ascontiguousarray(i, np.int64), np.ascontiguousarray(j, np.int64)
        self.kind = np.ascontiguousarray(kind, np.int64)
        self.tre, self.tim = np.ascontiguousarray(tre, np.int64), np.ascontiguousarray(tim, np.int64)
        n = len(self.i)
        Wr = np.zeros((len(jumps), n, self.Lc), np.int64)
        Wi = np.zeros((len(jumps) if self.Jcx.any() else 0, n, self.Lc), np.int64)
        self.threads = threads or default_threads()
        if not _ranges(self.threads, _weights, n, self.i, self.j, d, self.Joff, Jre, Jim, self.Jcx, self.P, Wr,
                       Wi if len(Wi) else np.zeros((len(jumps), 1, self.Lc), np.int64)):
            raise SolverError(f"fixed-point residual: a jump weight does not fit {self.Lc} digits of {B} bits")
        self.Wr = _signed(Wr)
        self.Wi = _signed(Wi if len(Wi) else np.zeros((len(jumps), 0, self.Lc), np.int64))  # read for complex jumps
        self.format = DigitFormat(self.L)

    def residual(self, x: np.ndarray, base: np.ndarray | None = None) -> np.ndarray:
        r"""``base -`` the real-form coordinates of :math:`\mathcal L\rho` for the digit rows ``x`` of
        :math:`\rho`'s coordinates (units :math:`2^{-p}`; ``base`` digit rows, default zero)."""
        n = len(self.i)
        out = np.empty((n, self.L), dtype=np.int64)
        base = np.zeros((0, self.L), np.int64) if base is None else np.ascontiguousarray(base, dtype=np.int64)
        xs = _magnitudes(np.ascontiguousarray(x))
        if not _ranges(self.threads, _apply_range, n, self.i, self.j, self.kind, self.d, self.tre, self.tim, xs,
                       self.Koff, self.Kr, self.Ki, self.Joff, self.Wr, self.Wi, self.Jcx, self.P, base, out):
            raise SolverError(f"fixed-point residual: a value does not fit {self.L} digits of {B} bits")
        return out


def _ranges(threads: int, kernel: Callable[..., bool], n: int, *args) -> bool:
    """``kernel(k0, k1, *args)`` over ``[0, n)`` in ``4 threads`` ranges on ``threads`` threads (compiled
    kernels that release the GIL and write disjoint rows); True if every range returned True."""
    if threads == 1 or n < 2000:
        return bool(kernel(0, n, *args))
    cuts = np.linspace(0, n, 4 * threads + 1).astype(int)
    with ThreadPoolExecutor(threads) as pool:
        return all([f.result() for f in [pool.submit(kernel, int(a), int(b), *args)
                                         for a, b in zip(cuts[:-1], cuts[1:])]])
