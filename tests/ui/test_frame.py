"""Links to a view: crafted URLs load the page with each control set, or at its default with a notice."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP
from ui.frame import PRESENT_KEY, link_problems, view_link

LONG = "x" * 5000


def open_with(page: str, **params: str) -> AppTest:
    """The app opened on ``page`` (e.g. "pages/binary.py") from a link with these query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def toasts(at: AppTest) -> list[str]:
    return [t.value for t in at.get("toast")]


def test_a_valid_link_sets_the_controls_without_a_notice():
    at = open_with("pages/binary.py", bce_p="0.3", bce_z="-2.5")
    assert at.slider(key="bce_p").value == pytest.approx(0.3)
    assert at.slider(key="bce_z").value == pytest.approx(-2.5)
    assert toasts(at) == []
    assert at.query_params["bce_p"] in ("0.3", ["0.3"])


@pytest.mark.parametrize("bad", ["5", "-1", "abc", "", "0.5.5", "nan", "inf", LONG])
def test_a_bad_value_falls_back_to_the_default_with_a_notice(bad):
    at = open_with("pages/binary.py", bce_p=bad)
    assert at.slider(key="bce_p").value == pytest.approx(0.70)
    if bad:  # an empty value is simply no value
        assert any("bce_p" in t and "default" in t for t in toasts(at)), toasts(at)
    assert "bce_p" not in at.query_params


def test_options_and_dependent_ranges():
    at = open_with("pages/multiclass.py", mc_n="6", mc_true="🐟 Fish")
    assert at.slider(key="mc_n").value == 6
    at = open_with("pages/kl.py", kl_classes="7", kl_mode="nonsense")
    assert at.radio(key="kl_classes").value == 4
    assert len([t for t in toasts(at) if "default" in t]) == 2


def test_a_fractional_integer_is_adjusted_with_a_notice():
    at = open_with("pages/multiclass.py", mc_n="5.5")
    assert at.slider(key="mc_n").value == 5
    assert any("adjusted" in t for t in toasts(at)), toasts(at)


def test_a_too_long_text_is_cut_to_the_fields_limit():
    at = open_with("pages/multiclass.py", mc_names=LONG)
    field = at.text_input(key="mc_names")
    assert field.value == LONG[: field.max_chars] if field.max_chars else field.value == LONG
    assert not at.error


def test_an_unknown_parameter_is_ignored_and_removed():
    at = open_with("pages/binary.py", nonsense="1", bce_p="0.2")
    assert any("nonsense" in t and "ignored" in t for t in toasts(at)), toasts(at)
    assert "nonsense" not in at.query_params
    assert at.slider(key="bce_p").value == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("raw", "on", "notice"),
    [("1", True, False), ("true", True, False), ("0", False, False), ("maybe", False, True)],
)
def test_presenter_mode_from_the_link(raw, on, notice):
    at = open_with("pages/binary.py", present=raw)
    assert at.session_state[PRESENT_KEY] is on
    assert at.toggle(key=PRESENT_KEY).value is on
    assert any("present" in t for t in toasts(at)) is notice
    assert (at.query_params.get("present") in ("1", ["1"])) is on


def test_every_page_survives_garbage_in_every_parameter_it_binds():
    from ui.registry import PAGES

    for spec in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.switch_page(spec.path)
        at.run()
        keys = [w.key for w in at.main.get("slider") + at.main.get("radio") + at.main.get("selectbox")]
        keys = [k for k in keys if k and not k.startswith("$$")]
        crafted = open_with(spec.path, **{key: "%%garbage%%" for key in keys})
        assert not crafted.error, spec.path


def test_link_problems_ignores_a_default_given_in_another_spelling():
    notices, unknown = link_problems({"p": ["0.70"], "n": ["4"]}, {}, {"p": 0.7, "n": 4})
    assert notices == []
    assert unknown == []


def test_view_link_keeps_repeated_values_and_the_page():
    link = view_link("https://x.streamlit.app/?a=1", "kl", {"r": ["1", "2"], "present": ["1"]})
    assert link == "https://x.streamlit.app/kl?r=1&r=2&present=1"


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, False), ("1", True), (" Yes ", True), ("0", False), ("x", False)]
)
def test_opened_presenting_reads_the_link_before_anything_is_drawn(raw, expected):
    def page():
        import streamlit as st

        from ui.frame import opened_presenting

        st.text(repr(opened_presenting()))

    at = AppTest.from_function(page, default_timeout=30)
    if raw is not None:
        at.query_params["present"] = raw
    at.run()

    assert not at.exception
    assert [t.value for t in at.text] == [repr(expected)]
