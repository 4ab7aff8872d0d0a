"""Exact numerics of the superradiant laser (issue 19, acceptance 4): the full model (N atoms and a truncated
cavity mode) in the product space (numeric/solvers/product.py) against QuTiP built independently, and
against the exact permutation-invariant state of the model with its cavity eliminated in the bad-cavity
regime; the registered formulas' checks (kind laser_flux) with their measured figures."""
from __future__ import annotations

import numpy as np
import pytest
import qutip

import analytic as an
import numeric as nu
from analytic.adiabatic import eliminate
from numeric.app import checks
from numeric.solvers.product import steady_state_product

VALUES = {"g": 0.9, "kappa": 13.0, "gamma": 0.3, "w": 1.7}


def _qutip_laser(N: int, T: int, g: float, kappa: float, gamma: float, w: float):
    """The master equation of the paper built here from single-atom operators: atom basis (|down>, |up>)
    = (0, 1) as analytic.algebra.Atoms, atoms first, then the mode (T Fock levels)."""
    sm1 = qutip.Qobj(np.array([[0.0, 1.0], [0.0, 0.0]]))  # sigma^-: |up> = 1 -> |down> = 0
    eye = [qutip.qeye(2)] * N + [qutip.qeye(T)]

    def on(k, op):
        ops = list(eye)
        ops[k] = op
        return qutip.tensor(ops)

    a = on(N, qutip.destroy(T))
    sms = [on(k, sm1) for k in range(N)]
    Sm = sum(sms[1:], sms[0])
    H = g * (a.dag() * Sm + a * Sm.dag())
    c_ops = [np.sqrt(kappa) * a] + [np.sqrt(gamma) * s for s in sms] + [np.sqrt(w) * s.dag() for s in sms]
    Sz = sum((s.dag() * s - s * s.dag()) / 2 for s in sms)
    return H, c_ops, a, Sm, Sz


def test_product_space_steady_state_equals_qutip_at_N3():
    """N = 3, 6 Fock levels: our product-space steady state is QuTiP's (entry by entry, 1e-9) and
    so are <Sz>, <a^dag a>, <S^+S^->; the residual is below 1e-12."""
    N, T = 3, 6
    st = steady_state_product(an.models.superradiant_laser(), VALUES, N, T)
    H, c_ops, a, Sm, Sz = _qutip_laser(N, T, **VALUES)
    rho = qutip.steadystate(H, c_ops).full()
    assert np.abs(rho - st.rho).max() < 1e-9
    assert abs(st.expect("Sz") - np.trace(Sz.full() @ rho)) < 1e-9
    assert abs(st.expect("ad*a") - np.trace((a.dag() * a).full() @ rho)) < 1e-9
    assert abs(st.expect("Sp*Sm") - np.trace((Sm.dag() * Sm).full() @ rho)) < 1e-9
    assert st.residual < 1e-12 and st.info["u1_block"]
    assert abs(st.expect("Sz").real) > 0.1  # a non-trivial state (pumped above zero inversion)


def test_product_space_at_N2_has_the_excitation_number_block():
    """N = 2: the solver finds the U(1) charge (excitations of atoms + photons) and solves only its
    block: 84 unknowns instead of (4 * 6)^2 = 576; the state is still QuTiP's."""
    N, T = 2, 6
    st = steady_state_product(an.models.superradiant_laser(), VALUES, N, T)
    H, c_ops, *_ = _qutip_laser(N, T, **VALUES)
    assert st.info["unknowns"] == 84 and st.info["dim"] == 24
    assert np.abs(qutip.steadystate(H, c_ops).full() - st.rho).max() < 1e-9


def test_truncation_too_small_is_refused():
    with pytest.raises(an.ModelError, match="truncation=2 is too small"):
        steady_state_product(an.models.superradiant_laser(), {**VALUES, "kappa": 1.3, "g": 1.1}, 3, 2)


def test_the_permutation_invariant_solver_refuses_atoms_with_a_mode():
    """Why the product-space solver exists: numeric.steady_state(N=) takes one Atoms ensemble only."""
    with pytest.raises(an.ModelError, match="exactly one Atoms ensemble"):
        nu.steady_state(an.models.superradiant_laser(), VALUES, N=3)


def test_full_model_approaches_the_eliminated_model_in_the_bad_cavity_limit():
    """N = 3: scaling kappa -> s kappa and g -> sqrt(s) g keeps C gamma = 4 g^2/kappa; the full model's
    <Sz> and photon flux kappa <a^dag a> approach those of the eliminated model (exact, permutation
    invariant) as 1/s (fitted order 1 +- 0.1 at s = 1, 2, 4; measured 1.0 at kappa = 13, 26, 52)."""
    N = 3
    m = an.models.superradiant_laser()
    red = eliminate(m)
    el = nu.steady_state(red, VALUES, N=N)
    Cg = 4 * VALUES["g"] ** 2 / VALUES["kappa"]
    flux_el = Cg * el.expect("Sp*Sm").real
    scales = np.array([1.0, 2.0, 4.0])
    d_sz, d_flux = [], []
    for s in scales:
        vals = {**VALUES, "kappa": VALUES["kappa"] * s, "g": VALUES["g"] * np.sqrt(s)}
        st = steady_state_product(m, vals, N, 5)
        d_sz.append(abs(st.expect("Sz").real - el.expect("Sz").real))
        d_flux.append(abs(vals["kappa"] * st.expect("ad*a").real - flux_el) / flux_el)
    for errs in (d_sz, d_flux):
        p = -np.polyfit(np.log(scales), np.log(errs), 1)[0]
        assert abs(p - 1) < 0.1, (p, errs)
    assert d_flux[0] < 0.2 and d_flux[-1] < 0.05, d_flux


@pytest.mark.parametrize("name", ["superradiant_laser.cumulant.max_pump", "superradiant_laser.cumulant.optimal_pump",
                                  "superradiant_laser.cumulant.max_flux"])
def test_registered_checks_against_the_exact_eliminated_model(name):
    """The laser_flux checks (exact N = 40..160 steady states of the eliminated model at g = 0.9,
    kappa = 41, gamma = 0.1).  Measured: max_pump p = 0.43 (0.5; flux/(N w_max) = 0.072, 0.053, 0.039
    at N = 40, 80, 160); optimal_pump: the exact maximum within 0.068, 0.020 (N = 40, 80) of w_opt;
    max_flux p = 0.93 (1; relative errors 0.145, 0.076 at N = 80, 160)."""
    r = checks.run(name)  # the CI's result cache (DSPINS_CHECK_CACHE) shares it with tests/test_formula_checks.py
    assert r.passed, (r.agreement(), r.errors)
    errs = next(iter(r.errors.values()))
    assert all(np.diff(errs) < 0), errs  # the agreement improves with N
