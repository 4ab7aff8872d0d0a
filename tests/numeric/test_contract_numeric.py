"""Issue 17, numeric side of the contract: every number right to the digits it claims, or a clear
refusal (exact parameter values at dps=, complex values for real parameters, one SolverError,
crf at omega = 0 and kappa = 0, unique steady states, methods of dps states)."""
from fractions import Fraction
import warnings

import mpmath
import pytest
import sympy as sp

import analytic as an
import numeric
from analytic.model import ModelError
from numeric import SolverError, steady_state
from analytic.values import PrecisionWarning, exact_number

CRF = an.models.crf()


def _crf_sz_exact(omega, kappa, S, dps=70):
    """<Sz>/S of the Puri-Lawande state (seed 000 eqs. 11-12), registered as crf.exact.sz
    (arguments omega, kappa, S), evaluated with mpmath at ``dps`` digits."""
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    with mpmath.workdps(dps):
        return f(omega, kappa, S)


def _digits(a, b):
    with mpmath.workdps(80):
        d = abs(mpmath.mpf(a) - mpmath.mpf(b))
        return float(-mpmath.log10(d / abs(mpmath.mpf(b)))) if d else 80.0


# ------------------------------------------------------------------ defect 1: exact values at dps=
def test_crf_S10_string_omega_matches_puri_lawande_to_38_digits():
    """Defect 1: omega = '1.8' is 9/5 exactly, so at dps = 40 <Sz>/S equals the closed form to
    >= 38 digits (old: omega became the float 1.8000000000000000444, right to 17 digits)."""
    st = steady_state(CRF, {"omega": "1.8", "kappa": 1}, S=10, dps=40)
    with mpmath.workdps(60):
        sz = st.expect("Sz") / 10
        ref = _crf_sz_exact(mpmath.mpf(9) / 5, mpmath.mpf(1), mpmath.mpf(10))
    assert _digits(sz, ref) >= 38


@pytest.mark.parametrize("omega", ["1.2", "6/5", Fraction(6, 5), sp.Rational(6, 5), sp.Float("1.2", 60), "mpf60"],
                         ids=["str", "str-fraction", "Fraction", "Rational", "sympy-Float60", "mpf60"])
def test_crf_S7half_lambda06_exact_inputs_to_38_digits(omega):
    """Defect 1: S = 7/2, lambda = omega/(2 kappa) = 0.6 (omega = 6/5, kappa = 1) in every exact
    form (str, Fraction, SymPy Rational and 60-digit Float, 60-digit mpmath mpf): <Sz>/S equals the
    Puri-Lawande closed form to >= 38 digits at dps = 40."""
    if omega == "mpf60":
        with mpmath.workdps(60):
            omega = mpmath.mpf(6) / 5
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrecisionWarning)  # exact inputs never warn
        st = steady_state(CRF, {"omega": omega, "kappa": "1"}, S=Fraction(7, 2), dps=40)
    with mpmath.workdps(60):
        sz = st.expect("Sz") / mpmath.mpf(3.5)
        ref = _crf_sz_exact(mpmath.mpf(6) / 5, mpmath.mpf(1), mpmath.mpf(3.5))
    assert _digits(sz, ref) >= 38


def test_float_is_its_binary_value_and_warns_once_naming_the_parameter():
    """Defect 1: a Python float 1.8 at dps = 40 is the binary number 1.8000000000000000444...: the
    result is the closed form at that number (>= 38 digits), not at 9/5 (they differ in the 17th
    digit), and one PrecisionWarning names 'omega' and the exact spellings; dyadic floats (1.0)
    and float64 solves do not warn."""
    with pytest.warns(PrecisionWarning) as rec:
        st = steady_state(CRF, {"omega": 1.8, "kappa": 1.0}, S=10, dps=40)
    assert len(rec) == 1
    msg = str(rec[0].message)
    assert "'omega'" in msg and "'1.8'" in msg and "Fraction(9, 5)" in msg
    with mpmath.workdps(60):
        sz = st.expect("Sz") / 10
        at_float = _crf_sz_exact(mpmath.mpf(1.8), mpmath.mpf(1), mpmath.mpf(10))
        at_exact = _crf_sz_exact(mpmath.mpf(9) / 5, mpmath.mpf(1), mpmath.mpf(10))
    assert _digits(sz, at_float) >= 38
    assert _digits(sz, at_exact) < 20
    with warnings.catch_warnings():
        warnings.simplefilter("error", PrecisionWarning)
        steady_state(CRF, {"omega": 1.5, "kappa": 1.0}, S=3, dps=30)
        steady_state(CRF, {"omega": 1.8, "kappa": 1.0}, S=3)


@pytest.mark.parametrize("name, values", [
    ("driven_dicke", {"Omega": "0.9", "gamma_c": "1.3", "gamma_s": "0.3"}),
    ("lmg", {"V": "1.3", "gamma_I": "0.3", "gamma_C": "0.9"}),
])
def test_permutational_dps30_and_dps45_agree_and_differ_from_float_parameters(name, values):
    """Defect 1, N = 20 atoms (permutation-invariant solver, about 0.3 s per solve): with the
    non-dyadic parameters given as strings dps = 30 and dps = 45 agree to >= 28 digits in <Sz> and
    <Sx^2>; the solve with the float64 parameters (their binary values) differs from both by far
    more than 1e-28 (old: the strings became floats, so all three agreed)."""
    m = getattr(an.models, name)()
    a = steady_state(m, values, N=20, dps=30)
    b = steady_state(m, values, N=20, dps=45)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrecisionWarning)
        c = steady_state(m, {k: float(v) for k, v in values.items()}, N=20, dps=45)
    for op in ("Sz", "Sx*Sx"):
        assert _digits(a.expect(op), b.expect(op)) >= 28
        assert _digits(c.expect(op), b.expect(op)) < 22
        assert _digits(c.expect(op), a.expect(op)) < 22


def test_value_parser_is_exact_and_refuses_non_numbers():
    """The one parser (analytic.values): text is parsed, never evaluated; exact results."""
    assert exact_number("1.8") == sp.Rational(9, 5)
    assert exact_number("1e-3") == sp.Rational(1, 1000)
    assert exact_number("sqrt(2)/3") == sp.sqrt(2) / 3
    assert exact_number(0.1) == sp.Rational(Fraction(0.1))
    import decimal
    import numpy as np

    assert exact_number(decimal.Decimal("1.8")) == sp.Rational(9, 5)
    assert exact_number(np.array(0.5)) == sp.Rational(1, 2)
    assert exact_number(np.float32(0.1)) == sp.Rational(Fraction(float(np.float32(0.1))))
    with mpmath.workdps(50):
        x = mpmath.mpf(1) / 3
    assert abs(exact_number(x) - sp.Rational(1, 3)) < sp.Rational(1, 10 ** 49)
    for bad in ("1/0", "nan", "__import__('os')", "2**10**8", "((2**999)**999)**999", True, sp.Symbol("x"),
                float("inf"), "x + 1"):
        with pytest.raises(ModelError):
            exact_number(bad, "omega")


# ------------------------------------------------------------------ defect 5: complex for real
@pytest.mark.parametrize("value", [1 + 1j, "1 + 2*I", mpmath.mpc(1, 1), sp.Rational(9, 5) * sp.I])
def test_complex_value_for_real_parameter_is_a_model_error_naming_it(value):
    """Defect 5: omega is declared positive (real); a complex value would make H non-Hermitian.
    Refused before any solve, naming the parameter (old: solved, then blamed float64 precision)."""
    with pytest.raises(ModelError, match="'omega'.*declared positive") as exc:
        steady_state(CRF, {"omega": value, "kappa": 1}, S=3)
    assert not isinstance(exc.value, SolverError)
    with pytest.raises(ModelError, match="'Omega'.*declared positive"):
        steady_state(an.models.driven_dicke(), {"Omega": value, "gamma_c": 1, "gamma_s": 0.3}, N=4)


# ------------------------------------------------------------------ defect 7: one SolverError
def test_one_solver_error_class_for_every_solver():
    """Defect 7: one SolverError (numeric.core.errors), the one exported as numeric.SolverError; a
    failure of the N= solver is caught by ``except numeric.SolverError`` (old: a second class)."""
    from numeric.semiclassical import cluster
    from numeric.semiclassical import continuation
    from numeric.core import errors
    from numeric.pi import permutational
    from numeric.pi import qudits
    from numeric.solvers import steady

    assert numeric.SolverError is errors.SolverError is steady.SolverError is permutational.SolverError
    assert qudits.SolverError is errors.SolverError
    assert issubclass(cluster.ClusterError, SolverError)
    assert issubclass(continuation.ContinuationError, SolverError)
    assert issubclass(continuation.ContinuationError, RuntimeError)
    assert issubclass(SolverError, ModelError)
    with pytest.raises(numeric.SolverError, match="residual"):
        steady_state(an.models.driven_dicke(), {"Omega": 0.9, "gamma_c": 1.3, "gamma_s": 0.3}, N=4, tol=1e-300)


# ------------------------------------------------------------------ defect 8: dps states
def test_permutational_dps_state_squeezing_and_covariance():
    """Defect 8: squeezing() of a state from dps= (old: numpy casting error); the Wineland
    parameter min N Var(S_perp)/|<S>|^2 is an mpmath number, equal to the float64 one to 1e-12 and
    dps = 30 and dps = 40 agree to >= 28 digits; so do squeezing('x') and g2()."""
    m = an.models.driven_dicke()
    values = {"Omega": "0.9", "gamma_c": 1, "gamma_s": "0.3"}
    f = steady_state(m, values, N=4)
    a = steady_state(m, values, N=4, dps=30)
    b = steady_state(m, values, N=4, dps=40)
    xi = a.squeezing()
    assert isinstance(xi, mpmath.mpf)
    assert abs(float(xi) - f.squeezing()) < 1e-12
    assert _digits(xi, b.squeezing()) >= 28
    assert _digits(a.squeezing("x"), b.squeezing("x")) >= 28
    assert _digits(a.g2(), b.g2()) >= 28
    C = a.covariance()
    assert isinstance(C[1, 2], mpmath.mpf) and C[1, 2] == C[2, 1]


# ------------------------------------------------------------------ defect 3: omega = 0, F = 0
def test_crf_at_omega_zero_is_the_ground_state_and_spectrum_works():
    """Defect 3: pure collective decay (omega = 0) conserves Sz in H and lowers it by one in the
    jump (a weak U(1) symmetry with a single subsystem, where u1_charges crashed in ilcm): the
    steady state is |S, -S>, <Sz> = -S, float64 and dps; spectrum and gap work."""
    st = steady_state(CRF, {"omega": 0, "kappa": "1.3"}, S=3)
    assert st.expect("Sz") == pytest.approx(-3, abs=1e-13)
    assert st.purity() == pytest.approx(1, abs=1e-13)
    hp = steady_state(CRF, {"omega": "0", "kappa": "1.3"}, S=Fraction(5, 2), dps=30)
    assert hp.expect("Sz") == -mpmath.mpf(5) / 2
    # at omega = 0 L is triangular in the Dicke basis (rate r = 2 kappa/S on D[S-]): eigenvalues
    # -(r/2)(c_m + c_n), c_m = <m|S+S-|m> = (S + m)(S - m + 1); the slowest nonzero one is the
    # coherence between m = -S and -S + 1: r S = 2 kappa
    assert numeric.gap(CRF, {"omega": 0, "kappa": "1.3"}, S=3) == pytest.approx(2 * 1.3, rel=1e-12)
    ev = numeric.spectrum(CRF, {"omega": 0, "kappa": "1.3"}, S=3)
    assert min(abs(ev)) < 1e-12


def test_kerr_without_drive_is_the_vacuum():
    """Defect 3: kerr at F = 0 (no drive, a†a conserved by H, lowered by the jump a) is the vacuum."""
    st = steady_state(an.models.kerr(), {"Delta": "0.3", "U": "0.1", "F": 0, "gamma": "0.9"}, D=1, truncation=8)
    assert st.expect("ad*a") == pytest.approx(0, abs=1e-14)
    # rate 2 gamma on D[a]: the coherence rho_01 decays at gamma, the slowest nonzero rate
    gap = numeric.gap(an.models.kerr(), {"Delta": "0.3", "U": "0.1", "F": 0, "gamma": "0.9"}, D=1, truncation=8)
    assert gap == pytest.approx(0.9, rel=1e-12)


# ------------------------------------------------------------------ defects 4, 2: uniqueness
@pytest.mark.parametrize("kw", [dict(S=3), dict(S=40), dict(S=3, dps=30)])
def test_crf_without_dissipation_is_refused_as_not_unique(kw, capfd):
    """Defect 4: kappa = 0 leaves H alone, every function of H is stationary: a SolverError naming
    the missing dissipation, no LAPACK text on stderr, no advice to raise dps."""
    with pytest.raises(SolverError, match="not unique.*no dissipation") as exc:
        steady_state(CRF, {"omega": "1.3", "kappa": 0}, **kw)
    assert "dps" not in str(exc.value)
    assert capfd.readouterr().err == ""


def test_permutational_without_dissipation_is_refused():
    with pytest.raises(SolverError, match="steady_state_pi.*not unique.*no dissipation"):
        steady_state(an.models.driven_dicke(), {"Omega": "0.9", "gamma_c": 0, "gamma_s": 0}, N=4)


@pytest.mark.parametrize("dps", [None, 20])
def test_open_dicke_halves_three_dimensional_kernel_is_refused(dps):
    """Defect 2: open_dicke_halves has a 3-dimensional kernel (its docstring): the solve refuses,
    naming the dimension 3, instead of returning an arbitrary mixture with residual 4e-17."""
    m = an.models.open_dicke_halves()
    values = dict(omega_a=1, omega_c=1, kappa=1, g_minus="0.3", g_plus="0.3")
    with pytest.raises(SolverError, match="not unique.*dimension (at least )?3"):
        steady_state(m, values, S=2, truncation=6, dps=dps)


def test_null_count_separates_singular_from_ill_conditioned():
    """The kernel probe (numeric.solvers.uniqueness.null_count): a diagonal matrix with two exact zeros
    plus rounding has nullity 2; one with singular values down to 1e-9 (condition 1e9) has none."""
    import numpy as np
    from numeric.solvers.uniqueness import null_count

    n = 200
    d = np.logspace(0, -9, n)
    assert null_count(lambda v: d * v, lambda v: v / d, n, 1.0) == 0
    d2 = d.copy()
    d2[[5, 50]] = 1e-17
    assert null_count(lambda v: d2 * v, lambda v: v / d2, n, 1.0) == 2


def test_continuation_and_mean_field_flows_parse_values_never_eval():
    """One parser for every numeric entry point: continuation.flow and dynamics.meanfield_flow
    parse text values exactly (analytic.values) and refuse code (old: sympify evaluated the text)."""
    from numeric.semiclassical.continuation import flow
    from numeric.semiclassical.flows import meanfield_flow

    lmg = an.models.lmg()
    for bad in ("__import__('os').getcwd()", "1/0"):
        with pytest.raises(ModelError, match="'V'"):
            flow(lmg, {"V": bad, "gamma_C": "0.3"}, "gamma_I", thermodynamic_limit=True)
        with pytest.raises(ModelError, match="'omega'"):
            meanfield_flow(CRF, {"omega": bad, "kappa": 1})
    with pytest.raises(ModelError, match="'omega'.*real"):
        meanfield_flow(CRF, {"omega": 1 + 1j, "kappa": 1})
    f1 = meanfield_flow(CRF, {"omega": "1.8", "kappa": 1})
    f2 = meanfield_flow(CRF, {"omega": 1.8, "kappa": 1})
    import numpy as np

    x = np.array([0.1, 0.2, -0.9])
    assert np.allclose(f1(0.0, x), f2(0.0, x), rtol=1e-15, atol=0)


def test_strong_u1_symmetry_is_refused_before_solving_and_a_drive_restores_uniqueness():
    """Defect 2, structural cause: H = w Sz + chi Sz^2 with the jump Sz (dephasing) conserves Sz in H
    and in the jump (a strong symmetry): every diagonal state is stationary (kernel dimension 2S+1),
    refused naming the charge.  A drive x Sx breaks it: the unique steady state is 1/(2S+1)."""
    from analytic.algebra import Spin
    from analytic.model import Dissipator, Model

    s = Spin("", sp.Symbol("S", positive=True))
    w, chi, g, x = (sp.Symbol(n, real=True) for n in ("w", "chi", "g", "x"))
    deph = Model("dephasing", {"w": w, "chi": chi, "g": g}, (s,), s.z * w + s.z * s.z * chi, (Dissipator(s.z, g),))
    with pytest.raises(SolverError, match=r"not unique.*charge Q = Sz is conserved by H and by every jump"):
        steady_state(deph, {"w": "0.7", "chi": "0.3", "g": "1.3"}, S=2)
    driven = Model("dephasing_driven", {"w": w, "chi": chi, "g": g, "x": x}, (s,),
                   s.z * w + s.z * s.z * chi + s.x * x, (Dissipator(s.z, g),))
    st = steady_state(driven, {"w": "0.7", "chi": "0.3", "g": "1.3", "x": "0.9"}, S=2)
    assert st.purity() == pytest.approx(1 / 5, abs=1e-12)


def test_qudit_solver_checks_uniqueness():
    """Defect 2 for the qudit solver (numeric.pi.qudits): lmg at d = 3 with both rates zero is refused
    as having no dissipation; with rates (0.6, 0.3) the state is returned as before."""
    import numeric.pi.qudits as qd

    ok = qd.solve_qudits(qd.from_model(an.models.lmg(d=3), {"V": "1.3", "gamma_I": "0.6", "gamma_C": "0.3"}, 3))
    assert ok.residual < 1e-12
    with pytest.raises(SolverError, match="steady_state_qudits: the steady state is not unique.*no dissipation"):
        qd.solve_qudits(qd.from_model(an.models.lmg(d=3), {"V": "1.3", "gamma_I": 0, "gamma_C": 0}, 3))
