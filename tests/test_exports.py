"""Following and taking away a view: Atom feed, CSV and JSON lines of all matches, as_of citations."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article

ATOM = "{http://www.w3.org/2005/Atom}"


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(text: str) -> tuple[dict, list[dict]]:
    """Split an export into its '# key: value' header and its rows."""
    lines = text.splitlines()
    header = dict(line[2:].split(": ", 1) if ": " in line else (line[2:].rstrip(":"), "") for line in lines if line.startswith("# "))
    body = [line for line in lines if not line.startswith("# ")]
    return header, list(csv.DictReader(io.StringIO("\n".join(body))))


def test_csv_exports_every_match_not_just_one_page(client, search_index, make_article, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    for n in range(5):
        make_article(f"Pipeline report {n} from Geneva.", date=f"2024-01-0{n + 1}", actors=[("Vladimir Putin", "person", "vladimir-putin")])
    for params in ({"q": "pipeline"}, {"actor": "vladimir-putin"}):
        response = client.get("/search/", {**params, "format": "csv", "page": "2"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        header, rows = csv_rows(streamed(response))
        assert len(rows) == 5, params
        assert set(rows[0]) == {"date", "headline", "url", "source", "actors", "topics"}
        assert rows[0]["actors"] == "Vladimir Putin"
        assert rows[0]["url"].startswith("http://testserver/articles/")


def test_csv_is_in_the_view_order_and_names_the_query(client, small_archive):
    response = client.get("/search/", {"q": "gas", "sort": "oldest", "format": "csv"})
    today = timezone.now().strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="newsdesk-gas-{today}.csv"'
    header, rows = csv_rows(streamed(response))
    assert [row["date"] for row in rows] == ["2023-02-10", "2024-05-16"]
    assert header["query"] == "gas"
    assert header["view"] == "http://testserver/search/?q=gas&sort=oldest"


def test_jsonl_has_a_header_line_then_one_article_per_line(client, small_archive):
    response = client.get("/search/", {"topic": "energy", "as_of": "2030-01-01", "format": "jsonl"})
    lines = [json.loads(line) for line in streamed(response).splitlines()]
    assert lines[0]["export"]["filters"] == "topic: Energy, as of 2030-01-01"
    assert lines[0]["export"]["as_of"] == "2030-01-01"
    assert {line["id"] for line in lines[1:]} == {small_archive["gas"].pk, small_archive["html"].pk}
    assert {"name": "Energy", "slug": "energy"} in lines[1]["topics"]


def test_atom_feed_is_valid_atom_with_newest_entries(client, small_archive):
    response = client.get("/search/", {"q": "officials", "format": "atom"})
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/search/?q=officials&format=atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        small_archive[key].headline for key in ("gas", "summit", "nato", "html")
    ]
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    assert "<script>" not in response.content.decode().replace("&lt;script&gt;", "")


def test_search_page_announces_its_feed(client, small_archive):
    html = client.get("/search/", {"q": "gas", "topic": "energy"}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="Newsdesk: “gas”, topic: Energy" href="/search/?q=gas&amp;topic=energy&amp;format=atom">' in html
    assert 'href="/search/?q=gas&amp;topic=energy&amp;format=csv"' in html


@pytest.mark.parametrize("path", ["/actors/vladimir-putin/", "/topics/energy/"])
def test_actor_and_topic_pages_announce_feeds(client, small_archive, path):
    html = client.get(path).content.decode()
    assert 'type="application/atom+xml"' in html and "format=atom" in html


@pytest.mark.parametrize("q", ["", "officials"])
def test_as_of_leaves_out_articles_added_later(client, small_archive, q):
    late = small_archive["nato"]
    Article.objects.filter(pk=late.pk).update(created=timezone.now() + datetime.timedelta(days=3))
    from articles.search.indexing import index_enqueue

    index_enqueue([late.pk])  # update() sends no signal; queue it by hand
    today = timezone.now().date().isoformat()
    data = json.loads(client.get("/search/", {"q": q, "as_of": today, "format": "json"}).content)
    assert late.pk not in [row["id"] for row in data["results"]]
    assert data["count"] == 3
    later = (timezone.now() + datetime.timedelta(days=5)).date().isoformat()
    assert json.loads(client.get("/search/", {"q": q, "as_of": later, "format": "json"}).content)["count"] == 4


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, search_index, make_article):
    make_article("=HYPERLINK(\"http://evil.example\",\"click\") is what the leaked memo said about gas.", headline="=HYPERLINK(\"http://evil.example\")")
    make_article("+1 for the gas deal, officials said.", headline="+1 for the gas deal")
    _, rows = csv_rows(streamed(client.get("/search/", {"q": "gas", "format": "csv"})))
    assert {row["headline"] for row in rows} == {"'=HYPERLINK(\"http://evil.example\")", "'+1 for the gas deal"}
