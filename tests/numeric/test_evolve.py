"""numeric.dynamics.evolve: master-equation time evolution against QuTiP's mesolve (operators built here
independently from the papers' equations) and against the steady-state solvers."""
import numpy as np
import pytest
import qutip as qt

import analytic as an
from analytic.model import ModelError
from numeric.dynamics.evolve import evolve, liouville_space
from numeric.solvers.steady import steady_state

TIGHT = {"atol": 1e-13, "rtol": 1e-11, "nsteps": 10**6}


def _mesolve(H, c_ops, psi0, times, e_ops):
    res = qt.mesolve(H, psi0, times, c_ops, e_ops=e_ops, options=TIGHT)
    return [np.asarray(e) for e in res.expect]


def test_crf_matches_mesolve():
    # seed 000 eq. (10): H = omega Sx, (kappa/S)(2 S- rho S+ - ...) = rate 2 kappa/S in QuTiP's convention
    S, omega, kappa = 3, 1.3, 0.7
    Sx, Sz, Sm = qt.jmat(S, "x"), qt.jmat(S, "z"), qt.jmat(S, "-")
    times = np.linspace(0, 4, 21)
    psi0 = qt.basis(7, 6)  # m = -S
    ref = _mesolve(omega * Sx, [np.sqrt(2 * kappa / S) * Sm], psi0, times, [Sz, Sm.dag() * Sm, Sx * Sx])
    ev = evolve(an.models.crf(), {"omega": omega, "kappa": kappa}, psi0.full().ravel(), times, S=S,
                e_ops=["Sz", "Sp*Sm", "Sx*Sx"])
    for key, r in zip(["Sz", "Sp*Sm", "Sx*Sx"], ref):
        assert np.abs(ev.expect[key] - r).max() < 1e-8
    rho_ref = qt.mesolve(omega * Sx, psi0, times, [np.sqrt(2 * kappa / S) * Sm], options=TIGHT).states[-1].full()
    assert np.abs(ev.final.rho - rho_ref).max() < 1e-8


def test_open_dicke_matches_mesolve():
    # seed 003 eqs. (1)-(2): H = wa Sz + wc a^+a + (g- S- a^+ + g+ S+ a^+ + h.c.)/sqrt(2S), kappa(2 a rho a^+ - ...)
    S, n = 1, 6
    p = {"omega_a": 1.0, "omega_c": 1.2, "kappa": 0.5, "g_plus": 0.3, "g_minus": 0.7}
    a = qt.tensor(qt.qeye(2 * S + 1), qt.destroy(n))
    Sz, Sp, Sm = (qt.tensor(qt.jmat(S, k), qt.qeye(n)) for k in ("z", "+", "-"))
    inter = (p["g_minus"] * Sm * a.dag() + p["g_plus"] * Sp * a.dag()) / np.sqrt(2 * S)
    H = p["omega_a"] * Sz + p["omega_c"] * a.dag() * a + inter + inter.dag()
    psi0 = qt.tensor(qt.basis(3, 0), qt.basis(n, 0))  # m = +S, vacuum
    times = np.linspace(0, 3, 16)
    ref = _mesolve(H, [np.sqrt(2 * p["kappa"]) * a], psi0, times, [Sz, a.dag() * a, Sp * a])
    ev = evolve(an.models.open_dicke(), p, psi0.full().ravel(), times, S=S, truncation=n,
                e_ops=["Sz", "ad*a", "Sp*a"])
    for key, r in zip(["Sz", "ad*a", "Sp*a"], ref):
        assert np.abs(ev.expect[key] - r).max() < 1e-8
    assert np.iscomplexobj(ev.expect["Sp*a"]) and not np.iscomplexobj(ev.expect["Sz"])


def _driven_dicke_qutip(N, Omega, gc, gs):
    """Seed 004 eq. (1) on the full 2^N space: H = 2 Omega Sx, gamma_c D[S-], gamma_s sum D[sigma_n]."""
    def site(op, n):
        return qt.tensor([op if k == n else qt.qeye(2) for k in range(N)])
    sm = [site(qt.sigmam(), n) for n in range(N)]
    Sm = sum(sm)
    Sx = sum(site(qt.sigmax(), n) for n in range(N)) / 2
    Sy = sum(site(qt.sigmay(), n) for n in range(N)) / 2
    Sz = sum(site(qt.sigmaz(), n) for n in range(N)) / 2
    c_ops = [np.sqrt(gc) * Sm] + [np.sqrt(gs) * s for s in sm]
    return 2 * Omega * Sx, c_ops, (Sx, Sy, Sz, Sm)


def test_driven_dicke_pi_matches_full_space_mesolve():
    N, gc, gs = 4, 1.0, 0.4
    Omega = 0.8 * (N - 1) * gc / 4
    H, c_ops, (Sx, Sy, Sz, Sm) = _driven_dicke_qutip(N, Omega, gc, gs)
    psi0 = qt.tensor([qt.basis(2, 1)] * N)  # all atoms down
    times = np.linspace(0, 5, 26)
    ops = {"Sz": Sz, "Sp*Sm": Sm.dag() * Sm, "Sy": Sy, "Sx*Sx + Sy*Sy + Sz*Sz": Sx * Sx + Sy * Sy + Sz * Sz}
    ref = _mesolve(H, c_ops, psi0, times, list(ops.values()))
    ket = np.zeros(N + 1)
    ket[N] = 1.0  # |j = N/2, m = -N/2>
    ev = evolve(an.models.driven_dicke(), {"Omega": Omega, "gamma_c": gc, "gamma_s": gs}, ket, times, N=N,
                e_ops=list(ops))
    for key, r in zip(ops, ref):
        assert np.abs(ev.expect[key] - r).max() < 1e-8, key
    # individual decay leaves the Dicke manifold: <S^2> drops below j(j+1) = 6
    assert ev.expect["Sx*Sx + Sy*Sy + Sz*Sz"][-1] < 6 - 0.1
    assert ev.info["representation"] == "pi" and ev.info["trace_error"] < 1e-12


def test_long_time_limit_is_steady_state():
    vals = {"omega": 1.0, "kappa": 1.0}
    psi0 = np.zeros(9)
    psi0[0] = 1.0
    ev = evolve(an.models.crf(), vals, psi0, [0.0, 40.0], S=4, e_ops=["Sz"])
    st = steady_state(an.models.crf(), vals, S=4)
    assert np.abs(ev.final.rho - st.rho).max() < 1e-9
    dd, N = an.models.driven_dicke(), 6
    v = {"Omega": 0.7 * (N - 1) / 4, "gamma_c": 1.0, "gamma_s": 0.5}
    ket = np.zeros(N + 1)
    ket[N] = 1.0
    ev = evolve(dd, v, ket, np.linspace(0, 80, 5), N=N, e_ops=["Sz", "Sp*Sm"])
    st = steady_state(dd, v, N=N)
    assert abs(ev.expect["Sz"][-1] - st.expect("Sz")) < 1e-9
    assert abs(ev.expect["Sp*Sm"][-1] - st.expect("Sp*Sm")) < 1e-9
    assert np.abs(ev.final.x - st.x).max() < 1e-9


def test_uniform_and_irregular_grids_agree_and_states_are_stored():
    m, vals = an.models.crf(), {"omega": 2.5, "kappa": 1.0}
    psi0 = np.ones(5) / np.sqrt(5)
    a = evolve(m, vals, psi0, np.linspace(0, 2, 201), S=2, e_ops=["Sx"], store_states=True)
    b = evolve(m, vals, psi0, [0, 0.37, 1.0, 2.0], S=2, e_ops=["Sx"])
    assert abs(a.expect["Sx"][-1] - b.expect["Sx"][-1]) < 1e-11
    assert abs(a.expect["Sx"][100] - b.expect["Sx"][2]) < 1e-11
    assert len(a.states) == 201 and abs(a.states[37].expect("Sx") - a.expect["Sx"][37]) < 1e-12


def test_bad_input():
    m, vals = an.models.crf(), {"omega": 1.0, "kappa": 1.0}
    psi = np.eye(5)[0]
    with pytest.raises(ModelError, match="times"):
        evolve(m, vals, psi, [0, 1, 1], S=2)
    with pytest.raises(ModelError, match="rho0"):
        evolve(m, vals, np.ones((5, 5)), [0, 1], S=2)  # trace 5
    with pytest.raises(ModelError, match="rho0.*Hermitian"):
        evolve(m, vals, np.triu(np.ones((5, 5))) / 5, [0, 1], S=2)
    with pytest.raises(ModelError, match="rho0.*shape"):
        evolve(m, vals, np.ones(4), [0, 1], S=2)
    with pytest.raises(ModelError, match="positive"):
        evolve(m, vals, np.diag([1.5, -0.5, 0, 0, 0]), [0, 1], S=2)
    with pytest.raises(ModelError, match="N="):
        liouville_space(an.models.driven_dicke(), {"Omega": 1, "gamma_c": 1, "gamma_s": 1})
    with pytest.raises(ModelError, match="Sq"):
        evolve(m, vals, psi, [0, 1], S=2, e_ops=["Sq"])
