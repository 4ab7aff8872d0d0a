r"""Steady state of N atoms with individual terms plus bosonic modes in the full product space (small N).

The permutation-invariant solver (:mod:`numeric.pi`) takes one Atoms ensemble and nothing else; a
model of atoms *and* a cavity mode with individual dissipators (``superradiant_laser``,
``driven_dicke_cavity``) is solved here exactly, in the :math:`d^N \times \prod_k n_k` product space
(single-atom basis of :class:`analytic.algebra.Atoms`: level 0 = down; Fock states 0..n-1 per mode),
with the superoperator of :func:`numeric.core.liouvillian.superop` (rates multiply
:math:`\mathcal D[L]`, no factor 2).  Each individual dissipator of rate r gives N jumps
:math:`\sqrt r X_j`.

When every Hamiltonian term and every jump changes a U(1) charge :math:`Q = \sum_j q(\text{level}_j) +
\sum_k n_k` by a fixed amount (the excitation number of the Tavis-Cummings laser; found from the
matrices, not assumed), the unique steady state lives in the block :math:`Q_{\rm row} = Q_{\rm col}`
and only that block is solved.  The result is checked: trace 1, Hermitian, positive semidefinite
(to ``1e-10``), residual :math:`\|\mathcal L\rho\|` below ``tol`` on the full space, and the top Fock
level's population below ``truncation_tol``.  Practical up to :math:`d^N \cdot n \lesssim 1500`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp

from analytic.algebra import Atoms, Mode, Op
from analytic.model import Model, ModelError

from numeric.core.liouvillian import superop
from numeric.core.operators import numeric_values
from numeric.states.observables import as_operator

__all__ = ["ProductState", "steady_state_product", "product_operators"]

DIM_MAX = 4096  # largest product-space dimension accepted
DENSE_MAX = 5000  # largest number of unknowns solved by a dense LU


@dataclass
class ProductState:
    """The steady density matrix ``rho`` on the product space, its ``residual`` and ``info``;
    :meth:`expect` of any model operator (string such as ``'Sz'``, ``'ad*a'``, ``'Sp*Sm'``, or an Op)."""

    model: Model
    rho: np.ndarray
    residual: float
    info: dict = field(default_factory=dict)
    _matrix: object = field(default=None, repr=False)

    def expect(self, op: str | Op) -> complex:
        """:math:`\\mathrm{Tr}(\\rho O)`."""
        M = self._matrix(as_operator(self.model, op))
        return complex(np.sum(M.T.multiply(self.rho)) if sps.issparse(M) else np.trace(M @ self.rho))

    def matrix(self, op: str | Op) -> sps.csr_matrix:
        """The sparse matrix of a model operator on the product space."""
        return self._matrix(as_operator(self.model, op))


def _embed(mats: list, k: int, x) -> sps.csr_matrix:
    """``x`` on factor k of the tensor product of spaces with dimensions ``[m.shape[0] for m in mats]``."""
    out = sps.identity(1, dtype=complex, format="csr")
    for i, m in enumerate(mats):
        out = sps.kron(out, sps.csr_matrix(x) if i == k else sps.identity(m, dtype=complex), format="csr")
    return out


def product_operators(model: Model, values: Mapping, N: int, truncation: int | None) -> tuple:
    """``(H, [(rate, L)], dims, matrix)`` of ``model`` on the product space of its N atoms (each
    Atoms subsystem) and its modes (``truncation`` Fock levels each; ``None`` without modes);
    ``matrix(op)`` gives any model operator there."""
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
        raise ModelError(f"N must be a positive integer, got N={N!r}")
    has_modes = any(isinstance(sub, Mode) for sub in model.subsystems)
    if has_modes and (isinstance(truncation, bool) or not isinstance(truncation, (int, np.integer)) or truncation < 2):
        raise ModelError(f"truncation must be an integer >= 2, got {truncation!r}")
    vals = numeric_values(model, values, {str(s): int(N) for s in model.size_symbols()})
    dims, where = [], {}
    for sub in model.subsystems:
        if isinstance(sub, Atoms):
            where[sub] = list(range(len(dims), len(dims) + int(N)))
            dims += [sub.d] * int(N)
        elif isinstance(sub, Mode):
            where[sub] = [len(dims)]
            dims.append(int(truncation))
        else:
            raise ModelError(f"model {model.name!r}: the product-space solver takes Atoms and Mode subsystems, "
                             f"not {sub.kind!r}")
    dim = int(np.prod(dims))
    if dim > DIM_MAX:
        raise ModelError(f"product space of dimension {dim} > {DIM_MAX}: use smaller N or truncation")

    def number(x) -> np.ndarray:
        return np.array(sp.Matrix(x).subs(vals), dtype=complex)

    def local(sub, m) -> sps.csr_matrix:
        return sum((_embed(dims, k, m) for k in where[sub]), sps.csr_matrix((dim, dim), dtype=complex))

    a = np.diag(np.sqrt(np.arange(1, int(truncation))), 1).astype(complex) if has_modes else None
    gens = {}  # (subsystem, letter) -> matrix
    for sub in model.subsystems:
        if isinstance(sub, Atoms):
            for g in sub.generators():
                gens[(sub, g.letter)] = local(sub, number(sub.local_matrix(g.letter)))
        else:
            ann = _embed(dims, where[sub][0], a)
            gens[(sub, "a")], gens[(sub, "c")] = ann, ann.conj().T.tocsr()

    def gen_matrix(g) -> sps.csr_matrix:
        return gens[(g.sub, g.letter)]

    def matrix(op: Op) -> sps.csr_matrix:
        out = sps.csr_matrix((dim, dim), dtype=complex)
        for word, coeff in op.terms.items():
            m = sps.identity(dim, dtype=complex, format="csr")
            for g in word:
                m = m @ gen_matrix(g)
            out = out + complex(sp.sympify(coeff).subs(vals)) * m
        return out.tocsr()

    jumps = []
    for d in model.dissipators:
        r = complex(sp.sympify(d.rate).subs(vals)).real
        if r == 0:
            continue
        if d.kind == "collective":
            jumps.append((r, matrix(d.jump)))
        else:
            X = number(d.jump.matrix)
            jumps.extend((r, _embed(dims, k, X)) for k in where[d.jump.sub])
    return matrix(model.hamiltonian), jumps, dims, matrix


def _u1_charge(dims: list, H: sps.spmatrix, jumps: list) -> np.ndarray | None:
    """The diagonal of Q = sum of factor levels (atoms: level index, modes: n), if every H term
    conserves it and every jump changes it by one fixed amount; None otherwise."""
    grids = np.meshgrid(*[np.arange(d) for d in dims], indexing="ij")
    q = sum(g.ravel() for g in grids).astype(int)

    def shifts(M) -> set:
        M = sps.coo_matrix(M)
        keep = np.abs(M.data) > 0
        return set((q[M.row[keep]] - q[M.col[keep]]).tolist())

    if shifts(H) - {0}:
        return None
    for _r, L in jumps:
        if len(shifts(L)) > 1:
            return None
    return q


def steady_state_product(model: Model, values: Mapping, N: int, truncation: int, tol: float | None = None,
                         truncation_tol: float = 1e-6) -> ProductState:
    r"""The steady state of ``model`` (Atoms of ``N`` atoms, modes of ``truncation`` Fock levels) in the
    full product space, solved in the U(1) block when the model has one; raises ModelError when the
    residual exceeds ``tol`` (default :math:`10^{-10}\|\mathcal L\|_\infty`), the state is not a density
    matrix, or the top Fock level holds more than ``truncation_tol``."""
    H, jumps, dims, matrix = product_operators(model, values, N, truncation)
    dim = H.shape[0]
    L = superop(H, jumps).tocsc()
    q = _u1_charge(dims, H, jumps)
    i, j = np.meshgrid(np.arange(dim), np.arange(dim), indexing="ij")
    i, j = i.ravel(order="F"), j.ravel(order="F")  # column stacking: vec index i + j dim
    sel = np.nonzero(q[i] == q[j])[0] if q is not None else np.arange(dim * dim)
    A = L.tocsr()[sel].tocsc()[:, sel].tocsr()
    diag = np.nonzero(i[sel] == j[sel])[0]
    trace = sps.csr_matrix((np.ones(len(diag)), (np.zeros(len(diag), int), diag)), shape=(1, len(sel)))
    A = sps.vstack([trace, A[1:]], format="csc")  # one equation is redundant (trace conservation)
    b = np.zeros(len(sel), dtype=complex)
    b[0] = 1.0
    # dense LU up to DENSE_MAX unknowns (measured: faster than SuperLU's fill at these sizes)
    x = np.linalg.solve(A.toarray(), b) if len(sel) <= DENSE_MAX else spla.spsolve(A, b)
    vec = np.zeros(dim * dim, dtype=complex)
    vec[sel] = x
    rho = vec.reshape((dim, dim), order="F")
    norm_L = float(abs(L).sum(axis=1).max())
    limit = tol if tol is not None else 1e-10 * norm_L
    res = float(np.linalg.norm(L @ vec))
    herm = float(np.abs(rho - rho.conj().T).max())
    rho = (rho + rho.conj().T) / 2
    low = float(np.linalg.eigvalsh(rho).min())
    if not (res <= limit and abs(np.trace(rho) - 1) < 1e-10 and herm < 1e-8 and low > -1e-10):
        raise ModelError(f"steady_state_product: not a steady density matrix (residual {res:.2e}, limit {limit:.2e}, "
                         f"trace {np.trace(rho).real:.12f}, hermiticity {herm:.1e}, lowest eigenvalue {low:.1e})")
    pops = np.diag(rho).real.reshape(dims)
    factor = 0
    for sub in model.subsystems:
        if isinstance(sub, Atoms):
            factor += int(N)
            continue
        top = float(np.take(pops, -1, axis=factor).sum())
        factor += 1
        if top > truncation_tol:
            raise ModelError(f"truncation={truncation} is too small for mode {sub.name or 'a'!r}: the top Fock "
                             f"level holds population {top:.2e} > {truncation_tol:.0e}; increase truncation")
    info = {"unknowns": len(sel), "dim": dim, "u1_block": q is not None, "residual": res, "tol": limit}
    return ProductState(model, rho, res, info, matrix)
