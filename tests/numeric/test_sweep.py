"""numeric.app.sweep: a >= 400-point phase-diagram sweep with a progress bar, on local processes and on
a dask.distributed LocalCluster, with identical results; the swept physics is asserted."""
import functools

import numpy as np
import pytest

import analytic as an
from numeric.solvers.steady import steady_state
from numeric.app.sweep import sweep

LAMS = np.linspace(0.05, 2.0, 40)


@functools.lru_cache(maxsize=None)
def _exact(quantity):
    return an.formulas.get(f"crf.exact.{quantity}")


def crf_exact(lam, S):
    """Exact Puri-Lawande <Sz>/S and purity of crf at lambda = omega/(2 kappa), kappa = 1."""
    return {"sz": float(_exact("sz")(2 * lam, 1.0, S)), "purity": float(_exact("purity")(2 * lam, 1.0, S))}


def crf_numeric(lam, S):
    """<Sz>/S and purity of the numeric steady state of crf (float64 solver)."""
    st = steady_state(an.models.crf(), {"omega": 2 * lam, "kappa": 1.0}, S=S)
    return {"sz": float(np.real(st.expect("Sz"))) / S, "purity": float(st.purity())}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as c:
        yield c


def test_400_points_local_and_dask_identical(cluster, capsys):
    grid = {"lam": LAMS, "S": [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120]}
    local = sweep(crf_exact, grid, processes=2, progress=True)
    assert "400/400" in capsys.readouterr().err  # the progress bar (numeric.core.progress) ran to the end
    remote = sweep(crf_exact, grid, scheduler=cluster.scheduler_address)
    assert local.sizes == {"lam": 40, "S": 10, "quantity": 2} and local.size == 800
    assert remote.attrs["engine"].startswith("dask") and local.attrs["engine"] == "2 local processes"
    assert np.array_equal(local.values, remote.values)  # bit-identical
    sz = local.sel(quantity="sz")
    # below lambda = 1: <Sz>/S -> -sqrt(1 - lambda^2) with an error ~ 1/S (halves per doubling)
    lam = 0.5
    i = int(np.argmin(abs(LAMS - lam)))
    err = abs(sz.isel(lam=i).values + np.sqrt(1 - LAMS[i] ** 2))
    assert np.all(np.abs(err[1:] / err[:-1] - 0.5) < 0.05), err
    # above lambda = 1: <Sz>/S -> 0 and the state becomes mixed (purity falls with S)
    far = sz.sel(lam=slice(1.3, None))
    assert float(abs(far.sel(S=5120)).max()) < 0.01
    pur = local.sel(quantity="purity", lam=slice(1.3, None))
    assert np.all(pur.diff("S") < 0)


def test_result_is_labelled_and_plots_in_one_line():
    import matplotlib

    matplotlib.use("Agg")
    r = sweep(crf_exact, {"lam": LAMS[:5], "S": [4, 8]}, processes=1, progress=False)
    assert r.name == "crf_exact" and list(r.coords["quantity"].values) == ["sz", "purity"]
    mesh = r.sel(quantity="sz").plot()
    assert mesh.get_array().size == 10
    assert r.sel(lam=LAMS[0], S=4, quantity="sz").item() == crf_exact(LAMS[0], 4)["sz"]


def test_bad_input_and_failures_name_the_argument_or_point():
    with pytest.raises(ValueError, match="grid"):
        sweep(crf_exact, {}, processes=1)
    with pytest.raises(ValueError, match="axis 'lam'"):
        sweep(crf_exact, {"lam": [[1, 2]]}, processes=1)
    with pytest.raises(ValueError, match="processes"):
        sweep(crf_exact, {"lam": [1]}, processes=0, S=2)
    with pytest.raises(ValueError, match="share the names"):
        sweep(crf_exact, {"lam": [1]}, lam=2)
    with pytest.raises(ValueError, match=r"non-finite result at \{'x': 0.0\}"):
        sweep(lambda x: 1 / x if x else float("nan"), {"x": [0.0, 1.0]}, processes=1, progress=False)
    with pytest.raises(RuntimeError, match=r"failed at \{'lam': 0.5, 'S': -1\}"):
        sweep(crf_numeric, {"lam": [0.5], "S": [-1]}, processes=2, progress=False)


@pytest.mark.slow
def test_400_point_numeric_sweep_local_and_dask(cluster):
    """400 steady states of the numeric solver (S = 1/2 ... 5): identical locally and on Dask,
    and equal to the exact Puri-Lawande closed form to 1e-12 at every point."""
    grid = {"lam": LAMS, "S": np.arange(1, 11) / 2}
    local = sweep(crf_numeric, grid, processes=2)
    remote = sweep(crf_numeric, grid, scheduler=cluster.scheduler_address)
    assert local.size == 800 and np.array_equal(local.values, remote.values)
    exact = sweep(crf_exact, grid, processes=1, progress=False)
    assert float(abs(local - exact).max()) < 1e-12
