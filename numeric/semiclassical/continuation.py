r"""Numerical continuation of mean-field fixed points in one parameter.

The flow :math:`\dot x = f(x; p)` is the one :mod:`analytic.meanfield` derives for a model;
this module lambdifies the engine's equations, their Jacobian and :math:`\partial f/\partial p`
(never re-typing them) and follows a branch of fixed points with pseudo-arclength
continuation (Keller; e.g. Kuznetsov, *Elements of Applied Bifurcation Theory*, ch. 10):

.. math::
    f(x; p) = 0,\qquad t_k\cdot\big((x, p) - (x_k, p_k)\big) = h,

with a tangent predictor and a Newton corrector on the bordered system
:math:`\begin{pmatrix} J & f_p\\ t_k^T & 0\end{pmatrix}`, so that the branch is followed
through folds.  The stability of every point comes from the eigenvalues of the engine's
Jacobian :math:`J = \partial f/\partial x`.  Where the number of unstable eigenvalues changes
between two points, the change is located by bisection along the arc and reported as an
:class:`Event`: ``'fold'`` (the parameter turns back), ``'hopf'`` (a complex pair crosses) or
``'branch'`` (a real eigenvalue crosses without a fold: pitchfork or transcritical point).
A pitchfork is left along the kernel of :math:`J` with :func:`switch_branch`.

Typical use (seed 001 Fig. 4, broken-symmetry branches of the d-level LMG model)::

    m = an.models.lmg(5, 'uniform')
    fl = flow(m, {'V': 1, 'gamma_C': 0}, 'gamma_I', thermodynamic_limit=True)
    polar = fl.point(an.meanfield.state_point(m, sp.diag(1, 0, 0, 0, 0)))
    trivial = continue_branch(fl, polar, 3.0, direction=-1, p_min=1.0)
    broken = switch_branch(fl, trivial.events[0], p_min=0.5, p_max=3.0)
    [e.parameter for e in broken.events if e.kind == 'fold']     # end of the bistable region

Resources: no ``max_memory=`` here (issue 17 asks it of every solver that allocates by size).
The arrays are the m mean-field variables, the m x m Jacobian and one point per step of the
branch, i.e. O(m^2 + steps * m) numbers with m the number of equations of the model (tens), not
a Hilbert or Liouville space, whatever the sizes S or N (they enter as parameters of the
equations); the only cost that grows is the symbolic derivation in :func:`flow` (SymPy, once).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from analytic import meanfield
from analytic.model import Model, ModelError
from numeric.core import progress as pg
from numeric.core.errors import SolverError
from analytic.values import parameter_value

__all__ = ["Flow", "flow", "Event", "Branch", "continue_branch", "switch_branch", "solve_at", "follow",
           "ContinuationError"]


class ContinuationError(SolverError, RuntimeError):
    """The corrector did not converge, or a point's residual is above tolerance (a
    :class:`numeric.core.errors.SolverError`; still a ``RuntimeError`` for existing callers)."""


# --------------------------------------------------------------------------- the flow
@dataclass
class Flow:
    r"""A mean-field flow :math:`\dot x = f(x; p)` with one free parameter, lambdified from the
    engine's equations (numpy).  ``names`` are the variables in equation order."""

    names: list
    parameter: str
    f: Callable
    jac: Callable
    dfdp: Callable
    expressions: dict = field(repr=False, default_factory=dict)

    def point(self, values: Mapping) -> np.ndarray:
        """A state vector from ``{variable name: value}`` (missing variables are 0)."""
        unknown = set(values) - set(self.names)
        if unknown:
            raise ValueError(f"Flow.point: unknown variables {sorted(unknown)}; the flow has {self.names}")
        return np.array([float(values.get(n, 0)) for n in self.names])

    def observable(self, expr: sp.Expr) -> Callable:
        """Lambdify an expression of the mean-field variables (e.g. from
        :func:`analytic.meanfield.scaled_spin`) as a function of the state vector."""
        syms = [sp.Symbol(n, real=True) for n in self.names]
        extra = sp.sympify(expr).free_symbols - set(syms)
        if extra:
            raise ValueError(f"Flow.observable: expression has symbols {sorted(map(str, extra))} "
                             "that are not variables")
        g = sp.lambdify([syms], expr, "numpy")
        return lambda x: float(g(np.asarray(x, float)))

    def eigenvalues(self, x: np.ndarray, p: float) -> np.ndarray:
        """Eigenvalues of the engine's Jacobian at (x, p)."""
        return np.linalg.eigvals(self.jac(x, p))

    def residual(self, x: np.ndarray, p: float) -> float:
        """:math:`\\max_i |f_i(x; p)|`."""
        return float(np.max(np.abs(self.f(x, p))))


def flow(model: Model, values: Mapping, parameter: str, eqs: Mapping | None = None, **eq_options: Any) -> Flow:
    """Lambdify the mean-field flow of ``model`` with every parameter fixed by ``values`` except
    ``parameter``.

    Spins whose length the flow conserves are held on the unit sphere (a radial relaxation term
    that changes no fixed point or tangent eigenvalue there; see the code comment).

    Args:
        model: the model; equations from :func:`analytic.meanfield.equations` (``eq_options``,
            e.g. ``thermodynamic_limit=True``) unless ``eqs`` is given.
        values: ``{parameter name: number}`` for all other parameters and sizes left in the equations.
        parameter: the continuation parameter (a parameter name of the model).
    """
    p = model.symbol(parameter)
    if parameter in values:
        raise ValueError(f"flow: parameter {parameter!r} is the continuation parameter; do not give it in values")
    eqs = meanfield.equations(model, **eq_options) if eqs is None else eqs
    var = meanfield.variables(model)
    vals = dict(parameter_value(model, k, v) for k, v in values.items())  # the one parser (analytic.values)
    fixed = {k: sp.sympify(e).subs(vals) for k, e in eqs.items()}
    # A conserved spin length C makes the Jacobian singular along grad C (a family of fixed points
    # in the radius).  The branch is followed on C = 1 with f -> f - (C - 1) grad C: the same flow and
    # fixed points on the sphere, the same tangent eigenvalues, and -|grad C|^2 in the radial direction
    # (grad C is a left null vector of J at a fixed point, since grad C . f = 0 identically).
    for C in meanfield.conserved_quantities(model, eqs):
        fixed = {k: e - (C - 1) * sp.diff(C, var[k]) for k, e in fixed.items()}
    exprs = list(fixed.values())
    free = set().union(*(e.free_symbols for e in exprs)) - set(var.values()) - {p}
    if free:
        raise ModelError(f"flow: missing values for {sorted(map(str, free))}")
    J = meanfield.jacobian(model, None, fixed)
    fp = [sp.diff(e, p) for e in exprs]
    args = [list(var.values()), p]
    f = sp.lambdify(args, exprs, "numpy")
    jac = sp.lambdify(args, J, "numpy")
    dfdp = sp.lambdify(args, fp, "numpy")
    n = len(var)
    return Flow(
        names=list(var),
        parameter=parameter,
        f=lambda x, q: np.asarray(f(x, q), float).reshape(n),
        jac=lambda x, q: np.asarray(jac(x, q), float).reshape(n, n),
        dfdp=lambda x, q: np.asarray(dfdp(x, q), float).reshape(n),
        expressions=fixed,
    )


# --------------------------------------------------------------------------- branches
@dataclass
class Event:
    """A change of stability on a branch: ``kind`` is ``'fold'``, ``'hopf'`` or ``'branch'``;
    ``x``, ``parameter`` locate it, ``tangent`` is the branch tangent there and ``eigenvalue``
    the eigenvalue that crosses the imaginary axis."""

    kind: str
    parameter: float
    x: np.ndarray
    eigenvalue: complex
    tangent: np.ndarray
    residual: float


@dataclass
class Branch:
    """Points of a branch (``x[k]``, ``p[k]``), their stability and the events between them."""

    x: np.ndarray
    p: np.ndarray
    unstable: np.ndarray  # number of eigenvalues with positive real part at each point
    events: list
    residual: float  # largest max|f| over the points
    closed: bool = False  # the branch returned to its starting point (a closed loop)

    @property
    def stable(self) -> np.ndarray:
        return self.unstable == 0

    def along(self, g: Callable) -> np.ndarray:
        """An observable (function of the state vector) at every point."""
        return np.array([g(x) for x in self.x])


def _e_p(n: int) -> np.ndarray:
    """The parameter direction in (x, p) space."""
    e = np.zeros(n + 1)
    e[n] = 1.0
    return e


def solve_at(fl: Flow, x0: np.ndarray, p: float, *, tol: float = 1e-11) -> np.ndarray:
    """The fixed point near ``x0`` at parameter value ``p`` (Newton); raises
    :class:`ContinuationError` if Newton does not reach ``max|f| < tol``."""
    n = len(fl.names)
    x0 = _state(fl, x0, "solve_at")
    got = _correct(fl, np.concatenate([x0, [p]]), _e_p(n), tol)
    if got is None:
        raise ContinuationError(f"solve_at: no fixed point near x0 at {fl.parameter} = {p}")
    return got[0][:n]


def _state(fl: Flow, x0, who: str) -> np.ndarray:
    x0 = np.asarray(x0, float)
    if x0.shape != (len(fl.names),):
        raise ValueError(f"{who}: x0 must have {len(fl.names)} components ({fl.names}), got shape {x0.shape}")
    return x0


def follow(fl: Flow, x0: np.ndarray, p_values: Sequence[float], *, tol: float = 1e-11) -> np.ndarray:
    """Fixed points at the parameter values ``p_values`` in turn (natural-parameter continuation:
    each solution is the Newton guess for the next); rows of the returned array are the states.
    Use small parameter steps; near a fold use :func:`continue_branch` instead."""
    out, x = [], _state(fl, x0, "follow")
    for p in p_values:
        x = solve_at(fl, x, p, tol=tol)
        out.append(x)
    return np.array(out)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _count_unstable(fl: Flow, x, p, tol: float) -> int:
    return int(np.sum(fl.eigenvalues(x, p).real > tol))


def _correct(fl: Flow, u_pred: np.ndarray, t: np.ndarray, tol: float, max_iter: int = 15):
    """Newton on f(x; p) = 0, t.(u - u_pred) = 0.  Returns (u, iterations) or None."""
    u = u_pred.copy()
    n = len(u) - 1
    for it in range(1, max_iter + 1):
        x, p = u[:n], u[n]
        F = np.concatenate([fl.f(x, p), [t @ (u - u_pred)]])
        A = np.zeros((n + 1, n + 1))
        A[:n, :n] = fl.jac(x, p)
        A[:n, n] = fl.dfdp(x, p)
        A[n] = t
        try:
            du = np.linalg.solve(A, -F)
        except np.linalg.LinAlgError:
            return None
        if not np.all(np.isfinite(du)):
            return None
        u = u + du
        # near a bifurcation J is ill-conditioned and the last step is rounding noise of size
        # eps/|lambda_min|: converged once the residual is below tol and the step is small
        if fl.residual(u[:n], u[n]) < tol and np.linalg.norm(du) < max(tol, 1e-7):
            return u, it
    return None


def _tangent(fl: Flow, u: np.ndarray, t_old: np.ndarray) -> np.ndarray:
    n = len(u) - 1
    A = np.zeros((n + 1, n + 1))
    A[:n, :n] = fl.jac(u[:n], u[n])
    A[:n, n] = fl.dfdp(u[:n], u[n])
    A[n] = t_old
    t = _unit(np.linalg.solve(A, np.concatenate([np.zeros(n), [1.0]])))
    return t if t @ t_old > 0 else -t


def continue_branch(fl: Flow, x0: np.ndarray, p0: float, *, direction: int = 1, tangent: np.ndarray | None = None,
                    p_min: float = -np.inf, p_max: float = np.inf, h: float = 1e-2, h_max: float = 5e-2,
                    h_min: float = 1e-9, max_steps: int = 20000, tol: float = 1e-11, eig_tol: float = 1e-9,
                    progress: bool = False) -> Branch:
    r"""Follow a branch of fixed points from ``(x0, p0)`` until the parameter leaves
    ``[p_min, p_max]`` (pseudo-arclength, see the module docstring).

    Args:
        fl: the flow (:func:`flow`).
        x0, p0: a point on or near the branch; it is first corrected at fixed ``p0`` unless
            ``tangent`` is given.
        direction: initial sign of the parameter change (ignored when ``tangent`` is given).
        tangent: initial unit tangent in :math:`(x, p)` space (branch switching).
        h, h_max, h_min: initial, largest and smallest arclength step.
        tol: Newton tolerance on the step and on :math:`\max|f|`; every point satisfies it.
        eig_tol: an eigenvalue counts as unstable when its real part exceeds this.
        progress: a running count of the steps on stderr (:func:`numeric.core.progress.bar`); default:
            nothing printed.

    Returns:
        A :class:`Branch` whose ``events`` locate every change of stability to ~1e-10 in arclength.
        Continuation also stops when the branch comes back to its start (``Branch.closed``).
    """
    if direction not in (1, -1):
        raise ValueError(f"continue_branch: direction must be +1 or -1, got {direction!r}")
    if not (h_min < h <= h_max):
        raise ValueError(f"continue_branch: need h_min < h <= h_max, got h={h}, h_min={h_min}, h_max={h_max}")
    x0 = _state(fl, x0, "continue_branch")
    n = len(fl.names)
    if not (p_min <= p0 <= p_max):
        raise ValueError(f"continue_branch: p0={p0} outside [p_min, p_max] = [{p_min}, {p_max}]")
    if tangent is None:
        u = np.concatenate([solve_at(fl, x0, p0, tol=tol), [p0]])
        t = _tangent(fl, u, _e_p(n) * direction)
    else:
        u = np.concatenate([x0, [p0]])
        t = _unit(np.asarray(tangent, float))
    xs, ps, counts, events = [u[:n].copy()], [u[n]], [], []
    k0 = _count_unstable(fl, u[:n], u[n], eig_tol)
    counts.append(k0)
    worst = fl.residual(u[:n], u[n])
    u_start, travelled, closed = u.copy(), 0.0, False
    with pg.bar(None, f"continuation in {fl.parameter}", progress, unit="step") as bar:
        for step in range(max_steps):
            while True:
                got = _correct(fl, u + h * t, t, tol)
                if got is not None:
                    break
                h /= 2
                if h < h_min:
                    raise ContinuationError(f"continue_branch: step size below h_min={h_min} "
                                            f"at {fl.parameter} = {u[n]:.12g}")
            u_new, iters = got
            t_new = _tangent(fl, u_new, t)
            k_new = _count_unstable(fl, u_new[:n], u_new[n], eig_tol)
            if k_new != counts[-1]:
                events.append(_locate(fl, u, t, h, counts[-1], tol, eig_tol, t_new))
            u, t = u_new, t_new
            worst = max(worst, fl.residual(u[:n], u[n]))
            xs.append(u[:n].copy())
            ps.append(u[n])
            counts.append(k_new)
            travelled += h
            if iters <= 3:
                h = min(h * 1.3, h_max)
            bar.update()
            if progress:
                bar.set_postfix_str(f"{fl.parameter} = {u[n]:.6f}", refresh=False)
            if not (p_min <= u[n] <= p_max):
                break
            if travelled > 4 * h_max and np.linalg.norm(u - u_start) < h_max:
                closed = True  # back at the start: the branch is a closed loop (e.g. through its mirror image)
                break
        else:
            raise ContinuationError(f"continue_branch: {max_steps} steps without leaving [{p_min}, {p_max}]")
        bar.set_postfix_str(f"{fl.parameter} = {u[n]:.6f}, {len(ps)} points, {len(events)} events",
                            refresh=False)
    if worst > tol:
        raise ContinuationError(f"continue_branch: residual {worst:.3g} above tol={tol}")
    return Branch(np.array(xs), np.array(ps), np.array(counts), events, worst, closed)


def _locate(fl: Flow, u: np.ndarray, t: np.ndarray, h: float, k_left: int, tol: float, eig_tol: float,
            t_right: np.ndarray) -> Event:
    """Bisect the arclength in (0, h) for the change of the number of unstable eigenvalues."""
    n = len(u) - 1
    lo, hi = 0.0, h
    u_hi = None
    while hi - lo > 1e-12:
        mid = (lo + hi) / 2
        got = _correct(fl, u + mid * t, t, tol)
        if got is None:
            raise ContinuationError(f"continue_branch: corrector failed while locating an event near "
                                    f"{fl.parameter} = {u[n]:.12g}")
        k = _count_unstable(fl, got[0][:n], got[0][n], eig_tol)
        if k == k_left:
            lo = mid
        else:
            hi, u_hi = mid, got[0]
    u_ev = u_hi if u_hi is not None else _correct(fl, u + hi * t, t, tol)[0]
    ev = fl.eigenvalues(u_ev[:n], u_ev[n])
    crossing = ev[np.argmin(np.abs(ev.real))]
    t_ev = _tangent(fl, u_ev, t)
    if abs(crossing.imag) > 1e-6:
        kind = "hopf"
    elif np.sign(t[n]) != np.sign(t_right[n]):
        kind = "fold"
    else:
        kind = "branch"
    return Event(kind, float(u_ev[n]), u_ev[:n].copy(), complex(crossing), t_ev, fl.residual(u_ev[:n], u_ev[n]))


def switch_branch(fl: Flow, event: Event, *, side: int = 1, offset: float = 1e-3, **options: Any) -> Branch:
    r"""Leave a branch point (``event.kind == 'branch'``) along the new branch.

    At a pitchfork the new branch is tangent to the kernel vector v of the Jacobian
    (:math:`J v = 0`, the eigenvector of the crossing eigenvalue); continuation starts from
    :math:`(x + \epsilon v, p)` with tangent :math:`(v, 0)`, ``side`` choosing :math:`\pm v`
    (the two symmetry-related halves).  ``options`` go to :func:`continue_branch`.
    """
    if event.kind != "branch":
        raise ValueError(f"switch_branch: event must be a branch point, got kind {event.kind!r}")
    if side not in (1, -1):
        raise ValueError(f"switch_branch: side must be +1 or -1, got {side!r}")
    n = len(event.x)
    w, vecs = np.linalg.eig(fl.jac(event.x, event.parameter))
    v = np.real(vecs[:, np.argmin(np.abs(w))])
    v = side * _unit(v)
    tangent = np.concatenate([v, [0.0]])
    got = _correct(fl, np.concatenate([event.x + offset * v, [event.parameter]]), tangent, options.get("tol", 1e-11))
    if got is None:
        raise ContinuationError(f"switch_branch: no branch along the kernel at {fl.parameter} = {event.parameter:.12g}")
    u = got[0]
    return continue_branch(fl, u[:n], u[n], tangent=tangent, **options)
