r"""Gaussian-state algebra: Lyapunov equations (plain, lattice), Routh-Hurwitz conditions, purity, negativity, correlation length.
"""
from __future__ import annotations

from typing import Sequence

import sympy as sp

from ..model import ModelError

__all__ = ["K", "Z", "lyapunov", "lattice_lyapunov", "hurwitz_conditions", "gaussian_purity", "gaussian_negativity",
           "correlation_length"]

K = sp.Symbol("k", real=True)  #: lattice momentum of the Fourier modes (seed 002 eq. A4)
Z = sp.Symbol("z")  #: z = exp(i k); lattice matrices are rational in z, conj(z) = 1/z

def lyapunov(A: sp.Matrix, D: sp.Matrix) -> sp.Matrix:
    r"""Solve :math:`AV + VA^T + D = 0` symbolically for the symmetric matrix V (exactly, over
    the field of rational functions of the parameters).

    Raises
    ------
    ModelError
        Shapes mismatch or the equation is singular (A not Hurwitz for generic parameters).
    """
    n = A.shape[0]
    if A.shape != (n, n) or D.shape != (n, n):
        raise ModelError(f"lyapunov: A and D must be square of equal size, got {A.shape} and {D.shape}")
    unknowns, V = [], sp.zeros(n, n)
    for i in range(n):
        for j in range(i, n):
            V[i, j] = V[j, i] = sp.Symbol(f"_v{i}_{j}", real=True)
            unknowns.append(V[i, j])
    M = A * V + V * A.T + D
    eqs = [sp.expand(M[i, j]) for i in range(n) for j in range(i, n)]
    sol = _solve_linear(eqs, unknowns, "lyapunov: A V + V A^T + D = 0")
    return V.subs({u: sp.factor(s) for u, s in zip(unknowns, sol)})


def _solve_linear(eqs: list, unknowns: list, what: str) -> list:
    """Unique solution of a linear system with coefficients rational in the parameters, solved
    exactly over the field of rational functions (sympy DomainMatrix: no expression swell)."""
    from sympy.polys.matrices import DomainMatrix
    from sympy.polys.matrices.exceptions import DMNonInvertibleMatrixError

    mat, rhs = sp.linear_eq_to_matrix(eqs, unknowns)
    if mat.shape[0] != mat.shape[1]:  # pragma: no cover - structural
        raise ModelError(f"{what}: {mat.shape[0]} equations for {mat.shape[1]} unknowns")
    aug = DomainMatrix.from_Matrix(mat.row_join(rhs))
    M = aug.extract(list(range(mat.shape[0])), list(range(mat.shape[1])))
    b = aug.extract(list(range(mat.shape[0])), [mat.shape[1]])
    try:
        x = M.to_field().lu_solve(b.to_field())
    except (DMNonInvertibleMatrixError, ZeroDivisionError) as exc:
        raise ModelError(f"{what} has no unique solution ({exc}); the drift is not Hurwitz") from None
    return list(x.to_Matrix())


def lattice_lyapunov(A: sp.Matrix, D: sp.Matrix) -> sp.Matrix:
    r"""Solve :math:`A(z)\Sigma + \Sigma A(z)^\dagger + D = 0` for lattice matrices rational in
    :math:`z = e^{ik}` with real parameters, :math:`A^\dagger = A(1/z)^T`: all n^2 entries of
    :math:`\Sigma` are unknowns (rational functions of z), no trigonometric simplification needed."""
    n = A.shape[0]
    unknowns = [sp.Symbol(f"_s{i}_{j}") for i in range(n) for j in range(n)]
    Sig = sp.Matrix(n, n, unknowns)
    Ad = A.subs(Z, 1 / Z).T
    M = A * Sig + Sig * Ad + D
    eqs = [sp.expand(sp.together(e) * 1) for e in M]
    sol = _solve_linear(eqs, unknowns, "lattice_lyapunov: A(z) S + S A(z)^+ + D = 0")
    return Sig.subs({u: sp.factor(s) for u, s in zip(unknowns, sol)})


def hurwitz_conditions(A: sp.Matrix) -> list:
    r"""Routh-Hurwitz conditions for a real drift A: all eigenvalues have negative real part iff
    every returned expression is > 0 (the leading principal minors of the Hurwitz matrix of
    :math:`\det(x - A)`), each factored."""
    n = A.shape[0]
    x = sp.Symbol("_x")
    a = sp.Poly(sp.expand((x * sp.eye(n) - A).det()), x).all_coeffs()  # a0 = 1
    a = [sp.expand(c) for c in a]
    H = sp.zeros(n, n)
    for i in range(n):
        for j in range(n):
            k = 2 * (j + 1) - (i + 1)
            H[i, j] = a[k] if 0 <= k <= n else 0
    out = []
    for m in range(1, n + 1):
        out.append(sp.factor(sp.simplify(H[:m, :m].det())))
    return out


def gaussian_purity(V: sp.Matrix) -> sp.Expr:
    r"""Purity of a Gaussian state, :math:`\mathrm{Tr}\rho^2 = 1/\sqrt{\det V}` (seed 002 eq. A22),
    V in the normalisation where the vacuum has :math:`V = \mathbb 1`."""
    return 1 / sp.sqrt(sp.factor(sp.cancel(V.det())))


def gaussian_negativity(V: sp.Matrix, first: Sequence[int], second: Sequence[int]) -> sp.Expr:
    r"""Negativity :math:`\mathcal N = (1/\eta - 1)/2` of a two-mode Gaussian state (seed 002 eq. A25),
    :math:`\eta^2 = (\Sigma - \sqrt{\Sigma^2 - 4\det V})/2`,
    :math:`\Sigma = \det V_A + \det V_B - 2\det V_C`, V with vacuum :math:`\mathbb 1`;
    ``first``/``second`` index the (x, p) rows of the two modes.  Returns the expression;
    :math:`\mathcal N > 0` (entangled) iff :math:`\eta < 1` (callers take ``max(0, ...)``)."""
    if len(first) != 2 or len(second) != 2:
        raise ModelError("gaussian_negativity: each side of the bipartition must be one mode (x, p)")
    idx = list(first) + list(second)
    W = V.extract(idx, idx)
    VA, VB, VC = W[:2, :2], W[2:, 2:], W[:2, 2:]
    Sig = sp.factor(sp.cancel(VA.det() + VB.det() - 2 * VC.det()))
    detV = sp.factor(sp.cancel(W.det()))
    eta = sp.sqrt(Sig - sp.sqrt(Sig ** 2 - 4 * detV)) / sp.sqrt(2)
    return (1 / eta - 1) / 2


def correlation_length(occupation_k: sp.Expr) -> sp.Expr:
    r""":math:`\xi = 1/\operatorname{arccosh}|\alpha/\beta|` for a k-space function whose
    k-dependent denominator is :math:`\alpha + \beta\cos k`: its Fourier coefficients decay as
    :math:`z_0^{|s|}`, :math:`z_0 + 1/z_0 = -2\alpha/\beta`, :math:`|z_0| < 1`."""
    expr = sp.factor(sp.cancel(sp.together(occupation_k)))
    den = sp.denom(expr)
    factors = [f.base if isinstance(f, sp.Pow) else f for f in sp.Mul.make_args(den) if f.has(Z)]
    factors = [f for f in factors if sp.degree(f, Z) > 1]  # drop pure powers of z
    if len(factors) != 1 or sp.degree(factors[0], Z) != 2:
        raise ModelError(f"correlation_length: denominator {den} is not of the form alpha + beta cos k")
    a2, a1, a0 = sp.Poly(factors[0], Z).all_coeffs()
    if sp.simplify(a2 - a0) != 0:
        raise ModelError(f"correlation_length: denominator {factors[0]} is not palindromic in z = exp(ik)")
    # a (z^2 + 1) + b z = z (b + 2a cos k)
    return 1 / sp.acosh(sp.Abs(sp.simplify(a1 / (2 * a2))))
