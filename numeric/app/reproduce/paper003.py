r"""Paper 003 (Müller & Strunz; balanced and unbalanced open Dicke model): its printed numbers and claims.

The paper's own data (nuHOPS trajectories for N = 100 ... 1000, the tunnelling fractions and
rates of Fig. 3) are out of reach of a density matrix; what is reproduced here is everything its
text states that a density matrix or the engine can decide, in our convention
(:func:`analytic.models.open_dicke`: cavity loss rate :math:`2\kappa` for the paper's
:math:`\kappa(2a\rho a^\dagger - \dots)`, :math:`g_\pm` as printed, :math:`\bar g = g` when
:math:`g_+ = g_-`, :math:`N = 2S`):

* **Mean field is exact as N -> infinity** (text above eq. 5, ref. [33]).  The exact steady
  state (spin :math:`\otimes` truncated cavity, :func:`numeric.steady_state`) at N = 4 ... 20
  approaches, in the normal phase (unbalanced, :math:`g_- = 0.8, g_+ = 0.2`,
  :math:`\omega_a = \omega_c = \kappa = 1`), the normal state plus its Gaussian
  (Holstein-Primakoff) fluctuations (:func:`analytic.fluctuations.gaussian`): spin excitations
  :math:`S + \langle S_z\rangle`, photons, :math:`C_{af}/\sqrt S` and the squeezing parameter
  (S1); in the superradiant phase (balanced, :math:`g = 2g_c`, :math:`\omega_c = 5`) the
  closed-form SR point (:func:`numeric.semiclassical.cavity.open_dicke_fixed_points`; S = 10 has 71 442
  unknowns).  (Closer to the edge, g = 1.5 g_c, <S_z>/S = -0.44, -0.48, -0.49, -0.50, -0.50 for
  S = 2 ... 6 against -0.44 first moves away: the Gaussian spin-boson occupation at the SR point
  is 0.26 there against 0.036 at 2 g_c.)  Judged as the errors
  falling monotonically, their local order, and the extrapolation
  :math:`f_\infty + c_1/S + c_2/S^2` (:func:`extrapolated`).
* **Critical coupling** below eq. (5): the normal state's loss of stability located numerically
  (bisection of the mean-field Jacobian's eigenvalues) against the printed
  :math:`2\bar g_c = \sqrt{\omega_a(\omega_c^2+\kappa^2)}/\omega_c` (wrong dimension; it is
  right only for :math:`\omega_c = 1`, the Fig. 3 parameters).
* **Fig. 3 / S4 point** :math:`g_- = 1.8, g_+ = 0.782` (:math:`\omega_a = \omega_c = \kappa = 1`):
  bistable, and its position :math:`s` on the cut of Fig. 3(b) (the cut's direction is drawn,
  not stated; read here as :math:`\bar g` fixed, :math:`\Delta g` varied).
* **Squeezing of the normal state in the bistable phase** (text before the conclusions:
  :math:`\xi^2 < 1` even for large N): the Gaussian :math:`\xi^2` of the normal state at the S4
  point, i.e. its :math:`N\to\infty` limit (:func:`gaussian_squeezing`).
* **Rate equations (S2)-(S5), (6)**: the three-state process (S2)
  (:func:`numeric.dynamics.switching.seed003_rate_matrix`) solved exactly against the printed solutions;
  the printed (S3) does not conserve probability (a finding).
* **Fig. 2 inset**: entanglement (negativity) between two halves of the atoms only in the
  transient, and the atom-field covariance, at N = 8 (the paper: N = 100 ... 1000), with the
  spin Q function at :math:`t_1 = 7.5/\omega_a` (Fig. 1 a2) peaking towards the mean spin.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import scipy.linalg as sla
import sympy as sp
from scipy.optimize import brentq

import analytic as an
from analytic import cavity as acav

from numeric.semiclassical import cavity as nc
from numeric.semiclassical.flows import meanfield_trajectory
from numeric.dynamics.evolve import evolve
from numeric.states.phasespace import husimi_grid, spin_coherent_state
from numeric.solvers.steady import steady_state
from numeric.dynamics.switching import rate_solution, seed003_rate_matrix
from numeric.app.reproduce.spec import Abs, Equal, Monotone, Rel, Spec, Task, Within, require

__all__ = ["NUMBER", "SPECS", "TASKS", "FIG1", "FIGS4", "UNBALANCED_NORMAL", "extrapolated", "local_orders",
           "gaussian_squeezing", "normal_phase_targets", "normal_phase_sequence", "superradiant_point",
           "superradiant_sequence", "convergence", "critical_coupling_numeric", "printed_critical_coupling",
           "cut_position", "attractor", "transient_correlations", "rate_equation_solutions"]

NUMBER = "003"

MODEL = an.models.open_dicke()
FIG1 = {"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5}              # Figs. 1, 2
FIGS4 = {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0}             # Fig. 3, Fig. S4
UNBALANCED_NORMAL = {**FIGS4, "g_minus": 0.8, "g_plus": 0.2}       # ours: normal phase, g_+ != g_-
SR_BASE = {"omega_a": 1.0, "omega_c": 5.0, "kappa": 1.0}           # ours: superradiant, far from g_c
S4_POINT = {**FIGS4, "g_minus": 1.8, "g_plus": 0.782}              # Fig. S4, 's = 0.69' of Fig. 3
PRINTED_S = 0.69
RATES = {"gamma_ns": 0.013, "gamma_sn": 0.047, "gamma_ss": 0.29}   # illustrative (the paper's come from nuHOPS)

NORMAL_QUANTITIES = {"n_spin": "spin excitations S + <S_z>", "n_cavity": "photons <a^+ a>",
                     "re_caf": "Re C_af/sqrt(S)", "im_caf": "Im C_af/sqrt(S)", "xi2": "squeezing xi^2 (S1)"}
SR_QUANTITIES = {"sz": "<S_z>/S", "n_over_N": "<a^+ a>/N", "sx2": "<S_x^2>/S^2"}


# ----------------------------------------------------------------------------- finite-size analysis
def extrapolated(y: Sequence[float], sizes: Sequence[float]) -> float:
    r""":math:`f_\infty` of the least-squares fit :math:`f(S) = f_\infty + c_1/S + c_2/S^2`
    (exact through three sizes)."""
    S = np.asarray(sizes, dtype=float)
    y = np.asarray(y, dtype=float)
    if S.shape != y.shape or S.size < 3:
        raise ValueError(f"sizes: need at least three sizes matching y, got {S.shape} and {y.shape}")
    X = np.vstack([np.ones(S.size), 1 / S, 1 / S ** 2]).T
    return float(np.linalg.lstsq(X, y, rcond=None)[0][0])


def local_orders(errors: Sequence[float], sizes: Sequence[float]) -> np.ndarray:
    r"""Local order :math:`p_i = \ln(e_i/e_{i+1})/\ln(S_{i+1}/S_i)` of errors :math:`e \sim S^{-p}`."""
    e, S = np.asarray(errors, dtype=float), np.asarray(sizes, dtype=float)
    if e.shape != S.shape or S.size < 2:
        raise ValueError(f"sizes: need at least two sizes matching errors, got {S.shape} and {e.shape}")
    return np.log(e[:-1] / e[1:]) / np.log(S[1:] / S[:-1])


def convergence(y: Sequence[float], target: float, sizes: Sequence[float], first_window: float | None = None) -> dict:
    """Errors ``|y - target|``, their local orders, the extrapolation through all sizes and the
    three-point extrapolations through consecutive sizes starting at ``first_window`` or later
    (``None``: no windows)."""
    y, S = np.asarray(y, dtype=float), np.asarray(sizes, dtype=float)
    err = np.abs(y - target)
    windows = [] if first_window is None else [extrapolated(y[i:i + 3], S[i:i + 3])
                                               for i in range(len(S) - 2) if S[i] >= first_window]
    return {"errors": err, "local": local_orders(err, S), "f_inf": extrapolated(y, S), "windows": windows}


# ----------------------------------------------------------------------------- normal phase
def gaussian_squeezing(V: np.ndarray) -> float:
    r"""Squeezing parameter (S1) of the normal state to leading order in 1/N: with the mean spin
    :math:`-S\mathbf e_z` and :math:`S_{x,y} = \sqrt{S/2}\,(x, p)` of the Holstein-Primakoff boson
    (vacuum :math:`V = 1`), :math:`\xi^2 = 2S\min\Delta S_\perp^2/S^2` is the smallest eigenvalue of
    the spin block :math:`V_{1:2,1:2}` of the Gaussian covariance."""
    return float(np.linalg.eigvalsh(np.asarray(V, dtype=float)[:2, :2])[0])


def normal_phase_targets(point: Mapping) -> dict:
    r"""The :math:`N\to\infty` values of the normal-phase fluctuation numbers at ``point`` from the
    engine's Gaussian fluctuations (:func:`analytic.fluctuations.gaussian` around the normal
    state, parameters substituted exactly): spin excitations :math:`(V_{xx} + V_{pp} - 2)/4` of the
    spin boson, photons likewise for the cavity, :math:`C_{af}/\sqrt S \to -(V_{x_s x_c} + iV_{x_s p_c})/(2\sqrt2)`
    (the means vanish) and :math:`\xi^2` (:func:`gaussian_squeezing`)."""
    exact = {k: sp.Rational(float(v)) for k, v in point.items()}
    G = an.fluctuations.gaussian(MODEL, acav.uniform_point(-1), parameters=exact)
    require(G.quadratures[0].direction == (-1, 0, 0), "the spin quadrature x is not along -S_x at the south pole")
    require(all(float(c) > 0 for c in G.conditions), f"the normal state is not stable at {dict(point)}")
    V = np.array(G.covariance.evalf(), dtype=float)
    caf = -(V[0, 2] + 1j * V[0, 3]) / (2 * np.sqrt(2))
    return {"n_spin": (V[0, 0] + V[1, 1] - 2) / 4, "n_cavity": (V[2, 2] + V[3, 3] - 2) / 4,
            "re_caf": float(caf.real), "im_caf": float(caf.imag), "xi2": gaussian_squeezing(V)}


def normal_phase_sequence(point: Mapping, sizes: Sequence[int], truncation: int) -> dict:
    """Exact steady states at ``point`` for spin lengths ``sizes`` (cavity truncated at
    ``truncation`` levels; the solver refuses a populated top level): the quantities of
    :func:`normal_phase_targets` as arrays over ``sizes``."""
    out = {k: [] for k in NORMAL_QUANTITIES}
    for S in sizes:
        st = steady_state(MODEL, dict(point), S=int(S), truncation=truncation)
        c = nc.atom_field_covariance(st) / np.sqrt(S)
        for k, x in zip(out, (S + np.real(st.expect("Sz")), np.real(st.expect("ad*a")), c.real, c.imag,
                              st.squeezing())):
            out[k].append(float(x))
    return {k: np.array(v) for k, v in out.items()}


# ----------------------------------------------------------------------------- superradiant phase
def superradiant_point(values: Mapping) -> dict:
    r"""The stable closed-form superradiant point at ``values`` (:math:`s_x > 0`) as the
    :math:`N\to\infty` values of :data:`SR_QUANTITIES`; the exact steady state is the
    :math:`\mathbb Z_2`-symmetric mixture of it and its mirror, so :math:`\langle S_x^2\rangle/S^2 \to s_x^2`."""
    sr = [p for p in nc.open_dicke_fixed_points(values) if p["label"] == "superradiant"]
    require(len(sr) == 1 and sr[0]["stability"] == "stable" and nc.open_dicke_phase(values) == "superradiant",
            f"not a single stable superradiant pair at {dict(values)}")
    x = sr[0]["point"]
    return {"sz": float(x["sz"]), "n_over_N": float(x["ar"] ** 2 + x["ai"] ** 2), "sx2": float(x["sx"] ** 2)}


def superradiant_sequence(values: Mapping, sizes: Sequence[int], extra_levels: int = 8) -> dict:
    """Exact steady states for spin lengths ``sizes`` (cavity truncated at ``extra_levels + S``
    levels): :data:`SR_QUANTITIES` as arrays; checks that the state is the symmetric mixture
    (:math:`\\langle S_x\\rangle = \\langle a\\rangle = 0`)."""
    out = {k: [] for k in SR_QUANTITIES}
    for S in sizes:
        st = steady_state(MODEL, dict(values), S=int(S), truncation=extra_levels + int(S))
        require(abs(st.expect("Sx")) < 1e-9 and abs(st.expect("a")) < 1e-9,
                f"S = {S}: the steady state is not the Z2-symmetric mixture")
        for k, y in zip(out, (np.real(st.expect("Sz")) / S, np.real(st.expect("ad*a")) / (2 * S),
                              np.real(st.expect("Sx*Sx")) / S ** 2)):
            out[k].append(float(y))
    return {k: np.array(v) for k, v in out.items()}


# ----------------------------------------------------------------------------- mean field
def critical_coupling_numeric(base: Mapping, bracket: tuple = (0.05, 5.0)) -> float:
    r"""The balanced coupling :math:`g = g_+ = g_-` where the normal state loses stability, by
    bisection of the largest real part of its (tangent) mean-field Jacobian's eigenvalues
    (:func:`numeric.semiclassical.cavity.open_dicke_fixed_points`); checks that a real eigenvalue crosses."""
    def top(g):
        normal = next(p for p in nc.open_dicke_fixed_points({**base, "g_minus": g, "g_plus": g})
                      if p["label"] == "normal")
        ev = np.array(normal["eigenvalues"], complex)
        return ev[np.argmax(ev.real)]

    lo, hi = bracket
    require(top(lo).real < 0 < top(hi).real, f"no loss of stability of the normal state in {bracket}")
    g = brentq(lambda x: top(x).real, lo, hi, xtol=1e-14, rtol=1e-14)
    require(abs(top(g * (1 + 1e-6)).imag) < 1e-9, "the normal state does not lose stability through a real eigenvalue")
    return float(g)


def printed_critical_coupling(omega_a: float, omega_c: float, kappa: float) -> float:
    r"""The threshold as printed below eq. (5): :math:`2\bar g_c = \sqrt{\omega_a(\omega_c^2 + \kappa^2)}/\omega_c`."""
    return math.sqrt(omega_a * (omega_c ** 2 + kappa ** 2)) / omega_c


def _critical(base: Mapping) -> float:
    """The engine's balanced critical coupling g_c (registered closed form) at ``base``."""
    gc = an.formulas.get("open_dicke.meanfield.critical_coupling")
    return float(gc(base["omega_a"], base["omega_c"], base["kappa"]))


def _edges(base: Mapping):
    rho = float(an.formulas.get("open_dicke.meanfield.saddle_node_ratio")(base["omega_c"], base["kappa"]))
    edge = an.formulas.get("open_dicke.meanfield.normal_edge", domain="nan")  # NaN below g_c (no edge)
    return rho, (lambda gm: float(edge(base["omega_a"], base["omega_c"], base["kappa"], gm)))


def cut_position(point: Mapping) -> tuple:
    r"""Position :math:`s` of ``point`` on the cut through the bistable region at fixed
    :math:`\bar g = (g_- + g_+)/2` (:math:`\Delta g` varied): :math:`s = 0` on the normal edge
    (boundary to the superradiant phase), :math:`s = 1` on the saddle-node ray :math:`g_+ = \rho g_-`
    (boundary to the normal phase), linear in between.  Returns ``(s, (g_-, g_+) at s = 0, at s = 1)``."""
    rho, edge = _edges(point)
    gbar = (point["g_minus"] + point["g_plus"]) / 2
    on = lambda d: (gbar + d, gbar - d)   # noqa: E731 - the cut, parametrised by Delta g
    d0 = (point["g_minus"] - point["g_plus"]) / 2
    d_sr = brentq(lambda d: on(d)[1] - edge(on(d)[0]), d0 - 0.3, d0)
    d_n = brentq(lambda d: on(d)[1] - rho * on(d)[0], d0, d0 + 0.3)
    return float((d0 - d_sr) / (d_n - d_sr)), on(d_sr), on(d_n)


def attractor(values: Mapping, start: Mapping, t_end: float = 400.0, tol: float = 1e-4) -> str:
    """Label of the stable fixed point (either superradiant mirror) that the mean-field flow from
    ``start`` reaches by ``t_end``; ``''`` if none within ``tol``."""
    names = ("sx", "sy", "sz", "ar", "ai")
    tr = meanfield_trajectory(MODEL, values, dict(start), np.linspace(0, t_end, 5), thermodynamic_limit=True)
    end = np.array([tr.final[k] for k in names])
    mirror = np.array([-1, -1, 1, -1, -1])
    for p in nc.open_dicke_fixed_points(values):
        x = np.array([p["point"][k] for k in names])
        if p["stability"] == "stable" and min(np.abs(end - x).max(), np.abs(end - mirror * x).max()) < tol:
            return p["label"]
    return ""


# ----------------------------------------------------------------------------- Figs. 1, 2 dynamics
def transient_correlations(N: int, truncation: int, t_max: float = 15.0, steps: int = 31, t1: float = 7.5,
                           g_over_gc: float = 1.4, truncation_tol: float = 1e-4) -> dict:
    r"""Figs. 1-2 setting (balanced, :math:`g = 1.4g_c`, :math:`\omega_c = 2.5, \kappa = 0.5`,
    initial :math:`|\theta=\pi/4,\phi=\pi\rangle\otimes|0\rangle`), exact master-equation evolution
    (:func:`numeric.dynamics.evolve.evolve`) of N atoms: :math:`\langle S_{x,z}\rangle/S`,
    :math:`C_{af}/N^{3/2}` (:func:`numeric.semiclassical.cavity.atom_field_covariance`), the negativity between
    two halves (spins N/4 each, :func:`analytic.models.open_dicke_halves`,
    :func:`numeric.semiclassical.cavity.negativity`), the mean-field trajectory, and the spin Q function at
    ``t1``.  Refuses a truncation whose top Fock level holds more than ``truncation_tol``."""
    S = N / 2
    gc = _critical(FIG1)
    v = {**FIG1, "g_minus": g_over_gc * gc, "g_plus": g_over_gc * gc}
    times = np.linspace(0.0, t_max, steps)
    i1 = int(np.argmin(np.abs(times - t1)))
    require(abs(times[i1] - t1) < 1e-12, f"t1 = {t1} is not an output time")
    vac = np.zeros(truncation)
    vac[0] = 1.0

    def checked(states):
        for st in states:
            top = nc.photon_distribution(st)[-1]
            require(top <= truncation_tol, f"truncation {truncation}: top Fock level holds {top:.1e}")
        return states

    ev = evolve(MODEL, v, np.kron(spin_coherent_state(S, np.pi / 4, np.pi), vac), times, S=S,
                truncation=truncation, e_ops=["Sx", "Sz", "Sx*a", "a"], store_states=True, progress=False)
    states = checked(ev.states)
    caf = (ev.expect["Sx*a"] - ev.expect["Sx"] * ev.expect["a"]) / N ** 1.5
    half = spin_coherent_state(N / 4, np.pi / 4, np.pi)
    evh = evolve(an.models.open_dicke_halves(), v, np.kron(np.kron(half, half), vac), times, S=S,
                 truncation=truncation, store_states=True, progress=False)
    neg = np.array([nc.negativity(st, "a", "b") for st in checked(evh.states)])
    mf = meanfield_trajectory(MODEL, v, {"sx": -np.sin(np.pi / 4), "sy": 0.0, "sz": np.cos(np.pi / 4), "ar": 0.0,
                                         "ai": 0.0}, times, thermodynamic_limit=True)
    T, P, Q = husimi_grid(states[i1], 48, 96)
    return {"times": times, "sx": np.real(ev.expect["Sx"]) / S, "sz": np.real(ev.expect["Sz"]) / S, "caf": caf,
            "negativity": neg, "mf": {k: mf[k] for k in ("sx", "sz")}, "Q": (T, P, Q), "i1": i1, "values": v}


# ----------------------------------------------------------------------------- rate equations (S2)-(S6)
def rate_equation_solutions(gamma_ns: float, gamma_sn: float, gamma_ss: float, times: Sequence[float],
                            pn0: float = 0.3) -> dict:
    r"""The three-state process (S2) (states n, s+, s-) solved exactly (matrix exponential):
    :math:`p_s(t)` from the normal state, :math:`p_n(t)` from the symmetric superradiant mixture
    and from :math:`p_n(0)` = ``pn0``; its stationary :math:`p_n, p_s` (null vector); and the right-hand side
    of the printed (S3) summed, :math:`\frac{d}{dt}(p_n + p_s)`, at :math:`(p_n, p_s) = (p_{n0}, 1 - p_{n0})`."""
    t = np.asarray(times, dtype=float)
    K = seed003_rate_matrix(gamma_ns, gamma_sn, gamma_ss)
    from_n = rate_solution(K, [1.0, 0.0, 0.0], t)
    from_s = rate_solution(K, [0.0, 0.5, 0.5], t)
    from_p = rate_solution(K, [pn0, (1 - pn0) / 2, (1 - pn0) / 2], t)
    null = sla.null_space(K)[:, 0]
    null = null / null.sum()
    pn, ps = pn0, 1 - pn0
    printed_s3 = (-2 * gamma_ns * ps + gamma_sn * ps) + (-gamma_sn * ps + 2 * gamma_ns * pn)
    return {"times": t, "ps_from_n": from_n[:, 1] + from_n[:, 2], "pn_from_s": from_s[:, 0], "pn_from_p": from_p[:, 0],
            "pn_steady": float(null[0]), "ps_steady": float(null[1] + null[2]), "s3_printed_rate": float(printed_s3),
            "K": K}


# ----------------------------------------------------------------------------- specs
_MF = "text above eq. (5), ref. [33]"
_NORMAL = "unbalanced normal phase (g_- = 0.8, g_+ = 0.2, omega_a = omega_c = kappa = 1), N = 4..20"
_SR = "balanced superradiant phase (g = 2 g_c, omega_a = 1, omega_c = 5, kappa = 1), N = 4..20"


def _normal_specs(q: str, name: str) -> list:
    """The criteria of the normal-phase convergence of quantity ``q`` (reference: its Gaussian limit)."""
    return [
        Spec(f"normal.{q}.errors", f"{name}: |exact - Gaussian limit|, {_NORMAL}", _MF, "mean field exact as N -> inf",
             Monotone(-1)),
        Spec(f"normal.{q}.local_orders", f"{name}: local orders of the error (rising towards 1)", _MF, "-",
             Monotone(+1)),
        Spec(f"normal.{q}.local_order_last", f"{name}: local order of the error between S = 8 and 10", _MF, "-",
             Within(0.8, 1.0)),
        Spec(f"normal.{q}.extrapolated", f"{name}: f_inf of f_inf + c1/S + c2/S^2 fitted over S = 2..10", _MF,
             "normal state + Gaussian fluctuations", Rel(0.01)),
    ]


def _sr_specs(q: str, name: str) -> list:
    """The criteria of the superradiant convergence of quantity ``q`` (reference: the mean-field value)."""
    return [
        Spec(f"sr.{q}.errors", f"{name}: |exact - mean field|, {_SR}", _MF, "mean field exact as N -> inf",
             Monotone(-1)),
        Spec(f"sr.{q}.local_orders_last4", f"{name}: the last four local orders of the error (falling towards 1)",
             _MF, "-", Monotone(-1)),
        Spec(f"sr.{q}.local_order_last", f"{name}: local order of the error between S = 9 and 10", _MF, "-",
             Within(1.0, 1.4)),
        Spec(f"sr.{q}.extrapolated", f"{name}: f_inf of f_inf + c1/S + c2/S^2 through three consecutive S, "
             "windows starting at S = 5, 6, 7, 8", _MF, "closed-form SR point", Rel(0.015)),
        Spec(f"sr.{q}.extrapolated_last", f"{name}: f_inf through S = 8, 9, 10", _MF, "closed-form SR point",
             Rel(0.005)),
    ]


SPECS = [
    *[s for q, name in NORMAL_QUANTITIES.items() for s in _normal_specs(q, name)],
    *[s for q, name in SR_QUANTITIES.items() for s in _sr_specs(q, name)],
    Spec("eq5.g_c.fig1", "critical 2 g_bar of the balanced model at omega_a = 1, omega_c = 2.5, kappa = 0.5 "
         "(Fig. 1): normal state's loss of stability, numerically", "below eq. (5)",
         "sqrt(wa(wc^2+k^2))/wc = 1.0198", Rel(1e-6), expected=False,
         finding="The normal state loses stability at 2 g_bar = 1.6125 = sqrt(omega_a (omega_c^2 + kappa^2)/omega_c) "
                 "(bisection of the mean-field Jacobian's eigenvalues; = the engine's closed form to 1e-9, "
                 "eq5.g_c.closed_form), not at the printed sqrt(omega_a (omega_c^2 + kappa^2))/omega_c = 1.0198, "
                 "which has the dimension of sqrt(frequency).  The two agree only for omega_c = 1 (eq5.g_c.fig3)."),
    Spec("eq5.g_c.closed_form", "the same numerical 2 g_bar against the engine's closed form 2 g_c "
         "(open_dicke.meanfield.critical_coupling) at Fig. 1 parameters", "below eq. (5) (derived)",
         "sqrt(wa(wc^2+k^2)/wc)", Rel(1e-9)),
    Spec("eq5.g_c.fig3", "critical 2 g_bar at omega_a = omega_c = kappa = 1 (Fig. 3), numerically, against the "
         "printed formula", "below eq. (5)", "sqrt(2)", Rel(1e-6)),
    Spec("figS4.phase", "mean-field phase at g_- = 1.8, g_+ = 0.782, omega_a = omega_c = kappa = 1 (normal and SR "
         "both stable; the flow from either stays)", "Fig. S4, Fig. 3", "bistable", Equal(), "bistable"),
    Spec("figS4.cut_s", "position s of the Fig. S4 point on the cut of Fig. 3(b) (s = 0: edge to SR, s = 1: edge "
         "to normal), cut read as g_bar fixed, Delta g varied (the text does not state the cut)",
         "Fig. S4 caption", "0.69", Abs(0.01), PRINTED_S),
    Spec("squeezing.bistable_normal_state", "squeezing parameter xi^2 (S1) of the normal state at the Fig. S4 "
         "point as N -> inf (Gaussian fluctuations; normal.xi2.* checks them against exact N = 4..20)",
         "text before Conclusions", "xi^2 < 1 even for large N", Within(None, 1.0)),
    Spec("rates.S4", "p_s(t) from the normal state, (S2) solved exactly, against the printed solution (S4); "
         "illustrative rates", "eq. (S4)", "(S4)", Abs(1e-12)),
    Spec("rates.S5", "p_n(t) from the superradiant mixture, (S2) solved exactly, against (S5)", "eq. (S5)", "(S5)",
         Abs(1e-12)),
    Spec("rates.eq6", "p_n(t) from p_n(0) = 0.3, (S2) solved exactly, against eq. (6)", "eq. (6)", "(6)", Abs(1e-12)),
    Spec("rates.eq6_steady_pn", "stationary p_n of (S2) against 1/(1 + 2 g_ns/g_sn)", "below eq. (6)",
         "1/(1+2g_ns/g_sn)", Rel(1e-12)),
    Spec("rates.eq6_steady_ps", "stationary p_s of (S2) against 1/(1 + 0.5 g_sn/g_ns)", "below eq. (6)",
         "1/(1+0.5g_sn/g_ns)", Rel(1e-12)),
    Spec("rates.S3_conserves_probability", "d(p_n + p_s)/dt of the printed (S3) at p_n = 0.3, p_s = 0.7 "
         "(a rate equation conserves probability: 0)", "eq. (S3)", "(S3)", Abs(1e-12), 0.0, expected=False,
         finding="The printed (S3), dp_s/dt = -2 g_ns p_s + g_sn p_s, dp_n/dt = -g_sn p_s + 2 g_ns p_n, gives "
                 "d(p_n + p_s)/dt = 2 g_ns (p_n - p_s) != 0 and, started in the normal state, never populates p_s.  "
                 "Summing the rows of (S2) gives dp_s/dt = 2 g_ns p_n - g_sn p_s = -dp_n/dt, whose solutions are the "
                 "printed (S4), (S5) and (6) (rates.S4, rates.S5, rates.eq6 agree to 1e-12)."),
    Spec("fig2.negativity_peak", "largest negativity between two halves of N = 8 atoms (spins 2 each) during the "
         "Figs. 1-2 evolution (paper: N = 100..1000)", "Fig. 2 inset", "entangled in the transient",
         Within(0.1, None), None),
    Spec("fig2.negativity_late", "negativity at omega_a t = 15 over its peak, N = 8", "Fig. 2 inset",
         "only in the transient", Within(None, 0.05), None),
    Spec("fig2.negativity_peak_time", "omega_a t of the negativity peak, N = 8", "Fig. 2 inset", "early transient",
         Within(None, 5.0), None),
    Spec("fig2.caf_max", "largest |C_af|/N^(3/2) during the evolution, N = 8 (mean field: 0)", "Fig. 2",
         "C_af != 0", Within(0.05, None), None),
    Spec("fig1.q_peak_towards_mean_spin", "cosine between the spin Q function's maximum at omega_a t_1 = 7.5 and "
         "the exact mean spin, N = 8", "Fig. 1 (a2)", "Q spread around <S>", Within(0.5, None), None),
]

# ----------------------------------------------------------------------------- figures
def _convergence_figure(title, Ss, data, targets, names, fit_from=0):
    """(a) relative error vs N (log-log) with a 1/N guide; (b) value/limit vs 1/N with the
    extrapolation f_inf + c1/S + c2/S^2 (dashed) and the limit at 1/N = 0."""
    N = 2 * np.asarray(Ss, dtype=float)
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    for i, (k, name) in enumerate(names.items()):
        y, t = np.asarray(data[k]), targets[k]
        style = {"marker": "osD^v"[i % 5], "ms": 7 - i, "mfc": "none" if i % 2 else None}
        line, = a.loglog(N, np.abs(y / t - 1), "-" if i % 2 == 0 else "--", label=name, **style)
        b.plot(1 / N, y / t, ls="none", color=line.get_color(), label=name, **style)
        S_fit = np.asarray(Ss, dtype=float)[fit_from:]
        X = np.vstack([np.ones(S_fit.size), 1 / S_fit, 1 / S_fit ** 2]).T
        c = np.linalg.lstsq(X, y[fit_from:], rcond=None)[0]
        s = np.linspace(1e-3, 1 / S_fit.min(), 100)
        b.plot(s / 2, (c[0] + c[1] * s + c[2] * s ** 2) / t, "--", color=line.get_color(), lw=1)
    e = np.array([np.abs(np.asarray(data[k]) / targets[k] - 1) for k in names])
    a.loglog(N, e[:, -1].max() * N[-1] / N, "k:", label=r"$\propto 1/N$")
    a.set_xticks(N, [f"{n:g}" for n in N], minor=False)
    a.xaxis.set_minor_formatter(plt.NullFormatter())
    a.set_xlabel("N = 2S atoms")
    a.set_ylabel(r"$|$exact / limit $- 1|$")
    a.set_title(title, fontsize=9)
    a.legend(fontsize=7)
    b.plot([0], [1], "k*", ms=10, label=r"limit $N\to\infty$ (engine)")
    b.plot([], [], "k--", lw=1, label=r"fit $f_\infty + c_1/S + c_2/S^2$")
    b.set_xlabel("1/N")
    b.set_ylabel("exact / limit")
    b.set_xlim(left=0)
    b.set_title("extrapolation to 1/N = 0", fontsize=9)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _phase_figure(s_value, ends, gc):
    rho, edge = _edges(FIGS4)
    fig, ax = plt.subplots(figsize=(6.2, 4.6))
    gmax = 2.6
    g = np.linspace(0.0, 2.5, 400)
    with np.errstate(invalid="ignore"):
        ge = np.array([edge(x) for x in g])
    ok = np.isfinite(ge) & (ge < g)
    ax.plot(g, rho * g, "k--", lw=1, label=r"saddle node $g_+ = \rho g_-$ (edge to normal)")
    ax.plot(g[ok], ge[ok], "b-", lw=1.2, label="normal edge (edge to superradiant)")
    ax.plot(g, g, color="0.6", lw=0.8, label=r"balanced $g_+ = g_-$")
    ax.plot([gc], [gc], "r+", ms=12, mew=2, label=r"$g_c$ (balanced, numerically)")
    ax.plot([ends[0][0], ends[1][0]], [ends[0][1], ends[1][1]], "g-", lw=2, alpha=0.6,
            label=r"cut at fixed $\bar g$: $s = 0 \to 1$")
    ax.plot([S4_POINT["g_minus"]], [S4_POINT["g_plus"]], "o", mfc="none", mec="m", ms=9, mew=1.5,
            label=f"Fig. S4 point, s = {s_value:.3f} (printed {PRINTED_S})")
    ax.plot([UNBALANCED_NORMAL["g_minus"]], [UNBALANCED_NORMAL["g_plus"]], "s", color="orange",
            label="exact-vs-Gaussian point (normal phase)")
    ax.set_xlim(0, gmax)
    ax.set_ylim(0, gmax)
    ax.set_xlabel(r"$g_-$")
    ax.set_ylabel(r"$g_+$")
    ax.set_title(r"mean-field boundaries, $\omega_a = \omega_c = \kappa = 1$ (curves drawn for $g_- \leq 2.5$)",
                 fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def _dynamics_figure(d, N):
    t = d["times"]
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
    a.plot(t, d["negativity"], "r-", label=f"negativity between two halves ({N // 2} + {N // 2} atoms)")
    a.axvline(t[d["i1"]], color="0.6", lw=0.8, label=r"$t_1$ of the Q function")
    a.set_xlabel(r"$\omega_a t$")
    a.set_ylabel("negativity")
    a.set_title(f"Fig. 2 inset setting, N = {N} atoms", fontsize=9)
    a.legend(fontsize=7)
    b.plot(t, d["caf"].real, "k-", label=r"Re $C_{af}/N^{3/2}$")
    b.plot(t, d["caf"].imag, "k--", label=r"Im $C_{af}/N^{3/2}$")
    b.plot(t, d["sx"], "b-", label=r"$\langle S_x\rangle/S$ exact")
    b.plot(t, d["mf"]["sx"], "b:", label=r"$s_x$ mean field")
    b.set_xlabel(r"$\omega_a t$")
    b.set_title(r"atom-field covariance $C_{af} = \langle S_x a\rangle - \langle S_x\rangle\langle a\rangle$",
                fontsize=9)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _rates_figure(r, printed):
    t = r["times"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(t, r["ps_from_n"], "b-", lw=3, alpha=0.4, label=r"$p_s$ from normal, (S2) exactly")
    ax.plot(t, printed["S4"], "b:", label="(S4) as printed")
    ax.plot(t, r["pn_from_s"], "g-", lw=3, alpha=0.4, label=r"$p_n$ from superradiant, (S2) exactly")
    ax.plot(t, printed["S5"], "g:", label="(S5) as printed")
    ymax = 1.2
    total = printed["S3_total"]
    inside = total <= ymax
    ax.plot(t[inside], total[inside], "r--", label=r"$p_n + p_s$ from (S3) as printed (normal start)")
    if not inside.all():
        k = int(np.argmax(~inside))
        ax.annotate(f"(S3) leaves the axes here (p_n + p_s = {total[-1]:.1f} at t = {t[-1]:g})", xy=(t[k - 1], ymax),
                    xytext=(t[k - 1] + 12, 1.05), arrowprops={"arrowstyle": "->", "color": "r"}, color="r", fontsize=7)
    ax.set_ylim(0, ymax)
    ax.set_xlabel(r"$t$ (rates $\gamma_{ns} = %g$, $\gamma_{sn} = %g$, $\gamma_{ss} = %g$)" % tuple(RATES.values()))
    ax.set_ylabel("occupation")
    ax.set_title("rate equations of the Supplement", fontsize=9)
    ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- tasks
def _derived(prefix, conv, target, last4=False, windows=False):
    local = conv["local"]
    out = {f"{prefix}.errors": (conv["errors"].tolist(), target),
           f"{prefix}.local_order_last": (float(local[-1]), target)}
    if last4:
        out[f"{prefix}.local_orders_last4"] = (local[-4:].tolist(), target)
    else:
        out[f"{prefix}.local_orders"] = (local.tolist(), target)
    if windows:
        w = conv["windows"]
        out[f"{prefix}.extrapolated"] = (w, [target] * len(w))
        out[f"{prefix}.extrapolated_last"] = (w[-1], target)
    else:
        out[f"{prefix}.extrapolated"] = (conv["f_inf"], target)
    return out


def _normal_phase(size: str) -> dict:
    Ss = [2, 3, 4, 5, 6, 8, 10] if size == "paper" else [2, 3, 4]
    truncation = 7
    targets = normal_phase_targets(UNBALANCED_NORMAL)
    data = normal_phase_sequence(UNBALANCED_NORMAL, Ss, truncation)
    out = {"_params": {**UNBALANCED_NORMAL, "S": Ss, "truncation": truncation,
                       "limits (Gaussian)": targets, "exact": {k: v.tolist() for k, v in data.items()}}}
    for k in NORMAL_QUANTITIES:
        out.update(_derived(f"normal.{k}", convergence(data[k], targets[k], Ss), targets[k]))
    out["_figures"] = {"normal_phase_convergence": _convergence_figure(
        r"unbalanced normal phase ($g_- = 0.8$, $g_+ = 0.2$): exact $\to$ normal state + Gaussian", Ss, data, targets,
        NORMAL_QUANTITIES)}
    return out


def _superradiant(size: str) -> dict:
    Ss = list(range(2, 11)) if size == "paper" else [2, 3, 4, 5]
    gc = _critical(SR_BASE)
    v = {**SR_BASE, "g_minus": 2.0 * gc, "g_plus": 2.0 * gc}
    targets = superradiant_point(v)
    require(abs(targets["sz"] + (gc / v["g_minus"]) ** 2) < 1e-12,
            "the SR point is not on the balanced branch s_z = -(g_c/g)^2")
    data = superradiant_sequence(v, Ss)
    out = {"_params": {**v, "g/g_c": 2.0, "S": Ss, "truncation": "8 + S", "limits (mean field)": targets,
                       "exact": {k: np.round(y, 8).tolist() for k, y in data.items()}}}
    first = 5 if size == "paper" else 2
    for k in SR_QUANTITIES:
        conv = convergence(data[k], targets[k], Ss, first_window=first)
        out.update(_derived(f"sr.{k}", conv, targets[k], last4=True, windows=True))
    out["_figures"] = {"superradiant_convergence": _convergence_figure(
        r"balanced superradiant phase ($g = 2g_c$, $\omega_c = 5$): exact $\to$ mean field", Ss, data, targets,
        SR_QUANTITIES, fit_from=len(Ss) - 3)}
    return out


def _mean_field(size: str) -> dict:
    g1 = 2 * critical_coupling_numeric(FIG1)
    g3 = 2 * critical_coupling_numeric(FIGS4)
    closed = 2 * _critical(FIG1)
    phase = nc.open_dicke_phase(S4_POINT)
    sr = next(p["point"] for p in nc.open_dicke_fixed_points(S4_POINT) if p["label"] == "superradiant"
              and p["stability"] == "stable")
    near_sr = {k: 0.98 * x for k, x in sr.items()}
    near_sr["sz"] = -math.sqrt(max(0.0, 1 - near_sr["sx"] ** 2 - near_sr["sy"] ** 2))
    near_normal = {"sx": 0.05, "sy": 0.0, "sz": -math.sqrt(1 - 0.05 ** 2), "ar": 0.0, "ai": 0.0}
    require(attractor(S4_POINT, near_normal) == "normal" and attractor(S4_POINT, near_sr) == "superradiant",
            "the mean-field flow at the Fig. S4 point does not confirm bistability")
    s, end_sr, end_n = cut_position(S4_POINT)
    return {"_params": {"Fig. 1": FIG1, "Fig. 3": FIGS4, "Fig. S4 point": S4_POINT, "cut": "g_bar fixed",
                        "cut ends (g_-, g_+) s=0, s=1": [list(end_sr), list(end_n)]},
            "eq5.g_c.fig1": (g1, printed_critical_coupling(FIG1["omega_a"], FIG1["omega_c"], FIG1["kappa"])),
            "eq5.g_c.closed_form": (g1, closed),
            "eq5.g_c.fig3": (g3, printed_critical_coupling(FIGS4["omega_a"], FIGS4["omega_c"], FIGS4["kappa"])),
            "figS4.phase": phase, "figS4.cut_s": s,
            "_figures": {"phase_points": _phase_figure(s, (end_sr, end_n), g3 / 2)}}


def _squeezing(size: str) -> dict:
    t = normal_phase_targets(S4_POINT)
    return {"_params": {**S4_POINT, "Gaussian limits of the normal state": t},
            "squeezing.bistable_normal_state": (t["xi2"], None)}


def _rates(size: str) -> dict:
    gns, gsn, gss = RATES.values()
    t = np.linspace(0, 100, 11 if size == "paper" else 5)
    r = rate_equation_solutions(gns, gsn, gss, t)
    k = 2 * gns + gsn
    pn0 = 0.3
    printed = {"S4": 2 * gns / k * (1 - np.exp(-k * t)), "S5": gsn / k * (1 - np.exp(-k * t)),
               "eq6": gsn / k + (2 * gns * pn0 - gsn * (1 - pn0)) / k * np.exp(-k * t)}
    s3 = np.array([[-2 * gns + gsn, 0.0], [-gsn, 2 * gns]])   # (S3) as printed, order (p_s, p_n)
    tt = np.linspace(0, 100, 101)
    printed["S3_total"] = np.array([sla.expm(s3 * x) @ [0.0, 1.0] for x in tt]).sum(axis=1)
    fine = rate_equation_solutions(gns, gsn, gss, tt)
    fig_printed = {"S4": 2 * gns / k * (1 - np.exp(-k * tt)), "S5": gsn / k * (1 - np.exp(-k * tt)),
                   "S3_total": printed["S3_total"]}
    return {"_params": {**RATES, "times": t.tolist(), "p_n(0) for eq. (6)": pn0},
            "rates.S4": (r["ps_from_n"].tolist(), printed["S4"].tolist()),
            "rates.S5": (r["pn_from_s"].tolist(), printed["S5"].tolist()),
            "rates.eq6": (r["pn_from_p"].tolist(), printed["eq6"].tolist()),
            "rates.eq6_steady_pn": (r["pn_steady"], 1 / (1 + 2 * gns / gsn)),
            "rates.eq6_steady_ps": (r["ps_steady"], 1 / (1 + 0.5 * gsn / gns)),
            "rates.S3_conserves_probability": r["s3_printed_rate"],
            "_figures": {"rate_equations": _rates_figure(fine, fig_printed)}}


def _dynamics(size: str) -> dict:
    N, truncation = (8, 16) if size == "paper" else (4, 10)
    d = transient_correlations(N, truncation)
    t, neg, caf = d["times"], d["negativity"], d["caf"]
    require(abs(caf[0]) < 1e-12 and neg[0] < 1e-12, "the initial product state carries correlations")
    require(abs(d["sz"][0] - d["mf"]["sz"][0]) < 1e-12 and abs(d["sx"][0] - d["mf"]["sx"][0]) < 1e-12,
            "the exact evolution does not start on the mean-field trajectory")
    T, P, Q = d["Q"]
    i, j = np.unravel_index(np.argmax(Q), Q.shape)
    nmax = np.array([np.sin(T[i, j]) * np.cos(P[i, j]), np.sin(T[i, j]) * np.sin(P[i, j]), np.cos(T[i, j])])
    mean = np.array([d["sx"][d["i1"]], 0.0, d["sz"][d["i1"]]])
    return {"_params": {**d["values"], "N": N, "truncation": truncation, "t_max": float(t[-1]), "steps": len(t),
                        "initial": "|theta = pi/4, phi = pi> x |0>", "halves": f"two spins {N / 4:g}"},
            "fig2.negativity_peak": (float(neg.max()), None),
            "fig2.negativity_late": (float(neg[-1] / neg.max()), None),
            "fig2.negativity_peak_time": (float(t[np.argmax(neg)]), None),
            "fig2.caf_max": (float(np.max(np.abs(caf))), None),
            "fig1.q_peak_towards_mean_spin": (float(nmax @ mean / np.linalg.norm(mean)), None),
            "_figures": {"fig2_transient_correlations": _dynamics_figure(d, N)}}


TASKS = [
    Task("normal_phase", tuple(s.key for s in SPECS if s.key.startswith("normal.")), _normal_phase,
         "unbalanced normal phase: exact steady states N = 4..20 against the Gaussian fluctuations"),
    Task("superradiant_phase", tuple(s.key for s in SPECS if s.key.startswith("sr.")), _superradiant,
         "balanced superradiant phase: exact steady states N = 4..20 (71 442 unknowns at N = 20) against mean field"),
    Task("mean_field", ("eq5.g_c.fig1", "eq5.g_c.closed_form", "eq5.g_c.fig3", "figS4.phase", "figS4.cut_s"),
         _mean_field, "critical coupling, the Fig. S4 point and its place on the cut"),
    Task("squeezing", ("squeezing.bistable_normal_state",), _squeezing,
         "Gaussian squeezing of the normal state at the Fig. S4 point"),
    Task("rate_equations", tuple(s.key for s in SPECS if s.key.startswith("rates.")), _rates,
         "(S2) solved exactly against (S4), (S5), (6); (S3) as printed"),
    Task("transient_correlations", tuple(s.key for s in SPECS if s.key.startswith(("fig2.", "fig1."))), _dynamics,
         "Figs. 1-2 evolution at N = 8: negativity of two halves, C_af, Q function"),
]
