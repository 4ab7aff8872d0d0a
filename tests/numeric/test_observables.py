"""Observables of numeric states (numeric.states.observables): every test checks physics -- direct traces,
identities of the spin algebra, exact values for coherent, mixed, Dicke and twisted states, and
the reduced qubit states of seed 000 eqs. 25-27 against an explicit partial trace."""
from fractions import Fraction
from itertools import product
from math import comb

import mpmath
import numpy as np
import pytest
import qutip as qt
import scipy.linalg as sl

import analytic as an
from analytic.model import ModelError
from numeric.states.observables import State, partial_transpose
from numeric.core.operators import Representation, numeric_values

CRF = an.models.crf()


# --------------------------------------------------------------------------- helpers
def crf_state(S, lam, kappa=1.0, dps=None):
    """Steady state of crf, H = omega Sx, rate 2 kappa/S on D[S-] (qutip convention), lambda = omega/(2 kappa).

    Uses the project's solver when it exists, else qutip.steadystate on the same operators."""
    omega = 2 * lam * kappa
    try:
        from numeric.solvers.steady import steady_state  # noqa: PLC0415
    except ImportError:
        steady_state = None
    if steady_state is not None and dps is None:
        return steady_state(CRF, {"omega": omega, "kappa": kappa}, S=S)
    Jx, Jm = qt.jmat(S, "x"), qt.jmat(S, "-")
    rho = qt.steadystate(omega * Jx, [np.sqrt(2 * kappa / S) * Jm]).full()
    return make_state(rho, S, {"omega": omega, "kappa": kappa}, dps=dps)


def make_state(rho, S, params=None, dps=None, model=CRF):
    params = params or {"omega": 1.0, "kappa": 1.0}
    rep = Representation(model, {"S": S})
    return State(model, rep, rho, numeric_values(model, params, {"S": S}), dps=dps)


def css(S, theta, phi):
    """Spin coherent state along (theta, phi) as a density matrix (qutip.spin_coherent: rotation of |S,S>)."""
    psi = qt.spin_coherent(S, theta, phi).full().ravel()
    return np.outer(psi, psi.conj())


def jm(S):
    return {k: qt.jmat(S, k).full() for k in ("x", "y", "z", "+", "-")}


def symmetric_embedding(S):
    """Isometry V: Dicke basis |S, m = S - k> -> symmetric state of N = 2S qubits with k down spins.

    Qubit basis index 0 = up, 1 = down (as qutip.jmat(1/2)); the first qubit is the most significant
    bit (qutip.tensor order)."""
    N = int(round(2 * S))
    V = np.zeros((2 ** N, N + 1))
    for idx, bits in enumerate(product((0, 1), repeat=N)):
        k = sum(bits)
        V[idx, k] = 1 / np.sqrt(comb(N, k))
    return V


def explicit_reduced(rho, S, n_keep):
    """Partial trace of the symmetric 2S-qubit state V rho V^dag down to its first n_keep qubits."""
    V = symmetric_embedding(S)
    full = V @ rho @ V.T
    keep, rest = 2 ** n_keep, full.shape[0] // 2 ** n_keep
    return np.einsum("aibi->ab", full.reshape(keep, rest, keep, rest))


def random_dm(dim, seed):
    return qt.rand_dm(dim, seed=seed).full()


# --------------------------------------------------------------------------- expectation values
@pytest.mark.parametrize("S", [1.5, 3.0])
def test_expect_equals_direct_traces(S):
    st = crf_state(S, 0.6)
    rho = st.rho if not st.dps else np.array(st.rho.tolist(), dtype=complex)
    J = jm(S)
    cases = {
        "Sz": J["z"], "Sx*Sx": J["x"] @ J["x"], "Sp*Sm": J["+"] @ J["-"],
        "Sy*Sz + Sz*Sy": J["y"] @ J["z"] + J["z"] @ J["y"],
        "Sp": J["+"], "Sx*Sz": J["x"] @ J["z"], "Sp*Sp*Sm*Sm - 2*Sz": J["+"] @ J["+"] @ J["-"] @ J["-"] - 2 * J["z"],
    }
    for text, M in cases.items():
        direct = np.trace(rho @ M)
        got = st.expect(text)
        assert abs(got - direct) < 1e-12 * max(1.0, abs(direct)), text
    # an Op with parameter coefficients: the model's own Hamiltonian, H = omega Sx
    omega = 2 * 0.6
    assert abs(st.expect(CRF.hamiltonian) - omega * np.trace(rho @ J["x"]).real) < 1e-12
    # Hermitian operators give real numbers, others complex
    assert isinstance(st.expect("Sx*Sx"), float)
    assert isinstance(st.expect("Sx*Sz"), complex)
    # the steady state of crf has <Sx> = 0 (mean-field sx = 0) -- but <Sx Sz> is complex with Im = -<Sy>/2
    assert abs(st.expect("Sx*Sz").imag + st.expect("Sy") / 2) < 1e-12


def test_variance_casimir_purity_identities():
    S = 2.5
    st = crf_state(S, 0.7)
    rho = st.rho
    J = jm(S)
    for a in "xyz":
        direct = np.trace(rho @ J[a] @ J[a]).real - np.trace(rho @ J[a]).real ** 2
        assert abs(st.variance(f"S{a}") - direct) < 1e-12
    assert abs(st.casimir() - S * (S + 1)) < 1e-11  # <S^2> = S(S+1) in the irrep
    assert abs(st.purity() - np.trace(rho @ rho).real) < 1e-13
    assert 1 / (2 * S + 1) < st.purity() < 1
    mixed = make_state(np.eye(6) / 6, S)
    assert abs(mixed.purity() - 1 / 6) < 1e-15  # seed 000 below eq. 23: 1/(2S+1)
    with pytest.raises(ModelError, match="not Hermitian"):
        st.variance("Sp")


def test_covariance_symmetric_psd_and_uncertainty():
    S = 3.0
    for lam in (0.4, 0.9, 1.4):
        st = crf_state(S, lam)
        C = st.covariance()
        assert np.allclose(C, C.T, atol=0, rtol=0)
        assert np.linalg.eigvalsh(C).min() > -1e-12
        mean = st.mean_spin()
        for i, (a, b, c) in enumerate([(0, 1, 2), (1, 2, 0), (2, 0, 1)]):
            # Robertson-Schroedinger: Var(Sa) Var(Sb) - Cov(a,b)^2 >= |<[Sa, Sb]>|^2 / 4 = <Sc>^2 / 4
            assert C[a, a] * C[b, b] - C[a, b] ** 2 >= mean[c] ** 2 / 4 - 1e-12
        for k, a in enumerate("xyz"):
            assert abs(C[k, k] - st.variance(f"S{a}")) < 1e-12
    # for a coherent state the uncertainty relation is saturated perpendicular to the spin: Var = S/2
    st = make_state(css(S, 0.0, 0.0), S)
    C = st.covariance()
    assert abs(C[0, 0] - S / 2) < 1e-12 and abs(C[1, 1] - S / 2) < 1e-12 and abs(C[2, 2]) < 1e-12
    assert abs(C[0, 0] * C[1, 1] - st.mean_spin()[2] ** 2 / 4) < 1e-10


def test_populations():
    S = 2.0
    st = crf_state(S, 0.5)
    p = st.populations()
    assert abs(p.sum() - 1) < 1e-12 and p.min() > -1e-14
    assert np.allclose(p, np.real(np.diag(st.rho)), atol=1e-15)
    m = S - np.arange(5)
    assert abs(np.dot(m, p) - st.expect("Sz")) < 1e-12
    assert abs(st.P(-2) - p[-1]) == 0 and abs(st.P(S) - p[0]) == 0
    top = make_state(css(S, 0.0, 0.0), S)
    assert abs(top.P(2) - 1) < 1e-14
    with pytest.raises(ModelError, match="m must be"):
        st.P(0.5)


# --------------------------------------------------------------------------- g2
def g2_product_state(N, theta):
    """g2 of N independent qubits each in cos(t/2)|up> + e^{i phi} sin(t/2)|down>, by counting the
    index coincidences in sum_{i!=j, k!=l} <s+_i s+_j s-_k s-_l>: p = <s+ s->, c = |<s+>|^2."""
    p = np.cos(theta / 2) ** 2
    c = p * (1 - p)
    num = 2 * N * (N - 1) * p ** 2 + 4 * N * (N - 1) * (N - 2) * p * c + N * (N - 1) * (N - 2) * (N - 3) * c ** 2
    den = N * p + N * (N - 1) * c
    return num / den ** 2


@pytest.mark.parametrize("S", [0.5, 1.0, 2.5, 6.0])
def test_g2_coherent_state(S):
    for theta, phi in [(0.0, 0.0), (0.7, 1.1), (np.pi / 2, -0.4), (2.5, 3.0)]:
        st = make_state(css(S, theta, phi), S)
        assert abs(st.g2() - g2_product_state(int(2 * S), theta)) < 1e-12
    # fully inverted state |S,S>: g2 = 2(1 - 1/N), the superradiant burst value
    st = make_state(css(S, 0.0, 0.0), S)
    assert abs(st.g2() - 2 * (1 - 1 / (2 * S))) < 1e-12
    with pytest.raises(ModelError, match="g2 is undefined"):
        make_state(css(S, np.pi, 0.0), S).g2()


@pytest.mark.parametrize("S", [Fraction(1, 2), Fraction(1), Fraction(5, 2), Fraction(10)])
def test_g2_maximally_mixed_state_of_the_irrep(S):
    """rho = 1/(2S+1) inside the spin-S irrep.  With f(m) = (S+m)(S-m+1) = |<m-1|S-|m>|^2,
    <S+S-> = sum_m f(m)/(2S+1) = 2S(S+1)/3 and <S+S+S-S-> = sum_m f(m) f(m-1)/(2S+1)
    = 2S(S+1)(2S-1)(2S+3)/15, so g2 = 3(2S-1)(2S+3)/(10 S(S+1)) -> 6/5 (not the 2(1-1/N) of N
    independent maximally mixed atoms, a state outside the irrep)."""
    dim = int(2 * S + 1)
    ms = [S - k for k in range(dim)]

    def f(m):
        return (S + m) * (S - m + 1)

    exact = (sum(f(m) * f(m - 1) for m in ms) / dim) / (sum(f(m) for m in ms) / dim) ** 2
    closed = Fraction(3) * (2 * S - 1) * (2 * S + 3) / (10 * S * (S + 1))
    assert exact == closed
    st = make_state(np.eye(dim) / dim, float(S))
    assert abs(st.g2() - float(closed)) < 1e-13


# --------------------------------------------------------------------------- squeezing
@pytest.mark.parametrize("S", [0.5, 2.0, 7.5])
def test_squeezing_of_coherent_states_is_one(S):
    rng = np.random.default_rng(1)
    for _ in range(3):
        theta, phi = rng.uniform(0.2, np.pi - 0.2), rng.uniform(0, 2 * np.pi)
        st = make_state(css(S, theta, phi), S)
        assert abs(st.squeezing() - 1) < 1e-12
        e = np.array(st.squeezing_axis())
        n = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
        assert abs(e @ n) < 1e-12 and abs(np.linalg.norm(e) - 1) < 1e-12
    # eq. 28 along x for the state pointing along z: 2S (S/2) / S^2 = 1
    st = make_state(css(S, 0.0, 0.0), S)
    assert abs(st.squeezing("x") - 1) < 1e-12 and abs(st.squeezing("y") - 1) < 1e-12
    with pytest.raises(ModelError, match="perpendicular"):
        st.squeezing("z")  # <Sx> = <Sy> = 0: eq. 28 has a zero denominator
    with pytest.raises(ModelError, match="axis must be"):
        st.squeezing("w")


@pytest.mark.parametrize("mu", [0.05, 0.2, 0.5])
def test_squeezing_one_axis_twisted_state(mu):
    """Kitagawa-Ueda one-axis twisting exp(-i mu Sz^2/2) of the coherent state along x, N = 2S:
    xi_S^2 = 1 + (N-1)/4 [A - sqrt(A^2 + B^2)], A = 1 - cos^{N-2} mu, B = 4 sin(mu/2) cos^{N-2}(mu/2),
    |<S>| = S cos^{N-1}(mu/2), so the Wineland parameter (seed 003 eq. S1) is xi_S^2 / cos^{2(N-1)}(mu/2)."""
    S = 5.0
    N = 2 * S
    J = jm(S)
    psi = sl.expm(-0.5j * mu * J["z"] @ J["z"]) @ qt.spin_coherent(S, np.pi / 2, 0).full().ravel()
    st = make_state(np.outer(psi, psi.conj()), S)
    A = 1 - np.cos(mu) ** (N - 2)
    B = 4 * np.sin(mu / 2) * np.cos(mu / 2) ** (N - 2)
    xi_s = 1 + (N - 1) / 4 * (A - np.sqrt(A * A + B * B))
    assert abs(st.mean_spin()[0] - S * np.cos(mu / 2) ** (N - 1)) < 1e-12
    assert abs(st.squeezing() - xi_s / np.cos(mu / 2) ** (2 * (N - 1))) < 1e-12
    assert st.squeezing() < 1
    # the minimising axis gives the minimal variance, any other perpendicular axis a larger one
    e = np.array(st.squeezing_axis())
    C = st.covariance()
    assert abs(e @ C @ e * 2 * S / np.dot(st.mean_spin(), st.mean_spin()) - st.squeezing()) < 1e-12
    assert e @ C @ e <= C[1, 1] + 1e-12 and e @ C @ e <= C[2, 2] + 1e-12


def test_crf_steady_state_squeezed_along_x_only():
    """Seed 000 (below eq. 28): the crf steady state has xi^2 < 1 for n1 = x in the magnetised phase,
    xi^2 > 1 for n1 = y, z.  (The claim 'for all S whenever lambda < 1' fails close to lambda = 1 at
    small S: S = 5, lambda = 0.95 gives xi_x^2 = 1.07.)  The squeezed axis is x, orthogonal to the
    mean spin in the y-z plane, so the Wineland minimum equals xi_x^2."""
    for S in (2.5, 5.0):
        for lam in (0.3, 0.7):
            st = crf_state(S, lam)
            assert st.squeezing("x") < 1
            assert st.squeezing("y") > 1 and st.squeezing("z") > 1
            assert abs(st.squeezing() - st.squeezing("x")) < 1e-10
        assert crf_state(S, 1.5).squeezing("x") > 1


# --------------------------------------------------------------------------- reduced qubit states
@pytest.mark.parametrize("S", [1.0, 1.5, 2.0])
def test_reduced_qubit_states_equal_explicit_partial_trace(S):
    J = jm(S)
    V = symmetric_embedding(S)
    # the embedding carries the collective spin: V^T (sum_i s_i) V = S_a
    N = int(2 * S)
    for a, q in (("z", qt.sigmaz() / 2), ("+", qt.sigmap())):
        coll = sum(qt.tensor([q if k == i else qt.qeye(2) for k in range(N)]) for i in range(N)).full()
        assert np.allclose(V.T @ coll @ V, J[a], atol=1e-13)
    for rho in (random_dm(int(2 * S + 1), 3), crf_state(S, 0.6).rho, css(S, 1.0, 0.4)):
        st = make_state(rho, S)
        assert np.allclose(st.two_qubit_state(), explicit_reduced(rho, S, 2), atol=1e-13, rtol=0)
        assert np.allclose(st.qubit_state(), explicit_reduced(rho, S, 1), atol=1e-13, rtol=0)
        # eq. 27: rho_q is the sum of the 2x2 blocks of eq. 25
        r2 = st.two_qubit_state()
        assert np.allclose(st.qubit_state(), np.einsum("aibi->ab", r2.reshape(2, 2, 2, 2)), atol=1e-14)
        q = explicit_reduced(rho, S, 1)
        assert abs(st.qubit_purity() - np.trace(q @ q).real) < 1e-13
        q2 = explicit_reduced(rho, S, 2)
        assert abs(st.two_qubit_purity() - np.trace(q2 @ q2).real) < 1e-13


def test_seed000_eq26_printed_denominators_are_misprints():
    """Seed 000 eq. (26) prints v_pm with denominator 4(S - 1/2) and x_pm with 8(S - 1/2).  The explicit
    partial trace gives 4S(S - 1/2) and 8S(S - 1/2) (w and u are printed correctly): e.g.
    v_+ = <n_up(n_up - 1)>/(N(N-1)) with n_up = S + Sz, N = 2S.  Both versions coincide only at S = 1."""
    S = 2.0
    rho = random_dm(5, 11)
    st = make_state(rho, S)
    explicit = explicit_reduced(rho, S, 2)
    sz, sz2 = st.expect("Sz"), st.expect("Sz*Sz")
    sp_, anti = st.expect("Sp"), st.expect("Sp*Sz + Sz*Sp")
    printed_vp = (S ** 2 - S + sz2 + 2 * sz * (S - 0.5)) / (4 * (S - 0.5))
    printed_xp = (2 * (S - 0.5) * sp_ + anti) / (8 * (S - 0.5))
    assert abs(printed_vp - explicit[0, 0]) > 0.1 * abs(explicit[0, 0])
    assert abs(printed_vp / S - explicit[0, 0]) < 1e-13
    assert abs(printed_xp / S - explicit[1, 0]) < 1e-13
    w = (S ** 2 - sz2) / (4 * S * (S - 0.5))
    u = st.expect("Sp*Sp") / (4 * S * (S - 0.5))
    assert abs(w - explicit[1, 1]) < 1e-13 and abs(w - explicit[1, 2]) < 1e-13
    assert abs(u - explicit[3, 0]) < 1e-13  # u sits below the diagonal: <dd|rho|uu> = <s+ s+>
    with pytest.raises(ModelError, match="S >= 1"):
        make_state(np.eye(2) / 2, 0.5).two_qubit_state()


def test_negativity():
    S = 2.0
    # product (coherent) states: no entanglement between any two qubits
    for theta, phi in [(0.0, 0.0), (1.2, 0.3), (np.pi / 2, 2.0)]:
        assert abs(make_state(css(S, theta, phi), S).negativity()) < 1e-13
    # S = 1, m = 0: two qubits in the Bell state (|ud> + |du>)/sqrt2, negativity 1/2
    assert abs(make_state(np.diag([0, 1, 0]).astype(complex), 1.0).negativity() - 0.5) < 1e-13
    # agrees with the partial transpose of the explicit two-qubit state
    for rho in (random_dm(5, 5), crf_state(S, 0.8).rho):
        ev = np.linalg.eigvalsh(partial_transpose(explicit_reduced(rho, S, 2)))
        assert abs(make_state(rho, S).negativity() - np.sum((np.abs(ev) - ev) / 2)) < 1e-13
    # the crf steady state is entangled in the magnetised phase, not in the paramagnetic one (seed 000 Fig. 6a)
    assert crf_state(3.0, 0.7).negativity() > 1e-3
    assert crf_state(3.0, 1.5).negativity() < 1e-12


# --------------------------------------------------------------------------- arbitrary precision
def mp_css(S, theta, phi, dps):
    """Coherent state along (theta, phi) in mpmath, amplitudes sqrt(C(2S, S+m)) cos^{S+m} sin^{S-m} e^{i(S-m)phi}."""
    with mpmath.workdps(dps):
        th, ph = mpmath.mpf(theta), mpmath.mpf(phi)
        N = int(2 * S)
        amp = [mpmath.sqrt(mpmath.binomial(N, k)) * mpmath.cos(th / 2) ** (N - k) * mpmath.sin(th / 2) ** k
               * mpmath.expj(k * ph) for k in range(N + 1)]
        return mpmath.matrix([[a * mpmath.conj(b) for b in amp] for a in amp])


def test_mpmath_state_computes_at_its_precision():
    dps = 40
    S = 2.5
    rho = mp_css(S, 1.1, 0.3, dps)
    st = make_state(rho, S, dps=dps)
    tol = mpmath.mpf(10) ** (-dps + 5)
    with mpmath.workdps(dps):
        assert abs(st.squeezing() - 1) < tol
        assert abs(st.casimir() - S * (S + 1)) < tol
        assert abs(st.purity() - 1) < tol
        assert abs(st.qubit_purity() - 1) < tol
        assert abs(st.negativity()) < tol
        assert abs(st.expect("Sz") - S * mpmath.cos(mpmath.mpf(1.1))) < tol
        p = mpmath.cos(mpmath.mpf(1.1) / 2) ** 2
        c, N = p * (1 - p), 5
        g2 = (2 * N * (N - 1) * p ** 2 + 4 * N * (N - 1) * (N - 2) * p * c + N * (N - 1) * (N - 2) * (N - 3) * c ** 2) \
            / (N * p + N * (N - 1) * c) ** 2
        assert abs(st.g2() - g2) < tol
    # float64 cannot reach these tolerances: the same state in float64 misses <Sz> by ~1e-16
    flt = make_state(np.array(rho.tolist(), dtype=complex), S)
    with mpmath.workdps(dps):
        assert abs(mpmath.mpf(flt.expect("Sz")) - S * mpmath.cos(mpmath.mpf(1.1))) > tol


def test_mpmath_and_float_paths_agree():
    S = 2.0
    st = crf_state(S, 0.7)
    rho = st.rho if not st.dps else np.array(st.rho.tolist(), dtype=complex)
    flt = make_state(rho, S, {"omega": 1.4, "kappa": 1.0})
    mp = make_state(mpmath.matrix(rho.tolist()), S, {"omega": 1.4, "kappa": 1.0}, dps=30)
    assert mp.dps == 30 and isinstance(mp.expect("Sz"), mpmath.mpf)
    for name in ("purity", "g2", "squeezing", "negativity", "qubit_purity", "casimir"):
        a, b = getattr(flt, name)(), getattr(mp, name)()
        assert abs(a - float(b)) < 1e-12 * max(1, abs(a)), name
    assert abs(complex(mp.expect("Sx*Sz")) - flt.expect("Sx*Sz")) < 1e-12
    assert np.allclose(np.array(mp.covariance().tolist(), dtype=float), flt.covariance(), atol=1e-12)
    assert np.allclose(np.array(mp.two_qubit_state().tolist(), dtype=complex), flt.two_qubit_state(), atol=1e-13)
    assert np.allclose([float(x) for x in mp.populations()], flt.populations(), atol=1e-14)


# --------------------------------------------------------------------------- several subsystems
def test_two_spins_choose_by_name():
    model = an.models.gain_loss_dimer()
    S = 1.0
    rep = Representation(model, {"S": S})
    ra, rb = random_dm(3, 21), css(S, 0.9, 0.2)
    rho = np.kron(ra, rb)  # tensor order of model.subsystems: (a, b)
    st = State(model, rep, rho, numeric_values(model, {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 1.0}, {"S": S}))
    J = jm(S)
    assert abs(st.expect("Sz_a") - np.trace(ra @ J["z"]).real) < 1e-13
    assert abs(st.expect("Sz_a*Sz_b") - np.trace(ra @ J["z"]).real * np.trace(rb @ J["z"]).real) < 1e-13
    assert np.allclose(st.reduced("a"), ra, atol=1e-14) and np.allclose(st.reduced("b"), rb, atol=1e-14)
    assert abs(st.squeezing(spin="b") - 1) < 1e-12
    assert np.allclose(st.covariance(spin="a"), make_state(ra, S).covariance(), atol=1e-13)
    assert np.allclose(st.populations("a"), np.real(np.diag(ra)), atol=1e-14)
    with pytest.raises(ModelError, match="choose one with spin="):
        st.covariance()
    with pytest.raises(ModelError, match="no spin 'c'"):
        st.g2(spin="c")


def test_spin_and_mode():
    model = an.models.open_dicke()
    S, n = 1.0, 4
    rep = Representation(model, {"S": S}, truncation=n)
    alpha = 0.3 + 0.2j
    coh = qt.coherent_dm(n, alpha).full()
    rs = css(S, 0.5, 0.0)
    st = State(model, rep, np.kron(rs, coh),
               numeric_values(model, dict(omega_a=1, omega_c=1, kappa=1, g_plus=0.5, g_minus=0.5), {"S": S}))
    a = qt.destroy(n).full()
    assert abs(st.expect("ad*a") - np.trace(coh @ a.conj().T @ a).real) < 1e-13
    assert abs(st.expect("a") - np.trace(coh @ a)) < 1e-13
    assert np.allclose(st.reduced(kind="mode"), coh, atol=1e-14)
    assert abs(st.squeezing() - 1) < 1e-12  # only one spin: chosen automatically
    with pytest.raises(ModelError, match="subsystems matching"):
        st.reduced("")  # the spin and the mode are both unnamed


# --------------------------------------------------------------------------- bad input
def test_bad_input():
    S = 1.0
    rep = Representation(CRF, {"S": S})
    vals = numeric_values(CRF, {"omega": 1, "kappa": 1}, {"S": S})
    with pytest.raises(ModelError, match="rho must be a 3x3"):
        State(CRF, rep, np.eye(4) / 4, vals)
    bad = np.eye(3) / 3
    bad[0, 1] = np.nan
    with pytest.raises(ModelError, match="NaN"):
        State(CRF, rep, bad, vals)
    with pytest.raises(ModelError, match="dps must be"):
        State(CRF, rep, np.eye(3) / 3, vals, dps=0)
    st = State(CRF, rep, np.eye(3) / 3, vals)
    with pytest.raises(ModelError, match="no operator 'Sq'"):
        st.expect("Sq")
    with pytest.raises(ModelError, match="string or an Op"):
        st.expect(3)
    with pytest.raises(ModelError, match="mean spin"):
        st.squeezing()  # maximally mixed: <S> = 0
