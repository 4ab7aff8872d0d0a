"""Solver study for the crf float64 steady state: sparse direct solvers on the same real-form system.

Usage::

    python -m benchmarks.solver_study [--sizes 100 200 400] [--repeat 2] [--methods ...] [--output FILE]

Every (method, S) runs in its own subprocess (peak memory = ``ru_maxrss`` of that process), methods
interleaved within each size and repeated (``--repeat``; the fastest run is kept), single-threaded
BLAS.  Each child builds the same :class:`numeric.solvers.steady.SteadySystem` (crf, omega = kappa =
1, its nested-dissection ordering and trace row), then times only the factorisation and the solves
up to the refined answer; the answer is checked with the full complex Liouvillian
(``SteadySystem.residual``) and against the closed form (Puri-Lawande, ``analytic.exact``).

``umfpack`` needs ``cvxopt`` and ``pardiso*`` need ``pypardiso`` with ``mkl`` (with the MKL libraries
outside the environment's lib/: ``PYPARDISO_MKL_RT=/path/libmkl_rt.so.3``,
``MKL_THREADING_LAYER=SEQUENTIAL``); neither is a dependency of the project: without them their rows
show the import error.  Results and verdicts: docs/benchmarks.md.

Methods:

* ``superlu``: SuperLU (``scipy.sparse.linalg.splu``) in float64, our ordering, diagonal pivoting,
  2 refinement steps: the path of ``numeric.steady_state`` before this study.
* ``superlu32``: the same factorisation in float32 (half the factor memory), refined in float64
  (residual in float64, correction from the float32 factors) until the residual stops falling.
* ``umfpack``: UMFPACK through ``cvxopt.umfpack`` (the only PyPI wheel for Python 3.11 that ships it;
  its own ordering and pivoting, default controls), 2 refinement steps.
* ``pardiso``: MKL Pardiso through ``pypardiso`` (real nonsymmetric, its defaults: METIS ordering,
  matching and scaling, pivot perturbation 1e-13; MKL sequential), 2 refinement steps.
* ``pardiso_nd``: the same with our nested-dissection ordering given to Pardiso (``iparm(5) = 1``,
  the identity on the pre-ordered matrix), no matching or scaling.
* ``gmres_ilu``: GMRES preconditioned by an incomplete LU (``spilu``, drop 1e-4), tolerance 1e-14.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time

from benchmarks._worker import ROOT, run_worker

METHODS = ("superlu", "superlu32", "umfpack", "pardiso", "pardiso_nd", "gmres_ilu")


def _superlu(system, dtype, steps):
    import numpy as np
    import scipy.sparse.linalg as spla

    A = system.Ap.astype(dtype)
    lu = spla.splu(A, permc_spec="NATURAL", diag_pivot_thresh=0.0, options=dict(SymmetricMode=True))
    perm = system.perm

    def solve(v):
        y = lu.solve(np.ascontiguousarray(v[perm], dtype=dtype)).astype(float)
        x = np.empty_like(y)
        x[perm] = y
        return x
    return solve, int(lu.nnz), steps


def _umfpack(system):
    import numpy as np
    from cvxopt import matrix, spmatrix, umfpack

    A = system.Ap.tocoo()
    M = spmatrix(A.data.tolist(), A.row.tolist(), A.col.tolist(), A.shape)
    F = umfpack.numeric(M, umfpack.symbolic(M))
    perm = system.perm

    def solve(v):
        B = matrix(np.ascontiguousarray(v[perm]))
        umfpack.solve(M, F, B)
        x = np.empty(len(v))
        x[perm] = np.asarray(B).ravel()
        return x
    return solve, None, 2


def _pardiso(system, ours):
    import numpy as np
    import pypardiso

    A = system.Ap.tocsr()
    ps = pypardiso.PyPardisoSolver(mtype=11)
    if ours:  # our ordering (the matrix is pre-ordered: the identity permutation), no matching/scaling
        ps.perm = np.arange(1, A.shape[0] + 1, dtype=np.int32)
        for i, v in ((2, 0), (5, 1), (11, 0), (13, 0)):
            ps.set_iparm(i, v)
    ps.factorize(A)
    perm = system.perm

    def solve(v):
        y = ps.solve(A, np.ascontiguousarray(v[perm]))
        x = np.empty_like(y)
        x[perm] = y
        return x
    return solve, None, 2


def _refine(system, solve, steps):
    import numpy as np

    b = system.b
    x = solve(b)
    best = (np.linalg.norm(system.matvec(x) - b), x)
    used = 0
    for _ in range(steps):
        x = x + solve(b - system.matvec(x))
        rn = np.linalg.norm(system.matvec(x) - b)
        used += 1
        if rn < best[0]:
            best = (rn, x)
        else:
            break
    return best[1], used


def worker(method: str, S: int) -> None:
    sys.path.insert(0, ROOT)
    import numpy as np
    import scipy.sparse.linalg as spla

    import analytic as an
    from analytic.exact import PuriLawande
    from numeric.solvers.steady import SteadySystem
    from numeric.states.observables import State

    m = an.models.crf()
    vals = {"omega": 1.0, "kappa": 1.0}
    system = SteadySystem(m, vals, S=S)
    t0 = time.perf_counter()
    nnz = None
    if method == "gmres_ilu":
        ilu = spla.spilu(system.Ap, drop_tol=1e-4, fill_factor=20)
        Mop = spla.LinearOperator(system.Ap.shape, matvec=ilu.solve, dtype=float)
        y, code = spla.gmres(system.Ap, system.b[system.perm], M=Mop, rtol=1e-14, atol=0, restart=100, maxiter=20)
        x = np.empty_like(y)
        x[system.perm] = y
        nnz, used = int(ilu.nnz), int(code)
    else:
        if method == "umfpack":
            solve, nnz, steps = _umfpack(system)
        elif method.startswith("pardiso"):
            solve, nnz, steps = _pardiso(system, method == "pardiso_nd")
        else:
            solve, nnz, steps = _superlu(system, np.float32 if method == "superlu32" else np.float64,
                                         8 if method == "superlu32" else 2)
        x, used = _refine(system, solve, steps)
    dt = time.perf_counter() - t0
    rho = system.rf.to_rho(x)
    rho = rho / np.trace(rho).real
    res = system.residual(rho)
    sz = float(np.real(State(m, system.rep, rho, system.vals, residual=res).expect("Sz")))
    ref = float(PuriLawande(1, 1, S, dps=30).moments()["Sz"])
    out = {"time": dt, "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "residual": res,
           "tol": 1e-10 * system.norm_L, "nnz": nnz, "steps": used, "sz_err": abs(sz - ref) / max(abs(ref), 1e-300),
           "n": system.n}
    print(json.dumps(out))


def run(method: str, S: int, timeout: float = 900) -> dict:
    """:func:`worker` in a fresh subprocess (:func:`benchmarks._worker.run_worker`)."""
    return run_worker("benchmarks.solver_study", [method, S], timeout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400])
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--output", default=None)
    ap.add_argument("--worker", nargs=2, metavar=("METHOD", "S"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker[0], int(a.worker[1]))
        return
    gb = 1024 ** 3
    lines = ["| S | unknowns | method | time (s) | ratio to superlu | peak (GB) | factor nnz | refinement steps "
             "| residual / tol | rel. error <Sz> vs closed form |", "|---|---|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    loads = []
    for S in a.sizes:
        best: dict = {}
        for r in range(a.repeat):
            order = a.methods if r % 2 == 0 else a.methods[::-1]
            for meth in order:
                o = run(meth, S)
                loads.append(os.getloadavg()[0])
                if "error" in o or meth not in best or o["time"] < best[meth]["time"]:
                    best.setdefault(meth, o)
                    if "error" not in o:
                        best[meth] = o
        base = best.get("superlu", {}).get("time")
        for meth in a.methods:
            o = best[meth]
            if "error" in o:
                lines.append(f"| {S} | | {meth} | {o['error']} | | | | | | |")
            else:
                ratio = f"{base / o['time']:.2f}x" if base else ""
                lines.append(f"| {S} | {o['n']} | {meth} | {o['time']:.2f} | {ratio} | {o['peak'] / gb:.2f} | "
                             f"{o['nnz'] if o['nnz'] is not None else '-'} | {o['steps']} | "
                             f"{o['residual'] / o['tol']:.1e} | {o['sz_err']:.1e} |")
            print(lines[-1], flush=True)
    head = (f"Machine: {platform.machine()} {platform.processor()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}; single-threaded BLAS; load average (1 min) during the run "
            f"{min(loads):.2f}-{max(loads):.2f}.  Time: factorisation + solves + refinement only (the same "
            "SteadySystem is built in every child); peak: max RSS of the child (build included).")
    text = "\n".join(["Command: `python -m benchmarks.solver_study " + " ".join(sys.argv[1:]) + "`", "", head, "",
                      *lines, ""])
    print(head)
    if a.output:
        with open(a.output, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
