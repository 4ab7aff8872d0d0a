"""Run the registered check of every exported formula (docs/ARCHITECTURE.md, 'The flow', step 5).

Every check implementation lives in the package, :mod:`numeric.app.checks` (``dspins report`` prints
the same results, from an installed wheel too: tests/test_wheel.py); each returns a
:class:`numeric.app.checks.CheckResult` and this test asserts on it: the agreement in digits reaches
the required digits and the fitted order in 1/S is the registered one.
"""
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

import analytic as an
from numeric.app import checks

NAMES = an.formulas.names()


def assert_result(r: checks.CheckResult):
    assert r.passed, (r.name, r.agreement(), r.errors, r.detail)
    if r.digits is not None:
        assert r.digits >= r.required_digits, (r.name, r.digits, r.required_digits, r.errors)
    if r.order is not None:
        assert abs(r.order - r.expected_order) < r.order_tol, (r.name, r.order, r.expected_order, r.errors)
    if r.kind == "root_count":  # a counting check: the counts are in r.errors
        assert all(c == [1, 3, 3, 3, 1] for c in r.errors.values()), r.errors


@pytest.mark.parametrize("name", NAMES)
def test_formula_check(name):
    kind = an.formulas.formula(name).check.kind
    assert kind in checks.KINDS, f"no implementation of check kind {kind!r} for {name} in numeric.app.checks"
    assert_result(checks.run(name))


def test_check_result_reports_a_failure():
    """A formula that disagrees with the numerics fails its check (the check is not vacuous):
    crf.meanfield.sz with the sign flipped converges to nothing, the fitted order is ~0."""
    f = an.formulas.formula("crf.meanfield.sz")
    wrong = an.formulas.Formula("crf.meanfield.sz", lambda: -f.expr, f.args, f.source, f.domain, f.check)
    r = checks.check_steady_state(wrong)
    assert not r.passed and abs(r.order) < 0.1, (r.order, r.errors)


def test_unknown_kind_is_named():
    with pytest.raises(ValueError, match="already registered"):
        checks.register_kind("exact", checks.check_exact)
    with pytest.raises(an.ModelError, match="unknown formula"):
        checks.run("crf.nothing.here")


def test_every_formula_has_its_check_kind_in_the_package():
    """In a fresh interpreter that imports only the package (cwd outside the checkout, tests/ not on
    the path), every registered formula's check kind is in numeric.app.checks.KINDS and implemented by a
    module of the numeric package; no module of tests/ is loaded.  (Before: 5 of 23 formulas had
    their kind only in tests/checks_*.py, loaded as plugins.)"""
    root = Path(checks.__file__).resolve().parents[3]  # the checkout whose numeric/ is under test
    probe = (
        "import sys, inspect, pathlib\n"
        "import analytic as an\n"
        "from numeric.app import checks\n"
        "pkg = pathlib.Path(checks.__file__).resolve().parents[2]\n"
        "for n in an.formulas.names():\n"
        "    kind = an.formulas.formula(n).check.kind\n"
        "    assert kind in checks.KINDS, (n, kind)\n"
        "    assert pathlib.Path(inspect.getsourcefile(checks.KINDS[kind])).resolve().is_relative_to(pkg), (n, kind)\n"
        "tests = pathlib.Path(sys.argv[1]) / 'tests'\n"
        "loaded = [m for m in list(sys.modules.values()) if getattr(m, '__file__', None)\n"
        "          and pathlib.Path(m.__file__).resolve().is_relative_to(tests)]\n"
        "assert not loaded, loaded\n"
        "print(len(an.formulas.names()))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", probe, str(root)], cwd=Path(root).parent, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(NAMES)


def test_no_check_dispatches_on_a_formula_name():
    """The check implementations read the formula's Check spec, never its name: no comparison with
    or parsing of ``f.name`` in numeric/checks (names appear only in messages and results)."""
    folder = Path(checks.__file__).parent
    for path in folder.glob("*.py"):
        text = path.read_text()
        for pattern in ("f.name ==", "f.name !=", "f.name in", "f.name.split", "name.split("):
            assert pattern not in text, (path.name, pattern)
    assert "load_plugins" not in inspect.getsource(checks)


def test_a_kind_must_return_a_check_result(monkeypatch):
    """A registered kind that returns something else than a CheckResult (e.g. an assert-style
    function returning None) is an error naming the kind, a failing row under catch=True."""
    monkeypatch.setitem(checks.KINDS, "mixed_exact", lambda f: None)
    with pytest.raises(TypeError, match="'mixed_exact' returned NoneType"):
        checks.run("driven_dicke.exact.mixed_g2", cache="")
    r = checks.run("driven_dicke.exact.mixed_g2", catch=True, cache="")
    assert not r.passed and "not a CheckResult" in r.detail
