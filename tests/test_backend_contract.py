"""What Newsdesk needs from a search engine, through haystack's API only.

Run against whichever engine HAYSTACK_CONNECTIONS configures: Whoosh here; Elasticsearch,
Solr or OpenSearch after a settings change. Anything an engine cannot do natively is behind
articles/backend.py, and tested there.
"""

import pytest
from haystack.inputs import AutoQuery, Exact
from haystack.query import SQ, SearchQuerySet

from articles.backend import highlight_snippet


def ids(sqs) -> set[int]:
    return {int(result.pk) for result in sqs}


@pytest.fixture
def corpus(small_archive):
    return {name: article.pk for name, article in small_archive.items()}


def test_word_search(corpus):
    assert ids(SearchQuerySet().filter(content=AutoQuery("gas"))) == {corpus["gas"], corpus["html"]}


def test_phrase_search(corpus):
    assert ids(SearchQuerySet().filter(content=Exact("leaked gas contract"))) == {corpus["html"]}


def test_accent_folding_both_ways(corpus):
    assert ids(SearchQuerySet().filter(content=AutoQuery("Burgenstock"))) == {corpus["gas"]}
    assert ids(SearchQuerySet().filter(content=AutoQuery("Bürgenstock"))) == {corpus["gas"]}


def test_keyword_filters_match_exact_slugs(corpus):
    assert ids(SearchQuerySet().filter(content=AutoQuery("officials"), actors=Exact("vladimir-putin"))) == {corpus["gas"], corpus["summit"]}
    either = SQ(topics=Exact("energy")) | SQ(actors=Exact("nato"))
    assert ids(SearchQuerySet().filter(content=AutoQuery("officials")).filter(either)) == {corpus["gas"], corpus["html"], corpus["nato"]}
    assert ids(SearchQuerySet().filter(content=AutoQuery("officials")).exclude(actors=Exact("russia"))) == {corpus["nato"]}


def test_date_range_filter(corpus):
    import datetime

    sqs = SearchQuerySet().filter(content=AutoQuery("officials"), date__gte=datetime.date(2024, 1, 1), date__lte=datetime.date(2024, 3, 1))
    assert ids(sqs) == {corpus["summit"]}


def test_facet_counts_over_the_whole_result_set(corpus):
    sqs = SearchQuerySet().filter(content=AutoQuery("officials")).facet("actors").facet("topics").facet("month")
    list(sqs[:1])  # one page is enough: counts cover every match
    fields = {name: {value: n for value, n in counts if value is not None} for name, counts in sqs.facet_counts()["fields"].items()}
    assert fields["topics"] == {"energy": 2, "diplomacy": 2}  # NATO's article has no topic
    assert fields["actors"]["russia"] == 3
    assert fields["month"] == {"2024-05": 1, "2024-03": 1, "2023-11": 1, "2023-02": 1}


def test_sort_by_date_both_ways(corpus):
    newest = [int(r.pk) for r in SearchQuerySet().filter(content=AutoQuery("officials")).order_by("-date")]
    assert newest == [corpus[k] for k in ("gas", "summit", "nato", "html")]
    oldest = [int(r.pk) for r in SearchQuerySet().filter(content=AutoQuery("officials")).order_by("date")]
    assert oldest == list(reversed(newest))


def test_count_and_paging(corpus):
    sqs = SearchQuerySet().filter(content=AutoQuery("officials")).order_by("-date")
    assert sqs.count() == 4
    assert [int(r.pk) for r in sqs[2:4]] == [corpus["nato"], corpus["html"]]


def test_highlight_with_the_index_analyzer():
    snippet = str(highlight_snippet("Talks in Zürich on <gas> prices.", ["zurich", "talk"]))
    assert "<mark" in snippet and "Zürich</mark>" in snippet and "&lt;gas&gt;" in snippet


def test_snippet_is_the_same_on_every_request():
    # Five equally good passages: the two earliest are shown, every time.
    text = " ".join(f"Passage {n} about talks, then {'filler ' * 40}." for n in range(5))
    snippets = {str(highlight_snippet(text, ["talks"])) for _ in range(30)}
    assert len(snippets) == 1
    snippet = snippets.pop()
    assert "Passage 0" in snippet and "Passage 1" in snippet and "Passage 4" not in snippet


def test_highlighting_tokens_are_the_analyzers_tokens():
    # articles.backend analyses each distinct word once; the tokens must be what the full chain gives.
    from pathlib import Path

    from articles.backend import FOLDING_ANALYZER, _analyzed_tokens

    texts = [path.read_text(encoding="utf-8") for path in sorted(Path(__file__).parent.joinpath("devset").rglob("*.txt"))]
    texts.append("U.S. officials, the Bürgenstock talks, a 2.5% rise, «Zürich» and naïve co-operation: it will be.")
    for text in texts:
        whole = [(t.text, t.stopped, t.startchar, t.endchar) for t in FOLDING_ANALYZER(text, chars=True, removestops=False)]
        cached = [(t.text, t.stopped, t.startchar, t.endchar) for t in _analyzed_tokens(text)]
        assert cached == whole


def test_deleted_document_is_gone(corpus, small_archive):
    small_archive["nato"].delete()
    assert ids(SearchQuerySet().filter(content=AutoQuery("brussels"))) == set()
    assert corpus["nato"] not in ids(SearchQuerySet().filter(content=AutoQuery("officials")))
