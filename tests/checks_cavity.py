"""Check kind of the cavity phase-diagram formulas (analytic/cavity.py).

``attractors``: the boundary the formula gives is located by numerics that never use the
symbolic solve behind it.

* ``open_dicke.meanfield.normal_edge``: bisection in g_plus of the sign of the largest real
  part of the finite-difference tangent Jacobian at the normal state (spin down, empty cavity);
  digits = agreement of the bisected g_plus with the formula.
* ``open_dicke.meanfield.saddle_node_ratio`` and ``kerr.meanfield.bistability``: fixed points
  found by integrating the mean-field flow from random starts and polishing
  (numeric.dynamics.meanfield_fixed_points), just outside and just inside the boundary
  (relative offset DELTA): the superradiant fixed points (s_x != 0) appear / the number of
  stable Kerr fixed points goes from 1 to 2.  digits = -log10(DELTA), the bracket width.
"""
import math
import time

import numpy as np
import scipy.optimize

import analytic as an
from numeric import checks, dynamics

DELTA = 5e-3


def _normal_unstable(point, g_plus) -> float:
    model = an.models.open_dicke()
    flow = dynamics.meanfield_flow(model, {**point, "g_plus": g_plus}, thermodynamic_limit=True)
    return float(np.max(checks._tangent_eigs(flow, np.array([0, 0, -1, 0, 0], float)).real))


def _fixed_points(model, values):
    return dynamics.meanfield_fixed_points(model, values, starts=12, t_max=200.0, thermodynamic_limit=True)


def _count(name, point, value, scale):
    if name == "kerr.meanfield.bistability":
        pts = _fixed_points(an.models.kerr(), {**point, "F": value * scale})
        return sum(p["stability"] == "stable" for p in pts)
    pts = _fixed_points(an.models.open_dicke(), {**point, "g_plus": value * point["g_minus"] * scale})
    return sum(abs(p["sx"]) > 1e-6 for p in pts)


def check_attractors(f) -> checks.CheckResult:
    t0 = time.time()
    errors, ok = {}, True
    for point in f.check.points:
        args = [point[a] for a in f.args]
        label = checks._label(point)
        if f.name == "open_dicke.meanfield.normal_edge":
            value = float(f.function()(*args))
            lo, hi = 0.9 * value, min(1.1 * value, point["g_minus"])
            assert _normal_unstable(point, lo) < 0 < _normal_unstable(point, hi), (label, lo, hi)
            root = scipy.optimize.brentq(lambda g: _normal_unstable(point, g), lo, hi, xtol=1e-13)
            errors[label] = [abs(root / value - 1)]
            continue
        if f.name == "kerr.meanfield.bistability":
            edges = [float(v) for v in f.function()(*args)]
            expected = [((1 - DELTA, 1), (1 + DELTA, 2)), ((1 - DELTA, 2), (1 + DELTA, 1))]
        else:  # saddle_node_ratio: SR pairs (4 points) appear above the ratio
            edges = [float(f.function()(*args))]
            expected = [((1 - DELTA, 0), (1 + DELTA, 4))]
        counts = [[_count(f.name, point, e, s) for s, _ in exp] for e, exp in zip(edges, expected)]
        want = [[c for _, c in exp] for exp in expected]
        ok = ok and counts == want
        errors[label] = [DELTA] if counts == want else [math.inf]
        errors[label + " counts"] = counts
    worst = max(v[0] for k, v in errors.items() if not k.endswith("counts"))
    required = 10.0 if f.name == "open_dicke.meanfield.normal_edge" else -math.log10(DELTA)
    digits = checks._digits(worst)
    return checks.CheckResult(f.name, f.check.kind, ok and digits >= required, digits=digits,
                              required_digits=required, errors=errors, seconds=time.time() - t0,
                              detail="boundary located by mean-field numerics (bisection or bracketing counts)")


CHECKS = {"attractors": check_attractors}
