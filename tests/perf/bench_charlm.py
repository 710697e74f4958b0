"""Benchmark of the Language-model surprise page's numerics (prints, never fails).

Run as ``python -m tests.perf.bench_charlm``.  It prints, with one BLAS thread (what the app sets through
``ui.runtime.use_one_blas_thread``):

- the time to train the page's network (:func:`core.charnet.train_char_mlp` on the shipped text, 2000
  steps of 128 characters, the learning curve measured every 200 steps) for each context length the
  page offers, at its default width (target: a few seconds; the page trains each setting once per
  process, :func:`core.charnet.trained_network`);
- the time to build the bigram model for one smoothing k, to score the held-out text with each model,
  and to sample 300 characters from the bigram model and from the network.

Wall time and CPU time are both printed: on a shared machine the wall time also counts waiting for a core.
"""

from __future__ import annotations

import time

from threadpoolctl import threadpool_limits

from core.charlm import bigram_model, load_corpus, sample_text, scores, unigram_model
from core.charnet import train_char_mlp
from core.defaults import LANGUAGE_CONTEXT, LANGUAGE_HIDDEN


def _timed(fn, repeats: int = 1):
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        out = fn()
    return out, (time.perf_counter() - wall) / repeats, (time.process_time() - cpu) / repeats


def main() -> None:
    corpus = load_corpus()
    with threadpool_limits(1, user_api="blas"):
        print(f"training text {corpus.train_ids.size} characters, held-out {corpus.held_out_ids.size}")
        networks = {}
        low, high, default = LANGUAGE_CONTEXT
        for context in range(low, high + 1):
            run, wall, cpu = _timed(
                lambda c=context: train_char_mlp(
                    corpus.train_ids, corpus.held_out_ids, context=c, hidden=LANGUAGE_HIDDEN
                )
            )
            networks[context] = run.model
            print(
                f"train network context {context}, hidden {LANGUAGE_HIDDEN}: {wall:.2f} s wall, "
                f"{cpu:.2f} s CPU; held-out {run.held_out_nats[-1]:.4f} nats/char"
            )
        bigram, wall, _ = _timed(lambda: bigram_model(corpus.train_ids, 1.0), repeats=50)
        print(f"bigram model for one k: {1000 * wall:.2f} ms")
        for model in (unigram_model(corpus.train_ids, 1.0), bigram, networks[default]):
            _, wall, _ = _timed(lambda m=model: scores(m, corpus.held_out_ids), repeats=10)
            print(f"score held-out text with {model.name}: {1000 * wall:.2f} ms")
        for model in (bigram, networks[default]):
            _, wall, _ = _timed(lambda m=model: sample_text(m, 300, temperature=1.0, seed=0), repeats=5)
            print(f"sample 300 characters from {model.name}: {1000 * wall:.1f} ms")


if __name__ == "__main__":
    main()
