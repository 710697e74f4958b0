"""The frame (app.py) and the Home page, run headless with Streamlit's AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP
from ui import registry
from ui.common import UNITS_KEY
from ui.registry import DEFAULT_PAGE, PageSpec


def run_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_home_is_the_default_page_and_shows_the_title():
    at = run_app()

    assert [t.value for t in at.title] == ["Cross-Entropy Explorer"]
    assert [h.value for h in at.main.header] == ["Key takeaways", "Guided lessons", "Pages"]
    assert not at.error


def test_home_lists_the_five_key_takeaways_in_order():
    at = run_app()

    (takeaways,) = [md.value for md in at.markdown if "Cross-entropy measures surprise" in md.value]
    titles = [
        "measures surprise",
        "gradient is simple",
        "maximum likelihood",
        "stability matters",
        "extend it",
    ]
    positions = [takeaways.index(f"{n}. **") for n in range(1, 6)]
    assert positions == sorted(positions)
    for n, title in enumerate(titles, 1):
        assert title in takeaways.split(f"{n}. **", 1)[1].split("**", 1)[0]
    assert "H(P, Q) = H(P) + KL(P ‖ Q)" in takeaways


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_the_takeaways_speak_the_chosen_unit_and_correct_never_vanishes(unit):
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state[UNITS_KEY] = unit
    at.run()
    (takeaways,) = [md.value for md in at.markdown if "Cross-entropy measures surprise" in md.value]
    other = "bits" if unit == "nats" else "nats"
    assert f"the whole loss is wasted\n   {unit}" in takeaways
    assert f"wasted {other}" not in takeaways
    assert '"never vanishes"' in takeaways
    assert "only half true" in takeaways
    assert "this gradient on the logits never" in takeaways


def test_home_links_every_other_registered_page():
    at = run_app()

    links = [link for link in at.main.get("page_link") if not link.proto.query_string]  # not the lessons
    others = [spec for spec in registry.PAGES if spec is not DEFAULT_PAGE]
    assert [link.proto.page for link in links] == [spec.url_path for spec in others]
    for link, spec in zip(links, others, strict=True):
        assert spec.title in link.proto.label
        assert spec.description in link.proto.label


def test_a_page_added_to_the_registry_appears_in_the_navigation_and_on_home(tmp_path, monkeypatch):
    extra = tmp_path / "extra.py"
    extra.write_text("import streamlit as st\n\nst.title('Extra page')\n")
    spec = PageSpec(str(extra), "Extra", ":material/star:", "extra", "A page added in one place.", "Training")
    monkeypatch.setattr(registry, "PAGES", [*registry.PAGES, spec])

    at = run_app()

    (link,) = [link for link in at.main.get("page_link") if link.proto.page == "extra"]
    assert link.proto.label == "**Extra** — A page added in one place."
    assert "Training" in [s.value for s in at.subheader]

    at.switch_page(str(extra)).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Extra page"]
    assert at.sidebar.radio(key=UNITS_KEY).value == "nats"  # the frame's sidebar is still there


def test_units_default_to_nats_and_switch_to_bits():
    at = run_app()
    radio = at.sidebar.radio(key=UNITS_KEY)
    assert radio.value == "nats"
    assert radio.options == ["nats", "bits"]
    assert [c.value for c in at.caption if "Losses are shown in" in c.value][0].startswith(
        "Losses are shown in **nats**"
    )

    radio.set_value("bits").run()

    assert not at.exception
    assert at.session_state[UNITS_KEY] == "bits"
    assert at.sidebar.radio(key=UNITS_KEY).value == "bits"
    assert [c.value for c in at.caption if "Losses are shown in" in c.value][0].startswith(
        "Losses are shown in **bits**"
    )


@pytest.mark.parametrize("units", ["nats", "bits"])
def test_units_choice_survives_a_rerun(units):
    at = run_app()
    at.sidebar.radio(key=UNITS_KEY).set_value(units).run()

    at.run()

    assert at.sidebar.radio(key=UNITS_KEY).value == units
