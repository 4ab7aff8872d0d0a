r"""Quantum-jump (Monte Carlo) unravellings of the master equation, with the jump record per channel.

Convention (hbar = 1, QuTiP's): channel k is :math:`r_k\mathcal D[L_k]`.  Between jumps the
unnormalised conditional state follows the no-jump generator, and a jump of channel k happens at
rate :math:`r_k\langle L_k^\dagger L_k\rangle_c` (Dalibard, Castin & Molmer, PRL 68, 580 (1992);
Plenio & Knight, RMP 70, 101 (1998)).  A trajectory draws :math:`u\sim U(0,1)`, evolves until the
norm (trace) of the conditional state has decayed to u, jumps, and starts again.

Two unravellings:

* **Collective models** (``S=``, ``truncation=``): pure states,
  :math:`\dot\psi = -iH_{\rm eff}\psi`, :math:`H_{\rm eff} = H - \tfrac i2\sum_k r_kL_k^\dagger L_k`,
  jump :math:`\psi\to L_k\psi`.
* **N atoms with individual decay** (``N=``, e.g. seed 004 eq. (1)): the detector of the individual
  channel counts photons *without resolving which atom emitted* (seed 004 App. G counts them in
  one photodetector, PD\ :sub:`perp`).  The jump is then the superoperator
  :math:`\mathcal J_s\rho = r_s\sum_n X_n\rho X_n^\dagger`, which maps permutation-invariant states to
  permutation-invariant states, so the conditional state stays in the permutation-invariant
  representation of :mod:`numeric.pi.permutational` (~N^3/6 numbers instead of 2^N amplitudes).
  Justification: the probability of a record of (collective, individual) click times is
  :math:`\mathrm{Tr}[\dots\mathcal J_{k_2}e^{\mathcal L_0\tau_2}\mathcal J_{k_1}e^{\mathcal L_0\tau_1}\rho_0]`
  and summing the atom-resolved record over the atom labels gives exactly
  :math:`\mathcal J_s = \sum_n`; the counting statistics of both ports are therefore identical to
  those of the atom-resolved unravelling used by seed 004 (QuTiP mcsolve with N operators
  :math:`\sqrt{\gamma_s}\sigma_n`), and the conditional state is the average of the atom-resolved
  conditional states over the unresolved labels (same conditional :math:`\langle S_z\rangle`
  given the same coarse record).  Collective channels may be left unmonitored (``monitor=``);
  they then stay in :math:`\mathcal L_0`.  Individual channels must be monitored (otherwise the
  no-jump generator couples the j blocks and the method loses its block structure).

No-jump evolution: the generator :math:`G` (:math:`-iH_{\rm eff}`, or
:math:`\mathcal L_0 = \mathcal L - \sum_{k\,\rm monitored}\mathcal J_k`, block diagonal in j) is
diagonalised once, block by block; the conditional state is kept in eigen-coordinates, so norms,
traces and expectation values at any time cost O(n), and jump times are found by root finding
on the monotone norm (Newton steps safeguarded by bisection).  The decomposition is checked (:math:`\|GV - V\Lambda\|`) and refused if
inaccurate.  Seeded with :class:`numpy.random.SeedSequence`: trajectory i depends only on
``(seed, i)``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sps
import sympy as sp
from numpy.typing import ArrayLike

from analytic.algebra import Op
from analytic.model import Model, ModelError
from numeric.core import progress as pg
from numeric.core import resources
from numeric.core.operators import Size, Truncation
from numeric.dynamics.evolve import LiouvilleSpace, check_times, expectation_rows, liouville_sizes, liouville_space
from numeric.states.observables import State
from numeric.states.state import StateLike

__all__ = ["Trajectories", "quantum_jumps", "jump_superoperators"]


# =========================================================================== channels
def jump_superoperators(space: LiouvilleSpace) -> list:
    r"""``[(label, kind, J_k)]``: the sandwich superoperator :math:`\mathcal J_k\rho = r_k L_k\rho L_k^\dagger`
    (collective) or :math:`r_k\sum_n X_n\rho X_n^\dagger` (individual) of every dissipator with a
    non-zero rate, as sparse matrices on ``space`` (built from the same exact structures as the
    permutation-invariant Liouvillian)."""
    out = []
    if space.kind == "collective":
        for d, (r, L) in zip([d for d in space.model.dissipators
                              if complex(sp.sympify(d.rate).subs(space.vals)) != 0], space.jumps):
            out.append((d.label, d.kind, (r * sps.kron(L.conj(), L)).tocsr()))
        return out
    from numeric.pi.permutational import op_words, superop_structure

    n = space.n
    for d in space.model.dissipators:
        r = complex(sp.sympify(d.rate).subs(space.vals))
        if r == 0:
            continue
        terms = []
        if d.kind == "collective":
            for w1, c1 in op_words(d.jump):
                for w2, c2 in op_words(d.jump):
                    terms.append((("S", w1, w2), c1 * sp.conjugate(c2)))
        else:
            X = sp.Matrix(d.jump.matrix)
            for s in range(2):
                for t in range(2):
                    for s2 in range(2):
                        for t2 in range(2):
                            if X[s, t] * sp.conjugate(X[s2, t2]) != 0:
                                terms.append((("I", s, t, s2, t2), X[s, t] * sp.conjugate(X[s2, t2])))
        J = sps.csr_matrix((n, n), dtype=complex)
        for key, c in terms:
            st = superop_structure(space.basis, key)
            cv = r * complex(sp.sympify(c).subs(space.vals))
            J = J + sps.csr_matrix((cv * st.fvals, (st.rows, st.cols)), shape=(n, n))
        out.append((d.label, d.kind, J.tocsr()))
    return out


def _eig_block(G: np.ndarray, label: str) -> tuple:
    lam, V = sla.eig(G)
    Vinv = np.linalg.inv(V)
    scale = max(np.abs(G).max(), 1e-300)
    err = float(np.abs(G @ V - V * lam).max() / scale)
    back = float(np.abs(V @ Vinv - np.eye(len(lam))).max())
    if err > 1e-9 or back > 1e-8:
        raise ModelError(f"quantum_jumps: the no-jump generator of {label} is not accurately diagonalisable "
                         f"(residual {err:.1e}, |V V^-1 - 1| = {back:.1e})")
    return lam, V, Vinv, max(err, back)


# =========================================================================== engines
def _mv(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Matrix-vector product without BLAS threads (the hot loop multiplies many small blocks; a
    threaded BLAS on a loaded machine is slower by orders of magnitude there)."""
    return np.einsum("ij,j->i", A, x)


class _DensityEngine:
    """Conditional mixed state in the permutation-invariant representation (blocks of j)."""

    def __init__(self, space: LiouvilleSpace, monitor: Sequence[str] | None, e_ops: dict):
        chans = jump_superoperators(space)
        labels = [c[0] for c in chans]
        mon = labels if monitor is None else list(monitor)
        for m in mon:
            if m not in labels:
                raise ModelError(f"monitor: model {space.model.name!r} has no channel {m!r}; it has {labels}")
        for lab, kind, _ in chans:
            if kind == "individual" and lab not in mon:
                raise ModelError(f"monitor: the individual channel {lab!r} must be monitored (its unresolved "
                                 f"jumps keep the conditional state permutation invariant)")
        self.channels = [(lab, J) for lab, kind, J in chans if lab in mon]
        G = space.L.tocsr()
        for _, J in self.channels:
            G = G - J
        G = G.tocsr()
        G.data[np.abs(G.data) <= 1e-14 * np.abs(G.data).max()] = 0  # round-off of L - J across blocks
        G.eliminate_zeros()
        b = space.basis
        self.idx = [np.arange(o, o + d * d) for o, d in zip(b.offsets, b.dims)]
        blk = np.repeat(np.arange(len(self.idx)), [len(i) for i in self.idx])
        coo = G.tocoo()
        if np.any(blk[coo.row] != blk[coo.col]):  # pragma: no cover - guaranteed by the check above
            raise ModelError("quantum_jumps: the no-jump generator couples different j blocks")
        self.lam, self.V, self.Vinv, errs = [], [], [], []
        Gd = G.tocsr()
        for k, ii in enumerate(self.idx):
            lam, V, Vinv, err = _eig_block(Gd[ii][:, ii].toarray(), f"block 2j = {b.tj[k]}")
            self.lam.append(lam), self.V.append(V), self.Vinv.append(Vinv), errs.append(err)
        self.eig_error = max(errs)
        self.lam_all = np.concatenate(self.lam)
        tr = space.trace_row()
        self.trace_V = self._rows(tr)
        self.jump_rows = [self._rows(np.asarray((sps.csr_matrix(tr) @ J).todense()).ravel()) for _, J in self.channels]
        # channels that keep j (collective jumps) act block by block in eigen-coordinates
        self.eig_jumps = []
        for _, J in self.channels:
            c = J.tocoo()
            local = np.all(blk[c.row] == blk[c.col])
            self.eig_jumps.append([Vi @ (J[ii][:, ii] @ V) for ii, V, Vi in zip(self.idx, self.V, self.Vinv)]
                                  if local else None)
        self.offsets = np.concatenate([[0], np.cumsum([len(i) for i in self.idx])])
        self.trace_row = tr
        self.e_rows = np.array([self._rows(f) for _, f, _ in e_ops.values()]) if e_ops else np.zeros((0, space.n))
        self.space = space

    def _rows(self, f: np.ndarray) -> np.ndarray:
        """Row functional in eigen-coordinates (block by block)."""
        return np.concatenate([f[ii] @ V for ii, V in zip(self.idx, self.V)])

    def coords(self, x: np.ndarray) -> np.ndarray:
        return np.concatenate([_mv(Vi, x[ii]) for ii, Vi in zip(self.idx, self.Vinv)])

    def vector(self, y: np.ndarray) -> np.ndarray:
        x = np.empty(self.space.n, dtype=complex)
        o = 0
        for ii, V in zip(self.idx, self.V):
            x[ii] = _mv(V, y[o:o + len(ii)])
            o += len(ii)
        return x

    def weight(self, y: np.ndarray, s: np.ndarray) -> np.ndarray:
        return np.einsum("i,is->s", self.trace_V * y, np.exp(np.outer(self.lam_all, s))).real

    def weight_slope(self, y: np.ndarray, s: float) -> tuple:
        c = self.trace_V * y * np.exp(self.lam_all * s)
        return float(c.sum().real), float((c @ self.lam_all).real)

    def expect(self, y: np.ndarray, s: np.ndarray) -> np.ndarray:
        E = np.exp(np.outer(self.lam_all, s))
        return np.einsum("mi,is->ms", self.e_rows * y, E) / np.einsum("i,is->s", self.trace_V * y, E).real

    def jump(self, y: np.ndarray, s: float, rng: np.random.Generator) -> tuple:
        ys = y * np.exp(self.lam_all * s)
        p = np.array([max((row @ ys).real, 0.0) for row in self.jump_rows])
        k = int(rng.choice(len(p), p=p / p.sum()))
        if self.eig_jumps[k] is not None:
            o = self.offsets
            y = np.concatenate([_mv(M, ys[o[b]:o[b + 1]]) for b, M in enumerate(self.eig_jumps[k])])
            return k, y / p[k]
        x = self.channels[k][1] @ self.vector(ys)
        return k, self.coords(x / (self.trace_row @ x).real)

    def state(self, y: np.ndarray, s: float):
        return self.space.state(self.vector(y * np.exp(self.lam_all * s)))


class _KetEngine:
    """Pure conditional state of a collective model."""

    def __init__(self, space: LiouvilleSpace, monitor: Sequence[str] | None, e_ops: dict):
        labels = [d.label for d in space.model.dissipators if complex(sp.sympify(d.rate).subs(space.vals)) != 0]
        if monitor is not None and sorted(monitor) != sorted(labels):
            raise ModelError(f"monitor: a pure-state unravelling of {space.model.name!r} monitors every channel "
                             f"{labels}; got {list(monitor)}")
        self.channels = [(lab, np.sqrt(r) * L.tocsr()) for lab, (r, L) in zip(labels, space.jumps)]
        Heff = space.H.toarray().astype(complex)
        for _, C in self.channels:
            Heff = Heff - 0.5j * (C.conj().T @ C).toarray()
        self.lam, self.V, self.Vinv, self.eig_error = _eig_block(-1j * Heff, "H_eff")
        self.gram = self.V.conj().T @ self.V
        self.ops = [space.rep.matrix(A, space.vals) for A, _, _ in e_ops.values()]
        self.space = space

    def weight(self, y: np.ndarray, s: np.ndarray) -> np.ndarray:
        Y = y[:, None] * np.exp(np.outer(self.lam, s))
        return np.einsum("is,ij,js->s", Y.conj(), self.gram, Y).real

    def weight_slope(self, y: np.ndarray, s: float) -> tuple:
        ys = y * np.exp(self.lam * s)
        g = self.gram @ ys
        return float(np.vdot(ys, g).real), float(2 * np.vdot(ys * self.lam, g).real)

    def expect(self, y: np.ndarray, s: np.ndarray) -> np.ndarray:
        X = self.V @ (y[:, None] * np.exp(np.outer(self.lam, s)))
        nrm = np.sum(np.abs(X) ** 2, axis=0)
        return np.array([np.sum(X.conj() * (A @ X), axis=0) / nrm for A in self.ops]).reshape(len(self.ops), len(s))

    def jump(self, y: np.ndarray, s: float, rng: np.random.Generator) -> tuple:
        x = self.V @ (y * np.exp(self.lam * s))
        new = [C @ x for _, C in self.channels]
        p = np.array([np.vdot(v, v).real for v in new])
        k = int(rng.choice(len(p), p=p / p.sum()))
        return k, self.Vinv @ (new[k] / np.linalg.norm(new[k]))

    def state(self, y: np.ndarray, s: float):
        x = self.V @ (y * np.exp(self.lam * s))
        return self.space.state(np.outer(x, x.conj()).reshape(-1, order="F"))


# =========================================================================== results
@dataclass
class Trajectories:
    r"""Result of :func:`quantum_jumps`.

    Attributes
    ----------
    times : numpy.ndarray
        Output times.
    expect : dict
        ``{operator: array (ntraj, len(times))}`` of conditional expectation values.
    jump_times, jump_channels : list of numpy.ndarray
        Per trajectory: the click times and the index of the channel (into ``channels``).
    channels : list of str
        Labels of the monitored dissipators.
    finals : list
        Conditional state of each trajectory at ``times[-1]`` (State or PIState).
    info : dict
        ``seed``, ``eig_error`` (accuracy of the no-jump propagator), ``time``, ``unravelling``.
    """

    times: np.ndarray
    expect: dict
    jump_times: list
    jump_channels: list
    channels: list
    finals: list
    info: dict = field(default_factory=dict)

    @property
    def ntraj(self) -> int:
        return len(self.jump_times)

    def mean(self, op: str) -> tuple:
        """Ensemble average of ``<op>`` and its standard error over the trajectories."""
        v = self.expect[op]
        err = v.std(axis=0, ddof=1) / np.sqrt(len(v)) if len(v) > 1 else np.full(v.shape[1], np.nan)
        return v.mean(axis=0), err

    def channel_index(self, channel: int | str) -> int:
        if isinstance(channel, (int, np.integer)) and 0 <= channel < len(self.channels):
            return int(channel)
        if channel in self.channels:
            return self.channels.index(channel)
        raise ModelError(f"channel must be one of {self.channels}, got {channel!r}")

    def counts(self, channel: int | str, edges: ArrayLike) -> np.ndarray:
        r"""Clicks of ``channel`` in the time bins ``edges`` (array ``(ntraj, len(edges) - 1)``);
        seed 004 (G1), (G2): the mean is :math:`r_k\int\langle L_k^\dagger L_k\rangle dt` per bin."""
        k = self.channel_index(channel)
        e = np.asarray(edges, dtype=float)
        if e.ndim != 1 or len(e) < 2 or np.any(np.diff(e) <= 0):
            raise ModelError("edges must be a strictly increasing 1-d sequence of at least two times")
        return np.array([np.histogram(t[c == k], bins=e)[0] for t, c in zip(self.jump_times, self.jump_channels)])


def _jump_time(engine, y: np.ndarray, u: float, lo: float, hi: float) -> float:
    """The time s in (lo, hi] where the (decreasing) norm/trace of the conditional state reaches u:
    Newton steps on the weight, safeguarded by bisection of the bracket."""
    s = lo
    tol = 1e-13 * max(1.0, hi)
    for _ in range(200):
        w, dw = engine.weight_slope(y, s)
        f = w - u
        if abs(f) <= 1e-12 * u:
            return s
        if f > 0:
            lo = s
        else:
            hi = s
        if hi - lo <= tol:
            return s
        step = s - f / dw if dw < 0 else np.nan
        s = step if lo < step < hi else 0.5 * (lo + hi)
    raise ModelError(f"quantum_jumps: the jump time did not converge in ({lo}, {hi})")  # pragma: no cover


def _run(engine, y: np.ndarray, times: np.ndarray, rng: np.random.Generator, nops: int):
    out = np.zeros((nops, len(times)), dtype=complex)
    out[:, :1] = engine.expect(y, np.zeros(1))
    t, i, chunk = times[0], 1, 8
    jt, jc = [], []
    u = rng.random()
    while i < len(times):
        j = min(i + chunk, len(times))
        s = times[i:j] - t
        below = np.nonzero(engine.weight(y, s) <= u)[0]
        if len(below) == 0:
            out[:, i:j] = engine.expect(y, s)
            i, chunk = j, min(2 * chunk, 512)
            continue
        g = int(below[0])
        if g:
            out[:, i:i + g] = engine.expect(y, s[:g])
        lo, hi = (s[g - 1] if g else 0.0), s[g]
        tau = _jump_time(engine, y, u, lo, hi)
        k, y = engine.jump(y, tau, rng)
        t = t + tau
        jt.append(t)
        jc.append(k)
        i += g
        chunk = max(2, g + 1)
        u = rng.random()
    final = engine.state(y, times[-1] - t)
    return out, np.array(jt), np.array(jc, dtype=int), final


def quantum_jumps(model: Model, values: Mapping, rho0: StateLike | ArrayLike, times: ArrayLike, ntraj: int = 1,
                  seed: int | np.random.SeedSequence | None = None,
                  e_ops: str | Op | Sequence[str | Op] = (), monitor: Sequence[str] | None = None,
                  S: Size | None = None, truncation: Truncation = None, progress: bool = False,
                  max_memory: float | str | None = None, **sizes: Size) -> Trajectories:
    r"""Quantum-jump trajectories with the click record of each monitored channel.

    Collective models: pure states (``rho0`` a ket).  Models with individual dissipators (``N=``):
    permutation-invariant conditional states with atom-unresolved individual clicks (module
    docstring; ``rho0`` any state accepted by :meth:`numeric.dynamics.evolve.LiouvilleSpace.vector`, e.g. the
    ket of the symmetric block :math:`|N/2, -N/2\rangle` = all atoms down).  The ensemble average
    of the conditional states solves the master equation (QuTiP's Lindblad convention).

    Parameters
    ----------
    model, values, S, truncation, **sizes
        As :func:`numeric.dynamics.evolve.evolve`.
    rho0 : array, State or PIState
        Initial state (a ket for collective models).
    times : sequence of float
        Output grid; the trajectory starts at ``times[0]``.
    ntraj : int
        Number of trajectories.
    seed : int or numpy.random.SeedSequence, optional
        Trajectory i uses ``SeedSequence(seed).spawn(ntraj)[i]``: reproducible, and independent
        of ``ntraj``.
    e_ops : sequence of str or Op
        Conditional expectation values recorded on ``times``.
    monitor : sequence of str, optional
        Labels of the dissipators whose clicks are recorded (default: all).  Only for ``N=``
        models, where unmonitored collective channels stay in the no-jump evolution.
    progress : bool
        A bar over the trajectories on stderr (:func:`numeric.core.progress.bar`); default: nothing printed.
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`, a ``ModelError``) when the estimated
        peak memory (:func:`numeric.core.resources.estimate_quantum_jumps`: the dense
        eigen-decomposition of the no-jump generator, the Liouvillian, the final states and the
        records) exceeds it, before anything of that size is allocated; bytes or a string like
        ``'2 GiB'``; default 80% of the memory available now.  ``info['resources']``: the estimate.

    Returns
    -------
    Trajectories
    """
    t0 = time.perf_counter()
    if isinstance(ntraj, bool) or not isinstance(ntraj, (int, np.integer)) or ntraj < 1:
        raise ModelError(f"ntraj must be a positive integer, got ntraj={ntraj!r}")
    try:
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    except (TypeError, ValueError):
        raise ModelError(f"seed must be a non-negative integer or a SeedSequence, got seed={seed!r}") from None
    t = check_times(times)
    pre = liouville_sizes(model, values, S=S, truncation=truncation, **sizes)
    est = None
    if pre is not None:
        n_ops = 1 if isinstance(e_ops, (str, Op)) else len(e_ops)
        est = resources.check(resources.estimate_quantum_jumps(
            pre["kind"], pre["n"], pre["nnz"], int(ntraj), len(t), n_ops, pre["N"], pre["channels"]),
            max_memory, "quantum_jumps")
    space = liouville_space(model, values, S=S, truncation=truncation, **sizes)
    fun = expectation_rows(space, e_ops)
    if space.kind == "pi":
        engine = _DensityEngine(space, monitor, fun)
        y0 = engine.coords(space.vector(rho0))
        unravelling = "permutation-invariant conditional state, atom-unresolved individual clicks"
    else:
        engine = _KetEngine(space, monitor, fun)
        ket = None if isinstance(rho0, State) else np.asarray(rho0, dtype=complex)
        if ket is None or ket.shape != (space.dim,) or not np.all(np.isfinite(ket)) or np.linalg.norm(ket) == 0:
            raise ModelError(f"rho0 must be a non-zero ket of length {space.dim} for the pure-state unravelling "
                             f"of {model.name!r}")
        y0 = engine.Vinv @ (ket / np.linalg.norm(ket))
        unravelling = "pure states"
    herm = [h for _, _, h in fun.values()]
    results = {k: [] for k in fun}
    jts, jcs, finals = [], [], []
    bar = pg.bar(ntraj, f"quantum_jumps {model.name}", progress, unit="trajectory")
    for i, child in enumerate(ss.spawn(ntraj)):
        out, jt, jc, final = _run(engine, y0, t, np.random.default_rng(child), len(fun))
        if not np.all(np.isfinite(out)):
            raise ModelError(f"quantum_jumps: trajectory {i} produced non-finite expectation values")
        for (k, row), h in zip(zip(fun, out), herm):
            results[k].append(row.real if h else row)
        jts.append(jt), jcs.append(jc), finals.append(final)
        bar.update(1)
    bar.close()
    expect = {k: np.array(v) for k, v in results.items()}
    info = {"seed": ss.entropy, "eig_error": engine.eig_error, "time": time.perf_counter() - t0,
            "unravelling": unravelling, "resources": est.as_dict() if est is not None else None}
    return Trajectories(t, expect, jts, jcs, [c[0] for c in engine.channels], finals, info)
