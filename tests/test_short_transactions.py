"""Write transactions stay short: extraction (seconds for a large file) runs before the transaction that stores.

The reported case: one 2 MB file held SQLite's write lock ~40 s while it was extracted inside the
ingest transaction, and a login meanwhile answered 500 after 30 s. Here extraction is observed
while it runs: no transaction is open. tests/faults/test_database_faults.py holds the lock for real.
"""

import pytest
from django.db import connection

from articles.extraction import actors
from articles.batches import BatchFile, ingest_batch_run
from articles.models import Actor, Article, IngestBatch

from .test_paste import paste_article

TEXT = " date 2024-04-08 Foreign Minister Sergei Lavrov met Wang Yi in Beijing on Tuesday.\n\nTalks went on about trade."


@pytest.fixture
def watched_extraction(monkeypatch):
    """Record, each time extraction runs, whether a transaction is open (on SQLite: the write lock held)."""
    seen = []
    tokenize = actors.tokenize  # extract_actors' first step

    def watched(text):
        seen.append(connection.in_atomic_block)
        return tokenize(text)

    monkeypatch.setattr(actors, "tokenize", watched)
    return seen


def test_ingest_extracts_before_it_opens_the_transaction_that_stores(search_index, tmp_path, watched_extraction):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "b.txt").write_text(TEXT.replace("Tuesday", "Wednesday"))
    batch = ingest_batch_run(files=[BatchFile(tmp_path / name, name) for name in ("a.txt", "b.txt")],
                             origin=IngestBatch.Origin.COMMAND)
    assert batch.ingested == 2
    assert watched_extraction == [False, False]
    assert Article.objects.count() == 2


def test_pasting_extracts_outside_the_transaction_too(editor_client, watched_extraction):
    response = paste_article(editor_client, TEXT, date="")
    assert response.status_code == 302
    # Preview extracts; Save previews again, then extracts for storing: none inside a transaction.
    assert len(watched_extraction) == 3 and not any(watched_extraction)


def test_new_actors_are_created_before_the_transaction_that_stores_the_article(search_index, tmp_path, monkeypatch):
    # A file naming hundreds of new actors took minutes to resolve them: inside the article's
    # transaction that held the write lock all along. Each new actor is now its own short write.
    article_open_during_creation = []
    create = Actor.objects.create

    def watched_create(**fields):
        article_open_during_creation.append(Article.objects.exists())  # the uncommitted article, if any
        return create(**fields)

    monkeypatch.setattr(Actor.objects, "create", watched_create)
    (tmp_path / "a.txt").write_text(TEXT)
    batch = ingest_batch_run(files=[BatchFile(tmp_path / "a.txt", "a.txt")], origin=IngestBatch.Origin.COMMAND)
    assert batch.ingested == 1
    assert len(article_open_during_creation) >= 2 and not any(article_open_during_creation)
    assert {"Sergei Lavrov", "Wang Yi"} <= set(Article.objects.get().actors.values_list("name", flat=True))


@pytest.fixture
def editor_client(client, search_index, default_topics):
    from .uploads import editor

    editor(client)
    return client
