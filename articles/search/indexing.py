"""The one write path to the search index.

Every change to an article (save, delete, actors or topics changed, an actor or
topic renamed) adds a row to IndexQueue inside the same database transaction.
After the transaction commits, the queue is drained under an exclusive file lock,
so only one process at a time ever writes to the search engine. A drain that fails or
is killed leaves its rows queued, and the next drain picks them up: nothing is lost.
"""

import contextlib
import fcntl
import logging
import threading
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from haystack.signals import BaseSignalProcessor

from articles.models import Actor, Article, IndexQueue, Topic

from .engines import engine


DRAIN_BATCH_SIZE = 500
# Articles a request writes to the index itself once it commits; a larger queue (a merge or rename of
# a big actor, or a drain beside a running ingest) is written in the background (background.py).
DRAIN_IN_REQUEST_MAX = 200
QUEUE_INSERT_BATCH = 1000
log = logging.getLogger(__name__)
_deferral = threading.local()


def index_enqueue(article_ids: Iterable[int]) -> None:
    """Queue articles for (re)indexing and drain the queue once the transaction commits."""
    rows = [IndexQueue(article_id=article_id) for article_id in set(article_ids)]
    if not rows:
        return
    IndexQueue.objects.bulk_create(rows, batch_size=QUEUE_INSERT_BATCH)
    if not getattr(_deferral, "active", False):
        # robust: a failed index write is logged and its rows stay queued for the next
        # drain; the editor's committed save is not turned into an error page.
        transaction.on_commit(_drain_after_commit, robust=True)


def _drain_after_commit() -> None:
    """Drain now when the queue is small; hand a large one to the background thread."""
    from .background import index_drain_soon

    if index_queued() > DRAIN_IN_REQUEST_MAX:
        index_drain_soon()
    else:
        index_drain()


def index_queued() -> int:
    """How many articles wait to be written to (or removed from) the index."""
    return IndexQueue.objects.values("article_id").distinct().count()


@contextlib.contextmanager
def index_writes_deferred() -> Iterator[None]:
    """Queue index writes without draining, for batch work that drains once at the end."""
    previous = getattr(_deferral, "active", False)
    _deferral.active = True
    try:
        yield
    finally:
        _deferral.active = previous


@contextlib.contextmanager
def index_write_lock() -> Iterator[None]:
    """Hold the exclusive, cross-process lock that every index writer takes."""
    settings.INDEX_DIR.parent.mkdir(parents=True, exist_ok=True)
    lock_path = settings.INDEX_DIR.parent / f"{settings.INDEX_DIR.name}.write.lock"
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def index_drain(progress=None, min_batch: int = 1) -> int:
    """Write every queued article to the index (or remove it when deleted); return how many.

    min_batch: write only batches of at least that many articles and leave a smaller rest
    queued (a drain beside a running ingest: each commit adds a segment to merge later).
    Into an index that lost documents nothing is written (it would look whole with a few):
    the rows stay queued until a rebuild heals it (articles.search.upkeep.index_heal).
    """
    from .coverage import index_coverage

    done = 0
    with index_write_lock():
        if (coverage := index_coverage()).missing:
            log.warning("index drain skipped: %s articles are missing from the index; it must be rebuilt", coverage.missing)
            return 0
        while batch := _queue_batch():
            article_ids = {article_id for _, article_id in batch}
            if len(article_ids) < min_batch:
                break
            _index_write(article_ids)
            IndexQueue.objects.filter(id__in=[queue_id for queue_id, _ in batch]).delete()
            done += len(article_ids)
            if progress:
                progress(len(article_ids))
    return done


def _queue_batch() -> list[tuple[int, int]]:
    """The next queue rows (id, article id) for up to DRAIN_BATCH_SIZE distinct articles.

    Saving an article queues it several times (the save, then its actors, then its topics):
    one batch takes every row it reads for the articles it writes, so a batch of 500 is
    500 articles, not ~170.
    """
    rows = list(IndexQueue.objects.values_list("id", "article_id")[:DRAIN_BATCH_SIZE * 4])
    chosen = set()
    for _, article_id in rows:
        if len(chosen) == DRAIN_BATCH_SIZE:
            break
        chosen.add(article_id)
    return [(queue_id, article_id) for queue_id, article_id in rows if article_id in chosen]


def _index_write(article_ids: set[int]) -> None:
    """Update the documents of existing articles and remove those of deleted ones."""
    articles = list(Article.objects.filter(id__in=article_ids).prefetch_related("actors", "topics"))
    engine().write(articles, article_ids - {article.id for article in articles})


def index_clear() -> None:
    """Replace the index with an empty one with the current fields (under the write lock)."""
    from .coverage import forget_coverage

    with index_write_lock():
        engine().clear()
    forget_coverage()


class QueueSignalProcessor(BaseSignalProcessor):
    """Queue index writes for saves, deletes and many-to-many edits (admin included)."""

    def hookups(self):
        """Yield (signal, handler, sender) for everything that changes a search document."""
        yield post_save, self.article_saved, Article
        yield post_delete, self.article_deleted, Article
        for through in (Article.actors.through, Article.topics.through):
            yield m2m_changed, self.relations_changed, through
        for model in (Actor, Topic):
            yield pre_save, self.label_saving, model
            yield post_save, self.label_saved, model
            yield pre_delete, self.label_deleting, model

    def setup(self):
        for signal, handler, sender in self.hookups():
            signal.connect(handler, sender=sender)

    def teardown(self):
        for signal, handler, sender in self.hookups():
            signal.disconnect(handler, sender=sender)

    def article_saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            index_enqueue([instance.pk])

    def article_deleted(self, sender, instance, **kwargs):
        index_enqueue([instance.pk])

    def relations_changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        # Forward (article.actors.add): the instance is the article.
        # Reverse (actor.articles.add): pk_set holds article ids; on clear it is None,
        # so remember the articles before they are unlinked.
        if not reverse:
            if action.startswith("post_"):
                index_enqueue([instance.pk])
        elif action == "pre_clear":
            instance._articles_before_clear = list(instance.articles.values_list("pk", flat=True))
        elif action == "post_clear":
            index_enqueue(getattr(instance, "_articles_before_clear", []))
        elif action in ("post_add", "post_remove"):
            index_enqueue(pk_set or [])

    def label_saving(self, sender, instance, raw=False, **kwargs):
        if instance.pk and not raw:
            instance._slug_before_save = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()

    def label_saved(self, sender, instance, created, raw=False, **kwargs):
        # Documents carry actor and topic slugs: a new slug changes every article that has it.
        if not created and not raw and getattr(instance, "_slug_before_save", instance.slug) != instance.slug:
            index_enqueue(instance.articles.values_list("pk", flat=True))

    def label_deleting(self, sender, instance, **kwargs):
        index_enqueue(instance.articles.values_list("pk", flat=True))
