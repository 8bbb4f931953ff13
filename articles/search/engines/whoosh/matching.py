"""Whoosh queries matched and scored from postings arrays with numpy, to the last bit as Whoosh does.

Whoosh walks a query's matcher tree one posting at a time in Python (~9 µs per matching
document, more for phrases). Here each word's postings are read a block at a time
(postings.py) and the tree is combined with numpy set operations, one segment at a time
(Whoosh builds its matchers per segment, and some choices depend on the segment).
Scores are Whoosh's own: a word's BM25F score comes from Whoosh's scorer, once per distinct
(frequency, length) pair, and sums are added in the order Whoosh's matchers add them:

- Term: the word's score (times its boost);
- And: IntersectionMatcher pairs built by whoosh.util.make_weighted_tree, lightest (largest
  estimated size) first; each pair adds its two scores;
- Or: the same with UnionMatcher (a document in one side only keeps that side's score), or,
  for 3+ clauses in a segment of at most 5,000 documents (or 1,024+ clauses), Whoosh's
  ArrayUnionMatcher: a running sum in clause order (or 1.0 everywhere when unscored);
- Not: every other document of the segment, scoring 1.0 (InverseMatcher);
- Phrase: where its words follow each other, their scores summed along a binary tree (SpanNear2);
- Prefix (and WordPrefix, prefixes.py): one term scores as that term; more are an Or in an unscored
  context (constant score).

Anything else (a slop, a coordination scale, another query type) raises Unsupported, and
the caller lets Whoosh answer the query. Deleted documents may be among the matches: the
caller keeps live documents only (Whoosh's matchers skip them; no other score changes).
"""

import bisect
import dataclasses
import functools

import numpy as np
import numpy.ma  # noqa: F401  np.unique asks np.ma whether its input is masked: imported lazily, ~15 ms in a worker's first OR or phrase
from whoosh.query import And, Not, NullQuery, Or, Phrase, Prefix, Term
from whoosh.scoring import BM25FScorer

from .columns import Columns, segment_columns
from .postings import CONTENT_FIELD, decoded_positions, whole_numbers_below
from .prefixes import WordPrefix
from .recent import kept_phrase, kept_postings, kept_with_positions

# whoosh.query.compound.Or._matcher: a tree of unions for two clauses or a larger segment, else an array.
UNION_TREE_ABOVE_DOCS = 5000
TOO_MANY_CLAUSES = Or.TOO_MANY_CLAUSES
NOT_SCORE = 1.0  # InverseMatcher's default weight


class Unsupported(Exception):
    """A part of the query this module does not reproduce: Whoosh's own matcher answers the query."""


@dataclasses.dataclass(frozen=True)
class Matched:
    """Documents of one segment matching a (sub)query: ascending unique numbers, and Whoosh's score of each."""

    ids: np.ndarray  # int64
    scores: np.ndarray  # float64 (zeros when scores are not wanted)


EMPTY = Matched(np.zeros(0, dtype=np.int64), np.zeros(0))


def match_query(searcher, query, columns: Columns, scored: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, scores) of every document matching the query, deleted ones included.

    Scores are Whoosh's (zeros unless scored). Raises Unsupported for a query Whoosh must answer.
    """
    docnums, scores = [EMPTY.ids], [EMPTY.scores]
    for leaf, offset in searcher.leaf_searchers():
        found = _Segment(leaf, offset, columns, scored).match(query)
        docnums.append(found.ids + offset)
        scores.append(found.scores)
    return np.concatenate(docnums), np.concatenate(scores)


class _Segment:
    """One segment's matching, with each word's postings read once."""

    def __init__(self, leaf, offset: int, columns: Columns, scored: bool, postings: dict | None = None):
        self.leaf, self.reader, self.offset, self.columns, self.scored = leaf, leaf.reader(), offset, columns, scored
        self.postings: dict[tuple[str, bytes, bool], tuple] = {} if postings is None else postings

    def match(self, query, weighted: bool = True) -> Matched:
        """weighted=False: the query is matched in an unscored context (Whoosh: context.weighting is None)."""
        kind = type(query)  # exact types: a subclass (DefaultOr, Wildcard, ...) may match differently
        if query is NullQuery:
            return EMPTY
        if kind is Term:
            return self._term(query)
        if kind is Phrase:
            return self._phrase(query)
        if kind is Prefix or kind is WordPrefix:
            return self._prefix(query, weighted)
        if kind is And:
            return self._and(query, weighted)
        if kind is Or:
            return self._or(query, weighted)
        if kind is Not:
            return self._not(query)
        raise Unsupported(kind.__name__)

    # --- words ---------------------------------------------------------------------------

    def _term(self, query: Term) -> Matched:
        field = query.fieldname
        if field not in self.reader.schema:
            return EMPTY
        try:
            text = self.reader.schema[field].to_bytes(query.text)
        except ValueError:
            return EMPTY
        if (field, text) not in self.reader:
            return EMPTY
        ids, weights = self._read(field, text)
        return Matched(ids, self._boosted(self._word_scores(field, text, ids, weights), query.boost))

    def _phrase(self, query: Phrase) -> Matched:
        """Whoosh steps through the documents having every word and decodes their positions one at a
        time; here the words' postings are intersected first, then their positions compared as arrays."""
        field = query.fieldname
        if query.slop != 1 or len(query.words) < 2:
            raise Unsupported("a phrase with a slop, or of one word")
        if field not in self.reader.schema:
            return EMPTY
        fieldobj = self.reader.schema[field]
        try:
            texts = [fieldobj.to_bytes(word) for word in query.words]
        except ValueError:
            return EMPTY
        if any((field, text) not in self.reader for text in texts):
            return EMPTY
        ids, weights = kept_phrase(self.reader, field, tuple(texts), lambda: self._phrase_matches(field, texts))
        if not self.scored:
            return Matched(ids, np.zeros(len(ids)))
        word_scores = {text: self._word_scores(field, text, ids, weights[text]) for text in weights}
        return Matched(ids, self._boosted(_tree_sum([word_scores[text] for text in texts]), query.boost))

    def _phrase_matches(self, field: str, texts: list[bytes]) -> tuple[np.ndarray, dict[bytes, np.ndarray]]:
        """(the documents where the words follow each other, each word's weight in them): the words' postings
        are intersected first, and only the positions of the documents having every word are decoded."""
        postings = {text: self._read(field, text, with_positions=True) for text in set(texts)}
        common = functools.reduce(np.intersect1d, [ids for ids, _, _ in postings.values()])
        at = {text: np.searchsorted(ids, common) for text, (ids, _, _) in postings.items()}
        position_format = self.reader.schema[field].format
        keys = {text: _position_keys(*decoded_positions(position_format, [postings[text][2][n] for n in at[text].tolist()]))
                for text in postings}
        found = _in_sequence(keys, texts)
        return common[found], {text: postings[text][1][at[text][found]] for text in postings}

    def _prefix(self, query: Prefix, weighted: bool) -> Matched:
        field = query.fieldname
        if field not in self.reader.schema:
            raise Unsupported("a prefix of an unknown field")
        words = [Term(field, word) for word in query._btexts(self.reader) if word]
        if not words:
            return EMPTY
        if len(words) == 1:
            return self._term(words[0])
        # Whoosh's MultiTerm.matcher: the Or of the words, scores not asked for when constantscore.
        return self._or(Or(words, boost=query.boost), weighted and not query.constantscore)

    def _read(self, field: str, text: bytes, with_positions: bool = False):
        """(ids, weights) of a word in this segment, deleted documents included; with_positions, also each
        posting's encoded positions (recent.py)."""
        key = (field, text, with_positions)
        if key not in self.postings:
            kept = segment_columns(self.reader).frequent.get(text.decode("utf-8")) if field == CONTENT_FIELD else None
            if with_positions:
                self.postings[key] = kept_with_positions(self.reader, field, text)
            elif kept is not None:
                self.postings[key] = kept[0].astype(np.int64), kept[1].astype(np.float64)
            else:
                self.postings[key] = kept_postings(self.reader, field, text)
        return self.postings[key]

    def _word_scores(self, field: str, text: bytes, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        if not self.scored:
            return np.zeros(len(ids))
        lengths = self.columns.lengths.get(field)
        if lengths is None:
            raise Unsupported(f"no lengths kept for field {field}")
        # Whoosh's Searcher.postings() scores a segment's postings with the segment searcher's scorer.
        scorer = self.leaf.weighting.scorer(self.leaf, field, text)
        return word_scores(scorer, weights, lengths[ids + self.offset])

    def _boosted(self, scores: np.ndarray, boost: float) -> np.ndarray:
        return scores * boost if boost != 1.0 else scores  # WrappingMatcher

    # --- combinations --------------------------------------------------------------------------

    def _and(self, query: And, weighted: bool) -> Matched:
        subs = query.subqueries
        if not subs:
            return EMPTY
        if len(subs) == 1:
            return self.match(subs[0], weighted)
        parts = [(0 - sub.estimate_size(self.reader), self.match(sub, weighted)) for sub in subs]
        found = _weighted_tree(parts, _intersection)
        return Matched(found.ids, self._boosted(found.scores, query.boost))

    def _or(self, query: Or, weighted: bool) -> Matched:
        subs = query.subqueries
        if not subs:
            return EMPTY
        if len(subs) == 1:
            return self.match(subs[0], weighted)
        if query.scale or query.matcher_type != Or.AUTO_MATCHER or query.boost <= 0:
            raise Unsupported("an Or with a coordination scale, a fixed matcher type or no boost")
        if len(subs) < TOO_MANY_CLAUSES and (len(subs) == 2 or self.reader.doc_count_all() > UNION_TREE_ABOVE_DOCS):
            parts = [(sub.estimate_size(self.reader), self.match(sub, weighted)) for sub in subs]
            found = _weighted_tree(parts, _union)
            return Matched(found.ids, self._boosted(found.scores, query.boost))
        return _array_union([self.match(sub, weighted) for sub in subs], query.boost, weighted and self.scored)

    def _not(self, query: Not) -> Matched:
        # Whoosh matches the excluded query in a boolean (unscored) context.
        excluded = _Segment(self.leaf, self.offset, self.columns, scored=False, postings=self.postings)
        every = np.arange(self.reader.doc_count_all(), dtype=np.int64)
        ids = np.setdiff1d(every, excluded.match(query.query, weighted=False).ids, assume_unique=True)
        return Matched(ids, np.full(len(ids), NOT_SCORE) if self.scored else np.zeros(len(ids)))


# Sets of document numbers are combined by sorting (numpy's set operations) when small, and through an
# array over the documents when they hold more than 1 in DENSE_SHARE of them: a common prefix is a union of
# dozens of words over most documents, where sorting each pair again cost ~0.3 s a search at 100k articles.
DENSE_SHARE = 16


def _dense(size: int, *parts: np.ndarray) -> bool:
    return sum(len(part) for part in parts) * DENSE_SHARE > size


def _span(*parts: np.ndarray) -> int:
    """One more than the highest document number of the (sorted) arrays."""
    return max((int(part[-1]) + 1 for part in parts if len(part)), default=0)


def _intersection(a: Matched, b: Matched) -> Matched:
    size = _span(a.ids, b.ids)
    if not _dense(size, a.ids, b.ids):
        ids, in_a, in_b = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
        return Matched(ids, a.scores[in_a] + b.scores[in_b])
    in_b = np.zeros(size, dtype=bool)
    in_b[b.ids] = True
    kept = in_b[a.ids]
    ids = a.ids[kept]
    return Matched(ids, a.scores[kept] + b.scores[np.searchsorted(b.ids, ids)])


def _union(a: Matched, b: Matched) -> Matched:
    """UnionMatcher: a document in both sides scores the sum, in one side that side's score."""
    size = _span(a.ids, b.ids)
    if not _dense(size, a.ids, b.ids):
        ids = np.union1d(a.ids, b.ids)
        scores = np.zeros(len(ids))
        scores[np.searchsorted(ids, a.ids)] = a.scores
        scores[np.searchsorted(ids, b.ids)] += b.scores  # 0.0 + x is x exactly
        return Matched(ids, scores)
    scores = np.zeros(size)
    scores[a.ids] = a.scores
    scores[b.ids] += b.scores  # the same additions, in the same order
    ids = _ids_union(size, a.ids, b.ids)
    return Matched(ids, scores[ids])


def _ids_union(size: int, *parts: np.ndarray) -> np.ndarray:
    """The sorted union of sorted document numbers below size (what functools.reduce(np.union1d, parts) gives)."""
    present = np.zeros(size, dtype=bool)
    for part in parts:
        present[part] = True
    return np.flatnonzero(present).astype(np.int64, copy=False)


def _array_union(parts: list[Matched], boost: float, scored: bool) -> Matched:
    """ArrayUnionMatcher: each clause's score times the boost added in clause order; 1.0 when unscored."""
    arrays = [part.ids for part in parts]
    size = _span(*arrays)
    ids = _ids_union(size, *arrays) if _dense(size, *arrays) else functools.reduce(np.union1d, arrays)
    if not scored:
        return Matched(ids, np.ones(len(ids)))
    sums = np.zeros(len(ids))
    for part in parts:
        sums[np.searchsorted(ids, part.ids)] += part.scores * boost
    positive = sums > 0  # the documents it reports
    return Matched(ids[positive], sums[positive])


def _weighted_tree(parts: list[tuple[int, Matched]], combine) -> Matched:
    """whoosh.util.make_weighted_tree: combine the two lightest, put the pair back after those as heavy.

    Whoosh sorts (weight, matcher) tuples; two matchers never compare as less than each other,
    so ties keep their order (the sort is stable) and a new pair goes after equal weights (insort).
    """
    parts = sorted(parts, key=lambda part: part[0])
    weights, items = [weight for weight, _ in parts], [item for _, item in parts]
    while len(items) > 1:
        weight = weights.pop(0) + weights.pop(0)
        combined = combine(items.pop(0), items.pop(0))
        at = bisect.bisect_right(weights, weight)
        weights.insert(at, weight)
        items.insert(at, combined)
    return items[0]


_POSITION_BITS = 32


def _position_keys(starts: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """One number per position of decoded postings: (n << 32) | position, n = the posting's index."""
    lengths = np.diff(starts)
    return (np.repeat(np.arange(len(lengths), dtype=np.int64), lengths) << _POSITION_BITS) | positions


def _in_sequence(keys: dict[bytes, np.ndarray], texts: list[bytes]) -> np.ndarray:
    """Which documents (indices n) have some position p with the first word at p, the second at p + 1, ..."""
    starts = keys[texts[0]]
    for step, text in enumerate(texts[1:], 1):
        starts = starts[np.isin(starts + step, keys[text])]
    return np.unique(starts >> _POSITION_BITS)


def _tree_sum(parts: list[np.ndarray]) -> np.ndarray:
    """Sum as Whoosh's make_binary_tree of intersections does: left half + right half, recursively."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _tree_sum(parts[:half]) + _tree_sum(parts[half:])


def word_scores(scorer, weights: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The scorer's score for each posting: Whoosh's BM25F formula over the arrays, or another scorer
    called once per distinct (weight, length).

    Whoosh's BM25F score of a word in a document depends only on the word's frequency there
    and the document's (one-byte) length. numpy computes whoosh.scoring.bm25 operation by
    operation in Whoosh's order, each rounded as Python rounds it (a ufunc neither fuses nor
    reorders them): the same numbers, ~3x faster than finding the distinct pairs first (a rare
    word's page scored 4 word-segment pairs in ~0.2 ms). Any other scorer is called per pair.
    """
    if not len(weights):
        return np.zeros(0)
    if type(scorer) is BM25FScorer:
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        tf, fl = weights.astype(np.float64), lengths.astype(np.float64)
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    _, first, which = np.unique(_pair_keys(weights, lengths), return_index=True, return_inverse=True)
    pair_scores = np.array([scorer._score(float(weights[i]), int(lengths[i])) for i in first])
    return pair_scores[which.reshape(-1)]


def _pair_keys(weights: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """One sortable number per (weight, length): a flat np.unique is 20× faster than one over pairs."""
    if whole_numbers_below(weights, 2**31):
        return (weights.astype(np.int64) << 32) | lengths.astype(np.int64)
    return weights + 1j * lengths  # weights with field boosts: complex numbers sort by real, then imaginary part
