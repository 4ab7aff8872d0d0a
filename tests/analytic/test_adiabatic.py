"""Symbolic adiabatic elimination of a bad cavity (analytic.adiabatic) vs the effective models
the seed papers print.

Models are compared through their adjoint Lindbladians L^dagger O (Model.adjoint) on a set of
probe operators: two master equations are equal iff L^dagger agrees on the algebra, and the
probes (generators and quadratic products) see every term of H and of the dissipators used here.
Paper conventions are mapped explicitly (D'[L] = 2 D[L] with the factor 2).
"""
import pytest
import sympy as sp

import analytic as an
from analytic.adiabatic import eliminate
from analytic.algebra import Mode, Op, Spin
from analytic.model import Dissipator, Model, ModelError


def subs_op(op: Op, rules) -> Op:
    return Op({w: sp.sympify(c).subs(rules) for w, c in op.terms.items()})


def adjoint_difference(m1: Model, m2: Model, probes, rules1=None, rules2=None, extra_h: Op | None = None) -> list:
    """Probes O on which L1^dagger O - L2^dagger O - i[extra_h, O] does not vanish."""
    bad = []
    for O in probes:
        d = subs_op(m1.adjoint(O), rules1 or {}) - subs_op(m2.adjoint(O), rules2 or {})
        if extra_h is not None:
            d = d - (extra_h * O - O * extra_h) * sp.I
        if not d.simplify().is_zero():
            bad.append((O, d.simplify()))
    return bad


def spin_probes(s) -> list:
    return [s.z, s.plus, s.minus, s.plus * s.z, s.plus * s.plus, s.z * s.z, s.plus * s.minus]


def same(a, b) -> bool:
    return sp.simplify(sp.expand(a - b)) == 0


# ----------------------------------------------------------------------------- seed 000
def test_seed000_eq9_cavity_amplitude():
    """Seed 000 eq. (9): a_ss = -iG S^-/(gamma + i nu) (loss gamma(2 a rho a^+ - ...) = our 2 gamma)."""
    full = an.models.driven_tavis_cummings()
    G, g, nu = (full.symbol(n) for n in ("G", "gamma", "nu"))
    spin = full.spins[0]
    rec = eliminate(full).derived["elimination"][0]
    assert rec.loss == 2 * g and rec.detuning == nu
    assert (rec.amplitude - spin.minus * (-sp.I * G / (g + sp.I * nu))).simplify().is_zero()


def test_seed000_eq10_from_driven_tavis_cummings_keeps_the_exchange_term():
    """Eliminating the cavity of seed 000 eqs. (5)-(8) gives eq. (10) (crf) with
    2 kappa/S = 2 gamma G^2/(gamma^2 + nu^2), *plus* H_x = -nu G^2/(gamma^2+nu^2) S^+S^-
    = -(nu kappa/(S gamma)) (S_x^2 + S_y^2 + S_z): the 'cavity-induced spin flip' term ~ 1/gamma
    that seed 000 drops below eq. (9).  The toolkit keeps it; it vanishes only if nu/gamma -> 0."""
    full, crf = an.models.driven_tavis_cummings(), an.models.crf()
    G, g, nu = (full.symbol(n) for n in ("G", "gamma", "nu"))
    kappa, S = crf.symbol("kappa"), crf.symbol("S")
    eff = eliminate(full)
    assert [s.kind for s in eff.subsystems] == ["spin"] and eff.spins == crf.spins
    spin = crf.spins[0]
    mapping = {G: sp.sqrt(kappa * (g**2 + nu**2) / (S * g))}
    exchange = spin.plus * spin.minus * (-nu * kappa / (S * g))
    assert adjoint_difference(eff, crf, spin_probes(spin), rules1=mapping, extra_h=exchange) == []
    # without the exchange term the models differ (it is not a constant or a Casimir shift)
    assert adjoint_difference(eff, crf, spin_probes(spin), rules1=mapping)
    # S^+S^- = S_x^2 + S_y^2 + S_z: the paper's "~ (S_x^2 + S_y^2)" term
    assert (spin.plus * spin.minus - spin.x * spin.x - spin.y * spin.y - spin.z).is_zero()
    # ... which is O(1/gamma) at fixed kappa: gamma * coefficient -> -nu kappa/S
    coeff = eff.hamiltonian.terms[(spin.plus * spin.minus).terms.popitem()[0]].subs(mapping)
    assert same(sp.limit(coeff * g, g, sp.oo), -nu * kappa / S)
    # resonant cavity (nu = 0): exactly eq. (10)
    assert adjoint_difference(eff, crf, spin_probes(spin), rules1={**mapping, nu: 0}) == []


# ----------------------------------------------------------------------------- seed 002
def test_seed002_eq13_rates_and_exchange():
    """Seed 002 eq. (13): g = -G_c^2/delta and Gamma = 2 G^2/gamma, in its D' (factor 2)
    convention, i.e. our rate 2 Gamma = 4 G^2/gamma on D[S_a^+].  Derived for finite gamma_c:
    exchange -G_c^2 delta/(delta^2 + gamma_c^2/4) -> -G_c^2/delta for gamma_c << |delta|.
    Eq. (13) writes Gamma_l = 2G^2/gamma although mode c_b decays at gamma_L (eq. 12): the
    derivation gives Gamma_l = 2G^2/gamma_L."""
    full = an.models.gain_loss_dimer_cavity()
    delta, Gc, G, gc, gm, gL = (full.symbol(n) for n in ("delta", "G_c", "G", "gamma_c", "gamma", "gamma_L"))
    eff = eliminate(full, ["c", "ca", "cb"])
    a, b = eff.spins
    recs = {r.mode: r for r in eff.derived["elimination"]}
    assert set(recs) == {"c", "ca", "cb"}
    # exchange coefficient of S_a^+ S_b^- and its gamma_c -> 0 limit
    exch = eff.hamiltonian.terms[(a.plus * b.minus).terms.popitem()[0]]
    assert same(exch, -Gc**2 * delta / (delta**2 + gc**2 / 4))
    assert same(exch.subs(gc, 0), -Gc**2 / delta)
    rates = {str(d.jump): d.rate for d in eff.dissipators}
    Gamma_g, Gamma_l = 2 * G**2 / gm, 2 * G**2 / gL
    assert same(rates[str(a.plus)], 2 * Gamma_g)      # paper's Gamma_g D'[S_a^+]
    assert same(rates[str(b.minus)], 2 * Gamma_l)     # paper's Gamma_l D'[S_b^-]
    # the residual collective decay through c, dropped by eq. (13): rate/|exchange| = gamma_c/delta
    assert same(rates[str(a.minus + b.minus)] / exch, -gc / delta)


def test_seed002_eq13_is_the_dimer_of_eq2_plus_the_dropped_stark_terms():
    """With gamma_c -> 0 the eliminated model is gain_loss_dimer (eq. 2) under
    g_(2) = 2S g_(13), Gamma_(2) = 2S Gamma_(13), plus H_St = -(G_c^2/delta)(S_a^+S_a^- + S_b^+S_b^-),
    the 'common Stark shift terms' eq. (13) neglects.  For S > 1/2 these are not shifts:
    S^+S^- = S(S+1) - S_z^2 + S_z, and the S_z^2 part enters the mean-field equations at O(1),
    the same order as the exchange (asserted below)."""
    full, dimer = an.models.gain_loss_dimer_cavity(), an.models.gain_loss_dimer()
    delta, Gc, G, gc, gm, gL = (full.symbol(n) for n in ("delta", "G_c", "G", "gamma_c", "gamma", "gamma_L"))
    g2, Gg, Gl, S = (dimer.symbol(n) for n in ("g", "Gamma_g", "Gamma_l", "S"))
    eff = eliminate(full, ["c", "ca", "cb"])
    a, b = dimer.spins
    assert eff.spins == dimer.spins
    stark = (a.plus * a.minus + b.plus * b.minus) * (-Gc**2 / delta)
    rules2 = {g2: 2 * S * (-Gc**2 / delta), Gg: 2 * S * 2 * G**2 / gm, Gl: 2 * S * 2 * G**2 / gL}
    probes = [a.z, a.plus, b.minus, a.plus * b.minus, a.z * b.z, a.plus * a.z]
    assert adjoint_difference(eff, dimer, probes, rules1={gc: 0}, rules2=rules2, extra_h=stark) == []
    assert adjoint_difference(eff, dimer, probes, rules1={gc: 0}, rules2=rules2)
    # the dropped terms at mean-field level, in the scaling of eq. (2): g_(2)/(2S) (S_a^+S_a^- + ...)
    p = dimer.parameters
    stark_only = Model("stark", p, dimer.subsystems, (a.plus * a.minus + b.plus * b.minus) * (p["g"] / (2 * S)), ())
    eqs = an.meanfield.equations(stark_only, thermodynamic_limit=True)
    v = an.meanfield.variables(stark_only)
    assert same(eqs["sx_a"], p["g"] * v["sy_a"] * v["sz_a"])  # O(1): precession at rate g s_z


# ----------------------------------------------------------------------------- seed 004
def test_seed004_A6_A8_effective_parameters():
    """Seed 004 (A6): c = (i Omega_L' + i g S^-)/(i delta_c - kappa/2) with the laser amplitude
    Omega_L' = i Omega_L of our model; (A8): gamma_c = 2 g^2 kappa/(2 delta_c^2 + kappa^2/2),
    Delta = delta_c g^2/(delta_c^2 + kappa^2/4), Omega = i g Omega_L'/(i delta_c - kappa/2),
    appearing as H = Omega S^+ + Omega^* S^- + Delta S^+S^- - delta S_z."""
    full = an.models.driven_dicke_cavity()
    delta, dc, g, k, OL = (full.symbol(n) for n in ("delta", "delta_c", "g", "kappa", "Omega_L"))
    eff = eliminate(full)
    atoms = eff.spins[0]
    rec = eff.derived["elimination"][0]
    printed_c = (atoms.minus * (sp.I * g) + sp.I * (sp.I * OL)) / (sp.I * dc - k / 2)
    assert (rec.amplitude - printed_c).simplify().is_zero()
    gamma_c = 2 * g**2 * k / (2 * dc**2 + k**2 / 2)
    Delta = dc * g**2 / (dc**2 + k**2 / 4)
    Omega = sp.I * g * (sp.I * OL) / (sp.I * dc - k / 2)
    H = atoms.plus * Omega + atoms.minus * sp.conjugate(Omega) + atoms.plus * atoms.minus * Delta - atoms.z * delta
    assert (eff.hamiltonian - H).simplify().is_zero()
    coll = [d for d in eff.dissipators if d.kind == "collective"]
    assert len(coll) == 1 and coll[0].jump == atoms.minus and same(coll[0].rate, gamma_c)
    assert [d.rate for d in eff.dissipators if d.kind == "individual"] == [full.symbol("gamma_s")]
    # the drive's constant energy |Omega_L|^2 Delta/g^2 is dropped and recorded
    assert same(rec.dropped_constant, OL**2 * Delta / g**2)


def test_seed004_eq1_is_the_resonant_elimination():
    """At delta = delta_c = 0 the eliminated model is seed 004 eq. (1) (driven_dicke) with
    Omega = 2 g Omega_L/kappa and gamma_c = 4 g^2/kappa; the individual decay passes through."""
    full, dd = an.models.driven_dicke_cavity(), an.models.driven_dicke()
    delta, dc, g, k, OL, gs = (full.symbol(n) for n in ("delta", "delta_c", "g", "kappa", "Omega_L", "gamma_s"))
    Om, gc, gs2 = (dd.symbol(n) for n in ("Omega", "gamma_c", "gamma_s"))
    eff = eliminate(full)
    atoms = dd.spins[0]
    assert eff.spins == dd.spins
    rules = {Om: 2 * g * OL / k, gc: 4 * g**2 / k, gs2: gs}
    probes = [atoms.z, atoms.plus, atoms.plus * atoms.minus, atoms.plus * atoms.z]
    assert adjoint_difference(eff, dd, probes, rules1={delta: 0, dc: 0}, rules2=rules) == []
    # a detuned cavity is not eq. (1): the shift Delta S^+S^- appears
    assert adjoint_difference(eff, dd, probes, rules1={delta: 0}, rules2=rules)


# ----------------------------------------------------------------------------- general
def test_elimination_record_states_its_conditions():
    rec = eliminate(an.models.driven_tavis_cummings()).derived["elimination"][0]
    text = " ".join(rec.conditions)
    assert "sqrt(gamma**2 + nu**2)" in text          # the fast scale |delta - i kappa/2|
    assert "||X0||" in text and "frozen" in text and "second order" in text
    g, nu, G = (sp.Symbol(n, **a) for n, a in (("gamma", {"positive": True}), ("nu", {"real": True}),
                                                 ("G", {"positive": True})))
    assert same(rec.shift, -nu / (nu**2 + g**2)) and same(rec.rate, 2 * g / (nu**2 + g**2))


def test_sequential_elimination_commutes():
    full = an.models.gain_loss_dimer_cavity()
    one = eliminate(eliminate(eliminate(full, "cb"), "c"), "ca")
    two = eliminate(full, ("c", "ca", "cb"))
    a, b = two.spins
    assert adjoint_difference(one, two, [a.z, a.plus, b.minus, a.plus * b.minus]) == []
    assert [r.mode for r in one.derived["elimination"]] == ["cb", "c", "ca"]


def test_open_dicke_counter_rotating_coupling():
    """X may mix S^- and S^+ (seed 003): the jump is g_- S^- + g_+ S^+, rate 2kappa/(omega_c^2+kappa^2)/(2S)."""
    m = an.models.open_dicke()
    gm, gp, wc, k, S = (m.symbol(n) for n in ("g_minus", "g_plus", "omega_c", "kappa", "S"))
    eff = eliminate(m)
    spin = eff.spins[0]
    (d,) = eff.dissipators
    X = (spin.minus * gm + spin.plus * gp) / sp.sqrt(2 * S)
    # r D[L] with L = X/c for a scalar c: r L^+ L must equal the derived rate times X^+ X
    rhs = X.dagger() * X * (2 * k / (wc**2 + k**2))
    assert ((d.jump.dagger() * d.jump) * d.rate - rhs).simplify().is_zero()


@pytest.mark.parametrize("model, mode, message", [
    ("crf", "", "has no mode"),
    ("kerr", "", "not of the form"),
    ("driven_tavis_cummings", "b", "has no mode 'b'"),
])
def test_bad_input_names_the_problem(model, mode, message):
    with pytest.raises(ModelError, match=message):
        eliminate(an.models.get(model), mode)


def test_bad_models_raise():
    s, c = Spin("", sp.Symbol("S", positive=True)), Mode("", 1)
    k = sp.Symbol("k", positive=True)
    lossless = Model("lossless", {"k": k}, (s, c), (c.ad * s.minus + c.a * s.plus) * k, ())
    with pytest.raises(ModelError, match="has no loss"):
        eliminate(lossless)
    dispersive = Model("dispersive", {"k": k}, (s, c), c.ad * c.a * s.z * k, (Dissipator(c.a, k),))
    with pytest.raises(ModelError, match="not of the form"):
        eliminate(dispersive)
    mixed = Model("mixed", {"k": k}, (s, c), c.ad * c.a * k, (Dissipator(c.a + s.minus, k),))
    with pytest.raises(ModelError, match="other than as D\\[a\\]"):
        eliminate(mixed)
    with pytest.raises(ModelError, match="mode"):
        eliminate(mixed, 3)
    with pytest.raises(ModelError, match="at least one mode"):
        eliminate(mixed, [])
