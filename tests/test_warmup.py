"""A new gunicorn worker serves itself one page of each kind before taking requests (articles.warmup)."""

from django.core.wsgi import get_wsgi_application

from articles.search.engines.whoosh import columns
from articles.warmup import warm_up

from .engines import whoosh_only


def recording(application, answers):
    def app(environ, start_response):
        def start(status, headers, exc_info=None):
            answers.append((environ["PATH_INFO"] + "?" + environ["QUERY_STRING"], status))
            return start_response(status, headers, exc_info)
        return application(environ, start)
    return app


def test_the_worker_serves_itself_each_kind_of_page_and_all_answer(search_index, make_article):
    make_article("Delegations met in Geneva on Monday. The ceasefire talks resumed.",
                 actors=[("Ruritania", "country", "ruritania")], topics=[("Diplomacy", "diplomacy")])
    columns._generation_cache.clear()
    answers = []
    warm_up(recording(get_wsgi_application(), answers))
    paths = [path for path, _ in answers]
    assert {status for _, status in answers} == {"200 OK"}
    assert any(path.startswith("/search/?q=") and "format=json" not in path for path in paths)
    assert any("format=json" in path for path in paths)
    assert "/search/?q=%22Delegations+met%22" in paths
    assert any(path.startswith("/articles/") for path in paths)
    assert "/actors/ruritania/?" in paths and "/search/?actor=ruritania" in paths
    assert "/topics/diplomacy/?" in paths


@whoosh_only
def test_the_worker_loads_the_index_columns(search_index, make_article):
    make_article("Delegations met in Geneva on Monday.")
    columns._generation_cache.clear()
    warm_up()
    assert columns._generation_cache


def test_an_empty_archive_is_warmed_without_requests(search_index):
    answers = []
    warm_up(recording(get_wsgi_application(), answers))
    assert answers == []


def test_a_failing_warm_up_page_does_not_keep_the_worker_from_starting(search_index, make_article, caplog):
    make_article("Delegations met in Geneva on Monday.")

    def broken(environ, start_response):
        raise RuntimeError("database is locked")

    warm_up(broken)  # no exception: the worker starts and serves as usual
    assert "warm-up pages not served: database is locked" in caplog.text


def test_the_worker_reads_the_names_did_you_mean_offers(search_index, make_article):
    from articles import suggestions

    make_article("Delegations met in Geneva on Monday.", actors=[("Ruritania", "country", "ruritania")])
    suggestions._names_read.clear()
    warm_up()
    assert suggestions._names_read and suggestions._names_read[0][1].get("ruritania") == "Ruritania"
