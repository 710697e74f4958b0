"""The "Train a network" page, run headless with Streamlit's AppTest.

AppTest does not run the fragment's timer, so training is driven with the buttons: "One epoch" moves one
epoch on; "▶ Play" moves one tick on in the run it causes, 5 updates of "Epochs per update" epochs each,
which the browser would draw one after another (then the browser's timer would take over).  The numbers
the page shows are checked against ``core`` run on the same settings, and the run behind them is the one
every session shares (``ui.train_runs.RUNS``).
"""

import json
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.data import make_dataset, train_test_split
from core.figures.scrub import check_frame
from core.mlp import MLP
from core.train import Trainer, epochs_to_reach, race_summary
from tests.pages._apptest import (
    NOT_STICKY,
    assert_clean,
    chart_titles,
    charts,
    decode_plotly,
    metrics,
    open_page,
    open_recording_drags,
)
from ui.train_runs import RUNS


@pytest.fixture
def page() -> AppTest:
    return open_page("pages/train.py")


UPDATES_PER_TICK = 5  # pages/train.py: 5 updates a second, sent once a second


@pytest.fixture
def moved(monkeypatch):
    """Record what the page sends to move its charts while playing: per tick, a list of {chart key: frame}."""
    sent = []

    def record(key, updates, interval_ms):
        assert key == "train_live"
        assert interval_ms == 200  # 5 updates a second
        sent.append(json.loads(json.dumps(updates, allow_nan=False)))  # what the browser receives

    monkeypatch.setattr("ui.live_charts.move_charts", record)
    return sent


def _metrics(at: AppTest) -> dict[str, list[str]]:
    """Each metric label with its values, one per run of the race."""
    out: dict[str, list[str]] = {}
    for label, value in metrics(at):
        out.setdefault(label, []).append(value)
    return out


def _step(at: AppTest, times: int = 1) -> None:
    for _ in range(times):
        at.button(key="train_step").click().run()
        assert not at.exception, [e.value for e in at.exception]


def _default_trainers() -> list[Trainer]:
    """The page's default run, built with core: 400 spiral points, 20 % test, [2, 32, 32, 3], CE vs MSE."""
    X, y = make_dataset("spiral", 400, noise=0.1, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, seed=0)
    net = MLP([2, 32, 32, 3], activation="relu", seed=0)
    return [
        Trainer(net.copy(), X_train, y_train, loss=loss, lr=0.1, batch_size=32, X_test=X_test, y_test=y_test)
        for loss in ("cross_entropy", "softmax_mse")
    ]


def test_page_opens_with_a_race_at_epoch_zero(page):
    assert [t.value for t in page.title] == ["Train a network"]
    metrics = _metrics(page)
    assert metrics["Epoch"] == ["0"]
    assert len(metrics["train accuracy"]) == 2  # two runs: the race
    assert chart_titles(page) == [
        "Decision regions: Cross-entropy<br><sup>filled: training points · open: test points</sup>",
        "Decision regions: MSE on softmax<br><sup>filled: training points · open: test points</sup>",
        "Accuracy per epoch (train solid, test dotted)",
        "Loss per epoch (each run its own loss)",
        "Gradient norm of each layer per epoch<br><sup>solid: Cross-entropy · dashed: MSE on softmax</sup>",
    ]
    assert any("Neither run has reached 90 % in 0 epochs yet." in md.value for md in page.markdown)
    assert any("Network 2 → 32 → 32 → 3 (ReLU, 1,251 parameters)" in c.value for c in page.caption)
    assert not page.warning
    assert not page.error


def test_one_epoch_button_trains_and_shows_the_numbers_core_computes(page):
    _step(page, 3)
    trainers = _default_trainers()
    for trainer in trainers:
        for _ in range(3):
            trainer.step_epoch()

    metrics = _metrics(page)
    assert metrics["Epoch"] == ["3"]
    assert metrics["train accuracy"] == [f"{100 * t.history['accuracy'][-1]:.1f} %" for t in trainers]
    assert metrics["test accuracy"] == [f"{100 * t.history['test_accuracy'][-1]:.1f} %" for t in trainers]
    ce_loss = trainers[0].history["loss"][-1]
    assert any(f"**Cross-entropy** · training loss {ce_loss:.4f} nats" in md.value for md in page.markdown)

    figs = charts(page)
    accuracy = figs[2]["data"]
    assert accuracy[0]["name"] == "Cross-entropy"
    assert accuracy[1]["name"] == "Cross-entropy · test"
    assert np.asarray(accuracy[0]["x"]).tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(
        np.asarray(accuracy[0]["y"]), [trainers[0].initial["accuracy"], *trainers[0].history["accuracy"]]
    )
    grads = figs[4]["data"]
    assert [trace["name"] for trace in grads] == ["W1 (input)", "W2", "W3 (output)"] * 2
    np.testing.assert_allclose(np.asarray(grads[0]["y"]), trainers[0].history["grad_norm"]["W1"])
    np.testing.assert_allclose(np.asarray(grads[5]["y"]), trainers[1].history["grad_norm"]["W3"])
    # The decision regions show what the trained network predicts: the same as core's network.
    regions = figs[0]["data"][0]
    classes = np.asarray(regions["customdata"])[..., 0]
    xs, ys = np.asarray(regions["x"]).astype(float), np.asarray(regions["y"]).astype(float)
    gx, gy = np.meshgrid(xs, ys)
    expected = trainers[0].net.predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(classes.shape)
    assert np.mean(classes == expected) > 0.99  # the grid is sent in float32


def test_race_sentence_and_markers_follow_the_target(page):
    page.slider(key="train_target").set_value(0.5).run()
    _step(page, 3)
    trainers = _default_trainers()
    for trainer in trainers:
        for _ in range(3):
            trainer.step_epoch()
    reached = [epochs_to_reach(t.history, 0.5) for t in trainers]
    sentence = race_summary(["Cross-entropy", "MSE on softmax"], reached, 3, 0.5, claim=(0, 1))
    assert any(md.value == f"**The race.** {sentence}" for md in page.markdown)
    markers = [t for t in charts(page)[2]["data"] if t["name"].endswith("reaches 50%")]
    # One marker trace per run, empty until the run reaches the target (the traces stay the same).
    assert [np.asarray(m["x"]).tolist() for m in markers] == [[] if e is None else [e, e] for e in reached]


def test_play_trains_epochs_per_update_and_pause_stops(page):
    page.select_slider(key="train_speed").set_value(5).run()
    page.button(key="train_play").click().run()
    assert not page.exception
    assert _metrics(page)["Epoch"] == [str(5 * UPDATES_PER_TICK)]
    assert page.button(key="train_play").disabled
    assert not page.button(key="train_pause").disabled
    assert any("**Playing.**" in c.value for c in page.caption)

    page.button(key="train_pause").click().run()
    assert _metrics(page)["Epoch"] == [str(5 * UPDATES_PER_TICK)]
    assert not page.button(key="train_play").disabled
    assert page.button(key="train_pause").disabled
    assert any("Paused." in c.value for c in page.caption)


def test_optimiser_changes_apply_without_a_restart(page):
    _step(page)
    page.select_slider(key="train_lr").set_value(0.3).run()
    page.select_slider(key="train_mom").set_value(0.9).run()
    page.select_slider(key="train_batch").set_value(8).run()
    assert _metrics(page)["Epoch"] == ["1"]
    assert not page.info
    _step(page)
    assert _metrics(page)["Epoch"] == ["2"]


def test_changing_the_network_restarts_with_a_notice(page):
    _step(page, 2)
    page.slider(key="train_depth").set_value(4).run()
    assert _metrics(page)["Epoch"] == ["0"]
    assert [i.value for i in page.info] == [
        "You changed the number of hidden layers: training restarted from epoch 0."
    ]
    assert any("Network 2 → 32 → 32 → 32 → 32 → 3" in c.value for c in page.caption)
    page.select_slider(key="train_width").set_value(4).run()
    page.selectbox(key="train_act").set_value("sigmoid").run()
    assert any("Network 2 → 4 → 4 → 4 → 4 → 3 (sigmoid, " in c.value for c in page.caption)
    _step(page)
    assert _metrics(page)["Epoch"] == ["1"]


def test_reset_starts_again_from_the_same_weights(page):
    _step(page, 2)
    first = _metrics(page)["train accuracy"]
    page.button(key="train_reset").click().run()
    assert _metrics(page)["Epoch"] == ["0"]
    assert any(i.value.startswith("Reset:") for i in page.info)
    _step(page, 2)
    assert _metrics(page)["train accuracy"] == first  # deterministic: the same two epochs again


def test_no_race_trains_a_single_network(page):
    page.selectbox(key="train_loss_b").set_value("none").run()
    assert any("You changed the race" in i.value for i in page.info)
    _step(page)
    assert len(_metrics(page)["train accuracy"]) == 1
    assert len(charts(page)) == 4
    assert any(
        md.value.startswith("**Cross-entropy** reached") or "has not reached" in md.value
        for md in page.markdown
    )
    assert not any(md.value.startswith("**The race.**") for md in page.markdown)


@pytest.mark.parametrize(
    ("choice", "option_key", "value", "label"),
    [
        ("ls", "train_eps", 0.5, "CE with ε = 0.5"),
        ("focal", "train_gamma", 5.0, "focal, γ = 5"),
        ("hinge", None, None, "Hinge (multi-margin)"),
    ],
)
def test_every_loss_trains_on_the_page(page, choice, option_key, value, label):
    page.selectbox(key="train_loss_a").set_value(choice).run()
    if option_key:
        assert not page.slider(key=option_key).disabled
        page.slider(key=option_key).set_value(value).run()
    _step(page)
    assert _metrics(page)["Epoch"] == ["1"]
    assert chart_titles(page)[0].startswith(f"Decision regions: {label}<br>")


def test_every_data_set_and_the_extreme_settings_run(page):
    page.slider(key="train_noise").set_value(0.5).run()
    page.slider(key="train_test").set_value(0.5).run()
    page.number_input(key="train_seed").set_value(9999).run()
    page.select_slider(key="train_width").set_value(128).run()
    for name in ("moons", "circles", "xor", "blobs", "blobs-imbalanced"):
        page.selectbox(key="train_data").set_value(name).run()
        _step(page)
    assert any("200 training and 200 test examples" in c.value for c in page.caption)
    assert _metrics(page)["Epoch"] == ["1"]


def test_digits_show_the_confusion_matrix_and_misclassified_images(page):
    page.selectbox(key="train_data").set_value("digits").run()
    assert page.slider(key="train_noise").disabled
    assert [i.value for i in page.info] == ["You changed the data set: training restarted from epoch 0."]
    _step(page)
    titles = chart_titles(page)
    assert titles[0] == "Test confusion matrix: Cross-entropy"
    assert "Test confusion matrix: MSE on softmax" in titles
    counts = np.asarray(charts(page)[0]["data"][0]["z"])
    assert counts.shape == (10, 10)
    assert counts.sum() == 359  # 20 % of each digit class held out
    assert any(t.startswith("Misclassified: ") for t in titles)
    assert any("Network 64 → 32 → 32 → 10" in c.value for c in page.caption)


def test_a_huge_learning_rate_is_reported_not_raised(page):
    page.select_slider(key="train_lr").set_value(3.0).run()
    page.select_slider(key="train_mom").set_value(0.99).run()
    _step(page, 4)
    assert not page.exception
    warnings = " ".join(w.value for w in page.warning)
    assert "diverged" in warnings or "is exactly 0" in warnings


def test_bits_show_the_cross_entropy_loss_divided_by_ln_2(page):
    _step(page)
    nats = next(md.value for md in page.markdown if md.value.startswith("**Cross-entropy** · training loss"))
    page.sidebar.radio(key="units").set_value("bits").run()
    bits = next(md.value for md in page.markdown if md.value.startswith("**Cross-entropy** · training loss"))
    value_nats = float(nats.split("loss ")[1].split(" ")[0])
    value_bits = float(bits.split("loss ")[1].split(" ")[0])
    assert bits.endswith(" bits")
    assert value_bits == pytest.approx(value_nats / math.log(2), abs=1e-4)
    mse = next(md.value for md in page.markdown if md.value.startswith("**MSE on softmax**"))
    assert not mse.endswith("bits")  # MSE has no unit
    assert _metrics(page)["Epoch"] == ["1"]  # the unit is display only: no restart


def test_training_stops_at_the_epoch_limit(page):
    """After 500 epochs Play, Pause and One epoch are disabled and the page says why (Reset still works)."""
    page.selectbox(key="train_loss_b").set_value("none").run()  # a small, quick run: 500 epochs in seconds
    page.select_slider(key="train_width").set_value(4).run()
    page.slider(key="train_depth").set_value(1).run()
    page.select_slider(key="train_batch").set_value(256).run()
    page.session_state["train_state"]["position"] = 500
    page.run()
    assert_clean(page)
    assert _metrics(page)["Epoch"] == ["500"]
    assert page.button(key="train_play").disabled
    assert page.button(key="train_step").disabled
    assert any("**Stopped** after 500 epochs" in c.value for c in page.caption)
    page.button(key="train_reset").click().run()
    assert _metrics(page)["Epoch"] == ["0"]
    assert not page.button(key="train_play").disabled


# ---------------------------------------------------------------------------------------------- shared runs
def test_two_sessions_on_the_same_settings_train_the_run_once():
    RUNS.clear()
    first, second = open_page("pages/train.py"), open_page("pages/train.py")
    _step(first, 3)
    _step(second, 3)
    assert RUNS.stats.runs_built == 1
    assert RUNS.stats.net_epochs == 2 * 3  # the race's two networks, 3 epochs each, trained once
    assert _metrics(first) == _metrics(second)
    assert [c.proto.spec for c in first.get("plotly_chart")] == [
        c.proto.spec for c in second.get("plotly_chart")
    ]
    _step(second, 1)  # the second session goes further: one more epoch is trained, once
    assert RUNS.stats.net_epochs == 2 * 4
    assert _metrics(first)["Epoch"] == ["3"]  # the first session stays where it was
    first.run()
    assert _metrics(first)["Epoch"] == ["3"]


def test_an_optimiser_change_mid_run_continues_from_the_same_state(page):
    """Two epochs at lr 0.1, then lr 0.3 with momentum 0.9: core's trainer with the same change."""
    _step(page, 2)
    page.select_slider(key="train_lr").set_value(0.3).run()
    page.select_slider(key="train_mom").set_value(0.9).run()
    _step(page, 2)
    trainers = _default_trainers()
    for trainer in trainers:
        for epoch in range(4):
            if epoch == 2:
                trainer.set_hyperparameters(lr=0.3, momentum=0.9)
            trainer.step_epoch()
    metrics = _metrics(page)
    assert metrics["Epoch"] == ["4"]
    assert metrics["train accuracy"] == [f"{100 * t.history['accuracy'][-1]:.1f} %" for t in trainers]
    np.testing.assert_array_equal(charts(page)[3]["data"][0]["y"][1:], trainers[0].history["loss"])


# ---------------------------------------------------------------------------------------------- playing
def test_play_sends_the_charts_the_builders_draw_at_each_epoch(page, moved):
    """A tick sends every chart's numbers for each of its updates; the last are the charts drawn on Pause."""
    before = charts(page)
    page.button(key="train_play").click().run()  # one tick: epochs 1, 2, ..., 5
    assert_clean(page)
    assert _metrics(page)["Epoch"] == [str(UPDATES_PER_TICK)]
    assert len(moved) == 1
    updates = moved[-1]
    assert len(updates) == UPDATES_PER_TICK
    for update in updates:
        assert sorted(update) == [
            "train_accuracy",
            "train_grads",
            "train_loss",
            "train_regions_0",
            "train_regions_1",
        ]
    # One epoch further each: the accuracy chart's first trace draws epochs 0 … 1, then 0 … 2, and so on.
    assert [update["train_accuracy"]["data"][0]["x"] for update in updates] == [
        list(range(epoch + 1)) for epoch in range(1, UPDATES_PER_TICK + 1)
    ]
    # The charts are drawn where the browser starts (epoch 0), without the CSV while they move.
    playing = charts(page)
    assert np.asarray(playing[2]["data"][0]["x"]).tolist() == [0]
    assert "Numbers behind this chart (CSV)" not in [b.label for b in page.get("download_button")]
    page.button(key="train_pause").click().run()
    paused = charts(page)
    assert not moved[1:]  # paused: nothing is sent
    last = updates[-1]
    for index, key in ((2, "train_accuracy"), (3, "train_loss"), (4, "train_grads")):
        drawn = paused[index]
        assert last[key]["traces"] == list(range(len(drawn["data"])))
        for sent, trace in zip(last[key]["data"], drawn["data"], strict=True):
            assert sent["x"] == np.asarray(trace["x"]).tolist()
            assert sent["y"] == [None if math.isnan(v) else v for v in np.asarray(trace["y"], float)]
        for path, value in last[key]["layout"].items():
            axis, name = path.split(".")
            assert drawn["layout"][axis][name] == value
    for index in (0, 1):
        image = last[f"train_regions_{index}"]["layout"]["images[0].source"]
        assert image == paused[index]["layout"]["images"][0]["source"]
        assert (
            playing[index]["layout"]["images"][0]["source"] == before[index]["layout"]["images"][0]["source"]
        )
        # No hover heatmap while playing (it would not follow the image); paused, it answers the mouse again.
        assert [t["type"] for t in playing[index]["data"]].count("heatmap") == 0
        assert paused[index]["data"][0]["type"] == "heatmap"


def test_play_on_the_digits_sends_confusion_matrices_and_misclassified_digits(page, moved):
    page.selectbox(key="train_data").set_value("digits").run()
    page.button(key="train_play").click().run()
    assert_clean(page)
    frames = moved[-1][-1]
    counts = frames["train_confusion_0"]["restyle"]["z"][0]
    assert np.asarray(counts).shape == (10, 10)
    assert np.sum(counts) == 359  # every test digit, once
    wrong = frames["train_wrong_0"]
    assert len(wrong["layout"]) == 8  # every caption slot, empty where fewer digits are wrong
    page.button(key="train_pause").click().run()  # drawn at the epoch reached: the last update's matrix
    assert np.asarray(charts(page)[0]["data"][0]["z"]).tolist() == counts


def test_the_decision_regions_follow_the_noise_through_cores_first_epoch(monkeypatch):
    """Paused on 2-D data, each network's regions carry a frame per noise value: the run's epoch 0 there."""
    at, sent = open_recording_drags("pages/train.py", monkeypatch)
    regions = [key for key in sent if isinstance(key, str) and key.startswith("train_regions_")]
    assert regions == ["train_regions_0", "train_regions_1"]  # the default race: two networks
    assert sent[NOT_STICKY] == set(regions)  # after the release the run's own views take over
    payloads = {}
    for key in regions:
        widget, payload = sent[key]
        assert widget == "train_noise"
        assert payload["values"] == [round(0.05 * k, 2) for k in range(11)]
        payloads[key] = {"figures": decode_plotly(payload["figures"])}
    for noise in (0.0, 0.35, 0.5):
        at.slider(key="train_noise").set_value(noise).run()
        assert_clean(at)
        shown = [fig for fig in charts(at) if fig["layout"]["title"]["text"].startswith("Decision regions")]
        assert len(shown) == 2
        for key, fig in zip(regions, shown, strict=True):
            check_frame(fig, payloads[key], round(noise / 0.05))  # the restarted run at epoch 0
    sent.clear()
    at.button(key="train_play").click().run()  # while playing, the live charts move the regions: no listener
    assert_clean(at)
    assert not [key for key in sent if isinstance(key, str) and key.startswith("train_regions_")]
