"""Faults on the SolrCloud of scripts/with-solr: a node killed mid-run, the whole cluster stopped.

Node N is the N-th URL of NEWSDESK_SEARCH_URL; NEWSDESK_SOLR_CONTROL kills, stops and starts them.
Each test leaves every node running with every replica active.
"""

import urllib.error

import pytest

from . import solr_http
from .cluster_state import cluster_state
from .documents import ALIAS, sample_document
from .fault_drill import ids, leading_node, write_until_accepted

pytestmark = pytest.mark.slow


@pytest.fixture
def restored_cluster(sample_documents, solr_control):
    """Starts whatever a test stopped (waiting until every replica is active) before the sample documents go."""
    yield sample_documents
    solr_control("start-all")


def test_killed_node_leaves_searches_complete_and_writes_working(solr_urls, solr_control, restored_cluster):
    restored_cluster([sample_document(number) for number in range(40)])
    victim, _ = leading_node(solr_urls[0])  # the worst node to lose
    node = str(solr_urls.index(victim) + 1)
    survivors = [url for url in solr_urls if url != victim]

    solr_control("kill", node)
    for url in survivors * 3:  # every search answers in full from the remaining replicas
        assert ids(url) == list(range(40))

    write_until_accepted(survivors, [sample_document(number) for number in range(40, 50)])
    for url in survivors:
        assert ids(url) == list(range(50))

    solr_control("start", node)  # returns once the node's replicas have recovered
    state = cluster_state(victim)
    assert all(replica.active for replica in state.replicas(ALIAS))
    assert ids(victim) == list(range(50))
    # Each replica on the restarted node holds what its shard's leader holds, writes made while it was down included.
    for replica in state.replicas(ALIAS):
        if replica.base_url == victim:
            leader = next(r for r in state.replicas(ALIAS) if r.shard == replica.shard and r.leader)
            own, leaders_own = (
                solr_http.get(r.base_url, f"{r.core}/select", q="*:*", rows=0, distrib="false")["response"]["numFound"]
                for r in (replica, leader)
            )
            assert own == leaders_own > 0


def test_stopped_cluster_refuses_at_once_and_comes_back_with_its_data(solr_urls, solr_control, restored_cluster):
    restored_cluster([sample_document(number) for number in range(20)])

    solr_control("stop-all")
    for url in solr_urls:
        with pytest.raises(urllib.error.URLError) as refused:
            solr_http.get(url, "admin/info/system", timeout=5)
        assert isinstance(refused.value.reason, ConnectionRefusedError)  # refused, not a time-out

    solr_control("start-all")  # returns once every replica is active
    assert all(replica.active for replica in cluster_state(solr_urls[0]).replicas(ALIAS))
    for url in solr_urls:
        assert ids(url) == list(range(20))
