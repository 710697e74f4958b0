"""Figure builders of the Calibration lab (core.figures.calibration)."""

import math

import numpy as np
import pytest

from core.calibration import reliability
from core.figures.calibration import (
    MOVING_TRACES,
    ReliabilityFrame,
    confidence_curves_figure,
    nll_epochs_figure,
    reliability_figure,
    reliability_scrub_frames,
    temperature_curve_figure,
)
from core.figures.engine import trace_dicts
from core.figures.output import adapt, figure_csv
from tests.core.figures._helpers import trace_names

PROBS = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.55, 0.45], [0.65, 0.35]]
LABELS = [0, 1, 1, 0, 1]


def _frames(n_bins=5):
    first = reliability(PROBS, LABELS, n_bins)
    second = reliability([[0.95, 0.05]] * 5, LABELS, n_bins)
    return [ReliabilityFrame(first, "first<br>a"), ReliabilityFrame(second, "second<br>b")]


def _none_to_nan(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def test_reliability_figure_draws_the_bins_the_gaps_and_the_counts():
    frames = _frames()
    rel = frames[0].reliability
    fig = reliability_figure(frames[:1], active=0, title="As trained")
    assert trace_names(fig) == [
        "accuracy",
        "over-confident gap",
        "under-confident gap",
        "mean confidence",
        "perfectly calibrated",
        "test digits per bin",
        "readout",
    ]
    assert [t.showlegend for t in fig.data] == [None, None, None, False, False, False, False]
    traces = trace_dicts(fig)
    np.testing.assert_allclose(traces[0]["x"], [0.1, 0.3, 0.5, 0.7, 0.9])
    np.testing.assert_allclose(_none_to_nan(traces[0]["y"]), rel.accuracy)
    gap = rel.confidence - rel.accuracy
    over, under = _none_to_nan(traces[1]["y"]), _none_to_nan(traces[2]["y"])
    for k in range(5):
        if rel.counts[k] == 0:
            assert math.isnan(over[k])
            assert math.isnan(under[k])
        elif gap[k] > 0:  # drawn up from the accuracy to the mean confidence
            assert over[k] == pytest.approx(gap[k])
            assert traces[1]["base"][k] == pytest.approx(rel.accuracy[k])
        elif gap[k] < 0:
            assert under[k] == pytest.approx(gap[k])
            assert traces[2]["base"][k] == pytest.approx(rel.accuracy[k])
    np.testing.assert_allclose(_none_to_nan(traces[3]["y"]), rel.confidence)
    assert traces[5]["y"] == rel.counts.tolist()
    assert traces[5]["text"] == [str(n) if n else "" for n in rel.counts]
    assert traces[6]["text"] == ["first<br>a"]
    assert traces[1]["marker"]["pattern"]["shape"] == "/"
    assert traces[2]["marker"]["pattern"]["shape"] == "\\"
    assert fig.layout.title.text == "As trained"
    assert fig.layout.barmode == "overlay"


def test_the_scrub_frames_hold_every_states_moving_traces_as_drawn():
    frames = _frames()
    out = reliability_scrub_frames(frames)
    assert out["traces"] == list(MOVING_TRACES) == [0, 1, 2, 3, 5, 6]
    assert len(out["frames"]) == len(frames)
    for active, frame in enumerate(frames):
        drawn = trace_dicts(reliability_figure(frames, active=active, title="t"))
        for trace_index, update in zip(out["traces"], out["frames"][active], strict=True):
            for key, value in update.items():
                assert drawn[trace_index][key] == value, (active, trace_index, key)
        assert out["frames"][active][4]["y"] == frame.reliability.counts.tolist()
    # the count axis fits every state, so scrubbing never needs a relayout
    fig = reliability_figure(frames, active=0, title="t")
    top = max(int(f.reliability.counts.max()) for f in frames)
    assert fig.layout.yaxis2.range[1] >= top


def test_reliability_figure_survives_presenter_mode_dark_theme_and_csv():
    fig = reliability_figure(_frames(), active=0, title="t")
    shown = adapt(fig, projector=True, dark=True)
    assert shown.to_dict()["layout"]["title"]["text"] == "t"
    csv = figure_csv(fig)
    assert "test digits per bin,0.9,1," in csv  # the counts travel with the CSV
    assert csv.startswith("series,x,y,z")


@pytest.mark.parametrize(
    ("frames", "active", "message"),
    [
        ([], 0, "at least one ReliabilityFrame"),
        (None, 2, r"active must index frames \(0 … 1\); got 2"),
    ],
)
def test_reliability_figure_rejects_bad_frames(frames, active, message):
    with pytest.raises(ValueError, match=message):
        reliability_figure(_frames() if frames is None else frames, active=active, title="t")


def test_reliability_figure_needs_one_bin_count():
    mixed = [_frames(5)[0], _frames(7)[1]]
    with pytest.raises(ValueError, match="same number of bins"):
        reliability_figure(mixed, active=0, title="t")
    with pytest.raises(ValueError, match="same number of bins"):
        reliability_scrub_frames(mixed)


CURVE = {
    "epoch": np.array([0, 1, 2, 5, 10]),
    "accuracy": np.array([0.1, 0.5, 0.8, 0.9, 0.92]),
    "confidence": np.array([0.1, 0.4, 0.8, 0.95, 0.97]),
    "temperature": np.array([1.0, 0.6, 1.0, 1.6, 2.1]),
    "nll": np.array([2.3, 1.0, 0.5, 0.35, 0.4]),
    "nll_scaled": np.array([2.3, 0.9, 0.5, 0.3, 0.28]),
    "train_loss": np.array([2.3, 0.9, 0.4, 0.05, 0.001]),
}


def test_confidence_curves_leave_out_epoch_zero_and_mark_the_epoch():
    fig = confidence_curves_figure(CURVE, epoch=5)
    assert trace_names(fig) == [
        "test accuracy",
        "mean confidence",
        "fitted T",
        "T = 1",
        "chosen epoch",
        "chosen epoch, panel 2",
    ]
    assert list(fig.data[0].x) == [1, 2, 5, 10]
    assert list(fig.data[1].y) == pytest.approx([0.4, 0.8, 0.95, 0.97])
    assert list(fig.data[2].y) == pytest.approx([0.6, 1.0, 1.6, 2.1])
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis2.type == "log"
    # The chosen epoch: a line in each row, as traces (a drag of the epochs moves them)
    assert not fig.layout.shapes
    assert [list(t.x) for t in fig.data[4:]] == [[5, 5], [5, 5]]
    assert [(t.xaxis, fig.layout[f"yaxis{t.yaxis[1:]}"].overlaying) for t in fig.data[4:]] == [
        ("x", "y"),
        ("x2", "y2"),
    ]
    assert fig.data[0].line.dash != fig.data[1].line.dash  # not colour alone
    with pytest.raises(ValueError, match="at least one epoch >= 1"):
        confidence_curves_figure({**CURVE, "epoch": np.array([0])}, epoch=0)


def test_nll_epochs_figure_shows_the_loss_in_the_chosen_unit():
    fig = nll_epochs_figure(CURVE, epoch=2, unit_scale=1 / math.log(2), unit="bits")
    assert trace_names(fig) == [
        "test NLL, as trained",
        "test NLL, temperature-scaled",
        "training loss",
        "chosen epoch",
    ]
    assert list(fig.data[3].x) == [2, 2]
    assert list(fig.data[0].y) == pytest.approx(CURVE["nll"][1:] / math.log(2))
    assert "bits" in fig.layout.yaxis.title.text


def test_temperature_curve_marks_the_grid_minimum_and_the_fitted_temperature():
    grid = np.geomspace(0.1, 10, 5)
    fig = temperature_curve_figure(
        grid, [0.9, 0.5, 0.3, 0.6, 1.2], [1.0, 0.6, 0.35, 0.5, 1.1], fitted=1.1, grid_best=1.0
    )
    assert trace_names(fig) == ["validation digits", "test digits", "grid minimum"]
    assert list(fig.data[2].x) == pytest.approx([1.0])
    assert list(fig.data[2].y) == pytest.approx([0.3])
    assert [a.text for a in fig.layout.annotations] == ["T* = 1.100", "T = 1"]
    with pytest.raises(ValueError, match="temperatures > 0"):
        temperature_curve_figure([0.0, 1.0], [1, 1], [1, 1], fitted=1.0, grid_best=1.0)
