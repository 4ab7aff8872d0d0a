"""The int64 digit arithmetic of the arbitrary-precision refinement (numeric.solvers.digits) against Python
integers: conversions, the residual bit for bit against FixedPointLiouvillian.apply, the quotients of the
returned state, and whole dps solves with and without it."""
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic.algebra import Spin
from analytic.model import Dissipator, Model
from numeric import steady_state
from numeric.core.errors import SolverError
from numeric.core.liouvillian import setup
from numeric.solvers import digits as D
from numeric.solvers import precision
from numeric.solvers.steady import SteadySystem

CRF = an.models.crf()


def _twisted() -> Model:
    """A spin with a complex jump (1 + i/3) S-: the jump weights have an imaginary part."""
    S, om, ka = sp.Symbol("S", positive=True), sp.Symbol("omega", positive=True), sp.Symbol("kappa", positive=True)
    s = Spin("", S)
    return Model("complex jump", {"omega": om, "kappa": ka}, (s,), s.x * om, (Dissipator(s.minus * (1 + sp.I / 3), ka),))


def test_digits_round_trip_python_ints_and_refuse_what_does_not_fit():
    rng = np.random.default_rng(4)
    v = [0, 1, -1, (1 << 155) - 1, -(1 << 155), 12345678901234567890123] + [
        int(a) * int(b) * (1 if c else -1) for a, b, c in rng.integers(0, 1 << 62, (200, 3))]
    x = D.to_digits(v, 8)
    assert x.dtype == np.int64 and x.shape == (len(v), 8)
    assert (x[:, :-1] >= 0).all() and (x[:, :-1] < 1 << D.B).all()  # floor-normalised digits
    assert [int(t) for t in D.to_ints(x)] == v
    with pytest.raises(SolverError, match="do not fit"):
        D.to_digits([1 << (8 * D.B)], 8)


def test_from_float_is_float_to_fixed_and_add_is_exact():
    rng = np.random.default_rng(5)
    f = np.concatenate([rng.standard_normal(300) * 10.0 ** rng.integers(-40, 3, 300),
                        [0.0, -0.0, 1.3, -0.9, 2.0 ** -200, -(2.0 ** -300)]])
    fmt = D.DigitFormat(8)
    for e in (26 * 6, 26 * 6 + 7, 40):
        a = fmt.from_float(f, e)
        assert [int(t) for t in D.to_ints(a)] == [int(t) for t in precision.float_to_fixed(f, e)]
    a, b = fmt.from_float(f, 156), fmt.from_float(f[::-1].copy(), 156)
    ia, ib = D.to_ints(a), D.to_ints(b)
    assert [int(t) for t in D.to_ints(fmt.add(a, b))] == [int(s) + int(t) for s, t in zip(ia, ib)]
    assert [int(t) for t in D.to_ints(fmt.add(a, b, -1))] == [int(s) - int(t) for s, t in zip(ia, ib)]
    fl, s = fmt.scaled(a)  # the same scale as scaled_float, each value rounded (not truncated to 60 bits)
    assert abs(s - precision.scaled_float(ia)[1]) <= 1 and 2.0 ** 59 <= max(abs(fl)) <= 2.0 ** 61
    assert all(abs(Fraction(float(u)) * 2 ** s - int(v)) <= abs(int(v)) * Fraction(1, 2 ** 50)  # a few roundings
               for u, v in zip(fl, ia))
    with pytest.raises(SolverError, match="does not fit"):
        fmt.from_float(np.array([1e60]), 156)


@pytest.mark.parametrize("model, values, sizes", [
    (CRF, {"omega": "1.3", "kappa": "0.9"}, {"S": 6}),
    (_twisted(), {"omega": "0.7", "kappa": "1.1"}, {"S": Fraction(9, 2)}),
    (an.models.gain_loss_dimer(), {"g": "1.3", "Gamma_g": "0.8", "Gamma_l": "0.45"}, {"S": Fraction(3, 2)}),
    (an.models.open_dicke(), {"omega_a": "0.9", "omega_c": "1.3", "kappa": "1.1", "g_plus": "0.3", "g_minus": "0.55"},
     {"S": 2, "truncation": 7}),
], ids=["crf", "complex-jump", "dimer", "spin+mode"])
def test_digit_residual_is_the_python_integer_residual_bit_for_bit(model, values, sizes):
    """On random Hermitian rho (real-form coordinates), -L rho in digits equals the coordinates of
    FixedPointLiouvillian.apply in Python integers exactly, for one and several subsystems, real and complex
    jumps; with ``base`` it is base minus that."""
    sy = SteadySystem(model, values, **sizes)
    rf, p = sy.rf, D.aligned_bits(148)
    fl = precision.FixedPointLiouvillian(sy.model, sy.rep, sy.vals, p)
    engine = precision._engine(fl, rf, p)
    assert engine is not None
    rng = np.random.default_rng(6)
    for scale in (1.0, 1e-17):
        x = rng.standard_normal(len(rf.i)) * scale
        xd, xi = engine.format.from_float(x, p), precision.float_to_fixed(x, p)
        want = -precision._coords(rf, *fl.apply(*precision._to_matrix(rf, xi)))
        got = D.to_ints(engine.residual(xd))
        assert [int(t) for t in got] == [int(t) for t in want]
        assert max(abs(int(t)) for t in want) > 1 << (p - 80)  # not a trivially small product
        base = engine.format.from_float(rng.standard_normal(len(rf.i)), p)
        got = D.to_ints(engine.residual(xd, base=base))
        assert [int(t) for t in got] == [int(b) + int(t) for b, t in zip(D.to_ints(base), want)]


def test_ratios_are_the_quotients_to_the_bits_asked():
    rng = np.random.default_rng(7)
    p = D.aligned_bits(200)
    fmt = D.DigitFormat(p // D.B + 2)
    x = fmt.from_float(rng.standard_normal(500) * 10.0 ** rng.integers(-30, 1, 500), p)
    xi = D.to_ints(x)
    T = (1 << p) + (int(rng.integers(1, 1 << 62)) << 60) + 7
    for bits in (110, 200):
        man, ex = D.ratios(x, T, bits)
        for m, e, v in zip(man, ex, xi):
            exact = Fraction(int(v), T)
            got = Fraction(int(m)) * Fraction(2) ** int(e)
            assert abs(got - exact) <= abs(exact) * Fraction(1, 2 ** (bits - 1))


@pytest.mark.parametrize("model, values, sizes", [
    (CRF, {"omega": "1.3", "kappa": "0.9"}, {"S": 30}),
    (_twisted(), {"omega": "0.7", "kappa": "1.1"}, {"S": 5}),
    (an.models.open_dicke(), {"omega_a": "0.9", "omega_c": "1.3", "kappa": "1.1", "g_plus": "0.3", "g_minus": "0.55"},
     {"S": 2, "truncation": 9}),
], ids=["crf", "complex-jump", "spin+mode"])
def test_dps_solve_with_digits_is_the_solve_with_python_integers(model, values, sizes, monkeypatch):
    """The whole refinement in digits (each residual the previous one minus L applied to the correction) and
    in Python integers (each residual anew) give the same state to the last of the 40 digits asked, and
    report the arithmetic used."""
    states = {}
    for digits in (True, False):
        monkeypatch.setattr(precision, "DIGITS", digits)
        states[digits] = steady_state(model, values, dps=40, **sizes)
    a, b = states[True], states[False]
    assert a.info["residual_arithmetic"].startswith("int64") and b.info["residual_arithmetic"] == "Python integers"
    assert a.residual <= a.info["tol"] and b.residual <= b.info["tol"]
    d = a.rho.rows
    with mpmath.workdps(40):
        worst = max(abs(a.rho[i, j] - b.rho[i, j]) for i in range(d) for j in range(d))
        assert worst <= mpmath.mpf(10) ** -40
        assert abs(a.trace() - 1) <= mpmath.mpf(10) ** -38
        assert all(a.rho[i, j] == mpmath.conj(a.rho[j, i]) for i in range(d) for j in range(d))


def test_too_many_diagonals_for_an_int64_column_are_refused():
    """2 * (diagonals of K) * digits products of two 26-bit digits must fit an int64 column, else the digit
    residual refuses (the solve then uses Python integers)."""
    p = D.aligned_bits(148)
    d = 3
    K = {o: (np.array([1 << p] * d, dtype=object), np.zeros(d, dtype=object)) for o in range(-70, 71)}
    with pytest.raises(ValueError, match="overflow an int64 column"):
        D.DigitLiouvillian(K, [], p, np.zeros(1, int), np.zeros(1, int), np.zeros(1, int), d,
                           np.zeros(d * d, int), np.zeros(d * d, int), x_max=1 << p)
