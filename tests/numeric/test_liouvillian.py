"""Liouvillians against QuTiP's, built independently from qutip.jmat / qutip.destroy with the
models as written in the seed papers (rates mapped to QuTiP's convention: c_op = sqrt(rate) L)."""
import warnings

import numpy as np
import pytest

import analytic as an
from analytic.model import ModelError
from numeric.core.liouvillian import liouvillian, real_form, setup, sign_symmetries, u1_charges

warnings.filterwarnings("ignore", message="matplotlib not found")
qutip = pytest.importorskip("qutip")


def _deviation(L, Lq) -> float:
    """max |L - L_qutip| relative to max(1, max |L_qutip|); inf when the shapes differ."""
    A = L.toarray()
    B = Lq.full()
    if A.shape != B.shape:
        return float("inf")
    return float(np.max(np.abs(A - B)) / max(1.0, np.max(np.abs(B))))


@pytest.mark.parametrize("S", [0.5, 1, 2.5, 4])
def test_crf_matches_qutip(S):
    # seed 000 eq. (10): H = omega Sx, (kappa/S)(2 S- rho S+ - ...) -> QuTiP rate 2 kappa / S
    omega, kappa = 1.3, 0.7
    L = liouvillian(an.models.crf(), {"omega": omega, "kappa": kappa}, S=S)
    H = omega * qutip.jmat(S, "x")
    c = np.sqrt(2 * kappa / S) * qutip.jmat(S, "-")
    assert _deviation(L, qutip.liouvillian(H, [c])) < 1e-12


@pytest.mark.parametrize("S", [0.5, 1, 1.5, 2])
def test_gain_loss_dimer_matches_qutip(S):
    # seed 002 eqs. (1)-(2), one cell: H = g/(2S)(Sa+ Sb- + h.c.), (Gamma/(2S)) D' with D' = 2 x Lindblad
    g, Gg, Gl = 0.9, 0.4, 0.65
    L = liouvillian(an.models.gain_loss_dimer(), {"g": g, "Gamma_g": Gg, "Gamma_l": Gl}, S=S)
    one = qutip.qeye(int(2 * S + 1))
    sp_a, sm_a = qutip.tensor(qutip.jmat(S, "+"), one), qutip.tensor(qutip.jmat(S, "-"), one)
    sp_b, sm_b = qutip.tensor(one, qutip.jmat(S, "+")), qutip.tensor(one, qutip.jmat(S, "-"))
    H = g / (2 * S) * (sp_a * sm_b + sp_b * sm_a)
    cops = [np.sqrt(Gg / S) * sp_a, np.sqrt(Gl / S) * sm_b]
    assert _deviation(L, qutip.liouvillian(H, cops)) < 1e-12


@pytest.mark.parametrize("S,n", [(0.5, 3), (1, 4), (1.5, 5)])
def test_open_dicke_matches_qutip(S, n):
    # seed 003 eqs. (1)-(2): H = wa Sz + wc a+a + (g- S- a+ + g+ S+ a+ + h.c.)/sqrt(2S), kappa(2 a rho a+ - ...)
    wa, wc, kap, gp, gm = 0.8, 1.1, 0.35, 0.45, 0.6
    L = liouvillian(an.models.open_dicke(),
                    {"omega_a": wa, "omega_c": wc, "kappa": kap, "g_plus": gp, "g_minus": gm},
                    S=S, truncation=n)
    d = int(2 * S + 1)
    Sz, Sp, Sm = (qutip.tensor(qutip.jmat(S, k), qutip.qeye(n)) for k in ("z", "+", "-"))
    a = qutip.tensor(qutip.qeye(d), qutip.destroy(n))
    inter = (gm * Sm * a.dag() + gp * Sp * a.dag()) / np.sqrt(2 * S)
    H = wa * Sz + wc * a.dag() * a + inter + inter.dag()
    assert _deviation(L, qutip.liouvillian(H, [np.sqrt(2 * kap) * a])) < 1e-12


@pytest.mark.parametrize("D,n", [(1, 5), (2.5, 8)])
def test_kerr_matches_qutip(D, n):
    # seed 002 eqs. (6)-(7): H = -Delta c+c + (U/D) c+c+cc + sqrt(D) F (c+ + c), gamma D'[c] = 2 gamma x Lindblad
    Delta, U, F, gam = 0.7, -1.2, 0.8, 0.3
    L = liouvillian(an.models.kerr(), {"Delta": Delta, "U": U, "F": F, "gamma": gam}, D=D, truncation=n)
    a = qutip.destroy(n)
    H = -Delta * a.dag() * a + U / D * a.dag() * a.dag() * a * a + np.sqrt(D) * F * (a.dag() + a)
    assert _deviation(L, qutip.liouvillian(H, [np.sqrt(2 * gam) * a])) < 1e-12


def test_liouvillian_is_trace_preserving_and_hermiticity_preserving():
    m = an.models.gain_loss_dimer()
    L = liouvillian(m, {"g": 1.0, "Gamma_g": 0.3, "Gamma_l": 0.8}, S=1.5).toarray()
    d = 16
    tr = np.eye(d).reshape(-1, order="F")
    assert np.max(np.abs(tr @ L)) < 1e-13  # d/dt Tr(rho) = 0
    rng = np.random.default_rng(1)
    X = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = X + X.conj().T
    out = (L @ rho.reshape(-1, order="F")).reshape(d, d, order="F")
    assert np.max(np.abs(out - out.conj().T)) < 1e-12


def test_real_form_represents_liouvillian():
    """A x = P L T x on random Hermitian matrices, in the full real coordinates."""
    m = an.models.open_dicke()
    vals = {"omega_a": 0.8, "omega_c": 1.1, "kappa": 0.35, "g_plus": 0.45, "g_minus": 0.6}
    rep, v = setup(m, vals, S=1, truncation=4)
    L = liouvillian(m, vals, S=1, truncation=4)
    rf = real_form(L, rep, use_symmetries=False)
    assert rf.A.shape == (rep.dim ** 2,) * 2
    rng = np.random.default_rng(2)
    X = rng.normal(size=(rep.dim,) * 2) + 1j * rng.normal(size=(rep.dim,) * 2)
    rho = X + X.conj().T
    out = (L @ rho.reshape(-1, order="F")).reshape(rep.dim, rep.dim, order="F")
    assert np.allclose(rf.A @ rf.from_rho(rho), rf.from_rho(out), atol=1e-12)
    assert np.allclose(rf.to_rho(rf.from_rho(rho)), rho)


def test_symmetries_detected():
    crf = an.models.crf()
    rep, v = setup(crf, {"omega": 1.0, "kappa": 1.0}, S=3)
    rf = real_form(liouvillian(crf, {"omega": 1.0, "kappa": 1.0}, S=3), rep, use_symmetries=False)
    names = [n for n, _ in sign_symmetries(rf.A, rep, rf.i, rf.j, rf.kind)]
    # H = omega Sx is odd under the parity and real; the jump S- is odd: parity x conjugation only
    assert names == ["conj*P0"]
    assert u1_charges(crf) == []
    (c, q), = u1_charges(an.models.gain_loss_dimer())
    assert c.tolist() == [1, 1] and q == [1, -1]  # Sz_a + Sz_b; gain +1, loss -1
    od = an.models.open_dicke()
    assert u1_charges(od) == []  # counter-rotating g_plus term breaks the U(1)
    vals = {od.parameters[k]: x for k, x in {"omega_a": 1, "omega_c": 1, "kappa": 1, "g_plus": 0, "g_minus": 1}.items()}
    (c, q), = u1_charges(od, {**vals, od.symbol("S"): 1})
    assert c.tolist() == [1, 1] and q == [-1]  # Tavis-Cummings: excitation number, cavity loss -1


def test_individual_models_are_refused():
    with pytest.raises(ModelError, match="individual"):
        liouvillian(an.models.driven_dicke(), {"Omega": 1, "gamma_c": 1, "gamma_s": 1}, N=4)


def test_arbitrary_precision_liouvillian():
    import mpmath

    from numeric.solvers.precision import liouvillian_mp

    m = an.models.open_dicke()
    vals = {"omega_a": 0.8, "omega_c": 1.1, "kappa": 0.35, "g_plus": 0.45, "g_minus": 0.6}
    Lf = liouvillian(m, vals, S=0.5, truncation=3).toarray()
    Lm = liouvillian_mp(m, vals, S=0.5, truncation=3, dps=40)
    assert (Lm.rows, Lm.cols) == Lf.shape
    with mpmath.workdps(40):
        diff = max(abs(complex(Lm[i, j]) - Lf[i, j]) for i in range(Lm.rows) for j in range(Lm.cols))
        assert diff < 1e-14
        # trace preservation holds to the working precision (float64 only to ~1e-16)
        d = 6
        tr_rows = [a + a * d for a in range(d)]
        worst = max(abs(mpmath.fsum(Lm[r, c] for r in tr_rows)) for c in range(Lm.cols))
        assert worst < mpmath.mpf("1e-38")
