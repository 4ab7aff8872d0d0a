"""The linear algebra of the cluster Newton steps: the Jacobian's form, Hermitian coordinates, the Woodbury solve."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

__all__ = ["Linearisation", "HermitianCoordinates", "newton_matvec", "NewtonSolve"]


@dataclass
class Linearisation:
    r"""The Jacobian of the cluster equations at a state,
    :math:`J = \mathrm{diag}(A_0, \dots, A_{T-1}) + U W^{\mathsf T}`.

    :math:`A_t = \mathcal L_{0,t} + \sum_k \mu_k\mathcal K_k` is the cluster Liouvillian with the
    boundary fields frozen (sparse); column k of ``U`` is :math:`\mathcal K_k\,\mathrm{vec}\,\rho_t`
    and column k of ``W`` the gradient of the field coefficient :math:`\mu_k` (a product of
    expectation values, linear in each :math:`\rho`).  :math:`F` is a polynomial in the entries
    of :math:`\mathrm{vec}\,\rho` (no complex conjugation), so ``J`` is complex-linear and its
    spectrum is that of the linearised dynamics of Hermitian :math:`\rho`.  (The solver also
    holds ``J`` in real coordinates of Hermitian matrices in this form.)
    """

    blocks: list
    U: sps.csc_matrix
    W: sps.csc_matrix

    def __post_init__(self):
        self._WT = sps.csr_matrix(self.W.T)

    @property
    def size(self) -> int:
        return self.U.shape[0]

    def matvec(self, x: np.ndarray) -> np.ndarray:
        """:math:`J x`."""
        n = self.blocks[0].shape[0]
        y = np.concatenate([A @ x[t * n:(t + 1) * n] for t, A in enumerate(self.blocks)])
        return y + self.U @ (self._WT @ x)  # sparse products: no BLAS threads for a matrix-vector product

    def dense(self) -> np.ndarray:
        """``J`` as a dense matrix."""
        return sps.block_diag(self.blocks).toarray() + (self.U @ self.W.T).toarray()

    def deflated(self, U: np.ndarray, W: np.ndarray) -> "Linearisation":
        r""":math:`J + U W^{\mathsf T}` (extra low-rank columns)."""
        return Linearisation(self.blocks, sps.hstack([self.U, sps.csc_matrix(U)], format="csc"),
                             sps.hstack([self.W, sps.csc_matrix(W)], format="csc"))


class HermitianCoordinates:
    r"""Real coordinates of Hermitian cluster states: per type :math:`(\mathrm{Re}\,\rho_{ii};
    \mathrm{Re}\,\rho_{rc}, \mathrm{Im}\,\rho_{rc})_{r<c}`, as many real numbers as
    :math:`\mathrm{vec}\,\rho` has complex ones.  ``Q`` maps them to :math:`\mathrm{vec}\,\rho`;
    :meth:`real` is the real-linear inverse (exact on Hermitian vectors).  The Newton matrix in
    these coordinates is real, and its LU costs about a quarter of the complex one."""

    def __init__(self, dim: int, types: int) -> None:
        n = dim * dim
        r, c = np.triu_indices(dim, 1)
        k = np.arange(len(r))
        d = np.arange(dim)
        re, im = dim + 2 * k, dim + 2 * k + 1
        vrc, vcr, vii = r + c * dim, c + r * dim, d + d * dim
        Q = sps.csr_matrix((np.concatenate([np.ones(dim), np.ones(len(k)), 1j * np.ones(len(k)), np.ones(len(k)),
                                            -1j * np.ones(len(k))]),
                            (np.concatenate([vii, vrc, vrc, vcr, vcr]), np.concatenate([d, re, im, re, im]))),
                           shape=(n, n), dtype=complex)
        Pre = sps.csr_matrix((np.concatenate([np.ones(dim), np.full(2 * len(k), 0.5)]),
                              (np.concatenate([d, re, re]), np.concatenate([vii, vrc, vcr]))), shape=(n, n))
        Pim = sps.csr_matrix((np.concatenate([np.full(len(k), 0.5), np.full(len(k), -0.5)]),
                              (np.concatenate([im, im]), np.concatenate([vrc, vcr]))), shape=(n, n))
        self.dim, self.n, self.types = dim, n, types
        self.Q1, self.Pre1, self.Pim1 = Q, Pre, Pim
        self.Q = sps.block_diag([Q] * types, format="csr")
        self.Pre = sps.block_diag([Pre] * types, format="csr")
        self.Pim = sps.block_diag([Pim] * types, format="csr")

    def real(self, x: np.ndarray) -> np.ndarray:
        """Coordinates of Hermitian ``vec`` (or of the columns of a 2-D array)."""
        return self.Pre @ x.real + self.Pim @ x.imag

    def complex(self, y: np.ndarray) -> np.ndarray:
        """``vec`` of the Hermitian states with coordinates ``y``."""
        return self.Q @ y

    def block(self, A: sps.spmatrix) -> sps.csr_matrix:
        """A Hermiticity-preserving superoperator of one type in the real coordinates."""
        AQ = sps.csr_matrix(A @ self.Q1)
        out = sps.csr_matrix(self.Pre1 @ AQ.real + self.Pim1 @ AQ.imag)
        out.eliminate_zeros()
        return out

    def linearisation(self, lin: "Linearisation") -> "Linearisation":
        r"""The Jacobian in the real coordinates: real blocks, and the rank-m complex boundary term as a
        real rank-2m one, :math:`P(u\,c) = \mathrm{Re}(c)\,P(u) + \mathrm{Im}(c)\,P(iu)` with
        :math:`c = w^{\mathsf T}Q y`."""
        Uc = lin.U.toarray()
        QW = (self.Q.T @ lin.W).toarray()
        U = np.hstack([self.real(Uc), self.real(1j * Uc)])
        W = np.hstack([QW.real, QW.imag])
        return Linearisation([self.block(A) for A in lin.blocks], sps.csc_matrix(U), sps.csc_matrix(W))

    def with_trace_row(self, M: sps.spmatrix) -> sps.csr_matrix:
        r"""M with its first row (coordinate :math:`\rho_{00}`) replaced by the trace."""
        keep = np.ones(self.n)
        keep[0] = 0.0
        trace = sps.csr_matrix((np.ones(self.dim), (np.zeros(self.dim, dtype=int), np.arange(self.dim))),
                               shape=(self.n, self.n))
        return sps.csr_matrix(sps.diags(keep) @ M + trace)


def newton_matvec(lin: Linearisation, shift: float, coords: HermitianCoordinates, y: np.ndarray) -> np.ndarray:
    """:math:`(J - s)y` for the Jacobian ``lin`` in the real coordinates, the first row of every cluster type
    replaced by its trace."""
    out = lin.matvec(y) - shift * y
    for t in range(coords.types):
        out[t * coords.n] = y[t * coords.n:t * coords.n + coords.dim].sum()
    return out


class NewtonSolve:
    r"""The Newton matrix :math:`M = J - s` in the real coordinates, the first row of every cluster
    type replaced by the trace (then :math:`M` is non-singular at a stationary state:
    :math:`\mathrm{Tr}\,F_t \equiv 0` makes that row redundant), with its exact solve: sparse LU
    of the blocks (in the given fill-reducing orders) and the Woodbury identity for the rank-2m
    boundary term.  The capacitance matrix is solved by least squares, so the one neutral
    direction of a broken-symmetry state (the U(1) rotation) gives a minimum-norm step instead of
    an overflow."""

    def __init__(self, lin: Linearisation, shift: float, coords: HermitianCoordinates, orders: Sequence) -> None:
        """``lin``: the Jacobian in the real coordinates (:meth:`HermitianCoordinates.linearisation`)."""
        n = coords.n
        self.n = n
        eye = sps.identity(n, format="csr")
        self.lus = []
        for t, A in enumerate(lin.blocks):
            M = coords.with_trace_row(A - shift * eye)
            perm = orders[t]
            if perm is None:
                self.lus.append((None, spla.splu(sps.csc_matrix(M))))
            else:
                self.lus.append((perm, spla.splu(sps.csc_matrix(M[perm][:, perm]), permc_spec="NATURAL")))
        U = lin.U.toarray()
        U[np.arange(coords.types) * n] = 0.0
        self.W = lin.W.toarray()
        self.Z = self._blocks(U) if U.shape[1] else U
        self.C = np.eye(U.shape[1]) + np.einsum("ki,kj->ij", self.W, self.Z)

    def _blocks(self, b: np.ndarray) -> np.ndarray:
        out = np.empty_like(b, dtype=float)
        for t, (perm, lu) in enumerate(self.lus):
            bt = b[t * self.n:(t + 1) * self.n]
            if perm is None:
                out[t * self.n:(t + 1) * self.n] = lu.solve(np.ascontiguousarray(bt))
            else:
                y = np.empty_like(bt)
                y[perm] = lu.solve(np.ascontiguousarray(bt[perm]))
                out[t * self.n:(t + 1) * self.n] = y
        return out

    def __call__(self, b: np.ndarray) -> np.ndarray:
        """:math:`M^{-1} b`."""
        y = self._blocks(b)
        if self.Z.shape[1] == 0:
            return y
        z = np.linalg.lstsq(self.C, np.einsum("ij,i->j", self.W, y), rcond=1e-10)[0]
        return y - np.einsum("ij,j->i", self.Z, z)  # einsum: no BLAS threads (costly on a loaded machine)
