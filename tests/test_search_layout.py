"""The search and label pages in reading order: results first, filters after them in a panel, a skip link."""

import pytest

from .pages import facet_values, parse, text_of


def reading_order(page) -> list[str]:
    """The ids of the main regions in document order (what a keyboard and a screen reader meet first)."""
    wanted = ("q", "result-list", "filters", "results-heading")
    return [node["id"] for node in page.select("#q, #result-list, #filters, #results-heading") if node["id"] in wanted]


@pytest.mark.parametrize("url", ["/search/?q=officials", "/search/?actor=russia", "/actors/vladimir-putin/", "/topics/diplomacy/"])
def test_results_come_before_the_filters_and_a_skip_link_leads_to_them(client, small_archive, url):
    page = parse(client.get(url))
    order = reading_order(page)
    assert order.index("result-list") < order.index("filters")
    skips = page.select("a.skip-link")
    assert [skip["href"] for skip in skips] == ["#result-list", "#filters"]  # the first two stops of the page
    assert all(text_of(skip).startswith("Skip to") for skip in skips)
    assert str(skips[0]) in str(page.body)[:600]
    assert page.select_one("#result-list")["tabindex"] == "-1"  # focus lands on the list, the next Tab on its first result


def test_filters_fold_into_a_panel_that_says_how_many_are_active(client, small_archive):
    page = parse(client.get("/search/", {"q": "officials", "actor": "russia", "from": "2024-01-01"}))
    panel = page.select_one("aside.filters > details#filters")
    assert not panel.has_attr("open")  # closed on a phone; CSS shows it open beside the results on a wide screen
    assert text_of(panel.summary) == "Filter results (2 active)"
    assert panel.select_one("form.date-form") and facet_values(page, "actor-person")


@pytest.mark.parametrize(
    "query, autofocus",
    [({}, True), ({"q": "officials"}, False), ({"actor": "russia"}, False), ({"page": "2"}, False), ({"sort": "oldest"}, False)],
)
def test_the_search_box_takes_focus_only_on_the_bare_start_page(client, small_archive, query, autofocus):
    page = parse(client.get("/search/", query))
    assert page.select_one("#q").has_attr("autofocus") is autofocus


def test_or_and_not_are_separate_labelled_links_on_every_actor_and_topic(client, small_archive):
    page = parse(client.get("/search/", {"q": "officials"}))
    for row in page.select("section.facet li.facet__row"):
        label = text_of(row.select_one(".facet__label"))
        modes = row.select(".facet__more a")
        if row.find_parent("section").select_one("h3")["id"] in ("facet-year", "facet-month"):
            assert modes == []
            continue
        assert [text_of(link) for link in modes] == [f"or {label}", f"not {label}"]
        assert {link["href"] for link in modes}.isdisjoint({row.select_one("a.facet__value")["href"]})


def test_no_results_and_no_filters_shows_no_empty_filter_panel(client, small_archive):
    page = parse(client.get("/search/", {"q": "zebra"}))
    assert page.select_one("aside.filters") is None
    assert page.select_one("a.skip-link")["href"] == "#main"
