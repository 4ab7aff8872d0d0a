"""Fill-reducing orderings for the sparse steady-state solves."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
from numba import njit

__all__ = ["SeparatorTree", "separator_tree", "nested_dissection", "metis_nested_dissection", "permuted_solve",
           "permuted_csc"]


@dataclass(frozen=True)
class SeparatorTree:
    """A nested-dissection elimination tree in postorder (what :class:`numeric.solvers.frontal.FrontalLU`
    factorises along).

    ``perm`` lists the unknowns in elimination order; node ``i`` eliminates
    ``perm[bounds[i]:bounds[i + 1]]``; its children are ``child_list[child_ptr[i]:child_ptr[i + 1]]``
    (CSR form, int64), nodes before ``i``; the last node is the root.
    """

    perm: np.ndarray
    bounds: np.ndarray
    child_ptr: np.ndarray
    child_list: np.ndarray

    def __post_init__(self):
        for name in ("bounds", "child_ptr", "child_list"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.int64))
        b, ptr, ch = self.bounds, self.child_ptr, self.child_list
        if b.ndim != 1 or len(b) != len(ptr) or b[0] != 0 or b[-1] != len(self.perm):
            raise ValueError("SeparatorTree: bounds must run from 0 to len(perm), as many entries as child_ptr")
        if ptr.ndim != 1 or ch.ndim != 1 or ptr[0] != 0 or ptr[-1] != len(ch) or np.any(np.diff(ptr) < 0):
            raise ValueError("SeparatorTree: child_ptr must rise from 0 to len(child_list)")
        parent = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
        bad = np.flatnonzero((ch < 0) | (ch >= parent))
        if bad.size:
            raise ValueError(f"SeparatorTree: node {int(parent[bad[0]])} has a child that is not before it (postorder)")


def metis_nested_dissection(A: sps.spmatrix, last: int) -> np.ndarray | None:
    r"""Multilevel nested dissection (METIS, through ``pymetis``) of the graph of
    :math:`A + A^T` without unknown ``last`` (the trace row), which is ordered last; ``None`` when
    ``pymetis`` is not installed.

    For a spin plus a cavity the real-form unknowns (:math:`\rho_{mn,m'n'}` folded by Hermiticity)
    are coupled too far apart on their grid for :func:`nested_dissection`; against SuperLU's
    minimum degree on :math:`A + A^T`, which was used there before, METIS cuts the LU fill and time
    of ``open_dicke`` at S = 4, truncation 12 from 5.7e6 to 3.3e6 entries (3.4 s -> 1.1 s) and at
    S = 7, truncation 15 from 9.8e7 to 3.9e7 entries (220 s -> 30 s, loaded machine).
    """
    try:
        import pymetis
    except ImportError:  # pragma: no cover - pymetis is a dependency; fall back quietly
        return None
    G = (abs(A) + abs(A.T)).tocsr()
    keep = np.flatnonzero(np.arange(A.shape[0]) != last)
    G = G[keep][:, keep].tocsr()
    G.setdiag(0)
    G.eliminate_zeros()
    order, _ = pymetis.nested_dissection(adjacency=pymetis.CSRAdjacency(G.indptr, G.indices))
    return np.concatenate([keep[np.asarray(order, dtype=np.int64)], [last]])


def nested_dissection(A: sps.spmatrix, X: np.ndarray, last: int, leaf: int = 64) -> np.ndarray | None:
    """The elimination order of :func:`separator_tree` (``None`` when the couplings are not local)."""
    tree = separator_tree(A, X, last, leaf)
    return None if tree is None else tree.perm


def separator_tree(A: sps.spmatrix, X: np.ndarray, last: int, leaf: int = 64) -> SeparatorTree | None:
    r"""Geometric nested dissection of the unknowns on their lattice coordinates ``X`` (n x d
    integers), or ``None`` if the couplings are not local (a coupling spans more than 8 sites).

    The width of a separating slab along an axis is the largest coupling distance along it; the
    recursion bisects along the axis with the largest extent/width, down to subdomains of at most
    ``leaf`` unknowns.  On the two-dimensional (m, n) grid of a collective spin this gives fill
    :math:`O(n\log n)` instead of the :math:`O(n^{3/2})` of a band ordering.  Unknown ``last`` (the
    trace row) is the root, eliminated last; with ``None`` returned the caller falls back to SuperLU's
    minimum-degree ordering.
    """
    A = sps.csr_matrix(A)
    X = np.ascontiguousarray(X, dtype=np.int64)
    width = _coupling_width(A.indptr, A.indices, X, int(last))
    if np.any(width > 8):
        return None
    idx = np.arange(A.shape[0], dtype=np.int64)
    idx = idx[idx != last]
    ends, kids = _bisect(X, idx, width, int(leaf))
    # children in CSR form (a node has none, one or two; the trace row, appended as the root, has the
    # last node of the bisection as its only child)
    has = kids >= 0
    child_ptr = np.zeros(len(kids) + 2, dtype=np.int64)
    np.cumsum(has.sum(axis=1), out=child_ptr[1:-1])
    child_list = kids[has]  # row by row: the left child, then the right one
    if len(kids):
        child_list = np.append(child_list, len(kids) - 1)
    child_ptr[-1] = len(child_list)
    bounds = np.concatenate([[0], ends, [len(idx) + 1]]).astype(np.int64)
    return SeparatorTree(np.concatenate([idx, [last]]).astype(np.int64), bounds, child_ptr, child_list)


@njit(cache=True)
def _coupling_width(indptr, indices, X, last):  # pragma: no cover - compiled; checked by the tests
    """The largest coupling distance along each axis of ``X`` (at least 1) over the stored entries of a
    CSR matrix, row and column ``last`` left out: one pass, no temporaries (the former per-axis
    ``X[row] - X[col]`` arrays cost 0.18 s at crf S = 1000)."""
    d = X.shape[1]
    w = np.ones(d, np.int64)
    for r in range(len(indptr) - 1):
        if r == last:
            continue
        for e in range(indptr[r], indptr[r + 1]):
            c = indices[e]
            if c == last:
                continue
            for a in range(d):
                v = abs(X[r, a] - X[c, a])
                if v > w[a]:
                    w[a] = v
    return w


@njit(cache=True)
def _bisect(X, idx, width, leaf):  # pragma: no cover - compiled; its result is checked by the tests
    """The recursion of :func:`separator_tree`, compiled (a Python recursion cost 0.5 s at crf
    S = 400): ``idx`` is rearranged in place so that each domain becomes [left | right | separator]
    (the postorder elimination order); returns the end of every node's range in ``idx`` and its two
    children (-1: a leaf), in postorder."""
    n, d = len(idx), X.shape[1]
    ends = np.empty(2 * n + 1, np.int64)
    if n == 0:
        return ends[:0], np.full((0, 2), -1, np.int64)
    kids = np.full((2 * n + 1, 2), -1, np.int64)
    count = 0
    # explicit stack of frames: (lo, hi, state, mid1, mid2, left child, right child)
    stack = np.zeros((128, 7), np.int64)
    stack[0, 0], stack[0, 1] = 0, n
    depth = 1
    tmp = np.empty(n, np.int64)
    while depth:
        f = stack[depth - 1]
        lo, hi, state = f[0], f[1], f[2]
        done = -1
        if state == 0:
            ax, best = 0, -1.0
            for a in range(d):
                mn, mx = X[idx[lo], a], X[idx[lo], a]
                for t in range(lo, hi):
                    v = X[idx[t], a]
                    mn, mx = min(mn, v), max(mx, v)
                e = (mx - mn) / width[a]
                if e > best:
                    ax, best = a, e
            split = hi - lo > leaf and best > 2
            if split:
                c = np.empty(hi - lo, np.int64)
                for t in range(lo, hi):
                    c[t - lo] = X[idx[t], ax]
                med = np.int64(np.median(c))
                w = width[ax]
                nb = na = 0
                for t in range(lo, hi):
                    if c[t - lo] < med:
                        nb += 1
                    elif c[t - lo] >= med + w:
                        na += 1
                split = nb > 0 and na > 0
            if split:  # stable rearrangement: below, above, separator
                pb, pa, ps = lo, lo + nb, lo + nb + na
                for t in range(lo, hi):
                    v = c[t - lo]
                    if v < med:
                        tmp[pb] = idx[t]
                        pb += 1
                    elif v >= med + w:
                        tmp[pa] = idx[t]
                        pa += 1
                    else:
                        tmp[ps] = idx[t]
                        ps += 1
                idx[lo:hi] = tmp[lo:hi]
                f[2], f[3], f[4] = 1, lo + nb, lo + nb + na
                stack[depth, 0], stack[depth, 1], stack[depth, 2] = lo, lo + nb, 0
                depth += 1
                continue
            ends[count] = hi
            done = count
            count += 1
        elif state == 1:
            f[2] = 2
            stack[depth, 0], stack[depth, 1], stack[depth, 2] = f[3], f[4], 0
            depth += 1
            continue
        else:
            ends[count] = hi
            kids[count, 0], kids[count, 1] = f[5], f[6]
            done = count
            count += 1
        depth -= 1
        if depth:
            p = stack[depth - 1]
            p[5 if p[2] == 1 else 6] = done
    return ends[:count], kids[:count]


def permuted_solve(lu: spla.SuperLU, perm: np.ndarray) -> Callable[..., np.ndarray]:
    """``solve(v, trans='N')`` in the original order of the unknowns for a SuperLU factorisation ``lu``
    of ``A[perm][:, perm]`` (a fill-reducing ordering applied before the factorisation)."""
    def solve(v: np.ndarray, trans: str = "N") -> np.ndarray:
        y = lu.solve(np.ascontiguousarray(v[perm]), trans=trans)
        x = np.empty_like(y)
        x[perm] = y
        return x
    return solve


def permuted_csc(A: sps.spmatrix, perm: np.ndarray) -> sps.csc_matrix:
    """``A[perm][:, perm]`` in CSC form with sorted row indices, the values of ``A`` moved bit for bit
    (``A`` without duplicate entries): the rows gathered in the order ``perm``, the column indices
    relabelled, and one CSR -> CSC conversion (which sorts) instead of SciPy's column fancy indexing
    (at crf S = 1000 0.30 s -> 0.23 s, medians in one process)."""
    A = sps.csr_matrix(A)
    n = A.shape[0]
    perm = np.asarray(perm)
    if A.shape != (n, n) or perm.shape != (n,):
        raise ValueError(f"permuted_csc: A has shape {A.shape}, perm {perm.shape}")
    it = A.indices.dtype
    inv = np.empty(n, dtype=it)
    inv[perm] = np.arange(n, dtype=it)
    B = A[perm]
    B = sps.csr_matrix((B.data, inv[B.indices], B.indptr), shape=A.shape)
    return B.tocsc()

