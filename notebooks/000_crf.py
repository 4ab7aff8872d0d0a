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
# # Paper 000: cooperative resonance fluorescence (`crf`)

# %%
import os, sys, pathlib
sys.path.insert(0, str(pathlib.Path.cwd().parent))   # the repository, when not pip-installed
SIZE = os.environ.get('DSPINS_NOTEBOOK_SIZE', 'full')  # 'small' (CI): no cell of this notebook needs smaller sizes
assert SIZE in ('full', 'small'), f'DSPINS_NOTEBOOK_SIZE={SIZE!r}: use full or small'
import warnings, tqdm
warnings.filterwarnings('ignore', category=tqdm.TqdmWarning)  # tqdm.auto (numeric.app.report, numeric.semiclassical.cluster) warns without ipywidgets
# %matplotlib inline
import numpy as np
import sympy as sp
import matplotlib.pyplot as plt
from IPython.display import Markdown, Math, display

import analytic as an
import numeric as nu
from analytic import meanfield as mf
from analytic import printing as pr
from numeric.app import figures

Markdown(an.papers.cite('000'))

# %% [markdown]
# One collective spin $S$ driven by $\omega S_x$ and decaying collectively (bad-cavity limit of a driven
# Tavis–Cummings model). The paper writes the master equation with $\frac{\kappa}{S}(2S^-\rho S^+ - \dots)$;
# in the toolkit's (QuTiP) convention a rate multiplies $\mathcal D[L] = L\rho L^\dagger - \frac12\{L^\dagger L,\rho\}$
# without a factor 2, so the catalogue model `crf` carries the rate $2\kappa/S$ (paper 000, eq. 10).
# The transition is at $\lambda = \omega/(2\kappa) = 1$.
#
# This notebook derives the paper's key equations with the engine, shows the two misprints the
# derivation found, cross-checks every exported formula against the numeric solvers, and reproduces
# Figs. 2, 5, 6 and 7, asserting the physics each one shows.

# %%
m = an.models.crf()
omega, kappa = m.symbol('omega'), m.symbol('kappa')
display(Math('H = ' + pr.operator(m.hamiltonian)))   # omega S_x in the canonical order S+, Sz, S-
for d in m.dissipators:   # rate x D[L]; an individual dissipator acts on every atom n
    jump = r'\sum_n \mathcal D[' + pr.local(d.jump) if d.kind == 'individual' else r'\mathcal D[' + pr.operator(d.jump)
    display(Math(rf'\text{{{d.label}}}:\quad ' + pr.latex(d.rate) + r'\,' + jump + ']'))
assert [str(d.rate) for d in m.dissipators] == ['2*kappa/S']   # the paper's kappa/S (2 S- rho S+ - ...)

# %% [markdown]
# ## Mean-field equations (eq. 13) and fixed points (eqs. 14–15)
#
# The engine computes the Heisenberg equations from $H$ and the jump operator, factorises them and
# keeps the leading order in $1/S$, in the scaled variables $s_a = \langle S_a\rangle/S$.

# %%
eqs = mf.equations(m, thermodynamic_limit=True)
for k, e in eqs.items():
    display(Math(pr.equation(k, e)))
sx, sy, sz = mf.variables(m).values()
# eq. (13) of the paper, with S_a/S -> s_a
assert sp.expand(eqs['sz'] - (-2*kappa*(sx**2 + sy**2) + omega*sy)) == 0
assert sp.expand(eqs['sx'] - 2*kappa*sx*sz) == 0

# %%
fps = mf.fixed_points(m)
for p in fps:
    display(Math(', '.join(f'{pr.symbol_latex(k)} = {pr.latex(v)}' for k, v in p.items())
                 + r'\quad\text{exists for } ' + pr.latex(p.conditions)))
len(fps)

# %% [markdown]
# ## Linear stability: the paper's eqs. (19)–(20) are misprinted
#
# The paper prints the Jacobian eigenvalues as $\pm 2\kappa\sqrt{1-\lambda}$ (magnetised phase) and
# $\pm\omega\sqrt{1-1/\lambda}$ (paramagnetic phase). The engine finds $\pm2\kappa\sqrt{1-\lambda^2}$ and
# $\pm i\omega\sqrt{1-1/\lambda^2}$ (on the tangent plane of the sphere). The numeric check below
# integrates the mean-field flow and takes a finite-difference Jacobian at the attractor: it agrees with
# the derived rate, not with the printed one.

# %%
lam = sp.Symbol('lambda', positive=True)
ev = [sp.simplify(e.subs(omega, 2*kappa*lam)) for e in mf.eigenvalues(m, fps[0])]
display(Math(r'\text{eigenvalues (magnetised, stable branch)}: ' + pr.latex(ev)))
assert sp.simplify(ev[0] + 2*kappa*sp.sqrt(1 - lam**2)) == 0
ev_para = [sp.simplify(e.subs(omega, 2*kappa*lam)) for e in mf.eigenvalues(m, fps[2])]
display(Math(r'\text{eigenvalues (paramagnetic)}: ' + pr.latex(ev_para)))
# = +-i omega sqrt(1 - 1/lambda^2) for lambda > 1 (printed: +-omega sqrt(1 - 1/lambda))
assert sp.simplify(ev_para[0]**2 + (omega**2*(1 - 1/lam**2)).subs(omega, 2*kappa*lam)) == 0

from numeric.app import checks
r = checks.run('crf.meanfield.relaxation_rate')
print(r.agreement(), {k: [f'{e:.1e}' for e in v] for k, v in r.errors.items()})
assert r.passed and r.digits > 6
# the printed rate 2 kappa sqrt(1 - lambda) differs from the numeric one at omega = kappa = 1
rate = an.formulas.get('crf.meanfield.relaxation_rate')(1.0, 1.0)
assert abs(rate - 2*np.sqrt(1 - 0.25)) < 1e-12 and abs(rate - 2*np.sqrt(1 - 0.5)) > 0.3

# %% [markdown]
# ## Fig. 2a — mean-field solutions
#
# Stable (solid) and unstable (dashed) fixed points from the closed forms above; stability from the
# sign of the real parts of the derived eigenvalues. Phase I ($\lambda<1$): one attractor and one
# repeller; phase II ($\lambda>1$): two centres with $s_z = 0$ — no symmetry breaking.

# %%
lams = np.linspace(0.01, 2, 400)
fig, ax = plt.subplots(figsize=(7.5, 4))
colors = {'sx': 'tab:blue', 'sy': 'tab:green', 'sz': 'k'}
labelled = set()
def on_grid(expr):   # a closed form of (omega, kappa) on the lambda grid at kappa = 1
    f = sp.lambdify(lam, sp.sympify(expr).subs(omega, 2*kappa*lam).subs(kappa, 1), 'numpy')
    with np.errstate(invalid='ignore'):
        return np.broadcast_to(np.asarray(f(lams.astype(complex)), dtype=complex), lams.shape)
for p in fps:
    comps = {k: on_grid(v) for k, v in p.items()}
    exists = np.all([abs(c.imag) < 1e-12 for c in comps.values()], axis=0)
    stable = exists & (on_grid(mf.eigenvalues(m, p)[0]).real < -1e-12)
    for k, c in comps.items():
        for sel, ls, kind in ((stable, '-', 'stable'), (exists & ~stable, '--', 'unstable')):
            label = f'${pr.symbol_latex(k)}$ {kind}' if sel.any() and (k, kind) not in labelled else None
            if label:
                labelled.add((k, kind))
            ax.plot(lams[sel], c.real[sel], ls, color=colors[k], lw=2 if kind == 'stable' else 1, label=label)
ax.axvspan(1, 2, color='0.9', label=r'phase II ($\lambda > 1$)'); ax.set_ylim(-1.1, 1.1); ax.set_xlim(0, 2)
ax.set_xlabel(figures.LAMBDA); ax.set_ylabel('$s_x, s_y, s_z$')
ax.legend(fontsize=7, loc='upper left', bbox_to_anchor=(1.01, 1.0)); fig.tight_layout()
ax.set_title('paper 000 Fig. 2a: mean-field fixed points', fontsize=9);
# phase I: exactly one attractor, s_y = lambda, s_z = -sqrt(1 - lambda^2); phase II: no attractor (centres)
attractors = [p for p in fps if (on_grid(mf.eigenvalues(m, p)[0]).real < -1e-12).any()]
assert len(attractors) == 1 and np.allclose(on_grid(attractors[0]['sz'])[lams < 1].real, -np.sqrt(1 - lams[lams < 1]**2))
assert not (on_grid(mf.eigenvalues(m, attractors[0])[0]).real[lams > 1] < -1e-12).any()

# %% [markdown]
# ## The exact steady state (eqs. 11–12) and a second misprint
#
# Puri and Lawande's state is $\rho \propto \sum_{m,n} (g^*)^{-m} g^{-n} (S^-)^m (S^+)^n$. The engine
# derives $g$ by requiring that this ansatz solve the master equation of the catalogue model: it finds
# $g = i\omega S/(2\kappa) = i\lambda S$, where the paper prints $g = i\omega S/\kappa$ (a factor 2 off
# under the paper's own convention). The check compares the closed form, evaluated in O(S) with
# mpmath, with the 50-digit numeric steady state.

# %%
g = an.exact.puri_lawande_g()
display(Math('g = ' + pr.latex(g)))
S = next(iter(m.size_symbols()))
assert sp.simplify(g - sp.I*omega*S/(2*kappa)) == 0
r = checks.run('crf.exact.sz')
print('crf.exact.sz vs 50-digit steady state:', r.agreement())
assert r.digits > 40 and abs(r.order - 1) < 0.02

# %% [markdown]
# ## Every exported formula against the numerics
#
# `dspins report crf` does the same from the command line. Exact formulas agree to ~50 digits with
# the arbitrary-precision solver; asymptotic ones (mean field, Holstein–Primakoff) converge with the
# fitted order $p \approx 1$ in $1/S$.

# %%
from numeric.app.report import report
rep = report('crf', figures=False, progress=False)
rows = [f"| `{r.name}` | {r.kind} | {r.agreement()} | {', '.join(map(str, r.sizes)) or '-'} | {'ok' if r.passed else 'FAIL'} |"
        for r in rep.results]
display(Markdown('\n'.join(['| formula | check | agreement | sizes | |', '|---|---|---|---|---|'] + rows)))
assert rep.passed and len(rep.results) >= 10

# %% [markdown]
# ## Fig. 2b — exact magnetisation for S = 50 … 1600
#
# From the closed form (no Liouvillian needed at $S = 1600$). Below $\lambda=1$ the curves converge to the
# mean-field attractor $-\sqrt{1-\lambda^2}$ with an error $\propto 1/S$; above, $\langle S_z\rangle/S\to 0$.

# %%
lams = figures.crf_lambdas()
data = figures.crf_exact_data(lams)
fig = figures.crf_fig2b(lams, data)
i = np.argmin(abs(lams - 0.5)); err = {S: abs(d[i, 0] + np.sqrt(1 - lams[i]**2)) for S, d in data.items()}
assert 1.9 < err[100] / err[200] < 2.1 and err[1600] < 1e-3
assert abs(data[1600][lams > 1.5, 0]).max() < 0.01
fig

# %% [markdown]
# ## Fig. 5 — purity of the state (eq. 23) and of one qubit (eq. 27)
#
# In the thermodynamic limit the full state jumps from pure to maximally mixed at $\lambda = 1$; the
# single-qubit purity stays continuous with a cusp.

# %%
fig = figures.crf_fig5(lams, data)
below, above = lams < 0.8, lams > 1.3
assert data[1600][below, 1].min() > 0.9                                   # pure in phase I
assert np.all(data[1600][above, 1] < data[400][above, 1])                # mixing grows with S in phase II
assert data[1600][above, 1].max() < 0.05
assert data[1600][:, 2].min() >= 0.5 - 1e-12 and data[1600][below, 2].min() > 0.9
fig

# %% [markdown]
# ## Fig. 6 — two-qubit negativity (eqs. 24–26) and spin squeezing (eq. 28)
#
# The negativity uses the reduced two-qubit state built from collective moments; the denominators of
# $v_\pm$, $x_\pm$ in eq. (26) are misprinted ($4(S-\frac12)$, $8(S-\frac12)$ instead of
# $4S(S-\frac12)$, $8S(S-\frac12)$, found by explicit partial traces). Squeezing $\xi^2_x<1$ for all
# $\lambda<1$, and the Holstein–Primakoff limit is $\xi^2 = \sqrt{1-\lambda^2}$ (as paper 004, eq. F13).

# %%
fig = figures.crf_fig6(lams, data)
peak = {S: lams[np.argmax(d[:, 3])] for S, d in data.items()}
print('negativity peak at lambda =', {S: round(float(p), 3) for S, p in peak.items()})
assert abs(peak[1600] - 1) < 0.05 and abs(peak[1600] - 1) <= abs(peak[50] - 1)
assert data[1600][lams < 0.95, 4].max() < 1                                # squeezed in phase I
xi2_hp = an.formulas.get('crf.hp.xi2')
assert abs(data[1600][i, 4] - xi2_hp(2*lams[i], 1.0)) < 2e-3                # -> Gaussian limit
fig

# %% [markdown]
# ## Fig. 7 — Husimi Q function (eqs. 29–30)
#
# From the numeric steady state (float64 solver) at $\lambda = 0.05$ and $1.05$, $S = 10$ and $100$.
# The toolkit's coherent state points along $(\theta,\phi)$ from the north pole (the paper measures
# $\theta$ from the south pole — its caption says the $z$ axis was flipped). In phase I the state is
# nearly a coherent state at the mean-field point (max Q close to 1, its value for a coherent state);
# in phase II the state is mixed: the maximum of Q falls well below 1 and keeps falling as S grows.

# %%
from numeric.states.phasespace import husimi_grid, plot_husimi
fig, axs = plt.subplots(2, 2, figsize=(10, 6))
qmax = {}
for row, lam_ in enumerate((0.05, 1.05)):
    for col, S_ in enumerate((10, 100)):
        st = nu.steady_state(m, {'omega': 2*lam_, 'kappa': 1.0}, S=S_)
        T, P, Q = husimi_grid(st, 48, 96)
        qmax[lam_, S_] = Q.max()
        plot_husimi(st, projection='map', ax=axs[row, col], n_theta=48, n_phi=96, title=rf'$\lambda = {lam_}$, $S = {S_}$')
        if lam_ < 1:   # peak at the mean-field attractor (s_y = lambda, s_z = -sqrt(1 - lambda^2))
            axs[row, col].plot([np.pi/2], [np.arccos(-np.sqrt(1 - lam_**2))], 'x', color='orange', ms=9, mew=2,
                               label='mean-field attractor')
            axs[row, col].legend(fontsize=7, loc='lower right')
            a, b = np.unravel_index(np.argmax(Q), Q.shape)
            n = np.array([np.sin(T[a, b])*np.cos(P[a, b]), np.sin(T[a, b])*np.sin(P[a, b]), np.cos(T[a, b])])
            assert np.dot(n, [0, lam_, -np.sqrt(1 - lam_**2)]) > 0.99
fig.suptitle(r'paper 000 Fig. 7: Husimi Q of the steady state, ' + figures.LAMBDA + r' ($\theta$ from the north pole)', fontsize=10)
fig.tight_layout()
print('max Q:', {k: round(float(q), 6) for k, q in qmax.items()})
assert min(qmax[0.05, 10], qmax[0.05, 100]) > 0.95          # nearly pure coherent states
assert qmax[1.05, 100] < qmax[1.05, 10] < 0.8               # mixed, spreading with S

# %% [markdown]
# ## The pumped open Dicke model (eqs. 32–33): a third inconsistency
#
# For the model of eq. (32) (cavity $\nu a^\dagger a$, loss $2\gamma\,\mathcal D[a]$, coupling
# $\frac{G}{\sqrt{2S}}(a^\dagger + a)S_x$), with $x = \mathrm{Re}\langle a\rangle$, $p = \mathrm{Im}\langle a\rangle$
# the spin equations and $\dot x$ agree with the paper, but $\dot p$ has $-G S_x/\sqrt K$ where eq. (33)
# prints $-2G S_x/\sqrt K$.

# %%
pd = an.models.pumped_dicke()
v = mf.variables(pd); e = mf.equations(pd)
Sp_ = pd.symbol('S'); K = 2*Sp_; G, nu_, gam = (pd.symbol(k) for k in ('G', 'nu', 'gamma'))
X, P, Sx = sp.symbols('x p S_x')                    # x = sqrt(K) Re alpha, p = sqrt(K) Im alpha, S_x = S s_x
dp = sp.expand((sp.sqrt(K)*e['ai']).subs({v['ar']: X/sp.sqrt(K), v['ai']: P/sp.sqrt(K), v['sx']: Sx/Sp_}))
display(Math(r'\dot p = ' + pr.latex(dp)))
assert sp.simplify(dp - (-nu_*X - G/sp.sqrt(K)*Sx - gam*P)) == 0   # printed: -2 G S_x/sqrt(K)

# %% [markdown]
# ## Continue in QuTiP
#
# `numeric.app.interop.to_qutip` exports the model at finite size; `qutip.steadystate` gives the same state.

# %%
import qutip
from numeric.app.interop import to_qutip
q = to_qutip(m, {'omega': 1.4, 'kappa': 1.0}, S=20)
rho = qutip.steadystate(q.H, q.c_ops)
st = nu.steady_state(m, {'omega': 1.4, 'kappa': 1.0}, S=20)
assert np.abs(rho.full() - st.rho).max() < 1e-8
qutip.expect(q.op('Sz'), rho) / 20, an.formulas.get('crf.exact.sz')(1.4, 1.0, 20)
