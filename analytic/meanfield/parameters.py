"""Numeric parameter values of a model for substitution, read by the one parser and checked."""
from __future__ import annotations

from typing import Mapping

import sympy as sp

from ..model import Model, ModelError
from ..values import exact_number, parameter_value

__all__ = ["parameter_values", "checked_values"]


def parameter_values(model: Model, values: Mapping) -> dict[sp.Symbol, sp.Expr]:
    """``{Symbol: value}`` for substitution: numbers read by the one parser
    (:func:`analytic.values.parameter_value`: text parsed exactly, never evaluated; floats their
    binary value; a complex value for a real parameter refused), SymPy expressions with free
    symbols (a symbolic substitution such as ``Omega = x N gamma_c / 4``) unchanged."""
    if not isinstance(values, Mapping):
        raise ModelError(f"values must be a mapping {{name: number}}, got {type(values).__name__}")
    names = {str(s) for s in set(model.parameters.values()) | model.size_symbols()}
    out = {}
    for k, v in values.items():
        sym = model.symbol(k) if isinstance(k, str) else k
        if isinstance(v, sp.Basic) and v.free_symbols:
            out[sym] = v
        elif str(sym) in names:
            out[sym] = parameter_value(model, sym, v)[1]
        else:
            out[sym] = exact_number(v, str(k))
    return out


def checked_values(model: Model, values: Mapping, where: str = "values") -> dict[sp.Symbol, sp.Expr]:
    """Numeric parameter values ``{Symbol: exact SymPy number}`` for ``model``, read by the one
    parser (:func:`analytic.values.parameter_value`: text parsed exactly, never evaluated, so
    ``'1.8'`` is 9/5 and ``'sqrt(2)/3'`` is exact; floats are their binary value), and refused with
    :class:`~analytic.model.ModelError` (naming the parameter) when a value is unknown, not a
    finite number, complex for a real parameter or a size, when a parameter declared positive or
    nonnegative (the rates, frequencies and couplings of the catalogue) is negative, when a size
    (S, N, mode scale) is not > 0, or when a dissipator rate evaluates to a negative number.  Zero
    is allowed for the declared-positive parameters (a rate 0 switches its term off)."""
    if not isinstance(values, Mapping):
        raise ModelError(f"{where}: values must be a mapping {{name: number}}, got {type(values).__name__}")
    sizes = model.size_symbols()
    out = {}
    for k, v in values.items():
        try:
            sym, x = parameter_value(model, k, v)
        except ModelError as e:
            raise ModelError(f"{where}: {e}") from None
        if sym in sizes and not x.is_real:
            raise ModelError(f"{where}: the size {sym} is a real number, got the complex value {v!r}")
        re = sp.re(sp.N(x, 30))
        if sym in sizes and not re > 0:
            raise ModelError(f"{where}: the size {sym} must be > 0, got {v!r}")
        if (sym.is_positive or sym.is_nonnegative) and re < 0:
            raise ModelError(f"{where}: {sym} is declared positive (a rate, frequency or coupling) and must be "
                             f">= 0, got {v!r}")
        out[sym] = x
    for d in model.dissipators:
        rate = sp.sympify(d.rate).subs(out)
        if rate.is_number and sp.N(rate) < 0:
            raise ModelError(f"{where}: the rate of dissipator {d.label!r}, {d.rate}, is {rate} < 0 at these values")
    return out
