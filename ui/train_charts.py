"""Train a network's charts: each built from a run's frame by ``core.figures.train``, and their live moves.

Pure functions of a run, a frame and the page's labels (no Streamlit): ``pages/train.py`` draws them, shared
per process (``ui.common.show_shared_figure``), and sends :func:`live_frames` while playing
(``ui.live_charts``).
"""

from __future__ import annotations

import numpy as np

from core.figures.train import (
    CURVES_LIVE_LAYOUT,
    NORMS_LIVE_LAYOUT,
    REGIONS_LIVE_LAYOUT,
    confusion_matrix_figure,
    decision_regions_figure,
    digit_images_figure,
    gradient_norms_figure,
    live_frame,
    training_curves_figure,
)
from core.train import LOGARITHMIC_LOSSES, confusion_matrix, epochs_to_reach, loss_scale
from core.train_runs import Frame, TrainingRun

N_MISCLASSIFIED = 8  # misclassified digits shown per network


def curve_runs(frame: Frame, labels: list[str]) -> list[dict]:
    return [
        {"label": label, "history": net.history, "initial": net.initial}
        for net, label in zip(frame.nets, labels, strict=True)
    ]


def accuracy_draft(frame: Frame, labels: list[str], target: float):
    return training_curves_figure.draft(
        curve_runs(frame, labels),
        metric="accuracy",
        title="Accuracy per epoch (train solid, test dotted)",
        y_title="accuracy",
        target=target,
        reached=[epochs_to_reach(net.history, target) for net in frame.nets],
    )


def loss_draft(frame: Frame, losses: list[str], labels: list[str], unit: str):
    loss_units = sorted({unit if loss in LOGARITHMIC_LOSSES else "no unit" for loss in losses})
    return training_curves_figure.draft(
        curve_runs(frame, labels),
        metric="loss",
        title="Loss per epoch (each run its own loss)",
        y_title=f"loss ({', '.join(loss_units)})",
        scale=[loss_scale(loss, unit) for loss in losses],
    )


def norms_draft(frame: Frame, labels: list[str]):
    return gradient_norms_figure.draft(
        curve_runs(frame, labels), title="Gradient norm of each layer per epoch"
    )


def regions_draft(run: TrainingRun, net, label: str, class_names: list[str], hover: bool):
    X_train, X_test, y_train, y_test = run.data
    grid = {**net.grid, "confidence": net.grid["confidence"] / 255.0}
    return decision_regions_figure.draft(
        grid,
        X_train,
        y_train,
        X_test=X_test,
        y_test=y_test,
        class_names=class_names,
        title=f"Decision regions: {label}",
        hover=hover,
    )


def confusion_draft(run: TrainingRun, net, label: str, class_names: list[str]):
    cm = confusion_matrix(run.data[3], net.predicted.astype(np.intp), len(class_names))
    return confusion_matrix_figure.draft(cm, class_names, title=f"Test confusion matrix: {label}")


def wrong(run: TrainingRun, net) -> tuple[np.ndarray, list[str]]:
    """The first misclassified test digits and their captions (true → predicted)."""
    X_test, y_test = run.data[1], run.data[3]
    wrong = np.flatnonzero(net.predicted != y_test)[:N_MISCLASSIFIED]
    return X_test[wrong], [f"{y_test[j]} → {net.predicted[j]}" for j in wrong]


def wrong_draft(run: TrainingRun, net, label: str):
    images, captions = wrong(run, net)
    return digit_images_figure.draft(
        images,
        captions,
        title=f"Misclassified: {label}<br><sup>true → predicted digit</sup>",
        slots=N_MISCLASSIFIED,
    )


def live_frames(run: TrainingRun, frame: Frame, losses, labels, class_names, unit, target) -> dict:
    """What moves every chart to ``frame`` in the browser (the figure builders' numbers only)."""
    frames = {
        "train_accuracy": live_frame(accuracy_draft(frame, labels, target), layout=CURVES_LIVE_LAYOUT),
        "train_loss": live_frame(loss_draft(frame, losses, labels, unit), layout=CURVES_LIVE_LAYOUT),
        "train_grads": live_frame(norms_draft(frame, labels), layout=NORMS_LIVE_LAYOUT),
    }
    for i, (net, label) in enumerate(zip(frame.nets, labels, strict=True)):
        if net.grid is None and net.predicted is None:
            continue  # its outputs overflow: nothing to draw (the chart stays; paused, a warning says why)
        if run.spec.two_d:
            draft = regions_draft(run, net, label, class_names, hover=False)
            frames[f"train_regions_{i}"] = live_frame(draft, traces=False, layout=REGIONS_LIVE_LAYOUT)
        else:
            draft = confusion_draft(run, net, label, class_names)
            frames[f"train_confusion_{i}"] = live_frame(
                draft, traces=False, restyle=("z", "text", "customdata")
            )
            captions = tuple(f"annotations[{k}].text" for k in range(N_MISCLASSIFIED))
            draft = wrong_draft(run, net, label)
            frames[f"train_wrong_{i}"] = live_frame(draft, traces=False, restyle=("z",), layout=captions)
    return frames
