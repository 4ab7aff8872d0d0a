r"""Gaussian states of the catalogue's ordered phases (crf, driven_dicke, gain-loss dimer and chain) and their closed forms.
"""
from __future__ import annotations

from typing import Mapping

import sympy as sp

from .. import meanfield as mf
from .. import models
from ..branches import crf_stable_branch
from ..model import ModelError
from .gaussian import Gaussian, gaussian, vanishes_numerically
from .lyapunov import gaussian_negativity

__all__ = ["COS_THETA", "driven_dicke_curve", "driven_dicke_gaussian", "dimer_gaussian", "chain_gaussian",
           "crf_xi2", "driven_dicke_xi2", "dimer_purity", "dimer_negativity", "chain_correlation_length"]


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
    if not all(x == 0 or vanishes_numerically(x) for x in residual):
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
    n = gaussian_negativity(V, g.mode_rows("a"), g.mode_rows("b"))
    for _ in range(3):  # sqrt(p^2 q) -> p sqrt(q) for the positive factors, innermost roots first
        n = sp.factor(sp.simplify(n.replace(lambda e: e.is_Pow and e.exp == sp.S.Half,
                                            lambda e: sp.sqrt(sp.factor(e.base)))))
    return sp.factor(sp.simplify(n.subs(x, Gl - gp).subs(gp, sp.Abs(gs))))
