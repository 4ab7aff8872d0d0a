"""Exact steady states (issue 4): the Puri-Lawande state of crf, its moments and reduced states,
and the totally mixed state of N atoms.  Each test confronts analytic/exact/ with something
independent: the model's Liouvillian built here in mpmath from the model's operators, the
numeric solvers (float64 and 50 digits), explicit matrices, the mean-field engine.
"""
from __future__ import annotations

from fractions import Fraction
from math import factorial

import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
import analytic.exact as ex
import analytic.exact.state as exs
from analytic.model import ModelError

CRF = an.models.crf()
LAMBDAS = (0.25, 0.875, 1.0, 1.25, 2.5)  # exact binary fractions: omega = 2 lambda is exact


# --------------------------------------------------------------------------- helpers
def _mp_generators(S):
    """Exact mpmath matrices of S+, S-, Sz in the Dicke basis m = S..-S (from numeric.core.operators,
    whose float entries are square roots of integers / half-integers, recovered exactly)."""
    from numeric.core.operators import spin_matrices

    mats = spin_matrices(S)
    out = {}
    for letter, key in (("p", "p"), ("m", "m"), ("z", "z")):
        M = mats[key].toarray() if hasattr(mats[key], "toarray") else np.asarray(mats[key])
        n = M.shape[0]
        A = mpmath.matrix(n, n)
        for i in range(n):
            for j in range(n):
                v = float(np.real(M[i, j]))
                if v != 0:
                    A[i, j] = mpmath.mpf(v) if letter == "z" else mpmath.sqrt(round(v * v)) * (1 if v > 0 else -1)
        out[letter] = A
    return out


def _op_matrix(op, gens, subs, n):
    out = mpmath.matrix(n, n)
    for word, coeff in op.terms.items():
        c = sp.N(sp.sympify(coeff).subs(subs), 60)
        M = mpmath.eye(n) * mpmath.mpc(str(sp.re(c)), str(sp.im(c)))
        for g in word:
            M = M * gens[g.letter]
        out += M
    return out


def liouvillian_residual(rho, omega, kappa, S):
    """max |L(rho)| with L built from models.crf()'s Hamiltonian and dissipators in mpmath."""
    gens = _mp_generators(S)
    n = rho.rows
    subs = {CRF.symbol("omega"): sp.nsimplify(omega), CRF.symbol("kappa"): sp.nsimplify(kappa),
            CRF.symbol("S"): sp.nsimplify(S)}
    H = _op_matrix(CRF.hamiltonian, gens, subs, n)
    out = (H * rho - rho * H) * mpmath.mpc(0, -1)
    for d in CRF.dissipators:
        L = _op_matrix(d.jump, gens, subs, n)
        Ld = L.transpose_conj()
        r = mpmath.mpf(sp.N(d.rate.subs(subs), 60))
        LdL = Ld * L
        out += (L * rho * Ld - (LdL * rho + rho * LdL) / 2) * r
    return max(abs(out[i, j]) for i in range(n) for j in range(n))


# --------------------------------------------------------------------------- derivation
def test_beta_derived_from_model_and_paper_g_is_off_by_two():
    beta = ex.puri_lawande_beta(CRF)
    om, ka, S = CRF.symbol("omega"), CRF.symbol("kappa"), CRF.symbol("S")
    lam = om / (2 * ka)
    assert sp.simplify(ex.puri_lawande_g(CRF) - sp.I * lam * S) == 0
    printed = sp.I * om * S / ka          # seed 000 below eq. (11)
    assert sp.simplify(ex.puri_lawande_g(CRF) - printed) != 0
    assert sp.simplify(printed / ex.puri_lawande_g(CRF)) == 2
    assert sp.simplify(beta + sp.I * lam * S) == 0


def test_stationarity_is_an_operator_identity_at_any_S():
    """A L(eta eta+) A+ reduces to the zero operator with symbolic S: a proof at every S."""
    assert ex.stationarity_operator(CRF).is_zero()


def test_other_models_are_rejected():
    with pytest.raises(ModelError, match="single collective spin|S-"):
        ex.puri_lawande_beta(an.models.driven_dicke())


def test_trace_power_is_seed000_eq12_summand_and_direct_sum():
    S = sp.Symbol("S", positive=True)
    for twoS in range(1, 9):
        for jj in range(twoS + 1):
            T = sp.nsimplify(ex.trace_power(jj).subs(S, sp.Rational(twoS, 2)))
            direct = sum(factorial(twoS - k) * factorial(k + jj) // (factorial(twoS - k - jj) * factorial(k))
                         for k in range(twoS - jj + 1))
            eq12 = factorial(twoS + jj + 1) * factorial(jj) ** 2 // (factorial(twoS - jj) * factorial(2 * jj + 1))
            assert T == direct == eq12


def test_sz_trace_identity_by_direct_sums():
    """Tr(S+^j Sz S-^j) = -j T_j / 2 (reflection symmetry of the summand), exact integers."""
    for twoS in range(1, 10):
        S = Fraction(twoS, 2)
        for j in range(twoS + 1):
            w = [Fraction(factorial(twoS - k) * factorial(k + j), factorial(twoS - k - j) * factorial(k))
                 for k in range(twoS - j + 1)]
            T = sum(w)
            assert sum(wk * (S - k - j) for k, wk in enumerate(w)) == -Fraction(j, 2) * T


def test_moment_expr_sums_match_evaluator():
    om, ka, S = CRF.symbol("omega"), CRF.symbol("kappa"), CRF.symbol("S")
    vals = {om: sp.Rational(5, 4), ka: 1, S: sp.Rational(7, 2)}
    st = ex.PuriLawande(1.25, 1, 3.5, dps=40)
    mo = st.moments()
    with mpmath.workdps(40):
        for (p, q, r), key in (((0, 0, 1), "Sz"), ((0, 0, 2), "Sz2"), ((1, 1, 0), "SpSm"), ((1, 0, 0), "Sp"),
                               ((2, 0, 0), "Sp2")):
            e = sp.N(ex.moment_expr(p, q, r).subs(vals).doit(), 35)
            v = mpmath.mpc(str(sp.re(e)), str(sp.im(e)))
            assert abs(v - mo[key]) < mpmath.mpf(10) ** -28 * max(1, abs(v)), (key, v, mo[key])


# --------------------------------------------------------------------------- acceptance 1
@pytest.mark.parametrize("S", [Fraction(1, 2), 1, Fraction(3, 2), 2, 3, 5, Fraction(15, 2), 10])
def test_closed_form_state_solves_the_liouvillian(S):
    for lam in LAMBDAS:
        omega, kappa = 2 * lam, 1
        st = ex.PuriLawande(omega, kappa, S, dps=50)
        with mpmath.workdps(60):
            rho = st.density_matrix()
            tr = mpmath.fsum(rho[i, i] for i in range(rho.rows))
            assert abs(tr - 1) < mpmath.mpf(10) ** -50
            res = liouvillian_residual(rho, omega, kappa, S)
        assert res < mpmath.mpf(10) ** -40, (S, lam, res)


@pytest.mark.parametrize("S", [Fraction(1, 2), 1, 2, Fraction(7, 2), 6, 10])
def test_moments_agree_with_50_digit_solver(S):
    from numeric.solvers.steady import steady_state

    for lam in (0.375, 1.0, 1.75):  # binary-exact omega = 2 lambda
        st = steady_state(CRF, {"omega": 2 * lam, "kappa": 1.0}, S=S, dps=50)
        pl = ex.PuriLawande(2 * lam, 1.0, S, dps=50)
        mo = pl.moments()
        with mpmath.workdps(50):
            pairs = [(mo["Sz"], st.expect("Sz")), (mo["Sz2"], st.expect("Sz*Sz")), (mo["SpSm"], st.expect("Sp*Sm")),
                     (mo["Sp"], st.expect("Sp")), (mo["Sp2"], st.expect("Sp*Sp")),
                     (mo["SpSz_sym"], st.expect("Sp*Sz + Sz*Sp")), (pl.purity(), st.purity())]
            pops = st.populations()
            pairs += list(zip(pl.populations(), pops))
            for a, b in pairs:
                assert abs(a - b) < mpmath.mpf(10) ** -40 * max(1, abs(b)), (S, lam, a, b)


def test_reduced_states_agree_with_numeric_state():
    from numeric.solvers.steady import steady_state

    for S, omega in ((1, "1.2"), (3, "1.9"), (4.5, "2.4")):  # lambda = 0.6, 0.95, 1.2, exact (strings) at dps = 50
        st = steady_state(CRF, {"omega": omega, "kappa": 1}, S=S, dps=50)
        pl = ex.PuriLawande(omega, 1, S, dps=50)
        with mpmath.workdps(50):
            q2a, q2b = pl.two_qubit_state(), st.two_qubit_state()
            assert max(abs(q2a[i, j] - q2b[i, j]) for i in range(4) for j in range(4)) < mpmath.mpf(10) ** -40
            assert abs(pl.negativity() - st.negativity()) < mpmath.mpf(10) ** -40
            assert abs(pl.qubit_purity() - st.qubit_purity()) < mpmath.mpf(10) ** -40
            for a in "xyz":
                assert abs(pl.variances()[a] - st.covariance()["xyz".index(a), "xyz".index(a)]) < mpmath.mpf(10) ** -38


def test_husimi_matches_numeric_phasespace():
    from numeric.states.phasespace import husimi
    from numeric.solvers.steady import steady_state

    st = steady_state(CRF, {"omega": 1.4, "kappa": 1.0}, S=6)
    pl = ex.PuriLawande(1.4, 1.0, 6, dps=20)
    for th, ph in ((0.3, 0.1), (2.0, 1.6), (2.9, -2.2), (1.2, 4.0)):
        q_num = float(np.real(husimi(st, th, ph)))
        assert abs(float(pl.husimi(th, ph)) - q_num) < 1e-12, (th, ph)


# --------------------------------------------------------------------------- acceptance 2
def test_agrees_with_float64_solver_at_S100():
    from numeric.solvers.steady import steady_state

    for lam in (0.5, 1.0, 1.5):
        st = steady_state(CRF, {"omega": 2 * lam, "kappa": 1.0}, S=100)
        pl = ex.PuriLawande(2 * lam, 1.0, 100, dps=30)
        mo = pl.moments()
        cond = st.info.get("condition", 1.0)
        digits = min(10, 16 - np.log10(max(cond, 1.0)))  # what the float solver's conditioning allows
        assert digits >= 10
        for key, op in (("Sz", "Sz"), ("Sz2", "Sz*Sz"), ("SpSm", "Sp*Sm")):
            a, b = float(mpmath.re(mo[key])), st.expect(op)
            assert abs(a - b) <= 10 ** -digits * max(1, abs(a)), (lam, key, a, b)
        assert abs(float(ex.sz(2 * lam, 1.0, 100)) - exs._sz_float(2 * lam, 1.0, 100)) < 1e-13


def test_agrees_with_float64_solver_at_S400():
    """~20 s (the float64 sparse solve at S = 400); below the 30 s limit for default tests."""
    from numeric.solvers.steady import steady_state

    st = steady_state(CRF, {"omega": 1.0, "kappa": 1.0}, S=400)
    mo = ex.PuriLawande(1.0, 1.0, 400, dps=30).moments()
    for key, op in (("Sz", "Sz"), ("Sz2", "Sz*Sz"), ("SpSm", "Sp*Sm")):
        a, b = float(mpmath.re(mo[key])), st.expect(op)
        assert abs(a - b) <= 1e-10 * max(1, abs(a)), (key, a, b)


# --------------------------------------------------------------------------- acceptance 4: limits
def test_purity_limits_at_growing_S():
    """Seed 000 Fig. 5a: P -> 1 for lambda < 1 (exponentially fast in S), P -> 0 for lambda > 1."""
    below, above = [], []
    for S in (10, 20, 40, 80):
        with mpmath.workdps(80):
            below.append(1 - ex.purity(1.6, 1.0, S, dps=80))      # lambda = 0.8
    for S in (50, 200, 800, 1600):
        above.append(float(ex.purity(3.0, 1.0, S, dps=20)))     # lambda = 1.5
    assert all(0 < b2 < b1 / 10 for b1, b2 in zip(below, below[1:])) and below[-1] < 1e-10
    assert all(a2 < a1 for a1, a2 in zip(above, above[1:])) and above[-1] < 1e-3
    # float64 evaluator (log domain) agrees
    assert abs(exs._purity_float(3.0, 1.0, 1600) - above[-1]) < 1e-12


def _purity_float_with_scipy_gammaln(omega: float, kappa: float, S: int) -> float:
    """The float64 purity as it was computed before issue 18 (scipy.special.gammaln)."""
    import math

    from scipy.special import gammaln
    n = int(2 * S) + 1
    b2 = abs(complex(exs._beta_value_float(float(omega), float(kappa), float(S)))) ** 2
    a = np.arange(n, dtype=float)
    logr = gammaln(a + 1) - gammaln(n - a) - a * math.log(b2)
    logw = gammaln(n - a) - gammaln(a + 1) + a * math.log(b2)
    logW = np.logaddexp.accumulate(logw)
    rev = np.logaddexp.accumulate(logr[::-1])[::-1]
    tail = np.concatenate([rev[1:], [-np.inf]])
    logD = np.logaddexp.reduce(logr + logW)
    inner = np.logaddexp(logr, math.log(2) + tail)
    return float(np.exp(np.logaddexp.reduce(logr + 2 * logW + inner) - 2 * logD))


@pytest.mark.parametrize("omega", [0.5, 1.9, 2.0, 3.0])
def test_float_purity_without_scipy_is_unchanged_at_S_1600(omega):
    """Issue 18 rule 3 (analytic uses numpy/mpmath only): the log-factorials of the float64 purity
    come from math.lgamma instead of scipy.special.gammaln.  Not bit for bit the same (the two
    lgammas differ by a few ulp at log(3200!) ~ 2e4), but at S = 1600 the results agree to 5e-12
    (measured: <= 2.6e-12), below the fast path's own float64 error: both within 2e-11 of the
    mpmath value (measured: <= 1e-11 for either)."""
    new = exs._purity_float(omega, 1.0, 1600)
    ref = float(ex.purity(omega, 1.0, 1600, dps=30))
    assert abs(new - _purity_float_with_scipy_gammaln(omega, 1.0, 1600)) <= 5e-12 * ref
    assert abs(new - ref) <= 2e-11 * ref


def test_analytic_exact_imports_no_scipy():
    import ast
    from pathlib import Path

    for path in Path(ex.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n == "scipy" or n.startswith("scipy.") for n in names), path.name


def test_qubit_purity_limits():
    # magnetized phase: the single-qubit state becomes pure; paramagnetic: mixed (|<S>|/S = 1/lambda)
    for S in (100, 1600):
        assert 1 - float(ex.qubit_purity(0.8, 1.0, S)) < 2.0 / S
    # paramagnetic phase: a mixed qubit, more mixed as lambda grows (seed 000 Fig. 5b), S-independent limit
    p = [float(ex.qubit_purity(2 * lam, 1.0, 1600)) for lam in (1.2, 1.5, 2.0, 3.0)]
    assert all(b < a for a, b in zip(p, p[1:])) and p[0] < 0.75 and p[-1] > 0.5
    assert abs(float(ex.qubit_purity(3.0, 1.0, 400)) - p[1]) < 2e-3


def test_xi2_x_below_one_in_the_magnetized_phase():
    """Seed 000 claims xi2_x < 1 for lambda < 1 and all S.  True at large S; at small S it fails
    just below lambda = 1 (e.g. S = 5, lambda = 0.95), so the claim is asserted where it holds."""
    for S in (50, 200, 800):
        for lam in (0.1, 0.3, 0.5, 0.7, 0.9):
            assert float(ex.xi2_x(2 * lam, 1.0, S)) < 1, (S, lam)
    assert float(ex.xi2_x(1.9, 1.0, 5)) > 1      # the counterexample at small S
    assert float(ex.xi2_x(4.0, 1.0, 800)) > 1    # no squeezing in the paramagnetic phase


def test_negativity_vanishes_in_paramagnetic_phase_and_scales_as_1_over_S():
    for S in (10, 100):
        assert float(ex.negativity(3.0, 1.0, S)) == 0
    n1, n2 = float(ex.negativity(1.0, 1.0, 100)), float(ex.negativity(1.0, 1.0, 400))
    assert n1 > 0 and 3.5 < n1 / n2 < 4.5   # N ~ S^-1 for lambda < 1 (seed 000, Fig. 6a text)


# --------------------------------------------------------------------------- acceptance 5, 6
def _power_fit(Ss, vals):
    c, cov = np.polyfit(np.log(Ss), np.log(vals), 1, cov=True)
    return -c[0], float(np.sqrt(cov[0, 0]))


def critical_exponent(S_lo=100, S_hi=10_000, points=9, correction=True):
    r"""Fit :math:`-\langle S_z\rangle/S = S^{-a}(c_0 + c_1 S^{-1/3})` at lambda = 1 (float64
    evaluator); ``correction=False``: pure power law.  Returns (a, standard error)."""
    Ss = np.unique(np.round(np.geomspace(S_lo, S_hi, points)).astype(int))
    v = np.array([-exs._sz_float(2.0, 1.0, int(S)) for S in Ss])
    if not correction:
        return _power_fit(Ss, v)
    import scipy.optimize as so

    f = lambda lS, a, c0, c1: np.log(c0 + c1 * np.exp(-lS / 3)) - a * lS
    popt, pcov = so.curve_fit(f, np.log(Ss), np.log(v), p0=(0.33, 1.0, 0.0))
    return float(popt[0]), float(np.sqrt(pcov[0, 0]))


def test_critical_scaling_fit_is_stable():
    a_all, da_all = critical_exponent(100, 10_000, 13)
    a_lo, _ = critical_exponent(100, 1_000, 9)
    a_hi, _ = critical_exponent(1_000, 10_000, 9)
    assert abs(a_lo - a_all) < 0.01 and abs(a_hi - a_all) < 0.01, (a_lo, a_all, a_hi)
    assert abs(a_all - 1 / 3) < 0.01 and da_all < 0.01
    # a pure power law drifts with the range (reported, not hidden)
    p_lo, _ = critical_exponent(100, 1_000, 9, correction=False)
    p_hi, _ = critical_exponent(1_000, 10_000, 9, correction=False)
    assert p_lo > p_hi > 1 / 3


def test_meanfield_limit_order():
    f = an.formulas.formula("crf.exact.sz")
    mf = an.formulas.get("crf.meanfield.sz", backend="mpmath")
    fn = f.function("mpmath")
    for lam in (0.3, 0.5, 0.8):
        with mpmath.workdps(30):
            lim = mf(mpmath.mpf(2 * lam), mpmath.mpf(1))
            errs = [float(abs(fn(mpmath.mpf(2 * lam), mpmath.mpf(1), S) - lim)) for S in f.check.sizes]
        p, dp = _power_fit(np.array(f.check.sizes, float), errs)
        assert abs(p - f.check.order) < 0.02, (lam, p)
        assert errs[-1] < errs[0]


# --------------------------------------------------------------------------- mixed state
def test_degeneracies_count_the_hilbert_space():
    for N in range(1, 60):
        total = sum(ex.degeneracy(N, Fraction(tj, 2)) * (tj + 1) for tj in range(N % 2, N + 1, 2))
        assert total == 2 ** N


def test_mixed_moments_exact_for_every_N():
    for N in list(range(1, 80)) + [201, 1000]:
        mo = ex.mixed_moments(N)
        assert mo["Sz"] == 0 and mo["Sz2"] == Fraction(N, 4) and mo["SpSm"] == Fraction(N, 2)
        assert mo["S2"] == Fraction(3 * N, 4) and mo["SpSpSmSm"] == Fraction(N * (N - 1), 2)
        assert mo["g2"] == 2 * (1 - Fraction(1, N))


# --------------------------------------------------------------------------- registry, input
def test_registered_names_and_backends_agree():
    names = an.formulas.names()
    for n in ("crf.exact.sz", "crf.exact.sz2", "crf.exact.purity", "crf.exact.xi2_x", "crf.exact.negativity",
              "crf.exact.qubit_purity", "driven_dicke.exact.mixed_g2"):
        assert n in names
        f = an.formulas.formula(n)
        for point in f.check.points:
            args = [point[a] for a in f.args]
            v_np = float(f.function("numpy")(*args))
            with mpmath.workdps(40):
                v_mp = f.function("mpmath")(*[mpmath.mpf(a) for a in args])
                assert isinstance(v_mp, mpmath.mpf)
            assert np.isfinite(v_np) and abs(v_np - float(v_mp)) <= 1e-14 * max(1, abs(v_np)), (n, point)
    # numpy backend broadcasts over arrays
    v = an.formulas.get("crf.exact.sz")(np.array([0.5, 1.0, 3.0]), 1.0, 20)
    assert v.shape == (3,) and np.all(np.diff(v) > 0)


def test_mpmath_backend_carries_precision():
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    with mpmath.workdps(60):
        a = f(mpmath.mpf(1), mpmath.mpf(1), 7)
    with mpmath.workdps(80):
        b = f(mpmath.mpf(1), mpmath.mpf(1), 7)
    assert abs(a - b) < mpmath.mpf(10) ** -58


@pytest.mark.parametrize("args, match", [
    ((1.0, 1.0, 0), "S must be"), ((1.0, 1.0, 1.3), "S must be"), ((1.0, 1.0, -2), "S must be"),
    ((float("inf"), 1.0, 3), "omega"), ((1.0, -1.0, 3), "kappa"), ((float("nan"), 1.0, 3), "omega"),
])
def test_bad_input(args, match):
    with pytest.raises(ModelError, match=match):
        ex.sz(*args)
    with pytest.raises(ModelError, match=match):
        an.formulas.get("crf.exact.sz")(*args)


def test_bad_input_mixed_and_two_qubit():
    for N in (0, -3, 2.5, True):
        with pytest.raises(ModelError, match="N must be"):
            ex.mixed_g2(N)
    with pytest.raises(ModelError, match="S >= 1"):
        ex.negativity(1.0, 1.0, 0.5)
    with pytest.raises(ModelError, match="dps"):
        ex.PuriLawande(1.0, 1.0, 3, dps=2)
    with pytest.raises(ModelError, match="DPS_MAX = 10000"):  # dps = 10**6 would run for hours
        ex.PuriLawande(1.0, 1.0, 3, dps=10 ** 6)


def test_requested_digits_are_delivered():
    """Guard digits: a 30-digit result agrees with a 60-digit one to 30 digits (also for the
    cancellation-prone variance in xi2_x), at S = 1600 where the recurrence has 3200 steps."""
    for fn in (ex.sz, ex.xi2_x, ex.purity):
        a = fn(1.0, 1.0, 1600, dps=30)
        b = fn(1.0, 1.0, 1600, dps=60)
        with mpmath.workdps(60):
            assert abs(a - b) <= mpmath.mpf(10) ** -29 * abs(b), (fn.__name__, a, b)
            assert abs(a - b) > 0 or a == b


def test_registered_sympy_sums_equal_the_fast_evaluators():
    """Each registered ``expr`` (finite SymPy sums derived from the model) evaluated by SymPy at a
    small S equals the term-ratio evaluator returned by ``function()``."""
    om, ka, S = CRF.symbol("omega"), CRF.symbol("kappa"), CRF.symbol("S")
    vals = {om: sp.Rational(5, 4), ka: 1, S: sp.Rational(3, 2)}
    for name in ("crf.exact.sz", "crf.exact.sz2", "crf.exact.purity", "crf.exact.xi2_x", "crf.exact.qubit_purity"):
        f = an.formulas.formula(name)
        assert {str(s) for s in f.expr.free_symbols} <= set(f.args)
        e = sp.N(f.expr.subs(vals).doit(), 30)
        with mpmath.workdps(30):
            ref = f.function("mpmath")(mpmath.mpf(1.25), mpmath.mpf(1), 1.5)
            assert abs(mpmath.mpf(str(sp.re(e))) - ref) < mpmath.mpf(10) ** -25, (name, e, ref)
    f = an.formulas.formula("driven_dicke.exact.mixed_g2")
    N = next(iter(f.expr.free_symbols))
    for n in (1, 4, 7):
        assert sp.nsimplify(f.expr.subs(N, n).doit()) == sp.Rational(2) * (1 - sp.Rational(1, n))
