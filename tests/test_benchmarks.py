"""The benchmark command (benchmarks/run.py, issue 20): its README section and its table rows (no timing here)."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run_module():
    """benchmarks/run.py loaded by path (benchmarks/ is scripts, not an installed package)."""
    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_readme_has_exactly_one_marked_benchmark_section():
    run = _run_module()
    text = (ROOT / "README.md").read_text()
    assert text.count(run.BEGIN) == 1 and text.count(run.END) == 1
    assert text.index(run.BEGIN) < text.index(run.END)


def test_write_readme_replaces_only_the_marked_section(tmp_path):
    run = _run_module()
    path = tmp_path / "README.md"
    path.write_text(f"intro 1.3\n{run.BEGIN}\nold table 0.9\n{run.END}\noutro 1.8\n")
    run.write_readme("| new | 0.7 |", str(path))
    assert path.read_text() == f"intro 1.3\n{run.BEGIN}\n| new | 0.7 |\n{run.END}\noutro 1.8\n"


def test_write_readme_refuses_a_readme_without_markers(tmp_path):
    run = _run_module()
    path = tmp_path / "README.md"
    path.write_text("no markers here\n")
    with pytest.raises(SystemExit, match="no marked benchmark section"):
        run.write_readme("| x |", str(path))
    assert path.read_text() == "no markers here\n"


def test_row_reports_time_cpu_and_memory_ratios_residuals_and_difference():
    run = _run_module()
    gb = run.GB
    ours = {"time": 0.9, "cpu": 0.7, "peak": 1.3 * gb, "residual": 3.1e-14, "value": -0.45, "load": 1.1}
    ref = {"time": 8.1, "cpu": 4.9, "peak": 3.9 * gb, "residual": 7.3e-13, "value": -0.4500000003, "load": 1.7}
    cells = [c.strip() for c in run.row("crf S = 400", ours, ref).strip("|").split("|")]
    assert cells == ["crf S = 400", "0.90 s / 1.30 GB", "8.10 s / 3.90 GB", "9.0x", "7.0x", "3.0x", "3.1e-14", "7.3e-13",
                     "3.0e-10", "1.7"]


def test_row_without_reference_and_with_a_failed_measurement():
    run = _run_module()
    ours = {"time": 1.7, "peak": 0.3 * run.GB, "residual": 2.9e-31, "value": 0.1, "load": 0.6}
    cells = [c.strip() for c in run.row("crf S = 100, dps = 30", ours, None, "none (5.1x its float64)").strip("|").split("|")]
    assert cells[2] == "none (5.1x its float64)" and cells[3] == cells[4] == "" and cells[6] == "2.9e-31"
    failed = [c.strip() for c in run.row("crf S = 600", ours, {"error": "timeout 1800 s", "load": 2.1}).strip("|").split("|")]
    assert failed[2] == "timeout 1800 s" and failed[3] == "" and failed[7] == "-" and failed[9] == "2.1"
