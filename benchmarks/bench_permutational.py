"""Benchmark: permutation-invariant steady states, numeric.pi.permutational vs qutip.piqs.

Usage::

    python benchmarks/bench_permutational.py --sizes 20 40 60 80 100 [--qutip-max 60]
                                             [--output benchmarks/results_permutational.md]

Models (same physics on both sides, rates mapped once here):

* ``driven_dicke`` (seed 004 eq. 1): H = 2 Omega Sx, gamma_c D[S-], gamma_s sum_n D[sigma_n^-];
  gamma_c = 1, gamma_s = 0.1 (gamma_c = 10 gamma_s, seed 004 Fig. 2), Omega = 0.61 Omega_c,
  Omega_c = (N - 1) gamma_c / 4 (the first-order transition, the ill-conditioned case).
  piqs: ``Dicke(N, hamiltonian=2 Omega jspin('x'), emission=gamma_s, collective_emission=gamma_c)``.
* ``lmg`` (seed 001 eq. 3, qubits): H = (2V/N)(Sx^2 - Sy^2), rates 2 gamma_I on sigma^-, 2 gamma_C/N
  on S-; V = 1, gamma_I = 0.8, gamma_C = 0.2 (symmetry-broken side).  piqs: emission = 2 gamma_I,
  collective_emission = 2 gamma_C / N.

The piqs side is given its best available solve (benchmarks/piqs_reference.py: the Liouvillian
restricted to the block-diagonal unknowns, one population equation replaced by the trace,
``scipy.sparse.linalg.spsolve``); QuTiP's default ``steadystate`` fails on it (qutip #2649).  Our side: ``numeric.steady_state(model, values, N=N)`` (default call,
float64, residual-checked).  Each solve runs in its own subprocess under an address-space limit
(``--mem-gb``, default 6 GB); wall time is measured inside the child around model -> Liouvillian
-> steady state (imports excluded), peak RSS from ``ru_maxrss``.
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


def values(model: str, N: int) -> dict:
    if model == "driven_dicke":
        return {"Omega": 0.61 * (N - 1) / 4, "gamma_c": 1.0, "gamma_s": 0.1}
    return {"V": 1.0, "gamma_I": 0.8, "gamma_C": 0.2}


def worker(kind: str, model: str, N: int) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    sys.path.insert(0, ROOT)
    import numpy as np

    v = values(model, N)
    if kind == "ours":
        import analytic as an
        from numeric.solvers.steady import steady_state

        m = getattr(an.models, model)()
        steady_state(m, v, N=3)  # warm-up
        t0 = time.perf_counter()
        st = steady_state(m, v, N=N)
        dt = time.perf_counter() - t0
        extra = {"sz": st.expect("Sz"), "residual": st.residual, "unknowns": st.info["unknowns"],
                 "condition": st.info["condition"], "lu_nnz": st.info["lu_nnz"]}
    else:
        from piqs_reference import dicke_ops, piqs_steady

        piqs_steady(model, 3, values(model, 3))  # warm-up (imports, dispatch tables)
        t0 = time.perf_counter()
        rho, n_keep, res = piqs_steady(model, N, v)
        dt = time.perf_counter() - t0
        extra = {"sz": float(np.trace(dicke_ops(N)["z"] @ rho).real), "unknowns": n_keep, "residual": res}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"time": dt, "peak": peak, **extra}))


def run(kind: str, model: str, N: int, mem_gb: float, timeout: float) -> dict:
    return run_worker(__file__, [kind, model, N], timeout, mem_gb)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[20, 40, 60, 80, 100])
    ap.add_argument("--models", nargs="+", default=["driven_dicke", "lmg"])
    ap.add_argument("--qutip-max", type=int, default=60)
    ap.add_argument("--mem-gb", type=float, default=6.0)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--output", default=None)
    ap.add_argument("--worker", nargs=3, default=None)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker[0], a.worker[1], int(a.worker[2]))
        return
    rows = []
    lines = ["| model | N | unknowns (ours, real) | ours [s] | ours peak [GB] | piqs [s] | piqs peak [GB] | speed-up | <Sz> ours | <Sz> piqs |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for model in a.models:
        for N in a.sizes:
            ours = run("ours", model, N, a.mem_gb, a.timeout)
            ref = run("piqs", model, N, a.mem_gb, a.timeout) if N <= a.qutip_max else {"error": f"skipped (N > {a.qutip_max})"}
            rows.append({"model": model, "N": N, "ours": ours, "piqs": ref})
            f = lambda d, k, fmt: (fmt % d[k]) if k in d and d[k] is not None else d.get("error", "-")
            sp_ = f"{ref['time'] / ours['time']:.1f}x" if "time" in ref and "time" in ours else "-"
            line = (f"| {model} | {N} | {ours.get('unknowns', '-')} | {f(ours, 'time', '%.2f')} | "
                    f"{f(ours, 'peak', '%.2f') if 'peak' not in ours else '%.2f' % (ours['peak'] / 1e9)} | "
                    f"{f(ref, 'time', '%.2f')} | {('%.2f' % (ref['peak'] / 1e9)) if 'peak' in ref else '-'} | {sp_} | "
                    f"{f(ours, 'sz', '%.6f')} | {f(ref, 'sz', '%.6f')} |")
            lines.append(line)
            print(line, flush=True)
    header = (f"# Permutation-invariant steady states: numeric.pi.permutational vs qutip.piqs\n\n"
              f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}; "
              f"limit {a.mem_gb:g} GB address space per solve.  Command: "
              f"`python benchmarks/bench_permutational.py --sizes {' '.join(map(str, a.sizes))} --qutip-max {a.qutip_max}`\n\n")
    text = header + "\n".join(lines) + "\n"
    if a.output:
        with open(a.output, "w") as fh:
            fh.write(text)
        with open(a.output.replace(".md", ".json"), "w") as fh:
            json.dump(rows, fh, indent=1)
    print(text)


if __name__ == "__main__":
    main()
