"""Figures of the cavity models: the open Dicke phase diagram in (g_-, g_+) (paper 003 Fig. 3b),
a spin Q-function snapshot during the dynamics with the atom-field covariance and the negativity
between two halves of the atoms (paper 003 Figs. 1 and 2), and the Kerr gap against F (paper 002
Fig. 4a); the papers are listed in analytic.papers.

Usage::

    python notebooks/cavity_figures.py [OUTDIR]        # default out/figures

Each ``*_figure`` function returns ``(matplotlib Figure, data dict)``; the data is what the tests
assert on.  Conventions: analytic.models.open_dicke (cavity loss 2 kappa D[a], paper 003's kappa),
analytic.models.kerr (loss 2 gamma D[c], paper 002's gamma); hbar = 1.
"""
from __future__ import annotations

import os
import sys
import time

import matplotlib.pyplot as plt
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import analytic as an  # noqa: E402
from analytic.model import ModelError  # noqa: E402
from numeric.semiclassical import cavity as nc  # noqa: E402
from numeric.semiclassical.flows import meanfield_trajectory  # noqa: E402
from numeric.dynamics.evolve import evolve  # noqa: E402
from numeric.states.phasespace import husimi_grid, plot_husimi, spin_coherent_state  # noqa: E402
from numeric.solvers.steady import truncation_check  # noqa: E402

FIGS4 = {"omega_a": 1.0, "omega_c": 1.0, "kappa": 1.0}    # paper 003 Fig. 3 / S4
FIG1 = {"omega_a": 1.0, "omega_c": 2.5, "kappa": 0.5}     # paper 003 Figs. 1, 2
KERR = {"Delta": 10.0, "U": 10.0, "gamma": 1.0}           # paper 002 Fig. 4
COLOURS = {"normal": 0, "superradiant": 1, "bistable": 2, "inverted": 3, "limit_cycle": 4}


# --------------------------------------------------------------------------- open Dicke phase diagram
def phase_diagram_figure(n: int = 60, gmax: float = 3.0, base: dict | None = None, progress: bool = False):
    """Mean-field phases of the open Dicke model on an n x n grid of (g_-, g_+) in (0, gmax],
    with the closed-form boundaries of analytic.cavity (normal edge, saddle-node ray, g_c) and the
    superradiant -> limit-cycle boundary found by continuation (numeric.semiclassical.cavity.superradiant_hopf)."""
    base = dict(FIGS4 if base is None else base)
    g = np.linspace(gmax / n, gmax, n)
    labels = nc.open_dicke_phase_diagram(base, g, g, progress=progress)
    codes = np.vectorize(lambda s: COLOURS.get(s, len(COLOURS)))(labels)
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    cmap = plt.get_cmap("Set2", len(COLOURS) + 1)
    ax.pcolormesh(g, g, codes, cmap=cmap, vmin=-0.5, vmax=len(COLOURS) + 0.5, shading="nearest")
    rho = float(an.formulas.get("open_dicke.meanfield.saddle_node_ratio")(base["omega_c"], base["kappa"]))
    edge = an.formulas.get("open_dicke.meanfield.normal_edge", domain="nan")  # NaN below g_c (no edge)
    gc = float(an.formulas.get("open_dicke.meanfield.critical_coupling")(base["omega_a"], base["omega_c"], base["kappa"]))
    with np.errstate(invalid="ignore"):
        ge = np.array([float(edge(base["omega_a"], base["omega_c"], base["kappa"], x)) for x in g])
    ax.plot(g, rho * g, "k--", lw=1, label=r"saddle node $g_+ = \rho g_-$")
    ax.plot(g, ge, "w--", lw=1.2, label="normal edge")
    ax.plot([gc], [gc], "r+", ms=12, mew=2, label=r"$g_c$ (balanced)")
    hopf_gm, hopf_gp = [], []
    for gm in np.linspace(gmax / 4, gmax, 10):
        try:
            hopf_gp.append(nc.superradiant_hopf(base, gm, gmax))
            hopf_gm.append(gm)
        except ModelError:  # no stable superradiant state, or it never loses stability below gmax
            continue
    ax.plot(hopf_gm, hopf_gp, "b.-", lw=1, label="Hopf (continuation)")
    for name, code in {**COLOURS, "other coexistence": len(COLOURS)}.items():
        ax.plot([], [], "s", color=cmap(code), label=name)
    ax.set_xlim(0, gmax)
    ax.set_ylim(0, gmax)
    ax.set_xlabel(r"$g_-$")
    ax.set_ylabel(r"$g_+$")
    ax.set_title(r"paper 003 Fig. 3b: open Dicke mean field, $\omega_a=%g, \omega_c=%g, \kappa=%g$"
                 % (base["omega_a"], base["omega_c"], base["kappa"]), fontsize=9)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0), facecolor="0.8")  # shows the white line
    fig.tight_layout()
    return fig, {"g": g, "labels": labels, "rho": rho, "edge": ge, "gc": gc,
                 "hopf": (np.array(hopf_gm), np.array(hopf_gp))}


# --------------------------------------------------------------------------- dynamics (paper 003 Figs. 1, 2)
def _product_state(spin_kets, truncation: int) -> np.ndarray:
    vac = np.zeros(truncation)
    vac[0] = 1.0
    psi = vac
    for k in reversed(spin_kets):
        psi = np.kron(k, psi)
    return psi


def _checked(states, truncation_tol: float):
    """Refuse states whose top Fock level is populated above ``truncation_tol``."""
    for st in states:
        truncation_check(st, np.real(np.diag(st.rho)), truncation_tol)
    return states


def dynamics_figure(N: int = 20, truncation: int = 24, t1: float = 7.5, t_max: float = 15.0, steps: int = 61,
                    N_halves: int | None = None, truncation_tol: float = 1e-4, g_over_gc: float = 1.4,
                    progress: bool = False):
    r"""Paper 003 Figs. 1-2 style, balanced model at g = 1.4 g_c, kappa = 0.5, omega_c = 2.5
    (omega_a = 1), initial state :math:`|\theta=\pi/4, \phi=\pi\rangle\otimes|0\rangle`:
    (a) :math:`\langle S_x\rangle/S, \langle S_z\rangle/S` of the exact evolution (numeric.dynamics.evolve)
    and of the mean-field equations; (b) the spin Q function at :math:`t_1 = 7.5/\omega_a`;
    (c) :math:`C_{af}/N^{3/2}` and the negativity between two halves (open_dicke_halves,
    ``N_halves`` atoms, default N).  Raises if the cavity truncation is too small; ``progress``:
    numeric.dynamics.evolve's progress line on stderr."""
    S, m = N / 2, an.models.open_dicke()
    gc = float(an.formulas.get("open_dicke.meanfield.critical_coupling")(1.0, 2.5, 0.5))
    v = {**FIG1, "g_minus": g_over_gc * gc, "g_plus": g_over_gc * gc}
    times = np.linspace(0.0, t_max, steps)
    if not np.any(np.isclose(times, t1)):
        raise ValueError(f"t1={t1} must be one of the output times linspace(0, {t_max}, {steps})")
    psi0 = _product_state([spin_coherent_state(S, np.pi / 4, np.pi)], truncation)
    ev = evolve(m, v, psi0, times, S=S, truncation=truncation, e_ops=["Sx", "Sz", "Sx*a", "a"],
                store_states=True, progress=progress)
    states = _checked(ev.states, truncation_tol)
    caf = (ev.expect["Sx*a"] - ev.expect["Sx"] * ev.expect["a"]) / N ** 1.5
    mf = meanfield_trajectory(m, v, {"sx": -np.sin(np.pi / 4), "sy": 0.0, "sz": np.cos(np.pi / 4), "ar": 0.0,
                                     "ai": 0.0}, times, thermodynamic_limit=True)
    Nh = N if N_halves is None else N_halves
    h = an.models.open_dicke_halves()
    half = spin_coherent_state(Nh / 4, np.pi / 4, np.pi)
    evh = evolve(h, v, _product_state([half, half], truncation), times, S=Nh / 2, truncation=truncation,
                 store_states=True, progress=progress)
    neg = np.array([nc.negativity(st, "a", "b") for st in _checked(evh.states, truncation_tol)])
    i1 = int(np.argmin(np.abs(times - t1)))
    T, P, Q = husimi_grid(states[i1], 48, 96)

    fig = plt.figure(figsize=(12, 3.6))
    ax = fig.add_subplot(1, 3, 1)
    ax.plot(times, ev.expect["Sx"] / S, "b-", label=r"$\langle S_x\rangle/S$ exact")
    ax.plot(times, ev.expect["Sz"] / S, "g-", label=r"$\langle S_z\rangle/S$ exact")
    ax.plot(times, mf["sx"], "b:", label="mean field")
    ax.plot(times, mf["sz"], "g:")
    ax.axvline(times[i1], color="0.6", lw=0.8)
    ax.set_xlabel(r"$\omega_a t$")
    ax.set_title(rf"$N = {N}$, $\bar g = {g_over_gc}\, g_c$", fontsize=9)
    ax.legend(fontsize=7)
    ax2 = fig.add_subplot(1, 3, 2)
    plot_husimi(states[i1], projection="map", ax=ax2, n_theta=48, n_phi=96,
                title=rf"spin Q at $\omega_a t_1 = {times[i1]:g}$")
    th = np.arccos(np.clip(mf["sz"][i1], -1, 1))
    ax2.plot([np.arctan2(mf["sy"][i1], mf["sx"][i1]) % (2 * np.pi)], [th], "x", color="orange", ms=10, mew=2,
             label="mean-field spin")
    ax2.legend(fontsize=7, loc="upper right")
    ax3 = fig.add_subplot(1, 3, 3)
    ax3.plot(times, caf.real, "k-", label=r"Re $C_{af}/N^{3/2}$")
    ax3.plot(times, caf.imag, "k--", label=r"Im $C_{af}/N^{3/2}$")
    ax3.plot(times, neg, "r-", label=f"negativity of two halves (N = {Nh})")
    ax3.set_xlabel(r"$\omega_a t$")
    ax3.set_title("atom-field covariance, entanglement of two halves", fontsize=9)
    ax3.legend(fontsize=7)
    fig.tight_layout()
    return fig, {"times": times, "sx": ev.expect["Sx"] / S, "sz": ev.expect["Sz"] / S, "mf": mf, "caf": caf,
                 "negativity": neg, "Q": (T, P, Q), "i1": i1, "S": S}


# --------------------------------------------------------------------------- Kerr gap
def kerr_gap_figure(Ds=(10, 20, 30, 40, 50), F=None, progress: bool = False):
    """Liouvillian gap of the Kerr oscillator against F for several D (paper 002 Fig. 4a, in our
    convention, rate 2 gamma), with the finite-D gap minima; ``progress``: a tqdm bar on stderr."""
    from tqdm import tqdm

    F = np.linspace(1.5, 2.1, 25) if F is None else np.asarray(F, float)
    m = an.models.kerr()
    gaps, minima = {}, {}
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for D in tqdm(Ds, desc="kerr gap", disable=not progress):
        T = int(2.5 * D) + 20
        gaps[D] = np.array([nc.slowest_rate(m, {**KERR, "F": f}, D=D, truncation=T) for f in F])
        minima[D] = nc.gap_minimum(m, KERR, "F", (F[0], F[-1]), D=D, truncation=T)
        line, = ax.semilogy(F, gaps[D], "-", label=f"D = {D}")
        ax.semilogy([minima[D][0]], [minima[D][1]], "o", color=line.get_color(), label=f"minimum, D = {D}")
    ax.axvline(1.76, color="k", ls="--", lw=0.8, label=r"$F = 1.76\gamma$ (paper)")
    ax.set_xlabel(r"$F/\gamma$")
    ax.set_ylabel(r"gap $\varepsilon_L/\gamma$")
    ax.set_title(r"paper 002 Fig. 4a: Kerr oscillator, $U = \Delta = 10\gamma$", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig, {"F": F, "gaps": gaps, "minima": minima}


def write_all(out: str, dpi: int = 120) -> list:
    """Write the three figures at full size into ``out``; returns the file names."""
    os.makedirs(out, exist_ok=True)
    names = []
    for name, build in (("open_dicke_phase_diagram.png", lambda: phase_diagram_figure(progress=True)),
                        ("open_dicke_qfunction_dynamics.png", lambda: dynamics_figure(N=20, truncation=24, N_halves=8, progress=True)),
                        ("kerr_gap.png", lambda: kerr_gap_figure(progress=True))):
        fig, _ = build()
        path = os.path.join(out, name)
        fig.savefig(path, dpi=dpi)
        plt.close(fig)
        names.append(path)
    return names


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else os.path.join("out", "figures")
    t0 = time.perf_counter()
    names = write_all(out)
    print(f"wrote {len(names)} figures to {out} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    main()
