"""The cluster as Solr's CLUSTERSTATUS reports it, parsed into dataclasses."""

from dataclasses import dataclass

from . import solr_http


@dataclass(frozen=True)
class Replica:
    name: str  # core_node3
    core: str  # newsdesk_1_shard1_replica_n1
    shard: str
    node: str  # 127.0.0.1:18983_solr
    base_url: str  # http://127.0.0.1:18983/solr
    active: bool  # state "active" on a live node
    leader: bool


@dataclass(frozen=True)
class ClusterState:
    live_nodes: frozenset[str]
    aliases: dict[str, list[str]]
    collections: dict[str, list[Replica]]

    def replicas(self, alias_or_collection: str) -> list[Replica]:
        """Replicas of a collection, or of the collection an alias points at."""
        names = self.aliases.get(alias_or_collection, [alias_or_collection])
        return [replica for name in names for replica in self.collections[name]]


def parse_cluster_status(answer: dict) -> ClusterState:
    """Read /admin/collections?action=CLUSTERSTATUS's JSON."""
    cluster = answer["cluster"]
    live = frozenset(cluster["live_nodes"])
    collections = {}
    for name, collection in cluster["collections"].items():
        collections[name] = [
            Replica(
                name=replica_name,
                core=replica["core"],
                shard=shard_name,
                node=replica["node_name"],
                base_url=replica["base_url"],
                active=replica["state"] == "active" and replica["node_name"] in live,
                leader=replica.get("leader") == "true",
            )
            for shard_name, shard in sorted(collection["shards"].items())
            for replica_name, replica in sorted(shard["replicas"].items())
        ]
    aliases = {alias: targets.split(",") for alias, targets in cluster.get("aliases", {}).items()}
    return ClusterState(live_nodes=live, aliases=aliases, collections=collections)


def cluster_state(base_url: str) -> ClusterState:
    """Ask one node for the whole cluster's state."""
    return parse_cluster_status(solr_http.get(base_url, "admin/collections", action="CLUSTERSTATUS"))
