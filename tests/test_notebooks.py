"""The notebooks, one per paper, are committed executed: each ``notebooks/NNN_*.ipynb`` holds the cells
of its jupytext script ``notebooks/NNN_*.py`` and the outputs of a full-size run
(``python notebooks/build.py``), so a repository browser shows the derivations and figures.  Every
notebook asserts the physics of the figures it reproduces, so an execution error is a physics
failure; the slow test executes a copy of each at small sizes (``DSPINS_NOTEBOOK_SIZE=small``, the
same code on smaller systems), never rewriting the committed file."""
import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

import analytic as an

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MIN_FIGURES = {"000": 5, "001": 3, "002": 6, "003": 5, "004": 7}  # figures each notebook reproduces (see its text)


def _build_module():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()
SCRIPTS = build.scripts()
IDS = [p.stem for p in SCRIPTS]


def _code_outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def _figures(nb) -> int:
    return sum("image/png" in o.get("data", {}) for o in _code_outputs(nb))


def test_there_is_a_notebook_for_each_paper():
    """One script and one executed notebook per source paper (000 ... 004 of analytic.papers)."""
    assert [p.name[:3] for p in SCRIPTS] == sorted(MIN_FIGURES) == sorted(an.papers.PAPERS)
    assert all(p.with_suffix(".ipynb").exists() for p in SCRIPTS)
    assert sorted(NOTEBOOKS.glob("[0-9][0-9][0-9]_*.ipynb")) == [p.with_suffix(".ipynb") for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_notebook_matches_its_script(script):
    """The committed notebook has exactly the cells (types and sources) of its jupytext script."""
    assert not build.stale(script), \
        f"{script.with_suffix('.ipynb').name} differs from {script.name}: run python notebooks/build.py {script.name[:3]}"


@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_committed_notebook_holds_its_outputs(script):
    """Executed top to bottom in one run, without errors or stderr (progress bars, warnings), with
    its figures, no absolute paths in the outputs, and a title cell followed by the paper's full
    citation from analytic.papers."""
    nb = nbformat.read(str(script.with_suffix(".ipynb")), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "not executed in one run"
    outputs = _code_outputs(nb)
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o.text[:200] for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert _figures(nb) >= MIN_FIGURES[script.name[:3]]
    text = json.dumps(outputs)
    assert str(ROOT) not in text and "/home/" not in text and "/tmp/" not in text
    number = script.name[:3]
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# Paper {number}:")
    cited = [o["data"]["text/markdown"] for o in code[0].outputs if "text/markdown" in o.get("data", {})]
    assert cited == [an.papers.cite(number)], \
        f"{script.with_suffix('.ipynb').name}: the citation changed, run python notebooks/build.py {number}"


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=IDS)
def test_notebook_runs_at_small_size(script, tmp_path):
    """A copy executed at ``DSPINS_NOTEBOOK_SIZE=small``: every assertion of the notebook holds
    (nbclient raises with the failing cell otherwise) and the figures are drawn."""
    path, nb, _ = build.build(script, "small", out=tmp_path)
    assert path.parent == tmp_path
    assert not [o for o in _code_outputs(nb) if o.output_type == "error"]
    assert _figures(nb) >= MIN_FIGURES[script.name[:3]]
