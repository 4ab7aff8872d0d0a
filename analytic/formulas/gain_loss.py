"""Register the gain-loss lattice formulas (seed 002): purity, negativity, correlation length of the ordered phases.

The builders are derivations of :mod:`analytic.fluctuations`; this module gives each one its name,
arguments, source, domain (in words and as a predicate) and check.
"""
from __future__ import annotations

import sympy as sp

from .. import fluctuations as fl
from .registry import Check, register


def _dimer_domain(phase: str) -> list:
    g, Gg, Gl = sp.symbols("g Gamma_g Gamma_l")
    rates = [Gg > 0, Gl > 0]
    if phase == "AM":
        return rates + [("AM phase stable: Gamma_g Gamma_l > g^2", Gg * Gl > g ** 2)]
    return rates + [("FM phase stable: g^2 > Gamma_g Gamma_l", g ** 2 > Gg * Gl),
                    ("Gamma_g != Gamma_l (FM_up stable for Gamma_g > Gamma_l, FM_down for Gamma_g < Gamma_l)",
                     sp.Ne(Gg, Gl))]


register(
    "gain_loss_dimer.hp.purity",
    builder=fl.dimer_purity,
    args=("g", "Gamma_g", "Gamma_l"),
    source="seed 002 eq. (A23) (|up down> phase), derived here",
    domain="AM phase Gamma_g Gamma_l > g^2, Gamma_g, Gamma_l > 0",
    where=_dimer_domain("AM"),
    check=Check("hp_purity", points=({"g": 1.0, "Gamma_g": 3.0, "Gamma_l": 1.0},), order=1.0,
                sizes=(6, 8, 10, 12), tol=0.1),
)
register(
    "gain_loss_dimer.hp.purity_fm",
    builder=lambda: fl.dimer_purity("FM_up"),
    args=("g", "Gamma_g", "Gamma_l"),
    source="seed 002 eq. (A24) (|up up> phase; |down down> gives the same expression), derived here",
    domain="FM phase g^2 > Gamma_g Gamma_l, Gamma_g, Gamma_l > 0, Gamma_g != Gamma_l (FM_up for Gamma_g > Gamma_l, "
           "FM_down for Gamma_g < Gamma_l: the same purity)",
    where=_dimer_domain("FM"),
    check=Check("hp_purity", points=({"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.2},), order=1.0,
                sizes=(6, 8, 10, 12), tol=0.2),
)
register(
    "gain_loss_dimer.hp.negativity",
    builder=fl.dimer_negativity,
    args=("g", "Gamma_l"),
    source="seed 002 eq. (A26): N = g/(2 Gamma_bar) on the PT line, derived here",
    domain="AM phase on the PT line Gamma_g = Gamma_l = Gamma_bar > |g|",
    where=[sp.Symbol("Gamma_l") > 0, ("AM phase stable: Gamma_bar > |g|", sp.Symbol("Gamma_l") > sp.Abs(sp.Symbol("g")))],
    check=Check("hp_lyapunov", points=({"g": 1.0, "Gamma_l": 1.5}, {"g": 0.7, "Gamma_l": 2.0},
                                       {"g": 1.0, "Gamma_l": 1.0001})),
)
register(
    "gain_loss_chain.hp.correlation_length",
    builder=fl.chain_correlation_length,
    args=("g", "h", "Gamma_g", "Gamma_l"),
    source="seed 002 eqs. (A15)-(A19) (xi = -1/ln(lambda), lambda of A17; A19 is its expansion), derived here",
    domain="AM phase of the chain, Gamma_g Gamma_l > (g + h)^2, g h > 0, Gamma_g, Gamma_l > 0",
    where=[sp.Symbol("Gamma_g") > 0, sp.Symbol("Gamma_l") > 0, sp.Symbol("g") * sp.Symbol("h") > 0,
           ("AM phase stable: Gamma_g Gamma_l > (g + h)^2",
            sp.Symbol("Gamma_g") * sp.Symbol("Gamma_l") > (sp.Symbol("g") + sp.Symbol("h")) ** 2)],
    check=Check("hp_lattice_decay", points=({"g": 1.0, "h": 0.5, "Gamma_g": 3.0, "Gamma_l": 1.0},
                                            {"g": 1.0, "h": 0.8, "Gamma_g": 1.7, "Gamma_l": 2.0}),
                sizes=(80,), tol=1e-8),
)
