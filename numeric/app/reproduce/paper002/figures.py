"""Paper 002's figures (Figs. 2d, 3, 4, 5, 7a, 7c, eq. (3), App. A), drawn from what the tasks computed."""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from numeric.app.figures import mark_exits
from numeric.app.reproduce.paper002.specs import EQ3, EQ3_H, PRINTED_PT_AM, PURITY_POINTS, THRESHOLDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from numeric.semiclassical.twa import TWARun

__all__ = ["purity_figure", "pt_line_figure", "eq3_figure", "kerr_figure", "gap_figure", "fig5_figure",
           "decay_figure", "fig7a_figure"]


def _figure(ncols: int, width: float = 5.2, height: float = 4.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height))
    return fig, [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]


def _colors(n: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0.05, 0.85, max(n, 1)))


def _s_ticks(ax, Ss) -> None:
    """Tick labels at the computed sizes on a logarithmic S axis."""
    from matplotlib.ticker import NullFormatter

    ax.set_xticks(list(Ss), [f"{S:g}" for S in Ss])
    ax.xaxis.set_minor_formatter(NullFormatter())


def purity_figure(Ss: Sequence[int], data: dict[str, tuple]) -> Figure:
    """Fig. 3(b), App. A: the exact dimer purity against S and its approach to (A23), (A24);
    ``data[phase]`` = (purities, limit, errors, fitted order)."""
    fig, (a, b) = _figure(2)
    for (ph, (name, pt, _, eq)), c in zip(PURITY_POINTS.items(), _colors(2)):
        P, limit, errs, p = data[ph]
        label = f"{ph}: $\\Gamma_g = {pt['Gamma_g']}g$, $\\Gamma_l = {pt['Gamma_l']}g$"
        a.plot(Ss, P, "o-", color=c, label=f"exact, {label}")
        a.axhline(limit, color=c, ls="--", label=f"Gaussian limit {eq} (S = $\\infty$)")
        b.loglog(Ss, errs, "o", color=c, label=f"{ph}: |exact - {eq}|")
        fit = np.exp(np.polyfit(np.log(Ss), np.log(errs), 1))
        b.loglog(Ss, fit[1] * np.asarray(Ss, float) ** np.log(fit[0]), "-", color=c, lw=0.8,
                 label=f"fit $\\propto S^{{-{p:.2f}}}$")
    a.set_xlabel("spin length S")
    a.set_ylabel(r"purity Tr$\rho_0^2$")
    a.set_title("paper 002 Fig. 3(b), App. A: dimer purity vs S (g = 1)", fontsize=10)
    b.set_xlabel("spin length S")
    b.set_ylabel("|exact - HP limit|")
    _s_ticks(b, Ss)
    b.set_title("approach to the Holstein-Primakoff limit", fontsize=10)
    a.legend(fontsize=7)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def pt_line_figure(Ss: Sequence[int], values: dict[str, list[float]],
                   impurity: tuple[Sequence[int], Sequence[float]]) -> Figure:
    """App. A on the PT line: |exact - printed closed form| against S; Fig. 3: the scaled impurity
    ``impurity`` = (sizes, values) against the printed 0.957."""
    fig, (a, b) = _figure(2)
    labels = {"n_a": r"$n_a = S - \langle S^z_a\rangle$", "n_b": r"$n_b = S + \langle S^z_b\rangle$",
              "negativity": r"negativity $\mathcal{N}$", "purity": r"purity Tr$\rho_0^2$"}
    for (q, (ref, eq, _)), c in zip(PRINTED_PT_AM.items(), _colors(len(PRINTED_PT_AM))):
        err = np.abs(np.array(values[q]) - ref)
        a.loglog(Ss, err, "o-" if q != "n_b" else "x--", color=c, label=f"{labels[q]} vs {eq}")
    a.set_xlabel("spin length S")
    a.set_ylabel("|exact - printed closed form|")
    _s_ticks(a, Ss)
    a.set_title(r"dimer on the PT line, AM phase: $\Gamma_g = \Gamma_l = 1.3g$", fontsize=10)
    a.legend(fontsize=7)
    Si, Ii = impurity
    b.plot(Si, Ii, "o-", color=_colors(1)[0], label=r"exact, $\Gamma_g = \Gamma_l = 0.5g$")
    b.axhline(0.957, color="k", ls="--", label="printed 0.957 (S = 12, Sec. III B)")
    b.set_ylim(0, 1.05)
    b.set_xlabel("spin length S")
    b.set_ylabel(r"scaled impurity $\mathcal{I}/(2S+1)^2 = 1/[(2S+1)^2\,{\rm Tr}\rho_0^2]$")
    b.set_title("paper 002 Fig. 3: impurity at the FM-FM transition", fontsize=10)
    b.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def eq3_figure(found: dict[str, float]) -> Figure:
    """Eq. (3): the printed phase boundaries of the chain and the stability edges ``found`` of the HP drift."""
    fig, (a,) = _figure(1, 6.0, 4.6)
    gg = np.linspace(0.3, 3.0, 200)
    a.plot(gg, (1 + EQ3_H) ** 2 / gg, "k-", label=r"eq. (3): $\Gamma_g\Gamma_l = (g+h)^2$")
    a.plot(gg, (1 - EQ3_H) ** 2 / gg, "k--", label=r"eq. (3): $\Gamma_g\Gamma_l = (g-h)^2$")
    lo = gg[gg <= 1 - EQ3_H]
    a.plot(lo, lo, "k:", label=r"$\Gamma_g = \Gamma_l$ below $(g-h)^2$")
    for (k, (ph, G, _, _, _)), c in zip(EQ3.items(), _colors(len(EQ3))):
        a.plot(G, found[k], "o", color=c, mec="k", ms=8, label=f"ours: {ph} stability edge (HP drift)")
    a.set_xlim(0.3, 3.0)
    a.set_ylim(0, 3.0)
    mark_exits(a, gg, [(1 + EQ3_H) ** 2 / gg, (1 - EQ3_H) ** 2 / gg], ["k", "k"])
    a.set_xlabel(r"$\Gamma_g/g$")
    a.set_ylabel(r"$\Gamma_l/g$")
    a.set_title(f"paper 002 eq. (3): phase boundaries of the chain, h = {EQ3_H}g", fontsize=10)
    a.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return fig


def kerr_figure(Ds: np.ndarray, F: np.ndarray, eps: np.ndarray, coef: np.ndarray, Fp: Sequence[float]) -> Figure:
    """Fig. 4: the Kerr gap minimum against D with its exponential fit ``coef``, and the drives F of the
    gap minimum and of the purity minimum ``Fp`` (largest D)."""
    fig, (a, b) = _figure(2)
    c = _colors(2)
    a.semilogy(Ds, eps, "o", color=c[0], label=r"gap minimum over F, $\varepsilon_L$")
    a.semilogy(Ds, np.exp(np.polyval(coef, Ds)), "-", color=c[0], lw=0.8,
               label=f"fit $\\varepsilon_L \\propto e^{{-{-coef[0]:.3f} D}}$")
    a.set_xlabel("D (effective dimension, eq. 6)")
    a.set_ylabel(r"$\varepsilon_L/\gamma$")
    a.set_title(r"paper 002 Fig. 4(a): Kerr gap, $U = \Delta = 10\gamma$", fontsize=10)
    a.legend(fontsize=8)
    b.plot(Ds, F, "o-", color=c[0], label="F at the gap minimum")
    b.plot(Ds[-len(Fp):], Fp, "s--", color=c[1], label="F at the purity minimum (Fig. 4b)")
    b.axhline(1.76, color="k", ls=":", label=r"printed $F/\gamma \simeq 1.76$")
    b.set_xlabel("D")
    b.set_ylabel(r"$F/\gamma$")
    b.set_title("location of the first-order point", fontsize=10)
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig


def gap_figure(Ss: np.ndarray, eps: np.ndarray, local: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Figure:
    """Fig. 2(d): the dimer gap against 1/S with the linear fits ``lo``, ``hi`` (smallest, largest S) and
    the local exponents."""
    fig, (a, b) = _figure(2)
    c = _colors(3)
    x = 1.0 / np.asarray(Ss, float)
    a.plot(x, eps, "x", color=c[0], ms=8, label=r"exact $\varepsilon_L$ (sector +1)")
    for (fit, sel, name), col in zip(((lo, slice(0, 4), "4 smallest S"), (hi, slice(-4, None), "4 largest S")), c[1:]):
        xx = np.linspace(0, x[sel].max(), 20)
        a.plot(xx, np.polyval(fit, xx), "-", color=col, lw=0.9, label=f"linear in 1/S, {name}: "
                                                                      f"intercept {fit[1]:.4f}")
    a.set_xlim(0, None)
    a.set_xlabel("1/S")
    a.set_ylabel(r"$\varepsilon_L/g$")
    a.set_title(r"paper 002 Fig. 2(d): dimer gap at $\bar\Gamma = g$", fontsize=10)
    a.legend(fontsize=7)
    mid = np.sqrt(np.asarray(Ss[:-1], float) * np.asarray(Ss[1:], float))
    b.plot(mid, local, "o-", color=c[0], label=r"local exponent $-\Delta\ln\varepsilon_L/\Delta\ln S$")
    b.axhline(1.0, color="k", ls=":", label=r"$\varepsilon_L \sim 1/S$ (exponent 1)")
    b.set_xlabel("S (geometric mean of the pair)")
    b.set_ylabel("local exponent")
    b.set_title("approach to 1/S", fontsize=10)
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig


def fig5_figure(rows: dict[tuple[str, str], dict[str, float]]) -> Figure:
    """Fig. 5(a, b): TWA occupations and variances per (phase, spin) against k-space HP."""
    fig, (a, b) = _figure(2)
    labels = [f"{ph.upper()} {s}" for ph, s in rows]
    x = np.arange(len(labels))
    c = _colors(2)
    for ax, (q, dq, ref, name) in ((a, ("n", "dn", "n_hp", r"$n = S \mp \langle S^z\rangle$")),
                                   (b, ("var", "dvar", "var_hp", r"$(\Delta S^z)^2$"))):
        vals = [rows[k] for k in rows]
        ax.errorbar(x, [v[q] for v in vals], yerr=[3 * v[dq] for v in vals], fmt="o", color=c[0], capsize=4,
                    label="TWA, N = 50, S = 100 (bars: 3 standard errors)")
        ax.plot(x, [v[ref] for v in vals], "_", color=c[1], ms=22, mew=2,
                label="k-space HP (App. A)" + (": n(n+1)" if q == "var" else ""))
        ax.set_xticks(x, labels)
        ax.set_ylabel(name)
        ax.set_xlabel("phase, spin")
        ax.legend(fontsize=7)
    a.set_title(r"paper 002 Fig. 5(a, b): $\Gamma_g = 1.5g$, $h = 0.5g$", fontsize=10)
    b.set_title(r"FM: $\Gamma_l = 0.1g$, AM: $\Gamma_l = 2.5g$", fontsize=10)
    fig.tight_layout()
    return fig


def decay_figure(runs: dict[int, TWARun], tmf: np.ndarray, pmf: np.ndarray, taus: dict[float, list[float]],
                 Ss: Sequence[int]) -> Figure:
    """Fig. 7(c): TWA decay of the transverse polarisation against mean field, and the decay times
    ``taus[threshold]`` against S."""
    fig, (a, b) = _figure(2)
    c = _colors(len(runs))
    for (S, run), col in zip(runs.items(), c):
        perp, _ = run.transverse("a")
        a.plot(run.times, perp / run.S, color=col, label=f"TWA, S = {S}")
    a.plot(tmf, pmf, "k--", label=r"mean field ($S\to\infty$)")
    a.axhline(np.exp(-1), color="0.5", ls=":", label=r"threshold $1/e$ (defines $\tau_{sb}$)")
    a.set_ylim(0, 1.05)
    a.set_xlabel("g t")
    a.set_ylabel(r"$\langle S_\perp\rangle/S$ (spin a)")
    a.set_title(r"paper 002 Fig. 7(c): $\Gamma_g = \Gamma_l = g$, $h = 0.5g$, N = 50", fontsize=10)
    a.legend(fontsize=7)
    for thr, col in zip(THRESHOLDS, _colors(len(THRESHOLDS))):
        b.loglog(Ss, taus[thr], "o-", color=col, label=f"threshold {thr:.3g}: ratio {taus[thr][-1] / taus[thr][0]:.2f}")
    S = np.asarray(Ss, float)
    t0 = taus[THRESHOLDS[1]][0]
    b.loglog(S, t0 * S / S[0], "k--", lw=0.8, label=r"$\tau \propto S$ (phase diffusion)")
    b.loglog(S, t0 * 2 ** (np.log(S / S[0]) / np.log(16)), "k:", lw=0.8, label="factor 2 over 16 in S (printed)")
    b.set_xlabel("S")
    b.set_ylabel(r"$g\,\tau_{sb}$")
    _s_ticks(b, Ss)
    b.set_title(r"decay time vs S; ratio = $\tau(S_{max})/\tau(S_{min})$", fontsize=10)
    b.legend(fontsize=7)
    fig.tight_layout()
    return fig


def fig7a_figure(perp: dict[tuple[int, float], float]) -> Figure:
    """Fig. 7(a): the cluster mean-field transverse polarisation ``perp[(n_C, Gamma)]`` against Gamma."""
    fig, (a,) = _figure(1, 6.0, 4.4)
    for n, col in zip((1, 2, 3), _colors(3)):
        pts = sorted((G, v) for (m, G), v in perp.items() if m == n)
        if pts:
            G, v = zip(*pts)
            a.plot(G, v, "o-" if len(G) > 1 else "s", color=col, ms=7, label=f"$n_C = {n}$")
    a.axvline(2.0, color="k", ls=":", label=r"AM boundary $\bar\Gamma = g + h$ (eq. 3)")
    a.set_ylim(-0.03, 1.0)
    a.set_xlabel(r"$\bar\Gamma/g$ ($\Gamma_g = \Gamma_l = \bar\Gamma$)")
    a.set_ylabel(r"$\langle S_\perp\rangle/S$, steady state from all spins along x")
    a.set_title("paper 002 Fig. 7(a): cluster mean field, S = 3/2, h = g", fontsize=10)
    a.legend(fontsize=8)
    fig.tight_layout()
    return fig
