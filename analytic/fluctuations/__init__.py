r"""Gaussian fluctuations around a mean-field fixed point (Holstein-Primakoff, linearised cumulants).

Modules: :mod:`.gaussian` (the method below: quadratures, drift, diffusion, covariance),
:mod:`.lyapunov` (the linear algebra: Lyapunov equations, Routh-Hurwitz, purity, negativity,
correlation length), :mod:`.phases` (the catalogue models' ordered phases and the closed forms the
registered formulas of :mod:`analytic.formulas` export).

Method (derived from the model, nothing typed in):

1. Each spin is described in the frame of its mean spin :math:`\mathbf n = \mathbf s/|\mathbf s|`
   (polar frame :math:`\mathbf e_1 = \mathbf e_\theta`, :math:`\mathbf e_2 = \mathbf e_\phi`,
   :math:`\mathbf e_1\times\mathbf e_2 = \mathbf n`).  Its transverse components define the
   Holstein-Primakoff boson :math:`b = (S_{e_1} + iS_{e_2})/\sqrt{2S|\mathbf s|}` and the
   quadratures :math:`x = b + b^\dagger`, :math:`p = -i(b - b^\dagger)`, normalised so that the
   vacuum (a coherent spin state) has :math:`V = \mathbb 1` and :math:`[x, p] = 2i`.  (For a spin
   pointing down this is seed 002 eq. A1 up to the sign of b, for a spin up eq. A2.)  A bosonic
   mode keeps :math:`x = a + a^\dagger`, :math:`p = -i(a - a^\dagger)`.  An ensemble of atoms
   with *individual* dissipators does not conserve the collective spin length: its radial
   component fluctuates at the same order and is kept as a third quadrature ``n`` (normalised
   like x and p).  This is the central-limit (van Kampen) theory of the collective variables
   for atoms decaying individually; seed 004 App. F instead uses local bosons per atom with the
   radial component frozen (eq. F4a).  For the driven atoms the transverse theory
   (``radial=False``, :func:`driven_dicke_gaussian`) with the engine's diffusion already converges
   to the exact permutation-invariant xi^2 like 1/N, where seed 004's (F11) does not
   (tests/numeric/test_fluctuations_numeric.py).  With the radial quadrature (the default there)
   the full covariance is the order-2 cumulant closure's (:mod:`analytic.cumulants`, collective
   reading) up to O(1/N), every Cartesian entry; the transverse theory shares with it the
   out-of-plane (squeezed) variance only (tests/analytic/test_cumulants_gaussian.py).
2. Drift: the Jacobian of the engine's mean-field equations at the fixed point, projected on
   these directions, :math:`A = \Lambda B^T J B\Lambda^{-1}`.
3. Diffusion: for operators A, B the dissipation function
   :math:`\mathcal D(A,B) = \mathcal L^\dagger(AB) - A\,\mathcal L^\dagger B - (\mathcal L^\dagger A) B
   = \sum_k r_k [L_k^\dagger, A][B, L_k]` (individual terms summed over atoms exactly) is taken
   from :meth:`analytic.model.Model.adjoint` and evaluated with the mean-field factorisation;
   its symmetric part is :math:`D`.
4. The symmetrised covariance :math:`V_{ij} = \langle\{q_i, q_j\}\rangle/2 - \langle q_i\rangle\langle q_j\rangle`
   solves :math:`AV + VA^T + D = 0` (solved symbolically), valid while A is Hurwitz
   (Routh-Hurwitz conditions returned with the result).

Lattices (models with ``derived['images']``, e.g. ``gain_loss_chain``): the neighbour images
carry the phase :math:`e^{\pm ik}` of lattice Fourier modes (seed 002 eq. A4,
:math:`c_n = N^{-1/2}\sum_k e^{ink}c_k`), :math:`A(k) = J_0 + J_{\rm prev}e^{-ik} + J_{\rm next}e^{ik}`,
and :math:`\Sigma(k)_{ij} = \langle\{q_{i,k}, q_{j,k}^\dagger\}\rangle/2` solves
:math:`A(k)\Sigma + \Sigma A(k)^\dagger + D = 0`.

Conventions: hbar = 1, Lindblad rates multiply :math:`\mathcal D[L]` without a factor 2
(:mod:`analytic.model`); mean-field variables scaled, :math:`s_a = \langle S_a\rangle/S`.
"""
from .gaussian import Gaussian, Quadrature, gaussian, vanishes_numerically
from .lyapunov import K, Z, correlation_length, gaussian_negativity, gaussian_purity, hurwitz_conditions, lattice_lyapunov, lyapunov
from .phases import (COS_THETA, chain_correlation_length, chain_gaussian, crf_xi2, dimer_gaussian, dimer_negativity,
                     dimer_purity, driven_dicke_curve, driven_dicke_gaussian, driven_dicke_xi2)

__all__ = ["gaussian", "Gaussian", "Quadrature", "lyapunov", "lattice_lyapunov", "hurwitz_conditions",
           "gaussian_purity", "gaussian_negativity", "correlation_length", "vanishes_numerically", "K", "Z",
           "dimer_gaussian", "chain_gaussian", "driven_dicke_curve", "driven_dicke_gaussian", "COS_THETA",
           "crf_xi2", "driven_dicke_xi2", "dimer_purity", "dimer_negativity", "chain_correlation_length"]
