"""The neural character model: an embedding of the last few characters and a small MLP, trained with core.

.. math:: x = [E_{c_1}, …, E_{c_n}], \\qquad z = \\tanh(x W_1 + b_1) W_2 + b_2, \\qquad
          q(· \\mid c) = \\operatorname{softmax}(z)

:class:`CharMLP` is a model for :mod:`core.charlm` (it answers ``next_log_probs`` for a batch of contexts,
so :func:`core.charlm.scores`, :func:`core.charlm.char_surprise` and :func:`core.charlm.sample_text` take
it like a counting model).  Its layers after the embedding are a :class:`core.mlp.MLP`, whose
backpropagation it reuses; the embedding's gradient is the one piece it adds.  :func:`train_char_mlp`
trains it with SGD and momentum (the update of :class:`core.train.Trainer`), and :func:`trained_network`
trains the page's networks on the shipped text once per process for each setting.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import NamedTuple

import numpy as np

from core._validation import check_int, check_scalar
from core.charlm import (
    HELD_OUT_FRACTION,
    VOCAB_SIZE,
    _check_contexts,
    _check_ids,
    _mean_surprise,
    _readonly,
    contexts,
    load_corpus,
)
from core.functional import log_softmax
from core.mlp import MLP

__all__ = ["MAX_CONTEXT", "CharMLP", "TrainedCharMLP", "train_char_mlp", "trained_network"]

MAX_CONTEXT = 8


class CharMLP:
    """A character model with an embedding and a one-hidden-layer network (Bengio et al., 2003, in small).

    For contexts c ``(B, n)`` of the last n = ``context`` characters:

    .. math:: X_i = [E_{c_{i1}}, …, E_{c_{in}}] \\in ℝ^{n d}, \\qquad
              z_i = \\tanh(X_i W_1 + b_1) W_2 + b_2 \\in ℝ^{V}, \\qquad
              q(· \\mid c_i) = \\operatorname{softmax}(z_i)

    The layers after the embedding are a :class:`core.mlp.MLP` ``[n·d, hidden, V]`` with tanh, whose
    backpropagation gives ∂L/∂W_l, ∂L/∂b_l and δ¹ = ∂L/∂(X W_1 + b_1).  The embedding's gradient is the one
    new piece: ∂L/∂X = δ¹ W_1ᵀ ``(B, n·d)``, cut into n blocks of d, and each block is added to the row
    of E it was looked up from,

    .. math:: \\frac{∂L}{∂E_v} = \\sum_{i, j \\,:\\, c_{ij} = v} \\frac{∂L}{∂X_{i, (j-1)d+1 … jd}}

    so a character used several times in a batch collects the gradient of every use.

    Parameters
    ----------
    context : int in [1, 8], default 3
        How many previous characters the network reads.
    embed_dim : int >= 1, default 10
        d, the length of each character's embedding.
    hidden : int >= 1, default 64
        Units in the hidden layer.
    seed : int >= 0, default 0
        E is drawn from N(0, 1) with ``np.random.default_rng([seed, 1])``; the MLP is
        ``MLP([n·d, hidden, V], activation="tanh", seed=seed)`` (Glorot-uniform weights, zero biases)
        with its output layer W2 then set to 0: every logit starts equal, so the untrained network is
        exactly the uniform model and costs ln V per character (W1 gets no gradient on the very first
        step, and from the second on every weight trains).
    dtype : np.float32 or np.float64, default np.float64

    Attributes
    ----------
    E : ndarray ``(V, d)``
        The embeddings, one row per character (update in place to keep the dtype).
    mlp : core.mlp.MLP
        The layers after the embedding; ``mlp.params`` holds W1 ``(n·d, hidden)``, b1, W2 ``(hidden, V)``, b2.

    Examples
    --------
    >>> from core.charlm import encode
    >>> net = CharMLP(context=2, embed_dim=3, hidden=4)
    >>> ctx = contexts(encode("hi there"), 2)
    >>> loss, grads = net.loss_and_grads(ctx, encode("hi there"))
    >>> {name: g.shape for name, g in grads.items()}
    {'E': (27, 3), 'W1': (6, 4), 'b1': (4,), 'W2': (4, 27), 'b2': (27,)}
    >>> round(loss, 4)  # an untrained network is the uniform model: ln 27
    3.2958
    """

    name = "network"

    def __init__(
        self,
        context: int = 3,
        embed_dim: int = 10,
        hidden: int = 64,
        *,
        seed: int = 0,
        dtype=np.float64,
    ):
        self.context = check_int(context, "context", low=1, high=MAX_CONTEXT)
        self.embed_dim = check_int(embed_dim, "embed_dim", low=1)
        self.hidden = check_int(hidden, "hidden", low=1)
        self.seed = check_int(seed, "seed", low=0)
        self.mlp = MLP(
            [self.context * self.embed_dim, self.hidden, VOCAB_SIZE],
            activation="tanh",
            seed=seed,
            dtype=dtype,
        )
        self.mlp.params["W2"][...] = 0  # equal logits: the untrained network is the uniform model
        rng = np.random.default_rng([self.seed, 1])
        self.E = rng.normal(0.0, 1.0, size=(VOCAB_SIZE, self.embed_dim)).astype(self.mlp.dtype)

    def __repr__(self) -> str:
        return (
            f"CharMLP(context={self.context}, embed_dim={self.embed_dim}, hidden={self.hidden}, "
            f"seed={self.seed}, dtype={self.mlp.dtype})"
        )

    @property
    def context_size(self) -> int:
        return self.context

    @property
    def params(self) -> dict[str, np.ndarray]:
        """``{"E": E, "W1": …, "b1": …, "W2": …, "b2": …}``: the live arrays (not copies)."""
        return {"E": self.E, **self.mlp.params}

    @property
    def n_params(self) -> int:
        return sum(p.size for p in self.params.values())

    def _inputs(self, ctx: np.ndarray) -> np.ndarray:
        return self.E[ctx].reshape(ctx.shape[0], self.context * self.embed_dim)

    def logits(self, context) -> np.ndarray:
        """z ``(B, V)`` for contexts ``(B, context)``; leaves the network's forward cache alone."""
        ctx = _check_contexts(context, self.context)
        return self.mlp._forward(self._inputs(ctx), keep=False)  # noqa: SLF001 (core's own MLP, no caching)

    def next_log_probs(self, context) -> np.ndarray:
        """ln q(· | context) ``(B, V)``: the log-softmax of :meth:`logits`, from the logits (stable)."""
        return log_softmax(self.logits(context), axis=1)

    def loss_and_grads(self, context, target) -> tuple[float, dict[str, np.ndarray]]:
        """The batch-mean cross-entropy of the next characters and its gradient for every parameter.

        Parameters
        ----------
        context : int array ``(B, context)``
            The previous characters of each example (see :func:`contexts`).
        target : int array ``(B,)``
            The next character of each example.

        Returns
        -------
        (loss, grads) : float (nats), dict with the keys and shapes of :attr:`params`
        """
        ctx = _check_contexts(context, self.context)
        if ctx.shape[0] == 0:
            raise ValueError("context must hold at least one row (one example)")
        loss, grads = self.mlp.loss_and_grads(self._inputs(ctx), target)
        d_inputs = self.mlp.deltas[1] @ self.mlp.params["W1"].T  # ∂L/∂X, (B, n·d)
        grad_e = np.zeros_like(self.E)
        np.add.at(grad_e, ctx.ravel(), d_inputs.reshape(-1, self.embed_dim))
        return loss, {"E": grad_e, **grads}

    def copy(self) -> CharMLP:
        """An independent copy of the parameters."""
        new = object.__new__(CharMLP)
        new.context, new.embed_dim, new.hidden, new.seed = (
            self.context,
            self.embed_dim,
            self.hidden,
            self.seed,
        )
        new.mlp = self.mlp.copy()
        new.E = self.E.copy()
        return new


class TrainedCharMLP(NamedTuple):
    """A trained :class:`CharMLP` and its learning curve.

    Attributes
    ----------
    model : CharMLP
    steps : ndarray of int ``(m,)``
        The steps at which the curve was measured: 0, ``eval_every``, 2·``eval_every``, …, and the last.
    train_nats, held_out_nats : ndarray ``(m,)``
        The mean surprise (nats per character) on the whole training text and on the held-out text at
        those steps (``held_out_nats`` is empty without held-out text).
    """

    model: CharMLP
    steps: np.ndarray
    train_nats: np.ndarray
    held_out_nats: np.ndarray


def train_char_mlp(
    train_ids,
    held_out_ids=None,
    *,
    context: int = 3,
    embed_dim: int = 10,
    hidden: int = 64,
    steps: int = 2000,
    batch_size: int = 128,
    lr: float = 0.1,
    momentum: float = 0.9,
    seed: int = 0,
    eval_every: int = 200,
    dtype=np.float32,
) -> TrainedCharMLP:
    """Train a :class:`CharMLP` to predict each character of a text from the ones before it.

    Mini-batch SGD with momentum, the update of :class:`core.train.Trainer` (PyTorch's ``SGD``):
    v ← μ v + g, θ ← θ − η v, on the gradient g of the batch-mean cross-entropy
    (:meth:`CharMLP.loss_and_grads`).  Each step draws ``batch_size`` positions of the text uniformly
    with replacement (``np.random.default_rng([seed, 2])``); the learning rate is η for the first three
    quarters of the steps and η/10 after.  Same arguments, same network: the run is deterministic.

    Parameters
    ----------
    train_ids : int array ``(N,)``
        The training text's character indices.
    held_out_ids : int array ``(M,)``, optional
        Text never trained on, scored along the way for the learning curve.
    context, embed_dim, hidden, seed
        As in :class:`CharMLP`.
    steps : int >= 1, default 2000
    batch_size : int >= 1, default 128
    lr : float > 0, default 0.1
    momentum : float in [0, 1), default 0.9
    eval_every : int >= 1, default 200
    dtype : np.float32 or np.float64, default np.float32
        Of the network and its training.  float32 trains about twice as fast here (numpy's tanh is
        vectorised in float32); the gradient checks use float64.

    Returns
    -------
    TrainedCharMLP

    Raises
    ------
    ValueError
        For bad arguments, or if the loss stops being finite (too large a learning rate).

    Examples
    --------
    >>> from core.charlm import encode
    >>> ids = encode("the cat sat on the mat " * 20)
    >>> run = train_char_mlp(ids, context=2, hidden=16, steps=300, eval_every=100)
    >>> run.steps.tolist(), bool(run.train_nats[-1] < 0.5 * run.train_nats[0])
    ([0, 100, 200, 300], True)
    """
    train = _check_ids(train_ids, "train_ids")
    held = None if held_out_ids is None else _check_ids(held_out_ids, "held_out_ids")
    steps = check_int(steps, "steps", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    lr = check_scalar(lr, "lr", low=0, low_open=True)
    momentum = check_scalar(momentum, "momentum", low=0, high=1, high_open=True)
    eval_every = check_int(eval_every, "eval_every", low=1)
    model = CharMLP(context, embed_dim, hidden, seed=seed, dtype=dtype)
    train_ctx = contexts(train, model.context)
    held_ctx = None if held is None else contexts(held, model.context)
    rng = np.random.default_rng([model.seed, 2])
    params = model.params
    velocity = {name: np.zeros_like(p) for name, p in params.items()}
    decay_at = (3 * steps) // 4
    marks: list[int] = []
    train_curve: list[float] = []
    held_curve: list[float] = []

    def measure(step: int) -> None:
        marks.append(step)
        train_curve.append(_mean_surprise(model, train_ctx, train))
        if held is not None:
            held_curve.append(_mean_surprise(model, held_ctx, held))

    diverged = f"lower lr (got {lr:g})"
    # The arguments are valid, so a ValueError inside the loop means numbers stopped being finite.
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            try:
                if step % eval_every == 0:
                    measure(step)
                rows = rng.integers(0, train.size, size=batch_size)
                loss, grads = model.loss_and_grads(train_ctx[rows], train[rows])
            except ValueError as exc:
                raise ValueError(f"training diverged at step {step} ({exc}); {diverged}") from None
            eta = lr if step < decay_at else lr / 10
            for name, grad in grads.items():
                buffer = velocity[name]
                buffer *= momentum
                buffer += grad
                params[name] -= eta * buffer
            if not (math.isfinite(loss) and all(np.isfinite(p).all() for p in params.values())):
                raise ValueError(f"training diverged at step {step}: the weights overflowed; {diverged}")
        try:
            measure(steps)
        except ValueError as exc:
            raise ValueError(f"training diverged at step {steps} ({exc}); {diverged}") from None
    curves = [np.array(marks), np.array(train_curve), np.array(held_curve)]
    return TrainedCharMLP(model, *(_readonly(c) for c in curves))


_TRAINING = threading.Lock()  # one training at a time: a second request for a setting waits for the first


@functools.lru_cache(maxsize=64)
def _trained_on_corpus(context: int, hidden: int, held_out_fraction: float) -> TrainedCharMLP:
    corpus = load_corpus(held_out_fraction)
    return train_char_mlp(corpus.train_ids, corpus.held_out_ids, context=context, hidden=hidden)


def trained_network(
    context: int = 3, hidden: int = 64, held_out_fraction: float = HELD_OUT_FRACTION
) -> TrainedCharMLP:
    """The network trained on the shipped text (:func:`load_corpus`), once per process for each setting.

    Training is deterministic (:func:`train_char_mlp` with its defaults), so the first call for a
    ``(context, hidden)`` trains and every later call, from any session, shares that result: treat it
    as read-only.  Concurrent first calls wait for one training instead of each running their own.

    Parameters
    ----------
    context : int in [1, 8], default 3
    hidden : int >= 1, default 64
    held_out_fraction : float in (0, 1), default 0.15
    """
    context = check_int(context, "context", low=1, high=MAX_CONTEXT)
    hidden = check_int(hidden, "hidden", low=1)
    fraction = check_scalar(
        held_out_fraction, "held_out_fraction", low=0, high=1, low_open=True, high_open=True
    )
    with _TRAINING:
        return _trained_on_corpus(context, hidden, fraction)
