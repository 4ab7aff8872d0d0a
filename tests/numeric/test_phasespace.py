"""Husimi Q on the sphere (numeric.states.phasespace; seed 000 eqs. 29-30): coherent-state convention,
normalisation (2S+1)/(4 pi) int Q dOmega = 1, the coherent-state overlap law, large S, plots."""
import matplotlib

matplotlib.use("Agg")

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import qutip as qt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.special import comb  # noqa: E402

import analytic as an  # noqa: E402
from analytic.model import ModelError  # noqa: E402
from numeric.states.observables import State  # noqa: E402
from numeric.core.operators import Representation, numeric_values  # noqa: E402
from numeric.states.phasespace import husimi, husimi_grid, husimi_normalisation, plot_husimi, spin_coherent_state  # noqa: E402

CRF = an.models.crf()


def crf_state(S, lam, dps=None):
    omega = 2 * lam
    rho = qt.steadystate(omega * qt.jmat(S, "x"), [np.sqrt(2 / S) * qt.jmat(S, "-")]).full()
    rep = Representation(CRF, {"S": S})
    return State(CRF, rep, rho if dps is None else mpmath.matrix(rho.tolist()),
                 numeric_values(CRF, {"omega": omega, "kappa": 1.0}, {"S": S}), dps=dps)


def direction(theta, phi):
    return np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])


@pytest.mark.parametrize("S", [0.5, 2.5, 7.0])
def test_coherent_state_points_along_n(S):
    J = [qt.jmat(S, a).full() for a in "xyz"]
    for theta, phi in [(0.0, 0.3), (0.8, -1.0), (np.pi / 2, 2.0), (np.pi, 0.0)]:
        c = spin_coherent_state(S, theta, phi)
        assert abs(np.linalg.norm(c) - 1) < 1e-13
        mean = np.array([np.vdot(c, Ja @ c).real for Ja in J])
        assert np.allclose(mean, S * direction(theta, phi), atol=1e-12)
        # the same state as qutip's rotation of |S,S>, up to a global phase
        assert abs(abs(np.vdot(qt.spin_coherent(S, theta, phi).full().ravel(), c)) - 1) < 1e-12


def test_seed000_eq30_is_the_south_pole_convention():
    """Eq. (30) with K = 2S, exponent j = S and z = e^{i phi} tan(theta/2) is normalised and equals our
    |pi - theta, -phi>: its theta is measured from -z (Fig. 7: 'the z axis has been flipped')."""
    S = 3.0
    dim = 7
    m = S - np.arange(dim)
    for theta, phi in [(0.4, 0.9), (2.0, -2.5)]:
        z = np.exp(1j * phi) * np.tan(theta / 2)
        eq30 = np.sqrt(comb(2 * S, S + m)) * z ** (S + m) / (1 + abs(z) ** 2) ** S
        assert abs(np.linalg.norm(eq30) - 1) < 1e-13
        ours = spin_coherent_state(S, np.pi - theta, -phi)
        assert abs(abs(np.vdot(eq30, ours)) - 1) < 1e-13


@pytest.mark.parametrize("S", [0.5, 2.5, 10.0])
def test_husimi_normalisation(S):
    dim = int(2 * S + 1)
    for rho in (qt.rand_dm(dim, seed=4).full(), np.eye(dim) / dim, crf_state(S, 0.6).rho):
        assert abs(husimi_normalisation(rho) - 1) < 1e-12
    # a state with trace 2 integrates to 2: the identity measures Tr rho, not a fitted constant
    assert abs(husimi_normalisation(2 * np.eye(dim) / dim) - 2) < 1e-12
    # the maximally mixed state is uniform: Q = 1/(2S+1) everywhere
    T, P, Q = husimi_grid(np.eye(dim) / dim, 9, 12)
    assert np.allclose(Q, 1 / dim, atol=1e-14)


def test_husimi_normalisation_by_brute_force_quadrature():
    """Independent of the exact Gauss-Legendre rule: a fine midpoint grid in (theta, phi)."""
    S = 4.0
    st = crf_state(S, 0.8)
    nt, nphi = 400, 64
    th = (np.arange(nt) + 0.5) * np.pi / nt
    ph = np.arange(nphi) * 2 * np.pi / nphi
    T, P = np.meshgrid(th, ph, indexing="ij")
    Q = husimi(st, T, P)
    integral = np.sum(Q * np.sin(T)) * (np.pi / nt) * (2 * np.pi / nphi)
    assert abs((2 * S + 1) / (4 * np.pi) * integral - 1) < 1e-4


@pytest.mark.parametrize("S", [1.5, 20.0])
def test_husimi_of_coherent_state_overlap_law(S):
    """|<n|n'>|^2 = ((1 + n.n')/2)^{2S}: maximal (= 1) at the state's own direction."""
    theta0, phi0 = 1.1, 0.7
    psi = spin_coherent_state(S, theta0, phi0)
    rho = np.outer(psi, psi.conj())
    T, P, Q = husimi_grid(rho, 41, 80)
    n0 = direction(theta0, phi0)
    dots = np.einsum("i,ijk->jk", n0, direction(T, P))
    assert np.allclose(Q, ((1 + dots) / 2) ** (2 * S), atol=1e-13)
    assert abs(husimi(rho, theta0, phi0) - 1) < 1e-13
    i, j = np.unravel_index(np.argmax(Q), Q.shape)
    assert np.arccos(np.clip(n0 @ direction(T[i, j], P[i, j]), -1, 1)) < 0.08  # within one grid step


def test_crf_steady_state_Q_peaks_at_the_stable_fixed_point():
    """Deep in the magnetised phase (lambda = 0.3) the state is nearly coherent along the stable
    mean-field point s = (0, lambda, -sqrt(1 - lambda^2)) (seed 000 eq. 14 and Fig. 7a)."""
    S, lam = 15.0, 0.3
    T, P, Q = husimi_grid(crf_state(S, lam), 91, 180)
    i, j = np.unravel_index(np.argmax(Q), Q.shape)
    fp = np.array([0.0, lam, -np.sqrt(1 - lam ** 2)])
    assert np.arccos(fp @ direction(T[i, j], P[i, j])) < 0.1


def test_large_spin_is_stable():
    """C(2S, S+m) overflows float64 beyond 2S ~ 1030; the log-space amplitudes do not."""
    S = 800.0
    c = spin_coherent_state(S, 1.3, -0.4)
    assert np.all(np.isfinite(c)) and abs(np.linalg.norm(c) - 1) < 1e-10
    rho = np.outer(c, c.conj())
    assert abs(husimi(rho, 1.3, -0.4) - 1) < 1e-10
    far = husimi(rho, 1.8, -0.4)
    assert abs(far / ((1 + np.cos(0.5)) / 2) ** 1600 - 1) < 1e-8  # overlap law, ~1e-43
    S = 60.0
    c = spin_coherent_state(S, 2.2, 1.0)
    assert abs(husimi_normalisation(np.outer(c, c.conj())) - 1) < 1e-11


def test_mpmath_state():
    S = 2.0
    st = crf_state(S, 0.7, dps=30)
    th, ph = np.array([0.3, 2.0]), np.array([1.0, -0.5])
    q = husimi(st, th, ph)
    assert isinstance(q[0], mpmath.mpf)
    flt = husimi(np.array(st.rho.tolist(), dtype=complex), th, ph)
    assert np.allclose(np.array(q, dtype=float), flt, atol=1e-14)
    assert abs(husimi_normalisation(st) - 1) < 1e-12


def test_bad_input():
    with pytest.raises(ModelError, match="theta must lie"):
        spin_coherent_state(1.0, 4.0, 0.0)
    with pytest.raises(ModelError, match="positive integer or half-integer"):
        spin_coherent_state(0.3, 1.0, 0.0)
    with pytest.raises(ModelError, match="square"):
        husimi(np.ones((2, 3)), 0.1, 0.1)
    with pytest.raises(ModelError, match="projection"):
        plot_husimi(np.eye(3) / 3, projection="mercator")


def test_plots_return_figures():
    import matplotlib.pyplot as plt

    st = crf_state(5.0, 0.5)
    for proj in ("sphere", "map"):
        fig = plot_husimi(st, projection=proj, n_theta=20, n_phi=40, title=proj)
        assert isinstance(fig, Figure)
        plt.close(fig)
