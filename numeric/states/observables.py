r"""Compute the observables of a finite-size density matrix (:class:`State`).

Expectation values, covariances, squeezing, reduced one- and two-qubit states, negativity.

Conventions (see docs/ARCHITECTURE.md): hbar = 1; Dicke basis ordered like ``qutip.jmat`` (index
:math:`i \leftrightarrow m = S - i`); tensor products in the order of ``model.subsystems``
(first factor slowest); standard spin operators (:math:`S_z` eigenvalues :math:`-S..S`).
The qubits of a spin S are the :math:`N = 2S` spin-1/2 constituents of the symmetric irrep, with
single-qubit basis :math:`(|{\uparrow}\rangle, |{\downarrow}\rangle)` (index 0 = up, as
``qutip.jmat(1/2)``) and two-qubit basis :math:`(\uparrow\uparrow, \uparrow\downarrow,
\downarrow\uparrow, \downarrow\downarrow)`.

Precision: a :class:`State` built with ``dps`` holds an ``mpmath.matrix`` and computes every
observable with mpmath at that precision (operator matrix elements are recovered exactly, the
generators' entries being :math:`\sqrt{\text{integer}}` or half-integers); otherwise float64.
"""
from __future__ import annotations

import functools
from typing import Sequence

import mpmath
import numpy as np
import sympy as sp

from analytic.algebra import Op
from analytic.model import Model, ModelError
from analytic.exact import two_qubit_partial_transpose, two_qubit_rows
from numeric.states.state import Matrix, Real, Scalar, StateLike

__all__ = ["State", "partial_transpose", "partial_transpose_on"]

_AXES = ("x", "y", "z")


def _precision(method):
    """Run a State method at the state's mpmath precision (no-op for float64 states)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self.dps:
            with mpmath.workdps(self.dps):
                return method(self, *args, **kwargs)
        return method(self, *args, **kwargs)
    return wrapper


def partial_transpose(rho4: Matrix, backend: str = "numpy") -> Matrix:
    r"""Partial transpose over the first qubit of a two-qubit matrix (basis
    :math:`\uparrow\uparrow, \uparrow\downarrow, \downarrow\uparrow, \downarrow\downarrow`):
    :math:`\rho^{T_A}_{(ab),(a'b')} = \rho_{(a'b),(ab')}`."""
    if backend == "mpmath":
        return two_qubit_partial_transpose(rho4)
    return partial_transpose_on(rho4, (2, 2), 0)


def partial_transpose_on(rho: np.ndarray, dims: Sequence[int], which: int = 0) -> np.ndarray:
    r"""Partial transpose of a density matrix on :math:`\bigotimes_k \mathbb C^{d_k}` (basis order
    as ``dims``) over factor ``which`` (the one partial transpose of the package: two qubits, a spin and a
    mode, two sets of qudits):
    :math:`(\rho^{T_k})_{(\dots i_k\dots),(\dots j_k\dots)} = \rho_{(\dots j_k\dots),(\dots i_k\dots)}`."""
    dims = [int(d) for d in dims]
    n = int(np.prod(dims))
    rho = np.asarray(rho)
    if rho.shape != (n, n):
        raise ModelError(f"partial_transpose: rho has shape {rho.shape}, dims {dims} need ({n}, {n})")
    if not 0 <= which < len(dims):
        raise ModelError(f"partial_transpose: which must be in 0..{len(dims) - 1}, got {which!r}")
    k = len(dims)
    r = rho.reshape(dims + dims)
    axes = list(range(2 * k))
    axes[which], axes[k + which] = k + which, which
    return r.transpose(axes).reshape(n, n)


def as_operator(model: Model, op: str | Op) -> Op:
    """An operator given as an :class:`~analytic.algebra.Op` or a string parsed by ``model.operator``."""
    if isinstance(op, Op):
        return op
    if isinstance(op, str):
        return model.operator(op)
    raise ModelError(f"operator must be a string or an Op, got {type(op).__name__}")


class State(StateLike):
    """A density matrix together with the model and representation it belongs to.

    Implements :class:`numeric.states.state.StateLike` (every method; with ``dps`` every number is an
    mpmath number at ``dps`` digits from the refined solution), plus :meth:`reduced`,
    :meth:`spin_length`, :meth:`squeezing_axis`, :meth:`qubit_state`, :meth:`two_qubit_state`,
    :meth:`qubit_purity`, :meth:`two_qubit_purity` and :meth:`negativity`.

    Parameters
    ----------
    model : analytic.model.Model
        The model the state belongs to.
    rep : numeric.core.operators.Representation
        The representation ``rho`` is written in (gives the operator matrices).
    rho : numpy.ndarray or mpmath.matrix
        Dense density matrix (complex float64), or an ``mpmath.matrix`` (arbitrary precision).
    values : dict
        ``{Symbol: number}`` parameter values (from :func:`numeric.core.operators.numeric_values`).
    residual : float, optional
        ``||L rho||`` reported by the solver.
    dps : int, optional
        Decimal digits.  When set, every observable is computed with mpmath at this precision
        (a float64 ``rho`` is converted).  An ``mpmath.matrix`` ``rho`` without ``dps`` uses
        the current ``mpmath.mp.dps``.
    info : dict, optional
        Solver diagnostics.
    exact_entries : bool
        ``True`` for an ``mpmath.matrix`` built by a solver from exact integers (finite by
        construction): it is kept as it is, without the copy and the scan for NaN/inf entries.

    Examples
    --------
    >>> st.expect('Sz'); st.variance('Sx'); st.squeezing(); st.negativity()  # doctest: +SKIP
    """

    def __init__(self, model: Model, rep, rho, values: dict, residual=None, dps=None, info: dict | None = None, *,
                 exact_entries: bool = False):
        self.model = model
        self.rep = rep
        self.values = dict(values)
        self.residual = residual
        self.info = dict(info or {})
        dim = rep.dim
        if isinstance(rho, mpmath.matrix) and dps is None:
            dps = mpmath.mp.dps
        if dps is not None:
            if not isinstance(dps, (int, np.integer)) or isinstance(dps, bool) or dps < 1:
                raise ModelError(f"dps must be a positive integer, got dps={dps!r}")
            dps = int(dps)
            with mpmath.workdps(dps):
                if isinstance(rho, mpmath.matrix):
                    shape = (rho.rows, rho.cols)
                    # a solver's matrix of rounded integer quotients is finite: taken as it is (the copy
                    # and the scan below cost ~0.4 s at crf S = 400, d**2 = 641 601 entries)
                    m = rho if exact_entries else rho.copy()
                else:
                    arr = np.asarray(rho)
                    shape = arr.shape
                    m = mpmath.matrix(arr.tolist()) if arr.ndim == 2 else None
                if shape != (dim, dim):
                    raise ModelError(f"rho must be a {dim}x{dim} matrix for this representation, got shape {shape}")
                if not exact_entries and any(not mpmath.isfinite(m[i, j]) for i in range(dim) for j in range(dim)):
                    raise ModelError("rho contains NaN or infinite entries")
            self.rho = m
        else:
            arr = np.asarray(rho, dtype=complex)
            if arr.shape != (dim, dim):
                raise ModelError(f"rho must be a {dim}x{dim} matrix for this representation, got shape {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise ModelError("rho contains NaN or infinite entries")
            self.rho = arr
        self.dps = dps
        self._mp_gens: dict = {}
        self._strides = [int(np.prod(rep.dims[i + 1:])) for i in range(len(rep.dims))]

    # ------------------------------------------------------------------ basics
    @property
    def dim(self) -> int:
        """Hilbert-space dimension."""
        return self.rep.dim

    def __repr__(self) -> str:
        prec = f"dps={self.dps}" if self.dps else "float64"
        return f"State(model={self.model.name!r}, dim={self.dim}, {prec}, residual={self.residual})"

    def _op(self, op) -> Op:
        return as_operator(self.model, op)

    @staticmethod
    def _hermitian(op: Op) -> bool:
        return (op - op.dagger()).simplify().is_zero()

    def _subs(self) -> dict:
        return {**self.rep._size_values, **self.values}

    def _real(self, x):
        return mpmath.re(x) if self.dps else float(np.real(x))

    # ------------------------------------------------------------------ mpmath operator action
    def _mp_generator(self, g):
        """(target index, value) arrays of a generator on the full space, at ``dps`` digits.

        Every generator (S+, S-, Sz, a, a†) has at most one nonzero per column; its local
        entries are read from the float representation and recovered exactly (squares of the
        off-diagonal entries are integers, Sz entries are half-integers)."""
        if g in self._mp_gens:
            return self._mp_gens[g]
        i = self.model.subsystems.index(g.sub)
        local = self.rep.local[i][g.letter].tocsc()
        d = self.rep.dims[i]
        tgt = [-1] * d
        val = [mpmath.mpf(0)] * d
        for c in range(d):
            rows = local.indices[local.indptr[c]:local.indptr[c + 1]]
            data = local.data[local.indptr[c]:local.indptr[c + 1]]
            if len(rows) > 1:  # pragma: no cover - generators are monomial matrices
                raise ModelError(f"generator {g!r} is not a monomial matrix")
            if len(rows) == 1 and data[0] != 0:
                v = float(data[0].real)
                if g.letter == "z":
                    exact = mpmath.mpf(v)
                    if abs(2 * v - round(2 * v)) > 1e-9:  # pragma: no cover
                        raise ModelError(f"Sz entry {v} is not a half-integer")
                else:
                    sq = round(v * v)
                    if abs(v * v - sq) > 1e-8 * max(1.0, sq):  # pragma: no cover
                        raise ModelError(f"entry {v} of {g!r} is not the square root of an integer")
                    exact = mpmath.sqrt(sq) * (1 if v > 0 else -1)
                tgt[c], val[c] = int(rows[0]), exact
        self._mp_gens[g] = (tgt, val, self._strides[i], d)
        return self._mp_gens[g]

    def _mp_coeff(self, coeff):
        c = sp.sympify(coeff).subs(self._subs())
        if c.free_symbols:
            raise ModelError(f"coefficient {coeff} has unknown symbols {sorted(map(str, c.free_symbols))}")
        c = sp.N(c, self.dps + 10)
        return mpmath.mpc(str(sp.re(c)), str(sp.im(c)))

    def _mp_expect(self, op: Op):
        """Tr(rho op) in mpmath: each word is a monomial matrix M e_j = c_j e_pi(j), so
        Tr(rho M) = sum_j rho[j, pi(j)] c_j."""
        total = mpmath.mpc(0)
        for word, coeff in op.terms.items():
            gens = [self._mp_generator(g) for g in word]
            acc = mpmath.mpc(0)
            for j in range(self.dim):
                idx, amp = j, mpmath.mpf(1)
                for tgt, val, stride, d in reversed(gens):
                    loc = (idx // stride) % d
                    t = tgt[loc]
                    if t < 0:
                        amp = 0
                        break
                    amp *= val[loc]
                    idx += (t - loc) * stride
                if amp != 0:
                    # (rho M)_jj = sum_i rho_ji M_ij = rho[j, idx] * amp  with M e_j = amp e_idx
                    acc += self.rho[j, idx] * amp
            total += acc * self._mp_coeff(coeff)
        return total

    # ------------------------------------------------------------------ expectation values
    @_precision
    def expect(self, op: str | Op) -> Scalar:
        r"""Expectation value :math:`\mathrm{Tr}(\rho A)` of an operator.

        Parameters
        ----------
        op : str or analytic.algebra.Op
            e.g. ``'Sz'``, ``'Sx*Sx'``, ``'Sp*Sm'``, ``'Sz_a'`` (site ``a``), ``'ad*a'``; parsed with
            :meth:`analytic.model.Model.operator` (never evaluated).

        Returns
        -------
        float or complex (mpmath ``mpf``/``mpc`` with ``dps``)
            Real when the operator is Hermitian.
        """
        A = self._op(op)
        herm = self._hermitian(A)
        if self.dps:
            with mpmath.workdps(self.dps):
                v = self._mp_expect(A)
                return +mpmath.re(v) if herm else +v
        M = self.rep.matrix(A, self.values)
        v = complex(M.multiply(self.rho.T).sum())
        return v.real if herm else v

    @_precision
    def variance(self, op: str | Op) -> Real:
        r""":math:`\Delta A^2 = \langle A^2\rangle - \langle A\rangle^2` of a Hermitian operator
        (seed 000 eq. 22); an mpf at ``dps`` digits with ``dps``."""
        A = self._op(op)
        if not self._hermitian(A):
            raise ModelError(f"variance: operator {op!r} is not Hermitian")
        m = self.expect(A)
        return self.expect(A * A) - m * m

    @_precision
    def purity(self) -> float:
        r"""Purity :math:`P = \mathrm{Tr}\,\rho^2` (seed 000 eq. 23); :math:`1/(2S+1)` for the
        maximally mixed spin state.  An mpf at ``dps`` digits with ``dps``."""
        if self.dps:
            with mpmath.workdps(self.dps):
                n = self.dim
                return +mpmath.re(mpmath.fsum(self.rho[i, j] * self.rho[j, i] for i in range(n) for j in range(n)))
        return float(np.real(np.sum(self.rho * self.rho.T)))

    @_precision
    def trace(self) -> Scalar:
        """:math:`\\mathrm{Tr}\\,\\rho` (1 for a normalised state); an mpf at ``dps`` digits with ``dps``."""
        if self.dps:
            with mpmath.workdps(self.dps):
                return +mpmath.re(mpmath.fsum(self.rho[i, i] for i in range(self.dim)))
        return float(np.real(np.trace(self.rho)))

    def density_matrix(self) -> Matrix:
        r"""A copy of the density matrix :math:`\rho` (numpy array; ``mpmath.matrix`` at ``dps`` digits
        with ``dps``) in the representation's basis (``model.subsystems`` order, Dicke index
        :math:`i \leftrightarrow m = S - i`)."""
        return self.rho.copy()

    # ------------------------------------------------------------------ subsystems
    def _spin(self, spin: str | None):
        spins = [s for s in self.model.subsystems if s.kind == "spin"]
        if not spins:
            raise NotImplementedError(
                f"model {self.model.name!r} has no spin (subsystems "
                f"{[(s.kind, s.name) for s in self.model.subsystems]}): the spin observables (populations, P, "
                "mean_spin, covariance, casimir, g2, squeezing, qubit states) are not defined; use expect() with "
                "the mode's operators (e.g. expect('ad*a')) or reduced(kind='mode') for its Fock populations")
        if spin is None:
            if len(spins) != 1:
                raise ModelError(f"model {self.model.name!r} has {len(spins)} spins {[s.name for s in spins]}; "
                                 "choose one with spin='name'")
            return spins[0]
        for s in spins:
            if s.name == spin:
                return s
        raise ModelError(f"model {self.model.name!r} has no spin {spin!r}; spins are {[s.name for s in spins]}")

    def _names(self, spin: str | None):
        s = self._spin(spin)
        suf = f"_{s.name}" if s.name else ""
        return s, suf

    @_precision
    def spin_length(self, spin: str | None = None) -> Real:
        """The spin length S of a spin subsystem in this representation."""
        s = self._spin(spin)
        d = self.rep.dims[self.model.subsystems.index(s)]
        return mpmath.mpf(d - 1) / 2 if self.dps else (d - 1) / 2

    @_precision
    def reduced(self, subsystem: str | None = None, kind: str | None = None) -> Matrix:
        r"""Reduced density matrix of one subsystem, by partial trace over the others
        (``model.subsystems`` order).

        Parameters
        ----------
        subsystem : str, optional
            Subsystem name (default: the only spin).
        kind : {'spin', 'mode'}, optional
            Disambiguates a spin and a mode that share a name (e.g. both unnamed).
        """
        if subsystem is None and kind is None:
            return self._reduced_of(self._spin(None))
        matches = [s for s in self.model.subsystems
                   if (subsystem is None or s.name == subsystem) and (kind is None or s.kind == kind)]
        if len(matches) != 1:
            raise ModelError(f"reduced: model {self.model.name!r} has {len(matches)} subsystems matching "
                             f"subsystem={subsystem!r}, kind={kind!r}; subsystems are "
                             f"{[(s.kind, s.name) for s in self.model.subsystems]}")
        return self._reduced_of(matches[0])

    def _reduced_of(self, sub):
        i = self.model.subsystems.index(sub)
        dims = self.rep.dims
        if len(dims) == 1:
            return self.rho.copy()
        left, d, right = int(np.prod(dims[:i])), dims[i], int(np.prod(dims[i + 1:]))
        if self.dps:
            with mpmath.workdps(self.dps):
                out = mpmath.matrix(d, d)
                for a in range(d):
                    for b in range(d):
                        out[a, b] = mpmath.fsum(self.rho[(l * d + a) * right + r, (l * d + b) * right + r]
                                                for l in range(left) for r in range(right))
                return out
        r = self.rho.reshape(left, d, right, left, d, right)
        return np.einsum("iajibj->ab", r)

    @_precision
    def populations(self, spin: str | None = None) -> np.ndarray | list[mpmath.mpf]:
        r"""Populations :math:`P(m)` of the :math:`S_z` eigenstates of a spin, in basis order
        :math:`m = S, S-1, \dots, -S` (numpy array, or list of mpf with ``dps``)."""
        rs = self._reduced_of(self._spin(spin))
        n = rs.rows if self.dps else rs.shape[0]
        if self.dps:
            with mpmath.workdps(self.dps):
                return [+mpmath.re(rs[i, i]) for i in range(n)]
        return np.real(np.diag(rs)).copy()

    @_precision
    def P(self, m: float, spin: str | None = None) -> Real:
        r"""Population :math:`P(m) = \langle S, m|\rho|S, m\rangle` of the :math:`S_z` eigenvalue m (an mpf
        at ``dps`` digits with ``dps``)."""
        S = self.spin_length(spin)
        i = float(S) - float(m)
        if abs(i - round(i)) > 1e-12 or not 0 <= round(i) <= 2 * float(S):
            raise ModelError(f"m must be one of S, S-1, ..., -S (S={float(S)}), got m={m!r}")
        return self.populations(spin)[int(round(i))]

    # ------------------------------------------------------------------ spin moments
    @_precision
    def mean_spin(self, spin: str | None = None) -> np.ndarray | list[mpmath.mpf]:
        r""":math:`(\langle S_x\rangle, \langle S_y\rangle, \langle S_z\rangle)` of a spin (numpy array;
        list of mpf at ``dps`` digits with ``dps``)."""
        _, suf = self._names(spin)
        v = [self.expect(f"S{a}{suf}") for a in _AXES]
        return v if self.dps else np.array(v)

    @_precision
    def covariance(self, spin: str | None = None) -> Matrix:
        r"""Symmetrised covariance matrix of :math:`(S_x, S_y, S_z)`,

        .. math:: C_{ab} = \tfrac12\langle\{S_a, S_b\}\rangle - \langle S_a\rangle\langle S_b\rangle,

        its diagonal the variances of seed 000 eq. (22).  ``spin`` selects the spin by name when
        the model has several.  Returns a 3x3 numpy array (``mpmath.matrix`` with ``dps``).
        """
        _, suf = self._names(spin)
        mean = self.mean_spin(spin)
        C = mpmath.matrix(3, 3) if self.dps else np.zeros((3, 3))
        for i, a in enumerate(_AXES):
            for j, b in enumerate(_AXES):
                if j < i:
                    C[i, j] = C[j, i]
                    continue
                sym = self.expect(f"(S{a}{suf}*S{b}{suf} + S{b}{suf}*S{a}{suf})/2")
                C[i, j] = sym - mean[i] * mean[j]
        return C

    @_precision
    def casimir(self, spin: str | None = None) -> Real:
        r""":math:`\langle \mathbf S^2\rangle = \langle S_x^2 + S_y^2 + S_z^2\rangle` (S(S+1) in the
        spin-S irrep); an mpf at ``dps`` digits with ``dps``."""
        _, suf = self._names(spin)
        return self.expect(f"Sx{suf}*Sx{suf} + Sy{suf}*Sy{suf} + Sz{suf}*Sz{suf}")

    @_precision
    def g2(self, spin: str | None = None) -> Real:
        r"""Normalised second-order coherence of the emitted light,
        :math:`g^{(2)} = \langle S^+S^+S^-S^-\rangle / \langle S^+S^-\rangle^2`.

        Maximally mixed state of the spin-S irrep: :math:`3(2S-1)(2S+3)/(10S(S+1))` (-> 6/5),
        not the :math:`2(1-1/N)` of N independent mixed atoms.  An mpf at ``dps`` digits with ``dps``.
        """
        _, suf = self._names(spin)
        den = self.expect(f"Sp{suf}*Sm{suf}")
        eps = mpmath.mpf(10) ** (5 - self.dps) if self.dps else 1e-12
        if abs(den) <= eps * self.spin_length(spin):
            raise ModelError(f"g2 is undefined: <S+ S-> = {float(den):.3g} vanishes within the working precision "
                             "(the spin is in its ground state |S, -S>)")
        return self.expect(f"Sp{suf}*Sp{suf}*Sm{suf}*Sm{suf}") / den ** 2

    # ------------------------------------------------------------------ squeezing
    @_precision
    def squeezing(self, axis: str | None = None, spin: str | None = None) -> Real:
        r"""Spin-squeezing parameter.

        ``axis='x'|'y'|'z'`` (seed 000 eq. 28, :math:`n_1` the axis, :math:`n_2, n_3` the two others):

        .. math:: \xi^2 = \frac{2S\,\Delta S_{n_1}^2}{\langle S_{n_2}\rangle^2 + \langle S_{n_3}\rangle^2}.

        ``axis=None`` (Wineland parameter, seed 003 eq. S1, :math:`N = 2S`):

        .. math:: \xi^2 = \min_{\mathbf e_\perp \perp \langle\mathbf S\rangle}
                  \frac{N\,\Delta S_\perp^2}{|\langle\mathbf S\rangle|^2},

        minimised in closed form: the smallest eigenvalue of the 2x2 covariance in the plane
        orthogonal to the mean spin.  A coherent spin state has :math:`\xi^2 = 1`.  A float, or an mpf
        at ``dps`` digits with ``dps``.  Raises :class:`ModelError` when the denominator vanishes.
        """
        S = self.spin_length(spin)
        C = self.covariance(spin)
        mean = self.mean_spin(spin)
        if axis is not None:
            if axis not in _AXES:
                raise ModelError(f"axis must be one of 'x', 'y', 'z' or None, got axis={axis!r}")
            k = _AXES.index(axis)
            den = sum(mean[j] ** 2 for j in range(3) if j != k)
            if den == 0 or (not self.dps and den < 1e-28 * float(S) ** 2):
                raise ModelError(f"squeezing along {axis!r} is undefined: the mean spin has no component "
                                 "perpendicular to it")
            return 2 * S * C[k, k] / den
        e1, e2, norm2 = self._perp_basis(mean, S)
        c11, c22, c12 = _quad(C, e1, e1), _quad(C, e2, e2), _quad(C, e1, e2)
        sqrt = mpmath.sqrt if self.dps else np.sqrt
        vmin = (c11 + c22) / 2 - sqrt(((c11 - c22) / 2) ** 2 + c12 ** 2)
        return 2 * S * vmin / norm2

    @_precision
    def squeezing_axis(self, spin: str | None = None) -> list[Real]:
        r"""Unit vector :math:`\mathbf e_\perp \perp \langle\mathbf S\rangle` of minimal variance
        (the minimiser in :meth:`squeezing` with ``axis=None``)."""
        S = self.spin_length(spin)
        mean = self.mean_spin(spin)
        C = self.covariance(spin)
        e1, e2, _ = self._perp_basis(mean, S)
        c11, c22, c12 = _quad(C, e1, e1), _quad(C, e2, e2), _quad(C, e1, e2)
        atan2, cos, sin = (mpmath.atan2, mpmath.cos, mpmath.sin) if self.dps else (np.arctan2, np.cos, np.sin)
        t = atan2(2 * c12, c11 - c22) / 2 + (mpmath.pi if self.dps else np.pi) / 2  # minimum direction
        return [cos(t) * e1[i] + sin(t) * e2[i] for i in range(3)]

    def _perp_basis(self, mean, S):
        norm2 = sum(m * m for m in mean)
        if norm2 == 0 or (not self.dps and norm2 < 1e-28 * float(S) ** 2):
            raise ModelError("squeezing is undefined: the mean spin <S> vanishes")
        sqrt = mpmath.sqrt if self.dps else np.sqrt
        n = [m / sqrt(norm2) for m in mean]
        # a vector not parallel to n
        k = min(range(3), key=lambda i: abs(n[i]))
        t = [1 if i == k else 0 for i in range(3)]
        e1 = _cross(n, t)
        l1 = sqrt(sum(x * x for x in e1))
        e1 = [x / l1 for x in e1]
        e2 = _cross(n, e1)
        return e1, e2, norm2

    # ------------------------------------------------------------------ reduced qubit states
    def _qubit_moments(self, spin):
        _, suf = self._names(spin)
        S = self.spin_length(spin)
        return S, {
            "Sz": self.expect(f"Sz{suf}"),
            "Sz2": self.expect(f"Sz{suf}*Sz{suf}"),
            "Sp": self.expect(f"Sp{suf}"),
            "Sp2": self.expect(f"Sp{suf}*Sp{suf}"),
            "SpSz": self.expect(f"Sp{suf}*Sz{suf} + Sz{suf}*Sp{suf}"),
        }

    @_precision
    def two_qubit_state(self, spin: str | None = None) -> Matrix:
        r"""Reduced state of two of the :math:`N = 2S` qubits of a spin in its symmetric irrep,
        from collective moments (seed 000 eqs. 25-26), basis
        :math:`(\uparrow\uparrow, \uparrow\downarrow, \downarrow\uparrow, \downarrow\downarrow)`:

        .. math::
            \rho_{2q} = \begin{pmatrix} v_+ & x_+^* & x_+^* & u^*\\ x_+ & w & w & x_-^*\\
                        x_+ & w & w & x_-^*\\ u & x_- & x_- & v_-\end{pmatrix},\quad
            v_\pm = \frac{S^2 - S + \langle S_z^2\rangle \pm 2\langle S_z\rangle(S-\frac12)}{4S(S-\frac12)},\
            x_\pm = \frac{2(S-\frac12)\langle S_+\rangle \pm \langle\{S_+, S_z\}\rangle}{8S(S-\frac12)},

        :math:`w = (S^2 - \langle S_z^2\rangle)/(4S(S-\frac12))`,
        :math:`u = \langle S_+^2\rangle/(4S(S-\frac12))`.  Seed 000 prints the denominators of
        :math:`v_\pm` and :math:`x_\pm` as :math:`4(S-\frac12)` and :math:`8(S-\frac12)`: a misprint
        (a factor S is missing; harmless only at S = 1), found by comparison with an explicit
        partial trace.  Needs :math:`S \ge 1`.
        """
        S, mo = self._qubit_moments(spin)
        if S < 1:
            raise ModelError(f"two_qubit_state needs at least two qubits (S >= 1), got S={float(S)}")
        rows = two_qubit_rows(S, mo["Sz"], mo["Sz2"], mo["Sp"], mo["Sp2"], mo["SpSz"])
        if self.dps:
            return mpmath.matrix(rows)
        return np.array(rows, dtype=complex)

    @_precision
    def qubit_state(self, spin: str | None = None) -> Matrix:
        r"""Reduced state of one of the :math:`2S` qubits (seed 000 eq. 27), basis
        :math:`(\uparrow, \downarrow)`:
        :math:`\rho_q = \tfrac12\begin{pmatrix}1 + \langle S_z\rangle/S & \langle S_-\rangle/S\\
        \langle S_+\rangle/S & 1 - \langle S_z\rangle/S\end{pmatrix}`, which equals
        :math:`\begin{pmatrix} w+v_+ & x_+^*+x_-^*\\ x_++x_- & w+v_-\end{pmatrix}` of eq. (27)."""
        _, suf = self._names(spin)
        S = self.spin_length(spin)
        sz, spl = self.expect(f"Sz{suf}"), self.expect(f"Sp{suf}")
        conj = mpmath.conj if self.dps else np.conj
        rows = [[(1 + sz / S) / 2, conj(spl) / (2 * S)], [spl / (2 * S), (1 - sz / S) / 2]]
        return mpmath.matrix(rows) if self.dps else np.array(rows, dtype=complex)

    @_precision
    def qubit_purity(self, spin: str | None = None) -> Real:
        r"""Single-qubit purity :math:`P_q = \mathrm{Tr}\,\rho_q^2` (seed 000, Fig. 5b)."""
        q = self.qubit_state(spin)
        if self.dps:
            with mpmath.workdps(self.dps):
                return +mpmath.re(mpmath.fsum(q[i, j] * q[j, i] for i in range(2) for j in range(2)))
        return float(np.real(np.sum(q * q.T)))

    @_precision
    def two_qubit_purity(self, spin: str | None = None) -> Real:
        r"""Two-qubit purity :math:`\mathrm{Tr}\,\rho_{2q}^2`."""
        q = self.two_qubit_state(spin)
        if self.dps:
            with mpmath.workdps(self.dps):
                return +mpmath.re(mpmath.fsum(q[i, j] * q[j, i] for i in range(4) for j in range(4)))
        return float(np.real(np.sum(q * q.T)))

    @_precision
    def negativity(self, spin: str | None = None) -> Real:
        r"""Two-qubit negativity (seed 000 eq. 24),
        :math:`\mathcal N = \sum_i (|\mu_i| - \mu_i)/2`, :math:`\mu_i` the eigenvalues of the
        partial transpose of :meth:`two_qubit_state`."""
        q = self.two_qubit_state(spin)
        if self.dps:
            with mpmath.workdps(self.dps):
                pt = partial_transpose(q, "mpmath")
                ev, _ = mpmath.eighe(pt)
                return +mpmath.fsum((abs(e) - e) / 2 for e in ev)
        ev = np.linalg.eigvalsh(partial_transpose(q))
        return float(np.sum((np.abs(ev) - ev) / 2))


def _cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def _quad(C, u, v):
    return sum(u[i] * C[i, j] * v[j] for i in range(3) for j in range(3))
