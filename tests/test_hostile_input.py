"""Hostile input, generated: no page answers 5xx, shows a traceback or renders input markup; ingest never crashes."""

import csv
import io
import json
import string
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from django.contrib.auth.models import User

from articles.ingest import ArticleRefused, read_article
from savedviews.models import SavedView

from .conftest import PUTIN

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
NASTY = st.sampled_from([
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "=cmd|' /C calc'!A0", "\x00", "\u202e",
    "OR", "-", "*", '"', "headline:", "a" * 2000, "%00", "../../etc/passwd", "' OR 1=1 --", "🙂" * 50,
])
VALUES = st.one_of(ANY_TEXT, NASTY, st.text(string.printable, max_size=60))
PARAMS = ["q", "from", "to", "actor", "topic", "actor_any", "actor_not", "topic_any", "topic_not", "sort", "page", "as_of", "format", "hl"]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    assert "Traceback" not in text
    assert "<script>alert(1)" not in text and "<img src=x" not in text


@FAST
@given(params=st.dictionaries(st.sampled_from(PARAMS), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=6))
def test_search_survives_any_parameters(client, small_archive, params):
    params = {key: value for key, value in params.items() if key != "format" or value in ("json", "csv", "jsonl", "atom", "")}
    assert_safe(client.get("/search/", params))


@FAST
@given(hl=VALUES, page=VALUES)
def test_article_and_label_pages_survive_any_parameters(client, small_archive, hl, page):
    assert_safe(client.get(small_archive["html"].get_absolute_url(), {"hl": hl}))
    assert_safe(client.get("/actors/vladimir-putin/", {"page": page}))
    assert_safe(client.get("/topics/energy/", {"page": page}))


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=400), ANY_TEXT.map(lambda t: (" date 2024-04-08 " + t).encode("utf-8", "surrogatepass"))))
def test_reading_any_bytes_gives_an_article_or_a_reason(raw):
    try:
        article = read_article(raw)
    except ArticleRefused as refusal:
        assert refusal.reason and "Traceback" not in refusal.reason
    else:
        assert article.body and article.fingerprint


# Control characters and extreme dates: every format answers, with what the view holds.

ATOM = "{http://www.w3.org/2005/Atom}"


def body_of(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def atom_titles(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [entry.findtext(f"{ATOM}title") for entry in ElementTree.fromstring(body_of(response)).findall(f"{ATOM}entry")]


def test_ingest_drops_control_characters_but_keeps_paragraphs():
    raw = (" date 2024-04-08 \x1b[1;31mOfficials\x1b[0m said\x7f that gas\x01 flows\x9b resumed on Monday.\x1bM\n\n"
           "Second\tparagraph here, long enough for a few control characters not to look like binary data.").encode("utf-8")
    article = read_article(raw)
    assert article.body == ("Officials said that gas flows resumed on Monday.\n\n"
                            "Second paragraph here, long enough for a few control characters not to look like binary data.")
    assert article.headline == "Officials said that gas flows resumed on Monday."


def test_an_article_with_control_characters_leaves_every_feed_readable(client, small_archive, make_article):
    # Stored before ingest cleaned text (or written around it): the feeds must still be XML.
    make_article("Putin\x1b said\x01 gas \x0bdeliveries resume.", date="2024-06-01", actors=[PUTIN])
    alice = User.objects.create_user("alice")
    saved = SavedView.objects.create(owner=alice, name="Putin \x1b feed", params="actor=vladimir-putin",
                                     last_opened=small_archive["gas"].created)
    expected = "Putin said gas deliveries resume."
    assert atom_titles(client.get("/search/", {"format": "atom"}))[0] == expected
    assert atom_titles(client.get("/search/", {"format": "atom", "actor": "vladimir-putin"}))[0] == expected
    assert atom_titles(client.get(saved.feed_url()))[0] == expected


@pytest.mark.parametrize("q", ["gas\x01", "gas\x00", "\x1bgas", "gas\x00\x01\x1b"])
@pytest.mark.parametrize("export", ["atom", "csv", "jsonl", "json", ""])
def test_control_characters_in_the_query_are_dropped_in_every_format(client, small_archive, q, export):
    response = client.get("/search/", {"q": q, "format": export} if export else {"q": q})
    assert response.status_code == 200
    text = body_of(response)
    assert "\x00" not in text and "\x01" not in text and "\x1b" not in text
    if export == "atom":
        assert atom_titles(response) == [small_archive["gas"].headline, small_archive["html"].headline]  # newest first
    if export == "json":
        assert json.loads(text)["count"] == 2


EXTREME_DATES = [
    ({"as_of": "9999-12-31"}, 4),
    ({"as_of": "0001-01-01"}, 0),
    ({"from": "0001-01-01", "to": "9999-12-31"}, 4),
    ({"from": "0001-01-01", "to": "0001-01-01"}, 0),
    ({"from": "9999-12-31"}, 0),
]


@pytest.mark.parametrize("params, expected", EXTREME_DATES)
@pytest.mark.parametrize("q", ["", "officials"])
def test_extreme_dates_answer_with_the_views_articles(client, small_archive, params, expected, q):
    params = {**params, "q": q} if q else params  # every article says "officials"
    data = json.loads(client.get("/search/", {**params, "format": "json"}).content)
    assert data["count"] == expected
    page = client.get("/search/", params)
    assert page.status_code == 200
    csv_rows = list(csv.reader(io.StringIO(body_of(client.get("/search/", {**params, "format": "csv"})))))
    assert csv_rows[0][:2] == ["date", "headline"] and len(csv_rows) == expected + 1  # column row + articles
