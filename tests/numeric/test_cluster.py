"""Cluster mean-field theory of the gain-loss chain (seed 002 Appendix B, eqs. B1-B5; Fig. 7a).

Printed (B3) misprints (found by building the cluster from the model): the g-bond sum runs to
N_C - 1 and the second boundary term reads (g/S)<S_{b,1}> S_{a,N_C}.  A cluster of the N_C cells
1..N_C holds N_C intra-cell g bonds and its right boundary is the h bond b_{N_C} - a_{N_C+1},
i.e. (h/S)(<S^x_{a,1}> S^x_{b,N_C} + <S^y_{a,1}> S^y_{b,N_C}).  With N_C = 1 the printed form
would have no exact g coupling at all; test_one_cell_cluster_at_h0_is_the_exact_dimer shows the
derived boundary (no field at h = 0, the cell solved exactly).
"""
import numpy as np
import pytest
from scipy.integrate import solve_ivp

import analytic as an
from analytic import meanfield as mf
from analytic.model import ModelError
from numeric.semiclassical.cluster import Cluster, ClusterError, cluster_steady_state, coherent_product, lattice_terms
from numeric.solvers.steady import steady_state

CHAIN = an.models.gain_loss_chain()


def test_lattice_terms_of_the_chain():
    """The chain is one g bond (a_n, b_n) and one h bond (b_n, a_{n+1}) per cell, each once with the
    model's coefficient g/(2S), h/(2S); gain S+ on offset 0, loss S- on offset 1."""
    lt = lattice_terms(CHAIN)
    g, h, S = (CHAIN.symbol(k) for k in ("g", "h", "S"))
    assert lt.hamiltonian == {((0, "p"), (1, "m")): g / (2 * S), ((0, "m"), (1, "p")): g / (2 * S),
                              ((2, "m"), (1, "p")): h / (2 * S), ((2, "p"), (1, "m")): h / (2 * S)}
    assert [(o, str(r), list(t)) for o, r, t in lt.dissipators] == [
        (0, "Gamma_g/S", [((0, "p"),)]), (1, "Gamma_l/S", [((0, "m"),)])]


def _random_state(d, rng):
    x = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    r = x @ x.conj().T
    return r / np.trace(r)


def _meanfield_at(cl, vecs, eqs, vals):
    var = mf.variables(CHAIN)
    point = {var[f"s{c}_{k}"]: cl.site_expect(vecs, site, c).real / cl.S for site, k in ((0, "a"), (1, "b"))
             for c in "xyz"}
    sub = {**{CHAIN.symbol(k): v for k, v in vals.items()}, CHAIN.symbol("S"): cl.S}
    return {name: float(e.subs(sub).subs(point)) for name, e in eqs.items()}


def test_single_site_couplings_are_the_meanfield_equations_exactly():
    """n_C = 1 (one spin per cluster): without dissipation the cluster derivatives of <S>/S equal
    the engine's mean-field equations at the state's means for any product state (here random
    mixed states, S = 2): the bonds factorise exactly."""
    vals = {"g": 1.0, "h": 0.7, "Gamma_g": 0.0, "Gamma_l": 0.0}
    cl = Cluster(CHAIN, vals, 2, 1)
    assert cl.types == 2  # a- and b-sites are two single-site states
    rng = np.random.default_rng(1)
    vecs = cl.product([_random_state(5, rng), _random_state(5, rng)])
    mfv = _meanfield_at(cl, vecs, mf.equations(CHAIN), vals)
    for site, k in ((0, "a"), (1, "b")):
        d = cl.derivatives(vecs, site)
        for c in "xyz":
            assert d[f"s{c}"] == pytest.approx(mfv[f"s{c}_{k}"], abs=1e-13)


def test_single_site_cluster_converges_to_meanfield_like_one_over_S():
    """With gain and loss, in spin-coherent product states the n_C = 1 derivatives approach the
    mean-field equations (thermodynamic limit) with error ~ S^-1: fitted exponent 1.00."""
    vals = {"g": 1.0, "h": 0.7, "Gamma_g": 0.9, "Gamma_l": 1.4}
    eqs = mf.equations(CHAIN, thermodynamic_limit=True)
    na, nb = np.array([0.3, -0.5, 0.6]), np.array([-0.2, 0.4, -0.7])
    dirs = [na / np.linalg.norm(na), nb / np.linalg.norm(nb)]
    sizes = [4, 8, 16, 32]
    errs = []
    for S in sizes:
        cl = Cluster(CHAIN, vals, S, 1)
        vecs = cl.product(coherent_product(S, dirs))
        mfv = _meanfield_at(cl, vecs, eqs, vals)
        errs.append(max(abs(cl.derivatives(vecs, site)[f"s{c}"] - mfv[f"s{c}_{k}"])
                        for site, k in ((0, "a"), (1, "b")) for c in "xyz"))
    p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
    assert np.all(np.diff(errs) < 0)
    assert p == pytest.approx(1.0, abs=0.05), (p, errs)


def test_one_cell_cluster_at_h0_is_the_exact_dimer():
    """Two sites (one cell) at h = 0: no boundary field remains and the cluster steady state is the
    exact dimer steady state of numeric.steady_state (S = 2): <Sz_a>, <Sz_b> to 1e-7."""
    vals = {"g": 1.0, "h": 0.0, "Gamma_g": 0.8, "Gamma_l": 0.5}
    st = cluster_steady_state(CHAIN, vals, 2, 2, progress=False)
    ex = steady_state(an.models.gain_loss_dimer(), {"g": 1.0, "Gamma_g": 0.8, "Gamma_l": 0.5}, S=2)
    assert st.expect("z", 0).real == pytest.approx(ex.expect("Sz_a"), abs=1e-7)
    assert st.expect("z", 1).real == pytest.approx(ex.expect("Sz_b"), abs=1e-7)
    assert st.transverse() < 1e-7  # the exact state keeps the U(1) symmetry
    assert st.residual <= 1e-9 * st.info["scale"]


GRID = (0.5, 1.0, 1.5, 2.5)


def _broken(sites, G, S=1.5):
    st = cluster_steady_state(CHAIN, {"g": 1.0, "h": 1.0, "Gamma_g": G, "Gamma_l": G}, S, sites, dt=1.0,
                              progress=False)
    # PT symmetry of the symmetric line (seed 002 eqs. B4-B5): the first a-site and its mirror
    # b-site (the last site of the cluster, or the first of the next cluster type) are opposite
    partner = sites if sites % 2 else sites - 1
    assert st.expect("z", 0).real == pytest.approx(-st.expect("z", partner).real, abs=1e-6)
    return st.transverse() / S


def test_fig7a_broken_symmetry_region_shrinks_from_one_to_two_sites():
    """Seed 002 Fig. 7(a), S = 3/2, h = g, Gamma_g = Gamma_l = Gamma: starting along x, n_C = 1
    keeps <S_perp>/S = 0.52, 0.70, 0.76 at Gamma/g = 0.5, 1, 1.5 and restores the symmetry only
    in the AM phase (2.5); n_C = 2 restores it already at 0.5 and keeps 0.42, 0.58 at 1, 1.5."""
    perp = {n: [_broken(n, G) for G in GRID] for n in (1, 2)}
    broken = {n: {G for G, p in zip(GRID, perp[n]) if p > 1e-3} for n in perp}
    symmetric = {n: {G for G, p in zip(GRID, perp[n]) if p < 1e-5} for n in perp}
    assert broken[1] == {0.5, 1.0, 1.5} and symmetric[1] == {2.5}
    assert broken[2] == {1.0, 1.5} and symmetric[2] == {0.5, 2.5}
    assert np.all(np.array(perp[2][1:3]) < np.array(perp[1][1:3]))


def test_fig7a_three_sites_restore_the_symmetry_at_gamma_g():
    """n_C = 3 at Gamma = g (S = 3/2): symmetric (<S_perp> < 1e-5 S), where n_C = 1, 2 break it.
    (Newton: 9 steps, a few seconds; the fixed-step march it replaced took ~16 minutes.)"""
    assert _broken(3, 1.0) < 1e-5


def _aligned(cl, vecs, target):
    """``vecs`` rotated about z (exp(-i theta Q) rho exp(i theta Q), Q = sum of S^z) so that <S^+> at site 0
    has the phase of ``target``'s: <S^+> -> exp(i theta) <S^+>."""
    theta = np.angle(cl.site_expect(target, 0, "p")) - np.angle(cl.site_expect(vecs, 0, "p"))
    q = sum(cl.op(i, "z").diagonal() for i in range(cl.sites)).real
    phase = np.exp(-1j * theta * (q[:, None] - q[None, :])).ravel(order="F")
    return [phase * v for v in vecs]


@pytest.mark.parametrize("vals", [{"g": 1.0, "h": 1.0, "Gamma_g": 1.3, "Gamma_l": 1.3},
                                  {"g": 1.0, "h": 0.9, "Gamma_g": 0.9, "Gamma_l": 1.3}])
@pytest.mark.parametrize("sites", [1, 2])
def test_newton_state_is_where_the_time_evolution_goes(sites, vals):
    """The Newton solve lands where the non-linear cluster equation (eq. B2), integrated from the same
    state (all spins along x, S = 3/2) with DOP853 to t = 60 (slowest decay rates 0.37..0.69), goes: the
    broken-symmetry state (<S_perp> > 0.3 S), equal to 1e-8 entry by entry after aligning the U(1) phase;
    the reported eigenvalues are all in the left half plane."""
    cl = Cluster(CHAIN, vals, 1.5, sites)
    st = cl.steady_state()
    assert st.stable and st.growth < -0.1 and st.residual <= 1e-9 * st.info["scale"]
    x0 = cl.pack(cl.product(coherent_product(1.5, [(1.0, 0.0, 0.0)])))
    sol = solve_ivp(lambda t, x: cl.pack(cl.rhs(cl.unpack(x))), (0.0, 60.0), x0, method="DOP853", rtol=1e-10,
                    atol=1e-12)
    assert sol.status == 0
    end = cl.unpack(sol.y[:, -1])
    assert cl.residual(end) < 1e-9
    assert st.transverse() > 0.3 * 1.5
    for a, b in zip(_aligned(cl, end, st.vecs), st.vecs):
        assert np.abs(a - b).max() < 1e-8


def test_jacobian_is_the_derivative_of_the_cluster_equations():
    """Cluster.linearisation at a random Hermitian state (n_C = 3, two cluster types, S = 1) equals the
    central difference of rhs, exact for the quadratic F up to rounding (1e-9)."""
    cl = Cluster(CHAIN, {"g": 1.0, "h": 0.9, "Gamma_g": 0.9, "Gamma_l": 1.3}, 1, 3)
    rng = np.random.default_rng(7)
    vecs = [_random_state(cl.dim, rng).ravel(order="F") for _ in range(cl.types)]
    dx = [_random_state(cl.dim, rng).ravel(order="F") for _ in range(cl.types)]
    eps = 1e-3
    plus = cl.pack(cl.rhs([v + eps * d for v, d in zip(vecs, dx)]))
    minus = cl.pack(cl.rhs([v - eps * d for v, d in zip(vecs, dx)]))
    jd = cl.linearisation(vecs).matvec(cl.pack(dx))
    assert np.abs(jd - (plus - minus) / (2 * eps)).max() < 1e-9 * np.abs(jd).max()
    assert cl.u1_symmetric


def test_arnoldi_rightmost_eigenvalues_agree_with_the_dense_spectrum():
    """Cluster.stability: ARPACK (used above 100 unknowns) and the dense spectrum give the same six rightmost
    eigenvalues (1e-8) at the broken-symmetry state of n_C = 2 (256 unknowns), Gamma = 1.3 g; the U(1)
    rotation (neutral there) is deflated, so the leading eigenvalue is a decay rate, not 0."""
    cl = Cluster(CHAIN, {"g": 1.0, "h": 1.0, "Gamma_g": 1.3, "Gamma_l": 1.3}, 1.5, 2)
    st = cl.steady_state(check_stability=False)
    assert st.eigenvalues is None and st.stable is None
    arnoldi = cl.stability(st.vecs, k=6)
    dense = cl.stability(st.vecs, k=6, dense_limit=10 ** 4)
    assert np.abs(np.sort_complex(arnoldi) - np.sort_complex(dense)).max() < 1e-8
    assert dense[0].real < -0.5


def test_unstable_or_unconverged_states_are_refused():
    """Started in the U(1)-symmetric subspace (spins along +-z) at Gamma = 1.3 g the solve converges to the
    symmetric stationary state, which is unstable for n_C = 1 and 2 (the broken state is the attractor,
    previous tests): ClusterError naming the instability; allow_unstable=True returns it flagged
    (stable False, growth > 0, <S_perp> = 0).  Two steps do not converge: ClusterError, nothing returned."""
    vals = {"g": 1.0, "h": 1.0, "Gamma_g": 1.3, "Gamma_l": 1.3}
    along_z = coherent_product(1.5, [(0.0, 0.0, 1.0), (0.0, 0.0, -1.0)])
    for sites in (1, 2):
        with pytest.raises(ClusterError, match="linearly unstable") as err:
            cluster_steady_state(CHAIN, vals, 1.5, sites, initial=along_z)
        assert err.value.state is not None and err.value.state.stable is False
        st = cluster_steady_state(CHAIN, vals, 1.5, sites, initial=along_z, allow_unstable=True)
        assert st.stable is False and st.growth > 0.1 and st.transverse() < 1e-12
        assert st.residual <= 1e-9 * st.info["scale"]
    with pytest.raises(ClusterError, match="not stationary after 2 steps"):
        cluster_steady_state(CHAIN, vals, 1.5, 2, max_steps=2)


def test_bad_input():
    with pytest.raises(ModelError, match="sites must be a positive integer"):
        Cluster(CHAIN, {"g": 1, "h": 1, "Gamma_g": 1, "Gamma_l": 1}, 1.5, 0)
    with pytest.raises(ModelError, match="not a lattice model"):
        Cluster(an.models.gain_loss_dimer(), {"g": 1, "Gamma_g": 1, "Gamma_l": 1}, 1.5, 1)
    with pytest.raises(ModelError, match="missing value"):
        Cluster(CHAIN, {"g": 1, "h": 1, "Gamma_g": 1}, 1.5, 1)
    with pytest.raises(ModelError, match="half-integer"):
        Cluster(CHAIN, {"g": 1, "h": 1, "Gamma_g": 1, "Gamma_l": 1}, 0.3, 1)
    vals = {"g": 1, "h": 1, "Gamma_g": 1, "Gamma_l": 1}
    with pytest.raises(ModelError, match="dt must be"):
        cluster_steady_state(CHAIN, vals, 1.5, 1, dt=-1.0)
    with pytest.raises(ModelError, match="tol must be"):
        cluster_steady_state(CHAIN, vals, 1.5, 1, tol=0.0)
    with pytest.raises(ModelError, match="max_steps must be"):
        cluster_steady_state(CHAIN, vals, 1.5, 1, max_steps=0)
    with pytest.raises(ModelError, match=r"initial\[0\] must be a 4x4"):
        cluster_steady_state(CHAIN, vals, 1.5, 1, initial=[np.eye(3) / 3])
