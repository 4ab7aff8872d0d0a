"""Run one benchmark measurement in a fresh subprocess, so that its peak memory (max RSS) is its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREADS = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}  # single-threaded BLAS


def run_worker(target: str, args: list, timeout: float, mem_gb: float | None = None) -> dict:
    """``python target --worker *args`` from the repository root, single-threaded BLAS (``target``: a script
    path ending in ``.py``, else a module run with ``-m``), under ``prlimit --as`` when ``mem_gb`` is given;
    returns the JSON dict the worker prints last, or ``{'error': ...}``."""
    where = [os.path.abspath(target)] if target.endswith(".py") else ["-m", target]
    cmd = [sys.executable, *where, "--worker", *map(str, args)]
    if mem_gb is not None:
        cmd = ["prlimit", f"--as={int(mem_gb * 1e9)}", *cmd]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), **THREADS)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout {timeout:.0f} s"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(out.stdout.strip().splitlines()[-1])
