"""Reading an article: matches marked once per word, their count quoted once, a way back to the results."""

import pytest

from .pages import parse, text_of


def test_wrong_slug_redirects_to_the_canonical_address_keeping_the_highlighting(client, small_archive):
    article = small_archive["summit"]
    response = client.get(f"/articles/{article.pk}/wrong-slug/", {"hl": "Putin talks", "utm": "x"})
    assert response.status_code == 301
    assert response["Location"] == f"{article.get_absolute_url()}?hl=Putin+talks"
    assert client.get(f"/articles/{article.pk}/wrong-slug/")["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "highlight, label",
    [
        ('"Vladimir Putin"', "for “Vladimir Putin”:"),  # a phrase: its own quotes, once
        ("Putin", "for “Putin”:"),
        ('Beijing "Vladimir Putin"', "for “Beijing ‘Vladimir Putin’”:"),
    ],
)
def test_matches_label_shows_the_query_in_one_pair_of_quotes(client, small_archive, highlight, label):
    page = parse(client.get(small_archive["summit"].get_absolute_url(), {"hl": highlight}))
    bar = page.select_one("nav.hits")
    assert text_of(bar.p).endswith(label), text_of(bar.p)
    assert [link["href"] for link in bar.select("ol a")][:1] == ["#hit-1"]


def back_link(page):
    link = page.select_one("main .back-link a")
    return (text_of(link), link["href"]) if link else None


@pytest.mark.parametrize(
    "referer",
    [
        "http://testserver/search/?q=officials&actor=russia&page=2",
        "http://testserver/actors/vladimir-putin/?page=2",
        "http://testserver/topics/diplomacy/",
        "http://testserver/",
    ],
)
def test_back_to_results_returns_to_the_results_page_the_reader_came_from(client, small_archive, referer):
    page = parse(client.get(small_archive["summit"].get_absolute_url(), {"hl": "officials"}, HTTP_REFERER=referer))
    assert back_link(page) == ("‹ Back to results", referer.removeprefix("http://testserver"))


@pytest.mark.parametrize(
    "referer",
    [
        "https://elsewhere.example/search/?q=officials",  # another site: never a link away
        "http://testserver/articles/1/other/",  # another article, not a results page
        "http://testserver/admin/articles/article/",
        "",
    ],
)
def test_without_a_results_page_to_return_to_the_link_searches_the_highlighted_words(client, small_archive, referer):
    url = small_archive["summit"].get_absolute_url()
    page = parse(client.get(url, {"hl": "Putin talks"}, HTTP_REFERER=referer))
    assert back_link(page) == ("‹ Back to results", "/search/?q=Putin+talks")
    assert back_link(parse(client.get(url, HTTP_REFERER=referer))) is None  # nothing searched, nowhere to go back to
