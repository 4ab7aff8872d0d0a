from . import algebra, meanfield, model, models
from .model import Model, ModelError
