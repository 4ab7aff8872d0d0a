"""Gaussian (Holstein-Primakoff) fluctuations derived by analytic.fluctuations vs the seed papers.

Seed 002 App. A: HP occupations (A6)-(A8) (h = 0), purities (A23)/(A24), negativity (A26),
stability regions of the ordered phases.  Seed 004 App. F: the drift (F7), the Dicke limit (F13),
the limit (8) with its optimum 1/sqrt(3), and which of (8) / (F14) is the printed form of it.
Everything is derived from the model (drift = mean-field Jacobian in the mean-spin frame,
diffusion from Model.adjoint); the printed formulas are only compared with.
"""
import numpy as np
import pytest
import scipy.linalg
import sympy as sp

import analytic as an
from analytic import fluctuations as fl
from analytic.fluctuations import phases as flp
from analytic.model import ModelError


def same(a, b):
    return sp.simplify(sp.expand(a - b)) == 0


def syms(m, *names):
    return [m.symbol(n) for n in names]


# ----------------------------------------------------------------------------- crf
def test_crf_covariance_pure_and_squeezed():
    """Stable branch of crf: V = diag(1/sqrt(1 - lambda^2), sqrt(1 - lambda^2)) in the mean-spin
    frame, a pure Gaussian state (det V = 1), xi^2 = sqrt(1 - lambda^2) = seed 004 (F13) with
    Omega/Omega_c = lambda (crf is the driven Dicke model with gamma_s = 0)."""
    g = flp._crf_gaussian()
    omega, kappa = syms(g.model, "omega", "kappa")
    lam = omega / (2 * kappa)
    r = sp.sqrt(1 - lam ** 2)
    assert same(g.covariance[0, 1], 0)
    assert {sp.simplify(g.covariance[0, 0] - 1 / r), sp.simplify(g.covariance[1, 1] - r)} == {0}
    for v in ({omega: 1, kappa: 1}, {omega: sp.Rational(19, 10), kappa: 1}, {omega: 1, kappa: 3}):
        assert float(g.covariance.det().subs(v)) == pytest.approx(1, abs=1e-14)
    xi2 = an.formulas.formula("crf.hp.xi2").expr
    assert same(xi2, r)
    # validity: drift Hurwitz iff lambda < 1
    vals = {"omega": 1.0, "kappa": 1.0}
    assert g.is_stable(vals)
    assert all(float(c.subs({omega: 1, kappa: 1})) > 0 for c in g.conditions)


def test_crf_occupation_and_anomalous_give_xi2():
    """seed 004 (F10): xi^2 = 1 + 2<b^dag b> - 2|<b^2>| for a mean spin of unit length."""
    g = flp._crf_gaussian()
    omega, kappa = syms(g.model, "omega", "kappa")
    for v in ({omega: 1, kappa: 1}, {omega: sp.Rational(7, 5), kappa: 1}):
        n = complex(g.occupation().subs(v))
        a2 = complex(g.anomalous().subs(v))
        xi2 = float(an.formulas.formula("crf.hp.xi2").expr.subs(v))
        assert abs(n.imag) < 1e-14
        assert 1 + 2 * n.real - 2 * abs(a2) == pytest.approx(xi2, abs=1e-13)


# ----------------------------------------------------------------------------- seed 002 dimer
def test_dimer_fm_occupations_seed002_A6_A8():
    """|up up> phase, h = 0 (|g_k|^2 = g^2): eqs. (A6), (A7), (A8)."""
    g = fl.dimer_gaussian("FM_up")
    gg, Gg, Gl = syms(g.model, "g", "Gamma_g", "Gamma_l")
    den = (Gg - Gl) * (gg ** 2 - Gg * Gl)
    assert same(g.occupation("a"), Gl * gg ** 2 / den)
    assert same(g.occupation("b"), Gl * (gg ** 2 + Gg * (Gg - Gl)) / den)
    assert same(g.moment("a", "b"), sp.I * gg * Gg * Gl / den)


def test_dimer_purities_seed002_A23_A24():
    g = fl.dimer_gaussian("AM")
    gg, Gg, Gl = syms(g.model, "g", "Gamma_g", "Gamma_l")
    A23 = (Gg + Gl) ** 2 * (Gg * Gl - gg ** 2) / (gg ** 2 * (Gg - Gl) ** 2 + Gg * Gl * (Gg + Gl) ** 2)
    A24 = (Gg - Gl) ** 2 * (gg ** 2 - Gg * Gl) / (Gg * Gl * (Gg - Gl) ** 2 + gg ** 2 * (Gg + Gl) ** 2)
    assert same(an.formulas.formula("gain_loss_dimer.hp.purity").expr, A23)
    assert same(an.formulas.formula("gain_loss_dimer.hp.purity_fm").expr, A24)
    # |down down>: same expression (A24) where it is valid (Gamma_l > Gamma_g)
    down = fl.dimer_gaussian("FM_down").purity()
    for v in ({gg: 1, Gg: sp.Rational(1, 5), Gl: sp.Rational(1, 2)}, {gg: 2, Gg: 1, Gl: sp.Rational(3, 2)}):
        assert float(down.subs(v)) == pytest.approx(float(A24.subs(v)), rel=1e-13)


def test_dimer_negativity_seed002_A26_and_fm_zero():
    """A26: N = g/(2 Gamma_bar) on the PT line in the AM phase; N = 0 in the FM phases (A5 is
    excitation conserving)."""
    f = an.formulas.formula("gain_loss_dimer.hp.negativity")
    gg, Gl = [s for n in ("g", "Gamma_l") for s in f.expr.free_symbols if s.name == n]
    assert sp.simplify(f.expr - sp.Abs(gg) / (2 * Gl)) == 0
    # the exported function keeps its digits up to the transition Gamma_bar -> g (no cancelling roots)
    assert [f.function()(1.0, 1 + d) * 2 * (1 + d) for d in (1e-2, 1e-4, 1e-8)] == pytest.approx([1, 1, 1], rel=1e-14)
    fm = fl.dimer_gaussian("FM_up")
    gg, Gg, Gl = syms(fm.model, "g", "Gamma_g", "Gamma_l")
    n = fm.negativity().subs({gg: 1, Gg: sp.Rational(1, 2), Gl: sp.Rational(1, 5)})
    assert float(n) == 0


def test_dimer_stability_regions_seed002():
    """AM valid iff Gamma_g Gamma_l > g^2; FM_up iff Gamma_g > Gamma_l and g^2 > Gamma_g Gamma_l
    (seed 002 below A10 with h = 0): the Hurwitz conditions returned with the result."""
    am, fm = fl.dimer_gaussian("AM"), fl.dimer_gaussian("FM_up")
    gg, Gg, Gl = syms(am.model, "g", "Gamma_g", "Gamma_l")
    factors_am = {f for c in am.conditions for f in sp.Mul.make_args(sp.factor(c))}
    assert any(same(f, gg ** 2 - Gg * Gl) or same(f, Gg * Gl - gg ** 2) for f in factors_am)
    factors_fm = {f for c in fm.conditions for f in sp.Mul.make_args(sp.factor(c))}
    assert any(same(f, Gg - Gl) or same(f, Gl - Gg) for f in factors_fm)
    rng = np.random.default_rng(0)
    for _ in range(20):
        v = {"g": 1.0, "Gamma_g": float(rng.uniform(0.05, 3)), "Gamma_l": float(rng.uniform(0.05, 3))}
        P = v["Gamma_g"] * v["Gamma_l"]
        assert am.is_stable(v) == (P > 1)
        assert fm.is_stable(v) == (P < 1 and v["Gamma_g"] > v["Gamma_l"])
        sym_ok = all(float(c.subs({gg: 1, Gg: v["Gamma_g"], Gl: v["Gamma_l"]})) > 0 for c in fm.conditions)
        assert sym_ok == fm.is_stable(v)


def test_dimer_covariance_solves_lyapunov_numerically():
    g = fl.dimer_gaussian("AM")
    gg, Gg, Gl = syms(g.model, "g", "Gamma_g", "Gamma_l")
    v = {gg: 0.8, Gg: 1.3, Gl: 0.9}
    A = np.array(g.drift.subs(v), float)
    D = np.array(g.diffusion.subs(v), float)
    V = np.array(g.covariance.subs(v), float)
    assert np.allclose(V, scipy.linalg.solve_continuous_lyapunov(A, -D), atol=1e-13)


# ----------------------------------------------------------------------------- seed 002 chain
def lattice_average(expr, values: dict, s: int = 0) -> complex:
    """(1/N) sum_k f(k) e^{isk} for N -> infinity (seed 002 eq. A15): numerical k-integral of a
    function of z = e^{ik} (mpmath quadrature, 30 digits)."""
    import mpmath

    f = sp.lambdify(fl.Z, expr.subs(values), "mpmath")
    with mpmath.workdps(30):
        val = mpmath.quad(lambda k: f(mpmath.expj(k)) * mpmath.expj(s * k), [0, mpmath.pi, 2 * mpmath.pi])
        return complex(val / (2 * mpmath.pi))


def test_chain_fm_occupations_seed002_A6_A8():
    """|up up> phase of the chain: k-space occupations (A6)-(A8), g_k = g + h e^{ik}."""
    c = fl.chain_gaussian("FM_up")
    gg, h, Gg, Gl = syms(c.model, "g", "h", "Gamma_g", "Gamma_l")
    gk, gk2 = gg + h * fl.Z, (gg + h * fl.Z) * (gg + h / fl.Z)
    den = (Gg - Gl) * (gk2 - Gg * Gl)
    assert same(c.occupation("a"), Gl * gk2 / den)
    assert same(c.occupation("b"), Gl * (gk2 + Gg * (Gg - Gl)) / den)
    assert same(c.moment("a", "b"), sp.I * gk * Gg * Gl / den)
    # h = 0: the dimer's (A6)-(A8)
    d = fl.dimer_gaussian("FM_up")
    assert same(c.occupation("b").subs(h, 0), d.occupation("b"))


def test_chain_site_values_seed002_A9_A14():
    """Site averages of the engine's k-space moments (numerical k-integral) equal the printed
    closed forms (A9), (A10) (|up up>), (A11), (A12) (|down down>), (A13), (A14) (|up down>)."""
    m = fl.chain_gaussian("AM").model
    gg, h, Gg, Gl = syms(m, "g", "h", "Gamma_g", "Gamma_l")
    C = sp.sqrt(((gg - h) ** 2 - Gg * Gl) * ((gg + h) ** 2 - Gg * Gl))
    cases = [  # (phase, point, [(engine moment, printed S - <S^z> or moment)])
        ("FM_up", {gg: 1, h: sp.Rational(3, 10), Gg: sp.Rational(2, 5), Gl: sp.Rational(1, 5)},
         [(("b", "b"), Gl / (Gg - Gl) * (1 + Gg ** 2 / C)),
          (("a", "b"), sp.I * Gg * Gl / (2 * gg * (Gg - Gl)) * (1 + (Gg * Gl + gg ** 2 - h ** 2) / C))]),
        ("FM_down", {gg: 1, h: sp.Rational(3, 10), Gg: sp.Rational(1, 5), Gl: sp.Rational(2, 5)},
         [(("a", "a"), Gg / (Gl - Gg) * (1 + Gl ** 2 / C)),
          (("b", "b"), Gg / (Gl - Gg) * (1 + Gg * Gl / C))]),
        ("AM", {gg: 1, h: sp.Rational(1, 2), Gg: 3, Gl: 1},
         [(("a", "a"), Gl / (Gl + Gg) * (-1 + Gg * Gl / C)),
          (("b", "b"), Gg / (Gl + Gg) * (-1 + Gg * Gl / C))]),
    ]
    for phase, v, pairs in cases:
        c = fl.chain_gaussian(phase)
        assert c.is_stable({str(k): float(x) for k, x in v.items()})
        for (s1, s2), printed in pairs:
            got = lattice_average(c.moment(s1, s2), v)
            assert abs(got - complex(printed.subs(v))) < 1e-20, (phase, s1, s2, got, printed.subs(v))


def test_chain_correlation_length_seed002_A16_A19():
    """|up down> phase: <c_{a,n}^dag c_{a,n+s}> = Gamma_l/(Gamma_l+Gamma_g) (Gamma_g Gamma_l/C) lambda^s
    with lambda of (A17), 0 < lambda < 1.  Seed 002 prints lambda^(s-1) in (A16) (it would make the
    s = 1 value exceed the s = 0 occupation (A13)) and xi = -1/ln(-lambda) below (A18), which is
    complex for this positive lambda: the numerics support xi = -1/ln(lambda), the registered
    formula, whose expansion at Gamma_g Gamma_l -> (g + h)^2 is (A19)."""
    c = fl.chain_gaussian("AM")
    gg, h, Gg, Gl = syms(c.model, "g", "h", "Gamma_g", "Gamma_l")
    C = sp.sqrt(((gg - h) ** 2 - Gg * Gl) * ((gg + h) ** 2 - Gg * Gl))
    lam = (Gg * Gl - gg ** 2 - h ** 2 - C) / (2 * gg * h)
    v = {gg: 1, h: sp.Rational(1, 2), Gg: 3, Gl: 1}
    lam_v = float(lam.subs(v))
    assert 0 < lam_v < 1
    pref = complex((Gl / (Gl + Gg) * Gg * Gl / C).subs(v))
    for s in (1, 2, 3, 4):
        got = lattice_average(c.occupation("a"), v, s)
        assert abs(got - pref * lam_v ** s) < 1e-13 * abs(got), (s, got)
        assert abs(got - pref * lam_v ** (s - 1)) > 1e-3  # the printed exponent
    xi = an.formulas.formula("gain_loss_chain.hp.correlation_length").expr
    assert float(xi.subs(v)) == pytest.approx(-1 / np.log(lam_v), rel=1e-13)
    # (A19): xi^2 (Gamma_g Gamma_l - (g+h)^2)/(g h) -> 1 at the transition
    eps = sp.Symbol("eps", positive=True)
    at = {gg: 1, h: sp.Rational(1, 2), Gl: 1, Gg: sp.Rational(9, 4) + eps}
    ratio = (xi ** 2 * (Gg * Gl - (gg + h) ** 2) / (gg * h)).subs(at)
    assert sp.limit(ratio.rewrite(sp.log), eps, 0, "+") == 1


def test_chain_stability_regions_seed002():
    """AM (|up down>) valid iff Gamma_g Gamma_l > (g + h)^2; |up up> iff Gamma_g > Gamma_l and
    (g - h)^2 > Gamma_g Gamma_l, the k = pi mode (z = -1) setting the second bound (seed 002 below
    A10, A14).  Checked on the drift over all k."""
    am, fm = fl.chain_gaussian("AM"), fl.chain_gaussian("FM_up")
    gg, h, Gg, Gl = syms(am.model, "g", "h", "Gamma_g", "Gamma_l")
    det_pi = sp.factor(fm.conditions[0].subs(fl.Z, -1))
    bases = [f.as_base_exp()[0] for f in sp.Mul.make_args(det_pi)]
    assert any(same(b, (gg - h) ** 2 - Gg * Gl) or same(b, Gg * Gl - (gg - h) ** 2) for b in bases), det_pi
    rng = np.random.default_rng(1)
    for _ in range(12):
        v = {"g": 1.0, "h": float(rng.uniform(0.1, 0.9)), "Gamma_g": float(rng.uniform(0.05, 3)),
             "Gamma_l": float(rng.uniform(0.05, 3))}
        P = v["Gamma_g"] * v["Gamma_l"]
        assert am.is_stable(v, samples=48) == (P > (1 + v["h"]) ** 2), v
        assert fm.is_stable(v, samples=48) == (P < (1 - v["h"]) ** 2 and v["Gamma_g"] > v["Gamma_l"]), v


# ----------------------------------------------------------------------------- bad input
# ----------------------------------------------------------------------------- seed 004 atoms
def driven_dicke_symbols():
    g = fl.driven_dicke_gaussian()
    return g, fl.COS_THETA, *syms(g.model, "N", "gamma_c", "gamma_s")


def test_driven_dicke_curve_spin_length():
    """Fixed points with s_x = 0: |s| = -2c/(1 + c^2) for any rates (the atoms' mean spin is
    shorter than 1 whenever individual decay acts), and they solve the engine's equations."""
    point, omega = fl.driven_dicke_curve()
    c = fl.COS_THETA
    m = an.models.driven_dicke()
    length = sp.sqrt(point["sy"] ** 2 + point["sz"] ** 2)
    for cv in (sp.Rational(-9, 10), sp.Rational(-1, 2), sp.Rational(-1, 10)):
        assert sp.simplify(length.subs(c, cv) - (-2 * cv / (1 + cv ** 2))) == 0
        assert sp.simplify(point["sz"].subs(c, cv) / length.subs(c, cv) - cv) == 0
    eqs = an.meanfield.equations(m)
    var = an.meanfield.variables(m)
    vals = {c: sp.Rational(-3, 5), m.symbol("N"): 7, m.symbol("gamma_c"): sp.Rational(1, 3),
            m.symbol("gamma_s"): 2}
    at = {var[k]: v.subs(vals) for k, v in point.items()}
    at[m.symbol("Omega")] = omega.subs(vals)
    assert all(sp.simplify(e.subs(vals).subs(at)) == 0 for e in eqs.values())


def test_driven_dicke_drift_is_seed004_F7():
    """The drift of the transverse quadratures equals (F7): with x = a + a^dag, p = -i(a - a^dag),
    (F7) gives the rates Gamma|s|cos(theta)/2 - gamma/2 and that minus gamma sin^2(theta)/2
    (j_MF/N = |s|/2, Gamma = (N - 1) gamma_c, gamma = gamma_c + gamma_s)."""
    g, c, N, gc, gs = driven_dicke_symbols()
    A = g.drift
    assert same(A[0, 1], 0) and same(A[1, 0], 0)
    Gamma, gamma, s = (N - 1) * gc, gc + gs, g.lengths[""]
    f7 = (Gamma * s * c / 2 - gamma / 2, Gamma * s * c / 2 - gamma / 2 - gamma * (1 - c ** 2) / 2)
    # the frame leaves sqrt(1 - c) sqrt(1 + c) products: compare at exact rational points
    for vals in ({c: sp.Rational(-3, 5), N: 7, gc: sp.Rational(1, 3), gs: 2},
                 {c: sp.Rational(-1, 9), N: 40, gc: sp.Rational(5, 2), gs: sp.Rational(1, 7)}):
        assert sp.simplify(A[0, 0].subs(vals) - f7[1].subs(vals)) == 0
        assert sp.simplify(A[1, 1].subs(vals) - f7[0].subs(vals)) == 0


def test_driven_dicke_xi2_closed_form_and_dicke_limit_F13():
    """driven_dicke.hp.xi2 is V_pp/|s| of the engine's covariance; with pure collective decay the
    collective theory gives (F13), xi^2 = -cos(theta) = sqrt(1 - Omega^2/Omega_c^2)."""
    g, c, N, gc, gs = driven_dicke_symbols()
    xi2 = an.formulas.formula("driven_dicke.hp.xi2").expr
    assert same(xi2 - g.covariance[g.index("p"), g.index("p")] / g.lengths[""], 0)
    m = an.models.driven_dicke()
    x = sp.Symbol("x", positive=True)  # Omega/Omega_c, Omega_c = N gamma_c/4 at gamma_s = 0
    dicke = fl.gaussian(m, {"sx": 0, "sy": x, "sz": -sp.sqrt(1 - x ** 2)},
                        parameters={"Omega": x * N * gc / 4, "gamma_s": 0}, factorization="collective",
                        radial=False)
    assert dicke.lengths[""] == 1
    for xv in (sp.Rational(1, 5), sp.Rational(1, 2), sp.Rational(9, 10)):
        V = dicke.covariance.subs(x, xv)
        assert sp.simplify(V[1, 1] - sp.sqrt(1 - xv ** 2)) == 0          # (F13)
        assert sp.simplify(V[0, 0] - 1 / sp.sqrt(1 - xv ** 2)) == 0      # pure: det V = 1
        assert sp.simplify(dicke.squeezing().subs(x, xv) - sp.sqrt(1 - xv ** 2)) == 0


def test_driven_dicke_limit_seed004_eq8_and_F14():
    """Gamma >> gamma (N -> infinity at fixed Gamma = (N-1) gamma_c, then gamma_s/Gamma -> 0):
    the squeezed quadrature's variance V_pp -> -cos(theta), and on the limiting curve
    Omega/Omega_c = -2c sqrt(1 - c^2)/(1 + c^2) this is eq. (8) as printed, minimal = 1/sqrt(3) at
    the end of the lower branch Omega = Omega_c/sqrt(2) (where dOmega/dc = 0).  (F14) is a
    misprint of the same expression: it gives 2/(1 + sqrt 2) = 0.83 at Omega = 0, where the atoms are
    unsqueezed (V_pp = 1).  The Wineland parameter is V_pp/|s| -> (1 + c^2)/2, i.e. 2/3 at the optimum:
    (8) omits the 1/|s| (as F10 does); the numeric test in tests/numeric decides for xi^2."""
    g, c, N, gc, gs = driven_dicke_symbols()
    Gamma, eps = sp.symbols("Gamma epsilon", positive=True)  # eps = gamma_s/Gamma
    _, omega = fl.driven_dicke_curve()

    def limit(e):
        e = sp.limit(sp.simplify(e.subs(gc, Gamma / (N - 1))), N, sp.oo)
        return sp.simplify(sp.limit(e.subs(gs, eps * Gamma), eps, 0))

    vpp = limit(g.covariance[g.index("p"), g.index("p")])
    xi2 = limit(an.formulas.formula("driven_dicke.hp.xi2").expr)
    ratio = limit(omega / (Gamma / 4))
    assert same(vpp, -c)
    assert same(xi2, (1 + c ** 2) / 2)
    assert same(ratio ** 2, 4 * c ** 2 * (1 - c ** 2) / (1 + c ** 2) ** 2)
    # the end of the lower branch: dOmega/dc = 0 at c = -1/sqrt(3), Omega = Omega_c/sqrt(2)
    turning = [r for r in sp.solve(sp.diff(ratio ** 2, c), c) if r.is_negative and r > -1]
    assert turning == [-1 / sp.sqrt(3)]
    assert same(ratio.subs(c, turning[0]), 1 / sp.sqrt(2))
    assert same(vpp.subs(c, turning[0]), 1 / sp.sqrt(3)) and same(xi2.subs(c, turning[0]), sp.Rational(2, 3))

    X = sp.Symbol("X", nonnegative=True)  # Omega/Omega_c
    eq8 = (1 + sp.sqrt(1 - 2 * X ** 2)) / (sp.sqrt(2) * sp.sqrt(1 + X ** 2 + sp.sqrt(1 - 2 * X ** 2)))
    f14 = (1 + sp.sqrt(1 - 2 * X ** 2)) / (sp.sqrt(2) * sp.sqrt(1 + X ** 2) + sp.sqrt(1 - 2 * X ** 2))
    for cv in (-1, sp.Rational(-19, 20), sp.Rational(-4, 5), sp.Rational(-7, 10), -1 / sp.sqrt(3)):
        xv = ratio.subs(c, cv)
        assert sp.N(eq8.subs(X, xv) - vpp.subs(c, cv), 30) == pytest.approx(0, abs=1e-25)
    assert eq8.subs(X, 1 / sp.sqrt(2)) == 1 / sp.sqrt(3) and f14.subs(X, 1 / sp.sqrt(2)).equals(1 / sp.sqrt(3))
    assert eq8.subs(X, 0) == 1 and vpp.subs(c, -1) == 1
    assert float(f14.subs(X, 0)) == pytest.approx(0.8284, abs=1e-4)


def test_driven_dicke_squeezed_quadrature_is_decided_on_the_domain():
    """The sign test behind the choice of the squeezed quadrature: V_xx - V_pp > 0 for all
    c in (-1, 0), N > 1, rates > 0; a sign change inside the domain is refused."""
    g, c, N, gc, gs = driven_dicke_symbols()
    v, n = sp.symbols("v n", positive=True)
    domain = {c: -1 / (1 + v), N: 1 + n}
    assert flp._sign_on_domain((1 + c) * gc, domain) == 1
    assert flp._sign_on_domain(c * N, domain) == -1
    with pytest.raises(ModelError, match="cannot decide the sign"):
        flp._sign_on_domain(c + sp.Rational(1, 2), domain)


def test_bad_input():
    m = an.models.crf()
    with pytest.raises(ModelError, match="unknown variables"):
        fl.gaussian(m, {"sx": 0, "sy": 0, "sz": -1, "foo": 1})
    with pytest.raises(ModelError, match="lacks"):
        fl.gaussian(m, {"sx": 0, "sy": 0})
    with pytest.raises(ModelError, match="not a fixed point"):
        fl.gaussian(m, {"sx": 1, "sy": 0, "sz": 0})
    with pytest.raises(ModelError, match="phase"):
        fl.dimer_gaussian("XY")
    with pytest.raises(ModelError, match="no quadrature"):
        flp._crf_gaussian().index("x_q")
