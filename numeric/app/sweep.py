r"""Parameter sweeps (phase diagrams) on local processes or a Dask cluster, as labelled arrays.

:func:`sweep` evaluates ``function(**point)`` on the Cartesian product of a grid
``{name: values}`` and returns an :class:`xarray.DataArray` with one dimension per grid axis
(plus ``quantity`` when the function returns a mapping), so that a phase diagram plots in one
line: ``sweep(f, {'omega': w, 'kappa': k}).plot()``.

Engines:

* default: a local :class:`concurrent.futures.ProcessPoolExecutor` (``processes`` workers;
  ``processes=1`` runs in this process, for lambdas and closures);
* ``scheduler='tcp://host:8786'`` (or a :class:`dask.distributed.Client`, or a
  ``LocalCluster``): the same call runs on that Dask cluster (``dask.distributed`` is the
  distributed engine; no scheduler of our own).

Points are sent in batches; with ``progress=True`` a bar on stderr counts finished points.  A point that raises
or returns a non-finite value stops the sweep with an error naming the point (no silent NaN).
Local and Dask runs of a deterministic function give identical arrays.

Memory (issue 17, "Resources"): the points that run at once share the memory, so a function that
takes ``max_memory=`` (every solver of :mod:`numeric` does) receives the share of one worker,
``max_memory / workers`` (default: 80% of the memory available now, divided by the local
workers), and refuses its point up front with :class:`numeric.core.resources.ResourceError`; the sweep
then stops with that ResourceError naming the point.

Example
-------
>>> import numpy as np
>>> from numeric.app.sweep import sweep
>>> r = sweep(lambda a, b: a * b, {'a': [1, 2], 'b': [1, 10, 100]}, processes=1, progress=False)
>>> r.sel(a=2, b=10).item()
20
"""
from __future__ import annotations

import inspect
import itertools
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Callable, Mapping

import numpy as np
import xarray as xr

from analytic.model import ModelError
from numeric.core import progress as pg
from numeric.core import resources

__all__ = ["sweep"]


def _grid(grid: Mapping) -> dict:
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError(f"grid must be a non-empty mapping {{name: 1-d values}}, got {grid!r}")
    out = {}
    for name, values in grid.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"grid: axis name {name!r} is not a valid keyword-argument name")
        arr = np.asarray(values)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"grid: axis {name!r} must be a non-empty 1-d sequence, got shape {arr.shape}")
        out[name] = arr
    return out


def _run_batch(function: Callable, points: list, fixed: dict) -> list:
    """Evaluate ``function(**point, **fixed)`` for a batch (runs in a worker)."""
    out = []
    for p in points:
        try:
            out.append(function(**p, **fixed))
        except resources.ResourceError as exc:  # refused up front: stays a ResourceError (a ModelError)
            raise resources.ResourceError(f"sweep: refused at {p}: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - re-raised with the point named
            raise RuntimeError(f"sweep: function failed at {p}: {type(exc).__name__}: {exc}") from exc
    return out


def _takes_max_memory(function: Callable) -> bool:
    """Whether ``function`` has a parameter named ``max_memory`` (``**kwargs`` alone does not count)."""
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    p = params.get("max_memory")
    return p is not None and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)


def _dask_client(scheduler):
    from dask.distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str) or hasattr(scheduler, "scheduler_address"):
        return Client(scheduler), True
    raise ValueError(f"scheduler must be an address 'tcp://host:port', a dask.distributed Client or a cluster, "
                     f"got {type(scheduler).__name__}")


def _collect(results: list, points: list, dims: list, shape: tuple, name: str | None, grid: dict) -> xr.DataArray:
    first = results[0]
    if isinstance(first, Mapping):
        keys = list(first)
        if any(not isinstance(r, Mapping) or list(r) != keys for r in results):
            raise ValueError("sweep: the function returned mappings with different keys at different points")
        values = np.array([[r[k] for k in keys] for r in results])
        shape, dims, coords = shape + (len(keys),), dims + ["quantity"], {**grid, "quantity": keys}
    else:
        values, coords = np.array(results), dict(grid)
        if values.ndim != 1:
            raise ValueError("sweep: the function must return a number or a mapping {quantity: number}")
    if not np.issubdtype(values.dtype, np.number):
        raise ValueError(f"sweep: the function returned non-numbers ({values.dtype})")
    bad = ~np.isfinite(values.reshape(len(points), -1)).all(axis=1)
    if bad.any():
        raise ValueError(f"sweep: non-finite result at {points[int(np.argmax(bad))]} ({int(bad.sum())} point(s))")
    return xr.DataArray(values.reshape(shape), coords=coords, dims=dims, name=name)


def sweep(function: Callable, grid: Mapping, *, scheduler: Any = None, processes: int | None = None,
          batch: int | None = None, progress: bool = False, name: str | None = None,
          max_memory: float | str | None = None, **fixed: Any) -> xr.DataArray:
    r"""Evaluate ``function`` on the Cartesian product of ``grid``.

    .. math:: R[i_1, \dots, i_d] = f(x^{(1)}_{i_1}, \dots, x^{(d)}_{i_d}; \text{fixed})

    Parameters
    ----------
    function : callable
        ``function(**point, **fixed)`` returning a real or complex number, or a mapping
        ``{quantity: number}`` with the same keys at every point.  Must be picklable (a
        module-level function) unless ``processes=1``.
    grid : mapping
        ``{axis name: 1-d values}``; the axes become the dimensions, in this order.
    scheduler : str, dask.distributed.Client or cluster, optional
        Run on this Dask cluster instead of local processes.
    processes : int, optional
        Local worker processes (default ``os.cpu_count()``); 1 runs in this process.
    batch : int, optional
        Points per task (default: about 8 tasks per worker).
    progress : bool
        A bar over the points on stderr (:func:`numeric.core.progress.bar`); default: nothing printed.
    name : str, optional
        Name of the returned array (default: the function's name).
    max_memory : int, float or str, optional
        Memory the points running at once may use together (bytes or a string like ``'8 GiB'``,
        parsed by :func:`numeric.core.resources.memory_limit`); each point gets ``max_memory / workers``
        as its ``max_memory=`` argument.  Default: 80% of the memory available now shared by the
        local workers; on a Dask cluster the default passes nothing (each worker's solvers use
        their own machine's default).  Functions without a ``max_memory`` parameter are called
        unchanged; giving ``max_memory`` for such a function is a ``ModelError``.
    **fixed
        Keyword arguments passed unchanged at every point.

    Returns
    -------
    xarray.DataArray
        Dimensions = grid axes (+ ``quantity``), coordinates = grid values; ``attrs`` record the
        engine, the number of workers and the wall time.
    """
    if not callable(function):
        raise ValueError(f"function must be callable, got {type(function).__name__}")
    axes = _grid(grid)
    clash = sorted(set(axes) & set(fixed))
    if clash:
        raise ValueError(f"grid and fixed arguments share the names {clash}")
    if processes is not None and (isinstance(processes, bool) or not isinstance(processes, int) or processes < 1):
        raise ValueError(f"processes must be a positive integer, got processes={processes!r}")
    dims = list(axes)
    shape = tuple(len(v) for v in axes.values())
    points = [dict(zip(dims, (v.item() for v in combo))) for combo in itertools.product(*axes.values())]
    name = name or getattr(function, "__name__", "result")
    t0 = time.perf_counter()
    results: list = [None] * len(points)

    if scheduler is not None:
        client, owned = _dask_client(scheduler)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        engine = f"dask ({client.scheduler.address})"
    else:
        workers = processes or os.cpu_count() or 1
        engine = "local" if workers == 1 else f"{workers} local processes"
    if _takes_max_memory(function) and "max_memory" not in axes:
        if max_memory is not None or scheduler is None:
            fixed = {**fixed, "max_memory": resources.memory_limit(max_memory) / workers}
    elif max_memory is not None:
        resources.memory_limit(max_memory)  # a bad value is named first
        raise ModelError(f"sweep: max_memory={max_memory!r} given but {name!r} takes no max_memory= "
                         f"argument to pass it to")
    size = batch or max(1, math.ceil(len(points) / (8 * workers)))
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"batch must be a positive integer, got batch={batch!r}")
    starts = list(range(0, len(points), size))
    bar = pg.bar(len(points), f"sweep {name} ({engine})", progress, unit="point")

    if scheduler is not None:
        from dask.distributed import as_completed as dask_completed

        try:
            futures = {client.submit(_run_batch, function, points[s:s + size], fixed, pure=False): s for s in starts}
            for fut in dask_completed(list(futures)):
                s = futures[fut]
                results[s:s + size] = fut.result()
                bar.update(len(points[s:s + size]))
        finally:
            if owned:
                client.close()
    elif workers == 1:
        for s in starts:
            results[s:s + size] = _run_batch(function, points[s:s + size], fixed)
            bar.update(len(points[s:s + size]))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_run_batch, function, points[s:s + size], fixed): s for s in starts}
            try:
                for fut in as_completed(futures):
                    s = futures[fut]
                    results[s:s + size] = fut.result()
                    bar.update(len(points[s:s + size]))
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
    bar.close()
    out = _collect(results, points, dims, shape, name, axes)
    out.attrs.update(engine=engine, workers=workers, seconds=time.perf_counter() - t0)
    return out
