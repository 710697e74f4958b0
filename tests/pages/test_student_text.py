"""What a student reads never names the project's internal source files ("seed 001", "the seed article").

Two routes: every string written in the app's code (pages/, ui/, words/, app.py), and every string the
pages actually render (each element's protobuf, charts' specs included), opened through AppTest.
A random-number seed ("Seed", "Random seed", "seed 0") is an ordinary control and stays.
"""

import ast
import re
from pathlib import Path

import pytest
from google.protobuf.message import Message

from tests.pages._apptest import open_page
from ui.registry import PAGES

ROOT = Path(__file__).resolve().parents[2]
SOURCE_FILES = sorted(
    [ROOT / "app.py"]
    + [path for folder in ("pages", "ui", "words") for path in (ROOT / folder).rglob("*.py")]
)
# Internal labels of the source documents, and their file names (000_9cda98e0d92f7a68.txt).
INTERNAL = re.compile(
    r"\bseeds?\s*0\d\d|\bseed article|\bseed's|\s\(seed\)|\bthe seed (says|shows|writes|does)\b|"
    r"\bas in the seed\b|\b\d{3}_[0-9a-f]{16}\b",
    re.IGNORECASE,
)


def _strings_in_source(path: Path) -> list[str]:
    strings = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.append(node.value)
    return strings


def _strings_in_proto(message: Message) -> list[str]:
    found = []
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                found += _strings_in_proto(item)
            elif isinstance(item, str):
                found.append(item)
    return found


def rendered_strings(node) -> list[str]:
    """Every string of every element under an AppTest node: labels, help, options, text, chart specs."""
    found = []
    proto = getattr(node, "proto", None)
    if isinstance(proto, Message):
        found += _strings_in_proto(proto)
    for child in getattr(node, "children", {}).values():
        found += rendered_strings(child)
    return found


def test_the_pattern_catches_internal_labels_and_spares_random_seeds():
    for label in (
        "Seed 001",
        "seed 002's network",
        "Reset to seed 003's logits",
        "the seed article",
        "S − Y  (seed)",
    ):
        assert INTERNAL.search(label), label
    assert INTERNAL.search("see 003_7bb9d9f9bcef3025.txt")
    for fine in ("Seed", "Random seed", "(seed 0)", "default_rng(seed)", "Another seed or a bigger batch"):
        assert not INTERNAL.search(fine), fine


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_string_in_the_apps_code_names_a_source_by_its_internal_label(path):
    hits = [s for s in _strings_in_source(path) if INTERNAL.search(s)]
    assert not hits, hits


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_no_rendered_text_names_a_source_by_its_internal_label(spec):
    at = open_page(spec.path)
    strings = rendered_strings(at.main) + rendered_strings(at.sidebar)
    assert len(strings) > 10  # the walk really reads the page
    hits = [s[:200] for s in strings if INTERNAL.search(s)]
    assert not hits, hits


@pytest.mark.parametrize("stage", [5, 12])
def test_the_backprop_stages_that_correct_a_source_name_it_by_what_it_is(stage):
    at = open_page("pages/backprop.py")
    at.slider(key="backprop_stage").set_value(stage).run()
    strings = rendered_strings(at.main)
    assert any("the notes on a four-layer network's gradients" in s.lower() for s in strings)
    assert not [s for s in strings if INTERNAL.search(s)]
