"""Check kinds of the exact closed forms (analytic/exact.py), merged into
tests/test_formula_checks.py.

* ``exact``: the formula (mpmath backend, 50 digits) agrees with the arbitrary-precision
  numeric steady state ``numeric.steady.steady_state(..., dps=50)`` to ``tol`` (relative) at
  every point of the check; if ``order`` is set, also the asymptotic check
  |formula - crf.meanfield.sz| ~ S^-order over ``sizes`` at the points with lambda < 1 far enough
  from the critical crossover (min(sizes) >= 10 (1 - lambda^2)^(-3/2))
  (``sizes``; fitted exponent within ORDER_TOL = 0.02 of the registered one).
* ``mixed_exact``: g2 of the totally mixed state equals the one computed from explicit
  2^N-dimensional matrices of the collective operators (independent of the degeneracy sums),
  and 2(1 - 1/N) (seed 004 eq. D3e) exactly.
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np

import analytic as an
import analytic.exact  # noqa: F401  (registers the formulas)

ORDER_TOL = 0.02  # tolerance of a fitted exponent (Check.tol is the digits tolerance)


def _numeric_observable(name: str, st, S):
    q = name.split(".")[-1]
    if q == "sz":
        return st.expect("Sz") / S
    if q == "sz2":
        return st.expect("Sz*Sz") / S ** 2
    if q == "purity":
        return st.purity()
    if q == "xi2_x":
        return st.squeezing("x")
    if q == "negativity":
        return st.negativity()
    if q == "qubit_purity":
        return st.qubit_purity()
    raise AssertionError(f"no numeric observable for {name}")  # pragma: no cover


def check_exact(f):
    from numeric.steady import steady_state

    model = an.models.get(f.model)
    fn = f.function("mpmath")
    for point in f.check.points:
        S = point["S"]
        st = steady_state(model, {"omega": point["omega"], "kappa": point["kappa"]}, S=S, dps=50)
        with mpmath.workdps(50):
            Smp = mpmath.mpf(Fraction(str(S)).numerator) / Fraction(str(S)).denominator
            ref = mpmath.re(_numeric_observable(f.name, st, Smp))
            got = fn(*[mpmath.mpf(point[a]) if a != "S" else S for a in f.args])
            err = abs(got - ref)
            assert err <= f.check.tol * max(1, abs(ref)), (f.name, point, got, ref, err)
    if f.check.order is not None:
        mf = an.formulas.get("crf.meanfield.sz", backend="mpmath")
        for point in f.check.points:
            lam = point["omega"] / (2 * point["kappa"])
            # the 1/S regime needs S >> (1 - lambda^2)^(-3/2) (the critical crossover); closer to
            # lambda = 1 the fitted exponent is pre-asymptotic (e.g. p = 1.08 at lambda = 0.95)
            if lam >= 1 or min(f.check.sizes) < 10 * (1 - lam ** 2) ** -1.5:
                continue
            errs = []
            with mpmath.workdps(30):
                limit = mf(mpmath.mpf(point["omega"]), mpmath.mpf(point["kappa"]))
                for S in f.check.sizes:
                    errs.append(float(abs(fn(mpmath.mpf(point["omega"]), mpmath.mpf(point["kappa"]), S) - limit)))
            p = -np.polyfit(np.log(f.check.sizes), np.log(errs), 1)[0]
            assert abs(p - f.check.order) < ORDER_TOL, (f.name, point, p, errs)


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


def check_mixed_exact(f):
    np_fn, mp_fn = f.function("numpy"), f.function("mpmath")
    for point in f.check.points:
        N = point["N"]
        Sp, Sm = _collective_matrices(N)
        rho = np.eye(2 ** N) / 2 ** N
        den = np.trace(rho @ Sp @ Sm)
        num = np.trace(rho @ Sp @ Sp @ Sm @ Sm)
        g2_matrix = num / den ** 2
        assert abs(float(np_fn(N)) - g2_matrix) < 1e-12, (N, np_fn(N), g2_matrix)
        with mpmath.workdps(40):
            want = 2 * (1 - mpmath.mpf(1) / N)
            assert abs(mp_fn(N) - want) < mpmath.mpf(10) ** -38
        assert an.exact.mixed_g2(N) == 2 * (1 - Fraction(1, N))


CHECKS = {"exact": check_exact, "mixed_exact": check_mixed_exact}
