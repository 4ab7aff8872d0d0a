r"""Arbitrary-precision steady states by mixed-precision iterative refinement.

The float64 factorisation of the real-form system (:mod:`numeric.solvers.steady`) is used as a
preconditioner; residuals :math:`\mathcal L\rho` are computed exactly up to a fixed-point
granularity :math:`2^{-p}` with :math:`p \approx 3.32\,\mathrm{dps} + 48` bits, in Python
integers, and the corrections are accumulated in that fixed-point format:

.. math:: x_{k+1} = x_k + A_{64}^{-1}\big(b - A x_k\big).

Each step gains about :math:`16 - \log_{10}\kappa(A)` digits, so any ``dps`` is reached in a few
steps whenever :math:`\kappa(A)\,10^{-16} < 1`.  Otherwise (or if refinement stagnates) a dense
ball-arithmetic solve (python-flint ``arb_mat``) of the same system is the fallback for small
systems.

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
from fractions import Fraction
from typing import Callable, Mapping, Protocol

import mpmath
import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp

from analytic.model import Model, ModelError
from analytic.values import exact_number
from numeric.core.errors import SolverError
from numeric.core.liouvillian import RealForm, norm_inf, setup
from numeric.core.operators import Representation, Size, Truncation
from numeric.core.resources import check_dps

__all__ = ["FixedPointLiouvillian", "solve_refined", "liouvillian_mp", "suggest_dps", "float_to_fixed", "scaled_float",
           "condition_estimate", "condition_vectors", "refine", "refine_float", "one_norm_condition"]

#: fill mpmath matrices through their dictionary (:func:`_matrix_over`); ``False``: entry by entry
BULK_MATRIX = True
#: a solve with the float64 LU factors: ``x = A^{-1} b`` (or ``A^{-T} b``)
Solve = Callable[[np.ndarray], np.ndarray]


class RealFormSystem(Protocol):
    """What :func:`solve_refined` and :func:`condition_estimate` read of a steady-state system (a
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


def _norm_of_ints(Rr: np.ndarray, Ri: np.ndarray) -> mpmath.mpf:
    """:math:`\\sqrt{\\sum R_r^2 + R_i^2}` of two arrays of Python ints, to float64 accuracy (the
    entries scaled to 60 bits by :func:`scaled_float`, relative error ~1e-15; an exact integer square
    root of the sum cost 0.4 s at crf S = 400 for a number that is compared with a tolerance)."""
    f, s = scaled_float(np.concatenate([np.asarray(Rr, dtype=object).ravel(), np.asarray(Ri, dtype=object).ravel()]))
    return mpmath.ldexp(mpmath.mpf(float(np.linalg.norm(f))), s)


def refine(x: np.ndarray, residual: Callable[[np.ndarray], np.ndarray], solve: Callable[[np.ndarray], np.ndarray], *,
           res_bits: int, x_bits: int, target: mpmath.mpf, maxiter: int, norm_scale: float = 1.0,
           min_steps: int = 3, patience: int = 2,
           weigh: Callable[[np.ndarray], None] | None = None,
           matvec: Callable[[np.ndarray], np.ndarray] | None = None) -> tuple[np.ndarray, list, bool]:
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
    Returns ``(x, history of the residual norms, converged)``."""
    history: list = []
    for it in range(maxiter):
        rfl, s = scaled_float(residual(x))  # the residual ~= rfl * 2**(s - res_bits)
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
        x = x + float_to_fixed(dx, s - res_bits + x_bits)
    return x, history, False


def condition_vectors(n: int) -> np.ndarray:
    r"""The two fixed starting vectors of :func:`one_norm_condition` as an ``(n, 2)`` array: the
    constant :math:`x_i = 1/n` and Higham's alternating :math:`x_i = (-1)^i(1 + i/(n-1))`."""
    i = np.arange(n, dtype=float)
    alt = (1.0 - 2.0 * (np.arange(n) % 2)) * (1.0 + i / max(n - 1, 1))
    return np.column_stack([np.full(n, 1.0 / max(n, 1)), alt])


def one_norm_condition(A: sps.spmatrix, solve: Solve, solve_t: Solve, itmax: int = 2,
                       first: np.ndarray | None = None) -> float:
    r"""1-norm condition estimate :math:`\|A\|_1\,\mathrm{est}\|A^{-1}\|_1` of a sparse matrix ``A``
    from its LU solves; NaN if the estimate fails.

    Hager's estimator with Higham's refinements (N. J. Higham, ACM TOMS 14, 381 (1988), Algorithm
    4.1; LAPACK ``dlacn2``): from :math:`x = (1/n, \dots)`, up to ``itmax`` solves
    :math:`y = A^{-1}x` each followed by :math:`z = A^{-T}\mathrm{sign}(y)` and the move to the unit
    vector :math:`e_j`, :math:`j = \arg\max|z_j|`, until :math:`\|z\|_\infty \le z^Tx`; then the
    larger of :math:`\|y\|_1` and :math:`2\|A^{-1}x_{alt}\|_1/(3n)`.  A lower bound of
    :math:`\|A^{-1}\|_1`, in practice within a factor 3.  ``first``: :math:`A^{-1}` applied to
    :func:`condition_vectors` when the caller has it (solved in one sweep with its other
    right-hand sides).  Written here rather than calling scipy's ``onenormest``, which cannot take
    those first solves (and spends a last transposed solve that only chooses the next vector): with a
    memory-bound LU sweep each solve saved is ~0.07 s at crf S = 400.
    """
    n = A.shape[0]
    if n == 0:
        return float("nan")
    with np.errstate(all="ignore"):
        if first is None:
            V = condition_vectors(n)
            first = np.column_stack([solve(V[:, 0]), solve(V[:, 1])])
        y, unit = first[:, 0], False
        est = float(np.abs(y).sum())
        j = -1
        for _ in range(itmax - 1):
            z = solve_t(np.where(y >= 0, 1.0, -1.0))
            jn = int(np.argmax(np.abs(z)))
            zx = float(z[j]) if unit else float(np.mean(z))  # z^T x
            if jn == j or abs(z[jn]) <= zx:  # Hager's test: a local maximum of ||A^{-1}x||_1
                break
            j, unit = jn, True
            e = np.zeros(n)
            e[j] = 1.0
            y = solve(e)
            new = float(np.abs(y).sum())
            if not new > est:
                break
            est = new
        est = max(est, 2.0 * float(np.abs(first[:, 1]).sum()) / (3.0 * n))
    if not np.isfinite(est):
        return float("nan")
    return float(norm_inf(sps.csc_matrix(A).T) * est)  # ||A||_1 = ||A^T||_inf: the CSC transpose is CSR, no copy


def condition_estimate(system: RealFormSystem, solve: Solve, solve_t: Solve, first: np.ndarray | None = None) -> float:
    """1-norm condition estimate of a steady-state system's real-form matrix ``system.Ap`` from
    its LU solves (:func:`one_norm_condition`, ``first`` passed on); NaN if the estimate fails."""
    return one_norm_condition(system.Ap, solve, solve_t, itmax=2, first=first)


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
    p = int(math.ceil(dps * math.log2(10))) + 48
    if maxiter is None:  # each step gains ~ 16 - log10(condition) digits: dps = 1000 needs ~ 70
        maxiter = max(80, dps // 8 + 20)
    rf = system.rf
    fl = FixedPointLiouvillian(system.model, system.rep, system.vals, p)
    solve, solve_t = (factors if factors is not None else system.factorize(0.01))[:2]
    n, d = system.n, rf.dim
    k, w = system.k, system.weight
    target = mpmath.mpf(10) ** (-(dps + 2)) * system.norm_L
    limit = mpmath.mpf(tol) if tol is not None else mpmath.mpf(10) ** (-(dps - 1)) * system.norm_L
    diag_coords = np.nonzero(rf.kind == 0)[0]

    def to_matrix(xfix):
        Xr = np.zeros((d, d), dtype=object)
        Xi = np.zeros((d, d), dtype=object)
        k1, k2 = rf.kind == 1, rf.kind == 2
        k0 = rf.kind == 0
        Xr[rf.i[k0], rf.i[k0]] = xfix[k0]
        Xr[rf.i[k1], rf.j[k1]] = xfix[k1]
        Xr[rf.j[k1], rf.i[k1]] = xfix[k1]
        Xi[rf.i[k2], rf.j[k2]] = xfix[k2]
        Xi[rf.j[k2], rf.i[k2]] = -xfix[k2]
        return Xr, Xi

    if first is None:
        first = solve(np.column_stack([system.b, condition_vectors(system.n)]))
    x = first[:, 0]
    one = 1 << p
    method = "iterative refinement (float64 LU + fixed-point residuals)"

    last: list = []  # (x, Xr, Xi, Rr, Ri) of the last residual: the converged x is checked without a new product

    def residual(xfix):
        Xr, Xi = to_matrix(xfix)
        Rr, Ri = fl.apply(Xr, Xi)
        last[:] = [xfix, Xr, Xi, Rr, Ri]
        r = -_coords(rf, Rr, Ri)
        r[k] = one - sum(int(t) for t in xfix[diag_coords])  # in units of 2**-p; scaled by w below
        return r  # the residual of the equations (trace row counted with weight 1)

    def weigh(rfl):
        rfl[k] *= w

    xfix, history, converged = refine(float_to_fixed(x, p), residual, solve, res_bits=p, x_bits=p, target=target,
                                      maxiter=maxiter, weigh=weigh, matvec=system.matvec)
    info = {"refinement_steps": len(history), "refinement_history": history,
            "condition": condition_estimate(system, solve, solve_t, first=first[:, 1:3])}
    if not converged:
        if n <= 600:
            xfix = _dense_flint_solve(fl, rf, system, p, to_matrix)
            method = "dense arb_mat solve (python-flint)"
        else:
            raise SolverError(
                f"steady_state(dps={dps}): iterative refinement did not converge (residuals {history[-3:]}); "
                f"the system ({n} unknowns) is too ill-conditioned for a float64 preconditioner and too large "
                "for the dense arbitrary-precision fallback (n <= 600)")
    info["method"] = method
    if last and last[0] is xfix:
        Xr, Xi, Rr, Ri = last[1:]
    else:
        Xr, Xi = to_matrix(xfix)
        Rr, Ri = fl.apply(Xr, Xi)
    trace = sum(int(t) for t in xfix[diag_coords])
    with mpmath.workdps(dps + 10):
        two_p = mpmath.mpf(2) ** p
        res = _norm_of_ints(Rr, Ri) / two_p
        tr = mpmath.mpf(trace) / two_p
    res = res / tr
    info["residual"] = res
    info["tol"] = limit
    if not res <= limit:
        raise SolverError(f"steady_state(dps={dps}): residual {mpmath.nstr(res, 5)} > tol {mpmath.nstr(limit, 3)}; "
                          f"try a larger dps")
    with mpmath.workdps(dps):
        rho = _matrix_over(Xr, Xi, int(trace), p)
        res = +res
    # int / int is correctly rounded at any size (float(int) overflows for p > 1024 bits, dps >= 294)
    pops = np.array([int(Xr[a, a]) / int(trace) for a in range(d)])
    return rho, pops, res, info


def _matrix_over(Xr: np.ndarray, Xi: np.ndarray, trace: int, p: int) -> mpmath.matrix:
    """The Hermitian mpmath matrix (Xr + i Xi) / trace at the working precision (``Xr`` symmetric, ``Xi``
    antisymmetric, as ``solve_refined`` builds them): each entry of the upper triangle is the integer
    quotient with ``p + 64`` fractional bits, rounded once to the working precision (no mpmath arithmetic
    per entry); the lower triangle is its conjugate.

    mpmath has no bulk constructor (``matrix(list)`` calls ``__setitem__`` per entry, ~1.3 us each); the
    entries go into the matrix's own dictionary at once when it has one (``_matrix__data``, mpmath 1.x:
    0.8 s less at d = 801), else through ``__setitem__`` (tests/numeric/test_crf_dps.py checks both)."""
    d = Xr.shape[0]
    bits, prec, rnd = p + 64, mpmath.mp.prec, mpmath.libmp.round_nearest
    rows, cols = np.triu_indices(d)
    Qr, Qi = (Xr[rows, cols] << bits) // trace, (Xi[rows, cols] << bits) // trace
    nz = (Qr != 0) | (Qi != 0)
    rows, cols, Qr, Qi = rows[nz].tolist(), cols[nz].tolist(), Qr[nz].tolist(), Qi[nz].tolist()
    rho = mpmath.matrix(d, d)
    zero, neg = mpmath.libmp.fzero, mpmath.libmp.mpf_neg
    make, from_man_exp = mpmath.mp.make_mpc, mpmath.libmp.from_man_exp
    enabled = gc.isenabled()
    gc.disable()  # d**2 new mpc objects (no cycles): collections would rescan every big-integer array
    try:
        upper = [(from_man_exp(int(qr), -bits, prec, rnd) if qr else zero,
                  from_man_exp(int(qi), -bits, prec, rnd) if qi else zero) for qr, qi in zip(Qr, Qi)]
        off = [k for k, (a, b) in enumerate(zip(rows, cols)) if a != b]
        keys = [*zip(rows, cols), *((cols[k], rows[k]) for k in off)]
        values = [make(v) for v in upper] + [make((upper[k][0], neg(upper[k][1]))) for k in off]
        store = getattr(rho, "_matrix__data", None)
        if isinstance(store, dict) and not store and BULK_MATRIX:
            store.update(zip(keys, values))  # nonzero mpc values, as __setitem__ would store them
        else:
            for key, v in zip(keys, values):
                rho[key] = v
    finally:
        if enabled:
            gc.enable()
    return rho


def _dense_flint_solve(fl, rf, system, p, to_matrix):
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
            Xr, Xi = to_matrix(e)
            Rr, Ri = fl.apply(Xr, Xi)
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
