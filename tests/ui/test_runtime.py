"""ui.runtime: one BLAS thread for the server process, through threadpoolctl."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import ui.runtime as runtime
from ui.runtime import use_one_blas_thread

ROOT = Path(__file__).resolve().parents[2]


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


def test_once_numpy_is_loaded_the_limit_is_applied_once(monkeypatch):
    monkeypatch.setattr(runtime, "_limited", False)
    threadpool_limits(limits=2, user_api="blas")
    assert runtime.one_blas_thread_once_numpy_is_loaded()  # numpy is loaded in this process
    assert set(blas_thread_counts()) == {1}
    threadpool_limits(limits=2, user_api="blas")
    assert runtime.one_blas_thread_once_numpy_is_loaded()  # once per process: not applied again
    assert set(blas_thread_counts()) == {2}


def test_the_frame_and_the_home_page_need_no_numpy():
    """A cold server's first page (the frame and Home, run as the app) imports no numpy, so it is drawn
    without numpy's import; the BLAS limit then waits for the first page that computes."""
    code = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60).run()\n"
        "assert not at.exception, at.exception\n"
        "import ui.runtime\n"
        "print('numpy' in sys.modules, ui.runtime._limited)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split()[-2:] == ["False", "False"]
