"""ui.scrub: what a drag listener is sent (the browser side is tested in tests/e2e/test_scrub*.py)."""

import json

import pytest

import ui.scrub as scrub

VALUES = [0.25, 0.5]
FRAMES = {"traces": [1], "frames": [[{"x": [0.25]}], [{"x": [0.5]}]]}


@pytest.fixture
def mounted(monkeypatch):
    """The listener elements mounted, as (element key, data parsed from its JSON bytes)."""
    calls = []

    def listener(*, key, data, height):
        assert height == 0
        calls.append((key, json.loads(data.decode())))

    monkeypatch.setattr(scrub, "_listener", lambda: listener)
    return calls


def test_a_listener_outside_a_group_is_an_element_of_its_own(mounted):
    payload = scrub.scrub_payload(VALUES, FRAMES)
    scrub.follow_drag("chart_a", "slider_a", payload)
    scrub.follow_drag("chart_b", "slider_b", payload, layout={"yaxis.range": [0, 2]})
    assert [key for key, _ in mounted] == ["scrub-chart_a", "scrub-chart_b"]
    (binding_a,) = mounted[0][1]["bindings"]
    assert binding_a == {
        "chart": "chart_a",
        "widget": "slider_a",
        "layout": {},
        "redraw": False,
        "sticky": True,
        "payload": json.loads(payload),
    }
    (binding_b,) = mounted[1][1]["bindings"]
    assert binding_b["layout"] == {"yaxis.range": [0, 2]}


def test_a_listener_that_only_follows_the_slider_says_so(mounted):
    scrub.follow_drag("regions", "noise", scrub.scrub_payload(VALUES, FRAMES), sticky=False)
    (binding,) = mounted[0][1]["bindings"]
    assert binding["sticky"] is False


def test_a_heatmaps_listener_asks_for_a_redraw_at_each_frame(mounted):
    scrub.follow_drag("heat", "slider", scrub.scrub_payload(VALUES, FRAMES), redraw=True)
    (binding,) = mounted[0][1]["bindings"]
    assert binding["redraw"] is True


def test_slider_values_are_every_value_rounded_as_the_slider_rounds():
    values = scrub.slider_values(-8.0, 8.0, 0.1, 1)
    assert len(values) == 161
    assert values[:3] == (-8.0, -7.9, -7.8)
    assert values[80] == 0.0
    assert values[-1] == 8.0
    assert 0.3 in values  # 0.1 + 0.1 + 0.1 would be 0.30000000000000004


def test_a_group_sends_its_listeners_as_one_element_where_it_ends(mounted):
    payload = scrub.scrub_payload(VALUES, FRAMES)
    with scrub.drag_group("both"):
        scrub.follow_drag("chart_a", "slider_a", payload)
        scrub.follow_drag("chart_b", "slider_b", payload)
        assert mounted == []  # nothing is sent before the block ends
    assert len(mounted) == 1
    key, data = mounted[0]
    assert key == "scrub-both"
    assert [(b["chart"], b["widget"]) for b in data["bindings"]] == [
        ("chart_a", "slider_a"),
        ("chart_b", "slider_b"),
    ]
    assert all(b["payload"] == json.loads(payload) for b in data["bindings"])


def test_after_a_group_listeners_are_sent_one_by_one_again(mounted):
    payload = scrub.scrub_payload(VALUES, FRAMES)
    with scrub.drag_group("empty"):
        pass
    with scrub.drag_group("one"):
        scrub.follow_drag("chart_a", "slider_a", payload)
    scrub.follow_drag("chart_b", "slider_b", payload)
    assert [key for key, _ in mounted] == ["scrub-one", "scrub-chart_b"]


def test_a_group_that_raises_sends_nothing(mounted):
    payload = scrub.scrub_payload(VALUES, FRAMES)
    with pytest.raises(RuntimeError, match="boom"), scrub.drag_group("broken"):
        scrub.follow_drag("chart_a", "slider_a", payload)
        raise RuntimeError("boom")
    assert mounted == []
    scrub.follow_drag("chart_b", "slider_b", payload)  # and the group is closed
    assert [key for key, _ in mounted] == ["scrub-chart_b"]


def test_a_payload_that_is_not_text_is_a_value_error(mounted):
    with pytest.raises(ValueError, match="payload must be scrub_payload's JSON text"):
        scrub.follow_drag("chart_a", "slider_a", {"values": VALUES})


@pytest.mark.parametrize(
    ("values", "frames", "match"),
    [
        ([], FRAMES, "values must be the slider's numeric values"),
        (["a", "b"], FRAMES, "values must be the slider's numeric values"),
        ([0.25], FRAMES, r"one frame per value \(1\)"),
        (VALUES, {"frames": FRAMES["frames"]}, "frames must hold 'traces'"),
        (VALUES, {**FRAMES, "layouts": [{}]}, r"layouts must hold one update per value \(2\)"),
    ],
)
def test_scrub_payload_names_what_is_wrong(values, frames, match):
    with pytest.raises(ValueError, match=match):
        scrub.scrub_payload(values, frames)


def test_scrub_payload_carries_each_values_layout_for_a_redrawn_chart():
    layouts = [{"xaxis": {"range": [0, 1]}}, {"xaxis": {"range": [0, 2]}}]
    payload = json.loads(scrub.scrub_payload(VALUES, {**FRAMES, "layouts": layouts}))
    assert payload["layouts"] == layouts
    assert "layouts" not in json.loads(scrub.scrub_payload(VALUES, FRAMES))


def test_scrub_payload_carries_whole_figures_for_a_chart_whose_shape_changes():
    figures = [{"data": [{"type": "heatmap", "z": [[1.0] * n]}], "layout": {"height": 300}} for n in (1, 2)]
    payload = json.loads(scrub.scrub_payload(VALUES, {"figures": figures}))
    assert payload == {"values": VALUES, "figures": figures}
    with pytest.raises(ValueError, match=r"one figure per value \(2\)"):
        scrub.scrub_payload(VALUES, {"figures": figures[:1]})
