"""numeric.core.ordering: permuted_csc against SciPy's fancy indexing bit for bit, the compiled bisection
against a plain recursion."""
import numpy as np
import pytest
import scipy.sparse as sps

from numeric.core.ordering import permuted_csc


@pytest.mark.parametrize("seed", range(4))
def test_permuted_csc_is_scipys_fancy_indexing_bit_for_bit(seed):
    """Unsorted column indices in, the same CSC arrays (sorted, same index dtype) out as
    ``A[perm][:, perm].tocsc()``."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    A = sps.random(n, n, density=0.2, random_state=rng, format="csr")
    for r in range(n):  # shuffle each row's entries: unsorted indices
        lo, hi = A.indptr[r], A.indptr[r + 1]
        o = lo + rng.permutation(hi - lo)
        A.indices[lo:hi], A.data[lo:hi] = A.indices[o], A.data[o]
    A.has_sorted_indices = False
    perm = rng.permutation(n)
    got, ref = permuted_csc(A, perm), A[perm][:, perm].tocsc()
    assert got.format == "csc" and got.has_sorted_indices
    assert got.indices.dtype == ref.indices.dtype and got.indptr.dtype == ref.indptr.dtype
    for a, b in ((got.indptr, ref.indptr), (got.indices, ref.indices), (got.data, ref.data)):
        assert np.array_equal(a, b)


def test_permuted_csc_refuses_a_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        permuted_csc(sps.identity(3, format="csr"), np.arange(2))


def _reference_bisection(X, width, leaf):
    """The recursion of separator_tree in plain Python: bisect along the axis of largest
    extent / width at the (truncated) median, a slab of ``width`` as separator, down to ``leaf``;
    returns the postorder elimination order, the end of every node and its two children (-1: leaf)."""
    order, ends, kids = [], [], []

    def rec(ids):
        sub = X[ids]
        ext = (sub.max(axis=0) - sub.min(axis=0)) / width
        ax = int(np.argmax(ext))
        if len(ids) > leaf and ext[ax] > 2:
            c = sub[:, ax]
            med = int(np.median(c))
            below, above = c < med, c >= med + width[ax]
            if below.any() and above.any():
                left, right = rec(ids[below]), rec(ids[above])
                order.extend(ids[~below & ~above].tolist())
                ends.append(len(order))
                kids.append((left, right))
                return len(ends) - 1
        order.extend(ids.tolist())
        ends.append(len(order))
        kids.append((-1, -1))
        return len(ends) - 1

    rec(np.arange(len(X)))
    return np.array(order), np.array(ends), np.array(kids).reshape(-1, 2)


@pytest.mark.parametrize("seed", range(12))
def test_compiled_bisection_is_the_reference_recursion(seed):
    """separator_tree's compiled bisection equals the plain recursion on random point clouds in one to
    three dimensions, negative coordinates included."""
    from numeric.core.ordering import _bisect

    rng = np.random.default_rng(seed)
    d, n = int(rng.integers(1, 4)), int(rng.integers(1, 1500))
    X = rng.integers(-30 if seed % 2 else 0, 30, size=(n, d)).astype(np.int64)
    width = rng.integers(1, 4, size=d).astype(np.int64)
    leaf = int(rng.integers(1, 25))
    idx = np.arange(n, dtype=np.int64)
    ends, kids = _bisect(X, idx, width, leaf)
    order, ends_ref, kids_ref = _reference_bisection(X, width, leaf)
    assert np.array_equal(idx, order) and np.array_equal(ends, ends_ref) and np.array_equal(kids, kids_ref)
