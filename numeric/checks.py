r"""Cross-checks of the registered formulas (:mod:`analytic.formulas`) against independent numerics.

Every formula carries a :class:`analytic.formulas.Check`; :func:`run` looks up the implementation
of its ``kind`` in :data:`KINDS` and returns a :class:`CheckResult` (agreement in digits and/or the
fitted order :math:`p` of :math:`|{\rm numeric}(S) - {\rm formula}| \propto S^{-p}`, the sizes,
the errors, the time) instead of asserting, so that ``dspins report`` can print it and the test
suite can assert on it.  The numerics never go through the symbolic solve that produced the
formula:

* ``steady_state``: :math:`|\langle O\rangle_S/S - f| \sim S^{-p}` from the exact finite-size
  steady state of :func:`numeric.steady.steady_state`; fitted p within ``tol`` of ``order``.
* ``ode``: the long-time limit of the mean-field ODE (integrated from random starts) equals f.
* ``linear_stability``: the eigenvalues of a finite-difference tangent Jacobian (relaxation
  rate), or the coupling where its largest real part crosses 0, found by bisection (critical
  coupling).
* ``root_count``: the number of physical fixed points found numerically is 1 just outside and
  3 inside the bistability window the formula gives.
* ``exact``: the formula (mpmath, 50 digits) equals the 50-digit steady state
  (``steady_state(..., dps=50)``) to ``tol``; with ``order``, also the fitted order of
  :math:`|f(S) - {\rm crf.meanfield.sz}|` (the approach to the thermodynamic limit).
* ``mixed_exact``: g2 of the totally mixed state equals the one of explicit
  :math:`2^N`-dimensional collective matrices, and :math:`2(1 - 1/N)` (seed 004 eq. D3e).
* ``hp_squeezing`` / ``hp_purity``: the Wineland parameter / purity of the exact finite-S
  steady state converges to the Holstein-Primakoff formula, fitted order within ``tol``.
* ``hp_lyapunov``: the negativity equals scipy's Lyapunov solution of the model's drift and
  diffusion followed by the symplectic spectrum of the partial transpose (not eq. A25).

New kinds register with :func:`register_kind`; kinds still contributed by plugin files
``tests/checks_*.py`` of the repository are registered by :func:`load_plugins` (the test suite
and ``dspins report`` call it).

Result cache (opt-in): with the environment variable ``DSPINS_CHECK_CACHE=<folder>`` (or
``run(name, cache=folder)``), :func:`run` stores every *passing* result as
``<folder>/<formula>-<key>.json`` and returns it instead of recomputing when the key matches.
The key (:func:`cache_key`) hashes the source of the ``analytic`` and ``numeric`` packages, the
file that implements the check kind (a plugin ``tests/checks_*.py``, or a test's replacement),
the implementation's name and the versions of numpy, scipy, mpmath and sympy: any code change
invalidates every entry.  A failure is never stored (it is recomputed next time), and a check
called directly (``check_steady_state(formula)``) never reads the cache.  Off by default; CI sets
it so that a formula checked by ``tests/test_formula_checks.py`` is not checked again by the
report tests and the notebooks of the same run.

Example
-------
>>> from numeric import checks
>>> r = checks.run('crf.meanfield.sy')
>>> r.passed, r.digits > 7
(True, True)
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import inspect
import json
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable

import mpmath
import numpy as np
import scipy.integrate
import scipy.linalg
import scipy.optimize

import analytic as an
import analytic.exact  # noqa: F401  (registers the exact formulas)
import analytic.fluctuations  # noqa: F401  (registers the Holstein-Primakoff formulas)
from analytic import fluctuations as fl
from analytic.model import ModelError

from . import dynamics
from .steady import steady_state

__all__ = ["CheckResult", "KINDS", "register_kind", "load_plugins", "run", "ORDER_TOL", "CACHE_ENV", "cache_key"]

ORDER_TOL = 0.02  # tolerance of the fitted exponent of the exact -> mean-field approach (Check.tol is digits there)
CACHE_ENV = "DSPINS_CHECK_CACHE"  # folder of the opt-in result cache of :func:`run`


@dataclass
class CheckResult:
    r"""Outcome of one formula's check.

    Attributes
    ----------
    name, kind : str
        Formula name and check kind.
    passed : bool
        Whether every criterion of the check holds.
    digits : float or None
        Worst agreement over the points, :math:`-\log_{10}` of the (relative where stated)
        error; ``inf`` when the error is exactly 0 at the working precision.  None for purely asymptotic checks.
    required_digits : float or None
        The digits the check requires.
    order, expected_order, order_tol : float or None
        Worst fitted order (farthest from the registered one), the registered order and the
        allowed deviation.
    sizes : tuple
        Sizes (S or N) of the convergence study.
    errors : dict
        ``{point label: [errors]}`` (one error per size for asymptotic checks).
    seconds : float
        Wall time of the check (of its computation, when the result comes from the cache).
    detail : str
        Human-readable note (what was compared, or the failure).
    cached : bool
        True when :func:`run` took the result from the cache (:data:`CACHE_ENV`).
    """

    name: str
    kind: str
    passed: bool
    digits: float | None = None
    required_digits: float | None = None
    order: float | None = None
    expected_order: float | None = None
    order_tol: float | None = None
    sizes: tuple = ()
    errors: dict = field(default_factory=dict)
    seconds: float = 0.0
    detail: str = ""
    cached: bool = False

    def __post_init__(self):
        self.passed = bool(self.passed)

    def agreement(self) -> str:
        """``'12.3 digits'``, ``'p = 1.01 (1)'`` or both, for tables."""
        parts = []
        if self.digits is not None:
            parts.append("error 0 (all digits)" if math.isinf(self.digits) else f"{self.digits:.1f} digits")
        if self.order is not None:
            parts.append(f"p = {self.order:.3f} ({self.expected_order:g})")
        return ", ".join(parts) or self.detail


def _digits(err: float) -> float:
    return math.inf if err == 0 else -math.log10(err)


def _label(point: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in point.items())


def _fit_order(sizes, errs) -> float:
    r"""Slope p of :math:`\log|{\rm err}| = c - p \log S` (least squares)."""
    errs = np.asarray(errs, float)
    if not np.all(errs > 0):
        raise ModelError(f"cannot fit an order: errors {errs.tolist()} are not all positive")
    return float(-np.polyfit(np.log(np.asarray(sizes, float)), np.log(errs), 1)[0])


def _value(f, point) -> float:
    return float(f.function()(*[point[a] for a in f.args]))


def _model_values(f, point) -> dict:
    """Model parameter values for a formula's argument point (the bistability window is a
    function of gamma = gamma_s + gamma_c and Gamma = (N - 1) gamma_c; N = 101 is used)."""
    if f.name == "driven_dicke.meanfield.bistability":
        N = 101
        gc = point["Gamma"] / (N - 1)
        return {"N": N, "gamma_c": gc, "gamma_s": point["gamma"] - gc}
    return dict(point)


# --------------------------------------------------------------------------- mean-field numerics
def _fd_jacobian(f, x, h: float = 1e-6) -> np.ndarray:
    """Central finite-difference Jacobian (independent of the engine's symbolic Jacobian)."""
    n = len(x)
    J = np.zeros((n, n))
    for j in range(n):
        dx = np.zeros(n)
        dx[j] = h
        J[:, j] = (f(x + dx) - f(x - dx)) / (2 * h)
    return J


def _tangent_eigs(flow: dynamics.Flow, x: np.ndarray) -> np.ndarray:
    """Eigenvalues of the finite-difference Jacobian on the tangent space of the spin spheres."""
    fd = dynamics.Flow(flow.names, flow.f, lambda y: _fd_jacobian(flow.f, y), flow.spins)
    return np.array(dynamics.classify_fixed_point(fd, x)[1])


def _long_time_limits(model, values, starts: int = 8, t: float = 400.0, **options):
    """End points (flow < 1e-8) of ``starts`` trajectories from random starts, integrated to ``t``."""
    flow = dynamics.meanfield_flow(model, values, **options)
    rng = np.random.default_rng(7)
    ends = []
    for _ in range(starts):
        sol = scipy.integrate.solve_ivp(flow, (0, t), dynamics._random_start(flow, rng), method="DOP853",
                                        rtol=1e-11, atol=1e-13)
        if np.linalg.norm(flow.f(sol.y[:, -1])) < 1e-8:
            ends.append(sol.y[:, -1])
    return flow, ends


def _physical_roots(model, values, starts: int = 300) -> list:
    """Distinct roots of the finite-size mean-field equations inside the Bloch ball (fsolve)."""
    flow = dynamics.meanfield_flow(model, values)
    rng = np.random.default_rng(3)
    roots = []
    for _ in range(starts):
        x0 = rng.uniform(-1, 1, size=len(flow.names))
        x, _info, ier, _ = scipy.optimize.fsolve(flow.f, x0, full_output=True, xtol=1e-13)
        if ier == 1 and np.linalg.norm(flow.f(x)) < 1e-10 and np.all(np.abs(x) <= 1 + 1e-9):
            if not any(np.linalg.norm(x - r) < 1e-6 for r in roots):
                roots.append(x)
    return roots


def check_ode(f) -> CheckResult:
    """Long-time limits of the thermodynamic-limit mean-field flow contain the formula's value
    (to 1e-7)."""
    model = an.models.get(f.model)
    quantity = f.name.split(".")[-1]
    key = {"x": "sx", "z": "sz"}.get(quantity, quantity)
    errors = {}
    for point in f.check.points:
        value = _value(f, point)
        flow, ends = _long_time_limits(model, _model_values(f, point), thermodynamic_limit=True)
        if not ends:
            return CheckResult(f.name, "ode", False, detail=f"no trajectory converged at {point}")
        errors[_label(point)] = [min(abs(e[flow.names.index(key)] - value) for e in ends)]
    worst = max(e[0] for e in errors.values())
    return CheckResult(f.name, "ode", worst < 1e-7, digits=_digits(worst), required_digits=7.0, errors=errors,
                       detail="long-time limit of the mean-field ODE")


def check_linear_stability(f) -> CheckResult:
    """Relaxation rate: tangent eigenvalues at the attractor equal -rate (real, double).
    Critical coupling: the root (brentq) of the largest real tangent eigenvalue at the normal
    state equals the formula (relative 1e-6)."""
    model = an.models.get(f.model)
    errors = {}
    if f.name == "crf.meanfield.relaxation_rate":
        for point in f.check.points:
            value = _value(f, point)
            flow, ends = _long_time_limits(model, point, thermodynamic_limit=True)
            if not ends:
                return CheckResult(f.name, "linear_stability", False, detail=f"no trajectory converged at {point}")
            ev = _tangent_eigs(flow, ends[0])
            errors[_label(point)] = [float(np.max(np.abs(ev + value)))]
        worst = max(e[0] for e in errors.values())
        return CheckResult(f.name, "linear_stability", worst < 1e-6, digits=_digits(worst), required_digits=6.0,
                           errors=errors, detail="finite-difference tangent eigenvalues at the attractor")
    if f.name == "open_dicke.meanfield.critical_coupling":
        normal = np.array([0, 0, -1, 0, 0], float)
        for point in f.check.points:
            value = _value(f, point)

            def growth(g):
                flow = dynamics.meanfield_flow(model, {**point, "g_plus": g, "g_minus": g})
                return float(_tangent_eigs(flow, normal).real.max())

            lo, hi = 0.99 * value, 1.01 * value
            if not (growth(lo) < 0 < growth(hi)):
                return CheckResult(f.name, "linear_stability", False,
                                   detail=f"normal state not stable below / unstable above the formula at {point}")
            g_num = scipy.optimize.brentq(growth, lo, hi, xtol=1e-14, rtol=1e-14)
            errors[_label(point)] = [abs(g_num - value) / value]
        worst = max(e[0] for e in errors.values())
        return CheckResult(f.name, "linear_stability", worst < 1e-6, digits=_digits(worst), required_digits=6.0,
                           errors=errors, detail="numeric instability threshold of the normal state (relative)")
    raise ModelError(f"no linear-stability check for {f.name!r}; add it to numeric.checks.check_linear_stability")


def check_root_count(f) -> CheckResult:
    """1 physical fixed point at 0.97 lo and 1.03 hi, 3 at 1.02 lo, (lo + hi)/2 and 0.99 hi."""
    model = an.models.get(f.model)
    errors, ok = {}, True
    for point in f.check.points:
        lo, hi = (float(v) for v in f.function()(*[point[a] for a in f.args]))
        Omega_c = point["Gamma"] / 4
        counts = []
        for x, count in ((0.97 * lo, 1), (1.02 * lo, 3), ((lo + hi) / 2, 3), (0.99 * hi, 3), (1.03 * hi, 1)):
            n = len(_physical_roots(model, {**_model_values(f, point), "Omega": x * Omega_c}))
            counts.append(n)
            ok &= n == count
        errors[_label(point)] = counts
    seen = sorted({",".join(map(str, c)) for c in errors.values()})
    return CheckResult(f.name, "root_count", ok, errors=errors,
                       detail=f"root counts {' / '.join(seen)}")


# --------------------------------------------------------------------------- steady-state convergence
def _convergence(f, observable: Callable, kind: str, monotone: bool) -> CheckResult:
    """Fit |observable(steady state at S) - formula| ~ S^-p over ``check.sizes`` at every point."""
    model = an.models.get(f.model)
    errors, orders, ok = {}, [], True
    for point in f.check.points:
        value = _value(f, point)
        errs = [abs(observable(steady_state(model, point, S=S), S) - value) for S in f.check.sizes]
        p = _fit_order(f.check.sizes, errs)
        errors[_label(point)] = errs
        orders.append(p)
        ok &= abs(p - f.check.order) < f.check.tol
        if monotone:
            ok &= bool(np.all(np.diff(errs) < 0))
    worst = max(orders, key=lambda p: abs(p - f.check.order))
    return CheckResult(f.name, kind, ok, order=worst, expected_order=f.check.order, order_tol=f.check.tol,
                       sizes=tuple(f.check.sizes), errors=errors,
                       detail="exact finite-S steady state -> formula")


def check_steady_state(f) -> CheckResult:
    r""":math:`|\langle O\rangle/S - f| \sim S^{-p}` with O from ``check.observable = 'O/S'``."""
    op, _scale = f.check.observable.split("/")
    return _convergence(f, lambda st, S: st.expect(op).real / S, "steady_state", monotone=False)


def check_hp_squeezing(f) -> CheckResult:
    """Wineland parameter of the exact steady state -> formula, errors decreasing."""
    return _convergence(f, lambda st, S: st.squeezing(), "hp_squeezing", monotone=True)


def check_hp_purity(f) -> CheckResult:
    """Purity of the exact steady state -> formula, errors decreasing."""
    return _convergence(f, lambda st, S: st.purity(), "hp_purity", monotone=True)


# --------------------------------------------------------------------------- exact closed forms
def _numeric_observable(name: str, st, S):
    q = name.split(".")[-1]
    table = {"sz": lambda: st.expect("Sz") / S, "sz2": lambda: st.expect("Sz*Sz") / S ** 2, "purity": st.purity,
             "xi2_x": lambda: st.squeezing("x"), "negativity": st.negativity, "qubit_purity": st.qubit_purity}
    if q not in table:
        raise ModelError(f"no numeric observable for {name!r}; add it to numeric.checks._numeric_observable")
    return table[q]()


def check_exact(f) -> CheckResult:
    """50-digit formula vs 50-digit steady state (relative error <= tol); then, with ``order``,
    the fitted order of the approach to crf.meanfield.sz at lambda < 1 outside the critical
    crossover (min size >= 10 (1 - lambda^2)^(-3/2)), within :data:`ORDER_TOL`."""
    model = an.models.get(f.model)
    fn = f.function("mpmath")
    errors, ok, worst = {}, True, 0.0
    for point in f.check.points:
        S = point["S"]
        # the check point's decimals as written (exact on both sides; a float would be its binary value)
        st = steady_state(model, {"omega": str(point["omega"]), "kappa": str(point["kappa"])}, S=S, dps=50)
        with mpmath.workdps(50):
            Smp = mpmath.mpf(Fraction(str(S)).numerator) / Fraction(str(S)).denominator
            ref = mpmath.re(_numeric_observable(f.name, st, Smp))
            got = fn(*[mpmath.mpf(str(point[a])) if a != "S" else S for a in f.args])
            rel = float(abs(got - ref) / max(1, abs(ref)))
        errors[_label(point)] = [rel]
        worst = max(worst, rel)
        ok &= rel <= f.check.tol
    result = CheckResult(f.name, "exact", ok, digits=_digits(worst), required_digits=-math.log10(f.check.tol),
                         errors=errors, detail="50-digit formula vs 50-digit steady state")
    if f.check.order is None:
        return result
    limit_fn = an.formulas.get("crf.meanfield.sz", backend="mpmath")
    orders = []
    for point in f.check.points:
        lam = point["omega"] / (2 * point["kappa"])
        # the 1/S regime needs S >> (1 - lambda^2)^(-3/2) (the critical crossover); closer to
        # lambda = 1 the fitted exponent is pre-asymptotic (e.g. p = 1.08 at lambda = 0.95)
        if lam >= 1 or min(f.check.sizes) < 10 * (1 - lam ** 2) ** -1.5:
            continue
        with mpmath.workdps(30):
            w, k = mpmath.mpf(point["omega"]), mpmath.mpf(point["kappa"])
            limit = limit_fn(w, k)
            errs = [float(abs(fn(w, k, S) - limit)) for S in f.check.sizes]
        errors[_label({"omega": point["omega"], "kappa": point["kappa"]}) + ", S -> oo"] = errs
        orders.append(_fit_order(f.check.sizes, errs))
    if not orders:
        raise ModelError(f"{f.name}: no point of the check lies in the 1/S regime; the order was not tested")
    p = max(orders, key=lambda q: abs(q - f.check.order))
    result.order, result.expected_order, result.order_tol = p, f.check.order, ORDER_TOL
    result.sizes = tuple(f.check.sizes)
    result.passed = bool(ok and abs(p - f.check.order) < ORDER_TOL)
    result.detail += "; |f(S) - mean field| ~ S^-p"
    return result


def _collective_matrices(N: int):
    """Explicit 2^N-dimensional S+, S- = sum_i sigma_i^pm (basis |up>=0, |down>=1 per atom)."""
    sp_ = np.array([[0.0, 1.0], [0.0, 0.0]])
    eye = np.eye(2)
    Sp = np.zeros((2 ** N, 2 ** N))
    for i in range(N):
        op = np.array([[1.0]])
        for k in range(N):
            op = np.kron(op, sp_ if k == i else eye)
        Sp += op
    return Sp, Sp.T.copy()


def check_mixed_exact(f) -> CheckResult:
    r"""g2 of :math:`1/2^N` from explicit matrices (1e-12), the mpmath value vs :math:`2(1-1/N)`
    (1e-38) and the rational :func:`analytic.exact.mixed_g2` (exact)."""
    np_fn, mp_fn = f.function("numpy"), f.function("mpmath")
    errors, ok, worst = {}, True, 0.0
    for point in f.check.points:
        N = point["N"]
        Sp, Sm = _collective_matrices(N)
        rho = np.eye(2 ** N) / 2 ** N
        den = np.trace(rho @ Sp @ Sm)
        g2_matrix = np.trace(rho @ Sp @ Sp @ Sm @ Sm) / den ** 2
        e_matrix = abs(float(np_fn(N)) - g2_matrix)
        with mpmath.workdps(40):
            e_mp = float(abs(mp_fn(N) - 2 * (1 - mpmath.mpf(1) / N)))
        rational = an.exact.mixed_g2(N) == 2 * (1 - Fraction(1, N))
        errors[_label(point)] = [e_matrix, e_mp]
        worst = max(worst, e_matrix)
        ok &= e_matrix < 1e-12 and e_mp < 1e-38 and rational
    return CheckResult(f.name, "mixed_exact", ok, digits=_digits(worst), required_digits=12.0, errors=errors,
                       detail="explicit 2^N matrices (float64), 2(1 - 1/N) (40 digits), rational")


# --------------------------------------------------------------------------- Gaussian numerics
def numeric_negativity(V: np.ndarray) -> float:
    """Two-mode negativity from the symplectic spectrum of the partial transpose (p_b -> -p_b),
    vacuum V = 1, [x, p] = 2i."""
    P = np.diag([1, 1, 1, -1])
    Vt = P @ V @ P
    Om = np.kron(np.eye(2), np.array([[0, 1], [-1, 0]]))
    nu = np.sort(np.abs(np.linalg.eigvals(1j * Om @ Vt)))
    return max(0.0, (1 / nu[0] - 1) / 2)


def check_hp_lyapunov(f) -> CheckResult:
    """Negativity from scipy's Lyapunov solution of the numeric drift/diffusion (1e-12)."""
    g = fl.dimer_gaussian("AM")
    m = g.model
    errors, ok, worst = {}, True, 0.0
    for point in f.check.points:
        vals = {m.symbol("g"): point["g"], m.symbol("Gamma_g"): point["Gamma_l"], m.symbol("Gamma_l"): point["Gamma_l"]}
        A = np.array(g.drift.subs(vals), dtype=float)
        D = np.array(g.diffusion.subs(vals), dtype=float)
        stable = bool(np.max(np.linalg.eigvals(A).real) < 0)
        V = scipy.linalg.solve_continuous_lyapunov(A, -D)
        err = abs(numeric_negativity(V) - _value(f, point))
        errors[_label(point)] = [err]
        worst = max(worst, err)
        ok &= stable and err < 1e-12
    return CheckResult(f.name, "hp_lyapunov", ok, digits=_digits(worst), required_digits=12.0, errors=errors,
                       detail="numeric Lyapunov solution + symplectic spectrum")


# --------------------------------------------------------------------------- registry
KINDS: dict = {
    "steady_state": check_steady_state, "ode": check_ode, "linear_stability": check_linear_stability,
    "root_count": check_root_count, "exact": check_exact, "mixed_exact": check_mixed_exact,
    "hp_squeezing": check_hp_squeezing, "hp_purity": check_hp_purity, "hp_lyapunov": check_hp_lyapunov,
}


def register_kind(kind: str, function: Callable) -> None:
    """Register ``function(formula) -> CheckResult`` as the implementation of check ``kind``."""
    if not isinstance(kind, str) or not kind:
        raise ValueError(f"kind must be a non-empty string, got {kind!r}")
    if kind in KINDS:
        raise ValueError(f"check kind {kind!r} is already registered")
    KINDS[kind] = function


def load_plugins(directory: str | Path) -> list:
    """Register the check kinds contributed by ``directory/checks_*.py`` plugin files (each
    defines ``CHECKS = {kind: function(formula)}``; a function returns a :class:`CheckResult`
    or only asserts).  Kinds already registered keep their implementation (the package wins).
    Returns the kinds registered by this call."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"directory: {str(directory)!r} is not a folder")
    added = []
    for path in sorted(directory.glob("checks_*.py")):
        spec = importlib.util.spec_from_file_location(f"dspins_check_plugin_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for kind, function in module.CHECKS.items():
            if kind not in KINDS:
                register_kind(kind, function)
                added.append(kind)
    return added


# --------------------------------------------------------------------------- result cache
@functools.lru_cache(maxsize=None)
def _file_digest(path: str, stamp: tuple) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _digest(paths) -> str:
    h = hashlib.sha256()
    for path in sorted(set(paths)):
        st = Path(path).stat()
        h.update(f"{path}\0{_file_digest(str(path), (st.st_mtime_ns, st.st_size))}\0".encode())
    return h.hexdigest()


def cache_key(name: str) -> str:
    """The cache key of formula ``name``'s check: a SHA-256 (first 24 hex digits) of every
    ``.py`` file of the ``analytic`` and ``numeric`` packages, the file and qualified name of the
    check kind's implementation, and the versions of numpy, scipy, mpmath and sympy."""
    kind = an.formulas.formula(name).check.kind
    impl = KINDS[kind]
    packages = [Path(an.__file__).parent, Path(__file__).parent]
    files = [p for root in packages for p in root.rglob("*.py")]
    try:
        impl_file = inspect.getsourcefile(impl)
    except TypeError:  # a builtin or C function: no source file to hash
        impl_file = None
    if impl_file:
        files.append(Path(impl_file))
    versions = ",".join(f"{d}={importlib.metadata.version(d)}" for d in ("numpy", "scipy", "mpmath", "sympy"))
    ident = f"{name}|{kind}|{getattr(impl, '__module__', '')}.{getattr(impl, '__qualname__', repr(impl))}|{versions}"
    return hashlib.sha256(f"{ident}|{_digest(files)}".encode()).hexdigest()[:24]


def _jsonable(value):
    """Plain JSON numbers, lists and dicts (numpy scalars converted); TypeError otherwise."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    raise TypeError(f"cannot store {type(value).__name__} in the check cache")


def _cache_path(folder: Path, name: str) -> Path:
    return folder / f"{name}-{cache_key(name)}.json"


def _cache_load(folder: Path, name: str) -> CheckResult | None:
    path = _cache_path(folder, name)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    data["sizes"] = tuple(data.get("sizes", ()))
    result = CheckResult(**data)
    result.cached = True
    return result


def _cache_store(folder: Path, result: CheckResult) -> None:
    """Write a passing result atomically (parallel test workers share the folder)."""
    fields = {k: getattr(result, k) for k in CheckResult.__dataclass_fields__ if k != "cached"}
    try:
        text = json.dumps(_jsonable(fields))
    except TypeError:
        return  # a plugin put something exotic in its result: not cached, recomputed next time
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, _cache_path(folder, result.name))


def run(name: str, catch: bool = False, cache: str | Path | None = None) -> CheckResult:
    """Run the registered check of formula ``name`` and time it.

    Parameters
    ----------
    name : str
        A name of :func:`analytic.formulas.names`.
    catch : bool
        If True, an exception inside the check becomes a failed result (its message in
        ``detail``) instead of propagating (used by ``dspins report``).
    cache : str or Path, optional
        Folder of the result cache; default: the environment variable ``DSPINS_CHECK_CACHE``
        (no cache when unset or empty).  A passing result is stored under :func:`cache_key`
        and returned (``cached=True``) by later calls while the code is unchanged.
    """
    f = an.formulas.formula(name)
    kind = f.check.kind
    if kind not in KINDS:
        raise ModelError(f"no implementation of check kind {kind!r} (formula {name!r}); known: {sorted(KINDS)}")
    cache = cache if cache is not None else os.environ.get(CACHE_ENV) or None
    folder = Path(cache) if cache else None
    if folder is not None:
        hit = _cache_load(folder, name)
        if hit is not None:
            return hit
    t0 = time.perf_counter()
    try:
        result = KINDS[kind](f)
        if result is None:  # an assert-style plugin check: reaching here means it passed
            result = CheckResult(name, kind, True, detail="assert-style plugin check passed")
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed: the row fails with the message
        if not catch:
            raise
        result = CheckResult(name, kind, False, detail=f"{type(exc).__name__}: {exc}")
    result.seconds = time.perf_counter() - t0
    if folder is not None and result.passed:
        _cache_store(folder, result)
    return result
