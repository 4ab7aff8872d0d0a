"""Mean-field equations derived by the engine vs the equations printed in the seed papers.

Every comparison maps the paper's variables to ours explicitly (docs/ARCHITECTURE.md: s_a = <S_a>/S, per-atom
Pauli expectations for ensembles, alpha = <a>/sqrt(N)); where a paper is wrong under its own
stated convention, the test says so and asserts what the derivation gives.
"""
import pytest
import sympy as sp

import analytic as an
from analytic import meanfield as mf


def same(a, b) -> bool:
    return sp.simplify(sp.expand(a - b)) == 0


def symbols_of(model, *names):
    return [model.symbol(n) for n in names]


# ----------------------------------------------------------------------------- seed 000
def test_crf_equations_seed000_eq13():
    """Seed 000 eq. (13), unscaled S_a = S s_a, normal ordering."""
    m = an.models.crf()
    omega, kappa, S = symbols_of(m, "omega", "kappa", "S")
    v = mf.variables(m)
    Sx, Sy, Sz = (S * v[k] for k in ("sx", "sy", "sz"))
    printed = {
        "sx": 2 * kappa / S * Sx * Sz,
        "sy": -omega * Sz + 2 * kappa / S * Sy * Sz,
        "sz": omega * Sy - 2 * kappa / S * (Sx**2 + Sy**2),
    }
    eqs = mf.equations(m, ordering="normal")
    for k in printed:
        assert same(S * eqs[k], printed[k]), k


def test_crf_orderings_differ_at_order_one_over_S():
    """Symmetric ordering adds O(1/S) terms to eq. (13); they vanish in the thermodynamic limit."""
    m = an.models.crf()
    S = m.symbol("S")
    normal = mf.equations(m, ordering="normal")
    sym = mf.equations(m, ordering="symmetric")
    assert not same(sym["sz"], normal["sz"])
    assert same(sp.limit(sym["sz"] - normal["sz"], S, sp.oo), 0)
    assert same(sym["sz"] - normal["sz"], -2 * m.symbol("kappa") * mf.variables(m)["sz"] / S)


def test_crf_canonical_form_seed000_eq16():
    """Seed 000 eq. (16) in (z, phi): derived from the engine's equations by the chain rule."""
    m = an.models.crf()
    omega, kappa = symbols_of(m, "omega", "kappa")
    v = mf.variables(m)
    eqs = mf.equations(m)
    z, phi = sp.symbols("z phi", real=True)
    r = sp.sqrt(1 - z**2)
    on_sphere = {v["sx"]: r * sp.cos(phi), v["sy"]: r * sp.sin(phi), v["sz"]: z}
    zdot = eqs["sz"].subs(on_sphere)
    phidot = ((v["sx"] * eqs["sy"] - v["sy"] * eqs["sx"]) / (v["sx"] ** 2 + v["sy"] ** 2)).subs(on_sphere)
    assert same(zdot, -2 * kappa * (1 - z**2) + omega * r * sp.sin(phi))
    assert same(phidot, -omega * z / r * sp.cos(phi))


def test_pumped_dicke_seed000_eq33():
    """Seed 000 eq. (33) for the model of eq. (32), x = Re<a>, p = Im<a>.

    The spin equations and dx/dt agree with the derivation.  The printed dp/dt has
    -2G S_x/sqrt(K); eq. (32) gives -G S_x/sqrt(K).  No normalisation x = c Re<a> repairs both
    (the spin equations need c = 1, the p equation c = 2): eq. (33) is inconsistent with (32).
    """
    m = an.models.pumped_dicke()
    nu, Delta, gamma, omega, G, S = symbols_of(m, "nu", "Delta", "gamma", "omega", "G", "S")
    v = mf.variables(m)
    K = 2 * S
    x, p = sp.sqrt(K) * v["ar"], sp.sqrt(K) * v["ai"]
    Sx, Sy, Sz = (S * v[k] for k in ("sx", "sy", "sz"))
    eqs = mf.equations(m)
    d = {"x": sp.sqrt(K) * eqs["ar"], "p": sp.sqrt(K) * eqs["ai"],
         "Sx": S * eqs["sx"], "Sy": S * eqs["sy"], "Sz": S * eqs["sz"]}
    c = Delta / (2 * gamma**2)
    assert same(d["x"], nu * p - gamma * x)
    assert same(d["Sx"], -c * Sy)
    assert same(d["Sy"], c * Sx - (2 * G * x / sp.sqrt(K) + omega) * Sz)
    assert same(d["Sz"], (2 * G * x / sp.sqrt(K) + omega) * Sy)
    printed_p = -nu * x - 2 * G / sp.sqrt(K) * Sx - gamma * p
    assert not same(d["p"], printed_p)
    assert same(d["p"], -nu * x - G / sp.sqrt(K) * Sx - gamma * p)


# ----------------------------------------------------------------------------- seed 001
@pytest.mark.parametrize("factorization", ["individual", "collective"])
def test_lmg_qubits_seed001_eq10(factorization):
    """Seed 001 eq. (10): X = <J_x>/(Nj) etc. are our sx, sy, sz; N -> infinity."""
    m = an.models.lmg()
    V, gI, gC = symbols_of(m, "V", "gamma_I", "gamma_C")
    v = mf.variables(m)
    X, Y, Z = v["sx"], v["sy"], v["sz"]
    eqs = mf.equations(m, factorization=factorization, thermodynamic_limit=True)
    assert same(eqs["sx"], -2 * V * Y * Z - gI * X + gC * X * Z)
    assert same(eqs["sy"], -2 * V * X * Z - gI * Y + gC * Y * Z)
    assert same(eqs["sz"], 4 * V * X * Y - 2 * gI * (Z + 1) - gC * (X**2 + Y**2))


def test_lmg_finite_N_individual_factorisation_keeps_one_over_N():
    m = an.models.lmg()
    N = m.symbol("N")
    eqs = mf.equations(m, factorization="individual")
    assert eqs["sz"].has(N)


# ----------------------------------------------------------------------------- seed 002
def test_gain_loss_dimer_seed002_appendixB():
    """Seed 002 Appendix B: symmetric factorisation with <Sx^2+Sy^2> = S(S+1) - <Sz^2>.

    Mapping: <S_a^alpha> = S s_a^alpha, (g + h) -> g for the dimer.  The printed equations for
    site a and for S_b^x, S_b^y agree with the derivation.  The printed S_b^z equation,
    +Gamma_l/S [S(S+1) - S_b^z(S_b^z + 1)], is a copy of the gain equation: loss must lower S_b^z,
    and the derivation gives -Gamma_l/S [S(S+1) - S_b^z(S_b^z - 1)].
    """
    m = an.models.gain_loss_dimer()
    g, Gg, Gl, S = symbols_of(m, "g", "Gamma_g", "Gamma_l", "S")
    v = mf.variables(m)
    ax, ay, az, bx, by, bz = (S * v[k] for k in ("sx_a", "sy_a", "sz_a", "sx_b", "sy_b", "sz_b"))
    eqs = {k: S * e for k, e in mf.equations(m, ordering="symmetric", casimir=True).items()}
    printed = {
        "sx_a": -Gg / (2 * S) * ax * (1 + 2 * az) + g / S * az * by,
        "sy_a": -Gg / (2 * S) * ay * (1 + 2 * az) - g / S * az * bx,
        "sz_a": Gg / S * (S * (S + 1) - az * (az + 1)) + g / S * (ay * bx - ax * by),
        "sx_b": -Gl / (2 * S) * bx * (1 - 2 * bz) + g / S * ay * bz,
        "sy_b": -Gl / (2 * S) * by * (1 - 2 * bz) - g / S * ax * bz,
    }
    for k, e in printed.items():
        assert same(eqs[k], e), k
    printed_bz = Gl / S * (S * (S + 1) - bz * (bz + 1)) + g / S * (ax * by - ay * bx)
    assert not same(eqs["sz_b"], printed_bz)
    assert same(eqs["sz_b"], -Gl / S * (S * (S + 1) - bz * (bz - 1)) + g / S * (ax * by - ay * bx))


def test_gain_loss_chain_translation_invariant_meanfield():
    """Seed 002 Appendix B: in the chain the mean field on each spin is (g + h) times its partner."""
    chain = an.models.gain_loss_chain()
    dimer = an.models.gain_loss_dimer()
    g, h = chain.symbol("g"), chain.symbol("h")
    e_chain = mf.equations(chain, ordering="symmetric", casimir=True)
    e_dimer = mf.equations(dimer, ordering="symmetric", casimir=True)
    for k in e_dimer:
        assert same(e_chain[k], e_dimer[k].subs(dimer.symbol("g"), g + h)), k


# ----------------------------------------------------------------------------- seed 003
def test_open_dicke_balanced_seed003_eq5():
    """Seed 003 eq. (5): m = <S>/N = s/2, beta = <a>/sqrt(N) = alpha, N = 2S; balanced g_+ = g_- = g_bar.

    Eq. (5) writes the cavity equation with 'g' where the Hamiltonian (1) has 2 g_bar: the
    derivation fixes g = 2 g_bar.
    """
    m = an.models.open_dicke()
    wa, wc, kappa, gp, gm = symbols_of(m, "omega_a", "omega_c", "kappa", "g_plus", "g_minus")
    gbar = sp.Symbol("gbar", positive=True)
    v = mf.variables(m)
    eqs = {k: e.subs({gp: gbar, gm: gbar}) for k, e in mf.equations(m).items()}
    mvec = sp.Matrix([v["sx"], v["sy"], v["sz"]]) / 2
    beta = v["ar"] + sp.I * v["ai"]
    ex, ez = sp.Matrix([1, 0, 0]), sp.Matrix([0, 0, 1])
    mdot = wa * ez.cross(mvec) + 2 * gbar * (beta + sp.conjugate(beta)) * ex.cross(mvec)
    for i, k in enumerate(("sx", "sy", "sz")):
        assert same(eqs[k] / 2, mdot[i]), k
    betadot = -(sp.I * wc + kappa) * beta - sp.I * (2 * gbar) * mvec[0]
    assert same(eqs["ar"], sp.re(sp.expand(betadot)))
    assert same(eqs["ai"], sp.im(sp.expand(betadot)))


# ----------------------------------------------------------------------------- seed 004
def test_driven_dicke_individual_factorisation_seed004_eqB2():
    """Seed 004 eq. (B2) with gamma = gamma_s + gamma_c and Gamma = (N-1) gamma_c (eq. 2):
    produced by the individual-atom factorisation (B1), never typed in."""
    m = an.models.driven_dicke()
    Om, gc, gs, N = symbols_of(m, "Omega", "gamma_c", "gamma_s", "N")
    v = mf.variables(m)
    sx, sy, sz = v["sx"], v["sy"], v["sz"]
    gamma, Gamma = gs + gc, (N - 1) * gc
    eqs = mf.equations(m, factorization="individual")
    assert same(eqs["sx"], -gamma / 2 * sx + Gamma / 2 * sz * sx)
    assert same(eqs["sy"], -gamma / 2 * sy - 2 * Om * sz + Gamma / 2 * sz * sy)
    assert same(eqs["sz"], -gamma * (sz + 1) + 2 * Om * sy - Gamma / 2 * (sx**2 + sy**2))


def test_driven_dicke_collective_factorisation_dicke_limit_seed004_eqB4():
    """Seed 004 below (B3): collective factorisation gives (B2) with gamma = 0, Gamma -> N gamma_c
    (at gamma_s = 0), and the fixed point (B4) with Omega_c = N gamma_c / 4."""
    m = an.models.driven_dicke()
    Om, gc, gs, N = symbols_of(m, "Omega", "gamma_c", "gamma_s", "N")
    v = mf.variables(m)
    sx, sy, sz = v["sx"], v["sy"], v["sz"]
    eqs = {k: e.subs(gs, 0) for k, e in mf.equations(m, factorization="collective").items()}
    Gc = N * gc
    assert same(eqs["sx"], Gc / 2 * sz * sx)
    assert same(eqs["sy"], -2 * Om * sz + Gc / 2 * sz * sy)
    assert same(eqs["sz"], 2 * Om * sy - Gc / 2 * (sx**2 + sy**2))
    fps = mf.fixed_points(m, eqs)
    Omc = Gc / 4
    b4 = {"sx": 0, "sy": Om / Omc, "sz": -sp.sqrt(1 - Om**2 / Omc**2)}
    values = {Om: sp.Rational(1, 3), gc: 1, N: 4}
    stable = [p for p in fps if p.exists(values) and mf.stability(m, p, values, eqs=eqs).kind == "stable"]
    assert len(stable) == 1
    for k in b4:
        assert same(stable[0][k] - b4[k], 0) or abs(complex(sp.N((stable[0][k] - b4[k]).subs(values)))) < 1e-14
