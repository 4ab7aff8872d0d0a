"""Mean-field phase diagram of the open Dicke model (seed 003) derived by the engine
(analytic/cavity.py) against what seed 003 prints, after the convention mapping of
analytic.models.open_dicke (cavity loss kappa(2 a rho a^+ - ...) -> rate 2 kappa;
alpha = <a>/sqrt(2S) = seed 003's beta = <a>/sqrt(N); seed 003's m = <S>/N = s/2)."""
import sympy as sp

import analytic as an
from analytic import cavity as cv
from analytic import meanfield as mf

M = an.models.open_dicke()
P = {k: M.symbol(k) for k in ("omega_a", "omega_c", "kappa", "g_minus", "g_plus")}
g = sp.Symbol("g", positive=True)
BALANCED = {P["g_minus"]: g, P["g_plus"]: g}
SEED003_FIG1 = {P["omega_a"]: 1, P["omega_c"]: sp.Rational(5, 2), P["kappa"]: sp.Rational(1, 2)}
SEED003_FIGS4 = {P["omega_a"]: 1, P["omega_c"]: 1, P["kappa"]: 1}


def test_equations_are_seed003_eq5_in_the_balanced_case():
    """Seed 003 eq. (5): dm/dt = omega_a e_z x m + 2 g_bar (beta + beta*) e_x x m,
    dbeta/dt = -(i omega_c + kappa) beta - i g m_x, where the g of the cavity equation must be
    2 g_bar (the print leaves it undefined; with g = g_bar the cavity would be driven half as
    strongly as the spin is rotated, and the critical coupling below would not follow)."""
    eqs = {k: v.subs(BALANCED) for k, v in cv.open_dicke_equations().items()}
    var = mf.variables(M)
    sx, sy, sz, ar, ai = (var[k] for k in ("sx", "sy", "sz", "ar", "ai"))
    m = sp.Matrix([sx, sy, sz]) / 2
    beta = ar + sp.I * ai
    ez, ex = sp.Matrix([0, 0, 1]), sp.Matrix([1, 0, 0])
    mdot = P["omega_a"] * ez.cross(m) + 2 * g * (beta + sp.conjugate(beta)) * ex.cross(m)
    bdot = -(sp.I * P["omega_c"] + P["kappa"]) * beta - sp.I * (2 * g) * m[0]
    for k, e in zip(("sx", "sy", "sz"), mdot):
        assert sp.simplify(eqs[k] / 2 - sp.expand(e)) == 0, k
    assert sp.simplify(eqs["ar"] + sp.I * eqs["ai"] - sp.expand(bdot)) == 0


def test_critical_coupling_is_the_balanced_limit_of_the_normal_edge():
    """g_c of seed 003 (in our convention sqrt(omega_a (omega_c^2 + kappa^2)/omega_c)/2, the
    registered critical coupling) is where the normal-edge curve g_plus(g_minus) meets the
    diagonal g_plus = g_minus; the SR quadratic then has its root at s_z = -1."""
    gc = an.formulas.formula("open_dicke.meanfield.critical_coupling").expr
    assert sp.simplify(gc - sp.sqrt(P["omega_a"] * (P["omega_c"] ** 2 + P["kappa"] ** 2) / P["omega_c"]) / 2) == 0
    edge = cv.normal_edge().subs(P["g_minus"], gc)
    for vals in (SEED003_FIG1, SEED003_FIGS4, {P["omega_a"]: 3, P["omega_c"]: 2, P["kappa"]: 5}):
        assert abs(sp.N(edge.subs(vals) - gc.subs(vals), 30)) < 1e-25
    Q = cv.superradiant_polynomial().subs(BALANCED)
    assert sp.simplify(Q.subs(mf.variables(M)["sz"], -1).subs(g, gc)) == 0
    # seed 003 Fig. 1: kappa/omega_a = 0.5, omega_c/omega_a = 2.5 -> g_c = sqrt(2.6)/2
    assert sp.simplify(gc.subs(SEED003_FIG1) - sp.sqrt(sp.Rational(13, 5)) / 2) == 0


def test_balanced_superradiant_branch():
    """Balanced model: Q is linear and s_z = -(g_c/g)^2 above g_c (the Dicke result); the SR
    point is a fixed point of the engine's equations on the unit sphere."""
    gc = an.formulas.formula("open_dicke.meanfield.critical_coupling").expr
    sz = mf.variables(M)["sz"]
    Q = sp.Poly(sp.expand(cv.superradiant_polynomial().subs(BALANCED)), sz)
    assert Q.degree() == 1
    root = sp.solve(Q.as_expr(), sz)[0]
    assert sp.simplify(root + (gc / g) ** 2) == 0
    vals = {**SEED003_FIG1, g: sp.Rational(7, 5) * gc.subs(SEED003_FIG1)}  # g = 1.4 g_c (seed 003 Fig. 1)
    pt = cv.superradiant_point(root.subs(vals))
    pt = {k: sp.N(v.subs(BALANCED).subs(vals), 40) for k, v in pt.items()}
    assert abs(pt["sz"] + sp.Rational(25, 49)) < 1e-35
    var = mf.variables(M)
    for k, e in cv.open_dicke_equations().items():
        r = e.subs(BALANCED).subs(vals).subs({var[n]: v for n, v in pt.items()})
        assert abs(sp.N(r, 40)) < 1e-30, k
    assert abs(pt["sx"] ** 2 + pt["sy"] ** 2 + pt["sz"] ** 2 - 1) < 1e-30


def test_bistable_region_of_the_unbalanced_model_contains_seed003_point():
    """Seed 003 Fig. S4 / Fig. 3 (omega_a = omega_c = kappa = 1, g_- = 1.8, g_+ = 0.782, 's = 0.69')
    lies in the bistable region: between the saddle-node ray g_+ = rho g_- (rho = sqrt(2) - 1
    here) and the normal edge (0.884125 at g_- = 1.8: x = g_+^2 solves x^2 - 8.48 x + 6.0176 = 0)."""
    rho = cv.saddle_node_ratio()
    assert sp.simplify(rho.subs(SEED003_FIGS4) - (sp.sqrt(2) - 1)) == 0
    edge = float(cv.normal_edge().subs({**SEED003_FIGS4, P["g_minus"]: sp.Rational(9, 5)}))
    lower = float(rho.subs(SEED003_FIGS4)) * 1.8
    assert abs(lower - 0.745584) < 1e-6 and abs(edge - 0.884125) < 1e-6
    assert lower < 0.782 < edge
    # inside: two SR branches with -1 < s_z < 0 (one stable, one saddle), the normal state stable
    vals = {**SEED003_FIGS4, P["g_minus"]: sp.Rational(9, 5), P["g_plus"]: sp.Rational(391, 500)}
    roots = [complex(sp.N(r.subs(vals))) for r in cv.superradiant_sz()]
    assert all(abs(r.imag) < 1e-15 and -1 < r.real < 0 for r in roots)
    b = cv.open_dicke_boundaries()
    assert float(b["normal_real"].subs(vals)) > 0 and float(b["normal_hopf"].subs(vals)) > 0
    assert float(b["saddle_node"].subs(vals)) > 0


def test_saddle_node_ray_is_where_the_two_sr_branches_merge():
    """On g_+ = rho g_- the discriminant vanishes and the two roots of Q coincide."""
    rho = cv.saddle_node_ratio()
    vals = {**SEED003_FIG1, P["g_minus"]: 2}
    vals[P["g_plus"]] = rho.subs(vals) * 2
    r1, r2 = (complex(sp.N(r.subs(vals), 30)) for r in cv.superradiant_sz())
    assert abs(r1 - r2) < 1e-12 and abs(r1.imag) < 1e-12 and -1 < r1.real < 0
    assert abs(sp.N(cv.open_dicke_boundaries()["saddle_node"].subs(vals), 30)) < 1e-25


def test_normal_phase_fluctuations_stability_conditions_are_the_phase_boundaries():
    """Two routes to the normal state's stability agree: the Routh-Hurwitz conditions of the
    Holstein-Primakoff drift (analytic.fluctuations) contain the real and Hopf boundary factors
    of the tangent Jacobian (analytic.meanfield.stability_boundaries); the only other one is the
    lower Hurwitz determinant g_-^2 - g_+^2 + kappa^2 + omega_c^2 (a condition, not a crossing)."""
    gauss = cv.normal_fluctuations()
    b = cv.open_dicke_boundaries()
    factors = set()
    for c in gauss.conditions:
        factors |= {f for f in sp.Mul.make_args(sp.factor(c)) if f.has(P["g_minus"])}
    extra = sp.expand(P["g_minus"] ** 2 - P["g_plus"] ** 2 + P["kappa"] ** 2 + P["omega_c"] ** 2)
    assert {sp.expand(f) for f in factors} == {sp.expand(b["normal_real"]), sp.expand(b["normal_hopf"]), extra}
    # only the cavity is damped: D = 2 kappa on the cavity quadratures, 0 on the spin
    assert gauss.diffusion == sp.diag(0, 0, 2 * P["kappa"], 2 * P["kappa"])


def test_normal_phase_photon_number_diverges_at_g_c():
    """Balanced model, Gaussian photon number n = (V_xx + V_pp - 2)/4 of the cavity quadratures
    (x = a + a^+, vacuum V = 1): zero without coupling, positive below g_c, and
    n (g_c - g) tends to a nonzero constant (a pole at the critical coupling)."""
    gauss = cv.normal_fluctuations()
    V = gauss.covariance
    n = (V[2, 2] + V[3, 3] - 2) / 4
    nb = sp.factor(sp.simplify(n.subs(BALANCED).subs(SEED003_FIG1)))
    gc = float(an.formulas.formula("open_dicke.meanfield.critical_coupling").expr.subs(SEED003_FIG1))
    assert sp.simplify(nb.subs(g, 0)) == 0
    vals = [float(nb.subs(g, x * gc)) for x in (0.5, 0.9, 0.99)]
    assert 0 < vals[0] < vals[1] < vals[2]
    res = [float(nb.subs(g, gc * (1 - e))) * e for e in (1e-4, 1e-6)]
    assert res[0] > 0 and abs(res[0] / res[1] - 1) < 1e-3
