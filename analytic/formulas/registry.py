r"""The registry of exported closed forms: records, domains, evaluation; it knows no derivation and no model.

Every result is registered under ``<model>.<method>.<quantity>`` with a *builder* that derives
the SymPy expression from the model through the engine (never typed in), its arguments, its
source, its domain and its *check*: how the test suite confirms it against an independent
numeric computation.  :func:`get` returns a lambdified function (``backend='numpy'`` or
``'mpmath'``).

The registry is a leaf: it imports no derivation module and no model.  The formulas are registered
by the family modules of :mod:`analytic.formulas` (``crf``, ``lmg``, ``driven_dicke``, ``gain_loss``,
``cavity``), which import the derivations (:mod:`analytic.meanfield`, :mod:`analytic.exact`,
:mod:`analytic.fluctuations`, :mod:`analytic.cavity`) and this module; no derivation module imports
:mod:`analytic.formulas`.

Domains.  Every formula carries its domain twice: as text (``Formula.domain``, printed by the
report) and as a predicate, a conjunction of SymPy relations in its arguments
(``Formula.conditions``: where the fixed point or Gaussian state it describes exists and is
stable and the closed form is valid).  The function returned by :func:`get` evaluates the
conditions first, at the working precision of its backend (float64 for ``'numpy'``, ``mp.dps``
for ``'mpmath'``; str, Fraction, Decimal, SymPy and mpmath values are read exactly by the one
parser, :func:`analytic.values.exact_number`, and rounded once to that precision), and raises
:class:`DomainError` naming the first violated condition.  Numpy-array calls may opt in to NaN
for the entries outside the domain with ``domain='nan'`` (on the call or on :func:`get`); NaN
never appears otherwise.  A value that is not real and finite inside the domain is refused too
(ModelError), so a formula never returns a flipped sign, a negative purity, a complex number for
a real quantity or a silent NaN.

Check kinds (implemented in ``numeric.app.checks``, run by ``dspins report`` and
``tests/test_formula_checks.py``), for example:

* ``Check('steady_state', ...)``: the exact finite-size steady state of the numeric solver
  converges to the formula as the size grows, with an error :math:`\propto S^{-p}`; ``order``
  is the fitted p (asymptotic check).
* ``Check('ode', observable=...)``: the long-time limit of the mean-field ODE (integrated numerically
  from random starts) equals the formula (exact to integration tolerance).
* ``Check('linear_stability', ...)``: a finite-difference Jacobian of the numerically
  evaluated equations changes stability exactly at the formula.
* ``Check('root_count', model_values=...)``: the number of physical fixed points found numerically
  changes exactly at the formula.

Example:
    >>> import analytic as an
    >>> f = an.formulas.get('crf.meanfield.sz')
    >>> round(float(f(1.0, 1.0)), 12)    # omega = 1, kappa = 1: -sqrt(1 - 1/4)
    -0.866025403784
    >>> f(3.0, 1.0)                        # lambda = 3/2: no magnetised fixed point
    Traceback (most recent call last):
    ...
    analytic.formulas.registry.DomainError: crf.meanfield.sz: condition Abs(omega) <= 2*kappa fails at omega=3.0, kappa=1.0 (domain: |lambda| = |omega|/(2 kappa) <= 1, kappa > 0)
"""
from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from ..model import ModelError
from ..values import exact_number, to_float, to_mpmath

__all__ = ["Check", "DomainError", "Formula", "register", "get", "formula", "names", "vectorized"]


class DomainError(ModelError):
    """A registered formula called outside its domain; the message names the violated condition
    and the argument values."""


@dataclass(frozen=True)
class Check:
    """How a formula is verified against independent numerics (``numeric.app.checks`` runs it; ``dspins report`` prints it).

    The spec carries everything its check needs: no check implementation looks at the formula's name.

    Attributes:
        kind: a check kind of ``numeric.app.checks.KINDS`` (each documented there): ``'steady_state'``,
            ``'ode'``, ``'linear_stability'``, ``'root_count'``, ``'exact'``, ``'mixed_exact'``,
            ``'hp_squeezing'``, ``'hp_purity'``, ``'hp_lyapunov'``, ``'hp_lattice_decay'``,
            ``'hp_squeezing_driven'``, ``'attractors'``.
        points: parameter points ``{arg: value}`` where the check is run.
        order: for asymptotic checks, the fitted order p of the error ~ S^-p (None if exact).
        observable: what is compared or counted: ``'O/S'`` (steady_state: the operator string and its
            scaling); the mean-field variable (ode, e.g. ``'sy'``); the exact state's observable (exact:
            ``'Sz/S'``, ``'Sz*Sz/S^2'``, ``'purity'``, ``'squeezing_x'``, ``'negativity'``,
            ``'qubit_purity'``); the variable non-zero on the counted fixed points (attractors, ``'sx'``).
        sizes: sizes (S or N) of the convergence study.
        tol: tolerance of an exact check, or of the fitted order.
        model_values: ``model_values(point, x) -> {model parameter: value}`` when the formula's
            arguments are not the model's parameters, or when the check puts the formula's value
            (or a multiple of it) ``x`` into the model (root_count, thresholds, counts); default: the
            point is the model's parameter values.
        state: threshold checks (linear_stability, attractors): the fixed point ``{mean-field
            variable: value}`` (the others 0) whose stability changes at the formula.
        counts: counting checks (attractors): per edge of the formula's value, ``((offset, count), ...)``:
            the number of fixed points expected at ``1 + offset`` times the edge.
        limit: exact checks with ``order``: the registered formula the closed form approaches as S -> oo.
    """

    kind: str
    points: tuple = ()
    order: float | None = None
    observable: str = ""
    sizes: tuple = ()
    tol: float = 1e-8
    model_values: Callable | None = None
    state: Mapping | None = None
    counts: tuple = ()
    limit: str = ""


_RELATIONS = {sp.StrictGreaterThan: (">", np.greater), sp.GreaterThan: (">=", np.greater_equal),
              sp.StrictLessThan: ("<", np.less), sp.LessThan: ("<=", np.less_equal),
              sp.Equality: ("==", np.equal), sp.Unequality: ("!=", np.not_equal)}


def _plain(expr):
    """``expr`` with every symbol replaced by an assumption-free one of the same name (so that a
    relation between model symbols declared positive is not decided by SymPy's assumptions)."""
    return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})


def _as_condition(c) -> tuple:
    """``(label, relation)`` from a relation or a ``(label, relation)`` pair; the relation's symbols
    are made assumption-free."""
    label, rel = c if isinstance(c, tuple) else (None, c)
    if not isinstance(rel, sp.core.relational.Relational) or type(rel) not in _RELATIONS:
        raise ModelError(f"a domain condition must be a SymPy relation (>, >=, <, <=, Eq, Ne), got {rel!r}")
    rel = type(rel)(_plain(rel.lhs), _plain(rel.rhs), evaluate=False)
    return (label or str(rel), rel)


@dataclass
class Formula:
    """A registered result; ``expr`` is derived on first use.

    ``domain`` is the human-readable domain; ``where`` the predicate: a sequence of SymPy
    relations in the arguments (or ``(label, relation)`` pairs), or a function returning one
    (derived on first use, like ``expr``), all of which must hold.  See :attr:`conditions`."""

    name: str
    builder: Callable[[], sp.Expr]
    args: tuple
    source: str
    domain: str
    check: Check
    evaluator: Callable | None = None
    where: Sequence | Callable = ()
    _expr: sp.Expr | None = field(default=None, repr=False)
    _conditions: list | None = field(default=None, repr=False)
    _compiled: dict = field(default_factory=dict, repr=False)

    @property
    def expr(self) -> sp.Expr:
        if self._expr is None:
            self._expr = self.builder()
        return self._expr

    @property
    def model(self) -> str:
        return self.name.split(".")[0]

    @property
    def conditions(self) -> list:
        """The domain as ``[(label, relation), ...]``: all relations hold inside the domain."""
        if self._conditions is None:
            raw = self.where() if callable(self.where) else self.where
            conds = [_as_condition(c) for c in raw]
            for label, rel in conds:
                extra = sorted({s.name for s in rel.free_symbols} - set(self.args))
                if extra:
                    raise ModelError(f"formula {self.name!r}: domain condition {label!r} depends on {extra}, "
                                     f"which are not among its arguments {self.args}")
            self._conditions = conds
        return self._conditions

    def symbols(self) -> list:
        table = {str(s): s for s in self.expr.free_symbols}
        extra = sorted(set(table) - set(self.args))
        if extra:
            raise ModelError(f"formula {self.name!r} depends on {extra} which are not among its arguments {self.args}")
        return [table.get(a, sp.Symbol(a)) for a in self.args]

    # ------------------------------------------------------------------ domain
    def _tests(self, backend: str) -> list:
        if backend not in self._compiled:
            plain = [sp.Symbol(a) for a in self.args]
            self._compiled[backend] = [(label, _RELATIONS[type(rel)][1],
                                        sp.lambdify(plain, rel.lhs - rel.rhs, modules=backend, cse=False))
                                       for label, rel in self.conditions]
        return self._compiled[backend]

    def _arguments(self, args: tuple, backend: str) -> tuple:
        """``(values passed to the function, values tested)``.  A str, Fraction, Decimal, SymPy or
        mpmath value is read by the one parser (:func:`analytic.values.exact_number`: ``'1.8'``,
        ``'9/5'``, ``Fraction(9, 5)`` and ``sympy.Rational(9, 5)`` are all 9/5, ``'sqrt(2)/3'`` is
        exact) and then rounded once: to ``mp.dps`` digits (mpmath backend) or to float64 (numpy
        backend).  Python ints and floats pass as they are (a float is its binary value), numpy
        arrays (numpy backend) become float64.  A value with a non-zero imaginary part is refused:
        every argument of a registered formula is real."""
        if len(args) != len(self.args):
            raise ModelError(f"{self.name} takes {len(self.args)} arguments {self.args}, got {len(args)}")
        passed, tested = [], []
        for name, v in zip(self.args, args):
            original = v
            if isinstance(v, (str, Fraction, decimal.Decimal, sp.Basic, mpmath.mpf, mpmath.mpc)):
                try:
                    x = exact_number(v, name)
                except ModelError as e:
                    raise ModelError(f"{self.name}: {e}") from None
                if not x.is_real:
                    im = sp.im(x)
                    if im.is_zero is False or abs(complex(sp.N(im, 30))) > 0:
                        raise DomainError(f"{self.name}: {name} must be real, got {original!r}")
                    x = sp.re(x)
                v = to_mpmath(x) if backend == "mpmath" else np.float64(to_float(x))
            try:
                if backend == "mpmath":
                    if isinstance(v, np.ndarray):
                        raise ModelError(f"{self.name}: the mpmath backend takes scalars; got an array for "
                                         f"{name} (use backend='numpy' for arrays)")
                    t = mpmath.mpmathify(v)
                else:
                    a = np.asarray(v)
                    if a.dtype.kind in "OUS":  # arrays of strings or mpmath numbers
                        try:
                            a = np.asarray(v, dtype=float)
                        except TypeError:
                            a = np.asarray(v, dtype=complex)
                    t = a
            except (TypeError, ValueError, OverflowError) as e:
                kind = "a real number" + (" within float64 (or use backend='mpmath')" if backend == "numpy" else "")
                raise ModelError(f"{self.name}: {name} must be {kind}, got {repr(original)[:60]}") from e
            if backend == "mpmath":
                if isinstance(t, mpmath.mpc):
                    if t.imag != 0:
                        raise DomainError(f"{self.name}: {name} must be real, got {original!r}")
                    v = t = t.real
                passed.append(v)
            else:
                if t.dtype.kind == "c":
                    if np.any(t.imag != 0):
                        raise DomainError(f"{self.name}: {name} must be real, got {original!r}")
                    t = t.real
                if t.dtype.kind not in "biuf":
                    raise ModelError(f"{self.name}: {name} must be a real number or array, got {original!r}")
                t = t.astype(float)
                plain = isinstance(v, (int, float, np.ndarray, np.number)) and np.asarray(v).dtype.kind in "iuf"
                passed.append(v if plain else t[()])
            tested.append(t)
        return tuple(passed), tuple(tested)

    def _violations(self, tested: tuple, backend: str) -> list:
        """``[(label, ok), ...]`` for every condition; ``ok`` a bool (mpmath) or a bool array."""
        out = []
        with np.errstate(all="ignore"):
            for label, compare, fn in self._tests(backend):
                d = fn(*tested)
                if backend == "mpmath":
                    d = mpmath.mpmathify(d)
                    ok = (not isinstance(d, mpmath.mpc) or d.imag == 0) and bool(compare(float(mpmath.sign(mpmath.re(d))), 0))
                else:
                    d = np.asarray(d)
                    ok = compare(np.real(d), 0) & (np.imag(d) == 0) & np.isfinite(d)
                out.append((label, ok))
        return out

    def in_domain(self, *args: object, backend: str = "numpy") -> bool | np.ndarray:
        """The predicate: True where every condition holds (a bool array for array arguments)."""
        _passed, tested = self._arguments(args, backend)
        ok = np.ones(np.broadcast(*tested).shape, bool) if backend == "numpy" else True
        for _label, good in self._violations(tested, backend):
            ok = ok & good
        return bool(ok) if backend == "mpmath" or np.ndim(ok) == 0 else ok

    def _refuse(self, label: str, tested: tuple, entry: tuple | None = None):
        vals = [np.asarray(t)[entry] if entry is not None else t for t in tested]
        at = ", ".join(f"{a}={_short(v)}" for a, v in zip(self.args, vals))
        where = f" (array entry {entry})" if entry is not None else ""
        raise DomainError(f"{self.name}: condition {label} fails at {at}{where} (domain: {self.domain})")

    def function(self, backend: str = "numpy", domain: str = "raise") -> Callable:
        """The formula as a function of ``self.args`` (positional), checked against its domain.

        The value is a lambdified ``expr``, or ``evaluator(backend)`` for a formula registered
        with an ``evaluator`` (a finite sum evaluated by term ratios, e.g. :mod:`analytic.exact`).
        Outside the domain it raises :class:`DomainError`; with ``domain='nan'`` (here or as a
        keyword of the call; numpy backend) out-of-domain entries are NaN instead."""
        if backend not in ("numpy", "mpmath"):
            raise ModelError(f"backend must be 'numpy' or 'mpmath', got {backend!r}")
        _check_mode(domain, backend)
        raw = self.evaluator(backend) if self.evaluator is not None else \
            sp.lambdify(self.symbols(), self.expr, modules=backend, cse=False)
        default = domain

        def f(*args: object, domain: str | None = None) -> object:
            mode = default if domain is None else domain
            _check_mode(mode, backend)
            passed, tested = self._arguments(args, backend)
            if backend == "mpmath":
                for label, ok in self._violations(tested, backend):
                    if not ok:
                        self._refuse(label, tested)
                return self._real_mp(raw(*passed), tested)
            shape = np.broadcast(*tested).shape
            mask = np.ones(shape, bool)
            for label, ok in self._violations(tested, backend):
                ok = np.broadcast_to(ok, shape)
                if mode == "raise" and not np.all(ok):
                    bad = tuple(int(i) for i in np.argwhere(~ok)[0]) if shape else None
                    self._refuse(label, tuple(np.broadcast_to(t, shape) for t in tested), bad)
                mask &= ok
            if np.all(mask):
                return self._real_np(raw(*passed), tested)
            # domain='nan': evaluate the entries inside the domain only
            n_parts = self._returns_tuple()
            if shape == ():
                return tuple(np.float64(np.nan) for _ in range(n_parts)) if n_parts else np.float64(np.nan)
            sub = [np.broadcast_to(t, shape)[mask] for t in tested]
            value = self._real_np(raw(*sub), sub) if sub[0].size else None

            def scatter(v: object) -> np.ndarray:
                out = np.full(shape, np.nan)
                if v is not None:
                    out[mask] = np.broadcast_to(np.asarray(v, dtype=float), sub[0].shape)
                return out

            if n_parts:
                return tuple(scatter(None if value is None else v) for v in value or [None] * n_parts)
            return scatter(value)

        f.__name__ = self.name.replace(".", "_")
        f.__doc__ = f"{self.name}{self.args}: {self.source}.  Domain: {self.domain}."
        return f

    def _returns_tuple(self) -> int:
        """Number of components of a tuple-valued formula (0 for a scalar one)."""
        e = self.expr
        return len(e) if isinstance(e, (sp.Tuple, tuple)) else 0

    def _real_np(self, value, tested):
        parts = value if isinstance(value, (tuple, list)) else (value,)
        for v in parts:
            a = np.asarray(v)
            if a.dtype.kind == "c" and np.any(a.imag != 0) or not np.all(np.isfinite(a)):
                raise ModelError(f"{self.name}: a non-real or non-finite value inside the domain at "
                                 f"{', '.join(f'{n}={_short(t)}' for n, t in zip(self.args, tested))} "
                                 "(a bug: please report it)")
        if any(np.asarray(v).dtype.kind == "c" for v in parts):
            value = type(value)(np.real(v) for v in parts) if isinstance(value, (tuple, list)) else np.real(value)
        return value

    def _real_mp(self, value, tested):
        parts = list(value) if isinstance(value, (tuple, list)) else [value]
        out = []
        for v in parts:
            v = mpmath.mpmathify(v)
            if isinstance(v, mpmath.mpc):
                if v.imag != 0:
                    raise ModelError(f"{self.name}: a complex value {v} inside the domain at "
                                     f"{', '.join(f'{n}={t}' for n, t in zip(self.args, tested))} (a bug: please report it)")
                v = v.real
            if not mpmath.isfinite(v):
                raise ModelError(f"{self.name}: a non-finite value inside the domain (a bug: please report it)")
            out.append(v)
        return tuple(out) if isinstance(value, (tuple, list)) else out[0]


def _short(v) -> str:
    """A value for a message: mpmath numbers as they are, float64 as Python floats."""
    if isinstance(v, (mpmath.mpf, mpmath.mpc)):
        return str(v)
    a = np.asarray(v)
    return f"array of shape {a.shape}" if a.ndim else repr(a.item())


def _check_mode(mode, backend: str) -> None:
    if mode not in ("raise", "nan"):
        raise ModelError(f"domain must be 'raise' or 'nan', got {mode!r}")
    if mode == "nan" and backend != "numpy":
        raise ModelError("domain='nan' is for (vectorised) numpy-backend calls; the mpmath backend raises DomainError")


_REGISTRY: dict = {}


def register(name: str, *, builder: Callable, args: tuple, source: str, domain: str, where: Sequence | Callable,
             check: Check, evaluator: Callable | None = None) -> Formula:
    """Register a formula; ``name`` must be ``<model>.<method>.<quantity>``.  ``domain``: the
    domain in words; ``where``: the same as a predicate, a non-empty sequence of SymPy relations in
    the arguments (or ``(label, relation)`` pairs), or a function returning one (derived on first
    use).  ``evaluator`` (optional): ``evaluator(backend) -> callable`` used by
    :meth:`Formula.function` instead of lambdifying ``expr`` (for finite sums evaluated by term
    ratios)."""
    if name.count(".") != 2:
        raise ModelError(f"formula name must be '<model>.<method>.<quantity>', got {name!r}")
    if name in _REGISTRY:
        raise ModelError(f"formula {name!r} is already registered")
    if not callable(where) and not where:
        raise ModelError(f"formula {name!r}: its domain must be given as a predicate (where=...)")
    f = Formula(name, builder, tuple(args), source, domain, check, evaluator, where)
    _REGISTRY[name] = f
    return f


def formula(name: str) -> Formula:
    """The :class:`Formula` record of a name."""
    if name not in _REGISTRY:
        raise ModelError(f"unknown formula {name!r}; known: {names()}")
    return _REGISTRY[name]


def get(name: str, backend: str = "numpy", domain: str = "raise") -> Callable:
    """A function for a registered formula (arguments in ``formula(name).args`` order) that
    raises :class:`DomainError` outside the domain, or (``domain='nan'``, numpy backend) returns
    NaN for the out-of-domain entries of an array call."""
    return formula(name).function(backend, domain)


def names() -> list:
    """All registered formula names."""
    return sorted(_REGISTRY)


def vectorized(scalar_fn: Callable, backend: str, nargs: int) -> Callable:
    """An evaluator for :func:`register`: ``scalar_fn(*args, dps=...)`` (``dps=None``: float64,
    otherwise mpmath at ``dps`` digits) made a function of the backend's numbers: with
    ``backend='mpmath'`` called at ``mp.dps``, with ``'numpy'`` broadcast entry by entry over arrays."""
    if backend == "mpmath":
        def f(*args: object) -> mpmath.mpf | mpmath.mpc:
            if len(args) != nargs:
                raise ModelError(f"expected {nargs} arguments, got {len(args)}")
            v = scalar_fn(*args, dps=mpmath.mp.dps)
            return mpmath.mpf(v) if not isinstance(v, mpmath.mpc) else v
        return f

    def g(*args: object) -> float | np.ndarray:
        if len(args) != nargs:
            raise ModelError(f"expected {nargs} arguments, got {len(args)}")
        arrs = np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args])
        out = np.empty(arrs[0].shape)
        for idx in np.ndindex(out.shape):
            out[idx] = float(scalar_fn(*[a[idx] for a in arrs], dps=None))
        if not np.all(np.isfinite(out)):
            raise ModelError("non-finite result")  # pragma: no cover
        return out[()] if out.ndim == 0 else out
    return g
