"""The multifrontal LU (numeric.solvers.frontal) against SciPy's SuperLU, its refusals, the separator
tree it needs, and the crf steady state it serves against the Puri-Lawande closed form."""
import mpmath
import numpy as np
import pytest
import scipy.sparse as sps
import scipy.sparse.linalg as spla

import analytic as an
from numeric import SolverError
from numeric.core.ordering import SeparatorTree, separator_tree
from numeric.solvers import frontal, fronts
from numeric.solvers.frontal import FrontalLU
from numeric.solvers.steady import FRONTAL_MIN, steady_state, steady_system
from numeric.solvers.uniqueness import kernel_probe

CRF = an.models.crf()


def _grid(nx: int, ny: int, seed: int = 3):
    """A non-symmetric 7-point operator on an nx x ny grid (the crf stencil: (m, n) couples to
    (m +- 1, n), (m, n +- 1), (m +- 1, n +- 1)) with random entries, and the grid coordinates."""
    rng = np.random.default_rng(seed)
    X = np.array([(i, j) for i in range(nx) for j in range(ny)], dtype=np.int64)
    idx = {tuple(p): k for k, p in enumerate(X.tolist())}
    rows, cols = [], []
    for k, (i, j) in enumerate(X.tolist()):
        for di, dj in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)):
            q = idx.get((i + di, j + dj))
            if q is not None:
                rows.append(k)
                cols.append(q)
    vals = rng.standard_normal(len(rows)) * 0.9
    A = sps.csr_matrix((vals, (rows, cols)), shape=(len(X),) * 2)
    A = A + sps.diags(np.full(len(X), 1.3) * np.sign(A.diagonal() + 0.1))  # nonsingular, not dominant
    return A.tocsr(), X


def _check_separator_tree(A, tree):
    """The contract FrontalLU relies on: perm is a permutation, children come before parents, every
    subtree is a contiguous range, and an unknown of a subtree couples only to that subtree and to
    the separators of its ancestors (independent of how the tree was built)."""
    n = A.shape[0]
    assert np.array_equal(np.sort(tree.perm), np.arange(n))
    pos = np.empty(n, np.int64)
    pos[tree.perm] = np.arange(n)
    nn = len(tree.bounds) - 1
    assert tree.child_ptr.dtype == tree.child_list.dtype == np.int64
    assert len(tree.child_ptr) == nn + 1 and tree.child_ptr[0] == 0 and tree.child_ptr[-1] == len(tree.child_list)
    children = [tree.child_list[tree.child_ptr[i]:tree.child_ptr[i + 1]].tolist() for i in range(nn)]
    # every node but the root is the child of exactly one node
    assert sorted(c for ch in children for c in ch) == list(range(nn - 1))
    start = list(tree.bounds[:-1])
    for i, ch in enumerate(children):
        for c in ch:
            assert c < i
            start[i] = min(start[i], start[c])
    anc_ranges = {nn - 1: []}
    for i in range(nn - 1, -1, -1):
        for c in children[i]:
            anc_ranges[c] = anc_ranges[i] + [(tree.bounds[i], tree.bounds[i + 1])]
    coo = sps.coo_matrix(A)
    pr, pc = pos[coo.row], pos[coo.col]
    node_of = np.repeat(np.arange(nn), np.diff(tree.bounds))
    for i in range(nn):
        lo, hi = start[i], tree.bounds[i + 1]
        inside = (pr >= lo) & (pr < hi)
        other = pc[inside]
        ok = (other >= lo) & (other < hi)
        for a, b in anc_ranges[i]:
            ok |= (other >= a) & (other < b)
        assert ok.all(), f"node {i} couples outside its subtree and ancestors"
    assert node_of[-1] == nn - 1


@pytest.mark.parametrize("big", [10_000, 12])
def test_frontal_lu_solves_like_superlu(monkeypatch, big):
    """On a random non-symmetric grid operator (not diagonally dominant): A x = y and A^T x = y for
    a vector and a block of 3 right-hand sides agree with SuperLU to 1e-11; ``big`` moves the
    threshold of the LAPACK path so that both paths (compiled small fronts, LAPACK large fronts)
    carry most of the tree."""
    monkeypatch.setattr(frontal, "BIG_FRONT", big)
    A, X = _grid(37, 29)
    n = A.shape[0]
    tree = separator_tree(A, X, n - 1, leaf=7)
    _check_separator_tree(A, tree)
    lu = FrontalLU(A, tree)
    assert (lu.big.sum() > (~lu.big).sum()) == (big == 12)
    ref = spla.splu(A.tocsc())
    rng = np.random.default_rng(9)
    for y in (rng.standard_normal(n), rng.standard_normal((n, 3))):
        for trans in ("N", "T"):
            x, xr = lu.solve(y, trans), ref.solve(y, trans=trans)
            assert x.shape == y.shape
            assert np.linalg.norm(x - xr) <= 1e-11 * np.linalg.norm(xr)
            M = A if trans == "N" else A.T
            assert np.linalg.norm(M @ x - y) <= 1e-12 * np.linalg.norm(y) * abs(A).sum(axis=1).max()
    assert lu.nnz < ref.nnz  # nested dissection on the grid beats SuperLU's COLAMD
    # one thread or several (subtrees factorised and swept concurrently, their Schur complements
    # handed over between threads), with or without progress: the same factors bit for bit; the solves
    # to rounding (the subtrees' updates of the shared top rows are summed in another order)
    one = FrontalLU(A, tree, threads=1)
    Y = rng.standard_normal((n, 2))
    for threads in (2, 3):
        several = FrontalLU(A, tree, threads=threads, progress=True)
        assert len(several.subtrees) > threads and len(several.top) > 0
        assert np.array_equal(several.fac, one.fac) and np.array_equal(several.piv, one.piv)
        for trans in ("N", "T"):
            for y in (Y, Y[:, 0]):
                x1 = one.solve(y, trans)
                assert np.linalg.norm(several.solve(y, trans) - x1) <= 1e-14 * np.linalg.norm(x1)
    with pytest.raises(ValueError, match="threads"):
        FrontalLU(A, tree, threads=0)


@pytest.mark.skipif(not fronts._X86, reason="the x86 flush-to-zero mode")
@pytest.mark.parametrize("big", [10_000, 12])
def test_underflow_is_flushed_and_the_callers_register_restored(monkeypatch, big):
    """Couplings of 1e-160 make the Schur updates products of 1e-320 (denormal): the kernels flush
    them (no denormal in the factors, where gradual underflow would leave some), the solves still
    agree with SuperLU to 1e-12, and the calling thread's MXCSR is what it was."""
    monkeypatch.setattr(frontal, "BIG_FRONT", big)
    A, X = _grid(23, 17, seed=5)
    off = (sps.triu(A, 1, format="csr") + sps.tril(A, -1, format="csr")) * 1e-160
    A = (off + sps.diags(A.diagonal())).tocsr()
    n = A.shape[0]
    tree = separator_tree(A, X, n - 1, leaf=6)
    before = fronts.mxcsr()
    lu = FrontalLU(A, tree, threads=2)
    tiny = np.finfo(float).tiny
    assert not np.any((np.abs(lu.fac) < tiny) & (lu.fac != 0))
    ref = spla.splu(A.tocsc())
    y = np.random.default_rng(2).standard_normal(n)
    for trans in ("N", "T"):
        x, xr = lu.solve(y, trans), ref.solve(y, trans=trans)
        assert np.linalg.norm(x - xr) <= 1e-12 * np.linalg.norm(xr)
    assert fronts.mxcsr() & 0xFFC0 == before & 0xFFC0  # the control bits (the low six are sticky flags)


def test_frontal_lu_is_the_crf_factorisation():
    """On the crf real form (ordered tree of SteadySystem) the frontal solve equals SuperLU's, and a
    matrix that is not in the tree's order is refused with ValueError."""
    sy = steady_system(CRF, {"omega": "1.3", "kappa": "0.9"}, S=30)
    lu = FrontalLU(sy.Ap, sy.tree, ordered=True)
    ref = spla.splu(sy.Ap.tocsc())
    x = lu.solve(sy.b)
    xr = np.empty(sy.n)
    xr[sy.perm] = ref.solve(sy.b[sy.perm])
    assert np.linalg.norm(x - xr) <= 1e-10 * np.linalg.norm(xr)
    with pytest.raises(ValueError, match="not a separator tree"):
        rng = np.random.default_rng(1)
        p = rng.permutation(sy.n)
        FrontalLU(sy.Ap[p][:, p], sy.tree, ordered=True)
    with pytest.raises(ValueError, match="shape"):
        FrontalLU(sy.Ap[:-1, :-1], sy.tree)
    with pytest.raises(ValueError, match="trans"):
        lu.solve(sy.b, "C")


@pytest.mark.parametrize("big", [10_000, 12])
def test_exactly_singular_matrix_raises_solver_error(monkeypatch, big):
    """An unknown with an empty column (a singular matrix) gives an exactly zero pivot in its front:
    SolverError naming the front, in the compiled and in the LAPACK path."""
    monkeypatch.setattr(frontal, "BIG_FRONT", big)
    A, X = _grid(21, 19)
    n = A.shape[0]
    tree = separator_tree(A, X, n - 1, leaf=6)
    A = A.tolil()
    j = int(tree.perm[tree.bounds[-2] - 1])  # a separator unknown of the top front
    A[:, j] = 0.0
    with pytest.raises(SolverError, match="zero pivot"):
        FrontalLU(A.tocsr(), tree)


def test_separator_tree_validates():
    """SeparatorTree (children in CSR form) refuses bounds that do not cover perm, a child pointer that
    does not rise from 0 to the number of children, and children after their parent."""
    tree = SeparatorTree(np.arange(4), np.array([0, 2, 4]), np.array([0, 0, 1]), np.array([0]))
    assert tree.child_ptr.dtype == tree.child_list.dtype == np.int64
    with pytest.raises(ValueError, match="bounds"):
        SeparatorTree(np.arange(4), np.array([0, 2, 3]), np.array([0, 0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="bounds"):
        SeparatorTree(np.arange(4), np.array([0, 2, 4]), np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="child_ptr"):
        SeparatorTree(np.arange(4), np.array([0, 2, 4]), np.array([0, 0, 2]), np.array([0]))
    with pytest.raises(ValueError, match="child_ptr"):
        SeparatorTree(np.arange(6), np.array([0, 2, 4, 6]), np.array([0, 1, 0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="node 0 .*postorder"):
        SeparatorTree(np.arange(4), np.array([0, 2, 4]), np.array([0, 1, 1]), np.array([1]))
    with pytest.raises(ValueError, match="node 1 .*postorder"):
        SeparatorTree(np.arange(4), np.array([0, 2, 4]), np.array([0, 0, 1]), np.array([-1]))


def test_separator_tree_width_and_children():
    """The coupling width is the largest |X[row] - X[col]| per axis over the stored entries without
    row and column ``last`` (a coupling beyond 8 sites: None); the children are the bisection's, the
    trace row the root with the last node as its only child."""
    A, X = _grid(23, 17)
    n = A.shape[0]
    tree = separator_tree(A, X, n - 1, leaf=5)
    _check_separator_tree(A, tree)
    nn = len(tree.bounds) - 1
    assert tree.child_list[tree.child_ptr[nn - 1]:].tolist() == [nn - 2]
    assert np.all(np.diff(tree.child_ptr) <= 2)
    # a coupling of 9 sites along the second axis, in row `last` only: ignored; in another row: None
    far = int(np.flatnonzero((X[:, 0] == X[n - 1, 0]) & (X[:, 1] == X[n - 1, 1] - 9))[0])
    B = A.tolil()
    B[n - 1, far] = 1.0
    B[far, n - 1] = 1.0
    again = separator_tree(B.tocsr(), X, n - 1, leaf=5)
    assert np.array_equal(again.perm, tree.perm) and np.array_equal(again.bounds, tree.bounds)
    B[far, 0] = 1.0
    assert abs(X[far] - X[0]).max() > 8 and separator_tree(B.tocsr(), X, n - 1, leaf=5) is None
    one = separator_tree(sps.csr_matrix((1, 1)), np.zeros((1, 2), np.int64), 0)
    assert one.perm.tolist() == [0] and one.child_ptr.tolist() == [0, 0] and one.child_list.size == 0


def test_block_kernel_probe_equals_column_by_column():
    """kernel_probe(block=True) solves the same random columns in one call: the same singular values."""
    A, _ = _grid(15, 13)
    lu = spla.splu(A.tocsc())
    scale = float(abs(A).sum(axis=1).max())
    one = kernel_probe(lambda v: A @ v, lu.solve, A.shape[0], scale, k=3)
    blk = kernel_probe(lambda v: A @ v, lu.solve, A.shape[0], scale, k=3, block=True)
    assert one[0] == blk[0] == 0
    assert np.allclose(one[1], blk[1], rtol=1e-12, atol=0)


def test_crf_multifrontal_steady_state_agrees_with_puri_lawande():
    """Above FRONTAL_MIN unknowns (S = 170: 58 141) the float64 crf state comes from the multifrontal
    LU; omega = 1.3, kappa = 0.9 (lambda = 0.72): <Sz>/S to 1e-12 relative of crf.exact.sz, and the
    residual is within the tolerance."""
    S = 170
    st = steady_state(CRF, {"omega": "1.3", "kappa": "0.9"}, S=S)
    assert st.info["unknowns"] >= FRONTAL_MIN
    assert st.info["method"] == "multifrontal"
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    with mpmath.workdps(40):
        ref = float(f(mpmath.mpf(13) / 10, mpmath.mpf(9) / 10, mpmath.mpf(S)))
    assert abs(float(st.expect("Sz")) / S - ref) <= 1e-12 * abs(ref)
    assert st.residual <= st.info["tol"]



def test_single_mode_multifrontal_equals_superlu(monkeypatch):
    """A driven Kerr mode (one subsystem, no parity: truncation 250, 62 500 unknowns) also goes to the
    multifrontal LU; its state equals the SuperLU one (FRONTAL_MIN raised) to 1e-13 of the largest entry."""
    from numeric.solvers import steady as steady_mod
    kerr = an.models.kerr()
    vals = {"Delta": "1.3", "U": "0.9", "F": "0.7", "gamma": "0.45"}
    a = steady_state(kerr, vals, truncation=250, D=20)
    monkeypatch.setattr(steady_mod, "FRONTAL_MIN", 10 ** 9)
    b = steady_state(kerr, vals, truncation=250, D=20)
    assert (a.info["method"], b.info["method"]) == ("multifrontal", "splu")
    ra, rb = np.asarray(a.rho), np.asarray(b.rho)
    assert np.abs(ra - rb).max() <= 1e-13 * np.abs(rb).max()
    assert a.residual <= a.info["tol"]

@pytest.mark.slow
def test_crf_S1000_agrees_with_puri_lawande_to_ten_digits():
    """Issue 20: crf at S = 1000 (2 003 001 unknowns, multifrontal, ~25 s and 3.3 GB) agrees with the
    Puri-Lawande closed form to at least 10 digits (14 measured) at omega = 1.3, kappa = 0.9."""
    S = 1000
    st = steady_state(CRF, {"omega": "1.3", "kappa": "0.9"}, S=S)
    assert st.info["method"] == "multifrontal" and st.info["unknowns"] == 2003001
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    with mpmath.workdps(40):
        ref = float(f(mpmath.mpf(13) / 10, mpmath.mpf(9) / 10, mpmath.mpf(S)))
    assert abs(float(st.expect("Sz")) / S - ref) <= 1e-10 * abs(ref)
    assert st.residual <= st.info["tol"]
