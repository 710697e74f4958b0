"""core.figures.matrices: the shared matrix heatmap of the gradient pages."""

import numpy as np
import plotly.graph_objects as go
import pytest

from core.figures.matrices import difference_heatmap, grid_height, matrix_grid, matrix_heatmap
from core.figures.style import DIVERGING_SCALE, NEGATIVE, POSITIVE


def test_matrix_heatmap_draws_the_matrix_with_signed_labels_row_one_on_top():
    M = np.array([[0.0972, -0.0531], [-0.0531, 0.0563], [0.0, 1e-4]])
    fig = matrix_heatmap(M, title="J", row_label="output s_i", col_label="logit z_k")
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert trace.type == "heatmap"
    np.testing.assert_array_equal(np.asarray(trace.z), M)
    assert trace.text.tolist() == [["+0.097", "−0.053"], ["−0.053", "+0.056"], ["0.000", "0.000"]]
    assert trace.texttemplate == "%{text}"
    assert list(trace.y) == ["1", "2", "3"]
    assert list(trace.x) == ["1", "2"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis.title.text == "logit z_k"
    assert fig.layout.yaxis.title.text == "output s_i"
    assert fig.layout.title.text == "J"


def test_matrix_heatmap_scale_is_diverging_and_centred_at_zero():
    fig = matrix_heatmap([[0.5, -2.0]], title="t", row_label="r", col_label="c")
    trace = fig.data[0]
    assert trace.zmid == 0
    assert trace.zmin == -2.0
    assert trace.zmax == 2.0
    assert [list(stop) for stop in trace.colorscale] == [list(stop) for stop in DIVERGING_SCALE]
    assert trace.colorscale[0][1] == NEGATIVE
    assert trace.colorscale[-1][1] == POSITIVE
    zero = matrix_heatmap(np.zeros((2, 2)), title="t", row_label="r", col_label="c").data[0]
    assert zero.zmin == -1
    assert zero.zmax == 1
    fixed = matrix_heatmap([[0.5]], title="t", row_label="r", col_label="c", zmax=3).data[0]
    assert fixed.zmax == 3
    assert fixed.zmin == -3


def test_matrix_heatmap_vector_is_a_row_with_custom_names():
    fig = matrix_heatmap(
        [0.0, -1.122],
        title="dL/ds",
        row_label="",
        col_label="s_i",
        row_names=["∂L/∂s"],
        col_names=["s₁", "s₂"],
    )
    trace = fig.data[0]
    assert np.asarray(trace.z).shape == (1, 2)
    assert list(trace.y) == ["∂L/∂s"]
    assert list(trace.x) == ["s₁", "s₂"]
    assert trace.text.tolist() == [["0.000", "−1.122"]]


def test_matrix_heatmap_scientific_labels_and_no_annotation():
    fig = matrix_heatmap(
        [[-1.23e-11, 4.5e-10, 0.0]], title="t", row_label="r", col_label="c", scientific=True, digits=1
    )
    assert fig.data[0].text.tolist() == [["−1.2e−11", "+4.5e−10", "0"]]
    big = matrix_heatmap([[-8.893e6]], title="t", row_label="r", col_label="c", scientific=True, digits=2)
    assert big.data[0].text.tolist() == [["−8.89e6"]]
    plain = matrix_heatmap([[1.0]], title="t", row_label="r", col_label="c", annotate=False)
    assert plain.data[0].texttemplate is None


def test_matrix_heatmap_height_grows_with_rows_within_limits():
    small = matrix_heatmap(np.ones((1, 3)), title="t", row_label="r", col_label="c")
    large = matrix_heatmap(np.ones((6, 3)), title="t", row_label="r", col_label="c")
    huge = matrix_heatmap(np.ones((40, 3)), title="t", row_label="r", col_label="c", annotate=False)
    assert 240 <= small.layout.height < large.layout.height <= huge.layout.height == 560
    assert matrix_heatmap([[1.0]], title="t", row_label="r", col_label="c", height=300).layout.height == 300


@pytest.mark.parametrize(
    ("M", "kwargs", "match"),
    [
        (np.ones((2, 2, 2)), {}, "non-empty 1-D or 2-D"),
        (np.ones((0, 3)), {}, "non-empty 1-D or 2-D"),
        ([[1.0, np.nan]], {}, "must be finite"),
        ([[1.0, 2.0]], {"col_names": ["a"]}, "must match M's shape"),
        ([[1.0, 2.0]], {"row_names": ["a", "b"]}, "must match M's shape"),
    ],
)
def test_matrix_heatmap_rejects_bad_input(M, kwargs, match):
    with pytest.raises(ValueError, match=match):
        matrix_heatmap(M, title="t", row_label="r", col_label="c", **kwargs)


def test_grid_keeps_each_panels_heatmap_and_titles_it_above_the_panel():
    a = matrix_heatmap.draft([[1.0, -2.0], [0.5, 0.0]], title="A", row_label="row", col_label="col")
    b = difference_heatmap.draft([[1e-11, -2e-11]], title="B", row_label="r", col_label="c")
    c = matrix_heatmap.draft([[3.0]], title="C", row_label="r", col_label="c", show_scale=False)
    fig = matrix_grid([a, b, c], title="All three")
    assert fig.layout.title.text == "All three"
    assert [trace.name for trace in fig.data] == ["A", "B", "C"]
    assert [note.text for note in fig.layout.annotations] == ["A", "B", "C"]
    np.testing.assert_array_equal(np.asarray(fig.data[0].z), [[1.0, -2.0], [0.5, 0.0]])
    assert fig.data[1].text.tolist() == [["+1.0e−11", "−2.0e−11"]]
    assert [(t.xaxis, t.yaxis) for t in fig.data] == [("x", "y"), ("x2", "y2"), ("x3", "y3")]
    assert fig.layout.yaxis.title.text == "row"
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.xaxis4.visible is False  # the empty fourth cell


def test_grid_puts_a_colour_bar_beside_its_own_panel():
    a = matrix_heatmap.draft(np.ones((3, 3)), title="A", row_label="r", col_label="c")
    b = matrix_heatmap.draft(np.ones((3, 3)), title="B", row_label="r", col_label="c")
    fig = matrix_grid([a, b], title="t")
    for trace, axis in zip(fig.data, ("xaxis", "xaxis2"), strict=True):
        assert trace.colorbar.x == pytest.approx(fig.layout[axis].domain[1] + 0.01)
    assert fig.data[0].colorbar.len == pytest.approx(fig.layout.yaxis.domain[1] - fig.layout.yaxis.domain[0])


def test_grid_needs_a_panel():
    with pytest.raises(ValueError, match="at least one matrix"):
        matrix_grid([], title="t")


def test_a_grid_drawn_higher_than_it_needs_leaves_the_rest_empty_below_its_panels():
    panels = [
        matrix_heatmap.draft(np.ones((n, 2)), title=f"{n}", row_label="r", col_label="c") for n in (2, 3)
    ]
    fitted = matrix_grid(panels, title="t").to_dict()["layout"]
    padded = matrix_grid(panels, title="t", height=fitted["height"] + 120).to_dict()["layout"]
    assert (
        grid_height(matrix_grid(panels, title="t", height=10)) == fitted["height"]
    )  # never less than needed
    assert padded["height"] == fitted["height"] + 120
    assert padded["margin"]["b"] == fitted["margin"]["b"] + 120  # the panels keep their pixels
    assert padded["margin"]["t"] == fitted["margin"]["t"]
    for axis in ("yaxis", "yaxis2"):
        assert padded[axis]["domain"] == fitted[axis]["domain"]
