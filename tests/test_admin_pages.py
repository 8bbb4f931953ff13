"""The editors' pages read as words: deletions, dates, the article form with thousands of actors, the favicon."""

import pytest

from articles.models import Actor, ActorKind

from .pages import parse, text_of
from .test_history import chief
from .uploads import editor

ARTICLES = "/admin/articles/article/"


def test_deleting_an_article_lists_it_in_words_and_says_it_can_be_restored(client, small_archive):
    article = small_archive["summit"]
    chief(client)
    page = parse(client.get(f"{ARTICLES}{article.pk}/delete/"))
    listed = page.select("#deleted-objects li")
    assert [text_of(item) for item in listed] == [f"Article {article.pk}: {article.headline}"]
    assert listed[0].a["href"] == f"{ARTICLES}{article.pk}/change/"
    assert "object (" not in text_of(page.select_one("#content"))  # no "Article_actors object (3312)"
    assert "for 30 days" in text_of(page.select_one(".deletion-note"))
    assert page.select_one('#content form input[type=submit]')["value"] == "Yes, delete it"


def test_deleting_several_articles_lists_each_in_words(client, small_archive):
    chief(client)
    chosen = [small_archive["gas"], small_archive["nato"]]
    page = parse(client.post(ARTICLES, {"action": "delete_selected", "_selected_action": [a.pk for a in chosen]}))
    assert sorted(text_of(item) for item in page.select("#deleted-objects li")) == sorted(
        f"Article {a.pk}: {a.headline}" for a in chosen)
    assert "for 30 days" in text_of(page.select_one(".deletion-note"))


def test_deleting_an_actor_says_its_articles_stay(client, small_archive):
    chief(client)
    putin = Actor.objects.get(slug="vladimir-putin")
    page = parse(client.get(f"/admin/articles/actor/{putin.pk}/delete/"))
    assert [text_of(item) for item in page.select("#deleted-objects li")] == [
        "Vladimir Putin (removed from its 2 articles; the articles stay)"]


def test_the_editor_writes_and_reads_dates_as_iso(client, small_archive):
    editor(client)
    article = small_archive["summit"]
    form = parse(client.get(f"{ARTICLES}{article.pk}/change/"))
    assert form.select_one("input[name=date]")["value"] == "2024-03-01"
    listing = parse(client.get(ARTICLES))
    assert "2024-03-01" in [text_of(cell) for cell in listing.select("#result_list td.field-date")]
    history = parse(client.get(f"{ARTICLES}{article.pk}/history/"))
    when = text_of(history.select_one("#change-history tbody td"))
    assert len(when) == 16 and when[4] == "-" and when[10] == " "  # 2026-12-02 12:19


def test_a_long_headline_is_the_subtitle_and_the_object_tools_stand_on_their_own(client, make_article, search_index):
    article = make_article("Word " * 80 + "end.", headline="A very long headline " * 12)
    editor(client)
    page = parse(client.get(f"{ARTICLES}{article.pk}/change/"))
    assert text_of(page.select_one("#content > h2")).startswith(f"Article {article.pk}: A very long headline")
    tools = page.select_one("#content-main > .object-tools")
    assert tools and "change-form" in page.body["class"]  # admin-newsdesk.css puts them under the subtitle


def test_the_article_form_looks_actors_up_instead_of_listing_thousands(client, small_archive):
    Actor.objects.bulk_create(Actor(name=f"Official {n}", kind=ActorKind.PERSON, slug=f"official-{n}") for n in range(3000))
    editor(client)
    article = small_archive["summit"]
    response = client.get(f"{ARTICLES}{article.pk}/change/")
    page = parse(response)
    actors = page.select_one("select[name=actors]")
    assert actors["data-ajax--url"] == "/admin/autocomplete/"
    assert {text_of(option) for option in actors.select("option")} == {a.name for a in article.actors.all()}
    assert len(response.content) < 200_000
    found = client.get("/admin/autocomplete/", {"term": "Official 299", "app_label": "articles",
                                                 "model_name": "article", "field_name": "actors"}).json()
    assert "Official 299" in [result["text"] for result in found["results"]]


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_every_page_has_the_favicon(client, search_index, url):
    assert parse(client.get(url)).select_one('link[rel=icon]')["href"].endswith("favicon.svg")
