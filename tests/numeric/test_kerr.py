"""Dissipative Kerr oscillator (seed 002 eqs. 6-7, Fig. 4): first-order transition at
F/gamma ~ 1.76 for U/gamma = Delta/gamma = 10, Liouvillian gap closing like exp(-c D), purity
minimum and bimodal photon distribution there.  Convention: seed 002's gamma D[c] with D
carrying the factor 2 is the rate 2 gamma here (analytic.models.kerr); with rate gamma instead
the gap minimum at D = 50 would not sit at the printed 1.76.  D = 10 ... 50 (the exponential fit,
F = 1.756 at D = 50, the purity minimum next to it) is reproduced by `dspins reproduce 002`
(numeric/app/reproduce/paper002/, task kerr), which holds the shared helpers."""
import numpy as np
import pytest
import sympy as sp

import analytic as an
import numeric as nu
from analytic import cavity as acav
from analytic.model import ModelError
from numeric.semiclassical import cavity as nc
from numeric.app.reproduce.paper002 import KERR_BASE as BASE
from numeric.app.reproduce.paper002 import kerr_gap_minimum as gap_min
from numeric.app.reproduce.paper002 import kerr_purity_minimum as purity_min
from numeric.app.reproduce.paper002 import kerr_truncation as trunc

M = an.models.kerr()

def meanfield_densities(F):
    """Real non-negative roots n = |alpha|^2 of the engine's Kerr cubic at F."""
    n = sp.Symbol("n", nonnegative=True)
    poly = acav.kerr_polynomial().subs({M.symbol(k): v for k, v in {**BASE, "F": F}.items()})
    return sorted(float(sp.re(r)) for r in sp.Poly(poly, n).nroots() if abs(sp.im(r)) < 1e-12 and sp.re(r) >= 0)


def test_meanfield_window_contains_the_transition():
    """The engine's turning points bound the bistable window; seed 002's F_c = 1.76 is inside and
    the cubic has three positive roots there (low, unstable, high branch)."""
    lo, hi = (float(v) for v in an.formulas.get("kerr.meanfield.bistability")(10.0, 10.0, 1.0))
    assert lo < 1.76 < hi
    assert abs(lo - 0.706218) < 1e-6 and abs(hi - 2.752332) < 1e-6  # turning points of F^2 = n((20n - 10)^2 + 1)
    assert len(meanfield_densities(1.76)) == 3 and len(meanfield_densities(0.9 * lo)) == 1


def test_gap_closes_exponentially_at_the_first_order_point():
    """Gap minimum over F at D = 10, 20, 30: log gap falls linearly in D (equal successive
    ratios, about e^{-0.44 D}), and its location moves down towards 1.76."""
    res = [gap_min(D) for D in (10, 20, 30)]
    F, g = np.array(res).T
    assert np.all(np.diff(F) < 0) and F[-1] < 1.80
    steps = -np.diff(np.log(g)) / 10  # decay constant c between successive D
    assert np.all(steps > 0.4) and abs(steps[1] / steps[0] - 1) < 0.05, steps


def test_purity_minimum_at_the_transition():
    """Seed 002 Fig. 4b: the steady-state purity dips at the transition; the dip sits just above
    the gap minimum and the distance shrinks with D."""
    d = []
    for D in (20, 30):
        Fp, P = purity_min(D)
        Fg, _ = gap_min(D)
        assert 0.3 < P < 0.5
        assert nu.steady_state(M, {**BASE, "F": 1.6}, D=D, truncation=trunc(D)).purity() > 0.97
        d.append(Fp - Fg)
    assert 0 < d[1] < d[0] < 0.05, d


def test_photon_distribution_is_bimodal_at_the_transition():
    """Seed 002 Fig. 4c: at the gap minimum P(n) has two peaks, at the photon numbers D n of the
    two stable mean-field branches (low and high root of the cubic)."""
    D = 30
    F, _ = gap_min(D)
    st = nu.steady_state(M, {**BASE, "F": F}, D=D, truncation=trunc(D))
    P = nc.photon_distribution(st)
    assert abs(P.sum() - 1) < 1e-10
    # local maxima of P(n); the far tail (P ~ 1e-40, below the solver's residual 1e-15) is roundoff
    peaks = [k for k in range(1, len(P) - 1) if P[k] > P[k - 1] and P[k] >= P[k + 1] and P[k] > 1e-10]
    peaks = ([0] if P[0] > P[1] else []) + peaks
    assert len(peaks) == 2, peaks
    low, _, high = meanfield_densities(F)
    assert abs(peaks[0] - D * low) < 2 and abs(peaks[1] - D * high) < 0.15 * D * high, (peaks, D * low, D * high)
    dip = P[peaks[0]:peaks[1]].min()
    assert dip < 0.2 * min(P[peaks[0]], P[peaks[1]])


def test_truncation_too_small_raises():
    with pytest.raises(ModelError, match="truncation"):
        nu.steady_state(M, {**BASE, "F": 2.2}, D=30, truncation=20)  # upper branch, n ~ 0.6 D
    with pytest.raises(ModelError, match="bracket"):
        nc.gap_minimum(M, BASE, "F", (2.0, 1.0), D=10, truncation=45)
    with pytest.raises(ModelError, match="parameter"):
        nc.gap_minimum(M, BASE, "G", (1.0, 2.0), D=10, truncation=45)


def test_kerr_gap_figure():
    """notebooks/cavity_figures.py at small size: the gap curves have their minima inside the
    F range, the minimum falls by more than 50x from D = 10 to 20 and moves to smaller F."""
    import importlib.util
    from pathlib import Path

    import matplotlib.pyplot as plt

    path = Path(__file__).parents[2] / "notebooks" / "cavity_figures.py"
    spec = importlib.util.spec_from_file_location("cavity_figures", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fig, d = mod.kerr_gap_figure(Ds=(10, 20), F=np.linspace(1.6, 2.0, 9))
    (F10, g10), (F20, g20) = d["minima"][10], d["minima"][20]
    assert g10 / g20 > 50 and F20 < F10
    for D in (10, 20):
        assert d["gaps"][D].min() >= d["minima"][D][1] * (1 - 1e-6)
    plt.close(fig)
