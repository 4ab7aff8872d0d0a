r"""Permutation-invariant numerics for N atoms with collective *and* individual processes.

Convention (hbar = 1, QuTiP's, see docs/ARCHITECTURE.md):

.. math::
    \dot\rho = -i[H,\rho] + \sum_k r_k\big(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}\big)
             + \sum_l r_l\sum_{n=1}^N\big(X_{l,n}\rho X_{l,n}^\dagger - \tfrac12\{X_{l,n}^\dagger X_{l,n},\rho\}\big),

:math:`H`, :math:`L_k` built from the collective generators :math:`S^\pm, S^z` of an
:class:`~analytic.algebra.Atoms` ensemble, :math:`X_l` any 2x2 single-atom matrix (basis
:math:`|0\rangle` = down, :math:`|1\rangle` = up, as ``Atoms.local_matrix``).

Representation (Chase & Geremia, PRA 78, 052101 (2008); Shammah et al., PRA 98, 063815 (2018)).
A permutation-invariant state is :math:`\rho = \bigoplus_j \rho_j\otimes 1_{d_j}` on the
Schur-Weyl decomposition :math:`(\mathbb C^2)^{\otimes N} = \bigoplus_j V_j\otimes\mathbb C^{d_j}`,
:math:`d_j = \binom{N}{N/2-j} - \binom{N}{N/2-j-1}` (exact Python integers).  The unknowns are the
*weighted blocks* :math:`x_j = d_j\rho_j` (so that :math:`\mathrm{Tr}\rho = \sum_j\mathrm{tr}\,x_j`,
:math:`\langle A\rangle = \sum_j \mathrm{tr}(A_j x_j)` for collective A, and the block populations
:math:`P_j = \mathrm{tr}\,x_j` are O(1) numbers even when :math:`d_j \sim 10^{29}`); each block is
stored column-stacked in the basis :math:`|j, m\rangle`, :math:`m = j, j-1, \dots, -j` (``qutip.jmat``
order), blocks ordered by decreasing j.  About :math:`N^3/6` unknowns.

Individual sandwich terms, derived here (no table of processes): since :math:`\rho` is
permutation invariant, :math:`\sum_n X_n\rho Y_n^\dagger = N\,\mathcal P(X_N\rho Y_N^\dagger)`, with
:math:`\mathcal P` the twirl over :math:`S_N`.  Coupling atom N last,
:math:`|J, M; j'\rangle = \sum_s \langle j', M-s; \tfrac12, s|J, M\rangle\,|j', M-s\rangle|s\rangle`
(:math:`j'` the spin of the first N-1 atoms), Schur's lemma gives

.. math:: x_J \mathrel{+}= \sum_{j'}\sum_{j = j'\pm\frac12} \frac{N d^{(N-1)}_{j'}}{d^{(N)}_j}\,
          A^{Jjj'}_X\, x_j\, A^{Jjj'\dagger}_Y,\qquad
          (A^{Jjj'}_X)_{Mm} = \sum_{s,t}\langle j',M-s;\tfrac12 s|J M\rangle\langle j', m-t;\tfrac12 t|j m\rangle X_{st}\,\delta_{M-s,m-t}.

Every :math:`X_{st}` enters linearly, so any single-atom jump works (sigma^-, sigma^+, sigma^z,
dephasing, a rotated operator...); the anticommutator part is the collective operator
:math:`\sum_n X_n^\dagger X_n` (:meth:`Atoms.collective`).  Every matrix entry is stored as
``sign * sqrt(num/den)`` with exact Python-integer ``num, den`` times a model coefficient, so the
Liouvillian is available in float64 *and* in exact fixed point (:func:`steady_state_pi` with
``dps=``), never in 32-bit.  The twirl argument holds for d-level atoms too (couple one atom to an
su(d) irrep of N-1 atoms); only qubits are implemented.

Symmetries, found exactly on the numeric Liouvillian (seed 001, Sec. IV): with
:math:`q = m - m'` of an entry :math:`|j,m\rangle\langle j,m'|`,

* U(1): :math:`\mathcal L` conserves q (e.g. no drive); the steady state has q = 0.
* :math:`\Pi_1: A\mapsto e^{i\pi J_z}Ae^{-i\pi J_z}` conserves q mod 2 (parity :math:`p_1 = (-1)^q`).
* an antiunitary :math:`\Pi_2: A\mapsto \omega^{J_z}A^*\omega^{-J_z}`, :math:`\omega\in\{1,-1,-i,i\}`
  (driven Dicke: :math:`\omega = -1`; LMG: :math:`\omega = \pm i`, and we take :math:`-i`, the
  choice for which :math:`\langle J_x\rangle_{\Pi_2\rho} = +\langle J_y\rangle_\rho` as seed 001
  states under our standard :math:`J_y`; with it the symmetry-breaking sector is
  :math:`(p_1, p_2) = (-1, +1)` as in seed 001 Figs. 5-6).  Combined with the
  Hermitian conjugation it is the linear involution :math:`(T\rho)_{mm'} = \omega^{q}\rho_{m'm}`,
  parity :math:`p_2`.  The steady state is in :math:`p_1 = p_2 = +1`.

The steady state is solved in real coordinates of Hermitian blocks restricted to its sector
(with :math:`\Pi_2`, one real number per entry pair), a trace row replacing one population
equation, SuperLU; see :func:`steady_state_pi`.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Mapping, Sequence

import mpmath
import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp

from analytic.algebra import Atoms, Op
from analytic.model import Model, ModelError
from analytic.values import exact_number
from numeric.core.errors import SolverError
from numeric.core.operators import numeric_values
from numeric.core.ordering import nested_dissection
from numeric.solvers.uniqueness import FULL_CHECK_MAX, FULL_CHECK_ZERO, kernel_bases, kernel_probe, not_unique, structural_cause
from numeric.core import resources
from numeric.core.arguments import check_dps, check_tol
from numeric.states.observables import as_operator
from numeric.states.state import StateLike, squeezing_from_moments, unavailable

__all__ = [
    "DickeBasis", "PILiouvillian", "PIState", "Metastable", "SolverError", "degeneracy",
    "pi_liouvillian", "steady_state_pi", "spectrum_pi", "gap_pi", "sectors_pi", "metastable_pi",
    "check_N", "detect_symmetries", "eigs_near_zero", "superop_structure", "op_words", "word_local",
]


# =========================================================================== basis
def degeneracy(N: int, j) -> int:
    r"""Multiplicity :math:`d^N_j = \binom{N}{N/2-j} - \binom{N}{N/2-j-1}` of spin j in N qubits
    (seed 004 eq. D1), an exact Python integer (no overflow at any N)."""
    tj = int(round(2 * float(j)))
    if (N - tj) % 2 or tj < 0 or tj > N:
        return 0
    k = (N - tj) // 2
    return math.comb(N, k) - (math.comb(N, k - 1) if k >= 1 else 0)


def check_N(N) -> int:
    """The number of atoms as an int >= 1 (an integral float is accepted); ModelError naming N otherwise."""
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)):
        if isinstance(N, float) and N.is_integer():
            N = int(N)
        else:
            raise ModelError(f"N must be a positive integer (number of atoms), got N={N!r}")
    if N < 1:
        raise ModelError(f"N must be a positive integer (number of atoms), got N={N!r}")
    return int(N)


class DickeBasis:
    r"""Index map of the weighted blocks :math:`x_j` of N qubits.

    Attributes
    ----------
    N : int
    tj : numpy.ndarray
        :math:`2j` of every block, decreasing (N, N-2, ..., 0 or 1).
    dims, offsets : numpy.ndarray
        Block sizes :math:`2j+1` and the offsets of the column-stacked blocks in the vector.
    deg : list of int
        Exact degeneracies :math:`d_j`.
    blk, a, b : numpy.ndarray
        For every vector index: block, row and column (:math:`m = j - a`, :math:`m' = j - b`).
    q : numpy.ndarray
        :math:`q = m - m' = b - a`.
    """

    def __init__(self, N: int):
        self.N = check_N(N)
        self.tj = np.arange(self.N, -1, -2, dtype=np.int64)
        self.dims = self.tj + 1
        sizes = self.dims ** 2
        self.offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.n = int(sizes.sum())
        self.deg = [degeneracy(self.N, Fraction(int(t), 2)) for t in self.tj]
        blk, a, b = [], [], []
        for k, d in enumerate(self.dims):
            idx = np.arange(d * d)
            blk.append(np.full(d * d, k))
            a.append(idx % d)
            b.append(idx // d)
        self.blk = np.concatenate(blk).astype(np.int64)
        self.a = np.concatenate(a).astype(np.int64)
        self.b = np.concatenate(b).astype(np.int64)
        self.q = self.b - self.a
        self.block_of_tj = {int(t): k for k, t in enumerate(self.tj)}

    def index(self, k, a, b):
        """Vector index of entry (a, b) of block k (column stacking)."""
        return self.offsets[k] + a + b * self.dims[k]

    def blocks(self, x: np.ndarray) -> list:
        """Split a vector into the list of (2j+1)x(2j+1) blocks (views, Fortran order)."""
        return [x[o:o + d * d].reshape(d, d, order="F") for o, d in zip(self.offsets, self.dims)]

    def vector(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        return np.concatenate([np.asarray(B).reshape(-1, order="F") for B in blocks])

    @property
    def j(self) -> list:
        return [Fraction(int(t), 2) for t in self.tj]


@lru_cache(maxsize=8)
def _basis(N: int) -> DickeBasis:
    return DickeBasis(N)


# =========================================================================== structural matrices
@dataclass
class _Struct:
    """A parameter-free sparse matrix with entries ``sign*sqrt(num/den)`` (exact integers)."""

    rows: np.ndarray
    cols: np.ndarray
    sign: np.ndarray
    num: np.ndarray  # object (Python int)
    den: np.ndarray  # object (Python int)

    @property
    def fvals(self) -> np.ndarray:
        if len(self.num) == 0:
            return np.zeros(0)
        return self.sign * np.sqrt(self.num.astype(float) / self.den.astype(float))

    def fixed(self, p: int) -> np.ndarray:
        """round-down of ``sign*sqrt(num/den)*2**p`` as Python ints (error < 1 unit)."""
        out = np.empty(len(self.num), dtype=object)
        cache: dict = {}
        for i, (n, d) in enumerate(zip(self.num, self.den)):
            key = (n, d)
            v = cache.get(key)
            if v is None:
                v = math.isqrt((int(n) << (2 * p)) // int(d))
                cache[key] = v
            out[i] = v if self.sign[i] > 0 else -v
        return out


def _obj(a) -> np.ndarray:
    """Object array of exact Python ints (no int64 overflow in later products)."""
    return np.asarray(a, dtype=np.int64).astype(object)


def word_local(tj: int, word: tuple):
    """Single-diagonal matrix of a word of generators ('p', 'm', 'z') on the spin-j block:
    for each column a: target row, sign, num, den (zero entries removed)."""
    d = tj + 1
    a0 = np.arange(d, dtype=np.int64)
    tgt = a0.copy()
    sign = np.ones(d, dtype=np.int64)
    num = _obj(np.ones(d, dtype=np.int64))
    den = _obj(np.ones(d, dtype=np.int64))
    alive = np.ones(d, dtype=bool)
    for letter in reversed(word):
        a = tgt
        if letter == "p":  # S+ |a> = sqrt(a (2j+1-a)) |a-1>
            f = a * (tj + 1 - a)
            tgt = a - 1
        elif letter == "m":  # S- |a> = sqrt((2j-a)(a+1)) |a+1>
            f = (tj - a) * (a + 1)
            tgt = a + 1
        elif letter == "z":  # Sz |a> = (j - a)|a>
            f = (tj - 2 * a) ** 2
            sign = sign * np.sign(tj - 2 * a)
            den = den * 4
        else:  # pragma: no cover - only spin letters reach here
            raise ModelError(f"generator letter {letter!r} is not a spin generator")
        alive &= (f != 0)
        num = num * _obj(np.where(f != 0, f, 1))
        tgt = np.clip(tgt, 0, tj)
    return a0[alive], tgt[alive], sign[alive], num[alive], den[alive]


def _cat(parts: list) -> _Struct:
    if not parts:
        e = np.zeros(0, dtype=np.int64)
        return _Struct(e, e, e, np.zeros(0, dtype=object), np.zeros(0, dtype=object))
    return _Struct(*(np.concatenate([p[i] for p in parts]) for i in range(5)))


def _struct_left(basis: DickeBasis, word: tuple) -> _Struct:
    """rho -> W rho on every block."""
    parts = []
    for k, tj in enumerate(basis.tj):
        a, t, s, n, dn = word_local(int(tj), word)
        d = int(tj) + 1
        if len(a) == 0:
            continue
        bb = np.repeat(np.arange(d), len(a))
        aa, tt = np.tile(a, d), np.tile(t, d)
        parts.append((basis.offsets[k] + tt + bb * d, basis.offsets[k] + aa + bb * d,
                      np.tile(s, d), np.tile(n, d), np.tile(dn, d)))
    return _cat(parts)


def _struct_right(basis: DickeBasis, word: tuple) -> _Struct:
    """rho -> rho W on every block: (rho W)[a, c] += rho[a, t(c)] W[t(c), c]."""
    parts = []
    for k, tj in enumerate(basis.tj):
        c, t, s, n, dn = word_local(int(tj), word)
        d = int(tj) + 1
        if len(c) == 0:
            continue
        aa = np.tile(np.arange(d), len(c))
        cc, tt = np.repeat(c, d), np.repeat(t, d)
        parts.append((basis.offsets[k] + aa + cc * d, basis.offsets[k] + aa + tt * d,
                      np.repeat(s, d), np.repeat(n, d), np.repeat(dn, d)))
    return _cat(parts)


def _struct_sandwich(basis: DickeBasis, w1: tuple, w2: tuple) -> _Struct:
    """rho -> W1 rho W2^dagger on every block (the entries of W2 are real)."""
    parts = []
    for k, tj in enumerate(basis.tj):
        a, ta, sa, na, da = word_local(int(tj), w1)
        b, tb, sb, nb, db = word_local(int(tj), w2)
        d = int(tj) + 1
        if len(a) == 0 or len(b) == 0:
            continue
        A = np.repeat(np.arange(len(a)), len(b))
        B = np.tile(np.arange(len(b)), len(a))
        parts.append((basis.offsets[k] + ta[A] + tb[B] * d, basis.offsets[k] + a[A] + b[B] * d,
                      sa[A] * sb[B], na[A] * nb[B], da[A] * db[B]))
    return _cat(parts)


def _cg(tjp: int, tJ: int, tM: np.ndarray, s_up: bool):
    r"""Clebsch-Gordan :math:`\langle j', M-s; \tfrac12, s|J, M\rangle` (Condon-Shortley) for
    :math:`J = j'\pm\tfrac12`, as (sign, num, den) with doubled quantum numbers."""
    plus = tjp + tM + 1  # 2(j' + M + 1/2)
    minus = tjp - tM + 1  # 2(j' - M + 1/2)
    den = 2 * (tjp + 1)
    if tJ == tjp + 1:
        return np.ones_like(tM), (plus if s_up else minus), den
    return (-np.ones_like(tM) if s_up else np.ones_like(tM)), (minus if s_up else plus), den


def _struct_individual(basis: DickeBasis, s: int, t: int, s2: int, t2: int) -> _Struct:
    r""":math:`\sum_n E^{(n)}_{st}\,\rho\,E^{(n)\dagger}_{s_2t_2}` on the weighted blocks (module
    docstring), single-atom indices 0 = down, 1 = up."""
    N = basis.N
    ts, tt, ts2, tt2 = 2 * s - 1, 2 * t - 1, 2 * s2 - 1, 2 * t2 - 1  # doubled spin projections
    parts = []
    for tjp in range(N - 1, -1, -2):
        dp = degeneracy(N - 1, Fraction(tjp, 2))
        mu = np.arange(-tjp, tjp + 1, 2, dtype=np.int64)  # doubled j' projections
        for tj in (tjp + 1, tjp - 1):
            if tj < 0:
                continue
            kj = basis.block_of_tj[tj]
            coef = Fraction(N * dp, basis.deg[kj])  # N d'_{j'} / d_j  (weighted blocks)
            for tJ in (tjp + 1, tjp - 1):
                if tJ < 0:
                    continue
                kJ = basis.block_of_tj[tJ]
                # ket side: M = mu + s, m1 = mu + t ; bra side: M' = mu' + s2, m2 = mu' + t2
                tM, tm1 = mu + ts, mu + tt
                ok1 = (np.abs(tM) <= tJ) & (np.abs(tm1) <= tj)
                tM2, tm2 = mu + ts2, mu + tt2
                ok2 = (np.abs(tM2) <= tJ) & (np.abs(tm2) <= tj)
                if not ok1.any() or not ok2.any():
                    continue
                tM, tm1, tM2, tm2 = tM[ok1], tm1[ok1], tM2[ok2], tm2[ok2]
                s1a, n1a, d1a = _cg(tjp, tJ, tM, s == 1)
                s1b, n1b, d1b = _cg(tjp, tj, tm1, t == 1)
                s2a, n2a, d2a = _cg(tjp, tJ, tM2, s2 == 1)
                s2b, n2b, d2b = _cg(tjp, tj, tm2, t2 == 1)
                sg1, nm1 = s1a * s1b, n1a * n1b
                sg2, nm2 = s2a * s2b, n2a * n2b
                keep1, keep2 = nm1 != 0, nm2 != 0
                i1 = np.nonzero(keep1)[0]
                i2 = np.nonzero(keep2)[0]
                if len(i1) == 0 or len(i2) == 0:
                    continue
                I1 = np.repeat(i1, len(i2))
                I2 = np.tile(i2, len(i1))
                aJ, bJ = (tJ - tM[I1]) // 2, (tJ - tM2[I2]) // 2
                aj, bj = (tj - tm1[I1]) // 2, (tj - tm2[I2]) // 2
                dJ, dj = tJ + 1, tj + 1
                num = _obj(nm1[I1]) * _obj(nm2[I2]) * (coef.numerator ** 2)
                den = np.full(len(I1), d1a * d1b * d2a * d2b * coef.denominator ** 2, dtype=object)
                parts.append((basis.offsets[kJ] + aJ + bJ * dJ, basis.offsets[kj] + aj + bj * dj,
                              sg1[I1] * sg2[I2], num, den))
    return _cat(parts)


_STRUCT_CACHE: dict = {}


def superop_structure(basis: DickeBasis, key: tuple) -> _Struct:
    """The exact sparse structure (rows, columns, signs, squared numerators/denominators) of one
    superoperator term on the weighted blocks: ``key = ("L", word)`` left product, ``("R", word)``
    right product, ``("S", w1, w2)`` sandwich, else an individual term; kept in a small cache."""
    ck = (basis.N, key)
    if ck not in _STRUCT_CACHE:
        if len(_STRUCT_CACHE) > 64:
            _STRUCT_CACHE.clear()
        kind = key[0]
        if kind == "L":
            _STRUCT_CACHE[ck] = _struct_left(basis, key[1])
        elif kind == "R":
            _STRUCT_CACHE[ck] = _struct_right(basis, key[1])
        elif kind == "S":
            _STRUCT_CACHE[ck] = _struct_sandwich(basis, key[1], key[2])
        else:
            _STRUCT_CACHE[ck] = _struct_individual(basis, *key[1:])
    return _STRUCT_CACHE[ck]


# =========================================================================== model -> terms
def _atoms_of(model: Model) -> Atoms:
    if not isinstance(model, Model):
        raise ModelError(f"model must be an analytic.model.Model, got {type(model).__name__}")
    subs = model.subsystems
    if len(subs) != 1 or not isinstance(subs[0], Atoms):
        raise ModelError(
            f"model {model.name!r}: the permutation-invariant representation needs exactly one Atoms "
            f"ensemble and no other subsystem; it has {[(s.kind, s.name) for s in subs]}")
    if subs[0].d != 2 or subs[0].levels:
        raise ModelError(f"model {model.name!r}: numeric.pi.permutational takes qubit ensembles written with "
                         "S+, Sz, S- (Atoms(levels=False)); d-level ensembles (level generators E_ab) are "
                         "solved by numeric.pi.qudits")
    return subs[0]


def op_words(op: Op) -> list:
    """[(letters tuple, coeff)] of an Op of one Atoms ensemble."""
    return [(tuple(g.letter for g in w), c) for w, c in op.terms.items()]


def _model_terms(model: Model) -> list:
    """The Liouvillian as ``[(struct key, sympy coefficient)]`` (duplicates merged)."""
    atoms = _atoms_of(model)
    terms: dict = {}

    def add(key, c):
        terms[key] = terms.get(key, 0) + c

    for w, c in op_words(model.hamiltonian):
        add(("L", w), -sp.I * c)
        add(("R", w), sp.I * c)
    for d in model.dissipators:
        r = d.rate
        if d.kind == "collective":
            L = d.jump
            for w1, c1 in op_words(L):
                for w2, c2 in op_words(L):
                    add(("S", w1, w2), r * c1 * sp.conjugate(c2))
            K = L.dagger() * L
        else:
            X = sp.Matrix(d.jump.matrix)
            if X.shape != (2, 2):
                raise ModelError(f"dissipator {d.label!r}: single-atom jump must be 2x2, got {X.shape}")
            for s in range(2):
                for t in range(2):
                    for s2 in range(2):
                        for t2 in range(2):
                            c = X[s, t] * sp.conjugate(X[s2, t2])
                            if c != 0:
                                add(("I", s, t, s2, t2), r * c)
            K = atoms.collective(X.H * X)
        for w, c in op_words(K):
            add(("L", w), -r * c / 2)
            add(("R", w), -r * c / 2)
    return [(k, sp.sympify(c)) for k, c in terms.items() if sp.sympify(c) != 0]


def _values(model: Model, values: Mapping, N: int, dps: int | None = None) -> dict:
    sizes = {str(s): N for s in model.size_symbols()}
    return numeric_values(model, values, sizes, dps=dps)


def _exact_subs(vals: dict) -> dict:
    """``{Symbol: exact SymPy number}`` by the one parser, :func:`analytic.values.exact_number`
    (values from :func:`analytic.values.parse_values` are already exact; floats are their binary value)."""
    return {k: exact_number(v, str(k)) for k, v in vals.items()}


# =========================================================================== Liouvillian
class PILiouvillian:
    r"""The permutation-invariant Liouvillian of a model at given values and N.

    ``L`` (scipy CSR, complex) acts on the column-stacked weighted blocks :math:`x_j = d_j\rho_j`.
    ``coefficients(dps)`` / ``fixed(p)`` give the exact-arithmetic version.
    """

    def __init__(self, model: Model, values: Mapping, N, dps: int | None = None):
        self.model = model
        self.N = check_N(N)
        self.vals = _values(model, values, self.N, dps)
        self.basis = _basis(self.N)
        self.terms = _model_terms(model)
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
        subs = _exact_subs(self.vals)
        out = []
        with mpmath.workdps(dps + 10):  # mpf(str) rounds to the working precision
            for _, c in self.terms:
                v = sp.N(sp.sympify(c).subs(subs), dps + 10)
                re, im = (sp.re(v), sp.im(v))
                out.append((mpmath.mpf(str(sp.N(re, dps + 10))), mpmath.mpf(str(sp.N(im, dps + 10)))))
        return out


def pi_liouvillian(model: Model, values: Mapping, N) -> sps.csr_matrix:
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
    for w in _OMEGAS:
        ph = _I_POW[_omega_power(w, dq)]
        if np.all(np.abs(coo.data - ph * np.conj(coo.data)) <= tol):
            out["omega"] = w
            break
    return out


def _omega_power(w, q: np.ndarray) -> np.ndarray:
    """omega**q for integer q (exact for omega in {1, -1, i, -i}) as a power of i (0..3)."""
    k = {1: 0, 1j: 1, -1: 2, -1j: 3}[w]
    return (k * q) % 4


# =========================================================================== real form (steady state)
@dataclass
class _RealForm:
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


def _real_form(basis: DickeBasis, sym: dict) -> _RealForm:
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
        e = _omega_power(w, q)  # omega^q = i**e, e even here -> e^{i phi} = i**(e/2)
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
    return _RealForm(basis, idx, rot, len(cvec), ucol, vcol, kind, cvec, anti, names)


def _transpose_index(basis: DickeBasis) -> np.ndarray:
    """Vector index of entry (b, a) for every entry (a, b)."""
    return basis.offsets[basis.blk] + basis.b + basis.a * basis.dims[basis.blk]


_I_POW = np.array([1, 1j, -1, -1j])


def _real_coo(rf: _RealForm, rows, cols, re, im, mul_i):
    """Map complex Liouvillian entries (row, col, re + i im) to real-form coordinates.

    ``mul_i(re, im, k)`` multiplies by i**k (exact for float or Python-int arrays).
    Returns (rrow, rcol, val) with duplicates; ``val`` of the same kind as ``re``.
    """
    b = rf.basis
    tr = _transpose_index(b)
    a_r, b_r = b.a[rows], b.b[rows]
    sel = (a_r <= b_r) & (rf.ucol[rows] >= 0)
    rows, cols, re, im = rows[sel], cols[sel], re[sel], im[sel]
    # column side: rho_c in terms of coordinates of the upper entry
    a_c, b_c = b.a[cols], b.b[cols]
    lower = a_c > b_c
    up = np.where(lower, tr[cols], cols)
    ok = rf.ucol[up] >= 0
    rows, cols, re, im, lower, up = rows[ok], cols[ok], re[ok], im[ok], lower[ok], up[ok]
    diag_c = b.a[up] == b.b[up]
    rot_c = rf.rot[up]
    rot_r = rf.rot[rows]
    out_r, out_c, out_v = [], [], []
    # u (or d) column: factor i**rot (upper) or i**(-rot) (lower)
    for part, kcol, extra in (("u", rf.ucol, 0), ("v", rf.vcol, 1)):
        cidx = kcol[up]
        m = cidx >= 0
        if part == "v":
            m &= ~diag_c
        if not m.any():
            continue
        k = np.where(lower, -rot_c, rot_c) + np.where(lower, -extra, extra) - rot_r
        # value = L * i**k ; row coordinates: u/d -> Re, v -> Im
        zr, zi = mul_i(re[m], im[m], (k[m]) % 4)
        ru = rf.ucol[rows[m]]
        out_r.append(ru)
        out_c.append(cidx[m])
        out_v.append(zr)
        if not rf.antiunitary:
            rv = rf.vcol[rows[m]]
            mm = rv >= 0
            out_r.append(rv[mm])
            out_c.append(cidx[m][mm])
            out_v.append(zi[mm])
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_v)


def _mul_i_float(re, im, k):
    z = (re + 1j * im) * _I_POW[k]
    return z.real, z.imag


def _mul_i_obj(re, im, k):
    zr = np.empty(len(re), dtype=object)
    zi = np.empty(len(re), dtype=object)
    for kk, (a, b) in ((0, (1, 0)), (1, (0, 1)), (2, (-1, 0)), (3, (0, -1))):
        m = k == kk
        # (re + i im)(a + i b) = (re a - im b) + i (re b + im a)
        zr[m] = re[m] * a - im[m] * b
        zi[m] = re[m] * b + im[m] * a
    return zr, zi


def _to_vec(rf: _RealForm, y: np.ndarray) -> np.ndarray:
    """Complex weighted-block vector from real coordinates (float)."""
    b = rf.basis
    x = np.zeros(b.n, dtype=complex)
    ph = _I_POW[rf.rot]
    u = np.zeros(b.n)
    v = np.zeros(b.n)
    iu = rf.keep
    u[iu] = y[rf.ucol[iu]]
    if not rf.antiunitary:
        m = rf.vcol >= 0
        v[m] = y[rf.vcol[m]]
    z = ph * (u + 1j * v)
    x[iu] = z[iu]
    tr = _transpose_index(b)
    lower = iu[b.a[iu] != b.b[iu]]
    x[tr[lower]] = np.conj(z[lower])
    return x


# =========================================================================== steady state
class _System:
    """Real-form steady-state system A y = b (trace row in place of one population equation)."""

    def __init__(self, pl: PILiouvillian):
        self.pl = pl
        self.rf = _real_form(pl.basis, pl.symmetries)
        coo = pl.L.tocoo()
        r, c, v = _real_coo(self.rf, coo.row, coo.col, coo.data.real, coo.data.imag, _mul_i_float)
        n = self.rf.ncoord
        A = sps.csr_matrix((v, (r, c)), shape=(n, n))
        A.sum_duplicates()
        A.eliminate_zeros()
        self.A0 = A
        pops = np.nonzero(self.rf.kind == 0)[0]
        diag = np.abs(A.diagonal())
        # trace row replaces the population equation of m = -j in the largest block (index 0..)
        self.k = int(pops[np.argmax(diag[pops])])
        self.weight = 2.0 ** round(math.log2(float(np.mean(np.abs(A.data))))) if A.nnz else 1.0
        A = A.tocsr(copy=True)
        rows = np.repeat(np.arange(n), np.diff(A.indptr))
        A.data[rows == self.k] = 0.0
        A = A + sps.csr_matrix((np.full(len(pops), self.weight), (np.full(len(pops), self.k), pops)), shape=(n, n))
        A.eliminate_zeros()
        self.A = A.tocsc()
        self.b = np.zeros(n)
        self.b[self.k] = self.weight
        self.pops = pops

    def coordinates(self) -> np.ndarray:
        """(2j, m + m', m - m') of every real coordinate (doubled for j)."""
        b = self.pl.basis
        v = self.rf.coord_vec
        tj = b.tj[b.blk[v]]
        tm = tj - 2 * b.a[v]
        tm2 = tj - 2 * b.b[v]
        return np.stack([tj, tm + tm2, tm - tm2], axis=1).astype(np.int64)

    def factorize(self):
        perm = nested_dissection(self.A, self.coordinates(), self.k)
        if perm is None:
            lu = spla.splu(self.A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.1)
            return lu.solve, (lambda v: lu.solve(v, trans="T")), lu.L.nnz + lu.U.nnz, "splu (MMD_AT_PLUS_A)"
        Ap = self.A[perm][:, perm].tocsc()
        lu = spla.splu(Ap, permc_spec="NATURAL", diag_pivot_thresh=0.01, options=dict(SymmetricMode=True))

        def solve(v, trans="N"):
            y = lu.solve(np.ascontiguousarray(v[perm]), trans=trans)
            out = np.empty_like(y)
            out[perm] = y
            return out
        return solve, (lambda v: solve(v, "T")), lu.L.nnz + lu.U.nnz, "splu (geometric nested dissection)"


def _solve_float(sys_: _System, refine: int = 3):
    solve, solve_t, nnz, method = sys_.factorize()
    A, b = sys_.A, sys_.b
    y = solve(b)
    best = (np.linalg.norm(A @ y - b), y)
    for _ in range(refine):
        y = y + solve(b - A @ y)
        rn = np.linalg.norm(A @ y - b)
        if rn < best[0]:
            best = (rn, y)
        else:
            break
    info = {"lu_nnz": int(nnz), "method": method}
    op = spla.LinearOperator(A.shape, matvec=solve, rmatvec=solve_t, dtype=float)
    try:
        info["condition"] = float(spla.norm(A, 1) * spla.onenormest(op, t=1, itmax=3))
    except Exception:  # pragma: no cover - estimate only
        info["condition"] = float("nan")
    return best[1], solve, info


def _suggest_dps(cond) -> int:
    if cond is None or not np.isfinite(cond) or cond <= 0:
        return 50
    return int(max(30, math.ceil(math.log10(cond)) + 20))


def _fixed_system(sys_: _System, dps: int, p: int):
    """The real-form system in fixed point (Python ints scaled by 2**p): (rows, cols, vals)."""
    pl = sys_.pl
    coeffs = pl.hp_coefficients(dps)
    rows, cols, re, im = [], [], [], []
    with mpmath.workprec(p + 64):
        for (c_re, c_im), (key, s) in zip(coeffs, pl.structs):
            if len(s.rows) == 0:
                continue
            sv = s.fixed(p)
            cr = int(mpmath.nint(c_re * mpmath.mpf(2) ** p))
            ci = int(mpmath.nint(c_im * mpmath.mpf(2) ** p))
            rows.append(s.rows)
            cols.append(s.cols)
            re.append(np.array([(cr * v) >> p for v in sv], dtype=object) if cr else np.zeros(len(sv), dtype=object))
            im.append(np.array([(ci * v) >> p for v in sv], dtype=object) if ci else np.zeros(len(sv), dtype=object))
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    re, im = np.concatenate(re), np.concatenate(im)
    r, c, v = _real_coo(sys_.rf, rows, cols, re, im, _mul_i_obj)
    keep = r != sys_.k
    r, c, v = r[keep], c[keep], v[keep]
    wfix = int(Fraction(sys_.weight) * (1 << p))  # exact: the weight is a power of 2 (no float(2**p) overflow)
    r = np.concatenate([r, np.full(len(sys_.pops), sys_.k)])
    c = np.concatenate([c, sys_.pops])
    v = np.concatenate([v, np.full(len(sys_.pops), wfix, dtype=object)])
    order = np.argsort(r, kind="stable")
    return r[order], c[order], v[order], wfix


def _fixed_matvec(r, c, v, y, n):
    prod = v * y[c]
    out = np.zeros(n, dtype=object)
    if len(r):
        starts = np.concatenate([[0], np.nonzero(np.diff(r))[0] + 1])
        sums = np.add.reduceat(prod, starts)
        out[r[starts]] = sums
    return out


def _float_to_fixed(f: np.ndarray, p: int) -> np.ndarray:
    m, e = np.frexp(np.asarray(f, dtype=float))
    mi = (m * 2.0 ** 53).astype(np.int64)
    sh = e.astype(np.int64) - 53 + p
    out = np.empty(len(f), dtype=object)
    for t in range(len(f)):
        vv, s = int(mi[t]), int(sh[t])
        out[t] = vv << s if s >= 0 else vv >> (-s)
    return out


def _refine_fixed(sys_: _System, solve, y0: np.ndarray, dps: int, maxiter: int | None = None):
    """Mixed-precision iterative refinement: y_{k+1} = y_k + A64^{-1}(b - A y_k), residuals in
    exact fixed point with p ~ 3.32 dps + 40 bits.  Returns (y fixed ints, p, history)."""
    p = int(math.ceil(dps * 3.33)) + 40
    if maxiter is None:  # each step gains ~ 16 - log10(condition) digits: dps = 1000 needs ~ 70
        maxiter = max(40, dps // 8 + 20)
    r, c, v, wfix = _fixed_system(sys_, dps, p)
    n = sys_.A.shape[0]
    bfix = np.zeros(n, dtype=object)
    bfix[:] = 0
    bfix[sys_.k] = wfix << p  # scaled 2**(2p)
    y = _float_to_fixed(y0, p)
    hist = []
    # residuals stay mpf / scaled floats: 2.0**(2p) overflows and 2.0**-(3.33 dps) underflows
    # beyond dps ~ 140 (issue 17, defect 6)
    target = mpmath.mpf(2) ** (-(dps * 3.33))
    bnorm = mpmath.mpf(sys_.weight)  # exact (a power of 2)
    for it in range(maxiter):
        res = bfix - _fixed_matvec(r, c, v, y, n)  # scale 2**(2p)
        rfl, s = _scaled_float(res)  # res ~= rfl * 2**s
        rel = mpmath.ldexp(float(np.linalg.norm(rfl)), s - 2 * p) / bnorm
        hist.append(rel)
        if rel < target:
            break
        if it > 3 and hist[-1] > 0.5 * hist[-2]:
            break
        d = solve(rfl)  # the correction in units of 2**(s - 2p)
        y = y + _float_to_fixed(d, s - p)
    return y, p, hist


def _scaled_float(v: np.ndarray):
    """(float array, s) with the Python ints ``v ~= array * 2**s``, max |array| ~ 2**60."""
    mb = max((abs(int(t)).bit_length() for t in v), default=0)
    s = mb - 60
    if s >= 0:
        return np.array([int(t) >> s if t >= 0 else -((-int(t)) >> s) for t in v], dtype=float), s
    return np.array([int(t) << -s for t in v], dtype=float), s


def _conserves_q(model: Model, values: Mapping, N: int) -> bool:
    r"""True if every term of the Liouvillian with a non-zero coefficient conserves
    :math:`q = m - m'` (the U(1) of :func:`detect_symmetries`, decided from the model's terms
    before anything of size N is built; used by the resource estimate)."""
    dq = {"p": 1, "m": -1, "z": 0}
    shift = lambda w: sum(dq[g] for g in w)
    vals = _values(model, values, N)
    for key, c in _model_terms(model):
        kind = key[0]
        d = (shift(key[1]) if kind == "L" else -shift(key[1]) if kind == "R" else
             shift(key[1]) - shift(key[2]) if kind == "S" else (key[1] - key[2]) - (key[3] - key[4]))
        if d != 0 and complex(sp.sympify(c).subs(vals)) != 0:
            return False
    return True


def _check_resources(model: Model, values: Mapping, N: int, max_memory, what: str, dps=None) -> None:
    """Refuse (:class:`numeric.core.resources.ResourceError`) when the estimate from N alone exceeds
    ``max_memory``: without U(1) first (the larger count); the symbolic U(1) test only when that
    estimate is refused."""
    try:
        resources.check(resources.estimate_permutational(N, dps=dps), max_memory, what)
    except resources.ResourceError:
        resources.check(resources.estimate_permutational(N, _conserves_q(model, values, N), dps=dps),
                        max_memory, what)


def steady_state_pi(model: Model, values: Mapping, N, dps: int | None = None, tol: float | None = None,
                    max_memory=None):
    r"""Steady state :math:`\mathcal L\rho = 0`, :math:`\mathrm{Tr}\rho = 1` of N atoms with collective
    and individual terms, in the permutation-invariant representation.

    Lindblad convention of QuTiP (hbar = 1, rates multiply :math:`\mathcal D[L]` without factor 2).
    For ``driven_dicke`` this is the steady state of seed 004 eq. (1); for ``lmg`` of seed 001 eq. (3).

    Parameters
    ----------
    model : analytic.model.Model
        One :class:`~analytic.algebra.Atoms` ensemble; collective and/or individual dissipators.
    values : mapping
        ``{parameter name: number}`` (all parameters of the model).
    N : int
        Number of atoms (>= 1).
    dps : int, optional
        Mixed-precision iterative refinement: float64 LU, residuals in exact fixed-point arithmetic
        with :math:`\approx 3.32\,\mathrm{dps}` bits (exact model rates, Python integers); the state's
        ``y_exact`` holds the refined solution and observables use ``mpmath`` at ``dps``.
    max_memory : int, float or str, optional
        Largest estimated peak memory (bytes, or ``'500MB'``, ``'2GiB'``; default 80% of the memory
        available now, :mod:`numeric.core.resources`), checked from N before anything of size N is
        built and again with the counted sizes before the LU; above it
        :class:`numeric.core.resources.ResourceError` (a ``ModelError``) with the estimate and the limit.
    tol : float, optional
        Largest accepted residual :math:`\|\mathcal L x\|_2` (weighted blocks, trace 1) of the
        float64 state.  Default :math:`10^{-10}\|\mathcal L\|_1`.  With ``dps`` the refined
        solution must in addition reach a relative fixed-point residual :math:`10^{5-\mathrm{dps}}`.

    The steady state reached from an initial state (when it is not unique): ``numeric.steady_state(model,
    values, N=N, rho0=...)`` (:func:`numeric.solvers.steady.steady_from_initial_pi`).

    Returns
    -------
    PIState
        ``info``: unknowns, symmetries used, LU fill, condition estimate, residual, time.

    Raises
    ------
    ModelError
        Bad input (N < 1, missing or unknown parameter, negative rate, a model that is not one
        Atoms ensemble, invalid ``dps``/``tol``).
    SolverError
        Residual above ``tol`` (the message names a ``dps`` that would help), non-finite numbers, or
        a steady state that is not unique (:mod:`numeric.solvers.uniqueness`).
    """
    dps = check_dps(dps)
    tol = check_tol(tol)
    t0 = time.perf_counter()
    N = check_N(N)
    _check_resources(model, values, N, max_memory, "steady_state_pi", dps)
    pl = PILiouvillian(model, values, N, dps=dps)
    sys_ = _System(pl)
    est = resources.check(resources.estimate_permutational(N, n=sys_.A.shape[0], nnz_A=sys_.A.nnz, dps=dps),
                          max_memory, "steady_state_pi")
    info = {"unknowns": sys_.A.shape[0], "complex_unknowns": pl.basis.n, "resources": est.as_dict(),
            "symmetries": list(sys_.rf.symmetries),
            "build_time": time.perf_counter() - t0}
    cause = structural_cause(model, pl.vals, [sp.sympify(d.rate).subs(pl.vals) for d in model.dissipators], [])
    if cause is not None:
        raise not_unique("steady_state_pi", cause=cause[0])
    try:
        y, lu, sinfo = _solve_float(sys_)
    except RuntimeError:  # an exactly zero pivot: the trace-row system is singular
        raise not_unique("steady_state_pi") from None
    A = sys_.A
    nullity, svals = kernel_probe(lambda v: A @ v, lu, A.shape[0], float(abs(A).sum(axis=1).max()) if A.nnz else 1.0)
    if nullity:  # the kernel of a symmetry sector: a lower bound of the full one when symmetries were used
        raise not_unique("steady_state_pi", nullity=nullity, k=min(nullity, 3) if sys_.rf.symmetries else 3,
                         svals=svals)
    if sys_.rf.symmetries and pl.basis.n <= FULL_CHECK_MAX:
        # stationary states outside the sector solved for (small N: the full space, dense SVD)
        kdim = kernel_bases(pl.L, pl.scale, zero=FULL_CHECK_ZERO, resolve=0.0)[2]["kernel_dim"]
        info["full_kernel"] = kdim
        if kdim > 1:
            raise not_unique("steady_state_pi", cause="stationary states outside the symmetry sector solved for",
                             nullity=kdim - 1)
    info.update(sinfo)
    if not np.all(np.isfinite(y)):
        raise SolverError(f"steady_state_pi: non-finite solution (condition {info['condition']:.1e}); "
                          f"try dps={_suggest_dps(info['condition'])}")
    y_exact = None
    if dps is not None:
        yfix, p, hist = _refine_fixed(sys_, lu, y, dps)
        info["refinement"] = hist
        info["precision_bits"] = p
        y_exact = (yfix, p)
        y = np.array([int(v) / (1 << p) for v in yfix])  # int / int: no overflow at any p
    x = _to_vec(sys_.rf, y)
    tr = sum(np.trace(B).real for B in pl.basis.blocks(x))
    x = x / tr
    res = float(np.linalg.norm(pl.L @ x))
    info["residual"] = res
    limit = tol if tol is not None else 1e-10 * pl.scale
    info["tol"] = limit
    if dps is not None:
        # the refined solution is checked in exact fixed point; ``residual`` is that of its float64 copy
        rel = info["refinement"][-1]
        info["refined_residual"] = rel
        if not rel <= mpmath.mpf(10) ** (5 - dps):
            raise SolverError(f"steady_state_pi: refinement stagnated at relative residual {mpmath.nstr(rel, 2)} "
                              f"(condition {info['condition']:.1e} too large for a float64 LU preconditioner)")
    if not res <= limit:
        raise SolverError(
            f"steady_state_pi: residual ||L rho|| = {res:.2e} > tol = {limit:.2e} (condition estimate "
            f"{info['condition']:.1e}); use dps={_suggest_dps(info['condition'])}")
    info["time"] = time.perf_counter() - t0
    st = PIState(model, pl.N, x, pl.vals, residual=res, info=info)
    if y_exact is not None:
        st._set_exact(sys_.rf, y_exact, dps)
    return st


# =========================================================================== state
_AXES = ("x", "y", "z")


class PIState(StateLike):
    r"""A permutation-invariant state :math:`\rho = \bigoplus_j (x_j/d_j)\otimes 1_{d_j}` of N qubits.

    Parameters
    ----------
    model : analytic.model.Model
    N : int
    x : numpy.ndarray
        Column-stacked weighted blocks :math:`x_j = d_j\rho_j` (:class:`DickeBasis` order).
    values : dict
        ``{Symbol: number}``.
    residual : float, optional
    info : dict, optional

    Notes
    -----
    Implements :class:`numeric.states.state.StateLike`.  A state from ``steady_state_pi(..., dps=k)`` computes
    every method with mpmath at k digits from the refined fixed-point solution (normalised to trace
    1 at k digits) and returns mpmath numbers (object arrays / ``mpmath.matrix`` of them); ``x`` is
    its float64 copy.  :meth:`density_matrix` (the :math:`2^N`-dimensional matrix) is refused with
    :class:`NotImplementedError` naming :meth:`density_blocks` and the qudit solver.

    Observables (same names as :class:`numeric.states.observables.State`): ``expect('Sz')`` for any
    collective operator expression, ``casimir()`` :math:`\langle\mathbf S^2\rangle`,
    ``populations()`` :math:`P(m) = \sum_j d_j\langle j,m|\rho_j|j,m\rangle` (seed 004 Fig. 2b with
    the degeneracies), ``j_populations()`` :math:`P_j = d_j\,\mathrm{tr}\rho_j`, ``purity()``
    :math:`\sum_j d_j\mathrm{tr}\rho_j^2`, ``g2()``, ``squeezing()``.
    """

    def __init__(self, model: Model, N: int, x: np.ndarray, values: dict, residual=None, info=None):
        self.model = model
        self.atoms = _atoms_of(model)
        self.N = check_N(N)
        self.basis = _basis(self.N)
        x = np.asarray(x, dtype=complex)
        if x.shape != (self.basis.n,):
            raise ModelError(f"x must have {self.basis.n} entries for N={self.N}, got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ModelError("state contains NaN or infinite entries")
        self.x = x
        self.values = dict(values)
        self.residual = residual
        self.info = dict(info or {})
        self.dps = None
        self._exact = None
        self._mp_cache = None

    def _set_exact(self, rf, y_exact, dps):
        self._exact = (rf, y_exact)
        self.dps = dps
        self._mp_cache = None

    def __repr__(self):
        prec = f", dps={self.dps}" if self.dps else ""
        return f"PIState(model={self.model.name!r}, N={self.N}{prec}, residual={self.residual})"

    def _mp_blocks(self) -> list:
        """Weighted blocks :math:`x_j` as ``mpmath.matrix`` at ``dps`` digits from the refined
        fixed-point solution, normalised to :math:`\\sum_j\\mathrm{tr}\\,x_j = 1` (cached)."""
        if self._mp_cache is None:
            rf, (yfix, p) = self._exact
            with mpmath.workdps(self.dps):
                xs = _exact_vec(rf, yfix, p, self.dps)
                tr = xs["trace"]
                out = []
                for k, d in enumerate(self.basis.dims):
                    d, o = int(d), int(self.basis.offsets[k])
                    B = mpmath.matrix(d, d)
                    for a in range(d):
                        for b in range(d):
                            B[a, b] = xs[o + a + b * d] / tr
                    out.append(B)
            self._mp_cache = out
        return self._mp_cache

    @property
    def blocks(self) -> list:
        """Weighted blocks :math:`x_j` (list, j = N/2 first): numpy views of ``x``, or with ``dps``
        copies of the ``mpmath.matrix`` blocks at ``dps`` digits."""
        if self.dps:
            return [B.copy() for B in self._mp_blocks()]
        return self.basis.blocks(self.x)

    def density_blocks(self) -> list:
        r"""Blocks :math:`\rho_j = x_j/d_j` of one copy of each irrep (numpy arrays; ``mpmath.matrix``
        at ``dps`` digits with ``dps``, divided by the exact integer :math:`d_j`)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return [B / mpmath.mpf(d) for B, d in zip(self._mp_blocks(), self.basis.deg)]
        return [B * float(Fraction(1, d)) for B, d in zip(self.blocks, self.basis.deg)]

    def density_matrix(self):
        """Refused: the :math:`2^N\\times 2^N` matrix is not built in the permutation-invariant
        representation (:class:`NotImplementedError` naming the alternatives)."""
        raise unavailable(self, "density_matrix",
                          "the permutation-invariant solver stores only the blocks rho_j of "
                          "rho = sum_j rho_j (x) 1_{d_j}",
                          "density_blocks() for the blocks, or numeric.pi.qudits.steady_state_qudits("
                          "numeric.pi.qudits.from_model(model, values, N)).density_matrix() for the dense "
                          "2^N x 2^N matrix (float64, 2^N <= 4096)")

    def _op(self, op) -> Op:
        return as_operator(self.model, op)

    def _diag_re(self, B):
        """Real parts of the diagonal of a block (mpf list with ``dps``, else a float array)."""
        if self.dps:
            return [mpmath.re(B[a, a]) for a in range(B.rows)]
        return np.diag(B).real

    # ---------------------------------------------------------------- expectation values
    def _word_trace(self, word: tuple, x: np.ndarray) -> complex:
        tot = 0j
        for k, tj in enumerate(self.basis.tj):
            a, t, s, n, d = word_local(int(tj), word)
            if len(a) == 0:
                continue
            vals = s * np.sqrt(n.astype(float) / d.astype(float))
            dd = int(tj) + 1
            # tr(W x) = sum_a W[t(a), a] x[a, t(a)]
            tot += np.sum(vals * x[self.basis.offsets[k] + a + t * dd])
        return tot

    def _word_trace_mp(self, word: tuple) -> mpmath.mpc:
        tot = mpmath.mpc(0)
        for B, tj in zip(self._mp_blocks(), self.basis.tj):
            a, t, s, n, d = word_local(int(tj), word)
            for ai, ti, si, ni, di in zip(a, t, s, n, d):
                tot += int(si) * mpmath.sqrt(mpmath.mpf(int(ni)) / int(di)) * B[int(ai), int(ti)]
        return tot

    def expect(self, op):
        r""":math:`\mathrm{Tr}(\rho A) = \sum_j\mathrm{tr}(A_j x_j)` of a collective operator (string
        parsed by :meth:`Model.operator`, or an Op).  Real for Hermitian A.  With ``dps`` the value
        is an mpmath number computed from the refined solution."""
        A = self._op(op)
        herm = (A - A.dagger()).simplify().is_zero()
        if self.dps:
            with mpmath.workdps(self.dps):
                tot = mpmath.mpc(0)
                subs = _exact_subs(self.values)
                for w, c in A.terms.items():
                    cv = sp.N(sp.sympify(c).subs(subs), self.dps + 5)
                    cc = mpmath.mpc(str(sp.re(cv)), str(sp.im(cv)))
                    tot += cc * self._word_trace_mp(tuple(g.letter for g in w))
                return +tot.real if herm else +tot
        tot = 0j
        for w, c in A.terms.items():
            cv = complex(sp.sympify(c).subs(self.values))
            tot += cv * self._word_trace(tuple(g.letter for g in w), self.x)
        return float(tot.real) if herm else complex(tot)

    def variance(self, op):
        r""":math:`\langle A^2\rangle - \langle A\rangle^2` (an mpmath number at ``dps`` digits with ``dps``)."""
        A = self._op(op)
        with mpmath.workdps(self.dps or 15):
            m = self.expect(A)
            return self.expect(A * A) - m * m

    def trace(self):
        r""":math:`\mathrm{Tr}\rho = \sum_j\mathrm{tr}\,x_j` (mpf at ``dps`` digits with ``dps``)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return mpmath.fsum(v for B in self._mp_blocks() for v in self._diag_re(B))
        return float(sum(np.trace(B).real for B in self.blocks))

    def casimir(self):
        r""":math:`\langle\mathbf S^2\rangle = \sum_j j(j+1)P_j` (seed 004 Fig. 2c; mpf at ``dps`` digits
        with ``dps``, :math:`j(j+1)` exact)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return mpmath.fsum(mpmath.mpf(int(t) * (int(t) + 2)) / 4 * v
                                   for t, B in zip(self.basis.tj, self._mp_blocks()) for v in self._diag_re(B))
        return float(sum(float(Fraction(int(t), 2) * (Fraction(int(t), 2) + 1)) * np.trace(B).real
                         for t, B in zip(self.basis.tj, self.blocks)))

    def j_populations(self) -> dict:
        r"""``{j: P_j}`` with :math:`P_j = d_j\,\mathrm{tr}\rho_j` (sums to 1; mpf at ``dps`` digits
        with ``dps``)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return {Fraction(int(t), 2): mpmath.fsum(self._diag_re(B))
                        for t, B in zip(self.basis.tj, self._mp_blocks())}
        return {Fraction(int(t), 2): float(np.trace(B).real) for t, B in zip(self.basis.tj, self.blocks)}

    def populations(self) -> np.ndarray:
        r""":math:`P(m) = \sum_{j\ge|m|} d_j\langle j,m|\rho_j|j,m\rangle` for :math:`m = N/2, N/2-1,
        \dots, -N/2` (seed 004 Fig. 2b; every copy of each irrep counted).  A float array, or with
        ``dps`` an object array of mpf at ``dps`` digits."""
        N = self.N
        if self.dps:
            with mpmath.workdps(self.dps):
                P = [[] for _ in range(N + 1)]
                for t, B in zip(self.basis.tj, self._mp_blocks()):
                    for a, v in enumerate(self._diag_re(B)):
                        P[(N - int(t)) // 2 + a].append(v)
                return np.array([mpmath.fsum(v) for v in P], dtype=object)
        P = np.zeros(N + 1)
        for t, B in zip(self.basis.tj, self.blocks):
            tj = int(t)
            # m = j - a -> index in P: N/2 - m = (N - tj)/2 + a
            P[(N - tj) // 2 + np.arange(tj + 1)] += np.diag(B).real
        return P

    def P(self, m):
        """Population of the Sz eigenvalue m (mpf at ``dps`` digits with ``dps``)."""
        i = self.N / 2 - float(m)
        if abs(i - round(i)) > 1e-12 or not 0 <= round(i) <= self.N:
            raise ModelError(f"m must be one of N/2, N/2-1, ..., -N/2 (N={self.N}), got m={m!r}")
        v = self.populations()[int(round(i))]
        return v if self.dps else float(v)

    def purity(self):
        r""":math:`\mathrm{Tr}\rho^2 = \sum_j d_j\mathrm{tr}\rho_j^2 = \sum_j \mathrm{tr}(x_j^2)/d_j`
        (seed 001 Fig. 7; mpf at ``dps`` digits with ``dps``, :math:`d_j` exact integers)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return mpmath.fsum(mpmath.re(mpmath.fsum(B[a, b] * B[b, a] for a in range(B.rows) for b in range(B.rows)))
                                   / mpmath.mpf(d) for B, d in zip(self._mp_blocks(), self.basis.deg))
        return float(sum(np.real(np.sum(B * B.T)) * float(Fraction(1, d))
                         for B, d in zip(self.blocks, self.basis.deg)))

    def mean_spin(self) -> np.ndarray:
        r""":math:`(\langle S_x\rangle, \langle S_y\rangle, \langle S_z\rangle)`; with ``dps`` an object
        array of mpmath numbers at ``dps`` digits."""
        return np.array([self.expect(f"S{a}") for a in _AXES], dtype=object if self.dps else float)

    def covariance(self) -> np.ndarray:
        r"""Symmetrised covariance :math:`C_{ab} = \langle\{S_a, S_b\}\rangle/2 - \langle S_a\rangle\langle S_b\rangle`;
        with ``dps`` an object array of mpmath numbers computed at ``dps`` digits."""
        with mpmath.workdps(self.dps or 15):
            mean = self.mean_spin()
            C = np.zeros((3, 3), dtype=object if self.dps else float)
            for i, a in enumerate(_AXES):
                for j, b in enumerate(_AXES):
                    if j >= i:
                        C[i, j] = self.expect(f"(S{a}*S{b} + S{b}*S{a})/2") - mean[i] * mean[j]
                        C[j, i] = C[i, j]
        return C

    def g2(self):
        r""":math:`g^{(2)}(0) = \langle S^+S^+S^-S^-\rangle/\langle S^+S^-\rangle^2` (seed 004 Fig. 2f;
        :math:`2(1-1/N)` for the totally mixed state, eq. D3e).  With ``dps`` an mpmath number at
        ``dps`` digits.  Refused (ModelError) when :math:`\langle S^+S^-\rangle` vanishes within the
        working precision."""
        with mpmath.workdps(self.dps or 15):
            den = self.expect("Sp*Sm")
            eps = mpmath.mpf(10) ** (5 - self.dps) if self.dps else 1e-12
            if abs(den) <= eps * self.N:
                raise ModelError(f"g2 is undefined: <S+ S-> = {float(den):.3g} vanishes")
            return self.expect("Sp*Sp*Sm*Sm") / den ** 2

    def squeezing(self, axis: str | None = None):
        r"""Spin squeezing.  ``axis=None``: Wineland parameter (seed 004 Sec. III B)
        :math:`\xi^2 = \min_{\perp} N\,\mathrm{Var}(S_\perp)/|\langle\mathbf S\rangle|^2`; ``axis='x'|'y'|'z'``:
        :math:`N\,\Delta S_{n_1}^2/(\langle S_{n_2}\rangle^2 + \langle S_{n_3}\rangle^2)`.

        The minimum over the plane perpendicular to :math:`\mathbf n = \langle\mathbf S\rangle/|\langle\mathbf S\rangle|`
        is the smaller eigenvalue of the 2x2 covariance :math:`E^TCE` in an orthonormal basis
        :math:`e_1, e_2` of that plane, :math:`(a+c)/2 - \sqrt{((a-c)/2)^2 + b^2}`.  A float for float64
        states; an mpmath number at ``dps`` digits for states from ``dps=``
        (:func:`numeric.states.state.squeezing_from_moments` with :math:`2S_{\max} = N`)."""
        with mpmath.workdps(self.dps or 15):
            return squeezing_from_moments(self.mean_spin(), self.covariance(), self.N, axis, self.dps)


def _exact_vec(rf: _RealForm, yfix, p: int, dps: int) -> dict:
    """Entries of the weighted blocks (upper and lower) as mpmath numbers from fixed-point coordinates."""
    b = rf.basis
    out: dict = {}
    scale = mpmath.mpf(2) ** (-p)
    tr_idx = _transpose_index(b)
    for i in rf.keep:
        u = mpmath.mpf(int(yfix[rf.ucol[i]])) * scale
        v = mpmath.mpf(int(yfix[rf.vcol[i]])) * scale if rf.vcol[i] >= 0 else mpmath.mpf(0)
        z = mpmath.mpc(0, 1) ** int(rf.rot[i]) * mpmath.mpc(u, v)
        out[int(i)] = z
        if b.a[i] != b.b[i]:
            out[int(tr_idx[i])] = mpmath.conj(z)
    out["trace"] = mpmath.fsum(out[int(i)].real for i in rf.keep if b.a[i] == b.b[i])

    class _D(dict):
        def __missing__(self, key):
            return mpmath.mpc(0)
    return _D(out)


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
    tr = _transpose_index(b)
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


def sectors_pi_from(sym: dict):
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


def sectors_pi(model: Model, values: Mapping, N) -> list:
    r"""Symmetry-sector labels of the permutation-invariant Liouvillian: ``(p1, p2)`` when both
    :math:`\Pi_1` (q parity) and the antiunitary :math:`\Pi_2` exist (seed 001: four blocks), ``p``
    with one of them, the integers q for a U(1) model, ``[None]`` without symmetry."""
    return _labels(PILiouvillian(model, values, N))


def eigs_near_zero(M: sps.spmatrix, k: int, sigma: float | None = None, vectors=False):
    """The ``k`` eigenvalues of smallest modulus of a sparse block (and eigenvectors with ``vectors``):
    dense up to 400 unknowns, else shift-invert Arnoldi at ``sigma`` (default 1e-7 ||M||_1);
    SolverError when Arnoldi fails."""
    n = M.shape[0]
    if n <= 400 or k >= n - 2:
        if vectors:
            ev, V = sla.eig(M.toarray())
        else:
            ev, V = sla.eigvals(M.toarray()), None
        o = np.argsort(np.abs(ev))[:k]
        return (ev[o], V[:, o]) if vectors else ev[o]
    scale = float(abs(M).sum(axis=0).max())
    s = sigma if sigma is not None else 1e-7 * scale
    try:
        res = spla.eigs(M.tocsc(), k=k, sigma=s, which="LM", return_eigenvectors=vectors, tol=1e-12)
    except (spla.ArpackNoConvergence, spla.ArpackError, RuntimeError) as exc:
        raise SolverError(f"eigenvalues near 0 of a block of {n} unknowns: shift-invert Arnoldi failed "
                          f"({type(exc).__name__}: {exc})") from None
    if vectors:
        ev, V = res
        o = np.argsort(np.abs(ev))
        return ev[o], V[:, o]
    return res[np.argsort(np.abs(res))]


def spectrum_pi(model: Model, values: Mapping, N, k: int = 6, sector=None, max_memory=None) -> np.ndarray:
    r"""The ``k`` eigenvalues of the permutation-invariant Liouvillian closest to 0 (sorted by
    modulus), in one symmetry sector or (``sector=None``) in all of them.

    Parameters
    ----------
    model, values, N
        As in :func:`steady_state_pi`.
    k : int
        Number of eigenvalues.
    sector : optional
        A label from :func:`sectors_pi`: ``(p1, p2)`` for ``lmg`` (seed 001 eq. 15: the steady
        state is in (+1, +1); the symmetry-breaking gap is that of (-1, +1)), ``p2`` for
        ``driven_dicke``, q for a U(1) model.
    max_memory : optional
        As in :func:`steady_state_pi` (the estimate from N of the steady-state solve).

    Returns
    -------
    numpy.ndarray
        Complex eigenvalues (0 is the steady state; the others have negative real parts).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ModelError(f"k must be a positive integer, got k={k!r}")
    _check_resources(model, values, check_N(N), max_memory, "spectrum_pi")
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


def gap_pi(model: Model, values: Mapping, N, sector=None, k: int = 4, max_memory=None) -> float:
    r"""Liouvillian gap :math:`-\mathrm{Re}\,\lambda_1` in a sector (seed 001 eqs. 15-16; default: the
    steady-state sector, where eigenvalues :math:`|\lambda| < 10^{-9}\|\mathcal L\|` count as 0).
    ``max_memory`` as in :func:`steady_state_pi`."""
    _check_resources(model, values, check_N(N), max_memory, "gap_pi")
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


# =========================================================================== metastable decomposition
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


def metastable_pi(model: Model, values: Mapping, N, orient: str = "Sx*Sx + Sy*Sy + Sz*Sz",
                  max_memory=None) -> Metastable:
    r"""Metastable decomposition of seed 004 (Sec. IV, eqs. 4, 5, 9, 10).

    :math:`\rho_1` is the eigenmatrix of the non-zero eigenvalue :math:`-\lambda_1` closest to 0 in
    the steady-state sector (a real eigenvalue, Hermitian eigenmatrix, solved in the real form);
    :math:`\rho_\pm` are the normalised positive and negative parts of :math:`\rho_1` (block by
    block, :math:`\rho = \bigoplus_j\rho_j\otimes 1_{d_j}`), oriented so that :math:`\rho_+` has the
    larger :math:`\langle\,\mathrm{orient}\,\rangle` (default :math:`\mathbf S^2`: the collective,
    CRSS-like state of seed 004).  ``max_memory`` as in :func:`steady_state_pi`, whose estimate
    (checked from N before anything is built) also bounds the shift-invert factorisation here.
    """
    st = steady_state_pi(model, values, N, max_memory=max_memory)
    pl = PILiouvillian(model, values, N)
    sys_ = _System(pl)
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
    x1 = _to_vec(sys_.rf, y)
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
