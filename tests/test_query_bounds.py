"""Bounded work for any query anyone can send: terms, prefixes, phrase words, stacked accents, "did you mean"."""

import pytest

from articles import query_bounds, suggestions
from articles.forms import SearchFilters
from articles.query_bounds import MAX_PREFIXES, MAX_TERMS, query_bound
from articles.search.query import parse_query

from .engines import whoosh_only
from .pages import parse, result_rows, text_of

PREFIXES_15 = "min* gov* rou* fin* lan* new* sai* pol* tal* vet* kar* dip* mar* ber* hou*"


@pytest.mark.parametrize("q, bounded, notice", [
    ("gas pipeline", "gas pipeline", None),
    ('"power of siberia" OR pipeline -oil headline:deal sanction*', '"power of siberia" OR pipeline -oil headline:deal sanction*', None),
    ("a b " * 70, "a b", "Words given more than once were searched once."),
    (PREFIXES_15, "min* gov* rou* fin*", f"Only the first {MAX_PREFIXES} words ending in * were searched; the others were left out."),
    ("mi* go* talks", "mi go talks", "A word ending in * needs 3 letters before the *: a shorter one was searched as a word."),
    (" ".join(f"w{n}" for n in range(30)), " ".join(f"w{n}" for n in range(MAX_TERMS)),
     f"The query was searched for its first {MAX_TERMS} terms: a search can hold no more."),
    ('"one two three four five six seven eight nine ten" gas', '"one two three four five six seven eight" gas',
     "A phrase was searched for its first 8 words."),
    ("a" + "\u0301" * 100, "a" + "\u0301" * 2, "Accents stacked more than 2 deep on a letter were left out."),
    ("x" * 80, "x" * 50, "A word longer than 50 characters was cut to that length."),
    ("gas OR gas OR oil", "gas OR oil", "Words given more than once were searched once."),
    ("(OR) " + " ".join(f"w{n}" for n in range(20)), '"OR" ' + " ".join(f"w{n}" for n in range(MAX_TERMS - 1)),
     f"The query was searched for its first {MAX_TERMS} terms: a search can hold no more."),
])
def test_a_query_over_a_bound_is_searched_for_what_fits(q, bounded, notice):
    result = query_bound(q)
    assert result.q == bounded
    assert list(result.notices) == ([notice] if notice else [])
    assert parse_query(result.q)  # what is searched is well-formed query syntax


def test_the_search_page_says_what_it_searched(client, small_archive):
    page = parse(client.get("/search/", {"q": "officials " + PREFIXES_15}))
    assert page.select_one("input#q")["value"] == "officials min* gov* rou* fin*"
    assert [text_of(item) for item in page.select(".notice li")] == [
        f"Only the first {MAX_PREFIXES} words ending in * were searched; the others were left out."
    ]
    canonical = page.select_one('link[rel="canonical"]')["href"]
    assert canonical.endswith("/search/?q=officials+min%2A+gov%2A+rou%2A+fin%2A")


def test_repeated_words_find_what_the_word_finds_once(client, small_archive):
    once = result_rows(parse(client.get("/search/", {"q": "officials gas"})))
    many = result_rows(parse(client.get("/search/", {"q": "officials gas " * 40})))
    assert [row.headline for row in many] == [row.headline for row in once] and len(once) == 2


def test_did_you_mean_looks_up_a_bounded_number_of_words(small_archive, monkeypatch):
    looked_at, suggested = [], []
    matches_anything, engine = suggestions._matches_anything, suggestions.engine()
    monkeypatch.setattr(suggestions, "_matches_anything", lambda word: looked_at.append(word) or matches_anything(word))
    monkeypatch.setattr(suggestions, "engine", lambda: type("Counting", (), {
        "suggest": staticmethod(lambda words: suggested.extend(words) or engine.suggest(words)),
    })())
    words = [f"gaz{chr(97 + n % 26)}{n}" for n in range(40)]
    suggestions.did_you_mean(SearchFilters(q=" ".join(words)))
    assert looked_at == words[:suggestions.SUGGESTION_WORDS]

    looked_at.clear(), suggested.clear()
    monkeypatch.setattr(suggestions, "SUGGESTION_SECONDS", 0)  # the time is up after the first unknown word
    found = suggestions.did_you_mean(SearchFilters(q="gaz xyzzyq"))
    assert (found.query, suggested) == ("gas xyzzyq", ["gaz"])


# A prefix's cost is how often the words it begins occur (every posting is read to match it): past a
# budget for the whole request, a prefix is searched as a word. SolrCloud matches prefixes in the cluster.

BROAD = ("A word ending in * begins words found too often in the archive to search them all at once: it was "
         "searched as a word. Write more of it before the * (“negotiat*”, not “neg*”).")


@whoosh_only
def test_a_prefix_costs_the_postings_of_the_words_it_begins(small_archive):
    from articles.search.engines import engine

    assert engine().prefix_postings("", "offic") == 4  # "officials" in each of the four articles
    assert engine().prefix_postings("", "gas") == 2
    assert engine().prefix_postings("", "pipe") == 1
    assert engine().prefix_postings("headline", "offic") == 2  # "NATO officials ...", "Officials found ..."
    assert engine().prefix_postings("", "zzz") == 0


@whoosh_only
def test_prefixes_over_the_requests_budget_are_searched_as_words_and_the_page_says_so(client, small_archive, monkeypatch):
    monkeypatch.setattr(query_bounds, "MAX_PREFIX_POSTINGS", 5)
    within = parse(client.get("/search/", {"q": "gas* pipe*"}))  # 2 + 1 postings
    assert within.select_one("input#q")["value"] == "gas* pipe*" and not within.select(".notice li")
    assert len(result_rows(within)) == 1
    over = parse(client.get("/search/", {"q": "gas* offic*"}))  # 2 + 4: the second is searched as a word
    assert over.select_one("input#q")["value"] == "gas* offic"
    assert [text_of(item) for item in over.select(".notice li")] == [BROAD]
    assert result_rows(over) == []


@whoosh_only
def test_a_compare_views_series_share_one_budget(client, small_archive, monkeypatch):
    monkeypatch.setattr(query_bounds, "MAX_PREFIX_POSTINGS", 5)
    page = parse(client.get("/compare/", {"s": ["q:offic*", "q:gas*"]}))  # 4, then 2 more: over
    assert f"Query “gas”: {BROAD}" in [text_of(item) for item in page.select(".notice li")]
    assert [text_of(cell) for cell in page.select("table thead th")][1:3] == ["“offic*”", "“gas”"]
