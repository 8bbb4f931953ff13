"""Editors curating actors and topics: merge, rule out, per-article decisions; re-extraction keeps them."""

import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.curation import actor_merge, actor_rule_out, topic_merge
from articles.models import Actor, ActorRedirect, Article, ArticleActorDecision, NeverActor, Topic
from articles.services import article_extract

from .admin_forms import article_form
from .pages import form_fields, parse, text_of

LAVROV_TEXT = (
    "Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Thursday. "
    "Lavrov said the talks on sanctions and trade were frank."
)


@pytest.fixture
def editor(client, search_index, default_topics):
    user = User.objects.create_user("chief", password="x-unused-x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def ingest_text(tmp_path, text, name="a.txt", date="2024-04-08"):
    path = tmp_path / name
    path.write_text(f" date {date} {text}")
    call_command("ingest", str(path), stdout=io.StringIO())
    return Article.objects.get(source=name)


def actor_names(article):
    return set(article.actors.values_list("name", flat=True))


def search_json(client, **params):
    return json.loads(client.get("/search/", {**params, "format": "json"}).content)


def test_merge_moves_articles_aliases_and_redirects_old_slug(editor, tmp_path):
    article = ingest_text(tmp_path, LAVROV_TEXT)
    survivor = Actor.objects.get(name="Sergei Lavrov")
    duplicate = Actor.objects.create(name="S. Lavrov", kind="person", slug="s-lavrov", aliases="Sergey Lavrov")
    other = ingest_text(tmp_path, "Russian diplomat S. Lavrov spoke.", name="b.txt")
    other.actors.add(duplicate)
    actor_merge(survivor=survivor, merged=duplicate)
    assert not Actor.objects.filter(slug="s-lavrov").exists()
    assert survivor in other.actors.all() and survivor in article.actors.all()
    assert {"S. Lavrov", "Sergey Lavrov"} <= set(Actor.objects.get(pk=survivor.pk).alias_list)
    # Old URLs and bookmarked filters lead to the survivor; facets and JSON show it at once.
    response = editor.get("/actors/s-lavrov/")
    assert response.status_code == 301 and response["Location"] == "/actors/sergei-lavrov/"
    data = search_json(editor, actor="s-lavrov")
    assert data["count"] == 2
    assert "s-lavrov" not in search_json(editor, q="Lavrov")["facets"]["actors"]
    assert search_json(editor, q="Lavrov")["facets"]["actors"]["sergei-lavrov"] == 2
    html = editor.get("/search/", {"actor": "s-lavrov"}).content.decode()
    assert 'rel="canonical" href="http://testserver/search/?actor=sergei-lavrov"' in html


def test_merged_name_is_recognised_as_the_survivor_in_new_articles(editor, tmp_path):
    ingest_text(tmp_path, LAVROV_TEXT)
    survivor = Actor.objects.get(name="Sergei Lavrov")
    duplicate = Actor.objects.create(name="Sergey Lavrov", kind="person", slug="sergey-lavrov")
    actor_merge(survivor=survivor, merged=duplicate)
    article = ingest_text(tmp_path, "Foreign Minister Sergey Lavrov arrived in Ankara.", name="c.txt")
    assert "Sergei Lavrov" in actor_names(article)
    assert not Actor.objects.filter(name="Sergey Lavrov").exists()


def test_ruled_out_name_never_comes_back(editor, tmp_path):
    article = ingest_text(tmp_path, LAVROV_TEXT + " Officials of the Great Hall Committee watched.")
    junk, _ = Actor.objects.get_or_create(slug="great-hall-committee", defaults={"name": "Great Hall Committee", "kind": "organisation"})
    article.actors.add(junk)
    actor_rule_out(actor=junk)
    assert NeverActor.objects.filter(name="Great Hall Committee").exists()
    call_command("reextract", stdout=io.StringIO())
    again = ingest_text(tmp_path, "The Great Hall Committee met. Foreign Minister Wang Yi attended.", name="d.txt")
    assert "Great Hall Committee" not in actor_names(Article.objects.get(pk=article.pk)) | actor_names(again)


def test_admin_removal_and_addition_survive_reextraction(editor, tmp_path):
    article = ingest_text(tmp_path, LAVROV_TEXT)
    wang = Actor.objects.get(name="Wang Yi")
    nato = Actor.objects.create(name="NATO", kind="organisation", slug="nato")
    kept = article.actors.exclude(pk=wang.pk)
    response = editor.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(
            article,
            headline=article.headline, date="2024-04-08", body=article.body, source=article.source,
            actors=[a.pk for a in kept] + [nato.pk], topics=[t.pk for t in article.topics.all()],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decisions = {(d.actor.name, d.included) for d in ArticleActorDecision.objects.filter(article=article)}
    assert decisions == {("Wang Yi", False), ("NATO", True)}
    out = io.StringIO()
    call_command("reextract", stdout=out)
    assert "Index matches the database" in out.getvalue()
    names = actor_names(Article.objects.get(pk=article.pk))
    assert "Wang Yi" not in names and "NATO" in names and "Sergei Lavrov" in names
    assert search_json(editor, actor="nato")["count"] == 1
    assert search_json(editor, q="Lavrov", actor="wang-yi")["count"] == 0


def test_reextract_restores_extraction_when_no_decision(editor, tmp_path):
    article = ingest_text(tmp_path, LAVROV_TEXT)
    before = actor_names(article)
    article.actors.clear()  # as if lost, without an editor's decision
    out = io.StringIO()
    call_command("reextract", "--from", "2024-04-01", "--to", "2024-04-30", stdout=out)
    assert actor_names(article) == before
    assert out.getvalue().splitlines()[0] == "Re-extracted 1 articles: 1 changed."


def test_reextract_date_range_leaves_other_articles_alone(editor, tmp_path):
    inside = ingest_text(tmp_path, LAVROV_TEXT, name="in.txt", date="2024-04-08")
    outside = ingest_text(tmp_path, LAVROV_TEXT + " More.", name="out.txt", date="2023-01-01")
    inside.actors.clear()
    outside.actors.clear()
    call_command("reextract", "--from", "2024-01-01", stdout=io.StringIO())
    assert actor_names(inside) and not actor_names(outside)


def test_topic_merge_moves_articles_keywords_and_redirects(editor, tmp_path):
    article = ingest_text(tmp_path, LAVROV_TEXT)
    survivor = Topic.objects.get(slug="diplomacy")
    merged = Topic.objects.create(name="Foreign affairs", slug="foreign-affairs", keywords="envoy\nforeign policy")
    article.topics.add(merged)
    topic_merge(survivor=survivor, merged=merged)
    assert "envoy" in Topic.objects.get(pk=survivor.pk).keyword_list
    response = editor.get("/topics/foreign-affairs/")
    assert response.status_code == 301 and response["Location"] == "/topics/diplomacy/"
    assert search_json(editor, topic="foreign-affairs")["count"] == 1


def test_admin_merge_action_asks_which_to_keep_then_merges(editor, tmp_path):
    ingest_text(tmp_path, LAVROV_TEXT)
    survivor = Actor.objects.get(name="Sergei Lavrov")
    duplicate = Actor.objects.create(name="Lavrov S.", kind="person", slug="lavrov-s")
    data = {"action": "merge_actors", "_selected_action": [survivor.pk, duplicate.pk]}
    page = editor.post("/admin/articles/actor/", data)
    assert page.status_code == 200
    assert "Merge 2 actors into one" in page.content.decode()
    done = editor.post("/admin/articles/actor/", {**data, "apply": "Merge", "survivor": survivor.pk})
    assert done.status_code == 302
    assert ActorRedirect.objects.get(old_slug="lavrov-s").actor == survivor


def test_admin_rule_out_action_asks_first_then_rules_out(editor, tmp_path):
    junk = Actor.objects.create(name="Thursday", kind="person", slug="thursday")
    data = {"action": "rule_out_actors", "_selected_action": [junk.pk]}
    page = parse(editor.post("/admin/articles/actor/", data))
    assert text_of(page.select_one("#content h1")) == "Rule out 1 name as never an actor"
    assert [text_of(item) for item in page.select("#ruled-out-names li")] == ["Thursday (person) — in 0 articles"]
    form = page.select_one("#content-main form")
    assert ("action", "rule_out_actors") in form_fields(form) and ("_selected_action", str(junk.pk)) in form_fields(form)
    assert Actor.objects.filter(pk=junk.pk).exists() and not NeverActor.objects.exists()  # nothing done yet
    response = editor.post("/admin/articles/actor/", {**data, "apply": "Yes, rule it out"})
    assert response.status_code == 302
    assert NeverActor.objects.filter(name="Thursday").exists() and not Actor.objects.filter(pk=junk.pk).exists()


def test_article_extract_reports_no_change_when_nothing_changed(editor, tmp_path):
    article = ingest_text(tmp_path, LAVROV_TEXT)
    assert article_extract(article) is False


def test_alias_added_by_an_editor_is_recognised_in_new_articles(editor, tmp_path):
    party = Actor.objects.create(name="Fratelli d'Italia", kind="organisation", slug="fratelli-d-italia", aliases="Brothers of Italy")
    article = ingest_text(tmp_path, "Support for Brothers of Italy rose again in the polls, officials said.", name="fdi.txt")
    assert party in article.actors.all()
    assert search_json(editor, actor="fratelli-d-italia")["count"] == 1


def test_renamed_actor_keeps_its_articles_and_is_found_under_new_name(editor, tmp_path):
    ingest_text(tmp_path, LAVROV_TEXT)
    actor = Actor.objects.get(name="Sergei Lavrov")
    actor.name = "Sergey Viktorovich Lavrov"
    actor.aliases = "Sergei Lavrov\nLavrov"
    actor.save()
    article = ingest_text(tmp_path, "Foreign Minister Sergei Lavrov flew to Delhi.", name="delhi.txt")
    assert "Sergey Viktorovich Lavrov" in actor_names(article)
    assert Actor.objects.filter(name__icontains="Lavrov").count() == 1
