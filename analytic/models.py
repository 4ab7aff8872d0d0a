r"""The catalogue of models from the five source papers, each in this project's conventions.

Every constructor cites the paper and equation it takes the model from and shows the mapping
to our Lindblad convention :math:`r\,\mathcal D[L]` (no factor 2, see :mod:`analytic.model`).
Papers written with :math:`\kappa(2L\rho L^\dagger - \{L^\dagger L,\rho\})` get :math:`r = 2\kappa`.
Spin operators are standard (:math:`S^z` eigenvalues :math:`-S..S`), never Pauli sums.

The papers are numbered ``000`` ... ``004`` (:mod:`analytic.papers`, the one citation table); a model
from the wider literature (``superradiant_laser``, issue 19) is cited by a key (``'meiser2009'``).
A constructor names its paper once, with the decorator :func:`analytic.papers.source`, and sets
``Model.source`` to the place in the paper; the decorator turns it into the full citation
(authors, title, journal reference where the paper states one) and appends that citation to the
docstring.  :data:`catalogue` is the one list of models: ``dspins models``, ``dspins derive``,
``dspins report`` and README show exactly these, and every registered formula
(:mod:`analytic.formulas`, ``<model>.<method>.<quantity>``) belongs to one of them.
"""
from __future__ import annotations

import sympy as sp

from . import papers
from .algebra import Atoms, Local, Mode, Spin
from .model import Dissipator, Model, ModelError

__all__ = [
    "crf", "driven_dicke", "lmg", "gain_loss_dimer", "gain_loss_chain", "open_dicke",
    "pumped_dicke", "kerr", "driven_tavis_cummings", "gain_loss_dimer_cavity",
    "driven_dicke_cavity", "open_dicke_halves", "superradiant_laser", "catalogue", "get",
]

_pos = dict(positive=True)
_real = dict(real=True)


def _params(spec: str, **assumptions) -> dict:
    return {n: sp.Symbol(n, **assumptions) for n in spec.split()}


@papers.source("000")
def crf() -> Model:
    r"""Cooperative resonance fluorescence (paper 000, eq. 10).

    .. math:: H = \omega S_x,\qquad \frac{2\kappa}{S}\,\mathcal D[S^-],

    one collective spin S.  Paper 000 writes the dissipator as
    :math:`\frac{\kappa}{S}(2S^-\rho S^+ - \dots)`, hence our rate :math:`2\kappa/S`.
    Critical point :math:`\lambda = \omega/(2\kappa) = 1`.
    """
    S = sp.Symbol("S", positive=True)
    p = _params("omega kappa", **_pos)
    spin = Spin("", S)
    return Model(
        name="crf",
        parameters=p,
        subsystems=(spin,),
        hamiltonian=spin.x * p["omega"],
        dissipators=(Dissipator(spin.minus, 2 * p["kappa"] / S, "collective", "decay"),),
        source="eq. (10)",
        notes="lambda = omega/(2 kappa)",
    )


@papers.source("004")
def driven_dicke() -> Model:
    r"""N driven two-level atoms with collective and individual decay (paper 004, eq. 1).

    .. math:: H = 2\Omega S_x,\qquad \gamma_c\,\mathcal D[S^-] + \gamma_s \sum_n \mathcal D[\sigma_n^-].

    Paper 004 writes :math:`\frac{\gamma_c}{2}(2S^-\rho S^+ - \dots)`: the rates map one to one.
    Mean-field parameters (paper 004 eq. 2): :math:`\gamma = \gamma_s + \gamma_c`,
    :math:`\Gamma = (N-1)\gamma_c`, :math:`\Omega_c = \Gamma/4`.
    """
    N = sp.Symbol("N", positive=True)
    p = _params("Omega gamma_c gamma_s", **_pos)
    atoms = Atoms("", N)
    return Model(
        name="driven_dicke",
        parameters=p,
        subsystems=(atoms,),
        hamiltonian=atoms.x * (2 * p["Omega"]),
        dissipators=(
            Dissipator(atoms.minus, p["gamma_c"], "collective", "collective decay"),
            Dissipator(atoms.local("sm"), p["gamma_s"], "individual", "individual decay"),
        ),
        source="eq. (1)",
    )


@papers.source("001")
def lmg(d: int = 2, dissipator: str = "ladder", levels: bool | None = None) -> Model:
    r"""Dissipative LMG (infinite-range XY) model of N spins j = (d-1)/2 (paper 001, eqs. 2-6).

    .. math:: H = \frac{V}{Nj}(J_x^2 - J_y^2),\quad \frac{\gamma_I}{j}\sum_i\mathcal D[L^{(i)}]
              + \frac{\gamma_C}{Nj}\mathcal D[L_C],\quad L_C = \sum_i L^{(i)},\quad
              L^{(i)} = \sum_{m=-j}^{j-1}\ell_m |m\rangle_i\langle m+1|_i .

    Paper 001 eq. (3) uses our convention (no factor 2), so the rates are taken as printed.
    ``dissipator='ladder'``: :math:`L^{(i)} = j_-^{(i)}`, :math:`\ell_m = A_{j,m}` (eq. 5);
    ``'uniform'``: :math:`\ell_m = \sqrt{2j}` for all m (the m-independent dissipator, eq. 6).
    Both obey the paper's normalisation :math:`\ell_{-j} = \sqrt{2j}` and coincide for d = 2, 3.
    For qubits (d = 2, j = 1/2): :math:`H = \frac{2V}{N}(S_x^2 - S_y^2)`, rates :math:`2\gamma_I` on
    :math:`\sigma_i^-` and :math:`2\gamma_C/N` on :math:`S^-`.

    ``levels`` chooses the collective generators (:class:`~analytic.algebra.Atoms`): for d = 2 the
    default is :math:`S^\pm, S^z` (mean-field variables ``sx, sy, sz``); ``levels=True`` (always
    for d > 2) uses :math:`E_{ab}` and the single-atom density-matrix variables of paper 001 eq. (8).
    """
    if not isinstance(d, int) or isinstance(d, bool) or d < 2:
        raise ModelError(f"lmg: d (levels per spin) must be an integer >= 2, got d={d!r}")
    if dissipator not in ("ladder", "uniform"):
        raise ModelError(f"lmg: dissipator must be 'ladder' or 'uniform', got {dissipator!r}")
    N = sp.Symbol("N", positive=True)
    V = sp.Symbol("V", real=True)
    p = {"V": V, **_params("gamma_I gamma_C", **_pos)}
    atoms = Atoms("", N, d, levels)
    j = atoms.j
    if dissipator == "ladder":
        L = atoms.spin_matrix("m")
    else:
        L = sp.zeros(d, d)
        for k in range(d - 1):
            L[k, k + 1] = sp.sqrt(2 * j)
    name = "sm" if d == 2 else f"L_{dissipator}"
    return Model(
        name="lmg",
        parameters=p,
        subsystems=(atoms,),
        hamiltonian=(atoms.x * atoms.x - atoms.y * atoms.y) * (V / (N * j)),
        dissipators=(
            Dissipator(Local(atoms, L, name), p["gamma_I"] / j, "individual", "individual decay"),
            Dissipator(atoms.collective(L), p["gamma_C"] / (N * j), "collective", "collective decay"),
        ),
        source=f"eqs. (2)-({5 if dissipator == 'ladder' else 6}), d = {d}",
    )


def _gain_loss_cell(p: dict, S: sp.Symbol, with_chain: bool):
    a, b = Spin("a", S), Spin("b", S)
    g = p["g"]
    H = (a.plus * b.minus + b.plus * a.minus) * (g / (2 * S))
    subs = [a, b]
    images = {}
    if with_chain:
        h = p["h"]
        b_prev, a_next = Spin("b_prev", S), Spin("a_next", S)
        H = H + (b_prev.plus * a.minus + a.plus * b_prev.minus) * (h / (2 * S))
        H = H + (b.plus * a_next.minus + a_next.plus * b.minus) * (h / (2 * S))
        subs += [b_prev, a_next]
        images = {"b_prev": ("b", -1), "a_next": ("a", +1)}
    diss = (
        Dissipator(a.plus, p["Gamma_g"] / S, "collective", "gain on a"),
        Dissipator(b.minus, p["Gamma_l"] / S, "collective", "loss on b"),
    )
    return subs, H, diss, images


@papers.source("002")
def gain_loss_dimer() -> Model:
    r"""Spin-S dimer with gain on site a and loss on site b (paper 002, eqs. 1-2 with h = 0).

    .. math:: H = \frac{g}{2S}(S_a^+S_b^- + S_b^+S_a^-),\qquad
              \frac{\Gamma_g}{S}\mathcal D[S_a^+] + \frac{\Gamma_l}{S}\mathcal D[S_b^-].

    Paper 002 writes :math:`\frac{1}{2S}\Gamma\,\mathcal D'` with :math:`\mathcal D'` carrying the
    factor 2, hence our rates :math:`\Gamma/S`.
    """
    S = sp.Symbol("S", positive=True)
    p = {"g": sp.Symbol("g", real=True), **_params("Gamma_g Gamma_l", **_pos)}
    subs, H, diss, _ = _gain_loss_cell(p, S, with_chain=False)
    return Model("gain_loss_dimer", p, subs, H, diss,
                 source="eqs. (1)-(2), one cell, h = 0")


@papers.source("002")
def gain_loss_chain() -> Model:
    r"""The gain-loss chain of paper 002 (eqs. 1-2): cells (a_n, b_n), intra-cell coupling g,
    inter-cell coupling h between b_n and a_{n+1}.

    The model holds one cell and its two neighbouring spins ``b_prev`` (= b_{n-1}) and
    ``a_next`` (= a_{n+1}); ``model.derived['images']`` tells the mean-field engine that, under
    translation invariance (paper 002 Appendix B), they carry the variables of b and a.
    """
    S = sp.Symbol("S", positive=True)
    p = {"g": sp.Symbol("g", real=True), "h": sp.Symbol("h", real=True), **_params("Gamma_g Gamma_l", **_pos)}
    subs, H, diss, images = _gain_loss_cell(p, S, with_chain=True)
    return Model("gain_loss_chain", p, subs, H, diss,
                 source="eqs. (1)-(2); mean-field with translation invariance (Appendix B)",
                 derived={"images": images})


@papers.source("003")
def open_dicke() -> Model:
    r"""Open (unbalanced) Dicke model (paper 003, eqs. 1-2), N = 2S atoms and a lossy cavity.

    .. math:: H = \omega_a S_z + \omega_c a^\dagger a + \frac{1}{\sqrt{2S}}
              \big(g_- S^- a^\dagger + g_+ S^+ a^\dagger + \mathrm{h.c.}\big),\qquad 2\kappa\,\mathcal D[a].

    Paper 003 writes :math:`\kappa(2a\rho a^\dagger - \dots)`, hence our rate :math:`2\kappa`.
    Balanced when :math:`g_+ = g_- = \bar g`.  Mean-field cavity variable :math:`\alpha = \langle a\rangle/\sqrt{2S}`.
    """
    S = sp.Symbol("S", positive=True)
    p = _params("omega_a omega_c kappa g_plus g_minus", **_pos)
    spin, cav = Spin("", S), Mode("", 2 * S)
    c = 1 / sp.sqrt(2 * S)
    inter = (spin.minus * cav.ad * p["g_minus"] + spin.plus * cav.ad * p["g_plus"]) * c
    H = spin.z * p["omega_a"] + cav.ad * cav.a * p["omega_c"] + inter + inter.dagger()
    return Model("open_dicke", p, (spin, cav), H,
                 (Dissipator(cav.a, 2 * p["kappa"], "collective", "cavity loss"),),
                 source="eqs. (1)-(2)")


@papers.source("000")
def pumped_dicke() -> Model:
    r"""Open pumped Dicke model (paper 000, eq. 32), K = 2S atoms.

    .. math:: H = \nu a^\dagger a + \frac{\Delta}{2\gamma^2} S_z + \omega S_x
              + \frac{G}{\sqrt{2S}}(a^\dagger + a) S_x,\qquad 2\gamma\,\mathcal D[a],

    paper 000 eq. (5) writes the cavity loss as :math:`\gamma(2a\rho a^\dagger - \dots)`.
    """
    S = sp.Symbol("S", positive=True)
    p = _params("nu Delta gamma omega G", **_pos)
    spin, cav = Spin("", S), Mode("", 2 * S)
    H = (cav.ad * cav.a * p["nu"] + spin.z * (p["Delta"] / (2 * p["gamma"] ** 2)) + spin.x * p["omega"]
         + (cav.ad + cav.a) * spin.x * (p["G"] / sp.sqrt(2 * S)))
    return Model("pumped_dicke", p, (spin, cav), H,
                 (Dissipator(cav.a, 2 * p["gamma"], "collective", "cavity loss"),),
                 source="eq. (32) with the cavity loss of eq. (5)")


@papers.source("002")
def kerr() -> Model:
    r"""Dissipative Kerr oscillator (paper 002, eqs. 6-7).

    .. math:: H = -\Delta c^\dagger c + \frac{U}{D} c^{\dagger 2} c^2 + \sqrt D F (c^\dagger + c),\qquad 2\gamma\,\mathcal D[c],

    paper 002 defines :math:`\mathcal D` with the factor 2 (below its eq. 2), hence :math:`2\gamma`.
    D is the effective system size; mean-field variable :math:`\alpha = \langle c\rangle/\sqrt D`.
    """
    D = sp.Symbol("D", positive=True)
    p = {"Delta": sp.Symbol("Delta", real=True), "U": sp.Symbol("U", real=True),
         **_params("F gamma", **_pos)}
    c = Mode("", D)
    H = (-p["Delta"]) * c.ad * c.a + (p["U"] / D) * c.ad * c.ad * c.a * c.a + sp.sqrt(D) * p["F"] * (c.ad + c.a)
    return Model("kerr", p, (c,), H, (Dissipator(c.a, 2 * p["gamma"], "collective", "loss"),),
                 source="eqs. (6)-(7)")


@papers.source("000")
def driven_tavis_cummings() -> Model:
    r"""Coherently driven atoms in a lossy cavity, the microscopic model behind ``crf``
    (paper 000, eqs. 5-8), K = 2S atoms.

    .. math:: H = \omega S_x + \nu a^\dagger a + G(a^\dagger S^- + a S^+),\qquad 2\gamma\,\mathcal D[a],

    paper 000 eq. (5) writes the loss as :math:`\gamma(2a\rho a^\dagger - \dots)`, hence our rate
    :math:`2\gamma`.  ``analytic.adiabatic.eliminate`` gives ``crf`` with
    :math:`2\kappa/S = 2\gamma G^2/(\gamma^2+\nu^2)` plus the exchange term
    :math:`-\nu G^2 S^+S^-/(\gamma^2+\nu^2)` that eq. (10) drops.
    """
    S = sp.Symbol("S", positive=True)
    p = {"omega": sp.Symbol("omega", positive=True), "nu": sp.Symbol("nu", real=True), **_params("G gamma", **_pos)}
    spin, cav = Spin("", S), Mode("", 2 * S)
    H = (spin.x * p["omega"] + cav.ad * cav.a * p["nu"]
         + (cav.ad * spin.minus + cav.a * spin.plus) * p["G"])
    return Model("driven_tavis_cummings", p, (spin, cav), H,
                 (Dissipator(cav.a, 2 * p["gamma"], "collective", "cavity loss"),),
                 source="eqs. (5)-(8) (Sec. II B)")


@papers.source("002")
def gain_loss_dimer_cavity() -> Model:
    r"""The cavity implementation of the gain-loss dimer (paper 002, eqs. 11-12): spins a, b
    (S each), a detuned mode c mediating the exchange and resonant lossy modes c_a, c_b
    (mode names ``'c'``, ``'ca'``, ``'cb'``).

    .. math:: H = \delta c^\dagger c - G_c[(S_a^- + S_b^-)c^\dagger + c(S_a^+ + S_b^+)]
              + G(S_a^+ c_a^\dagger + c_a S_a^-) + G(S_b^- c_b^\dagger + c_b S_b^+),

    .. math:: \gamma_c\mathcal D[c] + \gamma\,\mathcal D[c_a] + \gamma_L\mathcal D[c_b]:

    eq. (12) writes :math:`\frac12\gamma_c\mathcal D'[c]` with :math:`\mathcal D'` carrying the
    factor 2, so the rates map one to one.
    """
    S = sp.Symbol("S", positive=True)
    p = {"delta": sp.Symbol("delta", real=True), **_params("G_c G gamma_c gamma gamma_L", **_pos)}
    a, b = Spin("a", S), Spin("b", S)
    c, ca, cb = Mode("c", 2 * S), Mode("ca", 2 * S), Mode("cb", 2 * S)
    H = (c.ad * c.a * p["delta"]
         - ((a.minus + b.minus) * c.ad + c.a * (a.plus + b.plus)) * p["G_c"]
         + (a.plus * ca.ad + ca.a * a.minus) * p["G"]
         + (b.minus * cb.ad + cb.a * b.plus) * p["G"])
    diss = (Dissipator(c.a, p["gamma_c"], "collective", "loss of c"),
            Dissipator(ca.a, p["gamma"], "collective", "loss of c_a"),
            Dissipator(cb.a, p["gamma_L"], "collective", "loss of c_b"))
    return Model("gain_loss_dimer_cavity", p, (a, b, c, ca, cb), H, diss,
                 source="eqs. (11)-(12) (Sec. VI)")


@papers.source("004")
def driven_dicke_cavity() -> Model:
    r"""N two-level atoms in a laser-driven one-sided cavity (paper 004, Appendix A, eq. A1 in
    the frame of the laser), the microscopic model behind ``driven_dicke``.

    .. math:: H = -\delta S_z - \delta_c c^\dagger c + g(c^\dagger S^- + c S^+)
              + i\Omega_L(c^\dagger - c),\qquad \varkappa\,\mathcal D[c]
              + \gamma_s\sum_n\mathcal D[\sigma_n^-],

    with :math:`\delta = \omega_L - \omega_0`, :math:`\delta_c = \omega_L - \omega_c`, g real and the
    laser amplitude of (A1) taken as :math:`i\Omega_L` (a phase choice that makes the effective Rabi
    frequency of (A8) real at :math:`\delta_c = 0`); the constant :math:`-\delta N/2` is dropped.
    The cavity loss :math:`\varkappa` (parameter ``kappa``) follows from (A4)-(A5)
    (:math:`\dot c = -\varkappa c/2 + \dots`, :math:`\langle E E^\dagger\rangle = \varkappa\delta(t-t')`).
    """
    N = sp.Symbol("N", positive=True)
    p = {"delta": sp.Symbol("delta", real=True), "delta_c": sp.Symbol("delta_c", real=True),
         **_params("g kappa Omega_L gamma_s", **_pos)}
    atoms, cav = Atoms("", N), Mode("", N)
    H = (-p["delta"] * atoms.z - p["delta_c"] * cav.ad * cav.a
         + (cav.ad * atoms.minus + cav.a * atoms.plus) * p["g"] + (cav.ad - cav.a) * (sp.I * p["Omega_L"]))
    return Model("driven_dicke_cavity", p, (atoms, cav), H,
                 (Dissipator(cav.a, p["kappa"], "collective", "cavity loss"),
                  Dissipator(atoms.local("sm"), p["gamma_s"], "individual", "individual decay")),
                 source="Appendix A, eqs. (A1)-(A5)")


@papers.source("003")
def open_dicke_halves() -> Model:
    r"""The open Dicke model of :func:`open_dicke` with its N = 2S atoms split into two halves,
    spins ``a`` and ``b`` of length S/2 each (paper 003, Fig. 2 inset: "spin N/2 written as two
    spins N/4"; the halves' negativity measures entanglement between the two groups).

    .. math:: H = \omega_a (S^z_a + S^z_b) + \omega_c a^\dagger a + \frac{1}{\sqrt{2S}}
              \big(g_- (S^-_a + S^-_b) a^\dagger + g_+ (S^+_a + S^+_b) a^\dagger + \mathrm{h.c.}\big),
              \qquad 2\kappa\,\mathcal D[a],

    paper 003 eqs. (1)-(2) with :math:`\mathbf S = \mathbf S_a + \mathbf S_b`.  The total spin is
    conserved: on the symmetric subspace (total spin S) the dynamics is that of :func:`open_dicke`;
    the steady state is not unique (one per total-spin sector).
    """
    S = sp.Symbol("S", positive=True)
    p = _params("omega_a omega_c kappa g_minus g_plus", **_pos)
    a, b, cav = Spin("a", S / 2), Spin("b", S / 2), Mode("", 2 * S)
    c = 1 / sp.sqrt(2 * S)
    minus, plus = a.minus + b.minus, a.plus + b.plus
    inter = (minus * cav.ad * p["g_minus"] + plus * cav.ad * p["g_plus"]) * c
    H = (a.z + b.z) * p["omega_a"] + cav.ad * cav.a * p["omega_c"] + inter + inter.dagger()
    return Model("open_dicke_halves", p, (a, b, cav), H,
                 (Dissipator(cav.a, 2 * p["kappa"], "collective", "cavity loss"),),
                 source="eqs. (1)-(2), atoms split into two halves (Fig. 2 inset)")


@papers.source("meiser2009")
def superradiant_laser() -> Model:
    r"""The superradiant (bad-cavity) laser: N incoherently pumped two-level atoms in a resonant lossy
    cavity (Meiser, Ye, Carlson and Holland 2009, the master equation of the text), in the rotating frame.

    .. math:: H = g\,(a^\dagger S^- + a S^+),\qquad \kappa\,\mathcal D[a]
              + \gamma\sum_j\mathcal D[\sigma_j^-] + w\sum_j\mathcal D[\sigma_j^+].

    Convention mapping.  The paper writes :math:`H = \frac{\hbar\Omega}{2}\sum_j(a^\dagger\sigma_j^- +
    \mathrm{h.c.})` and every Lindblad term with a factor 1/2, :math:`\frac{\kappa}{2}(2a\rho a^\dagger -
    a^\dagger a\rho - \rho a^\dagger a)`, :math:`\frac{\gamma}{2}(2\sigma_j^-\rho\sigma_j^+ - \dots)`,
    :math:`\frac{w}{2}(2\sigma_j^+\rho\sigma_j^- - \dots)`: that is :math:`\kappa\,\mathcal D[a]` etc. in our
    convention, so the rates map one to one (our ``kappa``, ``gamma``, ``w`` are the paper's
    :math:`\kappa, \gamma, w`) and our coupling is :math:`g = \Omega/2` (:math:`S^- = \sum_j\sigma_j^-`).
    The paper's dephasing :math:`1/T_2` is omitted (:math:`T_2 = \infty`).  The paper's single-atom
    cooperativity is :math:`C = \Omega^2/(\kappa\gamma) = 4g^2/(\kappa\gamma)`; eliminating the cavity
    (:func:`analytic.adiabatic.eliminate`, :math:`\kappa \gg \sqrt N g`) leaves the collective decay
    :math:`C\gamma\,\mathcal D[S^-]`, :math:`C\gamma = 4g^2/\kappa`, with the individual decay and pump.
    Mean-field cavity variable :math:`\alpha = \langle a\rangle/\sqrt N`.
    """
    N = sp.Symbol("N", positive=True)
    p = _params("g kappa gamma w", **_pos)
    atoms, cav = Atoms("", N), Mode("", N)
    return Model("superradiant_laser", p, (atoms, cav), (cav.ad * atoms.minus + cav.a * atoms.plus) * p["g"],
                 (Dissipator(cav.a, p["kappa"], "collective", "cavity loss"),
                  Dissipator(atoms.local("sm"), p["gamma"], "individual", "individual decay"),
                  Dissipator(atoms.local("sp"), p["w"], "individual", "individual incoherent pump")),
                 source="the master equation of the text (Hamiltonian and Lindblad terms with kappa, gamma, w, T2)")


catalogue = {
    "crf": crf, "driven_dicke": driven_dicke, "lmg": lmg, "gain_loss_dimer": gain_loss_dimer,
    "gain_loss_chain": gain_loss_chain, "open_dicke": open_dicke, "pumped_dicke": pumped_dicke, "kerr": kerr,
    "driven_tavis_cummings": driven_tavis_cummings, "gain_loss_dimer_cavity": gain_loss_dimer_cavity,
    "driven_dicke_cavity": driven_dicke_cavity, "open_dicke_halves": open_dicke_halves,
    "superradiant_laser": superradiant_laser,
}


def get(name: str) -> Model:
    """A catalogue model by name."""
    if name not in catalogue:
        raise ModelError(f"unknown model {name!r}; the catalogue has {sorted(catalogue)}")
    return catalogue[name]()
