"""Train a network: a core.MLP trained live with mini-batch SGD; two losses raced.

The run (data, networks, trainers) lives in ``st.session_state``; the live views are a fragment that
reruns every ``TICK_SECONDS`` while playing and trains a few epochs per rerun, so the rest of the page
is not rerun and stays responsive.  Changing a data, network or loss setting rebuilds the run (with a
notice); the optimiser settings apply to the running training from the next epoch.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.data import DATASET_CLASSES, load_digits, make_dataset, train_test_split
from core.figures.train import (
    confusion_matrix_figure,
    decision_regions_figure,
    digit_images_figure,
    gradient_norms_figure,
    training_curves_figure,
)
from core.formatting import percent
from core.mlp import ACTIVATIONS, MLP
from core.train import (
    LOGARITHMIC_LOSSES,
    Trainer,
    confusion_matrix,
    decision_grid,
    epochs_to_reach,
    loss_scale,
    predict,
    race_summary,
)
from ui.common import show_figure, units
from ui.page import page_header

# Small matrices: one BLAS thread is several times faster than two on a shared machine (see ui.runtime).

# ------------------------------------------------------------------------------------------ options
DATA_LABELS = {
    "spiral": "Spiral",
    "moons": "Moons",
    "circles": "Circles",
    "xor": "XOR",
    "blobs": "Blobs",
    "blobs-imbalanced": "Blobs 95/5",
    "digits": "Digits (8×8)",
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
MAX_EPOCHS = 500  # playing stops here
TICK_SECONDS = 0.5  # while playing, the live views rerun (a few epochs, then the charts) this often
GRID_RESOLUTION = 60
N_MISCLASSIFIED = 8

STATE = "train_state"  # session-state key of the run and the play state (not a widget key)

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
    if STATE not in st.session_state:
        st.session_state[STATE] = {
            "config": None,
            "run": None,
            "playing": False,
            "pending": 0,
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
    state["pending"] += 1


def _on_reset() -> None:
    state = _state()
    state["run"] = None
    state["notice"] = "Reset: training starts again from the same initial weights (same seed)."


def _loss_kwargs(choice: str, eps: float, gamma: float) -> dict:
    if choice == "ls":
        return {"label_smoothing": eps}
    if choice == "focal":
        return {"gamma": gamma}
    return {}


def _loss_label(choice: str, eps: float, gamma: float) -> str:
    if choice == "ls":
        return f"CE with ε = {eps:g}"
    if choice == "focal":
        return f"focal, γ = {gamma:g}"
    return LOSS_LABELS[choice]


def _build_run(cfg: dict, lr: float, momentum: float, batch_size: int) -> dict:
    """Data, one network and a Trainer per loss; every trainer starts from a copy of the same weights."""
    if cfg["data"] == "digits":
        X, y = load_digits()
        class_names = [str(d) for d in range(10)]
    else:
        X, y = make_dataset(cfg["data"], N_POINTS, noise=cfg["noise"], seed=cfg["seed"])
        class_names = [f"class {k}" for k in range(DATASET_CLASSES[cfg["data"]])]
    X_train, X_test, y_train, y_test = train_test_split(X, y, cfg["test"], seed=cfg["seed"])
    sizes = [X.shape[1], *[cfg["width"]] * cfg["depth"], len(class_names)]
    net = MLP(sizes, activation=cfg["act"], seed=cfg["seed"])
    choices = [cfg["loss_a"]] if cfg["loss_b"] is None else [cfg["loss_a"], cfg["loss_b"]]
    trainers, labels = [], []
    for choice in choices:
        trainers.append(
            Trainer(
                net.copy(),
                X_train,
                y_train,
                loss=LOSS_NAMES[choice],
                lr=lr,
                momentum=momentum,
                batch_size=batch_size,
                seed=cfg["seed"],
                X_test=X_test,
                y_test=y_test,
                **_loss_kwargs(choice, cfg["eps"], cfg["gamma"]),
            )
        )
        labels.append(_loss_label(choice, cfg["eps"], cfg["gamma"]))
    if len(labels) == 2 and labels[0] == labels[1]:
        labels = [f"{labels[0]} (A)", f"{labels[1]} (B)"]
    return {
        "trainers": trainers,
        "labels": labels,
        "choices": choices,
        "sizes": sizes,
        "activation": cfg["act"],
        "n_params": net.n_params,
        "class_names": class_names,
        "data": (X_train, X_test, y_train, y_test),
        "two_d": cfg["data"] != "digits",
    }


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


def _epoch(run: dict) -> int:
    """Epochs trained (a diverged run stops counting; the other goes on)."""
    return max(trainer.epoch for trainer in run["trainers"])


def _finished(run: dict) -> bool:
    return _epoch(run) >= MAX_EPOCHS or all(trainer.diverged for trainer in run["trainers"])


def _step(run: dict, epochs: int) -> None:
    for _ in range(epochs):
        if _finished(run):
            return
        for trainer in run["trainers"]:
            trainer.step_epoch()


# ------------------------------------------------------------------------------------------ controls
page_header(
    "Train a network",
    "Press **▶ Play** and watch a small network learn: mini-batch SGD on the gradient of the batch-mean "
    "loss, from backpropagation as on the Backpropagation page. **The race** trains a copy of the same "
    "network, from the same initial weights and on the same batches, with a second loss: does cross-entropy "
    "train faster?",
)

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
    "Loss", list(LOSS_LABELS), format_func=LOSS_LABELS.__getitem__, key="train_loss_a", bind="query-params"
)
loss_b = c_race.selectbox(
    "Race against",
    list(RACE_LABELS),
    index=list(RACE_LABELS).index("mse"),
    format_func=RACE_LABELS.__getitem__,
    key="train_loss_b",
    help="A second loss trained from the same start, drawn next to the first. 'No race' trains one network.",
    bind="query-params",
)
lr, momentum, batch_size = (
    column.select_slider(label, options, value=value, key=key, help=help_text, bind="query-params")
    for column, (label, options, value, key, help_text) in zip(
        (c_lr, c_mom, c_batch), OPTIMISER_SLIDERS, strict=True
    )
)
race = loss_b != "none"
used = {loss_a, loss_b}
with st.expander("Network, data and loss options", icon=":material/tune:"):
    e1, e2, e3, e4 = st.columns(4, gap="medium")
    depth = e1.slider("Hidden layers", 1, 4, 2, key="train_depth", bind="query-params")
    width = e1.select_slider(
        "Units per hidden layer", WIDTH_OPTIONS, value=32, key="train_width", bind="query-params"
    )
    activation = e2.selectbox(
        "Activation",
        list(ACTIVATIONS),
        format_func=ACTIVATION_LABELS.__getitem__,
        key="train_act",
        bind="query-params",
    )
    seed = e2.number_input(
        "Seed",
        min_value=0,
        max_value=9999,
        value=0,
        step=1,
        key="train_seed",
        help="Seeds the data, the initial weights and the order of the batches.",
        bind="query-params",
    )
    noise = e3.slider(
        "Noise",
        0.0,
        0.5,
        0.1,
        step=0.05,
        key="train_noise",
        disabled=data == "digits",
        help="Standard deviation of the Gaussian noise added to the 2-D points (not for the digits).",
        bind="query-params",
    )
    test_share = e3.slider(
        "Test share",
        0.1,
        0.5,
        0.2,
        step=0.05,
        key="train_test",
        help="The share of each class held out as a test set: never trained on, evaluated every epoch.",
        bind="query-params",
    )
    eps = e4.slider(
        "Label smoothing ε",
        0.05,
        0.5,
        0.1,
        step=0.05,
        key="train_eps",
        disabled="ls" not in used,
        bind="query-params",
    )
    gamma = e4.slider(
        "Focal γ",
        0.5,
        5.0,
        2.0,
        step=0.5,
        key="train_gamma",
        disabled="focal" not in used,
        bind="query-params",
    )

config = {
    "data": data,
    "noise": noise if data != "digits" else None,
    "test": test_share,
    "seed": int(seed),
    "depth": depth,
    "width": width,
    "act": activation,
    "loss_a": loss_a,
    "loss_b": loss_b if race else None,
    "eps": eps if "ls" in used else None,
    "gamma": gamma if "focal" in used else None,
}
state = _state()
if state["run"] is not None and state["config"] != config:
    state["notice"] = f"You changed {_changed(state['config'], config)}: training restarted from epoch 0."
    state["run"] = None
if state["run"] is None:
    state["run"] = _build_run(config, lr, momentum, batch_size)
    state["config"] = config
run = state["run"]
for trainer in run["trainers"]:
    trainer.set_hyperparameters(lr=lr, momentum=momentum, batch_size=batch_size)
if state["pending"]:
    _step(run, state["pending"])
    state["pending"] = 0
if state["playing"] and _finished(run):
    state["playing"] = False

b_play, b_pause, b_step, b_reset, b_speed, b_target = st.columns(
    [1, 1, 1.1, 1, 1.5, 1.9], vertical_alignment="bottom"
)
b_play.button(
    "▶ Play",
    key="train_play",
    on_click=_on_play,
    type="primary",
    disabled=state["playing"] or _finished(run),
    width="stretch",
)
b_pause.button(
    "⏸ Pause", key="train_pause", on_click=_on_pause, disabled=not state["playing"], width="stretch"
)
b_step.button(
    "One epoch",
    key="train_step",
    on_click=_on_step,
    disabled=_finished(run),
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
speed = b_speed.select_slider(
    "Epochs per update", SPEED_OPTIONS, value=2, key="train_speed", bind="query-params"
)
target = b_target.slider(
    "Race target: training accuracy",
    0.5,
    1.0,
    0.9,
    step=0.01,
    key="train_target",
    format="%.2f",
    bind="query-params",
)
if state["notice"]:
    st.info(state["notice"], icon=":material/restart_alt:")
    state["notice"] = None


# ------------------------------------------------------------------------------------------ live views
def _metrics(run: dict, unit: str) -> None:
    trainers, labels = run["trainers"], run["labels"]
    cols = st.columns([1] + [3] * len(trainers), gap="small")
    cols[0].metric("Epoch", _epoch(run), help=f"Playing stops after {MAX_EPOCHS} epochs.", border=True)
    for col, trainer, label in zip(cols[1:], trainers, labels, strict=True):
        now = trainer.history if trainer.epoch else {k: [v] for k, v in trainer.initial.items()}
        loss_unit = f" {unit}" if trainer.loss in LOGARITHMIC_LOSSES else ""
        with col.container(border=True):
            loss_value = now["loss"][-1] * loss_scale(trainer.loss, unit)
            st.markdown(f"**{label}** · training loss {loss_value:.4f}{loss_unit}")
            m1, m2 = st.columns(2)
            m1.metric("train accuracy", percent(now["accuracy"][-1], 1, space=True))
            m2.metric("test accuracy", percent(now["test_accuracy"][-1], 1, space=True))
        if trainer.diverged:
            col.warning(
                f"**{label}** diverged in epoch {trainer.epoch + 1}: its outputs overflowed, so it "
                f"stopped at epoch {trainer.epoch}. Lower the learning rate and press Reset.",
                icon=":material/warning:",
            )


def _network_views(run: dict) -> None:
    """Decision regions (2-D data) or the test confusion matrix and misclassified digits, per run."""
    X_train, X_test, y_train, y_test = run["data"]
    view_cols = st.columns(len(run["trainers"]), gap="medium")
    for i, (col, trainer, label) in enumerate(zip(view_cols, run["trainers"], run["labels"], strict=True)):
        with col:
            try:
                if run["two_d"]:
                    grid = decision_grid(trainer.net, np.concatenate([X_train, X_test]), GRID_RESOLUTION)
                else:
                    predicted, _ = predict(trainer.net, X_test)
            except ValueError as exc:  # a diverged network whose outputs are not finite here
                st.warning(f"{label}: {exc}")
                continue
            if run["two_d"]:
                fig = decision_regions_figure(
                    grid,
                    X_train,
                    y_train,
                    X_test=X_test,
                    y_test=y_test,
                    class_names=run["class_names"],
                    title=f"Decision regions: {label}",
                )
                show_figure(
                    fig,
                    key=f"train_regions_{i}",
                    alt=f"The class the network trained with {label} predicts at every point of the plane, "
                    "shaded by its confidence, with the training points (filled) and test points (open).",
                )
                continue
            cm = confusion_matrix(y_test, predicted, len(run["class_names"]))
            fig = confusion_matrix_figure(cm, run["class_names"], title=f"Test confusion matrix: {label}")
            show_figure(
                fig,
                key=f"train_confusion_{i}",
                alt=f"Confusion matrix of the network trained with {label} on the test digits: true digit "
                "in rows, predicted digit in columns.",
            )
            wrong = np.flatnonzero(predicted != y_test)[:N_MISCLASSIFIED]
            if wrong.size:
                captions = [f"{y_test[j]} → {predicted[j]}" for j in wrong]
                fig = digit_images_figure(
                    X_test[wrong],
                    captions,
                    title=f"Misclassified: {label}<br><sup>true → predicted digit</sup>",
                )
                show_figure(
                    fig,
                    key=f"train_wrong_{i}",
                    alt=f"The first {wrong.size} test digits the network trained with {label} gets wrong, "
                    "each captioned with its true and predicted digit.",
                )
            else:
                st.success(f"{label}: every test digit is classified correctly.")


@st.fragment(run_every=TICK_SECONDS if state["playing"] else None)
def live_views() -> None:
    state = _state()
    run = state["run"]
    if state["playing"]:
        _step(run, speed)
        if _finished(run):
            state["playing"] = False
            st.rerun(scope="app")  # turn the timer off and re-enable the buttons
    trainers, labels = run["trainers"], run["labels"]
    unit = units()
    epoch = _epoch(run)
    arrows = " → ".join(str(n) for n in run["sizes"])
    if state["playing"]:
        status = "**Playing.**"
    elif _finished(run):
        status = f"**Stopped** after {epoch} epochs (the limit is {MAX_EPOCHS}, or every run diverged)."
    else:
        status = "Paused."
    st.caption(
        f"Network {arrows} ({ACTIVATION_LABELS[run['activation']]}, {run['n_params']:,} parameters); "
        f"{len(run['data'][2])} training and {len(run['data'][3])} test examples. {status}"
    )
    _metrics(run, unit)
    _network_views(run)

    runs = [
        {"label": label, "history": t.history, "initial": t.initial}
        for t, label in zip(trainers, labels, strict=True)
    ]
    reached = [epochs_to_reach(t.history, target) for t in trainers]
    claim = None
    if len(trainers) == 2:
        plain_ce = [choice == "ce" for choice in run["choices"]]
        if plain_ce[0] != plain_ce[1]:
            claim = (0, 1) if plain_ce[0] else (1, 0)
    st.markdown(
        ("**The race.** " if len(trainers) == 2 else "")
        + race_summary(labels, reached, epoch, target, claim=claim)
    )
    left, right = st.columns(2, gap="medium")
    with left:
        fig = training_curves_figure(
            runs,
            metric="accuracy",
            title="Accuracy per epoch (train solid, test dotted)",
            y_title="accuracy",
            target=target,
            reached=reached,
        )
        show_figure(
            fig,
            key="train_accuracy",
            alt="Training and test accuracy of each run per epoch, with the target accuracy as a dashed "
            "line and the epoch each run first reached it.",
        )
    with right:
        loss_units = sorted({unit if t.loss in LOGARITHMIC_LOSSES else "no unit" for t in trainers})
        fig = training_curves_figure(
            runs,
            metric="loss",
            title="Loss per epoch (each run its own loss)",
            y_title=f"loss ({', '.join(loss_units)})",
            scale=[loss_scale(t.loss, unit) for t in trainers],
        )
        show_figure(
            fig,
            key="train_loss",
            alt="Training and test loss of each run per epoch, each measured with the loss it is trained on.",
        )

    left, right = st.columns(2, gap="medium")
    with left:
        fig = gradient_norms_figure(runs, title="Gradient norm of each layer per epoch")
        show_figure(
            fig,
            key="train_grads",
            alt="The mean norm of each weight matrix's gradient per epoch, one line per layer and run, on a "
            "log scale.",
        )
    with right:
        st.markdown(
            "**Reading the gradient norms.** Each line is the mean norm ‖∂L/∂W‖ of one layer's weight "
            "gradient over an epoch's batches"
            + (" (the second run dashed)." if len(trainers) == 2 else ".")
            + " With **sigmoid** and 4 hidden layers the first layer's line sits orders of magnitude "
            "below the last one's: vanishing gradients, and the early layers hardly learn. With a "
            "large learning rate the norms jump: exploding steps."
        )
        for trainer, label in zip(trainers, labels, strict=True):
            dead = [key for key, norms in trainer.history["grad_norm"].items() if norms and norms[-1] == 0]
            if dead:
                st.warning(
                    f"**{label}**: the gradient of {', '.join(dead)} is exactly 0, so no example reaches "
                    "those weights any more (with ReLU: every unit of a layer is off). This network has "
                    "stopped learning; press Reset or lower the learning rate.",
                    icon=":material/warning:",
                )


live_views()

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
