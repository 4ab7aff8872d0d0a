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
    \dot\rho_C = F(\rho_C) = -i\big[H_C + H_{\partial}(\langle\cdot\rangle), \rho_C\big]
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
(B5) has the analogous index misprints.  This package derives the boundary terms; see
``tests/numeric/test_cluster.py``.

Stationary states (:func:`cluster_steady_state`) solve :math:`F(\rho) = 0`,
:math:`\mathrm{Tr}\,\rho_{C,t} = 1` by Newton's method on the quadratic map :math:`F` with its
exact Jacobian (:meth:`Cluster.linearisation`: a block-diagonal sparse Liouvillian plus a
low-rank boundary term, solved by sparse LU and the Woodbury identity), globalised by
pseudo-transient continuation from an initial state (the paper's procedure: the U(1) symmetry
is broken explicitly by the initial state).  The returned state is checked: residual below
tolerance, each :math:`\rho_{C,t}` a density matrix, and linearly stable (the rightmost
eigenvalues of the Jacobian, :meth:`Cluster.stability`); otherwise :class:`ClusterError`.

Conventions: hbar = 1, rates multiply :math:`\mathcal D[L]` without a factor 2 (QuTiP);
Dicke basis as ``qutip.jmat``; :math:`\mathrm{vec}\,\rho` stacks columns.

Modules: :mod:`.terms` (the chain's terms on sites), :mod:`.equations` (:class:`Cluster` and
:func:`cluster_steady_state`), :mod:`.newton` (the linear algebra of the Newton steps),
:mod:`.state` (:class:`ClusterState`, :class:`ClusterError`, :func:`coherent_product`).
"""
from __future__ import annotations

from numeric.semiclassical.cluster.equations import Cluster, cluster_steady_state
from numeric.semiclassical.cluster.newton import Linearisation
from numeric.semiclassical.cluster.state import ClusterError, ClusterState, coherent_product
from numeric.semiclassical.cluster.terms import LatticeTerms, lattice_terms

__all__ = ["ClusterError", "LatticeTerms", "lattice_terms", "Cluster", "ClusterState", "Linearisation",
           "cluster_steady_state", "coherent_product"]
