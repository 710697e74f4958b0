"""Figure builders of the Train a network page (core.figures.train)."""

import base64
import math
import zlib

import numpy as np
import pytest

from core.figures.train import (
    CURVES_LIVE_LAYOUT,
    NORMS_LIVE_LAYOUT,
    REGIONS_LIVE_LAYOUT,
    confusion_matrix_figure,
    decision_regions_figure,
    digit_images_figure,
    epoch_axis_end,
    gradient_norms_figure,
    live_frame,
    regions_image,
    training_curves_figure,
)


def _run(label="CE", test=True, epochs=3):
    history = {
        "epoch": list(range(1, epochs + 1)),
        "loss": [1.0 / e for e in range(1, epochs + 1)],
        "accuracy": [0.5 + 0.1 * e for e in range(1, epochs + 1)],
        "grad_norm": {"W1": [0.1] * epochs, "W2": [1.0] * epochs, "W3": [5.0] * epochs},
    }
    initial = {"loss": 1.5, "accuracy": 0.3}
    if test:
        history |= {"test_loss": [1.1 / e for e in range(1, epochs + 1)], "test_accuracy": [0.55] * epochs}
        initial |= {"test_loss": 1.6, "test_accuracy": 0.25}
    return {"label": label, "history": history, "initial": initial}


def test_curves_draw_train_and_test_per_run_from_epoch_zero():
    fig = training_curves_figure([_run("CE"), _run("MSE")], metric="accuracy", title="t", y_title="accuracy")
    assert [t.name for t in fig.data] == ["CE", "CE · test", "MSE", "MSE · test"]
    assert [t.showlegend for t in fig.data] == [True, False, True, False]  # one legend entry per run
    assert [t.legendgroup for t in fig.data] == ["CE", "CE", "MSE", "MSE"]
    assert list(fig.data[0].x) == [0, 1, 2, 3]
    assert list(fig.data[0].y) == pytest.approx([0.3, 0.6, 0.7, 0.8])
    assert list(fig.data[1].y) == pytest.approx([0.25, 0.55, 0.55, 0.55])
    assert fig.data[0].line.dash == "solid"
    assert fig.data[1].line.dash == "dot"
    assert fig.data[1].marker.symbol.endswith("-open")
    assert fig.data[0].line.color != fig.data[2].line.color  # runs differ in colour ...
    assert fig.data[0].marker.symbol != fig.data[2].marker.symbol  # ... and in marker symbol
    assert fig.layout.yaxis.tickformat == ".0%"
    assert list(fig.layout.yaxis.range) == [0, 1.04]
    assert fig.layout.xaxis.dtick == 1


def test_curves_without_test_data_draw_only_the_training_trace():
    fig = training_curves_figure([_run(test=False)], metric="loss", title="t", y_title="loss")
    assert [t.name for t in fig.data] == ["CE"]


def test_curves_scale_each_run_for_units():
    fig = training_curves_figure(
        [_run("CE"), _run("MSE")], metric="loss", title="t", y_title="loss", scale=[1 / math.log(2), 1.0]
    )
    assert fig.data[0].y[0] == pytest.approx(1.5 / math.log(2))
    assert fig.data[2].y[0] == pytest.approx(1.5)


def test_curves_mark_the_target_and_the_epoch_each_run_reached_it():
    fig = training_curves_figure(
        [_run("CE"), _run("MSE")], metric="accuracy", title="t", y_title="a", target=0.7, reached=[2, None]
    )
    assert fig.layout.shapes[0].y0 == 0.7
    assert fig.layout.shapes[0].y1 == 0.7
    assert any(a.text == "target 70%" for a in fig.layout.annotations)
    # One marker trace per run, empty until the run reaches the target: the chart keeps the same traces
    # at every epoch, so the browser can move them while training plays (live_frame).
    markers = [t for t in fig.data if t.name.endswith("reaches 70%")]
    assert [t.name for t in markers] == ["CE reaches 70%", "MSE reaches 70%"]
    assert list(markers[0].x) == [2, 2]
    assert list(markers[0].y) == [0, 0.7]
    assert list(markers[1].x) == []
    assert list(markers[1].y) == []
    assert "CE reached 70% at epoch %{x}" in markers[0].hovertemplate


def test_curves_keep_their_traces_from_before_the_target_is_reached_to_after():
    options = {"metric": "accuracy", "title": "t", "y_title": "a", "target": 0.7}
    before = training_curves_figure([_run("CE"), _run("MSE")], reached=[None, None], **options)
    after = training_curves_figure([_run("CE"), _run("MSE")], reached=[2, 3], **options)
    assert [t.name for t in before.data] == [t.name for t in after.data]
    assert [list(t.x) for t in after.data[-2:]] == [[2, 2], [3, 3]]


def test_curves_reject_an_unknown_metric_and_a_wrong_number_of_scales():
    with pytest.raises(ValueError, match="metric must be"):
        training_curves_figure([_run()], metric="f1", title="t", y_title="y")
    with pytest.raises(ValueError, match="one factor per run"):
        training_curves_figure([_run()], metric="loss", title="t", y_title="y", scale=[1.0, 2.0])


def _grid():
    return {
        "x": np.linspace(-1, 1, 3),
        "y": np.linspace(-2, 2, 3),
        "classes": np.array([[0, 0, 1], [0, 2, 1], [2, 2, 1]]),
        "confidence": np.array([[1.0, 0.5, 1 / 3], [0.9, 0.4, 0.7], [1.0, 0.6, 0.35]]),
    }


def test_decision_regions_encode_class_and_confidence_in_each_cell():
    X = np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.5]])
    fig = decision_regions_figure(_grid(), X, np.array([0, 1, 2]), class_names=["c0", "c1", "c2"], title="t")
    heatmap = fig.data[0]
    z = np.asarray(heatmap.z)
    # z = 100·class + round(99·(p − 1/3)/(2/3)): a sure class-0 cell is 99, a coin toss 0 of its band.
    assert z[0, 0] == 99
    assert z[0, 2] == 100
    assert z[1, 1] == 200 + round(99 * (0.4 - 1 / 3) * 1.5)
    custom = np.asarray(heatmap.customdata)
    assert custom.shape == (3, 3, 2)
    assert custom[1, 0].tolist() == [0, 90]
    assert (heatmap.zmin, heatmap.zmax) == (0, 300)
    assert [t.name for t in fig.data[1:]] == ["c0", "c1", "c2"]
    assert [t.marker.symbol for t in fig.data[1:]] == ["circle", "square", "diamond"]


def test_decision_regions_draw_test_points_open_and_out_of_the_legend():
    X, y = np.array([[0.0, 0.0], [0.5, 0.5]]), np.array([0, 1])
    fig = decision_regions_figure(
        _grid(), X, y, X_test=X + 0.1, y_test=y, class_names=["c0", "c1", "c2"], title="Regions"
    )
    test_traces = [t for t in fig.data[1:] if t.name.endswith("· test")]
    assert [t.name for t in test_traces] == ["c0 · test", "c1 · test"]
    assert all(t.marker.symbol.endswith("-open") and t.showlegend is False for t in test_traces)
    assert "open: test points" in fig.layout.title.text
    assert fig.layout.yaxis.scaleanchor == "x"  # equal aspect: circles look round
    assert fig.layout.uirevision == "Regions"


def test_decision_regions_need_two_class_names():
    with pytest.raises(ValueError, match="at least 2 classes"):
        decision_regions_figure(_grid(), np.zeros((1, 2)), [0], class_names=["only"], title="t")


def test_gradient_norms_one_line_per_layer_and_run_on_a_log_axis():
    fig = gradient_norms_figure([_run("CE"), _run("MSE")], title="t")
    names = [t.name for t in fig.data]
    assert names == ["W1 (input)", "W2", "W3 (output)"] * 2
    assert [t.showlegend for t in fig.data] == [True] * 3 + [False] * 3  # layers listed once
    assert "solid: CE · dashed: MSE" in fig.layout.title.text
    assert "MSE" in fig.data[3].hovertemplate
    assert fig.layout.yaxis.type == "log"
    assert fig.data[0].line.dash == "solid"
    assert fig.data[3].line.dash == "dash"
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol
    assert fig.layout.yaxis.dtick == 1  # the norms span 0.1 … 5: more than a decade


def test_gradient_norms_of_exactly_zero_leave_a_gap_on_the_log_axis():
    run = _run()
    run["history"]["grad_norm"]["W1"] = [0.5, 0.0, 0.0]
    fig = gradient_norms_figure([run], title="t")
    y = np.asarray(fig.data[0].y, dtype=float)
    assert y[0] == 0.5
    assert np.isnan(y[1:]).all()
    assert [t.name for t in fig.data][0] == "W1 (input)"


def test_confusion_matrix_figure_writes_counts_and_leaves_zeros_blank():
    fig = confusion_matrix_figure(np.array([[5, 1], [0, 4]]), ["0", "1"], title="t")
    heatmap = fig.data[0]
    assert heatmap.text.tolist() == [["5", "1"], ["", "4"]]
    assert np.asarray(heatmap.customdata).tolist() == [[5 / 6, 1 / 6], [0.0, 1.0]]
    assert fig.layout.xaxis.title.text == "predicted class"
    assert fig.layout.yaxis.title.text == "true class"
    assert fig.layout.yaxis.autorange == "reversed"
    with pytest.raises(ValueError, match=r"cm must be \(C, C\)"):
        confusion_matrix_figure(np.zeros((2, 3)), ["0", "1"], title="t")


def test_digit_images_are_tiled_with_gaps_and_captioned():
    images = np.linspace(0, 1, 5 * 64).reshape(5, 64)
    fig = digit_images_figure(images, [f"img {i}" for i in range(5)], title="t", columns=4)
    z = np.asarray(fig.data[0].z, dtype=float)
    assert z.shape == (2 * 8 + 3, 4 * 8 + 3)
    np.testing.assert_allclose(z[0:8, 0:8], images[0].reshape(8, 8))
    np.testing.assert_allclose(z[11:19, 0:8], images[4].reshape(8, 8))  # second row, after a 3-row gap
    # gap column; empty tile
    assert np.isnan(z[0:8, 8]).all()
    assert np.isnan(z[11:19, 9:17]).all()
    assert [a.text for a in fig.layout.annotations] == [f"img {i}" for i in range(5)]
    assert fig.data[0].colorscale[0][1] == "#FFFFFF"  # blank paper is white, ink is dark


@pytest.mark.parametrize(
    ("images", "captions", "message"),
    [
        (np.zeros((2, 63)), ["a", "b"], r"images must be \(k, 64\)"),
        (np.zeros((0, 64)), [], "k >= 1"),
        (np.zeros((2, 64)), ["a"], "one entry per image"),
    ],
)
def test_digit_images_reject_bad_input(images, captions, message):
    with pytest.raises(ValueError, match=message):
        digit_images_figure(images, captions, title="t")


# ---------------------------------------------------------------------------------------------- moving charts
@pytest.mark.parametrize(
    ("last", "end", "dtick"), [(0, 10, 1), (10, 10, 1), (11, 20, 2), (57, 100, 10), (499, 500, 50)]
)
def test_the_epoch_axis_ends_in_steps_so_an_epoch_rarely_changes_it(last, end, dtick):
    assert epoch_axis_end(last) == end
    fig = training_curves_figure([_run(epochs=last)], metric="accuracy", title="t", y_title="a")
    assert list(fig.layout.xaxis.range) == [0, end]
    assert fig.layout.xaxis.dtick == dtick


@pytest.mark.parametrize(("scale", "top"), [(1.0, 2.0), (1 / math.log(2), 2.5), (0.4, 1.0), (3.0, 5.0)])
def test_the_loss_axis_ends_at_a_round_number_above_the_largest_loss(scale, top):
    # The largest loss drawn is the initial test loss, 1.6, times the scale.
    fig = training_curves_figure([_run()], metric="loss", title="t", y_title="l", scale=[scale])
    assert list(fig.layout.yaxis.range) == [0, top]


def test_gradient_norms_axis_spans_whole_decades_around_the_norms():
    fig = gradient_norms_figure([_run()], title="t")  # norms 0.1 … 5
    assert list(fig.layout.yaxis.range) == [-1, 1]
    run = _run()
    run["history"]["grad_norm"] = {"W1": [0.3, 0.4], "W2": [0.5, 0.6]}
    run["history"]["epoch"] = [1, 2]
    fig = gradient_norms_figure([run], title="t")
    assert list(fig.layout.yaxis.range) == [-1, 0]
    assert fig.layout.yaxis.dtick == "D2"  # one decade: the minor labels fit


def test_live_frame_sends_the_builders_traces_and_layout_values_as_plain_json():
    run = _run()
    run["history"]["grad_norm"]["W1"] = [0.5, 0.0, 0.2]  # a dead epoch: a gap, sent as None
    draft = gradient_norms_figure.draft([run], title="t")
    frame = live_frame(draft, layout=NORMS_LIVE_LAYOUT)
    fig = gradient_norms_figure([run], title="t")
    assert frame["traces"] == [0, 1, 2]
    assert frame["data"][0] == {"x": [1, 2, 3], "y": [0.5, None, 0.2]}
    assert frame["data"][2]["y"] == [5.0, 5.0, 5.0]
    assert frame["layout"] == {
        "xaxis.range": list(fig.layout.xaxis.range),
        "xaxis.dtick": fig.layout.xaxis.dtick,
        "yaxis.range": list(fig.layout.yaxis.range),
        "yaxis.dtick": fig.layout.yaxis.dtick,
    }
    curves = training_curves_figure.draft([_run()], metric="loss", title="t", y_title="l", target=None)
    assert set(live_frame(curves, layout=CURVES_LIVE_LAYOUT)["layout"]) == set(CURVES_LIVE_LAYOUT)


def test_live_frame_of_a_heatmap_sends_whole_attributes_and_no_traces():
    draft = confusion_matrix_figure.draft(np.array([[5, 1], [0, 4]]), ["0", "1"], title="t")
    frame = live_frame(draft, traces=False, restyle=("z", "text"))
    assert frame["traces"] == []
    assert frame["data"] == []
    assert frame["restyle"] == {"z": [[[5, 1], [0, 4]]], "text": [[["5", "1"], ["", "4"]]]}


def _png_pixels(uri: str) -> np.ndarray:
    """The RGB pixels of regions_image's PNG (8-bit truecolour, one IDAT chunk, no filter)."""
    data = base64.b64decode(uri.removeprefix("data:image/png;base64,"))
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8 : start - 4], "big")
    rows = np.frombuffer(zlib.decompress(data[start : start + length]), np.uint8).reshape(height, -1)
    assert (rows[:, 0] == 0).all()  # filter type 0 on every row
    return rows[:, 1:].reshape(height, width, 3)


def test_regions_image_paints_each_cell_in_its_class_band_with_the_lowest_row_at_the_bottom():
    grid = _grid()
    pixels = _png_pixels(regions_image(grid["classes"], grid["confidence"], 3))
    assert pixels.shape == (12, 12, 3)  # 3 × 3 cells, 4 × 4 pixels each
    # Grid row 0, column 0: class 0, sure (z = 99): the strong blue tint, in the bottom-left corner.
    assert pixels[-1, 0].tolist() == [128, 184, 216]
    assert (pixels[-4:, :4] == pixels[-1, 0]).all()
    # Grid row 0, column 2: class 1 at p = 1/3, a coin toss (z = 100): its palest tint.
    assert pixels[-1, -1].tolist() == [254, 249, 240]
    # Grid row 2, column 0: class 2, sure (z = 299 of 300): the strong green tint, in the top-left corner.
    np.testing.assert_allclose(pixels[0, 0], [128, 206, 185], atol=1)


def test_decision_regions_while_playing_draw_the_image_without_the_hover_heatmap():
    X, y = np.array([[0.1, 0.2], [0.3, -0.4]]), np.array([0, 1])
    grid = _grid()
    names = ["c0", "c1", "c2"]
    playing = decision_regions_figure(grid, X, y, class_names=names, title="t", hover=False)
    paused = decision_regions_figure(grid, X, y, class_names=names, title="t")
    assert [t.type for t in playing.data] == ["scatter"] * 2  # the points of classes 0 and 1
    assert paused.data[0].type == "heatmap"
    assert paused.data[0].opacity == 0  # the image shows the colours; the heatmap answers the mouse
    image = playing.layout.images[0]
    assert (
        image.source
        == paused.layout.images[0].source
        == regions_image(grid["classes"], grid["confidence"], 3)
    )
    # The image covers every cell, half a cell beyond the outer grid points (cells 1 × 2 wide).
    assert (image.x, image.y, image.sizex, image.sizey) == (-1.5, 3.0, 3.0, 6.0)
    assert image.layer == "below"
    draft = decision_regions_figure.draft(grid, X, y, class_names=names, title="t", hover=False)
    assert live_frame(draft, traces=False, layout=REGIONS_LIVE_LAYOUT)["layout"] == {
        "images[0].source": image.source
    }


def test_digit_images_with_slots_keep_their_shape_however_many_images():
    one = digit_images_figure(np.ones((1, 64)), ["3 → 8"], title="t", slots=8)
    none = digit_images_figure(np.zeros((0, 64)), [], title="t", slots=8)
    assert np.asarray(one.data[0].z).shape == np.asarray(none.data[0].z).shape == (2 * 8 + 3, 4 * 8 + 3)
    assert [a.text for a in one.layout.annotations] == ["3 → 8"] + [""] * 7
    assert [a.text for a in none.layout.annotations] == [""] * 8
    with pytest.raises(ValueError, match="at most slots = 8; got 9"):
        digit_images_figure(np.zeros((9, 64)), ["x"] * 9, title="t", slots=8)
