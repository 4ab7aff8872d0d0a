"""Seed 000 Figs. 2b, 5 and 6 from the exact steady state (analytic.exact), at S = 50 ... 1600.

Usage::

    python notebooks/crf_exact_figures.py [OUTDIR]        # default out/figures

Writes ``crf_fig2b_sz.png`` (<Sz>/S vs lambda with the mean-field curve of the engine, inset near
lambda = 1), ``crf_fig5_purity.png`` ((a) Tr rho^2, eq. 23; (b) single-qubit purity, eq. 27) and
``crf_fig6_negativity_squeezing.png`` ((a) normalised two-qubit negativity N/max N, eqs. 24-26
with corrected denominators; (b) xi^2_x, eq. 28).  Conventions: models.crf(), lambda = omega/(2 kappa),
kappa = 1.  Everything is evaluated in O(S) per point from the closed form (g = i lambda S).
"""
from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

SIZES = (50, 100, 200, 400, 1600)


def compute(lams, sizes=SIZES, dps=20):
    import numpy as np

    import analytic.exact as ex

    data = {}
    for S in sizes:
        rows = []
        for lam in lams:
            st = ex.PuriLawande(2 * lam, 1.0, S, dps=dps)
            mo = st.moments()
            rows.append((float(mo["Sz"]) / S, float(st.purity()), float(st.qubit_purity()),
                         float(st.negativity()), float(st.xi2("x"))))
        data[S] = np.array(rows)
    return data


def main(argv=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import analytic as an

    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else os.path.join("out", "figures")
    os.makedirs(out, exist_ok=True)
    t0 = time.perf_counter()
    lams = np.concatenate([np.linspace(0.02, 0.9, 23), np.linspace(0.91, 1.1, 20), np.linspace(1.12, 2.0, 15)])
    data = compute(lams)
    mf = an.formulas.get("crf.meanfield.sz")
    colors = plt.cm.viridis(np.linspace(0, 0.9, len(SIZES)))

    # Fig. 2b
    fig, ax = plt.subplots(figsize=(6, 4))
    lm = np.linspace(0, 1, 200)
    for S, c in zip(SIZES, colors):
        ax.plot(lams, data[S][:, 0], color=c, label=f"S = {S}")
    ax.plot(lm, mf(2 * lm, 1.0), "k--", lw=1, label="mean field (stable branch)")
    ax.plot([1, 2], [0, 0], "k--", lw=1)
    ax.set_xlabel(r"$\lambda = \omega/2\kappa$")
    ax.set_ylabel(r"$\langle S_z\rangle/S$")
    ax.set_title("seed 000 Fig. 2b: exact steady state (Puri-Lawande, g = i$\\lambda$S)")
    ins = ax.inset_axes([0.55, 0.12, 0.4, 0.35])
    sel = (lams > 0.9) & (lams < 1.1)
    for S, c in zip(SIZES, colors):
        ins.plot(lams[sel], data[S][sel, 0], color=c)
    ins.plot(lm[lm > 0.9], mf(2 * lm[lm > 0.9], 1.0), "k--", lw=1)
    ins.set_xlim(0.9, 1.1)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "crf_fig2b_sz.png"), dpi=120)
    plt.close(fig)

    # Fig. 5
    fig, axs = plt.subplots(1, 2, figsize=(10, 4))
    for S, c in zip(SIZES, colors):
        axs[0].plot(lams, data[S][:, 1], color=c, label=f"S = {S}")
        axs[1].plot(lams, data[S][:, 2], color=c, label=f"S = {S}")
    axs[0].set_ylabel(r"$P = \mathrm{Tr}\,\rho_{ss}^2$ (eq. 23)")
    axs[1].set_ylabel(r"$P_q = \mathrm{Tr}\,\rho_q^2$ (eq. 27)")
    for a, t in zip(axs, "ab"):
        a.set_xlabel(r"$\lambda$")
        a.set_title(f"seed 000 Fig. 5{t}")
    axs[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "crf_fig5_purity.png"), dpi=120)
    plt.close(fig)

    # Fig. 6
    fig, axs = plt.subplots(1, 2, figsize=(10, 4))
    for S, c in zip(SIZES, colors):
        neg = data[S][:, 3]
        axs[0].plot(lams, neg / neg.max(), color=c, label=f"S = {S}, max N = {neg.max():.2e}")
        axs[1].plot(lams, data[S][:, 4], color=c, label=f"S = {S}")
    axs[1].axhline(1, color="k", lw=0.8, ls=":")
    axs[1].set_ylim(0, 2)
    axs[0].set_ylabel(r"$N/\max N$ (eqs. 24-26, corrected)")
    axs[1].set_ylabel(r"$\xi^2_x$ (eq. 28)")
    for a, t in zip(axs, "ab"):
        a.set_xlabel(r"$\lambda$")
        a.set_title(f"seed 000 Fig. 6{t}")
        a.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "crf_fig6_negativity_squeezing.png"), dpi=120)
    plt.close(fig)
    print(f"wrote 3 figures to {out} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
