"""Training runs shared by every session: trained once per process, deterministic, append-only.

The Train a network page trains a small network, or two from the same start (the race), live.  Training
is deterministic: the data, the initial weights and the order of the batches all come from the seed, so
every visitor who picks the same settings would train exactly the same networks.  Here they are trained
once per server process, and every session reads them:

- :class:`RunSpec` names a run: the data, the network, the losses and the optimiser's schedule (its
  settings from epoch 0, then each change of learning rate, momentum or batch size at the epoch it was
  made, a :class:`Phase` each).  It is hashable: the key under which the run is shared.
- :class:`TrainingRun` trains it on demand, one epoch at a time, up to the furthest epoch any session asked
  for (:meth:`TrainingRun.ensure`), and keeps a snapshot of every epoch (:meth:`TrainingRun.frame`): each
  network's history, exactly as :func:`core.train.fit` records it, and what the page draws of the network
  (the decision-region grid for 2-D data, the predicted test classes for the digits).  One lock per run: a
  session that asks for an epoch nobody has trained yet trains it, and a session that asks for it at the
  same time waits for it; every other read takes no lock, because a snapshot never changes once published.
- A change of optimiser in the middle of a run makes another run, the spec with one more phase
  (:meth:`RunSpec.with_optimiser`), which continues from its parent's state at that epoch: shared like any
  run by every session that makes the same change at the same epoch.  Its earlier epochs are the parent's
  snapshots (the same arrays); the state at the branch comes from the parent's networks if they stand
  there, otherwise from the parent's nearest checkpoint, trained forward (checkpoints every few epochs,
  :data:`CHECKPOINT_BYTES` per run at most).
- :class:`RunCache` holds a process's runs, the least recently used evicted first, within a number of runs
  and of bytes, so memory stays flat however long the server runs.  An evicted run is trained again if
  asked for: deterministic, so it comes back the same.

What a snapshot costs: per network and epoch, the history (8-12 numbers) and, for 2-D data, the grid's
predicted class and confidence as one byte each (``r × r × 2`` bytes: 3.2 KB at r = 40), for the digits the
predicted class of each test image (360 bytes).  The page's default race (two networks, 2-D data, r = 40)
takes about 5.5 MB for 500 epochs with its checkpoints, and ``ui.train_runs`` keeps at most 64 MiB of runs.

No streamlit here: ``ui.train_runs`` holds the process's cache.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import numpy as np

from core._validation import check_int, check_scalar
from core.data import DATASET_CLASSES, load_digits, make_dataset, train_test_split
from core.mlp import ACTIVATIONS, MLP
from core.train import LOSS_FUNCTIONS, Trainer, decision_grid, predict

__all__ = ["CHECKPOINT_BYTES", "DIGITS", "Frame", "NetFrame", "Phase", "RunCache", "RunSpec", "TrainingRun"]

DIGITS = "digits"  # the data set name of the 8×8 digits; every other name is a 2-D set of core.data
#: The most bytes of checkpoints (parameters and momentum buffers) a run keeps; see TrainingRun.
CHECKPOINT_BYTES = 4 * 2**20
MIN_CHECKPOINT_EVERY = 10  # epochs between checkpoints, at least
_FLOAT_BYTES = 32  # a float in a history list: the object and the list's pointer
_FLOAT32_SAFE = 1e30  # parameters below this in size are cast to float32 for the grid without overflow


@dataclass(frozen=True)
class Phase:
    """The optimiser's settings from the epoch after ``start`` on (``start = 0``: from the first epoch)."""

    start: int
    lr: float
    momentum: float
    batch_size: int


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides a run's numbers: two equal specs train exactly the same networks.

    Parameters
    ----------
    data : str
        A 2-D data set of :func:`core.data.make_dataset` (``n_points`` points with ``noise``) or ``"digits"``
        (:func:`core.data.load_digits`; ``noise`` is then ignored and stored as 0).
    test_share : float in (0, 1)
        The share of each class held out as the test set (:func:`core.data.train_test_split`).
    seed : int >= 0
        Seeds the data, the split, the initial weights and the batch order.
    hidden : tuple of int
        The widths of the hidden layers (at least one).
    activation : str
        One of :data:`core.mlp.ACTIVATIONS`.
    losses : tuple of (str, tuple of (str, float))
        One or two losses (the race), each a name of :data:`core.train.LOSS_FUNCTIONS` and its options
        as ``(name, value)`` pairs, e.g. ``("cross_entropy", (("label_smoothing", 0.1),))``.  Every
        network starts from a copy of the same initial weights.
    schedule : tuple of Phase
        The optimiser's settings: the first phase starts at 0, later ones at increasing epochs.
    noise : float >= 0, default 0.1
    n_points : int, default 400
    grid : int, default 40
        Points per axis of the decision-region grid (2-D data).

    Examples
    --------
    >>> start = (Phase(0, 0.1, 0.0, 32),)
    >>> spec = RunSpec("spiral", 0.2, 0, (32, 32), "relu", (("cross_entropy", ()),), start)
    >>> later = spec.with_optimiser(12, lr=0.3, momentum=0.0, batch_size=32)
    >>> [phase.start for phase in later.schedule], later.parent() == spec
    ([0, 12], True)
    >>> later.with_optimiser(12, lr=0.1, momentum=0.0, batch_size=32) == spec   # back: the same run
    True
    """

    data: str
    test_share: float
    seed: int
    hidden: tuple[int, ...]
    activation: str
    losses: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    schedule: tuple[Phase, ...]
    noise: float = 0.1
    n_points: int = 400
    grid: int = 40

    def __post_init__(self) -> None:
        # Validated, then stored in one canonical form (tuples, Python numbers): equal settings, one key.
        def store(name: str, value) -> None:
            object.__setattr__(self, name, value)

        if self.data != DIGITS and self.data not in DATASET_CLASSES:
            raise ValueError(f"data must be one of {[*DATASET_CLASSES, DIGITS]}; got {self.data!r}")
        store(
            "test_share",
            check_scalar(self.test_share, "test_share", low=0.0, high=1.0, low_open=True, high_open=True),
        )
        store("seed", check_int(self.seed, "seed", low=0))
        if isinstance(self.hidden, str | bytes) or not np.iterable(self.hidden) or len(self.hidden) == 0:
            raise ValueError(
                f"hidden must list the hidden layer widths, at least one, e.g. (32, 32); got {self.hidden!r}"
            )
        store("hidden", tuple(check_int(width, "hidden layer width", low=1) for width in self.hidden))
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}; got {self.activation!r}")
        if not np.iterable(self.losses) or len(self.losses) not in (1, 2):
            raise ValueError(
                "losses must name 1 or 2 losses (the race), e.g. (('cross_entropy', ()),); "
                f"got {self.losses!r}"
            )
        losses = []
        for loss in self.losses:
            if isinstance(loss, str) or len(loss) != 2 or loss[0] not in LOSS_FUNCTIONS:
                raise ValueError(
                    f"each loss must be (name, options) with a name of {sorted(LOSS_FUNCTIONS)}; got {loss!r}"
                )
            name, options = loss
            options = dict(options)  # (name, value) pairs or a dict
            losses.append((name, tuple((key, float(options[key])) for key in sorted(options))))
        store("losses", tuple(losses))
        if not np.iterable(self.schedule) or not all(isinstance(phase, Phase) for phase in self.schedule):
            raise ValueError(f"schedule must be a tuple of Phase; got {self.schedule!r}")
        if len(self.schedule) == 0 or self.schedule[0].start != 0:
            raise ValueError(
                "schedule must start with a phase at epoch 0, e.g. (Phase(0, 0.1, 0.0, 32),); "
                f"got {self.schedule!r}"
            )
        starts = [check_int(phase.start, "schedule phase start", low=0) for phase in self.schedule]
        if starts != sorted(set(starts)):
            raise ValueError(f"schedule phases must start at increasing epochs; got starts {starts}")
        store(
            "schedule",
            tuple(
                Phase(
                    phase.start,
                    check_scalar(phase.lr, "lr", low=0.0, low_open=True),
                    check_scalar(phase.momentum, "momentum", low=0.0, high=1.0, high_open=True),
                    check_int(phase.batch_size, "batch_size", low=1),
                )
                for phase in self.schedule
            ),
        )
        noise = check_scalar(self.noise, "noise", low=0.0)
        store(
            "noise", 0.0 if self.data == DIGITS else noise
        )  # the digits have no noise: one run whatever it says
        store("n_points", check_int(self.n_points, "n_points", low=2))
        store("grid", check_int(self.grid, "grid", low=2, high=200))

    @property
    def two_d(self) -> bool:
        """True for the 2-D data sets (decision regions), False for the digits (confusion matrix)."""
        return self.data != DIGITS

    def parent(self) -> RunSpec | None:
        """The run this one branched from (its schedule without the last phase), or None."""
        return replace(self, schedule=self.schedule[:-1]) if len(self.schedule) > 1 else None

    def with_optimiser(self, epoch: int, *, lr: float, momentum: float, batch_size: int) -> RunSpec:
        """The run that trains as this one for ``epoch`` epochs, then with these settings.

        Phases that would start at ``epoch`` or later are dropped, and a phase that changes nothing is not
        added, so every way to the same training gives the same spec (the same shared run).
        """
        epoch = check_int(epoch, "epoch", low=0)
        kept = tuple(phase for phase in self.schedule if phase.start < epoch)
        new = Phase(epoch, float(lr), float(momentum), int(batch_size))
        if kept and (kept[-1].lr, kept[-1].momentum, kept[-1].batch_size) == (
            new.lr,
            new.momentum,
            new.batch_size,
        ):
            return replace(self, schedule=kept)
        return replace(self, schedule=(*kept, new))

    def phase_at(self, epoch: int) -> Phase:
        """The phase whose settings train epoch ``epoch`` (1, 2, ...)."""
        return next(phase for phase in reversed(self.schedule) if phase.start < epoch)


@dataclass(frozen=True)
class NetFrame:
    """One network of a run as it stood after some epoch: what the page draws.

    ``history`` and ``initial`` are in :func:`core.train.fit`'s format (lists, one entry per epoch trained;
    ``grad_norm`` a dict of lists).  ``diverged``: the network's outputs overflowed in epoch ``epochs + 1``,
    so it stopped at ``epochs``.  ``grid`` (2-D data): :func:`core.train.decision_grid`'s dict for the
    network (computed in float32), its ``classes`` as uint8 and ``confidence`` as uint8, 255 · p rounded.
    ``predicted`` (digits): the predicted class of every test image (uint8).  Both None where the network's
    outputs are not finite (its weights have grown beyond floating point): nothing to draw.
    """

    epochs: int
    history: dict
    initial: dict
    diverged: bool
    grid: dict | None
    predicted: np.ndarray | None


@dataclass(frozen=True)
class Frame:
    """A run as it stood after ``epoch`` epochs (fewer than asked if every network diverged first).

    ``finished``: no later epoch will come (the limit is reached, or every network has diverged).
    """

    epoch: int
    nets: tuple[NetFrame, ...]
    finished: bool


@dataclass
class _Stats:
    runs_built: int = 0
    net_epochs: int = 0  # epochs trained, one per network: a race's epoch counts 2
    net_epochs_replayed: int = 0  # epochs trained again from a checkpoint, to branch a run
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)


class TrainingRun:
    """The networks of one :class:`RunSpec`, trained once and read by every session (see the module).

    Parameters
    ----------
    spec : RunSpec
    max_epochs : int >= 1
        No epoch beyond this one is trained.
    parent : TrainingRun, optional
        The run of ``spec.parent()``, for a spec with more than one phase.
    stats : optional
        Counters shared by a :class:`RunCache` (runs built, epochs trained).

    Examples
    --------
    >>> spec = RunSpec("moons", 0.2, 0, (8,), "tanh", (("cross_entropy", ()),), (Phase(0, 0.5, 0.0, 32),),
    ...                grid=10)
    >>> run = TrainingRun(spec, max_epochs=50)
    >>> frame = run.frame(3)
    >>> frame.epoch, len(frame.nets[0].history["loss"]), frame.nets[0].grid["classes"].shape
    (3, 3, (10, 10))
    """

    def __init__(self, spec: RunSpec, *, max_epochs: int, parent: TrainingRun | None = None, stats=None):
        if (parent is None) != (spec.parent() is None) or (
            parent is not None and parent.spec != spec.parent()
        ):
            raise ValueError("parent must be the run of spec.parent() (and only given for a branched spec)")
        self.spec = spec
        self.max_epochs = check_int(max_epochs, "max_epochs", low=1)
        self._parent = parent
        self._stats = stats if stats is not None else _Stats()
        self._lock = threading.Lock()
        self._built = False
        # Published state, replaced as a whole (one reference read gives a consistent view):
        # (epochs of the run, per network: epochs trained, per network: diverged).
        self._published: tuple[int, tuple[int, ...], tuple[bool, ...]] = (0, (), ())
        self.bytes = 0

    # ---------------------------------------------------------------------------------------- building
    def _build(self) -> None:
        """Data, networks and epoch 0 (or, for a branch, the parent's epochs and state). Under the lock."""
        spec = self.spec
        if self._parent is not None:
            self._branch_from(self._parent)
            return
        if spec.two_d:
            X, y = make_dataset(spec.data, spec.n_points, noise=spec.noise, seed=spec.seed)
            n_classes = DATASET_CLASSES[spec.data]
        else:
            X, y = load_digits()
            n_classes = 10
        self.data = train_test_split(X, y, spec.test_share, seed=spec.seed)
        self.sizes = (X.shape[1], *spec.hidden, n_classes)
        self.n_classes = n_classes
        start = MLP(list(self.sizes), activation=spec.activation, seed=spec.seed)
        self.n_params = start.n_params
        phase = spec.schedule[0]
        self._trainers = [self._trainer(start.copy(), name, options, phase) for name, options in spec.losses]
        self._views = [[self._view(trainer)] for trainer in self._trainers]
        self._checkpoints: dict[int, list[dict]] = {}
        per_checkpoint = 2 * 8 * self.n_params * len(self._trainers)
        self.checkpoint_every = max(
            MIN_CHECKPOINT_EVERY, math.ceil(self.max_epochs * per_checkpoint / CHECKPOINT_BYTES)
        )
        self._checkpoint(0)
        self.bytes += sum(part.nbytes for part in self.data) + 4 * 8 * self.n_params * len(self._trainers)
        self.bytes += sum(self._view_bytes(views[0]) for views in self._views)
        self._published = (0, (0,) * len(self._trainers), (False,) * len(self._trainers))
        self._stats.add(runs_built=1)

    def _trainer(self, net: MLP, loss: str, options: tuple, phase: Phase) -> Trainer:
        X_train, X_test, y_train, y_test = self.data
        return Trainer(
            net,
            X_train,
            y_train,
            loss=loss,
            lr=phase.lr,
            momentum=phase.momentum,
            batch_size=phase.batch_size,
            seed=self.spec.seed,
            X_test=X_test,
            y_test=y_test,
            **dict(options),
        )

    def _branch_from(self, parent: TrainingRun) -> None:
        at = self.spec.schedule[-1].start
        parent.ensure(at)
        for name in ("data", "sizes", "n_classes", "n_params", "checkpoint_every"):
            setattr(self, name, getattr(parent, name))
        count, trained, diverged = parent._published
        if count < at:  # every network of the parent diverged before the branch: nothing to continue
            at = count
        states, histories = parent._state_at(at)
        self._trainers = []
        for (name, options), state, history, source in zip(
            self.spec.losses, states, histories, parent._trainers, strict=True
        ):
            trainer = self._fresh_trainer(name, options)
            trainer.restore(state, history)
            trainer.initial = dict(source.initial)
            self._trainers.append(trainer)
        self._views = [list(views[: min(at, n) + 1]) for views, n in zip(parent._views, trained, strict=True)]
        with parent._lock:  # the parent may be adding a checkpoint in another thread
            self._checkpoints = {
                epoch: states for epoch, states in parent._checkpoints.items() if epoch <= at
            }
        self._checkpoints[at] = [trainer.checkpoint() for trainer in self._trainers]
        self.bytes = parent.bytes  # shares the parent's arrays, counted again: an upper bound
        self._published = (
            at,
            tuple(min(at, n) for n in trained),
            tuple(trainer.diverged for trainer in self._trainers),
        )
        self._parent = None  # the arrays it shares stay; the parent itself may be evicted and freed
        self._stats.add(runs_built=1)

    def _fresh_trainer(self, loss: str, options: tuple) -> Trainer:
        """A trainer of this run's network shape and data, to be restored from a checkpoint."""
        net = MLP(list(self.sizes), activation=self.spec.activation, seed=self.spec.seed)
        return self._trainer(net, loss, options, self.spec.schedule[0])

    def _state_at(self, epoch: int) -> tuple[list[dict], list[dict]]:
        """Every network's checkpoint and history after ``epoch`` epochs (published ones only)."""
        count, trained, _ = self._published
        with self._lock:
            trainers = self._trainers
            at_head = count == epoch and all(
                not trainer.diverged or n < epoch for trainer, n in zip(trainers, trained, strict=True)
            )
            if at_head:  # the networks stand there (a diverged one was rolled back earlier, not now)
                return [t.checkpoint() for t in trainers], [t.history for t in trainers]
            start = max(e for e in self._checkpoints if e <= epoch)
            histories = [trainer.history for trainer in trainers]
        replay = [self._fresh_trainer(name, options) for name, options in self.spec.losses]
        for trainer, state, history in zip(replay, self._checkpoints[start], histories, strict=True):
            trainer.restore(state, history)
        trained = sum(self._train_epoch(replay, number, views=None) for number in range(start + 1, epoch + 1))
        self._stats.add(net_epochs_replayed=trained)
        return [t.checkpoint() for t in replay], [t.history for t in replay]

    # ---------------------------------------------------------------------------------------- training
    def _view(self, trainer: Trainer) -> dict | np.ndarray | None:
        """What the page draws of a network: its decision grid (2-D data) or its test predictions.

        None if the network's outputs are not finite there (weights grown beyond floating point: a network
        about to diverge, or one whose outputs overflow only off the training points, on the grid).
        """
        X_train, X_test, _, _ = self.data
        if not self.spec.two_d:
            try:
                classes, _ = predict(trainer.net, X_test)
            except ValueError:
                return None
            return classes.astype(np.uint8)
        nets = [trainer.net]
        if all(np.abs(value).max() < _FLOAT32_SAFE for value in trainer.net.params.values()):
            # In float32: a third cheaper than float64 (the grid costs more than the epoch's training), and
            # the picture cannot tell (a class differs only where two are tied to 7 digits).  Float64 if
            # the float32 outputs overflow.
            nets.insert(0, trainer.net.copy(dtype=np.float32))
        for net in nets:
            try:
                grid = decision_grid(net, np.concatenate([X_train, X_test]), self.spec.grid)
            except ValueError:
                continue
            return {
                "x": grid["x"],
                "y": grid["y"],
                "classes": grid["classes"].astype(np.uint8),
                "confidence": np.rint(255 * grid["confidence"]).astype(np.uint8),
            }
        return None

    @staticmethod
    def _view_bytes(view) -> int:
        if view is None:
            return 0
        return view["classes"].nbytes + view["confidence"].nbytes if isinstance(view, dict) else view.nbytes

    def _train_epoch(self, trainers: list[Trainer], epoch_number: int, views: list[list] | None) -> int:
        """Train epoch ``epoch_number`` of every network that has not diverged; record views if given.

        Returns the number of networks that trained (or tried to: one may diverge in it).
        """
        phase = self.spec.phase_at(epoch_number)
        tried = 0
        for k, trainer in enumerate(trainers):
            if trainer.diverged:
                continue
            tried += 1
            if phase.start == epoch_number - 1:  # the phase begins here (as a page changing settings did)
                trainer.set_hyperparameters(lr=phase.lr, momentum=phase.momentum, batch_size=phase.batch_size)
            if trainer.step_epoch() is not None and views is not None:
                view = self._view(trainer)
                views[k].append(view)
                self.bytes += self._view_bytes(view) + _FLOAT_BYTES * (6 + len(trainer.weight_keys))
        return tried

    def _checkpoint(self, epoch: int) -> None:
        self._checkpoints[epoch] = [trainer.checkpoint() for trainer in self._trainers]
        self.bytes += 2 * 8 * self.n_params * len(self._trainers)

    def ensure(self, epoch: int) -> int:
        """Train until the run has ``epoch`` epochs (or the limit, or every network diverged).

        Returns the number of epochs the run has.  Cheap if they are trained already (no lock taken).
        """
        epoch = min(check_int(epoch, "epoch", low=0), self.max_epochs)
        count, _, diverged = self._published
        if self._built and (count >= epoch or all(diverged)):
            return count
        with self._lock:
            if not self._built:
                self._build()
                self._built = True
            count, _, diverged = self._published
            while count < epoch and not all(diverged):
                self._stats.add(net_epochs=self._train_epoch(self._trainers, count + 1, self._views))
                trained = tuple(len(views) - 1 for views in self._views)
                diverged = tuple(trainer.diverged for trainer in self._trainers)
                if max(trained) > count:
                    count = max(trained)
                    if count % self.checkpoint_every == 0:
                        self._checkpoint(count)
                self._published = (count, trained, diverged)
            return count

    def frame(self, epoch: int) -> Frame:
        """The run after ``epoch`` epochs, training them first if nobody has.

        ``epoch`` beyond :attr:`max_epochs` is read as :attr:`max_epochs`.  A network that diverged
        before ``epoch`` shows its last epoch and ``diverged=True``.
        """
        epoch = min(check_int(epoch, "epoch", low=0), self.max_epochs)
        self.ensure(epoch)
        count, trained, diverged = self._published
        shown = min(epoch, count)
        nets = []
        for trainer, views, n, gone in zip(self._trainers, self._views, trained, diverged, strict=True):
            k = min(shown, n)
            history = {
                key: ({layer: v[:k] for layer, v in value.items()} if isinstance(value, dict) else value[:k])
                for key, value in trainer.history.items()
            }
            view = views[k]
            nets.append(
                NetFrame(
                    epochs=k,
                    history=history,
                    initial=dict(trainer.initial),
                    diverged=gone and epoch > n,
                    grid=view if isinstance(view, dict) else None,
                    predicted=None if isinstance(view, dict) else view,
                )
            )
        finished = shown >= self.max_epochs or all(
            d and epoch > n for d, n in zip(diverged, trained, strict=True)
        )
        return Frame(epoch=shown, nets=tuple(nets), finished=finished)

    @property
    def epochs(self) -> int:
        """Epochs trained so far (by the furthest network)."""
        return self._published[0]


class RunCache:
    """A process's :class:`TrainingRun` objects by :class:`RunSpec`, least recently used evicted first.

    Parameters
    ----------
    max_runs : int >= 1
    max_bytes : int >= 1
        Runs are evicted (least recently used first, never the one just asked for) while the cache holds
        more runs or more bytes (:attr:`TrainingRun.bytes`, an upper bound) than this.
    max_epochs : int >= 1
        Each run's limit.

    Attributes
    ----------
    stats
        ``runs_built``, ``net_epochs`` (epochs trained, one per network), ``net_epochs_replayed``: what the
        process has trained, for tests and benchmarks.

    Examples
    --------
    >>> cache = RunCache(max_runs=2, max_bytes=2**30, max_epochs=20)
    >>> spec = RunSpec("blobs", 0.2, 0, (4,), "relu", (("cross_entropy", ()),), (Phase(0, 0.1, 0.0, 32),),
    ...                grid=8)
    >>> cache.get(spec) is cache.get(spec), cache.get(spec).frame(2).epoch, cache.stats.net_epochs
    (True, 2, 2)
    """

    def __init__(self, *, max_runs: int, max_bytes: int, max_epochs: int):
        self.max_runs = check_int(max_runs, "max_runs", low=1)
        self.max_bytes = check_int(max_bytes, "max_bytes", low=1)
        self.max_epochs = check_int(max_epochs, "max_epochs", low=1)
        self.stats = _Stats()
        self._runs: OrderedDict[RunSpec, TrainingRun] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, spec: RunSpec) -> TrainingRun:
        """The run of ``spec``: the one every session shares, made (not yet trained) if there is none."""
        if not isinstance(spec, RunSpec):
            raise ValueError(f"spec must be a RunSpec; got {type(spec).__name__}")
        with self._lock:
            run = self._runs.get(spec)
            if run is not None:  # the common case: no parent needed, nothing to evict
                self._runs.move_to_end(spec)
                return run
        # A branch needs its parent's run (made first, outside this lock: get is recursive).
        parent = self.get(spec.parent()) if spec.parent() is not None else None
        with self._lock:
            run = self._runs.get(spec)  # another thread may have made it meanwhile
            if run is None:
                run = self._runs[spec] = TrainingRun(
                    spec, max_epochs=self.max_epochs, parent=parent, stats=self.stats
                )
            self._runs.move_to_end(spec)
            self._evict(keep=run)
        return run

    def _evict(self, keep: TrainingRun) -> None:
        while len(self._runs) > 1 and (len(self._runs) > self.max_runs or self.bytes > self.max_bytes):
            oldest = next(iter(self._runs))
            if self._runs[oldest] is keep:
                break
            del self._runs[oldest]

    @property
    def bytes(self) -> int:
        """The bytes the cached runs hold (an upper bound: a branch counts its parent's arrays again)."""
        return sum(run.bytes for run in list(self._runs.values()))

    def __len__(self) -> int:
        return len(self._runs)

    def __contains__(self, spec: RunSpec) -> bool:
        return spec in self._runs

    def clear(self) -> None:
        """Forget every run and reset the counters (tests)."""
        with self._lock:
            self._runs.clear()
            self.stats = _Stats()
