"""kill -9 of `manage.py ingest` while it stores and while it writes the index: nothing lost, nothing twice.

After each kill: every file stored exactly once (after running the same command again), the batch
log says the killed run was interrupted and how many files it had stored, and the next write or
the next start of the site makes every article searchable (index == database), with no traceback.
"""

import signal
import time
from pathlib import Path

import pytest

from articles.management.commands.ingest import INDEX_ALONGSIDE_FROM, PREPARE_ALONGSIDE_FROM, WORKERS

pytestmark = pytest.mark.slow


def summary_of_first_batch(site) -> str:
    code = ("from articles.batches import ingest_batch_summary; from articles.models import IngestBatch; "
            "print(ingest_batch_summary(IngestBatch.objects.order_by('id').first()))")
    return site.manage("shell", "-v", "0", "-c", code).stdout.strip()


def kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pids: list[int], seconds: float) -> list[int]:
    """Those of pids still running after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while (running := [pid for pid in pids if Path(f"/proc/{pid}").exists()
                       and Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"]):
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return running


def test_ingest_killed_while_storing_then_run_again_stores_every_file_once(site):
    # A second process indexes alongside, and workers extract the next files: they must stop with their parent.
    files = max(INDEX_ALONGSIDE_FROM, PREPARE_ALONGSIDE_FROM) + 40
    site.prepare()
    corpus = site.corpus("batch", files)
    first = site.start("ingest", str(corpus))
    site.read_until_ingested(first, files // 3)  # well into the batch, then kill it hard
    helpers = children_of(first.pid)
    assert len(helpers) == 1 + (WORKERS if WORKERS > 1 else 0)  # the indexer and the extraction workers
    kill(first)
    assert alive(helpers, seconds=10) == []
    stored = len(site.stored())
    assert files // 3 <= stored < files
    assert summary_of_first_batch(site) == f"Interrupted after {stored} of {files} files: {stored} ingested, 0 duplicate, 0 refused."

    second = site.manage("ingest", str(corpus))
    assert "Traceback" not in second.stderr
    assert second.stdout.splitlines()[-1] == f"{files} files: {files - stored} ingested, {stored} duplicate, 0 refused."
    assert set(site.stored().values()) == {1} and len(site.stored()) == files  # each file once
    assert site.query("SELECT COUNT(*) FROM articles_article a WHERE NOT EXISTS "
                      "(SELECT 1 FROM articles_article_actors l WHERE l.article_id = a.id)") == [(0,)]  # none half-written
    assert site.index_matches() == f"Index matches the database: {files} articles."


def test_ingest_killed_while_writing_the_index_is_healed_when_the_site_starts(site):
    files = 60
    site.prepare()
    corpus = site.corpus("batch", files)
    first = site.start("ingest", str(corpus))
    site.read_until_ingested(first, files)  # every file stored: the command now writes the index
    kill(first)
    assert len(site.stored()) == files
    waiting = site.query("SELECT COUNT(DISTINCT article_id) FROM articles_indexqueue")[0][0]
    assert waiting > 0, "the index was written before the kill: nothing tested"
    assert summary_of_first_batch(site) == f"Interrupted after {files} of {files} files: {files} ingested, 0 duplicate, 0 refused."

    started = time.monotonic()
    with site.gunicorn(workers=2) as server:  # a new worker's first upkeep drains what the kill left
        site.wait_for_index(seconds=120)
        assert server.search_count(q=f"marker{files - 1}z") == 1
        assert server.search_count(q="Geneva") == files
        assert server.problems() == []
    assert time.monotonic() - started < 120
