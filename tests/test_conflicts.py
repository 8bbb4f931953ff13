"""Two editors on one article: the second, stale form is refused with what changed, and nothing is overwritten."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from articles.curation import actor_merge
from articles.models import Actor, Article

from .pages import parse, text_of

TEXT = (
    " date 2024-04-08 Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing on Thursday.\n\n"
    "The talks covered grain exports and sanctions.\n\n"
    "Officials said a second round would follow in May."
)


@pytest.fixture
def article(search_index, default_topics, tmp_path):
    path = tmp_path / "lavrov.txt"
    path.write_text(TEXT)
    call_command("ingest", str(path), stdout=io.StringIO())
    return Article.objects.get()


def editor(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.create_user(username, is_staff=True, is_superuser=True))
    return client


def opened_form(client: Client, article: Article) -> dict:
    return submitted_fields(client.get(f"/admin/articles/article/{article.pk}/change/"))


def submitted_fields(response, form_selector: str = "form#article_form") -> dict[str, list[str]]:
    """The change form's fields as the browser would submit them untouched (select boxes: every selected option)."""
    form = parse(response).select_one(form_selector)
    data: dict[str, list[str]] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "select":
            values = [option["value"] for option in field.select("option[selected]")]
        elif field.name == "textarea":
            values = [field.get_text().removeprefix("\n")]
        elif field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        elif field.get("type") in ("submit", "button", "file"):
            continue
        else:
            values = [field.get("value", "")]
        data.setdefault(field["name"], []).extend(values)
    return data


def save(client: Client, article: Article, form: dict):
    return client.post(f"/admin/articles/article/{article.pk}/change/", form)


def with_paragraph(form: dict, index: int, text: str) -> dict:
    paragraphs = form["body"][0].replace("\r\n", "\n").split("\n\n")
    paragraphs[index] = text
    return {**form, "body": ["\n\n".join(paragraphs)]}


def errors(response) -> list[str]:
    return [text_of(item) for item in parse(response).select("form#article_form ul.errorlist.nonfield li")]


def test_the_second_editors_stale_form_is_refused_and_the_first_edit_kept(article):
    alice, bob = editor("alice"), editor("bob")
    alices_form, bobs_form = opened_form(alice, article), opened_form(bob, article)

    assert save(alice, article, with_paragraph(alices_form, 1, "The talks covered wheat exports.")).status_code == 302
    response = save(bob, article, with_paragraph(bobs_form, 2, "Officials said nothing more."))

    assert response.status_code == 200
    [error] = errors(response)
    assert error.startswith("Not saved: alice changed this article at ")
    assert "(changed: body)" in error
    links = parse(response).select("form#article_form ul.errorlist.nonfield li a")
    assert [link["href"] for link in links] == [
        f"/admin/articles/article/{article.pk}/history/", f"/admin/articles/article/{article.pk}/change/",
    ]
    article.refresh_from_db()
    assert article.body.split("\n\n")[1:] == ["The talks covered wheat exports.", "Officials said a second round would follow in May."]
    # Bob's edit is still in the form he sees again.
    assert "Officials said nothing more." in parse(response).select_one("textarea[name=body]").get_text()


def test_saving_the_refused_form_again_is_a_deliberate_overwrite(article):
    alice, bob = editor("alice"), editor("bob")
    alices_form, bobs_form = opened_form(alice, article), opened_form(bob, article)
    save(alice, article, with_paragraph(alices_form, 1, "The talks covered wheat exports."))
    refused = save(bob, article, with_paragraph(bobs_form, 2, "Officials said nothing more."))

    assert save(bob, article, submitted_fields(refused)).status_code == 302
    article.refresh_from_db()
    assert article.body.split("\n\n")[1:] == ["The talks covered grain exports and sanctions.", "Officials said nothing more."]


def test_actors_changed_by_a_merge_meanwhile_are_not_put_back(article):
    bob = editor("bob")
    bobs_form = opened_form(bob, article)
    wang = Actor.objects.get(name="Wang Yi")
    survivor = Actor.objects.create(name="Wang Yi (diplomat)", kind="person", slug="wang-yi-diplomat")
    actor_merge(survivor=survivor, merged=wang)

    response = save(bob, article, {**bobs_form, "headline": ["Lavrov and Wang meet in Beijing"]})

    assert response.status_code == 200
    [error] = errors(response)
    assert error.startswith("Not saved: a command changed this article") and "(changed: actors)" in error
    assert survivor in Article.objects.get().actors.all()


def test_an_editor_alone_saves_as_before(article):
    alice = editor("alice")
    for headline in ("Lavrov meets Wang", "Lavrov meets Wang Yi"):
        form = opened_form(alice, article)
        assert save(alice, article, {**form, "headline": [headline]}).status_code == 302
    assert Article.objects.get().headline == "Lavrov meets Wang Yi"


# Actors and topics: the same, on their own change forms.

@pytest.mark.parametrize("model, changes", [
    ("actor", ({"description": ["China's government."]}, {"aliases": ["PRC"]})),
    ("topic", ({"description": ["Trade and tariffs."]}, {"keywords": ["tariff"]})),
])
def test_a_stale_actor_or_topic_form_is_refused_and_the_first_edit_kept(article, model, changes):
    label = Actor.objects.get(name="China") if model == "actor" else Article.objects.get().topics.first()
    url = f"/admin/articles/{model}/{label.pk}/change/"
    alice, bob = editor("alice"), editor("bob")
    alices_form = submitted_fields(alice.get(url), f"form#{model}_form")
    bobs_form = submitted_fields(bob.get(url), f"form#{model}_form")
    first, second = changes
    assert alice.post(url, {**alices_form, **first}).status_code == 302

    refused = bob.post(url, {**bobs_form, **second})
    assert refused.status_code == 200
    [error] = [text_of(item) for item in parse(refused).select(f"form#{model}_form ul.errorlist.nonfield li")]
    field = next(iter(first))
    assert error.startswith(f"Not saved: alice changed this {model} at ") and f"(changed: {field})" in error
    label.refresh_from_db()
    assert getattr(label, field) == first[field][0]
    # Saving the form shown again is deliberate: bob's version wins.
    assert bob.post(url, submitted_fields(refused, f"form#{model}_form")).status_code == 302
    label.refresh_from_db()
    [(other_field, [value])] = second.items()
    assert getattr(label, other_field) == value
