"""Permutation-invariant numerics (numeric.pi.permutational), issue 6.

Checks: (1) against a brute-force 2^N Liouvillian built independently with tensor products
(qutip) for N <= 6, several models with random parameters and random single-atom jumps, and
against qutip.piqs; (2) seed 004 (driven atoms, collective + individual decay); (3) seed 001
(dissipative LMG) purity and symmetry-resolved gaps; (5) mixed-precision refinement.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import reduce

import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic.algebra import Atoms, Local
from analytic.model import Dissipator, Model, ModelError
from numeric.pi import metastable, permutational as pm, spectra, superops
from numeric.solvers.steady import steady_state
from numeric.core.operators import numeric_values

qutip = pytest.importorskip("qutip")

EPS = np.finfo(float).eps
EPS32 = float(np.finfo(np.float32).eps)


# ----------------------------------------------------------------------------- brute force
def _site_ops(N, X):
    out = []
    for n in range(N):
        mats = [np.eye(2)] * N
        mats[n] = X
        out.append(reduce(np.kron, mats))
    return out


def _collective(N):
    """S+, S-, Sz on (C^2)^N, single-atom basis |0> = down, |1> = up (Atoms.local_matrix)."""
    Sp = sum(_site_ops(N, np.array([[0.0, 0.0], [1.0, 0.0]])))
    Sz = sum(_site_ops(N, np.diag([-0.5, 0.5])))
    return {"p": Sp, "m": Sp.T.copy(), "z": Sz}


def _op_matrix(op, gens, vals, dim):
    M = np.zeros((dim, dim), complex)
    for w, c in op.terms.items():
        m = np.eye(dim, dtype=complex)
        for g in w:
            m = m @ gens[g.letter]
        M += complex(sp.sympify(c).subs(vals)) * m
    return M


def _full_liouvillian(model, values, N):
    """The 2^N Liouvillian (qutip, column stacking) built from tensor products."""
    vals = numeric_values(model, values, {"N": N})
    gens, dim = _collective(N), 2 ** N
    H = _op_matrix(model.hamiltonian, gens, vals, dim)
    cops = []
    for d in model.dissipators:
        r = complex(sp.sympify(d.rate).subs(vals)).real
        if d.kind == "collective":
            cops.append(np.sqrt(r) * _op_matrix(d.jump, gens, vals, dim))
        else:
            X = np.array(sp.Matrix(d.jump.matrix).evalf(), dtype=complex)
            cops += [np.sqrt(r) * x for x in _site_ops(N, X)]
    L = qutip.liouvillian(qutip.Qobj(H).to("csr"), [qutip.Qobj(c).to("csr") for c in cops])
    return L.data_as("csr_matrix"), gens, vals


def brute_force(model, values, N):
    """Steady state of the full 2^N master equation (dense solve with a trace row)."""
    L, gens, vals = _full_liouvillian(model, values, N)
    dim = 2 ** N
    A = L.toarray()
    A[0, :] = 0
    A[0, np.arange(dim) * (dim + 1)] = 1.0
    b = np.zeros(dim * dim, complex)
    b[0] = 1.0
    rho = np.linalg.solve(A, b).reshape(dim, dim, order="F")
    return rho, L, gens, vals


def full_state(st, gens):
    r"""The 2^N density matrix of a permutation-invariant state, rebuilt from collective operators
    only: :math:`\sum_\alpha |j m \alpha\rangle\langle j m' \alpha| = P_j P_m (S^\pm)^{|m-m'|} P_{m'}/c`
    with :math:`P_j`, :math:`P_m` the spectral projectors of :math:`\mathbf S^2`, :math:`S_z` and
    c the standard spin matrix element (Condon-Shortley)."""
    N = st.N
    Sx, Sy = (gens["p"] + gens["m"]) / 2, (gens["p"] - gens["m"]) / 2j
    S2 = Sx @ Sx + Sy @ Sy + gens["z"] @ gens["z"]
    w, U = np.linalg.eigh(S2)
    sz = np.real(np.diag(gens["z"]))
    rho = np.zeros_like(S2)
    for (tj, B) in zip(range(N, -1, -2), st.density_blocks()):
        j = tj / 2
        V = U[:, np.isclose(w, j * (j + 1))]
        Pj = V @ V.conj().T
        Pm = {a: np.diag(np.isclose(sz, j - a).astype(float)) for a in range(tj + 1)}
        for a in range(tj + 1):
            for b in range(tj + 1):
                m1, m2 = j - a, j - b
                k = int(round(abs(m1 - m2)))
                if m1 >= m2:
                    mus = [m2 + i for i in range(k)]
                    c = np.prod([np.sqrt((j - mu) * (j + mu + 1)) for mu in mus])
                    S = np.linalg.matrix_power(gens["p"], k)
                else:
                    mus = [m2 - i for i in range(k)]
                    c = np.prod([np.sqrt((j + mu) * (j - mu + 1)) for mu in mus])
                    S = np.linalg.matrix_power(gens["m"], k)
                rho += B[a, b] * (Pj @ Pm[a] @ S @ Pm[b]) / c
    return rho


def random_model(seed):
    """H with linear, quadratic and Sz^2 terms; a collective jump S- + c Sz; two individual
    jumps: a random complex 2x2 matrix and a random real one (neither sigma^-, sigma^+ nor sigma^z)."""
    rng = np.random.default_rng(seed)
    N = sp.Symbol("N", positive=True)
    at = Atoms("", N)
    p = {k: sp.Symbol(k, positive=True) for k in ("a", "b", "g1", "g2", "g3")}
    rnd = lambda: sp.nsimplify(round(float(rng.normal()), 3))
    X = sp.Matrix(2, 2, lambda i, j: rnd() + sp.I * rnd())
    Y = sp.Matrix(2, 2, lambda i, j: rnd())
    H = at.x * p["a"] + at.z * p["b"] + (at.plus * at.plus + at.minus * at.minus) * (p["a"] / N) \
        + at.z * at.z * (p["b"] / N) + (at.plus * at.z + at.z * at.minus) * (p["a"] / N)
    diss = (Dissipator(at.minus + at.z * rnd(), p["g1"], "collective", "collective"),
            Dissipator(Local(at, X, "X"), p["g2"], "individual", "X"),
            Dissipator(Local(at, Y, "Y"), p["g3"], "individual", "Y"))
    vals = {"a": float(rng.uniform(0.2, 1.5)), "b": float(rng.uniform(-1, 1)),
            "g1": float(rng.uniform(0.1, 1)), "g2": float(rng.uniform(0.1, 1)), "g3": float(rng.uniform(0.1, 1))}
    return Model("random", p, (at,), H, diss), vals


def pumped_dephased():
    """Individual pumping sigma^+, dephasing sigma^z and decay, collective decay, drive."""
    N = sp.Symbol("N", positive=True)
    at = Atoms("", N)
    p = {k: sp.Symbol(k, positive=True) for k in ("Omega", "w", "gc", "gd", "gp", "gz")}
    return Model("pumped", p, (at,), at.x * (2 * p["Omega"]) + at.z * p["w"],
                 (Dissipator(at.minus, p["gc"], "collective", "c"),
                  Dissipator(at.local("sm"), p["gd"], "individual", "down"),
                  Dissipator(at.local("sp"), p["gp"], "individual", "up"),
                  Dissipator(at.local("sz"), p["gz"], "individual", "deph")))


def _words(N):
    """S+^a Sz^b S-^c, a, c <= N, b <= 2: their expectation values fix a permutation-invariant state."""
    out = []
    for a in range(min(N, 3) + 1):
        for b in range(3):
            for c in range(min(N, 3) + 1):
                out.append("*".join(["Sp"] * a + ["Sz"] * b + ["Sm"] * c) or "1")
    return out


def _discrepancies(model, values, N, spectrum=False, solve=True) -> list:
    """The permutation-invariant steady state, rebuilt as a 2^N matrix, against the full 2^N
    master equation (the steady state is unique: a state that solves it *is* the brute-force
    steady state); for ``solve`` also against the brute-force solution, and all collective
    moments, purity, P(m) and <S^2>.  Returns the failed checks as (what, error, tolerance);
    a test asserts that the list is empty."""
    st = steady_state(model, values, N=N)
    L, gens, vals = _full_liouvillian(model, values, N)
    dim = 2 ** N
    rho_pi = full_state(st, gens)
    scale_L = abs(L).sum(axis=0).max()
    checks = [  # (what, error, tolerance, strict)
        ("trace", abs(np.trace(rho_pi).real - 1.0), 1e-12, False),
        ("hermiticity", np.linalg.norm(rho_pi - rho_pi.conj().T), 1e-12, True),
        ("positivity", -np.linalg.eigvalsh(rho_pi).min(), 1e-10, True),
        ("residual", np.linalg.norm(L @ rho_pi.reshape(-1, order="F")), 1e-11 * scale_L, True),
    ]
    if solve:
        rho, _, _, _ = brute_force(model, values, N)
        checks.append(("brute-force state", np.abs(rho - rho_pi).max(), 1e-10, True))
    else:
        rho = rho_pi
    for w in _words(N):
        if w == "1":
            checks.append(("Tr", abs(st.trace() - 1.0), 1e-13, False))
            continue
        A = _op_matrix(model.operator(w), gens, vals, dim)
        checks.append((f"<{w}>", abs(st.expect(w) - np.trace(A @ rho)), 1e-11 * max(1.0, np.abs(A).max()), False))
    checks.append(("purity", abs(st.purity() - np.trace(rho @ rho).real), 1e-12, False))
    sz = np.real(np.diag(gens["z"]))
    P_ref = np.array([np.real(np.sum(np.diag(rho)[np.isclose(sz, N / 2 - k)])) for k in range(N + 1)])
    checks.append(("P(m)", np.max(np.abs(np.asarray(st.populations()) - P_ref)), 1e-12, False))
    S2 = _op_matrix(model.operator("Sx*Sx + Sy*Sy + Sz*Sz"), gens, vals, dim)
    checks.append(("<S^2>", abs(st.casimir() - np.trace(S2 @ rho).real), 1e-11 * N * N, False))
    if spectrum:
        ev = np.linalg.eigvals(L.toarray())
        for x in pm.spectrum_pi(model, values, N, k=10):
            # every permutation-invariant eigenvalue is an eigenvalue of the full Liouvillian
            checks.append((f"eigenvalue {x}", np.min(np.abs(ev - x)), 1e-9 * scale_L, True))
    return [(what, err, tol) for what, err, tol, strict in checks if not (err < tol if strict else err <= tol)]


@pytest.mark.parametrize("N", [1, 2, 3, 4, 5, 6])
def test_driven_dicke_equals_brute_force(N):
    rng = np.random.default_rng(N)
    v = {"Omega": float(rng.uniform(0.1, 2)), "gamma_c": float(rng.uniform(0.1, 1)), "gamma_s": float(rng.uniform(0.05, 1))}
    assert not _discrepancies(an.models.driven_dicke(), v, N, spectrum=N <= 4, solve=N <= 5)


@pytest.mark.parametrize("N", [2, 3, 4, 5, 6])
def test_lmg_equals_brute_force(N):
    rng = np.random.default_rng(10 + N)
    v = {"V": float(rng.uniform(-2, 2)), "gamma_I": float(rng.uniform(0.1, 1.5)), "gamma_C": float(rng.uniform(0.05, 1))}
    assert not _discrepancies(an.models.lmg(), v, N, spectrum=N <= 4, solve=N <= 5)


@pytest.mark.parametrize("N,seed", [(2, 0), (3, 1), (4, 2), (5, 3), (6, 4)])
def test_generic_single_atom_jumps_equal_brute_force(N, seed):
    model, v = random_model(seed)
    assert not _discrepancies(model, v, N, spectrum=N <= 4, solve=N <= 5)


@pytest.mark.parametrize("N", [3, 5, 6])
def test_pumping_and_dephasing_equal_brute_force(N):
    v = {"Omega": 0.7, "w": 0.3, "gc": 0.4, "gd": 0.5, "gp": 0.2, "gz": 0.3}
    assert not _discrepancies(pumped_dephased(), v, N, spectrum=N == 3, solve=N <= 5)


@pytest.mark.slow
@pytest.mark.parametrize("N", [6])
def test_brute_force_solve_N6(N):
    """The dense 4096 x 4096 brute-force solve at N = 6 (several seconds per model)."""
    assert not _discrepancies(an.models.driven_dicke(), {"Omega": 0.9, "gamma_c": 0.4, "gamma_s": 0.3}, N, solve=True)
    model, v = random_model(7)
    assert not _discrepancies(model, v, N, solve=True)


def test_no_drive_u1_sector_and_exact_fixed_point():
    """Only decay: U(1) symmetry (q = m - m' conserved); the steady state is all atoms down."""
    m = an.models.driven_dicke()
    st = steady_state(m, {"Omega": 0.0, "gamma_c": 1.0, "gamma_s": 0.3}, N=7)
    assert any("U(1)" in s for s in st.info["symmetries"])
    assert st.expect("Sz") == pytest.approx(-3.5, abs=1e-13)
    assert pm.sectors_pi(m, {"Omega": 0.0, "gamma_c": 1.0, "gamma_s": 0.3}, 3)[0] == 0


# ----------------------------------------------------------------------------- building blocks
def test_degeneracies_are_exact_integers():
    for N in (1, 2, 7, 64, 150, 400):
        b = pm.DickeBasis(N) if N <= 150 else None
        tot = sum(pm.degeneracy(N, Fraction(t, 2)) * (t + 1) for t in range(N, -1, -2))
        assert tot == 2 ** N
        # seed 004 eq. (D1)
        for t in range(N % 2, N + 1, 2):
            j = Fraction(t, 2)
            d1 = Fraction(math.factorial(N) * (t + 1), math.factorial(N // 2 - t // 2 if N % 2 == 0 else (N - t) // 2)
                          * math.factorial((N + t) // 2 + 1))
            assert pm.degeneracy(N, j) == d1
        if b is not None:
            assert b.n == sum((t + 1) ** 2 for t in range(N, -1, -2))


def test_clebsch_gordan_against_sympy():
    from sympy.physics.quantum.cg import CG

    h = sp.Rational(1, 2)
    for tjp in range(0, 6):
        jp = sp.Rational(tjp, 2)
        for tJ in (tjp + 1, tjp - 1):
            if tJ < 0:
                continue
            J = sp.Rational(tJ, 2)
            for tM in range(-tJ, tJ + 1, 2):
                M = sp.Rational(tM, 2)
                for s_up in (True, False):
                    s = h if s_up else -h
                    if abs(M - s) > jp:
                        continue
                    ref = CG(jp, M - s, h, s, J, M).doit()
                    sg, num, den = superops._cg(tjp, tJ, np.array([tM]), s_up)
                    assert sp.nsimplify(int(sg[0]) * sp.sqrt(sp.Rational(int(num[0]), int(den)))) == sp.nsimplify(ref)


def test_sector_spectra_make_up_the_whole_spectrum():
    """The four (p1, p2) blocks of lmg (seed 001 Sec. IV) together have the spectrum of the full
    permutation-invariant Liouvillian."""
    m, v, N = an.models.lmg(), {"V": 1.0, "gamma_I": 0.7, "gamma_C": 0.3}, 6
    labels = pm.sectors_pi(m, v, N)
    assert labels == [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    pl = pm.PILiouvillian(m, v, N)
    full = np.sort_complex(np.linalg.eigvals(pl.L.toarray()))
    parts = np.sort_complex(np.concatenate([np.linalg.eigvals(spectra._sector_matrix(pl, s).toarray()) for s in labels]))
    assert len(parts) == len(full)
    for x in parts:
        assert np.min(np.abs(full - x)) < 1e-9
    # driven Dicke: one antiunitary symmetry (omega = -1), two blocks
    assert pm.sectors_pi(an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.1}, 5) == [1, -1]


# ----------------------------------------------------------------------------- qutip.piqs
def _piqs_reference():
    """benchmarks/piqs_reference.py (shared with the benchmark), loaded by path."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "piqs_reference.py"
    spec = importlib.util.spec_from_file_location("piqs_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _piqs_steady(kind, N, v):
    ref = _piqs_reference()
    rho, _, _ = ref.piqs_steady(kind, N, v)
    ops = ref.dicke_ops(N)
    return {"Sz": np.trace(ops["z"] @ rho).real, "Sp*Sm": np.trace(ops["+"] @ ops["-"] @ rho).real}


_PIQS_CASES = [("driven_dicke", lambda N: {"Omega": 0.3 * (N - 1) / 4, "gamma_c": 1.0, "gamma_s": 0.1}),
               ("driven_dicke", lambda N: {"Omega": 0.9 * (N - 1) / 4, "gamma_c": 1.0, "gamma_s": 0.1}),
               ("lmg", lambda N: {"V": 1.0, "gamma_I": 0.6, "gamma_C": 0.2}),
               ("lmg", lambda N: {"V": -1.0, "gamma_I": 3.0, "gamma_C": 0.2})]


def _check_piqs(kind, vf, N):
    v = vf(N)
    ref = _piqs_steady(kind, N, v)
    st = steady_state(getattr(an.models, kind)(), v, N=N)
    # piqs stores its rates in float32: tolerance 100 eps_32 on the natural scales N/2 and (N/2)^2
    assert abs(st.expect("Sz") - ref["Sz"]) <= 100 * EPS32 * N / 2
    assert abs(st.expect("Sp*Sm") - ref["Sp*Sm"]) <= 100 * EPS32 * (N / 2) ** 2


@pytest.mark.parametrize("case", range(len(_PIQS_CASES)))
@pytest.mark.parametrize("N", [9, 16])
def test_equals_qutip_piqs(case, N):
    _check_piqs(*_PIQS_CASES[case], N)


@pytest.mark.slow
@pytest.mark.parametrize("case", range(len(_PIQS_CASES)))
def test_equals_qutip_piqs_N30(case):
    _check_piqs(*_PIQS_CASES[case], 30)


# ----------------------------------------------------------------------------- bad input
def test_bad_input_is_refused_with_a_clear_message():
    m = an.models.driven_dicke()
    v = {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.1}
    for N in (0, -3, 2.5, "10", True):
        with pytest.raises(ModelError, match="N must be a positive integer"):
            pm.solve_pi(m, v, N)
    with pytest.raises(ModelError, match="missing value for 'gamma_s'"):
        pm.solve_pi(m, {"Omega": 1.0, "gamma_c": 1.0}, 4)
    with pytest.raises(ModelError, match="no parameter 'kappa'"):
        pm.solve_pi(m, {**v, "kappa": 1.0}, 4)
    with pytest.raises(ModelError, match="negative"):
        pm.solve_pi(m, {**v, "gamma_s": -0.1}, 4)
    with pytest.raises(ModelError, match="Atoms ensemble"):
        pm.solve_pi(an.models.crf(), {"omega": 1.0, "kappa": 1.0}, 4)
    with pytest.raises(ModelError, match="numeric.pi.qudits"):  # qubits written with level generators E_ab
        pm.solve_pi(an.models.lmg(2, levels=True), {"V": 1.0, "gamma_I": 0.5, "gamma_C": 0.5}, 4)
    with pytest.raises(ModelError, match="dps"):
        pm.solve_pi(m, v, 4, dps=5)
    with pytest.raises(ModelError, match="tol"):
        pm.solve_pi(m, v, 4, tol=-1)
    with pytest.raises(ModelError, match="sector"):
        pm.spectrum_pi(m, v, 4, sector=(1, 1))
    with pytest.raises(ModelError, match="k must be"):
        pm.spectrum_pi(m, v, 4, k=0)
    st = steady_state(m, v, N=4)
    with pytest.raises(ModelError, match="no operator 'Jz'"):
        st.expect("Jz")
    with pytest.raises(ModelError, match="m must be"):
        st.P(0.5)


def test_residual_check_refuses_a_wrong_state():
    """A solver answer that does not solve L rho = 0 is refused (tol far below what float64 can do)."""
    with pytest.raises(pm.SolverError, match="residual"):
        steady_state(an.models.driven_dicke(), {"Omega": 3.0, "gamma_c": 1.0, "gamma_s": 0.1}, N=12, tol=1e-300)


# ----------------------------------------------------------------------------- seed 004
@pytest.fixture(scope="module")
def cubic():
    """Seed 004 eq. (2) from the analytic engine (mean-field, individual factorisation)."""
    m = an.models.driven_dicke()
    poly = an.meanfield.reduced_system(m, "sz")
    sz = [s for s in poly.free_symbols if s.name == "sz"][0]
    return poly, sz, m


def _mf_branches(cubic, N, Omega, gc=1.0, gs=0.1):
    poly, sz, m = cubic
    subs = {m.parameters["Omega"]: Omega, m.parameters["gamma_c"]: gc, m.parameters["gamma_s"]: gs}
    subs.update({s: N for s in poly.free_symbols if s.name == "N"})
    coeffs = [complex(c) for c in sp.Poly(sp.expand(poly.subs(subs)), sz).all_coeffs()]
    r = np.roots(coeffs)
    real = sorted(x.real for x in r if abs(x.imag) < 1e-9 and -1 - 1e-9 <= x.real <= 1e-9)
    return real  # one root, or three (lower stable, unstable, upper stable)


def seed004(N, frac):
    """gamma_c = 10 gamma_s (seed 004 Fig. 2), Omega = frac * Omega_c, Omega_c = (N-1) gamma_c / 4."""
    return {"Omega": frac * (N - 1) / 4, "gamma_c": 1.0, "gamma_s": 0.1}


def test_seed004_N18_observables_follow_the_two_phases(cubic):
    m, N = an.models.driven_dicke(), 18
    # collective side (small drive): lower mean-field branch, j ~ N/2, squeezed
    st = steady_state(m, seed004(N, 0.3), N=N)
    br = _mf_branches(cubic, N, 0.3 * (N - 1) / 4)
    assert st.expect("Sz") == pytest.approx(N / 2 * br[0], rel=0.05)
    assert st.casimir() > 0.97 * (N / 2) * (N / 2 + 1)
    assert st.squeezing() < 1.0
    assert st.g2() == pytest.approx(1.0, abs=0.1)  # coherent radiation (CRSS)
    # individual side (strong drive): one mean-field branch, totally mixed state (App. D)
    st = steady_state(m, seed004(N, 3.0), N=N)
    br = _mf_branches(cubic, N, 3.0 * (N - 1) / 4)
    assert len(br) == 1
    assert st.expect("Sz") == pytest.approx(N / 2 * br[0], abs=0.05)
    assert st.casimir() == pytest.approx(3 * N / 4, rel=0.05)             # eq. (D3c)
    assert st.g2() == pytest.approx(2 * (1 - 1 / N), rel=0.02)            # eq. (D3e)
    assert st.expect("Sp*Sm") == pytest.approx(N / 2, rel=0.05)          # eq. (D3b)
    assert st.purity() < 1e-3


def test_seed004_N64_bimodal_populations_at_the_transition(cubic):
    """Seed 004 Fig. 2b: at Omega = 0.61 Omega_c, N = 64, P(m) has two peaks on the two stable
    mean-field branches, each carrying a sizeable weight; the transition point of App. C
    (<Sz> = mean of the branches, eq. C2) lies between 0.60 and 0.63 Omega_c."""
    m, N = an.models.driven_dicke(), 64
    st = steady_state(m, seed004(N, 0.61), N=N)
    P = st.populations()
    assert P.sum() == pytest.approx(1, abs=1e-12)
    mvals = N / 2 - np.arange(N + 1)
    peaks = [i for i in range(1, N) if P[i] > P[i - 1] and P[i] >= P[i + 1] and P[i] > 0.01 * P.max()]
    assert len(peaks) == 2
    br = _mf_branches(cubic, N, 0.61 * (N - 1) / 4)
    assert len(br) == 3
    hi, lo = mvals[peaks]
    assert lo == pytest.approx(N / 2 * br[0], abs=2.5)
    assert hi == pytest.approx(N / 2 * br[2], abs=2.5)
    dip = peaks[0] + int(np.argmin(P[peaks[0]:peaks[1] + 1]))
    w_upper, w_lower = P[:dip].sum(), P[dip:].sum()
    assert min(w_upper, w_lower) > 0.1
    assert P[dip] < 0.2 * min(P[peaks])
    side = []
    for f in (0.60, 0.63):
        b = _mf_branches(cubic, N, f * (N - 1) / 4)
        side.append(steady_state(m, seed004(N, f), N=N).expect("Sz") - N / 2 * (b[0] + b[2]) / 2)
    assert side[0] < 0 < side[1]


def test_seed004_Sz_against_mean_field_N18_and_N64(cubic):
    m = an.models.driven_dicke()
    for N, fracs in ((18, (0.2, 0.35, 1.2, 2.0)), (64, (0.35, 1.2))):
        for frac in fracs:
            st = steady_state(m, seed004(N, frac), N=N)
            br = _mf_branches(cubic, N, frac * (N - 1) / 4)
            target = br[0] if frac < 0.5 else br[-1]  # below: lower branch; above: the only one
            assert st.expect("Sz") / (N / 2) == pytest.approx(target, abs=0.06 if N == 18 else 0.03)
            if N == 64 and frac < 0.5:  # collective phase: j ~ N/2, squeezed, coherent light
                assert st.casimir() > 0.99 * (N / 2) * (N / 2 + 1)
                assert st.squeezing() < 1.0
                assert st.g2() == pytest.approx(1.0, abs=0.01)
            if N == 64 and frac > 1:  # individual phase: totally mixed state (App. D)
                assert st.casimir() == pytest.approx(3 * N / 4, rel=0.03)
                assert st.g2() == pytest.approx(2 * (1 - 1 / N), rel=1e-3)


def test_seed004_gap_closes_exponentially():
    """Seed 004 Fig. 3: lambda_1 at Omega = 0.61 Omega_c falls like exp(-c N)."""
    m = an.models.driven_dicke()
    Ns = np.array([8, 12, 16, 20, 24])
    gaps = np.array([pm.gap_pi(m, seed004(N, 0.61), int(N)) for N in Ns])
    slope, icpt = np.polyfit(Ns, np.log(gaps), 1)
    fit = np.exp(icpt + slope * Ns)
    assert np.all(np.diff(gaps) < 0)
    assert slope < -0.05
    assert np.max(np.abs(np.log(gaps / fit))) < 0.25  # straight line on a semi-log plot


def test_seed004_metastable_decomposition_N18(cubic):
    """Seed 004 Sec. IV, Fig. 4a at N = 18: across the bistability window rho_+ follows the lower
    (collective) mean-field branch with j ~ N/2 and rho_- the upper one with small j; at
    Omega = 0.73 Omega_c the weights printed in the paper (a_+ = 0.4, a_- = 0.5, piqs matrices);
    Gamma_+- = lambda_1 a_-+ (eq. 10)."""
    m, N = an.models.driven_dicke(), 18
    for frac in (0.70, 0.76, 0.80):
        ms = pm.metastable_pi(m, seed004(N, frac), N)
        br = _mf_branches(cubic, N, frac * (N - 1) / 4)
        assert len(br) == 3
        assert ms.rho_plus.expect("Sz") / (N / 2) == pytest.approx(br[0], abs=0.04)
        assert ms.rho_minus.expect("Sz") / (N / 2) == pytest.approx(br[2], abs=0.01)
        assert ms.rho_plus.casimir() > 0.85 * (N / 2) * (N / 2 + 1)
        assert ms.rho_minus.casimir() < 0.25 * (N / 2) * (N / 2 + 1)
    ms = pm.metastable_pi(m, seed004(N, 0.73), N)
    assert ms.a_plus_blocks == pytest.approx(0.4, abs=0.01)
    assert ms.a_minus_blocks == pytest.approx(0.5, abs=0.01)
    assert ms.a_plus + ms.a_minus == pytest.approx(1.0, abs=0.1)
    assert ms.gamma_plus == pytest.approx(ms.lambda1 * ms.a_minus)
    assert ms.gamma_minus == pytest.approx(ms.lambda1 * ms.a_plus)
    assert ms.lambda1 == pytest.approx(pm.gap_pi(m, seed004(N, 0.73), N), rel=1e-8)
    for s in (ms.rho_plus, ms.rho_minus):
        assert s.trace() == pytest.approx(1.0)
        for B in s.blocks:  # positive semidefinite blocks
            assert np.linalg.eigvalsh((B + B.conj().T) / 2).min() > -1e-12
    # rho_+ and rho_- are orthogonal; the mixture reproduces the steady state's magnetisation
    assert abs(metastable._overlap(ms.rho_plus.x, ms.rho_minus.x, ms.steady.basis)) < 1e-12
    mix = ms.a_plus_blocks * ms.rho_plus.expect("Sz") + ms.a_minus_blocks * ms.rho_minus.expect("Sz")
    assert mix == pytest.approx(ms.steady.expect("Sz"), abs=0.05 * N / 2)


# ----------------------------------------------------------------------------- seed 001
def test_seed001_purity_drops_at_the_transition_and_sharpens_with_N():
    """Seed 001 Fig. 7 (qubits): purity vs gamma_I at gamma_C = 0.2|V|; the mean-field transition
    is gamma_I + gamma_C = 2|V|."""
    m = an.models.lmg()
    gI = np.array([0.6, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0])
    contrast = []
    for N in (5, 7, 12):
        pur = np.array([steady_state(m, {"V": 1.0, "gamma_I": g, "gamma_C": 0.2}, N=N).purity() for g in gI])
        assert np.all(np.diff(pur) > 0)
        assert pur[-1] > 0.8
        assert pur[0] < 0.3
        contrast.append(pur[gI > 1.8 + 0.5].min() / pur[gI < 1.8 - 0.5].max())
    assert contrast[0] < contrast[1] < contrast[2]


def test_seed001_symmetry_breaking_gap_closes_below_2V():
    """Seed 001 eq. (15), Figs. 5-6: Delta^(-1,+1) decreases with N for gamma_I + gamma_C < 2|V|
    and stays open above."""
    m = an.models.lmg()
    inside, outside = [], []
    for N in (6, 10, 14, 18):
        inside.append(pm.gap_pi(m, {"V": 1.0, "gamma_I": 0.8, "gamma_C": 0.2}, N, sector=(-1, 1)))
        outside.append(pm.gap_pi(m, {"V": 1.0, "gamma_I": 4.0, "gamma_C": 0.2}, N, sector=(-1, 1)))
    assert np.all(np.diff(inside) < 0)
    assert inside[-1] < 0.3 * inside[0]
    assert min(outside) > 0.5
    assert outside[-1] > 5 * inside[-1]
    # the other broken-symmetry candidate sectors do not close (Pi_2 stays intact)
    other = [pm.gap_pi(m, {"V": 1.0, "gamma_I": 0.8, "gamma_C": 0.2}, N, sector=(-1, -1)) for N in (6, 18)]
    assert other[1] > 0.5 * other[0]


# ----------------------------------------------------------------------------- precision
def test_mixed_precision_refinement_two_precisions_agree():
    """Seed 004 near the first-order transition (Omega = 0.61 Omega_c, N = 40, condition ~1e7):
    dps = 20 and dps = 40 agree to 1e-18; float64 agrees with them within its condition bound."""
    m, N = an.models.driven_dicke(), 40
    v = {"Omega": sp.Rational(61, 100) * (N - 1) / 4, "gamma_c": 1, "gamma_s": "0.1"}  # seed004(N, 0.61), exact
    a = steady_state(m, v, N=N, dps=20)
    b = steady_state(m, v, N=N, dps=40)
    f = steady_state(m, v, N=N)
    with mpmath.workdps(40):
        sa, sb = a.expect("Sz"), b.expect("Sz")
        assert abs(sa - sb) < mpmath.mpf(10) ** -18 * N / 2
        assert abs(a.expect("Sp*Sm") - b.expect("Sp*Sm")) < mpmath.mpf(10) ** -18 * (N / 2) ** 2
    assert abs(f.expect("Sz") - float(sb)) <= f.info["condition"] * EPS * N / 2
    assert b.info["refinement"][-1] < 1e-35


# N = 80 (the transition value of the brief; piqs float32 gives -7.76) runs in `dspins reproduce 004`
# (task transition_N80: dps 25 vs 35 to 1e-22, the value, the float64 bound).


def test_steady_state_pi_is_a_deprecated_alias_of_the_one_entry_point():
    """Rule 6 of issue 18: ``steady_state_pi`` warns, naming ``numeric.steady_state(..., N=)``, and
    returns the same state as the entry point."""
    m, v = an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.3}
    with pytest.warns(DeprecationWarning, match=r"numeric\.steady_state\(model, values, N="):
        old = pm.steady_state_pi(m, v, 5)
    new = steady_state(m, v, N=5)
    assert type(old) is type(new) is pm.PIState
    assert np.array_equal(old.x, new.x)
