"""Check kinds of the Holstein-Primakoff formulas (analytic/fluctuations.py).

* ``hp_squeezing``: the exact finite-S Wineland parameter of the numeric steady state
  converges to the formula, |xi^2_S - xi^2| ~ S^-p, fitted p = registered order within tol.
* ``hp_purity``: the same for the purity Tr rho^2 of the exact finite-S steady state.
* ``hp_lyapunov``: the formula equals a purely numeric evaluation: the model's drift and
  diffusion at the point solved with scipy's Lyapunov solver, and the negativity from the
  symplectic eigenvalues of the partially transposed covariance (not eq. A25).
"""
import numpy as np
import scipy.linalg

import analytic as an
from analytic import fluctuations as fl


def _fit(f, observable):
    from numeric.steady import steady_state

    model = an.models.get(f.model)
    orders = []
    for point in f.check.points:
        value = float(f.function()(*[point[a] for a in f.args]))
        sizes = np.array(f.check.sizes, float)
        errs = np.array([abs(observable(steady_state(model, point, S=S)) - value) for S in f.check.sizes])
        assert np.all(errs > 0) and np.all(np.diff(errs) < 0), (point, errs)
        p = -np.polyfit(np.log(sizes), np.log(errs), 1)[0]
        orders.append(p)
        assert abs(p - f.check.order) < f.check.tol, (f.name, point, p, errs)
    return orders


def check_hp_squeezing(f):
    return _fit(f, lambda st: st.squeezing())


def check_hp_purity(f):
    return _fit(f, lambda st: st.purity())


def numeric_negativity(V):
    """Two-mode negativity from the symplectic spectrum of the partial transpose (p_b -> -p_b),
    vacuum V = 1, [x, p] = 2i."""
    P = np.diag([1, 1, 1, -1])
    Vt = P @ V @ P
    Om = np.kron(np.eye(2), np.array([[0, 1], [-1, 0]]))
    nu = np.sort(np.abs(np.linalg.eigvals(1j * Om @ Vt)))
    return max(0.0, (1 / nu[0] - 1) / 2)


def check_hp_lyapunov(f):
    g = fl.dimer_gaussian("AM")
    m = g.model
    for point in f.check.points:
        vals = {m.symbol("g"): point["g"], m.symbol("Gamma_g"): point["Gamma_l"], m.symbol("Gamma_l"): point["Gamma_l"]}
        A = np.array(g.drift.subs(vals), dtype=float)
        D = np.array(g.diffusion.subs(vals), dtype=float)
        assert np.max(np.linalg.eigvals(A).real) < 0
        V = scipy.linalg.solve_continuous_lyapunov(A, -D)
        value = float(f.function()(*[point[a] for a in f.args]))
        assert abs(numeric_negativity(V) - value) < 1e-12, (point, numeric_negativity(V), value)


CHECKS = {"hp_squeezing": check_hp_squeezing, "hp_purity": check_hp_purity, "hp_lyapunov": check_hp_lyapunov}
