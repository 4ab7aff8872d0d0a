r"""Permutation-invariant numerics for N qubits (collective *and* individual processes): the public names in one place.

The code lives in modules by job: :mod:`numeric.pi.basis` (Dicke basis, degeneracies),
:mod:`numeric.pi.superops` (exact term structures), :mod:`numeric.pi.liouvillian` (the Liouvillian, its
symmetries and real form), :mod:`numeric.pi.steady` (the steady-state solver behind
``numeric.steady_state(model, values, N=...)``), :mod:`numeric.pi.state` (:class:`PIState`),
:mod:`numeric.pi.spectra` (sectors, spectrum, gap), :mod:`numeric.pi.metastable`.  d-level atoms:
:mod:`numeric.pi.qudits`.

Convention (hbar = 1, QuTiP's, see docs/ARCHITECTURE.md):

.. math::
    \dot\rho = -i[H,\rho] + \sum_k r_k\big(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}\big)
             + \sum_l r_l\sum_{n=1}^N\big(X_{l,n}\rho X_{l,n}^\dagger - \tfrac12\{X_{l,n}^\dagger X_{l,n},\rho\}\big),

:math:`H`, :math:`L_k` built from the collective generators :math:`S^\pm, S^z` of an
:class:`~analytic.algebra.Atoms` ensemble, :math:`X_l` any 2x2 single-atom matrix (basis
:math:`|0\rangle` = down, :math:`|1\rangle` = up, as ``Atoms.local_matrix``).

Representation (Chase & Geremia, PRA 78, 052101 (2008); Shammah et al., PRA 98, 063815 (2018)).
A permutation-invariant state is :math:`\rho = \bigoplus_j \rho_j\otimes 1_{d_j}` on the
Schur-Weyl decomposition :math:`(\mathbb C^2)^{\otimes N} = \bigoplus_j V_j\otimes\mathbb C^{d_j}`,
:math:`d_j = \binom{N}{N/2-j} - \binom{N}{N/2-j-1}` (exact Python integers).  The unknowns are the
*weighted blocks* :math:`x_j = d_j\rho_j` (so that :math:`\mathrm{Tr}\rho = \sum_j\mathrm{tr}\,x_j`,
:math:`\langle A\rangle = \sum_j \mathrm{tr}(A_j x_j)` for collective A, and the block populations
:math:`P_j = \mathrm{tr}\,x_j` are O(1) numbers even when :math:`d_j \sim 10^{29}`); each block is
stored column-stacked in the basis :math:`|j, m\rangle`, :math:`m = j, j-1, \dots, -j` (``qutip.jmat``
order), blocks ordered by decreasing j.  About :math:`N^3/6` unknowns.

Individual sandwich terms, derived here (no table of processes): since :math:`\rho` is
permutation invariant, :math:`\sum_n X_n\rho Y_n^\dagger = N\,\mathcal P(X_N\rho Y_N^\dagger)`, with
:math:`\mathcal P` the twirl over :math:`S_N`.  Coupling atom N last,
:math:`|J, M; j'\rangle = \sum_s \langle j', M-s; \tfrac12, s|J, M\rangle\,|j', M-s\rangle|s\rangle`
(:math:`j'` the spin of the first N-1 atoms), Schur's lemma gives

.. math:: x_J \mathrel{+}= \sum_{j'}\sum_{j = j'\pm\frac12} \frac{N d^{(N-1)}_{j'}}{d^{(N)}_j}\,
          A^{Jjj'}_X\, x_j\, A^{Jjj'\dagger}_Y,\qquad
          (A^{Jjj'}_X)_{Mm} = \sum_{s,t}\langle j',M-s;\tfrac12 s|J M\rangle\langle j', m-t;\tfrac12 t|j m\rangle X_{st}\,\delta_{M-s,m-t}.

Every :math:`X_{st}` enters linearly, so any single-atom jump works (sigma^-, sigma^+, sigma^z,
dephasing, a rotated operator...); the anticommutator part is the collective operator
:math:`\sum_n X_n^\dagger X_n` (:meth:`Atoms.collective`).  Every matrix entry is stored as
``sign * sqrt(num/den)`` with exact Python-integer ``num, den`` times a model coefficient, so the
Liouvillian is available in float64 *and* in exact fixed point (``numeric.steady_state(..., N=, dps=)``), never in 32-bit.  The twirl argument holds for d-level atoms too (couple one atom to an
su(d) irrep of N-1 atoms); only qubits are implemented.

Symmetries, found exactly on the numeric Liouvillian (seed 001, Sec. IV): with
:math:`q = m - m'` of an entry :math:`|j,m\rangle\langle j,m'|`,

* U(1): :math:`\mathcal L` conserves q (e.g. no drive); the steady state has q = 0.
* :math:`\Pi_1: A\mapsto e^{i\pi J_z}Ae^{-i\pi J_z}` conserves q mod 2 (parity :math:`p_1 = (-1)^q`).
* an antiunitary :math:`\Pi_2: A\mapsto \omega^{J_z}A^*\omega^{-J_z}`, :math:`\omega\in\{1,-1,-i,i\}`
  (driven Dicke: :math:`\omega = -1`; LMG: :math:`\omega = \pm i`, and we take :math:`-i`, the
  choice for which :math:`\langle J_x\rangle_{\Pi_2\rho} = +\langle J_y\rangle_\rho` as seed 001
  states under our standard :math:`J_y`; with it the symmetry-breaking sector is
  :math:`(p_1, p_2) = (-1, +1)` as in seed 001 Figs. 5-6).  Combined with the
  Hermitian conjugation it is the linear involution :math:`(T\rho)_{mm'} = \omega^{q}\rho_{m'm}`,
  parity :math:`p_2`.  The steady state is in :math:`p_1 = p_2 = +1`.

The steady state is solved in real coordinates of Hermitian blocks restricted to its sector
(with :math:`\Pi_2`, one real number per entry pair), a trace row replacing one population
equation, SuperLU (above 15000 real unknowns GMRES preconditioned by block Gauss-Seidel over the
total-spin blocks, :mod:`numeric.pi.blocks`); see :func:`numeric.pi.steady.solve_pi`.
"""

from __future__ import annotations

from numeric.core.errors import SolverError
from numeric.pi.basis import DickeBasis, check_N, degeneracy
from numeric.pi.correlations import CorrelationSystem, correlation_pi, correlation_spectrum_pi, correlation_system, linewidth_pi
from numeric.pi.liouvillian import PILiouvillian, detect_symmetries, pi_liouvillian
from numeric.pi.metastable import Metastable, metastable_pi
from numeric.pi.spectra import gap_pi, sectors_pi, sectors_pi_from, spectrum_pi
from numeric.pi.state import PIState
from numeric.pi.steady import solve_pi, steady_state_pi
from numeric.pi.superops import op_words, superop_structure, word_local
from numeric.solvers.eigs import eigs_near_zero

__all__ = [
    "DickeBasis", "PILiouvillian", "PIState", "Metastable", "SolverError", "degeneracy",
    "pi_liouvillian", "steady_state_pi", "solve_pi", "spectrum_pi", "gap_pi", "sectors_pi", "sectors_pi_from",
    "metastable_pi", "correlation_system", "correlation_pi", "correlation_spectrum_pi", "linewidth_pi",
    "CorrelationSystem", "check_N", "detect_symmetries", "eigs_near_zero", "superop_structure", "op_words", "word_local",
]
