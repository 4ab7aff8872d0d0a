"""Issue 19, acceptance 4 (order 2 of the full model): the superradiant laser's order-2 cumulant steady state
(representative atoms + cavity mode, no elimination) approaches the registered bad-cavity output flux at w_opt; its regression spectrum gives the linewidth."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

import analytic as an
from numeric import cumulants as nc


def test_order_two_flux_at_optimal_pump_approaches_the_bad_cavity_formula() -> None:
    """g = 0.3, kappa = 101, gamma = 0.1 (kappa^2 > 4 N g^2 up to N = 10^4): kappa <a^dag a> / (N^2 C gamma / 8)
    at w = w_opt. Measured relative errors 0.93, 0.22, 0.022 at N = 10^2, 10^3, 10^4 (N = 100 is barely above
    threshold: w_opt = 0.18 against gamma = 0.1): from 10^3 on they fall as 1/N (the formula is the N -> oo
    limit at fixed x = w/(N C gamma)); each solve < 1 s after the derivation."""
    model = an.models.superradiant_laser()
    g, kappa, gamma = 0.3, 101.0, 0.1
    flux = an.formulas.get("superradiant_laser.cumulant.max_flux")
    w_opt = an.formulas.get("superradiant_laser.cumulant.optimal_pump")
    sizes = (100, 1000, 10000)
    errors = []
    for N in sizes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            st = nc.steady_state(model, {"g": g, "kappa": kappa, "gamma": gamma, "w": float(w_opt(N, g, kappa))},
                                 order=2, N=N)
        assert st.residual < 1e-9
        assert abs(st.expect("a")) < 1e-9               # phase symmetric: no coherent field
        errors.append(abs(kappa * st.expect("ad*a") / float(flux(N, g, kappa)) - 1))
    p = -np.polyfit(np.log(sizes[1:]), np.log(errors[1:]), 1)[0]
    assert errors[0] > errors[1] > errors[2] and errors[-1] < 0.03 and 0.85 < p < 1.2, (errors, p)


_LASER = an.models.superradiant_laser()


def _laser_values(N: int, x: float, rate: float, gamma: float, bad: float = 1e3) -> dict:
    """Full-model values with collective rate Gamma = 4 g^2/kappa = ``rate``, kappa = ``bad`` N Gamma, w = x N Gamma."""
    kappa = bad * N * rate
    return {"g": np.sqrt(rate * kappa) / 2, "kappa": kappa, "gamma": gamma, "w": x * N * rate}


def test_regression_in_the_representative_reading_starts_at_the_equal_time_moments() -> None:
    """<A(tau) a(0)> of the laser (representative atoms + mode) at tau = 0 is the order-2 moment <A a>: for
    A = a^dagger (mode) and for A = S^+ (collective, expanded on the representative atoms: N <sigma^+_1 a>);
    the regression variables carry the per-atom names."""
    v = _laser_values(300, 0.3, 0.9, 1.3)
    st = nc.steady_state(_LASER, v, order=2, N=300)
    flow = nc.regression(_LASER, v, "ad", "a", order=2, state=st, N=300)
    assert "<sp1(tau)*a(0)>" in flow.names
    assert abs(flow.correlation([0.0])[0] - st.expect("ad*a")) < 1e-9 * abs(st.expect("ad*a"))
    sp_a = nc.correlation(_LASER, v, "Sp", "a", [0.0], order=2, state=st, N=300)[0]
    assert abs(sp_a - st.expect("Sp*a")) < 1e-9 * abs(st.expect("Sp*a")), (sp_a, st.expect("Sp*a"))
    assert abs(sp_a) > 1.0                                               # not trivially zero


def test_order_two_linewidth_is_c_gamma_at_weak_pump_and_independent_of_n_and_gamma() -> None:
    """Acceptance 4, the linewidth of Meiser et al.: the FWHM of the order-2 QRT spectrum of <a^dag(tau) a(0)>
    of the model with its cavity (kappa = 10^3 N Gamma) depends on x = w/(N Gamma) only, not on N or the
    individual decay gamma (to O(1/N)), and the derived large-N formula (analytic.laser.linewidth,
    Gamma (1 + x^2)/(1 - x)) is Gamma = C gamma at weak pump."""
    from analytic import laser as ls
    from numeric.app.checks.laser import qrt_linewidth

    lw = ls.linewidth()
    m = ls.pair_equations()[0].model
    assert not lw.free_symbols & {m.symbol("N"), m.symbol("gamma"), m.symbol("w")}
    assert sp.simplify(sp.limit(lw, ls.X, 0) - ls.collective_rate()) == 0
    rate = 0.9
    widths = {(N, gamma): qrt_linewidth(_LASER, _laser_values(N, 0.3, rate, gamma), N) / rate
              for N in (1000, 3000) for gamma in (0.35, 1.3)}
    g_, k_ = m.symbol("g"), m.symbol("kappa")
    formula = float(lw.subs({ls.X: 0.3, g_: 0.45, k_: 0.81 / rate})) / rate  # Gamma = 4 g^2/kappa = 0.9
    # the gamma and N dependences, and the distance to the formula, are O(1/N): a factor 3 from N = 1000 to 3000
    by_gamma = [abs(widths[N, 0.35] / widths[N, 1.3] - 1) for N in (1000, 3000)]
    to_formula = [abs(widths[N, 1.3] / formula - 1) for N in (1000, 3000)]
    assert 2.5 < by_gamma[0] / by_gamma[1] < 3.5 and by_gamma[1] < 1e-2, (widths, by_gamma)
    assert 2.5 < to_formula[0] / to_formula[1] < 3.5 and to_formula[1] < 1e-2, (widths, to_formula)


def test_order_two_flux_agrees_with_the_exact_eliminated_model_within_the_closure_error() -> None:
    """Acceptance 4, exact numerics at small N: the output flux Gamma <S^+S^-> of the model with its cavity
    eliminated (Gamma = 0.9, gamma = 0.35, x = w/(N Gamma) = 0.3), order 2 (representative atoms) against the
    exact permutation-invariant steady state. Measured relative errors 1.7e-2, 4.1e-2, 4.5e-2, 2.7e-2, 1.27e-2,
    6.0e-3 at N = 10, 20, 40, 80, 160, 320: past N ~ 40 they fall as 1/N (order 1.08 from 160 to 320), the
    closure error of the flux. Mean field (order 1) is closer here (-7.5e-3, -2.9e-3, -1.4e-3 at N = 80, 160,
    320), also O(1/N): order 2 does not improve the flux of the laser at these N, it is needed for its
    correlations (the linewidth)."""
    from analytic.adiabatic import eliminate
    from numeric.solvers.steady import steady_state

    reduced = eliminate(_LASER)
    errors = []
    for N in (40, 80, 160):
        v = {"g": 0.45, "kappa": 0.9, "gamma": 0.35, "w": 0.3 * N * 0.9}
        exact = steady_state(reduced, v, N=N).expect("Sp*Sm").real
        closed = nc.steady_state(reduced, v, order=2, N=N).expect("Sp*Sm").real
        errors.append(abs(closed / exact - 1))
    order = np.log(errors[1] / errors[2]) / np.log(2)
    assert errors[0] > errors[1] > errors[2] and errors[2] < 2e-2, errors
    assert 0.7 < order < 1.5, (order, errors)


@pytest.mark.slow
def test_exact_linewidth_falls_below_the_order_two_linewidth() -> None:
    """How the order-2 closure fails for the linewidth (recorded, acceptance 4): the exact emission spectrum of
    the eliminated model (numeric.pi.correlations, a single Lorentzian from N ~ 160 on) has half widths, in units
    of Gamma (gamma = 1, Gamma = 0.37), 3.20, 1.91, 1.12, 0.95, 0.89 at N = 40, 80, 160, 240, 320 for x = 0.5, and
    2.78, 1.26, 0.63, 0.52, 0.48 for x = 0.2: below the order-2 large-N value (1.25 and 0.65,
    analytic.laser.linewidth / 2) from N = 160 on and still falling at N = 320. The order-2 linewidth hangs on
    the 1/N part of <sigma^z>, which the dropped three-atom cumulants also feed (analytic.laser docstring)."""
    from analytic import laser as ls
    from analytic.adiabatic import eliminate
    from numeric.app.checks.laser import qrt_linewidth
    from numeric.pi.correlations import linewidth_pi

    rate, x = 0.37, 0.5
    reduced = eliminate(_LASER)
    half = {}
    for N in (80, 160):
        v = {"g": 0.45, "kappa": 4 * 0.45 ** 2 / rate, "gamma": 1.0, "w": x * N * rate}
        half[N] = linewidth_pi(reduced, v, N).fwhm / 2 / rate
    closed = qrt_linewidth(_LASER, _laser_values(160, x, rate, 1.0), 160) / 2 / rate
    limit = float(ls.linewidth().subs(ls.X, x) / ls.collective_rate()) / 2
    assert half[80] > half[160], half
    assert half[160] < limit < closed, (half, limit, closed)
