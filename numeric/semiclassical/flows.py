r"""Integrate the mean-field equations numerically: trajectories, fixed points, plots.

Mean-field dynamics from the engine's equations: trajectories, fixed points found by
integration, stream plots and Bloch-sphere trajectory plots.

The equations are :func:`analytic.meanfield.equations` of the model (never re-typed), lambdified
to numpy and integrated with :func:`scipy.integrate.solve_ivp` at tight tolerances.  Variables are
the engine's scaled ones (:math:`s_a = \langle S_a\rangle/S`, ``ar``/``ai`` for modes); time is in
the units of the model's parameters (hbar = 1).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares

from analytic import meanfield as mf
from analytic.model import Model, ModelError
from analytic.values import real_number

if TYPE_CHECKING:  # annotations only: matplotlib is imported when plotting
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Trajectory", "meanfield_flow", "meanfield_trajectory", "meanfield_fixed_points",
           "plot_flow", "plot_bloch"]

_RTOL, _ATOL = 1e-10, 1e-12


# --------------------------------------------------------------------------- the flow
@dataclass
class Flow:
    """The lambdified mean-field vector field for fixed parameter values."""

    names: tuple
    f: object          # f(y) -> ndarray
    jac: object        # jac(y) -> ndarray (n, n)
    spins: dict        # spin suffix -> (indices of sx, sy, sz, conserved length?)

    def __call__(self, t, y):
        return self.f(y)


def _symbol_values(model: Model, values: Mapping) -> dict:
    if not isinstance(values, Mapping):
        raise ModelError(f"values must be a mapping {{name: number}}, got {type(values).__name__}")
    out = {}
    for k, v in values.items():
        sym = model.symbol(k) if isinstance(k, str) else k
        if not isinstance(sym, sp.Symbol):
            raise ModelError(f"values: key {k!r} is not a parameter name")
        out[sym] = float(real_number(v, str(k)))  # the one parser (analytic.values): ModelError if not a real number
    return out


def meanfield_flow(model: Model, values: Mapping, **equation_options: Any) -> Flow:
    r"""Lambdify :func:`analytic.meanfield.equations` (and its Jacobian) for numeric ``values``.

    Parameters
    ----------
    model : Model
    values : mapping
        ``{'omega': 1.0, ...}`` (names or Symbols); sizes (S, N, ...) too when the equations use them.
    **equation_options
        Passed to :func:`analytic.meanfield.equations` (``factorization``, ``ordering``,
        ``casimir``, ``thermodynamic_limit``).
    """
    eqs = mf.equations(model, **equation_options)
    var = mf.variables(model)
    vals = _symbol_values(model, values)
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    free = set().union(*(e.free_symbols for e in exprs)) - set(var.values())
    if free:
        raise ModelError(f"values: missing value for {sorted(map(str, free))} (model {model.name!r})")
    syms = list(var.values())
    J = sp.Matrix(exprs).jacobian(syms)
    fl = sp.lambdify(syms, exprs, modules="numpy")
    jl = sp.lambdify(syms, J, modules="numpy")
    n = len(syms)

    def f(y):
        return np.array(np.broadcast_arrays(*fl(*y)), dtype=float) if np.ndim(y) > 1 else np.array(fl(*y), dtype=float)

    def jac(y):
        return np.array(jl(*y), dtype=float).reshape(n, n)

    cons = mf.conserved_quantities(model, eqs)
    names = tuple(var)
    spins = {}
    for sub in model.subsystems:
        if sub.kind not in ("spin", "atoms"):
            continue
        suf = f"_{sub.name}" if sub.name else ""
        if "sx" + suf not in var:
            continue
        idx = tuple(names.index(a + suf) for a in ("sx", "sy", "sz"))
        C = sum(var[a + suf] ** 2 for a in ("sx", "sy", "sz"))
        spins[suf] = (idx, any(sp.expand(C - c) == 0 for c in cons))
    return Flow(names, f, jac, spins)


# --------------------------------------------------------------------------- trajectories
@dataclass
class Trajectory:
    """A mean-field trajectory: ``t`` (n_t,), ``y`` (n_vars, n_t), ``names`` of the variables."""

    t: np.ndarray
    y: np.ndarray
    names: tuple
    success: bool = True
    message: str = ""
    info: dict = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.names:
            raise ModelError(f"trajectory has no variable {name!r}; it has {list(self.names)}")
        return self.y[self.names.index(name)]

    def spin_length(self, spin: str = "") -> np.ndarray:
        r""":math:`|\mathbf s| = \sqrt{s_x^2 + s_y^2 + s_z^2}` of a spin (``spin`` = site name) along the trajectory."""
        suf = f"_{spin}" if spin else ""
        return np.sqrt(sum(self[a + suf] ** 2 for a in ("sx", "sy", "sz")))

    @property
    def final(self) -> dict:
        """``{name: value}`` at the last time."""
        return {n: float(v) for n, v in zip(self.names, self.y[:, -1])}


def _initial_vector(names: tuple, initial) -> np.ndarray:
    if isinstance(initial, Mapping):
        unknown = set(initial) - set(names)
        if unknown:
            raise ModelError(f"initial: unknown variables {sorted(unknown)}; variables are {list(names)}")
        missing = [n for n in names if n not in initial]
        if missing:
            raise ModelError(f"initial: missing values for {missing}")
        y0 = np.array([float(initial[n]) for n in names])
    else:
        y0 = np.asarray(initial, dtype=float).ravel()
        if y0.size != len(names):
            raise ModelError(f"initial must have {len(names)} entries {list(names)}, got {y0.size}")
    if not np.all(np.isfinite(y0)):
        raise ModelError("initial values must be finite")
    return y0


def meanfield_trajectory(model: Model, values: Mapping, initial: Mapping[str, float] | Sequence[float],
                         times: Sequence[float] | np.ndarray, *, method: str = "DOP853",
                         rtol: float = _RTOL, atol: float = _ATOL, **equation_options: Any) -> Trajectory:
    r"""Integrate the mean-field equations (:func:`analytic.meanfield.equations`) from ``initial``.

    Parameters
    ----------
    model : Model
    values : mapping
        Parameter values by name.
    initial : mapping or sequence
        ``{'sx': .., 'sy': .., 'sz': ..}`` (all variables) or a vector in the order of
        :func:`analytic.meanfield.variables`.
    times : array_like
        Increasing output times; integration runs from ``times[0]`` to ``times[-1]``.
    method, rtol, atol
        :func:`scipy.integrate.solve_ivp` options (default DOP853, rtol 1e-10, atol 1e-12).
    **equation_options
        ``factorization``, ``ordering``, ``casimir``, ``thermodynamic_limit``.

    Returns
    -------
    Trajectory
        Raises :class:`ModelError` if the integration fails (e.g. blow-up).
    """
    flow = meanfield_flow(model, values, **equation_options)
    y0 = _initial_vector(flow.names, initial)
    times = np.asarray(times, dtype=float).ravel()
    if times.size < 2 or not np.all(np.isfinite(times)) or np.any(np.diff(times) <= 0):
        raise ModelError("times must be at least two finite, strictly increasing values")
    kwargs = dict(t_eval=times, method=method, rtol=rtol, atol=atol)
    if method in ("Radau", "BDF", "LSODA"):
        kwargs["jac"] = lambda t, y: flow.jac(y)
    sol = solve_ivp(flow, (times[0], times[-1]), y0, **kwargs)
    if not sol.success or not np.all(np.isfinite(sol.y)):
        raise ModelError(f"meanfield_trajectory: integration failed: {sol.message}")
    return Trajectory(sol.t, sol.y, flow.names, sol.success, sol.message, {"nfev": sol.nfev})


# --------------------------------------------------------------------------- fixed points
def random_start(flow: Flow, rng: np.random.Generator) -> np.ndarray:
    """A random initial point of a mean-field flow: normal coordinates, conserved spins on their sphere,
    the other spins uniformly inside the Bloch ball."""
    y = rng.normal(size=len(flow.names))
    for idx, conserved in flow.spins.values():
        v = rng.normal(size=3)
        v /= np.linalg.norm(v)
        if not conserved:  # inside the Bloch ball, uniformly
            v *= rng.uniform() ** (1 / 3)
        y[list(idx)] = v
    return y


def _constrained_system(flow: Flow, lengths: dict):
    """The fixed-point equations f(y) = 0 stacked with |s|^2 - r^2 = 0 for every spin of conserved
    length (an overdetermined but consistent system: which of f's equations is redundant on the
    sphere depends on the point, so none is dropped)."""
    cons = [(idx, lengths[suf]) for suf, (idx, c) in flow.spins.items() if c]

    def g(y):
        extra = [sum(y[i] ** 2 for i in idx) - r ** 2 for idx, r in cons]
        return np.concatenate([flow.f(y), extra])

    def gj(y):
        rows = []
        for idx, _ in cons:
            row = np.zeros(len(y))
            row[list(idx)] = 2 * y[list(idx)]
            rows.append(row)
        return np.vstack([flow.jac(y)] + rows) if rows else flow.jac(y)

    return g, gj


def meanfield_fixed_points(model: Model, values: Mapping, *, starts: int = 40, seed: int = 0,
                           t_max: float = 400.0, tol: float = 1e-10, include_unstable: bool = True,
                           **equation_options: Any) -> list:
    r"""Fixed points of the mean-field flow found numerically.

    From ``starts`` random initial conditions (uniform on the unit sphere for spins of conserved
    length, in the Bloch ball otherwise, normal for modes) the flow is integrated up to ``t_max``;
    end points where the flow has (nearly) stopped are polished by Levenberg-Marquardt least
    squares on the fixed-point equations stacked with the sphere constraints.  With
    ``include_unstable`` the raw starts are also polished directly, which finds the repelling and
    saddle points too.

    Parameters
    ----------
    model, values
        As for :func:`meanfield_trajectory`.
    starts, seed
        Number of random starts and the seed of the generator.
    t_max
        Integration time of each start.
    tol
        Accept a point when :math:`\max_i |f_i| <` ``tol``.

    Returns
    -------
    list of dict
        One dict per distinct point: the variables, ``'residual'`` (:math:`\max|f|`),
        ``'stability'`` (``'stable'``, ``'unstable'``, ``'centre'`` from
        :func:`analytic.meanfield.stability`), ``'eigenvalues'`` and ``'basin'`` (fraction of the
        integrated starts that converged to it).  Sorted by decreasing basin.
    """
    if not isinstance(starts, (int, np.integer)) or starts < 1:
        raise ModelError(f"starts must be a positive integer, got starts={starts!r}")
    if not t_max > 0:
        raise ModelError(f"t_max must be positive, got t_max={t_max!r}")
    flow = meanfield_flow(model, values, **equation_options)
    rng = np.random.default_rng(seed)
    found: list = []

    def polish(y, count: bool):
        lengths = {suf: float(np.linalg.norm(y[list(idx)])) for suf, (idx, c) in flow.spins.items()}
        g, gj = _constrained_system(flow, lengths)
        try:
            sol = least_squares(g, y, jac=gj, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
        except (ValueError, FloatingPointError):  # pragma: no cover
            return
        x = sol.x
        if not np.all(np.isfinite(x)):
            return
        res = float(np.max(np.abs(flow.f(x))))
        if res > tol:
            return
        for p in found:
            if np.max(np.abs(p["_x"] - x)) < 1e-7:
                p["_count"] += count
                p["residual"] = min(p["residual"], res)
                return
        found.append({"_x": x, "_count": int(count), "residual": res})

    def stopped(t, y):
        return np.log(np.max(np.abs(flow.f(y))) + 1e-300) - np.log(tol * 1e-2)

    stopped.terminal = True
    stopped.direction = -1
    for _ in range(int(starts)):
        y0 = random_start(flow, rng)
        sol = solve_ivp(flow, (0.0, float(t_max)), y0, method="DOP853", rtol=_RTOL, atol=_ATOL, events=stopped)
        end = sol.y[:, -1]
        if sol.success and np.all(np.isfinite(end)) and np.max(np.abs(flow.f(end))) < 1e-6:
            polish(end, True)
        if include_unstable:
            polish(y0, False)
    n_int = int(starts)
    out = []
    for p in found:
        point = {n: float(v) for n, v in zip(flow.names, p["_x"])}
        kind, ev = classify_fixed_point(flow, p["_x"])
        out.append({**point, "residual": p["residual"], "stability": kind,
                    "eigenvalues": ev, "basin": p["_count"] / n_int})
    out.sort(key=lambda d: -d["basin"])
    return out


def classify_fixed_point(flow: Flow, x: np.ndarray, tol: float = 1e-8) -> tuple[str, list[complex]]:
    """Linear stability of a numeric fixed point: eigenvalues of the Jacobian restricted to the
    tangent space of the conserved spin lengths (orthonormal basis B: B^T J B), the numeric
    counterpart of :func:`analytic.meanfield.tangent_jacobian` / :func:`~analytic.meanfield.stability`."""
    J = flow.jac(x)
    grads = []
    for idx, cons in flow.spins.values():
        if cons:
            g = np.zeros(len(x))
            g[list(idx)] = 2 * x[list(idx)]
            grads.append(g)
    if grads:
        G = np.array(grads)
        _, sv, vt = np.linalg.svd(G)
        B = vt[len(grads):].T  # orthonormal basis of the tangent space
        J = B.T @ J @ B
    ev = [complex(e) for e in np.linalg.eigvals(J)]
    re = max(e.real for e in ev)
    kind = "stable" if re < -tol else "unstable" if re > tol else "centre"
    return kind, ev


def _analytic_points(model: Model, values: Mapping, **equation_options) -> list:
    """Closed-form fixed points that are real for ``values``, with their stability; falls back
    to :func:`meanfield_fixed_points` when the engine has no closed form for some branch."""
    vals = _symbol_values(model, values)
    try:
        fps = mf.fixed_points(model, **equation_options)
    except ModelError:
        return meanfield_fixed_points(model, values, **equation_options)
    if any(getattr(fp, "kind", "") == "numeric" for fp in fps):  # some branches have no closed form
        return meanfield_fixed_points(model, values, **equation_options)
    out = []
    for fp in fps:
        num = {k: complex(sp.N(sp.sympify(v).subs(vals))) for k, v in fp.items()}
        if any(abs(z.imag) > 1e-12 for z in num.values()):
            continue
        point = {k: z.real for k, z in num.items()}
        st = mf.stability(model, fp, values, **equation_options)  # exact point, exact values
        out.append({**point, "stability": st.kind})
    return out


# --------------------------------------------------------------------------- plots
_STYLE = {"stable": dict(color="red", marker="o", ms=9, ls=""),
          "unstable": dict(color="blue", marker="o", ms=9, ls="", mfc="none", mew=2),
          "centre": dict(color="green", marker="s", ms=8, ls="")}


def plot_flow(model: Model, values: Mapping, plane: Sequence[str] = ("sx", "sz"), *, hemisphere: int = 1,
              fixed: Mapping | None = None, n: int = 80, density: float = 1.2, ax: Axes | None = None,
              fixed_points: bool = True, **equation_options: Any) -> Figure:
    r"""Stream plot of the mean-field flow in a plane of two variables (seed 001 Fig. 2 style).

    For a spin of conserved length whose third component is not in the plane, points are taken
    on the unit sphere, the third component being :math:`\pm\sqrt{1 - a^2 - b^2}` (sign
    ``hemisphere``); the arrows are the in-plane components of the exact flow there (the
    projection of the hemisphere onto the disk).  All other variables must be given in ``fixed``.
    Fixed points in the plotted hemisphere are marked: filled red = stable, open blue = unstable,
    green squares = centres (:func:`analytic.meanfield.stability`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    flow = meanfield_flow(model, values, **equation_options)
    names = flow.names
    if len(plane) != 2 or any(p not in names for p in plane) or plane[0] == plane[1]:
        raise ModelError(f"plane must name two different variables of {list(names)}, got plane={tuple(plane)!r}")
    if hemisphere not in (1, -1):
        raise ModelError(f"hemisphere must be +1 or -1, got hemisphere={hemisphere!r}")
    fixed = dict(fixed or {})
    ia, ib = names.index(plane[0]), names.index(plane[1])
    sphere_var = None
    for idx, cons in flow.spins.values():
        if ia in idx and ib in idx and cons:
            (sphere_var,) = [i for i in idx if i not in (ia, ib)]
    rest = [i for i in range(len(names)) if i not in (ia, ib, sphere_var)]
    missing = [names[i] for i in rest if names[i] not in fixed]
    if missing:
        raise ModelError(f"plot_flow: give values of {missing} in fixed={{...}} (they are not in the plane)")
    unknown = set(fixed) - {names[i] for i in rest}
    if unknown:
        raise ModelError(f"plot_flow: fixed names {sorted(unknown)} are not free variables outside the plane")
    lim = 1.0 if sphere_var is not None else 1.2
    a = np.linspace(-lim, lim, int(n))
    A, B = np.meshgrid(a, a)
    Y = np.zeros((len(names),) + A.shape)
    Y[ia], Y[ib] = A, B
    for i in rest:
        Y[i] = float(fixed[names[i]])
    mask = np.zeros(A.shape, dtype=bool)
    if sphere_var is not None:
        r2 = 1.0 - A ** 2 - B ** 2
        mask = r2 < 0
        Y[sphere_var] = hemisphere * np.sqrt(np.clip(r2, 0.0, None))
    F = flow.f(Y.reshape(len(names), -1)).reshape(Y.shape)
    U = np.ma.array(F[ia], mask=mask)
    V = np.ma.array(F[ib], mask=mask)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 5))
    fig = ax.figure
    ax.streamplot(A, B, U, V, density=density, color="steelblue", linewidth=0.8, arrowsize=0.9)
    if sphere_var is not None:
        t = np.linspace(0, 2 * np.pi, 200)
        ax.plot(np.cos(t), np.sin(t), "k-", lw=1)
    if fixed_points:
        for p in _analytic_points(model, values, **equation_options):
            if sphere_var is not None and hemisphere * p[names[sphere_var]] < -1e-9:
                continue
            if any(abs(p[names[i]] - float(fixed[names[i]])) > 1e-9 for i in rest):
                continue
            ax.plot(p[plane[0]], p[plane[1]], **_STYLE.get(p["stability"], _STYLE["centre"]),
                    label=p["stability"])
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            uniq = dict(zip(labels, handles))
            ax.legend(uniq.values(), uniq.keys(), loc="upper right", fontsize=8)
    ax.set_xlabel(plane[0])
    ax.set_ylabel(plane[1])
    ax.set_aspect("equal")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    if sphere_var is not None:
        ax.set_title(f"{model.name}: {names[sphere_var]} {'>' if hemisphere > 0 else '<'} 0 hemisphere")
    return fig


def plot_bloch(trajectories: Trajectory | Sequence[Trajectory], spin: str = "", *,
               points: Sequence[Mapping] | None = None, ax: Axes | None = None) -> Figure:
    r"""Draw mean-field trajectories of one spin on the Bloch sphere (3-d axes).

    Parameters
    ----------
    trajectories : Trajectory or list of Trajectory
    spin : str
        Site name of the spin ('' for a single spin).
    points : list of dict, optional
        Fixed points (e.g. from :func:`meanfield_fixed_points`) to mark, coloured by their
        ``'stability'`` when present.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if isinstance(trajectories, Trajectory):
        trajectories = [trajectories]
    if not trajectories or not all(isinstance(t, Trajectory) for t in trajectories):
        raise ModelError("trajectories must be a Trajectory or a non-empty list of them")
    suf = f"_{spin}" if spin else ""
    if ax is None:
        fig = plt.figure(figsize=(5, 5))
        ax = fig.add_subplot(projection="3d")
    fig = ax.figure
    u, v = np.meshgrid(np.linspace(0, 2 * np.pi, 37), np.linspace(0, np.pi, 19))
    ax.plot_wireframe(np.cos(u) * np.sin(v), np.sin(u) * np.sin(v), np.cos(v), color="0.85", lw=0.5)
    for tr in trajectories:
        x, y, z = tr["sx" + suf], tr["sy" + suf], tr["sz" + suf]
        line, = ax.plot(x, y, z, lw=1.2)
        ax.plot([x[0]], [y[0]], [z[0]], "o", color=line.get_color(), ms=3)
    for p in points or ():
        style = _STYLE.get(p.get("stability", "centre"), _STYLE["centre"])
        ax.plot([p["sx" + suf]], [p["sy" + suf]], [p["sz" + suf]], **style)
    ax.set_box_aspect((1, 1, 1))
    ax.set_xlabel("sx" + suf)
    ax.set_ylabel("sy" + suf)
    ax.set_zlabel("sz" + suf)
    return fig
