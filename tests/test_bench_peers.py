"""The benchmark's peers read a query as the app does, and translate it into each engine's syntax."""

import sys
from pathlib import Path

import pytest

from articles.search.query import QuerySyntaxError, parse_query, plain_words

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from peers import fts5, postgres  # noqa: E402
from peers.spec import parse_query as bench_parse_query  # noqa: E402
from peers.spec import spec_for  # noqa: E402

QUERIES = [
    "government",
    '"peace talks"',
    "government statement",
    "sanctions OR embargo",
    "pipeline OR gas -oil",
    "talks -summit",
    "sanction*",
    "headline:talks",
    'headline:"joint statement" OR sanctions',
    "desalinaton",
    '"unclosed',
    "OR talks",
    "-only -exclusions",
    "nofield:word",
    "(talks), U.S.",
]


def _app_reading(q: str):
    """The app's clauses as (words, prefix, negated, field) tuples, falling back to plain words as it does."""
    try:
        parsed = parse_query(q)
    except QuerySyntaxError:
        parsed = plain_words(q)
    return [[(tuple(term.text.split()), term.prefix, term.negated, term.field) for term in clause] for clause in parsed.clauses]


@pytest.mark.parametrize("q", QUERIES)
def test_peers_read_the_query_as_the_app_does(q):
    bench = [[(term.words, term.prefix, term.negated, term.field) for term in clause] for clause in bench_parse_query(q)]
    app = [[(tuple(w for word in words for w in word.replace(".", " ").split()), prefix, negated, field)
            for words, prefix, negated, field in clause] for clause in _app_reading(q)]
    assert bench == app


def _spec(**params):
    return spec_for({"path": "/search/", "params": params})


@pytest.mark.parametrize("q, fts5_match, tsquery", [
    ("government", '"government"', "government"),
    ('"peace talks"', '"peace talks"', "peace <-> talks"),
    ("pipeline OR gas -oil", '("pipeline" OR "gas") NOT "oil"', "(pipeline | gas) & !oil"),
    ("sanction*", '"sanction" *', "sanction:*"),
    ("headline:talks minister", 'headline : "talks" AND "minister"', "talks:A & minister"),
])
def test_query_translations(q, fts5_match, tsquery):
    spec = _spec(q=q)
    assert fts5.match_expression(spec) == fts5_match
    assert postgres.tsquery_text(spec) == tsquery


def test_filters_become_conditions_with_their_arguments():
    spec = _spec(q="oil", actor="russia", topic_not="energy", **{"from": "2020-01-01"})
    where, args = postgres.conditions(spec)
    assert where.count("NOT IN") == 1 and where.count(" IN (") == 2
    assert args == ["2020-01-01", "9999-12-31", "russia", "energy"]


def test_compare_series_and_pages():
    spec = spec_for({"path": "/compare/", "params": {"s": ["actor:xi-jinping", 'q:"peace talks"'], "topic": "energy"}})
    assert spec.op == "compare"
    assert [s.actors for s in spec.series] == [("xi-jinping",), (), ()]
    assert all(s.topics == ("energy",) for s in spec.series)
    assert spec_for({"path": "/search/", "params": {"q": "gas", "page": "3"}}).offset == 40
    assert spec_for({"path": "/articles/5/slug/", "params": {}}) is None
