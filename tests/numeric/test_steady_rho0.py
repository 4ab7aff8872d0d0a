"""Issue 17, "Uniqueness": a non-unique steady state is refused with the way out ``rho0=``, and
``steady_state(..., rho0=...)`` returns the steady state reached from that initial state,
:math:`\\rho_\\infty = \\lim_{T\\to\\infty} T^{-1}\\int_0^T e^{\\mathcal L t}\\rho_0\\,dt`, the projection of
rho0 onto the kernel of the Liouvillian along the conserved quantities (left kernel)."""
import numpy as np
import pytest
import scipy.linalg as sla
import sympy as sp

import analytic as an
import numeric
from analytic.algebra import Spin
from analytic.model import Dissipator, Model
from numeric import SolverError, steady_state

HALVES = an.models.open_dicke_halves()
# resonant, strong coupling: the slowest decay rate is about 0.023, so e^{L t} rho0 at t = 900 is
# converged to ~1e-9 (measured: 4e-7 at t = 400, a factor 10 per 100).  Both sides use the same
# truncated Liouvillian (truncation 4; the top Fock level holds ~3e-4, accepted by truncation_tol)
HALVES_VALUES = dict(omega_a="0.9", omega_c="0.9", kappa="1.3", g_minus="1.7", g_plus="0.3")


def _random_state(d, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    rho = X @ X.conj().T
    return rho / np.trace(rho).real


def _dephasing(S):
    """H = w Sz + chi Sz^2, jump Sz at rate g: Sz is a strong symmetry, every diagonal state is
    stationary and the coherence rho_mn decays at g (m - n)^2 / 2."""
    s = Spin("", sp.Symbol("S", positive=True))
    w, chi, g = (sp.Symbol(n, real=True) for n in ("w", "chi", "g"))
    return Model("dephasing", {"w": w, "chi": chi, "g": g}, (s,), s.z * w + s.z * s.z * chi, (Dissipator(s.z, g),))


def _check_state(st, tol=1e-12):
    rho = st.rho
    assert abs(np.trace(rho) - 1) < tol
    assert np.abs(rho - rho.conj().T).max() < tol
    assert np.linalg.eigvalsh(rho).min() > -tol
    assert st.residual < 1e-12 and st.info["residual"] == st.residual


def _halves_against_evolution(seed) -> tuple:
    """``(state from rho0=, max |rho_inf - e^{900 L} rho0|)`` for a random initial state of open_dicke_halves."""
    rho0 = _random_state(36, seed)
    st = steady_state(HALVES, HALVES_VALUES, S=2, truncation=4, rho0=rho0, truncation_tol=1e-2)
    ev = numeric.evolve(HALVES, HALVES_VALUES, rho0, [0, 900], S=2, truncation=4, progress=False)
    return st, float(np.abs(ev.final.rho - st.rho).max())


def test_open_dicke_halves_from_two_initial_states_equals_long_time_evolution():
    """Defect 2 with its way out: open_dicke_halves (kernel dimension 3, one steady state per total-spin
    sector) from a random initial state: rho0= gives the state e^{L t} rho0 reaches at t = 900
    (numeric.dynamics.evolve, expm_multiply: an independent algorithm) to 1e-8; from a second initial state the
    result differs (compared with the evolution in the slow test below)."""
    first, error = _halves_against_evolution(3)
    _check_state(first)
    assert first.info["kernel_dim"] == 3 and error < 1e-8
    second = steady_state(HALVES, HALVES_VALUES, S=2, truncation=4, rho0=_random_state(36, 4), truncation_tol=1e-2)
    assert np.abs(first.rho - second.rho).max() > 1e-3


@pytest.mark.slow
def test_open_dicke_halves_second_initial_state_equals_long_time_evolution():
    """The second initial state of the test above also reaches the projected state (1e-8 at t = 900)."""
    second, error = _halves_against_evolution(4)
    _check_state(second)
    assert second.info["kernel_dim"] == 3 and error < 1e-8


def test_open_dicke_halves_conserves_the_total_spin_sector_weights():
    """The conserved quantities of open_dicke_halves are the projectors P_s onto total spin s = 0, 1, 2
    of the two halves (Clebsch-Gordan, from the eigenvectors of (S_a + S_b)^2 by numpy): the sector
    weights Tr(P_s rho_inf) equal Tr(P_s rho0), and rho_inf has no coherence between sectors."""
    rho0 = _random_state(36, 5)
    st = steady_state(HALVES, HALVES_VALUES, S=2, truncation=4, rho0=rho0, truncation_tol=1e-2)
    S2 = st.rep.matrix(HALVES.operator("(Sx_a + Sx_b)**2 + (Sy_a + Sy_b)**2 + (Sz_a + Sz_b)**2"), st.values).toarray()
    lam, U = np.linalg.eigh(S2)
    projectors = [U[:, np.abs(lam - s * (s + 1)) < 1e-9] for s in (0, 1, 2)]
    assert sum(P.shape[1] for P in projectors) == 36
    for P in projectors:
        Pr = P @ P.conj().T
        assert np.trace(Pr @ st.rho).real == pytest.approx(np.trace(Pr @ rho0).real, abs=1e-12)
    for i in range(3):
        for j in range(i + 1, 3):
            assert np.abs(projectors[i].conj().T @ st.rho @ projectors[j]).max() < 1e-12


@pytest.mark.parametrize("S", [2, 9])  # 25 unknowns: dense SVD; 361: block inverse iteration, kernel dimension 19
def test_dephasing_keeps_the_diagonal_of_rho0(S):
    """A strong U(1) symmetry (H = w Sz + chi Sz^2, jump Sz): every coherence decays, every population
    is conserved, so rho_inf = diag(rho0) in the Sz basis exactly."""
    d = int(2 * S + 1)
    rho0 = _random_state(d, 7)
    st = steady_state(_dephasing(S), {"w": "0.7", "chi": "0.3", "g": "1.3"}, S=S, rho0=rho0)
    _check_state(st)
    assert st.info["kernel_dim"] == d
    assert np.abs(st.rho - np.diag(np.diag(rho0))).max() < 1e-12


@pytest.mark.parametrize("S", [3, pytest.param(20, marks=pytest.mark.slow)])  # 49 unknowns: dense SVD; 1681: blocks 8 -> 64
def test_no_dissipation_dephases_rho0_in_the_eigenbasis_of_H(S):
    """crf at kappa = 0 (refused without rho0): every function of H is stationary and the time average of
    e^{-iHt} rho0 e^{iHt} is sum_k P_k rho0 P_k over the eigenprojectors of H = omega Sx (nondegenerate,
    omega = 1.3: numpy's eigh as the oracle); the kernel has dimension 2S + 1."""
    crf = an.models.crf()
    values = {"omega": "1.3", "kappa": 0}
    with pytest.raises(SolverError, match="not unique.*no dissipation"):
        steady_state(crf, values, S=S)
    rho0 = _random_state(2 * S + 1, 11)
    st = steady_state(crf, values, S=S, rho0=rho0)
    H = st.rep.matrix(crf.hamiltonian, st.values).toarray()
    lam, U = np.linalg.eigh(H)
    assert np.diff(lam).min() > 1e-3
    expected = U @ np.diag(np.diag(U.conj().T @ rho0 @ U)) @ U.conj().T
    assert np.abs(st.rho - expected).max() < 1e-12
    assert st.info["kernel_dim"] == 2 * S + 1


@pytest.mark.parametrize("S", [3, 17])
def test_unique_steady_state_is_reached_from_any_initial_state(S):
    """crf (unique steady state): rho0 = |S, S> and a random state both give the plain solve's state."""
    crf = an.models.crf()
    values = {"omega": "1.3", "kappa": "0.9"}
    plain = steady_state(crf, values, S=S)
    d = 2 * S + 1
    up = np.zeros(d)
    up[0] = 1.0
    for rho0 in (up, _random_state(d, 13)):
        st = steady_state(crf, values, S=S, rho0=rho0)
        _check_state(st)
        assert st.info["kernel_dim"] == 1
        assert np.abs(st.rho - plain.rho).max() < 1e-11


def test_refusal_names_rho0_and_rho0_with_dps_is_not_implemented():
    values = dict(omega_a="0.9", omega_c="1.3", kappa="0.7", g_minus="0.3", g_plus="0.3")
    with pytest.raises(SolverError, match=r"not unique.*dimension at least 3.*Way out: pass rho0="):
        steady_state(HALVES, values, S=2, truncation=6)
    with pytest.raises(SolverError, match=r"charge Q = Sz.*Way out: pass rho0="):
        steady_state(_dephasing(2), {"w": "0.7", "chi": "0.3", "g": "1.3"}, S=2)
    with pytest.raises(NotImplementedError, match="float64 only; pass dps=None"):
        steady_state(an.models.crf(), {"omega": "1.3", "kappa": "0.9"}, S=3, dps=30, rho0=np.eye(7) / 7)


def test_bad_rho0_is_refused_by_the_parser_of_evolve():
    from analytic.model import ModelError

    with pytest.raises(ModelError, match="rho0.*Hermitian"):
        steady_state(an.models.crf(), {"omega": "1.3", "kappa": "0.9"}, S=1, rho0=np.triu(np.ones((3, 3))) / 3)
    with pytest.raises(ModelError, match="rho0 has shape"):
        steady_state(an.models.crf(), {"omega": "1.3", "kappa": "0.9"}, S=1, rho0=np.ones(5))


def test_permutational_collective_only_dynamics_keeps_each_j_block():
    """N = 4 atoms (N= solver) with collective decay and drive only (driven_dicke at gamma_s = 0): the
    total spin j is conserved, one steady state per block 2j = 4, 2, 0 (refused without rho0).  From
    weighted blocks x_j of traces w_j the state keeps every w_j and relaxes inside each block to the
    collective steady state of spin j: crf at S = j with omega = 2 Omega and kappa = gamma_c j / 2
    (H = 2 Omega Sx, rate gamma_c = 2 kappa / S on D[S-]), solved independently by the collective solver."""
    dd = an.models.driven_dicke()
    values = {"Omega": "0.9", "gamma_c": "1.3", "gamma_s": 0}
    with pytest.raises(SolverError, match=r"steady_state_pi.*not unique.*Way out: pass rho0="):
        steady_state(dd, values, N=4)
    weights = (0.5, 0.3, 0.2)
    blocks = [w * _random_state(d, 20 + d) for w, d in zip(weights, (5, 3, 1))]
    x0 = np.concatenate([B.reshape(-1, order="F") for B in blocks])
    st = steady_state(dd, values, N=4, rho0=x0)
    assert st.info["kernel_dim"] == 3 and st.residual < 1e-12
    crf = an.models.crf()
    for B, w, j, kappa in zip(st.basis.blocks(st.x), weights, (2, 1), ("1.3", "0.65")):
        ref = steady_state(crf, {"omega": "1.8", "kappa": kappa}, S=j).rho
        assert np.abs(B - w * ref).max() < 1e-12
    assert st.basis.blocks(st.x)[2][0, 0].real == pytest.approx(0.2, abs=1e-14)


@pytest.mark.parametrize("N", [5, 12])  # 56 complex unknowns: dense SVD; 455: block inverse iteration
def test_permutational_unique_steady_state_is_reached_from_the_symmetric_ket(N):
    """driven_dicke with individual decay (unique steady state): rho0 = |N/2, N/2> gives the plain solve."""
    dd = an.models.driven_dicke()
    values = {"Omega": "0.9", "gamma_c": "1.3", "gamma_s": "0.4"}
    plain = steady_state(dd, values, N=N)
    up = np.zeros(N + 1)
    up[0] = 1.0
    st = steady_state(dd, values, N=N, rho0=up)
    assert st.info["kernel_dim"] == 1
    assert np.abs(st.x - plain.x).max() < 1e-11
    with pytest.raises(NotImplementedError, match="float64 only"):
        steady_state(dd, values, N=N, rho0=up, dps=20)


def _x_dephasing():
    """H = w Sx, jump Sx: Sx is a strong symmetry that is not a U(1) charge of the basis (not detected
    structurally); every function of Sx is stationary (kernel dimension 2S + 1)."""
    s = Spin("", sp.Symbol("S", positive=True))
    w, g = sp.Symbol("w", real=True), sp.Symbol("g", real=True)
    return Model("x_dephasing", {"w": w, "g": g}, (s,), s.x * w, (Dissipator(s.x, g),))


def test_stationary_states_outside_the_solved_sector_are_found():
    """Item 4 of the uniqueness contract: at S = 1/2 the even sector of the parity symmetry solved for holds
    only 1/2 (old: returned as the unique steady state); on the full space the kernel is span(1, Sx):
    refused with dimension 2.  At S = 1 the sector has 2 of the 3 dimensions: the message says 3.
    From rho0 = |S, S> (Sx-populations 1/4, 1/2, 1/4 at S = 1) rho_inf is the Sx-diagonal part of rho0."""
    m, values = _x_dephasing(), {"w": "0.7", "g": "1.3"}
    with pytest.raises(SolverError, match=r"not unique.*dimension 2;.*outside the symmetry sector.*rho0="):
        steady_state(m, values, S=sp.Rational(1, 2))
    with pytest.raises(SolverError, match=r"not unique.*dimension 3;.*outside the symmetry sector"):
        steady_state(m, values, S=1)
    st = steady_state(m, values, S=1, rho0=np.array([1.0, 0, 0]))
    Sx = st.rep.matrix(m.operator("Sx"), st.values).toarray()
    lam, U = np.linalg.eigh(Sx)
    rho0 = np.diag([1.0, 0, 0])
    expected = U @ np.diag(np.diag(U.conj().T @ rho0 @ U)) @ U.conj().T
    assert np.abs(st.rho - expected).max() < 1e-12
    assert np.allclose(np.sort(np.diag(U.conj().T @ st.rho @ U).real), [0.25, 0.25, 0.5], atol=1e-12)


def test_rho0_solve_estimates_memory_first():
    from numeric.core.resources import ResourceError

    with pytest.raises(ResourceError, match=r"steady_state\(rho0=...\): estimated peak memory"):
        steady_state(an.models.crf(), {"omega": "1.3", "kappa": "0.9"}, S=40, rho0=np.eye(81)[0], max_memory="1MB")


def test_permutational_stationary_states_outside_the_solved_sector_are_found():
    """N= solver, N = 1: H = w Sx with the collective jump Sx (individual dephasing at rate 0 makes it a
    permutation-invariant model).  The sector solved for (Pi_2) holds only 1/2 (old: returned as unique);
    the full kernel is span(1, Sx): refused with dimension 2.  From the ket cos(a)|up> + sin(a)|down>
    the state keeps its Sx-populations: rho_inf = 1/2 + sin(2a) Sx."""
    from analytic.algebra import Atoms

    at = Atoms("", sp.Symbol("N", positive=True))
    w, g, h = sp.Symbol("w", real=True), sp.Symbol("g", real=True), sp.Symbol("h", real=True)
    m = Model("x_dephasing_atoms", {"w": w, "g": g, "h": h}, (at,), at.x * w,
              (Dissipator(at.x, g, "collective", "x"), Dissipator(at.local("sz"), h, "individual", "z")))
    values = {"w": "0.7", "g": "1.3", "h": 0}
    with pytest.raises(SolverError, match=r"steady_state_pi.*not unique.*dimension 2;.*outside the symmetry sector"):
        steady_state(m, values, N=1)
    a = 0.3
    st = steady_state(m, values, N=1, rho0=np.array([np.cos(a), np.sin(a)]))
    expected = np.array([[0.5, np.sin(2 * a) / 2], [np.sin(2 * a) / 2, 0.5]])
    assert np.abs(st.basis.blocks(st.x)[0] - expected).max() < 1e-13
