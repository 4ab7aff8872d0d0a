"""Steady states of the cumulant-closed moment equations, on a chosen stable mean-field branch, in float64 or mpmath."""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp
from scipy.integrate import solve_ivp
from scipy.optimize import root
from scipy.special import gammaln

from analytic import cumulants as cu
from analytic.algebra import Op
from analytic.model import Model, ModelError
from analytic.values import mpmath_function, parse_values
from numeric.core.arguments import check_dps, check_tol
from numeric.core.errors import SolverError
from numeric.core.operators import spin_matrices
from numeric.states.state import squeezing_from_moments
from numeric.semiclassical.flows import meanfield_fixed_points

__all__ = ["CumulantState", "steady_state", "spin_coherent_state"]


@dataclass
class CumulantState:
    r"""A fixed point of the order-k closed moment equations.

    ``moments[name]`` is the *unscaled* complex average :math:`\langle w\rangle` of each word of
    degree <= k (names of :attr:`analytic.cumulants.CumulantEquations.name`: ``'Sp*Sm'`` for collective
    words, ``'sp1*sm2'`` for distinct representative atoms); floats, or mpmath numbers with ``dps``.
    :meth:`expect` answers any operator string of the model (``'Sz'``, ``'Sx*Sx'``, ``'ad*a'``), words of
    degree > k closed at order k.  ``residual`` is :math:`\max_w |\dot m_w|` of the scaled equations at
    the point, ``constraint`` the largest violation of the spin Casimir relation
    :math:`\langle\mathbf S^2\rangle = S(S+1)` (collective spins), ``eigenvalues`` those of the
    Jacobian of the closed equations there (all with negative real part, or the zero modes of a
    conserved Casimir family), ``branch`` the index of the stable mean-field point it continues."""

    model: Model
    order: int
    sizes: dict
    moments: dict = field(default_factory=dict)
    residual: float = float("nan")
    constraint: float = 0.0
    equations: cu.CumulantEquations | None = None
    eigenvalues: np.ndarray | None = None
    branch: int = 0
    dps: int | None = None

    def __post_init__(self) -> None:
        if self.equations is None:     # a state built from given moments: the model's default reading
            self.equations = cu.equations(self.model, self.order)

    def expect(self, op: str | Op) -> complex | float | mpmath.mpf | mpmath.mpc:
        """The average of an operator of the model, e.g. ``'Sz'``, ``'Sz*Sz'``, ``'Sx*Sy'`` (real if it is)."""
        eqs = self.equations
        expr = eqs.average(self.model.operator(op) if isinstance(op, str) else op)
        scaled = {eqs.symbols[k]: v / self._scale(k) for k, v in self.moments.items()}
        if self.dps is None:
            value = complex(sp.sympify(expr).xreplace(self.sizes).xreplace({s: sp.sympify(complex(v)) for s, v in scaled.items()}))
            return value.real if abs(value.imag) <= 1e-12 * max(1.0, abs(value)) else value
        with mpmath.workdps(self.dps):
            f = mpmath_function(list(scaled), sp.sympify(expr).xreplace(self.sizes))
            value = mpmath.mpc(f(*scaled.values()))
            return value.real if abs(value.imag) <= mpmath.mpf(10) ** (-self.dps + 5) * max(1, abs(value)) else value

    def squeezing(self, axis: str | None = None, subsystem: str = "") -> float | mpmath.mpf:
        r"""Spin squeezing of a spin or ensemble from the order-k moments (order >= 2): the Wineland
        parameter :math:`\xi^2` (``axis=None``, seed 004 Sec. III B) or the axis form of seed 000 eq. 28,
        by :func:`numeric.states.state.squeezing_from_moments` with :math:`2S_{\max}` = 2S or N(d-1)."""
        if self.order < 2:
            raise ModelError("squeezing needs the second moments: order >= 2")
        subs = {s.name: s for s in self.model.subsystems if s.kind in ("spin", "atoms")}
        if subsystem not in subs:
            raise ModelError(f"squeezing: subsystem must be one of {sorted(subs)}, got {subsystem!r}")
        sub = subs[subsystem]
        suf = f"_{subsystem}" if subsystem else ""
        two_s = float(sp.sympify(2 * sub.size).xreplace(self.sizes))
        with mpmath.workdps(self.dps or 15):
            mean = np.array([self.expect(f"S{a}{suf}") for a in "xyz"], dtype=object if self.dps else float)
            C = np.zeros((3, 3), dtype=object if self.dps else float)
            for i, a in enumerate("xyz"):
                for j, b in enumerate("xyz"):
                    if j >= i:
                        C[i, j] = C[j, i] = (self.expect(f"(S{a}{suf}*S{b}{suf} + S{b}{suf}*S{a}{suf})/2")
                                             - mean[i] * mean[j])
            return squeezing_from_moments(mean, C, two_s, axis, self.dps)

    def _scale(self, name: str):
        scale = sp.sympify(self.equations.scales[name]).xreplace(self.sizes)
        if self.dps is None:
            return complex(scale)
        with mpmath.workdps(self.dps):
            return mpmath.mpf(sp.N(scale, self.dps + 5))


def _casimir_rows(eqs: cu.CumulantEquations, values: Mapping) -> list:
    r"""Scaled :math:`\langle S^+S^-\rangle + \langle S_z^2\rangle - \langle S_z\rangle - S(S+1)` per
    spin (order >= 2), in the moment symbols: zero in the spin-S irrep and conserved exactly by the
    closed equations (the higher relations :math:`\langle\mathbf S^2 w\rangle = S(S+1)\langle w\rangle`
    are not: the closure breaks them at O(1/S^k))."""
    rows = []
    for s in eqs.model.subsystems:
        if s.kind != "spin" or eqs.order < 2:
            continue
        op = s.plus * s.minus + s.z * s.z - s.z - Op({(): s.casimir()})
        expr = sum((c * (eqs.scales[cu.word_name(v)] * eqs.symbols[cu.word_name(v)] if v else 1)
                    for v, c in op.terms.items()), sp.Integer(0))
        rows.append(sp.expand(expr / s.S ** 2).subs(values))
    return rows


def _start_moments(eqs: cu.CumulantEquations, point: Mapping, sizes: Mapping) -> np.ndarray:
    r"""Scaled moments of every word in the uncorrelated state at a mean-field point: spin coherent
    states of length S along (sx, sy, sz), from sparse spin matrices; atoms in the product state
    :math:`\rho_1^{\otimes N}` of the point (single atoms: the product of their letters; collective
    words: :func:`analytic.cumulants.atom_expansion`); :math:`\bar\alpha^p\alpha^q` for modes."""
    model = eqs.model
    mf_point = cu.meanfield_point(model, "individual" if eqs.individual else "collective")
    var = {sp.Symbol(k, real=True): v for k, v in point.items() if isinstance(k, str)}
    single = {name: complex(sp.sympify(expr).xreplace(var)) for name, expr in mf_point.items()}
    states: dict = {}
    for s in model.subsystems:
        suf = f"_{s.name}" if s.name else ""
        if s.kind == "mode" and "ar" + suf in point:
            states[s] = complex(point["ar" + suf], point["ai" + suf])
        elif s.kind == "spin":
            states[s] = _coherent_state(s, point, sizes)
    out = []
    for word in eqs.words.values():
        value = 1 + 0j
        for sub, grp in itertools.groupby(word, key=lambda g: g.sub):
            seg = tuple(grp)
            if sub.kind == "mode":
                alpha = states[sub]
                value *= np.conj(alpha) ** sum(g.letter == "c" for g in seg) * alpha ** sum(g.letter == "a" for g in seg)
            elif sub.kind == "atoms" and sub.name in eqs.individual:
                value *= np.prod([single[eqs.name((g,))] for g in seg])
            elif sub.kind == "atoms":
                j = float(sub.j)
                total = 0j
                for u, c in cu.atom_expansion(seg, {sub.name}).items():
                    total += complex(sp.sympify(c).xreplace(sizes)) * np.prod(
                        [j * single[eqs.name((g,))] for g in u])
                value *= total / complex(sp.sympify(sub.size).xreplace(sizes)) ** len(seg)
            else:
                c, mats, S = states[sub]
                v = c
                for g in reversed(seg):
                    v = mats[g.letter] @ v
                value *= np.vdot(c, v) / S ** len(seg)
        out.append(value)
    return np.array(out)


def _coherent_state(s, point: Mapping, sizes: Mapping) -> tuple:
    """The spin coherent state of length S along the point's (sx, sy, sz), its spin matrices and S."""
    suf = f"_{s.name}" if s.name else ""
    S = float(sp.sympify(s.size).xreplace(sizes))
    if abs(2 * S - round(2 * S)) > 1e-9 or S <= 0:
        raise ModelError(f"cumulants.steady_state: spin length {S} of {s.name!r} is not a positive half-integer")
    theta = float(np.arccos(np.clip(point["sz" + suf], -1.0, 1.0)))
    c, mats = spin_coherent_state(S, theta, float(np.arctan2(point["sy" + suf], point["sx" + suf])))
    return c, mats, S


def spin_coherent_state(S: float, theta: float, phi: float) -> tuple[np.ndarray, dict]:
    r"""The spin coherent state :math:`|\theta,\phi\rangle = e^{-i\phi S_z}e^{-i\theta S_y}|S, S\rangle`
    (:math:`\langle\mathbf S\rangle = S(\sin\theta\cos\phi, \sin\theta\sin\phi, \cos\theta)`) and the sparse
    spin matrices of :func:`numeric.core.operators.spin_matrices`, in their Dicke basis m = S, ..., -S."""
    mats = spin_matrices(S)
    d = mats["z"].shape[0]
    k = np.arange(d)                                       # k = S - m
    with np.errstate(divide="ignore"):
        logc = (0.5 * (gammaln(d) - gammaln(k + 1) - gammaln(d - k)) + (d - 1 - k) * np.log(np.cos(theta / 2) + 0j)
                + k * np.log(np.sin(theta / 2) + 0j))
    logc = np.where(np.isfinite(logc), logc, -np.inf)
    c = np.exp(logc - np.max(logc.real)) * np.exp(1j * k * phi)
    return c / np.linalg.norm(c), mats


def _evolve(f, y0: np.ndarray, t_max: float, tol: float, method: str = "DOP853", jac=None) -> np.ndarray:
    """Integrate dy/dt = f(y) until the largest rate falls below ``tol`` (or ``t_max``)."""
    def stopped(t: float, y: np.ndarray) -> float:
        return float(np.max(np.abs(f(y)))) - tol

    stopped.terminal = True
    options = {"jac": lambda t, y: jac(y)} if jac is not None else {}
    sol = solve_ivp(lambda t, y: f(y), (0.0, float(t_max)), y0.astype(complex), method=method,
                    rtol=1e-11, atol=1e-13, events=stopped, **options)
    if not np.all(np.isfinite(sol.y[:, -1])):
        raise SolverError("cumulants.steady_state: the closed equations diverged from the uncorrelated start")
    return sol.y[:, -1]


def _newton(f, jac, y0: np.ndarray) -> np.ndarray:
    """Newton-type root (MINPACK hybrid) of the complex system, on real and imaginary parts."""
    n = len(y0)

    def F(x: np.ndarray) -> np.ndarray:
        v = np.asarray(f(x[:n] + 1j * x[n:]), dtype=complex)
        return np.concatenate([v.real, v.imag])

    def J(x: np.ndarray) -> np.ndarray:
        m = np.asarray(jac(x[:n] + 1j * x[n:]), dtype=complex)
        return np.block([[m.real, -m.imag], [m.imag, m.real]])

    sol = root(F, np.concatenate([y0.real, y0.imag]), jac=J, method="hybr", options={"xtol": 1e-15})
    return sol.x[:n] + 1j * sol.x[n:]


@dataclass
class _Compiled:
    """The closed equations of one model and order, lambdified once with the values as arguments."""

    eqs: cu.CumulantEquations
    names: list
    params: list
    f: object
    jac: object
    casimir: object
    exprs: list
    casimir_exprs: list


def _compiled(model: Model, order: int, factorization: str | None) -> _Compiled:
    eqs = cu.equations(model, order, factorization)
    key = ("_compiled_cumulants", order, eqs.individual)
    cache = model.derived.setdefault("_cumulants", {})
    if key in cache:
        return cache[key]
    names = list(eqs.symbols)
    syms = [eqs.symbols[n] for n in names]
    params = sorted(set(model.parameters.values()) | model.size_symbols(), key=str)
    exprs = [eqs[n] for n in names]
    cas = _casimir_rows(eqs, {})
    out = _Compiled(eqs, names, params,
                    sp.lambdify(syms + params, exprs, modules="numpy"),
                    sp.lambdify(syms + params, sp.Matrix(exprs).jacobian(syms), modules="numpy"),
                    sp.lambdify(syms + params, cas or [0], modules="numpy"), exprs, cas)
    cache[key] = out
    return out


def _stable_points(model: Model, eqs: cu.CumulantEquations, values: Mapping, rate: float) -> list:
    """The stable mean-field fixed points, sorted by s_z (lowest first; by the first variable without spins).

    The random starts are polished directly (integration time 1e-3/rate, residual tolerance
    1e-10 rate): the flow is stiff at large N, where the rates grow like N."""
    factorization = "individual" if eqs.individual else "collective"
    found = meanfield_fixed_points(model, values, factorization=factorization, t_max=1e-3 / rate, tol=1e-10 * rate)
    points = [p for p in found if p["stability"] == "stable"]
    if not points:
        # no stable mean-field point (a laser: the lasing circle is a centre, the normal point unstable):
        # the fixed points without a stable direction are the starts, the normal (unstable) ones first
        points = [p for p in found if p["stability"] == "unstable"] + [p for p in found if p["stability"] == "centre"]
        return [{**p, "start_only": True} for p in points]
    keys = [k for k in points[0] if k.startswith("sz") or k.startswith("Sx_")] if points else []
    return sorted(points, key=lambda p: tuple(float(p[k]) for k in keys))


def steady_state(model: Model, values: Mapping, order: int = 2, *, factorization: str | None = None,
                 branch: int | None = None, dps: int | None = None, tol: float = 1e-9, t_max: float = 2000.0,
                 **sizes: float | int | str) -> CumulantState:
    r"""The steady state of :func:`analytic.cumulants.equations` at ``order`` for numeric values.

    Start: the uncorrelated state (spin coherent states, atoms in the product state
    :math:`\rho_1^{\otimes N}`, coherent modes) at each stable mean-field fixed point
    (:func:`numeric.semiclassical.flows.meanfield_fixed_points`, in the same factorisation).
    From there a Newton-type root finder (MINPACK hybrid, exact Jacobian) solves the closed
    equations; the point is accepted when its residual is below ``tol`` and every eigenvalue of the
    Jacobian has a negative real part.  When the Jacobian has zero eigenvalues the fixed points form
    a family (collective spins: for crf at lambda = 0.6 the Jacobian has k zero eigenvalues at order
    k >= 2, the Casimir and k - 1 more): root finding cannot choose, so the closed equations are
    integrated from the start until the rates fall below min(``tol``, 1e-12) (the dynamics chooses)
    and the Casimir rows are checked too.  When Newton ends on an unstable root, the closed flow from
    the start (BDF, up to ``t_max``) is followed and then polished; near a first-order transition it
    may end on another branch's attractor (seed 004 at 0.61 Omega_c, N = 20), so compare the result
    with the mean-field branch you asked for.

    Several stable mean-field branches (a bistable window, e.g. seed 004 at
    :math:`\Omega \gtrsim 0.4\Omega_c`, :math:`\gamma_c = 10\gamma_s`): the closed equations are solved
    from each; when they give different states the call refuses unless ``branch`` chooses one
    (index in the stable mean-field points sorted by :math:`s_z`, lowest first).  Near a first-order
    transition (seed 004 at :math:`0.61\Omega_c`) the exact state is a mixture of the branches, which
    no closure at fixed order describes: compare with care.

    Args:
        model: a model accepted by :func:`analytic.cumulants.equations`.
        values: ``{'omega': 1.2, 'kappa': 1, ...}`` (parsed by :func:`analytic.values.parse_values`:
            strings like ``'1.8'`` are exact).
        order: the cumulant order k.
        factorization: as for :func:`analytic.cumulants.equations` (``'collective'`` or ``'individual'``).
        branch: which stable mean-field branch to continue (see above).
        dps: decimal digits: the float64 root is refined by mpmath's multidimensional Newton at
            ``dps`` digits with the exact values (not with neutral families: refused).
        tol: accept when the residual (and the Casimir violation) is below ``tol`` (float64), below
            :math:`10^{-dps+5}` with ``dps``.
        t_max: the longest integration time (neutral families).
        **sizes: the size symbols, e.g. ``S=40``, ``N=10**6``.

    Raises:
        ModelError: bad arguments, missing values, a branch index out of range, ``dps`` on a family.
        SolverError: no stable mean-field point, several distinct steady states without ``branch``,
            or no accepted fixed point (residual, Casimir violation or an unstable Jacobian).
    """
    tol = check_tol(tol)
    dps = check_dps(dps)
    if branch is not None and (isinstance(branch, bool) or not isinstance(branch, int) or branch < 0):
        raise ModelError(f"cumulants.steady_state: branch must be a non-negative integer, got {branch!r}")
    comp = _compiled(model, order, factorization)
    eqs = comp.eqs
    exact = parse_values(model, values, sizes, dps)
    size_syms = model.size_symbols()
    size_vals = {k: v for k, v in exact.items() if k in size_syms}
    args = [float(exact[p]) for p in comp.params]
    f = lambda y: np.asarray(comp.f(*y, *args), dtype=complex)          # noqa: E731
    jac = lambda y: np.asarray(comp.jac(*y, *args), dtype=complex)      # noqa: E731
    cas = lambda y: np.asarray(comp.casimir(*y, *args), dtype=complex)  # noqa: E731
    mf_vals = {str(k): float(v) for k, v in exact.items()}
    first = _compiled(model, 1, factorization)      # the rate scale: the order-1 Jacobian at the lowest state
    low = np.array([-1.0 if w[0].letter == "z" else 0.0 for w in first.eqs.words.values()], dtype=complex)
    rate = max(1.0, float(np.linalg.norm(np.asarray(first.jac(*low, *[float(exact[p]) for p in first.params]),
                                                    dtype=complex), 2)))
    points = _stable_points(model, eqs, mf_vals, rate)
    if not points:
        raise SolverError(f"cumulants.steady_state: no stable mean-field fixed point of {model.name!r} at {mf_vals}")
    if branch is not None and branch >= len(points):
        raise ModelError(f"cumulants.steady_state: branch={branch} but {model.name!r} has {len(points)} stable "
                         f"mean-field point(s) at {mf_vals}")
    index = {n: i for i, n in enumerate(comp.names)}
    dag = [index[eqs.name(eqs.dagger(eqs.words[k]))] for k in comp.names]
    reps = [i for i in range(len(dag)) if dag[i] >= i]
    conserved = any(sub.kind == "spin" or (sub.kind == "atoms" and not model.has_individual_terms())
                    for sub in model.subsystems) and order >= 2
    solutions, failures = [], []
    for b, point in enumerate(points):
        if branch is not None and b != branch:
            continue
        y0 = _start_moments(eqs, point, size_vals)
        m = _newton(f, jac, y0)
        ev = np.linalg.eigvals(jac(m)) if np.all(np.isfinite(m)) else np.array([np.nan])
        scale = max(1.0, float(np.max(np.abs(ev)))) if np.all(np.isfinite(ev)) else 1.0
        # zero modes: a conserved Casimir (collective spins, or atoms without individual terms) makes the
        # fixed points a family; slow modes (rates ~ gamma_s against ~ N gamma_c) are not zero modes
        neutral = conserved or (np.all(np.isfinite(ev)) and np.min(np.abs(ev)) < 1e-10 * scale)
        if neutral:
            m = _evolve(f, y0, t_max, min(tol, 1e-12))
            ev = np.linalg.eigvals(jac(m))
        elif not (np.all(np.isfinite(ev)) and np.all(ev.real < 0) and np.max(np.abs(f(m))) < tol):
            # Newton went to another root (or none): the dynamics from the start chooses, then Newton polishes
            m = _newton(f, jac, _evolve(f, y0, t_max, 1e-6 * scale, method="BDF", jac=jac))
            ev = np.linalg.eigvals(jac(m)) if np.all(np.isfinite(m)) else np.array([np.nan])
        m[[dag[i] for i in reps]] = np.conj(m[reps])        # Hermitian to rounding
        res = float(np.max(np.abs(f(m))))
        viol = float(np.max(np.abs(cas(m))))
        stable = bool(np.all(ev.real < 1e-7 * scale)) if neutral else bool(np.all(ev.real < 0))
        if np.all(np.isfinite(m)) and res < tol and viol < tol and stable:
            solutions.append((b, m, res, viol, ev, neutral))
            if point.get("start_only"):
                break       # no stable mean-field branch to compare with: the first stable closed state
        else:
            failures.append(f"branch {b}: residual {res:.3g}, Casimir violation {viol:.3g}, "
                            f"largest Re(eigenvalue) {np.max(ev.real):.3g}")
    if not solutions:
        raise SolverError(f"cumulants.steady_state: no stable fixed point of the order-{order} equations of "
                          f"{model.name!r} at {mf_vals} (tol {tol:g}): " + "; ".join(failures))
    distinct = [solutions[0]]
    for sol in solutions[1:]:
        if all(np.max(np.abs(sol[1] - d[1])) > 1e-6 for d in distinct):
            distinct.append(sol)
    if len(distinct) > 1:
        z = [f"branch {d[0]}: {_summary(eqs, d[1])}" for d in distinct]
        raise SolverError(f"cumulants.steady_state: the order-{order} equations of {model.name!r} have "
                          f"{len(distinct)} stable steady states at {mf_vals} ({'; '.join(z)}); "
                          "choose one with branch=")
    b, m, res, viol, ev, neutral = distinct[0]
    if dps is not None:
        if neutral:
            raise ModelError(f"cumulants.steady_state: dps with a family of fixed points (zero Jacobian "
                             f"eigenvalues of {model.name!r} at order {order}) is not available: the family "
                             "member is chosen by the dynamics, in float64")
        return _refine(comp, exact, size_vals, m, ev, b, dps)
    moments = {k: complex(m[i] * complex(sp.sympify(eqs.scales[k]).xreplace(size_vals))) for k, i in index.items()}
    return CumulantState(model, order, size_vals, moments, res, viol, eqs, ev, b)


def _summary(eqs: cu.CumulantEquations, m: np.ndarray) -> str:
    """The first few scaled moments of a solution, for messages."""
    return ", ".join(f"{n} = {m[i].real:.6g}" for i, n in enumerate(eqs.symbols) if i < 3)


def _refine(comp: _Compiled, exact: Mapping, size_vals: Mapping, m: np.ndarray, ev: np.ndarray, branch: int,
            dps: int) -> CumulantState:
    """mpmath's multidimensional Newton at ``dps`` digits from the float64 root, exact values substituted."""
    eqs = comp.eqs
    syms = [eqs.symbols[n] for n in comp.names]
    exprs = [e.xreplace(exact) for e in comp.exprs]
    with mpmath.workdps(dps + 10):
        f = mpmath_function(syms, exprs)
        J = mpmath_function(syms, sp.Matrix(exprs).jacobian(syms))
        x = mpmath.findroot(lambda *y: f(*y), [mpmath.mpc(complex(v)) for v in m], J=lambda *y: mpmath.matrix(J(*y)),
                            tol=mpmath.mpf(10) ** (-2 * dps))
        x = [x[i] for i in range(len(syms))]
        res = max(abs(v) for v in f(*x))
        cas = mpmath_function(syms, [r.xreplace(exact) for r in comp.casimir_exprs] or [0])
        viol = max(abs(v) for v in cas(*x))
        if res > mpmath.mpf(10) ** (-dps + 5):
            raise SolverError(f"cumulants.steady_state: mpmath refinement at dps={dps} left residual {mpmath.nstr(res, 5)}")
        moments = {k: x[i] * mpmath.mpf(sp.N(sp.sympify(eqs.scales[k]).xreplace(size_vals), dps + 10))
                   for i, k in enumerate(comp.names)}
    return CumulantState(eqs.model, eqs.order, size_vals, moments, float(res), float(viol), eqs, ev, branch, dps)
