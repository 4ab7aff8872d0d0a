"""Check kinds of mean-field formulas: ``ode``, ``linear_stability``, ``root_count`` (numerics of the flow, not its symbolic solve).

* ``ode``: the long-time limits of the thermodynamic-limit mean-field flow, integrated from random
  starts, contain the formula's value of the variable ``check.observable`` (to 1e-7).
* ``linear_stability``: without ``check.state``, the finite-difference tangent eigenvalues at the
  attractor all equal minus the formula (a relaxation rate, 1e-6); with ``check.state``, the root
  (brentq) of the largest real tangent eigenvalue at that fixed state, as the parameters
  ``check.model_values(point, g)`` run through ``g``, equals the formula (relative 1e-6), the
  state being stable at 0.99 and unstable at 1.01 times it.
* ``root_count``: 1 physical fixed point at 0.97 lo and 1.03 hi, 3 at 1.02 lo, (lo + hi)/2 and
  0.99 hi of the window ``(lo, hi)`` the formula gives, the model at ``check.model_values(point, x)``.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import scipy.integrate
import scipy.optimize

import analytic as an
from analytic.formulas import Formula
from analytic.model import Model

from numeric.semiclassical import flows as dynamics
from numeric.app.checks.common import CheckResult, digits, label, model_values, state_vector, tangent_eigs, value

__all__ = ["check_ode", "check_linear_stability", "check_root_count"]


def long_time_limits(model: Model, values: Mapping, starts: int = 8, t: float = 400.0,
                     **options: Any) -> tuple[dynamics.Flow, list[np.ndarray]]:
    """End points (flow < 1e-8) of ``starts`` trajectories from random starts, integrated to ``t``."""
    flow = dynamics.meanfield_flow(model, values, **options)
    rng = np.random.default_rng(7)
    ends = []
    for _ in range(starts):
        sol = scipy.integrate.solve_ivp(flow, (0, t), dynamics.random_start(flow, rng), method="DOP853",
                                        rtol=1e-11, atol=1e-13)
        if np.linalg.norm(flow.f(sol.y[:, -1])) < 1e-8:
            ends.append(sol.y[:, -1])
    return flow, ends


def physical_roots(model: Model, values: Mapping, starts: int = 300) -> list:
    """Distinct roots of the finite-size mean-field equations inside the Bloch ball (fsolve)."""
    flow = dynamics.meanfield_flow(model, values)
    rng = np.random.default_rng(3)
    roots = []
    for _ in range(starts):
        x0 = rng.uniform(-1, 1, size=len(flow.names))
        x, _info, ier, _ = scipy.optimize.fsolve(flow.f, x0, full_output=True, xtol=1e-13)
        if ier == 1 and np.linalg.norm(flow.f(x)) < 1e-10 and np.all(np.abs(x) <= 1 + 1e-9):
            if not any(np.linalg.norm(x - r) < 1e-6 for r in roots):
                roots.append(x)
    return roots


def check_ode(f: Formula) -> CheckResult:
    """Long-time limits of the thermodynamic-limit mean-field flow contain the formula's value of
    the variable ``check.observable`` (to 1e-7)."""
    model = an.models.get(f.model)
    key = f.check.observable
    errors = {}
    for point in f.check.points:
        v = value(f, point)
        flow, ends = long_time_limits(model, model_values(f, point), thermodynamic_limit=True)
        if key not in flow.names:
            raise an.ModelError(f"{f.name}: Check.observable {key!r} is not a mean-field variable of {flow.names}")
        if not ends:
            return CheckResult(f.name, "ode", False, detail=f"no trajectory converged at {point}")
        errors[label(point)] = [min(abs(e[flow.names.index(key)] - v) for e in ends)]
    worst = max(e[0] for e in errors.values())
    return CheckResult(f.name, "ode", worst < 1e-7, digits=digits(worst), required_digits=7.0, errors=errors,
                       detail="long-time limit of the mean-field ODE")


def check_linear_stability(f: Formula) -> CheckResult:
    """Relaxation rate (no ``check.state``): tangent eigenvalues at the attractor equal -rate.
    Threshold (``check.state`` given): the root (brentq) of the largest real tangent eigenvalue
    at that state equals the formula (relative 1e-6)."""
    model = an.models.get(f.model)
    errors = {}
    if not f.check.state:
        for point in f.check.points:
            v = value(f, point)
            flow, ends = long_time_limits(model, model_values(f, point), thermodynamic_limit=True)
            if not ends:
                return CheckResult(f.name, "linear_stability", False, detail=f"no trajectory converged at {point}")
            ev = tangent_eigs(flow, ends[0])
            errors[label(point)] = [float(np.max(np.abs(ev + v)))]
        worst = max(e[0] for e in errors.values())
        return CheckResult(f.name, "linear_stability", worst < 1e-6, digits=digits(worst), required_digits=6.0,
                           errors=errors, detail="finite-difference tangent eigenvalues at the attractor")
    for point in f.check.points:
        v = value(f, point)

        def growth(g):
            flow = dynamics.meanfield_flow(model, model_values(f, point, g))
            return float(tangent_eigs(flow, state_vector(f, flow)).real.max())

        lo, hi = 0.99 * v, 1.01 * v
        if not (growth(lo) < 0 < growth(hi)):
            return CheckResult(f.name, "linear_stability", False,
                               detail=f"state {dict(f.check.state)} not stable below / unstable above the formula at {point}")
        g_num = scipy.optimize.brentq(growth, lo, hi, xtol=1e-14, rtol=1e-14)
        errors[label(point)] = [abs(g_num - v) / v]
    worst = max(e[0] for e in errors.values())
    return CheckResult(f.name, "linear_stability", worst < 1e-6, digits=digits(worst), required_digits=6.0,
                       errors=errors, detail="numeric instability threshold of the given state (relative)")


def check_root_count(f: Formula) -> CheckResult:
    """1 physical fixed point at 0.97 lo and 1.03 hi, 3 at 1.02 lo, (lo + hi)/2 and 0.99 hi."""
    model = an.models.get(f.model)
    errors, ok = {}, True
    for point in f.check.points:
        lo, hi = (float(v) for v in f.function()(*[point[a] for a in f.args]))
        counts = []
        for x, count in ((0.97 * lo, 1), (1.02 * lo, 3), ((lo + hi) / 2, 3), (0.99 * hi, 3), (1.03 * hi, 1)):
            n = len(physical_roots(model, model_values(f, point, x)))
            counts.append(n)
            ok &= n == count
        errors[label(point)] = counts
    seen = sorted({",".join(map(str, c)) for c in errors.values()})
    return CheckResult(f.name, "root_count", ok, errors=errors,
                       detail=f"root counts {' / '.join(seen)}")
