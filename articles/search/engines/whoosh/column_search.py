"""Searches answered from the index columns (columns.py) and postings arrays (matching.py).

The plain path (plain.py, haystack's own search) gives Whoosh the text query, every filter
and three facets, and Whoosh walks postings in Python for each. Here the text query is
matched and scored from postings arrays with Whoosh's own scores (matching.py; Whoosh's
matchers only for a query that module does not reproduce); filters, the count and the
facet counts are numpy operations on the columns. Results are the same set, count and facets
(tests/search/test_whoosh_columns.py compares both paths). The one difference: with
filters and relevance order, the plain path lets the filter terms add to each score,
this path ranks by the text alone.
"""

import datetime

import numpy as np

from ...documents import label_slugs, labels_slugs
from ..base import FacetCounts, SearchHits, SearchRequest
from .backend import search_backend
from .columns import Columns, day_number, microseconds, searcher_columns
from .matching import Unsupported, match_query
from .query import whoosh_query
from .searchers import current_searcher


DATE_SORTS = ("newest", "oldest")
# A query left to Whoosh's matchers (matching.py does not reproduce it): up to this many estimated
# matches it is matched and scored in one pass; beyond, matched once for the count and facets, then
# Whoosh scores only the top page.
ONE_PASS_MATCHES = 20_000


def column_search(request: SearchRequest) -> SearchHits:
    """The slice of the view's article ids with the count and facets over all its matches."""
    backend = search_backend()
    # Parsed first: the parser looks prefixes up in current_searcher(), which closes the readers of a
    # generation an editor's write replaced meanwhile; the searcher taken after it is the newest.
    query = None if request.query is None else whoosh_query(backend, request.query)
    searcher = current_searcher(backend)
    columns = searcher_columns(searcher)
    selected = filter_mask(columns, request)
    end = request.stop
    if query is None:
        ranked = _by_date(columns, selected, request.sort, end)
    else:
        selected, ranked = _text_search(searcher, query, columns, selected, request.sort, end)
    docnums = ranked[request.start:end]
    facets = FacetCounts(
        actors=columns.keywords["actors"].counts(selected),
        topics=columns.keywords["topics"].counts(selected),
        months=_date_counts(columns.days[selected], "M", 7),
        days=_date_counts(columns.days[selected], "D", 10) if request.days else None,
    ) if request.facets else FacetCounts({}, {}, {})
    return SearchHits(
        ids=[int(article_id) for article_id in columns.article_ids[docnums]],
        count=int(selected.sum()),
        facets=facets,
    )


def filter_mask(columns: Columns, request: SearchRequest) -> np.ndarray:
    """Documents passing every filter of the view (text aside), each group of versions once."""
    filters = request.filters
    mask = columns.live & ~columns.is_version
    if filters.date_from:
        mask &= columns.days >= day_number(filters.date_from)
    if filters.date_to:
        mask &= columns.days <= day_number(filters.date_to)
    if filters.as_of:
        day_after = datetime.datetime.combine(filters.as_of + datetime.timedelta(days=1), datetime.time())
        mask &= columns.created < microseconds(day_after)
    if request.created_after:
        mask &= columns.created > microseconds(request.created_after)
    for field in ("actors", "topics"):
        keywords = columns.keywords[field]
        for label in getattr(filters, field):
            mask &= keywords.carrying(list(label_slugs(label)), columns.size)
        if any_of := getattr(filters, f"{field}_any"):
            mask &= keywords.carrying(labels_slugs(any_of), columns.size)
        if none_of := getattr(filters, f"{field}_not"):
            mask &= ~keywords.carrying(labels_slugs(none_of), columns.size)
    return mask


def _mask(docnums: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[docnums] = True
    return mask


def _text_search(searcher, query, columns: Columns, selected: np.ndarray, sort: str, end: int | None):
    """(the selected documents matching the query, their document numbers in the view's order).

    The order covers at least the first `end` documents.
    """
    scored = sort not in DATE_SORTS
    try:
        matches, scores = match_query(searcher, query, columns, scored=scored)
    except Unsupported:
        return _whoosh_text_search(searcher, query, columns, selected, sort, end)
    selected = selected & _mask(matches, columns.size)
    if not scored:
        return selected, _by_date(columns, selected, sort, end)
    return selected, _best_first(columns, matches, scores, selected, end)


def _whoosh_text_search(searcher, query, columns: Columns, selected: np.ndarray, sort: str, end: int | None):
    """_text_search by Whoosh's own matchers, for a query matching.py does not reproduce."""
    if query.estimate_size(searcher.reader()) <= ONE_PASS_MATCHES:
        # One pass scores every match: cheaper than matching twice when matching is the cost (phrases).
        scored = searcher.search(query, limit=None).top_n
        matches = np.array([docnum for _, docnum in scored], dtype=np.int64)
        selected = selected & _mask(matches, columns.size)
        if sort in DATE_SORTS:
            return selected, _by_date(columns, selected, sort, end)
        return selected, _best_first(columns, matches, np.array([score for score, _ in scored]), selected, end)
    selected = selected & _mask(np.fromiter(searcher.docs_for_query(query), dtype=np.int64), columns.size)
    if sort in DATE_SORTS:
        return selected, _by_date(columns, selected, sort, end)
    if not selected.any():
        return selected, np.zeros(0, dtype=np.int64)
    # Whoosh scores the query among the selected documents only (filters do not add to scores) and
    # keeps the best `end`; among documents tied at the last score kept, Whoosh chose by document number.
    results = searcher.search(query, limit=end, filter=set(np.flatnonzero(selected).tolist()))
    top = np.array([docnum for _, docnum in results.top_n], dtype=np.int64)
    return selected, _best_first(columns, top, np.array([score for score, _ in results.top_n]), selected, end)


def _best_first(columns: Columns, docnums: np.ndarray, scores: np.ndarray, selected: np.ndarray,
                end: int | None = None) -> np.ndarray:
    """The selected documents by score, then newer date, then higher article id (engines/base.py).

    With `end`, only the first `end` are ordered (and returned): sorting every match of a
    broad word costs more than the rest of its column search.
    """
    keep = selected[docnums]
    docnums, scores = docnums[keep], scores[keep]
    if end is not None and 0 < end < len(scores):
        # Everything scoring at least the end-th best score, ties at that score included.
        keep = scores >= -np.partition(-scores, end - 1)[end - 1]
        docnums, scores = docnums[keep], scores[keep]
    return docnums[np.lexsort((-columns.article_ids[docnums], -columns.days[docnums], -scores))][:end]


_DAYS_BEFORE_1970 = 2**20  # day numbers made non-negative for the packed sort key
_ID_BITS = 40


def _by_date(columns: Columns, selected: np.ndarray, sort: str, end: int | None = None) -> np.ndarray:
    """Newest first (then highest id) or oldest first (then lowest id), as the database orders them.

    Date and id are packed into one integer, so with `end` only the first `end` are ordered.
    """
    docnums = np.flatnonzero(selected)
    keys = ((columns.days[docnums].astype(np.int64) + _DAYS_BEFORE_1970) << _ID_BITS) | columns.article_ids[docnums]
    if sort != "oldest":
        keys = -keys
    if end is not None and 0 < end < len(keys):
        first = np.argpartition(keys, end - 1)[:end]
        return docnums[first[np.argsort(keys[first], kind="stable")]]
    return docnums[np.argsort(keys, kind="stable")][:end]


def _date_counts(days: np.ndarray, unit: str, width: int) -> dict[str, int]:
    """Count days by month ("M": "YYYY-MM") or by day ("D": "YYYY-MM-DD")."""
    values, counts = np.unique(days.astype("datetime64[D]").astype(f"datetime64[{unit}]"), return_counts=True)
    return dict(zip((label[:width] for label in np.datetime_as_string(values).tolist()), counts.tolist()))
