"""The database held, busy or restarted while ingest runs; two ingests at once; a backup during an ingest.

After each: every file stored exactly once (running the same command again where one stopped),
index == database, no 500 to anyone meanwhile, and on the terminal one clear line, never a traceback.
"""

import contextlib
import importlib.util
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from .site import ROOT, Editor, Site

pytestmark = pytest.mark.slow
LOCK_WAIT = "2"  # seconds a writer waits for SQLite's lock here (30 by default: the same code path, shorter)


@contextlib.contextmanager
def write_lock_held(site):
    """Another process's write transaction on the site's SQLite file, held until the block ends."""
    holder = sqlite3.connect(site.data / "newsdesk.sqlite3", timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


def test_ingest_with_the_database_locked_elsewhere_stops_in_one_line_then_stores_everything(site):
    if site.postgres:
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    site.prepare()
    corpus = site.corpus("batch", 20)
    with write_lock_held(site):
        blocked = _ingest(site, corpus)
    assert blocked.returncode == 3, blocked.stderr
    assert blocked.stderr.strip().splitlines() == [
        f"ingest stopped: the database is locked by another process (waited {LOCK_WAIT} s). 0 of 20 files were "
        "stored before, each whole; run the same command again to store the rest."]
    assert site.stored() == {} and site.query("SELECT COUNT(*) FROM articles_ingestbatch") == [(0,)]
    again = _ingest(site, corpus)
    assert again.returncode == 0 and not again.stderr
    assert again.stdout.splitlines()[-1] == "20 files: 20 ingested, 0 duplicate, 0 refused."
    assert set(site.stored().values()) == {1} and len(site.stored()) == 20
    site.index_matches()


def test_a_login_during_a_long_ingest_is_answered(site):
    # The reported case: one large file held SQLite's write lock for its whole extraction (~40 s), and a
    # login meanwhile answered 500 after 30 s. A file naming hundreds of new people is the long case now.
    if site.postgres:
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows")
    site.prepare()
    big = site.files / "big"
    big.mkdir(parents=True)
    (big / "big.txt").write_text(_many_new_people(100_000))
    with site.gunicorn(workers=2, NEWSDESK_DB_LOCK_WAIT=LOCK_WAIT) as server:
        ingest = site.start("ingest", str(big), NEWSDESK_DB_LOCK_WAIT=LOCK_WAIT)
        time.sleep(3)  # past the command's start-up, into the work on the file
        logins = []  # each one started while the ingest ran
        while ingest.poll() is None and len(logins) < 8:
            logins.append(Editor(server).login_status)
            time.sleep(0.5)
        out, err = ingest.communicate(timeout=900)
        assert ingest.returncode == 0, err
        assert len(logins) >= 3, f"the ingest finished after {len(logins)} logins: too few to tell"
        assert logins == [200] * len(logins), logins  # signed in (after the redirect), no 500
        assert out.splitlines()[-1].endswith(": 1 ingested, 0 duplicate, 0 refused."), out
        assert server.problems() == []


def test_postgresql_restarted_mid_ingest(site):
    restart = os.environ.get("NEWSDESK_PG_RESTART")
    if not site.postgres or not restart:
        pytest.skip("runs on PostgreSQL started by scripts/with-postgres (NEWSDESK_PG_RESTART)")
    files = 150
    site.prepare()
    corpus = site.corpus("batch", files)
    ingest = site.start("ingest", str(corpus))
    assert site.read_until_ingested(ingest, files // 3) == files // 3
    subprocess.run([restart], check=True, timeout=120)
    out, err = ingest.communicate(timeout=900)
    from django.db import connections

    connections.close_all()  # this test process's own connections died with the server too
    assert "Traceback" not in err, err
    assert ingest.returncode == 0, err
    assert out.splitlines()[-1] == f"{files} files: {files} ingested, 0 duplicate, 0 refused."  # the same run went on
    assert set(site.stored().values()) == {1} and len(site.stored()) == files
    site.index_matches()


def test_two_ingests_at_once_store_every_file_once(site):
    # The reported case (PostgreSQL): both created the same new actor, one took the failure for a
    # duplicate article, then crashed on Article.DoesNotExist; 150 files were never stored.
    site.prepare()
    first = site.corpus("first", 80, start=0, people=40)
    second = site.corpus("second", 80, start=40, people=40)  # files 40..79 in both, and the same 40 new people
    runs = [site.start("ingest", str(first)), site.start("ingest", str(second))]
    results = [run.communicate(timeout=900) for run in runs]
    for run, (out, err) in zip(runs, results):
        assert "Traceback" not in err, err
        assert run.returncode == 0, err
    summaries = [out.splitlines()[-1] for out, _ in results]
    assert all(summary.startswith("80 files: ") for summary in summaries), summaries
    assert set(site.stored().values()) == {1} and len(site.stored()) == 120  # each file once
    people = site.query("SELECT name, COUNT(*) FROM articles_actor WHERE kind = 'person' GROUP BY name HAVING COUNT(*) > 1")
    assert people == []  # no actor twice
    site.index_matches()


def test_backup_during_an_ingest_restores_whole(site, tmp_path):
    # The reported case: restore failed with an IntegrityError (an ingest result pointing at an
    # article missing from the dump) while `backup` had exited 0.
    site.prepare()
    ingest = site.start("ingest", str(site.corpus("batch", 150, words=300)))
    assert site.read_until_ingested(ingest, 10) == 10
    dump = tmp_path / "during.json.gz"
    site.manage("backup", str(dump))
    assert ingest.poll() is None, "the ingest finished before the backup: nothing tested"
    ingest.communicate(timeout=900)
    copy = Site(tmp_path / "copy")
    try:
        copy.manage("migrate", "--noinput")
        restored = copy.manage("restore", str(dump), check=False)
        assert restored.returncode == 0 and "Traceback" not in restored.stderr, restored.stderr[-3000:]
        assert copy.query("SELECT COUNT(*) FROM articles_ingestfileresult r LEFT JOIN articles_article a "
                          "ON a.id = r.article_id WHERE r.article_id IS NOT NULL AND a.id IS NULL") == [(0,)]
        assert set(copy.stored().values()) == {1} and 10 <= len(copy.stored()) < 150  # a snapshot taken mid-ingest
        copy.index_matches()
    finally:
        copy.close()


def _ingest(site, corpus: Path):
    return subprocess.run([os.sys.executable, "manage.py", "ingest", str(corpus)], cwd=ROOT,
                          env={**site.env, "NEWSDESK_DB_LOCK_WAIT": LOCK_WAIT}, capture_output=True, text=True, timeout=600)


def _many_new_people(size: int) -> str:
    """bench/ingest_transactions.py's article: sentences naming two made-up people each."""
    spec = importlib.util.spec_from_file_location("ingest_transactions", ROOT / "bench" / "ingest_transactions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.article_text(size)

