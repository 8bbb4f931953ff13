"""Page-number links: a window around the current page, gaps, previous and next; the results heading."""

import pytest
from django.template.loader import render_to_string

from articles.pagination import paginate


def numbers(pagination):
    return [link.number for link in pagination.links]


@pytest.mark.parametrize(
    "current, total, expected",
    [
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, None, 10]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_window_of_page_numbers(current, total, expected):
    assert numbers(paginate(current, total, lambda n: f"?page={n}")) == expected


def test_single_page_needs_no_pagination():
    assert paginate(1, 1, str) is None


def test_previous_and_next_links():
    middle = paginate(2, 3, lambda n: f"?page={n}")
    assert (middle.previous_url, middle.next_url) == ("?page=1", "?page=3")
    first, last = paginate(1, 3, str), paginate(3, 3, str)
    assert first.previous_url is None and last.next_url is None


def test_page_past_the_end_links_back_but_not_forward():
    past = paginate(9, 3, lambda n: f"?page={n}")
    assert past.next_url is None and past.previous_url is None
    assert not any(link.current for link in past.links)


@pytest.mark.parametrize("first, last, count, summary", [
    (1, 1, 1, "1 result"),
    (21, 21, 21, "Showing result 21 of 21"),
    (1, 20, 45, "Showing 1–20 of 45 results"),
])
def test_the_results_heading_counts_in_words(first, last, count, summary):
    result = {"first": first, "last": last, "count": count}
    assert render_to_string("articles/_results_count.html", {"result": result}).strip() == summary
