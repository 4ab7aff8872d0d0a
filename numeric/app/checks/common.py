r"""What every check kind shares: the result record :class:`CheckResult` and the helpers that read a check spec.

A check kind is a function ``check(formula) -> CheckResult`` that reads everything it needs from the
formula's :class:`analytic.formulas.Check` (points, sizes, tolerances, and for some kinds the model
values, the fixed state or the counts); none looks at the formula's name.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from analytic.formulas import Formula
from analytic.model import ModelError

from numeric.semiclassical import flows as dynamics

__all__ = ["CheckResult", "digits", "label", "fit_order", "value", "model_values", "state_vector", "tangent_eigs"]


@dataclass
class CheckResult:
    r"""Outcome of one formula's check.

    Attributes
    ----------
    name, kind : str
        Formula name and check kind.
    passed : bool
        Whether every criterion of the check holds.
    digits : float or None
        Worst agreement over the points, :math:`-\log_{10}` of the (relative where stated)
        error; ``inf`` when the error is exactly 0 at the working precision.  None for purely asymptotic checks.
    required_digits : float or None
        The digits the check requires.
    order, expected_order, order_tol : float or None
        Worst fitted order (farthest from the registered one), the registered order and the
        allowed deviation.
    sizes : tuple
        Sizes (S or N) of the convergence study.
    errors : dict
        ``{point label: [errors]}`` (one error per size for asymptotic checks).
    seconds : float
        Wall time of the check (of its computation, when the result comes from the cache).
    detail : str
        Human-readable note (what was compared, or the failure).
    cached : bool
        True when :func:`numeric.app.checks.run` took the result from the cache (``DSPINS_CHECK_CACHE``).
    """

    name: str
    kind: str
    passed: bool
    digits: float | None = None
    required_digits: float | None = None
    order: float | None = None
    expected_order: float | None = None
    order_tol: float | None = None
    sizes: tuple = ()
    errors: dict = field(default_factory=dict)
    seconds: float = 0.0
    detail: str = ""
    cached: bool = False

    def __post_init__(self):
        self.passed = bool(self.passed)

    def agreement(self) -> str:
        """``'12.3 digits'``, ``'p = 1.01 (1)'`` or both, for tables."""
        parts = []
        if self.digits is not None:
            parts.append("error 0 (all digits)" if math.isinf(self.digits) else f"{self.digits:.1f} digits")
        if self.order is not None:
            parts.append(f"p = {self.order:.3f} ({self.expected_order:g})")
        return ", ".join(parts) or self.detail


def digits(err: float) -> float:
    r""":math:`-\log_{10}` of an error; ``inf`` for an error of exactly 0."""
    return math.inf if err == 0 else -math.log10(err)


def label(point: dict) -> str:
    """``'omega=1.0, kappa=1.0'``: a check point as a key of :attr:`CheckResult.errors`."""
    return ", ".join(f"{k}={v}" for k, v in point.items())


def fit_order(sizes: Sequence[float] | np.ndarray, errs: Sequence[float] | np.ndarray) -> float:
    r"""Slope p of :math:`\log|{\rm err}| = c - p \log S` (least squares)."""
    errs = np.asarray(errs, float)
    if not np.all(errs > 0):
        raise ModelError(f"cannot fit an order: errors {errs.tolist()} are not all positive")
    return float(-np.polyfit(np.log(np.asarray(sizes, float)), np.log(errs), 1)[0])


def value(f: Formula, point: dict) -> float:
    """The formula (numpy backend) at a check point."""
    return float(f.function()(*[point[a] for a in f.args]))


def model_values(f: Formula, point: dict, x: float | None = None) -> dict:
    """The model's parameter values at a check point: ``check.model_values(point, x)`` when the
    spec gives that map (``x``: the formula's value, or a multiple of it, that the check puts into
    the model), else the point itself (its arguments are the model's parameters)."""
    if f.check.model_values is None:
        if x is not None:
            raise ModelError(f"{f.name}: its check ({f.check.kind!r}) needs Check(model_values=...) to put "
                             "the formula's value into the model")
        return dict(point)
    return dict(f.check.model_values(point, x))


def state_vector(f: Formula, flow: dynamics.Flow) -> np.ndarray:
    """``check.state`` (``{mean-field variable: value}``, the others 0) in the order of ``flow.names``."""
    state = f.check.state
    if not state:
        raise ModelError(f"{f.name}: its check ({f.check.kind!r}) needs Check(state=...), the fixed point it tests")
    unknown = sorted(set(state) - set(flow.names))
    if unknown:
        raise ModelError(f"{f.name}: Check.state names {unknown}, not mean-field variables of {flow.names}")
    return np.array([float(state.get(n, 0.0)) for n in flow.names])


def fd_jacobian(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central finite-difference Jacobian (independent of the engine's symbolic Jacobian)."""
    n = len(x)
    J = np.zeros((n, n))
    for j in range(n):
        dx = np.zeros(n)
        dx[j] = h
        J[:, j] = (f(x + dx) - f(x - dx)) / (2 * h)
    return J


def tangent_eigs(flow: dynamics.Flow, x: np.ndarray) -> np.ndarray:
    """Eigenvalues of the finite-difference Jacobian on the tangent space of the spin spheres."""
    fd = dynamics.Flow(flow.names, flow.f, lambda y: fd_jacobian(flow.f, y), flow.spins)
    return np.array(dynamics.classify_fixed_point(fd, x)[1])
