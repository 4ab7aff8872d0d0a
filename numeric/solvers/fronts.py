r"""Compiled (numba) kernels for the many small fronts at the bottom of the multifrontal LU.

Why compiled: the fronts below ~150 rows hold most of the nodes and about half the entries of a
nested-dissection factorisation (crf S = 600: 64 000 fronts of 10-150 rows); stacked NumPy
operations on them cost 10-30 ns per entry and pass, where a loop costs about one.  Each kernel walks
the small nodes in postorder (children before parents) exactly as :mod:`numeric.solvers.frontal`
does for the large fronts with LAPACK, and stores the same factors:

* the front :math:`F` (original entries plus the children's Schur complements, extend-add) is
  partially factorised with row pivoting inside the separator block,
  :math:`P F_{ss} = L_{ss}U_{ss}`, :math:`U_{sb} = L_{ss}^{-1}PF_{sb}`,
  :math:`L_{bs} = F_{bs}U_{ss}^{-1}`, and :math:`S = F_{bb} - L_{bs}U_{sb}` goes to the parent;
* per node the pool ``fac`` holds :math:`L_{ss}\backslash U_{ss}` (s x s), :math:`U_{sb}` (s x b),
  :math:`L_{bs}` (b x s) from ``fac_off[i]``; ``piv`` the LAPACK-style row swaps from ``piv_off[i]``.

Schur complements of nodes whose parent is small live on a stack (postorder consumes them in
order); those of subtree roots (parent large) are written to ``exp`` at ``exp_off[i]``.
Positions are those of the elimination order; node ``i`` eliminates ``lo[i]..hi[i]-1`` and its
boundary (sorted) is ``bpool[boff[i]:boff[i+1]]``.
"""
from __future__ import annotations

import numpy as np
from numba import njit

#: reassociation (SIMD dot products) and fused multiply-add; no assumptions about NaN or infinities
FAST = {"reassoc", "contract"}

__all__ = ["boundaries", "stack_peak", "factor_small", "extend_add", "forward", "backward", "forward_t", "backward_t"]


@njit(cache=True)
def _local(p, lo, hi, bnd):
    if p < hi:
        return p - lo
    return hi - lo + np.searchsorted(bnd, p)


@njit(cache=True)
def boundaries(lo: np.ndarray, hi: np.ndarray, estart: np.ndarray, er: np.ndarray, ec: np.ndarray, cptr: np.ndarray,
               clist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(boff, bpool)``: the boundary of every node in postorder, the unknowns at or after ``hi[i]``
    coupled to its separator by an entry it owns or on a child's boundary (sorted, no repeats);
    ``boff[-1] == -1`` when a child's boundary reaches below its parent (not a separator tree)."""
    nn = len(lo)
    n = hi[nn - 1] if nn else 0
    mark = np.full(n, -1, np.int64)
    boff = np.zeros(nn + 1, np.int64)
    bpool = np.empty(max(16, 4 * n), np.int64)
    buf = np.empty(n, np.int64)
    for i in range(nn):
        k = 0
        for e in range(estart[i], estart[i + 1]):
            for p in (er[e], ec[e]):
                if p >= hi[i] and mark[p] != i:
                    mark[p] = i
                    buf[k] = p
                    k += 1
        for t in range(cptr[i], cptr[i + 1]):
            c = clist[t]
            for q in range(boff[c], boff[c + 1]):
                p = bpool[q]
                if p >= hi[i] and mark[p] != i:
                    mark[p] = i
                    buf[k] = p
                    k += 1
                elif p < lo[i]:
                    boff[nn] = -1  # not a separator tree: the caller raises
                    return boff, bpool[:0]
        if boff[i] + k > len(bpool):
            grown = np.empty(2 * (boff[i] + k), np.int64)
            grown[:boff[i]] = bpool[:boff[i]]
            bpool = grown
        bpool[boff[i]:boff[i] + k] = np.sort(buf[:k])
        boff[i + 1] = boff[i] + k
    return boff, bpool[:boff[nn]]


@njit(cache=True)
def stack_peak(order: np.ndarray, nb: np.ndarray, exp_off: np.ndarray, cptr: np.ndarray, clist: np.ndarray) -> int:
    """The largest size of the stack of Schur complements during :func:`factor_small`."""
    top = 0
    peak = 0
    for i in order:
        for t in range(cptr[i], cptr[i + 1]):
            c = clist[t]
            if exp_off[c] < 0:
                top -= nb[c] * nb[c]
        if exp_off[i] < 0:
            top += nb[i] * nb[i]
            if top > peak:
                peak = top
    return peak


@njit(cache=True)
def factor_small(order: np.ndarray, lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray,
                 estart: np.ndarray, er: np.ndarray, ec: np.ndarray, ev: np.ndarray, cptr: np.ndarray,
                 clist: np.ndarray, fac_off: np.ndarray, fac: np.ndarray, piv_off: np.ndarray, piv: np.ndarray,
                 exp_off: np.ndarray, exp: np.ndarray, stack_cap: int, mmax: int) -> int:
    """Factorise the small nodes ``order`` (postorder); returns 0, or 1 + the node with an exactly
    zero pivot."""
    nn = len(lo)
    F = np.zeros((mmax, mmax))
    pos = np.zeros(mmax, np.int64)
    stack = np.empty(stack_cap)
    upd_off = np.full(nn, -1, np.int64)
    top = 0
    for i in order:
        s = hi[i] - lo[i]
        bnd = bpool[boff[i]:boff[i + 1]]
        b = len(bnd)
        m = s + b
        for a in range(m):
            for c in range(m):
                F[a, c] = 0.0
        for e in range(estart[i], estart[i + 1]):
            F[_local(er[e], lo[i], hi[i], bnd), _local(ec[e], lo[i], hi[i], bnd)] = ev[e]
        low = top
        for t in range(cptr[i], cptr[i + 1]):
            c = clist[t]
            cb = bpool[boff[c]:boff[c + 1]]
            w = len(cb)
            q = 0
            for a in range(w):
                p = cb[a]
                if p < hi[i]:
                    pos[a] = p - lo[i]
                else:
                    while bnd[q] < p:
                        q += 1
                    pos[a] = s + q
            off = upd_off[c]
            if w and off < low:
                low = off
            for a in range(w):
                pa = pos[a]
                for c2 in range(w):
                    F[pa, pos[c2]] += stack[off + a * w + c2]
        top = low  # the children's complements were the top of the stack
        # LU of F_ss with row pivoting, the swaps and L applied to F_sb (U_sb), then L_bs = F_bs U^-1
        for k in range(s):
            p = k
            big = abs(F[k, k])
            for r in range(k + 1, s):
                if abs(F[r, k]) > big:
                    big, p = abs(F[r, k]), r
            if big == 0.0:
                return i + 1
            piv[piv_off[i] + k] = p
            if p != k:
                for c in range(m):
                    F[k, c], F[p, c] = F[p, c], F[k, c]
            inv = 1.0 / F[k, k]
            for r in range(k + 1, s):
                lr = F[r, k] * inv
                F[r, k] = lr
                if lr != 0.0:
                    for c in range(k + 1, m):
                        F[r, c] -= lr * F[k, c]
        if b:
            L21 = np.empty((b, s))
            U12 = np.empty((s, b))
            for a in range(s):
                for c in range(b):
                    U12[a, c] = F[a, s + c]
            for a in range(b):
                for k in range(s):
                    x = F[s + a, k]
                    for c in range(k):
                        x -= L21[a, c] * F[c, k]
                    L21[a, k] = x / F[k, k]
            S = np.dot(L21, U12)  # BLAS dgemm: the 2 b^2 s flops that dominate
            for a in range(b):
                for k in range(s):
                    F[s + a, k] = L21[a, k]
                for c in range(b):
                    F[s + a, s + c] -= S[a, c]
        o = fac_off[i]
        for a in range(s):
            for c in range(m):
                fac[o + a * m + c] = F[a, c]  # rows of [L\U | U_sb]: s x m
        o += s * m
        for a in range(b):
            for c in range(s):
                fac[o + a * s + c] = F[s + a, c]
        if b:
            if exp_off[i] >= 0:
                dst, o2 = exp, exp_off[i]
            else:
                dst, o2 = stack, top
                upd_off[i] = top
                top += b * b
            for a in range(b):
                for c in range(b):
                    dst[o2 + a * b + c] = F[s + a, s + c]
    return 0


@njit(cache=True)
def extend_add(F11: np.ndarray, F12: np.ndarray, F21: np.ndarray, F22: np.ndarray, U: np.ndarray, pos: np.ndarray,
               q: int) -> None:
    """A child's Schur complement ``U`` added into the four blocks of a large front; ``pos`` are the
    front positions of its rows/columns (increasing: the first ``q`` in the separator)."""
    s = F11.shape[0]
    w = len(pos)
    for a in range(w):
        pa = pos[a]
        if a < q:
            for c in range(q):
                F11[pa, pos[c]] += U[a, c]
            for c in range(q, w):
                F12[pa, pos[c] - s] += U[a, c]
        else:
            for c in range(q):
                F21[pa - s, pos[c]] += U[a, c]
            for c in range(q, w):
                F22[pa - s, pos[c] - s] += U[a, c]


@njit(cache=True, fastmath=FAST)
def forward(lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
            fac: np.ndarray, piv_off: np.ndarray, piv: np.ndarray, Y: np.ndarray) -> None:
    r"""Every node in postorder: :math:`y_s \leftarrow L_{ss}^{-1}Py_s`, :math:`y_b \mathrel{-}= L_{bs}y_s`."""
    r = Y.shape[1]
    for i in range(len(lo)):
        s, l0 = hi[i] - lo[i], lo[i]
        bnd = bpool[boff[i]:boff[i + 1]]
        b = len(bnd)
        m = s + b
        o = fac_off[i]
        for k in range(s):
            p = piv[piv_off[i] + k]
            if p != k:
                for c in range(r):
                    Y[l0 + k, c], Y[l0 + p, c] = Y[l0 + p, c], Y[l0 + k, c]
        for c in range(r):
            for a in range(1, s):
                x = Y[l0 + a, c]
                row = o + a * m
                for k in range(a):
                    x -= fac[row + k] * Y[l0 + k, c]
                Y[l0 + a, c] = x
            o2 = o + s * m
            for a in range(b):
                x = 0.0
                row = o2 + a * s
                for k in range(s):
                    x += fac[row + k] * Y[l0 + k, c]
                Y[bnd[a], c] -= x


@njit(cache=True, fastmath=FAST)
def backward(lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
             fac: np.ndarray, Y: np.ndarray) -> None:
    r"""Every node in reverse postorder: :math:`x_s = U_{ss}^{-1}(y_s - U_{sb}x_b)`."""
    r = Y.shape[1]
    for i in range(len(lo) - 1, -1, -1):
        s, l0 = hi[i] - lo[i], lo[i]
        bnd = bpool[boff[i]:boff[i + 1]]
        b = len(bnd)
        m = s + b
        o = fac_off[i]
        xb = np.empty(b)
        for c in range(r):
            for q in range(b):
                xb[q] = Y[bnd[q], c]
            for a in range(s - 1, -1, -1):
                row = o + a * m
                x = Y[l0 + a, c]
                for q in range(b):
                    x -= fac[row + s + q] * xb[q]
                for k in range(a + 1, s):
                    x -= fac[row + k] * Y[l0 + k, c]
                Y[l0 + a, c] = x / fac[row + a]


@njit(cache=True, fastmath=FAST)
def forward_t(lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
              fac: np.ndarray, Y: np.ndarray) -> None:
    r"""Transposed, every node in postorder: :math:`y_s \leftarrow U_{ss}^{-T}y_s`,
    :math:`y_b \mathrel{-}= U_{sb}^Ty_s`."""
    r = Y.shape[1]
    for i in range(len(lo)):
        s, l0 = hi[i] - lo[i], lo[i]
        bnd = bpool[boff[i]:boff[i + 1]]
        b = len(bnd)
        m = s + b
        o = fac_off[i]
        yb = np.empty(b)
        for c in range(r):
            for q in range(b):
                yb[q] = 0.0
            for k in range(s):  # column-oriented on the rows of U: y_k final, then pushed forward
                row = o + k * m
                x = Y[l0 + k, c] / fac[row + k]
                Y[l0 + k, c] = x
                if x != 0.0:
                    for a in range(k + 1, s):
                        Y[l0 + a, c] -= fac[row + a] * x
                    for q in range(b):
                        yb[q] += fac[row + s + q] * x
            for q in range(b):
                Y[bnd[q], c] -= yb[q]


@njit(cache=True, fastmath=FAST)
def backward_t(lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
               fac: np.ndarray, piv_off: np.ndarray, piv: np.ndarray, Y: np.ndarray) -> None:
    r"""Transposed, every node in reverse postorder: :math:`x_s = P^TL_{ss}^{-T}(y_s - L_{bs}^Tx_b)`."""
    r = Y.shape[1]
    for i in range(len(lo) - 1, -1, -1):
        s, l0 = hi[i] - lo[i], lo[i]
        bnd = bpool[boff[i]:boff[i + 1]]
        b = len(bnd)
        m = s + b
        o = fac_off[i]
        o2 = o + s * m
        for c in range(r):
            for q in range(b):
                x = Y[bnd[q], c]
                if x != 0.0:
                    row = o2 + q * s
                    for k in range(s):
                        Y[l0 + k, c] -= fac[row + k] * x
            for a in range(s - 1, -1, -1):
                x = Y[l0 + a, c]
                if x != 0.0:
                    row = o + a * m
                    for k in range(a):
                        Y[l0 + k, c] -= fac[row + k] * x
        for k in range(s - 1, -1, -1):
            p = piv[piv_off[i] + k]
            if p != k:
                for c in range(r):
                    Y[l0 + k, c], Y[l0 + p, c] = Y[l0 + p, c], Y[l0 + k, c]
