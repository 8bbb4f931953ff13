"""A new gunicorn worker serves itself one page of each kind before taking requests (articles.warmup)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

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
    assert "/search/?q=Delegationszq" in paths  # no hits: the empty page and "did you mean"
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


def test_the_warm_up_phrase_is_two_index_terms_not_a_stop_word(search_index, make_article):
    make_article("The government of Ruritania announced talks on Monday.")
    answers = []
    warm_up(recording(get_wsgi_application(), answers))
    phrases = [path for path, _ in answers if "%22" in path]
    assert phrases == ["/search/?q=%22Ruritania+announced%22"]  # not "The government": one term, no positions read


def test_a_first_or_or_phrase_query_imports_nothing_in_a_new_process():
    """numpy >= 2.3 imports numpy.ma on a process's first np.unique (~15 ms of a worker's first OR or phrase)."""
    code = (
        "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsdesk.settings'); django.setup()\n"
        "import numpy as np\n"
        "from articles.search.engines.whoosh import matching\n"
        "before = set(sys.modules)\n"
        "np.union1d(np.array([3, 1]), np.array([2])); np.intersect1d(np.array([1, 2]), np.array([2])); np.unique(np.array([2, 2]))\n"
        "print(sorted(set(sys.modules) - before))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent, env={**os.environ, "NEWSDESK_DATA_DIR": tempfile.mkdtemp()})
    assert out.stdout.strip() == "[]"
