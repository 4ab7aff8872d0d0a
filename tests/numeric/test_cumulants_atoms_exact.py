"""Representative-atom cumulant equations: the unclosed hierarchy holds exactly in independent N-atom numerics (QuTiP)."""
from __future__ import annotations

import pytest
import qutip
import sympy as sp

import analytic as an
from analytic import cumulants as cu
from qutip_atoms import embed, full_space, local


def _exact_steady_state(model, values: dict, n: int) -> qutip.Qobj:
    """The N-atom steady state built from individual operators (no permutation symmetry)."""
    H, c_ops, _ = full_space(model, values, n)
    return qutip.steadystate(H, c_ops)


def _representative_moment(rho: qutip.Qobj, word: tuple, n: int, d: int) -> complex:
    """<b_1 (atom 1) b_2 (atom 2) ...> for the letters of a word on distinct atoms."""
    ops = {i: local(g.sub, g.letter) for i, g in enumerate(word)}
    return complex((rho * embed(ops, n, d)).tr())


@pytest.mark.parametrize("order, n", [(2, 3), (3, 4)])
def test_driven_atoms_hierarchy_holds_in_the_exact_state(order, n) -> None:
    """Seed 004 model, N = 3 and 4 atoms: sum_v c_v <v> = 0 for every exact (unclosed) equation, with the
    moments of distinct atoms computed in the full 2^N space; and the closed order-k equations are not
    solved by it (the closure is an approximation)."""
    model = an.models.driven_dicke()
    values = {"Omega": 0.9, "gamma_c": 1.3, "gamma_s": 0.7}
    rho = _exact_steady_state(model, values, n)
    eqs = cu.equations(model, order)
    sym = {model.symbol(k): v for k, v in values.items()} | {model.subsystems[0].N: n}
    worst = 0.0
    for name in eqs:
        total = 0j
        for v, c in eqs.exact[name].items():
            total += complex(sp.sympify(c).subs(sym)) * (_representative_moment(rho, v, n, 2) if v else 1)
        worst = max(worst, abs(total))
    assert worst < 1e-9, worst
    moments = {eqs.symbols[k]: _representative_moment(rho, w, n, 2) / complex(eqs.scales[k]) for k, w in eqs.words.items()}
    closed = max(abs(complex(eqs[k].subs(sym).subs(moments))) for k in eqs)
    assert closed > 1e-6


def test_qutrit_hierarchy_holds_in_the_exact_state() -> None:
    """LMG qutrits (d = 3, ladder dissipators), N = 3: the exact order-2 hierarchy of |a><b| letters."""
    model = an.models.lmg(d=3)
    values = {"V": 0.9, "gamma_I": 0.3, "gamma_C": 1.3}
    n = 3
    rho = _exact_steady_state(model, values, n)
    eqs = cu.equations(model, 2)
    sym = {model.symbol(k): v for k, v in values.items()} | {model.subsystems[0].N: n}
    worst = 0.0
    for name in eqs:
        total = sum(complex(sp.sympify(c).subs(sym)) * (_representative_moment(rho, v, n, 3) if v else 1)
                    for v, c in eqs.exact[name].items())
        worst = max(worst, abs(total))
    assert worst < 1e-9, worst


def test_product_state_is_exact_at_every_order() -> None:
    """Individual terms only (gamma_c = 0): the exact state is a product, so order 1 and order 2
    representative closures give the exact single-atom and pair moments at N = 4."""
    model = an.models.driven_dicke()
    values = {"Omega": 0.7, "gamma_c": 0, "gamma_s": 1.3}
    n = 4
    rho = _exact_steady_state(model, values, n)
    sym = {model.symbol(k): v for k, v in values.items()} | {model.subsystems[0].N: n}
    for order in (1, 2):
        eqs = cu.equations(model, order)
        moments = {eqs.symbols[k]: _representative_moment(rho, w, n, 2) / complex(eqs.scales[k])
                   for k, w in eqs.words.items()}
        assert max(abs(complex(eqs[k].subs(sym).subs(moments))) for k in eqs) < 1e-10
