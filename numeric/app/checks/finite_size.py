r"""Check kinds against exact finite-size states: ``steady_state``, ``hp_squeezing``, ``hp_purity``, ``exact``, ``mixed_exact``.

* ``steady_state``: :math:`|\langle O\rangle_S/S - f| \sim S^{-p}` from the exact finite-size
  steady state of :func:`numeric.solvers.steady.steady_state` (``check.observable = 'O/S'``); fitted p
  within ``tol`` of ``order``.
* ``hp_squeezing`` / ``hp_purity``: the Wineland parameter / purity of the exact finite-S
  steady state converges to the Holstein-Primakoff formula, errors decreasing, fitted order within ``tol``.
* ``exact``: the formula (mpmath, 50 digits) equals the observable ``check.observable`` of the
  50-digit steady state (``steady_state(..., dps=50)``) to ``tol``; with ``order``, also the fitted
  order of :math:`|f(S) - {\rm limit}|`, the approach to the registered formula ``check.limit``.
* ``mixed_exact``: g2 of the totally mixed state equals the one of explicit
  :math:`2^N`-dimensional collective matrices, and :math:`2(1 - 1/N)` (seed 004 eq. D3e).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

import mpmath
import numpy as np

import analytic as an
from analytic.formulas import Formula
from analytic.model import ModelError

from numeric.solvers.steady import steady_state
from numeric.app.checks.common import CheckResult, digits, fit_order, label, value

__all__ = ["ORDER_TOL", "check_steady_state", "check_hp_squeezing", "check_hp_purity", "check_exact",
           "check_mixed_exact"]

ORDER_TOL = 0.02  # tolerance of the fitted exponent of the exact -> mean-field approach (Check.tol is digits there)

# numeric observable of the exact state for Check('exact', observable=...): (state, S) -> value
EXACT_OBSERVABLES: dict = {
    "Sz/S": lambda st, S: st.expect("Sz") / S,
    "Sz*Sz/S^2": lambda st, S: st.expect("Sz*Sz") / S ** 2,
    "purity": lambda st, S: st.purity(),
    "squeezing_x": lambda st, S: st.squeezing("x"),
    "negativity": lambda st, S: st.negativity(),
    "qubit_purity": lambda st, S: st.qubit_purity(),
}


def _convergence(f, observable: Callable, kind: str, monotone: bool) -> CheckResult:
    """Fit |observable(steady state at S) - formula| ~ S^-p over ``check.sizes`` at every point."""
    model = an.models.get(f.model)
    errors, orders, ok = {}, [], True
    for point in f.check.points:
        v = value(f, point)
        errs = [abs(observable(steady_state(model, point, S=S), S) - v) for S in f.check.sizes]
        p = fit_order(f.check.sizes, errs)
        errors[label(point)] = errs
        orders.append(p)
        ok &= abs(p - f.check.order) < f.check.tol
        if monotone:
            ok &= bool(np.all(np.diff(errs) < 0))
    worst = max(orders, key=lambda p: abs(p - f.check.order))
    return CheckResult(f.name, kind, ok, order=worst, expected_order=f.check.order, order_tol=f.check.tol,
                       sizes=tuple(f.check.sizes), errors=errors,
                       detail="exact finite-S steady state -> formula")


def check_steady_state(f: Formula) -> CheckResult:
    r""":math:`|\langle O\rangle/S - f| \sim S^{-p}` with O from ``check.observable = 'O/S'``."""
    op, _scale = f.check.observable.split("/")
    return _convergence(f, lambda st, S: st.expect(op).real / S, "steady_state", monotone=False)


def check_hp_squeezing(f: Formula) -> CheckResult:
    """Wineland parameter of the exact steady state -> formula, errors decreasing."""
    return _convergence(f, lambda st, S: st.squeezing(), "hp_squeezing", monotone=True)


def check_hp_purity(f: Formula) -> CheckResult:
    """Purity of the exact steady state -> formula, errors decreasing."""
    return _convergence(f, lambda st, S: st.purity(), "hp_purity", monotone=True)


def check_exact(f: Formula) -> CheckResult:
    """50-digit formula vs the 50-digit steady state's ``check.observable`` (a key of
    :data:`EXACT_OBSERVABLES`; relative error <= tol); then, with ``order``, the fitted order of
    the approach to the registered formula ``check.limit`` (a function of omega, kappa) at
    lambda < 1 outside the critical crossover (min size >= 10 (1 - lambda^2)^(-3/2)), within
    :data:`ORDER_TOL`.  The points are crf's (omega, kappa, S)."""
    model = an.models.get(f.model)
    observable = EXACT_OBSERVABLES.get(f.check.observable)
    if observable is None:
        raise ModelError(f"{f.name}: Check.observable {f.check.observable!r} is not one of {sorted(EXACT_OBSERVABLES)}")
    if f.check.order is not None and not f.check.limit:
        raise ModelError(f"{f.name}: an exact check with an order needs Check(limit=...), the formula it approaches")
    fn = f.function("mpmath")
    errors, ok, worst = {}, True, 0.0
    for point in f.check.points:
        S = point["S"]
        # the check point's decimals as written (exact on both sides; a float would be its binary value)
        st = steady_state(model, {"omega": str(point["omega"]), "kappa": str(point["kappa"])}, S=S, dps=50)
        with mpmath.workdps(50):
            Smp = mpmath.mpf(Fraction(str(S)).numerator) / Fraction(str(S)).denominator
            ref = mpmath.re(observable(st, Smp))
            got = fn(*[mpmath.mpf(str(point[a])) if a != "S" else S for a in f.args])
            rel = float(abs(got - ref) / max(1, abs(ref)))
        errors[label(point)] = [rel]
        worst = max(worst, rel)
        ok &= rel <= f.check.tol
    result = CheckResult(f.name, "exact", ok, digits=digits(worst), required_digits=-math.log10(f.check.tol),
                         errors=errors, detail="50-digit formula vs 50-digit steady state")
    if f.check.order is None:
        return result
    limit_fn = an.formulas.get(f.check.limit, backend="mpmath")
    orders = []
    for point in f.check.points:
        lam = point["omega"] / (2 * point["kappa"])
        # the 1/S regime needs S >> (1 - lambda^2)^(-3/2) (the critical crossover); closer to
        # lambda = 1 the fitted exponent is pre-asymptotic (e.g. p = 1.08 at lambda = 0.95)
        if lam >= 1 or min(f.check.sizes) < 10 * (1 - lam ** 2) ** -1.5:
            continue
        with mpmath.workdps(30):
            w, k = mpmath.mpf(point["omega"]), mpmath.mpf(point["kappa"])
            limit = limit_fn(w, k)
            errs = [float(abs(fn(w, k, S) - limit)) for S in f.check.sizes]
        errors[label({"omega": point["omega"], "kappa": point["kappa"]}) + ", S -> oo"] = errs
        orders.append(fit_order(f.check.sizes, errs))
    if not orders:
        raise ModelError(f"{f.name}: no point of the check lies in the 1/S regime; the order was not tested")
    p = max(orders, key=lambda q: abs(q - f.check.order))
    result.order, result.expected_order, result.order_tol = p, f.check.order, ORDER_TOL
    result.sizes = tuple(f.check.sizes)
    result.passed = bool(ok and abs(p - f.check.order) < ORDER_TOL)
    result.detail += "; |f(S) - mean field| ~ S^-p"
    return result


def _collective_matrices(N: int):
    """Explicit 2^N-dimensional S+, S- = sum_i sigma_i^pm (basis |up>=0, |down>=1 per atom)."""
    sp_ = np.array([[0.0, 1.0], [0.0, 0.0]])
    eye = np.eye(2)
    Sp = np.zeros((2 ** N, 2 ** N))
    for i in range(N):
        op = np.array([[1.0]])
        for k in range(N):
            op = np.kron(op, sp_ if k == i else eye)
        Sp += op
    return Sp, Sp.T.copy()


def check_mixed_exact(f: Formula) -> CheckResult:
    r"""g2 of :math:`1/2^N` from explicit matrices (1e-12), the mpmath value vs :math:`2(1-1/N)`
    (1e-38) and the rational :func:`analytic.exact.mixed_g2` (exact)."""
    np_fn, mp_fn = f.function("numpy"), f.function("mpmath")
    errors, ok, worst = {}, True, 0.0
    for point in f.check.points:
        N = point["N"]
        Sp, Sm = _collective_matrices(N)
        rho = np.eye(2 ** N) / 2 ** N
        den = np.trace(rho @ Sp @ Sm)
        g2_matrix = np.trace(rho @ Sp @ Sp @ Sm @ Sm) / den ** 2
        e_matrix = abs(float(np_fn(N)) - g2_matrix)
        with mpmath.workdps(40):
            e_mp = float(abs(mp_fn(N) - 2 * (1 - mpmath.mpf(1) / N)))
        rational = an.exact.mixed_g2(N) == 2 * (1 - Fraction(1, N))
        errors[label(point)] = [e_matrix, e_mp]
        worst = max(worst, e_matrix)
        ok &= e_matrix < 1e-12 and e_mp < 1e-38 and rational
    return CheckResult(f.name, "mixed_exact", ok, digits=digits(worst), required_digits=12.0, errors=errors,
                       detail="explicit 2^N matrices (float64), 2(1 - 1/N) (40 digits), rational")


