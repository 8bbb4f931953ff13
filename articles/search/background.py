"""Write the index queue in a background thread of this process, so a large change returns at once.

A merge or rename of an actor with thousands of articles queues them all in its transaction;
writing them to the index inside the editor's request took longer than the worker's timeout.
After such a commit the queue is drained here instead (articles.search.indexing decides), under
the same write lock as every index writer. A drain the process does not finish (it ends, or is
killed) leaves its rows queued for the next drain or the upkeep (upkeep.py): nothing is lost.
Pages say meanwhile that the index is catching up (coverage.py), the admin shows the progress.
"""

import logging
import threading

from django.db import DatabaseError, connections

from .engines.base import SearchUnavailable

log = logging.getLogger(__name__)
_wake = threading.Event()
_start = threading.Lock()
_thread: threading.Thread | None = None


def index_drain_soon() -> None:
    """Have this process's background thread drain the index queue (started on first use)."""
    global _thread
    with _start:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_drain_when_woken, name="newsdesk-index-drain", daemon=True)
            _thread.start()
    _wake.set()


def _drain_when_woken() -> None:
    from .indexing import index_drain

    while True:
        _wake.wait()
        _wake.clear()
        try:
            index_drain()
        except (SearchUnavailable, DatabaseError) as error:  # the rows stay queued: the next wake or the upkeep
            log.warning("background index drain postponed: %s", error)
        except Exception:  # a bug: say where, keep the thread for the next wake
            log.exception("background index drain failed")
        finally:
            connections.close_all()  # this thread's own connections
