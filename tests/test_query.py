"""Query syntax: words, phrases, OR, exclusion, prefixes, headline field; malformed input falls back."""

import pytest
from django.http import QueryDict

from articles.forms import parse_search_filters
from articles.search.query import QuerySyntaxError, Term, parse_query, plain_words
from articles.search.selectors import article_search


@pytest.mark.parametrize(
    "q, clauses",
    [
        ("gas", [["gas"]]),
        ('"power line" gas', [['"power line"'], ["gas"]]),
        ("gas OR oil OR coal", [["gas", "oil", "coal"]]),
        ("gas -oil", [["gas"], ["-oil"]]),
        ("sanction*", [["sanction*"]]),
        ("headline:talks", [["headline:talks"]]),
        ("U.S. envoy", [["U.S"], ["envoy"]]),
        ("(talks),", [["talks"]]),
    ],
)
def test_parses_syntax_into_and_of_ors(q, clauses):
    def show(term: Term) -> str:
        text = f'"{term.text}"' if term.phrase else term.text + ("*" if term.prefix else "")
        return ("-" if term.negated else "") + (f"{term.field}:" if term.field else "") + text

    assert [[show(t) for t in clause] for clause in parse_query(q).clauses] == clauses


@pytest.mark.parametrize(
    "q, reason",
    [
        ('"unclosed phrase', "quotation mark is not closed"),
        ("OR gas", "OR needs a word on each side"),
        ("gas OR", "OR needs a word on each side"),
        ("gas OR OR oil", "OR needs a word on each side"),
        ("gas OR -oil", "excluded word cannot be one side of OR"),
        ("-oil -coal", "only excludes words"),
        ("author:smith", "there is no field “author”"),
    ],
)
def test_malformed_queries_say_why(q, reason):
    with pytest.raises(QuerySyntaxError, match=reason):
        parse_query(q)


def test_fallback_is_every_word_required():
    assert [clause[0].text for clause in plain_words('"gas OR oil -coal').clauses] == ["gas", "oil", "coal"]


def search(querystring):
    filters, _ = parse_search_filters(QueryDict(querystring))
    return article_search(filters)


def found(page, archive):
    names = {article.pk: name for name, article in archive.items()}
    return {names[row.article.pk] for row in page.rows}


@pytest.mark.parametrize(
    "q, expected",
    [
        ("gas OR brussels", {"gas", "html", "nato"}),
        ("leaked OR trade", {"html", "summit"}),
        ("offic* -gas", {"summit", "nato"}),
        ("pipel*", {"gas"}),
        ("Bürgen*", {"gas"}),
        ('"leaked gas contract"', {"html"}),
        ('"gas leaked contract"', set()),
        ("headline:nato", {"nato"}),
        ("headline:officials", {"html", "nato"}),  # the other two say it only in their body
    ],
)
def test_syntax_finds_the_right_articles(small_archive, q, expected):
    assert found(search(f"q={q}"), small_archive) == expected


@pytest.mark.parametrize("q", ['"gas pipeline', "gas OR", "author:x gas", "-gas -oil"])
def test_malformed_query_searches_plain_words_with_notice(client, small_archive, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "Searched for the words only, because" in response.content.decode()


def test_query_of_only_symbols_finds_nothing_and_says_so(client, small_archive):
    html = client.get("/search/", {"q": "*** ???"}).content.decode()
    assert "There is nothing to search for in that query." in html


def test_search_page_explains_the_syntax(client, search_index):
    html = client.get("/search/").content.decode()
    assert "headline:" in html and "OR" in html


