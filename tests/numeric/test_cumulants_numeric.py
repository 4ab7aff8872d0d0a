"""numeric.semiclassical.cumulants: crf steady states at orders 1-3 against the Puri-Lawande closed form."""
from __future__ import annotations

import numpy as np
import pytest

import analytic as an
from analytic import formulas
from analytic.model import ModelError
from numeric.core.errors import SolverError
from numeric.semiclassical import cumulants as nc

VALUES = {"omega": "1.2", "kappa": 1}          # lambda = omega/(2 kappa) = 0.6


def _errors(sizes: tuple) -> dict:
    exact = formulas.get("crf.exact.sz", backend="mpmath")
    model = an.models.crf()
    out = {}
    for S in sizes:
        ex = float(exact(1.2, 1.0, S))
        for k in (1, 2, 3):
            st = nc.steady_state(model, VALUES, order=k, S=S)
            assert st.residual < 1e-9 and st.constraint < 1e-9
            out[S, k] = abs(st.expect("Sz") / S - ex)
    return out


def _check_hierarchy(err: dict, sizes: tuple) -> dict:
    for S in sizes:
        assert err[S, 1] > err[S, 2] > err[S, 3], (S, [err[S, k] for k in (1, 2, 3)])
    return {k: -np.polyfit(np.log(sizes), np.log([err[S, k] for S in sizes]), 1)[0] for k in (1, 2, 3)}


def test_crf_orders_small_sizes() -> None:
    """Acceptance 3 at S = 10, 40: |<Sz>/S - exact| falls with the order (1 > 2 > 3) at each S."""
    sizes = (10, 40)
    slopes = _check_hierarchy(_errors(sizes), sizes)
    assert slopes[1] > 0.9 and slopes[2] > 1.8 and slopes[3] > 2.7, slopes


@pytest.mark.slow
def test_crf_orders_against_puri_lawande() -> None:
    r"""Acceptance 3, crf at lambda = 0.6 (omega = 1.2, kappa = 1), S = 10, 40, 160, 640, 1000.

    |<Sz>/S - exact| measured (2026-12-07):

    ======  =========  =========  =========
    S       order 1    order 2    order 3
    ======  =========  =========  =========
    10      1.79e-3    3.88e-4    7.64e-5
    40      4.02e-4    2.11e-5    9.70e-7
    160     9.84e-5    1.28e-6    1.45e-8
    640     2.45e-5    7.96e-8    2.24e-10
    ======  =========  =========  =========

    Fitted orders in 1/S (least squares over the four sizes): order 1 ~ S^-1.03,
    order 2 ~ S^-2.04, order 3 ~ S^-3.06: order k has error ~ S^-k.  The error falls with the
    order at every S.
    """
    sizes = (10, 40, 160, 640, 1000)
    err = _errors(sizes)
    slopes = _check_hierarchy(err, sizes)
    print("fitted orders in 1/S:", {k: round(v, 2) for k, v in slopes.items()})
    assert abs(slopes[1] - 1) < 0.15 and abs(slopes[2] - 2) < 0.2 and abs(slopes[3] - 3) < 0.3, slopes


def test_expect_answers_products_and_refuses_higher_degree() -> None:
    st = nc.steady_state(an.models.crf(), VALUES, order=2, S=10)
    sx2, sy2, sz2 = st.expect("Sx*Sx"), st.expect("Sy*Sy"), st.expect("Sz*Sz")
    assert abs(sx2 + sy2 + sz2 - 10 * 11) < 1e-8          # the Casimir, kept exactly
    assert isinstance(st.expect("Sz"), float)
    # a product of degree 3 > order 2 is closed at order 2: <Sz^3> = 3<Sz^2><Sz> - 2<Sz>^3
    z, z2 = st.expect("Sz"), st.expect("Sz*Sz")
    assert abs(st.expect("Sz*Sz*Sz") - (3 * z2 * z - 2 * z ** 3)) < 1e-9 * abs(z) ** 3


def test_refusals() -> None:
    with pytest.raises(ModelError, match="branch"):
        nc.steady_state(an.models.crf(), VALUES, order=2, S=10, branch=-1)
    with pytest.raises(ModelError, match="branch=3"):
        nc.steady_state(an.models.crf(), VALUES, order=2, S=10, branch=3)
    with pytest.raises(ModelError, match="dps"):
        nc.steady_state(an.models.crf(), VALUES, order=2, S=10, dps=5)
    with pytest.raises(ModelError, match="missing value"):
        nc.steady_state(an.models.crf(), {"omega": 1}, order=2, S=10)
    with pytest.raises(SolverError, match="no stable fixed point"):
        nc.steady_state(an.models.crf(), VALUES, order=2, S=10, t_max=0.01)


def test_kerr_mode_orders_against_exact_numerics() -> None:
    """A bosonic mode: kerr (Delta = 1, U = 0.3, F = 0.4, gamma = 1) at D = 5, 20, <a†a>/D at
    orders 1 (|<a>|^2/D), 2, 3 against the truncated exact steady state (60 Fock levels).
    Measured: D = 5: 1.3e-4, 4.4e-7, 2.7e-8; D = 20: 3.3e-5, 1.5e-8, 3.4e-10."""
    import numeric
    model, values = an.models.kerr(), {"Delta": 1, "U": "0.3", "F": "0.4", "gamma": 1}
    for D in (5, 20):
        exact = numeric.steady_state(model, values, D=D, truncation=60).expect("ad*a").real / D
        first = nc.steady_state(model, values, order=1, D=D)
        errs = [abs(abs(first.expect("a")) ** 2 / D - exact)]
        errs += [abs(nc.steady_state(model, values, order=k, D=D).expect("ad*a") / D - exact) for k in (2, 3)]
        assert errs[0] > errs[1] > errs[2], (D, errs)


def test_reachable_as_numeric_cumulants():
    """Issue 19: the cumulant steady states are reachable as ``numeric.cumulants``."""
    import numeric
    from numeric.semiclassical import cumulants

    assert numeric.cumulants.steady_state is cumulants.steady_state
    assert all(callable(getattr(numeric.cumulants, n)) for n in ("evolve", "correlation", "spectrum"))


def test_expect_at_dps_keeps_large_sizes_exact() -> None:
    """Seed 004 (collective reading) at N = 10^32 and dps = 60: Var(S_y)/N must be the N -> infinity value
    (within O(1/N) of N = 10^12), not float64 noise: with I printed as ``1j`` the coefficient N I/4 was
    rounded to float64 and Var(S_y)/N came out as -5.8e14."""
    import mpmath
    import sympy as sp

    out = {}
    for N in (10 ** 12, 10 ** 32):
        st = nc.steady_state(an.models.driven_dicke(), {"Omega": "1.3", "gamma_c": sp.Rational(10) / (N - 1),
                                                        "gamma_s": "0.9"}, order=2, factorization="collective", N=N, dps=60)
        with mpmath.workdps(60):
            out[N] = (st.expect("Sy*Sy") - st.expect("Sy") ** 2) / N
    assert 0 < out[10 ** 32] < 1, out
    assert abs(out[10 ** 32] - out[10 ** 12]) < 1e-10 * out[10 ** 32], out
