r"""Time evolution of the master equation of any catalogue model.

Convention (hbar = 1, QuTiP's, see docs/ARCHITECTURE.md):

.. math::
    \dot\rho = \mathcal L\rho = -i[H, \rho]
        + \sum_k r_k\Big(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k, \rho\}\Big),

a rate multiplies :math:`\mathcal D[L]` without factor 2 (the catalogue maps the papers' rates).
The state is a vector in Liouville space and :math:`\rho(t) = e^{\mathcal L (t - t_0)}\rho(t_0)`
is applied with :func:`scipy.sparse.linalg.expm_multiply` (Al-Mohy & Higham; truncated Taylor
series with scaling, accurate to float64 round-off), interval by interval.

Representations (:class:`LiouvilleSpace`), built with the existing Liouvillian builders:

* collective spins and modes (``S=``, ``truncation=``): :func:`numeric.core.liouvillian.liouvillian`,
  column-stacked :math:`\mathrm{vec}\,\rho`, states returned as :class:`numeric.states.observables.State`;
* N atoms with individual terms (``N=``): :func:`numeric.pi.permutational.pi_liouvillian` on the
  weighted blocks :math:`x_j = d_j\rho_j`, states returned as :class:`numeric.pi.permutational.PIState`.

Expectation values are linear functionals :math:`\langle A\rangle = f_A\cdot v` built once from the
model's own operators (strings parsed by :meth:`analytic.model.Model.operator`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
import sympy as sp
from numpy.typing import ArrayLike

from analytic.algebra import Op
from analytic.model import Model, ModelError
from numeric.core import progress as pg
from numeric.core import resources
from numeric.core.liouvillian import superop, hamiltonian_and_jumps, setup
from numeric.core.operators import Size, Truncation
from numeric.states.observables import State, as_operator
from numeric.pi.permutational import PILiouvillian, PIState, word_local

__all__ = ["Evolution", "LiouvilleSpace", "evolve", "liouville_space", "liouville_sizes"]


# =========================================================================== Liouville space
@dataclass
class LiouvilleSpace:
    r"""A model's Liouvillian in one representation, with the maps between states and vectors.

    Attributes
    ----------
    model : analytic.model.Model
    kind : str
        ``'collective'`` (column-stacked :math:`\mathrm{vec}\,\rho`) or ``'pi'`` (weighted
        permutation-invariant blocks).
    L : scipy.sparse.csr_matrix
        The Liouvillian.
    vals : dict
        ``{Symbol: number}`` (parameters and sizes).
    rep : numeric.core.operators.Representation or None
        Collective representation (``kind == 'collective'``).
    basis : numeric.pi.permutational.DickeBasis or None
        Permutation-invariant basis (``kind == 'pi'``).
    H, jumps :
        Collective representation only: sparse Hamiltonian and ``[(rate, L), ...]``.
    """

    model: Model
    kind: str
    L: sps.csr_matrix
    vals: dict
    rep: object = None
    basis: object = None
    H: object = None
    jumps: list = field(default_factory=list)

    @property
    def n(self) -> int:
        """Length of a state vector."""
        return self.L.shape[0]

    @property
    def dim(self) -> int:
        """Hilbert-space dimension (collective) or N + 1 (size of the symmetric block, ``pi``)."""
        return self.rep.dim if self.kind == "collective" else self.basis.N + 1

    # ---------------------------------------------------------------- functionals
    def functional(self, op: str | Op) -> tuple[np.ndarray, bool]:
        r"""``(f, hermitian)``: the row vector with :math:`\langle A\rangle = f\cdot v` and whether
        :math:`A = A^\dagger` (then the value is real)."""
        A = as_operator(self.model, op)
        herm = (A - A.dagger()).simplify().is_zero()
        f = np.zeros(self.n, dtype=complex)
        if self.kind == "collective":
            M = self.rep.matrix(A, self.vals).tocoo()
            d = self.rep.dim
            np.add.at(f, M.row * d + M.col, M.data)  # <A> = sum_ij A_ij rho_ji, vec index of rho_ji = j + i d
            return f, herm

        b = self.basis
        for w, c in A.terms.items():
            cv = complex(sp.sympify(c).subs(self.vals))
            word = tuple(g.letter for g in w)
            for k, tj in enumerate(b.tj):
                a, t, s, num, den = word_local(int(tj), word)
                if len(a):
                    vals = s * np.sqrt(num.astype(float) / den.astype(float))
                    np.add.at(f, b.offsets[k] + a + t * (int(tj) + 1), cv * vals)
        return f, herm

    def trace_row(self) -> np.ndarray:
        """Row vector of the trace, :math:`\\mathrm{Tr}\\rho = t\\cdot v`."""
        t = np.zeros(self.n)
        if self.kind == "collective":
            d = self.rep.dim
            t[np.arange(d) * (d + 1)] = 1.0
        else:
            b = self.basis
            for o, d in zip(b.offsets, b.dims):
                t[o + np.arange(d) * (d + 1)] = 1.0
        return t

    # ---------------------------------------------------------------- states <-> vectors
    def vector(self, rho0: State | PIState | ArrayLike, name: str = "rho0") -> np.ndarray:
        r"""The state vector of ``rho0``.

        Accepted: a :class:`State` / :class:`PIState` of this model and size; a ket or a density
        matrix (collective: of the full space; ``pi``: of the symmetric block :math:`j = N/2`,
        Dicke basis :math:`m = N/2, \dots, -N/2`); for ``pi`` also the weighted-block vector.
        Density matrices must be Hermitian, positive semi-definite and of unit trace.
        """

        if isinstance(rho0, State):
            if self.kind != "collective" or rho0.model.name != self.model.name or rho0.rep.dims != self.rep.dims:
                raise ModelError(f"{name}: State of model {rho0.model.name!r} with dims {rho0.rep.dims} does not "
                                 f"belong to this representation")
            if rho0.dps:
                raise ModelError(f"{name}: arbitrary-precision states are not evolved; pass a float64 State")
            return self._checked_matrix(np.asarray(rho0.rho, dtype=complex), name).reshape(-1, order="F")
        if isinstance(rho0, PIState):
            if self.kind != "pi" or rho0.N != self.basis.N or rho0.model.name != self.model.name:
                raise ModelError(f"{name}: PIState (model {rho0.model.name!r}, N={rho0.N}) does not belong to this "
                                 f"representation")
            return self._checked_pi(np.asarray(rho0.x, dtype=complex), name)
        arr = np.asarray(rho0, dtype=complex)
        if not np.all(np.isfinite(arr)):
            raise ModelError(f"{name} contains NaN or infinite entries")
        d = self.dim
        if arr.shape == (d,):
            nrm = np.linalg.norm(arr)
            if nrm == 0:
                raise ModelError(f"{name} is the zero vector")
            arr = np.outer(arr, arr.conj()) / nrm ** 2
        if self.kind == "pi" and arr.shape == (self.n,) and self.n != d:
            return self._checked_pi(arr, name)
        if arr.shape != (d, d):
            expect = f"a ket of length {d}, a {d}x{d} density matrix" + (
                f" (symmetric block j = N/2) or a weighted-block vector of length {self.n}" if self.kind == "pi" else "")
            raise ModelError(f"{name} has shape {arr.shape}; expected {expect}")
        rho = self._checked_matrix(arr, name)
        if self.kind == "collective":
            return rho.reshape(-1, order="F")
        x = np.zeros(self.n, dtype=complex)
        x[: d * d] = rho.reshape(-1, order="F")  # block j = N/2 comes first, degeneracy 1
        return x

    @staticmethod
    def _checked_matrix(rho: np.ndarray, name: str) -> np.ndarray:
        scale = max(np.abs(rho).max(), 1.0)
        if np.abs(rho - rho.conj().T).max() > 1e-10 * scale:
            raise ModelError(f"{name} is not Hermitian")
        tr = np.trace(rho).real
        if abs(tr - 1) > 1e-10:
            raise ModelError(f"{name} must have unit trace, got {tr:.12g}")
        if np.linalg.eigvalsh((rho + rho.conj().T) / 2).min() < -1e-10:
            raise ModelError(f"{name} is not positive semi-definite")
        return rho

    def _checked_pi(self, x: np.ndarray, name: str) -> np.ndarray:
        for k, B in enumerate(self.basis.blocks(x)):
            if np.abs(B - B.conj().T).max() > 1e-10 * max(np.abs(B).max(), 1.0):
                raise ModelError(f"{name}: block {k} (2j = {self.basis.tj[k]}) is not Hermitian")
            if np.linalg.eigvalsh((B + B.conj().T) / 2).min() < -1e-10:
                raise ModelError(f"{name}: block {k} (2j = {self.basis.tj[k]}) is not positive semi-definite")
        tr = float(self.trace_row() @ x.real)
        if abs(tr - 1) > 1e-10:
            raise ModelError(f"{name} must have unit trace, got {tr:.12g}")
        return x

    def state(self, v: np.ndarray, info: dict | None = None) -> State | PIState:
        """The :class:`State` (collective) or :class:`PIState` (``pi``) of a vector (normalised to
        unit trace, Hermitian part)."""
        v = v / (self.trace_row() @ v).real
        if self.kind == "collective":
            d = self.rep.dim
            rho = v.reshape(d, d, order="F")
            return State(self.model, self.rep, (rho + rho.conj().T) / 2, self.vals, info=info)

        blocks = [(B + B.conj().T) / 2 for B in self.basis.blocks(v)]
        return PIState(self.model, self.basis.N, self.basis.vector(blocks), self.vals, info=info)


def liouville_space(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None,
                    **sizes: Size) -> LiouvilleSpace:
    """The :class:`LiouvilleSpace` of a model: collective (``S=``, ``truncation=``, other sizes) or,
    for models with individual dissipators, permutation invariant (``N=``).

    Raises :class:`ModelError` for bad input (as :func:`numeric.core.liouvillian.liouvillian` and
    :func:`numeric.pi.permutational.pi_liouvillian` do)."""
    if not isinstance(model, Model):
        raise ModelError(f"model must be an analytic.model.Model, got {type(model).__name__}")
    if model.has_individual_terms():

        N = sizes.pop("N", None)
        if N is None:
            raise ModelError(f"model {model.name!r} has individual dissipators: give the number of atoms N=")
        if S is not None or truncation is not None or sizes:
            raise ModelError(f"model {model.name!r} takes only N= (got also "
                             f"{sorted(['S'] * (S is not None) + ['truncation'] * (truncation is not None) + list(sizes))})")
        pl = PILiouvillian(model, values, N)
        return LiouvilleSpace(model, "pi", pl.L.tocsr(), pl.vals, basis=pl.basis)
    rep, vals = setup(model, values, S, truncation, **sizes)
    H, jumps = hamiltonian_and_jumps(model, rep, vals)
    return LiouvilleSpace(model, "collective", superop(H, jumps), vals, rep=rep, H=H, jumps=jumps)


def liouville_sizes(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None,
                    **sizes: Size) -> dict | None:
    r"""Sizes of :func:`liouville_space` predicted before anything of size :math:`d^2` or
    :math:`N^3` is allocated, for :mod:`numeric.core.resources`: ``{'kind', 'n', 'nnz', 'N',
    'channels'}`` (``n`` the state-vector length, ``nnz`` the Liouvillian's non-zeros: collective
    from the sparse H and jumps, :func:`numeric.core.resources.liouvillian_nnz`; permutation invariant
    :math:`n = \sum_j (2j+1)^2` and 8 non-zeros per entry, measured 7.1-7.4 for driven_dicke).
    ``None`` when the input is invalid (:func:`liouville_space` then raises the ModelError)."""
    if not isinstance(model, Model):
        return None
    if model.has_individual_terms():
        N = sizes.get("N")
        if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
            return None
        n = resources.pi_vector_length(int(N))
        return {"kind": "pi", "n": n, "nnz": 8.0 * n, "N": int(N), "channels": len(model.dissipators)}
    rep, vals = setup(model, values, S, truncation, **sizes)
    H, jumps = hamiltonian_and_jumps(model, rep, vals)
    return {"kind": "collective", "n": rep.dim ** 2, "nnz": resources.liouvillian_nnz(H, jumps), "N": None,
            "channels": len(jumps)}


# =========================================================================== evolution
@dataclass
class Evolution:
    """Result of :func:`evolve`.

    Attributes
    ----------
    times : numpy.ndarray
    expect : dict
        ``{operator string: array over times}`` (real for Hermitian operators).
    final : State or PIState
        The state at ``times[-1]``.
    states : list or None
        All states (``store_states=True``).
    info : dict
        ``trace_error`` (largest :math:`|\\mathrm{Tr}\\rho - 1|` along the way), ``time``, ``n``.
    """

    times: np.ndarray
    expect: dict
    final: object
    states: list | None
    info: dict


def check_times(times: ArrayLike) -> np.ndarray:
    """The output times as a float array: 1-d, finite, strictly increasing, at least one; ModelError otherwise."""
    try:
        t = np.asarray(times, dtype=float)
    except (TypeError, ValueError):
        raise ModelError("times must be a 1-d sequence of numbers") from None
    if t.ndim != 1 or len(t) < 1:
        raise ModelError(f"times must be a non-empty 1-d sequence, got shape {t.shape}")
    if not np.all(np.isfinite(t)):
        raise ModelError("times contains NaN or infinite values")
    if np.any(np.diff(t) <= 0):
        raise ModelError("times must be strictly increasing")
    return t


def expectation_rows(space: LiouvilleSpace, e_ops: str | Op | Sequence[str | Op]) -> dict[str, tuple]:
    """``{name: (Op, functional row, hermitian)}`` of the requested operators."""
    if isinstance(e_ops, (str, Op)):
        e_ops = [e_ops]
    out = {}
    for op in e_ops:
        A = as_operator(space.model, op)
        out[op if isinstance(op, str) else str(op)] = (A, *space.functional(A))
    return out


def _uniform(t: np.ndarray) -> bool:
    if len(t) < 3:
        return False
    dt = np.diff(t)
    return bool(np.abs(dt - dt.mean()).max() <= 1e-12 * max(abs(t).max(), 1.0))


def evolve(model: Model, values: Mapping, rho0: State | PIState | ArrayLike, times: ArrayLike,
           S: Size | None = None, truncation: Truncation = None, e_ops: str | Op | Sequence[str | Op] = (),
           store_states: bool = False, progress: bool = False, max_memory: float | str | None = None,
           **sizes: Size) -> Evolution:
    r"""Integrate the master equation :math:`\dot\rho = \mathcal L\rho` from ``rho0`` at ``times[0]``.

    .. math:: \rho(t_{i+1}) = e^{\mathcal L\,(t_{i+1} - t_i)}\,\rho(t_i),

    with :math:`\mathcal L` of :func:`numeric.core.liouvillian.liouvillian` (collective spins and modes)
    or :func:`numeric.pi.permutational.pi_liouvillian` (N atoms with individual terms, e.g. seed 004
    eq. (1)), QuTiP's Lindblad convention (rates multiply :math:`\mathcal D[L]` without factor 2).

    Parameters
    ----------
    model : analytic.model.Model
    values : mapping
        ``{parameter name: number}``.
    rho0 : State, PIState, or array
        Initial state: see :meth:`LiouvilleSpace.vector` (ket, density matrix, weighted blocks).
    times : sequence of float
        Strictly increasing output times; ``rho0`` is the state at ``times[0]``.
    S, truncation, **sizes
        Sizes as in :func:`numeric.core.liouvillian.liouvillian`; ``N=`` for models with individual terms.
    e_ops : sequence of str or Op
        Operators whose expectation values are recorded at every time.
    store_states : bool
        Keep every state (memory: ``len(times)`` density matrices).
    progress : bool
        A bar over the output times on stderr (:func:`numeric.core.progress.bar`); default: nothing printed.
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`, a ``ModelError``) when the estimated
        peak memory (:func:`numeric.core.resources.estimate_evolve`: the sparse Liouvillian, the
        recorded rows and the stored states) exceeds it, before the Liouvillian is built; bytes
        or a string like ``'2 GiB'``; default 80% of the memory available now.

    Returns
    -------
    Evolution
        ``info['trace_error']`` is the largest deviation of the trace from 1 (a check of the
        integration; the Lindblad evolution preserves it exactly); ``info['resources']`` the
        estimate.

    Raises
    ------
    ModelError
        Bad input (model sizes, parameters, ``rho0``, ``times``, an unknown operator); its
        subclass :class:`numeric.core.resources.ResourceError`: estimated memory above ``max_memory``.
    """
    t0 = time.perf_counter()
    t = check_times(times)
    pre = liouville_sizes(model, values, S=S, truncation=truncation, **sizes)
    est = None
    if pre is not None:
        n_ops = 1 if isinstance(e_ops, (str, Op)) else len(e_ops)
        est = resources.check(resources.estimate_evolve(pre["n"], pre["nnz"], n_ops, len(t) if store_states else 0),
                              max_memory, "evolve")
    space = liouville_space(model, values, S=S, truncation=truncation, **sizes)
    v = space.vector(rho0)
    fun = expectation_rows(space, e_ops)
    tr_row = space.trace_row()
    F = np.array([f for _, f, _ in fun.values()]) if fun else np.zeros((0, space.n))
    values_t = np.zeros((len(fun), len(t)), dtype=complex)
    traces = np.zeros(len(t))
    states = [] if store_states else None
    bar = pg.bar(len(t) - 1, f"evolve {model.name}", progress, unit="time")

    def record(i, vec):
        values_t[:, i] = F @ vec
        traces[i] = (tr_row @ vec).real
        if store_states:
            states.append(space.state(vec))

    record(0, v)
    L = space.L
    trace_L = L.diagonal().sum()
    if _uniform(t):
        # one expm_multiply call per chunk of the uniform grid (shared Taylor degree and scaling)
        i, chunk = 0, 64
        while i < len(t) - 1:
            j = min(i + chunk, len(t) - 1)
            block = spla.expm_multiply(L, v, start=0.0, stop=t[j] - t[i], num=j - i + 1, endpoint=True,
                                       traceA=trace_L)
            for k in range(1, j - i + 1):
                record(i + k, block[k])
            v = block[-1]
            bar.update(j - i)
            i = j
    else:
        for i in range(1, len(t)):
            v = spla.expm_multiply(L * (t[i] - t[i - 1]), v, traceA=trace_L * (t[i] - t[i - 1]))
            record(i, v)
            bar.update(1)
    bar.close()
    if not np.all(np.isfinite(v)):
        raise ModelError("evolve: the integration produced non-finite numbers")
    trace_error = float(np.abs(traces - 1).max())
    if trace_error > 1e-8:
        raise ModelError(f"evolve: the trace drifted by {trace_error:.1e}; the integration is not accurate")
    expect = {}
    for (key, (_, _, herm)), row in zip(fun.items(), values_t):
        expect[key] = (row / traces).real if herm else row / traces
    info = {"trace_error": trace_error, "time": time.perf_counter() - t0, "n": space.n, "representation": space.kind,
            "resources": est.as_dict() if est is not None else None}
    return Evolution(t, expect, space.state(v, info=info), states, info)
