r"""The one parser of parameter values: every entry point reads numbers here, as exact SymPy numbers.

Used by every numeric solver (:func:`parse_values`), by the mean-field values
(:func:`analytic.meanfield.checked_values`, :func:`~analytic.meanfield.stability`,
:func:`~analytic.meanfield.parameter_values`, the flows of :mod:`numeric.semiclassical.flows` and
:mod:`numeric.semiclassical.continuation`), by the registered formulas of :mod:`analytic.formulas` (both
backends) and by :mod:`analytic.exact`, so the same input is the same number everywhere.
Contract (issue 17, "Values"):

* ``str`` (parsed, never evaluated: numbers, ``+ - * / **``, parentheses, ``pi``, ``E``, ``I``
  and ``sqrt exp log sin cos tan``; at most 1000 characters and 100 levels of nesting, a chain
  ``a + b - c`` or ``a * b / c`` counting as one level), ``int``, :class:`fractions.Fraction`,
  :class:`decimal.Decimal`, SymPy numbers and constant expressions, and mpmath numbers are kept
  exact: ``'1.8'`` is :math:`9/5`, an ``mpf`` is the binary number it holds, ``sqrt(2)`` stays
  symbolic and is evaluated at the working precision by the solver or formula.
* A Python (or NumPy) float is the exact binary number it is: ``1.8`` is
  :math:`1.8000000000000000444\ldots`.  With ``dps > 15`` a float whose shortest decimal
  representation differs from its binary value (e.g. ``0.6``, but not ``0.5`` or ``3.0``) gets
  one :class:`PrecisionWarning` naming the parameter and how to pass it exactly.
* A value with a nonzero imaginary part for a parameter declared real (``real=True`` or
  ``positive=True``) is a :class:`~analytic.model.ModelError` naming the parameter.
* Non-finite values (``nan``, ``inf``, ``1/0``) and text that is not a number expression (or is
  longer or deeper than the limits above) are a ModelError naming the parameter.

The float64 solvers and the numpy backend of the formulas convert the exact values to float64
once (correctly rounded), so their results do not change; the mpmath backend and the ``dps=``
solvers evaluate them at their working precision.
"""
from __future__ import annotations

import ast
import decimal
import numbers
import warnings
from fractions import Fraction
from typing import Callable, Mapping, Sequence, Union

import mpmath
import numpy as np
import sympy as sp

from .model import Model, ModelError, chain, chain_kind, nesting_depth

__all__ = ["DPS_MAX", "PrecisionWarning", "exact_number", "real_number", "mpmath_function", "parameter_value", "parse_values", "float_warning",
           "to_mpmath", "to_float"]

#: what a parameter value may be given as: :func:`exact_number` turns each into an exact SymPy number
Number = Union[int, float, complex, str, Fraction, decimal.Decimal, np.number, mpmath.mpf, mpmath.mpc, sp.Basic]

#: the largest working precision (decimal digits) any call accepts; numeric.core.resources explains the
#: measured cost (a solve's time grows like dps**1.6) and refuses beyond it with a ResourceError
DPS_MAX = 10_000
_MAX_POWER = 1000
_MAX_TEXT = 1000
_MAX_DEPTH = 100
_MAX_BITS = 100_000
_FUNCTIONS = {"sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan}
_CONSTANTS = {"pi": sp.pi, "E": sp.E, "I": sp.I}


class PrecisionWarning(UserWarning):
    """A Python float was given where ``dps > 15`` digits are asked: its binary value is used."""


def _parse_text(text: str, name: str) -> sp.Expr:
    """A number written as text (``'1.8'``, ``'9/5'``, ``'1e-3'``, ``'sqrt(2)/3'``), exactly."""
    if len(text) > _MAX_TEXT:
        raise ModelError(f"value of {name!r}: text longer than {_MAX_TEXT} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ModelError(f"value of {name!r} must be a number, got {text!r} (not a number expression)") from None
    except (RecursionError, MemoryError):
        raise ModelError(f"value of {name!r} must be a number, got {text[:40]!r}... "
                         f"(nested deeper than {_MAX_DEPTH} levels)") from None

    def bad(why):
        return ModelError(f"value of {name!r} must be a number, got {text!r} ({why})")

    if nesting_depth(tree.body, _MAX_DEPTH) > _MAX_DEPTH:  # before walking: the walk and SymPy recurse once per level
        raise ModelError(f"value of {name!r} must be a number, got {text[:40]!r}... "
                         f"(nested deeper than {_MAX_DEPTH} levels)")

    def walk(node):
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
            if isinstance(node.value, int):
                return sp.Integer(node.value)
            if isinstance(node.value, float):
                seg = ast.get_source_segment(text.strip(), node) or repr(node.value)
                try:
                    return sp.Rational(Fraction(seg.replace("_", "")))
                except (ValueError, ZeroDivisionError):
                    raise bad("not a finite decimal number") from None
            if isinstance(node.value, complex):
                seg = (ast.get_source_segment(text.strip(), node) or repr(node.value)).rstrip("jJ")
                return sp.I * sp.Rational(Fraction(seg.replace("_", "")))
            raise bad(f"{node.value!r} is not a number")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            v = walk(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if chain_kind(node) is not None:  # a + b - c, a * b / c: one level, folded left to right
            (_, first), *rest = chain(node)
            acc = walk(first)
            for op, operand in rest:
                b = walk(operand)
                if isinstance(op, ast.Add):
                    acc = acc + b
                elif isinstance(op, ast.Sub):
                    acc = acc - b
                elif isinstance(op, ast.Mult):
                    acc = acc * b
                else:
                    if b == 0:
                        raise bad("division by zero")
                    acc = acc / b
            return acc
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            a, b = walk(node.left), walk(node.right)
            if not (b.is_number and abs(complex(sp.N(b))) <= _MAX_POWER):
                raise bad(f"exponents are limited to |p| <= {_MAX_POWER}")
            if a == 0 and complex(sp.N(b)).real <= 0:
                raise bad("zero to a non-positive power")
            if a != 0 and abs(complex(sp.N(b))) * abs(complex(sp.N(sp.log(abs(a), 2)))) > _MAX_BITS:
                raise bad(f"a number beyond 2**{_MAX_BITS}")
            return a ** b
        if isinstance(node, ast.Name) and node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
                and len(node.args) == 1 and not node.keywords):
            arg = walk(node.args[0])
            if node.func.id == "log" and arg == 0:
                raise bad("log(0)")
            return _FUNCTIONS[node.func.id](arg)
        raise bad("only numbers, + - * / **, parentheses, pi, E, I, sqrt, exp, log, sin, cos, tan")

    return walk(tree.body)


def exact_number(v: Number, name: str = "value") -> sp.Expr:
    """The exact SymPy number a value stands for (see the module docstring); ModelError if it
    is not a finite number."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v.item()
    if isinstance(v, (bool, np.bool_)):
        raise ModelError(f"value of {name!r} must be a number, got {v!r}")
    if isinstance(v, str):
        out = _parse_text(v, name)
    elif isinstance(v, (int, np.integer)):
        out = sp.Integer(int(v))
    elif isinstance(v, Fraction):
        out = sp.Rational(v.numerator, v.denominator)
    elif isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            raise ModelError(f"value of {name!r} must be finite, got {v!r}")
        out = sp.Rational(Fraction(float(v)))
    elif isinstance(v, (complex, np.complexfloating)):
        v = complex(v)
        if not np.isfinite(abs(v)):
            raise ModelError(f"value of {name!r} must be finite, got {v!r}")
        out = sp.Rational(Fraction(v.real)) + sp.I * sp.Rational(Fraction(v.imag))
    elif isinstance(v, mpmath.mpf):
        if not mpmath.isfinite(v):
            raise ModelError(f"value of {name!r} must be finite, got {v!r}")
        sign, man, exp, _bc = v._mpf_  # man_exp drops the sign: mpf(-0.9).man_exp is positive
        out = (-1) ** sign * sp.Integer(int(man)) * sp.Integer(2) ** int(exp)
    elif isinstance(v, mpmath.mpc):
        out = exact_number(v.real, name) + sp.I * exact_number(v.imag, name)
    elif isinstance(v, sp.Basic):
        out = v
        if isinstance(v, sp.Float):  # the binary number it holds, at its own precision
            out = sp.Rational(v)
        if not getattr(out, "is_number", False) or out.free_symbols:
            raise ModelError(f"value of {name!r} must be a number, got {v!r} (free symbols)")
    elif isinstance(v, decimal.Decimal):
        if not v.is_finite():
            raise ModelError(f"value of {name!r} must be finite, got {v!r}")
        out = sp.Rational(Fraction(v))
    elif isinstance(v, numbers.Number):
        try:
            out = sp.nsimplify(v, rational=True)
        except (TypeError, ValueError, sp.SympifyError):
            raise ModelError(f"value of {name!r} must be a number, got {v!r}") from None
    else:
        raise ModelError(f"value of {name!r} must be a number, got {v!r} ({type(v).__name__})")
    try:
        z = complex(sp.N(out, 20))
    except (TypeError, ValueError):
        raise ModelError(f"value of {name!r} must be a finite number, got {v!r}") from None
    if not np.isfinite(abs(z)) or out.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ModelError(f"value of {name!r} must be finite, got {v!r}")
    return out


def to_mpmath(x: sp.Expr) -> mpmath.mpf:
    """An exact real SymPy number (from :func:`exact_number`) as an mpmath ``mpf`` at the working
    precision ``mp.dps``: rationals correctly rounded, other numbers evaluated by SymPy with 10
    guard digits (relative accuracy) and rounded."""
    if x.is_Rational:  # correctly rounded (mpmathify(Rational) may be 1 ulp off)
        return mpmath.mpf(mpmath.libmp.from_rational(int(x.p), int(x.q), mpmath.mp.prec, mpmath.libmp.round_nearest))
    return mpmath.mpf(sp.N(x, mpmath.mp.dps + 10))


_IMAG = sp.Symbol("_imaginary_unit")


def mpmath_function(args: Sequence, exprs: object) -> Callable:
    """``sympy.lambdify(args, exprs, 'mpmath')`` that keeps exact coefficients of I exact: SymPy's mpmath
    printer writes I as the Python literal ``1j``, so ``N*I/4`` at N = 10^32 becomes
    ``25000000000000000000000000000000*1j``, a float64 product (relative error 1e-17 in every average
    carrying I).  Here I enters as the argument ``mpmath.mpc(0, 1)``; ``exprs`` may be an expression, a
    list or a Matrix (as for ``lambdify``)."""
    if isinstance(exprs, sp.MatrixBase):
        body = exprs.xreplace({sp.I: _IMAG})
    elif isinstance(exprs, (list, tuple)):
        body = [sp.sympify(e).xreplace({sp.I: _IMAG}) for e in exprs]
    else:
        body = sp.sympify(exprs).xreplace({sp.I: _IMAG})
    f = sp.lambdify([*args, _IMAG], body, modules="mpmath")
    return lambda *y: f(*y, mpmath.mpc(0, 1))


def to_float(x: sp.Expr) -> float:
    """An exact real SymPy number (from :func:`exact_number`) as float64, rounded once."""
    if x.is_Rational:
        return float(x)  # correctly rounded
    return float(sp.N(x, 30))


def _is_short(x: float) -> bool:
    """True when the shortest decimal of the float is exactly its binary value (0.5, 3.0, 0.375)."""
    return Fraction(repr(float(x))) == Fraction(float(x))


def float_warning(name: str, v: Number, dps: int | None) -> None:
    """One :class:`PrecisionWarning` when a float with a non-exact decimal meets ``dps > 15``."""
    if dps is None or dps <= 15:
        return
    if isinstance(v, (float, np.floating)):
        parts = [float(v)]
    elif isinstance(v, (complex, np.complexfloating)):
        parts = [complex(v).real, complex(v).imag]
    else:
        return
    if all(_is_short(x) for x in parts):
        return
    shown = repr(float(v)) if len(parts) == 1 else repr(complex(v))
    frac = Fraction(shown) if len(parts) == 1 else None
    exact = f", fractions.Fraction({frac.numerator}, {frac.denominator})" if frac is not None else ""
    warnings.warn(
        f"parameter {name!r} = {shown} is a Python float: at dps={dps} it is used as the binary number "
        f"{mpmath.nstr(mpmath.mpf(parts[0]), 40) if len(parts) == 1 else shown}..., not {shown}; "
        f"pass it exactly as a string ({shown!r}){exact} or a sympy.Rational", PrecisionWarning,
        stacklevel=_caller_level())


def _caller_level() -> int:
    """``stacklevel`` of the first frame outside the toolkit (the user's call)."""
    import os
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ours = (os.path.join(root, "numeric") + os.sep, os.path.join(root, "analytic") + os.sep)
    frame, level = sys._getframe(2), 2  # 1 = float_warning's caller frame of warnings.warn
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(ours):
        frame, level = frame.f_back, level + 1
    return level


def real_number(v: Number, name: str = "value", subject: str | None = None, kind: str = "real") -> sp.Expr:
    """:func:`exact_number`, refused (ModelError naming the parameter) when its imaginary part is
    not zero; a value like ``1 + 0*I`` is returned as its real part.  ``subject`` and ``kind``
    word the message (default: ``parameter 'name' is declared real``)."""
    x = exact_number(v, name)
    if x.is_real:
        return x
    im = sp.im(x)
    if im != 0 and (im.is_zero is False or abs(complex(sp.N(im, 30))) > 0):
        raise ModelError(f"{subject or f'parameter {name!r}'} is declared {kind} (a real number); "
                         f"the complex value {v!r} is not allowed")
    return sp.re(x)


def parameter_value(model: Model, key: str | sp.Symbol, v: Number, dps: int | None = None) -> tuple[sp.Symbol, sp.Expr]:
    """``(Symbol, exact SymPy number)`` for one parameter or size of ``model`` given by name or
    Symbol: :func:`exact_number`, a complex value for a real parameter refused
    (:func:`real_number`), the :class:`PrecisionWarning` of :func:`float_warning` at ``dps > 15``.
    Raises ModelError naming an unknown parameter."""
    known = {str(s): s for s in set(model.parameters.values()) | model.size_symbols()}
    name = str(key) if isinstance(key, sp.Symbol) else key
    if not isinstance(name, str) or name not in known:
        raise ModelError(f"model {model.name!r} has no parameter {key!r}; it has {sorted(known)}")
    sym = known[name]
    if sym.is_real:
        x = real_number(v, name, f"parameter {name!r} of model {model.name!r}",
                        "positive" if sym.is_positive else "real")
    else:
        x = exact_number(v, name)
    float_warning(name, v, dps)
    return sym, x


def parse_values(model: Model, values: Mapping, sizes: Mapping | None = None, dps: int | None = None) -> dict:
    """``{Symbol: exact SymPy number}`` for every parameter and size symbol of ``model``.

    ``values`` maps parameter names (or the model's Symbols) to numbers; ``sizes`` maps size
    names (``'S'``, ``'N'``, ``'D'``) to numbers.  Raises ModelError naming a missing, unknown,
    non-numeric, non-finite parameter, or a complex value for a real parameter; warns
    (:class:`PrecisionWarning`) about inexact floats when ``dps > 15``.
    """
    if not isinstance(values, Mapping):
        raise ModelError(f"values must be a mapping {{name: number}}, got {type(values).__name__}")
    known = {str(s) for s in set(model.parameters.values()) | model.size_symbols()}
    out = {}
    for k, v in {**values, **(sizes or {})}.items():
        sym, x = parameter_value(model, k, v, dps)
        out[sym] = x
    missing = sorted(known - {str(s) for s in out})
    if missing:
        raise ModelError(f"missing value for {', '.join(repr(m) for m in missing)} (model {model.name!r})")
    return out
