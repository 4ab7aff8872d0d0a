"""Time limits for symbolic computations without signals: a child process killed at the deadline.

The SymPy work of :func:`analytic.meanfield.fixed_points` runs in a forked child process that the
caller kills when the limit is reached, so the limit

* works from any thread (a worker thread, a notebook kernel, a dask task), unlike ``SIGALRM``;
* leaves the caller's timers (``setitimer``) and signal handlers alone: no signal handler is
  installed and no timer is set;
* is honoured even when the child is inside a long C call (python-flint, SymPy's ground types
  here), because the child is killed, not asked to stop: measured overshoot 0.03-0.1 s.

The cost is one ``fork`` per call and pickling the result back (SymPy expressions are
picklable): measured 58 ms per call on the 2-core machine under load (average 8), against
0.05 ms for the same small SymPy call in-process.  The child inherits SymPy's cache
copy-on-write but cannot fill the caller's, so callers keep results they need again
(:func:`~analytic.meanfield.fixed_points` does).  Where
``fork`` is unavailable (Windows) or forbidden (inside a daemonic ``multiprocessing`` worker), the
work runs in the calling thread under :class:`limit`, which interrupts Python code but not a
single long C call.

:class:`limit` is a context manager for a block of Python code in the calling thread (any
thread): a watchdog thread raises an exception in that thread at the deadline (CPython's
``PyThreadState_SetAsyncExc``), again every half second until the block exits, so that code
which catches ``Exception`` (SymPy's solvers do) cannot swallow it; on exit it becomes a
:class:`~analytic.model.ModelError` with the given message.
"""
from __future__ import annotations

import ctypes
import math
import multiprocessing
import numbers
import threading
import time
from typing import Any, Callable, Sequence, TypeVar

from .model import ModelError

T = TypeVar("T")

__all__ = ["check_seconds", "run", "race", "limit", "TimeLimitExceeded"]

#: how often the in-thread watchdog repeats its exception after the deadline (seconds)
REPEAT = 0.5


class TimeLimitExceeded(ModelError):
    """The symbolic time limit was reached (a :class:`~analytic.model.ModelError`)."""


def check_seconds(seconds: float | None, name: str = "timeout") -> float | None:
    """A validated time limit: ``None`` (or +inf) for no limit, else a positive finite number of
    seconds as float.  Anything else (0, negative, NaN, bool, str, complex) raises
    :class:`~analytic.model.ModelError` naming the argument."""
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise ModelError(f"{name} must be a positive number of seconds or None (no limit), "
                         f"got {seconds!r} of type {type(seconds).__name__}")
    value = float(seconds)
    if math.isnan(value) or value <= 0:
        raise ModelError(f"{name} must be a positive number of seconds or None (no limit), got {seconds!r}")
    return None if math.isinf(value) else value


def _child(conn, func, args, kwargs) -> None:
    """Body of the child process: run ``func`` and send ``('ok', result)`` or ``('error', exc)``."""
    try:
        reply = ("ok", func(*args, **kwargs))
    except BaseException as exc:  # noqa: BLE001 - every failure is sent to the caller
        reply = ("error", exc)
    try:
        conn.send(reply)
    except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
        conn.send(("error", ModelError(f"{getattr(func, '__name__', func)}: the result could not be "
                                       f"sent back from the child process: {exc}")))
    finally:
        conn.close()


def _fork_context():
    """The 'fork' multiprocessing context, or None where it is unavailable or not allowed."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    if multiprocessing.current_process().daemon:  # daemonic processes may not have children
        return None
    return multiprocessing.get_context("fork")


def run(func: Callable[..., T], *args: Any, seconds: float | None, message: str, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` with a time limit of ``seconds`` (validated by
    :func:`check_seconds`; ``None``: no limit, run in the calling thread).

    With a limit the call runs in a forked child process; at the deadline the child is killed
    and :class:`TimeLimitExceeded` (a ModelError) is raised with ``message``.  An exception
    raised by ``func`` is raised again in the caller.  The result must be picklable."""
    seconds = check_seconds(seconds)
    if seconds is None:
        return func(*args, **kwargs)
    ctx = _fork_context()
    if ctx is None:
        with limit(seconds, message):
            return func(*args, **kwargs)
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, args, kwargs), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise TimeLimitExceeded(message)
        try:
            status, payload = receive.recv()
        except EOFError:
            proc.join(1.0)
            raise ModelError(f"{getattr(func, '__name__', func)}: the child process computing it died "
                             f"(exit code {proc.exitcode}; out of memory?)") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receive.close()
    if status == "ok":
        return payload
    raise payload


def race(calls: Sequence[tuple[Callable[..., Any], tuple]], *, seconds: float | None, message: str,
         done: Callable[[Any], bool] = lambda result: True, stagger: float = 0.0) -> list:
    """Run several ``(func, args)`` concurrently, each in its own forked child process, for at most
    ``seconds`` in all; stop at the first call, in the order given, whose result is ``done``
    and all of whose predecessors have come back (so the outcome does not depend on which child
    is faster, except at the deadline).  Call i is started ``i * stagger`` seconds after the
    first (unless the calls before it have all come back by then), so that a fast first call
    does not share the CPU.

    Returns the outcomes that came back, in order of arrival, as ``(index, 'ok', result)`` or
    ``(index, 'error', exception)``; children still running at the end are killed.  An empty list
    means that none came back within the limit.  Without ``fork`` (or with ``seconds=None``) the
    calls run one after the other in the calling thread, each under :class:`limit` with the time
    left."""
    seconds = check_seconds(seconds)
    ctx = _fork_context() if seconds is not None else None
    if ctx is None:
        out = []
        start = time.monotonic()
        for i, (func, args) in enumerate(calls):
            left = None if seconds is None else seconds - (time.monotonic() - start)
            if left is not None and left <= 0:
                break
            try:
                with limit(left, message):
                    result = func(*args)
            except TimeLimitExceeded:
                break
            except Exception as exc:  # noqa: BLE001 - reported to the caller like a child's failure
                out.append((i, "error", exc))
                continue
            out.append((i, "ok", result))
            if done(result):
                break
        return out
    from multiprocessing.connection import wait

    def launch(i):
        func, args = calls[i]
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send, func, args, {}), daemon=True)
        proc.start()
        send.close()
        running[receive] = (i, proc)

    calls = list(calls)
    running: dict = {}
    out: list = []
    start = time.monotonic()
    deadline = start + seconds
    try:
        launched = 0
        while launched < len(calls) or running:
            now = time.monotonic()
            while launched < len(calls) and (now >= start + launched * stagger or not running):
                launch(launched)
                launched += 1
            next_launch = start + launched * stagger if launched < len(calls) else deadline
            left = min(deadline, next_launch) - time.monotonic()
            ready = wait(list(running), timeout=max(left, 0))
            if not ready:
                if time.monotonic() >= deadline:
                    break
                continue
            for receive in ready:
                i, proc = running.pop(receive)
                try:
                    status, payload = receive.recv()
                except EOFError:
                    proc.join(1.0)
                    status, payload = "error", ModelError(
                        f"the child process {i} died (exit code {proc.exitcode}; out of memory?)")
                receive.close()
                proc.join()
                out.append((i, status, payload))
            back = {i: (status, payload) for i, status, payload in out}
            for i in range(len(calls)):
                if i not in back:
                    break
                if back[i][0] == "ok" and done(back[i][1]):
                    return out
        return out
    finally:
        for receive, (i, proc) in running.items():
            if proc.is_alive():
                proc.kill()
            proc.join()
            receive.close()


def _inject(thread_id: int, exc_type) -> None:
    """Raise ``exc_type`` asynchronously in the thread ``thread_id`` (None: cancel a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc_type) if exc_type else None)


class _Expired(BaseException):
    """Raised in the limited thread at the deadline: a BaseException, so that library code
    catching ``Exception`` cannot swallow it.  Each :class:`limit` uses its own subclass, so
    nested limits do not take each other's expiry."""


class limit:
    """Context manager: raise :class:`TimeLimitExceeded` (a ModelError, with ``message``) if the
    block runs longer than ``seconds`` (validated by :func:`check_seconds`; None: no limit).

    Works in any thread and installs no signal handler; it interrupts Python bytecode, so a
    single long C call finishes before the exception is raised (use :func:`run` for a hard
    limit)."""

    def __init__(self, seconds, message: str):
        self.seconds = check_seconds(seconds)
        self.message = message
        self._expired = type("_Expired", (_Expired,), {})
        self._lock = threading.Lock()
        self._active = False
        self._fired = False
        self._timer = None

    def _fire(self) -> None:
        with self._lock:
            if not self._active:
                return
            self._fired = True
            _inject(self._thread, self._expired)
            self._timer = threading.Timer(REPEAT, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def __enter__(self):
        if self.seconds is not None:
            self._thread = threading.get_ident()
            self._active = True
            self.started = time.monotonic()
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        foreign = None
        if self.seconds is not None:
            while True:
                try:
                    with self._lock:
                        self._active = False
                        if self._timer is not None:
                            self._timer.cancel()
                        if self._fired:
                            _inject(self._thread, None)  # an expiry not yet delivered
                    break
                except _Expired as late:  # delivered while leaving the block: still a timeout
                    if isinstance(late, self._expired):
                        exc_type = self._expired
                    else:  # an enclosing limit expired: finish the clean-up, then pass it on
                        foreign = late
        if foreign is not None:
            raise foreign
        if exc_type is not None and issubclass(exc_type, self._expired):
            raise TimeLimitExceeded(self.message) from None
        return False
