"""Editors in the admin: adding, editing and deleting articles is reflected in search at once."""

import pytest
from django.contrib.auth.models import User

from articles.models import Actor, Article, Topic

from .pages import parse, result_rows, results_summary
from .admin_forms import article_form
from .test_paste import ADD_URL, paste_article


@pytest.fixture
def editor_client(client, search_index):
    user = User.objects.create_user("editor", password="x-unused-x", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def add_article(client, body, **changes):
    """The add page is the paste form (tests/test_paste.py): Preview, then Save."""
    return paste_article(client, body, **changes)


def test_added_article_gets_extracted_actors_and_is_searchable(editor_client):
    Topic.objects.update_or_create(slug="diplomacy", defaults={"name": "Diplomacy", "keywords": "talks\nsummit\ndiplomat*"})
    response = add_article(editor_client, "Foreign Minister Sergei Lavrov held talks with Wang Yi at a summit in Beijing.")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline.startswith("Foreign Minister Sergei Lavrov held talks")
    assert "Sergei Lavrov" in set(article.actors.values_list("name", flat=True))
    assert list(article.topics.values_list("slug", flat=True)) == ["diplomacy"]
    assert results_summary(parse(editor_client.get("/search/", {"q": "Lavrov"}))) == "1 result for “Lavrov”"
    assert editor_client.get("/search/", {"actor": "sergei-lavrov", "topic": "diplomacy"}).content.decode().count('class="result"') == 1


def test_editor_choice_of_actors_is_kept_on_add_beside_extraction(editor_client):
    Actor.objects.create(name="Someone Else", kind="person", slug="someone-else")
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke.", **{"add-actor-0-name": "Someone Else", "add-actor-0-kind": "person"})
    assert {"Someone Else", "Sergei Lavrov"} <= set(Article.objects.get().actors.values_list("name", flat=True))


def test_admin_edit_of_actors_reaches_search(editor_client):
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    article = Article.objects.get()
    added = Actor.objects.create(name="NATO", kind="organisation", slug="nato")
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, headline=article.headline, body=article.body, actors=[added.pk]),
    )
    assert response.status_code == 302
    for query in ({"q": "Lavrov", "actor": "nato"}, {"actor": "nato"}):
        page = parse(editor_client.get("/search/", query))
        assert [row.url.partition("?")[0] for row in result_rows(page)] == [article.get_absolute_url()], query
    assert "No articles found" in editor_client.get("/search/", {"q": "Lavrov", "actor": "sergei-lavrov"}).content.decode()


def test_admin_edit_of_the_text_re_extracts_actors_keeping_decisions(editor_client):
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    article = Article.objects.get()
    kept = Actor.objects.create(name="NATO", kind="organisation", slug="nato")
    actors = [kept.pk, *article.actors.values_list("pk", flat=True)]  # the editor adds NATO, removes nothing
    text = "Prime Minister Narendra Modi spoke in Moscow."
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, headline=text, body=text, actors=actors)
    )
    assert response.status_code == 302
    names = set(Article.objects.get().actors.values_list("name", flat=True))
    assert names == {"Narendra Modi", "NATO"}  # Lavrov left with his words; the added NATO stays
    page = parse(editor_client.get("/search/", {"actor": "narendra-modi"}))
    assert [row.url.partition("?")[0] for row in result_rows(page)] == [Article.objects.get().get_absolute_url()]


def test_admin_edit_of_the_text_keeps_an_actor_the_editor_removed(editor_client):
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    article = Article.objects.get()
    assert set(article.actors.values_list("name", flat=True)) == {"Sergei Lavrov"}
    text = "Foreign Minister Sergei Lavrov met Prime Minister Narendra Modi."
    response = editor_client.post(  # the editor removes Lavrov while changing the text that names him
        f"/admin/articles/article/{article.pk}/change/", article_form(article, headline=text, body=text, actors=[])
    )
    assert response.status_code == 302
    assert set(Article.objects.get().actors.values_list("name", flat=True)) == {"Narendra Modi"}


def test_admin_delete_removes_article_from_search(editor_client):
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    article = Article.objects.get()
    response = editor_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert "No articles found for “Lavrov”" in editor_client.get("/search/", {"q": "Lavrov"}).content.decode()


def test_admin_refuses_duplicate_text(editor_client):
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    response = editor_client.post(ADD_URL, {"text": "Foreign  Minister Sergei Lavrov spoke in Moscow.  ", "date": "2024-06-01", "_preview": "Preview"})
    assert response.status_code == 200
    assert "The same text is already" in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    ["/admin/articles/article/", "/admin/articles/article/?q=Lavrov", "/admin/articles/article/?actors__kind=person",
     "/admin/articles/actor/?kind=country", "/admin/articles/topic/", "/admin/articles/article/add/"],
)
def test_admin_lists_are_searchable_and_filterable(editor_client, url):
    add_article(editor_client, "Foreign Minister Sergei Lavrov spoke in Moscow.")
    assert editor_client.get(url).status_code == 200
