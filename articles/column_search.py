"""Searches answered from the index columns (articles.columns), Whoosh only matching and ranking text.

The plain path (articles.search with haystack) gives Whoosh the text query, every filter
and three facets, and Whoosh walks postings in Python for each. Here Whoosh only lists
the documents matching the text and scores the page; filters, the count and the facet
counts are numpy operations on the columns. Results are the same set, count and facets
(tests/test_column_search.py compares both paths). The one difference: with filters and
relevance order, the plain path lets the filter terms add to each score, this path ranks
by the text alone.
"""

import dataclasses
import datetime

import numpy as np
from haystack import connections
from haystack.query import SearchQuerySet

from .columns import Columns, day_number, microseconds, searcher_columns
from .forms import SearchFilters
from .query import ParsedQuery, query_to_sq
from .searchers import current_searcher


@dataclasses.dataclass(frozen=True)
class ColumnHits:
    article_ids: list[int]  # the requested slice, in order
    count: int
    actors: dict[str, int]
    topics: dict[str, int]
    months: dict[str, int]  # {"YYYY-MM": n}
    days: dict[str, int] | None  # {"YYYY-MM-DD": n} when asked for


def column_search(filters: SearchFilters, parsed: ParsedQuery | None, start: int, end: int | None,
                  with_days: bool = False) -> ColumnHits:
    """The slice [start:end] of the view's article ids with the count and facets over all its matches.

    `parsed` None: a filter-only view, newest (or oldest) first like the database path.
    """
    backend = _backend()
    searcher = current_searcher(backend.index)
    columns = searcher_columns(searcher)
    selected = filter_mask(columns, filters)
    if parsed is None:
        ranked = _by_date(columns, selected, filters.sort)
    else:
        query = backend.parser.parse(text_query_string(parsed))
        selected &= _matching(searcher, query, columns.size)
        ranked = _ranked(searcher, query, columns, selected, filters.sort, end)
    docnums = ranked[start:end]
    return ColumnHits(
        article_ids=[int(article_id) for article_id in columns.article_ids[docnums]],
        count=int(selected.sum()),
        actors=columns.keywords["actors"].counts(selected),
        topics=columns.keywords["topics"].counts(selected),
        months=_date_counts(columns.days[selected], "M", 7),
        days=_date_counts(columns.days[selected], "D", 10) if with_days else None,
    )


def text_query_string(parsed: ParsedQuery) -> str:
    """The query string haystack would send Whoosh for the text part alone."""
    return SearchQuerySet().filter(query_to_sq(parsed)).query.build_query()


def filter_mask(columns: Columns, filters: SearchFilters) -> np.ndarray:
    """Documents passing every filter of the view (text aside), each group of versions once."""
    mask = columns.live & ~columns.is_version
    if filters.date_from:
        mask &= columns.days >= day_number(filters.date_from)
    if filters.date_to:
        mask &= columns.days <= day_number(filters.date_to)
    if filters.as_of:
        day_after = datetime.datetime.combine(filters.as_of + datetime.timedelta(days=1), datetime.time())
        mask &= columns.created < microseconds(day_after)
    for field in ("actors", "topics"):
        keywords = columns.keywords[field]
        for label in getattr(filters, field):
            mask &= keywords.carrying([label.slug], columns.size)
        if any_of := getattr(filters, f"{field}_any"):
            mask &= keywords.carrying([label.slug for label in any_of], columns.size)
        if none_of := getattr(filters, f"{field}_not"):
            mask &= ~keywords.carrying([label.slug for label in none_of], columns.size)
    return mask


def _matching(searcher, query, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(searcher.docs_for_query(query), dtype=np.int64)] = True
    return mask


def _ranked(searcher, query, columns: Columns, selected: np.ndarray, sort: str, end: int | None) -> np.ndarray:
    """Document numbers of the selected documents in the view's order (at least the first `end`)."""
    if sort in ("newest", "oldest"):
        return _by_date(columns, selected, sort)
    if not selected.any():
        return np.zeros(0, dtype=np.int64)
    # Whoosh scores the text query among the selected documents only: pass it the smaller set.
    results = searcher.search(query, limit=end, filter=set(np.flatnonzero(selected).tolist()))
    return np.array([docnum for _, docnum in results.top_n], dtype=np.int64)


def _by_date(columns: Columns, selected: np.ndarray, sort: str) -> np.ndarray:
    """Newest first (then highest id) or oldest first (then lowest id), as the database orders them."""
    docnums = np.flatnonzero(selected)
    days, ids = columns.days[docnums], columns.article_ids[docnums]
    order = np.lexsort((ids, days)) if sort == "oldest" else np.lexsort((-ids, -days))
    return docnums[order]


def _date_counts(days: np.ndarray, unit: str, width: int) -> dict[str, int]:
    """Count days by month ("M": "YYYY-MM") or by day ("D": "YYYY-MM-DD")."""
    values, counts = np.unique(days.astype("datetime64[D]").astype(f"datetime64[{unit}]"), return_counts=True)
    return {str(value)[:width]: int(count) for value, count in zip(values, counts)}


def _backend():
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend
