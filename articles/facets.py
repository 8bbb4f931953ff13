"""Turn raw facet counts into what the page shows: labelled values with counts and toggle links.

Each value is a plain FacetValue ({label, count, url, selected, ...}) that renders its own row of the facet list.
"""

import calendar
import dataclasses
import datetime
import html

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import pluralize, truncatewords, urlencode
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from .forms import UNKNOWN_WORDING, SearchFilters, ViewLinks
from .labels import ActorValue, TopicValue, actor_values, topic_values
from .models import Actor, ActorKind, Article, Topic
from .search.engines.base import FacetCounts
from .search.selectors import ResultRow, SearchPage, article_search

VALUES_PER_GROUP = 12


def _escaped(value) -> str:
    """conditional_escape(value), as plain text: without Django's checks for lazy strings, which were a
    tenth of a results page (it escapes ~1,000 values: labels, counts and URLs of ~250 links)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@dataclasses.dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    url: str  # the current view with this value toggled (required, for actors and topics)
    selected: bool
    any_url: str = ""  # toggled in the "any of" set (OR)
    in_any: bool = False
    not_url: str = ""  # toggled in the excluded set (NOT)
    excluded: bool = False

    def __html__(self) -> SafeString:
        """The value's row in the facet list. Built here: as a template loop, a page's ~50 rows took ~3 ms."""
        label, not_url = _escaped(self.label), _escaped(self.not_url)
        if self.excluded:
            return mark_safe(
                f'<li class="facet__row is-excluded"><a href="{not_url}" class="facet__value" aria-current="true">'
                f'<span class="facet__label"><span class="visually-hidden">Stop excluding: </span><s>{label}</s></span>'
                '<span class="facet__count">excluded</span></a></li>')
        url, count = _escaped(self.url), _escaped(self.count)
        if self.selected:
            link = (f'<a href="{url}" aria-current="true" class="facet__value is-selected"><span class="facet__label">'
                    f'<span class="visually-hidden">Remove filter: </span>{label}</span> <span class="facet__count">{count}</span></a>')
        else:
            link = (f'<a href="{url}" class="{"facet__value is-any" if self.in_any else "facet__value"}"><span class="facet__label">'
                    f'{label}</span> <span class="facet__count">{count}</span></a>')
        if not self.any_url:
            return mark_safe(f'<li class="facet__row">{link}</li>')
        title = "Remove from the either-or set" if self.in_any else "Match this or the other “or” values"
        current = ' aria-current="true"' if self.in_any else ""
        return mark_safe(
            f'<li class="facet__row">{link} <span class="facet__more"><a href="{_escaped(self.any_url)}" title="{_escaped(title)}"{current}>'
            f'or<span class="visually-hidden"> {label}</span></a> <a href="{not_url}" title="Leave out articles with {label}">'
            f'not<span class="visually-hidden"> {label}</span></a></span></li>')

    # Django's template engine turns a non-string into str() before it looks for __html__.
    __str__ = __html__


@dataclasses.dataclass(frozen=True)
class FacetGroup:
    name: str  # stable id, e.g. "actor-person"
    title: str
    values: list[FacetValue]


def facet_groups(filters: SearchFilters, counts: FacetCounts) -> list[FacetGroup]:
    """Return actors by kind, topics and dates, each value linking to the toggled view."""
    links = ViewLinks(filters)
    groups = _actor_groups(filters, links, counts.actors)
    groups.append(_topic_group(filters, links, counts.topics))
    groups.append(_year_group(filters, links, counts.months))
    month_group = _month_group(filters, links, counts.months)
    if month_group:
        groups.append(month_group)
    return [group for group in groups if group.values]


def _by_count(counts: dict[str, int]) -> list[str]:
    """Keys by count, highest first, then by name: two C-level sorts (a broad query counts thousands of actors)."""
    return sorted(sorted(counts), key=counts.__getitem__, reverse=True)  # reverse keeps equal counts in name order


def _top(counts: dict[str, int], selected: set[str]) -> list[str]:
    """Keys by count (then name), the top VALUES_PER_GROUP plus any selected ones."""
    ranked = _by_count(counts)
    return ranked[:VALUES_PER_GROUP] + [key for key in ranked[VALUES_PER_GROUP:] if key in selected]


def _actor_groups(filters: SearchFilters, links: ViewLinks, counts: dict[str, int]) -> list[FacetGroup]:
    actors = _shown_actors(filters, counts)
    return [
        _label_group(f"actor-{kind}", title, filters, links, "actors", {s: a for s, a in actors.items() if a.kind == kind}, counts)
        for kind, title in ((ActorKind.PERSON, "People"), (ActorKind.ORGANISATION, "Organisations"), (ActorKind.COUNTRY, "Countries"))
    ]


ACTOR_KINDS = (ActorKind.PERSON, ActorKind.ORGANISATION, ActorKind.COUNTRY)
ACTORS_PER_QUERY = 200


def _shown_actors(filters: SearchFilters, counts: dict[str, int]) -> dict[str, ActorValue]:
    """{slug: actor} for the most frequent actors of each kind (at least VALUES_PER_GROUP) and the selected.

    A broad query counts thousands of actors; the kind of each is only in the database, so
    actors are loaded most frequent first, a few hundred at a time, until every kind is full.
    """
    ranked = _by_count(counts)
    actors, per_kind = {}, dict.fromkeys(ACTOR_KINDS, 0)
    for start in range(0, len(ranked), ACTORS_PER_QUERY):
        for actor in actor_values(ranked[start:start + ACTORS_PER_QUERY]):
            actors[actor.slug] = actor
            per_kind[actor.kind] = per_kind.get(actor.kind, 0) + 1
        if min(per_kind.values()) >= VALUES_PER_GROUP:
            break
    for actor in filters.actors + filters.actors_any:  # selected ones stay listed however rare
        if actor.slug in counts:
            actors.setdefault(actor.slug, _value_of(actor))
    return actors


def _topic_group(filters: SearchFilters, links: ViewLinks, counts: dict[str, int]) -> FacetGroup:
    topics = {topic.slug: topic for topic in topic_values(list(counts))}
    return _label_group("topic", "Topics", filters, links, "topics", topics, counts)


def _value_of(label: Actor | Topic) -> ActorValue | TopicValue:
    """The values of a label the filters hold as a model object, as facets read the others from the database."""
    return ActorValue(label.name, label.kind, label.slug) if isinstance(label, Actor) else TopicValue(label.name, label.slug)


def _label_group(name: str, title: str, filters: SearchFilters, links: ViewLinks, field: str, labels: dict, counts: dict[str, int]) -> FacetGroup:
    """Values for actors or topics (`field`): each can be required, one of several (OR), or excluded."""
    required, any_of, _ = (links.slugs[field + mode] for mode in MODES)
    shown = _top({slug: n for slug, n in counts.items() if slug in labels}, {*required, *any_of})
    values = [_label_value(links, field, labels[slug], counts[slug]) for slug in shown]
    # Excluded values have no matches left, but stay listed so the exclusion can be undone.
    kind = name.removeprefix("actor-") if field == "actors" else None
    values += [
        _label_value(links, field, _value_of(label), 0)
        for label in getattr(filters, field + "_not")
        if kind in (None, getattr(label, "kind", None))
    ]
    return FacetGroup(name, title, values)


MODES = ("", "_any", "_not")  # SearchFilters fields: actors, actors_any, actors_not (and topics)


def _label_value(links: ViewLinks, field: str, label: ActorValue | TopicValue, count: int) -> FacetValue:
    required, any_of, excluded = (links.slugs[field + mode] for mode in MODES)
    slug = label.slug
    if slug in required or slug in any_of or slug in excluded:
        url, any_url, not_url = (links.url(**_moved(links.slugs, field, mode, slug)) for mode in MODES)
    else:  # most values: each link adds the value to one of the field's sets, and changes nothing else
        url, any_url, not_url = (links.url_with(field + mode, current + (slug,))
                                 for mode, current in zip(MODES, (required, any_of, excluded)))
    return FacetValue(label=label.name, count=count, url=url, selected=slug in required, any_url=any_url,
                      in_any=slug in any_of, not_url=not_url, excluded=slug in excluded)


def with_label(filters: SearchFilters, field: str, mode: str, label) -> SearchFilters:
    """Toggle label in one of the field's sets (required, any, not), taking it out of the other two."""
    return filters.replace(**_moved({field + other: getattr(filters, field + other) for other in MODES}, field, mode, label))


def _moved(current: dict[str, tuple], field: str, mode: str, item) -> dict[str, tuple]:
    """The field's three sets (e.g. actors, actors_any, actors_not) with item toggled in one and out of the others.

    # _moved({"actors": ("a",), "actors_any": (), "actors_not": ()}, "actors", "_not", "a")
    #   -> {"actors": (), "actors_any": (), "actors_not": ("a",)}
    """
    changes = {}
    for other in MODES:
        items = current[field + other]
        if other == mode:
            changes[field + other] = _toggled(items, item)
        else:
            changes[field + other] = tuple(x for x in items if x != item)
    return changes


def _toggled(current: tuple, item) -> tuple:
    """Add item to the selection, or remove it when already there."""
    return tuple(x for x in current if x != item) if item in current else current + (item,)


def _year_group(filters: SearchFilters, links: ViewLinks, months: dict[str, int]) -> FacetGroup:
    years: dict[int, int] = {}
    for month, n in months.items():
        years[int(month[:4])] = years.get(int(month[:4]), 0) + n
    values = []
    for year in sorted(years, reverse=True):
        span = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        values.append(_date_value(filters, links, str(year), years[year], span))
    return FacetGroup("year", "Years", values)


def _month_group(filters: SearchFilters, links: ViewLinks, months: dict[str, int]) -> FacetGroup | None:
    """Months of the one year the current date range lies in, if it lies in one."""
    if not (filters.date_from and filters.date_to and filters.date_from.year == filters.date_to.year):
        return None
    year = filters.date_from.year
    values = []
    for month in sorted(key for key in months if key.startswith(f"{year:04d}-")):
        number = int(month[5:7])
        last_day = calendar.monthrange(year, number)[1]
        span = (datetime.date(year, number, 1), datetime.date(year, number, last_day))
        values.append(_date_value(filters, links, f"{calendar.month_name[number]} {year}", months[month], span))
    return FacetGroup("month", f"Months of {year}", values)


def _date_value(filters: SearchFilters, links: ViewLinks, label: str, count: int, span: tuple) -> FacetValue:
    """A date range value: selecting it sets from/to; selecting it again clears them."""
    selected = (filters.date_from, filters.date_to) == span
    return FacetValue(label, count, links.url(dates=(None, None) if selected else span), selected)


@dataclasses.dataclass(frozen=True)
class Chip:
    label: str
    without: SearchFilters  # the view with this filter removed

    @property
    def remove_url(self) -> str:
        return self.without.url()


def active_filter_chips(filters: SearchFilters) -> list[Chip]:
    """One removable chip per active filter; removing one keeps the query, sort and other filters.

    Dates are written as in the address and in SearchFilters.describe() (saved views' names): 2024-01-31.
    """
    chips = []
    if filters.date_from:
        chips.append(Chip(f"From {filters.date_from.isoformat()}", filters.replace(date_from=None)))
    if filters.date_to:
        chips.append(Chip(f"To {filters.date_to.isoformat()}", filters.replace(date_to=None)))
    for field, prefix in (("actors", None), ("topics", "Topic")):
        for label in getattr(filters, field):
            chips.append(Chip(f"{prefix or label.get_kind_display()}: {label.name}", with_label(filters, field, "", label)))
        for label in getattr(filters, field + "_any"):
            chips.append(Chip(f"Any of: {label.name}", with_label(filters, field, "_any", label)))
        for label in getattr(filters, field + "_not"):
            chips.append(Chip(f"Not: {label.name}", with_label(filters, field, "_not", label)))
    for param, slug in filters.unknown:
        others = tuple(entry for entry in filters.unknown if entry != (param, slug))
        chips.append(Chip(f"Unknown {UNKNOWN_WORDING[param]}: {slug}", filters.replace(unknown=others)))
    if filters.as_of:
        chips.append(Chip(f"As of {filters.as_of.isoformat()}", filters.replace(as_of=None)))
    return chips


@dataclasses.dataclass(frozen=True)
class Relaxation:
    chip: Chip
    count: int  # results there would be without this filter


def relaxations(chips: list[Chip]) -> list[Relaxation]:
    """For a view with no results: the filters whose removal alone would find something, and how much."""
    found = [Relaxation(chip, article_search(chip.without).count) for chip in chips]
    return [relaxation for relaxation in found if relaxation.count]


@dataclasses.dataclass(frozen=True)
class LabelLink:
    label: str
    kind: str  # person | organisation | country | topic
    kind_label: str
    url: str  # the current view narrowed to this actor or topic

    def __html__(self) -> SafeString:
        """The tag link of a result row. Built here: as a template loop, a page's ~240 of them took 2 ms."""
        return mark_safe(f'<a class="tag tag--{_escaped(self.kind)}" href="{_escaped(self.url)}" '
                         f'title="{_escaped(self.kind_label)}: add as filter">{_escaped(self.label)}</a>')

    # Django's template engine turns a non-string into str() before it looks for __html__.
    __str__ = __html__


@dataclasses.dataclass(frozen=True)
class ResultItem:
    """One row of a result list: headline link, date, snippet (or the lead) and the tag links.

    Renders itself: as an {% include %} per row, a page's 20 rows took ~2 ms, a sixth of a rare word's page.
    tests/test_result_items.py compares it with the template it replaced.
    """

    article: Article  # with .version_count when the search counted its similar versions
    snippet: SafeString | None
    labels: list[SafeString]
    highlight: str = ""  # the query, passed on to the article page to mark it there

    def __html__(self) -> SafeString:
        article = self.article
        url = article.get_absolute_url()
        href = _escaped(url) + (f"?hl={_escaped(urlencode(self.highlight))}" if self.highlight else "")
        versions = getattr(article, "version_count", 0)
        more = (f' · <a class="result__versions" href="{_escaped(url)}#versions">+{_escaped(localize(versions))} '
                f"similar version{pluralize(versions)}</a>") if versions else ""
        text = self.snippet if self.snippet else _escaped(truncatewords(article.lead, 45))
        tags = ("\n  <ul class=\"tags\" aria-label=\"Actors and topics: add as a filter\">\n    "
                + "".join(f"<li>{label}</li>" for label in self.labels) + "\n  </ul>\n  ") if self.labels else ""
        return mark_safe(
            f'<li class="result">\n  <h3 class="result__headline"><a href="{href}">{_escaped(article.headline)}</a></h3>\n'
            f'  <p class="result__meta"><time datetime="{_escaped(article.date.isoformat())}">'
            f'{_escaped(date_filter(article.date, "j F Y"))}</time>{more}</p>\n'
            f'  <p class="result__snippet">{text}</p>\n  {tags}\n</li>\n'
        )

    __str__ = __html__


def result_rows(filters: SearchFilters, result: SearchPage, with_snippets: bool = True) -> list[ResultItem]:
    """The rows of a result list; rows share the links of the labels they share."""
    links, shared = ViewLinks(filters), {}
    return [ResultItem(row.article, row.snippet if with_snippets else None, label_links(links, row, shared), filters.q)
            for row in result.rows]


KIND_LABELS = dict(ActorKind.choices)  # "person" -> "Person", as Actor.get_kind_display() says


def label_links(links: ViewLinks, row: ResultRow, shared: dict | None = None) -> list[SafeString]:
    """The row's actors and topics, each a link to the current view with that filter added (as HTML).

    Pass one `shared` dict for all rows of a page: a label on several rows is built once.
    """
    shared = {} if shared is None else shared

    def link(field: str, label: ActorValue | TopicValue, kind: str, kind_label: str) -> SafeString:
        key = (field, label.slug)
        if key not in shared:
            shared[key] = LabelLink(label.name, kind, kind_label, _narrowed(links, field, label.slug)).__html__()
        return shared[key]

    tags = [link("actors", actor, actor.kind, KIND_LABELS.get(actor.kind, actor.kind)) for actor in row.actors]
    tags += [link("topics", topic, "topic", "Topic") for topic in row.topics]
    return tags


def _narrowed(links: ViewLinks, field: str, slug: str) -> str:
    """The URL of the view with one more actor or topic required (unchanged if already there)."""
    current = links.slugs[field]
    return links.url_with(field, current if slug in current else current + (slug,))
