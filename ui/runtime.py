"""Settings of the server process that are not numerics: how many threads the BLAS library uses.

The app multiplies small matrices (on the training page a batch of 32 by a layer of 64 units) for many
sessions at once on a small machine.  There the BLAS library's extra threads cost more than they save,
and on a busy machine far more: one SGD step of ``MLP([64, 128, 128, 128, 10])`` on a batch of 128
measured 55 ms with 2 OpenBLAS threads and 1.6 ms with 1 under load (``python -m tests.perf.bench_train``).
"""

from __future__ import annotations

import sys

from threadpoolctl import threadpool_info, threadpool_limits

__all__ = ["one_blas_thread_once_numpy_is_loaded", "use_one_blas_thread"]

_limited = False  # this process's BLAS is limited to one thread (one_blas_thread_once_numpy_is_loaded)


def use_one_blas_thread() -> list[dict]:
    """Limit every BLAS library loaded in this process to one thread, for the rest of the process.

    What ``OPENBLAS_NUM_THREADS=1`` does at start-up, but after numpy is imported, and for whichever BLAS
    numpy uses (OpenBLAS, MKL, BLIS), found by ``threadpoolctl``.  Calling it again changes nothing.
    ``app.py`` calls it once per server process.

    Returns
    -------
    list of dict
        ``threadpoolctl.threadpool_info()`` of the BLAS libraries after the call (each with
        ``num_threads == 1``); empty if numpy uses no BLAS that threadpoolctl knows.

    Examples
    --------
    >>> all(blas["num_threads"] == 1 for blas in use_one_blas_thread())
    True
    """
    threadpool_limits(limits=1, user_api="blas")
    return [info for info in threadpool_info() if info["user_api"] == "blas"]


def one_blas_thread_once_numpy_is_loaded() -> bool:
    """:func:`use_one_blas_thread` once per process, as soon as numpy (and with it the BLAS) is loaded.

    ``app.py`` calls it before and after each page's run.  The frame and the home page do not import numpy,
    so a cold server draws its first page without numpy's import (about a third of that first run, measured
    with py-spy); the first page that computes imports it, and the limit applies right after that run.
    Returns whether the limit is in place.
    """
    global _limited
    if not _limited and "numpy" in sys.modules:
        use_one_blas_thread()
        _limited = True
    return _limited
