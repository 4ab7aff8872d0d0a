"""Symbolic half of the toolkit: derive a model's results in closed form with SymPy.

Models, operator algebra, mean-field, Gaussian fluctuations,
exact results and the registry of exported formulas.  SymPy only; never imports :mod:`numeric`."""
from . import algebra, formulas, meanfield, model, models
from . import exact, fluctuations  # noqa: E402  (register their formulas)
from . import adiabatic, values
from . import cavity  # noqa: E402  (registers the cavity phase-diagram formulas)
from .model import Model, ModelError

__all__ = ["adiabatic", "algebra", "cavity", "exact", "fluctuations", "formulas", "meanfield", "model", "models", "values", "Model", "ModelError"]
