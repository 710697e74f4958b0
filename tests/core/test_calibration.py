"""core.calibration: reliability bins, ECE, Brier, temperature scaling (against finite differences, a grid
search and PyTorch's LBFGS), and the calibration lab's network."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.calibration import (
    MAX_BINS,
    MAX_EPOCHS,
    SPLIT_SHARES,
    T_MAX,
    T_MIN,
    brier_score,
    calibration_at,
    calibration_scores,
    calibration_sweep,
    check_temperature_fit,
    digits_splits,
    expected_calibration_error,
    fit_temperature,
    nll_curve,
    reliability,
    temperature_nll,
    temperature_nll_grad,
    train_calibration_run,
)
from core.data import load_digits
from core.functional import softmax
from core.gradcheck import numerical_gradient
from core.losses import cross_entropy


def _sampled(n: int, n_classes: int, scale: float, true_temperature: float, seed: int = 0):
    """Logits z and labels drawn from softmax(z / true_temperature): the calibrating T is about that."""
    rng = np.random.default_rng(seed)
    z = scale * rng.standard_normal((n, n_classes))
    p = softmax(z / true_temperature, axis=1)
    labels = (p.cumsum(axis=1) < rng.uniform(size=(n, 1))).sum(axis=1)
    return z, np.minimum(labels, n_classes - 1)


Z, LABELS = _sampled(600, 6, 3.0, 2.0)


def _ece_by_loop(probs, labels, n_bins):
    """ECE written out bin by bin, the way the formula reads."""
    probs = np.asarray(probs)
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    total = 0.0
    for m in range(n_bins):
        lo, hi = m / n_bins, (m + 1) / n_bins
        members = (conf > lo) & (conf <= hi) if m else (conf <= hi)
        if members.any():
            acc = np.mean(pred[members] == np.asarray(labels)[members])
            total += members.sum() / len(conf) * abs(acc - conf[members].mean())
    return total


# ------------------------------------------------------------------------------------ reliability
def test_reliability_bins_a_worked_example():
    r = reliability([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]], [0, 1, 1, 0], n_bins=5)
    assert r.edges.tolist() == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert r.counts.tolist() == [0, 0, 1, 2, 1]
    np.testing.assert_allclose(r.confidence, [np.nan, np.nan, 0.6, 0.75, 0.9])
    np.testing.assert_allclose(r.accuracy, [np.nan, np.nan, 1.0, 0.5, 1.0])
    assert r.ece == pytest.approx((0.4 + 2 * 0.25 + 0.1) / 4)
    assert r.n == 4


def test_reliability_bins_are_closed_on_the_right():
    r = reliability([[0.8, 0.2], [0.5, 0.5]], [0, 0], n_bins=10)
    assert r.counts[7] == 1
    assert r.counts[8] == 0  # 0.8 in (0.7, 0.8]
    assert r.counts[4] == 1  # 0.5 in (0.4, 0.5]


def test_reliability_is_zero_for_a_calibrated_bin():
    # Four examples at confidence 0.75, three of them right: accuracy equals confidence.
    probs = [[0.75, 0.25]] * 4
    assert expected_calibration_error(probs, [0, 0, 0, 1], n_bins=10) == pytest.approx(0.0)


def test_one_bin_ece_is_the_gap_between_mean_confidence_and_accuracy():
    probs = softmax(Z, axis=1)
    gap = abs(probs.max(axis=1).mean() - np.mean(probs.argmax(axis=1) == LABELS))
    assert expected_calibration_error(probs, LABELS, n_bins=1) == pytest.approx(gap, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 60),
    n_classes=st.integers(2, 6),
    n_bins=st.integers(1, 30),
    seed=st.integers(0, 10_000),
)
def test_reliability_matches_the_formula_bin_by_bin(n, n_classes, n_bins, seed):
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(n_classes) * 0.5, size=n)
    labels = rng.integers(0, n_classes, n)
    r = reliability(probs, labels, n_bins)
    assert r.counts.sum() == n
    assert 0.0 <= r.ece <= 1.0
    assert r.ece == pytest.approx(_ece_by_loop(probs, labels, n_bins), abs=1e-12)
    filled = r.counts > 0
    assert np.isnan(r.accuracy[~filled]).all()
    assert np.isnan(r.confidence[~filled]).all()
    # each bin's mean confidence lies inside the bin
    assert (r.confidence[filled] > r.edges[:-1][filled] - 1e-12).all()
    assert (r.confidence[filled] <= r.edges[1:][filled] + 1e-12).all()


# ------------------------------------------------------------------------------------------ Brier
def test_brier_score_is_the_mean_squared_distance_to_the_one_hot_truth():
    probs = softmax(Z, axis=1)
    one_hot = np.eye(6)[LABELS]
    assert brier_score(probs, LABELS) == pytest.approx(np.mean(((probs - one_hot) ** 2).sum(axis=1)))


def test_brier_score_runs_from_zero_to_two():
    assert brier_score([[1.0, 0.0, 0.0]], [0]) == 0.0
    assert brier_score([[1.0, 0.0, 0.0]], [2]) == 2.0


# ------------------------------------------------------------------------------------ scores from logits
@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.5])
def test_calibration_scores_nll_is_cross_entropy_of_the_scaled_logits(temperature):
    s = calibration_scores(Z, LABELS, temperature=temperature, n_bins=15)
    assert s.nll == pytest.approx(float(cross_entropy(Z / temperature, LABELS)), rel=1e-12)
    probs = softmax(Z / temperature, axis=1)
    assert s.brier == pytest.approx(brier_score(probs, LABELS), rel=1e-12)
    assert s.ece == pytest.approx(expected_calibration_error(probs, LABELS, 15), abs=1e-12)
    assert s.confidence == pytest.approx(probs.max(axis=1).mean())
    assert s.overconfidence == pytest.approx(s.confidence - s.accuracy)


def test_temperature_changes_confidence_but_never_accuracy():
    cold = calibration_scores(Z, LABELS, temperature=0.5)
    warm = calibration_scores(Z, LABELS, temperature=4.0)
    assert cold.accuracy == warm.accuracy
    assert cold.confidence > warm.confidence


def test_calibration_scores_accept_float32_logits_and_stay_finite_for_huge_logits():
    s = calibration_scores(Z.astype(np.float32), LABELS)
    assert s.nll == pytest.approx(calibration_scores(Z, LABELS).nll, rel=1e-6)
    huge = calibration_scores([[1000.0, 0.0], [0.0, 1000.0]], [0, 0])
    assert huge.nll == pytest.approx(500.0)
    assert math.isfinite(huge.brier)


# ---------------------------------------------------------------------------------- temperature scaling
@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.0, 7.0])
def test_temperature_nll_grad_matches_finite_differences(temperature):
    numeric = numerical_gradient(lambda t: temperature_nll(Z, LABELS, float(t[0])), [temperature], eps=1e-6)
    assert temperature_nll_grad(Z, LABELS, temperature) == pytest.approx(numeric[0], rel=1e-6, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), temperature=st.floats(0.1, 10.0), scale=st.floats(0.1, 8.0))
def test_temperature_nll_grad_matches_finite_differences_anywhere(seed, temperature, scale):
    z, labels = _sampled(40, 4, scale, 1.0, seed)
    numeric = numerical_gradient(lambda t: temperature_nll(z, labels, float(t[0])), [temperature], eps=1e-6)
    assert temperature_nll_grad(z, labels, temperature) == pytest.approx(numeric[0], rel=1e-5, abs=1e-8)


def test_nll_curve_is_temperature_nll_at_each_temperature():
    temps = [0.5, 1.0, 3.0]
    expected = [temperature_nll(Z, LABELS, t) for t in temps]
    np.testing.assert_allclose(nll_curve(Z, LABELS, temps), expected, rtol=1e-14)


def test_fitted_temperature_matches_a_fine_grid_search():
    fit = fit_temperature(Z, LABELS)
    grid = np.geomspace(T_MIN, T_MAX, 40_001)  # neighbours differ by 0.015 %
    curve = nll_curve(Z, LABELS, grid)
    best = int(np.argmin(curve))
    assert grid[best - 1] <= fit.temperature <= grid[best + 1]
    assert fit.nll <= curve[best] + 1e-12
    assert fit.nll == pytest.approx(temperature_nll(Z, LABELS, fit.temperature))
    assert temperature_nll_grad(Z, LABELS, fit.temperature) == pytest.approx(0.0, abs=1e-9)
    assert not fit.at_bound
    assert 0 < fit.iterations < 12


def test_fitted_temperature_recovers_how_much_the_logits_were_sharpened():
    # Labels drawn from softmax(z / 2): the calibrating temperature of z is about 2.
    z, labels = _sampled(20_000, 5, 3.0, 2.0, seed=3)
    assert fit_temperature(z, labels).temperature == pytest.approx(2.0, rel=0.05)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), true_t=st.floats(0.3, 5.0))
def test_fitted_temperature_is_a_stationary_point_or_a_bound(seed, true_t):
    z, labels = _sampled(80, 4, 2.0, true_t, seed)
    fit = fit_temperature(z, labels)
    assert fit.nll <= fit.nll_at_one + 1e-12
    if not fit.at_bound:
        grad = temperature_nll_grad(z, labels, fit.temperature)
        assert abs(grad) * fit.temperature**2 < 1e-8  # the slope in β = 1/T, which Newton drives to 0


def test_nll_is_convex_in_inverse_temperature():
    betas = np.linspace(0.05, 5.0, 400)
    # d NLL / dβ = −T² d NLL / dT must not decrease.
    slopes = np.array([-temperature_nll_grad(Z, LABELS, 1 / b) / b**2 for b in betas])
    assert (np.diff(slopes) >= -1e-12).all()


def test_a_model_right_everywhere_by_a_wide_margin_hits_the_lower_bound():
    fit = fit_temperature([[10.0, 0.0], [0.0, 10.0]], [0, 1])
    assert fit.at_bound
    assert fit.temperature == pytest.approx(T_MIN)
    assert fit.iterations == 0


def test_a_model_worse_than_guessing_hits_the_upper_bound():
    fit = fit_temperature([[3.0, 0.0], [0.0, 3.0]], [1, 0])
    assert fit.at_bound
    assert fit.temperature == pytest.approx(T_MAX)


def test_flat_logits_give_temperature_one():
    fit = fit_temperature(np.zeros((4, 3)), [0, 1, 2, 0])
    assert (fit.temperature, fit.iterations, fit.at_bound) == (1.0, 0, False)
    assert fit.nll == pytest.approx(math.log(3))


def test_custom_bounds_are_respected():
    fit = fit_temperature(Z, LABELS, t_min=0.5, t_max=1.5)  # the minimum (about 2) lies above 1.5
    assert fit.at_bound
    assert fit.temperature == pytest.approx(1.5)


def test_check_temperature_fit_agrees_with_the_fit_and_with_finite_differences():
    fit = fit_temperature(Z, LABELS)
    check = check_temperature_fit(Z, LABELS, fit, grid_size=2001)
    ratio = check.grid[1] / check.grid[0]
    assert check.grid[0] == pytest.approx(T_MIN)
    assert check.grid[-1] == pytest.approx(T_MAX)
    assert 1 / ratio <= check.grid_temperature / fit.temperature <= ratio
    assert check.grid_min_nll >= fit.nll - 1e-12
    assert check.grid_nll == pytest.approx(nll_curve(Z, LABELS, check.grid))
    assert check.slope_at_fit == pytest.approx(0.0, abs=1e-9)
    assert check.slope_at_one == pytest.approx(temperature_nll_grad(Z, LABELS, 1.0))
    assert check.finite_difference_at_one == pytest.approx(check.slope_at_one, rel=1e-6)


def test_check_temperature_fit_catches_a_wrong_temperature():
    fit = fit_temperature(Z, LABELS)
    wrong = fit._replace(temperature=fit.temperature * 1.5)
    check = check_temperature_fit(Z, LABELS, wrong)
    assert abs(check.slope_at_fit) > 1e-3
    assert abs(check.grid_temperature - wrong.temperature) > 0.1


# ------------------------------------------------------------------------------------------ torch
@pytest.mark.torch
def test_fitted_temperature_matches_torch_lbfgs_on_log_temperature():
    torch = pytest.importorskip("torch")
    z, y = torch.tensor(Z), torch.tensor(LABELS)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS(
        [log_t],
        lr=1.0,
        max_iter=200,
        tolerance_grad=1e-14,
        tolerance_change=1e-16,
        line_search_fn="strong_wolfe",
    )

    def closure():
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(z / log_t.exp(), y)
        loss.backward()
        return loss

    optimiser.step(closure)
    torch_t = float(log_t.detach().exp())
    fit = fit_temperature(Z, LABELS)
    assert fit.temperature == pytest.approx(torch_t, rel=1e-6)
    assert fit.nll == pytest.approx(float(closure().detach()), rel=1e-12)


@pytest.mark.torch
@pytest.mark.parametrize("temperature", [0.4, 1.0, 3.0])
def test_temperature_nll_and_grad_match_torch_autograd(temperature):
    torch = pytest.importorskip("torch")
    t = torch.tensor(temperature, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(torch.tensor(Z) / t, torch.tensor(LABELS))
    loss.backward()
    assert temperature_nll(Z, LABELS, temperature) == pytest.approx(float(loss.detach()), rel=1e-12)
    assert temperature_nll_grad(Z, LABELS, temperature) == pytest.approx(float(t.grad.detach()), rel=1e-10)


# ------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: reliability([[0.5, 0.6]], [0]), r"probs must sum to 1"),
        (lambda: reliability([[1.2, -0.2]], [0]), r"probs must lie in \[0, 1\]"),
        (lambda: reliability([0.5, 0.5], [0]), r"probs must be a 2-D array \(n, C\)"),
        (lambda: reliability([[0.5, 0.5]], [2]), r"labels class indices must be in \[0, 2\); got 2"),
        (lambda: reliability([[0.5, 0.5]], [0, 1]), r"labels must have shape \(1,\)"),
        (lambda: reliability([[0.5, 0.5]], [0], n_bins=0), r"n_bins must be an integer in \[1, 100\]"),
        (lambda: reliability([[0.5, 0.5]], [0.0]), r"labels .* integer dtype"),
        (lambda: brier_score([[np.nan, 1.0]], [0]), r"probs must be finite"),
        (lambda: calibration_scores([1.0, 2.0], [0]), r"logits must be a 2-D array \(n, C\)"),
        (lambda: calibration_scores([[1.0, 2.0]], [0], temperature=0), r"temperature must be in \(0, inf\]"),
        (lambda: temperature_nll([[1.0, 2.0]], [0], -1.0), r"temperature must be in \(0, inf\]"),
        (lambda: nll_curve([[1.0, 2.0]], [0], [1.0, 0.0]), r"temperatures must be > 0; got 0 at position 1"),
        (lambda: nll_curve([[1.0, 2.0]], [0], []), r"temperatures must be a 1-D array"),
        (lambda: fit_temperature([[1.0, 2.0]], [0], t_min=2.0), r"0 < t_min < 1 < t_max"),
        (lambda: fit_temperature([[1.0, 2.0]], [0], max_iter=0), r"max_iter must be an integer in \[1, inf"),
        (lambda: train_calibration_run(0, 0.0, [1]), r"width must be an integer in \[1, 1024\]"),
        (lambda: train_calibration_run(8, 1.0, [1]), r"label_smoothing must be in \[0, 1\)"),
        (lambda: train_calibration_run(8, 0.0, []), r"snapshot_epochs must be a non-empty"),
        (lambda: train_calibration_run(8, 0.0, [1.5]), r"snapshot_epochs must be a non-empty"),
        (lambda: train_calibration_run(8, 0.0, [MAX_EPOCHS + 1]), r"snapshot_epochs must be an integer"),
        (lambda: digits_splits(-1), r"seed must be an integer in \[0, inf\)"),
        (lambda: check_temperature_fit([[1.0, 2.0]], [0], 1.5), r"fit must be the TemperatureFit"),
        (lambda: calibration_at("run", 1), r"run must be a CalibrationRun"),
        (lambda: calibration_sweep(None), r"run must be a CalibrationRun"),
    ],
)
def test_bad_input_is_rejected_with_a_message_that_names_it(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ------------------------------------------------------------------------------------------ the lab
def test_digits_splits_are_disjoint_stratified_and_cover_the_data():
    parts = digits_splits()
    sizes = {name: len(y) for name, (X, y) in parts.items()}
    assert sizes == {"train": 360, "validation": 359, "test": 1078}
    X_all, y_all = load_digits()
    rows = np.concatenate([np.column_stack([X, y]) for X, y in parts.values()])
    everything = np.column_stack([X_all, y_all])
    # the three splits together are the data set, each image exactly once
    assert sorted(map(tuple, rows)) == sorted(map(tuple, everything))
    full_counts = np.bincount(y_all, minlength=10)
    for name, (_, y) in parts.items():
        share = SPLIT_SHARES[name]
        np.testing.assert_allclose(np.bincount(y, minlength=10), share * full_counts, atol=1.5)


@pytest.fixture(scope="module")
def plain_run():
    return train_calibration_run(32, 0.0, [1, 10, 50, 100])


@pytest.fixture(scope="module")
def smoothed_run():
    return train_calibration_run(32, 0.1, [1, 10, 50, 100])


def test_a_run_is_deterministic(plain_run):
    again = train_calibration_run(32, 0.0, [10])
    np.testing.assert_array_equal(again.snapshots[10]["test"], plain_run.snapshots[10]["test"])
    np.testing.assert_array_equal(again.curve["nll"], plain_run.curve["nll"][: len(again.curve["nll"])])


def test_a_run_keeps_its_snapshots_and_curve(plain_run):
    assert sorted(plain_run.snapshots) == [1, 10, 50, 100]
    assert plain_run.snapshots[50]["validation"].shape == (359, 10)
    assert plain_run.labels["test"].shape == (1078,)
    assert plain_run.sizes == (64, 32, 10)
    assert plain_run.n_train == 360
    assert plain_run.diverged_at is None
    epochs = plain_run.curve["epoch"]
    assert epochs[0] == 0
    assert epochs[-1] == 100
    assert {1, 10, 50}.issubset(set(epochs.tolist()))
    for name in ("accuracy", "confidence", "nll", "temperature", "nll_scaled", "train_loss"):
        assert plain_run.curve[name].shape == epochs.shape
    # the curve's numbers are the snapshot's numbers
    at_50 = int(np.flatnonzero(epochs == 50)[0])
    scores = calibration_scores(plain_run.snapshots[50]["test"], plain_run.labels["test"])
    assert plain_run.curve["nll"][at_50] == pytest.approx(scores.nll)
    assert plain_run.curve["accuracy"][at_50] == pytest.approx(scores.accuracy)
    fit = fit_temperature(plain_run.snapshots[50]["validation"], plain_run.labels["validation"])
    assert plain_run.curve["temperature"][at_50] == pytest.approx(fit.temperature, rel=1e-9)


def test_the_network_learns_the_digits(plain_run):
    scores = calibration_scores(plain_run.snapshots[100]["test"], plain_run.labels["test"])
    assert scores.accuracy > 0.9
    assert plain_run.curve["train_loss"][-1] < 0.01


def test_longer_training_makes_plain_cross_entropy_more_overconfident(plain_run):
    labels = plain_run.labels["test"]
    gaps = [calibration_scores(plain_run.snapshots[e]["test"], labels).overconfidence for e in (10, 50, 100)]
    assert gaps[0] < gaps[1] <= gaps[2] + 0.002
    assert gaps[2] > 0.02
    assert plain_run.curve["temperature"][-1] > 1.5  # validation says: flatten by T > 1


def test_temperature_scaling_takes_most_of_the_overconfidence_away(plain_run):
    z_test, labels = plain_run.snapshots[100]["test"], plain_run.labels["test"]
    fit = fit_temperature(plain_run.snapshots[100]["validation"], plain_run.labels["validation"])
    before = calibration_scores(z_test, labels)
    after = calibration_scores(z_test, labels, temperature=fit.temperature)
    assert after.accuracy == before.accuracy
    assert after.nll < before.nll
    assert after.brier < before.brier
    assert after.ece < before.ece / 2
    assert abs(after.overconfidence) < abs(before.overconfidence) / 2


def test_label_smoothing_lowers_confidence(plain_run, smoothed_run):
    labels = plain_run.labels["test"]
    plain = calibration_scores(plain_run.snapshots[100]["test"], labels)
    smoothed = calibration_scores(smoothed_run.snapshots[100]["test"], labels)
    assert smoothed.confidence < plain.confidence
    assert smoothed.overconfidence < 0  # with ε = 0.1 it overshoots: under-confident
    assert smoothed_run.curve["temperature"][-1] < 1


@pytest.mark.parametrize("width", [16, 128])
@pytest.mark.parametrize("eps", [0.0, 0.3])
def test_the_labs_extreme_settings_train_without_diverging(width, eps):
    run = train_calibration_run(width, eps, [100])
    assert run.diverged_at is None
    assert calibration_scores(run.snapshots[100]["test"], run.labels["test"]).accuracy > 0.85


def test_calibration_at_is_the_fit_on_validation_and_the_scores_on_test(plain_run):
    at = calibration_at(plain_run, 50, n_bins=12)
    fit = fit_temperature(plain_run.snapshots[50]["validation"], plain_run.labels["validation"])
    assert at.epoch == 50
    assert at.fit == fit
    z_test, y_test = plain_run.snapshots[50]["test"], plain_run.labels["test"]
    before = calibration_scores(z_test, y_test, n_bins=12)
    after = calibration_scores(z_test, y_test, temperature=fit.temperature, n_bins=12)
    for ours, expected in ((at.before, before), (at.after, after)):
        assert ours[:5] == expected[:5]  # accuracy, confidence, NLL, Brier, ECE
        assert ours.reliability.counts.tolist() == expected.reliability.counts.tolist()


def test_calibration_sweep_covers_every_snapshot_in_order(plain_run):
    sweep = calibration_sweep(plain_run, n_bins=7)
    assert [at.epoch for at in sweep] == [1, 10, 50, 100]
    assert all(len(at.before.reliability.counts) == 7 for at in sweep)
    with pytest.raises(
        ValueError, match=r"epoch must be one of the run's snapshot epochs \[1, 10, 50, 100\]; got 2"
    ):
        calibration_at(plain_run, 2)


def test_the_labs_defaults_are_among_their_options():
    from core import defaults

    assert defaults.CALIBRATION_EPOCH in defaults.CALIBRATION_EPOCHS
    assert list(defaults.CALIBRATION_EPOCHS) == sorted(defaults.CALIBRATION_EPOCHS)
    assert defaults.CALIBRATION_EPOCHS[-1] <= MAX_EPOCHS
    assert defaults.CALIBRATION_WIDTH in defaults.CALIBRATION_WIDTHS
    assert defaults.CALIBRATION_SMOOTHING in defaults.CALIBRATION_SMOOTHINGS
    assert defaults.CALIBRATION_COMPARE_SMOOTHING in defaults.CALIBRATION_SMOOTHINGS
    assert defaults.CALIBRATION_COMPARE_SMOOTHING > 0
    low, high, default = defaults.CALIBRATION_BINS
    assert 1 <= low <= default <= high <= MAX_BINS
