"""Documents as Solr takes them, and the update requests that replace, delete and commit them.

# Article 12 -> {"id": "articles.article.12", "django_id": 12, "date": "2024-05-16T00:00:00Z",
#                "created": 1716192062123456, "actors": ["russia"], "text": "...", ...}
"""

import datetime
import json
from collections.abc import Iterable, Sequence

from articles.models import Article

from ...documents import document_id, search_document
from .client import WRITE_TIMEOUT, SolrClient
from .translate import microseconds

# Seconds a write keeps asking while nodes answer but refuse it: a shard whose leader died elects a new
# one once ZooKeeper notices (zkClientTimeout, 10 s on the project's cluster) and refuses writes meanwhile.
WRITE_RETRY_SECONDS = 30.0


def solr_document(article: Article) -> dict | None:
    """The article's search document with Solr's types, or None when it is not indexed."""
    document = search_document(article)
    if document is None:
        return None
    values = {key: _solr_value(value) for key, value in document.items() if value is not None}
    values["created"] = microseconds(article.created)  # exact to the microsecond (see the schema)
    return values


def _solr_value(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, datetime.date):
        return f"{value.isoformat()}T00:00:00Z"
    if isinstance(value, (list, tuple, set)):
        return [_solr_value(item) for item in value]
    return value


def update_body(documents: Sequence[dict], removed_ids: Iterable[int] = ()) -> str:
    """One JSON update command: add (replace) each document, delete the removed articles' documents."""
    parts = [f'"add":{json.dumps({"doc": document}, ensure_ascii=False)}' for document in documents]
    removed = [document_id(article_id) for article_id in sorted(removed_ids)]
    if removed:
        parts.append(f'"delete":{json.dumps(removed)}')
    return "{" + ",".join(parts) + "}"  # Solr reads repeated keys in order, as separate commands


def send_update(client: SolrClient, collection: str, body: str, commit: bool = True) -> None:
    """Send an update command; with commit, make it visible to the next search (a soft commit: the
    transaction log keeps it durable until Solr's own hard commit)."""
    params = {"softCommit": "true"} if commit else {}
    client.post(f"{collection}/update", params=params, data=body.encode("utf-8"),
                headers={"Content-Type": "application/json"}, timeout=WRITE_TIMEOUT, retry_for=WRITE_RETRY_SECONDS)


def write_articles(client: SolrClient, collection: str, articles: Sequence[Article], removed_ids: Iterable[int] = (),
                   commit: bool = True) -> int:
    """Replace these articles' documents and delete removed_ids' in one request; return documents written."""
    documents = [document for article in articles if (document := solr_document(article)) is not None]
    # An article that is no longer indexed (solr_document gave None) must not keep its old document.
    skipped = {article.id for article in articles} - {int(document["django_id"]) for document in documents}
    removed = set(removed_ids) | skipped
    if documents or removed:
        send_update(client, collection, update_body(documents, removed), commit=commit)
    elif commit:
        commit_changes(client, collection)
    return len(documents)


def commit_changes(client: SolrClient, collection: str) -> None:
    send_update(client, collection, "{}", commit=True)


def delete_everything(client: SolrClient, collection: str) -> None:
    send_update(client, collection, '{"delete":{"query":"*:*"}}', commit=True)
