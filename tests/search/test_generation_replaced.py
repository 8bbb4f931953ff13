"""A search while an editor's write replaces the index's generation answers from one generation, never a 500.

Seen in the short load test (tests/test_loadtest.py): `q=oil&actor=russia&topic=energy` answered 500
with whoosh.reading.ReaderClosed. The query parser looks prefixes up in current_searcher(), which
closes the readers of a generation replaced meanwhile, and column_search had taken its searcher
before parsing: it then read from closed readers.
"""

from whoosh.index import TOC

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


def test_a_generation_deleted_between_listing_and_opening_it(client, search_index, make_article, monkeypatch):
    # Seen in the short load test as a 503: an editor's commit deleted _MAIN_16.toc just after a
    # search listed the directory and before it opened the file.
    for n in range(3):
        make_article(f"Minister number {n} spoke about harbour tariffs.", date=f"2024-01-{n + 1:02d}")
    real = TOC.read
    vanished = iter([True])

    def read_after_a_commit(cls, storage, indexname, *args, **kwargs):
        if next(vanished, False):
            raise FileNotFoundError(2, "No such file or directory", f"{indexname}_1.toc")
        return real(storage, indexname, *args, **kwargs)

    monkeypatch.setattr(TOC, "read", classmethod(read_after_a_commit))
    response = client.get("/search/", {"q": "minister"})
    assert response.status_code == 200
    assert len(result_rows(parse(response))) == 3
    assert next(vanished, None) is None  # the vanished generation was met
