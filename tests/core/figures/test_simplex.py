"""Figure builders of the Probability simplex page (core.figures.simplex)."""

import csv
import io
import math

import numpy as np
import pytest

from core.figures.engine import trace_dicts
from core.figures.output import adapt, figure_csv
from core.figures.scrub import check_frame
from core.figures.simplex import (
    ARROW_SCALE,
    PATH_TRACE,
    PLOT_DECIMALS,
    POINT_TRACE,
    READOUT_TRACE,
    SimplexFrame,
    curve_trace,
    descent_loss_figure,
    logit_frames,
    path_trace,
    point_trace,
    readout_trace,
    simplex_figure,
    temperature_frames,
)
from core.formatting import number
from core.simplex import (
    CORNERS,
    cross_entropy_surface,
    cross_entropy_to,
    descent_path,
    lattice_points,
    logit_gradient,
    point_readout,
    simplex_grid,
    smoothed_target,
    temperature_path,
    temperature_sweep,
    to_cartesian,
)
from core.units import in_unit
from tests.core.figures._helpers import annotation_texts, trace_names

NAMES = ["Cat", "Dog", "Bird"]
Z = np.array([1.0, 2.0, 0.0])
TEMPS = np.geomspace(0.01, 100, 31)
ARROWS = np.vstack([np.eye(3), [[1 / 3, 1 / 3, 1 / 3]]])


def frame_at(target, steps, temperature=1.0, unit="nats", z=Z):
    """The frame as the page builds it, here from a row of core's temperature sweep."""
    sweep = temperature_sweep(z, target, [temperature], 1.0, steps)
    return SimplexFrame(
        label=f"T = {temperature:.1f}",
        point=sweep.probs[0],
        point_loss=float(in_unit(sweep.losses[0], unit)),
        grad_norm=float(np.linalg.norm(sweep.grads[0])),
        path_probs=sweep.path_probs[0],
    )


def build(eps=0.0, true_index=0, unit="nats", steps=10, levels=(0.25, 4.0), temperature=1.0, z=Z):
    target = smoothed_target(true_index, eps)
    grid = simplex_grid(12)
    hover = lattice_points(4)
    path = descent_path(z, target, 1.0, steps, temperature)
    now = point_readout(z, target, temperature)
    directions = -logit_gradient(ARROWS, target)
    fig = simplex_figure(
        grid.x,
        grid.y,
        in_unit(cross_entropy_surface(target, grid), unit),
        levels=levels,
        unit=unit,
        names=NAMES,
        true_index=true_index,
        target=target,
        hover_points=hover,
        hover_losses=in_unit(cross_entropy_to(target, hover), unit),
        arrow_points=ARROWS,
        arrow_directions=directions,
        arrow_norms=np.linalg.norm(directions, axis=1),
        temperatures=TEMPS,
        temperature_probs=temperature_path(z, TEMPS),
        frame=frame_at(target, steps, temperature, unit, z),
    )
    return fig, target, grid, path, now


def test_traces_in_order_with_the_path_and_the_point_last():
    fig, *_ = build()
    assert trace_names(fig) == [
        "loss (nats); above 4 drawn as 4.25",
        "the triangle of all predictions",
        "loss at lattice points",
        "softmax(z/T), T = 0.01 … 100",
        "−(q − y′): the push on the logits",
        "arrow heads",
        "target y′ (lowest loss)",
        "descent: 10 steps from q",
        "q = softmax(z/T) now",
        "readout",
    ]
    assert fig.data[PATH_TRACE].name.startswith("descent")
    assert fig.data[POINT_TRACE].name.startswith("q =")
    assert fig.data[READOUT_TRACE].name == "readout"


def test_the_surface_draws_infinite_loss_in_the_top_band_and_leaves_the_outside_empty():
    fig, target, grid, *_ = build()
    contour = fig.data[0]
    z = np.asarray(contour.z, dtype=float)
    exact = cross_entropy_surface(target, grid)
    assert np.array_equal(np.isnan(z), ~grid.inside)
    assert (z[np.isinf(exact)] == 4.25).all()  # the edge opposite the Cat corner
    finite = np.isfinite(exact) & (exact <= 4.25)
    np.testing.assert_array_equal(z[finite], exact[finite])
    assert contour.contours.start == 0.25
    assert contour.contours.end == 4.0
    assert contour.contours.size == 0.25
    assert list(contour.colorbar.ticktext) == ["0", "1", "2", "3", "≥ 4"]
    assert contour.colorbar.tickvals[-1] == pytest.approx(4.125)
    assert contour.colorbar.title.text == "loss (nats)"


def test_bits_use_their_own_levels():
    fig, *_ = build(unit="bits", levels=(0.5, 6.0))
    assert fig.data[0].name == "loss (bits); above 6 drawn as 6.5"
    assert list(fig.data[0].colorbar.ticktext) == ["0", "1", "2", "3", "4", "5", "≥ 6"]
    assert fig.layout.title.text == "Loss over every prediction (bits)"


def test_point_and_path_sit_where_the_predictions_are():
    fig, target, _, path, now = build(steps=7)
    point = fig.data[POINT_TRACE]
    np.testing.assert_allclose([point.x[0], point.y[0]], to_cartesian(now.probs), atol=1e-15)
    assert point.text == ("q",)
    assert "Cat 0.245 · Dog 0.665 · Bird 0.090" in point.hovertext[0]
    assert "loss 1.4076 nats" in point.hovertext[0]
    drawn = fig.data[PATH_TRACE]
    assert len(drawn.x) == 8
    np.testing.assert_array_equal(np.c_[drawn.x, drawn.y], np.round(to_cartesian(path.probs), PLOT_DECIMALS))
    assert drawn.hovertemplate == "descent, step %{pointNumber}<extra></extra>"


def test_the_readout_names_the_frames_numbers():
    fig, _, _, _, now = build(temperature=2.5)
    readout = fig.data[READOUT_TRACE]
    assert readout.text == (f"T = 2.5<br>loss {now.loss:.3f} nats<br>|∂L/∂z| {now.grad_norm:.3f}",)
    assert readout.mode == "text"
    assert readout.x[0] > 1
    assert readout.y[0] > math.sqrt(3) / 2


def test_only_the_last_three_traces_change_with_the_temperature():
    cold, *_ = build(temperature=0.3)
    hot, *_ = build(temperature=4.0)
    cold_traces, hot_traces = trace_dicts(cold), trace_dicts(hot)
    for a, b in zip(cold_traces[: READOUT_TRACE - 2], hot_traces[: READOUT_TRACE - 2], strict=True):
        assert a["name"] == b["name"]
        assert list(a.get("text", [])) == list(b.get("text", []))
        for key in ("x", "y", "z"):
            if key in a:  # gaps (None) as NaN, which assert_array_equal matches with NaN
                pair = [np.asarray(np.where(np.equal(t[key], None), np.nan, t[key]), float) for t in (a, b)]
                np.testing.assert_array_equal(*pair)
    assert list(cold_traces[POINT_TRACE]["x"]) != list(hot_traces[POINT_TRACE]["x"])
    assert list(cold_traces[PATH_TRACE]["x"]) != list(hot_traces[PATH_TRACE]["x"])
    assert cold_traces[READOUT_TRACE]["text"] != hot_traces[READOUT_TRACE]["text"]
    assert cold.layout.to_plotly_json() == hot.layout.to_plotly_json()


def test_readout_trace_alone():
    frame = SimplexFrame("T = 0.7", np.array([0.5, 0.3, 0.2]), 0.693, 0.42, np.array([[0.5, 0.3, 0.2]]))
    assert readout_trace(frame, unit="bits")["text"] == ["T = 0.7<br>loss 0.693 bits<br>|∂L/∂z| 0.420"]


def test_path_and_point_traces_are_built_from_numbers_alone():
    fig, target, _, path, now = build(steps=5)
    dicts = trace_dicts(fig)
    alone = point_trace(now.probs, now.loss, names=NAMES, unit="nats")
    assert alone["x"] == dicts[POINT_TRACE]["x"]
    assert alone["hovertext"] == dicts[POINT_TRACE]["hovertext"]
    assert path_trace(path.probs[:3])["name"] == "descent: 2 steps from q"
    assert len(path_trace(path.probs[:3])["x"]) == 3
    assert path_trace(path.probs[:2])["name"] == "descent: 1 step from q"


def test_arrows_point_from_p_a_quarter_of_the_way_to_the_target():
    fig, target, *_ = build()
    shafts, heads = fig.data[4], fig.data[5]
    starts = to_cartesian(ARROWS)
    ends = starts + ARROW_SCALE * (to_cartesian(target) - starts)
    np.testing.assert_allclose(np.c_[heads.x, heads.y], ends, atol=1e-15)
    xs = np.array([np.nan if v is None else v for v in shafts.x], dtype=float).reshape(-1, 3)
    np.testing.assert_allclose(xs[:, 0], starts[:, 0], atol=1e-15)
    assert np.isnan(xs[:, 2]).all()
    sizes = list(heads.marker.size)
    assert sizes[0] == 0
    assert all(s > 0 for s in sizes[1:])  # no head on the zero arrow at the right corner
    # From the Dog corner straight up the left edge to Cat: 30° clockwise from "up".
    assert heads.marker.angle[1] == pytest.approx(30.0)
    assert heads.marker.angle[2] == pytest.approx(-30.0)
    assert heads.text[:3] == ("|p − y′| = 0.000", "|p − y′| = 1.414", "|p − y′| = 1.414")


def test_corners_are_labelled_and_the_true_class_is_marked():
    fig, *_ = build(true_index=2)
    assert annotation_texts(fig)[:3] == ["Cat", "Dog", "<b>Bird (true)</b>"]
    notes = fig.layout.annotations
    np.testing.assert_allclose([notes[0].x, notes[1].x, notes[2].x], CORNERS[:, 0])


def test_hover_points_write_an_infinite_loss_as_infinity():
    fig, *_ = build()
    hover = fig.data[2]
    assert len(hover.x) == 15
    assert any(text.endswith("loss ∞ nats") for text in hover.text)  # the edge opposite Cat
    assert any("Cat 1.000 · Dog 0.000 · Bird 0.000<br>loss 0.000 nats" == text for text in hover.text)


def test_the_triangle_keeps_its_shape():
    fig, *_ = build()
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.range[0] < 0 < 1 < fig.layout.xaxis.range[1]
    assert fig.layout.yaxis.range[1] > math.sqrt(3) / 2


def test_the_csv_has_the_surface_cells_and_every_point():
    fig, target, grid, path, _ = build(steps=4)
    rows = list(csv.DictReader(io.StringIO(figure_csv(fig))))
    cells = [r for r in rows if r["series"].startswith("loss (nats)")]
    assert len(cells) == grid.inside.size
    corner = [r for r in cells if float(r["x"]) == 0.5 and float(r["y"]) == pytest.approx(math.sqrt(3) / 2)]
    assert [float(r["z"]) for r in corner] == [0.0]
    assert len([r for r in rows if r["series"] == "descent: 4 steps from q"]) == 5
    assert len([r for r in rows if r["series"] == "q = softmax(z/T) now"]) == 1
    assert not fig.layout.sliders


def test_dark_theme_keeps_the_colours_drawn_on_the_surface():
    fig, *_ = build()
    dark = adapt(fig, dark=True)
    assert dark.data[1].line.color == "#FAFAFA"  # the triangle's edges sit on the page
    assert (
        dark.data[PATH_TRACE].marker.color == fig.data[PATH_TRACE].marker.color
    )  # the path sits on the surface


def test_descent_loss_figure_shows_each_step_and_the_floor():
    target = smoothed_target(0, 0.3)
    path = descent_path(Z, target, 1.0, 20)
    floor = 0.639
    fig = descent_loss_figure(path.losses, floor=floor, unit="nats")
    losses, line = fig.data
    assert list(losses.x) == list(range(21))
    np.testing.assert_array_equal(losses.y, path.losses)
    assert list(line.y) == [floor, floor]
    assert list(line.x) == [0.0, 20.0]
    assert line.name == "lowest possible: H(y′) = 0.6390 nats"
    assert fig.layout.yaxis.range[0] == 0
    assert fig.layout.yaxis.range[1] > path.losses.max()
    assert fig.layout.xaxis.title.text == "step k"


T_VALUES = [round(0.1 * k, 1) for k in range(1, 51)]  # every value of the page's temperature slider


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_temperature_frames_show_cores_numbers_at_every_temperature(unit):
    target = smoothed_target(0, 0.1)
    fig, *_ = build(eps=0.1, unit=unit, steps=10)
    n_traces = len(trace_dicts(fig))
    frames = temperature_frames(Z, target, T_VALUES, 1.0, 10, unit=unit, names=NAMES, n_traces=n_traces)
    assert frames["traces"] == [n_traces - 3, n_traces - 2, n_traces - 1]
    assert len(frames["frames"]) == len(T_VALUES)
    for t, (path, point, readout) in zip(T_VALUES, frames["frames"], strict=True):
        now = point_readout(Z, target, t)
        descent = descent_path(Z, target, 1.0, 10, t)
        corners = np.array([to_cartesian(q) for q in descent.probs])
        np.testing.assert_array_equal(path["x"], np.round(corners[:, 0], PLOT_DECIMALS))
        np.testing.assert_array_equal(path["y"], np.round(corners[:, 1], PLOT_DECIMALS))
        np.testing.assert_allclose([point["x"][0], point["y"][0]], to_cartesian(now.probs), atol=1e-12)
        text = readout["text"][0]
        assert text.startswith(f"T = {t:.1f}<br>")
        assert f"loss {number(float(in_unit(now.loss, unit)), 3)} {unit}" in text
        assert f"|∂L/∂z| {number(now.grad_norm, 3)}" in text


@pytest.mark.parametrize("temperature", [0.1, 1.0, 2.5, 5.0])
def test_the_frame_at_the_sliders_value_is_the_chart_the_page_draws(temperature):
    target = smoothed_target(0, 0.0)
    fig, *_ = build(steps=10, temperature=temperature)
    frames = temperature_frames(
        Z, target, T_VALUES, 1.0, 10, unit="nats", names=NAMES, n_traces=len(trace_dicts(fig))
    )
    check_frame({"data": trace_dicts(fig)}, frames, T_VALUES.index(temperature))


Z1_VALUES = [round(-6 + 0.1 * k, 1) for k in range(121)]  # every value of the page's z₁ slider
CURVE = 3  # the temperature curve's trace in build()'s figure


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_logit_frames_show_cores_numbers_at_every_value_of_the_logit(unit):
    target = smoothed_target(0, 0.1)
    fig, *_ = build(eps=0.1, unit=unit, steps=10, temperature=0.7)
    n_traces = len(trace_dicts(fig))
    assert fig.data[CURVE].name.startswith("softmax(z/T)")
    frames = logit_frames(
        Z, 0, Z1_VALUES, target, 0.7, 1.0, 10,
        unit=unit, names=NAMES, n_traces=n_traces, curve_index=CURVE, curve_temperatures=TEMPS,
    )  # fmt: skip
    assert frames["traces"] == [CURVE, n_traces - 3, n_traces - 2, n_traces - 1]
    assert len(frames["frames"]) == len(Z1_VALUES)
    for z1, (curve, path, point, readout) in zip(Z1_VALUES, frames["frames"], strict=True):
        z = np.array([z1, *Z[1:]])
        now = point_readout(z, target, 0.7)
        descent = descent_path(z, target, 1.0, 10, 0.7)
        corners = to_cartesian(descent.probs)
        np.testing.assert_array_equal(path["x"], np.round(corners[:, 0], PLOT_DECIMALS))
        np.testing.assert_array_equal(path["y"], np.round(corners[:, 1], PLOT_DECIMALS))
        np.testing.assert_allclose([point["x"][0], point["y"][0]], to_cartesian(now.probs), atol=1e-12)
        loss = number(float(in_unit(now.loss, unit)), 4)
        q = " · ".join(f"{name} {p:.3f}" for name, p in zip(NAMES, now.probs, strict=True))
        assert point["hovertext"] == [f"q = softmax(z/T)<br>{q}<br>loss {loss} {unit}"]
        text = readout["text"][0]
        shown = number(float(in_unit(now.loss, unit)), 3)
        assert text == f"T = 0.7<br>loss {shown} {unit}<br>|∂L/∂z| {number(now.grad_norm, 3)}"
        # The curve: softmax(z/T) at each T of the sweep, to the 3 decimals its hover shows.
        on_curve = temperature_path(z, TEMPS)
        np.testing.assert_array_equal(curve["customdata"], np.round(on_curve, 3) + 0.0)
        np.testing.assert_array_equal(curve["x"], np.round(to_cartesian(on_curve)[:, 0], PLOT_DECIMALS))


@pytest.mark.parametrize("z1", [-6.0, -1.5, 1.0, 6.0])
def test_the_logit_frame_at_the_sliders_value_is_the_chart_the_page_draws(z1):
    target = smoothed_target(0, 0.0)
    fig, *_ = build(steps=10, z=np.array([z1, *Z[1:]]))
    frames = logit_frames(
        Z, 0, Z1_VALUES, target, 1.0, 1.0, 10,
        unit="nats", names=NAMES, n_traces=len(trace_dicts(fig)), curve_index=CURVE, curve_temperatures=TEMPS,
    )  # fmt: skip
    check_frame({"data": trace_dicts(fig)}, frames, Z1_VALUES.index(z1))


def test_the_temperature_curve_hovers_t_and_q_from_numbers_core_computed():
    curve = curve_trace([0.5, 2.0], temperature_path(Z, [0.5, 2.0]), names=NAMES)
    assert curve["text"] == ["T = 0.5", "T = 2"]
    assert curve["hovertemplate"] == (
        "%{text}<br>Cat %{customdata[0]:.3f} · Dog %{customdata[1]:.3f} · Bird %{customdata[2]:.3f}"
        "<extra></extra>"
    )
    np.testing.assert_array_equal(curve["customdata"], np.round(temperature_path(Z, [0.5, 2.0]), 3))
