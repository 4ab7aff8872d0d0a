"""Steady states and spectra of the collective Liouvillian: sparse LU, arbitrary precision, uniqueness."""
