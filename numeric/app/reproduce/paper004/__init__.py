"""Paper 004 (Leppenen & Shahmoon) reproduced: ``NUMBER``, ``SPECS`` and ``TASKS`` for :mod:`numeric.app.reproduce`.

:mod:`.model` holds the parameters and the engine's mean field, :mod:`.specs` what the paper prints
and how ours is judged, :mod:`.tasks` the computations, :mod:`.figures` their figures.
"""
from __future__ import annotations

from numeric.app.reproduce.paper004.model import (MARGIN, branch_stability, lower_branch, mean_field_branches,
                                                  printed_eq8, printed_F11_xi2, printed_F14, printed_window, values,
                                                  window_edges)
from numeric.app.reproduce.paper004.specs import SPECS
from numeric.app.reproduce.paper004.tasks import (TASKS, bimodal_peaks, mixed_precision_state, rate_z_scores,
                                                  squeezing_limits, switching_record, transition_drive, xi2_series)

__all__ = ["NUMBER", "SPECS", "TASKS", "MARGIN", "values", "mean_field_branches", "lower_branch",
           "branch_stability", "printed_window", "window_edges", "transition_drive", "mixed_precision_state",
           "switching_record", "rate_z_scores", "printed_F11_xi2", "xi2_series", "squeezing_limits",
           "printed_eq8", "printed_F14", "bimodal_peaks"]

NUMBER = "004"
