"""Study (issue 20, task crfb): the crf steady state by GMRES with block Gauss-Seidel over coherence orders k.

Usage::

    python -m benchmarks.crf_block_study [--sizes 100 200 400] [--lambdas 0.3 0.9 1.5] [--groups 4 16 64]

For crf (H = omega S_x, jump sqrt(kappa) S^-) the real-form system of :class:`numeric.solvers.steady.SteadySystem`
is block-tridiagonal in the coherence order k = |m - n| (H changes k by one, D[S^-] keeps it; the trace
row touches only k = 0).  Each case builds that system (omega = 2 lambda, kappa = 1), then times

* ``direct``: the path of ``numeric.steady_state``: one SuperLU in geometric nested dissection, two
  refinement steps (:func:`numeric.solvers.precision.refine_float`);
* ``blocks g``: :class:`numeric.pi.blocks.BlockSolver` with blocks of ``g`` neighbouring k (its first
  coordinate column is the block label), one SuperLU per block, right-preconditioned restarted GMRES
  to its true-residual acceptance (no uniqueness probe: that would add solves).

and checks each answer with the full complex Liouvillian (``SteadySystem.residual``) and <Sz>/S against
the Puri-Lawande closed form (``crf.exact.sz``, mpmath at 40 digits).  Results: results_crf_blocks.md.
"""
from __future__ import annotations

import argparse
import time

import mpmath
import numpy as np

import analytic as an
from numeric.pi.blocks import BlockSolver, NotConverged
from numeric.solvers.precision import refine_float
from numeric.solvers.steady import SteadySystem


def sz_over_s(system: SteadySystem, x: np.ndarray, S: int) -> float:
    """<Sz>/S of the real-form solution ``x`` (normalised to unit trace)."""
    rho = system.rf.to_rho(x)
    rho = rho / np.trace(rho).real
    m = np.arange(S, -S - 1, -1.0)
    return float(np.real(np.diag(rho)) @ m) / S


def exact_sz(S: int, lam: str) -> float:
    """The Puri-Lawande <Sz>/S at omega = 2 lambda, kappa = 1."""
    f = an.formulas.get("crf.exact.sz", backend="mpmath")
    with mpmath.workdps(40):
        return float(f(2 * mpmath.mpf(lam), mpmath.mpf(1), S))


def run_case(S: int, lam: str, groups: list[int]) -> list[str]:
    """Table rows (markdown) of one (S, lambda): the direct solve and the block solver per group size."""
    system = SteadySystem(an.models.crf(), {"omega": 2 * float(lam), "kappa": 1}, S=S)
    ref = exact_sz(S, lam)
    rows = []
    t0 = time.perf_counter()
    solve, _, nnz, _ = system.factorize(0.0)
    x = refine_float(system.matvec, solve, system.b, 2)
    t = time.perf_counter() - t0
    res = system.residual(system.rf.to_rho(x) / np.trace(system.rf.to_rho(x)).real)
    rows.append(f"| {S} | {lam} | direct | - | {t:.2f} | {nnz:.2e} | {res:.1e} | "
                f"{abs(sz_over_s(system, x, S) - ref) / abs(ref):.1e} |")
    del solve
    inv = np.empty_like(system.perm)
    inv[system.perm] = np.arange(system.n)
    A = system.Ap[inv][:, inv].tocsr()
    i, j = system.rf.i, system.rf.j
    for g in groups:
        X = np.stack([-(np.abs(i - j) // g), i + j, i - j], axis=1).astype(np.int64)
        t0 = time.perf_counter()
        try:
            bs = BlockSolver(A, X, system.k)
            x = bs.solve(system.b)
        except NotConverged as err:
            rows.append(f"| {S} | {lam} | blocks {g} | not converged | {time.perf_counter() - t0:.2f} | - | - | "
                        f"{str(err)[:60]} |")
            continue
        t = time.perf_counter() - t0
        res = system.residual(system.rf.to_rho(x) / np.trace(system.rf.to_rho(x)).real)
        rows.append(f"| {S} | {lam} | blocks {g} | {bs.iterations[0]} | {t:.2f} | {bs.fill:.2e} | {res:.1e} | "
                    f"{abs(sz_over_s(system, x, S) - ref) / abs(ref):.1e} |")
    return rows


def main() -> None:
    """Print the table (S, lambda, method, GMRES iterations, seconds, factor entries, residual, Sz error)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400])
    p.add_argument("--lambdas", nargs="+", default=["0.3", "0.9", "1.5"])
    p.add_argument("--groups", type=int, nargs="+", default=[4, 16, 64])
    a = p.parse_args()
    print("| S | lambda | method | iterations | time (s) | factor nnz | residual | Sz/S rel. error |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for S in a.sizes:
        for lam in a.lambdas:
            for row in run_case(S, lam, a.groups):
                print(row, flush=True)


if __name__ == "__main__":
    main()
