r"""Cumulant expansion at order k: closed equations of motion of the moments of collective spins and modes.

First step of issue 19: models whose subsystems are collective spins (:class:`~analytic.algebra.Spin`),
qubit ensembles without individual terms (:class:`~analytic.algebra.Atoms`, ``levels=False``) and
bosonic modes.  N identical atoms with individual terms (one representative atom, pair, ...) and
d-level ensembles are not in this step: :func:`equations` refuses them.

The variables are the averages of the *canonical words* of the engine's algebra
(:mod:`analytic.algebra`): normal-ordered products :math:`S^{+a}S^{zb}S^{-c}` per spin and
:math:`a^{\dagger p}a^{q}` per mode, subsystems in the algebra's order, of degree 1..k.  Each is
scaled as the mean-field engine scales its variables: one factor :math:`S` (spin), :math:`Nj = N/2`
(qubits) or :math:`\sqrt{\text{scale}}` (mode) per generator, so that
:math:`m_{S^+} = \langle S^+\rangle/S = s_x + i s_y`, :math:`m_{S^z} = s_z`,
:math:`m_{a} = \langle a\rangle/\sqrt{D} = a_r + i a_i` (:func:`analytic.meanfield.variables`).
The moments are complex; :math:`m_{w^\dagger} = \overline{m_w}` and both are kept.  No Casimir
reduction is applied (:math:`S^+S^-` is a variable of its own).

The right-hand side of :math:`\dot m_w` is the engine's adjoint Lindbladian
(:meth:`analytic.model.Model.adjoint`, rates without factor 2) applied to the word; every average of
a canonical word of degree > k it contains is closed by setting its joint cumulants of order > k
to zero: :math:`\langle w\rangle = \sum_\pi \prod_{B\in\pi}\kappa(w_B)` over the set partitions
:math:`\pi` of the positions of w with blocks of size <= k, the ordered cumulants
:math:`\kappa(v) = \sum_\sigma (-1)^{|\sigma|-1}(|\sigma|-1)!\prod_{C\in\sigma}\langle v_C\rangle`
(the moment-cumulant relation; sub-words keep the order of w, so they are canonical words too).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from math import factorial

import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from .algebra import Gen, Op
from .meanfield import variables as meanfield_variables
from .model import Model, ModelError

__all__ = ["CumulantEquations", "equations", "closure", "moment_words", "word_name", "meanfield_point"]

_LETTER_NAMES = {"p": "Sp", "z": "Sz", "m": "Sm", "c": "ad", "a": "a"}


def word_name(word: tuple) -> str:
    """The name of a canonical word: generator names ``Sp, Sz, Sm`` (spins), ``ad, a`` (modes) with
    the subsystem suffix ``_name`` if any, joined by ``*`` (e.g. ``'Sp*Sz*Sm'``)."""
    if not word:
        return "1"
    return "*".join(_LETTER_NAMES[g.letter] + (f"_{g.sub.name}" if g.sub.name else "") for g in word)


def _scale(g: Gen) -> sp.Expr:
    """The factor that scales one generator: S (spin), N/2 (qubits), sqrt(scale) (mode)."""
    return g.sub.size if g.sub.kind in ("spin", "atoms") else sp.sqrt(g.sub.scale)


def _word_scale(word: tuple) -> sp.Expr:
    return sp.Mul(*[_scale(g) for g in word])


def _check_model(model: Model) -> None:
    if model.has_individual_terms():
        raise ModelError(f"cumulants: model {model.name!r} has individual (single-atom) terms; N identical "
                         "atoms with individual terms are not in this step (collective spins and modes only)")
    for s in model.subsystems:
        if s.kind == "atoms" and s.levels:
            raise ModelError(f"cumulants: subsystem {s.name!r} of {model.name!r} is a d-level ensemble with "
                             "level generators; not in this step (collective spins and modes only)")
    if model.derived.get("images"):
        raise ModelError(f"cumulants: model {model.name!r} has image subsystems; not in this step")


def _generators(model: Model) -> list:
    gens = [Gen(s, letter) for s in model.subsystems for letter in s.letters]
    return sorted(gens, key=lambda g: g.key)


def moment_words(model: Model, order: int) -> list[tuple]:
    """All canonical words of the model's generators of degree 1..``order``, by degree then in
    the algebra's order (e.g. crf at order 2: ``Sp, Sz, Sm, Sp*Sp, Sp*Sz, Sp*Sm, Sz*Sz, Sz*Sm, Sm*Sm``)."""
    gens = _generators(model)
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


@dataclass
class CumulantEquations(Mapping):
    r"""The closed equations :math:`\dot m_w = f_w(m)` of the scaled moments at order k.

    A mapping ``{word name: right-hand side}``; ``symbols[name]`` is the (complex) SymPy symbol ``<name>``
    of :math:`m_w = \langle w\rangle/\prod_{g\in w}\text{scale}(g)`, ``words[name]`` the canonical
    word, ``scales[name]`` its scale (``S**2`` for ``Sp*Sm`` of a spin S).  ``count`` is the number of
    (complex) equations, ``real_count`` the number of independent real ones
    (:math:`m_{w^\dagger} = \overline{m_w}`)."""

    model: Model
    order: int
    rhs: dict = field(default_factory=dict)
    symbols: dict = field(default_factory=dict)
    words: dict = field(default_factory=dict)
    scales: dict = field(default_factory=dict)
    exact: dict = field(default_factory=dict)

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

    @property
    def real_count(self) -> int:
        """The number of independent real equations: one per Hermitian word, two per pair w, w†."""
        seen, n = set(), 0
        for w in self.words.values():
            dag = tuple(g.dagger() for g in reversed(w))
            dag = tuple(sorted(dag, key=lambda g: g.key))
            if w in seen:
                continue
            seen |= {w, dag}
            n += 1 if dag == w else 2
        return n

    def __repr__(self) -> str:
        return f"CumulantEquations({self.model.name!r}, order={self.order}, count={self.count})"


def equations(model: Model, order: int = 1) -> CumulantEquations:
    r"""The equations of motion of the scaled moments of degree 1..``order``, closed at that order.

    Args:
        model: a model whose subsystems are collective spins, qubit ensembles without individual
            terms, or bosonic modes (e.g. ``analytic.models.crf()``, ``open_dicke()``, ``kerr()``).
        order: the cumulant order k >= 1; ``order=1`` is the normal-ordered mean-field factorisation
            of :func:`analytic.meanfield.equations` in the variables of :func:`meanfield_point`.

    Returns:
        :class:`CumulantEquations`, ``{'Sp': ..., 'Sz': ..., 'Sp*Sm': ..., ...}`` (see the module
        docstring for the variables and their scaling).

    Raises:
        ModelError: for individual terms, d-level ensembles, or an order that is not a positive integer.

    Example:
        >>> import analytic as an
        >>> eqs = equations(an.models.crf(), order=2)
        >>> eqs.count, eqs.real_count
        (9, 9)
    """
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ModelError(f"cumulants: order must be a positive integer, got {order!r}")
    _check_model(model)
    key = ("cumulants", order)
    cache = model.derived.setdefault("_cumulants", {})
    if key in cache:
        return cache[key]
    words = moment_words(model, order)
    out = CumulantEquations(model, order)
    moment: dict = {(): sp.Integer(1)}
    for w in words:
        name = word_name(w)
        out.symbols[name] = sp.Symbol(f"<{name}>")
        out.words[name] = w
        out.scales[name] = _word_scale(w)
        moment[w] = out.symbols[name]
    closed: dict = {}
    for name, w in out.words.items():
        adj = model.adjoint(Op({w: sp.Integer(1)}, canonical=True))
        out.exact[name] = dict(adj.terms)
        expr = sp.Integer(0)
        for v, c in adj.terms.items():
            if v not in closed:
                closed[v] = closure(v, order, moment)
            expr += c * _word_scale(v) * closed[v]
        out.rhs[name] = sp.expand(expr / out.scales[name])
    cache[key] = out
    return out


def meanfield_point(model: Model) -> dict[str, sp.Expr]:
    r"""The order-1 moments in the mean-field variables of :func:`analytic.meanfield.variables`:
    ``{'Sp': sx + I*sy, 'Sz': sz, 'Sm': sx - I*sy, 'ad': ar - I*ai, 'a': ar + I*ai}`` (with suffixes)."""
    _check_model(model)
    var = meanfield_variables(model)
    out = {}
    for g in _generators(model):
        suf = f"_{g.sub.name}" if g.sub.name else ""
        if g.sub.kind in ("spin", "atoms"):
            sx, sy, sz = var["sx" + suf], var["sy" + suf], var["sz" + suf]
            value = {"p": sx + sp.I * sy, "z": sz, "m": sx - sp.I * sy}[g.letter]
        else:
            ar, ai = var["ar" + suf], var["ai" + suf]
            value = {"a": ar + sp.I * ai, "c": ar - sp.I * ai}[g.letter]
        out[word_name((g,))] = value
    return out
