"""Run a paper's reproduction tasks with a progress bar and write ``NNN.json`` and its figures.

:func:`run_paper` executes every :class:`~numeric.app.reproduce.spec.Task` of one paper module at
the requested size, times each, records failures per task (a failing task is an ``error`` row,
never a crash of the whole run) and writes ``<out>/<NNN>.json``: the citation, the size, the
machine, the package versions, the wall time, and one row per quantity (computed value, printed
value with its equation or figure, reference, criterion, verdict, parameters, seconds).
Figures a task returns are written as ``<out>/<NNN>_<name>.png``.
"""
from __future__ import annotations

import datetime as _dt
import importlib.metadata
import json
import math
import os
import platform
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib.pyplot as plt

from analytic.papers import paper
from numeric.core import progress as pg

from numeric.app.reproduce.spec import SIZES, Record, check_keys

__all__ = ["Result", "run_paper", "versions", "writable_folder"]

_PACKAGES = ("dspins", "numpy", "scipy", "sympy", "mpmath", "python-flint", "pymetis", "matplotlib")


def versions() -> dict:
    """Python and the versions of the packages a reproduction depends on."""
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def writable_folder(path: str | Path) -> Path:
    """Create the folder ``path`` and check that a file can be written in it; OSError naming the
    path otherwise.  Its parent must exist: a mistyped ``--out /nonexistent/x`` is refused, not
    created (as ``mkdir`` without ``-p``).  Called before any computation, so a bad ``--out``
    fails in a second."""
    folder = Path(path)
    if not folder.parent.is_dir():
        raise OSError(f"--out: cannot write to {str(folder)!r}: its parent folder {str(folder.parent)!r} "
                      "does not exist (create it first)")
    try:
        folder.mkdir(exist_ok=True)
        probe = folder / f".dspins-write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise OSError(f"--out: cannot write to {str(folder)!r}: {exc.strerror or exc}") from exc
    return folder


def _jsonable(value: Any) -> Any:
    """Numbers, lists and dicts as plain JSON (numpy scalars and arrays converted; NaN refused)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite value {value!r}")
        return value
    if isinstance(value, complex):
        raise ValueError(f"complex value {value!r}: a task must return real numbers")
    return float(value)


@dataclass
class Result:
    """The outcome of :func:`run_paper`: the records, figure paths, wall time and where the JSON went."""

    number: str
    size: str
    records: list
    figures: list = field(default_factory=list)
    seconds: float = 0.0
    json_path: Path | None = None
    task_errors: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """No task failed and, at the paper's size, every quantity is as expected: it agrees, or
        it disagrees where a finding says the paper is wrong.  (A small run is not judged against
        the printed values, which hold at the papers' sizes.)"""
        if self.task_errors or any(r.error for r in self.records):
            return False
        return self.size == "small" or all(r.as_expected for r in self.records)

    def table(self) -> str:
        """The plain-text summary printed by ``dspins reproduce``."""
        p = paper(self.number)
        lines = [f"paper {self.number}: {p.citation}", f"size: {self.size}, {self.seconds:.0f} s",
                 f"{'quantity':40s} {'source':22s} {'printed':>18s} {'ours':>22s}  verdict"]
        lines.append("-" * len(lines[-1]))
        for r in self.records:
            lines.append(f"{r.spec.key:40s} {r.spec.source[:22]:22s} {r.spec.printed[:18]:>18s} "
                         f"{_short(r.value)[:22]:>22s}  {r.verdict}")
        for name, err in self.task_errors.items():
            lines.append(f"task {name} failed: {err.splitlines()[-1] if err else ''}")
        n_ok = sum(r.as_expected for r in self.records)
        lines.append(f"{n_ok}/{len(self.records)} quantities as expected"
                     + (f"; {sum(not r.spec.expected for r in self.records)} findings (paper not reproduced, "
                        "see the 'finding' field)" if any(not r.spec.expected for r in self.records) else ""))
        for f in self.figures:
            lines.append(f"figure: {f}")
        if self.json_path is not None:
            lines.append(f"written: {self.json_path}")
        return "\n".join(lines)


def _short(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return str(value)


def run_paper(module: ModuleType, size: str = "paper", out: str | Path | None = "reproduce",
              progress: bool = False, only: tuple | None = None) -> Result:
    """Run every task of a paper module (``SPECS``, ``TASKS``, ``NUMBER``) at ``size``.

    Parameters
    ----------
    module : the paper's module in :mod:`numeric.app.reproduce`.
    size : ``'paper'`` (the paper's sizes) or ``'small'`` (same code path, seconds; for CI).
    out : folder for ``NNN.json`` and the figures (created and checked first); ``None`` writes nothing.
    progress : a bar over the tasks on stderr (:func:`numeric.core.progress.bar`; the CLI asks for it);
        default: nothing printed.
    only : run only these task names (the rest are absent from the result and the JSON).
    """
    if size not in SIZES:
        raise ValueError(f"size: {size!r} is not one of {SIZES}")
    check_keys(module.SPECS, module.TASKS)
    tasks = [t for t in module.TASKS if only is None or t.name in only]
    if only is not None and len(tasks) != len(set(only)):
        raise ValueError(f"only: unknown task(s) {sorted(set(only) - {t.name for t in module.TASKS})}")
    folder = writable_folder(out) if out is not None else None
    specs = {s.key: s for s in module.SPECS}
    records, figures, errors = [], [], {}
    t_start = time.perf_counter()
    bar = pg.bar(len(tasks), f"paper {module.NUMBER} ({size})", progress, unit="task")
    for task in tasks:
        bar.set_postfix_str(task.name)
        t0 = time.perf_counter()
        try:
            produced = task.run(size)
            error = ""
        except Exception:  # noqa: BLE001 - a failing task is a row of errors, the run goes on
            produced, error = {}, traceback.format_exc(limit=6)
            errors[task.name] = error
        seconds = time.perf_counter() - t0
        params = _jsonable(produced.pop("_params", {}))
        for name, fig in produced.pop("_figures", {}).items():
            if folder is not None:
                path = folder / f"{module.NUMBER}_{name}.png"
                try:
                    fig.savefig(path, dpi=110, bbox_inches="tight")
                    figures.append(str(path))
                except OSError as exc:
                    errors[f"{task.name} figure {name}"] = f"cannot write {path}: {exc}"
            plt.close(fig)
        for key in task.keys:
            rec = Record(specs[key], task=task.name, params=params, seconds=seconds, error=error)
            if not error:
                if key not in produced:
                    if size == "paper":  # a small run may leave out the sizes it cannot reach quickly
                        rec.error = f"task {task.name} returned no value for {key}"
                else:
                    got = produced[key]
                    if specs[key].reference is None:
                        if not (isinstance(got, tuple) and len(got) == 2):
                            rec.error = f"{key}: a derived reference needs (value, reference)"
                        else:
                            got, rec.reference = got[0], _jsonable(got[1])
                    else:
                        rec.reference = specs[key].reference
                    try:
                        rec.value = _jsonable(got)
                    except ValueError as exc:
                        rec.error = f"{key}: {exc}"
            records.append(rec)
        bar.update()
    bar.close()
    order = {s.key: i for i, s in enumerate(module.SPECS)}
    records.sort(key=lambda r: order[r.spec.key])
    result = Result(module.NUMBER, size, records, figures, time.perf_counter() - t_start, None, errors)
    if folder is not None:
        result.json_path = folder / f"{module.NUMBER}.json"
        result.json_path.write_text(json.dumps(to_json(module, result), indent=1, ensure_ascii=False) + "\n")
    return result


def to_json(module: ModuleType, result: Result) -> dict:
    """The JSON document of a run (see the module docstring)."""
    p = paper(module.NUMBER)
    return {
        "paper": module.NUMBER,
        "citation": p.citation,
        "size": result.size,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "wall_seconds": round(result.seconds, 1),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "machine": platform.machine()},
        "versions": versions(),
        "as_expected": result.ok,
        "task_errors": result.task_errors,
        "quantities": [r.to_json() for r in result.records],
        "figures": [Path(f).name for f in result.figures],
    }
