"""Benchmark of training ``core.MLP`` with SGD, against PyTorch eager on the CPU (prints, never fails).

Run as ``python -m tests.perf.bench_train``. It prints

- the time of one SGD step (forward, backward of the batch-mean cross-entropy, parameter update) of
  ``core.MLP([64, 128, 128, 128, 10])`` on a batch of 128, in float32 and float64;
- the same network in torch eager (``nn.Sequential`` of ``nn.Linear`` + ReLU, ``F.cross_entropy``,
  ``torch.optim.SGD``) from the same initial weights, where torch is installed, and the ratio
  numpy / torch (target: <= 1.0);
- the time of one epoch of the digits (all 1797 images, batch 32, with the end-of-epoch evaluation that
  the training page runs) with ``core.train.Trainer`` (target: < 50 ms), for the network above and for
  the training page's default digits network [64, 32, 32, 10].

Each time is the median over repeats of the mean over a block of steps. BLAS threading matters for
matrices this small on a shared machine, so the steps are timed twice: with the thread counts the process
started with, then with one thread each (``threadpoolctl.threadpool_limits(1, user_api="blas")``, what
the app sets through ``ui.runtime.use_one_blas_thread``, and ``torch.set_num_threads(1)``). The digits
epoch is timed with one BLAS thread.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from core.data import load_digits
from core.mlp import MLP
from core.train import Trainer

SIZES = [64, 128, 128, 128, 10]
BATCH = 128
LR = 0.01
STEPS = 50
REPEATS = 7
DIGITS_TARGET_MS = 50.0
PAGE_DIGITS_SIZES = [64, 32, 32, 10]  # the training page's default network for the digits


def _median_time(run_block, steps: int, repeats: int = REPEATS) -> float:
    """Median over ``repeats`` of the mean time per step (s) of ``run_block(steps)``, after a warm-up."""
    run_block(steps)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_block(steps)
        times.append((time.perf_counter() - start) / steps)
    return statistics.median(times)


def _batch(dtype, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((BATCH, SIZES[0])).astype(dtype), rng.integers(0, SIZES[-1], BATCH)


def numpy_step_time(dtype) -> float:
    """Seconds per SGD step of core.MLP: forward, backward, in-place update (what Trainer does)."""
    net = MLP(SIZES, seed=0, dtype=dtype)
    X, y = _batch(dtype)
    params = net.params

    def run(steps: int) -> None:
        for _ in range(steps):
            net.forward(X)
            grads = net.backward(y)
            for key, grad in grads.items():
                params[key] -= LR * grad

    return _median_time(run, STEPS)


def torch_step_time(dtype) -> tuple[float, int] | None:
    """Seconds per SGD step of the same network in torch eager (CPU), torch's thread count; None: no torch."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    torch_dtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    reference = MLP(SIZES, seed=0, dtype=dtype)
    layers = []
    for k in range(1, len(SIZES)):
        linear = torch.nn.Linear(SIZES[k - 1], SIZES[k], dtype=torch_dtype)
        with torch.no_grad():  # torch stores W as (out, in): the transpose of core.MLP's W_l
            linear.weight.copy_(torch.from_numpy(reference.params[f"W{k}"].T.copy()))
            linear.bias.copy_(torch.from_numpy(reference.params[f"b{k}"]))
        layers.append(linear)
        if k < len(SIZES) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    X, y = _batch(dtype)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)

    def run(steps: int) -> None:
        for _ in range(steps):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X_t), y_t)
            loss.backward()
            optimizer.step()

    return _median_time(run, STEPS), torch.get_num_threads()


def digits_epoch_time(dtype=np.float64, sizes=SIZES) -> float:
    """Seconds per epoch of the 1797 digits, batch 32, with Trainer (shuffle, steps, evaluation)."""
    X, y = load_digits()
    trainer = Trainer(MLP(sizes, seed=0, dtype=dtype), X, y, lr=0.05, batch_size=32, seed=0)

    def run(epochs: int) -> None:
        for _ in range(epochs):
            trainer.step_epoch()

    return _median_time(run, 3, repeats=5)


def _torch_threads(n: int | None) -> int | None:
    """Set torch's intra-op threads (None: leave them); return the previous count, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    previous = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(n)
    return previous


def _step_rows(label: str) -> None:
    for dtype in (np.float32, np.float64):
        ours = numpy_step_time(dtype)
        theirs = torch_step_time(dtype)
        name = f"{np.dtype(dtype).name}, {label}"
        if theirs is None:
            print(f"{name:<34}{ours * 1e3:>12.3f}{'(no torch)':>14}")
            continue
        torch_time, torch_threads = theirs
        ratio = ours / torch_time
        verdict = "ok" if ratio <= 1.0 else "numpy SLOWER than torch"
        print(
            f"{name:<34}{ours * 1e3:>12.3f}{torch_time * 1e3:>14.3f}{ratio:>13.2f}  {verdict} "
            f"(torch threads {torch_threads})"
        )


def main() -> None:
    env = {name: os.environ.get(name, "unset") for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    print(f"core.MLP {SIZES}, batch {BATCH}, cross-entropy, SGD lr={LR}; {os.cpu_count()} CPUs; {env}")
    print(f"{'dtype, threads':<34}{'numpy ms':>12}{'torch ms':>14}{'numpy/torch':>13}")
    default_torch = _torch_threads(None)
    _step_rows("threads as started")
    if any(info["user_api"] == "blas" for info in threadpool_info()):
        threadpool_limits(limits=1, user_api="blas")  # for the rest of the run, the digits epoch too
        _torch_threads(1)
        _step_rows("1 thread each")
        if default_torch is not None:
            _torch_threads(default_torch)
    else:
        print("(could not set the BLAS thread count: threadpoolctl finds no BLAS library in numpy)")
    print("one epoch of digits (1797 images, batch 32, Trainer with end-of-epoch evaluation), 1 BLAS thread:")
    for sizes in (SIZES, PAGE_DIGITS_SIZES):
        for dtype in (np.float32, np.float64):
            epoch = digits_epoch_time(dtype, sizes) * 1e3
            verdict = "ok" if epoch < DIGITS_TARGET_MS else f"over the {DIGITS_TARGET_MS:.0f} ms target"
            print(f"  {sizes} {np.dtype(dtype).name}: {epoch:.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
