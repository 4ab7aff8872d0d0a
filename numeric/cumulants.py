"""The cumulant-expansion numerics in one place: steady states, time evolution, two-time correlations and spectra.

``numeric.cumulants.steady_state(model, values, order=k, N=...)`` (:mod:`numeric.semiclassical.cumulants`),
``evolve`` (:mod:`numeric.semiclassical.cumulant_dynamics`), ``correlation``, ``spectrum`` and
``regression`` by the quantum regression theorem (:mod:`numeric.semiclassical.cumulant_correlations`),
all on the closed equations of :func:`analytic.cumulants.equations`.
"""
from numeric.semiclassical.cumulant_correlations import RegressionSystem, correlation, regression, spectrum
from numeric.semiclassical.cumulant_dynamics import CumulantEvolution, coherent_moments, evolve
from numeric.semiclassical.cumulants import CumulantState, steady_state

__all__ = ["CumulantState", "steady_state", "CumulantEvolution", "evolve", "coherent_moments",
           "RegressionSystem", "correlation", "regression", "spectrum"]
