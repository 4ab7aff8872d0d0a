r"""``dspins report``: derive, evaluate and cross-check every registered formula of a model.

For each formula of :mod:`analytic.formulas` whose name starts with the model, the SymPy
expression is derived by the engine, lambdified, and confronted with the numeric solvers by its
registered check (:mod:`numeric.app.checks`): agreement in digits (exact checks) or the fitted order
p of :math:`|{\rm numeric}(S) - {\rm formula}| \propto S^{-p}` (asymptotic checks).  The table
lists formula, check kind, agreement, the criterion that makes the row "ok", sizes, time and
status, and ends with a legend; the model's figures (:mod:`numeric.app.figures`) are written to an
output folder, which is created and checked for writability before any computation.  A figure
that cannot be written does not lose the table: the error, naming the path, is kept in
:attr:`Report.figure_errors`.  With ``progress=True`` (``dspins report``) progress goes to stderr.

The models are those of the catalogue (:data:`analytic.models.catalogue`); every registered
formula belongs to one of them.

Example
-------
>>> from numeric.app.report import report
>>> rep = report('crf', figures=False, progress=False, names=['crf.meanfield.sy'])
>>> rep.passed
True
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import analytic as an
from analytic.model import ModelError

from numeric.app import checks
from numeric.core import progress as pg
from numeric.app import figures as figs
from numeric.app.reproduce import writable_folder

__all__ = ["Report", "LEGEND", "criterion", "report_models", "formulas_of", "report", "report_all"]

LEGEND = (
    "legend:",
    "  digits         agreeing decimal digits between formula and numerics: -log10 of the worst error",
    "                 over the check's points (relative where the check says so); 'all digits': error 0",
    "  p = 1.024 (1)  fitted order p of |numeric(S) - formula| ~ S^-p over the sizes listed (worst point);",
    "                 in parentheses the expected order, the one the formula is registered with",
    "  required       the criterion that made the row 'ok': at least these digits, |p - expected| below this",
)
CACHED_MARK = "*"


def criterion(r: checks.CheckResult) -> str:
    """The criterion a check result is judged by, for tables: ``'>= 40 digits, |dp| < 0.02'``."""
    parts = []
    if r.required_digits is not None:
        parts.append(f">= {r.required_digits:g} digits")
    if r.order_tol is not None:
        parts.append(f"|p - {r.expected_order:g}| < {r.order_tol:g}")
    if not parts and r.kind == "root_count":
        parts.append("counts 1, 3, 3, 3, 1")
    return ", ".join(parts) or "see check"


def _sizes(sizes: Sequence) -> str:
    """``'16,32,64'``, or ``'100..3200 (6)'`` (first..last, count) for more than four sizes."""
    if not sizes:
        return "-"
    return ",".join(map(str, sizes)) if len(sizes) <= 4 else f"{sizes[0]}..{sizes[-1]} ({len(sizes)})"


def _table(header: Sequence[str], rows: list, right: set = frozenset()) -> list:
    """Lines of a plain-text table whose columns are as wide as their content (the last column
    is left unpadded)."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]

    def line(cells):
        out = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            c = str(c)
            out.append(c if i == len(widths) - 1 else (c.rjust(w) if i in right else c.ljust(w)))
        return "  ".join(out).rstrip()

    head = line(header)
    return [head, "-" * max(len(head), max((len(line(r)) for r in rows), default=0))] + [line(r) for r in rows]


@dataclass
class Report:
    """Results of :func:`report` for one model: one :class:`numeric.app.checks.CheckResult` per
    formula, the paths of the written figures, the figures that could not be written (each
    message names its path) and the wall time."""

    model: str
    results: list
    figures: list = field(default_factory=list)
    seconds: float = 0.0
    figure_errors: list = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def table(self, legend: bool = True) -> str:
        """The plain-text table printed by ``dspins report``: columns sized to their content,
        then the legend (:data:`LEGEND`) unless ``legend=False``."""
        lines = [f"model {self.model}: {len(self.results)} registered formula(s)"]
        if not self.results:
            lines.append("(no registered formulas for this model)")
        else:
            rows = []
            for r in self.results:
                sizes = _sizes(r.sizes)
                t = f"{r.seconds:.1f}s" + (CACHED_MARK if r.cached else "")
                status = "ok" if r.passed else "FAIL " + r.detail
                rows.append((r.name, r.kind, r.agreement(), criterion(r), sizes, t, status))
            lines += _table(("formula", "check", "agreement", "required", "sizes", "time", "status"), rows, right={5})
            if legend:
                lines += LEGEND
                if any(r.cached for r in self.results):
                    lines.append(f"  {CACHED_MARK}              time of the cached computation ({checks.CACHE_ENV}), "
                                 "not recomputed")
        for p in self.figures:
            lines.append(f"figure: {p}")
        for e in self.figure_errors:
            lines.append(f"figure NOT written: {e}")
        return "\n".join(lines)


def report_models() -> list:
    """The catalogue models (:data:`analytic.models.catalogue`), in its order: ``--all`` covers
    every registered formula, since each belongs to one of them."""
    return list(an.models.catalogue)


def formulas_of(model: str) -> list:
    """Registered formula names of ``model`` (raises ModelError naming an unknown model)."""
    if model not in an.models.catalogue:
        raise ModelError(f"model: unknown model {model!r}; choose from {report_models()}")
    return [n for n in an.formulas.names() if an.formulas.formula(n).model == model]


def _save(fig, path: Path, written: list, errors: list) -> None:
    try:
        fig.savefig(path, dpi=110)
        written.append(str(path))
    except OSError as exc:
        errors.append(f"{str(path)!r}: {exc.strerror or exc}")


def _figures(model: str, results: list, out: Path, progress: bool) -> tuple:
    """Write the model's figures (convergence of its asymptotic checks; paper 000 Figs. 2b, 5, 6
    for crf); returns (written paths, error messages naming the paths that failed)."""
    written: list = []
    errors: list = []
    fig = figs.convergence(results, f"{model}: convergence of the asymptotic checks")
    if fig is not None:
        _save(fig, out / f"{model}_convergence.png", written, errors)
    if model == "crf":
        with pg.status("crf: exact steady state for paper 000 Figs. 2b, 5, 6 (S = 50 ... 1600)", progress):
            crf = figs.crf_figures()
        for stem, fig in crf.items():
            _save(fig, out / f"{stem}.png", written, errors)
    return written, errors


def report(model: str = "crf", out: str | Path = "dspins-report", figures: bool = True,
           progress: bool = False, names: Sequence[str] | None = None) -> Report:
    """Run the checks of every registered formula of ``model`` and write its figures.

    Parameters
    ----------
    model : str
        A catalogue model, default ``'crf'``.
    out : str or Path
        Folder of the figures: created and checked for writability first (OSError naming it).
    figures : bool
        Write the figures (convergence plot of the asymptotic checks; paper 000 Figs. 2b, 5, 6
        for crf).
    progress : bool
        A line per check on stderr (:func:`numeric.core.progress.write`) and a status line for the
        slow crf figures (:class:`numeric.core.progress.status`); ``dspins report`` asks for them;
        default: nothing printed.
    names : sequence of str, optional
        Restrict to these formulas of the model (all by default).

    Returns
    -------
    Report
        A failing check is a failed row (its message in ``detail``), never a silent pass; a
        figure that cannot be written is in ``figure_errors``.
    """
    t0 = time.perf_counter()
    todo = formulas_of(model)
    if names is not None:
        unknown = sorted(set(names) - set(todo))
        if unknown:
            raise ModelError(f"names: {unknown} are not registered formulas of {model!r}")
        todo = [n for n in todo if n in names]
    folder = writable_folder(out) if figures else None
    results = []
    for i, name in enumerate(todo, 1):
        pg.write(f"[{model} {i}/{len(todo)}] {name} ({an.formulas.formula(name).check.kind}) ...", progress)
        r = checks.run(name, catch=True)
        pg.write(f"    {r.agreement()}  {'ok' if r.passed else 'FAIL'}  {r.seconds:.1f} s"
                 + (" (cached)" if r.cached else ""), progress)
        results.append(r)
    paths, errors = _figures(model, results, folder, progress) if figures else ([], [])
    return Report(model, results, paths, time.perf_counter() - t0, errors)


def report_all(out: str | Path = "dspins-report", figures: bool = True, progress: bool = False) -> list:
    """:func:`report` for every catalogue model (``out`` checked once, before any computation)."""
    if figures:
        writable_folder(out)
    return [report(m, out=out, figures=figures, progress=progress) for m in report_models()]
