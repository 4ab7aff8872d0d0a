"""Benchmark: crf steady state, numeric.steady_state vs qutip.steadystate (default method).

Usage::

    python benchmarks/bench_steady.py --sizes 50 100 200 400 800 [--qutip-max 600] [--dps-S 100 --dps 30]
                                      [--output benchmarks/results_steady.md]

Every solve runs in its own subprocess, so that its peak resident memory (``ru_maxrss`` of the
child, which includes the interpreter and imports, ~0.1 GB) is measured alone.  Wall time is
measured inside the child around the solve only (model -> matrices -> steady state; imports
excluded), for both codes.  Model: seed 000 eq. (10), H = omega Sx, rate 2 kappa / S on S-,
omega = kappa = 1 (lambda = 0.5); QuTiP gets the same H and c_op = sqrt(2 kappa / S) S-.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

from _worker import run_worker

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def worker(kind: str, S: int, dps: int | None) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    sys.path.insert(0, ROOT)
    import numpy as np

    if kind == "ours":
        import analytic as an
        import numeric.solvers.steady as st

        m = an.models.crf()
        st.steady_state(m, {"omega": 1.0, "kappa": 1.0}, S=2, dps=dps)  # warm-up (imports, caches)
        t0, c0 = time.perf_counter(), time.process_time()
        state = st.steady_state(m, {"omega": 1.0, "kappa": 1.0}, S=S, dps=dps)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        sz = float(state.expect("Sz")) / S
        extra = {"residual": float(state.residual), "unknowns": state.info["unknowns"],
                 "condition": state.info.get("condition")}
    else:
        import qutip

        qutip.steadystate(qutip.jmat(2, "x"), [qutip.jmat(2, "-")])  # warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        H = 1.0 * qutip.jmat(S, "x")
        c = np.sqrt(2.0 / S) * qutip.jmat(S, "-")
        rho = qutip.steadystate(H, [c])
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        sz = float(qutip.expect(qutip.jmat(S, "z"), rho)) / S
        L = qutip.liouvillian(H, [c]).full() if S <= 10 else None
        extra = {"residual": float(np.linalg.norm(L @ rho.full().reshape(-1, order="F"))) if L is not None else None}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kB
    print(json.dumps({"time": dt, "cpu": cpu, "peak": peak, "sz": sz, **extra}))


def run(kind: str, S: int, dps: int | None = None, timeout: float = 1800) -> dict:
    return run_worker(__file__, [kind, S] + (["--dps", dps] if dps else []), timeout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400, 800])
    ap.add_argument("--qutip-max", type=int, default=600, help="skip QuTiP above this S (time/memory)")
    ap.add_argument("--dps", type=int, default=30)
    ap.add_argument("--dps-S", type=int, default=100)
    ap.add_argument("--output", default=None, help="write the markdown table to this file")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "S"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker[0], int(a.worker[1]), a.dps if "--dps" in sys.argv else None)
        return
    gb = 1024 ** 3
    lines = [
        "| S | ours wall (s) | ours CPU (s) | ours peak (GB) | QuTiP wall (s) | QuTiP CPU (s) | QuTiP peak (GB) "
        "| CPU ratio QuTiP/ours | wall ratio | memory ratio | <Sz>/S ours | abs. diff vs QuTiP |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for S in a.sizes:
        o = run("ours", S)
        q = run("qutip", S) if S <= a.qutip_max else {"error": f"skipped (S > {a.qutip_max})"}
        if "error" in o:
            lines.append(f"| {S} | {o['error']} | | | | | | | | | | |")
            print(lines[-1], flush=True)
            continue
        if "error" in q:
            lines.append(f"| {S} | {o['time']:.2f} | {o['cpu']:.2f} | {o['peak'] / gb:.2f} | {q['error']} | | | | | | "
                         f"{o['sz']:.10f} | |")
        else:
            lines.append(f"| {S} | {o['time']:.2f} | {o['cpu']:.2f} | {o['peak'] / gb:.2f} | {q['time']:.2f} | "
                         f"{q['cpu']:.2f} | {q['peak'] / gb:.2f} | {q['cpu'] / o['cpu']:.1f}x | {q['time'] / o['time']:.1f}x | "
                         f"{q['peak'] / o['peak']:.1f}x | {o['sz']:.10f} | {abs(o['sz'] - q['sz']):.1e} |")
        print(lines[-1], flush=True)
    d = run("ours", a.dps_S, a.dps)
    dps_line = (f"crf S={a.dps_S}, dps={a.dps}: " + (f"{d['time']:.2f} s wall ({d['cpu']:.2f} s CPU), peak {d['peak'] / gb:.2f} GB, residual "
                f"{d['residual']:.1e}" if "error" not in d else d["error"]))
    print(dps_line)
    header = (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}.  crf (seed 000 eq. 10), omega = kappa = 1 (lambda = 0.5).  "
              "Each solve in its own process; peak = max RSS of that process (includes ~0.1 GB of "
              "interpreter and imports); time = the solve only (building the matrices included).  The machine "
              "is shared: `uptime` load average during the run is printed below; CPU time (process time) is less "
              "sensitive to the load than wall time.")
    load = "load average at the end of the run: " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(load)
    text = "\n".join(["# Steady-state benchmark: numeric.steady_state vs qutip.steadystate", "",
                      "Command: `python benchmarks/bench_steady.py " + " ".join(sys.argv[1:]) + "`", "",
                      header, "", *lines, "", dps_line, "", load, ""])
    if a.output:
        with open(a.output, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
