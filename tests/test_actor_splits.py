"""One actor per entity across the archive: short forms ("Blair", "Labour") land on the full name."""

import io

import pytest
from django.core.management import call_command

from articles.curation import actor_short_forms_merge
from articles.extraction import ExtractedActor
from articles.extraction.short_forms import is_short_form, only_full_form
from articles.models import Actor, Article, ArticleActorDecision
from articles.resolve import actors_resolve


@pytest.mark.parametrize("short, full, kind, expected", [
    ("Blair", "Tony Blair", "person", True),
    ("blair", "Tony Blair", "person", True),
    ("Tony", "Tony Blair", "person", False),
    ("King", "Martin Luther King Jr.", "person", True),
    ("Labour", "Labour Party", "organisation", True),
    ("Conservatives", "Conservative Party", "organisation", True),
    ("Labour", "Labour Party", "person", False),
    ("European", "European Union", "organisation", False),
    ("Tony Blair", "Tony Blair", "person", False),
])
def test_short_form_rules(short, full, kind, expected):
    assert is_short_form(short, full, kind) is expected


def test_a_short_form_of_two_known_names_means_neither():
    assert only_full_form("Brown", "person", ["Gordon Brown", "Chris Brown"]) is None
    assert only_full_form("Brown", "person", ["Gordon Brown", "Tony Blair"]) == "Gordon Brown"


STORIES = {  # a batch in file-name order: the short forms come first
    "a.txt": "Mr Blair told MPs that Labour would cut waiting lists. Mr Blair said the Tories had failed.",
    "b.txt": "Prime Minister Tony Blair said the Labour Party would win. Blair spoke in London.",
    "c.txt": "The Conservative Party chose a leader. Conservative MPs said Labour had failed.",
    "d.txt": "Mr Blair met the Conservatives on Monday.",
}


def ingest_batch(tmp_path, stories):
    for name, text in stories.items():
        (tmp_path / name).write_text(f" date 2005-04-0{len(name)} {text}\n")
    call_command("ingest", str(tmp_path), stdout=io.StringIO())


def test_a_batch_using_full_and_short_forms_gives_one_actor_each(tmp_path, search_index):
    ingest_batch(tmp_path, STORIES)
    people = list(Actor.objects.filter(kind="person").values_list("name", flat=True))
    parties = sorted(Actor.objects.filter(kind="organisation").values_list("name", flat=True))
    assert people == ["Tony Blair"]
    assert parties == ["Conservative Party", "Labour Party"]
    blair = Actor.objects.get(name="Tony Blair")
    assert blair.articles.count() == 3
    assert "Blair" in blair.alias_list


def test_an_ambiguous_short_form_stays_apart(tmp_path, search_index):
    ingest_batch(tmp_path, {
        "a.txt": "Chancellor Gordon Brown said so. The singer Chris Brown said he agreed.",
        "b.txt": "Mr Brown told reporters the budget was fair.",
    })
    assert sorted(Actor.objects.filter(kind="person").values_list("name", flat=True)) == [
        "Brown", "Chris Brown", "Gordon Brown"]


def test_reextract_merges_existing_splits_and_keeps_decisions(tmp_path, search_index):
    ingest_batch(tmp_path, {"a.txt": "Prime Minister Tony Blair spoke.", "b.txt": "Mr Blair spoke again."})
    full = Actor.objects.get(name="Tony Blair")
    split = Actor.objects.create(name="Blair", kind="person", slug="blair")  # as older extraction made them
    later = Article.objects.get(source="b.txt")
    later.actors.set([split])
    ArticleActorDecision.objects.create(article=later, actor=split, included=True)
    out = io.StringIO()
    call_command("reextract", stdout=out)
    assert "Merged Blair into Tony Blair" in out.getvalue()
    assert not Actor.objects.filter(name="Blair").exists()
    assert set(later.actors.all()) == {full}
    assert ArticleActorDecision.objects.get(article=later).actor == full
    assert actor_short_forms_merge() == []  # nothing left to merge


def test_an_article_naming_a_short_form_actor_before_its_full_name_keeps_one(search_index):
    Actor.objects.create(name="Blair", kind="person", slug="blair")
    resolved = actors_resolve([ExtractedActor("Blair", "person", (), 1), ExtractedActor("Tony Blair", "person", (), 1)])
    assert {actor.name for actor in resolved} == {"Tony Blair"}
    assert list(Actor.objects.values_list("name", flat=True)) == ["Tony Blair"]
