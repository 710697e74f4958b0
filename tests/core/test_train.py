"""core.train: mini-batch SGD with momentum on core.MLP, and the helpers the training page draws from."""

import math

import numpy as np
import pytest

from core.data import load_digits, make_dataset, train_test_split
from core.mlp import MLP
from core.train import (
    Trainer,
    confusion_matrix,
    decision_grid,
    epochs_to_reach,
    evaluate,
    fit,
    loss_scale,
    predict,
    race_summary,
)


@pytest.fixture(scope="module")
def spiral():
    return make_dataset("spiral", 300, noise=0.1, seed=0)


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits()
    return train_test_split(X, y, 0.2, seed=0)


def _stop_at(target: float, key: str = "accuracy"):
    """A callback that stops training once ``history[key]`` reaches ``target`` (keeps the tests quick)."""
    return lambda epoch, history: history[key][-1] < target


# ------------------------------------------------------------------------------------------ it learns
def test_fit_learns_the_spiral_to_95_percent(spiral):
    X, y = spiral
    history = fit(MLP([2, 64, 64, 3], seed=0), X, y, lr=0.1, momentum=0.9, epochs=30, seed=0)
    assert max(history["accuracy"]) >= 0.95
    assert history["accuracy"][-1] >= 0.95
    assert history["loss"][-1] < history["initial"]["loss"] / 3


def test_fit_reaches_93_percent_test_accuracy_on_the_digits_within_30_epochs(digits_split):
    X_train, X_test, y_train, y_test = digits_split
    history = fit(
        MLP([64, 64, 10], seed=0),
        X_train,
        y_train,
        lr=0.1,
        momentum=0.9,
        epochs=30,
        X_test=X_test,
        y_test=y_test,
        callback=_stop_at(0.95, "test_accuracy"),
    )
    reached = epochs_to_reach(history, 0.93, key="test_accuracy")
    assert reached is not None
    assert reached <= 30
    assert history["test_accuracy"][reached - 1] >= 0.93


# ------------------------------------------------------------------------------------------ the claim
@pytest.mark.parametrize(("lr", "momentum"), [(0.1, 0.0), (0.3, 0.0), (0.1, 0.9)])
def test_cross_entropy_reaches_90_percent_on_the_spiral_before_softmax_mse(spiral, lr, momentum):
    """Seed 003's claim, measured: same data, same initial weights, same batches, only the loss differs."""
    X, y = spiral
    start = MLP([2, 64, 64, 3], seed=0)
    reached = {}
    for loss in ("cross_entropy", "softmax_mse"):
        history = fit(
            start.copy(), X, y, loss=loss, lr=lr, momentum=momentum, epochs=150, callback=_stop_at(0.9)
        )
        reached[loss] = epochs_to_reach(history, 0.9)
    assert reached["cross_entropy"] is not None
    assert reached["softmax_mse"] is not None
    assert reached["cross_entropy"] < reached["softmax_mse"], reached


def test_the_claim_fails_with_a_large_learning_rate_and_momentum():
    """At lr 1 with momentum 0.9 cross-entropy's big steps switch off every ReLU; softmax-MSE still learns.

    The training page's default network and data (400 spiral points, 20 % held out, [2, 32, 32, 3],
    seed 0); the page tells students to try this, so this keeps its sentence true.
    """
    X, y = make_dataset("spiral", 400, noise=0.1, seed=0)
    X_train, _, y_train, _ = train_test_split(X, y, 0.2, seed=0)
    start = MLP([2, 32, 32, 3], seed=0)
    ce = fit(start.copy(), X_train, y_train, loss="cross_entropy", lr=1.0, momentum=0.9, epochs=30)
    mse = fit(start.copy(), X_train, y_train, loss="softmax_mse", lr=1.0, momentum=0.9, epochs=30)
    assert epochs_to_reach(ce, 0.9) is None
    assert ce["accuracy"][-1] == pytest.approx(1 / 3, abs=0.01)  # one class everywhere: chance
    assert ce["grad_norm"]["W1"][-1] == 0.0  # dead: no gradient reaches the first layer
    assert not ce["diverged"]
    assert epochs_to_reach(mse, 0.9) is not None


# ------------------------------------------------------------------------------------------ the update
def _full_batch_manual(net: MLP, X, y, lr: float, momentum: float, steps: int) -> dict:
    """Heavy-ball SGD written out: v ← μ v + g, θ ← θ − η v, on the full batch."""
    params = {k: v.copy() for k, v in net.params.items()}
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    work = net.copy()
    for _ in range(steps):
        work.params = {k: v.copy() for k, v in params.items()}
        _, grads = work.loss_and_grads(X, y)
        for k in params:
            velocity[k] = momentum * velocity[k] + grads[k]
            params[k] = params[k] - lr * velocity[k]
    return params


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_full_batch_epochs_are_heavy_ball_steps(spiral, momentum):
    X, y = spiral
    net = MLP([2, 8, 3], seed=1)
    expected = _full_batch_manual(net, X, y, lr=0.2, momentum=momentum, steps=3)
    trainer = Trainer(net.copy(), X, y, lr=0.2, momentum=momentum, batch_size=len(y))
    for _ in range(3):
        trainer.step_epoch()
    for key, value in expected.items():
        np.testing.assert_allclose(trainer.net.params[key], value, rtol=1e-12, atol=1e-14)


@pytest.mark.torch
def test_minibatch_sgd_with_momentum_matches_torch_optim_sgd(spiral):
    torch = pytest.importorskip("torch")
    X, y = spiral
    net = MLP([2, 16, 16, 3], seed=2)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 16, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 16, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.Linear(16, 3, dtype=torch.float64),
    )
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for k, linear in enumerate(linears, start=1):
            linear.weight.copy_(torch.from_numpy(net.params[f"W{k}"].T.copy()))
            linear.bias.copy_(torch.from_numpy(net.params[f"b{k}"]))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    trainer = Trainer(net, X, y, lr=0.05, momentum=0.9, batch_size=32, seed=3)
    order_rng = np.random.default_rng(3)  # the trainer's shuffling, replayed for torch
    for _ in range(2):
        order = order_rng.permutation(len(y))
        for start in range(0, len(y), 32):
            rows = order[start : start + 32]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(
                model(torch.from_numpy(X[rows])), torch.from_numpy(y[rows])
            )
            loss.backward()
            optimizer.step()
        trainer.step_epoch()
    for k, linear in enumerate(linears, start=1):
        np.testing.assert_allclose(trainer.net.params[f"W{k}"], linear.weight.detach().numpy().T, atol=1e-10)
        np.testing.assert_allclose(trainer.net.params[f"b{k}"], linear.bias.detach().numpy(), atol=1e-10)


def test_history_records_end_of_epoch_loss_accuracy_and_mean_gradient_norms(spiral):
    X, y = spiral
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, seed=0)
    net = MLP([2, 8, 8, 3], seed=0)
    first_grads = net.copy().loss_and_grads(X_train, y_train)[1]
    trainer = Trainer(net, X_train, y_train, lr=0.1, batch_size=len(y_train), X_test=X_test, y_test=y_test)
    row = trainer.step_epoch()

    assert sorted(trainer.history) == ["accuracy", "epoch", "grad_norm", "loss", "test_accuracy", "test_loss"]
    assert trainer.history["epoch"] == [1]
    # One full batch: the epoch's mean gradient norm is the norm of the first gradient.
    for key in ("W1", "W2", "W3"):
        assert trainer.history["grad_norm"][key] == [pytest.approx(float(np.linalg.norm(first_grads[key])))]
    assert (row["loss"], row["accuracy"]) == pytest.approx(evaluate(net, X_train, y_train))
    assert (row["test_loss"], row["test_accuracy"]) == pytest.approx(evaluate(net, X_test, y_test))
    assert trainer.initial["loss"] == pytest.approx(math.log(3), abs=0.5)


def test_history_has_no_test_keys_without_a_test_set(spiral):
    X, y = spiral
    history = fit(MLP([2, 4, 3]), X, y, epochs=2)
    assert "test_loss" not in history
    assert "test_accuracy" not in history
    assert len(history["loss"]) == len(history["accuracy"]) == len(history["grad_norm"]["W2"]) == 2


def test_training_is_deterministic_for_a_seed(spiral):
    X, y = spiral
    runs = [fit(MLP([2, 16, 3], seed=0), X, y, epochs=4, seed=5) for _ in range(2)]
    other = fit(MLP([2, 16, 3], seed=0), X, y, epochs=4, seed=6)
    assert runs[0]["loss"] == runs[1]["loss"]
    assert runs[0]["grad_norm"] == runs[1]["grad_norm"]
    assert runs[0]["loss"] != other["loss"]  # another shuffling seed, other batches


def test_callback_returning_false_stops_and_none_continues(spiral):
    X, y = spiral
    seen = []

    def callback(epoch, history):
        seen.append((epoch, len(history["epoch"])))
        return False if epoch == 3 else None

    history = fit(MLP([2, 4, 3]), X, y, epochs=10, callback=callback)
    assert len(history["epoch"]) == 3
    assert seen == [(1, 1), (2, 2), (3, 3)]
    assert len(fit(MLP([2, 4, 3]), X, y, epochs=4, callback=lambda e, h: None)["epoch"]) == 4


@pytest.mark.parametrize(
    "loss, kwargs",
    [
        ("focal", {"gamma": 2.0}),
        ("multi_margin", {"margin": 1.0}),
        ("cross_entropy", {"label_smoothing": 0.1}),
        ("softmax_mse", {}),
    ],
)
def test_every_page_loss_trains(spiral, loss, kwargs):
    X, y = spiral
    history = fit(MLP([2, 32, 3], seed=0), X, y, loss=loss, lr=0.3, momentum=0.9, epochs=15, **kwargs)
    assert history["accuracy"][-1] > history["initial"]["accuracy"] + 0.2
    assert history["loss"][-1] < history["initial"]["loss"]


def test_float32_networks_train_in_float32(spiral):
    X, y = spiral
    trainer = Trainer(MLP([2, 16, 3], dtype=np.float32), X, y, lr=0.3)
    trainer.step_epoch()
    assert all(p.dtype == np.float32 for p in trainer.net.params.values())
    assert trainer.X.dtype == np.float32
    assert trainer.history["accuracy"][-1] > trainer.initial["accuracy"]


def test_a_diverging_network_stops_with_finite_parameters(spiral):
    X, y = spiral
    net = MLP([2, 16, 16, 3], seed=0)
    history = fit(net, X, y, lr=1e30, epochs=5)
    assert history["diverged"]
    assert len(history["epoch"]) < 5
    assert all(np.isfinite(p).all() for p in net.params.values())


def test_a_diverged_trainer_does_nothing_more(spiral):
    X, y = spiral
    trainer = Trainer(MLP([2, 16, 3], seed=0), X, y, lr=1e30)
    while trainer.step_epoch() is not None:
        pass
    epochs = trainer.epoch
    assert trainer.diverged
    assert trainer.step_epoch() is None
    assert trainer.epoch == epochs


def test_hyperparameters_change_between_epochs(spiral):
    X, y = spiral
    trainer = Trainer(MLP([2, 8, 3]), X, y, lr=0.1, momentum=0.9)
    trainer.step_epoch()
    trainer.set_hyperparameters(lr=0.01, momentum=0.0, batch_size=64)
    assert (trainer.lr, trainer.momentum, trainer.batch_size) == (0.01, 0.0, 64)
    assert all(not v.any() for v in trainer.velocity.values())  # plain SGD keeps no momentum buffer
    trainer.step_epoch()
    assert trainer.epoch == 2


def test_a_restored_checkpoint_continues_bit_for_bit(spiral):
    X, y = spiral
    original = Trainer(MLP([2, 8, 3], seed=0), X, y, lr=0.3, momentum=0.9, batch_size=16, seed=5)
    original.step_epoch()
    original.step_epoch()
    saved, history = original.checkpoint(), original.history
    # Another start and another seed: everything the next epochs depend on comes from the checkpoint.
    copy = Trainer(MLP([2, 8, 3], seed=7), X, y, lr=0.01, batch_size=64, seed=1)
    copy.restore(saved, history)
    assert copy.epoch == 2
    for _ in range(3):
        assert copy.step_epoch() == original.step_epoch()
    assert copy.history == original.history
    for key, value in original.net.params.items():
        np.testing.assert_array_equal(copy.net.params[key], value)


def test_a_checkpoint_is_a_copy_and_restore_keeps_it_unchanged(spiral):
    X, y = spiral
    trainer = Trainer(MLP([2, 8, 3], seed=0), X, y, momentum=0.9)
    trainer.step_epoch()
    saved = trainer.checkpoint()
    before = {key: value.copy() for key, value in saved["params"].items()}
    trainer.step_epoch()  # trains on: the checkpoint must not move with it
    other = Trainer(MLP([2, 8, 3], seed=0), X, y)
    other.restore(saved, trainer.history)
    other.step_epoch()  # and training the restored one does not touch the checkpoint either
    for key, value in before.items():
        np.testing.assert_array_equal(saved["params"][key], value)
    assert other.history["loss"] == trainer.history["loss"]  # the first epoch's history, then epoch 2 again


def test_restore_needs_a_history_that_holds_the_checkpoints_epochs(spiral):
    X, y = spiral
    trainer = Trainer(MLP([2, 8, 3], seed=0), X, y)
    trainer.step_epoch()
    saved = trainer.checkpoint()
    fresh = Trainer(MLP([2, 8, 3], seed=0), X, y)
    with pytest.raises(ValueError, match="history must hold the checkpoint's 1 epochs; got 0"):
        fresh.restore(saved, fresh.history)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": 0.0}, r"lr must be in \(0, inf\]"),
        ({"lr": float("inf")}, "lr must be finite"),
        ({"momentum": 1.0}, r"momentum must be in \[0, 1\)"),
        ({"batch_size": 0}, r"batch_size must be an integer in \[1, inf\)"),
        ({"batch_size": 2.5}, "batch_size must be an integer"),
        ({"epochs": -1}, "epochs must be an integer in"),
        ({"seed": -2}, "seed must be an integer in"),
        ({"loss": "mse"}, "loss must be one of"),
        ({"callback": 3}, "callback must be callable"),
        ({"gamma": 2.0}, "unexpected keyword"),
        ({"X_test": np.zeros((2, 2))}, "X_test and y_test must be given together"),
    ],
)
def test_fit_rejects_bad_arguments(spiral, kwargs, message):
    X, y = spiral
    with pytest.raises(ValueError, match=message):
        fit(MLP([2, 4, 3]), X, y, **kwargs)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (np.zeros((5, 3)), np.zeros(5, int), r"X must have 2 columns, the network's input size"),
        (np.zeros((5, 2)), np.zeros(4, int), r"y must have shape \(5,\)"),
        (np.zeros((5, 2)), np.zeros(5), "y must hold integer class indices"),
        (
            np.zeros((5, 2)),
            np.array([0, 1, 2, 3, 0]),
            r"y class indices must be in \[0, 3\).*got 3 at position 3",
        ),
        (np.zeros((0, 2)), np.zeros(0, int), "X must be a 2-D array"),
        (np.full((5, 2), np.inf), np.zeros(5, int), "X must be finite"),
    ],
)
def test_trainer_rejects_data_that_does_not_fit_the_network(X, y, message):
    with pytest.raises(ValueError, match=message):
        Trainer(MLP([2, 4, 3]), X, y)


# ------------------------------------------------------------------------------------------ helpers
def test_decision_grid_covers_the_points_and_matches_the_network():
    net = MLP([2, 8, 3], seed=0)
    X = np.array([[-1.0, -2.0], [3.0, 2.0]])
    grid = decision_grid(net, X, resolution=7)
    assert grid["x"][0] == pytest.approx(-1.4)
    assert grid["x"][-1] == pytest.approx(3.4)
    assert grid["y"][0] == pytest.approx(-2.4)
    assert grid["y"][-1] == pytest.approx(2.4)
    gx, gy = np.meshgrid(grid["x"], grid["y"])
    points = np.column_stack([gx.ravel(), gy.ravel()])
    np.testing.assert_array_equal(grid["classes"], net.predict(points).reshape(7, 7))
    np.testing.assert_allclose(grid["confidence"], net.predict_proba(points).max(axis=1).reshape(7, 7))
    assert grid["confidence"].min() >= 1 / 3


@pytest.mark.parametrize(
    ("sizes", "X", "resolution", "message"),
    [
        ([3, 4, 2], np.zeros((2, 3)), 10, "need a network with 2 inputs"),
        ([2, 4, 2], np.zeros((2, 3)), 10, r"X must be a 2-D array \(n, 2\)"),
        ([2, 4, 2], np.zeros((2, 2)), 1, r"resolution must be an integer in \[2, 200\]"),
        ([2, 4, 2], np.zeros((2, 2)), 201, "resolution must be an integer in"),
    ],
)
def test_decision_grid_rejects_bad_input(sizes, X, resolution, message):
    with pytest.raises(ValueError, match=message):
        decision_grid(MLP(sizes), X, resolution)


def test_predict_rejects_a_network_with_infinite_outputs():
    net = MLP([2, 2], seed=0)
    net.params["W1"][...] = 1e308
    with pytest.raises(ValueError, match="not finite"):
        predict(net, [[10.0, 10.0]])


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    cm = confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)
    assert cm.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert confusion_matrix([], [], 2).tolist() == [[0, 0], [0, 0]]


@pytest.mark.parametrize(
    ("y_true", "y_pred", "message"),
    [
        ([0, 3], [0, 1], r"y_true class indices must be in \[0, 3\); got 3 at position 1"),
        ([0, 1], [0, -1], "y_pred class indices must be in"),
        ([0, 1], [0], "same length"),
        ([0.0, 1.0], [0, 1], "integer class indices"),
    ],
)
def test_confusion_matrix_rejects_bad_labels(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(y_true, y_pred, 3)


def test_epochs_to_reach_finds_the_first_epoch_at_or_above_the_target():
    history = {
        "epoch": [1, 2, 3, 4],
        "accuracy": [0.5, 0.9, 0.85, 0.95],
        "test_accuracy": [0.1, 0.2, 0.3, 0.4],
    }
    assert epochs_to_reach(history, 0.9) == 2
    assert epochs_to_reach(history, 0.96) is None
    assert epochs_to_reach(history, 0.3, key="test_accuracy") == 3
    with pytest.raises(ValueError, match="history must hold"):
        epochs_to_reach(history, 0.9, key="loss")


@pytest.mark.parametrize(
    ("labels", "reached", "claim", "expected"),
    [
        (["CE"], [5], None, "**CE** reached 90 % at epoch 5."),
        (["CE"], [None], None, "**CE** has not reached 90 % in 20 epochs."),
        (["A", "B"], [None, None], (0, 1), "Neither run has reached 90 % in 20 epochs yet."),
        (["A", "B"], [7, 7], (0, 1), "**A** and **B** both reached 90 % at epoch 7: a tie. No difference"),
        (["MSE", "CE"], [30, 12], (1, 0), "**CE** reached 90 % at epoch 12, **MSE** at epoch 30: CE was 18"),
        (["CE", "MSE"], [12, 30], (0, 1), "As claimed, cross-entropy trained faster here."),
        (
            ["CE", "MSE"],
            [30, 12],
            (0, 1),
            "Here the claim that cross-entropy trains faster does **not** hold.",
        ),
        (
            ["CE", "focal"],
            [None, 4],
            None,
            "**focal** reached 90 % at epoch 4; **CE** has not reached it in 20",
        ),
    ],
)
def test_race_summary_says_who_got_there_first(labels, reached, claim, expected):
    text = race_summary(labels, reached, 20, 0.9, claim=claim)
    assert expected in text
    if claim is None:
        assert "claim" not in text


def test_race_summary_says_one_epoch_not_one_epochs():
    assert race_summary(["A", "B"], [None, None], 1, 0.9) == "Neither run has reached 90 % in 1 epoch yet."
    assert race_summary(["A"], [None], 1, 0.9) == "**A** has not reached 90 % in 1 epoch."
    assert "A was 1 epoch faster." in race_summary(["A", "B"], [3, 4], 5, 0.9)


def test_loss_scale_converts_only_logarithmic_losses_to_bits():
    assert loss_scale("cross_entropy", "bits") == pytest.approx(1 / math.log(2))
    assert loss_scale("focal", "bits") == pytest.approx(1 / math.log(2))
    assert loss_scale("softmax_mse", "bits") == 1.0
    assert loss_scale("multi_margin", "bits") == 1.0
    assert loss_scale("cross_entropy", "nats") == 1.0
    with pytest.raises(ValueError, match="units must be"):
        loss_scale("cross_entropy", "shannons")
