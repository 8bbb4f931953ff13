"""Snippets and the article page's marks: what the query matched, phrases as phrases."""

from bs4 import BeautifulSoup

from articles.search.highlight import mark_matches, snippet
from articles.search.query import read_query


def marked(html: str) -> list[str]:
    return [mark.get_text() for mark in BeautifulSoup(str(html), "html.parser").find_all("mark")]


def test_snippet_marks_with_the_index_analysis_and_escapes():
    html = str(snippet("Talks in Zürich on <gas> prices.", read_query("zurich talk")[0]))
    assert marked(html) == ["Talks", "Zürich"]
    assert "&lt;gas&gt;" in html and "<gas>" not in html


def test_snippet_is_the_same_on_every_request():
    # Five equally good passages: the two earliest are shown, every time.
    text = " ".join(f"Passage {n} about talks, then {'filler ' * 40}." for n in range(5))
    snippets = {str(snippet(text, read_query("talks")[0])) for _ in range(30)}
    assert len(snippets) == 1
    shown = snippets.pop()
    assert "Passage 0" in shown and "Passage 1" in shown and "Passage 4" not in shown


def test_no_match_no_snippet():
    assert snippet("Nothing to see.", read_query("tariffs")[0]) is None
    assert snippet("Nothing to see.", read_query("tariffs -nothing")[0]) is None


def test_a_phrase_is_marked_and_counted_as_one_where_its_words_follow_each_other():
    paragraphs = [
        "The Security Council met. The council said security was tight.",
        "A Security Council resolution; the Power of Siberia pipeline.",
    ]
    html, count = mark_matches(paragraphs, read_query('"security council"')[0])
    assert count == 2
    assert [marked(paragraph) for paragraph in html] == [["Security Council"], ["Security Council"]]
    assert 'id="hit-1"' in html[0] and 'id="hit-2"' in html[1]
    html, count = mark_matches(paragraphs, read_query('"power of siberia"')[0])
    assert (count, marked(html[1])) == (1, ["Power of Siberia"])


def test_words_prefixes_and_exclusions():
    paragraphs = ["Sanctions were sanctioned; gas flowed. Talks resumed."]
    html, count = mark_matches(paragraphs, read_query("sanction* talks -gas")[0])
    assert marked(html[0]) == ["Sanctions", "sanctioned", "Talks"]
    assert count == 3


def test_marks_escape_text_and_query():
    html, count = mark_matches(["Officials found <script>alert('x')</script> in a leaked file."], read_query("<script> leaked")[0])
    assert "<script>" not in html[0] and html[0].startswith("Officials found &lt;<mark")
    assert marked(html[0]) == ["script", "script", "leaked"]


def test_no_query_no_marks():
    html, count = mark_matches(["A <b> text"], None)
    assert (html, count) == (["A &lt;b&gt; text"], 0)
