"""The windowed Puri-Lawande sums (analytic.exact.window, issue 20 acceptance 4) against the all-terms mpmath sum.

Every test confronts the default ``method='window'`` (exact integers over the window of weights, proved
tail bounds) with ``method='full'`` (all 2S + 1 terms in mpmath, the evaluator it replaces), below, at
and above lambda = omega/(2 kappa) = 1, at non-dyadic parameters.  No timing here (benchmarks/run.py).
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest
import sympy as sp

import analytic.exact as ex
from analytic.exact.state import PuriLawande, crf_scalar
from analytic.exact.window import weight_sums
from analytic.model import ModelError

# (omega, kappa): lambda = 0.65, 0.95 (r_0 < 1: the weights dip before their peak), 1 exactly, 29/14 > 1
BELOW, DIP, AT, ABOVE = ("1.3", 1), ("1.9", 1), ("1.4", "0.7"), ("2.9", "0.7")


def _full_sz(omega, kappa, S, dps: int) -> mpmath.mpf:
    """<Sz>/S from all 2S + 1 terms (mpmath), at ``dps`` digits."""
    st = PuriLawande(omega, kappa, S, dps=dps, method="full")
    with mpmath.workdps(dps):
        return st.moments()["Sz"] / st.Sm


@pytest.mark.parametrize("omega, kappa", [BELOW, DIP, AT, ABOVE])
def test_window_sz_agrees_with_the_full_sum_to_40_digits_at_S_1000(omega, kappa):
    fast = crf_scalar("sz")(omega, kappa, 1000, dps=45)
    ref = _full_sz(omega, kappa, 1000, 45)
    with mpmath.workdps(45):
        assert abs(fast - ref) <= mpmath.mpf(10) ** -40 * abs(ref), (omega, kappa, fast, ref)


@pytest.mark.parametrize("omega, kappa", [BELOW, AT, ABOVE])
def test_window_sz_agrees_with_the_full_sum_at_half_integer_S_10_4(omega, kappa):
    S = Fraction(20001, 2)
    fast = crf_scalar("sz")(omega, kappa, S, dps=45)
    ref = _full_sz(omega, kappa, S, 45)
    with mpmath.workdps(45):
        assert abs(fast - ref) <= mpmath.mpf(10) ** -40 * abs(ref), (omega, kappa, fast, ref)


@pytest.mark.parametrize("omega, kappa", [BELOW, DIP, AT, ABOVE])
def test_proved_interval_holds_the_full_sum_and_is_narrow(omega, kappa):
    """sz_bounds() is an interval of exact rationals: it holds the 60-digit all-terms value and is
    narrower than 10^-40 of it at 45 working digits."""
    lo, hi = PuriLawande(omega, kappa, 1000, dps=45).sz_bounds()
    ref = _full_sz(omega, kappa, 1000, 60)
    with mpmath.workdps(60):
        r = Fraction(mpmath.nstr(ref, 60, min_fixed=-mpmath.inf, max_fixed=mpmath.inf))
    slack = abs(r) * Fraction(1, 10 ** 55)  # the 60-digit reference's own rounding
    assert lo - slack <= r <= hi + slack, (omega, kappa, float(lo), float(hi))
    assert (hi - lo) < abs(r) * Fraction(1, 10 ** 40)


@pytest.mark.parametrize("omega, kappa", [BELOW, DIP, AT, ABOVE, ("sqrt(2)/3", "1.3")])
def test_every_moment_agrees_with_the_full_sum(omega, kappa):
    """All moments (Sz, Sz2, S+S-, S+, S+^2, ...) come from the same windowed sums: equal to the
    all-terms values to 40 digits at S = 57 (small: the window is everything) and S = 1000."""
    for S in (57, 1000):
        w = PuriLawande(omega, kappa, S, dps=45).moments()
        f = PuriLawande(omega, kappa, S, dps=45, method="full").moments()
        with mpmath.workdps(45):
            for key, ref in f.items():
                assert abs(w[key] - ref) <= mpmath.mpf(10) ** -40 * max(abs(ref), mpmath.mpf(10) ** -30), (S, key)


def test_derived_quantities_agree_with_the_full_sum():
    """xi2_x, the two-qubit negativity and the qubit purity, built on the moments, at lambda = 0.95."""
    for fn in ("xi2", "negativity", "qubit_purity"):
        w = getattr(PuriLawande(*DIP, 300, dps=45), fn)()
        f = getattr(PuriLawande(*DIP, 300, dps=45, method="full"), fn)()
        with mpmath.workdps(45):
            assert abs(w - f) <= mpmath.mpf(10) ** -38 * abs(f), (fn, w, f)


def test_S_10_6_to_30_digits_against_60():
    """Acceptance 4's point: <Sz>/S at S = 10^6, omega = '1.3', kappa = 1 (lambda = 0.65) and at lambda = 1,
    30 digits, equal to the 60-digit value to 30 digits (the 30-digit result is proved by sz_bounds)."""
    for omega, kappa in (BELOW, AT):
        a = ex.sz(omega, kappa, 10 ** 6, dps=30)
        b = ex.sz(omega, kappa, 10 ** 6, dps=60)
        with mpmath.workdps(60):
            assert abs(a - b) <= mpmath.mpf(10) ** -30 * abs(b), (omega, a, b)


def test_window_is_short_at_S_10_6():
    """The window (not the run time) at S = 10^6, 42 digits: ~2 10^4 terms at lambda = 0.65 and
    ~10^5 at lambda = 1, instead of 2 10^6 + 1."""
    below = weight_sums(sp.Rational(13, 20) ** 2 * 10 ** 12, 2 * 10 ** 6, 42)
    at = weight_sums(sp.Integer(10) ** 12, 2 * 10 ** 6, 42)
    assert 0 < below.lo < below.start < below.hi < 2 * 10 ** 6 and below.hi - below.lo < 40_000
    assert at.lo == 0 and at.hi < 150_000


def test_exact_input_stays_exact():
    """Every spelling of the same rational gives the same 40 digits; a float 1.3 (a different binary
    number) does not, at 40 digits."""
    ref = ex.sz("1.3", "0.7", 5000, dps=40)
    for om, ka in ((Fraction(13, 10), Fraction(7, 10)), (sp.Rational(13, 10), "7/10"), ("13/10", sp.Rational(7, 10))):
        assert ex.sz(om, ka, 5000, dps=40) == ref
    assert ex.sz(1.3, "0.7", 5000, dps=40) != ref


def test_omega_zero_and_bad_method():
    """omega = 0: |S, -S>, <Sz>/S = -1 exactly on both methods; an unknown method is a ModelError."""
    for method in ("window", "full"):
        assert PuriLawande(0, "0.9", 1000, dps=30, method=method).moments()["Sz"] == -1000
    with pytest.raises(ModelError, match="method"):
        PuriLawande("1.3", 1, 10, method="fast")
    with pytest.raises(ModelError, match="sz_bounds"):
        PuriLawande("1.3", 1, 10, method="full").sz_bounds()
