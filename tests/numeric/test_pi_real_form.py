"""numeric.pi.liouvillian.real_coo: the real-form matrix it builds is the Liouvillian on the real
coordinates of the symmetric sector, for every real form (Pi_2, none, Pi_1; a rotation i**rot from
omega = -i) and for float values and exact int64 codes alike."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sps

import analytic as an
from numeric.pi.liouvillian import I_POW, PILiouvillian, mul_i_float, mul_i_obj, real_coo, real_form, to_vec

NO_SYMMETRY = {"u1": False, "z2": False, "omega": None}
PI_1 = {"u1": False, "z2": True, "omega": None}


def _coordinates(rf, x):
    """The real coordinates of a vector x of the sector (the inverse of to_vec)."""
    z = x[rf.keep] * np.conj(I_POW[rf.rot[rf.keep]])
    y = np.zeros(rf.ncoord)
    y[rf.ucol[rf.keep]] = z.real
    if not rf.antiunitary:
        off = rf.keep[rf.vcol[rf.keep] >= 0]
        y[rf.vcol[off]] = (x[off] * np.conj(I_POW[rf.rot[off]])).imag
    return y


@pytest.mark.parametrize("model, values, N", [
    (an.models.driven_dicke(), {"Omega": "3.05", "gamma_c": "1", "gamma_s": "0.1"}, 9),
    (an.models.lmg(), {"V": "1.3", "gamma_I": "0.9", "gamma_C": "0.4"}, 8),  # Pi_2 with omega = -i: rotations
], ids=["driven_dicke-N9", "lmg-N8"])
@pytest.mark.parametrize("sym", ["detected", "none", "pi1"])
def test_real_coo_is_the_liouvillian_on_real_coordinates(model, values, N, sym):
    pl = PILiouvillian(model, values, N)
    symmetries = {"detected": pl.symmetries, "none": NO_SYMMETRY, "pi1": PI_1}[sym]
    rf = real_form(pl.basis, symmetries)
    coo = pl.L.tocoo()
    r, c, v = real_coo(rf, coo.row, coo.col, coo.data.real, coo.data.imag, mul_i_float)
    A = sps.csr_matrix((v, (r, c)), shape=(rf.ncoord, rf.ncoord))
    y = np.random.default_rng(5).standard_normal(rf.ncoord)
    x = to_vec(rf, y)
    assert np.allclose(_coordinates(rf, x), y, atol=1e-14)  # the test's inverse of to_vec
    want = _coordinates(rf, pl.L @ x)
    assert np.linalg.norm(A @ y - want) <= 1e-12 * np.linalg.norm(want)
    # int64 codes (value sign(k) * vals[|k|]: 1.. the real parts, nnz + 1.. the imaginary ones) give the same entries
    codes = np.arange(1, coo.nnz + 1, dtype=np.int64)
    r2, c2, k2 = real_coo(rf, coo.row, coo.col, codes, codes + coo.nnz, mul_i_obj)
    vals = np.concatenate([[0.0], coo.data.real, coo.data.imag])
    v2 = np.sign(k2) * vals[np.abs(k2)]
    assert np.array_equal(r2, r) and np.array_equal(c2, c) and np.array_equal(v2, v)
