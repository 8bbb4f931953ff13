"""A damaged index never answers: a few overwritten bytes in a segment file are noticed, and the index rebuilt.

The reported case: random bytes written into a Whoosh segment file went unnoticed, and searches
quietly gave wrong answers. Each file of the index now has a checksum recorded when it is written
(articles/search/engines/whoosh/integrity.py); health() checks them, so the damaged index is
unavailable: text searches answer 503, browsing comes from the database, the upkeep rebuilds it.
"""

import io
import os
import random

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.search.consistency import index_differences
from articles.search.coverage import forget_coverage, index_coverage
from articles.search.engines import engine
from articles.search.engines.whoosh import integrity
from articles.search.upkeep import index_heal, index_upkeep

from ..engines import whoosh_only
from ..pages import parse, result_rows, text_of

pytestmark = whoosh_only  # damages the Whoosh index's own files


@pytest.fixture
def archive(search_index, make_article):
    return [make_article(f"Minister number {n} spoke about harbour tariffs.", date=f"2024-01-{n + 1:02d}") for n in range(6)]


def damage(keep_modification_time: bool = False) -> str:
    """Overwrite 16 bytes in the middle of the index's largest segment file with different ones; return its name."""
    segment = max(settings.INDEX_DIR.resolve().glob("*.seg"), key=lambda path: path.stat().st_size)
    before = segment.stat()
    data = bytearray(segment.read_bytes())
    offset = len(data) // 2
    rng = random.Random(19)
    for position in range(offset, offset + 16):
        data[position] = (data[position] + rng.randrange(1, 256)) % 256  # never the same byte
    with open(segment, "r+b") as handle:  # in place: same file, same size
        handle.write(data)
    if keep_modification_time:
        os.utime(segment, ns=(before.st_atime_ns, before.st_mtime_ns))
    forget_coverage()
    return segment.name


def summary(client, **params) -> str:
    return text_of(parse(client.get("/search/", params)).select_one("#results-heading"))


def test_a_damaged_segment_makes_text_search_unavailable_and_browsing_comes_from_the_database(client, archive):
    name = damage()
    health = engine().health()
    assert not health.available
    assert health.detail.startswith(f"the search index is damaged: {name} is not as it was written")
    assert client.get("/search/", {"q": "minister"}).status_code == 503
    assert client.get("/search/", {"q": "minister", "format": "json"}).status_code == 503
    browse = client.get("/search/")
    assert browse.status_code == 200
    assert "Showing 1–6 of 6 results" in summary(client)
    assert len(result_rows(parse(browse))) == 6


def test_the_upkeep_rebuilds_a_damaged_index(client, archive, monkeypatch):
    from articles.search import upkeep

    damaged = damage()
    # A web worker's upkeep rebuilds in a process of its own; here, in this one.
    monkeypatch.setattr(upkeep.subprocess, "run", lambda *args, **kwargs: index_heal())
    index_upkeep()
    assert engine().health().available and index_coverage().complete
    assert not index_differences()
    assert not (settings.INDEX_DIR / damaged).exists()  # a fresh index, built beside the damaged one and swapped in
    assert len(result_rows(parse(client.get("/search/", {"q": "minister"})))) == 6


def test_a_generation_replaced_while_it_is_checked_is_not_an_outage(client, archive, make_article, monkeypatch):
    # Seen under load: a writer's commit deleted the files of the generation a search was checking,
    # and the search answered 503 "index unavailable" though nothing was wrong.
    replaced = integrity.generation_files(settings.INDEX_DIR)
    make_article("Minister number 7 spoke about harbour tariffs.", date="2024-01-08")  # a new generation
    assert not (settings.INDEX_DIR / replaced[0]).exists()  # the old table of contents is gone
    looks = iter([replaced])
    real = integrity.generation_files
    monkeypatch.setattr(integrity, "generation_files", lambda *args: next(looks, None) or real(*args))
    forget_coverage()
    assert engine().health().available
    response = client.get("/search/", {"q": "minister"})
    assert response.status_code == 200 and len(result_rows(parse(response))) == 7


def test_damage_that_kept_the_modification_time_is_found_by_the_thorough_check(archive, monkeypatch):
    assert engine().health().available  # every file seen and checked once in this process
    damage(keep_modification_time=True)
    assert engine().health().available  # size, time and inode unchanged: not read again on each look
    monkeypatch.setattr(integrity, "RECHECK_EVERY", 0.0)
    monkeypatch.setattr(integrity.threading, "Thread", _RunAtOnce)  # the thorough check's thread, run inline
    engine().health()  # starts the thorough check, which finds the damage
    health = engine().health()
    assert not health.available and "is not as it was written" in health.detail


class _RunAtOnce:
    def __init__(self, target, args=(), **kwargs):
        self.run = lambda: target(*args)

    def start(self):
        self.run()


def test_index_check_says_the_index_is_damaged_in_one_line(archive):
    name = damage()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("index_check", stdout=out, stderr=err)
    assert exit_status.value.code == 2
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1 and f"the search index is damaged: {name}" in lines[0]
    call_command("index_check", "--repair", stdout=out, stderr=err)
    assert "Index matches the database: 6 articles." in out.getvalue()


def test_a_new_process_reads_the_index_once_at_its_first_look_then_thoroughly_later(archive, monkeypatch):
    """The first look reads every file whole: a thorough re-read at once only doubled a new worker's start-up reading."""
    started = []

    class Counted(_RunAtOnce):
        def start(self):
            started.append(1)
            super().start()

    monkeypatch.setattr(integrity, "_seen", {})  # a new process: nothing seen, no thorough check yet
    monkeypatch.setattr(integrity, "_last_thorough", {})
    monkeypatch.setattr(integrity.threading, "Thread", Counted)
    measured = []
    real_measure = integrity._measure
    monkeypatch.setattr(integrity, "_measure", lambda file: measured.append(file.name) or real_measure(file))
    assert engine().health().available
    files = integrity.generation_files(settings.INDEX_DIR)
    assert sorted(measured) == sorted(files) and started == []  # every file read once, no second pass
    monkeypatch.setattr(integrity, "RECHECK_EVERY", 0.0)  # RECHECK_EVERY later
    measured.clear()
    assert engine().health().available
    assert started == [1] and sorted(measured) == sorted(files)  # the thorough check read them again
