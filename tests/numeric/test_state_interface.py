"""One State interface (issue 17, contract "States"): every method of numeric.states.state.StateLike on every
kind of state (collective, permutation-invariant, qudit; float64 and dps) returns a value at the
state's precision or refuses with a NotImplementedError naming the alternative."""
import functools

import mpmath
import numpy as np
import pytest
import qutip
import scipy.linalg

from analytic.model import ModelError
from analytic.models import crf, driven_dicke, kerr, lmg
from numeric.pi import qudits as qd
from numeric import steady_state
from numeric.states.state import INTERFACE, StateLike

CRF = {"omega": "1.3", "kappa": "0.7"}
DD = {"Omega": "1.3", "gamma_c": "0.7", "gamma_s": "0.9"}
N_ATOMS = 4
ARGS = {"expect": ("Sz",), "variance": ("Sx",), "P": (1,)}  # m = 1 exists for S = 2 and N = 4


@functools.lru_cache(maxsize=None)
def state(kind: str, dps=None):
    """The steady state of one kind: crf at S = 2, driven_dicke at N = 4 (permutation-invariant and
    qudit solvers), at non-dyadic parameters given as strings."""
    if kind == "collective":
        return steady_state(crf(), CRF, S=2, dps=dps)
    if kind == "pi":
        return steady_state(driven_dicke(), DD, N=N_ATOMS, dps=dps)
    assert dps is None  # the qudit solver has no arbitrary-precision path
    return steady_state(driven_dicke(), DD, N=N_ATOMS, d=2)


KINDS = [("collective", None), ("collective", 30), ("pi", None), ("pi", 30), ("qudit", None)]


def leaves(v) -> list:
    """All numbers of a result (scalar, list, array, mpmath.matrix, dict)."""
    if isinstance(v, mpmath.matrix):
        return [v[i, j] for i in range(v.rows) for j in range(v.cols)]
    if isinstance(v, dict):
        return [x for e in v.values() for x in leaves(e)]
    if isinstance(v, (list, tuple, np.ndarray)):
        return [x for e in np.asarray(v, dtype=object).ravel() for x in leaves(e)]
    return [v]


def call(st, method):
    return getattr(st, method)(*ARGS.get(method, ()))


@pytest.mark.parametrize("kind,dps", KINDS)
@pytest.mark.parametrize("method", INTERFACE)
def test_every_method_returns_a_value_at_the_state_precision_or_names_the_alternative(method, kind, dps):
    st = state(kind, dps)
    assert isinstance(st, StateLike)
    assert st.dps == dps
    try:
        v = call(st, method)
    except NotImplementedError as exc:
        msg = str(exc)
        assert method in msg and "use " in msg, msg
        return
    xs = leaves(v)
    assert xs
    if dps:
        assert all(isinstance(x, (mpmath.mpf, mpmath.mpc)) for x in xs), (method, [type(x) for x in xs])
    else:
        assert all(isinstance(x, (float, complex, np.floating, np.complexfloating)) for x in xs), \
            (method, [type(x) for x in xs])


@pytest.mark.parametrize("kind", ["collective", "pi"])
@pytest.mark.parametrize("method", INTERFACE)
def test_dps_values_equal_float64_and_carry_their_digits(method, kind):
    """dps = 30 agrees with float64 to 1e-12 and with an independent dps = 40 solve to 28 digits (a
    method computed from the float64 copy would differ in the 17th digit)."""
    try:
        f, a, b = (call(state(kind, d), method) for d in (None, 30, 40))
    except NotImplementedError:
        with pytest.raises(NotImplementedError):
            call(state(kind, 30), method)
        return
    f, a, b = leaves(f), leaves(a), leaves(b)
    assert len(f) == len(a) == len(b)
    with mpmath.workdps(50):
        for x64, x30, x40 in zip(f, a, b):
            scale = max(1, abs(mpmath.mpmathify(x40)))
            assert abs(complex(x30) - complex(x64)) <= 1e-12 * float(scale), (method, x30, x64)
            assert abs(mpmath.mpmathify(x30) - mpmath.mpmathify(x40)) <= mpmath.mpf(10) ** -28 * scale, \
                (method, x30, x40)


def test_pi_density_matrix_refusal_names_an_alternative_that_works():
    with pytest.raises(NotImplementedError, match=r"density_blocks\(\).*steady_state\(model, values, N=N, d=2\)"):
        state("pi", 30).density_matrix()
    rho = state("qudit").density_matrix()
    assert rho.shape == (2 ** N_ATOMS, 2 ** N_ATOMS)
    assert abs(np.trace(rho @ rho).real - float(state("pi", 30).purity())) < 1e-10


@functools.lru_cache(maxsize=None)
def qutip_state():
    """Independent oracle: QuTiP's steady state of driven_dicke in the full 2^4-dimensional space
    (H = 2 Omega Sx, gamma_c D[S-] + gamma_s sum_n D[sigma_n^-]) and the collective Sz, S^2."""
    Om, gc, gs = 1.3, 0.7, 0.9

    def site(op, n):
        return qutip.tensor([op if k == n else qutip.qeye(2) for k in range(N_ATOMS)])
    S = {a: sum(site(o, n) for n in range(N_ATOMS)) / 2
         for a, o in (("x", qutip.sigmax()), ("y", qutip.sigmay()), ("z", qutip.sigmaz()))}
    Sm = sum(site(qutip.sigmam(), n) for n in range(N_ATOMS))
    c_ops = [np.sqrt(gc) * Sm] + [np.sqrt(gs) * site(qutip.sigmam(), n) for n in range(N_ATOMS)]
    rho = qutip.steadystate(2 * Om * S["x"], c_ops)
    return rho, S


def test_pi_dps_purity_populations_casimir_equal_qutip_brute_force():
    rho, S = qutip_state()
    r = rho.full()
    sz = np.real(np.diag(S["z"].full()))
    pops = [r.diagonal()[np.isclose(sz, m)].real.sum() for m in np.arange(N_ATOMS / 2, -N_ATOMS / 2 - 1, -1)]
    casimir = qutip.expect(S["x"] ** 2 + S["y"] ** 2 + S["z"] ** 2, rho)
    purity = np.trace(r @ r).real
    for st in (state("pi", 30), state("qudit")):
        assert abs(float(st.purity()) - purity) < 1e-10
        assert abs(float(st.casimir()) - casimir) < 1e-10
        assert np.abs(np.array(st.populations(), dtype=float) - pops).max() < 1e-10
        assert abs(float(st.P(1)) - pops[1]) < 1e-10
        assert abs(float(st.trace()) - 1) < 1e-12


def test_qudit_moments_equal_qutip_brute_force():
    """The moments the qudit state gained (mean spin, covariance, g2, squeezing, variance) equal those
    of QuTiP's state (the PI state's g2/squeezing being checked against QuTiP elsewhere)."""
    rho, S = qutip_state()
    st = state("qudit")
    ax = ("x", "y", "z")
    mean = np.array([qutip.expect(S[a], rho) for a in ax])
    C = np.array([[qutip.expect((S[a] * S[b] + S[b] * S[a]) / 2, rho) - mean[i] * mean[j]
                   for j, b in enumerate(ax)] for i, a in enumerate(ax)])
    Sp, Sm = S["x"] + 1j * S["y"], S["x"] - 1j * S["y"]
    g2 = qutip.expect(Sp * Sp * Sm * Sm, rho).real / qutip.expect(Sp * Sm, rho).real ** 2
    assert np.abs(st.mean_spin() - mean).max() < 1e-10
    assert np.abs(st.covariance() - C).max() < 1e-10
    assert abs(st.g2() - g2) < 1e-10
    assert abs(st.variance("Sx") - C[0, 0]) < 1e-10
    assert abs(st.squeezing("z") - N_ATOMS * C[2, 2] / (mean[0] ** 2 + mean[1] ** 2)) < 1e-9
    E = scipy.linalg.null_space(mean[None, :])  # the plane perpendicular to <S>
    wineland = N_ATOMS * np.linalg.eigvalsh(E.T @ C @ E).min() / (mean @ mean)
    assert abs(st.squeezing() - wineland) < 1e-9


# --------------------------------------------------------------------------- independent 40-digit oracle
def _kron(A, B):
    out = mpmath.matrix(A.rows * B.rows, A.cols * B.cols)
    for i in range(A.rows):
        for j in range(A.cols):
            if A[i, j] != 0:
                for k in range(B.rows):
                    for m in range(B.cols):
                        out[i * B.rows + k, j * B.cols + m] = A[i, j] * B[k, m]
    return out


def _dag(A):
    return A.transpose_conj()


def _mp_steady(H, jumps):
    """rho with L vec(rho) = 0, Tr rho = 1, by an mpmath LU of the brute-force Liouvillian
    (column stacking: vec(A rho B) = (B^T (x) A) vec(rho)) at the working precision."""
    n = H.rows
    one = mpmath.eye(n)
    L = -1j * (_kron(one, H) - _kron(H.T, one))
    for r, J in jumps:
        K = _dag(J) * J
        L += r * (_kron(J.conjugate(), J) - _kron(one, K) / 2 - _kron(K.T, one) / 2)
    rhs = mpmath.matrix(n * n, 1)
    for c in range(n * n):
        L[0, c] = 0
    for i in range(n):
        L[0, i + i * n] = 1
    rhs[0] = 1
    v = mpmath.lu_solve(L, rhs)
    rho = mpmath.matrix(n, n)
    for i in range(n):
        for j in range(n):
            rho[i, j] = v[i + j * n]
    return rho


def _spin(S2):
    """S+, Sz of spin S = S2/2 in qutip.jmat order (m = S, S-1, ..., -S)."""
    S, d = mpmath.mpf(S2) / 2, S2 + 1
    Sp, Sz = mpmath.matrix(d, d), mpmath.matrix(d, d)
    for i in range(d):
        m = S - i
        Sz[i, i] = m
        if i > 0:
            Sp[i - 1, i] = mpmath.sqrt(S * (S + 1) - m * (m + 1))
    return Sp, Sz


def _collective(N, single):
    """sum_n single_n on N qubits (first factor slowest)."""
    one = mpmath.eye(2)
    out = mpmath.matrix(2 ** N, 2 ** N)
    for n in range(N):
        M = mpmath.eye(1)
        for k in range(N):
            M = _kron(M, single if k == n else one)
        out += M
    return out


def _oracle_values(rho, Sp, Sz, two_s, m_values, m_P):
    """Every interface quantity from a density matrix and the collective S+, Sz, at the working precision."""
    Sm = _dag(Sp)
    Sx, Sy = (Sp + Sm) / 2, (Sp - Sm) / 2j
    tr = lambda A: sum(rho[i, j] * A[j, i] for i in range(rho.rows) for j in range(rho.rows))
    ex = lambda A: mpmath.re(tr(A))
    S = [Sx, Sy, Sz]
    mean = [ex(A) for A in S]
    C = mpmath.matrix(3, 3)
    for a in range(3):
        for b in range(3):
            C[a, b] = ex((S[a] * S[b] + S[b] * S[a]) / 2) - mean[a] * mean[b]
    norm2 = sum(x * x for x in mean)
    # orthonormal basis of the plane perpendicular to <S> by Gram-Schmidt from (1, 2, 3)
    nvec = mpmath.matrix(mean) / mpmath.sqrt(norm2)
    u = mpmath.matrix([1, 2, 3])
    e1 = u - (u.T * nvec)[0] * nvec
    e1 = e1 / mpmath.norm(e1)
    e2 = mpmath.matrix([nvec[1] * e1[2] - nvec[2] * e1[1], nvec[2] * e1[0] - nvec[0] * e1[2],
                        nvec[0] * e1[1] - nvec[1] * e1[0]])
    E = mpmath.matrix(3, 2)
    for i in range(3):
        E[i, 0], E[i, 1] = e1[i], e2[i]
    lam = min(mpmath.eigsy(E.T * C * E)[0])
    pops = [mpmath.re(sum(rho[i, i] for i in range(rho.rows) if abs(Sz[i, i] - m) < 0.1)) for m in m_values]
    return {
        "expect": ex(Sz), "variance": C[0, 0], "trace": ex(mpmath.eye(rho.rows)), "purity": ex(rho),
        "populations": pops, "P": pops[list(m_values).index(m_P)],
        "mean_spin": mean, "covariance": C, "casimir": ex(Sx * Sx + Sy * Sy + Sz * Sz),
        "g2": ex(Sp * Sp * Sm * Sm) / ex(Sp * Sm) ** 2, "squeezing": two_s * lam / norm2, "density_matrix": rho,
    }


@functools.lru_cache(maxsize=None)
def oracle(kind: str):
    """(state at dps = 30, the 40-digit brute-force values): crf at S = 3/2 (4 levels) and
    driven_dicke at N = 3 (8 levels), parameters 1.3, 0.7, 0.9 exact."""
    with mpmath.workdps(40):
        if kind == "collective":
            w, k = mpmath.mpf("1.3"), mpmath.mpf("0.7")
            Sp, Sz = _spin(3)
            S = mpmath.mpf(3) / 2
            rho = _mp_steady(w * (Sp + _dag(Sp)) / 2, [(2 * k / S, _dag(Sp))])
            ms = [S - i for i in range(4)]
            vals = _oracle_values(rho, Sp, Sz, 3, ms, ms[1])
            st = steady_state(crf(), CRF, S=1.5, dps=30)
        else:
            Om, gc, gs = (mpmath.mpf(x) for x in ("1.3", "0.7", "0.9"))
            sm = mpmath.matrix([[0, 0], [1, 0]])  # qutip.sigmam(): up (index 0) -> down
            Sp = _collective(3, _dag(sm))
            Sz = _collective(3, mpmath.matrix([[1, 0], [0, -1]]) / 2)
            singles = []
            for n in range(3):
                M = mpmath.eye(1)
                for k in range(3):
                    M = _kron(M, sm if k == n else mpmath.eye(2))
                singles.append((gs, M))
            rho = _mp_steady(Om * (Sp + _dag(Sp)), [(gc, _dag(Sp))] + singles)
            ms = [mpmath.mpf(3) / 2 - i for i in range(4)]
            vals = _oracle_values(rho, Sp, Sz, 3, ms, ms[1])
            st = steady_state(driven_dicke(), DD, N=3, dps=30)
    return st, vals


@pytest.mark.parametrize("kind", ["collective", "pi"])
@pytest.mark.parametrize("method", INTERFACE)
def test_dps_values_equal_an_independent_40_digit_brute_force_to_28_digits(method, kind):
    """Each method of a dps = 30 state against the same quantity from a 40-digit mpmath solve of the
    brute-force Liouvillian (crf S = 3/2; driven_dicke N = 3 in the 2^3-dimensional space).  A method
    that passed through float64 anywhere is off in the 17th digit and fails."""
    st, ref = oracle(kind)
    args = {"P": (0.5,)}.get(method, ARGS.get(method, ()))  # m = 1/2 (= ms[1] of the oracle)
    try:
        got = getattr(st, method)(*args)
    except NotImplementedError as exc:
        assert kind == "pi" and method == "density_matrix", exc
        return
    got, want = leaves(got), leaves(ref[method])
    assert len(got) == len(want)
    with mpmath.workdps(50):
        for g, w in zip(got, want):
            assert abs(mpmath.mpmathify(g) - w) <= mpmath.mpf(10) ** -28 * max(1, abs(w)), (method, g, w)


def test_qudit_spin1_moments_equal_the_dense_matrix_with_explicit_spin1_operators():
    """lmg(d=3), N = 3 spin-1 atoms: populations of J_z, mean spin, covariance, Casimir, g2 and the
    squeezing (normalised by 2 J_max = N(d-1) = 6) from the state equal those of its dense 27x27 matrix
    with J_a = sum_i j_a^(i) built here from qutip.jmat(1) (levels reversed: qudit level k is m = k - 1)."""
    N = 3
    st = steady_state(lmg(d=3), {"V": "1.3", "gamma_I": "0.7", "gamma_C": "0.9"}, N=N)
    rho = st.density_matrix()
    rev = np.eye(3)[::-1]  # jmat order m = 1, 0, -1 -> level order m = -1, 0, 1
    j = {a: rev @ qutip.jmat(1, a).full() @ rev for a in ("x", "y", "z", "+", "-")}

    def J(a):
        return sum(np.kron(np.kron(np.eye(3 ** n), j[a]), np.eye(3 ** (N - n - 1))) for n in range(N))
    ex = lambda A: np.trace(rho @ A).real
    Jx, Jy, Jz, Jp, Jm = (J(a) for a in ("x", "y", "z", "+", "-"))
    mean = np.array([ex(Jx), ex(Jy), ex(Jz)])
    S = (Jx, Jy, Jz)
    C = np.array([[ex((A @ B + B @ A) / 2) for B in S] for A in S]) - np.outer(mean, mean)
    jz = np.real(np.diag(Jz))
    pops = [rho.diagonal()[np.isclose(jz, m)].real.sum() for m in range(N, -N - 1, -1)]
    assert np.abs(st.populations() - pops).max() < 1e-12 and abs(st.P(-1) - pops[N + 1]) < 1e-12
    assert np.abs(st.mean_spin() - mean).max() < 1e-12
    assert np.abs(st.covariance() - C).max() < 1e-12
    assert abs(st.casimir() - ex(Jx @ Jx + Jy @ Jy + Jz @ Jz)) < 1e-12
    assert abs(st.g2() - ex(Jp @ Jp @ Jm @ Jm) / ex(Jp @ Jm) ** 2) < 1e-10
    assert abs(st.variance("Sz") - C[2, 2]) < 1e-12 and abs(st.expect("Sz") - mean[2]) < 1e-12
    for axis, k in (("x", 0), ("y", 1), ("z", 2)):
        den = sum(mean[i] ** 2 for i in range(3) if i != k)
        if den > 1e-6:
            assert abs(st.squeezing(axis) - N * 2 * C[k, k] / den) < 1e-9
    with pytest.raises(ModelError, match="m must be one of"):
        st.P(3.5)


def test_a_state_without_spin_refuses_the_spin_methods_naming_the_mode_alternative():
    """kerr (one mode): trace, purity, density_matrix, expect and variance work; the S_z populations and
    spin moments raise NotImplementedError pointing to expect('ad*a') / reduced(kind='mode')."""
    st = steady_state(kerr(), {"Delta": "1.3", "U": "0.7", "F": "0.9", "gamma": "1.1"}, D=1, truncation=30)
    assert abs(st.trace() - 1) < 1e-12 and 0 < st.purity() <= 1 + 1e-12
    rho = st.density_matrix()
    assert abs(np.trace(rho @ rho).real - st.purity()) < 1e-12
    n = np.arange(rho.shape[0])
    assert abs(st.expect("ad*a") - (np.real(np.diag(rho)) @ n)) < 1e-10
    assert st.variance("ad*a") > 0
    for method in set(INTERFACE) - {"trace", "purity", "density_matrix", "expect", "variance"}:
        with pytest.raises(NotImplementedError, match=r"has no spin.*use expect\(\) with the mode's operators"):
            call(st, method)
