"""The test suite's own habits, checked by reading its source (nothing here imports a test module).

- No composite ``assert a and b``: when it fails, nobody can tell which half did.  Write one assert each.
- A test that imports torch is marked ``torch`` (``pytestmark = pytest.mark.torch`` in the module, or
  ``@pytest.mark.torch`` on the test or its class), so ``-m "not torch"`` deselects it and
  tests/conftest.py skips it where torch is not installed.
- Every marker declared in pyproject.toml is used.
"""

import ast
import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
TEST_FILES = sorted(path for path in TESTS.rglob("test_*.py") if "node_modules" not in path.parts)
SUITE_FILES = sorted(path for path in TESTS.rglob("*.py") if not {"node_modules", "perf"} & set(path.parts))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_mark(node: ast.expr, name: str) -> bool:
    """``pytest.mark.<name>`` or ``pytest.mark.<name>(...)``."""
    if isinstance(node, ast.Call):
        node = node.func
    return (
        isinstance(node, ast.Attribute)
        and node.attr == name
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "mark"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "pytest"
    )


def _module_marks(tree: ast.Module) -> list[ast.expr]:
    """The marks in ``pytestmark = <mark>`` or ``pytestmark = [<mark>, ...]``."""
    marks = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            value = node.value
            marks += value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
    return marks


def _imports_torch(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name == "torch" or alias.name.startswith("torch.") for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module == "torch" or (node.module or "").startswith("torch."))
    if isinstance(node, ast.Call) and node.args:  # pytest.importorskip("torch")
        func, first = node.func, node.args[0]
        return (
            isinstance(func, ast.Attribute)
            and func.attr == "importorskip"
            and isinstance(first, ast.Constant)
            and first.value == "torch"
        )
    return False


def _unmarked_torch_imports(path: Path) -> list[str]:
    """Lines of ``path`` that import torch outside any test, class or module marked ``torch``."""
    tree = _tree(path)
    if any(_is_mark(mark, "torch") for mark in _module_marks(tree)):
        return []
    found = []

    def visit(node: ast.AST, marked: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            marked = marked or any(_is_mark(d, "torch") for d in node.decorator_list)
        if _imports_torch(node) and not marked:
            found.append(f"{_rel(path)}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child, marked)

    visit(tree, False)
    return found


def test_no_test_file_has_a_composite_assert():
    composite = [
        f"{_rel(path)}:{node.lineno}"
        for path in SUITE_FILES
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Assert)
        and isinstance(node.test, ast.BoolOp)
        and isinstance(node.test.op, ast.And)
    ]
    assert composite == [], f"split these `assert a and b` into one assert each: {composite}"


def test_every_test_that_imports_torch_is_marked_torch():
    unmarked = [where for path in TEST_FILES for where in _unmarked_torch_imports(path)]
    assert unmarked == [], f"mark these torch imports' tests with @pytest.mark.torch: {unmarked}"


def test_the_torch_check_sees_marks_and_imports():
    source = (
        "import pytest\n"
        "@pytest.mark.torch\n"
        "def test_marked():\n"
        "    torch = pytest.importorskip('torch')\n"
        "def test_unmarked():\n"
        "    import torch.nn\n"
    )
    tree = ast.parse(source)
    marked, unmarked = tree.body[1], tree.body[2]
    assert any(_is_mark(d, "torch") for d in marked.decorator_list)
    assert any(_imports_torch(node) for node in ast.walk(marked))
    assert any(_imports_torch(node) for node in ast.walk(unmarked))
    assert not any(_is_mark(d, "torch") for d in unmarked.decorator_list)
    assert _module_marks(ast.parse("import pytest\npytestmark = [pytest.mark.torch]\n"))


def test_every_declared_marker_is_used():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = [line.split(":")[0].strip() for line in config["tool"]["pytest"]["ini_options"]["markers"]]
    used = {
        node.attr
        for path in SUITE_FILES
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "mark"
        and isinstance(node.value.value, ast.Name)
        and node.value.value.id == "pytest"
    }
    assert [name for name in declared if name not in used] == []
