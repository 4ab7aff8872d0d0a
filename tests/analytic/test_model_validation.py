"""Bad input raises a clear exception naming the culprit (issue 2, acceptance 5)."""
import pytest
import sympy as sp

import analytic as an
from analytic.algebra import Spin
from analytic.model import Dissipator, Model, ModelError, spin_length


def base(**overrides):
    S = sp.Symbol("S", positive=True)
    w, k = sp.Symbol("omega", positive=True), sp.Symbol("kappa", positive=True)
    s = Spin("", S)
    kw = dict(name="test", parameters={"omega": w, "kappa": k}, subsystems=(s,), hamiltonian=s.x * w,
              dissipators=(Dissipator(s.minus, k / S, "collective", "decay"),))
    kw.update(overrides)
    return Model(**kw), s, w, k, S


def test_valid_model_builds():
    """A valid definition builds, and its adjoint Lindbladian is the textbook one:
    L^dagger(Sz) = i[omega Sx, Sz] + r (S+ Sz S- - {S+S-, Sz}/2) = omega Sy - r S+ S-."""
    m, s, w, k, S = base()
    assert m.parameters == {"omega": w, "kappa": k}
    assert m.adjoint(s.z) == w * s.y - (k / S) * s.plus * s.minus


def test_unknown_parameter_is_named():
    m = an.models.crf()
    with pytest.raises(ModelError, match="'omeg'"):
        m.symbol("omeg")
    _, s, w, k, S = base()
    g = sp.Symbol("g")
    with pytest.raises(ModelError, match="unknown symbols.*'g'"):
        base(hamiltonian=s.x * g)


def test_negative_rate_is_named():
    _, s, w, k, S = base()
    with pytest.raises(ModelError, match="decay.*negative"):
        base(dissipators=(Dissipator(s.minus, -k, "collective", "decay"),))


def test_a_string_rate_is_refused_not_evaluated(capsys):
    """Strings are parsed, never eval'ed: sympify would run the code of a string rate (issue 17)."""
    _, s, w, k, S = base()
    with pytest.raises(ModelError, match="decay.*rate must be a number or a SymPy expression.*not the string"):
        Dissipator(s.minus, "__import__('sys').stdout.write('evaluated')", "collective", "decay")
    with pytest.raises(ModelError, match="not the string 'kappa'"):
        Dissipator(s.minus, "kappa", "collective", "decay")
    assert "evaluated" not in capsys.readouterr().out


def test_non_hermitian_hamiltonian():
    _, s, w, k, S = base()
    with pytest.raises(ModelError, match="not Hermitian"):
        base(hamiltonian=s.plus * w)


def test_foreign_operator():
    _, s, w, k, S = base()
    other = Spin("b", S)
    with pytest.raises(ModelError, match="not in the model"):
        base(hamiltonian=other.x * w)
    with pytest.raises(ModelError, match="no operator 'Sz_b'"):
        an.models.crf().operator("Sz_b")


@pytest.mark.parametrize("S", [0, -1, sp.Rational(1, 3), 1.3])
def test_bad_spin_length(S):
    with pytest.raises(ModelError, match="S must be a positive integer or half-integer"):
        spin_length(S)


def test_unknown_model_and_formula_and_options():
    with pytest.raises(ModelError, match="unknown model 'crff'"):
        an.models.get("crff")
    with pytest.raises(ModelError, match="unknown formula"):
        an.formulas.get("crf.meanfield.nope")
    with pytest.raises(ModelError, match="backend"):
        an.formulas.get("crf.meanfield.sz", backend="torch")
    with pytest.raises(ModelError, match="factorization"):
        an.meanfield.equations(an.models.crf(), factorization="cluster")
    with pytest.raises(ModelError, match="ordering"):
        an.meanfield.equations(an.models.crf(), ordering="weyl")


def test_thermodynamic_limit_refuses_unscaled_rates():
    """driven_dicke's rates are not scaled with N: its mean-field has no N -> oo limit."""
    with pytest.raises(ModelError, match="diverge"):
        an.meanfield.equations(an.models.driven_dicke(), thermodynamic_limit=True)


def test_solver_time_limit_cannot_be_swallowed():
    """The time limit of the symbolic solves (fixed_points, derive --timeout) fires even inside code
    that catches Exception, as SymPy's solvers do (a swallowed alarm once hung the test suite)."""
    import time

    from analytic import meanfield as mf

    t0 = time.time()
    with pytest.raises(an.ModelError, match="too slow"):
        with mf._time_limit(0.2, "too slow"):
            while time.time() - t0 < 10:
                try:
                    sum(range(10 ** 4))
                except Exception:  # noqa: BLE001 - what a library may do
                    pass
    assert time.time() - t0 < 2
