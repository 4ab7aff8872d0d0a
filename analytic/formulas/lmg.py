"""Register the lmg formulas (seed 001): the broken-symmetry mean-field branch of the dissipative LMG model.

The builders are derivations of :mod:`analytic.branches`; this module gives each one its name,
arguments, source, domain (in words and as a predicate) and check.
"""
from __future__ import annotations

import sympy as sp

from ..branches import lmg_broken_branch
from .registry import Check, register


def _lmg_domain() -> list:
    V, gI, gC = sp.symbols("V gamma_I gamma_C")
    # gamma_C = 0 (no collective decay, seed 001 Fig. 4) keeps the branch stable: eigenvalues
    # -gamma_I +- i..., -2 gamma_I for gamma_I + gamma_C < 2V (tests/analytic/test_formula_domains.py)
    return [V > 0, gI > 0, gC >= 0, ("broken-symmetry branch exists: gamma_I + gamma_C < 2 V", gI + gC < 2 * V)]


register(
    "lmg.meanfield.x",
    builder=lambda: lmg_broken_branch()["sx"],
    args=("V", "gamma_I", "gamma_C"),
    source="seed 001 below eq. (10): X = sgn(V) Y = sqrt(gamma_I (2|V| - gamma_I - gamma_C))/(2|V| - gamma_C)",
    domain="V > 0, gamma_I > 0, gamma_C >= 0, gamma_I + gamma_C < 2V (broken-symmetry branch with X > 0)",
    where=_lmg_domain(),
    check=Check("ode", points=({"V": 1.0, "gamma_I": 0.5, "gamma_C": 0.5}, {"V": 1.0, "gamma_I": 0.3, "gamma_C": 1.2}),
                observable="sx"),
)
register(
    "lmg.meanfield.z",
    builder=lambda: lmg_broken_branch()["sz"],
    args=("V", "gamma_I", "gamma_C"),
    source="seed 001 below eq. (10): Z = -gamma_I/(2|V| - gamma_C)",
    domain="V > 0, gamma_I > 0, gamma_C >= 0, gamma_I + gamma_C < 2V",
    where=_lmg_domain(),
    check=Check("ode", points=({"V": 1.0, "gamma_I": 0.5, "gamma_C": 0.5}, {"V": 1.0, "gamma_I": 0.3, "gamma_C": 1.2}),
                observable="sz"),
)
