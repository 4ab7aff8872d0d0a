r"""The one eigenvalue routine of the Liouvillian blocks: eigenvalues nearest 0 or rightmost, dense or by Arnoldi.

Used by :mod:`numeric.solvers.spectrum` (collective models), :mod:`numeric.pi.spectra`,
:mod:`numeric.pi.metastable` (qubits) and :mod:`numeric.pi.qudits` (d-level atoms).

Dense cutoff :data:`DENSE_MAX` = 300 unknowns: below it LAPACK computes every eigenvalue (no
convergence question, exact gaps); above it shift-invert Arnoldi at a small positive shift (one sparse
LU, minimum degree on :math:`A + A^T`, start vector of ones) or, for ``which='rightmost'``, Arnoldi
without factorisation.  The three former routines used 300 (collective), 400 (qubits) and 1500
(qudits, where a dense 1500 x 1500 complex eigenproblem costs seconds); 300 was kept because the
shift-invert Arnoldi on blocks of 300-1500 unknowns is faster than LAPACK there and gives the same
eigenvalues (tests/numeric/test_spectrum.py and test_qudits_numeric.py force both paths and compare);
measured side by side on one machine, the spectra tests take the same time as before (issue 18 report).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from numeric.core.errors import SolverError

__all__ = ["eigs_near_zero", "eigs_rightmost", "DENSE_MAX"]

DENSE_MAX = 300


def _dense(M: sps.spmatrix, k: int, vectors: bool, key: Callable[[np.ndarray], np.ndarray], kind: str = "quicksort"):
    """Every eigenvalue by LAPACK; the ``k`` first in the order of ``key``."""
    if vectors:
        ev, V = sla.eig(M.toarray())
    else:
        ev, V = sla.eigvals(M.toarray()), None
    o = np.argsort(key(ev), kind=kind)[:k]
    return (ev[o], V[:, o]) if vectors else ev[o]


def eigs_near_zero(M: sps.spmatrix, k: int, sigma: float | None = None,
                   vectors: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """The ``k`` eigenvalues of smallest modulus of a sparse block, sorted by modulus (and the
    eigenvectors as columns with ``vectors``): dense up to :data:`DENSE_MAX` unknowns (or when
    ``k >= n - 2``), else shift-invert Arnoldi at ``sigma`` (default :math:`10^{-7}\\|M\\|_\\infty`; one
    SuperLU factorisation, minimum degree on :math:`A + A^T`, start vector of ones: deterministic).
    SolverError when Arnoldi fails."""
    n = M.shape[0]
    if n <= DENSE_MAX or k >= n - 2:
        return _dense(M, k, vectors, np.abs)
    scale = float(abs(M).sum(axis=1).max())
    s = sigma if sigma is not None else 1e-7 * scale
    A = (M - s * sps.identity(n, dtype=M.dtype, format="csc")).tocsc()
    # minimum degree on A + A^T with diagonal preference: much less fill than COLAMD here
    try:
        lu = spla.splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.01, options=dict(SymmetricMode=True))
        op = spla.LinearOperator(A.shape, matvec=lu.solve, dtype=A.dtype)
        res = spla.eigs(op, k=k, which="LM", return_eigenvectors=vectors, tol=1e-12,
                        ncv=min(n - 1, max(2 * k + 1, 24)), v0=np.ones(n, dtype=A.dtype))
    except (spla.ArpackNoConvergence, spla.ArpackError, RuntimeError) as exc:
        raise SolverError(f"eigenvalues near 0 of a block of {n} unknowns: shift-invert Arnoldi failed "
                          f"({type(exc).__name__}: {exc})") from None
    nu, V = res if vectors else (res, None)
    ev = s + 1.0 / nu
    o = np.argsort(np.abs(ev))
    return (ev[o], V[:, o]) if vectors else ev[o]


def eigs_rightmost(M: sps.spmatrix, k: int, vectors: bool = False) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """The ``k`` eigenvalues of largest real part of a sparse block, largest first (and the
    eigenvectors with ``vectors``): dense up to :data:`DENSE_MAX` unknowns, else implicitly
    restarted Arnoldi (ARPACK ``which='LR'``, matrix-vector products only: no factorisation)."""
    n = M.shape[0]
    if n <= DENSE_MAX:
        return _dense(M, k, vectors, lambda ev: -ev.real, "stable")
    k = min(int(k), n - 2)
    try:
        res = spla.eigs(M.tocsr(), k=k, which="LR", ncv=max(2 * k + 1, 40), tol=1e-13, maxiter=200000,
                        return_eigenvectors=vectors)
    except spla.ArpackNoConvergence as exc:
        raise SolverError(f"Arnoldi did not converge on a block of {n} unknowns ({exc})") from None
    ev, V = res if vectors else (res, None)
    o = np.argsort(-ev.real, kind="stable")
    return (ev[o], V[:, o]) if vectors else ev[o]
