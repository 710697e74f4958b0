"""Figure builders of the Backpropagation page (core.figures.backprop)."""

import numpy as np
import pytest

from core.figures.backprop import backprop_matrix_figure, backprop_stage_figure, batch_points_figure


def test_matrix_figure_titles_the_name_and_both_shapes():
    values = np.arange(15.0).reshape(5, 3) - 7
    fig = backprop_matrix_figure("δ³", values, ("B", "H"))
    assert fig.layout.title.text == "δ³  (B×H = 5×3)"
    assert len(fig.data) == 1
    heat = fig.data[0]
    np.testing.assert_array_equal(np.asarray(heat.z), values)
    assert heat.zmid == 0
    assert heat.zmin == -7
    assert heat.zmax == 7
    assert fig.layout.yaxis.title.text == "example (row of the batch)"
    assert fig.layout.xaxis.title.text == "hidden unit"
    assert fig.layout.yaxis.autorange == "reversed"  # row 1 on top, as on paper


def test_matrix_figure_labels_small_matrices_with_signed_values():
    fig = backprop_matrix_figure("W₁", [[0.5, -0.25, 0.0]], ("D", "H"))
    assert fig.data[0].texttemplate == "%{text}"
    assert fig.data[0].text.tolist() == [["+0.500", "−0.250", "0.000"]]
    assert fig.data[0].showscale is False
    assert "W₁" in fig.data[0].hovertemplate


def test_matrix_figure_picks_decimals_for_three_significant_digits():
    fig = backprop_matrix_figure("δ⁴", [[0.0123, -0.0456]], ("B", "C"))
    assert fig.data[0].text.tolist() == [["+0.0123", "−0.0456"]]
    assert backprop_matrix_figure("z", [[12.345]], ("B", "H")).data[0].text.tolist() == [["+12.35"]]


def test_wide_matrices_drop_the_labels_and_show_a_colour_bar():
    fig = backprop_matrix_figure("W₂", np.full((8, 7), 0.5), ("H", "H"))
    assert fig.data[0].texttemplate is None
    assert fig.data[0].showscale is True
    forced = backprop_matrix_figure("W₂", np.full((8, 7), 0.5), ("H", "H"), annotate=True)
    assert forced.data[0].texttemplate == "%{text}"
    assert backprop_matrix_figure("W₂", np.full((8, 6), 0.5), ("H", "H")).data[0].texttemplate == "%{text}"


def test_whole_number_matrices_are_labelled_up_to_eight_columns():
    mask = np.array([[1.0, 0.0] * 4] * 16)
    fig = backprop_matrix_figure("σ′(z₃)", mask, ("B", "H"))
    assert fig.data[0].texttemplate == "%{text}"
    assert fig.data[0].text[0].tolist() == ["+1", "0"] * 4


def test_bias_rows_hide_the_meaningless_row_axis():
    fig = backprop_matrix_figure("∇b₂", [[0.1, 0.2]], ("1", "H₂"))
    assert fig.layout.yaxis.showticklabels is False
    assert fig.layout.xaxis.title.text == "unit of layer 2"


@pytest.mark.parametrize(
    ("values", "symbols", "message"),
    [
        (np.ones(3), ("B", "H"), r"values must be 2-D"),
        (np.ones((2, 2)), ("B",), r"symbols must name the 2 dimensions"),
    ],
)
def test_matrix_figure_rejects_bad_input(values, symbols, message):
    with pytest.raises(ValueError, match=message):
        backprop_matrix_figure("M", values, symbols)


def test_batch_points_figure_has_one_trace_per_class_with_symbols():
    x = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, -1.0]])
    fig = batch_points_figure(x, [0, 2, 0, 2])
    assert [t.name for t in fig.data] == ["class 1", "class 3"]
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol  # not colour alone
    np.testing.assert_array_equal(fig.data[0].x, [0.0, 2.0])
    np.testing.assert_array_equal(fig.data[1].y, [0.0, -1.0])
    assert list(fig.data[0].customdata) == [1, 3]  # hover names the example's row, 1-based
    assert fig.layout.xaxis.title.text == "feature x₁"
    assert fig.layout.yaxis.title.text == "feature x₂"


def test_batch_points_figure_draws_one_feature_against_zero():
    fig = batch_points_figure([[1.0], [2.0]], [0, 1])
    np.testing.assert_array_equal(fig.data[1].y, [0.0])
    with pytest.raises(ValueError, match=r"X must be \(B, D\) and y \(B,\)"):
        batch_points_figure([[1.0, 2.0]], [0, 1])


def _stage_matrices():
    rng = np.random.default_rng(0)
    return [
        ("δ³", rng.normal(size=(8, 5)), ("B", "H")),
        ("W₃", rng.normal(size=(5, 7)), ("H", "H")),  # too wide for labels: a colour bar
        ("∇b₂", rng.normal(size=(1, 5)), ("1", "H₂")),
    ]


def test_stage_figure_puts_each_matrix_figure_in_a_panel_of_one_chart():
    matrices = _stage_matrices()
    fig = backprop_stage_figure(matrices, title="Backward: δ³ from δ⁴")
    assert fig.layout.title.text == "Backward: δ³ from δ⁴"
    assert len(fig.data) == len(matrices)
    titles = [a.text for a in fig.layout.annotations]
    for k, (trace, (name, values, symbols)) in enumerate(zip(fig.data, matrices, strict=True)):
        alone = backprop_matrix_figure(name, values, symbols)
        assert trace.name == titles[k] == alone.layout.title.text
        np.testing.assert_array_equal(np.asarray(trace.z), values)
        assert (trace.zmin, trace.zmax, trace.showscale) == (
            alone.data[0].zmin,
            alone.data[0].zmax,
            alone.data[0].showscale,
        )
        assert trace.texttemplate == alone.data[0].texttemplate
        suffix = "" if k == 0 else str(k + 1)
        assert (trace.xaxis, trace.yaxis) == (f"x{suffix}", f"y{suffix}")
        x_axis, y_axis = fig.layout[f"xaxis{suffix}"], fig.layout[f"yaxis{suffix}"]
        assert x_axis.title.text == alone.layout.xaxis.title.text
        assert y_axis.title.text == alone.layout.yaxis.title.text
        assert y_axis.autorange == "reversed"


def test_stage_figure_places_a_colour_bar_beside_its_own_panel_and_hides_the_empty_cell():
    fig = backprop_stage_figure(_stage_matrices(), title="t")
    wide = fig.data[1]  # the right panel of the first row
    assert wide.showscale is True
    assert wide.colorbar.x == pytest.approx(fig.layout.xaxis2.domain[1] + 0.01)
    assert fig.layout.yaxis2.domain[0] < wide.colorbar.y < fig.layout.yaxis2.domain[1]
    assert fig.layout.xaxis4.visible is False  # three matrices, two to a row: the fourth cell is empty
    assert fig.layout.yaxis3.showticklabels is False  # a bias row hides its meaningless row axis
    assert fig.layout.height > 2 * 110


def test_stage_figure_needs_a_matrix():
    with pytest.raises(ValueError, match="at least one matrix"):
        backprop_stage_figure([], title="t")
