r"""Fixed points at numeric parameter values: mpmath ``findroot`` and a float64 search, from random starts."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import mpmath
import sympy as sp

from ..model import Model, ModelError
from .flow import conserved_quantities, equations, variables
from .parameters import parameter_values

if TYPE_CHECKING:
    import numpy

__all__ = ["fixed_points_numeric", "roots_float64", "dogleg_root"]


def fixed_points_numeric(model: Model, values: Mapping, *, dps: int = 15, starts: int = 60,
                         seed: int = 0, tol_digits: int | None = None, eqs: Mapping | None = None,
                         **eq_options: Any) -> list[dict[str, mpmath.mpf]]:
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


def roots_float64(model: Model, eqs: Mapping, vals: Mapping, starts: int, seed: int) -> list[dict[str, float]]:
    r"""Real fixed points at numeric parameter values in float64 (the fast search of the
    completeness check of :func:`~analytic.meanfield.fixed_points`): Powell's dogleg
    (:func:`dogleg_root`, analytic Jacobian, numpy only) from ``starts`` random points in
    :math:`[-1, 1]^n`.  With conserved spin lengths, two runs from each start: on the square
    system where one equation per spin is replaced by its constraint (length 1), as in
    :func:`fixed_points_numeric`, and on the equations of motion together with the constraints
    (overdetermined, solved in the least-squares sense; the square system has roots that are no
    fixed points, e.g. a whole circle where the replaced equation fails, on which many starts
    end, slowly: that run stops after 50 steps).  A root is kept when every equation and
    constraint is below :math:`10^{-10}` times the largest entry (at least 1) of the square
    system's Jacobian, and roots closer than 1e-7 are merged."""
    import numpy as np

    var = variables(model)
    syms = list(var.values())
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    system = list(exprs)
    cons = conserved_quantities(model, eqs)
    for C in cons:
        members = [i for i, s in enumerate(syms) if s in C.free_symbols]
        system[members[-1]] = C - 1
    f = sp.lambdify(syms, system, modules="numpy")
    f_eqs = sp.lambdify(syms, exprs, modules="numpy")
    jac = sp.lambdify(syms, sp.Matrix(system).jacobian(syms), modules="numpy")

    def vector(g: Callable) -> Callable[[numpy.ndarray], numpy.ndarray]:
        return lambda x: np.asarray(g(*x), float)

    runs = [(vector(f), vector(jac), 200)]
    if cons:  # the overdetermined system first, then the square one
        stacked = exprs + [C - 1 for C in cons]
        runs = [(vector(sp.lambdify(syms, stacked, modules="numpy")),
                 vector(sp.lambdify(syms, sp.Matrix(stacked).jacobian(syms), modules="numpy")), 200),
                (vector(f), vector(jac), 50)]
    rng = np.random.default_rng(seed)
    found: list = []
    with np.errstate(all="ignore"):
        for _ in range(starts):
            x0 = rng.uniform(-1, 1, len(syms))
            for F, J, steps in runs:
                x = dogleg_root(F, J, x0, max_steps=steps)
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


def dogleg_root(f: Callable[[numpy.ndarray], numpy.ndarray], jac: Callable[[numpy.ndarray], numpy.ndarray],
                x0: Sequence[float], *, xtol: float = 1e-14, ftol: float = 1e-13,
                max_steps: int = 200) -> numpy.ndarray:
    r"""A root of ``f`` (R^n -> R^n, numpy arrays) near ``x0`` by Powell's dogleg trust-region
    method with the exact Jacobian ``jac`` at every accepted step, in the variables scaled by the
    Jacobian's column norms (the scheme of MINPACK's ``hybrj``, without its Broyden updates).

    The step is the Newton step when it lies in the trust region, else the dogleg path between
    the Cauchy point and the Newton step (least-squares when J is singular); the region halves
    after a poor step (ratio of actual to predicted decrease of :math:`|f|^2` below 0.1), is twice
    the step after one the linear model predicted within 10 %, and grows after a good one.  Stops
    when :math:`f = 0`, after an accepted step shorter than ``xtol`` times the scaled :math:`|x|`
    or one that leaves :math:`|f|` below ``ftol`` times (1 + the largest Jacobian entry) (at a
    root where J is singular, e.g. on a continuum of roots, Newton converges only linearly),
    when the region shrinks below ``xtol`` times the scaled :math:`|x|`, when :math:`|f|^2` fell
    by less than 0.1 % in 10 steps in a row or by less than 10 % in 10 steps in a row (MINPACK's
    tests of slow progress), or after ``max_steps``
    steps.  Returns the last accepted point (not necessarily a root: the caller checks the
    residual), or NaNs when ``f(x0)`` is not finite.  ``f`` may have more components than ``x``
    (an overdetermined system): the Newton step is then the least-squares (Gauss-Newton) step."""
    import math

    import numpy as np

    def norm(v: numpy.ndarray) -> float:
        return math.sqrt(float(v @ v))

    x = np.array(x0, dtype=float)
    F = f(x)
    if not np.all(np.isfinite(F)):
        return np.full_like(x, np.nan)
    fnorm = norm(F)
    J = jac(x)
    square = J.shape[0] == J.shape[1]
    diag = np.ones_like(x)
    delta = None
    first = True
    slow1 = slow2 = 0
    for _ in range(max_steps):
        if fnorm == 0.0 or not np.all(np.isfinite(J)):
            break
        cols = np.sqrt(np.einsum("ij,ij->j", J, J))
        diag = np.maximum(diag if delta is not None else np.where(cols > 0, cols, 1.0), cols)
        if delta is None:
            delta = 100.0 * (norm(diag * x) or 1.0)
        try:  # Newton (Gauss-Newton) step; least squares when J is singular
            newton = -np.linalg.solve(J, F) if square else -np.linalg.solve(J.T @ J, J.T @ F)
            if not np.all(np.isfinite(newton)):
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            newton = -np.linalg.lstsq(J, F, rcond=None)[0]
        pz = diag * newton  # scaled variables z = D x, Jacobian J D^-1
        if norm(pz) > delta:
            g = (J.T @ F) / diag
            Jg = J @ (g / diag)
            gg, JgJg = float(g @ g), float(Jg @ Jg)
            cauchy = -(gg / JgJg) * g if JgJg > 0 else -delta * g / math.sqrt(gg) if gg > 0 else pz * 0
            if norm(cauchy) >= delta or not np.all(np.isfinite(pz)):
                pz = -delta * g / math.sqrt(gg) if gg > 0 else pz * 0
            else:  # the point of the dogleg path on the trust-region boundary
                d = pz - cauchy
                a, b, c = float(d @ d), float(2 * cauchy @ d), float(cauchy @ cauchy) - delta ** 2
                tau = (-b + math.sqrt(max(b * b - 4 * a * c, 0.0))) / (2 * a) if a > 0 else 0.0
                pz = cauchy + tau * d
        p = pz / diag
        pnorm = norm(pz)
        if pnorm == 0.0:
            break
        xn = x + p
        Fn = f(xn)
        fn = norm(Fn) if np.all(np.isfinite(Fn)) else math.inf
        predicted = 1.0 - (norm(F + J @ p) / fnorm) ** 2
        actual = 1.0 - (fn / fnorm) ** 2 if fn < math.inf else -1.0
        ratio = actual / predicted if predicted > 0 else 0.0
        if first:
            delta, first = min(delta, pnorm), False
        if ratio < 0.1:
            delta = 0.5 * min(delta, pnorm)
        elif abs(ratio - 1.0) <= 0.1:  # the linear model is good: the region follows the step
            delta = 2.0 * pnorm
        elif ratio >= 0.5:
            delta = max(delta, 2.0 * pnorm)
        slow1, slow2 = (0 if actual >= 1e-3 else slow1 + 1), (0 if actual >= 0.1 else slow2 + 1)
        if ratio >= 1e-4:
            x, F, fnorm = xn, Fn, fn
            J = jac(x)
            if pnorm <= xtol * norm(diag * x) or fnorm <= ftol * (1.0 + float(np.max(np.abs(J)))):
                break
        if delta <= xtol * norm(diag * x) or slow1 == 10 or slow2 == 10:
            break
    return x
