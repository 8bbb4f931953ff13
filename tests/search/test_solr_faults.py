"""Faults on SolrCloud: a node killed mid-run, the whole cluster down and back, a configuration error.

Nothing is lost: searches answer from the replicas left, every write waits in the index queue
until the cluster takes it, and index_check is clean afterwards. Each test leaves every node running.
"""

import pytest
from django.db import transaction

from articles.models import Article, IndexQueue
from articles.search.consistency import index_differences
from articles.search.engines import engine
from articles.search.engines.base import SearchMisconfigured, SearchRequest, SearchUnavailable
from articles.search.engines.solr.engine import SolrEngine
from articles.search.indexing import index_drain
from articles.forms import SearchFilters
from articles.search.query import read_query

from ..engines import refusing_url
from ..pages import parse, text_of
from .solr_cluster import control, leading_node, needs_solr, replicas_per_shard

pytestmark = [needs_solr, pytest.mark.slow]


def found(q: str) -> list[int]:
    return engine().search(SearchRequest(SearchFilters(q=q), read_query(q)[0])).ids


@pytest.fixture
def cluster_restored():
    yield
    control("start-all")  # returns once every node is live and every replica active


def test_killed_node_leaves_searches_complete_and_writes_working(small_archive, make_article, cluster_restored):
    every = sorted(article.pk for article in small_archive.values())
    assert replicas_per_shard(engine()) == 2
    node = leading_node(engine())  # the worst node to lose: a shard's leader
    control("kill", str(node))
    for _ in range(len(engine().client.urls) * 2):  # whichever node is asked first, every shard answers
        assert sorted(found("officials")) == every
    added = make_article("Officials in Vienna resumed the nuclear talks.", date="2024-06-01")
    assert not IndexQueue.objects.exists()  # written on commit while a shard elected a new leader
    assert added.pk in found("vienna")
    control("start", str(node))  # returns once the node's replicas have recovered
    assert index_differences().summary() == "Index matches the database: 5 articles."


def test_cluster_down_answers_503_keeps_every_write_and_drains_when_back(client, small_archive, make_article,
                                                                        cluster_restored):
    control("stop-all")
    response = client.get("/search/", {"q": "gas"})
    assert response.status_code == 503
    assert text_of(parse(response).find("h1")) == "The search index is being rebuilt"
    assert client.get("/search/", {"q": "gas", "format": "csv"}).status_code == 503
    browsing = client.get("/search/", {"actor": "vladimir-putin"})  # from the database meanwhile
    assert browsing.status_code == 200
    assert engine().health().available is False

    added = make_article("Officials in Oslo signed the fisheries accord.", date="2024-06-02")
    removed = small_archive["nato"].pk
    small_archive["nato"].delete()
    with transaction.atomic():
        Article.objects.get(pk=small_archive["gas"].pk).actors.clear()
    assert set(IndexQueue.objects.values_list("article_id", flat=True)) == {added.pk, removed, small_archive["gas"].pk}

    control("start-all")
    assert index_drain() == 3
    assert not IndexQueue.objects.exists()
    assert index_differences().summary() == "Index matches the database: 4 articles."
    assert found("oslo") == [added.pk] and found("brussels") == []


def test_configuration_error_is_reported_as_such(client, small_archive, settings):
    misconfigured = SolrEngine(alias="no_such_collection")
    with pytest.raises(SearchMisconfigured, match="no_such_collection"):
        misconfigured.search(SearchRequest(SearchFilters(q="gas"), read_query("gas")[0]))
    health = misconfigured.health()
    assert not health.available and health.misconfigured

    from articles.search import engines

    settings.SOLR_ALIAS = "no_such_collection"
    engines._engine.cache_clear()
    try:
        response = client.get("/search/", {"q": "gas"})
        assert response.status_code == 503
        assert text_of(parse(response).find("h1")) == "Search is not configured correctly"
        export = client.get("/search/", {"q": "gas", "format": "csv"})
        assert export.status_code == 503 and text_of(parse(export).find("h1")) == "Search is not configured correctly"
    finally:
        settings.SOLR_ALIAS = "newsdesk"
        engines._engine.cache_clear()


def test_a_node_that_refuses_connections_is_skipped(small_archive):
    with refusing_url() as refusing:  # the first URL: the client goes on to the real nodes
        urls = [refusing] + engine().client.urls
        assert sorted(SolrEngine(urls=urls).search(SearchRequest(SearchFilters())).ids) == sorted(
            article.pk for article in small_archive.values())
        with pytest.raises(SearchUnavailable, match="did not answer"):
            SolrEngine(urls=[refusing]).search(SearchRequest(SearchFilters()))
