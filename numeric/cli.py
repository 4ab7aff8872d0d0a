"""Command line: ``dspins derive MODEL [--latex]``.

Prints, for a catalogue model, what the engine derives from its definition: the master equation
in our convention, the mean-field equations, the fixed points with their conditions of
existence, the eigenvalues of the (tangent) Jacobian and the stability boundaries.  Models
without compact closed-form fixed points get the reduced polynomial system instead.

The module lives in :mod:`numeric` because later subcommands cross-check against the numeric
solvers; ``derive`` itself only uses :mod:`analytic`.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Sequence

import sympy as sp

import analytic as an
from analytic import meanfield as mf

__all__ = ["main", "derive_report"]

DEFAULT_MODEL = "crf"


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dspins", description="Driven-dissipative collective spins: derive and check.")
    sub = parser.add_subparsers(dest="command")
    d = sub.add_parser("derive", help="mean-field equations, fixed points, stability of a catalogue model")
    d.add_argument("model", nargs="?", default=DEFAULT_MODEL, help=f"catalogue model (default {DEFAULT_MODEL}); "
                   f"one of {', '.join(an.models.catalogue)}")
    d.add_argument("--latex", action="store_true", help="print expressions as LaTeX")
    d.add_argument("--timeout", type=float, default=60, help="seconds allowed for each symbolic solve")
    sub.add_parser("models", help="list the catalogue")
    sub.add_parser("formulas", help="list the registered formulas")
    args = parser.parse_args(argv)
    if args.command in (None, "derive"):
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
