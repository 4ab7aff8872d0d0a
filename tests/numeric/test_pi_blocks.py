"""Issue 20, acceptance 3: the block iteration in j of the permutation-invariant steady state
(numeric.pi.blocks: symmetric block Gauss-Seidel preconditioned GMRES) against the direct LU, its
use above BLOCKS_MIN_UNKNOWNS, its fallback and its memory estimate (no timings here: benchmarks/run.py)."""
from __future__ import annotations

import numpy as np
import pytest

import analytic as an
from numeric.core import resources
from numeric.core.errors import SolverError
from numeric.pi import blocks
from numeric.pi.liouvillian import PILiouvillian, to_vec
from numeric.pi.steady import BLOCKS_MIN_UNKNOWNS, PISystem, check_solve_resources, estimate_solve
from numeric.solvers.steady import steady_state

DICKE = an.models.driven_dicke()
DICKE_VALUES = {"Omega": "0.9", "gamma_c": "1.3", "gamma_s": "0.4"}
N_BLOCKS = 56  # the smallest N of driven_dicke with at least BLOCKS_MIN_UNKNOWNS real unknowns


def _direct_state(model, values, N):
    """The float64 state of one direct LU of the same real-form system (normalised weighted blocks)."""
    sys_ = PISystem(PILiouvillian(model, values, N))
    solve = sys_.factorize("direct")[0]
    x = to_vec(sys_.rf, solve(sys_.b))
    return x / sum(np.trace(B).real for B in sys_.pl.basis.blocks(x))


@pytest.mark.parametrize("model, values, N", [
    (DICKE, DICKE_VALUES, 21),  # Pi_2 real form (one real number per entry pair), odd N
    (an.models.lmg(), {"V": "1.3", "gamma_I": "0.9", "gamma_C": "0.4"}, 20),  # q even sector
    (DICKE, {"Omega": "1.8", "gamma_c": "0.9", "gamma_s": "1.3"}, 18),
], ids=["driven_dicke-N21", "lmg-N20", "driven_dicke-N18"])
def test_block_iteration_solves_as_the_direct_lu(model, values, N):
    """A y = b and A^T y = b for the trace-row right-hand side and a random one: the block iteration
    and SuperLU on the whole system agree to 1e-9 relative."""
    sys_ = PISystem(PILiouvillian(model, values, N))
    direct, direct_t = sys_.factorize("direct")[:2]
    it, it_t, fill, name = sys_.factorize("blocks")
    assert "GMRES" in name and fill > 0
    rng = np.random.default_rng(7)
    for b in (sys_.b, rng.standard_normal(len(sys_.b))):
        for mine, ref in ((it, direct), (it_t, direct_t)):
            y, y0 = mine(b), ref(b)
            assert np.linalg.norm(y - y0) <= 1e-9 * np.linalg.norm(y0)


def test_steady_state_above_the_threshold_uses_the_blocks_and_equals_the_direct_lu():
    st = steady_state(DICKE, DICKE_VALUES, N=N_BLOCKS)
    assert st.info["unknowns"] >= BLOCKS_MIN_UNKNOWNS
    assert st.info["method"].startswith("GMRES") and "blocks_failed" not in st.info
    assert st.residual <= st.info["tol"]
    assert st.info["resources"]["solver"] == "permutational (blocks in j)"
    x0 = _direct_state(DICKE, DICKE_VALUES, N_BLOCKS)
    assert np.abs(st.x - x0).max() <= 1e-10 * np.abs(x0).max()


def test_block_iteration_falls_back_to_the_direct_lu(monkeypatch):
    """A solve the iteration gives up on (forced here) is redone by the direct LU; the state is the same."""
    def give_up(self, *args):
        raise blocks.NotConverged("forced")
    monkeypatch.setattr(blocks.BlockSolver, "_gmres", give_up)
    st = steady_state(DICKE, DICKE_VALUES, N=N_BLOCKS)
    assert st.info["blocks_failed"] == "forced" and st.info["method"].startswith("splu")
    assert st.residual <= st.info["tol"]


def test_non_unique_steady_state_refused_above_the_threshold():
    """gamma_s = 0: every total-spin block keeps its own steady state; the iteration does not hide it."""
    with pytest.raises(SolverError, match=r"steady_state_pi.*not unique"):
        steady_state(DICKE, {**DICKE_VALUES, "gamma_s": 0}, N=N_BLOCKS)


def test_block_estimate_admits_N200_in_16GB_where_one_LU_is_refused():
    """Checked from N alone, before anything is built: the block iteration at N = 200 (6.9e5 real
    unknowns) fits in 16 GB; one LU of the three-dimensional system would not."""
    est = resources.check(estimate_solve(200, "blocks"), "16GB", "test")
    assert est.unknowns == resources.estimate_permutational(200).unknowns and est.bytes < 16e9
    with pytest.raises(resources.ResourceError, match="exceeds max_memory"):
        resources.check(estimate_solve(200, "direct"), "16GB", "test")
    check_solve_resources(DICKE, DICKE_VALUES, 200, "16GB", "test")
    with pytest.raises(resources.ResourceError, match="test: estimated peak memory"):
        check_solve_resources(DICKE, DICKE_VALUES, 200, "100MB", "test")


def test_mixed_precision_refinement_through_the_block_iteration():
    """dps = 25 above the threshold: the refinement's corrections come from the block iteration; the
    refined state solves the exact fixed-point system to 1e-25 (its target) and float64 agrees within its condition."""
    import mpmath

    st = steady_state(DICKE, DICKE_VALUES, N=N_BLOCKS, dps=25)
    f = steady_state(DICKE, DICKE_VALUES, N=N_BLOCKS)
    assert st.info["method"].startswith("GMRES") and st.info["refinement"][-1] < 1e-25
    with mpmath.workdps(25):
        exact = st.expect("Sz")
    assert abs(f.expect("Sz") - float(exact)) <= f.info["condition"] * np.finfo(float).eps * N_BLOCKS / 2


def test_recycled_solves_equal_the_direct_lu_and_take_fewer_steps():
    """``recycle=True``: the first solve keeps its Krylov directions (A U = C, C orthonormal); later
    solves with random right-hand sides, deflated by them, agree with SuperLU to 1e-9 relative in fewer
    GMRES steps than the plain iteration; the space stays at most RECYCLE directions; 'T' is refused.
    Omega = 0.61 Omega_c (the benchmark's point), where the plain iteration needs 10 steps at N = 21."""
    sys_ = PISystem(PILiouvillian(DICKE, {"Omega": "3.05", "gamma_c": "1", "gamma_s": "0.1"}, 21))
    direct = sys_.factorize("direct")[0]
    sys_.factorize("blocks")
    bs = sys_.block_solver
    y = bs.solve(sys_.b, recycle=True)
    assert np.linalg.norm(y - direct(sys_.b)) <= 1e-9 * np.linalg.norm(direct(sys_.b))
    k = len(bs.C)
    assert 0 < k <= blocks.RECYCLE and bs.U.shape == bs.C.shape
    assert np.allclose(bs.C @ bs.C.T, np.eye(k), atol=1e-10)
    AU = (bs.Ab @ bs.U.T).T
    assert np.linalg.norm(AU - bs.C) <= 1e-8 * np.linalg.norm(bs.U) * float(abs(bs.Ab).sum(axis=1).max())
    rng = np.random.default_rng(3)
    for _ in range(3):
        b = rng.standard_normal(len(sys_.b))
        plain = bs.solve(b, "N", blocks.PROBE_RTOL)
        steps_plain = bs.iterations[-1]
        z = bs.solve(b, "N", blocks.PROBE_RTOL, recycle=True)
        assert bs.iterations[-1] < steps_plain
        ref = direct(b)
        for x in (plain, z):
            assert np.linalg.norm(x - ref) <= 1e-6 * np.linalg.norm(ref)  # both to PROBE_RTOL, condition ~1e2
        assert np.linalg.norm(sys_.A @ z - b) <= 100 * blocks.PROBE_RTOL * np.linalg.norm(b)
    assert len(bs.C) <= blocks.RECYCLE
    with pytest.raises(ValueError, match="trans='N' only"):
        bs.solve(b, "T", recycle=True)


def test_recycled_solve_refuses_a_non_finite_vector(monkeypatch):
    """A preconditioner giving NaN (an overflowing block solve, forced here) ends a recycled solve with
    NotConverged (the caller's fallback to the direct LU), not with a NaN answer or a LinAlgError."""
    sys_ = PISystem(PILiouvillian(DICKE, DICKE_VALUES, 21))
    sys_.factorize("blocks")
    bs = sys_.block_solver
    monkeypatch.setattr(bs, "_sweep", lambda v: np.full_like(v, np.nan))
    with pytest.raises(blocks.NotConverged, match="non-finite"):
        bs.solve(sys_.b, recycle=True)
