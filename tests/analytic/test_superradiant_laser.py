"""The superradiant laser of Meiser, Ye, Carlson and Holland, PRL 102, 163601 (2009) (issue 19, acceptance 4):
the catalogue model and its convention mapping, the cavity elimination, the order-2 bad-cavity results
(analytic/laser.py) and the registered formulas, and the mean field with the individual factorization."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import laser as ls
from analytic import meanfield as mf
from analytic.adiabatic import eliminate
from analytic.papers import LITERATURE, PAPERS

NAMES = ("superradiant_laser.cumulant.max_pump", "superradiant_laser.cumulant.optimal_pump",
         "superradiant_laser.cumulant.max_flux")


def _sym(m, *names):
    return [m.symbol(n) for n in names]


def test_model_is_the_papers_master_equation_in_our_convention():
    """H = g (a^dag S^- + a S^+), kappa D[a], gamma sum D[sigma^-], w sum D[sigma^+]; the paper's
    Omega/2 is g, its rates (Lindblad terms with 1/2 and 2 L rho L^dag) map one to one."""
    m = an.models.get("superradiant_laser")
    g, kappa, gamma, w = _sym(m, "g", "kappa", "gamma", "w")
    atoms, cav = m.subsystems
    assert isinstance(atoms, an.algebra.Atoms) and isinstance(cav, an.algebra.Mode)
    assert (m.hamiltonian - (cav.ad * atoms.minus + cav.a * atoms.plus) * g).simplify().is_zero()
    kinds = [(d.kind, d.rate) for d in m.dissipators]
    assert kinds == [("collective", kappa), ("individual", gamma), ("individual", w)]
    assert m.dissipators[0].jump == cav.a
    assert m.dissipators[1].jump.matrix == sp.Matrix([[0, 1], [0, 0]])  # sigma^-: up (level 1) -> down (0)
    assert m.dissipators[2].jump.matrix == sp.Matrix([[0, 0], [1, 0]])
    assert "Meiser" in m.source and "Phys. Rev. Lett. 102, 163601 (2009)" in m.source
    doc = an.models.superradiant_laser.__doc__
    assert "g = \\Omega/2" in doc and "T_2" in doc and "4g^2/(\\kappa\\gamma)" in doc
    assert an.models.superradiant_laser.paper is LITERATURE["meiser2009"]
    assert "meiser2009" not in PAPERS  # not one of the five papers: no notebook, no reproduce


def test_eliminated_cavity_is_collective_decay_at_C_gamma():
    """kappa >> sqrt(N) g: the cavity leaves C gamma D[S^-], C = Omega^2/(kappa gamma) with Omega = 2 g,
    and the field a = -2i (g/kappa) S^-, so that kappa <a^dag a> = C gamma <S^+ S^->."""
    m = an.models.superradiant_laser()
    g, kappa, gamma = _sym(m, "g", "kappa", "gamma")
    red = eliminate(m)
    rate = ls.collective_rate()
    C = (2 * g) ** 2 / (kappa * gamma)
    assert sp.simplify(rate - C * gamma) == 0
    rec = red.derived["elimination"][0]
    atoms = red.spins[0]
    assert (rec.amplitude - atoms.minus * (-2 * sp.I * g / kappa)).simplify().is_zero()
    assert [d.kind for d in red.dissipators].count("individual") == 2


def test_closed_equations_at_order_two():
    """d<Sz>/dt is exact (linear in <Sz>, <S+S->); d<S+S->/dt carries 2 C gamma <S+ Sz S->, closed as
    <Sz><S+S-> (U(1): <S+> = 0).  Compared with the equations derived by hand from the master equation."""
    m = an.models.superradiant_laser()
    N, g, kappa, gamma, w = _sym(m, "N", "g", "kappa", "gamma", "w")
    Gam = 4 * g ** 2 / kappa
    e1, e2 = ls.closed_equations()
    Sz, P = ls.SZ, ls.PP
    assert sp.expand(e1 - (N * (w - gamma) / 2 - (gamma + w) * Sz - Gam * P)) == 0
    assert sp.expand(e2 - (N * w - (gamma + w) * P + 2 * Gam * Sz * P)) == 0


def test_bad_cavity_results_in_the_papers_variables():
    """The derived leading orders, in the paper's C = Omega^2/(kappa gamma), Omega = 2 g:
    w_max = N C gamma, w_opt = N C gamma/2, flux(w_opt) = N^2 C gamma/8, w_min = gamma."""
    m = an.models.superradiant_laser()
    N, g, kappa, gamma = _sym(m, "N", "g", "kappa", "gamma")
    Cg = (2 * g) ** 2 / kappa  # C gamma
    assert sp.simplify(ls.max_pump() - N * Cg) == 0
    assert sp.simplify(ls.optimal_pump() - N * Cg / 2) == 0
    assert sp.simplify(ls.max_flux() - N ** 2 * Cg / 8) == 0
    assert sp.simplify(ls.lower_edge() - gamma) == 0
    x = ls.X
    assert sp.expand(ls.scaled_flux() - Cg * x * (1 - x) / 2) == 0


def test_finite_N_closed_flux_approaches_the_leading_order():
    """The closed order-2 steady state at finite N (not the limit): at w_opt its flux / (N^2 C gamma/8)
    -> 1 with a 1/N correction (fitted order 1 +- 0.05 at N = 10^3, 10^4, 10^5)."""
    m = an.models.superradiant_laser()
    flux = sp.lambdify(_sym(m, "N", "g", "kappa", "gamma", "w"), ls.lasing_flux())
    g, kappa, gamma = 0.9, 13.0, 0.3
    Cg = 4 * g * g / kappa
    sizes = np.array([1e3, 1e4, 1e5])
    errs = [abs(flux(N, g, kappa, gamma, N * Cg / 2) / (N * N * Cg / 8) - 1) for N in sizes]
    p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
    assert abs(p - 1) < 0.05, (p, errs)


def test_registered_formulas_evaluate_and_refuse_a_good_cavity():
    """The registered functions give the derived values (N = 37, g = 0.9, kappa = 13) and refuse
    kappa below 2 sqrt(N) g (no bad cavity) naming the condition."""
    N, g, kappa = 37, 0.9, 13.0
    Cg = 4 * g * g / kappa
    expected = {NAMES[0]: N * Cg, NAMES[1]: N * Cg / 2, NAMES[2]: N * N * Cg / 8}
    for name, value in expected.items():
        f = an.formulas.get(name)
        assert abs(float(f(N, g, kappa)) - value) < 1e-12 * value, name
        with pytest.raises(an.formulas.DomainError, match="bad cavity"):
            f(N, g, 5.0)
        assert an.formulas.formula(name).check.kind == "laser_flux"
        assert "Meiser" in an.formulas.formula(name).source


def test_meanfield_lasing_branch_is_a_circle_inside_the_window():
    """Mean field (individual factorization): the normal fixed point s_z = (w - gamma)/(w + gamma) with no
    coherence, and a U(1) circle of lasing fixed points (the engine reports a continuum with sy free).  On
    the circle s_z = (gamma + w)/(N C gamma) (gain clamping) and the order parameter
    r^2 = s_x^2 + s_y^2 = 2[(w - gamma) - (w + gamma)^2/(N C gamma)]/(N C gamma), real only inside the
    window; the normal point is unstable inside and stable outside, its threshold N C gamma (w - gamma) =
    (w + gamma)^2 (the mean-field window: both roots, gamma + O(1/N) and N C gamma - 3 gamma + O(1/N))."""
    m = an.models.superradiant_laser()
    eqs = mf.equations(m, factorization="individual")
    assert set(eqs) == {"sx", "sy", "sz", "ar", "ai"}
    fps = mf.fixed_points(m, eqs, timeout=15)
    gamma_, w_ = _sym(m, "gamma", "w")
    normal = [p for p in fps if p.kind == "closed"]
    assert len(normal) == 1 and sp.simplify(normal[0]["sz"] - (w_ - gamma_) / (w_ + gamma_)) == 0
    assert normal[0]["sx"] == 0 and normal[0]["sy"] == 0
    assert fps[-1].kind == "numeric" and any("continuum" in r for r in fps[-1].skipped)
    N, g, kappa, gamma = 41, 0.9, 13.0, 0.3
    Cg = 4 * g * g / kappa
    names = list(eqs)
    syms = [mf.variables(m)[n] for n in names]
    for w in (0.5 * N * Cg, 0.2 * N * Cg):  # inside the window: the circle exists and is a fixed point
        sz = (gamma + w) / (N * Cg)
        r2 = 2 * ((w - gamma) - (w + gamma) ** 2 / (N * Cg)) / (N * Cg)
        assert r2 > 0
        phi = 0.7
        sx, sy = np.sqrt(r2) * np.cos(phi), np.sqrt(r2) * np.sin(phi)
        point = {"sx": sx, "sy": sy, "sz": sz, "ar": -np.sqrt(N) * g * sy / kappa, "ai": -np.sqrt(N) * g * sx / kappa}
        vals = {m.symbol("N"): N, m.symbol("g"): g, m.symbol("kappa"): kappa, m.symbol("gamma"): gamma,
                m.symbol("w"): w}
        sub = {**vals, **{s: point[n] for s, n in zip(syms, names)}}
        assert max(abs(float(e.subs(sub))) for e in eqs.values()) < 1e-12
    # the lasing threshold of the normal point: N C gamma (w - gamma) = (w + gamma)^2, whose two roots are the
    # mean-field window, gamma (1 + 4 gamma/(N C gamma) + ...) to N C gamma - 3 gamma - ...
    Nsym, gsym, ksym = _sym(m, "N", "g", "kappa")
    # (a factor of the Jacobian's determinant: a real eigenvalue crosses 0 there)
    target = sp.expand(4 * Nsym * gsym ** 2 * (w_ - gamma_) - ksym * (w_ + gamma_) ** 2)  # times kappa
    jac = mf.jacobian(m, normal[0], eqs)
    factors = [f for f, _ in sp.factor_list(sp.together(jac.det()).as_numer_denom()[0])[1]]
    assert any(sp.expand(f + target) == 0 or sp.expand(f - target) == 0 for f in factors), factors
    for w, unstable in ((0.5 * N * Cg, True), (0.5 * gamma, False), (2.0 * N * Cg, False)):
        vals = {m.symbol("N"): N, m.symbol("g"): g, m.symbol("kappa"): kappa, m.symbol("gamma"): gamma,
                m.symbol("w"): w}
        ev = np.linalg.eigvals(np.array(jac.subs(vals), dtype=float))
        assert (ev.real.max() > 1e-9) == unstable, (w, ev)
