r"""Stochastic truncated-Wigner simulation of large-spin lattices (seed 002 Sec. IV A).

The Ito equations are those derived by :func:`analytic.wigner.fokker_planck` (Schwinger bosons,
eq. 8; Moyal expansion truncated at second order; positive-diffusion approximation), lambdified
for the parameter values and integrated for many trajectories at once (numpy arrays of shape
``(modes, cells, trajectories)``):

.. math:: d\alpha = A(\alpha, \alpha^*)\,dt + P\,d\xi + Q\,d\xi^*,\qquad
          \langle d\xi_k\,d\xi_l^*\rangle = \delta_{kl}\,dt,

by a predictor-corrector step: the drift by Heun's rule (second order, so that the coherent
oscillations are not heated by the O(omega^2 dt) growth of the Euler rule), the noise by the
Euler-Maruyama (Ito) rule with the coefficients at the start of the step; one complex Wiener
increment per dissipator, cell and trajectory (seeded ``numpy.random.Generator``).  The exact dynamics conserves the Schwinger
number :math:`|\alpha_u|^2 + |\alpha_d|^2` of every spin on every trajectory (drift plus Ito
term vanish, the noise is tangent; checked in ``tests/analytic/test_wigner.py``); after each
step the amplitudes of each spin are rescaled to their initial number, which removes the
O(dt) discretisation drift of that exact invariant.

Lattice models (``derived['images']``) are simulated on a ring of ``cells`` unit cells: the
image amplitudes of cell n are those of cell n + shift (periodic boundary conditions).

Initial states are spin-coherent states sampled in the Wigner representation of the Schwinger
modes: the mode along the spin direction carries :math:`|\alpha|^2 = 2S + 1/2` (the Weyl
symbol of the Fock state :math:`|2S\rangle` has :math:`\langle|\alpha|^2\rangle = 2S + 1/2`)
and the orthogonal mode vacuum noise, :math:`\langle|\beta|^2\rangle = 1/2`.

Observables are trajectory averages of Weyl symbols (:meth:`analytic.wigner.WignerFPE.symbol`),
reported with their standard errors over independent trajectories.
Conventions: hbar = 1, rates multiply :math:`\mathcal D[L]` without a factor 2 (QuTiP).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import sympy as sp

from analytic import wigner as aw
from analytic.model import Model, ModelError
from numeric.core import progress as pg
from numeric.core import resources
from numeric.core.operators import Size, check_spin_length, numeric_values

__all__ = ["TWARun", "twa", "coherent_amplitudes"]


# --------------------------------------------------------------------------- set-up
@dataclass
class _Compiled:
    fpe: aw.WignerFPE
    spins: list            # own spin names in order
    drift: object          # f(*args) -> list of arrays (one per own alpha)
    P: object
    Q: object
    observables: dict      # {(spin, 'z'|'zz'|'p'): f(*args)}
    images: list           # [(index of own alpha, shift)] per image alpha, in argument order


def _compile(model: Model, values: Mapping, S) -> _Compiled:
    fpe = aw.fokker_planck(model)
    Sf = check_spin_length(S, "S")
    vals = numeric_values(model, values, {"S": Sf})
    alphas = fpe.alphas
    conj = [fpe.conj[a] for a in alphas]
    img = list(fpe.image_alphas)
    img_conj = [fpe.conj[a] for a in img]
    args = alphas + conj + img + img_conj

    def lam(exprs):
        exprs = [sp.sympify(e).subs(vals) for e in exprs]
        free = set().union(*(e.free_symbols for e in exprs)) - set(args)
        if free:
            raise ModelError(f"twa: missing values for {sorted(map(str, free))}")
        return sp.lambdify(args, exprs, modules="numpy")

    images = [(alphas.index(fpe.image_alphas[a][0]), fpe.image_alphas[a][1]) for a in img]
    spins = [s.name for s in model.subsystems if s.name not in model.derived.get("images", {})]
    obs = {}
    for s in model.subsystems:
        if s.name not in spins:
            continue
        u, d = fpe.schwinger.modes[s.name]
        obs[(s.name, "z")] = lam([fpe.symbol(s.z)])
        obs[(s.name, "p")] = lam([fpe.symbol(s.plus)])
        for key, mode in (("u", u), ("d", d)):
            obs[(s.name, "n" + key)] = lam([aw.weyl_symbol(mode.ad * mode.a)])
            obs[(s.name, "nn" + key)] = lam([aw.weyl_symbol(mode.ad * mode.a * mode.ad * mode.a)])
    return _Compiled(fpe, spins, lam([fpe.drift[a] for a in alphas]), lam(list(fpe.P)), lam(list(fpe.Q)), obs, images)


def coherent_amplitudes(S: Size, direction: Sequence[float], shape: tuple,
                        rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    r"""Wigner samples ``(alpha_u, alpha_d)`` of the spin-coherent state along the unit vector
    ``direction`` (see the module docstring), arrays of ``shape``."""
    n = np.asarray(direction, dtype=float)
    if n.shape != (3,) or not np.isclose(np.linalg.norm(n), 1.0):
        raise ModelError(f"initial direction must be a unit 3-vector, got {direction!r}")
    theta, phi = np.arccos(np.clip(n[2], -1, 1)), np.arctan2(n[1], n[0])
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    main = np.sqrt(2 * float(S) + 0.5) * np.exp(2j * np.pi * rng.random(shape))
    orth = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)) / 2
    return main * c - orth * np.exp(-1j * phi) * s, main * np.exp(1j * phi) * s + orth * c


# --------------------------------------------------------------------------- result
@dataclass
class TWARun:
    r"""Recorded trajectory averages of a truncated-Wigner simulation.

    Attributes
    ----------
    times : ndarray
        Recording times.
    data : dict
        ``{(spin, key): array (times, trajectories)}``: Weyl symbols averaged over the cells of
        each trajectory, keys ``'z'`` (:math:`S^z`), ``'p'`` (:math:`S^+`), ``'nu'``, ``'nnu'``,
        ``'nd'``, ``'nnd'`` (:math:`n`, :math:`n^2` of the Schwinger modes u, d).
    S : float
    cells, trajectories : int
    """

    times: np.ndarray
    data: dict
    S: float
    cells: int
    trajectories: int
    info: dict = field(default_factory=dict)

    def _window(self, t_from: float) -> np.ndarray:
        m = self.times >= t_from
        if not m.any():
            raise ModelError(f"t_from={t_from} is after the last recorded time {self.times[-1]}")
        return m

    def steady(self, spin: str, quantity: str, t_from: float) -> tuple:
        r"""Stationary estimate ``(mean, standard error)`` from the records at ``t >= t_from``:
        ``'z'`` :math:`\langle S^z\rangle`, ``'var'`` :math:`(\Delta S^z)^2`, ``'perp'``
        :math:`|\langle S^+\rangle|`.  Errors from the spread of the per-trajectory time averages
        (independent trajectories).

        :math:`(\Delta S^z)^2` uses :math:`S^z = S - n_d = n_u - S` on the physical subspace
        (:math:`n_u + n_d = 2S`): the variance of the Schwinger occupation of the less occupied
        mode, :math:`\langle\{n^2\}_W\rangle - \langle\{n\}_W\rangle^2`.  The Weyl symbol of
        :math:`(S^z)^2` itself depends at O(1) on the spread of :math:`|\alpha_u|^2 + |\alpha_d|^2`
        between trajectories, which the truncated Wigner sampling does not resolve.
        """
        m = self._window(t_from)
        n = self.trajectories
        avg = {k: self.data[(spin, k)][m].mean(axis=0).real for k in ("z", "nu", "nnu", "nd", "nnd")}
        if quantity == "z":
            return float(avg["z"].mean()), float(avg["z"].std(ddof=1) / np.sqrt(n))
        if quantity == "var":
            key = "d" if avg["z"].mean() >= 0 else "u"
            x, xx = avg["n" + key], avg["nn" + key]
            mu = x.mean()
            est = xx - 2 * mu * x  # linearised estimator of <n^2> - <n>^2 (delta method)
            return float(xx.mean() - mu ** 2), float(est.std(ddof=1) / np.sqrt(n))
        if quantity == "perp":
            p = self.data[(spin, "p")][m].mean(axis=0)
            return float(abs(p.mean())), float(np.sqrt(p.real.var(ddof=1) + p.imag.var(ddof=1)) / np.sqrt(n))
        raise ModelError(f"quantity must be 'z', 'var' or 'perp', got {quantity!r}")

    def transverse(self, spin: str) -> tuple:
        r"""``(|<S^+>|(t), standard error(t))`` at every recording time (seed 002 eq. 10, Fig. 7c)."""
        p = self.data[(spin, "p")]
        err = np.sqrt(p.real.var(axis=1, ddof=1) + p.imag.var(axis=1, ddof=1)) / np.sqrt(self.trajectories)
        return np.abs(p.mean(axis=1)), err


# --------------------------------------------------------------------------- integration
def _initial(comp: _Compiled, S, initial, cells: int, trajectories: int, rng) -> np.ndarray:
    if isinstance(initial, str):
        if initial != "x":
            raise ModelError(f"initial must be 'x' or a mapping {{spin: direction}}, got {initial!r}")
        initial = {s: (1.0, 0.0, 0.0) for s in comp.spins}
    if not isinstance(initial, Mapping) or set(initial) != set(comp.spins):
        raise ModelError(f"initial must give a direction for each spin {comp.spins}, got {initial!r}")
    z = np.empty((2 * len(comp.spins), cells, trajectories), dtype=complex)
    for k, s in enumerate(comp.spins):
        z[2 * k], z[2 * k + 1] = coherent_amplitudes(S, initial[s], (cells, trajectories), rng)
    return z


def _args(comp: _Compiled, z: np.ndarray) -> list:
    zc = z.conj()
    img = [np.roll(z[i], -shift, axis=0) for i, shift in comp.images]
    return list(z) + list(zc) + img + [x.conj() for x in img]


def _broadcast(values: list, shape: tuple) -> np.ndarray:
    return np.stack([np.broadcast_to(v, shape) for v in values])


def twa(model: Model, values: Mapping, S: Size, *, cells: int = 1, trajectories: int = 1000, t_final: float = 50.0,
        dt: float = 0.02, record_every: float = 0.5, initial: str | Mapping[str, Sequence[float]] = "x", seed: int = 0,
        progress: bool = False, max_memory: float | str | None = None) -> TWARun:
    r"""Truncated-Wigner trajectories of a spin model (seed 002 Sec. IV A).

    Parameters
    ----------
    model : Model
        Spins of fixed length with collective dissipators; lattice models run on a ring.
    values : mapping
        ``{parameter name: number}``.
    S : int or half-integer
        Spin length of every site (the method is for :math:`S \gg 1`).
    cells : int
        Number of unit cells (ring).
    trajectories : int
        Independent trajectories (vectorised).
    t_final, dt, record_every : float
        Integration time, time step and recording interval.
    initial : ``'x'`` or mapping
        All spins along +x, or ``{spin name: unit vector}``.
    seed : int
        Seed of ``numpy.random.default_rng``.
    progress : bool
        A bar over the time steps on stderr (:func:`numeric.core.progress.bar`); default: nothing printed.
    max_memory : int, float or str, optional
        Refuse (:class:`numeric.core.resources.ResourceError`, a ``ModelError``) when the estimated
        peak memory (:func:`numeric.core.resources.estimate_twa`: the amplitude arrays of
        cells x trajectories and the records) exceeds it, before the samples are drawn; bytes or
        a string like ``'2 GiB'``; default 80% of the memory available now.

    Returns
    -------
    TWARun
    """
    for name, v in (("cells", cells), ("trajectories", trajectories)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ModelError(f"{name} must be a positive integer, got {name}={v!r}")
    if trajectories < 2:
        raise ModelError("trajectories must be >= 2 (errors come from the spread between trajectories)")
    for name, v in (("t_final", t_final), ("dt", dt), ("record_every", record_every)):
        if not (isinstance(v, (int, float)) and np.isfinite(v) and v > 0):
            raise ModelError(f"{name} must be a positive number, got {name}={v!r}")
    if record_every < dt:
        raise ModelError(f"record_every={record_every} must be >= dt={dt}")
    nsteps = int(round(t_final / dt))
    every = max(1, int(round(record_every / dt)))
    est = None
    if isinstance(model, Model):  # before the (size-independent) symbolic set-up: spins, jumps, 6 records per spin
        spins = [s for s in model.subsystems if s.name not in model.derived.get("images", {})]
        est = resources.check(resources.estimate_twa(2 * len(spins), int(cells), int(trajectories), len(model.dissipators),
                                                     nsteps // every + 1, 6 * len(spins)), max_memory, "twa")
    comp = _compile(model, values, S)
    njumps = len(comp.fpe.schwinger.model.dissipators)
    rng = np.random.default_rng(seed)
    z = _initial(comp, S, initial, cells, trajectories, rng)
    shape = (cells, trajectories)
    norms = [np.abs(z[2 * k]) ** 2 + np.abs(z[2 * k + 1]) ** 2 for k in range(len(comp.spins))]
    times, records = [], {k: [] for k in comp.observables}
    t0 = time.time()

    def record(step: int):
        times.append(step * dt)
        a = _args(comp, z)
        for key, f in comp.observables.items():
            records[key].append(np.broadcast_to(f(*a)[0], shape).mean(axis=0))

    record(0)
    sq = np.sqrt(dt / 2)
    bar = pg.bar(nsteps, f"twa S={S} cells={cells} trajectories={trajectories}", progress, unit="step")
    for step in range(1, nsteps + 1):
        a = _args(comp, z)
        drift = _broadcast(comp.drift(*a), shape)
        P = _broadcast(comp.P(*a), shape).reshape((len(z), njumps) + shape)
        Q = _broadcast(comp.Q(*a), shape).reshape((len(z), njumps) + shape)
        xi = sq * (rng.standard_normal((njumps,) + shape) + 1j * rng.standard_normal((njumps,) + shape))
        noise = np.einsum("ik...,k...->i...", P, xi) + np.einsum("ik...,k...->i...", Q, xi.conj())
        predicted = z + drift * dt + noise
        drift2 = _broadcast(comp.drift(*_args(comp, predicted)), shape)
        z = z + 0.5 * (drift + drift2) * dt + noise
        for k in range(len(comp.spins)):
            r = np.sqrt(norms[k] / (np.abs(z[2 * k]) ** 2 + np.abs(z[2 * k + 1]) ** 2))
            z[2 * k] *= r
            z[2 * k + 1] *= r
        if step % every == 0:
            record(step)
            if not np.all(np.isfinite(z)):
                raise ModelError(f"twa: non-finite amplitudes at t = {step * dt} (reduce dt)")
        bar.update()
    bar.close()
    data = {k: np.array(v) for k, v in records.items()}
    return TWARun(np.array(times), data, float(check_spin_length(S, "S")), cells, trajectories,
                  {"dt": dt, "seed": seed, "wall": time.time() - t0,
                   "resources": est.as_dict() if est is not None else None})
