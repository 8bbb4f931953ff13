"""The ingest log tells the truth when a batch breaks off: killed, database locked, index unwritable.

The reported case: a worker killed during a 9-file upload left 5 articles stored while the log
said "0 ingested". Each stored file's log row now commits with its article; a batch knows the
process running it, so one whose process is gone shows as interrupted; a database that refuses
writes stops the batch between two files with one clear line; an index that cannot be written
leaves the articles queued and says so. tests/faults/ kills real processes.
"""

import io
import os
import socket
import subprocess

import pytest
from django.core.management import call_command
from django.db import OperationalError

from articles import services
from articles.batches import BatchFile, BatchInterrupted, batch_state, ingest_batch_run, ingest_batch_summary
from articles.models import Article, IndexQueue, IngestBatch, IngestFileResult
from articles.search.engines import engine
from articles.search.engines.base import SearchUnavailable

from .pages import parse, text_of
from .uploads import GOOD, OTHER, THIRD, editor, txt, upload


def files(directory, count: int) -> list[BatchFile]:
    for n in range(count):
        (directory / f"{n}.txt").write_text(f" date 2024-04-0{n + 1} Officials met in Geneva about file {n}.\n\nTalks went on.")
    return [BatchFile(directory / f"{n}.txt", f"{n}.txt") for n in range(count)]


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.fixture
def locked_from_the_second(monkeypatch) -> list[str]:
    """The database stays locked by another process from the batch's second file on; the files tried, in order."""
    real_store = services.article_store
    calls = []

    def store(prepared, **kwargs):
        calls.append(kwargs["name"])
        if len(calls) >= 2:
            raise OperationalError("database is locked")
        return real_store(prepared, **kwargs)

    monkeypatch.setattr("articles.batches.article_store", store)
    return calls


def test_a_batch_whose_process_is_gone_shows_as_interrupted_with_what_it_stored(client, search_index):
    batch = IngestBatch.objects.create(origin="upload", run_by="alice", files_total=9, ingested=5,
                                       host=socket.gethostname(), pid=dead_pid())
    assert batch_state(batch) == "interrupted"
    assert ingest_batch_summary(batch) == "Interrupted after 5 of 9 files: 5 ingested, 0 duplicate, 0 refused."
    editor(client)
    page = parse(client.get("/admin/articles/ingestbatch/"))
    row = page.select_one("#result_list tbody tr")
    assert text_of(row.select_one(".field-state")) == "interrupted"
    assert text_of(row.select_one(".field-ingested")) == "5"


def test_a_running_batch_is_not_called_interrupted(search_index):
    batch = IngestBatch.objects.create(origin="command", run_by="bob", files_total=3,
                                       host=socket.gethostname(), pid=os.getpid())
    assert batch_state(batch) == "running"


def test_a_stored_file_and_its_log_row_commit_together(search_index, tmp_path, monkeypatch):
    # Killed between storing the article and writing its row: neither may remain.
    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(IngestFileResult.objects, "create", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest_batch_run(files=files(tmp_path, 1), origin="command")
    assert not Article.objects.exists()
    assert not IngestFileResult.objects.exists()


def test_a_locked_database_stops_the_batch_between_two_files(search_index, tmp_path, locked_from_the_second):
    calls = locked_from_the_second
    with pytest.raises(BatchInterrupted) as stopped:
        ingest_batch_run(files=files(tmp_path, 3), origin="command")
    assert stopped.value.reason.startswith("the database is locked")  # "by another process (waited 30 s)" on SQLite
    assert stopped.value.stored == 1 and calls == ["0.txt", "1.txt"]
    assert list(Article.objects.values_list("source", flat=True)) == ["0.txt"]
    assert [row.name for row in IngestFileResult.objects.all()] == ["0.txt"]


def test_the_command_says_a_locked_database_in_one_line(search_index, tmp_path, monkeypatch):
    monkeypatch.setattr("articles.batches.article_store", lambda *args, **kwargs: (_ for _ in ()).throw(OperationalError("database is locked")))
    files(tmp_path, 2)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("ingest", str(tmp_path), stdout=out, stderr=err)
    assert exit_status.value.code == 3
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("ingest stopped: the database is locked")
    assert lines[0].endswith("0 of 2 files were stored before, each whole; run the same command again to store the rest.")


def test_an_unwritable_index_leaves_the_articles_queued_and_says_so(search_index, tmp_path, monkeypatch):
    def unwritable(self, articles, removed_ids=()):
        raise SearchUnavailable("the search index is unreadable: [Errno 13] Permission denied")

    monkeypatch.setattr(type(engine()), "write", unwritable)  # whichever engine the suite runs on
    files(tmp_path, 2)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("ingest", str(tmp_path), stdout=out, stderr=err)
    assert exit_status.value.code == 2
    assert out.getvalue().splitlines()[-1] == "2 files: 2 ingested, 0 duplicate, 0 refused."
    assert err.getvalue().strip().splitlines() == [IngestBatch.objects.get().index_note]
    assert "Permission denied" in err.getvalue() and "wait in the index queue" in err.getvalue()
    assert IndexQueue.objects.values("article_id").distinct().count() == 2


def test_an_upload_stopped_by_a_locked_database_lists_what_it_stored(client, search_index, locked_from_the_second):
    editor(client)
    page = parse(upload(client, txt("a.txt", GOOD), txt("b.txt", OTHER), txt("c.txt", THIRD)))
    assert text_of(page.select_one(".errornote")).startswith("The upload stopped before its last file")
    assert text_of(page.select_one(".form-row.errors .errorlist")).startswith(
        "The upload stopped: the database is locked")
    assert "1 of 3 files were stored" in text_of(page.select_one(".form-row.errors .errorlist"))
    assert [text_of(row.select_one("td")) for row in page.select(".ingest-results tbody tr")] == ["ingested"]
    assert list(Article.objects.values_list("source", flat=True)) == ["a.txt"]


def test_index_check_says_a_locked_database_in_one_line(search_index, monkeypatch):
    def locked():
        raise OperationalError("database is locked")

    monkeypatch.setattr("articles.management.commands.index_check.index_differences", locked)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("index_check", stdout=out, stderr=err)
    assert exit_status.value.code == 3
    assert err.getvalue().strip().splitlines() == ["The database cannot be used now: database is locked. Try again later."]
