"""Rule 7 of issue 18: one progress facility (numeric.core.progress, on tqdm), used by every long
computation; library code prints nothing unasked and installs no signal handlers.

The output rule, checked on the source (the AST, so docstring examples do not count) of every
module of ``analytic/`` and ``numeric/``:

* only ``numeric/core/progress.py`` imports tqdm (every bar, status line and progress text goes
  through it, to ``sys.stderr``);
* only ``numeric/core/progress.py`` and ``numeric/app/cli.py`` call ``print`` or touch ``sys.stdout`` /
  ``sys.stderr`` (``sys.__stdout__``, ``sys.__stderr__``, ``from sys import stderr``).  The CLI's
  own output is the command's result: the derivation text, report and reproduce tables and
  listings on stdout, and its error messages on stderr.  ``numeric.app.report`` returns its table as
  text (``Report.table()``) and prints nothing itself;
* no module imports ``signal`` (time limits use a child process or a watchdog thread,
  :mod:`analytic.timelimit`).

Behaviour: every long computation takes ``progress=`` (default False: nothing on stdout or
stderr); with ``progress=True`` a short run writes its bar to stderr.
"""
import ast
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import analytic as an
from numeric.core import progress as pg
from numeric.semiclassical.continuation import continue_branch, flow
from numeric.dynamics.evolve import evolve
from numeric.app.sweep import sweep

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = sorted(p for pkg in ("analytic", "numeric") for p in (ROOT / pkg).rglob("*.py"))
PROGRESS = "numeric/core/progress.py"
PRINTS = {PROGRESS, "numeric/app/cli.py"}  # the progress facility, and the command's own output
STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _offences(path: Path) -> list:
    """(line, what) of every tqdm import, print call, sys stream use and signal import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for a in node.names:
                top = a.name.split(".")[0]
                if top in ("tqdm", "signal"):
                    found.append((node.lineno, f"import {a.name}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top = node.module.split(".")[0]
            if top in ("tqdm", "signal"):
                found.append((node.lineno, f"from {node.module} import ..."))
            if top == "sys" and any(a.name in STREAMS for a in node.names):
                found.append((node.lineno, "from sys import <stream>"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append((node.lineno, "print()"))
        elif (isinstance(node, ast.Attribute) and node.attr in STREAMS and isinstance(node.value, ast.Name)
              and node.value.id == "sys"):
            found.append((node.lineno, f"sys.{node.attr}"))
    return found


def test_scan_finds_what_it_looks_for(tmp_path):
    """The scanner itself: each forbidden form is found, a docstring example is not."""
    src = tmp_path / "m.py"
    src.write_text('"""\n>>> print(1)\n"""\nimport sys\nfrom tqdm.auto import tqdm\nimport signal\n'
                   'from sys import stderr\nprint(2)\nsys.stderr.write("x")\nsys.__stdout__.flush()\n')
    assert [w for _, w in _offences(src)] == ["from tqdm.auto import ...", "import signal", "from sys import <stream>",
                                              "print()", "sys.stderr", "sys.__stdout__"]


def test_only_the_progress_module_and_the_cli_write_to_the_terminal():
    assert len(LIBRARY) > 40 and (ROOT / PROGRESS).exists()
    bad = []
    for path in LIBRARY:
        rel = _rel(path)
        for line, what in _offences(path):
            if what.startswith(("import tqdm", "from tqdm")) and rel == PROGRESS:
                continue
            if what.startswith(("print", "sys.", "from sys")) and rel in PRINTS:
                continue
            bad.append(f"{rel}:{line}: {what}")
    assert not bad, "\n".join(bad)


# ----------------------------------------------------------------------------- progress= on and off
def _evolve(progress=None):
    kw = {} if progress is None else {"progress": progress}
    psi0 = np.zeros(5)
    psi0[-1] = 1.0  # S = 2, m = -2
    return evolve(an.models.crf(), {"omega": 0.9, "kappa": 1.3}, psi0, np.linspace(0, 1.8, 7), S=2, e_ops=["Sz"], **kw)


def _sweep(progress=None):
    kw = {} if progress is None else {"progress": progress}
    return sweep(lambda a, b: a * b, {"a": [0.9, 1.3], "b": [1.8, 2.0, 2.2]}, processes=1, name="product", **kw)


@pytest.fixture(scope="module")
def crf_flow():
    return flow(an.models.crf(), {"kappa": 1.3}, "omega")


def _continuation(fl, progress=None):
    kw = {} if progress is None else {"progress": progress}
    return continue_branch(fl, np.array([0.0, 0.0, -1.0]), 0.9, direction=1, p_max=1.8, **kw)


def test_long_computations_are_silent_by_default(capfd, crf_flow):
    """Library defaults print nothing at all: not on stdout, not on stderr (file descriptors
    included)."""
    _evolve()
    _sweep()
    _continuation(crf_flow)
    with pg.status("a step", delay=0.0):
        pass
    pg.write("a line")
    assert capfd.readouterr() == ("", "")


def test_progress_true_writes_a_bar_to_stderr_only(capfd, crf_flow):
    """progress=True: each computation's bar, with its label and count, on stderr; stdout stays
    empty (the numbers are the same as without progress)."""
    ev = _evolve(True)
    out, err = capfd.readouterr()
    assert out == "" and "evolve crf" in err and "6/6" in err
    assert np.array_equal(ev.expect["Sz"], _evolve().expect["Sz"])
    capfd.readouterr()
    r = _sweep(True)
    out, err = capfd.readouterr()
    assert out == "" and "sweep product (local)" in err and "6/6" in err
    assert r.sel(a=1.3, b=2.2).item() == pytest.approx(1.3 * 2.2, rel=1e-15)
    b = _continuation(crf_flow, True)
    out, err = capfd.readouterr()
    assert out == "" and "continuation in omega" in err and f"{len(b.p)} points, 0 events" in err


def test_status_line_only_for_a_slow_step(capfd):
    """status(): nothing for a step faster than its delay; a line with the elapsed time for a
    slower one (the CLI's derivation steps use it with 2 s)."""
    with pg.status("quick step", True, delay=5.0):
        pass
    assert capfd.readouterr().err == ""
    with pg.status("slow step", True, delay=0.05):
        time.sleep(0.3)
    err = capfd.readouterr().err
    assert "slow step ... 00:00" in err


# ----------------------------------------------------------------------------- no signal handlers
def test_importing_and_running_installs_no_signal_handler():
    """In a fresh interpreter: every signal's handler and the real-time timer are the same before
    importing every module of analytic and numeric and after running a derivation with a time
    limit, an evolve, a sweep, a continuation and a status line, all with progress on."""
    code = textwrap.dedent("""
        import signal, sys
        sigs = [s for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP)]
        def snapshot():
            return {int(s): signal.getsignal(s) for s in sigs}, signal.getitimer(signal.ITIMER_REAL)
        before = snapshot()
        import importlib, pkgutil
        import analytic, numeric
        for pkg in (analytic, numeric):
            for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
                importlib.import_module(m.name)
        import time
        import numpy as np
        import analytic as an
        from analytic import meanfield as mf
        from numeric.core import progress as pg
        from numeric.semiclassical.continuation import continue_branch, flow
        from numeric.dynamics.evolve import evolve
        from numeric.app.sweep import sweep
        mf.fixed_points(an.models.crf(), timeout=30)
        evolve(an.models.crf(), {"omega": 0.9, "kappa": 1.3}, np.eye(5)[4], [0, 0.9, 1.8], S=2, progress=True)
        sweep(lambda a: a, {"a": [0.9, 1.3]}, processes=1, progress=True)
        fl = flow(an.models.crf(), {"kappa": 1.3}, "omega")
        continue_branch(fl, np.array([0.0, 0.0, -1.0]), 0.9, p_max=1.8, progress=True)
        with pg.status("step", True, delay=0.01):
            time.sleep(0.05)
        after = snapshot()
        changed = [s for s in before[0] if before[0][s] != after[0][s]]
        print("CHANGED", changed, before[1], after[1])
        sys.exit(1 if changed or before[1] != after[1] else 0)
    """)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])
