"""The permutation-invariant Liouvillian of a model, its symmetries and its real form on Hermitian blocks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import mpmath
import numpy as np
import scipy.sparse as sps
import sympy as sp

from analytic.model import Model, ModelError
from numeric.core import resources
from numeric.pi.basis import DickeBasis, check_N, dicke_basis
from numeric.pi.superops import exact_subs, model_terms, model_values, superop_structure

__all__ = ["PILiouvillian", "pi_liouvillian", "detect_symmetries", "RealForm", "real_form", "real_coo",
           "mul_i_float", "mul_i_obj", "to_vec", "exact_vec", "transpose_index", "omega_power", "I_POW"]


# =========================================================================== Liouvillian
class PILiouvillian:
    r"""The permutation-invariant Liouvillian of a model at given values and N.

    ``L`` (scipy CSR, complex) acts on the column-stacked weighted blocks :math:`x_j = d_j\rho_j`.
    ``coefficients(dps)`` / ``fixed(p)`` give the exact-arithmetic version.
    """

    def __init__(self, model: Model, values: Mapping, N: int, dps: int | None = None):
        self.model = model
        self.N = check_N(N)
        self.vals = model_values(model, values, self.N, dps)
        self.basis = dicke_basis(self.N)
        self.terms = model_terms(model)
        self.structs = [(key, superop_structure(self.basis, key)) for key, _ in self.terms]
        self.coeffs = []
        for (key, c) in self.terms:
            v = complex(sp.sympify(c).subs(self.vals))
            if not np.isfinite(abs(v)):
                raise ModelError(f"coefficient {c} is not finite at the given values")
            self.coeffs.append(v)
        rows = np.concatenate([s.rows for _, s in self.structs])
        cols = np.concatenate([s.cols for _, s in self.structs])
        data = np.concatenate([c * s.fvals for c, (_, s) in zip(self.coeffs, self.structs)])
        n = self.basis.n
        self.L = sps.csr_matrix((data, (rows, cols)), shape=(n, n))
        self.L.sum_duplicates()
        self.L.eliminate_zeros()
        self.scale = float(abs(self.L).sum(axis=0).max()) if self.L.nnz else 1.0
        self.symmetries = detect_symmetries(self.L, self.basis, self.scale)

    def hp_coefficients(self, dps: int) -> list:
        """Model coefficients evaluated at ``dps`` digits from exact rational parameter values
        (``dps > DPS_MAX`` refused up front, :func:`numeric.core.resources.check_dps`)."""
        resources.check_dps(dps)
        subs = exact_subs(self.vals)
        out = []
        with mpmath.workdps(dps + 10):  # mpf(str) rounds to the working precision
            for _, c in self.terms:
                v = sp.N(sp.sympify(c).subs(subs), dps + 10)
                re, im = (sp.re(v), sp.im(v))
                out.append((mpmath.mpf(str(sp.N(re, dps + 10))), mpmath.mpf(str(sp.N(im, dps + 10)))))
        return out


def pi_liouvillian(model: Model, values: Mapping, N: int) -> sps.csr_matrix:
    r"""The permutation-invariant Liouvillian (complex CSR, :math:`\approx N^3/6` unknowns) acting on
    the column-stacked weighted blocks :math:`x_j = d_j\rho_j` (see the module docstring)."""
    return PILiouvillian(model, values, N).L


# --------------------------------------------------------------------------- symmetries
_OMEGAS = (1, -1, -1j, 1j)  # -i first: seed 001's Pi_2 (<Jx>_{Pi_2 rho} = <Jy>_rho in our conventions)


def detect_symmetries(L: sps.csr_matrix, basis: DickeBasis, scale: float) -> dict:
    """U(1) (q conserved), Pi_1 (q mod 2 conserved) and the antiunitary Pi_2 with the first
    omega in (1, -1, i, -i) such that L_rc = omega^(q_r - q_c) conj(L_rc) for every entry."""
    coo = L.tocoo()
    dq = basis.q[coo.row] - basis.q[coo.col]
    out = {"u1": bool(np.all(dq == 0)), "z2": bool(np.all(dq % 2 == 0)), "omega": None}
    tol = 1e-12 * max(scale, 1e-300)
    head = slice(0, 4096)  # a candidate failing on the first entries is rejected without a full pass
    for w in _OMEGAS:
        if not np.all(np.abs(coo.data[head] - I_POW[omega_power(w, dq[head])] * np.conj(coo.data[head])) <= tol):
            continue
        ph = I_POW[omega_power(w, dq)]
        if np.all(np.abs(coo.data - ph * np.conj(coo.data)) <= tol):
            out["omega"] = w
            break
    return out


def omega_power(w: complex, q: np.ndarray) -> np.ndarray:
    """omega**q for integer q (exact for omega in {1, -1, i, -i}) as a power of i (0..3)."""
    k = {1: 0, 1j: 1, -1: 2, -1j: 3}[w]
    return (k * q) % 4


# =========================================================================== real form (steady state)
@dataclass
class RealForm:
    """Real coordinates of Hermitian weighted blocks in the steady-state sector."""

    basis: DickeBasis
    keep: np.ndarray          # vector indices (a <= b) kept
    rot: np.ndarray           # e^{i phi} = i**rot per kept entry
    ncoord: int
    ucol: np.ndarray          # coordinate index of u (or d) per vector index (-1 if absent)
    vcol: np.ndarray          # coordinate index of v per vector index (-1 if absent)
    kind: np.ndarray          # per coordinate: 0 = diagonal, 1 = u, 2 = v
    coord_vec: np.ndarray     # per coordinate: the vector index (a <= b)
    antiunitary: bool
    symmetries: list = field(default_factory=list)


def real_form(basis: DickeBasis, sym: dict) -> RealForm:
    q = basis.q
    sector = np.ones(basis.n, dtype=bool)
    names = []
    if sym["u1"]:
        sector &= q == 0
        names.append("U(1): q = m - m' = 0")
    elif sym["z2"]:
        sector &= q % 2 == 0
        names.append("Pi_1: q = m - m' even")
    upper = sector & (basis.a <= basis.b)
    w = sym["omega"]
    anti = w is not None and (w in (1, -1) or bool(np.all(q[upper] % 2 == 0)))
    rot = np.zeros(basis.n, dtype=np.int64)
    if anti:
        e = omega_power(w, q)  # omega^q = i**e, e even here -> e^{i phi} = i**(e/2)
        if np.any(e[upper] % 2):  # pragma: no cover - excluded above
            anti = False
        else:
            rot = (e // 2) % 4
            names.append(f"Pi_2: rho_mm' = omega^q conj(rho_mm'), omega = {w}")
    ucol = -np.ones(basis.n, dtype=np.int64)
    vcol = -np.ones(basis.n, dtype=np.int64)
    idx = np.nonzero(upper)[0]
    diag = basis.a[idx] == basis.b[idx]
    nu = len(idx)
    ucol[idx] = np.arange(nu)
    kind = np.where(diag, 0, 1)
    cvec = idx.copy()
    if not anti:
        off = idx[~diag]
        vcol[off] = nu + np.arange(len(off))
        kind = np.concatenate([kind, np.full(len(off), 2)])
        cvec = np.concatenate([cvec, off])
    return RealForm(basis, idx, rot, len(cvec), ucol, vcol, kind, cvec, anti, names)


def transpose_index(basis: DickeBasis) -> np.ndarray:
    """Vector index of entry (b, a) for every entry (a, b)."""
    return basis.offsets[basis.blk] + basis.b + basis.a * basis.dims[basis.blk]


I_POW = np.array([1, 1j, -1, -1j])


def real_coo(rf: RealForm, rows: np.ndarray, cols: np.ndarray, re: np.ndarray, im: np.ndarray,
             mul_i: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Map complex Liouvillian entries (row, col, re + i im) to real-form coordinates.

    ``mul_i(re, im, k)`` multiplies by i**k (exact for float or Python-int arrays).
    Returns (rrow, rcol, val) with duplicates; ``val`` of the same kind as ``re``.  Everything that
    depends on a row or a column alone is a table over the vector indices (:func:`_real_maps`), so
    an entry costs a few look-ups.
    """
    row_ok, col_ok, ccol, shift = _real_maps(rf)
    sel = row_ok[rows] & col_ok[cols]
    rows, cols, re, im = rows[sel], cols[sel], re[sel], im[sel]
    rot_r = rf.rot[rows]
    out_r, out_c, out_v = [], [], []
    # u (or d) column: factor i**rot (upper) or i**(-rot) (lower); v column: one more i (or -i)
    for part in (0, 1):
        cidx = ccol[part][cols]
        m = cidx >= 0
        if not m.any():
            continue
        # value = L * i**k ; row coordinates: u/d -> Re, v -> Im
        zr, zi = mul_i(re[m], im[m], (shift[part][cols[m]] - rot_r[m]) % 4)
        rm = rows[m]
        out_r.append(rf.ucol[rm])
        out_c.append(cidx[m])
        out_v.append(zr)
        if not rf.antiunitary:
            rv = rf.vcol[rm]
            mm = rv >= 0
            out_r.append(rv[mm])
            out_c.append(cidx[m][mm])
            out_v.append(zi[mm])
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_v)


def _real_maps(rf: RealForm) -> tuple[np.ndarray, np.ndarray, tuple, tuple]:
    """Per vector index of :func:`real_coo`: is it a kept row (upper entry of the sector), is it a
    kept column (its upper entry in the sector), and for the u and the v part the coordinate of the
    column's upper entry (-1: none; v not of a diagonal entry) and the power of i that column brings
    (``rot`` of the upper entry, negated for a lower one, plus one for v)."""
    b = rf.basis
    up = np.arange(b.n)
    lower = b.a > b.b
    up[lower] = transpose_index(b)[lower]
    row_ok = (b.a <= b.b) & (rf.ucol >= 0)
    col_ok = rf.ucol[up] >= 0
    rot_c = np.where(lower, -rf.rot[up], rf.rot[up])
    sgn = np.where(lower, -1, 1)
    vcol = np.where(b.a[up] == b.b[up], -1, rf.vcol[up])
    return row_ok, col_ok, (rf.ucol[up], vcol), (rot_c, rot_c + sgn)


def mul_i_float(re: np.ndarray, im: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(re + i im) * i**k in float64."""
    z = (re + 1j * im) * I_POW[k]
    return z.real, z.imag


def mul_i_obj(re: np.ndarray, im: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(re + i im) * i**k on exact arrays (Python ints, or signed int64 codes of values: only copies and
    negations, so the dtype is kept)."""
    zr = np.empty(len(re), dtype=re.dtype)
    zi = np.empty(len(re), dtype=re.dtype)
    # (re + i im) i**k: (re, im), (-im, re), (-re, -im), (im, -re); copies and negations, no products
    for kk, (r, sr, i, si) in ((0, (re, 1, im, 1)), (1, (im, -1, re, 1)), (2, (re, -1, im, -1)), (3, (im, 1, re, -1))):
        m = k == kk
        if not m.any():
            continue
        zr[m] = r[m] if sr > 0 else -r[m]
        zi[m] = i[m] if si > 0 else -i[m]
    return zr, zi


def to_vec(rf: RealForm, y: np.ndarray) -> np.ndarray:
    """Complex weighted-block vector from real coordinates (float)."""
    b = rf.basis
    x = np.zeros(b.n, dtype=complex)
    ph = I_POW[rf.rot]
    u = np.zeros(b.n)
    v = np.zeros(b.n)
    iu = rf.keep
    u[iu] = y[rf.ucol[iu]]
    if not rf.antiunitary:
        m = rf.vcol >= 0
        v[m] = y[rf.vcol[m]]
    z = ph * (u + 1j * v)
    x[iu] = z[iu]
    tr = transpose_index(b)
    lower = iu[b.a[iu] != b.b[iu]]
    x[tr[lower]] = np.conj(z[lower])
    return x


def exact_vec(rf: RealForm, yfix: np.ndarray, p: int, dps: int) -> dict:
    """Entries of the weighted blocks (upper and lower) as mpmath numbers from fixed-point coordinates."""
    b = rf.basis
    out: dict = {}
    keep = rf.keep
    ys = yfix.tolist()  # Python ints; mpf((man, exp)) is man * 2**exp at the working precision, as mpf(man) * 2**-p
    mpf, mpc, zero = mpmath.mpf, mpmath.mpc, mpmath.mpf(0)
    # z = i**rot (u + i v) by exact swaps and negations (the products by 0 and 1 of mpc(0, 1)**rot * mpc(u, v))
    for i, iu, iv, k, lower, t in zip(keep.tolist(), rf.ucol[keep].tolist(), rf.vcol[keep].tolist(),
                                      rf.rot[keep].tolist(), (b.a[keep] != b.b[keep]).tolist(),
                                      transpose_index(b)[keep].tolist()):
        u = mpf((ys[iu], -p))
        v = mpf((ys[iv], -p)) if iv >= 0 else zero
        z = mpc(u, v) if k == 0 else mpc(-v, u) if k == 1 else mpc(-u, -v) if k == 2 else mpc(v, -u)
        out[i] = z
        if lower:
            out[t] = mpc(z.real, -z.imag)
    out["trace"] = mpmath.fsum(out[i].real for i in keep[b.a[keep] == b.b[keep]].tolist())

    class _D(dict):
        def __missing__(self, key):
            return mpmath.mpc(0)
    return _D(out)
