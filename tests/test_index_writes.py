"""The fast write paths give exactly what the plain ones give.

- Draining the queue through one Whoosh writer per batch (indexing.whoosh_replace) leaves the
  index holding what a full rebuild from the database holds, after ingest, edits and deletes.
- actors_resolve (a few queries per article) resolves every extracted actor as actor_resolve
  (one lookup chain per actor) would, in turn, including actors created along the way.
"""

import pytest
from django.db import transaction

from articles.search import indexing
from articles.search.engines import engine
from articles.search.engines.whoosh.backend import search_backend
from articles.search.consistency import index_differences
from articles.extraction import ExtractedActor
from articles.search.indexing import DRAIN_BATCH_SIZE, index_clear, index_drain, index_enqueue, index_writes_deferred
from articles.models import Actor, ActorRedirect, Article, IndexQueue
from articles.search.rebuild import index_rebuild
from articles.search_indexes import ArticleIndex  # noqa: F401  (registers the index)
from articles.resolve import actor_resolve, actors_resolve

from .engines import whoosh_only


def index_contents() -> dict[str, dict]:
    """Every stored document of the live index, by id, with its stored fields."""
    backend = search_backend()
    with backend.index.refresh().searcher() as searcher:
        documents = {fields["id"]: fields for fields in searcher.all_stored_fields()}
    return documents


def index_terms() -> dict[tuple[str, bytes], set[str]]:
    """Every indexed term with the ids of the live documents that hold it (spelling words belong to no document)."""
    backend = search_backend()
    with backend.index.refresh().searcher() as searcher:
        reader = searcher.reader()
        terms = {}
        for field, text in reader.all_terms():
            holders = {
                reader.stored_fields(docnum)["id"]
                for docnum in reader.postings(field, text).all_ids()
                if not reader.is_deleted(docnum)
            }
            if holders and not field.startswith("spell_"):  # deleted documents leave their terms behind until segments merge
                terms[field, text] = holders
        return terms


@whoosh_only
def test_drain_through_one_writer_matches_a_full_rebuild(search_index, make_article, default_topics):
    articles = [
        make_article(
            f"Minister number {n} met Sergei Lavrov in Moscow about wheat exports.",
            date=f"2023-0{n % 9 + 1}-1{n % 9}",
            actors=[("Sergei Lavrov", "person", "sergei-lavrov")] if n % 2 else [("Russia", "country", "russia")],
            topics=[("Trade", "trade")] if n % 3 else [],
        )
        for n in range(12)
    ]
    # Edits, m2m changes, deletes and a renamed slug, all through the queue.
    articles[0].headline = articles[0].body = "Blinken met Wang Yi in Beijing."
    articles[0].save()
    articles[1].actors.clear()
    deleted_pk = articles[2].pk
    articles[2].delete()
    with transaction.atomic():
        articles[3].delete()
        articles[4].body = "A new body for four."
        articles[4].save()
    lavrov = Actor.objects.get(slug="sergei-lavrov")
    lavrov.slug = "s-lavrov"
    lavrov.save()
    # A batch of queued work drained in one go (the ingest command's path), with duplicates in the queue.
    with index_writes_deferred():
        index_enqueue([articles[5].pk, articles[6].pk, deleted_pk])
        index_enqueue([articles[5].pk])
        articles[7].delete()
    assert IndexQueue.objects.exists()
    index_drain()
    assert not IndexQueue.objects.exists()
    assert not index_differences()

    drained, drained_terms = index_contents(), index_terms()
    assert set(drained) == {f"articles.article.{pk}" for pk in Article.objects.values_list("pk", flat=True)}
    index_rebuild()
    assert index_contents() == drained
    assert index_terms() == drained_terms


def test_draining_twice_and_replacing_keeps_one_document_each(search_index, make_article):
    article = make_article("Lavrov met Wang Yi in Moscow.")
    for _ in range(3):
        with index_writes_deferred():
            index_enqueue([article.pk])
        index_drain()
    assert engine().health().documents == 1  # every document the index holds, not one per drain
    assert set(engine().indexed()) == {article.pk}


def test_drain_of_more_than_one_batch(search_index, make_article, monkeypatch):
    monkeypatch.setattr(indexing, "DRAIN_BATCH_SIZE", 3)
    with index_writes_deferred():
        articles = [make_article(f"Article number {n} about grain.") for n in range(8)]
        articles[0].delete()
    index_drain()
    assert not IndexQueue.objects.exists()
    assert not index_differences()
    assert DRAIN_BATCH_SIZE > 3


def test_drain_beside_an_ingest_writes_large_enough_batches_and_leaves_the_rest(search_index, make_article, monkeypatch):
    monkeypatch.setattr(indexing, "DRAIN_BATCH_SIZE", 3)
    with index_writes_deferred():
        for n in range(7):
            make_article(f"Article number {n} about grain.")
    assert index_drain(min_batch=2) == 6
    assert IndexQueue.objects.values("article_id").distinct().count() == 1
    assert index_drain() == 1
    assert not index_differences()


def test_drain_into_a_cleared_index(search_index, make_article):
    article = make_article("Lavrov met Wang Yi in Moscow.")
    index_clear()
    with index_writes_deferred():
        index_enqueue([article.pk])
    index_drain()
    assert set(engine().indexed()) == {article.pk}


def person(name, *aliases):
    return ExtractedActor(name=name, kind="person", aliases=tuple(aliases), mentions=1)


def country(name, *aliases):
    return ExtractedActor(name=name, kind="country", aliases=tuple(aliases), mentions=1)


CASES = [
    [person("Sergei Lavrov"), person("SERGEI LAVROV"), person("sergei lavrov", "Lavrov")],
    [country("Russia"), person("Russia"), country("russia")],
    [person("Foo Bar!"), person("Foo Bar"), person("Foo-Bar")],  # same slug, created in turn
    [person("Old Name"), person("Merged Away")],  # by redirect
    [person("Lavrov"), person("Wang Yi"), person("Minister Wang")],  # bare surname: no alias match
    [country("Türkiye"), country("TÜRKIYE"), country("Turkey")],
    [person("Ann_Lee"), person("Ann%Lee"), person("Ann Lee")],
    [],
]


def _seed_actors():
    Actor.objects.create(name="Sergei Lavrov", kind="person", slug="sergei-lavrov", aliases="S. Lavrov\nLavrov")
    Actor.objects.create(name="Wang Yi", kind="person", slug="wang-yi", aliases="Minister Wang\nWang")
    Actor.objects.create(name="Republic of Türkiye", kind="country", slug="republic-of-turkiye", aliases="Turkey\nTürkiye")
    survivor = Actor.objects.create(name="Survivor", kind="person", slug="survivor")
    ActorRedirect.objects.create(old_slug="merged-away", actor=survivor)
    Actor.objects.create(name="Old Name", kind="organisation", slug="old-name")


class _Undo(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("case", range(len(CASES)))
def test_actors_resolve_matches_one_at_a_time(case):
    _seed_actors()
    try:
        with transaction.atomic():
            expected = [(actor.pk, actor.slug) for actor in map(actor_resolve, CASES[case])]
            expected_actors = sorted(Actor.objects.values_list("name", "kind", "slug", "aliases"))
            raise _Undo
    except _Undo:
        pass
    # Ids of created actors differ after the rollback: compare slugs, and ids of those that existed.
    existing = set(Actor.objects.values_list("pk", flat=True))
    got = [(actor.pk, actor.slug) for actor in actors_resolve(CASES[case])]
    assert [slug for _, slug in got] == [slug for _, slug in expected]
    assert [pk for pk, _ in got if pk in existing] == [pk for pk, _ in expected if pk in existing]
    assert sorted(Actor.objects.values_list("name", "kind", "slug", "aliases")) == expected_actors


@pytest.mark.django_db
def test_actors_resolve_takes_few_queries(django_assert_max_num_queries):
    _seed_actors()
    known = [person("Sergei Lavrov"), person("Wang Yi"), country("Turkey"), person("Merged Away")] * 3
    with django_assert_max_num_queries(3):
        actors_resolve(known)


@pytest.mark.django_db
def test_ingest_shortcut_for_new_articles_sets_what_a_full_extraction_sets(tmp_path, default_topics):
    from articles.services import INGESTED, article_extract, article_ingest

    _seed_actors()
    texts = [
        "Sergei Lavrov met Wang Yi in Moscow on Monday to discuss wheat exports and sanctions.",
        "Foreign Minister Anna Kovalenko said Turkey would host peace talks with Russia next week.",
        "Nothing in particular happened today.",
    ]
    seen = set()
    for number, text in enumerate(texts):
        path = tmp_path / f"{number}.txt"
        path.write_text(f" date 2024-04-0{number + 1} {text}\n")
        result = article_ingest(path=path)
        assert result.status == INGESTED, result.reason
        article = result.article
        stored = (set(article.actors.all()), set(article.topics.all()))
        seen |= {actor.slug for actor in stored[0]} | {topic.slug for topic in stored[1]}
        assert article_extract(article) is False  # the full path finds nothing to change
        assert (set(article.actors.all()), set(article.topics.all())) == stored
    assert {"sergei-lavrov", "wang-yi", "republic-of-turkiye"} <= seen  # resolved by name and by alias


@whoosh_only
def test_drain_into_an_index_with_older_fields_writes_the_new_ones(search_index, make_article, settings):
    """As haystack's update() did: the index opens with the code's fields, so a new field is written too."""
    from whoosh.fields import ID, Schema
    from whoosh.filedb.filestore import FileStorage

    from haystack import connections

    FileStorage(str(settings.INDEX_DIR)).create_index(Schema(id=ID(stored=True, unique=True), django_id=ID(stored=True)))
    connections.reload("default")
    article = make_article("Lavrov met Wang Yi in Moscow.")
    assert set(engine().indexed()) == {article.pk}
    assert index_contents()[f"articles.article.{article.pk}"]["updated"] is not None


@pytest.mark.django_db
def test_actors_resolve_over_several_windows(monkeypatch):
    from articles import resolve

    _seed_actors()
    monkeypatch.setattr(resolve, "LOOKUP_WINDOW", 2)
    extracted = [actor for case in CASES for actor in case]
    try:
        with transaction.atomic():
            expected = [actor.slug for actor in map(actor_resolve, extracted)]
            raise _Undo
    except _Undo:
        pass
    assert [actor.slug for actor in actors_resolve(extracted)] == expected
