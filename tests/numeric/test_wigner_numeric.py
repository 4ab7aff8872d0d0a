"""Truncated Wigner simulations (numeric.wigner) of the gain-loss dimer and chain (seed 002 Sec. IV A).

Ordered phases: magnetisations and fluctuations against the Holstein-Primakoff theory of
analytic.fluctuations (seed 002 Appendix A, Fig. 5a, b) within the sampling error (3 standard
errors; the O(n/S) corrections at S = 100 are below one standard error).  PT line: the transverse
polarisation of a state prepared along x decays on a time that does not grow with S (Fig. 7c),
while the mean-field flow keeps it.
"""
import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import fluctuations as fl
from analytic.fluctuations import Z
from analytic.model import ModelError
from numeric.dynamics import meanfield_trajectory
from numeric.wigner import twa

DIMER = an.models.gain_loss_dimer()
CHAIN = an.models.gain_loss_chain()
UP, DOWN = (0.0, 0.0, 1.0), (0.0, 0.0, -1.0)


def _check_hp(run, S, spin, sign, n_hp, t_from):
    """<Sz> = sign (S - n) and (Delta Sz)^2 = n (n + 1) (Gaussian, no anomalous moment: U(1))."""
    z, dz = run.steady(spin, "z", t_from)
    var, dvar = run.steady(spin, "var", t_from)
    n_twa = S - sign * z
    assert abs(n_twa - n_hp) < 3 * dz, (spin, n_twa, n_hp, dz)
    assert abs(var - n_hp * (n_hp + 1)) < 3 * dvar, (spin, var, n_hp * (n_hp + 1), dvar)
    return n_twa, var


@pytest.mark.parametrize("phase, values, signs", [
    ("FM_up", {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.2}, {"a": 1, "b": 1}),
    ("AM", {"g": 1.0, "Gamma_g": 3.0, "Gamma_l": 1.0}, {"a": 1, "b": -1}),
])
def test_dimer_ordered_phases_match_holstein_primakoff(phase, values, signs):
    """S = 100, 1000 trajectories: FM_up n_a = 0.741 (TWA 0.738 +- 0.013), n_b = 0.852; AM likewise;
    (Delta Sz)^2 = n(n+1) within 3 standard errors."""
    g = fl.dimer_gaussian(phase)
    vals = {DIMER.symbol(k): v for k, v in values.items()}
    assert g.anomalous("a").subs(vals) == 0 and g.anomalous("b").subs(vals) == 0
    init = {s: (UP if sg > 0 else DOWN) for s, sg in signs.items()}
    run = twa(DIMER, values, 100, trajectories=1000, t_final=50.0, dt=0.05, initial=init, progress=False)
    for s, sg in signs.items():
        _check_hp(run, 100, s, sg, float(g.occupation(s).subs(vals)), 20.0)


def _chain_occupations(point, values, cells):
    """Local HP occupations of a ring of `cells` cells: (1/N) sum_k n(k), k = 2 pi j / N."""
    g = fl.gaussian(CHAIN, point)
    vals = {CHAIN.symbol(k): v for k, v in values.items()}
    ks = np.exp(2j * np.pi * np.arange(cells) / cells)
    out = {}
    for s in ("a", "b"):
        f = sp.lambdify(Z, g.occupation(s).subs(vals), "numpy")
        nk = np.array([complex(f(z)) for z in ks])
        assert np.all(np.abs(nk.imag) < 1e-10) and np.all(nk.real > 0)
        out[s] = float(nk.real.mean())
    return out


@pytest.mark.slow
@pytest.mark.parametrize("point, values, signs", [
    ({"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": 1},
     {"g": 1.0, "h": 0.5, "Gamma_g": 1.5, "Gamma_l": 0.1}, {"a": 1, "b": 1}),
    ({"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": -1},
     {"g": 1.0, "h": 0.5, "Gamma_g": 1.5, "Gamma_l": 2.5}, {"a": 1, "b": -1}),
])
def test_chain_N50_ordered_phases_match_kspace_holstein_primakoff(point, values, signs):
    """Seed 002 Fig. 5(a, b), path Gamma_g = 1.5 g, h = 0.5 g: FM (Gamma_l = 0.1 g) and AM
    (Gamma_l = 2.5 g) on a ring of N = 50 cells at S = 100: <Sz> and (Delta Sz)^2 per site against
    the k-space HP theory (analytic.fluctuations.gaussian of gain_loss_chain) summed over the
    ring's momenta."""
    n_hp = _chain_occupations(point, values, 50)
    init = {s: (UP if sg > 0 else DOWN) for s, sg in signs.items()}
    run = twa(CHAIN, values, 100, cells=50, trajectories=200, t_final=50.0, dt=0.05, initial=init, progress=False)
    for s, sg in signs.items():
        _check_hp(run, 100, s, sg, n_hp[s], 20.0)


def _decay_time(run, spin="a"):
    perp, _ = run.transverse(spin)
    below = np.nonzero(perp / run.S < np.exp(-1))[0]
    assert below.size, "the transverse polarisation did not decay"
    return run.times[below[0]]


PT = {"g": 1.0, "h": 0.5, "Gamma_g": 1.0, "Gamma_l": 1.0}


def _meanfield_perp(t_final):
    x = {"sx_a": 1.0, "sy_a": 0.0, "sz_a": 0.0, "sx_b": 1.0, "sy_b": 0.0, "sz_b": 0.0}
    tr = meanfield_trajectory(CHAIN, PT, x, np.linspace(0, t_final, 61), thermodynamic_limit=True)
    return np.hypot(tr["sx_a"], tr["sy_a"])


def test_pt_line_transverse_polarisation_decays_on_an_S_independent_time():
    """Seed 002 Fig. 7(c) on a small ring (4 cells, 300 trajectories): all spins along x, Gamma_g =
    Gamma_l = g, h = g/2.  Mean field keeps <S_perp>/S above 0.5 up to t = 30/g; TWA decays below 1/e
    at tau = 10.5/g (S = 100; the paper: ~10/g).  tau(1600)/tau(100) = 2.6: far below the factor
    16 of a phase-diffusion (laser-like) restoration, tau ~ S, but above the 'less than a factor 2'
    stated in the text of seed 002 Sec. IV D (measured 2.7 on N = 16 and N = 50 rings, dt-converged)."""
    assert _meanfield_perp(30.0).min() > 0.5
    taus = [_decay_time(twa(CHAIN, PT, S, cells=4, trajectories=300, t_final=30.0, dt=0.05, record_every=0.25,
                            progress=False)) for S in (100, 1600)]
    assert 5.0 < taus[0] < 20.0
    assert taus[1] < 4 * taus[0], taus  # tau ~ S^p with p < 1/2 (p = 1 for phase diffusion)


@pytest.mark.slow
def test_pt_line_decay_time_N50():
    """Fig. 7(c) with N = 50 cells, S = 100, 400, 1600: tau = 12.3, 19.8, 33/g, a power of S of
    0.36, far below the phase-diffusion value 1 (the paper states less than a factor 2 over the
    factor 16 in S; measured 2.7).  The factor depends on where "decayed" is put: tau(1600)/tau(100)
    = 2.95, 2.7, 2.4, 2.1, 2.0 for <S_perp>/S below 0.5, 1/e, 0.25, 0.15, 0.1 (100 trajectories,
    t up to 60/g; measured 2026-12-01), so the paper's "less than 2" holds at best for the time to
    reach ~10 % of the initial polarisation; the growth itself (S^0.25 ... S^0.36) is resolved."""
    Ss = [100, 400, 1600]
    taus = [_decay_time(twa(CHAIN, PT, S, cells=50, trajectories=100, t_final=40.0, dt=0.05, record_every=0.25,
                            progress=False)) for S in Ss]
    assert 5.0 < taus[0] < 20.0
    assert np.all(np.diff(taus) > 0)
    assert np.polyfit(np.log(Ss), np.log(taus), 1)[0] < 0.5, taus


def test_bad_input():
    with pytest.raises(ModelError, match="cells must be a positive integer"):
        twa(CHAIN, PT, 100, cells=0)
    with pytest.raises(ModelError, match="trajectories must be >= 2"):
        twa(CHAIN, PT, 100, trajectories=1)
    with pytest.raises(ModelError, match="dt must be a positive number"):
        twa(CHAIN, PT, 100, dt=-0.1)
    with pytest.raises(ModelError, match="initial must give a direction"):
        twa(CHAIN, PT, 100, initial={"a": UP})
    with pytest.raises(ModelError, match="missing value"):
        twa(CHAIN, {"g": 1.0}, 100)
    with pytest.raises(ModelError, match="half-integer"):
        twa(CHAIN, PT, 100.3)
