r"""What a reproduction claims: each quantity's printed value, its criterion, and the JSON record.

A paper module (``numeric/app/reproduce/paperNNN.py``) declares its quantities *before* computing
anything, as :class:`Spec` objects: the key, what it is, where the paper prints it (equation,
figure), the printed value as text, the numeric reference the criterion compares with, and the
criterion itself (an absolute tolerance, a printed range, a trend).  The computation
(:class:`Task`) then only supplies values.  Because the criteria live in the code and not in
the written JSON, the committed ``reproduce/NNN.json`` can be re-judged by a fast test
(``tests/numeric/test_reproduce.py``) without trusting its stored verdicts: editing a number or
a tolerance in the JSON cannot make a row agree.

A spec with ``expected=False`` is a *finding*: the paper's printed value is not what our
numerics give (the ``finding`` text says what we get instead and why we trust it).  It is
reported as ``disagrees (finding)`` and counts as reproduced-as-expected; if it ever starts to
agree, the run says so (``unexpected``), because then either the paper or our finding changed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

__all__ = ["Criterion", "Abs", "Rel", "Within", "Equal", "Monotone", "Spec", "Task", "Record",
           "SIZES", "criterion_from_json", "check_keys", "ReproductionError", "require"]

SIZES = ("paper", "small")  # 'paper': the paper's sizes; 'small': the same code path in seconds (CI)


class ReproductionError(RuntimeError):
    """A reproduction's own consistency check failed: the number would not mean what it claims
    (a solver residual too large, a branch that is not the one the paper means)."""


def require(condition: bool, message: str) -> None:
    """Raise :class:`ReproductionError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise ReproductionError(message)


def _numbers(value: Any) -> list:
    """``value`` as a flat list of floats (a scalar becomes a one-element list)."""
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value]
    return [float(value)]


@dataclass(frozen=True)
class Criterion:
    """Base class: ``holds(value, reference)`` decides agreement; ``describe()`` says how."""

    def holds(self, value: Any, reference: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_json(self) -> dict:
        return {"kind": type(self).__name__, **{k: v for k, v in self.__dict__.items()}}


@dataclass(frozen=True)
class Abs(Criterion):
    """``|value - reference| <= tol`` (elementwise for lists)."""

    tol: float

    def holds(self, value: Any, reference: Any) -> bool:
        v, r = _numbers(value), _numbers(reference)
        return len(v) == len(r) and all(math.isfinite(a) and abs(a - b) <= self.tol for a, b in zip(v, r))

    def describe(self) -> str:
        return f"|ours - ref| <= {self.tol:g}"


@dataclass(frozen=True)
class Rel(Criterion):
    """``|value / reference - 1| <= tol`` (elementwise for lists)."""

    tol: float

    def holds(self, value: Any, reference: Any) -> bool:
        v, r = _numbers(value), _numbers(reference)
        return len(v) == len(r) and all(math.isfinite(a) and b != 0 and abs(a / b - 1) <= self.tol
                                        for a, b in zip(v, r))

    def describe(self) -> str:
        return f"|ours/ref - 1| <= {self.tol:g}"


@dataclass(frozen=True)
class Within(Criterion):
    """``lo <= value <= hi`` for every element (``None`` leaves a side open); the reference is
    unused (the range is the printed value)."""

    lo: float | None = None
    hi: float | None = None

    def holds(self, value: Any, reference: Any) -> bool:
        return all(math.isfinite(a) and (self.lo is None or a >= self.lo) and (self.hi is None or a <= self.hi)
                   for a in _numbers(value))

    def describe(self) -> str:
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        return f"in [{lo}, {hi}]"


@dataclass(frozen=True)
class Equal(Criterion):
    """Exact equality with the reference (integers: dimensions, counts)."""

    def holds(self, value: Any, reference: Any) -> bool:
        return value == reference

    def describe(self) -> str:
        return "= ref exactly"


@dataclass(frozen=True)
class Monotone(Criterion):
    """The list ``value`` strictly decreases (``sign = -1``) or increases (``sign = +1``)."""

    sign: int = -1

    def holds(self, value: Any, reference: Any) -> bool:
        v = _numbers(value)
        return len(v) >= 2 and all(math.isfinite(a) for a in v) and all(
            self.sign * (b - a) > 0 for a, b in zip(v, v[1:]))

    def describe(self) -> str:
        return "strictly decreasing" if self.sign < 0 else "strictly increasing"


_CRITERIA = {c.__name__: c for c in (Abs, Rel, Within, Equal, Monotone)}


def criterion_from_json(data: Mapping) -> Criterion:
    """The criterion written by :meth:`Criterion.to_json` (used to compare JSON with code)."""
    data = dict(data)
    kind = data.pop("kind")
    if kind not in _CRITERIA:
        raise ValueError(f"criterion: unknown kind {kind!r}; known {sorted(_CRITERIA)}")
    return _CRITERIA[kind](**data)


@dataclass(frozen=True)
class Spec:
    """One quantity a paper prints (or claims) and how ours is judged against it.

    key : unique within the paper, e.g. ``'fig4.end_point.d5'``.
    what : one line a reader understands without the paper.
    source : where the paper prints it (``'Fig. 4 caption'``, ``'eq. (15)'``, ``'Sec. V'``).
    printed : the printed value or claim as text (``'2.16'``, ``'[0.066, 0.142]'``, ``'falls with N'``).
    criterion : how ours is judged (:class:`Abs`, :class:`Within`, :class:`Monotone`, ...).
    reference : what the criterion compares with; ``None`` when the task derives it (a
        closed form of the engine, e.g. the mean-field value a finite-N sequence approaches).
    expected : ``False`` for a finding (the printed value is not reproduced; see ``finding``).
    finding : what we get instead and why we trust it (required when ``expected`` is False).
    """

    key: str
    what: str
    source: str
    printed: str
    criterion: Criterion
    reference: Any = None
    expected: bool = True
    finding: str = ""

    def __post_init__(self):
        if not self.expected and not self.finding:
            raise ValueError(f"spec {self.key!r}: expected=False needs a finding text")


@dataclass(frozen=True)
class Task:
    """One computation of a paper; ``run(size)`` returns ``{key: value}`` for the keys it owns
    (``{key: (value, reference)}`` where the spec's reference is derived) plus, optionally,
    ``'_params'`` (dict of the parameters used) and ``'_figures'`` (``{name: matplotlib Figure}``)."""

    name: str
    keys: tuple
    run: Callable[[str], dict]
    about: str = ""


@dataclass
class Record:
    """A spec with its computed value: one row of ``reproduce/NNN.json``."""

    spec: Spec
    value: Any = None
    reference: Any = None
    task: str = ""
    params: dict = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""

    @property
    def agrees(self) -> bool:
        if self.error or self.value is None:
            return False
        try:
            return bool(self.spec.criterion.holds(self.value, self.reference))
        except (TypeError, ValueError):
            return False

    @property
    def as_expected(self) -> bool:
        return not self.error and self.agrees == self.spec.expected

    @property
    def verdict(self) -> str:
        if self.error:
            return "error"
        if self.value is None:
            return "not run at this size"
        if self.spec.expected:
            return "agrees" if self.agrees else "DISAGREES"
        return "disagrees (finding)" if not self.agrees else "UNEXPECTED agreement"

    def to_json(self) -> dict:
        s = self.spec
        return {"key": s.key, "what": s.what, "source": s.source, "printed": s.printed,
                "value": self.value, "reference": self.reference, "criterion": s.criterion.to_json(),
                "criterion_text": s.criterion.describe(), "agrees": self.agrees, "expected": s.expected,
                "verdict": self.verdict, "finding": s.finding, "task": self.task, "params": self.params,
                "seconds": round(self.seconds, 2), "error": self.error}


def check_keys(specs: Sequence[Spec], tasks: Sequence[Task]) -> None:
    """Every spec is computed by exactly one task and every task key has a spec."""
    keys = [s.key for s in specs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate spec keys: {sorted({k for k in keys if keys.count(k) > 1})}")
    owned = [k for t in tasks for k in t.keys]
    if sorted(owned) != sorted(keys):
        raise ValueError(f"specs without a task: {sorted(set(keys) - set(owned))}; "
                         f"task keys without a spec: {sorted(set(owned) - set(keys))}; "
                         f"owned twice: {sorted({k for k in owned if owned.count(k) > 1})}")
