"""The numpy root search of the mean-field completeness check (analytic.meanfield.roots) against the
scipy code it replaced (issue 18, rule 3: analytic evaluates with numpy/mpmath only), and the layout of
the analytic.meanfield package (modules by job, each < 700 lines, public functions annotated)."""
from __future__ import annotations

import ast
import random
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from analytic import meanfield as mf
from analytic import models
from analytic.meanfield.linearization import null_space
from analytic.meanfield.roots import dogleg_root, roots_float64

PACKAGE = Path(mf.__file__).parent


# ----------------------------------------------------------------------------------------------------
# ORACLE ONLY: the scipy routine analytic.meanfield used before issue 18 (`_roots_float64`, MINPACK's
# hybrid Newton on the square system), kept verbatim here to compare with; not package code.
def _oracle_roots_scipy(model, eqs, vals, starts, seed):
    import scipy.optimize

    var = mf.variables(model)
    syms = list(var.values())
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    system = list(exprs)
    for C in mf.conserved_quantities(model, eqs):
        members = [i for i, s in enumerate(syms) if s in C.free_symbols]
        system[members[-1]] = C - 1
    f = sp.lambdify(syms, system, modules="numpy")
    f_eqs = sp.lambdify(syms, exprs, modules="numpy")
    jac = sp.lambdify(syms, sp.Matrix(system).jacobian(syms), modules="numpy")
    rng = np.random.default_rng(seed)
    found: list = []
    with np.errstate(all="ignore"):
        for _ in range(starts):
            x0 = rng.uniform(-1, 1, len(syms))
            sol = scipy.optimize.root(lambda x: np.asarray(f(*x), float),
                                      x0, jac=lambda x: np.asarray(jac(*x), float), method="hybr", tol=1e-14)
            x = sol.x
            if not np.all(np.isfinite(x)):
                continue
            scale = max(1.0, float(np.max(np.abs(np.asarray(jac(*x), float)))))
            res = max(np.max(np.abs(np.asarray(f(*x), float))), np.max(np.abs(np.asarray(f_eqs(*x), float))))
            if not res < 1e-10 * scale:
                continue
            if any(np.max(np.abs(x - y)) < 1e-7 for y in found):
                continue
            found.append(x)
    return [dict(zip(var, map(float, x))) for x in found]
# ----------------------------------------------------------------------------------------------------


def _points(model, eqs, count):
    """``count`` parameter points drawn as the completeness check draws them (k/10, k = 2..30,
    non-dyadic), each with the seed of its random starts."""
    var = mf.variables(model)
    params = sorted({s for e in eqs.values() for s in e.free_symbols} - set(var.values()), key=str)
    rng = random.Random(7)
    out = []
    for _ in range(count):
        vals = {p: sp.Rational(rng.randint(2, 30), 10) * (1 if p.is_positive or rng.random() < 0.5 else -1)
                for p in params}
        out.append((vals, rng.randint(0, 2**31)))
    return out


def _same(a, b, tol=1e-6):
    def covered(p, qs):
        return any(all(abs(p[k] - q[k]) < tol for k in p) for q in qs)

    return all(covered(p, b) for p in a) and all(covered(q, a) for q in b)


@pytest.mark.parametrize("name", ["crf", "lmg", "gain_loss_dimer", "driven_dicke", "open_dicke"])
def test_numpy_search_finds_the_real_fixed_points_scipy_found(name):
    """At three parameter points per model, the same set of real fixed points (to 1e-6) as the
    old MINPACK search from the same 60 random starts (measured: also on every other catalogue
    model, where the numpy search finds the same points or more, see the next test)."""
    model = models.get(name)
    eqs = mf.equations(model)
    for vals, seed in _points(model, eqs, 3):
        new = roots_float64(model, eqs, vals, starts=60, seed=seed)
        old = _oracle_roots_scipy(model, eqs, vals, starts=60, seed=seed)
        assert new and _same(new, old), (vals, new, old)


def test_numpy_search_finds_fixed_points_minpack_missed():
    """driven_tavis_cummings at G=6/5, S=3/5, gamma=7/5, nu=11/5, omega=14/5: two real fixed points
    with sz = 0.  On the square system (the sz equation replaced by the spin length) the whole
    circle sz = 0 solves the sx and sy equations, and MINPACK ends there every time; the
    least-squares run on all equations finds both points."""
    model = models.get("driven_tavis_cummings")
    eqs = mf.equations(model)
    vals = {model.symbol(k): sp.Rational(v) for k, v in
            {"G": "6/5", "S": "3/5", "gamma": "7/5", "nu": "11/5", "omega": "14/5"}.items()}
    assert _oracle_roots_scipy(model, eqs, vals, starts=60, seed=1) == []
    found = roots_float64(model, eqs, vals, starts=60, seed=1)
    assert len(found) == 2
    var = mf.variables(model)
    for p in found:
        assert abs(p["sz"]) < 1e-12
        sub = {**vals, **{var[k]: v for k, v in p.items()}}
        assert max(abs(float(e.subs(sub))) for e in eqs.values()) < 1e-10
        assert abs(p["sx"] ** 2 + p["sy"] ** 2 + p["sz"] ** 2 - 1) < 1e-10


def test_dogleg_root_square_overdetermined_and_hopeless():
    def f(x):
        return np.array([x[0] ** 2 + x[1] ** 2 - 1, x[0] - x[1]])

    def jac(x):
        return np.array([[2 * x[0], 2 * x[1]], [1.0, -1.0]])

    x = dogleg_root(f, jac, [0.3, 0.9])
    assert np.allclose(x, [2 ** -0.5, 2 ** -0.5], atol=1e-14)
    x = dogleg_root(lambda x: np.append(f(x), x[0] + x[1] - 2 ** 0.5),
                    lambda x: np.vstack([jac(x), [1.0, 1.0]]), [0.9, 0.1])
    assert np.allclose(x, [2 ** -0.5, 2 ** -0.5], atol=1e-14)
    x = dogleg_root(lambda x: np.array([x[0] ** 2 + 1]), lambda x: np.array([[2 * x[0]]]), [0.5])
    assert np.isfinite(x).all() and abs(x[0]) < 0.01  # no root: stops near the minimum of |f|, slow progress
    assert np.isnan(dogleg_root(lambda x: np.array([np.inf]), lambda x: np.array([[1.0]]), [0.0])).all()


def test_null_space_is_scipys():
    """ORACLE ONLY: scipy.linalg.null_space, which analytic.meanfield.eigenvalues used before."""
    import scipy.linalg

    rng = np.random.default_rng(0)
    for A in (rng.normal(size=(1, 3)), rng.normal(size=(2, 6)) + 1j * rng.normal(size=(2, 6)),
              np.array([[1.0, 0, 0]]), np.zeros((1, 3)), np.array([[1, 2, 3], [2, 4, 6.0]])):
        B, ref = null_space(A), scipy.linalg.null_space(A)
        assert B.shape == ref.shape and np.allclose(B, ref)


def test_meanfield_package_imports_no_scipy():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n.split(".")[0] == "scipy" for n in names), (path.name, names)


def test_meanfield_modules_by_job_short_and_annotated():
    """Each module < 700 lines, opening with a one-line docstring; every public function and method
    annotated (parameters and return); the package re-exports its documented API."""
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text()
        assert len(text.splitlines()) < 700, path.name
        tree = ast.parse(text)
        doc = ast.get_docstring(tree)
        assert doc and doc.splitlines()[0].strip(), path.name

        def visit(body, prefix=""):
            for n in body:
                if isinstance(n, ast.ClassDef) and not n.name.startswith("_"):
                    visit(n.body, n.name + ".")
                elif isinstance(n, ast.FunctionDef) and not n.name.startswith("_"):
                    a = n.args
                    args = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
                    missing = [x.arg for x in args if x.annotation is None and x.arg not in ("self", "cls")]
                    assert not missing and n.returns is not None, (path.name, prefix + n.name, missing)

        visit(tree.body)
    for name in mf.__all__:
        assert getattr(mf, name).__module__.startswith("analytic.meanfield."), name
    assert callable(mf.fixed_points) and callable(mf.stability) and callable(mf.equations)
