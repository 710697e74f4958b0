"""core.train_runs: training runs trained once per process, deterministic, shared by every session."""

import threading

import numpy as np
import pytest

from core.data import load_digits, make_dataset, train_test_split
from core.mlp import MLP
from core.train import Trainer, decision_grid, predict
from core.train_runs import Phase, RunCache, RunSpec, TrainingRun

RACE = (("cross_entropy", ()), ("softmax_mse", ()))


def _spec(**changes) -> RunSpec:
    """A small race on the moons (quick to train): cross-entropy against MSE on softmax."""
    settings = {
        "data": "moons",
        "test_share": 0.2,
        "seed": 3,
        "hidden": (8,),
        "activation": "tanh",
        "losses": RACE,
        "schedule": (Phase(0, 0.3, 0.0, 32),),
        "n_points": 120,
        "grid": 12,
    }
    return RunSpec(**(settings | changes))


def _trainers(spec: RunSpec) -> list[Trainer]:
    """core.train's trainers for the spec, built by hand: what a run must reproduce exactly."""
    X, y = make_dataset(spec.data, spec.n_points, noise=spec.noise, seed=spec.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, spec.test_share, seed=spec.seed)
    start = MLP([2, *spec.hidden, 2], activation=spec.activation, seed=spec.seed)
    phase = spec.schedule[0]
    return [
        Trainer(
            start.copy(),
            X_train,
            y_train,
            loss=loss,
            lr=phase.lr,
            momentum=phase.momentum,
            batch_size=phase.batch_size,
            seed=spec.seed,
            X_test=X_test,
            y_test=y_test,
            **dict(options),
        )
        for loss, options in spec.losses
    ]


def _same_frames(a, b) -> None:
    assert a.epoch == b.epoch
    for net_a, net_b in zip(a.nets, b.nets, strict=True):
        assert net_a.history == net_b.history
        assert net_a.initial == net_b.initial
        np.testing.assert_array_equal(net_a.grid["classes"], net_b.grid["classes"])
        np.testing.assert_array_equal(net_a.grid["confidence"], net_b.grid["confidence"])


# ---------------------------------------------------------------------------------------------- determinism
def test_a_run_trains_exactly_what_core_trainers_train_from_the_same_start():
    spec = _spec()
    frame = TrainingRun(spec, max_epochs=50).frame(6)
    trainers = _trainers(spec)
    for _ in range(6):
        for trainer in trainers:
            trainer.step_epoch()
    assert frame.epoch == 6
    assert not frame.finished
    for net, trainer in zip(frame.nets, trainers, strict=True):
        assert net.epochs == 6
        assert net.history == trainer.history  # bit for bit
        assert net.initial == trainer.initial
        grid = decision_grid(trainer.net.copy(dtype=np.float32), np.concatenate(_split(spec)[:2]), spec.grid)
        np.testing.assert_array_equal(net.grid["classes"], grid["classes"])
        np.testing.assert_array_equal(net.grid["confidence"], np.rint(255 * grid["confidence"]))
        assert net.grid["classes"].dtype == net.grid["confidence"].dtype == np.uint8


def _split(spec):
    X, y = make_dataset(spec.data, spec.n_points, noise=spec.noise, seed=spec.seed)
    return train_test_split(X, y, spec.test_share, seed=spec.seed)


def test_two_runs_of_equal_settings_train_the_same_networks():
    first = TrainingRun(_spec(), max_epochs=50).frame(8)
    second = TrainingRun(_spec(), max_epochs=50).frame(8)
    _same_frames(first, second)
    other = TrainingRun(_spec(seed=4), max_epochs=50).frame(8)
    assert other.nets[0].history["loss"] != first.nets[0].history["loss"]  # the seed decides


def test_an_earlier_frame_stays_the_same_as_the_run_goes_on():
    run = TrainingRun(_spec(), max_epochs=50)
    early = run.frame(3)
    later = run.frame(10)
    _same_frames(early, run.frame(3))
    assert later.epoch == 10
    assert [len(net.history["loss"]) for net in early.nets] == [3, 3]
    assert later.nets[0].history["loss"][:3] == early.nets[0].history["loss"]


def test_a_digits_run_records_each_test_image_predicted_class():
    spec = RunSpec("digits", 0.2, 0, (16,), "relu", (("cross_entropy", ()),), (Phase(0, 0.1, 0.0, 64),))
    frame = TrainingRun(spec, max_epochs=5).frame(2)
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, seed=0)
    trainer = Trainer(
        MLP([64, 16, 10], seed=0), X_train, y_train, batch_size=64, X_test=X_test, y_test=y_test
    )
    trainer.step_epoch()
    trainer.step_epoch()
    net = frame.nets[0]
    assert net.grid is None
    assert net.predicted.dtype == np.uint8
    np.testing.assert_array_equal(net.predicted, predict(trainer.net, X_test)[0])
    assert net.history == trainer.history


def test_the_limit_finishes_a_run_and_later_epochs_read_as_the_limit():
    run = TrainingRun(_spec(), max_epochs=4)
    frame = run.frame(9)
    assert frame.epoch == 4
    assert frame.finished
    assert run.epochs == 4


def test_a_diverged_network_stops_and_the_run_finishes_when_all_have():
    spec = _spec(activation="relu", schedule=(Phase(0, 1e300, 0.0, 32),))
    run = TrainingRun(spec, max_epochs=50)
    frame = run.frame(5)
    assert frame.finished
    assert all(net.diverged for net in frame.nets)
    assert [net.epochs for net in frame.nets] == [0, 0]  # the first epoch overflowed: epoch 0 stays
    assert run.ensure(40) == 0  # nothing more to train


@pytest.mark.parametrize("data", ["moons", "digits"])
def test_a_network_whose_outputs_overflow_has_nothing_to_draw_and_no_error(data):
    spec = _spec(data=data, losses=RACE[:1])
    run = TrainingRun(spec, max_epochs=5)
    run.frame(0)
    trainer = run._trainers[0]
    for value in trainer.net.params.values():
        value[...] = 1e308  # finite weights whose outputs overflow, in float32 and in float64
    assert run._view(trainer) is None  # no warning either: warnings are errors here
    for value in trainer.net.params.values():
        value[...] = 1e35  # too large for float32, fine in float64: drawn from float64
    view = run._view(trainer)
    assert view is not None


# ---------------------------------------------------------------------------------------------- sharing
def test_the_same_settings_get_the_same_run_and_train_it_once():
    cache = RunCache(max_runs=4, max_bytes=2**30, max_epochs=50)
    # Equal settings written differently (a list, numpy numbers, options as a dict): one key, one run.
    other = _spec(hidden=[np.int64(8)], seed=np.int64(3), test_share=np.float64(0.2))
    assert other == _spec()
    assert hash(other) == hash(_spec())
    run = cache.get(_spec())
    assert cache.get(other) is run
    first = run.frame(5)
    second = cache.get(other).frame(5)
    _same_frames(first, second)
    assert cache.stats.runs_built == 1
    assert cache.stats.net_epochs == 2 * 5  # two networks, five epochs, trained once for both readers
    cache.get(_spec()).frame(7)
    assert cache.stats.net_epochs == 2 * 7


def test_loss_options_are_one_key_whatever_their_order_or_form():
    options = {"gamma": 2, "label_smoothing": 0.1}
    a = _spec(losses=(("cross_entropy", options),))
    b = _spec(losses=(("cross_entropy", (("label_smoothing", 0.1), ("gamma", 2.0))),))
    assert a == b
    assert a.losses == (("cross_entropy", (("gamma", 2.0), ("label_smoothing", 0.1))),)


def test_threads_asking_for_the_same_epochs_at_once_train_them_once():
    cache = RunCache(max_runs=4, max_bytes=2**30, max_epochs=50)
    n_threads = 8
    barrier = threading.Barrier(n_threads)
    frames, errors = [None] * n_threads, []

    def read(i: int) -> None:
        try:
            barrier.wait()
            run = cache.get(_spec())
            for epoch in range(1, 13, 1 + i % 3):  # readers at different paces, overlapping
                run.frame(epoch)
            frames[i] = cache.get(_spec()).frame(12)
        except Exception as error:  # reported below, with the thread's number
            errors.append((i, error))

    threads = [threading.Thread(target=read, args=(i,)) for i in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache.stats.runs_built == 1
    assert cache.stats.net_epochs == 2 * 12
    for frame in frames[1:]:
        _same_frames(frames[0], frame)
    _same_frames(frames[0], TrainingRun(_spec(), max_epochs=50).frame(12))


# ---------------------------------------------------------------------------------------------- branches
def _changed_at(spec: RunSpec, at: int, epochs: int, **settings) -> list[Trainer]:
    """core's trainers that change their optimiser settings after ``at`` epochs, as the page's sliders do."""
    trainers = _trainers(spec)
    for epoch in range(epochs):
        for trainer in trainers:
            if epoch == at:
                trainer.set_hyperparameters(**settings)
            trainer.step_epoch()
    return trainers


def test_an_optimiser_change_continues_the_run_as_a_trainer_whose_settings_changed():
    cache = RunCache(max_runs=8, max_bytes=2**30, max_epochs=50)
    spec = _spec()
    parent = cache.get(spec)
    parent.frame(4)
    branch_spec = spec.with_optimiser(4, lr=1.0, momentum=0.9, batch_size=16)
    branch = cache.get(branch_spec)
    frame = branch.frame(9)
    trainers = _changed_at(spec, 4, 9, lr=1.0, momentum=0.9, batch_size=16)
    for net, trainer in zip(frame.nets, trainers, strict=True):
        assert net.history == trainer.history
    assert branch.frame(3).nets[0].grid is parent.frame(3).nets[0].grid  # the same arrays, not copies
    assert cache.stats.net_epochs == 2 * 4 + 2 * 5  # the parent's 4 epochs, then the branch's 5
    assert cache.stats.net_epochs_replayed == 0  # the parent's networks stood at the branch
    assert parent.epochs == 4  # the parent goes on only if someone asks for it


def test_a_branch_from_an_earlier_epoch_replays_from_the_nearest_checkpoint():
    cache = RunCache(max_runs=8, max_bytes=2**30, max_epochs=50)
    spec = _spec()
    parent = cache.get(spec)
    parent.frame(25)
    assert parent.checkpoint_every == 10
    branch = cache.get(spec.with_optimiser(13, lr=0.03, momentum=0.5, batch_size=32))
    frame = branch.frame(16)
    assert cache.stats.net_epochs_replayed == 2 * 3  # from the checkpoint at epoch 10 to 13
    trainers = _changed_at(spec, 13, 16, lr=0.03, momentum=0.5)
    for net, trainer in zip(frame.nets, trainers, strict=True):
        assert net.history == trainer.history


def test_every_way_to_the_same_training_is_the_same_branch():
    spec = _spec()
    once = spec.with_optimiser(5, lr=1.0, momentum=0.0, batch_size=32)
    twice = spec.with_optimiser(5, lr=0.1, momentum=0.0, batch_size=32).with_optimiser(
        5, lr=1.0, momentum=0.0, batch_size=32
    )
    assert once == twice
    assert [phase.start for phase in once.schedule] == [0, 5]
    assert once.with_optimiser(5, lr=0.3, momentum=0.0, batch_size=32) == spec  # back where it was
    assert once.with_optimiser(9, lr=1.0, momentum=0.0, batch_size=32) == once  # nothing changes
    assert once.parent() == spec
    assert spec.parent() is None


# ---------------------------------------------------------------------------------------------- memory
def test_the_cache_evicts_the_least_recently_used_run_and_trains_it_again_the_same():
    cache = RunCache(max_runs=2, max_bytes=2**30, max_epochs=50)
    a, b, c = _spec(seed=1), _spec(seed=2), _spec(seed=3)
    first = cache.get(a).frame(3)
    cache.get(b)
    cache.get(a)  # a is used again: b is now the oldest
    cache.get(c)
    assert len(cache) == 2
    assert a in cache
    assert c in cache
    assert b not in cache
    cache.get(b)
    assert a not in cache
    _same_frames(cache.get(a).frame(3), first)  # trained again, the same
    assert cache.stats.runs_built == 2  # a, twice: a run is built when first trained (b and c never were)


def test_the_cache_keeps_within_its_bytes():
    probe = TrainingRun(_spec(), max_epochs=50)
    probe.frame(5)
    cache = RunCache(max_runs=100, max_bytes=2 * probe.bytes, max_epochs=50)
    for seed in range(6):
        cache.get(_spec(seed=seed)).frame(5)
    assert cache.bytes <= 2 * probe.bytes + probe.bytes  # at most the one just asked for over the limit
    assert len(cache) <= 3
    assert _spec(seed=5) in cache  # never the run just asked for


# ---------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"data": "waves"}, r"data must be one of \[.*'digits'\]; got 'waves'"),
        ({"test_share": 1.0}, r"test_share must be in \(0, 1\); got 1"),
        ({"seed": -1}, r"seed must be an integer in \[0, inf\); got -1"),
        ({"hidden": ()}, r"hidden must list the hidden layer widths, at least one"),
        ({"hidden": (8, 0)}, r"hidden layer width must be an integer in \[1, inf\); got 0"),
        ({"activation": "gelu"}, r"activation must be one of .*; got 'gelu'"),
        ({"losses": ()}, r"losses must name 1 or 2 losses"),
        ({"losses": RACE + RACE[:1]}, r"losses must name 1 or 2 losses"),
        (
            {"losses": (("l1", ()),)},
            r"each loss must be \(name, options\) with a name of .*; got \('l1', \(\)\)",
        ),
        ({"schedule": ()}, r"schedule must start with a phase at epoch 0"),
        ({"schedule": (Phase(3, 0.1, 0.0, 32),)}, r"schedule must start with a phase at epoch 0"),
        (
            {"schedule": (Phase(0, 0.1, 0.0, 32), Phase(0, 0.3, 0.0, 32))},
            r"increasing epochs; got starts \[0, 0\]",
        ),
        ({"schedule": ((0, 0.1, 0.0, 32),)}, r"schedule must be a tuple of Phase"),
        ({"schedule": (Phase(0, 0.0, 0.0, 32),)}, r"lr must be in \(0, inf\]; got 0"),
        ({"schedule": (Phase(0, 0.1, 1.0, 32),)}, r"momentum must be in \[0, 1\); got 1"),
        ({"schedule": (Phase(0, 0.1, 0.0, 0),)}, r"batch_size must be an integer in \[1, inf\); got 0"),
        ({"noise": -0.1}, r"noise must be in \[0, inf\]; got -0.1"),
        ({"grid": 1}, r"grid must be an integer in \[2, 200\]; got 1"),
    ],
)
def test_a_spec_rejects_bad_settings_naming_the_setting_and_what_it_expects(changes, message):
    with pytest.raises(ValueError, match=message):
        _spec(**changes)


def test_runs_and_caches_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"max_epochs must be an integer in \[1, inf\); got 0"):
        TrainingRun(_spec(), max_epochs=0)
    with pytest.raises(ValueError, match=r"epoch must be an integer in \[0, inf\); got -1"):
        TrainingRun(_spec(), max_epochs=5).frame(-1)
    with pytest.raises(ValueError, match="parent must be the run of spec.parent()"):
        TrainingRun(_spec().with_optimiser(2, lr=1.0, momentum=0.0, batch_size=32), max_epochs=5)
    with pytest.raises(ValueError, match="spec must be a RunSpec; got dict"):
        RunCache(max_runs=1, max_bytes=1, max_epochs=1).get({"data": "moons"})
    with pytest.raises(ValueError, match=r"max_runs must be an integer in \[1, inf\); got 0"):
        RunCache(max_runs=0, max_bytes=1, max_epochs=1)


def test_a_digits_spec_has_no_noise():
    spec = RunSpec("digits", 0.2, 0, (16,), "relu", RACE[:1], (Phase(0, 0.1, 0.0, 64),), noise=0.3)
    assert spec.noise == 0.0
    assert spec == RunSpec("digits", 0.2, 0, (16,), "relu", RACE[:1], (Phase(0, 0.1, 0.0, 64),))
