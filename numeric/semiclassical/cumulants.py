"""Steady states of the cumulant-closed moment equations, reached from the coherent state on the stable mean-field branch."""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp
from scipy.sparse import diags
from scipy.special import gammaln

from analytic import cumulants as cu
from analytic.algebra import Gen, Op
from analytic.model import Model, ModelError
from analytic.values import real_number
from numeric.core.errors import SolverError
from numeric.semiclassical.flows import meanfield_fixed_points

__all__ = ["CumulantState", "steady_state"]

_GEN_NAMES = {"Sp": "p", "Sz": "z", "Sm": "m", "ad": "c", "a": "a"}


@dataclass
class CumulantState:
    r"""A fixed point of the order-k closed moment equations.

    ``moments[name]`` is the *unscaled* complex average :math:`\langle w\rangle` of each canonical
    word of degree <= k (names of :func:`analytic.cumulants.word_name`); :meth:`expect` answers
    products of ``Sx, Sy, Sz, Sp, Sm, a, ad`` (e.g. ``'Sz'``, ``'Sx*Sx'``) whose normal-ordered form
    has degree <= k.  ``residual`` is :math:`\max_w |\dot m_w|` of the scaled equations at the point,
    ``constraint`` the largest violation of the spin Casimir relation :math:`\langle\mathbf S^2\rangle = S(S+1)`."""

    model: Model
    order: int
    sizes: dict
    moments: dict = field(default_factory=dict)
    residual: float = float("nan")
    constraint: float = 0.0

    def expect(self, op: str) -> complex | float:
        """The average of a product of generators, e.g. ``'Sz'``, ``'Sz*Sz'``, ``'Sx*Sy'`` (real if it is)."""
        total = 0j
        for word, c in _parse(self.model, op).terms.items():
            if not word:
                total += complex(sp.sympify(c).subs(self.sizes))
                continue
            if len(word) > self.order:
                raise ModelError(f"expect({op!r}): needs moments of degree {len(word)} > order {self.order}")
            total += complex(sp.sympify(c).subs(self.sizes)) * self.moments[cu.word_name(word)]
        return total.real if abs(total.imag) <= 1e-12 * max(1.0, abs(total)) else total


def _parse(model: Model, op: str) -> Op:
    subs = {s.name: s for s in model.subsystems}
    out = Op({(): 1})
    for factor in op.replace(" ", "").split("*"):
        base, _, suffix = factor.partition("_")
        sub = subs.get(suffix)
        if sub is None:
            raise ModelError(f"expect: unknown subsystem in {factor!r} (model {model.name!r})")
        if base in ("Sx", "Sy") and sub.kind in ("spin", "atoms"):
            out = out * (sub.x if base == "Sx" else sub.y)
        elif base in _GEN_NAMES and (base.startswith("S") == (sub.kind in ("spin", "atoms"))):
            out = out * Op.gen(Gen(sub, _GEN_NAMES[base]))
        else:
            raise ModelError(f"expect: unknown operator {factor!r}; use Sx, Sy, Sz, Sp, Sm, a, ad")
    return out


def _dagger(word: tuple) -> tuple:
    """The canonical word of the adjoint (reversed daggered letters, back in canonical order)."""
    return tuple(sorted((g.dagger() for g in reversed(word)), key=lambda g: g.key))


def _casimir_rows(eqs: cu.CumulantEquations, values: Mapping) -> list:
    r"""Scaled :math:`\langle S^+S^-\rangle + \langle S_z^2\rangle - \langle S_z\rangle - S(S+1)` per
    spin (order >= 2), in the moment symbols: zero in the spin-S irrep and conserved exactly by the
    closed equations (the higher relations :math:`\langle\mathbf S^2 w\rangle = S(S+1)\langle w\rangle`
    are not: the closure breaks them at O(1/S^k))."""
    rows = []
    for s in eqs.model.subsystems:
        if s.kind != "spin" or eqs.order < 2:
            continue
        op = s.plus * s.minus + s.z * s.z - s.z - Op({(): s.casimir()})
        expr = sum((c * (eqs.scales[cu.word_name(v)] * eqs.symbols[cu.word_name(v)] if v else 1)
                    for v, c in op.terms.items()), sp.Integer(0))
        rows.append(sp.expand(expr / s.S ** 2).subs(values))
    return rows


def _coherent_moments(eqs: cu.CumulantEquations, point: Mapping, values: Mapping) -> np.ndarray:
    r"""Scaled moments of every word in the product of coherent states at a mean-field point: spin
    coherent states of length S (N/2 for qubits) along (sx, sy, sz), from sparse spin matrices;
    :math:`\langle a^{\dagger p}a^q\rangle = \bar\alpha^p\alpha^q` for modes."""
    states: dict = {}
    for s in eqs.model.subsystems:
        suf = f"_{s.name}" if s.name else ""
        if s.kind == "mode":
            states[s] = complex(point["ar" + suf], point["ai" + suf])
            continue
        S = float(sp.sympify(s.size).subs(values))
        if abs(2 * S - round(2 * S)) > 1e-9 or S <= 0:
            raise ModelError(f"cumulants.steady_state: spin length {S} of {s.name!r} is not a positive half-integer")
        d = int(round(2 * S)) + 1
        k = np.arange(d)
        ms = k - (d - 1) / 2
        nz = float(np.clip(point["sz" + suf], -1.0, 1.0))
        th, ph = np.arccos(nz), np.arctan2(point["sy" + suf], point["sx" + suf])
        with np.errstate(divide="ignore"):
            logc = (0.5 * (gammaln(d) - gammaln(k + 1) - gammaln(d - k)) + k * np.log(np.cos(th / 2))
                    + (d - 1 - k) * np.log(np.sin(th / 2)))
        c = np.exp(logc - np.max(logc)) * np.exp(-1j * k * ph)
        c /= np.linalg.norm(c)
        plus = diags(np.sqrt(S * (S + 1) - ms[:-1] * (ms[:-1] + 1)), -1, format="csr")
        states[s] = (c, {"p": plus, "m": plus.T.tocsr(), "z": diags(ms, 0, format="csr")}, S)
    out = []
    for name, word in eqs.words.items():
        value = 1 + 0j
        for sub, grp in itertools.groupby(word, key=lambda g: g.sub):
            letters = [g.letter for g in grp]
            if sub.kind == "mode":
                alpha = states[sub]
                value *= np.conj(alpha) ** letters.count("c") * alpha ** letters.count("a")
                continue
            c, mats, S = states[sub]
            v = c
            for letter in reversed(letters):
                v = mats[letter] @ v
            value *= np.vdot(c, v) / S ** len(letters)
        out.append(value)
    return np.array(out)


def _evolve(f, y0: np.ndarray, t_max: float, tol: float) -> np.ndarray:
    """Integrate dy/dt = f(y) until the largest rate falls below ``tol`` (or ``t_max``)."""
    def stopped(t: float, y: np.ndarray) -> float:
        return float(np.max(np.abs(f(y)))) - tol

    stopped.terminal = True
    sol = solve_ivp(lambda t, y: f(y), (0.0, float(t_max)), y0.astype(complex), method="DOP853",
                    rtol=1e-11, atol=1e-13, events=stopped)
    if not np.all(np.isfinite(sol.y[:, -1])):
        raise SolverError("cumulants.steady_state: the closed equations diverged from the coherent start")
    return sol.y[:, -1]


def steady_state(model: Model, values: Mapping, order: int = 2, *, tol: float = 1e-9, t_max: float = 2000.0,
                 **sizes: float) -> CumulantState:
    r"""The steady state of :func:`analytic.cumulants.equations` at ``order`` for numeric values.

    The closed equations have neutral directions: for crf at lambda = 0.6 the Jacobian at the
    fixed point has k zero eigenvalues at order k (k >= 2: the Casimir and k - 1 more; order 1:
    the spin length), every other eigenvalue near -1.6; the fixed points form a k-dimensional
    family and root finding alone cannot choose.  The member is chosen by the
    dynamics: the closed equations are integrated from the exact moments of the coherent state at
    the stable mean-field fixed point (:func:`numeric.semiclassical.flows.meanfield_fixed_points`,
    the first stable one) until the rates fall below min(``tol``, 1e-12) (no polishing by root
    finding: a Newton or least-squares step moves along the family).  ``residual`` and the
    Casimir rows are then checked against ``tol``.

    Args:
        model: a model accepted by :func:`analytic.cumulants.equations`.
        values: ``{'omega': 1.2, 'kappa': 1, ...}``.
        order: the cumulant order k.
        tol: accept when the residual and the Casimir violation are below ``tol``.
        t_max: the longest integration time.
        **sizes: the size symbols, e.g. ``S=40``.

    Raises:
        ModelError: individual terms (not in this step), missing values.
        SolverError: no stable mean-field point, or the closed flow does not reach a fixed point
            (residual or Casimir violation above ``tol`` at ``t_max``).
    """
    if model.has_individual_terms():
        raise ModelError(f"cumulants.steady_state: model {model.name!r} has individual terms; N identical atoms "
                         "with individual terms are not in this step")
    eqs = cu.equations(model, order)
    size_vals = {model.symbol(k): float(real_number(v, k)) for k, v in sizes.items()}
    par_vals = {(model.symbol(k) if isinstance(k, str) else k): float(real_number(v, str(k))) for k, v in values.items()}
    allv = {**par_vals, **size_vals}
    names = list(eqs.symbols)
    syms = [eqs.symbols[n] for n in names]
    exprs = [eqs[n].subs(allv) for n in names]
    free = set().union(*(e.free_symbols for e in exprs)) - set(syms)
    if free:
        raise ModelError(f"cumulants.steady_state: missing value for {sorted(map(str, free))}")
    f = sp.lambdify(syms, exprs, modules="numpy")
    index = {n: i for i, n in enumerate(names)}
    cas = sp.lambdify(syms, _casimir_rows(eqs, allv) or [0], modules="numpy")
    n = len(names)

    dag = [index[cu.word_name(_dagger(eqs.words[k]))] for k in names]
    reps = [i for i in range(n) if dag[i] >= i]           # one of each pair w, w-dagger

    mf_vals = {**{str(k): v for k, v in values.items()}, **sizes}
    points = [p for p in meanfield_fixed_points(model, mf_vals) if p["stability"] == "stable"]
    if not points:
        raise SolverError(f"cumulants.steady_state: no stable mean-field fixed point of {model.name!r} at {mf_vals}")
    y0 = _coherent_moments(eqs, points[0], allv)
    y0 = _evolve(lambda y: np.asarray(f(*y), dtype=complex), y0, t_max, min(tol, 1e-12))
    m = y0
    m[[dag[i] for i in reps]] = np.conj(m[reps])        # Hermitian to rounding
    res = float(np.max(np.abs(np.asarray(f(*m), dtype=complex))))
    viol = float(np.max(np.abs(np.asarray(cas(*m), dtype=complex))))
    if not (np.all(np.isfinite(m)) and res < tol and viol < tol):
        raise SolverError(f"cumulants.steady_state: no fixed point reached for {model.name!r} at order {order} "
                          f"({mf_vals}): residual {res:.3g}, Casimir violation {viol:.3g} (tol {tol:g})")
    moments = {k: complex(m[i] * complex(sp.sympify(eqs.scales[k]).subs(size_vals))) for k, i in index.items()}
    return CumulantState(model, order, size_vals, moments, res, viol)
