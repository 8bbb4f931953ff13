"""Compare the search index with the database, and repair the differences."""

import dataclasses

from .backend import index_schema_outdated, indexed_documents
from .indexing import index_clear, index_drain, index_enqueue, index_writes_deferred
from .models import Article


@dataclasses.dataclass(frozen=True)
class IndexDifferences:
    missing: list[int]  # in the database, not in the index
    stale: list[int]  # in both, but the index holds an older version
    orphaned: list[int]  # in the index, no longer in the database
    total: int  # articles in the database
    schema_outdated: bool = False  # built with other fields than the code defines

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.orphaned or self.schema_outdated)

    def summary(self) -> str:
        if not self:
            return f"Index matches the database: {self.total} articles."
        if self.schema_outdated:
            return "The index was built with an older set of fields: it must be rebuilt (index_check --repair)."
        return (
            f"Index differs from the database ({self.total} articles): "
            f"{len(self.missing)} missing {_sample(self.missing)}, "
            f"{len(self.stale)} stale {_sample(self.stale)}, "
            f"{len(self.orphaned)} deleted but still indexed {_sample(self.orphaned)}."
        )


def _sample(ids: list[int]) -> str:
    return f"(ids {', '.join(map(str, ids[:5]))}{'…' if len(ids) > 5 else ''})" if ids else ""


def index_differences(backend=None) -> IndexDifferences:
    """List the articles whose index document is missing, out of date or left behind."""
    if index_schema_outdated(backend):
        return IndexDifferences([], [], [], Article.objects.count(), schema_outdated=True)
    indexed = indexed_documents(backend)
    in_db = dict(Article.objects.values_list("id", "updated"))
    missing = sorted(set(in_db) - set(indexed))
    orphaned = sorted(set(indexed) - set(in_db))
    stale = sorted(
        article_id
        for article_id in set(in_db) & set(indexed)
        if not _same_time(in_db[article_id], indexed[article_id])
    )
    return IndexDifferences(missing, stale, orphaned, len(in_db))


def _same_time(in_db, in_index) -> bool:
    """Compare to the second; the index stores naive UTC datetimes."""
    if in_index is None:
        return False
    return in_db.replace(tzinfo=None, microsecond=0) == in_index.replace(tzinfo=None, microsecond=0)


def index_repair(differences: IndexDifferences) -> int:
    """Queue every differing article and drain the queue; return how many were written."""
    if differences.schema_outdated:
        index_clear()  # recreated with the current fields; every article is then missing
        differences = index_differences()
    with index_writes_deferred():
        index_enqueue(differences.missing + differences.stale + differences.orphaned)
    return index_drain()
