"""Rebuild the search index from the database beside the live one, then swap it in.

Searches keep using the old index while the new one is built; edits made meanwhile go to
the old one and are brought over, under the write lock, just before the swap.
"""

import contextlib
from collections.abc import Iterator

from articles.models import Article

from .consistency import index_differences
from .engines import engine
from .engines.base import IndexBuild
from .indexing import index_write_lock

BUILD_BATCH = 1000


def index_rebuild(progress=None) -> int:
    """Index every article into a fresh index and swap it in atomically; return how many."""
    ids = list(Article.objects.values_list("id", flat=True).order_by("id"))
    build = engine().begin_rebuild(len(ids))
    with _discarded_on_failure(build):
        total = build.fill(article_batches(ids, progress))
    with index_write_lock(), _discarded_on_failure(build):
        _catch_up(build)
        build.swap()  # when it cannot replace the live index, that one stays and the fresh one goes
    return total


@contextlib.contextmanager
def _discarded_on_failure(build: IndexBuild) -> Iterator[None]:
    try:
        yield
    except BaseException:
        build.discard()  # the live index was never touched
        raise


def _catch_up(build: IndexBuild) -> None:
    """Bring over the edits made while the fresh index was built (they went to the live one)."""
    differences = index_differences(build.indexed())
    for batch in article_batches(differences.missing + differences.stale):
        build.write(batch)
    if differences.orphaned:
        build.write([], differences.orphaned)


def article_batches(ids: list[int], progress=None) -> Iterator[list[Article]]:
    """Yield the articles with these ids, BUILD_BATCH at a time, with actors and topics loaded."""
    for start in range(0, len(ids), BUILD_BATCH):
        batch = ids[start:start + BUILD_BATCH]
        yield list(Article.objects.filter(id__in=batch).prefetch_related("actors", "topics"))
        if progress:
            progress(len(batch))
