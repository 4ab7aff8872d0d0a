"""``dspins report`` (numeric/app/report.py, numeric/app/cli.py): every registered formula of a model is
derived, evaluated and cross-checked against the numeric solvers; the table reports agreement in
digits or the fitted order in 1/S with the criterion and a legend, a failing check is a failing
row and exit status 1, a figure that cannot be written keeps the table; the opt-in result cache
of numeric.app.checks.run computes each check once per code version.

The physics of every check is asserted by tests/test_formula_checks.py; the tests here exercise
the report's machinery on stand-in checks or on checks that test_formula_checks also runs (with
DSPINS_CHECK_CACHE set, as in CI, they are computed once)."""
import importlib.util
import json
import re

import numpy as np
import pytest

import analytic as an
from numeric.app import checks
from numeric.app import figures
from numeric.app.cli import main
from numeric.app.report import LEGEND, Report, criterion, formulas_of, report, report_models


def fake_convergence(f):
    """A stand-in check with a convergence study (no numerics): errors ~ 1.3/S."""
    sizes = (8, 16, 32)
    return checks.CheckResult(f.name, f.check.kind, True, order=1.004, expected_order=1.0, order_tol=0.05,
                              sizes=sizes, errors={"g=0.9": [1.3 / s for s in sizes]}, detail="stand-in")


def fake_digits(f):
    return checks.CheckResult(f.name, f.check.kind, True, digits=13.2, required_digits=12.0, errors={"g=0.9": [6e-14]})


def test_reduced_crf_report_exact_and_meanfield_rows():
    """The fast part of the crf report: every exact closed form and the mean-field s_y (the same
    checks as test_formula_checks: taken from the cache when DSPINS_CHECK_CACHE is set)."""
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


def test_all_covers_the_catalogue_and_every_formula():
    """One list: the report's models are the catalogue, and every formula belongs to one of them
    (the totally mixed state's g2 is driven_dicke.exact.mixed_g2, not a model of its own)."""
    assert report_models() == list(an.models.catalogue)
    covered = [n for m in report_models() for n in formulas_of(m)]
    assert sorted(covered) == an.formulas.names()
    assert "driven_dicke.exact.mixed_g2" in formulas_of("driven_dicke")
    with pytest.raises(an.ModelError, match="model: unknown model"):
        formulas_of("nosuchmodel")
    with pytest.raises(SystemExit):
        main(["report", "mixed"])


def test_table_explains_itself():
    """Legend for digits, 'p = 1.024 (1)' and the criterion; columns as wide as their content."""
    rows = [
        checks.CheckResult("crf.meanfield.sz", "steady_state", True, order=1.024, expected_order=1.0, order_tol=0.05,
                           sizes=(16, 32, 64, 128), seconds=6.7),
        checks.CheckResult("crf.exact.sz", "exact", True, digits=50.9, required_digits=40.0, order=1.008,
                           expected_order=1.0, order_tol=0.02, sizes=(100, 3200), seconds=3.3, cached=True),
        checks.CheckResult("x.y.z", "root_count", False, errors={"p": [1, 3, 3, 3, 3]}, detail="root counts 1,3,3,3,3"),
    ]
    text = Report("crf", rows).table()
    lines = text.splitlines()
    head = lines[1]
    assert head.split() == ["formula", "check", "agreement", "required", "sizes", "time", "status"]
    body = lines[3:6]
    assert "p = 1.024 (1)" in body[0] and "|p - 1| < 0.05" in body[0] and body[0].endswith("ok")
    assert "50.9 digits, p = 1.008 (1)" in body[1] and ">= 40 digits, |p - 1| < 0.02" in body[1]
    assert "3.3s*" in body[1] and checks.CACHE_ENV in text  # a cached row says so
    assert "counts 1, 3, 3, 3, 1" in body[2] and "FAIL root counts 1,3,3,3,3" in body[2]
    # every column starts at the same offset in the header and the rows, and is no wider than needed
    starts = [head.index(h) for h in ("check", "agreement", "required", "sizes", "time", "status")]
    assert starts[0] == len("crf.meanfield.sz") + 2
    for line in body[:2]:
        assert line[starts[0] - 2:starts[0]] == "  " and line[starts[0]] != " "
    assert starts[2] - starts[1] == len("50.9 digits, p = 1.008 (1)") + 2
    for item in LEGEND:
        assert item in text
    assert re.search(r"^  digits +agreeing decimal digits between formula and numerics", text, re.M)
    assert re.search(r"^  p = 1.024 \(1\) +fitted order p of", text, re.M)
    assert "the expected order, the one the formula is registered with" in text
    assert re.search(r"^  required +the criterion that made the row 'ok'", text, re.M)
    assert max(len(line) for line in lines[lines.index("legend:"):]) <= 110
    assert criterion(rows[0]) == "|p - 1| < 0.05"


def test_cli_report_of_one_model(monkeypatch, capsys, tmp_path):
    """`dspins report gain_loss_dimer` (stand-in checks): one row per formula, the legend, the
    convergence figure written to --out, exit status 0."""
    monkeypatch.delenv(checks.CACHE_ENV, raising=False)
    monkeypatch.setitem(checks.KINDS, "hp_purity", fake_convergence)
    monkeypatch.setitem(checks.KINDS, "hp_lyapunov", fake_digits)
    assert main(["report", "gain_loss_dimer", "--out", str(tmp_path / "fig")]) == 0
    out = capsys.readouterr().out
    assert "3/3 formula checks agree" in out and LEGEND[0] in out
    assert (tmp_path / "fig" / "gain_loss_dimer_convergence.png").stat().st_size > 10_000
    assert "no registered formulas" in Report("nothing", []).table()
    with pytest.raises(SystemExit):
        main(["report", "nosuchmodel"])


def test_a_figure_that_cannot_be_written_keeps_the_table(monkeypatch, capsys, tmp_path):
    """The figure's path is taken by a folder: the table is printed, the error names the path,
    the exit status is 1."""
    monkeypatch.delenv(checks.CACHE_ENV, raising=False)
    monkeypatch.setitem(checks.KINDS, "hp_purity", fake_convergence)
    monkeypatch.setitem(checks.KINDS, "hp_lyapunov", fake_digits)
    taken = tmp_path / "gain_loss_dimer_convergence.png"
    taken.mkdir()
    assert main(["report", "gain_loss_dimer", "--out", str(tmp_path)]) == 1
    cap = capsys.readouterr()
    assert "gain_loss_dimer.hp.purity_fm" in cap.out and "3/3 formula checks agree" in cap.out
    assert str(taken) in cap.err and "cannot write figure" in cap.err
    assert f"figure NOT written: {str(taken)!r}" in cap.out


def test_a_failing_check_is_a_failing_row_and_exit_status(monkeypatch, capsys):
    """A check that raises is reported as FAIL with its message; the command exits with 1."""
    def broken(f):
        raise checks.ModelError("solver refused: residual 1e-3 above tolerance")

    monkeypatch.setitem(checks.KINDS, "ode", broken)
    rep = report("crf", figures=False, progress=False, names=["crf.meanfield.sy"])
    assert not rep.passed and "residual 1e-3" in rep.results[0].detail
    assert main(["report", "lmg", "--no-figures"]) == 1
    assert "FAIL ModelError: solver refused" in capsys.readouterr().out


def test_check_cache_stores_passing_results_keyed_by_the_code(monkeypatch, tmp_path):
    """DSPINS_CHECK_CACHE: the first run computes and stores, the second returns the stored
    result (same numbers, cached=True); a different implementation of the kind (a code change)
    misses; a failure is never stored; a change of the implementing file changes the key."""
    name = "driven_dicke.exact.mixed_g2"
    folder = tmp_path / "cache"
    monkeypatch.setenv(checks.CACHE_ENV, str(folder))
    first = checks.run(name)
    assert first.passed and not first.cached
    stored = list(folder.glob(f"{name}-*.json"))
    assert [p.name for p in stored] == [f"{name}-{checks.cache_key(name)}.json"]
    second = checks.run(name)
    assert second.cached and (second.digits, second.errors, second.seconds) == (first.digits, first.errors, first.seconds)
    assert json.loads(stored[0].read_text())["errors"] == first.errors

    calls = []

    def failing(f):
        calls.append(f.name)
        return checks.CheckResult(f.name, f.check.kind, False, detail="disagrees")

    monkeypatch.setitem(checks.KINDS, "mixed_exact", failing)
    assert checks.cache_key(name) != stored[0].stem.rsplit("-", 1)[1]
    for _ in range(2):  # recomputed each time: failures are not cached
        assert not checks.run(name).passed
    assert calls == [name, name] and len(list(folder.glob("*.json"))) == 1

    user = tmp_path / "user_kind.py"  # a user's own kind (register_kind), outside the package
    body = "from numeric.app.checks import CheckResult\n\ndef check(f):\n    return CheckResult(f.name, f.check.kind, True)\n"
    user.write_text(body)
    spec = importlib.util.spec_from_file_location("dspins_cache_test_kind", user)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setitem(checks.KINDS, "mixed_exact", module.check)
    key = checks.cache_key(name)
    user.write_text(body + "# edited\n")
    assert checks.cache_key(name) != key
    assert checks.run(name, cache="").cached is False  # cache='' : off for this call


def test_crf_figure_data_is_the_physics_of_paper_000():
    """The data behind Figs. 2b and 5: <Sz>/S -> -sqrt(1 - lambda^2) below lambda = 1 (error
    halves when S doubles), -> 0 above; the purity falls with S above lambda = 1."""
    lams = np.array([0.5, 1.5])
    data = figures.crf_exact_data(lams, sizes=(50, 100, 200))
    errs = [abs(data[S][0, 0] + np.sqrt(1 - 0.25)) for S in (50, 100, 200)]
    assert 1.9 < errs[0] / errs[1] < 2.1 and 1.9 < errs[1] / errs[2] < 2.1
    assert abs(data[200][1, 0]) < 0.05
    assert data[50][1, 1] > data[100][1, 1] > data[200][1, 1]
    assert data[200][0, 1] > 0.95  # nearly pure below the transition


def test_figures_label_every_panel_and_mark_clipped_curves():
    """Every panel has a legend, lambda = omega/(2 kappa) is in every lambda axis, the negativity
    is named (not 'N'), and the squeezing curves leaving the axes above lambda = 1 are marked."""
    lams = figures.crf_lambdas()[::3]
    data = figures.crf_exact_data(lams, sizes=(20, 40))
    for fig in (figures.crf_fig2b(lams, data), figures.crf_fig5(lams, data), figures.crf_fig6(lams, data)):
        for ax in fig.axes:
            if ax.get_label() == "<inset>" or ax.get_xlim() == (0.9, 1.1):  # the zoom of Fig. 2b shares its legend
                continue
            assert ax.get_legend() is not None, ax.get_title()
            assert ax.get_xlabel() == figures.LAMBDA
    fig6 = figures.crf_fig6(lams, data)
    neg, xi = fig6.axes
    assert "negativity" in neg.get_ylabel() and r"\mathcal{N}" in neg.get_ylabel()
    assert not re.search(r"(?<![\\{])\bN\b", neg.get_ylabel())
    assert "negativity" in neg.get_legend().get_title().get_text()
    edge = [ln for ln in xi.get_lines() if ln.get_marker() == "^"]
    assert len(edge) == len(data)  # one exit mark per S: xi^2 > 2 above lambda = 1
    assert all(ln.get_ydata()[0] == figures.XI2_MAX and ln.get_xdata()[0] > 0.9 for ln in edge)
    assert any("leaves the axes" in t.get_text() for t in xi.texts)
    conv = figures.convergence([fake_convergence(an.formulas.formula("crf.hp.xi2"))])
    assert conv.axes[0].get_legend() is not None


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
