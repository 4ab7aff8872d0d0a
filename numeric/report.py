r"""``dspins report``: derive, evaluate and cross-check every registered formula of a model.

For each formula of :mod:`analytic.formulas` whose name starts with the model, the SymPy
expression is derived by the engine, lambdified, and confronted with the numeric solvers by its
registered check (:mod:`numeric.checks`): agreement in digits (exact checks) or the fitted order
p of :math:`|{\rm numeric}(S) - {\rm formula}| \propto S^{-p}` (asymptotic checks).  The table
lists formula, check kind, agreement, sizes, time and status; the model's figures
(:mod:`numeric.figures`) are written to an output folder.  Progress goes to stderr.

Example
-------
>>> from numeric.report import report
>>> rep = report('crf', figures=False, progress=False, names=['crf.meanfield.sy'])
>>> rep.passed
True
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import analytic as an
from analytic.model import ModelError

from . import checks
from . import figures as figs

__all__ = ["Report", "report_models", "formulas_of", "report", "report_all"]


@dataclass
class Report:
    """Results of :func:`report` for one model: one :class:`numeric.checks.CheckResult` per
    formula, the paths of the written figures and the wall time."""

    model: str
    results: list
    figures: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def table(self) -> str:
        """The plain-text table printed by ``dspins report``."""
        head = f"{'formula':42s} {'check':17s} {'agreement':30s} {'sizes':26s} {'time':>7s}  status"
        lines = [f"model {self.model}: {len(self.results)} registered formula(s)", head, "-" * len(head)]
        for r in self.results:
            sizes = ",".join(map(str, r.sizes)) if r.sizes else "-"
            status = "ok" if r.passed else "FAIL " + r.detail
            lines.append(f"{r.name:42s} {r.kind:17s} {r.agreement():30s} {sizes:26s} {r.seconds:6.1f}s  {status}")
        if not self.results:
            lines.append("(no registered formulas for this model)")
        for p in self.figures:
            lines.append(f"figure: {p}")
        return "\n".join(lines)


def report_models() -> list:
    """Every catalogue model, then the formula prefixes that are not catalogue models (e.g.
    ``mixed``, the totally mixed state), so that ``--all`` covers every registered formula."""
    extra = sorted({an.formulas.formula(n).model for n in an.formulas.names()} - set(an.models.catalogue))
    return list(an.models.catalogue) + extra


def formulas_of(model: str) -> list:
    """Registered formula names of ``model`` (raises ModelError naming an unknown model)."""
    if model not in report_models():
        raise ModelError(f"model: unknown model {model!r}; choose from {report_models()}")
    return [n for n in an.formulas.names() if an.formulas.formula(n).model == model]


def _progress(enabled: bool, text: str) -> None:
    if enabled:
        print(text, file=sys.stderr, flush=True)


def _figures(model: str, results: list, out: Path, progress: bool) -> list:
    """Write the model's figures (convergence of its asymptotic checks; seed 000 Figs. 2b, 5, 6
    for crf); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written: list = []
    fig = figs.convergence(results, f"{model}: convergence of the asymptotic checks")
    if fig is not None:
        written.append(str(out / f"{model}_convergence.png"))
        fig.savefig(written[-1], dpi=110)
    if model == "crf":
        _progress(progress, "  crf: exact steady state for seed 000 Figs. 2b, 5, 6 (S = 50 ... 1600) ...")
        written += figs.write_crf_figures(out)
    return written


def report(model: str = "crf", out: str | Path = "dspins-report", figures: bool = True,
           progress: bool = True, names: Sequence[str] | None = None) -> Report:
    """Run the checks of every registered formula of ``model`` and write its figures.

    Parameters
    ----------
    model : str
        A catalogue model (or a formula prefix such as ``'mixed'``), default ``'crf'``.
    out : str or Path
        Folder of the figures (created).
    figures : bool
        Write the figures (convergence plot of the asymptotic checks; seed 000 Figs. 2b, 5, 6
        for crf).
    progress : bool
        Progress lines on stderr.
    names : sequence of str, optional
        Restrict to these formulas of the model (all by default).

    Returns
    -------
    Report
        A failing check is a failed row (its message in ``detail``), never a silent pass.
    """
    t0 = time.perf_counter()
    todo = formulas_of(model)
    if names is not None:
        unknown = sorted(set(names) - set(todo))
        if unknown:
            raise ModelError(f"names: {unknown} are not registered formulas of {model!r}")
        todo = [n for n in todo if n in names]
    results = []
    for i, name in enumerate(todo, 1):
        _progress(progress, f"[{model} {i}/{len(todo)}] {name} ({an.formulas.formula(name).check.kind}) ...")
        r = checks.run(name, catch=True)
        _progress(progress, f"    {r.agreement()}  {'ok' if r.passed else 'FAIL'}  {r.seconds:.1f} s")
        results.append(r)
    paths = _figures(model, results, Path(out), progress) if figures else []
    return Report(model, results, paths, time.perf_counter() - t0)


def report_all(out: str | Path = "dspins-report", figures: bool = True, progress: bool = True) -> list:
    """:func:`report` for every model of :func:`report_models`."""
    return [report(m, out=out, figures=figures, progress=progress) for m in report_models()]
