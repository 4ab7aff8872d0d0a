r"""Paper 004 (Leppenen & Shahmoon; N driven atoms with collective and individual decay) at the paper's sizes.

Model ``driven_dicke`` (eq. 1): :math:`H = 2\Omega S_x`, :math:`\gamma_c\mathcal D[S^-]` and
:math:`\gamma_s\sum_n\mathcal D[\sigma_n^-]`; mean-field parameters :math:`\gamma = \gamma_s + \gamma_c`,
:math:`\Gamma = (N-1)\gamma_c`, :math:`\Omega_c = \Gamma/4` (eq. 2).  Figs. 2-8 use
:math:`\gamma_c = 10\gamma_s`; here :math:`\gamma_c = 1`, :math:`\gamma_s = 0.1` (times in
:math:`1/\gamma_c`), except for the trajectories (:math:`\gamma_c = 10`, :math:`\gamma_s = 1`, times in
:math:`1/\gamma_s` as in Fig. 6).

Mean field (engine): the cubic (2), the window (B5) from its discriminant
(``driven_dicke.meanfield.bistability``), eq. (3), the Jacobian (B11) and its eigenvalues (B12).
Exact numerics (:mod:`numeric.pi.permutational`, about :math:`N^3/6` unknowns): Fig. 2 (transition,
P(m), totally mixed state of App. D), the transition point of App. C (eq. C2), the Liouvillian gap
(Fig. 3), the metastable decomposition (eqs. 4, 5; Fig. 4, 5b), switching along quantum-jump
trajectories (eq. 10, Fig. 6; :mod:`numeric.dynamics.switching`) and the two-state rate fit of eq. (9),
and the N = 80 transition value in mixed precision.  Squeezing (App. F): the engine's Gaussian
theory ``driven_dicke.hp.xi2`` (:mod:`analytic.fluctuations`) in the limit :math:`\Gamma\gg\gamma`
(eq. 8, F14, the optimum :math:`1/\sqrt3`) and at finite N against the exact steady states and
against (F10)-(F11) as printed.  Dicke limit (B4, F13): the exact Puri-Lawande state of one
collective spin (:mod:`analytic.exact`).
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import brentq

import analytic as an
from analytic import fluctuations as fl
from analytic import meanfield as mf

from numeric.pi import permutational as pm
from numeric.solvers.steady import steady_state
from numeric.app.figures import mark_exits
from numeric.dynamics.switching import (fit_from_metastable, metastable_weights, predicted_rates, switching_rates,
                         thresholds)
from numeric.dynamics.trajectories import quantum_jumps
from numeric.app.reproduce.spec import Abs, Equal, Monotone, Rel, Spec, Task, Within, require

__all__ = ["NUMBER", "SPECS", "TASKS", "MARGIN", "values", "mean_field_branches", "lower_branch",
           "branch_stability", "printed_window", "window_edges", "transition_drive", "mixed_precision_state",
           "switching_record", "rate_z_scores", "printed_F11_xi2", "xi2_series", "squeezing_limits",
           "printed_eq8", "printed_F14", "bimodal_peaks"]

NUMBER = "004"
MODEL = an.models.driven_dicke()
EPS = float(np.finfo(float).eps)
MARGIN = 0.2            # switching thresholds at 20 % of the distance between the metastable values
# ours (dps = 35, exact decimal parameters Omega = 0.61 * 79/4, gamma_s = 0.1): the paper prints no N = 80
# value.  With the float64 roundings of the same parameters the value is -15.22161227999 (2.1e-9 away:
# near the transition <S_z> moves by ~2e5 per unit Omega), which is what runs before exact inputs gave.
N80_SZ = -15.2216122821036
PRINTED_A = (0.4, 0.5)  # Sec. IV, N = 18, Omega = 0.73 Omega_c


def _below(x: float) -> float:
    """The largest float < x: a ``Within`` bound that is as strict as the ``<`` it replaces."""
    return math.nextafter(x, -math.inf)


def _above(x: float) -> float:
    """The smallest float > x (strict ``>``)."""
    return math.nextafter(x, math.inf)


# ----------------------------------------------------------------------------- parameters, mean field
def values(N: int, frac: float, gamma_c: float = 1.0, gamma_s: float = 0.1) -> dict:
    r"""Parameters at :math:`\Omega = \mathrm{frac}\cdot\Omega_c`, :math:`\Omega_c = (N-1)\gamma_c/4`
    (eq. 2); the default rates :math:`\gamma_c = 10\gamma_s` are those of Figs. 2-8."""
    return {"Omega": frac * (N - 1) * gamma_c / 4, "gamma_c": gamma_c, "gamma_s": gamma_s}


@lru_cache(maxsize=None)
def _mean_field():
    """Lambdified pieces of the engine's mean field (individual factorisation, eq. B2): the
    coefficients of the cubic (2) in s_z, s_y on the s_x = 0 branches (from d s_y/dt = 0), the
    Jacobian (B11); all functions of (N, Omega, gamma_c, gamma_s)."""
    var = mf.variables(MODEL)
    sx, sy, sz = var["sx"], var["sy"], var["sz"]
    args = [MODEL.symbol(k) for k in ("N", "Omega", "gamma_c", "gamma_s")]
    cubic = sp.Poly(sp.numer(sp.together(mf.reduced_system(MODEL, "sz"))), sz)
    require(cubic.degree() == 3, f"the reduced system is not the cubic of eq. (2): degree {cubic.degree()}")
    eqs = mf.equations(MODEL)
    sy_sol = sp.solve(eqs["sy"].subs(sx, 0), sy)
    require(len(sy_sol) == 1, f"d s_y/dt = 0 at s_x = 0 has {len(sy_sol)} solutions")
    return (sp.lambdify(args, cubic.all_coeffs(), "numpy"), sp.lambdify([sz, *args], sy_sol[0], "numpy"),
            sp.lambdify([sx, sy, sz, *args], mf.jacobian(MODEL, eqs=eqs), "numpy"))


def mean_field_branches(N: int, Omega: float, gamma_c: float = 1.0, gamma_s: float = 0.1) -> list:
    """Real roots s_z in [-1, 0] of the engine's cubic (eq. 2), ascending: one, or three (lower
    stable, middle unstable, upper stable) inside the window (B5)."""
    coeffs, _, _ = _mean_field()
    r = np.roots(np.array(coeffs(N, Omega, gamma_c, gamma_s), dtype=float))
    return sorted(x.real for x in r if abs(x.imag) < 1e-9 and -1 - 1e-9 <= x.real <= 1e-9)


def lower_branch(N: int, Omega: float, gamma_c: float, gamma_s: float) -> tuple:
    """``(s_y, s_z)`` of the lower (collective) mean-field branch."""
    _, sy_of, _ = _mean_field()
    sz = mean_field_branches(N, Omega, gamma_c, gamma_s)[0]
    return float(sy_of(sz, N, Omega, gamma_c, gamma_s)), float(sz)


def branch_stability(N: int, Omega: float, gamma_c: float, gamma_s: float) -> list:
    """Largest real part of the eigenvalues of the Jacobian (B11) on each branch of
    :func:`mean_field_branches` (negative: stable)."""
    _, sy_of, jac = _mean_field()
    out = []
    for sz in mean_field_branches(N, Omega, gamma_c, gamma_s):
        J = np.array(jac(0.0, sy_of(sz, N, Omega, gamma_c, gamma_s), sz, N, Omega, gamma_c, gamma_s), dtype=float)
        out.append(float(np.linalg.eigvals(J).real.max()))
    return out


def printed_window(ratio: float) -> list:
    r"""(B5) as printed: the window edges in :math:`\Omega/\Omega_c` for :math:`r = \gamma/\Gamma`."""
    return [math.sqrt(1 + 20 * ratio - 8 * ratio ** 2 + s * math.sqrt((1 - 8 * ratio) ** 3)) / 2 for s in (-1, 1)]


def window_edges(gamma: float, Gamma: float) -> list:
    """The engine's window edges (registered formula from the discriminant of the cubic)."""
    return [float(e) for e in an.formulas.get("driven_dicke.meanfield.bistability")(gamma, Gamma)]


def _c2(N: int, frac: float) -> float:
    """<S_z>/(N/2) of the exact steady state minus the mean of the two stable branches (eq. C2)."""
    br = mean_field_branches(N, frac * (N - 1) / 4)
    require(len(br) == 3, f"N = {N}: Omega = {frac} Omega_c is outside the window")
    return steady_state(MODEL, values(N, frac), N=N).expect("Sz") / (N / 2) - (br[0] + br[2]) / 2


def transition_drive(N: int, xtol: float = 1e-4) -> float:
    r""":math:`\Omega_{PT}/\Omega_c` of App. C at :math:`\gamma_c = 10\gamma_s`: where the exact
    :math:`\langle S_z\rangle` equals the mean of the two stable mean-field branches (eq. C2),
    bracketed by the window (B5)."""
    lo, hi = window_edges(1.1, N - 1.0)
    a, b = lo + 1e-4, hi - 1e-4
    require(_c2(N, a) < 0 < _c2(N, b), f"N = {N}: eq. (C2) has no sign change in the window")
    return float(brentq(lambda f: _c2(N, f), a, b, xtol=xtol))


def bimodal_peaks(P: np.ndarray) -> list:
    """Indices of the local maxima of P(m) (m = N/2 - index) above 1 % of the largest."""
    return [i for i in range(1, len(P) - 1) if P[i] > P[i - 1] and P[i] >= P[i + 1] and P[i] > 0.01 * P.max()]


# ----------------------------------------------------------------------------- N = 80, mixed precision
def mixed_precision_state(N: int, frac: float = 0.61, dps: tuple = (25, 35)) -> dict:
    r"""<S_z> at :math:`\Omega = \mathrm{frac}\,\Omega_c` (:math:`\gamma_c = 10\gamma_s`) from the
    mixed-precision solver at two precisions and from float64: ``{'sz_low', 'sz_high'`` (mpf),
    ``'sz_float'``, ``'condition'``, ``'refined_residual'}``.  The parameters are the decimals
    as written (exact rationals), not their float64 roundings."""
    exact = {k: sp.Rational(str(x)) for k, x in {"frac": frac, "gamma_c": 1.0, "gamma_s": 0.1}.items()}
    v = {"Omega": exact["frac"] * (N - 1) * exact["gamma_c"] / 4, "gamma_c": exact["gamma_c"], "gamma_s": exact["gamma_s"]}
    a = steady_state(MODEL, v, N=N, dps=dps[0])
    b = steady_state(MODEL, v, N=N, dps=dps[1])
    f = steady_state(MODEL, v, N=N)
    with mpmath.workdps(dps[1]):
        return {"sz_low": a.expect("Sz"), "sz_high": b.expect("Sz"), "sz_float": float(f.expect("Sz")),
                "condition": float(f.info["condition"]), "refined_residual": float(b.info["refinement"][-1])}


# ----------------------------------------------------------------------------- switching (eqs. 9, 10)
def switching_record(N: int, T: float, ntraj: int, seed: int, frac: float = 0.73) -> tuple:
    r"""Fig. 6 setting (:math:`\gamma_c = 10`, :math:`\gamma_s = 1`, all atoms down): the metastable
    decomposition, its left-eigenmatrix weights (:func:`numeric.dynamics.switching.metastable_weights`) and the
    switching rates counted on ``ntraj`` trajectories of length T (thresholds at :data:`MARGIN`,
    the first 5/gamma_s discarded).  ``rho_+`` is the state with the lower magnetisation."""
    v = values(N, frac, 10.0, 1.0)
    ms = pm.metastable_pi(MODEL, v, N)
    mw = metastable_weights(ms, MODEL, v, N)
    pred = predicted_rates(ms, "Sz")
    require(pred["low"] == ms.rho_plus.expect("Sz"), "rho_+ (collective) is not the low-Sz state")
    ket = np.zeros(N + 1)
    ket[N] = 1.0  # |N/2, -N/2>: all atoms in the ground state (Fig. 6)
    tr = quantum_jumps(MODEL, v, ket, np.arange(0, T + 1e-9, 0.05), ntraj=ntraj, seed=seed, e_ops=["Sz"], N=N,
                       monitor=["individual decay"], progress=False)
    r = switching_rates(tr.times, tr.expect["Sz"], *thresholds(pred["low"], pred["high"], MARGIN), t_min=5.0)
    return ms, mw, r, tr


def rate_z_scores(ms, mw, r) -> dict:
    r"""Counted switching rates against eq. (10) in standard errors: out of :math:`\rho_+` (low S_z)
    against :math:`\Gamma_+ = \lambda_1 p_-` and out of :math:`\rho_-` against :math:`\lambda_1 p_+`
    (left-eigenmatrix weights), their sum against :math:`\lambda_1`, and the rate out of
    :math:`\rho_+` against eq. (10) with the weights :math:`a_\mp` of eq. (5)."""
    return {"plus": (r.rate_low - mw["gamma_plus"]) / r.error_low,
            "minus": (r.rate_high - mw["gamma_minus"]) / r.error_high,
            "sum": (r.rate_low + r.rate_high - ms.lambda1) / math.hypot(r.error_low, r.error_high),
            "plus_eq5": (r.rate_low - ms.gamma_plus) / r.error_low}


# ----------------------------------------------------------------------------- squeezing (App. F)
def printed_F11_xi2(c: float, s: float, Gamma: float, gamma: float) -> float:
    r"""(F10) with (F11a), (F11b) as printed: :math:`\xi^2 = 1 + 2\langle a^\dagger a\rangle - 2|\langle a^2\rangle|`,
    :math:`|\mathbf s| = s`, :math:`\cos\theta = c`."""
    d1 = -Gamma * s * c + gamma * (2 - c * c)
    d2 = -Gamma * s * c + gamma * (1 + (1 - c * c) / 2)
    d3 = -Gamma * s * c + gamma
    pre = (gamma + Gamma) * s / 4
    n = pre * (1 / d1 + 2 * c / d2 + c * c / d3)
    a2 = pre * (c * c / d3 - 1 / d1)
    return 1 + 2 * n - 2 * abs(a2)


def xi2_series(ratio: float, Gamma: float, gamma_s: float, sizes: Sequence[int]) -> np.ndarray:
    r"""Rows ``(exact xi^2, driven_dicke.hp.xi2, (F10)+(F11) printed, the same / |s|, -cos theta)``
    on the lower branch at each N, with :math:`\Gamma = (N-1)\gamma_c` and
    :math:`\Omega = \mathrm{ratio}\cdot\Gamma/4` held fixed."""
    xi2 = an.formulas.get("driven_dicke.hp.xi2")
    rows = []
    for N in sizes:
        gc = Gamma / (N - 1)
        Omega = ratio * Gamma / 4
        sy, sz = lower_branch(N, Omega, gc, gamma_s)
        s = math.hypot(sy, sz)
        c = sz / s
        printed = printed_F11_xi2(c, s, Gamma, gc + gamma_s)
        exact = steady_state(MODEL, {"Omega": Omega, "gamma_c": gc, "gamma_s": gamma_s}, N=N).squeezing()
        rows.append((exact, float(xi2(c, N, gc, gamma_s)), printed, printed / s, -c))
    return np.array(rows)


@lru_cache(maxsize=None)
def squeezing_limits() -> dict:
    r"""The limit :math:`N\to\infty` at fixed :math:`\Gamma`, then :math:`\gamma_s/\Gamma\to 0`, of the
    engine's Gaussian theory on the fixed-point curve (functions of :math:`c = \cos\theta`):
    ``'vpp'`` (variance of the squeezed quadrature), ``'xi2'`` (Wineland parameter
    ``driven_dicke.hp.xi2``), ``'ratio'`` (:math:`\Omega/\Omega_c`), and ``'turning'``, the c of the
    end of the lower branch (:math:`d\Omega/dc = 0`)."""
    g = fl.driven_dicke_gaussian()
    N, gc, gs = (MODEL.symbol(k) for k in ("N", "gamma_c", "gamma_s"))
    Gamma, eps = sp.symbols("Gamma epsilon", positive=True)
    _, omega = fl.driven_dicke_curve()
    c = fl.COS_THETA

    def limit(e):
        e = sp.limit(sp.simplify(e.subs(gc, Gamma / (N - 1))), N, sp.oo)
        return sp.simplify(sp.limit(e.subs(gs, eps * Gamma), eps, 0))

    out = {"vpp": limit(g.covariance[g.index("p"), g.index("p")]),
           "xi2": limit(an.formulas.formula("driven_dicke.hp.xi2").expr), "ratio": limit(omega / (Gamma / 4))}
    turning = [r for r in sp.solve(sp.diff(out["ratio"] ** 2, c), c) if r.is_negative and r > -1]
    require(len(turning) == 1, f"the lower branch has {len(turning)} turning points in (-1, 0)")
    out["turning"] = turning[0]
    return out


def printed_eq8(X, sqrt=np.sqrt):
    r"""Eq. (8) as printed, :math:`X = \Omega/\Omega_c` (``sqrt=sympy.sqrt`` for exact arguments)."""
    r = sqrt(1 - 2 * X ** 2)
    return (1 + r) / (sqrt(2) * sqrt(1 + X ** 2 + r))


def printed_F14(X, sqrt=np.sqrt):
    r"""(F14) as printed (the square root closes before :math:`+\sqrt{1 - 2X^2}`)."""
    r = sqrt(1 - 2 * X ** 2)
    return (1 + r) / (sqrt(2) * sqrt(1 + X ** 2) + r)


# ----------------------------------------------------------------------------- specs
FIG2_N = (18, 64)
FIG3_N = (8, 12, 16, 20, 24, 28, 32)
C2_N = (18, 32, 64, 80)
FIG4_FRACS = (0.70, 0.76, 0.80)
WINDOW_CASES = {"fig1b": 15.0, "fig9": 20.0, "N18": 170 / 11, "N64": 630 / 11}  # Gamma/gamma
XI2_SIZES = (10, 20, 40)
LAMBDA_B4, S_B4 = 0.6, 1000

_F11_FINDING = ("(F10)+(F11) as printed predict squeezing (xi^2 ~ 0.85) at Gamma = gamma_s, Omega = 2 Omega_c, "
                "where the exact steady state is not squeezed (xi^2 = 1.04..1.06 at N = 10..40, approaching "
                "the derived driven_dicke.hp.xi2 like 1/N): (F12b) gives the individual-decay noise of atoms with "
                "|s| < 1 as vacuum noise, and (F10) omits the 1/|s| of the Wineland parameter")

SPECS = [
    # mean field
    Spec("B5.threshold", "Gamma/gamma at which the window (B5) of the engine's cubic closes", "Sec. III A, (B5)",
         "Gamma > 8 gamma", Abs(1e-9), 8.0),
    *[Spec(f"B5.window.{k}", f"bistability window [lower, upper] in Omega/Omega_c at Gamma/gamma = {r:.6g} "
           f"(engine: discriminant of the cubic (2))", {"fig1b": "(B5), Fig. 1(b)", "fig9": "(B5), Fig. 9"}.get(
               k, "(B5), Fig. 2 (gamma_c = 10 gamma_s)"), "(B5)", Abs(1e-12), printed_window(1 / r))
      for k, r in WINDOW_CASES.items()],
    Spec("B5.root_count.fig9", "real roots s_z in [-1, 0] of the cubic just below, inside, just above the window, "
         "Gamma/gamma = 20", "Fig. 9(b)", "1, 3, 1", Equal(), [1, 3, 1]),
    Spec("fig9.stability", "stable (1) / unstable (0) lower, middle, upper branch at Omega = 0.7 Omega_c, "
         "Gamma/gamma = 20 (Jacobian B11)", "Fig. 9(b, c), App. B", "stable, unstable, stable", Equal(), [1, 0, 1]),
    Spec("eq3.window_limit", "window edges as gamma/Gamma -> 0", "eq. (3)", "0 < Omega < Omega_c/sqrt(2)",
         Abs(1e-12), [0.0, 1 / math.sqrt(2)]),
    Spec("B12.l1", "the eigenvalue of the Jacobian (B11) nearest to the printed l1 = -gamma/2 + s_z Gamma, lower "
         "branch, Omega = 0.7 Omega_c, Gamma/gamma = 20", "(B12)", "-gamma/2 + s_z Gamma", Rel(0.01),
         expected=False, finding="no eigenvalue is near it: at s_x = 0 the first row of (B11) decouples and "
         "l1 = -gamma/2 + Gamma s_z/2 exactly (spec B12.l1_derived)"),
    Spec("B12.l1_derived", "the same eigenvalue against -gamma/2 + Gamma s_z/2", "(B11)", "-", Rel(1e-12)),
    Spec("B12.l23_order", "fitted order of the error of the printed l2, l3 in gamma (branches (a), (b); "
         "Gamma = 1, Omega = 0.6 Omega_c, gamma = 4e-3 .. 1e-3)", "(B12)", "O(gamma^2)", Abs(0.15), [2.0] * 4),
    # Dicke limit
    Spec("B4.sz", f"<S_z>/S of the exact gamma_s = 0 steady state (Puri-Lawande), S = {S_B4}, Omega = "
         f"{LAMBDA_B4} Omega_c (Omega_c = N gamma_c/4)", "(B4)", "-sqrt(1 - Omega^2/Omega_c^2)", Abs(1e-3),
         -math.sqrt(1 - LAMBDA_B4 ** 2)),
    Spec("B4.sy", "<S_y>/S, same state", "(B4)", "Omega/Omega_c", Abs(1e-3), LAMBDA_B4),
    Spec("F13.xi2", "xi^2 (N Var S_x/<S>^2), same state", "(F13)", "sqrt(1 - Omega^2/Omega_c^2)", Abs(1e-3),
         math.sqrt(1 - LAMBDA_B4 ** 2)),
    # totally mixed state
    *[Spec(f"D3.moments.N{N}", f"<S_z>, <S_z^2>, <S+S->, <S^2>, <S+S+S-S->, g2 of 1/2^N from the degeneracies (D1), "
           f"N = {N}", "(D1)-(D3)", "0, N/4, N/2, 3N/4, N(N-1)/2, 2(1 - 1/N)", Abs(1e-12),
           [0.0, N / 4, N / 2, 3 * N / 4, N * (N - 1) / 2, 2 * (1 - 1 / N)]) for N in FIG2_N],
    Spec("D3.S2.steady.N18", "<S^2> of the exact steady state, N = 18, Omega = 3 Omega_c", "(D3c), Fig. 2(c)",
         "3N/4 = 13.5", Rel(0.05), 13.5),
    Spec("D3.g2.steady.N18", "g2(0), same state", "(D3e), Fig. 2(f)", "2(1 - 1/N) = 1.889", Rel(0.02), 2 * (1 - 1 / 18)),
    Spec("D3.SpSm.steady.N18", "<S+S->, same state", "(D3b), Fig. 2(e)", "N/2 = 9", Rel(0.05), 9.0),
    Spec("D3.S2.steady.N64", "<S^2> of the exact steady state, N = 64, Omega = 2 Omega_c", "(D3c), Fig. 2(c)",
         "3N/4 = 48", Rel(0.03), 48.0),
    Spec("D3.g2.steady.N64", "g2(0), same state", "(D3e), Fig. 2(f)", "2(1 - 1/N) = 1.969", Rel(1e-3), 2 * (1 - 1 / 64)),
    Spec("D3.SpSm.steady.N64", "<S+S->, same state", "(D3b), Fig. 2(e)", "N/2 = 32", Rel(0.05), 32.0),
    # Fig. 2, App. C
    *[Spec(f"fig2a.{side}.N{N}", f"<S_z>/(N/2) at Omega = {f} Omega_c, N = {N}, against the {side} mean-field branch",
           "Fig. 2(a)", f"on the {side} branch", Abs(tol))
      for N, tol in ((18, 0.06), (64, 0.03)) for side, f in (("lower", 0.35), ("upper", 1.2))],
    Spec("fig2c.S2.N64", "<S^2>/[N/2(N/2+1)] at Omega = 0.35 Omega_c, N = 64", "Fig. 2(c)", "close to 1 (j = N/2)",
         Within(lo=_above(0.99))),
    Spec("fig2f.g2.N64", "g2(0) at Omega = 0.35 Omega_c, N = 64", "Fig. 2(f)", "1 (coherent light)", Abs(0.01), 1.0),
    Spec("fig2b.peaks.N64", "m of the two peaks of P(m) at Omega = 0.61 Omega_c, N = 64, against N/2 x (upper, lower "
         "branch)", "Fig. 2(b)", "bimodal, centred on the stable branches", Abs(2.5)),
    Spec("fig2b.weights.N64", "smaller weight of the two P(m) modes (split at the dip), and P(dip)/min(P(peaks))",
         "Fig. 2(b)", "two sizeable peaks", Within(lo=_above(0.1)), None),
    Spec("fig2b.dip.N64", "P(dip)/min(P(peaks)), same state", "Fig. 2(b)", "a clear dip", Within(hi=_below(0.2))),
    Spec("appC.omega_pt", f"Omega_PT/Omega_c from eq. (C2) at N = {', '.join(map(str, C2_N))}", "App. C, Fig. 10",
         "converges (exponentially) to 0.61", Monotone(-1)),
    Spec("appC.omega_pt.N80", "Omega_PT/Omega_c from eq. (C2) at N = 80 (our largest N; still decreasing, see "
         "appC.omega_pt; not extrapolated)", "App. C, Sec. III B", "0.61", Abs(0.005), 0.61),
    # Fig. 3
    Spec("fig3.gap", f"Liouvillian gap lambda_1/gamma_c at Omega = 0.61 Omega_c, N = {FIG3_N[0]}..{FIG3_N[-1]}",
         "Fig. 3", "closes with N", Monotone(-1)),
    Spec("fig3.gap_slope", "slope of ln lambda_1 against N", "Fig. 3", "exponential closing", Within(hi=_below(-0.05))),
    Spec("fig3.gap_straight", "largest |ln lambda_1 - linear fit| (a straight line on the semi-log plot)", "Fig. 3",
         "consistent with an exponential law", Within(hi=_below(0.25))),
    # Figs. 4, 5, eq. (5)
    Spec("fig4a.rho_plus_sz", f"<S_z>/(N/2) of rho_+ at Omega/Omega_c = {FIG4_FRACS}, N = 18, against the lower branch",
         "Fig. 4(a)", "on the lower branch", Abs(0.04)),
    Spec("fig4a.rho_minus_sz", "<S_z>/(N/2) of rho_-, same drives, against the upper branch", "Fig. 4(a)",
         "on the upper branch", Abs(0.01)),
    Spec("fig4c.rho_plus_S2", "<S^2>/[N/2(N/2+1)] of rho_+, same drives", "Fig. 4(c)", "j ~ N/2",
         Within(lo=_above(0.85))),
    Spec("fig4c.rho_minus_S2", "<S^2>/[N/2(N/2+1)] of rho_-, same drives", "Fig. 4(c)", "small j",
         Within(hi=_below(0.25))),
    Spec("eq5.a_blocks.N18", "a_+, a_- at N = 18, Omega = 0.73 Omega_c with the Frobenius product of the weighted "
         "blocks x_j = d_j rho_j (piqs' Dicke-basis matrices)", "Sec. IV, eq. (5)", "0.4, 0.5", Abs(0.01),
         list(PRINTED_A)),
    Spec("eq5.a_traces.N18", "a_+, a_- of eq. (5) with Hilbert-space traces, same state", "Sec. IV, eq. (5)",
         "0.4, 0.5", Abs(0.01), list(PRINTED_A), expected=False,
         finding="tr(rho_s rho_+-)/tr(rho_+-^2) with true traces (block traces weighted by d_j) gives a_+ = 0.377, "
                 "a_- = 0.699; the printed 0.4, 0.5 are reproduced by the block Frobenius product of piqs "
                 "matrices (eq5.a_blocks.N18), which is not the trace of eq. (5)"),
    Spec("eq5.a_sum.N18", "a_+ + a_- of eq. (5) (traces) at Omega = 0.73 Omega_c, N = 18", "Sec. IV, eq. (5)",
         "tends to 1 already at N = 18", Abs(0.1), 1.0),
    Spec("eq5.a_sum_window.N18", "largest |a_+ + a_- - 1| (eq. 5, traces) across the window, N = 18", "eq. (5), Fig. 12(a)",
         "a_+ + a_- ~ 1", Abs(0.1), 0.0, expected=False,
         finding="a_+ + a_- ranges from about 0.8 to 1.5 across the window at N = 18: the projections of eq. (5) "
                 "are no partition of the steady state at finite N; the left eigenmatrix of the slow mode gives "
                 "weights p_+ + p_- = 1 exactly (numeric.dynamics.switching.metastable_weights), and those, not eq. (5)'s, "
                 "predict the switching rates (eq10.*)"),
    Spec("fig5b.g2_rho_plus.N18", "g2(0) of rho_+ at Omega = 0.73 Omega_c, N = 18", "Fig. 5(b)",
         "close to 1 (coherent, CRSS)", Abs(0.01), 1.0),
    Spec("fig5c.xi2_rho_plus.N18", "xi^2 of rho_+, same state", "Fig. 5(c)", "xi^2 < 1 (squeezed)", Within(hi=_below(1.0))),
    # Fig. 6, eq. (10)
    Spec("fig6.switches", "committed switches out of rho_+ and out of rho_- on 4 trajectories of 400/gamma_s "
         "(N = 18, Omega = 0.73 Omega_c, gamma_c = 10 gamma_s, all atoms down, seed 11)", "Fig. 6",
         "switching both ways", Within(lo=31)),
    Spec("fig6.sz_rho_plus", "Tr(S_z rho_+), N = 18, Omega = 0.73 Omega_c", "Fig. 6(a)", "low (collective) level",
         Within(hi=_below(-5.5))),
    Spec("fig6.sz_rho_minus", "Tr(S_z rho_-), same", "Fig. 6(a)", "high (individual) level", Within(lo=_above(-1.0))),
    Spec("eq10.z_plus", "(counted rate out of rho_+ - lambda_1 p_-)/standard error (left-eigenmatrix weights p)",
         "eq. (10), Fig. 6", "Gamma_+ = lambda_1 a_-", Within(_above(-3.0), _below(3.0))),
    Spec("eq10.z_minus", "(counted rate out of rho_- - lambda_1 p_+)/standard error", "eq. (10), Fig. 6",
         "Gamma_- = lambda_1 a_+", Within(_above(-3.0), _below(3.0))),
    Spec("eq10.z_sum", "(sum of the counted rates - lambda_1)/standard error", "eqs. (9), (10)",
         "Gamma_+ + Gamma_- = lambda_1", Within(_above(-3.0), _below(3.0))),
    Spec("eq10.z_plus_eq5", "(counted rate out of rho_+ - lambda_1 a_-)/standard error with a_- of eq. (5) "
         "(traces); N = 18", "eqs. (5), (10)", "Gamma_+ = lambda_1 a_-", Within(-3.0, 3.0)),
    # eq. (9): two-state fit
    Spec("eq9.weight_fit", "steady weight of rho_+ from rates fitted to evolutions started in rho_+- (read with S_z, "
         "t >= 6, N = 18, Omega = 0.73 Omega_c) against the steady state's S_z-read weight", "eq. (9)", "-",
         Abs(_below(1e-4))),
    Spec("eq9.rate_sum", "fitted k_+- + k_-+ against lambda_1", "eq. (9)", "Gamma_+ + Gamma_- = lambda_1",
         Rel(_below(1e-4))),
    Spec("eq9.weight_left_eigen", "fitted weight of rho_+ against the left-eigenmatrix weight p_+", "eqs. (9), (10)",
         "-", Abs(_below(0.05))),
    # squeezing
    Spec("eq8.optimum", "smallest variance of the squeezed quadrature on the lower branch, Gamma >> gamma (engine: "
         "limit of the Gaussian theory)", "eq. (8), App. F", "1/sqrt(3)", Abs(1e-12), 1 / math.sqrt(3)),
    Spec("eq8.optimum_drive", "Omega/Omega_c where it is reached (end of the lower branch, dOmega/dc = 0)",
         "eq. (8)", "Omega_c/sqrt(2)", Abs(1e-12), 1 / math.sqrt(2)),
    Spec("eq8.curve", "largest |eq. (8) as printed - derived variance| along the lower branch (c = -1 .. -1/sqrt 3)",
         "eq. (8)", "eq. (8)", Abs(1e-12), 0.0),
    Spec("F14.zero_drive", "derived variance at Omega = 0 against (F14) as printed there", "(F14)",
         "(F14) at Omega = 0: 2/(1 + sqrt 2) = 0.828", Abs(1e-9), float(printed_F14(0.0)), expected=False,
         finding="the derived variance (= eq. 8) is 1 at Omega = 0 (unsqueezed atoms); (F14) misplaces a square "
                 "root: it is eq. (8) with sqrt(1 + X^2 + sqrt(1 - 2X^2)) split, a misprint"),
    Spec("eq8.wineland_optimum", "the Wineland parameter xi^2 = V_pp/|s| (driven_dicke.hp.xi2) in the same limit at "
         "Omega_c/sqrt(2)", "eq. (8), Sec. V A", "best achievable squeezing 1/sqrt(3) = 0.577", Abs(0.01),
         1 / math.sqrt(3), expected=False,
         finding="eq. (8) = -cos(theta) is the squeezed quadrature's variance; the Wineland xi^2 of Sec. III B is "
                 "V_pp/|s| -> (1 + cos^2 theta)/2 = 2/3 at Omega_c/sqrt(2) (|s| = -2c/(1 + c^2) < 1 with "
                 "individual decay; (F10) omits the 1/|s|); exact xi^2 follows V_pp/|s| "
                 "(tests/numeric/test_fluctuations_numeric.py)"),
    Spec("F11.xi2.N40", "exact xi^2 against (F10)+(F11) as printed, N = 40, Gamma = gamma_s, Omega = 2 Omega_c",
         "(F10)-(F12b)", "(F11) evaluated: 0.85", Abs(0.15), expected=False, finding=_F11_FINDING),
    Spec("F11s.xi2.N40", "exact xi^2 against (F10)+(F11) with the 1/|s| restored, same point", "(F10)-(F12b)",
         "(F11)/|s| evaluated: 0.95", Abs(0.09), expected=False,
         finding="still 0.1 below the exact value: the vacuum noise of (F12b) is the missing part " + "(" +
                 _F11_FINDING.split("(")[0].strip() + ")"),
    Spec("hpxi2.N40", "exact xi^2 against the derived driven_dicke.hp.xi2, same point", "App. F (derived)", "-",
         Abs(_below(4e-3))),
    Spec("hpxi2.errors", f"|exact - derived| at N = {XI2_SIZES}, same point", "App. F (derived)", "-", Monotone(-1)),
    Spec("hpxi2.order", f"fitted order p of |exact - derived| ~ N^-p, N = {XI2_SIZES}", "App. F (derived)", "-",
         Within(_above(0.7), _below(1.1))),
    Spec("hpxi2.unsqueezed", "smallest exact xi^2 at N = 10, 20, 40, same point", "App. F", "-",
         Within(lo=_above(1.0))),
    *[Spec(f"fig2d.xi2.N{N}", f"exact xi^2 against the derived driven_dicke.hp.xi2 on the lower branch, N = {N}, "
           "gamma_c = 10 gamma_s, Omega/Omega_c = 0.1, 0.2, 0.3", "Fig. 2(d), eq. (7)",
           "excellent agreement before the transition", Abs(tol)) for N, tol in ((18, 0.03), (64, 0.01))],
    Spec("fig2d.F11.N64", "(F10)+(F11) as printed against the derived xi^2 at the same points, N = 64", "Fig. 2(d), (F11)",
         "(F11) drawn in Fig. 2(d)", Abs(0.01)),
    # N = 80
    Spec("n80.dps_agreement", "|<S_z>(dps = 25) - <S_z>(dps = 35)|, N = 80, Omega = 0.61 Omega_c, gamma_c = 10 gamma_s",
         "Fig. 2, App. C (N = 80 is ours)", "-", Within(hi=_below(1e-22))),
    Spec("n80.sz", "<S_z> at dps = 35, same point.  Not printed: the reference is ours (an earlier dps = 35 run; "
         "piqs in float32 gives -7.76 there); near it the paper prints Omega_PT ~ 0.61 Omega_c for N >> 1 (App. C) "
         "and Fig. 2 at N = 18, 64 only", "- (ours)", "not printed", Abs(1e-9), N80_SZ),
    Spec("n80.float64", "|<S_z>(float64) - <S_z>(dps = 35)| / (condition x eps x N/2)", "-", "-", Within(hi=1.0)),
]


# ----------------------------------------------------------------------------- figures
def _figure(ncols: int, width: float = 5.0, height: float = 4.0, nrows: int = 1):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height * nrows))
    return fig, [fig.add_subplot(nrows, ncols, i + 1) for i in range(ncols * nrows)]


def _colors(n: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0.05, 0.85, max(n, 1)))


def _mf_curves(N: int, grid):
    """s_z of the lower, middle, upper branch on ``grid`` (Omega/Omega_c) and their stability."""
    Z, stable = np.full((len(grid), 3), np.nan), np.zeros((len(grid), 3), bool)
    for i, f in enumerate(grid):
        br = mean_field_branches(N, f * (N - 1) / 4)
        st = branch_stability(N, f * (N - 1) / 4, 1.0, 0.1)
        lo_edge = window_edges(1.1, N - 1.0)[0]
        ks = range(3) if len(br) == 3 else [0 if f < lo_edge else 2]
        for k, z, s in zip(ks, br, st):
            Z[i, k], stable[i, k] = z, s < 0
    return Z, stable


def _fig2_figure(fracs, data, P64, pk64) -> object:
    fig, (a, b, c, d) = _figure(4, 4.6, 3.9)
    grid = np.linspace(0.02, 2.0, 300)
    cols = dict(zip(data, _colors(len(data))))
    for N, rows in data.items():
        a.plot(fracs[N], rows[:, 0], "o", color=cols[N], ms=4, label=f"exact, N = {N}")
        c.plot(fracs[N], rows[:, 1], "o-", color=cols[N], ms=4, label=f"exact, N = {N}")
        d.plot(fracs[N], rows[:, 2], "o-", color=cols[N], ms=4, label=f"exact, N = {N}")
        mom = an.exact.mixed_moments(N)
        c.axhline(float(mom["S2"]) / (N / 2 * (N / 2 + 1)), color=cols[N], ls=":", lw=1,
                  label=f"totally mixed (D3c), N = {N}")
        d.axhline(float(mom["g2"]), color=cols[N], ls=":", lw=1, label=f"totally mixed (D3e), N = {N}")
    for N in (min(data), max(data)):
        Z, stable = _mf_curves(N, grid)
        for k in range(3):
            a.plot(grid, np.where(stable[:, k], Z[:, k], np.nan), "-", color=cols[N], lw=0.9,
                   label=f"mean field (2), N = {N}: stable" if k == 0 else None)
            a.plot(grid, np.where(~stable[:, k], Z[:, k], np.nan), "--", color=cols[N], lw=0.9,
                   label=f"mean field (2), N = {N}: unstable" if k == 1 else None)
    a.plot(grid, np.where(grid <= 1, -np.sqrt(np.clip(1 - grid ** 2, 0, None)), np.nan), "-.", color="m", lw=0.9,
           label=r"Dicke limit (B4), $\Gamma_c = \Gamma$")
    a.set_xlabel(r"$\Omega/\Omega_c$, $\Omega_c = (N-1)\gamma_c/4$")
    a.set_ylabel(r"$\langle S_z\rangle/(N/2)$ (exact), $s_z$ (mean field)")
    a.set_title(r"Fig. 2(a): magnetisation, $\gamma_c = 10\gamma_s$", fontsize=10)
    a.legend(fontsize=6.5, loc="lower right")
    N64 = max(data)
    m = N64 / 2 - np.arange(N64 + 1)
    b.bar(m, P64, color=cols[N64], label=f"P(m), N = {N64}, $\\Omega = 0.61\\Omega_c$")
    br = mean_field_branches(N64, 0.61 * (N64 - 1) / 4)  # one branch when 0.61 Omega_c is outside N's window
    b.axvline(N64 / 2 * br[0], color="k", ls="--", lw=0.9, label=r"$N s_z/2$, lower branch")
    if len(br) == 3:
        b.axvline(N64 / 2 * br[2], color="k", ls=":", lw=0.9, label=r"$N s_z/2$, upper branch")
    b.plot(m[pk64], P64[pk64], "v", color="tab:red", label="peaks")
    b.set_xlabel("m (eigenvalue of $S_z$)")
    b.set_ylabel("P(m)")
    b.set_title("Fig. 2(b): bimodal distribution", fontsize=10)
    b.legend(fontsize=7)
    c.set_xlabel(r"$\Omega/\Omega_c$")
    c.set_ylabel(r"$\langle\mathbf{S}^2\rangle/[\frac{N}{2}(\frac{N}{2}+1)]$")
    c.set_title("Fig. 2(c): total spin", fontsize=10)
    c.legend(fontsize=7)
    d.axhline(1, color="k", lw=0.5, label="coherent light, $g^{(2)} = 1$")
    d.set_xlabel(r"$\Omega/\Omega_c$")
    d.set_ylabel(r"$g^{(2)}(0) = \langle S^+S^+S^-S^-\rangle/\langle S^+S^-\rangle^2$")
    d.set_title("Fig. 2(f): photon correlations", fontsize=10)
    d.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _gap_figure(Ns, gaps, fit) -> object:
    fig, (a,) = _figure(1, 5.4, 3.9)
    a.semilogy(Ns, gaps, "o", color=_colors(1)[0], label=r"$\lambda_1$ (spectrum of $\mathcal{L}$)")
    a.semilogy(Ns, np.exp(np.polyval(fit, Ns)), "k--", lw=0.9, label=f"fit $\\propto e^{{{fit[0]:.3f}N}}$")
    a.set_xlabel("N")
    a.set_ylabel(r"$\lambda_1/\gamma_c$")
    a.set_title(r"Fig. 3: gap at $\Omega = 0.61\Omega_c$, $\gamma_c = 10\gamma_s$", fontsize=10)
    a.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _metastable_figure(fr, rows, printed_at) -> object:
    fig, (a, b) = _figure(2, 5.2, 4.0)
    N = 18
    grid = np.linspace(0.55, 0.9, 200)
    Z, stable = _mf_curves(N, grid)
    for k in range(3):
        a.plot(grid, np.where(stable[:, k], Z[:, k], np.nan), "k-", lw=0.8, label="mean field (2): stable" if k == 0 else None)
        a.plot(grid, np.where(~stable[:, k], Z[:, k], np.nan), "k--", lw=0.8, label="unstable" if k == 1 else None)
    a.plot(fr, rows[:, 0], "o", color="tab:red", label=r"$\rho_+$")
    a.plot(fr, rows[:, 1], "s", color="tab:green", label=r"$\rho_-$")
    a.plot(fr, rows[:, 2], "x-", color="0.4", label=r"steady state $\rho_s$")
    a.axvspan(*window_edges(1.1, N - 1.0), color="0.92", label="window (B5)")
    a.set_xlabel(r"$\Omega/\Omega_c$")
    a.set_ylabel(r"$\langle S_z\rangle/(N/2)$")
    a.set_title(r"Fig. 4(a): $\rho_\pm$, N = 18, $\gamma_c = 10\gamma_s$", fontsize=10)
    a.legend(fontsize=7)
    b.plot(fr, rows[:, 3], "o-", color="tab:red", label=r"$a_+$, eq. (5) (traces)")
    b.plot(fr, rows[:, 4], "s-", color="tab:green", label=r"$a_-$, eq. (5) (traces)")
    b.plot(fr, rows[:, 3] + rows[:, 4], "k^-", label=r"$a_+ + a_-$")
    b.plot(fr, rows[:, 5], ":", color="tab:red", label=r"$a_+$, piqs block product")
    b.plot(fr, rows[:, 6], ":", color="tab:green", label=r"$a_-$, piqs block product")
    b.plot(fr, rows[:, 7], "d--", color="tab:blue", label=r"$p_+$, left eigenmatrix ($p_+ + p_- = 1$)")
    b.plot([printed_at] * 2, PRINTED_A, "*", color="orange", ms=12, label="printed (0.4, 0.5)")
    b.axhline(1, color="k", lw=0.5)
    b.set_xlabel(r"$\Omega/\Omega_c$")
    b.set_ylabel("weight")
    b.set_title("eq. (5): metastable weights, N = 18", fontsize=10)
    b.legend(fontsize=6.5)
    fig.tight_layout()
    return fig


def _switching_figure(N, ms, mw, r, tr) -> object:
    fig, (a, b) = _figure(2, 5.4, 3.9)
    t, z = tr.times, tr.expect["Sz"][0]
    keep = t <= 200
    a.plot(t[keep], z[keep], lw=0.7, color=_colors(1)[0], label=r"$\langle S_z\rangle$, trajectory 1")
    a.axhline(ms.rho_plus.expect("Sz"), color="tab:red", ls="--", label=r"Tr$(S_z\rho_+)$")
    a.axhline(ms.rho_minus.expect("Sz"), color="tab:green", ls="--", label=r"Tr$(S_z\rho_-)$")
    for th in thresholds(ms.rho_plus.expect("Sz"), ms.rho_minus.expect("Sz"), MARGIN):
        a.axhline(th, color="0.6", lw=0.6, ls=":")
    a.plot([], [], ":", color="0.6", label=f"switch thresholds ({MARGIN:.0%} margin)")
    a.set_xlabel(r"$t\gamma_s$")
    a.set_ylabel(r"$\langle S_z\rangle$")
    a.set_title(f"Fig. 6(a): N = {N}, $\\Omega = 0.73\\Omega_c$", fontsize=10)
    a.legend(fontsize=7, loc="center right")
    rows = [(r.rate_low, r.error_low, ms.gamma_plus, mw["gamma_plus"]),
            (r.rate_high, r.error_high, ms.gamma_minus, mw["gamma_minus"])]
    for i, (rate, err, p5, pl) in enumerate(rows):
        b.errorbar(i, rate, yerr=err, fmt="ko", capsize=4, label="counted on trajectories (1 s.e.)" if i == 0 else None)
        b.plot(i + 0.12, p5, "rs", label=r"eq. (10), $a_\mp$ of eq. (5)" if i == 0 else None)
        b.plot(i - 0.12, pl, "g^", label=r"eq. (10), left-eigenmatrix $p_\mp$" if i == 0 else None)
    b.set_xticks([0, 1], [r"$\Gamma_+$ (out of $\rho_+$)", r"$\Gamma_-$ (out of $\rho_-$)"])
    b.set_xlim(-0.5, 1.5)
    b.set_ylabel(r"rate / $\gamma_s$")
    b.set_title(f"switching rates, N = {N} ({r.switches_low} + {r.switches_high} switches)", fontsize=10)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _xi2_figure(sizes, rows, fig2d, lim) -> object:
    fig, (a, b, c) = _figure(3, 5.0, 4.0)
    cols = _colors(4)
    labels = ("exact (permutation-invariant)", "derived driven_dicke.hp.xi2", "(F10)+(F11) as printed",
              "(F10)+(F11) with 1/|s|")
    for k, (lab, col, mk) in enumerate(zip(labels, cols, "os^d")):
        a.plot(sizes, rows[:, k], mk + "-", color=col, label=lab)
    a.axhline(1, color="k", lw=0.5, label=r"$\xi^2 = 1$")
    a.set_xscale("log")
    a.set_xticks(list(sizes), [str(n) for n in sizes])
    a.set_xlabel("N")
    a.set_ylabel(r"$\xi^2 = N\min\mathrm{Var}(S_\perp)/|\langle\mathbf{S}\rangle|^2$")
    a.set_title(r"App. F: $\Gamma = \gamma_s$, $\Omega = 2\Omega_c$ (F11 fails)", fontsize=10)
    a.legend(fontsize=7)
    for (N, fr, exact, derived, printed), col in zip(fig2d, _colors(len(fig2d))):
        b.plot(fr, exact, "o", color=col, label=f"exact, N = {N}")
        b.plot(fr, derived, "-", color=col, label=f"derived hp.xi2, N = {N}")
        b.plot(fr, printed, ":", color=col, label=f"(F10)+(F11) printed, N = {N}")
    b.set_xlabel(r"$\Omega/\Omega_c$ (lower branch)")
    b.set_ylabel(r"$\xi^2$")
    b.set_title(r"Fig. 2(d): $\gamma_c = 10\gamma_s$", fontsize=10)
    b.legend(fontsize=7)
    cc = np.linspace(-0.9999, float(lim["turning"]), 200)
    X = np.array([float(lim["ratio"].subs(fl.COS_THETA, v)) for v in cc])
    vpp = -cc
    xi2 = (1 + cc ** 2) / 2 if sp.simplify(lim["xi2"] - (1 + fl.COS_THETA ** 2) / 2) == 0 else \
        np.array([float(lim["xi2"].subs(fl.COS_THETA, v)) for v in cc])
    c.plot(X, vpp, "-", color=cols[0], lw=3, alpha=0.5, label=r"derived $V_{pp} \to -\cos\theta$")
    c.plot(X, printed_eq8(X), "k--", label="eq. (8) as printed")
    c.plot(X, printed_F14(X), ":", color=cols[2], label="(F14) as printed")
    c.plot(X, xi2, "-", color=cols[1], label=r"derived Wineland $\xi^2 \to (1+\cos^2\theta)/2$")
    c.plot([1 / math.sqrt(2)], [1 / math.sqrt(3)], "*", color="orange", ms=12, label=r"printed optimum $1/\sqrt{3}$")
    c.set_xlabel(r"$\Omega/\Omega_c$ (lower branch, $\Gamma\gg\gamma$)")
    c.set_ylabel("variance / squeezing parameter")
    c.set_title(r"eq. (8), (F14): limit $\Gamma\gg\gamma$", fontsize=10)
    c.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _fit_figure(res) -> object:
    from numeric.dynamics.switching import two_state_solution

    fig, (a,) = _figure(1, 5.6, 3.9)
    f, t = res.fit, res.times
    cols = _colors(2)
    a.plot(t, res.p_minus_from_plus, "o", color=cols[0], ms=4, label=r"$p_-(t)$ from $\rho_+$ (read with $S_z$)")
    a.plot(t, res.p_plus_from_minus, "s", color=cols[1], ms=4, label=r"$p_+(t)$ from $\rho_-$")
    tt = t[t >= t[0]]
    a.plot(tt, two_state_solution(f.k_ab, f.k_ba, f.p_b0_from_a, tt - tt[0]), "-", color=cols[0], lw=0.9,
           label="two-state fit, eq. (9)")
    a.plot(tt, two_state_solution(f.k_ba, f.k_ab, f.p_a0_from_b, tt - tt[0]), "-", color=cols[1], lw=0.9,
           label="two-state fit, eq. (9)")
    a.set_xlabel(r"$t\gamma_s$")
    a.set_ylabel("occupation of the other state")
    a.set_title(r"eq. (9): evolutions from $\rho_\pm$, N = 18", fontsize=10)
    a.legend(fontsize=7)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- tasks
def _mean_field_task(size: str) -> dict:
    out = {"_params": {"window cases Gamma/gamma": WINDOW_CASES, "fig9": "Gamma/gamma = 20, Omega = 0.7 Omega_c",
                       "B12 l2, l3": "Gamma = 1, Omega = 0.6 Omega_c, gamma = 4e-3, 2e-3, 1e-3"}}
    out["B5.threshold"] = _threshold()
    for k, r in WINDOW_CASES.items():
        out[f"B5.window.{k}"] = window_edges(1.0, r)
    lo, hi = window_edges(1.0, 20.0)
    counts = [len(mean_field_branches(21, f * 5, 1.0, 0.0)) for f in (lo - 1e-3, (lo + hi) / 2, hi + 1e-3)]
    out["B5.root_count.fig9"] = counts
    out["fig9.stability"] = [int(x < 0) for x in branch_stability(21, 0.7 * 5, 1.0, 0.0)]
    out["eq3.window_limit"] = window_edges(0.0, 1.0)
    # (B12) at Gamma/gamma = 20 (N = 21, gamma_c = 1, gamma_s = 0: gamma = 1, Gamma = 20), lower branch
    _, sy_of, jac = _mean_field()
    N, Om, gc, gs = 21, 0.7 * 5, 1.0, 0.0
    gamma, Gamma = gc + gs, (N - 1) * gc
    sz = mean_field_branches(N, Om, gc, gs)[0]
    ev = np.linalg.eigvals(np.array(jac(0.0, sy_of(sz, N, Om, gc, gs), sz, N, Om, gc, gs), dtype=float))
    printed_l1 = -gamma / 2 + sz * Gamma
    require(np.all(np.abs(ev.imag) < 1e-12), "the lower-branch eigenvalues are not real")
    out["B12.l1"] = (float(ev.real[np.argmin(np.abs(ev - printed_l1))]), printed_l1)
    derived = -gamma / 2 + Gamma * sz / 2
    out["B12.l1_derived"] = (float(ev.real[np.argmin(np.abs(ev - derived))]), derived)
    out["B12.l23_order"] = _b12_orders()
    return out


def _threshold() -> float:
    r""":math:`\Gamma/\gamma` where the window of the engine's formula closes: bisection on whether
    both edges are real and distinct (below the threshold the inner square root is imaginary).
    At 50 digits: the window's width grows like :math:`(\Gamma - \Gamma_*)^{3/2}` and its inner
    polynomial cancels, so float64 cannot tell the edges apart within ~1e-4 of the threshold.
    The registered formula refuses Gamma <= 8 gamma (its domain, which is what is tested here),
    so the bisection evaluates its expression as derived, without the domain check."""
    f = an.formulas.formula("driven_dicke.meanfield.bistability")
    edges = sp.lambdify(f.symbols(), f.expr, modules="mpmath")

    def has_window(G):
        lo, hi = edges(mpmath.mpf(1), mpmath.mpf(G))
        return bool(mpmath.im(lo) == 0 and mpmath.im(hi) == 0 and hi > lo)

    with mpmath.workdps(50):
        a, b = mpmath.mpf(7), mpmath.mpf(9)
        require(not has_window(a) and has_window(b), "the window does not close between Gamma/gamma = 7 and 9")
        while b - a > mpmath.mpf(10) ** -15:
            c = (a + b) / 2
            a, b = (a, c) if has_window(c) else (c, b)
        return float(b)


def _b12_orders() -> list:
    """Slopes of log|l_printed - l_exact| against log gamma for l2, l3 on branches (a), (b)."""
    _, sy_of, jac = _mean_field()
    G, x, gams = 1.0, 0.6, (4e-3, 2e-3, 1e-3)
    err = {(k, b): [] for k in ("l2", "l3") for b in (0, 1)}
    for g in gams:
        # gamma = gamma_c + gamma_s = g and Gamma = (N - 1) gamma_c = G with gamma_s = 0, gamma_c = g
        gc = g
        N = 1 + G / gc
        Om = x * G / 4
        for b, sz in enumerate(mean_field_branches(N, Om, gc, 0.0)[:2]):
            ev = np.linalg.eigvals(np.array(jac(0.0, sy_of(sz, N, Om, gc, 0.0), sz, N, Om, gc, 0.0), dtype=float)).real
            l1 = -g / 2 + G * sz / 2
            rest = sorted(ev, key=lambda e: abs(e - l1))[1:]
            l2 = sz * G / 2 - g * (0.5 + 8 * Om ** 2 / (sz ** 2 * G ** 2))
            l3 = -g * (1 - 8 * Om ** 2 / (sz ** 2 * G ** 2))
            err[("l2", b)].append(min(abs(np.array(rest) - l2)))
            err[("l3", b)].append(min(abs(np.array(rest) - l3)))
    return [float(np.polyfit(np.log(gams), np.log(e), 1)[0]) for e in err.values()]


def _dicke_limit(size: str) -> dict:
    # gamma_s = 0: one collective spin S = N/2, H = 2 Omega S_x, gamma_c D[S^-]; in the crf convention
    # (H = omega S_x, rate 2 kappa/S) omega = 2 Omega and kappa = gamma_c S/2 = Omega_c, lambda = Omega/Omega_c
    pl = an.exact.puri_lawande(2 * LAMBDA_B4, 1.0, S_B4)
    mo = pl.moments()
    return {"_params": {"S = N/2": S_B4, "Omega/Omega_c": LAMBDA_B4, "state": "Puri-Lawande (analytic.exact), "
                        "crf omega = 2 Omega, kappa = Omega_c"},
            "B4.sz": float(mo["Sz"]) / S_B4, "B4.sy": float(mo["Sy"]) / S_B4, "F13.xi2": float(pl.xi2("x"))}


def _mixed_state(size: str) -> dict:
    Ns = FIG2_N if size == "paper" else FIG2_N[:1]
    out = {"_params": {"N": list(Ns), "steady states": "N = 18 at 3 Omega_c, N = 64 at 2 Omega_c, gamma_c = 10 gamma_s"}}
    for N in Ns:
        mom = an.exact.mixed_moments(N)
        out[f"D3.moments.N{N}"] = [float(mom[k]) for k in ("Sz", "Sz2", "SpSm", "S2", "SpSpSmSm", "g2")]
        st = steady_state(MODEL, values(N, 3.0 if N == 18 else 2.0), N=N)
        require(len(mean_field_branches(N, (3.0 if N == 18 else 2.0) * (N - 1) / 4)) == 1,
                f"N = {N}: the strong drive is inside the window")
        out[f"D3.S2.steady.N{N}"] = st.casimir()
        out[f"D3.g2.steady.N{N}"] = st.g2()
        out[f"D3.SpSm.steady.N{N}"] = float(st.expect("Sp*Sm"))
    return out


FIG2_FRACS = (0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.61, 0.63, 0.66, 0.7, 0.75, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0)


def _fig2(size: str) -> dict:
    Ns = (18, 32, 64) if size == "paper" else (18,)
    fr = FIG2_FRACS if size == "paper" else (0.35, 0.61, 0.8, 1.2, 2.0)
    out = {"_params": {"N": list(Ns), "Omega/Omega_c": list(fr), "gamma_c": 1.0, "gamma_s": 0.1}}
    data, fracs, states = {}, {}, {}
    for N in Ns:
        sts = [steady_state(MODEL, values(N, f), N=N) for f in fr]
        states[N] = dict(zip(fr, sts))
        fracs[N] = np.array(fr)
        data[N] = np.array([[s.expect("Sz") / (N / 2), s.casimir() / (N / 2 * (N / 2 + 1)), s.g2()] for s in sts])
    for N in (n for n in FIG2_N if n in Ns):
        for side, f in (("lower", 0.35), ("upper", 1.2)):
            br = mean_field_branches(N, f * (N - 1) / 4)
            require(len(br) == 1 or side == "lower", f"N = {N}: {f} Omega_c is inside the window")
            out[f"fig2a.{side}.N{N}"] = (float(states[N][f].expect("Sz")) / (N / 2), br[0] if side == "lower" else br[-1])
    Nb = 64 if 64 in Ns else Ns[-1]
    st = states[Nb][0.61]
    P = np.asarray(st.populations())
    require(abs(P.sum() - 1) < 1e-12, "P(m) does not sum to 1")
    peaks = bimodal_peaks(P)
    if Nb == 64:  # Fig. 2(b) is N = 64; at N = 18 (the small run) 0.61 Omega_c need not be bimodal
        require(len(peaks) == 2, f"N = {Nb}: P(m) at 0.61 Omega_c has {len(peaks)} peaks, not 2")
        dip = peaks[0] + int(np.argmin(P[peaks[0]:peaks[1] + 1]))
        s = states[64][0.35]
        out["fig2c.S2.N64"] = s.casimir() / (32 * 33)
        out["fig2f.g2.N64"] = s.g2()
        br = mean_field_branches(64, 0.61 * 63 / 4)
        require(len(br) == 3, "0.61 Omega_c is outside the N = 64 window")
        mvals = 32 - np.arange(65)
        out["fig2b.peaks.N64"] = ([float(mvals[peaks[0]]), float(mvals[peaks[1]])], [32 * br[2], 32 * br[0]])
        out["fig2b.weights.N64"] = float(min(P[:dip].sum(), P[dip:].sum()))
        out["fig2b.dip.N64"] = float(P[dip] / min(P[peaks]))
    out["_figures"] = {"fig2_transition": _fig2_figure(fracs, data, P, peaks)}
    return out


def _transition_point(size: str) -> dict:
    Ns = C2_N if size == "paper" else (18,)
    pts = [transition_drive(N) for N in Ns]
    for N, f in zip(Ns, pts):
        lo, hi = window_edges(1.1, N - 1.0)
        require(lo < f < hi, f"N = {N}: the (C2) point {f} is outside the window")
    out = {"_params": {"N": list(Ns), "gamma_c": 1.0, "gamma_s": 0.1, "xtol": 1e-4, "points": pts}}
    out["appC.omega_pt"] = pts  # over the run's N (in _params)
    if size == "paper":
        out["appC.omega_pt.N80"] = pts[-1]
    out["_figures"] = {"appC_transition_point": _c2_figure(Ns, pts)}
    return out


def _c2_figure(Ns, pts) -> object:
    fig, (a,) = _figure(1, 5.6, 3.9)
    NN = np.arange(14, 101)
    edges = np.array([window_edges(1.1, n - 1.0) for n in NN])
    a.fill_between(NN, edges[:, 0], edges[:, 1], color="0.9", label=r"mean-field window (B5), $\gamma_c = 10\gamma_s$")
    a.plot(Ns, pts, "o-", color=_colors(1)[0], label=r"ours: $\langle S_z\rangle$ = mean of the stable branches (C2)")
    a.axhline(0.61, color="k", ls="--", lw=0.9, label=r"printed $\Omega_{PT}\approx 0.61\Omega_c$ ($N\gg 1$)")
    a.set_xlabel("N")
    a.set_ylabel(r"$\Omega/\Omega_c$")
    a.set_title("App. C, Fig. 10: transition point", fontsize=10)
    a.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _gap(size: str) -> dict:
    Ns = np.array(FIG3_N if size == "paper" else FIG3_N[:3])
    gaps = np.array([pm.gap_pi(MODEL, values(int(N), 0.61), int(N)) for N in Ns])
    fit = np.polyfit(Ns, np.log(gaps), 1)
    out = {"_params": {"N": Ns.tolist(), "Omega/Omega_c": 0.61, "gamma_c": 1.0, "gamma_s": 0.1,
                       "gaps": gaps.tolist(), "fit ln(lambda_1) = a N + b": fit.tolist()},
           "_figures": {"fig3_gap": _gap_figure(Ns, gaps, fit)}}
    out["fig3.gap"] = gaps.tolist()  # over the run's N (in _params)
    out["fig3.gap_slope"] = float(fit[0])
    out["fig3.gap_straight"] = float(np.max(np.abs(np.log(gaps) - np.polyval(fit, Ns))))
    return out


def _metastable(size: str) -> dict:
    N = 18
    lo, hi = window_edges(1.1, N - 1.0)
    grid = sorted(set(np.round(np.linspace(lo + 0.005, hi - 0.005, 7 if size == "paper" else 2), 4)) |
                  set(FIG4_FRACS) | {0.73})
    rows, mss = [], {}
    for f in grid:
        v = values(N, f)
        ms = pm.metastable_pi(MODEL, v, N)
        mw = metastable_weights(ms, MODEL, v, N)
        mss[f] = ms
        rows.append([ms.rho_plus.expect("Sz") / 9, ms.rho_minus.expect("Sz") / 9, ms.steady.expect("Sz") / 9,
                     ms.a_plus, ms.a_minus, ms.a_plus_blocks, ms.a_minus_blocks, mw["p_plus"]])
    rows = np.array(rows, dtype=float)
    inside = np.array([lo < f < hi for f in grid])
    ms = mss[0.73]
    require(abs(ms.lambda1 - pm.gap_pi(MODEL, values(N, 0.73), N)) < 1e-8 * ms.lambda1,
            "lambda_1 of the decomposition is not the gap")
    for s in (ms.rho_plus, ms.rho_minus):
        require(abs(s.trace() - 1) < 1e-12 and min(np.linalg.eigvalsh((B + B.conj().T) / 2).min() for B in s.blocks)
                > -1e-12, "rho_+- is not a density matrix")
    br = [mean_field_branches(N, f * (N - 1) / 4) for f in FIG4_FRACS]
    require(all(len(b) == 3 for b in br), "a Fig. 4 drive is outside the window")
    j = N / 2 * (N / 2 + 1)
    out = {"_params": {"N": N, "Omega/Omega_c": list(map(float, grid)), "window": [lo, hi], "gamma_c": 1.0,
                       "gamma_s": 0.1, "lambda_1(0.73)": ms.lambda1,
                       "a_+, a_- (traces) at 0.73": [ms.a_plus, ms.a_minus]},
           "fig4a.rho_plus_sz": ([mss[f].rho_plus.expect("Sz") / 9 for f in FIG4_FRACS], [b[0] for b in br]),
           "fig4a.rho_minus_sz": ([mss[f].rho_minus.expect("Sz") / 9 for f in FIG4_FRACS], [b[2] for b in br]),
           "fig4c.rho_plus_S2": [mss[f].rho_plus.casimir() / j for f in FIG4_FRACS],
           "fig4c.rho_minus_S2": [mss[f].rho_minus.casimir() / j for f in FIG4_FRACS],
           "eq5.a_blocks.N18": [ms.a_plus_blocks, ms.a_minus_blocks],
           "eq5.a_traces.N18": [ms.a_plus, ms.a_minus],
           "eq5.a_sum.N18": ms.a_plus + ms.a_minus,
           "fig5b.g2_rho_plus.N18": ms.rho_plus.g2(),
           "fig5c.xi2_rho_plus.N18": ms.rho_plus.squeezing(),
           "_figures": {"fig4_metastable": _metastable_figure(np.array(grid), rows, 0.73)}}
    if size == "paper":
        out["eq5.a_sum_window.N18"] = float(np.max(np.abs(rows[inside, 3] + rows[inside, 4] - 1)))
    return out


def _switching(size: str) -> dict:
    N, T, ntraj, seed = (18, 400.0, 4, 11) if size == "paper" else (10, 500.0, 4, 21)
    ms, mw, r, tr = switching_record(N, T, ntraj, seed)
    z = rate_z_scores(ms, mw, r)
    out = {"_params": {"N": N, "T gamma_s": T, "trajectories": ntraj, "seed": seed, "Omega/Omega_c": 0.73,
                       "gamma_c": 10.0, "gamma_s": 1.0, "margin": MARGIN, "t_min": 5.0,
                       "rate out of rho_+": [r.rate_low, r.error_low], "rate out of rho_-": [r.rate_high, r.error_high],
                       "lambda_1": ms.lambda1, "p_+ (left eigenmatrix)": mw["p_plus"],
                       "a_+, a_- (eq. 5)": [ms.a_plus, ms.a_minus],
                       "predicted Gamma_+, Gamma_- (p)": [mw["gamma_plus"], mw["gamma_minus"]],
                       "predicted Gamma_+, Gamma_- (eq. 5)": [ms.gamma_plus, ms.gamma_minus]},
           "_figures": {"fig6_switching": _switching_figure(N, ms, mw, r, tr)}}
    out.update({"fig6.switches": [r.switches_low, r.switches_high], "fig6.sz_rho_plus": ms.rho_plus.expect("Sz"),
                "fig6.sz_rho_minus": ms.rho_minus.expect("Sz"), "eq10.z_plus": z["plus"],
                "eq10.z_minus": z["minus"], "eq10.z_sum": z["sum"], "eq10.z_plus_eq5": z["plus_eq5"]})
    return out


def _rate_fit(size: str) -> dict:
    N, times, t_min = (18, np.linspace(0, 30, 61), 6.0) if size == "paper" else (10, np.linspace(0, 15, 61), 5.0)
    v = values(N, 0.73, 10.0, 1.0)
    res = fit_from_metastable(MODEL, v, N, times, op="Sz", t_min=t_min)
    f, ms = res.fit, res.metastable
    mw = metastable_weights(ms, MODEL, v, N)
    out = {"_params": {"N": N, "Omega/Omega_c": 0.73, "gamma_c": 10.0, "gamma_s": 1.0, "t_min": t_min,
                       "times": [float(times[0]), float(times[-1]), len(times)], "k_+-": f.k_ab, "k_-+": f.k_ba,
                       "rms": f.rms},
           "_figures": {"eq9_rate_fit": _fit_figure(res)}}
    out["eq9.weight_fit"] = (f.weight_a, res.weight_plus_steady)  # at the run's N (in _params)
    out["eq9.rate_sum"] = (f.k_ab + f.k_ba, ms.lambda1)
    out["eq9.weight_left_eigen"] = (f.weight_a, mw["p_plus"])
    return out


def _squeezing(size: str) -> dict:
    lim = squeezing_limits()
    c = fl.COS_THETA
    turn = lim["turning"]
    out = {"_params": {"limit": "N -> oo at fixed Gamma = (N-1) gamma_c, then gamma_s/Gamma -> 0",
                       "V_pp": str(lim["vpp"]), "xi2": str(lim["xi2"]), "Omega/Omega_c": str(lim["ratio"]),
                       "end of the lower branch c": str(turn)}}
    out["eq8.optimum"] = float(lim["vpp"].subs(c, turn))
    out["eq8.optimum_drive"] = float(lim["ratio"].subs(c, turn))
    dev = []
    for cv in (-1, sp.Rational(-19, 20), sp.Rational(-4, 5), sp.Rational(-7, 10), sp.Rational(-3, 5), turn):
        X = lim["ratio"].subs(c, cv)
        dev.append(abs(float(sp.N(printed_eq8(X, sp.sqrt) - lim["vpp"].subs(c, cv), 30))))
    out["eq8.curve"] = max(dev)
    require(lim["ratio"].subs(c, -1) == 0, "c = -1 is not Omega = 0")
    out["F14.zero_drive"] = float(lim["vpp"].subs(c, -1))
    out["eq8.wineland_optimum"] = float(lim["xi2"].subs(c, turn))
    # finite N at Gamma = gamma_s, Omega = 2 Omega_c (one stable branch)
    sizes = XI2_SIZES if size == "paper" else (6, 8, 10)
    rows = xi2_series(2.0, 1.0, 1.0, sizes)
    err = np.abs(rows[:, 1] - rows[:, 0])
    out["_params"].update({"Gamma = gamma_s, Omega = 2 Omega_c: N": list(sizes),
                           "exact, derived, F11, F11/|s|, -cos theta": rows.tolist()})
    if size == "paper":
        out["F11.xi2.N40"] = (float(rows[-1, 0]), float(rows[-1, 2]))
        out["F11s.xi2.N40"] = (float(rows[-1, 0]), float(rows[-1, 3]))
        out["hpxi2.N40"] = (float(rows[-1, 0]), float(rows[-1, 1]))
        out["hpxi2.errors"] = err.tolist()
        out["hpxi2.order"] = float(-np.polyfit(np.log(sizes), np.log(err), 1)[0])
        out["hpxi2.unsqueezed"] = float(rows[:, 0].min())
    # Fig. 2(d): gamma_c = 10 gamma_s, lower branch below the window
    xi2 = an.formulas.get("driven_dicke.hp.xi2")
    fig2d = []
    for N in (FIG2_N if size == "paper" else FIG2_N[:1]):
        fr = np.array([0.1, 0.2, 0.3])
        ex, de, pr = [], [], []
        for f in fr:
            Om = f * (N - 1) / 4
            require(len(mean_field_branches(N, Om)) == 1, f"N = {N}: {f} Omega_c is inside the window")
            sy, sz = lower_branch(N, Om, 1.0, 0.1)
            s = math.hypot(sy, sz)
            ex.append(steady_state(MODEL, values(N, f), N=N).squeezing())
            de.append(float(xi2(sz / s, N, 1.0, 0.1)))
            pr.append(printed_F11_xi2(sz / s, s, N - 1.0, 1.1))
        fig2d.append((N, fr, np.array(ex), np.array(de), np.array(pr)))
        out[f"fig2d.xi2.N{N}"] = (ex, de)
        if N == 64:
            out["fig2d.F11.N64"] = (pr, de)
    out["_figures"] = {"xi2_appF": _xi2_figure(sizes, rows, fig2d, lim)}
    return out


def _n80(size: str) -> dict:
    N = 80 if size == "paper" else 24
    r = mixed_precision_state(N)
    with mpmath.workdps(35):
        diff = abs(r["sz_low"] - r["sz_high"])
    bound = abs(r["sz_float"] - float(r["sz_high"])) / (r["condition"] * EPS * N / 2)
    require(r["refined_residual"] < 1e-30, f"dps = 35 refinement stopped at {r['refined_residual']:.1e}")
    br = mean_field_branches(N, 0.61 * (N - 1) / 4)
    out = {"_params": {"N": N, "Omega/Omega_c": 0.61, "gamma_c": 1.0, "gamma_s": 0.1, "dps": [25, 35],
                       "float64 <S_z>": r["sz_float"], "condition": r["condition"],
                       "refined residual (dps 35)": r["refined_residual"],
                       "N/2 x mean of the stable branches (C2)": N / 2 * (br[0] + br[-1]) / 2}}
    out["n80.dps_agreement"] = float(diff)  # at the run's N (in _params)
    out["n80.float64"] = float(bound)
    if size == "paper":
        out["n80.sz"] = float(r["sz_high"])
    return out


def _judged(run):
    """``run`` with the values of reference-free specs (Within, Monotone, Equal without a
    reference) passed as ``(value, None)``, as the runner expects for a spec whose reference is None."""
    free = {s.key for s in SPECS if s.reference is None and isinstance(s.criterion, (Within, Monotone))}

    def wrapped(size: str) -> dict:
        out = run(size)
        return {k: ((v, None) if k in free and not isinstance(v, tuple) else v) for k, v in out.items()}

    wrapped.__doc__ = run.__doc__
    return wrapped


_TASKS = [
    Task("mean_field", tuple(s.key for s in SPECS if s.key.split(".")[0] in ("B5", "fig9", "eq3", "B12")),
         _mean_field_task, "engine's cubic (2), window (B5), eq. (3), Jacobian (B11) and (B12)"),
    Task("dicke_limit", ("B4.sz", "B4.sy", "F13.xi2"), _dicke_limit, "Puri-Lawande state at gamma_s = 0"),
    Task("mixed_state", tuple(s.key for s in SPECS if s.key.startswith("D3.")), _mixed_state,
         "App. D moments and the strong-drive steady states"),
    Task("fig2", tuple(s.key for s in SPECS if s.key.split(".")[0] in ("fig2a", "fig2b", "fig2c", "fig2f")),
         _fig2, "exact steady states N = 18, 32, 64 against mean field"),
    Task("transition_point", ("appC.omega_pt", "appC.omega_pt.N80"), _transition_point, "eq. (C2) at N = 18..80"),
    Task("fig3_gap", ("fig3.gap", "fig3.gap_slope", "fig3.gap_straight"), _gap, "Liouvillian gap at 0.61 Omega_c"),
    Task("metastable", tuple(s.key for s in SPECS if s.key.split(".")[0] in ("fig4a", "fig4c", "eq5", "fig5b", "fig5c")),
         _metastable, "rho_+-, eq. (5) weights, N = 18"),
    Task("switching", tuple(s.key for s in SPECS if s.key.split(".")[0] in ("fig6", "eq10")), _switching,
         "quantum-jump trajectories, counted switching rates vs eq. (10)"),
    Task("rate_fit", ("eq9.weight_fit", "eq9.rate_sum", "eq9.weight_left_eigen"), _rate_fit,
         "two-state fit to evolutions from rho_+-"),
    Task("squeezing", tuple(s.key for s in SPECS if s.key.split(".")[0] in ("eq8", "F14", "F11", "F11s", "hpxi2", "fig2d")),
         _squeezing, "App. F: limit Gamma >> gamma and finite N"),
    Task("transition_N80", ("n80.dps_agreement", "n80.sz", "n80.float64"), _n80, "N = 80 in mixed precision"),
]
TASKS = [Task(t.name, t.keys, _judged(t.run), t.about) for t in _TASKS]
