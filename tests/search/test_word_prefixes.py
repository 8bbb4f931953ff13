"""A prefix finds the words that start with it, although the index holds their stems (engines/whoosh/prefixes.py).

"negotiations", "negotiated", "negotiator" and "negotiable" are all the term "negoti": the
prefix "negotiat" starts none of the index's terms, but it starts words the index knows.
"""

import numpy as np
import pytest
from django.http import QueryDict
from django.test import override_settings

from articles.forms import parse_search_filters
from articles.search.analysis import index_term
from articles.search.engines import engine
from articles.search.engines.whoosh.spelling import Vocabulary
from articles.search.selectors import article_search
from tests.pages import parse, result_rows

BODIES = {
    "talks": "Ceasefire negotiations resumed in Geneva. The envoys said negotiations would last a week.",
    "deal": "The grain deal was negotiated overnight by envoys from both capitals.",
    "envoy": "The negotiator arrived late; the border question was not negotiable, officials said.",
    "harvest": "A harvest festival filled the valley with music and dancing.",
    "nego": "Negligence in the port caused the fire, the inquiry found.",
}


@pytest.fixture
def negotiation_archive(search_index, make_article):
    return {name: make_article(body, headline=name.title() + " report") for name, body in BODIES.items()}


def search(q: str, columns: bool = True):
    filters, _ = parse_search_filters(QueryDict(f"q={q}"))
    with override_settings(SEARCH_COLUMNS=columns):
        return article_search(filters)


def found(q: str, columns: bool = True) -> set[int]:
    page = search(q, columns)
    ids = {row.article.pk for row in page.rows}
    assert len(ids) == page.count
    return ids


@pytest.mark.parametrize("columns", [True, False], ids=["columns", "plain"])
def test_a_prefix_past_the_stem_finds_the_words_starting_with_it(negotiation_archive, columns):
    archive = negotiation_archive
    hits = found("negotiat*", columns)
    assert {archive["talks"].pk, archive["deal"].pk} <= hits
    assert archive["harvest"].pk not in hits and archive["nego"].pk not in hits
    # Exactly the documents of the words it stands for, searched as words.
    assert hits == found("negotiations", columns) | found("negotiated", columns) | found("negotiator", columns)


@pytest.mark.parametrize("q", ["negotiat*", "negotiations*", "negotia*", "negotiat* envoys", "negotiat* -grain",
                               "negotiat* OR harvest", "headline:harv*", "nego*", "harvests*"])
def test_prefix_pages_are_the_same_on_both_paths(negotiation_archive, q):
    fast, plain = search(q, columns=True), search(q, columns=False)
    assert [row.article.pk for row in fast.rows] == [row.article.pk for row in plain.rows]
    assert fast.count == plain.count
    assert [str(row.snippet) for row in fast.rows] == [str(row.snippet) for row in plain.rows]


def test_a_prefix_longer_than_every_word_finds_nothing(negotiation_archive):
    assert found("negotiationsxyz*") == set()


def test_result_snippets_mark_the_words_the_prefix_matched(negotiation_archive, client):
    rows = result_rows(parse(client.get("/search/", {"q": "negotiat*"})))
    marked = {row.headline: [mark.get_text() for mark in parse_marks(row.html)] for row in rows}
    assert marked == {
        "Talks report": ["negotiations", "negotiations"],
        "Deal report": ["negotiated"],
        "Envoy report": ["negotiator", "negotiable"],  # "negotiable" is the same term: it matched too
    }


def test_the_article_page_marks_the_words_the_prefix_matched(negotiation_archive, client):
    article = negotiation_archive["envoy"]
    page = parse(client.get(article.get_absolute_url(), {"hl": "negotiat*"}))
    marks = page.select("article mark") or page.select("mark")
    assert [mark.get_text() for mark in marks] == ["negotiator", "negotiable"]
    assert all(mark.find_parent("p") is not None for mark in marks)


def parse_marks(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").select(".result__snippet mark")


def test_every_word_a_prefix_matches_has_a_term_it_stands_for(negotiation_archive):
    prefix_terms = engine().prefix_terms
    assert prefix_terms("text", "negotiat") == ("negoti",)
    assert prefix_terms("", "negotiat") == ("negoti",)  # the content
    assert prefix_terms("text", "neg") == ("neglig", "nego", "negoti")  # "nego": a headline
    assert prefix_terms("headline", "negotiat") == ()  # no headline holds such a word
    assert prefix_terms("nosuchfield", "negotiat") == ()


def test_vocabulary_lists_the_words_starting_with_a_prefix():
    vocabulary = Vocabulary.merged([(["negotiable", "negotiated", "negotiations", "neon", "zebra"], np.ones(5, dtype=np.int64))])
    assert vocabulary.starting_with("negotiat") == ["negotiated", "negotiations"]
    assert vocabulary.starting_with("zebra") == ["zebra"]
    assert vocabulary.starting_with("zz") == []
    assert {index_term(word) for word in vocabulary.starting_with("negotia")} == {"negoti"}
