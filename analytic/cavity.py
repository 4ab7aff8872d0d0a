r"""Mean-field phase diagrams of the cavity models (open Dicke of seed 003, Kerr oscillator of seed 002).

The (unbalanced) open Dicke model of seed 003 and the dissipative Kerr oscillator of seed 002
(eqs. 6-7).  Everything is derived by the engine
(:mod:`analytic.meanfield`) from the catalogue models; nothing is typed in.

Open Dicke model (:func:`analytic.models.open_dicke`, cavity loss :math:`2\kappa\,\mathcal D[a]`,
:math:`\alpha = \langle a\rangle/\sqrt{2S}`).  Eliminating every variable but :math:`s_z` from the
fixed-point equations (:func:`analytic.meanfield.reduced_system`) gives
:math:`(s_z^2 - 1)\,Q(s_z)` with the quadratic

.. math:: Q(s_z) = (g_-^2 - g_+^2)^2 s_z^2 + 2(g_-^2 + g_+^2)\,\omega_a\omega_c\,s_z
          + \omega_a^2(\omega_c^2 + \kappa^2),

whose roots in :math:`(-1, 1)` are the superradiant (SR) pairs :math:`\pm(s_x, s_y, \alpha)`.
The phase boundaries are

* ``normal_real``: a real eigenvalue of the normal state (spin down, empty cavity) crosses 0,
  :math:`Q(-1) = 0` (a SR pair is born; for :math:`g_+ = g_-` this is seed 003's :math:`g_c`);
* ``normal_hopf``: a complex pair of the normal state crosses the imaginary axis (Routh-Hurwitz);
* ``saddle_node``: the discriminant of Q (>= 0 where the SR pairs exist) vanishes, where a
  stable and an unstable SR pair collide.  It factors into two rays; the one with
  :math:`g_+ < g_-` is :math:`g_+/g_- = \rho` in the :math:`(g_-, g_+)` plane; between it
  and ``normal_real`` the normal and SR states are both stable (bistable phase of seed 003
  Fig. 3b);
* ``inverted_real``, ``inverted_hopf``: the same for the inverted state (spin up).

Kerr oscillator (:func:`analytic.models.kerr`, loss :math:`2\gamma\,\mathcal D[c]`,
:math:`\alpha = \langle c\rangle/\sqrt D`): the fixed points satisfy the cubic
:math:`4U^2n^3 - 4\Delta U n^2 + (\Delta^2+\gamma^2)n - F^2 = 0` in :math:`n = |\alpha|^2`;
its turning points bound the bistable window in F.
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from . import fluctuations as fl
from . import meanfield as mf
from . import models
from .model import ModelError

__all__ = [
    "open_dicke_equations", "superradiant_polynomial", "superradiant_sz", "superradiant_point",
    "uniform_point", "normal_fluctuations", "open_dicke_boundaries", "saddle_node_ratio", "normal_edge",
    "kerr_polynomial", "kerr_turning_points",
]


# --------------------------------------------------------------------------- open Dicke
def open_dicke_equations() -> dict:
    r"""Mean-field equations of :func:`analytic.models.open_dicke` (seed 003 eq. 5 generalised to
    :math:`g_+\neq g_-`; exact in the thermodynamic limit)."""
    return mf.equations(models.open_dicke(), thermodynamic_limit=True)


@lru_cache(maxsize=None)
def superradiant_polynomial() -> sp.Expr:
    r"""The quadratic :math:`Q(s_z)` whose roots are the :math:`s_z` of the superradiant fixed
    points: the factor of :func:`analytic.meanfield.reduced_system` left after removing the
    uniform states :math:`s_z = \pm 1`."""
    m = models.open_dicke()
    sz = mf.variables(m)["sz"]
    poly = mf.reduced_system(m, "sz", open_dicke_equations())
    rest = [f for f in sp.Mul.make_args(poly) if sp.degree(f, sz) == 2]
    if len(rest) != 1:
        raise ModelError(f"open_dicke: expected one quadratic factor in sz, got {poly}")
    return sp.expand(rest[0])


@lru_cache(maxsize=None)
def superradiant_sz() -> tuple:
    r"""The two roots :math:`s_z^{(1)} \le s_z^{(2)}` of :math:`Q` (for :math:`g_- \neq g_+`),
    closed form; real where :func:`open_dicke_boundaries` ``['saddle_node']`` is >= 0."""
    sz = mf.variables(models.open_dicke())["sz"]
    a, b, c = sp.Poly(superradiant_polynomial(), sz).all_coeffs()
    root = sp.sqrt(sp.factor(b ** 2 - 4 * a * c))
    return (sp.simplify((-b - root) / (2 * a)), sp.simplify((-b + root) / (2 * a)))


def superradiant_point(sz_value: sp.Expr | None = None) -> mf.FixedPoint:
    r"""The superradiant fixed point with :math:`s_x > 0` on the branch :math:`s_z` = ``sz_value``
    (default: the symbol ``sz``, to be replaced by a root of :func:`superradiant_polynomial`).

    For fixed :math:`s_z` the equations for :math:`s_x, a_r, a_i` are linear in
    :math:`(s_y, a_r, a_i)` with source :math:`s_x`; the spin length fixes
    :math:`s_x = \sqrt{(1 - s_z^2)/(1 + (s_y/s_x)^2)}`.
    """
    m = models.open_dicke()
    var = mf.variables(m)
    eqs = open_dicke_equations()
    sx, sy, sz, ar, ai = (var[k] for k in ("sx", "sy", "sz", "ar", "ai"))
    sol = sp.solve([eqs["sx"], eqs["ar"], eqs["ai"]], [sy, ar, ai], dict=True)
    if len(sol) != 1:
        raise ModelError(f"open_dicke: the linear part of the SR fixed point is not unique: {sol}")
    sol = sol[0]
    ratio = {k: sp.simplify(sol[v] / sx) for k, v in (("sy", sy), ("ar", ar), ("ai", ai))}
    x = sp.sqrt((1 - sz ** 2) / (1 + ratio["sy"] ** 2))
    point = {"sx": x, "sy": ratio["sy"] * x, "sz": sz, "ar": ratio["ar"] * x, "ai": ratio["ai"] * x}
    if sz_value is not None:
        point = {k: v.subs(sz, sz_value) for k, v in point.items()}
    return mf.FixedPoint(point, conditions=[1 - sz ** 2 >= 0], label="superradiant")


def uniform_point(sign: int = -1) -> dict:
    """The normal state (``sign=-1``: spin down, empty cavity) or the inverted one (``+1``)."""
    if sign not in (-1, 1):
        raise ModelError(f"sign must be -1 (normal) or +1 (inverted), got {sign!r}")
    return {"sx": 0, "sy": 0, "sz": sign, "ar": 0, "ai": 0}


@lru_cache(maxsize=None)
def normal_fluctuations() -> fl.Gaussian:
    r"""Gaussian fluctuations of the normal phase, spin plus cavity
    (:func:`analytic.fluctuations.gaussian` at :func:`uniform_point`; quadratures
    ``x, p`` of the spin's Holstein-Primakoff boson, then ``x, p`` of the cavity,
    :math:`x = a + a^\dagger`; vacuum covariance = identity).  Valid where
    ``conditions`` are positive, i.e. inside the normal phase.  Cached (about 10 s)."""
    return fl.gaussian(models.open_dicke(), uniform_point(-1))


@lru_cache(maxsize=None)
def open_dicke_boundaries() -> dict:
    r"""Closed-form phase boundaries of the open Dicke model, each an expression in
    :math:`\omega_a, \omega_c, \kappa, g_-, g_+` vanishing on the boundary (see the module
    docstring): ``normal_real``, ``normal_hopf``, ``inverted_real``, ``inverted_hopf``,
    ``saddle_node``."""
    m = models.open_dicke()
    eqs = open_dicke_equations()
    sz = mf.variables(m)["sz"]
    out = {}
    for name, sign in (("normal", -1), ("inverted", 1)):
        b = mf.stability_boundaries(m, uniform_point(sign), eqs)
        if len(b["real"]) != 1:
            raise ModelError(f"open_dicke: expected one real boundary of the {name} state, got {b['real']}")
        hopf = [f for f in b["hopf"] if f != m.symbol("kappa")]
        if len(hopf) != 1:
            raise ModelError(f"open_dicke: expected one Hopf boundary of the {name} state, got {b['hopf']}")
        out[f"{name}_real"], out[f"{name}_hopf"] = b["real"][0], hopf[0]
    out["saddle_node"] = mf.discriminant_boundary(superradiant_polynomial(), sz)
    return out


@lru_cache(maxsize=None)
def saddle_node_ratio() -> sp.Expr:
    r""":math:`g_+/g_-` on the saddle-node line of the SR branches (the bistable region's edge
    towards the normal phase), with :math:`g_+ < g_-`."""
    m = models.open_dicke()
    gp, gm = m.symbol("g_plus"), m.symbol("g_minus")
    r = sp.Symbol("r", positive=True)
    eq = sp.factor(open_dicke_boundaries()["saddle_node"].subs(gp, r * gm))
    roots = [sp.simplify(x) for x in sp.solve(eq, r)]
    test = {m.symbol("omega_a"): 1, m.symbol("omega_c"): 1, m.symbol("kappa"): 1}
    roots = [x for x in roots if 0 < float(x.subs(test)) < 1]
    if len(roots) != 1:
        raise ModelError(f"open_dicke saddle node: expected one ratio in (0, 1), got {roots}")
    return roots[0]


@lru_cache(maxsize=None)
def normal_edge() -> sp.Expr:
    r""":math:`g_+` where the normal state loses stability through a real eigenvalue
    (``normal_real = 0``) as a function of :math:`g_-`, on the branch :math:`g_+ < g_-` that
    bounds the bistable region towards the superradiant phase (balanced limit:
    :math:`g_+ = g_- = g_c` of seed 003)."""
    m = models.open_dicke()
    gp, gm = m.symbol("g_plus"), m.symbol("g_minus")
    x = sp.Symbol("x", positive=True)  # x = g_plus**2
    eq = sp.expand(open_dicke_boundaries()["normal_real"].subs(gp, sp.sqrt(x)))
    roots = sp.solve(eq, x)
    test = {m.symbol("omega_a"): 1, m.symbol("omega_c"): 1, m.symbol("kappa"): 1, gm: sp.Rational(9, 5)}
    roots = [r for r in roots if 0 < float(sp.re(sp.N(r.subs(test)))) < float(test[gm] ** 2)]
    if len(roots) != 1:
        raise ModelError(f"open_dicke normal edge: expected one root below g_minus, got {roots}")
    return sp.sqrt(roots[0])


# --------------------------------------------------------------------------- Kerr
@lru_cache(maxsize=None)
def kerr_polynomial() -> sp.Expr:
    r"""The polynomial in :math:`n = |\alpha|^2` whose roots are the Kerr fixed points: lex
    Groebner elimination of ``ar, ai`` from the engine's equations and :math:`n - a_r^2 - a_i^2`."""
    m = models.kerr()
    var = mf.variables(m)
    eqs = mf.equations(m, thermodynamic_limit=True)
    n = sp.Symbol("n", nonnegative=True)
    G = sp.groebner([eqs["ar"], eqs["ai"], var["ar"] ** 2 + var["ai"] ** 2 - n], var["ar"], var["ai"], n,
                    order="lex")
    uni = [g for g in G.exprs if not (g.has(var["ar"]) or g.has(var["ai"]))]
    if len(uni) != 1:
        raise ModelError(f"kerr: expected one polynomial in n, got {uni}")
    return sp.expand(uni[0])


@lru_cache(maxsize=None)
def kerr_turning_points() -> sp.Tuple:
    r"""Edges :math:`(F_-, F_+)` of the Kerr bistability window: the cubic is linear in
    :math:`F^2`, :math:`F^2 = f(n)`; the turning points are :math:`F_\pm = \sqrt{f(n_\mp)}` at
    the roots :math:`n_\mp` of :math:`f'(n) = 0` (real for :math:`\Delta U > 0` and
    :math:`\Delta^2 > 3\gamma^2`)."""
    m = models.kerr()
    n = sp.Symbol("n", nonnegative=True)
    F2 = sp.Symbol("F2", positive=True)
    sol = sp.solve(kerr_polynomial().subs(m.symbol("F"), sp.sqrt(F2)), F2)
    if len(sol) != 1:
        raise ModelError(f"kerr: the fixed-point polynomial is not linear in F^2: {kerr_polynomial()}")
    f = sp.expand(sol[0])
    crit = sp.solve(sp.diff(f, n), n)
    if len(crit) != 2:
        raise ModelError(f"kerr: expected two turning points, got {crit}")
    edges = [sp.sqrt(sp.factor(f.subs(n, c))) for c in crit]
    test = {m.symbol("Delta"): 10, m.symbol("U"): 10, m.symbol("gamma"): 1}
    edges.sort(key=lambda e: float(e.subs(test)))
    return sp.Tuple(*edges)
