"""Finite-size cross-checks of the Holstein-Primakoff closed forms (analytic.fluctuations).

The exact steady state of numeric.solvers.steady at spin S converges to the Gaussian prediction with
an error ~ S^-p; the fitted p is asserted (the registered checks in test_formula_checks.py run
the default sizes).  The dimer purities (A23), (A24) over S = 4 ... 12 are reproduced by
`dspins reproduce 002` (numeric/app/reproduce/paper002/, task dimer_purity).
"""

import numpy as np
import pytest

import analytic as an
from analytic import fluctuations as fl  # noqa: F401  (registers the hp formulas)
from numeric.app.checks.gaussian import driven_dicke_lower_branch
from numeric.app.reproduce.paper002 import finite_size_order
from numeric.solvers.steady import steady_state


def test_crf_xi2_finite_S_rate():
    """|xi^2_S - sqrt(1 - lambda^2)| ~ S^-1 at lambda = 1/2 (fitted p = 1.00 for S = 16..64)."""
    p, errs, _, _ = finite_size_order("crf.hp.xi2", {"omega": 1.0, "kappa": 1.0}, [16, 32, 64],
                                      lambda st: st.squeezing())
    assert np.all(np.diff(errs) < 0)
    assert p == pytest.approx(1.0, abs=0.05), (p, errs)


def test_dimer_purity_near_transition_is_not_the_ordered_value():
    """Inside the PT region (Gamma_g = Gamma_l < g) no ordered phase is stable: the Gaussian
    conditions fail, and the exact purity is far below both (A23) and (A24)."""
    am, fm = fl.dimer_gaussian("AM"), fl.dimer_gaussian("FM_up")
    v = {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.5}
    assert not am.is_stable(v) and not fm.is_stable(v)
    st = steady_state(an.models.gain_loss_dimer(), v, S=8)
    assert st.purity() < 0.05


# ----------------------------------------------------------------------------- seed 004 atoms
def seed004_F11(c, s, Gamma, gamma):
    """xi^2 of seed 004 (F10) with (F11a), (F11b) as printed (|s| = 2 j_MF/N, c = cos theta)."""
    d1, d2, d3 = -Gamma * s * c + gamma * (2 - c * c), -Gamma * s * c + gamma * (1 + (1 - c * c) / 2), -Gamma * s * c + gamma
    pre = (gamma + Gamma) * s / 4
    n = pre * (1 / d1 + 2 * c / d2 + c * c / d3)
    a2 = pre * (c * c / d3 - 1 / d1)
    return 1 + 2 * n - 2 * abs(a2)


def driven_dicke_series(ratio, Gamma, gamma_s, sizes):
    """(exact xi^2, derived xi^2, printed F10/F11, F10/F11 with 1/|s|, -cos theta) at each N, on the
    lower branch with Gamma = (N - 1) gamma_c and Omega = ratio Gamma/4 held fixed."""
    lower = driven_dicke_lower_branch
    xi2 = an.formulas.get("driven_dicke.hp.xi2")
    rows = []
    for N in sizes:
        gc = Gamma / (N - 1)
        values = {"N": N, "Omega": ratio * Gamma / 4, "gamma_c": gc, "gamma_s": gamma_s}
        sy, sz = lower(values)
        s = np.hypot(sy, sz)
        c = sz / s
        printed = seed004_F11(c, s, Gamma, gc + gamma_s)
        exact = steady_state(an.models.driven_dicke(), values, N=N).squeezing()
        rows.append((exact, float(xi2(c, N, gc, gamma_s)), printed, printed / s, -c))
    return np.array(rows)


def test_driven_dicke_xi2_converges_where_F11_fails():
    """Seed 004 App. F at Gamma = gamma_s (Omega = 2 Omega_c, one stable branch, |s| = 0.90): the
    exact permutation-invariant xi^2 (N = 10, 20, 40: 1.0406, 1.0503, 1.0551) approaches the derived
    driven_dicke.hp.xi2 like 1/N (errors 1.1e-2, 6.6e-3, 3.6e-3), while (F10)+(F11) as printed predicts
    squeezing (0.85), and stays 0.2 away; with the 1/|s| that (F10) omits, still 0.1 away (0.94).
    (F11)'s noise (F12b) is vacuum noise per atom; individual decay of atoms in the mixed state
    |s| < 1 is noisier, which the engine's diffusion keeps."""
    rows = driven_dicke_series(2.0, 1.0, 1.0, (10, 20, 40))
    exact, ours, printed, printed_s = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
    err = np.abs(ours - exact)
    assert np.all(np.diff(err) < 0) and err[-1] < 4e-3
    p = -np.polyfit(np.log([10, 20, 40]), np.log(err), 1)[0]
    assert 0.7 < p < 1.1, (p, err)
    assert np.all(exact > 1)                       # not squeezed
    assert np.all(printed < 0.9) and np.all(exact - printed > 0.15)
    assert np.all(exact - printed_s > 0.09) and not np.all(np.diff(np.abs(exact - printed_s)) < 0)


def test_driven_dicke_xi2_is_wineland_not_minus_cos_theta():
    """Gamma = 10 gamma_s, Omega = Omega_c/2 (below the bistable window): the exact Wineland xi^2
    (N = 10, 20, 40) approaches the derived xi^2 = V_pp/|s| (errors shrink like 1/N), while its
    distance to -cos(theta) (eq. 8 / F13 form: the quadrature variance V_pp without the 1/|s|) grows.
    Here (F10)+(F11) with the 1/|s| restored also converges (Gamma >> gamma, the regime of the
    paper's Fig. 2d), to within 1e-3 of the derived value."""
    rows = driven_dicke_series(0.5, 10.0, 1.0, (10, 20, 40))
    exact, ours, printed_s, minus_c = rows[:, 0], rows[:, 1], rows[:, 3], rows[:, 4]
    err = np.abs(ours - exact)
    assert np.all(np.diff(err) < 0) and err[-1] < 3e-3
    off = np.abs(exact - minus_c)
    assert np.all(np.diff(off) > 0) and off[-1] > 0.015
    assert np.all(np.abs(printed_s - ours) < 1e-3)
