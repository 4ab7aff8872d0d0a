r"""Export a catalogue model at finite size to QuTiP (Hamiltonian, collapse operators, Liouvillian).

Same convention on both sides (hbar = 1, QuTiP's): a dissipator of rate :math:`r` on
:math:`\mathcal D[L]` becomes the collapse operator :math:`\sqrt r\,L`, so that
``qutip.liouvillian(H, c_ops)`` is

.. math:: \mathcal L\rho = -i[H,\rho] + \sum_k r_k\big(L_k\rho L_k^\dagger - \tfrac12\{L_k^\dagger L_k,\rho\}\big),

column-stacked exactly as :func:`numeric.core.liouvillian.liouvillian`.  Every matrix comes from the
model's operators through :mod:`numeric.core.operators` (nothing is re-typed).

Spaces:

* collective models (spins, modes; ``S=``, ``truncation=``): the representation of
  :func:`numeric.core.liouvillian.setup` -- Dicke basis in ``qutip.jmat`` order (first state
  :math:`m = +S`), Fock basis truncated at ``truncation`` levels; tensor dims as QuTiP's.
* N-atom models with individual dissipators (``N=``): the **full** :math:`d^N`-dimensional
  product space (not QuTiP's piqs, whose Lindbladian does not take arbitrary single-atom jumps
  and Hamiltonians written with our generators).  Single-atom basis ordered by energy,
  :math:`|0\rangle` = down, :math:`|1\rangle` = up (:class:`analytic.algebra.Atoms`; note
  ``qutip.sigmaz()`` has the opposite order).  Each individual dissipator of rate :math:`r` gives N
  collapse operators :math:`\sqrt r X_n`.  Practical up to N ~ 8 (Liouvillian :math:`4^N` square).

Example
-------
>>> import analytic as an, qutip
>>> from numeric.app.interop import to_qutip
>>> q = to_qutip(an.models.crf(), {'omega': 1.0, 'kappa': 1.0}, S=5)
>>> rho = qutip.steadystate(q.H, q.c_ops)   # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import scipy.sparse as sps

from analytic.algebra import Atoms, Op
from analytic.model import Model, ModelError

from numeric.core.liouvillian import hamiltonian_and_jumps, setup
from numeric.states.observables import as_operator
from numeric.core.operators import Size, Truncation
from numeric.solvers.product import product_operators

__all__ = ["QutipModel", "to_qutip"]


@dataclass
class QutipModel:
    """A model at finite size as QuTiP objects.

    Attributes
    ----------
    H : qutip.Qobj
        Hamiltonian.
    c_ops : list of qutip.Qobj
        Collapse operators :math:`\\sqrt{r_k} L_k`.
    liouvillian : qutip.Qobj
        ``qutip.liouvillian(H, c_ops)`` (super operator, column stacking).
    space : str
        ``'collective'`` or ``'full product space'``.
    """

    H: object
    c_ops: list
    liouvillian: object
    space: str
    _operator: Callable

    def op(self, expr: str | Op) -> object:
        """A model operator (string such as ``'Sz'``, ``'Sx*Sx'``, ``'ad*a'``, parsed, never
        eval'ed, or an :class:`analytic.algebra.Op`) as a Qobj on the exported space."""
        return self._operator(expr)


def _qobj(m, dims):
    import qutip

    return qutip.Qobj(sps.csr_matrix(m), dims=[dims, dims])


def _full_space(model: Model, values: Mapping, N) -> tuple:
    """``(H, [(rate, L)], dims, matrix)`` on the d^N product space of a single Atoms ensemble
    (``matrix(op)``: the sparse matrix of any model operator there)."""
    subs = model.subsystems
    if len(subs) != 1 or not isinstance(subs[0], Atoms):
        raise ModelError(f"model {model.name!r}: N= export needs exactly one Atoms ensemble; "
                         f"it has {[(s.kind, s.name) for s in subs]}")
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 1:
        raise ModelError(f"N must be a positive integer, got N={N!r}")
    if N > 10:
        raise ModelError(f"N={N}: the full product space has dimension {subs[0].d}^{N}; use N <= 10")
    # the matrices of the product-space solver: one builder of model operators on a product space
    return product_operators(model, values, int(N), None)


def to_qutip(model: Model, values: Mapping, S: Size | None = None, truncation: Truncation = None, N: int | None = None,
             **sizes: Size) -> QutipModel:
    r"""Export ``model`` at finite size as QuTiP objects.

    Parameters
    ----------
    model : analytic.model.Model
        A catalogue model.
    values : mapping
        ``{parameter name: number}``.
    S, truncation, **sizes
        Sizes of a collective model (as :func:`numeric.core.liouvillian.liouvillian`).
    N : int, optional
        Number of atoms of a model with individual dissipators (full :math:`d^N` space).

    Returns
    -------
    QutipModel
        ``H``, ``c_ops`` (:math:`\sqrt{r_k}L_k`), ``liouvillian``, the kind of space and
        :meth:`QutipModel.op` for the model's operators.
    """
    import qutip

    if not isinstance(model, Model):
        raise ModelError(f"model must be an analytic.model.Model, got {type(model).__name__}")
    if N is not None:
        if S is not None or truncation is not None or sizes:
            raise ModelError("N= (full product space of atoms) excludes S=, truncation= and other sizes")
        H, jumps, dims, matrix = _full_space(model, values, N)
        space = "full product space"
    else:
        rep, vals = setup(model, values, S, truncation, **sizes)
        H, jumps = hamiltonian_and_jumps(model, rep, vals)
        dims, space = list(rep.dims), "collective"

        def matrix(op):
            return rep.matrix(op, vals)
    Hq = _qobj(H, dims)
    if not Hq.isherm:
        raise ModelError(f"model {model.name!r}: the Hamiltonian at these values is not Hermitian")
    c_ops = [_qobj(np.sqrt(r) * L, dims) for r, L in jumps]
    return QutipModel(Hq, c_ops, qutip.liouvillian(Hq, c_ops), space,
                      lambda op: _qobj(matrix(as_operator(model, op)), dims))
