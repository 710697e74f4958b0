"""Benchmark of the core numerics against PyTorch's CPU kernels.  Prints; never fails.

    python -m tests.perf.bench_core [--repeat 30]

Cross-entropy forward + backward (``core.loss_and_grad``, one pass) and softmax on (4096, 1000) logits
in float32 and float64; where torch is installed, the fused ``F.cross_entropy`` forward + backward and
``torch.softmax`` on the same data, and the ratio numpy / torch (target: <= 1.3).  Times are the median
of ``--repeat`` runs after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from core.functional import softmax
from core.losses import loss_and_grad

SHAPE = (4096, 1000)


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        torch = None

    rng = np.random.default_rng(0)
    logits64 = rng.normal(size=SHAPE) * 3
    target = rng.integers(0, SHAPE[1], SHAPE[0])
    print(
        f"core numerics benchmark: logits {SHAPE}, median of {args.repeat} runs, {platform.processor() or ''}"
    )
    print(
        f"numpy {np.__version__}, torch {torch.__version__ if torch else 'not installed'}, "
        f"{os.cpu_count()} cores"
    )
    if torch:
        print(f"torch threads: {torch.get_num_threads()}")
    header = f"{'operation':<32}{'dtype':<9}{'numpy ms':>10}{'torch ms':>10}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for dtype in (np.float32, np.float64):
        z = logits64.astype(dtype)
        rows = [
            ("cross-entropy forward+backward", lambda z=z: loss_and_grad("cross_entropy", z, target)),
            ("softmax", lambda z=z: softmax(z)),
        ]
        torch_fns = [None, None]
        if torch:
            zt = torch.tensor(z)
            tt = torch.tensor(target)

            def torch_ce(zt=zt, tt=tt):
                x = zt.detach().requires_grad_(True)
                F.cross_entropy(x, tt).backward()
                return x.grad

            torch_fns = [torch_ce, lambda zt=zt: torch.softmax(zt, -1)]
        for (name, fn), tfn in zip(rows, torch_fns, strict=True):
            ours = median_ms(fn, args.repeat)
            if tfn is None:
                print(f"{name:<32}{np.dtype(dtype).name:<9}{ours:>10.2f}{'-':>10}{'-':>8}")
            else:
                ref = median_ms(tfn, args.repeat)
                print(f"{name:<32}{np.dtype(dtype).name:<9}{ours:>10.2f}{ref:>10.2f}{ours / ref:>8.2f}")


if __name__ == "__main__":
    main()
