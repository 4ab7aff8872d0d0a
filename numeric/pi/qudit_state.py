"""QuditState: a permutation-invariant state of N d-level atoms and its observables (float64)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy as sp

from analytic.algebra import Atoms, Op
from analytic.model import Model, ModelError
from numeric.pi.qudit_basis import Builder, as_matrix, as_poly, op_poly, product_poly
from numeric.states.observables import as_operator, partial_transpose_on
from numeric.states.state import StateLike, squeezing_from_moments

__all__ = ["QuditState"]

_DENSE_CAP = 4096  # largest d**N for which the dense d^N x d^N density matrix is built


# =========================================================================== state
@lru_cache(maxsize=None)
def _spin_matrices(d: int) -> tuple:
    r"""Single-atom spin-j matrices :math:`(j_x, j_y, j_z, j_+, j_-)`, :math:`j = (d-1)/2`, in the level
    basis (level k is :math:`m = k - j`), from :meth:`analytic.algebra.Atoms.spin_matrix`."""
    atoms = Atoms("", sp.Symbol("N", positive=True), d)
    jp, jm, jz = (np.array(sp.N(atoms.spin_matrix(x)), dtype=complex) for x in ("p", "m", "z"))
    return (jp + jm) / 2, (jp - jm) / 2j, jz, jp, jm


@dataclass
class QuditState(StateLike):
    r"""A permutation-invariant state :math:`\rho = \sum_{\mathbf n} c_{\mathbf n}\hat S(\mathbf n)`.

    Implements :class:`numeric.states.state.StateLike` in float64 (``dps`` is None: the qudit solver has no
    arbitrary-precision path); the collective spin is :math:`\mathbf J = \sum_i \mathbf j^{(i)}` of
    the spin-j atoms, :math:`J_{\max} = Nj`.  Observables: :meth:`expect` of collective polynomials,
    :meth:`purity` :math:`\mathrm{Tr}\rho^2` (seed 001 Fig. 7), :meth:`negativity` (seed 001 eq. 17),
    :meth:`density_matrix` (the dense :math:`d^N\times d^N` matrix, small N only).
    """

    liouvillian: object  # the numeric.pi.qudits.QuditLiouvillian of the state (imported there: no cycle)
    c: np.ndarray
    residual: float | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        self.basis = self.liouvillian.basis
        self.c = np.asarray(self.c, dtype=complex)
        if self.c.shape != (self.basis.n,) or not np.all(np.isfinite(self.c)):
            raise ModelError(f"c must be {self.basis.n} finite coefficients, got shape {self.c.shape}")

    @property
    def model(self) -> Model | None:
        """The catalogue model (states of :func:`from_model`), else None."""
        return self.liouvillian.model

    @property
    def values(self) -> dict:
        """``{Symbol: value}`` of :func:`from_model` (empty for a Liouvillian built from matrices)."""
        return self.liouvillian.values

    def _as_poly(self, op) -> list:
        d = self.basis.d
        if isinstance(op, (str, Op)):
            model = self.liouvillian.model
            if model is None:
                raise ModelError("operator strings need a state built with from_model(); pass a d x d matrix "
                                 "(collective J[X]) or a polynomial [(c, (X1, ...)), ...]")
            return op_poly(as_operator(model, op), self.liouvillian.atoms, self.liouvillian.values, "op")
        if isinstance(op, np.ndarray) or (isinstance(op, list) and op and isinstance(op[0], list)):
            return [(1.0, (as_matrix(op, d, "op"),))]  # a single-atom matrix X: A = J[X]
        return as_poly(op, d, "op")

    def _tr(self, poly: list) -> complex:
        return complex(self.basis.trace @ (Builder(self.basis).left(poly) @ self.c))

    def expect(self, op: str | Op | np.ndarray | list) -> float | complex:
        r""":math:`\mathrm{Tr}(A\rho)` for a collective polynomial A: a :math:`d\times d` matrix X
        (:math:`A = J[X]`), a :data:`Poly`, or (states from :func:`from_model`) an operator string
        or :class:`~analytic.algebra.Op` of the model.  A float for a Hermitian operator string or
        Op, else complex."""
        v = self._tr(self._as_poly(op))
        if isinstance(op, (str, Op)):
            A = as_operator(self.model, op)
            if (A - A.dagger()).simplify().is_zero():
                return v.real
        return v

    def variance(self, op: str | Op | np.ndarray | list) -> float | complex:
        r""":math:`\langle A^2\rangle - \langle A\rangle^2` (A given as in :meth:`expect`)."""
        p = self._as_poly(op)
        m = self._tr(p)
        v = self._tr(product_poly(p, p)) - m * m
        return v.real if abs(v.imag) <= 1e-12 * max(1.0, abs(v)) else v

    def trace(self) -> float:
        r""":math:`\mathrm{Tr}\rho = \sum_{\mathbf n} c_{\mathbf n}\mathrm{Tr}\hat S(\mathbf n)`."""
        return float((self.basis.trace @ self.c).real)

    def purity(self) -> float:
        r""":math:`\mathrm{Tr}\rho^2 = \sum_{\mathbf n}|c_{\mathbf n}|^2` (orthonormal basis, Hermitian :math:`\rho`)."""
        return float(np.vdot(self.c, self.c).real)

    def populations(self) -> np.ndarray:
        r""":math:`P(M) = \mathrm{Tr}(\rho\,\Pi_M)` of the collective :math:`J_z = M`, for
        :math:`M = Nj, Nj-1, \dots, -Nj`: only :math:`\hat S(\mathbf n)` with diagonal modes alone
        have a diagonal, :math:`\mathrm{Tr}(\Pi_M\hat S(\mathbf n)) = \mathrm{Tr}\hat S(\mathbf n)` when
        :math:`\sum_a n_{aa}(a - j) = M` (0 otherwise)."""
        b = self.basis
        diag = np.arange(b.d) * (b.d + 1)  # modes |a><a|
        idx = b.occ[:, diag].astype(np.int64) @ (b.d - 1 - np.arange(b.d))  # Nj - M
        P = np.zeros(b.N * (b.d - 1) + 1)
        np.add.at(P, idx, (b.trace * self.c).real)
        return P

    def P(self, m: float) -> float:
        """Population of the collective :math:`J_z` eigenvalue m (:math:`Nj, Nj-1, \\dots, -Nj`)."""
        b = self.basis
        top = b.N * (b.d - 1) / 2
        i = top - float(m)
        if abs(i - round(i)) > 1e-12 or not 0 <= round(i) <= 2 * top:
            raise ModelError(f"m must be one of Nj, Nj-1, ..., -Nj (Nj={top}), got m={m!r}")
        return float(self.populations()[int(round(i))])

    def mean_spin(self) -> np.ndarray:
        r""":math:`(\langle J_x\rangle, \langle J_y\rangle, \langle J_z\rangle)`."""
        return np.array([self._tr([(1.0, (X,))]).real for X in _spin_matrices(self.basis.d)[:3]])

    def covariance(self) -> np.ndarray:
        r""":math:`C_{ab} = \langle\{J_a, J_b\}\rangle/2 - \langle J_a\rangle\langle J_b\rangle`."""
        J = _spin_matrices(self.basis.d)[:3]
        mean = self.mean_spin()
        C = np.zeros((3, 3))
        for a in range(3):
            for b in range(a, 3):
                s = self._tr([(0.5, (J[a], J[b])), (0.5, (J[b], J[a]))]).real
                C[a, b] = C[b, a] = s - mean[a] * mean[b]
        return C

    def casimir(self) -> float:
        r""":math:`\langle J_x^2 + J_y^2 + J_z^2\rangle` (:math:`Nj(Nj+1)` in the fully symmetric irrep)."""
        return float(self._tr([(1.0, (X, X)) for X in _spin_matrices(self.basis.d)[:3]]).real)

    def g2(self) -> float:
        r""":math:`g^{(2)}(0) = \langle J_+J_+J_-J_-\rangle/\langle J_+J_-\rangle^2`; ModelError when
        :math:`\langle J_+J_-\rangle` vanishes (to 1e-12 Nj)."""
        *_, jp, jm = _spin_matrices(self.basis.d)
        den = self._tr([(1.0, (jp, jm))]).real
        if abs(den) <= 1e-12 * self.basis.N * (self.basis.d - 1) / 2:
            raise ModelError(f"g2 is undefined: <J+ J-> = {den:.3g} vanishes")
        return float(self._tr([(1.0, (jp, jp, jm, jm))]).real / den ** 2)

    def squeezing(self, axis: str | None = None) -> float:
        r"""Spin squeezing of :math:`\mathbf J` (:func:`numeric.states.state.squeezing_from_moments` with
        :math:`2J_{\max} = N(d-1)`): Wineland :math:`\xi^2` for ``axis=None``, else along 'x', 'y', 'z'."""
        return squeezing_from_moments(self.mean_spin(), self.covariance(), self.basis.N * (self.basis.d - 1), axis)

    def density_matrix(self) -> np.ndarray:
        r"""Dense :math:`\rho` on :math:`(\mathbb C^d)^{\otimes N}` (atom 1 slowest index), for
        :math:`d^N \le 4096`: entry :math:`(a_1..a_N; b_1..b_N)` is
        :math:`c_{\mathbf n}(N!/\prod n_\alpha!)^{-1/2}`, :math:`\mathbf n` the occupations of the
        modes :math:`(a_i, b_i)`."""
        b = self.basis
        D = b.d ** b.N
        if D > _DENSE_CAP:
            raise ModelError(f"density_matrix: d**N = {D} exceeds {_DENSE_CAP} (N={b.N}, d={b.d})")
        modes = np.indices((b.K,) * b.N).reshape(b.N, -1).T  # (K^N, N): mode of each atom
        occ = np.zeros((len(modes), b.K), dtype=np.int64)
        for i in range(b.N):
            occ[np.arange(len(modes)), modes[:, i]] += 1
        val = self.c[b.rank(occ)] / np.sqrt(b.multinomial(occ))
        a, bb = np.divmod(modes, b.d)
        w = b.d ** np.arange(b.N - 1, -1, -1)
        rho = np.zeros((D, D), dtype=complex)
        rho[a @ w, bb @ w] = val
        return rho

    def negativity(self, NA: int | None = None) -> float:
        r"""Bipartite negativity (seed 001 eq. 17) :math:`\sum_{\lambda<0}|\lambda|` of
        :math:`\rho^{T_B}`, partition into :math:`N_A` (default :math:`\lceil N/2\rceil`) and
        :math:`N_B = N - N_A` atoms (any such partition: :math:`\rho` is permutation invariant).
        Uses the dense matrix (:math:`d^N\le 4096`)."""
        N, d = self.basis.N, self.basis.d
        NA = (N + 1) // 2 if NA is None else NA
        if isinstance(NA, bool) or not isinstance(NA, (int, np.integer)) or not 1 <= NA < N:
            raise ModelError(f"NA must be an integer in 1..N-1 = {N - 1}, got NA={NA!r}")
        dA, dB = d ** NA, d ** (N - NA)
        pt = partial_transpose_on(self.density_matrix(), (dA, dB), 1)
        ev = np.linalg.eigvalsh((pt + pt.conj().T) / 2)
        return float(-ev[ev < 0].sum())
