"""The package's shape, checked on its source: no private name crosses a module.

The layers and the absence of import circles are import-linter's contracts (pyproject.toml), run by
.ci/run; imports inside functions are refused by ruff (PLC0415) everywhere but cli.py."""

from __future__ import annotations

import ast
from pathlib import Path

import trp_opt

PACKAGE = Path(trp_opt.__file__).parent


def private_names_crossing(source: str) -> list[str]:
    """``from trp_opt.x import _name`` and ``module._name`` on an imported trp_opt module."""
    tree = ast.parse(source)
    modules: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("trp_opt"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"from {node.module} import {alias.name}")
                elif alias.name[:1].islower():
                    modules.add(alias.asname or alias.name)  # may be a module: trp_opt.solve import parallel
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("trp_opt"):
                    modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_the_check_sees_a_private_name_crossing():
    assert private_names_crossing("from trp_opt.solve.stages import _hidden\n") == [
        "from trp_opt.solve.stages import _hidden"
    ]
    assert private_names_crossing("from trp_opt.solve import parallel\nparallel._halts\n") == ["parallel._halts"]
    assert private_names_crossing("from trp_opt.io.excel import header_row as _header\n") == []


def test_no_private_name_crosses_a_module():
    crossing = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if (names := private_names_crossing(path.read_text(encoding="utf-8")))
    }
    assert crossing == {}


def test_the_readme_layout_names_every_module():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :]
    modules = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py"))]
    missing = [
        m
        for m in modules
        if not m.endswith("__init__.py") and f"`{m}`" not in layout and f"`trp_opt/{m}`" not in layout
    ]
    assert missing == []
