"""Benchmark: exact crf steady state (analytic.exact, O(S) term-ratio sums) against the
numeric solvers (numeric.steady_state, float64) and QuTiP's steadystate.

Usage::

    python benchmarks/bench_exact.py [--sizes 100 400 1600 10000 100000] [--solver-max 400]
                                     [--qutip-max 200] [--output benchmarks/results_exact.md]

Model: seed 000 eq. (10), H = omega Sx, rate 2 kappa/S on S-, omega = kappa = 1 (lambda = 0.5).
For each S: wall time of <Sz> to 30 digits (mpmath, ``analytic.exact.sz(..., dps=30)``), the
number of correct digits (against a 50-digit evaluation), the float64 log-domain evaluator,
the purity Tr rho^2 to 30 digits (O(S)), and -- for small S -- the numeric sparse solver and
QuTiP on the same model (their <Sz> error against the exact value is reported).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)


def _timed(f, *a, **k):
    t = time.perf_counter()
    v = f(*a, **k)
    return v, time.perf_counter() - t


def run(sizes, solver_max, qutip_max):
    import mpmath
    import numpy as np

    import analytic as an
    import analytic.exact as ex
    import analytic.exact.state as exs

    ex.sz(1.0, 1.0, 3)            # one-time SymPy derivation and lambdify, not timed
    exs._sz_float(1.0, 1.0, 3)
    rows = []
    for S in sizes:
        row = {"S": S}
        v30, row["t_sz30"] = _timed(ex.sz, 1.0, 1.0, S, dps=30)
        v50 = ex.sz(1.0, 1.0, S, dps=50)
        with mpmath.workdps(50):
            err = abs(v30 - v50)
            row["digits"] = float(-mpmath.log10(err / abs(v50))) if err else float("inf")
        row["sz"] = mpmath.nstr(v30, 20)
        vf, row["t_float"] = _timed(exs._sz_float, 1.0, 1.0, S)
        row["float_err"] = abs(vf - float(v50))
        if S <= 20_000:
            _, row["t_purity"] = _timed(ex.purity, 1.0, 1.0, S, dps=30)
        if S <= solver_max:
            from numeric.solvers.steady import steady_state

            st, row["t_solver"] = _timed(steady_state, an.models.crf(), {"omega": 1.0, "kappa": 1.0}, S=S)
            row["solver_err"] = abs(st.expect("Sz") / S - float(v50))
        if S <= qutip_max:
            import qutip

            def q():
                H = qutip.jmat(S, "x")
                c = np.sqrt(2.0 / S) * qutip.jmat(S, "-")
                rho = qutip.steadystate(H, [c])
                return qutip.expect(qutip.jmat(S, "z"), rho) / S
            vq, row["t_qutip"] = _timed(q)
            row["qutip_err"] = abs(vq - float(v50))
        rows.append(row)
        print(row, flush=True)
    return rows


def table(rows) -> str:
    def f(r, k, fmt):
        return fmt.format(r[k]) if k in r else "-"
    lines = [
        "| S | <Sz>/S (exact, 20 digits) | t <Sz> 30 digits [s] | correct digits | t float64 [s] | float64 error "
        "| t purity 30 digits [s] | t numeric solver [s] | solver error | t QuTiP [s] | QuTiP error |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(" | ".join([
            f"| {r['S']}", r["sz"], f(r, "t_sz30", "{:.3f}"), f(r, "digits", "{:.1f}"), f(r, "t_float", "{:.4f}"),
            f(r, "float_err", "{:.1e}"), f(r, "t_purity", "{:.3f}"), f(r, "t_solver", "{:.2f}"),
            f(r, "solver_err", "{:.1e}"), f(r, "t_qutip", "{:.2f}"), f(r, "qutip_err", "{:.1e}")]) + " |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1600, 10_000, 100_000])
    ap.add_argument("--solver-max", type=int, default=400)
    ap.add_argument("--qutip-max", type=int, default=200)
    ap.add_argument("--output", default=os.path.join(HERE, "results_exact.md"))
    args = ap.parse_args(argv)
    rows = run(args.sizes, args.solver_max, args.qutip_max)
    head = (f"# Exact crf steady state: timings\n\nMachine: {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, shared 2-core machine (timings are upper bounds).  "
            "omega = kappa = 1 (lambda = 1/2).  Command: `python benchmarks/bench_exact.py`.\n\n"
            "Acceptance: <Sz> at S = 1600 to 30 digits in < 1 s; at S = 10^5 in < 60 s.\n\n")
    text = head + table(rows) + "\n"
    with open(args.output, "w") as fh:
        fh.write(text)
    print(text)


if __name__ == "__main__":
    main()
