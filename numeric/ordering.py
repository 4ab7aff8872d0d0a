"""Fill-reducing orderings for the sparse steady-state solves."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sps

__all__ = ["nested_dissection"]


def nested_dissection(A: sps.spmatrix, X: np.ndarray, last: int, leaf: int = 64):
    r"""Geometric nested dissection of the unknowns on their lattice coordinates ``X`` (n x d
    integers), or ``None`` if the couplings are not local (a coupling spans more than 8 sites).

    The width of a separating slab along an axis is the largest coupling distance along it; the
    recursion bisects along the axis with the largest extent/width.  On the two-dimensional
    (m, n) grid of a collective spin this gives fill :math:`O(n\log n)` instead of the
    :math:`O(n^{3/2})` of a band ordering.  Unknown ``last`` (the trace row) is ordered last;
    with ``None`` returned the caller falls back to SuperLU's minimum-degree ordering.
    """
    coo = A.tocoo()
    m = (coo.row != last) & (coo.col != last)
    dist = np.abs(X[coo.row[m]] - X[coo.col[m]])
    width = np.maximum(dist.max(axis=0), 1) if dist.size else np.ones(X.shape[1], dtype=np.int64)
    if np.any(width > 8):
        return None
    out = []

    def rec(idx):
        if len(idx) <= leaf:
            out.append(idx)
            return
        sub = X[idx]
        ext = (sub.max(axis=0) - sub.min(axis=0)) / width
        ax = int(np.argmax(ext))
        if ext[ax] <= 2:
            out.append(idx)
            return
        c = sub[:, ax]
        med = int(np.median(c))
        w = int(width[ax])
        left, right = idx[c < med], idx[c >= med + w]
        sep = idx[(c >= med) & (c < med + w)]
        if len(left) == 0 or len(right) == 0:
            out.append(idx)
            return
        rec(left)
        rec(right)
        out.append(sep)

    idx = np.arange(A.shape[0])
    rec(idx[idx != last])  # depth ~ log2(n / leaf)
    out.append(np.array([last]))
    return np.concatenate(out)
