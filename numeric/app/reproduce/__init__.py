"""``dspins reproduce``: the five papers' printed numbers recomputed at the papers' sizes.

One module per paper (``paper000`` ... ``paper004``), each declaring ``NUMBER``, ``SPECS`` (what
the paper prints and how ours is judged, :mod:`.spec`) and ``TASKS`` (the computations, each
runnable at ``'paper'`` size or at a ``'small'`` size that exercises the same code in seconds).
:func:`run` runs papers and writes ``reproduce/NNN.json`` plus figures (:mod:`.runner`).

Example
-------
>>> from numeric.app import reproduce
>>> res = reproduce.run("001", size="small", out=None, progress=False)[0]   # doctest: +SKIP
>>> print(res.table())                                                        # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

from numeric.app.reproduce import paper000, paper001, paper002, paper003, paper004
from numeric.app.reproduce.runner import Result, run_paper, writable_folder
from numeric.app.reproduce.spec import SIZES

__all__ = ["MODULES", "module", "run", "Result", "SIZES", "writable_folder"]

MODULES: dict[str, ModuleType] = {m.NUMBER: m for m in (paper000, paper001, paper002, paper003, paper004)}


def module(number: str) -> ModuleType:
    """The reproduction module of paper ``number`` ('000' ... '004'); ValueError naming the argument."""
    if number not in MODULES:
        raise ValueError(f"paper: unknown paper {number!r}; choose from {', '.join(MODULES)} or --all")
    return MODULES[number]


def run(numbers: str | list, size: str = "paper", out: str | Path | None = "reproduce",
        progress: bool = False) -> list:
    """Run the reproductions of ``numbers`` (one paper number, a list, or ``'all'``) at ``size``
    and write ``<out>/NNN.json`` and the figures; returns one :class:`Result` per paper.
    ``progress``: a bar per paper over its tasks on stderr (``dspins reproduce`` asks for it)."""
    todo = list(MODULES) if numbers == "all" else [numbers] if isinstance(numbers, str) else list(numbers)
    mods = [module(n) for n in todo]  # every name checked before anything runs
    if out is not None:
        writable_folder(out)
    return [run_paper(m, size=size, out=out, progress=progress) for m in mods]
