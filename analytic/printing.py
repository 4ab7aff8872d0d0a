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
one variable (the driven-atoms cubic in :math:`s_z`), :func:`operator` an operator of
:mod:`analytic.algebra` (a Hamiltonian, a jump operator: :math:`S^+_a`, :math:`a^\dagger`,
:math:`E_{01}`) and :func:`local` a single-atom jump operator (:math:`\sigma_n^-`).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import sympy as sp

__all__ = ["symbol_latex", "latex", "equation", "collected", "operator", "local"]

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


def latex(expr: Any, **options: Any) -> str:
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
    return " + ".join(out).replace("+ - ", "- ").replace("+ -", "- ")


_GEN = re.compile(r"^(S\+|S-|Sz|a†|a|E(\d+))(?:_(\w+))?$")
_GEN_LATEX = {"S+": "S^{+}", "S-": "S^{-}", "Sz": "S^{z}", "a†": r"a^{\dagger}", "a": "a"}
_LOCAL = {"sm": r"\sigma^{-}", "sp": r"\sigma^{+}", "sz": r"\sigma^{z}"}


def _subscript(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9]+", name) else r"\mathrm{%s}" % name.replace("_", r"\_")


def _generator_latex(gen: Any) -> str:
    """LaTeX of one generator of :mod:`analytic.algebra` from its printed form (``S+_a``, ``a†_c``, ``E01``)."""
    m = _GEN.match(repr(gen))
    if m is None:
        return r"\mathrm{%s}" % repr(gen)
    head, levels, site = m.groups()
    tex = f"E_{{{levels}}}" if levels else _GEN_LATEX[head]
    return tex if not site else (f"{tex}_{{{_subscript(site)}}}" if not levels else f"E^{{({_subscript(site)})}}_{{{levels}}}")


def operator(op: Any) -> str:
    r"""LaTeX of an :class:`analytic.algebra.Op` (a sum of coefficients times words of generators,
    in the algebra's canonical order), e.g. ``\frac{\omega}{2} S^{+} + \frac{\omega}{2} S^{-}``."""
    terms = getattr(op, "terms", None)
    if terms is None:
        raise TypeError(f"op: expected an analytic.algebra.Op, got {type(op).__name__}")
    if not terms:
        return "0"
    gens: dict = {}
    total = sp.Integer(0)
    for word, coeff in sorted(terms.items(), key=lambda t: (len(t[0]), str(t[0]))):
        factors = []
        for g in word:
            key = repr(g)
            if key not in gens:
                gens[key] = (sp.Symbol(f"_op{len(gens)}", commutative=False), _generator_latex(g))
            factors.append(gens[key][0])
        total += sp.sympify(coeff) * sp.Mul(*factors)
    names = _names([c for c in terms.values()])
    names.update({sym: tex for sym, tex in gens.values()})
    return sp.latex(total, symbol_names=names)


def local(jump: Any) -> str:
    r"""LaTeX of a single-atom jump operator (:class:`analytic.algebra.Local`) acting on atom n:
    ``sm`` -> :math:`\sigma_n^-`; other labels are printed upright with the atom index."""
    label = getattr(jump, "label", str(jump))
    tex = _LOCAL.get(label)
    return f"{tex}_{{n}}" if tex else rf"\mathrm{{{label.replace('_', chr(92) + '_')}}}_{{n}}"

