"""Train a network: a core.MLP trained with mini-batch SGD, played live; two losses raced.

Training is deterministic (seeded), so a run is trained once per server process and shared by every
session on the same settings (``core.train_runs``, ``ui.train_runs``): a session keeps only the run's
spec and its position, the epoch it shows.  "▶ Play" moves the charts on by "Epochs per update"
``UPDATES_PER_SECOND`` times a second: every ``TICK_SECONDS`` a fragment that reruns alone moves the
position on by that many updates and sends the charts of each (it trains an epoch only if no session
has trained it yet).  The charts are drawn once, outside that fragment, and moved in the browser to
each update in turn (``ui.live_charts``): only the numbers the figure builders computed for it are
sent.  The readouts above the charts follow once a second.  Pausing reruns the page, which draws
everything at the epoch reached.

The charts depend only on the run, the epoch and the settings, so each is built once per process and
served to every session that shows the same (``ui.common.show_shared_figure``): a hall of students moving
the noise slider costs a figure build per noise value, not one per student and move.

The data's noise and test share are a fragment of their own that draws the views into slots the page
lays out, so a hall moving the noise slider sends neither the other settings nor the buttons again; every
other setting reruns the page.
Changing a data, network or loss setting starts its run from epoch 0 (with a notice); the optimiser
settings apply to the running training from the next epoch (a branch of the run, shared as well).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.data import DATASET_CLASSES
from core.figures.train import (
    digit_images_figure,
)
from core.formatting import percent
from core.mlp import ACTIVATIONS
from core.train import LOGARITHMIC_LOSSES, epochs_to_reach, loss_scale, race_summary
from core.train_runs import DIGITS, Frame, Phase, RunSpec, TrainingRun
from ui.common import process_cache, show_shared_figure, units
from ui.live_charts import move_charts
from ui.page import page_header
from ui.scrub import drag_group, figure_sweep, follow_drag, slider_values
from ui.sections import metric_row, safe_fragment
from ui.train_charts import (
    N_MISCLASSIFIED,
    accuracy_draft,
    confusion_draft,
    live_frames,
    loss_draft,
    norms_draft,
    regions_draft,
    wrong,
    wrong_draft,
)
from ui.train_runs import MAX_EPOCHS, RUNS

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

# ------------------------------------------------------------------------------------------ options
DATA_LABELS = {
    "spiral": "Spiral",
    "moons": "Moons",
    "circles": "Circles",
    "xor": "XOR",
    "blobs": "Blobs",
    "blobs-imbalanced": "Blobs 95/5",
    DIGITS: "Digits (8×8)",
}
LOSS_LABELS = {
    "ce": "Cross-entropy",
    "ls": "Label-smoothed CE",
    "focal": "Focal loss",
    "mse": "MSE on softmax",
    "hinge": "Hinge (multi-margin)",
}
RACE_LABELS = {"none": "No race", **LOSS_LABELS}
LOSS_NAMES = {
    "ce": "cross_entropy",
    "ls": "cross_entropy",
    "focal": "focal",
    "mse": "softmax_mse",
    "hinge": "multi_margin",
}
ACTIVATION_LABELS = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "leaky_relu": "leaky ReLU"}
LR_OPTIONS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
MOMENTUM_OPTIONS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99]
BATCH_OPTIONS = [8, 16, 32, 64, 128, 256]
WIDTH_OPTIONS = [4, 8, 16, 32, 64, 128]
SPEED_OPTIONS = [1, 2, 5, 10, 20]
# The optimiser settings: label, options, default, key, help. Each applies from the next epoch, no restart.
OPTIMISER_SLIDERS = (
    (
        "Learning rate",
        LR_OPTIONS,
        0.1,
        "train_lr",
        "The step size η of θ ← θ − ηv. Applies from the next epoch, without a restart.",
    ),
    (
        "Momentum",
        MOMENTUM_OPTIONS,
        0.0,
        "train_mom",
        "Heavy-ball momentum, v ← μv + g, θ ← θ − ηv (PyTorch's SGD). Applies from the next epoch.",
    ),
    ("Batch size", BATCH_OPTIONS, 32, "train_batch", "Applies from the next epoch, no restart."),
)
N_POINTS = 400  # points of a 2-D data set
UPDATES_PER_SECOND = 5  # while playing, the charts move this often (in the browser)
TICK_SECONDS = 1.0  # while playing, the server sends the next TICK_SECONDS of updates this often
UPDATES_PER_TICK = round(UPDATES_PER_SECOND * TICK_SECONDS)
READOUT_SECONDS = 1.0  # while playing, the numbers above the charts are drawn again this often
GRID_RESOLUTION = 40  # decision-region grid points per axis (a run keeps one grid per network and epoch)

STATE = "train_state"  # session-state key of the session's run, position and play state (not a widget key)

CONFIG_NAMES = {
    "data": "the data set",
    "noise": "the noise",
    "test": "the test share",
    "seed": "the seed",
    "depth": "the number of hidden layers",
    "width": "the width",
    "act": "the activation",
    "loss_a": "the loss",
    "loss_b": "the race",
    "eps": "label smoothing ε",
    "gamma": "focal γ",
}


# ------------------------------------------------------------------------------------------ state
def _state() -> dict:
    """The session's view of training: its run (a spec), its position (epochs shown), playing or not."""
    if STATE not in st.session_state:
        st.session_state[STATE] = {
            "config": None,
            "spec": None,
            "position": 0,
            "playing": False,
            "reset": False,
            "notice": None,
        }
    return st.session_state[STATE]


def _on_play() -> None:
    _state()["playing"] = True


def _on_pause() -> None:
    _state()["playing"] = False


def _on_step() -> None:
    state = _state()
    state["playing"] = False
    state["position"] += 1


def _on_reset() -> None:
    state = _state()
    state["reset"] = True
    state["notice"] = "Reset: training starts again from the same initial weights (same seed)."


def _loss_options(choice: str, eps: float, gamma: float) -> tuple:
    if choice == "ls":
        return (("label_smoothing", eps),)
    if choice == "focal":
        return (("gamma", gamma),)
    return ()


def _loss_label(choice: str, eps: float, gamma: float) -> str:
    if choice == "ls":
        return f"CE with ε = {eps:g}"
    if choice == "focal":
        return f"focal, γ = {gamma:g}"
    return LOSS_LABELS[choice]


def _spec(cfg: dict, lr: float, momentum: float, batch_size: int) -> RunSpec:
    """The run of these settings from epoch 0: every network starts from a copy of the same weights."""
    choices = [cfg["loss_a"]] if cfg["loss_b"] is None else [cfg["loss_a"], cfg["loss_b"]]
    return RunSpec(
        data=cfg["data"],
        test_share=cfg["test"],
        seed=cfg["seed"],
        hidden=(cfg["width"],) * cfg["depth"],
        activation=cfg["act"],
        losses=tuple((LOSS_NAMES[c], _loss_options(c, cfg["eps"], cfg["gamma"])) for c in choices),
        schedule=(Phase(0, lr, momentum, batch_size),),
        noise=cfg["noise"] or 0.0,
        n_points=N_POINTS,
        grid=GRID_RESOLUTION,
    )


def _labels(cfg: dict) -> list[str]:
    choices = [cfg["loss_a"]] if cfg["loss_b"] is None else [cfg["loss_a"], cfg["loss_b"]]
    labels = [_loss_label(c, cfg["eps"], cfg["gamma"]) for c in choices]
    if len(labels) == 2 and labels[0] == labels[1]:
        labels = [f"{labels[0]} (A)", f"{labels[1]} (B)"]
    return labels


def _class_names(data: str) -> list[str]:
    if data == DIGITS:
        return [str(d) for d in range(10)]
    return [f"class {k}" for k in range(DATASET_CLASSES[data])]


def _changed(old: dict, new: dict) -> str:
    """The changed settings in words; one that only switched on or off with another is not named."""
    names = [
        CONFIG_NAMES[k] for k in new if old.get(k) != new[k] and old.get(k) is not None and new[k] is not None
    ]
    if old.get("loss_b") != new["loss_b"] and CONFIG_NAMES["loss_b"] not in names:
        names.append(CONFIG_NAMES["loss_b"])
    if not names:
        return "the settings"
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]


def _follow_settings(state: dict, config: dict, lr: float, momentum: float, batch_size: int) -> None:
    """Point the session at the run of its settings (restart, branch or keep) before anything is drawn."""
    if state["spec"] is not None and state["config"] != config:
        state["notice"] = f"You changed {_changed(state['config'], config)}: training restarted from epoch 0."
        state["spec"] = None
    if state["spec"] is None or state["reset"]:
        state["spec"], state["position"], state["config"], state["reset"] = (
            _spec(config, lr, momentum, batch_size),
            0,
            config,
            False,
        )
        return
    spec, position = state["spec"], state["position"]
    phase = spec.schedule[-1]
    if (phase.lr, phase.momentum, phase.batch_size) != (lr, momentum, batch_size):
        state["spec"] = spec.with_optimiser(position, lr=lr, momentum=momentum, batch_size=batch_size)


# ------------------------------------------------------------------------------------------ readouts
def _metrics(frame: Frame, losses: list[str], labels: list[str], unit: str) -> None:
    # Horizontal containers, not columns: each column is one more element sent, and this row is drawn
    # again at every noise move and every second of play.
    row = metric_row()
    row.metric(
        "Epoch", frame.epoch, help=f"Playing stops after {MAX_EPOCHS} epochs.", border=True, width="content"
    )
    for net, loss, label in zip(frame.nets, losses, labels, strict=True):
        now = net.history if net.epochs else {k: [v] for k, v in net.initial.items()}
        loss_unit = f" {unit}" if loss in LOGARITHMIC_LOSSES else ""
        with row.container(border=True, width="stretch"):
            loss_value = now["loss"][-1] * loss_scale(loss, unit)
            st.markdown(f"**{label}** · training loss {loss_value:.4f}{loss_unit}")
            pair = metric_row()
            pair.metric("train accuracy", percent(now["accuracy"][-1], 1, space=True))
            pair.metric("test accuracy", percent(now["test_accuracy"][-1], 1, space=True))
            if net.diverged:
                st.warning(
                    f"**{label}** diverged in epoch {net.epochs + 1}: its outputs overflowed, so it "
                    f"stopped at epoch {net.epochs}. Lower the learning rate and press Reset.",
                    icon=":material/warning:",
                )


def _race_sentence(frame: Frame, choices: list[str], labels: list[str], target: float) -> str:
    reached = [epochs_to_reach(net.history, target) for net in frame.nets]
    claim = None
    if len(frame.nets) == 2:
        plain_ce = [choice == "ce" for choice in choices]
        if plain_ce[0] != plain_ce[1]:
            claim = (0, 1) if plain_ce[0] else (1, 0)
    return ("**The race.** " if len(frame.nets) == 2 else "") + race_summary(
        labels, reached, frame.epoch, target, claim=claim
    )


def _dead_layers(frame: Frame, labels: list[str]) -> None:
    for net, label in zip(frame.nets, labels, strict=True):
        dead = [key for key, norms in net.history["grad_norm"].items() if norms and norms[-1] == 0]
        if dead:
            st.warning(
                f"**{label}**: the gradient of {', '.join(dead)} is exactly 0, so no example reaches "
                "those weights any more (with ReLU: every unit of a layer is off). This network has "
                "stopped learning; press Reset or lower the learning rate.",
                icon=":material/warning:",
            )


# ------------------------------------------------------------------------------------------ charts
def _network_views(
    run: TrainingRun, frame: Frame, labels: list[str], class_names: list[str], playing: bool, share: tuple
):
    """Decision regions (2-D data) or the test confusion matrix and misclassified digits, per network.

    ``share`` names the run, the epoch and the labels: the figures are the same for every session with
    the same ``share`` (``show_shared_figure``).
    """
    view_cols = st.columns(len(frame.nets), gap="medium")
    for i, (col, net, label) in enumerate(zip(view_cols, frame.nets, labels, strict=True)):
        with col:
            _network_view(run, i, net, label, class_names, playing, share)


def _network_view(run: TrainingRun, i: int, net, label: str, class_names: list[str], playing: bool, share):
    if net.grid is None and net.predicted is None:
        st.warning(
            f"**{label}**: its weights have grown so large that its outputs overflow, so there is "
            "nothing to draw. Lower the learning rate and press Reset.",
            icon=":material/warning:",
        )
        return
    if run.spec.two_d:
        show_shared_figure(
            lambda: regions_draft(run, net, label, class_names, hover=not playing).figure(),
            share=(share, not playing),
            key=f"train_regions_{i}",
            alt=f"The class the network trained with {label} predicts at every point of the plane, "
            "shaded by its confidence, with the training points (filled) and test points (open).",
            export=not playing,
        )
        return
    show_shared_figure(
        lambda: confusion_draft(run, net, label, class_names).figure(),
        share=share,
        key=f"train_confusion_{i}",
        alt=f"Confusion matrix of the network trained with {label} on the test digits: true digit "
        "in rows, predicted digit in columns.",
        export=not playing,
    )
    images, captions = wrong(run, net)
    if not playing and not len(captions):
        st.success(f"{label}: every test digit is classified correctly.")
        return
    title = f"Misclassified: {label}<br><sup>true → predicted digit</sup>"
    show_shared_figure(
        lambda: (
            wrong_draft(run, net, label).figure()
            if playing
            else digit_images_figure(images, captions, title=title)
        ),
        share=(share, playing),
        key=f"train_wrong_{i}",
        alt=f"The first test digits (up to {N_MISCLASSIFIED}) the network trained with {label} "
        "gets wrong, each captioned with its true and predicted digit.",
        export=not playing,
    )


# ------------------------------------------------------------------------------------------ the page
page_header(
    "Train a network",
    "Press **▶ Play** and watch a small network learn: mini-batch SGD on the gradient of the batch-mean "
    "loss, from backpropagation as on the Backpropagation page. **The race** trains a copy of the same "
    "network, from the same initial weights and on the same batches, with a second loss: does cross-entropy "
    "train faster?",
)


class Slots(NamedTuple):
    """Where the views go, laid out once per full run (``st.empty()``: a rerun of the fragment that fills
    them replaces what it drew there last)."""

    notice: DeltaGenerator  # "training restarted" and the like
    live: DeltaGenerator  # the component that moves the charts while playing
    network: DeltaGenerator  # decision regions, or confusion matrix and misclassified digits
    readouts: DeltaGenerator  # the network's size, the metrics and the race sentence
    charts: DeltaGenerator  # accuracy, loss and gradient norms per epoch


class Settings(NamedTuple):
    """Every setting the views depend on, read from the session's widgets."""

    config: dict  # what the run is trained on (a change restarts it)
    optimiser: tuple[float, float, int]  # learning rate, momentum, batch size (a change branches it)
    target: float
    choices: list[str]  # the loss keys of the run (one, or two when racing)
    losses: list[str]  # their core.train names
    labels: list[str]
    class_names: list[str]
    unit: str


def _settings() -> Settings:
    """The session's settings, from its widgets' values (all drawn before the views in every run)."""
    ss = st.session_state
    data, loss_a, loss_b = ss["train_data"], ss["train_loss_a"], ss["train_loss_b"]
    race = loss_b != "none"
    used = {loss_a, loss_b}
    config = {
        "data": data,
        "noise": ss["train_noise"] if data != DIGITS else None,
        "test": ss["train_test"],
        "seed": int(ss["train_seed"]),
        "depth": ss["train_depth"],
        "width": ss["train_width"],
        "act": ss["train_act"],
        "loss_a": loss_a,
        "loss_b": loss_b if race else None,
        "eps": ss["train_eps"] if "ls" in used else None,
        "gamma": ss["train_gamma"] if "focal" in used else None,
    }
    choices = [loss_a, loss_b] if race else [loss_a]
    return Settings(
        config=config,
        optimiser=(ss["train_lr"], ss["train_mom"], ss["train_batch"]),
        target=ss["train_target"],
        choices=choices,
        losses=[LOSS_NAMES[c] for c in choices],
        labels=_labels(config),
        class_names=_class_names(data),
        unit=units(),
    )


def _readouts(run: TrainingRun, frame: Frame, s: Settings, playing: bool) -> None:
    """The network's size and status, the metrics at ``frame``, the race sentence and any dead layer."""
    arrows = " → ".join(str(n) for n in run.sizes)
    if playing:
        status = "**Playing.**"
    elif frame.finished:
        status = f"**Stopped** after {frame.epoch} epochs (the limit is {MAX_EPOCHS}, or every run diverged)."
    else:
        status = "Paused."
    n_train, n_test = len(run.data[2]), len(run.data[3])
    st.caption(
        f"Network {arrows} ({ACTIVATION_LABELS[run.spec.activation]}, {run.n_params:,} parameters); "
        f"{n_train} training and {n_test} test examples. {status}"
    )
    _metrics(frame, s.losses, s.labels, s.unit)
    st.markdown(_race_sentence(frame, s.choices, s.labels, s.target))
    _dead_layers(frame, s.labels)


def _curve_charts(frame: Frame, s: Settings, playing: bool, share: tuple) -> None:
    """Accuracy, loss and gradient norms per epoch, two by two, with how to read the norms."""
    # One pair of columns, accuracy and loss on the left, the norms and how to read them on the right (the
    # order a phone stacks them in): a second row of columns would be three more elements sent at every
    # noise move, and the charts are all the same height, so the rows line up.
    left, right = st.columns(2, gap="medium")
    with left:
        show_shared_figure(
            lambda: accuracy_draft(frame, s.labels, s.target).figure(),
            share=(share, s.target),
            key="train_accuracy",
            alt="Training and test accuracy of each run per epoch, with the target accuracy as a dashed "
            "line and the epoch each run first reached it.",
            export=not playing,
        )
    with left:
        show_shared_figure(
            lambda: loss_draft(frame, s.losses, s.labels, s.unit).figure(),
            share=(share, tuple(s.losses), s.unit),
            key="train_loss",
            alt="Training and test loss of each run per epoch, each measured with the loss it is trained on.",
            export=not playing,
        )
    with right:
        show_shared_figure(
            lambda: norms_draft(frame, s.labels).figure(),
            share=share,
            key="train_grads",
            alt="The mean norm of each weight matrix's gradient per epoch, one line per layer and run, on a "
            "log scale.",
            export=not playing,
        )
    with right:
        st.markdown(
            "**Reading the gradient norms.** Each line is the mean norm ‖∂L/∂W‖ of one layer's weight "
            "gradient over an epoch's batches"
            + (" (the second run dashed)." if len(frame.nets) == 2 else ".")
            + " With **sigmoid** and 4 hidden layers the first layer's line sits orders of magnitude "
            "below the last one's: vanishing gradients, and the early layers hardly learn. With a "
            "large learning rate the norms jump: exploding steps."
        )


@safe_fragment
def data_settings(slots: Slots, *, digits: bool) -> None:
    """The data's noise and test share, and every view drawn into ``slots``.

    Moving either slider reruns this alone: it restarts the run on the new data and draws the views at
    epoch 0 (while playing, the page's live fragments move them on from there).  The buttons are the
    page's: if they would change (a finished run restarted enables ▶ Play again), the page reruns instead.
    """
    st.slider(
        "Noise",
        0.0,
        0.5,
        0.1,
        step=0.05,
        key="train_noise",
        disabled=digits,
        help="Standard deviation of the Gaussian noise added to the 2-D points (not for the digits).",
        bind="query-params",
    )
    st.slider(
        "Test share",
        0.1,
        0.5,
        0.2,
        step=0.05,
        key="train_test",
        help="The share of each class held out as a test set: never trained on, evaluated every epoch.",
        bind="query-params",
    )
    s = _settings()
    state = _state()
    _follow_settings(state, s.config, *s.optimiser)
    run = RUNS.get(state["spec"])
    frame = run.frame(state["position"])
    if state["playing"] and frame.finished:
        state["playing"] = False
    ctx = get_script_run_ctx()
    alone = ctx is not None and bool(ctx.fragment_ids_this_run)
    if alone and (state["playing"], frame.finished) != state.get("drawn"):
        st.rerun(scope="app")  # the buttons must follow
    framed = state.get("noise_frames")
    if alone and framed is not None and framed != _noise_key(s.config):
        st.rerun(scope="app")  # the test share moved: the noise drag's frames must follow (noise_listeners)

    if state["notice"]:
        slots.notice.info(state["notice"], icon=":material/restart_alt:")
        state["notice"] = None
    else:
        slots.notice.empty()
    playing = state["playing"]
    share = (run.spec, state["position"], frame.epoch, tuple(s.labels))  # what every chart depends on
    with slots.network.container():
        _network_views(run, frame, s.labels, s.class_names, playing, share)
    if not playing:  # playing, the page's live fragment draws them (and follows the position)
        with slots.readouts.container():
            _readouts(run, frame, s, playing)
    with slots.charts.container():
        _curve_charts(frame, s, playing, share)


NOISE_VALUES = slider_values(0.0, 0.5, 0.05, 2)  # every value of the noise slider
NOISE_LISTENERS = "train-noise"


@process_cache(maxsize=len(NOISE_VALUES))
def _fresh_run(spec: RunSpec) -> TrainingRun:
    """A new run of ``spec`` for a noise drag's frames (its epoch 0 only: nothing is trained).

    Not the one in RUNS: a drag's frames must not evict the runs a lecture hall is training.
    """
    return TrainingRun(spec, max_epochs=MAX_EPOCHS)


def _noise_key(config: dict) -> tuple:
    """Everything a noise drag's frames depend on but the noise: the test share among them."""
    return tuple(sorted((k, v) for k, v in config.items() if k != "noise"))


def noise_listeners(digits: bool) -> None:
    """While paused on 2-D data, the decision regions follow a drag (or a key press) of the noise slider.

    A noise move restarts the run on the new data, so what the page draws at its release is each
    network's decision regions at epoch 0 on that data: here, for every value of the slider, computed by
    ``core`` (a fresh run's first frame) and drawn in the browser at once (``ui.scrub.figure_sweep``).
    The listeners are drawn at a full run, outside the noise's fragment (their frames are about 240 KB a
    chart, not sent again at each release), and they only follow the slider: after the release the page
    draws the run's views itself, and Step or Play move them on from there.  The test share moves the
    frames too, so a change of it reruns the page (:func:`data_settings`).  None while playing.
    """
    state = _state()
    state["noise_frames"] = None
    if digits or state["playing"]:
        return
    s = _settings()
    config, optimiser = dict(s.config), s.optimiser

    def regions_at(noise: float, i: int):
        run = _fresh_run(_spec({**config, "noise": noise}, *optimiser))
        return regions_draft(run, run.frame(0).nets[i], s.labels[i], s.class_names, hover=True).figure()

    with drag_group(NOISE_LISTENERS):
        for i in range(len(s.labels)):
            payload = figure_sweep(
                lambda v, i=i: regions_at(v, i),
                NOISE_VALUES,
                share=(NOISE_LISTENERS, _noise_key(config), optimiser, i, tuple(s.labels)),
            )
            follow_drag(f"train_regions_{i}", "train_noise", payload, sticky=False)
    state["noise_frames"] = _noise_key(config)


def _play(slots: Slots, speed: int) -> None:
    """While playing: the fragments that move the charts and the readouts on, on their timers."""
    s = _settings()

    @st.fragment(run_every=TICK_SECONDS)
    def live_charts() -> None:
        """Every tick: move the position on by a tick's updates and send the charts of each."""
        state = _state()
        if not state["playing"]:
            return
        run = RUNS.get(state["spec"])
        updates = []
        for _ in range(UPDATES_PER_TICK):
            state["position"] = min(state["position"] + speed, MAX_EPOCHS)
            frame = run.frame(state["position"])
            if frame.finished:
                state["playing"] = False
                st.rerun(scope="app")  # turn the timers off, re-enable the buttons, draw the last epoch
            updates.append(live_frames(run, frame, s.losses, s.labels, s.class_names, s.unit, s.target))
        move_charts("train_live", updates, interval_ms=round(1000 / UPDATES_PER_SECOND))

    @st.fragment(run_every=READOUT_SECONDS)
    def live_readouts() -> None:
        """The numbers at the position, every second (too fast to read more often)."""
        state = _state()
        run = RUNS.get(state["spec"])
        _readouts(run, run.frame(state["position"]), s, state["playing"])

    # The charts were drawn where the browser starts playing: this moves the position on by a tick's
    # updates, which the browser then draws one by one (drawn at the new position, the charts would jump
    # there and back).
    with slots.live:
        live_charts()
    with slots.readouts.container():
        live_readouts()


def workspace() -> None:
    """The settings, the buttons, the readouts and the charts.

    The data's noise and test share are a fragment of their own (:func:`data_settings`) that draws every
    view into slots laid out here: a hall of students moving the noise slider reruns that fragment only,
    and no other setting or button is sent again.  Every other setting and the buttons rerun the page.
    """
    c_data, c_loss, c_race, c_lr, c_mom, c_batch = st.columns([1.25, 1.45, 1.45, 1, 1, 1])
    data = c_data.selectbox(
        "Data set",
        list(DATA_LABELS),
        format_func=DATA_LABELS.__getitem__,
        key="train_data",
        help="Spiral (3 classes, 3 arms), two moons, two circles, XOR (4 quadrants), 3 blobs, 2 blobs with "
        "95 % / 5 % of the points, or the 1797 handwritten digits (10 classes, 64 pixels each).",
        bind="query-params",
    )
    loss_a = c_loss.selectbox(
        "Loss",
        list(LOSS_LABELS),
        format_func=LOSS_LABELS.__getitem__,
        key="train_loss_a",
        bind="query-params",
    )
    loss_b = c_race.selectbox(
        "Race against",
        list(RACE_LABELS),
        index=list(RACE_LABELS).index("mse"),
        format_func=RACE_LABELS.__getitem__,
        key="train_loss_b",
        help="A second loss trained from the same start, drawn next to the first. 'No race' trains one "
        "network.",
        bind="query-params",
    )
    for column, (label, options, value, key, help_text) in zip(
        (c_lr, c_mom, c_batch), OPTIMISER_SLIDERS, strict=True
    ):
        column.select_slider(label, options, value=value, key=key, help=help_text, bind="query-params")
    used = {loss_a, loss_b}
    # Play, the decision regions and the readouts come right under the main settings (a projector's first
    # screen, and a phone's screen with the speed slider in it); the options fold away under them.  The
    # slots keep that order while the widgets are read first (the views need every setting).
    b_play, b_pause, b_step, b_reset, b_speed, b_target = st.columns(
        [1, 1, 1.1, 1, 1.5, 1.9], vertical_alignment="bottom"
    )
    speed = b_speed.select_slider(
        "Epochs per update",
        SPEED_OPTIONS,
        value=1,
        key="train_speed",
        help=f"How many epochs each update moves on; there are {UPDATES_PER_SECOND} updates a second.",
        bind="query-params",
    )
    b_target.slider(
        "Race target: training accuracy",
        0.5,
        1.0,
        0.9,
        step=0.01,
        key="train_target",
        format="%.2f",
        bind="query-params",
    )
    notice, live, network, readouts = st.empty(), st.container(), st.empty(), st.empty()
    with st.expander("Network, data and loss options", icon=":material/tune:"):
        e1, e2, e3, e4 = st.columns(4, gap="medium")
        e1.slider("Hidden layers", 1, 4, 2, key="train_depth", bind="query-params")
        e1.select_slider(
            "Units per hidden layer", WIDTH_OPTIONS, value=32, key="train_width", bind="query-params"
        )
        e2.selectbox(
            "Activation",
            list(ACTIVATIONS),
            format_func=ACTIVATION_LABELS.__getitem__,
            key="train_act",
            bind="query-params",
        )
        e2.number_input(
            "Seed",
            min_value=0,
            max_value=9999,
            value=0,
            step=1,
            key="train_seed",
            help="Seeds the data, the initial weights and the order of the batches.",
            bind="query-params",
        )
        e4.slider(
            "Label smoothing ε",
            0.05,
            0.5,
            0.1,
            step=0.05,
            key="train_eps",
            disabled="ls" not in used,
            bind="query-params",
        )
        e4.slider(
            "Focal γ",
            0.5,
            5.0,
            2.0,
            step=0.5,
            key="train_gamma",
            disabled="focal" not in used,
            bind="query-params",
        )
    slots = Slots(notice=notice, live=live, network=network, readouts=readouts, charts=st.empty())
    with e3:
        data_settings(slots, digits=data == DIGITS)

    state = _state()
    frame = RUNS.get(state["spec"]).frame(state["position"])
    state["drawn"] = (state["playing"], frame.finished)  # what the buttons show (data_settings checks)
    b_play.button(
        "▶ Play",
        key="train_play",
        on_click=_on_play,
        type="primary",
        disabled=state["playing"] or frame.finished,
        width="stretch",
    )
    b_pause.button(
        "⏸ Pause", key="train_pause", on_click=_on_pause, disabled=not state["playing"], width="stretch"
    )
    b_step.button(
        "One epoch",
        key="train_step",
        on_click=_on_step,
        disabled=frame.finished,
        width="stretch",
        help="Train exactly one more epoch (and pause).",
    )
    b_reset.button(
        "↺ Reset",
        key="train_reset",
        on_click=_on_reset,
        width="stretch",
        help="Start again from the same initial weights.",
    )
    if state["playing"]:
        _play(slots, speed)
    noise_listeners(digits=data == DIGITS)


workspace()

# ------------------------------------------------------------------------------------------ explanation
st.header("Why cross-entropy should win the race")
left, right = st.columns(2, gap="large")
with left:
    st.markdown(
        "For one example with softmax probabilities s and one-hot truth y, the gradient of each loss "
        "with respect to the logits z, where backpropagation starts (δᴺ of a network of N layers), is:"
    )
    st.latex(r"\text{cross-entropy:}\quad \frac{\partial \ell}{\partial z_j} = s_j - y_j")
    st.latex(
        r"\text{MSE on softmax:}\quad \frac{\partial \ell}{\partial z_j} = "
        r"s_j \Bigl(g_j - \sum_k g_k s_k\Bigr)"
    )
    st.latex(
        r"\text{with}\quad g_k = \tfrac{2}{C}\,(s_k - y_k), \quad \ell = \tfrac{1}{C} \sum_k (s_k - y_k)^2"
    )
    st.markdown(
        "When the network is confidently **wrong**, the true class's probability s_y is near 0. "
        "Cross-entropy's gradient for that logit is then near −1, the strongest push it can give. "
        "The MSE gradient carries the factor s_y and is near 0, so the example hardly moves the "
        "network just when it should move it most."
    )
with right:
    st.markdown(
        "**What the race measures, honestly.** Part of the gap is only scale: MSE is averaged over "
        "the C classes (as `torch.nn.functional.mse_loss` does), so its gradient is at most 2/C of "
        "cross-entropy's, and a larger learning rate closes some of the gap. The race does not "
        "always go to cross-entropy: try **learning rate 1 with momentum 0.9** on the spiral. "
        "Cross-entropy's big steps can switch off every ReLU (accuracy falls to chance and the "
        "gradient norms to 0), while MSE's smaller steps survive and win. The sentence above the "
        "charts reports what was measured, whichever way it goes."
    )
    st.markdown(
        "**Data.** The 2-D sets are generated by `core.data.make_dataset` (400 points, standardised). "
        "The digits are the 1797 8×8 images of the UCI *Optical Recognition of Handwritten Digits* "
        "test set (E. Alpaydin and C. Kaynak, 1998, CC BY 4.0), shipped with the app."
    )
