r"""Mean-field flow: the variables, the factorised Heisenberg equations of motion and the conserved quantities.

The equations are derived from the model, never typed in:

1. For each mean-field variable (scaled: :math:`s_a = \langle S_a\rangle/S`, per-atom
   Pauli expectations :math:`s_a = \langle S_a\rangle/(N/2)` for ensembles,
   :math:`\alpha = \langle a\rangle/\sqrt{\text{scale}}` split into ``ar``, ``ai``), the adjoint
   Lindbladian :math:`\mathcal L^\dagger` acts on the operator (:meth:`analytic.model.Model.adjoint`).
2. The result, a polynomial in generators, is *factorised*:

   * ``'collective'``: :math:`\langle AB\rangle \to \langle A\rangle\langle B\rangle` for
     collective operators, after writing the polynomial in the chosen ``ordering``:
     ``'normal'`` (:math:`S^+` left of :math:`S^z` left of :math:`S^-`, :math:`a^\dagger` left
     of :math:`a`; seed 000 eq. 13) or ``'symmetric'`` (Weyl-symmetrised products; seed 002
     Appendix B).  ``casimir=True`` first eliminates :math:`S^+S^-` with
     :math:`\mathbf S^2 = S(S+1)` (seed 002 Appendix B replaces
     :math:`\langle S_x^2+S_y^2\rangle = S(S+1) - \langle S_z^2\rangle`).  The orderings differ
     at :math:`O(1/S)`.
   * ``'individual'``: the individual-atom factorisation of seed 004 eq. (B1),
     :math:`\langle\sigma_n^\dagger\sigma_m\rangle = |s|^2` for :math:`n\neq m` with the
     :math:`n = m` terms kept exactly, i.e. expectation values in the product state
     :math:`\rho_1^{\otimes N}`.  A product of k collective operators is a sum over set
     partitions of the k factors, each block evaluated in the single-atom state, weighted by
     the falling factorial :math:`N(N-1)\cdots`.  This yields seed 004's
     :math:`\Gamma = (N-1)\gamma_c` and :math:`\gamma = \gamma_s + \gamma_c` (eq. B2).

3. ``thermodynamic_limit=True`` keeps the leading order as :math:`S, N \to \infty` at fixed
   (scaled) parameters.
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any, Mapping

import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from ..algebra import Atoms, Gen, Op, canonical_word
from ..model import Model, ModelError

__all__ = [
    "variables", "variable_operators", "single_atom_state", "state_point", "scaled_spin", "mean_value",
    "equations", "conserved_quantities", "FACTORIZATIONS", "ORDERINGS",
]

FACTORIZATIONS = ("collective", "individual")
ORDERINGS = ("normal", "symmetric")


# --------------------------------------------------------------------------- variables
def _suffix(sub) -> str:
    return f"_{sub.name}" if sub.name else ""


def _images(model: Model) -> dict:
    return {k: v[0] for k, v in model.derived.get("images", {}).items()}


def _own_subsystems(model: Model) -> list:
    img = _images(model)
    return [s for s in model.subsystems if s.name not in img]


def _is_levels(sub) -> bool:
    """Whether a subsystem is an ensemble described by its level generators :math:`E_{ab}` (qudits)."""
    return sub.kind == "atoms" and sub.levels


def _level_variable_names(sub) -> list:
    r"""Names of the d-level variables, seed 001 eq. (7)-(8) with levels a = m + j in 0..d-1:
    populations ``Sx_a_a`` (a >= 1; :math:`\langle S_{x;0,0}\rangle = 1 - \sum_{a\ge1}` is
    eliminated, as in seed 001 App. B), then coherences ``Sx_a_b``, ``Sy_a_b`` (a > b) grouped
    by a - b."""
    suf, d = _suffix(sub), sub.d
    names = [f"Sx_{a}_{a}{suf}" for a in range(1, d)]
    for a, b in sorted(((a, b) for a in range(d) for b in range(a)), key=lambda p: (p[0] - p[1], p[1])):
        names += [f"Sx_{a}_{b}{suf}", f"Sy_{a}_{b}{suf}"]
    return names


def variables(model: Model) -> dict[str, sp.Symbol]:
    r"""``{name: Symbol}`` of the mean-field variables in equation order: ``sx, sy, sz`` per spin
    (suffix ``_a`` for site ``a``), ``ar, ai`` per mode.  An ensemble of d-level atoms built with
    level generators (``Atoms(..., levels=True)``, every d > 2) has the :math:`d^2 - 1` real
    components of the averaged single-atom density matrix :math:`\bar\rho` instead,
    :math:`\langle S_{x;a,b}\rangle = \mathrm{Re}\,\bar\rho_{ba}`,
    :math:`\langle S_{y;a,b}\rangle = \mathrm{Im}\,\bar\rho_{ba}` (seed 001 eq. 8), named
    ``Sx_a_b`` (a >= b, without ``Sx_0_0``) and ``Sy_a_b`` (a > b), levels a = m + j = 0..d-1."""
    out = {}
    for s in _own_subsystems(model):
        suf = _suffix(s)
        if _is_levels(s):
            out.update({n: sp.Symbol(n, real=True) for n in _level_variable_names(s)})
            continue
        names = ("sx", "sy", "sz") if s.kind in ("spin", "atoms") else ("ar", "ai")
        for n in names:
            out[n + suf] = sp.Symbol(n + suf, real=True)
    return out


def variable_operators(model: Model) -> dict[str, Op]:
    """The operator whose scaled expectation each variable is."""
    out = {}
    for s in _own_subsystems(model):
        suf = _suffix(s)
        if _is_levels(s):
            for n in _level_variable_names(s):
                a, b = (int(k) for k in n.split("_")[1:3])
                E_ab, E_ba = Op.gen(Gen(s, f"e{a}_{b}")), Op.gen(Gen(s, f"e{b}_{a}"))
                if a == b:
                    out[n] = E_ab / s.N
                elif n.startswith("Sx"):
                    out[n] = (E_ab + E_ba) / (2 * s.N)
                else:
                    out[n] = (E_ab - E_ba) / (2 * sp.I * s.N)
        elif s.kind in ("spin", "atoms"):
            out.update({"sx" + suf: s.x / s.size, "sy" + suf: s.y / s.size, "sz" + suf: s.z / s.size})
        else:
            r = sp.sqrt(s.scale)
            out.update({"ar" + suf: (s.a + s.ad) / (2 * r), "ai" + suf: (s.a - s.ad) / (2 * sp.I * r)})
    return out


def _cnumber(g: Gen, model: Model, var: Mapping) -> sp.Expr:
    """Mean value of a generator under factorisation, in scaled variables."""
    name = _images(model).get(g.sub.name, g.sub.name)
    suf = f"_{name}" if name else ""
    if _is_levels(g.sub):  # <E_ab> = N rho_ba
        a, b = (int(k) for k in g.letter[1:].split("_"))
        return g.sub.N * _rho_element(g.sub, b, a, var)
    if g.sub.kind in ("spin", "atoms"):
        sx, sy, sz = var["sx" + suf], var["sy" + suf], var["sz" + suf]
        return g.sub.size * {"p": sx + sp.I * sy, "m": sx - sp.I * sy, "z": sz}[g.letter]
    ar, ai = var["ar" + suf], var["ai" + suf]
    return sp.sqrt(g.sub.scale) * {"a": ar + sp.I * ai, "c": ar - sp.I * ai}[g.letter]


def single_atom_state(sub: Atoms, var: Mapping[str, Any]) -> sp.Matrix:
    r"""The averaged single-atom density matrix :math:`\bar\rho` of a level-generator ensemble in
    its mean-field variables (seed 001 eq. 8): :math:`\bar\rho_{ba} = \langle S_{x;a,b}\rangle
    + i\langle S_{y;a,b}\rangle` for a > b, Hermitian, unit trace."""
    if not _is_levels(sub):
        raise ModelError(f"single_atom_state: subsystem {sub.name!r} is not an ensemble with level generators")
    return sp.Matrix(sub.d, sub.d, lambda r, c: _rho_element(sub, r, c, var))


def _rho_element(sub, r: int, c: int, var: Mapping) -> sp.Expr:
    """Element (r, c) of :func:`single_atom_state`."""
    suf = _suffix(sub)
    if r == c:
        return var[f"Sx_{r}_{r}{suf}"] if r else 1 - sum(var[f"Sx_{a}_{a}{suf}"] for a in range(1, sub.d))
    a, b = max(r, c), min(r, c)
    return var[f"Sx_{a}_{b}{suf}"] + (1 if r < c else -1) * sp.I * var[f"Sy_{a}_{b}{suf}"]


def state_point(model: Model, rho: sp.Matrix, name: str = "") -> dict[str, sp.Expr]:
    """The mean-field variables ``{name: value}`` of a single-atom density matrix ``rho``
    (d x d, level basis) for the level-generator ensemble ``name``: the inverse of
    :func:`single_atom_state`.  ``rho = diag(1, 0, ...)`` is the spin-z polarized point (seed 001 eq. 12)."""
    sub = _ensemble(model, name)
    rho = sp.Matrix(rho)
    if rho.shape != (sub.d, sub.d):
        raise ModelError(f"state_point: rho must be {sub.d}x{sub.d}, got {rho.shape}")
    if sp.simplify(rho.trace() - 1) != 0:
        raise ModelError(f"state_point: rho must have unit trace, got {rho.trace()}")
    out = {}
    for a in range(sub.d):
        for b in range(a + 1):
            if (a, b) == (0, 0):
                continue
            out[f"Sx_{a}_{b}{_suffix(sub)}"] = sp.re(rho[b, a])
            if a != b:
                out[f"Sy_{a}_{b}{_suffix(sub)}"] = sp.im(rho[b, a])
    return out


def _ensemble(model: Model, name: str):
    for s in model.subsystems:
        if _is_levels(s) and s.name == name:
            return s
    raise ModelError(f"model {model.name!r} has no d-level ensemble named {name!r} (Atoms with levels=True)")


def scaled_spin(model: Model, name: str = "") -> dict[str, sp.Expr]:
    r"""The scaled collective spin :math:`X, Y, Z = \langle J_{x,y,z}\rangle/(Nj)` of the ensemble
    ``name`` in mean-field variables (seed 001 Sec. III: :math:`X = \mathrm{Tr}[j_x\bar\rho]/j`).
    For spins and qubit ensembles with :math:`S^\pm, S^z` these are ``sx, sy, sz``."""
    var = variables(model)
    for s in model.subsystems:
        if s.name == name and s.kind in ("spin", "atoms") and not _is_levels(s):
            suf = _suffix(s)
            return {"X": var["sx" + suf], "Y": var["sy" + suf], "Z": var["sz" + suf]}
    sub = _ensemble(model, name)
    rho = single_atom_state(sub, var)
    jp, jz = sub.spin_matrix("p"), sub.spin_matrix("z")
    jx, jy = (jp + jp.T) / 2, (jp - jp.T) / (2 * sp.I)
    return {k: sp.expand(sp.re((m * rho).trace() / sub.j)) for k, m in (("X", jx), ("Y", jy), ("Z", jz))}


# --------------------------------------------------------------------------- factorisation
def _segments(word: tuple) -> list:
    """Split a canonical word into runs of one subsystem each."""
    return [tuple(grp) for _, grp in itertools.groupby(word, key=lambda g: g.sub)]


@lru_cache(maxsize=20_000)
def _symmetric_form(seg: tuple) -> tuple:
    r"""Express a canonical single-subsystem word as (symmetrised monomial) + lower terms.

    Returns ``((word, c), ...)`` such that ``seg = Sym(seg) - sum(c * word)`` in canonical form;
    the factorised value of Sym(seg) is the product of the c-numbers.
    """
    perms = set(itertools.permutations(seg))
    sym: dict = {}
    for p in perms:
        for w, c in canonical_word(p):
            sym[w] = sym.get(w, 0) + sp.sympify(c) / len(perms)
    sym[seg] = sym.get(seg, 0) - 1  # Sym(seg) - seg: lower-degree remainder
    return tuple((w, c) for w, c in sym.items() if c != 0)


def _casimir_reduce(seg: tuple) -> Op:
    r"""Eliminate :math:`S^+S^-` from a normal-ordered spin word :math:`S^{+a}S^{zb}S^{-c}` using
    :math:`S^+S^- = S(S+1) - S_z^2 + S_z`."""
    sub = seg[0].sub
    a = sum(1 for g in seg if g.letter == "p")
    c = sum(1 for g in seg if g.letter == "m")
    b = len(seg) - a - c
    if a == 0 or c == 0:
        return Op({seg: 1}, canonical=True)
    plus, minus, z = sub.plus, sub.minus, sub.z
    # S+^a Sz^b S-^c = S+^(a-1) (Sz - 1)^b (S+ S-) S-^(c-1)
    pm = sub.casimir() - z * z + z
    inner = plus ** (a - 1) * (z - 1) ** b * pm * minus ** (c - 1)
    out = Op()
    for w, coeff in inner.terms.items():
        out = out + (_casimir_reduce(w) if w else Op({(): 1}, canonical=True)) * coeff
    return out


def _ordered_value(seg: tuple, ordering: str, model: Model, var: Mapping) -> sp.Expr:
    if ordering == "normal" or len(seg) <= 1:
        return sp.Mul(*[_cnumber(g, model, var) for g in seg])
    value = sp.Mul(*[_cnumber(g, model, var) for g in seg])
    for w, c in _symmetric_form(seg):
        value -= c * (_ordered_value(w, ordering, model, var) if w else 1)
    return value


def _individual_value(seg: tuple, var: Mapping, model: Model) -> sp.Expr:
    """Expectation of a product of collective operators of an ensemble in the product state."""
    sub = seg[0].sub
    suf = _suffix(sub)
    if _is_levels(sub):
        rho1 = single_atom_state(sub, var)
    else:
        sx, sy, sz = var["sx" + suf], var["sy" + suf], var["sz" + suf]
        # single-atom state (basis |0> = down, |1> = up)
        rho1 = sp.Matrix([[1 - sz, sx + sp.I * sy], [sx - sp.I * sy, 1 + sz]]) / 2
    mats = [sub.local_matrix(g.letter) for g in seg]
    total = 0
    for partition in multiset_partitions(list(range(len(seg)))):
        weight = sp.ff(sub.N, len(partition))
        term = weight
        for block in partition:
            m = sp.eye(sub.d)
            for i in sorted(block):
                m = m * mats[i]
            term *= (m * rho1).trace()
        total += term
    return total


def mean_value(model: Model, op: Op, factorization: str = "collective", ordering: str = "normal",
               casimir: bool = False, var: Mapping | None = None) -> sp.Expr:
    """The factorised mean of an operator, in unscaled form (e.g. ``Sz -> S*sz``)."""
    var = var or variables(model)
    total = 0
    for word, coeff in op.terms.items():
        value = coeff
        for seg in _segments(word):
            sub = seg[0].sub
            if factorization == "individual" and sub.kind == "atoms":
                value *= _individual_value(seg, var, model)
                continue
            if casimir and sub.kind == "spin":
                reduced = _casimir_reduce(seg)
                value *= sum((c * _ordered_value(w, ordering, model, var) if w else c
                              for w, c in reduced.terms.items()), sp.Integer(0))
            else:
                value *= _ordered_value(seg, ordering, model, var)
        total += value
    return total


# --------------------------------------------------------------------------- equations
def equations(model: Model, factorization: str | None = None, ordering: str = "normal",
              casimir: bool = False, thermodynamic_limit: bool = False) -> dict[str, sp.Expr]:
    r"""Mean-field equations of motion :math:`\dot v = f_v(\dots)` for every variable.

    Args:
        model: a catalogue or user :class:`~analytic.model.Model`.
        factorization: ``'collective'`` or ``'individual'`` (default: individual when the model
            has individual dissipators, else collective).
        ordering: operator ordering before a collective factorisation, ``'normal'`` or ``'symmetric'``.
        casimir: eliminate :math:`S^+S^-` with the spin Casimir first (fixed-length spins only).
        thermodynamic_limit: keep only the leading order as the sizes (S, N, scale) grow.

    Returns:
        ``{variable name: SymPy expression}`` in the order of :func:`variables`.

    Example:
        >>> import analytic as an
        >>> an.meanfield.equations(an.models.crf())['sz']
        omega*sy - 2*kappa*sx**2 - 2*kappa*sy**2
    """
    if factorization is None:
        factorization = "individual" if model.has_individual_terms() else "collective"
    if factorization not in FACTORIZATIONS:
        raise ModelError(f"factorization must be one of {FACTORIZATIONS}, got {factorization!r}")
    if ordering not in ORDERINGS:
        raise ModelError(f"ordering must be one of {ORDERINGS}, got {ordering!r}")
    key = (factorization, ordering, casimir, thermodynamic_limit)
    cache = model.derived.setdefault("_equations", {})
    if key in cache:
        return dict(cache[key])
    var = variables(model)
    ops = variable_operators(model)
    out = {}
    for name, op in ops.items():
        expr = mean_value(model, model.adjoint(op), factorization, ordering, casimir, var)
        expr = sp.expand(sp.powsimp(sp.expand(expr), force=True))
        if sp.simplify(sp.im(expr)) != 0:
            raise ModelError(f"equation for {name} is not real: {expr}")
        expr = sp.expand(sp.re(expr))
        if thermodynamic_limit:
            expr = _leading_order(expr, model)
        out[name] = expr
    cache[key] = out
    return dict(out)


def _leading_order(expr: sp.Expr, model: Model) -> sp.Expr:
    t = sp.Symbol("_t", positive=True)
    for X in model.size_symbols():
        if expr.has(X):
            fast = _leading_power(expr, X)
            if fast is not None:
                expr = fast
                continue
            lim = sp.limit(expr.subs(X, 1 / t), t, 0, "+")
            if lim.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
                raise ModelError(
                    f"mean-field equations diverge as {X} -> oo: the model's rates are not scaled "
                    f"for a thermodynamic limit ({expr})")
            expr = sp.expand(lim)
    return expr


def _leading_power(expr: sp.Expr, X: sp.Symbol) -> sp.Expr | None:
    """Leading order as X -> oo of a sum of monomials in integer powers of X (the common case,
    e.g. the d-level equations): the coefficient of X^0 if no positive power survives, without
    SymPy's ``limit``.  Returns None when the expression is not of that form."""
    powers: dict = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        c, k = term.as_coeff_exponent(X)
        if c.has(X) or not k.is_Integer:
            return None
        powers[k] = powers.get(k, 0) + c
    powers = {k: sp.expand(c) for k, c in powers.items() if sp.expand(c) != 0}
    if powers and max(powers) > 0:
        raise ModelError(
            f"mean-field equations diverge as {X} -> oo: the model's rates are not scaled "
            f"for a thermodynamic limit ({expr})")
    return powers.get(0, sp.Integer(0))


# --------------------------------------------------------------------------- conserved quantities
def conserved_quantities(model: Model, eqs: Mapping[str, sp.Expr] | None = None) -> list[sp.Expr]:
    r"""Spin lengths :math:`s_x^2 + s_y^2 + s_z^2` (one per spin) that the flow conserves exactly."""
    eqs = equations(model) if eqs is None else eqs
    var = variables(model)
    out = []
    for s in _own_subsystems(model):
        if _is_levels(s):  # purity Tr(rho^2) of the single-atom state (1 for a pure product state)
            rho = single_atom_state(s, var)
            C = sp.expand(sp.re((rho * rho).trace()))
            if sp.expand(sum(sp.diff(C, v) * eqs[str(v)] for v in C.free_symbols & set(var.values()))) == 0:
                out.append(C)
            continue
        if s.kind not in ("spin", "atoms"):
            continue
        suf = _suffix(s)
        names = ["sx" + suf, "sy" + suf, "sz" + suf]
        C = sum(var[n] ** 2 for n in names)
        dC = sp.expand(sum(2 * var[n] * eqs[n] for n in names))
        if sp.simplify(dC) == 0:
            out.append(C)
    return out
