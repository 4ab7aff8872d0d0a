"""The main job runs from an installed wheel, outside the checkout (issue 18, rule 5).

The wheel is built from a copy of the package sources (pyproject.toml, README.md, analytic/,
numeric/; nothing of tests/), installed into a fresh venv in a temporary folder (its dependencies
from the configured package index), and ``dspins report crf --no-figures`` runs there from an
empty working folder: every registered crf formula gets a check row that agrees, and the exit
status is 0.  The venv's interpreter also confirms that every registered formula of every model
has its check kind in the installed package.  Slow (about two minutes: most of it installing the
dependencies), so in the CI slow tier."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from numeric.app.report import formulas_of

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd, **kw):
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert out.returncode == 0, (cmd, out.stdout[-3000:], out.stderr[-3000:])
    return out


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_report_from_an_installed_wheel_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for package in ("analytic", "numeric"):
        shutil.copytree(ROOT / package, src / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DSPINS_CHECK_CACHE", "VIRTUAL_ENV")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "wheels", src], env=env,
         timeout=600)
    wheels = list((tmp_path / "wheels").glob("dspins-*.whl"))
    assert len(wheels) == 1, wheels
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], env=env, timeout=300)
    python, dspins = venv / "bin" / "python", venv / "bin" / "dspins"
    _run([python, "-m", "pip", "install", "-q", wheels[0]], env=env, timeout=900)

    work = tmp_path / "elsewhere"  # an empty working folder, outside the checkout
    work.mkdir()
    probe = ("import pathlib, analytic as an, numeric\n"
             "from numeric.app import checks\n"
             "missing = [n for n in an.formulas.names() if an.formulas.formula(n).check.kind not in checks.KINDS]\n"
             "print(pathlib.Path(numeric.__file__).resolve())\n"
             "print(len(an.formulas.names()), missing)\n")
    out = _run([python, "-c", probe], cwd=work, env=env, timeout=300).stdout.splitlines()
    assert Path(out[0]).is_relative_to(venv.resolve()), out  # the installed package, not the checkout
    assert out[1].endswith(" []"), out  # every registered formula has its check kind in the package

    report = subprocess.run([dspins, "report", "crf", "--no-figures"], cwd=work, env=env, capture_output=True,
                            text=True, timeout=900)
    assert report.returncode == 0, (report.stdout[-3000:], report.stderr[-3000:])
    crf = formulas_of("crf")
    rows = {line.split()[0]: line for line in report.stdout.splitlines()
            if line.split() and line.split()[0] in crf}
    assert sorted(rows) == crf, (sorted(rows), report.stdout[-3000:])
    for name, row in rows.items():
        assert row.endswith("  ok") and "no implementation" not in row, row
    assert f"{len(crf)}/{len(crf)} formula checks agree" in report.stdout
    assert not list(work.iterdir())  # --no-figures: nothing written
