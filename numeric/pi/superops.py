"""Exact structures of the superoperator terms on the weighted blocks, and a model as a list of such terms."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy as sp
from gmpy2 import isqrt, mpz

from analytic.algebra import Atoms, Op
from analytic.model import Model, ModelError
from analytic.values import exact_number
from numeric.core.operators import numeric_values
from numeric.pi.basis import DickeBasis, degeneracy, one_ensemble

__all__ = ["Struct", "word_local", "superop_structure", "atoms_of", "op_words", "model_terms", "model_values", "exact_subs"]


@dataclass
class Struct:
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
        table, inverse = self.fixed_table(p)
        return table[inverse]

    def fixed_table(self, p: int) -> tuple[np.ndarray, np.ndarray]:
        """``(table, inverse)``: the values of :meth:`fixed` (object array of Python ints, one ``isqrt``
        per distinct (sign, num/den), the fraction reduced for int64 structures) and the int64 index of
        every entry's value in ``table``."""
        if len(self.num) == 0:
            return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
        if self.num.dtype == np.int64 and self.den.dtype == np.int64:  # distinct (sign, num, den) by one sort
            g = np.gcd(self.num, self.den)  # (num << 2p) // den depends on num/den alone: reduced, fewer keys
            keys = (np.asarray(self.sign, dtype=np.int64), self.num // g, self.den // g)
            bn, bd = (int(k.max()).bit_length() for k in keys[1:])
            if bn + bd + 1 <= 64 and keys[1].min() >= 0 and keys[2].min() > 0:  # one uint64 key: num, den, sign > 0
                u = np.uint64
                key = (keys[1].astype(u) << u(bd + 1)) | (keys[2].astype(u) << u(1)) | (keys[0] > 0).astype(u)
                distinct, inverse = np.unique(key, return_inverse=True)
                sg = (distinct & u(1)).tolist()
                nm = (distinct >> u(bd + 1)).tolist()
                dn = ((distinct >> u(1)) & u((1 << bd) - 1)).tolist()
                return self._isqrt_table(p, sg, nm, dn), np.asarray(inverse, dtype=np.int64).reshape(-1)
            order = np.lexsort(keys[::-1])
            first = np.ones(len(order), dtype=bool)
            first[1:] = np.any([np.diff(k[order]) != 0 for k in keys], axis=0)
            inverse = np.empty(len(order), dtype=np.int64)
            inverse[order] = np.cumsum(first) - 1
            sg, nm, dn = (k[order[first]].tolist() for k in keys)
        else:  # Python ints (large N): a dictionary of the distinct keys
            index: dict = {}
            inverse = np.fromiter((index.setdefault(k, len(index)) for k in
                                   zip((np.asarray(self.sign) > 0).tolist(), self.num.tolist(), self.den.tolist())),
                                  dtype=np.int64, count=len(self.num))
            sg, nm, dn = ([k[i] for k in index] for i in range(3))
        return self._isqrt_table(p, sg, nm, dn), np.asarray(inverse, dtype=np.int64).reshape(-1)

    @staticmethod
    def _isqrt_table(p: int, sg: list, nm: list, dn: list) -> np.ndarray:
        """``sign * isqrt((num << 2p) // den)`` of each distinct key (negative for a sign <= 0) as an object
        array of Python ints: gmpy2's isqrt and shift, twice as fast as math.isqrt on these ~300-bit numbers."""
        table = np.empty(len(nm), dtype=object)
        table[:] = [int(isqrt((mpz(a) << (2 * p)) // b)) if s > 0 else -int(isqrt((mpz(a) << (2 * p)) // b))
                    for s, a, b in zip(sg, nm, dn)]
        return table


def _obj(a) -> np.ndarray:
    """Object array of exact Python ints (no int64 overflow in later products)."""
    return np.asarray(a, dtype=np.int64).astype(object)


def word_local(tj: int, word: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


def _small(x: np.ndarray, bits: int = 62) -> np.ndarray:
    """``x`` (exact ints) as int64 when every entry is below ``2**bits`` in size, else as it is: int64
    arrays spread, multiply and concatenate without one Python object per entry (products of two such
    arrays are checked again, :func:`_product`)."""
    if x.dtype == object and (len(x) == 0 or max(abs(int(v)) for v in (x.max(), x.min())).bit_length() < bits):
        return x.astype(np.int64)
    return x


def _full(n: int, value: int) -> np.ndarray:
    """``n`` copies of the exact int ``value``: int64 when it fits (:func:`_small`), else Python ints."""
    return np.full(n, value, dtype=np.int64 if abs(value).bit_length() < 62 else object)


def _product(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Exact elementwise product: int64 when it cannot overflow (sizes of the factors), else Python ints."""
    if x.dtype == np.int64 and y.dtype == np.int64 and len(x):
        bx = int(np.abs(x).max()).bit_length()
        by = int(np.abs(y).max()).bit_length()
        if bx + by < 63:
            return x * y
    return x.astype(object) * y.astype(object)


def _cat(parts: list) -> Struct:
    if not parts:
        e = np.zeros(0, dtype=np.int64)
        return Struct(e, e, e, np.zeros(0, dtype=object), np.zeros(0, dtype=object))
    return Struct(*(np.concatenate([p[i] for p in parts]) for i in range(5)))


def _struct_side(basis: DickeBasis, word: tuple, left: bool) -> Struct:
    """rho -> W rho (``left``) or rho -> rho W on every block."""
    parts = []
    for k, tj in enumerate(basis.tj):
        a, t, s, n, dn = word_local(int(tj), word)
        d = int(tj) + 1
        if len(a) == 0:
            continue
        n, dn = _small(n), _small(dn)
        if left:  # (W rho)[t(a), o] += W[t(a), a] rho[a, o]
            o, src, tgt = np.repeat(np.arange(d), len(a)), np.tile(a, d), np.tile(t, d)
            rows, cols, spread = tgt + o * d, src + o * d, np.tile
        else:  # (rho W)[o, a] += rho[o, t(a)] W[t(a), a]
            o, src, tgt = np.tile(np.arange(d), len(a)), np.repeat(a, d), np.repeat(t, d)
            rows, cols, spread = o + src * d, o + tgt * d, np.repeat
        off = basis.offsets[k]
        parts.append((off + rows, off + cols, spread(s, d), spread(n, d), spread(dn, d)))
    return _cat(parts)


def _struct_sandwich(basis: DickeBasis, w1: tuple, w2: tuple) -> Struct:
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
                      sa[A] * sb[B], _product(_small(na)[A], _small(nb)[B]), _product(_small(da)[A], _small(db)[B])))
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


def _struct_individual(basis: DickeBasis, s: int, t: int, s2: int, t2: int) -> Struct:
    r""":math:`\sum_n E^{(n)}_{st}\,\rho\,E^{(n)\dagger}_{s_2t_2}` on the weighted blocks (module
    docstring), single-atom indices 0 = down, 1 = up."""
    N = basis.N
    ts, tt, ts2, tt2 = 2 * s - 1, 2 * t - 1, 2 * s2 - 1, 2 * t2 - 1  # doubled spin projections
    parts = []
    for tjp in range(N - 1, -1, -2):
        dp = degeneracy(N - 1, Fraction(tjp, 2)) if N > 1 else 1  # no other atom: j' = 0 once
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
                num = _product(_product(nm1[I1], nm2[I2]), _full(len(I1), coef.numerator ** 2))
                den = _full(len(I1), d1a * d1b * d2a * d2b * coef.denominator ** 2)
                parts.append((basis.offsets[kJ] + aJ + bJ * dJ, basis.offsets[kj] + aj + bj * dj,
                              sg1[I1] * sg2[I2], num, den))
    return _cat(parts)


_STRUCT_CACHE: dict = {}


def superop_structure(basis: DickeBasis, key: tuple) -> Struct:
    """The exact sparse structure (rows, columns, signs, squared numerators/denominators) of one
    superoperator term on the weighted blocks: ``key = ("L", word)`` left product, ``("R", word)``
    right product, ``("S", w1, w2)`` sandwich, else an individual term; kept in a small cache."""
    ck = (basis.N, key)
    if ck not in _STRUCT_CACHE:
        if len(_STRUCT_CACHE) > 64:
            _STRUCT_CACHE.clear()
        kind = key[0]
        if kind == "L":
            _STRUCT_CACHE[ck] = _struct_side(basis, key[1], True)
        elif kind == "R":
            _STRUCT_CACHE[ck] = _struct_side(basis, key[1], False)
        elif kind == "S":
            _STRUCT_CACHE[ck] = _struct_sandwich(basis, key[1], key[2])
        else:
            _STRUCT_CACHE[ck] = _struct_individual(basis, *key[1:])
    return _STRUCT_CACHE[ck]


# =========================================================================== model -> terms
def atoms_of(model: Model) -> Atoms:
    """The model's one qubit ensemble written with S+, Sz, S- (ModelError otherwise, naming the qudit solver)."""
    atoms = one_ensemble(model, "permutation-invariant representation")
    if atoms.d != 2 or atoms.levels:
        raise ModelError(f"model {model.name!r}: numeric.pi.permutational takes qubit ensembles written with "
                         "S+, Sz, S- (Atoms(levels=False)); d-level ensembles (level generators E_ab) are "
                         "solved by numeric.pi.qudits")
    return atoms


def op_words(op: Op) -> list:
    """[(letters tuple, coeff)] of an Op of one Atoms ensemble."""
    return [(tuple(g.letter for g in w), c) for w, c in op.terms.items()]


def model_terms(model: Model) -> list:
    """The Liouvillian as ``[(struct key, sympy coefficient)]`` (duplicates merged)."""
    atoms = atoms_of(model)
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


def model_values(model: Model, values: Mapping, N: int, dps: int | None = None) -> dict:
    sizes = {str(s): N for s in model.size_symbols()}
    return numeric_values(model, values, sizes, dps=dps)


def exact_subs(vals: dict) -> dict:
    """``{Symbol: exact SymPy number}`` by the one parser, :func:`analytic.values.exact_number`
    (values from :func:`analytic.values.parse_values` are already exact; floats are their binary value)."""
    return {k: exact_number(v, str(k)) for k, v in vals.items()}
