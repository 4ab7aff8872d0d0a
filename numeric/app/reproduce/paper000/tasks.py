r"""Paper 000's computations: the tasks (``TASKS``) that compute the quantities of :mod:`.specs`, and their helpers.

Paper 000: Hannukainen & Larson, cooperative resonance fluorescence, model ``crf``, at the paper's sizes.

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
from typing import Callable, Sequence

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import brentq, curve_fit, minimize_scalar

import analytic as an
import analytic.exact as ex
from analytic import meanfield as mf

from numeric.app import figures
from numeric.app.checks.common import fd_jacobian
from numeric.semiclassical.flows import meanfield_fixed_points, meanfield_flow
from numeric.core.liouvillian import liouvillian, setup
from numeric.solvers.precision import FixedPointLiouvillian
from numeric.solvers.spectrum import gap
from numeric.solvers.steady import steady_state
from numeric.app.reproduce.spec import Task, require
from numeric.app.reproduce.paper000.specs import LAM_MF, LAM_PARA, SPECS, lam_key

__all__ = ["TASKS", "tangent_eigenvalues", "meanfield_point", "richardson", "power_order",
           "eq11_state", "lindblad_residual", "stationary_g_ratio", "explicit_reduced", "printed_two_qubit_rows",
           "variance_exponents", "critical_scaling_exponent", "peak_location", "squeezing_crossing"]

PAPER_SIZES = (50, 100, 200, 400, 800, 1600)   # the paper's S = 50 ... 1600, with 800 added for sequences
SMALL_SIZES = (10, 20, 40, 80)


def _sizes(size: str) -> tuple:
    return PAPER_SIZES if size == "paper" else SMALL_SIZES


@lru_cache(maxsize=None)
def _crf():
    return an.models.crf()


def _values(lam: float) -> dict:
    return {"omega": 2 * lam, "kappa": 1.0}


# ============================================================================ numeric helpers
def richardson(sizes: Sequence[float], values: Sequence[float], terms: int = 3) -> float:
    r"""S -> oo limit of ``values`` by fitting :math:`f_\infty + c_1/S + \dots + c_{n-1}/S^{n-1}`
    exactly through the last ``terms`` points (``terms`` = 3: :math:`f_\infty + c_1/S + c_2/S^2`)."""
    S = np.asarray(sizes, float)[-terms:]
    v = np.asarray(values, float)[-terms:]
    if len(S) < terms:
        raise ValueError(f"richardson: need {terms} sizes, got {len(S)}")
    A = np.vstack([S ** -k for k in range(terms)]).T
    return float(np.linalg.solve(A, v)[0])


def power_order(sizes: Sequence[float], values: Sequence[float]) -> float:
    r"""Fitted order p of :math:`|v| \propto S^{-p}` (least squares of log|v| against log S)."""
    return float(-np.polyfit(np.log(np.asarray(sizes, float)), np.log(np.abs(np.asarray(values, float))), 1)[0])


def tangent_eigenvalues(f: Callable[[np.ndarray], np.ndarray], x: Sequence[float], h: float = 1e-6) -> np.ndarray:
    r"""Eigenvalues of the central finite-difference Jacobian of the flow ``f`` at a fixed point
    ``x`` of one spin, restricted to the tangent plane of its sphere: :math:`B^TJB` with B an
    orthonormal basis of :math:`x^\perp`.  At a fixed point of a length-conserving flow
    :math:`x^TJ = 0`, so the tangent plane is invariant and these are the linear-stability
    eigenvalues (independent of the engine's symbolic Jacobian)."""
    x = np.asarray(x, float)
    J = fd_jacobian(f, x, h)
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


def eq11_state(S: float, g: complex, dps: int = 50) -> mpmath.matrix:
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


def lindblad_residual(rho: mpmath.matrix, lam: float, S: float, dps: int = 50) -> mpmath.mpf:
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


def stationary_g_ratio(lam: float, S: float, dps: int = 50, grid: np.ndarray = np.linspace(0.1, 2.0, 40)) -> tuple:
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
def explicit_reduced(rho: np.ndarray, S: float, n_keep: int = 2) -> np.ndarray:
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


def printed_two_qubit_rows(S: float, Sz: complex, Sz2: complex, Sp: complex, Sp2: complex, SpSz: complex) -> list:
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
def exact_observables(lam: float, S: float, dps: int = 20) -> dict:
    """<Sz>/S, purity, single-qubit purity, negativity and xi^2 along x, y, z of the exact state."""
    st = ex.PuriLawande(2 * lam, 1.0, S, dps=dps)
    return {"sz": float(st.moments()["Sz"]) / S, "purity": float(st.purity()), "qubit_purity": float(st.qubit_purity()),
            "negativity": float(st.negativity()), **{f"xi2_{a}": float(st.xi2(a)) for a in "xyz"}}


def peak_location(fn: Callable[[float], float], lo: float = 0.7, hi: float = 1.2) -> tuple:
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


def squeezing_crossing(S: float) -> float:
    r"""The :math:`\lambda < 1` where :math:`\xi^2_x` of the exact state crosses 1 (brentq on [0.9, 1]),
    after checking :math:`\xi^2_x(0.9) < 1 < \xi^2_x(1)`."""
    f = lambda l: float(ex.xi2_x(2 * l, 1.0, S, dps=20)) - 1
    require(f(0.9) < 0 < f(1.0), f"S = {S}: xi2_x does not cross 1 inside [0.9, 1]")
    return float(brentq(f, 0.9, 1.0, xtol=1e-10))


def variance_exponents(eps: Sequence[float], S_of_eps: Callable[[float], float], dps: int = 15) -> tuple:
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




# ============================================================================ tasks
def _meanfield(size: str) -> dict:
    m = _crf()
    out = {"_params": {"kappa": 1, "lambda": [LAM_MF, LAM_PARA], "finite-difference step": 1e-6}}
    x, ev = meanfield_point(LAM_MF, "stable")
    require(np.all(np.abs(ev.imag) < 1e-6) and abs(ev[0] - ev[1]) < 1e-6, "the attractor's eigenvalues are not a real pair")
    num, ev_engine = _engine_point(LAM_MF, lambda p, e: max(z.real for z in e) < 0)
    rate_engine = float(an.formulas.get("crf.meanfield.relaxation_rate")(2 * LAM_MF, 1.0))
    rate = float(-ev.real.mean())
    out[f"eq14.attractor.{lam_key(LAM_MF)}"] = ([float(v) for v in x], [num[k] for k in ("sx", "sy", "sz")])
    out[f"eq19.rate.{lam_key(LAM_MF)}"] = (rate, rate_engine)
    out[f"eq19.rate_printed.{lam_key(LAM_MF)}"] = rate
    xc, evc = meanfield_point(LAM_PARA, "centre")
    numc, evc_engine = _engine_point(LAM_PARA, lambda p, e: p["sx"] > 0)
    omega_num = float(np.abs(evc.imag).max())
    out[f"eq15.centre.{lam_key(LAM_PARA)}"] = ([float(v) for v in xc], [numc[k] for k in ("sx", "sy", "sz")])
    out[f"eq20.frequency.{lam_key(LAM_PARA)}"] = (omega_num, float(max(abs(z.imag) for z in evc_engine)))
    out[f"eq20.frequency_printed.{lam_key(LAM_PARA)}"] = omega_num
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
        out[f"fig2b.sz_limit.{lam_key(l)}"] = (richardson(Ss, col(l, "sz")), ref)
        if l in (0.3, 0.6):
            errs = [abs(v - ref) for v in col(l, "sz")]
            require(all(b < a for a, b in zip(errs, errs[1:])), f"lambda = {l}: errors do not fall with S")
            out[f"fig2b.sz_order.{lam_key(l)}"] = power_order(Ss[-4:], errs[-4:])
    numc, _ = _engine_point(LAM_PARA, lambda p, e: p["sx"] > 0)
    out[f"fig2b.sz_limit.{lam_key(LAM_PARA)}"] = (richardson(Ss, col(LAM_PARA, "sz")), numc["sz"])
    if Ss[-1] == 1600:
        out["fig5a.purity.lam0.9.S1600"] = tab[0.9, 1600]["purity"]
    out[f"fig5a.purity.{lam_key(LAM_PARA)}"] = col(LAM_PARA, "purity")
    out[f"fig5a.purity_order.{lam_key(LAM_PARA)}"] = power_order(Ss[-4:], col(LAM_PARA, "purity")[-4:])
    out["fig5b.qubit_purity_limit.lam0.9"] = richardson(Ss, col(0.9, "qubit_purity"))
    out["fig5b.qubit_purity.lam1"] = col(1.0, "qubit_purity")
    out["fig5b.qubit_purity_limits.paramagnetic"] = [richardson(Ss, col(l, "qubit_purity")) for l in (1.1, LAM_PARA, 2.0)]
    for l in (0.6, 0.9):
        out[f"fig6a.negativity_order.{lam_key(l)}"] = power_order(Ss, col(l, "negativity"))
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
