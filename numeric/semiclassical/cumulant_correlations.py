r"""Two-time correlations and spectra of the cumulant-closed equations by the quantum regression theorem.

The variables are the steady-state correlations :math:`c(w, b') = \langle w(\tau)\,b'(0)\rangle` of
the canonical words w (degree >= 1) of the model with the sub-words b' (degree >= 1, letters in the
order of b) of every canonical word b of B, with :math:`\deg w + \deg b' \le k`.  The quantum
regression theorem gives :math:`\partial_\tau c(w, b') = \sum_v c_v\,\langle v(\tau)\,b'(0)\rangle`
with the *unclosed* coefficients :math:`c_v` of :math:`\mathcal L^\dagger w = \sum_v c_v v`
(``CumulantEquations.exact``, unscaled averages).  A mixed average of total degree > k is closed by
:func:`analytic.cumulants.closure` over the positions of v followed by those of b' (tau letters,
then 0 letters; sub-words keep that order): a sub-word with only tau letters is the steady-state
moment :math:`\langle u\rangle`, one with only 0 letters the steady-state moment of that sub-word of
b, a mixed one a correlation variable.  This is what QuantumCumulants.jl's ``CorrelationFunction``
does (B on an ancilla copy of the Hilbert space, closure over the product).

For B of degree 1 the closed equations are affine, :math:`\dot c = Mc + f`, and M is the
mean-field (order-1) Jacobian evaluated at the order-k steady-state means: at ``order=1`` there are
no variables and :math:`\langle A(\tau)B\rangle = \langle A\rangle\langle B\rangle` (no incoherent
part); order 2 is the lowest order with a regression.  The initial values
:math:`c(w, b')(0) = \langle w\,b'\rangle` are normal-ordered with the algebra
(:class:`analytic.algebra.Op` products) and closed if their degree exceeds k.

The closed equations of the moments have neutral directions (see
:func:`numeric.semiclassical.cumulants.steady_state`); the regression flow inherits them, so its
limit :math:`g_\infty = \lim_{\tau\to\infty}\langle A(\tau)B\rangle` is
:math:`\langle A\rangle\langle B\rangle` only up to the closure error; ``connected=True`` subtracts
:math:`g_\infty` (the flow's own limit), so that the spectrum has no :math:`\delta(\omega)` part.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla
import sympy as sp
from numpy.typing import ArrayLike

from analytic import cumulants as cu
from analytic.algebra import Op
from analytic.model import Model, ModelError
from analytic.values import real_number
from numeric.core.errors import SolverError
from numeric.semiclassical.cumulants import CumulantState, steady_state

__all__ = ["RegressionSystem", "regression", "correlation", "spectrum"]

_TAU, _ZERO = 0, 1


def _ss(word: tuple) -> sp.Symbol:
    """The symbol of the unscaled steady-state moment of a canonical word."""
    return sp.Symbol(f"ss<{cu.word_name(word)}>")


def _corr_symbol(tau: tuple, zero: tuple, individual: frozenset = frozenset()) -> sp.Symbol:
    return sp.Symbol(f"<{cu.word_name(tau, individual)}(tau)*{cu.word_name(zero, individual)}(0)>")


class _Lookup(Mapping):
    """Answers the moment lookups of :func:`analytic.cumulants.closure` for words of tagged letters
    ``((tag, Gen), ...)``: a steady-state symbol for a pure word, a correlation symbol for a mixed one."""

    def __init__(self, corr):
        self.corr = corr

    def __getitem__(self, key: tuple) -> sp.Expr:
        tau = tuple(g for t, g in key if t == _TAU)
        zero = tuple(g for t, g in key if t == _ZERO)
        if not zero:
            return _ss(tau) if tau else sp.Integer(1)
        if not tau:
            return _ss(zero)
        return self.corr(tau, zero)

    def __iter__(self) -> Iterator:
        return iter(())

    def __len__(self) -> int:
        return 0


class _Steady(Mapping):
    """Steady-state moment symbols by canonical word (for closing the initial values)."""

    def __getitem__(self, word: tuple) -> sp.Expr:
        return _ss(word) if word else sp.Integer(1)

    def __iter__(self) -> Iterator:
        return iter(())

    def __len__(self) -> int:
        return 0


def _tag(word: tuple, tag: int) -> tuple:
    return tuple((tag, g) for g in word)


def _subwords(word: tuple) -> list[tuple]:
    """The distinct non-empty sub-words (letters in the order of ``word``)."""
    out: dict = {}
    for r in range(1, len(word) + 1):
        for idx in itertools.combinations(range(len(word)), r):
            out.setdefault(tuple(word[i] for i in idx), None)
    return list(out)


def _moment(word: tuple, order: int) -> sp.Expr:
    """The steady-state moment of a canonical word, closed if its degree exceeds ``order``."""
    if not word:
        return sp.Integer(1)
    return cu.closure(word, order, _Steady())


def _derive(model: Model, order: int, bwords: tuple) -> dict:
    """The symbolic regression system of the words ``bwords`` of B (cached on the model)."""
    cache = model.derived.setdefault("_cumulant_regression", {})
    key = (order, bwords)
    if key in cache:
        return cache[key]
    eqs = cu.equations(model, order)
    name_of = {w: n for n, w in eqs.words.items()}
    variables: dict = {}
    for b in bwords:
        for sub in _subwords(b):
            if len(sub) >= order:
                continue
            for w in cu.moment_words(model, order - len(sub)):
                variables.setdefault((w, sub), _corr_symbol(w, sub, eqs.individual))

    def corr(tau: tuple, zero: tuple) -> sp.Symbol:
        if (tau, zero) not in variables:       # cannot happen: every mixed word of degree <= k is seeded
            raise ModelError(f"cumulants.regression: correlation <{cu.word_name(tau)}(tau) "
                             f"{cu.word_name(zero)}(0)> outside the variables (internal error)")
        return variables[(tau, zero)]

    look = _Lookup(corr)
    keys = list(variables)
    xs = [variables[k] for k in keys]
    rhs, init = [], []
    for w, sub in keys:
        expr = sp.Integer(0)
        for v, c in eqs.exact[name_of[w]].items():
            expr += c * (_ss(sub) if not v else cu.closure(_tag(v, _TAU) + _tag(sub, _ZERO), order, look))
        rhs.append(sp.expand(expr))
        prod = Op({w: 1}, canonical=True) * Op({sub: 1}, canonical=True)
        init.append(sp.expand(sum((c * _moment(u, order) for u, c in prod.terms.items()), sp.Integer(0))))
    M = sp.Matrix([[sp.diff(r, x) for x in xs] for r in rhs]) if xs else sp.zeros(0, 0)
    zero = {x: 0 for x in xs}
    f = [r.xreplace(zero) for r in rhs]
    if any(e.free_symbols & set(xs) for e in M):
        raise ModelError(f"cumulants.regression: the closed regression equations of {model.name!r} at order "
                         f"{order} are not affine in the correlations for B words {[cu.word_name(b) for b in bwords]} "
                         "(products of mixed cumulants: B of degree >= 2 with A of degree >= 2); not supported")
    out = {"keys": keys, "symbols": xs, "M": M, "f": f, "init": init, "lookup": look}
    cache[key] = out
    return out


@dataclass
class RegressionSystem:
    r"""The affine regression flow :math:`\dot c = Mc + f` of :math:`\langle A(\tau)B(0)\rangle` at a steady state.

    ``names`` labels the correlation variables ``'<w(tau)*b(0)>'``; ``M``, ``f``, ``c0`` (initial
    values :math:`\langle w\,b'\rangle`) are numeric; :math:`\langle A(\tau)B\rangle = o\cdot c(\tau) + o_0`.
    The augmented flow :math:`\frac{d}{d\tau}(c, 1) = [[M, f], [0, 0]]\,(c, 1)` is split (ordered
    Schur forms) into its decaying invariant subspace (``rates``, the eigenvalues with
    :math:`|\lambda| > 10^{-8}\max(1, |\lambda|_{\max})`) and its stationary one (the constant and
    the neutral directions of the closed equations); ``g_inf`` is the stationary part of
    :math:`\langle A(\tau)B\rangle` (its limit :math:`\tau\to\infty`), ``factorised``
    :math:`\langle A\rangle\langle B\rangle` of the steady state (closed if A or B has degree > k)."""

    model: Model
    order: int
    A: str
    B: str
    names: list
    M: np.ndarray
    f: np.ndarray
    c0: np.ndarray
    o: np.ndarray
    o0: complex
    state: CumulantState
    factorised: complex = 0j
    rates: np.ndarray = field(default_factory=lambda: np.zeros(0))
    g_inf: complex = 0j
    _T: np.ndarray = field(default=None, repr=False)
    _left: np.ndarray = field(default=None, repr=False)
    _right: np.ndarray = field(default=None, repr=False)

    def correlation(self, taus: ArrayLike, connected: bool = False) -> np.ndarray:
        r""":math:`\langle A(\tau)B(0)\rangle` (minus ``g_inf`` if ``connected``) at ``taus`` >= 0."""
        t = np.asarray(taus, dtype=float)
        if np.any(t < 0) or not np.all(np.isfinite(t)):
            raise ModelError("cumulants.correlation: taus must be finite and >= 0 (<A(tau)B(0)> for tau >= 0)")
        if self._T.size == 0:
            g = np.zeros(t.size, dtype=complex)
        else:
            lam, V = np.linalg.eig(self._T)
            if np.linalg.cond(V) < 1e6:        # diagonalisable: a sum of exponentials
                g = np.exp(np.multiply.outer(t.ravel(), lam)) @ ((self._left @ V) * np.linalg.solve(V, self._right))
            else:                              # (near-)defective block: the matrix exponential per tau
                g = np.array([self._left @ sla.expm(self._T * x) @ self._right for x in t.ravel()], dtype=complex)
        g = g.reshape(t.shape)
        return g if connected else g + self.g_inf

    def spectrum(self, omegas: ArrayLike, connected: bool = True) -> np.ndarray:
        r""":math:`S(\omega) = 2\,\mathrm{Re}\int_0^\infty e^{i\omega\tau}\langle A(\tau)B(0)\rangle\,d\tau`
        (see :func:`spectrum`)."""
        w = np.asarray(omegas, dtype=float)
        if np.any(self.rates.real >= 0):
            raise SolverError(f"cumulants.spectrum: the regression flow of {self.A!r}, {self.B!r} has non-decaying "
                              f"modes (rates {self.rates[self.rates.real >= 0]}); no spectrum")
        n = self._T.shape[0]
        eye = np.eye(n)
        s = np.zeros(w.shape) if n == 0 else np.array([2 * np.real(-self._left @ np.linalg.solve(1j * x * eye + self._T, self._right))
                      for x in w.ravel()]).reshape(w.shape)
        if not connected:
            if np.any(w == 0) and self.g_inf != 0:
                raise ModelError("cumulants.spectrum: connected=False has a delta(omega) of weight "
                                 "2 pi Re g_inf at omega = 0; ask for omega != 0 or connected=True")
            s = s + np.where(w == 0, 0.0, -2 * np.imag(self.g_inf) / np.where(w == 0, 1.0, w))
        return s


def _split(aug: np.ndarray, y0: np.ndarray, out: np.ndarray, what: str) -> tuple:
    """``(T, left, right, rates, g_inf)``: the decaying block T of the ordered Schur form of ``aug`` with
    the output row ``left`` and the initial coordinates ``right`` on its invariant subspace, and the
    stationary part g_inf; SolverError for a secular (non-constant) stationary part."""
    lam = np.linalg.eigvals(aug)
    tol = 1e-8 * max(1.0, float(np.max(np.abs(lam))))
    T, Z, n_dec = sla.schur(aug, output="complex", sort=lambda x: abs(x) > tol)
    U, W, n_st = sla.schur(aug, output="complex", sort=lambda x: abs(x) <= tol)
    basis = np.hstack([Z[:, :n_dec], W[:, :n_st]])
    if np.linalg.cond(basis) > 1e10:
        raise SolverError(f"cumulants.correlation: {what}: the decaying and stationary subspaces of the regression "
                          f"flow are not separable (condition {np.linalg.cond(basis):.2g})")
    coef = np.linalg.solve(basis, y0)
    a, b = coef[:n_dec], coef[n_dec:]
    stat = U[:n_st, :n_st]
    scale = max(1.0, float(np.max(np.abs(aug))))
    if np.max(np.abs(stat @ b), initial=0.0) > 1e-8 * scale * max(1.0, float(np.max(np.abs(b), initial=0.0))):
        raise SolverError(f"cumulants.correlation: {what}: the stationary part of the regression flow grows "
                          "secularly (Jordan block at rate 0); no stationary correlation")
    T11 = T[:n_dec, :n_dec]
    return T11, out @ Z[:, :n_dec], a, np.diag(T11).copy(), complex(out @ (W[:, :n_st] @ b))


def _reading(op: Op, individual: frozenset) -> dict:
    r"""``{word: coeff}`` of an operator in the reading of the equations: collective words of the ensembles
    in ``individual`` expanded on representative atoms (:func:`analytic.cumulants.atom_expansion`, e.g.
    :math:`\langle S^+a\rangle = N\langle\sigma^+_1 a\rangle` for :math:`S^+ = \sum_j\sigma^+_j`), other words as they are."""
    if not individual:
        return dict(op.terms)
    out: dict = {}
    for w, c in op.terms.items():
        for v, a in (cu.atom_expansion(w, individual) if w else {(): 1}).items():
            out[v] = out.get(v, 0) + c * a
    return out


def _ops(model: Model, text: str, role: str) -> Op:
    if isinstance(text, Op):
        return text
    try:
        return model.operator(text)
    except ModelError as exc:
        raise ModelError(f"cumulants.correlation: operator {role} = {text!r}: {exc}") from exc


def regression(model: Model, values: Mapping, A: str, B: str, order: int = 2,
               state: CumulantState | None = None, **sizes: float) -> RegressionSystem:
    r"""The numeric regression flow of :math:`\langle A(\tau)B(0)\rangle` at the order-k steady state.

    Args:
        model: a model accepted by :func:`analytic.cumulants.equations`.
        values: ``{'omega': 1.2, 'kappa': 1, ...}``.
        A, B: operator strings (:meth:`analytic.model.Model.operator`: ``'Sp'``, ``'Sm'``, ``'Sx'``,
            ``'a'``, ``'ad'``, products such as ``'Sp*Sz'``).
        order: the cumulant order k.
        state: the steady state; default :func:`numeric.semiclassical.cumulants.steady_state` at ``order``.
        **sizes: the size symbols, e.g. ``S=10``.

    In the representative-atom reading (atoms with individual terms) A may be collective (``'Sp'``: expanded
    on the representative atoms, :func:`analytic.cumulants.atom_expansion`); B must be made of mode
    operators (``'a'``: the laser's emission spectrum is that of :math:`\langle a^\dagger(\tau)a\rangle`).

    Raises:
        ModelError: B with atom letters of a model with individual terms (same-atom two-time
            correlations are not in this step), unknown operators, a non-affine closed system, a
            state of lower order.
        SolverError: the augmented flow is not diagonalisable (Jordan block).
    """
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ModelError(f"cumulants.correlation: order must be a positive integer, got {order!r}")
    opA, opB = _ops(model, A, "A"), _ops(model, B, "B")
    bwords = tuple(sorted((w for w in opB.terms if w), key=lambda w: (len(w), [g.key for g in w])))
    if model.has_individual_terms() and any(g.sub.kind == "atoms" for w in bwords for g in w):
        raise ModelError(f"cumulants.correlation: B = {B!r} has atom letters of {model.name!r}, a model with "
                         "individual terms (representative atoms); same-atom two-time correlations are a later "
                         "step: use B made of mode operators")
    if state is None:
        state = steady_state(model, values, order=order, **sizes)
    elif state.order < order:
        raise ModelError(f"cumulants.correlation: the state has order {state.order} < {order}")
    system = _derive(model, order, bwords)
    individual = cu.equations(model, order).individual
    size_vals = {model.symbol(k): float(real_number(v, k)) for k, v in sizes.items()}
    par_vals = {(model.symbol(k) if isinstance(k, str) else k): float(real_number(v, str(k)))
                for k, v in values.items()}
    numbers: dict = {**par_vals, **size_vals}
    for w in cu.moment_words(model, order):
        numbers[_ss(w)] = sp.sympify(complex(state.moments[cu.word_name(w, individual)]))
    xs = system["symbols"]

    def num(e: sp.Expr) -> complex:
        e = sp.sympify(sp.sympify(e).xreplace(numbers))
        if e.free_symbols:
            raise ModelError(f"cumulants.correlation: missing value for {sorted(map(str, e.free_symbols))}")
        return complex(e)

    n = len(xs)
    M = np.array([[num(e) for e in row] for row in system["M"].tolist()], dtype=complex).reshape(n, n)
    f = np.array([num(e) for e in system["f"]], dtype=complex)
    c0 = np.array([num(e) for e in system["init"]], dtype=complex)
    # the output <A(tau) B(0)> = o . c + o0
    look = system["lookup"]
    out = sp.Integer(0)
    for a, ca in _reading(opA, individual).items():
        for b, cb in opB.terms.items():
            if not a or not b:
                term = _moment(a or b, order)
            else:
                term = cu.closure(_tag(a, _TAU) + _tag(b, _ZERO), order, look)
            out += ca * cb * term
    out = sp.expand(out)
    if any(sp.diff(out, x).free_symbols & set(xs) for x in xs):
        raise ModelError(f"cumulants.correlation: the closed <{A}(tau) {B}(0)> is not affine in the correlations at "
                         f"order {order} (products of mixed cumulants: A and B both of degree >= 2); not supported")
    o = np.array([num(sp.diff(out, x)) for x in xs], dtype=complex)
    o0 = num(out.xreplace({x: 0 for x in xs}))
    means = [sum((num(c * _moment(w, order)) for w, c in _reading(op, individual).items()), 0j) for op in (opA, opB)]
    factorised = means[0] * means[1]
    aug = np.zeros((n + 1, n + 1), dtype=complex)
    aug[:n, :n], aug[:n, n] = M, f
    T, left, right, rates, g_inf = _split(aug, np.append(c0, 1.0), np.append(o, o0), f"<{A}(tau) {B}(0)>")
    return RegressionSystem(model, order, str(A), str(B), [str(x) for x in xs], M, f, c0, o, o0, state, factorised,
                            rates, g_inf, T, left, right)


def correlation(model: Model, values: Mapping, A: str, B: str, taus: ArrayLike, order: int = 2, *,
                connected: bool = False, state: CumulantState | None = None, **sizes: float) -> np.ndarray:
    r"""The steady-state two-time correlation :math:`\langle A(\tau)B(0)\rangle` at order k by the quantum
    regression theorem (module docstring), for ``taus`` >= 0.

    ``connected=False`` (default): the full correlation, tending to :math:`g_\infty \approx
    \langle A\rangle\langle B\rangle`; ``connected=True``: :math:`\langle A(\tau)B\rangle - g_\infty`, with
    :math:`g_\infty` the flow's own limit (:class:`RegressionSystem`: ``g_inf`` and ``factorised``).

    Example: ``correlation(crf(), {'omega': 1.2, 'kappa': 1}, 'Sp', 'Sm', taus, order=2, S=10)``.
    Arguments and errors as :func:`regression`."""
    return regression(model, values, A, B, order, state, **sizes).correlation(taus, connected)


def spectrum(model: Model, values: Mapping, A: str, B: str, omegas: ArrayLike, order: int = 2, *,
             connected: bool = True, state: CumulantState | None = None, **sizes: float) -> np.ndarray:
    r"""The spectrum :math:`S(\omega) = 2\,\mathrm{Re}\int_0^\infty e^{i\omega\tau}\langle A(\tau)B(0)\rangle\,d\tau`
    at order k (for :math:`A = S^+, B = S^-` or :math:`A = a^\dagger, B = a` the emission spectrum,
    the sign of :math:`\omega` as in :math:`e^{+i\omega\tau}`).

    Computed from the Laplace transform of the affine regression flow in its eigenbasis,
    :math:`-2\,\mathrm{Re}\sum_j w_j/(i\omega + \lambda_j)` (no numerical Fourier transform).
    ``connected=True`` (default): the incoherent part, :math:`g_\infty` (:math:`\approx\langle A\rangle
    \langle B\rangle`, the coherent part) subtracted; ``connected=False`` adds its
    :math:`-2\,\mathrm{Im}(g_\infty)/\omega` at :math:`\omega\ne 0` and refuses :math:`\omega = 0`
    (a :math:`2\pi\,\mathrm{Re}\,g_\infty\,\delta(\omega)` there).

    Raises:
        SolverError: a non-decaying mode of the regression flow (no finite spectrum).
        ModelError: as :func:`regression`.
    """
    return regression(model, values, A, B, order, state, **sizes).spectrum(omegas, connected)
