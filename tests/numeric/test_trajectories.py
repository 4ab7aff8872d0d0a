"""numeric.dynamics.trajectories: quantum-jump unravellings.  The ensemble average of the conditional states
must solve the master equation (numeric.dynamics.evolve, itself checked against QuTiP's mesolve), and the
click counts must have the mean r_k int <L_k^+ L_k> dt (seed 004 eqs. G1, G2)."""
import numpy as np
import pytest
from scipy.integrate import trapezoid

import analytic as an
from analytic.model import ModelError
from numeric.dynamics.evolve import evolve
from numeric.dynamics.trajectories import quantum_jumps

CRF = an.models.crf(), {"omega": 1.0, "kappa": 1.0}
N6 = 6
DD = an.models.driven_dicke(), {"Omega": 0.8 * (N6 - 1) / 4, "gamma_c": 1.0, "gamma_s": 0.5}


def _ground(n):
    v = np.zeros(n)
    v[-1] = 1.0
    return v


def _deviation(traj, ev, op) -> float:
    """Largest |trajectory mean - master equation| over t > 0, in standard errors of the mean
    (a floor of 1e-10 absolute for quantities the unravelling reproduces exactly)."""
    mean, err = traj.mean(op)
    diff = np.abs(mean[1:] - ev.expect[op][1:])
    return float(np.max(diff / (err[1:] + 1e-10 / 4.5)))


def test_seeded_reproducible_and_independent_of_ntraj():
    m, v = CRF
    t = np.linspace(0, 2, 11)
    a = quantum_jumps(m, v, _ground(7), t, ntraj=5, seed=7, e_ops=["Sz"], S=3)
    b = quantum_jumps(m, v, _ground(7), t, ntraj=3, seed=7, e_ops=["Sz"], S=3)
    c = quantum_jumps(m, v, _ground(7), t, ntraj=3, seed=8, e_ops=["Sz"], S=3)
    for i in range(3):
        assert np.array_equal(a.jump_times[i], b.jump_times[i])
        assert np.array_equal(a.expect["Sz"][i], b.expect["Sz"][i])
    assert any(len(x) != len(y) or not np.allclose(x, y) for x, y in zip(b.jump_times, c.jump_times))
    assert a.channels == ["decay"] and all(np.all(np.diff(j) > 0) for j in a.jump_times)


def test_pure_state_ensemble_solves_master_equation_crf():
    m, v = CRF
    t = np.linspace(0, 3, 16)
    tr = quantum_jumps(m, v, _ground(7), t, ntraj=1000, seed=1, e_ops=["Sz", "Sy"], S=3)
    ev = evolve(m, v, _ground(7), t, S=3, e_ops=["Sz", "Sy", "Sp*Sm"])
    assert _deviation(tr, ev, "Sz") < 4.5
    assert _deviation(tr, ev, "Sy") < 4.5
    # mean number of clicks in [0, T]: (2 kappa / S) int <S+ S-> dt  (rate of crf, seed 000 eq. 10)
    c = tr.counts("decay", [0, 3]).ravel()
    fine = evolve(m, v, _ground(7), np.linspace(0, 3, 301), S=3, e_ops=["Sp*Sm"])
    expected = trapezoid(2 / 3 * fine.expect["Sp*Sm"], fine.times)
    assert abs(c.mean() - expected) < 4 * c.std(ddof=1) / np.sqrt(len(c))


def test_pure_state_ensemble_spin_plus_cavity():
    m = an.models.open_dicke()
    p = {"omega_a": 1.0, "omega_c": 1.0, "kappa": 0.5, "g_plus": 0.4, "g_minus": 0.9}
    psi0 = np.zeros(2 * 5)
    psi0[0] = 1.0  # m = +1/2, vacuum
    t = np.linspace(0, 4, 9)
    tr = quantum_jumps(m, p, psi0, t, ntraj=400, seed=3, e_ops=["Sz", "ad*a"], S=0.5, truncation=5)
    ev = evolve(m, p, psi0, t, S=0.5, truncation=5, e_ops=["Sz", "ad*a"])
    # the dynamics is not trivial: the spin flips and photons build up and leak
    assert ev.expect["Sz"].min() < 0.2 and ev.expect["ad*a"].max() > 0.05
    assert _deviation(tr, ev, "Sz") < 4.5
    assert _deviation(tr, ev, "ad*a") < 4.5


def test_permutation_invariant_unravelling_and_counting_statistics():
    m, v = DD
    t = np.linspace(0, 3, 13)
    tr = quantum_jumps(m, v, _ground(N6 + 1), t, ntraj=400, seed=2, e_ops=["Sz", "Sp*Sm"], N=N6)
    ev = evolve(m, v, _ground(N6 + 1), t, N=N6, e_ops=["Sz", "Sp*Sm"])
    assert _deviation(tr, ev, "Sz") < 4.5
    assert _deviation(tr, ev, "Sp*Sm") < 4.5
    assert tr.channels == ["collective decay", "individual decay"]
    # seed 004 (G1), (G2): counts in a bin = gamma_s (N/2 + <Sz>) dt and gamma_c <S+S-> dt on average
    fine = evolve(m, v, _ground(N6 + 1), np.linspace(0, 3, 301), N=N6, e_ops=["Sz", "Sp*Sm"])
    edges = [0.0, 1.0, 2.0, 3.0]
    for channel, rate in (("individual decay", v["gamma_s"] * (N6 / 2 + fine.expect["Sz"])),
                          ("collective decay", v["gamma_c"] * fine.expect["Sp*Sm"])):
        counts = tr.counts(channel, edges)
        for b in range(3):
            sel = (fine.times >= edges[b]) & (fine.times <= edges[b + 1])
            expected = trapezoid(rate[sel], fine.times[sel])
            c = counts[:, b]
            assert abs(c.mean() - expected) < 4 * c.std(ddof=1) / np.sqrt(len(c)), (channel, b)


def test_partial_monitoring_still_averages_to_master_equation():
    m, v = DD
    t = np.linspace(0, 3, 7)
    tr = quantum_jumps(m, v, _ground(N6 + 1), t, ntraj=300, seed=4, e_ops=["Sz"], N=N6,
                       monitor=["individual decay"])
    ev = evolve(m, v, _ground(N6 + 1), t, N=N6, e_ops=["Sz"])
    assert _deviation(tr, ev, "Sz") < 4.5
    assert tr.channels == ["individual decay"] and tr.info["eig_error"] < 1e-9


def test_bad_input():
    m, v = DD
    t = [0.0, 1.0]
    with pytest.raises(ModelError, match="monitor.*individual"):
        quantum_jumps(m, v, _ground(N6 + 1), t, N=N6, monitor=["collective decay"])
    with pytest.raises(ModelError, match="no channel"):
        quantum_jumps(m, v, _ground(N6 + 1), t, N=N6, monitor=["individual decay", "cavity"])
    with pytest.raises(ModelError, match="ntraj"):
        quantum_jumps(m, v, _ground(N6 + 1), t, ntraj=0, N=N6)
    with pytest.raises(ModelError, match="seed"):
        quantum_jumps(m, v, _ground(N6 + 1), t, seed=-3, N=N6)
    with pytest.raises(ModelError, match="rho0.*ket"):
        quantum_jumps(*CRF, np.eye(7) / 7, t, S=3)
    tr = quantum_jumps(*CRF, _ground(7), t, S=3)
    with pytest.raises(ModelError, match="channel"):
        tr.counts("photons", [0, 1])
