r"""Steady states :math:`\mathcal L\rho = 0`, :math:`\mathrm{Tr}\,\rho = 1`, in float64 or arbitrary precision.

Convention (hbar = 1, QuTiP's): :math:`\mathcal L\rho = -i[H,\rho] + \sum_k r_k(L_k\rho L_k^\dagger
- \tfrac12\{L_k^\dagger L_k,\rho\})`, see :mod:`numeric.core.liouvillian`.

float64 formulation (``dps=None``)
    1. The Liouvillian is written on Hermitian matrices in real coordinates
       (:class:`numeric.core.liouvillian.RealForm`): real arithmetic, half the unknowns.
    2. It is restricted to the sector of the steady state: equal U(1) charges of ket and bra
       (e.g. :math:`S^z_a + S^z_b` for the gain-loss dimer) and the +1 sector of every parity or
       parity-times-conjugation symmetry (for ``crf`` :math:`\rho_{mn}` is real for even and
       imaginary for odd :math:`m-n`, another factor 2).
    3. One equation (the population equation with the smallest diagonal) is replaced by the
       trace condition.  The unknowns are ordered by nested dissection: METIS on the graph of
       :math:`A + A^T` when there are several subsystems (:func:`numeric.core.ordering.metis_nested_dissection`),
       geometric bisection of the (ket, bra) index grid of a single one
       (:func:`numeric.core.ordering.nested_dissection`; SuperLU's minimum degree on :math:`A + A^T`
       when the couplings are not nearest-neighbour), factorised by SuperLU with diagonal
       pivoting and refined iteratively.  If the residual is too large, a partially pivoted
       factorisation and then GMRES with an incomplete-LU preconditioner are tried.
    4. The residual :math:`\|\mathcal L\,\mathrm{vec}(\rho)\|_2` is computed with the full
       complex Liouvillian; a state above tolerance is refused (:class:`SolverError`, which
       names the ``dps`` that would help).  ``State.info`` holds the residual, a 1-norm
       condition estimate and the sizes.

Arbitrary precision (``dps=k``): mixed-precision iterative refinement, see
:mod:`numeric.solvers.precision`.
"""
from __future__ import annotations

import time
from fractions import Fraction
from typing import Callable, Mapping

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from analytic.model import Model, ModelError
from numeric.core.errors import SolverError
from numeric.solvers.condition import condition_estimate, condition_vectors
from numeric.solvers.precision import refine_float, solve_refined, suggest_dps
from numeric.core.liouvillian import (superop, hamiltonian_and_jumps, lindblad_dense, norm_inf, real_form,
                                      sector_of_charges, setup, u1_charges)
from numeric.core.ordering import (metis_nested_dissection, nested_dissection, permuted_csc, permuted_solve,
                                   separator_tree)
from numeric.solvers.frontal import FrontalLU
from numeric.core.arguments import check_dps, check_tol
from numeric.solvers.uniqueness import (FULL_CHECK_MAX, FULL_CHECK_ZERO, kernel_bases, kernel_probe, not_unique,
                                        probe_vectors, structural_cause)
from numeric.dynamics.evolve import LiouvilleSpace
from numeric.states.observables import State
from numeric.states.state import StateLike
from analytic.algebra import Atoms
from numeric.pi import qudits
from numeric.pi.qudit_basis import check_d
from numeric.pi.permutational import PILiouvillian, PIState, solve_pi
from numeric.core import resources
from numeric.core.operators import Size, Truncation

__all__ = ["steady_state", "SolverError", "steady_system", "project_initial", "steady_from_initial_pi",
           "to_permutational", "to_qudits", "qudit_levels", "truncation_check"]


#: leaf size of the separator tree (subdomains of at most this many unknowns; measured best for the
#: multifrontal LU at crf S = 400-600, docs/benchmarks.md)
LEAF = 24
#: the multifrontal LU from this many unknowns on (crf S ~ 150); SuperLU below (faster on small systems)
FRONTAL_MIN = 50_000
#: the fallback factorisation when the system's own meets an exactly zero pivot: SuperLU with partial
#: pivoting (threshold 1) on minimum degree of A + A^T
PIVOTED = (1.0, "MMD_AT_PLUS_A")
#: random vectors of the kernel probe (a kernel of dimension up to this is counted)
PROBE_K = 3


class SteadySystem:
    r"""The real-form linear system of the steady state (shared by the float64 and the
    arbitrary-precision solvers).

    Attributes: ``rep``, ``vals``, ``H``, ``jumps`` (sparse), ``rf`` (:class:`RealForm`
    restricted to the steady-state sector, its matrix dropped), ``perm`` (fill-reducing
    ordering), ``Ap`` (CSC, rows/columns in the order ``perm``, the trace row in place of
    row ``k``), ``b`` (right-hand side, original order), ``weight``, ``norm_L``
    (:math:`\|\mathcal L\|_\infty`).
    """

    def __init__(self, model: Model, values: Mapping, S=None, truncation=None, *, max_memory=None,
                 dps: int | None = None, **sizes):
        self.model = model
        self.rep, self.vals = setup(model, values, S, truncation, dps=dps, **sizes)
        self.H, self.jumps = hamiltonian_and_jumps(model, self.rep, self.vals)
        charges = u1_charges(model, self.vals)
        q = sector_of_charges(self.rep, charges) if charges else None
        # resources: refuse before the Liouvillian is built (predicted sizes), again before the LU
        frontal = FRONTAL_MIN if len(self.rep.dims) == 1 else None  # one spin: the multifrontal LU above it
        self.resources = resources.check(resources.estimate_from_operators(
            self.H, self.jumps, q, len(self.rep.dims), dps, frontal_from=frontal), max_memory)
        Lvec = superop(self.H, self.jumps)
        self.norm_L = norm_inf(Lvec)
        keep = None
        if charges:
            keep = np.all(q[:, None, :] == q[None, :, :], axis=2)
        self.charges = charges
        self.rf = real_form(Lvec, self.rep, keep_pairs=keep)
        del Lvec
        A = self.rf.A
        self.rf.A = None
        diag = np.abs(A.diagonal())
        pops = np.nonzero(self.rf.kind == 0)[0]
        self.k = int(pops[np.argmin(diag[pops])])
        self.weight = float(np.mean(np.abs(A.data))) if A.nnz else 1.0
        A = _with_trace_row(A, self.k, pops, self.weight)
        # several subsystems (a spin and a mode, two spins): METIS; the geometric bisection is for one
        # spin's two-dimensional (m, n) grid (with a mode the folded couplings reach too far for it)
        perm = metis_nested_dissection(A, self.k) if len(self.rep.dims) > 1 else None
        self.ordering, self.tree = "METIS nested dissection", None
        if perm is None:
            self.tree = separator_tree(A, _grid_coordinates(self.rf, self.rep), self.k, leaf=LEAF)
            perm = self.tree.perm if self.tree is not None else None
            self.ordering = "nested dissection" if perm is not None else "MMD_AT_PLUS_A"
        self.perm = perm if perm is not None else np.arange(A.shape[0])
        self.Ap = permuted_csc(A, self.perm)
        del A
        self.resources = resources.check(resources.estimate_collective(
            self.rep.dim, 0, (), n=self.n, nnz_A=self.Ap.nnz, dps=dps,
            frontal_from=FRONTAL_MIN if self.tree is not None else None), max_memory)
        #: :math:`\|A\|_\infty` of the trace-row system (the scale of the kernel probe and of the refinement)
        self.scale = norm_inf(self.Ap)
        self.b = np.zeros(self.Ap.shape[0])
        self.b[self.k] = self.weight
        K = -1j * self.H
        for r, L in self.jumps:
            K = K - 0.5 * r * (L.conj().T @ L)
        self._K = sps.csr_matrix(K)
        self._J = [sps.csr_matrix(np.sqrt(r) * L) for r, L in self.jumps]

    @property
    def n(self) -> int:
        return self.Ap.shape[0]

    def matvec(self, x: np.ndarray) -> np.ndarray:
        """``A @ x`` in the original order of the unknowns."""
        out = np.empty_like(x)
        out[self.perm] = self.Ap @ np.take(x, self.perm, axis=0)
        return out

    def factorize(self, pivot_threshold: float = 0.0, ordering: str | None = None) -> tuple[Callable, Callable, int, str]:
        """LU factorisation; returns ``(solve, solve_transposed, nnz of the factors, method)`` acting in
        the original order.  ``ordering=None`` uses the system's ordering: with a separator tree (one
        spin) and at least :data:`FRONTAL_MIN` unknowns the multifrontal LU of
        :mod:`numeric.solvers.frontal` (row pivoting inside each front), else SuperLU with pivoting
        threshold ``pivot_threshold`` on the nested-dissection ordering (or minimum degree on
        :math:`A + A^T` without one)."""
        if ordering is None and self.tree is not None and self.n >= FRONTAL_MIN:
            lu = FrontalLU(self.Ap, self.tree, ordered=True)
            return lu.solve, (lambda v: lu.solve(v, "T")), lu.nnz, "multifrontal"
        natural = ordering is None and self.ordering != "MMD_AT_PLUS_A"
        spec = "NATURAL" if natural else (ordering or "MMD_AT_PLUS_A")
        lu = spla.splu(self.Ap, permc_spec=spec, diag_pivot_thresh=pivot_threshold,
                       options=dict(SymmetricMode=pivot_threshold < 1))
        solve = permuted_solve(lu, self.perm)
        # lu.nnz, not lu.L.nnz + lu.U.nnz: those build CSC copies of both factors (at crf S = 400 0.8 s
        # and 0.26 GB of peak memory, benchmarks/solver_study.py and docs/benchmarks.md)
        return solve, (lambda v: solve(v, "T")), int(lu.nnz), "splu"

    def lindblad(self, rho: np.ndarray) -> np.ndarray:
        r""":math:`\mathcal L\rho = K\rho + \rho K^\dagger + \sum_k J_k\rho J_k^\dagger` (dense, operator form,
        :math:`\rho` Hermitian; :func:`numeric.core.liouvillian.lindblad_dense`)."""
        return lindblad_dense(self._K, self._J, rho)

    def residual(self, rho: np.ndarray) -> float:
        r""":math:`\|\mathcal L\rho\|_F = \|\mathcal L\,\mathrm{vec}(\rho)\|_2`, the full
        Liouvillian (no symmetry reduction) applied in operator form."""
        return float(np.linalg.norm(self.lindblad(rho)))


def steady_system(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation | None = None,
                  **sizes: Size) -> SteadySystem:
    """The :class:`SteadySystem` (real-form matrix with trace row) for inspection and benchmarks."""
    return SteadySystem(model, values, S, truncation, **sizes)


def _with_trace_row(A: sps.csr_matrix, k: int, pops: np.ndarray, weight: float) -> sps.csr_matrix:
    """``A`` with row ``k`` replaced by ``weight`` at the columns ``pops`` (sorted; the trace condition),
    the other rows as they are (the values of ``A + weight e_k 1_pops^T`` after zeroing row ``k`` and
    dropping the zeros, without a sparse addition)."""
    lo, hi = int(A.indptr[k]), int(A.indptr[k + 1])
    indptr = A.indptr.astype(np.int64)
    indptr[k + 1:] += len(pops) - (hi - lo)
    it = np.int32 if max(A.shape[0], int(indptr[-1])) <= np.iinfo(np.int32).max else np.int64
    indices = np.concatenate([A.indices[:lo], pops, A.indices[hi:]]).astype(it, copy=False)
    data = np.concatenate([A.data[:lo], np.full(len(pops), weight), A.data[hi:]])
    return sps.csr_matrix((data, indices, indptr.astype(it, copy=False)), shape=A.shape)


def _grid_coordinates(rf, rep) -> np.ndarray:
    """Lattice coordinates of the real-form unknowns rho_ij: the local indices of i and j in
    each subsystem (couplings linear in the generators change each by at most one)."""
    coords = []
    for k, d in enumerate(rep.dims):
        stride = int(np.prod(rep.dims[k + 1:]))
        coords.append((rf.i // stride) % d)
        coords.append((rf.j // stride) % d)
    return np.stack(coords, axis=1).astype(np.int64)


def _solve_float(system: SteadySystem, limit: float, refine: int = 2):
    """Direct solve with iterative refinement; a second, partially pivoted factorisation and
    then GMRES are tried when the residual is above ``limit``.  Returns ``(x, info, checked)``:
    ``checked = (rho, residual)`` of ``x`` when that was computed and accepted, else ``None``."""
    b = system.b
    info = {}
    attempts = [(0.0, None), PIVOTED]
    x = None
    singular = 0
    for thresh, ordering in attempts:
        info = {"method": "splu", "ordering": ordering or system.ordering, "pivot_threshold": thresh}
        try:
            solve, solve_t, nnz, info["method"] = system.factorize(thresh, ordering)
        except (RuntimeError, SolverError) as exc:  # exactly singular pivot (or SuperLU out of memory)
            info["error"] = str(exc)
            singular += "singular" in str(exc)
            continue
        W = _first_solves(system, solve)
        info["lu_nnz"] = int(nnz)
        stop = np.finfo(float).eps * system.scale * np.linalg.norm(W[:, 0])
        x = refine_float(system.matvec, solve, b, refine, x0=W[:, 0], stop=stop)
        info["condition"] = condition_estimate(system, solve, solve_t, first=W[:, 1:3])
        del solve, solve_t  # the factors (the largest allocation) go before the dense residual's arrays
        if np.all(np.isfinite(x)):
            checked = _checked(system, x)
            if checked[1] <= limit:
                return x, info, checked
    if singular == len(attempts):  # even the partially pivoted LU met an exactly zero pivot: A is singular
        raise not_unique("steady_state")
    # iterative fallback
    info = {"method": "gmres + ilu", "condition": info.get("condition", float("nan"))}
    try:
        ilu = spla.spilu(system.Ap, drop_tol=1e-8, fill_factor=30)
    except RuntimeError:
        return x, info, None
    perm = system.perm
    M = spla.LinearOperator(system.Ap.shape, matvec=ilu.solve, dtype=float)
    y, code = spla.gmres(system.Ap, b[perm], M=M, rtol=1e-15, atol=0, restart=200, maxiter=50)
    info["gmres_code"] = int(code)
    xg = np.empty_like(y)
    xg[perm] = y
    checked = _checked(system, xg)
    if x is None or checked[1] < _checked(system, x)[1]:
        return xg, info, checked
    return x, info, None


def _first_solves(system: SteadySystem, solve) -> np.ndarray:
    """One sweep of the factors for every fixed right-hand side: ``b``, the two starting vectors of the
    condition estimate (:func:`numeric.solvers.condition.condition_vectors`) and the :data:`PROBE_K`
    random vectors of the kernel probe; refuses a non-unique state (:func:`_check_unique`) and returns
    the first three solutions (``A^{-1} b`` and the condition estimate's ``first``)."""
    n = system.n
    W = solve(np.column_stack([system.b, condition_vectors(n), probe_vectors(n, PROBE_K)]))
    _check_unique(system, W[:, 3:])
    return W[:, :3]


def _check_unique(system: SteadySystem, Y: np.ndarray) -> None:
    """Refuse (:func:`numeric.solvers.uniqueness.not_unique`) when the trace-row system is singular, i.e.
    the kernel of the Liouvillian on the unknowns solved for is more than one-dimensional
    (:func:`numeric.solvers.uniqueness.kernel_probe` on ``Y``, the LU solves of its
    :func:`~numeric.solvers.uniqueness.probe_vectors`, and :data:`PROBE_K` products)."""
    nullity, svals = kernel_probe(system.matvec, None, system.n, system.scale, k=PROBE_K, block=True, Y=Y)
    if nullity:  # a sector of the full space: its kernel dimension is a lower bound ("at least")
        restricted = bool(system.rf.symmetries or system.charges)
        if restricted:
            _check_full_kernel(system, {})  # small systems: refused with the dimension on the full space
        raise not_unique("steady_state", nullity=nullity, k=min(nullity, PROBE_K) if restricted else PROBE_K,
                         svals=svals)


def _check_structure(system: SteadySystem) -> None:
    """Refuse before solving when no rate is nonzero or a U(1) charge is conserved by every jump."""
    cause = structural_cause(system.model, system.vals, [r for r, _ in system.jumps], system.charges)
    if cause is not None:
        raise not_unique("steady_state", cause=cause[0])


def _checked(system: SteadySystem, x: np.ndarray) -> tuple[np.ndarray, float]:
    """``(rho, residual)`` of the real-form solution ``x`` (:func:`_rho`, :meth:`SteadySystem.residual`)."""
    rho = _rho(system, x)
    return rho, system.residual(rho)


def _rho(system: SteadySystem, x: np.ndarray) -> np.ndarray:
    rho = system.rf.to_rho(x)
    return rho / np.trace(rho).real


def truncation_check(system: SteadySystem, pops: np.ndarray, threshold: float) -> None:
    rep = system.rep
    for k, sub in enumerate(rep.model.subsystems):
        if sub.kind != "mode":
            continue
        d = rep.dims[k]
        stride = int(np.prod(rep.dims[k + 1:]))
        local = (np.arange(rep.dim) // stride) % d
        top = float(np.sum(pops[local == d - 1]))
        if top > threshold:
            raise ModelError(
                f"truncation={d} is too small for mode {sub.name or 'a'!r}: the top Fock level holds "
                f"population {top:.2e} > {threshold:.0e}; increase truncation")


def to_permutational(function: Callable, model: Model, values: Mapping, sizes: dict, **kwargs: object) -> object:
    """Route a model with individual dissipators to a permutation-invariant solver (``N=``):
    ``function(model, values, N, **kwargs)``; ModelError when ``N`` is missing or other sizes are given."""
    N = sizes.pop("N", None)
    if N is None:
        raise ModelError(f"model {model.name!r} has individual dissipators: give the number of atoms N=")
    if sizes:
        raise ModelError(f"unexpected sizes {sorted(sizes)} for model {model.name!r}")
    return function(model, values, N, **kwargs)


def qudit_levels(model: Model) -> int | None:
    """``d`` when the model is one ensemble of d-level atoms written with level generators or with
    ``d > 2`` (solved in the qudit representation, :mod:`numeric.pi.qudits`), else None."""
    subs = model.subsystems
    if len(subs) == 1 and isinstance(subs[0], Atoms) and (subs[0].d != 2 or subs[0].levels):
        return int(subs[0].d)
    return None


def to_qudits(model: Model, values: Mapping, sizes: dict, d: int | None = None, tol: float | None = None,
              max_memory: int | float | str | None = None) -> qudits.QuditState:
    """Route one ensemble of N d-level atoms to the qudit solver: :func:`numeric.pi.qudits.from_model`
    then :func:`numeric.pi.qudits.solve_qudits`; ModelError when ``N`` is missing, other sizes are
    given, or ``d`` is not the model's number of levels."""
    N = sizes.pop("N", None)
    if N is None:
        raise ModelError(f"model {model.name!r}: the qudit representation needs the number of atoms N=")
    if sizes:
        raise ModelError(f"unexpected sizes {sorted(sizes)} for model {model.name!r}")
    ql = qudits.from_model(model, values, N, max_memory=max_memory)
    if d is not None and check_d(d) != ql.d:
        raise ModelError(f"d={d!r}, but model {model.name!r} has {ql.d}-level atoms")
    return qudits.solve_qudits(ql, tol)


def project_initial(A: sps.spmatrix, x0: np.ndarray, scale: float, perm: np.ndarray | None = None,
                    what: str = "steady_state(rho0=...)") -> tuple:
    r"""``(x_inf, info)``: :math:`x_\infty = P_0 x_0`, the projection of ``x0`` onto the kernel of the
    Liouvillian ``A`` (full space) along its range.

    With bases :math:`R` of the right kernel and :math:`W` of the left kernel (the conserved quantities,
    :math:`W^\dagger A = 0`; :func:`numeric.solvers.uniqueness.kernel_bases`),
    :math:`x_\infty = R\,(W^\dagger R)^{-1} W^\dagger x_0`; refused when :math:`W^\dagger R` is
    ill-conditioned (condition above :math:`10^8`: the eigenvalue 0 not resolved as semisimple)."""
    try:
        R, W, info = kernel_bases(A, scale, perm)
    except SolverError as exc:
        raise SolverError(f"{what}: {exc}") from None
    m = R.shape[1]
    if m == 0:
        raise SolverError(f"{what}: the Liouvillian has no kernel (smallest eigenvalue {info['next_eigenvalue']:.1e} "
                          "relative to its norm): no steady state")
    M = W.conj().T @ R
    cond = float(np.linalg.cond(M))
    info["biorthogonal_condition"] = cond
    if not cond <= 1e8:
        raise SolverError(f"{what}: the left and right kernels of the Liouvillian are nearly orthogonal "
                          f"(condition {cond:.1e}): the projection onto the kernel is not resolved in float64")
    x = R @ np.linalg.solve(M, W.conj().T @ x0)
    return x, info


def _full_real_form(Lvec, rep) -> tuple:
    """``(rf, A, perm)``: the real form on ALL Hermitian matrices (no U(1) sector, no parity) and its
    fill-reducing ordering (METIS for several subsystems, else geometric nested dissection)."""
    rf = real_form(Lvec, rep, keep_pairs=None, use_symmetries=False)
    A = rf.A
    perm = metis_nested_dissection(A, A.shape[0] - 1) if len(rep.dims) > 1 else None
    if perm is None:
        perm = nested_dissection(A, _grid_coordinates(rf, rep), A.shape[0] - 1, leaf=96)
    return rf, A, perm




def _check_full_kernel(system: SteadySystem, info: dict) -> None:
    r"""Stationary states outside the sector solved for (e.g. H = w Sx, jump Sx at S = 1/2: the
    even-parity sector holds only 1/2, the full kernel is spanned by 1 and Sx).  When the solve used a
    U(1) sector or a parity and the full space has at most :data:`FULL_CHECK_MAX` Hermitian
    coordinates, the kernel dimension on the full space (:func:`numeric.solvers.uniqueness.kernel_bases`) must
    be 1, else :func:`numeric.solvers.uniqueness.not_unique`.  Larger systems: not checked (``info['full_kernel']``
    says so)."""
    d = system.rep.dim
    if not (system.rf.symmetries or system.charges):
        info["full_kernel"] = "the sector solved for is the full space"
        return
    if d * d > FULL_CHECK_MAX:
        info["full_kernel"] = f"not checked (d^2 = {d * d} > {FULL_CHECK_MAX})"
        return
    _, A, perm = _full_real_form(superop(system.H, system.jumps), system.rep)
    scale = float(abs(A).sum(axis=1).max()) if A.nnz else 1.0
    _, _, kinfo = kernel_bases(A, scale, perm, zero=FULL_CHECK_ZERO, resolve=0.0)
    info["full_kernel"] = kinfo["kernel_dim"]
    if kinfo["kernel_dim"] > 1:
        raise not_unique("steady_state", cause="stationary states outside the symmetry sector solved for (a symmetry "
                         "shared by H and every jump that is not a U(1) charge, or coherences between sectors)",
                         nullity=kinfo["kernel_dim"] - 1)


def _steady_from_initial(model: Model, values: Mapping, rho0, S, truncation, tol, truncation_tol, max_memory,
                         sizes: dict):
    r"""The collective steady state reached from ``rho0`` (see :func:`steady_state`): the full
    Liouvillian on all Hermitian matrices in real coordinates (:func:`numeric.core.liouvillian.real_form`
    without sector or parity restriction, :math:`d^2` unknowns), :func:`project_initial`."""
    t0 = time.perf_counter()
    rep, vals = setup(model, values, S, truncation, **sizes)
    H, jumps = hamiltonian_and_jumps(model, rep, vals)
    d = rep.dim
    K = abs(H)
    for _, L in jumps:
        K = K + abs(L.conj().T @ L)
    # every Hermitian coordinate, no parity sector: n = d^2 (sector_pairs / 2 = 2 d^2 / 2); plus the
    # dense SVD of kernel_bases (small systems) or its blocks of vectors (40 vectors of length d^2 counted:
    # a kernel of dimension 16; a larger kernel doubles the blocks)
    extra = 5 * 8.0 * d ** 4 if d * d <= 256 else 40 * 16.0 * d * d
    est = resources.estimate_collective(d, K.nnz, [L.nnz for _, L in jumps], sector_pairs=2 * d * d,
                                        n_subsystems=1, nnz_diag_K=int((K.diagonal() != 0).sum()))
    est.bytes += extra
    resources.check(est, max_memory, "steady_state(rho0=...)")
    Lvec = superop(H, jumps)
    norm_L = float(abs(Lvec).sum(axis=1).max()) if Lvec.nnz else 1.0
    space = LiouvilleSpace(model, "collective", Lvec, vals, rep=rep, H=H, jumps=jumps)
    v0 = space.vector(rho0)
    rf, A, perm = _full_real_form(Lvec, rep)
    x0 = rf.from_rho(v0.reshape(d, d, order="F"))
    est = resources.estimate_collective(d, 0, (), n=A.shape[0], nnz_A=A.nnz)
    est.bytes += extra
    est = resources.check(est, max_memory, "steady_state(rho0=...)")
    scale = float(abs(A).sum(axis=1).max()) if A.nnz else 1.0
    x, kinfo = project_initial(A, x0, scale, perm)
    rho = rf.to_rho(x)
    tr = np.trace(rho).real
    if not abs(tr - 1) <= 1e-8:  # the trace is a conserved quantity: P0 keeps Tr rho0 = 1
        raise SolverError(f"steady_state(rho0=...): the projection changed the trace to {tr:.12g}")
    rho = rho / tr
    res = float(np.linalg.norm(Lvec @ rho.reshape(-1, order="F")))
    limit = tol if tol is not None else 1e-10 * norm_L
    low = float(np.linalg.eigvalsh(rho).min())
    info = {"method": "projection onto the kernel (rho0=)", "unknowns": A.shape[0], "dim": d,
            "resources": est.as_dict(), "residual": res, "relative_residual": res / (norm_L * np.linalg.norm(rho)),
            "tol": limit, "min_eigenvalue": low, **kinfo}
    if not res <= limit:
        raise SolverError(f"steady_state(rho0=...): residual ||L rho|| = {res:.2e} > tol = {limit:.2e}")
    if not low >= -1e-10:
        raise SolverError(f"steady_state(rho0=...): the projected state has eigenvalue {low:.2e} < 0 "
                          "(not positive semidefinite)")
    state = State(model, rep, rho, vals, residual=res, info=info)
    truncation_check(state, np.diag(rho).real, truncation_tol)  # uses .rep only
    state.info["time"] = time.perf_counter() - t0
    return state


def steady_from_initial_pi(model: Model, values: Mapping, N: int, rho0: object, tol: float | None,
                           max_memory: int | float | str | None) -> PIState:
    r"""The permutation-invariant steady state reached from ``rho0`` (``steady_state(model, values,
    N=..., rho0=...)``): the complex Liouvillian on all weighted blocks (no symmetry sector),
    :func:`project_initial`.  Here rather than in :mod:`numeric.pi.permutational`, which
    :mod:`numeric.dynamics.evolve` (the parser of ``rho0``) imports."""
    t0 = time.perf_counter()
    resources.check(resources.estimate_permutational(N), max_memory, "steady_state_pi(rho0=...)")
    pl = PILiouvillian(model, values, N)
    b = pl.basis
    L = pl.L.tocsr()
    # complex unknowns counted as 2x2 real blocks (conservative); the dense SVD of kernel_bases when small
    est = resources.estimate_permutational(N, n=2 * b.n, nnz_A=4 * L.nnz)
    est.bytes += 5 * 16.0 * b.n ** 2 if b.n <= 256 else 40 * 16.0 * b.n
    est = resources.check(est, max_memory, "steady_state_pi(rho0=...)")
    space = LiouvilleSpace(model, "pi", L, pl.vals, basis=b)
    x0 = space.vector(rho0)
    tm, tm2 = b.tj[b.blk] - 2 * b.a, b.tj[b.blk] - 2 * b.b
    coords = np.stack([b.tj[b.blk], tm + tm2, tm - tm2], axis=1).astype(np.int64)
    perm = nested_dissection(L, coords, b.n - 1)
    x, kinfo = project_initial(L, x0, pl.scale, perm, "steady_state_pi(rho0=...)")
    tr = float((space.trace_row() @ x).real)
    if not abs(tr - 1) <= 1e-8:  # the trace is a conserved quantity: P0 keeps Tr rho0 = 1
        raise SolverError(f"steady_state_pi(rho0=...): the projection changed the trace to {tr:.12g}")
    x = x / tr
    blocks = b.blocks(x)
    herm = max(float(np.abs(B - B.conj().T).max()) for B in blocks)
    low = min(float(np.linalg.eigvalsh((B + B.conj().T) / 2).min()) for B in blocks)
    x = b.vector([(B + B.conj().T) / 2 for B in blocks])
    res = float(np.linalg.norm(L @ x))
    limit = tol if tol is not None else 1e-10 * pl.scale
    info = {"method": "projection onto the kernel (rho0=)", "complex_unknowns": b.n, "resources": est.as_dict(),
            "residual": res, "tol": limit, "min_eigenvalue": low, "hermiticity_error": herm, **kinfo}
    if not res <= limit:
        raise SolverError(f"steady_state_pi(rho0=...): residual ||L rho|| = {res:.2e} > tol = {limit:.2e}")
    if not herm <= 1e-10 or not low >= -1e-10:
        raise SolverError(f"steady_state_pi(rho0=...): the projected state is not a density matrix (Hermiticity "
                          f"error {herm:.1e}, smallest eigenvalue {low:.1e})")
    info["time"] = time.perf_counter() - t0
    return PIState(model, pl.N, x, pl.vals, residual=res, info=info)


def steady_state(model: Model, values: Mapping, S: float | str | Fraction | None = None,
                 truncation: int | Mapping | None = None, dps: int | None = None, tol: float | None = None,
                 truncation_tol: float = 1e-6, max_memory: int | float | str | None = None, rho0: object = None,
                 d: int | None = None, **sizes: int) -> StateLike:
    r"""The steady state :math:`\mathcal L\rho = 0`, :math:`\mathrm{Tr}\rho = 1` of a model.

    Lindblad convention of QuTiP (hbar = 1; a rate multiplies :math:`\mathcal D[L]` without
    factor 2, see docs/ARCHITECTURE.md).  For ``crf`` this is the state of seed 000, eq. (10).

    Parameters
    ----------
    model : analytic.model.Model
        Model with collective dissipators (``crf``, ``gain_loss_dimer``, ``open_dicke``, ``kerr``...).
    values : mapping
        ``{parameter name: number}``, parsed by :func:`analytic.values.parse_values`: strings
        (``'1.8'`` is 9/5), ints, Fractions, SymPy and mpmath numbers are exact; a float is its
        binary value (with ``dps`` a float like 0.6 gets a :class:`numeric.PrecisionWarning`);
        a complex value for a real parameter is a ModelError.
    S : int or half-integer, optional
        Spin length.
    truncation : int or mapping, optional
        Fock dimension of the modes.
    dps : int, optional
        Decimal digits of an arbitrary-precision solve (mixed-precision iterative refinement,
        :mod:`numeric.solvers.precision`).  ``None``: float64.
    tol : float, optional
        Largest accepted residual :math:`\|\mathcal L\,\mathrm{vec}\rho\|_2`.  Default
        :math:`10^{-10}\|\mathcal L\|_\infty` (float64) or :math:`10^{-dps+1}\|\mathcal L\|_\infty`.
    truncation_tol : float
        Largest accepted population of the top Fock level of each mode.
    max_memory : int, float or str, optional
        Largest estimated peak memory in bytes (or ``'500MB'``, ``'2GiB'``); default 80% of the
        memory available now.  The estimate (:mod:`numeric.core.resources`: sizes and the measured fill
        of the ordering) is made before the Liouvillian is built and again before the LU; above the
        limit the call raises :class:`numeric.core.resources.ResourceError` (a ``ModelError``) with the
        estimate and the limit.  ``info['resources']`` holds the estimate.
    rho0 : State, ket or density matrix, optional
        An initial state (anything :func:`numeric.dynamics.evolve` accepts, parsed by
        :meth:`numeric.dynamics.evolve.LiouvilleSpace.vector`).  Then the result is the steady state reached
        from it, :math:`\rho_\infty = \lim_{T\to\infty} T^{-1}\int_0^T e^{\mathcal L t}\rho_0\,dt
        = P_0\rho_0`, the projection onto the kernel of :math:`\mathcal L` along its range: with bases
        :math:`R_i` of the kernel and :math:`J_j` of the conserved quantities
        (:math:`\mathrm{Tr}(J_j^\dagger\mathcal L X) = 0` for all X),
        :math:`\rho_\infty = \sum_{ij} R_i (M^{-1})_{ij}\mathrm{Tr}(J_j^\dagger\rho_0)`,
        :math:`M_{ji} = \mathrm{Tr}(J_j^\dagger R_i)` (:func:`project_initial`).  It equals
        :math:`\lim_{t\to\infty} e^{\mathcal L t}\rho_0` when :math:`\mathcal L` has no other
        purely imaginary eigenvalue (no stationary oscillation).  The kernel is computed on the FULL
        Liouville space (all Hermitian matrices, :math:`d^2` real unknowns, no symmetry sector:
        stationary coherences between sectors are included) by
        :func:`numeric.solvers.uniqueness.kernel_bases` (dense SVD for :math:`d^2 \le 256`, else block inverse
        iteration with one SuperLU factorisation of :math:`\mathcal L - \sigma`, :math:`\sigma > 0`
        small); memory is estimated before.  This is the
        way out of a non-unique steady state; for a unique one it returns that state.  The result is
        checked (trace 1, Hermitian, positive semidefinite, residual below ``tol``); ``info`` holds
        ``kernel_dim``, ``next_eigenvalue``, ``biorthogonal_condition``.  float64 only: with ``dps``
        it raises NotImplementedError.
    d : int, optional
        Levels per atom: solve one ensemble of ``N=`` atoms in the qudit representation
        (:mod:`numeric.pi.qudits`, float64 only; the dense :math:`d^N` density matrix is then available
        for small N).  ``d`` must be the model's number of levels (``d=2`` for a qubit model).  Without
        ``d``, a model of d-level atoms (``d > 2`` or level generators, e.g. ``lmg(d=3)``) goes there
        too.
    **sizes
        Other sizes (``D=`` for ``kerr``; ``N=`` for models with individual dissipators, which
        are solved in the permutation-invariant representation, :mod:`numeric.pi.permutational`,
        and for d-level ensembles).

    Returns
    -------
    numeric.states.state.StateLike
        :class:`numeric.states.observables.State` (collective models), :class:`numeric.pi.state.PIState`
        (``N=``, qubits) or :class:`numeric.pi.qudit_state.QuditState` (``N=`` with ``d=`` or d-level
        atoms): one interface.  With ``residual`` and ``info`` (``residual``, ``relative_residual``,
        ``condition`` (1-norm estimate of the real-form system), ``unknowns``, ``symmetries``,
        ``method``, ``time``).

    Raises
    ------
    analytic.model.ModelError
        Bad input (missing/unknown parameter, negative rate, invalid ``S``, ``truncation`` too
        small, invalid ``dps`` or ``tol``); its subclass :class:`numeric.core.resources.ResourceError`:
        estimated memory above ``max_memory``, or ``dps`` above ``numeric.core.resources.DPS_MAX``.
    SolverError
        The residual is above ``tol`` (the message says which ``dps`` would help), or the steady
        state is not unique (:mod:`numeric.solvers.uniqueness`: no dissipation, a charge conserved by every
        jump, or a singular trace-row system; for small systems, d^2 <= FULL_CHECK_MAX, also a kernel
        outside the symmetry sector solved for; the message names the kernel dimension and the way
        out, ``rho0=``).
    NotImplementedError
        ``rho0`` together with ``dps`` (the projection is float64 only); ``dps`` or ``rho0`` for d-level
        atoms (the qudit solver is float64 only).
    """
    individual = model.has_individual_terms()
    if d is not None or qudit_levels(model) is not None:
        if dps is not None or rho0 is not None:
            raise NotImplementedError("steady_state(..., N=) of d-level atoms (numeric.pi.qudits) is float64 only and "
                                      "takes no rho0; pass dps=None, rho0=None")
        return to_qudits(model, values, sizes, d=d, tol=check_tol(tol), max_memory=max_memory)
    if rho0 is not None:
        dps, tol = check_dps(dps), check_tol(tol)
        if dps is not None:
            raise NotImplementedError(f"{'steady_state_pi' if individual else 'steady_state'}(rho0=..., dps={dps}): "
                                      "the projection onto the kernel is computed in float64 only; pass dps=None")
        if individual:
            return to_permutational(steady_from_initial_pi, model, values, sizes, rho0=rho0, tol=tol,
                                    max_memory=max_memory)
        return _steady_from_initial(model, values, rho0, S, truncation, tol, truncation_tol, max_memory, sizes)
    if individual:
        return to_permutational(solve_pi, model, values, sizes, dps=dps, tol=tol, max_memory=max_memory)
    dps = check_dps(dps)
    tol = check_tol(tol)
    t0 = time.perf_counter()
    system = SteadySystem(model, values, S, truncation, max_memory=max_memory, dps=dps, **sizes)
    info = {"unknowns": system.n, "dim": system.rep.dim, "symmetries": list(system.rf.symmetries),
            "resources": system.resources.as_dict(),
            "u1_charges": [(c.tolist(), q) for c, q in system.charges]}
    _check_structure(system)
    if dps is not None:
        factors, err = None, None
        # the system's own LU, then SuperLU with full partial pivoting (as the float64 path)
        for thresh, ordering in ((0.01, None), PIVOTED):
            try:
                factors = system.factorize(thresh, ordering)
                break
            except (RuntimeError, SolverError) as exc:  # an exactly zero pivot (or out of memory)
                err = exc
        if factors is None:
            if "singular" not in str(err):
                raise SolverError(f"steady_state(dps={dps}): the float64 LU preconditioner failed: {err}") from None
            raise not_unique("steady_state") from None
        W = _first_solves(system, factors[0])
        _check_full_kernel(system, info)
        rho_mp, pops, res, pinfo = solve_refined(system, dps, tol, factors=factors, first=W)
        info.update(pinfo)
        truncation_check(system, pops, truncation_tol)
        info["time"] = time.perf_counter() - t0
        return State(model, system.rep, rho_mp, system.vals, residual=res, dps=dps, info=info, exact_entries=True)

    limit = tol if tol is not None else 1e-10 * system.norm_L
    x, sinfo, checked = _solve_float(system, limit)
    info.update(sinfo)
    _check_full_kernel(system, info)
    if x is None or not np.all(np.isfinite(x)):
        raise SolverError(f"steady_state: the solver returned no finite solution "
                          f"(condition estimate {info.get('condition', float('nan')):.1e}); "
                          f"try dps={suggest_dps(info.get('condition'))}")
    rho, res = checked or _checked(system, x)
    rel = res / (system.norm_L * max(np.linalg.norm(rho), 1e-300))
    info.update(residual=res, relative_residual=rel)
    info["tol"] = limit
    if not res <= limit:
        raise SolverError(
            f"steady_state: float64 is not enough: residual ||L rho|| = {res:.2e} > tol = {limit:.2e} "
            f"(condition estimate {info.get('condition', float('nan')):.1e}); use "
            f"dps={suggest_dps(info.get('condition'))}")
    truncation_check(system, np.diag(rho).real, truncation_tol)
    info["time"] = time.perf_counter() - t0
    return State(model, system.rep, rho, system.vals, residual=res, info=info)
