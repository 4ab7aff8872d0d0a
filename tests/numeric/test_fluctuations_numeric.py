"""Finite-size cross-checks of the Holstein-Primakoff closed forms (analytic.fluctuations).

The exact steady state of numeric.steady at spin S converges to the Gaussian prediction with
an error ~ S^-p; the fitted p is asserted (the registered checks in test_formula_checks.py run
the default sizes; the slow tests here extend the size range).
"""
import numpy as np
import pytest

import analytic as an
from analytic import fluctuations as fl  # noqa: F401  (registers the hp formulas)
from numeric.steady import steady_state


def fitted_order(name, point, sizes, observable):
    f = an.formulas.formula(name)
    value = float(f.function()(*[point[a] for a in f.args]))
    model = an.models.get(f.model)
    errs = np.array([abs(observable(steady_state(model, point, S=S)) - value) for S in sizes])
    p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
    return p, errs


def test_crf_xi2_finite_S_rate():
    """|xi^2_S - sqrt(1 - lambda^2)| ~ S^-1 at lambda = 1/2 (fitted p = 1.00 for S = 16..64)."""
    p, errs = fitted_order("crf.hp.xi2", {"omega": 1.0, "kappa": 1.0}, [16, 32, 64], lambda st: st.squeezing())
    assert np.all(np.diff(errs) < 0)
    assert p == pytest.approx(1.0, abs=0.05), (p, errs)


@pytest.mark.slow
def test_dimer_purity_finite_S_rates():
    """Dimer purity at S = 4..12 -> (A23) (AM) and (A24) (FM), error ~ S^-p, p fitted."""
    p_am, e_am = fitted_order("gain_loss_dimer.hp.purity", {"g": 1.0, "Gamma_g": 3.0, "Gamma_l": 1.0},
                              [4, 6, 8, 10, 12], lambda st: st.purity())
    p_fm, e_fm = fitted_order("gain_loss_dimer.hp.purity_fm", {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.2},
                              [4, 6, 8, 10, 12], lambda st: st.purity())
    assert np.all(np.diff(e_am) < 0) and np.all(np.diff(e_fm) < 0)
    assert p_am == pytest.approx(1.0, abs=0.1), (p_am, e_am)
    assert p_fm == pytest.approx(1.0, abs=0.25), (p_fm, e_fm)


def test_dimer_purity_near_transition_is_not_the_ordered_value():
    """Inside the PT region (Gamma_g = Gamma_l < g) no ordered phase is stable: the Gaussian
    conditions fail, and the exact purity is far below both (A23) and (A24)."""
    am, fm = fl.dimer_gaussian("AM"), fl.dimer_gaussian("FM_up")
    v = {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.5}
    assert not am.is_stable(v) and not fm.is_stable(v)
    st = steady_state(an.models.gain_loss_dimer(), v, S=8)
    assert st.purity() < 0.05
