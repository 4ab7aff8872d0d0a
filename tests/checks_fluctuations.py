"""Check kinds of Holstein-Primakoff formulas (analytic/fluctuations.py) not in numeric.checks.

``hp_lattice_decay``: the correlation length from the k-space analysis equals the decay of the
real-space correlation :math:`\\langle c_{a,0}^\\dagger c_{a,s}\\rangle` on a ring of
``check.sizes[0]`` cells, obtained without Fourier analysis: the engine's drift A(z) is split
into its cell blocks (coefficients of z^-1, z^0, z^1), the ring drift and diffusion are
assembled in real space and the Lyapunov equation is solved by scipy.
"""
import time

import numpy as np
import scipy.linalg
import sympy as sp

import analytic as an
from analytic import fluctuations as fl
from numeric import checks


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
                assert deg - 1 in blocks, (i, j, poly)
                blocks[deg - 1][i, j] = complex(c).real
    D = np.array(g.diffusion.subs(vals), dtype=complex)
    assert np.allclose(D.imag, 0) and not g.diffusion.has(fl.Z)  # local noise
    shift = np.roll(np.eye(cells), 1, axis=1)  # shift[c, c + 1] = 1: the next cell
    R = np.kron(np.eye(cells), blocks[0]) + np.kron(shift, blocks[1]) + np.kron(shift.T, blocks[-1])
    assert np.max(np.linalg.eigvals(R).real) < 0, "the ring drift is not stable at this point"
    return scipy.linalg.solve_continuous_lyapunov(R, -np.kron(np.eye(cells), D.real))


def check_hp_lattice_decay(f) -> checks.CheckResult:
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
        errors[checks._label(point)] = list(np.abs(xi_ring / xi - 1))
    worst = max(max(e) for e in errors.values())
    return checks.CheckResult(f.name, f.check.kind, worst < f.check.tol, digits=checks._digits(worst),
                              required_digits=-np.log10(f.check.tol), sizes=f.check.sizes, errors=errors,
                              seconds=time.time() - t0,
                              detail=f"real-space decay ratios on a ring of {cells} cells vs formula (relative)")


CHECKS = {"hp_lattice_decay": check_hp_lattice_decay}
