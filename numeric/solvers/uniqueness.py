r"""Is the steady state unique?  The kernel dimension of a steady-state system, and the refusal.

Every steady-state solver writes :math:`\mathcal L\rho = 0,\ \mathrm{Tr}\rho = 1` as a square
system :math:`A x = b` (one population equation replaced by the trace row).  If the kernel of
:math:`\mathcal L` on the unknowns solved for has dimension :math:`m`, then :math:`A` has
nullity :math:`m - 1` (trace preservation makes the replaced row redundant), so the steady state
is unique exactly when :math:`A` is nonsingular.

Two checks:

* structural, before any factorisation (:func:`structural_cause`): no dissipator with a nonzero
  rate (every function of H is stationary: kernel dimension :math:`\ge` the number of distinct
  eigenvalues of H), or a U(1) charge conserved by H and by every jump (a strong symmetry:
  one steady state per charge value);
* numerical, with the LU factors the solver has anyway (:func:`kernel_probe`): one step of block
  inverse iteration from ``k`` random vectors, :math:`Q = \mathrm{orth}(A^{-1}R)`, and the
  singular values of the small matrix :math:`AQ`.  Since :math:`Q` is orthonormal,
  :math:`\sigma_i(AQ) \ge \sigma_{\min}(A)`, so a value below :math:`10^{-13}\|A\|_\infty` means that
  :math:`A` is singular to within float64 rounding, i.e. singular or so ill-conditioned (condition
  above :math:`10^{13}`) that float64 cannot tell.  Measured: singular systems give
  :math:`10^{-17}`; unique steady states :math:`3\cdot10^{-8}` (crf, S = 400, lambda = 1.5) and upwards.
  Cost: ``k`` triangular solves and ``k`` products with :math:`A` (about 5 % of a crf solve at
  S = 100 and S = 300).

The numerical check covers the unknowns solved for (for the collective solver the sector of
equal U(1) charges of ket and bra and the +1 sector of the parity symmetries).  Stationary states
outside that sector (e.g. H = w Sx with the jump Sx at S = 1/2: the even sector holds only 1/2, the
kernel is span(1, Sx)) are looked for by the collective solver on the full space with
:func:`kernel_bases` when it has at most ``FULL_CHECK_MAX`` = 256 Hermitian
coordinates; above, not (a sector's kernel dimension is reported as "at least").

The way out of a refusal, ``rho0=`` (:func:`numeric.solvers.steady.steady_state`,
``numeric.steady_state(..., N=...)``): :func:`kernel_bases` gives the right kernel and the
left kernel (conserved quantities) on the full space, and the state reached from rho0 is the
projection onto the one along the other.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import numpy as np
import scipy.linalg as sl
import sympy as sp
from numpy.typing import ArrayLike

from analytic.model import Model
from numeric.core.errors import SolverError

if TYPE_CHECKING:  # annotations only: scipy.sparse is imported where it is used
    import scipy.sparse as sps

#: ``x -> A x`` or ``b -> A^{-1} b`` on float vectors
LinearMap = Callable[[np.ndarray], np.ndarray]

__all__ = ["kernel_probe", "probe_vectors", "null_count", "structural_cause", "not_unique", "kernel_bases"]

THRESHOLD = 1e-13
FULL_CHECK_MAX = 256  # the plain solve checks the kernel on the full space up to this many unknowns (d <= 16: dense SVD)
# its kernel threshold (singular values relative to the norm): near kernel_probe's 1e-13, so that a unique but
# ill-conditioned state the sector solve accepts is not refused here (exact kernels give ~1e-16)
FULL_CHECK_ZERO = 1e-12


def probe_vectors(n: int, k: int = 3, seed: int = 17) -> np.ndarray:
    """The ``(n, k)`` random right-hand sides of :func:`kernel_probe` (standard normal, ``seed``)."""
    return np.random.default_rng(seed).standard_normal((k, n)).T


def kernel_probe(matvec: LinearMap, solve: LinearMap, n: int, scale: float, k: int = 3,
                 seed: int = 17, block: bool = False, Y: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    """``(count, s)``: ``s`` the singular values of :math:`AQ` relative to ``scale`` (ascending; upper
    bounds of the ``k`` smallest of ``A``), ``count`` how many are below ``THRESHOLD``.
    ``matvec(x) = A x``, ``solve(b) = A^{-1} b``, ``scale`` ~ ``||A||``; ``count == k`` means "at least k".
    ``block=True``: ``solve`` and ``matvec`` take all ``k`` columns at once (one sweep of the factors).
    ``Y``: :math:`A^{-1}` of :func:`probe_vectors` ``(n, k, seed)`` when the caller has solved them."""
    if n < 2:
        return 0, np.zeros(0)
    k = max(1, min(k, n - 1))
    with np.errstate(all="ignore"):
        if Y is None:
            R = probe_vectors(n, k, seed)
            Y = solve(R) if block else np.column_stack([solve(R[:, i]) for i in range(k)])
        elif Y.ndim != 2 or Y.shape[0] != n or Y.shape[1] < k:
            raise ValueError(f"kernel_probe: Y has shape {Y.shape}, expected ({n}, >= {k})")
        else:
            Y = Y[:, :k]  # k clamped to n - 1: the first k probe vectors (the same draws)
        if not np.all(np.isfinite(Y)):
            return k, np.zeros(k)
        # SciPy on a Fortran copy: numpy's qr of a tall C-ordered (n, 3) array cost 10x (0.5 s at n = 2e6)
        Q, _ = sl.qr(np.asfortranarray(Y), mode="economic", check_finite=False)
        B = matvec(Q) if block else np.column_stack([matvec(Q[:, i]) for i in range(k)])
    s = np.sort(np.linalg.svd(B, compute_uv=False)) / scale
    return int(np.sum(s <= THRESHOLD)), s


def null_count(matvec: LinearMap, solve: LinearMap, n: int, scale: float, k: int = 3, seed: int = 17) -> int:
    """How many of the ``k`` smallest singular values of ``A`` are below ``THRESHOLD * scale``
    (:func:`kernel_probe`)."""
    return kernel_probe(matvec, solve, n, scale, k, seed)[0]


def structural_cause(model: Model, vals: Mapping, rates: Sequence[complex | float | sp.Expr],
                     charges: Sequence[tuple[np.ndarray, Sequence[int]]]) -> tuple[str, int | None] | None:
    """``(cause, kernel dimension lower bound or None)`` when the structure of the model forbids
    a unique steady state, else None.  ``rates``: the dissipator rates at the values (numbers);
    ``charges``: :func:`numeric.core.liouvillian.u1_charges` at the values."""
    if not any(abs(complex(r)) > 0 for r in rates):
        names = ", ".join(f"{d.rate} = {complex(sp.sympify(d.rate).subs(vals)).real:g}" for d in model.dissipators) or "none"
        return (f"no dissipation: every dissipator rate is zero at these values (rates {names}); with no "
                "dissipation every function of H is stationary", None)
    for c, q in charges:
        if all(qi == 0 for qi in q):
            return (f"the charge Q = {_charge_text(model, c)} is conserved by H and by every jump (a strong "
                    "symmetry): there is one steady state for each value of Q", None)
    return None


def _charge_text(model, c) -> str:
    parts = []
    for ck, sub in zip(c, model.subsystems):
        if ck == 0:
            continue
        z = f"Sz{'_' + sub.name if sub.name else ''}" if sub.kind in ("spin", "atoms") else \
            f"ad{'_' + sub.name if sub.name else ''}*a{'_' + sub.name if sub.name else ''}"
        parts.append(f"{int(ck)}*{z}" if ck != 1 else z)
    return " + ".join(parts) or "0"


def not_unique(solver: str, cause: str | None = None, nullity: int | None = None, k: int | None = None,
               svals: ArrayLike | None = None, rho0: bool = True) -> SolverError:
    """The SolverError for a steady state that is not unique: the kernel dimension (``nullity + 1``
    of the trace-row system, "at least" when every probe was null), the likely cause and the way out
    (``rho0=``: the steady state reached from an initial state; ``rho0=False`` for a solver without it)."""
    if nullity is not None:
        dim = f"{'at least ' if k is not None and nullity >= k else ''}{nullity + 1}"
        found = f"the kernel of the Liouvillian has dimension {dim}"
        if svals is not None and len(svals):
            found += (" (smallest singular values of the trace-row system relative to its norm: "
                      + ", ".join(f"{v:.1e}" for v in svals) + f"; below {THRESHOLD:.0e} counts as zero)")
    else:
        found = "the kernel of the Liouvillian has dimension > 1"
    cause = cause or ("a conserved quantity (a symmetry shared by H and every jump operator, e.g. exchanging two "
                      "identical subsystems) or parts of the model that do not exchange population; or, with one "
                      "singular value near 1e-15 and the next far above it, a Liouvillian gap below float64 "
                      "resolution (metastable states, e.g. near a first-order transition at large N), whose "
                      "weights a float64 solve cannot fix")
    return SolverError(
        f"{solver}: the steady state is not unique: {found}; likely cause: {cause}.  Any mixture of the "
        "stationary states would be an answer, so none is returned.  Way out: "
        + (f"pass rho0= (an initial state: {solver}(model, values, ..., rho0=rho0) returns the steady state reached "
           "from it, the projection onto the kernel along the conserved quantities), or " if rho0 else "")
        + "a model restricted to one symmetry sector (or with a small term that breaks the symmetry / adds the "
        "missing dissipation)")


def kernel_bases(A: sps.spmatrix, scale: float, perm: ArrayLike | None = None, *, dense_max: int = 256,
                 zero: float = 1e-10, resolve: float = 1e-8, kmax: int = 256, iterations: int = 4,
                 seed: int = 17) -> tuple[np.ndarray, np.ndarray, dict]:
    r"""``(R, W, info)``: bases of the right kernel (:math:`AR = 0`) and of the left kernel
    (:math:`W^\dagger A = 0`) of a Liouvillian ``A`` (sparse, real or complex, on the FULL space).

    Small systems (``n <= dense_max``): the singular value decomposition of the dense matrix, kernel =
    singular values :math:`\le` ``zero * scale``.  Larger ones: block inverse iteration with one
    SuperLU factorisation of :math:`A - \sigma`, :math:`\sigma = 10^{-6}\,\mathrm{scale} > 0` (ordered
    by ``perm``), for both kernels (``trans`` solves): ``k`` random vectors, ``iterations`` steps
    (each shrinks the components off the kernel by :math:`\sigma/|\lambda|`), then the singular
    values of the small matrix :math:`AQ` as in :func:`kernel_probe`; kernel = singular values
    :math:`\le` ``zero * scale``, and ``k`` is doubled (up to ``kmax``) while every vector is in the
    kernel.  (A block method because a Krylov method such as ARPACK, started from one vector, misses
    copies of a degenerate eigenvalue: measured, 7 of the 19 of a dephased spin 9.)  A Lindbladian
    has no eigenvalue with positive real part, so :math:`A - \sigma` is nonsingular, and its
    eigenvalue 0 is semisimple (:math:`e^{\mathcal L t}` is bounded), so the two kernels have the
    same dimension.

    Refused (:class:`SolverError`): a singular value between ``zero * scale`` and ``resolve * scale``
    (float64 cannot tell a stationary state from a slow one), right and left kernels of different
    dimension, a kernel larger than ``kmax``, or kernel vectors whose residual is above
    ``100 * zero * scale``.  ``info``: ``kernel_dim``, ``method``, ``next_eigenvalue`` (relative: the
    smallest singular value above the kernel, of :math:`A` (dense) or of :math:`AQ`)."""
    import scipy.sparse as sps
    import scipy.sparse.linalg as spla

    n = A.shape[0]
    real = not np.iscomplexobj(A.data)
    if n <= dense_max:
        U, s, Vh = np.linalg.svd(A.toarray())
        z = s <= zero * scale
        rest = s[~z] / scale
        R, W = Vh[z].conj().T, U[:, z]
        info = {"method": "dense SVD", "kernel_dim": int(z.sum()),
                "next_eigenvalue": float(rest.min()) if len(rest) else float("inf")}
    else:
        sigma = 1e-6 * scale
        p = np.arange(n) if perm is None else np.asarray(perm)
        B = (A - sigma * sps.identity(n, dtype=A.dtype, format="csr")).tocsr()[p][:, p].tocsc()
        lu = spla.splu(B, permc_spec="NATURAL" if perm is not None else "COLAMD")

        def solve(X, trans):
            Y = lu.solve(np.ascontiguousarray(X[p]), trans=trans)
            out = np.empty_like(Y)
            out[p] = Y
            return out

        rng = np.random.default_rng(seed)
        k = min(8, n)
        while True:
            R, sR = _block_kernel(A, lambda X: solve(X, "N"), rng, k, iterations, real)
            W, sW = _block_kernel(A.conj().T.tocsr(), lambda X: solve(X, "H"), rng, k, iterations, real)
            m, mT = int(np.sum(sR <= zero * scale)), int(np.sum(sW <= zero * scale))
            if max(m, mT) == k and k < min(kmax, n):
                k = min(2 * k, kmax, n)
                continue
            break
        if m == k:
            raise SolverError(f"the kernel of the Liouvillian has dimension at least {k}: too large for the "
                              "projection onto it; use numeric.evolve(model, values, rho0, times) to long times")
        if m != mT:
            raise SolverError(f"the right kernel of the Liouvillian has dimension {m} and the left kernel "
                              f"{mT}: the eigenvalue 0 is not resolved in float64")
        R, W = R[:, :m], W[:, :m]
        rest = np.concatenate([sR[m:], sW[mT:]]) / scale
        info = {"method": f"block inverse iteration (sigma = {sigma:.1e}, {k} vectors, {iterations} steps)",
                "kernel_dim": m, "next_eigenvalue": float(rest.min())}
    m = info["kernel_dim"]
    if info["next_eigenvalue"] <= resolve:
        raise SolverError(
            f"the Liouvillian has an eigenvalue (or singular value) of modulus {info['next_eigenvalue']:.1e} "
            f"relative to its norm, between the kernel threshold {zero:.0e} and {resolve:.0e}: float64 cannot "
            "tell a stationary state from a slowly decaying one; use numeric.evolve(model, values, rho0, times)")
    if m:
        rr = np.linalg.norm(A @ R) / scale
        rl = np.linalg.norm(A.conj().T @ W) / scale
        if not max(rr, rl) <= 100 * zero:
            raise SolverError(f"the kernel vectors of the Liouvillian have residual {max(rr, rl):.1e} (relative): "
                              "the kernel is not resolved in float64")
        info["kernel_residual"] = float(max(rr, rl))
    return R, W, info


def _block_kernel(A, solve, rng, k: int, iterations: int, real: bool) -> tuple:
    """``(Q, s)``: ``k`` random vectors through ``iterations`` steps of inverse iteration ``solve``
    (orthonormalised after each), rotated to the right singular vectors of :math:`AQ`, whose singular
    values ``s`` (ascending) measure how far each column is from the kernel."""
    n = A.shape[0]
    X = rng.standard_normal((n, k))
    if not real:
        X = X + 1j * rng.standard_normal((n, k))
    for _ in range(iterations):
        X = np.linalg.qr(solve(X))[0]
    _, s, Vh = np.linalg.svd(A @ X, full_matrices=False)
    order = np.argsort(s)
    return X @ Vh.conj().T[:, order], s[order]
