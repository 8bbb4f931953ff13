"""Compare the search index with the database, and repair the differences.

An indexed document is stale when its `updated` stamp, its actors or its topics differ
from the database's: merging or renaming an actor changes links, not stamps.
"""

import dataclasses
import logging
from collections import defaultdict

from articles.models import Article

from .engines import engine
from .engines.base import IndexedDocument, SearchUnavailable
from .indexing import index_clear, index_drain, index_enqueue, index_writes_deferred

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class IndexDifferences:
    missing: list[int]  # in the database, not in the index
    stale: list[int]  # in both, but the index holds an older version
    orphaned: list[int]  # in the index, no longer in the database
    total: int  # articles in the database
    schema_outdated: bool = False  # built with other fields or analysis than the code defines

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.orphaned or self.schema_outdated)

    def summary(self) -> str:
        if not self:
            return f"Index matches the database: {self.total} articles."
        if self.schema_outdated:
            return "The index was built with an older set of fields or analysis: it must be rebuilt (index_check --repair)."
        return (
            f"Index differs from the database ({self.total} articles): "
            f"{len(self.missing)} missing {_sample(self.missing)}, "
            f"{len(self.stale)} stale {_sample(self.stale)}, "
            f"{len(self.orphaned)} deleted but still indexed {_sample(self.orphaned)}."
        )


def _sample(ids: list[int]) -> str:
    return f"(ids {', '.join(map(str, ids[:5]))}{'…' if len(ids) > 5 else ''})" if ids else ""


def index_differences(indexed: dict[int, IndexedDocument] | None = None) -> IndexDifferences:
    """List the articles whose index document is missing, out of date or left behind.

    `indexed`: what an index holds (a rebuild's fresh one); by default the live engine's.
    """
    if indexed is None:
        if not (health := engine().health()).available:
            raise health.error()  # missing, unreadable or damaged (only a rebuild helps), or misconfigured
        if engine().schema_outdated():
            return IndexDifferences([], [], [], Article.objects.count(), schema_outdated=True)
        indexed = engine().indexed()
    in_db = database_documents()
    missing = sorted(set(in_db) - set(indexed))
    orphaned = sorted(set(indexed) - set(in_db))
    stale = sorted(
        article_id for article_id in set(in_db) & set(indexed) if not _same(in_db[article_id], indexed[article_id])
    )
    return IndexDifferences(missing, stale, orphaned, len(in_db))


def database_documents() -> dict[int, IndexedDocument]:
    """What the index should hold of every article: its stamp, actor slugs and topic slugs."""
    labels = {field: defaultdict(set) for field in ("actors", "topics")}
    for field, through, slug in (("actors", Article.actors.through, "actor__slug"), ("topics", Article.topics.through, "topic__slug")):
        for article_id, value in through.objects.values_list("article_id", slug).iterator(chunk_size=10_000):
            labels[field][article_id].add(value)
    return {
        article_id: IndexedDocument(updated, frozenset(labels["actors"].get(article_id, ())), frozenset(labels["topics"].get(article_id, ())))
        for article_id, updated in Article.objects.values_list("id", "updated").iterator(chunk_size=10_000)
    }


def _same(in_db: IndexedDocument, in_index: IndexedDocument) -> bool:
    """Stamps compared to the second (Whoosh stores naive UTC datetimes), actors and topics exactly."""
    if in_index.updated is None:
        return False
    stamps_equal = in_db.updated.replace(tzinfo=None, microsecond=0) == in_index.updated.replace(tzinfo=None, microsecond=0)
    return stamps_equal and in_db.actors == in_index.actors and in_db.topics == in_index.topics


def index_repair(differences: IndexDifferences) -> int:
    """Queue every differing article and drain the queue; return how many were written.

    An index that cannot be written in place (a read-only directory) is rebuilt beside it and
    swapped in; SearchUnavailable when even that fails.
    """
    if differences.schema_outdated:
        index_clear()  # recreated with the current fields; every article is then missing
        differences = index_differences()
    with index_writes_deferred():
        index_enqueue(differences.missing + differences.stale + differences.orphaned)
    try:
        return index_drain()
    except SearchUnavailable as error:
        from .rebuild import index_rebuild

        log.warning("the index cannot be written in place (%s): rebuilding it beside", error)
        total = index_rebuild()
        index_drain()  # the rows queued above, now written into the fresh index
        return total
