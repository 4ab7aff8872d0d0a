"""The State interface and its implementations: observables, squeezing, reduced states, phase-space functions."""
