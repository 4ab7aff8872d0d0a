r"""LaTeX of the engine's expressions with the symbols physicists write: :math:`s_x`, :math:`\Gamma_g`, :math:`g_-`.

SymPy's printer already turns Greek names into Greek letters (``Gamma_g`` -> :math:`\Gamma_{g}`);
this module adds the toolkit's own variable names, so that notebooks and ``dspins derive --latex``
print the same symbols:

* scaled spin components ``sx``, ``sy_a`` -> :math:`s_x`, :math:`s_{y,a}`;
* scaled boson quadratures ``ar``, ``ai_c`` -> :math:`\alpha_r`, :math:`\alpha_{i,c}`
  (:math:`\alpha = \alpha_r + i\alpha_i`);
* co- and counter-rotating couplings ``g_minus``, ``g_plus`` -> :math:`g_-`, :math:`g_+`;
* qudit collective variables keep SymPy's rendering.

:func:`latex` is :func:`sympy.latex` with these names; :func:`equation` renders
:math:`\dot s_x = \dots` for a mean-field equation, :func:`collected` a polynomial collected in
one variable (the driven-atoms cubic in :math:`s_z`).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import sympy as sp

__all__ = ["symbol_latex", "latex", "equation", "collected"]

_SPIN = re.compile(r"^s([xyz])(?:_(\w+))?$")
_BOSON = re.compile(r"^a([ri])(?:_(\w+))?$")
_SIGNS = {"g_minus": ("g", "-"), "g_plus": ("g", "+")}


def _parts(name: str) -> tuple | None:
    """(stem, subscript) of a toolkit variable name, or None."""
    if name in _SIGNS:
        return _SIGNS[name]
    for pattern, stem in ((_SPIN, "s"), (_BOSON, r"\alpha")):
        m = pattern.match(name)
        if m:
            comp, site = m.groups()
            return stem, (f"{comp},{site}" if site else comp)
    return None


def symbol_latex(name: str) -> str | None:
    """LaTeX for one of the toolkit's variable names, or ``None`` to leave it to SymPy."""
    parts = _parts(name)
    return None if parts is None else f"{parts[0]}_{{{parts[1]}}}"


def _names(exprs: Iterable[Any]) -> dict:
    out = {}
    for e in exprs:
        for s in getattr(sp.sympify(e), "free_symbols", ()):
            tex = symbol_latex(s.name)
            if tex is not None:
                out[s] = tex
    return out


def latex(expr: Any, **options) -> str:
    """:func:`sympy.latex` of ``expr`` (an expression, a relation, a list or a Matrix) with the
    toolkit's symbols; ``options`` go to SymPy."""
    items = expr if isinstance(expr, (list, tuple, set)) else [expr]
    return sp.latex(expr, symbol_names=_names(items), **options)


def equation(variable: str, rhs: Any) -> str:
    r"""``\dot{s}_{x} = ...`` for the mean-field equation of ``variable`` (a toolkit variable name)."""
    parts = _parts(variable)
    head = rf"\dot{{{parts[0]}}}_{{{parts[1]}}}" if parts else rf"\dot{{{sp.latex(sp.Symbol(variable))}}}"
    return f"{head} = {latex(rhs)}"


def collected(poly: Any, variable: sp.Symbol | str) -> str:
    """A polynomial in ``variable`` collected and ordered by descending power, each coefficient
    factored and printed before its power of ``variable`` (a Symbol or its name)."""
    poly = sp.sympify(poly)
    if isinstance(variable, str):
        variable = next((s for s in poly.free_symbols if s.name == variable), sp.Symbol(variable))
    terms = sp.collect(sp.expand(poly), variable, evaluate=False)
    out = []
    for power in sorted(terms, key=lambda t: -sp.degree(t, variable)):
        coeff = sp.factor(terms[power])
        c = latex(coeff)
        if isinstance(coeff, sp.Add):
            c = rf"\left({c}\right)"
        if power == 1:
            out.append(c)
        else:
            p = latex(power)
            out.append(p if coeff == 1 else ("-" + p if coeff == -1 else f"{c} {p}"))
    return " + ".join(out).replace("+ -", "- ")
