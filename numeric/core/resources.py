r"""Peak memory and time of a solve estimated from its sizes, refused above ``max_memory=`` or beyond ``DPS_MAX``.

Issue 17 ("Resources", "Precision range"): before allocating, a solver estimates its peak memory
from the sizes of its problem and refuses (:class:`ResourceError`, a ``ModelError``) when the
estimate exceeds ``max_memory`` (default: 80% of the memory available now, ``MemAvailable`` of
``/proc/meminfo``, or ``psutil.virtual_memory().available`` when that file does not exist).
One :class:`Estimate`, one :func:`check`, one parser :func:`memory_limit` for every solver:
steady states and spectra (:func:`estimate_collective`, :func:`estimate_from_operators`,
:func:`estimate_permutational`), qudits (:func:`estimate_qudits`), time evolution
(:func:`estimate_evolve`), quantum jumps (:func:`estimate_quantum_jumps`), cluster mean field
(:func:`estimate_cluster`) and the truncated Wigner method (:func:`estimate_twa`); each documents
what dominates its peak and the measurements it is calibrated on.

Model of the peak of the steady-state solvers (measured in float64, 2 cores, scipy SuperLU):

.. math:: \mathrm{bytes} \approx 30\,\mathrm{nnz}(L+U) + \mathrm{(arbitrary\ precision)},\qquad
          \mathrm{nnz}(L+U) = f(n)\,\mathrm{nnz}(A),

``n`` the real unknowns, ``nnz(A)`` the non-zeros of the real-form system, ``f`` the fill factor of
the factorisation *for the ordering the solver uses*, a power law fitted to measurements
(least squares in log-log; measured/fitted ratio in brackets):

* collective solver (:mod:`numeric.solvers.steady`, geometric nested dissection of the (ket, bra) grid),
  ``crf`` omega = 1.3, kappa = 0.9, S = 50, 100, 200, 400, 800 (n = 5151 ... 1282401):
  :math:`f = 3.348\,n^{0.1238}` [1.02, 0.99, 0.98, 0.99, 1.02] (nested dissection in 2D: the
  theory is :math:`f\propto\log n`; the power law is within 3% over the range);
* permutation-invariant solver (:mod:`numeric.pi.permutational`, nested dissection of the
  (j, m + m', m - m') grid), ``driven_dicke`` Omega = 0.9, gamma_c = 1.3, gamma_s = 0.4,
  N = 20, 40, 60, 80 (n = 946 ... 46781): :math:`f = 0.7581\,n^{0.4512}` [1.01, 0.98, 0.99, 1.02]
  (a three-dimensional grid: theory :math:`f\propto n^{1/3}`).

* the multifrontal LU (:mod:`numeric.solvers.frontal`, one spin from 50 000 unknowns), separator
  tree with leaves of 24, ``crf`` omega = 1.3, kappa = 0.9, S = 50, 100, 200, 400, 800, 1000
  (n = 5151 ... 2003001): :math:`f = 3.91\,n^{0.12}` (fill 10.9, 13.3, 15.7, 18.2, 20.7, 22.3;
  within 4%); peak :math:`8\,\mathrm{nnz}(L+U) + 300\,n` bytes plus the dense :math:`d\times d`
  arrays (the 8-byte pool of factors; the Liouvillian, its real form, the coordinate lists and the
  vectors grow with n): crf omega = kappa = 1 at S = 400, 600, 800, 1000 measured 0.70, 1.27, 2.14,
  3.29 GB, which is 0.3 GB (interpreter and imports, numba included) plus 1.04-1.10 times the
  estimate; time :math:`1.44\times10^{-7}\,n^{1.318}` s (2.6 s at S = 400, 29 s at S = 1000); no
  32-bit index limit (64-bit offsets).

The peak resident memory of the whole solve minus the interpreter's (106 MiB) was 26-30 bytes per
factor entry at every size with :math:`\mathrm{nnz}(L+U) > 10^7` (SuperLU stores 8-byte values and
4-byte indices, plus its work space, the real-form matrix and the Liouvillian), hence 30.
Measured times (one process, whole solve): crf 1.6 s (S = 200), 9.5 s (S = 400), 55 s (S = 800):
:math:`t \approx 9.6\times10^{-7}\,n^{1.27}` s; driven_dicke 0.6 s (N = 40), 2.9 s (N = 60), 14 s
(N = 80): :math:`t\approx 6.4\times10^{-7}\,n^{1.56}` s (both within 25%, machine dependent).
SuperLU indexes its factors with 32-bit integers, so an estimate above :math:`2^{31}-1` factor
entries is refused whatever the memory.

Arbitrary precision (``dps``) adds the fixed-point numbers: Python integers of
:math:`p \approx 3.33\,\mathrm{dps}` bits (:math:`p/8 + 40` bytes each), about 12 dense
:math:`d\times d` arrays for the collective solver, 4 per non-zero of the system for the
permutation-invariant one (crf S = 30, dps = 1000: 23 MiB measured, 22.7 MiB estimated), and
refinement time :math:`5.3\times10^{-3}\,d^2(\mathrm{dps}/1000)^{2.6}` s (crf S = 30, dps = 1000:
19.7 s) or :math:`1.1\times10^{-2}\,n(\mathrm{dps}/1000)^{2.6}` s (driven_dicke N = 10, dps = 2000:
10.7 s).  ``dps`` is capped at :data:`DPS_MAX` = 10000: the time of a solve grows
like :math:`\mathrm{dps}^{2.6}` (crf S = 3: 1.6 s at dps = 2000, 7.4 s at 4000, 45 s at 8000), so
dps = 10^4 takes minutes for the smallest system and dps = 10^5 would take hours (dps = 10^6
used to hang).
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Sequence

from analytic.model import ModelError
from analytic.values import DPS_MAX

if TYPE_CHECKING:  # annotations only
    import numpy as np
    import scipy.sparse as sps

__all__ = ["ResourceError", "Estimate", "DPS_MAX", "available_memory", "memory_limit", "check_dps",
           "estimate_collective", "estimate_from_operators", "estimate_permutational", "estimate_qudits", "check", "format_bytes",
           "liouvillian_nnz", "pi_vector_length", "estimate_evolve", "estimate_quantum_jumps", "estimate_cluster",
           "estimate_twa"]

BYTES_PER_FACTOR_ENTRY = 30
SUPERLU_INDEX_LIMIT = 2 ** 31 - 1
DEFAULT_FRACTION = 0.8

# fill factor nnz(L+U)/nnz(A) = a n**b and time a n**b (seconds), see the module docstring
_FILL = {"collective": (3.348, 0.1238), "permutational": (0.7581, 0.4512), "multifrontal": (3.91, 0.12)}
_TIME = {"collective": (9.633e-7, 1.27), "permutational": (6.417e-7, 1.563), "multifrontal": (1.44e-7, 1.318)}
# peak bytes per factor entry and per unknown (SuperLU: all in the first; the multifrontal pool is 8 bytes
# an entry, the rest grows with n), see the module docstring
_BYTES = {"collective": (BYTES_PER_FACTOR_ENTRY, 0.0), "permutational": (BYTES_PER_FACTOR_ENTRY, 0.0),
          "multifrontal": (8.0, 300.0)}
# cluster mean field: peak bytes a * n_t**b per cluster type, time (s) a * n_t**b (estimate_cluster)
_CLUSTER = (1200.0, 1.40)
_CLUSTER_T = (7.4e-5, 1.36)


class ResourceError(ModelError):
    """A solve refused before allocating: its estimated peak memory exceeds ``max_memory``, its
    factors exceed SuperLU's 32-bit indices, or ``dps`` exceeds :data:`DPS_MAX`."""


@dataclass
class Estimate:
    """Sizes and estimated cost of one solve (``exact_sizes``: n and nnz counted, not predicted)."""

    solver: str
    unknowns: int
    nnz: int
    fill: float
    factor_nnz: float
    bytes: float
    seconds: float
    exact_sizes: bool
    limit: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def format_bytes(b: float) -> str:
    """``1.5 GiB`` style."""
    if not math.isfinite(b):
        return str(b)
    for unit, k in (("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if b >= 2 ** k:
            return f"{b / 2 ** k:.3g} {unit}"
    return f"{b:.0f} B"


def available_memory() -> int | None:
    """Bytes available now (``MemAvailable`` of /proc/meminfo, else psutil, else None)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        import psutil
    except ImportError:
        return None
    return int(psutil.virtual_memory().available)


_UNITS = {"": 1, "b": 1, "k": 10 ** 3, "kb": 10 ** 3, "m": 10 ** 6, "mb": 10 ** 6, "g": 10 ** 9, "gb": 10 ** 9,
          "t": 10 ** 12, "tb": 10 ** 12, "kib": 2 ** 10, "mib": 2 ** 20, "gib": 2 ** 30, "tib": 2 ** 40}


def memory_limit(max_memory: float | str | None = None) -> float:
    """The limit in bytes: ``None`` -> 80% of :func:`available_memory` (no limit if unknown);
    a positive number of bytes (``math.inf``: no limit); or a string ``'500MB'``, ``'1.5 GiB'``
    (kB, MB, GB, TB decimal; KiB, MiB, GiB, TiB binary)."""
    if max_memory is None:
        avail = available_memory()
        return math.inf if avail is None else DEFAULT_FRACTION * avail
    bad = ModelError(f"max_memory must be a positive number of bytes or a string like '500MB' or '2GiB', "
                     f"got max_memory={max_memory!r}")
    if isinstance(max_memory, str):
        m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*", max_memory)
        if not m or m.group(2).lower() not in _UNITS:
            raise bad
        value = float(m.group(1)) * _UNITS[m.group(2).lower()]
    elif isinstance(max_memory, bool):
        raise bad
    else:
        try:
            value = float(max_memory)
        except (TypeError, ValueError):
            raise bad from None
    if not value > 0:  # also NaN
        raise bad
    return value


def check_dps(dps: int) -> None:
    """Refuse ``dps > DPS_MAX`` up front (see the module docstring for the measured cost)."""
    if dps is not None and dps > DPS_MAX:
        raise ResourceError(
            f"dps={dps} is beyond DPS_MAX={DPS_MAX}: the time of an arbitrary-precision solve grows like "
            f"dps**2.6 (measured: 45 s at dps=8000 for the smallest crf system, S=3), so dps={dps} would "
            f"take about {_dps_seconds(dps):.1e} s")


def _dps_seconds(dps: int) -> float:
    return 45.0 * (dps / 8000) ** 2.6


def _fixed_bytes(dps: int | None, count: float) -> float:
    if dps is None:
        return 0.0
    p = 3.33 * dps + 48
    return count * (p / 8 + 40)


def _estimate(solver: str, n: float, nnz: float, extra: float, exact: bool, extra_seconds: float = 0.0) -> Estimate:
    a, b = _FILL[solver]
    fill = a * max(n, 1.0) ** b
    factor = fill * nnz
    ta, tb = _TIME[solver]
    per_entry, per_unknown = _BYTES[solver]
    return Estimate(solver, int(n), int(nnz), fill, factor, per_entry * factor + per_unknown * n + extra,
                    ta * max(n, 1.0) ** tb + extra_seconds, exact)


def _dps_time(dps: int | None, size: float, per: float) -> float:
    """Refinement time ``per * size * (dps/1000)**2.6`` s (module docstring)."""
    return 0.0 if dps is None else per * size * (dps / 1000) ** 2.6


def estimate_collective(d: int, nnz_K: int, nnz_jumps: Sequence[int], n: int | None = None, nnz_A: int | None = None,
                        sector_pairs: int | None = None, n_subsystems: int = 1,
                        dps: int | None = None, nnz_diag_K: int = 0, frontal_from: int | None = None) -> Estimate:
    r"""Estimate of the collective solver (:mod:`numeric.solvers.steady`) for Hilbert dimension ``d``.

    Before the system is built (``n=None``): the unknowns are the Hermitian coordinates of the
    pairs ``sector_pairs`` (default :math:`d^2`; equal U(1) charges of ket and bra) halved by one
    parity per subsystem, :math:`n = \mathrm{pairs}/2^{\#\mathrm{subsystems}}` (exact for crf); the
    non-zeros per unknown are those of the Liouvillian,
    :math:`(2\,\mathrm{nnz}(K)\,d - \mathrm{nnz}(\mathrm{diag}\,K)^2 + \sum_k\mathrm{nnz}(L_k)^2)/d^2`
    (:math:`K\otimes 1` and :math:`1\otimes K^*` share their diagonal).  For crf the predicted
    n and nnz(A) are exact to 0.1%; the predicted peak overestimates the measured one by 20-35%.  With ``n`` and ``nnz_A``
    (counted on the built system) the estimate uses them.  ``frontal_from``: from this many unknowns
    the solve is the multifrontal LU (:mod:`numeric.solvers.frontal`, one spin), with its own fill
    and bytes (the module docstring)."""
    exact = n is not None and nnz_A is not None
    if not exact:
        pairs = d * d if sector_pairs is None else sector_pairs
        n = pairs / 2 ** max(int(n_subsystems), 1)
        per = (2.0 * nnz_K * d - float(nnz_diag_K) ** 2 + sum(float(j) ** 2 for j in nnz_jumps)) / max(d * d, 1)
        nnz_A = max(per, 1.0) * n
    dense = 5 * 16.0 * d * d  # dense rho and the residual's temporaries
    solver = "multifrontal" if frontal_from is not None and n >= frontal_from else "collective"
    return _estimate(solver, n, nnz_A, dense + _fixed_bytes(dps, 12.0 * d * d), exact,
                     _dps_time(dps, d * d, 5.3e-3))


def estimate_from_operators(H: sps.spmatrix, jumps: Sequence[tuple[float, sps.spmatrix]],
                            charges: np.ndarray | None = None, n_subsystems: int = 1,
                            dps: int | None = None, frontal_from: int | None = None) -> Estimate:
    """:func:`estimate_collective` from the sparse ``H`` and ``[(rate, L), ...]`` (cost O(nnz)):
    ``charges`` is the (d, n_charges) integer array of U(1) charges of the basis states or None."""
    d = H.shape[0]
    K = abs(H)
    for _, L in jumps:
        K = K + abs(L.conj().T @ L)
    pairs = None
    if charges is not None and charges.shape[1]:
        import numpy as np

        _, counts = np.unique(charges, axis=0, return_counts=True)
        pairs = int(np.sum(counts.astype(np.int64) ** 2))
    return estimate_collective(d, K.nnz, [L.nnz for _, L in jumps], sector_pairs=pairs,
                               n_subsystems=n_subsystems, dps=dps, nnz_diag_K=int((K.diagonal() != 0).sum()),
                               frontal_from=frontal_from)


def estimate_permutational(N: int, u1: bool = False, n: int | None = None, nnz_A: int | None = None,
                           dps: int | None = None) -> Estimate:
    r"""Estimate of the permutation-invariant solver for ``N`` atoms.

    Before the system is built: :math:`\sum_j (2j+1)(2j+2)/2` real unknowns (the entries
    :math:`m \ge m'` of the Hermitian blocks, about :math:`N^3/12`: the count of driven_dicke, whose
    q-parity and antiunitary symmetry leave one real number per entry pair, exactly at N = 80,
    within 2% at N = 9), or :math:`\sum_j (2j+1)` with a U(1) symmetry (only :math:`m = m'`);
    8 non-zeros per unknown (measured 7.6-7.7)."""
    exact = n is not None and nnz_A is not None
    if not exact:
        N = int(N)
        K = N // 2 + 1  # blocks 2j = N, N-2, ...
        t0 = N % 2  # smallest 2j
        # sum over 2j = t0, t0+2, ..., N of (2j+1)^k, with 2j+1 = t0+1+2i, i < K
        s1 = _sum_powers(t0 + 1, K, 1)
        s2 = _sum_powers(t0 + 1, K, 2)
        n = s1 if u1 else (s2 + s1) / 2
        nnz_A = 8.0 * n
    return _estimate("permutational", n, nnz_A, _fixed_bytes(dps, 4.0 * nnz_A), exact,
                     _dps_time(dps, n, 1.1e-2))


def estimate_qudits(N: int, d: int) -> Estimate:
    r"""Estimate of :func:`numeric.pi.qudits.from_model` + :func:`numeric.pi.qudits.solve_qudits`
    (no LU: dense up to 2000 unknowns, else Arnoldi; the peak is the construction of the sparse
    Liouvillian on the :math:`\binom{N+d^2-1}{N}` symmetric basis operators).

    Measured on ``lmg(d=3)`` (V, gamma_C, gamma_I = 0.7, 0.83, 0.96), N = 8, 12, 16 (n = 12870,
    125970, 735471): non-zeros per row :math:`r = 8.31\,N^{0.81}` [1.01, 0.98, 1.01], times
    :math:`(d^2/9)^{0.7}` for other d (lmg(d=4), N = 5: 45.6 measured, 45.5 predicted), capped at n;
    peak 104-121 bytes per non-zero (120 used); time :math:`1.5\times10^{-3}\,n^{0.86}` s
    [1.08, 0.83, 1.11]."""
    K = d * d
    n = math.comb(int(N) + K - 1, int(N))
    r = min(8.31 * float(N) ** 0.81 * (K / 9) ** 0.7, float(n))
    nnz = r * n
    return Estimate("qudits", n, int(nnz), 1.0, 0.0, 120.0 * nnz, 1.5e-3 * float(n) ** 0.86, False)


def _sum_powers(first: int, count: int, power: int) -> int:
    """:math:`\\sum_{i<\\mathrm{count}} (\\mathrm{first} + 2i)^{\\mathrm{power}}` for power 1 or 2, in closed form."""
    c, f = count, first
    if power == 1:
        return c * f + c * (c - 1)
    # sum (f + 2i)^2 = c f^2 + 4 f sum i + 4 sum i^2
    return c * f * f + 2 * f * c * (c - 1) + 4 * (c - 1) * c * (2 * c - 1) // 6


# --------------------------------------------------------------------------- the other solvers
# Calibration of the estimates below (tracemalloc peak of the whole call in one process; the
# numpy/scipy arrays are traced, SuperLU's factors are not, hence ru_maxrss for the cluster solver).


def liouvillian_nnz(H: sps.spmatrix, jumps: Sequence[tuple[float, sps.spmatrix]]) -> int:
    r"""Non-zeros of the column-stacked complex Liouvillian :func:`numeric.core.liouvillian.superop`
    predicted from the sparse ``H`` and ``[(rate, L), ...]`` (cost O(nnz)):
    :math:`2\,\mathrm{nnz}(K)\,d - \mathrm{nnz}(\mathrm{diag}\,K)^2 + \sum_k \mathrm{nnz}(L_k)^2`,
    :math:`K = |H| + \sum_k |L_k^\dagger L_k|` (an upper bound: crf exact up to cancellations)."""
    d = H.shape[0]
    K = abs(H)
    for _, L in jumps:
        K = K + abs(L.conj().T @ L)
    diag = int((K.diagonal() != 0).sum())
    return int(2 * K.nnz * d - diag * diag + sum(int(L.nnz) ** 2 for _, L in jumps))


def pi_vector_length(N: int) -> int:
    r"""Length :math:`\sum_j (2j+1)^2` of a permutation-invariant state vector of ``N`` atoms (the
    weighted blocks of :mod:`numeric.pi.permutational`, about :math:`N^3/6`), in closed form."""
    N = int(N)
    return _sum_powers(N % 2 + 1, N // 2 + 1, 2)


def _pi_block_powers(N: int, power: int) -> float:
    """:math:`\\sum_j (2j+1)^{power}` over the blocks of N atoms (float; vectorised)."""
    import numpy as np

    b = np.arange(N % 2 + 1, N + 2, 2, dtype=float)
    return float(np.sum(b ** power))


def estimate_evolve(n: int, nnz_L: float, n_ops: int = 0, n_states: int = 0, exact: bool = False) -> Estimate:
    r"""Estimate of :func:`numeric.dynamics.evolve.evolve` (sparse Liouvillian, ``expm_multiply``).

    Dominant: the complex sparse Liouvillian (``nnz_L`` entries) with its construction
    temporaries (Kronecker products) and the work of ``expm_multiply`` (its 1-norm estimates and
    Taylor terms): :math:`190\,\mathrm{nnz}(\mathcal L)` bytes, plus 16 bytes per entry of
    the state vector of length ``n`` for every recorded operator row and 1.5 vectors per stored
    state.  Measured (tracemalloc peak, 21 uniform times, ``e_ops=['Sz']``): crf omega = 1.3,
    kappa = 0.9, S = 30, 60, 120 (nnz 21960 ... 347040): 183-247 bytes per non-zero on a uniform
    grid, 147-150 on a non-uniform one; driven_dicke (0.9, 1.3, 0.4) N = 10, 20, 30: 159-306
    (the largest at N = 10, 0.5 MiB); estimate / measured 0.8-1.3; ``store_states=True`` with 21
    states at S = 120: 61.3 MiB measured, 81 MiB estimated.  The time depends on
    :math:`\|\mathcal L\|\,(t_{\rm end} - t_0)` and is not estimated."""
    b = 190.0 * nnz_L + 16.0 * n * (int(n_ops) + 1.5 * int(n_states))
    return Estimate("evolve", int(n), int(nnz_L), 0.0, 0.0, b, math.nan, exact)


def estimate_quantum_jumps(kind: str, n: int, nnz_L: float, ntraj: int, n_times: int, n_ops: int,
                           N: int | None = None, n_channels: int = 1, exact: bool = False) -> Estimate:
    r"""Estimate of :func:`numeric.dynamics.trajectories.quantum_jumps`.

    * collective (``kind='collective'``, pure states of dimension :math:`d = \sqrt n`): the
      Liouvillian of the shared :class:`numeric.dynamics.evolve.LiouvilleSpace` (40 bytes per non-zero,
      construction included), the dense :math:`d\times d` eigen-decomposition of
      :math:`H_{\rm eff}` and the final density matrix of every trajectory:
      :math:`40\,\mathrm{nnz} + 16\,n\,(4 + \mathrm{ntraj})`.  Measured (crf 1.3, 0.9; S = 15, 30,
      45; 2 and 20 trajectories): estimate / measured 0.96-1.27.
    * permutation invariant (``kind='pi'``, ``N`` atoms): the dense eigen-decomposition of the
      no-jump generator block by block, blocks of :math:`b_j = (2j+1)^2` entries: V, V^{-1} and
      one matrix per channel kept for every block, three temporaries of the largest:
      :math:`16\,[(2 + \mathrm{channels})\sum_j b_j^2 + 3\,b_{\max}^2] + 50\,\mathrm{nnz}
      + 16\,n\,\mathrm{ntraj}`.  Measured (driven_dicke 0.9, 1.3, 0.4; N = 6, 10, 14, 20, 26;
      2 to 20 trajectories): 0.31, 1.63, 5.3-5.6, 26.5, 83.9 MiB; estimate / measured 0.9-1.6
      (an upper bound when not every channel keeps j; 1.55 at N = 20 and 26).

    Plus the records, :math:`16\,\mathrm{ntraj}\,n_{\rm times}\,n_{\rm ops}`.  Time: the dense
    eigen-decompositions, :math:`2.5\times10^{-8}\sum b^3` s (rough, machine dependent: N = 20
    and 26 took 16.7 and 25 s on a loaded machine, estimated 4.4 and 24 s)."""
    records = 16.0 * ntraj * n_times * max(int(n_ops), 1)
    if kind == "pi":
        s4, m4 = _pi_block_powers(N, 4), float(N + 1) ** 4
        b = 16.0 * ((2 + n_channels) * s4 + 3 * m4) + 50.0 * nnz_L + 16.0 * n * ntraj + records
        secs = 2.5e-8 * _pi_block_powers(N, 6)
    else:
        b = 40.0 * nnz_L + 16.0 * n * (4 + ntraj) + records
        secs = 2.5e-8 * float(n) ** 1.5
    return Estimate("quantum_jumps", int(n), int(nnz_L), 0.0, 0.0, b, secs, exact)


def estimate_cluster(dim: int, types: int) -> Estimate:
    r"""Estimate of :func:`numeric.semiclassical.cluster.cluster_steady_state` for clusters of Hilbert dimension
    ``dim`` (:math:`(2S+1)^{\rm sites}`) and ``types`` cluster states: :math:`n_t = \mathrm{dim}^2`
    complex unknowns per type, solved by sparse LU of the real Newton matrix in METIS order plus
    ARPACK for the stability.  Peak resident memory above the interpreter's (ru_maxrss) of the
    whole solve (``gain_loss_chain`` g, h, Gamma_g, Gamma_l = 1, 0.9, 0.9, 1.3, default initial
    state, stability checked), per type :math:`n_t` = 625, 729, 1296, 4096 (three clusters), 6561,
    10000: 10.4, 7.3, 17.0, 67.5-107.5, 272.9, 355.9 MiB.  The least-squares power law
    :math:`906\,n_t^{1.40}` is within 0.7-1.5 of every point; :math:`1200\,n_t^{1.40}` bytes per
    type is used (estimate / measured 0.9-2.0: an upper bound but at the smallest sizes).  Time
    :math:`7.4\times10^{-5}\,n_t^{1.36}` s per type (0.6 s at 625, 32 s at 10000; within a
    factor 2.5, the number of Newton steps varies)."""
    n_t = float(dim) ** 2
    a, b = _CLUSTER
    bytes_ = types * a * n_t ** b
    return Estimate("cluster", int(types * n_t), 0, 0.0, 0.0, bytes_, types * _CLUSTER_T[0] * n_t ** _CLUSTER_T[1], False)


def estimate_twa(modes: int, cells: int, trajectories: int, n_jumps: int, n_records: int, n_observables: int) -> Estimate:
    r"""Estimate of :func:`numeric.semiclassical.twa.twa`: ``modes`` Schwinger amplitudes per cell on
    ``cells`` x ``trajectories`` complex arrays; per step the arguments (amplitudes, conjugates,
    neighbour images), drift (twice), the noise matrices P and Q (modes x jumps) and the
    increments, about :math:`(8 + 4\,\mathrm{jumps})\,\mathrm{modes}` arrays at once, plus the
    records, ``n_observables`` x ``n_records`` x ``trajectories``:
    :math:`16\,[\mathrm{modes}(8 + 4\,\mathrm{jumps})\,\mathrm{cells}\,\mathrm{traj}
    + 2\,n_{\rm obs} n_{\rm rec}\,\mathrm{traj}]` (the records are complex and copied once
    into the result).  Measured (tracemalloc peak, S = 100, t_final = 5, dt = 0.05, 11 records):
    gain_loss_dimer (1, 0.5, 0.2) 1000 and 8000 trajectories: 5.08, 38.3 MiB; gain_loss_chain
    (1, 0.9, 0.9, 1.3) 8 and 32 cells, 1000 trajectories: 11.1, 36.2 MiB; estimate / measured
    0.94-1.03.  The time is not estimated."""
    work = float(modes) * (8 + 4 * n_jumps) * cells * trajectories
    rec = float(n_observables) * n_records * trajectories
    return Estimate("twa", int(modes * cells * trajectories), 0, 0.0, 0.0, 16.0 * (work + 2 * rec), math.nan, False)


def check(est: Estimate, max_memory: float | str | None = None, what: str = "steady_state") -> Estimate:
    """Raise :class:`ResourceError` if the estimated peak exceeds the limit (:func:`memory_limit`)
    or SuperLU's 32-bit index range; return the estimate with its ``limit``."""
    limit = memory_limit(max_memory)
    est.limit = limit
    fill = f", fill {est.fill:.1f} of the {est.solver} ordering" if est.factor_nnz else ""
    nnz = f", {est.nnz} non-zeros{fill}" if est.nnz else ""
    sizes = f"{est.unknowns} unknowns{nnz} ({'counted' if est.exact_sizes else 'predicted'} sizes)"
    if est.bytes > limit:
        src = "max_memory" if max_memory is not None else f"max_memory default ({DEFAULT_FRACTION:.0%} of available memory)"
        secs = f"; estimated time {est.seconds:.2g} s" if math.isfinite(est.seconds) else ""
        raise ResourceError(
            f"{what}: estimated peak memory {format_bytes(est.bytes)} exceeds {src} = {format_bytes(limit)} "
            f"({sizes}{secs}); reduce the size or raise max_memory=")
    if est.factor_nnz > SUPERLU_INDEX_LIMIT and est.solver != "multifrontal":
        raise ResourceError(
            f"{what}: the LU factors would hold about {est.factor_nnz:.2e} entries, beyond SuperLU's 32-bit "
            f"index limit {SUPERLU_INDEX_LIMIT} ({sizes}); reduce the size")
    return est
