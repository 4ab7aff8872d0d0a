r"""Order-2 cumulant steady state of seed 004's driven atoms in arbitrary precision: <Sz>/(N/2) and xi^2 on the lower branch.

The closed order-2 equations of :func:`analytic.cumulants.equations` (``driven_dicke``, collective
moments: the reading whose error falls as :math:`N^{-2}` in the collective phase, see
``tests/numeric/test_cumulants_driven_atoms.py``) are solved by mpmath's multidimensional Newton from
the uncorrelated state on the Dicke lower branch :math:`s = (0, x, -\sqrt{1 - x^2})`,
:math:`x = \Omega/\Omega_c`, :math:`\Omega_c = (N-1)\gamma_c/4` (seed 004 eq. 3), second moments
:math:`m_{uv} = m_u m_v`.  The squeezing is Wineland's :math:`\xi^2 = N\min_{e\perp\langle\mathbf S\rangle}
\mathrm{Var}(e\cdot\mathbf S)/|\langle\mathbf S\rangle|^2` (seed 004 Sec. III B) of the order-2 moments.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from . import cumulants as cu
from . import models
from .model import ModelError
from .values import Number, mpmath_function

__all__ = ["ORDER_TWO_SYSTEM", "driven_dicke_order_two", "order_two_system"]

ORDER_TWO_SYSTEM = "driven_dicke, order 2, collective moments"


@lru_cache(maxsize=1)
def _compiled() -> tuple:
    model = models.driven_dicke()
    eqs = cu.equations(model, 2, "collective")
    names = list(eqs.symbols)
    syms = [eqs.symbols[n] for n in names]
    x = sp.Symbol("x", positive=True)
    N, gc, gs, Om = (model.symbol(k) for k in ("N", "gamma_c", "gamma_s", "Omega"))
    exprs = [sp.expand(eqs[n].subs(Om, x * (N - 1) * gc / 4)) for n in names]
    args = syms + [x, N, gc, gs]
    f = mpmath_function(args, exprs)
    jac = mpmath_function(args, sp.Matrix(exprs).jacobian(syms))
    ops = {}
    sub = model.subsystems[0]
    comps = {"x": sub.x, "y": sub.y, "z": sub.z}
    for a in "xyz":
        ops[a] = mpmath_function(args, eqs.average(comps[a]))
        for b in "xyz":
            sym = (comps[a] * comps[b] + comps[b] * comps[a]) * sp.Rational(1, 2)
            ops[a + b] = mpmath_function(args, eqs.average(sym))
    return names, f, jac, ops


def order_two_system() -> sp.Tuple:
    """The closed order-2 equations (scaled collective moments) with Omega = x Omega_c, as a Tuple."""
    model = models.driven_dicke()
    eqs = cu.equations(model, 2, "collective")
    N, gc, Om = (model.symbol(k) for k in ("N", "gamma_c", "Omega"))
    return sp.Tuple(*[eqs[n].subs(Om, sp.Symbol("x", positive=True) * (N - 1) * gc / 4) for n in eqs])


def driven_dicke_order_two(quantity: str, x: Number, N: Number, gamma_c: Number, gamma_s: Number,
                           dps: int | None = None) -> float | mpmath.mpf:
    """``'sz'``: <Sz>/(N/2); ``'xi2'``: Wineland's xi^2, of the order-2 steady state on the lower branch
    (mpmath at ``dps`` digits, float64 precision for ``dps=None``).  Raises ModelError when Newton
    does not converge or the point is not a stable fixed point of the closed equations."""
    names, f, jac, ops = _compiled()
    with mpmath.workdps((dps or 15) + 10):
        x, N, gc, gs = (mpmath.mpf(v) for v in (x, N, gamma_c, gamma_s))
        first = {"Sp": 1j * x, "Sz": -mpmath.sqrt(1 - x ** 2), "Sm": -1j * x}
        start = []
        for n in names:
            value = mpmath.mpc(1)
            for part in n.split("*"):
                value *= first[part]
            start.append(value)
        F = lambda *m: f(*m, x, N, gc, gs)                                      # noqa: E731
        J = lambda *m: mpmath.matrix(jac(*m, x, N, gc, gs))                      # noqa: E731
        try:
            m = mpmath.findroot(F, start, J=J, tol=mpmath.mpf(10) ** (-2 * (dps or 15)))
        except (ZeroDivisionError, ValueError) as err:
            raise ModelError(f"driven_dicke order 2: Newton failed at x={x}, N={N}: {err}") from err
        m = [m[i] for i in range(len(names))]
        eig = mpmath.eig(J(*m), left=False, right=False)
        if max(mpmath.re(e) for e in eig) >= 0:
            raise ModelError(f"driven_dicke order 2: the root at x={x}, N={N} is not stable")
        value = {k: mpmath.re(op(*m, x, N, gc, gs)) for k, op in ops.items()}
        if quantity == "sz":
            out = value["z"] / (N / 2)
        elif quantity == "xi2":
            mean = mpmath.matrix([value[a] for a in "xyz"])
            C = mpmath.matrix(3, 3)
            for i, a in enumerate("xyz"):
                for j, b in enumerate("xyz"):
                    C[i, j] = value[a + b] - mean[i] * mean[j]
            norm = mpmath.norm(mean)
            n = mean / norm
            e1 = mpmath.matrix([1, 0, 0]) if abs(n[0]) < mpmath.mpf("0.9") else mpmath.matrix([0, 1, 0])
            e1 = e1 - (e1.T * n)[0] * n
            e1 = e1 / mpmath.norm(e1)
            e2 = mpmath.matrix([n[1] * e1[2] - n[2] * e1[1], n[2] * e1[0] - n[0] * e1[2], n[0] * e1[1] - n[1] * e1[0]])
            a, b, c = ((u.T * C * v)[0] for u, v in ((e1, e1), (e1, e2), (e2, e2)))
            out = N * ((a + c) / 2 - mpmath.sqrt(((a - c) / 2) ** 2 + b ** 2)) / norm ** 2
        else:
            raise ModelError(f"driven_dicke order 2: quantity must be 'sz' or 'xi2', got {quantity!r}")
    return +out if dps else float(out)
