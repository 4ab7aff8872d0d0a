r"""Multifrontal LU of a sparse matrix on a nested-dissection separator tree.

Why not a library: the sparse direct solvers installable by pip on Python 3.11 (SuperLU in SciPy,
UMFPACK in cvxopt, MKL Pardiso through pypardiso) were measured on our crf systems
(``benchmarks/solver_study.py``, docs/benchmarks.md): none beat SuperLU, which runs at about
5 GFlop/s where this machine's single-threaded ``dgetrf`` and ``dgemm`` run at 43 and 77; MUMPS and
scikit-umfpack have no wheels.  This
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

import ctypes

import numpy as np
import scipy.sparse as sps
from numba.extending import get_cython_function_address

from numeric.core.errors import SolverError
from numeric.core.ordering import SeparatorTree
from numeric.core.progress import bar
from numeric.solvers import fronts

__all__ = ["FrontalLU", "BIG_FRONT"]

#: fronts of at least this many rows (separator + boundary) go to LAPACK
BIG_FRONT = 160


def _lapack(name: str, nargs: int, module: str = "scipy.linalg.cython_lapack"):
    """A LAPACK/BLAS routine of SciPy's Cython interface as a ctypes function (Fortran convention:
    every argument a pointer), callable from the compiled kernels."""
    return ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * nargs))(get_cython_function_address(module, name))


#: ``dgetrf``, ``dlaswp``, ``dtrsm``, ``dgemm`` for :func:`numeric.solvers.fronts.factor` (called in place on
#: the front, with its size as leading dimension: no copies, no Python per front)
LAPACK = (_lapack("dgetrf", 6), _lapack("dlaswp", 7), _lapack("dtrsm", 11, "scipy.linalg.cython_blas"),
          _lapack("dgemm", 13, "scipy.linalg.cython_blas"))


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
        r, c = Ap.row, Ap.col  # int32 (SciPy's index type below 2**31 entries): half the memory of int64
        node = np.repeat(np.arange(nn, dtype=np.int32 if nn < 2**31 else np.int64), hi - lo)[np.minimum(r, c)]
        order = np.argsort(node, kind="stable")
        er, ec, ev = r[order], c[order], Ap.data[order].astype(float)
        estart = np.searchsorted(node[order], np.arange(nn + 1))
        del Ap, r, c, order, node
        cptr, clist = tree.child_ptr, tree.child_list
        self.boff, self.bpool = fronts.boundaries(lo, hi, estart, er, ec, cptr, clist)
        if self.boff[-1] < 0:
            raise ValueError("FrontalLU: the tree is not a separator tree (a subtree couples to unknowns "
                             "outside its ancestors)")
        s, b = hi - lo, np.diff(self.boff)
        big = (s + b) >= BIG_FRONT
        self.big = big
        # one pool for the factors of every node: rows [L\U | U_sb] (s x m), then L_bs (b x s)
        size = s * (s + b) + b * s
        self.fac_off = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
        self.piv_off = np.concatenate([[0], np.cumsum(s)]).astype(np.int64)
        self.fac = np.empty(int(self.fac_off[-1]))
        self.piv = np.empty(int(self.piv_off[-1]), np.int64)
        m = s + b
        mmax = int(m.max()) if nn else 1
        mmax_small = int(m[~big].max()) if np.any(~big) else 1
        mmax_big = int(m[big].max()) if np.any(big) else 0
        stack = np.empty(max(int(fronts.stack_peak(b, cptr, clist)), 1))
        upd_off = np.full(nn, -1, np.int64)
        work = np.empty(mmax_big * mmax_big)
        # progress in chunks of about equal work (the flops of the fronts)
        flops = np.cumsum(s ** 3 / 1.5 + 2.0 * s * s * b + 2.0 * s * b * b)
        chunks = 1 if not progress or nn == 0 else 50
        ends = np.unique(np.append(np.searchsorted(flops, flops[-1] * np.arange(1, chunks) / chunks) + 1, nn)).clip(1, nn)
        top, i0 = 0, 0
        with bar(len(ends), "multifrontal LU", progress, unit="part") as pb:
            for i1 in ends:
                bad, top = fronts.factor(i0, int(i1), big, lo, hi, self.boff, self.bpool, estart, er, ec, ev, cptr, clist,
                                         self.fac_off, self.fac, self.piv_off, self.piv, stack, upd_off, top, mmax_small,
                                         mmax, work, LAPACK)
                if bad:
                    raise SolverError(f"multifrontal LU: an exactly zero pivot in a front of {s[bad - 1]} separator "
                                      "unknowns; the matrix is singular or needs pivoting across fronts")
                i0 = int(i1)
                pb.update(1)
        self.nnz = len(self.fac)

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
