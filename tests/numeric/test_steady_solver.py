"""The float64 crf path (issue 20): SuperLU with our ordering against the Puri-Lawande closed form,
the factor count it reports, and the residual check that refuses a wrong factorisation."""
import mpmath
import numpy as np
import pytest
import scipy.sparse as sps
import scipy.sparse.linalg as spla

import analytic as an
from numeric import SolverError
from numeric.solvers import steady as st_mod
from numeric.solvers.steady import steady_state, steady_system

CRF = an.models.crf()


def _closed_form_sz(omega, kappa, S):
    """<Sz>/S of the Puri-Lawande state (registered formula crf.exact.sz), 40 digits."""
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    with mpmath.workdps(40):
        return float(f(mpmath.mpf(omega), mpmath.mpf(kappa), mpmath.mpf(S)))


@pytest.mark.parametrize("S", [7, 60])
def test_float64_crf_agrees_with_puri_lawande(S):
    """omega = 1.3, kappa = 0.9 (lambda = 0.72, below threshold): <Sz>/S to 1e-12 relative."""
    st = steady_state(CRF, {"omega": 1.3, "kappa": 0.9}, S=S)
    ref = _closed_form_sz(1.3, 0.9, S)
    assert abs(float(st.expect("Sz")) / S - ref) <= 1e-12 * abs(ref)
    assert st.residual <= st.info["tol"]


def test_reported_lu_nnz_is_the_factor_count_of_the_ordered_system():
    """info['lu_nnz'] is SuperLU's count of the entries of L and U (lu.nnz), the factorisation the
    solve used: the system's own ordering (NATURAL on the pre-ordered matrix), diagonal pivoting."""
    vals = {"omega": 1.3, "kappa": 0.9}
    st = steady_state(CRF, vals, S=12)
    system = steady_system(CRF, vals, S=12)
    lu = spla.splu(system.Ap, permc_spec="NATURAL", diag_pivot_thresh=0.0, options=dict(SymmetricMode=True))
    assert st.info["lu_nnz"] == lu.nnz
    assert st.info["method"] == "splu" and st.info["ordering"] == "nested dissection"


def test_a_wrong_factorisation_is_refused_by_the_residual_check(monkeypatch):
    """A solver that answers wrongly (the factorisation of a perturbed matrix) and an iterative fallback
    that cannot start: no state is returned, the residual check raises SolverError."""
    original = st_mod.SteadySystem.factorize

    def wrong(self, pivot_threshold=0.0, ordering=None):
        Ap = self.Ap
        self.Ap = Ap * 1.0
        self.Ap.data = self.Ap.data * (1 + 0.3 * np.cos(np.arange(self.Ap.nnz)))  # a different matrix
        try:
            return original(self, pivot_threshold, ordering)
        finally:
            self.Ap = Ap

    def no_ilu(*args, **kwargs):
        raise RuntimeError("spilu: factor is exactly singular")

    monkeypatch.setattr(st_mod.SteadySystem, "factorize", wrong)
    monkeypatch.setattr(st_mod.spla, "spilu", no_ilu)
    with pytest.raises(SolverError, match=r"float64 is not enough: residual \|\|L rho\|\| = "):
        steady_state(CRF, {"omega": 1.3, "kappa": 0.9}, S=9)


def test_one_norm_condition_is_a_tight_lower_bound():
    """The Hager-Higham estimate of ||A^-1||_1 (condition.one_norm_condition) is at most the exact
    1-norm condition number and within a factor 3 of it, on a crf real form (S = 6) and on random
    non-symmetric matrices; passing the first solves (``first``) gives the same estimate."""
    from numeric.solvers.condition import condition_vectors, one_norm_condition
    sy = steady_system(CRF, {"omega": "1.3", "kappa": "0.9"}, S=6)
    rng = np.random.default_rng(5)
    mats = [sy.Ap.tocsc()] + [sps.csc_matrix(rng.standard_normal((60, 60)) + 0.3 * np.eye(60)) for _ in range(4)]
    for A in mats:
        dense = A.toarray()
        exact = np.linalg.norm(dense, 1) * np.linalg.norm(np.linalg.inv(dense), 1)
        lu = spla.splu(A)
        est = one_norm_condition(A, lu.solve, lambda v: lu.solve(v, trans="T"))
        assert exact / 3 <= est <= exact * (1 + 1e-10)
        first = lu.solve(condition_vectors(A.shape[0]))
        assert one_norm_condition(A, lu.solve, lambda v: lu.solve(v, trans="T"), first=first) == est


def test_refinement_with_an_inner_float64_step_needs_fewer_exact_residuals():
    """precision.refine on an exact integer system whose float64 'LU' is that of a perturbed matrix
    (backward error ~3e-5, as with pivoting inside fronts only): the float64-refined correction
    (``matvec=``) squares the contraction per step: 1e-40 in 6 exact residuals instead of 10 (at most 60%),
    and both land on the exact solution."""
    from fractions import Fraction

    from numeric.solvers.precision import refine

    rng = np.random.default_rng(4)
    n, p = 40, 200
    A = rng.integers(-9, 10, size=(n, n)) + np.diag(np.full(n, 60))
    b = rng.integers(-5, 6, size=n)
    lu = spla.splu(sps.csc_matrix(A * (1 + 3e-5 * rng.standard_normal((n, n)))))
    Ao = A.astype(object)

    def residual(x):  # b - A x exactly, in units of 2**-p (x in units of 2**-p)
        return np.array([int(v) for v in (b.astype(object) << p) - Ao.dot(x)], dtype=object)

    x0 = np.array([int(round(v * 2.0 ** 40)) << (p - 40) for v in lu.solve(b.astype(float))], dtype=object)
    target = mpmath.mpf(10) ** -40
    steps = {}
    for inner in (None, lambda v: A @ v):
        x, hist, ok = refine(x0.copy(), residual, lu.solve, res_bits=p, x_bits=p, target=target, maxiter=40,
                             matvec=inner)
        assert ok
        steps[inner is None] = len(hist)
        exact = np.linalg.solve(A.astype(float), b.astype(float))
        assert np.max(np.abs(np.array([float(Fraction(int(v), 1 << p)) for v in x]) - exact)) < 1e-14
    assert steps[False] <= 0.6 * steps[True], steps
