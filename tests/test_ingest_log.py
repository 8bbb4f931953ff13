"""The ingest log: every run of the command and every upload is a batch with its per-file results, read-only in the admin."""

import getpass
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, IngestBatch, IngestFileResult
from articles.roles import CHIEF_EDITORS

from .uploads import GOOD, editor, txt, upload, zipped

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"
BATCHES = "/admin/articles/ingestbatch/"
FILES = "/admin/articles/ingestfileresult/"


def ingest(*paths):
    try:
        call_command("ingest", *map(str, paths), stdout=io.StringIO())
    except SystemExit:
        pass


@pytest.fixture
def editor_client(client, search_index):
    editor(client)
    return client


def test_command_run_is_logged_with_the_system_user_and_each_file(search_index, tmp_path):
    (tmp_path / "undated.txt").write_text("no date here")
    ingest(SEEDS, tmp_path / "undated.txt", tmp_path / "missing.txt")
    batch = IngestBatch.objects.get()
    assert (batch.origin, batch.user, batch.run_by) == ("command", None, getpass.getuser())
    assert (batch.files, batch.ingested, batch.duplicate, batch.refused) == (4, 2, 0, 2)
    assert batch.finished >= batch.started
    assert [(r.name, r.status, r.article) for r in batch.results.all()] == [
        (str(tmp_path / "missing.txt"), "refused", None),
        *((str(path), "ingested", Article.objects.get(source=path.name)) for path in sorted(SEEDS.glob("*.txt"))),
        (str(tmp_path / "undated.txt"), "refused", None),
    ]
    assert batch.results.get(status="refused", name__endswith="undated.txt").reason.startswith("no date header")


def test_rerun_logs_a_batch_of_duplicates_pointing_at_the_stored_articles(search_index):
    ingest(SEEDS)
    ingest(SEEDS)
    rerun = IngestBatch.objects.first()  # newest first
    assert (rerun.ingested, rerun.duplicate) == (0, 2)
    assert set(rerun.results.values_list("article", flat=True)) == set(Article.objects.values_list("pk", flat=True))


def test_upload_is_logged_with_the_editor(editor_client):
    upload(editor_client, zipped("week.zip", {"a.txt": GOOD}), txt("b.txt", "no date"))
    batch = IngestBatch.objects.get()
    user = User.objects.get(username="ed")
    assert (batch.origin, batch.user, batch.run_by) == ("upload", user, "ed")
    assert [(r.name, r.status) for r in batch.results.all()] == [("b.txt", "refused"), ("week.zip/a.txt", "ingested")]


def test_log_lists_batches_with_who_origin_and_counts_filterable_by_origin_and_status(editor_client):
    ingest(SEEDS)
    upload(editor_client, txt("a.txt", GOOD), txt("b.txt", "no date"))
    html = editor_client.get(BATCHES).content.decode()
    assert "Command line" in html and "Upload" in html and getpass.getuser() in html and ">ed<" in html
    for query, expected in [
        ({"origin": "upload"}, {"upload"}),
        ({"origin": "command"}, {"command"}),
        ({"files": "refused"}, {"upload"}),
        ({"files": "ingested"}, {"upload", "command"}),
        ({"files": "duplicate"}, set()),
    ]:
        response = editor_client.get(BATCHES, query)
        assert {batch.origin for batch in response.context["cl"].result_list} == expected, query
    refused = editor_client.get(FILES, {"status": "refused"})
    assert [r.name for r in refused.context["cl"].result_list] == ["b.txt"]
    assertContains(refused, "no date header")


def test_batch_page_shows_its_results_with_links_to_the_articles(editor_client):
    upload(editor_client, txt("a.txt", GOOD), txt("b.txt", "no date"), txt("c.txt", GOOD))
    batch, article = IngestBatch.objects.get(), Article.objects.get()
    response = editor_client.get(f"{BATCHES}{batch.pk}/change/")
    assertContains(response, "3 files: 1 ingested, 1 duplicate, 1 refused.")
    link = f'<a href="/admin/articles/article/{article.pk}/change/">article {article.pk}: {article.headline}</a>'
    assertContains(response, link, html=True)
    assertContains(response, "no date header at the start of the file")
    assertContains(response, f"same text as article {article.pk} (a.txt)")
    assertNotContains(response, 'name="_save"')  # read-only


def test_deleting_an_article_keeps_its_line_in_the_log(editor_client):
    upload(editor_client, txt("a.txt", GOOD))
    Article.objects.get().delete()
    result = IngestFileResult.objects.get()
    assert result.article is None and result.status == "ingested"
    assertContains(editor_client.get(f"{BATCHES}{result.batch_id}/change/"), "an article since deleted")


@pytest.mark.parametrize("role", ["editor", "chief", "superuser"])
def test_nobody_adds_changes_or_deletes_log_entries(search_index, role):
    client = Client()
    if role == "superuser":
        client.force_login(User.objects.create_superuser("root", password=None))
    else:
        user = editor(client, "someone")
        if role == "chief":
            user.groups.set([Group.objects.get(name=CHIEF_EDITORS)])
    ingest(SEEDS)
    batch, result = IngestBatch.objects.get(), IngestFileResult.objects.first()
    assert client.get(f"{BATCHES}{batch.pk}/change/").status_code == 200
    assert client.get(f"{FILES}{result.pk}/change/").status_code == 200
    assert client.get(f"{BATCHES}add/").status_code == 403
    assert client.post(f"{BATCHES}{batch.pk}/change/", {"run_by": "someone else"}).status_code == 403
    assert client.post(f"{BATCHES}{batch.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{FILES}{result.pk}/delete/", {"post": "yes"}).status_code == 403
    assert IngestBatch.objects.get().run_by == batch.run_by and IngestFileResult.objects.count() == 2


def test_staff_without_the_log_permission_does_not_see_it(client, search_index):
    client.force_login(User.objects.create_user("outsider", is_staff=True))
    assert client.get(BATCHES).status_code == 403

