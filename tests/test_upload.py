"""The admin's bulk upload: the same ingest as the command, per-file results, limits refused whole, permissions."""

import html
import io
import os
import re
import shutil
import struct
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

import articles.admin
from articles.models import Article, IngestBatch
from articles.upload import LEFTOVER_SECONDS, upload_leftovers_remove, upload_unpack

from .pages import parse, result_rows, results_summary, text_of
from .uploads import GOOD, OTHER, THIRD, UPLOAD_URL, editor, txt, upload, zipped


@pytest.fixture
def editor_client(client, search_index):
    editor(client)
    return client


def rows(response) -> list[tuple[str, str, str]]:
    """The result table as (status, file, article or reason) with whitespace collapsed."""
    page = response.content.decode()
    body = page.split('<table class="ingest-results">', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr class=\"ingest-\w+\">\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", body, re.S)
    return [tuple(" ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in row) for row in cells]


def test_page_states_the_limits_and_posts_files_with_a_csrf_token(editor_client):
    response = editor_client.get(UPLOAD_URL)
    assertContains(response, "At most 200 files and 5.0\xa0MB per upload")
    assertContains(response, "Each file at most 512.0\xa0KB")
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, "csrfmiddlewaretoken")
    assert re.search(r'<input type="file" name="files"[^>]* multiple', response.content.decode())


def test_article_list_links_to_the_upload_page(editor_client):
    assertContains(editor_client.get("/admin/articles/article/"), f'<a href="{UPLOAD_URL}" class="addlink">Upload files</a>', html=True)


def test_mixed_batch_shows_each_files_result_like_the_command(editor_client):
    upload(editor_client, txt("first.txt", GOOD))
    existing = Article.objects.get()
    oversize = (" date 2024-04-09 " + "Words of a very long report. " * (settings.UPLOAD_MAX_FILE_BYTES // 29 + 1)).encode()
    assert len(oversize) > settings.UPLOAD_MAX_FILE_BYTES
    response = upload(
        editor_client,
        txt("new.txt", OTHER),
        txt("again.txt", GOOD.replace("\n", "\r\n")),
        txt("undated.txt", "Just some text with no date header."),
        txt("huge.txt", oversize),
    )
    assert response.status_code == 200
    new = Article.objects.get(source="new.txt")
    assert Article.objects.count() == 2
    assertContains(response, "4 files: 1 ingested, 1 duplicate, 2 refused.")
    assert rows(response) == [
        ("ingested", "new.txt", f"article {new.pk}: {new.headline}"),
        ("duplicate", "again.txt", f"same text as article {existing.pk} (first.txt) — open article {existing.pk}"),
        ("refused", "undated.txt", "no date header at the start of the file (expected ' date YYYY-MM-DD')"),
        ("refused", "huge.txt", "the file is larger than 512 KB"),
    ]
    assertContains(response, f'<a href="/admin/articles/article/{new.pk}/change/">article {new.pk}: {new.headline}</a>', html=True)


def test_refusal_reasons_are_the_commands(editor_client, tmp_path):
    bad = {"empty.txt": b"", "binary.txt": bytes(range(256)) * 4, "impossible.txt": b" date 2024-13-45 Text."}
    response = upload(editor_client, *(txt(name, data) for name, data in bad.items()))
    out = io.StringIO()
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    with pytest.raises(SystemExit):
        call_command("ingest", *(str(tmp_path / name) for name in bad), stdout=out)
    command_reasons = [line.split(": ", 1)[1] for line in out.getvalue().splitlines()[:-1]]
    assert [reason for _, _, reason in rows(response)] == command_reasons


def test_zip_of_txt_files_is_ingested_with_its_entry_names(editor_client):
    archive = zipped("news.zip", {
        "week/": "", "week/a.txt": GOOD, "week/b.TXT": OTHER, "c.txt": "no date",
        "__MACOSX/week/._a.txt": b"\x00\x05\x16\x07", ".DS_Store": b"\x00\x00\x00\x01Bud1",
    })
    response = upload(editor_client, archive, txt("loose.txt", THIRD))
    assertContains(response, "4 files: 3 ingested, 0 duplicate, 1 refused.")
    assert [(status, name) for status, name, _ in rows(response)] == [
        ("ingested", "loose.txt"), ("ingested", "news.zip/week/a.txt"), ("ingested", "news.zip/week/b.TXT"),
        ("refused", "news.zip/c.txt"),
    ]
    assert sorted(Article.objects.values_list("source", flat=True)) == ["a.txt", "b.TXT", "loose.txt"]


def test_same_name_twice_is_two_files(editor_client):
    response = upload(editor_client, txt("a.txt", GOOD), zipped("z.zip", {"x/a.txt": OTHER, "y/a.txt": THIRD}))
    assertContains(response, "3 files: 3 ingested, 0 duplicate, 0 refused.")


BOMB = {"bomb.txt": b" date 2024-04-08 " + b"0" * (30 * 1024 * 1024)}  # ~30 KB zipped


def lying_bomb():
    """The bomb, its headers claiming 1,000 bytes unpacked."""
    data = bytearray(zipped("liar.zip", BOMB).read())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        struct.pack_into("<I", data, data.find(signature) + offset, 1000)
    return txt("liar.zip", bytes(data))


@pytest.mark.parametrize(
    "files, message",
    [
        (lambda: [txt(f"{n}.txt", f" date 2024-04-08 Article number {n}.") for n in range(201)],
         "More than 200 files in one upload."),
        (lambda: [zipped("many.zip", {f"{n}.txt": f" date 2024-04-08 Article {n}." for n in range(201)})],
         "More than 200 files in one upload."),
        (lambda: [txt(f"{n}.txt", b" date 2024-04-08 " + b"x" * (1024 * 1024)) for n in range(5)],
         "The files add up to more than 5.0\xa0MB"),
        (lambda: [zipped("bomb.zip", BOMB)], "The files add up to more than 5.0\xa0MB"),
        (lambda: [lying_bomb()], "“liar.zip” is not a readable zip file (Bad CRC-32"),
        (lambda: [txt("notazip.zip", b"PK not really")], "“notazip.zip” is not a readable zip file"),
        (lambda: [zipped("mixed.zip", {"a.txt": OTHER, "notes.md": "# notes"})],
         "“mixed.zip” holds “notes.md”: a zip may hold only .txt files."),
        (lambda: [zipped("evil.zip", {"a.txt": OTHER, "../../evil.txt": THIRD})],
         "“evil.zip” holds “../../evil.txt”, a path outside the zip."),
        (lambda: [zipped("abs.zip", {"/etc/evil.txt": THIRD})], "a path outside the zip"),
        (lambda: [zipped("locked.zip", {"a.txt": OTHER}, encrypted=True)], "“locked.zip” holds “a.txt”, which is encrypted."),
        (lambda: [zipped("one.zip", {"a.txt": OTHER}), zipped("two.zip", {"b.txt": THIRD})],
         "Upload one .zip at a time."),
        (lambda: [txt("photo.jpg", b"\xff\xd8\xff")], "“photo.jpg” is not a .txt or .zip file."),
    ],
    ids=["201 files", "201 in a zip", "over 5 MB", "zip bomb", "lying zip bomb", "bad zip", "not txt in zip", "path escape",
         "absolute path", "encrypted", "two zips", "not txt"],
)
def test_upload_over_a_limit_is_refused_whole_and_says_why(editor_client, files, message):
    assert_refused(upload(editor_client, txt("good.txt", GOOD), *files()), message)


@pytest.mark.parametrize(
    "files, message",
    [([], "This field is required."), ([zipped("empty.zip", {"folder/": "", "__MACOSX/._x.txt": "x"})], "The upload holds no .txt files.")],
    ids=["nothing", "empty zip"],
)
def test_upload_without_a_txt_file_says_so(editor_client, files, message):
    assert_refused(upload(editor_client, *files), message)


def assert_refused(response, message):
    assert response.status_code == 200
    assertContains(response, "The upload was refused and nothing was imported")
    assertContains(response, message)
    assertNotContains(response, 'class="ingest-results"')
    assert not Article.objects.exists() and not IngestBatch.objects.exists()


def test_django_lets_the_page_refuse_one_file_too_many():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES > settings.UPLOAD_MAX_FILES
    assert settings.FILE_UPLOAD_HANDLERS[0] == "articles.upload.UploadLimitHandler"


def test_uploaded_article_is_searchable_when_upload_returns(editor_client):
    upload(editor_client, zipped("news.zip", {"zurich.txt": GOOD}))
    page = parse(editor_client.get("/search/", {"q": "Zurich"}))
    assert results_summary(page) == "1 result for “Zurich”"
    assert [row.url.partition("?")[0] for row in result_rows(page)] == [Article.objects.get().get_absolute_url()]


def test_staff_without_add_article_may_not_upload(client, search_index):
    user = User.objects.create_user("reader", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.force_login(user)
    assert client.get(UPLOAD_URL).status_code == 403
    assert upload(client, txt("a.txt", GOOD)).status_code == 403
    assert not Article.objects.exists()
    assertNotContains(client.get("/admin/articles/article/"), "Upload files")


def test_logged_out_visitor_is_sent_to_the_login(client, search_index):
    response = upload(client, txt("a.txt", GOOD))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Article.objects.exists()


def test_upload_needs_the_csrf_token(search_index):
    client = Client(enforce_csrf_checks=True)
    editor(client)
    assert upload(client, txt("a.txt", GOOD)).status_code == 403
    page = client.get(UPLOAD_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(UPLOAD_URL, {"csrfmiddlewaretoken": token, "files": [txt("a.txt", GOOD)]})
    assertContains(response, "1 file: 1 ingested, 0 duplicate, 0 refused.")


def test_a_file_name_the_file_system_refuses_is_reported_without_the_servers_paths(editor_client):
    response = upload(editor_client, zipped("long.zip", {"a" * 300 + ".txt": OTHER}))
    assert_refused(response, "The upload could not be unpacked (File name too long).")
    errors = [text_of(item) for item in parse(response).select("ul.errorlist li")]
    assert errors == ["The upload could not be unpacked (File name too long)."]


def left_behind(path: Path, text: str | None = None) -> Path:
    """A file (with text) or a directory (without) that an upload left two leftover ages ago."""
    if text is None:
        path.mkdir(parents=True, exist_ok=True)
    else:
        path.write_text(text)
    when = time.time() - 2 * LEFTOVER_SECONDS
    os.utime(path, (when, when))
    return path


def test_what_killed_uploads_left_is_removed_by_the_next_upload(editor_client, settings, tmp_path):
    settings.UPLOAD_DIR, settings.FILE_UPLOAD_TEMP_DIR = tmp_path, str(tmp_path)
    unpacked = tmp_path / "upload-killed"
    unpacked.mkdir()
    left_behind(unpacked / "a.txt", GOOD)
    left = [left_behind(unpacked), left_behind(tmp_path / "tmpk1ll3d.upload.txt", OTHER)]
    running = tmp_path / "upload-still-running"  # another worker's upload under way: not touched
    running.mkdir()
    response = upload(editor_client, txt("new.txt", THIRD))
    assertContains(response, "1 file: 1 ingested, 0 duplicate, 0 refused.")
    assert not any(path.exists() for path in left)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["upload-still-running"]  # its own files went too


def test_an_uploads_files_on_disk_live_in_the_upload_directory(editor_client, settings, tmp_path, monkeypatch):
    """Django's temporary files for large uploads and the unpacked files both, so a sweep finds them."""
    settings.UPLOAD_DIR, settings.FILE_UPLOAD_TEMP_DIR = tmp_path, str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # every file larger: on disk, as a large file would be
    seen = []

    def unpack(*, uploads, directory):
        seen.append((Path(directory).parent, [Path(file.temporary_file_path()).parent for file in uploads]))
        return upload_unpack(uploads=uploads, directory=directory)

    monkeypatch.setattr(articles.admin, "upload_unpack", unpack)
    response = upload(editor_client, txt("a.txt", GOOD), zipped("z.zip", {"b.txt": OTHER}))
    assertContains(response, "2 files: 2 ingested, 0 duplicate, 0 refused.")
    assert seen == [(tmp_path, [tmp_path, tmp_path])]
    assert list(tmp_path.iterdir()) == []


def test_the_sweep_keeps_recent_entries_and_counts_what_it_removed(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path
    (tmp_path / "upload-old" / "inner").mkdir(parents=True)
    (tmp_path / "upload-old" / "inner" / "x.txt").write_text("x")
    left_behind(tmp_path / "upload-old")
    left_behind(tmp_path / "tmpold.upload.txt", "y")
    (tmp_path / "tmpnew.upload.txt").write_text("z")
    assert upload_leftovers_remove() == 2
    assert [path.name for path in tmp_path.iterdir()] == ["tmpnew.upload.txt"]
    assert upload_leftovers_remove(older_than=0) == 1 and list(tmp_path.iterdir()) == []


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_upload(editor_client, settings, tmp_path, monkeypatch, caplog):
    settings.UPLOAD_DIR, settings.FILE_UPLOAD_TEMP_DIR = tmp_path, str(tmp_path)
    stuck = left_behind(tmp_path / "upload-stuck")

    def refuse(path, *args, **kwargs):
        if Path(path) == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        return real_rmtree(path, *args, **kwargs)

    real_rmtree = shutil.rmtree
    monkeypatch.setattr(shutil, "rmtree", refuse)
    response = upload(editor_client, txt("a.txt", GOOD))
    assertContains(response, "1 file: 1 ingested, 0 duplicate, 0 refused.")
    assert [path.name for path in tmp_path.iterdir()] == ["upload-stuck"]
    assert "could not remove" in caplog.text and "upload-stuck" in caplog.text


def test_an_upload_directory_removed_while_serving_is_made_again(editor_client, settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "gone"
    response = upload(editor_client, txt("a.txt", GOOD))
    assertContains(response, "1 file: 1 ingested, 0 duplicate, 0 refused.")
    assert list((tmp_path / "gone").iterdir()) == []
