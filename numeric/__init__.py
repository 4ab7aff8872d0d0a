"""Numeric half of the toolkit: finite-size Liouvillians, steady states (float64 and
arbitrary precision), spectra, observables, permutation-invariant N-atom numerics.
Consumes analytic.Model; never re-types a formula."""
from analytic.values import PrecisionWarning

from numeric.errors import SolverError
from numeric.evolve import evolve
from numeric.liouvillian import liouvillian
from numeric.observables import State
from numeric.spectrum import gap, sectors, spectrum
from numeric.steady import steady_state
from numeric.trajectories import quantum_jumps

__all__ = ["liouvillian", "State", "gap", "sectors", "spectrum", "SolverError", "steady_state",
           "evolve", "quantum_jumps", "PrecisionWarning"]
