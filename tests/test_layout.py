"""The architecture rules of STYLE.md, checked by reading the source (nothing here imports the app).

The rooms, and the one direction between them::

    app.py, pages/  ->  ui/  ->  words/, core/figures/  ->  core/  ->  numpy

- a module imports only from its own room or from rooms to its right (pages may also reach words/ and
  core/ directly); function-level imports count as much as top-level ones;
- core/ never imports Streamlit; only core/figures/ imports Plotly; words/ imports neither;
- there is no import cycle anywhere in the app's own modules;
- a page imports each name from the module that defines it, so a reader reaches it in one jump;
- no module of the app's code is longer than about 850 lines (one concern a module).
"""

import ast
from functools import cache
from pathlib import Path

import pytest

from ui.registry import DEFAULT_PAGE, PAGES, SECTIONS

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "words", "ui", "pages")
APP_FILES = sorted(
    [ROOT / "app.py"]
    + [path for package in PACKAGES if (ROOT / package).is_dir() for path in (ROOT / package).rglob("*.py")]
)
PAGE_FILES = sorted(path for path in (ROOT / "pages").glob("*.py") if path.name != "__init__.py")
MAX_LINES = 850

# Each room, and the rooms of the app it may import from (besides itself).
ROOMS = {
    "app": {"ui"},
    "pages": {"ui", "words", "figures", "core"},
    "ui": {"words", "figures", "core"},
    "words": {"core"},
    "figures": {"core"},
    "core": set(),
}
# Third-party packages each room may import (the standard library is always allowed).
THIRD_PARTY = {
    "app": {"streamlit"},
    "pages": {"streamlit", "numpy", "pandas"},
    "ui": {"streamlit", "numpy", "pandas", "pyarrow", "threadpoolctl"},
    "words": {"numpy"},
    "figures": {"numpy", "plotly", "_plotly_utils"},
    "core": {"numpy"},
}
FIRST_PARTY = {"app", *PACKAGES}
STDLIB = frozenset(__import__("sys").stdlib_module_names)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in APP_FILES}


def _room(module: str) -> str:
    if module == "app":
        return "app"
    if module == "core.figures" or module.startswith("core.figures."):
        return "figures"
    return module.split(".")[0]


def _executed_nodes(tree: ast.AST):
    """Every node of the file except the bodies of ``if TYPE_CHECKING:`` (annotations only, never run)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            type_checking = isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING")
            if type_checking:
                todo.extend(child.orelse)
            else:
                todo.append(child)


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module named by an import anywhere in the file (function bodies included), resolved."""
    names: set[str] = set()
    for node in _executed_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names.add(stem)
            # ``from core.figures import binary`` imports the submodule core.figures.binary
            names.update(f"{stem}.{alias.name}" for alias in node.names if f"{stem}.{alias.name}" in MODULES)
    return names


@cache
def _imports_of(module: str) -> frozenset[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return frozenset(_imports(tree, module, path.name == "__init__.py"))


def _app_modules(names) -> set[str]:
    """The app's own modules among ``names`` (the longest known prefix of each)."""
    found = set()
    for name in names:
        parts = name.split(".")
        for k in range(len(parts), 0, -1):
            candidate = ".".join(parts[:k])
            if candidate in MODULES:
                found.add(candidate)
                break
    return found


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_module_imports_only_in_the_allowed_direction(module):
    room = _room(module)
    allowed = ROOMS[room] | {room}
    wrong = sorted(m for m in _app_modules(_imports_of(module)) if _room(m) not in allowed)
    assert not wrong, f"{module} ({room}) imports {wrong}; {room} may import only from {sorted(allowed)}"


@pytest.mark.parametrize("module", sorted(MODULES), ids=str)
def test_module_imports_only_its_rooms_third_party_packages(module):
    room = _room(module)
    tops = {name.split(".")[0] for name in _imports_of(module) if name}
    third_party = tops - FIRST_PARTY - STDLIB - {"__future__"}
    wrong = sorted(third_party - THIRD_PARTY[room])
    assert not wrong, f"{module} ({room}) imports {wrong}; allowed: {sorted(THIRD_PARTY[room])}"


def test_there_is_no_import_cycle():
    graph = {module: _app_modules(_imports_of(module)) - {module} for module in MODULES}
    # A package's __init__ is imported with any of its submodules; that edge is Python's, not a cycle of ours.
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :] + [dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def _defined_names(module: str) -> set[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("path", PAGE_FILES + [ROOT / "app.py"], ids=_rel)
def test_page_imports_each_name_from_the_module_that_defines_it(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in MODULES:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule not in MODULES and alias.name not in _defined_names(node.module):
                    problems.append(f"{alias.name} is not defined in {node.module}")
        elif isinstance(node, ast.Import):
            problems += [
                f"import {a.name}: import names from their modules" for a in node.names if a.name in MODULES
            ]
    assert not problems, f"{_rel(path)}: " + "; ".join(problems)


@pytest.mark.parametrize("path", APP_FILES, ids=_rel)
def test_module_is_at_most_about_850_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines; split it by concern"


def test_import_scanner_resolves_plain_dotted_relative_and_function_level_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "import numpy as np\nimport plotly.graph_objects as go\nfrom streamlit import cache_data\n"
        "from . import sibling\nfrom .x import y\n\ndef f():\n    import torch\n"
        "if TYPE_CHECKING:\n    import pandas\n"
    )
    tree = ast.parse(source.read_text())
    found = _imports(tree, "core.m", is_package=False)
    assert found == {"numpy", "plotly.graph_objects", "streamlit", "core", "core.x", "torch"}


def test_rooms_are_assigned_by_package():
    assert _room("core.figures.binary") == "figures"
    assert _room("core.figures") == "figures"
    assert _room("core.losses") == "core"
    assert _room("words.binary") == "words"
    assert _room("app") == "app"


def test_every_registered_page_file_exists():
    missing = [spec.path for spec in PAGES if not (ROOT / spec.path).is_file()]
    assert not missing, f"registered in ui/registry.py but missing: {missing}"


def test_every_page_file_is_registered():
    registered = {spec.path for spec in PAGES}
    unregistered = [_rel(path) for path in PAGE_FILES if _rel(path) not in registered]
    assert not unregistered, f"pages/ files missing from ui/registry.py PAGES: {unregistered}"


def test_registry_rows_are_well_formed():
    assert DEFAULT_PAGE.path == "pages/home.py"
    for field in ("path", "title", "url_path"):
        values = [getattr(spec, field) for spec in PAGES]
        assert len(values) == len(set(values)), f"duplicate {field} in PAGES: {values}"
    for spec in PAGES:
        assert spec.section in SECTIONS, spec
        assert spec.path.startswith("pages/"), spec
        assert spec.path.endswith(".py"), spec
        assert spec.url_path, spec
        assert "/" not in spec.url_path, spec
        assert spec.url_path == spec.url_path.strip(), spec
        assert spec.title.strip(), spec
        assert spec.description.strip(), spec
        assert spec.icon.strip(), spec
        assert "\n" not in spec.description, spec


def test_every_url_path_is_its_file_name():
    # A deep link as the first request to a cold server is resolved by Streamlit's legacy pages/ lookup,
    # which knows pages by file name only (see ui.common.leave_legacy_pages_mode); a different url_path
    # would open with a "Page not found" dialog.
    for spec in PAGES:
        assert spec.url_path == Path(spec.path).stem, spec
