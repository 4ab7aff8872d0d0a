"""Time evolution of the cumulant-closed moment equations from a given or coherent initial state."""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike
from scipy.integrate import solve_ivp

from analytic import cumulants as cu
from analytic.model import Model, ModelError
from analytic.values import real_number
from numeric.core.errors import SolverError
from numeric.semiclassical.cumulants import CumulantState, spin_coherent_state

__all__ = ["CumulantEvolution", "evolve", "numeric_system", "coherent_moments"]


@dataclass
class CumulantEvolution:
    r"""The moments of the order-k closed equations along a trajectory.

    ``times`` the output times; ``moments[name]`` the array of the *unscaled* complex averages
    :math:`\langle w\rangle(t)` of each canonical word (names of :func:`analytic.cumulants.word_name`);
    :meth:`expect` answers operator strings per time like :meth:`CumulantState.expect`."""

    model: Model
    order: int
    sizes: dict
    times: np.ndarray
    moments: dict = field(default_factory=dict)

    def state(self, i: int) -> CumulantState:
        """The moments at ``times[i]`` as a :class:`~numeric.semiclassical.cumulants.CumulantState`
        (its ``residual`` is not computed: a point of a trajectory is not a fixed point)."""
        return CumulantState(self.model, self.order, self.sizes, {k: complex(v[i]) for k, v in self.moments.items()})

    def expect(self, op: str) -> np.ndarray:
        """The average of a product of generators (e.g. ``'Sz'``, ``'Sx*Sx'``, ``'ad*a'``) at every time;
        real if it is real at every time."""
        vals = np.array([complex(self.state(i).expect(op)) for i in range(len(self.times))])
        return vals.real if np.all(np.abs(vals.imag) <= 1e-12 * np.maximum(1.0, np.abs(vals))) else vals


def _values(model: Model, values: Mapping, sizes: Mapping) -> tuple[dict, dict]:
    """``({Symbol: float} of the sizes, {Symbol: float} of parameters and sizes)``."""
    size_vals = {model.symbol(k): float(real_number(v, k)) for k, v in sizes.items()}
    par_vals = {(model.symbol(k) if isinstance(k, str) else k): float(real_number(v, str(k)))
                for k, v in values.items()}
    return size_vals, {**par_vals, **size_vals}


def numeric_system(model: Model, values: Mapping, order: int, **sizes: float) -> tuple:
    r"""The closed equations at ``order`` as a numeric flow of the scaled moments.

    Returns ``(eqs, names, f, scales)``: the :class:`analytic.cumulants.CumulantEquations`, the word
    names in the order of the state vector, ``f(y) -> dy/dt`` (complex numpy arrays of scaled
    moments :math:`m_w = \langle w\rangle/\text{scale}_w`) and the numeric scales per name.

    Raises:
        ModelError: a missing parameter or size value, or a model :func:`analytic.cumulants.equations` refuses.
    """
    eqs = cu.equations(model, order)
    size_vals, allv = _values(model, values, sizes)
    names = list(eqs.symbols)
    syms = [eqs.symbols[n] for n in names]
    exprs = [eqs[n].subs(allv) for n in names]
    free = set().union(*(e.free_symbols for e in exprs)) - set(syms)
    scales = np.array([complex(sp.sympify(eqs.scales[n]).subs(size_vals)) for n in names])
    free |= set().union(*(sp.sympify(eqs.scales[n]).subs(size_vals).free_symbols for n in names))
    if free:
        raise ModelError(f"cumulants: missing value for {sorted(map(str, free))} (model {model.name!r})")
    lam = sp.lambdify(syms, exprs, modules="numpy")

    def f(y: np.ndarray) -> np.ndarray:
        return np.asarray(lam(*y), dtype=complex)

    return eqs, names, f, scales


def coherent_moments(model: Model, order: int, theta: float | Mapping = np.pi, phi: float | Mapping = 0.0,
                     alpha: complex | Mapping = 0.0, **sizes: float) -> dict[str, complex]:
    r"""The unscaled moments :math:`\langle w\rangle` of every canonical word of degree <= ``order`` in a
    product of coherent states.

    Spins (and qubit ensembles, spin N/2): the spin coherent state of polar angle ``theta`` and
    azimuth ``phi`` (:math:`\langle \mathbf S\rangle = S(\sin\theta\cos\phi, \sin\theta\sin\phi, \cos\theta)`;
    the default ``theta = pi`` is the fully polarised state :math:`|S, -S\rangle`), from sparse spin
    matrices.  Modes: the coherent state :math:`|\alpha\rangle` (unscaled amplitude,
    :math:`\langle a^{\dagger p}a^q\rangle = \bar\alpha^p\alpha^q`; default the vacuum).  A mapping
    ``{subsystem name: value}`` gives one value per subsystem.

    Raises:
        ModelError: a spin length that is not a positive half-integer, or a missing size.
    """
    def pick(x, sub):
        return x.get(sub.name) if isinstance(x, Mapping) else x

    size_vals = {model.symbol(k): float(real_number(v, k)) for k, v in sizes.items()}
    states: dict = {}
    for s in model.subsystems:
        if s.kind == "mode":
            states[s] = complex(pick(alpha, s) or 0.0)
            continue
        S_expr = sp.sympify(s.size).subs(size_vals)
        if S_expr.free_symbols:
            raise ModelError(f"coherent_moments: missing size {sorted(map(str, S_expr.free_symbols))}")
        S = float(S_expr)
        if abs(2 * S - round(2 * S)) > 1e-9 or S <= 0:
            raise ModelError(f"coherent_moments: spin length {S} of {s.name!r} is not a positive half-integer")
        states[s] = spin_coherent_state(S, float(pick(theta, s)), float(pick(phi, s)))
    out = {}
    for word in cu.moment_words(model, order):
        value = 1 + 0j
        for sub, grp in itertools.groupby(word, key=lambda g: g.sub):
            letters = [g.letter for g in grp]
            if sub.kind == "mode":
                a = states[sub]
                value *= np.conj(a) ** letters.count("c") * a ** letters.count("a")
                continue
            c, mats = states[sub]
            v = c
            for letter in reversed(letters):
                v = mats[letter] @ v
            value *= np.vdot(c, v)
        out[cu.word_name(word)] = complex(value)
    return out


def evolve(model: Model, values: Mapping, order: int = 2, t: ArrayLike = (0.0, 1.0),
           initial: CumulantState | Mapping | None = None, *, theta: float | Mapping = np.pi,
           phi: float | Mapping = 0.0, alpha: complex | Mapping = 0.0, rtol: float = 1e-10,
           atol: float = 1e-12, **sizes: float) -> CumulantEvolution:
    r"""Integrate the order-k closed moment equations of :func:`analytic.cumulants.equations`.

    The scaled moments are integrated with ``scipy.integrate.solve_ivp`` (DOP853, complex) from
    ``t[0]``, the right-hand sides lambdified once.

    Args:
        model: a model accepted by :func:`analytic.cumulants.equations`.
        values: ``{'omega': 1.2, 'kappa': 1, ...}``.
        order: the cumulant order k.
        t: increasing output times; the initial state is the state at ``t[0]``.
        initial: the initial moments: a :class:`~numeric.semiclassical.cumulants.CumulantState`
            (its ``moments``; order >= ``order``), or a mapping ``{word name: unscaled average}``
            holding every canonical word of degree <= ``order``; default (``None``): the product
            of coherent states of :func:`coherent_moments` with ``theta``, ``phi`` (spins; default
            the spin-down state) and ``alpha`` (modes; default the vacuum).
        theta, phi, alpha: the coherent initial state when ``initial`` is None.
        rtol, atol: tolerances of the integrator (on the scaled moments).
        **sizes: the size symbols, e.g. ``S=40``.

    Returns:
        :class:`CumulantEvolution` with the unscaled moments at every time.

    Raises:
        ModelError: bad times, a missing moment in ``initial``, a missing value.
        SolverError: the integration fails or diverges.
    """
    times = np.asarray(t, dtype=float).ravel()
    if times.size < 1 or np.any(np.diff(times) <= 0) or not np.all(np.isfinite(times)):
        raise ModelError("cumulants.evolve: t must be a non-empty strictly increasing array of finite times")
    eqs, names, f, scales = numeric_system(model, values, order, **sizes)
    if initial is None:
        start = coherent_moments(model, order, theta=theta, phi=phi, alpha=alpha, **sizes)
    else:
        start = initial.moments if isinstance(initial, CumulantState) else initial
    missing = [n for n in names if n not in start]
    if missing:
        raise ModelError(f"cumulants.evolve: the initial moments lack {missing}")
    y0 = np.array([complex(start[n]) for n in names]) / scales
    if times.size == 1:
        ys = y0[:, None]
    else:
        sol = solve_ivp(lambda _t, y: f(y), (times[0], times[-1]), y0, method="DOP853", t_eval=times,
                        rtol=rtol, atol=atol)
        if not sol.success or sol.y.shape[1] != times.size or not np.all(np.isfinite(sol.y)):
            raise SolverError(f"cumulants.evolve: the integration of {model.name!r} at order {order} failed "
                              f"({sol.message})")
        ys = sol.y
    size_vals = {model.symbol(k): float(real_number(v, k)) for k, v in sizes.items()}
    moments = {n: ys[i] * scales[i] for i, n in enumerate(names)}
    return CumulantEvolution(model, order, size_vals, times, moments)
