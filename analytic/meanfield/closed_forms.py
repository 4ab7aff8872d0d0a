r"""Fixed points in closed form with their conditions of existence, and the branches without one."""
from __future__ import annotations

import time
from typing import Any, Mapping, NoReturn, Sequence

import mpmath
import sympy as sp

from .. import timelimit
from ..model import Model, ModelError
from .flow import conserved_quantities, equations, variables
from .parameters import parameter_values
from .roots import fixed_points_numeric, roots_float64

__all__ = ["FixedPoint", "NumericBranch", "fixed_points", "reduced_system", "discriminant_boundary", "ROUTES",
           "STAGGER"]


class FixedPoint(dict):
    """A fixed point ``{variable name: Expr}`` with the conditions under which it is real.

    ``kind`` is ``'closed'`` for a closed form; a :class:`NumericBranch` (``kind == 'numeric'``)
    stands for fixed points that exist but have no closed form the engine could find."""

    kind = "closed"

    def __init__(self, values: Mapping, conditions: Sequence = (), label: str = ""):
        super().__init__(values)
        self.conditions = list(conditions)
        self.label = label

    def _by_symbol(self, values: Mapping) -> dict:
        table = {str(s): s for v in self.values() for s in sp.sympify(v).free_symbols}
        return {table.get(k, k) if isinstance(k, str) else k: v for k, v in values.items()}

    def subs(self, values: Mapping) -> dict[str, sp.Expr]:
        """The point for parameter values (keys: Symbols or their names)."""
        values = self._by_symbol(values)
        return {k: sp.sympify(v).subs(values) for k, v in self.items()}

    def exists(self, values: Mapping) -> bool:
        """Whether the point is real for the given parameter values (keys: Symbols or names)."""
        values = self._by_symbol(values)
        for k, v in self.items():
            num = sp.N(sp.sympify(v).subs(values))
            if not num.is_real:
                return False
        return True

    def __repr__(self):
        return f"FixedPoint({dict(self)}, conditions={self.conditions})"


class NumericBranch(FixedPoint):
    r"""Fixed points of ``model`` that the engine finds only numerically (``kind == 'numeric'``).

    :func:`fixed_points` returns one when its completeness check (real roots at random parameter
    points) finds fixed points that lie on none of the closed forms: a branch given by a
    polynomial of degree > 2, or a continuum of fixed points (then :meth:`at` returns a sample of
    it).  It holds no expressions: indexing it raises :class:`~analytic.model.ModelError`.
    :meth:`at` gives its points for numeric parameter values; ``samples`` are the
    ``(values, point)`` pairs the completeness check found (float64, residual < 1e-10), and
    ``skipped`` the reasons the symbolic route left branches out (they may have no real point
    at the samples: then ``samples`` is empty)."""

    kind = "numeric"

    def __init__(self, model: Model, eqs: Mapping, closed: Sequence, samples: Sequence, skipped: Sequence = ()):
        super().__init__({}, (), label="numeric")
        self.model, self.eqs, self.closed, self.samples = model, dict(eqs), list(closed), list(samples)
        self.skipped = list(skipped)

    def _refuse(self, what: str):
        raise ModelError(f"{what}: this is a numeric branch of {self.model.name!r} (fixed points with no closed "
                         "form); evaluate it with .at(values), or use fixed_points_numeric()")

    def __getitem__(self, key):
        self._refuse(f"fixed point [{key!r}]")

    def get(self, key: str, default: Any = None) -> NoReturn:
        self._refuse(f"fixed point .get({key!r})")

    def subs(self, values: Mapping) -> NoReturn:
        self._refuse("FixedPoint.subs")

    def at(self, values: Mapping, *, dps: int = 15, starts: int = 60, seed: int = 0) -> list[dict[str, mpmath.mpf]]:
        """The fixed points at numeric parameter ``values`` that lie on no closed-form branch:
        :func:`fixed_points_numeric` (residual checked to ``10**-(dps-5)``) minus the values of
        the closed forms, compared to ``10**-(dps//2)``."""
        vals = parameter_values(self.model, values)
        found = fixed_points_numeric(self.model, vals, eqs=self.eqs, dps=dps, starts=starts, seed=seed)
        tol = 10.0 ** -(dps // 2)
        exact = [{k: complex(sp.N(sp.sympify(v).subs(vals), dps)) for k, v in p.items()} for p in self.closed]
        return [q for q in found
                if not any(all(abs(e[k] - complex(q[k])) < tol for k in e) for e in exact)]

    def exists(self, values: Mapping) -> bool:
        """Whether the branch has a real fixed point at ``values`` (found numerically)."""
        return bool(self.at(values))

    def __reduce__(self):
        return (NumericBranch, (self.model, self.eqs, self.closed, self.samples, self.skipped))

    def __repr__(self):
        return (f"NumericBranch({self.model.name!r}: fixed points with no closed form, found numerically at "
                f"{len(self.samples)} sample point(s), left out: {self.skipped}; evaluate with .at(values))")


def _sqrt_conditions(expr: sp.Expr) -> set:
    conds = set()
    for p in sp.preorder_traversal(expr):
        if isinstance(p, sp.Pow) and p.exp.is_Rational and p.exp.q == 2:
            conds.add(p.base)
    return conds


#: the routes to closed forms, raced in parallel child processes (:func:`analytic.timelimit.race`)
ROUTES = ("solve", "groebner")
#: seconds after which the second route starts when the first has not finished
STAGGER = 4.0


def fixed_points(model: Model, eqs: Mapping | None = None, *, spin_length: sp.Expr = 1,
                 max_ops: int = 400, timeout: float | None = 60, verify: int = 3,
                 **eq_options: Any) -> list[FixedPoint]:
    r"""Fixed points in closed form, each with its conditions of existence, and the branches
    without a closed form as :class:`NumericBranch` entries.

    Spins whose length the flow conserves (:func:`conserved_quantities`) are put on the sphere
    of radius ``spin_length`` (the maximal length 1 of a pure collective state).  Mode
    variables whose equations are linear with constant coefficients (a driven, damped cavity)
    are eliminated first, as one would by hand.  Two routes (``ROUTES``, one child process
    each): SymPy's ``solve``, and after ``STAGGER`` seconds, concurrently, a lex Groebner basis
    solved factor by factor (factors of degree <= 2 in closed form, the others skipped).  The
    first complete route in that order is kept (so the forms returned do not depend on which
    child is faster), else the one that leaves the fewest points to the numeric branch.

    Completeness: SymPy's ``solve`` can silently drop branches of parametric polynomial
    systems.  With ``verify=k`` (default 3) the closed forms are checked at k random parameter
    points against the real fixed points found numerically from 60 random starts (float64,
    Powell's dogleg, residual < 1e-10).  Fixed points found there on no closed form are returned as
    one :class:`NumericBranch` (``kind == 'numeric'``, last in the list; ``.at(values)`` gives
    its points); so is a route's report of branches it left out (degree > 2, a continuum), even
    when they had no real point at the samples.  When no fixed point has a closed form at all
    (or no route came back within the limit), the list is that one NumericBranch, whose
    ``skipped`` says why (:func:`reduced_system` gives the eliminated polynomial).  ``verify=0``
    skips the check: the closed forms alone, possibly incomplete.

    Time limit: ``timeout`` seconds (None: none) for the whole call, honoured from any thread
    (measured: within 0.1 s plus the preparation's last C call); the routes run in child
    processes killed at the deadline (:func:`analytic.timelimit.race`), so no signal handler or
    timer of the caller is touched.  When no route came back in time, one NumericBranch whose
    ``skipped`` reads "no closed form ... within ... s" (not kept: a longer limit may find closed
    forms); when one came back incomplete, its closed forms and a numeric branch.  When the
    limit runs out before the mean-field equations are derived,
    :class:`~analytic.timelimit.TimeLimitExceeded` (a ModelError, "no closed form ... within ... s").  A non-positive ``timeout`` is refused with a ModelError naming it.  The
    result is kept on the model (``model.derived``): a second call with the same equations and
    options returns it at once (the child processes cannot warm SymPy's cache of the caller).
    """
    timeout = timelimit.check_seconds(timeout, "timeout")
    if isinstance(verify, bool) or not isinstance(verify, int) or verify < 0:
        raise ModelError(f"fixed_points: verify must be a non-negative integer (samples), got {verify!r}")
    start = time.monotonic()
    message = (f"fixed_points: no closed form for {model.name!r} within {timeout:g} s; "
               "use reduced_system() and fixed_points_numeric()") if timeout else ""
    with timelimit.limit(timeout, message):  # the preparation, in this thread
        eqs = equations(model, **eq_options) if eqs is None else eqs
        key = (tuple(eqs.items()), sp.sympify(spin_length), max_ops, verify)
        cache = model.derived.setdefault("_fixed_points", {})
        if key in cache:  # the child process cannot warm SymPy's cache of the caller: keep the result
            return list(cache[key])
        var = variables(model)
        cons = conserved_quantities(model, eqs)
        eliminated = _linear_elimination(model, eqs, var)
        rest = {k: sp.expand(e.subs(eliminated)) for k, e in eqs.items() if var[k] not in eliminated}
        unknowns = [v for v in var.values() if v not in eliminated]
        system = [sp.numer(sp.together(e)) for e in rest.values()] + [C - spin_length ** 2 for C in cons]
        if verify:
            import numpy  # noqa: F401 - imported once here, not in every child
    left = None if timeout is None else timeout - (time.monotonic() - start)
    timed_out = f"no closed form for {model.name!r} within {timeout:g} s (the time limit)" if timeout else ""
    if left is not None and left <= 0:
        return [NumericBranch(model, eqs, [], [], [timed_out])]  # not cached: a longer limit may find more
    args = (model, eqs, var, eliminated, system, unknowns, max_ops, verify, spin_length)
    outcomes = timelimit.race([(_attempt, (route,) + args) for route in ROUTES], seconds=left, message=message,
                              done=lambda result: not (result[1] or result[2]), stagger=STAGGER)
    attempts = [(i,) + r for i, status, r in outcomes if status == "ok"]
    failures = [r for _, status, r in outcomes if status == "error"]
    if not attempts:
        if len(failures) < len(ROUTES):
            return [NumericBranch(model, eqs, [], [], [timed_out])]  # not cached, as above
        for exc in failures:
            if not isinstance(exc, (ModelError, NotImplementedError, sp.PolynomialError)):
                raise exc
        closed, missing, skipped = [], [], [f"no closed form for {model.name!r} ({failures[0]})"]
    else:
        _, closed, missing, skipped = min(attempts, key=lambda a: (len(a[2]), bool(a[3]), a[0]))
    if not closed and not (skipped and skipped[0].startswith("no closed form")):
        skipped = [f"no closed form for {model.name!r}"
                   + (": the fixed points found numerically lie on no closed-form branch" if missing else "")] + list(skipped)
    if missing or skipped:
        closed = closed + [NumericBranch(model, eqs, closed, missing, list(dict.fromkeys(skipped)))]
    cache[key] = closed
    return list(closed)


def _attempt(route: str, model: Model, eqs: Mapping, var: Mapping, eliminated: Mapping, system: list,
             unknowns: list, max_ops: int, verify: int, spin_length) -> tuple:
    """One route to the closed forms (run in the time-limited child process): the list of
    closed-form :class:`FixedPoint`, the ``(values, point)`` pairs found numerically on none,
    and the reasons for the branches the route left out (a factor of degree > 2, a continuum,
    no compact form)."""
    skipped: list = []
    if route == "solve":
        sols = sp.solve(system, unknowns, dict=True)
    else:
        sols = _solve_triangular(system, unknowns, skipped)
    closed = _closed_forms(model, var, eliminated, sols, max_ops, skipped)
    missing = _verify_complete(model, eqs, closed, verify, spin_length) if verify else []
    return closed, missing, skipped


def _closed_forms(model: Model, var: Mapping, eliminated: Mapping, sols: list, max_ops: int,
                  skipped: list) -> list:
    """The solutions as :class:`FixedPoint` with their conditions; solutions with a free variable
    (a continuum) or without a compact form (more than ``max_ops`` operations, ``CRootOf``) are
    left out, with the reason appended to ``skipped``."""
    unknowns = [v for v in var.values() if v not in eliminated]
    out = []
    for sol in sols:
        if any(v not in sol for v in unknowns):
            skipped.append(f"a continuum of fixed points (free: {[str(v) for v in unknowns if v not in sol]})")
            continue
        full = {**{v: e.subs(sol) for v, e in eliminated.items()}, **sol}
        values = {k: sp.simplify(full[v]) for k, v in var.items()}
        if any(sp.count_ops(v) > max_ops or v.has(sp.CRootOf) for v in values.values()):
            skipped.append(f"a branch with no compact closed form (more than max_ops = {max_ops} operations)")
            continue
        conds = set()
        for v in values.values():
            conds |= _sqrt_conditions(v)
        conditions = {c for c in (sp.simplify(b) >= 0 for b in conds) if c is not sp.true}
        out.append(FixedPoint(values, sorted(conditions, key=str)))
    return out


def _solve_triangular(system: list, unknowns: list, skipped: list) -> list:
    """Solve a polynomial system through its lex Groebner basis: roots of the univariate
    element, then back-substitution variable by variable.  Factors of degree > 2 and
    variables left free (a continuum) are skipped, with the reason appended to ``skipped``:
    the branches through them are not returned."""
    G = sp.groebner(system, *unknowns, order="lex")
    if list(G.exprs) == [1]:
        return []
    polys = [sp.expand(g) for g in G.exprs]
    U = set(unknowns)

    def solve_for(idx: int, assign: dict) -> list:
        if idx < 0:
            return [dict(assign)]
        v = unknowns[idx]
        later = set(unknowns[idx:])
        cands = []
        for p in polys:
            if (p.free_symbols & U) <= later and p.has(v):
                q = sp.expand(p.subs(assign))
                if q != 0 and sp.simplify(q) != 0:
                    cands.append(sp.collect(q, v, sp.simplify))
        if not cands:
            skipped.append(f"a continuum of fixed points ({v} free)")
            return []
        base = min(cands, key=lambda q: sp.degree(q, v))
        if sp.Poly(base, v).degree() <= 2:
            roots = sp.solve(base, v)
        else:
            try:
                factors = sp.factor_list(base, v)[1]
            except sp.PolynomialError:
                skipped.append(f"a branch where {v} solves {base} = 0")
                return []
            skipped.extend(f"a branch where {v} solves a factor of degree {sp.degree(f, v)}"
                           for f, _ in factors if sp.degree(f, v) > 2)
            roots = [r for f, _ in factors if sp.degree(f, v) <= 2 for r in sp.solve(f, v)]
        out = []
        for r in roots:
            r = sp.simplify(r)
            if all(sp.simplify(q.subs(v, r)) == 0 for q in cands):
                out += solve_for(idx - 1, {**assign, v: r})
        return out

    return solve_for(len(unknowns) - 1, {})


def _verify_complete(model: Model, eqs: Mapping, points: list, samples: int, spin_length) -> list:
    """Compare closed-form fixed points with numerically found ones at ``samples`` random
    parameter points; returns the ``(values, point)`` pairs found numerically on no closed form
    (a point matches when every coordinate agrees to 1e-6)."""
    if spin_length != 1:
        return []
    import random

    rng = random.Random(12345)
    var = variables(model)
    params = sorted({s for e in eqs.values() for s in e.free_symbols} - set(var.values()), key=str)
    missing = []
    for _ in range(samples):
        vals = {p: sp.Rational(rng.randint(2, 30), 10) * (1 if p.is_positive or rng.random() < 0.5 else -1)
                for p in params}
        numeric = roots_float64(model, eqs, vals, starts=60, seed=rng.randint(0, 2**31))
        exact = [{k: complex(sp.N(sp.sympify(v).subs(vals), 20)) for k, v in p.items()} for p in points]
        for q in numeric:
            if not any(all(abs(e[k] - q[k]) < 1e-6 for k in e) for e in exact):
                missing.append((vals, {k: sp.Float(q[k], 15) for k in var}))
    return missing


def _linear_elimination(model: Model, eqs: Mapping, var: Mapping) -> dict:
    """Solve the mode equations for the mode variables when they are linear in them with
    coefficients free of every variable; returns ``{Symbol: Expr}`` (empty if not applicable)."""
    mode_names = [k for k in var if k.startswith(("ar", "ai"))]
    if not mode_names:
        return {}
    mvars = [var[k] for k in mode_names]
    allv = set(var.values())
    for k in mode_names:
        poly = sp.Poly(eqs[k], *mvars)
        if poly.total_degree() > 1:
            return {}
        for monom, coeff in poly.terms():
            if sum(monom) == 1 and coeff.free_symbols & allv:
                return {}
    sol = sp.solve([eqs[k] for k in mode_names], mvars, dict=True)
    return {v: sp.simplify(e) for v, e in sol[0].items()} if len(sol) == 1 else {}


def reduced_system(model: Model, variable: str, eqs: Mapping | None = None, **eq_options: Any) -> sp.Expr:
    r"""Eliminate all variables but ``variable`` from the fixed-point equations (lex Groebner
    basis; conserved spin lengths set to 1) and return the univariate polynomial, factored.

    For seed 004 (``driven_dicke``) and ``variable='sz'`` this is the cubic of eq. (2).
    """
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    if variable not in var:
        raise ModelError(f"reduced_system: unknown variable {variable!r}; variables are {list(var)}")
    others = [v for k, v in var.items() if k != variable]
    cons = conserved_quantities(model, eqs)
    system = [sp.numer(sp.together(e)) for e in eqs.values()] + [C - 1 for C in cons]
    G = sp.groebner(system, *others, var[variable], order="lex")
    uni = [g for g in G.exprs if g.free_symbols & set(var.values()) == {var[variable]}]
    if not uni:
        raise ModelError(f"reduced_system: no univariate polynomial in {variable} (continuum of fixed points?)")
    return sp.factor(uni[-1])


def discriminant_boundary(poly: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """The discriminant of a polynomial in ``variable``: its zero set bounds the region with
    several real roots (e.g. the bistability window, seed 004 eq. B5)."""
    return sp.factor(sp.discriminant(sp.Poly(sp.expand(poly), variable)))
