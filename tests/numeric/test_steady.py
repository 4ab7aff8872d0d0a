"""Steady states: against QuTiP, the mean-field limit of crf (seed 000), the purity of the
gain-loss dimer on its PT line (seed 002 eq. 5, Fig. 3b), arbitrary precision, bad input."""
import warnings

import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic.model import ModelError
from numeric.core.ordering import nested_dissection
from numeric.solvers.steady import SolverError, _grid_coordinates, _with_trace_row, steady_state, steady_system
from scipy.sparse.linalg import splu

warnings.filterwarnings("ignore", message="matplotlib not found")
CRF = an.models.crf()
DIMER = an.models.gain_loss_dimer()


def _stable_branch_sz(lam: float) -> float:
    """<Sz>/S of the stable mean-field fixed point of crf, from the engine."""
    vals = {"omega": 2 * lam, "kappa": 1.0}
    subs = {CRF.parameters[k]: sp.nsimplify(v) for k, v in vals.items()}
    stable = []
    for fp in an.meanfield.fixed_points(CRF):
        if not fp.exists(subs):
            continue
        if an.meanfield.stability(CRF, fp, vals).kind == "stable":
            stable.append(float(sp.sympify(fp["sz"]).subs(subs)))
    assert len(stable) == 1
    return stable[0]


# ------------------------------------------------------------------ independent reference
def test_crf_and_dimer_match_qutip_steadystate():
    qutip = pytest.importorskip("qutip")
    S, omega, kappa = 6, 1.4, 0.9
    st = steady_state(CRF, {"omega": omega, "kappa": kappa}, S=S)
    rq = qutip.steadystate(omega * qutip.jmat(S, "x"), [np.sqrt(2 * kappa / S) * qutip.jmat(S, "-")]).full()
    assert np.max(np.abs(st.rho - rq)) < 1e-10
    S, g, Gg, Gl = 1.5, 1.0, 0.3, 0.7
    st = steady_state(DIMER, {"g": g, "Gamma_g": Gg, "Gamma_l": Gl}, S=S)
    one = qutip.qeye(4)
    spa, sma = qutip.tensor(qutip.jmat(S, "+"), one), qutip.tensor(qutip.jmat(S, "-"), one)
    spb, smb = qutip.tensor(one, qutip.jmat(S, "+")), qutip.tensor(one, qutip.jmat(S, "-"))
    H = g / (2 * S) * (spa * smb + spb * sma)
    rq = qutip.steadystate(H, [np.sqrt(Gg / S) * spa, np.sqrt(Gl / S) * smb]).full()
    assert np.max(np.abs(st.rho - rq)) < 1e-10
    assert st.residual < 1e-12 and st.info["condition"] > 1


def test_state_reports_residual_and_symmetries():
    st = steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=30)
    assert st.residual == st.info["residual"] < 1e-12
    assert st.info["symmetries"] == ["conj*P0"]
    # parity x conjugation: rho_mn real for even m-n, imaginary for odd m-n
    i, j = np.indices(st.rho.shape)
    assert np.max(np.abs(st.rho.imag[(i - j) % 2 == 0])) < 1e-15
    assert np.max(np.abs(st.rho.real[(i - j) % 2 == 1])) < 1e-15
    assert abs(np.trace(st.rho) - 1) < 1e-13
    assert np.min(np.linalg.eigvalsh(st.rho)) > -1e-12


# ------------------------------------------------------------------ mean-field limit (seed 000)
def test_crf_approaches_stable_mean_field_branch_below_threshold():
    lam = 0.5
    mf = _stable_branch_sz(lam)
    assert mf < 0
    Ss = np.array([10, 20, 40, 80, 160])
    err = []
    for S in Ss:
        st = steady_state(CRF, {"omega": 2 * lam, "kappa": 1.0}, S=int(S))
        err.append(abs(float(st.expect("Sz")) / S - mf))
    p = -np.polyfit(np.log(Ss), np.log(err), 1)[0]
    # fitted p = 1.03 (1/S corrections to mean field); error at S=160 is 3.8e-5
    assert 0.9 < p < 1.15
    assert err[-1] < 1e-4


def test_crf_magnetisation_vanishes_above_threshold():
    lam = 1.5
    Ss = np.array([10, 20, 40, 80, 160])
    sz = np.array([float(steady_state(CRF, {"omega": 2 * lam, "kappa": 1.0}, S=int(S)).expect("Sz")) / S for S in Ss])
    p = -np.polyfit(np.log(Ss), np.log(np.abs(sz)), 1)[0]
    # fitted p = 1.05: <Sz>/S -> 0 like 1/S (no stable fixed point with sz != 0 for lambda > 1)
    assert 0.9 < p < 1.2
    assert abs(sz[-1]) < 2e-3


# ------------------------------------------------------------------ seed 002: purity on the PT line
def test_dimer_purity_falls_like_inverse_square_of_dimension():
    Ss = np.arange(2, 9)
    P = np.array([float(steady_state(DIMER, {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.5}, S=int(S)).purity())
                  for S in Ss])
    slope = np.polyfit(np.log(2 * Ss + 1), np.log(P), 1)[0]
    # fitted slope -1.95 over S = 2..8 (seed 002 Fig. 3b: P ~ 1/(2S+1)^2); local slope -> -2
    assert -2.1 < slope < -1.85
    local = np.diff(np.log(P))[-1] / np.diff(np.log(2 * Ss + 1))[-1]
    assert -2.1 < local < -1.9
    # and the state is nearly fully mixed: (2S+1)^2 P stays O(1)
    assert np.all((2 * Ss + 1) ** 2 * P < 2.5)


# ------------------------------------------------------------------ arbitrary precision
@pytest.mark.parametrize("S", [3, 10, 25])
def test_crf_dps50_residual_and_agreement_with_float64(S):
    vals = {"omega": 1.0, "kappa": 1.0}
    st = steady_state(CRF, vals, S=S, dps=50)
    assert isinstance(st.residual, mpmath.mpf)
    assert st.residual < mpmath.mpf("1e-45")
    f64 = steady_state(CRF, vals, S=S)
    assert f64.info["condition"] < 1e6  # well conditioned: float64 good to ~1e-10 or better
    with mpmath.workdps(50):
        sz = st.expect("Sz")
        assert abs(float(sz) - float(f64.expect("Sz"))) < 1e-12 * S
        # precision is real: dps=50 and dps=70 agree to ~50 digits
        st70 = steady_state(CRF, vals, S=S, dps=70)
        assert abs(st70.expect("Sz") - sz) < mpmath.mpf("1e-45")


def test_dps_on_two_site_model_and_dense_fallback():
    from numeric.solvers.precision import solve_refined

    vals = {"g": 1, "Gamma_g": "0.4", "Gamma_l": "0.6"}  # exact: 40 digits are claimed
    st = steady_state(DIMER, vals, S=1.5, dps=40)
    assert st.residual < mpmath.mpf("1e-36")
    sy = steady_system(DIMER, vals, S=1.5)
    rho_dense, _, res, info = solve_refined(sy, 40, maxiter=1)  # forces the python-flint LU
    assert info["method"].startswith("dense")
    assert res < mpmath.mpf("1e-36")
    with mpmath.workdps(40):
        assert mpmath.mnorm(rho_dense - st.rho, 1) < mpmath.mpf("1e-35")


def test_float64_refuses_and_names_dps():
    with pytest.raises(SolverError, match=r"dps=\d+"):
        steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=10, tol=1e-30)


# ------------------------------------------------------------------ modes and truncation
def test_kerr_and_open_dicke_truncation():
    kerr = an.models.kerr()
    vals = {"Delta": 1.0, "U": 0.5, "F": 0.6, "gamma": 0.5}
    st = steady_state(kerr, vals, D=2, truncation=40)
    n40 = float(st.expect("ad*a"))
    n60 = float(steady_state(kerr, vals, D=2, truncation=60).expect("ad*a"))
    assert abs(n40 - n60) < 1e-10  # converged in the truncation
    with pytest.raises(ModelError, match="truncation"):
        steady_state(kerr, vals, D=2, truncation=4)
    od = an.models.open_dicke()
    st = steady_state(od, {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0, "g_plus": 0.3, "g_minus": 0.5},
                      S=2, truncation=12)
    assert st.residual < 1e-12
    assert st.info["symmetries"] == ["*P0*P1"]  # the Z2 parity exp(i pi (Sz + a+a))


def test_spin_plus_cavity_is_ordered_by_metis():
    """A spin and a mode: the real-form unknowns (rho_{mn,m'n'} folded by Hermiticity) are coupled
    too far apart on their grid for the geometric bisection used for a single spin.  They are
    ordered by METIS (the trace row last), whose LU has less than 0.7 of the fill of SuperLU's
    minimum degree on A + A^T in the original order (as used before: SteadySystem.factorize only
    factors the permuted matrix, where minimum degree's tie-breaking differs); both give the same
    state."""
    od = an.models.open_dicke()
    sy = steady_system(od, {"omega_a": 1.0, "omega_c": 5.0, "kappa": 1.0, "g_plus": 1.2, "g_minus": 1.2},
                       S=4, truncation=12)
    assert sy.ordering == "METIS nested dissection"
    assert sy.perm[-1] == sy.k and np.array_equal(np.sort(sy.perm), np.arange(sy.n))
    inv = np.empty_like(sy.perm)
    inv[sy.perm] = np.arange(sy.n)
    A = sy.Ap[inv][:, inv].tocsc()                      # back to the original order
    assert nested_dissection(A, _grid_coordinates(sy.rf, sy.rep), sy.k) is None
    opts = {"diag_pivot_thresh": 0.0, "options": {"SymmetricMode": True}}
    metis = splu(sy.Ap, permc_spec="NATURAL", **opts)
    mmd = splu(A, permc_spec="MMD_AT_PLUS_A", **opts)
    nnz = (metis.L.nnz + metis.U.nnz, mmd.L.nnz + mmd.U.nnz)
    assert nnz[0] < 0.7 * nnz[1], nnz
    x = np.empty(sy.n)
    x[sy.perm] = metis.solve(sy.b[sy.perm])
    assert np.max(np.abs(x - mmd.solve(sy.b))) < 1e-10 * np.max(np.abs(x))


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("S", [0, -1, 1.3])
def test_invalid_S(S):
    with pytest.raises(ModelError, match="S"):
        steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=S)


def test_missing_unknown_negative_and_truncation():
    with pytest.raises(ModelError, match="kappa"):
        steady_state(CRF, {"omega": 1.0}, S=2)
    with pytest.raises(ModelError, match="'foo'"):
        steady_state(CRF, {"omega": 1.0, "kappa": 1.0, "foo": 2}, S=2)
    with pytest.raises(ModelError, match="negative"):
        steady_state(CRF, {"omega": 1.0, "kappa": -1.0}, S=2)
    with pytest.raises(ModelError, match="truncation"):
        steady_state(an.models.kerr(), {"Delta": 1.0, "U": 0.5, "F": 0.6, "gamma": 0.5}, D=2, truncation=1)
    with pytest.raises(ModelError, match="truncation"):
        steady_state(an.models.kerr(), {"Delta": 1.0, "U": 0.5, "F": 0.6, "gamma": 0.5}, D=2)
    with pytest.raises(ModelError, match="'S'"):
        steady_state(CRF, {"omega": 1.0, "kappa": 1.0})
    with pytest.raises(ModelError, match="dps"):
        steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=2, dps=5)
    with pytest.raises(ModelError, match="tol"):
        steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=2, tol=-1)


def test_iterative_fallback_when_factorisation_fails(monkeypatch):
    from numeric.solvers import steady as st_mod

    def broken(self, *a, **k):  # a SuperLU failure other than a singular matrix (which means not unique)
        raise RuntimeError("SuperLU: not enough memory")

    monkeypatch.setattr(st_mod.SteadySystem, "factorize", broken)
    st = steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=8)
    assert st.info["method"] == "gmres + ilu"
    monkeypatch.undo()
    direct = steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=8)
    assert st.residual < 1e-10
    assert np.max(np.abs(st.rho - direct.rho)) < 1e-10


def test_with_trace_row_is_the_sparse_addition_bit_for_bit():
    """Row k replaced by the weight at the populations: the arrays of the former construction (zero row
    k, add the trace row, drop zeros), for k first, inside and last."""
    import scipy.sparse as sps

    rng = np.random.default_rng(5)
    A = sps.random(40, 40, density=0.15, random_state=rng, format="csr")
    pops = np.array([0, 3, 7, 8, 20, 39])
    for k in (0, 7, 39):
        B = A.copy()
        B.data[np.repeat(np.arange(40), np.diff(B.indptr)) == k] = 0.0
        ref = B + sps.csr_matrix((np.full(len(pops), 0.37), (np.full(len(pops), k), pops)), shape=B.shape)
        ref.eliminate_zeros()
        got = _with_trace_row(A, k, pops, 0.37)
        assert got.indices.dtype == ref.indices.dtype
        assert np.array_equal(got.toarray(), ref.toarray())
        got.sort_indices()
        for a, b in ((got.indptr, ref.indptr), (got.indices, ref.indices), (got.data, ref.data)):
            assert np.array_equal(a, b)


def test_steady_system_matrix_is_the_former_construction_bit_for_bit():
    """SteadySystem.Ap (trace row spliced in, permuted by relabelling) equals the former
    ``(A + trace row)[perm][:, perm].tocsc()`` array for array, and the weight is the mean of |A|."""
    import scipy.sparse as sps

    from numeric.core.liouvillian import real_form, superop

    for model, values, sizes in ((an.models.crf(), {"omega": "1.3", "kappa": "0.9"}, {"S": 20}),
                                 (an.models.get("gain_loss_dimer"), {"g": 0.9, "Gamma_g": 0.4, "Gamma_l": 0.65},
                                  {"S": 2})):
        sy = steady_system(model, values, **sizes)
        keep = None
        if sy.charges:
            from numeric.core.liouvillian import sector_of_charges

            q = sector_of_charges(sy.rep, sy.charges)
            keep = np.all(q[:, None, :] == q[None, :, :], axis=2)
        A = real_form(superop(sy.H, sy.jumps), sy.rep, keep_pairs=keep).A
        pops = np.nonzero(sy.rf.kind == 0)[0]
        assert sy.weight == float(np.mean(np.abs(A.data)))
        A.data[np.repeat(np.arange(A.shape[0]), np.diff(A.indptr)) == sy.k] = 0.0
        A = A + sps.csr_matrix((np.full(len(pops), sy.weight), (np.full(len(pops), sy.k), pops)), shape=A.shape)
        A.eliminate_zeros()
        ref = A[sy.perm][:, sy.perm].tocsc()
        for a, b in ((sy.Ap.indptr, ref.indptr), (sy.Ap.indices, ref.indices), (sy.Ap.data, ref.data)):
            assert a.dtype == b.dtype and np.array_equal(a, b)

