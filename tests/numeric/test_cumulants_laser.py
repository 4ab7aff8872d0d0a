"""Issue 19, acceptance 4 (order 2 of the full model): the superradiant laser's order-2 cumulant steady state
(representative atoms + cavity mode, no elimination) approaches the registered bad-cavity output flux at w_opt."""
from __future__ import annotations

import warnings

import numpy as np

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
