"""Imports run one way: layers → core → io → store → analysis → privacy → outputs → app/cli.

A module may import from its own stage or a lower one, never a higher one
(lazy imports inside functions and ``TYPE_CHECKING`` blocks count too), and
``layers`` imports nothing from ``geo``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo import settings

ROOT = settings.PROJECT_ROOT
#: Stage of each part, from the bottom floor up.
STAGES: dict[str, int] = {
    "layers": 0,
    # core: read by every stage
    "geo": 1, "geo.settings": 1, "geo.errors": 1, "geo.crs": 1, "geo.timeutil": 1, "geo.audiences": 1,
    "geo.audit": 1, "geo.i18n": 1,
    "geo.io": 2,
    "geo.store": 3,
    "geo.analysis": 4,
    "geo.privacy": 5,
    # what leaves the program, built on published figures
    "geo.worklists": 6, "geo.actions": 6, "geo.participation": 6, "geo.outputs": 6,
    # entry points
    "geo.app": 7, "geo.cli": 7, "geo.demo": 7, "geo.__main__": 7,
}


def stage(module: str) -> int:
    """Return the stage of a module: that of its longest listed prefix ("geo" only for itself)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in STAGES and (prefix != "geo" or n == len(parts)):
            return STAGES[prefix]
    msg = f"{module} belongs to no stage; add it to STAGES"
    raise KeyError(msg)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every project module ``path`` imports, with its line: top level, lazy and type-only alike."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            found += [(node.lineno, _module_or_package(f"{base}.{alias.name}")) for alias in node.names]
    return [(line, target) for line, target in found if target.split(".")[0] in ("geo", "layers")]


def _module_or_package(name: str) -> str:
    """``name`` if it is a module of the project, else the package it is taken from."""
    path = ROOT.joinpath(*name.split("."))
    return name if path.with_suffix(".py").exists() or path.is_dir() else name.rpartition(".")[0]


SOURCES = sorted([*ROOT.glob("geo/**/*.py"), *ROOT.glob("layers/**/*.py")])


def test_every_module_belongs_to_a_stage():
    assert len(SOURCES) > 80
    for path in SOURCES:
        stage(module_name(path))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way(path):
    here = module_name(path)
    upward = [f"line {line}: {target} (stage {stage(target)})"
              for line, target in imports(path) if stage(target) > stage(here)]
    assert not upward, f"{here} (stage {stage(here)}) imports from a higher stage: {upward}"


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    fake = ROOT / "geo" / "io" / "_layering_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, **_: "from geo.privacy import gate_features\n")
    assert [stage(t) for _, t in imports(fake)] == [5]
    assert stage(module_name(fake)) == 2
