"""The date histogram: bars by year, month or day, each linking to its narrowed view."""

import datetime
import re

import pytest

from articles.forms import SearchFilters
from articles.histogram import date_histogram


@pytest.mark.parametrize(
    "filters, months, days, granularity, labels",
    [
        (SearchFilters(), {"2023-11": 1, "2024-02": 2}, None, "month", ["Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024"]),
        (SearchFilters(), {"2015-01": 1, "2024-02": 2}, None, "year", [str(y) for y in range(2015, 2025)]),
        (
            SearchFilters(date_from=datetime.date(2024, 3, 1), date_to=datetime.date(2024, 3, 3)),
            {"2024-03": 3}, {"2024-03-01": 2, "2024-03-03": 1}, "day", ["1 Mar 2024", "2 Mar 2024", "3 Mar 2024"],
        ),
    ],
)
def test_granularity_follows_the_span(db, filters, months, days, granularity, labels):
    histogram = date_histogram(filters, months, days)
    assert histogram.granularity == granularity
    assert [bar.label for bar in histogram.bars] == labels


def test_bars_link_to_their_dates_and_keep_other_filters(db):
    histogram = date_histogram(SearchFilters(q="gas"), {"2024-01": 4, "2024-02": 1})
    january, february = histogram.bars
    assert january.url == "/search/?q=gas&from=2024-01-01&to=2024-01-31"
    assert (january.count, february.count) == (4, 1)
    assert january.height == histogram.height and february.height == histogram.height / 4


def test_no_histogram_without_results(db):
    assert date_histogram(SearchFilters(), {}) is None


def test_search_page_draws_accessible_bars(client, small_archive):
    html = client.get("/search/", {"q": "officials"}).content.decode()
    assert "Articles by month, Feb 2023 to May 2024" in html
    titles = re.findall(r"<title>([^<]+)</title>", html)
    assert "May 2024: 1 article" in titles and "Nov 2023: 1 article" in titles
    assert 'href="/search/?q=officials&amp;from=2024-03-01&amp;to=2024-03-31"' in html


def test_short_range_counts_days_from_index_and_database(client, small_archive):
    for params in ({"q": "officials"}, {}):
        html = client.get("/search/", {**params, "from": "2024-05-01", "to": "2024-05-31"}).content.decode()
        assert "Articles by day" in html
        assert "<title>16 May 2024: 1 article</title>" in html


def test_actor_page_shows_mentions_over_time_and_who_appears_alongside(client, small_archive):
    html = client.get("/actors/vladimir-putin/").content.decode()
    assert "Articles by month" in html
    assert "Seen alongside" in html
    assert 'href="/search/?actor=vladimir-putin&amp;actor=xi-jinping"' in html
    assert ">Vladimir Putin</span>" not in html.split("Seen alongside")[1].split("</aside>")[0]
