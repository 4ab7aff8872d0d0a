"""The exported closed forms: the registry's API (:mod:`.registry`) with every model family's formulas registered.

``analytic.formulas.get(name)``, ``.formula(name)``, ``.names()`` work on all registered formulas:
importing this package imports the family modules (:mod:`.crf`, :mod:`.lmg`, :mod:`.driven_dicke`,
:mod:`.gain_loss`, :mod:`.cavity`, :mod:`.laser`), each of which registers its model family's formulas (with source,
domain and check spec) built from the derivation modules.  The registry itself knows no derivation,
and no derivation module imports this package.
"""
from .registry import Check, DomainError, Formula, formula, get, names, register, vectorized
from . import crf, lmg, driven_dicke, gain_loss, cavity, laser  # noqa: E402,F401  (each registers its family's formulas)

__all__ = ["Check", "DomainError", "Formula", "register", "get", "formula", "names", "vectorized"]
