"""Compare parameters: validate the GET query into CompareParams, and back into a canonical URL.

# ?s=q:gas&s=actor:Xi Jinping&s=actor:vladimir-putin&from=2024-01-01&measure=share
#   -> CompareParams(series=(query “gas”, actor xi-jinping, actor vladimir-putin),  (in the order typed)
#                    base=SearchFilters(date_from=2024-01-01), measure="share")
# Bad values become "no series" plus a notice; nothing here raises on user input.
"""

import dataclasses
import re
from urllib.parse import urlencode

from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from django.utils.text import slugify

from ..forms import MAX_QUERY_LENGTH, SearchFilters, parse_search_filters
from ..models import Actor, ActorRedirect, Topic
from ..query_bounds import PrefixBudget, query_bound
from ..quoting import quoted
from ..search.query import read_query

MIN_SERIES, MAX_SERIES = 2, 5
MAX_SERIES_INPUTS = 20  # series values read from one request; more are ignored with a notice
KINDS = {"actor": "actor", "q": "q", "query": "q"}  # accepted prefix -> kind
MEASURES = ("count", "share")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclasses.dataclass(frozen=True)
class Series:
    kind: str  # "actor" | "q"
    value: str  # the actor's slug, or the query text
    label: str  # "Vladimir Putin", or "“gas”" for a query
    actor: Actor | None = None

    @property
    def param(self) -> str:
        return f"{self.kind}:{self.value}"

    def filters(self, base: SearchFilters) -> SearchFilters:
        """The search view of this series within the shared dates and topics."""
        if self.actor:
            return base.replace(actors=(self.actor,))
        return base.replace(q=self.value, sort="")  # "": the default order for a query


@dataclasses.dataclass(frozen=True)
class CompareParams:
    series: tuple[Series, ...] = ()
    base: SearchFilters = SearchFilters()  # shared by every series: dates and topics only
    measure: str = "count"
    rejected: tuple[tuple[str, str], ...] = ()  # (kind, typed value) ignored, offered again in the form

    def params(self) -> list[tuple[str, str]]:
        """Return the canonical query parameters: series, dates, topics, measure; defaults left out."""
        params = [("s", series.param) for series in self.series]
        params += self.base.params()
        if self.measure != "count":
            params.append(("measure", self.measure))
        return params

    def url(self, **extra: str) -> str:
        """Return the canonical compare URL (colons left readable: ?s=actor:xi-jinping)."""
        params = self.params() + list(extra.items())
        return reverse("compare") + (f"?{urlencode(params, safe=':')}" if params else "")

    def replace(self, **changes) -> "CompareParams":
        return dataclasses.replace(self, rejected=(), **changes)

    def without(self, series: Series) -> "CompareParams":
        return self.replace(series=tuple(other for other in self.series if other != series))


def parse_compare(query: QueryDict) -> tuple[CompareParams, list[str]]:
    """Validate GET parameters; return the comparison and notices about values that were ignored."""
    notices: list[str] = []
    # ?s=actor:xi-jinping&s=q:gas, and the form's rows: kind=actor&value=Xi Jinping&kind=q&value=gas
    entries = [_split_series(value) for value in query.getlist("s")]
    entries += list(zip(query.getlist("kind"), query.getlist("value")))
    entries = [(kind.strip().lower(), " ".join(_CONTROL.sub(" ", value).split())) for kind, value in entries]
    entries = [(kind, value) for kind, value in entries if value]
    if len(entries) > MAX_SERIES_INPUTS:
        notices.append(f"Only the first {MAX_SERIES_INPUTS} series were read.")
        entries = entries[:MAX_SERIES_INPUTS]
    found: list[Series] = []
    rejected: list[tuple[str, str]] = []
    budget = PrefixBudget()  # the series are searched in one request
    for kind, value in entries:
        series = _parse_series(kind, value, notices, budget)
        if series is None:
            rejected.append((KINDS.get(kind, "actor"), value))
        elif any(other.param == series.param for other in found):
            notices.append(f"{series.label} was entered more than once; it is compared once.")
        else:
            found.append(series)
    if len(found) > MAX_SERIES:
        notices.append(f"Compared the first {MAX_SERIES} series: at most {MAX_SERIES} fit on one chart.")
        found = found[:MAX_SERIES]
    shared = QueryDict(mutable=True)
    for key in ("from", "to", "topic"):
        shared.setlist(key, query.getlist(key))
    shared_filters, shared_notices = parse_search_filters(shared)
    notices += shared_notices
    base = SearchFilters(
        date_from=shared_filters.date_from, date_to=shared_filters.date_to, topics=shared_filters.topics,
        unknown=shared_filters.unknown,
    )
    measure = query.get("measure", "") or "count"
    if measure not in MEASURES:
        notices.append(f"Ignored the measure “{measure[:40]}”: use count or share.")
        measure = "count"
    # In the order typed: the legend, the table's columns and the CSV follow the researcher's list.
    return CompareParams(tuple(_unique_labels(found)), base, measure, tuple(rejected[:MAX_SERIES])), notices


def _split_series(value: str) -> tuple[str, str]:
    """'actor:xi-jinping' -> ('actor', 'xi-jinping'); 'gas' -> ('', 'gas'), an unknown kind."""
    kind, colon, rest = value.partition(":")
    return (kind, rest) if colon else ("", value)


def _parse_series(kind: str, value: str, notices: list[str], budget: PrefixBudget) -> Series | None:
    """Resolve one entered series, or return None with a notice saying why it was ignored."""
    if kind not in KINDS:
        entered = f"{kind}:{value}" if kind else value
        notices.append(f"Ignored the series “{entered[:60]}”: start it with actor: or q: (e.g. actor:xi-jinping, q:gas).")
        return None
    if KINDS[kind] == "actor":
        actor = _find_actor(value[:MAX_QUERY_LENGTH], notices)
        if actor is None:
            notices.append(f"Ignored the actor “{value[:60]}”: no actor has that name, alias or slug.")
            return None
        return Series("actor", actor.slug, actor.name, actor)
    q = value
    if len(q) > MAX_QUERY_LENGTH:
        q = q[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notices.append(f"The query “{q[:60]}…” was cut to {MAX_QUERY_LENGTH} characters.")
    bounded = query_bound(q, budget)
    q = bounded.q
    parsed, query_notices = read_query(q)
    query_notices = bounded.notices + query_notices
    if not parsed.clauses:
        notices.append(f"Ignored the query “{q[:60]}”: there is nothing to search for in it.")
        return None
    notices += [f"Query “{q[:60]}”: {notice}" for notice in query_notices]
    return Series("q", q, quoted(q))


def _find_actor(value: str, notices: list[str]) -> Actor | None:
    """An actor by slug, merged-away slug, name or alias (case-insensitive), or slugified name."""
    actor = Actor.objects.filter(slug=value).first()
    if actor is None:
        redirect = ActorRedirect.objects.filter(old_slug=value).select_related("actor").first()
        actor = redirect.actor if redirect else None
    if actor is None:
        alias_ids = [
            actor.pk for actor in Actor.objects.filter(aliases__icontains=value).only("aliases")[:100]
            if value.casefold() in (alias.casefold() for alias in actor.alias_list)
        ]
        candidates = (
            _most_mentioned(Actor.objects.filter(name__iexact=value))
            or _most_mentioned(Actor.objects.filter(pk__in=alias_ids))
            or list(Actor.objects.filter(slug=slugify(value)))
        )
        if len(candidates) > 1:
            others = ", ".join(other.slug for other in candidates[1:4])
            notices.append(
                f"“{value[:60]}” names several actors; compared {candidates[0].name} (in the most articles). "
                f"Enter a slug to choose another: {others}."
            )
        actor = candidates[0] if candidates else None
    return actor


def _most_mentioned(actors) -> list[Actor]:
    return list(actors.annotate(mentions=Count("articles")).order_by("-mentions", "slug")[:5])


def _unique_labels(series: list[Series]) -> list[Series]:
    """Two actors with the same name get their slugs in the label, so CSV columns stay apart."""
    names = [s.label for s in series]
    return [
        dataclasses.replace(s, label=f"{s.label} ({s.value})") if s.actor and names.count(s.label) > 1 else s
        for s in series
    ]


@dataclasses.dataclass(frozen=True)
class FormRow:
    kind: str  # "actor" | "q"
    value: str


def compare_form_rows(params: CompareParams) -> list[FormRow]:
    """The form's five series rows: the compared series, then values that were ignored, then empty rows."""
    rows = [FormRow(series.kind, series.value) for series in params.series]
    rows += [FormRow(kind, value) for kind, value in params.rejected]
    return (rows + [FormRow("actor", "")] * MAX_SERIES)[:MAX_SERIES]


def topic_choices() -> list[Topic]:
    return list(Topic.objects.order_by("name"))


def measure_links(params: CompareParams) -> list[tuple[str, str, bool]]:
    """(label, url, current) for the counts/share toggle."""
    return [
        ("Article counts", params.replace(measure="count").url(), params.measure == "count"),
        ("Share of all articles", params.replace(measure="share").url(), params.measure == "share"),
    ]
