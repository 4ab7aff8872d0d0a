r"""Multifrontal LU of a sparse matrix on a nested-dissection separator tree.

Why not a library: the sparse direct solvers installable by pip on Python 3.11 (SuperLU in SciPy,
UMFPACK in cvxopt, MKL Pardiso through pypardiso) were measured on our crf systems
(``benchmarks/solver_study.py``, docs/benchmarks.md): none beat SuperLU, which runs at about
5 GFlop/s where this machine's dgemm runs at 40-50; MUMPS and scikit-umfpack have no wheels.  This
module factorises along the separator tree that :func:`numeric.core.ordering.separator_tree` builds:
the large fronts with LAPACK/BLAS-3 (``getrf``, ``trsm``, one in-place ``dgemm``), the many small
ones in the compiled kernels of :mod:`numeric.solvers.fronts`.

Block elimination, one node at a time (children before parents).  A node eliminates its separator
unknowns :math:`s`; its front couples them with its boundary :math:`b` (the unknowns of ancestors
that its subtree touches):

.. math:: PF_{ss} = L_{ss}U_{ss},\quad U_{sb} = L_{ss}^{-1}PF_{sb},\quad L_{bs} = F_{bs}U_{ss}^{-1},
          \quad S = F_{bb} - L_{bs}U_{sb},

:math:`F` = the original entries owned by the node plus the children's :math:`S` (extend-add);
:math:`S` goes to the parent.  Solving :math:`Ax = y`: forward in tree order
:math:`y_s \leftarrow L_{ss}^{-1}Py_s`, :math:`y_b \mathrel{-}= L_{bs}y_s`; backward in reverse order
:math:`x_s = U_{ss}^{-1}(y_s - U_{sb}x_b)`; the transposed solve runs the transposed factors the
other way.  Row pivoting stays inside each :math:`F_{ss}` (like the diagonal pivoting of SuperLU that
it replaces), so a tiny pivot is possible: callers refine iteratively and check the residual.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps

from numeric.core.errors import SolverError
from numeric.core.ordering import SeparatorTree
from numeric.core.progress import bar
from numeric.solvers import fronts

__all__ = ["FrontalLU", "BIG_FRONT"]

#: fronts of at least this many rows (separator + boundary), and their ancestors, go to LAPACK
BIG_FRONT = 160


class FrontalLU:
    r"""Multifrontal LU factors of a square sparse ``A`` ordered by a :class:`SeparatorTree`.

    ``ordered=True``: ``A`` is already in the tree's elimination order (``A[perm][:, perm]``); the
    solves still act in the original order.  ``solve(y, trans="N")`` solves :math:`Ax = y` (``"T"``: :math:`A^Tx = y`) for a vector or an
    ``(n, k)`` block of right-hand sides, in the original order of the unknowns.  ``nnz`` is the number
    of stored factor entries.  Raises :class:`numeric.core.errors.SolverError` on an exactly zero pivot.
    """

    def __init__(self, A: sps.spmatrix, tree: SeparatorTree, *, ordered: bool = False, progress: bool = False):
        n = A.shape[0]
        if A.shape != (n, n) or len(tree.perm) != n:
            raise ValueError(f"FrontalLU: A has shape {A.shape}, the tree orders {len(tree.perm)} unknowns")
        self.n, self.perm = n, np.asarray(tree.perm, dtype=np.int64)
        Ap = (sps.coo_matrix(A) if ordered else sps.csr_matrix(A)[self.perm][:, self.perm].tocoo())
        lo = np.asarray(tree.bounds[:-1], dtype=np.int64)
        hi = np.asarray(tree.bounds[1:], dtype=np.int64)
        nn = len(lo)
        self.lo, self.hi = lo, hi
        # every entry belongs to the node that eliminates the first of its row and column
        r, c = Ap.row.astype(np.int64), Ap.col.astype(np.int64)
        first, last = np.minimum(r, c), np.maximum(r, c)
        node = np.repeat(np.arange(nn), hi - lo)[first]
        order = np.argsort(node, kind="stable")
        er, ec, ev = r[order], c[order], Ap.data[order].astype(float)
        estart = np.searchsorted(node[order], np.arange(nn + 1))
        del Ap, r, c, order
        self.children = tree.children
        cptr = np.zeros(nn + 1, np.int64)
        cptr[1:] = np.cumsum([len(ch) for ch in tree.children])
        clist = np.array([cc for ch in tree.children for cc in ch], dtype=np.int64)
        parent = np.full(nn, -1, np.int64)
        parent[clist] = np.repeat(np.arange(nn), np.diff(cptr))
        self.boff, self.bpool = fronts.boundaries(lo, hi, estart, er, ec, cptr, clist)
        if self.boff[-1] < 0:
            raise ValueError("FrontalLU: the tree is not a separator tree (a subtree couples to unknowns "
                             "outside its ancestors)")
        del node, first, last
        s, b = hi - lo, np.diff(self.boff)
        big = (s + b) >= BIG_FRONT
        up = np.flatnonzero(big)
        while len(up):  # a node with a large descendant is large
            up = parent[up]
            up = up[(up >= 0) & ~big[np.maximum(up, 0)]]
            big[up] = True
        self.small = np.flatnonzero(~big)
        self.big = np.flatnonzero(big)
        # one pool for the factors of every node: rows [L\U | U_sb] (s x m), then L_bs (b x s)
        size = s * (s + b) + b * s
        self.fac_off = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
        self.piv_off = np.concatenate([[0], np.cumsum(s)]).astype(np.int64)
        self.fac = np.empty(int(self.fac_off[-1]))
        self.piv = np.empty(int(self.piv_off[-1]), np.int64)
        self._factor_small(lo, hi, s, b, parent, big, er, ec, ev, estart, cptr, clist)
        self._factor_big(lo, hi, s, b, er, ec, ev, estart, progress)
        self.nnz = len(self.fac)

    # ------------------------------------------------------------------ symbolic
    def bnd(self, i: int) -> np.ndarray:
        """The boundary of node ``i`` (positions in the elimination order)."""
        return self.bpool[self.boff[i]:self.boff[i + 1]]

    # ------------------------------------------------------------------ numeric
    def _factor_small(self, lo, hi, s, b, parent, big, er, ec, ev, estart, cptr, clist):
        """All small nodes in one compiled pass (:func:`numeric.solvers.fronts.factor_small`)."""
        sm = self.small
        roots = sm[(parent[sm] < 0) | big[np.maximum(parent[sm], 0)]]
        exp_off = np.full(len(lo), -1, np.int64)
        exp_off[roots] = np.concatenate([[0], np.cumsum(b[roots] ** 2)[:-1]]) if len(roots) else []
        self.exp = np.zeros(int(np.sum(b[roots] ** 2)))
        self.exp_off = exp_off
        peak = fronts.stack_peak(sm, b, exp_off, cptr, clist)
        mmax = int((s[sm] + b[sm]).max()) if len(sm) else 1
        bad = fronts.factor_small(sm, lo, hi, self.boff, self.bpool, estart, er, ec, ev, cptr, clist, self.fac_off,
                                  self.fac, self.piv_off, self.piv, exp_off, self.exp, max(peak, 1), mmax)
        if bad:
            raise SolverError(f"multifrontal LU: an exactly zero pivot in a front of {s[bad - 1]} separator unknowns; "
                              "the matrix is singular or needs pivoting across fronts")

    def _update(self, c):
        """The Schur complement of node ``c`` (small: in the export pool; large: kept until used)."""
        if c in self.upd:
            return self.upd.pop(c)
        bc = len(self.bnd(c))
        o = self.exp_off[c]
        return self.exp[o:o + bc * bc].reshape(bc, bc)

    def _factor_big(self, lo, hi, s, b, er, ec, ev, estart, progress):
        """The large nodes one by one: LAPACK ``getrf`` on :math:`F_{ss}`, ``trsm`` for :math:`U_{sb}`
        and :math:`L_{bs}`, one in-place ``dgemm`` for the Schur complement."""
        self.upd = {}
        with bar(len(self.big), "multifrontal LU", progress, unit="front") as pb:
            for i in self.big.tolist():
                si, bi = int(s[i]), int(b[i])
                bnd = self.bnd(i)
                F11, F12, F21, F22 = np.zeros((si, si)), np.zeros((si, bi)), np.zeros((bi, si)), np.zeros((bi, bi))
                e = slice(estart[i], estart[i + 1])
                r, c, v = er[e], ec[e], ev[e]
                r = np.where(r < hi[i], r - lo[i], si + np.searchsorted(bnd, r))
                c = np.where(c < hi[i], c - lo[i], si + np.searchsorted(bnd, c))
                for B, sel, ro, co in ((F11, (r < si) & (c < si), 0, 0), (F12, (r < si) & (c >= si), 0, si),
                                       (F21, (r >= si) & (c < si), si, 0), (F22, (r >= si) & (c >= si), si, si)):
                    B[r[sel] - ro, c[sel] - co] = v[sel]
                for cc in self.children[i]:
                    cb = self.bnd(cc)
                    if len(cb) == 0:
                        continue
                    U = self._update(cc)
                    q = int(np.searchsorted(cb, hi[i]))  # sorted: this separator's unknowns first
                    pos = np.concatenate([cb[:q] - lo[i], si + np.searchsorted(bnd, cb[q:])])
                    fronts.extend_add(F11, F12, F21, F22, np.ascontiguousarray(U), pos, q)
                lu, piv, info = sla.lapack.dgetrf(F11, overwrite_a=1)
                if info > 0:
                    raise SolverError(f"multifrontal LU: an exactly zero pivot in a front of {si} separator "
                                      "unknowns; the matrix is singular or needs pivoting across fronts")
                perm = np.arange(si)
                for k, p in enumerate(piv.tolist()):
                    if p != k:
                        perm[k], perm[p] = perm[p], perm[k]
                U12 = sla.solve_triangular(lu, F12[perm], lower=True, unit_diagonal=True, check_finite=False)
                L21 = sla.solve_triangular(lu, F21.T, trans="T", lower=False, check_finite=False).T
                o = self.fac_off[i]
                rows = self.fac[o:o + si * (si + bi)].reshape(si, si + bi)
                rows[:, :si], rows[:, si:] = lu, U12
                self.fac[o + si * (si + bi):self.fac_off[i + 1]] = L21.ravel()
                self.piv[self.piv_off[i]:self.piv_off[i + 1]] = piv
                if bi:
                    # F22 - L21 U12 in place, on the transposes (C-ordered arrays are Fortran-ordered transposes)
                    self.upd[i] = sla.blas.dgemm(-1.0, U12.T, L21.T, 1.0, F22.T, overwrite_c=1).T
                pb.update(1)
        self.upd = {}
        self.exp = None

    # ------------------------------------------------------------------ solves
    def solve(self, y: np.ndarray, trans: str = "N") -> np.ndarray:
        """``A^{-1} y`` (``trans="T"``: ``A^{-T} y``) for ``y`` of shape ``(n,)`` or ``(n, k)``
        (compiled sweeps over every node, :mod:`numeric.solvers.fronts`)."""
        if trans not in ("N", "T"):
            raise ValueError(f"trans={trans!r}: 'N' or 'T'")
        y = np.asarray(y, dtype=float)
        vec = y.ndim == 1
        Y = np.ascontiguousarray(y[self.perm, None] if vec else y[self.perm])
        args = (self.lo, self.hi, self.boff, self.bpool, self.fac_off, self.fac)
        if trans == "N":
            fronts.forward(*args, self.piv_off, self.piv, Y)
            fronts.backward(*args, Y)
        else:
            fronts.forward_t(*args, Y)
            fronts.backward_t(*args, self.piv_off, self.piv, Y)
        x = np.empty_like(Y)
        x[self.perm] = Y
        return x[:, 0] if vec else x
