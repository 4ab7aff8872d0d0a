"""Numeric half of the toolkit: finite-size Liouvillians, steady states (float64 and
arbitrary precision), spectra, observables.  Consumes analytic.Model; never re-types a formula."""
