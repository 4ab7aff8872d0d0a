r"""Permutation-invariant numerics for N d-level atoms (qudits), seed 001 Sec. IV-V.

Convention (hbar = 1, QuTiP's, see docs/ARCHITECTURE.md):

.. math::
    \dot\rho = -i[H,\rho] + \sum_k r_k\big(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}\big)
             + \sum_l r_l\sum_{i=1}^N\big(X_{l,i}\rho X_{l,i}^\dagger - \tfrac12\{X_{l,i}^\dagger X_{l,i},\rho\}\big),

with :math:`H` and the collective jumps :math:`L_k` polynomials in collective operators
:math:`J[X] = \sum_{i=1}^N X_i` (X a single-atom :math:`d\times d` matrix) and :math:`X_l` single-atom
jumps.  Single-atom basis :math:`|0\rangle..|d-1\rangle`, level a is :math:`m = a - j`,
:math:`j = (d-1)/2` (as :class:`analytic.algebra.Atoms`).

Representation (Gegg & Richter, NJP 18, 043037 (2016); Shammah et al., PRA 98, 063815 (2018) for
qubits; seed 001 Sec. IV).  Operators on :math:`(\mathbb C^d)^{\otimes N}` form
:math:`(\mathbb C^{d^2})^{\otimes N}`, each atom carrying one of the :math:`K = d^2` "modes"
:math:`|a\rangle\langle b|` (orthonormal for the Hilbert-Schmidt product).  Permutation-invariant
operators are the symmetric tensors, i.e. the bosonic Fock space of N bosons in K modes, of
dimension :math:`\binom{N+d^2-1}{N}`.  Its orthonormal basis is

.. math:: \hat S(\mathbf n) = \Big(\tfrac{N!}{\prod_\alpha n_\alpha!}\Big)^{-1/2}
          \sum_{\text{distinct orderings}} \bigotimes_{i}|a_i\rangle\langle b_i|,
          \qquad \mathbf n = (n_{ab}),\ \textstyle\sum n_{ab} = N,

and :math:`\rho = \sum_{\mathbf n} c_{\mathbf n}\hat S(\mathbf n)`.  Every term of the Liouvillian is a
product of one-body superoperators :math:`\sum_i s_i`, which act as
:math:`\sum_{\alpha\beta} s_{\alpha\beta}\,b^\dagger_\alpha b_\beta` with bosonic
:math:`b^\dagger_\alpha b_\beta|\mathbf n\rangle = \sqrt{n_\beta(n_\alpha+1-\delta_{\alpha\beta})}\,|\mathbf n - e_\beta + e_\alpha\rangle`.
With the mode index :math:`\alpha = (a, b) \mapsto a d + b`:

* left multiplication :math:`\rho\mapsto J[X]\rho`: :math:`s = X\otimes 1`;
* right multiplication :math:`\rho\mapsto\rho J[Y]`: :math:`s = 1\otimes Y^T`;
* individual sandwich :math:`\rho\mapsto\sum_i X_i\rho Y_i^\dagger`: :math:`s = X\otimes\bar Y`.

The basis being orthonormal, the matrix is the restriction of the full :math:`d^{2N}` Liouvillian
to the permutation-symmetric operators (an isometry, tested against the brute-force Liouvillian),
:math:`\mathrm{Tr}\rho^2 = \sum|c_{\mathbf n}|^2` for Hermitian :math:`\rho`, and
:math:`\mathrm{Tr}\hat S(\mathbf n) = (N!/\prod_a n_{aa}!)^{1/2}` when only diagonal modes are
occupied (0 otherwise).

Symmetries (seed 001 Sec. II and IV).  :math:`\Pi_1: A\mapsto e^{i\pi J_z}Ae^{-i\pi J_z}` multiplies
:math:`\hat S(\mathbf n)` by :math:`(-1)^{q}`, :math:`q = \sum_{ab} n_{ab}(a-b)`: parity :math:`p_1`.
The antiunitary :math:`\Pi_2: A\mapsto\omega^{J_z}A^*\omega^{-J_z}` (:math:`\omega\in\{1,-1,-i,i\}`,
found on the numeric Liouvillian exactly as for qubits in :mod:`numeric.pi.permutational`) combined
with Hermitian conjugation is the linear involution
:math:`T\hat S(\mathbf n) = \omega^{-q}\hat S(\mathbf n^T)` (:math:`n^T_{ab} = n_{ba}`), parity
:math:`p_2`.  Its eigenvectors are :math:`\hat S(\mathbf n)` for :math:`\mathbf n = \mathbf n^T`
(:math:`p_2 = +1`, q = 0) and :math:`(\hat S(\mathbf n) \pm \omega^{-q}\hat S(\mathbf n^T))/\sqrt2` for
each pair :math:`\mathbf n\ne\mathbf n^T`.  The four blocks :math:`(p_1, p_2)` therefore have
dimensions #(pairs with q even) + #(self-transposed), #(pairs with q even), #(pairs with q odd)
twice, computed by :func:`sector_dimensions` from the same labels (:meth:`SymmetricBasis.roles`)
that build the blocks.  The steady state is in :math:`(+1, +1)`.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping, Sequence

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spla
from scipy.special import gammaln
import sympy as sp

from analytic.algebra import Atoms, Local, Op
from analytic.model import Model, ModelError
from numeric.core.errors import SolverError
from numeric.core.operators import numeric_values
from numeric.solvers.uniqueness import kernel_probe, not_unique, structural_cause
from numeric.pi.permutational import check_N, detect_symmetries, eigs_near_zero
from numeric.core import resources
from numeric.states.observables import as_operator
from numeric.states.state import StateLike, squeezing_from_moments

__all__ = [
    "SymmetricBasis", "QuditLiouvillian", "QuditState", "sector_dimensions", "from_model",
    "steady_state_qudits", "spectrum_qudits", "gap_qudits", "SECTORS",
]

SECTORS = ((1, 1), (1, -1), (-1, 1), (-1, -1))
"""Sector labels :math:`(p_1, p_2)` in seed 001's order."""

#: A polynomial in collective operators: ``[(coefficient, (X1, X2, ...)), ...]`` meaning
#: :math:`\sum c\,J[X_1]J[X_2]\cdots` (an empty tuple is the identity).
Poly = Sequence[tuple]

_DENSE_CAP = 4096  # largest d**N for which the dense d^N x d^N density matrix is built
_DENSE_SOLVE = 2000  # largest sector solved by dense LU in steady_state_qudits (Arnoldi above)
_DENSE_EIG = 1500  # largest sector diagonalised densely (all eigenvalues)


# =========================================================================== basis
def _check_d(d) -> int:
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
        self.N, self.d = check_N(N), _check_d(d)
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
def _basis(N: int, d: int) -> SymmetricBasis:
    return SymmetricBasis(N, d)


def _sector_columns(basis: SymmetricBasis, sector: tuple) -> tuple:
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
    return tuple(sum(len(c) for c in _sector_columns(basis, s)) for s in SECTORS)


# =========================================================================== polynomials
def _mat(X, d: int, name: str) -> np.ndarray:
    try:
        M = np.asarray(X, dtype=complex)
    except (TypeError, ValueError):
        raise ModelError(f"{name}: single-atom operator must be a numeric {d}x{d} matrix") from None
    if M.shape != (d, d) or not np.all(np.isfinite(M)):
        raise ModelError(f"{name}: single-atom operator must be a finite {d}x{d} matrix, got shape {M.shape}")
    return M


def _poly(p, d: int, name: str) -> list:
    """Validate a :data:`Poly` into ``[(complex, (ndarray, ...)), ...]``."""
    out = []
    try:
        for c, word in p:
            c = complex(c)
            if not np.isfinite(abs(c)):
                raise ModelError(f"{name}: coefficient {c} is not finite")
            out.append((c, tuple(_mat(X, d, name) for X in word)))
    except (TypeError, ValueError):
        raise ModelError(f"{name} must be a sequence of (coefficient, (X1, X2, ...)) terms") from None
    return out


def _dagger(p: list) -> list:
    return [(np.conj(c), tuple(X.conj().T for X in reversed(w))) for c, w in p]


def _product(p: list, r: list) -> list:
    return [(c1 * c2, w1 + w2) for c1, w1 in p for c2, w2 in r]


# =========================================================================== superoperators
class _Builder:
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


# =========================================================================== Liouvillian
class QuditLiouvillian:
    r"""Permutation-invariant Liouvillian of N d-level atoms on the basis :math:`\hat S(\mathbf n)`.

    Parameters
    ----------
    N, d : int
        Number of atoms (>= 1) and levels per atom (>= 2).
    hamiltonian : Poly
        :math:`H = \sum c\,J[X_1]\cdots J[X_k]` as ``[(c, (X1, ..., Xk)), ...]`` (Hermitian).
    collective : sequence of (rate, Poly)
        Collective jumps :math:`r\,\mathcal D[L]`, L a collective polynomial.
    individual : sequence of (rate, X)
        Individual jumps :math:`r\sum_i\mathcal D[X_i]`, X a :math:`d\times d` matrix.

    Attributes
    ----------
    L : scipy.sparse.csr_matrix
        The Liouvillian on the coefficients :math:`c_{\mathbf n}`.
    symmetries : dict
        ``{'u1', 'z2', 'omega'}`` as detected by :mod:`numeric.pi.permutational`.
    sectors : list
        Sector labels :math:`(p_1, p_2)` (only the symmetries that exist; ``[None]`` without any).
    model, atoms, values
        The catalogue model, its ensemble and numeric values when built by :func:`from_model`
        (then observables accept the model's operator strings), else None.
    """

    def __init__(self, N: int, d: int, hamiltonian: Poly = (), collective: Sequence = (),
                 individual: Sequence = ()):
        self.basis = _basis(check_N(N), _check_d(d))
        self.N, self.d = self.basis.N, self.basis.d
        self.model, self.atoms, self.values = None, None, {}  # set by from_model
        b = _Builder(self.basis)
        H = _poly(hamiltonian, self.d, "hamiltonian")
        LH, LHd = b.left(H), b.left(_dagger(H))
        if abs(LH - LHd).sum() > 1e-12 * max(1.0, abs(LH).sum()):
            raise ModelError("hamiltonian is not Hermitian")
        L = -1j * LH + 1j * b.right(H)
        for k, term in enumerate(collective):
            r, P = self._rate(term, f"collective[{k}]")
            P = _poly(P, self.d, f"collective[{k}]")
            Pd = _dagger(P)
            K = _product(Pd, P)
            L = L + r * (b.left(P) @ b.right(Pd) - 0.5 * b.left(K) - 0.5 * b.right(K))
        for k, term in enumerate(individual):
            r, X = self._rate(term, f"individual[{k}]")
            X = _mat(X, self.d, f"individual[{k}]")
            K = [(1.0, (X.conj().T @ X,))]
            L = L + r * (b.sandwich(X) - 0.5 * b.left(K) - 0.5 * b.right(K))
        L = sps.csr_matrix(L)
        L.sum_duplicates()
        L.eliminate_zeros()
        self.L = L
        self.scale = float(abs(L).sum(axis=0).max()) if L.nnz else 1.0
        self.symmetries = detect_symmetries(L, self.basis, self.scale)
        s = self.symmetries
        p1 = (1, -1) if s["z2"] else (None,)
        p2 = (1, -1) if s["omega"] is not None else (None,)
        self.sectors = [(a, c) for a in p1 for c in p2] if (s["z2"] or s["omega"] is not None) else [None]

    @staticmethod
    def _rate(term, name: str):
        try:
            r, op = term
            r = float(r)
        except (TypeError, ValueError):
            raise ModelError(f"{name} must be a pair (rate, operator)") from None
        if not (np.isfinite(r) and r >= 0):
            raise ModelError(f"{name}: rate must be a finite number >= 0, got {r!r}")
        return r, op

    def sector_basis(self, sector) -> sps.csr_matrix:
        r"""Orthonormal columns (sparse :math:`n\times n_s`) spanning the sector ``(p1, p2)``
        (``None``: the whole space).  A label whose symmetry is absent may be given as None,
        e.g. ``(1, None)``."""
        b = self.basis
        if sector is None or sector == (None, None):
            return sps.identity(b.n, dtype=complex, format="csr")
        if sector not in self.sectors:
            raise ModelError(f"sector={sector!r} is not a sector of this Liouvillian; sectors are {self.sectors}")
        p1, p2 = sector
        if p2 is None:
            sel = np.nonzero((b.q % 2 == 0) if p1 == 1 else (b.q % 2 == 1))[0]
            return sps.csr_matrix((np.ones(len(sel)), (sel, np.arange(len(sel)))), shape=(b.n, len(sel)))
        selfs, reps = _sector_columns(b, (p1 if p1 is not None else 1, p2))
        if p1 is None:  # no Pi_1: both parities together
            other = _sector_columns(b, (-1, p2))
            selfs, reps = np.concatenate([selfs, other[0]]), np.concatenate([reps, other[1]])
        w = complex(self.symmetries["omega"])
        ph = p2 * np.array([w ** (-int(k)) for k in b.q[reps]])
        s2 = 1 / math.sqrt(2)
        ns, nr = len(selfs), len(reps)
        rows = np.concatenate([selfs, reps, b.transpose[reps]])
        cols = np.concatenate([np.arange(ns), ns + np.arange(nr), ns + np.arange(nr)])
        vals = np.concatenate([np.ones(ns), np.full(nr, s2), ph * s2])
        return sps.csr_matrix((vals, (rows, cols)), shape=(b.n, ns + nr))

    def sector_matrix(self, sector) -> sps.csr_matrix:
        """The block :math:`B^\\dagger\\mathcal L B` of a sector."""
        B = self.sector_basis(sector)
        return (B.conj().T @ self.L @ B).tocsr()

    def steady_sector(self):
        """The sector of the steady state (p1 = p2 = +1 where defined)."""
        return self.sectors[0]


# =========================================================================== model adapter
def _op_poly(op: Op, atoms: Atoms, vals: dict, name: str) -> list:
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


def _atoms(model: Model) -> Atoms:
    if not isinstance(model, Model):
        raise ModelError(f"model must be an analytic.model.Model, got {type(model).__name__}")
    subs = model.subsystems
    if len(subs) != 1 or not isinstance(subs[0], Atoms):
        raise ModelError(f"model {model.name!r}: the qudit representation needs exactly one Atoms ensemble, "
                         f"it has {[(s.kind, s.name) for s in subs]}")
    return subs[0]


def from_model(model: Model, values: Mapping, N: int, max_memory=None) -> QuditLiouvillian:
    r"""The :class:`QuditLiouvillian` of a catalogue model (one :class:`~analytic.algebra.Atoms`
    ensemble of any d), e.g. ``analytic.models.lmg(d=3)`` (seed 001 eqs. 2-6).

    Parameters
    ----------
    model : analytic.model.Model
    values : mapping
        ``{parameter name: number}`` for every parameter (N is given separately).
    N : int
        Number of atoms.
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`, a ``ModelError``) when the estimated
        peak memory (:func:`numeric.core.resources.estimate_qudits`) exceeds it; default 80% of the
        available memory.
    """

    atoms = _atoms(model)
    N = check_N(N)
    resources.check(resources.estimate_qudits(N, atoms.d), max_memory, "qudits.from_model")
    vals = numeric_values(model, values, {str(s): N for s in model.size_symbols()})
    H = _op_poly(model.hamiltonian, atoms, vals, "hamiltonian")
    coll, ind = [], []
    for dis in model.dissipators:
        r = complex(sp.sympify(dis.rate).subs(vals)).real
        if dis.kind == "collective":
            coll.append((r, _op_poly(dis.jump, atoms, vals, dis.label)))
        else:
            jump = dis.jump
            if not isinstance(jump, Local):
                raise ModelError(f"dissipator {dis.label!r}: an individual jump must be a single-atom operator")
            ind.append((r, np.array(sp.N(jump.matrix.subs(vals)), dtype=complex)))
    ql = QuditLiouvillian(N, atoms.d, H, coll, ind)
    ql.model, ql.atoms, ql.values = model, atoms, vals
    return ql


# =========================================================================== steady state, spectrum
def steady_state_qudits(ql: QuditLiouvillian, tol: float | None = None) -> "QuditState":
    r"""Steady state :math:`\mathcal L\rho = 0`, :math:`\mathrm{Tr}\rho = 1` in the steady-state sector.

    The block :math:`M = B^\dagger\mathcal LB` is singular with left null vector
    :math:`t^TB` (trace preservation, :math:`t_{\mathbf n} = \mathrm{Tr}\hat S(\mathbf n)`); the row
    with the largest :math:`|t^TB|` entry is replaced by the trace condition and the system solved
    by dense LU up to 2000 unknowns.  Above, no factorisation: the blocks couple every occupation
    vector to O(d^4 N) others and LU fills in almost completely (the d = 4, N = 7 block of seed 001
    Fig. 7, 43 186 unknowns, would need ~30 GB); the steady state is instead the eigenvector of the
    rightmost eigenvalue 0 of the block, by implicitly restarted Arnoldi (ARPACK, ``which='LR'``,
    matrix-vector products only; every Liouvillian eigenvalue has :math:`\mathrm{Re}\lambda\le 0`).

    Raises
    ------
    SolverError
        Singular system or residual :math:`\|\mathcal Lc\|_2` above ``tol`` (default
        :math:`10^{-10}\|\mathcal L\|_1`).
    """
    if tol is not None and not (isinstance(tol, (int, float)) and tol > 0):
        raise ModelError(f"tol must be a positive number, got tol={tol!r}")
    if ql.model is not None:
        rates = [sp.sympify(d.rate).subs(ql.values) for d in ql.model.dissipators]
        cause = structural_cause(ql.model, ql.values, rates, [])
        if cause is not None:
            raise not_unique("steady_state_qudits", cause=cause[0], rho0=False)
    sec = ql.steady_sector()
    B = ql.sector_basis(sec)
    block = ql.sector_matrix(sec)
    if B.shape[1] > _DENSE_SOLVE:
        vals, vecs = _rightmost(block, 2)
        if np.sum(np.abs(vals) <= 1e-10 * ql.scale) > 1:  # a second eigenvalue 0: kernel dimension >= 2
            raise not_unique("steady_state_qudits", nullity=1, rho0=False)
        return _checked_state(ql, B @ vecs[:, int(np.argmin(np.abs(vals)))], tol)
    M = block.tolil()
    t = B.T @ ql.basis.trace
    k = int(np.argmax(np.abs(t)))
    M[k, :] = t.reshape(1, -1)
    rhs = np.zeros(M.shape[0], dtype=complex)
    rhs[k] = 1.0
    Md = M.toarray()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sla.LinAlgWarning)  # an exactly zero pivot is judged below
        try:
            lu = sla.lu_factor(Md)
        except (sla.LinAlgError, ValueError) as exc:
            raise SolverError(f"steady_state_qudits: LU failed ({exc})") from None
        scale = float(np.abs(Md).sum(axis=1).max()) or 1.0
        nullity, svals = kernel_probe(lambda v: Md @ v, lambda b: sla.lu_solve(lu, b), Md.shape[0], scale, k=3)
        if nullity:
            raise not_unique("steady_state_qudits", nullity=nullity, k=3, svals=svals, rho0=False)
        y = sla.lu_solve(lu, rhs)
    return _checked_state(ql, B @ y, tol)


def _rightmost(M: sps.spmatrix, k: int) -> tuple:
    """The ``k`` eigenvalues of largest real part of a sparse block and their eigenvectors (ARPACK)."""
    k = min(int(k), M.shape[0] - 2)
    try:
        return spla.eigs(M.tocsr(), k=k, which="LR", ncv=max(2 * k + 1, 40), tol=1e-13, maxiter=200000)
    except spla.ArpackNoConvergence as exc:
        raise SolverError(f"Arnoldi did not converge on a block of {M.shape[0]} unknowns ({exc})") from None


def _checked_state(ql: QuditLiouvillian, c: np.ndarray, tol: float | None) -> "QuditState":
    c = c / (ql.basis.trace @ c)
    res = float(np.linalg.norm(ql.L @ c))
    limit = tol if tol is not None else 1e-10 * ql.scale
    if not (np.all(np.isfinite(c)) and res <= limit):
        raise SolverError(f"steady_state_qudits: residual ||L rho|| = {res:.2e} > tol = {limit:.2e}")
    return QuditState(ql, c, residual=res)


def _sector_eigs(ql: QuditLiouvillian, sector, k: int, rightmost: bool = False) -> np.ndarray:
    """All eigenvalues of a block up to ``_DENSE_EIG`` unknowns (dense), else ``k`` of them: those of
    smallest modulus (shift-invert Arnoldi of :mod:`numeric.pi.permutational`), or with ``rightmost``
    those of largest real part (Arnoldi without factorisation)."""
    M = ql.sector_matrix(sector)
    if M.shape[0] == 0:
        return np.zeros(0, dtype=complex)
    if M.shape[0] <= _DENSE_EIG:
        return sla.eigvals(M.toarray())
    if rightmost:
        return _rightmost(M, k)[0]
    return eigs_near_zero(M, min(int(k), M.shape[0]))


def spectrum_qudits(ql: QuditLiouvillian, k: int = 6, sector=None) -> np.ndarray:
    r"""The ``k`` eigenvalues closest to 0 (by modulus) in one sector, or in all sectors when
    ``sector is None``; dense diagonalisation up to 1500 unknowns per block, shift-invert Arnoldi
    above."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ModelError(f"k must be a positive integer, got k={k!r}")
    todo = ql.sectors if sector is None else [sector]
    ev = np.concatenate([_sector_eigs(ql, s, k) for s in todo])
    return ev[np.argsort(np.abs(ev), kind="stable")][:k]


def gap_qudits(ql: QuditLiouvillian, sector=None, k: int = 6) -> float:
    r"""Gap :math:`\Delta^{(p_1,p_2)}` of seed 001 eqs. (15)-(16): :math:`-\mathrm{Re}\lambda_0` in a
    sector other than the steady state's, :math:`-\mathrm{Re}\lambda_1` in the steady-state sector
    (the default; eigenvalues with :math:`|\lambda| \le 10^{-9}\|\mathcal L\|` are the steady
    state), eigenvalues ordered by :math:`|\mathrm{Re}\lambda|` as in the paper.  Exact for blocks
    up to 1500 unknowns (all eigenvalues); above, among the ``k`` rightmost eigenvalues (Arnoldi,
    ``which='LR'``, no factorisation)."""
    sec = ql.steady_sector() if sector is None else sector
    ev = _sector_eigs(ql, sec, k, rightmost=True)  # the slowest modes are the rightmost eigenvalues
    if sec == ql.steady_sector():
        ev = ev[np.abs(ev) > 1e-9 * ql.scale]
    if len(ev) == 0:
        raise ModelError("gap_qudits: no non-zero eigenvalue found; increase k")
    return float(-ev.real.max())


# =========================================================================== state
@lru_cache(maxsize=None)
def _spin_matrices(d: int) -> tuple:
    r"""Single-atom spin-j matrices :math:`(j_x, j_y, j_z, j_+, j_-)`, :math:`j = (d-1)/2`, in the level
    basis (level k is :math:`m = k - j`), from :meth:`analytic.algebra.Atoms.spin_matrix`."""
    atoms = Atoms("", sp.Symbol("N", positive=True), d)
    jp, jm, jz = (np.array(sp.N(atoms.spin_matrix(x)), dtype=complex) for x in ("p", "m", "z"))
    return (jp + jm) / 2, (jp - jm) / 2j, jz, jp, jm


@dataclass
class QuditState(StateLike):
    r"""A permutation-invariant state :math:`\rho = \sum_{\mathbf n} c_{\mathbf n}\hat S(\mathbf n)`.

    Implements :class:`numeric.states.state.StateLike` in float64 (``dps`` is None: the qudit solver has no
    arbitrary-precision path); the collective spin is :math:`\mathbf J = \sum_i \mathbf j^{(i)}` of
    the spin-j atoms, :math:`J_{\max} = Nj`.  Observables: :meth:`expect` of collective polynomials,
    :meth:`purity` :math:`\mathrm{Tr}\rho^2` (seed 001 Fig. 7), :meth:`negativity` (seed 001 eq. 17),
    :meth:`density_matrix` (the dense :math:`d^N\times d^N` matrix, small N only).
    """

    liouvillian: QuditLiouvillian
    c: np.ndarray
    residual: float | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        self.basis = self.liouvillian.basis
        self.c = np.asarray(self.c, dtype=complex)
        if self.c.shape != (self.basis.n,) or not np.all(np.isfinite(self.c)):
            raise ModelError(f"c must be {self.basis.n} finite coefficients, got shape {self.c.shape}")

    @property
    def model(self):
        """The catalogue model (states of :func:`from_model`), else None."""
        return self.liouvillian.model

    @property
    def values(self) -> dict:
        """``{Symbol: value}`` of :func:`from_model` (empty for a Liouvillian built from matrices)."""
        return self.liouvillian.values

    def _as_poly(self, op) -> list:
        d = self.basis.d
        if isinstance(op, (str, Op)):
            model = self.liouvillian.model
            if model is None:
                raise ModelError("operator strings need a state built with from_model(); pass a d x d matrix "
                                 "(collective J[X]) or a polynomial [(c, (X1, ...)), ...]")
            return _op_poly(as_operator(model, op), self.liouvillian.atoms, self.liouvillian.values, "op")
        if isinstance(op, np.ndarray) or (isinstance(op, list) and op and isinstance(op[0], list)):
            return [(1.0, (_mat(op, d, "op"),))]  # a single-atom matrix X: A = J[X]
        return _poly(op, d, "op")

    def _tr(self, poly: list) -> complex:
        return complex(self.basis.trace @ (_Builder(self.basis).left(poly) @ self.c))

    def expect(self, op):
        r""":math:`\mathrm{Tr}(A\rho)` for a collective polynomial A: a :math:`d\times d` matrix X
        (:math:`A = J[X]`), a :data:`Poly`, or (states from :func:`from_model`) an operator string
        or :class:`~analytic.algebra.Op` of the model.  A float for a Hermitian operator string or
        Op, else complex."""
        v = self._tr(self._as_poly(op))
        if isinstance(op, (str, Op)):
            A = as_operator(self.model, op)
            if (A - A.dagger()).simplify().is_zero():
                return v.real
        return v

    def variance(self, op):
        r""":math:`\langle A^2\rangle - \langle A\rangle^2` (A given as in :meth:`expect`)."""
        p = self._as_poly(op)
        m = self._tr(p)
        v = self._tr(_product(p, p)) - m * m
        return v.real if abs(v.imag) <= 1e-12 * max(1.0, abs(v)) else v

    def trace(self) -> float:
        r""":math:`\mathrm{Tr}\rho = \sum_{\mathbf n} c_{\mathbf n}\mathrm{Tr}\hat S(\mathbf n)`."""
        return float((self.basis.trace @ self.c).real)

    def purity(self) -> float:
        r""":math:`\mathrm{Tr}\rho^2 = \sum_{\mathbf n}|c_{\mathbf n}|^2` (orthonormal basis, Hermitian :math:`\rho`)."""
        return float(np.vdot(self.c, self.c).real)

    def populations(self) -> np.ndarray:
        r""":math:`P(M) = \mathrm{Tr}(\rho\,\Pi_M)` of the collective :math:`J_z = M`, for
        :math:`M = Nj, Nj-1, \dots, -Nj`: only :math:`\hat S(\mathbf n)` with diagonal modes alone
        have a diagonal, :math:`\mathrm{Tr}(\Pi_M\hat S(\mathbf n)) = \mathrm{Tr}\hat S(\mathbf n)` when
        :math:`\sum_a n_{aa}(a - j) = M` (0 otherwise)."""
        b = self.basis
        diag = np.arange(b.d) * (b.d + 1)  # modes |a><a|
        idx = b.occ[:, diag].astype(np.int64) @ (b.d - 1 - np.arange(b.d))  # Nj - M
        P = np.zeros(b.N * (b.d - 1) + 1)
        np.add.at(P, idx, (b.trace * self.c).real)
        return P

    def P(self, m) -> float:
        """Population of the collective :math:`J_z` eigenvalue m (:math:`Nj, Nj-1, \\dots, -Nj`)."""
        b = self.basis
        top = b.N * (b.d - 1) / 2
        i = top - float(m)
        if abs(i - round(i)) > 1e-12 or not 0 <= round(i) <= 2 * top:
            raise ModelError(f"m must be one of Nj, Nj-1, ..., -Nj (Nj={top}), got m={m!r}")
        return float(self.populations()[int(round(i))])

    def mean_spin(self) -> np.ndarray:
        r""":math:`(\langle J_x\rangle, \langle J_y\rangle, \langle J_z\rangle)`."""
        return np.array([self._tr([(1.0, (X,))]).real for X in _spin_matrices(self.basis.d)[:3]])

    def covariance(self) -> np.ndarray:
        r""":math:`C_{ab} = \langle\{J_a, J_b\}\rangle/2 - \langle J_a\rangle\langle J_b\rangle`."""
        J = _spin_matrices(self.basis.d)[:3]
        mean = self.mean_spin()
        C = np.zeros((3, 3))
        for a in range(3):
            for b in range(a, 3):
                s = self._tr([(0.5, (J[a], J[b])), (0.5, (J[b], J[a]))]).real
                C[a, b] = C[b, a] = s - mean[a] * mean[b]
        return C

    def casimir(self) -> float:
        r""":math:`\langle J_x^2 + J_y^2 + J_z^2\rangle` (:math:`Nj(Nj+1)` in the fully symmetric irrep)."""
        return float(self._tr([(1.0, (X, X)) for X in _spin_matrices(self.basis.d)[:3]]).real)

    def g2(self) -> float:
        r""":math:`g^{(2)}(0) = \langle J_+J_+J_-J_-\rangle/\langle J_+J_-\rangle^2`; ModelError when
        :math:`\langle J_+J_-\rangle` vanishes (to 1e-12 Nj)."""
        *_, jp, jm = _spin_matrices(self.basis.d)
        den = self._tr([(1.0, (jp, jm))]).real
        if abs(den) <= 1e-12 * self.basis.N * (self.basis.d - 1) / 2:
            raise ModelError(f"g2 is undefined: <J+ J-> = {den:.3g} vanishes")
        return float(self._tr([(1.0, (jp, jp, jm, jm))]).real / den ** 2)

    def squeezing(self, axis: str | None = None) -> float:
        r"""Spin squeezing of :math:`\mathbf J` (:func:`numeric.states.state.squeezing_from_moments` with
        :math:`2J_{\max} = N(d-1)`): Wineland :math:`\xi^2` for ``axis=None``, else along 'x', 'y', 'z'."""
        return squeezing_from_moments(self.mean_spin(), self.covariance(), self.basis.N * (self.basis.d - 1), axis)

    def density_matrix(self) -> np.ndarray:
        r"""Dense :math:`\rho` on :math:`(\mathbb C^d)^{\otimes N}` (atom 1 slowest index), for
        :math:`d^N \le 4096`: entry :math:`(a_1..a_N; b_1..b_N)` is
        :math:`c_{\mathbf n}(N!/\prod n_\alpha!)^{-1/2}`, :math:`\mathbf n` the occupations of the
        modes :math:`(a_i, b_i)`."""
        b = self.basis
        D = b.d ** b.N
        if D > _DENSE_CAP:
            raise ModelError(f"density_matrix: d**N = {D} exceeds {_DENSE_CAP} (N={b.N}, d={b.d})")
        modes = np.indices((b.K,) * b.N).reshape(b.N, -1).T  # (K^N, N): mode of each atom
        occ = np.zeros((len(modes), b.K), dtype=np.int64)
        for i in range(b.N):
            occ[np.arange(len(modes)), modes[:, i]] += 1
        val = self.c[b.rank(occ)] / np.sqrt(b.multinomial(occ))
        a, bb = np.divmod(modes, b.d)
        w = b.d ** np.arange(b.N - 1, -1, -1)
        rho = np.zeros((D, D), dtype=complex)
        rho[a @ w, bb @ w] = val
        return rho

    def negativity(self, NA: int | None = None) -> float:
        r"""Bipartite negativity (seed 001 eq. 17) :math:`\sum_{\lambda<0}|\lambda|` of
        :math:`\rho^{T_B}`, partition into :math:`N_A` (default :math:`\lceil N/2\rceil`) and
        :math:`N_B = N - N_A` atoms (any such partition: :math:`\rho` is permutation invariant).
        Uses the dense matrix (:math:`d^N\le 4096`)."""
        N, d = self.basis.N, self.basis.d
        NA = (N + 1) // 2 if NA is None else NA
        if isinstance(NA, bool) or not isinstance(NA, (int, np.integer)) or not 1 <= NA < N:
            raise ModelError(f"NA must be an integer in 1..N-1 = {N - 1}, got NA={NA!r}")
        dA, dB = d ** NA, d ** (N - NA)
        rho = self.density_matrix().reshape(dA, dB, dA, dB)
        pt = rho.transpose(0, 3, 2, 1).reshape(dA * dB, dA * dB)
        ev = np.linalg.eigvalsh((pt + pt.conj().T) / 2)
        return float(-ev[ev < 0].sum())
