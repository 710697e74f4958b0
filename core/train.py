"""Training a :class:`core.MLP` with mini-batch SGD and momentum, one epoch at a time or in one call.

- :class:`Trainer` holds a network, its data, the optimiser's state (the momentum buffers and the
  shuffling generator) and the history; :meth:`Trainer.step_epoch` trains one epoch, so a page can
  train live, an epoch per rerun.
- :func:`fit` trains for a number of epochs (built on :class:`Trainer`) and returns the history.
- :func:`evaluate`, :func:`predict`, :func:`decision_grid`, :func:`confusion_matrix` and
  :func:`epochs_to_reach` read a network and a history for the charts.

The update is PyTorch's ``torch.optim.SGD`` with momentum μ (dampening 0, no Nesterov, no weight decay),
on the gradient ``g`` of the batch-mean loss that ``net.backward`` returns:

.. math:: v \\leftarrow \\mu v + g, \\qquad \\theta \\leftarrow \\theta - \\eta\\, v

(``v`` starts at 0, so the first step is plain SGD; μ = 0 is plain SGD throughout).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from core._validation import as_float_array, check_int, check_scalar
from core.functional import softmax
from core.losses import cross_entropy, focal_loss, multi_margin_loss, softmax_mse_loss

__all__ = [
    "LOSS_FUNCTIONS",
    "Trainer",
    "confusion_matrix",
    "decision_grid",
    "epochs_to_reach",
    "evaluate",
    "fit",
    "loss_scale",
    "predict",
    "race_summary",
]

#: The losses a network can be trained with (the names ``net.backward`` accepts) and their value functions.
LOSS_FUNCTIONS: dict[str, Callable] = {
    "cross_entropy": cross_entropy,
    "softmax_mse": softmax_mse_loss,
    "focal": focal_loss,
    "multi_margin": multi_margin_loss,
}
#: Losses that are a (weighted) −log p, so they have a unit: nats, or bits after dividing by ln 2.
LOGARITHMIC_LOSSES = frozenset({"cross_entropy", "focal"})

MAX_GRID = 200


def _layer_count(net) -> int:
    return sum(1 for key in net.params if key.startswith("W"))


def _net_shape(net) -> tuple[int, int, np.dtype]:
    """(inputs, classes, dtype) of a network, read from its parameters."""
    n_layers = _layer_count(net)
    first, last = net.params["W1"], net.params[f"W{n_layers}"]
    return first.shape[0], last.shape[1], first.dtype


def _check_data(net, X, y, x_name: str = "X", y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """Validate inputs ``X (n, d)`` and labels ``y (n,)`` for ``net``; return them as net dtype and intp."""
    n_in, n_classes, dtype = _net_shape(net)
    X = as_float_array(X, x_name)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"{x_name} must be a 2-D array (n, {n_in}) with n >= 1; got shape {X.shape}")
    if X.shape[1] != n_in:
        raise ValueError(f"{x_name} must have {n_in} columns, the network's input size; got shape {X.shape}")
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{y_name} must hold integer class indices; got dtype {y.dtype}")
    if y.shape != X.shape[:1]:
        raise ValueError(
            f"{y_name} must have shape ({X.shape[0]},), one label per row of {x_name}; got shape {y.shape}"
        )
    bad = (y < 0) | (y >= n_classes)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{y_name} class indices must be in [0, {n_classes}) (the network has {n_classes} outputs); "
            f"got {int(y[pos])} at position {pos}"
        )
    return X.astype(dtype, copy=False), y.astype(np.intp, copy=False)


def _check_loss(loss) -> str:
    if loss not in LOSS_FUNCTIONS:
        raise ValueError(f"loss must be one of {sorted(LOSS_FUNCTIONS)}; got {loss!r}")
    return loss


def _evaluate(net, X, y, loss, loss_kwargs) -> tuple[float, float]:
    with np.errstate(over="ignore", invalid="ignore"):
        logits = net.forward(X)
    if not np.isfinite(logits).all():
        return math.nan, math.nan
    try:
        value = float(LOSS_FUNCTIONS[loss](logits, y, **loss_kwargs))
    except TypeError as exc:  # an option the loss does not have
        raise ValueError(f"{loss}: {exc}") from None
    accuracy = float(np.mean(logits.argmax(axis=1) == y))
    return value, accuracy


def evaluate(net, X, y, *, loss: str = "cross_entropy", **loss_kwargs) -> tuple[float, float]:
    """The batch-mean loss and the accuracy of ``net`` on ``X, y``.

    Parameters
    ----------
    net : core.MLP
    X : array_like ``(n, d)``
    y : array_like of int ``(n,)``
    loss : {"cross_entropy", "softmax_mse", "focal", "multi_margin"}, default "cross_entropy"
    **loss_kwargs
        The loss's options (``label_smoothing``, ``weight``, ``gamma``, ``margin``, ...).

    Returns
    -------
    (loss, accuracy) : floats
        Both NaN if the network's outputs are not finite (a diverged network).

    Examples
    --------
    >>> from core.mlp import MLP
    >>> net = MLP([2, 3], seed=0)
    >>> loss, accuracy = evaluate(net, [[0.0, 0.0]], [1])
    >>> round(loss, 6) == round(float(np.log(3)), 6), accuracy   # zero input, zero biases: uniform
    (True, 0.0)
    """
    _check_loss(loss)
    X, y = _check_data(net, X, y)
    return _evaluate(net, X, y, loss, loss_kwargs)


class Trainer:
    """Mini-batch SGD with momentum on a :class:`core.MLP`, one epoch per :meth:`step_epoch`.

    Each epoch shuffles the training set with the trainer's ``np.random.default_rng(seed)``, cuts it into
    batches of ``batch_size`` (the last one may be smaller), and for each batch takes the gradient of the
    batch-mean loss from ``net.backward`` and updates every parameter in place (see the module docstring).
    After the epoch it records, in :attr:`history`:

    - ``"epoch"``: the epoch's number (1, 2, ...);
    - ``"loss"``, ``"accuracy"``: the loss and accuracy on the whole training set at the end of the epoch
      (not the running mean over the epoch's batches, which mixes weights from different steps);
    - ``"test_loss"``, ``"test_accuracy"``: the same on the test set, if one was given;
    - ``"grad_norm"``: for each weight matrix ``"W1"``, ``"W2"``, ..., the mean over the epoch's batches of
      the Frobenius (L2) norm of its gradient ‖∂L/∂W_l‖.

    :attr:`initial` holds the loss and accuracy before any training (epoch 0).

    If the outputs of the network stop being finite (too large a learning rate), the epoch is abandoned,
    the parameters are restored to their values at the start of that epoch, :attr:`diverged` becomes True
    and further calls to :meth:`step_epoch` do nothing. Same arguments and seed give the same history.

    Parameters
    ----------
    net : core.MLP
        Trained in place.
    X : array_like ``(n, d)``
        Training inputs, ``d`` the network's input size; cast to the network's float dtype.
    y : array_like of int ``(n,)``
        Training labels in ``[0, C)``, C the network's output size.
    loss : {"cross_entropy", "softmax_mse", "focal", "multi_margin"}, default "cross_entropy"
    lr : float > 0, default 0.1
        Learning rate η.
    momentum : float in [0, 1), default 0.0
        Momentum μ.
    batch_size : int >= 1, default 32
        A batch size above n means full-batch gradient descent.
    seed : int >= 0, default 0
        Seed of the shuffling.
    X_test, y_test : array_like, optional
        A test set, evaluated after every epoch (never trained on). Give both or neither.
    **loss_kwargs
        Options of the loss (``label_smoothing``, ``weight``, ``gamma``, ``margin``, ...).

    Examples
    --------
    >>> from core.mlp import MLP
    >>> from core.data import make_dataset
    >>> X, y = make_dataset("blobs", 90, seed=0)
    >>> trainer = Trainer(MLP([2, 8, 3], seed=0), X, y, lr=0.5, batch_size=16, seed=0)
    >>> for _ in range(5):
    ...     row = trainer.step_epoch()
    >>> trainer.epoch, trainer.history["epoch"], trainer.history["accuracy"][-1] > 0.9
    (5, [1, 2, 3, 4, 5], True)
    >>> sorted(trainer.history["grad_norm"])
    ['W1', 'W2']
    """

    def __init__(
        self,
        net,
        X,
        y,
        *,
        loss: str = "cross_entropy",
        lr: float = 0.1,
        momentum: float = 0.0,
        batch_size: int = 32,
        seed: int = 0,
        X_test=None,
        y_test=None,
        **loss_kwargs,
    ):
        self.loss = _check_loss(loss)
        self.X, self.y = _check_data(net, X, y)
        if (X_test is None) != (y_test is None):
            raise ValueError("X_test and y_test must be given together (or both left out)")
        if X_test is not None:
            self.X_test, self.y_test = _check_data(net, X_test, y_test, "X_test", "y_test")
        else:
            self.X_test = self.y_test = None
        self.net = net
        self.loss_kwargs = dict(loss_kwargs)
        self.set_hyperparameters(lr=lr, momentum=momentum, batch_size=batch_size)
        self.seed = check_int(seed, "seed", low=0)
        self.rng = np.random.default_rng(self.seed)
        self.velocity = {key: np.zeros_like(value) for key, value in net.params.items()}
        self.weight_keys = [f"W{layer}" for layer in range(1, _layer_count(net) + 1)]
        self.history: dict = {"epoch": [], "loss": [], "accuracy": []}
        if self.X_test is not None:
            self.history |= {"test_loss": [], "test_accuracy": []}
        self.history["grad_norm"] = {key: [] for key in self.weight_keys}
        self.diverged = False
        # Evaluating once here also validates the loss's options before any training.
        loss0, acc0 = _evaluate(net, self.X, self.y, self.loss, self.loss_kwargs)
        self.initial: dict[str, float] = {"loss": loss0, "accuracy": acc0}
        if self.X_test is not None:
            test_loss0, test_acc0 = _evaluate(net, self.X_test, self.y_test, self.loss, self.loss_kwargs)
            self.initial |= {"test_loss": test_loss0, "test_accuracy": test_acc0}

    @property
    def epoch(self) -> int:
        """The number of epochs trained so far."""
        return len(self.history["epoch"])

    def set_hyperparameters(self, *, lr=None, momentum=None, batch_size=None) -> None:
        """Change the learning rate, momentum or batch size; they apply from the next epoch on.

        The momentum buffers and the history are kept, so a running training continues.
        """
        if lr is not None:
            self.lr = check_scalar(lr, "lr", low=0.0, low_open=True)
        if momentum is not None:
            self.momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0, high_open=True)
            if self.momentum == 0 and hasattr(self, "velocity"):  # plain SGD keeps no buffer (as PyTorch)
                for buffer in self.velocity.values():
                    buffer[...] = 0
        if batch_size is not None:
            self.batch_size = check_int(batch_size, "batch_size", low=1)

    def step_epoch(self) -> dict | None:
        """Train one epoch and append its results to :attr:`history`.

        Returns
        -------
        dict or None
            The new epoch's row (``"epoch"``, ``"loss"``, ``"accuracy"``, ``"test_*"`` if there is a test
            set, and ``"grad_norm"`` as a dict per weight matrix), or None if the network diverged (now or
            earlier), in which case nothing is appended.
        """
        if self.diverged:
            return None
        net, params, velocity = self.net, self.net.params, self.velocity
        lr, momentum, n = self.lr, self.momentum, self.X.shape[0]
        batch = min(self.batch_size, n)
        snapshot = {key: value.copy() for key, value in params.items()}
        order = self.rng.permutation(n)
        X, y = self.X[order], self.y[order]  # one copy per epoch; the batches below are views
        norm_sums = dict.fromkeys(self.weight_keys, 0.0)
        steps = 0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for start in range(0, n, batch):
                logits = net.forward(X[start : start + batch])
                if not np.isfinite(logits).all():
                    self._diverge(snapshot)
                    return None
                grads = net.backward(y[start : start + batch], loss=self.loss, **self.loss_kwargs)
                for key in self.weight_keys:
                    flat = grads[key].ravel()  # ‖g‖ as √(g·g): the cheapest way numpy has
                    norm_sums[key] += math.sqrt(float(np.dot(flat, flat)))
                for key, grad in grads.items():
                    if momentum:
                        step = velocity[key]
                        step *= momentum
                        step += grad
                    else:
                        step = grad
                    params[key] -= lr * step
                steps += 1
        row: dict = {"epoch": self.epoch + 1}
        row["loss"], row["accuracy"] = _evaluate(net, self.X, self.y, self.loss, self.loss_kwargs)
        if self.X_test is not None:
            row["test_loss"], row["test_accuracy"] = _evaluate(
                net, self.X_test, self.y_test, self.loss, self.loss_kwargs
            )
        if not math.isfinite(row["loss"]):
            self._diverge(snapshot)
            return None
        row["grad_norm"] = {key: norm_sums[key] / steps for key in self.weight_keys}
        for key, value in row.items():
            if key == "grad_norm":
                for layer, norm in value.items():
                    self.history["grad_norm"][layer].append(norm)
            else:
                self.history[key].append(value)
        return row

    def _diverge(self, snapshot: dict) -> None:
        for key, value in snapshot.items():
            self.net.params[key][...] = value
            self.velocity[key][...] = 0
        self.diverged = True

    def checkpoint(self) -> dict:
        """A copy of the state the next epochs depend on: parameters, momentum buffers and shuffling.

        With :meth:`restore`, a trainer of the same network, data and loss continues exactly as this one
        would (the same numbers, bit for bit); ``core.train_runs`` keeps checkpoints to branch a run.

        Returns
        -------
        dict
            ``"params"``, ``"velocity"`` (copies of each array), ``"rng"`` (the generator's state),
            ``"epoch"`` (epochs trained), ``"diverged"`` and the hyperparameters ``"lr"``,
            ``"momentum"``, ``"batch_size"``.

        Examples
        --------
        >>> from core.mlp import MLP
        >>> from core.data import make_dataset
        >>> X, y = make_dataset("blobs", 60, seed=0)
        >>> a = Trainer(MLP([2, 4, 3], seed=0), X, y, momentum=0.9)
        >>> _ = a.step_epoch()
        >>> b = Trainer(MLP([2, 4, 3], seed=1), X, y, momentum=0.9)
        >>> b.restore(a.checkpoint(), a.history)
        >>> a.step_epoch() == b.step_epoch()
        True
        """
        return {
            "params": {key: value.copy() for key, value in self.net.params.items()},
            "velocity": {key: value.copy() for key, value in self.velocity.items()},
            "rng": self.rng.bit_generator.state,
            "epoch": self.epoch,
            "diverged": self.diverged,
            "lr": self.lr,
            "momentum": self.momentum,
            "batch_size": self.batch_size,
        }

    def restore(self, checkpoint: dict, history: dict) -> None:
        """Continue from a :meth:`checkpoint` of a trainer of the same network shape, data and loss.

        Parameters
        ----------
        checkpoint : dict
            From :meth:`checkpoint` (not modified: its arrays are copied in).
        history : dict
            A history (:attr:`history`) holding at least the checkpoint's epochs; its first
            ``checkpoint["epoch"]`` entries become this trainer's history.
        """
        n = checkpoint["epoch"]
        if len(history["epoch"]) < n:
            raise ValueError(f"history must hold the checkpoint's {n} epochs; got {len(history['epoch'])}")
        for key, value in checkpoint["params"].items():
            self.net.params[key][...] = value
            self.velocity[key][...] = checkpoint["velocity"][key]
        self.rng.bit_generator.state = checkpoint["rng"]
        self.diverged = checkpoint["diverged"]
        self.lr, self.momentum, self.batch_size = (
            checkpoint["lr"],
            checkpoint["momentum"],
            checkpoint["batch_size"],
        )
        self.history = {
            key: ({k: list(v[:n]) for k, v in value.items()} if isinstance(value, dict) else list(value[:n]))
            for key, value in history.items()
        }


def fit(net, X, y, *, epochs: int = 10, callback: Callable | None = None, **options) -> dict:
    """Train ``net`` in place with mini-batch SGD and momentum; return the per-epoch history.

    A :class:`Trainer` made with ``options`` trains ``epochs`` epochs (see it for the update, the shuffling
    and what the history holds). After each epoch ``callback(epoch, history)`` is called (epoch counts
    from 1); if it returns ``False`` training stops. Training also stops early if the network diverges
    (``history["diverged"]`` is then True).

    Parameters
    ----------
    net : core.MLP
    X : array_like ``(n, d)``
    y : array_like of int ``(n,)``
    epochs : int >= 0, default 10
    callback : callable ``(epoch, history) -> bool | None``, optional
    **options
        :class:`Trainer`'s keyword arguments, with its defaults: ``loss``, ``lr``, ``momentum``,
        ``batch_size``, ``seed``, a test set ``X_test, y_test`` (evaluated after every epoch: adds
        ``"test_loss"`` and ``"test_accuracy"``) and the loss's options.

    Returns
    -------
    dict
        ``"epoch"``, ``"loss"``, ``"accuracy"`` (and ``"test_loss"``, ``"test_accuracy"``): lists with one
        entry per epoch trained; ``"grad_norm"``: ``{"W1": [...], ...}``, one list per weight matrix;
        ``"initial"``: loss and accuracy before training; ``"diverged"``: bool.

    Examples
    --------
    >>> from core.mlp import MLP
    >>> from core.data import make_dataset
    >>> X, y = make_dataset("moons", 200, seed=0)
    >>> history = fit(MLP([2, 16, 2], seed=0), X, y, lr=0.5, epochs=20, seed=0)
    >>> len(history["loss"]), history["loss"][-1] < history["initial"]["loss"]
    (20, True)
    >>> stop_at_3 = lambda epoch, history: epoch < 3
    >>> len(fit(MLP([2, 16, 2], seed=0), X, y, epochs=20, callback=stop_at_3)["epoch"])
    3
    """
    epochs = check_int(epochs, "epochs", low=0)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable or None; got {callback!r}")
    trainer = Trainer(net, X, y, **options)
    for _ in range(epochs):
        if trainer.step_epoch() is None:
            break
        if callback is not None and callback(trainer.epoch, trainer.history) is False:
            break
    return trainer.history | {"initial": dict(trainer.initial), "diverged": trainer.diverged}


def predict(net, X) -> tuple[np.ndarray, np.ndarray]:
    """Predicted classes ``(n,)`` and the softmax of the logits ``(n, C)`` of ``net`` on ``X (n, d)``.

    For a network trained with the hinge loss the softmax is not a calibrated probability; it still
    ranks the classes.

    Raises
    ------
    ValueError
        If the network's outputs are not finite.

    Examples
    --------
    >>> from core.mlp import MLP
    >>> classes, probs = predict(MLP([2, 4, 3], seed=0), np.zeros((5, 2)))
    >>> classes.shape, probs.shape, np.allclose(probs.sum(axis=1), 1)
    ((5,), (5, 3), True)
    """
    n_in, _, dtype = _net_shape(net)
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != n_in:
        raise ValueError(f"X must be a 2-D array (n, {n_in}); got shape {X.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        logits = net.forward(X.astype(dtype, copy=False))
    if not np.isfinite(logits).all():
        raise ValueError(
            "the network's outputs are not finite (it diverged); reset it or lower the learning rate"
        )
    return logits.argmax(axis=1), softmax(logits, axis=1)


def decision_grid(net, X, resolution: int = 80) -> dict[str, np.ndarray]:
    """The class a 2-input network predicts on a square grid covering the points ``X``, for decision regions.

    The grid spans the range of each coordinate of ``X`` padded by 10 % of the range (at least 0.1) on
    each side, with ``resolution`` points per axis.

    Parameters
    ----------
    net : core.MLP with 2 inputs
    X : array_like ``(n, 2)``
    resolution : int in [2, 200], default 80

    Returns
    -------
    dict
        ``"x"`` ``(r,)`` and ``"y"`` ``(r,)``: the grid's coordinates; ``"classes"`` ``(r, r)`` int: the
        predicted class at ``(x[j], y[i])`` in row i, column j; ``"confidence"`` ``(r, r)``: the largest
        softmax probability there.

    Examples
    --------
    >>> from core.mlp import MLP
    >>> grid = decision_grid(MLP([2, 4, 3], seed=0), [[-1.0, 0.0], [1.0, 2.0]], resolution=5)
    >>> grid["x"].round(2).tolist(), grid["classes"].shape
    ([-1.2, -0.6, 0.0, 0.6, 1.2], (5, 5))
    """
    n_in, _, _ = _net_shape(net)
    if n_in != 2:
        raise ValueError(f"decision regions need a network with 2 inputs; this one has {n_in}")
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a 2-D array (n, 2) with n >= 1; got shape {X.shape}")
    r = check_int(resolution, "resolution", low=2, high=MAX_GRID)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(0.1 * (hi - lo), 0.1)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], r)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], r)
    gx, gy = np.meshgrid(xs, ys)
    classes, probs = predict(net, np.column_stack([gx.ravel(), gy.ravel()]))
    return {
        "x": xs,
        "y": ys,
        "classes": classes.reshape(r, r),
        "confidence": probs.max(axis=1).reshape(r, r),
    }


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """Counts ``(C, C)``: entry ``[i, j]`` is the number of examples of class i predicted as class j.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], 3).tolist()
    [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    """
    C = check_int(n_classes, "n_classes", low=1)
    arrays = []
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        arr = np.asarray(labels)
        if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
            raise ValueError(
                f"{name} must be a 1-D array of integer class indices; got {arr.dtype} {arr.shape}"
            )
        bad = np.flatnonzero((arr < 0) | (arr >= C))
        if bad.size:
            raise ValueError(
                f"{name} class indices must be in [0, {C}); got {int(arr[bad[0]])} at position {bad[0]}"
            )
        arrays.append(arr.astype(np.intp))
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(
            f"y_true and y_pred must have the same length; got {arrays[0].size} and {arrays[1].size}"
        )
    return np.bincount(arrays[0] * C + arrays[1], minlength=C * C).reshape(C, C)


def epochs_to_reach(history: dict, target: float, key: str = "accuracy") -> int | None:
    """The first epoch whose ``history[key]`` is at least ``target``, or None if none is.

    Examples
    --------
    >>> epochs_to_reach({"epoch": [1, 2, 3], "accuracy": [0.5, 0.92, 0.97]}, 0.9)
    2
    >>> epochs_to_reach({"epoch": [1, 2], "accuracy": [0.5, 0.6]}, 0.9) is None
    True
    """
    target = check_scalar(target, "target")
    if key not in history or "epoch" not in history:
        raise ValueError(f"history must hold 'epoch' and {key!r} lists; got keys {sorted(history)}")
    for epoch, value in zip(history["epoch"], history[key], strict=True):
        if value >= target:
            return int(epoch)
    return None


def loss_scale(loss: str, units: str) -> float:
    """The factor that converts ``loss`` from nats to ``units``: 1/ln 2 for bits, 1 for nats.

    Only logarithmic losses (cross-entropy and focal) have a unit; the softmax-MSE and hinge losses are
    plain numbers and are never rescaled.

    Examples
    --------
    >>> round(loss_scale("cross_entropy", "bits"), 6), loss_scale("softmax_mse", "bits")
    (1.442695, 1.0)
    """
    _check_loss(loss)
    if units not in ("nats", "bits"):
        raise ValueError(f"units must be 'nats' or 'bits'; got {units!r}")
    return 1.0 / math.log(2.0) if units == "bits" and loss in LOGARITHMIC_LOSSES else 1.0


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def _epochs(n: int) -> str:
    """``n`` epochs in words: "1 epoch", "0 epochs", "12 epochs"."""
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def race_summary(
    labels: list[str],
    reached: list[int | None],
    epochs_trained: int,
    target: float,
    *,
    claim: tuple[int, int] | None = None,
) -> str:
    """One or two sentences (Markdown) on which run reached the target accuracy first, and when.

    Parameters
    ----------
    labels : list of str
        The runs' names (one or two).
    reached : list of (int or None)
        Per run, the first epoch at or above ``target`` (from :func:`epochs_to_reach`), None if not yet.
    epochs_trained : int
        Epochs trained so far (the same for every run).
    target : float in [0, 1]
    claim : (int, int), optional
        ``(i, j)``: run i is plain cross-entropy and run j a loss it is claimed to beat; adds whether
        the claim "cross-entropy trains faster" held in this race.

    Examples
    --------
    >>> print(race_summary(["CE", "MSE"], [11, 27], 40, 0.9, claim=(0, 1)))
    **CE** reached 90 % at epoch 11, **MSE** at epoch 27: CE was 16 epochs faster. As claimed,
    cross-entropy trained faster here.
    >>> print(race_summary(["CE", "MSE"], [None, 6], 30, 0.9, claim=(0, 1)))
    **MSE** reached 90 % at epoch 6; **CE** has not reached it in 30 epochs. Here the claim that
    cross-entropy trains faster does **not** hold.
    """
    if len(labels) != len(reached) or len(labels) not in (1, 2):
        raise ValueError(
            f"labels and reached must both hold 1 or 2 runs; got {len(labels)} and {len(reached)}"
        )
    epochs_trained = check_int(epochs_trained, "epochs_trained", low=0)
    target = check_scalar(target, "target", low=0.0, high=1.0)
    goal = _percent(target)
    if len(labels) == 1:
        if reached[0] is None:
            return f"**{labels[0]}** has not reached {goal} in {_epochs(epochs_trained)}."
        return f"**{labels[0]}** reached {goal} at epoch {reached[0]}."
    (a, b), (ea, eb) = labels, reached
    if ea is None and eb is None:
        return f"Neither run has reached {goal} in {_epochs(epochs_trained)} yet."
    if ea is None or eb is None:
        first, epoch, other = (a, ea, b) if eb is None else (b, eb, a)
        text = (
            f"**{first}** reached {goal} at epoch {epoch}; "
            f"**{other}** has not reached it in {_epochs(epochs_trained)}."
        )
        winner = 0 if eb is None else 1
    elif ea == eb:
        text = f"**{a}** and **{b}** both reached {goal} at epoch {ea}: a tie."
        winner = None
    else:
        winner = 0 if ea < eb else 1
        first, other = (a, b) if winner == 0 else (b, a)
        fast, slow = sorted((ea, eb))
        text = (
            f"**{first}** reached {goal} at epoch {fast}, **{other}** at epoch {slow}: "
            f"{first} was {_epochs(slow - fast)} faster."
        )
    if claim is not None:
        ce_run, _ = claim
        if winner is None:
            text += " No difference in speed at these settings."
        elif winner == ce_run:
            text += " As claimed, cross-entropy trained faster here."
        else:
            text += " Here the claim that cross-entropy trains faster does **not** hold."
    return text
