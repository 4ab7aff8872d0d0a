"""Symmetry sectors, spectra and gaps of the permutation-invariant Liouvillian."""
from __future__ import annotations

from typing import Mapping

import numpy as np
import scipy.sparse as sps

from analytic.model import Model, ModelError
from numeric.pi.basis import check_N
from numeric.pi.liouvillian import PILiouvillian, transpose_index
from numeric.pi.steady import check_resources
from numeric.solvers.eigs import eigs_near_zero

__all__ = ["sectors_pi", "sectors_pi_from", "spectrum_pi", "gap_pi"]


# =========================================================================== spectrum and sectors
def _sector_basis(pl: PILiouvillian, sector) -> tuple:
    """Columns (sparse n x n_s, orthonormal) spanning a symmetry sector, and its label."""
    b, sym = pl.basis, pl.symmetries
    q = b.q
    labels = sectors_pi_from(sym)
    if labels == "u1":
        labels = sorted(set(q.tolist()))
    if sector not in labels:
        raise ModelError(f"sector={sector!r} is not a sector of model {pl.model.name!r}; sectors are {labels}")
    sel = np.ones(b.n, dtype=bool)
    lab = sector if isinstance(sector, tuple) else (sector,)
    pos = 0
    if sym["u1"]:
        sel &= q == lab[pos]
        pos += 1
    elif sym["z2"]:
        sel &= (q % 2 == 0) if lab[pos] == 1 else (q % 2 == 1)
        pos += 1
    use_T = sym["omega"] is not None and not sym["u1"]
    idx = np.nonzero(sel)[0]
    if not use_T:
        B = sps.csr_matrix((np.ones(len(idx)), (idx, np.arange(len(idx)))), shape=(b.n, len(idx)))
        return B
    p2 = lab[pos]
    tr = transpose_index(b)
    w = complex(sym["omega"])
    upper = idx[b.a[idx] < b.b[idx]]
    diag = idx[b.a[idx] == b.b[idx]]
    cols, rows, vals = [], [], []
    c = 0
    if p2 == 1:
        rows.append(diag)
        vals.append(np.ones(len(diag), dtype=complex))
        cols.append(np.arange(len(diag)))
        c = len(diag)
    # T e_ab = omega^(a-b) e_ba ; eigenvector e_ab + p2 omega^(a-b) e_ba
    qa = b.a[upper] - b.b[upper]
    ph = np.array([w ** int(k) for k in qa]) if w not in (1, -1) else np.where(qa % 2 == 0, 1.0, w)
    s2 = 1 / np.sqrt(2)
    rows += [upper, tr[upper]]
    vals += [np.full(len(upper), s2, dtype=complex), p2 * ph * s2]
    cols += [c + np.arange(len(upper))] * 2
    c += len(upper)
    B = sps.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(b.n, c))
    return B


def sectors_pi_from(sym: dict) -> list | str:
    """Sector labels from detected symmetries (the string ``'u1'`` for U(1) models, whose labels
    are the values of q, see :func:`sectors_pi`)."""
    if sym["u1"]:
        return "u1"
    out = []
    if sym["z2"]:
        out = [(1,), (-1,)]
    else:
        out = [()]
    if sym["omega"] is not None:
        out = [t + (p,) for t in out for p in (1, -1)]
    return [t if len(t) != 1 else t[0] for t in out] if out != [()] else [None]


def _labels(pl: PILiouvillian) -> list:
    lab = sectors_pi_from(pl.symmetries)
    if lab == "u1":
        return sorted(set(pl.basis.q.tolist()), key=lambda v: (abs(v), -v))
    return lab


def sectors_pi(model: Model, values: Mapping, N: int) -> list:
    r"""Symmetry-sector labels of the permutation-invariant Liouvillian: ``(p1, p2)`` when both
    :math:`\Pi_1` (q parity) and the antiunitary :math:`\Pi_2` exist (seed 001: four blocks), ``p``
    with one of them, the integers q for a U(1) model, ``[None]`` without symmetry."""
    return _labels(PILiouvillian(model, values, N))

def spectrum_pi(model: Model, values: Mapping, N: int, k: int = 6, sector: int | tuple | None = None,
                max_memory: int | float | str | None = None) -> np.ndarray:
    r"""The ``k`` eigenvalues of the permutation-invariant Liouvillian closest to 0 (sorted by
    modulus), in one symmetry sector or (``sector=None``) in all of them.

    Parameters
    ----------
    model, values, N
        As in :func:`numeric.pi.steady.solve_pi`.
    k : int
        Number of eigenvalues.
    sector : optional
        A label from :func:`sectors_pi`: ``(p1, p2)`` for ``lmg`` (seed 001 eq. 15: the steady
        state is in (+1, +1); the symmetry-breaking gap is that of (-1, +1)), ``p2`` for
        ``driven_dicke``, q for a U(1) model.
    max_memory : optional
        As in :func:`numeric.pi.steady.solve_pi` (the estimate from N of the steady-state solve).

    Returns
    -------
    numpy.ndarray
        Complex eigenvalues (0 is the steady state; the others have negative real parts).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ModelError(f"k must be a positive integer, got k={k!r}")
    check_resources(model, values, check_N(N), max_memory, "spectrum_pi")
    pl = PILiouvillian(model, values, N)
    labels = _labels(pl)
    todo = labels if sector is None else [sector]
    evs = []
    for s in todo:
        M = _sector_matrix(pl, s)
        evs.append(eigs_near_zero(M, min(int(k), M.shape[0])))
    ev = np.concatenate(evs)
    return ev[np.argsort(np.abs(ev), kind="stable")][:k]


def _sector_matrix(pl: PILiouvillian, s):
    if s is None:
        return pl.L
    B = _sector_basis(pl, s)
    return (B.conj().T @ pl.L @ B).tocsr()


def gap_pi(model: Model, values: Mapping, N: int, sector: int | tuple | None = None, k: int = 4,
           max_memory: int | float | str | None = None) -> float:
    r"""Liouvillian gap :math:`-\mathrm{Re}\,\lambda_1` in a sector (seed 001 eqs. 15-16; default: the
    steady-state sector, where eigenvalues :math:`|\lambda| < 10^{-9}\|\mathcal L\|` count as 0).
    ``max_memory`` as in :func:`numeric.pi.steady.solve_pi`."""
    check_resources(model, values, check_N(N), max_memory, "gap_pi")
    pl = PILiouvillian(model, values, N)
    labels = _labels(pl)
    if sector is None:
        sector = labels[0]
    M = _sector_matrix(pl, sector)
    ev = eigs_near_zero(M, min(k, M.shape[0]))
    nz = ev[np.abs(ev) > 1e-9 * pl.scale]
    if len(nz) == 0:
        raise ModelError("gap_pi: no non-zero eigenvalue found; increase k")
    return float(-nz.real.max())
