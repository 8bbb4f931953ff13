"""By keyboard alone in Chromium: search, skip to the filters, pick a facet, open a result, and come back."""

import re

import pytest

from .test_e2e import QUERY, focus_ring, summary

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MOST_TABS = 15


def tab_until(page, wanted, most: int = MOST_TABS) -> int:
    """Press Tab until the focused element satisfies `wanted`; every stop on the way shows its focus. Return the presses."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        focused = focus_ring(page)
        assert focused["visible"], f"no visible focus on {focused}"
        if wanted(focused):
            return presses
    pytest.fail(f"not reached in {most} presses of Tab; last: {focus_ring(page)}")


def focused_link(page) -> dict:
    return page.evaluate("() => ({href: document.activeElement.getAttribute('href'), cls: document.activeElement.className})")


@pytest.mark.parametrize("width", [1366, 390])
def test_search_facet_article_and_back_by_keyboard(browser, site, width):
    context = browser.new_context(base_url=site.base, viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto("/")
        assert focus_ring(page)["id"] == "q"  # the bare start page waits in the search box
        page.keyboard.type(QUERY)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/search/\?q={QUERY}$"))
        assert focus_ring(page)["tag"] == "body"  # a results page takes no focus of its own

        # Skip links first: past the results to the filters, then a facet value within a few presses.
        assert tab_until(page, lambda f: f["text"] == "Skip to results", 1) == 1
        assert tab_until(page, lambda f: f["text"] == "Skip to filters", 1) == 1
        page.keyboard.press("Enter")
        if width < 500:  # on a phone the filters are folded: open them
            assert tab_until(page, lambda f: f["tag"] == "summary", 2)
            page.keyboard.press("Enter")
        tab_until(page, lambda f: "facet__value" in f["cls"])
        facet = focused_link(page)["href"]
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(re.escape(facet) + "$"))
        filtered = page.url
        assert re.fullmatch(r"Showing 1–\d+ of \d+ results? for “president”", summary(page))

        # Skip to the results: the next stop is the first result's headline; open it.
        assert tab_until(page, lambda f: f["text"] == "Skip to results", 1) == 1
        page.keyboard.press("Enter")
        tab_until(page, lambda f: f["tag"] == "a" and f["text"] == page.locator(".result__headline a").first.inner_text(), 1)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/articles/\d+/"))

        # Back to the same results, by the link at the top of the article.
        tab_until(page, lambda f: f["text"] == "‹ Back to results")
        page.keyboard.press("Enter")
        page.wait_for_url(filtered)
    finally:
        context.close()


def test_a_match_jumped_to_is_not_hidden_under_the_sticky_bar(page, site):
    from .test_e2e import search_json

    article = search_json(site, QUERY)["results"][0]["url"]
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(f"{article}?hl={QUERY}")
    page.locator('nav.hits ol a[href="#hit-1"]').click()  # the page scrolls it to the top, where the bar sticks
    bar = page.locator("nav.hits").bounding_box()
    mark = page.locator("#hit-1").bounding_box()
    assert mark["y"] >= bar["y"] + bar["height"], (bar, mark)  # below the bar (without scroll-margin-top: at 0, under it)
    assert mark["y"] + mark["height"] <= 700
