"""Exact two-time correlations and spectra of the permutation-invariant solver against QuTiP in the full 2^N space."""
from __future__ import annotations

import numpy as np
import pytest
import qutip

import analytic as an
from analytic.adiabatic import eliminate
from numeric.pi import correlations as pc
from qutip_atoms import full_space

LASER = {"g": 0.9, "kappa": 4.6, "gamma": 0.9, "w": 1.3}  # Gamma = 4 g^2/kappa = 0.7043...
DRIVEN = {"Omega": 1.3, "gamma_c": 1, "gamma_s": 0.3}
TAUS = np.array([0.0, 0.3, 1.1, 2.7])
OMEGAS = np.array([-1.7, -0.4, 0.0, 0.9, 2.3])


def _cases() -> list:
    return [pytest.param(eliminate(an.models.superradiant_laser()), LASER, id="laser"),
            pytest.param(an.models.driven_dicke(), DRIVEN, id="driven_dicke")]


def _qutip(model, values: dict, n: int):
    """H, c_ops, S+ and S- of the model built from single-atom operators (no permutation symmetry)."""
    H, c_ops, collective = full_space(model, values, n)
    return H, c_ops, collective(model.operator("Sp")), collective(model.operator("Sm"))


@pytest.mark.parametrize("n", [3, 4])
@pytest.mark.parametrize("model, values", _cases())
def test_correlation_equals_qutip(model, values, n) -> None:
    """<S+(tau) S-(0)> at four tau (not connected, as QuTiP's correlation_2op_1t) to 1e-8."""
    H, c_ops, Sp, Sm = _qutip(model, values, n)
    ref = qutip.correlation_2op_1t(H, None, TAUS, c_ops, Sp, Sm, options={"atol": 1e-13, "rtol": 1e-12})
    got = pc.correlation_pi(model, values, n, "Sp", "Sm", TAUS)
    assert np.abs(got - ref).max() < 1e-8
    assert abs(got[0]) > 0.1 and abs(got[-1] - got[0]) > 0.1  # a non-trivial decay


@pytest.mark.parametrize("n", [3, 4])
@pytest.mark.parametrize("model, values", _cases())
def test_spectrum_equals_qutip(model, values, n) -> None:
    """The connected spectrum at four omega != 0 to 1e-8: QuTiP's spectrum (e^{-i omega tau}, linear
    solves) at -omega."""
    H, c_ops, Sp, Sm = _qutip(model, values, n)
    om = OMEGAS[OMEGAS != 0]
    got = pc.correlation_spectrum_pi(model, values, n, "Sp", "Sm", om)
    ref = qutip.spectrum(H, -om, c_ops, Sp, Sm, solver="solve")
    assert np.abs(got - ref).max() < 1e-8
    assert got.min() > 0.1


@pytest.mark.parametrize("model, values", _cases())
def test_spectrum_at_zero_frequency_equals_qutips_exponential_series(model, values) -> None:
    """N = 3, omega = 0 included (the bordered resolvent of the driven atoms' steady-state sector):
    QuTiP's exponential-series spectrum at -omega, 1e-8."""
    H, c_ops, Sp, Sm = _qutip(model, values, 3)
    got = pc.correlation_spectrum_pi(model, values, 3, "Sp", "Sm", OMEGAS)
    ref = qutip.spectrum(H, -OMEGAS, c_ops, Sp, Sm)
    assert np.abs(got - ref).max() < 1e-8
    assert got[OMEGAS == 0][0] > 1.0


def test_laser_uses_the_charge_sector_and_the_driven_atoms_the_full_space() -> None:
    """The eliminated laser conserves q = m - m': B rho = S- rho lives in q = -1 (sum_j 2j = N^2/4 + ...
    unknowns, 6 at N = 4, no steady state there, no border); the driven atoms have no U(1) and use all
    35 unknowns with the bordered resolvent."""
    laser = pc.correlation_system(eliminate(an.models.superradiant_laser()), LASER, 4, "Sp", "Sm")
    driven = pc.correlation_system(an.models.driven_dicke(), DRIVEN, 4, "Sp", "Sm")
    assert laser.info["sector_size"] == 6 and not laser.bordered and laser.g_inf == 0
    assert driven.info["sector_size"] == 35 and driven.bordered
    assert abs(driven.g_inf) > 0.01


@pytest.mark.parametrize("model, values", _cases())
def test_modes_reassemble_the_correlation(model, values) -> None:
    """N = 4, every mode of the sector: the weights sum to <AB>_c, sum_k w_k e^{lambda_k tau} is the
    connected correlation and -2 Re sum_k w_k/(i omega + lambda_k) the spectrum (1e-9)."""
    sy = pc.correlation_system(model, values, 4, "Sp", "Sm")
    md = sy.modes(k=sy.L.shape[0], omega0=0.9)
    g = np.exp(np.multiply.outer(TAUS, md.eigenvalues)) @ md.weights
    S = np.array([-2 * np.real(np.sum(md.weights / (1j * w + np.where(md.weights == 0, 1, md.eigenvalues))))
                  for w in OMEGAS])
    assert abs(np.sum(md.weights) - sy.g0) < 1e-9
    assert np.abs(g - sy.correlation(TAUS, connected=True)).max() < 1e-9
    assert np.abs(S - sy.spectrum(OMEGAS)).max() < 1e-9
    assert abs(np.sum(md.peak_share) - 1) < 1e-9


def test_linewidth_is_the_full_width_at_half_maximum_of_qutips_spectrum() -> None:
    """Laser, N = 3: the peak at omega = 0 (the spectrum is even: H = 0, real Liouvillian) and QuTiP's
    spectrum at the two ends is half the peak (1e-8); the peak found from a grid agrees."""
    model = eliminate(an.models.superradiant_laser())
    sy = pc.correlation_system(model, LASER, 3, "Sp", "Sm")
    lw = sy.linewidth()
    H, c_ops, Sp, Sm = _qutip(model, LASER, 3)
    ref = qutip.spectrum(H, np.array([-lw.left, -lw.right, 0.0]), c_ops, Sp, Sm)
    assert abs(ref[0] - ref[2] / 2) < 1e-8 and abs(ref[1] - ref[2] / 2) < 1e-8
    assert abs(lw.fwhm - (lw.right - lw.left)) < 1e-14 and abs(lw.left + lw.right) < 1e-8
    grid = sy.linewidth(grid=np.linspace(-1.3, 0.9, 12))
    assert abs(grid.center) < 1e-6 and abs(grid.fwhm - lw.fwhm) < 1e-8


def test_negative_tau_is_refused() -> None:
    with pytest.raises(an.ModelError, match="taus must be finite and >= 0"):
        pc.correlation_pi(an.models.driven_dicke(), DRIVEN, 3, "Sp", "Sm", [0.2, -0.1])


def test_products_and_the_steady_state_sector_of_the_laser_equal_qutip() -> None:
    """Laser, N = 3: A = S+S- (a product), B = Sz (charge 0: the sector q = 0 holds the steady state, the
    bordered resolvent): <A(tau)B(0)> and the connected spectrum at omega != 0 against QuTiP, 1e-8."""
    model = eliminate(an.models.superradiant_laser())
    H, c_ops, Sp, Sm = _qutip(model, LASER, 3)
    Sz = (Sp * Sm - Sm * Sp) / 2
    sy = pc.correlation_system(model, LASER, 3, "Sp*Sm", "Sz")
    ref = qutip.correlation_2op_1t(H, None, TAUS, c_ops, Sp * Sm, Sz, options={"atol": 1e-13, "rtol": 1e-12})
    om = OMEGAS[OMEGAS != 0]
    ref_s = qutip.spectrum(H, -om, c_ops, Sp * Sm, Sz, solver="solve")
    assert sy.bordered and sy.info["sector_size"] == 6  # the diagonals: 4 + 2
    assert np.abs(sy.correlation(TAUS) - ref).max() < 1e-8
    assert np.abs(sy.spectrum(om) - ref_s).max() < 1e-8
    assert np.abs(ref_s).max() > 0.01


def test_modes_with_a_complex_pair_at_the_cut() -> None:
    """Laser, N = 4 (eigenvalues -1.62, -4.71 +- 0.90i, ...), k = 2..5: at k = 2 the complex-conjugate pair
    straddles the cut, and the left eigenvectors are still found; the weights are those of the full
    decomposition (1e-9)."""
    sy = pc.correlation_system(eliminate(an.models.superradiant_laser()), LASER, 4, "Sp", "Sm")
    full = sy.modes(k=sy.L.shape[0])
    for k in range(2, 6):
        md = sy.modes(k=k)
        for lam, w in zip(md.eigenvalues, md.weights):
            j = int(np.argmin(np.abs(full.eigenvalues - lam)))
            assert abs(full.weights[j] - w) < 1e-9
