"""Sums of Kronecker products of sparse matrices, built directly in sorted CSR form.

:func:`kron_sum` returns :math:`\\sum_t s_t\\, C_t\\otimes X_t` for square :math:`n\\times n` factors
(row and column :math:`(b, a)` at :math:`bn + a`) without forming the products one by one: no
intermediate COO arrays, no sparse additions and no sort.  The outer factors :math:`C_t` give a
sparse pattern of :math:`n\\times n` blocks; the block :math:`(b, b')` is :math:`\\sum_t s_t
C_t[b, b'] X_t`, whose pattern is the union of the :math:`X_t` present there.  Block rows
:math:`b` with the same sequence of such sets share one layout of their :math:`n` rows, so each
is filled with dense outer products and put in CSR order by one column permutation.

Each entry is :math:`(\\ldots(s_0 c_0 x_0 + s_1 c_1 x_1) + \\ldots)` in the order of the terms,
:math:`s_t (c_t x_t)` computed as ``(c * x) * s``: the values of
``sps.kron(C_0, X_0) * s_0 + sps.kron(C_1, X_1) * s_1 + ...``, bit for bit.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import scipy.sparse as sps

__all__ = ["kron_sum"]

_CHUNK = 1 << 19  # entries of the output filled per step (bounds the temporaries)


def _canonical(M: sps.spmatrix) -> sps.coo_matrix:
    M = sps.csr_matrix(M, dtype=complex, copy=True)
    M.sum_duplicates()
    return M.tocoo()


def kron_sum(terms: Sequence[tuple], n: int) -> sps.csr_matrix:
    r""":math:`\sum_t s_t\,(C_t\otimes X_t)` as a complex CSR matrix of shape :math:`(n^2, n^2)`.

    ``terms`` is a sequence of ``(C, X, s)``: sparse :math:`n\times n` matrices and a scalar
    factor (``None`` for 1).  The result has sorted column indices and no duplicates; stored
    entries of the factors whose products sum to zero are kept as explicit zeros.
    """
    N = n * n
    terms = [(_canonical(C), _canonical(X), s) for C, X, s in terms]
    terms = [t for t in terms if t[0].nnz and t[1].nnz]
    if not terms:
        return sps.csr_matrix((N, N), dtype=complex)
    nt = len(terms)
    # outer pattern: union of the C_t in CSR order; per entry the coefficients and the set of terms
    ckeys = [C.row.astype(np.int64) * n + C.col for C, _, _ in terms]
    okeys = np.unique(np.concatenate(ckeys))
    coef = np.zeros((nt, len(okeys)), dtype=complex)
    mask = np.zeros(len(okeys), dtype=np.int64)
    for t, ((C, _, _), k) in enumerate(zip(terms, ckeys)):
        at = np.searchsorted(okeys, k)
        coef[t, at] = C.data
        mask[at] |= 1 << t
    ob, obp = okeys // n, okeys % n
    optr = np.searchsorted(ob, np.arange(n + 1))
    # inner pattern of each set of terms: the union of their X_t, its entries grouped by the terms
    # present there (each group a contiguous range holding the values of its terms)
    xkeys = [X.row.astype(np.int64) * n + X.col for _, X, _ in terms]
    inner = {}
    for s in np.unique(mask).tolist():
        ts = [t for t in range(nt) if s >> t & 1]
        pk = np.unique(np.concatenate([xkeys[t] for t in ts]))
        member = np.zeros(len(pk), dtype=np.int64)
        at = {t: np.searchsorted(pk, xkeys[t]) for t in ts}
        for t in ts:
            member[at[t]] |= 1 << t
        order = np.argsort(member, kind="stable")
        where = np.empty(len(pk), dtype=np.int64)
        where[order] = np.arange(len(pk))
        member = member[order]
        cuts = np.flatnonzero(np.diff(member)) + 1
        segments = []
        for g0, g1 in zip([0, *cuts.tolist()], [*cuts.tolist(), len(pk)]):
            vals = []
            for t in ts:
                if member[g0] >> t & 1:
                    v = np.empty(g1 - g0, dtype=complex)
                    w = where[at[t]]
                    sel = (w >= g0) & (w < g1)
                    v[w[sel] - g0] = terms[t][1].data[sel]
                    vals.append((t, v))
            segments.append((g0, g1, vals))
        pk = pk[order]
        inner[s] = (pk // n, pk % n, segments)
    # block rows b with the same sequence of sets (b' ascending) share the layout of rows (b, a)
    groups: dict = {}
    for b in range(n):
        groups.setdefault(tuple(mask[optr[b]:optr[b + 1]].tolist()), []).append(b)
    rowcnt = np.zeros((n, n), dtype=np.int64)
    layouts = []
    for key, rows in groups.items():
        if not key:
            continue
        rows = np.array(rows)
        # the entries of one block row, grouped by outer entry r then inner entry; ``perm`` puts
        # them in CSR order (a, then b', then a')
        r_of = np.concatenate([np.full(len(inner[s][0]), r) for r, s in enumerate(key)])
        a_of = np.concatenate([inner[s][0] for s in key])
        c_of = np.concatenate([inner[s][1] for s in key])
        perm = np.lexsort((c_of, r_of, a_of))
        starts = np.cumsum([0] + [len(inner[s][0]) for s in key]).tolist()
        rowcnt[rows] = np.bincount(a_of, minlength=n)[None, :]
        parts = [(r, starts[r], starts[r + 1], inner[s][1], inner[s][2]) for r, s in enumerate(key)]
        # banded outer pattern (b' - b fixed for each r over the group): column indices b n + template
        shift = np.stack([obp[optr[rows] + r] - rows for r in range(len(key))])
        template = None
        if np.all(shift == shift[:, :1]):
            template = (shift[r_of, 0] * n + c_of)[perm]
        layouts.append((rows, perm, parts, template))
    nnz = int(rowcnt.sum())
    it = np.int32 if max(N, nnz) <= np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(N + 1, dtype=it)
    np.cumsum(rowcnt.ravel(), out=indptr[1:])
    del rowcnt
    indices = np.empty(nnz, dtype=it)
    data = np.empty(nnz, dtype=complex)
    for rows, perm, parts, template in layouts:
        width = len(perm)
        step = max(1, _CHUNK // width)
        for c0 in range(0, len(rows), step):
            b = rows[c0:c0 + step]
            val = np.empty((len(b), width), dtype=complex)
            ind = None if template is not None else np.empty((len(b), width), dtype=it)
            for r, p0, p1, cols, segments in parts:
                o = optr[b] + r
                if ind is not None:
                    np.add((obp[o] * n)[:, None], cols[None, :], out=ind[:, p0:p1])
                for g0, g1, vals in segments:
                    blk = val[:, p0 + g0:p0 + g1]
                    for k, (t, v) in enumerate(vals):
                        c, scale = coef[t, o][:, None], terms[t][2]
                        if scale is None and not k:
                            np.multiply(c, v[None, :], out=blk)
                            continue
                        term = c * v[None, :]
                        if scale is not None:
                            term *= scale
                        if k:
                            blk += term
                        else:
                            blk[...] = term
            start = indptr[b * n].astype(np.int64)
            if np.all(np.diff(b) == 1):  # consecutive block rows: one contiguous stretch of the output
                s0, s1 = int(start[0]), int(start[0]) + val.size
                if ind is None:
                    np.add((b * n)[:, None], template[None, :], out=indices[s0:s1].reshape(val.shape), casting="unsafe")
                else:
                    np.take(ind, perm, axis=1, out=indices[s0:s1].reshape(val.shape), mode="clip")
                np.take(val, perm, axis=1, out=data[s0:s1].reshape(val.shape), mode="clip")
            else:
                pos = (start[:, None] + np.arange(width)[None, :]).ravel()
                indices[pos] = ((b * n)[:, None] + template[None, :] if ind is None else np.take(ind, perm, axis=1)).ravel()
                data[pos] = np.take(val, perm, axis=1).ravel()
    out = sps.csr_matrix((data, indices, indptr), shape=(N, N))
    out.has_canonical_format = True
    return out
