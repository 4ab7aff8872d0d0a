"""Paper 004's figures (Figs. 2, 3, 4, 6, 10, eq. (9), App. F), drawn from what the tasks computed."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import sympy as sp

import analytic as an
from analytic import fluctuations as fl

from numeric.app.reproduce.paper004.model import (MARGIN, branch_stability, mean_field_branches, printed_eq8,
                                                  printed_F14, window_edges)
from numeric.app.reproduce.paper004.specs import PRINTED_A
from numeric.dynamics.switching import thresholds

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["fig2_figure", "gap_figure", "metastable_figure", "switching_figure", "xi2_figure", "fit_figure",
           "c2_figure"]


def _figure(ncols: int, width: float = 5.0, height: float = 4.0, nrows: int = 1):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height * nrows))
    return fig, [fig.add_subplot(nrows, ncols, i + 1) for i in range(ncols * nrows)]


def _colors(n: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0.05, 0.85, max(n, 1)))


def _mf_curves(N: int, grid):
    """s_z of the lower, middle, upper branch on ``grid`` (Omega/Omega_c) and their stability."""
    Z, stable = np.full((len(grid), 3), np.nan), np.zeros((len(grid), 3), bool)
    for i, f in enumerate(grid):
        br = mean_field_branches(N, f * (N - 1) / 4)
        st = branch_stability(N, f * (N - 1) / 4, 1.0, 0.1)
        lo_edge = window_edges(1.1, N - 1.0)[0]
        ks = range(3) if len(br) == 3 else [0 if f < lo_edge else 2]
        for k, z, s in zip(ks, br, st):
            Z[i, k], stable[i, k] = z, s < 0
    return Z, stable


def fig2_figure(fracs: dict, data: dict, P64: np.ndarray, pk64: Sequence[int]) -> Figure:
    """Fig. 2 (a, b, c, f): exact magnetisation against the mean-field branches, P(m), total spin, g2."""
    fig, (a, b, c, d) = _figure(4, 4.6, 3.9)
    grid = np.linspace(0.02, 2.0, 300)
    cols = dict(zip(data, _colors(len(data))))
    for N, rows in data.items():
        a.plot(fracs[N], rows[:, 0], "o", color=cols[N], ms=4, label=f"exact, N = {N}")
        c.plot(fracs[N], rows[:, 1], "o-", color=cols[N], ms=4, label=f"exact, N = {N}")
        d.plot(fracs[N], rows[:, 2], "o-", color=cols[N], ms=4, label=f"exact, N = {N}")
        mom = an.exact.mixed_moments(N)
        c.axhline(float(mom["S2"]) / (N / 2 * (N / 2 + 1)), color=cols[N], ls=":", lw=1,
                  label=f"totally mixed (D3c), N = {N}")
        d.axhline(float(mom["g2"]), color=cols[N], ls=":", lw=1, label=f"totally mixed (D3e), N = {N}")
    for N in (min(data), max(data)):
        Z, stable = _mf_curves(N, grid)
        for k in range(3):
            a.plot(grid, np.where(stable[:, k], Z[:, k], np.nan), "-", color=cols[N], lw=0.9,
                   label=f"mean field (2), N = {N}: stable" if k == 0 else None)
            a.plot(grid, np.where(~stable[:, k], Z[:, k], np.nan), "--", color=cols[N], lw=0.9,
                   label=f"mean field (2), N = {N}: unstable" if k == 1 else None)
    a.plot(grid, np.where(grid <= 1, -np.sqrt(np.clip(1 - grid ** 2, 0, None)), np.nan), "-.", color="m", lw=0.9,
           label=r"Dicke limit (B4), $\Gamma_c = \Gamma$")
    a.set_xlabel(r"$\Omega/\Omega_c$, $\Omega_c = (N-1)\gamma_c/4$")
    a.set_ylabel(r"$\langle S_z\rangle/(N/2)$ (exact), $s_z$ (mean field)")
    a.set_title(r"Fig. 2(a): magnetisation, $\gamma_c = 10\gamma_s$", fontsize=10)
    a.legend(fontsize=6.5, loc="lower right")
    N64 = max(data)
    m = N64 / 2 - np.arange(N64 + 1)
    b.bar(m, P64, color=cols[N64], label=f"P(m), N = {N64}, $\\Omega = 0.61\\Omega_c$")
    br = mean_field_branches(N64, 0.61 * (N64 - 1) / 4)  # one branch when 0.61 Omega_c is outside N's window
    b.axvline(N64 / 2 * br[0], color="k", ls="--", lw=0.9, label=r"$N s_z/2$, lower branch")
    if len(br) == 3:
        b.axvline(N64 / 2 * br[2], color="k", ls=":", lw=0.9, label=r"$N s_z/2$, upper branch")
    b.plot(m[pk64], P64[pk64], "v", color="tab:red", label="peaks")
    b.set_xlabel("m (eigenvalue of $S_z$)")
    b.set_ylabel("P(m)")
    b.set_title("Fig. 2(b): bimodal distribution", fontsize=10)
    b.legend(fontsize=7)
    c.set_xlabel(r"$\Omega/\Omega_c$")
    c.set_ylabel(r"$\langle\mathbf{S}^2\rangle/[\frac{N}{2}(\frac{N}{2}+1)]$")
    c.set_title("Fig. 2(c): total spin", fontsize=10)
    c.legend(fontsize=7)
    d.axhline(1, color="k", lw=0.5, label="coherent light, $g^{(2)} = 1$")
    d.set_xlabel(r"$\Omega/\Omega_c$")
    d.set_ylabel(r"$g^{(2)}(0) = \langle S^+S^+S^-S^-\rangle/\langle S^+S^-\rangle^2$")
    d.set_title("Fig. 2(f): photon correlations", fontsize=10)
    d.legend(fontsize=7)
    fig.tight_layout()
    return fig


def gap_figure(Ns: np.ndarray, gaps: np.ndarray, fit: np.ndarray) -> Figure:
    """Fig. 3: the Liouvillian gap against N on a semi-log plot with its exponential fit."""
    fig, (a,) = _figure(1, 5.4, 3.9)
    a.semilogy(Ns, gaps, "o", color=_colors(1)[0], label=r"$\lambda_1$ (spectrum of $\mathcal{L}$)")
    a.semilogy(Ns, np.exp(np.polyval(fit, Ns)), "k--", lw=0.9, label=f"fit $\\propto e^{{{fit[0]:.3f}N}}$")
    a.set_xlabel("N")
    a.set_ylabel(r"$\lambda_1/\gamma_c$")
    a.set_title(r"Fig. 3: gap at $\Omega = 0.61\Omega_c$, $\gamma_c = 10\gamma_s$", fontsize=10)
    a.legend(fontsize=8)
    fig.tight_layout()
    return fig


def metastable_figure(fr: np.ndarray, rows: np.ndarray, printed_at: float) -> Figure:
    """Fig. 4(a) and eq. (5): the metastable states against the branches, and their weights."""
    fig, (a, b) = _figure(2, 5.2, 4.0)
    N = 18
    grid = np.linspace(0.55, 0.9, 200)
    Z, stable = _mf_curves(N, grid)
    for k in range(3):
        a.plot(grid, np.where(stable[:, k], Z[:, k], np.nan), "k-", lw=0.8, label="mean field (2): stable" if k == 0 else None)
        a.plot(grid, np.where(~stable[:, k], Z[:, k], np.nan), "k--", lw=0.8, label="unstable" if k == 1 else None)
    a.plot(fr, rows[:, 0], "o", color="tab:red", label=r"$\rho_+$")
    a.plot(fr, rows[:, 1], "s", color="tab:green", label=r"$\rho_-$")
    a.plot(fr, rows[:, 2], "x-", color="0.4", label=r"steady state $\rho_s$")
    a.axvspan(*window_edges(1.1, N - 1.0), color="0.92", label="window (B5)")
    a.set_xlabel(r"$\Omega/\Omega_c$")
    a.set_ylabel(r"$\langle S_z\rangle/(N/2)$")
    a.set_title(r"Fig. 4(a): $\rho_\pm$, N = 18, $\gamma_c = 10\gamma_s$", fontsize=10)
    a.legend(fontsize=7)
    b.plot(fr, rows[:, 3], "o-", color="tab:red", label=r"$a_+$, eq. (5) (traces)")
    b.plot(fr, rows[:, 4], "s-", color="tab:green", label=r"$a_-$, eq. (5) (traces)")
    b.plot(fr, rows[:, 3] + rows[:, 4], "k^-", label=r"$a_+ + a_-$")
    b.plot(fr, rows[:, 5], ":", color="tab:red", label=r"$a_+$, piqs block product")
    b.plot(fr, rows[:, 6], ":", color="tab:green", label=r"$a_-$, piqs block product")
    b.plot(fr, rows[:, 7], "d--", color="tab:blue", label=r"$p_+$, left eigenmatrix ($p_+ + p_- = 1$)")
    b.plot([printed_at] * 2, PRINTED_A, "*", color="orange", ms=12, label="printed (0.4, 0.5)")
    b.axhline(1, color="k", lw=0.5)
    b.set_xlabel(r"$\Omega/\Omega_c$")
    b.set_ylabel("weight")
    b.set_title("eq. (5): metastable weights, N = 18", fontsize=10)
    b.legend(fontsize=6.5)
    fig.tight_layout()
    return fig


def switching_figure(N: int, ms: Any, mw: dict, r: Any, tr: Any) -> Figure:
    """Fig. 6: one trajectory with the switch thresholds, and the counted rates against eq. (10)."""
    fig, (a, b) = _figure(2, 5.4, 3.9)
    t, z = tr.times, tr.expect["Sz"][0]
    keep = t <= 200
    a.plot(t[keep], z[keep], lw=0.7, color=_colors(1)[0], label=r"$\langle S_z\rangle$, trajectory 1")
    a.axhline(ms.rho_plus.expect("Sz"), color="tab:red", ls="--", label=r"Tr$(S_z\rho_+)$")
    a.axhline(ms.rho_minus.expect("Sz"), color="tab:green", ls="--", label=r"Tr$(S_z\rho_-)$")
    for th in thresholds(ms.rho_plus.expect("Sz"), ms.rho_minus.expect("Sz"), MARGIN):
        a.axhline(th, color="0.6", lw=0.6, ls=":")
    a.plot([], [], ":", color="0.6", label=f"switch thresholds ({MARGIN:.0%} margin)")
    a.set_xlabel(r"$t\gamma_s$")
    a.set_ylabel(r"$\langle S_z\rangle$")
    a.set_title(f"Fig. 6(a): N = {N}, $\\Omega = 0.73\\Omega_c$", fontsize=10)
    a.legend(fontsize=7, loc="center right")
    rows = [(r.rate_low, r.error_low, ms.gamma_plus, mw["gamma_plus"]),
            (r.rate_high, r.error_high, ms.gamma_minus, mw["gamma_minus"])]
    for i, (rate, err, p5, pl) in enumerate(rows):
        b.errorbar(i, rate, yerr=err, fmt="ko", capsize=4, label="counted on trajectories (1 s.e.)" if i == 0 else None)
        b.plot(i + 0.12, p5, "rs", label=r"eq. (10), $a_\mp$ of eq. (5)" if i == 0 else None)
        b.plot(i - 0.12, pl, "g^", label=r"eq. (10), left-eigenmatrix $p_\mp$" if i == 0 else None)
    b.set_xticks([0, 1], [r"$\Gamma_+$ (out of $\rho_+$)", r"$\Gamma_-$ (out of $\rho_-$)"])
    b.set_xlim(-0.5, 1.5)
    b.set_ylabel(r"rate / $\gamma_s$")
    b.set_title(f"switching rates, N = {N} ({r.switches_low} + {r.switches_high} switches)", fontsize=10)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def xi2_figure(sizes: Sequence[int], rows: np.ndarray, fig2d: list, lim: dict) -> Figure:
    """App. F and Fig. 2(d): exact, derived and printed xi^2; eq. (8) and (F14) in the limit."""
    fig, (a, b, c) = _figure(3, 5.0, 4.0)
    cols = _colors(4)
    labels = ("exact (permutation-invariant)", "derived driven_dicke.hp.xi2", "(F10)+(F11) as printed",
              "(F10)+(F11) with 1/|s|")
    for k, (lab, col, mk) in enumerate(zip(labels, cols, "os^d")):
        a.plot(sizes, rows[:, k], mk + "-", color=col, label=lab)
    a.axhline(1, color="k", lw=0.5, label=r"$\xi^2 = 1$")
    a.set_xscale("log")
    a.set_xticks(list(sizes), [str(n) for n in sizes])
    a.set_xlabel("N")
    a.set_ylabel(r"$\xi^2 = N\min\mathrm{Var}(S_\perp)/|\langle\mathbf{S}\rangle|^2$")
    a.set_title(r"App. F: $\Gamma = \gamma_s$, $\Omega = 2\Omega_c$ (F11 fails)", fontsize=10)
    a.legend(fontsize=7)
    for (N, fr, exact, derived, printed), col in zip(fig2d, _colors(len(fig2d))):
        b.plot(fr, exact, "o", color=col, label=f"exact, N = {N}")
        b.plot(fr, derived, "-", color=col, label=f"derived hp.xi2, N = {N}")
        b.plot(fr, printed, ":", color=col, label=f"(F10)+(F11) printed, N = {N}")
    b.set_xlabel(r"$\Omega/\Omega_c$ (lower branch)")
    b.set_ylabel(r"$\xi^2$")
    b.set_title(r"Fig. 2(d): $\gamma_c = 10\gamma_s$", fontsize=10)
    b.legend(fontsize=7)
    cc = np.linspace(-0.9999, float(lim["turning"]), 200)
    X = np.array([float(lim["ratio"].subs(fl.COS_THETA, v)) for v in cc])
    vpp = -cc
    xi2 = (1 + cc ** 2) / 2 if sp.simplify(lim["xi2"] - (1 + fl.COS_THETA ** 2) / 2) == 0 else \
        np.array([float(lim["xi2"].subs(fl.COS_THETA, v)) for v in cc])
    c.plot(X, vpp, "-", color=cols[0], lw=3, alpha=0.5, label=r"derived $V_{pp} \to -\cos\theta$")
    c.plot(X, printed_eq8(X), "k--", label="eq. (8) as printed")
    c.plot(X, printed_F14(X), ":", color=cols[2], label="(F14) as printed")
    c.plot(X, xi2, "-", color=cols[1], label=r"derived Wineland $\xi^2 \to (1+\cos^2\theta)/2$")
    c.plot([1 / math.sqrt(2)], [1 / math.sqrt(3)], "*", color="orange", ms=12, label=r"printed optimum $1/\sqrt{3}$")
    c.set_xlabel(r"$\Omega/\Omega_c$ (lower branch, $\Gamma\gg\gamma$)")
    c.set_ylabel("variance / squeezing parameter")
    c.set_title(r"eq. (8), (F14): limit $\Gamma\gg\gamma$", fontsize=10)
    c.legend(fontsize=7)
    fig.tight_layout()
    return fig


def fit_figure(res: Any) -> Figure:
    """Eq. (9): the evolutions from rho_+- and the two-state fit."""
    from numeric.dynamics.switching import two_state_solution

    fig, (a,) = _figure(1, 5.6, 3.9)
    f, t = res.fit, res.times
    cols = _colors(2)
    a.plot(t, res.p_minus_from_plus, "o", color=cols[0], ms=4, label=r"$p_-(t)$ from $\rho_+$ (read with $S_z$)")
    a.plot(t, res.p_plus_from_minus, "s", color=cols[1], ms=4, label=r"$p_+(t)$ from $\rho_-$")
    tt = t[t >= t[0]]
    a.plot(tt, two_state_solution(f.k_ab, f.k_ba, f.p_b0_from_a, tt - tt[0]), "-", color=cols[0], lw=0.9,
           label="two-state fit, eq. (9)")
    a.plot(tt, two_state_solution(f.k_ba, f.k_ab, f.p_a0_from_b, tt - tt[0]), "-", color=cols[1], lw=0.9,
           label="two-state fit, eq. (9)")
    a.set_xlabel(r"$t\gamma_s$")
    a.set_ylabel("occupation of the other state")
    a.set_title(r"eq. (9): evolutions from $\rho_\pm$, N = 18", fontsize=10)
    a.legend(fontsize=7)
    fig.tight_layout()
    return fig



def c2_figure(Ns: Sequence[int], pts: Sequence[float]) -> Figure:
    """App. C, Fig. 10: the (C2) transition points against N inside the mean-field window."""
    fig, (a,) = _figure(1, 5.6, 3.9)
    NN = np.arange(14, 101)
    edges = np.array([window_edges(1.1, n - 1.0) for n in NN])
    a.fill_between(NN, edges[:, 0], edges[:, 1], color="0.9", label=r"mean-field window (B5), $\gamma_c = 10\gamma_s$")
    a.plot(Ns, pts, "o-", color=_colors(1)[0], label=r"ours: $\langle S_z\rangle$ = mean of the stable branches (C2)")
    a.axhline(0.61, color="k", ls="--", lw=0.9, label=r"printed $\Omega_{PT}\approx 0.61\Omega_c$ ($N\gg 1$)")
    a.set_xlabel("N")
    a.set_ylabel(r"$\Omega/\Omega_c$")
    a.set_title("App. C, Fig. 10: transition point", fontsize=10)
    a.legend(fontsize=7)
    fig.tight_layout()
    return fig
