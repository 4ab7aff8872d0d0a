"""Register the superradiant-laser formulas (Meiser et al. 2009): pump window top, optimal pump, largest output flux.

The builders are derivations of :mod:`analytic.laser` (order-2 cumulant equations of the model with
its cavity eliminated, large-N limit); this module gives each one its name, arguments, source, domain
(in words and as a predicate) and check (kind ``laser_flux`` of :mod:`numeric.app.checks.laser`:
exact permutation-invariant steady states of the eliminated model at N up to 160).
"""
from __future__ import annotations

import sympy as sp

from .. import laser as ls
from .registry import Check, register

_N, _g, _kappa = sp.symbols("N g kappa")
_SOURCE = ("D. Meiser, J. Ye, D. R. Carlson and M. J. Holland, PRL 102, 163601 (2009), bad-cavity results of the "
           "text (equation numbers not checked: the paper is not in the repository); derived here from the order-2 "
           "cumulant equations of the eliminated model (analytic.laser), C gamma = 4 g^2/kappa, Omega = 2 g")
_DOMAIN = ("bad cavity and large N: kappa > 2 sqrt(N) g (the cavity decays faster than the collective coupling), "
           "N >= 2, g, kappa > 0; leading order in N at fixed w/(N C gamma), C gamma = 4 g^2/kappa")
_WHERE = [_N >= 2, _g > 0, _kappa > 0,
          ("bad cavity: kappa^2 > 4 N g^2", _kappa ** 2 > 4 * _N * _g ** 2)]
# Gamma = 4 g^2/kappa = 0.079, bad cavity up to N = 520; N: the largest size (the check runs check.sizes)
_POINTS = ({"N": 160, "g": 0.9, "kappa": 41.0, "gamma": 0.1},)

register(
    "superradiant_laser.cumulant.max_pump",
    builder=ls.max_pump,
    args=("N", "g", "kappa"),
    source=_SOURCE + "; top of the lasing window w_max = N C gamma",
    domain=_DOMAIN + "; the window is gamma < w < w_max (bottom: analytic.laser.lower_edge)",
    where=_WHERE,
    # at w = w_max the flux per N w_max vanishes as N^-1/2 (order-2 theory: flux ~ N^(3/2) at the edge)
    check=Check("laser_flux", points=_POINTS, observable="edge", order=0.5, sizes=(40, 80, 160), tol=0.1),
)
register(
    "superradiant_laser.cumulant.optimal_pump",
    builder=ls.optimal_pump,
    args=("N", "g", "kappa"),
    source=_SOURCE + "; pump of largest output w_opt = N C gamma/2",
    domain=_DOMAIN,
    where=_WHERE,
    check=Check("laser_flux", points=_POINTS, observable="peak", sizes=(40, 80)),
)
register(
    "superradiant_laser.cumulant.max_flux",
    builder=ls.max_flux,
    args=("N", "g", "kappa"),
    source=_SOURCE + "; output photon flux kappa <a^dag a> = N^2 C gamma/8 at w_opt",
    domain=_DOMAIN + "; at the pump w_opt of superradiant_laser.cumulant.optimal_pump",
    where=_WHERE,
    check=Check("laser_flux", points=_POINTS, observable="flux", order=1.0, sizes=(80, 160), tol=0.15,
                limit="superradiant_laser.cumulant.optimal_pump"),
)

_x = sp.Symbol("x")
register(
    "superradiant_laser.cumulant.linewidth",
    builder=ls.linewidth,
    args=("x", "g", "kappa"),
    source=_SOURCE + "; emission linewidth (FWHM, angular frequency) Gamma (1 + x^2)/(1 - x) at x = w/(N C gamma), "
                     "-> C gamma at weak pump, independent of N and gamma: order-2 (pair) closure and the quantum "
                     "regression theorem, leading order in 1/N",
    domain="inside the lasing window 0 < x = w/(N C gamma) < 1, g, kappa > 0; leading order in N at fixed x, bad "
           "cavity (kappa >> N C gamma); the order-2 result: its closure error is O(1) (exact spectra differ, see "
           "analytic.laser.linewidth)",
    where=[_x > 0, _x < 1, _g > 0, _kappa > 0],
    check=Check("laser_linewidth", points=({"x": 0.3, "g": 0.9, "kappa": 2.7, "gamma": 1.3},
                                           {"x": 0.15, "g": 0.45, "kappa": 1.1, "gamma": 0.35}),
                order=1.0, sizes=(100, 300, 1000, 3000), tol=0.15),
)
