"""Paper 002 at the paper's sizes (placeholder: tasks are added by the paper's reproduction)."""
from __future__ import annotations

__all__ = ["NUMBER", "SPECS", "TASKS"]

NUMBER = "002"
SPECS: list = []
TASKS: list = []
