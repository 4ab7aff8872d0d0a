"""Command line of the toolkit: ``dspins report | derive | models | formulas | reproduce``.

* ``dspins report [MODEL | --all] [--out DIR] [--no-figures]`` (the main job; ``dspins`` alone
  runs it on the embedded default ``crf``): derives, evaluates and cross-checks every registered
  formula of the model against the numeric solvers (:mod:`numeric.app.report`), prints the table
  (formula, check, agreement in digits or fitted order in 1/S, the criterion, sizes, time, and a
  legend) and writes the model's figures to ``DIR`` (created and checked for writability before
  any computation); exit status 1 if a check fails or a figure cannot be written.
* ``dspins derive MODEL [--latex]``: what the engine derives from the model's definition: the
  master equation in our convention, the mean-field equations, the fixed points with their
  conditions of existence, the eigenvalues of the (tangent) Jacobian and the stability
  boundaries.  Models without compact closed-form fixed points get the reduced polynomial
  collected in the reduced variable instead.  ``--latex`` renders every expression with
  :mod:`analytic.printing` (the notebooks' symbols).  A step that takes longer than 2 s shows
  a status line on stderr.  Only uses :mod:`analytic`.
* ``dspins models``, ``dspins formulas``: list the catalogue (with the papers' citations) and
  the registered formulas.
* ``dspins reproduce``: see :mod:`numeric.app.reproduce`.
* ``dspins --version``: the installed package version.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import sys
import time
from typing import Sequence

import sympy as sp

import analytic as an
from analytic import meanfield as mf
from analytic import timelimit
from analytic import printing
from numeric.core import progress as pg

__all__ = ["main", "derive_report", "models_listing"]

DEFAULT_MODEL = "crf"


def _version() -> str:
    try:
        return importlib.metadata.version("dspins")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        return "unknown (not installed)"


class _Printer:
    """Expressions as SymPy text, or as LaTeX with the notebooks' symbols (:mod:`analytic.printing`)."""

    def __init__(self, latex: bool):
        self.latex = latex

    def expr(self, e) -> str:
        return printing.latex(e) if self.latex else sp.sstr(e)

    def equation(self, var: str, rhs) -> str:
        return printing.equation(var, rhs) if self.latex else f"d{var}/dt = {sp.sstr(rhs)}"

    def assignment(self, var: str, value) -> str:
        if self.latex:
            return f"{printing.symbol_latex(var) or printing.latex(sp.Symbol(var))} = {printing.latex(value)}"
        return f"{var} = {sp.sstr(value)}"

    def operator(self, op) -> str:
        return printing.operator(op) if self.latex else str(op)

    def jump(self, d) -> str:
        local = isinstance(d.jump, an.algebra.Local)
        if self.latex:
            inner = printing.local(d.jump) if local else printing.operator(d.jump)
            return (r"\sum_n " if local else "") + rf"\mathcal{{D}}[{inner}]"
        inner = d.jump.label if local else str(d.jump)
        return ("sum over atoms of " if local else "") + f"D[{inner}]"

    def polynomial(self, poly, variable: str) -> str:
        if self.latex:
            return printing.collected(poly, variable)
        v = next((s for s in sp.sympify(poly).free_symbols if s.name == variable), sp.Symbol(variable))
        return sp.sstr(sp.collect(sp.expand(poly), v, sp.factor))

    def join(self, items) -> str:
        return (r",\quad " if self.latex else ", ").join(items)


def _mean_field_equations(model):
    """Thermodynamic-limit equations when the model's rates are scaled, else finite size."""
    try:
        return mf.equations(model, thermodynamic_limit=True), "S, N -> infinity (leading order)"
    except an.ModelError:
        return mf.equations(model), "finite size (rates not scaled with the size)"


def derive_report(name: str, latex: bool = False, timeout: float = 60, progress: bool = True) -> str:
    """The text printed by ``dspins derive NAME``: expressions as SymPy text, or with
    ``latex=True`` every expression (H, dissipators, equations, fixed points, conditions,
    eigenvalues, the reduced polynomial) as LaTeX with the symbols of :mod:`analytic.printing`.
    ``progress``: status lines on stderr for steps longer than 2 s (:class:`numeric.core.progress.status`;
    on by default: this is the command's own text)."""
    m = an.models.get(name)
    pr = _Printer(latex)
    lines = []
    out = lines.append
    rule = "=" * 78
    out(rule)
    out(f"model {m.name}: {m.source}")
    out(rule)
    out("master equation (hbar = 1; rate r multiplies D[L] = L rho L^+ - {L^+ L, rho}/2, no factor 2):")
    out(f"  H = {pr.operator(m.hamiltonian)}")
    for d in m.dissipators:
        out(f"  {d.label}: rate {pr.expr(d.rate)} on {pr.jump(d)}  ({d.kind})")
    with pg.status(f"{name}: mean-field equations", progress):
        eqs, regime = _mean_field_equations(m)
        cons = mf.conserved_quantities(m, eqs)
    fact = "individual-atom" if m.has_individual_terms() else "collective, normal ordering"
    out("")
    out(f"mean-field equations ({fact}; {regime}):")
    for k, e in eqs.items():
        out(f"  {pr.equation(k, e)}")
    if cons:
        out("conserved: " + pr.join(pr.expr(c) for c in cons) + "  (fixed points taken on the unit sphere)")
    out("")
    t0 = time.time()
    try:
        with pg.status(f"{name}: fixed points (SymPy; gives up after {timeout:g} s per attempt, see --timeout)",
                     progress):
            points = mf.fixed_points(m, eqs, timeout=timeout)
        failure = None
        if not any(p.kind == "closed" for p in points):  # one numeric branch: say why once
            failure = "fixed_points: " + "; ".join(points[-1].skipped)
    except an.ModelError as exc:
        failure = str(exc)  # the message names the step ("fixed_points: no closed form ...")
    if failure is not None:
        out(failure)
        out("  (returned as a numeric branch: its .at(values) finds the fixed points numerically)")
        target = "sz" if "sz" in eqs else next(iter(eqs))
        try:
            with pg.status(f"{name}: Groebner elimination to {target}", progress), \
                    timelimit.limit(timeout, f"reduced_system: elimination to {target} took longer than {timeout:g} s"):
                poly = mf.reduced_system(m, target, eqs)
            out(f"reduced fixed-point system (Groebner elimination to {target}; collected in {target}):")
            out(f"  {pr.polynomial(poly, target)} = 0")
        except an.ModelError as exc2:
            out(f"  ({exc2})")
        return "\n".join(lines)
    out(f"fixed points ({len(points)}, {time.time() - t0:.1f} s):")
    for i, p in enumerate(points, 1):
        if getattr(p, "kind", "") == "numeric":  # branches with no closed form: say why, no Jacobian
            out(f"  [{i}] numeric branch (no closed form; numeric.semiclassical.flows.meanfield_fixed_points finds its points)")
            for reason in p.skipped:
                out(f"      {reason}")
            continue
        out(f"  [{i}] " + pr.join(pr.assignment(k, v) for k, v in p.items()))
        if p.conditions:
            out("      exists for: " + pr.join(pr.expr(c) for c in p.conditions))
        try:
            with pg.status(f"{name}: eigenvalues at fixed point {i}", progress), \
                    timelimit.limit(timeout, f"eigenvalues: longer than {timeout:g} s"):
                ev = mf.eigenvalues(m, p, eqs=eqs)
                bounds = mf.stability_boundaries(m, p, eqs)
                ev = [sp.simplify(e) for e in ev]
            out("      Jacobian eigenvalues: " + pr.join(pr.expr(e) for e in ev))
            if bounds["real"]:
                out("      real eigenvalue crosses 0 at: " + pr.join(f"{pr.expr(f)} = 0" for f in bounds["real"]))
        except an.ModelError as exc:
            out(f"      ({exc})")
    return "\n".join(lines)


def _summary(doc: str) -> str:
    """The first paragraph of a docstring on one line, without reST markup."""
    para = " ".join(line.strip() for line in (doc or "").strip().split("\n\n")[0].splitlines())
    return re.sub(r":\w+:`~?([^`]+)`|``([^`]+)``", lambda m: m.group(1) or m.group(2), para)


def models_listing() -> str:
    """The text printed by ``dspins models``: every catalogue model with its one-line description,
    the full citation of its paper and the place in it, and its registered formulas."""
    blocks = []
    for n, constructor in an.models.catalogue.items():
        formulas = [f for f in an.formulas.names() if an.formulas.formula(f).model == n]
        blocks.append("\n".join([
            f"{n}: {_summary(constructor.__doc__)}",
            f"    paper {constructor.paper.number}: {constructor().source}",
            "    formulas: " + (", ".join(formulas) if formulas else "(none registered)"),
        ]))
    return "\n".join(blocks)


def _report(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from numeric.app import report as rp
    from numeric.app.reproduce import writable_folder

    name = getattr(args, "model", None)
    every = getattr(args, "all", False)
    if every and name is not None:
        parser.error(f"report: give a MODEL or --all, not both (got MODEL {name!r} and --all)")
    name = name or DEFAULT_MODEL
    if not every and name not in rp.report_models():
        parser.error(f"report: unknown model {name!r}; choose from {', '.join(rp.report_models())}")
    figures = not getattr(args, "no_figures", False)
    out = getattr(args, "out", "dspins-report")
    if figures:
        try:
            writable_folder(out)  # before any computation: a bad --out fails at once
        except OSError as exc:
            parser.error(str(exc))
    options = dict(out=out, figures=figures, progress=True)
    reports = rp.report_all(**options) if every else [rp.report(name, **options)]
    for rep in reports:
        print(rep.table())
        print()
    total = sum(len(rep.results) for rep in reports)
    failed = sum(not r.passed for rep in reports for r in rep.results)
    print(f"{total - failed}/{total} formula checks agree with the numerics "
          f"({sum(rep.seconds for rep in reports):.0f} s)")
    unwritten = [e for rep in reports for e in rep.figure_errors]
    for e in unwritten:
        print(f"dspins report: error: cannot write figure {e}", file=sys.stderr)
    return 1 if failed or unwritten else 0


def _reproduce(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from numeric.app import reproduce

    if bool(args.all) == bool(args.papers):
        parser.error("reproduce: name the papers (000 ... 004) or give --all, not both")
    numbers = "all" if args.all else args.papers
    for n in ([] if args.all else args.papers):
        if n not in reproduce.MODULES:
            parser.error(f"reproduce: unknown paper {n!r}; choose from {', '.join(reproduce.MODULES)}")
    try:
        reproduce.writable_folder(args.out)
    except OSError as exc:
        parser.error(str(exc))
    results = reproduce.run(numbers, size="small" if args.small else "paper", out=args.out, progress=True)
    for res in results:
        print(res.table())
        print()
    return 0 if all(r.ok for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dspins", description="Driven-dissipative collective spins: derive and check.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command")
    d = sub.add_parser("derive", help="mean-field equations, fixed points, stability of a catalogue model")
    d.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=f"catalogue model (default {DEFAULT_MODEL}); "
                   f"one of {', '.join(an.models.catalogue)}")
    d.add_argument("--latex", action="store_true", help="print every expression as LaTeX (s_x, \\Gamma, g_-)")
    d.add_argument("--timeout", type=float, default=60, help="seconds allowed for each symbolic solve")
    r = sub.add_parser("report", help="cross-check every registered formula of a model against the numerics; "
                       "print the table and write the figures (the main job)")
    r.add_argument("model", nargs="?", default=None, help=f"catalogue model (default {DEFAULT_MODEL}); "
                   f"one of {', '.join(an.models.catalogue)}")
    r.add_argument("--all", action="store_true", help="every catalogue model (instead of MODEL)")
    r.add_argument("--out", default="dspins-report", help="folder of the figures (default ./dspins-report; "
                   "created, its parent must exist, and checked before any computation)")
    r.add_argument("--no-figures", action="store_true", help="only the table")
    rp = sub.add_parser("reproduce", help="recompute the papers' printed numbers at the papers' sizes; "
                        "write reproduce/NNN.json and figures")
    rp.add_argument("papers", nargs="*", metavar="PAPER", help="paper numbers 000 ... 004")
    rp.add_argument("--all", action="store_true", help="every paper")
    rp.add_argument("--small", action="store_true", help="small sizes: the same code paths in seconds "
                    "(not judged against the printed values)")
    rp.add_argument("--out", default="reproduce", help="folder of NNN.json and the figures (default ./reproduce)")
    sub.add_parser("models", help="list the catalogue: each model, its paper (full citation) and its formulas")
    sub.add_parser("formulas", help="list the registered formulas")
    args = parser.parse_args(argv)
    try:
        return _dispatch(parser, args)
    except BrokenPipeError:  # `dspins models | head`: the reader left; stop quietly
        sys.stdout = open(os.devnull, "w")
        return 0


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.command in (None, "report"):
        return _report(parser, args)
    if args.command == "reproduce":
        return _reproduce(parser, args)
    if args.command == "derive":
        name = getattr(args, "model", DEFAULT_MODEL)
        if name not in an.models.catalogue:
            parser.error(f"derive: unknown model {name!r}; choose from {', '.join(an.models.catalogue)}")
        print(derive_report(name, latex=getattr(args, "latex", False), timeout=getattr(args, "timeout", 60)))
    elif args.command == "models":
        print(models_listing())
    elif args.command == "formulas":
        rows = [(n, ",".join(an.formulas.formula(n).args), an.formulas.formula(n).check.kind) for n in an.formulas.names()]
        w = [max(len(r[i]) for r in rows) for i in range(2)]
        for n, a, k in rows:
            print(f"{n:{w[0]}s}  args={a:{w[1]}s}  check={k}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
