"""`manage.py ingest`: one line per file, exit status, duplicates, refusals, and the index afterwards."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.search.consistency import index_differences
from articles.models import Article

from .pages import parse, result_rows, results_summary

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"
GOOD = " date 2024-04-08 Officials in Zürich met at the Café Europa to discuss sanctions.\n\nTalks went on."


def ingest(*paths) -> tuple[int, list[str]]:
    """Run the command; return its exit status and output lines."""
    out = io.StringIO()
    try:
        call_command("ingest", *map(str, paths), stdout=out)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue().splitlines()


def write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def test_ingests_seeds_with_actors_topics_and_index(search_index, default_topics):
    status, lines = ingest(SEEDS)
    assert status == 0
    assert [line.split()[0] for line in lines[:-1]] == ["ingested", "ingested"]
    assert lines[-1] == "2 files: 2 ingested, 0 duplicate, 0 refused."
    article = Article.objects.get(source="004_90fb6c69043197d8.txt")
    assert {"Sergei Lavrov", "Wang Yi", "Russia", "China"} <= set(article.actors.values_list("name", flat=True))
    assert article.topics.exists()
    assert not index_differences()


def test_rerun_on_same_files_is_a_no_op(search_index):
    ingest(SEEDS)
    status, lines = ingest(SEEDS)
    assert status == 0
    assert [line.split()[0] for line in lines[:-1]] == ["duplicate", "duplicate"]
    assert Article.objects.count() == 2


@pytest.mark.parametrize(
    "name, data",
    [
        ("bom.txt", b"\xef\xbb\xbf" + GOOD.encode()),
        ("crlf.txt", GOOD.replace("\n", "\r\n").encode()),
        ("cr.txt", GOOD.replace("\n", "\r").encode()),
        ("trailing.txt", GOOD.replace("\n", "   \n").encode() + b"  \n\n"),
        ("latin1.txt", GOOD.encode("cp1252")),
    ],
)
def test_same_article_in_other_bytes_is_duplicate(search_index, tmp_path, name, data):
    ingest(write(tmp_path, "original.txt", GOOD.encode()))
    status, lines = ingest(write(tmp_path, name, data))
    assert status == 0
    assert lines[0].startswith(f"duplicate {tmp_path / name}: same text as article")
    assert Article.objects.count() == 1


def test_latin1_and_curly_quotes_come_out_right(search_index, tmp_path):
    text = " date April 8, 2024 “Café” owners in Zürich said they’re worried — again.\n\nMore text."
    ingest(write(tmp_path, "w1252.txt", text.encode("cp1252")))
    article = Article.objects.get()
    assert article.body.startswith("“Café” owners in Zürich said they’re worried — again.")
    assert article.date.isoformat() == "2024-04-08"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b" date 2024-13-45 Text after an impossible date.", "impossible date"),
        (b"Just some text with no date header.", "no date header"),
        (b"", "empty"),
        (b" date 2024-04-08   \n\n  ", "no article text after the date"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_refuses_bad_file_with_reason_and_exit_status_1(search_index, tmp_path, data, reason):
    path = write(tmp_path, "bad.txt", data)
    status, lines = ingest(path)
    assert status == 1
    assert lines[0].startswith(f"refused   {path}:")
    assert reason in lines[0]
    assert lines[-1] == "1 file: 0 ingested, 0 duplicate, 1 refused."
    assert Article.objects.count() == 0


def test_refused_file_does_not_stop_the_others(search_index, tmp_path):
    write(tmp_path, "a_bad.txt", b"no date here")
    write(tmp_path, "b_good.txt", GOOD.encode())
    nested = tmp_path / "more"
    nested.mkdir()
    shutil.copy(SEEDS / "000_54d169e487e0cee8.txt", nested)
    write(tmp_path, "notes.md", b"not an article")  # only *.txt are taken from directories
    status, lines = ingest(tmp_path)
    assert status == 1
    assert [line.split()[0] for line in lines[:-1]] == ["refused", "ingested", "ingested"]
    assert Article.objects.count() == 2
    assert not index_differences()


def test_missing_path_is_refused(search_index, tmp_path):
    status, lines = ingest(tmp_path / "nope.txt")
    assert status == 1
    assert "no such file or directory" in lines[0]


def test_html_looking_text_is_stored_verbatim(search_index, tmp_path):
    ingest(write(tmp_path, "html.txt", b" date 2024-04-08 <b>Bold</b> claims & <script>alert(1)</script> here."))
    assert Article.objects.get().body == "<b>Bold</b> claims & <script>alert(1)</script> here."


def test_ingested_article_is_searchable_when_command_returns(client, search_index, tmp_path):
    ingest(write(tmp_path, "z.txt", GOOD.encode()))
    page = parse(client.get("/search/", {"q": "Zurich"}))
    assert results_summary(page) == "1 result for “Zurich”"
    assert [row.url.partition("?")[0] for row in result_rows(page)] == [Article.objects.get().get_absolute_url()]
