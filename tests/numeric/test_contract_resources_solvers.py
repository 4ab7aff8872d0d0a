"""Issue 17, "Resources" and "Precision range" for the solvers beyond the steady states: evolve,
quantum_jumps, cluster_steady_state, twa and sweep take ``max_memory=``, estimate their peak memory
from the sizes before allocating and refuse above it with a ResourceError (a ModelError) carrying
the estimate; every public entry point that takes ``dps=`` refuses ``dps > DPS_MAX`` up front.
(Spectra and qudits: tests/numeric/test_contract_resources.py.)"""
import re
import time
import tracemalloc

import numpy as np
import pytest

import analytic as an
from analytic.model import ModelError
from numeric.core import resources
from numeric.semiclassical.cluster import Cluster, cluster_steady_state
from numeric.dynamics.evolve import evolve, liouville_sizes, liouville_space
from numeric.core.resources import DPS_MAX, ResourceError
from numeric.solvers.steady import steady_state
from numeric.app.sweep import sweep
from numeric.dynamics.trajectories import quantum_jumps
from numeric.semiclassical.twa import twa

CRF = an.models.crf()
CRF_VALUES = {"omega": 1.3, "kappa": 0.9}
DICKE = an.models.driven_dicke()
DICKE_VALUES = {"Omega": 0.9, "gamma_c": 1.3, "gamma_s": 0.4}
CHAIN = an.models.gain_loss_chain()
CHAIN_VALUES = {"g": 1.0, "h": 0.9, "Gamma_g": 0.9, "Gamma_l": 1.3}
DIMER = an.models.gain_loss_dimer()
DIMER_VALUES = {"g": 1.0, "Gamma_g": 0.5, "Gamma_l": 0.2}
TIMES = np.linspace(0.0, 1.3, 11)
DEFAULT = r"exceeds max_memory default \(80% of available memory\) = 12\.8 GiB"


@pytest.fixture
def machine_16gib(monkeypatch):
    """16 GiB available: the default limit is 12.8 GiB whatever the test machine has."""
    monkeypatch.setattr(resources, "available_memory", lambda: 16 * 2 ** 30)


def _down(d):
    psi = np.zeros(d)
    psi[-1] = 1.0
    return psi


def _peak(call):
    tracemalloc.start()
    try:
        out = call()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _refusal(call) -> tuple[str, float]:
    """``(message, seconds)`` of the ResourceError ``call()`` raises (pytest fails if it raises none)."""
    t0 = time.perf_counter()
    with pytest.raises(ResourceError) as e:
        call()
    return str(e.value), time.perf_counter() - t0


# --------------------------------------------------------------------------- evolve
@pytest.mark.parametrize("call, sizes", [
    pytest.param(lambda: evolve(CRF, CRF_VALUES, _down(10001), TIMES, S=5000), "100020001 unknowns", id="crf-S5000"),
    pytest.param(lambda: evolve(DICKE, DICKE_VALUES, _down(10 ** 6 + 1), TIMES, N=10 ** 6), "unknowns", id="dicke-N1e6"),
])
def test_evolve_huge_sizes_refused_in_under_a_second(machine_16gib, call, sizes):
    """S = 5000 used to build a 1e8 x 1e8 Liouvillian (6e8 non-zeros) before failing; N = 10**6
    tried to build the Dicke basis of 1.7e17 entries.  Both refused from the sizes alone."""
    msg, seconds = _refusal(call)
    assert re.search(r"evolve: estimated peak memory .*(GiB|TiB) " + DEFAULT, msg) and seconds < 1.0, msg
    assert sizes in msg and "predicted sizes" in msg


def test_evolve_small_max_memory_and_normal_run():
    with pytest.raises(ResourceError, match=r"evolve: estimated peak memory .*KiB exceeds max_memory = 1 KiB"):
        evolve(CRF, CRF_VALUES, _down(7), TIMES, S=3, max_memory="1 KiB")
    with pytest.raises(ModelError, match="max_memory"):
        evolve(CRF, CRF_VALUES, _down(7), TIMES, S=3, max_memory="lots")
    ev = evolve(CRF, CRF_VALUES, _down(7), TIMES, S=3, e_ops=["Sz"], max_memory=10 ** 7)
    assert ev.info["resources"]["bytes"] < ev.info["resources"]["limit"] == 1e7
    assert abs(ev.expect["Sz"][0] + 3) < 1e-12 and ev.expect["Sz"][-1] > -3


@pytest.mark.parametrize("model, values, sizes, exact", [
    (CRF, CRF_VALUES, {"S": 30}, True),
    (DICKE, DICKE_VALUES, {"N": 20}, False),
])
def test_evolve_estimate_predicts_sizes_and_peak(model, values, sizes, exact):
    """The sizes predicted before the build against those of the built Liouvillian (crf: exact;
    driven_dicke: n exact, 8 non-zeros per entry against 7.1 counted), and the estimated peak
    against the tracemalloc peak of the run (within a factor 2; module docstring of resources)."""
    pre = liouville_sizes(model, values, **sizes)
    space = liouville_space(model, values, **sizes)
    assert pre["n"] == space.n
    assert pre["nnz"] == space.L.nnz if exact else pre["nnz"] == pytest.approx(space.L.nnz, rel=0.15)
    ev, peak = _peak(lambda: evolve(model, values, _down(space.dim), TIMES, e_ops=["Sz"], **sizes))
    assert 0.5 < ev.info["resources"]["bytes"] / peak < 2.0


# --------------------------------------------------------------------------- quantum jumps
@pytest.mark.parametrize("call", [
    pytest.param(lambda: quantum_jumps(CRF, CRF_VALUES, _down(10001), TIMES, S=5000), id="crf-S5000"),
    pytest.param(lambda: quantum_jumps(DICKE, DICKE_VALUES, _down(201), TIMES, N=200), id="dicke-N200"),
    pytest.param(lambda: quantum_jumps(DICKE, DICKE_VALUES, _down(10 ** 6 + 1), TIMES, N=10 ** 6), id="dicke-N1e6"),
])
def test_quantum_jumps_huge_sizes_refused_in_under_a_second(machine_16gib, call):
    """N = 200 needs the dense eigen-decomposition of a 40401 x 40401 block (about 2 TiB with the
    others); refused before the Liouvillian is built, the estimate and its time in the message."""
    msg, seconds = _refusal(call)
    assert re.search(r"quantum_jumps: estimated peak memory .*(GiB|TiB) " + DEFAULT, msg) and seconds < 1.0, msg
    assert "estimated time" in msg


def test_quantum_jumps_small_max_memory_and_estimate_against_peak():
    with pytest.raises(ResourceError, match=r"quantum_jumps: .* exceeds max_memory = 1 KiB"):
        quantum_jumps(CRF, CRF_VALUES, _down(7), TIMES, S=3, max_memory="1 KiB")
    for model, values, sizes, d in ((CRF, CRF_VALUES, {"S": 30}, 61), (DICKE, DICKE_VALUES, {"N": 10}, 11)):
        tr, peak = _peak(lambda: quantum_jumps(model, values, _down(d), TIMES, ntraj=5, seed=3, e_ops=["Sz"],
                                               **sizes))
        assert 0.5 < tr.info["resources"]["bytes"] / peak < 2.0, (sizes, peak)


# --------------------------------------------------------------------------- cluster mean field
@pytest.mark.parametrize("S, sites", [(0.5, 40), (1.5, 5)])
def test_cluster_huge_clusters_refused_with_the_estimate(machine_16gib, S, sites):
    """40 spins 1/2 (dimension 2**40) and five spins 3/2 (2 cluster types of 1024**2 complex
    unknowns, about 600 GiB by the measured power law) are refused before any operator is built."""
    msg, seconds = _refusal(lambda: cluster_steady_state(CHAIN, CHAIN_VALUES, S, sites))
    assert re.search(r"cluster_steady_state: estimated peak memory .*(GiB|TiB) " + DEFAULT, msg), msg
    assert seconds < 1.0


def test_cluster_small_max_memory_and_normal_size():
    with pytest.raises(ResourceError, match=r"cluster_steady_state: .* exceeds max_memory = 1 KiB"):
        cluster_steady_state(CHAIN, CHAIN_VALUES, 1.5, 1, max_memory="1 KiB")
    cl = Cluster(CHAIN, CHAIN_VALUES, 1.5, 2, max_memory="1 GiB")
    assert cl.resources.limit == 2 ** 30 and cl.resources.unknowns == cl.size  # complex unknowns, all types


# --------------------------------------------------------------------------- truncated Wigner
def test_twa_huge_trajectory_counts_refused_in_under_a_second(machine_16gib):
    """10**9 trajectories: 36 TiB of amplitudes and records; refused before the symbolic set-up
    and the sampling."""
    msg, seconds = _refusal(lambda: twa(DIMER, DIMER_VALUES, 100, trajectories=10 ** 9, progress=False))
    assert re.search(r"twa: estimated peak memory .*TiB " + DEFAULT, msg), msg
    assert seconds < 1.0


def test_twa_small_max_memory_and_estimate_against_peak():
    with pytest.raises(ResourceError, match=r"twa: .* exceeds max_memory = 1 KiB"):
        twa(DIMER, DIMER_VALUES, 100, trajectories=10, max_memory="1 KiB", progress=False)
    run, peak = _peak(lambda: twa(DIMER, DIMER_VALUES, 100, trajectories=2000, t_final=2.0, dt=0.05,
                                  progress=False))
    assert 0.5 < run.info["resources"]["bytes"] / peak < 2.0


# --------------------------------------------------------------------------- sweep
def crf_sz(omega, S, max_memory=None):
    """<Sz>/S of the crf steady state at kappa = 0.9 (module level: picklable)."""
    return float(np.real(steady_state(CRF, {"omega": omega, "kappa": 0.9}, S=S, max_memory=max_memory).expect("Sz"))) / S


def share(a, max_memory=None):
    return max_memory


def plain(a):
    return a * 1.3


def test_sweep_passes_the_share_of_max_memory_and_stops_with_the_refusal(machine_16gib):
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=r"sweep: refused at \{'omega': 1.3, 'S': 5000\}: steady_state: "
                                            r"estimated peak memory .* exceeds max_memory = 12.8 GiB"):
        sweep(crf_sz, {"omega": [1.3], "S": [5000]}, processes=1, progress=False)
    assert time.perf_counter() - t0 < 1.0
    with pytest.raises(ResourceError, match=r"exceeds max_memory = 1 KiB"):
        sweep(crf_sz, {"omega": [1.3], "S": [3]}, processes=1, progress=False, max_memory="1 KiB")
    r = sweep(share, {"a": [0.9, 1.3]}, processes=1, progress=False, max_memory="1 GiB")
    assert np.all(r.values == 2 ** 30)
    r = sweep(share, {"a": [0.9, 1.3]}, processes=2, batch=1, progress=False, max_memory="1 GiB")
    assert np.all(r.values == 2 ** 29)  # two workers share the limit
    r = sweep(share, {"a": [0.9]}, processes=1, progress=False)
    assert r.values[0] == pytest.approx(0.8 * 16 * 2 ** 30)
    assert np.allclose(sweep(plain, {"a": [0.9, 1.3]}, processes=1, progress=False).values, [1.17, 1.69])
    with pytest.raises(ModelError, match=r"max_memory='1 GiB' given but 'plain' takes no max_memory"):
        sweep(plain, {"a": [0.9]}, processes=1, progress=False, max_memory="1 GiB")
    with pytest.raises(ModelError, match="max_memory"):
        sweep(share, {"a": [0.9]}, processes=1, progress=False, max_memory="5 parsecs")


# --------------------------------------------------------------------------- precision range
@pytest.mark.parametrize("call", [
    pytest.param(lambda dps: steady_state(CRF, CRF_VALUES, S=3, dps=dps), id="steady_state"),
    pytest.param(lambda dps: steady_state(DICKE, DICKE_VALUES, N=3, dps=dps), id="steady_state_pi"),
    pytest.param(lambda dps: __import__("numeric.solvers.precision").solvers.precision.liouvillian_mp(CRF, CRF_VALUES, S=1, dps=dps),
                 id="liouvillian_mp"),
    pytest.param(lambda dps: __import__("numeric.solvers.precision").solvers.precision.solve_refined(
        __import__("numeric.solvers.steady").solvers.steady.SteadySystem(CRF, CRF_VALUES, 2), dps), id="solve_refined"),
    pytest.param(lambda dps: __import__("numeric.pi.permutational").pi.permutational.PILiouvillian(
        DICKE, DICKE_VALUES, 3).hp_coefficients(dps), id="PILiouvillian.hp_coefficients"),
])
def test_every_dps_entry_point_refuses_beyond_dps_max(call):
    """Every public solver entry point with a ``dps`` argument (found by signature in numeric.*;
    the others take dps only to decide a warning) refuses dps = DPS_MAX + 1 in under a second."""
    msg, seconds = _refusal(lambda: call(DPS_MAX + 1))
    assert f"dps={DPS_MAX + 1} is beyond DPS_MAX={DPS_MAX}" in msg, msg
    assert seconds < 1.0


# --------------------------------------------------------------------------- metastable decomposition
def test_metastable_solvers_refuse_large_N_in_under_a_second(machine_16gib):
    """metastable_pi / metastable_weights / fit_from_metastable (seed 004) factorise the
    permutation-invariant Liouvillian: N = 10**6 used to hang building the basis."""
    from numeric.pi.permutational import metastable_pi
    from numeric.dynamics.switching import fit_from_metastable, metastable_weights

    pattern = r"estimated peak memory .* " + DEFAULT
    for call, who in ((lambda: metastable_pi(DICKE, DICKE_VALUES, 10 ** 6), "steady_state_pi"),
                      (lambda: metastable_weights(None, DICKE, DICKE_VALUES, 10 ** 6), "metastable_weights"),
                      (lambda: fit_from_metastable(DICKE, DICKE_VALUES, 10 ** 6, TIMES), "steady_state_pi")):
        msg, seconds = _refusal(call)
        assert re.search(who + ": " + pattern, msg) and seconds < 1.0, msg
    with pytest.raises(ResourceError, match=r"exceeds max_memory = 1 KiB"):
        metastable_pi(DICKE, DICKE_VALUES, 4, max_memory="1 KiB")
