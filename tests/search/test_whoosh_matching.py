"""Queries matched from postings arrays (engines/whoosh/matching.py) give Whoosh's own matches and scores.

Whoosh's searcher is the oracle: for each query, every live matching document with its
score, compared exactly (float equality). The archive has several segments with deleted
documents (tests/search/test_whoosh_columns.py: edited_archive).
"""

import pytest
from whoosh.query import And, Not, Or, Phrase, Prefix, Term

from articles.search.engines.whoosh import matching
from articles.search.engines.whoosh.backend import search_backend
from articles.search.engines.whoosh.columns import searcher_columns
from articles.search.engines.whoosh.query import whoosh_query
from articles.search.engines.whoosh.searchers import current_searcher
from articles.search.query import read_query

from .test_whoosh_columns import edited_archive  # noqa: F401 (a fixture)
from ..engines import whoosh_only

pytestmark = whoosh_only

TYPED = [
    "talks", "sanctions summit", "talks sanctions summit", "talks sanctions summit pipeline", "said officials number",
    "talks OR drought", "talks OR drought OR harbour", "talks OR drought OR harbour OR tariffs OR nothingmatches",
    "talks -ceasefire", "-talks drought", "talks -ceasefire -drought", "pipeline OR harbour -talks",
    "harb*", "ta*", "sa*", "t*", "nothing*", "harb* -talks", "ta* sa*", "ta* OR drought", "sa* OR ta* OR pipe*",
    "headline:number", "headline:talks", "headline:ta*", "headline:talks summit", "headline:talks OR drought",
    '"sanctions summit"', '"talks talks"', '"said officials" talks', '"sanctions summit" OR drought',
    '"sanctions summit" -talks', 'summit "talks sanctions" OR "harbour drought" -ceasefire', '"number 3 said"',
    "talks (summit) -(pipeline)", "the", "talks the", "nothingmatches", "talks nothingmatches", "talks OR the",
    'headline:"number 7"', "co-operation talks", "tariffs OR tariffs",
    # prefixes past the stem (prefixes.WordPrefix): "sanctions" is the term "sanction", "elections" "elect"
    "sanctions*", "electio* talks", "ministers* OR drought", "tariffs* -talks", "headline:numbe*",
]


def whoosh_own(searcher, query) -> dict[int, float]:
    return {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}


def ours(searcher, query) -> dict[int, float]:
    docnums, scores = matching.match_query(searcher, query, searcher_columns(searcher))
    return {docnum: score for docnum, score in zip(docnums.tolist(), scores.tolist())
            if not searcher.ixreader.is_deleted(docnum)}


def assert_same(query) -> dict[int, float]:
    searcher = current_searcher(search_backend())
    expected = whoosh_own(searcher, query)
    assert ours(searcher, query) == expected, query
    return expected


@pytest.fixture(params=["arrays", "trees"])
def union_kind(request, monkeypatch):
    """Whoosh unions 3+ clauses in an array within segments of <= 5,000 documents, else in a tree: test both."""
    if request.param == "trees":
        from whoosh.searching import Searcher

        doc_count_all = Searcher.doc_count_all
        monkeypatch.setattr(Searcher, "doc_count_all", lambda self: doc_count_all(self) + 5000)
        monkeypatch.setattr(matching, "UNION_TREE_ABOVE_DOCS", -1)
    return request.param


def test_typed_queries_match_and_score_as_whoosh(edited_archive, union_kind):
    for q in TYPED:  # one archive for all (each takes seconds to build)
        query = whoosh_query(search_backend(), read_query(q)[0])
        found = assert_same(query)
        if q in ("talks", "talks OR drought OR harbour", "ta*", "sa* OR ta* OR pipe*", "harb* -talks", '"sanctions summit"',
                 "sanctions*", "electio* talks"):
            assert found, q  # the archive has matches for these


def test_the_archive_has_several_segments_with_deletions(edited_archive):
    searcher = current_searcher(search_backend())
    assert len(searcher.leaf_searchers()) >= 2
    assert searcher.ixreader.has_deletions()


BUILT = [
    Term("text", "talk", boost=2.5),
    Or([Term("text", "talk"), Term("text", "drought"), Term("text", "harbour")], boost=1.5),
    And([Term("text", "talk"), Term("text", "summit")], boost=0.5),
    And([Term("text", "talk"), Term("text", "talk"), Term("text", "sanction"), Term("text", "summit")]),
    Or([Term("text", "talk"), Term("text", "talk"), Term("text", "talk")]),
    Or([And([Term("text", "talk"), Term("text", "summit")]), Not(Term("text", "drought")), Term("text", "harbour")]),
    And([Or([Term("text", "talk"), Term("text", "drought")]), Or([Term("text", "summit"), Term("headline", "number")])]),
    Prefix("text", "s", boost=3.0),  # sanction, said, summit
    Prefix("text", "s", constantscore=False),
    Prefix("text", "1"),  # the numbers 10 to 19
    Or([Prefix("text", "1"), Term("text", "talk"), Prefix("headline", "s")]),
    Phrase("text", ["sanction", "summit"], boost=2.0),
    Or([Term("text", "talk")] * (matching.TOO_MANY_CLAUSES + 1)),  # too many clauses: an array at any size
    Not(Term("text", "talk")),
]


def test_boosts_nesting_and_many_clauses_match_and_score_as_whoosh(edited_archive, union_kind):
    for query in BUILT:
        assert assert_same(query), query


@pytest.mark.parametrize("query", [Phrase("text", ["sanction", "summit"], slop=2), Or([Term("text", "talk")] * 3, scale=0.5)])
def test_what_is_not_reproduced_is_left_to_whoosh(edited_archive, query):
    searcher = current_searcher(search_backend())
    with pytest.raises(matching.Unsupported):
        matching.match_query(searcher, query, searcher_columns(searcher))


def test_unscored_matching_finds_the_same_documents(edited_archive):
    searcher = current_searcher(search_backend())
    for q in ("talks OR drought OR harbour", "t* -pipeline", '"sanctions summit" OR drought'):
        query = whoosh_query(search_backend(), read_query(q)[0])
        docnums, _ = matching.match_query(searcher, query, searcher_columns(searcher), scored=False)
        live = {docnum for docnum in docnums.tolist() if not searcher.ixreader.is_deleted(docnum)}
        assert live == set(whoosh_own(searcher, query))
