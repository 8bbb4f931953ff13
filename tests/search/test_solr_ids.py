"""Ids on SolrCloud in one pass and in large cursor pages: exactly the ids and order of the plain path.

The plain path asks for the winners' fields in a second round (no distrib.singlePass) and pages
through a search a few ids at a time; the engine asks each shard for django_id with its top ids
and pages ID_PAGE ids at a time, handing them on in the caller's chunks.
"""

import dataclasses

import pytest

from articles.forms import SearchFilters
from articles.search.engines import engine
from articles.search.engines.base import SearchRequest
from articles.search.engines.solr import engine as solr_engine
from articles.search.engines.solr import translate
from articles.search.query import read_query

from .solr_cluster import needs_solr

pytestmark = needs_solr


def plain(params: list[tuple[str, str]]) -> list[int]:
    return [int(doc["django_id"]) for doc in engine()._select([p for p in params if p != translate.SINGLE_PASS])["response"]["docs"]]


def plain_cursor(request: SearchRequest, q: str, page: int = 3) -> list[int]:
    params, cursor, ids = [p for p in translate.cursor_params(request, q, page) if p != translate.SINGLE_PASS], "*", []
    while True:
        answer = engine()._select(params + [("cursorMark", cursor)])
        ids += [int(doc["django_id"]) for doc in answer["response"]["docs"]]
        if answer["nextCursorMark"] == cursor:
            return ids
        cursor = answer["nextCursorMark"]


@pytest.fixture
def archive(search_index, make_article):
    """23 articles over both shards: ties of score and date, several lengths."""
    for n in range(23):
        make_article(f"Officials met in Geneva, round {n}." + " Officials spoke again." * (n % 4),
                     date=f"2024-0{1 + n % 3}-0{1 + n % 2}")


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_ids_in_pages_and_chunks_are_the_plain_paths(archive, monkeypatch, sort):
    monkeypatch.setattr(solr_engine, "ID_PAGE", 4)  # several pages, and chunks smaller than a page
    request = SearchRequest(SearchFilters(q="officials", sort=sort), read_query("officials")[0], facets=False)
    q = translate.text_query(request.query)
    expected = plain_cursor(request, q)
    assert len(expected) == 23

    chunks = list(engine().iter_ids(request, chunk=3))
    assert [article_id for chunk in chunks for article_id in chunk] == expected
    assert [len(chunk) for chunk in chunks] == [3, 1] * 5 + [3]  # each page of 4 handed on as 3 + 1; 23 = 5 * 4 + 3
    window = dataclasses.replace(request, start=5, stop=17)
    assert [article_id for chunk in engine().iter_ids(window, chunk=5) for article_id in chunk] == expected[5:17]
    assert engine().search(request).ids == expected  # every match from start: through iter_ids

    page = dataclasses.replace(request, start=5, stop=15)
    assert engine().search(page).ids == plain(translate.select_params(page, q)) == expected[5:15]
