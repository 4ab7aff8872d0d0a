"""The Dicke basis of N qubits: degeneracies d_j and the index map of the weighted blocks x_j = d_j rho_j."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Sequence

import numpy as np

from analytic.exact import degeneracy
from analytic.algebra import Atoms
from analytic.model import Model, ModelError

__all__ = ["DickeBasis", "degeneracy", "check_N", "dicke_basis", "one_ensemble"]


# =========================================================================== basis
def check_N(N: object) -> int:
    """The number of atoms as an int >= 1 (an integral float is accepted); ModelError naming N otherwise."""
    if isinstance(N, bool) or not isinstance(N, (int, np.integer)):
        if isinstance(N, float) and N.is_integer():
            N = int(N)
        else:
            raise ModelError(f"N must be a positive integer (number of atoms), got N={N!r}")
    if N < 1:
        raise ModelError(f"N must be a positive integer (number of atoms), got N={N!r}")
    return int(N)


class DickeBasis:
    r"""Index map of the weighted blocks :math:`x_j` of N qubits.

    Attributes
    ----------
    N : int
    tj : numpy.ndarray
        :math:`2j` of every block, decreasing (N, N-2, ..., 0 or 1).
    dims, offsets : numpy.ndarray
        Block sizes :math:`2j+1` and the offsets of the column-stacked blocks in the vector.
    deg : list of int
        Exact degeneracies :math:`d_j`.
    blk, a, b : numpy.ndarray
        For every vector index: block, row and column (:math:`m = j - a`, :math:`m' = j - b`).
    q : numpy.ndarray
        :math:`q = m - m' = b - a`.
    """

    def __init__(self, N: int):
        self.N = check_N(N)
        self.tj = np.arange(self.N, -1, -2, dtype=np.int64)
        self.dims = self.tj + 1
        sizes = self.dims ** 2
        self.offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.n = int(sizes.sum())
        self.deg = [degeneracy(self.N, Fraction(int(t), 2)) for t in self.tj]
        blk, a, b = [], [], []
        for k, d in enumerate(self.dims):
            idx = np.arange(d * d)
            blk.append(np.full(d * d, k))
            a.append(idx % d)
            b.append(idx // d)
        self.blk = np.concatenate(blk).astype(np.int64)
        self.a = np.concatenate(a).astype(np.int64)
        self.b = np.concatenate(b).astype(np.int64)
        self.q = self.b - self.a
        self.block_of_tj = {int(t): k for k, t in enumerate(self.tj)}

    def index(self, k: int | np.ndarray, a: int | np.ndarray, b: int | np.ndarray) -> int | np.ndarray:
        """Vector index of entry (a, b) of block k (column stacking)."""
        return self.offsets[k] + a + b * self.dims[k]

    def blocks(self, x: np.ndarray) -> list:
        """Split a vector into the list of (2j+1)x(2j+1) blocks (views, Fortran order)."""
        return [x[o:o + d * d].reshape(d, d, order="F") for o, d in zip(self.offsets, self.dims)]

    def vector(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        return np.concatenate([np.asarray(B).reshape(-1, order="F") for B in blocks])

    @property
    def j(self) -> list:
        return [Fraction(int(t), 2) for t in self.tj]


@lru_cache(maxsize=8)
def dicke_basis(N: int) -> DickeBasis:
    return DickeBasis(N)


def one_ensemble(model: Model, representation: str) -> Atoms:
    """The model's one :class:`~analytic.algebra.Atoms` ensemble; ModelError when the model is not a
    Model or has another subsystem (``representation`` names the solver in the message)."""
    if not isinstance(model, Model):
        raise ModelError(f"model must be an analytic.model.Model, got {type(model).__name__}")
    subs = model.subsystems
    if len(subs) != 1 or not isinstance(subs[0], Atoms):
        raise ModelError(f"model {model.name!r}: the {representation} needs exactly one Atoms ensemble and no other "
                         f"subsystem; it has {[(s.kind, s.name) for s in subs]}")
    return subs[0]
