r"""Moments of the totally mixed state of N two-level atoms (seed 004 App. D) in exact rational arithmetic.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import mpmath
import sympy as sp

from ..model import ModelError
from .puri_lawande import squared_lowering_element

__all__ = ["degeneracy", "mixed_moments", "mixed_g2", "mixed_g2_scalar", "mixed_g2_expr"]


def degeneracy(N: int, j: int | Fraction | str) -> int:
    r"""Multiplicity :math:`d^N_j = N!(2j+1)/((N/2-j)!(N/2+j+1)!)` of the spin-j irrep in N
    spin-1/2 (seed 004 eq. D1), in integer arithmetic (exact division checked)."""
    N = _check_N(N)
    jf = Fraction(str(j)) if not isinstance(j, Fraction) else j
    if jf < 0 or (N / 2 - jf) < 0 or (Fraction(N, 2) - jf).denominator != 1:
        raise ModelError(f"j must be one of N/2, N/2 - 1, ..., >= 0 (N={N}), got j={j!r}")
    a, b = int(Fraction(N, 2) - jf), int(Fraction(N, 2) + jf + 1)
    num = math.factorial(N) * int(2 * jf + 1)
    den = math.factorial(a) * math.factorial(b)
    if num % den:
        raise ModelError(f"degeneracy: non-integer result for N={N}, j={j}")  # pragma: no cover
    return num // den


def _check_N(N) -> int:
    if isinstance(N, bool):
        raise ModelError(f"N must be an integer >= 1, got N={N!r}")
    try:
        f = Fraction(str(N))
    except (ValueError, TypeError):
        raise ModelError(f"N must be an integer >= 1, got N={N!r}") from None
    if f.denominator != 1 or f < 1:
        raise ModelError(f"N must be an integer >= 1, got N={N!r}")
    return int(f)


@lru_cache(maxsize=1)
def _block_sums():
    r"""Sums over m of the diagonal elements of Sz, Sz^2, S+S-, S+S+S-S- in the spin-j irrep,
    polynomials in j derived by SymPy from the squared lowering element."""
    j, m = sp.symbols("j m")
    e2 = squared_lowering_element().subs(sp.Symbol("S", positive=True), j)
    spsm = e2                                   # <j,m|S+S-|j,m>
    spspsmsm = e2 * e2.subs(m, m - 1)           # <j,m|S+S+S-S-|j,m>
    out = {}
    for name, f in (("one", sp.Integer(1)), ("Sz", m), ("Sz2", m ** 2), ("SpSm", spsm), ("SpSpSmSm", spspsmsm)):
        # sum over m = -j..j, i.e. m = -j + i, i = 0..2j (integer steps)
        i = sp.Symbol("i", integer=True, nonnegative=True)
        L = sp.Symbol("L", integer=True, nonnegative=True)  # L = 2j
        s = sp.summation(sp.expand(f.subs(m, -j + i).subs(j, L / 2)), (i, 0, L))
        out[name] = sp.Poly(sp.expand(s), L)
    return out


def mixed_moments(N: int) -> dict:
    r"""Moments of the totally mixed state :math:`\rho = \mathbb 1/2^N` of N two-level atoms
    (seed 004 eqs. D1-D3), as exact :class:`fractions.Fraction`: ``Sz``, ``Sz2``, ``SpSm``,
    ``S2`` (:math:`\langle\mathbf S^2\rangle`), ``SpSpSmSm`` and ``g2``
    (:math:`\langle S^+S^+S^-S^-\rangle/\langle S^+S^-\rangle^2`, eq. D3e), each
    :math:`2^{-N}\sum_j d^N_j\,\mathrm{Tr}_j(\cdot)` with integer degeneracies."""
    N = _check_N(N)
    polys = _block_sums()
    tot = {k: 0 for k in polys}
    S2 = 0
    for twoj in range(N % 2, N + 1, 2):
        d = degeneracy(N, Fraction(twoj, 2))
        for k, P in polys.items():
            v = Fraction(str(P.eval(twoj)))
            tot[k] += d * v
        S2 += d * Fraction(twoj * (twoj + 2), 4) * (twoj + 1)
    norm = Fraction(2) ** N
    if tot["one"] != norm:
        raise ModelError(f"degeneracies do not add up to 2^N for N={N}")  # pragma: no cover
    out = {k: v / norm for k, v in tot.items() if k != "one"}
    out["S2"] = S2 / norm
    out["g2"] = out["SpSpSmSm"] / out["SpSm"] ** 2
    return out


def mixed_g2(N: int) -> Fraction:
    r""":math:`g^{(2)}` of the totally mixed state of N atoms (seed 004 eq. D3e), exact Fraction;
    equals :math:`2(1 - 1/N)`."""
    return mixed_moments(N)["g2"]


def mixed_g2_scalar(N: int, dps: int | None = None) -> float | mpmath.mpf:
    """:func:`mixed_g2` of N atoms as a float (``dps=None``) or an mpmath number."""
    f = _check_N(N)
    g = mixed_g2(f)
    if dps is None:
        return float(g)
    return mpmath.mpf(g.numerator) / g.denominator


def mixed_g2_expr() -> sp.Expr:
    """:math:`g^{(2)}` of the totally mixed state of N atoms (seed 004 eqs. D1-D3e) as finite sums over j."""
    N = sp.Symbol("N", positive=True, integer=True)
    l = sp.Symbol("l", integer=True, nonnegative=True)  # j = N/2 - l
    j = N / 2 - l
    d = sp.factorial(N) * (2 * j + 1) / (sp.factorial(l) * sp.factorial(N - l + 1))
    polys = _block_sums()
    L = list(polys["SpSm"].gens)[0]
    spsm = sp.Sum(d * polys["SpSm"].as_expr().subs(L, 2 * j), (l, 0, sp.floor(N / 2)))
    s4 = sp.Sum(d * polys["SpSpSmSm"].as_expr().subs(L, 2 * j), (l, 0, sp.floor(N / 2)))
    return 2 ** N * s4 / spsm ** 2
