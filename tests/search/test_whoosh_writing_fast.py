"""The tuned Whoosh writers (segment_writing) write exactly what Whoosh's own writer writes.

The same documents go into an index through Whoosh's plain SegmentWriter and through the tuned
one (columns read once, postings spilled in chunks), with a posting pool small enough that
both spill several runs to disk; and through the parallel writer of a rebuild (two sub-processes,
one segment each). Every term, posting, position, length, column and stored field must match.
"""

import datetime
import random

import pytest
from whoosh.writing import SegmentWriter

from articles.search.engines.whoosh import segment_writing, writing
from articles.search.engines.whoosh.backend import backend_at

from ..engines import whoosh_only
from .index_contents import index_contents

pytestmark = whoosh_only

WORDS = ("talks sanctions Zürich Straße ﬁnal U.S. co-operation 2.5 pipeline gas governor government the of a "
         "council security minister said Œuvre 北京 joint statement peace summit…").split()


def documents(count: int, seed: int = 1) -> list[dict]:
    """Search documents as the engine writes them (haystack's field names and values)."""
    rng = random.Random(seed)
    found = []
    for number in range(1, count + 1):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 300)))
        date = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 2000))
        found.append({
            "id": f"articles.article.{number}", "django_ct": "articles.article", "django_id": str(number),
            "text": text, "headline": text[:60], "date": date,
            "actors": sorted(rng.sample(["russia", "china", "olaf-scholz", "nato", "un"], rng.randint(0, 3))),
            "topics": sorted(rng.sample(["energy", "diplomacy", "security"], rng.randint(0, 2))),
            "month": [f"{date:%Y-%m}"], "day": [date.isoformat()],
            "created": datetime.datetime(2026, 1, 1, 12, 0) + datetime.timedelta(seconds=number),
            "updated": datetime.datetime(2026, 1, 2, 12, 0) + datetime.timedelta(seconds=number),
            "is_version": number % 7 == 0,
        })
    return found


def write(backend, docs: list[dict], writer) -> None:
    for doc in docs:
        writer.add_document(**{key: backend._from_python(value) for key, value in doc.items()})
    writer.commit()


@pytest.fixture
def spilling(monkeypatch):
    """Count the runs the tuned pool writes, in chunks of a few postings."""
    runs = []
    original = segment_writing.ChunkedPostingPool._write_run

    def counted(pool, f, items):
        runs.append(pool)
        return original(pool, f, items)

    monkeypatch.setattr(segment_writing, "RUN_CHUNK", 7)
    monkeypatch.setattr(segment_writing.ChunkedPostingPool, "_write_run", counted)
    return runs


def test_tuned_writer_writes_what_whoosh_writes(tmp_path, spilling):
    docs = documents(120)
    plain, tuned = backend_at(tmp_path / "plain"), backend_at(tmp_path / "tuned")
    write(plain, docs, plain.index.writer(limitmb=0.2))
    writer = tuned.index.writer(limitmb=0.2)
    segment_writing.segment_writer_tuned(writer)
    assert isinstance(writer.pool, segment_writing.ChunkedPostingPool)
    write(tuned, docs, writer)
    assert len(spilling) >= 3, "the pool never spilled: the chunked runs were not tested"
    assert index_contents(tuned.index.refresh(), blocks=True) == index_contents(plain.index.refresh(), blocks=True)


def test_tuned_writer_replacing_documents_writes_what_whoosh_writes(tmp_path):
    """A drain: documents deleted and added again over an index that has segments already."""
    docs = documents(60)
    plain, tuned = backend_at(tmp_path / "plain"), backend_at(tmp_path / "tuned")
    for backend in (plain, tuned):
        write(backend, docs[:40], backend.index.writer())
    changed = [{**doc, "text": doc["text"] + " revised"} for doc in docs[30:]]
    for backend, tune in ((plain, False), (tuned, True)):
        writer = backend.index.writer()
        if tune:
            segment_writing.segment_writer_tuned(writer)
        for doc in changed:
            writer.delete_by_term("id", doc["id"])
        write(backend, changed, writer)
    assert index_contents(tuned.index.refresh(), blocks=True) == index_contents(plain.index.refresh(), blocks=True)


def test_parallel_writer_writes_what_whoosh_writes(tmp_path, spilling):
    docs = documents(150)
    plain, parallel = backend_at(tmp_path / "plain"), backend_at(tmp_path / "parallel")
    write(plain, docs, plain.index.writer())
    writer = writing.ParallelWriter(parallel.index, procs=2, batchsize=10, multisegment=True, limitmb=0.2)
    write(parallel, docs, writer)
    with parallel.index.refresh().searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2  # one segment per sub-process
    assert index_contents(parallel.index.refresh()) == index_contents(plain.index.refresh())


def test_the_plain_writer_is_plain(tmp_path):
    """The reference is Whoosh's own writer: nothing of ours changes it."""
    writer = backend_at(tmp_path / "plain").index.writer()
    assert type(writer) is SegmentWriter and type(writer.pool).__module__ == "whoosh.writing"
    writer.cancel()
