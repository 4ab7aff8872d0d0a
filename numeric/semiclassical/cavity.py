r"""Compute the cavity models' phase diagrams, slow rates and atom-field correlations numerically.

Numerics for the cavity models: the mean-field phase diagram of the open Dicke model (seed 003)
evaluated from the closed forms of :mod:`analytic.cavity`, the slow Liouvillian rate and photon
distribution of the Kerr oscillator (seed 002 Fig. 4), the atom-field covariance
:math:`C_{af} = \langle S^x a\rangle - \langle S^x\rangle\langle a\rangle` (seed 003 Fig. 2) and
the negativity between two spins (seed 003: spin N/2 written as two spins N/4).

Conventions: hbar = 1, Lindblad rates multiply :math:`\mathcal D[L]` without a factor 2 (the
catalogue maps seed 003's :math:`\kappa` to the rate :math:`2\kappa`, seed 002's
:math:`\gamma` to :math:`2\gamma`); mean-field variables :math:`s_a = \langle S_a\rangle/S`,
:math:`\alpha = \langle a\rangle/\sqrt{2S}`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

from analytic import cavity as acav
from analytic import meanfield as mf
from analytic import models
from analytic.model import Model, ModelError
from analytic.values import real_number, to_float
from numeric.core import progress as pg
from numeric.core.operators import Size, Truncation
from numeric.semiclassical.flows import Flow, classify_fixed_point
from numeric.states.observables import State, partial_transpose_on
from numeric.solvers.spectrum import spectrum

__all__ = ["open_dicke_fixed_points", "open_dicke_phase", "open_dicke_phase_diagram", "superradiant_hopf", "PHASES",
           "slowest_rate", "gap_minimum", "photon_distribution", "atom_field_covariance",
           "negativity"]

#: phase labels returned by :func:`open_dicke_phase`
PHASES = ("normal", "superradiant", "bistable", "inverted", "limit_cycle")
_PARAMS = ("omega_a", "omega_c", "kappa", "g_minus", "g_plus")


# --------------------------------------------------------------------------- open Dicke mean field
@lru_cache(maxsize=None)
def _lambdified():
    """Flow, Jacobian, SR roots and SR point of :mod:`analytic.cavity` as numpy functions of
    ``(variables..., parameters...)``."""
    m = models.open_dicke()
    var = mf.variables(m)
    eqs = acav.open_dicke_equations()
    params = [m.symbol(p) for p in _PARAMS]
    syms = list(var.values()) + params
    f = sp.lambdify(syms, list(eqs.values()), "numpy")
    J = sp.lambdify(syms, mf.jacobian(m, None, eqs), "numpy")
    sz = var["sz"]
    coeffs = sp.lambdify(params, sp.Poly(acav.superradiant_polynomial(), sz).all_coeffs(), "numpy")
    sr = acav.superradiant_point()
    point = sp.lambdify([sz] + params, [sr[k] for k in var], "numpy")
    return tuple(var), f, J, coeffs, point


def _parameters(values: Mapping) -> tuple:
    if not isinstance(values, Mapping):
        raise ModelError(f"values must be a mapping {{name: number}}, got {type(values).__name__}")
    unknown = sorted(set(values) - set(_PARAMS))
    if unknown:
        raise ModelError(f"open_dicke has no parameter {unknown[0]!r}; it has {list(_PARAMS)}")
    missing = [p for p in _PARAMS if p not in values]
    if missing:
        raise ModelError(f"missing value for {missing[0]!r} (model 'open_dicke')")
    out = []
    for p in _PARAMS:
        v = to_float(real_number(values[p], p))  # the one parser (analytic.values)
        if not (np.isfinite(v) and v > 0):
            raise ModelError(f"value of {p!r} must be a positive number, got {values[p]!r}")
        out.append(v)
    return tuple(out)


def open_dicke_fixed_points(values: Mapping, tol: float = 1e-9) -> list:
    r"""All mean-field fixed points of :func:`analytic.models.open_dicke` for numeric ``values``,
    from the closed forms of :mod:`analytic.cavity`: the normal and inverted states and every
    superradiant pair whose :math:`s_z` (root of :func:`analytic.cavity.superradiant_polynomial`,
    found with ``numpy.roots`` so that the balanced case, where Q is linear, is included) is real
    and in (-1, 1).

    Returns
    -------
    list of dict
        ``{'label', 'point' (dict), 'stability', 'eigenvalues', 'residual'}``; each SR pair is
        listed once (:math:`s_x > 0`); its mirror :math:`(-s_x, -s_y, s_z, -\alpha)` has the same
        stability (the model's :math:`\mathbb Z_2` symmetry).

    Raises
    ------
    ModelError
        Bad ``values``, or a closed-form point whose residual :math:`\max|f|` exceeds ``tol``.
    """
    p = _parameters(values)
    names, f, J, coeffs, point = _lambdified()
    flow = Flow(names, lambda y: np.array(f(*y, *p), dtype=float),
                lambda y: np.array(J(*y, *p), dtype=float), {"": ((0, 1, 2), True)})
    cands = [("normal", np.array([0, 0, -1, 0, 0], float)), ("inverted", np.array([0, 0, 1, 0, 0], float))]
    for z in np.roots(np.array(coeffs(*p), dtype=float)):  # degree 1 when g_plus = g_minus
        z = complex(z)
        if abs(z.imag) < 1e-12 and -1 < z.real < 1:
            cands.append(("superradiant", np.array(point(z.real, *p), dtype=float)))
    out = []
    for label, x in cands:
        res = float(np.max(np.abs(flow.f(x))))
        if not res < tol:
            raise ModelError(f"open_dicke_fixed_points: closed-form {label} point has residual {res:.1e} at {values}")
        kind, ev = classify_fixed_point(flow, x)
        out.append({"label": label, "point": dict(zip(names, x)), "stability": kind, "eigenvalues": ev,
                    "residual": res})
    return out


def open_dicke_phase(values: Mapping) -> str:
    r"""Mean-field phase at ``values``: ``'normal'`` (only the normal state is stable),
    ``'superradiant'`` (only SR pairs), ``'bistable'`` (normal and SR both stable, seed 003
    Fig. 3b), ``'inverted'``, ``'limit_cycle'`` (no stable fixed point: the bounded flow -- spin on
    the sphere, damped cavity -- ends on a periodic or more complex attractor); other
    coexistences are joined with ``'+'``."""
    stable = sorted({p["label"] for p in open_dicke_fixed_points(values) if p["stability"] == "stable"})
    if not stable:
        return "limit_cycle"
    if stable == ["normal", "superradiant"]:
        return "bistable"
    return "+".join(stable)


def open_dicke_phase_diagram(values: Mapping, g_minus: Sequence[float], g_plus: Sequence[float],
                             progress: bool = False) -> np.ndarray:
    """Phase labels (:func:`open_dicke_phase`) on the grid ``g_minus`` x ``g_plus``; ``values``
    holds ``omega_a, omega_c, kappa``.  Returns an object array of shape
    ``(len(g_plus), len(g_minus))`` (rows: g_plus).  ``progress``: a bar over the rows on stderr
    (:func:`numeric.core.progress.bar`); default: nothing printed."""
    gm, gp = np.asarray(g_minus, float), np.asarray(g_plus, float)
    out = np.empty((gp.size, gm.size), dtype=object)
    with pg.bar(gp.size, "open_dicke phase diagram", progress, unit="row") as bar:
        for i, b in enumerate(gp):
            for j, a in enumerate(gm):
                out[i, j] = open_dicke_phase({**values, "g_minus": a, "g_plus": b})
            bar.update()
    return out


def superradiant_hopf(values: Mapping, g_minus: float, g_plus_max: float, scan: int = 40) -> float:
    r"""The coupling :math:`g_+` where the superradiant pair loses stability to a limit cycle (a
    complex pair of the tangent Jacobian crosses the imaginary axis), at fixed :math:`g_-`.

    No closed form: the superradiant :math:`s_z` is a root of
    :func:`analytic.cavity.superradiant_polynomial`.  The stable superradiant branch is taken from
    the closed forms at the first of ``scan`` points of :math:`g_+\in(0, g_{+,\max}]` where it exists,
    then followed upwards in :math:`g_+` by pseudo-arclength continuation
    (:mod:`numeric.semiclassical.continuation`, the engine's Jacobian) to its first Hopf event.

    Raises:
        ModelError: no stable superradiant branch on the scan, or no Hopf point below ``g_plus_max``.
    """
    from numeric.semiclassical import continuation as ct

    base = {k: v for k, v in values.items() if k != "g_plus"}
    base["g_minus"] = g_minus
    for gp in np.linspace(g_plus_max / scan, g_plus_max, scan):
        sr = [p for p in open_dicke_fixed_points({**base, "g_plus": gp})
              if p["label"] == "superradiant" and p["stability"] == "stable"]
        if sr:
            break
    else:
        raise ModelError(f"superradiant_hopf: no stable superradiant state for g_plus <= {g_plus_max} at {base}")
    flow = ct.flow(models.open_dicke(), base, "g_plus")
    branch = ct.continue_branch(flow, np.array([sr[0]["point"][k] for k in flow.names]), gp, direction=1,
                                p_max=g_plus_max, progress=False)
    hopf = [e for e in branch.events if e.kind == "hopf"]
    if not hopf:
        raise ModelError(f"superradiant_hopf: the superradiant branch stays stable up to g_plus = {g_plus_max}")
    return float(hopf[0].parameter)


# --------------------------------------------------------------------------- Liouvillian numerics
def slowest_rate(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None,
                 **sizes: Size) -> float:
    r"""Liouvillian gap :math:`\varepsilon_L = -\mathrm{Re}\,\lambda_1` as the second eigenvalue
    by modulus (the first is the steady state's 0), for a model with a unique steady state.

    Unlike :func:`numeric.solvers.spectrum.gap` (which counts :math:`|\lambda| < 10^{-9}\|\mathcal L\|`
    as zero), this resolves gaps far below :math:`\|\mathcal L\|`, e.g. the exponentially small
    gap of the Kerr oscillator at its first-order point (seed 002 Fig. 4a).  Raises if the two
    smallest eigenvalues are not separated by more than float64 rounding.
    """
    ev = spectrum(model, values, S=S, k=3, truncation=truncation, **sizes)
    zero, first = abs(ev[0]), -ev[1].real
    if not first > 1e3 * zero:
        raise ModelError(f"slowest_rate: the gap {first:.2e} is not resolved above the steady-state "
                         f"eigenvalue {zero:.2e}; the steady state may not be unique")
    return float(first)


def gap_minimum(model: Model, values: Mapping, parameter: str, bracket: tuple[float, float], *, xtol: float = 1e-4,
                S: Size | None = None, truncation: Truncation = None, **sizes: Size) -> tuple[float, float]:
    r"""The finite-size first-order point: the value of ``parameter`` in ``bracket`` where
    :func:`slowest_rate` is smallest (bounded Brent search on :math:`\log\varepsilon_L`), as
    ``(parameter value, gap)``.  Seed 002 Fig. 4a marks the Kerr transition this way."""
    from scipy.optimize import minimize_scalar

    if parameter not in model.parameters:
        raise ModelError(f"parameter: model {model.name!r} has no parameter {parameter!r}")
    lo, hi = (float(b) for b in bracket)
    if not lo < hi:
        raise ModelError(f"bracket must be (low, high) with low < high, got {bracket!r}")

    def log_gap(x):
        return np.log(slowest_rate(model, {**values, parameter: x}, S=S, truncation=truncation, **sizes))

    r = minimize_scalar(log_gap, bounds=(lo, hi), method="bounded", options={"xatol": xtol})
    if not r.success or min(r.x - lo, hi - r.x) < 2 * xtol:
        raise ModelError(f"gap_minimum: no interior minimum of the gap in {parameter} in {bracket}")
    return float(r.x), float(np.exp(r.fun))


def photon_distribution(state: State, mode: str | None = None) -> np.ndarray:
    r"""Photon-number distribution :math:`P(n) = \langle n|\rho_{\rm mode}|n\rangle`, n = 0, 1, ...
    (seed 002 Fig. 4c)."""
    rho = state.reduced(mode or "", kind="mode")
    return np.real(np.diag(np.asarray(rho, dtype=complex))).copy()


def atom_field_covariance(state: State, spin_op: str = "Sx", mode_op: str = "a") -> complex:
    r""":math:`C_{af} = \langle S^x a\rangle - \langle S^x\rangle\langle a\rangle` (seed 003 Fig. 2,
    which plots :math:`C_{af}/N^{3/2}`).  Operator names as in
    :meth:`analytic.model.Model.operator`."""
    return complex(state.expect(f"{spin_op}*{mode_op}")) - complex(state.expect(spin_op)) * complex(state.expect(mode_op))


def negativity(state: State, first: str, second: str) -> float:
    r"""Negativity :math:`\mathcal N = \sum_i (|\mu_i| - \mu_i)/2` of the partial transpose
    (seed 003 ref. [52], Vidal-Werner) between subsystems ``first`` and ``second`` of ``state``,
    after tracing out the others (e.g. the cavity)."""
    if state.dps:
        raise ModelError("negativity: needs a float64 state (dps=None)")
    subs = state.model.subsystems
    idx = []
    for name in (first, second):
        hits = [i for i, s in enumerate(subs) if s.name == name and s.kind == "spin"]
        if len(hits) != 1:
            raise ModelError(f"negativity: model {state.model.name!r} has no spin {name!r}; "
                             f"spins are {[s.name for s in subs if s.kind == 'spin']}")
        idx.append(hits[0])
    dims = list(state.rep.dims)
    rho = np.asarray(state.rho, dtype=complex).reshape(dims + dims)
    keep = sorted(idx)
    k = len(dims)
    letters = "abcdefghijklmnopqrstuvwxyz"
    ket = [letters[i] for i in range(k)]
    bra = [letters[i] if i not in keep else letters[k + i].upper() for i in range(k)]
    out = "".join(ket[i] for i in keep) + "".join(bra[i] for i in keep)
    red = np.einsum("".join(ket) + "".join(bra) + "->" + out, rho)
    d = [dims[i] for i in keep]
    red = red.reshape(int(np.prod(d)), int(np.prod(d)))
    ev = np.linalg.eigvalsh(partial_transpose_on(red, d, 0))
    return float(np.sum((np.abs(ev) - ev) / 2))
