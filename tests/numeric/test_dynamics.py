"""Mean-field dynamics (numeric.semiclassical.flows) on the engine's equations: exact solutions, convergence to
the stable fixed point of crf (seed 000 eq. 14), conservation of the spin length, numeric fixed
points against analytic.meanfield.fixed_points and stability, and plots."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import analytic as an  # noqa: E402
from analytic import meanfield as mf  # noqa: E402
from analytic.model import ModelError  # noqa: E402
from numeric.semiclassical.flows import (  # noqa: E402
    meanfield_fixed_points, meanfield_trajectory, plot_bloch, plot_flow,
)

CRF = an.models.crf()


def crf_values(lam, kappa=1.0):
    return {"omega": 2 * lam * kappa, "kappa": kappa}


def analytic_points(model, values):
    """Real closed-form fixed points of the engine, numerically, with the engine's stability."""
    vals = {model.symbol(k): sp.nsimplify(v) for k, v in values.items()}
    out = []
    for fp in mf.fixed_points(model):
        num = {k: complex(sp.N(sp.sympify(v).subs(vals))) for k, v in fp.items()}
        if all(abs(z.imag) < 1e-12 for z in num.values()):
            out.append(({k: z.real for k, z in num.items()}, mf.stability(model, fp, values).kind))
    return out


def random_sphere_points(n, seed):
    v = np.random.default_rng(seed).normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1)[:, None]


def test_pure_precession_matches_the_exact_rotation():
    """kappa = 0: H = omega Sx rotates the spin about x, s_y(t) = s_y cos wt - s_z sin wt,
    s_z(t) = s_z cos wt + s_y sin wt (Heisenberg: dS/dt = i[H, S])."""
    w = 1.3
    s0 = np.array([0.3, 0.5, -np.sqrt(1 - 0.34)])
    t = np.linspace(0, 10, 101)
    tr = meanfield_trajectory(CRF, {"omega": w, "kappa": 0.0}, dict(zip(("sx", "sy", "sz"), s0)), t)
    assert np.allclose(tr["sx"], s0[0], atol=1e-9)
    assert np.allclose(tr["sy"], s0[1] * np.cos(w * t) - s0[2] * np.sin(w * t), atol=1e-9)
    assert np.allclose(tr["sz"], s0[2] * np.cos(w * t) + s0[1] * np.sin(w * t), atol=1e-9)


@pytest.mark.parametrize("lam", [0.3, 0.8])
def test_crf_trajectories_converge_to_the_stable_fixed_point(lam):
    """lambda < 1: every start off the unstable point flows to s = (0, lambda, -sqrt(1 - lambda^2))
    (seed 000 eq. 14), conserving |s| = 1."""
    values = crf_values(lam)
    points = analytic_points(CRF, values)
    stable = [p for p, kind in points if kind == "stable"]
    assert len(stable) == 1
    target = np.array([stable[0][k] for k in ("sx", "sy", "sz")])
    assert np.allclose(target, [0, lam, -np.sqrt(1 - lam ** 2)], atol=1e-14)
    t = np.linspace(0, 200, 401)
    for s0 in random_sphere_points(4, seed=7):
        tr = meanfield_trajectory(CRF, values, s0, t)
        assert np.max(np.abs(tr.spin_length() - 1)) < 1e-8
        assert np.allclose(tr.y[:, -1], target, atol=1e-6)


def test_crf_paramagnetic_orbits_do_not_converge():
    """lambda > 1: the fixed points are centres; trajectories keep |s| = 1 and stay on closed orbits."""
    values = crf_values(1.5)
    kinds = sorted(kind for _, kind in analytic_points(CRF, values))
    assert kinds == ["centre", "centre"]
    t = np.linspace(0, 100, 2001)
    tr = meanfield_trajectory(CRF, values, [0.2, 0.0, -np.sqrt(0.96)], t)
    assert np.max(np.abs(tr.spin_length() - 1)) < 1e-8
    late = tr.y[:, t > 50]
    assert np.ptp(late[2]) > 0.1  # still oscillating


@pytest.mark.parametrize("lam", [0.5, 1.5])
def test_numeric_fixed_points_agree_with_the_engine(lam):
    values = crf_values(lam)
    found = meanfield_fixed_points(CRF, values, starts=12, seed=3, t_max=60.0)
    expected = analytic_points(CRF, values)
    assert len(found) == len(expected)
    for p, kind in expected:
        match = [f for f in found if max(abs(f[k] - p[k]) for k in ("sx", "sy", "sz")) < 1e-9]
        assert len(match) == 1
        f = match[0]
        assert f["residual"] < 1e-10
        assert f["stability"] == kind
        # attractors collect the integrated starts, the rest none
        assert (f["basin"] > 0) == (kind == "stable")
    if lam < 1:
        assert found[0]["basin"] == 1.0 and found[0]["stability"] == "stable"


def test_stable_points_only_without_newton_starts():
    found = meanfield_fixed_points(CRF, crf_values(0.6), starts=6, seed=1, include_unstable=False)
    assert len(found) == 1 and found[0]["stability"] == "stable"
    assert abs(found[0]["sz"] + 0.8) < 1e-10 and abs(found[0]["sy"] - 0.6) < 1e-10


def test_individual_factorisation_trajectory_leaves_the_sphere():
    """driven_dicke with individual decay (seed 004): the spin length is not conserved; with only
    individual decay and no drive the Bloch vector relaxes as ds_z/dt = -gamma_s (1 + s_z)."""
    model = an.models.driven_dicke()
    t = np.linspace(0, 3, 31)
    tr = meanfield_trajectory(model, {"Omega": 0.0, "gamma_c": 0.0, "gamma_s": 1.0, "N": 10},
                              {"sx": 0.6, "sy": 0.0, "sz": 0.8}, t)
    assert np.allclose(tr["sz"], -1 + 1.8 * np.exp(-t), atol=1e-9)
    assert np.allclose(tr["sx"], 0.6 * np.exp(-t / 2), atol=1e-9)
    assert tr.spin_length()[-1] < 0.99


def test_bad_input():
    t = np.linspace(0, 1, 3)
    with pytest.raises(ModelError, match="missing value"):
        meanfield_trajectory(CRF, {"omega": 1.0}, [0, 0, -1], t)
    with pytest.raises(ModelError, match="no parameter 'gamma'"):
        meanfield_trajectory(CRF, {"omega": 1.0, "kappa": 1.0, "gamma": 1.0}, [0, 0, -1], t)
    with pytest.raises(ModelError, match="missing values for"):
        meanfield_trajectory(CRF, crf_values(0.5), {"sx": 0.0, "sy": 0.0}, t)
    with pytest.raises(ModelError, match="3 entries"):
        meanfield_trajectory(CRF, crf_values(0.5), [0, 1], t)
    with pytest.raises(ModelError, match="increasing"):
        meanfield_trajectory(CRF, crf_values(0.5), [0, 0, -1], [0, 1, 1])
    with pytest.raises(ModelError, match="starts"):
        meanfield_fixed_points(CRF, crf_values(0.5), starts=0)
    with pytest.raises(ModelError, match="plane"):
        plot_flow(CRF, crf_values(0.5), plane=("sx", "sq"))
    with pytest.raises(ModelError, match="fixed="):
        plot_flow(an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 0.5, "gamma_s": 0.5, "N": 10})


def test_plots_return_figures():
    import matplotlib.pyplot as plt

    values = crf_values(0.6)
    fig = plot_flow(CRF, values, plane=("sx", "sz"))
    assert isinstance(fig, Figure)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert sorted(set(labels)) == ["stable", "unstable"]  # both crf points lie in the sy > 0 hemisphere
    plt.close(fig)
    fig = plot_flow(an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 0.5, "gamma_s": 0.5, "N": 10},
                    plane=("sy", "sz"), fixed={"sx": 0.0}, fixed_points=False)
    assert isinstance(fig, Figure)
    plt.close(fig)
    t = np.linspace(0, 30, 301)
    trs = [meanfield_trajectory(CRF, values, s0, t) for s0 in random_sphere_points(3, seed=2)]
    fig = plot_bloch(trs, points=meanfield_fixed_points(CRF, values, starts=4))
    assert isinstance(fig, Figure)
    plt.close(fig)
