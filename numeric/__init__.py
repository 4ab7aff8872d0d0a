"""Numeric half of the toolkit: finite-size Liouvillians, steady states (float64 and
arbitrary precision), spectra, observables, permutation-invariant N-atom numerics.
Consumes analytic.Model; never re-types a formula."""
from analytic.values import PrecisionWarning

from .errors import SolverError
from .evolve import evolve
from .liouvillian import liouvillian
from .observables import State
from .spectrum import gap, sectors, spectrum
from .steady import steady_state
from .trajectories import quantum_jumps

__all__ = ["liouvillian", "State", "gap", "sectors", "spectrum", "SolverError", "steady_state",
           "evolve", "quantum_jumps", "PrecisionWarning"]
