"""The cluster mean-field equations (:class:`Cluster`: F, its Jacobian and stability) and their stationary state."""
from __future__ import annotations

import math
import time
from typing import Mapping, Sequence

import numpy as np
import sympy as sp
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from analytic.model import Model, ModelError
from numeric.core import progress as pg
from numeric.core import resources
from numeric.core.liouvillian import superop
from numeric.core.ordering import metis_nested_dissection
from numeric.core.operators import check_spin_length, numeric_values, spin_matrices
from numeric.semiclassical.cluster.newton import HermitianCoordinates, Linearisation, NewtonSolve, newton_matvec
from numeric.semiclassical.cluster.state import ClusterError, ClusterState, coherent_product
from numeric.semiclassical.cluster.terms import lattice_terms

__all__ = ["Cluster", "cluster_steady_state"]


class Cluster:
    r"""Cluster mean-field equations for clusters of ``sites`` consecutive spins (seed 002 eqs. B1-B3).

    Parameters
    ----------
    model : Model
        A lattice model (``derived['images']``), e.g. ``analytic.models.gain_loss_chain()``.
    values : mapping
        ``{parameter name: number}``.
    S : int or half-integer
        Spin length of every site.
    sites : int
        Spins per cluster (``sites = 1``: ordinary mean field; ``2 N_C``: the N_C cells of eq. B2).
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`, a ``ModelError``) when the estimated peak
        memory of the stationary-state solve (:func:`numeric.core.resources.estimate_cluster`, from the
        cluster dimension alone) exceeds it, before any operator is built; bytes or a string like
        ``'2 GiB'``; default 80% of the memory available now.  Clusters of dimension above 1024
        are refused in any case.

    The state is one column-stacked density matrix per cluster type (``types`` of them, see the
    module docstring).  :meth:`rhs` is :math:`F = \dot\rho_C` (eq. B2), :meth:`linearisation` its
    exact Jacobian, :meth:`steady_state` the stationary state reached from an initial state
    (Newton, see :func:`cluster_steady_state`), :meth:`stability` the rightmost eigenvalues of the
    Jacobian there.  Building a :class:`Cluster` once and calling :meth:`steady_state` with several
    initial states reuses the operators.
    """

    def __init__(self, model: Model, values: Mapping, S: float, sites: int,
                 max_memory: int | float | str | None = None) -> None:
        if isinstance(sites, bool) or not isinstance(sites, (int, np.integer)) or sites < 1:
            raise ModelError(f"sites must be a positive integer, got sites={sites!r}")
        self.terms = lattice_terms(model)
        self.model = model
        Sf = check_spin_length(S, "S")
        self.S = float(Sf)
        self.sites = int(sites)
        self.vals = numeric_values(model, values, {"S": Sf})
        c = self.terms.c
        self.types = c // math.gcd(self.sites, c)
        self.d = int(round(2 * float(Sf))) + 1
        self.dim = self.d ** self.sites
        if self.dim <= 2 ** 64:  # beyond, the dimension cap below refuses (an estimate would overflow floats)
            self.resources = resources.check(resources.estimate_cluster(self.dim, self.types), max_memory,
                                             "cluster_steady_state")
        if self.dim > 1024:
            raise ModelError(f"cluster of {self.sites} spins S={S} has dimension {self.dim} > 1024")
        self.local = dict(spin_matrices(Sf))
        self.local["x"] = ((self.local["p"] + self.local["m"]) / 2).tocsr()
        self.local["y"] = ((self.local["p"] - self.local["m"]) / 2j).tocsr()
        self._gen, self._probes = {}, {}
        self._build()

    # ---------------------------------------------------------------- operators
    def _num(self, coeff) -> complex:
        return complex(sp.sympify(coeff).subs(self.vals))

    def op(self, i: int, letter: str) -> sps.csr_matrix:
        """Full-space sparse matrix of the generator ``letter`` on cluster site ``i``."""
        key = (i, letter)
        if key not in self._gen:
            left = sps.identity(self.d ** i, format="csr")
            right = sps.identity(self.d ** (self.sites - i - 1), format="csr")
            self._gen[key] = sps.kron(sps.kron(left, self.local[letter]), right, format="csr")
        return self._gen[key]

    def _word(self, factors: Sequence) -> sps.csr_matrix:
        out = sps.identity(self.dim, dtype=complex, format="csr")
        for i, letter in factors:
            out = out @ self.op(i, letter)
        return out.tocsr()

    def _locate(self, p: int):
        """Cluster type and internal index of absolute site p."""
        ell = p // self.sites
        return ell % self.types, p - ell * self.sites

    def _probe(self, t: int, i: int, letters) -> np.ndarray:
        r"""Row vector x with :math:`x\cdot\mathrm{vec}(\rho) = \mathrm{Tr}(\rho X)` (column stacking)."""
        key = (t, i, tuple(letters))
        if key not in self._probes:
            X = self._word([(i, l) for l in letters]).toarray()
            self._probes[key] = X.T.ravel(order="F")
        return self._probes[key]

    def _build(self) -> None:
        n, c = self.sites, self.terms.c
        eye = sps.identity(self.dim, dtype=complex, format="csr")
        self.L0, self.fields = [], []
        for t in range(self.types):
            start = t * n
            H = sps.csr_matrix((self.dim, self.dim), dtype=complex)
            fields = []  # (coefficient, superoperator -i[O, .], [(type, index, letters)] outside segments)
            for key, coeff in self.terms.hamiltonian.items():
                cf = self._num(coeff)
                if cf == 0:
                    continue
                span = [p for p, _ in key]
                lo = (start - max(span)) // c - 1
                hi = (start + n - 1 - min(span)) // c + 1
                for m in range(lo, hi + 1):
                    placed = [(p + c * m - start, letter) for p, letter in key]
                    inside = [(i, l) for i, l in placed if 0 <= i < n]
                    if not inside:
                        continue
                    outside = {}
                    for i, l in placed:
                        if not 0 <= i < n:
                            outside.setdefault(i + start, []).append(l)
                    O = self._word(inside)
                    if not outside:
                        H = H + cf * O
                    else:
                        segs = [(*self._locate(p), tuple(ls)) for p, ls in sorted(outside.items())]
                        K = -1j * (sps.kron(eye, O) - sps.kron(O.T, eye))
                        fields.append((cf, K.tocsr(), segs))
            jumps = []
            for offset, rate, jterms in self.terms.dissipators:
                r = self._num(rate)
                if abs(r.imag) > 0 or r.real < 0:
                    raise ModelError(f"negative or complex rate {r}")
                for i in range(n):
                    if (start + i) % c != offset or r.real == 0:
                        continue
                    L = sum(self._num(cf) * self._word([(i, l) for _, l in w]) for w, cf in jterms.items())
                    jumps.append((r.real, L))
            self.L0.append(superop(H, jumps))
            self.fields.append(fields)

    # ---------------------------------------------------------------- dynamics
    def field_means(self, vecs: Sequence[np.ndarray], t: int) -> list:
        """The boundary coefficients (term coefficient times outside means) of cluster type t."""
        out = []
        for cf, _, segs in self.fields[t]:
            mean = cf
            for tt, i, letters in segs:
                mean *= self._probe(tt, i, letters) @ vecs[tt]
            out.append(mean)
        return out

    def apply(self, t: int, means: Sequence, x: np.ndarray) -> np.ndarray:
        r""":math:`(\mathcal L_0 + \mathcal L_\partial)x` of cluster type t for boundary coefficients ``means``."""
        y = self.L0[t] @ x
        for mean, (_, K, _) in zip(means, self.fields[t]):
            y += mean * (K @ x)
        return y

    def rhs(self, vecs: Sequence[np.ndarray]) -> list:
        r""":math:`\mathrm{vec}(\dot\rho_{C,t})` of the non-linear cluster master equation (eq. B2)."""
        return [self.apply(t, self.field_means(vecs, t), vecs[t]) for t in range(self.types)]

    def site_expect(self, vecs: Sequence[np.ndarray], site: int, letter: str) -> complex:
        r""":math:`\langle S^{\rm letter}\rangle` at an absolute site for the states ``vecs``."""
        t, i = self._locate(site)
        return complex(self._probe(t, i, (letter,)) @ vecs[t])

    def derivatives(self, vecs: Sequence[np.ndarray], site: int) -> dict:
        r""":math:`\frac{d}{dt}\langle S^\alpha\rangle/S` (``'sx', 'sy', 'sz'``) at a site for the
        states ``vecs``: the cluster counterpart of :func:`analytic.meanfield.equations`."""
        dr = self.rhs(vecs)
        t, i = self._locate(site)
        return {f"s{a}": float(np.real(self._probe(t, i, (a,)) @ dr[t])) / self.S for a in "xyz"}

    # ---------------------------------------------------------------- helpers
    def product(self, site_states: Sequence[np.ndarray]) -> list:
        """Vectorised cluster states (one per type) of a product over sites, ``site_states[p % period]``
        for absolute site p (period = len(site_states))."""
        out = []
        period = len(site_states)
        for t in range(self.types):
            rho = np.ones((1, 1), dtype=complex)
            for i in range(self.sites):
                rho = np.kron(rho, site_states[(t * self.sites + i) % period])
            out.append(rho.ravel(order="F"))
        return out

    def matrix(self, vec: np.ndarray) -> np.ndarray:
        """Density matrix from its column-stacked vector."""
        return vec.reshape((self.dim, self.dim), order="F")

    # ---------------------------------------------------------------- unknowns, Jacobian, stability
    @property
    def scale(self) -> float:
        r""":math:`\max_t\|\mathcal L_{0,t}\|_\infty`: the unit of residuals and growth rates."""
        return max(float(abs(L).sum(axis=1).max()) for L in self.L0)

    @property
    def size(self) -> int:
        """Number of complex unknowns: ``types * dim**2``."""
        return self.types * self.dim ** 2

    def pack(self, vecs: Sequence[np.ndarray]) -> np.ndarray:
        """One vector from the states of the cluster types."""
        return np.concatenate([np.asarray(v, dtype=complex) for v in vecs])

    def unpack(self, x: np.ndarray) -> list:
        """The states of the cluster types from one vector (views)."""
        n = self.dim ** 2
        return [x[t * n:(t + 1) * n] for t in range(self.types)]

    def residual(self, vecs: Sequence[np.ndarray]) -> float:
        r""":math:`\max_t\|F_t(\rho)\|_2` of the cluster equations (eq. B2)."""
        return max(float(np.linalg.norm(r)) for r in self.rhs(vecs))

    def linearisation(self, vecs: Sequence[np.ndarray]) -> "Linearisation":
        r"""The Jacobian :math:`J = \partial F/\partial\,\mathrm{vec}\,\rho` at ``vecs``: the cluster
        Liouvillian with frozen fields plus the boundary term
        :math:`\sum_k \mathcal K_k\rho_t\,\nabla\mu_k^{\mathsf T}` (:class:`Linearisation`)."""
        n = self.dim ** 2
        blocks, ucols, wcols = [], [], []
        for t in range(self.types):
            A = self.L0[t]
            for mu, (_, K, _) in zip(self.field_means(vecs, t), self.fields[t]):
                A = A + mu * K
            blocks.append(sps.csr_matrix(A))
            for cf, K, segs in self.fields[t]:
                u = np.zeros(self.size, dtype=complex)
                u[t * n:(t + 1) * n] = K @ vecs[t]
                w = np.zeros(self.size, dtype=complex)
                factors = [self._probe(tt, i, ls) @ vecs[tt] for tt, i, ls in segs]
                for j, (tt, i, ls) in enumerate(segs):
                    w[tt * n:(tt + 1) * n] += cf * np.prod(factors[:j] + factors[j + 1:]) * self._probe(tt, i, ls)
                ucols.append(u)
                wcols.append(w)
        U = sps.csc_matrix(np.array(ucols).T if ucols else np.zeros((self.size, 0), dtype=complex))
        W = sps.csc_matrix(np.array(wcols).T if wcols else np.zeros((self.size, 0), dtype=complex))
        return Linearisation(blocks, U, W)

    def _coordinates(self) -> HermitianCoordinates:
        if not hasattr(self, "_coords"):
            self._coords = HermitianCoordinates(self.dim, self.types)
        return self._coords

    def orders(self) -> list:
        r"""Fill-reducing order of the real unknowns of each cluster type for the sparse LU of the
        Newton matrix (METIS nested dissection of the pattern of :math:`\mathcal L_{0,t}`, the
        boundary terms, the diagonal and the trace row, which is ordered last;
        :func:`numeric.core.ordering.metis_nested_dissection`).  For three spins 3/2 (4096 unknowns) it
        cuts the LU fill about three-fold against SuperLU's COLAMD.  ``None`` entries (small
        blocks, or no ``pymetis``): SuperLU's own ordering."""
        if not hasattr(self, "_orders"):
            co = self._coordinates()
            n = self.dim ** 2
            out = []
            for t in range(self.types):
                if n < 400:
                    out.append(None)
                    continue
                P = abs(self.L0[t]) + sps.identity(n, format="csr")
                for _, K, _ in self.fields[t]:
                    P = P + abs(K)
                P = abs(co.Pre1) @ P @ abs(co.Q1) + abs(co.Pim1) @ P @ abs(co.Q1)
                out.append(metis_nested_dissection(co.with_trace_row(abs(P)), 0))
            self._orders = out
        return self._orders

    def rotation(self, vecs: Sequence[np.ndarray]) -> np.ndarray:
        r""":math:`\mathrm{vec}(-i[Q, \rho_t])` for every type, :math:`Q = \sum_{i\in C} S^z_i` (packed): the
        generator of the U(1) rotation about z applied to the state."""
        q = sum(self.op(i, "z").diagonal() for i in range(self.sites)).real
        gen = (-1j * (q[:, None] - q[None, :])).ravel(order="F")
        return np.concatenate([gen * v for v in vecs])

    @property
    def u1_symmetric(self) -> bool:
        r"""Whether the cluster equations are U(1)-equivariant,
        :math:`F(e^{-i\theta Q}\rho\,e^{i\theta Q}) = e^{-i\theta Q}F(\rho)\,e^{i\theta Q}`: tested
        through its derivative :math:`J(\rho)\,T\rho = T F(\rho)` at a random Hermitian state."""
        if not hasattr(self, "_u1"):
            rng = np.random.default_rng(12345)
            vecs = []
            for _ in range(self.types):
                x = rng.normal(size=(self.dim, self.dim)) + 1j * rng.normal(size=(self.dim, self.dim))
                x = x + x.conj().T
                vecs.append((x / np.trace(x)).ravel(order="F"))
            lhs = self.linearisation(vecs).matvec(self.rotation(vecs))
            rhs = self.rotation(self.rhs(vecs))
            self._u1 = bool(np.linalg.norm(lhs - rhs) <= 1e-10 * max(np.linalg.norm(rhs), 1.0))
        return self._u1

    def stability(self, vecs: Sequence[np.ndarray], k: int = 6, dense_limit: int = 100) -> np.ndarray:
        r"""The ``k`` rightmost eigenvalues of the Jacobian at a stationary state ``vecs``, without its
        neutral modes, sorted by decreasing real part.

        Neutral modes are moved to :math:`-\gamma` (:math:`\gamma` = :attr:`scale`) by rank-one
        deflations that leave the rest of the spectrum unchanged (Brauer's theorem): the trace of
        each type (a left null vector, :math:`\mathrm{Tr}\,F_t \equiv 0`) and, for a
        U(1)-equivariant model at a broken-symmetry state, the rotation :math:`T\rho` (a right null
        vector, :math:`J\,T\rho = T F = 0`; deflated only when it is one to :math:`10^{-6}\gamma`).
        Up to ``dense_limit`` unknowns all eigenvalues are computed densely; above, ARPACK's
        implicitly restarted Arnoldi method for the eigenvalues of largest real part (matrix-vector
        products only; converged to 1e-10, checked against the dense spectrum in the tests).
        Arnoldi converges to the extreme eigenvalues of the spectrum's outer boundary, which the
        rightmost ones are; it is not a proof that none is missed.
        """
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ModelError(f"k must be a positive integer, got k={k!r}")
        n, gamma, co = self.dim ** 2, self.scale, self._coordinates()
        cols_u, cols_w = [], []
        for t in range(self.types):  # in the real coordinates the trace is the sum of the first dim of each type
            x = np.zeros(self.size)
            x[t * n:t * n + self.dim] = 1.0 / self.dim
            e = np.zeros(self.size)
            e[t * n:t * n + self.dim] = 1.0
            cols_u.append(-gamma * x)
            cols_w.append(e)
        lin = self.linearisation(vecs)
        if self.u1_symmetric:
            z = self.rotation(vecs)  # Hermitian
            nz = np.linalg.norm(z)
            if nz > 0 and np.linalg.norm(lin.matvec(z / nz)) <= 1e-6 * gamma:
                zr = co.real(z)
                cols_u.append(-gamma * zr)
                cols_w.append(zr / (zr @ zr))
        J = co.linearisation(lin).deflated(np.array(cols_u).T, np.array(cols_w).T)
        if self.size <= max(dense_limit, k + 2):
            ev = np.linalg.eigvals(J.dense())
        else:
            op = spla.LinearOperator((self.size, self.size), matvec=J.matvec, dtype=float)
            v0 = np.random.default_rng(0).normal(size=self.size)  # reproducible
            kk = min(k, self.size - 2)
            try:
                ev = spla.eigs(op, k=kk, which="LR", ncv=min(self.size - 1, max(2 * kk + 1, 30)), tol=1e-10,
                               maxiter=100 * self.size, v0=v0, return_eigenvectors=False)
            except spla.ArpackNoConvergence as exc:
                raise ClusterError(f"stability: ARPACK did not converge ({exc})") from None
        return ev[np.argsort(-ev.real)][:k]

    # ---------------------------------------------------------------- the stationary state
    def steady_state(self, initial: Sequence | None = None, *, tol: float = 1e-9, dt: float = 1.0,
                     max_steps: int = 300, check_stability: bool = True, allow_unstable: bool = False,
                     stability_tol: float = 1e-6, progress: bool = False) -> "ClusterState":
        r"""Stationary state :math:`F(\rho) = 0` reached from ``initial``; see :func:`cluster_steady_state`."""
        dt0 = float(dt) if isinstance(dt, (int, float, np.floating)) and not isinstance(dt, bool) else np.nan
        if not (dt0 > 0 and np.isfinite(dt0)):
            raise ModelError(f"dt must be a positive number, got dt={dt!r}")
        if not (isinstance(tol, (int, float, np.floating)) and 0 < tol < 1):
            raise ModelError(f"tol must be a number in (0, 1), got tol={tol!r}")
        if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
            raise ModelError(f"max_steps must be a positive integer, got max_steps={max_steps!r}")
        if not (isinstance(stability_tol, (int, float, np.floating)) and stability_tol >= 0):
            raise ModelError(f"stability_tol must be a non-negative number, got stability_tol={stability_tol!r}")
        t0 = time.perf_counter()
        if initial is None:
            initial = coherent_product(self.S, [(1.0, 0.0, 0.0)])
        initial = list(initial)
        for j, rho in enumerate(initial):
            if np.shape(rho) != (self.d, self.d):
                raise ModelError(f"initial[{j}] must be a {self.d}x{self.d} density matrix, got shape {np.shape(rho)}")
        x = self.pack(self.product(initial))
        scale = self.scale
        n = self.dim ** 2
        rows0 = np.arange(self.types) * n
        diag = np.arange(self.dim) * (self.dim + 1)
        co = self._coordinates()

        def evaluate(x):
            F = self.pack(self.rhs(self.unpack(x)))
            return F, max(float(np.linalg.norm(f)) for f in self.unpack(F))

        def physical(x):  # the Hermitian part, trace 1 (Newton steps keep both up to the linear solve's error)
            out = []
            for v in self.unpack(x):
                m = self.matrix(v)
                m = (m + m.conj().T) / 2
                out.append((m / np.trace(m).real).ravel(order="F"))
            return self.pack(out)

        F, r = evaluate(x)
        history, steps, ptime, factorisations, precondition = [r], 0, 0.0, 0, None
        dt_min, dt_max = dt0 / 100, 1e15 / scale
        bar = pg.bar(None, f"cluster sites={self.sites} S={self.S:g}", progress, unit="step", leave=False)
        try:
            while not r <= tol * scale:
                if steps >= max_steps:
                    raise ClusterError(f"cluster mean-field (sites={self.sites}, S={self.S:g}) not stationary after "
                                       f"{steps} steps: |drho/dt| = {r:.2e} > {tol * scale:.2e}")
                steps += 1
                b = -F
                b[rows0] = 1.0 - np.array([v[diag].sum() for v in self.unpack(x)])
                lin, s, delta = co.linearisation(self.linearisation(self.unpack(x))), 1.0 / dt, None
                b = co.real(b)
                if precondition is not None:  # Krylov solve preconditioned by an earlier factorisation
                    op = spla.LinearOperator((self.size, self.size), dtype=float,
                                             matvec=lambda v, lin=lin, s=s: newton_matvec(lin, s, co, v))
                    delta, info = spla.gmres(op, b, M=precondition, rtol=min(1e-4, max(1e-2 * r / scale, 1e-12)),
                                             atol=0.0, restart=30, maxiter=1)
                    if info != 0:
                        delta = None
                if delta is None:  # refactorise at the current state
                    solve = NewtonSolve(lin, s, co, self.orders())
                    precondition = spla.LinearOperator((self.size, self.size), dtype=float, matvec=solve)
                    delta = solve(b)
                    factorisations += 1
                delta = co.complex(delta)
                x_new = physical(x + delta)
                F_new, r_new = evaluate(x_new)
                if not np.isfinite(r_new) or (dt > dt0 and r_new > r):
                    dt = max(dt0, dt / 8)  # the linearisation over-reached: back to a shorter pseudo-time step
                    continue
                ptime += dt
                dt = min(max(dt * r / r_new, dt_min), dt_max)  # switched evolution relaxation
                x, F, r = x_new, F_new, r_new
                history.append(r)
                bar.update()
                bar.set_postfix_str(f"|F| = {r:.1e}")
        finally:
            bar.close()
        vecs = self.unpack(x)
        state = ClusterState(self, vecs, r, steps=steps,
                             info={"scale": scale, "history": history, "pseudo_time": ptime,
                                   "factorisations": factorisations, "method": "Newton with pseudo-transient continuation"})
        for t, v in enumerate(vecs):
            m = self.matrix(v)
            low = float(np.linalg.eigvalsh(m).min())
            if abs(np.trace(m) - 1) > 1e-9 or low < -1e-8:
                raise ClusterError(f"cluster mean-field (sites={self.sites}, S={self.S:g}): the solution is not a "
                                   f"density matrix (cluster type {t}: trace {np.trace(m):.3g}, smallest eigenvalue "
                                   f"{low:.2e})", state)
        if check_stability:
            state.eigenvalues = self.stability(vecs)
            state.stable = bool(state.growth <= stability_tol * scale)
        state.info["wall"] = time.perf_counter() - t0
        if check_stability and not state.stable and not allow_unstable:
            raise ClusterError(f"cluster mean-field (sites={self.sites}, S={self.S:g}): the stationary state reached "
                               f"from the initial state is linearly unstable (Jacobian eigenvalue "
                               f"{state.eigenvalues[0]:.4g}, growth rate > {stability_tol:g} x scale {scale:.3g}); "
                               "start from another state, or pass allow_unstable=True to accept it", state)
        return state


def cluster_steady_state(model: Model, values: Mapping, S: float, sites: int, *,
                         initial: Sequence | None = None, tol: float = 1e-9, dt: float = 1.0, max_steps: int = 300,
                         check_stability: bool = True, allow_unstable: bool = False, stability_tol: float = 1e-6,
                         progress: bool = False, max_memory: int | float | str | None = None) -> ClusterState:
    r"""Stationary state of the cluster mean-field equations (seed 002 eqs. B1-B3) reached from ``initial``.

    Solves :math:`F(\rho) = 0` (eq. B2, one equation per cluster type) with
    :math:`\mathrm{Tr}\,\rho_{C,t} = 1` by Newton's method with the exact Jacobian
    (:meth:`Cluster.linearisation`), globalised by pseudo-transient continuation: each step solves

    .. math:: \big(J(\rho_n) - \Delta t_n^{-1}\big)\,\delta = -F(\rho_n), \qquad \rho_{n+1} = \rho_n + \delta

    (one row per type replaced by the trace condition), i.e. a linearly implicit Euler step of
    the dynamics while :math:`\Delta t_n` is short.  :math:`\Delta t_0` = ``dt`` and
    :math:`\Delta t_{n+1} = \Delta t_n\,\|F(\rho_n)\|/\|F(\rho_{n+1})\|` (switched evolution
    relaxation), so the iteration follows the dynamics from ``initial`` while the residual is
    large and becomes Newton's method (quadratic convergence) near the solution; a long step that
    increases the residual is rejected and retried shorter.

    Guarantees of a returned state: :math:`\max_t\|F_t\|_2 \le` ``tol`` :math:`\times` ``scale``
    (``scale`` = :math:`\max_t\|\mathcal L_{0,t}\|_\infty`); every :math:`\rho_{C,t}` is a
    density matrix (trace 1, eigenvalues :math:`\ge -10^{-8}`); and (``check_stability``) it is
    linearly stable: no eigenvalue of the Jacobian, neutral modes removed
    (:meth:`Cluster.stability`), has real part above ``stability_tol * scale``.  Otherwise
    :class:`ClusterError` (its ``state`` attribute holds the rejected state).  Not guaranteed:
    that the state is the attractor that the exact time evolution from ``initial`` reaches when
    several stable states coexist (the pseudo-time path follows the dynamics only approximately;
    the tests compare with long time integrations), and, above 100 unknowns, that ARPACK's
    Arnoldi iteration for the rightmost eigenvalues has missed none (:meth:`Cluster.stability`).
    A state started in the U(1)-symmetric subspace (e.g. every spin along z) stays in it, so where
    the symmetric state is unstable this raises ``ClusterError`` rather than returning it.

    The linear systems are solved in real coordinates of Hermitian matrices (a quarter of the
    cost of the complex LU) by sparse LU in METIS order plus the Woodbury identity for the
    boundary term; later steps reuse a factorisation as GMRES preconditioner while it converges
    in 30 iterations.  Three spins 3/2 (8192 real unknowns) take 9 steps, 4 factorisations.

    Parameters
    ----------
    model, values, S, sites
        See :class:`Cluster`.
    initial : sequence of ndarray, optional
        Single-site density matrices for the sites of one period; default: every spin along +x,
        which breaks the U(1) symmetry explicitly as in seed 002 Fig. 7(a).
    tol : float
        Residual tolerance relative to ``scale``.
    dt : float
        First pseudo-time step (units of the inverse rates).
    max_steps : int
        Most steps; :class:`ClusterError` if not converged by then (e.g. at a bifurcation point,
        where the Jacobian is singular, or where the attractor is not a stationary state).
    check_stability : bool
        Compute :attr:`ClusterState.eigenvalues` and :attr:`ClusterState.stable`.
    allow_unstable : bool
        Return a linearly unstable stationary state (``stable`` False) instead of raising.
    stability_tol : float
        Largest accepted growth rate, relative to ``scale``.
    progress : bool
        A running count of the Newton steps on stderr (:func:`numeric.core.progress.bar`); default:
        nothing printed.
    max_memory : int, float or str, optional
        See :class:`Cluster` (refused before anything is built).

    Returns
    -------
    ClusterState
    """
    return Cluster(model, values, S, sites, max_memory=max_memory).steady_state(
        initial, tol=tol, dt=dt, max_steps=max_steps, check_stability=check_stability,
        allow_unstable=allow_unstable, stability_tol=stability_tol, progress=progress)
