"""Storing an article while another process stores too: a lost race is told apart from a duplicate, and tried again.

The reported case (two ingests at once on PostgreSQL): an actor's slug insert failed because the
other ingest had just created that actor; the failure was taken for "same text already stored",
then the lookup of that stored text raised Article.DoesNotExist and 150 files were never stored.
Here the other process is simulated deterministically: its row appears between our lookup and our
insert. tests/faults/test_database_faults.py runs two real ingests at once.
"""

import pytest
from django.db import IntegrityError

from articles import resolve
from articles.models import Actor, Article
from articles.services import DUPLICATE, INGESTED, article_ingest

TEXT = " date 2024-04-08 Foreign Minister Sergei Lavrov met Wang Yi in Beijing on Tuesday.\n\nTalks went on about trade."


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "lavrov.txt"
    path.write_text(TEXT)
    return path


def test_an_actor_created_by_another_process_meanwhile_is_used(search_index, article_file, monkeypatch):
    # The other process committed "Sergei Lavrov" after our lookup found nothing: our insert of
    # the same slug fails, and the actor it created is the one the article gets.
    # (On PostgreSQL their insert is not yet committed when we look again before ours: we cannot see it.)
    theirs = Actor.objects.create(name="Sergei Lavrov", kind="person", slug="sergei-lavrov")
    real_lookup = resolve._actors_lookup
    hidden = {"times": 0}

    def lookup_before_their_commit(extracted):
        found = real_lookup(extracted)
        if hidden["times"] < 2 and any(actor == theirs for actor in found):
            hidden["times"] += 1  # our lookup, and the look again just before our insert
            return [None if actor == theirs else actor for actor in found]
        return found

    monkeypatch.setattr(resolve, "_actors_lookup", lookup_before_their_commit)
    monkeypatch.setattr(resolve, "_free_slug", lambda slug: slug)  # it did not see their row either
    result = article_ingest(path=article_file)
    assert hidden["times"] == 2
    assert result.status == INGESTED
    assert theirs in result.article.actors.all()
    assert Actor.objects.filter(name="Sergei Lavrov").count() == 1


def test_the_same_text_stored_by_another_process_meanwhile_is_a_duplicate(search_index, article_file, monkeypatch):
    first = article_ingest(path=article_file)
    lookups = {"missed": 0}
    real_filter = Article.objects.filter

    def filter_missing_it_once(*args, **kwargs):
        if "fingerprint" in kwargs and lookups["missed"] < 2:  # the checks before our insert miss it
            lookups["missed"] += 1
            return real_filter(pk=-1)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Article.objects, "filter", filter_missing_it_once)
    second = article_ingest(path=article_file, name="copy.txt")
    assert second.status == DUPLICATE and second.article == first.article
    assert second.reason == f"same text as article {first.article.pk} (lavrov.txt)"
    assert real_filter(fingerprint=first.article.fingerprint).count() == 1


def test_a_write_that_keeps_failing_is_an_error_not_a_duplicate(search_index, article_file, monkeypatch):
    def always_conflicts(article, **options):
        raise IntegrityError("UNIQUE constraint failed: articles_actor.slug")

    monkeypatch.setattr(Article, "save_without_historical_record", always_conflicts)  # the article's insert
    with pytest.raises(IntegrityError):  # never "duplicate" of an article that is not there (Article.DoesNotExist)
        article_ingest(path=article_file)
    assert not Article.objects.exists()
