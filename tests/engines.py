"""Which engine a test needs: most run on every engine; a few read one engine's own internals.

    @whoosh_only  def test_a_parallel_rebuild_...     (Whoosh's files, columns, segments)
    pytestmark = needs_solr                           (the cluster of scripts/with-solr)
"""

import contextlib
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
