"""Fixed points, Jacobians, stability and stability boundaries from the engine vs the papers."""
import mpmath
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import meanfield as mf


def close(a, b, values, tol=1e-12):
    return abs(complex(sp.N(sp.sympify(a - b).subs(values)))) < tol


# ----------------------------------------------------------------------------- seed 000
def test_crf_fixed_points_seed000_eq14_15_and_stability():
    """Eq. (14): S(0, lambda, +-sqrt(1 - lambda^2)) for lambda <= 1, only the lower one stable;
    eq. (15): S(+-sqrt(1 - 1/lambda^2), 1/lambda, 0) for lambda >= 1, centres (imaginary eigenvalues)."""
    m = an.models.crf()
    omega, kappa = m.symbol("omega"), m.symbol("kappa")
    lam = omega / (2 * kappa)
    fps = mf.fixed_points(m)
    assert len(fps) == 4
    magnetised = [p for p in fps if p["sx"] == 0]
    para = [p for p in fps if p["sz"] == 0]
    assert len(magnetised) == 2 and len(para) == 2
    for lam_val in (0.3, 0.9):
        vals = {omega: 2 * lam_val, kappa: 1}
        kinds = sorted(mf.stability(m, p, vals).kind for p in magnetised)
        assert kinds == ["stable", "unstable"]
        stable = next(p for p in magnetised if mf.stability(m, p, vals).kind == "stable")
        assert close(stable["sz"], -sp.sqrt(1 - lam**2), vals) and close(stable["sy"], lam, vals)
        assert not any(p.exists(vals) for p in para)
    vals = {omega: 3, kappa: 1}  # lambda = 1.5
    for p in para:
        assert p.exists(vals)
        assert close(p["sy"], 1 / lam, vals) and close(abs(p["sx"]), sp.sqrt(1 - 1 / lam**2), vals)
        st = mf.stability(m, p, vals)
        assert st.kind == "centre" and all(abs(complex(e).real) < 1e-12 for e in st.eigenvalues)
    assert not any(p.exists(vals) for p in magnetised)


def test_crf_jacobian_eigenvalues_seed000_eq19_20():
    """Eq. (19) prints +-2 kappa sqrt(1 - lambda) (double); the engine's tangent Jacobian gives
    +-2 kappa sqrt(1 - lambda^2) (double).  Eq. (19) is misprinted (the (z, phi) Jacobian of
    eq. (16) at z = -sqrt(1 - lambda^2) is diag(2 kappa z, 2 kappa z)); the Liouvillian gap test of
    the numeric suite confirms the squared form.  Eq. (20): +-i omega sqrt(1 - lambda^-2) (printed
    with lambda^-1, same misprint)."""
    m = an.models.crf()
    omega, kappa = m.symbol("omega"), m.symbol("kappa")
    lam = omega / (2 * kappa)
    fps = mf.fixed_points(m)
    vals = {omega: sp.Rational(6, 5), kappa: 1}
    lower = next(p for p in fps if p["sx"] == 0 and float(p["sz"].subs(vals)) < 0)
    ev = mf.eigenvalues(m, lower)
    assert len(ev) == 2
    for e in ev:
        assert close(e, -2 * kappa * sp.sqrt(1 - lam**2), vals)
        assert not close(e, -2 * kappa * sp.sqrt(1 - lam), vals, tol=1e-3)
    vals = {omega: 3, kappa: 1}
    p = next(p for p in fps if p["sz"] == 0)
    ev = sorted(mf.eigenvalues(m, p, vals), key=lambda z: z.imag)
    target = float(omega.subs(vals)) * float(sp.sqrt(1 - 1 / lam**2).subs(vals))
    assert ev[0] == pytest.approx(-1j * target, abs=1e-12) and ev[1] == pytest.approx(1j * target, abs=1e-12)


def test_crf_full_jacobian_has_zero_mode_of_conserved_length():
    m = an.models.crf()
    fp = mf.fixed_points(m)[0]
    J = mf.jacobian(m, fp)
    assert sp.simplify(J.det()) == 0
    assert mf.conserved_quantities(m) == [sum(v**2 for v in mf.variables(m).values())]


# ----------------------------------------------------------------------------- seed 001
def test_lmg_broken_symmetry_points_seed001():
    """Seed 001 below eq. (10): X = sgn(V) Y = +-sqrt(gamma_I(2|V| - gamma_I - gamma_C))/(2|V| - gamma_C),
    Z = -gamma_I/(2|V| - gamma_C), for gamma_I + gamma_C < 2|V|; stable there."""
    m = an.models.lmg()
    V, gI, gC = (m.symbol(n) for n in ("V", "gamma_I", "gamma_C"))
    eqs = mf.equations(m, thermodynamic_limit=True)
    fps = mf.fixed_points(m, eqs)
    for vals in ({V: 1, gI: sp.Rational(1, 2), gC: sp.Rational(1, 2)}, {V: -1, gI: sp.Rational(3, 10), gC: 1}):
        absV = abs(vals[V])
        X = sp.sqrt(vals[gI] * (2 * absV - vals[gI] - vals[gC])) / (2 * absV - vals[gC])
        Z = -vals[gI] / (2 * absV - vals[gC])
        broken = [p for p in fps if p.exists(vals) and float(p["sz"].subs(vals)) > -1 + 1e-12]
        assert len(broken) == 2
        for p in broken:
            x, y, z = (complex(sp.N(p[k].subs(vals))).real for k in ("sx", "sy", "sz"))
            assert abs(abs(x) - float(X)) < 1e-13 and abs(z - float(Z)) < 1e-13
            assert abs(x - float(sp.sign(vals[V])) * y) < 1e-13
            assert mf.stability(m, p, vals, eqs=eqs).kind == "stable"
        polarized = next(p for p in fps if p["sz"] == -1)
        assert mf.stability(m, polarized, vals, eqs=eqs).kind == "unstable"


def test_lmg_polarized_state_jacobian_seed001_appendixB():
    """Seed 001 (B2) for qubits (|l_-j|^2 = 2j = 1): eigenvalues -(gamma_I + gamma_C) +- 2V and the
    nondegenerate -gamma_I |l|^2/j = -2 gamma_I.  Confirmed exactly."""
    m = an.models.lmg()
    V, gI, gC = (m.symbol(n) for n in ("V", "gamma_I", "gamma_C"))
    eqs = mf.equations(m, thermodynamic_limit=True)
    ev = mf.jacobian(m, {"sx": 0, "sy": 0, "sz": -1}, eqs).eigenvals(multiple=True)
    expected = [-(gI + gC) + 2 * V, -(gI + gC) - 2 * V, -2 * gI]
    assert sorted(map(sp.expand, ev), key=str) == sorted(map(sp.expand, expected), key=str)


def test_lmg_collective_only_seed001_eq11_centres():
    """Seed 001 eq. (11): for gamma_I = 0 and gamma_C < 2|V| four fixed points with Z = 0 on the
    sphere; the Jacobian eigenvalues there are purely imaginary (centres)."""
    m = an.models.lmg()
    V, gI, gC = (m.symbol(n) for n in ("V", "gamma_I", "gamma_C"))
    eqs = {k: e.subs(gI, 0) for k, e in mf.equations(m, thermodynamic_limit=True).items()}
    fps = mf.fixed_points(m, eqs)
    vals = {V: 1, gC: sp.Rational(6, 5)}
    equator = [p for p in fps if p["sz"] == 0 and p.exists(vals)]
    assert len(equator) == 4
    r = sp.sqrt(1 - (vals[gC] / (2 * vals[V])) ** 2)
    expected = {(float(sp.sqrt(sp.Rational(1, 2) + s * r / 2)), float(sp.sqrt(sp.Rational(1, 2) - s * r / 2))) for s in (1, -1)}
    got = {(round(abs(float(p["sx"].subs(vals))), 12), round(abs(float(p["sy"].subs(vals))), 12)) for p in equator}
    assert got == {(round(a, 12), round(b, 12)) for a, b in expected}
    for p in equator:
        st = mf.stability(m, p, vals, eqs=eqs)
        assert st.kind == "centre"


# ----------------------------------------------------------------------------- seed 004
def test_driven_dicke_cubic_seed004_eq2():
    """The fixed points reduce to the cubic (1 + s_z)(gamma - s_z Gamma)^2 + 8 s_z Omega^2 = 0."""
    m = an.models.driven_dicke()
    Om, gc, gs, N = (m.symbol(n) for n in ("Omega", "gamma_c", "gamma_s", "N"))
    sz = mf.variables(m)["sz"]
    cubic = mf.reduced_system(m, "sz")
    printed = (1 + sz) * ((gs + gc) - sz * (N - 1) * gc) ** 2 + 8 * sz * Om**2
    ratio = sp.simplify(cubic / printed)
    assert ratio.free_symbols == set() and ratio != 0


def test_driven_dicke_bistability_window_seed004_eqB5():
    """The window from the discriminant of the derived cubic equals eq. (B5)."""
    f = an.formulas.formula("driven_dicke.meanfield.bistability")
    gamma, Gamma = (s for s in sorted(f.expr.free_symbols, key=lambda s: s.name != "gamma"))
    r = gamma / Gamma
    b5 = [sp.sqrt(1 + 20 * r - 8 * r**2 + s * sp.sqrt((1 - 8 * r) ** 3)) / 2 for s in (-1, 1)]
    for G in (9, 15, 20, 100):
        vals = {gamma: 1, Gamma: G}
        lo, hi = (float(e.subs(vals)) for e in f.expr)
        assert lo == pytest.approx(float(b5[0].subs(vals)), rel=1e-13)
        assert hi == pytest.approx(float(b5[1].subs(vals)), rel=1e-13)


def test_driven_dicke_branches_stability_seed004_eqB11():
    """Jacobian (B11) is what the engine derives; in the window the lower and upper branches are
    stable and the middle one unstable (Fig. 9, Gamma/gamma = 20, Omega/Omega_c = 0.7)."""
    m = an.models.driven_dicke()
    Om, gc, gs, N = (m.symbol(n) for n in ("Omega", "gamma_c", "gamma_s", "N"))
    v = mf.variables(m)
    sx, sy, sz = v["sx"], v["sy"], v["sz"]
    gamma, Gamma = gs + gc, (N - 1) * gc
    B11 = sp.Matrix([
        [-gamma / 2 + Gamma / 2 * sz, 0, Gamma / 2 * sx],
        [0, -gamma / 2 + Gamma / 2 * sz, -2 * Om + Gamma / 2 * sy],
        [-Gamma * sx, 2 * Om - Gamma * sy, -gamma],
    ])
    assert sp.simplify(mf.jacobian(m) - B11) == sp.zeros(3, 3)
    # gamma = 1, Gamma = 20 with N = 21, gamma_c = 1, gamma_s = 0: Omega_c = 5
    values = {"N": 21, "gamma_c": 1, "gamma_s": 0, "Omega": 0.7 * 5}
    points = mf.fixed_points_numeric(m, values, dps=30, starts=40)
    physical = sorted((p for p in points if abs(p["sz"]) <= 1), key=lambda p: p["sz"])
    assert len(physical) == 3
    assert all(p["residual"] < mpmath.mpf(10) ** -25 for p in physical)
    kinds = [mf.stability(m, {k: sp.Float(p[k], 30) for k in v}, values).kind for p in physical]
    assert kinds == ["stable", "unstable", "stable"]


# ----------------------------------------------------------------------------- seed 003
def test_open_dicke_critical_coupling_seed003():
    """Seed 003 prints 2 g_bar < g_c = sqrt(omega_a (omega_c^2 + kappa^2))/omega_c, which has the wrong
    dimension (frequency^(1/2)); the engine derives g_c = sqrt(omega_a (omega_c^2 + kappa^2)/omega_c)/2
    for g_bar (= g_+ = g_-) with the cavity loss 2 kappa D[a] of eq. (2)."""
    f = an.formulas.formula("open_dicke.meanfield.critical_coupling")
    wa, wc, k = (next(s for s in f.expr.free_symbols if s.name == n) for n in ("omega_a", "omega_c", "kappa"))
    assert sp.simplify(f.expr - sp.sqrt(wa * (wc**2 + k**2) / wc) / 2) == 0
    printed_gbar = sp.sqrt(wa * (wc**2 + k**2)) / wc / 2
    assert sp.simplify(f.expr - printed_gbar) != 0
    m = an.models.open_dicke()
    normal = {"sx": 0, "sy": 0, "sz": -1, "ar": 0, "ai": 0}
    vals = {"omega_a": 1, "omega_c": 2.5, "kappa": 0.5}
    gc = float(f.expr.subs({wa: 1, wc: 2.5, k: 0.5}))
    for g, kind in ((0.95 * gc, "stable"), (1.05 * gc, "unstable")):
        assert mf.stability(m, normal, {**vals, "g_plus": g, "g_minus": g}).kind == kind


# ----------------------------------------------------------------------------- boundaries
def test_stability_boundaries_closed_form():
    """crf: lambda_c = 1; lmg: gamma_I + gamma_C = 2|V|; gain-loss: Gamma_g Gamma_l = (g + h)^2.

    Seed 002 eq. (3) also has Gamma_g Gamma_l = (g - h)^2: that boundary comes from the
    staggered (k = pi) fluctuations of the Holstein-Primakoff analysis and is invisible to the
    translation-invariant mean-field, which only predicts the (g + h)^2 line."""
    m = an.models.crf()
    omega, kappa = m.symbol("omega"), m.symbol("kappa")
    stable = an.formulas.formula("crf.meanfield.sz")
    lower = next(p for p in mf.fixed_points(m) if p["sz"] == stable.expr)
    assert 2 * kappa - omega in mf.stability_boundaries(m, lower)["real"]

    m = an.models.lmg()
    V, gI, gC = (m.symbol(n) for n in ("V", "gamma_I", "gamma_C"))
    eqs = mf.equations(m, thermodynamic_limit=True)
    b = mf.stability_boundaries(m, {"sx": 0, "sy": 0, "sz": -1}, eqs)["real"]
    assert any(sp.simplify(f - (2 * V - gI - gC)) == 0 or sp.simplify(f + (2 * V - gI - gC)) == 0 for f in b)
    assert any(sp.simplify(f - (2 * V + gI + gC)) == 0 for f in b)

    for name, coupling in (("gain_loss_chain", lambda m: m.symbol("g") + m.symbol("h")),
                           ("gain_loss_dimer", lambda m: m.symbol("g"))):
        m = an.models.get(name)
        eqs = mf.equations(m, thermodynamic_limit=True)
        am = {"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": -1}
        target = coupling(m) ** 2 - m.symbol("Gamma_g") * m.symbol("Gamma_l")
        assert any(sp.simplify(f - target) == 0 or sp.simplify(f + target) == 0
                   for f in mf.stability_boundaries(m, am, eqs)["real"]), name


def test_stability_boundaries_spin_cavity_driven_tavis_cummings():
    """Driven Tavis-Cummings (seed 000 Sec. II B, spin + cavity): the lower fixed point exists and is
    stable up to the drive where s_z reaches 0, 4 G^4 S^2 = omega^2 (gamma^2 + nu^2): the crf
    transition lambda = 1 of the bad-cavity limit.  The characteristic polynomial of this 4x4 tangent
    Jacobian with square roots must be expanded without divisions (a determinant by elimination left
    x inside denominators and the boundary search failed)."""
    m = an.models.driven_tavis_cummings()
    G, S, gam, nu, om = (m.symbol(k) for k in ("G", "S", "gamma", "nu", "omega"))
    root = sp.sqrt(4 * G ** 4 * S ** 2 - om ** 2 * (gam ** 2 + nu ** 2))
    lower = {"sx": nu * om / (2 * G ** 2 * S), "sy": gam * om / (2 * G ** 2 * S), "sz": -root / (2 * G ** 2 * S),
             "ar": -sp.sqrt(2) * om / (4 * G * sp.sqrt(S)), "ai": 0}
    assert all(sp.simplify(e.subs({mf.variables(m)[k]: v for k, v in lower.items()})) == 0
               for e in mf.equations(m).values())
    b = mf.stability_boundaries(m, lower)
    target = sp.expand(root ** 2)
    assert [sp.expand(f) for f in b["real"]] == [target]
    assert any(sp.expand(f) == target for f in b["hopf"])


def test_driven_dicke_eigenvalue_asymptotics_seed004_eqB12():
    """(B12) for Gamma >> gamma on the branches (a), (b) of eq. (3): l2 and l3 are confirmed with an
    error falling like gamma^2 (fitted), l3 > 0 on the middle branch.  The printed
    l1 = -gamma/2 + s_z Gamma is misprinted: with s_x = 0 the Jacobian (B11) has the exact
    eigenvalue -gamma/2 + Gamma s_z/2 (its first diagonal entry), which the engine finds."""
    m = an.models.driven_dicke()
    Gamma, Omega = 1.0, 0.6 * 0.25
    errors = {"l2": [], "l3": []}
    gammas = [0.004, 0.002, 0.001]
    for gam in gammas:
        vals = {"N": Gamma / gam + 1, "gamma_c": gam, "gamma_s": 0, "Omega": Omega}
        pts = sorted((p for p in mf.fixed_points_numeric(m, vals, dps=30, starts=40) if abs(p["sz"]) <= 1),
                     key=lambda p: p["sz"])
        assert len(pts) == 3
        for branch, p in (("a", pts[0]), ("b", pts[1])):
            sz = float(p["sz"])
            ev = sorted((complex(e).real for e in mf.eigenvalues(m, {k: sp.Float(p[k], 30) for k in ("sx", "sy", "sz")}, vals)))
            exact_l1 = -gam / 2 + Gamma * sz / 2
            assert min(abs(e - exact_l1) for e in ev) < 1e-12
            printed_l1 = -gam / 2 + sz * Gamma
            assert min(abs(e - printed_l1) for e in ev) > 0.4 * abs(printed_l1)  # printed l1 is no eigenvalue
            rest = sorted(ev, key=lambda e: abs(e - exact_l1))[1:]
            l2 = sz * Gamma / 2 - gam * (0.5 + 8 * Omega**2 / (sz**2 * Gamma**2))
            l3 = -gam * (1 - 8 * Omega**2 / (sz**2 * Gamma**2))
            e2 = min(rest, key=lambda e: abs(e - l2))
            e3 = max(rest, key=lambda e: e) if branch == "b" else min(rest, key=lambda e: abs(e - l3))
            errors["l2"].append(abs(e2 - l2))
            errors["l3"].append(abs(e3 - l3))
            if branch == "b":
                assert e3 > 0  # the middle branch is unstable
    for key, err in errors.items():
        for branch in (0, 1):
            e = err[branch::2]
            slope = np.polyfit(np.log(gammas), np.log(e), 1)[0]
            assert abs(slope - 2) < 0.15, (key, branch, slope, e)
