"""Operator strings (Model.operator, issue 17 defect 11): division by zero, non-finite numbers and
sizes beyond the documented limits are a ModelError naming the string and the reason, raised
before any operator algebra; numbers are exact as written."""
import time

import pytest
import sympy as sp

import analytic as an
from analytic import algebra
from analytic.model import OPERATOR_STRING_LIMITS, ModelError

CRF = an.models.crf()
SPIN = CRF.subsystems[0]
DICKE = an.models.open_dicke()


@pytest.fixture
def no_operator_powers(monkeypatch):
    """Op.__pow__ fails: a refusal raised under it was raised before any operator power was built."""
    def boom(self, n):
        raise AssertionError("operator algebra started before the string was checked")
    monkeypatch.setattr(algebra.Op, "__pow__", boom)


def exact(op) -> bool:
    """No floating-point number in the coefficients."""
    return not any(sp.sympify(c).has(sp.Float) for c in op.terms.values())


# --------------------------------------------------------------------------- division by zero
@pytest.mark.parametrize("text", ["Sx/0", "Sx/0.0", "1/0", "Sx*(1/0)", "Sx/(1 - 1)", "Sx/(0.9 - 9/10)",
                                  "Sx/(1j*1j + 1)", "0**-1*Sx", "1.3*Sz/(2**-3 - 0.125)"])
def test_division_by_zero_is_refused(text):
    with pytest.raises(ModelError, match=r"division by zero") as exc:
        CRF.operator(text)
    assert repr(text) in str(exc.value)


def test_division_by_zero_is_refused_before_any_algebra(no_operator_powers):
    with pytest.raises(ModelError, match="division by zero"):
        CRF.operator("Sx**2*Sy/(1.8 - 9/5)")


def test_division_by_an_operator_and_unknown_names_are_refused_before_any_algebra(no_operator_powers):
    with pytest.raises(ModelError, match="division by an operator"):
        CRF.operator("Sx**2/(Sz - Sz)")
    with pytest.raises(ModelError, match="model 'crf' has no operator 'Sq'; it has"):
        CRF.operator("Sx**2*Sq")
    with pytest.raises(ModelError, match="no operator 'Sz_b'"):  # existing behaviour, kept
        CRF.operator("Sz_b")


# --------------------------------------------------------------------------- non-finite numbers
@pytest.mark.parametrize("text", ["nan*Sx", "inf*Sx", "oo*Sz", "Sx*1e999", "-1e999*Sx", "1e999j*Sy",
                                  "Sz + 1.3e400"])
def test_non_finite_numbers_are_refused(text):
    with pytest.raises(ModelError, match=r"non-finite number") as exc:
        CRF.operator(text)
    assert repr(text) in str(exc.value)


# --------------------------------------------------------------------------- sizes
@pytest.mark.timeout(10)
def test_a_huge_exponent_is_refused_within_a_second():
    for text in ("Sx**10**8", "10**10**8*Sx", "Sx**(2**40)"):
        t = time.perf_counter()
        with pytest.raises(ModelError, match=r"exponent .* beyond \|n\| <= 64"):
            CRF.operator(text)
        assert time.perf_counter() - t < 1.0


def test_a_2000_factor_product_is_refused():
    text = "*".join(["Sx"] * 2000)
    with pytest.raises(ModelError, match=r"3999 nodes in its syntax tree, more than 1000") as exc:
        CRF.operator(text)
    assert "(5999 characters)" in str(exc.value)  # a long string is cut in the message


@pytest.mark.parametrize("text, why", [
    ("Sm**40*Sp**40", "a product of 40 operators, more than 16"),   # RecursionError in the normal ordering
    ("Sm**9*Sp**9", "a product of 18 operators, more than 16"),      # 1.1 s before; Sm**20*Sp**20 3 minutes
    ("Sz**17", "a product of 17 operators, more than 16"),
    ("*".join(["Sz"] * 17), "a product of 17 operators, more than 16"),
    ("Sx**13", "expands to 8192 products of generators, more than 4096"),
    ("(Sx + Sy + Sz)**6", "expands to 15625 products of generators, more than 4096"),
    ("-" * 50 + "Sx", "nested deeper than 50 levels"),
    ("-" * 9990 + "Sx", "nested deeper than 50 levels"),             # MemoryError in Python's parser
    ("+".join(["Sz"] * 501), "1001 nodes in its syntax tree, more than 1000"),
    ("+".join(["Sz"] * 3400), "longer than 10000 characters"),
    ("Sx*1e-2000", r"a number beyond 2\*\*4096"),                     # was silently 0
    ("((2**64)**64)**64*Sz", r"a number beyond 2\*\*4096"),
    ("9" * 1300 + "*Sz", r"a number beyond 2\*\*4096"),
])
def test_sizes_beyond_the_limits_are_refused(text, why, no_operator_powers):
    with pytest.raises(ModelError, match=why):
        DICKE.operator(text)


def test_the_limits_are_the_boundaries():
    s = SPIN
    assert CRF.operator("Sz**16") == s.z ** 16
    assert CRF.operator("Sx**12") == s.x ** 12                        # 2**12 = 4096 words
    assert CRF.operator("-" * 49 + "Sx") == -s.x                      # depth 50
    assert CRF.operator("+".join(["Sz"] * 500)) == 500 * s.z          # 999 nodes
    assert CRF.operator("2**-64*Sz") == s.z / 2 ** 64


def test_the_limits_are_stated_in_the_docstring():
    doc = " ".join(an.Model.operator.__doc__.split())
    for key, value in OPERATOR_STRING_LIMITS.items():
        assert str(value) in doc, key
    assert "OPERATOR_STRING_LIMITS" in doc


# --------------------------------------------------------------------------- powers, signs, numbers
@pytest.mark.parametrize("text, why", [
    ("Sx**-1", r"power -1 of an operator \(an inverse\) is not defined"),
    ("Sx**-2", r"power -2 of an operator \(an inverse\) is not defined"),
    ("Sx**0.5", r"power 1/2 of an operator .* integers >= 0"),
    ("Sx**(1/3)", r"power 1/3 of an operator .* integers >= 0"),
    ("Sx**1j", r"power I of an operator"),
    ("Sx**Sz", "exponent must be a number, not an operator"),
    ("2**0.5*Sx", r"power 1/2 of a number .* exponents must be integers"),
])
def test_negative_and_fractional_powers_are_refused_with_the_reason(text, why):
    with pytest.raises(ModelError, match=why):
        CRF.operator(text)


def test_integer_powers_of_numbers_and_signs():
    s = SPIN
    assert CRF.operator("2**-1*Sx") == s.x / 2
    assert CRF.operator("(-1)**3*Sx") == -s.x
    assert CRF.operator("-Sx") == -s.x and CRF.operator("--Sx") == s.x and CRF.operator("+-+Sx") == -s.x
    assert CRF.operator("-Sx**2") == -(s.x * s.x)                     # Python precedence: -(Sx**2)
    assert CRF.operator("Sx**2.0") == s.x * s.x and CRF.operator("Sx**0") == 1
    assert CRF.operator("0**0*Sz") == s.z


def test_complex_literals_are_exact():
    s = SPIN
    for text, expected in [("1j*Sx", sp.I * s.x), ("2.5j*Sy", sp.I * sp.Rational(5, 2) * s.y),
                           ("(1 + 1j)/(1 - 1j)*Sz", sp.I * s.z),
                           ("1/(0.9 + 1.3j)*Sz", (9 - 13 * sp.I) / 25 * s.z),
                           ("Sx*j + I*Sy", sp.I * (s.x + s.y))]:
        op = CRF.operator(text)
        assert op == expected, text
        assert exact(op), text


def test_decimals_are_exact_as_written():
    s = SPIN
    (word,) = s.z.terms
    op = CRF.operator("1.4142135623730951*Sz")                        # not guessed as sqrt(2)
    assert op.terms == {word: sp.Rational("1.4142135623730951")}
    assert CRF.operator("1e-400*Sx") == sp.Rational(1, 10 ** 400) * s.x  # not 0 (float underflow)
    assert CRF.operator("0.9*Sx + 1.3e-7*Sz") == sp.Rational(9, 10) * s.x + sp.Rational(13, 10 ** 8) * s.z
    assert CRF.operator("1_000.5*Sz") == sp.Rational(2001, 2) * s.z


def test_a_string_of_numbers_is_a_multiple_of_the_identity():
    op = CRF.operator("1.8")
    assert isinstance(op, algebra.Op) and op == algebra.scalar(sp.Rational(9, 5))
    assert CRF.operator("(0.9 + 0.9)*(1 - 1)").is_zero()


# --------------------------------------------------------------------------- entry points
def test_state_expect_goes_through_the_checked_parser():
    from numeric.solvers.steady import steady_state

    st = steady_state(CRF, {"omega": "1.8", "kappa": "1.3"}, S=2)
    for text in ("Sx/0", "1/0"):                                      # were nan and an AttributeError
        with pytest.raises(ModelError, match="division by zero"):
            st.expect(text)
    with pytest.raises(ModelError, match="non-finite"):
        st.expect("Sz*1e999")
    assert st.expect("1.8") == pytest.approx(1.8, rel=1e-12)          # was an AttributeError
    assert st.expect("0.9*Sz/0.9") == pytest.approx(st.expect("Sz"), rel=1e-12)


def test_weyl_symbol_goes_through_the_checked_parser():
    from analytic import wigner

    fpe = wigner.fokker_planck(an.models.gain_loss_dimer())
    with pytest.raises(ModelError, match="division by zero"):
        fpe.symbol("Sz_a/0")
