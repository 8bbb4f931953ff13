"""Does the index hold what the database holds? A lost or partial index must never answer as if complete.

# 1,202 articles, 1 indexed, nothing queued -> Coverage(indexed=1, articles=1202, queued=0): 1,201 missing
Every index write happens after its database commit and before its queue row is deleted,
so a healthy index always holds at least (articles - queued articles) documents. Fewer
means documents were lost (the index was deleted, recreated, or restored from an old copy):
pages then say so, views without text come from the database, and the index is healed
(upkeep.py) by a rebuild.
"""

import dataclasses
import datetime
import threading
import time
from collections.abc import Hashable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from articles.models import Article, IndexQueue

from .engines import engine
from .indexing import DRAIN_IN_REQUEST_MAX, index_queued

CHECK_EVERY = 5.0  # seconds a worker trusts its last look at an index of the same generation
# Saves drain their own queue rows at once; a row older than this waits for the background or the
# upkeep (a big merge, an ingest under way, or one that was killed): pages say so.
WAIT_NOTICED = datetime.timedelta(seconds=10)


@dataclasses.dataclass(frozen=True)
class Coverage:
    available: bool  # the engine answers
    indexed: int  # documents the index holds
    articles: int  # articles in the database
    queued: int  # articles waiting in the index queue (written or removed soon)
    waiting_since: datetime.datetime | None = None  # when the oldest of them was queued

    @property
    def missing(self) -> int:
        """Articles neither indexed nor on their way: lost from the index (all but the queued when there is none)."""
        return max(0, self.articles - self.indexed - self.queued)

    @property
    def complete(self) -> bool:
        return self.available and self.missing == 0

    @property
    def catching_up(self) -> bool:
        """Articles wait to be written beyond a request's own drain (a merge or rename of a big actor, an ingest
        under way or killed): the index shows them as before, or not yet, meanwhile."""
        waited = self.waiting_since is not None and timezone.now() - self.waiting_since > WAIT_NOTICED
        return self.available and (self.queued > DRAIN_IN_REQUEST_MAX or waited)

    def catching_up_notice(self) -> str:
        return (
            f"{self.queued:,} articles are waiting to be written to the search index (new, edited, or changed with "
            "their actors or topics): until that is done, results and counts may leave some of them out or show them "
            "as they were. Try again in a few minutes."
        )

    def notice(self) -> str:
        """What a page says while the index is incomplete."""
        return (
            f"The search index is being rebuilt: only {self.indexed:,} of {self.articles:,} articles can be found "
            "by text right now, so these results may be incomplete. Try again in a few minutes."
        )


def index_coverage() -> Coverage:
    """Look now: the database's counts in one snapshot, then the engine's (which can only be ahead of it)."""
    with transaction.atomic():
        articles = Article.objects.count()
        queued = index_queued()
        waiting_since = IndexQueue.objects.aggregate(oldest=Min("queued"))["oldest"] if queued else None
    health = engine().health()
    return Coverage(health.available, health.documents if health.available else 0, articles, queued, waiting_since)


_last: tuple[float, Hashable, Coverage] | None = None  # when, the engine's generation then, what was seen
_lock = threading.Lock()


def recent_coverage() -> Coverage:
    """index_coverage(), at most CHECK_EVERY seconds old and of the index's current generation: pages
    ask on every request. A worker that looked while the index was lost or damaged looks again as soon
    as it is replaced, not CHECK_EVERY later."""
    global _last
    generation = engine().generation()
    with _lock:
        if _last is None or _last[1] != generation or time.monotonic() - _last[0] > CHECK_EVERY:
            _last = (time.monotonic(), generation, index_coverage())
        return _last[2]


def remember_coverage(generation: Hashable, coverage: Coverage) -> None:
    """A fresh look taken elsewhere in this process (the upkeep's) serves pages for CHECK_EVERY seconds."""
    global _last
    with _lock:
        _last = (time.monotonic(), generation, coverage)


def forget_coverage() -> None:
    """The next look is fresh (after a repair, and between tests)."""
    global _last
    with _lock:
        _last = None
