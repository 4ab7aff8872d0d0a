"""Register the driven_dicke formulas (seed 004): bistability window, totally mixed state, Gaussian squeezing.

The builders are derivations of :mod:`analytic.meanfield`, :mod:`analytic.exact` and
:mod:`analytic.fluctuations`; this module gives each one its name, arguments, source, domain (in
words and as a predicate, here partly derived: the stability of the fixed point) and check.
"""
from __future__ import annotations

import sympy as sp

from .. import cumulant_values as cv
from .. import exact as ex
from .. import fluctuations as fl
from .. import meanfield as mf
from .. import models
from ..model import ModelError
from .registry import Check, register, vectorized


# --------------------------------------------------------------------------- mean field (seed 004 eq. B5)
def _driven_dicke_window() -> sp.Expr:
    r"""Bistability window of seed 004 (B5) from the discriminant of the derived cubic, in
    :math:`\Omega/\Omega_c` as a function of :math:`\gamma = \gamma_s + \gamma_c` and
    :math:`\Gamma = (N-1)\gamma_c`."""
    m = models.driven_dicke()
    sz = mf.variables(m)["sz"]
    cubic = mf.reduced_system(m, "sz")
    gamma, Gamma, x = sp.symbols("gamma Gamma x", positive=True)  # x = Omega/Omega_c
    N, gc, gs, Om = (m.symbol(n) for n in ("N", "gamma_c", "gamma_s", "Omega"))
    cubic = sp.factor(cubic.subs({gs: gamma - gc, N: Gamma / gc + 1}).subs(Om, x * Gamma / 4))
    disc = mf.discriminant_boundary(sp.numer(sp.together(cubic)), sz)
    roots = sp.solve(disc, x)
    roots = sorted({sp.simplify(r) for r in roots if r.is_positive is not False},
                   key=lambda r: float(r.subs({gamma: 1, Gamma: 20})))
    if len(roots) != 2:
        raise ModelError(f"driven_dicke bistability: expected two window edges, found {roots}")
    return sp.Tuple(*roots)


def _driven_dicke_window_values(point: dict, x: float) -> dict:
    r"""driven_dicke's parameters at a point ``(gamma, Gamma)`` of the bistability check, with the drive
    :math:`\Omega = x\,\Omega_c`, :math:`\Omega_c = \Gamma/4` (``x``: a multiple of a window edge).

    The window depends on N only through :math:`\Gamma = (N - 1)\gamma_c` and
    :math:`\gamma = \gamma_s + \gamma_c`, so any N > 1 with :math:`\gamma_s > 0` tests it; N = 101
    gives :math:`\gamma_c = \Gamma/100`, below :math:`\gamma` at the check points (Gamma = 20, 40 with
    gamma = 1), so that :math:`\gamma_s = \gamma - \gamma_c > 0`."""
    N = 101
    gc = point["Gamma"] / (N - 1)
    return {"N": N, "gamma_c": gc, "gamma_s": point["gamma"] - gc, "Omega": x * (point["Gamma"] / 4)}


register(
    "driven_dicke.meanfield.bistability",
    builder=_driven_dicke_window,
    args=("gamma", "Gamma"),
    source="seed 004 eq. (B5), from the discriminant of the cubic (2) derived here",
    domain="gamma >= 0, Gamma > 8 gamma (the window closes at Gamma = 8 gamma, where the inner root "
           "sqrt((Gamma - 8 gamma)^3) vanishes; gamma = 0 is the limit Gamma >> gamma of eq. (3)); returns "
           "(lower, upper) edges of the window in Omega/Omega_c, Omega_c = Gamma/4",
    where=[sp.Symbol("gamma") >= 0, ("window open: Gamma > 8 gamma", sp.Symbol("Gamma") > 8 * sp.Symbol("gamma"))],
    check=Check("root_count", points=({"gamma": 1.0, "Gamma": 20.0}, {"gamma": 1.0, "Gamma": 40.0}),
                model_values=_driven_dicke_window_values),
)

# --------------------------------------------------------------------------- totally mixed state (seed 004 App. D)
_N = sp.Symbol("N")
register(
    "driven_dicke.exact.mixed_g2", builder=ex.mixed_g2_expr, args=("N",),
    source="seed 004 Appendix D, eqs. (D1)-(D3e): g2 = 2(1 - 1/N)",
    domain="totally mixed state 1/2^N of N = 1, 2, 3, ... two-level atoms (the steady state of driven_dicke "
           "under strong drive, seed 004 App. D)",
    where=[("N an integer", sp.Eq(_N - sp.floor(_N), 0)), _N >= 1],
    check=Check("mixed_exact", points=({"N": 1}, {"N": 2}, {"N": 5}, {"N": 8}), tol=0.0),
    evaluator=lambda backend: vectorized(ex.mixed_g2_scalar, backend, 1),
)


# --------------------------------------------------------------------------- Gaussian fluctuations (seed 004 App. F)
def _driven_dicke_domain() -> list:
    r"""Where :func:`analytic.fluctuations.driven_dicke_xi2` holds: :math:`c = \cos\theta\in(-1, 0)`,
    N > 1, rates > 0 (the domain on which the squeezed quadrature was decided), the mean-field fixed
    point of :func:`analytic.fluctuations.driven_dicke_curve` stable (Routh-Hurwitz conditions of the
    engine's Jacobian there, derived here: this excludes the middle branch of the bistable window) and
    the transverse Gaussian state existing (its drift Hurwitz, :attr:`analytic.fluctuations.Gaussian.conditions`)."""
    m = models.driven_dicke()
    point, omega = fl.driven_dicke_curve()
    eqs = mf.equations(m, factorization="individual")
    J = mf.jacobian(m, point, eqs).subs(m.symbol("Omega"), omega)
    c = fl.COS_THETA
    root = sp.sqrt(1 - c) * sp.sqrt(1 + c)
    tidy = lambda e: sp.factor(sp.cancel(sp.expand(e.subs(root, sp.sqrt(1 - c ** 2)))))  # noqa: E731
    J = J.applyfunc(tidy)
    cos_theta, N, gc, gs = sp.symbols("cos_theta N gamma_c gamma_s")
    out = [cos_theta > -1, cos_theta < 0, N > 1, gc > 0, gs > 0]
    # evaluate=False: a condition SymPy proves from the symbols' assumptions stays in the list
    rh = [h for comp in J.strongly_connected_components()  # J is block diagonal: sx decouples
          for h in fl.hurwitz_conditions(J.extract(comp, comp))]
    out += [(f"mean-field fixed point stable (Routh-Hurwitz condition {i + 1} of {len(rh)})", sp.Gt(h, 0, evaluate=False))
            for i, h in enumerate(rh)]
    gc_ = fl.driven_dicke_gaussian().conditions
    out += [(f"Gaussian state exists (drift Hurwitz condition {i + 1} of {len(gc_)})", sp.Gt(tidy(h), 0, evaluate=False))
            for i, h in enumerate(gc_)]
    return out


register(
    "driven_dicke.hp.xi2",
    builder=fl.driven_dicke_xi2,
    args=("cos_theta", "N", "gamma_c", "gamma_s"),
    source="seed 004 App. F (F7), (F10), (F11), derived here: the drift is (F7); the diffusion of the "
           "individual decay is the engine's, not (F12b)'s vacuum noise, and xi^2 carries the 1/|s| that (F10) omits",
    domain="lower branch (seed 004 App. F), cos_theta = s_z/|s| in (-1, 0) of the mean-field steady state, "
           "drive Omega(cos_theta) of analytic.fluctuations.driven_dicke_curve; N > 1, gamma_c, gamma_s > 0; "
           "where that fixed point is stable (not the middle branch of the bistable window) and the Gaussian state exists",
    where=_driven_dicke_domain,
    check=Check("hp_squeezing_driven", points=({"cos_theta": -0.9, "N": 41, "gamma_c": 0.25, "gamma_s": 1.0},
                                               {"cos_theta": -0.62, "N": 41, "gamma_c": 0.025, "gamma_s": 1.0}),
                order=1.0, sizes=(20, 40, 60), tol=0.15),
)


# --------------------------------------------------------------------------- cumulant expansion, order 2 (issue 19)
def _order_two_domain() -> list:
    x, N, gc, gs = sp.symbols("x N gamma_c gamma_s")
    return [x > 0, ("below the first-order transition (measured up to x = 1/2)", x <= sp.Rational(1, 2)),
            N >= 10, gs > 0, ("collective decay dominant: gamma_c >= 9 gamma_s (measured at 10)", gc >= 9 * gs)]


def _order_two(quantity: str, what: str, observable: str) -> dict:
    """The registration of one order-2 steady-state quantity (all but its name)."""
    return dict(
        builder=cv.order_two_system,
        args=("x", "N", "gamma_c", "gamma_s"),
        source="seed 004 eq. (1), derived here: the order-2 cumulant expansion of the collective moments "
               "(analytic.cumulants, issue 19), Omega = x Omega_c, Omega_c = (N - 1) gamma_c / 4 (eq. 3); "
               f"{what} of its steady state on the lower (collective) branch",
        domain="lower branch below the first-order transition: 0 < x <= 1/2; N >= 10; gamma_c >= 9 gamma_s > 0 "
               "(measured at gamma_c = 10 gamma_s, the regime where the order-2 error falls as N^-2; near x = 0.61 "
               "the exact state is bimodal and the closure fails)",
        where=_order_two_domain,
        # a point's N (evaluated by the registry's tests) is replaced by check.sizes in the check
        check=Check("closure", points=({"x": 0.3, "N": 40, "gamma_c": 1.0, "gamma_s": 0.1},
                                       {"x": 0.5, "N": 40, "gamma_c": 1.0, "gamma_s": 0.1}),
                    order=2.0, sizes=(10, 20, 40), tol=0.35, observable=observable),
        evaluator=lambda backend: vectorized(
            lambda x, N, gc, gs, dps=None: cv.driven_dicke_order_two(quantity, x, N, gc, gs, dps), backend, 4),
    )


register("driven_dicke.cumulants.sz", **_order_two("sz", "<Sz>/(N/2)", "Sz/(N/2)"))
register("driven_dicke.cumulants.xi2", **_order_two("xi2", "Wineland xi^2", "xi2"))
