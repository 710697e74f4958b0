"""ui.live_charts: the payload that moves the Train a network page's charts in the browser."""

import json
import math

import pytest

from ui.live_charts import _JS_PATH, live_payload


def _frame(**changes) -> dict:
    frame = {"traces": [0], "data": [{"x": [0, 1], "y": [0.5, None]}], "layout": {"xaxis.range": [0, 10]}}
    return frame | changes


def test_the_payload_is_the_updates_in_order_and_the_interval_as_json():
    updates = [{"train_loss": _frame()}, {"train_loss": _frame(data=[{"x": [0, 1, 2], "y": [1, 2, 3]}])}]
    assert json.loads(live_payload(updates, 200)) == {"updates": updates, "interval": 200}


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_the_payload_refuses_nan_and_infinity(bad):
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        live_payload([{"train_loss": _frame(data=[{"x": [0], "y": [bad]}])}], 200)


def test_the_payload_needs_traces_data_and_layout_in_every_frame():
    with pytest.raises(
        ValueError, match=r"frame 'train_loss' must hold traces, data and layout; missing \['data'\]"
    ):
        live_payload([{"train_loss": {"traces": [], "layout": {}}}], 200)


@pytest.mark.parametrize(
    ("updates", "interval", "message"),
    [
        ([], 200, "updates must be a list of at least one"),
        ({"train_loss": _frame()}, 200, "updates must be a list of at least one"),
        ([{"train_loss": _frame()}], -1, "interval_ms must be a whole number of milliseconds >= 0; got -1"),
        ([{"train_loss": _frame()}], 0.2, "interval_ms must be a whole number of milliseconds >= 0; got 0.2"),
    ],
)
def test_the_payload_rejects_bad_updates_and_intervals(updates, interval, message):
    with pytest.raises(ValueError, match=message):
        live_payload(updates, interval)


def test_the_script_ships_with_the_app_and_writes_only_through_plotly():
    script = _JS_PATH.read_text(encoding="utf-8")
    assert "export default function" in script
    assert "http" not in script  # nothing fetched from elsewhere
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "fetch("):
        assert forbidden not in script
