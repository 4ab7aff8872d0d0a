"""Issue 20, acceptance 2 (permutation-invariant part): the fixed-point system of the dps refinement built from
distinct values (numeric.pi.superops.Struct.fixed_table) and the refined states it gives (no timings here:
benchmarks/run.py)."""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import analytic as an
from numeric.pi.basis import dicke_basis
from numeric.pi.liouvillian import exact_vec, to_vec
from numeric.pi.superops import Struct, superop_structure
from numeric.solvers.steady import steady_state

DICKE = an.models.driven_dicke()


def _seed004(N: int) -> dict:
    """Seed 004's driven atoms: gamma_c = 1, gamma_s = 0.1, Omega = 0.3 Omega_c, Omega_c = (N - 1) gamma_c / 4 (exact)."""
    return {"gamma_c": "1", "gamma_s": "0.1", "Omega": str(Fraction(3, 10) * Fraction(N - 1, 4))}


@pytest.mark.parametrize("key", [("S", ("m",), ("m",)), ("L", ("p", "m")), ("R", ("z",)), ("I", 0, 1, 0, 1)])
def test_fixed_table_gives_every_entrys_fixed_point_value(key):
    """table[inverse] is round-down(sign sqrt(num/den) 2**p) entry by entry, for int64 and Python-int
    structures alike, with one table entry per distinct value."""
    s = superop_structure(dicke_basis(13), key)
    p = 97
    table, inverse = s.fixed_table(p)
    direct = [math.isqrt((int(n) << (2 * p)) // int(d)) * int(g) for g, n, d in zip(s.sign, s.num, s.den)]
    assert table[inverse].tolist() == direct
    assert len(set(table.tolist())) == len(table) <= len(direct)  # int64: one isqrt per distinct value
    big = Struct(s.rows, s.cols, s.sign, s.num.astype(object), s.den.astype(object))  # the dictionary path
    table_b, inverse_b = big.fixed_table(p)
    assert table_b[inverse_b].tolist() == direct
    assert len(table) <= len(table_b) <= len(direct)
    assert np.array_equal(s.fixed(p), np.array(direct, dtype=object))


def test_fixed_table_of_wide_int64_keys():
    """int64 numerators and denominators too wide for one packed key (50 + 40 bits: the sort over the
    three keys) and narrow ones (one packed key, up to all 64 bits of it) give the same table[inverse] as
    isqrt entry by entry."""
    rng = np.random.default_rng(11)
    for bits_n, bits_d in ((50, 40), (20, 3), (38, 25)):
        m = 3000
        num = rng.integers(1, 2 ** bits_n, m, dtype=np.int64)[rng.integers(0, 500, m)]  # repeated keys
        den = rng.integers(1, 2 ** bits_d, m, dtype=np.int64)[rng.integers(0, 500, m)]
        sign = np.where(rng.random(m) < 0.5, -1, 1).astype(np.int64)
        s = Struct(np.arange(m), np.arange(m), sign, num, den)
        p = 97
        table, inverse = s.fixed_table(p)
        direct = [math.isqrt((int(n) << (2 * p)) // int(d)) * int(g) for g, n, d in zip(sign, num, den)]
        assert table[inverse].tolist() == direct
        assert len(table) < m


@pytest.mark.parametrize("N", [40, pytest.param(100, marks=pytest.mark.slow)])
def test_dps30_agrees_with_dps40_to_28_digits(N):
    """Driven atoms (seed 004, Omega = 0.3 Omega_c): the dps = 30 state (direct LU at N = 40, block iteration at
    N = 100) agrees with the independent dps = 40 solve to 28 digits in <Sz> and <S+ S->, both refined
    residuals below 10^(5 - dps), and the float64 state within its condition bound."""
    a = steady_state(DICKE, _seed004(N), N=N, dps=30)
    b = steady_state(DICKE, _seed004(N), N=N, dps=40)
    f = steady_state(DICKE, _seed004(N), N=N)
    with mpmath.workdps(40):
        for op in ("Sz", "Sp*Sm"):
            va, vb = a.expect(op), b.expect(op)
            assert abs(va - vb) <= mpmath.mpf(10) ** -28 * abs(vb)
        assert a.info["refined_residual"] <= mpmath.mpf(10) ** -25
        assert b.info["refined_residual"] <= mpmath.mpf(10) ** -35
        sz = b.expect("Sz")
    assert abs(f.expect("Sz") - float(sz)) <= f.info["condition"] * np.finfo(float).eps * N / 2


@pytest.mark.parametrize("model, values, N", [
    (DICKE, {"Omega": "0.9", "gamma_c": "1.3", "gamma_s": "0.4"}, 9),  # Pi_2 real form, rotations i**rot
    (an.models.lmg(), {"V": "1.3", "gamma_I": "0.9", "gamma_C": "0.4"}, 8),
])
def test_exact_vec_is_the_float_vector_at_dps(model, values, N):
    """numeric.pi.liouvillian.exact_vec of the refined coordinates is to_vec of their float64 copy (upper and
    lower entries, 1e-15 relative), and the trace."""
    st = steady_state(model, values, N=N, dps=25)
    rf, (yfix, p) = st._exact
    with mpmath.workdps(25):
        xs = exact_vec(rf, yfix, p, 25)
        x = to_vec(rf, np.array([int(v) / (1 << p) for v in yfix]))
        top = np.abs(x).max()
        for i in range(len(x)):
            assert abs(complex(xs[i]) - x[i]) <= 1e-15 * top
        assert abs(float(xs["trace"]) - sum(np.trace(B).real for B in rf.basis.blocks(x))) <= 1e-14 * N
