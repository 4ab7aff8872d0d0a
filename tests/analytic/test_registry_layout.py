"""Registry and derivations kept apart (issue 18, rule 4), read from the source: the registry
(analytic/formulas/registry.py) imports no derivation module, only the family modules of
analytic/formulas/ do, and no derivation module imports analytic.formulas; the 23 formulas are all
registered under the names they had before the registry became a package.

(Before: analytic/formulas.py was the registry and registered seven formulas itself, importing
meanfield and the catalogue, while exact.py, fluctuations.py and cavity.py imported it to register
their own at import time.)"""
from __future__ import annotations

import ast
from pathlib import Path

import analytic as an

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ROOT / "analytic" / "formulas"
DERIVATIONS = ("analytic.exact", "analytic.fluctuations", "analytic.cavity", "analytic.meanfield",
               "analytic.adiabatic", "analytic.wigner", "analytic.twa", "analytic.branches", "analytic.laser",
               "analytic.cumulant_values")
FAMILIES = ("crf", "lmg", "driven_dicke", "gain_loss", "cavity", "laser")

NAMES = [
    "crf.exact.negativity", "crf.exact.purity", "crf.exact.qubit_purity", "crf.exact.sz", "crf.exact.sz2",
    "crf.exact.xi2_x", "crf.hp.xi2", "crf.meanfield.relaxation_rate", "crf.meanfield.sy", "crf.meanfield.sz",
    "driven_dicke.cumulants.sz", "driven_dicke.cumulants.xi2",
    "driven_dicke.exact.mixed_g2", "driven_dicke.hp.xi2", "driven_dicke.meanfield.bistability",
    "gain_loss_chain.hp.correlation_length", "gain_loss_dimer.hp.negativity", "gain_loss_dimer.hp.purity",
    "gain_loss_dimer.hp.purity_fm", "kerr.meanfield.bistability", "lmg.meanfield.x", "lmg.meanfield.z",
    "open_dicke.meanfield.critical_coupling", "open_dicke.meanfield.normal_edge",
    "open_dicke.meanfield.saddle_node_ratio",
    # issue 19, acceptance 4: the superradiant laser (Meiser et al. 2009), analytic/formulas/laser.py
    "superradiant_laser.cumulant.linewidth", "superradiant_laser.cumulant.max_flux",
    "superradiant_laser.cumulant.max_pump", "superradiant_laser.cumulant.optimal_pump",
]


def _dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set:
    """Every dotted name a module's source imports (module level or inside functions): for
    ``from a import b`` both ``a`` and ``a.b``, relative imports resolved."""
    name = _dotted(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            out.add(source)
            out.update(f"{source}.{a.name}" for a in node.names)
    return out


def _hits(imported: set, prefixes: tuple) -> list:
    return sorted(m for m in imported if any(m == p or m.startswith(p + ".") for p in prefixes))


def _derivation_files() -> list:
    return [p for p in sorted((ROOT / "analytic").rglob("*.py"))
            if any(_dotted(p) == d or _dotted(p).startswith(d + ".") for d in DERIVATIONS)]


def test_the_registry_imports_no_derivation_and_no_model():
    imported = _imported(FORMULAS / "registry.py")
    assert _hits(imported, DERIVATIONS) == []
    assert _hits(imported, ("analytic.models", "analytic.formulas")) == []  # knows no model, no family


def test_only_the_family_modules_import_derivations():
    found = {p.stem: _hits(_imported(p), DERIVATIONS) for p in sorted(FORMULAS.glob("*.py"))}
    assert {m for m, hits in found.items() if hits} <= set(FAMILIES)
    assert set(FAMILIES) <= set(found)
    assert all(found[f] for f in FAMILIES if f != "lmg")  # lmg: from branches only
    assert found["lmg"] == ["analytic.branches", "analytic.branches.lmg_broken_branch"]


def test_no_derivation_module_imports_the_registry():
    files = _derivation_files()
    assert {_dotted(p) for p in files} >= {"analytic.exact", "analytic.fluctuations", "analytic.cavity",
                                          "analytic.meanfield", "analytic.adiabatic", "analytic.branches"}
    bad = {_dotted(p): _hits(_imported(p), ("analytic.formulas",)) for p in files}
    assert {m: h for m, h in bad.items() if h} == {}
    for p in files:  # nor reaches it as an attribute (an.formulas...)
        attrs = [n for n in ast.walk(ast.parse(p.read_text())) if isinstance(n, ast.Attribute) and n.attr == "formulas"]
        assert attrs == [], _dotted(p)


def test_the_checker_resolves_relative_imports():
    imported = _imported(FORMULAS / "crf.py")
    assert "analytic.exact" in imported and "analytic.formulas.registry" in imported
    assert _hits({"analytic.exact.state", "analytic.models"}, DERIVATIONS) == ["analytic.exact.state"]


def test_all_23_formulas_registered_under_their_names():
    assert len(NAMES) == 23 + 4 + 2  # + the four superradiant-laser and two seed-004 order-2 formulas of issue 19
    assert an.formulas.names() == sorted(NAMES)


def test_each_family_module_registers_its_models_formulas():
    """The literal names of the register calls in each family module: together the 23 (+ 4 + 2), each once."""
    seen = []
    for family in FAMILIES:
        calls = [n for n in ast.walk(ast.parse((FORMULAS / f"{family}.py").read_text()))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in ("register", "_reg")
                 and n.args and isinstance(n.args[0], ast.Constant)]
        names = [c.args[0].value for c in calls]
        assert names, family
        seen += names
    assert sorted(seen) == sorted(NAMES)
