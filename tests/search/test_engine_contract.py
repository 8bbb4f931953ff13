"""What Newsdesk needs from a search engine (articles/search/engines/base.py), asked of the configured one.

The same tests pass on Whoosh and on SolrCloud (`scripts/with-solr make test`): every
engine matches, filters, counts, facets, orders and pages alike.
"""

import dataclasses
import datetime

import pytest
from django.db import transaction

from articles.forms import SearchFilters
from articles.models import Actor, Article, Topic
from articles.search.engines import engine
from articles.search.engines.base import SearchRequest
from articles.search.query import read_query


@pytest.fixture
def corpus(small_archive):
    return {name: article.pk for name, article in small_archive.items()}


def ask(q: str = "", **options) -> list[int]:
    """The ids a request finds, in order."""
    return hits(q, **options).ids


def hits(q: str = "", start: int = 0, stop: int | None = None, created_after=None, **filters):
    request = SearchRequest(SearchFilters(q=q, **filters), read_query(q)[0] if q else None, start=start, stop=stop,
                            days=True, created_after=created_after)
    return engine().search(request)


def actor(slug: str) -> Actor:
    return Actor.objects.get(slug=slug)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


@pytest.mark.parametrize("q, expected", [
    ("gas", {"gas", "html"}),
    ('"leaked gas contract"', {"html"}),
    ('"gas leaked contract"', set()),
    ('"power of siberia"', {"gas"}),  # a stop word inside a phrase, as in the index
    ("Burgenstock", {"gas"}),  # accents folded both ways
    ("Bürgenstock", {"gas"}),
    ("pipelines", {"gas"}),  # stemmed
    ("gas OR brussels", {"gas", "html", "nato"}),
    ("offic* -gas", {"summit", "nato"}),
    ("Bürgen*", {"gas"}),
    ("headline:nato", {"nato"}),
    ("nothingmatches", set()),
])
def test_text_matching(corpus, q, expected):
    assert set(ask(q)) == {corpus[name] for name in expected}


def test_filters_all_any_not(corpus):
    assert set(ask("officials", actors=(actor("vladimir-putin"),))) == {corpus["gas"], corpus["summit"]}
    assert set(ask("officials", actors=(actor("vladimir-putin"), actor("xi-jinping")))) == {corpus["summit"]}
    assert ask("officials", topics_any=(topic("energy"),), actors_any=(actor("nato"),)) == []  # none carries both
    assert set(ask("officials", actors_any=(actor("nato"), actor("xi-jinping")))) == {corpus["nato"], corpus["summit"]}
    assert set(ask("officials", actors_not=(actor("russia"),))) == {corpus["nato"]}
    assert set(ask("officials", topics_not=(topic("energy"), topic("diplomacy")))) == {corpus["nato"]}
    assert set(ask(actors=(actor("russia"),), topics=(topic("energy"),))) == {corpus["gas"], corpus["html"]}


def test_date_range_and_as_of(corpus):
    assert set(ask("officials", date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 3, 1))) == {corpus["summit"]}
    assert set(ask(date_from=datetime.date(2024, 3, 1), date_to=datetime.date(2024, 3, 1))) == {corpus["summit"]}
    created = datetime.datetime(2030, 5, 5, tzinfo=datetime.timezone.utc)  # midnight after as_of: left out
    Article.objects.filter(pk=corpus["nato"]).update(created=created)
    with transaction.atomic():
        Article.objects.get(pk=corpus["nato"]).save(update_fields=["created"])
    assert corpus["nato"] not in ask("officials", as_of=datetime.date(2030, 5, 4))
    assert corpus["nato"] in ask("officials", as_of=datetime.date(2030, 5, 5))
    assert ask("officials", created_after=created - datetime.timedelta(microseconds=1)) == [corpus["nato"]]
    assert ask("officials", created_after=created) == []


def test_facets_count_every_match(corpus):
    facets = hits("officials").facets
    assert facets.topics == {"energy": 2, "diplomacy": 2}  # NATO's article has no topic
    assert facets.actors == {"vladimir-putin": 2, "xi-jinping": 1, "nato": 1, "russia": 3, "china": 2}
    assert facets.months == {"2024-05": 1, "2024-03": 1, "2023-11": 1, "2023-02": 1}
    assert facets.days == {"2024-05-16": 1, "2024-03-01": 1, "2023-11-20": 1, "2023-02-10": 1}
    assert hits("officials", stop=1).facets == facets  # one page, counts over all


def test_facets_list_every_value_past_any_top_n(search_index, make_article):
    # 130 actors: past haystack's 10 and Solr's default facet.limit of 100.
    people = [(f"Person {n:03d}", "person", f"person-{n:03d}") for n in range(130)]
    make_article("Delegates met in Geneva.", date="2024-02-01", actors=people)
    make_article("Delegates met in Geneva again.", date="2024-02-02", actors=people[:3])
    facets = hits("delegates").facets
    assert len(facets.actors) == 130
    assert facets.actors["person-000"] == 2 and facets.actors["person-129"] == 1


def test_sorts_break_ties_the_same_way(search_index, make_article):
    same_day = [make_article(f"Tariffs on wheat, round {n}.", date="2024-01-01") for n in range(3)]
    earlier = make_article("Tariffs on wheat, round 9.", date="2023-01-01")
    ids = [article.pk for article in same_day]
    assert ask("tariffs", sort="newest") == sorted(ids, reverse=True) + [earlier.pk]
    assert ask("tariffs", sort="oldest") == [earlier.pk] + sorted(ids)
    assert ask(sort="newest") == sorted(ids, reverse=True) + [earlier.pk]
    # Equal scores (same length, same words): newer first, then higher id.
    assert ask("tariffs") == sorted(ids, reverse=True) + [earlier.pk]


def test_count_and_paging(corpus):
    assert hits("officials", stop=0).count == 4
    newest = ask("officials", sort="newest")
    assert newest == [corpus[name] for name in ("gas", "summit", "nato", "html")]
    assert ask("officials", sort="newest", start=2, stop=4) == newest[2:4]
    assert ask("officials", sort="oldest") == list(reversed(newest))
    chunks = list(engine().iter_ids(SearchRequest(SearchFilters(q="officials", sort="newest"), read_query("officials")[0]), chunk=3))
    assert chunks == [newest[:3], newest[3:]]


def test_versions_never_match(corpus, make_article):
    copy = make_article("Gazprom and Beijing agreed on gas deliveries through the Power of Siberia pipeline again.")
    with transaction.atomic():
        Article.objects.filter(pk=copy.pk).update(version_of_id=corpus["gas"])
        Article.objects.get(pk=copy.pk).save()
    assert copy.pk not in ask("siberia")
    assert corpus["gas"] in ask("siberia")


def test_deleted_and_edited_documents(corpus, small_archive):
    small_archive["nato"].delete()
    assert ask("brussels") == []
    assert corpus["nato"] not in ask("officials")
    gas = Article.objects.get(pk=corpus["gas"])
    with transaction.atomic():
        gas.actors.remove(actor("china"))
    assert corpus["gas"] not in ask(actors=(actor("china"),))
    indexed = engine().indexed()
    assert set(indexed) == {corpus["gas"], corpus["summit"], corpus["html"]}
    assert indexed[corpus["gas"]].actors == {"vladimir-putin", "russia"}
    assert indexed[corpus["gas"]].topics == {"energy", "diplomacy"}


def test_spelling_suggestions_come_from_the_index(corpus):
    assert engine().suggest(["leaked", "contrakt"]) == ["leaked", "contract"]
    assert engine().suggest(["leaked", "contract"]) is None


def test_health_counts_documents(corpus):
    health = engine().health()
    assert health.available and health.documents == 4


def test_request_sort_defaults():
    assert SearchRequest(SearchFilters(q="x"), read_query("x")[0]).sort == "relevance"
    assert SearchRequest(SearchFilters()).sort == "newest"
    assert SearchRequest(dataclasses.replace(SearchFilters(), sort="relevance")).sort == "newest"
