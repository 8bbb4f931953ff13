"""Which engine a test needs: most run on every engine; a few read one engine's own internals.

    @whoosh_only  def test_a_parallel_rebuild_...     (Whoosh's files, columns, segments)
    pytestmark = needs_solr                           (the cluster of scripts/with-solr)
"""

import contextlib
import io
import shutil
import socket
from collections.abc import Iterator

import pytest
from django.conf import settings

whoosh_only = pytest.mark.skipif(settings.SEARCH_ENGINE != "whoosh", reason="reads the Whoosh engine's own internals")
NEEDS_SOLR = "needs SolrCloud: run under scripts/with-solr (NEWSDESK_SEARCH_ENGINE=solr, NEWSDESK_SOLR_CONTROL)"
needs_solr = pytest.mark.skipif(settings.SEARCH_ENGINE != "solr", reason=NEEDS_SOLR)


@contextlib.contextmanager
def index_emptied() -> Iterator[None]:
    """The search index empty before and after: for processes started with a data directory of their own.

    On Whoosh each data directory holds its own index; on Solr every process writes to the
    cluster's one collection, so a test's processes must not find other tests' documents there.
    """
    from articles.search.indexing import index_clear

    index_clear()
    try:
        yield
    finally:
        index_clear()


def remove_index(path) -> None:
    """Delete the Whoosh index, whether a directory or a symlink to one."""
    from haystack import connections

    target = path.resolve()
    if path.is_symlink():
        path.unlink()
    shutil.rmtree(target)
    connections.reload("default")


def index_lost(settings) -> None:
    """The index gone behind Newsdesk's back, the engine still running (settings: pytest-django's fixture).

    On Whoosh the index directory is deleted; on Solr the alias and the collections it named.
    The next index_clear() (the search_index fixture's, at the end of the test) makes a new one.
    """
    from articles.search.engines import engine

    if settings.SEARCH_ENGINE == "whoosh":
        remove_index(settings.INDEX_DIR)
        return
    from articles.search.engines.solr import collections

    solr = engine()
    lost = collections.alias_targets(solr.client, solr.alias)
    solr.client.get("admin/collections", {"action": "DELETEALIAS", "name": solr.alias})
    for collection in lost:
        collections.drop_collection(solr.client, collection)


@contextlib.contextmanager
def refusing_url() -> Iterator[str]:
    """A Solr node URL that refuses connections at once: a loopback socket bound but not listening."""
    with socket.socket() as refusing:
        refusing.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{refusing.getsockname()[1]}/solr"


@contextlib.contextmanager
def search_engine_down(settings) -> Iterator[None]:
    """The configured engine cannot answer until the block ends (settings: pytest-django's fixture).

    On Whoosh the index directory is deleted (rebuilt from the database afterwards); on Solr
    every node URL is a port that refuses connections (a socket bound but not listening).
    """
    from django.core.management import call_command

    from articles.search import engines

    if settings.SEARCH_ENGINE == "whoosh":
        index_lost(settings)
        try:
            yield
        finally:
            call_command("index_rebuild", stdout=io.StringIO())
        return
    with refusing_url() as refusing:
        live_urls = settings.SEARCH_URLS
        settings.SEARCH_URLS = [refusing]
        engines._engine.cache_clear()
        try:
            yield
        finally:
            settings.SEARCH_URLS = live_urls
            engines._engine.cache_clear()
