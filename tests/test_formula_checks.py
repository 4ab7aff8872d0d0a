"""Run the registered check of every exported formula (docs/ARCHITECTURE.md, 'The flow', step 5).

The check implementations live in :mod:`numeric.checks` (``dspins report`` prints the same
results); each returns a :class:`numeric.checks.CheckResult` and this test asserts on it: the
agreement in digits reaches the required digits and the fitted order in 1/S is the registered
one.  Check kinds not (yet) in the package may still be contributed by plugin files
``tests/checks_*.py`` defining a dict ``CHECKS = {kind: function(formula)}``; such a function
returns a CheckResult (asserted here) or asserts itself; :func:`numeric.checks.load_plugins`
registers them.
"""
from pathlib import Path

import pytest

import analytic as an
from numeric import checks

NAMES = an.formulas.names()
PLUGINS = checks.load_plugins(Path(__file__).parent)  # kinds of tests/checks_*.py not (yet) in numeric.checks


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
    assert kind in checks.KINDS, f"no implementation of check kind {kind!r} for {name} (numeric.checks or tests/checks_*.py)"
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
