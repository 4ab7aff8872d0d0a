"""Paper 000 (Hannukainen & Larson) reproduced: ``NUMBER``, ``SPECS`` and ``TASKS`` for :mod:`numeric.app.reproduce`.

:mod:`.specs` holds what the paper prints and how ours is judged, :mod:`.tasks` the computations.
"""
from __future__ import annotations

from numeric.app.reproduce.paper000.specs import SPECS
from numeric.app.reproduce.paper000.tasks import (TASKS, critical_scaling_exponent, eq11_state, explicit_reduced,
                                                  lindblad_residual, meanfield_point, peak_location, power_order,
                                                  printed_two_qubit_rows, richardson, squeezing_crossing,
                                                  stationary_g_ratio, tangent_eigenvalues, variance_exponents)

__all__ = ["NUMBER", "SPECS", "TASKS", "tangent_eigenvalues", "meanfield_point", "richardson", "power_order",
           "eq11_state", "lindblad_residual", "stationary_g_ratio", "explicit_reduced", "printed_two_qubit_rows",
           "variance_exponents", "critical_scaling_exponent", "peak_location", "squeezing_crossing"]

NUMBER = "000"
