r"""Sum the Puri-Lawande weights over the window of j that holds all but 10^-d of them, in exact integers with proved error bounds.

Why (issue 20, acceptance 4: crf :math:`\langle S_z\rangle` at S = 10^6 to 30 digits in <= 30 s).
The moments of :class:`analytic.exact.PuriLawande` are ratios of the sums
:math:`D = \sum_j t_j`, :math:`M_1 = \sum_j j\,t_j` over j = 0..2S of the weights
:math:`t_j = |\beta|^{-2j}T_j`.  Summing all 2S + 1 terms with mpmath (``method='full'``) costs
~25 us a term on an idle machine (~55 s at S = 10^6; 430 s measured at load 5-7 on 2 cores).  But the weights are concentrated: with :math:`u = j + 1`, :math:`N = 2S + 1`, the derived
term ratio (checked below against :func:`analytic.exact.trace_ratio`) is

.. math:: r_j = \frac{t_{j+1}}{t_j} = \frac{g(u)}{2|\beta|^2},\qquad g(u) = \frac{u(N^2 - u^2)}{2u + 1},

and :math:`g'(u)(2u+1)^2 = N^2 - 3u^2 - 4u^3` falls through zero once, so :math:`r_j` is unimodal
(non-decreasing, then non-increasing from the first j with :math:`4u^3 + 3u^2 \ge N^2`).  Below
:math:`\lambda = 1` the weights peak at :math:`j^* \approx 2S\sqrt{1-\lambda^2}` with a width
:math:`\sim\sqrt S`; at :math:`\lambda = 1` they fall from j = 0 like :math:`\exp(-u^3/12S^2)`
(width :math:`S^{2/3}`); above 1 geometrically, like :math:`\lambda^{-2j}`.  So at most ~10^5 terms
carry the sums to 40 digits at S = 10^6, whatever lambda (measured: 2 10^4 at lambda = 0.65,
1.0 10^5 at lambda = 1, 256 at lambda = 2).

Tail bounds (proved from the unimodality of r; the walk starts at the peak P, the first j past the
maximum of r with :math:`r_j \le 1`, or at 0 when :math:`r \le 1` everywhere, and goes both ways
until the bounds fall below ``10**-digits/4`` of the window's D and M1):

* right of R: if :math:`r_R < 1` and r is non-increasing from R on, or with
  :math:`q = \sup_j r_j \le N^2/(4|\beta|^2) < 1` (as :math:`u/(2u+1) < 1/2`):
  :math:`\sum_{k>R} t_k \le t_R\,q/(1-q)` and
  :math:`\sum_{k>R} k\,t_k \le t_R\,(Rq/(1-q) + q/(1-q)^2)`;
* left of L, if :math:`r_{L-1} > 1`: :math:`r_k \ge m = \min(r_0, r_{L-1})` on [0, L-1]
  (unimodal), so if m > 1, :math:`\sum_{k<L} t_k \le t_L/(m-1)`; in any case t decreases and then
  increases on [0, L] (the j with r > 1 form an interval), so
  :math:`\sum_{k<L} t_k \le L\max(t_0, t_L)`, :math:`t_0/t_P` from the closed form of
  :func:`analytic.exact.trace_power` (mpmath ``loggamma`` at >= 64 bits with a factor e of margin:
  the one bound not in exact arithmetic; used only when :math:`r_0 \le 1`, i.e.
  :math:`\lambda \gtrsim 0.82`, and the window does not reach j = 0);
  :math:`\sum_{k<L} k\,t_k \le L\sum_{k<L} t_k`.

Arithmetic (measured, 10^5 steps of the recurrence at 250 bits on this machine: Python integers
0.09 s, python-flint ``arb`` balls 0.14-0.27 s, mpmath ``mpf`` 2.4 s, mpmath ``iv`` intervals 8.9 s;
integers are fastest and keep :mod:`analytic` on SymPy, NumPy and mpmath only, as
tests/test_architecture.py requires): fixed point, :math:`t_j \approx T_j 2^{-F}` with
:math:`t_P = 1`, each step one exact integer product and one floor division by the exact rational
ratio (:math:`|\beta|^2 = p/q` from the exact omega, kappa, S), so every computed
:math:`T_j \le t_j2^F`; an integer :math:`E_j` carried along (:math:`E_{j\pm1} = \lceil E_jr\rceil + 1`)
bounds :math:`t_j2^F - T_j`.  Hence D and M1 lie in proved integer intervals, tails included, and
so does every ratio of them.  An irrational :math:`|\beta|^2` is replaced by a rational within
relative ``10**-(digits + 25)`` (SymPy's evalf, trusted at 30 extra digits), which moves each :math:`t_j/t_P` by a relative
:math:`\le 1.01\,|j - P|\,10^{-(digits+25)}` (included in ``rel``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable

import mpmath
import sympy as sp

from ..model import ModelError
from .puri_lawande import trace_power, trace_ratio

__all__ = ["WeightSums", "weight_sums"]

_BLOCK = 256  #: steps between two evaluations of the tail bounds


@dataclass(frozen=True)
class WeightSums:
    r"""Proved enclosures of :math:`D = \sum_j t_j`, :math:`M_1 = \sum_j j\,t_j`,
    :math:`R_1 = \sum_{j\ge1} t_j`, :math:`R_2 = \sum_{j\ge2} t_j` (units :math:`t_P2^{-F}`): each
    ``(lower, width)`` as integers, the true value in ``[lower, lower + width]``, both ends to be
    widened by the relative ``rel`` (nonzero only for an irrational :math:`|\beta|^2`); the window
    [``lo``, ``hi``] summed term by term from ``start``."""

    D: tuple[int, int]
    M1: tuple[int, int]
    R1: tuple[int, int]
    R2: tuple[int, int]
    F: int
    rel: Fraction
    lo: int
    hi: int
    start: int

    def bounds(self, name: str) -> tuple[Fraction, Fraction]:
        """``(lower, upper)`` of ``'D'``, ``'M1'``, ``'R1'`` or ``'R2'`` in units of :math:`t_P`, exact rationals."""
        low, width = getattr(self, name)
        scale = Fraction(1, 1 << self.F)
        return low * scale * (1 - self.rel), (low + width) * scale * (1 + self.rel)

    def mid(self, name: str, prec: int) -> mpmath.mpf:
        """The midpoint of :meth:`bounds` as an mpmath number of ``prec`` bits."""
        a, b = self.bounds(name)
        m = (a + b) / 2
        return mpmath.mpf(mpmath.libmp.from_rational(m.numerator, m.denominator, prec, mpmath.libmp.round_nearest))


@lru_cache(maxsize=1)
def _ratio_parts() -> tuple[Callable, Callable]:
    """(num, den): integer polynomials with :math:`T_{j+1}/T_j = num(j, 2S)/den(j, 2S)`, from the derived
    :func:`trace_ratio`, checked to be :math:`u(N^2-u^2)/(2(2u+1))` (the form the tail bounds are proved for)."""
    ratio = trace_ratio()
    syms = {s.name: s for s in ratio.free_symbols}
    j, S = syms["j"], syms["S"]
    s2 = sp.Symbol("s2", integer=True, positive=True)
    num, den = sp.fraction(sp.factor(sp.together(ratio.subs(S, s2 / 2))))
    u, N = j + 1, s2 + 1
    if sp.simplify(num / den - u * (N ** 2 - u ** 2) / (2 * (2 * u + 1))) != 0:  # pragma: no cover
        raise ModelError(f"T_(j+1)/T_j = {ratio} is not u(N^2 - u^2)/(2(2u + 1)): the tail bounds of "
                         "analytic.exact.window do not apply")
    for p in (num, den):
        if not sp.Poly(p, j, s2).domain.is_ZZ:  # pragma: no cover
            raise ModelError(f"term ratio {ratio}: not a quotient of integer polynomials")
    return sp.lambdify((j, s2), num, "math"), sp.lambdify((j, s2), den, "math")


def _log_mp(expr: sp.Expr, subs: dict) -> mpmath.mpf:
    """log of a product of powers of gamma functions, numbers and pi (:func:`trace_power`) at the
    substituted rational arguments, in mpmath (no factorial is ever expanded)."""
    if isinstance(expr, sp.Mul):
        return mpmath.fsum(_log_mp(f, subs) for f in expr.args)
    if isinstance(expr, sp.Pow):
        e = sp.Rational(expr.exp.subs(subs))
        return mpmath.mpf(e.p) / e.q * _log_mp(expr.base, subs)
    if isinstance(expr, sp.gamma):
        a = sp.Rational(expr.args[0].subs(subs))
        return mpmath.loggamma(mpmath.mpf(a.p) / a.q)
    if expr == sp.pi:
        return mpmath.log(mpmath.pi)
    v = sp.Rational(expr.subs(subs))
    if v <= 0:  # pragma: no cover
        raise ModelError(f"log of {expr} = {v}: not a positive number")
    return mpmath.log(mpmath.mpf(v.p) / v.q)


def _rational(b2: sp.Expr, digits: int) -> tuple[int, int, Fraction]:
    """(p, q, rel): p/q = ``b2`` exactly (rel = 0), or within relative rel = 10^-(digits + 25)."""
    if b2.is_Rational:
        return int(b2.p), int(b2.q), Fraction(0)
    r = Fraction(str(sp.N(b2, digits + 30)))
    return r.numerator, r.denominator, Fraction(1, 10 ** (digits + 25))


def _first_true(lo: int, hi: int, pred: Callable[[int], bool]) -> int:
    """The least j in [lo, hi] with pred(j) (pred false then true on [lo, hi]; hi if none before)."""
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def weight_sums(b2: sp.Expr, two_S: int, digits: int) -> WeightSums:
    r""":class:`WeightSums` of :math:`t_j = |\beta|^{-2j}T_j` (j = 0..2S, ``two_S`` = 2S) for the exact
    :math:`|\beta|^2` = ``b2`` > 0 (a SymPy number), to a relative ``10**-digits`` (module docstring)."""
    b2 = sp.sympify(b2)
    positive = b2.is_positive if b2.is_positive is not None else bool(sp.N(b2, 30) > 0)
    if not (positive and b2.is_finite is not False):
        raise ModelError(f"weight_sums needs a finite |beta|^2 > 0, got {b2}")
    if not (isinstance(two_S, int) and two_S >= 1 and isinstance(digits, int) and digits >= 1):
        raise ModelError(f"weight_sums needs 2S >= 1 and digits >= 1, got two_S={two_S!r}, digits={digits!r}")
    p, q, rel = _rational(b2, digits)
    rel = Fraction(101, 100) * (two_S + 1) * rel  # t_j(p/q)/t_j(b2) = (b2 q/p)^(j-P): within (1 +- rel)^(2S)
    F = math.ceil(digits * math.log2(10)) + 2 * two_S.bit_length() + 32
    while True:
        out = _walk(p, q, two_S, digits, F)
        D_low, D_w = out.D
        M_low, M_w = out.M1
        # the tails are below 10^-digits/4 of D and M1 by construction; the rounding must be too
        if D_w * 10 ** digits <= D_low and M_w * 10 ** digits <= M_low:
            return WeightSums(out.D, out.M1, out.R1, out.R2, F, rel, out.lo, out.hi, out.start)
        F += 64  # pragma: no cover (the first F has ~2 log2(2S) bits to spare)


def _walk(p: int, q: int, n2: int, digits: int, F: int) -> WeightSums:
    """The walk of :func:`weight_sums` at F fractional bits for :math:`|\\beta|^2 = p/q` (rel left 0)."""
    num, den = _ratio_parts()
    N = n2 + 1

    def r(j: int) -> Fraction:
        return Fraction(num(j, n2) * q, den(j, n2) * p)

    # r is non-increasing from jdec on (4u^3 + 3u^2 >= N^2, u = j + 1); its maximum is at jdec - 1 or jdec
    jdec = _first_true(0, n2, lambda j: 4 * (j + 1) ** 3 + 3 * (j + 1) ** 2 >= N * N)
    if r(max(jdec - 1, 0)) > 1 or r(jdec) > 1:  # start after the last j with r_j > 1 (right of any dip)
        P = _first_true(jdec, n2, lambda j: num(j, n2) * q <= den(j, n2) * p)
    else:
        P = 0
    rho = Fraction(N * N * q, 4 * p)  # sup_j r_j < N^2/(4|beta|^2)
    r0 = r(0)
    one = 1 << F
    T_hi = T_lo = one           # t_hi 2^F, t_lo 2^F (lower bounds: floor at every step)
    E_hi = E_lo = 0             # bounds of t 2^F - T
    D, M, ED, EM = one, P * one, 0, 0
    small = {P: (one, 0)} if P <= 1 else {}
    lo = hi = P
    t0_up = None                # t_0 2^F / t_P, upper bound, when first needed
    scale = 4 * 10 ** digits    # a tail is small enough below 1/scale of the window's sum
    while True:
        # ------------------------------------------------ tails at the current window (units 2^-F, upper bounds)
        ER = EMR = EL = None
        if hi >= n2:
            ER = EMR = 0
        else:
            qr = None
            rR = r(hi)
            if hi >= jdec and rR < 1:
                qr = rR
            if rho < 1 and (qr is None or rho < qr):
                qr = rho
            if qr is not None:
                tR = T_hi + E_hi
                ER = _ceil(tR * qr / (1 - qr))
                EMR = _ceil(tR * (hi * qr / (1 - qr) + qr / (1 - qr) ** 2))
        if lo <= 0:
            EL = 0
        else:
            rL = r(lo - 1)
            if rL > 1:
                tL = T_lo + E_lo
                if t0_up is None:
                    t0_up = _t0_bound(p, q, n2, P, F)
                EL = lo * max(tL, t0_up)
                m = min(r0, rL)
                if m > 1:
                    EL = min(EL, _ceil(tL / (m - 1)))
        ok_hi = ER is not None and M > 0 and ER * scale <= D and EMR * scale <= M
        ok_lo = EL is not None and M > 0 and EL * scale <= D and lo * EL * scale <= M
        if ok_hi and ok_lo:
            break
        # ------------------------------------------------ extend the sides whose tail is not yet small enough
        if not ok_hi:
            for j in range(hi, min(hi + _BLOCK, n2)):
                a, b = num(j, n2) * q, den(j, n2) * p
                T_hi = T_hi * a // b
                E_hi = -((-E_hi * a) // b) + 1
                D += T_hi
                M += (j + 1) * T_hi
                ED += E_hi
                EM += (j + 1) * E_hi
                if j + 1 <= 1:
                    small[j + 1] = (T_hi, E_hi)
            hi = min(hi + _BLOCK, n2)
        if not ok_lo:
            for j in range(lo - 1, max(lo - _BLOCK, 0) - 1, -1):
                a, b = den(j, n2) * p, num(j, n2) * q
                T_lo = T_lo * a // b
                E_lo = -((-E_lo * a) // b) + 1
                D += T_lo
                M += j * T_lo
                ED += E_lo
                EM += j * E_lo
                if j <= 1:
                    small[j] = (T_lo, E_lo)
            lo = max(lo - _BLOCK, 0)
    errD = ED + EL + ER
    # R1 = D - t_0, R2 = D - t_0 - t_1: subtract the computed (lower-bound) terms inside the window
    cut1 = small[0][0] if lo == 0 else 0
    cut2 = cut1 + (small[1][0] if lo <= 1 <= hi else 0)
    R2 = (D - cut2, errD) if n2 >= 2 else (0, 0)  # S = 1/2: no j >= 2
    return WeightSums(D=(D, errD), M1=(M, EM + lo * EL + EMR), R1=(D - cut1, errD), R2=R2,
                      F=F, rel=Fraction(0), lo=lo, hi=hi, start=P)


def _t0_bound(p: int, q: int, n2: int, P: int, F: int) -> int:
    r"""An upper bound of :math:`t_0 2^F/t_P = 2^F (T_0/T_P)|\beta|^{2P}` from the closed form
    :func:`trace_power` (mpmath loggamma, times e for margin)."""
    T = trace_power()
    syms = {s.name: s for s in T.free_symbols}
    half = sp.Rational(n2, 2)
    with mpmath.workprec(64 + 2 * max(n2, 2).bit_length()):
        v = _log_mp(T, {syms["j"]: 0, syms["S"]: half}) - _log_mp(T, {syms["j"]: P, syms["S"]: half}) \
            + P * (mpmath.log(p) - mpmath.log(q)) + 1 + F * mpmath.log(2)
        return int(mpmath.ceil(mpmath.exp(v)))
