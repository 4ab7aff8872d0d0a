"""Block Gauss-Seidel preconditioned GMRES for the permutation-invariant real-form system (blocks of total spin j)."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from numeric.core.ordering import nested_dissection, permuted_solve

__all__ = ["BlockSolver", "NotConverged", "RTOL", "ACCEPT", "BACKWARD", "PROBE_RTOL", "RECYCLE", "RESTART"]

RTOL = 1e-12      # GMRES target: relative residual ||A x - b|| / ||b|| (float64 floor ~1e-13 for random b)
ACCEPT = 1e-10    # refused (NotConverged) above max(ACCEPT, 100 rtol) relative and 100 BACKWARD backward error
RESTART = 100     # Krylov vectors kept (memory RESTART * n * 8 bytes)
CYCLES = 4        # restarts: at most RESTART * CYCLES iterations
BACKWARD = 1e-14  # or a solve is converged at this normwise backward error ||b - Ax|| / (||A|| ||x||)
PROBE_RTOL = 1e-8  # the kernel probe (errors relative to sigma_min) and the refinement's corrections
RECYCLE = 40      # most directions kept by the recycling solves (their memory: 2 RECYCLE n float64, and the
                  # Arnoldi basis of a cycle twice, with and without the preconditioner: 2 RESTART n)


class NotConverged(Exception):
    """The block-preconditioned GMRES did not reach :data:`ACCEPT` (or a diagonal block is singular):
    the caller falls back to the direct LU of the whole system."""


class BlockSolver:
    r"""Solves :math:`Ay = b` and :math:`A^Ty = b` for a real-form system whose unknowns belong to
    total-spin blocks :math:`j` (``tj`` = 2j per unknown) coupled only to :math:`j\pm 1` (the
    individual terms; collective terms keep j) apart from one dense row (the trace row).

    Preconditioner: symmetric block Gauss-Seidel, :math:`M^{-1} = (D + U)^{-1}D(D + L)^{-1}`: a sweep from
    the largest j down then one back up, with :math:`D` the diagonal blocks (each a two-dimensional
    :math:`(m, m')` grid, factorised by SuperLU in geometric nested dissection: fill
    :math:`O(n_j\log n_j)`) and :math:`L`, :math:`U` the couplings to the larger and the smaller j
    (the trace row's included).  Restarted GMRES on :math:`A` with :math:`M^{-1}`; every solve is checked
    on its true residual (:class:`NotConverged` above ``max(ACCEPT, 100 rtol)``).  Memory: the block
    factors plus :data:`RESTART` Krylov vectors, instead of the :math:`O(n^{4/3})` fill of one LU of the
    three-dimensional (j, m, m') grid.  Measured on ``driven_dicke`` (Omega = 0.3 Omega_c,
    gamma_c = 1, gamma_s = 0.1): 4-6 GMRES steps for the steady state, 12-40 for a random right-hand
    side from N = 60 to 200 (the first sweep alone, without the way back up, needed 3-4 times more).
    """

    def __init__(self, A: sps.spmatrix, X: np.ndarray, last: int):
        n = A.shape[0]
        tj = X[:, 0]
        levels = np.unique(tj)[::-1]
        groups = [np.flatnonzero(tj == t) for t in levels]
        self.perm = np.concatenate(groups)
        self.n = n
        Ab = A.tocsr()[self.perm][:, self.perm].tocsr()
        self.Ab, self.ATb = Ab, Ab.T.tocsr()
        bounds = np.concatenate([[0], np.cumsum([len(g) for g in groups])])
        self.blocks: list = []
        self.fill = 0
        pos = np.empty(n, dtype=np.int64)
        pos[self.perm] = np.arange(n)
        klast = int(pos[last])
        for i, g in enumerate(groups):
            s, e = int(bounds[i]), int(bounds[i + 1])
            D = Ab[s:e, s:e].tocsc()
            lo, c0 = _band(Ab[s:e, :s], 0)
            up, c1 = _band(Ab[s:e, e:], e)
            local_last = klast - s if s <= klast < e else e - s - 1
            try:
                solve, nnz = _factor(D, X[g], local_last)
            except RuntimeError as err:  # an exactly singular diagonal block
                raise NotConverged(f"diagonal block 2j = {int(levels[i])} is singular ({err})") from None
            self.fill += nnz
            self.blocks.append((s, e, solve, c0, lo, lo.T.tocsr(), c1, up, up.T.tocsr()))
        blk = np.repeat(np.arange(len(groups)), np.diff(bounds))
        C = Ab.tocoo()
        low = blk[C.row] > blk[C.col]
        self.L = sps.csr_matrix((C.data[low], (C.row[low], C.col[low])), shape=(n, n))
        high = blk[C.row] < blk[C.col]
        self.UT = sps.csr_matrix((C.data[high], (C.col[high], C.row[high])), shape=(n, n))
        self.iterations: list = []
        # the recycled space of the ``recycle=True`` solves, as rows: Ab @ U[i] = C[i], C orthonormal
        self.U = np.zeros((0, n))
        self.C = np.zeros((0, n))

    # ------------------------------------------------------------------ preconditioner
    def _forward(self, v: np.ndarray) -> np.ndarray:
        """:math:`(D + L_<)^{-1}v` (sweep from the largest j down)."""
        x = np.empty_like(v)
        for s, e, solve, c0, lo, _, _, _, _ in self.blocks:
            x[s:e] = solve(v[s:e] - lo @ x[c0:s]) if lo.nnz else solve(v[s:e])
        return x

    def _backward(self, v: np.ndarray) -> np.ndarray:
        """:math:`(D + U_>)^{-1}v` (sweep from the smallest j up)."""
        x = np.empty_like(v)
        for s, e, solve, _, _, _, c1, up, _ in reversed(self.blocks):
            x[s:e] = solve(v[s:e] - up @ x[e:c1]) if up.nnz else solve(v[s:e])
        return x

    def _forward_t(self, v: np.ndarray) -> np.ndarray:
        """:math:`(D + L_<)^{-T}v`."""
        z = np.empty_like(v)
        acc = np.zeros_like(v)
        for s, e, solve, c0, lo, loT, _, _, _ in reversed(self.blocks):
            z[s:e] = solve(v[s:e] - acc[s:e], "T")
            if lo.nnz:
                acc[c0:s] += loT @ z[s:e]
        return z

    def _backward_t(self, v: np.ndarray) -> np.ndarray:
        """:math:`(D + U_>)^{-T}v`."""
        z = np.empty_like(v)
        acc = np.zeros_like(v)
        for s, e, solve, _, _, _, c1, up, upT in self.blocks:
            z[s:e] = solve(v[s:e] - acc[s:e], "T")
            if up.nnz:
                acc[e:c1] += upT @ z[s:e]
        return z

    def _sweep(self, v: np.ndarray) -> np.ndarray:
        """Symmetric block Gauss-Seidel :math:`M^{-1}v = (D + U)^{-1}D(D + L)^{-1}v`."""
        x = self._forward(v)
        return self._backward(v - self.L @ x)

    def _sweep_t(self, v: np.ndarray) -> np.ndarray:
        """:math:`M^{-T}v = (D + L)^{-T}D^T(D + U)^{-T}v`, with :math:`D^Tz = v - U^Tz`."""
        z = self._backward_t(v)
        return self._forward_t(v - self.UT @ z)

    # ------------------------------------------------------------------ solves
    def _gmres(self, M: sps.spmatrix, sweep: Callable, b: np.ndarray, rtol: float) -> np.ndarray:
        r"""Restarted GMRES on ``M`` (``Ab`` or its transpose) right-preconditioned by ``sweep``.  Converged when
        :math:`\|b - Mx\| \le \mathrm{rtol}\,\|b\|` or when the normwise backward error
        :math:`\|b - Mx\|/(\|M\|_\infty\|x\|)` is at most :data:`BACKWARD` (as good as float64 gets: an
        ill-conditioned system with a random right-hand side cannot reach a small ``rtol``), checked on
        the true residual after every cycle of :data:`RESTART` steps."""
        bn = float(np.linalg.norm(b))
        if bn == 0.0:
            return np.zeros_like(b)
        # right preconditioning (GMRES on A M^{-1}, x = M^{-1} u): the residual it minimises is the true one
        op = spla.LinearOperator(M.shape, matvec=lambda u: M @ sweep(u), dtype=float)
        norm = float(abs(M).sum(axis=1).max())
        count = [0]

        def cb(_):
            count[0] += 1
        u = np.zeros_like(b)
        with np.errstate(all="ignore"):
            for _ in range(CYCLES):
                u, _ = spla.gmres(op, b, x0=u, rtol=rtol, atol=0.0, restart=min(RESTART, self.n),
                                  maxiter=1, callback=cb, callback_type="pr_norm")
                x = sweep(u)
                r = float(np.linalg.norm(M @ x - b))
                if r <= rtol * bn or r <= BACKWARD * norm * float(np.linalg.norm(x)):
                    break
        return self._accept(x, r, bn, norm, rtol, count[0], "GMRES")

    def _accept(self, x: np.ndarray, r: float, bn: float, norm: float, rtol: float, count: int, name: str) -> np.ndarray:
        """``x`` when its true residual ``r`` (of a right-hand side of norm ``bn``) is accepted, else
        :class:`NotConverged`; the iterations are counted in ``self.iterations``."""
        self.iterations.append(count)
        if not (r <= max(ACCEPT, 100 * rtol) * bn or r <= 100 * BACKWARD * norm * float(np.linalg.norm(x))):
            back = r / (norm * float(np.linalg.norm(x))) if np.any(x) else math.inf
            raise NotConverged(f"block-preconditioned {name}: relative residual {r / bn:.1e}, backward error "
                               f"{back:.1e} after {count} iterations (accepted: <= {max(ACCEPT, 100 * rtol):.0e}, "
                               f"or a backward error <= {100 * BACKWARD:.0e})")
        return x

    # ------------------------------------------------------------------ recycling solves
    def _recycled(self, b: np.ndarray, rtol: float) -> np.ndarray:
        r"""GMRES on ``Ab`` right-preconditioned by :meth:`_sweep` and deflated by the recycled space
        (GCRO with a recycled space, as GCRO-DR of Parks, de Sturler et al., SIAM J. Sci. Comput. 28,
        1651 (2006), keeping whole cycles instead of harmonic Ritz vectors): with :math:`AU = C`,
        :math:`C^TC = I`, the part :math:`UC^Tb` is solved at once and the Arnoldi process runs on
        :math:`(I - CC^T)AM^{-1}`, which has the directions of the earlier solves removed (among them
        the slow ones a fresh GMRES spends its first ~20 steps on).  Each cycle's directions are added
        to the space up to :data:`RECYCLE`.  Converged and accepted as :meth:`_gmres` (true residual,
        restarts, :class:`NotConverged`)."""
        bn = float(np.linalg.norm(b))
        if bn == 0.0:
            return np.zeros_like(b)
        M = self.Ab
        norm = float(abs(M).sum(axis=1).max())
        x = np.zeros_like(b)
        count = 0
        r = bn
        with np.errstate(all="ignore"):
            for cycle in range(CYCLES):
                dx, its = self._recycled_cycle(b - M @ x if cycle else b, rtol * bn)
                x = x + dx
                count += its
                r = float(np.linalg.norm(M @ x - b))
                if r <= rtol * bn or r <= BACKWARD * norm * float(np.linalg.norm(x)):
                    break
        return self._accept(x, r, bn, norm, rtol, count, "GMRES (recycled)")

    def _recycled_cycle(self, b: np.ndarray, tol: float) -> tuple[np.ndarray, int]:
        """One cycle of :meth:`_recycled` (at most :data:`RESTART` steps, stops at the estimated residual
        ``tol``): ``(x, steps)``; adds the cycle's directions to the recycled space.  Gram-Schmidt
        against :math:`C` and the Arnoldi basis, a second pass only when the first cancelled more than
        0.3 of the vector (Daniel, Gragg, Kaufman and Stewart's criterion)."""
        n, C, U = self.n, self.C, self.U
        g = C @ b
        x = g @ U
        r0 = b - g @ C
        beta = float(np.linalg.norm(r0))
        if not beta > tol:  # nothing left outside the recycled space (or not finite: the caller refuses)
            return x, 0
        m_max = min(RESTART, n)
        V = np.empty((m_max + 1, n))  # rows: the Arnoldi basis (the rows never written are never allocated)
        Z = np.empty((m_max, n))      # rows: the preconditioned basis, A Z[j] = C^T B[:, j] + V^T H[:, j]
        H = np.zeros((m_max + 1, m_max))
        B = np.zeros((len(C), m_max))
        e1 = np.zeros(m_max + 1)
        e1[0] = beta
        V[0] = r0 / beta
        m, y, breakdown = 0, np.zeros(0), False
        for j in range(m_max):
            Z[j] = self._sweep(V[j])
            w = self.Ab @ Z[j]
            for _ in range(2):
                before = float(np.linalg.norm(w))
                c = C @ w
                w -= c @ C
                h = V[:j + 1] @ w
                w -= h @ V[:j + 1]
                B[:, j] += c
                H[:j + 1, j] += h
                after = float(np.linalg.norm(w))
                if after > 0.7 * before:
                    break
            if not np.isfinite(after):
                raise NotConverged(f"block-preconditioned GMRES (recycled): a non-finite vector at step {j + 1}")
            H[j + 1, j] = after
            m = j + 1
            y = np.linalg.lstsq(H[:m + 1, :m], e1[:m + 1], rcond=None)[0]
            est = float(np.linalg.norm(e1[:m + 1] - H[:m + 1, :m] @ y))
            if not after > 0.0:  # an invariant subspace: y solves exactly
                breakdown = True
                break
            V[j + 1] = w / after
            if est <= tol:
                break
        x += y @ Z[:m] - (B[:, :m] @ y) @ U
        if not breakdown:
            self._keep(V[:m + 1], Z[:m], H[:m + 1, :m], B[:, :m])
        return x, m

    def _keep(self, V: np.ndarray, Z: np.ndarray, H: np.ndarray, B: np.ndarray) -> None:
        r"""Add a cycle's directions to the recycled space (rows of ``U`` and ``C``).  With
        :math:`AZ^T = C^TB + V^TH` and :math:`H = QR`: :math:`A(Z^T - U^TB)R^{-1} = V^TQ`, orthonormal
        and orthogonal to :math:`C`.  The first columns only (they depend on the first rows of :math:`Z`
        alone), up to :data:`RECYCLE` in all and not past an :math:`R_{ii}` at rounding level."""
        room = RECYCLE - len(self.C)
        m = H.shape[1]
        if room <= 0 or m == 0:
            return
        Q, R = np.linalg.qr(H)
        ok = np.abs(np.diag(R)) > np.finfo(float).eps * float(np.linalg.norm(H))
        t = min(room, m if ok.all() else int(np.argmin(ok)))
        if t == 0:
            return
        W = Z[:t] - B[:, :t].T @ self.U  # rows: (Z^T - U^T B)^T, first t columns
        Un = sla.solve_triangular(R[:t, :t], W, trans="T", lower=False)
        Cn = Q[:, :t].T @ V
        if np.all(np.isfinite(Un)) and np.all(np.isfinite(Cn)):
            self.U = np.concatenate([self.U, Un])
            self.C = np.concatenate([self.C, Cn])

    def solve(self, b: np.ndarray, trans: str = "N", rtol: float = RTOL, recycle: bool = False) -> np.ndarray:
        """:math:`A^{-1}b` (``trans='T'``: :math:`A^{-T}b`) in the original order of the unknowns, to the
        relative residual ``rtol`` (refused above ``max(ACCEPT, 100 rtol)``).  ``recycle=True`` (``'N'``
        only): deflated by, and adding to, the Krylov directions of the earlier recycling solves
        (:meth:`_recycled`; a sequence of solves with one matrix, as the refinement's corrections)."""
        b = np.asarray(b, dtype=float)
        bp = np.ascontiguousarray(b.reshape(-1)[self.perm])  # (n,) also for a column (n, 1)
        if recycle and trans != "N":
            raise ValueError("BlockSolver.solve: recycle=True is for trans='N' only")
        if recycle:
            yp = self._recycled(bp, rtol)
        elif trans == "N":
            yp = self._gmres(self.Ab, self._sweep, bp, rtol)
        else:
            yp = self._gmres(self.ATb, self._sweep_t, bp, rtol)
        y = np.empty_like(yp)
        y[self.perm] = yp
        return y.reshape(b.shape)


def _factor(D: sps.csc_matrix, X: np.ndarray, last: int) -> tuple[Callable, int]:
    """SuperLU of one diagonal block in geometric nested dissection (MMD when the couplings are not local):
    ``(solve(v, trans='N'), nnz(L + U))``."""
    perm = nested_dissection(D, X, last) if D.shape[0] > 1 else None
    if perm is None:
        lu = spla.splu(D, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.1)
        return (lambda v, trans="N": lu.solve(v, trans=trans)), int(lu.nnz)
    lu = spla.splu(D[perm][:, perm].tocsc(), permc_spec="NATURAL", diag_pivot_thresh=0.01,
                   options=dict(SymmetricMode=True))
    return permuted_solve(lu, perm), int(lu.nnz)



def _band(C: sps.spmatrix, offset: int) -> tuple[sps.csr_matrix, int]:
    """The couplings ``C`` of one block cut to the column range they reach.  ``offset == 0`` (couplings
    to the earlier blocks, columns ``0..s``): ``(C[:, a:], a)``, ``a`` the first column reached;
    otherwise (couplings to the later blocks, global columns ``offset + k``): ``(C[:, :b], offset + b)``."""
    C = C.tocsr()
    C.eliminate_zeros()
    if offset == 0:
        a = int(C.indices.min()) if C.nnz else C.shape[1]
        return C[:, a:].tocsr(), a
    b = int(C.indices.max()) + 1 if C.nnz else 0
    return C[:, :b].tocsr(), offset + b
