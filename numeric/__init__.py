"""Numeric half of the toolkit: solve a model's master equation at finite size.

Finite-size Liouvillians, steady states (float64 and
arbitrary precision), spectra, observables, permutation-invariant N-atom numerics.
Consumes analytic.Model; never re-types a formula."""
from analytic.values import PrecisionWarning

from numeric.core.errors import SolverError
from numeric.dynamics.evolve import evolve
from numeric.core.liouvillian import liouvillian
from numeric.states.observables import State
from numeric.solvers.spectrum import gap, sectors, spectrum
from numeric.solvers.steady import steady_state
from numeric.dynamics.trajectories import quantum_jumps
from numeric import cumulants  # numeric.cumulants.steady_state(model, values, order=k, S=...), evolve, correlation, spectrum

__all__ = ["liouvillian", "State", "gap", "sectors", "spectrum", "SolverError", "steady_state",
           "evolve", "quantum_jumps", "cumulants", "PrecisionWarning"]
