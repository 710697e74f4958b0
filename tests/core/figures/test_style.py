"""core.figures.style: the house style every builder shares."""

import numpy as np
import pytest

from core.figures.engine import Draft
from core.figures.multiclass import multiclass_bars_figure
from core.figures.style import FONT_SIZE, TITLE_SIZE, marked_vline, move_legend_below, styled
from core.figures.surprise import surprise_game_figure
from core.information import surprise_or_inf
from core.multiclass import multiclass_breakdown
from tests.core.figures._helpers import LABELS


def test_hatched_bars_keep_their_colour_under_any_template():
    # Plotly's default fillmode "replace" would draw white hatching on a transparent bar: invisible.
    q = np.array([0.85, 0.10, 0.03, 0.02])
    game = surprise_game_figure(LABELS, q, 0, surprise_or_inf(q))
    b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    bars = multiclass_bars_figure(LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats")
    for pattern in (game.data[1].marker.pattern, bars.data[2].marker.pattern):
        assert pattern.fillmode == "overlay"
        assert pattern.fgcolor == "white"


@pytest.mark.parametrize("legend", [True, False])
def test_styled_sets_titles_fonts_and_a_stable_zoom_on_the_draft(legend):
    draft = Draft()
    out = styled(draft, title="Loss", x_title="p", y_title="loss (nats)", height=300, legend=legend)
    assert out is draft  # a Draft in, the same Draft out, for chaining
    layout = draft.layout
    assert layout["title"] == {"text": "Loss", "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"}
    assert layout["font"] == {"size": FONT_SIZE}
    assert layout["height"] == 300
    assert layout["uirevision"] == "Loss"
    assert layout["showlegend"] is legend
    assert layout["margin"]["t"] == (90 if legend else 60)
    assert layout["xaxis"] == {"title": {"text": "p"}}
    assert layout["yaxis"] == {"title": {"text": "loss (nats)"}}


@pytest.mark.parametrize(
    ("entries", "per_row", "bottom", "fixed_width"),
    [(5, 2, 90 + 26 * 3, 0.5), (2, None, 90 + 26 * 2, None), (4, 4, 90 + 26, 0.25)],
)
def test_legend_below_makes_room_for_its_rows(entries, per_row, bottom, fixed_width):
    draft = Draft()
    move_legend_below(draft, entries, per_row, y=-0.3)
    legend = draft.layout["legend"]
    assert legend["y"] == -0.3
    assert legend["yanchor"] == "top"
    assert draft.layout["margin"] == {"t": 60, "b": bottom}
    assert legend.get("entrywidth") == fixed_width


@pytest.mark.parametrize(("log", "label_x"), [(False, 100.0), (True, 2.0)])
def test_marked_vline_labels_a_log_axis_in_log10_units(log, label_x):
    draft = Draft()
    marked_vline(draft, 100.0, "s = 100", log=log)
    (line,) = draft.layout["shapes"]
    (label,) = draft.layout["annotations"]
    assert line["x0"] == 100.0
    assert line["x1"] == 100.0
    assert label["x"] == label_x
    assert label["text"] == "s = 100"


def test_marked_vline_without_text_draws_only_the_line():
    draft = Draft()
    marked_vline(draft, 0.5, "")
    assert len(draft.layout["shapes"]) == 1
    assert "annotations" not in draft.layout
