r"""Finite-size matrix representations of a model's operators.

Collective spins live in the Dicke basis :math:`|S, m\rangle` ordered as QuTiP's ``jmat``:
index :math:`i = 0..2S` is :math:`m = S - i`.  Bosonic modes are truncated Fock spaces
:math:`|0\rangle..|n-1\rangle`.  Several subsystems are tensor products in the order of
``model.subsystems`` (first factor slowest), as ``qutip.tensor`` does.

Nothing here re-types a model: the matrices are built from the model's own
:class:`~analytic.algebra.Op` objects, generator by generator.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Union

import numpy as np
import scipy.sparse as sps
import sympy as sp

from analytic.algebra import Gen, Op
from analytic.model import Model, ModelError
from analytic.values import parse_values

__all__ = ["Representation", "spin_matrices", "boson_matrices", "check_spin_length", "numeric_values"]

#: a spin length or another size of a model (``S=3/2``, ``N=10``): an integer, a half-integer as
#: float, Fraction, SymPy Rational or text ``'3/2'``
Size = Union[int, float, Fraction, str, sp.Rational]
#: the Fock-space dimension of every mode (an int) or of each mode by name; None without modes
Truncation = Union[int, Mapping[str, int], None]


def check_spin_length(S: Size, name: str = "S") -> Fraction:
    """Validate S as a positive integer or half-integer and return it as a Fraction."""
    try:
        f = Fraction(S).limit_denominator(2) if not isinstance(S, Fraction) else S
    except (TypeError, ValueError):
        raise ModelError(f"{name} must be a positive integer or half-integer, got {name}={S!r}") from None
    if f <= 0 or f.denominator not in (1, 2) or abs(float(f) - float(S)) > 1e-12:
        raise ModelError(f"{name} must be a positive integer or half-integer, got {name}={S!r}")
    return f


def spin_matrices(S: Size) -> dict[str, sps.csr_matrix]:
    """Sparse ``{'p': S+, 'm': S-, 'z': Sz}`` in the Dicke basis (m = S, S-1, ..., -S)."""
    S = float(check_spin_length(S))
    dim = int(round(2 * S)) + 1
    m = S - np.arange(dim)
    # S+|m> = sqrt(S(S+1) - m(m+1)) |m+1>: element [i-1, i]
    up = np.sqrt(S * (S + 1) - m[1:] * (m[1:] + 1))
    Sp = sps.diags(up, 1, shape=(dim, dim), format="csr", dtype=complex)
    return {"p": Sp, "m": Sp.T.conj().tocsr(), "z": sps.diags(m.astype(complex), 0, format="csr")}


def boson_matrices(n: int) -> dict:
    """Sparse ``{'a': a, 'c': a†}`` on the Fock space truncated to n levels."""
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise ModelError(f"truncation must be an integer >= 2, got {n!r}")
    a = sps.diags(np.sqrt(np.arange(1, n)).astype(complex), 1, shape=(n, n), format="csr")
    return {"a": a, "c": a.T.conj().tocsr()}


def numeric_values(model: Model, values: Mapping, sizes: Mapping, dps: int | None = None) -> dict:
    """``{Symbol: exact SymPy number}`` for every parameter and size symbol, parsed by
    :func:`analytic.values.parse_values` (the one parser: strings, ints, Fractions, SymPy and
    mpmath numbers exact, floats as their binary value, complex values for real parameters
    refused, a warning for inexact floats at ``dps > 15``), with clear errors naming what is
    missing or unknown, and a negative or complex rate refused.  ``sizes`` maps size-symbol
    names (``'S'``, ``'N'``, ``'D'``) to values.  Float64 code converts with ``complex(...)``."""
    out = parse_values(model, values, sizes, dps=dps)
    for d in model.dissipators:
        r = complex(sp.sympify(d.rate).subs(out))
        if r.real < 0 or abs(r.imag) > 0:
            raise ModelError(f"rate of dissipator {d.label!r} is negative or complex: {r}")
    return out


@dataclass
class Representation:
    """Matrices of the model's generators for given sizes.

    Args:
        model: the model.
        sizes: ``{'S': 10}`` (spin lengths), mode scales (``'D'``) etc. by symbol name.
        truncation: Fock-space dimension of each mode (an int for all modes, or ``{mode name: n}``).
    """

    model: Model
    sizes: dict
    truncation: object = None

    def __post_init__(self):
        if self.model.has_individual_terms():
            raise ModelError(
                f"model {self.model.name!r} has individual dissipators: it needs the permutation-invariant "
                "representation (numeric.pi.permutational; call steady_state/spectrum with N=), not a collective spin S=")
        if self.model.derived.get("images"):
            raise ModelError(f"model {self.model.name!r} is a lattice mean-field cell; it has no finite-size Liouvillian")
        sym = {str(s): s for s in self.model.size_symbols()}
        self._size_values = {}
        for k, v in self.sizes.items():
            if k not in sym:
                raise ModelError(f"model {self.model.name!r} has no size {k!r}; it has {sorted(sym)}")
            self._size_values[sym[k]] = v
        self.local: list = []
        self.dims: list = []
        for sub in self.model.subsystems:
            if sub.kind == "spin":
                S = sp.sympify(sub.S).subs(self._size_values)
                if S.free_symbols:
                    raise ModelError(f"missing size S for spin {sub.name!r} (pass S=...)")
                check_spin_length(float(S), "S")
                mats = spin_matrices(Fraction(str(sp.nsimplify(S))))
            elif sub.kind == "mode":
                n = self.truncation.get(sub.name) if isinstance(self.truncation, Mapping) else self.truncation
                if n is None:
                    raise ModelError(f"mode {sub.name or 'a'!r} needs a truncation (truncation=n Fock levels)")
                mats = boson_matrices(n)
            else:
                raise ModelError(f"subsystem kind {sub.kind!r} has no collective representation")
            self.local.append(mats)
            self.dims.append(next(iter(mats.values())).shape[0])
        self.dim = int(np.prod(self.dims))
        self._cache: dict = {}

    def generator(self, g: Gen) -> sps.csr_matrix:
        """The full-space matrix of one generator."""
        if g not in self._cache:
            i = self.model.subsystems.index(g.sub)
            left = sps.identity(int(np.prod(self.dims[:i])), dtype=complex, format="csr")
            right = sps.identity(int(np.prod(self.dims[i + 1:])), dtype=complex, format="csr")
            self._cache[g] = sps.kron(sps.kron(left, self.local[i][g.letter]), right, format="csr")
        return self._cache[g]

    def matrix(self, op: Op, values: Mapping | None = None) -> sps.csr_matrix:
        """The full-space sparse matrix of an operator, with parameter ``values`` ({Symbol: number})
        substituted into its coefficients."""
        subs = {**self._size_values, **(values or {})}
        out = sps.csr_matrix((self.dim, self.dim), dtype=complex)
        for word, coeff in op.terms.items():
            c = complex(sp.sympify(coeff).subs(subs))
            m = sps.identity(self.dim, dtype=complex, format="csr")
            for g in word:
                m = m @ self.generator(g)
            out = out + c * m
        return out.tocsr()
