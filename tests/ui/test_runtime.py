"""ui.runtime: one BLAS thread for the server process, through threadpoolctl."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from ui.runtime import use_one_blas_thread


@pytest.fixture(autouse=True)
def _restore_blas_threads():
    """Give the BLAS back its thread count afterwards: the limit is process-wide."""
    original = threadpool_limits(limits=None, user_api="blas")  # changes nothing, remembers the counts
    yield
    original.restore_original_limits()


def blas_thread_counts() -> list[int]:
    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def test_numpy_uses_a_blas_that_threadpoolctl_controls():
    np.ones((2, 2)) @ np.ones((2, 2))  # numpy is imported and its BLAS loaded
    assert blas_thread_counts(), "threadpoolctl finds no BLAS library in this process"


def test_use_one_blas_thread_leaves_every_blas_at_one_thread():
    threadpool_limits(limits=2, user_api="blas")  # start from more than one, as on a 2-core server
    reported = use_one_blas_thread()
    assert [info["num_threads"] for info in reported] == [1] * len(reported)
    assert blas_thread_counts() == [1] * len(reported)
    assert len(reported) >= 1


def test_use_one_blas_thread_is_idempotent():
    first = use_one_blas_thread()
    second = use_one_blas_thread()
    assert second == first
    assert blas_thread_counts() == [1] * len(first)
