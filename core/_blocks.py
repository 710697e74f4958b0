"""Row-blocked (and, for large arrays, two-threaded) evaluation of row-wise array pipelines.

A softmax or a cross-entropy over an (n, C) array is a chain of element-wise passes (shift, exp, sum,
scale).  Run whole-array, each pass streams the array through memory; run on blocks of rows that fit in
the CPU cache, the chain stays in cache, and numpy's ufuncs release the GIL, so blocks can run on two
threads.  Small arrays (everything the pages use) take the plain single-call path: no threads at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

# Below this many elements the whole array is one block on the calling thread.
PARALLEL_MIN_ELEMENTS = 1 << 20
# 512 KiB of float32 (1 MiB of float64) per block: inside a typical L2 cache, yet large enough that the
# ~10 numpy calls per block cost little (measured on (4096, 1000): 2^13 elements 49 ms, 2^17 13 ms).
BLOCK_ELEMENTS = 1 << 17
MAX_THREADS = 2


@cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, min(MAX_THREADS, os.cpu_count() or 1)))


def for_row_blocks(n_rows: int, n_cols: int, fn: Callable[[slice], None]) -> None:
    """Call ``fn(rows)`` for row slices covering ``range(n_rows)``, in parallel for large arrays.

    ``fn`` must only write rows ``rows`` of its outputs, so blocks never touch the same memory.

    >>> seen = []
    >>> for_row_blocks(5, 3, seen.append)
    >>> seen
    [slice(0, 5, None)]
    """
    if n_rows * n_cols < PARALLEL_MIN_ELEMENTS:
        fn(slice(0, n_rows))
        return
    step = max(1, BLOCK_ELEMENTS // max(n_cols, 1))

    def run(chunk: range) -> None:  # one thread walks its contiguous chunk block by block
        for start in range(chunk.start, chunk.stop, step):
            fn(slice(start, min(start + step, chunk.stop)))

    n_threads = _pool()._max_workers
    bounds = [n_rows * k // n_threads for k in range(n_threads + 1)]
    chunks = [range(bounds[k], bounds[k + 1]) for k in range(n_threads)]
    for _ in _pool().map(run, chunks):  # re-raises the first exception of any chunk
        pass
