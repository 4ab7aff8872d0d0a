r"""Liouvillian spectra near zero, resolved by U(1) symmetry sectors, and the spectral gap.

Convention (hbar = 1, QuTiP's): :math:`\mathcal L\rho = -i[H,\rho] + \sum_k r_k(L_k\rho L_k^\dagger
- \tfrac12\{L_k^\dagger L_k,\rho\})`, column stacking (:mod:`numeric.core.liouvillian`).

Symmetry sectors: when the Hamiltonian is neutral and every jump carries a definite charge
under :math:`Q = \sum_k c_k Z_k` (found by :func:`numeric.core.liouvillian.u1_charges` from the
model's words, e.g. :math:`S^z_a + S^z_b` for the gain-loss dimer of seed 002), the Liouvillian
maps :math:`|i\rangle\langle j|` with :math:`q_i - q_j = s` into the same difference :math:`s`:
it is block diagonal in the sector label :math:`s` (a tuple with one entry per charge).  The
steady state lies in :math:`s = 0`.

Eigenvalues closest to 0 are found by shift-invert Arnoldi (``scipy.sparse.linalg.eigs``) with a
small positive real shift (the Liouvillian is singular), or densely for small blocks: the one
routine :func:`numeric.solvers.eigs.eigs_near_zero`.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from analytic.model import Model, ModelError
from numeric.core import resources
from numeric.core.operators import Size, Truncation
from numeric.solvers.eigs import eigs_near_zero
from numeric.solvers.steady import to_permutational
from numeric.pi.spectra import gap_pi, spectrum_pi
from numeric.core.liouvillian import (superop, hamiltonian_and_jumps, real_form, sector_of_charges, setup,
                          sign_symmetries, u1_charges)

__all__ = ["spectrum", "gap", "sectors"]

def _prepare(model, values, S, truncation, sizes, max_memory=None, what="spectrum"):
    rep, vals = setup(model, values, S, truncation, **sizes)
    H, jumps = hamiltonian_and_jumps(model, rep, vals)
    charges = u1_charges(model, vals)
    # the steady-state estimate bounds the shift-invert LU here (crf S = 200: 140 MiB measured,
    # 199 MiB estimated), see numeric.core.resources
    resources.check(resources.estimate_from_operators(
        H, jumps, sector_of_charges(rep, charges) if charges else None, len(rep.dims)), max_memory, what)
    L = superop(H, jumps)
    d = rep.dim
    if charges:
        q = sector_of_charges(rep, charges)  # (d, nc)
        # vec index a + b*d  <->  |a><b|, label q_a - q_b
        lab = (q[:, None, :] - q[None, :, :]).transpose(1, 0, 2).reshape(d * d, -1)
    else:
        lab = np.zeros((d * d, 0), dtype=np.int64)
    return rep, L, charges, lab


def _label(s, nc: int) -> tuple:
    if nc == 0:
        raise ModelError("sector: this model has no conserved U(1) charge; use sector=None")
    t = (s,) if np.isscalar(s) else tuple(s)
    if len(t) != nc or not all(float(x).is_integer() for x in t):
        raise ModelError(f"sector must be {'an integer' if nc == 1 else f'a tuple of {nc} integers'}, got sector={s!r}")
    return tuple(int(x) for x in t)


def sectors(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation | None = None,
            **sizes: Size) -> list:
    """The U(1) sector labels :math:`q_{\\rm ket} - q_{\\rm bra}` of the Liouvillian (ints for one
    charge, tuples for several; ``[None]`` when the model has no conserved charge)."""
    _, _, charges, lab = _prepare(model, values, S, truncation, sizes)
    if not charges:
        return [None]
    labs = sorted({tuple(r) for r in lab.tolist()}, key=lambda t: (sum(map(abs, t)), t))
    return [t[0] if len(t) == 1 else t for t in labs]


def _real_blocks(rep, L) -> list:
    """The Liouvillian in real coordinates, split into the blocks of its sign symmetries
    (parities and parity x conjugation, :func:`numeric.core.liouvillian.sign_symmetries`)."""
    rf = real_form(L, rep, use_symmetries=False)
    syms = sign_symmetries(rf.A, rep, rf.i, rf.j, rf.kind)
    if not syms:
        return [rf.A]
    key = np.stack([sig > 0 for _, sig in syms], axis=1)
    out = []
    for pattern in np.unique(key, axis=0):
        idx = np.nonzero(np.all(key == pattern, axis=1))[0]
        out.append(rf.A[idx][:, idx].tocsr())
    return out


def spectrum(model: Model, values: Mapping, S: Size | None = None, k: int = 6, sector: object = None,
             truncation: Truncation | None = None, max_memory: int | float | str | None = None,
             **sizes: Size) -> np.ndarray:
    r"""The ``k`` eigenvalues of the Liouvillian closest to 0, sorted by modulus.

    Parameters
    ----------
    model, values, S, truncation, **sizes
        As in :func:`numeric.core.liouvillian.liouvillian`.
    k : int
        Number of eigenvalues (>= 1).
    sector : int or tuple, optional
        U(1) sector :math:`q_{\rm ket} - q_{\rm bra}` (see :func:`sectors`); ``None``: the whole
        Liouvillian.
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`) when the estimated peak memory exceeds it
        (default 80% of the available memory), see :func:`numeric.solvers.steady.steady_state`.

    Returns
    -------
    numpy.ndarray
        Complex eigenvalues (``0`` is the steady state; the others have negative real parts).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ModelError(f"k must be a positive integer, got k={k!r}")
    if model.has_individual_terms():

        return to_permutational(spectrum_pi, model, values, dict(sizes), k=k, sector=sector,
                              max_memory=max_memory)
    rep, L, charges, lab = _prepare(model, values, S, truncation, sizes, max_memory)
    if sector is not None:
        blocks = [_sector_block(L, charges, lab, sector)]
    else:
        blocks = _real_blocks(rep, L)
    ev = np.concatenate([eigs_near_zero(B, min(int(k), B.shape[0])) for B in blocks])
    return ev[np.argsort(np.abs(ev), kind="stable")][:k]


def _sector_block(L, charges, lab, sector):
    t = _label(sector, len(charges))
    idx = np.nonzero(np.all(lab == np.array(t), axis=1))[0]
    if len(idx) == 0:
        raise ModelError(f"sector={sector!r} is empty for these sizes; see numeric.solvers.spectrum.sectors()")
    return L[idx][:, idx].tocsr()


def gap(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation | None = None, k: int = 6,
        sectors: object = None, max_memory: int | float | str | None = None, **sizes: Size) -> float:
    r"""Liouvillian gap: :math:`-\mathrm{Re}\,\lambda_1`, :math:`\lambda_1` the non-zero eigenvalue
    with the largest real part (seed 002 defines :math:`\varepsilon_L = \min\{-\mathrm{Re}\,\lambda_n\}`),
    minimised over the U(1) sectors ``sectors`` (default: all) when the model has charges, else
    over the blocks of its sign symmetries.

    Among the ``k`` eigenvalues closest to 0 of each block, eigenvalues with
    :math:`|\lambda| < 10^{-9}\|\mathcal L\|_\infty` count as zero (one per steady state).

    Parameters
    ----------
    model, values, S, truncation, **sizes
        As in :func:`numeric.core.liouvillian.liouvillian`.
    k : int
        Eigenvalues computed per block (raise it if the slowest mode has a large imaginary part).
    sectors : list, optional
        U(1) sector labels to search (see :func:`sectors`); default all.
    max_memory : int, float or str, optional
        As in :func:`spectrum`.

    Returns
    -------
    float
        The gap :math:`\varepsilon_L`.

    Raises
    ------
    analytic.model.ModelError
        Bad input, or no non-zero eigenvalue found.
    """
    if model.has_individual_terms():

        return to_permutational(gap_pi, model, values, dict(sizes), sector=sectors, k=k, max_memory=max_memory)
    rep, L, charges, lab = _prepare(model, values, S, truncation, sizes, max_memory, "gap")
    scale = float(abs(L).sum(axis=1).max())
    if charges:
        labels = sorted({tuple(r) for r in lab.tolist()}) if sectors is None else list(sectors)
        blocks = [_sector_block(L, charges, lab, s) for s in labels]
    elif sectors is not None:
        raise ModelError(f"sectors: model {model.name!r} has no conserved U(1) charge; use sectors=None")
    else:
        blocks = _real_blocks(rep, L)
    best = np.inf
    for B in blocks:
        ev = eigs_near_zero(B, min(k, B.shape[0]))
        nz = ev[np.abs(ev) > 1e-9 * scale]
        if len(nz):
            best = min(best, float(-nz.real.max()))
    if not np.isfinite(best):
        raise ModelError("gap: no non-zero eigenvalue found; increase k")
    return best
