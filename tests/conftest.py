"""Every test starts from the same SymPy random state, so that its run time does not depend on the tests before it.

SymPy's multivariate factorisation (Wang's algorithm, used by ``sympy.factor``) draws random evaluation points
from ``sympy.core.random``; a rare draw makes it take minutes (seen once: 300 s instead of 6 s for
``analytic.cavity.normal_fluctuations`` after other tests had consumed the random stream).  Seeding per test
makes each test's path, and its duration, reproducible.
"""
import pytest
import sympy.core.random


@pytest.fixture(autouse=True)
def _same_sympy_random_state():
    sympy.core.random.seed(20261207)
    yield
