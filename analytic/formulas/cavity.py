"""Register the cavity-model formulas (open_dicke, seed 003; kerr, seed 002): critical coupling, bistable edges, Kerr window.

The builders are derivations of :mod:`analytic.meanfield` and :mod:`analytic.cavity`; this module
gives each one its name, arguments, source, domain (in words and as a predicate) and check.
"""
from __future__ import annotations

import sympy as sp

from .. import cavity as cv
from .. import meanfield as mf
from .. import models
from ..model import ModelError
from .registry import Check, register


def _open_dicke_critical() -> sp.Expr:
    r"""Critical coupling of the balanced open Dicke model (:math:`g_+ = g_- = g`): where a real
    eigenvalue of the tangent Jacobian at the normal state (spin down, empty cavity) crosses 0."""
    m = models.open_dicke()
    g = sp.Symbol("g", positive=True)
    eqs = {k: v.subs({m.symbol("g_plus"): g, m.symbol("g_minus"): g}) for k, v in mf.equations(m).items()}
    normal = {"sx": 0, "sy": 0, "sz": -1, "ar": 0, "ai": 0}
    det = sp.factor(mf.tangent_jacobian(m, normal, eqs).det())
    sols = [s for s in sp.solve(det, g) if s.is_positive is not False]
    if len(sols) != 1:
        raise ModelError(f"open_dicke critical coupling: expected one positive root, found {sols}")
    return sp.simplify(sols[0])


def _positive(*names) -> list:
    return [s > 0 for s in sp.symbols(" ".join(names), seq=True)]


def _normal_edge_domain() -> list:
    r"""The edge :math:`g_+ < g_-` exists for :math:`g_- > g_c` (the balanced critical coupling,
    :math:`4 g_-^2\omega_c > \omega_a(\omega_c^2 + \kappa^2)`): below it the root of
    ``normal_real`` is the mirror branch :math:`g_+ > g_-`."""
    wa, wc, k, gm = sp.symbols("omega_a omega_c kappa g_minus")
    return [wa > 0, wc > 0, k > 0, gm > 0,
            ("g_minus above the balanced critical coupling: 4 g_minus^2 omega_c > omega_a (omega_c^2 + kappa^2)",
             4 * gm ** 2 * wc > wa * (wc ** 2 + k ** 2))]


register(
    "open_dicke.meanfield.critical_coupling",
    builder=_open_dicke_critical,
    args=("omega_a", "omega_c", "kappa"),
    source="seed 003 below eq. (5) (printed as 2 g_bar < sqrt(omega_a(omega_c^2 + kappa^2))/omega_c; derived here "
           "in our convention: g_c = sqrt(omega_a (omega_c^2 + kappa^2)/omega_c)/2 for g_+ = g_- = g)",
    domain="omega_a, omega_c, kappa > 0; balanced model g_+ = g_- = g; cavity loss rate 2 kappa in our convention",
    where=_positive("omega_a", "omega_c", "kappa"),
    check=Check("linear_stability", points=({"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5},
                                            {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0}),
                state={"sz": -1.0},  # the normal state: spin down, empty cavity
                model_values=lambda point, g: {**point, "g_plus": g, "g_minus": g}),  # balanced model g_+ = g_- = g
)
register(
    "open_dicke.meanfield.saddle_node_ratio",
    builder=cv.saddle_node_ratio,
    args=("omega_c", "kappa"),
    source="derived here (seed 003 Fig. 3b: edge of the bistable region towards the normal phase)",
    domain="omega_c, kappa > 0; g_plus < g_minus; SR fixed points exist for g_plus/g_minus above this ratio",
    where=[sp.Symbol("omega_c") > 0, sp.Symbol("kappa") > 0],
    check=Check("attractors", points=({"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0, "g_minus": 1.8},
                                      {"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5, "g_minus": 2.0}),
                # g_plus = x g_minus: no superradiant fixed point (s_x != 0) just below the ratio, two pairs just above
                model_values=lambda point, x: {**point, "g_plus": x * point["g_minus"]},
                observable="sx", counts=(((-5e-3, 0), (5e-3, 4)),)),
)
register(
    "open_dicke.meanfield.normal_edge",
    builder=cv.normal_edge,
    args=("omega_a", "omega_c", "kappa", "g_minus"),
    source="derived here (seed 003 Fig. 3b: edge of the bistable region towards the SR phase); "
           "g_plus = g_minus = g_c of seed 003 in the balanced limit",
    domain="omega_a, omega_c, kappa > 0, g_minus > g_c = sqrt(omega_a (omega_c^2 + kappa^2)/omega_c)/2; "
           "the edge g_plus < g_minus: the normal state is stable below this g_plus",
    where=_normal_edge_domain(),
    check=Check("attractors", points=({"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0, "g_minus": 1.8},
                                      {"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5, "g_minus": 2.0}),
                # the normal state (spin down, empty cavity) is stable below the edge; the bisection bracket
                # [0.9, 1.1] x edge (0.80-0.97 and 0.40-0.49) stays below g_minus, on the model's g_plus < g_minus side
                state={"sz": -1.0}, model_values=lambda point, g: {**point, "g_plus": g}, tol=1e-10),
)
register(
    "kerr.meanfield.bistability",
    builder=cv.kerr_turning_points,
    args=("Delta", "U", "gamma"),
    source="derived here (turning points of the mean-field cubic of seed 002 eqs. 6-7, loss 2 gamma D[c])",
    domain="Delta > 0, U > 0, gamma > 0, Delta^2 > 3 gamma^2; returns (lower, upper) edges in F (for Delta, U < 0 "
           "the window is that of (-Delta, -U))",
    where=[sp.Symbol("Delta") > 0, sp.Symbol("U") > 0, sp.Symbol("gamma") > 0,
           ("window open: Delta^2 > 3 gamma^2", sp.Symbol("Delta") ** 2 > 3 * sp.Symbol("gamma") ** 2)],
    check=Check("attractors", points=({"Delta": 10.0, "U": 10.0, "gamma": 1.0},
                                      {"Delta": 3.0, "U": 1.0, "gamma": 1.0}),
                # stable fixed points at F just below / above each edge: 1 -> 2 at the lower, 2 -> 1 at the upper
                model_values=lambda point, F: {**point, "F": F},
                counts=(((-5e-3, 1), (5e-3, 2)), ((-5e-3, 2), (5e-3, 1)))),
)
