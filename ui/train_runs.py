"""The training runs of this server process, shared by every session of the Train a network page.

One :class:`core.train_runs.RunCache` per process: 100 students who press Play on the same settings read
one run, trained once (see ``core.train_runs``).  Each session keeps only the run's spec and how far it
has got (an epoch) in its session state.  The cache holds at most :data:`MAX_RUNS` runs and
:data:`MAX_BYTES` bytes of snapshots and checkpoints (about eight full 500-epoch races of the default
settings), evicting the least recently used; a session whose run was evicted gets it trained again.
"""

from __future__ import annotations

from core.train_runs import RunCache

MAX_EPOCHS = 500  # playing stops here
MAX_RUNS = 64
MAX_BYTES = 64 * 2**20

RUNS = RunCache(max_runs=MAX_RUNS, max_bytes=MAX_BYTES, max_epochs=MAX_EPOCHS)
