"""House rules of the package layout, read from the source (issue 18, rules 1-2): the import graph
of `analytic` and `numeric` has no cycle, counting imports inside functions, and no module uses
another module's underscore names (``from m import _x`` or ``m._x`` on an imported module)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("analytic", "numeric")


def _modules() -> dict:
    """``{dotted name: path}`` of every module of the two packages."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(name: str, path: Path, modules: dict) -> tuple:
    """``(targets, private)``: the package modules ``name`` imports anywhere in its source (module
    level or inside functions), and its uses of another module's underscore names as
    ``(module, name)`` pairs."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets, private, aliases = set(), [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in modules:
                    targets.add(a.name)
                    if a.asname:
                        aliases[a.asname] = a.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for a in node.names:
                full = f"{source}.{a.name}"
                if full in modules:  # a submodule: from . import values
                    targets.add(full)
                    aliases[a.asname or a.name] = full
                elif source in modules:
                    targets.add(source)
                    if a.name.startswith("_") and not a.name.startswith("__") and source != name:
                        private.append((source, a.name))
    for node in ast.walk(tree):  # m._x on a module imported under the name m
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr.startswith("_") and not node.attr.startswith("__") and aliases[node.value.id] != name):
            private.append((aliases[node.value.id], node.attr))
    return targets, private


def _graph() -> tuple:
    modules = _modules()
    edges, private = {}, {}
    for name, path in modules.items():
        targets, priv = _imports(name, path, modules)
        edges[name] = targets - {name}
        if priv:
            private[name] = sorted(set(priv))
    return edges, private


def _cycles(edges: dict) -> list:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def _package_cycle_free(edges: dict) -> dict:
    """The graph without the edges from a package's ``__init__`` to its own submodules (a package
    re-exporting its modules is not a cycle: the submodules never need the package's names)."""
    return {m: {t for t in ts if not (t.startswith(m + ".") and (ROOT / m.replace(".", "/") / "__init__.py").exists())}
            for m, ts in edges.items()}


def test_no_import_cycles_not_even_inside_functions():
    edges, _ = _graph()
    assert _cycles(_package_cycle_free(edges)) == []


def test_no_module_uses_another_modules_underscore_names():
    _, private = _graph()
    assert private == {}


def test_analytic_never_imports_numeric():
    edges, _ = _graph()
    assert {m: sorted(t for t in ts if t.startswith("numeric")) for m, ts in edges.items()
            if m.startswith("analytic") and any(t.startswith("numeric") for t in ts)} == {}


def test_the_checker_sees_what_it_must():
    """The graph code itself: a cycle through a function-level import and a private use are found."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    edges, _ = _graph()
    assert "numeric.solvers.steady" in edges["numeric.solvers.spectrum"] or "numeric.solvers.steady" in edges["numeric"]


def test_analytic_needs_only_sympy_numpy_mpmath():
    """Rule 3 of issue 18: `analytic` imports (anywhere, also inside functions) nothing beyond the standard
    library, SymPy, and numpy/mpmath for evaluating its own closed forms: no scipy, no numeric."""
    import sys

    third_party = set()
    for path in (ROOT / "analytic").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                third_party |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                third_party.add(node.module.split(".")[0])
    third_party = {t for t in third_party if t not in sys.stdlib_module_names and t != "analytic"}
    assert third_party <= {"sympy", "numpy", "mpmath"}, third_party
