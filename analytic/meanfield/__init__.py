"""Mean-field engine: Heisenberg equations, factorisation, fixed points, Jacobians, stability.

One module per job, each usable alone; this package re-exports their public API, so
``from analytic import meanfield as mf; mf.fixed_points(...)`` reads as before:

* :mod:`~analytic.meanfield.flow`: variables, factorised equations of motion, conserved quantities;
* :mod:`~analytic.meanfield.parameters`: numeric parameter values, read by the one parser and checked;
* :mod:`~analytic.meanfield.roots`: fixed points at numeric parameter values (random starts);
* :mod:`~analytic.meanfield.closed_forms`: fixed points in closed form, numeric branches, elimination;
* :mod:`~analytic.meanfield.linearization`: Jacobians, eigenvalues, stability and its boundaries.
"""
from __future__ import annotations

from .. import timelimit
from .closed_forms import (ROUTES, STAGGER, FixedPoint, NumericBranch, discriminant_boundary, fixed_points,
                           reduced_system)
from .flow import (FACTORIZATIONS, ORDERINGS, conserved_quantities, equations, mean_value, scaled_spin,
                   single_atom_state, state_point, variable_operators, variables)
from .linearization import (Stability, block_eigenvalues, eigenvalues, jacobian, stability, stability_boundaries,
                            tangent_jacobian)
from .parameters import checked_values, parameter_values
from .roots import fixed_points_numeric

__all__ = [
    "variables", "equations", "conserved_quantities", "fixed_points", "FixedPoint", "jacobian",
    "tangent_jacobian", "eigenvalues", "stability", "Stability", "reduced_system", "NumericBranch",
    "fixed_points_numeric", "discriminant_boundary", "single_atom_state", "state_point", "scaled_spin",
    "block_eigenvalues", "checked_values", "parameter_values", "variable_operators", "mean_value",
    "stability_boundaries",
]

#: the time limit for a block of code in the calling thread (any thread, no signals); kept under
#: this name for the callers that used it here (numeric/app/cli.py now uses analytic.timelimit.limit)
_time_limit = timelimit.limit
