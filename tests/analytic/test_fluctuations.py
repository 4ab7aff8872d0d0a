"""Gaussian (Holstein-Primakoff) fluctuations derived by analytic.fluctuations vs the seed papers.

Seed 002 App. A: HP occupations (A6)-(A8) (h = 0), purities (A23)/(A24), negativity (A26),
stability regions of the ordered phases.  Seed 004 (F13): squeezing of the Dicke limit.
Everything is derived from the model (drift = mean-field Jacobian in the mean-spin frame,
diffusion from Model.adjoint); the printed formulas are only compared with.
"""
import numpy as np
import pytest
import scipy.linalg
import sympy as sp

import analytic as an
from analytic import fluctuations as fl
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
    g = fl._crf_gaussian()
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
    g = fl._crf_gaussian()
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
    for v in ({gg: 1, Gl: sp.Rational(3, 2)}, {gg: sp.Rational(1, 3), Gl: 2}, {gg: 1, Gl: 5}):
        assert float(f.expr.subs(v)) == pytest.approx(float((gg / (2 * Gl)).subs(v)), rel=1e-12)
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


# ----------------------------------------------------------------------------- bad input
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
        fl._crf_gaussian().index("x_q")
