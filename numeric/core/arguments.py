"""Validation of the arguments every solver shares: the residual tolerance ``tol`` and the precision ``dps``."""
from __future__ import annotations

import numpy as np

from analytic.model import ModelError
from numeric.core import resources

__all__ = ["check_tol", "check_dps"]


def check_tol(tol: float | None, name: str = "tol") -> float | None:
    """``None`` (the solver's default) or a positive finite float; ModelError naming ``name`` otherwise."""
    if tol is None:
        return None
    try:
        t = float(tol)
    except (TypeError, ValueError):
        raise ModelError(f"{name} must be a positive number, got {tol!r}") from None
    if not (t > 0 and np.isfinite(t)):
        raise ModelError(f"{name} must be a positive number, got {tol!r}")
    return t


def check_dps(dps: int | None) -> int | None:
    """``None`` (float64) or an integer number of decimal digits from 16 to ``DPS_MAX``: ModelError for
    anything else, :class:`numeric.core.resources.ResourceError` above ``DPS_MAX`` (refused up front)."""
    if dps is None:
        return None
    if isinstance(dps, bool) or not isinstance(dps, (int, np.integer)) or dps < 16:
        raise ModelError(f"dps must be an integer >= 16 (decimal digits), got dps={dps!r}")
    resources.check_dps(int(dps))  # dps > resources.DPS_MAX refused up front
    return int(dps)
