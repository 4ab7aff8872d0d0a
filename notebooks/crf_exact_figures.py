"""Paper 000 (analytic.papers) Figs. 2b, 5 and 6 from the exact steady state (analytic.exact), at S = 50 ... 1600.

Usage::

    python notebooks/crf_exact_figures.py [OUTDIR]        # default out/figures

Writes ``crf_fig2b_sz.png``, ``crf_fig5_purity.png`` and ``crf_fig6_negativity_squeezing.png``
with the figure functions of :mod:`numeric.app.figures` (also used by ``dspins report crf`` and
``notebooks/000_crf.ipynb``).  Conventions: models.crf(), lambda = omega/(2 kappa), kappa = 1.
"""
from __future__ import annotations

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


def main(argv=None):
    from numeric.app import figures

    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else os.path.join("out", "figures")
    t0 = time.perf_counter()
    figures.write_crf_figures(out, dpi=120)
    print(f"wrote 3 figures to {out} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
