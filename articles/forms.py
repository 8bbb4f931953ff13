"""Search parameters: validate the GET query into SearchFilters, and back into a canonical URL.

# ?q=gas&actor=vladimir-putin&actor=xi-jinping&from=2024-01-01&page=2
#   -> SearchFilters(q="gas", date_from=2024-01-01, actors=("vladimir-putin", "xi-jinping"), page=2)
# Bad values become "no filter" plus a notice; nothing here raises on user input.
"""

import dataclasses
import datetime
import functools
import re
from collections.abc import Iterable
from urllib.parse import quote_plus

from django.http import QueryDict
from django.urls import get_script_prefix, reverse

from .ingest import without_control_characters
from .models import Actor, ActorRedirect, Topic, TopicRedirect
from .query_bounds import query_bound
from .quoting import quoted

SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_LENGTH = 300
MAX_FILTER_VALUES = 10
MAX_PAGE = 10_000
LATEST_AS_OF = datetime.date.max - datetime.timedelta(days=1)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_SLUG_LENGTH = 200
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
# SearchFilters field -> GET parameter, in canonical order: ?actor=a&actor_any=b&actor_not=c&topic=...
LABEL_FIELDS = {
    "actors": "actor",
    "actors_any": "actor_any",
    "actors_not": "actor_not",
    "topics": "topic",
    "topics_any": "topic_any",
    "topics_not": "topic_not",
}

UNKNOWN_WORDING = {
    "actor": "actor", "actor_any": "any of actors", "actor_not": "not actor",
    "topic": "topic", "topic_any": "any of topics", "topic_not": "not topic",
}


def label_params(filters: "SearchFilters") -> list[tuple[str, tuple]]:
    """(parameter, labels) pairs of a view, in canonical order."""
    return [(name, getattr(filters, field)) for field, name in LABEL_FIELDS.items()]


@dataclasses.dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actors: tuple[Actor, ...] = ()  # all required
    topics: tuple[Topic, ...] = ()
    actors_any: tuple[Actor, ...] = ()  # at least one of them
    topics_any: tuple[Topic, ...] = ()
    actors_not: tuple[Actor, ...] = ()  # none of them
    topics_not: tuple[Topic, ...] = ()
    as_of: datetime.date | None = None  # the archive as it stood that day: later additions left out
    # Slugs asked for that name no actor or topic (nor an old slug of one), as (parameter, slug):
    # kept in the URL, and a required one matches nothing, so the view never turns wider than asked.
    unknown: tuple[tuple[str, str], ...] = ()
    sort: str = ""  # "" means the default for the view: relevance with a query, else newest
    page: int = 1

    def __post_init__(self):
        if not self.sort:
            object.__setattr__(self, "sort", self.default_sort)

    @property
    def default_sort(self) -> str:
        return "relevance" if self.q else "newest"

    @property
    def actor_slugs(self) -> tuple[str, ...]:
        return tuple(actor.slug for actor in self.actors)

    @property
    def topic_slugs(self) -> tuple[str, ...]:
        return tuple(topic.slug for topic in self.topics)

    @property
    def is_filtered(self) -> bool:
        return bool(self.date_from or self.date_to or self.actors or self.topics or self.label_filters_extra)

    @property
    def label_filters_extra(self) -> bool:
        return bool(self.actors_any or self.topics_any or self.actors_not or self.topics_not or self.unknown)

    @property
    def matches_nothing(self) -> bool:
        """Whether an unknown label rules out every article.

        # ?actor=renamed-long-ago -> True (required, and nobody has it)
        # ?actor_any=nato&actor_any=unknown -> False (NATO's articles); ?actor_not=unknown -> False (nothing excluded)
        """
        unknown_params = {name for name, _ in self.unknown}
        return bool(
            unknown_params & {"actor", "topic"}
            or ("actor_any" in unknown_params and not self.actors_any)
            or ("topic_any" in unknown_params and not self.topics_any)
        )

    def replace(self, **changes) -> "SearchFilters":
        """Return a copy with some fields changed; any change of view goes back to page 1."""
        changes.setdefault("page", 1)
        return dataclasses.replace(self, **changes)

    def params(self) -> list[tuple[str, str]]:
        """Return the canonical query parameters: fixed order, defaults left out."""
        params = []
        if self.q:
            params.append(("q", self.q))
        if self.date_from:
            params.append(("from", self.date_from.isoformat()))
        if self.date_to:
            params.append(("to", self.date_to.isoformat()))
        for name, labels in label_params(self):
            slugs = [label.slug for label in labels] + [slug for param, slug in self.unknown if param == name]
            params += [(name, slug) for slug in sorted(slugs)]
        if self.as_of:
            params.append(("as_of", self.as_of.isoformat()))
        if self.sort != self.default_sort:
            params.append(("sort", self.sort))
        if self.page != 1:
            params.append(("page", str(self.page)))
        return params

    def kept_params(self, *replaced: str) -> list[tuple[str, str]]:
        """The canonical parameters a form must carry as hidden inputs when it replaces some.

        # the search box replaces q; the date form replaces from and to; either starts at page 1:
        # ?q=gas&actor_not=nato&as_of=2024-01-01&page=3 -> kept_params("q") == [("actor_not", "nato"), ("as_of", "2024-01-01")]
        """
        return [(name, value) for name, value in self.params() if name not in replaced and name != "page"]

    @property
    def query_form_params(self) -> list[tuple[str, str]]:
        """Hidden inputs of the search box: every filter of the view, and the sort."""
        return self.kept_params("q")

    @property
    def date_form_params(self) -> list[tuple[str, str]]:
        """Hidden inputs of the date form: the query, every other filter, and the sort."""
        return self.kept_params("from", "to")

    def describe(self) -> str:
        """A readable summary: 'gas, actor: Vladimir Putin, 2024-01-01 to 2024-06-30, as of 2024-07-01'."""
        parts = [quoted(self.q)] if self.q else []
        parts += [f"actor: {actor.name}" for actor in self.actors]
        if self.actors_any:
            parts.append("actor: " + " or ".join(actor.name for actor in self.actors_any))
        parts += [f"not actor: {actor.name}" for actor in self.actors_not]
        parts += [f"topic: {topic.name}" for topic in self.topics]
        if self.topics_any:
            parts.append("topic: " + " or ".join(topic.name for topic in self.topics_any))
        parts += [f"not topic: {topic.name}" for topic in self.topics_not]
        parts += [f"{UNKNOWN_WORDING[name]}: unknown “{slug}”" for name, slug in self.unknown]
        if self.date_from or self.date_to:
            start = self.date_from.isoformat() if self.date_from else "the start"
            end = self.date_to.isoformat() if self.date_to else "today"
            parts.append(f"{start} to {end}")
        if self.as_of:
            parts.append(f"as of {self.as_of.isoformat()}")
        return ", ".join(parts) or "all articles"

    def url(self, **extra: str) -> str:
        """Return the canonical search URL of this view."""
        return _search_path(get_script_prefix()) + self.querystring(**extra)

    def querystring(self, **extra: str) -> str:
        """Return "?q=...&actor=..." (or "" for the unfiltered view), with extra parameters last."""
        params = self.params() + list(extra.items())
        return "?" + _encoded(params) if params else ""


class ViewLinks:
    """Canonical URLs of the views one step from `filters` (their page 1), without a SearchFilters copy for each.

    # ViewLinks(?q=gas&actor=putin&page=3).url(actors=("putin", "xi")) -> "/search/?q=gas&actor=putin&actor=xi"
    # ViewLinks(?q=gas&actor=putin).url(dates=(date(2024, 1, 1), date(2024, 12, 31)))
    #   -> "/search/?q=gas&from=2024-01-01&to=2024-12-31&actor=putin"
    A results page links ~300 such views (three per facet value, one per actor or topic of a row):
    copying the filters and encoding all their parameters again for each link took a sixth of the page.
    The parts not changed are encoded once; the URLs equal SearchFilters.replace(...).url().
    """

    def __init__(self, filters: SearchFilters):
        self.path = _search_path(get_script_prefix())
        self.slugs = {field: tuple(label.slug for label in getattr(filters, field)) for field in LABEL_FIELDS}
        # Unknown slugs stay in every link, beside the known ones of their parameter (as SearchFilters.params()).
        self._unknown = {field: tuple(slug for param, slug in filters.unknown if param == name) for field, name in LABEL_FIELDS.items()}
        self._query = _encoded([("q", filters.q)] if filters.q else [])
        self._dates = self._encoded_dates(filters.date_from, filters.date_to)
        self._labels = {field: self._encoded_labels(field, slugs) for field, slugs in self.slugs.items()}
        rest = [("as_of", filters.as_of.isoformat())] if filters.as_of else []
        rest += [("sort", filters.sort)] if filters.sort != filters.default_sort else []  # the default hangs on q alone
        self._rest = _encoded(rest)
        self._around: dict[str, tuple[str, str]] = {}  # url_with(): per field, the parts before and after it

    def url(self, *, dates: tuple[datetime.date | None, datetime.date | None] | None = None, **slugs: tuple[str, ...]) -> str:
        """The view with these label fields set to these slugs (actors=(...), topics_not=(...)) and/or these dates."""
        parts = [self._query, self._dates if dates is None else self._encoded_dates(*dates)]
        parts += [self._labels[field] if field not in slugs else self._encoded_labels(field, slugs[field]) for field in LABEL_FIELDS]
        parts.append(self._rest)
        return self._joined(parts)

    def url_with(self, field: str, slugs: tuple[str, ...]) -> str:
        """url(**{field: slugs}): one label field changed, the parameters before and after it joined once per field
        (a facet value's three links and a row's tag links change one field each: ~200 links a page)."""
        if field not in self._around:
            index = list(LABEL_FIELDS).index(field)
            labels = [self._labels[name] for name in LABEL_FIELDS]
            before = "&".join(part for part in [self._query, self._dates, *labels[:index]] if part)
            self._around[field] = before, "&".join(part for part in [*labels[index + 1:], self._rest] if part)
        before, after = self._around[field]
        return self._joined([before, self._encoded_labels(field, slugs), after])

    def _joined(self, parts: list[str]) -> str:
        querystring = "&".join(part for part in parts if part)
        return f"{self.path}?{querystring}" if querystring else self.path

    @staticmethod
    def _encoded_dates(date_from: datetime.date | None, date_to: datetime.date | None) -> str:
        return _encoded(([("from", date_from.isoformat())] if date_from else []) + ([("to", date_to.isoformat())] if date_to else []))

    def _encoded_labels(self, field: str, slugs: tuple[str, ...]) -> str:
        return _encoded([(LABEL_FIELDS[field], slug) for slug in sorted(slugs + self._unknown[field])])


def _encoded(params: list[tuple[str, str]]) -> str:
    """urlencode's output for these pairs: "q=gas+deal&actor=putin"."""
    return "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in params)


@functools.lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    """quote_plus, as urlencode applies it, remembered: a results page quotes the same slugs hundreds of times."""
    return quote_plus(text)


@functools.lru_cache(maxsize=8)
def _search_path(script_prefix: str) -> str:
    """reverse("search") once per script prefix: a results page builds hundreds of facet links."""
    return reverse("search")


def parse_search_filters(query: QueryDict, labels: "LabelLookup | None" = None) -> tuple[SearchFilters, list[str]]:
    """Validate GET parameters; return the filters and notices about values that were ignored.

    Pass one LabelLookup to read many views' parameters with a few queries in all.
    """
    notices: list[str] = []
    lookup = labels or LabelLookup()
    q = " ".join(without_control_characters(query.get("q", "")).split())
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notices.append(f"The query was cut to {MAX_QUERY_LENGTH} characters.")
    bounded = query_bound(q)
    q = bounded.q
    notices += bounded.notices
    date_from = _parse_date(query.get("from", ""), "from", notices)
    date_to = _parse_date(query.get("to", ""), "to", notices)
    if date_from and date_to and date_from > date_to:
        notices.append("The 'from' date was after the 'to' date, so the two were swapped.")
        date_from, date_to = date_to, date_from
    labels, unknown = {}, []
    for field, name in LABEL_FIELDS.items():
        model = Actor if name.startswith("actor") else Topic
        labels[field], missing = _parse_slugs(query.getlist(name), model, lookup, notices)
        unknown += [(name, slug) for slug in missing]
        _notice_unknown(name, missing, bool(labels[field]), notices)
    as_of = _parse_date(query.get("as_of", ""), "as_of", notices)
    if as_of and as_of > LATEST_AS_OF:
        # "As of" a day means "created before the next one", and 9999-12-31 has no next day. Read
        # without a notice: the day before finds the same articles, and a notice would refuse an export.
        as_of = LATEST_AS_OF
    filters = SearchFilters(q=q, date_from=date_from, date_to=date_to, as_of=as_of, unknown=tuple(unknown), **labels)
    sort = _parse_sort(query.get("sort", ""), filters.default_sort, notices)
    page = _parse_page(query.get("page", ""), notices)
    return dataclasses.replace(filters, sort=sort, page=page), notices


def _parse_date(value: str, name: str, notices: list[str]) -> datetime.date | None:
    """Read YYYY-MM-DD; anything else is ignored with a notice."""
    value = value.strip()
    if not value:
        return None
    if ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    notices.append(f"Ignored the '{name}' date “{value[:40]}”: use a real date in the form YYYY-MM-DD.")
    return None


def _parse_slugs(values: list[str], model, lookup: "LabelLookup", notices: list[str]) -> tuple[tuple, list[str]]:
    """Resolve slugs (or old slugs of merged or renamed labels) to objects in the order given, and list the unknown."""
    name = "actor" if model is Actor else "topic"
    wanted = _wanted_slugs(values, name, notices)
    found = lookup.resolve(model, [value for value in wanted if SLUG.fullmatch(value)])
    labels = tuple(dict.fromkeys(found[slug] for slug in wanted if slug in found))
    return labels, [slug for slug in wanted if slug not in found]


def _wanted_slugs(values: list[str], name: str, notices: list[str] | None = None) -> list[str]:
    """The distinct values given for a label parameter, cleaned, at most MAX_FILTER_VALUES."""
    # A control character is shown as "�", never dropped: "bad\x00slug" must stay unknown, not turn valid.
    cleaned = (" ".join(without_control_characters(value, "\ufffd").split())[:MAX_SLUG_LENGTH] for value in values)
    wanted = list(dict.fromkeys(value for value in cleaned if value))
    if len(wanted) > MAX_FILTER_VALUES:
        if notices is not None:
            notices.append(f"Only the first {MAX_FILTER_VALUES} {name} filters were used.")
        wanted = wanted[:MAX_FILTER_VALUES]
    return wanted


class LabelLookup:
    """Actors and topics by slug, live or old (merged, renamed), each slug looked up once.

    # LabelLookup.preloaded([QueryDict("actor=russia"), QueryDict("actor=nato&topic=energy")])
    #   -> four queries in all (actors, old actor slugs, topics, old topic slugs) for both views
    """

    def __init__(self):
        self._found: dict = {Actor: {}, Topic: {}}
        self._asked: dict = {Actor: set(), Topic: set()}

    @classmethod
    def preloaded(cls, queries: Iterable[QueryDict]) -> "LabelLookup":
        lookup, slugs = cls(), {Actor: set(), Topic: set()}
        for query in queries:
            for name in LABEL_FIELDS.values():
                model = Actor if name.startswith("actor") else Topic
                slugs[model].update(value for value in _wanted_slugs(query.getlist(name), name) if SLUG.fullmatch(value))
        for model, wanted in slugs.items():
            lookup.resolve(model, sorted(wanted))
        return lookup

    def resolve(self, model, slugs: list[str]) -> dict:
        """{slug: label} for the slugs that name one (only slug-shaped values: the others cannot)."""
        missing = [slug for slug in slugs if slug not in self._asked[model]]
        if missing:  # most views name no label of this kind: no query at all
            found = self._found[model]
            found.update({label.slug: label for label in model.objects.filter(slug__in=missing)})
            redirect_model, field = (ActorRedirect, "actor") if model is Actor else (TopicRedirect, "topic")
            for redirect in redirect_model.objects.filter(old_slug__in=missing).select_related(field):
                found.setdefault(redirect.old_slug, getattr(redirect, field))  # a live slug wins, as on the label's page
            self._asked[model].update(missing)
        return {slug: self._found[model][slug] for slug in slugs if slug in self._found[model]}


def _notice_unknown(param: str, slugs: list[str], others_known: bool, notices: list[str]) -> None:
    """Say what an unknown actor or topic does to the view: it is never dropped as if it were no filter."""
    name = param.split("_")[0]
    for slug in slugs:
        if param.endswith("_not"):
            effect = "leaving it out excludes nothing"
        elif param.endswith("_any") and others_known:
            effect = "only the others of the “any of” set can match"
        else:
            effect = "no article can match it, so there are no results; remove it to search without it"
        notices.append(f"There is no {name} “{slug[:60]}” (nor one renamed or merged from it): {effect}.")


def _parse_sort(value: str, default: str, notices: list[str]) -> str:
    """Accept one of SORTS; relevance needs a query."""
    if not value:
        return default
    if value not in SORTS:
        notices.append(f"Ignored the unknown sort order “{value[:40]}”.")
        return default
    if value == "relevance" and default != "relevance":
        return default
    return value


def _parse_page(value: str, notices: list[str]) -> int:
    """Accept a page number from 1 to MAX_PAGE."""
    if not value:
        return 1
    if re.fullmatch(r"[0-9]{1,6}", value) and 1 <= int(value) <= MAX_PAGE:
        return int(value)
    notices.append(f"Ignored the page number “{value[:20]}”; showing page 1.")
    return 1
