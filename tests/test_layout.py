"""The architecture rules of STYLE.md, checked by reading the source (no imports of it).

pages/ and app.py (Streamlit) -> core/ (numbers and figures) -> numpy / plotly.
"""

import ast
from pathlib import Path

import pytest

from ui.registry import DEFAULT_PAGE, PAGES, SECTIONS

ROOT = Path(__file__).resolve().parents[1]
CORE_FILES = sorted(path for path in (ROOT / "core").rglob("*.py"))
PAGE_FILES = sorted(path for path in (ROOT / "pages").glob("*.py") if path.name != "__init__.py")


def _imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", CORE_FILES, ids=_rel)
def test_core_module_does_not_import_streamlit_or_the_app(path):
    imported = _imported_top_level_modules(path)
    assert not imported & {"streamlit", "ui", "pages", "app"}, f"{_rel(path)} imports {imported}"


@pytest.mark.parametrize("path", CORE_FILES, ids=_rel)
def test_only_core_figures_imports_plotly(path):
    if _rel(path) == "core/figures.py":
        return
    assert "plotly" not in _imported_top_level_modules(path), f"{_rel(path)} imports plotly"


def test_import_scanner_sees_plain_dotted_and_from_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "import numpy as np\nimport plotly.graph_objects as go\nfrom streamlit import cache_data\n"
        "from . import sibling\n\ndef f():\n    import torch\n"
    )
    assert _imported_top_level_modules(source) == {"numpy", "plotly", "streamlit", "torch"}


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
        assert spec.path.startswith("pages/") and spec.path.endswith(".py"), spec
        assert spec.url_path and "/" not in spec.url_path and spec.url_path == spec.url_path.strip(), spec
        assert spec.title.strip() and spec.description.strip() and spec.icon.strip(), spec
        assert "\n" not in spec.description, spec


def test_every_url_path_is_its_file_name():
    # A deep link as the first request to a cold server is resolved by Streamlit's legacy pages/ lookup,
    # which knows pages by file name only (see ui.common.leave_legacy_pages_mode); a different url_path
    # would open with a "Page not found" dialog.
    for spec in PAGES:
        assert spec.url_path == Path(spec.path).stem, spec
