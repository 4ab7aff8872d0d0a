r"""Permutation-invariant numerics for N d-level atoms (qudits), seed 001 Sec. IV-V.

Convention (hbar = 1, QuTiP's, see docs/ARCHITECTURE.md):

.. math::
    \dot\rho = -i[H,\rho] + \sum_k r_k\big(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}\big)
             + \sum_l r_l\sum_{i=1}^N\big(X_{l,i}\rho X_{l,i}^\dagger - \tfrac12\{X_{l,i}^\dagger X_{l,i},\rho\}\big),

with :math:`H` and the collective jumps :math:`L_k` polynomials in collective operators
:math:`J[X] = \sum_{i=1}^N X_i` (X a single-atom :math:`d\times d` matrix) and :math:`X_l` single-atom
jumps.  Single-atom basis :math:`|0\rangle..|d-1\rangle`, level a is :math:`m = a - j`,
:math:`j = (d-1)/2` (as :class:`analytic.algebra.Atoms`).

Representation (Gegg & Richter, NJP 18, 043037 (2016); Shammah et al., PRA 98, 063815 (2018) for
qubits; seed 001 Sec. IV).  Operators on :math:`(\mathbb C^d)^{\otimes N}` form
:math:`(\mathbb C^{d^2})^{\otimes N}`, each atom carrying one of the :math:`K = d^2` "modes"
:math:`|a\rangle\langle b|` (orthonormal for the Hilbert-Schmidt product).  Permutation-invariant
operators are the symmetric tensors, i.e. the bosonic Fock space of N bosons in K modes, of
dimension :math:`\binom{N+d^2-1}{N}`.  Its orthonormal basis is

.. math:: \hat S(\mathbf n) = \Big(\tfrac{N!}{\prod_\alpha n_\alpha!}\Big)^{-1/2}
          \sum_{\text{distinct orderings}} \bigotimes_{i}|a_i\rangle\langle b_i|,
          \qquad \mathbf n = (n_{ab}),\ \textstyle\sum n_{ab} = N,

and :math:`\rho = \sum_{\mathbf n} c_{\mathbf n}\hat S(\mathbf n)`.  Every term of the Liouvillian is a
product of one-body superoperators :math:`\sum_i s_i`, which act as
:math:`\sum_{\alpha\beta} s_{\alpha\beta}\,b^\dagger_\alpha b_\beta` with bosonic
:math:`b^\dagger_\alpha b_\beta|\mathbf n\rangle = \sqrt{n_\beta(n_\alpha+1-\delta_{\alpha\beta})}\,|\mathbf n - e_\beta + e_\alpha\rangle`.
With the mode index :math:`\alpha = (a, b) \mapsto a d + b`:

* left multiplication :math:`\rho\mapsto J[X]\rho`: :math:`s = X\otimes 1`;
* right multiplication :math:`\rho\mapsto\rho J[Y]`: :math:`s = 1\otimes Y^T`;
* individual sandwich :math:`\rho\mapsto\sum_i X_i\rho Y_i^\dagger`: :math:`s = X\otimes\bar Y`.

The basis being orthonormal, the matrix is the restriction of the full :math:`d^{2N}` Liouvillian
to the permutation-symmetric operators (an isometry, tested against the brute-force Liouvillian),
:math:`\mathrm{Tr}\rho^2 = \sum|c_{\mathbf n}|^2` for Hermitian :math:`\rho`, and
:math:`\mathrm{Tr}\hat S(\mathbf n) = (N!/\prod_a n_{aa}!)^{1/2}` when only diagonal modes are
occupied (0 otherwise).

Symmetries (seed 001 Sec. II and IV).  :math:`\Pi_1: A\mapsto e^{i\pi J_z}Ae^{-i\pi J_z}` multiplies
:math:`\hat S(\mathbf n)` by :math:`(-1)^{q}`, :math:`q = \sum_{ab} n_{ab}(a-b)`: parity :math:`p_1`.
The antiunitary :math:`\Pi_2: A\mapsto\omega^{J_z}A^*\omega^{-J_z}` (:math:`\omega\in\{1,-1,-i,i\}`,
found on the numeric Liouvillian exactly as for qubits in :mod:`numeric.pi.liouvillian`) combined
with Hermitian conjugation is the linear involution
:math:`T\hat S(\mathbf n) = \omega^{-q}\hat S(\mathbf n^T)` (:math:`n^T_{ab} = n_{ba}`), parity
:math:`p_2`.  Its eigenvectors are :math:`\hat S(\mathbf n)` for :math:`\mathbf n = \mathbf n^T`
(:math:`p_2 = +1`, q = 0) and :math:`(\hat S(\mathbf n) \pm \omega^{-q}\hat S(\mathbf n^T))/\sqrt2` for
each pair :math:`\mathbf n\ne\mathbf n^T`.  The four blocks :math:`(p_1, p_2)` therefore have
dimensions #(pairs with q even) + #(self-transposed), #(pairs with q even), #(pairs with q odd)
twice, computed by :func:`sector_dimensions` from the same labels (:meth:`SymmetricBasis.roles`)
that build the blocks.  The steady state is in :math:`(+1, +1)`.
"""
from __future__ import annotations

import math
import warnings
from typing import Mapping, Sequence

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import sympy as sp

from analytic.algebra import Local
from analytic.model import Model, ModelError
from numeric.core import resources
from numeric.core.errors import SolverError
from numeric.core.operators import numeric_values
from numeric.pi.basis import check_N, one_ensemble
from numeric.pi.liouvillian import detect_symmetries
from numeric.pi.qudit_basis import (SECTORS, Builder, Poly, SymmetricBasis, as_matrix, as_poly, check_d, dagger_poly,
                                   op_poly, product_poly, sector_columns, sector_dimensions, symmetric_basis)
from numeric.pi.qudit_state import QuditState
from numeric.solvers.eigs import eigs_near_zero, eigs_rightmost
from numeric.solvers.uniqueness import kernel_probe, not_unique, structural_cause

__all__ = [
    "SymmetricBasis", "QuditLiouvillian", "QuditState", "sector_dimensions", "from_model",
    "steady_state_qudits", "solve_qudits", "spectrum_qudits", "gap_qudits", "SECTORS",
]

_DENSE_SOLVE = 2000  # largest sector solved by dense LU in solve_qudits (Arnoldi above)



# =========================================================================== Liouvillian
class QuditLiouvillian:
    r"""Permutation-invariant Liouvillian of N d-level atoms on the basis :math:`\hat S(\mathbf n)`.

    Parameters
    ----------
    N, d : int
        Number of atoms (>= 1) and levels per atom (>= 2).
    hamiltonian : Poly
        :math:`H = \sum c\,J[X_1]\cdots J[X_k]` as ``[(c, (X1, ..., Xk)), ...]`` (Hermitian).
    collective : sequence of (rate, Poly)
        Collective jumps :math:`r\,\mathcal D[L]`, L a collective polynomial.
    individual : sequence of (rate, X)
        Individual jumps :math:`r\sum_i\mathcal D[X_i]`, X a :math:`d\times d` matrix.

    Attributes
    ----------
    L : scipy.sparse.csr_matrix
        The Liouvillian on the coefficients :math:`c_{\mathbf n}`.
    symmetries : dict
        ``{'u1', 'z2', 'omega'}`` as detected by :func:`numeric.pi.liouvillian.detect_symmetries`.
    sectors : list
        Sector labels :math:`(p_1, p_2)` (only the symmetries that exist; ``[None]`` without any).
    model, atoms, values
        The catalogue model, its ensemble and numeric values when built by :func:`from_model`
        (then observables accept the model's operator strings), else None.
    """

    def __init__(self, N: int, d: int, hamiltonian: Poly = (), collective: Sequence = (),
                 individual: Sequence = ()):
        self.basis = symmetric_basis(check_N(N), check_d(d))
        self.N, self.d = self.basis.N, self.basis.d
        self.model, self.atoms, self.values = None, None, {}  # set by from_model
        b = Builder(self.basis)
        H = as_poly(hamiltonian, self.d, "hamiltonian")
        LH, LHd = b.left(H), b.left(dagger_poly(H))
        if abs(LH - LHd).sum() > 1e-12 * max(1.0, abs(LH).sum()):
            raise ModelError("hamiltonian is not Hermitian")
        L = -1j * LH + 1j * b.right(H)
        for k, term in enumerate(collective):
            r, P = self._rate(term, f"collective[{k}]")
            P = as_poly(P, self.d, f"collective[{k}]")
            Pd = dagger_poly(P)
            K = product_poly(Pd, P)
            L = L + r * (b.left(P) @ b.right(Pd) - 0.5 * b.left(K) - 0.5 * b.right(K))
        for k, term in enumerate(individual):
            r, X = self._rate(term, f"individual[{k}]")
            X = as_matrix(X, self.d, f"individual[{k}]")
            K = [(1.0, (X.conj().T @ X,))]
            L = L + r * (b.sandwich(X) - 0.5 * b.left(K) - 0.5 * b.right(K))
        L = sps.csr_matrix(L)
        L.sum_duplicates()
        L.eliminate_zeros()
        self.L = L
        self.scale = float(abs(L).sum(axis=0).max()) if L.nnz else 1.0
        self.symmetries = detect_symmetries(L, self.basis, self.scale)
        s = self.symmetries
        p1 = (1, -1) if s["z2"] else (None,)
        p2 = (1, -1) if s["omega"] is not None else (None,)
        self.sectors = [(a, c) for a in p1 for c in p2] if (s["z2"] or s["omega"] is not None) else [None]

    @staticmethod
    def _rate(term, name: str):
        try:
            r, op = term
            r = float(r)
        except (TypeError, ValueError):
            raise ModelError(f"{name} must be a pair (rate, operator)") from None
        if not (np.isfinite(r) and r >= 0):
            raise ModelError(f"{name}: rate must be a finite number >= 0, got {r!r}")
        return r, op

    def sector_basis(self, sector: tuple | None) -> sps.csr_matrix:
        r"""Orthonormal columns (sparse :math:`n\times n_s`) spanning the sector ``(p1, p2)``
        (``None``: the whole space).  A label whose symmetry is absent may be given as None,
        e.g. ``(1, None)``."""
        b = self.basis
        if sector is None or sector == (None, None):
            return sps.identity(b.n, dtype=complex, format="csr")
        if sector not in self.sectors:
            raise ModelError(f"sector={sector!r} is not a sector of this Liouvillian; sectors are {self.sectors}")
        p1, p2 = sector
        if p2 is None:
            sel = np.nonzero((b.q % 2 == 0) if p1 == 1 else (b.q % 2 == 1))[0]
            return sps.csr_matrix((np.ones(len(sel)), (sel, np.arange(len(sel)))), shape=(b.n, len(sel)))
        selfs, reps = sector_columns(b, (p1 if p1 is not None else 1, p2))
        if p1 is None:  # no Pi_1: both parities together
            other = sector_columns(b, (-1, p2))
            selfs, reps = np.concatenate([selfs, other[0]]), np.concatenate([reps, other[1]])
        w = complex(self.symmetries["omega"])
        ph = p2 * np.array([w ** (-int(k)) for k in b.q[reps]])
        s2 = 1 / math.sqrt(2)
        ns, nr = len(selfs), len(reps)
        rows = np.concatenate([selfs, reps, b.transpose[reps]])
        cols = np.concatenate([np.arange(ns), ns + np.arange(nr), ns + np.arange(nr)])
        vals = np.concatenate([np.ones(ns), np.full(nr, s2), ph * s2])
        return sps.csr_matrix((vals, (rows, cols)), shape=(b.n, ns + nr))

    def sector_matrix(self, sector: tuple | None) -> sps.csr_matrix:
        """The block :math:`B^\\dagger\\mathcal L B` of a sector."""
        B = self.sector_basis(sector)
        return (B.conj().T @ self.L @ B).tocsr()

    def steady_sector(self) -> tuple | None:
        """The sector of the steady state (p1 = p2 = +1 where defined)."""
        return self.sectors[0]




def from_model(model: Model, values: Mapping, N: int, max_memory: int | float | str | None = None) -> QuditLiouvillian:
    r"""The :class:`QuditLiouvillian` of a catalogue model (one :class:`~analytic.algebra.Atoms`
    ensemble of any d), e.g. ``analytic.models.lmg(d=3)`` (seed 001 eqs. 2-6).

    Parameters
    ----------
    model : analytic.model.Model
    values : mapping
        ``{parameter name: number}`` for every parameter (N is given separately).
    N : int
        Number of atoms.
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`, a ``ModelError``) when the estimated
        peak memory (:func:`numeric.core.resources.estimate_qudits`) exceeds it; default 80% of the
        available memory.
    """

    atoms = one_ensemble(model, "qudit representation")
    N = check_N(N)
    resources.check(resources.estimate_qudits(N, atoms.d), max_memory, "qudits.from_model")
    vals = numeric_values(model, values, {str(s): N for s in model.size_symbols()})
    H = op_poly(model.hamiltonian, atoms, vals, "hamiltonian")
    coll, ind = [], []
    for dis in model.dissipators:
        r = complex(sp.sympify(dis.rate).subs(vals)).real
        if dis.kind == "collective":
            coll.append((r, op_poly(dis.jump, atoms, vals, dis.label)))
        else:
            jump = dis.jump
            if not isinstance(jump, Local):
                raise ModelError(f"dissipator {dis.label!r}: an individual jump must be a single-atom operator")
            ind.append((r, np.array(sp.N(jump.matrix.subs(vals)), dtype=complex)))
    ql = QuditLiouvillian(N, atoms.d, H, coll, ind)
    ql.model, ql.atoms, ql.values = model, atoms, vals
    return ql


# =========================================================================== steady state, spectrum
def solve_qudits(ql: QuditLiouvillian, tol: float | None = None) -> QuditState:
    r"""Steady state :math:`\mathcal L\rho = 0`, :math:`\mathrm{Tr}\rho = 1` in the steady-state sector (the
    qudit backend of ``numeric.steady_state(model, values, N=)``; called directly only for a
    :class:`QuditLiouvillian` built from matrices).

    The block :math:`M = B^\dagger\mathcal LB` is singular with left null vector
    :math:`t^TB` (trace preservation, :math:`t_{\mathbf n} = \mathrm{Tr}\hat S(\mathbf n)`); the row
    with the largest :math:`|t^TB|` entry is replaced by the trace condition and the system solved
    by dense LU up to 2000 unknowns.  Above, no factorisation: the blocks couple every occupation
    vector to O(d^4 N) others and LU fills in almost completely (the d = 4, N = 7 block of seed 001
    Fig. 7, 43 186 unknowns, would need ~30 GB); the steady state is instead the eigenvector of the
    rightmost eigenvalue 0 of the block, by implicitly restarted Arnoldi (ARPACK, ``which='LR'``,
    matrix-vector products only; every Liouvillian eigenvalue has :math:`\mathrm{Re}\lambda\le 0`).

    Raises
    ------
    SolverError
        Singular system or residual :math:`\|\mathcal Lc\|_2` above ``tol`` (default
        :math:`10^{-10}\|\mathcal L\|_1`).
    """
    if tol is not None and not (isinstance(tol, (int, float)) and tol > 0):
        raise ModelError(f"tol must be a positive number, got tol={tol!r}")
    if ql.model is not None:
        rates = [sp.sympify(d.rate).subs(ql.values) for d in ql.model.dissipators]
        cause = structural_cause(ql.model, ql.values, rates, [])
        if cause is not None:
            raise not_unique("steady_state_qudits", cause=cause[0], rho0=False)
    sec = ql.steady_sector()
    B = ql.sector_basis(sec)
    block = ql.sector_matrix(sec)
    if B.shape[1] > _DENSE_SOLVE:
        vals, vecs = eigs_rightmost(block, 2, vectors=True)
        if np.sum(np.abs(vals) <= 1e-10 * ql.scale) > 1:  # a second eigenvalue 0: kernel dimension >= 2
            raise not_unique("steady_state_qudits", nullity=1, rho0=False)
        return _checked_state(ql, B @ vecs[:, int(np.argmin(np.abs(vals)))], tol)
    M = block.tolil()
    t = B.T @ ql.basis.trace
    k = int(np.argmax(np.abs(t)))
    M[k, :] = t.reshape(1, -1)
    rhs = np.zeros(M.shape[0], dtype=complex)
    rhs[k] = 1.0
    Md = M.toarray()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sla.LinAlgWarning)  # an exactly zero pivot is judged below
        try:
            lu = sla.lu_factor(Md)
        except (sla.LinAlgError, ValueError) as exc:
            raise SolverError(f"steady_state_qudits: LU failed ({exc})") from None
        scale = float(np.abs(Md).sum(axis=1).max()) or 1.0
        nullity, svals = kernel_probe(lambda v: Md @ v, lambda b: sla.lu_solve(lu, b), Md.shape[0], scale, k=3)
        if nullity:
            raise not_unique("steady_state_qudits", nullity=nullity, k=3, svals=svals, rho0=False)
        y = sla.lu_solve(lu, rhs)
    return _checked_state(ql, B @ y, tol)


def _checked_state(ql: QuditLiouvillian, c: np.ndarray, tol: float | None) -> QuditState:
    c = c / (ql.basis.trace @ c)
    res = float(np.linalg.norm(ql.L @ c))
    limit = tol if tol is not None else 1e-10 * ql.scale
    if not (np.all(np.isfinite(c)) and res <= limit):
        raise SolverError(f"steady_state_qudits: residual ||L rho|| = {res:.2e} > tol = {limit:.2e}")
    return QuditState(ql, c, residual=res)


def _sector_eigs(ql: QuditLiouvillian, sector, k: int, rightmost: bool = False) -> np.ndarray:
    """``k`` eigenvalues of a block by the one routine, :mod:`numeric.solvers.eigs`: those of smallest
    modulus, or with ``rightmost`` those of largest real part (dense up to
    :data:`numeric.solvers.eigs.DENSE_MAX` unknowns)."""
    M = ql.sector_matrix(sector)
    if M.shape[0] == 0:
        return np.zeros(0, dtype=complex)
    if rightmost:
        return eigs_rightmost(M, k)
    return eigs_near_zero(M, min(int(k), M.shape[0]))


def spectrum_qudits(ql: QuditLiouvillian, k: int = 6, sector: tuple | None = None) -> np.ndarray:
    r"""The ``k`` eigenvalues closest to 0 (by modulus) in one sector, or in all sectors when
    ``sector is None``; dense diagonalisation up to :data:`numeric.solvers.eigs.DENSE_MAX` unknowns per
    block, shift-invert Arnoldi above."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ModelError(f"k must be a positive integer, got k={k!r}")
    todo = ql.sectors if sector is None else [sector]
    ev = np.concatenate([_sector_eigs(ql, s, k) for s in todo])
    return ev[np.argsort(np.abs(ev), kind="stable")][:k]


def gap_qudits(ql: QuditLiouvillian, sector: tuple | None = None, k: int = 6) -> float:
    r"""Gap :math:`\Delta^{(p_1,p_2)}` of seed 001 eqs. (15)-(16): :math:`-\mathrm{Re}\lambda_0` in a
    sector other than the steady state's, :math:`-\mathrm{Re}\lambda_1` in the steady-state sector
    (the default; eigenvalues with :math:`|\lambda| \le 10^{-9}\|\mathcal L\|` are the steady
    state), eigenvalues ordered by :math:`|\mathrm{Re}\lambda|` as in the paper: among the ``k`` rightmost
    eigenvalues (:func:`numeric.solvers.eigs.eigs_rightmost`: exact, all eigenvalues, for blocks up to
    :data:`numeric.solvers.eigs.DENSE_MAX` unknowns; above, Arnoldi ``which='LR'``, no factorisation)."""
    sec = ql.steady_sector() if sector is None else sector
    ev = _sector_eigs(ql, sec, k, rightmost=True)  # the slowest modes are the rightmost eigenvalues
    if sec == ql.steady_sector():
        ev = ev[np.abs(ev) > 1e-9 * ql.scale]
    if len(ev) == 0:
        raise ModelError("gap_qudits: no non-zero eigenvalue found; increase k")
    return float(-ev.real.max())


def steady_state_qudits(ql: QuditLiouvillian, tol: float | None = None) -> QuditState:
    """Deprecated alias (kept for one release): a catalogue model goes through the one entry point,
    ``numeric.steady_state(model, values, N=N)`` (a d-level ensemble, or ``d=2`` for qubits in this
    representation); a Liouvillian built from matrices through :func:`solve_qudits`.  Same result."""
    warnings.warn("numeric.pi.qudits.steady_state_qudits is deprecated; use numeric.steady_state(model, values, N=...) "
                  "(d-level atoms, or d=2 for qubits), or numeric.pi.qudits.solve_qudits(ql) for a QuditLiouvillian "
                  "built from matrices", DeprecationWarning, stacklevel=2)
    return solve_qudits(ql, tol)
