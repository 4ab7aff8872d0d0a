"""Benchmark of the cumulant expansion (issue 19, acceptance 5): derivation times and large-N steady states of seed 004.

Usage (from the repository root)::

    python -m benchmarks.bench_cumulants [--output benchmarks/results_cumulants.md]

Rows: the order-2 and order-3 equations of ``analytic.models.driven_dicke`` (seed 004) derived from a fresh
model, in both readings (collective moments; representative atoms), wall time; then, after the derivation,
``numeric.cumulants.steady_state(..., order=2, N=N, factorization='collective', branch=0)`` at
Omega = 0.3 Omega_c, gamma_c = 10 gamma_s, for N = 10^3, 10^4, 10^6 (first call, which compiles the
lambdified system once per model, and a repeat), with <Sz>/(N/2), xi^2 and the residual.  There is no QuTiP
counterpart (QuTiP has no cumulant expansion); the exact permutation-invariant solve at N = 80 is
given for scale.  Not a test: times depend on the machine and its load (recorded).
"""
from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from fractions import Fraction
from pathlib import Path

import analytic as an
import numeric
from analytic import cumulants as cu
from numeric import cumulants as nc


def _values(N: int) -> dict:
    return {"Omega": Fraction(3, 10) * (N - 1) / 4, "gamma_c": 1, "gamma_s": "0.1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="benchmarks/results_cumulants.md")
    args = parser.parse_args()
    rows = ["| work | wall time | result |", "|---|---|---|"]
    for factorization in ("collective", "individual"):
        for order in (2, 3):
            model = an.models.driven_dicke()
            t = time.perf_counter()
            eqs = cu.equations(model, order, factorization)
            rows.append(f"| seed 004 order {order} derived ({factorization}) | {time.perf_counter() - t:.2f} s | "
                        f"{eqs.count} equations |")
    model = an.models.driven_dicke()
    cu.equations(model, 2, "collective")
    for N in (10 ** 3, 10 ** 4, 10 ** 6):
        times = []
        for _ in range(2):
            t = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                st = nc.steady_state(model, _values(N), order=2, N=N, factorization="collective", branch=0)
            times.append(time.perf_counter() - t)
        rows.append(f"| order-2 steady state N = {N:.0e} (first / repeat) | {times[0]:.2f} s / {times[1]:.2f} s | "
                    f"<Sz>/(N/2) = {st.expect('Sz') / (N / 2):.8f}, xi^2 = {st.squeezing():.6f}, "
                    f"residual {st.residual:.1e} |")
    t = time.perf_counter()
    exact = numeric.steady_state(model, _values(80), N=80)
    rows.append(f"| exact permutation-invariant N = 80 (scale) | {time.perf_counter() - t:.2f} s | "
                f"<Sz>/(N/2) = {exact.expect('Sz') / 40:.8f} |")
    head = (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average {os.getloadavg()[0]:.1f} at the end.\n\n")
    text = head + "\n".join(rows) + "\n"
    Path(args.output).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
