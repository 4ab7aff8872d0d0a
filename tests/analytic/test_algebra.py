"""Operator algebra: commutation relations, canonical order, individual sums, adjoint Lindbladian.

Identities are checked against explicit matrices (numpy) of the same operators, so that the
algebra is not tested against itself.
"""

import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic.algebra import Atoms, Mode, Op, Spin, commutator, individual_sum, scalar


def spin_mats(S):
    m = S - np.arange(int(2 * S) + 1)
    Sp = np.diag(np.sqrt(S * (S + 1) - m[1:] * (m[1:] + 1)), 1)
    return {"p": Sp, "m": Sp.T.copy(), "z": np.diag(m)}


def to_matrix(op: Op, mats) -> np.ndarray:
    dim = next(iter(mats.values())).shape[0]
    out = np.zeros((dim, dim), complex)
    for word, c in op.terms.items():
        M = np.eye(dim)
        for g in word:
            M = M @ mats[g.letter]
        out += complex(c) * M
    return out


def test_su2_commutators():
    s = Spin("", sp.Symbol("S", positive=True))
    assert commutator(s.z, s.plus) == s.plus
    assert commutator(s.z, s.minus) == -s.minus
    assert commutator(s.plus, s.minus) == 2 * s.z
    assert commutator(s.x, s.y) == sp.I * s.z
    assert commutator(s.y, s.z) == sp.I * s.x


def test_boson_commutator_and_order():
    c = Mode("", sp.Symbol("D", positive=True))
    assert commutator(c.a, c.ad) == scalar(1)
    prod = c.a * c.a * c.ad * c.ad  # a a a† a† = a†² a² + 4 a† a + 2
    assert prod == c.ad * c.ad * c.a * c.a + 4 * c.ad * c.a + 2


def exact_spin_mats(S):
    dim = int(2 * S) + 1
    m = [S - i for i in range(dim)]
    Sp = sp.zeros(dim, dim)
    for i in range(1, dim):
        Sp[i - 1, i] = sp.sqrt(S * (S + 1) - m[i] * (m[i] + 1))
    return {"p": Sp, "m": Sp.T, "z": sp.diag(*m)}


@pytest.mark.parametrize("S", [sp.Rational(1, 2), 1, sp.Rational(5, 2)])
def test_long_products_match_matrices(S):
    """Canonical ordering of long random words reproduces the matrix product exactly (no
    recursion limit, unlike SymPy's normal_ordered_form)."""
    s = Spin("", S)
    mats = exact_spin_mats(S)
    rng = np.random.default_rng(1)
    gens = {"p": s.plus, "m": s.minus, "z": s.z}
    for _ in range(5):
        letters = rng.choice(list("pmz"), size=14)
        op = scalar(1)
        M = sp.eye(mats["z"].shape[0])
        for l in letters:
            op = op * gens[l]
            M = M * mats[l]
        A = sp.zeros(*M.shape)
        for word, c in op.terms.items():
            W = sp.eye(M.shape[0])
            for g in word:
                W = W * mats[g.letter]
            A += c * W
        assert sp.simplify(A - M) == sp.zeros(*M.shape)


def test_casimir_value_in_representation():
    S = sp.Rational(3, 2)
    s = Spin("", S)
    cas = s.x * s.x + s.y * s.y + s.z * s.z
    assert np.allclose(to_matrix(cas, spin_mats(1.5)), float(S * (S + 1)) * np.eye(4))


def test_individual_sums_reduce_exactly():
    """sum_i sigma+_i sigma-_i = N/2 + Sz and sum_i sigma-_i Sz sigma+_i = (N/2 - Sz)... checked
    against the explicit N = 3 qubit representation."""
    N = 3
    atoms = Atoms("", sp.Integer(N))
    sm = np.array([[0, 1], [0, 0]], complex)  # basis |0> = down, |1> = up
    sz = np.diag([-0.5, 0.5])

    def site(op, i):
        return np.kron(np.kron(np.eye(2**i), op), np.eye(2 ** (N - i - 1)))

    coll = {"m": sum(site(sm, i) for i in range(N)), "p": sum(site(sm.T, i) for i in range(N)),
            "z": sum(site(sz, i) for i in range(N))}
    rng = np.random.default_rng(3)
    for _ in range(4):
        letters = rng.choice(list("pmz"), size=3)
        word = scalar(1)
        W = np.eye(2**N)
        for l in letters:
            word = word * Op.gen(an.algebra.Gen(atoms, l))
            W = W @ coll[l]
        x = sp.Matrix(rng.integers(-2, 3, size=(2, 2)))
        y = sp.Matrix(rng.integers(-2, 3, size=(2, 2)))
        reduced = individual_sum(x, word, y, atoms)
        X, Y = np.array(x, dtype=complex), np.array(y, dtype=complex)
        explicit = sum(site(X, i) @ W @ site(Y, i) for i in range(N))
        assert np.allclose(to_matrix(reduced, coll) if reduced.terms else 0, explicit)


def test_adjoint_lindbladian_crf():
    """L^dagger(Sz) for H = omega Sx, rate r on D[S-]: omega Sy - r S+S-."""
    m = an.models.crf()
    s = m.subsystems[0]
    omega, kappa, S = m.symbol("omega"), m.symbol("kappa"), m.symbol("S")
    assert m.adjoint(s.z) == omega * s.y - (2 * kappa / S) * s.plus * s.minus


def test_operator_parser_is_safe_and_correct():
    m = an.models.open_dicke()
    s, c = m.subsystems
    assert m.operator("Sx*Sx + ad*a") == s.x * s.x + c.ad * c.a
    assert m.operator("2*Sp**2 - Sm/2") == 2 * s.plus * s.plus - s.minus / 2
    for bad in ("__import__('os').system('true')", "Sx.__class__", "Sq*Sx", "Sx**-1", "lambda: 1", "Sx/Sz"):
        with pytest.raises(an.ModelError):
            m.operator(bad)
