"""N atoms in the full d^N space with QuTiP, built from single-atom operators: the tests' independent oracle."""
from __future__ import annotations

import numpy as np
import qutip
import sympy as sp


def local(sub, letter: str) -> np.ndarray:
    """The single-atom matrix of a letter of an ``Atoms`` subsystem."""
    return np.array(sub.local_matrix(letter).evalf(), dtype=complex)


def embed(ops: dict, n: int, d: int = 2) -> qutip.Qobj:
    """Tensor product with ``ops[i]`` on atom i (identity elsewhere)."""
    return qutip.tensor([qutip.Qobj(ops.get(i, np.eye(d))) for i in range(n)])


def full_space(model, values: dict, n: int) -> tuple:
    """``(H, c_ops, collective)`` of a one-ensemble model for n atoms, no permutation symmetry used:
    ``collective(op)`` maps an operator of the model (collective letters) to its Qobj."""
    sub = model.subsystems[0]
    d = sub.d
    coll = {x: sum(embed({i: local(sub, x)}, n, d) for i in range(n)) for x in sub.letters}
    sym = {model.symbol(k): v for k, v in values.items()} | {sub.N: n}

    def collective(op) -> qutip.Qobj:
        out = 0 * qutip.qeye([d] * n)
        for word, c in op.terms.items():
            mat = qutip.qeye([d] * n)
            for g in word:
                mat = mat * coll[g.letter]
            out = out + complex(sp.sympify(c).subs(sym)) * mat
        return out

    c_ops = []
    for dis in model.dissipators:
        rate = float(sp.sympify(dis.rate).subs(sym))
        if dis.kind == "collective":
            c_ops.append(np.sqrt(rate) * collective(dis.jump))
        else:
            m = np.array(dis.jump.matrix.subs(sym).evalf(), dtype=complex)
            c_ops += [np.sqrt(rate) * embed({i: m}, n, d) for i in range(n)]
    return collective(model.hamiltonian), c_ops, collective
