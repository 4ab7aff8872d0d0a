"""Named mean-field branches of catalogue models (crf stable, lmg broken-symmetry), picked from the engine's fixed points.

Each branch is derived by :func:`analytic.meanfield.fixed_points` and picked by a predicate at a
test point; the registered formulas (:mod:`analytic.formulas`) and the Gaussian fluctuations
(:mod:`analytic.fluctuations`) are built on them.  Cached: derived once per process.
"""
from __future__ import annotations

import functools
from typing import Callable, Mapping

import sympy as sp

from . import meanfield as mf
from . import models
from .model import Model, ModelError

__all__ = ["select_branch", "crf_stable_branch", "lmg_broken_branch"]


def select_branch(model: Model, points: list, test_values: Mapping, predicate: Callable) -> mf.FixedPoint:
    """The one fixed point of ``points`` that is real and satisfies ``predicate(point, values)`` at
    ``test_values`` (``{parameter name: value}``); ModelError unless exactly one does."""
    vals = {model.symbol(k): sp.sympify(v) for k, v in test_values.items()}
    chosen = [p for p in points if p.exists(vals) and predicate(p, vals)]
    if len(chosen) != 1:
        raise ModelError(f"{model.name}: expected one fixed point to select, found {len(chosen)}")
    return chosen[0]


@functools.lru_cache(maxsize=None)  # shared by several formulas: derived once per process
def crf_stable_branch() -> mf.FixedPoint:
    """The fixed point of crf that is stable for lambda = omega/(2 kappa) < 1 (seed 000 eq. 14), from the engine."""
    m = models.crf()
    fps = mf.fixed_points(m)
    test = {"omega": 1, "kappa": 1}
    return select_branch(m, fps, test, lambda p, v: mf.stability(m, p, test).kind == "stable")


@functools.lru_cache(maxsize=None)
def lmg_broken_branch() -> mf.FixedPoint:
    """The broken-symmetry fixed point of lmg with X > 0 (seed 001 below eq. 10), thermodynamic limit, from the engine."""
    m = models.lmg()
    eqs = mf.equations(m, thermodynamic_limit=True)
    fps = mf.fixed_points(m, eqs)
    test = {"V": 1, "gamma_I": sp.Rational(1, 2), "gamma_C": sp.Rational(1, 2)}
    return select_branch(m, fps, test, lambda p, v: float(p["sx"].subs(v)) > 0)
