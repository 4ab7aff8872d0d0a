r"""The registry of exported closed forms.

Every result is registered under ``<model>.<method>.<quantity>`` with a *builder* that derives
the SymPy expression from the model through the engine (never typed in), its arguments, its
source, its domain and its *check*: how the test suite confirms it against an independent
numeric computation.  :func:`get` returns a lambdified function (``backend='numpy'`` or
``'mpmath'``).

Check kinds (run by ``tests/test_formula_checks.py``):

* ``Check('steady_state', ...)``: the exact finite-size steady state of the numeric solver
  converges to the formula as the size grows, with an error :math:`\propto S^{-p}`; ``order``
  is the fitted p (asymptotic check).
* ``Check('ode', ...)``: the long-time limit of the mean-field ODE (integrated numerically
  from random starts) equals the formula (exact to integration tolerance).
* ``Check('linear_stability', ...)``: a finite-difference Jacobian of the numerically
  evaluated equations changes stability exactly at the formula.
* ``Check('root_count', ...)``: the number of physical fixed points found numerically
  changes exactly at the formula.

Example:
    >>> import analytic as an
    >>> f = an.formulas.get('crf.meanfield.sz')
    >>> round(float(f(1.0, 1.0)), 12)    # omega = 1, kappa = 1: -sqrt(1 - 1/4)
    -0.866025403784
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Mapping

import sympy as sp

from . import meanfield as mf
from . import models
from .model import ModelError

__all__ = ["Check", "Formula", "register", "get", "formula", "names"]


@dataclass(frozen=True)
class Check:
    """How the test suite verifies a formula against numerics.

    Attributes:
        kind: ``'steady_state'``, ``'ode'``, ``'linear_stability'`` or ``'root_count'``.
        points: parameter points ``{arg: value}`` where the check is run.
        order: for asymptotic checks, the fitted order p of the error ~ S^-p (None if exact).
        observable: for steady-state checks, the operator string and its scaling.
        sizes: sizes (S or N) of the convergence study.
        tol: tolerance of an exact check, or of the fitted order.
    """

    kind: str
    points: tuple = ()
    order: float | None = None
    observable: str = ""
    sizes: tuple = ()
    tol: float = 1e-8


@dataclass
class Formula:
    """A registered result; ``expr`` is derived on first use."""

    name: str
    builder: Callable[[], sp.Expr]
    args: tuple
    source: str
    domain: str
    check: Check
    evaluator: Callable | None = None
    _expr: sp.Expr | None = field(default=None, repr=False)

    @property
    def expr(self) -> sp.Expr:
        if self._expr is None:
            self._expr = self.builder()
        return self._expr

    @property
    def model(self) -> str:
        return self.name.split(".")[0]

    def symbols(self) -> list:
        table = {str(s): s for s in self.expr.free_symbols}
        extra = sorted(set(table) - set(self.args))
        if extra:
            raise ModelError(f"formula {self.name!r} depends on {extra} which are not among its arguments {self.args}")
        return [table.get(a, sp.Symbol(a)) for a in self.args]

    def function(self, backend: str = "numpy") -> Callable:
        """Lambdified function of ``self.args`` (positional).  A formula registered with an
        ``evaluator`` (a finite sum evaluated by term ratios, e.g. :mod:`analytic.exact`) returns
        ``evaluator(backend)`` instead of lambdifying ``expr``."""
        if backend not in ("numpy", "mpmath"):
            raise ModelError(f"backend must be 'numpy' or 'mpmath', got {backend!r}")
        if self.evaluator is not None:
            return self.evaluator(backend)
        return sp.lambdify(self.symbols(), self.expr, modules=backend, cse=False)


_REGISTRY: dict = {}


def register(name: str, *, builder: Callable, args: tuple, source: str, domain: str, check: Check,
             evaluator: Callable | None = None) -> Formula:
    """Register a formula; ``name`` must be ``<model>.<method>.<quantity>``.  ``evaluator``
    (optional): ``evaluator(backend) -> callable`` used by :meth:`Formula.function` instead of
    lambdifying ``expr`` (for finite sums evaluated by term ratios)."""
    if name.count(".") != 2:
        raise ModelError(f"formula name must be '<model>.<method>.<quantity>', got {name!r}")
    if name in _REGISTRY:
        raise ModelError(f"formula {name!r} is already registered")
    f = Formula(name, builder, tuple(args), source, domain, check, evaluator)
    _REGISTRY[name] = f
    return f


def formula(name: str) -> Formula:
    """The :class:`Formula` record of a name."""
    if name not in _REGISTRY:
        raise ModelError(f"unknown formula {name!r}; known: {names()}")
    return _REGISTRY[name]


def get(name: str, backend: str = "numpy") -> Callable:
    """A lambdified function for a registered formula (arguments in ``formula(name).args`` order)."""
    return formula(name).function(backend)


def names() -> list:
    """All registered formula names."""
    return sorted(_REGISTRY)


# --------------------------------------------------------------------------- derivations
def _select(model, points: list, test_values: Mapping, predicate) -> mf.FixedPoint:
    """The fixed point that is real and satisfies ``predicate`` at ``test_values``."""
    vals = mf._values(model, test_values)
    chosen = [p for p in points if p.exists(vals) and predicate(p, vals)]
    if len(chosen) != 1:
        raise ModelError(f"{model.name}: expected one fixed point to select, found {len(chosen)}")
    return chosen[0]


@functools.lru_cache(maxsize=None)  # shared by several formulas: derived once per process
def _crf_stable_branch():
    m = models.crf()
    fps = mf.fixed_points(m)
    test = {"omega": 1, "kappa": 1}
    return _select(m, fps, test, lambda p, v: mf.stability(m, p, test).kind == "stable")


@functools.lru_cache(maxsize=None)
def _lmg_broken_branch():
    m = models.lmg()
    eqs = mf.equations(m, thermodynamic_limit=True)
    fps = mf.fixed_points(m, eqs)
    test = {"V": 1, "gamma_I": sp.Rational(1, 2), "gamma_C": sp.Rational(1, 2)}
    return _select(m, fps, test, lambda p, v: float(p["sx"].subs(v)) > 0)


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


def _open_dicke_critical() -> sp.Expr:
    r"""Critical coupling of the balanced open Dicke model (:math:`g_+ = g_- = g`): where a real
    eigenvalue of the tangent Jacobian at the normal state (spin down, empty cavity) crosses 0."""
    m = models.open_dicke()
    g = sp.Symbol("g", positive=True)
    eqs = {k: v.subs({m.symbol("g_plus"): g, m.symbol("g_minus"): g}) for k, v in mf.equations(m).items()}
    normal = {"sx": 0, "sy": 0, "sz": -1, "ar": 0, "ai": 0}
    det = sp.factor(mf.tangent_jacobian(m, normal, eqs).det())
    sols = [s for s in sp.solve(det, g) if s.is_positive is not False]
    if len(sols) != 1:
        raise ModelError(f"open_dicke critical coupling: expected one positive root, found {sols}")
    return sp.simplify(sols[0])


register(
    "crf.meanfield.sz",
    builder=lambda: _crf_stable_branch()["sz"],
    args=("omega", "kappa"),
    source="seed 000 eq. (14), stable branch (derived here)",
    domain="lambda = omega/(2 kappa) <= 1",
    check=Check("steady_state", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 0.6, "kappa": 1.0}),
                order=1.0, observable="Sz/S", sizes=(16, 32, 64, 128), tol=0.05),
)
register(
    "crf.meanfield.sy",
    builder=lambda: _crf_stable_branch()["sy"],
    args=("omega", "kappa"),
    source="seed 000 eq. (14), stable branch (derived here)",
    domain="lambda = omega/(2 kappa) <= 1",
    check=Check("ode", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 1.8, "kappa": 1.0})),
)
register(
    "crf.meanfield.relaxation_rate",
    builder=lambda: sp.simplify(-mf.eigenvalues(models.crf(), _crf_stable_branch())[0]),
    args=("omega", "kappa"),
    source="seed 000 eq. (19) (printed there as 2 kappa sqrt(1 - lambda); the engine finds 2 kappa sqrt(1 - lambda^2))",
    domain="lambda <= 1",
    check=Check("linear_stability", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 1.5, "kappa": 0.8})),
)
register(
    "lmg.meanfield.x",
    builder=lambda: _lmg_broken_branch()["sx"],
    args=("V", "gamma_I", "gamma_C"),
    source="seed 001 below eq. (10): X = sgn(V) Y = sqrt(gamma_I (2|V| - gamma_I - gamma_C))/(2|V| - gamma_C)",
    domain="V > 0, gamma_I > 0, gamma_I + gamma_C < 2V (broken-symmetry branch with X > 0)",
    check=Check("ode", points=({"V": 1.0, "gamma_I": 0.5, "gamma_C": 0.5}, {"V": 1.0, "gamma_I": 0.3, "gamma_C": 1.2})),
)
register(
    "lmg.meanfield.z",
    builder=lambda: _lmg_broken_branch()["sz"],
    args=("V", "gamma_I", "gamma_C"),
    source="seed 001 below eq. (10): Z = -gamma_I/(2|V| - gamma_C)",
    domain="V > 0, gamma_I > 0, gamma_I + gamma_C < 2V",
    check=Check("ode", points=({"V": 1.0, "gamma_I": 0.5, "gamma_C": 0.5}, {"V": 1.0, "gamma_I": 0.3, "gamma_C": 1.2})),
)
register(
    "driven_dicke.meanfield.bistability",
    builder=_driven_dicke_window,
    args=("gamma", "Gamma"),
    source="seed 004 eq. (B5), from the discriminant of the cubic (2) derived here",
    domain="Gamma > 8 gamma; returns (lower, upper) edges of the window in Omega/Omega_c, Omega_c = Gamma/4",
    check=Check("root_count", points=({"gamma": 1.0, "Gamma": 20.0}, {"gamma": 1.0, "Gamma": 40.0})),
)
register(
    "open_dicke.meanfield.critical_coupling",
    builder=_open_dicke_critical,
    args=("omega_a", "omega_c", "kappa"),
    source="seed 003 below eq. (5) (printed as 2 g_bar < sqrt(omega_a(omega_c^2 + kappa^2))/omega_c; derived here "
           "in our convention: g_c = sqrt(omega_a (omega_c^2 + kappa^2)/omega_c)/2 for g_+ = g_- = g)",
    domain="balanced model g_+ = g_- = g; cavity loss rate 2 kappa in our convention",
    check=Check("linear_stability", points=({"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5},
                                            {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0})),
)
