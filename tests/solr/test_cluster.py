"""The SolrCloud of scripts/with-solr: its layout, and the configset doing what Newsdesk needs."""

import itertools
import time
import uuid
from collections import defaultdict

import pytest

from articles.search.engines.solr.translate import text_query
from articles.search.query import parse_query

from . import solr_http
from .cluster_state import cluster_state
from .documents import ALIAS, index_documents, sample_document, search


def test_alias_names_a_collection_of_two_shards_of_two_active_replicas_over_three_nodes(solr_urls):
    state = cluster_state(solr_urls[0])
    assert len(solr_urls) == 3
    assert state.live_nodes == {url.removeprefix("http://").replace("/solr", "_solr") for url in solr_urls}
    (collection,) = state.aliases[ALIAS]
    shards = defaultdict(list)
    for replica in state.collections[collection]:
        shards[replica.shard].append(replica)
    assert sorted(shards) == ["shard1", "shard2"]
    for replicas in shards.values():
        assert [replica.active for replica in replicas] == [True, True]
        assert sum(replica.leader for replica in replicas) == 1
        assert len({replica.node for replica in replicas}) == 2  # losing one node never loses a shard
    assert {replica.base_url for replica in state.collections[collection]} == set(solr_urls)


ACTORS_PER_DOCUMENT = 5
DOCUMENTS = 30


def _documents() -> list[dict]:
    # Three documents a day, so sorting by date needs the django_id tie-breaker; 150 actors in all.
    return [
        sample_document(
            number,
            date=f"2024-04-{1 + number // 3:02d}T00:00:00Z",
            month=["2024-04"],
            day=[f"2024-04-{1 + number // 3:02d}"],
            actors=[f"actor-{number * ACTORS_PER_DOCUMENT + k}" for k in range(ACTORS_PER_DOCUMENT)],
            topics=["diplomacy"] + (["trade"] if number % 2 else []),
            is_version=number == 7,
        )
        for number in range(DOCUMENTS)
    ]


def test_every_node_answers_for_the_alias_once_the_batch_is_committed(solr_urls, sample_documents):
    sample_documents(_documents())
    for url in solr_urls:
        answer = search(url, q="*:*", rows=DOCUMENTS, fl="django_id")
        assert answer["response"]["numFound"] == DOCUMENTS
        assert sorted(doc["django_id"] for doc in answer["response"]["docs"]) == list(range(DOCUMENTS))


def test_facets_count_every_value_over_all_matches(solr_urls, sample_documents):
    sample_documents(_documents())
    answer = search(
        solr_urls[1], q="*:*", rows=0, facet="true", **{"facet.field": ["actors", "topics"], "facet.limit": -1, "facet.mincount": 1}
    )
    actors = answer["facet_counts"]["facet_fields"]["actors"]
    counts = dict(zip(actors[::2], actors[1::2]))
    assert len(counts) == DOCUMENTS * ACTORS_PER_DOCUMENT  # beyond Solr's default cut of 100
    assert set(counts.values()) == {1}
    topics = answer["facet_counts"]["facet_fields"]["topics"]
    assert dict(zip(topics[::2], topics[1::2])) == {"diplomacy": DOCUMENTS, "trade": DOCUMENTS // 2}


def test_filters_on_exact_values_dates_and_versions(solr_urls, sample_documents):
    sample_documents(_documents())

    def ids(**params):
        answer = search(solr_urls[2], q="*:*", rows=DOCUMENTS, fl="django_id", **params)
        return sorted(doc["django_id"] for doc in answer["response"]["docs"])

    assert ids(fq=['actors:"actor-42"']) == [8]
    assert ids(fq=['topics:"trade"', 'day:"2024-04-02"']) == [3, 5]
    assert ids(fq=["date:[2024-04-10T00:00:00Z TO 2024-04-10T23:59:59Z]"]) == [27, 28, 29]
    assert ids(fq=["is_version:true"]) == [7]
    assert ids(fq=['actors:"Actor-42"']) == []  # exact, case-sensitive values


def test_sort_by_date_breaks_ties_by_django_id_across_pages(solr_urls, sample_documents):
    documents = _documents()
    sample_documents(documents)
    expected = [doc["django_id"] for doc in sorted(documents, key=lambda doc: (doc["date"], -doc["django_id"]), reverse=True)]
    pages = [
        search(solr_urls[0], q="*:*", sort="date desc, django_id asc", start=start, rows=7, fl="django_id")
        for start in range(0, DOCUMENTS, 7)
    ]
    got = [doc["django_id"] for page in pages for doc in page["response"]["docs"]]
    assert got == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("zurich", [1, 2]),  # folded: the text says Zürich
        ("Zürich talks", [1, 2]),  # every word required, stemmed
        ("ceasefire -truce", [1]),
        ('"president of france"', [3, 4]),  # stop words leave no gap
        ("escalation", [5, 6]),  # Porter: both escal
        ('"escalated the talks"', [5]),
        ("headline:zurich", [2]),
    ],
)
def test_text_queries_match_as_newsdesk_analysis_does(solr_urls, sample_documents, query, expected):
    # As Newsdesk's engine asks: its parsed query in index terms, in Lucene syntax.
    sample_documents(
        [
            sample_document(1, headline="Talks resume", text="Talks resume\n\nCeasefire talks in Zürich."),
            sample_document(2, headline="Zürich talks", text="Zürich talks\n\nA truce, then a ceasefire."),
            sample_document(3, headline="Visit", text="Visit\n\nThe president of France arrived."),
            sample_document(4, headline="Visit", text="Visit\n\nPresident France, said the caption."),
            sample_document(5, headline="Border", text="Border\n\nBoth sides escalated the talks."),
            sample_document(6, headline="Border", text="Border\n\nAn escalation followed."),
        ]
    )
    answer = search(solr_urls[0], q=text_query(parse_query(query)), defType="lucene", fl="django_id", rows=10)
    assert sorted(doc["django_id"] for doc in answer["response"]["docs"]) == expected


def test_misspelt_word_gets_a_suggestion(solr_urls, sample_documents):
    sample_documents([sample_document(number) for number in range(5)])
    answer = search(solr_urls[1], q="ceasfire", rows=0, spellcheck="true", **{"spellcheck.collate": "true"})
    assert answer["response"]["numFound"] == 0
    assert answer["spellcheck"]["collations"][1] == "ceasefire"


def test_deleted_document_is_gone_after_commit(solr_urls, sample_documents):
    sample_documents([sample_document(number) for number in range(3)])
    solr_http.post_json(solr_urls[0], f"{ALIAS}/update", {"delete": {"id": sample_document(1)["id"]}}, commit="true")
    answer = search(solr_urls[2], q="*:*", fl="django_id")
    assert sorted(doc["django_id"] for doc in answer["response"]["docs"]) == [0, 2]


def _collections_api(url: str, action: str, **params) -> dict:
    return solr_http.get(url, "admin/collections", timeout=180, action=action, **params)


def _count_through_alias(url: str, alias: str, expected: int) -> int:
    """numFound through the alias, waiting a little for the node to learn of an alias change."""
    for attempt in itertools.count():
        try:
            found = search(url, collection=alias, q="*:*", rows=0)["response"]["numFound"]
        except solr_http.SolrError:
            found = None  # the node does not know the alias yet
        if found == expected or attempt == 50:
            return found
        time.sleep(0.1)


def test_rebuild_creates_a_collection_from_the_configset_and_swaps_an_alias(solr_urls):
    # What index_rebuild does: a new collection beside the live one, the alias moved, the old one dropped.
    url, stamp = solr_urls[0], uuid.uuid4().hex[:8]
    alias, old, new = f"rebuild_test_{stamp}", f"rebuild_test_{stamp}_a", f"rebuild_test_{stamp}_b"
    try:
        for name in (old, new):
            _collections_api(url, "CREATE", name=name, numShards=2, replicationFactor=1, **{"collection.configName": "newsdesk"})
        _collections_api(url, "CREATEALIAS", name=alias, collections=old)
        index_documents(url, [sample_document(1)], collection=old)
        index_documents(url, [sample_document(2), sample_document(3)], collection=new)
        assert _count_through_alias(solr_urls[1], alias, 1) == 1

        _collections_api(url, "CREATEALIAS", name=alias, collections=new)
        _collections_api(url, "DELETE", name=old)
        assert _count_through_alias(solr_urls[2], alias, 2) == 2
        assert old not in cluster_state(url).collections
    finally:
        _collections_api(url, "DELETEALIAS", name=alias)
        for name in (old, new):
            if name in cluster_state(url).collections:
                _collections_api(url, "DELETE", name=name)
