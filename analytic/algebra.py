r"""Noncommutative operator algebra for collective spins, atomic ensembles and bosonic modes.

An operator is a finite linear combination of *words* (ordered products of generators) with
SymPy coefficients.  Every subsystem contributes the generators of a Lie algebra:

* :class:`Spin` -- a collective spin of fixed length :math:`S` (the symmetric irrep):
  :math:`S^+, S^z, S^-` with :math:`[S^z, S^\pm] = \pm S^\pm`, :math:`[S^+, S^-] = 2 S^z` and
  Casimir :math:`\mathbf S^2 = S(S+1)`.
* :class:`Atoms` -- an ensemble of :math:`N` two-level atoms, :math:`S^\alpha = \sum_i \sigma^\alpha_i/2`.
  Same generators as a spin but no fixed Casimir: individual (single-atom) jump operators
  take the state out of the symmetric subspace.  Sums over atoms of single-atom operators
  are reduced to collective generators exactly: :math:`\sum_i |m\rangle\langle n|_i = E_{mn}`,
  e.g. :math:`\sum_i \sigma^+_i\sigma^-_i = N/2 + S^z`.
* :class:`Mode` -- a bosonic mode :math:`a, a^\dagger`, :math:`[a, a^\dagger] = 1`.

Words are brought to a canonical (Poincare-Birkhoff-Witt) order by repeatedly swapping
adjacent out-of-order generators, :math:`xy = yx + [x, y]`.  The order is: subsystems by
name, and inside a subsystem :math:`S^+ < S^z < S^-` and :math:`a^\dagger < a`, i.e. the
canonical form is the normal-ordered one.  Unlike SymPy's ``normal_ordered_form`` there is no
recursion limit: products of any length are ordered.

The single-atom algebra is handled through d x d matrices (``local``), so that the
collective generators of su(d), :math:`E_{mn} = \sum_i |m\rangle\langle n|_i` (seed 001
eq. 7), can be added as another subsystem kind without touching the ordering machinery.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Union

import sympy as sp

Scalar = Union[sp.Expr, int, float, complex]

__all__ = [
    "Spin", "Atoms", "Mode", "Gen", "Op", "Local", "commutator", "scalar", "individual_sum",
]


# --------------------------------------------------------------------------- subsystems
@dataclass(frozen=True)
class Spin:
    """A collective spin of fixed length ``S`` (symbol or number), named ``name``.

    ``name`` distinguishes several spins (sites); the empty name is a single spin.
    """

    name: str
    S: sp.Expr

    kind = "spin"
    letters = ("p", "z", "m")

    @property
    def size(self) -> sp.Expr:
        """The length :math:`S` that scales the mean-field variables, :math:`s_a = \\langle S_a\\rangle/S`."""
        return self.S

    # generators as operators ------------------------------------------------
    @property
    def plus(self) -> "Op":
        return Op.gen(Gen(self, "p"))

    @property
    def minus(self) -> "Op":
        return Op.gen(Gen(self, "m"))

    @property
    def z(self) -> "Op":
        return Op.gen(Gen(self, "z"))

    @property
    def x(self) -> "Op":
        return (self.plus + self.minus) * sp.Rational(1, 2)

    @property
    def y(self) -> "Op":
        return (self.plus - self.minus) * (-sp.I / 2)

    def casimir(self) -> sp.Expr:
        return self.S * (self.S + 1)


@dataclass(frozen=True)
class Atoms:
    """An ensemble of ``N`` identical two-level atoms with collective operators
    :math:`S^\\alpha = \\sum_i \\sigma_i^\\alpha / 2` (``d`` is reserved for qudits)."""

    name: str
    N: sp.Expr
    d: int = 2

    kind = "atoms"
    letters = ("p", "z", "m")

    def __post_init__(self):
        if self.d != 2:
            raise NotImplementedError("Atoms: only d=2 (qubits) is implemented; qudits are issue 7")

    @property
    def size(self) -> sp.Expr:
        """Mean-field scale :math:`N/2`, so that :math:`s_a = \\langle S_a\\rangle/(N/2)` is the
        per-atom Pauli expectation."""
        return self.N / 2

    plus = Spin.plus
    minus = Spin.minus
    z = Spin.z
    x = Spin.x
    y = Spin.y

    # single-atom matrices (basis |0> = ground/down, |1> = excited/up) ------------
    def local_matrix(self, letter: str) -> sp.Matrix:
        """The single-atom matrix of a collective generator, :math:`S^\\alpha = \\sum_i m_i`."""
        return {
            "p": sp.Matrix([[0, 0], [1, 0]]),
            "m": sp.Matrix([[0, 1], [0, 0]]),
            "z": sp.Matrix([[-sp.Rational(1, 2), 0], [0, sp.Rational(1, 2)]]),
        }[letter]

    def collective(self, m: sp.Matrix) -> "Op":
        """:math:`\\sum_i M_i` for a single-atom matrix M, as collective generators."""
        half = self.N / 2
        return (
            self.z * (m[1, 1] - m[0, 0])
            + scalar(half * (m[1, 1] + m[0, 0]))
            + self.plus * m[1, 0]
            + self.minus * m[0, 1]
        )

    def local(self, name: str) -> "Local":
        """A named single-atom operator: ``'sm'`` (sigma^-), ``'sp'``, ``'sz'`` (Pauli z)."""
        mats = {
            "sm": sp.Matrix([[0, 1], [0, 0]]),
            "sp": sp.Matrix([[0, 0], [1, 0]]),
            "sz": sp.Matrix([[-1, 0], [0, 1]]),
        }
        if name not in mats:
            raise ValueError(f"Atoms.local: unknown single-atom operator {name!r}; use one of {sorted(mats)}")
        return Local(self, mats[name], name)


@dataclass(frozen=True)
class Mode:
    """A bosonic mode.  ``scale`` fixes the mean-field variable :math:`\\alpha = \\langle a\\rangle/\\sqrt{scale}`
    (``N = 2S`` for a cavity coupled to atoms, ``D`` for the Kerr oscillator)."""

    name: str
    scale: sp.Expr

    kind = "mode"
    letters = ("c", "a")  # c = a^dagger (creation), a = annihilation

    @property
    def a(self) -> "Op":
        return Op.gen(Gen(self, "a"))

    @property
    def ad(self) -> "Op":
        return Op.gen(Gen(self, "c"))


Subsystem = Union[Spin, Atoms, Mode]


@dataclass(frozen=True)
class Gen:
    """One generator: a subsystem and a letter (``p``, ``z``, ``m`` for spins; ``c``, ``a`` for modes)."""

    sub: Subsystem
    letter: str

    @property
    def key(self):
        return (self.sub.name, self.sub.kind, self.sub.letters.index(self.letter))

    def dagger(self) -> "Gen":
        return Gen(self.sub, {"p": "m", "m": "p", "z": "z", "c": "a", "a": "c"}[self.letter])

    def __repr__(self) -> str:
        suffix = f"_{self.sub.name}" if self.sub.name else ""
        return {"p": "S+", "m": "S-", "z": "Sz", "c": "a†", "a": "a"}[self.letter] + suffix


@dataclass(frozen=True)
class Local:
    """A single-atom operator M acting on every atom of an :class:`Atoms` ensemble
    (an *individual* jump operator :math:`L_i = M_i`)."""

    sub: Atoms
    matrix: sp.ImmutableMatrix
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "matrix", sp.ImmutableMatrix(self.matrix))

    def dagger(self) -> "Local":
        return Local(self.sub, self.matrix.H, self.label + "†")


# --------------------------------------------------------------------------- operators
def _swap_rule(x: Gen, y: Gen) -> dict:
    """[x, y] for two generators of one subsystem, as {word: coeff}."""
    if x.sub.kind in ("spin", "atoms"):
        table = {
            ("z", "p"): {(Gen(x.sub, "p"),): 1},
            ("m", "p"): {(Gen(x.sub, "z"),): -2},
            ("m", "z"): {(Gen(x.sub, "m"),): 1},
        }
    else:
        table = {("a", "c"): {(): 1}}
    return table.get((x.letter, y.letter), {})


@lru_cache(maxsize=200_000)
def _canonical(word: tuple) -> tuple:
    """Canonical (normal-ordered) form of a word, as a tuple of (word, coeff) pairs."""
    for i in range(len(word) - 1):
        x, y = word[i], word[i + 1]
        if x.key > y.key:
            out: dict = {}
            _accumulate(out, _canonical(word[:i] + (y, x) + word[i + 2:]), 1)
            if x.sub == y.sub:
                for w, c in _swap_rule(x, y).items():
                    _accumulate(out, _canonical(word[:i] + w + word[i + 2:]), c)
            return tuple((w, c) for w, c in out.items() if c != 0)
    return ((word, sp.Integer(1)),)


def _accumulate(out: dict, terms: Iterable, factor) -> None:
    for w, c in terms:
        v = out.get(w, 0) + factor * c
        if v == 0:
            out.pop(w, None)
        else:
            out[w] = v


class Op:
    """A noncommutative polynomial in generators, kept in canonical (normal) order.

    ``terms`` maps words (tuples of :class:`Gen`) to SymPy coefficients; the empty word is the
    identity.  Supports ``+``, ``-``, ``*`` (with operators and scalars), :meth:`dagger`.
    """

    __slots__ = ("terms",)

    def __init__(self, terms: Mapping | None = None, *, canonical: bool = False):
        self.terms: dict = {}
        if terms:
            if canonical:
                self.terms = {w: sp.sympify(c) for w, c in terms.items() if c != 0}
            else:
                for w, c in terms.items():
                    _accumulate(self.terms, _canonical(tuple(w)), sp.sympify(c))
                self._clean()

    def _clean(self) -> None:
        self.terms = {w: c for w, c in self.terms.items() if sp.expand(c) != 0}

    @staticmethod
    def gen(g: Gen) -> "Op":
        return Op({(g,): sp.Integer(1)}, canonical=True)

    # arithmetic ---------------------------------------------------------------
    def __add__(self, other) -> "Op":
        other = _as_op(other)
        out = dict(self.terms)
        _accumulate(out, other.terms.items(), 1)
        r = Op(out, canonical=True)
        r._clean()
        return r

    __radd__ = __add__

    def __neg__(self) -> "Op":
        return self * -1

    def __sub__(self, other) -> "Op":
        return self + (-_as_op(other))

    def __rsub__(self, other) -> "Op":
        return _as_op(other) - self

    def __mul__(self, other) -> "Op":
        if isinstance(other, Op):
            out: dict = {}
            for w1, c1 in self.terms.items():
                for w2, c2 in other.terms.items():
                    _accumulate(out, _canonical(w1 + w2), c1 * c2)
            r = Op(out, canonical=True)
            r._clean()
            return r
        c = sp.sympify(other)
        if c == 0:
            return Op()
        return Op({w: v * c for w, v in self.terms.items()}, canonical=True)

    def __rmul__(self, other) -> "Op":
        return self * other  # scalars commute

    def __truediv__(self, other) -> "Op":
        return self * (1 / sp.sympify(other))

    def __pow__(self, n: int) -> "Op":
        if not isinstance(n, int) or n < 0:
            raise ValueError(f"Op.__pow__: exponent must be a non-negative integer, got {n!r}")
        out = scalar(1)
        for _ in range(n):
            out = out * self
        return out

    def dagger(self) -> "Op":
        out: dict = {}
        for w, c in self.terms.items():
            _accumulate(out, _canonical(tuple(g.dagger() for g in reversed(w))), sp.conjugate(c))
        r = Op(out, canonical=True)
        r._clean()
        return r

    # queries ----------------------------------------------------------------
    def is_zero(self) -> bool:
        return not self.terms

    def simplify(self) -> "Op":
        r = Op({w: sp.simplify(c) for w, c in self.terms.items()}, canonical=True)
        r._clean()
        return r

    def subsystems(self) -> set:
        return {g.sub for w in self.terms for g in w}

    def free_symbols(self) -> set:
        out = set()
        for c in self.terms.values():
            out |= c.free_symbols
        return out

    def __eq__(self, other) -> bool:
        if not isinstance(other, (Op, int, float, sp.Expr)):
            return NotImplemented
        return (self - _as_op(other)).is_zero()

    def __hash__(self):
        return hash(frozenset(self.terms))

    def __repr__(self) -> str:
        if not self.terms:
            return "0"
        parts = []
        for w, c in sorted(self.terms.items(), key=lambda t: (len(t[0]), str(t[0]))):
            word = "*".join(map(repr, w))
            if not word:
                parts.append(f"({c})")
            elif c == 1:
                parts.append(word)
            elif c == -1:
                parts.append(f"-{word}")
            else:
                parts.append(f"({c})*{word}")
        return " + ".join(parts)


def scalar(c: Scalar) -> Op:
    """The identity times ``c``."""
    return Op({(): sp.sympify(c)}, canonical=True)


def _as_op(x) -> Op:
    return x if isinstance(x, Op) else scalar(x)


def commutator(a: Op, b: Op) -> Op:
    """[a, b] = ab - ba."""
    return a * b - b * a


# --------------------------------------------------------------------------- individual terms
def individual_sum(left: sp.Matrix, op: Op, right: sp.Matrix, atoms: Atoms) -> Op:
    r""":math:`\sum_i x_i\, O\, y_i` for single-atom matrices x, y and a collective operator O,
    reduced exactly to collective generators.

    The site-i operator x_i is moved to the right through each generator g of the ensemble,
    :math:`x_i g = g x_i + [x, m(g)]_i` (different atoms commute), until it meets y_i; then
    :math:`\sum_i (x y)_i` is a collective operator (:meth:`Atoms.collective`).
    """
    out = Op()
    for word, coeff in op.terms.items():
        out = out + _individual_word(sp.ImmutableMatrix(left), word, sp.ImmutableMatrix(right), atoms) * coeff
    return out


@lru_cache(maxsize=50_000)
def _individual_word(x: sp.ImmutableMatrix, word: tuple, y: sp.ImmutableMatrix, atoms: Atoms) -> Op:
    if x.is_zero_matrix:
        return Op()
    if not word:
        return atoms.collective(sp.Matrix(x * y))
    g, rest = word[0], word[1:]
    out = Op.gen(g) * _individual_word(x, rest, y, atoms)
    if g.sub == atoms:
        m = atoms.local_matrix(g.letter)
        out = out + _individual_word(sp.ImmutableMatrix(x * m - m * x), rest, y, atoms)
    return out
