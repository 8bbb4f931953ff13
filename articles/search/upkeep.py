"""The index heals itself: queued writes left behind are drained, a lost index is rebuilt, without an operator.

Run by the ingest command after each batch, by `index_check --repair`, and every UPKEEP_EVERY
seconds by a thread in each web worker (newsdesk/gunicorn.conf.py), one worker at a time:
- rows left in the index queue for STALE_AFTER seconds (a killed ingest or upload, a drain
  that failed while the engine was down) are drained;
- an index missing documents that are not on their way (coverage.py) is rebuilt from the
  database beside the live one and swapped in;
- every COMPARE_EVERY seconds the whole index is compared with the database and what differs
  written again (an old copy of the index restored holds as many documents, but not the right ones).
"""

import contextlib
import datetime
import fcntl
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from articles.models import IndexQueue

from .coverage import forget_coverage, index_coverage, remember_coverage
from .engines import engine
from .engines.base import SearchUnavailable
from .indexing import index_drain
from .rebuild import index_rebuild

UPKEEP_EVERY = settings.INDEX_UPKEEP_SECONDS  # 60 s unless NEWSDESK_INDEX_UPKEEP_SECONDS says otherwise
STALE_AFTER = 2 * UPKEEP_EVERY  # seconds a queue row may wait for the drain that follows its write
COMPARE_EVERY = settings.INDEX_COMPARE_SECONDS
log = logging.getLogger(__name__)


def index_heal(progress=None, announce=log.warning) -> int | None:
    """Rebuild the index when it lost documents or cannot be read; return how many it holds, or None when it was whole.

    Raises SearchUnavailable when the engine cannot be reached (a cluster down): try later.
    """
    coverage = index_coverage()
    if coverage.available and not coverage.missing:
        return None
    if coverage.available:
        announce(f"The search index lacks {coverage.missing:,} of {coverage.articles:,} articles: rebuilding it.")
    else:
        announce("The search index is missing or unreadable: rebuilding it from the database.")
    total = index_rebuild(progress)
    index_drain()  # what was queued meanwhile
    forget_coverage()
    return total


def index_upkeep(*, starting: bool = False) -> bool:
    """One round: heal a lost index, drain what waited too long; False when skipped (another process does it).

    The rebuild runs as `manage.py index_check --repair` in a process of its own: a web worker
    keeps serving meanwhile, and never forks writer processes from a threaded process.
    starting: the first round of a new worker drains whatever is queued, however young: rows left
    by a process killed a moment ago (a worker killed mid-upload is replaced at once).
    """
    with _upkeep_lock() as mine:
        if not mine:
            return False
        quiet = False  # nothing was written: this round's look at the index still holds
        try:
            generation = engine().generation()
            coverage = index_coverage()
            compared = _compared_stamp()
            repair = coverage.missing or not coverage.available or _older_than(compared, COMPARE_EVERY)
            if repair:
                compared.touch()  # also when the repair fails: the next comparison comes COMPARE_EVERY later
                subprocess.run([sys.executable, str(settings.BASE_DIR / "manage.py"), "index_check", "--repair"],
                               cwd=settings.BASE_DIR, capture_output=True, check=False)
            waited = timezone.now() - datetime.timedelta(seconds=0 if starting else STALE_AFTER)
            drain = IndexQueue.objects.filter(queued__lt=waited).exists()
            if drain:
                index_drain()
            quiet = not repair and not drain
        except (SearchUnavailable, DatabaseError) as error:  # the engine down, the database busy: next round
            log.warning("index upkeep postponed: %s", error)
        finally:
            if quiet:
                remember_coverage(generation, coverage)  # pages need not look again (a new worker's first page)
            else:
                forget_coverage()
        return True


def comparison_recorded() -> None:
    """Say the whole index was just compared with the database and matches it (`manage.py index_check`):
    the upkeep's next comparison comes COMPARE_EVERY later."""
    with contextlib.suppress(OSError):  # a directory that cannot be written: the upkeep compares again
        _compared_stamp().touch()


def _compared_stamp() -> Path:
    """A file whose modification time says when the whole index was last compared with the database (by any process)."""
    return settings.INDEX_DIR.parent / f"{settings.INDEX_DIR.name}.compared"


def _older_than(stamp: Path, seconds: float) -> bool:
    try:
        return time.time() - stamp.stat().st_mtime > seconds
    except FileNotFoundError:
        stamp.touch()  # a new site: its first comparison comes `seconds` later
        return False


@contextlib.contextmanager
def _upkeep_lock() -> Iterator[bool]:
    """A non-blocking cross-process lock: `with _upkeep_lock() as mine`, mine is False when another holds it."""
    path = settings.INDEX_DIR.parent / f"{settings.INDEX_DIR.name}.upkeep.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True  # closing the file releases the lock


def start_upkeep_thread() -> threading.Thread:
    """Run index_upkeep() now and every UPKEEP_EVERY seconds, in the background of this process."""
    def loop() -> None:
        starting = True
        while True:
            try:
                starting = not index_upkeep(starting=starting) and starting  # until a first round ran
            except Exception:  # never let upkeep take the worker down; the next round tries again
                log.exception("index upkeep failed")
            finally:
                close_old_connections()
            time.sleep(UPKEEP_EVERY)

    thread = threading.Thread(target=loop, name="newsdesk-index-upkeep", daemon=True)
    thread.start()
    return thread
