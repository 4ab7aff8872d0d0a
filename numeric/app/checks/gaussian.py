r"""Check kinds of Holstein-Primakoff (Gaussian) formulas: ``hp_lyapunov``, ``hp_lattice_decay``, ``hp_squeezing_driven``.

``hp_lyapunov``: the negativity equals scipy's Lyapunov solution of the model's drift and diffusion
followed by the symplectic spectrum of the partial transpose (not eq. A25), to 1e-12.

``hp_lattice_decay``: the correlation length from the k-space analysis equals the decay of the
real-space correlation :math:`\langle c_{a,0}^\dagger c_{a,s}\rangle` on a ring of
``check.sizes[0]`` cells, obtained without Fourier analysis: the engine's drift A(z) is split
into its cell blocks (coefficients of z^-1, z^0, z^1), the ring drift and diffusion are
assembled in real space and the Lyapunov equation is solved by scipy.

``hp_squeezing_driven``: seed 004 atoms.  A check point gives the formula's arguments at a reference N
(a point of the lower branch); the drive :math:`\Omega` there comes from the fixed-point curve, and
:math:`\Omega`, :math:`\Gamma = (N-1)\gamma_c` and :math:`\gamma_s` are held fixed while N runs over
``check.sizes``.  At each N the lower mean-field branch is the smallest root in [-1, 0] of the engine's
cubic for s_z (seed 004 eq. 2; at the reference N it must give back the point's cos theta), s_y follows
from the engine's d s_y/dt = 0, and the Wineland parameter of the exact permutation-invariant steady
state approaches the formula at :math:`\cos\theta = s_z/|\mathbf s|` like N^-p.
"""
from __future__ import annotations

import time

import numpy as np
import scipy.linalg
import sympy as sp

import analytic as an
from analytic import fluctuations as fl
from analytic.formulas import Formula
from analytic import meanfield as mf

from numeric.solvers.steady import steady_state
from numeric.app.checks.common import CheckResult, digits, fit_order, label, value

__all__ = ["numeric_negativity", "check_hp_lyapunov", "ring_covariance", "check_hp_lattice_decay",
           "driven_dicke_lower_branch", "check_hp_squeezing_driven"]


def numeric_negativity(V: np.ndarray) -> float:
    """Two-mode negativity from the symplectic spectrum of the partial transpose (p_b -> -p_b),
    vacuum V = 1, [x, p] = 2i."""
    P = np.diag([1, 1, 1, -1])
    Vt = P @ V @ P
    Om = np.kron(np.eye(2), np.array([[0, 1], [-1, 0]]))
    nu = np.sort(np.abs(np.linalg.eigvals(1j * Om @ Vt)))
    return max(0.0, (1 / nu[0] - 1) / 2)


def check_hp_lyapunov(f: Formula) -> CheckResult:
    """Negativity from scipy's Lyapunov solution of the numeric drift/diffusion (1e-12)."""
    g = fl.dimer_gaussian("AM")
    m = g.model
    errors, ok, worst = {}, True, 0.0
    for point in f.check.points:
        vals = {m.symbol("g"): point["g"], m.symbol("Gamma_g"): point["Gamma_l"], m.symbol("Gamma_l"): point["Gamma_l"]}
        A = np.array(g.drift.subs(vals), dtype=float)
        D = np.array(g.diffusion.subs(vals), dtype=float)
        stable = bool(np.max(np.linalg.eigvals(A).real) < 0)
        V = scipy.linalg.solve_continuous_lyapunov(A, -D)
        err = abs(numeric_negativity(V) - value(f, point))
        errors[label(point)] = [err]
        worst = max(worst, err)
        ok &= stable and err < 1e-12
    return CheckResult(f.name, "hp_lyapunov", ok, digits=digits(worst), required_digits=12.0, errors=errors,
                       detail="numeric Lyapunov solution + symplectic spectrum")


def ring_covariance(g: fl.Gaussian, values: dict, cells: int) -> np.ndarray:
    """Real-space covariance of the quadratures of a ring of ``cells`` cells (cell-major)."""
    m = g.model
    vals = {m.symbol(k): v for k, v in values.items()}
    n = g.drift.shape[0]
    blocks = {s: np.zeros((n, n)) for s in (-1, 0, 1)}
    for i in range(n):
        for j in range(n):
            poly = sp.Poly(sp.cancel(g.drift[i, j].subs(vals) * fl.Z), fl.Z)
            for (deg,), c in poly.terms():
                if deg - 1 not in blocks:
                    raise an.ModelError(f"drift entry ({i}, {j}) couples beyond nearest-neighbour cells: {poly}")
                blocks[deg - 1][i, j] = complex(c).real
    D = np.array(g.diffusion.subs(vals), dtype=complex)
    if not np.allclose(D.imag, 0) or g.diffusion.has(fl.Z):
        raise an.ModelError("the ring construction needs a real, local (z-independent) diffusion matrix")
    shift = np.roll(np.eye(cells), 1, axis=1)  # shift[c, c + 1] = 1: the next cell
    R = np.kron(np.eye(cells), blocks[0]) + np.kron(shift, blocks[1]) + np.kron(shift.T, blocks[-1])
    if not np.max(np.linalg.eigvals(R).real) < 0:
        raise an.ModelError(f"the ring drift is not stable at {values}")
    return scipy.linalg.solve_continuous_lyapunov(R, -np.kron(np.eye(cells), D.real))


def check_hp_lattice_decay(f: Formula) -> CheckResult:
    """Real-space decay ratios of the ring correlation vs the formula's correlation length (relative, ``check.tol``)."""
    t0 = time.time()
    g = fl.chain_gaussian("AM")
    ix, ip = g.index("x_a"), g.index("p_a")
    n, cells = g.drift.shape[0], f.check.sizes[0]
    errors = {}
    for point in f.check.points:
        V = ring_covariance(g, point, cells)
        x0, p0 = ix, ip
        corr = [(V[x0, s * n + ix] + V[p0, s * n + ip] + 1j * (V[x0, s * n + ip] - V[p0, s * n + ix])) / 4
                for s in range(1, 7)]
        ratios = np.array(corr[1:]) / np.array(corr[:-1])
        xi_ring = -1 / np.log(np.abs(ratios))
        xi = float(f.function()(*[point[a] for a in f.args]))
        errors[label(point)] = list(np.abs(xi_ring / xi - 1))
    worst = max(max(e) for e in errors.values())
    return CheckResult(f.name, f.check.kind, worst < f.check.tol, digits=digits(worst),
                              required_digits=-np.log10(f.check.tol), sizes=f.check.sizes, errors=errors,
                              seconds=time.time() - t0,
                              detail=f"real-space decay ratios on a ring of {cells} cells vs formula (relative)")


def driven_dicke_lower_branch(values: dict) -> tuple:
    """``(s_y, s_z)`` of the lower mean-field branch of ``driven_dicke`` at numeric ``values``."""
    m = an.models.driven_dicke()
    var = mf.variables(m)
    vals = {m.symbol(k): v for k, v in values.items()}
    cubic = sp.Poly(sp.numer(sp.together(mf.reduced_system(m, "sz").subs(vals))), var["sz"])
    roots = [r.real for r in np.roots([float(a) for a in cubic.all_coeffs()])
             if abs(r.imag) < 1e-12 and -1 <= r.real <= 0]
    sz = min(roots)
    sy = sp.solve(mf.equations(m)["sy"].subs(vals).subs(var["sz"], sz), var["sy"])
    if len(sy) != 1:
        raise an.ModelError(f"driven_dicke lower branch: expected one s_y, found {sy}")
    return float(sy[0]), sz


def check_hp_squeezing_driven(f: Formula) -> CheckResult:
    """Wineland parameter of the exact PI steady state at growing N -> formula on the lower branch, errors
    decreasing, fitted order within ``check.tol``."""
    t0 = time.time()
    m = an.models.driven_dicke()
    xi2 = f.function()
    _, drive = fl.driven_dicke_curve()
    errors, orders, ok = {}, [], True
    for point in f.check.points:
        Gamma, gs = (point["N"] - 1) * point["gamma_c"], point["gamma_s"]
        Omega = float(drive.subs({m.symbol(k) if k != "cos_theta" else fl.COS_THETA: v for k, v in point.items()}))
        sy, sz = driven_dicke_lower_branch({"N": point["N"], "Omega": Omega, "gamma_c": point["gamma_c"],
                                            "gamma_s": gs})
        if abs(sz / np.hypot(sy, sz) - point["cos_theta"]) > 1e-9:
            raise an.ModelError(f"{f.name}: check point {point} is not on the lower branch")
        errs = []
        for N in f.check.sizes:
            values = {"N": N, "Omega": Omega, "gamma_c": Gamma / (N - 1), "gamma_s": gs}
            sy, sz = driven_dicke_lower_branch(values)
            formula = float(xi2(sz / np.hypot(sy, sz), N, Gamma / (N - 1), gs))
            errs.append(abs(steady_state(m, values, N=N).squeezing() - formula))
        p = fit_order(f.check.sizes, errs)
        errors[label(point)] = errs
        orders.append(p)
        ok &= abs(p - f.check.order) < f.check.tol and bool(np.all(np.diff(errs) < 0))
    worst = max(orders, key=lambda p: abs(p - f.check.order))
    return CheckResult(f.name, f.check.kind, ok, order=worst, expected_order=f.check.order,
                              order_tol=f.check.tol, sizes=tuple(f.check.sizes), errors=errors,
                              seconds=time.time() - t0,
                              detail="exact permutation-invariant steady state at growing N (Omega, Gamma fixed) "
                                     "-> formula on the lower branch")

