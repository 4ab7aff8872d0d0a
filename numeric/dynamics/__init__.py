"""Time evolution of the density matrix: the master equation, quantum jumps, switching between metastable states."""
