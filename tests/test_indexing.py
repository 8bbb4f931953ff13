"""The one write path to the index: saves, deletes and m2m edits reach it; concurrent writers lose nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from articles.search.consistency import index_differences, index_repair
from articles.search.indexing import index_drain, index_enqueue, index_writes_deferred
from articles.models import Actor, Article, IndexQueue
from articles.forms import SearchFilters
from articles.search.engines import engine
from articles.search.engines.base import SearchRequest
from articles.search.query import read_query

from .engines import whoosh_only

ROOT = Path(__file__).resolve().parent.parent


def indexed_ids(content: str | None = None, actor: str | None = None) -> set[int]:
    """What the configured engine finds for a word; else the ids of its documents (carrying the actor, if given)."""
    if content is not None:
        return set(engine().search(SearchRequest(SearchFilters(q=content), read_query(content)[0])).ids)
    return {pk for pk, document in engine().indexed().items() if actor is None or actor in document.actors}


def test_saved_article_is_indexed_on_commit(search_index, make_article):
    article = make_article("Lavrov met Wang Yi in Moscow.")
    assert indexed_ids(content="Lavrov") == {article.pk}
    assert IndexQueue.objects.count() == 0


def test_edited_text_replaces_the_document(search_index, make_article):
    article = make_article("Lavrov met Wang Yi in Moscow.")
    article.headline = article.body = "Blinken met Wang Yi in Beijing."
    article.save()
    assert indexed_ids(content="Lavrov") == set()
    assert indexed_ids(content="Blinken") == {article.pk}


def test_deleted_article_is_never_found(search_index, make_article):
    article = make_article("Lavrov met Wang Yi in Moscow.")
    pk = article.pk
    article.delete()
    assert indexed_ids(content="Lavrov") == set()
    assert not index_differences()
    assert pk not in indexed_ids()


@pytest.mark.parametrize("side", ["forward", "reverse"])
def test_many_to_many_changes_reach_the_index(search_index, make_article, side):
    article = make_article("Lavrov met Wang Yi in Moscow.")
    actor = Actor.objects.create(name="Sergei Lavrov", kind="person", slug="sergei-lavrov")
    if side == "forward":
        article.actors.add(actor)
    else:
        actor.articles.add(article)
    assert indexed_ids(actor="sergei-lavrov") == {article.pk}
    if side == "forward":
        article.actors.clear()
    else:
        actor.articles.clear()
    assert indexed_ids(actor="sergei-lavrov") == set()


def test_renamed_actor_slug_reaches_its_articles(search_index, make_article):
    article = make_article("Lavrov met Wang Yi.", actors=[("Sergei Lavrov", "person", "lavrov")])
    actor = Actor.objects.get(slug="lavrov")
    actor.slug = "sergei-lavrov"
    actor.save()
    assert indexed_ids(actor="sergei-lavrov") == {article.pk}
    actor.name = "Sergey Lavrov"  # the name is not in the document: nothing to rewrite
    with index_writes_deferred():
        actor.save()
    assert IndexQueue.objects.count() == 0


def test_rolled_back_change_leaves_index_alone(search_index, make_article):
    pk = make_article("Lavrov met Wang Yi.").pk
    with pytest.raises(RuntimeError), transaction.atomic():
        Article.objects.get(pk=pk).delete()
        raise RuntimeError
    assert indexed_ids(content="Lavrov") == {pk}
    assert IndexQueue.objects.count() == 0


def test_failed_drain_keeps_the_queue_for_next_time(search_index, make_article, monkeypatch):
    import articles.search.indexing as indexing

    def broken(ids):
        raise OSError("disk full")

    monkeypatch.setattr(indexing, "_index_write", broken)
    with index_writes_deferred():
        article = make_article("Lavrov met Wang Yi.")
    with pytest.raises(OSError):
        index_drain()
    assert IndexQueue.objects.filter(article_id=article.pk).exists()
    monkeypatch.undo()
    index_drain()
    assert indexed_ids(content="Lavrov") == {article.pk}


def test_index_check_finds_and_repairs_differences(search_index, make_article):
    with index_writes_deferred():
        article = make_article("Lavrov met Wang Yi.")
    IndexQueue.objects.all().delete()  # as if the write had been lost
    differences = index_differences()
    assert differences.missing == [article.pk]
    index_repair(differences)
    assert not index_differences()


WRITER = """
import sys, django, datetime
django.setup()
from django.db import transaction
from articles.models import Article, Actor
from articles.ingest import fingerprint_text
worker, count = sys.argv[1], int(sys.argv[2])
actor, _ = Actor.objects.get_or_create(slug="shared-actor", defaults={"name": "Shared", "kind": "person"})
for n in range(count):
    body = f"Worker {worker} article {n} about pipelines."
    with transaction.atomic():
        article = Article.objects.create(headline=body, date=datetime.date(2024, 1, 1), body=body,
                                         fingerprint=fingerprint_text(body), source=f"{worker}-{n}")
        article.actors.add(actor)
    if n % 2:
        article.delete()
    elif n % 3 == 0:
        article.actors.remove(actor)
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path, empty_index):
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "newsdesk.settings"}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, name, "40"], env=env, cwd=ROOT)
        for name in ("a", "b", "c", "d")
    ]
    assert [writer.wait(timeout=300) for writer in writers] == [0, 0, 0, 0]
    check = subprocess.run([*manage, "index_check"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert check.stdout.strip() == "Index matches the database: 80 articles.", check.stdout + check.stderr
    assert check.returncode == 0


@whoosh_only
def test_index_built_with_older_fields_is_detected_and_rebuilt(search_index, make_article, settings):
    from haystack import connections
    from whoosh.fields import ID, Schema

    article = make_article("Lavrov met Wang Yi.")
    # Replace the index with one that has fewer fields, as an older version of Newsdesk built it.
    from whoosh.filedb.filestore import FileStorage

    FileStorage(str(settings.INDEX_DIR)).create_index(Schema(id=ID(stored=True, unique=True), django_id=ID(stored=True)))
    connections.reload("default")
    differences = index_differences()
    assert differences.schema_outdated
    assert "must be rebuilt" in differences.summary()
    index_repair(differences)
    assert not index_differences()
    assert indexed_ids(content="Lavrov") == {article.pk}
