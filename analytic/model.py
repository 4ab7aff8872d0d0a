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
from dataclasses import dataclass, field
from typing import Mapping, Union

import sympy as sp

from .algebra import Atoms, Local, Op, commutator, individual_sum

__all__ = ["Dissipator", "Model", "ModelError", "spin_length"]


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
        ``+ - * / **`` and parentheses), never evaluated.
        """
        if not isinstance(text, str):
            raise ModelError(f"operator: expected a string, got {type(text).__name__}")
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError as exc:
            raise ModelError(f"operator {text!r} is not an operator expression: {exc.msg}") from None
        names = self.operator_names()
        return _to_op(tree.body, names, text, self.name)


def _to_op(node, names: Mapping, text: str, model: str):
    binops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}
    if isinstance(node, ast.BinOp) and type(node.op) in binops:
        return binops[type(node.op)](_to_op(node.left, names, text, model), _to_op(node.right, names, text, model))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        den = _to_op(node.right, names, text, model)
        if isinstance(den, Op):
            raise ModelError(f"operator {text!r}: division by an operator is not allowed")
        return _to_op(node.left, names, text, model) / den
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        base = _to_op(node.left, names, text, model)
        exp = _to_op(node.right, names, text, model)
        if isinstance(exp, Op) or not sp.sympify(exp).is_Integer or exp < 0:
            raise ModelError(f"operator {text!r}: powers must be non-negative integers")
        return base ** int(exp) if isinstance(base, Op) else sp.sympify(base) ** int(exp)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _to_op(node.operand, names, text, model)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) and not isinstance(node.value, bool):
        return sp.nsimplify(node.value) if not isinstance(node.value, complex) else sp.sympify(node.value)
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        if node.id in ("I", "j"):
            return sp.I
        raise ModelError(f"operator {text!r}: model {model!r} has no operator {node.id!r}; it has {sorted(names)}")
    raise ModelError(f"operator {text!r} is not an operator expression (only numbers, operator names, + - * / ** allowed)")


def spin_length(S) -> sp.Expr:
    """Validate a spin length: a positive integer or half-integer (or a positive symbol)."""
    S = sp.sympify(S)
    if S.is_Symbol:
        return S
    if not (S.is_Rational and S > 0 and (2 * S).is_Integer):
        raise ModelError(f"S must be a positive integer or half-integer, got S={S}")
    return S
