r"""Compiled (numba) kernels of the multifrontal LU: the factorisation and the sweeps of its solves.

The caller is :mod:`numeric.solvers.frontal`.

Why compiled: the fronts below ~150 rows hold most of the nodes and about half the entries of a
nested-dissection factorisation (crf S = 600: 64 000 fronts of 10-150 rows); stacked NumPy
operations on them cost 10-30 ns per entry and pass, where a loop costs about one.  The larger fronts
call LAPACK/BLAS in place from the same loop.  Every kernel takes the list of nodes it works on (a
whole subtree, or the top of the tree) and releases the GIL, so that the caller can run disjoint
subtrees in threads.  Per node:

* the front :math:`F` (original entries plus the children's Schur complements, extend-add) is
  partially factorised with row pivoting inside the separator block,
  :math:`P F_{ss} = L_{ss}U_{ss}`, :math:`U_{sb} = L_{ss}^{-1}PF_{sb}`,
  :math:`L_{bs} = F_{bs}U_{ss}^{-1}`, and :math:`S = F_{bb} - L_{bs}U_{sb}` goes to the parent;
* the pool ``fac`` holds :math:`L_{ss}\backslash U_{ss}` (s x s), :math:`U_{sb}` (s x b),
  :math:`L_{bs}` (b x s) from ``fac_off[i]``; ``piv`` the LAPACK-style row swaps from ``piv_off[i]``.

The factorisation and the sweeps run with the x86 flush-to-zero and denormals-are-zero modes on (set
at entry, the caller's register restored on return; the BLAS they call runs in the same thread): a
number below 2.2e-308 becomes 0, far below the rounding of the O(1) entries it would be added to.
Gradual underflow is done in microcode: ``dgemm`` on products below 1e-308 ran at 0.4 GFlop/s instead
of 64 here, and the crf factors at S = 1000 hold 4e5 such numbers (their magnitudes decay across the
grid), which made the large fronts run at ~8 GFlop/s.

Schur complements live on a stack (postorder consumes them in order) from which the caller may move
them elsewhere (``upd_off[i]`` says where node ``i``'s is).  Positions are those of the elimination
order; node ``i`` eliminates ``lo[i]..hi[i]-1`` and its boundary (sorted) is
``bpool[boff[i]:boff[i+1]]``.
"""
from __future__ import annotations

import platform

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["boundaries", "subtree_first", "stack_peak", "factor", "forward", "backward", "forward_t", "backward_t"]

#: MXCSR bits: flush to zero (denormal results become 0) and denormals are zero (denormal inputs read as 0)
_FTZ_DAZ = 0x8040
_X86 = platform.machine().lower() in ("x86_64", "amd64")


def _mxcsr_call(builder, name, ptr):
    fnty = ir.FunctionType(ir.VoidType(), [ir.IntType(8).as_pointer()])
    fn = cgutils.get_or_insert_function(builder.module, fnty, name)
    builder.call(fn, [builder.bitcast(ptr, ir.IntType(8).as_pointer())])


@intrinsic
def _stmxcsr(typingctx):  # pragma: no cover - compiled
    """The x86 SSE control and status register (``stmxcsr``)."""
    def codegen(context, builder, signature, args):
        ptr = cgutils.alloca_once(builder, ir.IntType(32))
        _mxcsr_call(builder, "llvm.x86.sse.stmxcsr", ptr)
        return builder.load(ptr)
    return types.uint32(), codegen


@intrinsic
def _ldmxcsr(typingctx, value):  # pragma: no cover - compiled
    """Load the x86 SSE control and status register (``ldmxcsr``)."""
    def codegen(context, builder, signature, args):
        ptr = cgutils.alloca_once(builder, ir.IntType(32))
        builder.store(args[0], ptr)
        _mxcsr_call(builder, "llvm.x86.sse.ldmxcsr", ptr)
        return context.get_dummy_value()
    return types.void(types.uint32), codegen


if _X86:
    @njit(cache=True, inline="always")
    def _flush_on() -> np.uint32:
        """Flush-to-zero and denormals-are-zero on for this thread; returns the previous register."""
        old = _stmxcsr()
        _ldmxcsr(old | np.uint32(_FTZ_DAZ))
        return old

    @njit(cache=True, inline="always")
    def _flush_off(old: np.uint32) -> None:
        _ldmxcsr(old)
else:  # pragma: no cover - other processors keep gradual underflow
    @njit(cache=True, inline="always")
    def _flush_on() -> np.uint32:
        return np.uint32(0)

    @njit(cache=True, inline="always")
    def _flush_off(old: np.uint32) -> None:
        pass


if _X86:
    @njit(cache=True)
    def mxcsr() -> np.uint32:
        """This thread's x86 SSE control and status register (for tests: the kernels restore it)."""
        return _stmxcsr()



@njit(cache=True)
def _local(p, lo, hi, bnd):
    if p < hi:
        return p - lo
    return hi - lo + np.searchsorted(bnd, p)


@njit(cache=True)
def boundaries(lo: np.ndarray, hi: np.ndarray, estart: np.ndarray, eo: np.ndarray, ec: np.ndarray, rows: np.ndarray,
               cptr: np.ndarray, clist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
            for p in (rows[eo[e]], ec[e]):
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
    return boff, bpool[:boff[nn]].copy()  # not a view of the larger buffer


@njit(cache=True)
def subtree_first(cptr: np.ndarray, clist: np.ndarray) -> np.ndarray:
    """``first[i]``: the first node of node ``i``'s subtree (postorder: the subtree is
    ``first[i] .. i``)."""
    nn = len(cptr) - 1
    first = np.arange(nn)
    for i in range(nn):
        for t in range(cptr[i], cptr[i + 1]):
            first[i] = min(first[i], first[clist[t]])
    return first


@njit(cache=True)
def stack_peak(nb: np.ndarray, cptr: np.ndarray, clist: np.ndarray, nodes: np.ndarray) -> int:
    """The largest size of the stack of Schur complements during :func:`factor` of ``nodes`` (a whole
    subtree in postorder: a node's children's complements are the top of the stack when it is
    assembled)."""
    top = 0
    peak = 0
    for i in nodes:
        for t in range(cptr[i], cptr[i + 1]):
            c = clist[t]
            top -= nb[c] * nb[c]
        top += nb[i] * nb[i]
        if top > peak:
            peak = top
    return peak


@njit(cache=True)
def _positions(cb: np.ndarray, lo: int, hi: int, bnd: np.ndarray, pos: np.ndarray) -> None:
    """Front positions of a child's boundary ``cb`` in the front of a node (separator ``lo..hi-1``
    first, then its sorted boundary ``bnd``)."""
    q = 0
    for a in range(len(cb)):
        p = cb[a]
        if p < hi:
            pos[a] = p - lo
        else:
            while bnd[q] < p:
                q += 1
            pos[a] = hi - lo + q


@njit(cache=True)
def _transpose(W: np.ndarray, ld: int, r0: int, r1: int, c0: int, c1: int, out: np.ndarray, o: int, ldo: int) -> None:
    """Rows ``r0..r1-1``, columns ``c0..c1-1`` of the column-major ``W`` (leading dimension ``ld``)
    written row-major to ``out[o:]`` (row length ``ldo``), in 32 x 32 tiles."""
    for rb in range(r0, r1, 32):
        re = min(rb + 32, r1)
        for cb in range(c0, c1, 32):
            ce = min(cb + 32, c1)
            for a in range(rb, re):
                row = o + (a - r0) * ldo - c0
                for c in range(cb, ce):
                    out[row + c] = W[c * ld + a]


@njit(cache=True)
def _assemble(i, lo, hi, bnd, estart, eo, ec, rows, vals, cptr, clist, boff, bpool, upd_off, stack, pos, W, rs, cs):
    """The front of node ``i`` in ``W`` (entry (a, c) at ``W[a * rs + c * cs]``): zero, its original
    entries, plus its children's Schur complements from the stack (extend-add; column-major there)."""
    m = hi[i] - lo[i] + len(bnd)
    W[:m * m] = 0.0
    for e in range(estart[i], estart[i + 1]):
        p = eo[e]
        W[_local(rows[p], lo[i], hi[i], bnd) * rs + _local(ec[e], lo[i], hi[i], bnd) * cs] = vals[p]
    for t in range(cptr[i], cptr[i + 1]):
        c = clist[t]
        cb = bpool[boff[c]:boff[c + 1]]
        w = len(cb)
        _positions(cb, lo[i], hi[i], bnd, pos)
        off = upd_off[c]
        for c2 in range(w):
            col = pos[c2] * cs
            src = off + c2 * w
            for a in range(w):
                W[pos[a] * rs + col] += stack[src + a]


@njit(cache=True, nogil=True)
def factor(nodes: np.ndarray, base: int, big: np.ndarray, lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray,
           estart: np.ndarray, eo: np.ndarray, ec: np.ndarray, rows: np.ndarray, vals: np.ndarray, cptr: np.ndarray,
           clist: np.ndarray, fac_off: np.ndarray, fac: np.ndarray, piv_off: np.ndarray, piv: np.ndarray, stack: np.ndarray,
           upd_off: np.ndarray, top: int, mmax_small: int, mmax: int, work: np.ndarray, lapack: tuple) -> tuple[int, int]:
    """Factorise ``nodes`` (in postorder); returns ``(0 or 1 + the node with an exactly zero pivot, top)``.

    The entries node ``i`` owns are ``e = estart[i] .. estart[i+1]-1``: row ``rows[eo[e]]``, column
    ``ec[e]``, value ``vals[eo[e]]`` (``rows``, ``vals``: the matrix's CSC arrays, not copied).

    The Schur complements go on ``stack`` from ``top`` (``upd_off[i]``: where node ``i``'s is); a node
    consumes those of its children that lie in ``base .. top-1`` (the top of the stack: postorder) and
    finds the others where ``upd_off`` says (another call's, e.g. another thread's); ``top`` and the
    stack carry over between calls with the same ``base``.

    Small fronts (``big[i]`` false) row-major in a buffer of ``mmax_small**2`` with loops and one ``np.dot``;
    large ones in the Fortran-ordered square ``work`` (leading dimension = front size) with LAPACK
    ``dgetrf``, ``dlaswp``, two ``dtrsm`` and one ``dgemm`` called in place through ``lapack`` (the
    ctypes functions of :data:`numeric.solvers.frontal.LAPACK`).  Complements are stored column-major."""
    dgetrf, dlaswp, dtrsm, dgemm = lapack
    old = _flush_on()  # BLAS called from here runs in this thread: flushed too
    Fbuf = np.zeros(mmax_small * mmax_small)
    wl, wu, wsm = np.empty(mmax_small * mmax_small), np.empty(mmax_small * mmax_small), np.empty(mmax_small * mmax_small)
    pos = np.zeros(mmax, np.int64)
    iv = np.zeros(8, np.int32)
    dv = np.array([1.0, -1.0])
    ch = np.array([ord("N"), ord("L"), ord("U"), ord("R")], np.int8)
    ipiv = np.zeros(mmax, np.int32)
    for i in nodes:
        s = hi[i] - lo[i]
        bnd = bpool[boff[i]:boff[i + 1]]
        b = len(bnd)
        m = s + b
        low = top
        for t in range(cptr[i], cptr[i + 1]):
            c = clist[t]
            if boff[c + 1] > boff[c] and base <= upd_off[c] < low:
                low = upd_off[c]
        if not big[i]:
            F = Fbuf[:m * m].reshape(m, m)  # row-major, entry (a, c) at Fbuf[a * m + c]
            _assemble(i, lo, hi, bnd, estart, eo, ec, rows, vals, cptr, clist, boff, bpool, upd_off, stack, pos, Fbuf, m, 1)
            top = low  # the children's complements were the top of the stack
            # LU of F_ss with row pivoting, the swaps and L applied to F_sb (U_sb)
            for k in range(s):
                p = k
                amax = abs(F[k, k])
                for r in range(k + 1, s):
                    if abs(F[r, k]) > amax:
                        amax, p = abs(F[r, k]), r
                if amax == 0.0:
                    _flush_off(old)
                    return i + 1, top
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
                # L_bs = F_bs U_ss^{-1}, row by row as the elimination of the boundary rows (contiguous)
                for a in range(b):
                    ra = s + a
                    for k in range(s):
                        lk = F[ra, k] / F[k, k]
                        F[ra, k] = lk
                        if lk != 0.0:
                            for c in range(k + 1, s):
                                F[ra, c] -= lk * F[k, c]
                L21 = wl[:b * s].reshape(b, s)
                U12 = wu[:s * b].reshape(s, b)
                S = wsm[:b * b].reshape(b, b)
                for a in range(b):
                    for k in range(s):
                        L21[a, k] = F[s + a, k]
                for a in range(s):
                    for c in range(b):
                        U12[a, c] = F[a, s + c]
                np.dot(L21, U12, S)  # BLAS dgemm: the 2 b^2 s flops that dominate
                for a in range(b):
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
                upd_off[i] = top
                for c in range(b):
                    for a in range(b):
                        stack[top + c * b + a] = F[s + a, s + c]
                top += b * b
            continue
        # a large front, column-major in work: entry (a, c) at work[c * m + a]
        W = work[:m * m]
        _assemble(i, lo, hi, bnd, estart, eo, ec, rows, vals, cptr, clist, boff, bpool, upd_off, stack, pos, W, 1, m)
        top = low
        iv[0], iv[1], iv[2] = s, b, m
        iv[3], iv[4] = 1, 0  # k1 = 1 (dlaswp), info
        iv[5] = 1  # incx
        dgetrf(iv[0:].ctypes, iv[0:].ctypes, W.ctypes, iv[2:].ctypes, ipiv.ctypes, iv[4:].ctypes)
        if iv[4] > 0:
            _flush_off(old)
            return i + 1, top
        if b:
            F12, F21, F22 = W[s * m:], W[s:], W[s * m + s:]
            # U_sb = L_ss^{-1} P F_sb;  L_bs = F_bs U_ss^{-1};  S = F_bb - L_bs U_sb
            dlaswp(iv[1:].ctypes, F12.ctypes, iv[2:].ctypes, iv[3:].ctypes, iv[0:].ctypes, ipiv.ctypes, iv[5:].ctypes)
            dtrsm(ch[1:].ctypes, ch[1:].ctypes, ch[0:].ctypes, ch[2:].ctypes, iv[0:].ctypes, iv[1:].ctypes,
                  dv[0:].ctypes, W.ctypes, iv[2:].ctypes, F12.ctypes, iv[2:].ctypes)
            dtrsm(ch[3:].ctypes, ch[2:].ctypes, ch[0:].ctypes, ch[0:].ctypes, iv[1:].ctypes, iv[0:].ctypes,
                  dv[0:].ctypes, W.ctypes, iv[2:].ctypes, F21.ctypes, iv[2:].ctypes)
            dgemm(ch[0:].ctypes, ch[0:].ctypes, iv[1:].ctypes, iv[1:].ctypes, iv[0:].ctypes, dv[1:].ctypes,
                  F21.ctypes, iv[2:].ctypes, F12.ctypes, iv[2:].ctypes, dv[0:].ctypes, F22.ctypes, iv[2:].ctypes)
        for k in range(s):
            piv[piv_off[i] + k] = ipiv[k] - 1
        # rows of [L\U | U_sb] (s x m) and L_bs (b x s), row-major: transposed in tiles (cache lines)
        _transpose(W, m, 0, s, 0, m, fac, fac_off[i], m)
        _transpose(W, m, s, m, 0, s, fac, fac_off[i] + s * m, s)
        if b:
            upd_off[i] = top
            for c in range(b):
                src = (s + c) * m + s
                for a in range(b):
                    stack[top + c * b + a] = W[src + a]
            top += b * b
    _flush_off(old)
    return 0, top


@njit(cache=True, inline="always")
def _node(i, lo, hi, boff, bpool, fac_off):
    """Node ``i`` as the sweeps read it: separator size, first position, boundary, its size, front
    size, offset of its factors."""
    s = hi[i] - lo[i]
    bnd = bpool[boff[i]:boff[i + 1]]
    return s, lo[i], bnd, len(bnd), s + len(bnd), fac_off[i]


@njit(cache=True)
def _sweep_big(kind, s, l0, bnd, b, m, o, fac, Y, lapack):
    """One large node of a sweep with BLAS (``dtrsm``, ``dgemm``) on the rows of ``Y`` (C order, ``r``
    columns: a Fortran ``r x s`` block with leading dimension ``r``).  In Fortran order the node's factors
    are ``M`` (leading dimension ``m``: upper triangle :math:`L_{ss}^T`, lower :math:`U_{ss}^T`, rows
    ``s..m-1`` :math:`U_{sb}^T`) and :math:`L_{bs}^T` (``s x b``).  ``kind``: 0 forward, 1 backward,
    2 transposed forward, 3 transposed backward (without the row swaps, which the caller does)."""
    dtrsm, dgemm = lapack[2], lapack[3]
    r = Y.shape[1]
    Ys = Y.reshape(-1)[l0 * r:]
    M, Mb, Lt = fac[o:], fac[o + s:], fac[o + s * m:]
    iv = np.array([r, s, b, m], np.int32)
    dv = np.array([1.0, -1.0, 0.0])
    ch = np.array([ord("N"), ord("L"), ord("U"), ord("R"), ord("T")], np.int8)
    N, L, U, R, T = ch[0:], ch[1:], ch[2:], ch[3:], ch[4:]
    one, minus, zero = dv[0:], dv[1:], dv[2:]
    vr, vs, vb, vm = iv[0:], iv[1:], iv[2:], iv[3:]
    tmp = np.empty(max(b * r, 1))
    # the four differ only in the triangle of M (upper L^T, unit; lower U^T), its transposition, and the
    # off-diagonal block (L_bs^T with leading dimension s, or U_sb^T inside M) with its transposition
    lower = kind == 1 or kind == 2
    uplo, diag = (L, N) if lower else (U, U)
    trans = T if kind >= 2 else N
    B, ldb = (Mb, vm) if lower else (Lt, vs)
    if kind == 0 or kind == 2:  # y_s <- L^-1 y_s (U^-T y_s), then y_b -= L_bs y_s (U_sb^T y_s)
        dtrsm(R.ctypes, uplo.ctypes, trans.ctypes, diag.ctypes, vr.ctypes, vs.ctypes, one.ctypes, M.ctypes, vm.ctypes,
              Ys.ctypes, vr.ctypes)
        if b:
            dgemm(N.ctypes, trans.ctypes, vr.ctypes, vb.ctypes, vs.ctypes, one.ctypes, Ys.ctypes, vr.ctypes,
                  B.ctypes, ldb.ctypes, zero.ctypes, tmp.ctypes, vr.ctypes)
            for q in range(b):
                t = bnd[q]
                for c in range(r):
                    Y[t, c] -= tmp[q * r + c]
        return
    # y_s -= U_sb x_b (L_bs^T x_b), then y_s <- U^-1 y_s (L^-T y_s)
    if b:
        for q in range(b):
            t = bnd[q]
            for c in range(r):
                tmp[q * r + c] = Y[t, c]
        dgemm(N.ctypes, trans.ctypes, vr.ctypes, vs.ctypes, vb.ctypes, minus.ctypes, tmp.ctypes, vr.ctypes,
              B.ctypes, ldb.ctypes, one.ctypes, Ys.ctypes, vr.ctypes)
    dtrsm(R.ctypes, uplo.ctypes, trans.ctypes, diag.ctypes, vr.ctypes, vs.ctypes, one.ctypes, M.ctypes, vm.ctypes,
          Ys.ctypes, vr.ctypes)


@njit(cache=True, nogil=True)
def forward(nodes: np.ndarray, lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
            fac: np.ndarray, piv_off: np.ndarray, piv: np.ndarray, Y: np.ndarray, big: np.ndarray, lapack: tuple) -> None:
    r"""``nodes`` in postorder: :math:`y_s \leftarrow L_{ss}^{-1}Py_s`, :math:`y_b \mathrel{-}= L_{bs}y_s`."""
    old = _flush_on()
    r = Y.shape[1]
    for i in nodes:
        s, l0, bnd, b, m, o = _node(i, lo, hi, boff, bpool, fac_off)
        for k in range(s):
            p = piv[piv_off[i] + k]
            if p != k:
                for c in range(r):
                    Y[l0 + k, c], Y[l0 + p, c] = Y[l0 + p, c], Y[l0 + k, c]
        if big[i]:
            _sweep_big(0, s, l0, bnd, b, m, o, fac, Y, lapack)
            continue
        o2 = o + s * m
        if r > 1:  # a block: each factor entry read once for all columns (rows of Y are contiguous)
            for a in range(1, s):
                row = o + a * m
                for k in range(a):
                    lk = fac[row + k]
                    if lk != 0.0:
                        for c in range(r):
                            Y[l0 + a, c] -= lk * Y[l0 + k, c]
            for a in range(b):
                row = o2 + a * s
                t = bnd[a]
                for k in range(s):
                    lk = fac[row + k]
                    if lk != 0.0:
                        for c in range(r):
                            Y[t, c] -= lk * Y[l0 + k, c]
            continue
        for a in range(1, s):
            x = Y[l0 + a, 0]
            row = o + a * m
            for k in range(a):
                x -= fac[row + k] * Y[l0 + k, 0]
            Y[l0 + a, 0] = x
        for a in range(b):
            x = 0.0
            row = o2 + a * s
            for k in range(s):
                x += fac[row + k] * Y[l0 + k, 0]
            Y[bnd[a], 0] -= x
    _flush_off(old)


@njit(cache=True, nogil=True)
def backward(nodes: np.ndarray, lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
             fac: np.ndarray, Y: np.ndarray, big: np.ndarray, lapack: tuple) -> None:
    r"""``nodes`` (postorder) in reverse: :math:`x_s = U_{ss}^{-1}(y_s - U_{sb}x_b)`."""
    old = _flush_on()
    r = Y.shape[1]
    for i in nodes[::-1]:
        s, l0, bnd, b, m, o = _node(i, lo, hi, boff, bpool, fac_off)
        if big[i]:
            _sweep_big(1, s, l0, bnd, b, m, o, fac, Y, lapack)
            continue
        if r > 1:  # a block: each factor entry read once for all columns
            for a in range(s - 1, -1, -1):
                row = o + a * m
                for q in range(b):
                    u = fac[row + s + q]
                    if u != 0.0:
                        t = bnd[q]
                        for c in range(r):
                            Y[l0 + a, c] -= u * Y[t, c]
                for k in range(a + 1, s):
                    u = fac[row + k]
                    if u != 0.0:
                        for c in range(r):
                            Y[l0 + a, c] -= u * Y[l0 + k, c]
                d = fac[row + a]
                for c in range(r):
                    Y[l0 + a, c] /= d
            continue
        xb = np.empty(b)
        for q in range(b):
            xb[q] = Y[bnd[q], 0]
        for a in range(s - 1, -1, -1):
            row = o + a * m
            x = Y[l0 + a, 0]
            for q in range(b):
                x -= fac[row + s + q] * xb[q]
            for k in range(a + 1, s):
                x -= fac[row + k] * Y[l0 + k, 0]
            Y[l0 + a, 0] = x / fac[row + a]
    _flush_off(old)


@njit(cache=True, nogil=True)
def forward_t(nodes: np.ndarray, lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
              fac: np.ndarray, Y: np.ndarray, big: np.ndarray, lapack: tuple) -> None:
    r"""Transposed, ``nodes`` in postorder: :math:`y_s \leftarrow U_{ss}^{-T}y_s`,
    :math:`y_b \mathrel{-}= U_{sb}^Ty_s`."""
    old = _flush_on()
    r = Y.shape[1]
    for i in nodes:
        s, l0, bnd, b, m, o = _node(i, lo, hi, boff, bpool, fac_off)
        if big[i]:
            _sweep_big(2, s, l0, bnd, b, m, o, fac, Y, lapack)
            continue
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
    _flush_off(old)


@njit(cache=True, nogil=True)
def backward_t(nodes: np.ndarray, lo: np.ndarray, hi: np.ndarray, boff: np.ndarray, bpool: np.ndarray, fac_off: np.ndarray,
               fac: np.ndarray, piv_off: np.ndarray, piv: np.ndarray, Y: np.ndarray, big: np.ndarray, lapack: tuple) -> None:
    r"""Transposed, ``nodes`` (postorder) in reverse: :math:`x_s = P^TL_{ss}^{-T}(y_s - L_{bs}^Tx_b)`."""
    old = _flush_on()
    r = Y.shape[1]
    for i in nodes[::-1]:
        s, l0, bnd, b, m, o = _node(i, lo, hi, boff, bpool, fac_off)
        o2 = o + s * m
        if big[i]:
            _sweep_big(3, s, l0, bnd, b, m, o, fac, Y, lapack)
        for c in range(r if not big[i] else 0):
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
    _flush_off(old)
