"""A search while an editor's write replaces the index's generation answers from one generation, never a 500.

Seen in the short load test (tests/test_loadtest.py): `q=oil&actor=russia&topic=energy` answered 500
with whoosh.reading.ReaderClosed. The query parser looks prefixes up in current_searcher(), which
closes the readers of a generation replaced meanwhile, and column_search had taken its searcher
before parsing: it then read from closed readers.
"""

from articles.search.engines.whoosh import prefixes

from ..engines import whoosh_only
from ..pages import parse, result_rows

pytestmark = whoosh_only  # replaces a Whoosh generation under the query parser


def test_a_write_committed_while_the_query_is_parsed(client, search_index, make_article, monkeypatch):
    articles = [make_article(f"Minister number {n} spoke about harbour tariffs.", date=f"2024-01-{n + 1:02d}")
                for n in range(6)]
    assert len(result_rows(parse(client.get("/search/", {"q": "minister"})))) == 6  # this thread's readers opened
    real = prefixes.current_searcher
    writes = iter([articles[0].delete])  # a deletion changes the segment: its old reader is closed

    def write_first(backend):
        next(writes, lambda: None)()  # the editor's save lands between two looks at the index
        return real(backend)

    monkeypatch.setattr(prefixes, "current_searcher", write_first)
    response = client.get("/search/", {"q": "minister"})
    assert response.status_code == 200
    assert len(result_rows(parse(response))) == 5
