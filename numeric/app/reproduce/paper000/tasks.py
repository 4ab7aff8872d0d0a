r"""Paper 000 (Hannukainen & Larson, cooperative resonance fluorescence, model ``crf``) at the paper's sizes.

Conventions: ``models.crf()`` (:math:`H = \omega S_x`, rate :math:`2\kappa/S` on :math:`\mathcal D[S^-]`,
the paper's eq. 10), :math:`\lambda = \omega/(2\kappa)`, :math:`\kappa = 1`; the paper's figures use
S = 50, 100, 200, 400, 1600 (Figs. 2b, 4, 5, 6), and so do we (plus S = 800 where a sequence in S
needs it).  Every value comes from the engine (:mod:`analytic.meanfield`, :mod:`analytic.exact`,
:mod:`analytic.formulas`) or from the numeric solvers; printed formulas appear only as the
printed side of a comparison.

* Mean field (Fig. 2a, eqs. 13-20): fixed points found numerically
  (:func:`numeric.semiclassical.flows.meanfield_fixed_points`), their stability from a central
  finite-difference Jacobian on the tangent plane of the sphere (:func:`tangent_eigenvalues`);
  the exponents of :math:`s_z` and of the relaxation rate as :math:`\lambda \to 1^-`.
* The Liouvillian gap at finite S (:func:`numeric.solvers.spectrum.gap`), extrapolated to S = oo.
* Eq. (11) taken literally (:func:`eq11_state`) with the printed and the derived g; its
  stationarity residual from the model's Liouvillian at 50 digits
  (:class:`numeric.solvers.precision.FixedPointLiouvillian`), and the g that makes it stationary
  (:func:`stationary_g_ratio`).
* The exact Puri-Lawande state (:class:`analytic.exact.PuriLawande`) at the paper's S: the
  approach to the mean-field branch (Fig. 2b), purities (Fig. 5, eqs. 23, 27), negativity and
  squeezing (Fig. 6, eqs. 24-28), peak positions extrapolated in S, the variance exponents of
  Fig. 4b, the scaling exponent at :math:`\lambda = 1`.
* Eq. (26) against an explicit partial trace (:func:`explicit_reduced`), eq. (33) against the
  time derivative of :math:`\langle a\rangle` from the finite-size Liouvillian of ``pumped_dicke``.
"""
from __future__ import annotations

import math
from functools import lru_cache
from itertools import product

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import brentq, curve_fit, minimize_scalar

import analytic as an
import analytic.exact as ex
from analytic import meanfield as mf

from numeric.app import figures
from numeric.app.checks import ORDER_TOL
from numeric.semiclassical.flows import meanfield_fixed_points, meanfield_flow
from numeric.core.liouvillian import liouvillian, setup
from numeric.solvers.precision import FixedPointLiouvillian
from numeric.solvers.spectrum import gap
from numeric.solvers.steady import steady_state
from numeric.app.reproduce.spec import Abs, Monotone, Spec, Task, Within, require

__all__ = ["NUMBER", "SPECS", "TASKS", "tangent_eigenvalues", "meanfield_point", "richardson", "power_order",
           "eq11_state", "lindblad_residual", "stationary_g_ratio", "explicit_reduced", "printed_two_qubit_rows",
           "variance_exponents", "critical_scaling_exponent", "peak_location", "squeezing_crossing"]

NUMBER = "000"
PAPER_SIZES = (50, 100, 200, 400, 800, 1600)   # the paper's S = 50 ... 1600, with 800 added for sequences
SMALL_SIZES = (10, 20, 40, 80)
LAM_MF, LAM_PARA = 0.9, 1.3                   # non-dyadic points of our choice
PRINTED_BETA = {"x": 0.54, "y": 0.48, "z": 0.46}
DASH = "-"                                    # reference of criteria that use none (Within, Monotone)


def _sizes(size: str) -> tuple:
    return PAPER_SIZES if size == "paper" else SMALL_SIZES


@lru_cache(maxsize=None)
def _crf():
    return an.models.crf()


def _values(lam: float) -> dict:
    return {"omega": 2 * lam, "kappa": 1.0}


# ============================================================================ numeric helpers
def richardson(sizes, values, terms: int = 3) -> float:
    r"""S -> oo limit of ``values`` by fitting :math:`f_\infty + c_1/S + \dots + c_{n-1}/S^{n-1}`
    exactly through the last ``terms`` points (``terms`` = 3: :math:`f_\infty + c_1/S + c_2/S^2`)."""
    S = np.asarray(sizes, float)[-terms:]
    v = np.asarray(values, float)[-terms:]
    if len(S) < terms:
        raise ValueError(f"richardson: need {terms} sizes, got {len(S)}")
    A = np.vstack([S ** -k for k in range(terms)]).T
    return float(np.linalg.solve(A, v)[0])


def power_order(sizes, values) -> float:
    r"""Fitted order p of :math:`|v| \propto S^{-p}` (least squares of log|v| against log S)."""
    return float(-np.polyfit(np.log(np.asarray(sizes, float)), np.log(np.abs(np.asarray(values, float))), 1)[0])


def tangent_eigenvalues(f, x, h: float = 1e-6) -> np.ndarray:
    r"""Eigenvalues of the central finite-difference Jacobian of the flow ``f`` at a fixed point
    ``x`` of one spin, restricted to the tangent plane of its sphere: :math:`B^TJB` with B an
    orthonormal basis of :math:`x^\perp`.  At a fixed point of a length-conserving flow
    :math:`x^TJ = 0`, so the tangent plane is invariant and these are the linear-stability
    eigenvalues (independent of the engine's symbolic Jacobian)."""
    x = np.asarray(x, float)
    n = len(x)
    J = np.empty((n, n))
    for j in range(n):
        dx = np.zeros(n)
        dx[j] = h
        J[:, j] = (f(x + dx) - f(x - dx)) / (2 * h)
    B = np.linalg.svd(x[None, :])[2][1:].T
    return np.linalg.eigvals(B.T @ J @ B)


def meanfield_point(lam: float, kind: str) -> tuple:
    r"""(point [s_x, s_y, s_z], finite-difference tangent eigenvalues) of the thermodynamic-limit
    mean-field flow of crf at ``lam``: ``kind`` 'stable' (the attractor, lambda < 1) or 'centre'
    (the paramagnetic centre with s_x > 0, lambda > 1), found by
    :func:`numeric.semiclassical.flows.meanfield_fixed_points` and classified by :func:`tangent_eigenvalues`."""
    m = _crf()
    vals = _values(lam)
    flow = meanfield_flow(m, vals, thermodynamic_limit=True)
    pts = meanfield_fixed_points(m, vals, starts=8, t_max=50.0 if kind == "stable" else 2.0, thermodynamic_limit=True)
    found = []
    for p in pts:
        x = np.array([p[k] for k in flow.names])
        ev = tangent_eigenvalues(flow.f, x)
        re = ev.real.max()
        if kind == "stable" and re < -1e-9:
            found.append((x, ev))
        elif kind == "centre" and abs(re) < 1e-7 and x[flow.names.index("sx")] > 0:
            found.append((x, ev))
    require(len(found) == 1, f"lambda = {lam}: expected one {kind} fixed point, found {len(found)} of {len(pts)}")
    x, ev = found[0]
    require(abs(np.linalg.norm(x) - 1) < 1e-9, f"lambda = {lam}: the fixed point is off the unit sphere")
    return x, ev


def _engine_point(lam: float, predicate) -> dict:
    """The engine's closed-form fixed point of crf selected by ``predicate`` at ``lam`` (numbers)."""
    m = _crf()
    chosen = []
    for p in mf.fixed_points(m):
        if not p.exists(_values(lam)):
            continue
        num = {k: float(sp.re(sp.N(v))) for k, v in p.subs(_values(lam)).items()}
        ev = [complex(sp.N(e.subs({m.symbol("omega"): 2 * lam, m.symbol("kappa"): 1}))) for e in mf.eigenvalues(m, p)]
        if predicate(num, ev):
            chosen.append((num, ev))
    require(len(chosen) == 1, f"lambda = {lam}: the engine's fixed points do not select uniquely ({len(chosen)})")
    return chosen[0]


# ---------------------------------------------------------------------------- eq. (11)
def _lowering_elements(S) -> list:
    r""":math:`s_a = \langle a+1|S^-|a\rangle`, a = 0..2S-1 (index a = S - m), exact mpmath numbers from
    the model's own representation (the squares are integers)."""
    rep, _ = setup(_crf(), _values(1.0), S=S)
    spin = _crf().subsystems[0]
    M = rep.matrix(spin.minus).tocoo()
    out = [mpmath.mpf(0)] * (rep.dim - 1)
    for r, c, v in zip(M.row, M.col, M.data.real):
        require(r == c + 1, "S- is not a lowering matrix in the Dicke basis")
        sq = round(v * v)
        require(abs(v * v - sq) < 1e-8 * max(1, sq), "S- entry is not the root of an integer")
        out[c] = mpmath.sqrt(sq)
    return out


def eq11_state(S, g, dps: int = 50) -> mpmath.matrix:
    r"""Eq. (11) as printed, for any complex ``g``: :math:`\rho = \eta\eta^\dagger/\mathrm{Tr}`,
    :math:`\eta = \sum_{n=0}^{2S}(S^-/g^*)^n` (Dicke basis m = S..-S, mpmath, ``dps`` digits).
    :math:`(S^-)^n` has the single subdiagonal n, so :math:`\eta_{ba} = \eta_{b-1,a}s_{b-1}/g^*`."""
    with mpmath.workdps(dps + 10):
        s = _lowering_elements(S)
        d = len(s) + 1
        gc = mpmath.conj(mpmath.mpc(g))
        eta = mpmath.matrix(d, d)
        for a in range(d):
            eta[a, a] = 1
            for b in range(a + 1, d):
                eta[b, a] = eta[b - 1, a] * s[b - 1] / gc
        rho = mpmath.matrix(d, d)
        for a in range(d):
            for b in range(a + 1):
                v = mpmath.fsum(eta[a, k] * mpmath.conj(eta[b, k]) for k in range(b + 1))
                rho[a, b] = v
                rho[b, a] = mpmath.conj(v)
        tr = mpmath.fsum(rho[a, a] for a in range(d))
        return rho / tr


@lru_cache(maxsize=8)
def _fixed_point_liouvillian(lam: float, S, dps: int):
    rep, vals = setup(_crf(), _values(lam), S=S)
    p = int(math.ceil(dps * math.log2(10))) + 48
    return FixedPointLiouvillian(_crf(), rep, vals, p)


def _lindblad_entries(rho: mpmath.matrix, lam: float, S, dps: int) -> list:
    r"""Real and imaginary parts of the entries of :math:`\mathcal L\rho` (mpmath), the Liouvillian of
    ``models.crf()`` at :math:`\omega = 2\lambda`, :math:`\kappa = 1` applied exactly in fixed point."""
    fl = _fixed_point_liouvillian(lam, S, dps)
    d = fl.dim
    with mpmath.workdps(dps + 20):
        scale = mpmath.mpf(2) ** fl.p
        Xr = np.array([[int(mpmath.nint(mpmath.re(rho[a, b]) * scale)) for b in range(d)] for a in range(d)],
                      dtype=object)
        Xi = np.array([[int(mpmath.nint(mpmath.im(rho[a, b]) * scale)) for b in range(d)] for a in range(d)],
                      dtype=object)
        Rr, Ri = fl.apply(Xr, Xi)
        return [mpmath.mpf(int(v)) / scale for v in list(Rr.ravel()) + list(Ri.ravel())]


def lindblad_residual(rho: mpmath.matrix, lam: float, S, dps: int = 50) -> mpmath.mpf:
    r""":math:`\max|(\mathcal L\rho)_{ab}|` with the Liouvillian of ``models.crf()`` at
    :math:`\omega = 2\lambda, \kappa = 1` applied exactly in fixed point with :math:`\approx` ``dps``
    digits (:class:`numeric.solvers.precision.FixedPointLiouvillian`; float parameters taken as the exact
    binary numbers they are)."""
    return max(abs(v) for v in _lindblad_entries(rho, lam, S, dps))


def _g_of(c, lam: float, S) -> mpmath.mpc:
    r""":math:`g = c\,i\omega S/\kappa` at :math:`\omega = 2\lambda`, :math:`\kappa = 1`: c = 1 is the printed g."""
    return mpmath.mpc(0, 1) * c * mpmath.mpf(2 * lam) * S


def _residual_vector(c, lam: float, S, dps: int) -> list:
    return _lindblad_entries(eq11_state(S, _g_of(c, lam, S), dps), lam, S, dps)


def stationary_g_ratio(lam: float, S, dps: int = 50, grid=np.linspace(0.1, 2.0, 40)) -> tuple:
    r"""The real c for which eq. (11) with :math:`g = c\,i\omega S/\kappa` is stationary: the grid
    point of ``grid`` (which holds the printed c = 1) with the smallest residual at 30 digits, then
    Gauss-Newton on the residual vector :math:`\mathcal L\rho(c)` (central differences at ``dps``
    digits).  Returns (c, final max residual)."""
    coarse = [max(abs(v) for v in _residual_vector(mpmath.mpf(float(c)), lam, S, 30)) for c in grid]
    c = mpmath.mpf(float(grid[int(np.argmin(coarse))]))
    with mpmath.workdps(dps + 20):
        h = mpmath.mpf(10) ** (-(dps // 2))
        for _ in range(40):
            r = _residual_vector(c, lam, S, dps)
            dr = [(a - b) / (2 * h) for a, b in zip(_residual_vector(c + h, lam, S, dps),
                                                    _residual_vector(c - h, lam, S, dps))]
            step = mpmath.fsum(a * b for a, b in zip(dr, r)) / mpmath.fsum(a * a for a in dr)
            c -= step
            if abs(step) < mpmath.mpf(10) ** (-(dps - 10)):
                break
        res = max(abs(v) for v in _residual_vector(c, lam, S, dps))
    return c, res


# ---------------------------------------------------------------------------- eq. (26)
def explicit_reduced(rho: np.ndarray, S, n_keep: int = 2) -> np.ndarray:
    r"""Reduced state of the first ``n_keep`` qubits of the symmetric 2S-qubit state
    :math:`V\rho V^\dagger` (V: Dicke state :math:`|S, S-k\rangle` -> equal superposition of the
    :math:`\binom{2S}{k}` strings with k down spins; qubit 0 = up, first qubit most significant),
    by explicit partial trace.  For small S (dimension :math:`2^{2S}`)."""
    N = int(round(2 * float(S)))
    V = np.zeros((2 ** N, N + 1))
    for idx, bits in enumerate(product((0, 1), repeat=N)):
        V[idx, sum(bits)] = 1 / math.sqrt(math.comb(N, sum(bits)))
    full = V @ rho @ V.T
    keep, rest = 2 ** n_keep, full.shape[0] // 2 ** n_keep
    return np.einsum("aibi->ab", full.reshape(keep, rest, keep, rest))


def printed_two_qubit_rows(S, Sz, Sz2, Sp, Sp2, SpSz) -> list:
    r"""Eqs. (25)-(26) **as printed** (denominators :math:`4(S-\tfrac12)` of :math:`v_\pm` and
    :math:`8(S-\tfrac12)` of :math:`x_\pm`), only to show the misprint; the toolkit's form is
    :func:`analytic.exact.two_qubit_rows`."""
    h = S - 0.5
    vp = (S * S - S + Sz2 + 2 * Sz * h) / (4 * h)
    vm = (S * S - S + Sz2 - 2 * Sz * h) / (4 * h)
    xp = (2 * h * Sp + SpSz) / (8 * h)
    xm = (2 * h * Sp - SpSz) / (8 * h)
    w = (S * S - Sz2) / (4 * S * h)
    u = Sp2 / (4 * S * h)
    c = lambda z: z.conjugate()
    return [[vp, c(xp), c(xp), c(u)], [xp, w, w, c(xm)], [xp, w, w, c(xm)], [u, xm, xm, vm]]


# ---------------------------------------------------------------------------- exact state
def exact_observables(lam: float, S, dps: int = 20) -> dict:
    """<Sz>/S, purity, single-qubit purity, negativity and xi^2 along x, y, z of the exact state."""
    st = ex.PuriLawande(2 * lam, 1.0, S, dps=dps)
    return {"sz": float(st.moments()["Sz"]) / S, "purity": float(st.purity()), "qubit_purity": float(st.qubit_purity()),
            "negativity": float(st.negativity()), **{f"xi2_{a}": float(st.xi2(a)) for a in "xyz"}}


def peak_location(fn, lo: float = 0.7, hi: float = 1.2) -> tuple:
    """(argmin, min) of the scalar function ``fn`` on [lo, hi] (bounded Brent, xatol 1e-6)."""
    r = minimize_scalar(fn, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
    require(lo + 1e-3 < r.x < hi - 1e-3, f"the extremum {r.x} sits on the search boundary [{lo}, {hi}]")
    return float(r.x), float(r.fun)


def _extrapolated_location(sizes, locs) -> float:
    r"""S -> oo limit of a peak position, :math:`\lambda^*(S) = \lambda_\infty - cS^{-\nu}` fitted over the
    four largest sizes (three free parameters)."""
    f = lambda S, a, c, nu: a - c * S ** -nu
    popt, _ = curve_fit(f, np.asarray(sizes[-4:], float), np.asarray(locs[-4:], float), p0=(1.0, 0.5, 0.6), maxfev=20000)
    return float(popt[0])


def squeezing_crossing(S) -> float:
    r"""The :math:`\lambda < 1` where :math:`\xi^2_x` of the exact state crosses 1 (brentq on [0.9, 1]),
    after checking :math:`\xi^2_x(0.9) < 1 < \xi^2_x(1)`."""
    f = lambda l: float(ex.xi2_x(2 * l, 1.0, S, dps=20)) - 1
    require(f(0.9) < 0 < f(1.0), f"S = {S}: xi2_x does not cross 1 inside [0.9, 1]")
    return float(brentq(f, 0.9, 1.0, xtol=1e-10))


def variance_exponents(eps, S_of_eps, dps: int = 15) -> tuple:
    r"""Fig. 4b: exponents of the spin variances :math:`\Delta S_\alpha` (eq. 22) as :math:`\lambda \to 1^+`.

    At :math:`\lambda = 1 + \epsilon` for each ``eps`` the exact state at :math:`S = ` ``S_of_eps(eps)``
    (large enough that :math:`\epsilon S^{2/3} \ge 5`, i.e. outside the finite-size crossover, so the
    values are those of S -> oo to ~0.2 %) gives :math:`\Delta S_\alpha/S^2`.  Returns
    (effective, asymptotic, local, midpoints): the least-squares slope of
    :math:`\ln\Delta S_\alpha` against :math:`\ln\epsilon` over all ``eps``; the limit
    :math:`\epsilon \to 0` of the local slopes (between neighbouring eps, at their geometric
    midpoints) from a fit :math:`\beta_0 + c\sqrt\epsilon`; the local slopes; the midpoints."""
    eps = np.asarray(eps, float)
    var = []
    for e in eps:
        S = S_of_eps(e)
        v = ex.PuriLawande(2 * (1 + e), 1.0, S, dps=dps).variances()
        var.append([float(v[a]) / S ** 2 for a in "xyz"])
    lv, le = np.log(np.array(var)), np.log(eps)
    effective = [float(np.polyfit(le, lv[:, i], 1)[0]) for i in range(3)]
    local = np.diff(lv, axis=0) / np.diff(le)[:, None]
    mid = np.sqrt(eps[:-1] * eps[1:])
    asymptotic = [float(np.polyfit(np.sqrt(mid), local[:, i], 1)[1]) for i in range(3)]
    return effective, asymptotic, local, mid


def critical_scaling_exponent(S_lo: int, S_hi: int, points: int) -> tuple:
    r"""a of :math:`-\langle S_z\rangle/S = S^{-a}(c_0 + c_1S^{-1/3})` at :math:`\lambda = 1`, fitted over
    ``points`` sizes log-spaced in [S_lo, S_hi] (float64 evaluator of ``crf.exact.sz``), and the
    slope of a pure power law over the same sizes.  Returns (a, standard error, pure slope)."""
    sz = an.formulas.get("crf.exact.sz")
    Ss = np.unique(np.round(np.geomspace(S_lo, S_hi, points)).astype(int))
    v = np.array([-float(sz(2.0, 1.0, int(S))) for S in Ss])
    f = lambda lS, a, c0, c1: np.log(c0 + c1 * np.exp(-lS / 3)) - a * lS
    popt, pcov = curve_fit(f, np.log(Ss), np.log(v), p0=(0.33, 1.0, 0.0))
    return float(popt[0]), float(np.sqrt(pcov[0, 0])), power_order(Ss, v)


# ============================================================================ specs
def _lam(x: float) -> str:
    return f"lam{x:g}"


SPECS = [
    # ---------------------------------------------------------------- mean field (Fig. 2a, eqs. 14-20)
    Spec(f"eq14.attractor.{_lam(LAM_MF)}", f"numeric mean-field attractor (s_x, s_y, s_z) at lambda = {LAM_MF}",
         "eq. (14), Fig. 2a", "S(0, lambda, -sqrt(1-lambda^2))", Abs(1e-8)),
    Spec(f"eq15.centre.{_lam(LAM_PARA)}", f"numeric paramagnetic fixed point with s_x > 0 at lambda = {LAM_PARA}",
         "eq. (15), Fig. 2a", "S(sqrt(1-1/lambda^2), 1/lambda, 0)", Abs(1e-8)),
    Spec(f"eq19.rate.{_lam(LAM_MF)}", "relaxation rate at the attractor (finite-difference tangent Jacobian) vs "
         "the engine's crf.meanfield.relaxation_rate = 2 kappa sqrt(1 - lambda^2)", "eq. (19) (derived)",
         "-", Abs(1e-6)),
    Spec(f"eq19.rate_printed.{_lam(LAM_MF)}", "the same numeric rate vs the printed eigenvalue 2 kappa sqrt(1 - lambda)",
         "eq. (19)", "2 kappa sqrt(1-lambda)", Abs(1e-6), 2 * math.sqrt(1 - LAM_MF), expected=False,
         finding="Misprint: the finite-difference Jacobian of the mean-field flow at the attractor has the double "
                 "eigenvalue -2 kappa sqrt(1 - lambda^2) (0.8718 at lambda = 0.9), which the engine derives; the "
                 "printed 2 kappa sqrt(1 - lambda) (0.6325) is not an eigenvalue. The exponent 1/2 is unaffected."),
    Spec(f"eq20.frequency.{_lam(LAM_PARA)}", "oscillation frequency |Im eigenvalue| at the paramagnetic centre "
         "(finite differences) vs the engine's omega sqrt(1 - 1/lambda^2)", "eq. (20) (derived)", "-", Abs(1e-6)),
    Spec(f"eq20.frequency_printed.{_lam(LAM_PARA)}", "the same numeric frequency vs the eigenvalues +-i omega "
         "sqrt(1 - 1/lambda) of the printed Jacobian (20)", "eq. (20)", "omega sqrt(1-1/lambda)", Abs(1e-6),
         2 * LAM_PARA * math.sqrt(1 - 1 / LAM_PARA), expected=False,
         finding="Misprint: the centres of eq. (15) have eigenvalues +-i omega sqrt(1 - 1/lambda^2) (1.6613 at "
                 "lambda = 1.3, finite-difference Jacobian on the sphere, as the engine derives); the printed "
                 "matrix (20) gives omega sqrt(1 - 1/lambda) (1.2490)."),
    Spec("sec3b.delta_meanfield", "exponent of -s_z of the numeric attractor in 1 - lambda, fit over 1 - lambda in "
         "[1e-4, 1e-2]", "Sec. III B", "delta = 1/2", Abs(1e-3), 0.5),
    Spec("sec3b.gap_exponent_meanfield", "exponent of the numeric relaxation rate in 1 - lambda, fit over "
         "1 - lambda in [1e-4, 1e-2]", "Sec. III B", "T ~ (1-lambda)^-1/2", Abs(1e-3), 0.5),
    # ---------------------------------------------------------------- Liouvillian gap
    Spec("sec3b.gap.lam0.6", "Liouvillian gap at finite S (S = 40, 80, 160) extrapolated to S = oo, vs the "
         "engine's 2 kappa sqrt(1 - lambda^2)", "Sec. III B (derived)", "-", Abs(1e-3)),
    Spec("sec3b.gap_printed.lam0.6", "the extrapolated Liouvillian gap vs the printed 2 kappa sqrt(1 - lambda)",
         "Sec. III B, eq. (19)", "2 kappa sqrt(1-lambda)", Abs(1e-3), 2 * math.sqrt(1 - 0.6), expected=False,
         finding="The gap of the finite-S Liouvillian (numeric.solvers.spectrum.gap, S = 40, 80, 160, errors ~ 1/S) "
                 "extrapolates to 2 kappa sqrt(1 - lambda^2) = 1.6000 at lambda = 0.6, not to the printed "
                 "2 kappa sqrt(1 - lambda) = 1.2649: the same misprint as eq. (19)."),
    Spec("sec3b.gap_errors.lam0.6", "|gap(S) - 2 kappa sqrt(1 - lambda^2)| for S = 40, 80, 160", "Sec. III B (derived)",
         "-", Monotone(-1), DASH),
    # ---------------------------------------------------------------- eq. (11)
    Spec("eq11.residual", "max |L rho| of eq. (11) with the engine's g = i omega S/(2 kappa), S = 50, "
         "lambda = 0.9, 50 digits", "eq. (11) (derived)", "-", Abs(1e-40), 0.0),
    Spec("eq11.residual_printed", "max |L rho| of eq. (11) with the printed g = i omega S/kappa, S = 50, "
         "lambda = 0.9, 50 digits", "eq. (11)", "g = i omega S/kappa", Abs(1e-40), 0.0, expected=False,
         finding="Misprint: eq. (11) taken literally with the printed g = i omega S/kappa is not stationary under "
                 "the model's own Liouvillian (eq. 10): max |L rho| = 0.016 at S = 50, lambda = 0.9, against "
                 "1e-60 with the engine's g = i omega S/(2 kappa) = i lambda S (50-digit fixed-point Liouvillian)."),
    Spec("eq11.g_ratio", "the c that makes eq. (11) stationary for g = c i omega S/kappa (smallest residual "
         "on a grid of 40 c in [0.1, 2], then Gauss-Newton at 50 digits), S = 10, vs the engine's c = 1/2", "eq. (11) (derived)", "-", Abs(1e-12)),
    Spec("eq11.g_ratio_printed", "the same stationary c vs the printed c = 1", "eq. (11)", "g = i omega S/kappa",
         Abs(1e-12), 1.0, expected=False,
         finding="The g that makes eq. (11) stationary, found numerically (grid over c in [0.1, 2] "
                 "holding the printed c = 1, then Gauss-Newton), is c i omega S/kappa with c = 0.5000000000 (residual < 1e-40): g = i omega S/(2 kappa), a factor 2 "
                 "below the printed value, as the engine derives (analytic.exact.puri_lawande_g)."),
    # ---------------------------------------------------------------- Fig. 2b
    *[Spec(f"fig2b.sz_limit.{_lam(l)}", f"<Sz>/S of the exact state at S = 400, 800, 1600 extrapolated to S = oo "
           f"(f + c1/S + c2/S^2) vs the engine's mean-field branch, lambda = {l}", "Fig. 2b, eq. (14)",
           "-sqrt(1-lambda^2)", Abs(1e-5)) for l in (0.3, 0.6, 0.9)],
    *[Spec(f"fig2b.sz_order.{_lam(l)}", f"fitted order p of |<Sz>/S - mean field| ~ S^-p, S = 200..1600, "
           f"lambda = {l} (ours: 1)", "Fig. 2b", "-", Abs(ORDER_TOL), 1.0) for l in (0.3, 0.6)],
    Spec(f"fig2b.sz_limit.{_lam(LAM_PARA)}", "<Sz>/S extrapolated to S = oo in the paramagnetic phase vs the "
         "engine's centres (s_z = 0)", "Fig. 2b, eq. (15)", "0", Abs(1e-5)),
    Spec("fig2b.transition", "steepest point of the exact <Sz>/S in lambda, lambda*(S) = lambda_c - c S^-nu "
         "fitted over S = 200..1600", "Sec. III A, Fig. 2b", "lambda_c = 1", Abs(2e-3), 1.0),
    Spec("sec3b.delta_exact", "exponent of -<Sz>/S of the exact state in 1 - lambda at S = 10^6: fit of "
         "ln(-s_z) = delta ln(1-lambda) + c0 + c1 (1-lambda) over 1 - lambda in [10^-2.5, 10^-1]",
         "Sec. III B", "delta = 1/2", Abs(1e-3), 0.5),
    Spec("sec3b.critical_scaling_a", "at lambda = 1: -<Sz>/S = S^-a (c0 + c1 S^-1/3), S = 100..10^4 (13 sizes); "
         "the paper prints no value (ours: a = 1/3)", "Sec. III B (ours)", "-", Abs(0.01), 1 / 3),
    # ---------------------------------------------------------------- Fig. 4b
    *[Spec(f"fig4b.beta_{a}.effective", f"effective exponent of Delta S_{a} (eq. 22) as lambda -> 1+: slope of "
           "ln Delta S against ln(lambda - 1) over [10^-2.75, 10^-2] at S = oo (S with (lambda-1) S^(2/3) >= 5); "
           "window ours", "Fig. 4 caption", f"{v:.2f}", Abs(0.02), v) for a, v in PRINTED_BETA.items()],
    *[Spec(f"fig4b.beta_{a}.asymptotic", f"exponent of Delta S_{a} as lambda -> 1+ (local slopes at "
           "lambda - 1 = 10^-2.1 ... 10^-2.6 extrapolated with beta0 + c sqrt(lambda - 1)) vs the printed value",
           "Fig. 4 caption", f"{v:.2f}", Abs(0.01), v, expected=False,
           finding="The printed beta_x, beta_y, beta_z = 0.54, 0.48, 0.46 ('different, not simple fractions') are "
                   "effective exponents of a window near lambda - 1 ~ 10^-2.5 (reproduced there within 0.02). The "
                   "local exponents of the exact state at S = oo drift with corrections ~ sqrt(lambda - 1) and all "
                   "three extrapolate to 1/2 (within 0.01).")
      for a, v in PRINTED_BETA.items()],
    Spec("fig4b.beta_asymptotic", "the asymptotic exponents (beta_x, beta_y, beta_z) as lambda -> 1+ (ours: 1/2 each)",
         "Fig. 4 caption (ours)", "-", Abs(0.01), [0.5, 0.5, 0.5]),
    # ---------------------------------------------------------------- Fig. 5
    Spec("fig5a.purity.lam0.9.S1600", "Tr rho^2 (eq. 23) at lambda = 0.9, S = 1600", "Fig. 5a",
         "P -> 1 for lambda < 1", Abs(1e-12), 1.0),
    Spec(f"fig5a.purity.{_lam(LAM_PARA)}", f"Tr rho^2 for S = 50..1600 at lambda = {LAM_PARA}", "Fig. 5a",
         "P -> 0 for lambda > 1", Monotone(-1), DASH),
    Spec(f"fig5a.purity_order.{_lam(LAM_PARA)}", f"fitted order p of Tr rho^2 ~ S^-p, S = 200..1600, lambda = "
         f"{LAM_PARA} (ours: P ~ 1/S)", "Fig. 5a", "P -> 0", Abs(0.02), 1.0),
    Spec("fig5b.qubit_purity_limit.lam0.9", "single-qubit purity (eq. 27) at lambda = 0.9 extrapolated to S = oo",
         "Fig. 5b", "P_q -> 1 for lambda < 1", Abs(1e-5), 1.0),
    Spec("fig5b.qubit_purity.lam1", "single-qubit purity at lambda = 1 for S = 50..1600 (rises towards 1: "
         "continuous at the transition)", "Fig. 5b", "continuous (cusp)", Monotone(+1), DASH),
    Spec("fig5b.qubit_purity_limits.paramagnetic", "single-qubit purity extrapolated to S = oo at lambda = 1.1, "
         "1.3, 2.0", "Fig. 5b", "more mixed as lambda grows", Monotone(-1), DASH),
    # ---------------------------------------------------------------- Fig. 6
    *[Spec(f"fig6a.negativity_order.{_lam(l)}", f"fitted order p of the two-qubit negativity ~ S^-p, "
           f"S = 50..1600, lambda = {l}", "Sec. III C, Fig. 6a", "S^-1", Abs(0.02), 1.0) for l in (0.6, 0.9)],
    Spec("fig6a.max_negativity_order", "fitted order p of max_lambda of the negativity ~ S^-p, S = 50..1600",
         "Sec. III C", "S^-0.9", Abs(0.05), 0.9),
    Spec("fig6a.negativity_peak", "position of the negativity maximum, lambda*(S) = lambda_c - c S^-nu fitted "
         "over S = 200..1600", "Fig. 6a caption", "peak at lambda = 1", Abs(5e-3), 1.0),
    Spec("fig6a.negativity_paramagnetic", "largest negativity over the Fig. 6 grid with lambda > 1 at every S",
         "Sec. III C", "0 for lambda > 1, any S", Abs(1e-15), 0.0),
    Spec("fig6b.xi2_x_limit.lam0.6", "xi^2_x (eq. 28) at lambda = 0.6 extrapolated to S = oo vs the engine's "
         "crf.hp.xi2 = sqrt(1 - lambda^2)", "Fig. 6b (derived)", "weak S-dependence", Abs(1e-6)),
    Spec("fig6b.squeezing_min_location", "position of the minimum of xi^2_x, lambda*(S) = lambda_c - c S^-nu "
         "fitted over S = 200..1600", "Fig. 6 caption", "max squeezing at lambda = 1", Abs(5e-3), 1.0),
    Spec("fig6b.squeezing_min_value", "min over lambda of xi^2_x for S = 50..1600", "Fig. 6 caption",
         "squeezing grows with S", Monotone(-1), DASH),
    Spec("fig6b.xi2_x_crossing", "the lambda < 1 above which xi^2_x > 1, for S = 50..1600", "Sec. III C",
         "xi^2_x < 1 for all lambda < 1, all S", Within(lo=1.0), DASH, expected=False,
         finding="xi^2_x < 1 'whenever lambda < 1 and for all S' fails just below the transition: at every "
                 "S of the paper xi^2_x > 1 for lambda_1(S) < lambda < 1, lambda_1 = 0.959 (S = 50) ... 0.992 "
                 "(S = 1600) (exact state, brentq); lambda_1 -> 1, so the claim holds only as S -> oo."),
    Spec("fig6b.xi2_x_crossing_trend", "the crossing lambda_1(S) for S = 50..1600", "Sec. III C (ours)",
         "-", Monotone(+1), DASH),
    Spec("fig6b.xi2_yz_min", "smallest xi^2_y and xi^2_z over lambda = 0.02..2 (Fig. 6 grid) and S = 50..1600",
         "Sec. III C", "xi^2 > 1 for n1 = y, z", Within(lo=1.0), DASH),
    Spec("fig6b.xi2_x_paramagnetic_min", "smallest xi^2_x over the Fig. 6 grid with lambda > 1, S = 50..1600",
         "Fig. 6 caption", "no squeezing for lambda > 1", Within(lo=1.0), DASH),
    # ---------------------------------------------------------------- eq. (26)
    Spec("eq26.explicit", "max |two-qubit state (toolkit, denominators 4S(S-1/2), 8S(S-1/2)) - explicit partial "
         "trace| of the steady state, S = 5, lambda = 0.9", "eqs. (25)-(26) (derived)", "-", Abs(1e-12), 0.0),
    Spec("eq26.explicit_printed", "the same with the printed denominators 4(S-1/2), 8(S-1/2)", "eq. (26)",
         "4(S-1/2), 8(S-1/2)", Abs(1e-12), 0.0, expected=False,
         finding="Misprint: the explicit partial trace of the symmetric 2S-qubit state gives v_+- and x_+- with "
                 "denominators 4S(S-1/2) and 8S(S-1/2); the printed 4(S-1/2), 8(S-1/2) are S times too large "
                 "(equal only at S = 1): max deviation 2.18 from the explicit state at S = 5, and Tr rho_2q = 952 "
                 "instead of 1 at S = 1600, lambda = 0.9."),
    Spec("eq26.trace.S1600", "Tr of the toolkit's two-qubit state at S = 1600, lambda = 0.9 (exact moments)",
         "eq. (25) (derived)", "1", Abs(1e-12), 1.0),
    Spec("eq26.trace_printed.S1600", "Tr of eq. (25) with the printed denominators at S = 1600, lambda = 0.9",
         "eq. (26)", "1", Abs(1e-12), 1.0, expected=False,
         finding="With the printed denominators Tr rho_2q = v_+ + v_- + 2w = 952 at S = 1600, lambda = 0.9 "
                 "(it grows like S), not 1."),
    # ---------------------------------------------------------------- eq. (33)
    Spec("eq33.sy_coefficient", "k in dS_y/dt = (Delta/2gamma^2) S_x - (k G x/sqrt(K) + omega) S_z with "
         "x = Re<a>, from Tr[S_y L(rho)] of the finite pumped_dicke Liouvillian (product state, S = 2)",
         "eq. (33)", "2", Abs(1e-10), 2.0),
    Spec("eq33.dp_coefficient", "k in dp/dt = -nu x - k G S_x/sqrt(K) - gamma p, p = Im<a>, from "
         "Tr[a L(rho)] (same state) vs the engine's mean-field equations", "eq. (33) (derived)", "-", Abs(1e-10)),
    Spec("eq33.dp_coefficient_printed", "the same numeric k vs the printed 2", "eq. (33)", "2", Abs(1e-10), 2.0,
         expected=False,
         finding="Misprint: with x = Re<a>, p = Im<a> (the reading under which the printed spin equation's "
                 "2 G x/sqrt(K) holds, confirmed numerically) the exact d<a>/dt of the model of eq. (32) gives "
                 "dp/dt = -nu x - G S_x/sqrt(K) - gamma p (k = 1.000, as the engine derives), not 2 G S_x/sqrt(K)."),
]


# ============================================================================ tasks
def _meanfield(size: str) -> dict:
    m = _crf()
    out = {"_params": {"kappa": 1, "lambda": [LAM_MF, LAM_PARA], "finite-difference step": 1e-6}}
    x, ev = meanfield_point(LAM_MF, "stable")
    require(np.all(np.abs(ev.imag) < 1e-6) and abs(ev[0] - ev[1]) < 1e-6, "the attractor's eigenvalues are not a real pair")
    num, ev_engine = _engine_point(LAM_MF, lambda p, e: max(z.real for z in e) < 0)
    rate_engine = float(an.formulas.get("crf.meanfield.relaxation_rate")(2 * LAM_MF, 1.0))
    rate = float(-ev.real.mean())
    out[f"eq14.attractor.{_lam(LAM_MF)}"] = ([float(v) for v in x], [num[k] for k in ("sx", "sy", "sz")])
    out[f"eq19.rate.{_lam(LAM_MF)}"] = (rate, rate_engine)
    out[f"eq19.rate_printed.{_lam(LAM_MF)}"] = rate
    xc, evc = meanfield_point(LAM_PARA, "centre")
    numc, evc_engine = _engine_point(LAM_PARA, lambda p, e: p["sx"] > 0)
    omega_num = float(np.abs(evc.imag).max())
    out[f"eq15.centre.{_lam(LAM_PARA)}"] = ([float(v) for v in xc], [numc[k] for k in ("sx", "sy", "sz")])
    out[f"eq20.frequency.{_lam(LAM_PARA)}"] = (omega_num, float(max(abs(z.imag) for z in evc_engine)))
    out[f"eq20.frequency_printed.{_lam(LAM_PARA)}"] = omega_num
    eps = np.logspace(-2, -4, 5) if size == "paper" else np.logspace(-2, -3, 3)
    sz, rates = [], []
    for e in eps:
        xe, eve = meanfield_point(1 - e, "stable")
        sz.append(xe[2])
        rates.append(-eve.real.mean())
    out["sec3b.delta_meanfield"] = float(np.polyfit(np.log(eps), np.log(-np.array(sz)), 1)[0])
    out["sec3b.gap_exponent_meanfield"] = float(np.polyfit(np.log(eps), np.log(rates), 1)[0])
    out["_params"]["1 - lambda (exponents)"] = eps.tolist()
    return out


def _liouvillian_gap(size: str) -> dict:
    lam = 0.6
    Ss = (40, 80, 160) if size == "paper" else (10, 20, 40)
    gaps = [gap(_crf(), _values(lam), S=S) for S in Ss]
    ref = float(an.formulas.get("crf.meanfield.relaxation_rate")(2 * lam, 1.0))
    g_inf = richardson(Ss, gaps)
    return {"_params": {"lambda": lam, "S": list(Ss), "gaps": gaps},
            "sec3b.gap.lam0.6": (g_inf, ref), "sec3b.gap_printed.lam0.6": g_inf,
            "sec3b.gap_errors.lam0.6": [abs(g - ref) for g in gaps]}


def _eq11(size: str) -> dict:
    lam, dps = LAM_MF, 50
    S_res, S_g = (50, 10) if size == "paper" else (5, 5)
    m = _crf()
    g_engine = ex.puri_lawande_g()
    om, ka = m.symbol("omega"), m.symbol("kappa")
    S = next(iter(m.size_symbols()))
    c_engine = sp.nsimplify(sp.simplify(g_engine / (sp.I * om * S / ka)))
    require(c_engine.is_Rational, f"the engine's g is not a rational multiple of i omega S/kappa: {g_engine}")
    res = {}
    for key, c in (("eq11.residual", mpmath.mpf(c_engine.p) / c_engine.q), ("eq11.residual_printed", mpmath.mpf(1))):
        with mpmath.workdps(dps + 10):
            res[key] = float(lindblad_residual(eq11_state(S_res, _g_of(c, lam, S_res), dps), lam, S_res, dps))
    c_num, r_num = stationary_g_ratio(lam, S_g, dps)
    require(r_num < mpmath.mpf(10) ** -40, f"Gauss-Newton did not reach a stationary eq. (11): residual {r_num}")
    return {"_params": {"lambda": lam, "S residual": S_res, "S for the stationary g": S_g, "dps": dps},
            **res, "eq11.g_ratio": (float(c_num), float(c_engine)), "eq11.g_ratio_printed": float(c_num)}


def _state_table(size: str) -> dict:
    """The exact state at fixed lambda for every S: Fig. 2b limits, Fig. 5, Fig. 6 scaling."""
    Ss = _sizes(size)
    lams = (0.3, 0.6, 0.9, 1.0, 1.1, LAM_PARA, 2.0)
    tab = {(l, S): exact_observables(l, S) for l in lams for S in Ss}
    col = lambda l, k: [tab[l, S][k] for S in Ss]
    mf_sz = an.formulas.get("crf.meanfield.sz")
    hp_xi2 = an.formulas.get("crf.hp.xi2")
    out = {"_params": {"S": list(Ss), "lambda": list(lams), "dps": 20}}
    for l in (0.3, 0.6, 0.9):
        ref = float(mf_sz(2 * l, 1.0))
        out[f"fig2b.sz_limit.{_lam(l)}"] = (richardson(Ss, col(l, "sz")), ref)
        if l in (0.3, 0.6):
            errs = [abs(v - ref) for v in col(l, "sz")]
            require(all(b < a for a, b in zip(errs, errs[1:])), f"lambda = {l}: errors do not fall with S")
            out[f"fig2b.sz_order.{_lam(l)}"] = power_order(Ss[-4:], errs[-4:])
    numc, _ = _engine_point(LAM_PARA, lambda p, e: p["sx"] > 0)
    out[f"fig2b.sz_limit.{_lam(LAM_PARA)}"] = (richardson(Ss, col(LAM_PARA, "sz")), numc["sz"])
    if Ss[-1] == 1600:
        out["fig5a.purity.lam0.9.S1600"] = tab[0.9, 1600]["purity"]
    out[f"fig5a.purity.{_lam(LAM_PARA)}"] = col(LAM_PARA, "purity")
    out[f"fig5a.purity_order.{_lam(LAM_PARA)}"] = power_order(Ss[-4:], col(LAM_PARA, "purity")[-4:])
    out["fig5b.qubit_purity_limit.lam0.9"] = richardson(Ss, col(0.9, "qubit_purity"))
    out["fig5b.qubit_purity.lam1"] = col(1.0, "qubit_purity")
    out["fig5b.qubit_purity_limits.paramagnetic"] = [richardson(Ss, col(l, "qubit_purity")) for l in (1.1, LAM_PARA, 2.0)]
    for l in (0.6, 0.9):
        out[f"fig6a.negativity_order.{_lam(l)}"] = power_order(Ss, col(l, "negativity"))
    out["fig6b.xi2_x_limit.lam0.6"] = (richardson(Ss, col(0.6, "xi2_x")), float(hp_xi2(1.2, 1.0)))
    return out


def _figures(size: str) -> dict:
    """Figs. 2b, 5, 6 on the figure grid at the paper's S (numeric.app.figures), and the grid claims."""
    Ss = figures.CRF_SIZES if size == "paper" else SMALL_SIZES[:3]
    lams = figures.crf_lambdas()
    if size == "small":
        lams = lams[::4]
    data = figures.crf_exact_data(lams, Ss)
    para = lams > 1
    out = {"_params": {"S": list(Ss), "lambda grid": [float(lams[0]), float(lams[-1]), len(lams)]},
           "fig6a.negativity_paramagnetic": float(max(d[para, 3].max() for d in data.values())),
           "fig6b.xi2_x_paramagnetic_min": float(min(d[para, 4].min() for d in data.values()))}
    yz = [ex.PuriLawande(2 * l, 1.0, S, dps=20) for S in Ss for l in lams[::3]]
    out["fig6b.xi2_yz_min"] = float(min(min(float(st.xi2("y")), float(st.xi2("z"))) for st in yz))
    out["_figures"] = {"fig2b_sz": figures.crf_fig2b(lams, data), "fig5_purity": figures.crf_fig5(lams, data),
                       "fig6_negativity_squeezing": figures.crf_fig6(lams, data)}
    return out


def _peaks(size: str) -> dict:
    """Positions of the negativity maximum, the squeezing minimum and the steepest <Sz>/S against S."""
    Ss = _sizes(size)
    sz = an.formulas.get("crf.exact.sz")
    neg, sq, steep, crossing = [], [], [], []
    for S in Ss:
        neg.append(peak_location(lambda l: -float(ex.negativity(2 * l, 1.0, S, dps=20))))
        sq.append(peak_location(lambda l: float(ex.xi2_x(2 * l, 1.0, S, dps=20))))
        h = 1e-5
        steep.append(peak_location(lambda l: -(float(sz(2 * (l + h), 1.0, S)) - float(sz(2 * (l - h), 1.0, S))) / (2 * h)))
        crossing.append(squeezing_crossing(S))
    return {"_params": {"S": list(Ss), "negativity peaks": [(x, -v) for x, v in neg], "squeezing minima": sq, "steepest points": steep},
            "fig6a.max_negativity_order": power_order(Ss, [-v for _, v in neg]),
            "fig6a.negativity_peak": _extrapolated_location(Ss, [x for x, _ in neg]),
            "fig6b.squeezing_min_location": _extrapolated_location(Ss, [x for x, _ in sq]),
            "fig6b.squeezing_min_value": [v for _, v in sq],
            "fig2b.transition": _extrapolated_location(Ss, [x for x, _ in steep]),
            "fig6b.xi2_x_crossing": crossing, "fig6b.xi2_x_crossing_trend": crossing}


def _critical(size: str) -> dict:
    sz = an.formulas.get("crf.exact.sz")
    S_big = 10 ** 6 if size == "paper" else 10 ** 4
    eps = np.logspace(-2.5, -1, 7)
    v = np.array([-float(sz(2 * (1 - e), 1.0, S_big)) for e in eps])
    A = np.vstack([np.log(eps), np.ones_like(eps), eps]).T
    delta = float(np.linalg.lstsq(A, np.log(v), rcond=None)[0][0])
    lo, hi, n = (100, 10_000, 13) if size == "paper" else (100, 1_000, 7)
    a, da, pure = critical_scaling_exponent(lo, hi, n)
    if size == "paper":  # the fit is stable under halving the range; a pure power law drifts (test_exact)
        a_lo, _, p_lo = critical_scaling_exponent(100, 1_000, 9)
        a_hi, _, p_hi = critical_scaling_exponent(1_000, 10_000, 9)
        require(abs(a_lo - a) < 0.01 and abs(a_hi - a) < 0.01 and da < 0.01,
                f"the scaling fit depends on the range: {a_lo}, {a}, {a_hi} (+- {da})")
        require(p_lo > p_hi > a, "a pure power law should drift towards a from above")
    return {"_params": {"S for delta": S_big, "1 - lambda window": [float(eps[0]), float(eps[-1])],
                        "S range for a": [lo, hi, n], "a standard error": da, "pure power-law slope": pure},
            "sec3b.delta_exact": delta, "sec3b.critical_scaling_a": a}


def _fig4b(size: str) -> dict:
    eps = np.logspace(-2, -2.75, 4)
    if size == "paper":
        S_of = lambda e: max(1600, int(math.ceil((5 / e) ** 1.5)))
    else:
        S_of = lambda e: max(50, int(math.ceil((5 / e) ** 1.5 / 100)))
    eff, asym, local, mid = variance_exponents(eps, S_of)
    out = {"_params": {"lambda - 1": eps.tolist(), "S": [S_of(e) for e in eps], "local midpoints": mid.tolist(),
                       "local exponents x, y, z": local.tolist()}}
    for i, a in enumerate("xyz"):
        out[f"fig4b.beta_{a}.effective"] = eff[i]
        out[f"fig4b.beta_{a}.asymptotic"] = asym[i]
    out["fig4b.beta_asymptotic"] = asym
    return out


def _eq26(size: str) -> dict:
    lam, S = LAM_MF, 5
    st = steady_state(_crf(), _values(lam), S=S)
    explicit = explicit_reduced(np.asarray(st.rho), S, 2)
    ours = np.asarray(st.two_qubit_state(), dtype=complex)
    mo = {k: complex(st.expect(op)) for k, op in (("Sz", "Sz"), ("Sz2", "Sz*Sz"), ("Sp", "Sp"), ("Sp2", "Sp*Sp"),
                                                   ("SpSz", "Sp*Sz + Sz*Sp"))}
    printed = np.array(printed_two_qubit_rows(float(S), mo["Sz"].real, mo["Sz2"].real, mo["Sp"], mo["Sp2"], mo["SpSz"]))
    big = 1600 if size == "paper" else 40
    pl = ex.PuriLawande(2 * lam, 1.0, big, dps=30)
    m = pl.moments()
    Sm = mpmath.mpf(big)
    rows_ours = ex.two_qubit_rows(Sm, m["Sz"], m["Sz2"], m["Sp"], m["Sp2"], m["SpSz_sym"])
    rows_printed = printed_two_qubit_rows(Sm, m["Sz"], m["Sz2"], m["Sp"], m["Sp2"], m["SpSz_sym"])
    trace = lambda r: float(mpmath.re(mpmath.fsum(r[i][i] for i in range(4))))
    out = {"_params": {"lambda": lam, "S (explicit partial trace)": S, "S (trace)": big},
           "eq26.explicit": float(np.abs(ours - explicit).max()),
           "eq26.explicit_printed": float(np.abs(printed - explicit).max())}
    if size == "paper":
        out["eq26.trace.S1600"] = trace(rows_ours)
        out["eq26.trace_printed.S1600"] = trace(rows_printed)
    return out


def _eq33(size: str) -> dict:
    pd = an.models.pumped_dicke()
    vals = {"nu": 1.3, "Delta": 0.6, "gamma": 0.9, "omega": 1.1, "G": 0.7}
    S, trunc = 2, 8
    spin, cav = pd.subsystems
    rep, sym = setup(pd, vals, S=S, truncation=trunc)
    L = liouvillian(pd, vals, S=S, truncation=trunc)
    rng = np.random.default_rng(5)

    def random_pure(d, keep):
        psi = (rng.normal(size=d) + 1j * rng.normal(size=d)) * keep
        psi /= np.linalg.norm(psi)
        return np.outer(psi, psi.conj())
    # a product state with no population in the top Fock level (there the truncated [a, a^+] != 1)
    rho = np.kron(random_pure(rep.dims[0], np.ones(rep.dims[0])), random_pure(trunc, np.arange(trunc) < trunc - 1))
    drho = (L @ rho.reshape(-1, order="F")).reshape(rho.shape, order="F")
    ev = lambda op, r: complex(np.trace(rep.matrix(op, sym) @ r))
    a_, dA = ev(cav.a, rho), ev(cav.a, drho)
    Sx, Sz, dSy = ev(spin.x, rho).real, ev(spin.z, rho).real, ev(spin.y, drho).real
    K = 2 * S
    x, p = a_.real, a_.imag
    k_sy = -(dSy - vals["Delta"] / (2 * vals["gamma"] ** 2) * Sx + vals["omega"] * Sz) * math.sqrt(K) / (vals["G"] * x * Sz)
    k_dp = -(dA.imag + vals["nu"] * x + vals["gamma"] * p) * math.sqrt(K) / (vals["G"] * Sx)
    require(abs(dA.real - (vals["nu"] * p - vals["gamma"] * x)) < 1e-12, "dx/dt = nu p - gamma x does not hold")
    # the engine: the mean-field equation of Im<a> in x = sqrt(K) ar, p = sqrt(K) ai, S_x = S sx
    v, e = mf.variables(pd), mf.equations(pd)
    Ss, G = pd.symbol("S"), pd.symbol("G")
    X, P, SX = sp.symbols("x p S_x")
    dp = sp.expand((sp.sqrt(2 * Ss) * e["ai"]).subs({v["ar"]: X / sp.sqrt(2 * Ss), v["ai"]: P / sp.sqrt(2 * Ss),
                                                     v["sx"]: SX / Ss}))
    k_engine = sp.simplify(-dp.coeff(SX) * sp.sqrt(2 * Ss) / G)
    require(k_engine.is_number, f"the engine's dp/dt coefficient is not a number: {k_engine}")
    return {"_params": {**vals, "S": S, "truncation": trunc},
            "eq33.sy_coefficient": float(k_sy), "eq33.dp_coefficient": (float(k_dp), float(k_engine)),
            "eq33.dp_coefficient_printed": float(k_dp)}


def _keys(prefixes) -> tuple:
    return tuple(s.key for s in SPECS if s.key.startswith(prefixes))


_STATE_KEYS = _keys(("fig2b.sz_", "fig5", "fig6a.negativity_order", "fig6b.xi2_x_limit"))
_PEAK_KEYS = ("fig6a.max_negativity_order", "fig6a.negativity_peak", "fig6b.squeezing_min_location",
              "fig6b.squeezing_min_value", "fig2b.transition", "fig6b.xi2_x_crossing", "fig6b.xi2_x_crossing_trend")
TASKS = [
    Task("meanfield", _keys(("eq14", "eq15", "eq19", "eq20", "sec3b.delta_meanfield", "sec3b.gap_exponent")),
         _meanfield, "numeric fixed points and finite-difference Jacobians of the mean-field flow (Fig. 2a, eqs. 14-20)"),
    Task("liouvillian_gap", _keys(("sec3b.gap.", "sec3b.gap_printed", "sec3b.gap_errors")), _liouvillian_gap,
         "finite-S Liouvillian gap extrapolated to S = oo"),
    Task("eq11", _keys(("eq11",)), _eq11, "eq. (11) taken literally: stationarity at 50 digits, printed vs derived g"),
    Task("exact_state", _STATE_KEYS, _state_table, "exact state at fixed lambda, S = 50..1600 (Figs. 2b, 5, 6)"),
    Task("figures", ("fig6a.negativity_paramagnetic", "fig6b.xi2_x_paramagnetic_min", "fig6b.xi2_yz_min"), _figures,
         "Figs. 2b, 5, 6 on the figure grid at S = 50..1600"),
    Task("peaks", _PEAK_KEYS, _peaks, "negativity peak, squeezing minimum, steepest <Sz>/S and xi^2_x = 1 against S"),
    Task("critical", ("sec3b.delta_exact", "sec3b.critical_scaling_a"), _critical,
         "exponent delta at S = 10^6 and the scaling exponent a at lambda = 1"),
    Task("fig4b", _keys(("fig4b",)), _fig4b, "variance exponents as lambda -> 1+ (Fig. 4b)"),
    Task("eq26", _keys(("eq26",)), _eq26, "two-qubit state: explicit partial trace, printed vs corrected denominators"),
    Task("eq33", _keys(("eq33",)), _eq33, "pumped Dicke model: d<a>/dt and d<S_y>/dt from the finite Liouvillian"),
]
