"""The command line (numeric/app/cli.py) as a new user meets it: `dspins derive` prints what the
engine derives (plain or LaTeX, with progress and without doubled messages), `dspins models`
lists the one catalogue with full citations, `dspins --version`, a bad `--out` fails before any
computation, `report --all MODEL` is an error; and the repository's own documents agree with
the catalogue, cite the papers and cite only files the repository contains (issue 16, part 4)."""
import importlib.metadata
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import analytic as an
from analytic.papers import PAPERS
from numeric.app import checks
from numeric.app.cli import derive_report, main, models_listing

ROOT = Path(__file__).resolve().parents[2]


def test_derive_crf_report_contains_the_physics():
    text = derive_report("crf")
    assert "dsz/dt = -2*kappa*sx**2 - 2*kappa*sy**2 + omega*sy" in text
    assert "sz = -sqrt(4*kappa**2 - omega**2)/(2*kappa)" in text
    assert "exists for: 4*kappa**2 - omega**2 >= 0" in text
    assert "Jacobian eigenvalues: -sqrt(4*kappa**2 - omega**2), -sqrt(4*kappa**2 - omega**2)" in text
    assert "2*kappa - omega = 0" in text
    assert PAPERS["000"].citation in text  # who wrote the model's paper


def test_derive_latex_renders_every_expression():
    """`derive --latex`: H, dissipator, equations, fixed points, conditions, eigenvalues and
    boundaries in LaTeX with the notebooks' symbols (s_x, not sx)."""
    text = derive_report("crf", latex=True, progress=False)
    body = text.split("=" * 78)[-1]
    assert r"H = \frac{\omega S^{+}}{2} + \frac{\omega S^{-}}{2}" in body
    assert r"rate \frac{2 \kappa}{S} on \mathcal{D}[S^{-}]" in body
    assert r"\dot{s}_{z} = - 2 \kappa s_{x}^{2} - 2 \kappa s_{y}^{2} + \omega s_{y}" in body
    assert r"s_{z} = - \frac{\sqrt{4 \kappa^{2} - \omega^{2}}}{2 \kappa}" in body
    assert r"exists for: 4 \kappa^{2} - \omega^{2} \geq 0" in body
    assert r"Jacobian eigenvalues: - \sqrt{4 \kappa^{2} - \omega^{2}},\quad - \sqrt{4 \kappa^{2} - \omega^{2}}" in body
    assert r"2 \kappa - \omega = 0" in body
    # no SymPy plain-text leftovers: no ** powers, no bare variable names, no D[S-]
    assert "**" not in body and "D[S-]" not in body
    assert not re.search(r"(?<![\\\w{])(sx|sy|sz|kappa|omega)\b", body), body


def test_derive_reduced_polynomial_progress_and_no_doubled_message(capsys):
    """driven_dicke has no compact closed form: the reduced cubic, collected in s_z, is printed
    (LaTeX: gamma_c, s_z); the slow fixed-point step shows a status line on stderr; the message
    of the failed closed form is printed once, not as 'fixed points: fixed_points: ...'."""
    text = derive_report("driven_dicke", latex=True, timeout=3)
    err = capsys.readouterr().err
    assert "driven_dicke: fixed points" in err and "00:0" in err  # the status line with its elapsed time
    assert "fixed_points: no closed form for 'driven_dicke'" in text
    assert "fixed points: fixed_points" not in text and text.count("fixed_points:") == 1
    poly = next(line for line in text.splitlines() if line.endswith("= 0") and "s_{z}^{3}" in line)
    assert poly.count("s_{z}^{3}") == 1 and poly.count("s_{z}^{2}") == 1  # collected in s_z
    assert r"\gamma_{c}" in poly and r"\Omega" in poly and "sz" not in poly
    assert r"\sum_n \mathcal{D}[\sigma^{-}_{n}]" in text  # the individual dissipator


def test_command_line_entry_point(capsys):
    assert main(["derive"]) == 0  # embedded default model: crf
    assert "model crf" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["derive", "nosuchmodel"])


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"dspins {importlib.metadata.version('dspins')}"


def test_models_lists_the_catalogue_with_full_citations():
    """`dspins models`: every catalogue model, its paper's authors, title and (paper 000) journal
    reference, and every registered formula under its model."""
    text = models_listing()
    heads = [line.split(":")[0] for line in text.splitlines() if not line.startswith(" ")]
    assert heads == list(an.models.catalogue)
    for name, constructor in an.models.catalogue.items():
        p = constructor.paper
        assert p.citation in constructor().source and p.citation in constructor.__doc__, name
    for p in PAPERS.values():
        assert p.authors in text and p.title in text
    assert "Phys. Rev. A 98, 042113 (2018)" in text
    for f in an.formulas.names():
        assert an.formulas.formula(f).model in an.models.catalogue, f"{f} belongs to no catalogue model"
        assert f in text


def test_readme_lists_the_catalogue_and_cites_the_papers():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The catalogue")[1].split("\n## ")[0]
    listed = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    assert listed == list(an.models.catalogue)
    papers = readme.split("## The papers")[1].split("\n## ")[0]
    for number, p in PAPERS.items():
        row = next(line for line in papers.splitlines() if line.startswith(f"| {number} |"))
        assert p.citation in row, number  # the one citation table, verbatim
        models = re.findall(r"`(\w+)`", row.split("|")[3])
        assert sorted(models) == sorted(n for n, c in an.models.catalogue.items() if c.paper is p), number
    assert "## Reproducing the papers" in readme


def test_repository_cites_only_files_it_contains():
    """No DESIGN.md (not in the repository); docs/ARCHITECTURE.md exists and is what README cites."""
    assert (ROOT / "docs" / "ARCHITECTURE.md").is_file()
    files = [ROOT / "README.md", ROOT / "pyproject.toml"] + [
        p for d in ("analytic", "numeric", "tests", "notebooks", "docs", "benchmarks", ".ci")
        for p in (ROOT / d).rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".ipynb", ".toml", "")]
    offenders = [str(p.relative_to(ROOT)) for p in files if "DESIGN.md" in p.read_text(errors="replace")]
    assert offenders == [str(Path(__file__).relative_to(ROOT))]  # only this test names it
    assert "docs/ARCHITECTURE.md" in (ROOT / "README.md").read_text()


def test_gitignore_keeps_command_output_out_of_the_repository():
    lines = (ROOT / ".gitignore").read_text().splitlines()
    for pattern in ("dspins-report/", ".venv/", "reproduce/*", "!reproduce/*.json", "!reproduce/*.png"):
        assert pattern in lines, pattern


def test_report_all_with_a_model_is_an_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", "--all", "crf"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--all" in err and "'crf'" in err


def test_report_unwritable_out_fails_before_computing(tmp_path, monkeypatch, capsys):
    """`dspins report crf --out <file>/x` (a folder under a regular file: not creatable, even as
    root) stops at once with the path in the message; no check runs."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    target = blocker / "x"

    def no_check(*args, **kwargs):
        raise AssertionError("a check ran before --out was checked")

    monkeypatch.setattr(checks, "run", no_check)
    t0 = time.perf_counter()
    with pytest.raises(SystemExit) as exc:
        main(["report", "crf", "--out", str(target)])
    assert exc.value.code == 2 and time.perf_counter() - t0 < 2
    err = capsys.readouterr().err
    assert str(target) in err and "cannot write" in err


@pytest.mark.parametrize("target", ["/nonexistent/x", "missing/x"])
def test_report_out_under_a_missing_folder_is_refused(target, tmp_path, monkeypatch, capsys):
    """`dspins report crf --out /nonexistent/x` (README): the parent is not created, even by root,
    and nothing is computed; the message names the path and its missing parent."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(checks, "run", lambda *a, **k: pytest.fail("a check ran before --out was checked"))
    with pytest.raises(SystemExit) as exc:
        main(["report", "crf", "--out", target])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"cannot write to {target!r}" in err and "does not exist" in err
    assert not Path(target).parent.exists()


def test_report_unwritable_out_from_the_shell(tmp_path):
    """The same as a user types it: exit status 2, a one-line error naming the path, no traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    target = blocker / "x"
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "numeric.app.cli", "report", "crf", "--out", str(target)],
                         capture_output=True, text=True, cwd=tmp_path)
    seconds = time.perf_counter() - t0
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert f"--out: cannot write to {str(target)!r}" in out.stderr and out.stdout == ""
    assert seconds < 30, seconds  # imports only (a few seconds on an idle machine), no check


def test_module_runs_as_script():
    out = subprocess.run([sys.executable, "-m", "numeric.app.cli", "formulas"], capture_output=True, text=True, check=True)
    assert "crf.meanfield.sz" in out.stdout
