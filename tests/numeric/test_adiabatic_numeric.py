"""Bad-cavity limit, numerically: the steady state of a spin + truncated-cavity model converges
to the steady state of the model analytic.adiabatic.eliminate derives, as the cavity gets fast.

Distances are trace distances between the spins' reduced steady state of the full model and
the eliminated model's steady state; the convergence order is fitted (adiabatic elimination is
exact to second order in X/(delta - i kappa/2), so the error is O(1/|delta - i kappa/2|): p = 1).
"""
import numpy as np

import analytic as an
import numeric as nu
from analytic.adiabatic import eliminate


def trace_distance(a: np.ndarray, b: np.ndarray) -> float:
    return 0.5 * float(np.abs(np.linalg.eigvalsh(a - b)).sum())


def spins_state(state) -> np.ndarray:
    """Reduced density matrix of all spins (the modes traced out)."""
    dims = state.rep.dims
    kinds = [s.kind for s in state.model.subsystems]
    rho = state.rho.reshape(dims + dims)
    n = len(dims)
    for k in reversed(range(n)):
        if kinds[k] == "mode":
            m = rho.ndim // 2
            rho = np.trace(rho, axis1=k, axis2=k + m)
    d = int(np.prod([dims[k] for k in range(n) if kinds[k] != "mode"]))
    return rho.reshape(d, d)


def fitted_order(x, err) -> float:
    """p in err = A x^-p (1 + B/x): least squares of log err = log A - p log x + B/x (the next
    order of the elimination is a relative O(1/x) correction)."""
    x = np.asarray(x, float)
    design = np.stack([np.ones_like(x), -np.log(x), 1 / x], axis=1)
    return float(np.linalg.lstsq(design, np.log(err), rcond=None)[0][1])


def test_driven_tavis_cummings_converges_to_eliminated_model_seed000():
    """Seed 000: cavity loss 2 gamma -> infinity at fixed kappa = S gamma G^2/(gamma^2+nu^2)
    (eq. 10's rate) and fixed nu/gamma = 1/2.  The full model converges to the eliminated model
    with order 1; it does *not* converge to eq. (10) (crf), because the exchange term
    -nu G^2 S^+S^-/(gamma^2+nu^2) = -(nu kappa/(S gamma)) S^+S^- that eq. (10) drops stays finite
    when nu grows with gamma.  At fixed nu both converge, the kept term making the error 20x smaller."""
    full, crf = an.models.driven_tavis_cummings(), an.models.crf()
    eff = eliminate(full)
    S, omega, kappa = 2, 1.0, 0.8
    ref_crf = nu.steady_state(crf, {"omega": omega, "kappa": kappa}, S=S).rho
    gammas = np.array([16.0, 32.0, 64.0, 128.0, 256.0])
    for detuning in ("proportional", "fixed"):
        d_eff, d_crf = [], []
        for g in gammas:
            nv = 0.5 * g if detuning == "proportional" else 1.0
            vals = {"omega": omega, "nu": nv, "G": np.sqrt(kappa * (g**2 + nv**2) / (S * g)), "gamma": g}
            st = nu.steady_state(full, vals, S=S, truncation=6)
            red = spins_state(st)
            d_eff.append(trace_distance(red, nu.steady_state(eff, vals, S=S).rho))
            d_crf.append(trace_distance(red, ref_crf))
        p = fitted_order(gammas, d_eff)
        assert abs(p - 1) < 0.02, (detuning, p, d_eff)
        assert d_eff[-1] < 2e-4
        if detuning == "proportional":
            assert min(d_crf) > 0.3 and abs(d_crf[-1] / d_crf[-2] - 1) < 0.01, d_crf
        else:
            assert abs(fitted_order(gammas, d_crf) - 1) < 0.02, d_crf
            assert d_eff[-1] < d_crf[-1] / 20, (d_eff, d_crf)


def test_gain_loss_dimer_exchange_cavity_converges_seed002():
    """Seed 002 eqs. (11)-(13): the lossy modes c_a, c_b eliminated, the detuned mode c kept
    (truncated); delta -> infinity at fixed g_(13) = -G_c^2/delta.  The state converges to the
    fully eliminated model with order 1.  Eq. (13) as printed (Stark terms and the collective
    decay through c dropped, i.e. gain_loss_dimer with g = 2S g_(13), Gamma = 2S Gamma_(13))
    is also the limit for S = 1/2, where -G_c^2/delta S^+S^- = -G_c^2/delta (S_z + 1/2) is a
    shift along the conserved S_a^z + S_b^z, but not for S = 1: the dropped
    -(G_c^2/delta)(S_a^z)^2 + ... terms leave a finite distance."""
    full, dimer = an.models.gain_loss_dimer_cavity(), an.models.gain_loss_dimer()
    part = eliminate(full, ["ca", "cb"])
    eff = eliminate(part, "c")
    assert [s.name for s in part.subsystems] == ["a", "b", "c"]
    g13, Gamma13, gamma = -1.0, 0.3, 1.0
    deltas = np.array([40.0, 80.0, 160.0, 320.0])
    for S in (0.5, 1):
        paper = nu.steady_state(dimer, {"g": 2 * S * g13, "Gamma_g": 2 * S * Gamma13,
                                        "Gamma_l": 2 * S * Gamma13}, S=S).rho
        d_eff, d_paper = [], []
        for d in deltas:
            vals = {"delta": d, "G_c": np.sqrt(-g13 * d), "G": np.sqrt(Gamma13 * gamma / 2), "gamma_c": 0.5,
                    "gamma": gamma, "gamma_L": gamma}
            red = spins_state(nu.steady_state(part, vals, S=S, truncation=12))
            d_eff.append(trace_distance(red, nu.steady_state(eff, vals, S=S).rho))
            d_paper.append(trace_distance(red, paper))
        assert abs(fitted_order(deltas, d_eff) - 1) < 0.02, (S, d_eff)
        if S == 0.5:
            assert abs(fitted_order(deltas, d_paper) - 1) < 0.02, d_paper
        else:
            assert min(d_paper) > 0.06 and d_paper[-1] > 10 * d_eff[-1], (d_paper, d_eff)
