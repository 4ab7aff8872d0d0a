"""crf steady state at dps = 30 against an independent dps = 40 solve and the Puri-Lawande closed form."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import analytic as an
from numeric import steady_state
from numeric.solvers.precision import float_to_fixed, scaled_float

CRF = an.models.crf()
VALUES = {"omega": "1.3", "kappa": "0.9"}


@pytest.mark.parametrize("S", [40, 200])
def test_crf_dps30_sz_to_28_digits(S):
    """<Sz> at dps = 30 agrees with dps = 40 and with crf.exact.sz (omega = 13/10, kappa = 9/10 exactly) to 28 digits."""
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    st30 = steady_state(CRF, VALUES, S=S, dps=30)
    st40 = steady_state(CRF, VALUES, S=S, dps=40)
    with mpmath.workdps(50):
        ref = f(mpmath.mpf(13) / 10, mpmath.mpf(9) / 10, mpmath.mpf(S)) * S
        z30, z40 = mpmath.re(st30.expect("Sz")), mpmath.re(st40.expect("Sz"))
        assert abs(z30 - ref) <= mpmath.mpf(10) ** -28 * abs(ref)
        assert abs(z30 - z40) <= mpmath.mpf(10) ** -28 * abs(z40)
        assert abs(st30.trace() - 1) <= mpmath.mpf(10) ** -28
    assert st30.residual <= st30.info["tol"]


def test_float_to_fixed_is_the_floor_of_the_binary_value():
    """Each entry is floor(f * 2**e) of the exact binary float (vectorised conversion)."""
    f = np.array([[1.3, -0.9, 2.75e-30], [-1e-300, 0.0, 3e200]])
    for e in (0, 60, 400):
        out = float_to_fixed(f, e)
        assert out.shape == f.shape
        want = [int((Fraction(v) * 2 ** e).__floor__()) for v in f.ravel()]
        assert [int(t) for t in out.ravel()] == want


def test_scaled_float_truncates_to_60_bits():
    """Integers are shifted (towards zero) so that the largest has about 60 bits; small ones are unchanged."""
    v = np.array([13 << 200, -(9 << 190) - 1, 7, 0], dtype=object)
    fl, s = scaled_float(v)
    assert s == (13 << 200).bit_length() - 60
    assert fl.tolist() == [float((13 << 200) >> s), -float(((9 << 190) + 1) >> s), 0.0, 0.0]
    small, s0 = scaled_float(np.array([3, -5], dtype=object))
    assert s0 == 0 and small.tolist() == [3.0, -5.0]


def test_mp_density_matrix_filled_in_bulk_equals_entry_by_entry(monkeypatch):
    """The refined state's mpmath matrix, filled through mpmath's own dictionary (precision.BULK_MATRIX),
    is the matrix __setitem__ builds: same entries to the last bit, no stored zeros, and mpmath's matrix
    operations (transpose, product, trace) work on it."""
    from numeric.solvers import precision

    states = {}
    for bulk in (True, False):
        monkeypatch.setattr(precision, "BULK_MATRIX", bulk)
        states[bulk] = steady_state(CRF, VALUES, S=7, dps=30)
    a, b = states[True].rho, states[False].rho
    assert (a.rows, a.cols) == (b.rows, b.cols) == (15, 15)
    assert all(a[i, j] == b[i, j] for i in range(15) for j in range(15))
    assert all(v != 0 for v in a._matrix__data.values()) and len(a._matrix__data) == len(b._matrix__data)
    with mpmath.workdps(30):
        assert abs(sum((a * a.T)[i, i] for i in range(15)) - sum((b * b.T)[i, i] for i in range(15))) == 0
        assert abs(sum(a[i, i] for i in range(15)) - 1) <= mpmath.mpf(10) ** -28


def test_fixed_point_sandwich_equals_two_products():
    """FixedPointLiouvillian.apply forms J rho J^dagger of a one-diagonal jump as one product with the
    precomputed outer product of J's entries; on a random Hermitian rho it equals apply_general (two
    matrix products, K rho^dagger as well) to the rounding of both (a few units of 2**-p: each floors
    twice), for a real and a complex jump."""
    from numeric.core.liouvillian import setup
    from numeric.solvers.precision import FixedPointLiouvillian

    rng = np.random.default_rng(8)
    import sympy as sp

    from analytic.algebra import Spin
    from analytic.model import Dissipator, Model

    S, om, ka = sp.Symbol("S", positive=True), sp.Symbol("omega", positive=True), sp.Symbol("kappa", positive=True)
    s = Spin("", S)
    twisted = Model("complex jump", {"omega": om, "kappa": ka}, (s,), s.x * om,
                    (Dissipator(s.minus * (1 + sp.I / 3), ka),))
    for model, values in ((CRF, VALUES), (twisted, {"omega": "0.7", "kappa": "1.1"})):
        rep, vals = setup(model, values, S=6)
        p = 120
        fl = FixedPointLiouvillian(model, rep, vals, p)
        d = rep.dim
        H = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
        H = H + H.conj().T
        Xr = np.array([[int(v) for v in row] for row in np.round(H.real * 2.0 ** 50)], dtype=object) << (p - 50)
        Xi = np.array([[int(v) for v in row] for row in np.round(H.imag * 2.0 ** 50)], dtype=object) << (p - 50)
        Rr, Ri = fl.apply(Xr, Xi)
        Gr, Gi = fl.apply_general(Xr, Xi)
        # each path floors twice: an error of one unit times the other factor (|j| or |rho|) plus one
        (o, (jr, ji)), = fl.jumps[0].items()
        jmax = max(abs(complex(int(a), int(b))) for a, b in zip(jr, ji)) / 2.0 ** p
        bound = 2 + 2 * (jmax + np.abs(H).max())
        assert max(abs(int(v)) for v in (Rr - Gr).ravel()) <= bound
        assert max(abs(int(v)) for v in (Ri - Gi).ravel()) <= bound
        assert max(abs(int(v)) for v in Rr.ravel()) > 2 ** (p - 10)  # not a trivially small product


def test_building_the_mp_matrix_leaves_the_collector_as_it_was():
    """The mpmath matrix is built with the collector off and its objects moved to the oldest generation
    (gc.freeze + gc.unfreeze): afterwards the collector is on again, nothing of ours stays frozen, and a
    caller's own frozen objects stay frozen (the move is skipped then)."""
    import gc

    assert gc.isenabled()
    steady_state(CRF, VALUES, S=6, dps=30)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    keep = [[i] for i in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen >= len(keep)
        steady_state(CRF, VALUES, S=6, dps=30)
        # still frozen (a few frozen temporaries may have been freed meanwhile), and none of ours added
        assert gc.isenabled() and frozen - 50 <= gc.get_freeze_count() <= frozen
        assert not any(o is keep[0] for o in gc.get_objects())  # the caller's objects are not back in a generation
    finally:
        gc.unfreeze()
    gc.disable()
    try:  # a caller that keeps the collector off finds it off
        steady_state(CRF, VALUES, S=6, dps=30)
        assert not gc.isenabled()
    finally:
        gc.enable()
