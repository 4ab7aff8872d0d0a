r"""Finite-size Liouvillians, their real (Hermitian) formulation and their symmetries.

Convention (hbar = 1, QuTiP's, see docs/ARCHITECTURE.md):

.. math::
    \dot\rho = \mathcal L\rho = -i[H, \rho]
        + \sum_k r_k \Big(L_k \rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k, \rho\}\Big),

vectorised by column stacking as QuTiP does, :math:`\mathrm{vec}(A\rho B) = (B^T\otimes A)\,
\mathrm{vec}(\rho)`.  Every matrix is built from the model's :class:`~analytic.algebra.Op`
objects through :class:`numeric.core.operators.Representation`; nothing is re-typed here.

Besides the complex Liouvillian this module provides

* :class:`RealForm` -- :math:`\mathcal L` restricted to Hermitian matrices, in the real
  coordinates :math:`(\mathrm{Re}\,\rho_{ii}, \mathrm{Re}\,\rho_{ij}, \mathrm{Im}\,\rho_{ij})_{i<j}`,
  optionally restricted to a symmetry sector.  It halves the number of unknowns and replaces
  complex by real arithmetic (used by :mod:`numeric.solvers.steady`).
* :func:`u1_charges` -- conserved U(1) charges :math:`Q = \sum_k c_k Z_k` (:math:`Z_k = S^z_k`
  or :math:`a_k^\dagger a_k`) found from the words of H and of the jumps: H must be neutral
  and every jump must carry a definite charge.  Then :math:`\mathcal L` is block diagonal in
  :math:`q_{\rm ket} - q_{\rm bra}` (used by :mod:`numeric.solvers.spectrum`).
* :func:`sign_symmetries` -- the diagonal parity symmetries :math:`\rho\mapsto U\rho U^\dagger`
  and :math:`\rho\mapsto U\rho^* U^\dagger` (:math:`U` a product of subsystem parities
  :math:`(-1)^{\rm index}`) that commute with :math:`\mathcal L`.  In the real coordinates they
  are diagonal sign matrices, detected exactly on the numeric matrix.  For ``crf``
  (:math:`H = \omega S_x`, jump :math:`S^-`) the antiunitary one makes
  :math:`\rho_{mn}` real for even and imaginary for odd :math:`m - n`.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import scipy.sparse as sps
import sympy as sp
from numba import njit

from analytic.model import Model, ModelError
from numeric.core.kron import kron_sum
from numeric.core.operators import Representation, Size, Truncation, numeric_values

_CHUNK = 1 << 18  # stored entries of the Liouvillian handled per step (tolerance of the symmetries, norm)

__all__ = ["liouvillian", "setup", "hamiltonian_and_jumps", "lindblad_dense", "RealForm", "real_form", "u1_charges",
           "sign_symmetries", "vec_sign_symmetries", "sector_of_charges", "norm_inf"]


# --------------------------------------------------------------------------- set-up
def setup(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None, *,
          dps: int | None = None, **sizes: Size) -> tuple[Representation, dict[sp.Symbol, sp.Expr]]:
    """Validate the inputs and return ``(rep, vals)``: the :class:`Representation` and the
    ``{Symbol: exact SymPy number}`` values (parameters and sizes, parsed by
    :func:`analytic.values.parse_values`; ``dps`` only decides the warning about inexact floats).

    Raises :class:`ModelError` naming a missing/unknown parameter, a negative rate, an invalid
    ``S`` or a missing/too small ``truncation``.
    """
    if not isinstance(model, Model):
        raise ModelError(f"model must be an analytic.model.Model, got {type(model).__name__}")
    size_names = {str(s) for s in model.size_symbols()}
    allsizes = dict(sizes)
    if S is not None:
        if "S" not in size_names:
            raise ModelError(f"model {model.name!r} has no spin length S; its sizes are {sorted(size_names)}")
        allsizes["S"] = S
    for k in sorted(size_names - set(allsizes)):
        raise ModelError(f"missing size {k!r} for model {model.name!r} (pass {k}=...)")
    if "S" in allsizes:
        from numeric.core.operators import check_spin_length

        check_spin_length(allsizes["S"], "S")
    rep = Representation(model, dict(allsizes), truncation=truncation)
    vals = numeric_values(model, values, allsizes, dps=dps)
    return rep, vals


def hamiltonian_and_jumps(model: Model, rep: Representation,
                          vals: Mapping) -> tuple[sps.csr_matrix, list[tuple[float, sps.csr_matrix]]]:
    """``(H, [(rate, L), ...])`` as sparse matrices (rates as floats)."""
    H = rep.matrix(model.hamiltonian, vals)
    jumps = []
    for d in model.dissipators:
        r = complex(sp.sympify(d.rate).subs(vals))
        if r.real < 0 or abs(r.imag) > 0:
            raise ModelError(f"rate of dissipator {d.label!r} is negative or complex: {r}")
        if r.real == 0:
            continue
        jumps.append((r.real, rep.matrix(d.jump, vals)))
    return H, jumps


def superop(H: sps.spmatrix, jumps: Sequence) -> sps.csr_matrix:
    r"""Column-stacked Lindblad superoperator -i[H, .] + sum_k r_k D[L_k] of a sparse H and
    ``jumps``, a sequence of ``(r_k, L_k)`` pairs (rate, sparse jump matrix).

    :math:`I\otimes K + \bar K\otimes I + \sum_k r_k \bar L_k\otimes L_k` with
    :math:`K = -iH - \tfrac12\sum_k r_k L_k^\dagger L_k` (``vec(rho B) = (B^T (x) I) vec(rho)``),
    assembled at once by :func:`numeric.core.kron.kron_sum`; entries that cancel are dropped."""
    n = H.shape[0]
    eye = sps.identity(n, dtype=complex, format="csr")
    K = -1j * H
    for r, L in jumps:
        K = K - 0.5 * r * (L.conj().T @ L)
    K = sps.csr_matrix(K)
    out = kron_sum([(eye, K, None), (K.conj(), eye, None)] + [(L.conj(), L, r) for r, L in jumps], n)
    if not out.data.all():
        out.eliminate_zeros()
    return out


def lindblad_dense(K: sps.csr_matrix, J: Sequence[sps.csr_matrix], rho: np.ndarray) -> np.ndarray:
    r""":math:`K\rho + (K\rho)^\dagger + \sum_k J_k\rho J_k^\dagger` for a dense ``rho`` (operator form; for a
    Hermitian :math:`\rho` this is :math:`\mathcal L\rho` with :math:`K = -iH - \tfrac12\sum_k J_k^\dagger J_k`,
    :math:`J_k = \sqrt{r_k} L_k`), no :math:`d^2 \times d^2` matrix.

    The sparse products :math:`K\rho` and :math:`Y_k = J_k\rho` by SciPy on C-ordered arrays, the
    Hermitian part and :math:`Y_k J_k^\dagger` compiled, row by row and in blocks (no transposed
    copies: at d = 2001, crf S = 1000, the former ``M + M.conj().T`` and
    ``J @ (J @ rho.conj().T).conj().T`` took 0.23 s, this 0.16 s, medians on a loaded machine)."""
    rho = np.ascontiguousarray(rho, dtype=complex)
    M = np.ascontiguousarray(K @ rho)
    out = np.empty_like(M)
    _add_adjoint(M, out)
    for Jk in J:
        Jk = sps.csr_matrix(Jk)
        _add_times_adjoint(out, np.ascontiguousarray(Jk @ rho), Jk.indptr, Jk.indices, Jk.data)
    return out


@njit(cache=True)
def _add_adjoint(M, out):  # pragma: no cover - compiled; checked by the tests
    """``out = M + M^H`` in 64 x 64 blocks (the transposed reads stay in cache)."""
    d = M.shape[0]
    for i0 in range(0, d, 64):
        for j0 in range(0, d, 64):
            for i in range(i0, min(i0 + 64, d)):
                for j in range(j0, min(j0 + 64, d)):
                    out[i, j] = M[i, j] + np.conj(M[j, i])


@njit(cache=True)
def _add_times_adjoint(out, Y, indptr, indices, data):  # pragma: no cover - compiled; checked by the tests
    """``out += Y J^H`` for a CSR matrix ``J``: row ``a`` of the product, entry ``b``, is the sum over the
    stored entries ``(b, e)`` of J of ``Y[a, e] conj(J[b, e])``."""
    d = out.shape[0]
    for a in range(d):
        for b in range(d):
            acc = 0j
            for e in range(indptr[b], indptr[b + 1]):
                acc += Y[a, indices[e]] * np.conj(data[e])
            out[a, b] += acc


def liouvillian(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None,
                **sizes: Size) -> sps.csr_matrix:
    r"""The Liouvillian superoperator as a sparse matrix (column stacking, as QuTiP).

    .. math:: \mathcal L = -i(I\otimes H - H^T\otimes I)
        + \sum_k r_k\big(\bar L_k\otimes L_k - \tfrac12 I\otimes L_k^\dagger L_k
        - \tfrac12 (L_k^\dagger L_k)^T\otimes I\big),

    the QuTiP convention (a rate multiplies :math:`\mathcal D[L]` without factor 2; seed
    papers' factors are mapped in :mod:`analytic.models`).

    Parameters
    ----------
    model : analytic.model.Model
        A model with collective dissipators only.
    values : mapping
        ``{parameter name: number}`` for every parameter of the model.
    S : int or half-integer, optional
        Spin length (models with spins).
    truncation : int or mapping, optional
        Fock dimension of each mode (models with modes).
    **sizes
        Other size symbols, e.g. ``D=`` for the Kerr oscillator.

    Returns
    -------
    scipy.sparse.csr_matrix
        Complex matrix of shape ``(d**2, d**2)``, ``d`` the Hilbert-space dimension.

    Raises
    ------
    analytic.model.ModelError
        Missing or unknown parameter, negative rate, invalid ``S``, missing ``truncation``.
    """
    rep, vals = setup(model, values, S, truncation, **sizes)
    H, jumps = hamiltonian_and_jumps(model, rep, vals)
    return superop(H, jumps)


def norm_inf(Lvec: sps.spmatrix) -> float:
    r""":math:`\|\mathcal L\|_\infty`, the largest row sum of moduli (1.0 for an empty matrix): the value
    of ``abs(Lvec).sum(axis=1).max()``, summed row by row in the same order, without copying the matrix."""
    L = sps.csr_matrix(Lvec)
    if not L.nnz:
        return 1.0
    starts = L.indptr[:-1][np.diff(L.indptr) > 0]
    best = []
    for k in range(0, len(starts), _CHUNK // 8):
        s = starts[k:k + _CHUNK // 8]
        e1 = int(starts[k + len(s)]) if k + len(s) < len(starts) else L.nnz
        best.append(np.add.reduceat(np.abs(L.data[s[0]:e1]), s - s[0]).max())
    return float(np.max(best))


# --------------------------------------------------------------------------- symmetries
def _word_charge(word, subsystems) -> np.ndarray:
    v = np.zeros(len(subsystems), dtype=int)
    for g in word:
        i = subsystems.index(g.sub)
        v[i] += {"p": 1, "m": -1, "z": 0, "c": 1, "a": -1}[g.letter]
    return v


def u1_charges(model: Model, vals: Mapping | None = None) -> list:
    r"""Conserved U(1) charges :math:`Q = \sum_k c_k Z_k`.

    A word of generators changes :math:`Z_k` (:math:`S^z_k` or :math:`a_k^\dagger a_k`) by its
    charge vector :math:`v` (+1 for :math:`S^+, a^\dagger`, -1 for :math:`S^-, a`).  ``c`` is
    conserved when :math:`c\cdot v = 0` for every word of H and :math:`c\cdot v` is the same for
    all words of each jump (words with coefficient 0 at ``vals`` are dropped).

    Returns
    -------
    list of (numpy.ndarray, list)
        ``(c, [q_1, q_2, ...])``: integer coefficient vectors (one per independent charge, in
        the order of ``model.subsystems``) and the charge of each dissipator.
    """
    subs = list(model.subsystems)

    def live(op):
        out = []
        for w, c in op.terms.items():
            if vals is not None and complex(sp.sympify(c).subs(vals)) == 0:
                continue
            out.append(w)
        return out

    rows = [_word_charge(w, subs) for w in live(model.hamiltonian)]
    jump_words = []
    for d in model.dissipators:
        if d.kind != "collective":
            return []
        if vals is not None and complex(sp.sympify(d.rate).subs(vals)) == 0:
            jump_words.append([])
            continue
        ws = [_word_charge(w, subs) for w in live(d.jump)]
        jump_words.append(ws)
        rows += [w - ws[0] for w in ws[1:]]
    if not rows:
        rows = [np.zeros(len(subs), dtype=int)]
    null = sp.Matrix(np.array(rows)).nullspace()
    out = []
    for vec in null:
        den = functools.reduce(sp.ilcm, [sp.fraction(x)[1] for x in vec], 1)  # one subsystem: one entry
        c = np.array([int(x * den) for x in vec])
        g = np.gcd.reduce(np.abs(c[c != 0])) if np.any(c) else 1
        c = c // g
        if c[np.nonzero(c)[0][0]] < 0:
            c = -c
        q = [int(c @ ws[0]) if ws else 0 for ws in jump_words]
        out.append((c, q))
    return out


def _local_charges(rep: Representation) -> list:
    """Per subsystem, the diagonal of Z_k (S^z or a†a) on the local space."""
    out = []
    for sub, d in zip(rep.model.subsystems, rep.dims):
        if sub.kind == "spin":
            out.append(-np.arange(d, dtype=float))  # m = S - i up to a constant
        else:
            out.append(np.arange(d, dtype=float))
    return out


def charge_diagonal(rep: Representation, c: np.ndarray) -> np.ndarray:
    """The diagonal of :math:`Q = \\sum_k c_k Z_k` (up to a constant) on the full space."""
    q = np.zeros(1)
    for ck, loc in zip(c, _local_charges(rep)):
        q = (q[:, None] + ck * loc[None, :]).ravel()
    return np.rint(q).astype(np.int64)


def sector_of_charges(rep: Representation, charges: list) -> np.ndarray:
    """For each Hilbert-space index, the tuple of U(1) charges as an integer label array of
    shape (d, n_charges)."""
    if not charges:
        return np.zeros((rep.dim, 0), dtype=np.int64)
    return np.stack([charge_diagonal(rep, c) for c, _ in charges], axis=1)


def _parities(rep: Representation) -> list:
    out = []
    for k, d in enumerate(rep.dims):
        cols = []
        for j, dj in enumerate(rep.dims):
            cols.append((-1.0) ** np.arange(dj) if j == k else np.ones(dj))
        u = np.ones(1)
        for c in cols:
            u = (u[:, None] * c[None, :]).ravel()
        out.append(u)
    return out


# --------------------------------------------------------------------------- real form
def _pairs(d: int):
    """Index pairs of the real coordinates: diagonal (i,i), then (i<j) real parts, then
    (i<j) imaginary parts, in column-major order of the upper triangle."""
    counts = np.arange(d)
    j = np.repeat(counts, counts)
    i = np.arange(len(j)) - np.repeat(np.cumsum(counts) - counts, counts)
    return i, j


@dataclass
class RealForm:
    r"""The Liouvillian on Hermitian matrices in real coordinates, restricted to a set of them.

    Coordinates: ``kind`` 0 = :math:`\mathrm{Re}\,\rho_{ii}`, 1 = :math:`\mathrm{Re}\,\rho_{ij}`,
    2 = :math:`\mathrm{Im}\,\rho_{ij}` (:math:`i<j`), rows ``(i, j)``.  ``A`` is real sparse and
    :math:`\mathrm{vec}(\rho) = T x`, :math:`x = P\,\mathrm{vec}(\rho)` for Hermitian
    :math:`\rho`.
    """

    A: sps.csr_matrix
    i: np.ndarray
    j: np.ndarray
    kind: np.ndarray
    dim: int
    symmetries: list = field(default_factory=list)

    def to_rho(self, x: np.ndarray) -> np.ndarray:
        """Dense Hermitian matrix from real coordinates: each coordinate written to its two entries (real
        and imaginary parts as views), ``+ 0.0`` making a zero +0.0 as the former sum of triangles did (no
        d x d temporaries: ``_rho`` of :mod:`numeric.solvers.steady` at d = 2001 0.21 s -> 0.15 s, medians
        on a loaded machine)."""
        d = self.dim
        rho = np.zeros((d, d), dtype=complex)
        part = rho.view(np.float64).reshape(d, d, 2)
        x = np.asarray(x, dtype=np.float64)
        re, im = self.kind != 2, self.kind == 2
        off = self.kind == 1
        part[self.i[re], self.j[re], 0] = x[re] + 0.0
        part[self.j[off], self.i[off], 0] = x[off] + 0.0
        part[self.i[im], self.j[im], 1] = x[im] + 0.0
        part[self.j[im], self.i[im], 1] = 0.0 - x[im]
        return rho

    def from_rho(self, rho: np.ndarray) -> np.ndarray:
        """Real coordinates of the Hermitian part of ``rho``."""
        v = rho[self.i, self.j]
        return np.where(self.kind == 2, v.imag, v.real)

    @property
    def trace_row(self) -> np.ndarray:
        return (self.kind == 0).astype(float)

    def vec_maps(self) -> tuple[np.ndarray, np.ndarray]:
        r"""The rows of T (:math:`\mathrm{vec}(\rho) = Tx`) over the vec indices ``c = a + b d``: ``tre[c]``,
        the coordinate whose value is :math:`\mathrm{Re}\,\rho_{ab}` (-1: none), and ``tim[c]``, ``k + 1``
        for :math:`\mathrm{Im}\,\rho_{ab} = x_k`, ``-(k + 1)`` for :math:`-x_k` (0: none)."""
        d = self.dim
        return _vec_to_coordinates(d, self.i + self.j * d, self.j + self.i * d, self.kind)


def sign_symmetries(Lc: sps.csr_matrix, rep: Representation, i: np.ndarray, j: np.ndarray,
                    kind: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Diagonal sign symmetries of the real form (see module doc); returns a list of
    ``(label, sign array over the coordinates)`` that commute with the Liouvillian.
    ``Lc`` is the real-form matrix on all coordinates."""
    pars = _parities(rep)
    coo = Lc.tocoo()
    found = []
    for r in range(0, len(pars) + 1):
        for combo in itertools.combinations(range(len(pars)), r):
            u = np.ones(rep.dim)
            for k in combo:
                u = u * pars[k]
            uu = u[i] * u[j]
            for anti in (False, True):
                if not combo and not anti:
                    continue
                sig = np.where((kind == 2) & anti, -uu, uu)
                if np.all(sig == 1):
                    continue
                if np.all(sig[coo.row] == sig[coo.col]):
                    name = ("conj" if anti else "") + "".join(f"*P{k}" for k in combo)
                    found.append((name, sig))
    return found


@njit(cache=True)
def _parity_histogram(indptr, indices, data, vb, tol, nbins):  # pragma: no cover - compiled; checked by the tests
    """The histogram of the codes of :func:`vec_sign_symmetries` over the stored entries of a CSR matrix:
    ``(vb[row] ^ vb[col]) << 3``, then bit 2: ``|z| > tol``, bit 1: ``|Re z| > tol``, bit 0: ``|Im z| > tol``
    (NaN counts as large)."""
    hist = np.zeros(nbins, np.int64)
    for r in range(len(indptr) - 1):
        br = np.int64(vb[r])
        for e in range(indptr[r], indptr[r + 1]):
            z = data[e]
            code = (br ^ np.int64(vb[indices[e]])) << 3
            big_re = not abs(z.real) <= tol
            big_im = not abs(z.imag) <= tol
            if big_re:
                code |= 2
            if big_im:
                code |= 1
            if big_re or big_im or not abs(z) <= tol:
                code |= 4
            hist[code] += 1
    return hist


def vec_sign_symmetries(Lvec: sps.spmatrix, rep: Representation) -> list:
    r"""Parity symmetries of the complex Liouvillian (column stacking): ``(name, u, anti)`` with
    ``u`` the diagonal of a product of subsystem parities; ``anti=False``: :math:`\rho\mapsto
    U\rho U^\dagger` commutes with :math:`\mathcal L`, ``anti=True``: :math:`\rho\mapsto
    U\rho^* U^\dagger` does (entries with :math:`u_au_bu_cu_d = +1` real, :math:`-1` imaginary).

    One compiled pass over the entries (:func:`_parity_histogram`): each gets the parity bits of
    :math:`(a, b, c, d)` (bit k: the parity of subsystem k) and whether its modulus, real and
    imaginary parts exceed the tolerance; every product of parities is then decided on the
    histogram of these codes."""
    pars = _parities(rep)
    d = rep.dim
    L = sps.csr_matrix(Lvec)
    indptr, indices, data = L.indptr, L.indices, L.data
    nsub = len(pars)
    dt = np.uint8 if nsub <= 5 else np.int64  # the parity bits of an index
    bits = np.zeros(d, dtype=dt)
    for k, p in enumerate(pars):
        bits |= (p < 0).astype(dt) << dt(k)
    vb = np.bitwise_xor.outer(bits, bits).ravel()  # of vec index a + b d (symmetric)
    tol = 1e-14 * max([np.abs(data[e:e + _CHUNK]).max() for e in range(0, L.nnz, _CHUNK)], default=1.0)
    hist = _parity_histogram(indptr, indices, data, vb, tol, 8 << nsub)
    hist = hist.reshape(-1, 8) > 0
    flag = np.arange(8)
    big_abs = hist[:, (flag & 4) > 0].any(axis=1)  # per parity pattern of (a, b, c, d)
    big_re = hist[:, (flag & 2) > 0].any(axis=1)
    big_im = hist[:, (flag & 1) > 0].any(axis=1)
    pattern = np.arange(1 << nsub)
    found = []
    for r in range(0, len(pars) + 1):
        for combo in itertools.combinations(range(len(pars)), r):
            u = np.ones(d)
            for k in combo:
                u = u * pars[k]
            cm = sum(1 << k for k in combo)
            neg = np.array([bin(int(g) & cm).count("1") % 2 == 1 for g in pattern])  # u_a u_b u_c u_d = -1
            for anti in (False, True):
                if not combo and not anti:
                    continue
                if not anti:
                    ok = not np.any(big_abs & neg)
                else:
                    ok = not (np.any(big_im & ~neg) or np.any(big_re & neg))
                if ok:
                    found.append((("conj" if anti else "") + "".join(f"*P{k}" for k in combo), u, anti))
    return found


def _vec_to_coordinates(d: int, ij: np.ndarray, ji: np.ndarray, kind: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of T (``vec(rho) = T x``) as two maps over the vec indices ``c = a + b d``: ``tre[c]``, the
    coordinate of kind 0 or 1 with ``T[c, tre[c]] = 1`` (-1: none), and ``tim[c]``, the coordinate ``k`` of
    kind 2 with ``T[c, k] = +i`` as ``k + 1`` (``a < b``) or with ``T[c, k] = -i`` as ``-(k + 1)``
    (``a > b``; 0: none)."""
    it = np.int32 if max(d * d, len(kind)) <= np.iinfo(np.int32).max else np.int64
    k = np.arange(len(kind), dtype=it)
    im = kind == 2
    tre = np.full(d * d, -1, dtype=it)
    tim = np.zeros(d * d, dtype=it)
    tre[ij[~im]] = k[~im]
    tre[ji[kind == 1]] = k[kind == 1]
    tim[ij[im]] = k[im] + 1
    tim[ji[im]] = -(k[im] + 1)
    return tre, tim


@njit(cache=True)
def _real_row_lengths(indptr, indices, d, tre, tim, n):  # pragma: no cover - compiled; checked by the tests
    """The row pointer of :func:`_real_rows`: the number of distinct columns of row ``ij`` of ``L @ T``
    for every coordinate (its Re and its Im coordinate share row ``ij``, hence the columns)."""
    mark = np.full(n, -1, np.int64)
    ptr = np.zeros(n + 1, np.int64)
    for r in range(len(indptr) - 1):
        kr, ti = tre[r], tim[r]
        if r % d > r // d or (kr < 0 and ti <= 0):  # not the row ij of a coordinate kept
            continue
        m = 0
        for e in range(indptr[r], indptr[r + 1]):
            c = indices[e]
            t = tre[c]
            if t >= 0 and mark[t] != r:
                mark[t] = r
                m += 1
            t = abs(tim[c]) - 1
            if t >= 0 and mark[t] != r:
                mark[t] = r
                m += 1
        if kr >= 0:
            ptr[kr + 1] = m
        if ti > 0:
            ptr[ti] = m
    for k in range(n):
        ptr[k + 1] += ptr[k]
    return ptr


@njit(cache=True)
def _real_rows(indptr, indices, data, d, tre, tim, x, ptr, cols, vals, im):  # pragma: no cover - compiled
    r"""Fill the rows ``ptr`` of :math:`A = P L T` (``cols``, ``vals``; zeros kept) and ``im``, the
    Hermiticity test of :func:`_check_hermiticity`, in one pass over the rows of L in their order.

    Row ``k`` of A (coordinate :math:`\rho_{ij}`, :math:`i \le j`) is the real (kinds 0, 1) or imaginary
    part (kind 2) of :math:`\sum_e L_{ij, c_e} T_{c_e, :}` over the stored entries of row :math:`ij` of L
    in their order, as SciPy's sparse product ``L[ij] @ T`` sums them (a product with 1 or
    :math:`\pm i` is exact): the same values bit for bit, and in its order of the columns (the reverse of
    their first appearance), so that what is computed from ``A.data`` in order (the trace-row weight of
    :mod:`numeric.solvers.steady`, a mean) is unchanged too.  With :math:`y = L T x`: ``im[k]`` is
    :math:`\mathrm{Im}\,y_{ij} + \mathrm{Im}\,y_{ji}` for a Re row and :math:`\mathrm{Re}\,y_{ji} -
    \mathrm{Re}\,y_{ij}` for an Im row (``im`` comes in zeroed)."""
    n = len(ptr) - 1
    mark = np.full(n, -1, np.int64)
    acc_re, acc_im = np.zeros(n), np.zeros(n)
    width = 0
    for r in range(len(indptr) - 1):
        width = max(width, indptr[r + 1] - indptr[r])
    buf = np.empty(2 * width, np.int64)
    for r in range(len(indptr) - 1):
        a, b = r % d, r // d
        kr, ti = tre[r], tim[r]
        if kr < 0 and ti == 0:  # no coordinate kept uses this row
            continue
        own = a <= b  # the row ij of coordinates kr (Re) and ti - 1 (Im)
        m = 0
        yr, yi = 0.0, 0.0
        for e in range(indptr[r], indptr[r + 1]):
            c = indices[e]
            vr, vi = data[e].real, data[e].imag
            xr, xi = 0.0, 0.0
            t = tre[c]
            if t >= 0:  # v * 1
                xr = x[t]
                if own:
                    if mark[t] != r:
                        mark[t] = r
                        buf[m] = t
                        m += 1
                        acc_re[t] = 0.0 + vr
                        acc_im[t] = 0.0 + vi
                    else:
                        acc_re[t] += vr
                        acc_im[t] += vi
            t = tim[c]
            if t != 0:  # v * (+-i)
                sg = 1.0 if t > 0 else -1.0
                t = abs(t) - 1
                xi = sg * x[t]
                if own:
                    if mark[t] != r:
                        mark[t] = r
                        buf[m] = t
                        m += 1
                        acc_re[t] = 0.0 - sg * vi
                        acc_im[t] = 0.0 + sg * vr
                    else:
                        acc_re[t] -= sg * vi
                        acc_im[t] += sg * vr
            yr += vr * xr - vi * xi
            yi += vr * xi + vi * xr
        if own:
            for q in range(m):  # SciPy's order: the last column met first
                t = buf[m - 1 - q]
                if kr >= 0:
                    cols[ptr[kr] + q] = t
                    vals[ptr[kr] + q] = acc_re[t]
                if ti > 0:
                    cols[ptr[ti - 1] + q] = t
                    vals[ptr[ti - 1] + q] = acc_im[t]
            if a == b:
                if kr >= 0:
                    im[kr] = yi + yi
                continue
            if kr >= 0:
                im[kr] += yi
            if ti > 0:
                im[ti - 1] -= yr
        else:  # the row ji of coordinates kr (Re) and -ti - 1 (Im)
            if kr >= 0:
                im[kr] += yi
            if ti < 0:
                im[-ti - 1] += yr


def _check_hermiticity(L: sps.csr_matrix, A: sps.csr_matrix, ij: np.ndarray, ji: np.ndarray, im: np.ndarray) -> None:
    r"""Raise :class:`ModelError` unless :math:`(\mathcal L\rho)_{ji} = \overline{(\mathcal L\rho)_{ij}}`
    on the coordinates kept, tested on one Hermitian :math:`\rho = Tx` (seeded signs :math:`x = \pm 1`):
    ``im`` is the imaginary part of :math:`P\mathcal L T x` times 2 (:func:`_real_rows`).

    When every entry of :math:`\mathrm{Im}(P\mathcal L T)` is at most :math:`10^{-12}\max|A|` (the
    entrywise bound on the whole matrix), row :math:`k` of it is at most :math:`10^{-12}\max|A|` times
    the number of its entries, at most twice those of the rows :math:`ij` and :math:`ji` of
    :math:`\mathcal L`."""
    count = np.diff(L.indptr)
    scale = max(A.data.max(), -A.data.min()) if A.nnz else 0.0
    if np.any(~(0.5 * np.abs(im) <= 1e-12 * scale * 2 * (count[ij] + count[ji]))):
        raise ModelError("the Liouvillian does not preserve Hermiticity (is the Hamiltonian Hermitian?)")


def real_form(Lvec: sps.csr_matrix, rep: Representation, keep_pairs: np.ndarray | None = None,
              use_symmetries: bool = True) -> RealForm:
    """Build :class:`RealForm` from the complex Liouvillian ``Lvec`` (column stacking).

    ``keep_pairs`` is an optional boolean mask over Hilbert-space index pairs (d x d) that
    selects a sector closed under the Liouvillian (e.g. equal U(1) charges of ket and bra).
    With ``use_symmetries`` the coordinates are further restricted to the +1 sector of every
    parity or parity x conjugation symmetry that commutes with the Liouvillian
    (:func:`vec_sign_symmetries`; the unique steady state lies there).
    """
    d = rep.dim
    iu, ju = _pairs(d)
    diag = np.arange(d)
    # kept coordinates: masks over the diagonal and the pairs i < j for Re and Im
    mdiag = np.ones(d, dtype=bool) if keep_pairs is None else keep_pairs[diag, diag]
    mre = np.ones(len(iu), dtype=bool) if keep_pairs is None else keep_pairs[iu, ju]
    mim = mre.copy()
    syms = vec_sign_symmetries(Lvec, rep) if use_symmetries else []
    for _, u, anti in syms:  # u_i u_j = -1: odd pair; kept when even, for Im with conj when odd
        neg = u < 0
        odd = neg[iu] ^ neg[ju]
        mre &= ~odd
        mim &= odd if anti else ~odd
    i = np.concatenate([diag[mdiag], iu[mre], iu[mim]])
    j = np.concatenate([diag[mdiag], ju[mre], ju[mim]])
    kind = np.repeat(np.arange(3), [int(mdiag.sum()), int(mre.sum()), int(mim.sum())])
    del iu, ju, mre, mim
    n = len(i)
    L = sps.csr_matrix(Lvec)
    ij, ji = i + j * d, j + i * d
    tre, tim = _vec_to_coordinates(d, ij, ji, kind)
    # x = P vec(L rho) takes Re and Im of (L rho)_ij, i <= j: only the rows i + j d of L are needed,
    # (L rho)_ji being the conjugate of (L rho)_ij (checked below, on the rows ji)
    ptr = _real_row_lengths(L.indptr, L.indices, d, tre, tim, n)
    nnz = int(ptr[-1])
    it = np.int32 if max(n, nnz) <= np.iinfo(np.int32).max else np.int64
    cols, vals, im = np.empty(nnz, dtype=it), np.empty(nnz), np.zeros(n)
    x = np.random.default_rng(0).choice([-1.0, 1.0], size=n)  # the Hermitian test matrix rho = T x
    _real_rows(L.indptr, L.indices, L.data, d, tre, tim, x, ptr, cols, vals, im)
    del tre, tim
    A = sps.csr_matrix((vals, cols, ptr.astype(it)), shape=(n, n))
    if A.nnz and not A.data.all():
        A.eliminate_zeros()
    _check_hermiticity(L, A, ij, ji, im)
    return RealForm(A, i, j, kind, d, [name for name, _, _ in syms])
