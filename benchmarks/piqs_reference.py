"""Reference steady states from qutip.piqs (independent of this project's code), shared by
benchmarks/bench_permutational.py and tests/numeric/test_permutational.py.

Models, rates mapped once here: ``driven_dicke`` (seed 004 eq. 1) H = 2 Omega Sx, gamma_c D[S-],
gamma_s sum_n D[sigma_n^-]; ``lmg`` (seed 001 eq. 3, qubits) H = (2V/N)(Sx^2 - Sy^2), rates
2 gamma_I on sigma^-, 2 gamma_C/N on S-.

QuTiP's default ``steadystate`` fails on the piqs Liouvillian ("Matrix is singular", qutip issue
#2649): the Liouvillian is restricted to the block-diagonal unknowns (``piqs.block_matrix``), one
population equation is replaced by the trace, and ``scipy.sparse.linalg.spsolve`` solves it.
"""
import numpy as np
import scipy.sparse.linalg as spla


def piqs_steady(kind: str, N: int, v: dict):
    """Dicke-basis steady state of piqs: ``(rho, unknowns, residual)`` with ``rho`` the
    (num_dicke_states x num_dicke_states) array, ``residual`` = ||L x|| on the kept unknowns."""
    import qutip.piqs as piqs

    if kind == "driven_dicke":
        H = 2 * v["Omega"] * piqs.jspin(N, "x", basis="dicke")
        system = piqs.Dicke(N, hamiltonian=H, emission=v["gamma_s"], collective_emission=v["gamma_c"])
    elif kind == "lmg":
        jx, jy = piqs.jspin(N, "x", basis="dicke"), piqs.jspin(N, "y", basis="dicke")
        system = piqs.Dicke(N, hamiltonian=(2 * v["V"] / N) * (jx * jx - jy * jy),
                            emission=2 * v["gamma_I"], collective_emission=2 * v["gamma_C"] / N)
    else:
        raise ValueError(f"piqs_steady: kind must be 'driven_dicke' or 'lmg', got {kind!r}")
    L = system.liouvillian().data_as("csr_matrix")
    nds = piqs.num_dicke_states(N)
    keep = np.nonzero(piqs.block_matrix(N).astype(bool).reshape(-1, order="F"))[0]
    A = L[keep][:, keep].tolil()
    diag = np.nonzero((keep % nds) == (keep // nds))[0]
    A[diag[0], :] = 0
    A[diag[0], diag] = 1.0
    b = np.zeros(len(keep), complex)
    b[diag[0]] = 1.0
    x = spla.spsolve(A.tocsc(), b)
    rho = np.zeros(nds * nds, complex)
    rho[keep] = x
    return rho.reshape(nds, nds, order="F"), int(len(keep)), float(np.linalg.norm(L[:, keep] @ x))


def dicke_ops(N: int) -> dict:
    """piqs' Dicke-basis Jz, J+, J- as dense arrays."""
    import qutip.piqs as piqs

    return {k: piqs.jspin(N, k, basis="dicke").full() for k in ("z", "+", "-")}
