"""The row-blocked, two-threaded path of large arrays gives the same numbers as the single-call path."""

import numpy as np
import pytest

import core._blocks as blocks
from core.losses import loss_and_grad


@pytest.fixture
def small_blocks(monkeypatch):
    """Force the blocked path on small arrays, with blocks of a few rows that do not divide n evenly."""
    monkeypatch.setattr(blocks, "PARALLEL_MIN_ELEMENTS", 1)
    monkeypatch.setattr(blocks, "BLOCK_ELEMENTS", 3 * 7)


def test_for_row_blocks_covers_every_row_exactly_once(small_blocks):
    hits = np.zeros(50, int)

    def mark(rows):
        hits[rows] += 1

    blocks.for_row_blocks(50, 7, mark)
    np.testing.assert_array_equal(hits, 1)


def test_for_row_blocks_reraises_an_error_of_a_block(small_blocks):
    def fail(rows):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        blocks.for_row_blocks(50, 7, fail)


@pytest.mark.parametrize("kwargs", [{}, {"label_smoothing": 0.2, "weight": np.linspace(0.5, 2, 7)}])
@pytest.mark.parametrize("target_kind", ["index", "probs"])
def test_blocked_cross_entropy_equals_the_single_call_path(small_blocks, monkeypatch, kwargs, target_kind):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(50, 7)) * 4
    target = rng.integers(0, 7, 50) if target_kind == "index" else rng.dirichlet(np.ones(7), 50)
    blocked = loss_and_grad("cross_entropy", z, target, **kwargs)
    monkeypatch.setattr(blocks, "PARALLEL_MIN_ELEMENTS", 10**9)
    single = loss_and_grad("cross_entropy", z, target, **kwargs)
    assert blocked[0] == pytest.approx(single[0], rel=1e-15)
    np.testing.assert_allclose(blocked[1], single[1], rtol=1e-14, atol=1e-17)


def test_large_cross_entropy_uses_blocks_and_matches_a_direct_formula():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(1100, 1000)).astype(np.float32)  # above PARALLEL_MIN_ELEMENTS
    t = rng.integers(0, 1000, 1100)
    value, grad = loss_and_grad("cross_entropy", z, t)
    z64 = z.astype(np.float64)
    p = np.exp(z64 - z64.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert value == pytest.approx(-np.log(p[np.arange(1100), t]).mean(), rel=1e-5)
    p[np.arange(1100), t] -= 1
    np.testing.assert_allclose(grad, p / 1100, atol=1e-8)
    assert grad.dtype == np.float32
