r"""Exact steady states in closed form at any S: the Puri-Lawande family of cooperative
resonance fluorescence, its moments and reduced states, and the totally mixed state of N atoms.

Conventions (docs/ARCHITECTURE.md): hbar = 1; a Lindblad rate r multiplies :math:`\mathcal D[L]` without a
factor 2 (QuTiP).  ``models.crf()``: :math:`H = \omega S_x`, rate :math:`\Gamma = 2\kappa/S` on
:math:`\mathcal D[S^-]` (seed 000 eq. 10 written with the factor-2 dissipator);
:math:`\lambda = \omega/(2\kappa)`.  Standard spin operators, Dicke basis :math:`m = S, \dots, -S`.

Derivation (everything below is produced by SymPy from the model, nothing is typed in)
------------------------------------------------------------------------------------------
1. **The state** (seed 000 eqs. 11-12).  With :math:`A = \beta - S^-` and
   :math:`\eta = \sum_{n=0}^{2S} (S^-/\beta)^n = \beta A^{-1}` (:math:`S^-` is nilpotent),
   :math:`\rho \propto \eta\eta^\dagger = |\beta|^2 (A^\dagger A)^{-1}`.  Conjugating
   :math:`\mathcal L\rho` with A turns the steady-state condition into an operator identity,
   :math:`-i(H_{\rm eff} - K) + i(H_{\rm eff} - K)^\dagger + \Gamma S^- S^+ = 0`, where
   :math:`H_{\rm eff} = H - \tfrac i2\Gamma S^+S^-` and :math:`[S^-, H_{\rm eff}] = K A`.
   :func:`puri_lawande_beta` solves :math:`[S^-, H_{\rm eff}] = K(\beta - S^-)` in the operator
   algebra of :mod:`analytic.algebra` (symbolic S) and :func:`stationarity_operator` returns the
   left-hand side of the identity, which is the zero operator: a proof at every S.  Result:
   :math:`\beta = -i\omega/\Gamma = -i\lambda S`, i.e. seed 000's :math:`g = \beta^* = i\lambda S
   = i\omega S/(2\kappa)`, **not** the printed :math:`g = i\omega S/\kappa` (a factor 2; the
   numeric solver agrees with :math:`i\lambda S` to 50 digits).
2. **Traces** :math:`T_j = \mathrm{Tr}(S^{+j}S^{-j})`: the summand over Dicke states comes from
   the squared matrix element :math:`|\langle m-1|S^-|m\rangle|^2 = \mathbf S^2 - (S_z^2 - S_z)`
   (canonical form of :math:`\mathbf S^2 - S^+S^-` in the algebra); its term ratio is that of a
   terminating :math:`{}_2F_1(\cdot;1)`, summed by Chu-Vandermonde:
   :math:`T_j = (j!)^2 (2S+j+1)!/((2S-j)!(2j+1)!)` -- the summand of seed 000 eq. (12).
3. **Moments.**  :math:`\mathrm{Tr}(S^{-m}S^{+n}S^{+p}f(S_z)S^{-q})` vanishes unless
   :math:`n + p = m + q = j`, so every normally ordered moment is one finite sum over j with
   weights :math:`t_j = |\beta|^{-2j}T_j`:

   .. math:: \langle S^{+p} f(S_z) S^{-q}\rangle = \frac{1}{D}\sum_{j}
             \beta^{-(j-q)}\beta^{*-(j-p)}\,\mathrm{Tr}(S^{+j}f(S_z)S^{-j}),\qquad D = \sum_j t_j,

   with :math:`\mathrm{Tr}(S^{+j}S_zS^{-j}) = -\tfrac j2 T_j` (the summand is symmetric under
   :math:`k \to 2S-j-k`) and :math:`S_z^2 = \mathbf S^2 + S_z - S^+S^-`.
4. **Fast evaluation**: :math:`t_{j+1}/t_j` is the rational function derived in 2 (no factorials,
   no overflow), O(S) operations, mpmath at any precision (guard digits added for the
   :math:`O(S)` rounding of the recurrence and for cancellations) or float64 in the log domain.
5. **Matrix elements**: :math:`c_{k,j}^2 = p_k^2 q_{k+j}^2` factorises
   (:math:`p_k^2 = (2S-k)!/k!`, :math:`q_a^2 = a!/(2S-a)!`, index :math:`a = S - m`), hence
   :math:`\rho_{ab} \propto \beta^{-a}\beta^{*-b}q_aq_b W_{\min(a,b)}`,
   :math:`W_a = \sum_{k\le a}|\beta|^{2k}p_k^2`: populations, purity :math:`\mathrm{Tr}\rho^2`
   (seed 000 eq. 23) and the Husimi function (eqs. 29-30) in O(S), all sums of positive terms.

Totally mixed state of N atoms (seed 004 App. D): block sums over the spin-j irreps with the
integer degeneracies :math:`d^N_j` of eq. (D1), exact rational arithmetic for every N.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Callable

import mpmath
import numpy as np
import sympy as sp

from . import models
from .algebra import Op, commutator
from .model import Model, ModelError
from . import values
from .values import real_number, to_mpmath

__all__ = [
    "puri_lawande_beta", "puri_lawande_g", "stationarity_operator", "squared_lowering_element",
    "trace_power", "trace_ratio", "moment_expr", "PuriLawande", "puri_lawande",
    "sz", "sz2", "purity", "xi2_x", "negativity", "qubit_purity",
    "degeneracy", "mixed_moments", "mixed_g2",
    "crf_scalar", "mixed_g2_scalar", "xi2_expr", "qubit_purity_expr", "purity_expr", "negativity_expr", "mixed_g2_expr",
]

_J = sp.Symbol("j", integer=True, nonnegative=True)
_K = sp.Symbol("k", integer=True, nonnegative=True)


# =========================================================================== symbolic derivation
def _crf_parts(model: Model | None):
    """(spin, H, jump, rate) of a model with one spin and one collective decay S^-."""
    model = models.crf() if model is None else model
    spins = [s for s in model.subsystems if s.kind == "spin"]
    if len(model.subsystems) != 1 or len(spins) != 1:
        raise ModelError(f"model {model.name!r}: the Puri-Lawande solution needs a single collective spin")
    spin = spins[0]
    if len(model.dissipators) != 1 or model.dissipators[0].kind != "collective" \
            or not (model.dissipators[0].jump - spin.minus).is_zero():
        raise ModelError(f"model {model.name!r}: the Puri-Lawande solution needs exactly one collective "
                         "dissipator with jump operator S-")
    d = model.dissipators[0]
    return spin, model.hamiltonian, d.jump, d.rate


def _solve_beta(model: Model | None):
    spin, H, L, rate = _crf_parts(model)
    Heff = H - (L.dagger() * L) * (sp.I * rate / 2)
    C = commutator(L, Heff)
    beta, k = sp.symbols("beta k_coef")
    ansatz = spin.z * (spin.minus * -1 + beta) * k
    eqs = [sp.expand(c) for c in (C - ansatz).terms.values()]
    sol = sp.solve(eqs, [beta, k], dict=True)
    if len(sol) != 1:
        raise ModelError("Puri-Lawande: [S-, H_eff] is not of the form K (beta - S-) with K ~ Sz; "
                         f"the model is outside the family (solutions: {sol})")
    return spin, Heff, L, rate, sp.simplify(sol[0][beta]), spin.z * sol[0][k]


@lru_cache(maxsize=4)
def _beta_cached():
    return _solve_beta(None)


def puri_lawande_beta(model: Model | None = None) -> sp.Expr:
    r"""The parameter :math:`\beta` of :math:`\eta = \sum_{n=0}^{2S}(S^-/\beta)^n` (seed 000 eq. 11,
    :math:`\beta = g^*`), derived from the model by solving :math:`[S^-, H_{\rm eff}] = K(\beta - S^-)`
    in the operator algebra (symbolic S).  For ``models.crf()``: :math:`-i\omega S/(2\kappa)`.

    Raises
    ------
    ModelError
        The model is not a single spin with one collective :math:`S^-` decay, or the commutator
        does not factorise (the model is not in the Puri-Lawande family).
    """
    return (_beta_cached() if model is None else _solve_beta(model))[4]


def puri_lawande_g(model: Model | None = None) -> sp.Expr:
    r"""Seed 000's :math:`g` (eq. 11) in our convention: :math:`g = \beta^* = i\omega S/(2\kappa)
    = i\lambda S`.  The paper prints :math:`g = i\omega S/\kappa`, a factor 2 too large for its own
    eq. (10)."""
    return sp.conjugate(puri_lawande_beta(model))


def stationarity_operator(model: Model | None = None) -> Op:
    r"""The operator :math:`A\,\mathcal L(\rho)\,A^\dagger/|\beta|^2` for :math:`\rho = \eta\eta^\dagger`,
    :math:`A = \beta - S^-`:

    .. math:: -i(H_{\rm eff} - K) + i(H_{\rm eff} - K)^\dagger + \Gamma S^-S^+,

    with :math:`[S^-, H_{\rm eff}] = KA`.  It is the zero operator iff :math:`\eta\eta^\dagger` is
    stationary (A is invertible); returned in canonical form so that ``.is_zero()`` is the proof."""
    spin, Heff, L, rate, beta, K = _beta_cached() if model is None else _solve_beta(model)
    M = Heff - K
    out = M * (-sp.I) + M.dagger() * sp.I + (L * L.dagger()) * rate
    return out.simplify()


def squared_lowering_element(model: Model | None = None) -> sp.Expr:
    r""":math:`|\langle S, m-1|S^-|S, m\rangle|^2 = \mathbf S^2 - (S_z^2 - S_z)` as a function of the
    symbol ``m``, from the canonical form of :math:`\mathbf S^2 - S^+S^-` in the algebra."""
    spin = _crf_parts(model)[0]
    op = spin.x * spin.x + spin.y * spin.y + spin.z * spin.z - spin.plus * spin.minus
    m = sp.Symbol("m")
    poly = 0
    for word, c in op.terms.items():
        if any(g.letter != "z" for g in word):
            raise ModelError("S^2 - S+S- is not a polynomial in Sz")  # pragma: no cover
        poly += c * m ** len(word)
    return sp.factor(spin.casimir() - poly)


def _rf_neg(a, n):
    """rf(a, n) for a negative argument, as (-1)^n ff(-a, n) in factorials."""
    return (-1) ** n * sp.ff(-a, n).rewrite(sp.factorial)


@lru_cache(maxsize=2)
def _trace_power_derived():
    spin = _crf_parts(None)[0]
    S = spin.S
    e2 = squared_lowering_element()
    m, i = sp.Symbol("m"), sp.Symbol("i", integer=True, nonnegative=True)
    # |<k+j| S-^j |k>|^2, k = S - m excitations below the top state
    c2 = sp.product(e2.subs(m, S - _K - i), (i, 0, _J - 1))
    ratio = sp.factor(sp.combsimp(c2.subs(_K, _K + 1) / c2))
    num, den = sp.fraction(ratio)
    # ratio = (k + a1)(k + a2) / ((k + b1)(k + 1)): a terminating 2F1(a1, a2; b1; 1)
    nroots = sp.roots(sp.Poly(num, _K))
    droots = sp.roots(sp.Poly(den, _K))
    if sum(nroots.values()) != 2 or sum(droots.values()) != 2 or -1 not in droots:
        raise ModelError(f"trace_power: term ratio {ratio} is not that of a 2F1")  # pragma: no cover
    a1, a2 = [-r for r, mult in nroots.items() for _ in range(mult)]
    b1 = [-r for r in droots if r != -1][0]
    N = 2 * S - _J  # number of terms - 1
    if sp.simplify(a1 + N) != 0:
        a1, a2 = a2, a1
    if sp.simplify(a1 + N) != 0:
        raise ModelError("trace_power: the 2F1 does not terminate at k = 2S - j")  # pragma: no cover
    t0 = sp.combsimp(c2.subs(_K, 0).rewrite(sp.factorial))
    t0 = (-1) ** _J * _rf_neg(-2 * S, _J) * sp.factorial(_J) if t0.has(sp.RisingFactorial) else t0
    # Chu-Vandermonde: 2F1(-N, b; c; 1) = (c - b)_N / (c)_N, here with c - b and c negative
    T = t0 * _rf_neg(b1 - a2, N) / _rf_neg(b1, N)
    T = sp.combsimp(sp.powsimp(T, force=True))
    T_ratio = sp.factor(sp.expand_func(sp.gammasimp(T.subs(_J, _J + 1) / T)))
    return sp.simplify(T), T_ratio, c2


def trace_power(j=None) -> sp.Expr:
    r""":math:`T_j = \mathrm{Tr}(S^{+j}S^{-j})` in closed form (symbolic S), derived by
    Chu-Vandermonde from the Dicke matrix elements; equals
    :math:`(j!)^2(2S+j+1)!/((2S-j)!(2j+1)!)`, the summand of seed 000 eq. (12)."""
    T = _trace_power_derived()[0]
    return T if j is None else T.subs(_J, j)


def trace_ratio() -> sp.Expr:
    r""":math:`T_{j+1}/T_j` as a rational function of j and S (the term ratio of the fast evaluator)."""
    return _trace_power_derived()[1]


def moment_expr(p: int, q: int, r: int = 0, scaled: bool = False) -> sp.Expr:
    r"""SymPy finite-sum expression of :math:`\langle S^{+p} S_z^r S^{-q}\rangle` in the
    Puri-Lawande state of ``models.crf()`` (seed 000 eqs. 11-12), ``r`` in {0, 1, 2}; arguments
    omega, kappa, S.  ``scaled`` divides by :math:`S^{p+q+r}`."""
    if not (isinstance(p, int) and isinstance(q, int) and p >= 0 and q >= 0):
        raise ModelError(f"moment_expr: p and q must be non-negative integers, got p={p!r}, q={q!r}")
    if r not in (0, 1, 2):
        raise ModelError(f"moment_expr: r must be 0, 1 or 2, got r={r!r}")
    spin = _crf_parts(None)[0]
    S = spin.S
    beta = puri_lawande_beta()
    T = trace_power()
    if r == 0:
        Tf = T
    elif r == 1:
        Tf = -_J * T / 2
    else:  # Sz^2 = S^2 + Sz - S+S-
        Tf = (spin.casimir() - _J / 2) * T - T.subs(_J, _J + 1)
    top = 2 * S
    num = sp.Sum(beta ** (q - _J) * sp.conjugate(beta) ** (p - _J) * Tf, (_J, max(p, q), top))
    den = sp.Sum(sp.Abs(beta) ** (-2 * _J) * T, (_J, 0, top))
    out = num / den
    return out / S ** (p + q + r) if scaled else out


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


@lru_cache(maxsize=1)
def _ratio_function():
    S = _crf_parts(None)[0].S
    return sp.lambdify((_J, S), trace_ratio(), "mpmath")


_BETA_FN: dict = {}


def _beta_mp(omega, kappa, S):
    if "f" not in _BETA_FN:
        m = models.crf()
        b = puri_lawande_beta()
        _BETA_FN["f"] = sp.lambdify([m.symbol("omega"), m.symbol("kappa"), m.symbol("S")], b, "mpmath")
    return mpmath.mpc(_BETA_FN["f"](omega, kappa, S))


def two_qubit_partial_transpose(rho4) -> mpmath.matrix:
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


def two_qubit_rows(S, Sz, Sz2, Sp, Sp2, SpSz) -> list:
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


class PuriLawande:
    r"""The Puri-Lawande steady state of ``models.crf()`` at given omega, kappa, S, evaluated
    with mpmath in O(S) operations (seed 000 eqs. 11-12, with :math:`g = i\lambda S`).

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

    Attributes
    ----------
    beta : mpmath.mpc
        :math:`\beta = g^* = -i\omega S/(2\kappa)`.
    """

    def __init__(self, omega, kappa, S, dps: int = 30):
        if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or not 5 <= dps <= values.DPS_MAX:
            raise ModelError(f"dps must be an integer from 5 to DPS_MAX = {values.DPS_MAX}, got dps={dps!r}")
        self.S = _check_S(S)
        self.n = int(2 * self.S) + 1
        self.dps = int(dps)
        # the recurrence loses ~log10(n) digits; variances lose ~2 log10(S) by cancellation
        self._wdps = self.dps + 2 * int(math.log10(self.n) + 1) + 12
        with mpmath.workdps(self._wdps):
            self.omega, self.kappa = (to_mpmath(real_number(v, n)) for v, n in ((omega, "omega"), (kappa, "kappa")))
            _check_rate("omega", self.omega, zero=True)
            _check_rate("kappa", self.kappa)
            self.Sm = mpmath.mpf(self.S.numerator) / self.S.denominator
            self.beta = _beta_mp(self.omega, self.kappa, self.Sm)
            self.b2 = abs(self.beta) ** 2
            self._sums()

    # ---------------------------------------------------------------- the j-sums
    def _sums(self):
        r"""The terms :math:`t_j \propto |eta|^{-2j}T_j` (j = 0..2S) and their sums.  Every result is a
        ratio of these sums, so the terms are scaled by :math:`|eta|^{2(2S)}/T_{2S}`: the recurrence runs
        from j = 2S down, :math:`t_j = t_{j+1}|eta|^2/
ho_j` (:math:`
ho_j = T_{j+1}/T_j`), with no
        division by :math:`|eta|^2`, so it holds at omega = 0 too (:math:`eta = 0`: only
        :math:`t_{2S} 
eq 0`, the state :math:`|S,-S
angle`)."""
        ratio = _ratio_function()
        S = self.Sm
        t = [mpmath.mpf(0)] * self.n
        t[-1] = mpmath.mpf(1)
        for j in range(self.n - 2, -1, -1):
            t[j] = t[j + 1] * self.b2 / ratio(j, S)
        self.D = mpmath.fsum(t)
        self.M1 = mpmath.fsum(j * tj for j, tj in enumerate(t))
        self.t0, self.t1 = t[0], (t[1] if self.n > 1 else mpmath.mpf(0))

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
            rest1 = D - self.t0           # sum_{j>=1} t_j  (positive terms; exact in mp)
            rest2 = rest1 - self.t1       # sum_{j>=2} t_j
            if self.n > 1 and rest1 < self.t0 * mpmath.mpf(10) ** (-self._wdps + 5):
                rest1 = self.D - self.t0  # pragma: no cover
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

    def xi2(self, axis: str = "x"):
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

    def qubit_state(self):
        r"""One-qubit reduced state (seed 000 eq. 27), basis (up, down), as a 2x2 mpmath matrix."""
        with mpmath.workdps(self._wdps):
            m = self._raw_moments()
            S = self.Sm
            return mpmath.matrix([[(1 + m["Sz"] / S) / 2, mpmath.conj(m["Sp"]) / (2 * S)],
                                  [m["Sp"] / (2 * S), (1 - m["Sz"] / S) / 2]])

    def qubit_purity(self):
        r"""Single-qubit purity :math:`\mathrm{Tr}\rho_q^2 = (1 + |\langle\mathbf S\rangle|^2/S^2)/2`
        (seed 000 eq. 27, Fig. 5b)."""
        with mpmath.workdps(self._wdps):
            q = self.qubit_state()
            return self._out(mpmath.re(mpmath.fsum(q[i, j] * q[j, i] for i in range(2) for j in range(2))))

    def two_qubit_state(self):
        r"""Two-qubit reduced state (seed 000 eqs. 25-26 with the corrected denominators
        :math:`4S(S-\tfrac12)` for :math:`v_\pm` and :math:`8S(S-\tfrac12)` for :math:`x_\pm`),
        basis (uu, ud, du, dd).  Needs S >= 1."""
        if self.S < 1:
            raise ModelError(f"two_qubit_state needs two qubits (S >= 1), got S={self.S}")
        with mpmath.workdps(self._wdps):
            m = self._raw_moments()
            return mpmath.matrix(two_qubit_rows(self.Sm, m["Sz"], m["Sz2"], m["Sp"], m["Sp2"], m["SpSz_sym"]))

    def negativity(self):
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

    def populations(self):
        r"""Populations :math:`P(m)`, m = S, S-1, ..., -S (list of mpf)."""
        with mpmath.workdps(self._wdps):
            r, W = self._separable()
            D = mpmath.fsum(x * y for x, y in zip(r, W))
            return [self._out(x * y / D) for x, y in zip(r, W)]

    def purity(self):
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

    def density_matrix(self) -> "mpmath.matrix":
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

    def husimi(self, theta, phi):
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


def puri_lawande(omega, kappa, S, dps: int = 30) -> PuriLawande:
    r"""The exact steady state of ``models.crf()`` (seed 000 eqs. 11-12), see :class:`PuriLawande`."""
    return PuriLawande(omega, kappa, S, dps)


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
    ratio = _ratio_numpy()(j, S)
    logt = np.empty(n)
    logt[0] = math.log(2 * S + 1)
    logt[1:] = logt[0] + np.cumsum(np.log(ratio) - math.log(b2))
    return logt, b2, S


@lru_cache(maxsize=1)
def _ratio_numpy():
    S = _crf_parts(None)[0].S
    return sp.lambdify((_J, S), trace_ratio(), "numpy")


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
def _checked_dps(dps) -> int:
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or dps < 5:
        raise ModelError(f"dps must be an integer >= 5, got dps={dps!r}")
    return int(dps)


def sz(omega, kappa, S, dps: int = 30) -> mpmath.mpf:
    r""":math:`\langle S_z\rangle/S` of the exact crf steady state (seed 000 eqs. 11-12, Fig. 2b),
    ``dps`` correct digits (mpmath).  O(S) operations."""
    return crf_scalar("sz")(omega, kappa, S, dps=_checked_dps(dps))


def sz2(omega, kappa, S, dps: int = 30) -> mpmath.mpf:
    r""":math:`\langle S_z^2\rangle/S^2` of the exact crf steady state (seed 000 eqs. 11-12)."""
    return crf_scalar("sz2")(omega, kappa, S, dps=_checked_dps(dps))


def purity(omega, kappa, S, dps: int = 30) -> mpmath.mpf:
    r""":math:`\mathrm{Tr}\rho^2` of the exact crf steady state (seed 000 eq. 23, Fig. 5a), O(S)."""
    return crf_scalar("purity")(omega, kappa, S, dps=_checked_dps(dps))


def xi2_x(omega, kappa, S, dps: int = 30) -> mpmath.mpf:
    r""":math:`\xi^2_x = 2S\Delta S_x^2/(\langle S_y\rangle^2 + \langle S_z\rangle^2)` (seed 000 eq. 28, Fig. 6b)."""
    return crf_scalar("xi2_x")(omega, kappa, S, dps=_checked_dps(dps))


def negativity(omega, kappa, S, dps: int = 30) -> mpmath.mpf:
    r"""Two-qubit negativity (seed 000 eqs. 24-26 with corrected denominators, Fig. 6a); S >= 1."""
    return crf_scalar("negativity")(omega, kappa, S, dps=_checked_dps(dps))


def qubit_purity(omega, kappa, S, dps: int = 30) -> mpmath.mpf:
    r"""Single-qubit purity :math:`\mathrm{Tr}\rho_q^2` (seed 000 eq. 27, Fig. 5b)."""
    return crf_scalar("qubit_purity")(omega, kappa, S, dps=_checked_dps(dps))


def _S_mp(S, dps):
    f = _check_S(S)
    with mpmath.workdps(dps):
        return mpmath.mpf(f.numerator) / f.denominator


# =========================================================================== totally mixed state
def degeneracy(N: int, j) -> int:
    r"""Multiplicity :math:`d^N_j = N!(2j+1)/((N/2-j)!(N/2+j+1)!)` of the spin-j irrep in N
    spin-1/2 (seed 004 eq. D1), in integer arithmetic (exact division checked)."""
    N = _check_N(N)
    jf = Fraction(str(j)) if not isinstance(j, Fraction) else j
    if jf < 0 or (N / 2 - jf) < 0 or (Fraction(N, 2) - jf).denominator != 1:
        raise ModelError(f"j must be one of N/2, N/2 - 1, ..., >= 0 (N={N}), got j={j!r}")
    a, b = int(Fraction(N, 2) - jf), int(Fraction(N, 2) + jf + 1)
    num = math.factorial(N) * int(2 * jf + 1)
    den = math.factorial(a) * math.factorial(b)
    if num % den:
        raise ModelError(f"degeneracy: non-integer result for N={N}, j={j}")  # pragma: no cover
    return num // den


def _check_N(N) -> int:
    if isinstance(N, bool):
        raise ModelError(f"N must be an integer >= 1, got N={N!r}")
    try:
        f = Fraction(str(N))
    except (ValueError, TypeError):
        raise ModelError(f"N must be an integer >= 1, got N={N!r}") from None
    if f.denominator != 1 or f < 1:
        raise ModelError(f"N must be an integer >= 1, got N={N!r}")
    return int(f)


@lru_cache(maxsize=1)
def _block_sums():
    r"""Sums over m of the diagonal elements of Sz, Sz^2, S+S-, S+S+S-S- in the spin-j irrep,
    polynomials in j derived by SymPy from the squared lowering element."""
    j, m = sp.symbols("j m")
    e2 = squared_lowering_element().subs(sp.Symbol("S", positive=True), j)
    spsm = e2                                   # <j,m|S+S-|j,m>
    spspsmsm = e2 * e2.subs(m, m - 1)           # <j,m|S+S+S-S-|j,m>
    out = {}
    for name, f in (("one", sp.Integer(1)), ("Sz", m), ("Sz2", m ** 2), ("SpSm", spsm), ("SpSpSmSm", spspsmsm)):
        # sum over m = -j..j, i.e. m = -j + i, i = 0..2j (integer steps)
        i = sp.Symbol("i", integer=True, nonnegative=True)
        L = sp.Symbol("L", integer=True, nonnegative=True)  # L = 2j
        s = sp.summation(sp.expand(f.subs(m, -j + i).subs(j, L / 2)), (i, 0, L))
        out[name] = sp.Poly(sp.expand(s), L)
    return out


def mixed_moments(N) -> dict:
    r"""Moments of the totally mixed state :math:`\rho = \mathbb 1/2^N` of N two-level atoms
    (seed 004 eqs. D1-D3), as exact :class:`fractions.Fraction`: ``Sz``, ``Sz2``, ``SpSm``,
    ``S2`` (:math:`\langle\mathbf S^2\rangle`), ``SpSpSmSm`` and ``g2``
    (:math:`\langle S^+S^+S^-S^-\rangle/\langle S^+S^-\rangle^2`, eq. D3e), each
    :math:`2^{-N}\sum_j d^N_j\,\mathrm{Tr}_j(\cdot)` with integer degeneracies."""
    N = _check_N(N)
    polys = _block_sums()
    tot = {k: 0 for k in polys}
    S2 = 0
    for twoj in range(N % 2, N + 1, 2):
        d = degeneracy(N, Fraction(twoj, 2))
        for k, P in polys.items():
            v = Fraction(str(P.eval(twoj)))
            tot[k] += d * v
        S2 += d * Fraction(twoj * (twoj + 2), 4) * (twoj + 1)
    norm = Fraction(2) ** N
    if tot["one"] != norm:
        raise ModelError(f"degeneracies do not add up to 2^N for N={N}")  # pragma: no cover
    out = {k: v / norm for k, v in tot.items() if k != "one"}
    out["S2"] = S2 / norm
    out["g2"] = out["SpSpSmSm"] / out["SpSm"] ** 2
    return out


def mixed_g2(N):
    r""":math:`g^{(2)}` of the totally mixed state of N atoms (seed 004 eq. D3e), exact Fraction;
    equals :math:`2(1 - 1/N)`."""
    return mixed_moments(N)["g2"]


# =========================================================================== evaluators and closed forms of the registered formulas
def crf_scalar(kind: str) -> Callable:
    """``fn(omega, kappa, S, dps=None)``: the exact crf steady-state quantity ``kind`` (``'sz'``,
    ``'sz2'``, ``'purity'``, ``'xi2_x'``, ``'negativity'``, ``'qubit_purity'``), a float64 (``dps=None``:
    the log-domain fast path where there is one) or an mpmath number with ``dps`` digits."""
    fast = {"sz": _sz_float, "sz2": _sz2_float, "purity": _purity_float}

    def fn(omega, kappa, S, dps=None):
        # every quantity registered here is even in omega: rho(-omega) = R rho(omega) R^+ with
        # R = exp(i pi S_z) (S_x, S_y -> -S_x, -S_y; D[S^-] unchanged), which leaves S_z, S_z^2, the
        # purity, xi2_x, the two-qubit negativity and the qubit purity as they are
        if dps is None:
            omega = abs(omega)
        else:
            with mpmath.workdps(dps + 30):
                omega = mpmath.fabs(to_mpmath(real_number(omega, "omega")))  # the one parser (analytic.values)
        if dps is None:
            if kind in fast and omega != 0:  # the float64 fast path works with log |beta|
                return fast[kind](omega, kappa, S)
            return float(crf_scalar(kind)(omega, kappa, S, dps=30))  # cancellations: via mpmath
        st = PuriLawande(omega, kappa, S, dps)
        Smp = _S_mp(S, st._wdps)
        with mpmath.workdps(st._wdps):
            if kind == "sz":
                v = st._raw_moments()["Sz"] / Smp
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


def mixed_g2_scalar(N: int, dps: int | None = None) -> float | mpmath.mpf:
    """:func:`mixed_g2` of N atoms as a float (``dps=None``) or an mpmath number."""
    f = _check_N(N)
    g = mixed_g2(f)
    if dps is None:
        return float(g)
    return mpmath.mpf(g.numerator) / g.denominator


def xi2_expr() -> sp.Expr:
    r""":math:`\xi^2_x` of the Puri-Lawande state (seed 000 eq. 28) as finite sums in omega, kappa, S."""
    S = sp.Symbol("S", positive=True)
    sx2 = (2 * sp.re(moment_expr(2, 0)) + 2 * moment_expr(1, 1) - 2 * moment_expr(0, 0, 1)) / 4
    sy = sp.im(moment_expr(1, 0))
    sz_ = moment_expr(0, 0, 1)
    sx = sp.re(moment_expr(1, 0))
    return 2 * S * (sx2 - sx ** 2) / (sy ** 2 + sz_ ** 2)


def qubit_purity_expr() -> sp.Expr:
    """Single-qubit purity of the Puri-Lawande state (seed 000 eq. 27) as finite sums in omega, kappa, S."""
    S = sp.Symbol("S", positive=True)
    sp_, sz_ = moment_expr(1, 0), moment_expr(0, 0, 1)
    return (1 + (sp.Abs(sp_) ** 2 + sz_ ** 2) / S ** 2) / 2


def purity_expr() -> sp.Expr:
    r""":math:`\mathrm{Tr}\rho^2` of the Puri-Lawande state (seed 000 eq. 23) as finite sums over its matrix elements."""
    S = sp.Symbol("S", positive=True)
    beta = puri_lawande_beta()
    a, b, k = sp.symbols("a b k", integer=True, nonnegative=True)
    c2 = _trace_power_derived()[2]  # |<k+j|S-^j|k>|^2
    rho_ab = sp.Sum(sp.Abs(beta) ** (2 * _K - a - b) * sp.sqrt(c2.subs({_J: a - _K}) * c2.subs({_J: b - _K})),
                    (_K, 0, sp.Min(a, b)))
    D = sp.Sum(sp.Abs(beta) ** (-2 * _J) * trace_power(), (_J, 0, 2 * S))
    return sp.Sum(rho_ab ** 2, (a, 0, 2 * S), (b, 0, 2 * S)) / D ** 2


def negativity_expr() -> sp.Expr:
    """Two-qubit negativity of the Puri-Lawande state (seed 000 eqs. 24-26, corrected denominators): an
    unevaluated function of the 16 entries of the partial transpose, built from the moments."""
    S = sp.Symbol("S", positive=True)
    h = S - sp.Rational(1, 2)
    d = 4 * S * h
    Sz, Sz2, Sp, Sp2 = moment_expr(0, 0, 1), moment_expr(0, 0, 2), moment_expr(1, 0), moment_expr(2, 0)
    SpSz = 2 * moment_expr(1, 0, 1) + Sp
    vp = (S ** 2 - S + Sz2 + 2 * Sz * h) / d
    vm = (S ** 2 - S + Sz2 - 2 * Sz * h) / d
    xp = (2 * h * Sp + SpSz) / (2 * d)
    xm = (2 * h * Sp - SpSz) / (2 * d)
    w = (S ** 2 - Sz2) / d
    u = Sp2 / d
    c = sp.conjugate
    rho = sp.Matrix([[vp, c(xp), c(xp), c(u)], [xp, w, w, c(xm)], [xp, w, w, c(xm)], [u, xm, xm, vm]])
    pt = sp.Matrix(4, 4, lambda i, jj: rho[2 * (jj // 2) + i % 2, 2 * (i // 2) + jj % 2])
    # eq. (24): sum over the eigenvalues mu_i of the partial transpose of (|mu_i| - mu_i)/2; kept
    # unevaluated as a function of the 16 entries (the 4x4 eigenproblem is solved numerically)
    return sp.Function("negativity_of_partial_transpose")(*pt)


def mixed_g2_expr() -> sp.Expr:
    """:math:`g^{(2)}` of the totally mixed state of N atoms (seed 004 eqs. D1-D3e) as finite sums over j."""
    N = sp.Symbol("N", positive=True, integer=True)
    l = sp.Symbol("l", integer=True, nonnegative=True)  # j = N/2 - l
    j = N / 2 - l
    d = sp.factorial(N) * (2 * j + 1) / (sp.factorial(l) * sp.factorial(N - l + 1))
    polys = _block_sums()
    L = list(polys["SpSm"].gens)[0]
    spsm = sp.Sum(d * polys["SpSm"].as_expr().subs(L, 2 * j), (l, 0, sp.floor(N / 2)))
    s4 = sp.Sum(d * polys["SpSpSmSm"].as_expr().subs(L, 2 * j), (l, 0, sp.floor(N / 2)))
    return 2 ** N * s4 / spsm ** 2
