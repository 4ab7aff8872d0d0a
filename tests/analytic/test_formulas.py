"""Registry: every formula evaluates with both backends and they agree (issue 2, acceptance 4)."""

import mpmath
import numpy as np
import pytest

import analytic as an

NAMES = an.formulas.names()


def test_required_names_registered():
    for name in ("crf.meanfield.sz", "lmg.meanfield.x", "lmg.meanfield.z",
                 "driven_dicke.meanfield.bistability", "open_dicke.meanfield.critical_coupling"):
        assert name in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_backends_agree(name):
    f = an.formulas.formula(name)
    assert f.source and f.domain and f.check.points
    for point in f.check.points:
        args = [point[a] for a in f.args]
        v_np = np.atleast_1d(np.asarray(f.function("numpy")(*args), dtype=float))
        with mpmath.workdps(40):
            v_mp = f.function("mpmath")(*[mpmath.mpf(a) for a in args])
            v_mp = [v_mp] if not isinstance(v_mp, (tuple, list)) else list(v_mp)
            assert all(isinstance(x, mpmath.mpf) for x in v_mp), "mpmath backend must return mpf"
            hi = np.array([float(x) for x in v_mp])
        assert np.all(np.isfinite(v_np))
        assert np.allclose(v_np, hi, rtol=1e-14, atol=1e-15)


def test_mpmath_backend_carries_precision():
    f = an.formulas.get("crf.meanfield.sz", backend="mpmath")
    with mpmath.workdps(60):
        v = f(mpmath.mpf(1), mpmath.mpf(1))
        assert abs(v + mpmath.sqrt(3) / 2) < mpmath.mpf(10) ** -58
