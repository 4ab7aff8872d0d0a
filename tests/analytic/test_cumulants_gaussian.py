r"""Issue 19, acceptance 1 (second half): the order-2 cumulant equations linearised at a mean-field
fixed point give the covariance of :func:`analytic.fluctuations.gaussian` (crf, gain-loss dimer, seed 004).

What is compared, precisely.  :func:`analytic.cumulants.equations` (order 2) evolves the scaled
moments :math:`m_u = \langle u\rangle/S` and :math:`m_{uv} = \langle uv\rangle/S^2` of the canonical
words (:math:`S^+, S^z, S^-` per spin, normal ordered).  We write, with :math:`t = 1/S`,

.. math::  m_u = \bar m_u + t\,\delta_u, \qquad m_{uv} = m_u m_v + t\,K_{uv},

where :math:`\bar m` is the mean-field fixed point (exact, rational parameters), :math:`\delta_u`
the O(1/S) shift of the means (free symbols) and :math:`K_{uv}` the scaled second cumulants
(:math:`\langle uv\rangle - \langle u\rangle\langle v\rangle = S K_{uv}`, the unknowns).  The
cumulant equations :math:`\dot K_{uv} = S(\dot m_{uv} - m_u\dot m_v - \dot m_u m_v)` are taken at
leading order :math:`t^0`; the test checks that the shifts :math:`\delta` drop out there and solves
the steady state :math:`\dot K = 0` (linear in K) exactly.

The steady solution is not unique: each spin's length (Casimir) is conserved, and the
(co)variances of the spin components along the mean spins, :math:`\mathbf n_i^T C_{ij}\mathbf n_j`,
are zero modes of these equations (one per pair of spins: 1 for crf, 3 for the dimer; the test
checks that exactly these stay free).  They are fixed one order further (Casimir with the shifts
:math:`\delta`); Holstein-Primakoff sets them to zero at this order (the spin length fluctuates by
O(1), not O(sqrt S)).  So the comparison is: the symmetrised Cartesian covariance
:math:`C_{ab} = (\langle\{S_a, S_b\}\rangle/2 - \langle S_a\rangle\langle S_b\rangle)/S` (a, b = x,
y, z of every spin), computed from K through the package's own canonical ordering (commutator terms
included; they are of the same order), with its free radial (co)variances set to zero, equals
exactly (rational arithmetic, exact rational parameters) :math:`C_G = M V M^T`, the Gaussian's
covariance V mapped back to Cartesian components: the quadrature :math:`x_q` of a spin with mean
length :math:`|\mathbf s|` along the unit vector :math:`\mathbf e_q` is
:math:`S_{e_q} = \sqrt{S|\mathbf s|/2}\,x_q` (module docstring of :mod:`analytic.fluctuations`),
so :math:`M` has the column :math:`\sqrt{|\mathbf s|/2}\,\mathbf e_q`.  Every entry V carries (the
transverse block, within and between spins) is thus compared; V is checked not to be the vacuum.

Seed 004 (``driven_dicke``, individual decay: the spin length is not conserved, no zero mode) is compared
numerically instead: the order-2 (collective reading) closure's steady state at N = 10^12 and 10^32 (mpmath,
150 digits) against :func:`analytic.fluctuations.gaussian` with the radial quadrature (``radial=True``) at
the exact mean-field point, the full 3x3 Cartesian covariance; the transverse theory of seed 004 App. F
(``radial=False``) keeps only the out-of-plane (squeezed) variance.
"""
from __future__ import annotations

import functools

import pytest
import sympy as sp

import analytic as an
from analytic import cumulants as cu
from analytic import meanfield as mf
from analytic.branches import crf_stable_branch
from analytic.fluctuations import dimer_gaussian, gaussian
from analytic.values import mpmath_function

T = sp.Symbol("t", positive=True)


def _leading(expr: sp.Expr) -> sp.Expr:
    """The t^0 coefficient of a Laurent polynomial in t that must have no negative powers."""
    expr = sp.expand(expr)
    for k in range(1, 4):
        assert sp.expand(expr.coeff(T, -k)) == 0
    return sp.expand(expr.subs(T, 0))


def _cartesian_from_cumulants(model, fixed_point: dict, values: dict) -> tuple:
    """(C, free K symbols): the leading-order steady Cartesian covariance from the order-2 equations."""
    eq = cu.equations(model, order=2)
    (S,) = model.size_symbols()
    pv = mf.parameter_values(model, values)
    var = mf.variables(model)
    at = {var[k]: sp.sympify(v) for k, v in fixed_point.items()}
    mbar = {k: sp.sympify(v).subs(at).subs(pv) for k, v in cu.meanfield_point(model).items()}
    first = [n for n, w in eq.words.items() if len(w) == 1]
    second = [n for n, w in eq.words.items() if len(w) == 2]
    delta = {n: sp.Symbol(f"delta[{n}]") for n in first}
    K = {n: sp.Symbol(f"K[{n}]") for n in second}
    pair = {n: tuple(cu.word_name((g,)) for g in eq.words[n]) for n in second}
    sub = {eq.symbols[n]: mbar[n] + T * delta[n] for n in first}
    for n in second:
        u, v = pair[n]
        sub[eq.symbols[n]] = sub[eq.symbols[u]] * sub[eq.symbols[v]] + T * K[n]
    f = {n: sp.expand(eq.rhs[n].subs(pv).subs(S, 1 / T).subs(sub)) for n in eq.rhs}
    lin = []
    for n in second:
        u, v = pair[n]
        e = _leading((f[n] - sub[eq.symbols[u]] * f[v] - f[u] * sub[eq.symbols[v]]) / T)
        assert not e.free_symbols & set(delta.values()), "the mean shifts must drop out at leading order"
        lin.append(e)
    sol = sp.solve(lin, list(K.values()), dict=True)
    assert len(sol) == 1
    sol = sol[0]
    free = sorted(set(K.values()) - set(sol), key=str)
    # Cartesian symmetrised covariance C_ab = S (<{A, B}>/2 - <A><B>), A = S_a / S (scaled operators)
    vops = mf.variable_operators(model)
    names = list(var)

    def mean(op) -> sp.Expr:
        total = sp.Integer(0)
        for w, c in op.terms.items():
            if not w:
                total += c
                continue
            n = cu.word_name(w)
            total += c * eq.scales[n] * sub[eq.symbols[n]]
        return total

    C = sp.zeros(len(names), len(names))
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            A, B = vops[a], vops[b]
            sym = (A * B + B * A) * sp.Rational(1, 2)
            c = (mean(sym) - mean(A) * mean(B)).subs(pv).subs(S, 1 / T)
            C[i, j] = _leading(c / T).subs(sol)
    assert not any(C[i, j].free_symbols & set(delta.values()) for i in range(len(names)) for j in range(len(names)))
    return C, free, names


def _cartesian_from_gaussian(g, names: list, values: dict) -> sp.Matrix:
    """C_G = M V M^T, M[:, q] = sqrt(|s|/2) e_q in the spin's (sx, sy, sz) components."""
    pv = mf.parameter_values(g.model, values)
    M = sp.zeros(len(names), len(g.quadratures))
    for q, quad in enumerate(g.quadratures):
        suf = f"_{quad.subsystem}" if quad.subsystem else ""
        lam = sp.sqrt(g.lengths[quad.subsystem] / 2)
        for comp, d in zip(("sx", "sy", "sz"), quad.direction):
            M[names.index(comp + suf), q] = lam * d
    return (M * g.covariance * M.T).subs(pv).applyfunc(sp.simplify)


def _radial_covariances(model, point: dict, values: dict, names: list, C: sp.Matrix) -> list:
    """n_i^T C_ij n_j for every pair i <= j of spins (n_i = the mean direction of spin i): the
    (co)variances of the spin-length components."""
    pv = mf.parameter_values(model, values)
    blocks = []
    for s in model.subsystems:
        suf = f"_{s.name}" if s.name else ""
        idx = [names.index(c + suf) for c in ("sx", "sy", "sz")]
        vec = sp.Matrix([sp.sympify(point[c + suf]).subs(pv) for c in ("sx", "sy", "sz")])
        blocks.append((idx, vec / sp.sqrt(vec.dot(vec))))
    return [sp.expand((ni.T * C.extract(i, j) * nj)[0, 0])
            for a, (i, ni) in enumerate(blocks) for (j, nj) in blocks[a:]]


def _assert_same(model, g, values: dict) -> None:
    C, free, names = _cartesian_from_cumulants(model, g.point, values)
    CG = _cartesian_from_gaussian(g, names, values)
    # the undetermined second cumulants are the spin-length (co)variances: as many as spin pairs
    radial = _radial_covariances(model, g.point, values, names, C)
    assert len(free) == len(radial)
    fix = sp.solve(radial, free, dict=True)
    assert len(fix) == 1 and set(fix[0]) == set(free)
    assert (C.subs(fix[0]) - CG).applyfunc(sp.simplify) == sp.zeros(*C.shape)
    # the Gaussian itself has zero radial variance, and is not the vacuum (the comparison is not trivial)
    assert all(sp.simplify(r) == 0 for r in _radial_covariances(model, g.point, values, names, CG))
    assert sp.simplify(g.covariance.subs(mf.parameter_values(model, values)) - sp.eye(g.covariance.shape[0])) != sp.zeros(*g.covariance.shape)


@pytest.mark.parametrize("omega", [sp.Rational(6, 5), sp.Rational(10, 13)])
def test_crf_order_two_linearised_is_the_gaussian(omega) -> None:
    m = an.models.crf()
    values = {"omega": omega, "kappa": 1}
    g = gaussian(m, crf_stable_branch())
    assert g.is_stable(values)
    _assert_same(m, g, values)


@pytest.mark.parametrize("phase, values", [
    ("AM", {"g": sp.Rational(5, 7), "Gamma_g": 3, "Gamma_l": sp.Rational(2, 3)}),
    ("FM_up", {"g": sp.Rational(7, 6), "Gamma_g": sp.Rational(5, 9), "Gamma_l": sp.Rational(2, 7)}),
])
def test_gain_loss_dimer_order_two_linearised_is_the_gaussian(phase, values) -> None:
    g = dimer_gaussian(phase)
    assert g.is_stable(values)
    _assert_same(g.model, g, values)


@functools.lru_cache(maxsize=None)
def _driven_dicke_order_two_covariance(c0: sp.Rational, Gamma: sp.Rational, gamma_s: sp.Rational, N: int) -> tuple:
    """Seed 004 at N atoms on the lower branch of cos_theta = c0 (Gamma = (N-1) gamma_c fixed): the order-2
    (collective reading) closure's steady state at mp.dps = 150, as (symmetrised Cartesian covariance C of
    S_x, S_y, S_z (3x3, not projected), mean spin <S>, the exact mean-field point {sx, sy, sz} and the exact
    parameter values {name: value} of this N)."""
    import mpmath

    from analytic.fluctuations.phases import COS_THETA, driven_dicke_curve

    m = an.models.driven_dicke()
    point, omega = driven_dicke_curve()
    eqs = cu.equations(m, 2, "collective")
    names = list(eqs.symbols)
    syms = [eqs.symbols[n] for n in names]
    Ns, gc, gs, Om = (m.symbol(k) for k in ("N", "gamma_c", "gamma_s", "Omega"))
    vals = {Ns: N, gc: sp.Rational(Gamma) / (N - 1), gs: gamma_s}
    vals[Om] = omega.subs(COS_THETA, c0).subs(vals)
    exact = {k: sp.radsimp(v.subs(COS_THETA, c0)) for k, v in point.items()}
    with mpmath.workdps(150):
        pt = {k: mpmath.mpf(str(sp.N(v, 160))) for k, v in exact.items()}
        first = {"Sp": mpmath.mpc(pt["sx"], pt["sy"]), "Sz": pt["sz"], "Sm": mpmath.mpc(pt["sx"], -pt["sy"])}
        start = [mpmath.fprod([first[p] for p in n.split("*")]) for n in names]
        ex = [e.xreplace(vals) for e in eqs.rhs.values()]
        f = mpmath_function(syms, ex)
        J = mpmath_function(syms, sp.Matrix(ex).jacobian(syms))
        sol = mpmath.findroot(lambda *y: f(*y), start, J=lambda *y: mpmath.matrix(J(*y)), tol=mpmath.mpf(10) ** -280)
        y = [sol[i] for i in range(len(names))]
        sub = m.subsystems[0]
        comps = {"x": sub.x, "y": sub.y, "z": sub.z}

        def avg(op) -> mpmath.mpf:
            value = mpmath_function(syms, eqs.average(op).xreplace(vals))(*y)
            assert abs(mpmath.im(value)) <= mpmath.mpf(10) ** -120 * N ** 2     # the averages are real
            return mpmath.re(value)

        mean = mpmath.matrix([avg(comps[a]) for a in "xyz"])
        C = mpmath.matrix(3, 3)
        for i, a in enumerate("xyz"):
            for j, b in enumerate("xyz"):
                C[i, j] = avg((comps[a] * comps[b] + comps[b] * comps[a]) * sp.Rational(1, 2)) - mean[i] * mean[j]
        return C, mean, exact, {str(k): v for k, v in vals.items()}


def _cartesian(g, size: sp.Expr, at: dict):
    r"""The Gaussian's covariance as the symmetrised Cartesian covariance of S_x, S_y, S_z (mpmath, 150 digits).
    gaussian() builds its quadratures as q = Lam B^T ds (ds: the fluctuation of the scaled variables
    s_a = S_a/size, B: the quadrature directions as columns, Lam = diag(q.scale)), so
    Cov(S) = size^2 Cov(ds) = size^2 B Lam^-1 V Lam^-1 B^T (every quadrature, the radial one included,
    with its own q.scale)."""
    import mpmath

    B = sp.Matrix([list(q.direction) for q in g.quadratures]).T
    Lam_inv = sp.diag(*[1 / q.scale for q in g.quadratures])
    CG = (size ** 2 * B * Lam_inv * g.covariance * Lam_inv * B.T).subs(at)
    assert not CG.free_symbols
    return mpmath.matrix([[mpmath.mpf(str(sp.N(CG[i, j], 160))) for j in range(3)] for i in range(3)])


_POINTS = [(sp.Rational(-9, 10), 20, 1), (sp.Rational(-7, 10), 13, sp.Rational(9, 10)),
           (sp.Rational(-83, 100), sp.Rational(173, 10), sp.Rational(11, 10))]


@pytest.mark.parametrize("c0, Gamma, gamma_s", _POINTS)
def test_driven_dicke_order_two_covariance_is_the_radial_gaussian_to_30_digits(c0, Gamma, gamma_s) -> None:
    r"""Acceptance 1 (seed 004): the full 3x3 symmetrised Cartesian covariance of S_x, S_y, S_z of the order-2
    (collective reading) closure's steady state equals the Gaussian of fluctuations.gaussian(radial=True) (the
    central-limit theory with the radial quadrature 'n': with individual decay |s| < 1 and the spin length
    fluctuates at the same order as the transverse components), entry by entry, up to O(1/N): relative
    differences <= 1e-12 at N = 10^12 and < 1e-30 at N = 10^32 (lower-branch points, Gamma = (N - 1) gamma_c and
    gamma_s fixed as N grows, the scaling of seed 004 eq. 2).  The Gaussian is evaluated at the exact
    mean-field point (algebraic numbers) and the exact parameters of each N, so its Lyapunov equation is a 3x3
    numeric one; its finite-N drift and diffusion (Gamma = (N-1) gamma_c) are compared as they are."""
    import mpmath

    m = an.models.driven_dicke()
    with mpmath.workdps(150):
        rel = {}
        for N in (10 ** 12, 10 ** 32):
            C, mean, point, vals = _driven_dicke_order_two_covariance(c0, Gamma, gamma_s, N)
            g = gaussian(m, point, radial=True, parameters=vals)
            assert [q.kind for q in g.quadratures] == ["x", "p", "n"]
            assert g.is_stable(vals)
            CG = _cartesian(g, m.subsystems[0].size, {m.symbol("N"): N})
            scale = max(abs(CG[i, j]) for i in range(3) for j in range(3))
            rel[N] = {}
            for i in range(3):
                for j in range(3):
                    if CG[i, j] == 0:        # x is out of the plane of the mean spin: C_xy = C_xz = 0 exactly
                        assert abs(C[i, j]) < mpmath.mpf(10) ** -100 * scale, (i, j, C[i, j])
                    else:
                        rel[N][i, j] = abs(C[i, j] - CG[i, j]) / abs(CG[i, j])
            assert sorted(rel[N]) == [(0, 0), (1, 1), (1, 2), (2, 1), (2, 2)]
            # the radial variance is there and is not small: n^T C n against the transverse in-plane variance
            n = mean / mpmath.norm(mean)
            assert (n.T * CG * n)[0, 0] > mpmath.mpf(10) ** -3 * scale
        assert all(x < 1e-10 for x in rel[10 ** 12].values()), rel
        assert all(x < 1e-30 for x in rel[10 ** 32].values()), rel
        # and the difference is one clean O(1/N) term: N * rel is the same number at both N (up to O(1/N))
        for e in rel[10 ** 12]:
            a, b = rel[10 ** 12][e] * 10 ** 12, rel[10 ** 32][e] * 10 ** 32
            assert abs(a - b) < 1e-9 * b, (e, a, b)


@pytest.mark.parametrize("c0, Gamma, gamma_s", _POINTS[:2])
def test_driven_dicke_transverse_gaussian_has_the_squeezed_quadrature_not_the_in_plane_one(c0, Gamma, gamma_s) -> None:
    """driven_dicke_gaussian() (radial=False, seed 004 eq. F4a; the source of the registered xi^2): the variance
    of the quadrature out of the plane of the mean spin (x, the squeezed one of seed 004 App. F, the one xi^2
    uses) equals the order-2 closure's up to O(1/N) (relative difference ~ 2/N: 30 digits at N = 10^32), but its
    in-plane transverse variance e_1^T C e_1 does not: leaving the radial quadrature out drops its coupling to
    e_1 through the drift (|s| < 1), a relative difference that does not fall with N (0.190 % at c0 = -0.9,
    7.98 % at -0.7, the same at N = 10^12 and 10^32); the radial Gaussian of the test above has it."""
    import mpmath

    from analytic.fluctuations.phases import COS_THETA, driven_dicke_gaussian

    m = an.models.driven_dicke()
    with mpmath.workdps(150):
        out, inplane = {}, {}
        for N in (10 ** 12, 10 ** 32):
            C, mean, point, vals = _driven_dicke_order_two_covariance(c0, Gamma, gamma_s, N)
            g = driven_dicke_gaussian()
            at = {COS_THETA: c0, **{m.symbol(k): v for k, v in vals.items() if k != "Omega"}}
            CG = _cartesian(g, m.subsystems[0].size, at)
            e1 = mpmath.matrix([mpmath.mpf(str(sp.N(sp.sympify(d).subs(at), 160))) for d in g.quadratures[0].direction])
            out[N] = abs(C[0, 0] - CG[0, 0]) / CG[0, 0]
            inplane[N] = abs((e1.T * C * e1)[0, 0] - (e1.T * CG * e1)[0, 0]) / (e1.T * CG * e1)[0, 0]
        assert abs(mean[0]) < mpmath.mpf(10) ** -100 * abs(mean[2])     # x is out of the plane of the mean spin
        assert 1e-14 < out[10 ** 12] < 1e-10, out                       # the O(1/N) correction is there
        assert out[10 ** 32] < 1e-30, out
        assert inplane[10 ** 32] > 1e-3, inplane                        # the radial coupling (see docstring)
        assert abs(inplane[10 ** 12] - inplane[10 ** 32]) < 1e-9 * inplane[10 ** 32], inplane   # not an O(1/N) term
