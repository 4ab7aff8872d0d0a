# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Paper 003: balanced and unbalanced open Dicke model (`open_dicke`)

# %%
import os, sys, pathlib
sys.path.insert(0, str(pathlib.Path.cwd().parent))   # the repository, when not pip-installed
sys.path.insert(0, str(pathlib.Path.cwd()))          # notebooks/cavity_figures.py
SIZE = os.environ.get('DSPINS_NOTEBOOK_SIZE', 'full')  # 'small' (CI): no cell of this notebook needs smaller sizes
assert SIZE in ('full', 'small'), f'DSPINS_NOTEBOOK_SIZE={SIZE!r}: use full or small'
# %matplotlib inline
import cavity_figures as cf
import numpy as np
import sympy as sp
import matplotlib.pyplot as plt
from IPython.display import Markdown, Math, display

import analytic as an
import numeric as nu
from analytic import meanfield as mf
from analytic import cavity as cv
from analytic import printing as pr
from numeric.semiclassical import cavity as nc
from numeric.app import checks
from numeric.app import figures

Markdown(an.papers.cite('003'))

# %% [markdown]
# A collective spin of $N = 2S$ atoms coupled to a lossy cavity mode through co-rotating ($g_-$) and
# counter-rotating ($g_+$) terms (eq. 1), with cavity loss $\kappa(2a\rho a^\dagger - \{a^\dagger a,\rho\})$
# (eq. 2). In the toolkit's (QuTiP) convention a rate multiplies $\mathcal D[L] = L\rho L^\dagger - \frac12\{L^\dagger L,\rho\}$
# without the factor 2, so the catalogue model `open_dicke` carries the rate $2\kappa$; its mean-field
# cavity variable is $\alpha = \langle a\rangle/\sqrt{2S}$ (the paper's $\beta = \langle a\rangle/\sqrt N$) and
# $s_a = \langle S_a\rangle/S = 2m_a$ (the paper's $\vec m = \langle\vec S\rangle/N$).
#
# This notebook
# 1. derives the mean-field equations (5) and shows that their cavity coupling "$g$" must be $2\bar g$;
# 2. derives the critical coupling $g_c$ and shows that the printed one has the wrong dimension;
# 3. reproduces the mean-field phase diagram in $(g_-, g_+)$ (Fig. 3b) from the closed-form boundaries,
#    cross-checked by numerics that never use them;
# 4. reproduces Figs. 1–2 (spin $Q$ function during the dynamics, atom–field covariance, negativity of two
#    halves of the atoms) at a small $N$;
# 5. shows the finite-$N$ steady state approaching mean field plus Gaussian fluctuations in the normal phase;
# 6. eliminates the cavity adiabatically and shows *why* this is not applicable at the paper's parameters;
# 7. checks the tunnelling rate equations (S2)–(S5) and the misprint in (S3).

# %%
m = an.models.open_dicke()
P = {k: m.symbol(k) for k in m.parameters}
display(Math('H = ' + pr.operator(m.hamiltonian)))
for d in m.dissipators:   # rate x D[L]; an individual dissipator acts on every atom n
    jump = r'\sum_n \mathcal D[' + pr.local(d.jump) if d.kind == 'individual' else r'\mathcal D[' + pr.operator(d.jump)
    display(Math(rf'\text{{{d.label}}}:\quad ' + pr.latex(d.rate) + r'\,' + jump + ']'))
assert [(str(d.jump), str(d.rate)) for d in m.dissipators] == [('a', '2*kappa')]   # the paper's kappa (2 a rho a+ - ...)

# %% [markdown]
# ## Mean-field equations (eq. 5)
#
# The engine derives the Heisenberg equations of $H$ and the cavity loss, factorises them and keeps the
# leading order in $1/S$ (exact for $N\to\infty$, as the paper recalls). Below: the general unbalanced
# equations, then the comparison with the printed balanced eq. (5),
# $\dot{\vec m} = \omega_a\vec e_z\times\vec m + 2\bar g(\beta+\beta^*)\vec e_x\times\vec m$,
# $\dot\beta = -(i\omega_c+\kappa)\beta - i g m_x$, with $\vec m = \vec s/2$, $\beta = \alpha$, $g_\pm = \bar g$.
# The paper never defines the $g$ of the cavity equation; the derivation fixes it to $g = 2\bar g$
# (with $g = \bar g$ the cavity would be driven half as strongly as the spin is rotated).

# %%
eqs = cv.open_dicke_equations()
for k, e in eqs.items():
    display(Math(pr.equation(k, e)))
v = mf.variables(m)
sx, sy, sz, ar, ai = (v[k] for k in ('sx', 'sy', 'sz', 'ar', 'ai'))
gbar = sp.Symbol(r'\bar g', positive=True)
bal = {P['g_plus']: gbar, P['g_minus']: gbar}
mvec, beta = sp.Matrix([sx, sy, sz]) / 2, ar + sp.I*ai
ex, ez = sp.Matrix([1, 0, 0]), sp.Matrix([0, 0, 1])
mdot = P['omega_a']*ez.cross(mvec) + 2*gbar*(beta + sp.conjugate(beta))*ex.cross(mvec)   # eq. (5), spin
bdot = lambda g: -(sp.I*P['omega_c'] + P['kappa'])*beta - sp.I*g*mvec[0]                 # eq. (5), cavity
for k, e in zip(('sx', 'sy', 'sz'), mdot):
    assert sp.expand(eqs[k].subs(bal)/2 - e) == 0, k                       # m = s/2
cavity = sp.expand(eqs['ar'].subs(bal) + sp.I*eqs['ai'].subs(bal))      # d alpha/dt
assert sp.expand(cavity - bdot(2*gbar)) == 0                            # eq. (5) with g = 2 gbar ...
assert sp.expand(cavity - bdot(gbar)) != 0                              # ... and not with g = gbar
display(Math(r'\dot\beta = ' + pr.latex(sp.collect(cavity, [ar, ai, sx]))))

# %% [markdown]
# ## The critical coupling: the printed formula has the wrong dimension
#
# Below eq. (5) the paper prints the normal phase as stable for $2\bar g < g_c = \sqrt{\omega_a(\omega_c^2+\kappa^2)}/\omega_c$.
# That expression scales as (frequency)$^{1/2}$. The engine finds the instability of the normal state
# (spin down, empty cavity) from the tangent Jacobian (registered formula
# `open_dicke.meanfield.critical_coupling`, the threshold on $\bar g = g_\pm$):
# $\bar g_c = \frac12\sqrt{\omega_a(\omega_c^2+\kappa^2)/\omega_c}$, i.e. $2\bar g < \sqrt{\omega_a(\omega_c^2+\kappa^2)/\omega_c}$ —
# the $\omega_c$ belongs under the square root. Both agree only at $\omega_c = 1$ (the parameters of Fig. 3).
# The registered check confirms the derived value with a finite-difference Jacobian of the mean-field flow,
# and at the parameters of Fig. 1 ($\kappa = 0.5\,\omega_a$, $\omega_c = 2.5\,\omega_a$) a coupling between the
# printed and the derived thresholds leaves the normal state stable.

# %%
wa, wc, ka = P['omega_a'], P['omega_c'], P['kappa']
gc = an.formulas.formula('open_dicke.meanfield.critical_coupling').expr
printed = sp.sqrt(wa*(wc**2 + ka**2))/wc                    # printed bound on 2 gbar
display(Math(r'\bar g_c = ' + pr.latex(gc) + r',\qquad 2\bar g_c^{\rm printed} = ' + pr.latex(printed)))
lam = sp.Symbol('lambda', positive=True)
scale = {wa: lam*wa, wc: lam*wc, ka: lam*ka}                # all frequencies x lambda
assert sp.simplify(gc.subs(scale, simultaneous=True)/gc - lam) == 0          # a frequency
assert sp.simplify(printed.subs(scale, simultaneous=True)/printed - sp.sqrt(lam)) == 0   # not a frequency
assert sp.simplify(2*gc - sp.sqrt(wa*(wc**2 + ka**2)/wc)) == 0
assert sp.simplify((2*gc - printed).subs(wc, 1)) == 0 and sp.simplify((2*gc - printed).subs(wc, 2)) != 0

r = checks.run('open_dicke.meanfield.critical_coupling')
print('critical coupling vs finite-difference Jacobian:', r.agreement())
assert r.passed and r.digits > 10

FIG1 = dict(cf.FIG1)                                        # omega_a = 1, omega_c = 2.5, kappa = 0.5
GC = float(an.formulas.get('open_dicke.meanfield.critical_coupling')(*(FIG1[k] for k in ('omega_a', 'omega_c', 'kappa'))))
GC_printed = float(printed.subs({wa: 1, wc: 2.5, ka: 0.5}))/2
print(f'Fig. 1 parameters: gbar_c = {GC:.4f} (derived), {GC_printed:.4f} (printed)')
normal = cv.uniform_point(-1)
between = (GC_printed + GC)/2
assert mf.stability(m, normal, {**FIG1, 'g_plus': between, 'g_minus': between}).kind == 'stable'
assert mf.stability(m, normal, {**FIG1, 'g_plus': 1.05*GC, 'g_minus': 1.05*GC}).kind == 'unstable'

# %% [markdown]
# Above $g_c$ the balanced model has the Dicke superradiant pair: eliminating all variables but $s_z$
# from the fixed-point equations leaves $(s_z^2-1)Q(s_z)$ with a quadratic $Q$
# (`analytic.cavity.superradiant_polynomial`), which is linear when $g_+ = g_-$, with root
# $s_z = -(g_c/\bar g)^2$; at the coupling of Fig. 1, $\bar g = 1.4\,g_c$, $s_z = -25/49$.

# %%
Q = cv.superradiant_polynomial()
display(Math('Q(s_z) = ' + pr.collected(Q, sz)))
Qb = sp.Poly(sp.expand(Q.subs(bal)), sz)
assert Qb.degree() == 1
root = sp.solve(Qb.as_expr(), sz)[0]
assert sp.simplify(root + (gc/gbar)**2) == 0
assert root.subs(gbar, sp.Rational(7, 5)*gc).simplify() == sp.Rational(-25, 49)

# %% [markdown]
# ## Registered formulas of the phase diagram and their numeric checks
#
# `analytic/cavity.py` derives the phase boundaries in closed form: the *normal edge* (a real eigenvalue
# of the normal state crosses zero; in the balanced limit it meets the diagonal at $g_c$) and the
# *saddle-node ray* $g_+ = \rho\,g_-$ where the stable and unstable superradiant pairs are born
# (discriminant of $Q$). The bistable phase of Fig. 3b lies between them. The checks locate the same
# boundaries with numerics that never use the closed forms: bisection of the finite-difference Jacobian's
# leading eigenvalue, and counting fixed points found by integrating the mean-field flow from random starts
# just below and above the ray.

# %%
names = [n for n in an.formulas.names() if n.startswith('open_dicke.')]
for n in names:
    f = an.formulas.formula(n)
    display(Math(r'\texttt{' + n.replace('_', r'\_') + '} = ' + pr.latex(f.expr)))
FIGS4 = dict(cf.FIGS4)                                      # omega_a = omega_c = kappa = 1 (Fig. 3, S4)
rho = an.formulas.formula('open_dicke.meanfield.saddle_node_ratio').expr
assert sp.simplify(rho.subs({wc: 1, ka: 1}) - (sp.sqrt(2) - 1)) == 0
assert abs(an.formulas.get('open_dicke.meanfield.critical_coupling')(1.0, 1.0, 1.0) - 2**-0.5) < 1e-14
edge = an.formulas.get('open_dicke.meanfield.normal_edge')
e18 = float(edge(1.0, 1.0, 1.0, 1.8))
print(f'Fig. S4 point g_- = 1.8, g_+ = 0.782: bistable window {float(rho.subs({wc: 1, ka: 1}))*1.8:.6f} < g_+ < {e18:.6f}')
assert float(rho.subs({wc: 1, ka: 1}))*1.8 < 0.782 < e18

for n in ('open_dicke.meanfield.normal_edge', 'open_dicke.meanfield.saddle_node_ratio'):
    r = checks.run(n)
    print(f'{n}: {r.agreement()}')
    assert r.passed

# %% [markdown]
# ## Fig. 3b — mean-field phase diagram in $(g_-, g_+)$
#
# Phases from the stable fixed points (`numeric.semiclassical.cavity.open_dicke_phase_diagram`) at
# $\omega_a = \omega_c = \kappa = 1$, with the closed-form saddle-node ray (black dashed), the normal edge
# (white dashed) and $g_c$ on the diagonal (red cross). The paper's Fig. 3b shows the finite-$N$
# tunnelling fraction on top of the same mean-field lines (black and white dashed); the nuHOPS data behind
# the colours are not reproduced here. Asserted: the five phases at known points, normal/superradiant
# along the balanced diagonal on either side of $g_c$, the bistable cells exactly between the two
# closed-form lines for $g_+ < g_-$, $g_- \ge 1$ (nearer to the cusp at $g_c$ the superradiant roots born on the
# ray still lie outside $-1 < s_z < 1$, so the wedge is narrower there), and the Fig. S4 point inside the bistable
# phase.

# %%
fig, d = cf.phase_diagram_figure(n=40, gmax=3.0, progress=False)
g, lab = d['g'], d['labels']
at = lambda gm, gp: lab[np.argmin(abs(g - gp)), np.argmin(abs(g - gm))]
assert at(1.8, 0.8) == 'bistable' and at(0.4, 0.2) == 'normal' and at(1.0, 1.0) == 'superradiant'
assert at(0.4, 2.0) == 'inverted' and at(2.0, 3.0) == 'limit_cycle'
diag = np.array([lab[i, i] for i in range(len(g))])          # balanced model g_+ = g_-
assert abs(d['gc'] - 2**-0.5) < 1e-12
assert set(diag[g < 0.95*d['gc']]) == {'normal'} and set(diag[g > 1.05*d['gc']]) == {'superradiant'}
checked = 0
for i, gp in enumerate(g):     # bistable <=> rho g_- < g_+ < edge(g_-), for g_+ < g_- away from the cusp (g_- >= 1)
    for j, gm in enumerate(g):
        lo, hi = d['rho']*gm, d['edge'][j]
        if gp >= gm or gm < 1 or min(abs(gp - lo), abs(gp - hi)) < 0.03:
            continue
        assert (lab[i, j] == 'bistable') == (lo < gp < hi), (gm, gp, lab[i, j])
        checked += 1
assert checked > 300 and (lab == 'bistable').sum() > 20
assert nc.open_dicke_phase({**FIGS4, 'g_minus': 1.8, 'g_plus': 0.782}) == 'bistable'   # Fig. S4
plt.show()

# %% [markdown]
# ## Figs. 1 and 2 — spin $Q$ function, atom–field covariance and entanglement of two halves
#
# Balanced model at $\bar g = 1.4\,g_c$, $\kappa = 0.5$, $\omega_c = 2.5$ ($\omega_a = 1$), initial state
# $|\theta=\pi/4,\phi=\pi\rangle\otimes|0\rangle$, exact master-equation evolution (`numeric.dynamics.evolve`, spin
# $\otimes$ truncated cavity; the helper refuses a truncation whose top Fock level is populated above $10^{-4}$).
# The paper uses nuHOPS for $N = 100\dots1000$; a density matrix fits $N = 8$ here (and $N = 4$ for the two
# halves, spins $N/4$ each, model `open_dicke_halves`), so this is the strongly quantum end of the paper's
# range: (a) the exact $\langle S_x\rangle/S$, $\langle S_z\rangle/S$ leave the mean-field trajectory (dotted) after
# the first half period; (b) the $Q$ function at $\omega_a t_1 = 7.5$ is spread far beyond a coherent state
# (the orange cross is the mean-field point); (c) $C_{af} = \langle S_x a\rangle - \langle S_x\rangle\langle a\rangle$
# over $N^{3/2}$ and the negativity of the two halves.
#
# Asserted: the product initial state (mean field exact at $t=0$, $C_{af} = 0$, no entanglement); a large
# deviation from mean field at this $N$; entanglement between the halves only in the transient (Fig. 2 inset:
# peak early, gone at late times); the $Q$ maximum on the side of the exact mean spin and far below 1. At
# late times the state is the *symmetric mixture* of the two superradiant mean-field states (at $N = 8$ the
# tunnelling between them is fast), so $\langle S_x\rangle, \langle a\rangle\to 0$ while
# $C_{af}/N^{3/2}\to s_x\alpha/2$ of the mean-field superradiant point — a classical correlation, as the paper
# concludes; for its large $N$ the state stays on one branch and $C_{af}$ decays instead.

# %%
fig, d = cf.dynamics_figure(N=8, truncation=14, steps=31, t_max=15.0, N_halves=4)
t, neg, caf, mfd = d['times'], d['negativity'], d['caf'], d['mf']
assert abs(d['sx'][0] - mfd['sx'][0]) < 1e-12 and abs(d['sz'][0] - mfd['sz'][0]) < 1e-12
assert abs(caf[0]) < 1e-12 and neg[0] < 1e-12
dev = np.max(np.abs(d['sx'] - mfd['sx']))
print(f'max |<Sx>/S - mean field| = {dev:.2f}; negativity peak {neg.max():.3f} at t = {t[np.argmax(neg)]:g}, final {neg[-1]:.1e}')
assert dev > 0.3                                                     # beyond mean field at N = 8
assert neg.max() > 0.1 and t[np.argmax(neg)] < 5 and neg[-1] < 0.05*neg.max()   # transient entanglement only
T, Ph, Qf = d['Q']
i, j = np.unravel_index(np.argmax(Qf), Qf.shape)
nmax = np.array([np.sin(T[i, j])*np.cos(Ph[i, j]), np.sin(T[i, j])*np.sin(Ph[i, j]), np.cos(T[i, j])])
mean = np.array([d['sx'][d['i1']], 0.0, d['sz'][d['i1']]])
assert nmax @ mean/np.linalg.norm(mean) > 0.5 and Qf.max() < 0.8          # peak towards <S>, not a coherent state
# late times: symmetric mixture of the two SR mean-field points +-(s_x, s_y, s_z, alpha)
sr = [p['point'] for p in nc.open_dicke_fixed_points({**FIG1, 'g_minus': 1.4*GC, 'g_plus': 1.4*GC})
      if p['label'] == 'superradiant' and p['stability'] == 'stable'][0]
caf_mix = sr['sx']*(sr['ar'] + 1j*sr['ai'])/2
print(f'C_af/N^1.5 at t = {t[-1]:g}: {caf[-1]:.4f}; mixture of the SR mean-field states: {caf_mix:.4f}')
assert abs(d['sx'][-1]) < 0.1 and abs(caf[-1] - caf_mix) < 0.25*abs(caf_mix)
plt.show()

# %% [markdown]
# ## Finite-$N$ steady state in the normal phase approaches mean field
#
# Balanced model at $\bar g = g_c/2$ (Fig. 1 parameters). The exact steady state (spin $\otimes$ cavity truncated
# at 6 photons; the solver checks the top level) tends to the mean-field normal state $s_z = -1$, $\alpha = 0$,
# and its $O(1)$ fluctuation numbers tend to the Gaussian (Holstein–Primakoff) values of
# `analytic.fluctuations.gaussian` around the normal state: spin excitations $S(1+\langle S_z\rangle/S)$, photons
# $\langle a^\dagger a\rangle$ and $C_{af}/\sqrt S$. (The Lyapunov equation is solved with the parameter values
# substituted; the fully symbolic `analytic.cavity.normal_fluctuations` takes ~30 s.) Asserted: the errors
# fall monotonically with $S$, a fit $f_\infty + c_1/S + c_2/S^2$ extrapolates to the Gaussian values within
# 1 %, and the local order of the error rises towards 1.

# %%
half = {**FIG1, 'g_minus': GC/2, 'g_plus': GC/2}
exact = {k: sp.nsimplify(x) for k, x in FIG1.items()}
gsym = gc.subs({P[k]: x for k, x in exact.items()})/2
G = an.fluctuations.gaussian(m, normal, parameters={**exact, 'g_minus': gsym, 'g_plus': gsym})
V = np.array(G.covariance.evalf(), dtype=float)              # quadratures x, p of the spin boson, then of the cavity
assert G.quadratures[0].direction == (-1, 0, 0)
caf_g = -(V[0, 2] + 1j*V[0, 3])/(2*np.sqrt(2))
targets = {'spin excitations': (V[0, 0] + V[1, 1] - 2)/4, 'photons': (V[2, 2] + V[3, 3] - 2)/4,
           'Re C_af/sqrt(S)': caf_g.real, 'Im C_af/sqrt(S)': caf_g.imag}
Ss = np.array([2, 3, 4, 5, 6, 8])
data = {k: [] for k in targets}
for S in Ss:
    st = nu.steady_state(m, half, S=int(S), truncation=6)
    c = nc.atom_field_covariance(st)/np.sqrt(S)
    for k, x in zip(targets, (S + st.expect('Sz'), st.expect('ad*a'), c.real, c.imag)):
        data[k].append(x)
labels = {'spin excitations': r'spin excitations $S + \langle S_z\rangle$', 'photons': r'photons $\langle a^\dagger a\rangle$',
          'Re C_af/sqrt(S)': r'Re $C_{af}/\sqrt{S}$', 'Im C_af/sqrt(S)': r'Im $C_{af}/\sqrt{S}$'}
fig, ax = plt.subplots(figsize=(5.5, 4))
X = np.vstack([np.ones(len(Ss)), 1/Ss, 1/Ss**2]).T
for k, target in targets.items():
    y = np.array(data[k]); err = np.abs(y - target)
    ax.loglog(Ss, err/abs(target), 'o-', label=labels[k])
    assert np.all(np.diff(err) < 0), k
    f_inf = np.linalg.lstsq(X, y, rcond=None)[0][0]
    local = np.log(err[:-1]/err[1:])/np.log(Ss[1:]/Ss[:-1])
    print(f'{k:18s} Gaussian {target:+.5f}  exact S=8 {y[-1]:+.5f}  extrapolated {f_inf:+.5f}  local order {local[-1]:.2f}')
    assert abs(f_inf/target - 1) < 0.01 and np.all(np.diff(local) > 0) and 0.75 < local[-1] < 1.0
ax.loglog(Ss, 1.0/Ss, 'k:', label=r'$\propto 1/S$')
ax.set_xlabel('S = N/2'); ax.set_ylabel('relative error vs Gaussian'); ax.legend(fontsize=7)
ax.set_title(r'normal phase, $\bar g = g_c/2$: exact $\to$ mean field + Gaussian', fontsize=9)
sz_mf = (Ss + 0.0 - np.array(data['spin excitations']))/Ss     # = -<S_z>/S
assert np.all(np.diff(sz_mf) > 0) and abs(sz_mf[-1] - 1) < 0.05     # <S_z>/S -> -1 (normal state)
plt.show()

# %% [markdown]
# ## Adiabatic elimination of the cavity — and why it fails at the paper's parameters
#
# `analytic.adiabatic.eliminate` removes the cavity (bad-cavity limit, second order in
# $X/(\omega_c - i\kappa)$, $X = (g_-S^- + g_+S^+)/\sqrt{2S}$): a collective jump $\propto g_-S^- + g_+S^+$ with rate
# $2\kappa\,|X|^2/(\omega_c^2+\kappa^2)$, and a cavity-mediated exchange $-\omega_c X^\dagger X/(\omega_c^2+\kappa^2)$.
# Its mean field reproduces the static threshold $g_c$ exactly. But the balanced eliminated model has a
# *Hermitian* jump operator $\propto S_x$, so its steady state is the maximally mixed state: the zero-frequency
# approximation of the cavity spectrum makes absorption and emission at $\pm\omega_a$ equally likely. The paper
# says adiabatic elimination is "not applicable" at $\kappa = 0.5$, $\omega_c = 2.5$ — here is by how much:
# scaling $\omega_c,\kappa\to\lambda\,\omega_c,\lambda\kappa$ and $\bar g\to\sqrt\lambda\,\bar g$ leaves the eliminated
# model unchanged, and the exact steady state ($S = 4$, $\bar g = g_c/2$) reaches it only as $1/\lambda$;
# at $\lambda = 1$ it is close to the normal state instead.

# %%
from analytic.adiabatic import eliminate
eff = eliminate(m)
rec = eff.derived['elimination'][0]
display(Math(r'H_{\rm eff} = ' + pr.operator(eff.hamiltonian)))
(dis,) = eff.dissipators
display(Math(r'\text{dissipator}:\quad ' + pr.latex(dis.rate) + r'\,\mathcal D[' + pr.operator(dis.jump) + ']'))
spin = eff.spins[0]
Xop = (spin.minus*P['g_minus'] + spin.plus*P['g_plus'])/sp.sqrt(2*m.symbol('S'))
assert ((dis.jump.dagger()*dis.jump)*dis.rate - Xop.dagger()*Xop*(2*ka/(wc**2 + ka**2))).simplify().is_zero()
print('validity:', rec.conditions[0][:80], '...')
# the eliminated model's mean field, balanced: the same g_c
eq_eff = {k: e.subs(bal) for k, e in mf.equations(eff, thermodynamic_limit=True).items()}
det = sp.factor(mf.tangent_jacobian(eff, normal, eq_eff).det())
assert [sp.simplify(x - gc) for x in sp.solve(det, gbar)] == [0]
# invariance of the eliminated model under omega_c, kappa -> lambda (omega_c, kappa), g -> sqrt(lambda) g
sc = {wc: lam*wc, ka: lam*ka, P['g_minus']: sp.sqrt(lam)*P['g_minus'], P['g_plus']: sp.sqrt(lam)*P['g_plus']}
for c in eff.hamiltonian.terms.values():
    assert sp.simplify(sp.sympify(c).subs(sc, simultaneous=True) - c) == 0
assert sp.simplify(dis.rate.subs(sc, simultaneous=True) - dis.rate) == 0


# %%
def trace_distance(a, b):
    return 0.5*float(np.abs(np.linalg.eigvalsh(a - b)).sum())
lams, S4 = np.array([1, 4, 16, 64, 256]), 4
dist, szs = [], []
for l in lams:
    vals = {'omega_a': 1.0, 'omega_c': 2.5*l, 'kappa': 0.5*l, 'g_minus': np.sqrt(l)*GC/2, 'g_plus': np.sqrt(l)*GC/2}
    full = nu.steady_state(m, vals, S=S4, truncation=6)
    red = nu.steady_state(eff, vals, S=S4)
    dist.append(trace_distance(full.reduced(kind='spin'), red.rho)); szs.append(full.expect('Sz')/S4)
dist = np.array(dist)
assert abs(red.expect('Sz')) < 1e-12 and abs(red.purity() - 1/(2*S4 + 1)) < 1e-12   # maximally mixed
order = np.log(dist[:-1]/dist[1:])/np.log(lams[1:]/lams[:-1])
print('<Sz>/S exact:', np.round(szs, 4), '\ntrace distance to the eliminated model:', np.round(dist, 4), '\nlocal order:', np.round(order, 3))
assert szs[0] < -0.9 and dist[0] > 0.7                                 # paper's parameters: far from the limit
assert np.all(np.diff(dist) < 0) and abs(order[-1] - 1) < 0.02           # converges as 1/lambda
fig, ax = plt.subplots(figsize=(5, 3.6))
ax.loglog(lams, dist, 'o-', label='trace distance, exact vs eliminated')
ax.loglog(lams, np.abs(szs), 's--', label=r'$|\langle S_z\rangle|/S$ exact (eliminated: 0)')
ax.loglog(lams, dist[-1]*lams[-1]/lams, 'k:', label=r'$\propto 1/\lambda$')
ax.set_xlabel(r'$\lambda$ ($\omega_c = 2.5\lambda$, $\kappa = 0.5\lambda$, $\bar g = \sqrt{\lambda}\,g_c(\lambda=1)/2$)')
ax.set_title('bad-cavity limit, S = 4: reached only for $\\lambda \\gg 1$', fontsize=9); ax.legend(fontsize=7)
plt.show()

# %% [markdown]
# ## Tunnelling rate equations (S2)–(S5): a misprint in (S3)
#
# In the bistable phase the paper models the long-time dynamics by a three-state rate equation (S2) over
# the normal state and the two superradiant states $s\pm$ (`numeric.dynamics.switching.seed003_rate_matrix`). Summing
# the two superradiant rows gives $\dot p_s = 2\gamma_{ns}p_n - \gamma_{sn}p_s$, $\dot p_n = -2\gamma_{ns}p_n + \gamma_{sn}p_s$,
# whose solutions are the printed (S4), (S5) and eq. (6). The printed (S3),
# $\dot p_s = -2\gamma_{ns}p_s + \gamma_{sn}p_s$, $\dot p_n = -\gamma_{sn}p_s + 2\gamma_{ns}p_n$, does not conserve
# probability, and started in the normal state it never populates the superradiant one. The rates below
# are illustrative ($\gamma_{ns} = 0.02$, $\gamma_{sn} = 0.05$, $\gamma_{ss} = 0.3$, as in `tests/numeric/test_switching.py`);
# the paper's fitted rates come from nuHOPS trajectories at $N \ge 100$, not reproduced here. The last step
# is the Supplement's procedure: fitting (S4), (S5) jointly to noisy populations recovers the rates.

# %%
import scipy.linalg
from numeric.dynamics.switching import seed003_rate_matrix, rate_solution, two_state_solution, fit_two_state
g_ns, g_sn, g_ss = 0.02, 0.05, 0.3
K = seed003_rate_matrix(g_ns, g_sn, g_ss)                   # states (n, s+, s-)
tt = np.linspace(0, 100, 101)
from_n, from_s = rate_solution(K, [1, 0, 0], tt), rate_solution(K, [0, 0.5, 0.5], tt)
S4_ = two_state_solution(2*g_ns, g_sn, 0.0, tt)             # (S4): p_s(t), normal start
S5_ = two_state_solution(g_sn, 2*g_ns, 0.0, tt)             # (S5): p_n(t), superradiant start
assert np.abs(from_n[:, 1:].sum(1) - S4_).max() < 1e-13 and np.abs(from_s[:, 0] - S5_).max() < 1e-13
assert abs(S4_[-1] - 2*g_ns/(2*g_ns + g_sn)*(1 - np.exp(-(2*g_ns + g_sn)*tt[-1]))) < 1e-15
for pn0 in (0.0, 0.3, 1.0):                                  # eq. (6) for any initial p_n
    sol = rate_solution(K, [pn0, (1 - pn0)/2, (1 - pn0)/2], tt)[:, 0]
    eq6 = g_sn/(2*g_ns + g_sn) + (2*g_ns*pn0 - g_sn*(1 - pn0))/(2*g_ns + g_sn)*np.exp(-(2*g_ns + g_sn)*tt)
    assert np.abs(sol - eq6).max() < 1e-13
assert abs(from_n[-1, 0] - 1/(1 + 2*g_ns/g_sn)) < 1e-4                    # steady p_n
K_printed = np.array([[-2*g_ns + g_sn, 0.0], [-g_sn, 2*g_ns]])        # (S3) as printed, order (p_s, p_n)
printed = np.array([scipy.linalg.expm(K_printed*x) @ [0.0, 1.0] for x in tt])
assert np.abs(printed[:, 0]).max() == 0 and printed[-1].sum() > 10     # p_s stays 0, p_n + p_s grows
rng = np.random.default_rng(3)
sig = 0.01
fit = fit_two_state(tt, S4_ + sig*rng.standard_normal(tt.size), S5_ + sig*rng.standard_normal(tt.size), sigma=sig)
print(f'fit: 2 gamma_ns = {fit.k_ab:.4f} +- {fit.error_ab:.4f} (true {2*g_ns}), gamma_sn = {fit.k_ba:.4f} +- {fit.error_ba:.4f} (true {g_sn})')
assert abs(fit.k_ab - 2*g_ns) < 4*fit.error_ab and abs(fit.k_ba - g_sn) < 4*fit.error_ba
fig, ax = plt.subplots(figsize=(5.5, 3.8))
ax.plot(tt, from_n[:, 1:].sum(1), 'b-', lw=3, alpha=0.4, label='$p_s$, normal start (S2)')
ax.plot(tt, S4_, 'b:', label='(S4)')
ax.plot(tt, from_s[:, 0], 'g-', lw=3, alpha=0.4, label='$p_n$, superradiant start (S2)')
ax.plot(tt, S5_, 'g:', label='(S5)')
ax.plot(tt, printed.sum(1), 'r--', label=r'$p_n + p_s$ from (S3) as printed ($\propto e^{2\gamma_{ns}t}$)')
ax.set_ylim(0, 2.5); ax.set_xlabel('t'); ax.set_ylabel('population'); ax.legend(fontsize=7)
figures.mark_exits(ax, tt, [printed.sum(1)], ['r'])
ax.set_title('rate equations of the Supplement', fontsize=9)
plt.show()

# %% [markdown]
# ## Summary
#
# | paper | printed | derived here (checked) |
# |---|---|---|
# | eq. (5) | cavity coupling $g$, undefined | $g = 2\bar g$ (the engine's equations; $g = \bar g$ fails) |
# | below eq. (5) | $2\bar g < \sqrt{\omega_a(\omega_c^2+\kappa^2)}/\omega_c$ (wrong dimension) | $2\bar g < \sqrt{\omega_a(\omega_c^2+\kappa^2)/\omega_c}$; finite-difference Jacobian to ~15 digits |
# | Fig. 3b | mean-field boundaries (dashed) | normal edge and saddle-node ray in closed form, located independently by bisection and fixed-point counting |
# | (S3) | $\dot p_s = -2\gamma_{ns}p_s + \gamma_{sn}p_s$ | $\dot p_s = 2\gamma_{ns}p_n - \gamma_{sn}p_s$ (sum of S2); (S4), (S5), (6) follow |
#
# Not reproduced: the nuHOPS data themselves ($N$ up to 1000), the finite-$N$ tunnelling fractions and fitted
# rates of Fig. 3(c)–(e), and the steady-state squeezing of the bistable phase (all need $N \gtrsim 100$).
