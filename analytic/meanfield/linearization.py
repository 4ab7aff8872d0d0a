r"""Linear stability of fixed points: Jacobians, their eigenvalues, the classification and closed-form boundaries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

import sympy as sp

from ..model import Model, ModelError
from .flow import conserved_quantities, equations, variables
from .parameters import checked_values, parameter_values

if TYPE_CHECKING:
    import numpy

__all__ = ["jacobian", "tangent_jacobian", "eigenvalues", "Stability", "stability", "stability_boundaries",
           "block_eigenvalues", "null_space"]


def jacobian(model: Model, point: Mapping | None = None, eqs: Mapping | None = None, **eq_options: Any) -> sp.Matrix:
    """The Jacobian :math:`J_{ij} = \\partial f_i/\\partial v_j` in the order of the equations,
    evaluated at ``point`` (a fixed point or any ``{name: value}``) when given."""
    if getattr(point, "kind", "closed") == "numeric":
        point._refuse("jacobian")
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    J = sp.Matrix([[sp.diff(e, v) for v in var.values()] for e in eqs.values()])
    if point is not None:
        J = J.subs({var[k]: v for k, v in point.items() if k in var})
    return J


def tangent_jacobian(model: Model, point: Mapping, eqs: Mapping | None = None, **eq_options: Any) -> sp.Matrix:
    r"""The Jacobian restricted to the tangent space of the conserved spin lengths at ``point``.

    Since :math:`\nabla C^{T} J = 0` at a fixed point, J maps into the tangent space; with a basis
    B of that space, the restriction is :math:`B^{+} J B`.  Its eigenvalues are the physical
    relaxation rates (seed 000 eqs. 19-20 use the equivalent canonical variables (z, phi)).
    """
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    J = jacobian(model, point, eqs)
    cons = conserved_quantities(model, eqs)
    if not cons:
        return J
    sub = {var[k]: v for k, v in point.items() if k in var}
    grads = sp.Matrix([[sp.diff(C, v).subs(sub) for v in var.values()] for C in cons])
    B = sp.Matrix.hstack(*grads.nullspace())
    return sp.simplify((B.T * B).inv() * B.T * J * B)


def eigenvalues(model: Model, point: Mapping, values: Mapping | None = None, **eq_options: Any) -> list:
    """Eigenvalues of the tangent Jacobian at ``point``: symbolic, or numeric (numpy, complex)
    when parameter ``values`` are given (then ``point`` may hold floats)."""
    if getattr(point, "kind", "closed") == "numeric":
        point._refuse("eigenvalues")
    if values is None:
        return list(tangent_jacobian(model, point, **eq_options).eigenvals(multiple=True))
    import numpy as np

    eqs = eq_options.pop("eqs", None)
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    vals = parameter_values(model, values)
    sub = {**vals, **{var[k]: sp.sympify(v).subs(vals) for k, v in point.items() if k in var}}
    J = np.array(jacobian(model, None, eqs).subs(sub).evalf(), dtype=complex)
    cons = conserved_quantities(model, eqs)
    if cons:
        grads = np.array([[complex(sp.diff(C, v).subs(sub)) for v in var.values()] for C in cons])
        B = null_space(grads)
        J = np.linalg.pinv(B) @ J @ B
    return list(np.linalg.eigvals(J))


def null_space(A: numpy.ndarray) -> numpy.ndarray:
    """An orthonormal basis (columns) of the null space of ``A`` from its SVD, singular values at
    most ``max(A.shape) * eps * s_max`` counted as zero (the rule of ``scipy.linalg.null_space``)."""
    import numpy as np

    A = np.atleast_2d(A)
    u, s, vh = np.linalg.svd(A, full_matrices=True)
    rank = int(np.sum(s > max(A.shape) * np.finfo(float).eps * (s.max() if s.size else 0.0)))
    return vh[rank:].conj().T


@dataclass
class Stability:
    """Linear stability of a fixed point: ``kind`` is ``'stable'``, ``'unstable'`` or ``'centre'``."""

    kind: str
    eigenvalues: list
    tolerance: float = 1e-10


def stability(model: Model, point: Mapping, values: Mapping, *, tol: float = 1e-10, point_tol: float = 1e-9,
              **eq_options: Any) -> Stability:
    """Classify a fixed point for numeric parameter values from the eigenvalues of the tangent
    Jacobian: stable (all Re < 0), unstable (some Re > 0), centre (max Re = 0 within ``tol``).

    Refused with :class:`~analytic.model.ModelError` naming the violated condition:

    * invalid ``values`` (:func:`checked_values`: non-real, non-finite, a negative value of a
      parameter declared positive such as a rate, a negative dissipator rate, a size <= 0);
    * a :class:`FixedPoint` whose conditions of existence (``point.conditions``) fail at
      ``values``, or any point that is not real there;
    * a point that is no fixed point at ``values``: some equation of motion larger than
      ``point_tol`` times the largest Jacobian entry (at least 1);
    * a :class:`NumericBranch` (evaluate it with ``.at(values)`` and pass one of its points).
    """
    if getattr(point, "kind", "closed") == "numeric":
        point._refuse("stability")
    eqs = eq_options.pop("eqs", None)
    eqs = equations(model, **eq_options) if eqs is None else eqs
    vals = checked_values(model, values, "stability")
    var = variables(model)
    for cond in getattr(point, "conditions", ()):
        holds = sp.sympify(cond).subs(vals)
        if holds is sp.false:
            raise ModelError(f"stability: the fixed point does not exist at {_show(vals)}: its condition of "
                             f"existence {cond} fails ({sp.sympify(cond).lhs.subs(vals)} < 0)"
                             if isinstance(cond, sp.GreaterThan) else
                             f"stability: the fixed point does not exist at {_show(vals)}: {cond} fails")
    sub = dict(vals)
    for k, v in point.items():
        if k not in var:
            raise ModelError(f"stability: unknown variable {k!r} in the point; variables are {list(var)}")
        z = sp.N(sp.sympify(v).subs(vals), 30)
        if z.free_symbols:
            raise ModelError(f"stability: the point's {k} = {v} needs values for "
                             f"{sorted(map(str, z.free_symbols))}")
        re, im = (sp.Float(c, 30) if c.is_number else c for c in z.as_real_imag())
        if not (re.is_finite and im.is_finite):
            raise ModelError(f"stability: the point's {k} is not finite at {_show(vals)} ({z})")
        if abs(im) > 1e-12 * (1 + abs(re)):
            raise ModelError(f"stability: the fixed point does not exist at {_show(vals)}: {k} = {z} is not real")
        sub[var[k]] = re
    missing = [k for k in var if k not in point]
    if missing:
        raise ModelError(f"stability: the point has no value for {missing}")
    J = jacobian(model, None, eqs).subs(sub)
    residual = max(abs(complex(sp.N(sp.sympify(e).subs(sub), 30))) for e in eqs.values())
    scale = max([1.0] + [abs(complex(sp.N(x))) for x in J])
    if residual > point_tol * scale:
        raise ModelError(f"stability: the point is not a fixed point at {_show(vals)}: the largest equation of "
                         f"motion is {residual:.3g} (> point_tol {point_tol:g} x {scale:.3g})")
    ev = eigenvalues(model, {k: sub[var[k]] for k in var}, vals, eqs=eqs)
    re = max(complex(e).real for e in ev)
    kind = "stable" if re < -tol else "unstable" if re > tol else "centre"
    return Stability(kind, ev, tol)


def _show(vals: Mapping) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in vals.items()) + "}"


def stability_boundaries(model: Model, point: Mapping, eqs: Mapping | None = None,
                         **eq_options: Any) -> dict[str, list[sp.Expr]]:
    r"""Closed-form stability boundaries of a fixed point.

    With :math:`p(x) = \det(x - J_T)` the characteristic polynomial of the tangent Jacobian,
    a real eigenvalue crosses zero where :math:`\det J_T = 0` (``'real'``), and a complex pair
    crosses the imaginary axis where the last-but-one Hurwitz determinant vanishes (``'hopf'``,
    Routh-Hurwitz).  Returns ``{'real': [factors], 'hopf': [factors]}``, each factor a SymPy
    expression whose zero set is a candidate boundary.
    """
    Jt = tangent_jacobian(model, point, eqs, **eq_options)
    x = sp.Symbol("_x")
    n = Jt.shape[0]
    coeffs = Jt.charpoly(x).all_coeffs()  # a0 x^n + a1 x^(n-1) + ... (Berkowitz: division free)
    out = {"real": _nontrivial_factors(Jt.det()), "hopf": []}
    if n >= 2:
        a = [sp.expand(c) for c in coeffs]
        H = sp.zeros(n - 1, n - 1)
        for i in range(n - 1):
            for j in range(n - 1):
                k = 2 * (j + 1) - (i + 1)
                H[i, j] = a[k] if 0 <= k <= n else 0
        out["hopf"] = _nontrivial_factors(H.det())
    return out


def _nontrivial_factors(expr: sp.Expr) -> list:
    """The factors of an expression's numerator that depend on parameters (powers and roots
    reduced to their bases): the candidate boundaries where the expression vanishes."""
    expr = sp.factor(sp.simplify(expr))
    if expr == 0:
        return [sp.Integer(0)]
    out = []
    for f in sp.Mul.make_args(sp.numer(sp.together(expr))):
        base = f.base if isinstance(f, sp.Pow) and f.exp.is_positive else f
        if base.free_symbols and base not in out:
            out.append(base)
    return out


def block_eigenvalues(J: sp.Matrix) -> list[sp.Expr]:
    r"""Eigenvalues (with multiplicity) of a square matrix through its block-triangular form.

    The rows and columns are permuted into the strongly connected components of the matrix's
    graph; the matrix is then block triangular and its eigenvalues are those of the diagonal
    blocks.  This is how seed 001 App. B reduces the :math:`(d^2-1)`-dimensional Jacobian at the
    polarized point to diagonal entries and one 2x2 block (B2), and it keeps symbolic
    eigenvalues of large sparse Jacobians tractable.
    """
    J = sp.Matrix(J)
    out = []
    for comp in J.strongly_connected_components():
        block = J.extract(comp, comp)
        out += [sp.simplify(e) for e in block.eigenvals(multiple=True)]
    return out
