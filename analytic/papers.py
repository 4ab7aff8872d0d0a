"""The source papers: who wrote them, their titles and references, cited by number or key.

The toolkit calls its five source papers by a three-digit number (``'000'`` ... ``'004'``, the order
in which they entered the project; :data:`PAPERS`: each has a notebook and a ``dspins reproduce``).
Models taken from the wider literature (:data:`LITERATURE`, e.g. the superradiant laser of Meiser
et al. 2009, issue 19) are cited by a key (``'meiser2009'``) and have neither.  These two tables are
the one place that turns a number or key into a citation; models, notebooks, ``dspins models`` and
``dspins reproduce`` all cite through them.  A paper's reference (journal or arXiv id) is given where
the paper itself states one (a literature entry always gives its journal reference).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

from .model import Model, ModelError

__all__ = ["Paper", "PAPERS", "LITERATURE", "paper", "cite", "source"]


@dataclass(frozen=True)
class Paper:
    """A source paper: ``number`` ('000'..), ``authors``, ``title`` and ``reference`` (journal
    reference or arXiv id as the paper states it; empty when it states none)."""

    number: str
    authors: str
    title: str
    reference: str = ""
    topic: str = ""

    @property
    def short(self) -> str:
        """``'Hannukainen & Larson (paper 000)'``: surnames and number, for tables."""
        names = [a.split()[-1] for a in self.authors.replace(" and ", ", ").split(", ")]
        who = names[0] if len(names) == 1 else (" & ".join(names) if len(names) == 2 else f"{names[0]} et al.")
        return f"{who} (paper {self.number})" if self.number.isdigit() else f"{who} ({self.number})"

    @property
    def citation(self) -> str:
        """Authors, "title", reference: the full citation."""
        ref = f", {self.reference}" if self.reference else ""
        return f'{self.authors}, "{self.title}"{ref}'


PAPERS = {p.number: p for p in (
    Paper("000", "J. Hannukainen and J. Larson",
          "Dissipation-driven quantum phase transitions and symmetry breaking",
          "Phys. Rev. A 98, 042113 (2018), doi:10.1103/PhysRevA.98.042113",
          "cooperative resonance fluorescence: one collective spin, drive and collective decay"),
    Paper("001", "L. Pausch, F. Damanet, T. Bastin and J. Martin",
          "Dissipative phase transition: from qubits to qudits", "",
          "dissipative LMG / infinite-range XY model of N qudits"),
    Paper("002", "J. Huber, P. Kirton and P. Rabl",
          "Non-equilibrium magnetic phases in spin lattices with gain and loss", "",
          "spin dimer and chain with alternating gain and loss; dissipative Kerr oscillator"),
    Paper("003", "K. Müller and W. T. Strunz",
          "Genuine quantum effects in Dicke-type models at large atom numbers", "",
          "balanced and unbalanced open Dicke model"),
    Paper("004", "N. Leppenen and E. Shahmoon",
          "Quantum correlated steady states under competing collective and individual decay", "",
          "N driven two-level atoms with collective and individual decay"),
)}


LITERATURE = {p.number: p for p in (
    Paper("meiser2009", "D. Meiser, J. Ye, D. R. Carlson and M. J. Holland",
          "Prospects for a millihertz-linewidth laser",
          "Phys. Rev. Lett. 102, 163601 (2009), doi:10.1103/PhysRevLett.102.163601",
          "superradiant (bad-cavity) laser: N incoherently pumped two-level atoms in a lossy cavity"),
)}


def paper(number: str) -> Paper:
    """The paper with this number (``'000'`` ... ``'004'``) or literature key (``'meiser2009'``);
    ModelError naming the argument otherwise."""
    if number in PAPERS:
        return PAPERS[number]
    if number in LITERATURE:
        return LITERATURE[number]
    raise ModelError(f"paper: unknown paper {number!r}; choose from {sorted(PAPERS) + sorted(LITERATURE)}")


def cite(number: str, where: str = "") -> str:
    """Full citation of paper ``number``, followed by ``where`` (an equation or figure) if given."""
    p = paper(number)
    return p.citation + (f", {where}" if where else "")


def source(number: str) -> Callable[[Callable[..., Model]], Callable[..., Model]]:
    """Decorator of a catalogue constructor whose model is taken from paper ``number``.

    The constructor sets its model's ``source`` to *where* in the paper the model is (e.g.
    ``'eq. (10)'``); the decorated constructor returns the model with ``source`` =
    :func:`cite` ``(number, where)``, and its docstring ends with the full citation.  So each
    model names its paper once, and every place that shows a model (``dspins models``,
    ``dspins derive``, ``help()``) shows who wrote what.
    """
    p = paper(number)

    def decorate(constructor):
        @functools.wraps(constructor)
        def cited(*args, **kwargs):
            model = constructor(*args, **kwargs)
            model.source = cite(number, model.source)
            return model

        doc = (constructor.__doc__ or "").rstrip()
        what = f"paper {p.number}" if p.number in PAPERS else p.number
        cited.__doc__ = f"{doc}\n\n    Source: {what}, {p.citation}.\n"
        cited.paper = p
        return cited

    return decorate

