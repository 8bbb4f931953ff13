"""The search index deleted, damaged or read-only under a running site and its commands.

After each: text searches answer 503 (never a short or wrong answer), browsing answers from the
database, the web workers' upkeep repairs the index by itself, commands say what is wrong in one
line with a non-zero exit; then index == database. No 500, no traceback.
"""

import contextlib
import os
import random
import shutil
import subprocess

import pytest
from django.conf import settings


from ..engines import index_lost, whoosh_only

pytestmark = pytest.mark.slow
ARTICLES = 30


@pytest.fixture
def archive(site):
    site.prepare()
    site.manage("ingest", str(site.corpus("archive", ARTICLES)))
    return site


def live_index(site):
    return (site.data / "whoosh").resolve()


def lose_index(site) -> None:
    """Delete the site's index: its Whoosh directory, or on Solr the cluster's alias and collection."""
    if settings.SEARCH_ENGINE == "whoosh":
        shutil.rmtree(live_index(site))
    else:
        index_lost(settings)


def test_index_deleted_under_the_site_is_rebuilt_by_the_upkeep(archive):
    site = archive
    with site.gunicorn(workers=2) as server:
        assert server.search_count(q="Geneva") == ARTICLES
        lose_index(site)
        assert server.get("/search/", q="Geneva")[0] == 503
        assert server.search_count() == ARTICLES  # browsing: from the database
        site.wait_for_index(seconds=120)  # the upkeep rebuilt it
        assert server.search_count(q="Geneva") == ARTICLES
        assert server.problems() == []


@whoosh_only  # damages a Whoosh segment file
def test_damaged_segment_under_the_site_answers_503_then_is_rebuilt(archive):
    site = archive
    with site.gunicorn(workers=2) as server:
        assert server.search_count(q="Geneva") == ARTICLES
        segment = max(live_index(site).glob("*.seg"), key=lambda path: path.stat().st_size)
        data = bytearray(segment.read_bytes())
        rng = random.Random(7)
        for position in rng.sample(range(len(data) // 4, len(data)), 32):  # random bytes, changed in place
            data[position] = (data[position] + rng.randrange(1, 256)) % 256
        with open(segment, "r+b") as handle:
            handle.write(data)
        # The first search after the damage already refuses it (never a wrong answer) ...
        assert server.get("/search/", q="Geneva")[0] == 503
        assert server.search_count() == ARTICLES
        # ... and the upkeep rebuilds the index beside the damaged one.
        site.wait_for_index(seconds=120)
        # Every worker searches the new index at once, including one that looked while it was damaged.
        for _ in range(4):
            assert server.search_count(q="Geneva") == ARTICLES
        assert not segment.exists()
        assert server.problems() == []


@whoosh_only  # makes the Whoosh directory read-only; on any engine: test_batch_interruptions.py (unwritable index)
def test_read_only_index_commands_say_so_in_one_line_and_nothing_is_lost(archive):
    site = archive
    with read_only(live_index(site)):
        new = site.corpus("more", 5, start=ARTICLES)
        ingest = site.manage("ingest", str(new), check=False)
        assert ingest.returncode == 2, ingest.stderr
        assert ingest.stdout.splitlines()[-1] == "5 files: 5 ingested, 0 duplicate, 0 refused."
        lines = ingest.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("The search index could not be written ("), ingest.stderr
        assert "wait in the index queue" in lines[0]
        check = site.manage("index_check", check=False)  # haystack opens no index it cannot write
        assert check.returncode == 2 and len(check.stderr.strip().splitlines()) == 1, check.stderr
        assert check.stderr.startswith("The search index cannot be read: ")
        # Repair builds a fresh index beside the read-only one; where even that cannot replace it, it says so.
        repair = site.manage("index_check", "--repair", check=False)
        assert "Traceback" not in repair.stderr
        if repair.returncode != 0:
            assert repair.returncode == 2 and len(repair.stderr.strip().splitlines()) == 1, repair.stderr
            assert repair.stderr.startswith("The search index cannot be rebuilt: ")
    # Once it can be written again, the next repair (or the site's upkeep) brings it level.
    site.manage("index_check", "--repair", check=False)
    assert site.index_matches() == f"Index matches the database: {ARTICLES + 5} articles."
    assert len(site.stored()) == ARTICLES + 5


@contextlib.contextmanager
def read_only(index):
    """The index directory and its files cannot be written, not even by root (immutable), nor removed."""
    paths = [index, *index.iterdir()]
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(modes[path] & ~0o222)
        try:
            yield
        finally:
            for path in paths:
                path.chmod(modes[path])
        return
    if shutil.which("chattr") is None:
        pytest.skip("root without chattr: no way to make the index read-only")
    files = [str(path) for path in paths if path.is_file()]
    subprocess.run(["chattr", "+i", *files, str(index)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(index), *files], check=True)
