r"""Adiabatic elimination of a fast, lossy bosonic mode (bad-cavity limit).

A model whose Hamiltonian is linear in a mode :math:`a` apart from its own frequency,

.. math::
    H = H_\mathrm{rest} + \delta\, a^\dagger a + a^\dagger X + X^\dagger a,
    \qquad \kappa\,\mathcal D[a] \ \text{(our convention, no factor 2)},

with :math:`X` an operator of the other subsystems (collective spins, atoms; a c-number part of
:math:`X` is a coherent drive of the mode), is reduced to a model of the other subsystems alone.
The mode follows :math:`X` adiabatically (Heisenberg-Langevin, seed 000 eq. 9, seed 004 eq. A6):

.. math::
    \dot a = -(i\delta + \kappa/2)\,a - iX \;\Rightarrow\;
    a_\mathrm{ss} = \frac{-iX}{i\delta + \kappa/2} = -\frac{X}{\delta - i\kappa/2},

and to second order in :math:`X/(\delta - i\kappa/2)` (effective-operator formalism of
Reiter & Sorensen, PRA 85, 032111 (2012), with :math:`H_\mathrm{NH} = \delta - i\kappa/2` in
the one-photon manifold) the reduced master equation is

.. math::
    H_\mathrm{eff} = H_\mathrm{rest} - \frac{\delta}{\delta^2 + \kappa^2/4}\, X^\dagger X,\qquad
    \frac{\kappa}{\delta^2 + \kappa^2/4}\,\mathcal D[X].

The shift/exchange term :math:`-\delta X^\dagger X/(\delta^2+\kappa^2/4)` is seed 002's
:math:`g = -G_c^2/\delta` (eq. 13) and seed 004's :math:`\Delta` (eq. A8); the rate is seed 004's
:math:`\gamma_c` (A8) and seed 002's :math:`\Gamma = 2G^2/\gamma` (eq. 13, after the factor-2
mapping).  A c-number part :math:`X = X_0 + \alpha` is split off the jump operator,
:math:`\mathcal D[X_0 + \alpha] = \mathcal D[X_0] + [\alpha^* X_0 - \alpha X_0^\dagger, \cdot\,]/2`,
so that a cavity drive becomes a Hamiltonian drive of the spins (seed 004's effective Rabi
frequency :math:`\Omega`, eq. A8).  Constant energies are dropped and recorded.

Conditions of validity (recorded in :attr:`Elimination.conditions`): the mode responds at the
rate :math:`|\delta - i\kappa/2|`, which must exceed (i) every frequency of the remaining dynamics
(:math:`H_\mathrm{rest}`, the other dissipators: X is frozen over the cavity memory time) and
(ii) the collective coupling :math:`\|X_0\|` (e.g. :math:`g\sqrt{S(S+1)}` for :math:`X = gS^-`),
hence also the induced rates.  Corrections are of relative order
:math:`\nu/|\delta - i\kappa/2|`, with :math:`\nu` the largest of those frequencies.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Union

import sympy as sp

from .algebra import Mode, Op, scalar
from .model import Dissipator, Model, ModelError

__all__ = ["Elimination", "eliminate", "split_mode"]


@dataclass(frozen=True)
class Elimination:
    r"""What :func:`eliminate` derived and assumed for one mode.

    Attributes
    ----------
    mode : str
        Name of the eliminated mode.
    detuning : sympy.Expr
        :math:`\delta`, the coefficient of :math:`a^\dagger a` in :math:`H`.
    loss : sympy.Expr
        :math:`\kappa`, total rate of :math:`\mathcal D[a]` (our convention).
    coupling : Op
        :math:`X` in :math:`a^\dagger X + X^\dagger a` (may contain a c-number drive).
    amplitude : Op
        :math:`a_\mathrm{ss} = -X/(\delta - i\kappa/2)`.
    shift : sympy.Expr
        :math:`-\delta/(\delta^2+\kappa^2/4)`, the coefficient of :math:`X^\dagger X` in :math:`H_\mathrm{eff}`.
    rate : sympy.Expr
        :math:`\kappa/(\delta^2+\kappa^2/4)`, the rate of :math:`\mathcal D[X]`.
    hamiltonian : Op
        The induced Hamiltonian terms, constant dropped.
    dissipator : Dissipator or None
        The induced collective dissipator :math:`r\,\mathcal D[L]`, :math:`L \propto X_0`.
    dropped_constant : sympy.Expr
        The constant energy removed from the induced Hamiltonian.
    conditions : tuple of str
        The conditions of validity assumed.
    """

    mode: str
    detuning: sp.Expr
    loss: sp.Expr
    coupling: Op
    amplitude: Op
    shift: sp.Expr
    rate: sp.Expr
    hamiltonian: Op
    dissipator: Union[Dissipator, None]
    dropped_constant: sp.Expr
    conditions: tuple


def _find_mode(model: Model, mode: Union[str, Mode]) -> Mode:
    if isinstance(mode, Mode):
        if mode not in model.subsystems:
            raise ModelError(f"eliminate: mode {mode!r} is not a subsystem of model {model.name!r}")
        return mode
    if not isinstance(mode, str):
        raise ModelError(f"eliminate: mode must be a mode name (str) or a Mode, got {type(mode).__name__}")
    found = [s for s in model.modes if s.name == mode]
    if not found:
        raise ModelError(f"eliminate: model {model.name!r} has no mode {mode!r}; "
                         f"its modes are {[s.name for s in model.modes]}")
    return found[0]


def split_mode(model: Model, mode: Union[str, Mode]) -> tuple:
    r"""Split :math:`H = H_\mathrm{rest} + \delta a^\dagger a + a^\dagger X + X^\dagger a` and
    collect the loss :math:`\kappa\,\mathcal D[a]` of one mode.

    Returns
    -------
    tuple
        ``(mode, H_rest, delta, X, kappa, other_dissipators)``.

    Raises
    ------
    ModelError
        Naming the offending term when the Hamiltonian is not of this form (quadratic or
        dispersive couplings, squeezing terms, X acting on another mode) or a dissipator
        involves the mode other than as :math:`\mathcal D[a]`, or the mode has no loss.
    """
    m = _find_mode(model, mode)
    label = m.name or "a"
    rest, X, delta = {}, {}, sp.Integer(0)
    for word, coeff in model.hamiltonian.terms.items():
        letters = tuple(g.letter for g in word if g.sub == m)
        others = tuple(g for g in word if g.sub != m)
        if not letters:
            rest[word] = coeff
        elif letters == ("c",):
            X[others] = coeff
        elif letters == ("c", "a") and not others:
            delta = coeff
        elif letters != ("a",):  # the a-terms are X^dagger a, fixed by hermiticity
            raise ModelError(
                f"eliminate: term {Op({word: coeff})} of model {model.name!r} is not of the form "
                f"delta a†a + a†X + X†a in mode {label!r} (only couplings linear in the mode can be eliminated)")
    X = Op(X, canonical=True)
    if X.subsystems() & set(model.modes):
        raise ModelError(f"eliminate: the coupling X = {X} of mode {label!r} acts on another mode; "
                         "eliminate modes that couple only to spins")
    kappa, kept = sp.Integer(0), []
    for d in model.dissipators:
        if d.kind == "individual" or m not in d.jump.subsystems():
            kept.append(d)
            continue
        words = list(d.jump.terms.items())
        if len(words) != 1 or tuple(g.letter for g in words[0][0]) != ("a",) or words[0][0][0].sub != m:
            raise ModelError(f"eliminate: dissipator {d.label!r} of model {model.name!r} involves mode {label!r} "
                             f"other than as D[a] (jump {d.jump}); only a lossy mode at zero temperature can be eliminated")
        c = words[0][1]
        kappa = kappa + d.rate * sp.simplify(c * sp.conjugate(c))
    if kappa == 0:
        raise ModelError(f"eliminate: mode {label!r} of model {model.name!r} has no loss D[a]; "
                         "adiabatic elimination needs a damped mode (bad-cavity limit)")
    return m, Op(rest, canonical=True), sp.sympify(delta), X, sp.simplify(kappa), tuple(kept)


def _first_coefficient(op: Op) -> sp.Expr:
    """The coefficient of the first word of ``op`` in a deterministic order (shortest, then by name)."""
    word = min(op.terms, key=lambda w: (len(w), repr(w)))
    return op.terms[word]


def _conditions(label: str, fast: sp.Expr, X0: Op, rest: Op) -> tuple:
    spins = ", ".join(sorted(repr(s.name or "spin") for s in X0.subsystems())) or "none"
    return (
        f"bad-cavity limit: mode {label!r} responds at |delta - i kappa/2| = {sp.sstr(fast)}, which must be "
        f"much larger than every frequency of the remaining dynamics (H_rest = {rest}, the other "
        f"dissipators): X is frozen over the cavity memory time",
        f"weak collective coupling: ||X0|| << {sp.sstr(fast)} with X0 = {X0} (acting on {spins}; "
        "||g S^-|| = g sqrt(S(S+1))), hence induced shift and rate << |delta - i kappa/2|",
        "zero-temperature Markovian loss kappa D[a]; no direct mode nonlinearity or dispersive coupling",
        "second order in X/(delta - i kappa/2): corrections are O(nu/|delta - i kappa/2|), nu the largest "
        "frequency above",
    )


def _eliminate_one(model: Model, mode: Union[str, Mode]) -> tuple:
    m, rest, delta, X, kappa, kept = split_mode(model, mode)
    label = m.name or "a"
    den = delta**2 + kappa**2 / 4
    shift = sp.simplify(-delta / den)
    rate = sp.simplify(kappa / den)
    alpha = X.terms.get((), sp.Integer(0))
    X0 = X - scalar(alpha)
    # H_eff: shift X†X, plus the Hamiltonian part of D[X0 + alpha]
    induced = X.dagger() * X * shift + (X0 * sp.conjugate(alpha) - X0.dagger() * alpha) * (rate * sp.I / 2)
    induced = induced.simplify()
    constant = sp.simplify(induced.terms.get((), sp.Integer(0)))
    induced = induced - scalar(constant)
    dissipator = None
    if not X0.is_zero():
        c0 = _first_coefficient(X0)
        jump = (X0 / c0).simplify()
        dissipator = Dissipator(jump, sp.simplify(rate * c0 * sp.conjugate(c0)), "collective",
                                f"collective decay through mode {label!r}")
    fast = sp.sqrt(den)
    record = Elimination(label, delta, kappa, X, (X * (-1 / (delta - sp.I * kappa / 2))).simplify(),
                         shift, rate, induced, dissipator, constant, _conditions(label, fast, X0, rest))
    return m, (rest + induced).simplify(), kept + ((dissipator,) if dissipator else ()), record


def eliminate(model: Model, mode: Union[str, Mode, Sequence] = "", name: Union[str, None] = None) -> Model:
    r"""Adiabatically eliminate one or several fast, lossy bosonic modes (bad-cavity limit).

    For each mode, with :math:`H = H_\mathrm{rest} + \delta a^\dagger a + a^\dagger X + X^\dagger a`
    and loss :math:`\kappa\,\mathcal D[a]` (our convention, no factor 2):

    .. math::
        a_\mathrm{ss} = -\frac{X}{\delta - i\kappa/2},\qquad
        H_\mathrm{eff} = H_\mathrm{rest} - \frac{\delta}{\delta^2+\kappa^2/4} X^\dagger X,\qquad
        \frac{\kappa}{\delta^2+\kappa^2/4}\,\mathcal D[X]

    (seed 000 eq. 9; seed 002 eq. 13, :math:`g = -G_c^2/\delta`, :math:`\Gamma = 2G^2/\gamma`;
    seed 004 eqs. A6-A8).  A c-number part of X (a drive of the mode) becomes a Hamiltonian drive
    of the spins; constant energies are dropped.  Modes are eliminated one after another; each
    must couple to the spins only.

    Parameters
    ----------
    model : Model
        A model with the mode(s) to eliminate.
    mode : str, Mode or sequence of them
        Name (``''`` for an unnamed mode) or :class:`~analytic.algebra.Mode`; a list/tuple
        eliminates several modes in turn.
    name : str, optional
        Name of the reduced model (default ``'<model>_adiabatic'``).

    Returns
    -------
    Model
        The model of the remaining subsystems.  ``derived['elimination']`` is a tuple of
        :class:`Elimination` records (amplitude :math:`a_\mathrm{ss}`, shift, rate, induced
        terms, dropped constant and the conditions of validity assumed).

    Raises
    ------
    ModelError
        Unknown mode, a Hamiltonian not linear in the mode, a coupling X acting on another
        mode, a dissipator involving the mode other than as :math:`\mathcal D[a]`, no loss.
    """
    modes = list(mode) if isinstance(mode, (list, tuple)) else [mode]
    if not modes:
        raise ModelError("eliminate: mode: give at least one mode to eliminate")
    records = tuple(model.derived.get("elimination", ()))
    current = model
    for md in modes:
        m, H, dissipators, record = _eliminate_one(current, md)
        records += (record,)
        subsystems = tuple(s for s in current.subsystems if s != m)
        used = H.free_symbols()
        for d in dissipators:
            used |= d.rate.free_symbols | (d.jump.free_symbols() if isinstance(d.jump, Op) else set())
        parameters = {k: v for k, v in current.parameters.items() if v in used}
        derived = {k: v for k, v in current.derived.items() if not k.startswith("_")}
        derived["elimination"] = records
        current = Model(
            name=name or f"{model.name}_adiabatic",
            parameters=parameters,
            subsystems=subsystems,
            hamiltonian=H,
            dissipators=dissipators,
            source=f"adiabatic elimination of mode {record.mode!r} from {current.name!r} ({current.source})",
            notes="; ".join(record.conditions),
            derived=derived,
        )
    return current
