"""``dspins report`` (numeric/report.py, numeric/cli.py): every registered formula of a model is
derived, evaluated and cross-checked against the numeric solvers; the table reports agreement in
digits or the fitted order in 1/S, and a failing check is a failing row and exit status 1."""
import re

import numpy as np
import pytest

import analytic as an
from numeric import checks, figures
from numeric.cli import main
from numeric.report import Report, formulas_of, report, report_models


def test_reduced_crf_report_exact_and_meanfield_rows():
    """The fast part of the crf report: every exact closed form and the mean-field s_y."""
    names = [n for n in formulas_of("crf") if n.startswith("crf.exact.")] + ["crf.meanfield.sy"]
    rep = report("crf", figures=False, progress=False, names=names)
    assert [r.name for r in rep.results] == sorted(names) and rep.passed
    for r in rep.results:
        if r.kind == "exact":  # 50-digit closed form vs 50-digit steady state
            assert r.digits >= 40 and r.required_digits == 40, (r.name, r.digits)
    assert next(r for r in rep.results if r.name == "crf.meanfield.sy").digits > 7
    assert all(r.seconds > 0 for r in rep.results)
    with pytest.raises(an.ModelError, match="names"):
        report("crf", figures=False, progress=False, names=["lmg.meanfield.x"])


def test_all_covers_every_model_and_every_formula():
    models = report_models()
    assert set(an.models.catalogue) <= set(models)
    covered = [n for m in models for n in formulas_of(m)]
    assert sorted(covered) == an.formulas.names()
    with pytest.raises(an.ModelError, match="model: unknown model"):
        formulas_of("nosuchmodel")


def test_cli_report_of_one_model(capsys):
    """`dspins report mixed`: g2 of the totally mixed state agrees exactly (seed 004 eq. D3e)."""
    assert main(["report", "mixed", "--no-figures"]) == 0
    out = capsys.readouterr().out
    assert "mixed.exact.g2" in out and "1/1 formula checks agree" in out
    assert "no registered formulas" in Report("nothing", []).table()
    with pytest.raises(SystemExit):
        main(["report", "nosuchmodel"])


def test_a_failing_check_is_a_failing_row_and_exit_status(monkeypatch, capsys):
    """A check that raises is reported as FAIL with its message; the command exits with 1."""
    def broken(f):
        raise checks.ModelError("solver refused: residual 1e-3 above tolerance")

    monkeypatch.setitem(checks.KINDS, "ode", broken)
    rep = report("crf", figures=False, progress=False, names=["crf.meanfield.sy"])
    assert not rep.passed and "residual 1e-3" in rep.results[0].detail
    assert main(["report", "lmg", "--no-figures"]) == 1
    assert "FAIL ModelError: solver refused" in capsys.readouterr().out


def test_crf_figure_data_is_the_physics_of_seed_000():
    """The data behind Figs. 2b and 5: <Sz>/S -> -sqrt(1 - lambda^2) below lambda = 1 (error
    halves when S doubles), -> 0 above; the purity falls with S above lambda = 1."""
    lams = np.array([0.5, 1.5])
    data = figures.crf_exact_data(lams, sizes=(50, 100, 200))
    errs = [abs(data[S][0, 0] + np.sqrt(1 - 0.25)) for S in (50, 100, 200)]
    assert 1.9 < errs[0] / errs[1] < 2.1 and 1.9 < errs[1] / errs[2] < 2.1
    assert abs(data[200][1, 0]) < 0.05
    assert data[50][1, 1] > data[100][1, 1] > data[200][1, 1]
    assert data[200][0, 1] > 0.95  # nearly pure below the transition


@pytest.mark.slow
def test_main_job_report_crf_writes_figures(tmp_path, capsys, monkeypatch):
    """`dspins` alone runs `dspins report crf`: a row per registered crf formula, each agreeing
    (exact closed forms to >= 40 digits, asymptotic ones with the fitted order 1 in 1/S), and the
    figures written.  (`--all` runs the checks of tests/test_formula_checks.py for every model; its
    coverage of every model and formula is tested above.)"""
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    out = capsys.readouterr().out
    crf = formulas_of("crf")
    assert f"{len(crf)}/{len(crf)} formula checks agree" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.split() and line.split()[0] in crf}
    assert sorted(rows) == crf and all(r.endswith("  ok") for r in rows.values())
    digits, order = map(float, re.search(r"([\d.]+) digits, p = ([\d.]+)", rows["crf.exact.sz"]).groups())
    assert digits >= 40 and abs(order - 1) < 0.02
    for name in ("crf.meanfield.sz", "crf.hp.xi2"):
        assert abs(float(re.search(r"p = ([\d.]+)", rows[name]).group(1)) - 1) < 0.05
    folder = tmp_path / "dspins-report"
    pngs = {p.name for p in folder.glob("*.png")}
    assert pngs == {"crf_fig2b_sz.png", "crf_fig5_purity.png", "crf_fig6_negativity_squeezing.png",
                    "crf_convergence.png"}
    assert all(p.stat().st_size > 10_000 for p in folder.glob("*.png"))
