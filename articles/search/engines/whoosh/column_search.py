"""Searches answered from the index columns (columns.py), Whoosh only matching and ranking text.

The plain path (plain.py, haystack's own search) gives Whoosh the text query, every filter
and three facets, and Whoosh walks postings in Python for each. Here Whoosh only lists
the documents matching the text and scores them; filters, the count and the facet
counts are numpy operations on the columns. Results are the same set, count and facets
(tests/search/test_whoosh_columns.py compares both paths). The one difference: with
filters and relevance order, the plain path lets the filter terms add to each score,
this path ranks by the text alone.
"""

import datetime
import functools

import numpy as np
from whoosh.query import Phrase, Term

from ..base import FacetCounts, SearchHits, SearchRequest
from .backend import search_backend
from .columns import Columns, day_number, microseconds, searcher_columns, segment_columns
from .postings import CONTENT_FIELD, read_postings, whole_numbers_below
from .query import whoosh_query
from .searchers import current_searcher


DATE_SORTS = ("newest", "oldest")
# Up to this many estimated matches, a many-word query is matched and scored in one pass;
# beyond, it is matched once for the count and facets, then Whoosh scores only the top page.
ONE_PASS_MATCHES = 20_000


def column_search(request: SearchRequest) -> SearchHits:
    """The slice of the view's article ids with the count and facets over all its matches."""
    backend = search_backend()
    searcher = current_searcher(backend)
    columns = searcher_columns(searcher)
    selected = filter_mask(columns, request)
    end = request.stop
    if request.query is None:
        ranked = _by_date(columns, selected, request.sort, end)
    else:
        query = whoosh_query(backend, request.query)
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
            mask &= keywords.carrying([label.slug], columns.size)
        if any_of := getattr(filters, f"{field}_any"):
            mask &= keywords.carrying([label.slug for label in any_of], columns.size)
        if none_of := getattr(filters, f"{field}_not"):
            mask &= ~keywords.carrying([label.slug for label in none_of], columns.size)
    return mask


def _mask(docnums: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[docnums] = True
    return mask


def _text_search(searcher, query, columns: Columns, selected: np.ndarray, sort: str, end: int | None):
    """(the selected documents matching the query, their document numbers in the view's order).

    The order covers at least the first `end` documents.
    """
    if _one_word(query) or _plain_phrase(query):
        word_scores = _one_word_scores if isinstance(query, Term) else _phrase_scores
        matches, scores = word_scores(searcher, query, columns, scored=sort not in DATE_SORTS)
        selected = selected & _mask(matches, columns.size)
        if sort in DATE_SORTS:
            return selected, _by_date(columns, selected, sort, end)
        return selected, _best_first(columns, matches, scores, selected, end)
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


def _one_word(query) -> bool:
    return isinstance(query, Term) and query.fieldname == CONTENT_FIELD and query.boost == 1.0


def _plain_phrase(query) -> bool:
    """A phrase of the content field, words next to each other, as the query parser makes them."""
    return (isinstance(query, Phrase) and query.fieldname == CONTENT_FIELD and query.boost == 1.0
            and query.slop == 1 and len(query.words) >= 2)


def _one_word_scores(searcher, query: Term, columns: Columns, scored: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Every document with the word (deleted ones included) and Whoosh's score for each (zeros unless scored).

    A broad word matches most of the archive, and Whoosh scores each match in Python.
    Its score depends only on the word's frequency in the document and the document's
    (one-byte) length, so Whoosh's own scorer is called once per distinct pair of those
    and the scores spread over all matches with numpy: the same numbers, the same order.
    """
    text = searcher.schema[CONTENT_FIELD].to_bytes(query.text)
    docnums, scores = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (CONTENT_FIELD, text) not in reader:
            continue
        ids, weights = _word_postings(reader, text)
        ids += offset
        docnums.append(ids)
        if scored:
            scores.append(_scores(searcher.weighting.scorer(leaf, CONTENT_FIELD, text), weights, columns.text_lengths[ids]))
        else:
            scores.append(np.zeros(len(ids)))
    return np.concatenate(docnums), np.concatenate(scores)


def _phrase_scores(searcher, query: Phrase, columns: Columns, scored: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Every document with the phrase (deleted ones included) and Whoosh's score for each (zeros unless scored).

    Whoosh steps through the documents having all the words one at a time in Python. Here
    the word's postings are read a block at a time, intersected with numpy, and positions
    decoded only for the documents having every word. Whoosh scores a phrase match as the
    sum of its words' scores, added along a binary tree (whoosh.util.make_binary_tree):
    the same sums, in the same order, per distinct (frequency, length) as for one word.
    """
    field = searcher.schema[CONTENT_FIELD]
    texts = [field.to_bytes(word) for word in query.words]
    docnums, scores = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if any((CONTENT_FIELD, text) not in reader for text in texts):
            continue
        postings = {text: read_postings(reader, text, with_positions=True) for text in set(texts)}
        common = functools.reduce(np.intersect1d, [ids for ids, _, _ in postings.values()])
        at = {text: np.searchsorted(ids, common) for text, (ids, _, _) in postings.items()}
        positions = {text: [field.format.decode_positions(postings[text][2][i]) for i in at[text]] for text in postings}
        found = [n for n in range(len(common)) if _in_sequence([positions[text][n] for text in texts])]
        ids = common[found]
        docnums.append(ids + offset)
        if not scored:
            scores.append(np.zeros(len(ids)))
            continue
        lengths = columns.text_lengths[ids + offset]
        word_scores = {
            text: _scores(searcher.weighting.scorer(leaf, CONTENT_FIELD, text), postings[text][1][at[text][found]], lengths)
            for text in postings
        }
        scores.append(_tree_sum([word_scores[text] for text in texts]))
    return np.concatenate(docnums), np.concatenate(scores)


def _in_sequence(positions: list[list[int]]) -> bool:
    """Whether some position p has the first word at p, the second at p + 1, and so on."""
    later = [set(word_positions) for word_positions in positions[1:]]
    return any(all(start + step in word_positions for step, word_positions in enumerate(later, 1)) for start in positions[0])


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    """Sum as Whoosh's intersection matchers do: left half + right half, recursively."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def _word_postings(reader, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of a word in a segment: kept with its columns if the word is common."""
    kept = segment_columns(reader).frequent.get(text.decode("utf-8"))
    if kept is None:
        return read_postings(reader, text)
    ids, weights = kept
    return ids.astype(np.int64), weights.astype(np.float64)


def _scores(scorer, weights: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The scorer's score for each document of a segment, computed once per distinct (weight, length)."""
    _, first, which = np.unique(_pair_keys(weights, lengths), return_index=True, return_inverse=True)
    pair_scores = np.array([scorer._score(float(weights[i]), int(lengths[i])) for i in first])
    return pair_scores[which.reshape(-1)]


def _pair_keys(weights: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """One sortable number per (weight, length): a flat np.unique is 20× faster than one over pairs."""
    if whole_numbers_below(weights, 2**31):
        return (weights.astype(np.int64) << 32) | lengths.astype(np.int64)
    return weights + 1j * lengths  # weights with field boosts: complex numbers sort by real, then imaginary part


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
    return {str(value)[:width]: int(count) for value, count in zip(values, counts)}
