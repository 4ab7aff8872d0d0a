"""The chain's terms on lattice sites: a lattice model's Hamiltonian and dissipators read from its operators."""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from analytic.model import Model, ModelError

__all__ = ["LatticeTerms", "lattice_terms"]


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
