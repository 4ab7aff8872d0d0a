"""Permutation-invariant numerics for N atoms: qubits (Dicke blocks) and qudits (symmetric-operator basis)."""
