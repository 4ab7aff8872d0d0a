r"""The model definition: parameters, subsystems, Hamiltonian and dissipators.

Convention (hbar = 1, QuTiP's):

.. math::
    \dot\rho = -i[H, \rho] + \sum_k r_k \Big(L_k \rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k, \rho\}\Big),

a rate :math:`r_k` multiplies :math:`\mathcal D[L_k]` *without* a factor 2.  A paper written
with :math:`\kappa(2L\rho L^\dagger - \dots)` has :math:`r = 2\kappa` here; the catalogue
(:mod:`analytic.models`) does that mapping once, with the paper's equation number.

A dissipator is ``collective`` (one jump operator built from collective generators or a
bosonic mode) or ``individual`` (the same single-atom jump operator acting on every atom of an
:class:`~analytic.algebra.Atoms` ensemble, :math:`\sum_i r\,\mathcal D[L_i]`).
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping, Union

import sympy as sp

from .algebra import Atoms, Local, Op, commutator, individual_sum, scalar

__all__ = ["Dissipator", "Model", "ModelError", "OPERATOR_STRING_LIMITS", "spin_length"]


class ModelError(ValueError):
    """Invalid model definition or invalid input to a model method."""


@dataclass(frozen=True)
class Dissipator:
    """A Lindblad term :math:`r\\,\\mathcal D[L]` (``collective``) or
    :math:`r\\sum_i \\mathcal D[L_i]` (``individual``)."""

    jump: Union[Op, Local]
    rate: sp.Expr
    kind: str = "collective"
    label: str = ""

    def __post_init__(self):
        if self.kind not in ("collective", "individual"):
            raise ModelError(f"Dissipator kind must be 'collective' or 'individual', got {self.kind!r}")
        if (self.kind == "individual") != isinstance(self.jump, Local):
            raise ModelError(
                f"Dissipator {self.label!r}: an individual dissipator takes a single-atom operator "
                "(Atoms.local(...)), a collective one an operator built from collective generators"
            )
        if isinstance(self.rate, str):  # sympify would eval it, and make symbols without assumptions
            raise ModelError(f"Dissipator {self.label!r}: the rate must be a number or a SymPy expression of the "
                             f"model's parameter symbols, not the string {self.rate!r}")
        object.__setattr__(self, "rate", sp.sympify(self.rate))


@dataclass
class Model:
    """A driven-dissipative model.

    Attributes:
        name: catalogue name (``'crf'``, ...).
        parameters: ``{name: Symbol}`` of the physical parameters (real; rates positive).
        subsystems: the spins, atom ensembles and modes.
        hamiltonian: :math:`H` as an :class:`~analytic.algebra.Op`.
        dissipators: the Lindblad terms.
        source: paper and equation the model is taken from.
    """

    name: str
    parameters: dict
    subsystems: tuple
    hamiltonian: Op
    dissipators: tuple
    source: str = ""
    notes: str = ""
    derived: dict = field(default_factory=dict)

    def __post_init__(self):
        self.subsystems = tuple(self.subsystems)
        self.dissipators = tuple(self.dissipators)
        self._validate()

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        names = [(s.kind, s.name) for s in self.subsystems]
        if len(set(names)) != len(names):
            raise ModelError(f"model {self.name!r}: two subsystems share a name: {names}")
        for k, v in self.parameters.items():
            if not isinstance(v, sp.Symbol) or v.name != k:
                raise ModelError(f"model {self.name!r}: parameter {k!r} must be a Symbol named {k!r}")
        allowed = set(self.parameters.values()) | self.size_symbols()
        subs = set(self.subsystems)
        foreign = self.hamiltonian.subsystems() - subs
        if foreign:
            raise ModelError(f"model {self.name!r}: Hamiltonian uses operators of subsystems {foreign} not in the model")
        unknown = self.hamiltonian.free_symbols() - allowed
        if unknown:
            raise ModelError(f"model {self.name!r}: Hamiltonian uses unknown symbols {sorted(map(str, unknown))}")
        anti = (self.hamiltonian - self.hamiltonian.dagger()).simplify()
        if not anti.is_zero():
            raise ModelError(f"model {self.name!r}: the Hamiltonian is not Hermitian (H - H† = {anti})")
        for d in self.dissipators:
            jsubs = {d.jump.sub} if isinstance(d.jump, Local) else d.jump.subsystems()
            if jsubs - subs:
                raise ModelError(f"model {self.name!r}: dissipator {d.label!r} acts on {jsubs - subs}, not in the model")
            if isinstance(d.jump, Local) and not isinstance(d.jump.sub, Atoms):
                raise ModelError(f"dissipator {d.label!r}: individual terms need an Atoms ensemble")
            if d.rate.is_nonnegative is False or d.rate.is_extended_real is False:
                raise ModelError(f"model {self.name!r}: dissipator {d.label!r} has a negative or complex rate {d.rate}")
            unknown = d.rate.free_symbols - allowed
            if unknown:
                raise ModelError(f"model {self.name!r}: rate of {d.label!r} uses unknown symbols {sorted(map(str, unknown))}")

    # ------------------------------------------------------------------ queries
    def size_symbols(self) -> set:
        """The symbols of spin lengths, atom numbers and mode scales (``S``, ``N``, ``D``)."""
        out = set()
        for s in self.subsystems:
            for attr in ("S", "N", "scale"):
                if hasattr(s, attr):
                    out |= sp.sympify(getattr(s, attr)).free_symbols
        return out

    @property
    def spins(self) -> tuple:
        return tuple(s for s in self.subsystems if s.kind in ("spin", "atoms"))

    @property
    def modes(self) -> tuple:
        return tuple(s for s in self.subsystems if s.kind == "mode")

    def has_individual_terms(self) -> bool:
        return any(d.kind == "individual" for d in self.dissipators)

    def symbol(self, name: str) -> sp.Symbol:
        """A parameter or size symbol by name; raises :class:`ModelError` naming it if unknown."""
        table = {str(s): s for s in set(self.parameters.values()) | self.size_symbols()}
        if name not in table:
            raise ModelError(f"model {self.name!r} has no parameter {name!r}; it has {sorted(table)}")
        return table[name]

    # ------------------------------------------------------------------ dynamics
    def adjoint(self, op: Op) -> Op:
        r"""The adjoint Lindbladian (Heisenberg picture) acting on an operator,

        .. math:: \mathcal L^\dagger O = i[H, O] + \sum_k r_k\big(L_k^\dagger O L_k - \tfrac12\{L_k^\dagger L_k, O\}\big),

        with sums over atoms of individual terms reduced exactly to collective operators.
        """
        out = commutator(self.hamiltonian, op) * sp.I
        for d in self.dissipators:
            if d.kind == "collective":
                L, Ld = d.jump, d.jump.dagger()
                LdL = Ld * L
                term = Ld * op * L - (LdL * op + op * LdL) * sp.Rational(1, 2)
            else:
                x, atoms = d.jump.matrix, d.jump.sub
                xdx = x.H * x
                one = sp.eye(x.shape[0])
                term = (
                    individual_sum(x.H, op, x, atoms)
                    - individual_sum(xdx, op, one, atoms) * sp.Rational(1, 2)
                    - individual_sum(one, op, xdx, atoms) * sp.Rational(1, 2)
                )
            out = out + term * d.rate
        return out

    # ------------------------------------------------------------------ named operators
    def operator_names(self) -> dict:
        """``{name: Op}`` of the operators a user may name in strings: ``Sx, Sy, Sz, Sp, Sm``
        (suffix ``_a`` for a site ``a``) and ``a, ad`` for modes."""
        out = {}
        for s in self.subsystems:
            suf = f"_{s.name}" if s.name else ""
            if s.kind in ("spin", "atoms"):
                out.update({f"Sx{suf}": s.x, f"Sy{suf}": s.y, f"Sz{suf}": s.z, f"Sp{suf}": s.plus, f"Sm{suf}": s.minus})
            else:
                out.update({f"a{suf}": s.a, f"ad{suf}": s.ad})
        return out

    def operator(self, text: str) -> Op:
        """Parse an operator expression such as ``'Sx*Sx'``, ``'Sp*Sm - 2*Sz'`` or ``'ad*a'``.

        The string is parsed (Python syntax, restricted to numbers, the model's operator names,
        ``I`` or ``j`` for the imaginary unit, ``+ - * / **`` and parentheses), never evaluated.
        Numbers are exact: ``'1.8'`` is :math:`9/5` (the decimal as written), ``'2.5j'`` is
        :math:`5i/2`.  A string made only of numbers is that multiple of the identity.

        Refused with a :class:`ModelError` naming the string and the reason, after a check of
        the syntax tree and *before* any operator algebra is done:

        * division by an operator, or by a number that is exactly zero (``'Sx/0'``,
          ``'Sx/(1 - 1)'``, ``'0**-1'``); non-finite numbers (``nan``, ``inf``, and literals
          beyond the float range such as ``1e999``);
        * powers of operators other than non-negative integers (``'Sx**-1'``, ``'Sx**0.5'``);
          powers of numbers other than integers (``'2**0.5'``; ``'2**-1'`` is 1/2);
        * sizes beyond these limits (:data:`OPERATOR_STRING_LIMITS`): 10000 characters;
          1000 nodes of the syntax tree (names, numbers, operations); nesting depth 50
          of operations (signs, powers, parenthesised sums and products; a chain ``a*b*c``
          or ``a + b - c`` counts once); |exponent| <= 64; degree 16 (operator factors in one
          product, powers expanded: ``'Sz**17'`` and a 2000-factor product are refused); 4096
          products of generators in the expansion before normal ordering (``'Sx**13'`` has
          2**13, ``'(Sx + Sy + Sz)**6'`` has 5**6: refused); numerators and denominators of
          every number, literal or folded, below 2**4096.

        The limits keep every accepted string to about a second of algebra; the normal
        ordering of the operator algebra grows steeply with the degree (``'Sm**20*Sp**20'``
        takes minutes, ``'Sx**32'`` 20 s).
        """
        if not isinstance(text, str):
            raise ModelError(f"operator: expected a string, got {type(text).__name__}")
        tree = _checked_tree(text)
        names = self.operator_names()
        folded = _check(tree, names, text, self.name)
        out = _build(tree, names, folded)
        return out if isinstance(out, Op) else scalar(out)


# --------------------------------------------------------------------------- operator strings
#: Limits of operator strings (:meth:`Model.operator`), stated in its docstring.
OPERATOR_STRING_LIMITS = MappingProxyType({
    "characters": 10_000,  # length of the string
    "nodes": 1_000,        # nodes of the syntax tree
    "depth": 50,           # nesting depth; a chain of + - (or of * /) counts once
    "exponent": 64,        # |n| of every power
    "degree": 16,          # operator factors in one product, powers expanded
    "words": 4096,         # products of generators in the expansion, before normal ordering
    "bits": 4096,          # bits of the numerator and denominator of every number
})

_NON_FINITE = {"nan", "inf", "infinity", "oo", "zoo"}


def _shown(text: str) -> str:
    """The string as quoted in messages (long strings cut)."""
    return repr(text) if len(text) <= 80 else f"{text[:60]!r}... ({len(text)} characters)"


def _refuse(text: str, why: str) -> ModelError:
    return ModelError(f"operator {_shown(text)}: {why}")


def _checked_tree(text: str) -> ast.AST:
    """The syntax tree of an operator string, refused when longer, larger or deeper than the limits."""
    lim = OPERATOR_STRING_LIMITS
    if len(text) > lim["characters"]:
        raise _refuse(text, f"longer than {lim['characters']} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise _refuse(text, f"not an operator expression: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise _refuse(text, f"nested deeper than {lim['depth']} levels") from None
    nodes = sum(isinstance(n, ast.expr) for n in ast.walk(tree.body))  # names, numbers, operations
    if nodes > lim["nodes"]:
        raise _refuse(text, f"{nodes} nodes in its syntax tree, more than {lim['nodes']}")
    if nesting_depth(tree.body, lim["depth"]) > lim["depth"]:
        raise _refuse(text, f"nested deeper than {lim['depth']} levels")
    return tree


def nesting_depth(tree: ast.AST, limit: int) -> int:
    """Nesting depth of an expression's syntax tree, found iteratively (no recursion, so any input is
    safe); a left-associative chain ``a + b - c`` or ``a * b / c`` counts as one level.  Stops at the
    first level beyond ``limit`` (returns ``limit + 1``).  Shared by the operator strings here and the
    parameter values of :mod:`analytic.values`."""
    stack, deepest = [(tree, 1)], 1
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return limit + 1
        for child in (c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)):
            same_chain = isinstance(node, ast.BinOp) and child is node.left and chain_kind(child) is not None \
                and chain_kind(child) == chain_kind(node)
            stack.append((child, d if same_chain else d + 1))
    return deepest


def chain_kind(node: ast.AST) -> str | None:
    """``'+'`` for + and -, ``'*'`` for * and /, None otherwise (left-associative chains)."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return "+"
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return "*"
    return None


def chain(node: ast.AST) -> list:
    """A left-associative chain ``a op1 b op2 c`` as ``[(None, a), (op1, b), (op2, c)]``."""
    kind, out = chain_kind(node), []
    while chain_kind(node) == kind and kind is not None:
        out.append((node.op, node.right))
        node = node.left
    out.append((None, node))
    return out[::-1]


def _bits(v: sp.Expr) -> int:
    """Largest bit length of the numerators and denominators of ``v = a + i b`` (a, b rational)."""
    out = 0
    for part in v.as_real_imag():
        p, q = sp.fraction(part)
        out = max(out, abs(int(p)).bit_length(), abs(int(q)).bit_length())
    return out


def _divide(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """``a / b`` for exact complex rationals, as ``x + i y``."""
    re, im = b.as_real_imag()
    return sp.expand(a * (re - sp.I * im) / (re ** 2 + im ** 2))


@dataclass(frozen=True)
class _Shape:
    """What the check of a subtree knows: an operator of a degree and a number of words."""

    degree: int
    words: int


def _literal(node: ast.Constant, text: str) -> sp.Expr:
    """The exact number of a literal, as written (``1.8`` is 9/5); refused when non-finite."""
    v = node.value
    if isinstance(v, int):
        return sp.Integer(v)
    seg = (ast.get_source_segment(text.strip(), node) or repr(v)).replace("_", "")
    if isinstance(v, float):
        if not math.isfinite(v):
            raise _refuse(text, f"non-finite number {seg} (beyond the float range)")
        return sp.Rational(Fraction(seg))
    if not math.isfinite(v.imag):
        raise _refuse(text, f"non-finite number {seg} (beyond the float range)")
    return sp.I * sp.Rational(Fraction(seg.rstrip("jJ")))


def _check(tree: ast.Expression, names: Mapping, text: str, model: str) -> dict:
    """Check a parsed operator string against the rules and limits of :meth:`Model.operator`
    without doing any operator algebra; returns ``{id(node): exact number}`` of its constant
    subtrees (folded exactly), for :func:`_build`."""
    lim, folded = OPERATOR_STRING_LIMITS, {}

    def number(v, node):
        v = sp.expand(v)
        if _bits(v) > lim["bits"]:
            raise _refuse(text, f"a number beyond 2**{lim['bits']} (numerator or denominator)")
        folded[id(node)] = v
        return v

    def shape(x) -> _Shape:
        return x if isinstance(x, _Shape) else _Shape(0, 1)

    def limited(s: _Shape) -> _Shape:
        if s.degree > lim["degree"]:
            raise _refuse(text, f"a product of {s.degree} operators, more than {lim['degree']}")
        if s.words > lim["words"]:
            raise _refuse(text, f"expands to {s.words} products of generators, more than {lim['words']}")
        return s

    def power(node):
        base, exp = walk(node.left), walk(node.right)
        if isinstance(exp, _Shape):
            raise _refuse(text, "an exponent must be a number, not an operator")
        if not exp.is_Integer:
            what = "an operator" if isinstance(base, _Shape) else "a number"
            raise _refuse(text, f"the power {exp} of {what} is not defined here: exponents must be integers"
                          + (" >= 0" if isinstance(base, _Shape) else ""))
        n = int(exp)
        if abs(n) > lim["exponent"]:
            raise _refuse(text, f"the exponent {n} is beyond |n| <= {lim['exponent']}")
        if isinstance(base, _Shape):
            if n < 0:
                raise _refuse(text, f"the power {n} of an operator (an inverse) is not defined; exponents of operators must be >= 0")
            return limited(_Shape(base.degree * n, base.words ** n))
        if n < 0 and base == 0:
            raise _refuse(text, f"division by zero (0**{n})")
        if _bits(base) * abs(n) > lim["bits"]:
            raise _refuse(text, f"a number beyond 2**{lim['bits']} (numerator or denominator)")
        return number(base ** n if n >= 0 else _divide(sp.Integer(1), sp.expand(base ** -n)), node)

    def walk(node):
        """An exact number (folded) or the _Shape of an operator; recursion only into nesting."""
        kind = chain_kind(node)
        if kind is not None:
            parts = chain(node)
            acc = walk(parts[0][1])
            for op, operand in parts[1:]:
                x = walk(operand)
                if isinstance(op, ast.Div):
                    if isinstance(x, _Shape):
                        raise _refuse(text, "division by an operator is not allowed")
                    if x == 0:
                        seg = ast.get_source_segment(text.strip(), operand)
                        raise _refuse(text, "division by zero" if isinstance(operand, ast.Constant)
                                      else f"division by zero (the denominator {seg} is 0)")
                if not isinstance(acc, _Shape) and not isinstance(x, _Shape):
                    acc = number(acc + x if isinstance(op, ast.Add) else acc - x if isinstance(op, ast.Sub)
                                 else acc * x if isinstance(op, ast.Mult) else _divide(acc, x), node)
                    continue
                a, b = shape(acc), shape(x)
                if kind == "+":
                    acc = limited(_Shape(max(a.degree, b.degree), a.words + b.words))
                else:
                    acc = limited(_Shape(a.degree + b.degree, a.words * b.words))
            if isinstance(acc, _Shape):
                folded.pop(id(node), None)  # an operator chain: its intermediate constants are rebuilt
            return acc
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            return power(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = walk(node.operand)
            if isinstance(v, _Shape):
                return v
            return number(-v if isinstance(node.op, ast.USub) else v, node)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) and not isinstance(node.value, bool):
            return number(_literal(node, text), node)
        if isinstance(node, ast.Name):
            if node.id in names:
                return _Shape(1, max(1, len(names[node.id].terms)))
            if node.id in ("I", "j"):
                return number(sp.I, node)
            if node.id.lower() in _NON_FINITE:
                raise _refuse(text, f"non-finite number {node.id!r}")
            raise ModelError(f"operator {_shown(text)}: model {model!r} has no operator {node.id!r}; it has {sorted(names)}")
        raise _refuse(text, "not an operator expression (only numbers, operator names, + - * / ** allowed)")

    walk(tree.body)
    return folded


def _build(tree: ast.Expression, names: Mapping, folded: Mapping):
    """The operator of a string that :func:`_check` accepted (its constants already folded)."""

    def walk(node):
        if id(node) in folded:
            return folded[id(node)]
        kind = chain_kind(node)
        if kind is not None:
            parts = chain(node)
            acc = walk(parts[0][1])
            for op, operand in parts[1:]:
                x = walk(operand)
                if isinstance(op, ast.Div):
                    op, x = ast.Mult(), _divide(sp.Integer(1), x)
                numbers = not isinstance(acc, Op) and not isinstance(x, Op)
                acc = acc + x if isinstance(op, ast.Add) else acc - x if isinstance(op, ast.Sub) else acc * x
                if numbers:
                    acc = sp.expand(acc)
            return acc
        if isinstance(node, ast.BinOp):  # a power of an operator (checked)
            return walk(node.left) ** int(folded[id(node.right)])
        if isinstance(node, ast.UnaryOp):
            v = walk(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        return names[node.id]

    return walk(tree.body)


def spin_length(S: sp.Expr | int | float | str) -> sp.Expr:
    """Validate a spin length: a positive integer or half-integer (or a positive symbol)."""
    S = sp.sympify(S)
    if S.is_Symbol:
        return S
    if not (S.is_Rational and S > 0 and (2 * S).is_Integer):
        raise ModelError(f"S must be a positive integer or half-integer, got S={S}")
    return S
