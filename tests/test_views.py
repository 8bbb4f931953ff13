"""Pages as a researcher sees them: search, JSON, article, actor and topic pages."""

import json

import pytest
from bs4 import BeautifulSoup

from articles.models import Actor

from .pages import form_fields, hidden_fields, parse, query_of, result_rows, results_summary


def test_search_page_shows_count_results_and_highlight(client, small_archive):
    response = client.get("/search/", {"q": "gas"})
    assert response.status_code == 200
    page = parse(response)
    assert results_summary(page) == "Showing 1–2 of 2 results for “gas”"
    rows = result_rows(page)
    assert small_archive["gas"].headline in [row.headline for row in rows]
    assert all(row.snippet and "<mark" in row.html for row in rows)


def test_home_page_lists_newest_articles_without_query(client, small_archive):
    response = client.get("/")
    assert response.status_code == 200
    assert results_summary(parse(response)) == "Showing 1–4 of 4 results"


def test_html_looking_text_is_escaped_in_results_and_article(client, small_archive):
    article = small_archive["html"]
    for url in ["/search/?q=leaked", "/search/?q=script", "/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;" in html, url


def test_facet_link_adds_filter_and_chip_removes_it_keeping_query(client, small_archive):
    html = client.get("/search/", {"q": "gas"}).content.decode()
    assert 'href="/search/?q=gas&amp;actor=vladimir-putin"' in html
    html = client.get("/search/?q=gas&actor=vladimir-putin").content.decode()
    assert results_summary(parse(client.get("/search/?q=gas&actor=vladimir-putin"))) == "1 result for “gas”"
    assert "Person: Vladimir Putin" in html  # the chip
    assert 'href="/search/?q=gas">Clear all filters' in html.replace('class="chips__clear" ', "")


def test_year_facet_narrows_to_that_year(client, small_archive):
    html = client.get("/search/").content.decode()
    assert 'href="/search/?from=2023-01-01&amp;to=2023-12-31"' in html
    html = client.get("/search/?from=2023-01-01&to=2023-12-31").content.decode()
    assert "Showing 1–2 of 2 results" in html
    assert "Months of 2023" in html


def test_canonical_link_has_fixed_parameter_order(client, small_archive):
    html = client.get("/search/?topic=energy&q=gas&sort=relevance&actor=russia").content.decode()
    assert '<link rel="canonical" href="http://testserver/search/?q=gas&amp;actor=russia&amp;topic=energy">' in html


def test_json_format_returns_the_same_page_as_data(client, small_archive):
    response = client.get("/search/", {"q": "gas", "format": "json"})
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["count"] == 2 and data["page"] == 1 and data["num_pages"] == 1
    first = data["results"][0]
    assert set(first) == {"id", "headline", "date", "url", "source", "snippet", "versions", "actors", "topics"}
    assert {"name": "Vladimir Putin", "kind": "person", "slug": "vladimir-putin"} in [
        row for result in data["results"] for row in result["actors"]
    ]
    assert data["facets"]["topics"] == {"energy": 2, "diplomacy": 1}
    assert first["source"] == "test.txt"


def test_json_without_query_comes_from_database(client, small_archive):
    data = json.loads(client.get("/search/", {"actor": "nato", "format": "json"}).content)
    assert [r["id"] for r in data["results"]] == [small_archive["nato"].pk]


def test_bad_parameters_show_notices_not_errors(client, small_archive):
    response = client.get("/search/", {"from": "2024-13-45", "actor": "nobody", "sort": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ignored the &#x27;from&#x27; date" in html or "Ignored the 'from' date" in html
    assert "There is no actor “nobody”" in html
    assert "No articles found" in html  # an unknown actor narrows to nothing, never to "no filter"


def test_page_past_the_end_says_so(client, small_archive):
    response = client.get("/search/", {"page": "7"})
    assert response.status_code == 404
    assert "Page 7 is past the end" in response.content.decode()


def test_pagination_links_mark_current_page(client, search_index, make_article, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    for n in range(5):
        make_article(f"Report number {n} on the summit.", date=f"2024-01-0{n + 1}")
    html = client.get("/search/", {"page": "2"}).content.decode()
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2</a>' in html
    assert 'href="/search/?page=3" rel="next"' in html
    assert 'href="/search/" rel="prev"' in html
    assert "Showing 3–4 of 5 results" in html


def test_empty_archive_says_how_to_add_articles(client, search_index):
    html = client.get("/").content.decode()
    assert "The archive is empty" in html


def test_no_results_suggests_what_to_do(client, small_archive):
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "No articles found for “zebra”" in html


HOSTILE = [
    {"q": "\"unbalanced"}, {"q": "(((("}, {"q": "AND OR NOT"}, {"q": "*"}, {"q": "-"}, {"q": "\x00\x01"},
    {"q": "a" * 5000}, {"q": "<script>alert(1)</script>"}, {"q": "title:foo"}, {"q": "~~~"}, {"q": "\\"},
    {"q": "'; DROP TABLE articles_article; --"}, {"q": "日本 ü ñ 🙂"}, {"page": "9" * 50}, {"page": "0"},
    {"from": "0000-00-00"}, {"to": "9999-99-99"}, {"from": "2024-02-30"}, {"actor": "../../etc"},
    {"actor": ["x"] * 100}, {"topic": "%00"}, {"sort": "<b>"}, {"format": "xml"}, {"q": "gas", "format": "json", "page": "x"},
]


@pytest.mark.parametrize("params", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_parameters_never_cause_server_error(client, small_archive, params):
    response = client.get("/search/", params)
    assert response.status_code in (200, 404)
    assert b"<script>alert(1)</script>" not in response.content


def test_article_page_shows_headings_actors_and_topics(client, small_archive):
    article = small_archive["summit"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h2>Talks</h2>" in html
    assert 'href="/search/?actor=xi-jinping"' in html
    assert 'href="/search/?topic=diplomacy"' in html
    assert "1 March 2024" in html


def test_article_url_with_wrong_slug_redirects(client, small_archive):
    article = small_archive["summit"]
    response = client.get(f"/articles/{article.pk}/wrong-slug/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_missing_article_is_404(client, search_index):
    assert client.get("/articles/999/anything/").status_code == 404


def test_actor_page_lists_articles_newest_first(client, small_archive):
    html = client.get("/actors/vladimir-putin/").content.decode()
    gas, summit = small_archive["gas"].headline, small_archive["summit"].headline
    assert html.index(gas) < html.index(summit)
    assert small_archive["nato"].headline not in html
    assert 'href="/search/?actor=vladimir-putin"' in html


def test_topic_page_lists_its_articles(client, small_archive):
    html = client.get("/topics/energy/").content.decode()
    assert small_archive["gas"].headline in html
    assert "Officials found &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; in a leaked" in html
    assert small_archive["summit"].headline not in html


def test_unknown_actor_page_is_404(client, search_index):
    assert client.get("/actors/nobody/").status_code == 404


def test_result_labels_add_filter_to_current_view(client, small_archive):
    rows = result_rows(parse(client.get("/search/", {"q": "gas", "topic": "energy"})))
    gas = next(row for row in rows if row.headline == small_archive["gas"].headline)
    assert gas.tags == [
        ("China", "/search/?q=gas&actor=china&topic=energy"),
        ("Russia", "/search/?q=gas&actor=russia&topic=energy"),
        ("Vladimir Putin", "/search/?q=gas&actor=vladimir-putin&topic=energy"),
        ("Diplomacy", "/search/?q=gas&topic=diplomacy&topic=energy"),
        ("Energy", "/search/?q=gas&topic=energy"),
    ]


@pytest.mark.parametrize("url", ["/", "/search/?q=officials", "/actors/vladimir-putin/", "/topics/diplomacy/"])
def test_every_result_row_shows_its_actors_and_topics_as_links(client, small_archive, url):
    rows = result_rows(parse(client.get(url)))
    assert rows
    for row in rows:
        article = next(article for article in small_archive.values() if article.headline == row.headline)
        names = [actor.name for actor in article.actors.all()] + [topic.name for topic in article.topics.all()]
        assert [text for text, _ in row.tags] == names, url
        assert all(href.startswith("/search/?") for _, href in row.tags)
        assert "LabelLink(" not in row.html and "kind=" not in text_of_row(row)


def text_of_row(row) -> str:
    return " ".join(BeautifulSoup(row.html, "html.parser").get_text(" ").split())


VIEW_WITH_EVERY_FILTER = {
    "q": "officials", "from": "2023-01-01", "to": "2024-12-31", "actor": "russia", "actor_any": ["china", "nato"],
    "actor_not": "xi-jinping", "topic": "energy", "topic_any": "diplomacy", "topic_not": "trade-x",
    "as_of": "2025-01-01", "sort": "oldest", "page": "1",
}


def test_search_box_keeps_every_filter_of_the_view(client, small_archive):
    """A new query typed into the box replaces q and keeps every filter and the sort."""
    page = parse(client.get("/search/", {key: value for key, value in VIEW_WITH_EVERY_FILTER.items() if key != "topic_not"}))
    form = page.select_one("form.search-form")
    assert hidden_fields(form) == [
        ("from", "2023-01-01"), ("to", "2024-12-31"), ("actor", "russia"), ("actor_any", "china"), ("actor_any", "nato"),
        ("actor_not", "xi-jinping"), ("topic", "energy"), ("topic_any", "diplomacy"), ("as_of", "2025-01-01"),
        ("sort", "oldest"),
    ]
    assert [name for name, _ in form_fields(form)].count("q") == 1


def test_date_form_keeps_the_query_and_every_other_filter(client, small_archive):
    page = parse(client.get("/search/", {key: value for key, value in VIEW_WITH_EVERY_FILTER.items() if key != "topic_not"}))
    form = page.select_one("form.date-form")
    assert hidden_fields(form) == [
        ("q", "officials"), ("actor", "russia"), ("actor_any", "china"), ("actor_any", "nato"),
        ("actor_not", "xi-jinping"), ("topic", "energy"), ("topic_any", "diplomacy"), ("as_of", "2025-01-01"),
        ("sort", "oldest"),
    ]
    assert dict(form_fields(form))["from"] == "2023-01-01" and dict(form_fields(form))["to"] == "2024-12-31"


def test_submitting_the_search_box_gives_the_same_view_with_the_new_query(client, small_archive):
    """What the browser sends when the box is submitted is the view's canonical URL with the new q."""
    view = {"q": "gas", "actor_not": "xi-jinping", "topic_any": "energy", "sort": "newest"}
    form = parse(client.get("/search/", view)).select_one("form.search-form")
    submitted = [(name, "officials" if name == "q" else value) for name, value in form_fields(form)]
    page = parse(client.get("/search/", submitted))
    canonical = page.select_one('link[rel="canonical"]')["href"]
    assert query_of(canonical) == [("q", "officials"), ("actor_not", "xi-jinping"), ("topic_any", "energy"), ("sort", "newest")]


def test_article_from_a_search_highlights_matches_with_jump_links(client, small_archive):
    results = client.get("/search/", {"q": "officials"}).content.decode()
    article = small_archive["summit"]
    assert f'href="{article.get_absolute_url()}?hl=officials"' in results
    html = client.get(article.get_absolute_url(), {"hl": "officials"}).content.decode()
    assert '<mark id="hit-1">Officials</mark>' in html
    assert '1 match for “officials”' in html and 'href="#hit-1"' in html


def test_article_highlight_escapes_text_and_query(client, small_archive):
    html = client.get(small_archive["html"].get_absolute_url(), {"hl": "<script> leaked"}).content.decode()
    assert "<script>alert" not in html
    assert '<mark id="hit-' in html and "&lt;script&gt;" in html


def test_article_page_lists_related_articles_by_shared_actors(client, small_archive):
    html = client.get(small_archive["summit"].get_absolute_url()).content.decode()
    related = html.split("Related articles")[1]
    assert small_archive["gas"].headline in related  # shares Putin, Russia, China
    assert small_archive["nato"].headline not in related


def test_facet_values_offer_or_and_not(client, small_archive):
    html = client.get("/search/", {"q": "officials"}).content.decode()
    assert 'href="/search/?q=officials&amp;actor_any=xi-jinping"' in html
    assert 'href="/search/?q=officials&amp;actor_not=xi-jinping"' in html
    html = client.get("/search/", {"q": "officials", "actor_not": "xi-jinping", "actor_any": "nato"}).content.decode()
    assert "Not: Xi Jinping" in html and "Any of: NATO" in html  # chips
    assert "<s>Xi Jinping</s>" in html  # still listed, to undo the exclusion


@pytest.mark.parametrize("page", ["²", "٣", "1e3", " 2", "0x10"])
def test_page_numbers_in_other_scripts_are_not_errors(client, small_archive, page):
    assert client.get("/search/", {"page": page}).status_code == 200
    assert client.get("/actors/vladimir-putin/", {"page": page}).status_code == 404


def test_json_facets_have_no_null_bucket_for_articles_without_topics(client, small_archive):
    data = json.loads(client.get("/search/", {"q": "officials", "format": "json"}).content)
    assert data["facets"]["topics"] == {"energy": 2, "diplomacy": 2}
