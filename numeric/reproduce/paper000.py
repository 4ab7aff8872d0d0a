"""Paper 000 at the paper's sizes (placeholder: tasks are added by the paper's reproduction)."""
from __future__ import annotations

__all__ = ["NUMBER", "SPECS", "TASKS"]

NUMBER = "000"
SPECS: list = []
TASKS: list = []
