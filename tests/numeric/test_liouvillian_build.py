"""The fast Liouvillian build (issue 20) against independent dense references written here: the
superoperator from numpy Kronecker products, the parity symmetries from dense similarity
transforms, the real form from dense P and T matrices, the norm from the dense row sums; catalogue
models with one spin, a mode, a spin and a mode, two, three and five subsystems, and
numeric.core.kron.kron_sum on random factors."""
import itertools

import numpy as np
import pytest
import scipy.sparse as sps

import analytic as an
from analytic.model import ModelError
from numeric.core.kron import kron_sum
from numeric.core.liouvillian import (hamiltonian_and_jumps, lindblad_dense, norm_inf, real_form, sector_of_charges,
                                      setup, superop, u1_charges, vec_sign_symmetries)

EPS = np.finfo(float).eps

CASES = [
    ("crf", {"omega": 1.3, "kappa": 0.7}, {"S": 2.5}),
    ("crf", {"omega": 1.3, "kappa": 0.7}, {"S": 3}),
    ("crf", {"omega": 0.0, "kappa": 0.7}, {"S": 2}),  # no Hamiltonian
    ("crf", {"omega": 1.0, "kappa": 0.0}, {"S": 2}),  # no jump
    ("kerr", {"Delta": 0.7, "U": -1.2, "F": 0.8, "gamma": 0.3}, {"D": 2.5, "truncation": 6}),  # a mode
    ("kerr", {"Delta": 0.7, "U": -1.2, "F": 0.0, "gamma": 0.3}, {"D": 2.5, "truncation": 6}),
    ("open_dicke", {"omega_a": 0.8, "omega_c": 1.1, "kappa": 0.35, "g_plus": 0.45, "g_minus": 0.6},
     {"S": 1.5, "truncation": 4}),  # a spin and a mode
    ("open_dicke", {"omega_a": 0.8, "omega_c": 1.1, "kappa": 0.35, "g_plus": 0.0, "g_minus": 0.6},
     {"S": 1, "truncation": 3}),  # with a U(1) charge
    ("gain_loss_dimer", {"g": 0.9, "Gamma_g": 0.4, "Gamma_l": 0.65}, {"S": 1.5}),  # two spins
    ("open_dicke_halves", {"omega_a": 0.8, "omega_c": 1.1, "kappa": 0.35, "g_plus": 0.45, "g_minus": 0.6},
     {"S": 1, "truncation": 3}),  # three subsystems
    ("driven_tavis_cummings", {"G": 0.3, "gamma": 0.4, "nu": 0.2, "omega": 0.7}, {"S": 1, "truncation": 3}),
    ("gain_loss_dimer_cavity", {"G": 0.3, "G_c": 0.2, "delta": 0.1, "gamma": 0.4, "gamma_L": 0.3, "gamma_c": 0.5},
     {"S": 0.5, "truncation": 2}),  # five subsystems
]
IDS = [f"{name}-{'-'.join(f'{k}{v}' for k, v in sizes.items())}-{i}" for i, (name, _, sizes) in enumerate(CASES)]


def _system(name, values, sizes):
    model = an.models.get(name)
    rep, vals = setup(model, values, **sizes)
    H, jumps = hamiltonian_and_jumps(model, rep, vals)
    return model, rep, vals, H, jumps


def _dense_superop(H, jumps) -> np.ndarray:
    """-i(I (x) H - H^T (x) I) + sum_k r_k (conj(L) (x) L - 1/2 I (x) L^+L - 1/2 (L^+L)^T (x) I), dense."""
    H = H.toarray()
    d = H.shape[0]
    eye = np.eye(d)
    out = -1j * (np.kron(eye, H) - np.kron(H.T, eye))
    for r, L in jumps:
        L = L.toarray()
        LL = L.conj().T @ L
        out += r * (np.kron(L.conj(), L) - 0.5 * np.kron(eye, LL) - 0.5 * np.kron(LL.T, eye))
    return out


def _assert_close(sparse, dense, rel, what):
    """Equal entries to ``rel`` times the largest, the same pattern (no stored zeros, nothing
    stored where the reference is below rounding), sorted and without duplicates."""
    scale = max(np.abs(dense).max(), 1.0)
    got = sparse.toarray()
    assert np.abs(got - dense).max() <= rel * scale, what
    assert sparse.nnz == np.count_nonzero(got), f"{what}: stored zeros or duplicates"
    assert np.all(np.abs(dense[got == 0]) <= 8 * EPS * scale), f"{what}: an entry missing"


@pytest.mark.parametrize("name,values,sizes", CASES, ids=IDS)
def test_superop_is_the_dense_kronecker_formula(name, values, sizes):
    _, rep, _, H, jumps = _system(name, values, sizes)
    L = superop(H, jumps)
    assert L.shape == (rep.dim ** 2,) * 2 and L.dtype == complex
    assert sps.csr_matrix((L.data, L.indices, L.indptr), shape=L.shape).has_canonical_format
    _assert_close(L, _dense_superop(H, jumps), 4 * EPS, "superop")


@pytest.mark.parametrize("name,values,sizes", CASES, ids=IDS)
def test_lindblad_dense_is_the_vectorised_liouvillian(name, values, sizes):
    """The operator form on a random Hermitian rho equals the dense Kronecker Liouvillian on vec(rho)
    (column stacking) to rounding, and the former NumPy/SciPy expression of SteadySystem.lindblad."""
    _, rep, _, H, jumps = _system(name, values, sizes)
    d = rep.dim
    rng = np.random.default_rng(11)
    rho = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = rho + rho.conj().T
    K = -1j * H
    for r, L in jumps:
        K = K - 0.5 * r * (L.conj().T @ L)
    K = sps.csr_matrix(K)
    J = [sps.csr_matrix(np.sqrt(r) * L) for r, L in jumps]
    got = lindblad_dense(K, J, rho)
    assert got.shape == (d, d) and got.dtype == complex and got.flags.c_contiguous
    ref = (_dense_superop(H, jumps) @ rho.ravel(order="F")).reshape((d, d), order="F")
    # entrywise bound of the rounding of both: eps times the sums of the moduli of the terms
    aK, ar = abs(K).toarray(), np.abs(rho)
    bound = aK @ ar + ar @ aK.T + sum((abs(Jk).toarray() @ ar @ abs(Jk).toarray().T for Jk in J), np.zeros((d, d)))
    assert np.all(np.abs(got - ref) <= 16 * EPS * bound)
    M = K @ rho
    former = M + M.conj().T
    for Jk in J:
        former = former + Jk @ (Jk @ rho.conj().T).conj().T
    assert np.abs(got - former).max() <= 8 * EPS * np.abs(former).max(initial=1.0)
    assert lindblad_dense(K, J, np.asfortranarray(rho)).tobytes() == got.tobytes()  # any memory order


def _dense_symmetries(Ld: np.ndarray, rep) -> list:
    """(name, anti) of every product U of subsystem parities with D L D = L (rho -> U rho U) or
    D conj(L) D = L (rho -> U conj(rho) U), D = U (x) U, in the order of vec_sign_symmetries."""
    d = rep.dim
    locals_ = [np.arange(k) for k in rep.dims]
    grid = np.stack([g.ravel() for g in np.meshgrid(*locals_, indexing="ij")], axis=1)  # local indices
    tol = 1e-12 * max(np.abs(Ld).max(), 1.0)
    out = []
    for r in range(len(rep.dims) + 1):
        for combo in itertools.combinations(range(len(rep.dims)), r):
            u = np.ones(d)
            for k in combo:
                u = u * (-1.0) ** grid[:, k]
            D = np.kron(u, u)[:, None]
            for anti in (False, True):
                if not combo and not anti:
                    continue
                image = D * (Ld.conj() if anti else Ld) * D.T
                if np.abs(image - Ld).max() <= tol:
                    out.append((("conj" if anti else "") + "".join(f"*P{k}" for k in combo), anti))
    return out


@pytest.mark.parametrize("name,values,sizes", CASES, ids=IDS)
def test_vec_sign_symmetries_are_the_dense_similarity_symmetries(name, values, sizes):
    _, rep, _, H, jumps = _system(name, values, sizes)
    L = superop(H, jumps)
    found = vec_sign_symmetries(L, rep)
    assert [(s, anti) for s, _, anti in found] == _dense_symmetries(L.toarray(), rep)


def _dense_real_form(Ld: np.ndarray, d: int, i, j, kind) -> np.ndarray:
    """P L T with x_k = Re rho_ii, Re rho_ij, Im rho_ij (kind 0, 1, 2) and vec(rho) = T x, dense."""
    n = len(i)
    T = np.zeros((d * d, n), dtype=complex)
    P = np.zeros((n, d * d), dtype=complex)
    for k in range(n):
        a, b = i[k] + j[k] * d, j[k] + i[k] * d
        if kind[k] == 0:
            T[a, k], P[k, a] = 1, 1
        elif kind[k] == 1:
            T[a, k], T[b, k] = 1, 1
            P[k, a], P[k, b] = 0.5, 0.5
        else:
            T[a, k], T[b, k] = 1j, -1j
            P[k, a], P[k, b] = -0.5j, 0.5j
    return P @ Ld @ T


def _sector(model, rep, vals):
    charges = u1_charges(model, vals)
    if not charges:
        return None
    q = sector_of_charges(rep, charges)
    return np.all(q[:, None, :] == q[None, :, :], axis=2)


@pytest.mark.parametrize("name,values,sizes", CASES, ids=IDS)
@pytest.mark.parametrize("use_symmetries", [True, False])
@pytest.mark.parametrize("sector", [False, True])
def test_real_form_is_the_dense_projection(name, values, sizes, use_symmetries, sector):
    model, rep, vals, H, jumps = _system(name, values, sizes)
    d = rep.dim
    L = superop(H, jumps)
    keep = _sector(model, rep, vals) if sector else None
    rf = real_form(L, rep, keep_pairs=keep, use_symmetries=use_symmetries)
    # the coordinates: diagonal, then Re and Im of the upper triangle in column-major order, restricted
    iu, ju = np.triu_indices(d, 1)
    order = np.lexsort((iu, ju))
    i_all = np.concatenate([np.arange(d), iu[order], iu[order]])
    j_all = np.concatenate([np.arange(d), ju[order], ju[order]])
    kind_all = np.repeat([0, 1, 2], [d, len(iu), len(iu)])
    m = np.ones(len(i_all), dtype=bool) if keep is None else keep[i_all, j_all]
    if use_symmetries:
        for _, u, anti in vec_sign_symmetries(L, rep):
            uu = u[i_all] * u[j_all]
            m &= np.where((kind_all == 2) & anti, -uu, uu) > 0
    assert np.array_equal(rf.i, i_all[m]) and np.array_equal(rf.j, j_all[m]) and np.array_equal(rf.kind, kind_all[m])
    Ac = _dense_real_form(L.toarray(), d, rf.i, rf.j, rf.kind)
    assert np.abs(Ac.imag).max(initial=0.0) <= 8 * EPS * max(np.abs(Ac).max(initial=0.0), 1.0)
    assert rf.A.dtype == float and rf.A.shape == Ac.shape
    _assert_close(rf.A, Ac.real, 8 * EPS, "real form")


def _scipy_real_form(L, d, i, j, kind):
    """Re/Im of SciPy's ``L[ij] @ T`` (T: vec(rho) = T x as a complex sparse matrix), zeros dropped: the
    former construction of real_form, in SciPy's order of the entries."""
    n = len(i)
    ij, ji = i + j * d, j + i * d
    k = np.arange(n)
    re, im1 = kind < 2, kind == 1
    rows = np.concatenate([ij[re], ji[im1], ij[kind == 2], ji[kind == 2]])
    cols = np.concatenate([k[re], k[im1], k[kind == 2], k[kind == 2]])
    vals = np.concatenate([np.ones(re.sum() + im1.sum()), np.full((kind == 2).sum(), 1j),
                           np.full((kind == 2).sum(), -1j)])
    T = sps.csr_matrix((vals, (rows, cols)), shape=(d * d, n))
    W = sps.csr_matrix(L)[ij] @ T
    split = int(np.searchsorted(kind, 2))
    data = np.where(np.repeat(np.arange(n), np.diff(W.indptr)) < split, W.data.real, W.data.imag)
    A = sps.csr_matrix((data, W.indices, W.indptr), shape=(n, n))
    A.eliminate_zeros()
    return A


@pytest.mark.parametrize("name,values,sizes", CASES, ids=IDS)
@pytest.mark.parametrize("use_symmetries", [True, False])
def test_real_form_is_scipys_product_bit_for_bit(name, values, sizes, use_symmetries):
    """The compiled real form (:func:`numeric.core.liouvillian._real_rows`) stores the values of SciPy's
    ``L[ij] @ T`` bit for bit, in its order of the entries (so a mean over ``A.data`` is unchanged)."""
    model, rep, vals, H, jumps = _system(name, values, sizes)
    L = superop(H, jumps)
    rf = real_form(L, rep, keep_pairs=_sector(model, rep, vals), use_symmetries=use_symmetries)
    ref = _scipy_real_form(L, rep.dim, rf.i, rf.j, rf.kind)
    assert np.array_equal(rf.A.indptr, ref.indptr) and np.array_equal(rf.A.indices, ref.indices)
    assert np.array_equal(rf.A.data, ref.data)


@pytest.mark.parametrize("use_symmetries", [True, False])
def test_to_rho_is_the_former_sum_of_triangles_bit_for_bit(use_symmetries):
    """RealForm.to_rho writes each coordinate to its two entries: the bytes of the former
    ``diag + triu + triu^H`` construction, signed zeros among the coordinates included, and from_rho
    inverts it."""
    model, rep, vals, H, jumps = _system("crf", {"omega": 1.3, "kappa": 0.7}, {"S": 3})
    rf = real_form(superop(H, jumps), rep, use_symmetries=use_symmetries)
    x = np.random.default_rng(2).normal(size=len(rf.kind))
    x[::5], x[1::7] = 0.0, -0.0
    rho = np.zeros((rf.dim, rf.dim), dtype=complex)
    k0, k1, k2 = rf.kind == 0, rf.kind == 1, rf.kind == 2
    rho[rf.i[k0], rf.i[k0]] = x[k0]
    rho[rf.i[k1], rf.j[k1]] += x[k1]
    rho[rf.i[k2], rf.j[k2]] += 1j * x[k2]
    up = np.triu(rho, 1)
    former = np.diag(np.diag(rho)) + up + up.conj().T
    got = rf.to_rho(x)
    assert got.tobytes() == former.tobytes()
    assert np.array_equal(rf.from_rho(got), x)


def test_real_form_refuses_a_map_that_does_not_preserve_hermiticity():
    model, rep, vals, H, jumps = _system("crf", {"omega": 1.0, "kappa": 0.5}, {"S": 2})
    L = superop(H, jumps)
    bad = (L + 1e-3j * sps.identity(L.shape[0])).tocsr()  # L rho + i eps rho: anti-Hermitian part
    with pytest.raises(ModelError, match="Hermiticity"):
        real_form(bad, rep, use_symmetries=False)
    real_form(L, rep, use_symmetries=False)
    # a change of the rows ji (i < j) only, which the real form never reads: refused by the test on them
    d = rep.dim
    for i, j in ((0, 1), (1, 3)):
        bad = L.tolil()
        bad[j + i * d, j + i * d] += 1e-3
        bad = bad.tocsr()
        with pytest.raises(ModelError, match="Hermiticity"):
            real_form(bad, rep, use_symmetries=False)


def _random_sparse(rng, n, density, duplicates=False):
    M = sps.random(n, n, density=density, random_state=rng, format="coo")
    data = M.data + 1j * rng.normal(size=M.nnz)
    if duplicates and M.nnz:  # a repeated entry and an explicit zero
        return sps.coo_matrix((np.concatenate([data, [data[0], 0.0]]),
                               (np.concatenate([M.row, [M.row[0], M.row[-1]]]),
                                np.concatenate([M.col, [M.col[0], M.col[-1]]]))), shape=(n, n))
    return sps.coo_matrix((data, (M.row, M.col)), shape=(n, n))


@pytest.mark.parametrize("seed", range(6))
def test_kron_sum_is_the_sum_of_kronecker_products(seed):
    """Random outer and inner patterns (not banded, block rows of one layout not adjacent), duplicate
    entries, explicit zeros, scalar factors and empty terms."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 9))
    terms = []
    for t in range(int(rng.integers(1, 5))):
        C = _random_sparse(rng, n, float(rng.uniform(0.1, 0.6)), duplicates=t == 1)
        X = _random_sparse(rng, n, float(rng.uniform(0.1, 0.6)), duplicates=t == 2)
        terms.append((C, X, None if t % 2 == 0 else float(rng.uniform(0.5, 2.0))))
    terms.append((sps.identity(n, format="csr"), sps.csr_matrix((n, n)), 2.0))  # an empty term
    ref = sum((np.kron(C.toarray(), X.toarray()) * (1.0 if s is None else s) for C, X, s in terms),
              np.zeros((n * n, n * n), dtype=complex))
    K = kron_sum(terms, n)
    assert K.shape == (n * n, n * n) and K.has_canonical_format
    assert sps.csr_matrix((K.data, K.indices, K.indptr), shape=K.shape).has_canonical_format  # from the arrays
    assert np.abs(K.toarray() - ref).max() <= 8 * EPS * max(np.abs(ref).max(), 1.0)


def test_kron_sum_matches_scipy_kron_bit_for_bit():
    """The sum in the order of the terms, each product as (c * x) * s: scipy's kron and additions."""
    rng = np.random.default_rng(7)
    n = 6
    terms = [(_random_sparse(rng, n, 0.4), _random_sparse(rng, n, 0.5), None),
             (_random_sparse(rng, n, 0.3), _random_sparse(rng, n, 0.3), 0.37),
             (_random_sparse(rng, n, 0.5), _random_sparse(rng, n, 0.2), 1.9)]
    ref = None
    for C, X, s in terms:
        P = sps.kron(C, X, format="csr")
        P = P if s is None else P * s
        ref = P if ref is None else ref + P
    ref = sps.csr_matrix(ref)
    ref.sum_duplicates()
    K = kron_sum(terms, n)
    K.eliminate_zeros()
    ref.eliminate_zeros()
    assert np.array_equal(K.indptr, ref.indptr) and np.array_equal(K.indices, ref.indices)
    assert np.array_equal(K.data, ref.data)


def _entrywise_symmetries(L, rep) -> list:
    """(name, anti) by the rule entry by entry: with s = u_a u_b u_c u_d of entry (a + b d, c + e d),
    U . U commutes when every entry with s = -1 has |L| <= 1e-14 max|L|; U conj(.) U when every
    entry with s = +1 has |Im L| <= tol and every entry with s = -1 has |Re L| <= tol."""
    d = rep.dim
    C = L.tocoo()
    tol = 1e-14 * np.abs(C.data).max()
    grid = np.stack([g.ravel() for g in np.meshgrid(*[np.arange(k) for k in rep.dims], indexing="ij")], axis=1)
    out = []
    for r in range(len(rep.dims) + 1):
        for combo in itertools.combinations(range(len(rep.dims)), r):
            u = np.prod([(-1.0) ** grid[:, k] for k in combo], axis=0) if combo else np.ones(d)
            s = u[C.row % d] * u[C.row // d] * u[C.col % d] * u[C.col // d]
            for anti in (False, True):
                if not combo and not anti:
                    continue
                if anti:
                    ok = all(abs(z.imag) <= tol if sk > 0 else abs(z.real) <= tol for z, sk in zip(C.data, s))
                else:
                    ok = all(sk > 0 or abs(z) <= tol for z, sk in zip(C.data, s))
                if ok:
                    out.append((("conj" if anti else "") + "".join(f"*P{k}" for k in combo), anti))
    return out


@pytest.mark.parametrize("size", [0.5, 0.8, 1.2, 50])
def test_vec_sign_symmetries_at_the_tolerance(size):
    """Entries that break a symmetry, of modulus ``size`` x 1e-14 max|L| with equal real and imaginary
    parts (each below the tolerance when size < sqrt 2): a symmetry survives only below it."""
    _, rep, _, H, jumps = _system("gain_loss_dimer", {"g": 0.9, "Gamma_g": 0.4, "Gamma_l": 0.65}, {"S": 1})
    L = superop(H, jumps).tolil()
    top = abs(L.tocsr()).max()
    z = size * 1e-14 * top * (1 + 1j) / np.sqrt(2)
    L[1, 0] = z  # (a, b) = (1, 0) -> (0, 0): odd in spin a
    L[3 * 9 + 3, 2 * 9 + 5] = z  # breaks nothing new, or P1 and its products
    L = L.tocsr()
    assert [(s, anti) for s, _, anti in vec_sign_symmetries(L, rep)] == _entrywise_symmetries(L, rep)


@pytest.mark.parametrize("name,values,sizes", CASES, ids=IDS)
def test_norm_inf_is_the_largest_row_sum(name, values, sizes):
    _, _, _, H, jumps = _system(name, values, sizes)
    L = superop(H, jumps)
    dense = np.abs(_dense_superop(H, jumps)).sum(axis=1).max()
    assert abs(norm_inf(L) - dense) <= 8 * EPS * max(dense, 1.0)
    assert norm_inf(L) == (float(abs(L).sum(axis=1).max()) if L.nnz else 1.0)  # the same sums


def test_norm_inf_of_an_empty_matrix_and_empty_rows():
    assert norm_inf(sps.csr_matrix((4, 4), dtype=complex)) == 1.0
    M = sps.csr_matrix(np.array([[0, 0, 0], [1 - 2j, 0, 3], [0, 0, 0]]))
    assert norm_inf(M) == abs(1 - 2j) + 3
