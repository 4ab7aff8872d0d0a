"""Check kind ``attractors`` of the cavity phase-diagram formulas (analytic/cavity.py): a boundary located by mean-field numerics.

The boundary the formula gives is located by numerics that never use the symbolic solve behind
it; what to do is read from the formula's :class:`analytic.formulas.Check`:

* with ``check.state`` (a threshold, e.g. ``open_dicke.meanfield.normal_edge``): bisection (brentq)
  in ``g`` of the sign of the largest real part of the finite-difference tangent Jacobian at that
  fixed state, the model at ``check.model_values(point, g)`` in the thermodynamic limit, over
  [0.9, 1.1] times the formula; digits = agreement of the bisected g with the formula (relative),
  at least ``-log10(check.tol)``.
* with ``check.counts`` (e.g. ``open_dicke.meanfield.saddle_node_ratio``,
  ``kerr.meanfield.bistability``): fixed points found by integrating the mean-field flow from
  random starts and polishing (:func:`numeric.semiclassical.flows.meanfield_fixed_points`) at
  ``check.model_values(point, (1 + offset) * edge)`` for every ``(offset, count)`` of every edge of
  the formula's value: the stable fixed points are counted, or, with ``check.observable`` (``'sx'``),
  those where that variable is non-zero (the superradiant ones); digits = -log10 of the largest
  relative offset ``|offset|``, the bracket width.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.optimize

import analytic as an
from analytic.formulas import Formula

from numeric.semiclassical import flows as dynamics
from numeric.app.checks.common import CheckResult, digits, label, model_values, state_vector, tangent_eigs, value

__all__ = ["check_attractors"]

NONZERO = 1e-6  # |variable| above which a fixed point counts as having it non-zero (check.observable)


def _growth(f, point, g) -> float:
    """Largest real tangent eigenvalue at ``check.state`` with the model at ``check.model_values(point, g)``."""
    model = an.models.get(f.model)
    flow = dynamics.meanfield_flow(model, model_values(f, point, g), thermodynamic_limit=True)
    return float(np.max(tangent_eigs(flow, state_vector(f, flow)).real))


def _count(f, point, x) -> int:
    """Stable fixed points (or those with ``check.observable`` non-zero) at ``check.model_values(point, x)``."""
    model = an.models.get(f.model)
    pts = dynamics.meanfield_fixed_points(model, model_values(f, point, x), starts=12, t_max=200.0,
                                          thermodynamic_limit=True)
    key = f.check.observable
    if key:
        return sum(abs(p[key]) > NONZERO for p in pts)
    return sum(p["stability"] == "stable" for p in pts)


def _threshold(f) -> CheckResult:
    errors = {}
    for point in f.check.points:
        v = value(f, point)
        lo, hi = 0.9 * v, 1.1 * v
        if not (_growth(f, point, lo) < 0 < _growth(f, point, hi)):
            return CheckResult(f.name, f.check.kind, False, detail=f"state {dict(f.check.state)} not stable at "
                               f"0.9 / unstable at 1.1 times the formula at {point}")
        root = scipy.optimize.brentq(lambda g: _growth(f, point, g), lo, hi, xtol=1e-13)
        errors[label(point)] = [abs(root / v - 1)]
    worst = max(e[0] for e in errors.values())
    required = -math.log10(f.check.tol)
    d = digits(worst)
    return CheckResult(f.name, f.check.kind, d >= required, digits=d, required_digits=required, errors=errors,
                       detail="boundary located by mean-field numerics (bisection of the tangent stability)")


def _counting(f) -> CheckResult:
    delta = max(abs(offset) for edge in f.check.counts for offset, _ in edge)
    errors, ok = {}, True
    for point in f.check.points:
        v = f.function()(*[point[a] for a in f.args])
        edges = [float(e) for e in v] if isinstance(v, (tuple, list)) else [float(v)]
        if len(edges) != len(f.check.counts):
            raise an.ModelError(f"{f.name}: {len(edges)} edge(s) but Check.counts for {len(f.check.counts)}")
        counts = [[_count(f, point, (1 + offset) * e) for offset, _ in edge] for e, edge in zip(edges, f.check.counts)]
        want = [[c for _, c in edge] for edge in f.check.counts]
        ok = ok and counts == want
        errors[label(point)] = [delta] if counts == want else [math.inf]
        errors[label(point) + " counts"] = counts
    worst = max(v[0] for k, v in errors.items() if not k.endswith("counts"))
    required = digits(delta)
    d = digits(worst)
    return CheckResult(f.name, f.check.kind, ok and d >= required, digits=d, required_digits=required,
                       errors=errors, detail="boundary located by mean-field numerics (bracketing counts)")


def check_attractors(f: Formula) -> CheckResult:
    """A threshold (``check.state``) by bisection, or a boundary (``check.counts``) by counting fixed points."""
    if f.check.state:
        return _threshold(f)
    if f.check.counts:
        return _counting(f)
    raise an.ModelError(f"{f.name}: an 'attractors' check needs Check(state=...) or Check(counts=...)")
