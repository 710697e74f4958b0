"""Scrubbing on the app's pages, in headless Chromium: the chart follows a drag of the page's main slider.

Issue 12, item 1.  For each row of :data:`ROWS` (a page, its slider, the chart that follows it, and the
metrics that name the slider's numbers) one test:

1. opens the page at its defaults (plus the row's query, e.g. ``units=bits``), presses the mouse on the
   slider's thumb and, with the button held, moves it :data:`MOVES` small steps along the track: at
   least every other move must change what the chart draws, and the browser sends the server nothing;
2. releases: the chart the page draws at the committed value equals the chart the drag left (the frame
   for that value is the figure ``core`` computes there), the value is in the URL, and the row's
   metrics show what ``core`` computes for it;
3. opens that URL in a fresh browser context: the same slider value, metrics and chart.

To add a page, add a row; the frames themselves are compared with ``core`` in each page's figure tests.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qs, urlparse

import pytest

from core.charlm import bigram_model, load_corpus, sample_text
from core.comparison import comparison_curves, smooth_labels
from core.defaults import (
    BACKPROP_BATCH,
    BACKPROP_LAYER_SIZES,
    BACKPROP_SEED,
    IDENTITIES_M,
    IDENTITIES_SEED,
    LANGUAGE_SAMPLE_CHARS,
    LANGUAGE_SMOOTHING,
    MINIBATCH_LAYER_SIZES,
    MINIBATCH_N_SAMPLES,
    MINIBATCH_SEED,
)
from core.formatting import compact, number, scientific, signed, significant
from core.functional import sigmoid
from core.information import cross_entropy_between, entropy, kl_divergence, surprise
from core.jacobians import identity_check, softmax_cross_entropy_chain
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from core.minibatch import blobs_and_network, minibatch_indices, most_variable_entry, per_example_grads
from core.multiclass import multiclass_breakdown
from core.pitfalls import NAIVE_DTYPES, naive_and_stable_at
from core.prediction_scores import score_predictions
from core.predictions import example_csv, parse_predictions
from core.proportions import normalise_weights
from core.simplex import point_readout, smoothed_target
from tests.e2e.harness import PLAIN_JS, SCRIPT_DONE, base_path_probes, keep_console_error, page_url, warm_up
from tests.e2e.test_pages import settle
from words.backprop import backprop_stages

SOFTMAX_GRADIENT_LOGITS = (3.5, 0.8, 0.2, -0.5)  # the page's defaults; the drag moves z₁ (the true class)
MOVES = 24  # a slow drag: one small move every MOVE_MS with the button held
MOVE_MS = 80


def _softmax_chain(z1: float):
    return softmax_cross_entropy_chain([z1, *SOFTMAX_GRADIENT_LOGITS[1:]], 0)


def _simplex(z1: float):
    """Probability simplex at its defaults: q, its loss and gradient at z = (z₁, 2, 0), T = 1, Cat true."""
    return point_readout([round(z1, 1), 2.0, 0.0], smoothed_target(0, 0.0), 1.0)


@functools.cache
def _minibatch(batch: float) -> tuple[float, float]:
    """Mini-batches at its defaults (b₄, draw 0): the mean of the batch's per-example gradients of the
    followed entry, and backprop's batch gradient of it."""
    X, y, net = blobs_and_network(list(MINIBATCH_LAYER_SIZES), MINIBATCH_N_SAMPLES, seed=MINIBATCH_SEED)
    index = most_variable_entry(net, X, y, "b4")[0]
    rows = minibatch_indices(MINIBATCH_N_SAMPLES, round(batch), seed=0)
    per_example = per_example_grads(net, X[rows], y[rows])["b4"][(slice(None), *index)]
    _, grads = net.loss_and_grads(X[rows], y[rows])
    return float(per_example.mean()), float(grads["b4"][index])


@functools.cache
def _example_ece(n_bins: float) -> str:
    """Your own predictions at its defaults (the example, as probabilities): the ECE it shows."""
    pred = parse_predictions(example_csv("probabilities"))
    return number(score_predictions(pred.log_probs, pred.labels, n_bins=round(n_bins)).reliability.ece, 3)


@functools.cache
def _bigram_text(temperature: float) -> str:
    """Language-model surprise at its defaults: the text the bigram model writes at T (sample 0)."""
    model = bigram_model(load_corpus().train_ids, LANGUAGE_SMOOTHING)
    return sample_text(model, LANGUAGE_SAMPLE_CHARS[2], temperature=round(temperature, 1), seed=0).text


@functools.cache
def _backprop_heading(stage: float) -> str:
    """Backpropagation at its defaults: the heading of stage ``stage``, from words.backprop's stages."""
    X, y, net = blobs_and_network(list(BACKPROP_LAYER_SIZES), BACKPROP_BATCH[2], seed=BACKPROP_SEED)
    number = round(stage)
    return f"Stage {number} of 12 · {backprop_stages(net, X, y)[number - 1].title}"


def _identity(n: float):
    """Vectorized identities at its defaults: identity (1)'s check at size n."""
    return identity_check(1, seed=IDENTITIES_SEED, n=round(n), m=IDENTITIES_M)


def _pitfalls_readout(scale: float) -> str:
    """What Numerical pitfalls writes under its scale slider at ``scale``, from core's losses."""
    naive, stable = naive_and_stable_at(scale, (1.0, 0.0, -1.0), 2)[NAIVE_DTYPES.index("float32")]
    return (
        f"s = {scale:.4g}: z = [{scale:.4g}, 0, −{scale:.4g}]. In float32 the naive loss is "
        f"{significant(naive)} and the stable one {significant(stable)}."
    )


class Metric(NamedTuple):
    """An ``st.metric`` that names the slider's numbers, and what it must show at a slider value."""

    label: str
    index: int  # the index-th metric with this label, top to bottom (a page may repeat a label)
    expected: Callable[[float], str]  # the slider's value -> the metric's text, computed with core


class Row(NamedTuple):
    """A page whose chart follows a drag of its slider."""

    url_path: str
    slider: str  # the st.slider's key
    chart: str  # the key of the chart that follows it
    metrics: tuple[Metric, ...]
    query: str = ""  # added to the page's URL, e.g. "units=bits"
    drag: float = -0.4  # how far the mouse moves, as a fraction of the track (negative: to the left)
    texts: tuple[Callable[[float], str], ...] = ()  # the slider's value -> a text the page shows (from core)
    # A slider of a few values (a stage, a size): a slow drag crosses only some of them, so instead of every
    # other move, every move that changed the slider's value must have changed the chart.
    coarse: bool = False

    @property
    def id(self) -> str:
        return f"{self.url_path}-{self.slider}-{self.chart}" + (f"-{self.query}" if self.query else "")


ROWS = [
    # Binary cross-entropy, at its defaults: y = 1, nats, pos_weight 1.
    Row(
        "binary",
        "bce_p",
        "bce_prob_chart",
        (
            Metric("Predicted p", 0, lambda p: f"{p:.2f}"),
            Metric("BCE loss (nats)", 0, lambda p: f"{float(binary_cross_entropy(p, 1.0)):.4f}"),
            Metric("Gradient ∂L/∂p", 0, lambda p: signed(float(binary_cross_entropy_grad(p, 1.0)), 2)),
        ),
    ),
    Row(
        "binary",
        "bce_z",
        "bce_logit_chart",
        (
            Metric("σ(z) = p", 0, lambda z: f"{float(sigmoid(z)):.4f}"),
            Metric("BCE loss (nats)", 1, lambda z: f"{float(binary_cross_entropy_with_logits(z, 1.0)):.4f}"),
            Metric(
                "Gradient ∂L/∂z", 0, lambda z: signed(float(binary_cross_entropy_with_logits_grad(z, 1.0)), 3)
            ),
        ),
    ),
    # Surprise: the explorer's true class (Cat, in %); its chart in the sidebar's unit, so once in bits.
    *(
        Row(
            "surprise",
            "sur_x_cat",
            "sur_curve_chart",
            (
                Metric("P(true class)", 0, lambda v: f"{v / 100:.1%}"),
                Metric("CE loss (nats)", 1, lambda v: f"{float(surprise(v / 100, base=math.e)):.4f}"),
                Metric("Surprise (bits)", 1, lambda v: f"{float(surprise(v / 100, base=2)):.2f}"),
            ),
            query=query,
        )
        for query in ("", "units=bits")
    ),
    # Multi-class logits, at its defaults (Cat 3.5 true, Dog 0.8, Bird 0.2, Fish -0.5; T = 1; ε = 0): the
    # true class's logit, and the temperature (dragged to the right: T = 1 sits near the track's left end).
    *(
        Row(
            "multiclass",
            slider,
            "mc_chart",
            (
                Metric("P(true class)", 0, lambda v, s=state: f"{s(v).probs[0]:.1%}"),
                Metric("Total CE loss (nats)", 0, lambda v, s=state: f"{s(v).loss:.4f}"),
                Metric("True class logit", 0, lambda v, z=logit: f"{z(v):.1f}"),
                Metric("Gradient on the true logit", 0, lambda v, s=state: signed(float(s(v).grad[0]), 3)),
            ),
            drag=drag,
        )
        for slider, state, logit, drag in (
            ("mc_z0", lambda v: multiclass_breakdown([round(v, 1), 0.8, 0.2, -0.5], 0), lambda v: v, -0.4),
            (
                "mc_T",
                lambda v: multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0, temperature=round(v, 1)),
                lambda v: 3.5,
                0.4,
            ),
        )
    ),
    # Loss comparison (γ = 2, margin 1, ε = 0.1): the operating point moves the point, its line and the
    # readout on both charts; the page writes the point's logit z = logit(p_true) (it has no metrics).
    *(
        Row(
            "comparison",
            "cmp_p",
            chart,
            (),
            texts=(
                lambda p: f"p_true = {p:.2f} is z = {comparison_curves([round(p, 2)]).logits[0, 0]:.4f}",
                lambda p: f"The five losses at p_true = {p:.2f}",
            ),
        )
        for chart in ("cmp_loss_chart", "cmp_grad_chart")
    ),
    # Numerical pitfalls, section 1 (true class: the smallest logit): the logit scale s moves the marked
    # line, its label and both losses' markers; the page writes the logits and the float32 losses at s.
    Row(
        "pitfalls",
        "pit_scale",
        "pit_naive_chart",
        (),
        texts=(lambda v: _pitfalls_readout(10 ** round(v, 1)),),
    ),
    # Entropy and KL (one-hot P = Cat, Q weights 85, 10, 3, 2, ε = 0, nats): Q's Cat weight moves the
    # stacked bar and the distributions; ε (dragged to the right from 0) moves the floor's point and, through
    # keyed containers around them, the stacked bar and the distributions.
    *(
        Row(
            "kl",
            slider,
            chart,
            (
                Metric("H(P) (nats)", 0, lambda v, s=state: f"{float(entropy(s(v)[0])):.4f}"),
                Metric("KL(P ‖ Q) (nats)", 0, lambda v, s=state: f"{float(kl_divergence(*s(v))):.4f}"),
                Metric("H(P, Q) (nats)", 0, lambda v, s=state: f"{float(cross_entropy_between(*s(v))):.4f}"),
            ),
            drag=drag,
        )
        for slider, state, drag, charts in (
            (
                "kl_q0",
                lambda v: ([1.0, 0.0, 0.0, 0.0], normalise_weights([round(v), 10, 3, 2])),
                -0.4,
                ("kl_stack_chart", "kl_dist_chart"),
            ),
            (
                "kl_eps",
                lambda v: (smooth_labels([1.0, 0, 0, 0], round(v, 2)), normalise_weights([85, 10, 3, 2])),
                0.4,
                ("kl_floor_chart", "kl_stack_chart_eps", "kl_dist_chart_eps"),
            ),
        )
        for chart in charts
    ),
    # Mini-batches, at its defaults (b₄, draw 0): one bar per example, so the axes follow B (redrawn).
    Row(
        "minibatch",
        "minibatch_b",
        "minibatch_per_example",
        (
            Metric("Mean of the bars", 0, lambda b: signed(_minibatch(b)[0], 6)),
            Metric("Backprop on the batch", 0, lambda b: signed(_minibatch(b)[1], 6)),
        ),
        drag=0.4,
    ),
    # Language-model surprise: the bigram model's next-character chart follows T (bars, context, axis); at
    # release the text it writes is the one core writes at that T.
    Row("language", "lm_T", "lm_next_bigram_chart", (), drag=0.55, texts=(_bigram_text,)),
    # Your own predictions, on the example: the reliability diagram's bars, counts and count axis.
    # The slider has 26 values: the drag crosses most of them, so that each move can reach a new one.
    Row("predictions", "preds_bins", "preds_reliability", (Metric("ECE", 0, _example_ece),), drag=0.75),
    # Probability simplex, at its defaults (z₂ = 2, T = 1, Cat true, ε = 0, 30 steps of η = 1): z₁ moves the
    # point, the path, the readout and the temperature curve on the triangle.
    Row(
        "simplex",
        "sx_z1",
        "sx_chart",
        (
            Metric("Loss (nats)", 0, lambda z1: number(_simplex(z1).loss, 3)),
            Metric("|∂L/∂z|", 0, lambda z1: number(_simplex(z1).grad_norm, 3)),
        ),
    ),
    # Backpropagation, at its defaults: the stage slider draws each stage's whole chart (other matrices, other
    # shapes); at release the heading names the stage.
    Row(
        "backprop",
        "backprop_stage",
        "backprop_stage_matrices",
        (),
        drag=0.6,
        texts=(_backprop_heading,),
        coarse=True,
    ),
    # Vectorized identities, at its defaults (identity 1): n changes the check's shapes; the largest
    # difference is core's at the released n.
    Row(
        "identities",
        "ident_n",
        "ident_check",
        (Metric("max |analytic − numerical|", 0, lambda n: scientific(_identity(n).max_abs_diff)),),
        drag=-0.45,
        coarse=True,
    ),
    # Train a network, at its defaults (paused at epoch 0): the noise (in the options' expander) redraws each
    # network's decision regions at epoch 0 of the run on the new data, what the page shows at release.
    *(
        Row("train", "train_noise", f"train_regions_{i}", (), drag=0.45, coarse=True)
        for i in range(2)  # the default race: two networks
    ),
    # Softmax gradient, at its defaults (true class 1, nats): the Jacobian, a heatmap redrawn at each move.
    Row(
        "softmax_gradient",
        "sgrad_z1",
        "sgrad_jacobian",
        (
            Metric("s_t, probability of class 1", 0, lambda z1: f"{float(_softmax_chain(z1).probs[0]):.3f}"),
            Metric("Loss L = −log s_t (nats)", 0, lambda z1: f"{_softmax_chain(z1).loss:.4f}"),
            Metric("∂L/∂s_t = −1/s_t", 0, lambda z1: compact(float(_softmax_chain(z1).dloss_dprobs[0]))),
        ),
    ),
]

# What a chart draws: every trace's x, y and text (by value: PLAIN_JS), as one JSON text; null while the
# chart is not drawn (Streamlit replaces a chart's element when a rerun brings a new figure).
DRAWN_JS = f"""(sel) => {{ const g = document.querySelector(sel);
    if (!g || !g.data || !g.querySelector('.main-svg')) return null;
    const plain = {PLAIN_JS};
    return JSON.stringify(g.data.map(t => [plain(t.x), plain(t.y), t.text])); }}"""
# Every st.metric on the page as [label, value], top to bottom.
METRICS_JS = """() => Array.from(document.querySelectorAll("[data-testid='stMetric']")).map(m => [
    m.querySelector("[data-testid='stMetricLabel']").innerText.trim(),
    m.querySelector("[data-testid='stMetricValue']").innerText.trim()])"""


def _chart(row: Row) -> str:
    return f".st-key-{row.chart} .js-plotly-plot"


def _input(row: Row) -> str:
    return f".st-key-{row.slider} input[type='range']"


@pytest.fixture(scope="module")
def base(browser, app_url):
    warm_up(browser, app_url)  # the first request goes through app.py, not a deep link
    return app_url


def _open(browser, base: str, row: Row, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    skip = base_path_probes(base, row.url_path)  # a deep link's expected 404s (tests/e2e/harness.py)
    page.on("console", lambda msg: keep_console_error(msg, page.errors, skip))
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.sent = []  # messages from the browser to the server (a rerun request is one)
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: page.sent.append(payload)))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    return page


def _ready(page, row: Row) -> str:
    """Scroll the slider into view, wait for its chart; return what the chart draws."""
    page.locator(_input(row)).wait_for(state="attached", timeout=60_000)  # a busy server draws late
    if not page.locator(_input(row)).is_visible():  # in a collapsed expander: open it (not a rerun)
        page.locator(_input(row)).locator("xpath=ancestor::details[1]/summary").click()
        page.locator(_input(row)).wait_for(state="visible")
    page.locator(_input(row)).locator("xpath=../..").scroll_into_view_if_needed()
    drawn = page.wait_for_function(DRAWN_JS, arg=_chart(row), timeout=30_000).json_value()
    page.wait_for_timeout(300)  # the listener (ui/scrub.js) finds the slider's input
    return drawn


def _settle_after_release(page, row: Row) -> str:
    page.wait_for_timeout(300)
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    return page.wait_for_function(DRAWN_JS, arg=_chart(row), timeout=30_000).json_value()


def _value(page, row: Row) -> float:
    return float(page.locator(_input(row)).input_value())


def _metrics(page, row: Row) -> list[str]:
    """The row's metrics as the page shows them, in the row's order."""
    shown = page.evaluate(METRICS_JS)
    out = []
    for metric in row.metrics:
        values = [value for label, value in shown if label == metric.label]
        assert len(values) > metric.index, f"no metric {metric.label!r} #{metric.index} among {shown}"
        out.append(values[metric.index])
    return out


def _texts_missing(page, row: Row, value: float) -> list[str]:
    """The row's texts for ``value`` that the page does not show."""
    shown = page.locator("[data-testid='stMain']").inner_text()
    return [want for text in row.texts if (want := text(value)) not in shown]


def _steady_box(page, locator) -> dict:
    """The element's bounding box once it has stopped moving (an expander just opened still slides open)."""
    last = locator.bounding_box()
    for _ in range(30):
        page.wait_for_timeout(100)
        box = locator.bounding_box()
        if box == last:
            return box
        last = box
    return last


def _drag(page, row: Row) -> tuple[int, int, str]:
    """Hold the button on the thumb and move MOVES times; return the moves that changed the chart, those
    that changed the slider's value, and the chart as the drag left it (the button is still held)."""
    thumb = page.locator(_input(row)).locator("xpath=../..")  # input -> visually hidden wrapper -> thumb
    box, track = _steady_box(page, thumb), _steady_box(page, thumb.locator("xpath=.."))
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    last, last_value = page.evaluate(DRAWN_JS, _chart(row)), _value(page, row)
    changed = stepped = 0
    for i in range(1, MOVES + 1):
        page.mouse.move(x + row.drag * track["width"] * i / MOVES, y)
        page.wait_for_timeout(MOVE_MS)
        now, value = page.evaluate(DRAWN_JS, _chart(row)), _value(page, row)
        changed += now != last
        stepped += value != last_value
        last, last_value = now, value
    page.wait_for_timeout(200)
    return changed, stepped, page.evaluate(DRAWN_JS, _chart(row))


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_the_chart_follows_a_drag_and_the_link_holds_the_value(browser, base, row):
    query = f"?{row.query}" if row.query else ""
    page = _open(browser, base, row, page_url(base, row.url_path) + query)
    before = _ready(page, row)
    start = _value(page, row)
    sent = len(page.sent)

    changed, stepped, during = _drag(page, row)
    if row.coarse:
        assert stepped >= 2, f"only {stepped} moves changed the slider's value"
        assert changed >= stepped, f"{stepped} moves changed the slider's value, {changed} the chart"
    else:
        assert changed >= MOVES / 2, f"the chart changed after {changed} of {MOVES} moves"
    assert during != before
    assert len(page.sent) == sent, "the browser sent the server something during the drag"
    page.mouse.up()
    after = _settle_after_release(page, row)

    value = _value(page, row)
    assert value != start
    assert after == during, "the chart the page drew at release differs from the chart the drag left"
    link = page.url
    assert float(parse_qs(urlparse(link).query)[row.slider][0]) == pytest.approx(value)
    assert _metrics(page, row) == [metric.expected(value) for metric in row.metrics]
    assert _texts_missing(page, row, value) == []
    assert page.errors == []
    print(f"{row.id}: the chart changed after {changed} of {MOVES} moves; released at {value:g}")
    page.context.close()

    fresh = _open(browser, base, row, link)
    assert _ready(fresh, row) == after
    assert _value(fresh, row) == value
    assert _metrics(fresh, row) == [metric.expected(value) for metric in row.metrics]
    assert _texts_missing(fresh, row, value) == []
    assert fresh.errors == []
    fresh.context.close()


# The bars and both moving axes of the Multi-class chart, as plotly.js holds them.
MULTICLASS_CHART_JS = """() => { const g = document.querySelector('.st-key-mc_chart .js-plotly-plot');
    return g && g.data ? JSON.stringify([g.data.map(t => [t.x, t.text]), g.layout.xaxis2.range,
        g.layout.xaxis3.range]) : null; }"""


def test_multiclass_bars_follow_the_other_logits_without_being_sent_again(browser, base):
    """A logit other than the true one reruns only the logits' fragment: the chart, drawn outside it, takes
    the new bars and axes from the listeners' new frames (ui/scrub.js), exactly as a fresh load draws them."""
    row = next(r for r in ROWS if r.url_path == "multiclass")
    page = _open(browser, base, row, page_url(base, "multiclass"))
    _ready(page, row)
    before = page.wait_for_function(MULTICLASS_CHART_JS, timeout=30_000).json_value()
    page.locator(".st-key-mc_z1 input[type='range']").focus()
    for _ in range(4):  # Dog's logit 0.8 -> 1.2, one rerun per key
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(600)
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    page.wait_for_timeout(500)
    live = page.evaluate(MULTICLASS_CHART_JS)
    assert live != before
    assert parse_qs(urlparse(page.url).query)["mc_z1"] == ["1.2"]
    link = page.url
    assert page.errors == []
    page.context.close()

    fresh = _open(browser, base, row, link)
    _ready(fresh, row)
    assert fresh.wait_for_function(MULTICLASS_CHART_JS, timeout=30_000).json_value() == live
    fresh.context.close()


def test_multiclass_after_the_true_class_changes_no_old_listener_draws_on_a_redraw(browser, base):
    """The true class's logit slider is the one the bars follow: when the true class changes, the listener
    of the old one must stop.  A redraw of the chart (here a narrower window) then still shows the page's
    state, exactly as a fresh load of the link draws it."""
    row = next(r for r in ROWS if r.url_path == "multiclass")
    page = _open(browser, base, row, page_url(base, "multiclass"))
    _ready(page, row)
    box = page.locator(".st-key-mc_true [data-testid='stSelectbox']")
    box.click()
    page.locator("[role='option']", has_text="Dog").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('mc_true')", timeout=30_000)
    page.wait_for_timeout(800)
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    page.set_viewport_size({"width": 1100, "height": 900})  # Plotly redraws the chart
    page.wait_for_timeout(1_500)
    live = page.evaluate(MULTICLASS_CHART_JS)
    link = page.url
    assert page.errors == []
    page.context.close()

    fresh = _open(browser, base, row, link)
    _ready(fresh, row)
    assert (
        json.loads(fresh.wait_for_function(MULTICLASS_CHART_JS, timeout=30_000).json_value())[0]
        == (json.loads(live)[0])
    )
    fresh.context.close()
