"""Benchmark and measurement: the exact emission linewidth of the eliminated superradiant laser (issue 19, acceptance 4).

Usage::

    python benchmarks/bench_pi_linewidth.py --sizes 40 80 160 240 --x 0.2 0.5
                                            [--output benchmarks/results_pi_linewidth.md]

Model: ``eliminate(superradiant_laser())`` (individual decay gamma, individual pump w, collective decay
Gamma D[S-], Gamma = 4 g^2/kappa); gamma = 1 (``--gamma``), g = 1, kappa = 4/Gamma with Gamma = 0.37, w = x N Gamma.
For each N and x, in its own subprocess (peak RSS its own): the exact steady state
(:func:`numeric.pi.steady.solve_pi`), the exact spectrum of <S+(tau) S-(0)> from the resolvent in the
charge sector q = -1 (:mod:`numeric.pi.correlations`), its FWHM (``linewidth``), and the four slowest
modes of that sector with their weights.  Reported in units of Gamma: the half width (FWHM/2), the
slowest eigenvalue -Re lambda_1, the fraction of the equal-time weight <S+S->_c carried by mode 1 and
its share of the peak height S(0); the order-2 cumulant theory's lambda = Gamma (1 + x^2)/(2 (1 - x)).
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from _worker import run_worker

HERE = os.path.dirname(os.path.abspath(__file__))
GAMMA_C = 0.37


def _worker(N: int, x: float, gamma: float = 1.0) -> dict:
    import json
    import resource

    import analytic as an
    from analytic.adiabatic import eliminate
    from numeric.pi import correlations as pc

    vals = {"g": 1.0, "kappa": 4 / GAMMA_C, "gamma": gamma, "w": x * N * GAMMA_C}
    model = eliminate(an.models.superradiant_laser())
    t0 = time.perf_counter()
    sy = pc.correlation_system(model, vals, N, "Sp", "Sm")
    t1 = time.perf_counter()
    lw = sy.linewidth()
    t2 = time.perf_counter()
    md = sy.modes(k=4)
    t3 = time.perf_counter()
    out = {"N": N, "x": x, "gamma": gamma, "sector": sy.info["sector_size"], "unknowns": sy.info["unknowns"],
           "steady_residual": sy.info["steady_residual"], "backward_error": sy.info["resolvent_backward_error"],
           "hwhm": lw.fwhm / 2 / GAMMA_C, "lambda1": -float(md.eigenvalues[0].real) / GAMMA_C,
           "fraction1": float(md.fraction[0].real), "peak_share1": float(md.peak_share[0]),
           "theory": (1 + x * x) / (2 * (1 - x)), "t_state": t1 - t0, "t_linewidth": t2 - t1, "t_modes": t3 - t2,
           "evaluations": lw.evaluations, "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}
    print(json.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[40, 80, 160, 240])
    ap.add_argument("--x", type=float, nargs="+", default=[0.2, 0.5])
    ap.add_argument("--gamma", type=float, default=1.0, help="individual decay rate (default 1)")
    ap.add_argument("--mem-gb", type=float, default=None)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--output", default=None)
    args = ap.parse_args()
    rows = []
    for x in args.x:
        for N in args.sizes:
            r = run_worker(__file__, [N, x, args.gamma], args.timeout, args.mem_gb)
            r.setdefault("N", N)
            r.setdefault("x", x)
            rows.append(r)
            print(r, file=sys.stderr, flush=True)
    lines = ["# Exact emission linewidth of the eliminated superradiant laser (numeric.pi.correlations)", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}.  "
             f"gamma = {args.gamma}, Gamma = {GAMMA_C}, w = x N Gamma; rates in units of Gamma.", "",
             "| x | N | sector q=-1 | HWHM exact | -Re lambda_1 | weight of mode 1 | share of S(0) | theory (1+x^2)/(2(1-x)) "
             "| state [s] | linewidth [s] | modes [s] | peak [GB] |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['x']} | {r['N']} | {r['error']} |" + " - |" * 9)
            continue
        lines.append(f"| {r['x']} | {r['N']} | {r['sector']} | {r['hwhm']:.6f} | {r['lambda1']:.6f} | {r['fraction1']:.4f} "
                     f"| {r['peak_share1']:.6f} | {r['theory']:.4f} | {r['t_state']:.1f} | {r['t_linewidth']:.1f} "
                     f"| {r['t_modes']:.1f} | {r['peak_gb']:.2f} |")
    text = "\n".join(lines) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]) if len(sys.argv) > 4 else 1.0)
    else:
        main()
