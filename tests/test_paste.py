"""The admin's add page: paste one article, preview what extraction assigns, save the editor's choices as decisions."""

import html
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Actor, Article, ArticleActorDecision, ArticleTopicDecision, NeverActor, Topic

from .pages import parse, result_rows, results_summary
from .html_forms import FormReader, read_form as read_page_form
from .test_similarity import ONE_SENTENCE_CHANGED, ORIGINAL
from .uploads import editor

ADD_URL = "/admin/articles/article/add/"
LEAD = "Foreign Minister Sergei Lavrov held talks in Beijing on a new summit format."
REST = "NATO officials said Russia and China were deepening ties through regular diplomatic talks."
TEXT = f"{LEAD}\n\n{REST}"
WITH_HEADER = f" date 2024-04-08 {TEXT}"


@pytest.fixture
def editor_client(client, search_index, default_topics):
    editor(client)
    return client


def read_form(response) -> FormReader:
    return read_page_form(response.content.decode(), '<form method="post" novalidate id="paste-form">')


def preview(client, text, date="", **extra):
    return client.post(ADD_URL, {"text": text, "date": date, "source": "", "_preview": "Preview", **extra})


def save(client, page, **changes):
    """Press Save on a preview page, after changing some of its fields."""
    reader = read_form(page)
    assert "_save" in reader.buttons, "the page offers no Save"
    return client.post(ADD_URL, {**reader.fields, **changes, "_save": "Save"})


def paste_article(client, text, date="2024-06-01", source="", **changes):
    """Add an article as an editor does: Preview, then Save (everything extracted ticked unless changed)."""
    return save(client, preview(client, text, date=date, source=source), **changes)


def add_actor(name, kind="", row=0) -> dict:
    return {f"add-actor-{row}-name": name, f"add-actor-{row}-kind": kind}


def boxes(response, name) -> dict[str, bool]:
    """The checkboxes of a field as {label: ticked}."""
    found = re.findall(
        rf'<label for="[^"]+"><input type="checkbox" name="{name}" value="[^"]*"([^>]*)>\s*([^<]+)</label>',
        response.content.decode(),
    )
    return {html.unescape(label.strip()): " checked" in attrs for attrs, label in found}


def group(response, legend) -> list[str]:
    """The labels of the checkboxes under a legend (People, Organisations, ...)."""
    page = response.content.decode()
    section = page.split(f"<legend>{legend}</legend>", 1)[1].split("</fieldset>", 1)[0]
    return [html.unescape(label.strip()) for label in re.findall(r"<input [^>]*>\s*([^<]+)</label>", section)]


def errors(response) -> str:
    """The page's error messages as text."""
    pattern = r'<ul class="errorlist"[^>]*>(.*?)</ul>|<p class="errornote"[^>]*>(.*?)</p>'
    found = re.findall(pattern, response.content.decode(), re.S)
    return " ".join(" ".join(html.unescape(re.sub(r"<[^>]+>", "", a or b)).split()) for a, b in found)


def names(labels) -> set[str]:
    return set(labels.values_list("name", flat=True))


def test_add_page_is_the_paste_form(editor_client):
    response = editor_client.get(ADD_URL)
    assertContains(response, '<label for="id_text" class="required">Article text:</label>', html=True)
    assertContains(response, '<label for="id_date">Date:</label>', html=True)
    assertContains(response, '<input type="submit" name="_preview" value="Preview" class="default">', html=True)
    assertNotContains(response, 'name="_save"')  # nothing is saved before a preview
    assertContains(response, "admin-paste.js")
    assert 'aria-describedby="id_text_helptext"' in response.content.decode()


def test_article_list_add_button_leads_to_the_paste_form(editor_client):
    assertContains(editor_client.get("/admin/articles/article/"), f'href="{ADD_URL}"')


def test_pasted_header_fills_the_date(editor_client):
    response = preview(editor_client, WITH_HEADER)
    assert read_form(response).fields["date"] == ["2024-04-08"]
    assertContains(response, "Filled from the text's date header.")
    assertContains(response, f'<dd id="paste-headline">{LEAD}</dd>', html=True)


@pytest.mark.parametrize("header", [" date 8 April 2024 ", "Date: April 8th, 2024\n", " date 2024/04/08\n\n"])
def test_other_date_spellings_fill_the_date_too(editor_client, header):
    assert read_form(preview(editor_client, header + TEXT)).fields["date"] == ["2024-04-08"]


def test_text_without_header_takes_the_date_field(editor_client):
    text = "Date palms grow in the oasis.\n\nFarmers in Oman said so."
    response = preview(editor_client, text, date="2023-09-01")
    assertContains(response, '<dd id="paste-headline">Date palms grow in the oasis.</dd>', html=True)
    save(editor_client, response)
    article = Article.objects.get()
    assert (article.date.isoformat(), article.body) == ("2023-09-01", text)


def test_preview_shows_extracted_actors_by_kind_and_topics_ticked(editor_client):
    response = preview(editor_client, WITH_HEADER)
    assert group(response, "People") == ["Sergei Lavrov"]
    assert group(response, "Organisations") == ["NATO"]
    assert group(response, "Countries") == ["China", "Russia"]
    assert boxes(response, "actors") == {"Sergei Lavrov": True, "NATO": True, "China": True, "Russia": True}
    assert boxes(response, "topics") == {"Diplomacy": True}
    assert "Energy" in boxes(response, "add_topics") and "Diplomacy" not in boxes(response, "add_topics")
    assert not any(boxes(response, "add_topics").values())
    assertContains(
        response, '<label class="visually-hidden" for="id_add-actor-0-name">Name of added actor 1</label>', html=True
    )
    assert Article.objects.count() == 0 and Actor.objects.count() == 0  # a preview stores nothing


def test_saving_everything_ticked_stores_what_the_preview_showed(editor_client):
    response = save(editor_client, preview(editor_client, WITH_HEADER))
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert names(article.actors) == {"Sergei Lavrov", "NATO", "China", "Russia"}
    assert names(article.topics) == {"Diplomacy"}
    assert (article.headline, article.date.isoformat(), article.body) == (LEAD, "2024-04-08", TEXT)
    assert not ArticleActorDecision.objects.exists() and not ArticleTopicDecision.objects.exists()


def test_editors_choices_are_saved_as_decisions_that_reextract_keeps(editor_client):
    energy = Topic.objects.get(slug="energy")
    response = paste_article(
        editor_client, WITH_HEADER, date="",
        actors=["person:Sergei Lavrov", "organisation:NATO", "country:China"],  # Russia unticked
        **add_actor("Wang Yi", "person"),
        add_topics=[str(energy.pk)],
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert names(article.actors) == {"Sergei Lavrov", "NATO", "China", "Wang Yi"}
    assert names(article.topics) == {"Diplomacy", "Energy"}
    decisions = {(d.actor.name, d.included) for d in article.articleactordecisions.all()}
    assert decisions == {("Russia", False), ("Wang Yi", True)}
    assert {(d.topic.name, d.included) for d in article.articletopicdecisions.all()} == {("Energy", True)}
    call_command("reextract", stdout=io.StringIO())
    assert names(article.actors) == {"Sergei Lavrov", "NATO", "China", "Wang Yi"}
    assert names(article.topics) == {"Diplomacy", "Energy"}


def test_history_says_who_pasted_the_article(editor_client):
    paste_article(editor_client, WITH_HEADER, date="")
    records = Article.objects.get().history.values_list("history_type", "history_user__username", "history_change_reason")
    assert ("+", "ed", "pasted in the admin") in set(records)


def test_unticking_a_topic_is_kept_too(editor_client):
    paste_article(editor_client, WITH_HEADER, date="", topics=[])
    article = Article.objects.get()
    assert not article.topics.exists()
    call_command("reextract", stdout=io.StringIO())
    assert not article.topics.exists()


def test_previewing_again_keeps_the_editors_choices(editor_client):
    reader = read_form(preview(editor_client, WITH_HEADER))
    again = editor_client.post(
        ADD_URL, {**reader.fields, "actors": ["country:China"], **add_actor("Wang Yi", "person"), "_preview": "Preview"}
    )
    assert Article.objects.count() == 0
    assert boxes(again, "actors") == {"Sergei Lavrov": False, "NATO": False, "China": True, "Russia": False}
    assert read_form(again).fields["add-actor-0-name"] == ["Wang Yi"]
    assert read_form(again).fields["add-actor-0-kind"] == ["person"]


def test_added_actor_known_to_the_archive_joins_it(editor_client):
    known = Actor.objects.create(name="Wang Yi", kind="person", slug="wang-yi")
    paste_article(editor_client, WITH_HEADER, date="", **add_actor("wang  yi", "person"))
    assert known in Article.objects.get().actors.all()
    assert Actor.objects.filter(name__iexact="wang yi").count() == 1


def test_added_actor_needs_a_kind(editor_client):
    response = paste_article(editor_client, WITH_HEADER, date="", **add_actor("Wang Yi"))
    assert response.status_code == 200 and Article.objects.count() == 0
    assert "Choose whether Wang Yi is a person, an organisation or a country." in errors(response)


def test_text_changed_after_the_preview_is_previewed_again_not_saved(editor_client):
    page = preview(editor_client, WITH_HEADER)
    response = save(editor_client, page, text=WITH_HEADER + "\n\nThe European Union said nothing.")
    assert response.status_code == 200 and Article.objects.count() == 0
    assertContains(response, "changed since the last preview")
    assert "European Union" in boxes(response, "actors")
    assert save(editor_client, response).status_code == 302


def test_save_without_a_preview_only_previews(editor_client):
    response = editor_client.post(ADD_URL, {"text": WITH_HEADER, "date": "", "source": "", "_save": "Save"})
    assert response.status_code == 200 and Article.objects.count() == 0
    assertContains(response, "check the preview below, then save again")


def test_saved_article_is_found_through_the_public_search_at_once(editor_client):
    response = paste_article(editor_client, "Negotiators in Valletta agreed on a quokkaharbour accord.", date="2024-06-01")
    article = Article.objects.get()
    page = editor_client.get(response["Location"])
    assertContains(page, f'<a href="{article.get_absolute_url()}">{article.get_absolute_url()}</a>', html=True)
    assertContains(page, "was added successfully")
    search = parse(editor_client.get("/search/", {"q": "quokkaharbour"}))
    assert results_summary(search) == "1 result for “quokkaharbour”"
    assert [row.url.partition("?")[0] for row in result_rows(search)] == [article.get_absolute_url()]


def test_near_duplicate_is_warned_with_a_link_and_stored_as_a_version(editor_client):
    paste_article(editor_client, ORIGINAL, date="2024-01-16")
    original = Article.objects.get()
    response = preview(editor_client, ONE_SENTENCE_CHANGED, date="2024-01-17")
    assertContains(response, "Nearly the same text is already stored:")
    link = f'<a href="/admin/articles/article/{original.pk}/change/">article {original.pk}</a>'
    assertContains(response, link, html=True)
    page = editor_client.get(save(editor_client, response)["Location"])
    assertContains(page, f"(a similar version of article {original.pk})")
    assert Article.objects.exclude(pk=original.pk).get().version_of_id == original.pk


def test_exact_duplicate_is_refused_with_a_link(editor_client, make_article):
    existing = make_article(TEXT, date="2024-04-08")
    response = preview(editor_client, f" date 2024-04-09   {LEAD}\n\n\n{REST}  ")
    assert "The same text is already article" in errors(response)
    link = f'<a href="/admin/articles/article/{existing.pk}/change/">article {existing.pk}</a>'
    assertContains(response, link, html=True)
    assert "_save" not in read_form(response).buttons
    response = editor_client.post(ADD_URL, {"text": TEXT, "date": "2024-04-09", "_save": "Save"})
    assert "nothing was saved" in errors(response) and Article.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "date", "message"),
    [
        ("", "", "Paste the article's text."),
        ("   \n\n  ", "2024-04-08", "Paste the article's text."),
        (TEXT, "", "Give the article's date: the text has no date header."),
        (TEXT, "2024-02-30", "Enter the date as YYYY-MM-DD, e.g. 2024-04-08."),
        (TEXT, "08/04/2024", "Enter the date as YYYY-MM-DD, e.g. 2024-04-08."),
        (f" date 04/08/2024 {TEXT}", "", "This text cannot be stored: ambiguous date '04/08/2024'"),
        (f" date 2024-13-45 {TEXT}", "", "This text cannot be stored: impossible date '2024-13-45'."),
        (" date 2024-04-08   ", "", "This text cannot be stored: no article text after the date."),
        ("Date: soon. Talks went on.", "2024-04-08", "This text cannot be stored: unreadable date 'soon.'"),
        (WITH_HEADER, "2024-04-09", "The text's date header says 2024-04-08 but this field says 2024-04-09"),
    ],
)
def test_refusals_say_why_and_save_nothing(editor_client, text, date, message):
    for button in ("_preview", "_save"):
        response = editor_client.post(ADD_URL, {"text": text, "date": date, button: "x"})
        assert response.status_code == 200
        assert message in errors(response), errors(response)
        # Preview never stores anything, so it does not say "not saved"; Save does.
        assert ("Not saved yet: please correct the errors below." in errors(response)) is (button == "_save")
        assert "Please correct the errors below." in errors(response) or button == "_save"
        assert "_save" not in read_form(response).buttons
    assert Article.objects.count() == 0


def test_ruled_out_name_cannot_be_added(editor_client):
    NeverActor.objects.create(name="Date Palms")
    response = paste_article(editor_client, WITH_HEADER, date="", **add_actor("date palms", "person"))
    assert "ruled out as an actor" in errors(response) and Article.objects.count() == 0


def test_staff_without_add_permission_may_not_paste(client, search_index):
    client.force_login(User.objects.create_user("viewer", is_staff=True))
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"text": WITH_HEADER, "_preview": "Preview"}).status_code == 403


def test_change_form_of_an_existing_article_is_unchanged(editor_client, make_article):
    article = make_article(TEXT)
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    assertContains(page, 'name="body"')
    assertContains(page, 'name="headline"')
