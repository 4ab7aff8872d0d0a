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

Threads: disjoint subtrees touch disjoint parts of the factors, so below the top few levels of the
tree (:meth:`FrontalLU._split`) each subtree is one task, factorised in a thread of its own (the
kernels release the GIL); a node of the top runs once its children are done, its Schur complements
handed over in slots outside the threads' stacks.  The sweeps run the subtrees the same way
(forward: each thread but one subtracts into its own copy of the top rows, summed afterwards).
BLAS itself is called single-threaded or not as the process has set it (``OPENBLAS_NUM_THREADS``).
"""
from __future__ import annotations

import ctypes
import os
import queue
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import numpy as np
import scipy.sparse as sps
from numba.extending import get_cython_function_address

from numeric.core.errors import SolverError
from numeric.core.ordering import SeparatorTree
from numeric.core.progress import bar
from numeric.solvers import fronts

__all__ = ["FrontalLU", "BIG_FRONT", "MAX_THREADS", "default_threads"]

#: fronts of at least this many rows (separator + boundary) go to LAPACK
BIG_FRONT = 160
#: the most threads :class:`FrontalLU` uses by default
MAX_THREADS = 8


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

    ``threads`` (default: the cores this process may use, at most :data:`MAX_THREADS`): the subtrees
    below the top of the tree (:meth:`_split`) are factorised and swept concurrently, one per thread;
    the factors do not depend on it (bit for bit), the solves only to rounding.
    """

    def __init__(self, A: sps.spmatrix, tree: SeparatorTree, *, ordered: bool = False, progress: bool = False,
                 threads: int | None = None):
        n = A.shape[0]
        if A.shape != (n, n) or len(tree.perm) != n:
            raise ValueError(f"FrontalLU: A has shape {A.shape}, the tree orders {len(tree.perm)} unknowns")
        self.threads = default_threads() if threads is None else int(threads)
        if self.threads < 1:
            raise ValueError(f"FrontalLU: threads={threads!r}, at least 1")
        self.n, self.perm = n, np.asarray(tree.perm, dtype=np.int64)
        Ac = sps.csc_matrix(A if ordered else sps.csr_matrix(A)[self.perm][:, self.perm])  # no copy if CSC
        if not Ac.has_canonical_format:
            Ac = Ac.copy()
            Ac.sum_duplicates()
        lo = np.asarray(tree.bounds[:-1], dtype=np.int64)
        hi = np.asarray(tree.bounds[1:], dtype=np.int64)
        nn = len(lo)
        self.lo, self.hi = lo, hi
        # every entry belongs to the node that eliminates the first of its row and column; the kernels read
        # the CSC arrays through `eo` (int32 below 2**31 entries: a quarter of a sorted copy of the entries)
        itype = np.int32 if max(Ac.nnz, n) < 2**31 else np.int64
        c = np.repeat(np.arange(n, dtype=itype), np.diff(Ac.indptr))
        node = np.repeat(np.arange(nn, dtype=itype), hi - lo)[np.minimum(Ac.indices, c)]
        eo = np.argsort(node, kind="stable").astype(itype)
        ec = c[eo]
        estart = np.searchsorted(node[eo], np.arange(nn + 1))
        rows, vals = Ac.indices, np.asarray(Ac.data, dtype=float)
        del c, node
        cptr, clist = tree.child_ptr, tree.child_list
        self.boff, self.bpool = fronts.boundaries(lo, hi, estart, eo, ec, rows, cptr, clist)
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
        self.nnz = len(self.fac)
        m = s + b
        mmax = int(m.max()) if nn else 1
        mmax_small = int(m[~big].max()) if np.any(~big) else 1
        first = fronts.subtree_first(cptr, clist)
        flops = s ** 3 / 1.5 + 2.0 * s * s * b + 2.0 * s * b * b
        self.subtrees, self.top = self._split(flops, first, cptr, clist)
        self.top_nodes = np.asarray(self.top, dtype=np.int64)  # postorder
        self.top_rows = (np.concatenate([np.arange(lo[i], hi[i]) for i in self.top]) if len(self.top)
                         else np.zeros(0, np.int64))
        # the sweeps: the subtrees in `threads` groups of about equal factor entries (largest first), each
        # group as its nodes (every subtree in postorder) and the contiguous ranges of its unknowns
        csize = np.concatenate([[0], np.cumsum(size)])
        load = np.zeros(self.threads)
        groups = [[] for _ in range(self.threads)]
        for j in sorted(self.subtrees, key=lambda j: -(csize[j + 1] - csize[first[j]])):
            g = int(np.argmin(load))
            load[g] += csize[j + 1] - csize[first[j]]
            groups[g].append(j)
        self.groups = [(np.concatenate([np.arange(first[j], j + 1) for j in g]),
                        [(int(lo[first[j]]), int(hi[j])) for j in g]) for g in groups if g]
        # Schur complements: a slot in `handed` per subtree root and top node (they outlive their task);
        # the insides of the subtrees on one stack per thread (in `local`)
        keep = np.concatenate([self.subtrees, self.top]).astype(np.int64)
        slots = _Slots(int(np.sum(b[keep] ** 2)))  # first fit: only the live complements' pages are touched
        slot = {}
        inner = max([int(fronts.stack_peak(b, cptr, clist, np.arange(first[j], j + 1))) for j in self.subtrees] + [1])
        handed = np.empty(slots.size)  # the complements of subtree roots and top nodes
        # what only the subtrees read: their stacks (one per thread) and the entry order; the top nodes'
        # entries are copied out, and the rest is dropped once the last subtree is done (the memory peak
        # is at the end, when the top's factors are written)
        local = {"stack": np.empty(self.threads * inner), "eo": eo, "ec": ec}
        top_nodes = self.top_nodes
        top_estart = np.zeros(nn + 1, np.int64)
        counts = estart[top_nodes + 1] - estart[top_nodes]
        top_estart[top_nodes] = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        top_estart[top_nodes + 1] = top_estart[top_nodes] + counts
        pick = (np.concatenate([np.arange(estart[i], estart[i + 1]) for i in top_nodes]) if len(top_nodes)
                else np.zeros(0, np.int64))
        top_eo, top_ec = eo[pick], ec[pick]
        del eo, ec, pick
        upd_off = np.full(nn, -1, np.int64)
        scratch = queue.SimpleQueue()  # (base of a thread's stack, its work array for the large fronts)
        for k in range(self.threads):
            scratch.put((k * inner, np.empty(0)))

        def task(j: int) -> int:
            base, work = scratch.get()
            try:
                sub = j in subtree_set
                nodes = np.arange(first[j], j + 1) if sub else np.array([j])
                need = int(np.max(m[nodes] ** 2 * big[nodes]))
                if len(work) < need:  # grown to the largest front the thread has met
                    work = np.empty(need)
                if sub:
                    stack, own, ent = local["stack"], base, (estart, local["eo"], local["ec"])
                else:
                    stack, own, ent = handed, slot[j], (top_estart, top_eo, top_ec)
                bad, _ = fronts.factor(nodes, own, big, lo, hi, self.boff, self.bpool, *ent, rows, vals, cptr,
                                       clist, self.fac_off, self.fac, self.piv_off, self.piv, stack, upd_off, own,
                                       mmax_small, mmax, work, LAPACK)
                if not bad and sub and b[j]:  # the root's complement: out of the thread's stack
                    handed[slot[j]:slot[j] + b[j] ** 2] = stack[base:base + b[j] ** 2]
                    upd_off[j] = slot[j]
                return bad
            finally:
                scratch.put((base, work))

        subtree_set = set(self.subtrees)
        kids = {i: clist[cptr[i]:cptr[i + 1]].tolist() for i in self.top}
        parent = {cc: i for i in self.top for cc in kids[i]}
        waiting = {i: len(kids[i]) for i in self.top}
        ready = list(self.subtrees)  # largest first
        left = len(self.subtrees)
        with bar(len(keep), "multifrontal LU", progress, unit="part") as pb, \
                ThreadPoolExecutor(self.threads) as pool:
            running = {}
            while ready or running:
                while ready and len(running) < self.threads:
                    j = ready.pop(0)
                    slot[j] = slots.take(int(b[j]) ** 2)
                    running[pool.submit(task, j)] = j
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for f in done:
                    j = running.pop(f)
                    bad = f.result()
                    if bad:
                        raise SolverError(f"multifrontal LU: an exactly zero pivot in a front of {s[bad - 1]} "
                                          "separator unknowns; the matrix is singular or needs pivoting across fronts")
                    pb.update(1)
                    left -= j in subtree_set
                    if not left:
                        local.clear()
                    for cc in kids.get(j, ()):
                        slots.give(slot.pop(cc), int(b[cc]) ** 2)  # consumed by j
                    p = parent.get(j)
                    if p is not None:
                        waiting[p] -= 1
                        if waiting[p] == 0:
                            ready.insert(0, p)  # the top of the tree is the critical path

    def _split(self, flops: np.ndarray, first: np.ndarray, cptr: np.ndarray, clist: np.ndarray) -> tuple[list, list]:
        """``(subtrees, top)``: whole subtrees (their roots, most work first), each one task of at most
        ``1 / (3 threads)`` of the flops where the tree allows, and the nodes above them (postorder)."""
        nn = len(flops)
        if nn == 0:
            return [], []
        cum = np.concatenate([[0.0], np.cumsum(flops)])
        work = cum[np.arange(1, nn + 1)] - cum[first]
        limit = work[-1] / (3 * self.threads)
        subtrees, top = [nn - 1], []
        while True:
            j = max(subtrees, key=lambda i: work[i])
            kids = clist[cptr[j]:cptr[j + 1]]
            if work[j] <= limit or len(kids) == 0:
                break
            subtrees.remove(j)
            top.append(j)
            subtrees.extend(int(k) for k in kids)
        return sorted(subtrees, key=lambda i: -work[i]), sorted(top)

    # ------------------------------------------------------------------ solves
    def solve(self, y: np.ndarray, trans: str = "N") -> np.ndarray:
        """``A^{-1} y`` (``trans="T"``: ``A^{-T} y``) for ``y`` of shape ``(n,)`` or ``(n, k)``
        (compiled sweeps, :mod:`numeric.solvers.fronts`; the subtrees of :meth:`_split` concurrently)."""
        if trans not in ("N", "T"):
            raise ValueError(f"trans={trans!r}: 'N' or 'T'")
        y = np.asarray(y, dtype=float)
        vec = y.ndim == 1
        Y = np.ascontiguousarray(np.take(y[:, None] if vec else y, self.perm, axis=0))  # take: 3x a fancy index
        args = (self.lo, self.hi, self.boff, self.bpool, self.fac_off, self.fac)
        top = self.top_nodes
        swaps = (self.piv_off, self.piv)
        tail = (self.big, LAPACK)  # the large nodes with BLAS
        if trans == "N":
            self._down(lambda nodes, Z: fronts.forward(nodes, *args, *swaps, Z, *tail), Y)
            fronts.forward(top, *args, *swaps, Y, *tail)
            fronts.backward(top, *args, Y, *tail)
            self._up(lambda nodes: fronts.backward(nodes, *args, Y, *tail))
        else:
            self._down(lambda nodes, Z: fronts.forward_t(nodes, *args, Z, *tail), Y)
            fronts.forward_t(top, *args, Y, *tail)
            fronts.backward_t(top, *args, *swaps, Y, *tail)
            self._up(lambda nodes: fronts.backward_t(nodes, *args, *swaps, Y, *tail))
        x = np.empty_like(Y)
        x[self.perm] = Y
        return x[:, 0] if vec else x

    def _down(self, sweep, Y: np.ndarray) -> None:
        """The forward sweep over the subtrees, a group per thread.  Each subtree writes its own rows and
        subtracts from the rows of the top nodes, which several subtrees share: every group but the
        first works on its own copy of its rows with zeroed top rows, added back afterwards."""
        if len(self.groups) <= 1:
            for nodes, _ in self.groups:
                sweep(nodes, Y)
            return
        copies = []
        for _, ranges in self.groups[1:]:
            Z = np.zeros_like(Y)
            for a, b in ranges:
                Z[a:b] = Y[a:b]
            copies.append(Z)
        with ThreadPoolExecutor(len(self.groups)) as pool:
            futures = [pool.submit(sweep, nodes, Z) for (nodes, _), Z in zip(self.groups, [Y] + copies)]
            for f in futures:
                f.result()
        for (_, ranges), Z in zip(self.groups[1:], copies):
            for a, b in ranges:
                Y[a:b] = Z[a:b]
            Y[self.top_rows] += Z[self.top_rows]

    def _up(self, sweep) -> None:
        """The backward sweep over the subtrees, a group per thread (each reads the top rows and its own
        and writes only its own: nothing shared is written)."""
        if len(self.groups) <= 1:
            for nodes, _ in self.groups:
                sweep(nodes)
            return
        with ThreadPoolExecutor(len(self.groups)) as pool:
            for f in [pool.submit(sweep, nodes) for nodes, _ in self.groups]:
                f.result()


def default_threads() -> int:
    """The cores this process may use (``os.sched_getaffinity``), at most :data:`MAX_THREADS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


class _Slots:
    """First-fit allocation of the Schur complements handed between threads in one region of ``size``
    entries: a complement freed when its parent is done is reused, so that only the live ones' pages
    are ever touched.  (A dozen intervals: a sorted list, no library needed.)"""

    def __init__(self, size: int):
        self.size = size
        self.free = [(0, size)]

    def take(self, k: int) -> int:
        for a, (off, length) in enumerate(self.free):
            if length >= k:
                self.free[a] = (off + k, length - k)
                return off
        # never reached: the region holds every complement at once, and what no hole takes comes off the
        # last interval, which only the complements placed there shrink
        raise MemoryError(f"multifrontal LU: no slot of {k} entries left for a Schur complement")  # pragma: no cover

    def give(self, off: int, k: int) -> None:
        self.free.append((off, k))
        self.free.sort()
        merged = [self.free[0]]
        for o, length in self.free[1:]:
            if merged[-1][0] + merged[-1][1] == o:
                merged[-1] = (merged[-1][0], merged[-1][1] + length)
            else:
                merged.append((o, length))
        self.free = [iv for iv in merged if iv[1] > 0]
