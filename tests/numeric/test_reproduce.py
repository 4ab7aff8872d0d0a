"""``dspins reproduce`` (numeric/reproduce): the committed full runs agree with the papers, judged
here by the criteria in the code (not by the verdicts stored in the JSON), and every paper's
reproduction runs end to end at its small size so that its code path cannot rot."""
import json
import math
from pathlib import Path

import pytest

from numeric.app import reproduce
from numeric.app.cli import main
from numeric.app.reproduce.spec import Abs, Monotone, Record, Spec, Within, check_keys, criterion_from_json

COMMITTED = Path(__file__).resolve().parents[2] / "reproduce"
NUMBERS = list(reproduce.MODULES)


def test_every_paper_has_a_reproduction():
    assert NUMBERS == ["000", "001", "002", "003", "004"]
    for n in NUMBERS:
        mod = reproduce.module(n)
        check_keys(mod.SPECS, mod.TASKS)
        assert mod.SPECS and mod.TASKS, f"paper {n} reproduces nothing"
        assert all(s.what and s.source and s.printed for s in mod.SPECS), n


@pytest.mark.parametrize("number", NUMBERS)
def test_committed_full_run_agrees_with_the_paper(number):
    """reproduce/NNN.json holds the last full run at the paper's sizes: it covers every spec, was
    judged with the criteria the code declares (a tolerance edited in the JSON is caught), and
    every quantity is as expected when re-judged here: it agrees with the printed value, or it is
    a declared finding (the paper is wrong) and still disagrees."""
    mod = reproduce.module(number)
    data = json.loads((COMMITTED / f"{number}.json").read_text())
    assert data["paper"] == number and data["size"] == "paper" and not data["task_errors"]
    rows = {q["key"]: q for q in data["quantities"]}
    assert sorted(rows) == sorted(s.key for s in mod.SPECS), "the committed run does not cover the current specs"
    for spec in mod.SPECS:
        q = rows[spec.key]
        assert not q["error"], (spec.key, q["error"])
        assert criterion_from_json(q["criterion"]) == spec.criterion, f"{spec.key}: criterion differs from the code"
        reference = spec.reference if spec.reference is not None else q["reference"]
        if spec.reference is not None:
            assert q["reference"] == spec.reference, spec.key
        rec = Record(spec, value=q["value"], reference=reference)
        assert rec.agrees == spec.expected, (spec.key, q["value"], reference, spec.criterion.describe(), spec.finding)
    for name in data["figures"]:
        assert (COMMITTED / name).is_file(), f"figure {name} of the committed run is missing"


@pytest.mark.slow
@pytest.mark.parametrize("number", NUMBERS)
def test_small_run_end_to_end(number, tmp_path):
    """The same code as the full run, at small sizes: no task fails, every task computes at
    least one quantity, the JSON is written, and every value is finite."""
    mod = reproduce.module(number)
    res = reproduce.run(number, size="small", out=tmp_path, progress=False)[0]
    assert res.ok, res.table()
    by_task = {t.name: [r for r in res.records if r.task == t.name] for t in mod.TASKS}
    for name, recs in by_task.items():
        assert any(r.value is not None for r in recs), f"task {name} computed nothing at the small size"
    data = json.loads((tmp_path / f"{number}.json").read_text())
    assert data["size"] == "small" and len(data["quantities"]) == len(mod.SPECS)
    for q in data["quantities"]:
        values = q["value"] if isinstance(q["value"], list) else [q["value"]]
        assert all(v is None or isinstance(v, (bool, str)) or math.isfinite(v) for v in values), q["key"]
    for name in data["figures"]:
        assert (tmp_path / name).stat().st_size > 5_000


def test_criteria_judge_what_they_say():
    assert Abs(0.01).holds(2.309, 2.30) and not Abs(0.01).holds(2.311, 2.30)
    assert Within(0.066, 0.142).holds(0.084, None) and not Within(0.056, 0.076).holds(0.080, None)
    assert Monotone(-1).holds([0.31, 0.26, 0.22], None) and not Monotone(-1).holds([0.31, 0.31], None)
    assert not Abs(1.0).holds(float("nan"), 0.0)
    finding = Spec("k", "w", "Fig. 1", "[0.056, 0.076]", Within(0.056, 0.076), expected=False, finding="ours 0.080")
    assert Record(finding, value=0.080).verdict == "disagrees (finding)"
    assert Record(finding, value=0.070).verdict == "UNEXPECTED agreement"
    assert Record(finding, error="boom").verdict == "error"
    with pytest.raises(ValueError, match="finding"):
        Spec("k", "w", "s", "p", Abs(1), expected=False)
    with pytest.raises(ValueError, match="unknown kind"):
        criterion_from_json({"kind": "Loose"})


def test_cli_reproduce_refuses_bad_arguments_before_computing(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    for argv, message in ((["reproduce"], "name the papers"), (["reproduce", "007"], "unknown paper '007'"),
                          (["reproduce", "001", "--all"], "not both"),
                          (["reproduce", "001", "--out", str(blocker / "x")], "cannot write")):
        with pytest.raises(SystemExit):
            main(argv)
        assert message in capsys.readouterr().err
