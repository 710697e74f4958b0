"""core.data: the 2-D toy data sets, the shipped digits and the stratified split."""

import shutil
import subprocess

import numpy as np
import pytest

from core.data import (
    DATASET_CLASSES,
    DATASETS,
    DIGITS_FILE,
    load_digits,
    make_dataset,
    train_test_split,
)


# ------------------------------------------------------------------------------------------ make_dataset
@pytest.mark.parametrize("name", DATASETS)
def test_make_dataset_returns_standardised_points_and_labels_of_every_class(name):
    X, y = make_dataset(name, 300, noise=0.1, seed=0)

    assert X.shape == (300, 2)
    assert X.dtype == np.float64
    assert y.shape == (300,)
    assert np.issubdtype(y.dtype, np.integer)
    assert sorted(np.unique(y).tolist()) == list(range(DATASET_CLASSES[name]))
    np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
    assert np.sqrt(np.mean(X**2)) == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "blobs-imbalanced"])
def test_balanced_sets_share_the_points_evenly_over_the_classes(name):
    _, y = make_dataset(name, 301)
    counts = np.bincount(y)
    assert counts.sum() == 301
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize(("n", "minority"), [(400, 20), (1000, 50), (10, 1), (30, 2)])
def test_imbalanced_blobs_put_five_percent_in_class_one(n, minority):
    _, y = make_dataset("blobs-imbalanced", n)
    assert np.bincount(y).tolist() == [n - minority, minority]


@pytest.mark.parametrize("name", DATASETS)
def test_make_dataset_is_deterministic_for_a_seed(name):
    X1, y1 = make_dataset(name, 120, noise=0.2, seed=7)
    X2, y2 = make_dataset(name, 120, noise=0.2, seed=7)
    X3, _ = make_dataset(name, 120, noise=0.2, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_noise_widens_the_circles_rings():
    """Without noise the two circles have exactly two radii (ratio 2); noise blurs them."""
    X, y = make_dataset("circles", 200, noise=0.0)
    radii = np.linalg.norm(X, axis=1)
    outer, inner = radii[y == 0], radii[y == 1]
    assert np.ptp(outer) < 1e-12
    assert np.ptp(inner) < 1e-12
    assert outer[0] / inner[0] == pytest.approx(2.0)
    X, y = make_dataset("circles", 200, noise=0.2)
    assert np.ptp(np.linalg.norm(X[y == 0], axis=1)) > 0.3


def test_xor_labels_follow_the_sign_of_the_product_without_noise():
    X, y = make_dataset("xor", 400, noise=0.0)
    # Centring moves the origin by the points' small mean, so a few points near an axis may cross it.
    assert np.mean(y == (X[:, 0] * X[:, 1] < 0)) > 0.97


def test_spiral_without_noise_has_three_arms_with_radii_growing_along_the_arm():
    X, y = make_dataset("spiral", 300, noise=0.0)
    for k in range(3):
        arm = X[y == k]
        radii = np.linalg.norm(arm, axis=1)  # the three arms are symmetric, so the centre stays at 0
        arm = arm[np.argsort(radii)]
        angles = np.unwrap(np.arctan2(arm[:, 0], arm[:, 1]))  # drawn as (r sin t, r cos t)
        turn = np.abs(angles - angles[0])
        assert turn[-1] == pytest.approx(4.0, abs=0.01)  # each arm turns through 4 radians
        assert np.all(np.diff(turn) > 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "swirl", "n_samples": 100}, "name must be one of"),
        ({"name": "spiral", "n_samples": 9}, r"n_samples must be an integer in \[10, 100000\]; got 9"),
        ({"name": "spiral", "n_samples": 100_001}, "n_samples must be an integer in"),
        ({"name": "spiral", "n_samples": 100.0}, "n_samples must be an integer"),
        ({"name": "spiral", "n_samples": True}, "n_samples must be an integer"),
        ({"name": "spiral", "n_samples": 100, "noise": -0.1}, r"noise must be in \[0, inf\]"),
        ({"name": "spiral", "n_samples": 100, "noise": float("nan")}, "noise must be finite"),
        ({"name": "spiral", "n_samples": 100, "seed": -1}, "seed must be an integer in"),
        ({"name": "spiral", "n_samples": 100, "seed": 1.5}, "seed must be an integer"),
    ],
)
def test_make_dataset_rejects_bad_arguments(kwargs, message):
    name = kwargs.pop("name")
    n = kwargs.pop("n_samples")
    with pytest.raises(ValueError, match=message):
        make_dataset(name, n, **kwargs)


# ------------------------------------------------------------------------------------------ digits
def test_load_digits_returns_the_1797_images_scaled_to_the_unit_interval():
    X, y = load_digits()
    assert X.shape == (1797, 64)
    assert X.dtype == np.float64
    assert y.shape == (1797,)
    assert y.dtype == np.int64
    assert X.min() == 0.0
    assert X.max() == 1.0
    np.testing.assert_array_equal(X * 16, np.rint(X * 16))  # pixel counts 0..16, divided by 16
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_first_digit_is_the_zero_of_the_uci_test_set():
    X, y = load_digits()
    assert y[0] == 0
    assert (X[0].reshape(8, 8)[0] * 16).tolist() == [0, 0, 5, 13, 9, 1, 0, 0]
    assert (X[0].reshape(8, 8)[:, 0] * 16).sum() == 0  # a zero leaves the left column empty


def test_load_digits_returns_fresh_arrays_each_call():
    X, y = load_digits()
    X[:] = 0
    y[:] = 3
    X2, y2 = load_digits()
    assert X2.max() == 1.0
    assert y2[0] == 0


def test_digits_ship_with_the_package_with_their_attribution():
    assert DIGITS_FILE.is_file()
    assert DIGITS_FILE.parent.name == "data_files"
    assert DIGITS_FILE.parent.parent.name == "core"
    assert DIGITS_FILE.stat().st_size < 100_000
    readme = (DIGITS_FILE.parent / "README.md").read_text(encoding="utf-8")
    for phrase in (
        "Alpaydin",
        "Kaynak",
        "CC BY 4.0",
        "10.24432/C50P49",
        "Optical Recognition of Handwritten Digits",
    ):
        assert phrase in readme


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_digits_file_is_not_ignored_by_git():
    """Deployment installs what the repository holds: the data file must not be git-ignored."""
    root = DIGITS_FILE.parents[2]
    result = subprocess.run(
        ["git", "check-ignore", "-q", str(DIGITS_FILE)], cwd=root, capture_output=True, check=False
    )
    if result.returncode == 128:
        pytest.skip("not a git checkout")
    assert result.returncode == 1  # 1: not ignored; 0 would mean ignored


# ------------------------------------------------------------------------------------------ split
def test_train_test_split_is_stratified_disjoint_and_complete():
    X, y = make_dataset("spiral", 300)
    rows = np.arange(300)
    X_tagged = np.column_stack([X, rows])  # carry the row number through the split
    X_train, X_test, y_train, y_test = train_test_split(X_tagged, y, 0.2, seed=1)

    assert np.bincount(y_test).tolist() == [20, 20, 20]
    assert np.bincount(y_train).tolist() == [80, 80, 80]
    train_rows, test_rows = X_train[:, 2].astype(int), X_test[:, 2].astype(int)
    assert set(train_rows).isdisjoint(test_rows)
    assert sorted([*train_rows, *test_rows]) == rows.tolist()
    np.testing.assert_array_equal(y[train_rows], y_train)
    np.testing.assert_array_equal(y[test_rows], y_test)


def test_train_test_split_is_deterministic_and_shuffled():
    X, y = make_dataset("moons", 100)
    first = train_test_split(X, y, 0.3, seed=4)
    again = train_test_split(X, y, 0.3, seed=4)
    other = train_test_split(X, y, 0.3, seed=5)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])
    assert 0 < first[2].mean() < 1
    assert not np.all(np.diff(first[2]) >= 0)  # classes interleaved


def test_small_classes_keep_a_training_example_and_give_one_to_the_test_set():
    X = np.arange(12, dtype=float).reshape(6, 2)
    y = np.array([0, 0, 0, 0, 1, 1])
    _, _, y_train, y_test = train_test_split(X, y, 0.1, seed=0)
    assert sorted(y_test.tolist()) == [0, 1]
    _, _, y_train, y_test = train_test_split(X, y, 0.9, seed=0)
    assert sorted(y_train.tolist()) == [0, 1]


def test_zero_test_fraction_gives_an_empty_test_set():
    X, y = make_dataset("xor", 50)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.0)
    assert X_train.shape == (50, 2)
    assert X_test.shape == (0, 2)
    assert y_test.shape == (0,)


def test_train_test_split_keeps_float32():
    X, y = make_dataset("blobs", 60)
    X_train, X_test, _, _ = train_test_split(X.astype(np.float32), y, 0.5)
    assert X_train.dtype == np.float32
    assert X_test.dtype == np.float32


@pytest.mark.parametrize(
    ("X", "y", "fraction", "message"),
    [
        (np.zeros((4, 2)), np.zeros(4, int), 1.0, r"test_fraction must be in \[0, 1\)"),
        (np.zeros((4, 2)), np.zeros(4, int), -0.1, "test_fraction must be in"),
        (np.zeros((4, 2)), np.zeros(3, int), 0.5, r"y must have shape \(4,\)"),
        (np.zeros((4, 2)), np.zeros(4), 0.5, "y must hold integer class indices"),
        (np.zeros((4, 2)), -np.ones(4, int), 0.5, "y class indices must be >= 0"),
        (np.zeros(4), np.zeros(4, int), 0.5, "X must be a 2-D array"),
        (np.full((4, 2), np.nan), np.zeros(4, int), 0.5, "X must be finite"),
    ],
)
def test_train_test_split_rejects_bad_input(X, y, fraction, message):
    with pytest.raises(ValueError, match=message):
        train_test_split(X, y, fraction)
