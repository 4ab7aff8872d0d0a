r"""Exact steady states in closed form at any S: the Puri-Lawande state of crf and the totally mixed state of N atoms.

Modules: :mod:`.puri_lawande` (the symbolic derivation, steps 1-3 below, and the closed forms of the
registered formulas), :mod:`.state` (evaluation, steps 4-5), :mod:`.window` (the moment sums over the
window of weights that carries them, with proved tail bounds), :mod:`.mixed` (the totally mixed
state).  The registered formulas built on them are in :mod:`analytic.formulas.crf` and
:mod:`analytic.formulas.driven_dicke`.

Conventions (docs/ARCHITECTURE.md): hbar = 1; a Lindblad rate r multiplies :math:`\mathcal D[L]` without a
factor 2 (QuTiP).  ``models.crf()``: :math:`H = \omega S_x`, rate :math:`\Gamma = 2\kappa/S` on
:math:`\mathcal D[S^-]` (seed 000 eq. 10 written with the factor-2 dissipator);
:math:`\lambda = \omega/(2\kappa)`.  Standard spin operators, Dicke basis :math:`m = S, \dots, -S`.

Derivation (everything below is produced by SymPy from the model, nothing is typed in)
------------------------------------------------------------------------------------------
1. **The state** (seed 000 eqs. 11-12).  With :math:`A = \beta - S^-` and
   :math:`\eta = \sum_{n=0}^{2S} (S^-/\beta)^n = \beta A^{-1}` (:math:`S^-` is nilpotent),
   :math:`\rho \propto \eta\eta^\dagger = |\beta|^2 (A^\dagger A)^{-1}`.  Conjugating
   :math:`\mathcal L\rho` with A turns the steady-state condition into an operator identity,
   :math:`-i(H_{\rm eff} - K) + i(H_{\rm eff} - K)^\dagger + \Gamma S^- S^+ = 0`, where
   :math:`H_{\rm eff} = H - \tfrac i2\Gamma S^+S^-` and :math:`[S^-, H_{\rm eff}] = K A`.
   :func:`puri_lawande_beta` solves :math:`[S^-, H_{\rm eff}] = K(\beta - S^-)` in the operator
   algebra of :mod:`analytic.algebra` (symbolic S) and :func:`stationarity_operator` returns the
   left-hand side of the identity, which is the zero operator: a proof at every S.  Result:
   :math:`\beta = -i\omega/\Gamma = -i\lambda S`, i.e. seed 000's :math:`g = \beta^* = i\lambda S
   = i\omega S/(2\kappa)`, **not** the printed :math:`g = i\omega S/\kappa` (a factor 2; the
   numeric solver agrees with :math:`i\lambda S` to 50 digits).
2. **Traces** :math:`T_j = \mathrm{Tr}(S^{+j}S^{-j})`: the summand over Dicke states comes from
   the squared matrix element :math:`|\langle m-1|S^-|m\rangle|^2 = \mathbf S^2 - (S_z^2 - S_z)`
   (canonical form of :math:`\mathbf S^2 - S^+S^-` in the algebra); its term ratio is that of a
   terminating :math:`{}_2F_1(\cdot;1)`, summed by Chu-Vandermonde:
   :math:`T_j = (j!)^2 (2S+j+1)!/((2S-j)!(2j+1)!)` -- the summand of seed 000 eq. (12).
3. **Moments.**  :math:`\mathrm{Tr}(S^{-m}S^{+n}S^{+p}f(S_z)S^{-q})` vanishes unless
   :math:`n + p = m + q = j`, so every normally ordered moment is one finite sum over j with
   weights :math:`t_j = |\beta|^{-2j}T_j`:

   .. math:: \langle S^{+p} f(S_z) S^{-q}\rangle = \frac{1}{D}\sum_{j}
             \beta^{-(j-q)}\beta^{*-(j-p)}\,\mathrm{Tr}(S^{+j}f(S_z)S^{-j}),\qquad D = \sum_j t_j,

   with :math:`\mathrm{Tr}(S^{+j}S_zS^{-j}) = -\tfrac j2 T_j` (the summand is symmetric under
   :math:`k \to 2S-j-k`) and :math:`S_z^2 = \mathbf S^2 + S_z - S^+S^-`.
4. **Fast evaluation**: :math:`t_{j+1}/t_j` is the rational function derived in 2 (no factorials,
   no overflow).  At any precision the weights are summed in exact integers over the window of j that
   carries all but :math:`10^{-d}` of them, with proved tail bounds (:mod:`.window`: at most ~10^5
   terms at S = 10^6, whatever lambda; ``PuriLawande(method='full')`` sums all 2S + 1 terms in
   mpmath); float64 sums all terms in the log domain.
5. **Matrix elements**: :math:`c_{k,j}^2 = p_k^2 q_{k+j}^2` factorises
   (:math:`p_k^2 = (2S-k)!/k!`, :math:`q_a^2 = a!/(2S-a)!`, index :math:`a = S - m`), hence
   :math:`\rho_{ab} \propto \beta^{-a}\beta^{*-b}q_aq_b W_{\min(a,b)}`,
   :math:`W_a = \sum_{k\le a}|\beta|^{2k}p_k^2`: populations, purity :math:`\mathrm{Tr}\rho^2`
   (seed 000 eq. 23) and the Husimi function (eqs. 29-30) in O(S), all sums of positive terms.

Totally mixed state of N atoms (seed 004 App. D): block sums over the spin-j irreps with the
integer degeneracies :math:`d^N_j` of eq. (D1), exact rational arithmetic for every N.
"""
from .mixed import degeneracy, mixed_g2, mixed_g2_expr, mixed_g2_scalar, mixed_moments
from .puri_lawande import (moment_expr, negativity_expr, puri_lawande_beta, puri_lawande_g, purity_expr,
                           qubit_purity_expr, squared_lowering_element, stationarity_operator, trace_power,
                           trace_ratio, trace_ratio_function, xi2_expr)
from .state import (PuriLawande, crf_scalar, negativity, puri_lawande, purity, qubit_purity, sz, sz2,
                    two_qubit_partial_transpose, two_qubit_rows, xi2_x)

__all__ = [
    "puri_lawande_beta", "puri_lawande_g", "stationarity_operator", "squared_lowering_element",
    "trace_power", "trace_ratio", "moment_expr", "PuriLawande", "puri_lawande",
    "sz", "sz2", "purity", "xi2_x", "negativity", "qubit_purity",
    "degeneracy", "mixed_moments", "mixed_g2",
    "two_qubit_partial_transpose", "two_qubit_rows", "trace_ratio_function",
    "crf_scalar", "mixed_g2_scalar", "xi2_expr", "qubit_purity_expr", "purity_expr", "negativity_expr", "mixed_g2_expr",
]
