"""Run the registered check of every exported formula (DESIGN.md, 'Formula registry').

Each check confronts the closed form with a computation that does not go through the symbolic
solve that produced it: the mean-field ODE integrated numerically, finite-difference Jacobians,
numerical root counts, or the exact finite-size steady state of the numeric solver.
"""
import numpy as np
import pytest
import scipy.integrate
import scipy.linalg
import scipy.optimize
import sympy as sp

import analytic as an
from analytic import meanfield as mf

NAMES = an.formulas.names()


def model_values(f, point):
    """Model parameter values for a formula's argument point."""
    if f.name == "driven_dicke.meanfield.bistability":
        N = 101
        gc = point["Gamma"] / (N - 1)
        return {"N": N, "gamma_c": gc, "gamma_s": point["gamma"] - gc}
    return dict(point)


def flow(model, values, eqs=None):
    eqs = mf.equations(model, thermodynamic_limit=True) if eqs is None else eqs
    var = mf.variables(model)
    vals = mf._values(model, values)
    rhs = sp.lambdify(list(var.values()), [e.subs(vals) for e in eqs.values()], "numpy")
    return var, lambda x: np.array(rhs(*x), dtype=float)


def fd_jacobian(f, x, h=1e-6):
    n = len(x)
    J = np.zeros((n, n))
    for j in range(n):
        dx = np.zeros(n)
        dx[j] = h
        J[:, j] = (f(x + dx) - f(x - dx)) / (2 * h)
    return J


def tangent_eigs(model, var, f, x):
    """Finite-difference Jacobian restricted to the tangent space of the spin spheres."""
    J = fd_jacobian(f, x)
    names = list(var)
    grads = []
    for s in mf._own_subsystems(model):
        if s.kind == "spin":
            suf = f"_{s.name}" if s.name else ""
            g = np.zeros(len(x))
            for c in ("sx", "sy", "sz"):
                g[names.index(c + suf)] = 2 * x[names.index(c + suf)]
            grads.append(g)
    if grads:
        B = scipy.linalg.null_space(np.array(grads))
        J = np.linalg.pinv(B) @ J @ B
    return np.linalg.eigvals(J)


def random_start(model, var, rng):
    x = rng.normal(size=len(var))
    names = list(var)
    for s in mf._own_subsystems(model):
        if s.kind in ("spin", "atoms"):
            suf = f"_{s.name}" if s.name else ""
            idx = [names.index(c + suf) for c in ("sx", "sy", "sz")]
            x[idx] /= np.linalg.norm(x[idx])
    return x


def long_time_limits(model, values, starts=8, t=400.0, eqs=None):
    var, f = flow(model, values, eqs)
    rng = np.random.default_rng(7)
    ends = []
    for _ in range(starts):
        sol = scipy.integrate.solve_ivp(lambda _t, x: f(x), (0, t), random_start(model, var, rng),
                                        method="DOP853", rtol=1e-11, atol=1e-13)
        if np.linalg.norm(f(sol.y[:, -1])) < 1e-8:
            ends.append(sol.y[:, -1])
    return var, ends


def check_ode(f):
    model = an.models.get(f.model)
    quantity = f.name.split(".")[-1]
    key = {"x": "sx", "z": "sz"}.get(quantity, quantity)
    for point in f.check.points:
        value = float(f.function()(*[point[a] for a in f.args]))
        var, ends = long_time_limits(model, model_values(f, point))
        assert ends, "no trajectory converged"
        got = [e[list(var).index(key)] for e in ends]
        assert min(abs(g - value) for g in got) < 1e-7, (point, value, got)


def check_linear_stability(f):
    model = an.models.get(f.model)
    for point in f.check.points:
        value = float(f.function()(*[point[a] for a in f.args]))
        if f.name == "crf.meanfield.relaxation_rate":
            var, ends = long_time_limits(model, point)
            _, fl = flow(model, point)
            ev = tangent_eigs(model, var, fl, ends[0])
            assert np.allclose(ev.real, -value, atol=1e-6) and np.allclose(ev.imag, 0, atol=1e-5)
        elif f.name == "open_dicke.meanfield.critical_coupling":
            normal = np.array([0, 0, -1, 0, 0], float)
            for scale, stable in ((0.99, True), (1.01, False)):
                vals = {**point, "g_plus": scale * value, "g_minus": scale * value}
                var, fl = flow(model, vals)
                ev = tangent_eigs(model, var, fl, normal)
                assert (ev.real.max() < 0) == stable, (scale, ev)
        else:  # pragma: no cover - a new formula needs its check here
            raise AssertionError(f"no linear-stability check for {f.name}")


def physical_roots(model, values, starts=300):
    var, fl = flow(model, values, mf.equations(model))
    rng = np.random.default_rng(3)
    roots = []
    for _ in range(starts):
        x0 = rng.uniform(-1, 1, size=len(var))
        x, info, ier, _ = scipy.optimize.fsolve(fl, x0, full_output=True, xtol=1e-13)
        if ier == 1 and np.linalg.norm(fl(x)) < 1e-10 and np.all(np.abs(x) <= 1 + 1e-9):
            if not any(np.linalg.norm(x - r) < 1e-6 for r in roots):
                roots.append(x)
    return roots


def check_root_count(f):
    model = an.models.get(f.model)
    for point in f.check.points:
        lo, hi = (float(v) for v in f.function()(*[point[a] for a in f.args]))
        Omega_c = point["Gamma"] / 4
        for x, count in ((0.97 * lo, 1), (1.02 * lo, 3), ((lo + hi) / 2, 3), (0.99 * hi, 3), (1.03 * hi, 1)):
            vals = {**model_values(f, point), "Omega": x * Omega_c}
            assert len(physical_roots(model, vals)) == count, (point, x)


CHECKS = {"ode": check_ode, "linear_stability": check_linear_stability, "root_count": check_root_count}


def _plugin_checks() -> dict:
    """Check kinds contributed by ``tests/checks_*.py`` (each defines a dict ``CHECKS``)."""
    import importlib.util
    from pathlib import Path

    out = {}
    for path in sorted(Path(__file__).parent.glob("checks_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.update(module.CHECKS)
    return out


CHECKS.update(_plugin_checks())


@pytest.mark.parametrize("name", NAMES)
def test_formula_check(name):
    f = an.formulas.formula(name)
    assert f.check.kind in CHECKS, f"no implementation of check kind {f.check.kind!r} for {name}"
    CHECKS[f.check.kind](f)


def check_steady_state(f):  # noqa: D401 - registered below
    """Asymptotic check: |<O>/S - formula| ~ S^-p with the registered order p."""
    from numeric.steady import steady_state

    model = an.models.get(f.model)
    op, scale = f.check.observable.split("/")
    for point in f.check.points:
        value = float(f.function()(*[point[a] for a in f.args]))
        sizes = np.array(f.check.sizes, float)
        errs = []
        for S in f.check.sizes:
            st = steady_state(model, point, S=S)
            errs.append(abs(st.expect(op) / S - value))
        p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
        assert abs(p - f.check.order) < f.check.tol, (point, p, errs)


CHECKS["steady_state"] = check_steady_state
