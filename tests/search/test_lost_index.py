"""A lost or partial index never answers as if complete: pages say so, and the index heals itself.

The reported case: the index directory deleted under a running site, then one ingest made a
one-document index, and from then on `q=minister` answered 1 result of 1,134 as if complete.
On Solr the same happens to a collection and its alias deleted under the site (tests/engines.py: index_lost).
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article, IndexQueue
from articles.search.consistency import index_differences
from articles.search import coverage
from articles.search.coverage import forget_coverage, index_coverage
from articles.search.indexing import index_drain, index_writes_deferred
from articles.search.upkeep import index_heal, index_upkeep

from ..engines import index_lost, whoosh_only
from ..pages import parse, result_rows, text_of


@pytest.fixture
def archive(search_index, make_article):
    return [make_article(f"Minister number {n} spoke about harbour tariffs.", date=f"2024-01-{n + 1:02d}") for n in range(6)]


def summary(client, **params) -> str:
    return text_of(parse(client.get("/search/", params)).select_one("#results-heading"))


def notices(client, **params) -> str:
    return text_of(parse(client.get("/search/", params)).select_one(".notice"))


def test_a_write_never_recreates_a_lost_index_with_a_few_documents(client, archive, settings):
    index_lost(settings)
    assert client.get("/search/", {"q": "minister"}).status_code == 503
    with transaction.atomic():
        Article.objects.create(headline="Late", date="2024-02-01", body="A late minister spoke.", source="late.txt",
                               fingerprint="late")
    # The drain after that save left the index alone: still 503, never "1 result" for minister.
    assert client.get("/search/", {"q": "minister"}).status_code == 503
    assert IndexQueue.objects.count() == 1
    assert "Showing 1–7 of 7 results" in summary(client)  # browsing comes from the database


def test_a_partial_index_says_so_and_browsing_stays_whole(client, archive):
    from articles.search.engines import engine

    # Four documents vanish from the index behind the queue's back, as if an old copy were restored.
    engine().write([], [article.pk for article in archive[:4]])
    assert index_coverage().missing == 4
    text = notices(client, q="minister")
    assert "only 2 of 6 articles can be found by text" in text
    assert len(result_rows(parse(client.get("/search/", {"q": "minister"})))) == 2
    assert "Showing 1–6 of 6 results" in summary(client)  # the database, not the index
    assert client.get("/search/", {"q": "minister", "format": "csv"}).status_code == 503  # never a short file
    assert index_drain() == 0  # nothing written into it meanwhile


def test_the_next_ingest_heals_a_lost_index(archive, settings, tmp_path):
    index_lost(settings)
    (tmp_path / "late.txt").write_text(" date 2024-02-01 A late minister spoke about harbour tariffs.\n")
    out = io.StringIO()
    call_command("ingest", str(tmp_path), stdout=out)
    assert "1 ingested" in out.getvalue()
    assert index_coverage().complete
    assert not index_differences()
    assert index_coverage().indexed == 7


def test_upkeep_heals_a_lost_index_and_drains_what_a_killed_ingest_left(archive, settings, make_article, monkeypatch):
    from articles.search import upkeep

    index_lost(settings)
    # The upkeep of a web worker rebuilds in a process of its own; here, in this one.
    monkeypatch.setattr(upkeep.subprocess, "run", lambda *args, **kwargs: index_heal())
    index_upkeep()
    assert index_coverage().complete and not index_differences()
    with index_writes_deferred():  # stored, queued, never drained: the ingest was killed
        late = make_article("A late minister spoke.")
    monkeypatch.setattr(upkeep, "STALE_AFTER", 0.0)
    index_upkeep()
    assert not IndexQueue.objects.exists()
    assert late.pk in index_coverage_ids()


def test_a_quiet_upkeep_round_leaves_its_look_to_the_pages_and_a_round_that_wrote_forgets_it(client, archive, make_article,
                                                                                               monkeypatch):
    """A new worker's upkeep looks at the index as its first page arrives: the page need not look again."""
    forget_coverage()
    index_upkeep(starting=True)
    assert coverage._last is not None and coverage._last[2].complete
    looks, look = [], coverage.index_coverage
    monkeypatch.setattr(coverage, "index_coverage", lambda: looks.append(1) or look())
    assert len(result_rows(parse(client.get("/search/", {"q": "minister"})))) == 6
    assert looks == []
    with index_writes_deferred():  # stored, queued, never drained: the ingest was killed
        make_article("A late minister spoke.")
    index_upkeep(starting=True)  # drains it
    assert coverage._last is None
    assert len(result_rows(parse(client.get("/search/", {"q": "minister"})))) == 7
    assert looks  # a fresh look


@whoosh_only  # on Solr a worker trusts its last look for CHECK_EVERY seconds (no cheap generation to compare)
def test_a_worker_that_looked_while_the_index_was_lost_searches_it_as_soon_as_it_is_rebuilt(client, archive, settings):
    index_lost(settings)
    assert client.get("/search/", {"q": "minister"}).status_code == 503
    seen_while_lost = coverage._last
    index_heal()  # in the upkeep's process: this worker is not told
    coverage._last = seen_while_lost
    answer = client.get("/search/", {"q": "minister"})
    assert answer.status_code == 200
    assert len(result_rows(parse(answer))) == 6
    assert notices(client, q="minister") == ""


def test_articles_left_in_the_queue_are_announced_until_written(client, archive, make_article):
    import datetime

    from django.utils import timezone

    with index_writes_deferred():  # stored, queued, never drained: the ingest was killed
        late = [make_article(f"A late minister spoke, number {n}.") for n in range(3)]
    assert notices(client) == ""  # queued just now: a drain is on its way
    IndexQueue.objects.update(queued=timezone.now() - datetime.timedelta(minutes=1))
    forget_coverage()  # (another worker's look, or this one's 5 seconds later)
    assert notices(client).startswith("3 articles are waiting to be written to the search index")
    assert notices(client, q="minister").startswith("3 articles are waiting to be written to the search index")
    index_drain()
    forget_coverage()
    assert notices(client) == "" and len(result_rows(parse(client.get("/search/", {"q": "late"})))) == len(late)


@whoosh_only  # copies Whoosh's index directory
def test_an_old_copy_of_the_index_is_found_and_repaired_by_the_hourly_comparison(client, archive, settings, monkeypatch,
                                                                                  tmp_path, make_article):
    import os
    import shutil

    from articles.search import upkeep
    from articles.search.engines.whoosh.searchers import forget_searchers

    live = settings.INDEX_DIR.resolve()
    shutil.copytree(live, tmp_path / "old")
    make_article("A plonkish minister spoke.")
    archive[0].delete()
    assert index_coverage().complete and not index_differences()
    shutil.rmtree(live)
    shutil.copytree(tmp_path / "old", live)  # an old copy restored: as many documents, not the right ones
    forget_searchers()
    forget_coverage()
    assert index_coverage().complete  # counting cannot tell
    assert result_rows(parse(client.get("/search/", {"q": "plonkish"}))) == []
    repairs = []
    monkeypatch.setattr(upkeep.subprocess, "run", lambda *args, **kwargs: repairs.append(call_command(
        "index_check", "--repair", stdout=io.StringIO())))
    index_upkeep()
    assert repairs == []  # compared less than COMPARE_EVERY ago (a new site counts from its first round)
    stamp = upkeep._compared_stamp()
    os.utime(stamp, (stamp.stat().st_atime, stamp.stat().st_mtime - upkeep.COMPARE_EVERY - 1))
    index_upkeep()
    assert len(repairs) == 1 and not index_differences()
    assert len(result_rows(parse(client.get("/search/", {"q": "plonkish"})))) == 1
    index_upkeep()
    assert len(repairs) == 1  # the next comparison in an hour


def test_an_index_check_that_finds_the_index_whole_puts_off_the_hourly_comparison(archive, monkeypatch):
    import datetime
    import os
    import time

    from articles.search import upkeep

    stamp = upkeep._compared_stamp()
    stamp.touch()
    an_hour_ago = time.time() - upkeep.COMPARE_EVERY - 1
    os.utime(stamp, (an_hour_ago, an_hour_ago))
    edited = archive[0].updated + datetime.timedelta(minutes=1)
    Article.objects.filter(pk=archive[0].pk).update(headline="Changed behind the index's back", updated=edited)  # no index write
    with pytest.raises(SystemExit):
        call_command("index_check", stdout=io.StringIO())
    assert stamp.stat().st_mtime == an_hour_ago  # differences found, none repaired: the upkeep still compares
    call_command("index_check", "--repair", stdout=io.StringIO())
    assert stamp.stat().st_mtime > an_hour_ago + 1
    os.utime(stamp, (an_hour_ago, an_hour_ago))
    call_command("index_check", stdout=io.StringIO())
    assert stamp.stat().st_mtime > an_hour_ago + 1
    repairs = []
    monkeypatch.setattr(upkeep.subprocess, "run", lambda *args, **kwargs: repairs.append(args))
    index_upkeep()
    assert repairs == []


def index_coverage_ids() -> set[int]:
    from articles.search.engines import engine

    return set(engine().indexed())


def test_index_check_repairs_a_lost_index(archive, settings):
    index_lost(settings)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("index_check", stdout=out, stderr=err)
    assert exit_status.value.code == 2
    assert "The search index cannot be read" in err.getvalue()  # one clear line, no traceback
    call_command("index_check", "--repair", stdout=out)
    assert "Index matches the database: 6 articles." in out.getvalue()
