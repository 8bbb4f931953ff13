"""Ingest's name look-up (resolve.named: UPPER(name) = UPPER(%s), served by an index) finds what iexact finds.

iexact is that comparison on PostgreSQL and a LIKE on SQLite, which folds ASCII letters only, as
SQLite's UPPER does. Names with wildcard characters, non-ASCII letters in both cases, ligatures
and letters whose capital is two letters, on every database the suite runs on.
"""

import pytest
from django.db import connection

from articles.models import Actor
from articles import resolve
from articles.resolve import named

NAMES = ["Sergei Lavrov", "SERGEI LAVROV", "sergei lavrov", "Émile Zola", "ÉMILE ZOLA", "émile zola", "Straße",
         "STRASSE", "strasse", "ǅorđe", "ǄORĐE", "ﬁnn", "FINN", "100% Ltd", "100x Ltd", "a_b", "axb", "O'Brien",
         "o'brien", "Back\\slash", "back\\slash", "Ünal", "ünal", "İstanbul", "istanbul"]


@pytest.fixture
def actors(db):
    for number, name in enumerate(NAMES):
        Actor.objects.create(name=name, kind="person", slug=f"name-{number}")


@pytest.mark.parametrize("wanted", NAMES + ["nobody", "%", "_", "SERGEI%"])
def test_named_finds_what_iexact_finds(actors, wanted):
    found = set(Actor.objects.filter(named(wanted)).values_list("name", flat=True))
    assert found == set(Actor.objects.filter(name__iexact=wanted).values_list("name", flat=True))


def test_named_is_served_by_the_index(actors):
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's query plan")
    sql, params = Actor.objects.filter(named("Sergei Lavrov"), kind="person").query.sql_with_params()
    with connection.cursor() as cursor:
        plan = " ".join(str(row) for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
    assert "USING INDEX actor_name_upper" in plan


def test_window_lookup_finds_what_the_orm_lookup_finds(actors):
    """resolve._actors_lookup writes its query by hand (compiling it with the ORM cost ~10 ms an article);
    it finds, for a window of names, what the ORM query of tests/ingest_reference.py finds: by name in
    any case, by slug, by alias (wildcards in names kept literal), in the same order."""
    from articles.extraction import ExtractedActor

    from .ingest_reference import _actors_lookup as orm_lookup

    Actor.objects.create(name="Holder of Aliases", kind="person", slug="holder",
                         aliases="\n".join(["100% Ltd", "Back\\slash", "émile zola", "A_B Group", "Straße Werke"]))
    Actor.objects.create(name="a%b Group", kind="organisation", slug="a-b-group", aliases="axb Group\nA_B Group")
    Actor.objects.create(name="Another", kind="organisation", slug="sergei-lavrov")  # a slug of one of the names
    wanted = NAMES + ["nobody", "%", "_", "SERGEI%", "A_B Group", "axb Group", "Straße Werke"]
    window = [ExtractedActor(name, kind, (), 1) for name in wanted for kind in ("person", "organisation")]
    for start in range(0, len(window), 20):
        part = window[start:start + 20]
        assert [actor and actor.pk for actor in resolve._actors_lookup(part)] == \
            [actor and actor.pk for actor in orm_lookup(part)]
    assert resolve._actors_lookup([ExtractedActor("Back\\slash Ltd", "person", (), 1)]) == [None]
