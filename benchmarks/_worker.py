"""Run one benchmark measurement in a fresh subprocess, so that its peak memory (max RSS) is its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_worker(script: str, args: list, timeout: float, mem_gb: float | None = None) -> dict:
    """``python script --worker *args`` (under ``prlimit --as`` when ``mem_gb`` is given); returns
    the JSON dict the worker prints last, or ``{'error': ...}``."""
    cmd = [sys.executable, os.path.abspath(script), "--worker", *map(str, args)]
    if mem_gb is not None:
        cmd = ["prlimit", f"--as={int(mem_gb * 1e9)}", *cmd]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout {timeout:.0f}s"}
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(out.stdout.strip().splitlines()[-1])
