"""Property tests (Hypothesis) of the steady-state solvers over random small models: whatever
the model, a returned state is a density matrix (trace 1, Hermitian, positive semidefinite) that
solves the master equation (residual below the reported tolerance), equals QuTiP's
``steadystate`` of the same exported model, and exact (string) parameters give the same digits
at two working precisions.

Three families, each drawn with non-dyadic coefficients (three decimals, e.g. 0.937):

* one collective spin S = 1/2 .. 5/2: H = a S_x + b S_z + c S_z^2/S + d (S_+^2 + S_-^2)/S,
  collective decay S_- plus, at random, dephasing S_z and pumping S_+;
* a spin S = 1/2, 1 coupled to a mode (truncation 4 .. 6): H = w_a S_z + w_c a^+a
  + g (S_+ a + S_- a^+) + h (S_+ a^+ + S_- a), cavity loss a and at random spin decay S_-;
* N = 2 .. 4 atoms with individual terms (permutation-invariant solver): H = a S_x + b S_z
  + c S_z^2/N, collective decay, individual decay and at random individual dephasing; compared
  with QuTiP in the full 2^N-dimensional product space.

All have a decay channel that empties every level (S_- or sigma_-), and their drives couple
every level, so the steady state is unique: QuTiP's is the state to compare with.  A fourth
family has H and jumps that all commute with S_z (dephasing only): its kernel has dimension
2S + 1 and the solvers must refuse it.  The draws
are derandomized (the same pseudo-random models on every run, 55 of them plus 5 at two
precisions and 10 degenerate ones), so CI cannot turn red by luck; set ``derandomize=False`` locally to explore.
"""
import mpmath
import numpy as np
import pytest
import qutip
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytic.algebra import Atoms, Mode, Spin
from analytic.model import Dissipator, Model, ModelError
from numeric import SolverError, steady_state
from numeric.app.interop import to_qutip

# three-decimal coefficients: non-dyadic, exactly representable as strings
coef = st.integers(200, 1500).map(lambda k: k / 1000)
signed = st.integers(-1200, 1200).filter(lambda k: abs(k) >= 100).map(lambda k: k / 1000)
SETTINGS = dict(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _spin_model(dephasing: bool, pumping: bool) -> Model:
    S = sp.Symbol("S", positive=True)
    a, c, d, g1, g2, g3 = (sp.Symbol(n, positive=True) for n in ("a", "c", "d", "g1", "g2", "g3"))
    b = sp.Symbol("b", real=True)
    spin = Spin("", S)
    H = spin.x * a + spin.z * b + spin.z * spin.z * (c / S) + (spin.plus * spin.plus + spin.minus * spin.minus) * (d / S)
    diss = [Dissipator(spin.minus, g1, "collective", "decay")]
    params = {"a": a, "b": b, "c": c, "d": d, "g1": g1}
    if dephasing:
        diss.append(Dissipator(spin.z, g2, "collective", "dephasing"))
        params["g2"] = g2
    if pumping:
        diss.append(Dissipator(spin.plus, g3, "collective", "pumping"))
        params["g3"] = g3
    return Model("random_spin", params, (spin,), H, tuple(diss))


def _spin_mode_model(spin_decay: bool) -> Model:
    S = sp.Symbol("S", positive=True)
    wa, g, h, k, gs = (sp.Symbol(n, positive=True) for n in ("wa", "g", "h", "k", "gs"))
    wc = sp.Symbol("wc", real=True)
    spin, cav = Spin("", S), Mode("", 2 * S)
    inter = spin.plus * cav.a * g + spin.plus * cav.ad * h
    H = spin.z * wa + cav.ad * cav.a * wc + inter + inter.dagger()
    diss = [Dissipator(cav.a, k, "collective", "cavity loss")]
    params = {"wa": wa, "wc": wc, "g": g, "h": h, "k": k}
    if spin_decay:
        diss.append(Dissipator(spin.minus, gs, "collective", "spin decay"))
        params["gs"] = gs
    return Model("random_spin_mode", params, (spin, cav), H, tuple(diss))


def _atoms_model(dephasing: bool) -> Model:
    N = sp.Symbol("N", positive=True)
    at = Atoms("", N)
    a, c, gc, gd, gz = (sp.Symbol(n, positive=True) for n in ("a", "c", "gc", "gd", "gz"))
    b = sp.Symbol("b", real=True)
    H = at.x * a + at.z * b + at.z * at.z * (c / N)
    diss = [Dissipator(at.minus, gc, "collective", "collective decay"),
            Dissipator(at.local("sm"), gd, "individual", "individual decay")]
    params = {"a": a, "b": b, "c": c, "gc": gc, "gd": gd}
    if dephasing:
        diss.append(Dissipator(at.local("sz"), gz, "individual", "dephasing"))
        params["gz"] = gz
    return Model("random_atoms", params, (at,), H, tuple(diss))


@st.composite
def spin_cases(draw):
    deph, pump = draw(st.booleans()), draw(st.booleans())
    vals = {"a": draw(coef), "b": draw(signed), "c": draw(coef), "d": draw(coef), "g1": draw(coef)}
    if deph:
        vals["g2"] = draw(coef)
    if pump:
        vals["g3"] = draw(coef) / 4  # pumping weaker than decay
    return _spin_model(deph, pump), vals, {"S": draw(st.sampled_from([0.5, 1, 1.5, 2, 2.5]))}


@st.composite
def spin_mode_cases(draw):
    decay = draw(st.booleans())
    vals = {"wa": draw(coef), "wc": draw(signed), "g": draw(coef) / 4, "h": draw(coef) / 8, "k": draw(coef) * 2}
    if decay:
        vals["gs"] = draw(coef)
    sizes = {"S": draw(st.sampled_from([0.5, 1])), "truncation": draw(st.integers(5, 7))}
    return _spin_mode_model(decay), vals, sizes


@st.composite
def atoms_cases(draw):
    deph = draw(st.booleans())
    vals = {"a": draw(coef), "b": draw(signed), "c": draw(coef), "gc": draw(coef), "gd": draw(coef)}
    if deph:
        vals["gz"] = draw(coef)
    return _atoms_model(deph), vals, {"N": draw(st.integers(2, 4))}


def _is_density_matrix(rho: np.ndarray, tol: float = 1e-12) -> None:
    assert abs(np.trace(rho) - 1) < tol
    assert np.abs(rho - rho.conj().T).max() < tol
    assert np.linalg.eigvalsh((rho + rho.conj().T) / 2).min() > -1e-10


def _qutip_state(model, vals, sizes):
    q = to_qutip(model, vals, **sizes)
    return q, qutip.steadystate(q.H, q.c_ops)


@settings(max_examples=20, **SETTINGS)
@given(spin_cases())
def test_collective_spin_states_are_density_matrices_equal_to_qutip(case):
    model, vals, sizes = case
    state = steady_state(model, vals, **sizes)
    _is_density_matrix(state.rho)
    assert state.residual <= state.info["tol"]
    q, rho_q = _qutip_state(model, vals, sizes)
    assert np.abs(rho_q.full() - state.rho).max() < 1e-10


@settings(max_examples=15, **SETTINGS)
@given(spin_mode_cases())
def test_spin_and_mode_states_are_density_matrices_equal_to_qutip(case):
    """Or the solver refuses the truncation, and rightly: in QuTiP's state at a larger
    truncation the level just below the cut holds more than the solver's threshold 1e-6."""
    model, vals, sizes = case
    try:
        state = steady_state(model, vals, **sizes)
    except ModelError as exc:
        assert "truncation" in str(exc)
        bigger = {**sizes, "truncation": sizes["truncation"] + 6}
        q, rho_q = _qutip_state(model, vals, bigger)
        pops = rho_q.ptrace(1).diag().real  # the mode's Fock populations
        assert pops[sizes["truncation"] - 1] > 1e-7, pops
        return
    _is_density_matrix(state.rho)
    assert state.residual <= state.info["tol"]
    q, rho_q = _qutip_state(model, vals, sizes)
    assert np.abs(rho_q.full() - state.rho).max() < 1e-10


@settings(max_examples=15, **SETTINGS)
@given(atoms_cases())
def test_atom_states_are_density_matrices_equal_to_qutip_in_the_product_space(case):
    """The permutation-invariant state's blocks are density matrices (together: trace 1), and
    its moments equal those of QuTiP's steady state in the full 2^N-dimensional space."""
    model, vals, sizes = case
    state = steady_state(model, vals, **sizes)
    assert abs(state.trace() - 1) < 1e-12
    for block in state.density_blocks():
        assert np.abs(block - block.conj().T).max() < 1e-12
        assert np.linalg.eigvalsh((block + block.conj().T) / 2).min() > -1e-10
    q, rho_q = _qutip_state(model, vals, sizes)
    for op in ("Sz", "Sx", "Sz*Sz", "Sp*Sm", "Sx*Sz"):
        assert abs(qutip.expect(q.op(op), rho_q) - complex(state.expect(op))) < 1e-10, op


@settings(max_examples=5, **SETTINGS)
@given(st.one_of(spin_cases(), atoms_cases()))
def test_exact_parameters_give_the_same_digits_at_two_precisions(case):
    """Parameters passed as strings are exact: dps = 30 and dps = 40 agree to 28 digits."""
    model, vals, sizes = case
    exact = {k: f"{v:.3f}" for k, v in vals.items()}
    sz = []
    for dps in (30, 40):
        state = steady_state(model, exact, dps=dps, **sizes)
        with mpmath.workdps(dps):
            sz.append(mpmath.mpmathify(state.expect("Sz")))
    with mpmath.workdps(45):
        scale = max(abs(sz[1]), mpmath.mpf(1))
        assert abs(sz[0] - sz[1]) < mpmath.mpf(10) ** -28 * scale, (sz[0], sz[1])


@st.composite
def degenerate_cases(draw):
    """A collective spin whose H and jumps all commute with S_z (H = b S_z + c S_z^2/S, dephasing
    S_z, at random S_z^2): every diagonal state is stationary, the kernel has dimension 2S + 1."""
    S = sp.Symbol("S", positive=True)
    b, g, c, h = sp.Symbol("b", real=True), *(sp.Symbol(n, positive=True) for n in ("g", "c", "h"))
    spin = Spin("", S)
    diss = [Dissipator(spin.z, g, "collective", "dephasing")]
    params, vals = {"b": b, "c": c, "g": g}, {"b": draw(signed), "c": draw(coef), "g": draw(coef)}
    if draw(st.booleans()):
        diss.append(Dissipator(spin.z * spin.z, h, "collective", "quadratic dephasing"))
        params["h"], vals["h"] = h, draw(coef)
    model = Model("random_dephased", params, (spin,), spin.z * b + spin.z * spin.z * (c / S), tuple(diss))
    return model, vals, {"S": draw(st.sampled_from([0.5, 1, 1.5, 2]))}


@settings(max_examples=10, **SETTINGS)
@given(degenerate_cases(), st.sampled_from([None, 30]))
def test_a_non_unique_steady_state_is_refused(case, dps):
    """Uniqueness is detected where the kernel is larger: a SolverError saying so, float64 or dps."""
    model, vals, sizes = case
    if dps is not None:
        vals = {k: f"{v:.3f}" for k, v in vals.items()}
    with pytest.raises(SolverError, match="not unique"):
        steady_state(model, vals, dps=dps, **sizes)
