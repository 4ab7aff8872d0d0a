r"""Measure the switching between metastable states: dwell times, switching rates, fitted rate equations.

Switching between metastable states: dwell times along trajectories, switching rates, and
rate equations fitted to simulations.

Two-state Markov picture (seed 004 eqs. 9, 10): at long times
:math:`\rho(t) = p_+(t)\rho_+ + p_-(t)\rho_-` with

.. math:: \dot p_\pm = -\Gamma_\pm p_\pm + \Gamma_\mp p_\mp,\qquad \Gamma_\pm = \lambda_1 a_\mp,

:math:`\lambda_1` the Liouvillian gap and :math:`a_\pm` the weights of the metastable decomposition
(:func:`numeric.pi.permutational.metastable_pi`).  Along a quantum trajectory the system dwells in
:math:`\rho_\pm` for exponentially distributed times of mean :math:`1/\Gamma_\pm`.

Rate equations of seed 003 (Supplement, eqs. S2-S5): a general master equation
:math:`\dot p = Kp` over metastable states (:func:`rate_solution`), the three-state matrix of
(S2) (:func:`seed003_rate_matrix`) and the two-state solution (S4), (S5) fitted to populations
obtained from simulations started in each metastable state (:func:`fit_two_state`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike
import scipy.linalg as sla
import scipy.sparse.linalg as spla
from scipy.optimize import least_squares

from analytic.model import Model, ModelError
from numeric.core import resources
from numeric.dynamics.evolve import evolve
from numeric.pi.permutational import Metastable, PILiouvillian, metastable_pi

__all__ = ["Dwell", "MetastableFit", "SwitchingRates", "TwoStateFit", "classify", "dwell_times", "switching_rates",
           "predicted_rates", "metastable_weights", "thresholds", "fit_from_metastable", "populations", "rate_solution", "seed003_rate_matrix",
           "two_state_solution", "fit_two_state"]


# =========================================================================== classification
def _check_series(times, signal) -> tuple:
    t = np.asarray(times, dtype=float)
    x = np.asarray(signal, dtype=float)
    if t.ndim != 1 or x.shape != t.shape or len(t) < 2:
        raise ModelError(f"times and signal must be 1-d arrays of equal length >= 2, got {t.shape}, {x.shape}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(x))):
        raise ModelError("times and signal must be finite")
    if np.any(np.diff(t) <= 0):
        raise ModelError("times must be strictly increasing")
    return t, x


def _check_levels(lower, upper) -> tuple:
    lo, hi = float(lower), float(upper)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ModelError(f"thresholds must satisfy lower < upper, got lower={lower!r}, upper={upper!r}")
    return lo, hi


def classify(signal: ArrayLike, lower: float, upper: float) -> np.ndarray:
    r"""Hysteresis (Schmitt-trigger) classification of a record: -1 once the signal has reached
    ``lower``, +1 once it has reached ``upper``; it keeps its label in between; 0 before the
    first threshold is reached.

    Returns
    -------
    numpy.ndarray of int
    """
    lo, hi = _check_levels(lower, upper)
    x = np.asarray(signal, dtype=float)
    hit = np.where(x <= lo, -1, np.where(x >= hi, 1, 0))
    idx = np.where(hit != 0, np.arange(len(x)), -1)
    idx = np.maximum.accumulate(idx)
    return np.where(idx >= 0, hit[np.maximum(idx, 0)], 0)


@dataclass
class Dwell:
    """Dwell intervals of one record: ``state`` (-1 low / +1 high), ``start``, ``end`` and whether the
    interval is complete (both ends are switches) or censored (begins with the first
    classification or ends with the record)."""

    state: np.ndarray
    start: np.ndarray
    end: np.ndarray
    complete: np.ndarray

    @property
    def duration(self) -> np.ndarray:
        return self.end - self.start


def dwell_times(times: ArrayLike, signal: ArrayLike, lower: float, upper: float, t_min: float | None = None) -> Dwell:
    r"""Dwell intervals between switches of a record classified with two thresholds
    (:func:`classify`).  A switch happens at the first sample beyond the other threshold.
    ``t_min`` discards the record before that time (initial relaxation)."""
    t, x = _check_series(times, signal)
    if t_min is not None:
        keep = t >= float(t_min)
        t, x = t[keep], x[keep]
        if len(t) < 2:
            raise ModelError(f"t_min={t_min!r} leaves fewer than two samples")
    lab = classify(x, lower, upper)
    known = np.nonzero(lab != 0)[0]
    if len(known) == 0:
        return Dwell(np.zeros(0, dtype=int), np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool))
    first = known[0]
    change = first + 1 + np.nonzero(np.diff(lab[first:]) != 0)[0]
    starts = np.concatenate([[first], change])
    ends = np.concatenate([change, [len(t) - 1]])
    state = lab[starts]
    complete = np.ones(len(starts), dtype=bool)
    complete[0] = False  # the first classification is not a switch
    complete[-1] = False  # the last interval is cut by the end of the record
    return Dwell(state.astype(int), t[starts], t[ends], complete)


@dataclass
class SwitchingRates:
    r"""Maximum-likelihood rates of a two-state Markov process from dwell records:
    :math:`\Gamma_{\rm out} = n_{\rm switches\ out} / T_{\rm in\ state}` (censored intervals count in
    the time), standard error :math:`\Gamma/\sqrt{n}`.

    ``rate_low`` is the rate of leaving the low state (switches low -> high), ``rate_high`` of
    leaving the high state."""

    rate_low: float
    error_low: float
    rate_high: float
    error_high: float
    switches_low: int
    switches_high: int
    time_low: float
    time_high: float
    dwell: list = field(default_factory=list)

    @property
    def weight_low(self) -> float:
        """Stationary occupation of the low state, :math:`\\Gamma_{\\rm high}/(\\Gamma_{\\rm low} + \\Gamma_{\\rm high})`."""
        return self.rate_high / (self.rate_low + self.rate_high)


def switching_rates(times: ArrayLike, signals: ArrayLike, lower: float, upper: float,
                    t_min: float | None = None) -> SwitchingRates:
    r"""Switching rates from one or several records (``signals``: 1-d, or 2-d with one record per row,
    e.g. ``Trajectories.expect['Sz']``), classified with the thresholds ``lower < upper``.

    A switch is counted only when the record reaches the other threshold (committed transitions);
    with thresholds close to the metastable values (:func:`thresholds` with a small ``margin``)
    short excursions are not counted.  When the time-scale separation :math:`\lambda_2/\lambda_1`
    is modest (small N) the measured rates depend on the thresholds; quote the margin.

    Raises :class:`ModelError` when a state is never left (no rate can be estimated)."""
    x = np.atleast_2d(np.asarray(signals, dtype=float))
    dwells = [dwell_times(times, row, lower, upper, t_min) for row in x]
    out = {}
    for s in (-1, 1):
        # every interval but the last of a record ends with a switch out of its state
        n = sum(int(np.sum(d.state[:-1] == s)) for d in dwells)
        T = sum(float(np.sum(d.duration[d.state == s])) for d in dwells)
        if n == 0 or T <= 0:
            raise ModelError(f"switching_rates: the {'low' if s < 0 else 'high'} state is never left in the records "
                             f"(time spent {T:.3g}); record longer or check the thresholds")
        out[s] = (n / T, n / T / np.sqrt(n), n, T)
    return SwitchingRates(out[-1][0], out[-1][1], out[1][0], out[1][1], out[-1][2], out[1][2],
                          out[-1][3], out[1][3], dwells)


def predicted_rates(metastable: Metastable, op: str = "Sz") -> dict:
    r"""Seed 004 eq. (10) in the language of a record of ``op``: ``{'rate_low', 'rate_high', 'low',
    'high'}`` with :math:`\Gamma_\pm = \lambda_1 a_\mp` assigned to the metastable state with the lower
    / higher :math:`\langle\mathrm{op}\rangle` (values ``low``, ``high``).  The :math:`a_\pm` of
    eq. (5) do not sum to one at finite N (N = 18: 0.377 + 0.699); :func:`metastable_weights` gives
    the weights of the exact two-state reduction."""
    vp, vm = metastable.rho_plus.expect(op), metastable.rho_minus.expect(op)
    if vp == vm:
        raise ModelError(f"predicted_rates: <{op}> does not distinguish rho_+ and rho_-")
    gp, gm = metastable.gamma_plus, metastable.gamma_minus
    if vp < vm:
        return {"rate_low": gp, "rate_high": gm, "low": vp, "high": vm}
    return {"rate_low": gm, "rate_high": gp, "low": vm, "high": vp}


def metastable_weights(metastable: Metastable, model: Model, values: Mapping, N: int,
                       max_memory: float | str | None = None) -> dict:
    r"""Weights of the two metastable phases from the *left* eigenmatrix of the slow mode
    (Macieszczak, Guta, Lesanovsky & Garrahan, PRL 116, 240404 (2016)).

    With :math:`\sigma_1` the left eigenmatrix of :math:`-\lambda_1` (a Hermitian observable,
    :math:`\mathrm{Tr}(\sigma_1\rho_{ss}) = 0`) and :math:`c_{\min}, c_{\max}` its extreme eigenvalues,
    :math:`p_\pm(\rho) = \pm(\mathrm{Tr}\,\sigma_1\rho - c_{\mp})/(c_{\max} - c_{\min})` are the
    probabilities of the two phases, :math:`p_+ + p_- = 1` exactly, and the two-state rates are
    :math:`\Gamma_\pm = \lambda_1 p_\mp(\rho_{ss})` (seed 004 eq. 10 with these weights in place
    of the :math:`a_\pm` of eq. 5, which do not sum to one at finite N).

    Returns ``{'p_plus', 'p_minus', 'gamma_plus', 'gamma_minus', 'lambda1', 'c_min', 'c_max'}``;
    ``plus`` is the phase of ``metastable.rho_plus``.  ``max_memory``: refused up front
    (:class:`numeric.core.resources.ResourceError`) above it, with the estimate of
    ``numeric.steady_state(..., N=...)`` for N atoms (an upper bound of this shift-invert
    factorisation, as for the spectra).
    """
    if isinstance(N, (int, np.integer)) and not isinstance(N, bool) and N >= 1:
        resources.check(resources.estimate_permutational(int(N)), max_memory, "metastable_weights")
    pl = PILiouvillian(model, values, N)
    lam = metastable.lambda1
    w, U = spla.eigs(pl.L.T.tocsc(), k=2, sigma=-lam + 1e-9 * max(lam, 1e-300))
    i = int(np.argmin(np.abs(w + lam)))
    if abs(w[i] + lam) > 1e-6 * lam:
        raise ModelError(f"metastable_weights: no left eigenvector at -lambda_1 = {-lam:.6g} (found {w[i]:.6g})")
    b = pl.basis
    # l . x = sum_j tr(O_j x_j) with O_j[b, a] = l[a + b d]
    O = [U[o:o + d * d, i].reshape(d, d, order="F").T for o, d in zip(b.offsets, b.dims)]
    dg = np.concatenate([np.diag(B) for B in O])
    ph = dg[np.argmax(np.abs(dg))]
    O = [B * (abs(ph) / ph) for B in O]
    herm = max(np.abs(B - B.conj().T).max() for B in O) / max(np.abs(B).max() for B in O)
    if herm > 1e-8:
        raise ModelError(f"metastable_weights: the left eigenmatrix is not Hermitian (relative error {herm:.1e})")
    ev = np.concatenate([np.linalg.eigvalsh((B + B.conj().T) / 2) for B in O])
    cmin, cmax = float(ev.min()), float(ev.max())

    def tr(x):
        return float(sum(np.trace(B @ X).real for B, X in zip(O, b.blocks(x))))

    if tr(metastable.rho_plus.x) < tr(metastable.rho_minus.x):
        O, (cmin, cmax) = [-B for B in O], (-cmax, -cmin)
    p_plus = (tr(metastable.steady.x) - cmin) / (cmax - cmin)
    return {"p_plus": p_plus, "p_minus": 1 - p_plus, "gamma_plus": lam * (1 - p_plus), "gamma_minus": lam * p_plus,
            "lambda1": lam, "c_min": cmin, "c_max": cmax}


def thresholds(low: float, high: float, margin: float = 1 / 3) -> tuple:
    """Hysteresis thresholds ``(low + margin*(high - low), high - margin*(high - low))`` between two
    metastable values."""
    if not 0 < margin < 0.5:
        raise ModelError(f"margin must be in (0, 1/2), got {margin!r}")
    d = high - low
    return low + margin * d, high - margin * d


def populations(signals: ArrayLike, lower: float, upper: float) -> tuple[np.ndarray, np.ndarray]:
    """Fractions of records classified low and high at every sample (records per row)."""
    lab = np.array([classify(r, lower, upper) for r in np.atleast_2d(np.asarray(signals, dtype=float))])
    return np.mean(lab == -1, axis=0), np.mean(lab == 1, axis=0)


# =========================================================================== rate equations
def rate_solution(K: ArrayLike, p0: ArrayLike, times: ArrayLike) -> np.ndarray:
    r"""Solution :math:`p(t) = e^{Kt}p_0` of the rate equation :math:`\dot p = Kp` (``K[i, j]``: rate
    j -> i for i != j, columns summing to zero), shape ``(len(times), len(p0))``."""
    K = np.asarray(K, dtype=float)
    p0 = np.asarray(p0, dtype=float)
    if K.ndim != 2 or K.shape[0] != K.shape[1] or p0.shape != (K.shape[0],):
        raise ModelError(f"K must be square and p0 match it, got {K.shape}, {p0.shape}")
    off = K - np.diag(np.diag(K))
    if np.any(off < 0) or np.abs(K.sum(axis=0)).max() > 1e-12 * max(np.abs(K).max(), 1.0):
        raise ModelError("K must have non-negative off-diagonal rates and columns summing to zero")
    return np.array([sla.expm(K * t) @ p0 for t in np.asarray(times, dtype=float)])


def seed003_rate_matrix(gamma_ns: float, gamma_sn: float, gamma_ss: float) -> np.ndarray:
    r"""Seed 003 eq. (S2), states ordered (n, s+, s-):

    .. math:: \dot p_n = -2\gamma_{ns}p_n + \gamma_{sn}(p_{s+} + p_{s-}),\quad
              \dot p_{s\pm} = -(\gamma_{sn} + \gamma_{ss})p_{s\pm} + \gamma_{ss}p_{s\mp} + \gamma_{ns}p_n.
    """
    for name, v in (("gamma_ns", gamma_ns), ("gamma_sn", gamma_sn), ("gamma_ss", gamma_ss)):
        if not (np.isfinite(v) and v >= 0):
            raise ModelError(f"{name} must be a non-negative rate, got {v!r}")
    return np.array([[-2 * gamma_ns, gamma_sn, gamma_sn],
                     [gamma_ns, -(gamma_sn + gamma_ss), gamma_ss],
                     [gamma_ns, gamma_ss, -(gamma_sn + gamma_ss)]], dtype=float)


def two_state_solution(k_ab: float, k_ba: float, p_b0: float, times: ArrayLike) -> np.ndarray:
    r"""Occupation of state B of the two-state process :math:`\dot p_B = k_{ab}p_A - k_{ba}p_B`:

    .. math:: p_B(t) = w_B + (p_B(0) - w_B)e^{-(k_{ab} + k_{ba})t},\qquad w_B = \frac{k_{ab}}{k_{ab} + k_{ba}},

    seed 003 eqs. (S4), (S5) for :math:`p_B(0) = 0` (with :math:`k_{ab} = 2\gamma_{ns}`,
    :math:`k_{ba} = \gamma_{sn}` for A = normal, B = superradiant)."""
    k = k_ab + k_ba
    w = k_ab / k
    return w + (p_b0 - w) * np.exp(-k * np.asarray(times, dtype=float))


@dataclass
class TwoStateFit:
    r"""Rates of a two-state process fitted to the occupations of the *other* state after starting
    in A and in B.  ``k_ab`` (A -> B), ``k_ba`` with standard errors from the Jacobian (scaled by the
    residual when ``sigma`` is not given), ``weight_a`` = :math:`k_{ba}/(k_{ab} + k_{ba})`, the
    effective initial occupations (absorbing the fast relaxation inside each metastable state),
    and the root-mean-square residual."""

    k_ab: float
    k_ba: float
    error_ab: float
    error_ba: float
    p_b0_from_a: float
    p_a0_from_b: float
    rms: float

    @property
    def weight_a(self) -> float:
        return self.k_ba / (self.k_ab + self.k_ba)

    @property
    def weight_b(self) -> float:
        return self.k_ab / (self.k_ab + self.k_ba)


def fit_two_state(times: ArrayLike, p_b_from_a: ArrayLike, p_a_from_b: ArrayLike, sigma: ArrayLike | None = None,
                  t_min: float = 0.0, guess: Sequence | None = None) -> TwoStateFit:
    r"""Fit :func:`two_state_solution` jointly to :math:`p_B(t\,|\,A)` and :math:`p_A(t\,|\,B)` for
    :math:`t \ge t_{\min}` (seed 003 Supplement: fit of (S4), (S5) to the populations from
    simulations started in each metastable state; here with free effective initial occupations
    so that the fast intra-state relaxation before ``t_min`` does not bias the rates).

    Parameters
    ----------
    times : array
    p_b_from_a, p_a_from_b : array
        Occupations from evolutions (or trajectory ensembles) started in A and in B.
    sigma : float, array or (array, array), optional
        Standard errors of the occupations (a number: the same for every point) (trajectory ensembles); the fit is then weighted and the
        errors of the rates are absolute.
    t_min : float
    guess : (k_ab, k_ba), optional
    """
    t = np.asarray(times, dtype=float)
    pa, pb = np.asarray(p_b_from_a, dtype=float), np.asarray(p_a_from_b, dtype=float)
    if pa.shape != t.shape or pb.shape != t.shape:
        raise ModelError("p_b_from_a and p_a_from_b must have the shape of times")
    m = t >= t_min
    if m.sum() < 4:
        raise ModelError(f"t_min={t_min!r} leaves fewer than 4 points to fit")
    t, pa, pb = t[m], pa[m], pb[m]
    if sigma is None:
        sa = sb = np.ones_like(t)
    else:
        pair = sigma if isinstance(sigma, tuple) else (sigma, sigma)
        sa, sb = (np.broadcast_to(np.asarray(s, dtype=float), m.shape)[m] for s in pair)
        if np.any(sa <= 0) or np.any(sb <= 0):
            raise ModelError("sigma must be positive")
    if guess is None:
        k0 = 1.0 / max(t[-1] - t[0], 1e-300) * 3
        guess = (k0 * max(pa[-1], 0.1), k0 * max(pb[-1], 0.1))
    t0 = t[0]

    def resid(q):
        kab, kba, a0, b0 = np.exp(q[0]), np.exp(q[1]), q[2], q[3]
        return np.concatenate([(two_state_solution(kab, kba, a0, t - t0) - pa) / sa,
                               (two_state_solution(kba, kab, b0, t - t0) - pb) / sb])

    q0 = np.array([np.log(guess[0]), np.log(guess[1]), pa[0], pb[0]])
    sol = least_squares(resid, q0, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
    if not sol.success:
        raise ModelError(f"fit_two_state: the fit did not converge ({sol.message})")
    J = sol.jac
    dof = max(len(sol.fun) - 4, 1)
    s2 = 1.0 if sigma is not None else float(sol.fun @ sol.fun) / dof
    cov = np.linalg.pinv(J.T @ J) * s2
    kab, kba = np.exp(sol.x[0]), np.exp(sol.x[1])
    return TwoStateFit(float(kab), float(kba), float(kab * np.sqrt(cov[0, 0])), float(kba * np.sqrt(cov[1, 1])),
                       float(sol.x[2]), float(sol.x[3]), float(np.sqrt(np.mean(sol.fun ** 2))))


@dataclass
class MetastableFit:
    r"""Two-state rates fitted to evolutions started in :math:`\rho_+` (A) and :math:`\rho_-` (B)
    (:func:`fit_from_metastable`): ``fit`` (``k_ab`` = rate out of :math:`\rho_+`), the occupations
    used, and the steady-state weight of :math:`\rho_+` read with the same observable."""

    fit: TwoStateFit
    times: np.ndarray
    p_minus_from_plus: np.ndarray
    p_plus_from_minus: np.ndarray
    weight_plus_steady: float
    op: str
    metastable: object


def fit_from_metastable(model: Model, values: Mapping, N: int, times: ArrayLike, op: str = "Sz", t_min: float = 0.0,
                        metastable: Metastable | None = None, max_memory: float | str | None = None) -> MetastableFit:
    r"""Seed 003 Supplement style rate fit for N atoms (permutation-invariant representation):
    evolve the master equation from each metastable state :math:`\rho_\pm`
    (:func:`numeric.pi.permutational.metastable_pi`), read the occupation of the other one from
    :math:`\langle O\rangle(t) = p_+O_+ + p_-O_-`,

    .. math:: p_+(t) = \frac{\langle O\rangle(t) - O_-}{O_+ - O_-},

    and fit the two-state solution (S4), (S5) (:func:`fit_two_state`, from ``t_min`` on).  The
    fitted weights :math:`k_{-+}/(k_{+-} + k_{-+})` are to be compared with the steady-state weight
    ``weight_plus_steady`` read with the same observable, and :math:`k_{+-} + k_{-+}` with
    :math:`\lambda_1`.  ``max_memory``: passed to :func:`numeric.pi.permutational.metastable_pi` and
    :func:`numeric.dynamics.evolve.evolve` (each refuses up front above it)."""
    ms = metastable if metastable is not None else metastable_pi(model, values, N, max_memory=max_memory)
    o_p, o_m = ms.rho_plus.expect(op), ms.rho_minus.expect(op)
    if abs(o_p - o_m) < 1e-9 * max(abs(o_p), abs(o_m), 1.0):
        raise ModelError(f"fit_from_metastable: <{op}> does not distinguish rho_+ and rho_-")
    ep = evolve(model, values, ms.rho_plus, times, N=N, e_ops=[op], max_memory=max_memory)
    em = evolve(model, values, ms.rho_minus, times, N=N, e_ops=[op], max_memory=max_memory)
    p_plus_from_plus = (ep.expect[op] - o_m) / (o_p - o_m)
    p_plus_from_minus = (em.expect[op] - o_m) / (o_p - o_m)
    fit = fit_two_state(ep.times, 1 - p_plus_from_plus, p_plus_from_minus, t_min=t_min,
                        guess=(ms.gamma_plus, ms.gamma_minus))
    w = (ms.steady.expect(op) - o_m) / (o_p - o_m)
    return MetastableFit(fit, ep.times, 1 - p_plus_from_plus, p_plus_from_minus, float(w), op, ms)
