"""A page with no results says why and what to try: names the archive knows first, then other words."""

import pytest
from django.db import transaction

from articles.search.engines import engine
from articles.models import Actor

from .conftest import CHINA, PUTIN
from .pages import parse, text_of


def empty_page(client, **query):
    """(did-you-mean text, its link, notices, relaxation links) of a results page that found nothing."""
    page = parse(client.get("/search/", query))
    assert text_of(page.select_one("#results-heading")).startswith("No articles found"), text_of(page.select_one("#results-heading"))
    empty = page.select_one(".results .empty")
    suggestion = empty.select_one(".did-you-mean a")
    return {
        "did_you_mean": (text_of(suggestion), suggestion["href"]) if suggestion else None,
        "notices": [text_of(item) for item in page.select(".notice li")],
        "relaxations": [(text_of(link), link["href"]) for link in empty.select(".relaxations a")],
    }


@pytest.fixture
def common_words_archive(search_index, make_article):
    """Articles that say "put" and "being", filed under Vladimir Putin and China, but never naming them."""
    make_article("Officials put the plan on hold, being careful about the pipeline.", actors=[PUTIN, CHINA])
    make_article("The ministry put out a statement on gas prices.", actors=[CHINA])


@pytest.mark.parametrize(
    "typed, index_alone, suggested",
    [
        ("Putni", "put", "Putin"),  # an actor's name word, one swap away
        ("Beijng", "being", "Beijing"),  # the capital standing for China, an actor of the archive
    ],
)
def test_names_in_the_archive_come_before_common_words(client, common_words_archive, typed, index_alone, suggested):
    assert engine().suggest([typed]) == [index_alone]  # what the index's vocabulary alone would offer
    assert empty_page(client, q=typed)["did_you_mean"] == (suggested, f"/search/?q={suggested}")


def test_an_alias_is_a_name_too(client, common_words_archive):
    Actor.objects.filter(slug="vladimir-putin").update(aliases="Vova")
    assert empty_page(client, q="Vovva gas")["did_you_mean"] == ("Vova gas", "/search/?q=Vova+gas")


def test_only_unknown_words_change_and_filters_stay(client, common_words_archive):
    shown = empty_page(client, q="pipeline Putni", actor="china", sort="oldest")
    assert shown["did_you_mean"] == ("pipeline Putin", "/search/?q=pipeline+Putin&actor=china&sort=oldest")


def test_words_no_name_is_close_to_get_the_index_suggestion(client, small_archive):
    assert empty_page(client, q="leaked contrakt")["did_you_mean"] == ("leaked contract", "/search/?q=leaked+contract")


def test_a_name_without_articles_is_not_offered(client, common_words_archive):
    Actor.objects.create(name="Gustavo Petro", kind="person", slug="gustavo-petro")  # in no article
    assert empty_page(client, q="Petrro")["did_you_mean"] is None


def test_common_words_are_explained_not_corrected(client, small_archive):
    shown = empty_page(client, q="the")
    assert shown["did_you_mean"] is None  # not "who"
    assert shown["notices"] == ["“the” is too common to search for on its own: add a more specific word."]


def test_a_wildcard_after_one_letter_explains_itself(client, small_archive):
    shown = empty_page(client, q="a*")
    assert shown["did_you_mean"] is None
    assert shown["notices"] == [
        "A * needs at least two letters before it: “a*” was searched as “a”.",
        "“a” is too common to search for on its own: add a more specific word.",
    ]


def test_only_filters_whose_removal_finds_something_are_offered(client, small_archive):
    shown = empty_page(client, q="gas", actor="nato", topic="energy")
    assert shown["relaxations"] == [("without “Organisation: NATO”: 2 results", "/search/?q=gas&topic=energy")]


def test_no_relaxation_when_none_would_help(client, small_archive):
    page = parse(client.get("/search/", {"q": "zebra", "actor": "nato"}))
    empty = page.select_one(".results .empty")
    assert empty.select(".relaxations") == []
    assert "0 results" not in text_of(empty)
    assert text_of(empty.p).startswith("Removing one filter alone would not find anything either")


def test_names_follow_edits_between_searches(client, common_words_archive):
    # The names are kept between requests: an edit made since must show at once.
    assert empty_page(client, q="Vovva gas")["did_you_mean"] is None
    putin = Actor.objects.get(slug="vladimir-putin")
    putin.aliases = "Vova"
    putin.save()
    assert empty_page(client, q="Vovva gas")["did_you_mean"] == ("Vova gas", "/search/?q=Vova+gas")
    assert empty_page(client, q="Putni")["did_you_mean"] == ("Putin", "/search/?q=Putin")
    with transaction.atomic():
        putin.articles.first().actors.remove(putin)  # in no article now
    assert empty_page(client, q="Putni")["did_you_mean"] == ("put", "/search/?q=put")


@pytest.mark.parametrize("q, filters", [
    ("Putni", {}), ("Putni", {"sort": "newest"}), ("Putni", {"actor": "china"}), ("Putni", {"date_from": "2030-01-01"}),
    ("Putni*", {}), ("-Putni gas", {}), ("headline:Putni", {}), ("Putni Beijng", {}), ('"Putni"', {}), ("put", {"date_from": "2030-01-01"}),
])
def test_a_view_that_found_nothing_spares_the_second_search_and_suggests_the_same(common_words_archive, monkeypatch, q, filters):
    """The view's own count stands for the search of its lone word; any other view searches its words as before."""
    import datetime

    from articles import suggestions
    from articles.forms import SearchFilters
    from articles.search.selectors import article_search

    if "actor" in filters:
        filters = {"actors": (suggestions.Actor.objects.get(slug=filters["actor"]),)}
    if "date_from" in filters:
        filters = {"date_from": datetime.date.fromisoformat(filters["date_from"])}
    view = SearchFilters(q=q, **filters)
    count = article_search(view).count
    searched = []
    real = suggestions._matches_anything
    monkeypatch.setattr(suggestions, "_matches_anything", lambda word: searched.append(word) or real(word))
    plain = suggestions.did_you_mean(view)
    plain_searches, searched[:] = list(searched), []
    assert suggestions.did_you_mean(view, count) == plain
    lone = count == 0 and set(filters) <= {"sort"} and q in ("Putni", '"Putni"')  # a quoted word is the word
    assert searched == ([] if lone else plain_searches)
