"""Cluster mean-field states: the stationary state found, the error when none is acceptable, coherent initial states."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from analytic.model import ModelError
from numeric.core.errors import SolverError
from numeric.core.operators import check_spin_length, spin_matrices

__all__ = ["ClusterError", "ClusterState", "coherent_product"]


class ClusterError(SolverError):
    """The cluster mean-field equations gave no acceptable stationary state (not converged, not a
    density matrix, or linearly unstable).  ``state`` holds the rejected :class:`ClusterState`
    when there is one."""

    def __init__(self, message: str, state: "ClusterState | None" = None) -> None:
        super().__init__(message)
        self.state = state

@dataclass
class ClusterState:
    r"""A stationary state of the cluster mean-field equations.

    Attributes
    ----------
    cluster : Cluster
        The equations it solves.
    vecs : list of ndarray
        Column-stacked density matrix of each cluster type (type t starts at site
        :math:`t\cdot` ``sites``); :meth:`Cluster.matrix` reshapes.
    residual : float
        :math:`\max_t\|F_t(\rho)\|_2` (:math:`F = \dot\rho_C` of eq. B2) at the returned state.
    eigenvalues : ndarray or None
        Rightmost eigenvalues of the Jacobian :math:`\partial F/\partial\rho` at the state, with the
        neutral modes removed (trace conservation, and the U(1) rotation of a broken-symmetry
        state); sorted by decreasing real part.  ``None`` when stability was not checked.
    stable : bool or None
        ``max Re(eigenvalues) <= stability_tol * scale`` (``None``: not checked).
    steps : int
        Newton / pseudo-transient steps taken.
    info : dict
        ``scale`` (:math:`\max_t\|\mathcal L_{0,t}\|_\infty`, the unit of ``residual``), ``wall``
        (seconds), ``history`` (residual after each accepted step), ``pseudo_time`` (sum of the
        accepted pseudo-time steps), ``factorisations`` (sparse LUs of the Newton matrix), ``method``.
    """

    cluster: "Cluster"  # noqa: F821 - numeric.semiclassical.cluster.equations.Cluster, which imports this module
    vecs: list
    residual: float
    eigenvalues: np.ndarray | None = None
    stable: bool | None = None
    steps: int = 0
    info: dict = field(default_factory=dict)

    @property
    def growth(self) -> float:
        """Largest real part of :attr:`eigenvalues` (negative: linearly stable)."""
        if self.eigenvalues is None:
            raise ClusterError("stability was not checked for this state")
        return float(np.max(self.eigenvalues.real))

    def expect(self, letter: str, site: int = 0) -> complex:
        r""":math:`\langle S^{\rm letter}\rangle` (letter ``'p'``, ``'m'``, ``'z'``, ``'x'``, ``'y'``) at a
        lattice site (mod the period of the state)."""
        return self.cluster.site_expect(self.vecs, site, letter)

    def transverse(self, site: int | None = None) -> float:
        r"""Transverse polarisation :math:`\langle S_\perp\rangle = |\langle S^+\rangle|
        = \sqrt{\langle S^x\rangle^2 + \langle S^y\rangle^2}` (seed 002 eq. 10) at a site, or
        (``site=None``) its mean over the sites of one period of the state."""
        if site is not None:
            return abs(self.expect("p", site))
        period = self.cluster.sites * self.cluster.types
        return float(np.mean([abs(self.expect("p", p)) for p in range(period)]))


def coherent_product(S: float, directions: Sequence[Sequence[float]]) -> list:
    r"""Spin-coherent single-site states :math:`|\theta,\phi\rangle\langle\theta,\phi|` along unit vectors
    ``directions`` (one per site of the period), as dense density matrices in the Dicke basis."""
    mats = {k: v.toarray() for k, v in spin_matrices(check_spin_length(S, "S")).items()}
    Sx = (mats["p"] + mats["m"]) / 2
    Sy = (mats["p"] - mats["m"]) / 2j
    out = []
    for n in directions:
        n = np.asarray(n, dtype=float)
        if n.shape != (3,) or not np.isclose(np.linalg.norm(n), 1.0):
            raise ModelError(f"directions: each entry must be a unit 3-vector, got {n}")
        w, v = np.linalg.eigh(n[0] * Sx + n[1] * Sy + n[2] * mats["z"])
        psi = v[:, -1]
        out.append(np.outer(psi, psi.conj()))
    return out
