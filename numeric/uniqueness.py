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
* numerical, with the LU factors the solver has anyway (:func:`null_count`): one step of block
  inverse iteration from ``k`` random vectors, :math:`Q = \mathrm{orth}(A^{-1}R)`, and the
  singular values of the small matrix :math:`AQ`.  Since :math:`Q` is orthonormal,
  :math:`\sigma_i(AQ) \ge \sigma_{\min}(A)`: a value below :math:`10^{-12}\|A\|_\infty` proves that
  :math:`A` is singular to float64 rounding (a singular system gives :math:`\sim10^{-17}`; unique
  steady states measured from :math:`10^{-8}` (crf, S = 400, lambda = 1.5) upwards).  Cost: ``k``
  triangular solves and ``k`` products with :math:`A`.

The numerical check covers the unknowns solved for (for the collective solver the sector of
equal U(1) charges of ket and bra and the +1 sector of the parity symmetries); stationary
coherences between symmetry sectors are not looked for.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .errors import SolverError

__all__ = ["null_count", "structural_cause", "not_unique"]

THRESHOLD = 1e-12


def null_count(matvec, solve, n: int, scale: float, k: int = 3, seed: int = 17) -> int:
    """How many of the ``k`` smallest singular values of ``A`` are below ``THRESHOLD * scale``
    (``matvec(x) = A x``, ``solve(b) = A^{-1} b``, ``scale`` ~ ``||A||``).  ``k`` means "at least k"."""
    k = max(1, min(k, n - 1))
    if n < 2:
        return 0
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        Y = np.column_stack([solve(rng.standard_normal(n)) for _ in range(k)])
        if not np.all(np.isfinite(Y)):
            return k
        Q, _ = np.linalg.qr(Y)
        B = np.column_stack([matvec(Q[:, i]) for i in range(k)])
    s = np.linalg.svd(B, compute_uv=False)
    return int(np.sum(s <= THRESHOLD * scale))


def structural_cause(model, vals, rates, charges) -> tuple | None:
    """``(cause, kernel dimension lower bound or None)`` when the structure of the model forbids
    a unique steady state, else None.  ``rates``: the dissipator rates at the values (numbers);
    ``charges``: :func:`numeric.liouvillian.u1_charges` at the values."""
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


def not_unique(solver: str, cause: str | None = None, nullity: int | None = None, k: int | None = None) -> SolverError:
    """The SolverError for a steady state that is not unique: the kernel dimension (``nullity + 1``
    of the trace-row system, "at least" when every probe was null), the likely cause and the way out."""
    if nullity is not None:
        dim = f"{'at least ' if k is not None and nullity >= k else ''}{nullity + 1}"
        found = f"the kernel of the Liouvillian has dimension {dim}"
    else:
        found = "the kernel of the Liouvillian has dimension > 1"
    cause = cause or ("a conserved quantity (a symmetry shared by H and every jump operator, e.g. exchanging two "
                      "identical subsystems) or parts of the model that do not exchange population")
    return SolverError(
        f"{solver}: the steady state is not unique: {found}; likely cause: {cause}.  Any mixture of the "
        "stationary states would be an answer, so none is returned.  Way out: the state reached from a given "
        "initial state (numeric.evolve(model, values, rho0, times, ...) to long times), or a model restricted to "
        "one symmetry sector (or with a small term that breaks the symmetry / adds the missing dissipation)")
