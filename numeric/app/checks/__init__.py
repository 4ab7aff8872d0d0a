r"""Cross-checks of the registered formulas (:mod:`analytic.formulas`) against independent numerics: every check kind, the runner and its cache.

Every formula carries a :class:`analytic.formulas.Check`; :func:`run` looks up the implementation
of its ``kind`` in :data:`KINDS` and returns a :class:`CheckResult` (agreement in digits and/or the
fitted order :math:`p` of :math:`|{\rm numeric}(S) - {\rm formula}| \propto S^{-p}`, the sizes,
the errors, the time) instead of asserting, so that ``dspins report`` can print it and the test
suite can assert on it.  The numerics never go through the symbolic solve that produced the
formula, and no check looks at a formula's name: everything a check needs (points, sizes,
tolerances, the observable, the model values, the fixed state, the expected counts) is in the
formula's ``Check``.  Every kind a registered formula uses lives in this package, one module per
family (each module's docstring states its kinds and criteria):

* :mod:`.finite_size`: ``steady_state``, ``hp_squeezing``, ``hp_purity`` (convergence of the exact
  finite-S steady state to the formula, fitted order), ``exact`` (50-digit closed form vs 50-digit
  steady state), ``mixed_exact`` (explicit :math:`2^N` matrices);
* :mod:`.meanfield`: ``ode`` (long-time limit of the mean-field flow), ``linear_stability``
  (finite-difference tangent eigenvalues: relaxation rate or instability threshold), ``root_count``
  (number of physical fixed points across a window);
* :mod:`.gaussian`: ``hp_lyapunov``, ``hp_lattice_decay``, ``hp_squeezing_driven`` (Holstein-Primakoff
  formulas against scipy's Lyapunov solutions and exact permutation-invariant states);
* :mod:`.cavity`: ``attractors`` (cavity phase boundaries by bisection or fixed-point counts);
* :mod:`.laser`: ``laser_flux`` (bad-cavity laser formulas against the exact N-atom steady state of
  the model with its cavity eliminated), ``laser_linewidth`` (a large-N linewidth against the order-2
  regression spectrum of the model with its cavity at finite N);
* :mod:`.closure`: ``closure`` (a cumulant-expansion formula at N against the exact permutation-invariant
  state at the same N, fitted order of the closure error).

A user's own formula with a new kind registers its implementation with :func:`register_kind`
(``function(formula) -> CheckResult``) in the same Python process before :func:`run`.

Result cache (opt-in): with the environment variable ``DSPINS_CHECK_CACHE=<folder>`` (or
``run(name, cache=folder)``), :func:`run` stores every *passing* result as
``<folder>/<formula>-<key>.json`` and returns it instead of recomputing when the key matches.
The key (:func:`cache_key`) hashes the source of the ``analytic`` and ``numeric`` packages, the
file that implements the check kind (a test's replacement, or a user's kind, may live elsewhere),
the implementation's name and the versions of numpy, scipy, mpmath and sympy: any code change
invalidates every entry.  A failure is never stored (it is recomputed next time), and a check
called directly (``check_steady_state(formula)``) never reads the cache.  Off by default; CI sets
it so that a formula checked by ``tests/test_formula_checks.py`` is not checked again by the
report tests and the notebooks of the same run.

Example
-------
>>> from numeric.app import checks
>>> r = checks.run('crf.meanfield.sy')
>>> r.passed, r.digits > 7
(True, True)
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import inspect
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

import analytic as an
from analytic.model import ModelError

from numeric.app.checks.cavity import check_attractors
from numeric.app.checks.common import CheckResult
from numeric.app.checks.finite_size import (ORDER_TOL, check_exact, check_hp_purity, check_hp_squeezing, check_mixed_exact,
                          check_steady_state)
from numeric.app.checks.laser import check_laser_flux, check_laser_linewidth
from numeric.app.checks.closure import check_closure
from numeric.app.checks.gaussian import check_hp_lattice_decay, check_hp_lyapunov, check_hp_squeezing_driven, numeric_negativity
from numeric.app.checks.meanfield import check_linear_stability, check_ode, check_root_count

__all__ = ["CheckResult", "KINDS", "register_kind", "run", "ORDER_TOL", "CACHE_ENV", "cache_key",
           "check_steady_state", "check_hp_squeezing", "check_hp_purity", "check_exact", "check_mixed_exact",
           "check_ode", "check_linear_stability", "check_root_count", "check_hp_lyapunov", "check_hp_lattice_decay",
           "check_hp_squeezing_driven", "check_attractors", "check_laser_flux", "check_laser_linewidth", "check_closure", "numeric_negativity"]

CACHE_ENV = "DSPINS_CHECK_CACHE"  # folder of the opt-in result cache of :func:`run`


# --------------------------------------------------------------------------- registry
KINDS: dict = {
    "steady_state": check_steady_state, "ode": check_ode, "linear_stability": check_linear_stability,
    "root_count": check_root_count, "exact": check_exact, "mixed_exact": check_mixed_exact,
    "hp_squeezing": check_hp_squeezing, "hp_purity": check_hp_purity, "hp_lyapunov": check_hp_lyapunov,
    "hp_lattice_decay": check_hp_lattice_decay, "hp_squeezing_driven": check_hp_squeezing_driven,
    "attractors": check_attractors, "laser_flux": check_laser_flux, "laser_linewidth": check_laser_linewidth, "closure": check_closure,
}


def register_kind(kind: str, function: Callable) -> None:
    """Register ``function(formula) -> CheckResult`` as the implementation of check ``kind``."""
    if not isinstance(kind, str) or not kind:
        raise ValueError(f"kind must be a non-empty string, got {kind!r}")
    if kind in KINDS:
        raise ValueError(f"check kind {kind!r} is already registered")
    KINDS[kind] = function


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
    packages = [Path(an.__file__).parent, Path(__file__).parents[2]]  # analytic/, numeric/
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
        return  # a registered kind put something exotic in its result: not cached, recomputed next time
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
        if not isinstance(result, CheckResult):
            raise TypeError(f"check kind {kind!r} returned {type(result).__name__}, not a CheckResult")
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed: the row fails with the message
        if not catch:
            raise
        result = CheckResult(name, kind, False, detail=f"{type(exc).__name__}: {exc}")
    result.seconds = time.perf_counter() - t0
    if folder is not None and result.passed:
        _cache_store(folder, result)
    return result
