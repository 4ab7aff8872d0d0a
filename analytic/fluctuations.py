r"""Gaussian fluctuations around a mean-field fixed point (Holstein-Primakoff, linearised cumulants).

Method (derived from the model, nothing typed in):

1. Each spin is described in the frame of its mean spin :math:`\mathbf n = \mathbf s/|\mathbf s|`
   (polar frame :math:`\mathbf e_1 = \mathbf e_\theta`, :math:`\mathbf e_2 = \mathbf e_\phi`,
   :math:`\mathbf e_1\times\mathbf e_2 = \mathbf n`).  Its transverse components define the
   Holstein-Primakoff boson :math:`b = (S_{e_1} + iS_{e_2})/\sqrt{2S|\mathbf s|}` and the
   quadratures :math:`x = b + b^\dagger`, :math:`p = -i(b - b^\dagger)`, normalised so that the
   vacuum (a coherent spin state) has :math:`V = \mathbb 1` and :math:`[x, p] = 2i`.  (For a spin
   pointing down this is seed 002 eq. A1 up to the sign of b, for a spin up eq. A2.)  A bosonic
   mode keeps :math:`x = a + a^\dagger`, :math:`p = -i(a - a^\dagger)`.  An ensemble of atoms
   with *individual* dissipators does not conserve the collective spin length: its radial
   component fluctuates at the same order and is kept as a third quadrature ``n`` (normalised
   like x and p).  This is the central-limit (van Kampen) theory of the collective variables
   for atoms decaying individually; seed 004 App. F instead uses local bosons per atom with the
   radial component frozen (eq. F4a).  For the driven atoms the transverse theory
   (``radial=False``, :func:`driven_dicke_gaussian`) with the engine's diffusion already converges
   to the exact permutation-invariant xi^2 like 1/N, where seed 004's (F11) does not
   (tests/numeric/test_fluctuations_numeric.py).
2. Drift: the Jacobian of the engine's mean-field equations at the fixed point, projected on
   these directions, :math:`A = \Lambda B^T J B\Lambda^{-1}`.
3. Diffusion: for operators A, B the dissipation function
   :math:`\mathcal D(A,B) = \mathcal L^\dagger(AB) - A\,\mathcal L^\dagger B - (\mathcal L^\dagger A) B
   = \sum_k r_k [L_k^\dagger, A][B, L_k]` (individual terms summed over atoms exactly) is taken
   from :meth:`analytic.model.Model.adjoint` and evaluated with the mean-field factorisation;
   its symmetric part is :math:`D`.
4. The symmetrised covariance :math:`V_{ij} = \langle\{q_i, q_j\}\rangle/2 - \langle q_i\rangle\langle q_j\rangle`
   solves :math:`AV + VA^T + D = 0` (solved symbolically), valid while A is Hurwitz
   (Routh-Hurwitz conditions returned with the result).

Lattices (models with ``derived['images']``, e.g. ``gain_loss_chain``): the neighbour images
carry the phase :math:`e^{\pm ik}` of lattice Fourier modes (seed 002 eq. A4,
:math:`c_n = N^{-1/2}\sum_k e^{ink}c_k`), :math:`A(k) = J_0 + J_{\rm prev}e^{-ik} + J_{\rm next}e^{ik}`,
and :math:`\Sigma(k)_{ij} = \langle\{q_{i,k}, q_{j,k}^\dagger\}\rangle/2` solves
:math:`A(k)\Sigma + \Sigma A(k)^\dagger + D = 0`.

Conventions: hbar = 1, Lindblad rates multiply :math:`\mathcal D[L]` without a factor 2
(:mod:`analytic.model`); mean-field variables scaled, :math:`s_a = \langle S_a\rangle/S`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import sympy as sp

from . import meanfield as mf
from . import models
from .branches import crf_stable_branch
from .model import Model, ModelError

__all__ = ["gaussian", "Gaussian", "Quadrature", "lyapunov", "hurwitz_conditions",
           "gaussian_purity", "gaussian_negativity", "correlation_length",
           "dimer_gaussian", "chain_gaussian", "driven_dicke_curve", "driven_dicke_gaussian", "COS_THETA",
           "crf_xi2", "driven_dicke_xi2", "dimer_purity", "dimer_negativity", "chain_correlation_length"]

K = sp.Symbol("k", real=True)  #: lattice momentum of the Fourier modes (seed 002 eq. A4)
Z = sp.Symbol("z")  #: z = exp(i k); lattice matrices are rational in z, conj(z) = 1/z


@dataclass(frozen=True)
class Quadrature:
    """One fluctuation coordinate: ``subsystem`` name, ``kind`` ('x', 'p' or 'n' = radial) and
    the unit vector in the subsystem's mean-field variables it points along."""

    subsystem: str
    kind: str
    direction: tuple
    scale: sp.Expr

    @property
    def label(self) -> str:
        return f"{self.kind}_{self.subsystem}" if self.subsystem else self.kind


# --------------------------------------------------------------------------- linear algebra
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


# --------------------------------------------------------------------------- frames
def _frame(sx, sy, sz):
    r"""Length and polar frame (n, e_theta, e_phi) of a mean spin; e_theta x e_phi = n.  At the
    poles (sx = sy = 0) phi = 0."""
    r = sp.sqrt(sx ** 2 + sy ** 2 + sz ** 2)
    r = sp.simplify(r)
    if sp.simplify(r) == 0:
        raise ModelError("gaussian: the mean spin vanishes at this point; no Holstein-Primakoff frame")
    rho = sp.simplify(sp.sqrt(sx ** 2 + sy ** 2))
    if rho == 0:
        n = (0, 0, sp.sign(sz))
        if n[2] not in (1, -1):
            raise ModelError(f"gaussian: cannot decide the sign of s_z = {sz} at the pole")
        return r, n, (n[2], 0, 0), (0, 1, 0)
    ct, st = sz / r, rho / r
    cp, sph = sx / rho, sy / rho
    n = (st * cp, st * sph, ct)
    e1 = (ct * cp, ct * sph, -st)
    e2 = (-sph, cp, 0)
    return r, tuple(map(sp.simplify, n)), tuple(map(sp.simplify, e1)), tuple(map(sp.simplify, e2))


def _suffix(name: str) -> str:
    return f"_{name}" if name else ""


# --------------------------------------------------------------------------- result
@dataclass
class Gaussian:
    r"""Gaussian fluctuations around a fixed point (see the module docstring for the method).

    Attributes
    ----------
    model : Model
    point : dict
        The fixed point ``{variable: Expr}``.
    quadratures : list of Quadrature
        Order of the rows of ``drift``, ``diffusion``, ``covariance``.
    drift : sympy.Matrix
        A, such that :math:`\dot{\langle q\rangle} = A\langle q\rangle` (lattice: function of ``k``).
    diffusion : sympy.Matrix
        D (symmetric; Hermitian for lattices).
    covariance : sympy.Matrix
        V solving :math:`AV + VA^\dagger + D = 0`; vacuum = identity.
    conditions : list
        Validity: every expression > 0 (A Hurwitz).  For lattices, for every ``k``.
    lattice : bool
        Whether the matrices are those of the Fourier mode ``k`` (symbol :data:`K`).
    """

    model: Model
    point: dict
    quadratures: list
    drift: sp.Matrix
    diffusion: sp.Matrix
    covariance: sp.Matrix
    conditions: list
    lattice: bool = False
    lengths: dict = field(default_factory=dict)

    # -------------------------------------------------------------- indexing
    def index(self, label: str) -> int:
        """Row of a quadrature label (``'x_a'``, ``'p'``, ``'n'``...)."""
        labels = [q.label for q in self.quadratures]
        if label not in labels:
            raise ModelError(f"gaussian: no quadrature {label!r}; quadratures are {labels}")
        return labels.index(label)

    def _mode_rows(self, subsystem: str | None):
        names = sorted({q.subsystem for q in self.quadratures})
        if subsystem is None:
            if len(names) != 1:
                raise ModelError(f"gaussian: model {self.model.name!r} has several subsystems {names}; name one")
            subsystem = names[0]
        if subsystem not in names:
            raise ModelError(f"gaussian: no fluctuating subsystem {subsystem!r}; subsystems are {names}")
        suf = _suffix(subsystem)
        return self.index("x" + suf), self.index("p" + suf)

    def _omega(self, i: int, j: int) -> int:
        r"""Symplectic form: :math:`[q_i, q_j] = 2i\,\Omega_{ij}` (leading order)."""
        qi, qj = self.quadratures[i], self.quadratures[j]
        if qi.subsystem != qj.subsystem:
            return 0
        return {("x", "p"): 1, ("p", "x"): -1}.get((qi.kind, qj.kind), 0)

    # -------------------------------------------------------------- moments
    def moment(self, first: str | None, second: str | None, kind: str = "normal") -> sp.Expr:
        r"""Second moments of the Holstein-Primakoff bosons (zero means):
        ``kind='normal'``: :math:`\langle b_1^\dagger b_2\rangle`, ``'anomalous'``:
        :math:`\langle b_1 b_2\rangle`.  For lattices, the k-space moments
        :math:`\langle b_{1,k}^\dagger b_{2,k}\rangle` (seed 002 eqs. A6-A8); ``'anomalous'`` is
        not defined there (pairs k, -k)."""
        i1, i2 = self._mode_rows(first), self._mode_rows(second)
        w = (sp.Rational(1, 2), sp.I / 2)
        V = self.covariance
        total = 0
        if kind == "normal":
            # <y_a^dag y_b> = V_ba - i Omega_ba  (from <y_a y_b^dag> = V_ab + i Omega_ab)
            for u in range(2):
                for v in range(2):
                    a, b = i1[u], i2[v]
                    total += sp.conjugate(w[u]) * w[v] * (V[b, a] - sp.I * self._omega(b, a))
        elif kind == "anomalous":
            if self.lattice:
                raise ModelError("gaussian.moment: anomalous moments of lattice modes pair k with -k; not provided")
            for u in range(2):
                for v in range(2):
                    a, b = i1[u], i2[v]
                    total += w[u] * w[v] * (V[a, b] + sp.I * self._omega(a, b))
        else:
            raise ModelError(f"gaussian.moment: kind must be 'normal' or 'anomalous', got {kind!r}")
        return sp.simplify(total)

    def occupation(self, subsystem: str | None = None) -> sp.Expr:
        r""":math:`\langle b^\dagger b\rangle` of a subsystem's Holstein-Primakoff boson (lattice: of
        the Fourier mode k, seed 002 eqs. A6-A7)."""
        return self.moment(subsystem, subsystem, "normal")

    def anomalous(self, subsystem: str | None = None) -> sp.Expr:
        r""":math:`\langle b^2\rangle` (seed 004 eq. F11b for the collective mode)."""
        return self.moment(subsystem, subsystem, "anomalous")

    # -------------------------------------------------------------- squeezing
    def squeezing(self, subsystem: str | None = None) -> sp.Expr:
        r"""Wineland parameter :math:`\xi^2 = \min_{\mathbf e\perp\langle\mathbf S\rangle}
        N\,\Delta S_{\mathbf e}^2/|\langle\mathbf S\rangle|^2` (N = 2S, or the number of atoms),
        minimised over the plane orthogonal to the mean spin: with
        :math:`\Delta S_{\mathbf e}^2 = (N|\mathbf s|/4)\,V_{\mathbf e\mathbf e}`,
        :math:`\xi^2 = \lambda_{\min}(V_{\perp})/|\mathbf s|`."""
        if self.lattice:
            raise ModelError("gaussian.squeezing: not defined for lattice Fourier modes")
        ix, ip = self._mode_rows(subsystem)
        q = self.quadratures[ix]
        if q.kind != "x" or not self.lengths.get(q.subsystem):
            raise ModelError(f"gaussian.squeezing: subsystem {q.subsystem!r} is not a spin")
        a, b, c = self.covariance[ix, ix], self.covariance[ix, ip], self.covariance[ip, ip]
        if sp.simplify(b) == 0:
            vmin = sp.Min(a, c)
        else:
            vmin = (a + c) / 2 - sp.sqrt(((a - c) / 2) ** 2 + b ** 2)
        return vmin / self.lengths[q.subsystem]

    # -------------------------------------------------------------- purity, negativity
    def purity(self) -> sp.Expr:
        r""":math:`\mathrm{Tr}\rho^2 = 1/\sqrt{\det V}` (seed 002 eq. A22) of the Gaussian state of
        all the Holstein-Primakoff modes."""
        self._require_bosonic("purity")
        return gaussian_purity(self.covariance)

    def negativity(self, bipartition: Sequence[str] | None = None) -> sp.Expr:
        r"""Two-mode negativity :math:`\mathcal N = \max(0, (1/\eta - 1)/2)` (seed 002 eq. A25)
        between the modes named in ``bipartition`` (default: the two subsystems)."""
        self._require_bosonic("negativity")
        names = sorted({q.subsystem for q in self.quadratures})
        bipartition = tuple(bipartition) if bipartition is not None else tuple(names)
        if len(bipartition) != 2:
            raise ModelError(f"gaussian.negativity: bipartition must name two modes, got {bipartition}")
        n = gaussian_negativity(self.covariance, self._mode_rows(bipartition[0]), self._mode_rows(bipartition[1]))
        return sp.Max(0, n)

    def _require_bosonic(self, what: str) -> None:
        if self.lattice:
            raise ModelError(f"gaussian.{what}: the lattice state is a product over k; use k-space moments")
        if any(q.kind == "n" for q in self.quadratures):
            raise ModelError(f"gaussian.{what}: the fluctuations include a radial component (atoms with "
                             "individual decay); they are not a set of bosonic modes")

    # -------------------------------------------------------------- lattice
    def correlation_length(self, subsystem: str | None = None) -> sp.Expr:
        r"""Correlation length of :math:`\langle b_n^\dagger b_{n+s}\rangle\propto e^{-|s|/\xi}`
        (seed 002 eqs. A15-A18) from the singularity of the k-space occupation closest to the
        real axis: with denominator :math:`\alpha + \beta\cos k`,
        :math:`\xi = 1/\operatorname{arccosh}|\alpha/\beta|`."""
        if not self.lattice:
            raise ModelError("gaussian.correlation_length: needs a lattice model (derived['images'])")
        return correlation_length(self.occupation(subsystem))

    def is_stable(self, values: Mapping, samples: int = 64) -> bool:
        """Numeric check of the validity conditions: all eigenvalues of the drift (at every
        sampled k for lattices) have negative real parts."""
        import mpmath

        vals = mf.parameter_values(self.model, values)
        ks = [2 * mpmath.pi * j / samples for j in range(samples)] if self.lattice else [0]
        for k in ks:
            A = self.drift.subs(vals).subs(Z, sp.exp(sp.I * sp.Float(k, 20))).evalf(20)
            if A.free_symbols:
                raise ModelError(f"gaussian.is_stable: missing values for {sorted(map(str, A.free_symbols))}")
            M = mpmath.matrix([[complex(A[i, j]) for j in range(A.shape[1])] for i in range(A.shape[0])])
            ev = mpmath.eig(M, left=False, right=False)
            if max(mpmath.re(e) for e in ev) >= 0:
                return False
        return True


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


# --------------------------------------------------------------------------- engine
def _equation_options(model: Model, options: dict) -> dict:
    opts = dict(options)
    if opts.get("thermodynamic_limit") is None:
        try:
            mf.equations(model, **{**opts, "thermodynamic_limit": True})
            opts["thermodynamic_limit"] = True
        except ModelError:
            opts["thermodynamic_limit"] = False
    return opts


def _leading(expr: sp.Expr, model: Model) -> sp.Expr:
    t = sp.Symbol("_t", positive=True)
    for X in model.size_symbols():
        if expr.has(X):
            expr = sp.limit(expr.subs(X, 1 / t), t, 0, "+")
    return sp.simplify(expr)


def gaussian(model: Model, fixed_point: Mapping, *, radial: bool | None = None,
             parameters: Mapping | None = None, **options) -> Gaussian:
    r"""Gaussian (Holstein-Primakoff) fluctuations around a mean-field fixed point.

    Parameters
    ----------
    model : Model
        A catalogue or user model; lattice models (``derived['images']``) give k-space matrices.
    fixed_point : mapping
        ``{variable name: Expr}`` from :func:`analytic.meanfield.fixed_points` (or symbolic
        values, e.g. the fixed point parametrised by its own coordinates).
    radial : bool, optional
        Keep the radial fluctuation of atom ensembles (default: exactly when the ensemble has
        individual dissipators, which break spin-length conservation).
    parameters : mapping, optional
        ``{parameter name: Expr}`` substituted everywhere, e.g. a drive eliminated in favour
        of the fixed-point coordinates (seed 004 App. F writes xi^2 through s_y, s_z).
    **options
        Mean-field options (``factorization``, ``ordering``, ``casimir``, ``thermodynamic_limit``);
        ``thermodynamic_limit`` defaults to True when the equations have that limit (then the
        diffusion is also taken at leading order in the sizes), else the finite-size equations
        (e.g. ``driven_dicke``, where seed 004 keeps :math:`\Gamma = (N-1)\gamma_c`).

    Returns
    -------
    Gaussian
        Drift, diffusion, covariance (vacuum = identity) and validity conditions.

    Raises
    ------
    ModelError
        Unknown variables in ``fixed_point``, vanishing mean spin, a point that is not a fixed
        point, singular Lyapunov equation.
    """
    opts = _equation_options(model, options)
    limit = bool(opts.get("thermodynamic_limit"))
    var = mf.variables(model)
    unknown = set(fixed_point) - set(var)
    if unknown:
        raise ModelError(f"gaussian: fixed_point has unknown variables {sorted(unknown)}; variables are {list(var)}")
    missing = set(var) - set(fixed_point)
    if missing:
        raise ModelError(f"gaussian: fixed_point lacks variables {sorted(missing)}")
    point = {k: sp.sympify(v) for k, v in fixed_point.items()}
    at = {var[k]: v for k, v in point.items()}
    psub = mf.parameter_values(model, parameters or {})
    at.update(psub)
    eqs = {k: e.subs(psub) for k, e in mf.equations(model, **opts).items()}
    for k, e in eqs.items():
        r = sp.simplify(e.subs(at))
        if r != 0 and not _vanishes_numerically(r):
            raise ModelError(f"gaussian: the point is not a fixed point (d{k}/dt = {r})")

    # ---- fluctuation directions
    names = list(var)
    images = model.derived.get("images", {})
    own = [s for s in model.subsystems if s.name not in images]
    individual = {d.jump.sub for d in model.dissipators if d.kind == "individual"}
    quads, lengths, cols = [], {}, []
    for s in own:
        suf = _suffix(s.name)
        if s.kind in ("spin", "atoms"):
            idx = [names.index(c + suf) for c in ("sx", "sy", "sz")]
            r, n, e1, e2 = _frame(*(point[c + suf] for c in ("sx", "sy", "sz")))
            lengths[s.name] = r
            lam = sp.sqrt(2 * s.size / r)
            dirs = [("x", e1), ("p", e2)]
            keep_radial = (s in individual) if radial is None else (radial and s.kind == "atoms")
            if keep_radial:
                dirs.append(("n", n))
            for kind, d in dirs:
                v = [0] * len(names)
                for i, c in zip(idx, d):
                    v[i] = c
                quads.append(Quadrature(s.name, kind, tuple(d), lam))
                cols.append(v)
        else:
            idx = [names.index(c + suf) for c in ("ar", "ai")]
            lam = 2 * sp.sqrt(s.scale)
            for kind, d in (("x", (1, 0)), ("p", (0, 1))):
                v = [0] * len(names)
                for i, c in zip(idx, d):
                    v[i] = c
                quads.append(Quadrature(s.name, kind, d, lam))
                cols.append(v)
    B = sp.Matrix(cols).T
    Lam = sp.diag(*[q.scale for q in quads])
    Lam_inv = sp.diag(*[1 / q.scale for q in quads])

    # ---- drift
    if images:
        J = _lattice_jacobian(model, opts, point).subs(psub)
    else:
        J = mf.jacobian(model, point, eqs)
    A = (Lam * B.T * J * B * Lam_inv).applyfunc(lambda e: sp.factor(sp.cancel(e)))

    # ---- diffusion
    vops = mf.variable_operators(model)
    fac = opts.get("factorization") or ("individual" if model.has_individual_terms() else "collective")
    Dv = sp.zeros(len(names), len(names))
    involved = [i for i in range(len(names)) if any(B[i, j] != 0 for j in range(B.shape[1]))]
    for a in involved:
        La = model.adjoint(vops[names[a]])
        for b in involved:
            if b < a:
                continue
            Lb = model.adjoint(vops[names[b]])
            Aop, Bop = vops[names[a]], vops[names[b]]
            dab = model.adjoint(Aop * Bop) - Aop * Lb - La * Bop
            dba = model.adjoint(Bop * Aop) - Bop * La - Lb * Aop
            mean = mf.mean_value(model, (dab + dba) * sp.Rational(1, 2), fac, opts.get("ordering", "normal"),
                                 opts.get("casimir", False), var)
            val = sp.factor(sp.cancel(sp.expand(mean).subs(at)))
            Dv[a, b] = Dv[b, a] = val
    D = Lam * B.T * Dv * B * Lam
    D = D.applyfunc(lambda e: _leading(e, model) if limit else sp.factor(sp.cancel(e)))
    if limit:
        A = A.applyfunc(lambda e: _leading(e, model))

    # ---- covariance and validity
    if images:
        V = lattice_lyapunov(A, D)
        conds = _lattice_conditions(A)
    else:
        V = lyapunov(A, D)
        conds = hurwitz_conditions(A)
    V = V.applyfunc(lambda e: sp.factor(sp.cancel(e)))
    return Gaussian(model, point, quads, A, D, V, conds, lattice=bool(images), lengths=lengths)


def _vanishes_numerically(expr: sp.Expr) -> bool:
    """A symbolic residual that simplify could not reduce: test it at random positive values."""
    import random

    rng = random.Random(1)
    syms = sorted(expr.free_symbols, key=str)
    if not syms:
        return abs(complex(sp.N(expr, 30))) < 1e-25
    for _ in range(3):
        v = {s: sp.Rational(rng.randint(1, 9), rng.randint(10, 40)) for s in syms}
        try:
            if abs(complex(sp.N(expr.subs(v), 30))) > 1e-20:
                return False
        except (TypeError, ValueError):
            return False
    return True


def _lattice_jacobian(model: Model, opts: dict, point: Mapping) -> sp.Matrix:
    r"""A(k) in variable space: :math:`J_0 + \sum_{\rm images} J_{\rm image} e^{i\,\mathrm{shift}\,k}`."""
    images = model.derived["images"]
    free = dataclasses.replace(model, derived={})
    eqs_all = mf.equations(free, **opts)
    var_all = mf.variables(free)
    own = mf.variables(model)
    names = list(own)
    sub = {}
    for k, v in var_all.items():
        base = k
        for img, (orig, _) in images.items():
            if k.endswith("_" + img):
                base = k[: -len(img)] + orig
        sub[v] = point[base]
    J = sp.zeros(len(names), len(names))
    for i, n in enumerate(names):
        for k, v in var_all.items():
            d = sp.diff(eqs_all[n], v).subs(sub)
            if d == 0:
                continue
            phase, base = 1, k
            for img, (orig, shift) in images.items():
                if k.endswith("_" + img):
                    base, phase = k[: -len(img)] + orig, Z ** shift
            J[i, names.index(base)] += d * phase
    return J


def _lattice_conditions(A: sp.Matrix) -> list:
    r"""Necessary validity conditions of a lattice drift A(z), z = e^{ik}, for every k:
    :math:`\det(-A(z)) \neq 0` and :math:`-\mathrm{tr}A(z) > 0` (rational functions of z; the
    zeros of the determinant at z = 1 and z = -1 give the k = 0 and k = pi boundaries).
    The complete check for given parameters is :meth:`Gaussian.is_stable`."""
    return [sp.factor(sp.cancel((-A).det())), sp.factor(sp.cancel(-A.trace()))]


# --------------------------------------------------------------------------- closed forms of the catalogue's phases
_CACHE: dict = {}


def _cached(key, fn):
    if key not in _CACHE:
        _CACHE[key] = fn()
    return _CACHE[key]


def _crf_gaussian() -> Gaussian:
    return _cached("crf", lambda: gaussian(models.crf(), crf_stable_branch()))


def crf_xi2() -> sp.Expr:
    r"""xi^2 of the magnetised (stable, lambda < 1) phase of crf.  The minimum of the two
    quadrature variances is resolved at the test point lambda = 1/2 and checked to hold for
    all lambda in (0, 1) (the variances are 1/sqrt(1-lambda^2) and sqrt(1-lambda^2))."""
    g = _crf_gaussian()
    a, c = g.covariance[0, 0], g.covariance[1, 1]
    m = g.model
    lam = sp.Symbol("_lam", positive=True)
    on = {m.symbol("omega"): 2 * lam * m.symbol("kappa")}
    diff = sp.simplify((a - c).subs(on))
    # the sign of a - c must not change in the phase: no zero for 0 < lambda < 1
    zeros = [z for z in sp.solve(diff, lam) if z.is_real and 0 < z < 1]
    if zeros:
        raise ModelError(f"crf.hp.xi2: the squeezed quadrature changes inside the phase at lambda = {zeros}")
    pick = c if float(diff.subs({lam: sp.Rational(1, 2), m.symbol("kappa"): 1})) > 0 else a
    return sp.simplify(pick / g.lengths[""])


COS_THETA = sp.Symbol("cos_theta", negative=True)  #: cos of the polar angle of the mean spin (seed 004 F2)


def driven_dicke_curve() -> tuple:
    r"""The fixed points of ``driven_dicke`` (individual factorisation, :math:`s_x = 0`) as a curve
    parametrised by :math:`c = \cos\theta = s_z/|\mathbf s|\in(-1, 0)` (seed 004 eq. F2).

    Derived from the engine's equations: :math:`\dot s_y = 0` gives the drive
    :math:`\Omega = s_y(\Gamma s_z - \gamma)/(4 s_z)`; inserted in :math:`\dot s_z = 0` it leaves
    :math:`s_y^2 = -2 s_z(1 + s_z)`, i.e. :math:`|\mathbf s| = -2c/(1 + c^2)` for any
    :math:`\Gamma = (N-1)\gamma_c`, :math:`\gamma = \gamma_c + \gamma_s`.

    Returns:
        ``(point, Omega)``: ``{'sx', 'sy', 'sz'}`` and the drive, functions of :data:`COS_THETA`.
    """
    m = models.driven_dicke()
    var = mf.variables(m)
    eqs = mf.equations(m, factorization="individual")
    c = COS_THETA
    r = sp.Symbol("_r", positive=True)
    at = {var["sx"]: 0, var["sy"]: r * sp.sqrt(1 - c ** 2), var["sz"]: r * c}
    Om = m.symbol("Omega")
    omega = sp.solve(eqs["sy"].subs(at), Om)
    if len(omega) != 1:
        raise ModelError(f"driven_dicke_curve: expected one drive from d sy/dt = 0, found {omega}")
    radius = [x for x in sp.solve(sp.factor(eqs["sz"].subs(at).subs(Om, omega[0])), r) if x != 0]
    if len(radius) != 1:
        raise ModelError(f"driven_dicke_curve: expected one spin length, found {radius}")
    point = {"sx": sp.Integer(0), "sy": sp.factor(at[var["sy"]].subs(r, radius[0])),
             "sz": sp.factor(at[var["sz"]].subs(r, radius[0]))}
    residual = [sp.simplify(e.subs({var[k]: v for k, v in point.items()}).subs(Om, omega[0].subs(r, radius[0])))
                for e in eqs.values()]
    if not all(x == 0 or _vanishes_numerically(x) for x in residual):
        raise ModelError(f"driven_dicke_curve: the curve does not solve the equations (residuals {residual})")
    return point, sp.factor(omega[0].subs(r, radius[0]))


def driven_dicke_gaussian() -> Gaussian:
    r"""Transverse Gaussian fluctuations of ``driven_dicke`` on the fixed-point curve of
    :func:`driven_dicke_curve` (functions of :data:`COS_THETA`, N, :math:`\gamma_c`, :math:`\gamma_s`;
    radial fluctuation left out as in seed 004 eq. F4a; cached)."""
    point, omega = driven_dicke_curve()
    return _cached("driven_dicke", lambda: gaussian(models.driven_dicke(), point, parameters={"Omega": omega},
                                                    radial=False))


def _sign_on_domain(expr: sp.Expr, domain_map: Mapping) -> int:
    r"""Sign of ``expr`` on a domain given as a rational map from positive variables (e.g.
    :math:`c = -1/(1+v)` for :math:`c\in(-1,0)`): +1 or -1 when numerator and denominator of the
    mapped expression each have coefficients of one sign; otherwise ModelError (undecided)."""
    mapped = sp.factor(sp.together(expr.subs(domain_map)))
    sign = 1
    for part in (sp.numer(mapped), sp.denom(mapped)):
        coeffs = sp.Poly(sp.expand(part), *sorted(part.free_symbols, key=str)).coeffs()
        if all(x > 0 for x in coeffs):
            continue
        if all(x < 0 for x in coeffs):
            sign = -sign
            continue
        raise ModelError(f"cannot decide the sign of {expr} on the domain {domain_map}")
    return sign


def driven_dicke_xi2() -> sp.Expr:
    r""":math:`\xi^2` of the driven atoms (seed 004 App. F) on the fixed-point curve of
    :func:`driven_dicke_curve`: transverse Holstein-Primakoff theory (radial fluctuation left
    out, as seed 004 F4a) with the engine's drift and diffusion of the collective spin.  The
    squeezed quadrature is the one along :math:`-\mathbf e_x`: its variance is smaller than the
    other's on the whole domain :math:`c\in(-1, 0)`, N > 1 (decided by :func:`_sign_on_domain`)."""
    g = driven_dicke_gaussian()
    m = g.model
    V = g.covariance
    ix, ip = g.index("x"), g.index("p")
    if sp.simplify(V[ix, ip]) != 0:
        raise ModelError(f"driven_dicke.hp.xi2: the quadratures are correlated (V_xp = {V[ix, ip]})")
    # the frame's sqrt(1 - c)*sqrt(1 + c) products are sqrt(1 - c^2), real on the domain
    root = sp.sqrt(1 - COS_THETA) * sp.sqrt(1 + COS_THETA)
    diff = sp.factor(sp.expand(sp.expand(V[ix, ix] - V[ip, ip]).subs(sp.sqrt(1 - COS_THETA ** 2), root))
                     .subs(root, sp.sqrt(1 - COS_THETA ** 2)))
    v, n = sp.symbols("_v _n", positive=True)
    sign = _sign_on_domain(diff, {COS_THETA: -1 / (1 + v), m.symbol("N"): 1 + n})
    return sp.factor(sp.simplify((V[ip, ip] if sign > 0 else V[ix, ix]) / g.lengths[""]))


_ORDERED_POINTS = {
    "AM": {"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": -1},
    "FM_up": {"sx_a": 0, "sy_a": 0, "sz_a": 1, "sx_b": 0, "sy_b": 0, "sz_b": 1},
    "FM_down": {"sx_a": 0, "sy_a": 0, "sz_a": -1, "sx_b": 0, "sy_b": 0, "sz_b": -1},
}


def _ordered(model_name: str, phase: str) -> Gaussian:
    if phase not in _ORDERED_POINTS:
        raise ModelError(f"{model_name}: phase must be one of {sorted(_ORDERED_POINTS)}, got {phase!r}")
    return _cached((model_name, phase), lambda: gaussian(models.get(model_name), _ORDERED_POINTS[phase]))


def dimer_gaussian(phase: str) -> Gaussian:
    """Gaussian fluctuations of ``gain_loss_dimer`` in an ordered phase: ``'AM'`` (a up, b down,
    seed 002 |up down>), ``'FM_up'``, ``'FM_down'`` (cached)."""
    return _ordered("gain_loss_dimer", phase)


def chain_gaussian(phase: str) -> Gaussian:
    r"""k-space Gaussian fluctuations of ``gain_loss_chain`` in an ordered phase (``'AM'``,
    ``'FM_up'``, ``'FM_down'`` as :func:`dimer_gaussian`); matrices rational in
    :math:`z = e^{ik}` (seed 002 eqs. A4-A8, cached)."""
    return _ordered("gain_loss_chain", phase)


def dimer_purity(phase: str = "AM") -> sp.Expr:
    r"""Purity of an ordered phase, simplified with its validity condition: AM
    :math:`\Gamma_g\Gamma_l > g^2`, FM :math:`g^2 > \Gamma_g\Gamma_l` (so that
    :math:`\sqrt{x^2} = x` for :math:`x = \pm(\Gamma_g\Gamma_l - g^2) > 0`)."""
    g = dimer_gaussian(phase)
    det = sp.factor(sp.cancel(g.covariance.det()))
    m = g.model
    Gg, Gl, gs = m.symbol("Gamma_g"), m.symbol("Gamma_l"), m.symbol("g")
    sign = 1 if phase == "AM" else -1
    x = sp.Symbol("_x", positive=True)  # x = sign (Gamma_g Gamma_l - g^2) > 0
    det_x = sp.factor(det.subs(Gg, (sign * x + gs ** 2) / Gl))
    pur = sp.factor(sp.simplify(1 / sp.sqrt(det_x)))
    pur = sp.factor(sp.simplify(pur.subs(x, sign * (Gg * Gl - gs ** 2))))
    if phase == "FM_up" and pur.has(sp.Abs):
        y = sp.Symbol("_y", positive=True)  # FM_up: Gamma_g = Gamma_l + y
        pur = sp.factor(sp.simplify(pur.subs(Gg, Gl + y)).subs(y, Gg - Gl))
    return pur


def chain_correlation_length() -> sp.Expr:
    r"""Correlation length of :math:`\langle c_{a,n}^\dagger c_{a,n+s}\rangle \propto \lambda^s` in the
    AM phase of the chain, :math:`\xi = -1/\ln\lambda = 1/\operatorname{arccosh}\frac{\Gamma_g\Gamma_l - g^2 - h^2}{2gh}`
    (seed 002 eqs. A17, A18; its text prints :math:`-1/\ln(-\lambda)`, complex for the positive
    :math:`\lambda` of A17)."""
    return chain_gaussian("AM").correlation_length("a")


def dimer_negativity() -> sp.Expr:
    r"""Negativity of the AM phase on the PT-symmetric line :math:`\Gamma_g = \Gamma_l = \bar\Gamma`
    (seed 002 eq. A26), as a function of g and Gamma_l (= Gamma_bar).  Simplified with the validity
    condition :math:`\bar\Gamma > |g|` (written :math:`\bar\Gamma = |g| + x`, x > 0; the sign of g is
    a sublattice rotation and leaves the negativity unchanged), so that the exported closed form has
    no nested roots that cancel (they lose all float64 digits as :math:`\bar\Gamma \to g`)."""
    g = dimer_gaussian("AM")
    m = g.model
    gs, Gl = m.symbol("g"), m.symbol("Gamma_l")
    x, gp = sp.symbols("_x _gp", positive=True)
    V = g.covariance.subs(m.symbol("Gamma_g"), Gl).subs(gs, gp).subs(Gl, gp + x)
    V = V.applyfunc(lambda e: sp.factor(sp.cancel(e)))
    n = gaussian_negativity(V, g._mode_rows("a"), g._mode_rows("b"))
    for _ in range(3):  # sqrt(p^2 q) -> p sqrt(q) for the positive factors, innermost roots first
        n = sp.factor(sp.simplify(n.replace(lambda e: e.is_Pow and e.exp == sp.S.Half,
                                            lambda e: sp.sqrt(sp.factor(e.base)))))
    return sp.factor(sp.simplify(n.subs(x, Gl - gp).subs(gp, sp.Abs(gs))))
