"""A second process that writes queued articles to the index while a long ingest stores more.

Storing (reading, extraction, database) and index writing each keep one core busy; run
one after the other, a large ingest takes their sum, and nothing it stored is searchable
until the end. With this process beside it, the ingest takes about the longer of the two
and articles become searchable as it goes. The queue and its file lock stay the only way
to the index (articles.search.indexing): this process only drains, and a drain it does not
finish leaves its rows queued for the next.
"""

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator

from django.db import connections

from .search.indexing import index_drain

log = logging.getLogger(__name__)

DRAIN_EVERY = 2.0  # seconds between looks at the queue
# Articles written at once, at least: fewer commits (each a segment Whoosh merges later), while the
# batch's last drain, after its last file, is left with little (a 500-file ingest took 2 s longer
# when this process wrote only full batches of 500 and the last drain wrote them all).
MIN_BATCH = 100


@contextlib.contextmanager
def indexing_alongside() -> Iterator[None]:
    """Drain the index queue in a forked process until the block ends (the caller drains what is left)."""
    connections.close_all()  # a forked child must not share the parent's database connections
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    child = context.Process(target=_drain_until, args=(stop, os.getpid()), name="newsdesk-indexer", daemon=True)
    child.start()
    try:
        yield
    finally:
        stop.set()
        child.join()


def _drain_until(stop, parent_pid: int) -> None:
    connections.close_all()
    while not stop.wait(DRAIN_EVERY):
        if os.getppid() != parent_pid:
            return  # the ingest was killed: its queued rows wait for the next drain
        try:
            index_drain(min_batch=MIN_BATCH)
        except Exception:  # the parent's final drain reports the failure
            log.exception("indexing alongside the ingest failed; the queue keeps the articles")
    connections.close_all()
