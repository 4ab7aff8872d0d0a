r"""Figures written by ``dspins report`` and used by the notebooks.

* Paper 000 (``crf``), Figs. 2b, 5, 6 from the exact Puri-Lawande steady state
  (:class:`analytic.exact.PuriLawande`, paper 000 eqs. 11-12 with :math:`g = i\lambda S`), O(S) per
  point: :func:`crf_exact_data` then :func:`crf_fig2b` (:math:`\langle S_z\rangle/S` with the
  engine's mean-field curve), :func:`crf_fig5` (purity eq. 23, single-qubit purity eq. 27),
  :func:`crf_fig6` (two-qubit negativity eqs. 24-26 with corrected denominators, squeezing eq. 28);
  :func:`crf_figures` makes all three from one data set.
  Conventions: ``models.crf()``, :math:`\lambda = \omega/(2\kappa)`, :math:`\kappa = 1`.
* :func:`convergence`: the errors of the asymptotic cross-checks (:mod:`numeric.app.checks`) against
  the size on log-log axes, with the fitted power laws.

Rules every figure follows: each panel has a legend; :math:`\lambda` is defined in the axis label
wherever it is used; a curve that leaves the axes is marked on the edge (:func:`mark_exits`);
the negativity is written :math:`\mathcal N` and named in the label; titles give the paper's
number and authors (:mod:`analytic.papers`).  Every function returns a
:class:`matplotlib.figure.Figure` (no pyplot state is kept).
"""
from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING, Sequence

import numpy as np

if TYPE_CHECKING:  # annotations only: matplotlib is imported when drawing
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from numeric.app.checks.common import CheckResult

__all__ = ["CRF_SIZES", "LAMBDA", "XI2_MAX", "crf_lambdas", "crf_exact_data", "crf_fig2b", "crf_fig5", "crf_fig6",
           "crf_figures", "write_crf_figures", "convergence", "mark_exits"]

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


LAMBDA = r"$\lambda = \omega/(2\kappa)$"  # the x label of every crf figure: lambda defined where it is used


def _figure(ncols: int):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5 * ncols, 4))
    axs = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    return fig, axs


def _colors(n: int):
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0, 0.9, n))


def _paper_title(number: str, what: str) -> str:
    """``'paper 000 Fig. 2b (Hannukainen & Larson)'``: the short citation of analytic.papers."""
    from analytic.papers import paper

    who = paper(number).short.split(" (")[0]
    return f"paper {number} {what} ({who})"


def mark_exits(ax: Axes, x: np.ndarray, curves: Sequence[np.ndarray], colors: Sequence, note: str = "") -> int:
    r"""Mark where curves leave the axes' y range: a triangle on the edge (pointing up at the top,
    down at the bottom) at the first x of every excursion, in the curve's colour, and a note in
    the lower left corner (``note`` appended).  ``curves`` is a list of y arrays over ``x``.  Call
    after the y limits are set; returns the number of marks."""
    lo, hi = ax.get_ylim()
    x = np.asarray(x, float)
    marks = 0
    for y, c in zip(curves, colors):
        y = np.asarray(y, float)
        for edge, outside, marker in ((hi, y > hi, "^"), (lo, y < lo, "v")):
            starts = np.flatnonzero(outside & ~np.concatenate([[False], outside[:-1]]))
            for i in starts:
                ax.plot([x[i]], [edge], marker=marker, color=c, ms=9, mec="k", mew=0.5, clip_on=False, zorder=5,
                        ls="none")
                marks += 1
    if marks:
        ax.annotate(r"$\blacktriangle$ / $\blacktriangledown$ on the edge: the curve leaves the axes there" + note,
                    xy=(0.02, 0.02), xycoords="axes fraction", fontsize=7.5, color="0.25")
    return marks


def crf_fig2b(lams: np.ndarray, data: dict) -> Figure:
    r"""Paper 000 Fig. 2b: :math:`\langle S_z\rangle/S` vs :math:`\lambda` for every S, with the
    mean-field stable branch ``crf.meanfield.sz`` (0 for :math:`\lambda > 1`) and an inset at 1."""
    import analytic as an

    mf = an.formulas.get("crf.meanfield.sz")
    fig, (ax,) = _figure(1)
    fig.set_size_inches(6.5, 4.3)
    lm = np.linspace(0, 1, 200)
    colors = _colors(len(data))
    for (S, d), c in zip(data.items(), colors):
        ax.plot(lams, d[:, 0], color=c, label=f"exact, S = {S}")
    ax.plot(lm, mf(2 * lm, 1.0), "k--", lw=1, label="mean field (stable branch)")
    ax.plot([1, 2], [0, 0], "k--", lw=1)
    ax.set_xlabel(LAMBDA)
    ax.set_ylabel(r"$\langle S_z\rangle/S$")
    ax.set_title(_paper_title("000", "Fig. 2b") + "\nexact steady state (Puri-Lawande, $g = i\\lambda S$)", fontsize=10)
    ins = ax.inset_axes([0.55, 0.12, 0.4, 0.35])
    sel = (lams > 0.9) & (lams < 1.1)
    for (S, d), c in zip(data.items(), colors):
        ins.plot(lams[sel], d[sel, 0], color=c)
    ins.plot(lm[lm > 0.9], mf(2 * lm[lm > 0.9], 1.0), "k--", lw=1)
    ins.set_xlim(0.9, 1.1)
    ins.set_title(r"zoom at $\lambda = 1$ (same curves)", fontsize=7)
    ins.tick_params(labelsize=7)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def crf_fig5(lams: np.ndarray, data: dict) -> Figure:
    """Paper 000 Fig. 5: (a) purity Tr rho^2 (eq. 23), (b) single-qubit purity (eq. 27)."""
    fig, axs = _figure(2)
    for (S, d), c in zip(data.items(), _colors(len(data))):
        axs[0].plot(lams, d[:, 1], color=c, label=f"S = {S}")
        axs[1].plot(lams, d[:, 2], color=c, label=f"S = {S}")
    axs[0].set_ylabel(r"purity $\mathrm{Tr}\,\rho_{ss}^2$ (eq. 23)")
    axs[1].set_ylabel(r"one-qubit purity $\mathrm{Tr}\,\rho_q^2$ (eq. 27)")
    for a, t in zip(axs, "ab"):
        a.set_xlabel(LAMBDA)
        a.set_title(_paper_title("000", f"Fig. 5{t}"), fontsize=10)
        a.legend(fontsize=8, title="exact steady state", title_fontsize=8)
    fig.tight_layout()
    return fig


XI2_MAX = 2.0  # upper y limit of the squeezing panel; xi^2 grows far beyond it for lambda > 1


def crf_fig6(lams: np.ndarray, data: dict) -> Figure:
    r"""Paper 000 Fig. 6: (a) the two-qubit negativity :math:`\mathcal N` normalised by its maximum
    over :math:`\lambda` (eqs. 24-26, corrected denominators), (b) spin squeezing
    :math:`\xi^2_x` (eq. 28), clipped at :data:`XI2_MAX` with the exits marked."""
    fig, axs = _figure(2)
    colors = _colors(len(data))
    for (S, d), c in zip(data.items(), colors):
        neg = d[:, 3]
        axs[0].plot(lams, neg / neg.max(), color=c, label=rf"S = {S}, max $\mathcal{{N}}$ = {neg.max():.2e}")
        axs[1].plot(lams, d[:, 4], color=c, label=f"S = {S}")
    axs[1].axhline(1, color="k", lw=0.8, ls=":", label=r"$\xi^2_x = 1$ (no squeezing)")
    axs[1].set_ylim(0, XI2_MAX)
    top = max(float(np.max(d[:, 4])) for d in data.values())
    mark_exits(axs[1], lams, [d[:, 4] for d in data.values()], colors,
               note=f"\n(" + r"$\xi^2_x$" + f" reaches {top:.3g} at " + r"$\lambda > 1$)")
    axs[0].set_ylabel("two-qubit negativity " + r"$\mathcal{N}$" + "\n" + r"/ its maximum over $\lambda$ (eqs. 24-26)")
    axs[1].set_ylabel(r"spin squeezing $\xi^2_x$ (eq. 28)")
    for a, t in zip(axs, "ab"):
        a.set_xlabel(LAMBDA)
        a.set_title(_paper_title("000", f"Fig. 6{t}"), fontsize=10, pad=9)  # clear of the exit marks
    axs[0].legend(fontsize=7, title=r"$\mathcal{N}$: negativity (eq. 26 denominators corrected)", title_fontsize=7)
    axs[1].legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return fig


def crf_figures(sizes: Sequence[int] = CRF_SIZES) -> dict:
    """The exact data computed once and the three crf figures ``{file stem: Figure}``:
    ``crf_fig2b_sz``, ``crf_fig5_purity``, ``crf_fig6_negativity_squeezing``."""
    lams = crf_lambdas()
    data = crf_exact_data(lams, sizes)
    return {"crf_fig2b_sz": crf_fig2b(lams, data), "crf_fig5_purity": crf_fig5(lams, data),
            "crf_fig6_negativity_squeezing": crf_fig6(lams, data)}


def write_crf_figures(out: str | PathLike, sizes: Sequence[int] = CRF_SIZES, dpi: int = 110) -> list[str]:
    """:func:`crf_figures` written as ``<stem>.png`` into the folder ``out`` (created); returns the paths."""
    from pathlib import Path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, fig in crf_figures(sizes).items():
        paths.append(str(out / f"{stem}.png"))
        fig.savefig(paths[-1], dpi=dpi)
    return paths


def convergence(results: Sequence[CheckResult], title: str = "") -> Figure | None:
    r"""Log-log errors :math:`|{\rm numeric}(S) - {\rm formula}|` against the size for every
    :class:`numeric.app.checks.CheckResult` with a fitted order, one line per point, labelled with the
    formula, the point and the formula's worst fitted p; dotted: the registered order
    :math:`S^{-p}`.  Returns None when no result has a convergence study."""
    rows = [r for r in results if r.order is not None and r.sizes]
    if not rows:
        return None
    fig, (ax,) = _figure(1)
    fig.set_size_inches(8, 5.5)
    for r in rows:
        for label, errs in r.errors.items():
            if len(errs) == len(r.sizes):
                ax.loglog(r.sizes, errs, "o-", ms=4, label=f"{r.name} [{label}]: p = {r.order:.3f}")
        s = np.array(r.sizes, float)
        ax.loglog(s, max(max(e) for e in r.errors.values() if len(e) == len(s)) * (s / s[0]) ** -r.expected_order,
                  "k:", lw=0.8)
    ax.plot([], [], "k:", lw=0.8, label=r"registered order: $\propto S^{-p}$, p as registered")
    ax.set_xlabel("size S (N for atom ensembles)")
    ax.set_ylabel(r"$|\mathrm{numeric}(S) - \mathrm{formula}|$")
    ax.set_title(title or "convergence of the asymptotic checks", fontsize=10)
    ax.legend(fontsize=6, title="formula [check point]: fitted order p", title_fontsize=7)
    fig.tight_layout()
    return fig
