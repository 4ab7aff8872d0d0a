"""The one numerical error of the toolkit: ``SolverError``, raised by every numeric solver.

``SolverError`` subclasses :class:`analytic.model.ModelError` (itself a ``ValueError``), so code
that catches ModelError still sees solver failures; bad input is ModelError itself.  Solver
specific errors (``numeric.semiclassical.cluster.ClusterError``, ``numeric.semiclassical.continuation.ContinuationError``)
subclass it, so ``except numeric.SolverError`` catches the failure of any solver: collective
(``S=``), permutation-invariant (``N=``), qudits, spectra, evolution, continuation, cluster.
"""
from __future__ import annotations

from analytic.model import ModelError

__all__ = ["SolverError"]


class SolverError(ModelError):
    """A solver could not produce a result that is right to the digits it claims (residual above
    tolerance, a steady state that is not unique, no convergence); the message says why and what
    would help."""
