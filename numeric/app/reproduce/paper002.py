r"""Paper 002 (Huber, Kirton, Rabl; spin dimer and chain with gain and loss; Kerr oscillator) at the paper's sizes.

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

import numpy as np
import scipy.optimize
import sympy as sp

import analytic as an
from analytic import fluctuations as fl

from numeric.semiclassical.cavity import gap_minimum
from numeric.semiclassical.cluster import cluster_steady_state
from numeric.semiclassical.flows import meanfield_trajectory
from numeric.app.figures import mark_exits
from numeric.solvers.spectrum import gap
from numeric.solvers.steady import steady_state
from numeric.states.observables import partial_transpose_on
from numeric.semiclassical.twa import twa
from numeric.app.reproduce.spec import Abs, Monotone, Spec, Task, Within, require

__all__ = ["NUMBER", "SPECS", "TASKS", "finite_size_order", "dimer_negativity", "KERR_BASE", "KERR_BRACKET",
           "kerr_truncation", "kerr_gap_minimum", "kerr_purity_minimum", "dimer_gap_study", "hp_growth_rate",
           "hp_phase_boundary", "chain_site_occupations", "hp_deviations", "PT_VALUES", "pt_decay_time",
           "pt_meanfield_perp", "fig7a_transverse"]

NUMBER = "002"


# ----------------------------------------------------------------------------- dimer: exact vs HP
def finite_size_order(name: str, point: dict, sizes, observable) -> tuple:
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


def dimer_negativity(state) -> float:
    r"""Negativity :math:`\mathcal N = (\|\rho^{T_b}\|_1 - 1)/2` between the two spins of a
    ``gain_loss_dimer`` steady state (the sum of the moduli of the negative eigenvalues of the
    partial transpose over spin b; seed 002 eq. A25 is its Gaussian limit)."""
    names = [s.name for s in state.model.subsystems]
    require(names == ["a", "b"], f"dimer_negativity: expected the spins (a, b), got {names}")
    d = int(state.rep.dims[0])
    ev = np.linalg.eigvalsh(partial_transpose_on(np.asarray(state.rho, dtype=complex), (d, d), 1))
    return float(np.sum(np.abs(ev) - ev) / 2)


PURITY_POINTS = {"AM": ("gain_loss_dimer.hp.purity", {"g": 1.0, "Gamma_g": 3.0, "Gamma_l": 1.0}, 0.1, "(A23)"),
                 "FM": ("gain_loss_dimer.hp.purity_fm", {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.2}, 0.25, "(A24)")}

# the PT line in the AM phase at a non-dyadic point: the printed closed forms evaluated there
PT_AM_GAMMA = 1.3
_G = PT_AM_GAMMA
PRINTED_PT_AM = {  # (value, equation, what): h = 0, Gamma_g = Gamma_l = Gamma_bar, C = Gamma_bar^2 - g^2
    "n_a": (_G / (2 * _G) * (-1 + _G ** 2 / (_G ** 2 - 1)), "eq. (A13)", "S - <S^z_a>"),
    "n_b": (_G / (2 * _G) * (-1 + _G ** 2 / (_G ** 2 - 1)), "eq. (A14)", "S + <S^z_b>"),
    "negativity": (1 / (2 * _G), "eq. (A26)", "negativity between the two spins"),
    "purity": ((2 * _G) ** 2 * (_G ** 2 - 1) / (_G ** 2 * (2 * _G) ** 2), "eq. (A23)", "purity Tr rho^2"),
}


def _pt_am_observables(st, S) -> dict:
    return {"n_a": S - st.expect("Sz_a").real, "n_b": S + st.expect("Sz_b").real,
            "negativity": dimer_negativity(st), "purity": float(st.purity())}


# ----------------------------------------------------------------------------- Kerr oscillator
KERR_BASE = {"Delta": 10.0, "U": 10.0, "gamma": 1.0}  # seed 002 Fig. 4: U/gamma = Delta/gamma = 10
KERR_BRACKET = (1.6, 2.05)


def kerr_truncation(D: int) -> int:
    """Fock dimension: the upper branch holds n/D ~ 0.6 photons per unit D; checked by the solvers."""
    return int(2.5 * D) + 20


@lru_cache(maxsize=None)
def _kerr():
    return an.models.kerr()


@lru_cache(maxsize=None)
def kerr_gap_minimum(D: int) -> tuple:
    r"""(F, :math:`\varepsilon_L`): the drive F/gamma in ``KERR_BRACKET`` where the Liouvillian gap
    of the Kerr oscillator (eqs. 6, 7 at ``KERR_BASE``) is smallest, and that gap (Fig. 4a)."""
    return gap_minimum(_kerr(), KERR_BASE, "F", KERR_BRACKET, D=D, truncation=kerr_truncation(D))


@lru_cache(maxsize=None)
def kerr_purity_minimum(D: int) -> tuple:
    r"""(F, purity): the drive where the steady-state purity :math:`{\rm Tr}\rho_0^2` is smallest
    (Fig. 4b), bounded Brent search over ``KERR_BRACKET`` to 1e-4."""
    r = scipy.optimize.minimize_scalar(
        lambda F: steady_state(_kerr(), {**KERR_BASE, "F": F}, D=D, truncation=kerr_truncation(D)).purity(),
        bounds=KERR_BRACKET, method="bounded", options={"xatol": 1e-4})
    return float(r.x), float(r.fun)


# ----------------------------------------------------------------------------- dimer: Liouvillian gap
TRANSITION = {"g": 1.0, "Gamma_g": 1.0, "Gamma_l": 1.0}  # Gamma_bar = g


def dimer_gap_study(Ss) -> tuple:
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


def hp_phase_boundary(phase: str, values: dict, parameter: str, bracket: tuple) -> float:
    """The value of ``parameter`` in ``bracket`` where :func:`hp_growth_rate` of ``phase`` changes
    sign (Brent's method to 1e-12): the phase's stability boundary along that cut."""
    return float(scipy.optimize.brentq(lambda x: hp_growth_rate(phase, {**values, parameter: x}),
                                       *bracket, xtol=1e-12))


EQ3_H, EQ3_GG = 0.3, 1.7  # non-dyadic cut: g = 1, h = 0.3, Gamma_g = 1.7, Gamma_l varied
EQ3_GG_PT = 0.55  # Gamma_g Gamma_l < (g - h)^2: the FM_up boundary is the PT line Gamma_l = Gamma_g
EQ3 = {  # key: (phase, Gamma_g, bracket in Gamma_l, printed boundary, text)
    "am": ("AM", EQ3_GG, (0.5, 1.5), (1 + EQ3_H) ** 2 / EQ3_GG, "Gamma_g Gamma_l = (g + h)^2"),
    "fm": ("FM_up", EQ3_GG, (0.05, 0.5), (1 - EQ3_H) ** 2 / EQ3_GG, "Gamma_g Gamma_l = (g - h)^2"),
    "pt": ("FM_up", EQ3_GG_PT, (0.35, 0.75), EQ3_GG_PT, "Gamma_g = Gamma_l for Gamma_g Gamma_l < (g - h)^2"),
}


# ----------------------------------------------------------------------------- chain: truncated Wigner
UP, DOWN = (0.0, 0.0, 1.0), (0.0, 0.0, -1.0)
FIG5 = {  # phase: (fixed point of the HP expansion, parameters on path (i), orientation of a and b)
    "fm": ({"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": 1},
           {"g": 1.0, "h": 0.5, "Gamma_g": 1.5, "Gamma_l": 0.1}, {"a": 1, "b": 1}),
    "am": ({"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": -1},
           {"g": 1.0, "h": 0.5, "Gamma_g": 1.5, "Gamma_l": 2.5}, {"a": 1, "b": -1}),
}


def chain_site_occupations(point: dict, values: dict, cells: int) -> dict:
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


def hp_deviations(run, S, spin: str, sign: int, n_hp: float, t_from: float) -> dict:
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


PT_VALUES = {"g": 1.0, "h": 0.5, "Gamma_g": 1.0, "Gamma_l": 1.0}  # Fig. 7(c)
THRESHOLDS = (0.5, float(np.exp(-1)), 0.25, 0.15, 0.1)


def pt_decay_time(run, spin: str = "a", threshold: float = float(np.exp(-1))) -> float:
    r"""First recorded time at which :math:`|\langle S^+\rangle|/S` of ``spin`` (seed 002 eq. 10)
    falls below ``threshold`` (ReproductionError if it never does)."""
    perp, _ = run.transverse(spin)
    below = np.nonzero(perp / run.S < threshold)[0]
    require(below.size > 0, f"the transverse polarisation did not fall below {threshold:.3g} by t = {run.times[-1]}")
    return float(run.times[below[0]])


def pt_meanfield_perp(t_final: float, points: int = 61) -> tuple:
    r"""(t, :math:`\sqrt{s_x^2 + s_y^2}` of spin a) of the mean-field flow (thermodynamic limit)
    of the chain on the PT line of Fig. 7(c), started with every spin along x."""
    x = {"sx_a": 1.0, "sy_a": 0.0, "sz_a": 0.0, "sx_b": 1.0, "sy_b": 0.0, "sz_b": 0.0}
    t = np.linspace(0, t_final, points)
    tr = meanfield_trajectory(an.models.gain_loss_chain(), PT_VALUES, x, t, thermodynamic_limit=True)
    return t, np.hypot(tr["sx_a"], tr["sy_a"])


# ----------------------------------------------------------------------------- cluster mean field
FIG7A_S = 1.5
FIG7A_GRID = (0.5, 1.0, 1.5, 2.5)
BROKEN, SYMMETRIC = 1e-3, 1e-5  # <S_perp>/S above: broken; below: symmetric
FIG7A_EXPECT = {  # (n_C, Gamma/g): broken?  n_C = 1 breaks in the PPT phase (Gamma < g + h = 2g) only
    **{(1, G): G < 2 for G in FIG7A_GRID}, **{(2, G): G in (1.0, 1.5) for G in FIG7A_GRID}, (3, 1.0): False}


def fig7a_transverse(sites: int, Gamma: float, S=FIG7A_S) -> float:
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


def _within(lo, hi) -> tuple:
    """(criterion, reference) of a range spec: the range is the reference (as the printed value)."""
    return Within(lo, hi), [lo, hi]


def _purity_source(eq: str) -> str:
    """(A24) is the S = infinity line of Fig. 3(b) (FM phases); (A23) (AM) is printed only as a formula."""
    return f"eq. {eq}" + (", Fig. 3(b)" if eq == "(A24)" else "")


def _gkey(G: float) -> str:
    return f"{G:g}"


# ----------------------------------------------------------------------------- specs
SPECS = [
    # Fig. 3(b), App. A: purity of the exact dimer steady state -> (A23), (A24)
    *[Spec(f"a23_a24.purity_errors.{ph}", f"|Tr rho^2 - {eq}| of the exact dimer steady state, S = 4, 6, 8, 10, 12 "
           f"({ph} phase, g = 1, Gamma_g = {pt['Gamma_g']}, Gamma_l = {pt['Gamma_l']})", _purity_source(eq),
           "S = infinity limit", Monotone(-1)) for ph, (_, pt, _, eq) in PURITY_POINTS.items()],
    *[Spec(f"a23_a24.purity_order.{ph}", f"order p of |Tr rho^2 - {eq}| ~ S^-p over S = 4 ... 12 ({ph} phase; "
           "p = 1: the 1/S corrections of a large-S expansion)", _purity_source(eq), "S = infinity limit",
           Abs(tol), 1.0)
      for ph, (_, _, tol, eq) in PURITY_POINTS.items()],
    # App. A on the PT line, AM phase, at Gamma_bar = 1.3 g: exact S = 12 against the printed closed forms
    *[Spec(f"appA.pt_line.{q}", f"{what}, exact dimer steady state at S = 12, g = 1, Gamma_g = Gamma_l = 1.3 "
           "(AM phase; errors ~ S^-3)", f"{eq}", f"{value:.6g} (S = infinity)", Abs(1e-3), value)
      for q, (value, eq, what) in PRINTED_PT_AM.items()],
    *[Spec(f"appA.pt_line.{q}_errors", f"|exact - {eq}| for {what} at S = 4, 6, 8, 10, 12 (Gamma_bar = 1.3 g)",
           f"{eq}", "S = infinity limit", Monotone(-1)) for q, (_, eq, what) in PRINTED_PT_AM.items()],
    # Fig. 3 text
    Spec("fig3.scaled_impurity", "scaled impurity I/(2S+1)^2 = 1/(Tr rho^2 (2S+1)^2) of the dimer at S = 12, "
         "Gamma_bar = 0.5 g, delta Gamma = 0", "Sec. III B (Fig. 3c)", "0.957", Abs(0.0005), 0.957, expected=False,
         finding="The exact steady state of eq. (2) at S = 12, Gamma_g = Gamma_l = 0.5 g has I/(2S+1)^2 = 0.549 "
                 "(0.562, 0.552, 0.549 at S = 4, 8, 12: not a finite-size effect); 0.957 is reached only at "
                 "Gamma_bar ~ 0.135 g.  Our Liouvillian is eq. (2) as checked against QuTiP (test_liouvillian), "
                 "and the same convention puts the transition of Fig. 2 at Gamma_bar = g and the purity on the "
                 "same line at 1/(2S+1)^2 (Fig. 3b), so the rates are not rescaled; no factor-2 convention "
                 "change reproduces 0.957 either (0.862 at Gamma_bar = 0.25 g, 0.963 at 0.125 g)."),
    # eq. (3) from the HP drift of the chain
    *[Spec(f"eq3.boundary.{k}", f"Gamma_l where the HP {ph} phase of the chain turns stable/unstable, g = 1, "
           f"h = {EQ3_H}, Gamma_g = {gg} (slowest mode of the k-space drift crosses zero)", "eq. (3)",
           f"{text}: {ref:.6f}", Abs(1e-6), ref)
      for k, (ph, gg, _, ref, text) in EQ3.items()],
    # Fig. 4 Kerr
    Spec("fig4.kerr.gap_fit_residual", "max |residual| of a linear fit of ln eps_L(gap minimum) against D = 10 ... 50, "
         "D >= 20", "Fig. 4(a), Sec. III B", "eps_L ~ e^(-D) (exponential)", *_within(None, 0.05)),
    Spec("fig4.kerr.gap_decay_constant", "decay constant c of eps_L ~ e^(-c D) (fit over D = 10 ... 50; printed "
         "as the form e^(-D))", "Sec. III B", "eps_L ~ e^(-D)", *_within(0.4, None)),
    Spec("fig4.kerr.F_gap_min", "F/gamma at the gap minimum at D = 50, U = Delta = 10 gamma", "Fig. 4(a), Sec. III B",
         "1.76", Abs(0.01), 1.76),
    Spec("fig4.kerr.purity_min_offset", "F of the purity minimum (Fig. 4b) minus F of the gap minimum, D = 50",
         "Fig. 4(b)", "at the transition 1.76", *_within(0, 0.02)),
    # Fig. 2(d)
    Spec("fig2d.gap_local_exponents", "local exponents -dln eps_L/dln S of the dimer gap at Gamma_bar = g, S = 4 ... "
         "14, 16, 18", "Fig. 2(d)", "eps_L ~ 1/S", Monotone(+1)),
    Spec("fig2d.gap_local_exponent_last", "local exponent -dln eps_L/dln S between the two largest S (16, 18)",
         "Fig. 2(d)", "eps_L ~ 1/S (exponent 1)", *_within(0.79, 1.0)),
    Spec("fig2d.gap_intercept_ratio", "intercept of eps_L linear in 1/S over the 4 largest S, over that of the "
         "4 smallest (S = 4 ... 7)", "Fig. 2(d)", "linear extrapolation to zero", *_within(0, 0.6)),
    Spec("fig2d.gap_intercept_vs_gap", "intercept (4 largest S) of eps_L linear in 1/S, over eps_L at the largest S",
         "Fig. 2(d)", "linear extrapolation to zero", *_within(None, 0.3)),
    # Fig. 5(a, b): chain N = 50, S = 100
    *[Spec(f"fig5.{ph}.{q}_{s}", f"TWA - HP for {label} of spin {s}, {ph.upper()} phase (Gamma_g = 1.5 g, h = 0.5 g, "
           f"Gamma_l = {FIG5[ph][1]['Gamma_l']} g), N = 50 cells, S = 100, in standard errors of the TWA mean",
           "Fig. 5(a, b), Sec. IV A, App. A", "agreement with the HPA", *_within(-3, 3))
      for ph in FIG5 for s in ("a", "b")
      for q, label in (("n", "n = S -+ <S^z>"), ("var", "(Delta S^z)^2 against n(n+1)"))],
    # Fig. 7(c): PT line, N = 50
    Spec("fig7c.meanfield_perp_min", "min over t <= 60/g of <S_perp>/S of the mean-field flow from all spins along x",
         "Fig. 7(c), Sec. IV D", "stays close to its initial value", *_within(0.5, None)),
    Spec("fig7c.tau_S100", "tau_sb g: first time <S_perp>/S < 1/e, TWA, N = 50 cells, S = 100, 100 trajectories",
         "Fig. 7(c), Sec. IV D", "tau_sb ~ 10/g", *_within(5.0, 20.0)),
    Spec("fig7c.tau_increasing", "tau_sb (threshold 1/e) at S = 100, 400, 1600", "Sec. IV D",
         "does not considerably increase", Monotone(+1)),
    Spec("fig7c.tau_exponent", "power p of tau_sb ~ S^p (fit over S = 100, 400, 1600; phase diffusion: p = 1)",
         "Sec. IV D", "no symmetry breaking (p far below 1)", *_within(None, 0.5)),
    Spec("fig7c.tau_ratio", "tau_sb(S = 1600)/tau_sb(S = 100), threshold <S_perp>/S = 1/e", "Sec. IV D",
         "less than a factor of 2", *_within(None, 2.0), expected=False,
         finding="TWA on the N = 50 ring (100 trajectories, dt = 0.05/g, converged in dt) gives tau(1600)/tau(100) = "
                 "2.7 at the 1/e threshold, and 2.95, 2.4, 2.1, 2.0 for <S_perp>/S below 0.5, 0.25, 0.15, 0.1 (the "
                 "ratios of this run are in the parameters): the paper's 'less than a factor of 2' holds at best for "
                 "the time to reach ~10 % of the initial polarisation.  What the paper concludes from it stands: the "
                 "growth, S^0.25 ... S^0.39, is far below the tau ~ S of phase diffusion."),
    # Fig. 7(a): cluster mean field
    *[Spec(f"fig7a.perp.nc{n}.gamma{_gkey(G)}", f"<S_perp>/S, cluster mean field with n_C = {n} sites, S = 3/2, h = g, "
           f"Gamma_g = Gamma_l = {G:g} g, started along x", "Fig. 7(a), Sec. IV D",
           "broken (> 0)" if broken else "symmetric (0)",
           *(_within(BROKEN, None) if broken else _within(None, SYMMETRIC)))
      for (n, G), broken in FIG7A_EXPECT.items()],
    *[Spec(f"fig7a.shrinks.gamma{_gkey(G)}", f"<S_perp>/S for n_C = 1, 2 at Gamma = {G:g} g (S = 3/2, h = g)",
           "Fig. 7(a), Sec. IV D", "the broken region shrinks with n_C", Monotone(-1)) for G in (1.0, 1.5)],
]


# ----------------------------------------------------------------------------- figures
def _figure(ncols: int, width: float = 5.2, height: float = 4.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height))
    return fig, [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]


def _colors(n: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0.05, 0.85, max(n, 1)))


def _s_ticks(ax, Ss) -> None:
    """Tick labels at the computed sizes on a logarithmic S axis."""
    from matplotlib.ticker import NullFormatter

    ax.set_xticks(list(Ss), [f"{S:g}" for S in Ss])
    ax.xaxis.set_minor_formatter(NullFormatter())


def _purity_figure(Ss, data) -> object:
    fig, (a, b) = _figure(2)
    for (ph, (name, pt, _, eq)), c in zip(PURITY_POINTS.items(), _colors(2)):
        P, limit, errs, p = data[ph]
        label = f"{ph}: $\\Gamma_g = {pt['Gamma_g']}g$, $\\Gamma_l = {pt['Gamma_l']}g$"
        a.plot(Ss, P, "o-", color=c, label=f"exact, {label}")
        a.axhline(limit, color=c, ls="--", label=f"Gaussian limit {eq} (S = $\\infty$)")
        b.loglog(Ss, errs, "o", color=c, label=f"{ph}: |exact - {eq}|")
        fit = np.exp(np.polyfit(np.log(Ss), np.log(errs), 1))
        b.loglog(Ss, fit[1] * np.asarray(Ss, float) ** np.log(fit[0]), "-", color=c, lw=0.8,
                 label=f"fit $\\propto S^{{-{p:.2f}}}$")
    a.set_xlabel("spin length S")
    a.set_ylabel(r"purity Tr$\rho_0^2$")
    a.set_title("paper 002 Fig. 3(b), App. A: dimer purity vs S (g = 1)", fontsize=10)
    b.set_xlabel("spin length S")
    b.set_ylabel("|exact - HP limit|")
    _s_ticks(b, Ss)
    b.set_title("approach to the Holstein-Primakoff limit", fontsize=10)
    a.legend(fontsize=7)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _pt_line_figure(Ss, values, impurity) -> object:
    fig, (a, b) = _figure(2)
    labels = {"n_a": r"$n_a = S - \langle S^z_a\rangle$", "n_b": r"$n_b = S + \langle S^z_b\rangle$",
              "negativity": r"negativity $\mathcal{N}$", "purity": r"purity Tr$\rho_0^2$"}
    for (q, (ref, eq, _)), c in zip(PRINTED_PT_AM.items(), _colors(len(PRINTED_PT_AM))):
        err = np.abs(np.array(values[q]) - ref)
        a.loglog(Ss, err, "o-" if q != "n_b" else "x--", color=c, label=f"{labels[q]} vs {eq}")
    a.set_xlabel("spin length S")
    a.set_ylabel("|exact - printed closed form|")
    _s_ticks(a, Ss)
    a.set_title(r"dimer on the PT line, AM phase: $\Gamma_g = \Gamma_l = 1.3g$", fontsize=10)
    a.legend(fontsize=7)
    Si, Ii = impurity
    b.plot(Si, Ii, "o-", color=_colors(1)[0], label=r"exact, $\Gamma_g = \Gamma_l = 0.5g$")
    b.axhline(0.957, color="k", ls="--", label="printed 0.957 (S = 12, Sec. III B)")
    b.set_ylim(0, 1.05)
    b.set_xlabel("spin length S")
    b.set_ylabel(r"scaled impurity $\mathcal{I}/(2S+1)^2 = 1/[(2S+1)^2\,{\rm Tr}\rho_0^2]$")
    b.set_title("paper 002 Fig. 3: impurity at the FM-FM transition", fontsize=10)
    b.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def _eq3_figure(found) -> object:
    fig, (a,) = _figure(1, 6.0, 4.6)
    gg = np.linspace(0.3, 3.0, 200)
    a.plot(gg, (1 + EQ3_H) ** 2 / gg, "k-", label=r"eq. (3): $\Gamma_g\Gamma_l = (g+h)^2$")
    a.plot(gg, (1 - EQ3_H) ** 2 / gg, "k--", label=r"eq. (3): $\Gamma_g\Gamma_l = (g-h)^2$")
    lo = gg[gg <= 1 - EQ3_H]
    a.plot(lo, lo, "k:", label=r"$\Gamma_g = \Gamma_l$ below $(g-h)^2$")
    for (k, (ph, G, _, _, _)), c in zip(EQ3.items(), _colors(len(EQ3))):
        a.plot(G, found[k], "o", color=c, mec="k", ms=8, label=f"ours: {ph} stability edge (HP drift)")
    a.set_xlim(0.3, 3.0)
    a.set_ylim(0, 3.0)
    mark_exits(a, gg, [(1 + EQ3_H) ** 2 / gg, (1 - EQ3_H) ** 2 / gg], ["k", "k"])
    a.set_xlabel(r"$\Gamma_g/g$")
    a.set_ylabel(r"$\Gamma_l/g$")
    a.set_title(f"paper 002 eq. (3): phase boundaries of the chain, h = {EQ3_H}g", fontsize=10)
    a.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return fig


def _kerr_figure(Ds, F, eps, coef, Fp) -> object:
    fig, (a, b) = _figure(2)
    c = _colors(2)
    a.semilogy(Ds, eps, "o", color=c[0], label=r"gap minimum over F, $\varepsilon_L$")
    a.semilogy(Ds, np.exp(np.polyval(coef, Ds)), "-", color=c[0], lw=0.8,
               label=f"fit $\\varepsilon_L \\propto e^{{-{-coef[0]:.3f} D}}$")
    a.set_xlabel("D (effective dimension, eq. 6)")
    a.set_ylabel(r"$\varepsilon_L/\gamma$")
    a.set_title(r"paper 002 Fig. 4(a): Kerr gap, $U = \Delta = 10\gamma$", fontsize=10)
    a.legend(fontsize=8)
    b.plot(Ds, F, "o-", color=c[0], label="F at the gap minimum")
    b.plot(Ds[-len(Fp):], Fp, "s--", color=c[1], label="F at the purity minimum (Fig. 4b)")
    b.axhline(1.76, color="k", ls=":", label=r"printed $F/\gamma \simeq 1.76$")
    b.set_xlabel("D")
    b.set_ylabel(r"$F/\gamma$")
    b.set_title("location of the first-order point", fontsize=10)
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _gap_figure(Ss, eps, local, lo, hi) -> object:
    fig, (a, b) = _figure(2)
    c = _colors(3)
    x = 1.0 / np.asarray(Ss, float)
    a.plot(x, eps, "x", color=c[0], ms=8, label=r"exact $\varepsilon_L$ (sector +1)")
    for (fit, sel, name), col in zip(((lo, slice(0, 4), "4 smallest S"), (hi, slice(-4, None), "4 largest S")), c[1:]):
        xx = np.linspace(0, x[sel].max(), 20)
        a.plot(xx, np.polyval(fit, xx), "-", color=col, lw=0.9, label=f"linear in 1/S, {name}: "
                                                                      f"intercept {fit[1]:.4f}")
    a.set_xlim(0, None)
    a.set_xlabel("1/S")
    a.set_ylabel(r"$\varepsilon_L/g$")
    a.set_title(r"paper 002 Fig. 2(d): dimer gap at $\bar\Gamma = g$", fontsize=10)
    a.legend(fontsize=7)
    mid = np.sqrt(np.asarray(Ss[:-1], float) * np.asarray(Ss[1:], float))
    b.plot(mid, local, "o-", color=c[0], label=r"local exponent $-\Delta\ln\varepsilon_L/\Delta\ln S$")
    b.axhline(1.0, color="k", ls=":", label=r"$\varepsilon_L \sim 1/S$ (exponent 1)")
    b.set_xlabel("S (geometric mean of the pair)")
    b.set_ylabel("local exponent")
    b.set_title("approach to 1/S", fontsize=10)
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _fig5_figure(rows) -> object:
    fig, (a, b) = _figure(2)
    labels = [f"{ph.upper()} {s}" for ph, s in rows]
    x = np.arange(len(labels))
    c = _colors(2)
    for ax, (q, dq, ref, name) in ((a, ("n", "dn", "n_hp", r"$n = S \mp \langle S^z\rangle$")),
                                   (b, ("var", "dvar", "var_hp", r"$(\Delta S^z)^2$"))):
        vals = [rows[k] for k in rows]
        ax.errorbar(x, [v[q] for v in vals], yerr=[3 * v[dq] for v in vals], fmt="o", color=c[0], capsize=4,
                    label="TWA, N = 50, S = 100 (bars: 3 standard errors)")
        ax.plot(x, [v[ref] for v in vals], "_", color=c[1], ms=22, mew=2,
                label="k-space HP (App. A)" + (": n(n+1)" if q == "var" else ""))
        ax.set_xticks(x, labels)
        ax.set_ylabel(name)
        ax.set_xlabel("phase, spin")
        ax.legend(fontsize=7)
    a.set_title(r"paper 002 Fig. 5(a, b): $\Gamma_g = 1.5g$, $h = 0.5g$", fontsize=10)
    b.set_title(r"FM: $\Gamma_l = 0.1g$, AM: $\Gamma_l = 2.5g$", fontsize=10)
    fig.tight_layout()
    return fig


def _decay_figure(runs, tmf, pmf, taus, Ss) -> object:
    fig, (a, b) = _figure(2)
    c = _colors(len(runs))
    for (S, run), col in zip(runs.items(), c):
        perp, _ = run.transverse("a")
        a.plot(run.times, perp / run.S, color=col, label=f"TWA, S = {S}")
    a.plot(tmf, pmf, "k--", label=r"mean field ($S\to\infty$)")
    a.axhline(np.exp(-1), color="0.5", ls=":", label=r"threshold $1/e$ (defines $\tau_{sb}$)")
    a.set_ylim(0, 1.05)
    a.set_xlabel("g t")
    a.set_ylabel(r"$\langle S_\perp\rangle/S$ (spin a)")
    a.set_title(r"paper 002 Fig. 7(c): $\Gamma_g = \Gamma_l = g$, $h = 0.5g$, N = 50", fontsize=10)
    a.legend(fontsize=7)
    for thr, col in zip(THRESHOLDS, _colors(len(THRESHOLDS))):
        b.loglog(Ss, taus[thr], "o-", color=col, label=f"threshold {thr:.3g}: ratio {taus[thr][-1] / taus[thr][0]:.2f}")
    S = np.asarray(Ss, float)
    t0 = taus[THRESHOLDS[1]][0]
    b.loglog(S, t0 * S / S[0], "k--", lw=0.8, label=r"$\tau \propto S$ (phase diffusion)")
    b.loglog(S, t0 * 2 ** (np.log(S / S[0]) / np.log(16)), "k:", lw=0.8, label="factor 2 over 16 in S (printed)")
    b.set_xlabel("S")
    b.set_ylabel(r"$g\,\tau_{sb}$")
    _s_ticks(b, Ss)
    b.set_title(r"decay time vs S; ratio = $\tau(S_{max})/\tau(S_{min})$", fontsize=10)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def _fig7a_figure(perp) -> object:
    fig, (a,) = _figure(1, 6.0, 4.4)
    for n, col in zip((1, 2, 3), _colors(3)):
        pts = sorted((G, v) for (m, G), v in perp.items() if m == n)
        if pts:
            G, v = zip(*pts)
            a.plot(G, v, "o-" if len(G) > 1 else "s", color=col, ms=7, label=f"$n_C = {n}$")
    a.axvline(2.0, color="k", ls=":", label=r"AM boundary $\bar\Gamma = g + h$ (eq. 3)")
    a.set_ylim(-0.03, 1.0)
    a.set_xlabel(r"$\bar\Gamma/g$ ($\Gamma_g = \Gamma_l = \bar\Gamma$)")
    a.set_ylabel(r"$\langle S_\perp\rangle/S$, steady state from all spins along x")
    a.set_title("paper 002 Fig. 7(a): cluster mean field, S = 3/2, h = g", fontsize=10)
    a.legend(fontsize=8)
    fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------- tasks
def _dimer_purity(size: str) -> dict:
    Ss = [4, 6, 8, 10, 12] if size == "paper" else [3, 4, 5]
    out, data = {"_params": {"S": Ss, **{ph: pt for ph, (_, pt, _, _) in PURITY_POINTS.items()}}}, {}
    for ph, (name, pt, _, _) in PURITY_POINTS.items():
        p, errs, P, limit = finite_size_order(name, pt, Ss, lambda st: st.purity())
        data[ph] = (P, limit, errs, p)
        out[f"a23_a24.purity_errors.{ph}"] = (errs.tolist(), None)  # Monotone: no reference
        out[f"a23_a24.purity_order.{ph}"] = p
    out["_figures"] = {"dimer_purity": _purity_figure(Ss, data)}
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
    out["_figures"] = {"dimer_hp_pt_line": _pt_line_figure(Ss, vals, (Si, imp))}
    return out


def _eq3(size: str) -> dict:
    found = {k: hp_phase_boundary(ph, {"g": 1.0, "h": EQ3_H, "Gamma_g": gg}, "Gamma_l", br)
             for k, (ph, gg, br, _, _) in EQ3.items()}
    for k, (ph, gg, br, _, _) in EQ3.items():  # the sign change is a boundary of the phase, not of another mode
        require(hp_growth_rate(ph, {"g": 1.0, "h": EQ3_H, "Gamma_g": gg, "Gamma_l": br[0]}) *
                hp_growth_rate(ph, {"g": 1.0, "h": EQ3_H, "Gamma_g": gg, "Gamma_l": br[1]}) < 0,
                f"eq. (3) {k}: no sign change of the growth rate across the bracket")
    return {"_params": {"g": 1.0, "h": EQ3_H, "k samples": 128, **{f"Gamma_g ({k})": v[1] for k, v in EQ3.items()}},
            **{f"eq3.boundary.{k}": v for k, v in found.items()}, "_figures": {"eq3_boundaries": _eq3_figure(found)}}


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
            "_figures": {"kerr_gap": _kerr_figure(Ds, res[:, 0], res[:, 1], coef, [Fp])}}


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
            "_figures": {"dimer_gap": _gap_figure(Ss, eps, local, lo, hi)}}


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
    out["_figures"] = {"chain_hp_fig5": _fig5_figure(rows)}
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
            "_figures": {"pt_line_decay": _decay_figure(runs, tmf, pmf, taus, Ss)}}


def _fig7a(size: str) -> dict:
    todo = list(FIG7A_EXPECT) if size == "paper" else [(1, G) for G in FIG7A_GRID]
    perp = {(n, G): fig7a_transverse(n, G) for n, G in todo}
    out = {"_params": {"S": FIG7A_S, "h": 1.0, "g": 1.0, "broken above": BROKEN, "symmetric below": SYMMETRIC},
           **{f"fig7a.perp.nc{n}.gamma{_gkey(G)}": v for (n, G), v in perp.items()}}
    for G in (1.0, 1.5):
        if (2, G) in perp:
            out[f"fig7a.shrinks.gamma{_gkey(G)}"] = ([perp[(1, G)], perp[(2, G)]], None)
    out["_figures"] = {"fig7a_cluster": _fig7a_figure(perp)}
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
