from . import algebra, formulas, meanfield, model, models
from .model import Model, ModelError
