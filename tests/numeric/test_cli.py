"""The main job: ``dspins derive`` prints what the engine derives (issue 2, main job)."""
import subprocess
import sys

import pytest

from numeric.cli import derive_report, main


def test_derive_crf_report_contains_the_physics():
    text = derive_report("crf")
    assert "dsz/dt = -2*kappa*sx**2 - 2*kappa*sy**2 + omega*sy" in text
    assert "sz = -sqrt(4*kappa**2 - omega**2)/(2*kappa)" in text
    assert "exists for: 4*kappa**2 - omega**2 >= 0" in text
    assert "Jacobian eigenvalues: -sqrt(4*kappa**2 - omega**2), -sqrt(4*kappa**2 - omega**2)" in text
    assert "2*kappa - omega = 0" in text


def test_derive_latex_and_reduced_system():
    assert r"\kappa" in derive_report("crf", latex=True)
    text = derive_report("driven_dicke", timeout=5)
    assert "reduced fixed-point system" in text and "sz**3" in text


def test_command_line_entry_point(capsys):
    assert main(["derive"]) == 0  # embedded default model: crf
    assert "model crf" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["derive", "nosuchmodel"])


def test_module_runs_as_script():
    out = subprocess.run([sys.executable, "-m", "numeric.cli", "formulas"], capture_output=True, text=True, check=True)
    assert "crf.meanfield.sz" in out.stdout
