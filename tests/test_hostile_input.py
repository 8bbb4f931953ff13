"""Hostile input, generated: no page answers 5xx, shows a traceback or renders input markup; ingest never crashes."""

import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from articles.ingest import ArticleRefused, read_article

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
