"""Small classification data sets for the training page: 2-D toy sets and the 8×8 digits.

- :func:`make_dataset`: "spiral" (3 arms), "moons", "circles", "xor", "blobs" (3 blobs) and
  "blobs-imbalanced" (2 classes, 95 % / 5 %), as points ``X (n, 2)`` float64 and labels ``y (n,)``.
  Deterministic for a seed, shuffled, centred and scaled to unit standard deviation.
- :func:`load_digits`: the 1797 handwritten digits of UCI's optdigits test set (Alpaydin & Kaynak,
  CC BY 4.0), shipped with the package in ``core/data_files/digits.npz``; nothing is downloaded.
- :func:`train_test_split`: a stratified, seeded split.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from core._validation import as_float_array, check_int, check_scalar

#: The 2-D data sets of :func:`make_dataset` and their number of classes.
DATASET_CLASSES: dict[str, int] = {
    "spiral": 3,
    "moons": 2,
    "circles": 2,
    "xor": 2,
    "blobs": 3,
    "blobs-imbalanced": 2,
}
DATASETS: tuple[str, ...] = tuple(DATASET_CLASSES)

#: Share of the minority class (class 1) in "blobs-imbalanced".
MINORITY_SHARE = 0.05
MAX_SAMPLES = 100_000

DIGITS_FILE = Path(__file__).with_name("data_files") / "digits.npz"
DIGITS_SHAPE = (1797, 64)


def _split_counts(n: int, n_classes: int) -> list[int]:
    """``n`` points shared as evenly as possible over the classes (the first classes get the remainder)."""
    base, extra = divmod(n, n_classes)
    return [base + (k < extra) for k in range(n_classes)]


def _spiral(counts, rng, noise):
    parts = []
    for k, m in enumerate(counts):
        r = np.linspace(0.05, 1.0, m)
        # Each arm turns through 4 radians (≈ 230°) and starts a third of a turn after the previous one.
        # The noise moves points along the arm's angle (2·noise radians), as in CS231n's spiral.
        t = np.linspace(0.0, 4.0, m) + k * 2.0 * np.pi / 3.0 + 2.0 * noise * rng.standard_normal(m)
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    return parts


def _moons(counts, rng, noise):
    t_outer = np.linspace(0.0, np.pi, counts[0])
    t_inner = np.linspace(0.0, np.pi, counts[1])
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = np.column_stack([1.0 - np.cos(t_inner), 0.5 - np.sin(t_inner)])
    return [outer, inner]


def _circles(counts, rng, noise):
    # endpoint=False so the first and last points of a circle do not coincide.
    t_outer = np.linspace(0.0, 2.0 * np.pi, counts[0], endpoint=False)
    t_inner = np.linspace(0.0, 2.0 * np.pi, counts[1], endpoint=False)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = 0.5 * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    return [outer, inner]


def _xor(counts, rng, noise):
    # Uniform points in the quadrants where x0·x1 > 0 (class 0) or x0·x1 < 0 (class 1), 0.05 off the axes.
    parts = []
    for k, m in enumerate(counts):
        pts = rng.uniform(0.05, 1.0, size=(m, 2)) * rng.choice([-1.0, 1.0], size=(m, 1))
        if k == 1:
            pts[:, 1] *= -1.0
        parts.append(pts)
    return parts


_BLOB_SPREAD = 0.4


def _blobs(counts, rng, noise):
    # The corners of an equilateral triangle of side 1.33·√3 ≈ 2.3 (about 6 blob standard deviations).
    angles = np.pi / 2 + 2.0 * np.pi * np.arange(3) / 3.0
    centres = 1.33 * np.column_stack([np.cos(angles), np.sin(angles)])
    return [c + _BLOB_SPREAD * rng.standard_normal((m, 2)) for c, m in zip(centres, counts, strict=True)]


def _blobs_imbalanced(counts, rng, noise):
    centres = np.array([[-0.75, 0.0], [0.75, 0.0]])
    return [c + _BLOB_SPREAD * rng.standard_normal((m, 2)) for c, m in zip(centres, counts, strict=True)]


_MAKERS = {
    "spiral": _spiral,
    "moons": _moons,
    "circles": _circles,
    "xor": _xor,
    "blobs": _blobs,
    "blobs-imbalanced": _blobs_imbalanced,
}


def make_dataset(name: str, n_samples: int, *, noise: float = 0.1, seed: int = 0):
    """A 2-D classification data set: points ``X (n, 2)`` and integer labels ``y (n,)``.

    The shapes, before noise and scaling:

    - ``"spiral"``: 3 arms winding out from the centre (radius 0.05 → 1, each turning 4 radians);
    - ``"moons"``: two interleaved half circles of radius 1 (scikit-learn's ``make_moons`` layout);
    - ``"circles"``: two concentric circles of radius 1 (class 0) and 0.5 (class 1);
    - ``"xor"``: uniform points in the four quadrants, class 1 where x₀·x₁ < 0;
    - ``"blobs"``: 3 Gaussian blobs (std 0.4) at the corners of an equilateral triangle;
    - ``"blobs-imbalanced"``: 2 overlapping Gaussian blobs (std 0.4, centres 1.5 apart) with
      95 % of the points in class 0 and 5 % (at least one point) in class 1.

    Then Gaussian noise of standard deviation ``noise`` is added to every coordinate (for the spiral,
    Gaussian noise of standard deviation ``2 · noise`` radians to each point's angle, as in CS231n's
    spiral, because its arms lie closer than the other shapes' parts), the rows are shuffled, and the
    points are centred and divided by their overall standard deviation (one number for both axes, so
    circles stay round):

    .. math:: X \\leftarrow (X - \\bar X) / s, \\qquad s^2 = \\tfrac{1}{2n} \\sum_{i,j} (X_{ij} - \\bar X_j)^2

    Parameters
    ----------
    name : {"spiral", "moons", "circles", "xor", "blobs", "blobs-imbalanced"}
    n_samples : int in [10, 100000]
        Number of points; the balanced sets share them over the classes as evenly as possible.
    noise : float >= 0, default 0.1
        Standard deviation of the Gaussian noise, in the shape's units above (before scaling);
        for the spiral, half the standard deviation of the angle noise in radians.
    seed : int >= 0, default 0
        Seed of ``np.random.default_rng``; the same arguments give the same arrays.

    Returns
    -------
    X : ndarray ``(n, 2)`` float64
        Centred points with unit overall standard deviation.
    y : ndarray ``(n,)`` int64
        Class indices in ``[0, C)``, C = ``DATASET_CLASSES[name]``.

    Examples
    --------
    >>> X, y = make_dataset("spiral", 300, noise=0.1, seed=0)
    >>> X.shape, X.dtype, np.bincount(y).tolist()
    ((300, 2), dtype('float64'), [100, 100, 100])
    >>> round(float(X.std()), 6), bool(np.abs(X.mean(axis=0)).max() < 1e-12)
    (1.0, True)
    >>> np.bincount(make_dataset("blobs-imbalanced", 400)[1]).tolist()
    [380, 20]
    """
    if name not in _MAKERS:
        raise ValueError(f"name must be one of {list(DATASETS)}; got {name!r}")
    n = check_int(n_samples, "n_samples", low=10, high=MAX_SAMPLES)
    noise = check_scalar(noise, "noise", low=0.0)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)

    if name == "blobs-imbalanced":
        minority = max(1, round(MINORITY_SHARE * n))
        counts = [n - minority, minority]
    else:
        counts = _split_counts(n, DATASET_CLASSES[name])
    parts = _MAKERS[name](counts, rng, noise)
    X = np.concatenate(parts).astype(np.float64, copy=False)
    y = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    if noise > 0 and name != "spiral":
        X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(n)
    X, y = X[order], y[order]
    X = X - X.mean(axis=0)
    return X / np.sqrt(np.mean(X**2)), y


@lru_cache(maxsize=1)
def _digits_raw() -> tuple[np.ndarray, np.ndarray]:
    with np.load(DIGITS_FILE) as data:
        pixels, labels = data["pixels"], data["labels"]
    if (
        pixels.shape != DIGITS_SHAPE
        or labels.shape != DIGITS_SHAPE[:1]
        or pixels.max() > 16
        or labels.max() > 9
    ):
        raise ValueError(f"{DIGITS_FILE} is damaged: pixels {pixels.shape}, labels {labels.shape}")
    pixels.setflags(write=False)
    labels.setflags(write=False)
    return pixels, labels


def load_digits():
    """The 8×8 handwritten digits: ``X (1797, 64)`` float64 in [0, 1] and labels ``y (1797,)``.

    The test part of UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin and C. Kaynak,
    1998, https://doi.org/10.24432/C50P49, CC BY 4.0), the same data as scikit-learn's
    ``load_digits``. Each row is an 8×8 image in row-major order (``X[i].reshape(8, 8)``); the stored
    pixel counts 0..16 are divided by 16. Read from ``core/data_files/digits.npz`` (see the README
    there); every call returns fresh arrays the caller may modify.

    Returns
    -------
    X : ndarray ``(1797, 64)`` float64, entries in [0, 1]
    y : ndarray ``(1797,)`` int64, digits 0..9

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.min()), float(X.max())
    ((1797, 64), (1797,), 0.0, 1.0)
    >>> np.bincount(y).tolist()
    [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    """
    pixels, labels = _digits_raw()
    return pixels.astype(np.float64) / 16.0, labels.astype(np.int64)


def train_test_split(X, y, test_fraction: float, seed: int = 0):
    """Split ``X, y`` into a training and a test set, stratified by class, reproducibly.

    Each class with m points puts ``round(test_fraction · m)`` of them (chosen at random) in the test
    set, but always keeps at least one in the training set and, when ``test_fraction > 0`` and
    ``m >= 2``, puts at least one in the test set. Both parts are shuffled.

    Parameters
    ----------
    X : array_like ``(n, d)``
    y : array_like of int ``(n,)``, class indices >= 0
    test_fraction : float in [0, 1)
        Share of each class that goes to the test set; 0 gives an empty test set.
    seed : int >= 0, default 0

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarrays
        ``X``'s float dtype kept (ints become float64), labels int64.

    Examples
    --------
    >>> X, y = make_dataset("moons", 100)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, seed=0)
    >>> X_train.shape, X_test.shape, np.bincount(y_test).tolist()
    ((80, 2), (20, 2), [10, 10])
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a 2-D array (n, d) with n >= 1; got shape {X.shape}")
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class indices; got dtype {y.dtype}")
    if y.shape != X.shape[:1]:
        raise ValueError(f"y must have shape ({X.shape[0]},), one label per row of X; got shape {y.shape}")
    if y.min() < 0:
        raise ValueError(f"y class indices must be >= 0; got {int(y.min())}")
    test_fraction = check_scalar(test_fraction, "test_fraction", low=0.0, high=1.0, high_open=True)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)

    train_idx, test_idx = [], []
    for k in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == k))
        m = members.size
        n_test = round(test_fraction * m)
        if test_fraction > 0 and m >= 2:
            n_test = max(n_test, 1)
        n_test = min(n_test, m - 1)
        test_idx.append(members[:n_test])
        train_idx.append(members[n_test:])
    train = rng.permutation(np.concatenate(train_idx))
    test = rng.permutation(np.concatenate(test_idx))
    y = y.astype(np.int64, copy=False)
    return X[train], X[test], y[train], y[test]
