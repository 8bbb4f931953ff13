"""Relevance on SolrCloud: a results page and an export of the same search score every article alike.

Scores come from the whole collection's term statistics (ExactStatsCache). A shard's result
cache must never hand back scores computed from that shard's own statistics, or a page and
the export of the same view list the articles in different orders.
"""

from articles.forms import SearchFilters
from articles.search.engines import engine
from articles.search.engines.base import SearchRequest
from articles.search.engines.solr import translate
from articles.search.query import read_query

from .solr_cluster import needs_solr

pytestmark = needs_solr


def scores(params: list[tuple[str, str]]) -> dict[int, float]:
    answer = engine()._select([(key, value) for key, value in params if key != "fl"] + [("fl", "django_id,score")])
    return {int(doc["django_id"]): doc["score"] for doc in answer["response"]["docs"]}


def test_a_page_and_an_export_score_alike_after_a_write(search_index, make_article):
    # Seven articles over two shards: each shard's own statistics differ from the collection's.
    for n in range(7):
        make_article(f"Officials met in Geneva, round {n}." + " Officials spoke." * (n % 3), date=f"2024-01-0{n + 1}")
    request = SearchRequest(SearchFilters(q="officials"), read_query("officials")[0], stop=20, facets=False)
    q = translate.text_query(request.query)
    engine().search(request)  # now in each replica's result cache
    make_article("Officials met in Oslo.", date="2024-02-01")  # the commit opens new searchers, warmed from those caches

    page = scores(translate.select_params(request, q))
    export = scores(translate.cursor_params(request, q, 100) + [("cursorMark", "*")])
    assert len(page) == 8
    assert page == export
    assert engine().search(request).ids == [article_id for chunk in engine().iter_ids(request) for article_id in chunk]
