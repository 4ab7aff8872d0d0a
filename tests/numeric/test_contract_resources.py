"""Issue 17, defects 6 (precision range) and 9 (resources): dps from 16 to 1000 and beyond works for
the collective and the permutation-invariant solvers, dps > DPS_MAX and solves whose estimated
peak memory exceeds max_memory are refused up front with a ResourceError (a ModelError)."""
import math
import time

import mpmath
import pytest

import analytic as an
from analytic.model import ModelError
from numeric import gap, steady_state
from numeric import spectrum
from numeric.core import resources
from numeric.core.resources import DPS_MAX, ResourceError

CRF = an.models.crf()
CRF_VALUES = {"omega": 1.3, "kappa": 0.9}
CRF_TEXT = {"omega": "1.3", "kappa": "0.9"}  # exact 13/10, 9/10 at every dps
DICKE = an.models.driven_dicke()
DICKE_VALUES = {"Omega": 0.9, "gamma_c": 1.3, "gamma_s": 0.4}
DICKE_TEXT = {"Omega": "0.9", "gamma_c": "1.3", "gamma_s": "0.4"}


def _observables(st):
    return [st.expect("Sz"), st.expect("Sx"), st.expect("Sz*Sz"), st.expect("Sx*Sz + Sz*Sx")]


def _agree(a, b, digits):
    """|a - b| <= 10**-digits max(|a|, |b|, 1e-3) (relative, guarded near zero)."""
    with mpmath.workdps(digits + 20):
        scale = max(abs(mpmath.mpf(a)), abs(mpmath.mpf(b)), mpmath.mpf("1e-3"))
        return abs(mpmath.mpf(a) - mpmath.mpf(b)) <= mpmath.mpf(10) ** (-digits) * scale


@pytest.mark.parametrize("solve", [
    pytest.param(lambda dps: steady_state(CRF, CRF_TEXT, S=3, dps=dps), id="crf-S3"),
    pytest.param(lambda dps: steady_state(DICKE, DICKE_TEXT, N=3, dps=dps), id="driven_dicke-N3"),
])
def test_dps_300_and_1000_agree_with_dps_60(solve):
    """Defect 6: dps >= 294 (collective) and >= 142 (permutation-invariant) raised
    'OverflowError: int too large to convert to float' (float(2**p) of the fixed-point numbers).
    The same problem (exact parameters given as text) solved at dps = 60, 300 and 1000: the results
    agree to 55 digits with dps = 60 and to 295 digits between 300 and 1000, i.e. the extra digits
    are real digits of the exact steady state."""
    t0 = time.perf_counter()
    ref, mid, high = (_observables(solve(d)) for d in (60, 300, 1000))
    for a, b, c in zip(ref, mid, high):
        assert _agree(a, b, 55) and _agree(a, c, 55)
        assert _agree(b, c, 295)
        assert isinstance(c, mpmath.mpf)
    assert time.perf_counter() - t0 < 15


def test_dps_residual_is_kept_at_full_precision():
    """The residual of a dps = 400 solve is an mpf far below the float range (1e-308), not 0."""
    st = steady_state(CRF, CRF_TEXT, S=2, dps=400)
    assert isinstance(st.residual, mpmath.mpf) and 0 < st.residual < mpmath.mpf("1e-390")
    pi = steady_state(DICKE, DICKE_TEXT, N=2, dps=400)
    assert pi.info["refined_residual"] < mpmath.mpf("1e-390")


@pytest.mark.parametrize("kwargs", [dict(model=CRF, values=CRF_VALUES, S=3),
                                    dict(model=DICKE, values=DICKE_VALUES, N=3)], ids=["crf", "driven_dicke"])
@pytest.mark.parametrize("dps", [10 ** 6, DPS_MAX + 1])
def test_dps_beyond_maximum_refused_up_front(kwargs, dps):
    """dps = 10**6 used to hang; dps > DPS_MAX = 10000 is refused in well under a second with a
    ResourceError (a ModelError) naming dps and the measured cost behind the limit."""
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=rf"dps={dps} is beyond DPS_MAX=10000"):
        steady_state(kwargs["model"], kwargs["values"], dps=dps,
                     **{k: v for k, v in kwargs.items() if k in ("S", "N")})
    assert time.perf_counter() - t0 < 1.0
    assert issubclass(ResourceError, ModelError)


def test_crf_S5000_refused_in_under_a_second():
    """Defect 9: S = 5000 ran 21 s into a MemoryError (4.5 GiB); its estimated peak (about 260 GiB
    from 5e7 unknowns and the measured fill of nested dissection) is refused before the Liouvillian
    is built, the message giving the estimate and the limit."""
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=r"estimated peak memory .*GiB exceeds max_memory.*= .*B") as e:
        steady_state(CRF, CRF_VALUES, S=5000)
    assert time.perf_counter() - t0 < 1.0
    assert "50010000 unknowns" in str(e.value) and "predicted sizes" in str(e.value)


def test_crf_S2000_refused_under_a_given_limit_in_under_a_second():
    """S = 2000 once ran 82 s into a SuperLU malloc failure; with the multifrontal LU its predicted peak
    (8 bytes per factor entry, about 1.3e9 entries: ~13 GiB) is above max_memory='8GiB' and refused at
    once, naming the multifrontal solver and its fill."""
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=r"estimated peak memory 1[2-4]\.\d GiB exceeds max_memory = 8 GiB.*multifrontal"):
        steady_state(CRF, CRF_VALUES, S=2000, max_memory="8GiB")
    assert time.perf_counter() - t0 < 1.0


def test_permutational_N_1e6_refused_in_under_a_second():
    """N = 10**6 atoms (about N^3/12 = 8e16 unknowns) used to hang building the Dicke basis."""
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=r"steady_state_pi: estimated peak memory .* exceeds max_memory"):
        steady_state(DICKE, DICKE_VALUES, N=10 ** 6)
    assert time.perf_counter() - t0 < 1.0


@pytest.mark.parametrize("limit", ["1MB", 10 ** 6, 1e6, "0.95 MiB"])
def test_small_max_memory_refuses_small_solves(limit):
    """crf S = 50 needs about 9 MiB by the estimate; a limit of 1 MB refuses it (str or number of
    bytes), as it refuses driven_dicke at N = 20 (about 3 MiB)."""
    with pytest.raises(ResourceError, match=r"estimated peak memory .*MiB exceeds max_memory = (977|973) KiB"):
        steady_state(CRF, CRF_VALUES, S=50, max_memory=limit)
    with pytest.raises(ResourceError, match=r"exceeds max_memory"):
        steady_state(DICKE, DICKE_VALUES, N=20, max_memory=limit)


@pytest.mark.parametrize("bad", [-1, 0, "lots", "5 parsecs", True, float("nan"), [1]])
def test_invalid_max_memory_is_a_model_error(bad):
    with pytest.raises(ModelError, match="max_memory"):
        steady_state(CRF, CRF_VALUES, S=2, max_memory=bad)


def test_memory_limit_units_and_default():
    assert resources.memory_limit("1.5GiB") == 1.5 * 2 ** 30
    assert resources.memory_limit("500MB") == 5e8
    assert resources.memory_limit(math.inf) == math.inf
    avail = resources.available_memory()
    assert avail is None or resources.memory_limit() == pytest.approx(0.8 * avail, rel=0.2)


def test_normal_sizes_unaffected_and_estimate_matches_the_solve():
    """A normal solve passes with the default limit and records its estimate; the sizes predicted
    before the build match the counted ones (crf: 2% in n), and the fitted fill predicts the
    factor's non-zeros of the solve to 25%."""
    st = steady_state(CRF, CRF_VALUES, S=60)
    est = st.info["resources"]
    assert est["exact_sizes"] and est["unknowns"] == st.info["unknowns"]
    assert est["bytes"] < est["limit"]
    assert est["factor_nnz"] == pytest.approx(st.info["lu_nnz"], rel=0.25)
    from numeric.core.liouvillian import hamiltonian_and_jumps, setup

    rep, vals = setup(CRF, CRF_VALUES, 60, None)
    H, jumps = hamiltonian_and_jumps(CRF, rep, vals)
    pre = resources.estimate_from_operators(H, jumps)
    assert not pre.exact_sizes
    assert pre.unknowns == pytest.approx(est["unknowns"], rel=0.02)
    assert pre.nnz == pytest.approx(est["nnz"], rel=0.02)


@pytest.mark.parametrize("N", [9, 20])
def test_permutational_prediction_matches_counted_sizes(N):
    """Unknowns predicted from N alone (half the sum_j (2j+1)^2 block entries; sum_j (2j+1) with
    U(1)) against those counted on the built system (driven_dicke; with Omega = 0 it conserves
    q = m - m')."""
    st = steady_state(DICKE, DICKE_VALUES, N=N)
    pre = resources.estimate_permutational(N)
    assert pre.unknowns == pytest.approx(st.info["unknowns"], rel=0.1)
    assert st.info["resources"]["factor_nnz"] == pytest.approx(st.info["lu_nnz"], rel=0.35)
    u1 = steady_state(DICKE, {**DICKE_VALUES, "Omega": 0.0}, N=N)
    assert resources.estimate_permutational(N, u1=True).unknowns == u1.info["unknowns"]


@pytest.mark.parametrize("call", [
    pytest.param(lambda **kw: spectrum(CRF, CRF_VALUES, S=5000, **kw), id="spectrum-crf-S5000"),
    pytest.param(lambda **kw: gap(CRF, CRF_VALUES, S=5000, **kw), id="gap-crf-S5000"),
    pytest.param(lambda **kw: spectrum(DICKE, DICKE_VALUES, N=10 ** 6, **kw), id="spectrum-N1e6"),
    pytest.param(lambda **kw: gap(DICKE, DICKE_VALUES, N=10 ** 6, **kw), id="gap-N1e6"),
])
def test_spectra_refuse_large_sizes_in_under_a_second(call):
    """The spectra use the steady-state estimate (an upper bound of their shift-invert LU: crf
    S = 200 measured 140 MiB, estimated 199 MiB) and refuse before building the Liouvillian."""
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=r"estimated peak memory .* exceeds max_memory"):
        call()
    assert time.perf_counter() - t0 < 1.0


def test_spectra_small_max_memory_and_normal_sizes():
    with pytest.raises(ResourceError, match=r"spectrum: .* exceeds max_memory = 977 KiB"):
        spectrum(CRF, CRF_VALUES, S=50, max_memory="1MB")
    with pytest.raises(ResourceError, match=r"gap_pi: .* exceeds max_memory = 977 KiB"):
        gap(DICKE, DICKE_VALUES, N=20, max_memory=10 ** 6)
    ev = spectrum(CRF, CRF_VALUES, S=10, k=3)
    assert abs(ev[0]) < 1e-10 and ev[1].real < 0
    assert gap(DICKE, DICKE_VALUES, N=6) > 0


def test_qudits_refused_before_building():
    """numeric.pi.qudits: lmg(d=3) at N = 20 has 3.1e6 symmetric basis operators (below the module's
    5e6 cap) and an estimated 33 GiB Liouvillian (120 bytes per non-zero, measured); refused
    in under a second under max_memory='8GiB'; N = 8 (66 MiB) under '1MB'; N = 4 solves."""
    from numeric.pi import qudits

    lmg3 = an.models.lmg(d=3)
    vals = {"V": 0.7, "gamma_C": 0.83, "gamma_I": 0.96}
    t0 = time.perf_counter()
    with pytest.raises(ResourceError, match=r"qudits.from_model: estimated peak memory .*GiB exceeds max_memory = 8 GiB"):
        qudits.from_model(lmg3, vals, 20, max_memory="8GiB")
    assert time.perf_counter() - t0 < 1.0
    with pytest.raises(ResourceError, match=r"MiB exceeds max_memory = 977 KiB"):
        qudits.from_model(lmg3, vals, 8, max_memory="1MB")
    assert qudits.solve_qudits(qudits.from_model(lmg3, vals, 4)).residual < 1e-10


def test_dense_mp_liouvillian_refuses_dps_beyond_maximum_and_works_at_1000():
    from numeric.solvers.precision import liouvillian_mp

    with pytest.raises(ResourceError, match="dps=1000000 is beyond DPS_MAX"):
        liouvillian_mp(CRF, CRF_VALUES, S=1, dps=10 ** 6)
    L = liouvillian_mp(CRF, CRF_TEXT, S=1, dps=1000)
    with mpmath.workdps(1000):
        # trace preservation: the column sums of the population rows vanish to ~1000 digits
        d = 3
        for col in range(d * d):
            assert abs(sum(L[a + a * d, col] for a in range(d))) < mpmath.mpf(10) ** -990


def test_dps_estimate_in_the_message_and_info():
    """With dps the estimate adds the fixed-point arrays and the refinement time."""
    st = steady_state(CRF, CRF_TEXT, S=3, dps=300)
    assert st.info["resources"]["bytes"] > steady_state(CRF, CRF_VALUES, S=3).info["resources"]["bytes"]
    with pytest.raises(ResourceError, match=r"estimated time"):
        steady_state(CRF, CRF_TEXT, S=40, dps=5000, max_memory="20MB")
