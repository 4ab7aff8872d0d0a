r"""Mean-field engine: Heisenberg equations, factorisation, fixed points, Jacobians, stability.

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
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

import mpmath
import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from . import timelimit
from .algebra import Gen, Op, canonical_word
from .model import Model, ModelError
from .values import exact_number, parameter_value

__all__ = [
    "variables", "equations", "conserved_quantities", "fixed_points", "FixedPoint", "jacobian",
    "tangent_jacobian", "eigenvalues", "stability", "Stability", "reduced_system", "NumericBranch",
    "fixed_points_numeric", "discriminant_boundary", "single_atom_state", "state_point", "scaled_spin",
    "block_eigenvalues", "checked_values", "parameter_values",
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


def variables(model: Model) -> dict:
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


def variable_operators(model: Model) -> dict:
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


def single_atom_state(sub, var: Mapping) -> sp.Matrix:
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


def state_point(model: Model, rho: sp.Matrix, name: str = "") -> dict:
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


def scaled_spin(model: Model, name: str = "") -> dict:
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
              casimir: bool = False, thermodynamic_limit: bool = False) -> dict:
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
def conserved_quantities(model: Model, eqs: Mapping | None = None) -> list:
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


# --------------------------------------------------------------------------- fixed points
class FixedPoint(dict):
    """A fixed point ``{variable name: Expr}`` with the conditions under which it is real.

    ``kind`` is ``'closed'`` for a closed form; a :class:`NumericBranch` (``kind == 'numeric'``)
    stands for fixed points that exist but have no closed form the engine could find."""

    kind = "closed"

    def __init__(self, values: Mapping, conditions: Sequence = (), label: str = ""):
        super().__init__(values)
        self.conditions = list(conditions)
        self.label = label

    def _by_symbol(self, values: Mapping) -> dict:
        table = {str(s): s for v in self.values() for s in sp.sympify(v).free_symbols}
        return {table.get(k, k) if isinstance(k, str) else k: v for k, v in values.items()}

    def subs(self, values: Mapping) -> dict:
        """The point for parameter values (keys: Symbols or their names)."""
        values = self._by_symbol(values)
        return {k: sp.sympify(v).subs(values) for k, v in self.items()}

    def exists(self, values: Mapping) -> bool:
        """Whether the point is real for the given parameter values (keys: Symbols or names)."""
        values = self._by_symbol(values)
        for k, v in self.items():
            num = sp.N(sp.sympify(v).subs(values))
            if not num.is_real:
                return False
        return True

    def __repr__(self):
        return f"FixedPoint({dict(self)}, conditions={self.conditions})"


class NumericBranch(FixedPoint):
    r"""Fixed points of ``model`` that the engine finds only numerically (``kind == 'numeric'``).

    :func:`fixed_points` returns one when its completeness check (real roots at random parameter
    points) finds fixed points that lie on none of the closed forms: a branch given by a
    polynomial of degree > 2, or a continuum of fixed points (then :meth:`at` returns a sample of
    it).  It holds no expressions: indexing it raises :class:`~analytic.model.ModelError`.
    :meth:`at` gives its points for numeric parameter values; ``samples`` are the
    ``(values, point)`` pairs the completeness check found (float64, residual < 1e-10), and
    ``skipped`` the reasons the symbolic route left branches out (they may have no real point
    at the samples: then ``samples`` is empty)."""

    kind = "numeric"

    def __init__(self, model: Model, eqs: Mapping, closed: Sequence, samples: Sequence, skipped: Sequence = ()):
        super().__init__({}, (), label="numeric")
        self.model, self.eqs, self.closed, self.samples = model, dict(eqs), list(closed), list(samples)
        self.skipped = list(skipped)

    def _refuse(self, what: str):
        raise ModelError(f"{what}: this is a numeric branch of {self.model.name!r} (fixed points with no closed "
                         "form); evaluate it with .at(values), or use fixed_points_numeric()")

    def __getitem__(self, key):
        self._refuse(f"fixed point [{key!r}]")

    def get(self, key, default=None):
        self._refuse(f"fixed point .get({key!r})")

    def subs(self, values: Mapping) -> dict:
        self._refuse("FixedPoint.subs")

    def at(self, values: Mapping, *, dps: int = 15, starts: int = 60, seed: int = 0) -> list:
        """The fixed points at numeric parameter ``values`` that lie on no closed-form branch:
        :func:`fixed_points_numeric` (residual checked to ``10**-(dps-5)``) minus the values of
        the closed forms, compared to ``10**-(dps//2)``."""
        vals = parameter_values(self.model, values)
        found = fixed_points_numeric(self.model, vals, eqs=self.eqs, dps=dps, starts=starts, seed=seed)
        tol = 10.0 ** -(dps // 2)
        exact = [{k: complex(sp.N(sp.sympify(v).subs(vals), dps)) for k, v in p.items()} for p in self.closed]
        return [q for q in found
                if not any(all(abs(e[k] - complex(q[k])) < tol for k in e) for e in exact)]

    def exists(self, values: Mapping) -> bool:
        """Whether the branch has a real fixed point at ``values`` (found numerically)."""
        return bool(self.at(values))

    def __reduce__(self):
        return (NumericBranch, (self.model, self.eqs, self.closed, self.samples, self.skipped))

    def __repr__(self):
        return (f"NumericBranch({self.model.name!r}: fixed points with no closed form, found numerically at "
                f"{len(self.samples)} sample point(s), left out: {self.skipped}; evaluate with .at(values))")


def _sqrt_conditions(expr: sp.Expr) -> set:
    conds = set()
    for p in sp.preorder_traversal(expr):
        if isinstance(p, sp.Pow) and p.exp.is_Rational and p.exp.q == 2:
            conds.add(p.base)
    return conds


#: the routes to closed forms, raced in parallel child processes (:func:`analytic.timelimit.race`)
ROUTES = ("solve", "groebner")
#: seconds after which the second route starts when the first has not finished
STAGGER = 4.0


def fixed_points(model: Model, eqs: Mapping | None = None, *, spin_length: sp.Expr = 1,
                 max_ops: int = 400, timeout: float | None = 60, verify: int = 3, **eq_options) -> list:
    r"""Fixed points in closed form, each with its conditions of existence, and the branches
    without a closed form as :class:`NumericBranch` entries.

    Spins whose length the flow conserves (:func:`conserved_quantities`) are put on the sphere
    of radius ``spin_length`` (the maximal length 1 of a pure collective state).  Mode
    variables whose equations are linear with constant coefficients (a driven, damped cavity)
    are eliminated first, as one would by hand.  Two routes (``ROUTES``, one child process
    each): SymPy's ``solve``, and after ``STAGGER`` seconds, concurrently, a lex Groebner basis
    solved factor by factor (factors of degree <= 2 in closed form, the others skipped).  The
    first complete route in that order is kept (so the forms returned do not depend on which
    child is faster), else the one that leaves the fewest points to the numeric branch.

    Completeness: SymPy's ``solve`` can silently drop branches of parametric polynomial
    systems.  With ``verify=k`` (default 3) the closed forms are checked at k random parameter
    points against the real fixed points found numerically from 60 random starts (float64,
    MINPACK's hybrid Newton, residual < 1e-10).  Fixed points found there on no closed form are returned as
    one :class:`NumericBranch` (``kind == 'numeric'``, last in the list; ``.at(values)`` gives
    its points); so is a route's report of branches it left out (degree > 2, a continuum), even
    when they had no real point at the samples.  When no fixed point has a closed form at all
    (or no route came back within the limit), the list is that one NumericBranch, whose
    ``skipped`` says why (:func:`reduced_system` gives the eliminated polynomial).  ``verify=0``
    skips the check: the closed forms alone, possibly incomplete.

    Time limit: ``timeout`` seconds (None: none) for the whole call, honoured from any thread
    (measured: within 0.1 s plus the preparation's last C call); the routes run in child
    processes killed at the deadline (:func:`analytic.timelimit.race`), so no signal handler or
    timer of the caller is touched.  When no route came back in time, one NumericBranch whose
    ``skipped`` reads "no closed form ... within ... s" (not kept: a longer limit may find closed
    forms); when one came back incomplete, its closed forms and a numeric branch.  When the
    limit runs out before the mean-field equations are derived,
    :class:`~analytic.timelimit.TimeLimitExceeded` (a ModelError, "no closed form ... within ... s").  A non-positive ``timeout`` is refused with a ModelError naming it.  The
    result is kept on the model (``model.derived``): a second call with the same equations and
    options returns it at once (the child processes cannot warm SymPy's cache of the caller).
    """
    timeout = timelimit.check_seconds(timeout, "timeout")
    if isinstance(verify, bool) or not isinstance(verify, int) or verify < 0:
        raise ModelError(f"fixed_points: verify must be a non-negative integer (samples), got {verify!r}")
    start = time.monotonic()
    message = (f"fixed_points: no closed form for {model.name!r} within {timeout:g} s; "
               "use reduced_system() and fixed_points_numeric()") if timeout else ""
    with timelimit.limit(timeout, message):  # the preparation, in this thread
        eqs = equations(model, **eq_options) if eqs is None else eqs
        key = (tuple(eqs.items()), sp.sympify(spin_length), max_ops, verify)
        cache = model.derived.setdefault("_fixed_points", {})
        if key in cache:  # the child process cannot warm SymPy's cache of the caller: keep the result
            return list(cache[key])
        var = variables(model)
        cons = conserved_quantities(model, eqs)
        eliminated = _linear_elimination(model, eqs, var)
        rest = {k: sp.expand(e.subs(eliminated)) for k, e in eqs.items() if var[k] not in eliminated}
        unknowns = [v for v in var.values() if v not in eliminated]
        system = [sp.numer(sp.together(e)) for e in rest.values()] + [C - spin_length ** 2 for C in cons]
        if verify:
            import scipy.optimize  # noqa: F401 - imported once here, not in every child (~1 s each)
    left = None if timeout is None else timeout - (time.monotonic() - start)
    timed_out = f"no closed form for {model.name!r} within {timeout:g} s (the time limit)" if timeout else ""
    if left is not None and left <= 0:
        return [NumericBranch(model, eqs, [], [], [timed_out])]  # not cached: a longer limit may find more
    args = (model, eqs, var, eliminated, system, unknowns, max_ops, verify, spin_length)
    outcomes = timelimit.race([(_attempt, (route,) + args) for route in ROUTES], seconds=left, message=message,
                              done=lambda result: not (result[1] or result[2]), stagger=STAGGER)
    attempts = [(i,) + r for i, status, r in outcomes if status == "ok"]
    failures = [r for _, status, r in outcomes if status == "error"]
    if not attempts:
        if len(failures) < len(ROUTES):
            return [NumericBranch(model, eqs, [], [], [timed_out])]  # not cached, as above
        for exc in failures:
            if not isinstance(exc, (ModelError, NotImplementedError, sp.PolynomialError)):
                raise exc
        closed, missing, skipped = [], [], [f"no closed form for {model.name!r} ({failures[0]})"]
    else:
        _, closed, missing, skipped = min(attempts, key=lambda a: (len(a[2]), bool(a[3]), a[0]))
    if not closed and not (skipped and skipped[0].startswith("no closed form")):
        skipped = [f"no closed form for {model.name!r}"
                   + (": the fixed points found numerically lie on no closed-form branch" if missing else "")] + list(skipped)
    if missing or skipped:
        closed = closed + [NumericBranch(model, eqs, closed, missing, list(dict.fromkeys(skipped)))]
    cache[key] = closed
    return list(closed)


def _attempt(route: str, model: Model, eqs: Mapping, var: Mapping, eliminated: Mapping, system: list,
             unknowns: list, max_ops: int, verify: int, spin_length) -> tuple:
    """One route to the closed forms (run in the time-limited child process): the list of
    closed-form :class:`FixedPoint`, the ``(values, point)`` pairs found numerically on none,
    and the reasons for the branches the route left out (a factor of degree > 2, a continuum,
    no compact form)."""
    skipped: list = []
    if route == "solve":
        sols = sp.solve(system, unknowns, dict=True)
    else:
        sols = _solve_triangular(system, unknowns, skipped)
    closed = _closed_forms(model, var, eliminated, sols, max_ops, skipped)
    missing = _verify_complete(model, eqs, closed, verify, spin_length) if verify else []
    return closed, missing, skipped


def _closed_forms(model: Model, var: Mapping, eliminated: Mapping, sols: list, max_ops: int,
                  skipped: list) -> list:
    """The solutions as :class:`FixedPoint` with their conditions; solutions with a free variable
    (a continuum) or without a compact form (more than ``max_ops`` operations, ``CRootOf``) are
    left out, with the reason appended to ``skipped``."""
    unknowns = [v for v in var.values() if v not in eliminated]
    out = []
    for sol in sols:
        if any(v not in sol for v in unknowns):
            skipped.append(f"a continuum of fixed points (free: {[str(v) for v in unknowns if v not in sol]})")
            continue
        full = {**{v: e.subs(sol) for v, e in eliminated.items()}, **sol}
        values = {k: sp.simplify(full[v]) for k, v in var.items()}
        if any(sp.count_ops(v) > max_ops or v.has(sp.CRootOf) for v in values.values()):
            skipped.append(f"a branch with no compact closed form (more than max_ops = {max_ops} operations)")
            continue
        conds = set()
        for v in values.values():
            conds |= _sqrt_conditions(v)
        conditions = {c for c in (sp.simplify(b) >= 0 for b in conds) if c is not sp.true}
        out.append(FixedPoint(values, sorted(conditions, key=str)))
    return out


def _solve_triangular(system: list, unknowns: list, skipped: list) -> list:
    """Solve a polynomial system through its lex Groebner basis: roots of the univariate
    element, then back-substitution variable by variable.  Factors of degree > 2 and
    variables left free (a continuum) are skipped, with the reason appended to ``skipped``:
    the branches through them are not returned."""
    G = sp.groebner(system, *unknowns, order="lex")
    if list(G.exprs) == [1]:
        return []
    polys = [sp.expand(g) for g in G.exprs]
    U = set(unknowns)

    def solve_for(idx: int, assign: dict) -> list:
        if idx < 0:
            return [dict(assign)]
        v = unknowns[idx]
        later = set(unknowns[idx:])
        cands = []
        for p in polys:
            if (p.free_symbols & U) <= later and p.has(v):
                q = sp.expand(p.subs(assign))
                if q != 0 and sp.simplify(q) != 0:
                    cands.append(sp.collect(q, v, sp.simplify))
        if not cands:
            skipped.append(f"a continuum of fixed points ({v} free)")
            return []
        base = min(cands, key=lambda q: sp.degree(q, v))
        if sp.Poly(base, v).degree() <= 2:
            roots = sp.solve(base, v)
        else:
            try:
                factors = sp.factor_list(base, v)[1]
            except sp.PolynomialError:
                skipped.append(f"a branch where {v} solves {base} = 0")
                return []
            skipped.extend(f"a branch where {v} solves a factor of degree {sp.degree(f, v)}"
                           for f, _ in factors if sp.degree(f, v) > 2)
            roots = [r for f, _ in factors if sp.degree(f, v) <= 2 for r in sp.solve(f, v)]
        out = []
        for r in roots:
            r = sp.simplify(r)
            if all(sp.simplify(q.subs(v, r)) == 0 for q in cands):
                out += solve_for(idx - 1, {**assign, v: r})
        return out

    return solve_for(len(unknowns) - 1, {})


def _verify_complete(model: Model, eqs: Mapping, points: list, samples: int, spin_length) -> list:
    """Compare closed-form fixed points with numerically found ones at ``samples`` random
    parameter points; returns the ``(values, point)`` pairs found numerically on no closed form
    (a point matches when every coordinate agrees to 1e-6)."""
    if spin_length != 1:
        return []
    import random

    rng = random.Random(12345)
    var = variables(model)
    params = sorted({s for e in eqs.values() for s in e.free_symbols} - set(var.values()), key=str)
    missing = []
    for _ in range(samples):
        vals = {p: sp.Rational(rng.randint(2, 30), 10) * (1 if p.is_positive or rng.random() < 0.5 else -1)
                for p in params}
        numeric = _roots_float64(model, eqs, vals, starts=60, seed=rng.randint(0, 2**31))
        exact = [{k: complex(sp.N(sp.sympify(v).subs(vals), 20)) for k, v in p.items()} for p in points]
        for q in numeric:
            if not any(all(abs(e[k] - q[k]) < 1e-6 for k in e) for e in exact):
                missing.append((vals, {k: sp.Float(q[k], 15) for k in var}))
    return missing


def _roots_float64(model: Model, eqs: Mapping, vals: Mapping, starts: int, seed: int) -> list:
    r"""Real fixed points at numeric parameter values in float64 (the fast search of the
    completeness check): MINPACK's hybrid Newton (``scipy.optimize.root``, analytic Jacobian)
    from ``starts`` random points in :math:`[-1, 1]^n`, with the conserved spin lengths imposed
    as in :func:`fixed_points_numeric`; a root is kept when every equation is below
    :math:`10^{-10}` times the largest Jacobian entry, and roots closer than 1e-7 are merged."""
    import numpy as np
    import scipy.optimize

    var = variables(model)
    syms = list(var.values())
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    system = list(exprs)
    for C in conserved_quantities(model, eqs):
        members = [i for i, s in enumerate(syms) if s in C.free_symbols]
        system[members[-1]] = C - 1
    f = sp.lambdify(syms, system, modules="numpy")
    f_eqs = sp.lambdify(syms, exprs, modules="numpy")
    jac = sp.lambdify(syms, sp.Matrix(system).jacobian(syms), modules="numpy")
    rng = np.random.default_rng(seed)
    found: list = []
    with np.errstate(all="ignore"):
        for _ in range(starts):
            x0 = rng.uniform(-1, 1, len(syms))
            sol = scipy.optimize.root(lambda x: np.asarray(f(*x), float),
                                      x0, jac=lambda x: np.asarray(jac(*x), float), method="hybr", tol=1e-14)
            x = sol.x
            if not np.all(np.isfinite(x)):
                continue
            scale = max(1.0, float(np.max(np.abs(np.asarray(jac(*x), float)))))
            res = max(np.max(np.abs(np.asarray(f(*x), float))), np.max(np.abs(np.asarray(f_eqs(*x), float))))
            if not res < 1e-10 * scale:
                continue
            if any(np.max(np.abs(x - y)) < 1e-7 for y in found):
                continue
            found.append(x)
    return [dict(zip(var, map(float, x))) for x in found]


def _linear_elimination(model: Model, eqs: Mapping, var: Mapping) -> dict:
    """Solve the mode equations for the mode variables when they are linear in them with
    coefficients free of every variable; returns ``{Symbol: Expr}`` (empty if not applicable)."""
    mode_names = [k for k in var if k.startswith(("ar", "ai"))]
    if not mode_names:
        return {}
    mvars = [var[k] for k in mode_names]
    allv = set(var.values())
    for k in mode_names:
        poly = sp.Poly(eqs[k], *mvars)
        if poly.total_degree() > 1:
            return {}
        for monom, coeff in poly.terms():
            if sum(monom) == 1 and coeff.free_symbols & allv:
                return {}
    sol = sp.solve([eqs[k] for k in mode_names], mvars, dict=True)
    return {v: sp.simplify(e) for v, e in sol[0].items()} if len(sol) == 1 else {}


#: the time limit for a block of code in the calling thread (any thread, no signals); kept under
#: this name for numeric/app/cli.py, which limits its Groebner and eigenvalue steps with it
_time_limit = timelimit.limit


def reduced_system(model: Model, variable: str, eqs: Mapping | None = None, **eq_options) -> sp.Expr:
    r"""Eliminate all variables but ``variable`` from the fixed-point equations (lex Groebner
    basis; conserved spin lengths set to 1) and return the univariate polynomial, factored.

    For seed 004 (``driven_dicke``) and ``variable='sz'`` this is the cubic of eq. (2).
    """
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    if variable not in var:
        raise ModelError(f"reduced_system: unknown variable {variable!r}; variables are {list(var)}")
    others = [v for k, v in var.items() if k != variable]
    cons = conserved_quantities(model, eqs)
    system = [sp.numer(sp.together(e)) for e in eqs.values()] + [C - 1 for C in cons]
    G = sp.groebner(system, *others, var[variable], order="lex")
    uni = [g for g in G.exprs if g.free_symbols & set(var.values()) == {var[variable]}]
    if not uni:
        raise ModelError(f"reduced_system: no univariate polynomial in {variable} (continuum of fixed points?)")
    return sp.factor(uni[-1])


def discriminant_boundary(poly: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """The discriminant of a polynomial in ``variable``: its zero set bounds the region with
    several real roots (e.g. the bistability window, seed 004 eq. B5)."""
    return sp.factor(sp.discriminant(sp.Poly(sp.expand(poly), variable)))


def fixed_points_numeric(model: Model, values: Mapping, *, dps: int = 15, starts: int = 60,
                         seed: int = 0, tol_digits: int | None = None, eqs: Mapping | None = None,
                         **eq_options) -> list:
    r"""Fixed points for numeric parameter values by mpmath ``findroot`` from many random starts,
    at ``dps`` digits.  Conserved spin lengths are imposed (sphere of radius 1).

    Each returned point is a dict of mpmath numbers; the residual :math:`\max|f|` of every
    point is checked against ``10**-(dps-5)`` and points are deduplicated.
    """
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    vals = parameter_values(model, values)
    cons = conserved_quantities(model, eqs)
    exprs = [sp.sympify(e).subs(vals) for e in eqs.values()]
    free = [s for e in exprs for s in e.free_symbols if s not in var.values()]
    if free:
        raise ModelError(f"fixed_points_numeric: missing values for {sorted(set(map(str, free)))}")
    names = list(var)
    syms = list(var.values())
    # replace one equation per conserved spin by its constraint (the flow is tangent to the sphere)
    system = list(exprs)
    for C in cons:
        members = [i for i, s in enumerate(syms) if s in C.free_symbols]
        system[members[-1]] = C - 1
    f = sp.lambdify(syms, system, modules="mpmath")
    f_eqs = sp.lambdify(syms, exprs, modules="mpmath")
    tol = mpmath.mpf(10) ** (-(tol_digits or (dps - 5)))
    found: list = []
    rng = _rng(seed)
    with mpmath.workdps(dps + 10):
        for _ in range(starts):
            x0 = [mpmath.mpf(rng.uniform(-1, 1)) for _ in syms]
            try:
                root = mpmath.findroot(lambda *x: f(*x), x0, tol=tol ** 2, maxsteps=200)
            except (ZeroDivisionError, ValueError):
                continue
            root = [root] if len(syms) == 1 else list(root)
            res = max(abs(v) for v in f(*root))
            full = max(abs(v) for v in f_eqs(*root))
            if max(res, full) > tol:
                continue
            if any(max(abs(a - b) for a, b in zip(root, p["_x"])) < mpmath.sqrt(tol) for p in found):
                continue
            found.append({"_x": root, "_residual": max(res, full)})
    out = []
    with mpmath.workdps(dps):
        for p in found:
            d = {n: +v for n, v in zip(names, p["_x"])}
            d["residual"] = p["_residual"]
            out.append(d)
    return out


def _rng(seed: int):
    import random

    return random.Random(seed)


def parameter_values(model: Model, values: Mapping) -> dict:
    """``{Symbol: value}`` for substitution: numbers read by the one parser
    (:func:`analytic.values.parameter_value`: text parsed exactly, never evaluated; floats their
    binary value; a complex value for a real parameter refused), SymPy expressions with free
    symbols (a symbolic substitution such as ``Omega = x N gamma_c / 4``) unchanged."""
    if not isinstance(values, Mapping):
        raise ModelError(f"values must be a mapping {{name: number}}, got {type(values).__name__}")
    names = {str(s) for s in set(model.parameters.values()) | model.size_symbols()}
    out = {}
    for k, v in values.items():
        sym = model.symbol(k) if isinstance(k, str) else k
        if isinstance(v, sp.Basic) and v.free_symbols:
            out[sym] = v
        elif str(sym) in names:
            out[sym] = parameter_value(model, sym, v)[1]
        else:
            out[sym] = exact_number(v, str(k))
    return out


# --------------------------------------------------------------------------- linear stability
def jacobian(model: Model, point: Mapping | None = None, eqs: Mapping | None = None, **eq_options) -> sp.Matrix:
    """The Jacobian :math:`J_{ij} = \\partial f_i/\\partial v_j` in the order of the equations,
    evaluated at ``point`` (a fixed point or any ``{name: value}``) when given."""
    if getattr(point, "kind", "closed") == "numeric":
        point._refuse("jacobian")
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    J = sp.Matrix([[sp.diff(e, v) for v in var.values()] for e in eqs.values()])
    if point is not None:
        J = J.subs({var[k]: v for k, v in point.items() if k in var})
    return J


def tangent_jacobian(model: Model, point: Mapping, eqs: Mapping | None = None, **eq_options) -> sp.Matrix:
    r"""The Jacobian restricted to the tangent space of the conserved spin lengths at ``point``.

    Since :math:`\nabla C^{T} J = 0` at a fixed point, J maps into the tangent space; with a basis
    B of that space, the restriction is :math:`B^{+} J B`.  Its eigenvalues are the physical
    relaxation rates (seed 000 eqs. 19-20 use the equivalent canonical variables (z, phi)).
    """
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    J = jacobian(model, point, eqs)
    cons = conserved_quantities(model, eqs)
    if not cons:
        return J
    sub = {var[k]: v for k, v in point.items() if k in var}
    grads = sp.Matrix([[sp.diff(C, v).subs(sub) for v in var.values()] for C in cons])
    B = sp.Matrix.hstack(*grads.nullspace())
    return sp.simplify((B.T * B).inv() * B.T * J * B)


def eigenvalues(model: Model, point: Mapping, values: Mapping | None = None, **eq_options) -> list:
    """Eigenvalues of the tangent Jacobian at ``point``: symbolic, or numeric (numpy, complex)
    when parameter ``values`` are given (then ``point`` may hold floats)."""
    if getattr(point, "kind", "closed") == "numeric":
        point._refuse("eigenvalues")
    if values is None:
        return list(tangent_jacobian(model, point, **eq_options).eigenvals(multiple=True))
    import numpy as np

    eqs = eq_options.pop("eqs", None)
    eqs = equations(model, **eq_options) if eqs is None else eqs
    var = variables(model)
    vals = parameter_values(model, values)
    sub = {**vals, **{var[k]: sp.sympify(v).subs(vals) for k, v in point.items() if k in var}}
    J = np.array(jacobian(model, None, eqs).subs(sub).evalf(), dtype=complex)
    cons = conserved_quantities(model, eqs)
    if cons:
        import scipy.linalg

        grads = np.array([[complex(sp.diff(C, v).subs(sub)) for v in var.values()] for C in cons])
        B = scipy.linalg.null_space(grads)
        J = np.linalg.pinv(B) @ J @ B
    return list(np.linalg.eigvals(J))


@dataclass
class Stability:
    """Linear stability of a fixed point: ``kind`` is ``'stable'``, ``'unstable'`` or ``'centre'``."""

    kind: str
    eigenvalues: list
    tolerance: float = 1e-10


def stability(model: Model, point: Mapping, values: Mapping, *, tol: float = 1e-10, point_tol: float = 1e-9,
              **eq_options) -> Stability:
    """Classify a fixed point for numeric parameter values from the eigenvalues of the tangent
    Jacobian: stable (all Re < 0), unstable (some Re > 0), centre (max Re = 0 within ``tol``).

    Refused with :class:`~analytic.model.ModelError` naming the violated condition:

    * invalid ``values`` (:func:`checked_values`: non-real, non-finite, a negative value of a
      parameter declared positive such as a rate, a negative dissipator rate, a size <= 0);
    * a :class:`FixedPoint` whose conditions of existence (``point.conditions``) fail at
      ``values``, or any point that is not real there;
    * a point that is no fixed point at ``values``: some equation of motion larger than
      ``point_tol`` times the largest Jacobian entry (at least 1);
    * a :class:`NumericBranch` (evaluate it with ``.at(values)`` and pass one of its points).
    """
    if getattr(point, "kind", "closed") == "numeric":
        point._refuse("stability")
    eqs = eq_options.pop("eqs", None)
    eqs = equations(model, **eq_options) if eqs is None else eqs
    vals = checked_values(model, values, "stability")
    var = variables(model)
    for cond in getattr(point, "conditions", ()):
        holds = sp.sympify(cond).subs(vals)
        if holds is sp.false:
            raise ModelError(f"stability: the fixed point does not exist at {_show(vals)}: its condition of "
                             f"existence {cond} fails ({sp.sympify(cond).lhs.subs(vals)} < 0)"
                             if isinstance(cond, sp.GreaterThan) else
                             f"stability: the fixed point does not exist at {_show(vals)}: {cond} fails")
    sub = dict(vals)
    for k, v in point.items():
        if k not in var:
            raise ModelError(f"stability: unknown variable {k!r} in the point; variables are {list(var)}")
        z = sp.N(sp.sympify(v).subs(vals), 30)
        if z.free_symbols:
            raise ModelError(f"stability: the point's {k} = {v} needs values for "
                             f"{sorted(map(str, z.free_symbols))}")
        re, im = (sp.Float(c, 30) if c.is_number else c for c in z.as_real_imag())
        if not (re.is_finite and im.is_finite):
            raise ModelError(f"stability: the point's {k} is not finite at {_show(vals)} ({z})")
        if abs(im) > 1e-12 * (1 + abs(re)):
            raise ModelError(f"stability: the fixed point does not exist at {_show(vals)}: {k} = {z} is not real")
        sub[var[k]] = re
    missing = [k for k in var if k not in point]
    if missing:
        raise ModelError(f"stability: the point has no value for {missing}")
    J = jacobian(model, None, eqs).subs(sub)
    residual = max(abs(complex(sp.N(sp.sympify(e).subs(sub), 30))) for e in eqs.values())
    scale = max([1.0] + [abs(complex(sp.N(x))) for x in J])
    if residual > point_tol * scale:
        raise ModelError(f"stability: the point is not a fixed point at {_show(vals)}: the largest equation of "
                         f"motion is {residual:.3g} (> point_tol {point_tol:g} x {scale:.3g})")
    ev = eigenvalues(model, {k: sub[var[k]] for k in var}, vals, eqs=eqs)
    re = max(complex(e).real for e in ev)
    kind = "stable" if re < -tol else "unstable" if re > tol else "centre"
    return Stability(kind, ev, tol)


def _show(vals: Mapping) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in vals.items()) + "}"


def checked_values(model: Model, values: Mapping, where: str = "values") -> dict:
    """Numeric parameter values ``{Symbol: exact SymPy number}`` for ``model``, read by the one
    parser (:func:`analytic.values.parameter_value`: text parsed exactly, never evaluated, so
    ``'1.8'`` is 9/5 and ``'sqrt(2)/3'`` is exact; floats are their binary value), and refused with
    :class:`~analytic.model.ModelError` (naming the parameter) when a value is unknown, not a
    finite number, complex for a real parameter or a size, when a parameter declared positive or
    nonnegative (the rates, frequencies and couplings of the catalogue) is negative, when a size
    (S, N, mode scale) is not > 0, or when a dissipator rate evaluates to a negative number.  Zero
    is allowed for the declared-positive parameters (a rate 0 switches its term off)."""
    if not isinstance(values, Mapping):
        raise ModelError(f"{where}: values must be a mapping {{name: number}}, got {type(values).__name__}")
    sizes = model.size_symbols()
    out = {}
    for k, v in values.items():
        try:
            sym, x = parameter_value(model, k, v)
        except ModelError as e:
            raise ModelError(f"{where}: {e}") from None
        if sym in sizes and not x.is_real:
            raise ModelError(f"{where}: the size {sym} is a real number, got the complex value {v!r}")
        re = sp.re(sp.N(x, 30))
        if sym in sizes and not re > 0:
            raise ModelError(f"{where}: the size {sym} must be > 0, got {v!r}")
        if (sym.is_positive or sym.is_nonnegative) and re < 0:
            raise ModelError(f"{where}: {sym} is declared positive (a rate, frequency or coupling) and must be "
                             f">= 0, got {v!r}")
        out[sym] = x
    for d in model.dissipators:
        rate = sp.sympify(d.rate).subs(out)
        if rate.is_number and sp.N(rate) < 0:
            raise ModelError(f"{where}: the rate of dissipator {d.label!r}, {d.rate}, is {rate} < 0 at these values")
    return out


def stability_boundaries(model: Model, point: Mapping, eqs: Mapping | None = None, **eq_options) -> dict:
    r"""Closed-form stability boundaries of a fixed point.

    With :math:`p(x) = \det(x - J_T)` the characteristic polynomial of the tangent Jacobian,
    a real eigenvalue crosses zero where :math:`\det J_T = 0` (``'real'``), and a complex pair
    crosses the imaginary axis where the last-but-one Hurwitz determinant vanishes (``'hopf'``,
    Routh-Hurwitz).  Returns ``{'real': [factors], 'hopf': [factors]}``, each factor a SymPy
    expression whose zero set is a candidate boundary.
    """
    Jt = tangent_jacobian(model, point, eqs, **eq_options)
    x = sp.Symbol("_x")
    n = Jt.shape[0]
    coeffs = Jt.charpoly(x).all_coeffs()  # a0 x^n + a1 x^(n-1) + ... (Berkowitz: division free)
    out = {"real": _nontrivial_factors(Jt.det()), "hopf": []}
    if n >= 2:
        a = [sp.expand(c) for c in coeffs]
        H = sp.zeros(n - 1, n - 1)
        for i in range(n - 1):
            for j in range(n - 1):
                k = 2 * (j + 1) - (i + 1)
                H[i, j] = a[k] if 0 <= k <= n else 0
        out["hopf"] = _nontrivial_factors(H.det())
    return out


def _nontrivial_factors(expr: sp.Expr) -> list:
    """The factors of an expression's numerator that depend on parameters (powers and roots
    reduced to their bases): the candidate boundaries where the expression vanishes."""
    expr = sp.factor(sp.simplify(expr))
    if expr == 0:
        return [sp.Integer(0)]
    out = []
    for f in sp.Mul.make_args(sp.numer(sp.together(expr))):
        base = f.base if isinstance(f, sp.Pow) and f.exp.is_positive else f
        if base.free_symbols and base not in out:
            out.append(base)
    return out


def block_eigenvalues(J: sp.Matrix) -> list:
    r"""Eigenvalues (with multiplicity) of a square matrix through its block-triangular form.

    The rows and columns are permuted into the strongly connected components of the matrix's
    graph; the matrix is then block triangular and its eigenvalues are those of the diagonal
    blocks.  This is how seed 001 App. B reduces the :math:`(d^2-1)`-dimensional Jacobian at the
    polarized point to diagonal entries and one 2x2 block (B2), and it keeps symbolic
    eigenvalues of large sparse Jacobians tractable.
    """
    J = sp.Matrix(J)
    out = []
    for comp in J.strongly_connected_components():
        block = J.extract(comp, comp)
        out += [sp.simplify(e) for e in block.eigenvals(multiple=True)]
    return out
