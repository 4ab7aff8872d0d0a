"""analytic.cumulants: order-1 identity with the mean-field engine, the closure, the equation counts."""
from __future__ import annotations

import pytest
import sympy as sp

import analytic as an
from analytic import cumulants as cu
from analytic import meanfield as mf
from analytic.model import ModelError

CATALOGUE = ("crf", "driven_dicke", "lmg", "gain_loss_dimer", "gain_loss_chain", "open_dicke", "pumped_dicke",
             "kerr", "driven_tavis_cummings", "gain_loss_dimer_cavity", "driven_dicke_cavity", "open_dicke_halves")


def _catalogue() -> list:
    names = [n for n in dir(an.models) if not n.startswith("_")]
    out = []
    for n in names:
        f = getattr(an.models, n)
        if not callable(f) or n in ("get", "Model") or not getattr(f, "__module__", "").endswith("models"):
            continue
        try:
            model = f()
        except TypeError:
            continue
        if isinstance(model, an.model.Model):
            out.append(model)
    return out + [an.models.lmg(d=3), an.models.lmg(d=2, levels=True)]


def _time_derivative(model, expr: sp.Expr, eqs_mf: dict) -> sp.Expr:
    """d/dt of an expression in the mean-field variables along the mean-field flow (chain rule)."""
    var = mf.variables(model)
    return sp.expand(sum(sp.diff(expr, var[k]) * eqs_mf[k] for k in var))


@pytest.mark.parametrize("model", _catalogue(), ids=lambda m: f"{m.name}-{m.subsystems[0].__dict__.get('d', '')}")
def test_order_one_is_the_meanfield_engine(model) -> None:
    """Acceptance 1: order 1 = meanfield.equations for every catalogue model, after m_{S+} = sx + i sy,
    m_a = ar + i ai, m_{e_ab} = rho_ba (levels), in its default factorisation (individual for atoms with
    individual terms)."""
    eqs = cu.equations(model, order=1)
    eqs_mf = mf.equations(model)
    point = cu.meanfield_point(model)
    subs = {eqs.symbols[n]: v for n, v in point.items()}
    assert eqs.count == len(eqs_mf)
    for name in eqs:
        assert sp.expand(eqs[name].subs(subs) - _time_derivative(model, point[name], eqs_mf)) == 0, name


def test_catalogue_is_covered() -> None:
    """Every catalogue model derives at order 1 (the test above) and the list is the whole catalogue."""
    assert set(CATALOGUE) <= {m.name for m in _catalogue()}


@pytest.mark.parametrize("name", ["driven_dicke", "lmg"])
def test_collective_factorisation_of_atoms_is_the_collective_meanfield(name) -> None:
    """factorization='collective' on atoms with individual terms: order 1 = the collective mean field."""
    model = an.models.get(name)
    eqs = cu.equations(model, 1, factorization="collective")
    eqs_mf = mf.equations(model, factorization="collective")
    point = {"Sp": "sx + I*sy", "Sz": "sz", "Sm": "sx - I*sy"}
    var = {str(v): v for v in mf.variables(model).values()}
    for n, text in point.items():
        target = sp.sympify(text, locals=var)
        subs = {eqs.symbols[k]: sp.sympify(v, locals=var) for k, v in point.items()}
        assert sp.expand(eqs[n].subs(subs) - _time_derivative(model, target, eqs_mf)) == 0, n


def test_counts_and_names_crf() -> None:
    model = an.models.crf()
    counts = [cu.equations(model, k).count for k in (1, 2, 3)]
    assert counts == [3, 9, 19]                      # C(k+3, 3) - 1 canonical words S+^a Sz^b S-^c
    eqs = cu.equations(model, 2)
    assert list(eqs)[:4] == ["Sp", "Sz", "Sm", "Sp*Sp"]
    S = model.symbol("S")
    assert eqs.scales["Sp*Sm"] == S ** 2


def test_closure_is_the_moment_cumulant_relation() -> None:
    """Order 1 of <ABC> is <A><B><C>; order 2 is the three pair terms minus 2<A><B><C>."""
    model = an.models.crf()
    p, z, m = (an.algebra.Gen(model.subsystems[0], x) for x in "pzm")
    mom = {w: sp.Symbol(cu.word_name(w)) for w in cu.moment_words(model, 2)}
    A, B, C = (mom[(g,)] for g in (p, z, m))
    assert sp.expand(cu.closure((p, z, m), 1, mom) - A * B * C) == 0
    expected = mom[(p, z)] * C + mom[(p, m)] * B + mom[(z, m)] * A - 2 * A * B * C
    assert sp.expand(cu.closure((p, z, m), 2, mom) - expected) == 0


def test_sz_equation_order_two_crf() -> None:
    """d<Sz>/dt is exact at every order: i omega (<S->-<S+>)/2 - 2 kappa <S+S->/S (scaled)."""
    model = an.models.crf()
    eqs = cu.equations(model, 2)
    om, ka = model.symbol("omega"), model.symbol("kappa")
    s = eqs.symbols
    assert sp.expand(eqs["Sz"] - (sp.I * om * (s["Sm"] - s["Sp"]) / 2 - 2 * ka * s["Sp*Sm"])) == 0


def test_counts_representative_atoms() -> None:
    """Qubits: 3 single-atom letters, C(k+2, 2) - 1 words of degree <= k over distinct atoms."""
    model = an.models.driven_dicke()
    assert [cu.equations(model, k).count for k in (1, 2, 3)] == [3, 9, 19]
    eqs = cu.equations(model, 2)
    assert list(eqs)[:4] == ["sp1", "sz1", "sm1", "sp1*sp2"]
    assert eqs.scales["sp1*sm2"] == sp.Rational(1, 4)
    three = cu.equations(an.models.lmg(d=3), 1)        # 8 letters |a><b| without |0><0|
    assert three.count == 8 and three.real_count == 8


def test_refusals_name_the_argument() -> None:
    with pytest.raises(ModelError, match="positive integer"):
        cu.equations(an.models.crf(), 0)
    with pytest.raises(ModelError, match="factorization"):
        cu.equations(an.models.crf(), 1, factorization="pairs")
    with pytest.raises(ModelError, match="translation-invariant"):
        cu.equations(an.models.gain_loss_chain(), 2)
    with pytest.raises(ModelError, match="d-level"):
        cu.equations(an.models.lmg(d=3), 1, factorization="collective")
