r"""Figures written by ``dspins report`` and used by the notebooks.

* Seed 000 (``crf``), Figs. 2b, 5, 6 from the exact Puri-Lawande steady state
  (:class:`analytic.exact.PuriLawande`, seed 000 eqs. 11-12 with :math:`g = i\lambda S`), O(S) per
  point: :func:`crf_exact_data` then :func:`crf_fig2b` (:math:`\langle S_z\rangle/S` with the
  engine's mean-field curve), :func:`crf_fig5` (purity eq. 23, single-qubit purity eq. 27),
  :func:`crf_fig6` (two-qubit negativity eqs. 24-26 with corrected denominators, squeezing eq. 28).
  Conventions: ``models.crf()``, :math:`\lambda = \omega/(2\kappa)`, :math:`\kappa = 1`.
* :func:`convergence`: the errors of the asymptotic cross-checks (:mod:`numeric.checks`) against
  the size on log-log axes, with the fitted power laws.

Every function returns a :class:`matplotlib.figure.Figure` (no pyplot state is kept).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["CRF_SIZES", "crf_lambdas", "crf_exact_data", "crf_fig2b", "crf_fig5", "crf_fig6", "write_crf_figures",
           "convergence"]

CRF_SIZES = (50, 100, 200, 400, 1600)


def crf_lambdas() -> np.ndarray:
    r"""The :math:`\lambda` grid of the crf figures, refined around the transition at 1."""
    return np.concatenate([np.linspace(0.02, 0.9, 23), np.linspace(0.91, 1.1, 20), np.linspace(1.12, 2.0, 15)])


def crf_exact_data(lams: Sequence[float], sizes: Sequence[int] = CRF_SIZES, dps: int = 20) -> dict:
    r"""``{S: array (len(lams), 5)}`` of :math:`\langle S_z\rangle/S`, purity, single-qubit purity,
    two-qubit negativity and :math:`\xi^2_x` of the exact crf steady state at :math:`\kappa = 1`."""
    import analytic.exact as ex

    data = {}
    for S in sizes:
        rows = []
        for lam in lams:
            st = ex.PuriLawande(2 * lam, 1.0, S, dps=dps)
            rows.append((float(st.moments()["Sz"]) / S, float(st.purity()), float(st.qubit_purity()),
                         float(st.negativity()), float(st.xi2("x"))))
        data[S] = np.array(rows)
    return data


def _figure(ncols: int):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5 * ncols, 4))
    axs = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return fig, axs


def _colors(n: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0, 0.9, n))


def crf_fig2b(lams: np.ndarray, data: dict):
    r"""Seed 000 Fig. 2b: :math:`\langle S_z\rangle/S` vs :math:`\lambda` for every S, with the
    mean-field stable branch ``crf.meanfield.sz`` (0 for :math:`\lambda > 1`) and an inset at 1."""
    import analytic as an

    mf = an.formulas.get("crf.meanfield.sz")
    fig, (ax,) = _figure(1)
    fig.set_size_inches(6, 4)
    lm = np.linspace(0, 1, 200)
    colors = _colors(len(data))
    for (S, d), c in zip(data.items(), colors):
        ax.plot(lams, d[:, 0], color=c, label=f"S = {S}")
    ax.plot(lm, mf(2 * lm, 1.0), "k--", lw=1, label="mean field (stable branch)")
    ax.plot([1, 2], [0, 0], "k--", lw=1)
    ax.set_xlabel(r"$\lambda = \omega/2\kappa$")
    ax.set_ylabel(r"$\langle S_z\rangle/S$")
    ax.set_title("seed 000 Fig. 2b: exact steady state (Puri-Lawande, g = i$\\lambda$S)")
    ins = ax.inset_axes([0.55, 0.12, 0.4, 0.35])
    sel = (lams > 0.9) & (lams < 1.1)
    for (S, d), c in zip(data.items(), colors):
        ins.plot(lams[sel], d[sel, 0], color=c)
    ins.plot(lm[lm > 0.9], mf(2 * lm[lm > 0.9], 1.0), "k--", lw=1)
    ins.set_xlim(0.9, 1.1)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def crf_fig5(lams: np.ndarray, data: dict):
    """Seed 000 Fig. 5: (a) purity Tr rho^2 (eq. 23), (b) single-qubit purity (eq. 27)."""
    fig, axs = _figure(2)
    for (S, d), c in zip(data.items(), _colors(len(data))):
        axs[0].plot(lams, d[:, 1], color=c, label=f"S = {S}")
        axs[1].plot(lams, d[:, 2], color=c, label=f"S = {S}")
    axs[0].set_ylabel(r"$P = \mathrm{Tr}\,\rho_{ss}^2$ (eq. 23)")
    axs[1].set_ylabel(r"$P_q = \mathrm{Tr}\,\rho_q^2$ (eq. 27)")
    for a, t in zip(axs, "ab"):
        a.set_xlabel(r"$\lambda$")
        a.set_title(f"seed 000 Fig. 5{t}")
    axs[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def crf_fig6(lams: np.ndarray, data: dict):
    """Seed 000 Fig. 6: (a) normalised two-qubit negativity N/max N (eqs. 24-26, corrected
    denominators), (b) spin squeezing xi^2_x (eq. 28)."""
    fig, axs = _figure(2)
    for (S, d), c in zip(data.items(), _colors(len(data))):
        neg = d[:, 3]
        axs[0].plot(lams, neg / neg.max(), color=c, label=f"S = {S}, max N = {neg.max():.2e}")
        axs[1].plot(lams, d[:, 4], color=c, label=f"S = {S}")
    axs[1].axhline(1, color="k", lw=0.8, ls=":")
    axs[1].set_ylim(0, 2)
    axs[0].set_ylabel(r"$N/\max N$ (eqs. 24-26, corrected)")
    axs[1].set_ylabel(r"$\xi^2_x$ (eq. 28)")
    for a, t in zip(axs, "ab"):
        a.set_xlabel(r"$\lambda$")
        a.set_title(f"seed 000 Fig. 6{t}")
        a.legend(fontsize=7)
    fig.tight_layout()
    return fig


def write_crf_figures(out, sizes: Sequence[int] = CRF_SIZES, dpi: int = 110) -> list:
    """Compute the exact data once and write ``crf_fig2b_sz.png``, ``crf_fig5_purity.png`` and
    ``crf_fig6_negativity_squeezing.png`` into the folder ``out`` (created); returns the paths."""
    from pathlib import Path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lams = crf_lambdas()
    data = crf_exact_data(lams, sizes)
    paths = []
    for fn, stem in ((crf_fig2b, "crf_fig2b_sz"), (crf_fig5, "crf_fig5_purity"),
                     (crf_fig6, "crf_fig6_negativity_squeezing")):
        paths.append(str(out / f"{stem}.png"))
        fn(lams, data).savefig(paths[-1], dpi=dpi)
    return paths


def convergence(results: Sequence, title: str = ""):
    r"""Log-log errors :math:`|{\rm numeric}(S) - {\rm formula}|` against the size for every
    :class:`numeric.checks.CheckResult` with a fitted order, one line per point, labelled with the
    formula and the worst fitted p.  Returns None when no result has a convergence study."""
    rows = [r for r in results if r.order is not None and r.sizes]
    if not rows:
        return None
    fig, (ax,) = _figure(1)
    fig.set_size_inches(7, 5)
    for r in rows:
        for label, errs in r.errors.items():
            if len(errs) == len(r.sizes):
                ax.loglog(r.sizes, errs, "o-", ms=4, label=f"{r.name} [{label}]")
        s = np.array(r.sizes, float)
        ax.loglog(s, max(max(e) for e in r.errors.values() if len(e) == len(s)) * (s / s[0]) ** -r.expected_order,
                  "k:", lw=0.8)
    ax.set_xlabel("size (S)")
    ax.set_ylabel("|numeric - formula|")
    ax.set_title(title or "convergence of the asymptotic checks (dotted: registered order)")
    ax.legend(fontsize=6)
    fig.tight_layout()
    return fig
