r"""Arbitrary-precision steady states by mixed-precision iterative refinement.

The float64 factorisation of the real-form system (:mod:`numeric.solvers.steady`) is used as a
preconditioner; residuals :math:`\mathcal L\rho` are computed exactly up to a fixed-point
granularity :math:`2^{-p}` with :math:`p \approx 3.32\,\mathrm{dps} + 48` bits (a whole number of
26-bit digits), and the corrections are accumulated in that fixed-point format:

.. math:: x_{k+1} = x_k + A_{64}^{-1}\big(b - A x_k\big).

Each step gains about :math:`16 - \log_{10}\kappa(A)` digits, so any ``dps`` is reached in a few
steps whenever :math:`\kappa(A)\,10^{-16} < 1`.  Otherwise (or if refinement stagnates) a dense
ball-arithmetic solve (python-flint ``arb_mat``) of the same system is the fallback for small
systems.

The arithmetic is int64 digits (:mod:`numeric.solvers.digits`, compiled: crf S = 400 0.07 s a residual
where Python integers took 0.37 s) whenever every jump has one nonzero diagonal and
:math:`p \lesssim 900` bits, each residual being the previous one minus :math:`\mathcal L` applied to the
correction (a float64's few digits); otherwise Python integers (object arrays), each residual anew.  On a
given :math:`\rho` both compute the same integers (tests/numeric/test_digits.py compares them bit for bit).

The superoperator is applied in operator form, :math:`\mathcal L\rho = K\rho + (K\rho)^\dagger
+ \sum_k J_k\rho J_k^\dagger` with :math:`K = -iH - \tfrac12\sum_k r_k L_k^\dagger L_k` and
:math:`J_k = \sqrt{r_k}L_k` (QuTiP's convention, hbar = 1).  Every word of generators is a
matrix with a single nonzero diagonal; its entries are recovered exactly from the
representation (squares of the :math:`S^\pm`, :math:`a` entries are integers, :math:`S^z` entries
half-integers) and converted with integer square roots.  Model coefficients are evaluated by
SymPy at the working precision from the model's own :class:`~analytic.algebra.Op` objects and the
exact parameter values of :func:`analytic.values.parse_values` (``'1.8'`` is 9/5, not the float).
"""
from __future__ import annotations

import functools
import gc
import math
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat
from fractions import Fraction
from typing import Callable, Mapping, Protocol

import mpmath
import numpy as np
import scipy.sparse as sps
import sympy as sp

from analytic.model import Model, ModelError
from analytic.values import exact_number
from numeric.core.errors import SolverError
from numeric.core.liouvillian import RealForm, setup
from numeric.core.operators import Representation, Size, Truncation
from numeric.core.resources import check_dps
from numeric.solvers.condition import Solve, condition_estimate, condition_vectors
from numeric.solvers.digits import DigitLiouvillian, aligned_bits, ratios, to_digits, to_ints

__all__ = ["FixedPointLiouvillian", "solve_refined", "liouvillian_mp", "suggest_dps", "float_to_fixed", "scaled_float",
           "refine", "refine_float", "IntFormat"]

#: fill mpmath matrices through their dictionary (:func:`_matrix_over`); ``False``: entry by entry
BULK_MATRIX = True


class RealFormSystem(Protocol):
    """What :func:`solve_refined` reads of a steady-state system (a
    :class:`numeric.solvers.steady.SteadySystem`, which imports this module)."""

    model: Model
    rep: Representation
    vals: dict
    rf: RealForm
    Ap: sps.spmatrix
    b: np.ndarray
    n: int
    k: int
    weight: float
    norm_L: float

    def matvec(self, x: np.ndarray) -> np.ndarray: ...

    def factorize(self, pivot_threshold: float = 0.0, ordering: str | None = None) -> tuple[Solve, Solve, int, str]: ...


def float_to_fixed(f: np.ndarray, e: int) -> np.ndarray:
    """Object array of Python ints round(f * 2**e) (exact for the float64 values; shared by the collective
    and the permutation-invariant refinements)."""
    f = np.asarray(f, dtype=float)
    m, ex = np.frexp(f)
    mi = (m * 2.0 ** 53).astype(np.int64).astype(object)  # Python ints
    sh = ex.astype(np.int64) - 53 + e
    out = np.where(sh >= 0, mi << np.maximum(sh, 0).astype(object), mi >> np.maximum(-sh, 0).astype(object))
    return np.asarray(out, dtype=object).reshape(f.shape)


def _exact(v):
    """A value as the exact SymPy number it represents: the one parser,
    :func:`analytic.values.exact_number` (values from :func:`analytic.values.parse_values` are
    already exact; floats are their binary value)."""
    return exact_number(v)


def _fixed_of(x, p: int) -> int:
    """round(x * 2**p) of a SymPy/mpmath real number."""
    with mpmath.workprec(p + 64):
        return int(mpmath.nint(mpmath.mpf(x) * mpmath.mpf(2) ** p))


class FixedPointLiouvillian:
    """The Liouvillian of a model in fixed-point arithmetic with ``p`` fractional bits.

    Operators are stored as ``{offset: (re, im)}`` with ``re``, ``im`` object arrays of Python
    ints (entries ``A[i, i + offset] = (re[i] + 1j im[i]) / 2**p``).
    """

    def __init__(self, model, rep, vals: Mapping, p: int):
        self.model, self.rep, self.p = model, rep, p
        self.dim = rep.dim
        self._gens: dict = {}
        subs = {sym: _exact(v) for sym, v in {**rep._size_values, **vals}.items()}
        K = model.hamiltonian * (-sp.I)
        self.jumps = []
        for d in model.dissipators:
            rate = sp.sympify(d.rate).subs(subs)
            if complex(rate) == 0:
                continue
            K = K - d.jump.dagger() * d.jump * (d.rate / 2)
            self.jumps.append(self._matrix(d.jump * sp.sqrt(d.rate), subs))
        self.K = self._matrix(K, subs)

    # -------------------------------------------------------------- construction
    def _generator(self, g):
        """(full offset, exact fixed-point values) of one generator."""
        if g in self._gens:
            return self._gens[g]
        k = self.model.subsystems.index(g.sub)
        loc = self.rep.local[k][g.letter].tocoo()
        d = self.rep.dims[k]
        offs = set((loc.col - loc.row).tolist())
        if len(offs) > 1:  # pragma: no cover - generators are single-diagonal
            raise ModelError(f"generator {g!r} is not a single-diagonal matrix")
        o = offs.pop() if offs else 0
        vloc = [0] * d
        p = self.p
        for r, v in zip(loc.row, loc.data.real):
            if g.letter == "z":
                f = Fraction(round(2 * v), 2)
                if abs(float(f) - v) > 1e-9:  # pragma: no cover
                    raise ModelError(f"Sz entry {v} is not a half-integer")
                vloc[r] = (f.numerator << p) // f.denominator
            else:
                sq = round(v * v)
                if abs(v * v - sq) > 1e-8 * max(1.0, sq):  # pragma: no cover
                    raise ModelError(f"entry {v} of {g!r} is not the square root of an integer")
                vloc[r] = (1 if v > 0 else -1) * math.isqrt(sq << (2 * p))
        stride = int(np.prod(self.rep.dims[k + 1:]))
        idx = (np.arange(self.dim) // stride) % d
        vals = np.array([vloc[t] for t in idx], dtype=object)
        self._gens[g] = (o * stride, vals)
        return self._gens[g]

    def _matrix(self, op, subs) -> dict:
        p, n = self.p, self.dim
        out: dict = {}
        digits = int(p / 3.32) + 20
        for word, coeff in op.terms.items():
            c = sp.N(sp.sympify(coeff).subs(subs), digits)
            if c.free_symbols:
                raise ModelError(f"coefficient {coeff} has unknown symbols {sorted(map(str, c.free_symbols))}")
            cr, ci = _fixed_of(sp.re(c), p), _fixed_of(sp.im(c), p)
            if cr == 0 and ci == 0:
                continue
            o, v = 0, np.array([1 << p] * n, dtype=object)
            for g in word:
                og, vg = self._generator(g)
                shifted = np.zeros(n, dtype=object)
                lo, hi = max(0, -o), min(n, n - o)
                if lo < hi:
                    shifted[lo:hi] = vg[lo + o:hi + o]
                v = (v * shifted) >> p
                o += og
            re, im = (v * cr) >> p, (v * ci) >> p
            if o in out:
                out[o] = (out[o][0] + re, out[o][1] + im)
            else:
                out[o] = (re, im)
        return out

    # -------------------------------------------------------------- action
    def _left(self, A: dict, Xr, Xi):
        n, p = self.dim, self.p
        Yr = np.zeros((n, n), dtype=object)
        Yi = np.zeros((n, n), dtype=object)
        for o, (ar, ai) in A.items():
            lo, hi = max(0, -o), min(n, n - o)
            if lo >= hi:
                continue
            xr, xi = Xr[lo + o:hi + o], Xi[lo + o:hi + o]
            a_r, a_i = ar[lo:hi, None], ai[lo:hi, None]
            if any(ar[lo:hi]):  # a purely imaginary (or real) diagonal skips half the big-integer products
                Yr[lo:hi] += a_r * xr
                Yi[lo:hi] += a_r * xi
            if any(ai[lo:hi]):
                Yr[lo:hi] -= a_i * xi
                Yi[lo:hi] += a_i * xr
        return Yr >> p, Yi >> p

    @functools.cached_property
    def _outers(self) -> list:
        r"""Per jump: for one with a single nonzero diagonal (offset ``o``, entries :math:`j_a`), ``(o, Wr, Wi)``
        with :math:`W_{ab} = j_a\bar j_b` in units of :math:`2^{-p}` (``Wi`` is ``None`` for a real jump: S-,
        a), so that :math:`(J\rho J^\dagger)_{ab} = W_{ab}\,\rho_{a+o,b+o}`; ``None`` for the others."""
        out, p = [], self.p
        for J in self.jumps:
            if len(J) != 1:
                out.append(None)
                continue
            (o, (jr, ji)), = J.items()
            if any(ji):
                out.append((o, (np.multiply.outer(jr, jr) + np.multiply.outer(ji, ji)) >> p,
                            (np.multiply.outer(ji, jr) - np.multiply.outer(jr, ji)) >> p))
            else:
                out.append((o, np.multiply.outer(jr, jr) >> p, None))
        return out

    def _sandwich(self, W: tuple, Xr: np.ndarray, Xi: np.ndarray, Rr: np.ndarray, Ri: np.ndarray) -> None:
        r"""Adds :math:`J\rho J^\dagger` to ``(Rr, Ri)`` in place for a jump with one nonzero diagonal, from its
        ``W`` (:attr:`_outers`): one product instead of two matrix products (half the big-integer
        operations)."""
        o, Wr, Wi = W
        n, p = self.dim, self.p
        lo, hi = max(0, -o), min(n, n - o)
        if lo >= hi:
            return
        xr, xi = Xr[lo + o:hi + o, lo + o:hi + o], Xi[lo + o:hi + o, lo + o:hi + o]
        wr = Wr[lo:hi, lo:hi]
        if Wi is not None:
            wi = Wi[lo:hi, lo:hi]
            Rr[lo:hi, lo:hi] += (wr * xr - wi * xi) >> p
            Ri[lo:hi, lo:hi] += (wr * xi + wi * xr) >> p
        else:
            Rr[lo:hi, lo:hi] += (wr * xr) >> p
            Ri[lo:hi, lo:hi] += (wr * xi) >> p

    def apply(self, Xr: np.ndarray, Xi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r""":math:`\mathcal L\rho` for Hermitian :math:`\rho = (X_r + iX_i)/2^p`."""
        Mr, Mi = self._left(self.K, Xr, Xi)
        Rr, Ri = Mr + Mr.T, Mi - Mi.T
        for J, W in zip(self.jumps, self._outers):
            if W is not None:
                self._sandwich(W, Xr, Xi, Rr, Ri)
                continue
            Yr, Yi = self._left(J, Xr, Xi)
            Zr, Zi = self._left(J, Yr.T, -Yi.T)  # J (J rho)^dagger
            Rr, Ri = Rr + Zr.T, Ri - Zi.T  # (J rho^dagger J^dagger)^dagger = J rho J^dagger
        return Rr, Ri


    def apply_general(self, Xr: np.ndarray, Xi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r""":math:`\mathcal L X = KX + XK^\dagger + \sum_k J_kXJ_k^\dagger` for any (not necessarily
        Hermitian) :math:`X = (X_r + iX_i)/2^p`."""
        Mr, Mi = self._left(self.K, Xr, Xi)
        Nr, Ni = self._left(self.K, Xr.T, -Xi.T)  # K X^dagger
        Rr, Ri = Mr + Nr.T, Mi - Ni.T
        for J in self.jumps:
            Yr, Yi = self._left(J, Xr, Xi)
            Zr, Zi = self._left(J, Yr.T, -Yi.T)  # J (J X)^dagger
            Rr, Ri = Rr + Zr.T, Ri - Zi.T
        return Rr, Ri


def liouvillian_mp(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None, dps: int = 30,
                   max_dim: int = 4096, **sizes: Size) -> mpmath.matrix:
    r"""The Liouvillian (column stacking, QuTiP's convention) as a dense ``mpmath.matrix`` with
    ``dps`` digits, built from the same Op coefficients as the float64 one (exact generator
    entries, coefficients evaluated by SymPy at that precision).  For small systems
    (:math:`d^2 \le` ``max_dim``); the steady-state solver uses the sparse fixed-point form."""
    check_dps(dps)  # dps > DPS_MAX refused up front
    rep, vals = setup(model, values, S, truncation, **sizes)
    d = rep.dim
    if d * d > max_dim:
        raise ModelError(f"liouvillian_mp: dimension {d * d} > max_dim={max_dim}; use the sparse solvers")
    p = int(math.ceil(dps * math.log2(10))) + 48
    fl = FixedPointLiouvillian(model, rep, vals, p)
    with mpmath.workdps(dps + 10):
        out = mpmath.matrix(d * d, d * d)
        scale = mpmath.mpf(2) ** (-p)
        for b in range(d):
            for a in range(d):
                Xr = np.zeros((d, d), dtype=object)
                Xi = np.zeros((d, d), dtype=object)
                Xr[a, b] = 1 << p
                Rr, Ri = fl.apply_general(Xr, Xi)
                col = a + b * d
                for r_a, r_b in zip(*np.nonzero((Rr != 0) | (Ri != 0))):
                    out[int(r_a + r_b * d), col] = mpmath.mpc(mpmath.mpf(int(Rr[r_a, r_b])) * scale,
                                                              mpmath.mpf(int(Ri[r_a, r_b])) * scale)
    with mpmath.workdps(dps):
        return out * 1


def _coords(rf, Rr, Ri) -> np.ndarray:
    """Real-form coordinates (object ints) of the matrix (Rr + i Ri)."""
    out = np.where(rf.kind == 2, Ri[rf.i, rf.j], Rr[rf.i, rf.j])
    return out


def scaled_float(v: np.ndarray) -> tuple[np.ndarray, int]:
    """(float array, s) with the Python ints ``v ~= float_array * 2**s``, scaled so that max |.| ~ 2**60
    (s >= 0: smaller integers are converted as they are)."""
    v = np.asarray(v, dtype=object)
    a = np.abs(v)  # Python ints, exact
    mb = int(a.max()).bit_length() if a.size else 0
    s = max(mb - 60, 0)
    if s == 0:
        return v.astype(float), s
    return np.where(v >= 0, a >> s, -(a >> s)).astype(float), s


class FixedFormat(Protocol):
    """The fixed-point arithmetic :func:`refine` works in: :class:`IntFormat` or
    :class:`numeric.solvers.digits.DigitFormat`."""

    def from_float(self, f: np.ndarray, e: int) -> np.ndarray: ...

    def add(self, x: np.ndarray, y: np.ndarray) -> np.ndarray: ...

    def scaled(self, x: np.ndarray) -> tuple[np.ndarray, int]: ...


class IntFormat:
    """The refinement's arithmetic on object arrays of Python ints (:func:`refine`'s default ``fmt``;
    :class:`numeric.solvers.digits.DigitFormat` is the same on int64 digit arrays)."""

    from_float = staticmethod(float_to_fixed)
    scaled = staticmethod(scaled_float)

    @staticmethod
    def add(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return x + y


def refine(x: np.ndarray, residual: Callable[[np.ndarray], np.ndarray], solve: Callable[[np.ndarray], np.ndarray], *,
           res_bits: int, x_bits: int, target: mpmath.mpf, maxiter: int, norm_scale: float = 1.0,
           min_steps: int = 3, patience: int = 2,
           weigh: Callable[[np.ndarray], None] | None = None,
           matvec: Callable[[np.ndarray], np.ndarray] | None = None,
           fmt: FixedFormat = IntFormat) -> tuple[np.ndarray, list, bool]:
    r"""The one mixed-precision iterative refinement of the package (collective
    :func:`solve_refined` and the permutation-invariant :func:`numeric.pi.steady.solve_pi`):
    :math:`x_{k+1} = x_k + A_{64}^{-1}(b - Ax_k)`.

    ``x``: the unknowns as Python ints in units of :math:`2^{-x_{bits}}`; ``residual(x)``: :math:`b - Ax`
    exactly, as Python ints in units of :math:`2^{-res_{bits}}`; ``solve``: the float64 LU solve.  Each
    step measures :math:`\|b - Ax\|_2/\mathrm{norm\_scale}` (an mpf: no overflow at any precision), stops
    when it is :math:`\le` ``target`` (converged) or when, after ``min_steps`` steps, each of the last
    ``patience`` steps gained less than a factor 2 (stagnation: :math:`\kappa\,10^{-16}` is not < 1), and
    otherwise adds the correction ``solve(r)`` (``weigh(r)`` may rescale rows in place first, e.g. a
    trace row).  ``matvec`` (float64 :math:`A`, optional): the correction is itself refined once in
    float64, :math:`d \leftarrow d + A_{64}^{-1}(r - Ad)`, which makes it good to the rounding of float64
    where the LU's solve alone is good to its backward error times :math:`\kappa` only (a sweep and a
    sparse product instead of an exact residual: crf S = 400 needs 3 exact residuals instead of 4).
    ``fmt``: the fixed-point arithmetic of ``x`` and of the residuals (``from_float``, ``add``, ``scaled``):
    :class:`IntFormat` (Python ints) or :class:`numeric.solvers.digits.DigitFormat`.
    Returns ``(x, history of the residual norms, converged)``."""
    history: list = []
    for it in range(maxiter):
        rfl, s = fmt.scaled(residual(x))  # the residual ~= rfl * 2**(s - res_bits)
        rnorm = mpmath.ldexp(float(np.linalg.norm(rfl)), s - res_bits) / norm_scale
        history.append(rnorm)
        if rnorm <= target:
            return x, history, True
        if it >= min_steps and all(history[-i] > 0.5 * history[-i - 1] for i in range(1, patience + 1)):
            break
        if weigh is not None:
            weigh(rfl)
        dx = solve(rfl)
        if matvec is not None and np.all(np.isfinite(dx)):
            dx = dx + solve(rfl - matvec(dx))
        if not np.all(np.isfinite(dx)):
            break
        x = fmt.add(x, fmt.from_float(dx, s - res_bits + x_bits))
    return x, history, False


def refine_float(matvec: Callable[[np.ndarray], np.ndarray], solve: Callable[[np.ndarray], np.ndarray],
                 b: np.ndarray, steps: int, x0: np.ndarray | None = None, stop: float = 0.0) -> np.ndarray:
    r"""The float64 solve ``solve(b)`` (or ``x0``, the caller's) improved by up to ``steps`` steps of
    iterative refinement :math:`x \leftarrow x + A^{-1}(b - Ax)`, stopped at the first step that does
    not lower :math:`\|Ax - b\|_2` or once it is at most ``stop`` (the rounding level, where a step
    cannot gain); returns the best iterate (collective and permutation-invariant solves)."""
    x = solve(b) if x0 is None else x0
    r = b - matvec(x)
    best = (np.linalg.norm(r), x)
    for _ in range(steps):
        if best[0] <= stop:
            break
        x = x + solve(r)
        r = b - matvec(x)
        rn = np.linalg.norm(r)
        if rn < best[0]:
            best = (rn, x)
        else:
            break
    return best[1]


def solve_refined(system: RealFormSystem, dps: int, tol: float | None = None, maxiter: int | None = None,
                  factors: tuple[Solve, Solve, int, str] | None = None, first: np.ndarray | None = None
                  ) -> tuple[mpmath.matrix, np.ndarray, mpmath.mpf, dict]:
    """Steady state of ``system`` (a :class:`numeric.solvers.steady.SteadySystem`) with ``dps`` digits.

    Returns ``(rho as mpmath.matrix, populations (float), residual (mpf), info)``; raises
    :class:`numeric.core.errors.SolverError` if the residual cannot be brought below ``tol``
    (default :math:`10^{-dps+1}\\|\\mathcal L\\|_\\infty`).  ``factors``: the result of
    ``system.factorize(0.01)`` when the caller has it already; ``first``: those factors' solves of
    ``system.b`` and of :func:`condition_vectors` as an ``(n, 3)`` array (one sweep with the caller's
    other right-hand sides).  ``dps > DPS_MAX`` is refused up front
    (:func:`numeric.core.resources.check_dps`).
    """
    check_dps(dps)
    p = aligned_bits(int(math.ceil(dps * math.log2(10))) + 48)  # a whole number of digits (numeric.solvers.digits)
    if maxiter is None:  # each step gains ~ 16 - log10(condition) digits: dps = 1000 needs ~ 70
        maxiter = max(80, dps // 8 + 20)
    rf = system.rf
    fl = FixedPointLiouvillian(system.model, system.rep, system.vals, p)
    solve, solve_t = (factors if factors is not None else system.factorize(0.01))[:2]
    k, w = system.k, system.weight
    target = mpmath.mpf(10) ** (-(dps + 2)) * system.norm_L
    limit = mpmath.mpf(tol) if tol is not None else mpmath.mpf(10) ** (-(dps - 1)) * system.norm_L
    diag_coords = np.nonzero(rf.kind == 0)[0]
    one = 1 << p
    if first is None:
        first = solve(np.column_stack([system.b, condition_vectors(system.n)]))
    engine = _engine(fl, rf, p)
    fmt = engine.format if engine is not None else IntFormat
    last: list = []  # (x, -L rho on the coordinates) of the last residual: the converged x needs no new product

    def residual(xfix):
        if engine is None:
            r = -_coords(rf, *fl.apply(*_to_matrix(rf, xfix)))
        elif last:  # -L x = -L x_prev - L (x - x_prev): the correction has the few digits of a float64
            r = engine.residual(fmt.add(xfix, last[0], -1), base=last[1])
        else:
            r = engine.residual(xfix)
        last[:] = [xfix, r]
        r = r.copy()
        trace = sum(int(t) for t in (to_ints(xfix[diag_coords]) if engine is not None else xfix[diag_coords]))
        r[k] = to_digits([one - trace], engine.L)[0] if engine is not None else one - trace
        return r  # the residual of the equations (trace row counted with weight 1) in units of 2**-p

    def weigh(rfl):
        rfl[k] *= w

    xfix, history, converged = refine(fmt.from_float(first[:, 0], p), residual, solve, res_bits=p, x_bits=p,
                                      target=target, maxiter=maxiter, weigh=weigh, matvec=system.matvec, fmt=fmt)
    # the condition estimate (LU sweeps, which release the GIL) alongside the building of rho below (Python)
    pool = ThreadPoolExecutor(1)
    try:
        condition = pool.submit(condition_estimate, system, solve, solve_t, first=first[:, 1:3])
        rho, pops, res, info = _finish(system, fl, engine, xfix, history, converged, last, p, dps, limit)
        info["condition"] = condition.result()
    finally:
        pool.shutdown(wait=True)
    return rho, pops, res, info


def _finish(system: RealFormSystem, fl: FixedPointLiouvillian, engine: DigitLiouvillian | None, xfix: np.ndarray,
            history: list, converged: bool, last: list, p: int, dps: int, limit: mpmath.mpf
            ) -> tuple[mpmath.matrix, np.ndarray, mpmath.mpf, dict]:
    """:func:`solve_refined` after the refinement: the dense fallback if it did not converge, the residual
    check of the state and the state as an mpmath matrix."""
    rf, n, d = system.rf, system.n, system.rf.dim
    diag_coords = np.nonzero(rf.kind == 0)[0]
    method = "iterative refinement (float64 LU + fixed-point residuals)"
    info = {"refinement_steps": len(history), "refinement_history": history,
            "residual_arithmetic": "int64 digits (compiled)" if engine is not None else "Python integers"}
    if not converged:
        if n <= 600:
            xfix = _dense_flint_solve(fl, rf, system, p)
            method = "dense arb_mat solve (python-flint)"
            engine, last = None, []
        else:
            raise SolverError(
                f"steady_state(dps={dps}): iterative refinement did not converge (residuals {history[-3:]}); "
                f"the system ({n} unknowns) is too ill-conditioned for a float64 preconditioner and too large "
                "for the dense arbitrary-precision fallback (n <= 600)")
    info["method"] = method
    lr = last[1] if last and last[0] is xfix else (
        engine.residual(xfix) if engine is not None else -_coords(rf, *fl.apply(*_to_matrix(rf, xfix))))
    diag = to_ints(xfix[diag_coords]) if engine is not None else xfix[diag_coords]
    trace = sum(int(t) for t in diag)
    with mpmath.workdps(dps + 10):
        res = _hermitian_norm(rf, *(engine.format if engine is not None else IntFormat).scaled(lr)) / (mpmath.mpf(2) ** p)
        res = res / (mpmath.mpf(trace) / mpmath.mpf(2) ** p)
    info["residual"] = res
    info["tol"] = limit
    if not res <= limit:
        raise SolverError(f"steady_state(dps={dps}): residual {mpmath.nstr(res, 5)} > tol {mpmath.nstr(limit, 3)}; "
                          f"try a larger dps")
    if engine is not None:  # rho = x / trace: each quotient to 16 bits beyond the working precision, then rounded
        with mpmath.workdps(dps):
            man, ex = ratios(xfix, trace, mpmath.mp.prec + 16)
    else:
        man, ex = (np.asarray(xfix, dtype=object) << (p + 64)) // trace, np.full(n, -(p + 64))
    with mpmath.workdps(dps):
        rho = _matrix_over(rf, man, ex)
        res = +res
    # int / int is correctly rounded at any size (float(int) overflows for p > 1024 bits, dps >= 294)
    pops = np.zeros(d)
    pops[rf.i[diag_coords]] = [int(t) / trace for t in diag]
    return rho, pops, res, info


#: the compiled digit residual (:mod:`numeric.solvers.digits`) where it applies; ``False``: Python integers
DIGITS = True


def _engine(fl: FixedPointLiouvillian, rf: RealForm, p: int) -> DigitLiouvillian | None:
    """The digit residual of ``fl`` on ``rf``'s coordinates, or None where it does not apply (a jump with
    more than one nonzero diagonal; numbers too wide for a float64 Horner conversion, p >~ 900 bits; more
    diagonals of K than an int64 column of digit products holds)."""
    if not DIGITS or any(len(J) != 1 for J in fl.jumps) or p > 900:
        return None
    try:
        return DigitLiouvillian(fl.K, fl.jumps, p, rf.i, rf.j, rf.kind, rf.dim, *rf.vec_maps(), x_max=1 << p)
    except ValueError:  # so many diagonals of K that their digit products could overflow an int64 column
        return None


def _to_matrix(rf: RealForm, xfix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Xr, Xi): the Hermitian matrix of the real-form coordinates ``xfix`` (Python ints) as its real
    (symmetric) and imaginary (antisymmetric) parts."""
    d = rf.dim
    Xr = np.zeros((d, d), dtype=object)
    Xi = np.zeros((d, d), dtype=object)
    k0, k1, k2 = rf.kind == 0, rf.kind == 1, rf.kind == 2
    Xr[rf.i[k0], rf.i[k0]] = xfix[k0]
    Xr[rf.i[k1], rf.j[k1]] = xfix[k1]
    Xr[rf.j[k1], rf.i[k1]] = xfix[k1]
    Xi[rf.i[k2], rf.j[k2]] = xfix[k2]
    Xi[rf.j[k2], rf.i[k2]] = -xfix[k2]
    return Xr, Xi


def _hermitian_norm(rf: RealForm, f: np.ndarray, s: int) -> mpmath.mpf:
    r"""The Frobenius norm of the Hermitian matrix with real-form coordinates ``f * 2**s`` (the scaled floats of
    a ``fmt.scaled``; an entry off the diagonal stands for two, :math:`|R_{ab}|^2 + |R_{ba}|^2 =
    2(\mathrm{Re}^2 + \mathrm{Im}^2)`), to float64 accuracy, as an mpf (no overflow at any precision)."""
    f = np.where(rf.kind == 0, f, f * math.sqrt(2.0))
    return mpmath.ldexp(mpmath.mpf(float(np.linalg.norm(f))), s)


def _matrix_over(rf: RealForm, man: np.ndarray, ex: np.ndarray) -> mpmath.matrix:
    """The Hermitian mpmath matrix whose real-form coordinates are ``man * 2**ex`` (Python ints and ints),
    each rounded once to the working precision (no mpmath arithmetic per entry); the lower triangle is the
    conjugate of the upper.

    mpmath has no bulk constructor (``matrix(list)`` calls ``__setitem__`` per entry, ~1.3 us each); the
    entries go into the matrix's own dictionary at once when it has one (``_matrix__data``, mpmath 1.x:
    0.8 s less at d = 801), else through ``__setitem__`` (tests/numeric/test_crf_dps.py checks both)."""
    d = rf.dim
    prec, rnd = mpmath.mp.prec, mpmath.libmp.round_nearest
    man = np.asarray(man, dtype=object)
    nz = man != 0
    key = rf.i.astype(np.int64) * d + rf.j
    pairs, where = np.unique(key[nz], return_inverse=True)  # the upper-triangle entries with a nonzero part
    Qr, Qi = np.zeros(len(pairs), dtype=object), np.zeros(len(pairs), dtype=object)
    Er, Ei = np.zeros(len(pairs), dtype=np.int64), np.zeros(len(pairs), dtype=np.int64)
    im = rf.kind[nz] == 2
    Qr[where[~im]], Er[where[~im]] = man[nz][~im], np.asarray(ex)[nz][~im]
    Qi[where[im]], Ei[where[im]] = man[nz][im], np.asarray(ex)[nz][im]
    rows, cols = pairs // d, pairs % d
    off = rows != cols
    cx = np.nonzero(Qi != 0)[0]  # entries with an imaginary part: their conjugate is another number
    cx_off = cx[off[cx]]
    rho = mpmath.matrix(d, d)
    zero, from_man_exp = mpmath.libmp.fzero, mpmath.libmp.from_man_exp
    mpc, new = type(mpmath.mp.mpc(0)), object.__new__

    def mpcs(re: list, im: list) -> list:
        """mpc objects of the mpf tuples re + i im, made by C-level calls only (mpmath's ``make_mpc`` is a
        Python function: ~0.3 us an entry more)."""
        out = list(map(new, repeat(mpc, len(re))))
        deque(map(setattr, out, repeat("_mpc_"), zip(re, im)), maxlen=0)
        return out

    # About d**2 new containers (mpc objects, their tuples, the keys), none in a cycle: with the collector on,
    # the allocations would set off young-generation passes over them all, and re-enabled it would pass over
    # them once more (0.1-0.2 s at crf S = 400, longer than the solve's own work).  They are made with the
    # collector off and then, unless the caller keeps frozen objects of its own, moved with everything
    # alive to the oldest generation at once (gc.freeze + gc.unfreeze: two list splices), where they are
    # visited by full collections only, as objects that had survived the passes would be.
    enabled = gc.isenabled()
    gc.disable()
    try:
        # every number rounded once (gmpy2's C function; a zero mantissa gives mpmath's zero)
        re, imag = [zero] * len(pairs), [zero] * len(pairs)
        rx = np.nonzero(Qr != 0)[0]
        for t, v in zip(rx.tolist(), map(from_man_exp, Qr[rx].tolist(), Er[rx].tolist(), repeat(prec), repeat(rnd))):
            re[t] = v
        for t, v in zip(cx.tolist(), map(from_man_exp, Qi[cx].tolist(), Ei[cx].tolist(), repeat(prec), repeat(rnd))):
            imag[t] = v
        upper = mpcs(re, imag)
        # below the diagonal the conjugate: the same (immutable) object for a real entry; rounding to
        # nearest is odd, so the conjugate's imaginary part is the rounding of -q
        lower = list(upper)
        conj = mpcs([re[t] for t in cx_off.tolist()],
                    list(map(from_man_exp, (-Qi[cx_off]).tolist(), Ei[cx_off].tolist(), repeat(prec), repeat(rnd))))
        for t, v in zip(cx_off.tolist(), conj):
            lower[t] = v
        o = np.nonzero(off)[0].tolist()
        keys = [*zip(rows.tolist(), cols.tolist()), *zip(cols[off].tolist(), rows[off].tolist())]
        values = upper + [lower[t] for t in o]
        store = getattr(rho, "_matrix__data", None)
        if isinstance(store, dict) and not store and BULK_MATRIX:
            store.update(zip(keys, values))  # nonzero mpc values, as __setitem__ would store them
        else:
            for key_, v in zip(keys, values):
                rho[key_] = v
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
    return rho


def _dense_flint_solve(fl, rf, system, p):
    """Dense solve of the real-form system in ball arithmetic (python-flint), columns of the
    matrix obtained by applying the fixed-point Liouvillian to unit vectors."""
    try:
        import flint
    except ImportError:  # pragma: no cover
        raise SolverError("python-flint is needed for the dense arbitrary-precision fallback") from None
    n = len(rf.i)
    k = system.k
    diag_coords = set(np.nonzero(rf.kind == 0)[0].tolist())
    old = flint.ctx.prec
    flint.ctx.prec = p + 64
    try:
        M = flint.arb_mat(n, n)
        for j in range(n):
            e = np.zeros(n, dtype=object)
            e[j] = 1 << p
            Rr, Ri = fl.apply(*_to_matrix(rf, e))
            col = _coords(rf, Rr, Ri)
            for i in range(n):
                if i != k and col[i] != 0:
                    M[i, j] = flint.arb(int(col[i])) / flint.arb(2) ** p
            M[k, j] = 1 if j in diag_coords else 0
        b = flint.arb_mat(n, 1)
        b[k, 0] = 1
        sol = M.solve(b)
        out = np.empty(n, dtype=object)
        for i in range(n):
            out[i] = int((sol[i, 0] * flint.arb(2) ** p).mid().floor().unique_fmpz())
    finally:
        flint.ctx.prec = old
    return out


def suggest_dps(cond: float | None) -> int:
    r"""The ``dps`` an error message suggests for a float64 solve with 1-norm condition estimate ``cond``:
    :math:`\lceil\log_{10}\kappa\rceil + 20` digits, at least 30 (50 when the estimate is missing)."""
    if cond is None or not np.isfinite(cond) or cond <= 0:
        return 50
    return int(max(30, math.ceil(math.log10(cond)) + 20))
