"""core.figures.scrub: the frames a chart shows while its slider's thumb is dragged."""

import json

import numpy as np
import pytest

from core.curves import bce_probability_curves
from core.figures.binary import bce_probability_figure
from core.figures.scrub import (
    Step,
    check_frame,
    figure_frames,
    scrub_frames,
    steps_from_figures,
    sweep_frames,
)
from core.losses import binary_cross_entropy, binary_cross_entropy_grad


def _point_figure(p: float, *, note: bool = False) -> dict:
    """A curve that never moves, a point and its text label that do (and optionally an annotation)."""
    grid = np.linspace(0.01, 0.99, 5)
    fig = {
        "data": [
            {"type": "scatter", "x": grid, "y": -np.log(grid), "mode": "lines"},
            {
                "type": "scatter",
                "x": [p],
                "y": [float(-np.log(p))],
                "mode": "markers",
                "marker": {"size": 14},
            },
            {"type": "scatter", "x": [p], "y": [1.0], "mode": "text", "text": [f"p = {p:.2f}"]},
        ],
        "layout": {"height": 400},
    }
    if note:
        fig["layout"]["annotations"] = [{"text": "fixed", "x": 0}, {"text": f"loss {-np.log(p):.3f}", "x": p}]
    return fig


P = (0.25, 0.5, 0.75)


def test_steps_from_figures_keeps_only_what_moves():
    steps = steps_from_figures(_point_figure(0.5), [_point_figure(p) for p in P], ["a", "b", "c"])
    assert [s.label for s in steps] == ["a", "b", "c"]
    assert steps[0].traces == {1: {"x": [0.25], "y": [-np.log(0.25)]}, 2: {"text": ["p = 0.25"], "x": [0.25]}}
    assert all(s.layout == {} for s in steps)


def _two_panels(p: float) -> dict:
    """A point moving in the upper panel; a lower panel (two traces) and an overlay that never move."""
    fig = _point_figure(p)
    fig["data"] += [
        {"type": "scatter", "name": "lower a", "x": [0, 1], "y": [1, 2], "xaxis": "x2", "yaxis": "y2"},
        {"type": "scatter", "name": "lower b", "x": [0, 1], "y": [2, 1], "xaxis": "x2", "yaxis": "y2"},
        {"type": "scatter", "x": [0.5, 0.5], "y": [0, 1], "yaxis": "y3"},  # no name: its type is set
    ]
    return fig


def test_a_step_touches_one_trace_of_every_subplot_the_moving_ones_are_not_in():
    """plotly.js's animate, without a redraw, empties every subplot none of the frame's traces is in."""
    steps = steps_from_figures(_two_panels(0.5), [_two_panels(p) for p in P], list("abc"))
    for step, p in zip(steps, P, strict=True):
        assert step.traces[3] == {"name": "lower a"}  # one trace of the lower panel, unchanged
        assert 4 not in step.traces
        assert step.traces[5] == {"type": "scatter"}  # the overlay, a subplot of its own
        assert step.traces[1]["x"] == [p]
    frames = scrub_frames(steps)
    assert frames["traces"] == [1, 2, 3, 5]
    check_frame(_two_panels(0.75), frames, 2)


def test_a_sweep_where_nothing_moves_touches_no_subplot():
    assert steps_from_figures(_two_panels(0.5), [_two_panels(0.5)] * 2, ["a", "b"])[0].traces == {}


def test_steps_from_figures_addresses_annotations_one_by_one():
    steps = steps_from_figures(
        _point_figure(0.5, note=True), [_point_figure(p, note=True) for p in P], list("abc")
    )
    assert steps[2].layout == {"annotations[1].text": "loss 0.288", "annotations[1].x": 0.75}


def test_steps_from_figures_rejects_a_figure_with_other_annotations():
    with pytest.raises(ValueError, match=r"figure 1 \(b\) must have the traces, annotations"):
        steps_from_figures(
            _point_figure(0.5), [_point_figure(0.25), _point_figure(0.5, note=True)], ["a", "b"]
        )


def test_steps_from_figures_rejects_labels_of_another_length():
    with pytest.raises(ValueError, match="figures and labels must have the same length; got 3 and 2"):
        steps_from_figures(_point_figure(0.5), [_point_figure(p) for p in P], ["a", "b"])


def test_scrub_frames_hold_each_steps_trace_updates_as_nested_dicts():
    steps = steps_from_figures(_point_figure(0.5), [_point_figure(p) for p in P], list("abc"))
    out = scrub_frames(steps)
    assert out["traces"] == [1, 2]
    assert out["frames"][0] == [{"x": [0.25], "y": [-np.log(0.25)]}, {"text": ["p = 0.25"], "x": [0.25]}]
    assert len(out["frames"]) == len(P)
    hand = [Step("a", traces={0: {"marker.size": 9}}), Step("b", traces={0: {"marker.size": np.int64(12)}})]
    assert scrub_frames(hand)["frames"] == [[{"marker": {"size": 9}}], [{"marker": {"size": 12}}]]


def test_scrub_frames_are_plain_json():
    out = sweep_frames(_point_figure, P, name="p")
    assert json.loads(json.dumps(out)) == out  # no numpy: what Streamlit sends is what Python built


def test_sweep_frames_equal_the_figure_drawn_at_each_value():
    out = sweep_frames(_point_figure, P, name="p")
    for index, p in enumerate(P):
        check_frame(_point_figure(p), out, index)


def test_check_frame_names_what_differs():
    out = sweep_frames(_point_figure, P, name="p")
    with pytest.raises(
        ValueError, match=r"frame 0 sets trace 1's x to \[0.25\] but the figure shows \[0.5\]"
    ):
        check_frame(_point_figure(0.5), out, 0)
    with pytest.raises(ValueError, match="frames move trace 2, but the figure has 2 traces"):
        check_frame({"data": _point_figure(0.25)["data"][:2]}, out, 0)


def test_scrub_frames_reject_a_step_that_moves_the_layout():
    shown = _point_figure(0.5, note=True)
    steps = steps_from_figures(shown, [_point_figure(p, note=True) for p in P], list("abc"))
    with pytest.raises(
        ValueError, match=r"also sets layout \['annotations\[1\].text', 'annotations\[1\].x'\]"
    ):
        scrub_frames(steps)


def _bars(n: int, title: str = "t") -> dict:
    """n bars with the x axis fitted to them (a chart whose axes follow the value)."""
    return {
        "data": [{"type": "bar", "x": list(range(1, n + 1)), "y": [1.0] * n}],
        "layout": {"title": {"text": title}, "xaxis": {"range": [0.4, n + 0.6], "title": {"text": "i"}}},
    }


def test_redrawn_frames_carry_each_steps_layout_and_are_checked_against_the_figure():
    out = sweep_frames(_bars, [2, 3, 4], name="n", redrawn=True)
    assert out["traces"] == [0]
    assert out["layouts"] == [{"xaxis": {"range": [0.4, n + 0.6]}} for n in (2, 3, 4)]  # the title stays
    assert out["frames"][1] == [{"x": [1, 2, 3], "y": [1.0, 1.0, 1.0]}]
    check_frame(_bars(3), out, 1)
    wrong_axis = _bars(3)
    wrong_axis["layout"]["xaxis"]["range"] = [0, 9]
    with pytest.raises(ValueError, match=r"frame 1 sets the layout's xaxis.range to \[0.4, 3.6\]"):
        check_frame(wrong_axis, out, 1)
    with pytest.raises(ValueError, match=r"also sets layout \['xaxis.range'\]"):
        sweep_frames(_bars, [2, 3], name="n")  # not redrawn: a frame of traces cannot move the axes


def test_redrawn_frames_never_set_the_title_or_an_annotation():
    # Streamlit restyles a chart's title in the browser: a frame that set it would undo that.
    with pytest.raises(ValueError, match=r"also sets layout \['title.text'"):
        sweep_frames(lambda n: _bars(n, title=f"{n} bars"), [2, 3], name="n", redrawn=True)
    shown = _point_figure(0.5, note=True)
    steps = steps_from_figures(shown, [_point_figure(p, note=True) for p in P], list("abc"))
    with pytest.raises(ValueError, match=r"also sets layout \['annotations\[1\].text'"):
        scrub_frames(steps, redrawn=True)


def test_scrub_frames_reject_a_step_that_unsets_an_attribute():
    steps = [Step("a", traces={0: {"text": ["x"]}}), Step("b", traces={0: {"text": None}})]
    with pytest.raises(ValueError, match=r"step 1 \(b\) unsets \[\(0, 'text'\)\]"):
        scrub_frames(steps)


def test_scrub_frames_reject_steps_that_set_other_attributes():
    steps = [Step("a", traces={1: {"x": [0.25]}}), Step("b", traces={1: {"y": [0.5]}})]
    with pytest.raises(ValueError, match=r"every step must set the same attributes; step 1 \(b\)"):
        scrub_frames(steps)


def test_scrub_frames_reject_a_single_step():
    with pytest.raises(ValueError, match="a sweep needs at least 2 steps; got 1"):
        scrub_frames([Step("a", traces={1: {"x": [0.25]}})])


@pytest.mark.parametrize("index", [-1, 3, 1.0, True])
def test_check_frame_rejects_an_index_out_of_range(index):
    with pytest.raises(ValueError, match="index must be an integer"):
        check_frame(_point_figure(0.5), sweep_frames(_point_figure, P), index)


def test_binary_probability_sweep_shows_cores_numbers_at_every_step():
    """Each step of the Binary page's sweep puts the point where core puts it (the spike's figure)."""
    curves = bce_probability_curves()
    values = np.round(np.arange(1, 100) / 100, 2)

    def draft(p):
        loss = float(binary_cross_entropy(p, 1.0))
        grad = float(binary_cross_entropy_grad(p, 1.0))
        return bce_probability_figure.draft(
            curves.p, curves.loss_pos, curves.loss_neg, p=p, y=1, loss=loss, grad=grad, unit="nats"
        )

    steps = steps_from_figures(draft(0.7), [draft(float(p)) for p in values], [f"{p:.2f}" for p in values])
    point = 2  # the operating point's trace
    for p, step in zip(values, steps, strict=True):
        assert step.traces[point]["x"] == [p]
        assert step.traces[point]["y"] == [pytest.approx(float(binary_cross_entropy(p, 1.0)), abs=5e-5)]


def _grid_figure(n: int, *, title: str = "W") -> dict:
    """A heatmap whose shape, panel title and height change with n, under one figure title."""
    return {
        "data": [{"type": "heatmap", "z": np.arange(n * 2.0).reshape(n, 2), "name": f"W ({n}×2)"}],
        "layout": {
            "title": {"text": title},
            "height": 200 + 50 * n,
            "annotations": [{"text": f"W ({n}×2)", "x": 0.5, "y": 1.0}],
        },
    }


def test_figure_frames_keep_each_whole_figure_but_the_title():
    frames = figure_frames([_grid_figure(1), _grid_figure(3)], ["n = 1", "n = 3"])
    assert [fig["layout"] for fig in frames["figures"]] == [
        {"height": 250, "annotations": [{"text": "W (1×2)", "x": 0.5, "y": 1.0}]},
        {"height": 350, "annotations": [{"text": "W (3×2)", "x": 0.5, "y": 1.0}]},
    ]
    assert frames["figures"][1]["data"] == [
        {"type": "heatmap", "z": [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], "name": "W (3×2)"}
    ]
    json.dumps(frames, allow_nan=False)  # plain JSON: no numpy reaches the browser
    check_frame(_grid_figure(3), frames, 1)
    with pytest.raises(ValueError, match="frame 0's whole figure differs from the figure shown in its data"):
        check_frame(_grid_figure(3), frames, 0)


def test_figure_frames_name_what_is_wrong():
    with pytest.raises(ValueError, match="every figure must have the same title.*figure 1 \\(n = 2\\)"):
        figure_frames([_grid_figure(1), _grid_figure(2, title="V")], ["n = 1", "n = 2"])
    with pytest.raises(ValueError, match="at least 2 figures"):
        figure_frames([_grid_figure(1)], ["n = 1"])
    with pytest.raises(ValueError, match="the same length"):
        figure_frames([_grid_figure(1), _grid_figure(2)], ["n = 1"])
