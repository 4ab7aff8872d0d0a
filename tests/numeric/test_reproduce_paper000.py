"""Helpers of the paper-000 reproduction (numeric/app/reproduce/paper000/), each against something
independent: exact polynomials, a flow with known eigenvalues, the closed-form Puri-Lawande state,
the normalisation of reduced states."""
import math

import mpmath
import numpy as np

import analytic.exact as ex
from numeric.app.reproduce import paper000 as p0


def test_richardson_is_exact_on_quadratics_in_one_over_S():
    S = np.array([40.0, 80.0, 160.0])
    assert abs(p0.richardson(S, 1.3 - 0.7 / S + 2.9 / S ** 2) - 1.3) < 1e-12
    assert abs(p0.power_order([10, 20, 40, 80], [0.9 * s ** -1.3 for s in (10, 20, 40, 80)]) - 1.3) < 1e-12


def test_tangent_eigenvalues_of_a_damped_rotation():
    """f(x) = w e_z x x + g (x x (e_z x x)) at the north pole: tangent eigenvalues -g +- i w
    (the radial direction, along which |x| is conserved, is excluded)."""
    w, g = 1.3, 0.9
    ez = np.array([0.0, 0.0, 1.0])
    f = lambda x: w * np.cross(ez, x) + g * np.cross(x, np.cross(ez, x))
    ev = np.sort_complex(p0.tangent_eigenvalues(f, np.array([0.0, 0.0, 1.0])))
    assert np.allclose(ev, [-g - 1j * w, -g + 1j * w], atol=1e-8)


def test_eq11_state_with_the_derived_g_is_the_puri_lawande_state():
    """Eq. (11) built literally with g = i lambda S equals analytic.exact's closed form (S = 3,
    lambda = 0.9) to 40 digits and is stationary; the printed g gives another, non-stationary state."""
    lam, S, dps = 0.9, 3, 50
    with mpmath.workdps(dps):
        rho = p0.eq11_state(S, mpmath.mpc(0, 1) * lam * S, dps)
        ref = ex.PuriLawande(2 * lam, 1.0, S, dps=dps).density_matrix()
        assert max(abs(rho[a, b] - ref[a, b]) for a in range(7) for b in range(7)) < mpmath.mpf(10) ** -40
        assert p0.lindblad_residual(rho, lam, S, dps) < mpmath.mpf(10) ** -40
        printed = p0.eq11_state(S, mpmath.mpc(0, 1) * 2 * lam * S, dps)
        assert p0.lindblad_residual(printed, lam, S, dps) > 1e-3


def test_explicit_reduced_states_are_normalised_and_the_printed_rows_are_not():
    S = 2
    rng = np.random.default_rng(1)
    psi = rng.normal(size=5) + 1j * rng.normal(size=5)
    rho = np.outer(psi, psi.conj()) / np.vdot(psi, psi).real
    r2 = p0.explicit_reduced(rho, S, 2)
    assert r2.shape == (4, 4) and abs(np.trace(r2) - 1) < 1e-14 and np.allclose(r2, r2.conj().T)
    assert np.allclose(p0.explicit_reduced(rho, S, 1), np.einsum("aibi->ab", r2.reshape(2, 2, 2, 2)))
    rows = p0.printed_two_qubit_rows(float(S), -0.3, 1.9, 0.4 + 0.2j, 0.1j, 0.05)
    assert not math.isclose(sum(rows[i][i] for i in range(4)).real, 1.0)
