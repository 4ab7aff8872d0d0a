"""Permutation-invariant numerics for N d-level atoms (numeric.pi.qudits), issue 7 items 4-5.

Checks: (4) the four Z2 x Z2 block dimensions printed in seed 001 Sec. IV and in the captions of
Figs. 7-8; (5) the symmetric-operator Liouvillian against a brute-force d^N Liouvillian built
independently (qutip, tensor products of the paper's single-atom matrices, seed 001 eqs. 1-6)
for N <= 3, d = 3, and against the qubit Dicke-basis module (numeric.pi.permutational) for d = 2;
then the purity (Fig. 7) trends of seed 001 at small N.  Figs. 6-7 at the paper's sizes (gaps of
d = 3 up to N = 18, d = 4 up to N = 9; the d = 4, N = 7 purity panel) are reproductions in
numeric.app.reproduce.paper001 (`dspins reproduce 001`), whose functions these tests use.
"""
from __future__ import annotations

import math
from functools import reduce

import numpy as np
import pytest

import analytic as an
from analytic.model import ModelError
from numeric.pi import permutational as pm
from numeric.pi import qudits as qd
from numeric.solvers.steady import steady_state
from numeric.app.reproduce.paper001 import SPECS, deep_interaction_purity, purity, purity_rise

qutip = pytest.importorskip("qutip")


# ----------------------------------------------------------------------------- brute force
def _jplus(d):
    """Seed 001 eq. (1a): j_+ = sum_m A_{j,m} |m+1><m|, A_{j,m} = sqrt((j-m)(j+m+1)); level k is m = k - j."""
    j = (d - 1) / 2
    jp = np.zeros((d, d))
    for k in range(d - 1):
        m = k - j
        jp[k + 1, k] = math.sqrt((j - m) * (j + m + 1))
    return jp


def _site(X, i, N):
    mats = [np.eye(len(X))] * N
    mats[i] = X
    return reduce(np.kron, mats)


def _coll(X, N):
    return sum(_site(X, i, N) for i in range(N))


def _lmg_full(d, N, V, gI, gC, uniform=False):
    """H, collapse operators of seed 001 eqs. (2)-(6) on (C^d)^N, as qutip objects."""
    j = (d - 1) / 2
    jp = _jplus(d)
    L = np.diag(np.full(d - 1, math.sqrt(2 * j)), 1) if uniform else jp.T  # eq. (6) / eq. (5)
    Jp = _coll(jp, N)
    Jx, Jy = (Jp + Jp.T) / 2, (Jp - Jp.T) / 2j
    dims = [[d] * N, [d] * N]
    H = qutip.Qobj(V / (N * j) * (Jx @ Jx - Jy @ Jy), dims=dims)
    cops = [qutip.Qobj(math.sqrt(gI / j) * _site(L, i, N), dims=dims) for i in range(N)]
    cops.append(qutip.Qobj(math.sqrt(gC / (N * j)) * _coll(L, N), dims=dims))
    return H, cops


def _embedding(ql):
    """Columns: the symmetric basis operators S(n), column-stacked as qutip vectorises."""
    n = ql.basis.n
    return np.array([qd.QuditState(ql, np.eye(n)[i]).density_matrix().reshape(-1, order="F")
                     for i in range(n)]).T


def _assert_spectrum_subset(ev_small, ev_big, tol):
    for e in ev_small:
        assert np.min(np.abs(ev_big - e)) < tol, e


# ----------------------------------------------------------------------------- item 4
def test_sector_dimensions_seed001():
    # seed 001 Sec. IV: "exact values of the four block dimensions"
    assert qd.sector_dimensions(150, 2) == (149226, 143450, 146300, 146300)
    assert qd.sector_dimensions(6, 5) == (149535, 147580, 148330, 148330)
    # Fig. 7/8 captions: (+1,+1) block up to 30 087 (N = d = 5) and 43 186 (N = 7, d = 4)
    assert qd.sector_dimensions(5, 5)[0] == 30087
    assert qd.sector_dimensions(7, 4)[0] == 43186
    for N, d in ((150, 2), (6, 5), (4, 3)):
        assert sum(qd.sector_dimensions(N, d)) == math.comb(N + d * d - 1, N)


@pytest.mark.parametrize("N,d", [(1, 3), (3, 3), (4, 2), (2, 4)])
def test_blocks_have_the_counted_dimensions(N, d):
    """The blocks the solver uses are invariant, orthonormal and as large as sector_dimensions."""
    ql = qd.from_model(an.models.lmg(d=d), {"V": 1.0, "gamma_I": 0.6, "gamma_C": 0.3}, N)
    b = ql.basis
    assert b.n == math.comb(N + d * d - 1, N)
    assert np.array_equal(b.rank(b.occ), np.arange(b.n))
    assert ql.sectors == list(qd.SECTORS)
    dims, cols = [], []
    for s in ql.sectors:
        B = ql.sector_basis(s).toarray()
        assert np.allclose(B.conj().T @ B, np.eye(B.shape[1]), atol=1e-14)
        LB = ql.L @ B
        assert np.abs(LB - B @ (B.conj().T @ LB)).max() < 1e-12 * ql.scale  # invariant subspace
        dims.append(B.shape[1])
        cols.append(B)
    assert tuple(dims) == qd.sector_dimensions(N, d)
    full = np.hstack(cols)
    assert np.allclose(full.conj().T @ full, np.eye(b.n), atol=1e-14)  # the four blocks span everything


# ----------------------------------------------------------------------------- item 5: brute force
@pytest.mark.parametrize("N", [1, 2, 3])
@pytest.mark.parametrize("dissipator", ["ladder", "uniform"])
def test_lmg_d3_equals_brute_force(N, dissipator):
    d = 3
    rng = np.random.default_rng(N)
    V, gI, gC = rng.uniform(0.5, 1.5), rng.uniform(0.2, 2.0), rng.uniform(0.2, 2.0)
    ql = qd.from_model(an.models.lmg(d=d, dissipator=dissipator), {"V": V, "gamma_I": gI, "gamma_C": gC}, N)
    H, cops = _lmg_full(d, N, V, gI, gC, uniform=dissipator == "uniform")
    Lf = qutip.liouvillian(H, cops).full()
    E = _embedding(ql)
    assert np.abs(E.conj().T @ E - np.eye(ql.basis.n)).max() < 1e-13  # isometry
    # the symmetric operators are invariant and L_PI is the restriction: L_full E = E L_PI
    assert np.abs(Lf @ E - E @ ql.L.toarray()).max() < 1e-12 * ql.scale
    ev_pi = np.linalg.eigvals(ql.L.toarray())
    if N <= 2:  # (implied by L_full E = E L_PI; the dense 729 x 729 spectrum of N = 3 is slow here)
        _assert_spectrum_subset(ev_pi, np.linalg.eigvals(Lf), 1e-9 * ql.scale)
    ev_sec = np.concatenate([np.linalg.eigvals(ql.sector_matrix(s).toarray()) for s in ql.sectors])
    assert len(ev_sec) == len(ev_pi)
    _assert_spectrum_subset(ev_sec, ev_pi, 1e-9 * ql.scale)
    _assert_spectrum_subset(ev_pi, ev_sec, 1e-9 * ql.scale)
    # steady state, purity, negativity, collective moments
    st = qd.solve_qudits(ql)
    rho_f = qutip.steadystate(H, cops).full()
    rho = st.density_matrix()
    assert np.abs(rho - rho_f).max() < 1e-10
    assert abs(st.purity() - np.trace(rho_f @ rho_f).real) < 1e-10
    Jp = _coll(_jplus(d), N)
    Jz = _coll(np.diag(np.arange(d) - (d - 1) / 2), N)
    Jx = (Jp + Jp.T) / 2
    assert abs(st.expect("Sz") - np.trace(rho_f @ Jz)) < 1e-10
    assert abs(st.expect("Sx*Sx") - np.trace(rho_f @ Jx @ Jx)) < 1e-10
    assert abs(st.expect("Sx")) < 1e-12  # Pi_1 symmetric steady state
    if N >= 2:
        NA = (N + 1) // 2
        dims = [[d] * N, [d] * N]
        pt = qutip.partial_transpose(qutip.Qobj(rho_f, dims=dims), [0] * NA + [1] * (N - NA)).full()
        ev = np.linalg.eigvalsh(pt)
        assert abs(st.negativity() - (-ev[ev < 0].sum())) < 1e-10


def test_uniform_equals_ladder_for_d3():
    # seed 001 after eq. (6): L_spin and L_= coincide for d = 2, 3 (not for d >= 4)
    vals = {"V": 1.0, "gamma_I": 0.9, "gamma_C": 0.4}
    for d, same in ((3, True), (4, False)):
        A = qd.from_model(an.models.lmg(d=d, dissipator="ladder"), vals, 2).L
        B = qd.from_model(an.models.lmg(d=d, dissipator="uniform"), vals, 2).L
        assert (abs(A - B).max() < 1e-14) == same


@pytest.mark.parametrize("N", [2, 3])
def test_generic_model_equals_brute_force(N):
    """Random collective polynomials and individual jumps (raw interface, no symmetry)."""
    d = 3
    rng = np.random.default_rng(10 + N)
    rnd = lambda: rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    A, Bm, C, X, Y, Z, W = (rnd() for _ in range(7))
    c = 0.3 + 0.8j
    H = [(c, (A, Bm)), (np.conj(c), (Bm.conj().T, A.conj().T)), (1.0, (C + C.conj().T,))]
    coll = [(0.7, [(1.0, (X,)), (0.4, (Y, Z))])]
    ind = [(0.9, W), (0.2, Y)]
    ql = qd.QuditLiouvillian(N, d, H, coll, ind)
    assert ql.sectors == [None]
    dims = [[d] * N, [d] * N]
    J = lambda M: _coll(M, N)
    Hf = c * J(A) @ J(Bm)
    Hf = Hf + Hf.conj().T + J(C + C.conj().T)
    cops = [qutip.Qobj(math.sqrt(0.7) * (J(X) + 0.4 * J(Y) @ J(Z)), dims=dims)]
    for r, M in ind:
        cops += [qutip.Qobj(math.sqrt(r) * _site(M, i, N), dims=dims) for i in range(N)]
    Lf = qutip.liouvillian(qutip.Qobj(Hf, dims=dims), cops).full()
    E = _embedding(ql)
    assert np.abs(Lf @ E - E @ ql.L.toarray()).max() < 1e-12 * ql.scale
    st = qd.solve_qudits(ql)
    rho_f = qutip.steadystate(qutip.Qobj(Hf, dims=dims), cops).full()
    assert np.abs(st.density_matrix() - rho_f).max() < 1e-10
    assert abs(st.expect([(1.0, (X, Y))]) - np.trace(rho_f @ J(X) @ J(Y))) < 1e-10
    assert abs(st.expect(Z) - np.trace(rho_f @ J(Z))) < 1e-10


def test_qubits_agree_with_dicke_basis_module():
    """d = 2: the symmetric-operator basis and numeric.pi.permutational's Dicke blocks (independent
    constructions) give the same sector gaps, purity and moments."""
    m = an.models.lmg(d=2)
    vals = {"V": 1.0, "gamma_I": 0.7, "gamma_C": 0.4}
    N = 6
    ql = qd.from_model(m, vals, N)
    st, ref = qd.solve_qudits(ql), steady_state(m, vals, N=N)
    assert abs(st.purity() - ref.purity()) < 1e-10
    for op in ("Sz", "Sx*Sx", "Sp*Sm"):
        assert abs(st.expect(op) - ref.expect(op)) < 1e-9
    for s in ql.sectors:
        assert abs(qd.gap_qudits(ql, s) - pm.gap_pi(m, vals, N, sector=s)) < 1e-8


# ----------------------------------------------------------------------------- Fig. 7: purity
_PURITY_RANGE = next(s.criterion for s in SPECS if s.key == "fig7.purity_scaled.panels")


@pytest.mark.parametrize("d,N", [(2, 5), (2, 7), (3, 5)])
def test_fig7_purity_deep_in_interaction_phase(d, N):
    # seed 001 Sec. V: for N, d as in Fig. 7 at gamma_I = gamma_C = 0.35 |V|, d^N Tr rho^2 in [3.41, 14.22]
    # (criterion of paper001: within half a unit of the last printed digit)
    for diss in ("ladder", "uniform") if d >= 4 else ("ladder",):
        x = deep_interaction_purity(d, N, diss)
        assert _PURITY_RANGE.holds(x, None) and 3.41 - 0.005 <= x <= 14.22 + 0.005, (d, N, diss, x)


@pytest.mark.parametrize("d,N", [(2, 5), (3, 5)])
def test_fig7_almost_pure_deep_in_dissipative_phase(d, N):
    # Fig. 7: Tr rho^2 -> 1 (the V = 0 steady state is the pure |-j>^N) far above gamma_I + gamma_C = 2|V|
    assert 0.9 < purity(d, N, 3.0, 3.0) < 1.0


def test_fig7_purity_rise_sharpens_with_N_qubits():
    # Fig. 7 d = 2 column: the rise across the transition (purity ratio at gamma_C = 0.2|V|,
    # gamma_I + gamma_C = 2.5 vs 1.5) is sharper for N = 7 than for N = 5
    assert purity_rise(2, 7) > purity_rise(2, 5) > 1.2


def test_arnoldi_steady_state_equals_the_direct_solve(monkeypatch):
    """Blocks above the dense size are solved by Arnoldi (rightmost eigenvalue 0) and their gaps
    taken from the rightmost eigenvalues: the same state as the dense LU of the trace-augmented
    block, the same gap as dense diagonalisation (sizes lowered here to force the Arnoldi path on
    d = 3, N = 6: blocks of ~1000 unknowns)."""
    from numeric.solvers import eigs

    ql = qd.from_model(an.models.lmg(d=3), {"V": 1.0, "gamma_I": 1.3, "gamma_C": 0.2}, 6)
    monkeypatch.setattr(eigs, "DENSE_MAX", 1500)  # the reference gaps: dense diagonalisation
    direct = qd.solve_qudits(ql)
    gaps = {s: qd.gap_qudits(ql, s) for s in ((1, 1), (-1, 1))}
    monkeypatch.setattr(qd, "_DENSE_SOLVE", 100)
    monkeypatch.setattr(eigs, "DENSE_MAX", 100)
    arnoldi = qd.solve_qudits(ql)
    assert arnoldi.residual < 1e-10 * ql.scale
    assert np.max(np.abs(arnoldi.c - direct.c)) < 1e-10
    for s, g in gaps.items():
        assert qd.gap_qudits(ql, s) == pytest.approx(g, rel=1e-9), s


# ----------------------------------------------------------------------------- bad input
def test_bad_input():
    X = np.diag([1.0, 0.0, 0.0])
    with pytest.raises(ModelError, match="N must be"):
        qd.QuditLiouvillian(0, 3)
    with pytest.raises(ModelError, match="d must be"):
        qd.sector_dimensions(3, 1)
    with pytest.raises(ModelError, match="not Hermitian"):
        qd.QuditLiouvillian(2, 3, hamiltonian=[(1.0, (np.triu(np.ones((3, 3))),))])
    with pytest.raises(ModelError, match="rate"):
        qd.QuditLiouvillian(2, 3, individual=[(-1.0, X)])
    with pytest.raises(ModelError, match="3x3"):
        qd.QuditLiouvillian(2, 3, individual=[(1.0, np.eye(2))])
    with pytest.raises(ModelError, match="hamiltonian must be"):
        qd.QuditLiouvillian(2, 3, hamiltonian=[1.0])
    ql = qd.from_model(an.models.lmg(d=3), {"V": 1.0, "gamma_I": 1.0, "gamma_C": 0.0}, 2)
    with pytest.raises(ModelError, match="sector"):
        ql.sector_basis((1, 2))
    st = qd.solve_qudits(ql)
    with pytest.raises(ModelError, match="NA"):
        st.negativity(NA=2)
    raw = qd.QuditLiouvillian(2, 3, individual=[(1.0, np.diag([1.0, 1.0], 1))])
    pure = qd.solve_qudits(raw)  # decay to level 0: the pure state |0><0|^N
    assert abs(pure.purity() - 1) < 1e-12 and abs(pure.expect(np.diag([1.0, 0, 0])) - 2) < 1e-12
    with pytest.raises(ModelError, match="from_model"):
        pure.expect("Sz")
    with pytest.raises(ModelError, match="missing value"):
        qd.from_model(an.models.lmg(d=3), {"V": 1.0}, 2)
    with pytest.raises(ModelError, match="d\\*\\*N"):
        ql13 = qd.from_model(an.models.lmg(d=2), {"V": 1.0, "gamma_I": 1.0, "gamma_C": 0.0}, 13)
        qd.QuditState(ql13, np.eye(ql13.basis.n)[0]).density_matrix()


def test_qudits_go_through_the_one_entry_point():
    """Rule 6 of issue 18: ``numeric.steady_state(model, values, N=)`` routes a d-level ensemble to the
    qudit solver, ``d=2`` a qubit model; ``steady_state_qudits`` is a deprecated alias; ``dps`` is refused."""
    import analytic as an
    vals = {"V": "1.3", "gamma_I": "0.7", "gamma_C": "0.9"}
    st = steady_state(an.models.lmg(d=3), vals, N=3)
    ql = qd.from_model(an.models.lmg(d=3), vals, 3)
    with pytest.warns(DeprecationWarning, match=r"numeric\.steady_state\(model, values, N="):
        old = qd.steady_state_qudits(ql)
    assert isinstance(st, qd.QuditState) and np.allclose(st.c, old.c, atol=1e-12)
    dd, v = an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.3}
    q2 = steady_state(dd, v, N=4, d=2)
    assert isinstance(q2, qd.QuditState)
    assert q2.expect("Sz") == pytest.approx(steady_state(dd, v, N=4).expect("Sz"), abs=1e-10)
    with pytest.raises(ModelError, match="d=3, but model"):
        steady_state(dd, v, N=4, d=3)
    with pytest.raises(NotImplementedError, match="float64 only"):
        steady_state(an.models.lmg(d=3), vals, N=3, dps=30)
    with pytest.raises(ModelError, match="needs the number of atoms N="):
        steady_state(an.models.lmg(d=3), vals)
