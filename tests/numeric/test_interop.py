"""numeric.app.interop.to_qutip: the exported H, c_ops and Liouvillian reproduce the toolkit's own
Liouvillian and steady state through qutip.steadystate (same convention, same column stacking)."""
import numpy as np
import pytest
import qutip

import analytic as an
from numeric import steady_state
from numeric import liouvillian
from numeric.app.interop import to_qutip

CASES = [
    # model, values, sizes
    ("crf", {"omega": 1.4, "kappa": 1.0}, {"S": 10}),
    ("gain_loss_dimer", {"g": 1.0, "Gamma_g": 3.0, "Gamma_l": 1.0}, {"S": 2}),
    ("open_dicke", {"omega_a": 1.0, "omega_c": 1.2, "kappa": 0.8, "g_plus": 0.3, "g_minus": 0.5},
     {"S": 1, "truncation": 12}),
]


@pytest.mark.parametrize("name,values,sizes", CASES, ids=[c[0] for c in CASES])
def test_qutip_steadystate_equals_ours(name, values, sizes):
    model = an.models.get(name)
    q = to_qutip(model, values, **sizes)
    assert q.space == "collective" and q.H.isherm
    # the same superoperator, entry by entry (QuTiP's column stacking = ours)
    ours = liouvillian(model, values, **sizes)
    assert abs(q.liouvillian.data.as_scipy() - ours).max() < 1e-12
    rho_q = qutip.steadystate(q.H, q.c_ops)
    st = steady_state(model, values, **sizes)
    assert np.abs(rho_q.full() - st.rho).max() < 1e-8
    # and a non-trivial state: an observable away from its value in the trivial states
    sz = qutip.expect(q.op("Sz" if name != "gain_loss_dimer" else "Sz_a"), rho_q)
    assert abs(sz - st.expect("Sz" if name != "gain_loss_dimer" else "Sz_a").real) < 1e-8
    assert abs(abs(sz) - sizes["S"]) > 1e-3


def test_individual_decay_in_the_full_product_space_matches_the_permutational_solver():
    """driven_dicke (seed 004 eq. 1) at N = 4: 2^4-dimensional export with 4 individual collapse
    operators; qutip's steady state has the moments of our permutation-invariant solution."""
    model = an.models.driven_dicke()
    values = {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.3}
    q = to_qutip(model, values, N=4)
    assert q.space == "full product space" and q.H.dims == [[2] * 4, [2] * 4] and len(q.c_ops) == 5
    rho = qutip.steadystate(q.H, q.c_ops)
    st = steady_state(model, values, N=4)
    for op in ("Sz", "Sz*Sz", "Sp*Sm", "Sx*Sx"):
        assert abs(qutip.expect(q.op(op), rho) - complex(st.expect(op)).real) < 1e-8, op
    # individual decay breaks the permutation-symmetric (j = N/2) sector: the Casimir drops below j(j+1)
    J2 = qutip.expect(q.op("Sx*Sx + Sy*Sy + Sz*Sz"), rho)
    assert J2 < 2 * 3 - 0.05 and abs(J2 - complex(st.casimir()).real) < 1e-8


def test_bad_input_is_named():
    with pytest.raises(an.ModelError, match="N="):
        to_qutip(an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.3}, N=0)
    with pytest.raises(an.ModelError, match="excludes S="):
        to_qutip(an.models.driven_dicke(), {"Omega": 1.0, "gamma_c": 1.0, "gamma_s": 0.3}, N=3, S=1)
    with pytest.raises(an.ModelError, match="Atoms"):
        to_qutip(an.models.crf(), {"omega": 1.0, "kappa": 1.0}, N=3)
    with pytest.raises(an.ModelError, match="kappa"):
        to_qutip(an.models.crf(), {"omega": 1.0}, S=2)
