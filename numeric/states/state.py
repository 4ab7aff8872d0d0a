"""The one interface of every solver's state: what each method returns, at which precision, or the refusal.

Every steady-state solver returns a :class:`StateLike`: :class:`numeric.states.observables.State`
(collective, ``numeric.steady_state(model, values, S=...)``), :class:`numeric.pi.permutational.PIState`
(N atoms with individual terms, ``numeric.steady_state(..., N=...)``) and
:class:`numeric.pi.qudits.QuditState` (N d-level atoms, ``numeric.steady_state(..., N=..., d=...)``).

Precision contract.  ``state.dps is None``: every method returns Python/numpy floats (complex for a
non-Hermitian operator).  ``state.dps = k`` (a solve with ``dps=k``): every method returns mpmath
numbers (``mpf``/``mpc``, or lists, object arrays or ``mpmath.matrix`` of them) computed with mpmath at
k digits from the state's refined solution and the exact parameter values; nothing passes through
float64.  A method that cannot be computed for a kind of state raises :class:`NotImplementedError`
whose message names the alternative (:func:`unavailable`).

Spin conventions: the collective spin :math:`\\mathbf S = \\sum_i \\mathbf s_i` of the state's (only)
spin or atom ensemble, :math:`S_{\\max}` its largest length (S; N/2 for qubits; N j for spin-j atoms),
:math:`S_z` eigenvalues ordered :math:`m = S_{\\max}, S_{\\max}-1, \\dots, -S_{\\max}`.
"""
from __future__ import annotations

import abc
import math
from typing import Any, Sequence, Union

import mpmath
import numpy as np

from analytic.model import ModelError

__all__ = ["StateLike", "unavailable", "squeezing_from_moments", "INTERFACE"]

#: a real number a state returns: float, or mpmath ``mpf`` at ``dps`` digits
Real = Union[float, mpmath.mpf]
#: a real or complex number a state returns (``mpf``/``mpc`` at ``dps`` digits)
Scalar = Union[float, complex, mpmath.mpf, mpmath.mpc]
#: a dense matrix a state returns: a numpy array, or ``mpmath.matrix`` at ``dps`` digits
Matrix = Union[np.ndarray, mpmath.matrix]

_AXES = ("x", "y", "z")


def unavailable(state: StateLike, method: str, why: str, alternative: str) -> NotImplementedError:
    """The :class:`NotImplementedError` a state raises for a method it cannot compute: names the class,
    the method, the reason and the alternative (to be raised by the caller)."""
    return NotImplementedError(f"{type(state).__name__}.{method}() is not available: {why}; use {alternative}")


def squeezing_from_moments(mean: Sequence[Real] | np.ndarray, C: Matrix, two_s: int | float, axis: str | None = None,
                           dps: int | None = None) -> Real:
    r"""Spin squeezing from the mean spin and the 3x3 symmetrised covariance C of a collective spin of
    largest length :math:`S_{\max}` (``two_s`` :math:`= 2S_{\max}`: N for N qubits, N(d-1) for N d-level atoms).

    ``axis=None``: Wineland parameter (seed 003 eq. S1, seed 004 Sec. III B)
    :math:`\xi^2 = \min_{\mathbf e\perp\langle\mathbf S\rangle} 2S_{\max}\,\mathrm{Var}(\mathbf e\cdot\mathbf S)/|\langle\mathbf S\rangle|^2`,
    the smaller eigenvalue :math:`(a+c)/2 - \sqrt{((a-c)/2)^2 + b^2}` of the 2x2 covariance in an
    orthonormal basis :math:`e_1, e_2` of the plane perpendicular to the mean spin; ``axis='x'|'y'|'z'``
    (seed 000 eq. 28): :math:`2S_{\max}\,\Delta S_{n_1}^2/(\langle S_{n_2}\rangle^2 + \langle S_{n_3}\rangle^2)`.
    A float, or with ``dps`` an mpmath number computed at ``dps`` digits (the caller's moments being
    mpmath numbers).  Raises ModelError for a bad ``axis`` or a vanishing denominator."""
    if axis is not None and axis not in _AXES:
        raise ModelError(f"axis must be one of 'x', 'y', 'z' or None, got axis={axis!r}")
    mp = bool(dps)
    with mpmath.workdps(dps or 15):
        sqrt = mpmath.sqrt if mp else math.sqrt
        out = (lambda v: +v) if mp else float
        if axis is not None:
            k = _AXES.index(axis)
            den = sum(mean[j] ** 2 for j in range(3) if j != k)
            if den < 1e-28 * two_s ** 2:
                raise ModelError(f"squeezing along {axis!r} is undefined: no perpendicular mean spin")
            return out(two_s * C[k, k] / den)
        norm2 = sum(m * m for m in mean)
        if norm2 < 1e-28 * two_s ** 2:
            raise ModelError("squeezing is undefined: the mean spin <S> vanishes")
        n = [m / sqrt(norm2) for m in mean]
        t = [0, 0, 0]
        t[int(np.argmin([abs(float(v)) for v in n]))] = 1

        def cross(u, v):
            return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]

        e1 = cross(n, t)
        l1 = sqrt(sum(v * v for v in e1))
        e1 = [v / l1 for v in e1]
        e2 = cross(n, e1)

        def quad(u, v):
            return sum(u[i] * C[i, j] * v[j] for i in range(3) for j in range(3))

        a, b, c = quad(e1, e1), quad(e1, e2), quad(e2, e2)
        lam = (a + c) / 2 - sqrt(((a - c) / 2) ** 2 + b * b)
        return out(two_s * lam / norm2)


class StateLike(abc.ABC):
    """Common interface of the states returned by every solver (see the module docstring).

    Attributes every state has: ``model`` (the :class:`~analytic.model.Model`, or None for a qudit
    Liouvillian built from matrices), ``values`` (``{Symbol: value}`` the state was solved at),
    ``residual`` (:math:`\\|\\mathcal L\\rho\\|` of the solve), ``info`` (solver diagnostics, a dict) and
    ``dps`` (None for float64, else the decimal digits of every returned number).
    """

    dps = None

    @abc.abstractmethod
    def expect(self, op: Any) -> Scalar:
        """:math:`\\mathrm{Tr}(\\rho A)`; real (float or mpf) for a Hermitian A."""

    @abc.abstractmethod
    def variance(self, op: Any) -> Real:
        """:math:`\\langle A^2\\rangle - \\langle A\\rangle^2` of a Hermitian operator."""

    @abc.abstractmethod
    def trace(self) -> Scalar:
        """:math:`\\mathrm{Tr}\\,\\rho` (1 for a normalised state)."""

    @abc.abstractmethod
    def purity(self) -> Real:
        """:math:`\\mathrm{Tr}\\,\\rho^2` on the full Hilbert space."""

    @abc.abstractmethod
    def populations(self) -> np.ndarray | list[mpmath.mpf]:
        """:math:`P(m) = \\mathrm{Tr}(\\rho\\,\\Pi_m)`, :math:`\\Pi_m` the projector on :math:`S_z = m`, m decreasing."""

    @abc.abstractmethod
    def P(self, m: float) -> Real:
        """The population :math:`P(m)` of one :math:`S_z` eigenvalue m."""

    @abc.abstractmethod
    def mean_spin(self) -> np.ndarray | list[mpmath.mpf]:
        """:math:`(\\langle S_x\\rangle, \\langle S_y\\rangle, \\langle S_z\\rangle)` of the collective spin."""

    @abc.abstractmethod
    def covariance(self) -> Matrix:
        """3x3 symmetrised covariance :math:`\\langle\\{S_a, S_b\\}\\rangle/2 - \\langle S_a\\rangle\\langle S_b\\rangle`."""

    @abc.abstractmethod
    def casimir(self) -> Real:
        """:math:`\\langle S_x^2 + S_y^2 + S_z^2\\rangle` of the collective spin."""

    @abc.abstractmethod
    def g2(self) -> Real:
        """:math:`g^{(2)}(0) = \\langle S^+S^+S^-S^-\\rangle/\\langle S^+S^-\\rangle^2`."""

    @abc.abstractmethod
    def squeezing(self, axis: str | None = None) -> Real:
        """Spin squeezing :math:`\\xi^2` (Wineland for ``axis=None``, else along 'x', 'y' or 'z'), normalised by :math:`2S_{\\max}`."""

    @abc.abstractmethod
    def density_matrix(self) -> Matrix:
        """The dense density matrix on the state's Hilbert space (numpy array, or ``mpmath.matrix`` with dps)."""


#: The names of the common methods (for tests and documentation).
INTERFACE = tuple(sorted(StateLike.__abstractmethods__))
