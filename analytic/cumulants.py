r"""Cumulant expansion at order k: closed equations of motion of the moments of spins, atoms and modes.

**Collective treatment** (collective spins :class:`~analytic.algebra.Spin`, qubit ensembles without
individual terms, bosonic modes).  The variables are the averages of the *canonical words* of the
engine's algebra (:mod:`analytic.algebra`): normal-ordered products :math:`S^{+a}S^{zb}S^{-c}` per spin
and :math:`a^{\dagger p}a^{q}` per mode, subsystems in the algebra's order, of degree 1..k.  Each is
scaled as the mean-field engine scales its variables: one factor :math:`S` (spin), :math:`Nj = N/2`
(qubits) or :math:`\sqrt{\text{scale}}` (mode) per generator, so that
:math:`m_{S^+} = \langle S^+\rangle/S = s_x + i s_y`, :math:`m_{S^z} = s_z`,
:math:`m_{a} = \langle a\rangle/\sqrt{D} = a_r + i a_i` (:func:`analytic.meanfield.variables`).
The moments are complex; :math:`m_{w^\dagger} = \overline{m_w}` and both are kept.  No Casimir
reduction is applied (:math:`S^+S^-` is a variable of its own).

**Individual treatment** (:class:`~analytic.algebra.Atoms` when the model has individual terms, the
default of ``factorization``, as in :func:`analytic.meanfield.equations`): permutation symmetry is
used explicitly.  The same word tuples mean products of single-atom operators on *distinct*
atoms, one representative atom per letter, N symbolic: for qubits ``(p, p, m)`` is
:math:`\langle\sigma^+_1\sigma^+_2\sigma^-_3\rangle` (named ``'sp1*sp2*sm3'``); for d-level atoms
(``levels=True``) the letters are the :math:`|a\rangle\langle b|` with :math:`(a, b) \ne (0, 0)`
(:math:`|0\rangle\langle 0| = 1 - \sum_{a\ge1}|a\rangle\langle a|`), named ``'e1_0(1)*e2_2(2)'``.
Scales per letter: :math:`j = 1/2` for qubits (so :math:`m_{sp1} = \langle\sigma^x\rangle + i\langle\sigma^y\rangle`,
:math:`m_{sz1} = \langle\sigma^z\rangle`, the per-atom variables of the mean-field engine), 1 for
levels (:math:`m_{e_{a b}} = \bar\rho_{ba}`).  Their equations come from the collective ones, without a
second algebra: a collective word :math:`W = g_1\cdots g_n` of one ensemble is
:math:`\langle W\rangle = \sum_\pi N^{\underline{|\pi|}}\langle\prod_{B\in\pi}M_B\rangle` over the set
partitions of its positions (each block one atom, :math:`M_B` the ordered product of the single-atom
matrices expanded on the letters and 1; seed 004 eq. B1 is the order-1 case), a triangular map
whose leading term is :math:`N^{\underline{n}}` times the representative moment of the same letters.
So :math:`\tfrac{d}{dt}\langle W\rangle = \langle\mathcal L^\dagger W\rangle` (exact, from
:meth:`analytic.model.Model.adjoint`) gives the exact equation of every representative moment,
solved degree by degree.  Single-atom products are reduced exactly (:math:`\sigma^+\sigma^- = (1+\sigma^z)/2`),
so only the cumulants *between distinct atoms* (and modes) are truncated: a product state is
exact at every order.

**Closure.** The right-hand side of :math:`\dot m_w` is the engine's adjoint Lindbladian
(rates without factor 2) applied to the word; every average of a word of degree > k it
contains is closed by setting its joint cumulants of order > k to zero:
:math:`\langle w\rangle = \sum_\pi \prod_{B\in\pi}\kappa(w_B)` over the set partitions
:math:`\pi` of the positions of w with blocks of size <= k, the ordered cumulants
:math:`\kappa(v) = \sum_\sigma (-1)^{|\sigma|-1}(|\sigma|-1)!\prod_{C\in\sigma}\langle v_C\rangle`
(the moment-cumulant relation; sub-words keep the order of w, so they are canonical words too).
"""
from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from math import factorial

import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from .algebra import Gen, Op
from .meanfield import variables as meanfield_variables
from .model import Model, ModelError

__all__ = ["CumulantEquations", "equations", "closure", "moment_words", "word_name", "meanfield_point",
           "atom_expansion", "FACTORIZATIONS"]

_LETTER_NAMES = {"p": "Sp", "z": "Sz", "m": "Sm", "c": "ad", "a": "a"}
_ATOM_NAMES = {"p": "sp", "z": "sz", "m": "sm"}
FACTORIZATIONS = ("collective", "individual")


def word_name(word: tuple, individual: Collection[str] = ()) -> str:
    """The name of a word: generator names ``Sp, Sz, Sm`` (spins), ``ad, a`` (modes) with the
    subsystem suffix ``_name`` if any, joined by ``*`` (e.g. ``'Sp*Sz*Sm'``); letters of the
    ensembles named in ``individual`` are single atoms numbered 1, 2, ... (``'sp1*sm2'``,
    ``'e1_0(1)'``, with suffix ``'sp1_A'``)."""
    if not word:
        return "1"
    parts, count = [], {}
    for g in word:
        suf = f"_{g.sub.name}" if g.sub.name else ""
        if g.sub.kind == "atoms" and g.sub.name in individual:
            count[g.sub] = count.get(g.sub, 0) + 1
            i = count[g.sub]
            parts.append(f"{g.letter}({i}){suf}" if g.letter.startswith("e") else f"{_ATOM_NAMES[g.letter]}{i}{suf}")
        elif g.letter.startswith("e"):
            parts.append(g.letter + suf)
        else:
            parts.append(_LETTER_NAMES[g.letter] + suf)
    return "*".join(parts)


def _is_individual(g: Gen, individual: Collection[str]) -> bool:
    return g.sub.kind == "atoms" and g.sub.name in individual


def _scale(g: Gen, individual: Collection[str] = ()) -> sp.Expr:
    """The factor that scales one letter: S (spin), N/2 (qubits), sqrt(scale) (mode); a single atom: j (qubits), 1 (levels)."""
    if _is_individual(g, individual):
        return sp.Integer(1) if g.sub.levels else g.sub.j
    return g.sub.size if g.sub.kind in ("spin", "atoms") else sp.sqrt(g.sub.scale)


def _word_scale(word: tuple, individual: Collection[str] = ()) -> sp.Expr:
    return sp.Mul(*[_scale(g, individual) for g in word])


def _images(model: Model) -> dict:
    """``{image subsystem: own subsystem}`` of a translation-invariant model (``derived['images']``)."""
    subs = {s.name: s for s in model.subsystems}
    return {subs[k]: subs[v[0]] for k, v in model.derived.get("images", {}).items()}


def _individual_names(model: Model, factorization: str | None) -> frozenset:
    """The ensembles treated by representative atoms (all of them for ``'individual'``)."""
    if factorization is None:
        factorization = "individual" if model.has_individual_terms() else "collective"
    if factorization not in FACTORIZATIONS:
        raise ModelError(f"cumulants: factorization must be one of {FACTORIZATIONS}, got {factorization!r}")
    if factorization == "collective":
        for s in model.subsystems:
            if s.kind == "atoms" and s.levels:
                raise ModelError(f"cumulants: subsystem {s.name!r} of {model.name!r} is a d-level ensemble; "
                                 "use factorization='individual' (representative atoms)")
        return frozenset()
    return frozenset(s.name for s in model.subsystems if s.kind == "atoms")


def _letters(sub, individual: Collection[str]) -> tuple:
    """The letters of the variables of one subsystem (single atoms of levels: without ``e0_0``)."""
    if sub.kind == "atoms" and sub.name in individual and sub.levels:
        return tuple(x for x in sub.letters if x != "e0_0")
    return tuple(sub.letters)


def _generators(model: Model, individual: Collection[str] = ()) -> list:
    images = _images(model)
    gens = [Gen(s, letter) for s in model.subsystems if s not in images for letter in _letters(s, individual)]
    return sorted(gens, key=lambda g: g.key)


def moment_words(model: Model, order: int, factorization: str | None = None) -> list[tuple]:
    """All words of the model's letters of degree 1..``order``, by degree then in the algebra's
    order (e.g. crf at order 2: ``Sp, Sz, Sm, Sp*Sp, Sp*Sz, Sp*Sm, Sz*Sz, Sz*Sm, Sm*Sm``)."""
    gens = _generators(model, _individual_names(model, factorization))
    return [w for d in range(1, order + 1) for w in itertools.combinations_with_replacement(gens, d)]


@lru_cache(maxsize=4096)
def _set_partitions(n: int) -> tuple:
    return tuple(tuple(tuple(b) for b in p) for p in multiset_partitions(list(range(n))))


def _cumulant(word: tuple, moment: dict) -> sp.Expr:
    r"""Ordered joint cumulant :math:`\kappa(w)` of the letters of ``word`` in moments ``moment[subword]``."""
    total = sp.Integer(0)
    for part in _set_partitions(len(word)):
        r = len(part)
        term = sp.Integer((-1) ** (r - 1) * factorial(r - 1))
        for block in part:
            term *= moment[tuple(word[i] for i in block)]
        total += term
    return total


def closure(word: tuple, order: int, moment: Mapping[tuple, sp.Expr]) -> sp.Expr:
    r"""The average of ``word`` (any degree) with every joint cumulant of order > ``order`` set to
    zero, in the moments ``moment[subword]`` of degree <= ``order`` (a word of degree <= order is
    returned as its own moment)."""
    if len(word) <= order:
        return moment[word]
    if order < 1:
        raise ModelError(f"cumulants: order must be a positive integer, got {order!r}")
    cache: dict = {}
    total = sp.Integer(0)
    for part in _set_partitions(len(word)):
        if max(len(b) for b in part) > order:
            continue
        term = sp.Integer(1)
        for block in part:
            sub = tuple(word[i] for i in block)
            if sub not in cache:
                cache[sub] = _cumulant(sub, moment)
            term *= cache[sub]
        total += term
    return total


# --------------------------------------------------------------------------- representative atoms
def _single_atom_expansion(sub, m: sp.Matrix) -> list:
    """A single-atom matrix on 1 and the letters: ``[(None, c0), (letter, c), ...]`` (nonzero only)."""
    if not sub.levels:   # 1, sigma+, sigma_z/2, sigma-
        out = [(None, (m[0, 0] + m[1, 1]) / 2), ("z", m[1, 1] - m[0, 0]), ("p", m[1, 0]), ("m", m[0, 1])]
    else:                # 1, |a><b| with (a, b) != (0, 0)
        out = [(None, m[0, 0])] + [(f"e{a}_{b}", m[a, b] - (m[0, 0] if a == b else 0))
                                   for a in range(sub.d) for b in range(sub.d) if (a, b) != (0, 0)]
    return [(x, sp.nsimplify(c) if c.is_number else c) for x, c in out if c != 0]


@lru_cache(maxsize=20_000)
def _segment_to_atoms(seg: tuple) -> tuple:
    r"""A collective word of one ensemble as representative moments:
    :math:`\langle g_1\cdots g_n\rangle = \sum_\pi N^{\underline{|\pi|}}\langle\prod_B M_B\rangle`;
    ``((letters, coeff), ...)`` with the letters sorted (distinct atoms commute)."""
    sub = seg[0].sub
    mats = [sub.local_matrix(g.letter) for g in seg]
    out: dict = {}
    for part in _set_partitions(len(seg)):
        choices = []
        for block in part:
            m = sp.eye(sub.d)
            for i in block:
                m = m * mats[i]
            choices.append(_single_atom_expansion(sub, m))
        weight = sp.ff(sub.N, len(part))
        for pick in itertools.product(*choices):
            letters = tuple(sorted((Gen(sub, x) for x, _ in pick if x is not None), key=lambda g: g.key))
            out[letters] = out.get(letters, 0) + weight * sp.Mul(*[c for _, c in pick])
    return tuple((w, sp.expand(c)) for w, c in out.items() if sp.expand(c) != 0)


def atom_expansion(word: tuple, individual: Collection[str]) -> dict:
    r"""A collective canonical word as ``{word: coeff}`` of words whose letters of the ensembles named in
    ``individual`` sit on distinct single atoms (exact: :math:`\langle g_1\cdots g_n\rangle = \sum_\pi N^{\underline{|\pi|}}\langle\prod_B M_B\rangle`
    per ensemble, single-atom products reduced on 1 and the letters)."""
    out = {(): sp.Integer(1)}
    for _, grp in itertools.groupby(word, key=lambda g: g.sub):
        seg = tuple(grp)
        pieces = _segment_to_atoms(seg) if _is_individual(seg[0], individual) else ((seg, sp.Integer(1)),)
        new: dict = {}
        for w, c in out.items():
            for v, a in pieces:
                new[w + v] = new.get(w + v, 0) + c * a
        out = new
    return out


def _add(out: dict, terms: Mapping, factor) -> None:
    for w, c in terms.items():
        out[w] = out.get(w, 0) + factor * c


@dataclass
class CumulantEquations(Mapping):
    r"""The closed equations :math:`\dot m_w = f_w(m)` of the scaled moments at order k.

    A mapping ``{word name: right-hand side}``; ``symbols[name]`` is the (complex) SymPy symbol ``<name>``
    of :math:`m_w = \langle w\rangle/\prod_{g\in w}\text{scale}(g)`, ``words[name]`` the word,
    ``scales[name]`` its scale (``S**2`` for ``Sp*Sm`` of a spin S, ``1/4`` for ``sp1*sm2``).
    ``individual`` names the ensembles treated by representative atoms (their letters are distinct
    single atoms, see the module docstring).  ``exact[name]`` is the right-hand side before the closure,
    ``{word v: c_v}`` with :math:`\tfrac{d}{dt}\langle w\rangle = \sum_v c_v\langle v\rangle`
    (unscaled averages of words of any degree, in the same reading; the input of the quantum
    regression theorem, which closes it with time-0 operators as extra letters).  ``count`` is the
    number of (complex) equations, ``real_count`` the number of independent real ones
    (:math:`m_{w^\dagger} = \overline{m_w}`)."""

    model: Model
    order: int
    rhs: dict = field(default_factory=dict)
    symbols: dict = field(default_factory=dict)
    words: dict = field(default_factory=dict)
    scales: dict = field(default_factory=dict)
    exact: dict = field(default_factory=dict)
    individual: frozenset = frozenset()

    def __getitem__(self, name: str) -> sp.Expr:
        return self.rhs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rhs)

    def __len__(self) -> int:
        return len(self.rhs)

    @property
    def count(self) -> int:
        """The number of (complex) moment equations."""
        return len(self.rhs)

    def name(self, word: tuple) -> str:
        """The name of a word in this reading (:func:`word_name` with :attr:`individual`)."""
        return word_name(word, self.individual)

    def dagger(self, word: tuple) -> tuple:
        """The word of the adjoint: reversed daggered letters, back in canonical order."""
        return tuple(sorted((g.dagger() for g in reversed(word)), key=lambda g: g.key))

    @property
    def real_count(self) -> int:
        """The number of independent real equations: one per Hermitian word, two per pair w, w†."""
        seen, n = set(), 0
        for w in self.words.values():
            dag = self.dagger(w)
            if w in seen:
                continue
            seen |= {w, dag}
            n += 1 if dag == w else 2
        return n

    def average(self, op: Op) -> sp.Expr:
        r"""The unscaled average :math:`\langle O\rangle` of an operator (collective generators, as
        ``model.operator_names()`` gives them) in the moment symbols, words of degree > k closed."""
        moment = {(): sp.Integer(1), **{w: self.symbols[n] for n, w in self.words.items()}}
        total = sp.Integer(0)
        for word, c in op.terms.items():
            for v, a in (atom_expansion(word, self.individual) if self.individual else {word: 1}).items():
                total += c * a * _word_scale(v, self.individual) * (closure(v, self.order, moment) if v else 1)
        return sp.expand(total)

    def __repr__(self) -> str:
        return f"CumulantEquations({self.model.name!r}, order={self.order}, count={self.count})"


def equations(model: Model, order: int = 1, factorization: str | None = None) -> CumulantEquations:
    r"""The equations of motion of the scaled moments of degree 1..``order``, closed at that order.

    Args:
        model: any catalogue or user model: collective spins, bosonic modes, N identical atoms with
            collective and individual terms (two-level or d-level); a translation-invariant chain
            (image subsystems) at ``order=1`` only.
        order: the cumulant order k >= 1; ``order=1`` is :func:`analytic.meanfield.equations` in the
            variables of :func:`meanfield_point`.
        factorization: ``'collective'`` (cumulants of collective operators) or ``'individual'``
            (representative atoms, cumulants between distinct atoms); default as in
            :func:`analytic.meanfield.equations`: individual when the model has individual terms.

    Returns:
        :class:`CumulantEquations`, ``{'Sp': ..., 'Sz': ..., 'Sp*Sm': ..., ...}`` (see the module
        docstring for the variables and their scaling).

    Raises:
        ModelError: individual terms with ``factorization='collective'``, image subsystems at
            order > 1, or an order that is not a positive integer.

    Example:
        >>> import analytic as an
        >>> eqs = equations(an.models.crf(), order=2)
        >>> eqs.count, eqs.real_count
        (9, 9)
        >>> equations(an.models.driven_dicke(), order=2).count   # 3 single atoms + 6 pairs
        9
    """
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ModelError(f"cumulants: order must be a positive integer, got {order!r}")
    individual = _individual_names(model, factorization)
    images = _images(model)
    if images and order > 1:
        raise ModelError(f"cumulants: model {model.name!r} is a translation-invariant chain (image subsystems "
                         f"{sorted(s.name for s in images)}); its order-{order} moments need the correlations at "
                         "every distance: use order=1, or write a finite chain")
    key = ("cumulants", order, individual)
    cache = model.derived.setdefault("_cumulants", {})
    if key in cache:
        return cache[key]
    out = CumulantEquations(model, order, individual=individual)
    moment: dict = {(): sp.Integer(1)}
    for w in moment_words(model, order, "individual" if individual else "collective"):
        name = word_name(w, individual)
        out.symbols[name] = sp.Symbol(f"<{name}>")
        out.words[name] = w
        out.scales[name] = _word_scale(w, individual)
        moment[w] = out.symbols[name]
    for g, own in images.items():    # order 1: an image letter carries its own subsystem's moment
        for letter in g.letters:
            moment[(Gen(g, letter),)] = moment[(Gen(own, letter),)]
    for name, w in out.words.items():
        adj = model.adjoint(Op({w: sp.Integer(1)}, canonical=True)).terms
        if individual:
            lin: dict = {}
            for v, c in adj.items():
                _add(lin, atom_expansion(v, individual), c)
            lead = None
            for u, a in atom_expansion(w, individual).items():
                if u == w:
                    lead = a
                elif u:
                    _add(lin, out.exact[word_name(u, individual)], -a)
            adj = {u: sp.cancel(c / lead) for u, c in lin.items()}
            adj = {u: c for u, c in adj.items() if c != 0}
        out.exact[name] = dict(adj)
        expr = sp.Integer(0)
        closed: dict = {}
        for v, c in adj.items():
            if not v:
                expr += c
                continue
            if v not in closed:
                closed[v] = closure(v, order, moment)
            expr += c * _word_scale(v, individual) * closed[v]
        out.rhs[name] = sp.expand(expr / out.scales[name])
    cache[key] = out
    return out


def meanfield_point(model: Model, factorization: str | None = None) -> dict[str, sp.Expr]:
    r"""The order-1 moments in the mean-field variables of :func:`analytic.meanfield.variables`:
    ``{'Sp': sx + I*sy, 'Sz': sz, 'Sm': sx - I*sy, 'ad': ar - I*ai, 'a': ar + I*ai}`` (with suffixes;
    ``'sp1'``, ``'sz1'``, ``'sm1'`` for representative qubits, ``'e1_0(1)'`` = ``Sx_1_0 + I*Sy_1_0``
    for levels), in the reading of ``factorization`` (as for :func:`equations`)."""
    individual = _individual_names(model, factorization)
    var = meanfield_variables(model)
    out = {}
    for g in _generators(model, individual):
        suf = f"_{g.sub.name}" if g.sub.name else ""
        if g.letter.startswith("e"):
            a, b = (int(x) for x in g.letter[1:].split("_"))
            hi, lo = max(a, b), min(a, b)
            if a == b:
                value = var[f"Sx_{a}_{a}{suf}"]
            else:
                value = var[f"Sx_{hi}_{lo}{suf}"] + (1 if a > b else -1) * sp.I * var[f"Sy_{hi}_{lo}{suf}"]
        elif g.sub.kind in ("spin", "atoms"):
            sx, sy, sz = var["sx" + suf], var["sy" + suf], var["sz" + suf]
            value = {"p": sx + sp.I * sy, "z": sz, "m": sx - sp.I * sy}[g.letter]
        else:
            ar, ai = var["ar" + suf], var["ai" + suf]
            value = {"a": ar + sp.I * ai, "c": ar - sp.I * ai}[g.letter]
        out[word_name((g,), individual)] = value
    return out
