"""Continuation of mean-field fixed points (numeric.semiclassical.continuation) on the qudit LMG model of
seed 001: qubit branches in closed form, the bistable region of the m-independent dissipator
(Fig. 4) and the critical behaviour of the spin-ladder dissipator.

All branches start from the polarized point (seed 001 eq. 12), whose pitchfork at
gamma_I + gamma_C = 2|V| the continuation detects, and are followed with stability from the
engine's Jacobian.  V = 1 and gamma_C = 0 unless stated (Fig. 4).  The branches, end points and
exponents come from numeric.app.reproduce.paper001, which runs the larger d (end points d = 5..7,
exponents d = 4..7, the d = 7 prefactors) at the paper's sizes (`dspins reproduce 001`); here the
small d, judged by the same printed values and criteria.
"""
import numpy as np
import pytest
import sympy as sp
from scipy.integrate import solve_ivp

import analytic as an
from analytic.model import ModelError
from numeric.semiclassical.continuation import ContinuationError, Event, continue_branch, flow, follow, solve_at, switch_branch
from numeric.app.reproduce.paper001 import (
    PRINTED_END, SPECS, bistable_end_point, branch_observables, effective_exponents, lmg_branches,
)

_SPEC = {s.key: s for s in SPECS}


def _agrees(key, value):
    """``value`` meets the criterion of paper001's spec ``key`` (the printed value and its tolerance)."""
    spec = _SPEC[key]
    return spec.criterion.holds(value, spec.reference)


# ----------------------------------------------------------------------------- qubits (acceptance 1)
@pytest.mark.parametrize("gamma_C", [0.0, 0.5])
def test_qubit_branches_seed001_eq10_closed_form(gamma_C):
    """d = 2 through the qudit path: the polarized point loses stability at a pitchfork at
    gamma_I = 2|V| - gamma_C; the broken branch found by switching is
    |X| = sqrt(gamma_I(2|V| - gamma_I - gamma_C))/(2|V| - gamma_C), Z = -gamma_I/(2|V| - gamma_C)
    (seed 001 below eq. 10) and stable everywhere on it."""
    m, fl, trivial, broken = lmg_branches(2, "ladder", gamma_C)
    assert [e.kind for e in trivial.events] == ["branch"]
    assert abs(trivial.events[0].parameter - (2 - gamma_C)) < 1e-8
    crit = 2 - gamma_C
    assert trivial.stable[trivial.p > crit + 1e-6].all() and not trivial.stable[trivial.p < crit - 1e-6].any()
    fX, fZ = branch_observables(m, fl)
    g = broken.p
    inside = (g > 1e-3) & (g < 2 - gamma_C)
    assert inside.sum() > 20 and broken.events == []
    assert np.max(np.abs(np.abs(broken.along(fX)) - np.sqrt(g * (2 - g - gamma_C)) / (2 - gamma_C))[inside]) < 1e-10
    assert np.max(np.abs(broken.along(fZ) + g / (2 - gamma_C))[inside]) < 1e-10
    assert broken.stable[inside].all() and broken.residual < 1e-11


def test_qubit_small_gamma_prefactors():
    """X ~ (gamma_I/|V|)^(1/2)/sqrt(2), Z ~ -gamma_I/(2|V|) as gamma_I -> 0 (seed 001 Sec. III B, d = 2)."""
    m, fl, _, broken = lmg_branches(2, "ladder")
    fX, fZ = branch_observables(m, fl)
    g = np.logspace(-2, -5, 7)
    xs = follow(fl, broken.x[np.argmin(np.abs(broken.p - g[0]))], g)
    X = np.abs([fX(x) for x in xs])
    Z = np.array([fZ(x) for x in xs])
    assert np.max(np.abs(X / np.sqrt(g) - np.sqrt(g * (2 - g)) / 2 / np.sqrt(g))) < 1e-10
    assert abs(X[-1] / np.sqrt(g[-1]) - 1 / np.sqrt(2)) < 1e-5 and np.allclose(Z / g, -0.5, atol=1e-10)


# ----------------------------------------------------------------------------- bistability (acceptance 2)
# Seed 001 Fig. 4 caption.  The folds located here (to ~1e-10, confirmed by the dynamics) are
# 2.0492, 2.1641, 2.3090, 2.4681: rounding gives 2.05, 2.16, 2.31, 2.47, so the printed 2.30 and 2.46
# are ~0.009 low (as if truncated, or read off a 0.01 grid); all four agree within 0.01.
# bistable_end_point checks (ReproductionError otherwise) that the only events are the fold and,
# if the loop through the mirror branch closes, its image; that the dynamics started at the fold
# state stays broken 0.003 below it and falls to the polarized state 0.003 above; that the stable
# part of the branch beyond gamma_I = 2 ends at the fold; and that |X| is still > 0.1 there.


def test_bistable_region_end_point_d4_seed001_fig4():
    """Acceptance 2, d = 4: the m-independent dissipator's broken-symmetry branch bifurcates
    subcritically at gamma_I = 2|V|, turns at a fold and is stable up to gamma_I/|V| = 2.0492 (2.05)."""
    end = bistable_end_point(4)
    assert abs(end - PRINTED_END[4]) < 0.01 and _agrees("fig4.bistable_end.d4", end)
    # the spin-ladder dissipator at d = 4: supercritical, no fold, no bistability
    _, _, _, ladder = lmg_branches(4, "ladder")
    assert ladder.events == [] and ladder.p.max() <= 2 + 1e-9 and ladder.stable[ladder.p < 2 - 1e-6].all()


def test_bistability_seen_by_time_integration():
    """At gamma_I = 2.03 (d = 4, m-independent) both the polarized state and the broken-symmetry
    point found by continuation are attractors of the engine's flow (integrated with scipy)."""
    m, fl, trivial, broken = lmg_branches(4, "uniform")
    g = 2.03
    on_branch = broken.stable & (np.abs(broken.p - g) < 0.02)
    x_star = solve_at(fl, broken.x[on_branch][0], g)
    assert fl.eigenvalues(x_star, g).real.max() < 0
    rng = np.random.default_rng(0)
    for start in (x_star, trivial.x[0]):
        x0 = start + 1e-3 * rng.standard_normal(start.size)
        sol = solve_ivp(lambda t, x: fl.f(x, g), (0, 400), x0, rtol=1e-10, atol=1e-12)
        assert sol.success and np.max(np.abs(sol.y[:, -1] - start)) < 1e-6


# ----------------------------------------------------------------------------- exponents (acceptance 3)
@pytest.mark.parametrize("d", [2, 3])
def test_critical_exponents_ladder_seed001_fig4(d):
    """Acceptance 3 for d = 2, 3.  The printed beta are effective exponents: a power-law fit over
    2 - gamma_I/|V| in [10^-2.5, 10^-1.2] reproduces them within one unit of their last digit (the
    window is a choice; the paper does not state its own).  The asymptotic exponents are
    1/(2(d-1)) and 1/(d-1) (derived): the local slope s(eps) = dlnX/dln eps approaches them as
    s = beta + b eps^(1/(d-1)) (leading correction fitted, intercept checked within
    2e-3 (d-1) beta).  For d = 2, Z + 1 = eps/2 exactly."""
    bx, bz, ax, az = effective_exponents(d)
    assert _agrees(f"sec3b.beta_x.d{d}", bx) and _agrees(f"sec3b.beta_z.d{d}", bz), (d, bx, bz)
    if d == 2:
        assert abs(bz - 1) < 1e-9
    else:
        assert _agrees(f"sec3b.beta_x_asymptotic.d{d}", ax) and _agrees(f"sec3b.beta_z_asymptotic.d{d}", az), (d, ax, az)


# ----------------------------------------------------------------------------- bad input
def test_conserved_spin_length_is_held_on_the_sphere():
    """open_dicke: the flow conserves s^2, so the raw Jacobian is singular along s (a family of fixed
    points in the radius).  flow() follows the branch on s^2 = 1: at a superradiant fixed point its
    Jacobian has the eigenvalue -|grad s^2|^2 = -4 and otherwise the tangent eigenvalues of the
    engine's tangent Jacobian (numeric.semiclassical.cavity), and Newton converges."""
    from numeric.semiclassical import cavity as nc

    values = {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0, "g_minus": 1.0}
    fl = flow(an.models.open_dicke(), values, "g_plus")
    sr = next(p for p in nc.open_dicke_fixed_points({**values, "g_plus": 1.0}) if p["label"] == "superradiant")
    x = np.array([sr["point"][k] for k in fl.names])
    ev = np.linalg.eigvals(fl.jac(x, 1.0))
    radial = ev[np.argmin(np.abs(ev + 4))]
    assert abs(radial + 4) < 1e-9
    rest = np.delete(ev, np.argmin(np.abs(ev + 4)))
    assert np.allclose(np.sort_complex(rest), np.sort_complex(np.array(sr["eigenvalues"], complex)), atol=1e-9)
    assert np.max(np.abs(fl.f(solve_at(fl, x + 1e-3, 1.0), 1.0))) < 1e-11


def test_bad_input():
    m = an.models.lmg(3)
    with pytest.raises(ModelError, match="gamma_C"):
        flow(m, {"V": 1}, "gamma_I", thermodynamic_limit=True)
    with pytest.raises(ModelError, match="no parameter 'g'"):
        flow(m, {"V": 1, "gamma_C": 0}, "g", thermodynamic_limit=True)
    with pytest.raises(ValueError, match="continuation parameter"):
        flow(m, {"V": 1, "gamma_C": 0, "gamma_I": 1}, "gamma_I", thermodynamic_limit=True)
    _, fl, trivial, broken = lmg_branches(2, "ladder")
    with pytest.raises(ValueError, match="x0 must have 3 components"):
        continue_branch(fl, np.zeros(2), 1.0)
    with pytest.raises(ValueError, match="direction"):
        continue_branch(fl, trivial.x[0], 3.0, direction=0)
    with pytest.raises(ValueError, match="outside"):
        continue_branch(fl, trivial.x[0], 3.0, p_max=2.5)
    with pytest.raises(ValueError, match="unknown variables"):
        fl.point({"sx": 1})
    with pytest.raises(ValueError, match="not variables"):
        fl.observable(sp.Symbol("q"))
    fold_like = Event("fold", 2.0, trivial.x[0], 0j, np.zeros(4), 0.0)
    with pytest.raises(ValueError, match="branch point"):
        switch_branch(fl, fold_like)
    with pytest.raises(ContinuationError, match="no fixed point"):
        solve_at(fl, np.full(3, 1e6), 1.0)
