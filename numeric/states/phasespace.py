r"""SU(2) Husimi Q function of a spin state on the sphere (seed 000 eqs. 29-30) and its plot.

The spin coherent state used here is normalised and points along
:math:`\mathbf n = (\sin\theta\cos\phi, \sin\theta\sin\phi, \cos\theta)`,

.. math:: |\theta,\phi\rangle = e^{-i\phi S_z}e^{-i\theta S_y}|S,S\rangle \simeq
          \sum_{m=-S}^{S}\sqrt{\binom{2S}{S+m}}\cos^{S+m}\tfrac\theta2\,\sin^{S-m}\tfrac\theta2\,
          e^{i(S-m)\phi}\,|S,m\rangle

(up to a global phase), so that :math:`\langle\theta,\phi|\mathbf S|\theta,\phi\rangle = S\mathbf n`.
Seed 000 eq. (30) writes :math:`|z\rangle = (1+|z|^2)^{-j}\sum_m\sqrt{\binom{K}{S+m}}z^{S+m}|S,m\rangle`
with :math:`K = 2S`, the exponent j meaning S, and :math:`z = e^{i\phi}\tan(\theta/2)`; that state
points along :math:`(\sin\theta\cos\phi, -\sin\theta\sin\phi, -\cos\theta)` -- the angle
:math:`\theta` is measured from the *south* pole (hence "the z axis has been flipped" in the caption
of seed 000 Fig. 7).  Both are normalised; with :math:`Q(\theta,\phi) =
\langle\theta,\phi|\rho|\theta,\phi\rangle` (eq. 29) the resolution of the identity gives

.. math:: \frac{2S+1}{4\pi}\int Q\,d\Omega = \mathrm{Tr}\,\rho = 1 .

Amplitudes are computed in log space (``gammaln``), so any S works without overflow.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import mpmath
import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammaln, xlogy

from analytic.model import ModelError
from numeric.states.state import StateLike

if TYPE_CHECKING:  # annotations only: matplotlib is imported when plotting
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_CHUNK = 1 << 20

__all__ = ["spin_coherent_state", "husimi", "husimi_grid", "husimi_normalisation", "plot_husimi"]


def _spin_from_dim(dim: int) -> float:
    return (dim - 1) / 2


def _angles(theta, phi):
    theta = np.asarray(theta, dtype=float)
    phi = np.asarray(phi, dtype=float)
    if not (np.all(np.isfinite(theta)) and np.all(np.isfinite(phi))):
        raise ModelError("theta and phi must be finite")
    if np.any(theta < -1e-12) or np.any(theta > np.pi + 1e-12):
        raise ModelError(f"theta must lie in [0, pi], got values in [{theta.min()}, {theta.max()}]")
    return np.clip(theta, 0.0, np.pi), phi


def spin_coherent_state(S: float, theta: ArrayLike, phi: ArrayLike) -> np.ndarray:
    r"""Normalised spin coherent states :math:`|\theta,\phi\rangle` pointing along
    :math:`\mathbf n(\theta,\phi)`, in the Dicke basis (index i <-> m = S - i).

    Parameters
    ----------
    S : float
        Spin length (positive integer or half-integer).
    theta, phi : array_like
        Polar angle in [0, pi] (from +z) and azimuth; broadcast together.

    Returns
    -------
    numpy.ndarray
        Amplitudes of shape ``broadcast(theta, phi).shape + (2S+1,)``.
    """
    from numeric.core.operators import check_spin_length

    S = float(check_spin_length(S))
    theta, phi = _angles(theta, phi)
    theta, phi = np.broadcast_arrays(theta, phi)
    m = S - np.arange(int(round(2 * S)) + 1)
    log_binom = gammaln(2 * S + 1) - gammaln(S + m + 1) - gammaln(S - m + 1)
    c = np.cos(theta / 2)[..., None]
    s = np.sin(theta / 2)[..., None]
    # xlogy(0, 0) = 0: the poles have a single nonzero amplitude
    logamp = 0.5 * log_binom + xlogy(S + m, np.abs(c)) + xlogy(S - m, np.abs(s))
    return np.exp(logamp) * np.exp(1j * (S - m) * phi[..., None])


def _spin_rho(state, spin):
    """The spin's density matrix (numpy or mpmath), its S, and whether it is mpmath."""
    from numeric.states.observables import State

    if isinstance(state, State):
        rho = state._reduced_of(state._spin(spin))
        return rho, float(state.spin_length(spin)), state.dps
    if isinstance(state, mpmath.matrix):
        if state.rows != state.cols:
            raise ModelError(f"state must be a square density matrix, got {state.rows}x{state.cols}")
        return state, _spin_from_dim(state.rows), mpmath.mp.dps
    rho = np.asarray(state, dtype=complex)
    if rho.ndim != 2 or rho.shape[0] != rho.shape[1]:
        raise ModelError(f"state must be a State or a square density matrix, got shape {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ModelError("state contains NaN or infinite entries")
    return rho, _spin_from_dim(rho.shape[0]), None


def husimi(state: StateLike | ArrayLike, theta: ArrayLike, phi: ArrayLike, spin: str | None = None) -> np.ndarray:
    r"""Husimi function :math:`Q(\theta,\phi) = \langle\theta,\phi|\rho|\theta,\phi\rangle`
    (seed 000 eq. 29) of a spin.

    Parameters
    ----------
    state : numeric.states.observables.State or array_like
        A :class:`~numeric.states.observables.State` (the spin ``spin`` is traced out of the others) or a
        (2S+1)x(2S+1) spin density matrix in the Dicke basis.
    theta, phi : array_like
        Direction of the coherent state (see :func:`spin_coherent_state`).
    spin : str, optional
        Spin name when the model has several.

    Returns
    -------
    numpy.ndarray
        Q with shape ``broadcast(theta, phi).shape``, in [0, 1].  For an arbitrary-precision
        state (``dps``) the sum is done in mpmath at that precision and an object array of
        ``mpf`` is returned.
    """
    rho, S, dps = _spin_rho(state, spin)
    if dps:
        theta, phi = _angles(theta, phi)
        theta, phi = np.broadcast_arrays(theta, phi)
        out = np.empty(theta.shape, dtype=object)
        dim = int(round(2 * S)) + 1
        with mpmath.workdps(dps):
            logb = [mpmath.log(mpmath.binomial(int(round(2 * S)), i)) for i in range(dim)]  # C(2S, S+m), m = S - i
            for idx in np.ndindex(theta.shape):
                th, ph = mpmath.mpf(theta[idx]), mpmath.mpf(phi[idx])
                c2, s2 = mpmath.cos(th / 2), mpmath.sin(th / 2)
                amp = []
                for i in range(dim):  # S + m = 2S - i, S - m = i
                    a = mpmath.exp(logb[i] / 2) * _powm(c2, 2 * S - i) * _powm(s2, i)
                    amp.append(a * mpmath.expj(i * ph))
                q = mpmath.fsum(mpmath.conj(amp[i]) * rho[i, j] * amp[j] for i in range(dim) for j in range(dim))
                out[idx] = +mpmath.re(q)
        return out
    theta, phi = np.broadcast_arrays(*_angles(theta, phi))
    shape = theta.shape
    th, ph = theta.ravel(), phi.ravel()
    dim = rho.shape[0]
    q = np.empty(th.size)
    step = max(1, _CHUNK // dim)  # bounded memory: about _CHUNK amplitudes at a time
    for k in range(0, th.size, step):
        c = spin_coherent_state(S, th[k:k + step], ph[k:k + step])
        q[k:k + step] = np.real(np.einsum("pi,pi->p", c.conj() @ rho, c))
    return q.reshape(shape)


def _powm(x, n):
    return mpmath.mpf(1) if n == 0 else x ** n


def husimi_grid(state: StateLike | ArrayLike, n_theta: int = 64, n_phi: int = 128,
                spin: str | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Q on a regular grid: ``theta`` in [0, pi] (``n_theta`` points, poles included) and
    ``phi`` in [0, 2 pi) (``n_phi`` points).  Returns ``(theta, phi, Q)`` with 2-d arrays of shape
    ``(n_theta, n_phi)`` (float64; an arbitrary-precision state is rounded to float64 here)."""
    if int(n_theta) < 2 or int(n_phi) < 3:
        raise ModelError(f"grid too small: n_theta={n_theta!r} (>= 2), n_phi={n_phi!r} (>= 3)")
    th = np.linspace(0, np.pi, int(n_theta))
    ph = np.linspace(0, 2 * np.pi, int(n_phi), endpoint=False)
    T, P = np.meshgrid(th, ph, indexing="ij")
    rho, S, dps = _spin_rho(state, spin)
    if dps:
        rho = np.array(rho.tolist(), dtype=complex)
    return T, P, husimi(rho, T, P)


def husimi_normalisation(state: StateLike | ArrayLike, spin: str | None = None, n_theta: int | None = None) -> float:
    r""":math:`\frac{2S+1}{4\pi}\int Q\,d\Omega`, which must equal :math:`\mathrm{Tr}\,\rho = 1`.

    The integral is exact up to rounding: Q is a trigonometric polynomial of degree 2S in
    :math:`\phi` (trapezoid rule with 2S+1 or more points is exact) and, averaged over
    :math:`\phi`, a polynomial of degree 2S in :math:`\cos\theta` (Gauss-Legendre with
    ``n_theta`` >= S+1 nodes is exact; default S+2)."""
    rho, S, dps = _spin_rho(state, spin)
    if dps:
        rho = np.array(rho.tolist(), dtype=complex)
    nt = int(n_theta) if n_theta is not None else int(np.ceil(S)) + 2
    x, w = np.polynomial.legendre.leggauss(nt)
    n_phi = int(round(2 * S)) + 3
    ph = np.linspace(0, 2 * np.pi, n_phi, endpoint=False)
    T, P = np.meshgrid(np.arccos(x), ph, indexing="ij")
    Q = husimi(rho, T, P)
    integral = np.sum(w[:, None] * Q) * (2 * np.pi / n_phi)
    return float((2 * S + 1) / (4 * np.pi) * integral)


def plot_husimi(state: StateLike | ArrayLike, *, spin: str | None = None, n_theta: int = 64, n_phi: int = 128,
                projection: str = "sphere", ax: Axes | None = None, cmap: str = "viridis",
                title: str | None = None) -> Figure:
    r"""Plot the Husimi Q function of a spin (seed 000 Fig. 7).

    Parameters
    ----------
    state : State or array_like
        As in :func:`husimi`.
    projection : {'sphere', 'map'}
        ``'sphere'``: colour on the Bloch sphere (3-d axes); ``'map'``: :math:`(\phi, \theta)` map.
    ax : matplotlib Axes, optional
        Axes to draw into (3-d axes for ``'sphere'``); a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib import cm, colors

    if projection not in ("sphere", "map"):
        raise ModelError(f"projection must be 'sphere' or 'map', got projection={projection!r}")
    T, P, Q = husimi_grid(state, n_theta, n_phi, spin)
    if projection == "map":
        if ax is None:
            fig, ax = plt.subplots(figsize=(6, 3.5))
        fig = ax.figure
        mesh = ax.pcolormesh(P, T, Q, shading="auto", cmap=cmap)
        ax.set_xlabel(r"$\phi$")
        ax.set_ylabel(r"$\theta$")
        ax.invert_yaxis()
        fig.colorbar(mesh, ax=ax, label="Q")
    else:
        if ax is None:
            fig = plt.figure(figsize=(5, 5))
            ax = fig.add_subplot(projection="3d")
        fig = ax.figure
        # close the sphere in phi for drawing
        T = np.concatenate([T, T[:, :1]], axis=1)
        P = np.concatenate([P, P[:, :1] + 2 * np.pi], axis=1)
        Q = np.concatenate([Q, Q[:, :1]], axis=1)
        norm = colors.Normalize(vmin=0.0, vmax=float(Q.max()))
        ax.plot_surface(np.sin(T) * np.cos(P), np.sin(T) * np.sin(P), np.cos(T),
                        facecolors=matplotlib.colormaps[cmap](norm(Q)),
                        rstride=1, cstride=1, linewidth=0, antialiased=False, shade=False)
        i, j = np.unravel_index(np.argmax(Q), Q.shape)  # look at the maximum of Q
        ax.view_init(elev=90 - np.degrees(T[i, j]), azim=np.degrees(P[i, j]))
        ax.set_box_aspect((1, 1, 1))
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_zlabel("z")
        fig.colorbar(cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, label="Q")
    if title:
        ax.set_title(title)
    return fig
