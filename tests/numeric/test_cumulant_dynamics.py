"""numeric.semiclassical.cumulant_dynamics: the closed moment equations in time against exact evolution."""
from __future__ import annotations

import numpy as np
import pytest

import analytic as an
import numeric
from analytic.model import ModelError
from numeric.semiclassical import cumulant_dynamics as cd
from numeric.semiclassical import cumulants as nc
from numeric.semiclassical.flows import meanfield_fixed_points

VALUES = {"omega": "1.3", "kappa": 1}          # lambda = 0.65


def test_coherent_moments_of_a_spin_coherent_state() -> None:
    """<S> = S (sin th cos ph, sin th sin ph, cos th), <S+S-> = S(S+1) - <Sz^2> + <Sz> with <Sz^2> = S^2 cos^2 th + (S/2) sin^2 th, S = 10."""
    th, ph, S = 0.9, 0.4, 10
    mo = cd.coherent_moments(an.models.crf(), 2, theta=th, phi=ph, S=S)
    assert abs(mo["Sp"] - S * np.sin(th) * np.exp(1j * ph)) < 1e-12
    assert abs(mo["Sz"] - S * np.cos(th)) < 1e-12
    sz2 = S ** 2 * np.cos(th) ** 2 + S / 2 * np.sin(th) ** 2
    assert abs(mo["Sz*Sz"] - sz2) < 1e-10
    assert abs(mo["Sp*Sm"] - (S * (S + 1) - sz2 + S * np.cos(th))) < 1e-10


def test_long_time_limit_is_the_steady_state() -> None:
    """crf at order 2, S = 20: from the coherent state at the stable mean-field point (the start of
    ``steady_state``) the evolution reaches ``steady_state`` (every moment, 1e-8 relative).  The closed
    equations conserve k quantities at order k (the fixed points form a family): from another start
    (spin down) the flow settles on another member, off by ~ the closure error."""
    model, S = an.models.crf(), 20
    st = nc.steady_state(model, VALUES, order=2, S=S)
    p = next(q for q in meanfield_fixed_points(model, {**VALUES, "S": S}) if q["stability"] == "stable")
    th, ph = np.arccos(float(p["sz"])), np.arctan2(float(p["sy"]), float(p["sx"]))
    ev = cd.evolve(model, VALUES, order=2, t=[0.0, 60.0], theta=th, phi=ph, S=S)
    for name, value in st.moments.items():
        assert abs(ev.moments[name][-1] - value) < 1e-8 * S ** 2, name
    down = cd.evolve(model, VALUES, order=2, t=[0.0, 60.0], S=S)
    off = abs(down.expect("Sz")[-1] - st.expect("Sz")) / S
    assert 1e-8 < off < 1e-3, off


def test_sz_of_t_against_exact_evolution() -> None:
    """crf (omega = 1.3, kappa = 1), S = 40, from the spin-down state, t in [0, 8]:
    max_t |<Sz>(t) - exact|/S measured 6.5e-4 (order 1), 3.2e-5 (order 2), 1.8e-6 (order 3)
    (S = 10: 3.0e-3, 6.2e-4, 1.6e-4); exact: numeric.evolve of the master equation."""
    model, S = an.models.crf(), 40
    t = np.linspace(0.0, 8.0, 81)
    psi = np.zeros(2 * S + 1)
    psi[-1] = 1.0                                  # |S, -S> (Dicke basis m = S..-S)
    exact = numeric.evolve(model, VALUES, psi, t, S=S, e_ops=["Sz"]).expect["Sz"]
    err = [np.max(np.abs(cd.evolve(model, VALUES, order=k, t=t, S=S).expect("Sz") - exact)) / S
           for k in (1, 2, 3)]
    assert err[0] > 10 * err[1] > 100 * err[2], err
    assert err[1] < 1e-4, err


def test_initial_state_from_mapping_and_state() -> None:
    """``initial=`` takes a CumulantState (the steady state stays put) or a mapping of unscaled moments."""
    model, S = an.models.crf(), 10
    st = nc.steady_state(model, VALUES, order=2, S=S)
    ev = cd.evolve(model, VALUES, order=2, t=np.linspace(0, 5, 6), initial=st, S=S)
    assert np.max(np.abs(ev.expect("Sz") - st.expect("Sz"))) < 1e-7
    assert ev.state(3).expect("Sx*Sx") == pytest.approx(st.expect("Sx*Sx"), abs=1e-6)
    with pytest.raises(ModelError, match="lack"):
        cd.evolve(model, VALUES, order=2, t=[0, 1], initial={"Sz": -10}, S=S)
    with pytest.raises(ModelError, match="strictly increasing"):
        cd.evolve(model, VALUES, order=2, t=[1, 0], S=S)


def test_kerr_mode_from_vacuum_against_exact() -> None:
    """kerr (Delta = 1, U = 0.3, F = 0.4, gamma = 1), D = 10, from the vacuum: <ad*a>(t)/D at order 2
    against the truncated master equation (40 Fock levels): error below the order-1 one."""
    model, values, D = an.models.kerr(), {"Delta": 1, "U": "0.3", "F": "0.4", "gamma": 1}, 10
    t = np.linspace(0.0, 6.0, 31)
    psi = np.zeros(40)
    psi[0] = 1.0
    exact = numeric.evolve(model, values, psi, t, D=D, truncation=40, e_ops=["ad*a"]).expect["ad*a"].real / D
    first = cd.evolve(model, values, order=1, t=t, D=D)
    e1 = np.max(np.abs(np.abs(first.moments["a"]) ** 2 / D - exact))
    e2 = np.max(np.abs(cd.evolve(model, values, order=2, t=t, D=D).expect("ad*a") / D - exact))
    assert e2 < e1 / 10, (e1, e2)
