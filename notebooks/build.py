"""Regenerates the executed notebooks ``NNN_*.ipynb`` from their jupytext scripts ``NNN_*.py``.

Usage::

    python notebooks/build.py                     # all five, full size, outputs written into NNN_*.ipynb
    python notebooks/build.py 002 004             # only these papers
    python notebooks/build.py --small --out DIR   # the same code at small sizes, executed copies in DIR
    python notebooks/build.py --check             # exit 1 if a notebook's cells differ from its script

Each script is a jupytext percent-format file (``# %%`` starts a code cell, ``# %% [markdown]`` a
text cell) paired with its notebook: edit either, ``jupytext --sync notebooks/NNN_*.py`` brings
the other in step (cells only), and this script re-executes it.  A build reads the script with
jupytext, executes it with nbclient in this folder and writes the notebook with its outputs.
The kernel gets ``DSPINS_NOTEBOOK_SIZE`` (``full`` or ``small``; the heavy cells read it),
``PYTHONHASHSEED=0`` and one BLAS thread unless set otherwise, so that a rebuild without changes
reproduces the committed outputs; inline figures are drawn at ``FIGURE_DPI``; per-cell wall times
go to stderr, never into a notebook.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE_VARIABLE = "DSPINS_NOTEBOOK_SIZE"
SIZES = ("full", "small")
FORMATS = "ipynb,py:percent"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
FIGURE_DPI = 80  # inline figures of the committed notebooks: readable, and ~2 MB for all five
_DETERMINISTIC = {"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                  "MKL_NUM_THREADS": "1"}

__all__ = ["SIZE_VARIABLE", "SIZES", "scripts", "read_script", "cells", "stale", "execute", "write", "build",
           "main"]


def scripts(numbers=None) -> list[Path]:
    """The notebook scripts ``NNN_*.py`` of this folder, all or those whose number is in ``numbers``."""
    found = sorted(HERE.glob("[0-9][0-9][0-9]_*.py"))
    if numbers:
        unknown = set(numbers) - {p.name[:3] for p in found}
        if unknown:
            raise ValueError(f"numbers: no notebook script for {sorted(unknown)}; "
                             f"choose from {[p.name[:3] for p in found]}")
        found = [p for p in found if p.name[:3] in numbers]
    return found


def read_script(script: Path):
    """The notebook of a jupytext script, without outputs, with the notebook metadata this
    folder commits (kernel and jupytext pairing) and no cell ids (stable diffs)."""
    import jupytext

    nb = jupytext.read(str(script), fmt="py:percent")
    nb.metadata = {"kernelspec": dict(KERNEL), "jupytext": {"formats": FORMATS}}
    nb.nbformat, nb.nbformat_minor = 4, 4
    for cell in nb.cells:
        cell.pop("id", None)
        cell.metadata = {}
    return nb


def cells(nb) -> list[tuple[str, str]]:
    """``[(cell_type, source), ...]``: what a notebook and its script must share."""
    return [(c.cell_type, c.source) for c in nb.cells]


def stale(script: Path) -> bool:
    """True if ``script``'s notebook is missing or its cells differ from the script's."""
    import nbformat

    ipynb = script.with_suffix(".ipynb")
    return not ipynb.exists() or cells(nbformat.read(str(ipynb), as_version=4)) != cells(read_script(script))


def execute(nb, size: str = "full", timeout: int | None = None, cwd: Path = HERE):
    """Execute ``nb`` in place (kernel started in ``cwd`` with ``DSPINS_NOTEBOOK_SIZE=size``);
    returns the wall time of each code cell in seconds.  Raises nbclient's CellExecutionError,
    naming the cell and its traceback, when a cell fails (a failed physics assertion)."""
    import nbclient

    if size not in SIZES:
        raise ValueError(f"size: {size!r} is not one of {SIZES}")
    env = {**_DETERMINISTIC, **os.environ, SIZE_VARIABLE: size}
    if timeout is None:
        timeout = 3600 if size == "full" else 600
    figures = f"--InlineBackend.print_figure_kwargs={{'bbox_inches': 'tight', 'dpi': {FIGURE_DPI}}}"
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name=KERNEL["name"], record_timing=True,
                                     extra_arguments=[figures], resources={"metadata": {"path": str(cwd)}})
    client.execute(env=env)
    seconds = []
    for cell in nb.cells:
        stamps = cell.metadata.pop("execution", None)
        if cell.cell_type == "code" and stamps:
            start = stamps.get("iopub.execute_input") or stamps.get("shell.execute_reply.started")
            seconds.append(_seconds(stamps["shell.execute_reply"]) - _seconds(start))
    return seconds


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def write(nb, path: Path) -> None:
    """Write ``nb`` as nbformat 4.4 without cell ids or execution metadata (stable bytes)."""
    import nbformat

    nb.nbformat, nb.nbformat_minor = 4, 4
    for cell in nb.cells:
        cell.pop("id", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, str(path))


def build(script: Path, size: str = "full", out: Path | None = None, timeout: int | None = None):
    """Read ``script``, execute it at ``size`` and write the executed notebook into ``out``
    (default: next to the script, i.e. the committed notebook).  Returns (path, notebook,
    per-cell seconds)."""
    nb = read_script(script)
    seconds = execute(nb, size, timeout)
    target = (Path(out) if out is not None else script.parent) / script.with_suffix(".ipynb").name
    target.parent.mkdir(parents=True, exist_ok=True)
    write(nb, target)
    return target, nb, seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", help="paper numbers (000 ... 004); default all")
    parser.add_argument("--small", action="store_true", help="run the heavy cells at small sizes (CI)")
    parser.add_argument("--out", type=Path, help="write the executed notebooks here (required with --small)")
    parser.add_argument("--check", action="store_true", help="only check that each notebook matches its script")
    args = parser.parse_args(argv)
    todo = scripts(args.numbers)
    if args.check:
        bad = [p.with_suffix(".ipynb").name for p in todo if stale(p)]
        for name in bad:
            print(f"{name} differs from its script: run python notebooks/build.py {name[:3]}", file=sys.stderr)
        return 1 if bad else 0
    if args.small and args.out is None:
        parser.error("--small needs --out: the committed notebooks hold the full-size outputs")
    for script in todo:
        t0 = time.perf_counter()
        path, _, seconds = build(script, "small" if args.small else "full", args.out)
        slow = ", ".join(f"#{i + 1} {s:.1f} s" for i, s in enumerate(seconds) if s >= 2)
        print(f"{path.name} ({'small' if args.small else 'full'}): {time.perf_counter() - t0:.1f} s; "
              f"code cells over 2 s: {slow or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
