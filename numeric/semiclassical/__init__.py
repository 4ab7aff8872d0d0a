"""Mean-field flows and their continuation, cluster mean field, truncated Wigner, cavity phase diagrams."""
