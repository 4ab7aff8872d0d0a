"""Paper 002 (Huber, Kirton, Rabl) reproduced: ``NUMBER``, ``SPECS`` and ``TASKS`` for :mod:`numeric.app.reproduce`.

:mod:`.specs` holds what the paper prints, at which points, and how ours is judged, :mod:`.tasks` the
computations, :mod:`.figures` their figures.
"""
from __future__ import annotations

from numeric.app.reproduce.paper002.specs import KERR_BASE, KERR_BRACKET, PT_VALUES, SPECS
from numeric.app.reproduce.paper002.tasks import (TASKS, chain_site_occupations, dimer_gap_study, dimer_negativity,
                                                  fig7a_transverse, finite_size_order, hp_deviations, hp_growth_rate,
                                                  hp_phase_boundary, kerr_gap_minimum, kerr_purity_minimum,
                                                  kerr_truncation, pt_decay_time, pt_meanfield_perp)

__all__ = ["NUMBER", "SPECS", "TASKS", "finite_size_order", "dimer_negativity", "KERR_BASE", "KERR_BRACKET",
           "kerr_truncation", "kerr_gap_minimum", "kerr_purity_minimum", "dimer_gap_study", "hp_growth_rate",
           "hp_phase_boundary", "chain_site_occupations", "hp_deviations", "PT_VALUES", "pt_decay_time",
           "pt_meanfield_perp", "fig7a_transverse"]

NUMBER = "002"
