"""The layout the README's Architecture section describes, held against the code itself."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from app.config import ROOT

APP = ROOT / "app"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(APP.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_folder_under_app_holds_more_than_fifteen_modules():
    crowded = {str(folder.relative_to(ROOT)): count for folder in [APP, *APP.rglob("*")] if folder.is_dir()
               and (count := len(list(folder.glob("*.py")))) > 15}
    assert crowded == {}


def test_models_import_no_feature_and_no_view():
    upward = {f"{name} imports {target}" for name, path in _modules().items() if name.startswith("app.models")
              for target in _imports(path, top_level_only=False)
              if target.startswith(("app.workflow", "app.views", "app.forms", "app.jobs", "app.cli"))}
    assert upward == set()


def test_the_modules_import_each_other_without_cycles():
    modules = _modules()
    graph = {name: {target for target in _imports(path, top_level_only=True) if target in modules and target != name}
             for name, path in modules.items()}
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target] if target in trail else [name, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_only_the_unit_of_work_commits():
    """Views, operations, jobs and the CLI never commit or roll back: the unit of work does, once."""
    allowed = {"commit": {"app/workflow/core/unit_of_work.py"},
               "rollback": {"app/workflow/core/unit_of_work.py", "app/views/errors.py"}}
    for verb, places in allowed.items():
        pattern = re.compile(rf"\bsession\.{verb}\(")
        found = {str(path.relative_to(ROOT)) for path in APP.rglob("*.py") if pattern.search(path.read_text())}
        assert found <= places, verb
