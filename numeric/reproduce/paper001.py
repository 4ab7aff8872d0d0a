r"""Paper 001 (Pausch, Damanet, Bastin, Martin; dissipative LMG model of qudits) at the paper's sizes.

Mean field (Fig. 4, Sec. III B): the broken-symmetry branches of ``lmg(d)`` are followed by
continuation (:mod:`numeric.continuation`) from the polarized point (eq. 12), whose pitchfork at
:math:`\gamma_I + \gamma_C = 2|V|` the continuation detects.  The m-independent dissipator's
branch turns at a fold that ends the bistable region (printed 2.05, 2.16, 2.30, 2.46 for
d = 4..7); each fold is confirmed by integrating the flow from the fold state 0.003 below (stays
broken) and above (falls to the polarized state).  The spin-ladder branch gives the effective
exponents :math:`\beta_X, \beta_Z` of a power-law fit over :math:`2 - \gamma_I/|V|\in[10^{-2.5},
10^{-1.2}]` (the printed ones; the window is ours, the paper states none) and the d = 7 small
:math:`\gamma_I` prefactors (least squares over the Fig. 4 inset range [0.01, 0.1]).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp

import analytic as an
from analytic import meanfield as mf

from ..continuation import continue_branch, flow, follow, switch_branch
from .spec import Abs, Spec, Task, require

__all__ = ["NUMBER", "SPECS", "TASKS", "lmg_branches", "branch_observables", "bistable_end_point",
           "effective_exponents", "small_gamma_prefactors"]

NUMBER = "001"

PRINTED_END = {4: 2.05, 5: 2.16, 6: 2.30, 7: 2.46}
PRINTED_BETA = {2: (0.5, 1.0), 3: (0.26, 0.55), 4: (0.18, 0.40), 5: (0.14, 0.33), 6: (0.11, 0.28), 7: (0.10, 0.25)}
PRINTED_PREFACTORS = {"ladder": (0.472, -0.087), "uniform": (0.378, -0.073)}


@lru_cache(maxsize=None)
def lmg_branches(d: int, dissipator: str, gamma_C: float = 0.0):
    """(model, flow, trivial branch, broken branch) of ``lmg(d, dissipator)`` at V = 1, continued
    in gamma_I from the polarized point (eq. 12) at gamma_I = 3 down to 1, then switched at its
    pitchfork onto the broken-symmetry branch (followed down to gamma_I = 1e-3)."""
    m = an.models.lmg(d, dissipator, levels=True)
    eqs = mf.equations(m, factorization="collective", thermodynamic_limit=True)
    fl = flow(m, {"V": 1, "gamma_C": gamma_C}, "gamma_I", eqs=eqs)
    polar = fl.point(mf.state_point(m, sp.diag(1, *[0] * (d - 1))))
    trivial = continue_branch(fl, polar, 3.0, direction=-1, p_min=1.0, progress=False)
    broken = switch_branch(fl, trivial.events[0], p_min=1e-3, p_max=3.0, progress=False)
    return m, fl, trivial, broken


def branch_observables(m, fl):
    """The collective magnetisations X, Z (scaled) as functions of the flow's state vector."""
    XYZ = mf.scaled_spin(m)
    return fl.observable(XYZ["X"]), fl.observable(XYZ["Z"])


def bistable_end_point(d: int) -> float:
    """End point gamma_I/|V| of the bistable region of the m-independent dissipator (the fold of
    its broken branch), after checking that it is the only event, that the polarized point's
    pitchfork is at 2, that the dynamics 0.003 on either side confirms it, and that the stable part
    of the branch beyond gamma_I = 2 ends there."""
    m, fl, trivial, broken = lmg_branches(d, "uniform")
    require([e.kind for e in trivial.events] == ["branch"] and abs(trivial.events[0].parameter - 2) < 1e-8,
             f"d = {d}: the polarized point does not branch at gamma_I = 2|V|")
    folds = broken.events
    require({e.kind for e in folds} == {"fold"} and len(folds) <= 2
             and max(abs(e.parameter - folds[0].parameter) for e in folds) < 1e-8,
             f"d = {d}: expected one fold (and its mirror image), got {[e.kind for e in folds]}")
    end = folds[0].parameter
    fX, fZ = branch_observables(m, fl)
    for dp, broken_attractor in ((-0.003, True), (0.003, False)):
        g = end + dp
        sol = solve_ivp(lambda t, x: fl.f(x, g), (0, 3000), folds[0].x, method="BDF", rtol=1e-9, atol=1e-11,
                        jac=lambda t, x: fl.jac(x, g))
        x = sol.y[:, -1]
        require(sol.success and fl.residual(x, g) < 1e-9, f"d = {d}: the flow at {g} did not settle")
        require((abs(fX(x)) > 0.1) == broken_attractor and (abs(fZ(x) + 1) > 0.1) == broken_attractor,
                 f"d = {d}: the dynamics at gamma_I = {g:.4f} does not confirm the fold at {end:.4f}")
    beyond = broken.p > 2 + 1e-6
    stable_beyond = broken.p[beyond & broken.stable]
    require(stable_beyond.size > 0 and stable_beyond.max() <= end + 1e-9,
             f"d = {d}: the stable part of the branch beyond 2 does not end at the fold")
    require(abs(fX(folds[0].x)) > 0.1 and fZ(folds[0].x) > -0.99, f"d = {d}: the fold is not first-order")
    return float(end)


def _near_critical(d: int, eps) -> tuple:
    """|X| and Z + 1 on the spin-ladder broken branch at gamma_I = 2 - eps."""
    m, fl, _, broken = lmg_branches(d, "ladder")
    fX, fZ = branch_observables(m, fl)
    g = 2 - np.asarray(eps)
    xs = follow(fl, broken.x[np.argmin(np.abs(broken.p - g[0]))], g)
    X = np.abs([fX(x) for x in xs])
    Zp1 = np.array([fZ(x) for x in xs]) + 1
    require(X.min() > 1e-3, f"d = {d}: fell onto the polarized branch")
    return X, Zp1


def effective_exponents(d: int) -> tuple:
    """(beta_X, beta_Z, beta_X^asym, beta_Z^asym): the slopes of a power-law fit of |X| and Z + 1
    against eps = 2 - gamma_I/|V| over [10^-2.5, 10^-1.2] (the printed, effective exponents), and
    the asymptotic exponents as the intercept of the local slope s(eps) = beta + b eps^(1/(d-1))
    fitted over eps in [1e-8, 1e-4] (d >= 3; for d = 2 the fit exponents are exact: 1/2 and 1)."""
    eps = np.logspace(-1.2, -2.5, 14)
    X, Zp1 = _near_critical(d, eps)
    bx, bz = (float(np.polyfit(np.log(eps), np.log(q), 1)[0]) for q in (X, Zp1))
    if d == 2:
        return bx, bz, bx, bz
    tiny = np.logspace(-4, -8, 9)
    X, Zp1 = _near_critical(d, tiny)
    u = tiny[1:-1] ** (1 / (d - 1))
    asym = [float(np.polyfit(u, np.gradient(np.log(q), np.log(tiny))[1:-1], 1)[1]) for q in (X, Zp1)]
    return bx, bz, asym[0], asym[1]


def small_gamma_prefactors(d: int, dissipator: str) -> tuple:
    """(c_X, c_Z, limit of Z/gamma_I): least-squares prefactors of X = c_X sqrt(gamma_I/|V|) and
    Z = c_Z gamma_I/|V| over gamma_I/|V| in [0.01, 0.1] on the stable broken branch (Fig. 4 inset
    range), and Z/gamma_I at gamma_I = 1e-6."""
    m, fl, _, broken = lmg_branches(d, dissipator)
    fX, fZ = branch_observables(m, fl)
    stable = broken.stable & (broken.p < 0.2)
    g = np.logspace(-1, -2, 11)
    xs = follow(fl, broken.x[stable][np.argmin(np.abs(broken.p[stable] - 0.1))], g)
    require(all(fl.eigenvalues(x, p).real.max() < 0 for x, p in zip(xs, g)), "the followed branch is not stable")
    X = np.abs([fX(x) for x in xs])
    Z = np.array([fZ(x) for x in xs])
    cx = float(np.sum(X * np.sqrt(g)) / np.sum(g))
    cz = float(np.sum(Z * g) / np.sum(g ** 2))
    limit = follow(fl, xs[-1], np.logspace(-2, -6, 9))[-1]
    return cx, cz, float(fZ(limit) / 1e-6)


# ----------------------------------------------------------------------------- specs
SPECS = [
    *[Spec(f"fig4.bistable_end.d{d}", f"end of the bistable region gamma_I/|V| (fold), m-independent, d = {d}",
           "Fig. 4 caption", f"{v:.2f}", Abs(0.01), v)
      for d, v in PRINTED_END.items()],
    *[Spec(f"sec3b.beta_{q}.d{d}", f"effective exponent beta_{q.upper()}, spin ladder, d = {d}", "Sec. III B",
           f"{PRINTED_BETA[d][i]:.2f}", Abs(0.01), PRINTED_BETA[d][i])
      for d in PRINTED_BETA for i, q in enumerate("xz")],
    *[Spec(f"sec3b.beta_{q}_asymptotic.d{d}", f"asymptotic exponent beta_{q.upper()} (ours: {form}), d = {d}",
           "Sec. III B (derived)", "-", Abs(2e-3 * (d - 1) * val), val)
      for d in range(3, 8) for q, form, val in (("x", "1/(2(d-1))", 1 / (2 * (d - 1))), ("z", "1/(d-1)", 1 / (d - 1)))],
    *[Spec(f"sec3b.prefactor_{q}.d7.{diss}", f"small-gamma_I prefactor c_{q.upper()}, d = 7, {diss} "
           "(least squares over gamma_I/|V| in [0.01, 0.1])", "Sec. III B", f"{PRINTED_PREFACTORS[diss][i]:.3f}",
           Abs(0.0005), PRINTED_PREFACTORS[diss][i])
      for diss in PRINTED_PREFACTORS for i, q in enumerate("xz")],
    Spec("sec3b.prefactor_z_limit.d7.ladder", "Z/(gamma_I/|V|) as gamma_I -> 0, d = 7, spin ladder (ours: -1/12)",
         "Sec. III B", "-0.087 (fit)", Abs(1e-4), -1 / 12),
]


# ----------------------------------------------------------------------------- tasks
def _fig4_end_points(size: str) -> dict:
    ds = (4, 5, 6, 7) if size == "paper" else (4,)
    return {"_params": {"V": 1, "gamma_C": 0, "dissipator": "uniform (m-independent)", "d": list(ds)},
            **{f"fig4.bistable_end.d{d}": bistable_end_point(d) for d in ds}}


def _exponents(size: str) -> dict:
    ds = tuple(PRINTED_BETA) if size == "paper" else (2, 3)
    out = {"_params": {"V": 1, "gamma_C": 0, "dissipator": "ladder", "fit window eps": [10 ** -2.5, 10 ** -1.2],
                       "asymptotic window eps": [1e-8, 1e-4], "d": list(ds)}}
    for d in ds:
        bx, bz, ax, az = effective_exponents(d)
        out[f"sec3b.beta_x.d{d}"], out[f"sec3b.beta_z.d{d}"] = bx, bz
        if d >= 3:
            out[f"sec3b.beta_x_asymptotic.d{d}"], out[f"sec3b.beta_z_asymptotic.d{d}"] = ax, az
    return out


def _prefactors(size: str) -> dict:
    d = 7 if size == "paper" else 3
    out = {"_params": {"V": 1, "gamma_C": 0, "d": d, "gamma_I/|V| fit range": [0.01, 0.1]}}
    for diss in PRINTED_PREFACTORS:
        cx, cz, limit = small_gamma_prefactors(d, diss)
        if size == "paper":
            out[f"sec3b.prefactor_x.d7.{diss}"], out[f"sec3b.prefactor_z.d7.{diss}"] = cx, cz
            if diss == "ladder":
                out["sec3b.prefactor_z_limit.d7.ladder"] = limit
    return out


TASKS = [
    Task("fig4_end_points", tuple(f"fig4.bistable_end.d{d}" for d in PRINTED_END), _fig4_end_points,
         "continuation of the m-independent broken branch to its fold; dynamics on either side"),
    Task("exponents", tuple(s.key for s in SPECS if s.key.startswith("sec3b.beta")), _exponents,
         "spin-ladder broken branch near gamma_I = 2|V|: effective and asymptotic exponents"),
    Task("prefactors", tuple(s.key for s in SPECS if s.key.startswith("sec3b.prefactor")), _prefactors,
         "d = 7 broken branches at small gamma_I"),
]
