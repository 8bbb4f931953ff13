"""Every article change is kept (who, when, what, why); a deleted article can be restored by a chief editor."""

import html
import io
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Actor, Article
from articles.roles import CHIEF_EDITORS, roles_ensure

from articles.quoting import quoted

from .admin_forms import article_form
from .pages import parse, result_rows, text_of
from .conftest import ENERGY, NATO, PUTIN, RUSSIA
from .uploads import GOOD, editor, txt, upload

LAVROV = "Foreign Minister Sergei Lavrov spoke in Moscow about grain exports.\n\nTalks went on."
DELETED_URL = "/admin/articles/article/deleted/"


def chief(client, name="chief") -> User:
    roles_ensure(Group, Permission)  # transactional tests flush what the migration created
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    client.force_login(user)
    return user


def history_rows(client, article_id) -> list[str]:
    """The history page's rows as plain text, newest first."""
    page = client.get(f"/admin/articles/article/{article_id}/history/")
    assert page.status_code == 200
    body = page.content.decode().split('<table id="change-history"', 1)[1].split("</table>", 1)[0]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)][1:]


def results(client, **query) -> list[str]:
    """The article paths of the search page's result rows."""
    return [row.url.partition("?")[0] for row in result_rows(parse(client.get("/search/", query)))]


def restore(client, article_id):
    """Press Restore on the article's row of the recently deleted page."""
    page = client.get(DELETED_URL).content.decode()
    action = re.search(rf'action="([^"]+)">\s*<input[^>]*csrfmiddlewaretoken[^>]*>\s*<button[^>]*Restore article {article_id}"', page)
    assert action, page
    return client.post(action.group(1), follow=True)


def test_admin_edit_is_kept_with_who_when_and_what_changed(client, make_article, search_index):
    article = make_article(LAVROV, date="2024-04-03", actors=[PUTIN, RUSSIA], topics=[ENERGY])
    nato = Actor.objects.create(name="NATO", kind="organisation", slug="nato")
    russia = Actor.objects.get(slug="russia")
    editor(client, "ed")
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, headline=article.headline, date="2024-06-01", body=LAVROV.replace("grain", "wheat"),
                     actors=[russia.pk, nato.pk], topics=[]),
    )
    assert response.status_code == 302
    rows = history_rows(client, article.pk)
    edits = [row for row in rows if " ed " in f" {row} "]
    assert len(edits) == 1  # one save, one row: its fields, its actors and its topics together
    edit = edits[0]
    assert "Changed ed edited in the admin" in edit
    assert "Date: 2024-04-03 → 2024-06-01" in edit
    assert "grain" in edit and "wheat" in edit  # the text before and after
    # NATO added and Putin removed by the editor; the edited text re-extracted (Lavrov in, Russia out), same row
    assert "Actors: [Russia, Vladimir Putin] → [NATO, Sergei Lavrov]" in edit
    assert re.search(r"Topics: \[Energy\] → \[[^\]]*\]", edit) and "→ [Energy" not in edit  # unticked, re-extracted


def test_ingest_command_is_kept_as_the_creation(client, tmp_path, search_index):
    (tmp_path / "lavrov.txt").write_text(" date 2024-05-02 " + LAVROV)
    call_command("ingest", str(tmp_path), stdout=io.StringIO())
    article = Article.objects.get()
    chief(client)
    rows = history_rows(client, article.pk)
    assert "Created" in rows[-1] and "ingest (command line)" in rows[-1]
    creation = Article.history.get(id=article.pk)
    assert "Sergei Lavrov" in {link.actor.name for link in creation.actors.all()}  # its actors, as extracted
    assert len(rows) == 1  # one record with its actors and topics, not one more per relation set


def test_reextract_changes_are_kept_with_their_reason(client, make_article, search_index):
    article = make_article(LAVROV, actors=[NATO])
    call_command("reextract", stdout=io.StringIO())
    chief(client)
    reextracted = [row for row in history_rows(client, article.pk) if "re-extraction" in row]
    assert len(reextracted) == 1 and "Actors: [NATO] → [Sergei Lavrov]" in reextracted[0]  # one row per article


def test_upload_is_kept_as_made_by_the_uploading_editor(client, search_index):
    editor(client, "ed")
    upload(client, txt("zurich.txt", GOOD))
    article = Article.objects.get()
    rows = history_rows(client, article.pk)
    assert "Created" in rows[-1] and "upload by ed" in rows[-1]
    assert all(" ed " in f" {row} " for row in rows)


def test_deleted_article_is_restored_with_its_actors_and_topics_and_back_in_search(client, make_article, search_index):
    article = make_article(LAVROV, actors=[PUTIN, RUSSIA], topics=[ENERGY])
    make_article("NATO officials discussed air defence for Ukraine in Brussels.", actors=[NATO])
    chief(client)
    assertContains(client.get("/admin/articles/article/"), f'<a href="{DELETED_URL}">Recently deleted</a>', html=True)
    client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    assert results(client, q="Lavrov") == []

    listed = client.get(DELETED_URL)
    assertContains(listed, f"article {article.pk}: {article.headline}")
    assertContains(listed, "Russia, Vladimir Putin; Energy")
    assertContains(listed, "by chief")
    page = restore(client, article.pk)
    message = parse(page).select_one(".messagelist .success")
    assert text_of(message) == f"Restored, and back in search: article {article.pk}, {quoted(article.headline)}"
    assert message.a["href"] == f"/admin/articles/article/{article.pk}/change/" and not text_of(message).endswith("..")

    restored = Article.objects.get(pk=article.pk)
    assert (restored.headline, restored.body, restored.date, restored.fingerprint) == (
        article.headline, article.body, article.date, article.fingerprint)
    assert results(client, q="Lavrov", actor="vladimir-putin", topic="energy") == [restored.get_absolute_url()]
    assertContains(client.get(DELETED_URL), "No article was deleted")
    assert "restored after deletion" in history_rows(client, article.pk)[0]


def test_editor_sees_no_delete_and_cannot_restore(client, make_article, search_index):
    article = make_article(LAVROV)
    chief_client = client.__class__()
    chief(chief_client)
    chief_client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    record = Article.history.get(id=article.pk, history_type="-")

    editor(client, "ed")
    assertNotContains(client.get("/admin/articles/article/"), "Recently deleted")
    assertNotContains(client.get(f"/admin/articles/article/{make_article('Other text here.').pk}/change/"), "deletelink")
    assert client.get(DELETED_URL).status_code == 403
    assert client.post(f"{DELETED_URL}{record.history_id}/restore/").status_code == 403
    assert not Article.objects.filter(pk=article.pk).exists()


def test_restore_is_refused_when_the_same_text_was_added_since(client, make_article, search_index):
    article = make_article(LAVROV)
    chief(client)
    client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
    again = make_article(LAVROV)
    page = restore(client, article.pk)
    assert f"Not restored: The same text was added again since, as article {again.pk}" in page.content.decode()
    assert list(Article.objects.values_list("pk", flat=True)) == [again.pk]
    assert results(client, q="Lavrov") == [again.get_absolute_url()]


def test_history_never_says_none_for_who_or_why(client, make_article, search_index):
    article = make_article(LAVROV)  # stored straight in the database: no account, no reason recorded
    chief(client)
    page = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    rows = history_rows(client, article.pk)
    assert rows and all(" None " not in f" {row} " for row in rows) and ">None<" not in page
    assert "not recorded not recorded" in rows[-1]  # changed by, change reason


def test_ingest_from_the_command_line_names_it_as_the_author(client, tmp_path, search_index):
    (tmp_path / "lavrov.txt").write_text(" date 2024-05-02 " + LAVROV)
    call_command("ingest", str(tmp_path), stdout=io.StringIO())
    chief(client)
    assert "no account (command line) ingest (command line)" in history_rows(client, Article.objects.get().pk)[0]


def test_a_merge_writes_one_row_on_every_article_it_touches(client, make_article, search_index):
    both = make_article(LAVROV, actors=[PUTIN, RUSSIA])
    only_old = make_article("Putin V. spoke again in Sochi.\n\nMore talks.", actors=[("Putin V.", "person", "putin-v")])
    make_article("Putin V. and Vladimir Putin in one text.\n\nYes.", actors=[PUTIN, ("Putin V.", "person", "putin-v")])
    untouched = make_article("NATO officials met in Brussels.", actors=[NATO])
    chief(client)
    client.post("/admin/articles/actor/", {
        "action": "merge_actors", "apply": "1", "survivor": Actor.objects.get(slug="vladimir-putin").pk,
        "_selected_action": [Actor.objects.get(slug="vladimir-putin").pk, Actor.objects.get(slug="putin-v").pk],
    })
    assert not Actor.objects.filter(slug="putin-v").exists()
    for article in Article.objects.filter(actors__slug="vladimir-putin").exclude(pk=both.pk):
        merged_rows = [row for row in history_rows(client, article.pk) if "merged into" in row]
        assert len(merged_rows) == 1, merged_rows
        assert "chief actor “Putin V.” merged into “Vladimir Putin”" in merged_rows[0]
    assert "Actors: [Putin V. (removed since)] → [Vladimir Putin]" in history_rows(client, only_old.pk)[0]
    assert not any("merged" in row for row in history_rows(client, both.pk) + history_rows(client, untouched.pk))


def test_ruling_out_a_name_writes_a_row_on_every_article_it_leaves(client, make_article, search_index):
    articles = [make_article(LAVROV, actors=[PUTIN, RUSSIA]), make_article("Putin spoke.\n\nAgain.", actors=[PUTIN])]
    chief(client)
    client.post("/admin/articles/actor/", {
        "action": "rule_out_actors", "apply": "1", "_selected_action": [Actor.objects.get(slug="vladimir-putin").pk],
    })
    assert not Actor.objects.filter(slug="vladimir-putin").exists()
    for article in articles:
        row = history_rows(client, article.pk)[0]
        assert "chief “Vladimir Putin” ruled out: never an actor" in row and "Vladimir Putin (removed since)" in row


def test_the_history_manager_class_is_made_once_not_at_every_access():
    """simple-history made it at each access (~0.7 ms): writing any record reads it."""
    from articles.models import Actor, Article

    assert type(Article.history) is type(Article.history)
    assert type(Actor.history) is type(Actor.history)
    assert Article.history.model is Article.history.model  # still the history model's manager
