"""Issue 17, "Values": one parser of parameter values (analytic.values) behind every entry point.

The same input is the same exact number through the numeric solvers (steady_state, float64, dps= and
the N= solver), the mean-field values (meanfield.checked_values, stability, continuation.flow,
meanfield_flow) and the registered formulas (mpmath backend at mp.dps, numpy backend); what is not a
finite real number is a ModelError naming the parameter, everywhere.  (Old: checked_values read text
with sp.Rational, so 'sqrt(2)/3' was refused there and accepted by numeric; the formulas read text
with mpmath.mpf; a negative mpmath number lost its sign in the numeric parser; an expression nested
1000 deep raised RecursionError.)"""
import decimal
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import formulas as F
from analytic import meanfield as mf
from analytic.model import ModelError
from analytic.values import exact_number, parse_values
from numeric import steady_state
from numeric.semiclassical.continuation import flow
from numeric.semiclassical.flows import meanfield_flow

CRF = an.models.crf()
OMEGA, KAPPA = CRF.symbol("omega"), CRF.symbol("kappa")
NINE_FIFTHS = sp.Rational(9, 5)


def _mpf50(text):
    with mpmath.workdps(50):
        return mpmath.mpf(text)


EXACT = ["1.8", "9/5", " 18/10 ", "0.18e1", "(3/5)*3", Fraction(9, 5), sp.Rational(9, 5), decimal.Decimal("1.8")]
IDS = ["str", "str-fraction", "str-spaces", "str-exponent", "str-expression", "Fraction", "Rational", "Decimal"]


def _lower_point():
    """crf's magnetised mean-field fixed point (seed 000): s_y = lambda, s_z = -sqrt(1 - lambda^2),
    lambda = omega / (2 kappa), as expressions in the model's symbols."""
    lam = OMEGA / (2 * KAPPA)
    return {"sx": 0, "sy": lam, "sz": -sp.sqrt(1 - lam**2)}


@pytest.mark.parametrize("value", EXACT, ids=IDS)
def test_the_same_exact_number_through_every_entry_point(value):
    """omega = 9/5 in every exact spelling: exactly 9/5 in parse_values (numeric) and checked_values
    (mean field); the 50-digit steady state (S = 2) is the same number as for the string '1.8' and
    equals the Puri-Lawande closed form crf.exact.sz at 9/5 to >= 45 digits; crf.meanfield.sz at
    mp.dps = 50 is the same mpf for every spelling and -sqrt(1 - (9/13)^2) to 48 digits; the numpy
    backend gives the float64 result of 1.8.  (Old: checked_values read text with sp.Rational and the formulas with mpmath.mpf:
    both refused '(3/5)*3', which the numeric parser read as 9/5.)"""
    assert exact_number(value, "omega") == NINE_FIFTHS
    assert parse_values(CRF, {"omega": value, "kappa": "1.3"}, {"S": 2})[OMEGA] == NINE_FIFTHS
    assert mf.checked_values(CRF, {"omega": value, "kappa": "1.3"})[OMEGA] == NINE_FIFTHS
    st = mf.stability(CRF, _lower_point(), {"omega": value, "kappa": "1.3"})
    ref_st = mf.stability(CRF, _lower_point(), {"omega": "1.8", "kappa": "1.3"})
    assert st.kind == "stable" and st.eigenvalues == ref_st.eigenvalues

    sz = steady_state(CRF, {"omega": value, "kappa": "1.3"}, S=2, dps=50).expect("Sz")
    sz_ref = steady_state(CRF, {"omega": "1.8", "kappa": "1.3"}, S=2, dps=50).expect("Sz")
    assert sz == sz_ref
    with mpmath.workdps(60):
        pl = F.get("crf.exact.sz", "mpmath")(mpmath.mpf(9) / 5, mpmath.mpf(13) / 10, 2) * 2  # <Sz> = S <Sz>/S
        assert abs(sz - pl) <= mpmath.mpf(10) ** -45 * abs(pl)

    f = F.get("crf.meanfield.sz", "mpmath")
    with mpmath.workdps(50):
        got = f(value, "1.3")
        assert got == f("1.8", "13/10") == f(sp.Rational(9, 5), Fraction(13, 10))
        with mpmath.workdps(70):
            exact = -mpmath.sqrt(1 - (mpmath.mpf(9) / 13) ** 2)
        assert abs(got - exact) <= mpmath.mpf(10) ** -48 * abs(exact)
    assert F.get("crf.meanfield.sz")(value, "1.3") == F.get("crf.meanfield.sz")(1.8, 1.3)


def test_a_50_digit_mpf_is_its_binary_value_everywhere():
    """mpmath.mpf('1.8') made at 50 digits is the binary number it holds (within 1e-50 of 9/5), the
    same in the numeric parser, checked_values and the formulas (rounded to mp.dps = 50: the same mpf)."""
    x = _mpf50("1.8")
    v = exact_number(x, "omega")
    assert v != NINE_FIFTHS and abs(v - NINE_FIFTHS) < sp.Rational(1, 10**50)
    assert mf.checked_values(CRF, {"omega": x})[OMEGA] == v
    assert parse_values(CRF, {"omega": x, "kappa": 1}, {"S": 2})[OMEGA] == v
    with mpmath.workdps(50):
        assert F.get("crf.meanfield.sz", "mpmath")(x, "1.3") == F.get("crf.meanfield.sz", "mpmath")("1.8", "1.3")
        assert F.formula("crf.meanfield.sz")._arguments((x, "1.3"), "mpmath")[0][0] == x
    sz = steady_state(CRF, {"omega": x, "kappa": "1.3"}, S=2, dps=50).expect("Sz")
    sz_ref = steady_state(CRF, {"omega": "1.8", "kappa": "1.3"}, S=2, dps=50).expect("Sz")
    with mpmath.workdps(60):
        assert abs(sz - sz_ref) <= mpmath.mpf(10) ** -48


def test_symbolic_text_is_the_same_number_in_numeric_mean_field_and_formulas():
    """'sqrt(2)/3' is sqrt(2)/3 everywhere (old: checked_values and stability refused it, sp.Rational
    cannot read it; the formulas' mpmath.mpf and float() could not either)."""
    value = "sqrt(2)/3"
    assert mf.checked_values(CRF, {"omega": value, "kappa": 1})[OMEGA] == sp.sqrt(2) / 3
    assert parse_values(CRF, {"omega": value, "kappa": 1}, {"S": 2})[OMEGA] == sp.sqrt(2) / 3
    assert mf.stability(CRF, _lower_point(), {"omega": value, "kappa": "1.3"}).kind == "stable"
    with mpmath.workdps(50):
        got = F.get("crf.meanfield.sz", "mpmath")(value, 1)
        with mpmath.workdps(70):
            exact = -mpmath.sqrt(1 - (mpmath.sqrt(2) / 6) ** 2)
        assert abs(got - exact) <= mpmath.mpf(10) ** -49
    assert F.get("crf.meanfield.sz")(value, 1) == pytest.approx(-np.sqrt(1 - 2 / 36), rel=1e-15)


def test_a_negative_mpmath_number_keeps_its_sign():
    """exact_number(mpf(-1.3)) was +1.3 (mpf.man_exp drops the sign), so steady_state with
    omega = mpf(-1.3) solved omega = +1.3: <Sy> flipped.  Now it equals the solve at -1.3."""
    assert exact_number(mpmath.mpf(-1.3)) == sp.Rational(Fraction(-1.3))
    assert exact_number(mpmath.mpc(-1.5, -2)) == sp.Rational(-3, 2) - 2 * sp.I
    a = steady_state(CRF, {"omega": mpmath.mpf(-1.3), "kappa": 1}, S=3).expect("Sy")
    b = steady_state(CRF, {"omega": -1.3, "kappa": 1}, S=3).expect("Sy")
    assert a == pytest.approx(b, rel=1e-12) and b < 0


# ------------------------------------------------------------------ refusals, naming the parameter
def _everywhere(omega):
    """Every entry point with omega = value: (label, callable)."""
    dd = an.models.driven_dicke()
    lmg = an.models.lmg()
    return [
        ("steady_state", lambda: steady_state(CRF, {"omega": omega, "kappa": 1}, S=2)),
        ("steady_state dps", lambda: steady_state(CRF, {"omega": omega, "kappa": 1}, S=2, dps=30)),
        ("steady_state N", lambda: steady_state(dd, {"Omega": omega, "gamma_c": 1, "gamma_s": "0.3"}, N=3)),
        ("checked_values", lambda: mf.checked_values(CRF, {"omega": omega, "kappa": 1})),
        ("stability", lambda: mf.stability(CRF, _lower_point(), {"omega": omega, "kappa": 1})),
        ("fixed_points_numeric", lambda: mf.fixed_points_numeric(CRF, {"omega": omega, "kappa": 1})),
        ("flow", lambda: flow(lmg, {"V": omega, "gamma_C": "0.3"}, "gamma_I", thermodynamic_limit=True)),
        ("meanfield_flow", lambda: meanfield_flow(CRF, {"omega": omega, "kappa": 1})),
        ("formula mpmath", lambda: F.get("crf.meanfield.sz", "mpmath")(omega, 1)),
        ("formula numpy", lambda: F.get("crf.meanfield.sz")(omega, 1)),
    ]


DEEP = "-" * 999 + "1"


@pytest.mark.parametrize("value, why", [
    ("1/0", "division by zero"), ("nan", "only numbers"), ("inf", "only numbers"),
    (DEEP, "nested deeper than 100 levels"), ("__import__('os')", "only numbers"),
], ids=["1/0", "nan", "inf", "deep", "code"])
def test_not_a_finite_number_is_refused_everywhere_naming_the_parameter(value, why):
    """'1/0', 'nan', a 1000-deep expression (old: RecursionError), code: a ModelError naming the
    parameter ('omega', or 'V' for lmg's flow, 'Omega' for driven_dicke) from every entry point."""
    for label, call in _everywhere(value):
        with pytest.raises(ModelError, match=why) as exc:
            call()
        assert any(f"'{p}'" in str(exc.value) for p in ("omega", "Omega", "V")), (label, str(exc.value))


@pytest.mark.parametrize("value", [1 + 1j, "1.8 + 2*I", mpmath.mpc(1, 1), sp.Rational(9, 5) * sp.I],
                         ids=["complex", "str", "mpc", "sympy"])
def test_complex_value_for_a_real_parameter_is_refused_everywhere(value):
    """omega (crf), Omega (driven_dicke) and V (lmg) are declared real: a complex value is a ModelError
    naming the parameter at every entry point (the formulas raise DomainError, a ModelError)."""
    for label, call in _everywhere(value):
        with pytest.raises(ModelError, match="real") as exc:
            call()
        assert any(p in str(exc.value) for p in ("omega", "Omega", "'V'")), (label, str(exc.value))


def test_nesting_limit_is_checked_before_walking_and_long_chains_are_one_level():
    """The depth is measured iteratively before anything recursive runs: 100 nested levels work,
    101 are refused by name; a + b - c ... and a * b / c ... chains count as one level, so a
    400-term sum (old: 400 recursion levels) is fine."""
    assert exact_number("-(" * 99 + "1" + ")" * 99) == -1  # 100 levels: parsed and evaluated
    assert exact_number("sqrt(" * 20 + "2" + ")" * 20) == 2 ** sp.Rational(1, 2**20)
    with pytest.raises(ModelError, match="'x'.*nested deeper than 100"):
        exact_number("sin(" * 101 + "1" + ")" * 101, "x")
    assert exact_number("+".join(["1"] * 400)) == 400
    assert exact_number("2*" * 200 + "3/" + "2/" * 199 + "2") == 3
    assert exact_number("-" * 98 + "1") == 1
    with pytest.raises(ModelError, match="'omega'.*nested deeper"):
        mf.checked_values(CRF, {"omega": DEEP})


def test_exact_crf_closed_forms_read_values_with_the_one_parser():
    """analytic.exact.sz and PuriLawande read omega and kappa through exact_number: every exact
    spelling of 9/5 gives the same 40-digit <Sz>/S, 'sqrt(2)/3' is accepted, text that is no number
    and complex values are ModelErrors naming omega (old: mpmath.mpf, which raised TypeError for
    Fraction(9, 5) and ValueError for '(3/5)*3')."""
    from analytic import exact as ex

    ref = ex.sz("1.8", "1.3", 10, dps=40)
    for v in ("9/5", "(3/5)*3", Fraction(9, 5), sp.Rational(9, 5), decimal.Decimal("1.8")):
        assert ex.sz(v, Fraction(13, 10), 10, dps=40) == ref
    assert ex.PuriLawande(sp.Rational(9, 5), "1.3", 10, dps=40).moments()["Sz"] == ex.PuriLawande(
        "1.8", "1.3", 10, dps=40).moments()["Sz"]
    assert ex.sz("sqrt(2)/3", 1, 3, dps=30) == ex.sz(sp.sqrt(2) / 3, 1, 3, dps=30)
    for bad, why in (("abc", "must be a number"), (1 + 1j, "real"), ("1/0", "division by zero")):
        with pytest.raises(ModelError, match=f"'omega'.*{why}"):
            ex.sz(bad, 1, 3, dps=30)
        with pytest.raises(ModelError, match=f"'omega'.*{why}"):
            ex.PuriLawande(bad, 1, 3)


def test_mpmath_function_keeps_exact_coefficients_of_i() -> None:
    """N I/4 at N = 10^32 is exact (SymPy's plain mpmath printer makes it the float64 product 2.5e31 * 1j)."""
    import mpmath

    from analytic.values import mpmath_function

    x = sp.Symbol("x")
    big = sp.Integer(10) ** 32 + 7
    with mpmath.workdps(50):
        f = mpmath_function([x], [big * sp.I / 4 + x, sp.Rational(9, 10) * sp.I])
        v = f(mpmath.mpf(1))
        assert v[0].imag * 4 == big                       # every digit of 10^32 + 7
        assert v[1] == mpmath.mpc(0, mpmath.mpf(9) / 10)
        m = mpmath_function([x], sp.Matrix([[x * sp.I * big]]))(mpmath.mpf(3))
        assert m[0, 0].imag == 3 * big
