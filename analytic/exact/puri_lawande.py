r"""Derive the Puri-Lawande state of crf symbolically: beta, the traces T_j, the moments, the closed forms of its observables.

Steps 1-3 of :mod:`analytic.exact` (everything produced by SymPy from the model, nothing typed in);
the evaluation in O(S) is :mod:`analytic.exact.state`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import sympy as sp

from .. import models
from ..algebra import Op, commutator
from ..model import Model, ModelError

__all__ = [
    "puri_lawande_beta", "puri_lawande_g", "stationarity_operator", "squared_lowering_element",
    "trace_power", "trace_ratio", "trace_ratio_function", "moment_expr",
    "xi2_expr", "qubit_purity_expr", "purity_expr", "negativity_expr",
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


def trace_power(j: int | sp.Expr | None = None) -> sp.Expr:
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


@lru_cache(maxsize=2)
def trace_ratio_function(backend: str) -> Callable:
    r""":func:`trace_ratio` lambdified as ``f(j, S)`` for ``backend`` ``'mpmath'`` or ``'numpy'`` (cached)."""
    S = _crf_parts(None)[0].S
    return sp.lambdify((_J, S), trace_ratio(), backend)


# =========================================================================== closed forms of the registered formulas
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
