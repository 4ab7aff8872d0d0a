"""Open Dicke model (seed 003), numerics: mean-field phase labels from the closed forms of
analytic/cavity.py (numeric/semiclassical/cavity.py), checked against integrated mean-field dynamics; the
exact finite-N steady state (spin + truncated cavity) against the Gaussian fluctuations of the
normal phase (analytic.fluctuations.gaussian, through the helpers of numeric.app.reproduce.paper003,
whose `dspins reproduce 003` runs the larger cases); truncation errors; the check kind of
numeric/app/checks/cavity.py is not vacuous; the two-halves model (seed 003 Fig. 2 inset)."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import analytic as an
import numeric as nu
from analytic import cavity as acav
from analytic.model import ModelError
from numeric.semiclassical import cavity as nc
from numeric.app import checks
from numeric.semiclassical.flows import meanfield_trajectory
from numeric.app.reproduce.paper003 import (convergence, extrapolated, local_orders, normal_phase_sequence,
                                        normal_phase_targets)

M = an.models.open_dicke()
FIGS4 = {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0}           # seed 003 Fig. 3 / S4
FIG1 = {"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5}            # seed 003 Fig. 1
GC = float(an.formulas.get("open_dicke.meanfield.critical_coupling")(1.0, 2.5, 0.5))


def values(base, gm, gp):
    return {**base, "g_minus": gm, "g_plus": gp}


def test_phase_labels_at_seed003_points():
    """Fig. S4's point (g_- = 1.8, g_+ = 0.782) is bistable; below the saddle-node ray only the
    normal state is stable, above the normal edge only the SR pair; balanced coupling below /
    above g_c (Fig. 1 parameters) normal / superradiant."""
    assert nc.open_dicke_phase(values(FIGS4, 1.8, 0.782)) == "bistable"
    assert nc.open_dicke_phase(values(FIGS4, 1.8, 0.70)) == "normal"
    assert nc.open_dicke_phase(values(FIGS4, 1.8, 0.95)) == "superradiant"
    assert nc.open_dicke_phase(values(FIG1, 0.9 * GC, 0.9 * GC)) == "normal"
    assert nc.open_dicke_phase(values(FIG1, 1.4 * GC, 1.4 * GC)) == "superradiant"
    with pytest.raises(ModelError, match="g_plus"):
        nc.open_dicke_phase({**FIGS4, "g_minus": 1.0})
    with pytest.raises(ModelError, match="kappa"):
        nc.open_dicke_phase({**values(FIGS4, 1.0, 1.0), "kappa": -1.0})


def test_bistable_cells_lie_between_the_closed_form_boundaries():
    """On a grid, the numerically classified bistable cells (g_+ < g_-) are exactly those with
    rho g_- < g_+ < normal_edge(g_-) (registered closed forms), away from the edges."""
    rho = float(an.formulas.get("open_dicke.meanfield.saddle_node_ratio")(1.0, 1.0))
    edge = an.formulas.get("open_dicke.meanfield.normal_edge")
    gm = np.linspace(1.0, 3.0, 11)
    gp = np.linspace(0.3, 1.5, 13)
    labels = nc.open_dicke_phase_diagram(FIGS4, gm, gp, progress=False)
    checked = 0
    for i, b in enumerate(gp):
        for j, a in enumerate(gm):
            lo, hi = rho * a, float(edge(1.0, 1.0, 1.0, a))
            if b >= a or min(abs(b - lo), abs(b - hi)) < 0.02:
                continue
            assert (labels[i, j] == "bistable") == (lo < b < hi), (a, b, labels[i, j])
            checked += 1
    assert checked > 100 and np.sum(labels == "bistable") > 10


def test_limit_cycle_region_does_not_relax():
    """Where no fixed point is stable (g_+ > g_-, strong coupling) the label is 'limit_cycle' and
    the integrated mean-field flow keeps oscillating: s_z still swings by > 0.1 at late times
    while the spin stays on the sphere."""
    v = values(FIGS4, 1.5, 2.5)
    assert nc.open_dicke_phase(v) == "limit_cycle"
    t = np.linspace(0, 300, 3001)
    tr = meanfield_trajectory(M, v, {"sx": 0.6, "sy": 0.0, "sz": -0.8, "ar": 0.0, "ai": 0.0}, t,
                              thermodynamic_limit=True)
    late = tr["sz"][t > 200]
    assert np.ptp(late) > 0.1
    assert np.max(np.abs(tr.spin_length() - 1)) < 1e-7


def test_normal_phase_exact_steady_state_approaches_gaussian_fluctuations():
    """Normal phase, balanced (g = g_c/2, seed 003 Fig. 1 parameters), N = 2S = 4 ... 20: the exact
    steady state approaches the mean-field normal state with the Holstein-Primakoff corrections of
    analytic.fluctuations.gaussian: S(1 + <S_z>/S) -> <b^+ b> (spin boson), <a^+ a> -> cavity
    occupation, <S_x a>/sqrt(S) -> -(V_xs,xc + i V_xs,pc)/(2 sqrt 2) (C_af of seed 003 Fig. 2; the
    means vanish).  A fit f(S) = f_inf + c1/S + c2/S^2 extrapolates to the Gaussian values within
    1 %, the errors fall monotonically and their local order tends to 1 from below.  The same code
    at the unbalanced point g_- = 0.8, g_+ = 0.2 (with the squeezing parameter) and the
    superradiant phase run in `dspins reproduce 003` (numeric/app/reproduce/paper003.py)."""
    point = values(FIG1, 0.5 * GC, 0.5 * GC)
    targets = normal_phase_targets(point)
    Ss = [2, 3, 4, 5, 6, 8, 10]
    data = normal_phase_sequence(point, Ss, truncation=6)  # top Fock level checked by the solver
    for k in ("n_spin", "n_cavity", "re_caf", "im_caf"):
        c = convergence(data[k], targets[k], Ss)
        assert np.all(np.diff(c["errors"]) < 0), (k, c["errors"])
        assert abs(c["f_inf"] / targets[k] - 1) < 0.01, (k, c["f_inf"], targets[k])
        assert np.all(np.diff(c["local"]) > 0) and 0.8 < c["local"][-1] < 1.0, (k, c["local"])


def test_finite_size_helpers():
    """extrapolated is exact for f_inf + c1/S + c2/S^2 through three sizes; local_orders of S^-p is p."""
    S = np.array([3.0, 5.0, 7.0, 11.0])
    assert abs(extrapolated(0.9 + 1.3 / S + 0.7 / S ** 2, S) - 0.9) < 1e-12
    assert np.allclose(local_orders(1.3 * S ** -0.9, S), 0.9)
    with pytest.raises(ValueError, match="sizes"):
        extrapolated([1.0, 2.0], [1.0, 2.0])


@pytest.mark.parametrize("g_minus", [1.0, 2.0])
def test_superradiant_to_limit_cycle_boundary_by_continuation(g_minus):
    """No closed form for where the superradiant pair loses stability (its s_z solves a quadratic
    with the couplings inside): nc.superradiant_hopf follows the branch by continuation to a Hopf
    point (g_+ = 1.3249 at g_- = 1, 2.0598 at g_- = 2 for omega_a = omega_c = kappa = 1).  There a
    complex pair of the closed-form point's tangent Jacobian sits on the imaginary axis; just below
    the phase is superradiant, just above there is no stable fixed point (limit cycle)."""
    gh = nc.superradiant_hopf(FIGS4, g_minus, 3.0)
    assert 1.0 < gh < 3.0
    sr = next(p for p in nc.open_dicke_fixed_points(values(FIGS4, g_minus, gh)) if p["label"] == "superradiant")
    ev = np.array(sr["eigenvalues"], complex)
    top = ev[np.argmax(ev.real)]
    assert abs(top.real) < 1e-7 and abs(top.imag) > 1.0
    assert nc.open_dicke_phase(values(FIGS4, g_minus, gh - 1e-3)) == "superradiant"
    assert nc.open_dicke_phase(values(FIGS4, g_minus, gh + 1e-3)) == "limit_cycle"


def test_superradiant_truncation_too_small_raises():
    v = values(FIG1, 1.4 * GC, 1.4 * GC)
    with pytest.raises(ModelError, match="truncation"):
        nu.steady_state(M, v, S=3, truncation=8)


def test_attractor_check_rejects_a_wrong_boundary():
    """The 'attractors' check is not vacuous: the normal edge shifted by 3 % fails it (its
    bisected boundary disagrees in the second digit)."""
    f = an.formulas.formula("open_dicke.meanfield.normal_edge")
    wrong = an.formulas.Formula(f.name, lambda: 1.03 * f.expr, f.args, f.source, f.domain, f.check)
    r = checks.check_attractors(wrong)
    assert not r.passed and r.digits < 2


def test_two_halves_model_is_the_open_dicke_model_on_the_symmetric_subspace():
    """open_dicke_halves (spins a, b of length S/2): its mean-field equations for s_a = s_b are
    those of open_dicke, and from a product of equal coherent states (inside the symmetric
    subspace) the exact evolution of <S_z^a + S_z^b> and <a^+ a> equals open_dicke's."""
    from numeric.dynamics.evolve import evolve
    from numeric.states.phasespace import spin_coherent_state

    H = an.models.open_dicke_halves()
    eh = an.meanfield.equations(H, thermodynamic_limit=True)
    eo = acav.open_dicke_equations()
    same = {sp.Symbol(k + s, real=True): sp.Symbol(k, real=True) for k in ("sx", "sy", "sz") for s in ("_a", "_b")}
    for k in ("sx", "sy", "sz"):
        assert (eh[k + "_a"].subs(same) - eo[k]).expand() == 0
    assert (eh["ar"].subs(same) - eo["ar"]).expand() == 0
    v = values(FIG1, 1.4 * GC, 1.4 * GC)
    S, T = 2, 8
    vac = np.zeros(T)
    vac[0] = 1
    half = spin_coherent_state(S / 2, np.pi / 4, np.pi)
    psi_h = np.kron(np.kron(half, half), vac)
    psi_o = np.kron(spin_coherent_state(S, np.pi / 4, np.pi), vac)
    t = np.linspace(0, 5, 11)
    ev_h = evolve(H, v, psi_h, t, S=S, truncation=T, e_ops=["Sz_a + Sz_b", "ad*a"], progress=False)
    ev_o = evolve(M, v, psi_o, t, S=S, truncation=T, e_ops=["Sz", "ad*a"], progress=False)
    assert np.max(np.abs(ev_h.expect["Sz_a + Sz_b"] - ev_o.expect["Sz"])) < 1e-9
    assert np.max(np.abs(ev_h.expect["ad*a"] - ev_o.expect["ad*a"])) < 1e-9
    assert np.ptp(ev_o.expect["Sz"]) > 0.1  # the dynamics is not trivial
    neg = nc.negativity(ev_h.final, "a", "b")
    assert neg > 1e-3  # the transient state of the halves is entangled (seed 003 Fig. 2 inset)


def _figures():
    path = Path(__file__).parents[2] / "notebooks" / "cavity_figures.py"
    spec = importlib.util.spec_from_file_location("cavity_figures", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_phase_diagram_figure_shows_the_five_phases():
    """notebooks/cavity_figures.py, small grid: the labels at known points of the (g_-, g_+)
    plane (omega_a = omega_c = kappa = 1) and the balanced critical coupling 1/sqrt(2)."""
    import matplotlib.pyplot as plt

    fig, d = _figures().phase_diagram_figure(n=15, gmax=3.0)
    g, lab = d["g"], d["labels"]

    def at(gm, gp):
        return lab[int(np.argmin(np.abs(g - gp))), int(np.argmin(np.abs(g - gm)))]

    assert at(1.8, 0.8) == "bistable" and at(0.4, 0.2) == "normal" and at(1.0, 1.0) == "superradiant"
    assert at(0.4, 2.0) == "inverted" and at(2.0, 3.0) == "limit_cycle"
    assert abs(d["gc"] - 2 ** -0.5) < 1e-12 and abs(d["rho"] - (2 ** 0.5 - 1)) < 1e-12
    hopf_gm, hopf_gp = d["hopf"]  # the continuation line separates superradiant from limit cycle
    assert len(hopf_gm) >= 5
    for gm, gp in zip(hopf_gm, hopf_gp):
        assert "superradiant" in nc.open_dicke_phase(values(FIGS4, gm, gp - 0.02))
        assert nc.open_dicke_phase(values(FIGS4, gm, gp + 0.02)) == "limit_cycle"
    assert len(fig.axes) == 1
    plt.close(fig)


def test_dynamics_figure_qfunction_covariance_and_transient_entanglement():
    """Seed 003 Figs. 1-2 at N = 4 (N = 8 in `dspins reproduce 003`): the exact evolution starts on the mean-field trajectory, the
    atom-field covariance and the negativity of the two halves vanish in the initial product
    state, the negativity rises in the transient and dies out at long times (Fig. 2 inset), and
    the Q function at t_1 peaks on the side of the exact mean spin."""
    import matplotlib.pyplot as plt

    fig, d = _figures().dynamics_figure(N=4, truncation=10, steps=31, t_max=15.0)
    t, neg, caf = d["times"], d["negativity"], d["caf"]
    assert abs(caf[0]) < 1e-12 and neg[0] < 1e-12
    assert abs(d["sz"][0] - d["mf"]["sz"][0]) < 1e-12 and abs(d["sx"][0] - d["mf"]["sx"][0]) < 1e-12
    assert neg.max() > 0.1 and neg[-1] < 0.05 * neg.max() and t[np.argmax(neg)] < 5.0
    assert np.max(np.abs(caf)) > 0.05
    T, P, Q = d["Q"]
    i, j = np.unravel_index(np.argmax(Q), Q.shape)
    nmax = np.array([np.sin(T[i, j]) * np.cos(P[i, j]), np.sin(T[i, j]) * np.sin(P[i, j]), np.cos(T[i, j])])
    mean = np.array([d["sx"][d["i1"]], 0.0, d["sz"][d["i1"]]])
    assert nmax @ mean / np.linalg.norm(mean) > 0.5
    with pytest.raises(ModelError, match="truncation"):
        _figures().dynamics_figure(N=4, truncation=5, steps=31, t_max=15.0)
    plt.close(fig)


def test_partial_transpose_and_negativity_of_known_states():
    """The general partial transpose equals the two-qubit one of numeric.states.observables; the
    negativity of two spins 1/2 in a singlet is 1/2 and of a product state 0."""
    from numeric.states.observables import partial_transpose as pt_qubits, partial_transpose_on

    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho = A @ A.conj().T
    assert np.allclose(partial_transpose_on(rho, [2, 2], 0), pt_qubits(rho))
    assert np.allclose(partial_transpose_on(partial_transpose_on(rho, [2, 2], 1), [2, 2], 0), rho.T)
    from numeric.core.liouvillian import setup
    from numeric.states.observables import State

    H = an.models.open_dicke_halves()
    v = values(FIG1, 0.3, 0.3)
    rep, vals = setup(H, v, S=1, truncation=2)          # spins a, b of length 1/2, two Fock levels
    singlet = np.zeros(8, complex)
    singlet[[0 * 4 + 1 * 2, 1 * 4 + 0 * 2]] = [2 ** -0.5, -(2 ** -0.5)]  # (|up,down> - |down,up>)/sqrt2 (x) |0>
    assert abs(nc.negativity(State(H, rep, np.outer(singlet, singlet.conj()), vals), "a", "b") - 0.5) < 1e-12
    prod = np.zeros(8, complex)
    prod[0] = 1
    assert abs(nc.negativity(State(H, rep, np.outer(prod, prod), vals), "a", "b")) < 1e-12
    rep1, vals1 = setup(M, v, S=1, truncation=2)
    with pytest.raises(ModelError, match="no spin"):
        nc.negativity(State(M, rep1, np.eye(6) / 6, vals1), "a", "b")
