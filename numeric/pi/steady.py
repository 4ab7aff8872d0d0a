"""The permutation-invariant steady-state solver: real-form system, float64 LU or block iteration, mixed-precision refinement."""
from __future__ import annotations

import math
import time
import warnings
from fractions import Fraction
from typing import Callable, Mapping

import mpmath
import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp

from analytic.model import Model
from numeric.core import resources
from numeric.core.arguments import check_dps, check_tol
from numeric.core.errors import SolverError
from numeric.core.ordering import nested_dissection, permuted_solve
from numeric.pi.basis import check_N
from numeric.pi.blocks import PROBE_RTOL, RECYCLE, RESTART, BlockSolver, NotConverged
from numeric.pi.liouvillian import PILiouvillian, mul_i_float, mul_i_obj, real_coo, real_form, to_vec
from numeric.pi.state import PIState
from numeric.pi.superops import model_terms, model_values
from numeric.solvers.condition import one_norm_condition
from numeric.solvers.precision import float_to_fixed, refine, refine_float, suggest_dps
from numeric.solvers.uniqueness import FULL_CHECK_MAX, FULL_CHECK_ZERO, kernel_bases, kernel_probe, not_unique, structural_cause

__all__ = ["PISystem", "solve_pi", "steady_state_pi", "check_resources", "check_solve_resources", "estimate_solve",
           "BLOCKS_MIN_UNKNOWNS"]


# =========================================================================== steady state
class PISystem:
    """Real-form steady-state system A y = b (trace row in place of one population equation)."""

    def __init__(self, pl: PILiouvillian):
        self.pl = pl
        self.rf = real_form(pl.basis, pl.symmetries)
        coo = pl.L.tocoo()
        r, c, v = real_coo(self.rf, coo.row, coo.col, coo.data.real, coo.data.imag, mul_i_float)
        n = self.rf.ncoord
        A = sps.csr_matrix((v, (r, c)), shape=(n, n))
        A.sum_duplicates()
        A.eliminate_zeros()
        self.A0 = A
        pops = np.nonzero(self.rf.kind == 0)[0]
        diag = np.abs(A.diagonal())
        # trace row replaces the population equation of m = -j in the largest block (index 0..)
        self.k = int(pops[np.argmax(diag[pops])])
        self.weight = 2.0 ** round(math.log2(float(np.mean(np.abs(A.data))))) if A.nnz else 1.0
        A = A.tocsr(copy=True)
        rows = np.repeat(np.arange(n), np.diff(A.indptr))
        A.data[rows == self.k] = 0.0
        A = A + sps.csr_matrix((np.full(len(pops), self.weight), (np.full(len(pops), self.k), pops)), shape=(n, n))
        A.eliminate_zeros()
        self.A = A.tocsc()
        self.b = np.zeros(n)
        self.b[self.k] = self.weight
        self.pops = pops

    def coordinates(self) -> np.ndarray:
        """(2j, m + m', m - m') of every real coordinate (doubled for j)."""
        b = self.pl.basis
        v = self.rf.coord_vec
        tj = b.tj[b.blk[v]]
        tm = tj - 2 * b.a[v]
        tm2 = tj - 2 * b.b[v]
        return np.stack([tj, tm + tm2, tm - tm2], axis=1).astype(np.int64)

    def factorize(self, method: str = "direct") -> tuple[Callable, Callable, int, str]:
        """``(solve, solve_t, factor entries, method name)``: ``method='direct'`` one SuperLU of the whole
        system; ``'blocks'`` block Gauss-Seidel preconditioned GMRES (:class:`numeric.pi.blocks.BlockSolver`,
        :class:`numeric.pi.blocks.NotConverged` from any solve that misses its residual)."""
        if method == "blocks":
            bs = self.block_solver = BlockSolver(self.A, self.coordinates(), self.k)
            return bs.solve, (lambda v: bs.solve(v, "T")), bs.fill, "GMRES, block Gauss-Seidel in j (splu per block)"
        perm = nested_dissection(self.A, self.coordinates(), self.k)
        # lu.nnz, not lu.L.nnz + lu.U.nnz: those build CSC copies of both factors (as numeric.solvers.steady)
        if perm is None:
            lu = spla.splu(self.A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.1)
            return lu.solve, (lambda v: lu.solve(v, trans="T")), int(lu.nnz), "splu (MMD_AT_PLUS_A)"
        Ap = self.A[perm][:, perm].tocsc()
        lu = spla.splu(Ap, permc_spec="NATURAL", diag_pivot_thresh=0.01, options=dict(SymmetricMode=True))
        del Ap
        solve = permuted_solve(lu, perm)
        return solve, (lambda v: solve(v, "T")), int(lu.nnz), "splu (geometric nested dissection)"


def _float_stage(sys_: PISystem, method: str, steps: int = 3, polish: bool = True):
    r"""The float64 solution, the solve for refinement corrections, info and the kernel probe:
    ``(y, solve, info, nullity, svals)``.  ``polish=False`` (with ``dps``): no float64 refinement step
    after the block iteration, whose correction the exact refinement makes with an exact residual; the
    first solve keeps its Krylov directions and the returned solve recycles them
    (:meth:`numeric.pi.blocks.BlockSolver.solve` with ``recycle=True``; the kernel probe does not).

    ``info['condition']``: the 1-norm estimate (Hager/Higham) from the LU solves (``'direct'``); for
    ``'blocks'``, where every solve is an iteration, :math:`\|A\|_\infty/\sigma_{\min}` with
    :math:`\sigma_{\min}` from the kernel probe (an upper bound of it, so a lower bound of the 2-norm
    condition) instead of the onenormest's four more solves; the probe there starts from one random
    vector (three when that one finds a kernel)."""
    try:
        solve, solve_t, nnz, name = sys_.factorize(method)
        A, b = sys_.A, sys_.b
        if method == "blocks":
            # the corrections (of this float64 refinement and of the mixed-precision one with dps) need
            # 8 digits, not RTOL: to RTOL a correction of an ill-conditioned system (condition 1e12 at
            # N = 100, Omega = 0.61 Omega_c) iterates a whole restart cycle for nothing
            bs = sys_.block_solver
            probe = lambda v: bs.solve(v, "N", PROBE_RTOL)
            # with dps the first solve keeps its Krylov directions: the refinement's corrections (random-like
            # right-hand sides) recycle them and converge in 6-8 steps instead of 27 (N = 100, 0.61 Omega_c)
            y = bs.solve(b, recycle=not polish)
            if polish:
                r = b - A @ y
                y1 = y + probe(r)  # one float64 refinement step, kept if it lowers the residual
                if np.linalg.norm(b - A @ y1) < np.linalg.norm(r):
                    y = y1
            solve = probe if polish else (lambda v: bs.solve(v, "N", PROBE_RTOL, recycle=True))
        else:
            y = refine_float(lambda v: A @ v, solve, b, steps)
    except RuntimeError:  # an exactly zero pivot: the trace-row system is singular
        raise not_unique("steady_state_pi") from None
    info = {"lu_nnz": int(nnz), "method": name}
    scale = float(abs(A).sum(axis=1).max()) if A.nnz else 1.0
    if method == "blocks":  # the probe needs PROBE_RTOL, not the solution's RTOL
        # one random vector decides (each is an iteration); three more describe a kernel it finds
        nullity, svals = kernel_probe(lambda v: A @ v, probe, A.shape[0], scale, k=1)
        if nullity:
            nullity, svals = kernel_probe(lambda v: A @ v, probe, A.shape[0], scale)
        info["condition"] = float(1.0 / svals[0]) if len(svals) and svals[0] > 0 else float("inf")
        info["iterations"] = list(bs.iterations)
    else:
        info["condition"] = one_norm_condition(A, solve, solve_t, itmax=3)
        nullity, svals = kernel_probe(lambda v: A @ v, solve, A.shape[0], scale)
    return y, solve, info, nullity, svals


def _fixed_system(sys_: PISystem, dps: int, p: int):
    """The real-form system in fixed point (Python ints scaled by 2**p): (rows, cols, vals), sorted by
    (row, col) with duplicates summed and exact zeros removed.

    Big-integer work only on distinct values: per term the distinct structure entries
    (:meth:`numeric.pi.superops.Struct.fixed_table`) times the coefficient, each entry an int64 code
    (index into that table of values, negated with the value) through :func:`real_coo`; the entries
    are the same integers, term by term, as ``(s.fixed(p) * c) >> p`` for every entry."""
    pl = sys_.pl
    coeffs = pl.hp_coefficients(dps)
    rows, cols, re, im = [], [], [], []
    table = [np.zeros(1, dtype=object)]  # code 0: the value 0
    size = 1
    with mpmath.workprec(p + 64):
        for (c_re, c_im), (key, s) in zip(coeffs, pl.structs):
            if len(s.rows) == 0:
                continue
            tab, inv = s.fixed_table(p)
            rows.append(s.rows)
            cols.append(s.cols)
            for c, out in ((c_re, re), (c_im, im)):
                cfix = int(mpmath.nint(c * mpmath.mpf(2) ** p))
                if cfix:  # object arrays: exact ints
                    table.append((tab * cfix) >> p)
                    out.append(inv + size)
                    size += len(tab)
                else:
                    out.append(np.zeros(len(inv), dtype=np.int64))
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    re, im = np.concatenate(re), np.concatenate(im)
    r, c, code = real_coo(sys_.rf, rows, cols, re, im, mul_i_obj)  # int64 codes: -code is the negated value
    keep = (r != sys_.k) & (code != 0)
    r, c, code = r[keep], c[keep], code[keep]
    wfix = int(Fraction(sys_.weight) * (1 << p))  # exact: the weight is a power of 2 (no float(2**p) overflow)
    table.append(np.array([wfix], dtype=object))
    r = np.concatenate([r, np.full(len(sys_.pops), sys_.k)])
    c = np.concatenate([c, sys_.pops])
    code = np.concatenate([code, np.full(len(sys_.pops), size, dtype=np.int64)])
    table = np.concatenate(table)
    signed = np.concatenate([table, -table])  # value of code k: signed[k]; of -k: signed[len(table) + k]
    n = sys_.A.shape[0]
    rc = r * n + c
    order = np.argsort(rc)  # one int64 key (not stable: the sums of duplicates are exact in any order)
    rc, r, c, code = rc[order], r[order], c[order], code[order]
    v = signed[np.where(code >= 0, code, len(table) - code)]
    starts = np.concatenate([[0], np.nonzero(np.diff(rc))[0] + 1]) if len(rc) else np.zeros(0, dtype=np.int64)
    v = np.add.reduceat(v, starts) if len(rc) else v
    r, c = r[starts], c[starts]
    nz = v != 0
    return r[nz], c[nz], v[nz], wfix


def _fixed_matvec(r, c, v, y, n):
    prod = v * y[c]
    out = np.zeros(n, dtype=object)
    if len(r):
        starts = np.concatenate([[0], np.nonzero(np.diff(r))[0] + 1])
        sums = np.add.reduceat(prod, starts)
        out[r[starts]] = sums
    return out



def _refine_fixed(sys_: PISystem, solve, y0: np.ndarray, dps: int, maxiter: int | None = None):
    """Mixed-precision iterative refinement: y_{k+1} = y_k + A64^{-1}(b - A y_k), residuals in
    exact fixed point with p ~ 3.32 dps + 40 bits.  Returns (y fixed ints, p, history)."""
    p = int(math.ceil(dps * 3.33)) + 40
    if maxiter is None:  # each step gains ~ 16 - log10(condition) digits: dps = 1000 needs ~ 70
        maxiter = max(40, dps // 8 + 20)
    r, c, v, wfix = _fixed_system(sys_, dps, p)
    n = sys_.A.shape[0]
    bfix = np.zeros(n, dtype=object)
    bfix[:] = 0
    bfix[sys_.k] = wfix << p  # scaled 2**(2p)
    # residuals stay mpf / scaled floats: 2.0**(2p) overflows and 2.0**-(3.33 dps) underflows
    # beyond dps ~ 140 (issue 17, defect 6); the loop is the one of numeric.solvers.precision.refine
    target = mpmath.mpf(2) ** (-(dps * 3.33))
    y, hist, _ = refine(float_to_fixed(y0, p), lambda y: bfix - _fixed_matvec(r, c, v, y, n), solve,
                        res_bits=2 * p, x_bits=p, target=target, maxiter=maxiter,
                        norm_scale=mpmath.mpf(sys_.weight),  # exact (a power of 2)
                        min_steps=4, patience=1)
    return y, p, hist



def _conserves_q(model: Model, values: Mapping, N: int) -> bool:
    r"""True if every term of the Liouvillian with a non-zero coefficient conserves
    :math:`q = m - m'` (the U(1) of :func:`detect_symmetries`, decided from the model's terms
    before anything of size N is built; used by the resource estimate)."""
    dq = {"p": 1, "m": -1, "z": 0}
    shift = lambda w: sum(dq[g] for g in w)
    vals = model_values(model, values, N)
    for key, c in model_terms(model):
        kind = key[0]
        d = (shift(key[1]) if kind == "L" else -shift(key[1]) if kind == "R" else
             shift(key[1]) - shift(key[2]) if kind == "S" else (key[1] - key[2]) - (key[3] - key[4]))
        if d != 0 and complex(sp.sympify(c).subs(vals)) != 0:
            return False
    return True


def check_resources(model: Model, values: Mapping, N: int, max_memory: int | float | str | None, what: str,
                    dps: int | None = None) -> None:
    """Refuse (:class:`numeric.core.resources.ResourceError`) when the estimate from N alone exceeds
    ``max_memory``: without U(1) first (the larger count); the symbolic U(1) test only when that
    estimate is refused."""
    try:
        resources.check(resources.estimate_permutational(N, dps=dps), max_memory, what)
    except resources.ResourceError:
        resources.check(resources.estimate_permutational(N, _conserves_q(model, values, N), dps=dps),
                        max_memory, what)


# the block iteration above this many real unknowns (N >= 56 for driven_dicke); below, one direct LU
BLOCKS_MIN_UNKNOWNS = 15000
# peak bytes per real unknown of the block iteration (build, matrices, block factors, Krylov vectors),
# and its CPU time per unknown: driven_dicke Omega = 0.3 Omega_c, gamma_c = 1, gamma_s = 0.1, peak RSS
# minus the interpreter's 0.1 GB: 5.2e3 (N = 100), 4.5e3 (150), 4.5e3 (200: 3.2 GB) bytes; CPU 2.9e-5 s
# (N = 200: 19.7 s)
BLOCK_BYTES_PER_UNKNOWN = 5000.0
BLOCK_SECONDS_PER_UNKNOWN = 3e-5


def estimate_solve(N: int, method: str, n: int | None = None, nnz_A: int | None = None,
                   dps: int | None = None) -> resources.Estimate:
    r"""The estimate of :func:`solve_pi` for ``method`` ``'direct'`` (one LU,
    :func:`numeric.core.resources.estimate_permutational`) or ``'blocks'`` (:class:`numeric.pi.blocks.BlockSolver`:
    every array is linear in the unknowns up to the :math:`\log n_j` of the block factors, so
    :data:`BLOCK_BYTES_PER_UNKNOWN` bytes per real unknown, plus the fixed-point numbers with ``dps``)."""
    direct = resources.estimate_permutational(N, n=n, nnz_A=nnz_A, dps=dps)
    if method == "direct":
        return direct
    # the dps part: resources counts 4 fixed-point numbers per non-zero; the block path measured 2.4 times
    # that (driven_dicke N = 200, dps = 30: 3.1 GB above the float64 peak, 1.3 GB predicted), taken as 3
    fixed = 3.0 * (direct.bytes - resources.estimate_permutational(N, n=n, nnz_A=nnz_A).bytes)
    u = float(direct.unknowns)
    if dps is not None:  # the refinement's recycling solves: U and C kept, a cycle's two bases beside the RESTART counted
        fixed += 8.0 * (2 * RECYCLE + RESTART) * u
    return resources.Estimate("permutational (blocks in j)", direct.unknowns, direct.nnz, 0.0, 0.0,
                              BLOCK_BYTES_PER_UNKNOWN * u + fixed, BLOCK_SECONDS_PER_UNKNOWN * u, direct.exact_sizes)


def check_solve_resources(model: Model, values: Mapping, N: int, max_memory: int | float | str | None, what: str,
                          dps: int | None = None) -> None:
    """The check from N alone of :func:`solve_pi`: the block estimate when the predicted unknowns reach
    :data:`BLOCKS_MIN_UNKNOWNS`, else :func:`check_resources` (the direct LU)."""
    if resources.estimate_permutational(N).unknowns >= BLOCKS_MIN_UNKNOWNS:
        resources.check(estimate_solve(N, "blocks", dps=dps), max_memory, what)
    else:
        check_resources(model, values, N, max_memory, what, dps)


def solve_pi(model: Model, values: Mapping, N: int, dps: int | None = None, tol: float | None = None,
             max_memory: int | float | str | None = None) -> PIState:
    r"""Steady state :math:`\mathcal L\rho = 0`, :math:`\mathrm{Tr}\rho = 1` of N atoms with collective
    and individual terms, in the permutation-invariant representation: the backend of
    ``numeric.steady_state(model, values, N=...)``, which is the entry point to call.

    Lindblad convention of QuTiP (hbar = 1, rates multiply :math:`\mathcal D[L]` without factor 2).
    For ``driven_dicke`` this is the steady state of seed 004 eq. (1); for ``lmg`` of seed 001 eq. (3).

    Solver: below :data:`BLOCKS_MIN_UNKNOWNS` real unknowns one SuperLU of the whole real-form system
    (geometric nested dissection of the (j, m + m', m - m') grid); above, where that LU of a
    three-dimensional grid costs :math:`O(n^2)` flops and :math:`O(n^{4/3})` memory, GMRES preconditioned
    by symmetric block Gauss-Seidel over the total-spin blocks (:class:`numeric.pi.blocks.BlockSolver`:
    one two-dimensional LU per block, linear memory; driven_dicke N = 200 in 3 GB).  When the iteration
    misses its residual the direct LU decides (``info['blocks_failed']``); residual, kernel probe and
    refinement are the same for both.

    Parameters
    ----------
    model : analytic.model.Model
        One :class:`~analytic.algebra.Atoms` ensemble; collective and/or individual dissipators.
    values : mapping
        ``{parameter name: number}`` (all parameters of the model).
    N : int
        Number of atoms (>= 1).
    dps : int, optional
        Mixed-precision iterative refinement: float64 LU (or block iteration), residuals in exact fixed-point arithmetic
        with :math:`\approx 3.32\,\mathrm{dps}` bits (exact model rates, Python integers); the state's
        ``y_exact`` holds the refined solution and observables use ``mpmath`` at ``dps``.
    max_memory : int, float or str, optional
        Largest estimated peak memory (bytes, or ``'500MB'``, ``'2GiB'``; default 80% of the memory
        available now, :mod:`numeric.core.resources`), checked from N before anything of size N is
        built and again with the counted sizes before the LU; above it
        :class:`numeric.core.resources.ResourceError` (a ``ModelError``) with the estimate and the limit.
    tol : float, optional
        Largest accepted residual :math:`\|\mathcal L x\|_2` (weighted blocks, trace 1) of the
        float64 state.  Default :math:`10^{-10}\|\mathcal L\|_1`.  With ``dps`` the refined
        solution must in addition reach a relative fixed-point residual :math:`10^{5-\mathrm{dps}}`.

    The steady state reached from an initial state (when it is not unique): ``numeric.steady_state(model,
    values, N=N, rho0=...)`` (:func:`numeric.solvers.steady.steady_from_initial_pi`).

    Returns
    -------
    PIState
        ``info``: unknowns, symmetries used, ``method``, LU fill (of the blocks: their sum), condition
        estimate, residual, time; with the block iteration ``iterations`` (GMRES steps per solve).

    Raises
    ------
    ModelError
        Bad input (N < 1, missing or unknown parameter, negative rate, a model that is not one
        Atoms ensemble, invalid ``dps``/``tol``).
    SolverError
        Residual above ``tol`` (the message names a ``dps`` that would help), non-finite numbers, or
        a steady state that is not unique (:mod:`numeric.solvers.uniqueness`).
    """
    dps = check_dps(dps)
    tol = check_tol(tol)
    t0 = time.perf_counter()
    N = check_N(N)
    check_solve_resources(model, values, N, max_memory, "steady_state_pi", dps)
    pl = PILiouvillian(model, values, N, dps=dps)
    sys_ = PISystem(pl)
    method = "blocks" if sys_.A.shape[0] >= BLOCKS_MIN_UNKNOWNS else "direct"
    est = resources.check(estimate_solve(N, method, n=sys_.A.shape[0], nnz_A=sys_.A.nnz, dps=dps),
                          max_memory, "steady_state_pi")
    info = {"unknowns": sys_.A.shape[0], "complex_unknowns": pl.basis.n, "resources": est.as_dict(),
            "symmetries": list(sys_.rf.symmetries),
            "build_time": time.perf_counter() - t0}
    cause = structural_cause(model, pl.vals, [sp.sympify(d.rate).subs(pl.vals) for d in model.dissipators], [])
    if cause is not None:
        raise not_unique("steady_state_pi", cause=cause[0])
    try:
        y, lu, sinfo, nullity, svals = _float_stage(sys_, method, polish=dps is None)
    except NotConverged as err:  # the block iteration gave up: the direct LU of the whole system decides
        info["blocks_failed"] = str(err)
        info["resources"] = resources.check(estimate_solve(N, "direct", n=sys_.A.shape[0], nnz_A=sys_.A.nnz, dps=dps),
                                            max_memory, "steady_state_pi").as_dict()
        method = "direct"
        y, lu, sinfo, nullity, svals = _float_stage(sys_, method)
    if nullity:  # the kernel of a symmetry sector: a lower bound of the full one when symmetries were used
        raise not_unique("steady_state_pi", nullity=nullity, k=min(nullity, 3) if sys_.rf.symmetries else 3,
                         svals=svals)
    if sys_.rf.symmetries and pl.basis.n <= FULL_CHECK_MAX:
        # stationary states outside the sector solved for (small N: the full space, dense SVD)
        kdim = kernel_bases(pl.L, pl.scale, zero=FULL_CHECK_ZERO, resolve=0.0)[2]["kernel_dim"]
        info["full_kernel"] = kdim
        if kdim > 1:
            raise not_unique("steady_state_pi", cause="stationary states outside the symmetry sector solved for",
                             nullity=kdim - 1)
    info.update(sinfo)
    if not np.all(np.isfinite(y)):
        raise SolverError(f"steady_state_pi: non-finite solution (condition {info['condition']:.1e}); "
                          f"try dps={suggest_dps(info['condition'])}")
    y_exact = None
    if dps is not None:
        try:
            yfix, p, hist = _refine_fixed(sys_, lu, y, dps)
        except NotConverged as err:  # a correction the block iteration could not solve: refine on the direct LU
            info["blocks_failed"] = str(err)
            resources.check(estimate_solve(N, "direct", n=sys_.A.shape[0], nnz_A=sys_.A.nnz, dps=dps),
                            max_memory, "steady_state_pi")
            yfix, p, hist = _refine_fixed(sys_, sys_.factorize("direct")[0], y, dps)
        info["refinement"] = hist
        info["precision_bits"] = p
        y_exact = (yfix, p)
        y = np.array([int(v) / (1 << p) for v in yfix])  # int / int: no overflow at any p
    x = to_vec(sys_.rf, y)
    tr = sum(np.trace(B).real for B in pl.basis.blocks(x))
    x = x / tr
    res = float(np.linalg.norm(pl.L @ x))
    info["residual"] = res
    limit = tol if tol is not None else 1e-10 * pl.scale
    info["tol"] = limit
    if dps is not None:
        # the refined solution is checked in exact fixed point; ``residual`` is that of its float64 copy
        rel = info["refinement"][-1]
        info["refined_residual"] = rel
        if not rel <= mpmath.mpf(10) ** (5 - dps):
            raise SolverError(f"steady_state_pi: refinement stagnated at relative residual {mpmath.nstr(rel, 2)} "
                              f"(condition {info['condition']:.1e} too large for a float64 preconditioner)")
    if not res <= limit:
        raise SolverError(
            f"steady_state_pi: residual ||L rho|| = {res:.2e} > tol = {limit:.2e} (condition estimate "
            f"{info['condition']:.1e}); use dps={suggest_dps(info['condition'])}")
    info["time"] = time.perf_counter() - t0
    st = PIState(model, pl.N, x, pl.vals, residual=res, info=info)
    if y_exact is not None:
        st.set_exact(sys_.rf, y_exact, dps)
    return st


def steady_state_pi(model: Model, values: Mapping, N: int, dps: int | None = None, tol: float | None = None,
                    max_memory: int | float | str | None = None) -> PIState:
    """Deprecated alias (kept for one release) of ``numeric.steady_state(model, values, N=N, dps=dps, tol=tol,
    max_memory=max_memory)``, the one steady-state entry point; same result (:func:`solve_pi`)."""
    warnings.warn("numeric.pi.permutational.steady_state_pi is deprecated; use numeric.steady_state(model, values, "
                  "N=..., dps=...)", DeprecationWarning, stacklevel=2)
    return solve_pi(model, values, N, dps=dps, tol=tol, max_memory=max_memory)
