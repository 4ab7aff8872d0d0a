"""Paper 004's model and mean field: parameters, the cubic (2), its branches, window (B5) and printed formulas."""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Callable

import numpy as np
import sympy as sp

import analytic as an
from analytic import meanfield as mf

from numeric.app.reproduce.spec import require

__all__ = ["MODEL", "MARGIN", "values", "mean_field_functions", "mean_field_branches", "lower_branch",
           "branch_stability", "printed_window", "window_edges", "printed_F11_xi2", "printed_eq8", "printed_F14"]

MODEL = an.models.driven_dicke()
MARGIN = 0.2            # switching thresholds at 20 % of the distance between the metastable values


# ----------------------------------------------------------------------------- parameters, mean field
def values(N: int, frac: float, gamma_c: float = 1.0, gamma_s: float = 0.1) -> dict:
    r"""Parameters at :math:`\Omega = \mathrm{frac}\cdot\Omega_c`, :math:`\Omega_c = (N-1)\gamma_c/4`
    (eq. 2); the default rates :math:`\gamma_c = 10\gamma_s` are those of Figs. 2-8."""
    return {"Omega": frac * (N - 1) * gamma_c / 4, "gamma_c": gamma_c, "gamma_s": gamma_s}


@lru_cache(maxsize=None)
def mean_field_functions() -> tuple:
    """Lambdified pieces of the engine's mean field (individual factorisation, eq. B2): the
    coefficients of the cubic (2) in s_z, s_y on the s_x = 0 branches (from d s_y/dt = 0), the
    Jacobian (B11); all functions of (N, Omega, gamma_c, gamma_s)."""
    var = mf.variables(MODEL)
    sx, sy, sz = var["sx"], var["sy"], var["sz"]
    args = [MODEL.symbol(k) for k in ("N", "Omega", "gamma_c", "gamma_s")]
    cubic = sp.Poly(sp.numer(sp.together(mf.reduced_system(MODEL, "sz"))), sz)
    require(cubic.degree() == 3, f"the reduced system is not the cubic of eq. (2): degree {cubic.degree()}")
    eqs = mf.equations(MODEL)
    sy_sol = sp.solve(eqs["sy"].subs(sx, 0), sy)
    require(len(sy_sol) == 1, f"d s_y/dt = 0 at s_x = 0 has {len(sy_sol)} solutions")
    return (sp.lambdify(args, cubic.all_coeffs(), "numpy"), sp.lambdify([sz, *args], sy_sol[0], "numpy"),
            sp.lambdify([sx, sy, sz, *args], mf.jacobian(MODEL, eqs=eqs), "numpy"))


def mean_field_branches(N: int, Omega: float, gamma_c: float = 1.0, gamma_s: float = 0.1) -> list:
    """Real roots s_z in [-1, 0] of the engine's cubic (eq. 2), ascending: one, or three (lower
    stable, middle unstable, upper stable) inside the window (B5)."""
    coeffs, _, _ = mean_field_functions()
    r = np.roots(np.array(coeffs(N, Omega, gamma_c, gamma_s), dtype=float))
    return sorted(x.real for x in r if abs(x.imag) < 1e-9 and -1 - 1e-9 <= x.real <= 1e-9)


def lower_branch(N: int, Omega: float, gamma_c: float, gamma_s: float) -> tuple:
    """``(s_y, s_z)`` of the lower (collective) mean-field branch."""
    _, sy_of, _ = mean_field_functions()
    sz = mean_field_branches(N, Omega, gamma_c, gamma_s)[0]
    return float(sy_of(sz, N, Omega, gamma_c, gamma_s)), float(sz)


def branch_stability(N: int, Omega: float, gamma_c: float, gamma_s: float) -> list:
    """Largest real part of the eigenvalues of the Jacobian (B11) on each branch of
    :func:`mean_field_branches` (negative: stable)."""
    _, sy_of, jac = mean_field_functions()
    out = []
    for sz in mean_field_branches(N, Omega, gamma_c, gamma_s):
        J = np.array(jac(0.0, sy_of(sz, N, Omega, gamma_c, gamma_s), sz, N, Omega, gamma_c, gamma_s), dtype=float)
        out.append(float(np.linalg.eigvals(J).real.max()))
    return out


def printed_window(ratio: float) -> list:
    r"""(B5) as printed: the window edges in :math:`\Omega/\Omega_c` for :math:`r = \gamma/\Gamma`."""
    return [math.sqrt(1 + 20 * ratio - 8 * ratio ** 2 + s * math.sqrt((1 - 8 * ratio) ** 3)) / 2 for s in (-1, 1)]


def window_edges(gamma: float, Gamma: float) -> list:
    """The engine's window edges (registered formula from the discriminant of the cubic)."""
    return [float(e) for e in an.formulas.get("driven_dicke.meanfield.bistability")(gamma, Gamma)]


def printed_F11_xi2(c: float, s: float, Gamma: float, gamma: float) -> float:
    r"""(F10) with (F11a), (F11b) as printed: :math:`\xi^2 = 1 + 2\langle a^\dagger a\rangle - 2|\langle a^2\rangle|`,
    :math:`|\mathbf s| = s`, :math:`\cos\theta = c`."""
    d1 = -Gamma * s * c + gamma * (2 - c * c)
    d2 = -Gamma * s * c + gamma * (1 + (1 - c * c) / 2)
    d3 = -Gamma * s * c + gamma
    pre = (gamma + Gamma) * s / 4
    n = pre * (1 / d1 + 2 * c / d2 + c * c / d3)
    a2 = pre * (c * c / d3 - 1 / d1)
    return 1 + 2 * n - 2 * abs(a2)



def printed_eq8(X: Any, sqrt: Callable = np.sqrt) -> Any:
    r"""Eq. (8) as printed, :math:`X = \Omega/\Omega_c` (``sqrt=sympy.sqrt`` for exact arguments)."""
    r = sqrt(1 - 2 * X ** 2)
    return (1 + r) / (sqrt(2) * sqrt(1 + X ** 2 + r))


def printed_F14(X: Any, sqrt: Callable = np.sqrt) -> Any:
    r"""(F14) as printed (the square root closes before :math:`+\sqrt{1 - 2X^2}`)."""
    r = sqrt(1 - 2 * X ** 2)
    return (1 + r) / (sqrt(2) * sqrt(1 + X ** 2) + r)
