r"""Fixed points at numeric parameter values: mpmath ``findroot`` and a float64 search, from random starts."""
from __future__ import annotations

from typing import Mapping

import mpmath
import sympy as sp

from ..model import Model, ModelError
from .flow import conserved_quantities, equations, variables
from .parameters import parameter_values

__all__ = ["fixed_points_numeric", "roots_float64"]


def fixed_points_numeric(model: Model, values: Mapping, *, dps: int = 15, starts: int = 60,
                         seed: int = 0, tol_digits: int | None = None, eqs: Mapping | None = None,
                         **eq_options) -> list:
    r"""Fixed points for numeric parameter values by mpmath ``findroot`` from many random starts,
    at ``dps`` digits.  Conserved spin lengths are imposed (sphere of radius 1).

    Each returned point is a dict of mpmath numbers; the residual :math:`\max|f|` of every
    point is checked against ``10**-(dps-5)`` and points are deduplicated.
    """
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    vals = parameter_values(model, values)
    cons = conserved_quantities(model, eqs)
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    free = [s for e in exprs for s in e.free_symbols if s not in var.values()]
    if free:
        raise ModelError(f"fixed_points_numeric: missing values for {sorted(set(map(str, free)))}")
    names = list(var)
    syms = list(var.values())
    # replace one equation per conserved spin by its constraint (the flow is tangent to the sphere)
    system = list(exprs)
    for C in cons:
        members = [i for i, s in enumerate(syms) if s in C.free_symbols]
        system[members[-1]] = C - 1
    f = sp.lambdify(syms, system, modules="mpmath")
    f_eqs = sp.lambdify(syms, exprs, modules="mpmath")
    tol = mpmath.mpf(10) ** (-(tol_digits or (dps - 5)))
    found: list = []
    rng = _rng(seed)
    with mpmath.workdps(dps + 10):
        for _ in range(starts):
            x0 = [mpmath.mpf(rng.uniform(-1, 1)) for _ in syms]
            try:
                root = mpmath.findroot(lambda *x: f(*x), x0, tol=tol ** 2, maxsteps=200)
            except (ZeroDivisionError, ValueError):
                continue
            root = [root] if len(syms) == 1 else list(root)
            res = max(abs(v) for v in f(*root))
            full = max(abs(v) for v in f_eqs(*root))
            if max(res, full) > tol:
                continue
            if any(max(abs(a - b) for a, b in zip(root, p["_x"])) < mpmath.sqrt(tol) for p in found):
                continue
            found.append({"_x": root, "_residual": max(res, full)})
    out = []
    with mpmath.workdps(dps):
        for p in found:
            d = {n: +v for n, v in zip(names, p["_x"])}
            d["residual"] = p["_residual"]
            out.append(d)
    return out


def _rng(seed: int):
    import random

    return random.Random(seed)


def roots_float64(model: Model, eqs: Mapping, vals: Mapping, starts: int, seed: int) -> list:
    r"""Real fixed points at numeric parameter values in float64 (the fast search of the
    completeness check): MINPACK's hybrid Newton (``scipy.optimize.root``, analytic Jacobian)
    from ``starts`` random points in :math:`[-1, 1]^n`, with the conserved spin lengths imposed
    as in :func:`fixed_points_numeric`; a root is kept when every equation is below
    :math:`10^{-10}` times the largest Jacobian entry, and roots closer than 1e-7 are merged."""
    import numpy as np
    import scipy.optimize

    var = variables(model)
    syms = list(var.values())
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    system = list(exprs)
    for C in conserved_quantities(model, eqs):
        members = [i for i, s in enumerate(syms) if s in C.free_symbols]
        system[members[-1]] = C - 1
    f = sp.lambdify(syms, system, modules="numpy")
    f_eqs = sp.lambdify(syms, exprs, modules="numpy")
    jac = sp.lambdify(syms, sp.Matrix(system).jacobian(syms), modules="numpy")
    rng = np.random.default_rng(seed)
    found: list = []
    with np.errstate(all="ignore"):
        for _ in range(starts):
            x0 = rng.uniform(-1, 1, len(syms))
            sol = scipy.optimize.root(lambda x: np.asarray(f(*x), float),
                                      x0, jac=lambda x: np.asarray(jac(*x), float), method="hybr", tol=1e-14)
            x = sol.x
            if not np.all(np.isfinite(x)):
                continue
            scale = max(1.0, float(np.max(np.abs(np.asarray(jac(*x), float)))))
            res = max(np.max(np.abs(np.asarray(f(*x), float))), np.max(np.abs(np.asarray(f_eqs(*x), float))))
            if not res < 1e-10 * scale:
                continue
            if any(np.max(np.abs(x - y)) < 1e-7 for y in found):
                continue
            found.append(x)
    return [dict(zip(var, map(float, x))) for x in found]
