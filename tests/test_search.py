"""Search selector and filters: each filter, combinations, sorting, facets, canonical URLs."""

import datetime

import pytest
from django.http import QueryDict

from articles.forms import parse_search_filters
from articles.search.selectors import article_search


def search(querystring):
    filters, notices = parse_search_filters(QueryDict(querystring))
    return article_search(filters), notices


def headlines(page):
    return [row.article.headline for row in page.rows]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("gas", ["gas", "html"]),
        ('"gas deliveries"', ["gas"]),
        ("gas -contract", ["gas"]),
        ("Burgenstock", ["gas"]),  # accent folding: finds "Bürgenstock"
        ("bürgenstock", ["gas"]),
        ("discussing", ["summit", "nato"]),  # stemming
        ("nothingmatchesthis", []),
    ],
)
def test_text_query_finds_matching_articles(small_archive, query, expected):
    page, _ = search(f"q={query}&sort=newest")
    assert {row.article.pk for row in page.rows} == {small_archive[key].pk for key in expected}
    assert page.count == len(expected)


@pytest.mark.parametrize(
    "querystring, expected",
    [
        ("actor=vladimir-putin", ["gas", "summit"]),
        ("actor=vladimir-putin&actor=xi-jinping", ["summit"]),  # all must match
        ("topic=energy", ["gas", "html"]),
        ("topic=energy&topic=diplomacy", ["gas"]),
        ("from=2024-01-01", ["gas", "summit"]),
        ("to=2023-12-31", ["nato", "html"]),
        ("from=2023-11-20&to=2024-03-01", ["summit", "nato"]),  # inclusive on both ends
        ("actor=russia&from=2024-01-01&topic=energy", ["gas"]),
    ],
)
@pytest.mark.parametrize("text", ["", "&q=officials"], ids=["database", "index"])
def test_filters_narrow_results(small_archive, querystring, expected, text):
    # Every article says "officials", so the text query alone keeps all of them.
    page, _ = search(querystring + text)
    assert {row.article.pk for row in page.rows} == {small_archive[key].pk for key in expected}
    assert page.count == len(expected)


def test_filter_only_view_is_newest_first_and_oldest_on_request(small_archive):
    newest, _ = search("")
    oldest, _ = search("sort=oldest")
    order = ["gas", "summit", "nato", "html"]
    assert [r.article.pk for r in newest.rows] == [small_archive[k].pk for k in order]
    assert [r.article.pk for r in oldest.rows] == [small_archive[k].pk for k in reversed(order)]


def test_text_query_sorts_by_date_when_asked(small_archive):
    page, _ = search("q=gas&sort=oldest")
    assert [r.article.pk for r in page.rows] == [small_archive["html"].pk, small_archive["gas"].pk]


@pytest.mark.parametrize("querystring", ["", "q=gas"])
def test_facets_count_over_whole_result_set(small_archive, querystring):
    page, _ = search(querystring)
    if querystring:
        assert page.facets.actors == {"vladimir-putin": 1, "russia": 2, "china": 1}
        assert page.facets.topics == {"energy": 2, "diplomacy": 1}
        assert page.facets.months == {"2024-05": 1, "2023-02": 1}
    else:
        assert page.facets.actors == {"vladimir-putin": 2, "russia": 3, "china": 2, "xi-jinping": 1, "nato": 1}
        assert page.facets.topics == {"energy": 2, "diplomacy": 2}
        assert page.facets.months == {"2024-05": 1, "2024-03": 1, "2023-11": 1, "2023-02": 1}


def test_snippet_highlights_query_and_escapes_html(small_archive):
    page, _ = search("q=leaked")
    snippet = str(page.rows[0].snippet)
    assert "<mark>leaked</mark>" in snippet.replace(' class="match term0"', "")
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet


@pytest.mark.parametrize(
    "querystring, canonical, notice",
    [
        ("", "", None),
        ("q=gas&sort=relevance", "?q=gas", None),
        ("sort=newest", "", None),
        ("sort=relevance", "", None),  # relevance means nothing without a query
        ("topic=energy&actor=vladimir-putin&q=gas&from=2024-01-01", "?q=gas&from=2024-01-01&actor=vladimir-putin&topic=energy", None),
        ("actor=xi-jinping&actor=vladimir-putin", "?actor=vladimir-putin&actor=xi-jinping", None),
        ("q=  gas   pipeline ", "?q=gas+pipeline", None),
        ("page=1", "", None),
        ("page=2&q=gas", "?q=gas&page=2", None),
        ("from=2024-13-45", "", "Ignored the 'from' date"),
        ("to=yesterday", "", "Ignored the 'to' date"),
        ("actor=nobody-at-all", "?actor=nobody-at-all", "There is no actor “nobody-at-all”"),
        ("topic=unknown", "?topic=unknown", "There is no topic “unknown”"),
        ("sort=sideways", "", "Ignored the unknown sort order"),
        ("page=-3", "", "Ignored the page number"),
        ("page=abc", "", "Ignored the page number"),
        ("from=2024-05-01&to=2024-01-01", "?from=2024-01-01&to=2024-05-01", "swapped"),
    ],
)
def test_canonical_querystring_and_notices(small_archive, querystring, canonical, notice):
    filters, notices = parse_search_filters(QueryDict(querystring))
    assert filters.querystring() == canonical
    if notice:
        assert any(notice in text for text in notices), notices
    else:
        assert notices == []


def test_date_filter_values_are_dates(small_archive):
    filters, _ = parse_search_filters(QueryDict("from=2024-01-01&to=2024-12-31"))
    assert filters.date_from == datetime.date(2024, 1, 1)
    assert filters.date_to == datetime.date(2024, 12, 31)


def test_html_looking_text_is_indexed_as_written(small_archive):
    # The document template must not HTML-escape: "&lt;" would index stray "lt" terms.
    page, _ = search("q=lt")
    assert page.count == 0
    page, _ = search("q=script")
    assert [row.article.pk for row in page.rows] == [small_archive["html"].pk]


@pytest.mark.parametrize(
    "querystring, expected",
    [
        ("actor_any=xi-jinping&actor_any=nato", ["summit", "nato"]),
        ("actor_not=vladimir-putin", ["nato", "html"]),
        ("topic_any=energy&topic_any=diplomacy&actor_not=china", ["html"]),
        ("actor=russia&topic_not=energy", ["summit"]),
    ],
)
@pytest.mark.parametrize("text", ["", "&q=officials"], ids=["database", "index"])
def test_or_and_not_filters(small_archive, querystring, expected, text):
    page, _ = search(querystring + text)
    assert {row.article.pk for row in page.rows} == {small_archive[key].pk for key in expected}
    assert page.count == len(expected)


def test_or_and_not_filters_are_canonical(small_archive):
    filters, notices = parse_search_filters(QueryDict("actor_not=nato&topic_any=energy&actor_any=xi-jinping&actor_any=china"))
    assert notices == []
    assert filters.querystring() == "?actor_any=china&actor_any=xi-jinping&actor_not=nato&topic_any=energy"
    assert filters.describe() == "actor: Xi Jinping or China, not actor: NATO, topic: Energy"


@pytest.mark.parametrize(
    "value, kept", [("\x00", "\ufffd"), ("bad\x00slug", "bad\ufffdslug"), ("../etc", "../etc"), ("a b", "a b"), ("ünï", "ünï")]
)
def test_malformed_slugs_match_nothing_without_touching_the_database(small_archive, value, kept, django_assert_max_num_queries):
    query = QueryDict(mutable=True)
    query.setlist("actor", [value])
    with django_assert_max_num_queries(0):
        filters, notices = parse_search_filters(query)
    assert filters.actors == () and filters.unknown == (("actor", kept),) and filters.matches_nothing
    assert any("There is no actor" in notice for notice in notices)
