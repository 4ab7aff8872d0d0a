r"""Check kind ``closure``: a cumulant-expansion formula at size N against the exact permutation-invariant steady state at the same N.

For each point (the formula's arguments but N) and each N of ``check.sizes``: the exact steady state of the
formula's model (:func:`numeric.solvers.steady.steady_state` with ``N=``; the drive from ``x``, the
multiple of :math:`\Omega_c = (N-1)\gamma_c/4`, seed 004 eq. 3) gives ``check.observable`` (``'Sz/(N/2)'``
or ``'xi2'``, Wineland's squeezing); the error :math:`|{\rm exact}(N) - f(N)|` must fall with N, with a
fitted order within ``tol`` of ``order`` (the closure's order: 2 for an order-2 expansion in the collective phase).
"""
from __future__ import annotations

import time
from fractions import Fraction

import numpy as np

import analytic as an
from analytic.formulas import Formula
from analytic.model import ModelError

from numeric.solvers.steady import steady_state
from numeric.app.checks.common import CheckResult, fit_order, label

__all__ = ["check_closure"]

_OBSERVABLES = {"Sz/(N/2)": lambda st, N: st.expect("Sz") / (N / 2), "xi2": lambda st, N: st.squeezing()}


def check_closure(f: Formula) -> CheckResult:
    """Exact permutation-invariant state at each N -> the formula at the same N, error ~ N^-order."""
    t0 = time.time()
    if f.check.observable not in _OBSERVABLES:
        raise ModelError(f"{f.name}: Check.observable {f.check.observable!r} is not one of {sorted(_OBSERVABLES)}")
    model = an.models.get(f.model)
    fn = f.function()
    observable = _OBSERVABLES[f.check.observable]
    errors, orders, ok = {}, [], True
    for point in f.check.points:
        errs = []
        for N in f.check.sizes:
            values = {"Omega": Fraction(str(point["x"])) * (N - 1) * Fraction(str(point["gamma_c"])) / 4,
                      "gamma_c": str(point["gamma_c"]), "gamma_s": str(point["gamma_s"])}
            exact = observable(steady_state(model, values, N=N), N)
            errs.append(abs(exact - float(fn(point["x"], N, point["gamma_c"], point["gamma_s"]))))
        p = fit_order(f.check.sizes, errs)
        errors[label({k: v for k, v in point.items() if k != "N"})] = errs
        orders.append(p)
        ok &= abs(p - f.check.order) < f.check.tol and bool(np.all(np.diff(errs) < 0))
    worst = max(orders, key=lambda p: abs(p - f.check.order))
    return CheckResult(f.name, f.check.kind, ok, order=worst, expected_order=f.check.order, order_tol=f.check.tol,
                       sizes=tuple(f.check.sizes), errors=errors, seconds=time.time() - t0,
                       detail="exact permutation-invariant steady state at N -> order-k closure at the same N")
