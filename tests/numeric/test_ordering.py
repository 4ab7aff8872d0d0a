"""numeric.core.ordering.permuted_csc against SciPy's fancy indexing, bit for bit."""
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
