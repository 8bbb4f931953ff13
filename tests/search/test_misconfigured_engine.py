"""An engine that cannot be used as configured says so on every page that needs it, on any engine.

Seen on SolrCloud with the alias naming a missing collection: the search page answered "The search
index is being rebuilt", because the coverage check found the engine unavailable and raised the
generic error. health() says whether it is a configuration error; the pages keep that.
"""

from articles.search.coverage import forget_coverage
from articles.search.engines import engine
from articles.search.engines.base import EngineHealth

from ..pages import parse, text_of

MISCONFIGURED = EngineHealth(False, 0, "SolrCloud refused no_such_collection/select (HTTP 404)", misconfigured=True)
DOWN = EngineHealth(False, 0, "every node refused the connection")


def _heading(client, **params) -> tuple[int, str]:
    response = client.get("/search/", params)
    return response.status_code, text_of(parse(response).find("h1"))


def test_a_configuration_error_has_its_own_page(client, search_index, monkeypatch):
    monkeypatch.setattr(type(engine()), "health", lambda self: MISCONFIGURED)
    forget_coverage()
    try:
        assert _heading(client, q="gas") == (503, "Search is not configured correctly")
        assert _heading(client, q="gas", format="csv") == (503, "Search is not configured correctly")
    finally:
        forget_coverage()


def test_an_outage_is_not_a_configuration_error(client, search_index, monkeypatch):
    monkeypatch.setattr(type(engine()), "health", lambda self: DOWN)
    forget_coverage()
    try:
        assert _heading(client, q="gas") == (503, "The search index is being rebuilt")
    finally:
        forget_coverage()
