r"""Cluster mean-field theory of translation-invariant spin chains (seed 002 Appendix B, eqs. B1-B5).

The chain is the lattice model of the catalogue (``gain_loss_chain``): one unit cell of ``c``
spins (``a``, ``b``) plus neighbour images (``b_prev`` = :math:`b_{n-1}`, ``a_next`` =
:math:`a_{n+1}`) listed in ``model.derived['images']``.  Nothing is re-typed: every term of the
chain Hamiltonian and every dissipator is taken from the model's :class:`~analytic.algebra.Op`
objects and placed on lattice *sites* (site :math:`p = c\,n + i` for spin i of cell n).

Ansatz (seed 002 eq. B1): the chain is cut into clusters of ``sites`` consecutive spins and
:math:`\rho = \bigotimes_\ell \rho_{C,\ell}`.  Each cluster obeys the non-linear master equation
(eq. B2 with the Hamiltonian of eq. B3)

.. math::
    \dot\rho_C = -i\big[H_C + H_{\partial}(\langle\cdot\rangle), \rho_C\big]
        + \sum_{j\in C} r_j\,\mathcal D[L_j]\rho_C ,

where :math:`H_C` holds the chain terms inside the cluster and :math:`H_\partial` the terms
that cross its boundary, with the outside spins replaced by their expectation values (each
chain term that touches the cluster enters once; a bond with one leg outside becomes a field
on the inside leg).  Translation invariance (:math:`N\to\infty`) identifies the outside spins
with the inside ones: the cluster state depends on :math:`\ell` only through the position of
the cluster start in the unit cell, so ``sites`` not a multiple of ``c`` gives
:math:`c/\gcd(\text{sites}, c)` coupled cluster states (one site per cluster gives the ordinary
mean-field theory of seed 002 App. B with the single-site quantum fluctuations kept exactly).

For :math:`\Gamma_g = \Gamma_l`, :math:`h = g` seed 002 maps the chain onto a model with one
site per cell (eqs. B4-B5); here the same cluster sizes are reached without that
transformation, and the two cluster states of an odd cluster are related by it.

Printed equations: (B3) sums the g bonds to :math:`N_C - 1` and writes the second boundary term
as :math:`(g/S)\langle S_{b,1}\rangle S_{a,N_C}`; the cluster of cells :math:`1..N_C` contains
:math:`N_C` g bonds and its right boundary is the h bond :math:`b_{N_C}`-:math:`a_{N_C+1}`,
i.e. :math:`(h/S)(\langle S^x_{a,1}\rangle S^x_{b,N_C} + \langle S^y_{a,1}\rangle S^y_{b,N_C})`.
(B5) has the analogous index misprints.  This module derives the boundary terms; see
``tests/numeric/test_cluster.py``.

Conventions: hbar = 1, rates multiply :math:`\mathcal D[L]` without a factor 2 (QuTiP);
Dicke basis as ``qutip.jmat``.  The stationary state is found by integrating the non-linear
equation (the paper's procedure: the U(1) symmetry is broken explicitly by the initial state)
with backward-Euler steps (:func:`cluster_steady_state`) until :math:`\|\dot\rho_C\|` falls
below tolerance; the residual is reported and a state that does not become stationary raises
:class:`ClusterError`.
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import sympy as sp
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from analytic.model import Model, ModelError
from .liouvillian import _superop
from .operators import check_spin_length, numeric_values, spin_matrices

__all__ = ["ClusterError", "LatticeTerms", "lattice_terms", "Cluster", "ClusterState", "cluster_steady_state",
           "coherent_product"]


class ClusterError(ModelError):
    """The cluster mean-field equations did not reach a stationary state to tolerance."""


# --------------------------------------------------------------------------- the chain's terms
@dataclass(frozen=True)
class LatticeTerms:
    r"""The chain written on sites.

    Attributes
    ----------
    cell : tuple of Spin
        The spins of one unit cell, in ``model.subsystems`` order (site offset = index).
    hamiltonian : dict
        ``{((site, letter), ...): coeff}``: each chain term once, its first cell at n = 0.
    dissipators : tuple
        ``(offset in the cell, rate, {((0, letter), ...): coeff})`` per dissipator.
    """

    cell: tuple
    hamiltonian: dict
    dissipators: tuple

    @property
    def c(self) -> int:
        return len(self.cell)


def lattice_terms(model: Model) -> LatticeTerms:
    r"""Decompose a lattice model (``derived['images']``) into chain terms on sites.

    The model's Hamiltonian is the part of :math:`H_{\rm chain}` that acts on one cell, so a
    term coupling k different cells appears k times (once from each cell, through the
    images).  Each term is shifted to start in cell 0 and must collect exactly k equal copies;
    otherwise the model's images are inconsistent and :class:`ModelError` is raised.
    """
    images = model.derived.get("images")
    if not images:
        raise ModelError(f"model {model.name!r} is not a lattice model (no derived['images'])")
    cell = tuple(s for s in model.subsystems if s.name not in images)
    if any(s.kind != "spin" for s in cell):
        raise ModelError("lattice_terms: cluster mean-field is implemented for spin lattices only")
    names = [s.name for s in cell]
    c = len(cell)

    def position(sub) -> int:
        if sub.name in images:
            orig, shift = images[sub.name]
            return c * shift + names.index(orig)
        return names.index(sub.name)

    copies: dict = {}
    for word, coeff in model.hamiltonian.terms.items():
        if not word:
            continue  # a constant shifts no expectation value
        sites = [position(g.sub) for g in word]
        n0 = min(p // c for p in sites)
        key = tuple((p - c * n0, g.letter) for p, g in zip(sites, word))
        copies.setdefault(key, []).append((sp.sympify(coeff), len({p // c for p in sites})))
    ham = {}
    for key, lst in copies.items():
        k = lst[0][1]
        if len(lst) != k or any(sp.simplify(cf - lst[0][0]) != 0 for cf, _ in lst):
            raise ModelError(f"lattice_terms: the term {key} of model {model.name!r} couples {k} cells but "
                             f"appears {len(lst)} times with coefficients {[cf for cf, _ in lst]}; the images "
                             "must carry every bond of the cell")
        ham[key] = lst[0][0]
    diss = []
    for d in model.dissipators:
        subs = d.jump.subsystems() if d.kind == "collective" else {d.jump.sub}
        if len(subs) != 1 or next(iter(subs)) not in cell:
            raise ModelError(f"lattice_terms: dissipator {d.label!r} must act on one spin of the cell")
        sub = next(iter(subs))
        terms = {tuple((0, g.letter) for g in w): cf for w, cf in d.jump.terms.items()}
        diss.append((names.index(sub.name), d.rate, terms))
    return LatticeTerms(cell, ham, tuple(diss))


# --------------------------------------------------------------------------- the clusters
@dataclass
class ClusterState:
    r"""A stationary cluster mean-field state.

    Attributes
    ----------
    vecs : list of ndarray
        Column-stacked density matrix of each cluster type (type t starts at site
        :math:`t\cdot` ``sites``); :meth:`Cluster.matrix` reshapes.
    residual : float
        :math:`\max_t\|\dot\rho_{C,t}\|_F` of the non-linear equation at the returned state.
    time : float
        Integration time used.
    """

    cluster: "Cluster"
    vecs: list
    residual: float
    time: float
    info: dict = field(default_factory=dict)

    def expect(self, letter: str, site: int = 0) -> complex:
        r""":math:`\langle S^{\rm letter}\rangle` (letter ``'p'``, ``'m'``, ``'z'``, ``'x'``, ``'y'``) at a
        lattice site (mod the period of the state)."""
        return self.cluster.site_expect(self.vecs, site, letter)

    def transverse(self, site: int | None = None) -> float:
        r"""Transverse polarisation :math:`\langle S_\perp\rangle = |\langle S^+\rangle|
        = \sqrt{\langle S^x\rangle^2 + \langle S^y\rangle^2}` (seed 002 eq. 10) at a site, or
        (``site=None``) its mean over the sites of one period of the state."""
        if site is not None:
            return abs(self.expect("p", site))
        period = self.cluster.sites * self.cluster.types
        return float(np.mean([abs(self.expect("p", p)) for p in range(period)]))


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
    """

    def __init__(self, model: Model, values: Mapping, S, sites: int):
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
        self.local = dict(spin_matrices(Sf))
        self.local["x"] = ((self.local["p"] + self.local["m"]) / 2).tocsr()
        self.local["y"] = ((self.local["p"] - self.local["m"]) / 2j).tocsr()
        self.d = self.local["z"].shape[0]
        self.dim = self.d ** self.sites
        if self.dim > 1024:
            raise ModelError(f"cluster of {self.sites} spins S={S} has dimension {self.dim} > 1024")
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
            self.L0.append(_superop(H, jumps))
            self.fields.append(fields)

    # ---------------------------------------------------------------- dynamics
    def field_means(self, vecs, t: int) -> list:
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

    def rhs(self, vecs) -> list:
        r""":math:`\mathrm{vec}(\dot\rho_{C,t})` of the non-linear cluster master equation (eq. B2)."""
        return [self.apply(t, self.field_means(vecs, t), vecs[t]) for t in range(self.types)]

    def site_expect(self, vecs, site: int, letter: str) -> complex:
        r""":math:`\langle S^{\rm letter}\rangle` at an absolute site for the states ``vecs``."""
        t, i = self._locate(site)
        return complex(self._probe(t, i, (letter,)) @ vecs[t])

    def derivatives(self, vecs, site: int) -> dict:
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


def coherent_product(S, directions: Sequence[Sequence[float]]) -> list:
    r"""Spin-coherent single-site states :math:`|\theta,\phi\rangle\langle\theta,\phi|` along unit vectors
    ``directions`` (one per site of the period), as dense density matrices in the Dicke basis."""
    mats = {k: v.toarray() for k, v in spin_matrices(check_spin_length(S, "S")).items()}
    Sx = (mats["p"] + mats["m"]) / 2
    Sy = (mats["p"] - mats["m"]) / 2j
    out = []
    for n in directions:
        n = np.asarray(n, dtype=float)
        if n.shape != (3,) or not np.isclose(np.linalg.norm(n), 1.0):
            raise ModelError(f"directions: each entry must be a unit 3-vector, got {n}")
        w, v = np.linalg.eigh(n[0] * Sx + n[1] * Sy + n[2] * mats["z"])
        psi = v[:, -1]
        out.append(np.outer(psi, psi.conj()))
    return out


def cluster_steady_state(model: Model, values: Mapping, S, sites: int, *, initial: Sequence | None = None,
                         dt: float = 1.0, t_max: float = 5000.0, tol: float = 1e-9,
                         progress: bool = True) -> ClusterState:
    r"""Stationary state of the cluster mean-field equations (seed 002 eqs. B1-B3).

    The non-linear equation is integrated from ``initial`` by backward Euler steps with the
    boundary fields taken from the previous step,

    .. math:: \big(1 - \Delta t\,[\mathcal L_0 + \mathcal L_\partial(\rho_n)]\big)\,\rho_{n+1} = \rho_n ,

    solved by GMRES preconditioned with the LU factors of :math:`1 - \Delta t\,\mathcal L_0`
    (factorised once).  Its fixed points are exactly the stationary states
    :math:`(\mathcal L_0 + \mathcal L_\partial(\rho))\rho = 0`; integration stops when the
    residual :math:`\max_t\|\dot\rho_{C,t}\|_2 \le` ``tol`` :math:`\times\|\mathcal L_0\|_\infty`.

    Parameters
    ----------
    model, values, S, sites
        See :class:`Cluster`.
    initial : sequence of ndarray, optional
        Single-site density matrices for the sites of one period; default: every spin along +x,
        which breaks the U(1) symmetry explicitly as in seed 002 Fig. 7(a).
    dt : float
        Time step (units of the inverse rates).
    t_max : float
        Largest integration time; :class:`ClusterError` if not stationary by then.
    progress : bool
        Print the integration progress on stderr.

    Returns
    -------
    ClusterState
    """
    cl = Cluster(model, values, S, sites)
    dt = float(dt)
    if not (dt > 0 and np.isfinite(dt)):
        raise ModelError(f"dt must be a positive number, got dt={dt!r}")
    if initial is None:
        initial = coherent_product(S, [(1.0, 0.0, 0.0)])
    vecs = cl.product(list(initial))
    eye = sps.identity(cl.dim ** 2, dtype=complex, format="csc")
    scale = max(float(abs(L).sum(axis=1).max()) for L in cl.L0)

    def preconditioner(k: int, means: Sequence):
        op = cl.L0[k] + sum((mu * K for mu, (_, K, _) in zip(means, cl.fields[k])), sps.csr_matrix(cl.L0[k].shape))
        lu = spla.splu((eye - dt * op).tocsc(), permc_spec="MMD_AT_PLUS_A")
        return spla.LinearOperator(eye.shape, matvec=lu.solve, dtype=complex)

    precs = [None] * cl.types
    t, t0, res, step = 0.0, time.time(), np.inf, 0
    while t < t_max:
        new = []
        for k in range(cl.types):
            means = cl.field_means(vecs, k)
            if precs[k] is None:
                precs[k] = preconditioner(k, means)
            A = spla.LinearOperator(eye.shape, dtype=complex,
                                    matvec=lambda x, k=k, means=means: x - dt * cl.apply(k, means, x))
            x, info = spla.gmres(A, vecs[k], x0=vecs[k], M=precs[k], rtol=1e-12, atol=0.0, restart=40, maxiter=5)
            if info != 0:  # the boundary fields moved far from the preconditioner's: refactorise
                precs[k] = preconditioner(k, means)
                x, info = spla.gmres(A, vecs[k], x0=vecs[k], M=precs[k], rtol=1e-12, atol=0.0, restart=40,
                                     maxiter=50)
            if info != 0:
                raise ClusterError(f"cluster step: GMRES did not converge (info={info}) at t = {t}")
            new.append(x)
        vecs = new
        t, step = t + dt, step + 1
        if step % 10 == 0:
            res = max(np.linalg.norm(r) for r in cl.rhs(vecs))
            if progress:
                print(f"\rcluster sites={sites} S={S}: t = {t:.0f}, |drho/dt| = {res:.1e}", end="", file=sys.stderr)
            if res <= tol * scale:
                break
    if progress:
        print(file=sys.stderr)
    if res > tol * scale:
        raise ClusterError(f"cluster mean-field (sites={sites}, S={S}) not stationary after t = {t_max}: "
                           f"|drho/dt| = {res:.2e} > {tol * scale:.2e}")
    return ClusterState(cl, vecs, float(res), t, {"scale": scale, "wall": time.time() - t0})
