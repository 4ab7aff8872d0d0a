"""Symbolic half of the toolkit: derive a model's results in closed form with SymPy.

Models, operator algebra, mean-field, Gaussian fluctuations,
exact results and the registry of exported formulas.  SymPy only; never imports :mod:`numeric`."""
from . import algebra, meanfield, model, models
from . import adiabatic, branches, cavity, cumulants, exact, fluctuations, values  # the derivations (none imports formulas)
from . import formulas  # noqa: E402  (the registry; its family modules register every formula from the derivations)
from .model import Model, ModelError

__all__ = ["adiabatic", "algebra", "branches", "cavity", "cumulants", "exact", "fluctuations", "formulas", "meanfield", "model", "models", "values", "Model", "ModelError"]
