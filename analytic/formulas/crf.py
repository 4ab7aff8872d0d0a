"""Register the crf formulas (seed 000): mean-field branch, exact Puri-Lawande state, Gaussian squeezing.

Every builder is a derivation of :mod:`analytic.branches`, :mod:`analytic.meanfield`,
:mod:`analytic.exact` or :mod:`analytic.fluctuations`; this module only gives each one its name,
arguments, source, domain (in words and as a predicate) and check.
"""
from __future__ import annotations

import sympy as sp

from .. import exact as ex
from .. import fluctuations as fl
from .. import meanfield as mf
from .. import models
from ..branches import crf_stable_branch
from .registry import Check, register, vectorized


# --------------------------------------------------------------------------- domains
def _crf_domain(closed: bool) -> list:
    r"""Magnetised (stable) mean-field branch of crf: it exists for :math:`|\lambda| \le 1` and is
    stable there; omega < 0 is the drive of opposite phase (the rotation by pi about z maps
    :math:`(s_x, s_y, s_z, \omega) \to (-s_x, -s_y, s_z, -\omega)`), omega = 0 the pure decay
    (:math:`s_z = -1`).  ``closed=False``: :math:`|\lambda| < 1` (Gaussian fluctuations)."""
    omega, kappa = sp.symbols("omega kappa")
    rel = sp.Le if closed else sp.Lt
    return [kappa > 0, rel(sp.Abs(omega), 2 * kappa)]


def _crf_hp_domain() -> list:
    """Magnetised phase of crf, |lambda| < 1 (the Gaussian state exists, A Hurwitz; lambda -> 1 the
    anti-squeezed variance diverges), kappa > 0; omega <= 0 by the symmetry noted at crf.meanfield.sz."""
    omega, kappa = sp.symbols("omega kappa")
    return [kappa > 0, sp.Lt(sp.Abs(omega), 2 * kappa)]


def _crf_exact_domain(S_min) -> list:
    r"""Domain of the Puri-Lawande closed forms: kappa > 0 and 2S a positive integer (S >= ``S_min``);
    any real omega.  omega < 0 is the drive of opposite phase (the registered quantities are even
    in omega); at omega = 0 the state is :math:`|S, -S\rangle`, the limit the recurrences reach
    (:meth:`analytic.exact.PuriLawande._sums`: no division by :math:`|\beta|^2`)."""
    kappa, S = sp.symbols("kappa S")
    what = "S must be a positive integer or half-integer" + (" (two qubits: S >= 1)" if S_min == 1 else "")
    return [kappa > 0,
            (f"2S an integer ({what})", sp.Eq(2 * S - sp.floor(2 * S), 0)), (f"S >= {S_min} ({what})", S >= S_min)]


# --------------------------------------------------------------------------- mean field (seed 000 eqs. 14, 19)
register(
    "crf.meanfield.sz",
    builder=lambda: crf_stable_branch()["sz"],
    args=("omega", "kappa"),
    source="seed 000 eq. (14), stable branch (derived here)",
    domain="|lambda| = |omega|/(2 kappa) <= 1, kappa > 0",
    where=_crf_domain(closed=True),
    check=Check("steady_state", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 0.6, "kappa": 1.0}),
                order=1.0, observable="Sz/S", sizes=(16, 32, 64, 128), tol=0.05),
)
register(
    "crf.meanfield.sy",
    builder=lambda: crf_stable_branch()["sy"],
    args=("omega", "kappa"),
    source="seed 000 eq. (14), stable branch (derived here)",
    domain="|lambda| = |omega|/(2 kappa) <= 1, kappa > 0",
    where=_crf_domain(closed=True),
    check=Check("ode", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 1.8, "kappa": 1.0}), observable="sy"),
)
register(
    "crf.meanfield.relaxation_rate",
    builder=lambda: sp.simplify(-mf.eigenvalues(models.crf(), crf_stable_branch())[0]),
    args=("omega", "kappa"),
    source="seed 000 eq. (19) (printed there as 2 kappa sqrt(1 - lambda); the engine finds 2 kappa sqrt(1 - lambda^2))",
    domain="|lambda| = |omega|/(2 kappa) <= 1, kappa > 0 (0 at lambda = 1)",
    where=_crf_domain(closed=True),
    check=Check("linear_stability", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 1.5, "kappa": 0.8})),
)

# --------------------------------------------------------------------------- exact state (seed 000 eqs. 11-12)
_SOURCE = "seed 000 eqs. (11)-(12) [Puri-Lawande state, g = i lambda S derived here; printed g = i omega S/kappa is off by 2]"
_CRF_POINTS = (
    {"omega": 1.0, "kappa": 1.0, "S": 3},
    {"omega": 1.5, "kappa": 0.5, "S": 5},          # lambda = 1.5
    {"omega": 1.9, "kappa": 1.0, "S": 4.5},        # lambda = 0.95
)
_EXACT_DOMAIN = "any real omega (omega < 0: the opposite-phase drive, same values; omega = 0: |S, -S>), kappa > 0, S = 1/2, 1, 3/2, ..."


def _reg(name, kind, builder, source, domain, check, S_min=sp.Rational(1, 2)):
    register(name, builder=builder, args=("omega", "kappa", "S"), source=source, domain=domain,
             where=_crf_exact_domain(S_min), check=check,
             evaluator=lambda backend, _k=kind: vectorized(ex.crf_scalar(_k), backend, 3))


_exact = dict(points=_CRF_POINTS, tol=1e-40)
_reg("crf.exact.sz", "sz", lambda: ex.moment_expr(0, 0, 1, scaled=True), _SOURCE + "; <Sz>/S",
     _EXACT_DOMAIN + "; -> crf.meanfield.sz for lambda < 1 with error ~ S^-p",
     Check("exact", points=_CRF_POINTS + ({"omega": 0.6, "kappa": 1.0, "S": 2}, {"omega": 1.6, "kappa": 1.0, "S": 6}), order=1.0,
           observable="Sz/S", sizes=(100, 200, 400, 800, 1600, 3200), tol=1e-40,
           limit="crf.meanfield.sz"))
_reg("crf.exact.sz2", "sz2", lambda: ex.moment_expr(0, 0, 2, scaled=True), _SOURCE + "; <Sz^2>/S^2",
     _EXACT_DOMAIN, Check("exact", observable="Sz*Sz/S^2", **_exact))
_reg("crf.exact.purity", "purity", ex.purity_expr, "seed 000 eq. (23) for the state of eqs. (11)-(12), O(S) evaluation",
     _EXACT_DOMAIN, Check("exact", observable="purity", **_exact))
_reg("crf.exact.xi2_x", "xi2_x", ex.xi2_expr, "seed 000 eq. (28), n1 = x, moments from eqs. (11)-(12)",
     _EXACT_DOMAIN + "; < 1 for lambda < 1 at large S (> 1 near lambda ~ 0.95 at small S)",
     Check("exact", observable="squeezing_x", **_exact))
_reg("crf.exact.negativity", "negativity", ex.negativity_expr,
     "seed 000 eqs. (24)-(26) (denominators of v+-, x+- corrected to 4S(S-1/2), 8S(S-1/2))",
     _EXACT_DOMAIN.replace("S = 1/2, 1,", "S = 1,") + " (two qubits: S >= 1)",
     Check("exact", observable="negativity", **_exact), S_min=1)
_reg("crf.exact.qubit_purity", "qubit_purity", ex.qubit_purity_expr, "seed 000 eq. (27), Fig. 5b",
     _EXACT_DOMAIN, Check("exact", observable="qubit_purity", **_exact))

# --------------------------------------------------------------------------- Gaussian fluctuations
register(
    "crf.hp.xi2",
    builder=fl.crf_xi2,
    args=("omega", "kappa"),
    source="derived here (Holstein-Primakoff around seed 000 eq. (14)); = sqrt(1 - lambda^2) as seed 004 (F13)",
    domain="magnetised phase |lambda| = |omega|/(2 kappa) < 1, kappa > 0",
    where=_crf_hp_domain(),
    check=Check("hp_squeezing", points=({"omega": 1.0, "kappa": 1.0}, {"omega": 1.4, "kappa": 1.0}),
                order=1.0, sizes=(32, 64, 128), tol=0.05),
)
