"""The metastable two-state decomposition of seed 004 (rho_+, rho_-, weights and switching rates)."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np

from analytic.model import Model, ModelError
from numeric.pi.basis import DickeBasis
from numeric.pi.liouvillian import PILiouvillian, to_vec
from numeric.pi.state import PIState
from numeric.pi.steady import PISystem, solve_pi
from numeric.solvers.eigs import eigs_near_zero

__all__ = ["Metastable", "metastable_pi"]


@dataclass
class Metastable:
    r"""Seed 004 Sec. IV and VI: :math:`\rho_1 = \rho_+ - \rho_-` (slowest eigenmatrix split by the
    sign of its eigenvalues), weights :math:`a_\pm = \mathrm{tr}(\rho_s\rho_\pm)/\mathrm{tr}\rho_\pm^2`
    (eq. 5, Hilbert-space traces with the degeneracies), switching rates
    :math:`\Gamma_\pm = \lambda_1 a_\mp` (eq. 10).

    ``a_plus_blocks``, ``a_minus_blocks``: the same projection with the Frobenius product of the
    weighted blocks, :math:`\sum_j\mathrm{tr}(x_jy_j)` (the inner product of piqs' Dicke-basis
    matrices).  These reproduce the numbers printed in seed 004 (N = 18, Omega = 0.73 Omega_c:
    a_+ = 0.40, a_- = 0.50), which were therefore computed with piqs matrices; eq. (5) with true
    traces gives a_- = 0.70 there."""

    lambda1: float
    rho_plus: PIState
    rho_minus: PIState
    steady: PIState
    a_plus: float
    a_minus: float
    gamma_plus: float
    gamma_minus: float
    a_plus_blocks: float = float("nan")
    a_minus_blocks: float = float("nan")


def _overlap(x1: np.ndarray, x2: np.ndarray, basis: DickeBasis) -> float:
    """Tr(rho1 rho2) = sum_j tr(x1_j x2_j)/d_j."""
    return float(sum(np.real(np.sum(A * B.T)) * float(Fraction(1, d))
                     for A, B, d in zip(basis.blocks(x1), basis.blocks(x2), basis.deg)))


def metastable_pi(model: Model, values: Mapping, N: int, orient: str = "Sx*Sx + Sy*Sy + Sz*Sz",
                  max_memory: int | float | str | None = None) -> Metastable:
    r"""Metastable decomposition of seed 004 (Sec. IV, eqs. 4, 5, 9, 10).

    :math:`\rho_1` is the eigenmatrix of the non-zero eigenvalue :math:`-\lambda_1` closest to 0 in
    the steady-state sector (a real eigenvalue, Hermitian eigenmatrix, solved in the real form);
    :math:`\rho_\pm` are the normalised positive and negative parts of :math:`\rho_1` (block by
    block, :math:`\rho = \bigoplus_j\rho_j\otimes 1_{d_j}`), oriented so that :math:`\rho_+` has the
    larger :math:`\langle\,\mathrm{orient}\,\rangle` (default :math:`\mathbf S^2`: the collective,
    CRSS-like state of seed 004).  ``max_memory`` as in :func:`numeric.pi.steady.solve_pi`, whose estimate
    (checked from N before anything is built) also bounds the shift-invert factorisation here.
    """
    st = solve_pi(model, values, N, max_memory=max_memory)
    pl = PILiouvillian(model, values, N)
    sys_ = PISystem(pl)
    A = sys_.A0.tocsc()
    ev, V = eigs_near_zero(A, min(4, A.shape[0]), sigma=1e-9 * pl.scale, vectors=True)
    nz = np.nonzero(np.abs(ev) > 1e-9 * pl.scale)[0]
    if len(nz) == 0:
        raise ModelError("metastable_pi: no non-zero eigenvalue found")
    i = nz[np.argmax(ev[nz].real)]
    lam = ev[i]
    if abs(lam.imag) > 1e-8 * max(abs(lam.real), 1e-300):
        raise ModelError(f"metastable_pi: the slowest eigenvalue {lam} is not real; no two-state decomposition")
    y = V[:, i]
    y = y.real if np.linalg.norm(y.real) >= np.linalg.norm(y.imag) else y.imag
    x1 = to_vec(sys_.rf, y)
    plus, minus = [], []
    for B in pl.basis.blocks(x1):
        H = (B + B.conj().T) / 2
        w, U = np.linalg.eigh(H)
        plus.append((U * np.clip(w, 0, None)) @ U.conj().T)
        minus.append((U * np.clip(-w, 0, None)) @ U.conj().T)
    xp, xm = pl.basis.vector(plus), pl.basis.vector(minus)
    tp = sum(np.trace(B).real for B in plus)
    tm = sum(np.trace(B).real for B in minus)
    if tp <= 0 or tm <= 0:
        raise ModelError("metastable_pi: rho_1 is not traceless with both signs; no decomposition")
    xp, xm = xp / tp, xm / tm
    sp_ = PIState(model, pl.N, xp, pl.vals, info={"eigenvalue": lam})
    sm_ = PIState(model, pl.N, xm, pl.vals, info={"eigenvalue": lam})
    if sp_.expect(orient) < sm_.expect(orient):
        sp_, sm_ = sm_, sp_
    ap = _overlap(st.x, sp_.x, pl.basis) / _overlap(sp_.x, sp_.x, pl.basis)
    am = _overlap(st.x, sm_.x, pl.basis) / _overlap(sm_.x, sm_.x, pl.basis)
    lam1 = float(-lam.real)
    fro = lambda a, b: float(np.real(np.vdot(a, b)))
    apb = fro(sp_.x, st.x) / fro(sp_.x, sp_.x)
    amb = fro(sm_.x, st.x) / fro(sm_.x, sm_.x)
    return Metastable(lam1, sp_, sm_, st, ap, am, lam1 * am, lam1 * ap, apb, amb)
