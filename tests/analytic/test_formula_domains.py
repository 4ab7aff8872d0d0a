"""Domains of the registered formulas (issue 17, defect 10 and acceptance 2, last sentence).

Every registered formula carries its domain as a predicate (SymPy relations in its arguments);
outside it the call raises :class:`analytic.formulas.DomainError` (a ModelError) naming the
violated condition, numpy-array calls may opt in to NaN (``domain='nan'``), and the mpmath
backend at ``mp.dps = 50`` (string inputs) agrees with numpy to 1e-14 and with itself at 60
digits to 45 digits.
"""
import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import fluctuations as fl
from analytic import meanfield as mf
from analytic import models
from analytic.formulas import DomainError
from analytic.model import ModelError

F = an.formulas
NAMES = F.names()


def _full_name(quantity: str) -> str:
    hits = [n for n in NAMES if n.endswith("." + quantity)]
    assert len(hits) == 1, hits
    return hits[0]


# --------------------------------------------------------------------------- the reproductions of the issue
def test_crf_sz_negative_kappa_is_refused_not_sign_flipped():
    """crf.meanfield.sz(1, -1) was +0.866 (the magnetisation of the stable branch is <= 0)."""
    for backend in ("numpy", "mpmath"):
        with pytest.raises(DomainError, match="kappa > 0"):
            F.get("crf.meanfield.sz", backend)(1, -1)


def test_crf_sz_above_threshold_is_refused_not_nan_or_complex():
    """crf.meanfield.sz(3, 1): lambda = 3/2 > 1 was nan (numpy) and a complex number (mpmath)."""
    for backend in ("numpy", "mpmath"):
        with pytest.raises(DomainError, match=r"Abs\(omega\) <= 2\*kappa.*omega=3"):
            F.get("crf.meanfield.sz", backend)(3, 1)


def test_dimer_purity_outside_am_phase_is_refused():
    """gain_loss_dimer.hp.purity(1.2, .4, .9) was -1.88: Gamma_g Gamma_l = 0.36 < g^2 = 1.44."""
    with pytest.raises(DomainError, match="AM phase"):
        F.get("gain_loss_dimer.hp.purity")(1.2, .4, .9)


def test_dimer_purity_fm_outside_fm_phase_is_refused():
    """purity_fm(.7, 1.3, 2.1) was -0.19: g^2 = 0.49 < Gamma_g Gamma_l = 2.73."""
    name = _full_name("purity_fm")
    assert name == "gain_loss_dimer.hp.purity_fm"
    for backend in ("numpy", "mpmath"):
        with pytest.raises(DomainError, match="FM phase"):
            F.get(name, backend)(.7, 1.3, 2.1)


def test_driven_dicke_xi2_refuses_cos_theta_positive_and_no_atoms():
    """driven_dicke.hp.xi2 accepted cos_theta = 0.5 (the lower branch has cos_theta < 0) and N = 0."""
    f = F.get("driven_dicke.hp.xi2")
    with pytest.raises(DomainError, match="cos_theta < 0"):
        f(0.5, 41, 0.25, 1.0)
    with pytest.raises(DomainError, match="N > 1"):
        f(-0.62, 0, 0.25, 1.0)


def test_driven_dicke_bistability_below_threshold_is_refused():
    """driven_dicke.meanfield.bistability(1, 4) was (nan, nan): the window exists for Gamma > 8 gamma."""
    for backend in ("numpy", "mpmath"):
        with pytest.raises(DomainError, match="Gamma > 8 gamma"):
            F.get("driven_dicke.meanfield.bistability", backend)(1, 4)
    assert issubclass(DomainError, ModelError)


# --------------------------------------------------------------------------- the mechanism
def test_every_formula_carries_a_predicate_and_its_checks_lie_inside():
    """Each registered formula has a non-empty predicate in its own arguments and a domain text;
    the points of its registered check are inside the domain (a check outside would be a bug)."""
    for name in NAMES:
        f = F.formula(name)
        assert f.domain and f.conditions, name
        for point in f.check.points:
            assert f.in_domain(*[point[a] for a in f.args]), (name, point)
    with pytest.raises(ModelError, match="predicate"):
        F.register("crf.nothing.here", builder=lambda: sp.Integer(1), args=("omega",), source="", domain="all",
                   where=(), check=F.Check("ode"))
    assert "crf.nothing.here" not in F.names()


def test_nan_is_opt_in_for_arrays():
    """domain='nan' (on the call or on get) gives NaN exactly at the entries outside the domain and
    the values elsewhere; without it the array call raises, naming the entry."""
    omega = np.array([0.3, 1.3, 2.7, -0.9])
    f = F.get("crf.meanfield.sz")
    with pytest.raises(DomainError, match=r"omega=2\.7.*entry \(2,\)"):
        f(omega, 1.1)
    v = f(omega, 1.1, domain="nan")
    g = F.get("crf.meanfield.sz", domain="nan")(omega, 1.1)
    ok = np.abs(omega) <= 2.2
    assert np.array_equal(np.isnan(v), ~ok) and np.array_equal(np.isnan(g), ~ok)
    assert np.allclose(v[ok], -np.sqrt(1 - (omega[ok] / 2.2) ** 2), rtol=1e-15)
    # tuples (window edges), an entirely outside array, a scalar, and a sum evaluator (crf.exact)
    lo, hi = F.get("driven_dicke.meanfield.bistability", domain="nan")(1.3, np.array([4.1, 23.7, 11.3]))
    assert np.array_equal(np.isnan(lo), [True, False, False]) and np.all(lo[1:] < hi[1:])
    lo, hi = F.get("kerr.meanfield.bistability", domain="nan")(np.array([0.9, 1.1]), 1.3, 0.7)
    assert np.all(np.isnan(lo)) and np.all(np.isnan(hi))
    assert np.isnan(f(3.1, 1.1, domain="nan"))
    s = F.get("crf.exact.sz", domain="nan")(1.3, 0.9, np.array([3.5, 2.2, 4]))
    assert np.isnan(s[1]) and np.all(np.isfinite(s[[0, 2]]))
    with pytest.raises(ModelError, match="numpy"):
        F.get("crf.meanfield.sz", "mpmath", domain="nan")
    with pytest.raises(ModelError, match="'raise' or 'nan'"):
        f(1.3, 0.9, domain="ignore")


def test_predicate_for_float_mpmath_strings_and_arrays():
    f = F.formula("crf.meanfield.sz")
    assert f.in_domain(1.3, 0.9) and not f.in_domain(1.9, 0.9)
    assert np.array_equal(f.in_domain(np.array([1.3, 1.9]), 0.9), [True, False])
    with mpmath.workdps(50):
        # lambda = 1 exactly from strings (a float 1.8/0.9 is not exactly 2) is inside; 1 + 1e-40 is outside
        assert f.in_domain("1.8", "0.9", backend="mpmath")
        assert not f.in_domain("1.8000000000000000000000000000000000000001", "0.9", backend="mpmath")
        assert F.get("crf.meanfield.sz", "mpmath")("1.8", "0.9") == 0
        with pytest.raises(DomainError):
            F.get("crf.meanfield.sz", "mpmath")("1.8000000000000000000000000000000000000001", "0.9")
        assert F.get("crf.meanfield.relaxation_rate", "mpmath")(mpmath.mpf("1.8"), mpmath.mpf("0.9")) == 0


def test_complex_arguments_are_refused():
    for backend in ("numpy", "mpmath"):
        with pytest.raises(DomainError, match="omega must be real"):
            F.get("crf.meanfield.sz", backend)(1.3 + 0.2j, 0.9)
    with pytest.raises(DomainError, match="must be real"):
        F.get("crf.meanfield.sz")(np.array([1.3, 0.4 + 1e-3j]), 0.9)
    with pytest.raises(ModelError, match="'omega' must be a number"):
        F.get("crf.meanfield.sz", "mpmath")("one", 0.9)


def test_a_non_finite_value_inside_a_domain_is_refused():
    """The guard behind 'never NaN silently': a formula whose predicate admits a pole raises."""
    x = sp.Symbol("x")
    bad = F.Formula("t.t.t", lambda: 1 / x, ("x",), "test", "x >= 0", F.Check("ode"), where=[x >= 0])
    with pytest.raises(ModelError, match="non-finite"), np.errstate(divide="ignore"):
        bad.function()(np.array([0.3, 0.0]))


# --------------------------------------------------------------------------- the domains are the physics
def test_crf_stable_branch_for_negative_omega():
    """omega < 0 is inside the crf.meanfield domain: the formulas' point is a fixed point of the
    engine's equations with both tangent eigenvalues -sqrt(4 kappa^2 - omega^2) (rotation by pi
    about z); kappa -> -kappa, which flipped the sign, is refused."""
    m = models.crf()
    omega, kappa = -1.3, 0.9
    sz = F.get("crf.meanfield.sz")(omega, kappa)
    sy = F.get("crf.meanfield.sy")(omega, kappa)
    rate = F.get("crf.meanfield.relaxation_rate")(omega, kappa)
    point = {"sx": 0, "sy": sp.Float(sy, 30), "sz": sp.Float(sz, 30)}
    vals = {m.symbol("omega"): sp.Float(omega, 30), m.symbol("kappa"): sp.Float(kappa, 30)}
    eqs = mf.equations(m, thermodynamic_limit=True)
    var = mf.variables(m)
    res = [float(e.subs({var[k]: v for k, v in point.items()}).subs(vals)) for e in eqs.values()]
    assert max(map(abs, res)) < 1e-14
    ev = np.linalg.eigvals(np.array(mf.tangent_jacobian(m, point, eqs).subs(vals), dtype=complex))
    assert np.allclose(ev, -rate, atol=1e-6) and rate > 0


def test_kerr_window_order_needs_positive_detuning():
    """For Delta, U < 0 the lambdified edges come out as (upper, lower): outside the domain."""
    f = F.get("kerr.meanfield.bistability")
    lo, hi = f(3.7, 1.3, 0.9)
    assert 0 < lo < hi
    with pytest.raises(DomainError, match="Delta > 0"):
        f(-3.7, -1.3, 0.9)
    with pytest.raises(DomainError, match="Delta\\^2 > 3 gamma\\^2"):
        f(1.3, 1.3, 0.9)


def test_normal_edge_exists_above_the_critical_coupling():
    """normal_edge(g_-) < g_- exactly for g_- above the balanced critical coupling g_c; below it the
    root is the mirror branch g_+ > g_- and the call is refused."""
    wa, wc, k = 1.3, 0.7, 0.9
    gc = F.get("open_dicke.meanfield.critical_coupling")(wa, wc, k)
    edge = F.get("open_dicke.meanfield.normal_edge")
    for gm in (1.01 * gc, 1.3 * gc, 2.7 * gc):
        assert edge(wa, wc, k, gm) < gm
    raw = sp.lambdify(sp.symbols("omega_a omega_c kappa g_minus"),
                      an.cavity.normal_edge().subs({s: sp.Symbol(s.name) for s in an.cavity.normal_edge().free_symbols}))
    assert raw(wa, wc, k, 0.9 * gc) > 0.9 * gc  # what the closed form gives below g_c
    with pytest.raises(DomainError, match="critical coupling"):
        edge(wa, wc, k, 0.9 * gc)


def test_purity_fm_covers_both_ferromagnetic_phases():
    """purity_fm is the purity of FM_up (Gamma_g > Gamma_l) and of FM_down (Gamma_g < Gamma_l):
    equal to 1/sqrt(det V) of the stable phase's covariance; Gamma_g = Gamma_l is refused."""
    f = F.get("gain_loss_dimer.hp.purity_fm")
    for phase, (g, Gg, Gl) in (("FM_up", (1.9, 1.3, 0.7)), ("FM_down", (1.9, 0.7, 1.3))):
        G = fl.dimer_gaussian(phase)
        m = G.model
        vals = {m.symbol("g"): g, m.symbol("Gamma_g"): Gg, m.symbol("Gamma_l"): Gl}
        assert G.is_stable(vals)
        det = float(G.covariance.subs(vals).det())
        assert abs(f(g, Gg, Gl) - det ** -0.5) < 1e-13
    with pytest.raises(DomainError, match="Gamma_g != Gamma_l"):
        f(1.9, 1.1, 1.1)


def test_driven_dicke_xi2_refuses_the_middle_branch():
    """Inside the bistable window the curve Omega(cos_theta) turns back (middle branch, unstable
    fixed point): there xi2 is refused (mean-field Routh-Hurwitz), on the lower branch it is not."""
    point, omega = fl.driven_dicke_curve()
    m = models.driven_dicke()
    N, gc, gs = 41, 1.3, 0.1  # Gamma = 52 > 8 gamma = 11.2: bistable
    om = sp.lambdify(fl.COS_THETA, omega.subs({m.symbol("N"): N, m.symbol("gamma_c"): gc, m.symbol("gamma_s"): gs}))
    c = np.linspace(-0.99, -0.01, 981)
    slope = np.gradient(om(c), c)
    inside = F.formula("driven_dicke.hp.xi2").in_domain(c, N, gc, gs)
    assert np.any(slope < 0) and np.any(slope > 0)
    # refused exactly where Omega decreases along the curve (up to the grid point at the turning points)
    assert np.count_nonzero(inside != (slope > 0)) <= 2
    c_mid = c[np.argmin(slope)]
    with pytest.raises(DomainError, match="Routh-Hurwitz"):
        F.get("driven_dicke.hp.xi2")(c_mid, N, gc, gs)
    assert 0 < F.get("driven_dicke.hp.xi2")(-0.93, N, gc, gs) < 1


# --------------------------------------------------------------------------- acceptance 2: the mpmath backend
#: one in-domain, non-dyadic point per registered formula (strings: exact decimals at mp.dps)
SAMPLES = {
    "crf.meanfield.sz": ("1.3", "0.9"),
    "crf.meanfield.sy": ("1.3", "0.9"),
    "crf.meanfield.relaxation_rate": ("1.3", "0.9"),
    "crf.hp.xi2": ("1.3", "0.9"),
    "crf.exact.sz": ("1.3", "0.9", "3.5"),
    "crf.exact.sz2": ("1.3", "0.9", "3.5"),
    "crf.exact.purity": ("1.3", "0.9", "3.5"),
    "crf.exact.xi2_x": ("1.3", "0.9", "3.5"),
    "crf.exact.negativity": ("1.3", "0.9", "3.5"),
    "crf.exact.qubit_purity": ("2.3", "0.9", "3"),
    "driven_dicke.exact.mixed_g2": ("7",),
    "driven_dicke.meanfield.bistability": ("1.1", "23.7"),
    "driven_dicke.hp.xi2": ("-0.7", "41", "0.3", "1.1"),
    "lmg.meanfield.x": ("1.3", "0.4", "0.7"),
    "lmg.meanfield.z": ("1.3", "0.4", "0.7"),
    "open_dicke.meanfield.critical_coupling": ("1.3", "0.7", "0.9"),
    "open_dicke.meanfield.saddle_node_ratio": ("0.7", "0.9"),
    "open_dicke.meanfield.normal_edge": ("1.3", "0.7", "0.9", "1.9"),
    "kerr.meanfield.bistability": ("3.7", "1.3", "0.9"),
    "gain_loss_dimer.hp.purity": ("0.7", "1.3", "0.9"),
    "gain_loss_dimer.hp.purity_fm": ("1.9", "1.3", "0.7"),
    "gain_loss_dimer.hp.negativity": ("0.7", "1.3"),
    "gain_loss_chain.hp.correlation_length": ("0.7", "0.3", "1.9", "1.3"),
    "superradiant_laser.cumulant.max_pump": ("37", "0.9", "13"),
    "superradiant_laser.cumulant.optimal_pump": ("37", "0.9", "13"),
    "superradiant_laser.cumulant.max_flux": ("37", "0.9", "13"),
    "superradiant_laser.cumulant.linewidth": ("0.3", "0.9", "13"),
    "driven_dicke.cumulants.sz": ("0.4", "30", "1.3", "0.1"),
    "driven_dicke.cumulants.xi2": ("0.4", "30", "1.3", "0.1"),
}


def test_every_formula_has_a_sample_point():
    assert sorted(SAMPLES) == NAMES


def _parts(v):
    return list(v) if isinstance(v, (tuple, list)) else [v]


@pytest.mark.parametrize("name", NAMES)
def test_mpmath_backend_precision(name):
    """At mp.dps = 50 from strings: an mpf, equal to the numpy backend (float inputs) to 1e-14
    and to the same call at mp.dps = 60 to 45 digits."""
    args = SAMPLES[name]
    f = F.formula(name)
    assert f.in_domain(*args, backend="mpmath")
    fmp = f.function("mpmath")
    with mpmath.workdps(50):
        v50 = _parts(fmp(*args))
        v50_mpf = _parts(fmp(*[mpmath.mpf(a) for a in args]))
    with mpmath.workdps(60):
        v60 = _parts(fmp(*args))
    v_np = _parts(f.function("numpy")(*[float(a) for a in args]))
    assert all(isinstance(x, mpmath.mpf) for x in v50 + v60)
    with mpmath.workdps(60):
        for a, b, c, d in zip(v50, v50_mpf, v60, v_np):
            assert a == b
            assert abs(a - c) <= mpmath.mpf(10) ** -45 * abs(c), (name, a, c)
            assert abs(float(c) - float(d)) <= 1e-14 * abs(float(c)), (name, c, d)


def test_lmg_broken_branch_is_stable_on_its_domain():
    """Inside V > 0, gamma_I + gamma_C < 2V the broken-symmetry point of lmg.meanfield.x/z is a
    stable fixed point (tangent eigenvalues of the engine's Jacobian, random non-dyadic points)."""
    m = models.lmg()
    names = ("V", "gamma_I", "gamma_C")
    fx, fz = F.get("lmg.meanfield.x"), F.get("lmg.meanfield.z")
    sx, sy, sz, V, gI, gC = sp.symbols("sx sy sz V gamma_I gamma_C")
    var = mf.variables(m)
    eqs = mf.equations(m, thermodynamic_limit=True)
    plain = {**{m.symbol(n): sp.Symbol(n) for n in names}, var["sx"]: sx, var["sy"]: sy, var["sz"]: sz}
    flow = sp.lambdify((sx, sy, sz, V, gI, gC), [e.xreplace(plain) for e in eqs.values()])
    jac = sp.lambdify((sx, sy, sz, V, gI, gC),
                      sp.Matrix([e.xreplace(plain) for e in eqs.values()]).jacobian([sx, sy, sz]))
    rng = np.random.default_rng(5)
    for _ in range(20):
        v = rng.uniform(0.3, 2.1)
        g_i, g_c = rng.uniform(0.01, 1) * 2 * v * rng.dirichlet((1, 1, 1))[:2]
        x, z = float(fx(v, g_i, g_c)), float(fz(v, g_i, g_c))
        y = x  # seed 001: X = sgn(V) Y (individual decay: |s| < 1, no conserved length)
        assert np.linalg.norm(flow(x, y, z, v, g_i, g_c)) < 1e-12
        ev = np.linalg.eigvals(np.array(jac(x, y, z, v, g_i, g_c), dtype=float))
        assert max(e.real for e in ev) < 0, (v, g_i, g_c, ev)
    # gamma_C = 0 (no collective decay; seed 001 Fig. 4) is inside the domain and still stable
    for v, g_i in ((1.3, 0.4), (0.9, 1.7)):
        x, z = float(fx(v, g_i, 0.0)), float(fz(v, g_i, 0.0))
        ev = np.linalg.eigvals(np.array(jac(x, x, z, v, g_i, 0.0), dtype=float))
        assert np.linalg.norm(flow(x, x, z, v, g_i, 0.0)) < 1e-12 and max(e.real for e in ev) < 0
    with pytest.raises(DomainError, match="gamma_I \\+ gamma_C < 2 V"):
        fx(1.3, 1.9, 0.9)
    with pytest.raises(DomainError, match="gamma_C"):
        fx(1.3, 0.4, -0.1)


def test_driven_dicke_window_at_gamma_zero_is_eq3():
    """gamma = 0 (the limit Gamma >> gamma) is inside the (B5) domain and gives eq. (3):
    0 < Omega < Omega_c/sqrt(2)."""
    with mpmath.workdps(40):
        lo, hi = F.get("driven_dicke.meanfield.bistability", backend="mpmath")("0", "1.3")
        assert abs(lo) < mpmath.mpf(10) ** -18 and abs(hi - 1 / mpmath.sqrt(2)) < mpmath.mpf(10) ** -38
    # float64: the lower edge is sqrt of a difference that cancels at gamma = 0 (error ~ sqrt(eps))
    lo, hi = (float(e) for e in F.get("driven_dicke.meanfield.bistability")(0.0, 1.3))
    assert abs(lo) < 3e-8 and abs(hi - 2 ** -0.5) < 1e-15
    with pytest.raises(DomainError, match="gamma"):
        F.get("driven_dicke.meanfield.bistability")(-0.1, 1.3)


def test_chain_am_phase_is_stable_exactly_on_the_domain():
    """gain_loss_chain.hp.correlation_length: at random points with Gamma_g Gamma_l > (g + h)^2,
    g h > 0 the k-space drift is Hurwitz for every k; with g h < 0 (refused) it is not."""
    G = fl.chain_gaussian("AM")
    m = G.model
    syms = [m.symbol(n) for n in ("g", "h", "Gamma_g", "Gamma_l")]
    A = sp.lambdify(syms + [fl.Z], G.drift, "numpy")
    ks = np.linspace(0, 2 * np.pi, 61)

    def growth(*a):
        return max(np.linalg.eigvals(np.array(A(*a, np.exp(1j * k)), dtype=complex)).real.max() for k in ks)

    f = F.formula("gain_loss_chain.hp.correlation_length")
    rng = np.random.default_rng(7)
    for _ in range(20):
        g = rng.uniform(-1.9, 1.9)
        h = np.sign(g) * rng.uniform(0.05, 1.9)
        Gg = rng.uniform(0.1, 2.9)
        Gl = (g + h) ** 2 / Gg * rng.uniform(1.01, 2.9)
        assert f.in_domain(g, h, Gg, Gl) and growth(g, h, Gg, Gl) < 0
    for g, h in ((1.1, -0.7), (0.7, -0.3)):
        Gl = 1.3 * (g + h) ** 2
        assert not f.in_domain(g, h, 1.0, Gl) and growth(g, h, 1.0, Gl) > 0


@pytest.mark.parametrize("omega", ["-1.3", "0"])
@pytest.mark.parametrize("name", ["sz", "sz2", "purity", "xi2_x", "negativity", "qubit_purity"])
def test_crf_exact_at_negative_and_zero_omega_equals_the_numeric_state(name, omega):
    """omega < 0 (the opposite-phase drive) and omega = 0 (pure collective decay: |S, -S>) are inside
    the crf.exact domain: each closed form (mpmath and numpy backends) equals the 30-digit numeric
    steady state at kappa = 0.9, S = 3 (an independent solve of eq. (10), not the symmetry argument
    or the rescaled recurrence the evaluator uses).  omega = 0 used to be refused."""
    from numeric import steady_state

    st = steady_state(models.crf(), {"omega": omega, "kappa": "0.9"}, S=3, dps=30)
    numeric = {"sz": lambda: st.expect("Sz") / 3, "sz2": lambda: st.expect("Sz*Sz") / 9, "purity": st.purity,
               "xi2_x": lambda: st.squeezing("x"), "negativity": st.negativity, "qubit_purity": st.qubit_purity}
    f = F.get(f"crf.exact.{name}", backend="mpmath")
    with mpmath.workdps(30):
        ref = mpmath.re(numeric[name]())
        assert abs(f(omega, "0.9", 3) - ref) < mpmath.mpf(10) ** -25
    assert F.get(f"crf.exact.{name}")(float(omega), 0.9, 3) == pytest.approx(float(ref), rel=1e-13, abs=1e-14)
