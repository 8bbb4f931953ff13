"""SolrCloud's collections, alias and configsets, as the engine uses them: the live alias, fresh builds, drops.

Searches and writes go through the alias (settings.SOLR_ALIAS, "newsdesk"). A rebuild fills a new
collection newsdesk_<stamp>, made from the project's configset (uploaded under the collection's own
name, so a schema change reaches only the collections built with it), moves the alias to it in one
step, and drops the collections it pointed to before.
"""

import dataclasses
import io
import zipfile
from pathlib import Path

from django.conf import settings

from .client import ADMIN_TIMEOUT, SolrClient

DEFAULT_SHARDS = 2
DEFAULT_REPLICAS = 2


@dataclasses.dataclass(frozen=True)
class Layout:
    shards: int
    replicas: int


def alias_targets(client: SolrClient, alias: str) -> list[str]:
    """The collections the alias points to ([] when there is no such alias)."""
    aliases = client.get("admin/collections", {"action": "LISTALIASES", "wt": "json"}, timeout=ADMIN_TIMEOUT)
    target = aliases.get("aliases", {}).get(alias)
    return target.split(",") if target else []


def collection_layout(client: SolrClient, collection: str) -> Layout:
    """How many shards the collection has and replicas each (a new build copies them)."""
    status = client.get("admin/collections", {"action": "CLUSTERSTATUS", "collection": collection, "wt": "json"},
                        timeout=ADMIN_TIMEOUT)
    shards = status.get("cluster", {}).get("collections", {}).get(collection, {}).get("shards", {})
    if not shards:
        return Layout(DEFAULT_SHARDS, DEFAULT_REPLICAS)
    return Layout(len(shards), max(len(shard.get("replicas", {})) for shard in shards.values()))


def configset_zip(directory: Path | None = None) -> bytes:
    """The configset (settings.SOLR_CONFIGSET, solrcloud/configset/conf) as the Configset API takes it: a zip."""
    directory = Path(directory or settings.SOLR_CONFIGSET)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory).as_posix())
    return buffer.getvalue()


def upload_configset(client: SolrClient, name: str) -> None:
    """Upload the project's configset (solrcloud/configset/conf) under this name, replacing one of that name."""
    client.post("admin/configs", params={"action": "UPLOAD", "name": name, "overwrite": "true", "wt": "json"},
                data=configset_zip(), headers={"Content-Type": "application/octet-stream"}, timeout=ADMIN_TIMEOUT)


def create_collection(client: SolrClient, name: str, configset: str, layout: Layout) -> None:
    """Create the collection and wait until every replica is active."""
    client.post("admin/collections", params={
        "action": "CREATE", "name": name, "collection.configName": configset, "numShards": layout.shards,
        "replicationFactor": layout.replicas, "waitForFinalState": "true", "wt": "json",
    }, timeout=ADMIN_TIMEOUT)


def point_alias(client: SolrClient, alias: str, collection: str) -> None:
    """Move (or create) the alias onto the collection: the next request through it reads the collection."""
    client.post("admin/collections", params={"action": "CREATEALIAS", "name": alias, "collections": collection,
                                             "wt": "json"}, timeout=ADMIN_TIMEOUT)


def exists(client: SolrClient, collection: str) -> bool:
    listed = client.get("admin/collections", {"action": "LIST", "wt": "json"}, timeout=ADMIN_TIMEOUT)
    return collection in listed.get("collections", [])


def drop_collection(client: SolrClient, name: str) -> None:
    """Delete the collection, and the configset uploaded for it (one of its own name)."""
    if exists(client, name):
        client.post("admin/collections", params={"action": "DELETE", "name": name, "wt": "json"},
                    timeout=ADMIN_TIMEOUT)
    configsets = client.get("admin/configs", {"action": "LIST", "wt": "json"}, timeout=ADMIN_TIMEOUT)
    if name in configsets.get("configSets", []):
        client.post("admin/configs", params={"action": "DELETE", "name": name, "wt": "json"}, timeout=ADMIN_TIMEOUT)
