r"""Evaluate the Puri-Lawande state of crf: mpmath at any precision (moments from windowed sums), float64 in the log domain, thin public functions.

Steps 4-5 of :mod:`analytic.exact`: the term ratio and beta derived in
:mod:`analytic.exact.puri_lawande`, summed without factorials (no overflow); the moments from the
windowed sums of :mod:`analytic.exact.window` (at most ~10^5 terms at S = 10^6: <Sz>/S to 30 digits
in ~0.1 s, where the sum of all terms in mpmath took ~55 s idle, 430 s loaded), the matrix elements in O(S).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np
import sympy as sp

from .. import models
from .. import values
from ..model import ModelError
from ..values import real_number, to_mpmath
from .puri_lawande import puri_lawande_beta, trace_ratio_function
from .window import WeightSums, weight_sums

Real = int | float | str | Fraction | mpmath.mpf | sp.Expr  #: a real argument (read exactly by analytic.values)
Number = float | complex | mpmath.mpf | mpmath.mpc  #: a moment, of whatever number type

__all__ = [
    "two_qubit_partial_transpose", "two_qubit_rows", "PuriLawande", "puri_lawande",
    "sz", "sz2", "purity", "xi2_x", "negativity", "qubit_purity", "crf_scalar",
]

# =========================================================================== fast evaluation
def _check_S(S) -> Fraction:
    try:
        f = Fraction(str(S)) if not isinstance(S, Fraction) else S
    except (ValueError, TypeError):
        raise ModelError(f"S must be a positive integer or half-integer, got S={S!r}") from None
    if f <= 0 or (2 * f).denominator != 1:
        raise ModelError(f"S must be a positive integer or half-integer, got S={S!r}")
    return f


def _check_rate(name, v, zero: bool = False):
    try:
        ok = (v >= 0 if zero else v > 0) and mpmath.isfinite(v)
    except TypeError:
        ok = False
    if not ok:
        raise ModelError(f"{name} must be a {'non-negative' if zero else 'positive'} finite number, got {name}={v!r}")


_BETA_FN: dict = {}


def _beta_mp(omega, kappa, S):
    if "f" not in _BETA_FN:
        m = models.crf()
        b = puri_lawande_beta()
        _BETA_FN["f"] = sp.lambdify([m.symbol("omega"), m.symbol("kappa"), m.symbol("S")], b, "mpmath")
    return mpmath.mpc(_BETA_FN["f"](omega, kappa, S))


def two_qubit_partial_transpose(rho4: mpmath.matrix) -> mpmath.matrix:
    r"""Partial transpose over the first qubit of a two-qubit matrix (basis
    :math:`\uparrow\uparrow, \uparrow\downarrow, \downarrow\uparrow, \downarrow\downarrow`),
    :math:`\rho^{T_A}_{(ab),(a'b')} = \rho_{(a'b),(ab')}`, at the current mpmath precision."""
    out = mpmath.matrix(4, 4)
    for a in range(2):
        for b in range(2):
            for a2 in range(2):
                for b2 in range(2):
                    out[2 * a + b, 2 * a2 + b2] = rho4[2 * a2 + b, 2 * a + b2]
    return out


def two_qubit_rows(S: Number, Sz: Number, Sz2: Number, Sp: Number, Sp2: Number, SpSz: Number) -> list:
    r"""Two-qubit reduced state of a symmetric 2S-qubit state from its collective moments
    (seed 000 eqs. 25-26), basis (uu, ud, du, dd), as rows of whatever number type the moments
    have (float, complex, mpmath):

    .. math::
        v_\pm = \frac{S^2 - S + \langle S_z^2\rangle \pm 2\langle S_z\rangle(S-\frac12)}{4S(S-\frac12)},\quad
        x_\pm = \frac{2(S-\frac12)\langle S_+\rangle \pm \langle\{S_+, S_z\}\rangle}{8S(S-\frac12)},

    :math:`w = (S^2 - \langle S_z^2\rangle)/(4S(S-\frac12))`, :math:`u = \langle S_+^2\rangle/(4S(S-\frac12))`.
    Seed 000 prints the denominators of :math:`v_\pm` and :math:`x_\pm` as :math:`4(S-\frac12)` and
    :math:`8(S-\frac12)`: a misprint (a factor S is missing), found by comparison with explicit
    partial traces.  ``S`` must already be >= 1.
    """
    h = S - 0.5  # 0.5 is exact in binary: keeps the number type (float or mpmath) of S
    d = 4 * S * h
    vp = (S * S - S + Sz2 + 2 * Sz * h) / d
    vm = (S * S - S + Sz2 - 2 * Sz * h) / d
    xp = (2 * h * Sp + SpSz) / (2 * d)
    xm = (2 * h * Sp - SpSz) / (2 * d)
    w = (S * S - Sz2) / d
    u = Sp2 / d
    return [[vp, xp.conjugate(), xp.conjugate(), u.conjugate()],
            [xp, w, w, xm.conjugate()],
            [xp, w, w, xm.conjugate()],
            [u, xm, xm, vm]]


def checked_dps(dps: object) -> int:
    """The digits of an exact evaluation: an integer from 5 to :data:`analytic.values.DPS_MAX`
    (beyond it the O(S) sums would run for hours); ModelError naming ``dps`` otherwise."""
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or not 5 <= dps <= values.DPS_MAX:
        raise ModelError(f"dps must be an integer from 5 to DPS_MAX = {values.DPS_MAX}, got dps={dps!r}")
    return int(dps)


class PuriLawande:
    r"""The Puri-Lawande steady state of ``models.crf()`` at given omega, kappa, S, evaluated
    with mpmath (seed 000 eqs. 11-12, with :math:`g = i\lambda S`): the moments from the windowed sums
    of :mod:`analytic.exact.window`, the matrix elements in O(S) operations.

    Parameters
    ----------
    omega, kappa : number
        Drive (>= 0; at omega = 0 the state is :math:`|S,-S\rangle`, the limit of the formulas) and
        decay (> 0; rate :math:`2\kappa/S` on :math:`\mathcal D[S^-]`), read exactly by
        :func:`analytic.values.exact_number` (``'1.8'``, ``'sqrt(2)/3'``, Fractions, SymPy and
        mpmath numbers) and rounded once to the working precision.
    S : int or half-integer
        Spin length.
    dps : int
        Decimal digits of the results (guard digits are added internally).
    method : {'window', 'full'}
        ``'window'`` (default): the weights summed in exact integers over the window that holds all but
        :math:`10^{-d}` of them, d the working digits, with proved tail bounds
        (:mod:`analytic.exact.window`, exact integers; at most ~10^5 terms at S = 10^6, whatever lambda);
        ``'full'``: all 2S + 1 terms in mpmath (the reference the window is tested against).

    Attributes
    ----------
    beta : mpmath.mpc
        :math:`\beta = g^* = -i\omega S/(2\kappa)`.
    """

    def __init__(self, omega: Real, kappa: Real, S: Real, dps: int = 30, method: str = "window") -> None:
        self.dps = checked_dps(dps)
        if method not in ("window", "full"):
            raise ModelError(f"method must be 'window' or 'full', got method={method!r}")
        self.method = method
        self.S = _check_S(S)
        self.n = int(2 * self.S) + 1
        # the recurrence loses ~log10(n) digits; variances lose ~2 log10(S) by cancellation
        self._wdps = self.dps + 2 * int(math.log10(self.n) + 1) + 12
        with mpmath.workdps(self._wdps):
            self._exact = tuple(real_number(v, n) for v, n in ((omega, "omega"), (kappa, "kappa")))
            self.omega, self.kappa = (to_mpmath(x) for x in self._exact)
            _check_rate("omega", self.omega, zero=True)
            _check_rate("kappa", self.kappa)
            self.Sm = mpmath.mpf(self.S.numerator) / self.S.denominator
            self.beta = _beta_mp(self.omega, self.kappa, self.Sm)
            self.b2 = abs(self.beta) ** 2
            self._ws: WeightSums | None = None
            self._sums()

    # ---------------------------------------------------------------- the j-sums
    def _sums(self):
        r"""The sums :math:`D = \sum_j t_j`, :math:`M_1 = \sum_j j\,t_j`, :math:`R_1 = \sum_{j\ge1} t_j`,
        :math:`R_2 = \sum_{j\ge2} t_j` of the weights :math:`t_j \propto |\beta|^{-2j}T_j` (j = 0..2S), up to
        a common factor (every result is a ratio of them): over the window with proved tail bounds
        (:mod:`analytic.exact.window`), or all terms (``method='full'``, :meth:`_sums_full`).  At
        omega = 0 (:math:`\beta = 0`) only :math:`t_{2S}` is nonzero (the state :math:`|S,-S\rangle`)."""
        if self.method == "full":
            return self._sums_full()
        two_S = self.n - 1
        if self.b2 == 0:
            one = mpmath.mpf(1)
            self.D, self.M1 = one, mpmath.mpf(two_S)
            self.R1, self.R2 = (one if two_S >= 1 else mpmath.mpf(0)), (one if two_S >= 2 else mpmath.mpf(0))
            return
        m = models.crf()
        beta = puri_lawande_beta().subs({m.symbol("omega"): self._exact[0], m.symbol("kappa"): self._exact[1],
                                         m.symbol("S"): sp.Rational(self.S.numerator, self.S.denominator)})
        b2 = sp.expand(beta * sp.conjugate(beta))  # |beta|^2, exact
        ws = weight_sums(b2, two_S, self._wdps)
        self._ws = ws
        prec = mpmath.mp.prec
        self.D, self.M1, self.R1, self.R2 = (ws.mid(k, prec) for k in ("D", "M1", "R1", "R2"))

    def _sums_full(self):
        r"""All the terms :math:`t_j \propto |\beta|^{-2j}T_j` (j = 0..2S) and their sums, in mpmath.
        The terms are scaled by :math:`|\beta|^{2(2S)}/T_{2S}`: the recurrence runs
        from j = 2S down, :math:`t_j = t_{j+1}|\beta|^2/\rho_j` (:math:`\rho_j = T_{j+1}/T_j`), with no
        division by :math:`|\beta|^2`, so it holds at omega = 0 too (:math:`\beta = 0`: only
        :math:`t_{2S} \neq 0`, the state :math:`|S,-S\rangle`)."""
        ratio = trace_ratio_function("mpmath")
        S = self.Sm
        t = [mpmath.mpf(0)] * self.n
        t[-1] = mpmath.mpf(1)
        for j in range(self.n - 2, -1, -1):
            t[j] = t[j + 1] * self.b2 / ratio(j, S)
        self.D = mpmath.fsum(t)
        self.M1 = mpmath.fsum(j * tj for j, tj in enumerate(t))
        self.R1 = mpmath.fsum(t[1:])  # positive terms: no cancellation
        self.R2 = mpmath.fsum(t[2:])

    def sz_bounds(self) -> tuple[Fraction, Fraction]:
        r"""Exact rationals ``(lower, upper)`` that provably hold :math:`\langle S_z\rangle/S = -M_1/(2SD)`
        (rounding and truncated tails included, exact omega and kappa; :mod:`analytic.exact.window`);
        ``method='window'`` and omega != 0 only."""
        if self._ws is None:
            raise ModelError("sz_bounds needs method='window' and omega != 0")
        (m0, m1), (d0, d1) = self._ws.bounds("M1"), self._ws.bounds("D")
        return -m1 / (2 * self.S * d0), -m0 / (2 * self.S * d1)

    def _out(self, v):
        """Round a working-precision result to ``dps`` digits (independent of the global mp.dps)."""
        with mpmath.workdps(self.dps):
            if isinstance(v, mpmath.mpc):
                return mpmath.mpc(+v.real, +v.imag)
            return +v

    # ---------------------------------------------------------------- moments
    def _raw_moments(self) -> dict:
        """The moments at the working precision (guard digits kept, for derived quantities)."""
        with mpmath.workdps(self._wdps):
            S, D, bc = self.Sm, self.D, mpmath.conj(self.beta)
            C = S * (S + 1)
            rest1, rest2 = self.R1, self.R2  # sum_{j>=1} t_j, sum_{j>=2} t_j
            sz = -self.M1 / (2 * D)
            spsm = self.b2 * rest1 / D
            sz2 = C + sz - spsm
            sp_ = bc * rest1 / D
            sp2 = bc ** 2 * rest2 / D
            spsz = -bc * self.M1 / (2 * D)          # <S+ Sz>
            anti = 2 * spsz + sp_                   # {S+, Sz} = 2 S+ Sz + S+
            sx = mpmath.re(sp_)
            sy = mpmath.im(sp_)
            smsp = spsm - 2 * sz
            sx2 = (2 * mpmath.re(sp2) + spsm + smsp) / 4
            sy2 = (-2 * mpmath.re(sp2) + spsm + smsp) / 4
            return dict(Sz=sz, Sz2=sz2, SpSm=spsm, Sp=sp_, Sp2=sp2, SpSz_sym=anti, Sx=sx, Sy=sy, Sx2=sx2, Sy2=sy2)

    def moments(self) -> dict:
        r"""Moments (mpmath, ``dps`` digits): ``Sz``, ``Sz2``, ``SpSm`` (:math:`\langle S^+S^-\rangle`),
        ``Sp`` (:math:`\langle S^+\rangle`), ``Sp2``, ``SpSz_sym``
        (:math:`\langle\{S^+, S_z\}\rangle`), and ``Sx``, ``Sy``, ``Sx2``, ``Sy2``."""
        return {k: self._out(v) for k, v in self._raw_moments().items()}

    def variances(self) -> dict:
        r"""Spin variances :math:`\Delta S_\alpha = \langle S_\alpha^2\rangle - \langle S_\alpha\rangle^2`
        (seed 000 eq. 22), keys ``x``, ``y``, ``z``."""
        with mpmath.workdps(self._wdps):
            m = self._raw_moments()
            return {a: self._out(m[f"S{a}2"] - m[f"S{a}"] ** 2) for a in "xyz"}

    def xi2(self, axis: str = "x") -> mpmath.mpf:
        r"""Spin squeezing :math:`\xi^2 = 2S\Delta S_{n_1}^2/(\langle S_{n_2}\rangle^2 + \langle S_{n_3}\rangle^2)`
        (seed 000 eq. 28) along ``axis``."""
        if axis not in ("x", "y", "z"):
            raise ModelError(f"axis must be 'x', 'y' or 'z', got axis={axis!r}")
        with mpmath.workdps(self._wdps):
            m = self._raw_moments()
            var = m[f"S{axis}2"] - m[f"S{axis}"] ** 2
            den = sum(m[f"S{b}"] ** 2 for b in "xyz" if b != axis)
            if den == 0:
                raise ModelError(f"xi2 along {axis!r} is undefined: the mean spin perpendicular to it vanishes")
            return self._out(2 * self.Sm * var / den)

    def qubit_state(self) -> mpmath.matrix:
        r"""One-qubit reduced state (seed 000 eq. 27), basis (up, down), as a 2x2 mpmath matrix."""
        with mpmath.workdps(self._wdps):
            m = self._raw_moments()
            S = self.Sm
            return mpmath.matrix([[(1 + m["Sz"] / S) / 2, mpmath.conj(m["Sp"]) / (2 * S)],
                                  [m["Sp"] / (2 * S), (1 - m["Sz"] / S) / 2]])

    def qubit_purity(self) -> mpmath.mpf:
        r"""Single-qubit purity :math:`\mathrm{Tr}\rho_q^2 = (1 + |\langle\mathbf S\rangle|^2/S^2)/2`
        (seed 000 eq. 27, Fig. 5b)."""
        with mpmath.workdps(self._wdps):
            q = self.qubit_state()
            return self._out(mpmath.re(mpmath.fsum(q[i, j] * q[j, i] for i in range(2) for j in range(2))))

    def two_qubit_state(self) -> mpmath.matrix:
        r"""Two-qubit reduced state (seed 000 eqs. 25-26 with the corrected denominators
        :math:`4S(S-\tfrac12)` for :math:`v_\pm` and :math:`8S(S-\tfrac12)` for :math:`x_\pm`),
        basis (uu, ud, du, dd).  Needs S >= 1."""
        if self.S < 1:
            raise ModelError(f"two_qubit_state needs two qubits (S >= 1), got S={self.S}")
        with mpmath.workdps(self._wdps):
            m = self._raw_moments()
            return mpmath.matrix(two_qubit_rows(self.Sm, m["Sz"], m["Sz2"], m["Sp"], m["Sp2"], m["SpSz_sym"]))

    def negativity(self) -> mpmath.mpf:
        r"""Two-qubit negativity :math:`\sum_i(|\mu_i| - \mu_i)/2` (seed 000 eq. 24) of
        :meth:`two_qubit_state` (partial transpose over the first qubit)."""
        with mpmath.workdps(self._wdps):
            ev = mpmath.eighe(two_qubit_partial_transpose(self.two_qubit_state()), eigvals_only=True)
            return self._out(mpmath.fsum((abs(e) - e) / 2 for e in ev))

    # ---------------------------------------------------------------- matrix-element structure
    def _separable(self):
        r"""(r_a, W_a) with :math:`\rho_{ab} D = \beta^{-a}\beta^{*-b}q_aq_bW_{\min(a,b)}` and
        :math:`r_a = |\beta|^{-2a}q_a^2` (index a = S - m), both up to a common factor
        :math:`|\beta|^{2(2S)}` (every result is homogeneous of degree 0 in r): r runs from a = 2S down,
        :math:`r_a = r_{a+1}|\beta|^2/((a+1)(2S-a))`, so that omega = 0 (:math:`\beta = 0`) needs no
        division by :math:`|\beta|^2`."""
        n, S2 = self.n, self.n - 1
        r, W = [mpmath.mpf(0)] * n, [mpmath.mpf(0)] * n
        r[S2] = mpmath.factorial(S2)                # q_{2S}^2 = (2S)!/0!
        for a in range(S2 - 1, -1, -1):
            r[a] = r[a + 1] * self.b2 / ((a + 1) * (S2 - a))
        wk = mpmath.factorial(S2)                   # p_0^2 = (2S)!/0!
        acc = mpmath.mpf(0)
        for a in range(n):
            acc += wk
            W[a] = acc
            if a + 1 < n:
                wk = wk * self.b2 / ((S2 - a) * (a + 1))
        return r, W

    def _phase(self):
        r""":math:`|\beta|/\beta` (1 at :math:`\beta = 0`, where only the diagonal entry a = 2S is nonzero)."""
        return abs(self.beta) / self.beta if self.b2 != 0 else mpmath.mpc(1)

    def populations(self) -> list:
        r"""Populations :math:`P(m)`, m = S, S-1, ..., -S (list of mpf)."""
        with mpmath.workdps(self._wdps):
            r, W = self._separable()
            D = mpmath.fsum(x * y for x, y in zip(r, W))
            return [self._out(x * y / D) for x, y in zip(r, W)]

    def purity(self) -> mpmath.mpf:
        r"""Purity :math:`\mathrm{Tr}\rho^2` (seed 000 eq. 23) in O(S):
        :math:`D^{-2}\sum_a r_aW_a^2(r_a + 2\sum_{b>a}r_b)`, a sum of positive terms."""
        with mpmath.workdps(self._wdps):
            r, W = self._separable()
            D = mpmath.fsum(x * y for x, y in zip(r, W))
            tail = mpmath.mpf(0)
            tot = mpmath.mpf(0)
            for a in range(self.n - 1, -1, -1):
                tot += r[a] * W[a] ** 2 * (r[a] + 2 * tail)
                tail += r[a]
            return self._out(tot / D ** 2)

    def density_matrix(self) -> mpmath.matrix:
        r"""The dense density matrix (mpmath), Dicke basis m = S..-S.  O(S^2) memory: for tests
        and small S."""
        with mpmath.workdps(self._wdps):
            r, W = self._separable()
            n = self.n
            D = mpmath.fsum(x * y for x, y in zip(r, W))
            u = self._phase()  # beta^-a q_a = (|beta|/beta)^a sqrt(r_a)
            q = [u ** a * mpmath.sqrt(r[a]) for a in range(n)]
            out = mpmath.matrix(n, n)
            for a in range(n):
                for b in range(n):
                    out[a, b] = q[a] * mpmath.conj(q[b]) * W[min(a, b)] / D
            return out

    def husimi(self, theta: Real, phi: Real) -> mpmath.mpf:
        r"""Husimi function :math:`Q = \langle\theta,\phi|\rho|\theta,\phi\rangle` (seed 000 eqs. 29-30)
        with the spin coherent state
        :math:`|\theta,\phi\rangle = \sum_m \binom{2S}{S+m}^{1/2}\cos^{S+m}\tfrac\theta2
        \sin^{S-m}\tfrac\theta2 e^{i(S-m)\phi}|S,m\rangle` (:math:`\theta = 0`: m = S), in O(S):
        :math:`Q = D^{-1}\sum_k |\beta|^{2k}p_k^2|\sum_{a\ge k}\bar z_a\beta^{-a}q_a|^2`."""
        with mpmath.workdps(self._wdps):
            th, ph = mpmath.mpf(theta), mpmath.mpf(phi)
            n, S2 = self.n, self.n - 1
            r, W = self._separable()
            D = mpmath.fsum(x * y for x, y in zip(r, W))
            c, s = mpmath.cos(th / 2), mpmath.sin(th / 2)
            vals = []
            for a in range(n):  # a = S - m excitations below the top
                za = mpmath.sqrt(mpmath.binomial(S2, a)) * c ** (S2 - a) * s ** a * mpmath.expj(a * ph)
                vals.append(mpmath.conj(za) * self._phase() ** a * mpmath.sqrt(r[a]))  # beta^-a q_a
            tot, U = mpmath.mpf(0), mpmath.mpc(0)
            wk = [W[0]] + [W[k] - W[k - 1] for k in range(1, n)]
            for k in range(n - 1, -1, -1):
                U += vals[k]
                tot += wk[k] * abs(U) ** 2
            return self._out(tot / D)


def puri_lawande(omega: Real, kappa: Real, S: Real, dps: int = 30, method: str = "window") -> PuriLawande:
    r"""The exact steady state of ``models.crf()`` (seed 000 eqs. 11-12), see :class:`PuriLawande`."""
    return PuriLawande(omega, kappa, S, dps, method)


# ---------------------------------------------------------------- float64 fast path
def _log_terms(omega: float, kappa: float, S: float):
    """log t_j, j = 0..2S, with t_j = |beta|^-2j T_j, from the derived term ratio (float64)."""
    Sf = _check_S(S)
    n = int(2 * Sf) + 1
    if not (omega > 0 and kappa > 0 and np.isfinite(omega) and np.isfinite(kappa)):
        raise ModelError(f"omega and kappa must be positive finite numbers, got omega={omega!r}, kappa={kappa!r}")
    S = float(Sf)
    b2 = abs(complex(_beta_value_float(omega, kappa, S))) ** 2
    j = np.arange(n - 1, dtype=float)
    ratio = trace_ratio_function("numpy")(j, S)
    logt = np.empty(n)
    logt[0] = math.log(2 * S + 1)
    logt[1:] = logt[0] + np.cumsum(np.log(ratio) - math.log(b2))
    return logt, b2, S


def _beta_value_float(omega, kappa, S):
    if "np" not in _BETA_FN:
        m = models.crf()
        _BETA_FN["np"] = sp.lambdify([m.symbol("omega"), m.symbol("kappa"), m.symbol("S")], puri_lawande_beta(), "numpy")
    return _BETA_FN["np"](omega, kappa, S)


def _sz_float(omega, kappa, S) -> float:
    logt, b2, Sf = _log_terms(float(omega), float(kappa), S)
    w = np.exp(logt - logt.max())
    j = np.arange(len(w))
    return float(-np.sum(j * w) / (2 * np.sum(w)) / Sf)


def _sz2_float(omega, kappa, S) -> float:
    logt, b2, Sf = _log_terms(float(omega), float(kappa), S)
    w = np.exp(logt - logt.max())
    j = np.arange(len(w))
    D = np.sum(w)
    sz = -np.sum(j * w) / (2 * D)
    spsm = b2 * np.sum(w[1:]) / D
    return float((Sf * (Sf + 1) + sz - spsm) / Sf ** 2)


def _purity_float(omega, kappa, S) -> float:
    Sf = _check_S(S)
    n = int(2 * Sf) + 1
    b2 = abs(complex(_beta_value_float(float(omega), float(kappa), float(Sf)))) ** 2
    a = np.arange(n, dtype=float)
    # log r_a = log q_a^2 - a log b2 ; log w_k = log p_k^2 + k log b2  (lgamma: no overflow)
    lf = np.array([math.lgamma(k + 1.0) for k in range(n)])  # log a!, a = 0..2S; log (2S - a)! = lf[::-1]
    logr = lf - lf[::-1] - a * math.log(b2)
    logw = lf[::-1] - lf + a * math.log(b2)
    logW = np.logaddexp.accumulate(logw)
    rev = np.logaddexp.accumulate(logr[::-1])[::-1]        # log sum_{b>=a} r_b
    tail = np.concatenate([rev[1:], [-np.inf]])             # log sum_{b>a} r_b
    logD = np.logaddexp.reduce(logr + logW)
    inner = np.logaddexp(logr, math.log(2) + tail)
    return float(np.exp(np.logaddexp.reduce(logr + 2 * logW + inner) - 2 * logD))


# ---------------------------------------------------------------- thin public functions


def sz(omega: Real, kappa: Real, S: Real, dps: int = 30) -> mpmath.mpf:
    r""":math:`\langle S_z\rangle/S` of the exact crf steady state (seed 000 eqs. 11-12, Fig. 2b),
    ``dps`` correct digits (mpmath), proved by the interval of :meth:`PuriLawande.sz_bounds`."""
    return crf_scalar("sz")(omega, kappa, S, dps=checked_dps(dps))


def sz2(omega: Real, kappa: Real, S: Real, dps: int = 30) -> mpmath.mpf:
    r""":math:`\langle S_z^2\rangle/S^2` of the exact crf steady state (seed 000 eqs. 11-12)."""
    return crf_scalar("sz2")(omega, kappa, S, dps=checked_dps(dps))


def purity(omega: Real, kappa: Real, S: Real, dps: int = 30) -> mpmath.mpf:
    r""":math:`\mathrm{Tr}\rho^2` of the exact crf steady state (seed 000 eq. 23, Fig. 5a), O(S)."""
    return crf_scalar("purity")(omega, kappa, S, dps=checked_dps(dps))


def xi2_x(omega: Real, kappa: Real, S: Real, dps: int = 30) -> mpmath.mpf:
    r""":math:`\xi^2_x = 2S\Delta S_x^2/(\langle S_y\rangle^2 + \langle S_z\rangle^2)` (seed 000 eq. 28, Fig. 6b)."""
    return crf_scalar("xi2_x")(omega, kappa, S, dps=checked_dps(dps))


def negativity(omega: Real, kappa: Real, S: Real, dps: int = 30) -> mpmath.mpf:
    r"""Two-qubit negativity (seed 000 eqs. 24-26 with corrected denominators, Fig. 6a); S >= 1."""
    return crf_scalar("negativity")(omega, kappa, S, dps=checked_dps(dps))


def qubit_purity(omega: Real, kappa: Real, S: Real, dps: int = 30) -> mpmath.mpf:
    r"""Single-qubit purity :math:`\mathrm{Tr}\rho_q^2` (seed 000 eq. 27, Fig. 5b)."""
    return crf_scalar("qubit_purity")(omega, kappa, S, dps=checked_dps(dps))


def _sz_proved(st: PuriLawande, dps: int) -> mpmath.mpf:
    """<Sz>/S from :meth:`PuriLawande.sz_bounds`, refused unless the interval proves ``dps + 2`` digits."""
    a, b = st.sz_bounds()
    if (b - a) * 10 ** (dps + 2) > abs(a):  # pragma: no cover (the guard digits suffice)
        raise ModelError(f"<Sz>/S in [{float(a)}, {float(b)}]: the interval does not prove {dps} digits")
    m = (a + b) / 2
    return mpmath.mpf(mpmath.libmp.from_rational(m.numerator, m.denominator, mpmath.mp.prec, mpmath.libmp.round_nearest))


def _S_mp(S, dps):
    f = _check_S(S)
    with mpmath.workdps(dps):
        return mpmath.mpf(f.numerator) / f.denominator


# =========================================================================== evaluator of the registered formulas
def crf_scalar(kind: str) -> Callable:
    """``fn(omega, kappa, S, dps=None)``: the exact crf steady-state quantity ``kind`` (``'sz'``,
    ``'sz2'``, ``'purity'``, ``'xi2_x'``, ``'negativity'``, ``'qubit_purity'``), a float64 (``dps=None``:
    the log-domain fast path where there is one) or an mpmath number with ``dps`` digits."""
    fast = {"sz": _sz_float, "sz2": _sz2_float, "purity": _purity_float}

    def fn(omega: Real, kappa: Real, S: Real, dps: int | None = None) -> float | mpmath.mpf:
        # every quantity registered here is even in omega: rho(-omega) = R rho(omega) R^+ with
        # R = exp(i pi S_z) (S_x, S_y -> -S_x, -S_y; D[S^-] unchanged), which leaves S_z, S_z^2, the
        # purity, xi2_x, the two-qubit negativity and the qubit purity as they are
        if dps is None:
            omega = abs(omega)
        else:
            omega = abs(real_number(omega, "omega"))  # the one parser (analytic.values), kept exact
        if dps is None:
            if kind in fast and omega != 0:  # the float64 fast path works with log |beta|
                return fast[kind](omega, kappa, S)
            return float(crf_scalar(kind)(omega, kappa, S, dps=30))  # cancellations: via mpmath
        st = PuriLawande(omega, kappa, S, dps)
        Smp = _S_mp(S, st._wdps)
        with mpmath.workdps(st._wdps):
            if kind == "sz":
                v = _sz_proved(st, dps) if st._ws is not None else st._raw_moments()["Sz"] / Smp
            elif kind == "sz2":
                v = st._raw_moments()["Sz2"] / Smp ** 2
            elif kind == "purity":
                v = st.purity()
            elif kind == "xi2_x":
                v = st.xi2("x")
            elif kind == "negativity":
                v = st.negativity()
            elif kind == "qubit_purity":
                v = st.qubit_purity()
            else:  # pragma: no cover
                raise ModelError(kind)
        with mpmath.workdps(dps):
            return +v
    return fn
