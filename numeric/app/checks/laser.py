r"""Check kinds ``laser_flux`` and ``laser_linewidth``: bad-cavity laser formulas against finite-N numerics of the model.

The model of the formula (``superradiant_laser``) is reduced by :func:`analytic.adiabatic.eliminate`
(the bad-cavity limit the formulas assume) and solved exactly for N atoms by the permutation-invariant
solver (:func:`numeric.solvers.steady.steady_state` with ``N=``); the output flux is
:math:`\kappa\langle a^\dagger a\rangle = \Gamma\langle S^+S^-\rangle`, :math:`\Gamma` the rate of the
eliminated collective decay.  A check point gives the model's parameters but the pump ``w`` and N;
``check.sizes`` are the N (a point's own ``N``, which the registry's tests evaluate, is replaced by them).  ``check.observable`` says what the formula is:

* ``'edge'``: a pump where lasing ends; at w = formula the flux per :math:`N w` vanishes as
  :math:`N^{-p}`: fitted p within ``tol`` of ``order``.
* ``'peak'``: the pump of largest flux; at every N the exact flux at w = formula exceeds the flux at
  :math:`(1 \pm \delta)` w (:data:`PEAK_STEP` = δ), and the vertex of the parabola through the three
  lies within δ/2 of the formula.
* ``'flux'``: the largest flux; at w = the registered formula ``check.limit`` (the optimal pump) the
  relative error :math:`|\mathrm{flux}/f - 1| \sim N^{-p}`: fitted p within ``tol`` of ``order``.

``laser_linewidth``: a large-N, bad-cavity linewidth formula of the order-2 closure (arguments x, g,
kappa; :math:`\Gamma = 4g^2/\kappa`) against the FWHM of the order-2 spectrum of
:math:`\langle a^\dagger(\tau)a(0)\rangle` of the model *with its cavity*, computed numerically by the
quantum regression theorem (:func:`numeric.cumulants.regression`) at N = ``check.sizes``, with
:math:`\kappa_N =` :data:`BAD_CAVITY` :math:`N\Gamma` (g rescaled to keep :math:`\Gamma`) and
:math:`w = xN\Gamma`: the relative error falls as :math:`N^{-p}`, p within ``tol`` of ``order``.  This
checks the elimination, the large-N expansion and the regression algebra of the formula; the closure
itself is compared with exact spectra in the tests.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.optimize import brentq

import analytic as an
from analytic.adiabatic import eliminate
from analytic.formulas import Formula
from analytic.model import ModelError

from numeric.cumulants import regression
from numeric.solvers.steady import steady_state
from numeric.app.checks.common import CheckResult, fit_order, label

__all__ = ["PEAK_STEP", "BAD_CAVITY", "check_laser_flux", "check_laser_linewidth", "collective_decay_rate",
           "eliminated_flux", "qrt_linewidth"]

PEAK_STEP = 0.2  # relative pump step of the 'peak' observable
BAD_CAVITY = 1e3  # kappa / (N Gamma) of the laser_linewidth check


def collective_decay_rate(model: an.Model, values: dict) -> float:
    r"""The rate :math:`\Gamma` of the collective decay that eliminating the cavity of ``model`` leaves
    (:func:`analytic.adiabatic.eliminate`), at ``values`` (the full model's parameters)."""
    reduced = eliminate(model)
    coll = [d for d in reduced.dissipators if d.kind == "collective"]
    if len(coll) != 1:
        raise ModelError(f"{model.name}: expected one collective decay after eliminating the cavity, found {len(coll)}")
    subs = {reduced.symbol(k): sp.Float(v, 30) for k, v in values.items() if k in map(str, reduced.parameters)}
    return float(coll[0].rate.subs(subs))


def eliminated_flux(model: an.Model, values: dict, N: int) -> float:
    r"""Output flux :math:`\Gamma\langle S^+S^-\rangle` of ``model`` with its cavity eliminated, exact
    steady state of N atoms (``values``: the full model's parameters)."""
    st = steady_state(eliminate(model), values, N=N)
    return collective_decay_rate(model, values) * float(st.expect("Sp*Sm").real)


def _value(f: Formula, point: dict, N: int) -> float:
    return float(f.function()(*[N if a == "N" else point[a] for a in f.args]))


def check_laser_flux(f: Formula) -> CheckResult:
    """The ``laser_flux`` kind (see the module docstring)."""
    obs = f.check.observable
    if obs not in ("edge", "peak", "flux"):
        raise ModelError(f"{f.name}: laser_flux observable must be 'edge', 'peak' or 'flux', got {obs!r}")
    model = an.models.get(f.model)
    errors, orders, ok = {}, [], True
    for full in f.check.points:
        point = {k: v for k, v in full.items() if k != "N"}
        errs = []
        for N in f.check.sizes:
            v = _value(f, point, N)
            if obs == "edge":
                errs.append(eliminated_flux(model, {**point, "w": v}, N) / (N * v))
            elif obs == "flux":
                w = _value(an.formulas.formula(f.check.limit), point, N)
                errs.append(abs(eliminated_flux(model, {**point, "w": w}, N) / v - 1))
            else:
                lo, mid, hi = (eliminated_flux(model, {**point, "w": v * (1 + s)}, N)
                               for s in (-PEAK_STEP, 0.0, PEAK_STEP))
                curvature = hi + lo - 2 * mid
                vertex = 1 - PEAK_STEP * (hi - lo) / (2 * curvature) if curvature < 0 else np.inf
                errs.append(abs(vertex - 1))
                ok &= bool(mid > lo and mid > hi and abs(vertex - 1) < PEAK_STEP / 2)
        errors[label(point)] = errs
        if obs != "peak":
            p = fit_order(f.check.sizes, errs)
            orders.append(p)
            ok &= abs(p - f.check.order) < f.check.tol
    if obs == "peak":
        return CheckResult(f.name, "laser_flux", ok, sizes=tuple(f.check.sizes), errors=errors,
                           detail=f"exact maximum of the flux (eliminated cavity) within {PEAK_STEP / 2:g} w of the formula")
    worst = max(orders, key=lambda p: abs(p - f.check.order))
    what = "flux/(N w) at the edge" if obs == "edge" else "|flux/formula - 1| at the optimal pump"
    return CheckResult(f.name, "laser_flux", ok, order=worst, expected_order=f.check.order, order_tol=f.check.tol,
                       sizes=tuple(f.check.sizes), errors=errors, detail=f"eliminated cavity, exact N atoms: {what}")


def qrt_linewidth(model: an.Model, values: dict, N: int) -> float:
    r"""FWHM (angular frequency) of the order-2 spectrum of :math:`\langle a^\dagger(\tau)a(0)\rangle` of the
    laser with its cavity: the half-maximum point of :func:`numeric.cumulants.regression`'s spectrum
    (peak at :math:`\omega = 0`, resonant cavity), bracketed by ten times the slowest regression rate."""
    flow = regression(model, values, "ad", "a", order=2, N=N)
    peak = flow.spectrum([0.0])[0]
    slow = float(np.min(-flow.rates.real))
    return 2 * brentq(lambda om: flow.spectrum([om])[0] - peak / 2, 0.0, 10 * slow)


def check_laser_linewidth(f: Formula) -> CheckResult:
    """The ``laser_linewidth`` kind (see the module docstring)."""
    model = an.models.get(f.model)
    fn = f.function()
    errors, orders, ok = {}, [], True
    for point in f.check.points:
        rate = collective_decay_rate(model, point)
        errs = []
        for N in f.check.sizes:
            # kappa_N = BAD_CAVITY N Gamma at fixed Gamma: g scaled as sqrt(kappa) (Gamma ~ g^2/kappa, checked)
            kappa = BAD_CAVITY * N * rate
            values = {"g": point["g"] * np.sqrt(kappa / point["kappa"]), "kappa": kappa, "gamma": point["gamma"],
                      "w": point["x"] * N * rate}
            if abs(collective_decay_rate(model, values) / rate - 1) > 1e-12:
                raise ModelError(f"{f.name}: the collective rate of {f.model} is not a function of g^2/kappa")
            errs.append(abs(qrt_linewidth(model, values, N) / float(fn(point["x"], point["g"], point["kappa"])) - 1))
        p = fit_order(f.check.sizes, errs)
        errors[label(point)] = errs
        orders.append(p)
        ok &= abs(p - f.check.order) < f.check.tol and bool(np.all(np.diff(errs) < 0))
    worst = max(orders, key=lambda p: abs(p - f.check.order))
    return CheckResult(f.name, "laser_linewidth", ok, order=worst, expected_order=f.check.order, order_tol=f.check.tol,
                       sizes=tuple(f.check.sizes), errors=errors,
                       detail=f"order-2 QRT spectrum of the model with its cavity (kappa = {BAD_CAVITY:g} N Gamma): "
                              "|FWHM/formula - 1|")
