"""Command line.

* ``dspins report [MODEL] [--all] [--out DIR] [--no-figures]`` (the main job; ``dspins`` alone
  runs it on the embedded default ``crf``): derives, evaluates and cross-checks every registered
  formula of the model against the numeric solvers (:mod:`numeric.report`), prints the table
  (formula, check, agreement in digits or fitted order in 1/S, sizes, time) and writes the
  model's figures to ``DIR``; exit status 1 if any check fails.
* ``dspins derive MODEL [--latex]``: what the engine derives from the model's definition: the
  master equation in our convention, the mean-field equations, the fixed points with their
  conditions of existence, the eigenvalues of the (tangent) Jacobian and the stability
  boundaries.  Models without compact closed-form fixed points get the reduced polynomial
  system instead.  Only uses :mod:`analytic`.
* ``dspins models``, ``dspins formulas``: list the catalogue and the registered formulas.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

import sympy as sp

import analytic as an
from analytic import meanfield as mf

__all__ = ["main", "derive_report"]

DEFAULT_MODEL = "crf"
REPO_TESTS = Path(__file__).resolve().parents[1] / "tests"  # check kinds still in tests/checks_*.py (checkouts)


def _fmt(expr, latex: bool) -> str:
    return sp.latex(expr) if latex else sp.sstr(expr)


def _mean_field_equations(model):
    """Thermodynamic-limit equations when the model's rates are scaled, else finite size."""
    try:
        return mf.equations(model, thermodynamic_limit=True), "S, N -> infinity (leading order)"
    except an.ModelError:
        return mf.equations(model), "finite size (rates not scaled with the size)"


def derive_report(name: str, latex: bool = False, timeout: float = 60) -> str:
    """The text printed by ``dspins derive NAME``."""
    m = an.models.get(name)
    lines = []
    out = lines.append
    rule = "=" * 78
    out(rule)
    out(f"model {m.name}: {m.source}")
    out(rule)
    out("master equation (hbar = 1; rate r multiplies D[L] = L rho L^+ - {L^+ L, rho}/2, no factor 2):")
    out(f"  H = {m.hamiltonian}")
    for d in m.dissipators:
        jump = d.jump.label if isinstance(d.jump, an.algebra.Local) else str(d.jump)
        where = "sum over atoms of " if d.kind == "individual" else ""
        out(f"  {d.label}: rate {_fmt(d.rate, False)} on {where}D[{jump}]  ({d.kind})")
    eqs, regime = _mean_field_equations(m)
    fact = "individual-atom" if m.has_individual_terms() else "collective, normal ordering"
    out("")
    out(f"mean-field equations ({fact}; {regime}):")
    for k, e in eqs.items():
        out(f"  d{k}/dt = {_fmt(e, latex)}")
    cons = mf.conserved_quantities(m, eqs)
    if cons:
        out("conserved: " + ", ".join(_fmt(c, latex) for c in cons) + "  (fixed points taken on the unit sphere)")
    out("")
    t0 = time.time()
    try:
        points = mf.fixed_points(m, eqs, timeout=timeout)
    except an.ModelError as exc:
        out(f"fixed points: {exc}")
        target = "sz" if "sz" in eqs else next(iter(eqs))
        try:
            with mf._time_limit(timeout, "reduction timed out"):
                poly = mf.reduced_system(m, target, eqs)
            out(f"reduced fixed-point system (Groebner elimination to {target}):")
            out(f"  {_fmt(sp.factor(poly), latex)} = 0")
        except an.ModelError as exc2:
            out(f"  ({exc2})")
        return "\n".join(lines)
    out(f"fixed points ({len(points)}, {time.time() - t0:.1f} s):")
    for i, p in enumerate(points, 1):
        out(f"  [{i}] " + ", ".join(f"{k} = {_fmt(v, latex)}" for k, v in p.items()))
        if p.conditions:
            out("      exists for: " + ", ".join(_fmt(c, latex) for c in p.conditions))
        try:
            with mf._time_limit(timeout, "eigenvalues timed out"):
                ev = mf.eigenvalues(m, p, eqs=eqs)
                bounds = mf.stability_boundaries(m, p, eqs)
            out("      Jacobian eigenvalues: " + ", ".join(_fmt(sp.simplify(e), latex) for e in ev))
            if bounds["real"]:
                out("      real eigenvalue crosses 0 at: " + ", ".join(f"{_fmt(f, latex)} = 0" for f in bounds["real"]))
        except an.ModelError as exc:
            out(f"      ({exc})")
    return "\n".join(lines)


def _report(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from . import checks
    from . import report as rp

    name = getattr(args, "model", DEFAULT_MODEL)
    if name not in rp.report_models():
        parser.error(f"unknown model {name!r}; choose from {', '.join(rp.report_models())}")
    plugins = getattr(args, "plugins", None)
    if plugins is not None:
        if not Path(plugins).is_dir():
            parser.error(f"--plugins: {plugins!r} is not a folder")
        checks.load_plugins(plugins)
    elif (REPO_TESTS.parent / "pyproject.toml").is_file() and REPO_TESTS.is_dir():
        checks.load_plugins(REPO_TESTS)
    options = dict(out=getattr(args, "out", "dspins-report"), figures=not getattr(args, "no_figures", False))
    reports = rp.report_all(**options) if getattr(args, "all", False) else [rp.report(name, **options)]
    for rep in reports:
        print(rep.table())
        print()
    total = sum(len(rep.results) for rep in reports)
    failed = sum(not r.passed for rep in reports for r in rep.results)
    print(f"{total - failed}/{total} formula checks agree with the numerics "
          f"({sum(rep.seconds for rep in reports):.0f} s)")
    return 1 if failed else 0


def _reproduce(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from . import reproduce

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
    results = reproduce.run(numbers, size="small" if args.small else "paper", out=args.out)
    for res in results:
        print(res.table())
        print()
    return 0 if all(r.ok for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dspins", description="Driven-dissipative collective spins: derive and check.")
    sub = parser.add_subparsers(dest="command")
    d = sub.add_parser("derive", help="mean-field equations, fixed points, stability of a catalogue model")
    d.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=f"catalogue model (default {DEFAULT_MODEL}); "
                   f"one of {', '.join(an.models.catalogue)}")
    d.add_argument("--latex", action="store_true", help="print expressions as LaTeX")
    d.add_argument("--timeout", type=float, default=60, help="seconds allowed for each symbolic solve")
    r = sub.add_parser("report", help="cross-check every registered formula of a model against the numerics; "
                       "print the table and write the figures (the main job)")
    r.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=f"model (default {DEFAULT_MODEL})")
    r.add_argument("--all", action="store_true", help="every model")
    r.add_argument("--out", default="dspins-report", help="folder of the figures (default ./dspins-report)")
    r.add_argument("--no-figures", action="store_true", help="only the table")
    r.add_argument("--plugins", default=None, help="folder of extra check kinds checks_*.py (default: the "
                   "repository's tests/ folder when run from a checkout)")
    rp = sub.add_parser("reproduce", help="recompute the papers' printed numbers at the papers' sizes; "
                        "write reproduce/NNN.json and figures")
    rp.add_argument("papers", nargs="*", metavar="PAPER", help="paper numbers 000 ... 004")
    rp.add_argument("--all", action="store_true", help="every paper")
    rp.add_argument("--small", action="store_true", help="small sizes: the same code paths in seconds "
                    "(not judged against the printed values)")
    rp.add_argument("--out", default="reproduce", help="folder of NNN.json and the figures (default ./reproduce)")
    sub.add_parser("models", help="list the catalogue")
    sub.add_parser("formulas", help="list the registered formulas")
    args = parser.parse_args(argv)
    if args.command in (None, "report"):
        return _report(parser, args)
    if args.command == "reproduce":
        return _reproduce(parser, args)
    if args.command == "derive":
        name = getattr(args, "model", DEFAULT_MODEL)
        if name not in an.models.catalogue:
            parser.error(f"unknown model {name!r}; choose from {', '.join(an.models.catalogue)}")
        print(derive_report(name, latex=getattr(args, "latex", False), timeout=getattr(args, "timeout", 60)))
    elif args.command == "models":
        for n, f in an.models.catalogue.items():
            print(f"{n:18s} {f().source}")
    elif args.command == "formulas":
        for n in an.formulas.names():
            f = an.formulas.formula(n)
            print(f"{n:42s} args={','.join(f.args):28s} check={f.check.kind}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
