"""The operator basis of N d-level atoms: symmetric occupation-number basis, collective polynomials, one-body superoperators."""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

import numpy as np
import scipy.sparse as sps
from scipy.special import gammaln
import sympy as sp

from analytic.algebra import Atoms, Op
from analytic.model import ModelError
from numeric.pi.basis import check_N

__all__ = ["SymmetricBasis", "SECTORS", "Poly", "sector_dimensions", "symmetric_basis", "sector_columns", "check_d",
           "as_matrix", "as_poly", "dagger_poly", "product_poly", "Builder", "op_poly"]

SECTORS = ((1, 1), (1, -1), (-1, 1), (-1, -1))
"""Sector labels :math:`(p_1, p_2)` in seed 001's order."""

#: A polynomial in collective operators: ``[(coefficient, (X1, X2, ...)), ...]`` meaning
#: :math:`\sum c\,J[X_1]J[X_2]\cdots` (an empty tuple is the identity).
Poly = Sequence[tuple]

# =========================================================================== basis
def check_d(d: object) -> int:
    """Levels per atom as an int >= 2; ModelError naming d otherwise."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 2:
        raise ModelError(f"d must be an integer >= 2 (levels per atom), got d={d!r}")
    return int(d)


@lru_cache(maxsize=None)
def _compositions(n: int, K: int) -> np.ndarray:
    """All compositions of n into K parts (rows), first part decreasing n..0, then recursively."""
    if K == 1:
        return np.array([[n]], dtype=np.int16)
    blocks = []
    for k in range(n, -1, -1):
        rest = _compositions(n - k, K - 1)
        blocks.append(np.hstack([np.full((len(rest), 1), k, dtype=np.int16), rest]))
    return np.vstack(blocks)


class SymmetricBasis:
    r"""Occupation-number basis :math:`\hat S(\mathbf n)` of the permutation-symmetric operators of
    N d-level atoms (module docstring), dimension :math:`\binom{N+d^2-1}{N}`.

    Attributes
    ----------
    N, d, K : int
        Atoms, levels, modes :math:`K = d^2` (mode :math:`a d + b` is :math:`|a\rangle\langle b|`).
    occ : numpy.ndarray
        ``(n, K)`` occupation numbers, in the order :meth:`rank` returns.
    q : numpy.ndarray
        :math:`q = \sum n_{ab}(a-b)` (the :math:`J_z` charge of :math:`\hat S(\mathbf n)`).
    transpose : numpy.ndarray
        Index of :math:`\mathbf n^T` (the basis element of :math:`\hat S(\mathbf n)^\dagger`).
    trace : numpy.ndarray
        :math:`\mathrm{Tr}\,\hat S(\mathbf n)`.
    """

    def __init__(self, N: int, d: int):
        self.N, self.d = check_N(N), check_d(d)
        self.K = self.d * self.d
        if self.N > np.iinfo(np.int16).max:
            raise ModelError(f"N={self.N} is too large for the occupation-number basis")
        self.n = math.comb(self.N + self.K - 1, self.N)
        if self.n > 5_000_000:
            raise ModelError(f"N={self.N}, d={self.d}: {self.n} basis operators exceed the 5e6 this "
                             "module builds (memory)")
        self._binom = self._binomials()
        self.occ = _compositions(self.N, self.K)
        a, b = np.divmod(np.arange(self.K), self.d)
        self.q = self.occ.astype(np.int64) @ (a - b)
        self.transpose = self.rank(self.occ[:, b * self.d + a])
        diag = a == b
        offdiag_empty = ~np.any(self.occ[:, ~diag] > 0, axis=1)
        self.trace = np.zeros(self.n)
        self.trace[offdiag_empty] = np.sqrt(self.multinomial(self.occ[offdiag_empty]))

    def _binomials(self) -> np.ndarray:
        rows, cols = self.N + self.K, self.K
        if math.comb(rows, min(cols, rows // 2)) >= 2 ** 62:  # pragma: no cover - excluded by the size cap
            raise ModelError("binomial table overflows int64")
        return np.array([[math.comb(r, c) for c in range(cols)] for r in range(rows)], dtype=np.int64)

    def rank(self, occ: np.ndarray) -> np.ndarray:
        r"""Index of each occupation vector (rows of ``occ``, each summing to N).

        Compositions are ordered by decreasing first part, then recursively, so that
        :math:`\mathrm{rank}(\mathbf n) = \sum_{i=0}^{K-2}\binom{r_i - n_i + K - i - 2}{K - i - 1}`
        with :math:`r_i = N - \sum_{l<i} n_l` (hockey-stick identity)."""
        occ = np.asarray(occ)
        out = np.zeros(len(occ), dtype=np.int64)
        rem = np.full(len(occ), self.N, dtype=np.int64)
        for i in range(self.K - 1):
            x = occ[:, i].astype(np.int64)
            out += self._binom[rem - x + (self.K - i - 2), self.K - i - 1]
            rem -= x
        return out

    def multinomial(self, occ: np.ndarray) -> np.ndarray:
        r""":math:`N!/\prod_\alpha n_\alpha!` (float64, from log-gamma)."""
        occ = np.asarray(occ, dtype=float)
        return np.exp(gammaln(self.N + 1.0) - gammaln(occ + 1.0).sum(axis=1))

    def roles(self) -> np.ndarray:
        """Per basis element: 0 if self-transposed, 1 if the first of a transposed pair, 2 if the
        second (the labels that build the symmetry blocks)."""
        idx = np.arange(self.n)
        return np.where(self.transpose == idx, 0, np.where(idx < self.transpose, 1, 2))


@lru_cache(maxsize=8)
def symmetric_basis(N: int, d: int) -> SymmetricBasis:
    return SymmetricBasis(N, d)


def sector_columns(basis: SymmetricBasis, sector: tuple) -> tuple:
    """Basis indices of the self-transposed and the pair-representative columns of a sector
    ``(p1, p2)``: the single labelling used by both the blocks and :func:`sector_dimensions`."""
    p1, p2 = sector
    roles = basis.roles()
    par = (basis.q % 2 == 0) if p1 == 1 else (basis.q % 2 == 1)
    selfs = np.nonzero(par & (roles == 0))[0] if p2 == 1 else np.zeros(0, dtype=np.int64)
    reps = np.nonzero(par & (roles == 1))[0]
    return selfs, reps


def sector_dimensions(N: int, d: int) -> tuple:
    r"""Dimensions of the four blocks :math:`(p_1, p_2)` = (+1,+1), (+1,-1), (-1,+1), (-1,-1) of the
    permutation-invariant Liouvillian of N d-level atoms (seed 001 Sec. IV), counted from the same
    labels that build the blocks.  They add up to :math:`\binom{N+d^2-1}{N}`.

    Examples
    --------
    >>> sector_dimensions(150, 2)
    (149226, 143450, 146300, 146300)
    """
    basis = SymmetricBasis(N, d)
    return tuple(sum(len(c) for c in sector_columns(basis, s)) for s in SECTORS)


# =========================================================================== polynomials
def as_matrix(X: object, d: int, name: str) -> np.ndarray:
    try:
        M = np.asarray(X, dtype=complex)
    except (TypeError, ValueError):
        raise ModelError(f"{name}: single-atom operator must be a numeric {d}x{d} matrix") from None
    if M.shape != (d, d) or not np.all(np.isfinite(M)):
        raise ModelError(f"{name}: single-atom operator must be a finite {d}x{d} matrix, got shape {M.shape}")
    return M


def as_poly(p: object, d: int, name: str) -> list:
    """Validate a :data:`Poly` into ``[(complex, (ndarray, ...)), ...]``."""
    out = []
    try:
        for c, word in p:
            c = complex(c)
            if not np.isfinite(abs(c)):
                raise ModelError(f"{name}: coefficient {c} is not finite")
            out.append((c, tuple(as_matrix(X, d, name) for X in word)))
    except (TypeError, ValueError):
        raise ModelError(f"{name} must be a sequence of (coefficient, (X1, X2, ...)) terms") from None
    return out


def dagger_poly(p: list) -> list:
    return [(np.conj(c), tuple(X.conj().T for X in reversed(w))) for c, w in p]


def product_poly(p: list, r: list) -> list:
    return [(c1 * c2, w1 + w2) for c1, w1 in p for c2, w2 in r]


# =========================================================================== superoperators
class Builder:
    """Sparse one-body superoperators on a :class:`SymmetricBasis` (cached per matrix)."""

    def __init__(self, basis: SymmetricBasis):
        self.basis = basis
        self.cache: dict = {}
        self.eye = sps.identity(basis.n, dtype=complex, format="csr")

    def hop(self, s: np.ndarray) -> sps.csr_matrix:
        r""":math:`\sum_{\alpha\beta}s_{\alpha\beta}b^\dagger_\alpha b_\beta` for a :math:`K\times K` matrix s."""
        key = s.tobytes()
        if key in self.cache:
            return self.cache[key]
        b = self.basis
        occ = b.occ
        rows, cols, vals = [], [], []
        for al, be in zip(*np.nonzero(s)):
            src = np.nonzero(occ[:, be] > 0)[0]
            nb = occ[src, be].astype(float)
            if al == be:
                rows.append(src)
                vals.append(s[al, be] * nb)
            else:
                new = occ[src].copy()
                new[:, be] -= 1
                new[:, al] += 1
                rows.append(b.rank(new))
                vals.append(s[al, be] * np.sqrt(nb * (occ[src, al] + 1.0)))
            cols.append(src)
        if rows:
            M = sps.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                               shape=(b.n, b.n))
        else:
            M = sps.csr_matrix((b.n, b.n), dtype=complex)
        self.cache[key] = M
        return M

    def _polynomial(self, p: list, single) -> sps.csr_matrix:
        r""":math:`\sum_w c_w M_w`, :math:`M_w` built from the identity by folding ``single(X, M)`` over the word."""
        out = sps.csr_matrix((self.basis.n, self.basis.n), dtype=complex)
        for c, w in p:
            M = self.eye
            for X in w:
                M = single(X, M)
            out = out + c * M
        return out.tocsr()

    def left(self, p: list) -> sps.csr_matrix:
        r""":math:`\rho\mapsto P\rho` for a collective polynomial P."""
        one = np.eye(self.basis.d)
        return self._polynomial(p, lambda X, M: M @ self.hop(np.kron(X, one)))

    def right(self, p: list) -> sps.csr_matrix:
        r""":math:`\rho\mapsto\rho P`: :math:`\rho X_1\cdots X_k = R(X_k)\cdots R(X_1)\rho`."""
        one = np.eye(self.basis.d)
        return self._polynomial(p, lambda X, M: self.hop(np.kron(one, X.T)) @ M)

    def sandwich(self, X: np.ndarray) -> sps.csr_matrix:
        r""":math:`\rho\mapsto\sum_i X_i\rho X_i^\dagger`."""
        return self.hop(np.kron(X, X.conj()))


# =========================================================================== model adapter
def op_poly(op: Op, atoms: Atoms, vals: dict, name: str) -> list:
    out = []
    for w, c in op.terms.items():
        mats = []
        for g in w:
            if g.sub != atoms:
                raise ModelError(f"{name}: generator {g} does not belong to the atoms ensemble")
            mats.append(np.array(sp.N(atoms.local_matrix(g.letter)), dtype=complex))
        v = complex(sp.sympify(c).subs(vals))
        if not np.isfinite(abs(v)):
            raise ModelError(f"{name}: coefficient {c} is not finite at the given values")
        out.append((v, tuple(mats)))
    return out
