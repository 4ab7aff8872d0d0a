"""Progress of long computations on stderr (tqdm.auto; a widget in notebooks), shown only when asked.

The one progress facility of the package: every long computation takes ``progress=`` and passes
it here as ``enabled``.  Library functions default to ``progress=False`` (they print nothing
unasked); the command line (:mod:`numeric.app.cli`) asks for progress.  Nothing here installs a
signal handler or sets a timer; :class:`status` uses a daemon thread.

* :func:`bar` -- a bar over counted steps (``total``), or a running count when ``total`` is
  ``None``: a :class:`tqdm.auto.tqdm` on ``sys.stderr``, disabled unless ``enabled``.
* :class:`status` -- one step of unknown length: a status line with the elapsed time, shown only
  when the step takes longer than ``delay`` seconds (default :data:`DELAY`).
* :func:`write` -- one line of text between the bars (tqdm.write to stderr), only when ``enabled``.
"""
from __future__ import annotations

import sys
import threading

from tqdm.auto import tqdm

__all__ = ["DELAY", "bar", "status", "write"]

#: seconds a step runs before its status line appears
DELAY = 2.0


def bar(total: float | None, desc: str, enabled: bool = False, *, unit: str = "it", leave: bool = True) -> tqdm:
    """A tqdm bar on stderr over ``total`` steps (``None``: count without a total).

    ``enabled=False`` gives a disabled bar (``update``/``set_postfix_str``/``close`` do nothing
    and nothing is written); ``leave=False`` erases it when closed.  Use it as a context manager, or ``close()`` it.
    """
    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, file=sys.stderr, leave=leave,
                dynamic_ncols=True)


def write(text: str, enabled: bool = False) -> None:
    """``text`` as one line on stderr when ``enabled`` (through tqdm, so it does not break a bar)."""
    if enabled:
        tqdm.write(text, file=sys.stderr)


class status:
    """Context manager: a status line on stderr (the step's text and its elapsed time) for a step
    that takes longer than ``delay`` seconds; nothing for a fast step or when ``enabled=False``.

    On a terminal the line redraws twice a second; in a log it is written when it appears and
    when the step ends (with the final elapsed time, left on its own line)."""

    def __init__(self, desc: str, enabled: bool = False, delay: float = DELAY):
        self.desc, self.enabled, self.delay = desc, enabled, delay
        self.bar = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "status":
        if self.enabled:
            self._thread.start()
        return self

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self.bar = tqdm(total=None, desc=self.desc, bar_format="{desc} ... {elapsed}", file=sys.stderr,
                        leave=True, mininterval=0.5 if tty else 3600, delay=1e-9)  # delay > 0: no 00:00 line
        self.bar.start_t -= self.delay  # the elapsed time counts from the start of the step
        self.bar.refresh()
        while not self._stop.wait(0.5):
            self.bar.update(0)

    def __exit__(self, *exc) -> bool:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.bar is not None:
            self.bar.close()
        return False
