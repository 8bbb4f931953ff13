"""Similar versions of an article: recognised at ingest and in the admin, shown once, promoted on delete."""

import csv
import importlib
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from articles.search.consistency import index_differences
from articles.models import Article, ArticleBand

from .admin_forms import article_form
from .test_paste import paste_article
from .test_similarity import EDITED_AND_SIGNED, ONE_SENTENCE_CHANGED, ORIGINAL, SAME_EVENT, SIGNED_OFF


def ingest(tmp_path, **texts) -> list[str]:
    """Write each text as <name>.txt with a date header, ingest them in name order; return the file lines."""
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(f" date 2024-01-16 {text}", encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", *(str(tmp_path / f"{name}.txt") for name in texts), stdout=out)
    return out.getvalue().splitlines()[:-1]


def article(name: str) -> Article:
    return Article.objects.get(source=f"{name}.txt")


def results(client, **params) -> dict:
    return json.loads(client.get("/search/", {**params, "format": "json"}).content)


def versions_link(original: Article, n: int) -> str:
    return f'<a class="result__versions" href="{original.get_absolute_url()}#versions">+{n} similar version{"s" if n > 1 else ""}</a>'


@pytest.fixture
def original_and_copy(search_index, tmp_path):
    lines = ingest(tmp_path, a_original=ORIGINAL, b_copy=EDITED_AND_SIGNED)
    return lines, article("a_original"), article("b_copy")


def test_ingest_says_which_article_a_copy_is_a_version_of(original_and_copy):
    lines, original, copy = original_and_copy
    assert lines[0].startswith("ingested") and "similar version" not in lines[0]
    assert lines[1].startswith("ingested") and lines[1].endswith(f"(similar version of article {original.pk})")
    assert copy.version_of == original and original.version_of is None
    assert ArticleBand.objects.filter(article=copy).count() == 20
    assert not index_differences()


def test_exact_duplicate_is_still_refused_by_its_fingerprint(original_and_copy, tmp_path):
    (tmp_path / "c_again.txt").write_text(f" date 2024-01-16 {ORIGINAL}  ", encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(tmp_path / "c_again.txt"), stdout=out)
    assert out.getvalue().startswith(f"duplicate {tmp_path / 'c_again.txt'}: same text as article {original_and_copy[1].pk}")


@pytest.mark.parametrize("params", [{"q": "Balticconnector"}, {}, {"q": "cable", "sort": "oldest"}], ids=["index", "database", "index-sorted"])
def test_a_group_is_one_result_with_its_version_count(client, original_and_copy, params):
    _, original, copy = original_and_copy
    response = client.get("/search/", params)
    assert response.content.decode().count('class="result"') == 1
    assertContains(response, versions_link(original, 1), html=True)
    assertNotContains(response, copy.get_absolute_url())
    data = results(client, **params)
    assert data["count"] == 1
    assert [(row["id"], row["versions"]) for row in data["results"]] == [(original.pk, 1)]
    assert set(data["facets"]["actors"].values()) == {1}  # each group counted once
    assert sum(data["facets"]["months"].values()) == 1


@pytest.mark.parametrize("params", [{"q": "Balticconnector"}, {}], ids=["index", "database"])
def test_exports_list_a_group_once(client, original_and_copy, params):
    response = client.get("/search/", {**params, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["url"] for row in rows] == [f"http://testserver{original_and_copy[1].get_absolute_url()}"]
    feed = client.get("/search/", {**params, "format": "atom"}).content.decode()
    assert feed.count("<entry>") == 1


def test_article_pages_list_the_other_versions(client, original_and_copy):
    _, original, copy = original_and_copy
    response = client.get(original.get_absolute_url())
    assertContains(response, '<h2 id="versions-heading">Other versions of this article</h2>', html=True)
    assertContains(response, f'<a href="{copy.get_absolute_url()}">{copy.headline}</a>', html=True)
    response = client.get(copy.get_absolute_url())
    assertContains(response, f'<a href="{original.get_absolute_url()}">{original.headline}</a>', html=True)
    assertContains(response, "(original)")


def test_another_report_of_the_same_event_is_its_own_result(client, search_index, tmp_path):
    lines = ingest(tmp_path, a_original=ORIGINAL, b_other=SAME_EVENT)
    assert not any("similar version" in line for line in lines)
    assert results(client, q="Kallas")["count"] == 2


def test_copy_of_a_copy_points_at_the_original(search_index, tmp_path):
    ingest(tmp_path, a_original=ORIGINAL, b_copy=SIGNED_OFF, c_copy=SIGNED_OFF.replace("Alison Williams", "Toby Chopra"))
    assert article("c_copy").version_of == article("a_original")


def test_deleting_the_original_promotes_the_oldest_version(client, search_index, tmp_path):
    ingest(tmp_path, a_original=ORIGINAL, b_copy=EDITED_AND_SIGNED, c_copy=SIGNED_OFF)
    article("a_original").delete()
    promoted, other = article("b_copy"), article("c_copy")
    assert promoted.version_of is None and other.version_of == promoted
    for params in ({"q": "Balticconnector"}, {}):
        data = results(client, **params)
        assert [(row["id"], row["versions"]) for row in data["results"]] == [(promoted.pk, 1)], params
    assert not index_differences()


def test_deleting_a_version_keeps_the_original(client, search_index, tmp_path):
    ingest(tmp_path, a_original=ORIGINAL, b_copy=EDITED_AND_SIGNED)
    article("b_copy").delete()
    assert [(row["id"], row["versions"]) for row in results(client, q="Balticconnector")["results"]] == [(article("a_original").pk, 0)]


@pytest.fixture
def editor_client(client, search_index):
    client.force_login(User.objects.create_user("editor", password="x-unused-x", is_staff=True, is_superuser=True))
    return client


def test_admin_added_copy_is_recognised(editor_client, tmp_path):
    ingest(tmp_path, a_original=ORIGINAL)
    original = article("a_original")
    response = paste_article(editor_client, ONE_SENTENCE_CHANGED, source="desk.txt")
    assert response.status_code == 302
    copy = article("desk")
    assert copy.version_of == original
    data = results(editor_client, q="Balticconnector")
    assert [(row["id"], row["versions"]) for row in data["results"]] == [(original.pk, 1)]
    # The editor sees which article it is a version of (read-only).
    assertContains(editor_client.get(f"/admin/articles/article/{copy.pk}/change/"), f"/admin/articles/article/{original.pk}/change/")


def test_admin_edit_away_from_the_original_makes_it_its_own_article(editor_client, tmp_path):
    ingest(tmp_path, a_original=ORIGINAL, b_copy=EDITED_AND_SIGNED)
    copy = article("b_copy")
    response = editor_client.post(
        f"/admin/articles/article/{copy.pk}/change/",
        article_form(copy, headline=copy.headline, body=SAME_EVENT, source=copy.source),
    )
    assert response.status_code == 302
    assert article("b_copy").version_of is None
    assert results(editor_client, q="Kallas")["count"] == 2
    assert not index_differences()


def test_admin_delete_of_the_original_promotes_its_version(editor_client, tmp_path):
    ingest(tmp_path, a_original=ORIGINAL, b_copy=EDITED_AND_SIGNED)
    response = editor_client.post(f"/admin/articles/article/{article('a_original').pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert article("b_copy").version_of is None
    assert results(editor_client, q="Balticconnector")["count"] == 1


def test_migration_groups_articles_stored_before_it(search_index, make_article):
    migration = importlib.import_module("articles.migrations.0004_near_duplicates")
    original = make_article(ORIGINAL, source="a.txt")
    other = make_article(SAME_EVENT, source="b.txt")
    copy = make_article(EDITED_AND_SIGNED, source="c.txt")
    migration.group_existing_articles(apps, None)
    copy.refresh_from_db()
    assert copy.version_of == original and Article.objects.filter(version_of__isnull=False).count() == 1
    assert ArticleBand.objects.filter(article=other).count() == 20
    assert bytes(Article.objects.get(pk=original.pk).signature)


def test_related_articles_leave_out_the_articles_own_versions(client, search_index, make_article):
    from articles.models import Article
    from articles.search.selectors import related_articles

    actors = [("Vladimir Putin", "person", "vladimir-putin"), ("Xi Jinping", "person", "xi-jinping")]
    original = make_article("Xi Jinping and Vladimir Putin met in Beijing to talk about trade and gas.", actors=actors)
    copy = make_article("Xi Jinping and Vladimir Putin met in Beijing to talk about trade and gas. Reporting by A. Writer.", actors=actors)
    Article.objects.filter(pk=copy.pk).update(version_of=original)
    other = make_article("Vladimir Putin and Xi Jinping spoke by phone about Ukraine.", date="2024-05-01", actors=actors)
    assert related_articles(original) == [other]
