"""The SolrCloud of scripts/with-solr as tests see it: its control command and which node leads what."""

import os
import shlex
import subprocess

import pytest

from ..engines import NEEDS_SOLR, needs_solr  # noqa: F401  (the tests using the cluster import it from here)


def control(*args: str) -> str:
    """Run the cluster's control command: control("kill", "2"), control("start-all")."""
    command = os.environ.get("NEWSDESK_SOLR_CONTROL")
    if not command:
        pytest.skip(NEEDS_SOLR)
    result = subprocess.run(shlex.split(command) + list(args), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command} {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


def leading_node(engine) -> int:
    """The number (1, 2, 3: its place in NEWSDESK_SEARCH_URL) of a node leading a shard of the live collection."""
    from articles.search.engines.solr.collections import alias_targets

    collection = alias_targets(engine.client, engine.alias)[0]
    status = engine.client.get("admin/collections", {"action": "CLUSTERSTATUS", "collection": collection})
    shards = status["cluster"]["collections"][collection]["shards"]
    leaders = [replica["base_url"] for shard in shards.values() for replica in shard["replicas"].values()
               if replica.get("leader") == "true"]
    return engine.client.urls.index(leaders[0].rstrip("/")) + 1


def replicas_per_shard(engine) -> int:
    """The fewest replicas any shard of the live collection has (2 in the cluster of scripts/with-solr)."""
    from articles.search.engines.solr.collections import alias_targets, collection_layout

    return collection_layout(engine.client, alias_targets(engine.client, engine.alias)[0]).replicas
