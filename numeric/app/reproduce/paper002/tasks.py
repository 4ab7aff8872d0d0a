r"""Paper 002's computations: the tasks (``TASKS``) that compute the quantities of :mod:`.specs`, and their helpers.

Paper 002 (Huber, Kirton, Rabl; spin dimer and chain with gain and loss; Kerr oscillator) at the paper's sizes.

Exact numerics of the dimer (``gain_loss_dimer``, eq. 2 with h = 0): the steady-state purity
approaches the Holstein-Primakoff (HP) closed forms (A23), (A24) like 1/S; on the PT line in the
AM phase the occupations (A13)/(A14), the negativity (A26) and the purity (A23) at a
non-dyadic point; the scaled impurity of Fig. 3 at :math:`\bar\Gamma = 0.5 g`; the Liouvillian gap
at the transition :math:`\bar\Gamma = g` (Fig. 2d, :math:`\varepsilon_L\sim 1/S`).
HP drift of the chain: the phase boundaries (3), found where the slowest fluctuation mode of
the linearised drift (analytic.fluctuations.chain_gaussian) changes sign.
Kerr oscillator (eqs. 6, 7; Fig. 4): gap minimum over F for D = 10 ... 50, its exponential
closing, its location at F/gamma ~ 1.76 and the purity minimum next to it.
Truncated Wigner (numeric.semiclassical.twa, Sec. IV A) of the chain on a ring of N = 50 cells: the ordered
phases of Fig. 5(a, b) against the k-space HP theory, and the decay of the transverse
polarisation on the PT line (Fig. 7c; the paper's "less than a factor of 2" is a finding).
Cluster mean field (numeric.semiclassical.cluster, App. B, Fig. 7a): which damping rates keep the explicitly
broken U(1) symmetry for clusters of n_C = 1, 2, 3 sites.

Conventions: the models of :mod:`analytic.models` (eq. 2's :math:`\mathcal D` with its factor 2 and
rates over 2S; the Kerr decay :math:`\gamma\mathcal D[c]` of eq. 7 with the same factor 2, i.e.
Lindblad rate :math:`2\gamma`); g = 1 sets the unit of rates and times.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np
import scipy.optimize
import sympy as sp

import analytic as an
from analytic import fluctuations as fl

from numeric.semiclassical.cavity import gap_minimum
from numeric.semiclassical.cluster import cluster_steady_state
from numeric.semiclassical.flows import meanfield_trajectory
from numeric.solvers.spectrum import gap
from numeric.solvers.steady import steady_state
from numeric.states.observables import partial_transpose_on
from numeric.semiclassical.twa import TWARun, twa
from numeric.app.reproduce.spec import Task, require
from numeric.app.reproduce.paper002.figures import (decay_figure, eq3_figure, fig5_figure, fig7a_figure, gap_figure,
                                                    kerr_figure, pt_line_figure, purity_figure)
from numeric.app.reproduce.paper002.specs import (BROKEN, DOWN, EQ3, EQ3_H, FIG5, FIG7A_EXPECT, FIG7A_GRID, FIG7A_S,
                                                  KERR_BASE, KERR_BRACKET, PRINTED_PT_AM, PT_AM_GAMMA, PT_VALUES,
                                                  PURITY_POINTS, SPECS, SYMMETRIC, THRESHOLDS, TRANSITION, UP, gkey)

if TYPE_CHECKING:
    from numeric.states.observables import State

__all__ = ["TASKS", "finite_size_order", "dimer_negativity", "kerr_truncation", "kerr_gap_minimum",
           "kerr_purity_minimum", "dimer_gap_study", "hp_growth_rate", "hp_phase_boundary", "chain_site_occupations",
           "hp_deviations", "pt_decay_time", "pt_meanfield_perp", "fig7a_transverse"]


# ----------------------------------------------------------------------------- dimer: exact vs HP
def finite_size_order(name: str, point: dict, sizes: Sequence[int],
                      observable: Callable[[State], float]) -> tuple[float, np.ndarray, np.ndarray, float]:
    r"""(p, errors, observed, limit): the observable O (``observable(state)``) of the exact steady
    state at each S of ``sizes``, its errors :math:`|O(\rho_S) - f|` against the registered
    formula ``name`` at ``point`` (value ``limit``), and the order p of a least-squares fit
    :math:`\log|{\rm err}| = c - p\log S`."""
    f = an.formulas.formula(name)
    limit = float(f.function()(*[point[a] for a in f.args]))
    model = an.models.get(f.model)
    observed = np.array([float(observable(steady_state(model, point, S=S))) for S in sizes])
    errs = np.abs(observed - limit)
    p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
    return float(p), errs, observed, limit


def dimer_negativity(state: State) -> float:
    r"""Negativity :math:`\mathcal N = (\|\rho^{T_b}\|_1 - 1)/2` between the two spins of a
    ``gain_loss_dimer`` steady state (the sum of the moduli of the negative eigenvalues of the
    partial transpose over spin b; seed 002 eq. A25 is its Gaussian limit)."""
    names = [s.name for s in state.model.subsystems]
    require(names == ["a", "b"], f"dimer_negativity: expected the spins (a, b), got {names}")
    d = int(state.rep.dims[0])
    ev = np.linalg.eigvalsh(partial_transpose_on(np.asarray(state.rho, dtype=complex), (d, d), 1))
    return float(np.sum(np.abs(ev) - ev) / 2)



def _pt_am_observables(st, S) -> dict:
    return {"n_a": S - st.expect("Sz_a").real, "n_b": S + st.expect("Sz_b").real,
            "negativity": dimer_negativity(st), "purity": float(st.purity())}


# ----------------------------------------------------------------------------- Kerr oscillator
def kerr_truncation(D: int) -> int:
    """Fock dimension: the upper branch holds n/D ~ 0.6 photons per unit D; checked by the solvers."""
    return int(2.5 * D) + 20


@lru_cache(maxsize=None)
def _kerr():
    return an.models.kerr()


@lru_cache(maxsize=None)
def kerr_gap_minimum(D: int) -> tuple[float, float]:
    r"""(F, :math:`\varepsilon_L`): the drive F/gamma in ``KERR_BRACKET`` where the Liouvillian gap
    of the Kerr oscillator (eqs. 6, 7 at ``KERR_BASE``) is smallest, and that gap (Fig. 4a)."""
    return gap_minimum(_kerr(), KERR_BASE, "F", KERR_BRACKET, D=D, truncation=kerr_truncation(D))


@lru_cache(maxsize=None)
def kerr_purity_minimum(D: int) -> tuple[float, float]:
    r"""(F, purity): the drive where the steady-state purity :math:`{\rm Tr}\rho_0^2` is smallest
    (Fig. 4b), bounded Brent search over ``KERR_BRACKET`` to 1e-4."""
    r = scipy.optimize.minimize_scalar(
        lambda F: steady_state(_kerr(), {**KERR_BASE, "F": F}, D=D, truncation=kerr_truncation(D)).purity(),
        bounds=KERR_BRACKET, method="bounded", options={"xatol": 1e-4})
    return float(r.x), float(r.fun)


# ----------------------------------------------------------------------------- dimer: Liouvillian gap
def dimer_gap_study(Ss: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    r"""(eps, local): the dimer's Liouvillian gap :math:`\varepsilon_L` at the transition
    :math:`\Gamma_g = \Gamma_l = g` for each S (its slowest mode lies in the U(1) sector +1,
    :math:`q_{\rm ket} - q_{\rm bra} = 1`), required to fall with S, and the local exponents
    :math:`-\Delta\ln\varepsilon_L/\Delta\ln S` between successive sizes (Fig. 2d: 1/S)."""
    Ss = np.asarray(Ss)
    eps = np.array([gap(an.models.gain_loss_dimer(), TRANSITION, S=int(S), sectors=[1]) for S in Ss])
    require(bool(np.all(np.diff(eps) < 0)), f"the dimer gap does not fall with S: {eps.tolist()}")
    local = -np.diff(np.log(eps)) / np.diff(np.log(Ss))
    return eps, local


# ----------------------------------------------------------------------------- chain: HP phase boundaries
@lru_cache(maxsize=None)
def _drift(phase: str):
    g = fl.chain_gaussian(phase)
    m = g.model
    names = ("g", "h", "Gamma_g", "Gamma_l")
    return sp.lambdify([fl.Z, *[m.symbol(n) for n in names]], g.drift, "numpy"), names


def hp_growth_rate(phase: str, values: dict, samples: int = 128) -> float:
    r"""Largest real part of the eigenvalues of the HP drift :math:`A(k)` of the chain's ordered
    ``phase`` ('AM', 'FM_up', 'FM_down'; seed 002 eqs. A3-A5) over ``samples`` momenta
    :math:`k = 2\pi j/\text{samples}` (k = 0 and :math:`\pi` included): negative where the phase is
    stable, zero on its boundary (3)."""
    if samples % 2:
        raise ValueError(f"samples must be even (k = pi included), got samples={samples}")
    f, names = _drift(phase)
    args = [float(values[n]) for n in names]
    return float(max(np.linalg.eigvals(np.array(f(np.exp(1j * k), *args), dtype=complex)).real.max()
                     for k in 2 * np.pi * np.arange(samples) / samples))


def hp_phase_boundary(phase: str, values: dict, parameter: str, bracket: tuple[float, float]) -> float:
    """The value of ``parameter`` in ``bracket`` where :func:`hp_growth_rate` of ``phase`` changes
    sign (Brent's method to 1e-12): the phase's stability boundary along that cut."""
    return float(scipy.optimize.brentq(lambda x: hp_growth_rate(phase, {**values, parameter: x}),
                                       *bracket, xtol=1e-12))


# ----------------------------------------------------------------------------- chain: truncated Wigner
def chain_site_occupations(point: dict, values: dict, cells: int) -> dict[str, float]:
    r"""Local HP occupations of a ring of ``cells`` cells, :math:`\frac1N\sum_k n(k)` over
    :math:`k = 2\pi j/N` (seed 002 eqs. A6-A9 before the integral), per spin ('a', 'b')."""
    chain = an.models.gain_loss_chain()
    g = fl.gaussian(chain, point)
    vals = {chain.symbol(k): v for k, v in values.items()}
    ks = np.exp(2j * np.pi * np.arange(cells) / cells)
    out = {}
    for s in ("a", "b"):
        f = sp.lambdify(fl.Z, g.occupation(s).subs(vals), "numpy")
        nk = np.array([complex(f(z)) for z in ks])
        require(bool(np.all(np.abs(nk.imag) < 1e-10) and np.all(nk.real > 0)),
                f"spin {s}: the k-space occupations are not real and positive: {nk}")
        out[s] = float(nk.real.mean())
    return out


def hp_deviations(run: TWARun, S: float, spin: str, sign: int, n_hp: float, t_from: float) -> dict[str, float]:
    r"""TWA against HP for one spin of an ordered phase: :math:`\langle S^z\rangle = \pm(S - n)`
    and :math:`(\Delta S^z)^2 = n(n + 1)` (Gaussian, no anomalous moment by U(1)).  Returns the
    TWA values (``'n'``, ``'var'``), their standard errors (``'dn'``, ``'dvar'``), the HP values
    (``'n_hp'``, ``'var_hp'``) and the deviations in standard errors (``'dev_n'``, ``'dev_var'``)."""
    z, dz = run.steady(spin, "z", t_from)
    var, dvar = run.steady(spin, "var", t_from)
    n = S - sign * z
    var_hp = n_hp * (n_hp + 1)
    return {"n": n, "dn": dz, "n_hp": n_hp, "var": var, "dvar": dvar, "var_hp": var_hp,
            "dev_n": (n - n_hp) / dz, "dev_var": (var - var_hp) / dvar}


def pt_decay_time(run: TWARun, spin: str = "a", threshold: float = float(np.exp(-1))) -> float:
    r"""First recorded time at which :math:`|\langle S^+\rangle|/S` of ``spin`` (seed 002 eq. 10)
    falls below ``threshold`` (ReproductionError if it never does)."""
    perp, _ = run.transverse(spin)
    below = np.nonzero(perp / run.S < threshold)[0]
    require(below.size > 0, f"the transverse polarisation did not fall below {threshold:.3g} by t = {run.times[-1]}")
    return float(run.times[below[0]])


def pt_meanfield_perp(t_final: float, points: int = 61) -> tuple[np.ndarray, np.ndarray]:
    r"""(t, :math:`\sqrt{s_x^2 + s_y^2}` of spin a) of the mean-field flow (thermodynamic limit)
    of the chain on the PT line of Fig. 7(c), started with every spin along x."""
    x = {"sx_a": 1.0, "sy_a": 0.0, "sz_a": 0.0, "sx_b": 1.0, "sy_b": 0.0, "sz_b": 0.0}
    t = np.linspace(0, t_final, points)
    tr = meanfield_trajectory(an.models.gain_loss_chain(), PT_VALUES, x, t, thermodynamic_limit=True)
    return t, np.hypot(tr["sx_a"], tr["sy_a"])


# ----------------------------------------------------------------------------- cluster mean field
def fig7a_transverse(sites: int, Gamma: float, S: float = FIG7A_S) -> float:
    r""":math:`\langle S_\perp\rangle/S` of the first site in the cluster mean-field steady state
    (numeric.semiclassical.cluster, eqs. B1-B3) of ``sites`` sites at h = g, :math:`\Gamma_g = \Gamma_l = \Gamma`
    (seed 002 Fig. 7a), started along x (U(1) broken explicitly).  Requires the PT symmetry of the
    line (eqs. B4-B5): the first a-site and its mirror b-site have opposite :math:`\langle S^z\rangle`."""
    st = cluster_steady_state(an.models.gain_loss_chain(), {"g": 1.0, "h": 1.0, "Gamma_g": Gamma, "Gamma_l": Gamma},
                              S, sites, progress=False)
    partner = sites if sites % 2 else sites - 1
    za, zb = st.expect("z", 0).real, st.expect("z", partner).real
    require(abs(za + zb) <= 1e-6, f"n_C = {sites}, Gamma = {Gamma}: <Sz> of site 0 ({za}) and of its PT "
            f"partner {partner} ({zb}) are not opposite")
    return float(st.transverse() / S)


# ----------------------------------------------------------------------------- tasks
def _dimer_purity(size: str) -> dict:
    Ss = [4, 6, 8, 10, 12] if size == "paper" else [3, 4, 5]
    out, data = {"_params": {"S": Ss, **{ph: pt for ph, (_, pt, _, _) in PURITY_POINTS.items()}}}, {}
    for ph, (name, pt, _, _) in PURITY_POINTS.items():
        p, errs, P, limit = finite_size_order(name, pt, Ss, lambda st: st.purity())
        data[ph] = (P, limit, errs, p)
        out[f"a23_a24.purity_errors.{ph}"] = (errs.tolist(), None)  # Monotone: no reference
        out[f"a23_a24.purity_order.{ph}"] = p
    out["_figures"] = {"dimer_purity": purity_figure(Ss, data)}
    return out


def _pt_line(size: str) -> dict:
    Ss = [4, 6, 8, 10, 12] if size == "paper" else [3, 4, 5]
    Si = [4, 8, 12] if size == "paper" else [3, 4]
    vals = {q: [] for q in PRINTED_PT_AM}
    for S in Ss:
        st = steady_state(an.models.gain_loss_dimer(), {"g": 1.0, "Gamma_g": PT_AM_GAMMA, "Gamma_l": PT_AM_GAMMA}, S=S)
        for q, v in _pt_am_observables(st, S).items():
            vals[q].append(v)
    out = {"_params": {"S": Ss, "g": 1.0, "Gamma_g = Gamma_l": PT_AM_GAMMA, "impurity S": Si,
                       **{f"exact {q}": v for q, v in vals.items()}}}
    for q, (ref, _, _) in PRINTED_PT_AM.items():
        out[f"appA.pt_line.{q}"] = vals[q][-1]
        out[f"appA.pt_line.{q}_errors"] = ([abs(v - ref) for v in vals[q]], None)

    def impurity(S, G=0.5):
        P = steady_state(an.models.gain_loss_dimer(), {"g": 1.0, "Gamma_g": G, "Gamma_l": G}, S=S).purity()
        return float(1 / (P * (2 * S + 1) ** 2))

    imp = [impurity(S) for S in Si]
    out["_params"]["scaled impurity at Gamma_bar = 0.5 g"] = imp
    if size == "paper":
        out["fig3.scaled_impurity"] = imp[-1]
        out["_params"]["Gamma_bar/g where I/(2S+1)^2 = 0.957 at S = 12"] = float(scipy.optimize.brentq(
            lambda G: impurity(12, G) - 0.957, 0.1, 0.2, xtol=1e-3))
    out["_figures"] = {"dimer_hp_pt_line": pt_line_figure(Ss, vals, (Si, imp))}
    return out


def _eq3(size: str) -> dict:
    found = {k: hp_phase_boundary(ph, {"g": 1.0, "h": EQ3_H, "Gamma_g": gg}, "Gamma_l", br)
             for k, (ph, gg, br, _, _) in EQ3.items()}
    for k, (ph, gg, br, _, _) in EQ3.items():  # the sign change is a boundary of the phase, not of another mode
        require(hp_growth_rate(ph, {"g": 1.0, "h": EQ3_H, "Gamma_g": gg, "Gamma_l": br[0]}) *
                hp_growth_rate(ph, {"g": 1.0, "h": EQ3_H, "Gamma_g": gg, "Gamma_l": br[1]}) < 0,
                f"eq. (3) {k}: no sign change of the growth rate across the bracket")
    return {"_params": {"g": 1.0, "h": EQ3_H, "k samples": 128, **{f"Gamma_g ({k})": v[1] for k, v in EQ3.items()}},
            **{f"eq3.boundary.{k}": v for k, v in found.items()}, "_figures": {"eq3_boundaries": eq3_figure(found)}}


def _kerr_task(size: str) -> dict:
    Ds = np.array([10, 20, 30, 40, 50] if size == "paper" else [10, 15, 20])
    res = np.array([kerr_gap_minimum(int(D)) for D in Ds])
    coef = np.polyfit(Ds, np.log(res[:, 1]), 1)
    resid = np.log(res[:, 1]) - np.polyval(coef, Ds)
    Fp, _ = kerr_purity_minimum(int(Ds[-1]))
    return {"_params": {**KERR_BASE, "D": Ds.tolist(), "F bracket": list(KERR_BRACKET),
                        "truncation": [kerr_truncation(int(D)) for D in Ds], "F at gap minimum": res[:, 0].tolist(),
                        "gap minimum": res[:, 1].tolist(), "F at purity minimum (largest D)": Fp},
            "fig4.kerr.gap_fit_residual": float(np.max(np.abs(resid[1:]))),
            "fig4.kerr.gap_decay_constant": float(-coef[0]),
            "fig4.kerr.F_gap_min": float(res[-1, 0]),
            "fig4.kerr.purity_min_offset": float(Fp - res[-1, 0]),
            "_figures": {"kerr_gap": kerr_figure(Ds, res[:, 0], res[:, 1], coef, [Fp])}}


def _dimer_gap(size: str) -> dict:
    Ss = np.array(list(range(4, 15)) + [16, 18] if size == "paper" else [4, 5, 6, 7])
    eps, local = dimer_gap_study(Ss)
    lo = np.polyfit(1.0 / Ss[:4], eps[:4], 1)
    hi = np.polyfit(1.0 / Ss[-4:], eps[-4:], 1)
    require(lo[1] > 0, f"the intercept of the smallest sizes is not positive: {lo[1]}")
    return {"_params": {**TRANSITION, "S": Ss.tolist(), "eps_L": eps.tolist(), "intercepts (smallest, largest)":
                        [float(lo[1]), float(hi[1])]},
            "fig2d.gap_local_exponents": (local.tolist(), None),
            "fig2d.gap_local_exponent_last": float(local[-1]),
            "fig2d.gap_intercept_ratio": float(hi[1] / lo[1]),
            "fig2d.gap_intercept_vs_gap": float(hi[1] / eps[-1]),
            "_figures": {"dimer_gap": gap_figure(Ss, eps, local, lo, hi)}}


def _fig5(size: str) -> dict:
    cells, traj, t_final, t_from = (50, 200, 50.0, 20.0) if size == "paper" else (4, 40, 20.0, 10.0)
    out, rows = {"_params": {"S": 100, "cells": cells, "trajectories": traj, "t_final": t_final, "dt": 0.05,
                             "t_from": t_from}}, {}
    for ph, (point, values, signs) in FIG5.items():
        n_hp = chain_site_occupations(point, values, cells)
        init = {s: (UP if sg > 0 else DOWN) for s, sg in signs.items()}
        run = twa(an.models.gain_loss_chain(), values, 100, cells=cells, trajectories=traj, t_final=t_final, dt=0.05,
                  initial=init, progress=False)
        for s, sg in signs.items():
            d = hp_deviations(run, 100, s, sg, n_hp[s], t_from)
            rows[(ph, s)] = d
            out[f"fig5.{ph}.n_{s}"], out[f"fig5.{ph}.var_{s}"] = d["dev_n"], d["dev_var"]
            out["_params"][f"{ph} {s}"] = {k: d[k] for k in ("n", "dn", "n_hp", "var", "dvar", "var_hp")}
    out["_figures"] = {"chain_hp_fig5": fig5_figure(rows)}
    return out


def _fig7c(size: str) -> dict:
    Ss, cells, traj, t_final = ([100, 400, 1600], 50, 100, 60.0) if size == "paper" else ([100, 400], 8, 100, 40.0)
    runs = {S: twa(an.models.gain_loss_chain(), PT_VALUES, S, cells=cells, trajectories=traj, t_final=t_final,
                   dt=0.05, record_every=0.25, progress=False) for S in Ss}
    taus = {thr: [pt_decay_time(runs[S], "a", thr) for S in Ss] for thr in THRESHOLDS}
    tmf, pmf = pt_meanfield_perp(t_final)
    main = taus[THRESHOLDS[1]]
    return {"_params": {**PT_VALUES, "S": Ss, "cells": cells, "trajectories": traj, "t_final": t_final, "dt": 0.05,
                        "thresholds": list(THRESHOLDS), "tau at each threshold": [taus[t] for t in THRESHOLDS],
                        "tau(Smax)/tau(Smin) at each threshold": [taus[t][-1] / taus[t][0] for t in THRESHOLDS]},
            "fig7c.meanfield_perp_min": float(pmf.min()),
            "fig7c.tau_S100": main[0],
            "fig7c.tau_increasing": (main, None),
            "fig7c.tau_exponent": float(np.polyfit(np.log(Ss), np.log(main), 1)[0]),
            "fig7c.tau_ratio": main[-1] / main[0],
            "_figures": {"pt_line_decay": decay_figure(runs, tmf, pmf, taus, Ss)}}


def _fig7a(size: str) -> dict:
    todo = list(FIG7A_EXPECT) if size == "paper" else [(1, G) for G in FIG7A_GRID]
    perp = {(n, G): fig7a_transverse(n, G) for n, G in todo}
    out = {"_params": {"S": FIG7A_S, "h": 1.0, "g": 1.0, "broken above": BROKEN, "symmetric below": SYMMETRIC},
           **{f"fig7a.perp.nc{n}.gamma{gkey(G)}": v for (n, G), v in perp.items()}}
    for G in (1.0, 1.5):
        if (2, G) in perp:
            out[f"fig7a.shrinks.gamma{gkey(G)}"] = ([perp[(1, G)], perp[(2, G)]], None)
    out["_figures"] = {"fig7a_cluster": fig7a_figure(perp)}
    return out


def _keys(prefix: str) -> tuple:
    return tuple(s.key for s in SPECS if s.key.startswith(prefix))


TASKS = [
    Task("dimer_purity", _keys("a23_a24."), _dimer_purity,
         "exact dimer steady states S = 4 ... 12 against the HP purities (A23), (A24)"),
    Task("pt_line", _keys("appA.") + ("fig3.scaled_impurity",), _pt_line,
         "exact dimer on the PT line: (A13), (A14), (A26), (A23) at Gamma_bar = 1.3 g; Fig. 3 impurity"),
    Task("eq3", _keys("eq3."), _eq3, "HP drift of the chain: stability edges against eq. (3)"),
    Task("kerr", _keys("fig4."), _kerr_task, "Kerr gap minimum over F for D = 10 ... 50, purity minimum at D = 50"),
    Task("dimer_gap", _keys("fig2d."), _dimer_gap, "dimer Liouvillian gap at Gamma_bar = g, S = 4 ... 18"),
    Task("fig5_twa", _keys("fig5."), _fig5, "TWA of the N = 50 chain, S = 100, in the FM and AM phases vs k-space HP"),
    Task("fig7c_twa", _keys("fig7c."), _fig7c, "TWA decay of <S_perp> on the PT line, N = 50, S = 100, 400, 1600"),
    Task("fig7a_cluster", _keys("fig7a."), _fig7a, "cluster mean field n_C = 1, 2, 3, S = 3/2"),
]
