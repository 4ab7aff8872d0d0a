r"""Exact two-time correlations, spectra and linewidths of N qubits by the quantum regression theorem (permutation-invariant).

For collective operators A and B (strings of the model, e.g. ``'Sp'``, ``'Sm'``, ``'Sp*Sm'``) and the
steady state :math:`\rho_{ss}` of :func:`numeric.pi.steady.solve_pi`, the quantum regression theorem
gives :math:`\langle A(\tau)B(0)\rangle = \mathrm{Tr}\,A\,e^{\mathcal L\tau}(B\rho_{ss})` (QuTiP's
``correlation_2op_1t``).  Everything is computed on the weighted blocks :math:`x_j = d_j\rho_j` of
:mod:`numeric.pi.state`: :math:`B\rho` is the left product on every block (the exact structure
``superop_structure(basis, ("L", word))`` of :mod:`numeric.pi.superops`) and
:math:`\mathrm{Tr}(AX) = \sum_j\mathrm{tr}(A_jX_j)` (the convention of :meth:`PIState.expect`), a fixed
row vector of the weighted-block coordinates.

When the Liouvillian conserves :math:`q = m - m'` (U(1), e.g. the superradiant laser) or its parity,
:math:`B\rho_{ss}` lives in the charge sector(s) of B and only that sector of
:math:`\mathcal L` is used (for the laser and ``B = 'Sm'`` the sector :math:`q = -1`, about
:math:`N^2/4` unknowns instead of :math:`N^3/6`).

The spectrum is :math:`S(\omega) = 2\,\mathrm{Re}\int_0^\infty e^{i\omega\tau}\,
[\langle A(\tau)B(0)\rangle - \langle A\rangle\langle B\rangle]\,d\tau = -2\,\mathrm{Re}\,
\mathrm{Tr}\,A(\mathcal L + i\omega)^{-1}X_0` with :math:`X_0 = B\rho_{ss} - \langle B\rangle\rho_{ss}`
(the convention of :func:`numeric.semiclassical.cumulant_correlations.spectrum`; QuTiP's
``spectrum`` uses :math:`e^{-i\omega\tau}`, i.e. it is this one at :math:`-\omega`), from one sparse LU
per frequency.  In a sector that holds the steady state the resolvent is taken from the bordered system
:math:`\begin{pmatrix}\mathcal L + i\omega & \rho_{ss}\\ \mathrm{tr} & 0\end{pmatrix}`, regular also at
:math:`\omega = 0` (:math:`X_0` is traceless, so the border's multiplier is 0 and the solution is the
resolvent's on traceless matrices).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import scipy.optimize as so
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp
from numpy.typing import ArrayLike

from analytic.algebra import Op
from analytic.model import Model, ModelError
from numeric.core.errors import SolverError
from numeric.pi.basis import DickeBasis, check_N
from numeric.pi.liouvillian import PILiouvillian
from numeric.pi.state import PIState
from numeric.pi.steady import check_resources, solve_pi
from numeric.pi.superops import superop_structure, word_local
from numeric.solvers.eigs import eigs_near_zero
from numeric.states.observables import as_operator

__all__ = ["CorrelationSystem", "Linewidth", "Modes", "correlation_system", "correlation_pi",
           "correlation_spectrum_pi", "linewidth_pi", "trace_row", "left_product", "charge_sector"]


# =========================================================================== building blocks
def _words(model: Model, op: Op, values: Mapping) -> list:
    """[(letters tuple, complex coefficient)] of a collective operator at the given values."""
    out = []
    for w, c in op.terms.items():
        v = complex(sp.sympify(c).subs(values))
        if not np.isfinite(abs(v)):
            raise ModelError(f"operator coefficient {c} is not finite at the given values")
        if v != 0:
            out.append((tuple(g.letter for g in w), v))
    return out


def trace_row(basis: DickeBasis, words: list) -> np.ndarray:
    r"""The row r with :math:`r\cdot x = \mathrm{Tr}(A\rho) = \sum_j\mathrm{tr}(A_jx_j)` on the weighted blocks
    (``words``: ``[(letters, coefficient)]`` of A; same sum as :meth:`PIState.expect`)."""
    r = np.zeros(basis.n, dtype=complex)
    for word, c in words:
        for k, tj in enumerate(basis.tj):
            a, t, s, n, d = word_local(int(tj), word)
            if len(a) == 0:
                continue
            vals = s * np.sqrt(n.astype(float) / d.astype(float))
            # tr(W x) = sum_a W[t(a), a] x[a, t(a)]
            np.add.at(r, basis.offsets[k] + a + t * (int(tj) + 1), c * vals)
    return r


def left_product(basis: DickeBasis, words: list) -> sps.csr_matrix:
    r"""The superoperator :math:`x \mapsto Bx` (B on every weighted block) as a sparse matrix."""
    n = basis.n
    M = sps.csr_matrix((n, n), dtype=complex)
    for word, c in words:
        s = superop_structure(basis, ("L", word))
        M = M + sps.csr_matrix((c * s.fvals, (s.rows, s.cols)), shape=(n, n))
    return M.tocsr()


def charge_sector(basis: DickeBasis, symmetries: dict, x: np.ndarray, rtol: float = 0.0) -> np.ndarray:
    r"""Indices of the smallest symmetry sector of the Liouvillian that holds the support of ``x``: the
    values of :math:`q = m - m'` met in the support for a U(1) model, their parity for a
    :math:`\Pi_1` model, everything otherwise (the sector is invariant under :math:`\mathcal L`)."""
    q = basis.q
    big = np.abs(x) > rtol * (np.abs(x).max() if x.size else 0.0)
    if symmetries.get("u1"):
        sel = np.isin(q, np.unique(q[big]))
    elif symmetries.get("z2"):
        sel = np.isin(q % 2, np.unique(q[big] % 2))
    else:
        sel = np.ones(basis.n, dtype=bool)
    return np.nonzero(sel)[0]


# =========================================================================== results
@dataclass
class Linewidth:
    """Full width at half maximum of a spectral peak: ``fwhm = right - left`` around ``center``."""

    fwhm: float
    center: float
    peak: float
    left: float
    right: float
    evaluations: int


@dataclass
class Modes:
    r"""Eigen-decomposition of the connected correlation in the slowest modes: :math:`\lambda_k`,
    weights :math:`w_k` with :math:`\langle A(\tau)B\rangle_c = \sum_k w_k e^{\lambda_k\tau}`,
    ``fraction`` :math:`w_k/\langle AB\rangle_c` (of the equal-time weight, which is
    :math:`\int S\,d\omega/2\pi` for :math:`A = B^\dagger`) and ``peak_share`` :math:`-2\mathrm{Re}[w_k/(i\omega_0 + \lambda_k)]/S(\omega_0)`."""

    eigenvalues: np.ndarray
    weights: np.ndarray
    fraction: np.ndarray
    peak_share: np.ndarray
    omega0: float


@dataclass
class CorrelationSystem:
    r"""The pieces of :math:`\langle A(\tau)B(0)\rangle` in one symmetry sector (see the module docstring):
    ``info`` records the sector size, the steady state's residual and the largest backward error of
    the resolvent solves;
    the sector Liouvillian ``L``, the connected initial vector ``x0``
    (:math:`B\rho_{ss} - \langle B\rangle\rho_{ss}`), the trace row ``row`` of A, ``g_inf``
    :math:`= \langle A\rangle\langle B\rangle` and ``g0`` :math:`= \langle AB\rangle - \langle A\rangle\langle B\rangle`."""

    model: Model
    N: int
    A: str
    B: str
    L: sps.csr_matrix
    x0: np.ndarray
    row: np.ndarray
    g_inf: complex
    g0: complex
    state: PIState
    sector: np.ndarray
    bordered: bool
    info: dict = field(default_factory=dict)
    _rho: np.ndarray = field(default=None, repr=False)
    _tr: np.ndarray = field(default=None, repr=False)
    _evals: int = field(default=0, repr=False)

    # ---------------------------------------------------------------- correlation
    def correlation(self, taus: ArrayLike, connected: bool = False) -> np.ndarray:
        r""":math:`\langle A(\tau)B(0)\rangle` (minus :math:`\langle A\rangle\langle B\rangle` if ``connected``)
        at ``taus`` >= 0, by :func:`scipy.sparse.linalg.expm_multiply` from one tau to the next."""
        t = np.asarray(taus, dtype=float)
        if np.any(t < 0) or not np.all(np.isfinite(t)):
            raise ModelError("correlation_pi: taus must be finite and >= 0 (<A(tau)B(0)> for tau >= 0)")
        flat = t.ravel()
        order = np.argsort(flat, kind="stable")
        out = np.zeros(flat.size, dtype=complex)
        x, now = self.x0.copy(), 0.0
        L = self.L.tocsc()
        for i in order:
            dt = flat[i] - now
            if dt > 0:
                x = spla.expm_multiply(L * dt, x)
                now = flat[i]
            out[i] = self.row @ x
        g = out.reshape(t.shape)
        return g if connected else g + self.g_inf

    # ---------------------------------------------------------------- spectrum
    def _resolvent(self, omega: float) -> complex:
        r""":math:`\mathrm{Tr}\,A(\mathcal L + i\omega)^{-1}X_0` (one sparse LU)."""
        n = self.L.shape[0]
        M = (self.L + 1j * omega * sps.identity(n, dtype=complex, format="csr")).tocsc()
        rhs = self.x0
        if self.bordered:
            M = sps.bmat([[M, sps.csc_matrix(self._rho.reshape(-1, 1))],
                          [sps.csr_matrix(self._tr.reshape(1, -1)), None]], format="csc")
            rhs = np.concatenate([self.x0, [0.0]])
        try:
            lu = spla.splu(M, permc_spec="MMD_AT_PLUS_A")  # minimum degree on A + A^T: ~10x less fill than COLAMD
        except RuntimeError as exc:  # an exactly singular (L + i omega) outside the steady-state sector
            raise SolverError(f"correlation_spectrum_pi: L + i omega is singular at omega = {omega!r} ({exc})") from None
        y = lu.solve(rhs)
        y = y + lu.solve(rhs - M @ y)  # one step of iterative refinement
        back = float(np.abs(rhs - M @ y).max() / (abs(M).sum(axis=1).max() * np.abs(y).max() + np.abs(rhs).max()))
        self.info["resolvent_backward_error"] = max(back, self.info.get("resolvent_backward_error", 0.0))
        if not back <= 1e-12:
            raise SolverError(f"correlation_spectrum_pi: the resolvent at omega = {omega!r} has backward error "
                              f"{back:.1e} > 1e-12 (ill-conditioned L + i omega)")
        self._evals += 1
        return complex(self.row @ y[:n])

    def spectrum(self, omegas: ArrayLike) -> np.ndarray:
        r"""The connected spectrum :math:`S(\omega) = -2\,\mathrm{Re}\,\mathrm{Tr}\,A(\mathcal L + i\omega)^{-1}X_0`."""
        w = np.asarray(omegas, dtype=float)
        if not np.all(np.isfinite(w)):
            raise ModelError("correlation_spectrum_pi: omegas must be finite")
        return np.array([-2.0 * self._resolvent(float(x)).real for x in w.ravel()]).reshape(w.shape)

    def linewidth(self, center: float | None = None, grid: ArrayLike | None = None, xtol: float = 1e-10) -> Linewidth:
        r"""FWHM of the spectral peak.  The peak: the maximum of :math:`S` on ``grid`` (default: ``center``,
        default 0) refined by a bounded scalar maximisation between the grid neighbours; then each half
        maximum is bracketed by doubling steps outward from the peak (first step the Lorentzian
        half width :math:`2|\langle AB\rangle_c|/S_{\max}`) and found by :func:`scipy.optimize.brentq`."""
        S = lambda x: float(self.spectrum(x))
        n0 = self._evals
        if grid is not None:
            g = np.sort(np.asarray(grid, dtype=float).ravel())
            vals = self.spectrum(g)
            i = int(np.argmax(vals))
            lo, hi = g[max(i - 1, 0)], g[min(i + 1, len(g) - 1)]
            c = g[i]
            if hi > lo:
                res = so.minimize_scalar(lambda x: -S(x), bounds=(lo, hi), method="bounded",
                                         options={"xatol": xtol * max(1.0, hi - lo)})
                if -res.fun > vals[i]:
                    c = float(res.x)
        else:
            c = 0.0 if center is None else float(center)
        peak = S(c)
        if not peak > 0:
            raise SolverError(f"linewidth: the spectrum at the peak omega = {c:.6g} is {peak:.3g}, not positive")
        half = peak / 2
        step0 = 2 * abs(self.g0) / peak if self.g0 != 0 else 1.0  # a Lorentzian's half width
        ends = []
        for sgn in (-1.0, 1.0):
            inner, step = c, step0
            for _ in range(200):
                outer = c + sgn * step
                if S(outer) < half:
                    break
                inner, step = outer, 2 * step
            else:
                raise SolverError("linewidth: no half maximum found within 2^200 half widths of the peak")
            a, b = sorted((inner, outer))
            ends.append(so.brentq(lambda x: S(x) - half, a, b, xtol=xtol * max(1.0, abs(step0)), rtol=1e-14))
        return Linewidth(float(ends[1] - ends[0]), float(c), peak, float(ends[0]), float(ends[1]),
                         self._evals - n0)

    # ---------------------------------------------------------------- modes
    def modes(self, k: int = 4, omega0: float = 0.0) -> Modes:
        r"""The ``k`` slowest eigenmodes of the sector Liouvillian (right and left eigenvectors) and their
        weights in the connected correlation (the zero mode of a steady-state sector carries none)."""
        lam, R = eigs_near_zero(self.L, min(k, self.L.shape[0]), vectors=True)
        # a few more on the left: a complex pair of equal modulus may be split at the k-th eigenvalue
        mu, Lv = eigs_near_zero(self.L.conj().T.tocsr(), min(k + 4, self.L.shape[0]), vectors=True)
        w = np.zeros(len(lam), dtype=complex)
        for i, l in enumerate(lam):
            j = int(np.argmin(np.abs(np.conj(mu) - l)))
            if abs(np.conj(mu[j]) - l) > 1e-6 * max(1.0, abs(l)):
                raise SolverError(f"modes: no left eigenvector for the eigenvalue {l:.6g}")
            left, right = Lv[:, j], R[:, i]
            w[i] = (self.row @ right) * (np.conj(left) @ self.x0) / (np.conj(left) @ right)
        zero = np.abs(lam) <= 1e-9 * max(1.0, float(abs(self.L).sum(axis=1).max()))
        w[zero] = 0.0  # the steady state: X0 is traceless
        S0 = float(self.spectrum(omega0))
        contrib = np.where(zero, 0.0, -2.0 * np.real(w / (1j * omega0 + np.where(zero, 1.0, lam))))
        frac = w / self.g0 if self.g0 != 0 else np.full(len(w), np.nan)
        return Modes(lam, w, frac, contrib / S0, float(omega0))


# =========================================================================== entry points
def correlation_system(model: Model, values: Mapping, N: int, A: str | Op, B: str | Op,
                       max_memory: int | float | str | None = None, state: PIState | None = None) -> CorrelationSystem:
    r"""The sector Liouvillian, initial vector and trace row of :math:`\langle A(\tau)B(0)\rangle` in the
    exact steady state of N qubits (``state``: a steady state of the same model, values and N, else
    :func:`numeric.pi.steady.solve_pi`; ``max_memory`` as there)."""
    t0 = time.perf_counter()
    N = check_N(N)
    check_resources(model, values, N, max_memory, "correlation_pi")
    st = state if state is not None else solve_pi(model, values, N, max_memory=max_memory)
    if not isinstance(st, PIState) or st.N != N or st.model.name != model.name:
        raise ModelError("correlation_pi: state must be a PIState of the same model and N")
    pl = PILiouvillian(model, values, N)
    b = pl.basis
    Aop, Bop = as_operator(model, A), as_operator(model, B)
    wa, wb = _words(model, Aop, pl.vals), _words(model, Bop, pl.vals)
    x = st.x
    bx = left_product(b, wb) @ x
    ra = trace_row(b, wa)
    mean_b = complex(trace_row(b, wb) @ x)
    mean_a = complex(ra @ x)
    x0 = bx - mean_b * x
    sel = charge_sector(b, pl.symmetries, bx)
    bordered = bool(np.any(b.q[sel] == 0))  # the sector holds the steady state (q = 0 entries)
    Ls = pl.L[sel][:, sel].tocsr()
    tr = np.zeros(b.n)
    tr[b.a == b.b] = 1.0
    sys_ = CorrelationSystem(model, N, str(A), str(B), Ls, x0[sel], ra[sel], mean_a * mean_b,
                             complex(ra @ x0), st, sel, bordered, _rho=x[sel], _tr=tr[sel])
    lost = float(np.abs(x0).sum() - np.abs(x0[sel]).sum())
    if lost > 1e-12 * max(1.0, float(np.abs(x0).sum())):  # pragma: no cover - the sector holds B rho by construction
        raise SolverError(f"correlation_pi: B rho_ss leaves its symmetry sector ({lost:.2e})")
    sys_.info = {"sector_size": int(len(sel)), "unknowns": int(b.n), "steady_residual": st.residual,
                 "build_time": time.perf_counter() - t0}
    return sys_


def correlation_pi(model: Model, values: Mapping, N: int, A: str | Op, B: str | Op, taus: ArrayLike,
                   connected: bool = False, max_memory: int | float | str | None = None) -> np.ndarray:
    r"""Exact :math:`\langle A(\tau)B(0)\rangle` in the steady state of N qubits (quantum regression, the
    module docstring), at ``taus`` >= 0; ``connected`` subtracts :math:`\langle A\rangle\langle B\rangle`.

    Example: ``correlation_pi(driven_dicke(), {'Omega': 1.3, 'gamma_c': 1, 'gamma_s': 0.3}, 4, 'Sp',
    'Sm', [0, 0.5, 1])``."""
    return correlation_system(model, values, N, A, B, max_memory).correlation(taus, connected)


def correlation_spectrum_pi(model: Model, values: Mapping, N: int, A: str | Op, B: str | Op, omegas: ArrayLike,
                            max_memory: int | float | str | None = None) -> np.ndarray:
    r"""Exact connected spectrum :math:`S(\omega) = 2\,\mathrm{Re}\int_0^\infty e^{i\omega\tau}[\langle A(\tau)B(0)
    \rangle - \langle A\rangle\langle B\rangle]\,d\tau` of N qubits from the resolvent (module docstring;
    QuTiP's ``spectrum(H, w, c_ops, A, B)`` is this at :math:`-\omega`)."""
    return correlation_system(model, values, N, A, B, max_memory).spectrum(omegas)


def linewidth_pi(model: Model, values: Mapping, N: int, A: str | Op = "Sp", B: str | Op = "Sm",
                 center: float | None = None, grid: ArrayLike | None = None,
                 max_memory: int | float | str | None = None) -> Linewidth:
    r"""FWHM of the exact spectrum of :math:`\langle A(\tau)B(0)\rangle` (default the emission spectrum
    :math:`\langle S^+(\tau)S^-(0)\rangle`) around its peak (:meth:`CorrelationSystem.linewidth`)."""
    return correlation_system(model, values, N, A, B, max_memory).linewidth(center, grid)
