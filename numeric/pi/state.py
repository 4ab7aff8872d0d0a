"""PIState: a permutation-invariant state of N qubits, its observables in float64 or at dps digits."""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from analytic.algebra import Op
from analytic.model import Model, ModelError
from numeric.pi.basis import check_N, dicke_basis
from numeric.pi.liouvillian import RealForm, exact_vec
from numeric.pi.superops import atoms_of, exact_subs, word_local
from numeric.states.observables import as_operator
from numeric.states.state import StateLike, squeezing_from_moments, unavailable

__all__ = ["PIState"]

# =========================================================================== state
_AXES = ("x", "y", "z")


class PIState(StateLike):
    r"""A permutation-invariant state :math:`\rho = \bigoplus_j (x_j/d_j)\otimes 1_{d_j}` of N qubits.

    Parameters
    ----------
    model : analytic.model.Model
    N : int
    x : numpy.ndarray
        Column-stacked weighted blocks :math:`x_j = d_j\rho_j` (:class:`DickeBasis` order).
    values : dict
        ``{Symbol: number}``.
    residual : float, optional
    info : dict, optional

    Notes
    -----
    Implements :class:`numeric.states.state.StateLike`.  A state from ``numeric.steady_state(..., N=, dps=k)`` computes
    every method with mpmath at k digits from the refined fixed-point solution (normalised to trace
    1 at k digits) and returns mpmath numbers (object arrays / ``mpmath.matrix`` of them); ``x`` is
    its float64 copy.  :meth:`density_matrix` (the :math:`2^N`-dimensional matrix) is refused with
    :class:`NotImplementedError` naming :meth:`density_blocks` and the qudit solver.

    Observables (same names as :class:`numeric.states.observables.State`): ``expect('Sz')`` for any
    collective operator expression, ``casimir()`` :math:`\langle\mathbf S^2\rangle`,
    ``populations()`` :math:`P(m) = \sum_j d_j\langle j,m|\rho_j|j,m\rangle` (seed 004 Fig. 2b with
    the degeneracies), ``j_populations()`` :math:`P_j = d_j\,\mathrm{tr}\rho_j`, ``purity()``
    :math:`\sum_j d_j\mathrm{tr}\rho_j^2`, ``g2()``, ``squeezing()``.
    """

    def __init__(self, model: Model, N: int, x: np.ndarray, values: dict, residual: float | None = None,
                 info: dict | None = None):
        self.model = model
        self.atoms = atoms_of(model)
        self.N = check_N(N)
        self.basis = dicke_basis(self.N)
        x = np.asarray(x, dtype=complex)
        if x.shape != (self.basis.n,):
            raise ModelError(f"x must have {self.basis.n} entries for N={self.N}, got shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ModelError("state contains NaN or infinite entries")
        self.x = x
        self.values = dict(values)
        self.residual = residual
        self.info = dict(info or {})
        self.dps = None
        self._exact = None
        self._mp_cache = None

    def set_exact(self, rf: RealForm, y_exact: tuple, dps: int) -> None:
        """Attach the refined fixed-point solution ``(yfix, p)`` of :func:`numeric.pi.steady.solve_pi`: every
        observable is then computed with mpmath at ``dps`` digits."""
        self._exact = (rf, y_exact)
        self.dps = dps
        self._mp_cache = None

    def __repr__(self):
        prec = f", dps={self.dps}" if self.dps else ""
        return f"PIState(model={self.model.name!r}, N={self.N}{prec}, residual={self.residual})"

    def _mp_blocks(self) -> list:
        """Weighted blocks :math:`x_j` as ``mpmath.matrix`` at ``dps`` digits from the refined
        fixed-point solution, normalised to :math:`\\sum_j\\mathrm{tr}\\,x_j = 1` (cached)."""
        if self._mp_cache is None:
            rf, (yfix, p) = self._exact
            with mpmath.workdps(self.dps):
                xs = exact_vec(rf, yfix, p, self.dps)
                tr = xs["trace"]
                out = []
                for k, d in enumerate(self.basis.dims):
                    d, o = int(d), int(self.basis.offsets[k])
                    B = mpmath.matrix(d, d)
                    for a in range(d):
                        for b in range(d):
                            B[a, b] = xs[o + a + b * d] / tr
                    out.append(B)
            self._mp_cache = out
        return self._mp_cache

    @property
    def blocks(self) -> list:
        """Weighted blocks :math:`x_j` (list, j = N/2 first): numpy views of ``x``, or with ``dps``
        copies of the ``mpmath.matrix`` blocks at ``dps`` digits."""
        if self.dps:
            return [B.copy() for B in self._mp_blocks()]
        return self.basis.blocks(self.x)

    def density_blocks(self) -> list:
        r"""Blocks :math:`\rho_j = x_j/d_j` of one copy of each irrep (numpy arrays; ``mpmath.matrix``
        at ``dps`` digits with ``dps``, divided by the exact integer :math:`d_j`)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return [B / mpmath.mpf(d) for B, d in zip(self._mp_blocks(), self.basis.deg)]
        return [B * float(Fraction(1, d)) for B, d in zip(self.blocks, self.basis.deg)]

    def density_matrix(self) -> np.ndarray:
        """Refused: the :math:`2^N\\times 2^N` matrix is not built in the permutation-invariant
        representation (:class:`NotImplementedError` naming the alternatives)."""
        raise unavailable(self, "density_matrix",
                          "the permutation-invariant solver stores only the blocks rho_j of "
                          "rho = sum_j rho_j (x) 1_{d_j}",
                          "density_blocks() for the blocks, or numeric.steady_state(model, values, N=N, d=2)"
                          ".density_matrix() (the qudit representation) for the dense "
                          "2^N x 2^N matrix (float64, 2^N <= 4096)")

    def _op(self, op) -> Op:
        return as_operator(self.model, op)

    def _diag_re(self, B):
        """Real parts of the diagonal of a block (mpf list with ``dps``, else a float array)."""
        if self.dps:
            return [mpmath.re(B[a, a]) for a in range(B.rows)]
        return np.diag(B).real

    # ---------------------------------------------------------------- expectation values
    def _word_trace(self, word: tuple, x: np.ndarray) -> complex:
        tot = 0j
        for k, tj in enumerate(self.basis.tj):
            a, t, s, n, d = word_local(int(tj), word)
            if len(a) == 0:
                continue
            vals = s * np.sqrt(n.astype(float) / d.astype(float))
            dd = int(tj) + 1
            # tr(W x) = sum_a W[t(a), a] x[a, t(a)]
            tot += np.sum(vals * x[self.basis.offsets[k] + a + t * dd])
        return tot

    def _word_trace_mp(self, word: tuple) -> mpmath.mpc:
        tot = mpmath.mpc(0)
        for B, tj in zip(self._mp_blocks(), self.basis.tj):
            a, t, s, n, d = word_local(int(tj), word)
            for ai, ti, si, ni, di in zip(a, t, s, n, d):
                tot += int(si) * mpmath.sqrt(mpmath.mpf(int(ni)) / int(di)) * B[int(ai), int(ti)]
        return tot

    def expect(self, op: str | Op) -> float | complex | mpmath.mpf | mpmath.mpc:
        r""":math:`\mathrm{Tr}(\rho A) = \sum_j\mathrm{tr}(A_j x_j)` of a collective operator (string
        parsed by :meth:`Model.operator`, or an Op).  Real for Hermitian A.  With ``dps`` the value
        is an mpmath number computed from the refined solution."""
        A = self._op(op)
        herm = (A - A.dagger()).simplify().is_zero()
        if self.dps:
            with mpmath.workdps(self.dps):
                tot = mpmath.mpc(0)
                subs = exact_subs(self.values)
                for w, c in A.terms.items():
                    cv = sp.N(sp.sympify(c).subs(subs), self.dps + 5)
                    cc = mpmath.mpc(str(sp.re(cv)), str(sp.im(cv)))
                    tot += cc * self._word_trace_mp(tuple(g.letter for g in w))
                return +tot.real if herm else +tot
        tot = 0j
        for w, c in A.terms.items():
            cv = complex(sp.sympify(c).subs(self.values))
            tot += cv * self._word_trace(tuple(g.letter for g in w), self.x)
        return float(tot.real) if herm else complex(tot)

    def variance(self, op: str | Op) -> float | complex | mpmath.mpf | mpmath.mpc:
        r""":math:`\langle A^2\rangle - \langle A\rangle^2` (an mpmath number at ``dps`` digits with ``dps``)."""
        A = self._op(op)
        with mpmath.workdps(self.dps or 15):
            m = self.expect(A)
            return self.expect(A * A) - m * m

    def trace(self) -> float | mpmath.mpf:
        r""":math:`\mathrm{Tr}\rho = \sum_j\mathrm{tr}\,x_j` (mpf at ``dps`` digits with ``dps``)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return mpmath.fsum(v for B in self._mp_blocks() for v in self._diag_re(B))
        return float(sum(np.trace(B).real for B in self.blocks))

    def casimir(self) -> float | mpmath.mpf:
        r""":math:`\langle\mathbf S^2\rangle = \sum_j j(j+1)P_j` (seed 004 Fig. 2c; mpf at ``dps`` digits
        with ``dps``, :math:`j(j+1)` exact)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return mpmath.fsum(mpmath.mpf(int(t) * (int(t) + 2)) / 4 * v
                                   for t, B in zip(self.basis.tj, self._mp_blocks()) for v in self._diag_re(B))
        return float(sum(float(Fraction(int(t), 2) * (Fraction(int(t), 2) + 1)) * np.trace(B).real
                         for t, B in zip(self.basis.tj, self.blocks)))

    def j_populations(self) -> dict:
        r"""``{j: P_j}`` with :math:`P_j = d_j\,\mathrm{tr}\rho_j` (sums to 1; mpf at ``dps`` digits
        with ``dps``)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return {Fraction(int(t), 2): mpmath.fsum(self._diag_re(B))
                        for t, B in zip(self.basis.tj, self._mp_blocks())}
        return {Fraction(int(t), 2): float(np.trace(B).real) for t, B in zip(self.basis.tj, self.blocks)}

    def populations(self) -> np.ndarray:
        r""":math:`P(m) = \sum_{j\ge|m|} d_j\langle j,m|\rho_j|j,m\rangle` for :math:`m = N/2, N/2-1,
        \dots, -N/2` (seed 004 Fig. 2b; every copy of each irrep counted).  A float array, or with
        ``dps`` an object array of mpf at ``dps`` digits."""
        N = self.N
        if self.dps:
            with mpmath.workdps(self.dps):
                P = [[] for _ in range(N + 1)]
                for t, B in zip(self.basis.tj, self._mp_blocks()):
                    for a, v in enumerate(self._diag_re(B)):
                        P[(N - int(t)) // 2 + a].append(v)
                return np.array([mpmath.fsum(v) for v in P], dtype=object)
        P = np.zeros(N + 1)
        for t, B in zip(self.basis.tj, self.blocks):
            tj = int(t)
            # m = j - a -> index in P: N/2 - m = (N - tj)/2 + a
            P[(N - tj) // 2 + np.arange(tj + 1)] += np.diag(B).real
        return P

    def P(self, m: float) -> float | mpmath.mpf:
        """Population of the Sz eigenvalue m (mpf at ``dps`` digits with ``dps``)."""
        i = self.N / 2 - float(m)
        if abs(i - round(i)) > 1e-12 or not 0 <= round(i) <= self.N:
            raise ModelError(f"m must be one of N/2, N/2-1, ..., -N/2 (N={self.N}), got m={m!r}")
        v = self.populations()[int(round(i))]
        return v if self.dps else float(v)

    def purity(self) -> float | mpmath.mpf:
        r""":math:`\mathrm{Tr}\rho^2 = \sum_j d_j\mathrm{tr}\rho_j^2 = \sum_j \mathrm{tr}(x_j^2)/d_j`
        (seed 001 Fig. 7; mpf at ``dps`` digits with ``dps``, :math:`d_j` exact integers)."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return mpmath.fsum(mpmath.re(mpmath.fsum(B[a, b] * B[b, a] for a in range(B.rows) for b in range(B.rows)))
                                   / mpmath.mpf(d) for B, d in zip(self._mp_blocks(), self.basis.deg))
        return float(sum(np.real(np.sum(B * B.T)) * float(Fraction(1, d))
                         for B, d in zip(self.blocks, self.basis.deg)))

    def mean_spin(self) -> np.ndarray:
        r""":math:`(\langle S_x\rangle, \langle S_y\rangle, \langle S_z\rangle)`; with ``dps`` an object
        array of mpmath numbers at ``dps`` digits."""
        return np.array([self.expect(f"S{a}") for a in _AXES], dtype=object if self.dps else float)

    def covariance(self) -> np.ndarray:
        r"""Symmetrised covariance :math:`C_{ab} = \langle\{S_a, S_b\}\rangle/2 - \langle S_a\rangle\langle S_b\rangle`;
        with ``dps`` an object array of mpmath numbers computed at ``dps`` digits."""
        with mpmath.workdps(self.dps or 15):
            mean = self.mean_spin()
            C = np.zeros((3, 3), dtype=object if self.dps else float)
            for i, a in enumerate(_AXES):
                for j, b in enumerate(_AXES):
                    if j >= i:
                        C[i, j] = self.expect(f"(S{a}*S{b} + S{b}*S{a})/2") - mean[i] * mean[j]
                        C[j, i] = C[i, j]
        return C

    def g2(self) -> float | mpmath.mpf:
        r""":math:`g^{(2)}(0) = \langle S^+S^+S^-S^-\rangle/\langle S^+S^-\rangle^2` (seed 004 Fig. 2f;
        :math:`2(1-1/N)` for the totally mixed state, eq. D3e).  With ``dps`` an mpmath number at
        ``dps`` digits.  Refused (ModelError) when :math:`\langle S^+S^-\rangle` vanishes within the
        working precision."""
        with mpmath.workdps(self.dps or 15):
            den = self.expect("Sp*Sm")
            eps = mpmath.mpf(10) ** (5 - self.dps) if self.dps else 1e-12
            if abs(den) <= eps * self.N:
                raise ModelError(f"g2 is undefined: <S+ S-> = {float(den):.3g} vanishes")
            return self.expect("Sp*Sp*Sm*Sm") / den ** 2

    def squeezing(self, axis: str | None = None) -> float | mpmath.mpf:
        r"""Spin squeezing.  ``axis=None``: Wineland parameter (seed 004 Sec. III B)
        :math:`\xi^2 = \min_{\perp} N\,\mathrm{Var}(S_\perp)/|\langle\mathbf S\rangle|^2`; ``axis='x'|'y'|'z'``:
        :math:`N\,\Delta S_{n_1}^2/(\langle S_{n_2}\rangle^2 + \langle S_{n_3}\rangle^2)`.

        The minimum over the plane perpendicular to :math:`\mathbf n = \langle\mathbf S\rangle/|\langle\mathbf S\rangle|`
        is the smaller eigenvalue of the 2x2 covariance :math:`E^TCE` in an orthonormal basis
        :math:`e_1, e_2` of that plane, :math:`(a+c)/2 - \sqrt{((a-c)/2)^2 + b^2}`.  A float for float64
        states; an mpmath number at ``dps`` digits for states from ``dps=``
        (:func:`numeric.states.state.squeezing_from_moments` with :math:`2S_{\max} = N`)."""
        with mpmath.workdps(self.dps or 15):
            return squeezing_from_moments(self.mean_spin(), self.covariance(), self.N, axis, self.dps)
