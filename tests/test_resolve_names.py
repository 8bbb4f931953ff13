"""Ingest's name look-up (resolve.named: UPPER(name) = UPPER(%s), served by an index) finds what iexact finds.

iexact is that comparison on PostgreSQL and a LIKE on SQLite, which folds ASCII letters only, as
SQLite's UPPER does. Names with wildcard characters, non-ASCII letters in both cases, ligatures
and letters whose capital is two letters, on every database the suite runs on.
"""

import pytest
from django.db import connection

from articles.models import Actor
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
