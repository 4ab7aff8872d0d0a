r"""Gaussian (Holstein-Primakoff) fluctuations around a mean-field fixed point: quadratures, drift, diffusion, covariance.

The method is described in :mod:`analytic.fluctuations`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import sympy as sp

from .. import meanfield as mf
from ..model import Model, ModelError
from .lyapunov import Z, correlation_length, gaussian_negativity, gaussian_purity, hurwitz_conditions, lattice_lyapunov, lyapunov

__all__ = ["Quadrature", "Gaussian", "gaussian", "vanishes_numerically"]


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

    def mode_rows(self, subsystem: str | None) -> tuple:
        """``(row of x, row of p)`` of a subsystem's Holstein-Primakoff mode in the covariance (``None``:
        the only subsystem)."""
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
        i1, i2 = self.mode_rows(first), self.mode_rows(second)
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
        ix, ip = self.mode_rows(subsystem)
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
        n = gaussian_negativity(self.covariance, self.mode_rows(bipartition[0]), self.mode_rows(bipartition[1]))
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
             parameters: Mapping | None = None, **options: object) -> Gaussian:
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
        if r != 0 and not vanishes_numerically(r):
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


def vanishes_numerically(expr: sp.Expr) -> bool:
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
