"""Builds a notebook from a builder script's ``CELLS`` (``[("md" | "code", source), ...]``) with
nbformat: one place for what every ``notebooks/NNN_*.py`` needs.  A builder ends with::

    if __name__ == "__main__":
        import _notebook
        print(_notebook.write(__file__, CELLS))

and ``tests/test_notebooks.py`` checks that the saved .ipynb equals ``build(CELLS)``.
"""
from __future__ import annotations

from pathlib import Path


def build(cells):
    """The notebook as an nbformat object (no outputs)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
                for kind, src in cells]
    return nb


def write(script: str | Path, cells) -> Path:
    """Write ``build(cells)`` next to ``script`` (same name, .ipynb); returns the path."""
    import nbformat

    out = Path(script).with_suffix(".ipynb")
    nb = build(cells)
    for cell in nb.cells:  # stable ids: a rebuild without changes is byte-identical
        cell.pop("id", None)
    nb.nbformat_minor = 4
    nbformat.write(nb, str(out))
    return out
