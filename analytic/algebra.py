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
    r"""An ensemble of ``N`` identical d-level atoms (qubits for ``d = 2``).

    Single-atom basis :math:`|0\rangle, \dots, |d-1\rangle` ordered by energy: level k is the
    spin state :math:`m = k - j` of a spin :math:`j = (d-1)/2` (``d = 2``: :math:`|0\rangle` =
    down, :math:`|1\rangle` = up).  Two sets of collective generators:

    * ``levels=False`` (qubits only, the default for ``d = 2``): :math:`S^+, S^z, S^-` with
      :math:`S^\alpha = \sum_i \sigma_i^\alpha/2`, letters ``'p', 'z', 'm'``.
    * ``levels=True`` (the default and only choice for ``d > 2``): the :math:`d^2` generators of
      :math:`\mathfrak{gl}(d)`, :math:`E_{ab} = \sum_i |a\rangle\langle b|_i` (seed 001 eq. 7:
      :math:`S_{x;m,n} = (E_{mn}+E_{nm})/2N`, :math:`S_{y;m,n} = (E_{mn}-E_{nm})/2iN`), letters
      ``'e{a}_{b}'``, with :math:`[E_{ab}, E_{cd}] = \delta_{bc}E_{ad} - \delta_{da}E_{cb}`
      (seed 001 eq. A2) and :math:`\sum_a E_{aa} = N`.  Canonical order: raising
      (:math:`a > b`) left of diagonal left of lowering (:math:`a < b`), the analogue of
      :math:`S^+ S^z S^-`.

    The single-atom :math:`d\times d` matrix of every generator is :meth:`local_matrix` (letter
    of :meth:`generators`), so that ``atoms.collective(M)`` = :math:`\sum_i M_i` and numeric
    code can build the same operators on any representation; ``plus``, ``minus``, ``z``, ``x``,
    ``y`` are the collective spin operators :math:`J_\alpha = \sum_i j_\alpha^{(i)}` (seed 001
    eq. 1) in either set.
    """

    name: str
    N: sp.Expr
    d: int = 2
    levels: bool | None = None

    kind = "atoms"

    def __post_init__(self):
        if not isinstance(self.d, int) or isinstance(self.d, bool) or self.d < 2:
            raise ValueError(f"Atoms: d (number of levels per atom) must be an integer >= 2, got d={self.d!r}")
        if self.levels is None:
            object.__setattr__(self, "levels", self.d > 2)
        if not self.levels and self.d != 2:
            raise ValueError(f"Atoms: d={self.d} needs the level generators E_ab (levels=True); "
                             "S+, Sz, S- (levels=False) exist for qubits only")

    @property
    def letters(self) -> tuple:
        """Generator letters in canonical order."""
        return _level_letters(self.d) if self.levels else ("p", "z", "m")

    @property
    def j(self) -> sp.Rational:
        """Single-atom spin :math:`j = (d-1)/2`."""
        return sp.Rational(self.d - 1, 2)

    @property
    def size(self) -> sp.Expr:
        """Mean-field scale :math:`Nj` (:math:`N/2` for qubits, so that
        :math:`s_a = \\langle S_a\\rangle/(N/2)` is the per-atom Pauli expectation)."""
        return self.N * self.j

    @property
    def plus(self) -> "Op":
        return Op.gen(Gen(self, "p")) if not self.levels else self.collective(self.spin_matrix("p"))

    @property
    def minus(self) -> "Op":
        return Op.gen(Gen(self, "m")) if not self.levels else self.collective(self.spin_matrix("m"))

    @property
    def z(self) -> "Op":
        return Op.gen(Gen(self, "z")) if not self.levels else self.collective(self.spin_matrix("z"))

    x = Spin.x
    y = Spin.y

    def E(self, a: int, b: int) -> "Op":
        r""":math:`E_{ab} = \sum_i |a\rangle\langle b|_i` (levels 0..d-1; needs ``levels=True``)."""
        if not self.levels:
            raise ValueError("Atoms.E: this ensemble uses S+, Sz, S-; build it with levels=True")
        for arg, k in (("a", a), ("b", b)):
            if not (isinstance(k, int) and 0 <= k < self.d):
                raise ValueError(f"Atoms.E: level {arg}={k!r} is not an integer in 0..{self.d - 1}")
        return Op.gen(Gen(self, _level_letter(a, b)))

    def generators(self) -> tuple:
        """All generators of the ensemble, as :class:`Gen`, in canonical order."""
        return tuple(Gen(self, letter) for letter in self.letters)

    # single-atom matrices ---------------------------------------------------------
    def spin_matrix(self, letter: str) -> sp.Matrix:
        r"""Single-atom spin-j matrix :math:`j_+` (``'p'``), :math:`j_-` (``'m'``) or :math:`j_z`
        (``'z'``) in the level basis (seed 001 eq. 1: :math:`j_+ = \sum_m A_{j,m}|m+1\rangle\langle m|`,
        :math:`A_{j,m} = \sqrt{(j-m)(j+m+1)}`)."""
        d, j = self.d, self.j
        if letter == "z":
            return sp.diag(*[k - j for k in range(d)])
        jp = sp.zeros(d, d)
        for k in range(d - 1):
            m = k - j
            jp[k + 1, k] = sp.sqrt((j - m) * (j + m + 1))
        if letter == "p":
            return jp
        if letter == "m":
            return jp.T
        raise ValueError(f"Atoms.spin_matrix: letter must be 'p', 'm' or 'z', got {letter!r}")

    def local_matrix(self, letter: str) -> sp.Matrix:
        """The single-atom matrix :math:`m` of a collective generator, :math:`g = \\sum_i m_i`
        (``letter`` from :attr:`letters`; :math:`|a\\rangle\\langle b|` for ``'e{a}_{b}'``)."""
        if letter not in self.letters:
            raise ValueError(f"Atoms.local_matrix: unknown generator letter {letter!r}; use one of {self.letters}")
        if not self.levels:
            return self.spin_matrix(letter)
        a, b = _level_indices(letter)
        out = sp.zeros(self.d, self.d)
        out[a, b] = 1
        return out

    def collective(self, m: sp.Matrix) -> "Op":
        """:math:`\\sum_i M_i` for a single-atom matrix M, as collective generators."""
        m = sp.Matrix(m)
        if m.shape != (self.d, self.d):
            raise ValueError(f"Atoms.collective: matrix m must be {self.d}x{self.d}, got {m.shape}")
        if self.levels:
            return Op({(Gen(self, _level_letter(a, b)),): m[a, b]
                       for a in range(self.d) for b in range(self.d) if m[a, b] != 0}, canonical=True)
        half = self.N / 2
        return (
            self.z * (m[1, 1] - m[0, 0])
            + scalar(half * (m[1, 1] + m[0, 0]))
            + self.plus * m[1, 0]
            + self.minus * m[0, 1]
        )

    def local(self, name: str) -> "Local":
        """A named single-atom operator: ``'sm'`` (sigma^-), ``'sp'``, ``'sz'`` (Pauli z; qubits),
        ``'jm'``, ``'jp'``, ``'jz'`` (spin-j matrices, any d)."""
        mats = {"jm": "m", "jp": "p", "jz": "z"}
        if self.d == 2:
            mats.update({"sm": "m", "sp": "p"})
        if name == "sz" and self.d == 2:
            return Local(self, 2 * self.spin_matrix("z"), name)
        if name not in mats:
            known = sorted(mats) + (["sz"] if self.d == 2 else [])
            raise ValueError(f"Atoms.local: unknown single-atom operator {name!r}; use one of {known}")
        return Local(self, self.spin_matrix(mats[name]), name)


def _level_letter(a: int, b: int) -> str:
    return f"e{a}_{b}"


def _level_indices(letter: str) -> tuple:
    a, b = letter[1:].split("_")
    return int(a), int(b)


@lru_cache(maxsize=None)
def _level_letters(d: int) -> tuple:
    """Letters of E_ab in canonical order: raising (a > b), diagonal, lowering (a < b).  The
    lowering block is the mirror image of the raising one (E_ba in reverse order), so the
    adjoint of a canonical word is canonical, as for S+ Sz S-."""
    raising = [(a, b) for a in range(d) for b in range(a)]
    lowering = [(b, a) for a, b in reversed(raising)]
    diagonal = [(a, a) for a in range(d)]
    return tuple(_level_letter(a, b) for a, b in raising + diagonal + lowering)


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
    def key(self) -> tuple[str, str, int]:
        return (self.sub.name, self.sub.kind, self.sub.letters.index(self.letter))

    def dagger(self) -> "Gen":
        if self.letter.startswith("e"):
            a, b = _level_indices(self.letter)
            return Gen(self.sub, _level_letter(b, a))
        return Gen(self.sub, {"p": "m", "m": "p", "z": "z", "c": "a", "a": "c"}[self.letter])

    def __repr__(self) -> str:
        suffix = f"_{self.sub.name}" if self.sub.name else ""
        if self.letter.startswith("e"):
            return "E%d%d" % _level_indices(self.letter) + suffix
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
    if x.letter.startswith("e"):  # gl(d): [E_ab, E_cd] = delta_bc E_ad - delta_da E_cb (seed 001 eq. A2)
        (a, b), (c, e) = _level_indices(x.letter), _level_indices(y.letter)
        out: dict = {}
        if b == c:
            out[(Gen(x.sub, _level_letter(a, e)),)] = 1
        if e == a:
            w = (Gen(x.sub, _level_letter(c, b)),)
            out[w] = out.get(w, 0) - 1
        return {w: v for w, v in out.items() if v != 0}
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
def canonical_word(word: tuple) -> tuple:
    """Canonical (normal-ordered) form of a word, as a tuple of (word, coeff) pairs."""
    for i in range(len(word) - 1):
        x, y = word[i], word[i + 1]
        if x.key > y.key:
            out: dict = {}
            _accumulate(out, canonical_word(word[:i] + (y, x) + word[i + 2:]), 1)
            if x.sub == y.sub:
                for w, c in _swap_rule(x, y).items():
                    _accumulate(out, canonical_word(word[:i] + w + word[i + 2:]), c)
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
                    _accumulate(self.terms, canonical_word(tuple(w)), sp.sympify(c))
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
                    _accumulate(out, canonical_word(w1 + w2), c1 * c2)
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
            _accumulate(out, canonical_word(tuple(g.dagger() for g in reversed(w))), sp.conjugate(c))
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
