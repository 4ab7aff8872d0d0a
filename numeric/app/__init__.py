"""The application layer: command line, report, formula checks, figures, sweeps, QuTiP export, paper reproductions."""
