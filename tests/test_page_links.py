"""The facet sidebar and the result rows' tag links equal what the plain path builds.

The page builds its ~300 links from the view's parameters encoded once (forms.ViewLinks) and
reads actors and topics as plain values (articles.labels). The reference here is the
straightforward way: model objects, and a SearchFilters copy turned into a URL for every link.
"""

import calendar
import datetime
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict

from articles.facets import VALUES_PER_GROUP, FacetGroup, FacetValue, facet_groups
from articles.forms import LABEL_FIELDS, SearchFilters, ViewLinks, parse_search_filters
from articles.models import Actor, Article, Topic
from articles.search.engines.base import FacetCounts
from articles.search.selectors import article_search

from .pages import FacetLink, facet_links, parse, result_rows


def reference_facet_groups(filters: SearchFilters, counts: FacetCounts) -> list[FacetGroup]:
    actors = {actor.slug: actor for actor in Actor.objects.filter(slug__in=counts.actors)}
    groups = [
        _reference_label_group(f"actor-{kind}", title, filters, "actors",
                               {slug: actor for slug, actor in actors.items() if actor.kind == kind}, counts.actors, kind)
        for kind, title in (("person", "People"), ("organisation", "Organisations"), ("country", "Countries"))
    ]
    topics = {topic.slug: topic for topic in Topic.objects.filter(slug__in=counts.topics)}
    groups.append(_reference_label_group("topic", "Topics", filters, "topics", topics, counts.topics, None))
    years = {}
    for month, n in counts.months.items():
        years[int(month[:4])] = years.get(int(month[:4]), 0) + n
    groups.append(FacetGroup("year", "Years", [
        _reference_date_value(filters, str(year), years[year], datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        for year in sorted(years, reverse=True)
    ]))
    if filters.date_from and filters.date_to and filters.date_from.year == filters.date_to.year:
        year = filters.date_from.year
        groups.append(FacetGroup("month", f"Months of {year}", [
            _reference_date_value(filters, f"{calendar.month_name[int(month[5:])]} {year}", counts.months[month],
                                  datetime.date(year, int(month[5:]), 1),
                                  datetime.date(year, int(month[5:]), calendar.monthrange(year, int(month[5:]))[1]))
            for month in sorted(counts.months) if month.startswith(f"{year}-")
        ]))
    return [group for group in groups if group.values]


def _reference_label_group(name, title, filters, field, labels, counts, kind) -> FacetGroup:
    active = {label.slug for label in getattr(filters, field) + getattr(filters, field + "_any")}
    ranked = sorted(labels, key=lambda slug: (-counts[slug], slug))
    shown = ranked[:VALUES_PER_GROUP] + [slug for slug in ranked[VALUES_PER_GROUP:] if slug in active]
    values = [_reference_label_value(filters, field, labels[slug], counts[slug]) for slug in shown]
    values += [_reference_label_value(filters, field, label, 0) for label in getattr(filters, field + "_not")
               if kind is None or label.kind == kind]
    return FacetGroup(name, title, values)


def _reference_label_value(filters, field, label, count) -> FacetValue:
    return FacetValue(
        label=label.name, count=count,
        url=_toggled_url(filters, field, "", label), selected=label in getattr(filters, field),
        any_url=_toggled_url(filters, field, "_any", label), in_any=label in getattr(filters, field + "_any"),
        not_url=_toggled_url(filters, field, "_not", label), excluded=label in getattr(filters, field + "_not"),
    )


def _toggled_url(filters, field, mode, label) -> str:
    """The view with the label toggled in one of the field's sets and taken out of the other two."""
    changes = {}
    for other in ("", "_any", "_not"):
        current = getattr(filters, field + other)
        without = tuple(item for item in current if item != label)
        changes[field + other] = (without if label in current else current + (label,)) if other == mode else without
    return filters.replace(**changes).url()


def _reference_date_value(filters, label, count, start, end) -> FacetValue:
    selected = (filters.date_from, filters.date_to) == (start, end)
    changed = filters.replace(date_from=None, date_to=None) if selected else filters.replace(date_from=start, date_to=end)
    return FacetValue(label, count, changed.url(), selected)


def reference_tags(filters: SearchFilters, article: Article) -> list[tuple[str, str, str, str]]:
    """(text, href, kind, title) of each tag link of the article's row: the view with that label also required."""
    tags = []
    for actor in article.actors.all():
        actors = filters.actors if actor in filters.actors else filters.actors + (actor,)
        tags.append((actor.name, filters.replace(actors=actors).url(), actor.kind, f"{actor.get_kind_display()}: add as filter"))
    for topic in article.topics.all():
        topics = filters.topics if topic in filters.topics else filters.topics + (topic,)
        tags.append((topic.name, filters.replace(topics=topics).url(), "topic", "Topic: add as filter"))
    return tags


def expected_links(group: FacetGroup) -> list[FacetLink]:
    """What the sidebar must show of a group: an excluded value links to undoing the exclusion, and has no or/not."""
    return [
        FacetLink(value.label, "excluded", value.not_url, "", "", True) if value.excluded else
        FacetLink(value.label, str(value.count), value.url, value.any_url, value.not_url, value.selected)
        for value in group.values
    ]


VIEWS = [
    {},
    {"q": "officials"},
    {"q": "officials", "actor": "russia", "page": "1"},
    {"actor_any": ["china", "nato"], "topic_not": "diplomacy"},
    {"q": "gas", "actor_not": ["china", "xi-jinping"], "sort": "oldest"},
    {"from": "2024-01-01", "to": "2024-12-31", "topic_any": "energy", "actor": "vladimir-putin"},
    {"q": "officials", "from": "2024-03-01", "to": "2024-03-31"},  # the month group, its selected month
    {"from": "2023-01-01", "to": "2023-12-31", "topic": "energy", "topic_any": "diplomacy", "topic_not": "x-none"},
    {"q": "Putin OR NATO", "actor_any": ["xi-jinping", "vladimir-putin"], "as_of": "2030-01-01", "sort": "newest"},
    {"q": "“Power of Siberia” pipeline", "actor": "russia", "actor_not": "russia"},  # both required and excluded
    {"actor": ["china", "russia"], "topic": ["energy", "diplomacy"], "actor_not": "nato", "topic_any": "energy"},
    {"q": "officials", "actor_any": ["china", "no-such-actor"], "actor_not": "ghost", "topic_not": "no-such-topic"},  # unknown slugs stay
]


def view_filters(params: dict) -> SearchFilters:
    filters, _ = parse_search_filters(QueryDict(urlencode(params, doseq=True)))
    return filters


@pytest.mark.parametrize("params", VIEWS, ids=lambda params: urlencode(params, doseq=True) or "all")
def test_facet_groups_equal_the_reference(small_archive, params):
    filters = view_filters(params)
    counts = article_search(filters).facets
    assert facet_groups(filters, counts) == reference_facet_groups(filters, counts)


@pytest.mark.parametrize("params", VIEWS, ids=lambda params: urlencode(params, doseq=True) or "all")
def test_search_page_sidebar_and_rows_link_as_the_reference(client, small_archive, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    page, filters = parse(response), view_filters(params)
    expected = reference_facet_groups(filters, article_search(filters).facets)
    shown = [section.h3["id"].removeprefix("facet-") for section in page.select("aside.filters section.facet")]
    assert shown == [group.name for group in expected]
    for group in expected:
        assert facet_links(page, group.name) == expected_links(group), group.name
    rows = result_rows(page)
    articles = {article.headline: article for article in Article.objects.prefetch_related("actors", "topics")}
    for row in rows:
        links = BeautifulSoup(row.html, "html.parser").select("ul.tags a")
        tags = [(text, href, link["class"][1].removeprefix("tag--"), link["title"]) for (text, href), link in zip(row.tags, links)]
        assert tags == reference_tags(filters, articles[row.headline]), row.headline
    assert len(rows) == article_search(filters).count


def test_a_label_page_lists_what_appears_alongside_as_the_reference(client, small_archive):
    page = parse(client.get("/actors/vladimir-putin/"))
    filters = SearchFilters(actors=(Actor.objects.get(slug="vladimir-putin"),))
    for group in reference_facet_groups(filters, article_search(filters).facets):
        if group.name.startswith(("actor", "topic")):
            alongside = [link for link in expected_links(group) if not link.current]
            assert facet_links(page, group.name) == alongside, group.name
    for row in result_rows(page):
        article = Article.objects.get(headline=row.headline)
        assert row.tags == [(text, href) for text, href, _, _ in reference_tags(filters, article)]


@pytest.mark.parametrize("params", [
    {},
    {"actor_any": ["person-00", "org-02"], "q": "gas"},
    {"actor": "person-01", "actor_not": ["org-05", "person-29"], "topic_not": "energy"},
    {"actor_any": "org-01", "actor_not": "org-01", "from": "2024-02-01", "to": "2024-02-29"},
])
def test_facet_groups_of_many_actors_equal_the_reference(many_actors, params):
    filters = view_filters(params)
    counts = FacetCounts(many_actors, {"energy": 3}, {"2024-02": 2, "2023-12": 1})
    assert facet_groups(filters, counts) == reference_facet_groups(filters, counts)


@pytest.mark.parametrize("params, changes", [
    ({}, {}),
    ({}, {"actors": ("russia",)}),
    ({"q": "gas deal", "actor": "russia", "page": "3"}, {"actors": ("russia", "china")}),
    ({"q": "ß & ü", "topic_not": "energy", "sort": "oldest", "as_of": "2024-07-01"}, {"topics_not": ()}),
    ({"actor_any": ["nato", "china"], "from": "2024-01-01"}, {"dates": (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))}),
    ({"q": "gas", "from": "2024-01-01", "to": "2024-02-01", "sort": "newest"}, {"dates": (None, None), "actors_not": ("nato",)}),
])
def test_view_links_equal_the_filters_own_url(small_archive, params, changes):
    filters = view_filters(params)
    by_slug = {label.slug: label for label in [*Actor.objects.all(), *Topic.objects.all()]}
    replaced = {field: tuple(by_slug[slug] for slug in slugs) for field, slugs in changes.items() if field != "dates"}
    if "dates" in changes:
        replaced["date_from"], replaced["date_to"] = changes["dates"]
    assert ViewLinks(filters).url(**changes) == filters.replace(**replaced).url()


@pytest.mark.parametrize("params", [
    {},
    {"q": "gas deal", "actor": "russia", "topic_not": "energy", "sort": "oldest", "as_of": "2024-07-01"},
    {"actor_any": ["nato", "china"], "actor": "unknown-slug", "from": "2024-01-01", "topic": "energy"},
])
def test_one_field_changed_is_the_full_links_url(small_archive, params):
    links = ViewLinks(view_filters(params))
    for field in LABEL_FIELDS:
        for slugs in [(), ("russia",), ("china", "nato"), links.slugs[field] + ("energy",)]:
            assert links.url_with(field, slugs) == links.url(**{field: slugs}), (field, slugs)
