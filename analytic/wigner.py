r"""Truncated Wigner approximation (TWA) for spin models in Schwinger bosons (seed 002 Sec. IV A).

Derivation (from the model, nothing typed in):

1. Every spin X is written with two bosons (seed 002 eq. 8),
   :math:`S^+ = u^\dagger d`, :math:`S^- = u d^\dagger`, :math:`S^z = (u^\dagger u - d^\dagger d)/2`,
   giving a bosonic :class:`~analytic.model.Model` (:func:`schwinger`) with the same rates.
2. The Wigner function W of the bosons (complex amplitudes :math:`\alpha`, treated with
   :math:`\alpha^*` as independent variables) obeys the Moyal expansion of the master equation,
   truncated at second order to the Fokker-Planck equation

   .. math:: \partial_t W = -\sum_i \partial_{z_i}(A_i W) + \tfrac12\sum_{ij}\partial_{z_i}\partial_{z_j}(D_{ij} W),
             \qquad z = (\alpha, \alpha^*).

   Drift and diffusion follow from the Weyl (symmetric-order) symbols :math:`\{\cdot\}_W` of
   Heisenberg-picture operators, which the truncation leaves exact for first and second moments:
   :math:`A_i = \{\mathcal L^\dagger z_i\}_W`,
   :math:`D_{ij} = \{\mathcal L^\dagger\,\mathrm{Sym}(z_i z_j)\}_W - z_i A_j - A_i z_j`, with
   :math:`\{a^{\dagger m}a^n\}_W = e^{-\partial_\alpha\partial_{\alpha^*}/2}\,\alpha^{*m}\alpha^n`
   for a normal-ordered product (the algebra's canonical order).  The third-order terms dropped
   here are smaller by :math:`1/S`.
3. Positive-diffusion approximation (seed 002 Sec. IV A): for a jump :math:`L` with Weyl symbol
   :math:`\ell` and rate r the field-dependent part of D is that of the noise
   :math:`d\alpha_i = \sqrt{r/2}\,(\partial_{\alpha_i^*}\ell\; d\xi - \partial_{\alpha_i^*}\bar\ell\; d\xi^*)`,
   :math:`\langle d\xi\,d\xi^*\rangle = dt` (a complex Wiener increment per jump), which is
   positive semidefinite.  The remainder :math:`D_0 = D - D_{\rm pd}` is field independent and
   indefinite (for :math:`\mathcal D[S^\pm]` it is :math:`\mathrm{diag}(\mp r/4, \pm r/4)` on
   (u, d)); it is dropped.  :func:`fokker_planck` checks that the remainder is indeed constant
   and raises otherwise.

The resulting Ito equations :math:`dz = A\,dt + \sum_k (P_k\,d\xi_k + Q_k\,d\xi_k^*)` are
integrated by :mod:`numeric.semiclassical.twa`.  Observables are averages of Weyl symbols
(:meth:`WignerFPE.symbol`), e.g. :math:`\{S^z\}_W = (|\alpha_u|^2 - |\alpha_d|^2)/2`,
:math:`\{S^+\}_W = \alpha_u^*\alpha_d`; the Schwinger number :math:`\{u^\dagger u + d^\dagger d\}_W
= |\alpha_u|^2 + |\alpha_d|^2 - 1 = 2S`.

Conventions: hbar = 1; rates multiply :math:`\mathcal D[L]` without a factor 2 (QuTiP), as in
:mod:`analytic.model`.  Lattice models keep their neighbour images: the drift of a cell depends
on the image amplitudes (``images``), which :mod:`numeric.semiclassical.twa` fills from the neighbouring cells.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sympy as sp

from .algebra import Mode, Op, scalar
from .model import Dissipator, Model, ModelError

__all__ = ["schwinger", "Schwinger", "weyl_symbol", "fokker_planck", "WignerFPE"]


# --------------------------------------------------------------------------- Schwinger bosons
@dataclass
class Schwinger:
    """A spin model rewritten in Schwinger bosons (seed 002 eq. 8).

    Attributes
    ----------
    spin_model : Model
    model : Model
        The bosonic model (two modes per spin, same parameters and rates).
    modes : dict
        ``{spin name: (u, d)}`` with the :class:`~analytic.algebra.Mode` objects.
    images : dict
        ``{image mode name: (own mode name, cell shift)}`` for lattice models.
    """

    spin_model: Model
    model: Model
    modes: dict
    images: dict = field(default_factory=dict)

    def convert(self, op: Op) -> Op:
        r"""A spin operator in bosons: :math:`S^+\to u^\dagger d`, :math:`S^-\to u d^\dagger`,
        :math:`S^z\to(u^\dagger u - d^\dagger d)/2`."""
        return _convert(op, self.modes)


def _mode_names(spin_name: str) -> tuple:
    return (f"{spin_name}_u", f"{spin_name}_d") if spin_name else ("u", "d")


def _convert(op: Op, modes: dict) -> Op:
    out = Op()
    for word, coeff in op.terms.items():
        term = scalar(coeff)
        for g in word:
            if g.sub.kind != "spin":
                raise ModelError(f"schwinger: subsystem {g.sub.name!r} is not a fixed-length spin")
            u, d = modes[g.sub.name]
            term = term * {"p": u.ad * d.a, "m": u.a * d.ad,
                           "z": (u.ad * u.a - d.ad * d.a) * sp.Rational(1, 2)}[g.letter]
        out = out + term
    return out


def schwinger(model: Model) -> Schwinger:
    r"""Rewrite a model of fixed-length spins in Schwinger bosons (seed 002 eq. 8).

    Raises :class:`ModelError` for atoms with individual dissipators or bosonic modes (not
    spins of fixed length).
    """
    if not isinstance(model, Model):
        raise ModelError(f"schwinger: expected an analytic Model, got {type(model).__name__}")
    bad = [s.name for s in model.subsystems if s.kind != "spin"]
    if bad:
        raise ModelError(f"schwinger: model {model.name!r} has subsystems {bad} that are not spins of fixed length")
    modes = {s.name: tuple(Mode(n, 2 * s.S) for n in _mode_names(s.name)) for s in model.subsystems}
    H = _convert(model.hamiltonian, modes)
    diss = tuple(Dissipator(_convert(d.jump, modes), d.rate, d.kind, d.label) for d in model.dissipators)
    subs = tuple(m for s in model.subsystems for m in modes[s.name])
    images = {}
    for img, (orig, shift) in model.derived.get("images", {}).items():
        for mi, mo in zip(modes[img], modes[orig]):
            images[mi.name] = (mo.name, shift)
    bos = Model(f"{model.name}_schwinger", dict(model.parameters), subs, H, diss,
                source=f"{model.source}; Schwinger bosons, seed 002 eq. (8)", derived={"images": images} if images else {})
    return Schwinger(model, bos, modes, images)


# --------------------------------------------------------------------------- Weyl symbols
def amplitude(mode: Mode) -> tuple:
    r"""The symbols :math:`(\alpha, \alpha^*)` of a mode (``alpha_<name>``, ``alphac_<name>``)."""
    return sp.Symbol(f"alpha_{mode.name}"), sp.Symbol(f"alphac_{mode.name}")


@lru_cache(maxsize=4096)
def _weyl_monomial(m: int, n: int) -> tuple:
    r"""Coefficients of :math:`e^{-\partial_\alpha\partial_{\alpha^*}/2}\alpha^{*m}\alpha^n`:
    ``((k, c_k), ...)`` for the terms :math:`c_k\,\alpha^{*(m-k)}\alpha^{n-k}`."""
    return tuple((k, sp.Rational(-1, 2) ** k / sp.factorial(k) * sp.ff(m, k) * sp.ff(n, k))
                 for k in range(min(m, n) + 1))


def weyl_symbol(op: Op) -> sp.Expr:
    r"""Weyl (symmetric-order) symbol of a bosonic operator, in the amplitudes of :func:`amplitude`.

    For the normal-ordered (canonical) word :math:`\prod_j a_j^{\dagger m_j} a_j^{n_j}` it is
    :math:`\prod_j e^{-\partial_{\alpha_j}\partial_{\alpha_j^*}/2}\alpha_j^{*m_j}\alpha_j^{n_j}`,
    e.g. :math:`\{a^\dagger a\}_W = |\alpha|^2 - 1/2`.
    """
    out = sp.Integer(0)
    for word, coeff in op.terms.items():
        counts: dict = {}
        for g in word:
            if g.sub.kind != "mode":
                raise ModelError(f"weyl_symbol: {g!r} is not a bosonic operator (convert spins with schwinger())")
            counts.setdefault(g.sub, [0, 0])[0 if g.letter == "c" else 1] += 1
        term = sp.sympify(coeff)
        for mode, (m, n) in counts.items():
            al, alc = amplitude(mode)
            term *= sum(c * alc ** (m - k) * al ** (n - k) for k, c in _weyl_monomial(m, n))
        out += term
    return sp.expand(out)


# --------------------------------------------------------------------------- Fokker-Planck equation
@dataclass
class WignerFPE:
    r"""The truncated Wigner Fokker-Planck equation of a spin model (see the module docstring).

    Attributes
    ----------
    schwinger : Schwinger
    alphas : list of Symbol
        Amplitudes of the own modes (order: spins of the cell, u then d); ``z = alphas + conj``.
    conj : dict
        ``{alpha: alpha*}`` for own and image modes.
    image_alphas : dict
        ``{image alpha: (own alpha, cell shift)}`` (lattice models).
    drift : dict
        ``{alpha: A_alpha}``; the drift of :math:`\alpha^*` is the conjugate expression.
    diffusion : sympy.Matrix
        Exact second-order D over ``z`` (:math:`D_{ij} dt = \langle dz_i dz_j\rangle`).
    P, Q : sympy.Matrix
        Positive-diffusion noise: rows ``alphas``, one column per dissipator,
        :math:`d\alpha = A\,dt + P\,d\xi + Q\,d\xi^*`.
    dropped : sympy.Matrix
        The field-independent, indefinite remainder :math:`D - D_{\rm pd}`.
    """

    schwinger: Schwinger
    alphas: list
    conj: dict
    image_alphas: dict
    drift: dict
    diffusion: sp.Matrix
    P: sp.Matrix
    Q: sp.Matrix
    dropped: sp.Matrix

    @property
    def z(self) -> list:
        return list(self.alphas) + [self.conj[a] for a in self.alphas]

    def positive_diffusion(self) -> sp.Matrix:
        r""":math:`D_{\rm pd}` over ``z`` from the noise: :math:`\langle dz_i dz_j\rangle = \sum_k
        (P_{ik}Q_{jk} + Q_{ik}P_{jk})\,dt` with the rows of :math:`\alpha^*` conjugated
        (:math:`d\alpha^* = \bar Q\,d\xi + \bar P\,d\xi^*`)."""
        Pz, Qz = _z_noise(self)
        n = len(Pz)
        return sp.Matrix(n, n, lambda i, j: sp.expand(sum(Pz[i][k] * Qz[j][k] + Qz[i][k] * Pz[j][k]
                                                          for k in range(self.P.shape[1]))))

    def symbol(self, op: Op | str) -> sp.Expr:
        r"""Weyl symbol of a spin operator (an :class:`~analytic.algebra.Op` of the spin model, or an
        operator string such as ``'Sz_a*Sz_a'``) in the Schwinger amplitudes."""
        if isinstance(op, str):
            op = self.schwinger.spin_model.operator(op)
        return weyl_symbol(self.schwinger.convert(op))


def _conjugate(expr: sp.Expr, conj: dict) -> sp.Expr:
    """Complex conjugate treating amplitude symbols as complex (alpha <-> alpha*), parameters real."""
    swap = {**conj, **{v: k for k, v in conj.items()}}
    return sp.conjugate(expr).subs({sp.conjugate(s): swap[s] for s in swap}, simultaneous=True)


def _z_noise(fpe: WignerFPE):
    rows_P = [list(fpe.P.row(i)) for i in range(len(fpe.alphas))]
    rows_Q = [list(fpe.Q.row(i)) for i in range(len(fpe.alphas))]
    Pz = rows_P + [[_conjugate(q, fpe.conj) for q in r] for r in rows_Q]
    Qz = rows_Q + [[_conjugate(p, fpe.conj) for p in r] for r in rows_P]
    return Pz, Qz


def fokker_planck(model: Model) -> WignerFPE:
    r"""Derive the truncated Wigner Fokker-Planck equation of a spin model (seed 002 Sec. IV A).

    Parameters
    ----------
    model : Model
        A model of fixed-length spins with collective dissipators (e.g. ``gain_loss_chain``).

    Returns
    -------
    WignerFPE
        Drift, exact second-order diffusion, the positive-diffusion noise (P, Q) and the dropped
        field-independent remainder.

    Raises
    ------
    ModelError
        Non-spin subsystems, or a jump whose diffusion is not of the positive-diffusion form
        plus a constant.
    """
    cache = model.derived.setdefault("_wigner", {})
    if "fpe" in cache:
        return cache["fpe"]
    sw = schwinger(model)
    bos = sw.model
    own = [m for s in model.subsystems if s.name not in model.derived.get("images", {}) for m in sw.modes[s.name]]
    conj, ops = {}, {}
    for m in bos.subsystems:
        al, alc = amplitude(m)
        conj[al] = alc
        ops[al], ops[alc] = m.a, m.ad
    alphas = [amplitude(m)[0] for m in own]
    image_alphas = {}
    for img, (orig, shift) in sw.images.items():
        image_alphas[sp.Symbol(f"alpha_{img}")] = (sp.Symbol(f"alpha_{orig}"), shift)
    z = alphas + [conj[a] for a in alphas]
    Lz = {s: bos.adjoint(ops[s]) for s in z}
    A = {s: weyl_symbol(Lz[s]) for s in z}
    n = len(z)
    D = sp.zeros(n, n)
    for i, zi in enumerate(z):
        for j in range(i, n):
            zj = z[j]
            sym = (ops[zi] * ops[zj] + ops[zj] * ops[zi]) * sp.Rational(1, 2)
            D[i, j] = D[j, i] = sp.expand(weyl_symbol(bos.adjoint(sym)) - zi * A[zj] - A[zi] * zj)
    # positive-diffusion noise: one complex Wiener increment per dissipator
    P = sp.zeros(len(alphas), len(bos.dissipators))
    Q = sp.zeros(len(alphas), len(bos.dissipators))
    for k, d in enumerate(bos.dissipators):
        ell = weyl_symbol(d.jump)
        ellbar = weyl_symbol(d.jump.dagger())
        amp = sp.sqrt(d.rate / 2)
        for i, a in enumerate(alphas):
            P[i, k] = sp.expand(amp * sp.diff(ell, conj[a]))
            Q[i, k] = sp.expand(-amp * sp.diff(ellbar, conj[a]))
    fpe = WignerFPE(sw, alphas, conj, image_alphas, {a: A[a] for a in alphas}, D, P, Q, sp.zeros(n, n))
    dropped = (D - fpe.positive_diffusion()).applyfunc(sp.expand)
    fields = set(conj) | set(conj.values())
    if any(e.free_symbols & fields for e in dropped):
        raise ModelError(f"fokker_planck: the diffusion of model {model.name!r} is not of the positive-diffusion "
                         "form plus a constant (non-linear jump operators?)")
    for a in alphas:
        if sp.expand(_conjugate(A[a], conj) - A[conj[a]]) != 0:
            raise ModelError(f"fokker_planck: the drift of {a} and of its conjugate are not conjugate")
    fpe.dropped = dropped
    cache["fpe"] = fpe
    return fpe
