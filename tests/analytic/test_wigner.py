"""Truncated Wigner derivation (analytic.wigner): Schwinger bosons (seed 002 eq. 8), Weyl symbols,
drift and diffusion from the model, positive-diffusion approximation."""
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import meanfield as mf
from analytic import wigner as aw
from analytic.algebra import Mode
from analytic.model import ModelError

CHAIN = an.models.gain_loss_chain()


def test_schwinger_bosons_reproduce_the_spin_algebra():
    """S+ = u+ d, S- = u d+, Sz = (u+u - d+d)/2: [S+, S-] = 2Sz, [Sz, S+] = S+, and the Casimir is
    (N/2)(N/2 + 1) with N = u+u + d+d."""
    sw = aw.schwinger(an.models.crf())
    spin = sw.spin_model.subsystems[0]
    Sp, Sm, Sz = (sw.convert(o) for o in (spin.plus, spin.minus, spin.z))
    assert (Sp * Sm - Sm * Sp - Sz * 2).is_zero()
    assert (Sz * Sp - Sp * Sz - Sp).is_zero()
    u, d = sw.modes[""]
    N = u.ad * u.a + d.ad * d.a
    cas = (Sp * Sm + Sm * Sp) * sp.Rational(1, 2) + Sz * Sz
    assert (cas - (N * sp.Rational(1, 2)) * (N * sp.Rational(1, 2) + 1)).is_zero()


def test_weyl_symbols_of_number_operators():
    """{a+a}_W = |alpha|^2 - 1/2 and {(a+a)^2}_W = |alpha|^4 - |alpha|^2 (symmetric ordering)."""
    m = Mode("c", 1)
    al, alc = aw.amplitude(m)
    n = m.ad * m.a
    assert sp.expand(aw.weyl_symbol(n) - (al * alc - sp.Rational(1, 2))) == 0
    assert sp.expand(aw.weyl_symbol(n * n) - (al ** 2 * alc ** 2 - al * alc)) == 0


def _spinor(S, s):
    """Schwinger amplitudes of the classical spin S*s (|s| = 1): alpha_u = sqrt(2S) cos(theta/2), ..."""
    theta, phi = np.arccos(s[2]), np.arctan2(s[1], s[0])
    return np.sqrt(2 * S) * np.cos(theta / 2), np.sqrt(2 * S) * np.exp(1j * phi) * np.sin(theta / 2)


def test_noise_free_wigner_drift_is_the_meanfield_flow():
    """Along the Wigner drift, d{S_alpha}_W/dt / S equals the engine's mean-field equations
    (thermodynamic limit) up to O(1/S): fitted exponent 1 at random points of the chain."""
    fpe = aw.fokker_planck(CHAIN)
    eqs = mf.equations(CHAIN, thermodynamic_limit=True)
    var = mf.variables(CHAIN)
    rng = np.random.default_rng(3)
    vals = {"g": 1.0, "h": 0.6, "Gamma_g": 0.7, "Gamma_l": 1.3}
    pars = {CHAIN.symbol(k): v for k, v in vals.items()}
    spins = {s.name: s for s in CHAIN.subsystems}
    own = {"a": rng.normal(size=3), "b": rng.normal(size=3)}
    own = {k: v / np.linalg.norm(v) for k, v in own.items()}
    direction = {"a": own["a"], "b": own["b"], "b_prev": own["b"], "a_next": own["a"]}
    point = {var[f"s{c}_{k}"]: own[k][i] for k in "ab" for i, c in enumerate("xyz")}
    Ssym = CHAIN.symbol("S")
    amps = [x for m in fpe.schwinger.model.subsystems for x in aw.amplitude(m)]
    rates, mfvals = [], []
    for k in "ab":
        for c, op in (("x", spins[k].x), ("y", spins[k].y), ("z", spins[k].z)):
            sym = fpe.symbol(op)
            rate = sum(sp.diff(sym, a) * fpe.drift[a] + sp.diff(sym, fpe.conj[a]) * aw._conjugate(fpe.drift[a], fpe.conj)
                       for a in fpe.alphas)
            rates.append(sp.lambdify([Ssym] + amps, rate.subs(pars) / Ssym))
            mfvals.append(float(eqs[f"s{c}_{k}"].subs(pars).subs(point)))
    errs = []
    sizes = [1e2, 1e3, 1e4]
    for S in sizes:
        z = {}
        for name, (u, d) in fpe.schwinger.modes.items():
            au, ad = _spinor(S, direction[name])
            for mode, a in ((u, au), (d, ad)):
                al, alc = aw.amplitude(mode)
                z[al], z[alc] = a, np.conj(a)
        twa = np.array([complex(f(S, *[z[x] for x in amps])) for f in rates])
        assert np.all(np.abs(twa.imag) < 1e-9 * np.maximum(1.0, np.abs(twa)))
        errs.append(np.max(np.abs(twa.real - np.array(mfvals))))
    p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
    assert p == pytest.approx(1.0, abs=0.05), (p, errs)


def test_positive_diffusion_drops_an_indefinite_constant():
    """D = D_pd + D_0: D_0 is field independent and indefinite (diag(-r/4, +r/4) on (u, d) for
    gain, (+r/4, -r/4) for loss, with r = Gamma/S); D_pd, built from the noise, is positive
    semidefinite at random field values (as a real 2n x 2n covariance)."""
    fpe = aw.fokker_planck(CHAIN)
    fields = set(fpe.conj) | set(fpe.conj.values())
    assert all(not (e.free_symbols & fields) for e in fpe.dropped)
    S, Gg, Gl = (CHAIN.symbol(k) for k in ("S", "Gamma_g", "Gamma_l"))
    n = len(fpe.alphas)
    diag = [sp.simplify(fpe.dropped[i, n + i]) for i in range(n)]
    assert diag == [-Gg / (4 * S), Gg / (4 * S), Gl / (4 * S), -Gl / (4 * S)]
    Dpd = fpe.positive_diffusion()
    rng = np.random.default_rng(0)
    z = fpe.z
    for _ in range(3):
        amps = rng.normal(size=n) + 1j * rng.normal(size=n)
        sub = {**{a: v for a, v in zip(fpe.alphas, amps)}, **{fpe.conj[a]: np.conj(v) for a, v in zip(fpe.alphas, amps)},
               S: 3.0, Gg: 0.8, Gl: 1.7}
        M = np.array(Dpd.subs(sub).evalf(), dtype=complex)
        # real coordinates x = Re alpha, y = Im alpha: alpha = x + i y, alpha* = x - i y
        T = np.block([[np.eye(n), np.eye(n)], [-1j * np.eye(n), 1j * np.eye(n)]]) / 2
        R = T @ M @ T.T
        assert np.allclose(R.imag, 0, atol=1e-12)
        assert np.linalg.eigvalsh(R.real).min() > -1e-12
    assert len(z) == 2 * n


def test_schwinger_number_is_conserved_by_the_ito_equations():
    """The Ito generator of X = |alpha_u|^2 + |alpha_d|^2 of each spin vanishes identically
    (drift + (1/2) tr(D_pd d^2X)) and the noise is tangent to X = const."""
    fpe = aw.fokker_planck(CHAIN)
    Dpd = fpe.positive_diffusion()
    z = fpe.z
    drift = [fpe.drift[a] for a in fpe.alphas] + [aw._conjugate(fpe.drift[a], fpe.conj) for a in fpe.alphas]
    Pz, Qz = aw._z_noise(fpe)
    for name in ("a", "b"):
        u, d = fpe.schwinger.modes[name]
        X = sum(aw.amplitude(m)[0] * aw.amplitude(m)[1] for m in (u, d))
        gen = sum(sp.diff(X, zi) * Ai for zi, Ai in zip(z, drift))
        gen += sum(sp.diff(X, zi, zj) * Dpd[i, j] for i, zi in enumerate(z) for j, zj in enumerate(z)) / 2
        assert sp.expand(gen) == 0
        for k in range(fpe.P.shape[1]):
            assert sp.expand(sum(sp.diff(X, zi) * Pz[i][k] for i, zi in enumerate(z))) == 0
            assert sp.expand(sum(sp.diff(X, zi) * Qz[i][k] for i, zi in enumerate(z))) == 0


def test_weyl_symbol_of_spin_observables():
    """{Sz}_W = (|u|^2 - |d|^2)/2, {S+}_W = u* d, {Sz^2}_W = {Sz}_W^2 - 1/8."""
    fpe = aw.fokker_planck(CHAIN)
    u, d = fpe.schwinger.modes["a"]
    (au, auc), (ad, adc) = aw.amplitude(u), aw.amplitude(d)
    sz = (au * auc - ad * adc) / 2
    assert sp.expand(fpe.symbol("Sz_a") - sz) == 0
    assert sp.expand(fpe.symbol("Sp_a") - auc * ad) == 0
    assert sp.expand(fpe.symbol("Sz_a*Sz_a") - (sz ** 2 - sp.Rational(1, 8))) == 0


def test_bad_input():
    with pytest.raises(ModelError, match="not spins of fixed length"):
        aw.schwinger(an.models.open_dicke())
    with pytest.raises(ModelError, match="has no operator"):
        aw.fokker_planck(an.models.gain_loss_dimer()).symbol("Sq_a")
    with pytest.raises(ModelError, match="expected an analytic Model"):
        aw.schwinger("crf")
