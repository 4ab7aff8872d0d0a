"""d-level atoms (qudits): su(d) collective generators, the qudit LMG model of seed 001 and its
mean-field theory derived by the engine, against the equations printed in seed 001.

Seed 001 labels levels m = -j..j; the toolkit labels them a = m + j = 0..d-1 (a = 0 is the
lowest level, as |0> = down for qubits).  Seed 001 eq. (3) uses our Lindblad convention.
"""
import itertools

import numpy as np
import pytest
import sympy as sp

import analytic as an
from analytic import meanfield as mf
from analytic.algebra import Atoms, Op, Spin, commutator, individual_sum
from analytic.model import Dissipator, Model, ModelError

N = sp.Symbol("N", positive=True)


# ----------------------------------------------------------------------------- explicit matrices
def explicit(op: Op, atoms: Atoms, n_atoms: int) -> np.ndarray:
    """The matrix of a collective operator on n_atoms explicit d-level atoms (N -> n_atoms)."""
    d = atoms.d
    dim = d ** n_atoms

    def site(m, i):
        out = np.eye(1)
        for k in range(n_atoms):
            out = np.kron(out, m if k == i else np.eye(d))
        return out

    gens = {g.letter: sum(site(np.array(atoms.local_matrix(g.letter), dtype=float), i) for i in range(n_atoms))
            for g in atoms.generators()}
    out = np.zeros((dim, dim), complex)
    for word, c in op.terms.items():
        M = np.eye(dim)
        for g in word:
            M = M @ gens[g.letter]
        out += complex(sp.N(sp.sympify(c).subs(atoms.N, n_atoms))) * M
    return out


@pytest.mark.parametrize("d", [3, 4])
def test_level_generators_random_words_match_explicit_matrices(d):
    """Canonical ordering of products of E_ab (seed 001 eq. 7) is exact: random words equal the
    product of their matrices on 2 explicit d-level atoms."""
    atoms = Atoms("", N, d)
    rng = np.random.default_rng(d)
    gens = atoms.generators()
    for _ in range(6):
        word = [gens[i] for i in rng.integers(len(gens), size=4)]
        op = Op({tuple(word): 1})
        direct = np.eye(d ** 2)
        for g in word:
            direct = direct @ explicit(Op.gen(g), atoms, 2)
        assert np.max(np.abs(explicit(op, atoms, 2) - direct)) < 1e-12


@pytest.mark.parametrize("d", [2, 3, 5])
def test_collective_spin_is_su2_in_every_d(d):
    """J_pm, J_z built from E_ab (seed 001 eq. 1) close su(2); J^2 = N j (j + 1) on one atom."""
    atoms = Atoms("", N, d, levels=True)
    assert commutator(atoms.plus, atoms.minus) == 2 * atoms.z
    assert commutator(atoms.z, atoms.plus) == atoms.plus
    assert commutator(atoms.x, atoms.y) == sp.I * atoms.z
    J2 = atoms.x * atoms.x + atoms.y * atoms.y + atoms.z * atoms.z
    j = sp.Rational(d - 1, 2)
    assert np.allclose(explicit(J2, atoms, 1), float(j * (j + 1)) * np.eye(d))


def test_commutators_seed001_eqA2():
    """Seed 001 eq. (A2) for S_{x;m,n} = (E_mn + E_nm)/2N, S_{y;m,n} = (E_mn - E_nm)/2iN, all
    index combinations for d = 3 (the printed relations hold as printed)."""
    d = 3
    atoms = Atoms("", N, d)
    Sx = lambda m, n: (atoms.E(m, n) + atoms.E(n, m)) / (2 * N)  # noqa: E731
    Sy = lambda m, n: (atoms.E(m, n) - atoms.E(n, m)) / (2 * sp.I * N)  # noqa: E731
    dl = lambda a, b: int(a == b)  # noqa: E731
    for m, n, o, p in itertools.product(range(d), repeat=4):
        lhs = commutator(Sx(m, n), Sx(o, p)) * (-2 * sp.I * N)
        assert lhs == dl(n, o) * Sy(m, p) + dl(n, p) * Sy(m, o) + dl(m, o) * Sy(n, p) + dl(m, p) * Sy(n, o)
        lhs = commutator(Sy(m, n), Sy(o, p)) * (-2 * sp.I * N)
        assert lhs == -dl(n, o) * Sy(m, p) + dl(n, p) * Sy(m, o) + dl(m, o) * Sy(n, p) - dl(m, p) * Sy(n, o)
        lhs = commutator(Sx(m, n), Sy(o, p)) * (-2 * sp.I * N)
        assert lhs == -dl(n, o) * Sx(m, p) + dl(n, p) * Sx(m, o) - dl(m, o) * Sx(n, p) + dl(m, p) * Sx(n, o)


def test_individual_sums_reduce_exactly_for_qudits():
    """sum_i x_i O y_i (x, y single-atom matrices, O collective) equals the explicit sum on 3
    three-level atoms: the single-atom reductions behind the individual dissipators (seed 001 eq. A7, A8)."""
    d, n_atoms = 3, 3
    atoms = Atoms("", N, d)
    rng = np.random.default_rng(1)
    x = sp.Matrix(d, d, lambda i, k: int(rng.integers(-2, 3)))
    y = sp.Matrix(d, d, lambda i, k: int(rng.integers(-2, 3)))
    O = atoms.E(2, 0) * atoms.E(1, 1) + atoms.E(0, 1) * 3
    got = explicit(individual_sum(x, O, y, atoms), atoms, n_atoms)
    Om = explicit(O, atoms, n_atoms)
    expected = np.zeros_like(Om)
    for i in range(n_atoms):
        def emb(m):
            return np.kron(np.kron(np.eye(d ** i), np.array(m, dtype=float)), np.eye(d ** (n_atoms - i - 1)))
        expected += emb(x) @ Om @ emb(y)
    assert np.max(np.abs(got - expected)) < 1e-12


def test_bad_input_atoms():
    with pytest.raises(ValueError, match="d"):
        Atoms("", N, 1)
    with pytest.raises(ValueError, match="levels"):
        Atoms("", N, 3, levels=False)
    with pytest.raises(ValueError, match="level a"):
        Atoms("", N, 3).E(3, 0)
    with pytest.raises(ValueError, match="letter"):
        Atoms("", N, 3).local_matrix("p")
    with pytest.raises(ValueError, match="unknown single-atom operator"):
        Atoms("", N, 3).local("sm")
    with pytest.raises(ModelError, match="d"):
        an.models.lmg(1)
    with pytest.raises(ModelError, match="dissipator"):
        an.models.lmg(4, "ladders")


# ----------------------------------------------------------------------------- the model
@pytest.mark.parametrize("d", [2, 3, 4, 5])
def test_lmg_qudits_seed001_eq2_to_6(d):
    """H = V/(Nj)(J_x^2 - J_y^2) = V/(2Nj)(J_+^2 + J_-^2) (eq. 2); L = j_- (eq. 5) or
    sqrt(2j) sum |m><m+1| (eq. 6), both with l_{-j} = sqrt(2j); equal for d = 2, 3 only;
    L_C = sum_i L^(i); rates gamma_I/j and gamma_C/(Nj) (eq. 3)."""
    ladder, uniform = an.models.lmg(d, "ladder", levels=True), an.models.lmg(d, "uniform", levels=True)
    atoms = ladder.subsystems[0]
    V, gI, gC = (ladder.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    j = sp.Rational(d - 1, 2)
    assert ladder.hamiltonian == (atoms.plus * atoms.plus + atoms.minus * atoms.minus) * (V / (2 * N * j))
    L_ladder, L_uniform = ladder.dissipators[0].jump.matrix, uniform.dissipators[0].jump.matrix
    assert L_ladder[0, 1] == L_uniform[0, 1] == sp.sqrt(2 * j)
    assert (L_ladder == L_uniform) == (d <= 3)
    assert [dd.rate for dd in ladder.dissipators] == [gI / j, gC / (N * j)]
    for model in (ladder, uniform):
        ind, col = model.dissipators
        assert col.jump == model.subsystems[0].collective(ind.jump.matrix)
        assert np.allclose(explicit(col.jump, atoms, 2),
                           sum(np.kron(*(np.array(ind.jump.matrix, dtype=float) if k == i else np.eye(d)
                                         for k in range(2))) for i in range(2)))


# ----------------------------------------------------------------------------- qubits from the qudit path
def _time_derivative(expr, eqs, var):
    return sp.expand(sum(sp.diff(expr, v) * eqs[k] for k, v in var.items()))


def _bloch_state(X, Y, Z):
    """Single-qubit density matrix in the level basis (|0> = down) with <sigma> = (X, Y, Z)."""
    sx = sp.Matrix([[0, 1], [1, 0]])
    sy = sp.Matrix([[0, sp.I], [-sp.I, 0]])
    sz = sp.diag(-1, 1)
    return (sp.eye(2) + X * sx + Y * sy + Z * sz) / 2


@pytest.mark.parametrize("factorization", ["individual", "collective"])
def test_qudit_path_at_d2_reproduces_seed001_eq10(factorization):
    """Acceptance 1: the d-level code path (E_ab generators, density-matrix variables) at d = 2
    gives seed 001 eq. (10) for X = <J_x>/Nj = 2<S_{x;1/2,-1/2}>, Y, Z."""
    m = an.models.lmg(2, levels=True)
    V, gI, gC = (m.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    var = mf.variables(m)
    assert list(var) == ["Sx_1_1", "Sx_1_0", "Sy_1_0"]
    eqs = mf.equations(m, factorization=factorization, thermodynamic_limit=True)
    XYZ = mf.scaled_spin(m)
    X, Y, Z = XYZ["X"], XYZ["Y"], XYZ["Z"]
    assert (X, Y, sp.expand(Z)) == (2 * var["Sx_1_0"], 2 * var["Sy_1_0"], 2 * var["Sx_1_1"] - 1)
    dX, dY, dZ = (_time_derivative(q, eqs, var) for q in (X, Y, Z))
    assert sp.expand(dX - (-2 * V * Y * Z - gI * X + gC * X * Z)) == 0
    assert sp.expand(dY - (-2 * V * X * Z - gI * Y + gC * Y * Z)) == 0
    assert sp.expand(dZ - (4 * V * X * Y - 2 * gI * (Z + 1) - gC * (X**2 + Y**2))) == 0


def test_qudit_path_at_d2_broken_points_and_appendixB_eigenvalues():
    """Seed 001 below eq. (10): X = sgn(V)Y = sqrt(gamma_I(2|V| - gamma_I - gamma_C))/(2|V| - gamma_C),
    Z = -gamma_I/(2|V| - gamma_C) are fixed points of the d = 2 level equations, with the
    Appendix B eigenvalues -4|V|gamma_I/(2|V| - gamma_C), -gamma_I +- sqrt(gamma_I(5 gamma_I + 4 gamma_C - 8|V|))."""
    m = an.models.lmg(2, levels=True)
    V, gI, gC = (m.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    eqs = mf.equations(m, thermodynamic_limit=True)
    for vals in ({V: 1, gI: sp.Rational(1, 2), gC: sp.Rational(1, 2)}, {V: -1, gI: sp.Rational(3, 10), gC: 1},
                 {V: 1, gI: sp.Rational(1, 5), gC: sp.Rational(3, 10)}):
        aV = abs(vals[V])
        X = sp.sqrt(vals[gI] * (2 * aV - vals[gI] - vals[gC])) / (2 * aV - vals[gC])
        Z = -vals[gI] / (2 * aV - vals[gC])
        point = mf.state_point(m, _bloch_state(X, sp.sign(vals[V]) * X, Z))
        assert all(sp.simplify(e.subs(vals).subs({mf.variables(m)[k]: v for k, v in point.items()})) == 0
                   for e in eqs.values())
        J = mf.jacobian(m, point, eqs).subs(vals)
        printed = [-4 * aV * vals[gI] / (2 * aV - vals[gC])] + [
            -vals[gI] + s * sp.sqrt(vals[gI] * (5 * vals[gI] + 4 * vals[gC] - 8 * aV)) for s in (1, -1)]
        got = sorted((complex(sp.N(e)) for e in J.eigenvals(multiple=True)), key=lambda z: (z.real, z.imag))
        want = sorted((complex(sp.N(e)) for e in printed), key=lambda z: (z.real, z.imag))
        assert np.allclose(got, want, atol=1e-12)
        assert mf.stability(m, point, vals, eqs=eqs).kind == "stable"


def test_qudit_path_at_d2_collective_only_seed001_eq11():
    """Seed 001 eq. (11), gamma_I = 0: the four points with Z = 0 are fixed points on the pure-state
    sphere (the engine finds the purity Tr(rho^2) conserved); the tangent eigenvalues are
    +-sqrt(2 gamma_C^2 - 8 V^2) as printed in Appendix B (purely imaginary: centres)."""
    m = an.models.lmg(2, levels=True)
    V, gI, gC = (m.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    eqs = {k: e.subs(gI, 0) for k, e in mf.equations(m, thermodynamic_limit=True).items()}
    var = mf.variables(m)
    rho = mf.single_atom_state(m.subsystems[0], var)
    assert [sp.expand(c) for c in mf.conserved_quantities(m, eqs)] == [sp.expand((rho * rho).trace())]
    vals = {V: 1, gC: sp.Rational(6, 5)}
    r = sp.sqrt(1 - (vals[gC] / (2 * vals[V])) ** 2)
    for s, sign in itertools.product((1, -1), (1, -1)):
        X = sign * sp.sqrt(sp.Rational(1, 2) + s * r / 2)
        Y = sign * sp.sign(vals[V]) * sp.sqrt(sp.Rational(1, 2) - s * r / 2)
        point = mf.state_point(m, _bloch_state(X, Y, 0))
        assert all(abs(complex(sp.N(e.subs(vals).subs({var[k]: v for k, v in point.items()})))) < 1e-14
                   for e in eqs.values())
        ev = mf.eigenvalues(m, point, vals, eqs=eqs)
        expected = complex(sp.sqrt(2 * vals[gC] ** 2 - 8 * vals[V] ** 2))
        assert np.allclose(sorted(ev, key=lambda z: z.imag), [-expected, expected], atol=1e-12)
        assert mf.stability(m, point, vals, eqs=eqs).kind == "centre"


# ----------------------------------------------------------------------------- polarized point, App. B
def _ell(model, d):
    """l_m of the single-atom jump L = sum_m l_m |m><m+1|, indexed by level a = m + j (l_{-1} = l_{d-1} = 0)."""
    L = model.dissipators[0].jump.matrix
    return lambda a: L[a, a + 1] if 0 <= a < d - 1 else 0


def _printed_B1(model, d):
    """Seed 001 eq. (B1) (the Jacobian at the polarized point, S_{x;-j,-j} eliminated), in levels a = m + j."""
    V, gI, gC = (model.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    j = sp.Rational(d - 1, 2)
    ell = _ell(model, d)
    A = lambda a: model.subsystems[0].spin_matrix("p")[a + 1, a] if a < d - 1 else 0  # noqa: E731  A_{j,m}
    dl = lambda a, b: int(a == b)  # noqa: E731
    names = mf.variables(model)

    def entry(row, col):
        (ra, rm, rn), (ca, co, cp) = row, col
        coll = dl(co, cp + 1) * dl(rm, 1) * dl(rn, 0)
        shift = dl(rm + 1, co) * dl(rn + 1, cp)
        diag = dl(rm, co) * dl(rn, cp)
        re_ = lambda a, b: sp.re(sp.conjugate(ell(a)) * ell(b))  # noqa: E731
        im_ = lambda a, b: sp.im(sp.conjugate(ell(a)) * ell(b))  # noqa: E731
        if ra == ca:
            return (-gC / (2 * j) * re_(0, cp) * coll
                    + gI / j * (re_(rm, rn) * shift - (abs(ell(rm - 1)) ** 2 + abs(ell(rn - 1)) ** 2) / 2 * diag))
        sign = 1 if ra == "x" else -1
        return ((V * A(cp) * A(0) / j - sign * gC / (2 * j) * im_(0, cp)) * coll - sign * gI / j * im_(rm, rn) * shift)

    labels = [(k[1], int(k.split("_")[1]), int(k.split("_")[2])) for k in names]
    return sp.Matrix(len(labels), len(labels), lambda r, c: entry(labels[r], labels[c]))


def _printed_A8(model, d):
    """Seed 001 eq. (A8) divided by 2j: the coefficient of gamma_I in d<S_{alpha;m,n}>/dt."""
    j = sp.Rational(d - 1, 2)
    ell = _ell(model, d)
    var = mf.variables(model)
    rho = mf.single_atom_state(model.subsystems[0], var)
    S = lambda al, a, b: (sp.re(rho[b, a]) if al == "x" else sp.im(rho[b, a])) if max(a, b) < d else 0  # noqa: E731
    out = {}
    for name in var:
        al, a, b = name[1], int(name.split("_")[1]), int(name.split("_")[2])
        re_, im_ = sp.re(sp.conjugate(ell(a)) * ell(b)), sp.im(sp.conjugate(ell(a)) * ell(b))
        other = "y" if al == "x" else "x"
        sign = -1 if al == "x" else 1
        out[name] = 2 * (re_ * S(al, a + 1, b + 1) + sign * im_ * S(other, a + 1, b + 1)
                         - (abs(ell(b - 1)) ** 2 + abs(ell(a - 1)) ** 2) / 2 * S(al, a, b)) / (2 * j)
    return out


def _printed_eigenvalues(model, d):
    """Seed 001 App. B: the (B2) pair, the doubly degenerate and the nondegenerate diagonal entries."""
    V, gI, gC = (model.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    j = sp.Rational(d - 1, 2)
    ell = _ell(model, d)
    out = [-abs(ell(0)) ** 2 * (gI + gC) / (2 * j) + s * 2 * V for s in (1, -1)]
    for m in range(2, d):
        for n in range(m):
            out += 2 * [-gI * (abs(ell(m - 1)) ** 2 + abs(ell(n - 1)) ** 2) / (2 * j)]
    out += [-gI * abs(ell(m - 1)) ** 2 / j for m in range(1, d)]
    return out


@pytest.mark.parametrize("d,dissipator", [(3, "ladder"), (4, "ladder"), (4, "uniform")])
def test_polarized_point_seed001_eq12_B1_B2(d, dissipator):
    """The individual-dissipation terms are (A8); the polarized state (eq. 12) is a fixed point
    for all parameters; the engine's Jacobian there
    equals (B1) entry by entry, and its d^2 - 1 eigenvalues are the printed (B2) pair
    -(gamma_I + gamma_C) +- 2V plus the diagonal entries.  Stability iff gamma_I + gamma_C > 2|V|."""
    m = an.models.lmg(d, dissipator)
    eqs = mf.equations(m, factorization="collective", thermodynamic_limit=True)
    polar = mf.state_point(m, sp.diag(1, *[0] * (d - 1)))
    assert all(v == 0 for v in polar.values()) and len(polar) == d * d - 1
    var = mf.variables(m)
    assert all(sp.expand(e.subs({var[k]: v for k, v in polar.items()})) == 0 for e in eqs.values())
    # the individual-dissipation part is linear and is (A8) times gamma_I/(2j) (from eq. A1)
    gI = m.symbol("gamma_I")
    printed_A8 = _printed_A8(m, d)
    assert all(sp.expand(sp.diff(eqs[k], gI) - printed_A8[k]) == 0 for k in eqs)
    J = mf.jacobian(m, polar, eqs)
    assert sp.expand(J - _printed_B1(m, d)) == sp.zeros(*J.shape)
    ev = mf.block_eigenvalues(J)
    assert sorted(map(sp.expand, ev), key=str) == sorted(map(sp.expand, _printed_eigenvalues(m, d)), key=str)
    V, gI, gC = (m.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    for vals, kind in (({V: 1, gI: 1.5, gC: 0.7}, "stable"), ({V: -1, gI: 1.5, gC: 0.6}, "stable"),
                       ({V: 1, gI: 1.5, gC: 0.3}, "unstable")):
        top = max(complex(e.subs(vals)).real for e in ev)
        assert (top < 0) == (kind == "stable")


def test_individual_factorisation_has_the_same_thermodynamic_limit():
    """Product-state (individual-atom) and collective factorisations agree as N -> oo (d = 3),
    and the finite-N product-state equations keep 1/N terms."""
    m = an.models.lmg(3, "ladder")
    a = mf.equations(m, factorization="individual", thermodynamic_limit=True)
    b = mf.equations(m, factorization="collective", thermodynamic_limit=True)
    assert all(sp.expand(a[k] - b[k]) == 0 for k in a)
    assert any(e.has(m.symbol("N")) for e in mf.equations(m, factorization="individual").values())


def test_collective_only_fixed_points_and_B4():
    """gamma_I = 0: every point with vanishing nearest-neighbour coherences <S_{x,y;m+1,m}> is a
    fixed point (seed 001 App. B).  At a diagonal state whose populations differ only across the
    pair (m0, m0 + 1), the Jacobian has the two nonzero eigenvalues (B4),
    S_m0/(2j) (|l_m0|^2 gamma_C +- 2 A_{j,m0}^2 |V|), S_m0 = p_{m0+1} - p_m0."""
    d = 4
    m = an.models.lmg(d, "uniform")
    V, gI, gC = (m.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    eqs = {k: e.subs(gI, 0) for k, e in mf.equations(m, factorization="collective", thermodynamic_limit=True).items()}
    var = mf.variables(m)
    nn = {v: 0 for k, v in var.items() if k[:2] in ("Sx", "Sy") and int(k.split("_")[1]) == int(k.split("_")[2]) + 1}
    assert all(sp.expand(e.subs(nn)) == 0 for e in eqs.values())
    j = sp.Rational(d - 1, 2)
    ell = _ell(m, d)
    for m0, (low, high) in ((1, (sp.Rational(1, 3), sp.Rational(1, 6))), (0, (sp.Rational(2, 5), sp.Rational(1, 5))),
                            (2, (sp.Rational(1, 5), sp.Rational(2, 5)))):
        pops = [low if a <= m0 else high for a in range(d)]
        assert sum(pops) == 1
        point = mf.state_point(m, sp.diag(*pops))
        S = pops[m0 + 1] - pops[m0]
        A2 = m.subsystems[0].spin_matrix("p")[m0 + 1, m0] ** 2
        ev = [e for e in mf.block_eigenvalues(mf.jacobian(m, point, eqs).subs(V, 1)) if e != 0]
        printed = [S / (2 * j) * (ell(m0) ** 2 * gC + s * 2 * A2) for s in (1, -1)]
        assert sorted(map(sp.expand, ev), key=str) == sorted(map(sp.expand, printed), key=str)


# ----------------------------------------------------------------------------- large-j limit
def _large_j_model(n_spins: int) -> Model:
    """n_spins spins of length j (seed 001 Sec. III C): H = V/(nj)(J_x^2 - J_y^2), (gamma_I/j) D[j_-^(i)]
    on each spin, (gamma_C/(nj)) D[J_-] -- the model of eq. (3) with N = n_spins particles."""
    j = sp.Symbol("j", positive=True)
    V = sp.Symbol("V", real=True)
    gI, gC = sp.symbols("gamma_I gamma_C", positive=True)
    spins = [Spin(str(i), j) for i in range(1, n_spins + 1)]
    Jp = sum((s.plus for s in spins[1:]), spins[0].plus)
    Jm = Jp.dagger()
    H = (Jp * Jp + Jm * Jm) * (V / (2 * n_spins * j))
    diss = [Dissipator(s.minus, gI / j, "collective", f"decay {s.name}") for s in spins]
    diss.append(Dissipator(Jm, gC / (n_spins * j), "collective", "collective decay"))
    return Model("lmg_large_j", {"V": V, "gamma_I": gI, "gamma_C": gC}, spins, H, diss,
                 source="Seed 001 Sec. III C (N spins, j -> oo)")


def test_large_j_limit_seed001_eq13_eq14():
    """j -> oo at finite N (here N = 2): the engine gives eq. (13); on the synchronised manifold
    x^(1) = x^(2) etc. it reduces to eq. (14), which is eq. (10) with gamma_I -> 0 and
    gamma_C -> gamma_I + gamma_C (derived from lmg(2) by the same engine)."""
    n = 2
    m = _large_j_model(n)
    V, gI, gC = (m.symbol(k) for k in ("V", "gamma_I", "gamma_C"))
    eqs = mf.equations(m, thermodynamic_limit=True)
    v = mf.variables(m)
    x = {i: v[f"sx_{i}"] for i in (1, 2)}
    y = {i: v[f"sy_{i}"] for i in (1, 2)}
    z = {i: v[f"sz_{i}"] for i in (1, 2)}
    X, Y = sum(x.values()), sum(y.values())
    for i in (1, 2):
        assert sp.expand(eqs[f"sx_{i}"] - (-2 * V / n * Y * z[i] + gI * x[i] * z[i] + gC / n * X * z[i])) == 0
        assert sp.expand(eqs[f"sy_{i}"] - (-2 * V / n * X * z[i] + gI * y[i] * z[i] + gC / n * Y * z[i])) == 0
        printed_z = (2 * V / n * sum(x[k] * y[i] + y[k] * x[i] for k in (1, 2)) - gI * (x[i] ** 2 + y[i] ** 2)
                     - gC / n * sum(x[k] * x[i] + y[k] * y[i] for k in (1, 2)))
        assert sp.expand(eqs[f"sz_{i}"] - printed_z) == 0
    # single-particle spin lengths are conserved (eq. 13: (j+1)/j -> 1)
    assert len(mf.conserved_quantities(m, eqs)) == n
    # eq. (14) on the synchronised manifold
    q = sp.symbols("x y z", real=True)
    sync = {s: q[0] for s in x.values()} | {s: q[1] for s in y.values()} | {s: q[2] for s in z.values()}
    qubit = an.models.lmg()
    qeqs = mf.equations(qubit, thermodynamic_limit=True)
    qv = mf.variables(qubit)
    rename = {qv["sx"]: q[0], qv["sy"]: q[1], qv["sz"]: q[2], qubit.symbol("gamma_I"): 0,
              qubit.symbol("gamma_C"): gI + gC, qubit.symbol("V"): V}
    for comp in ("sx", "sy", "sz"):
        assert sp.expand(eqs[f"{comp}_1"].subs(sync) - qeqs[comp].subs(rename, simultaneous=True)) == 0


# ----------------------------------------------------------------------------- helpers
def test_state_point_and_scaled_spin_round_trip():
    """state_point inverts single_atom_state; scaled_spin gives <J>/(Nj) of the single-atom state."""
    d = 3
    m = an.models.lmg(d)
    atoms = m.subsystems[0]
    rho = sp.Matrix([[sp.Rational(1, 2), sp.Rational(1, 10) + sp.I / 5, 0],
                     [sp.Rational(1, 10) - sp.I / 5, sp.Rational(1, 3), sp.I / 7],
                     [0, -sp.I / 7, sp.Rational(1, 6)]])
    point = mf.state_point(m, rho)
    var = mf.variables(m)
    sub = {var[k]: v for k, v in point.items()}
    assert sp.simplify(mf.single_atom_state(atoms, var).subs(sub) - rho) == sp.zeros(d, d)
    jp = atoms.spin_matrix("p")
    jx = (jp + jp.T) / 2
    assert sp.simplify(mf.scaled_spin(m)["X"].subs(sub) - (jx * rho).trace() / atoms.j) == 0
    with pytest.raises(ModelError, match="rho must be 3x3"):
        mf.state_point(m, sp.eye(2))
    with pytest.raises(ModelError, match="unit trace"):
        mf.state_point(m, sp.eye(3))
    with pytest.raises(ModelError, match="no d-level ensemble"):
        mf.scaled_spin(m, "b")
