"""A SearchRequest as Solr parameters, built once here: the text query, every filter, the order, the facets.

# SearchRequest(SearchFilters(q='gas "power of siberia" -oil', actors=(putin,), date_from=2024-01-01))
#   -> q  = +text:ga +text:"power siberia" -text:oil
#      fq = -is_version:true | date:[2024-01-01T00:00:00Z TO *] | actors:"vladimir-putin"
#      sort = score desc,date desc,django_id desc
The text query is in index terms: Newsdesk analyses each word itself (articles/search/analysis.py),
as the Whoosh engine does, and the text fields' query analyzer only splits on spaces. A word whose
terms are all stop words looks for nothing and is left out, as Whoosh leaves it out; a query left
with nothing to look for matches nothing (text_query gives None). Every value is escaped.
"""

import datetime
import re

from ...analysis import prefix_text, terms
from ...database import day_after
from ...documents import label_slugs, labels_slugs
from ...query import ParsedQuery, Term
from ..base import SearchRequest

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
FACET_FIELDS = {"actors": "actors", "topics": "topics", "months": "month"}
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/\s])')
# The same query always asks the same replica of each shard. Replicas hold the same documents but
# not the same segments (deleted documents count in term statistics until merged away), so two
# replicas can score a document slightly differently: a page and the next, or a search and the
# same search reopened, must not change order by being answered by other replicas.
STABLE_REPLICAS = ("shards.preference", "replica.base:stable:hash:q")
# Only django_id is asked for: each shard sends it with its top ids rather than in a second round
# of requests for the winners' fields (10,000 ids of two shards: 73 -> 37 ms).
SINGLE_PASS = ("distrib.singlePass", "true")
LUCENE = ("defType", "lucene")  # the configset's default is edismax, for people at Solr's admin UI
SORTS = {
    "relevance": "score desc,date desc,django_id desc",
    "newest": "date desc,django_id desc",
    "oldest": "date asc,django_id asc",
}


def escape(value: str) -> str:
    """A value as one literal term of Lucene's query syntax: escape("co-op") == "co\\-op"."""
    return _SPECIAL.sub(r"\\\1", value)


def quoted(value: str) -> str:
    """A value as a quoted string (exact fields: never read as an operator)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def text_query(parsed: ParsedQuery) -> str | None:
    """The parsed query in Lucene syntax: every clause required, an OR inside a clause, NOT clauses excluded."""
    required, excluded = [], []
    for clause in parsed.clauses:
        alternatives = [query for term in clause if (query := _term_query(term)) is not None]
        if not alternatives:
            continue
        either = alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
        (excluded if clause[0].negated else required).append(either)
    if not required and not excluded:
        return None
    # Only exclusions left (the other words were stop words): every document but those, as Whoosh's Not.
    return " ".join([f"+{query}" for query in required] or ["*:*"]) + "".join(f" -{query}" for query in excluded)


def _term_query(term: Term) -> str | None:
    field = term.field or "text"
    if term.prefix:  # the index terms starting with it, and those it stands for (prefixes.with_prefix_terms)
        prefix = prefix_text(term.text)
        matches = [f"{field}:{escape(prefix)}*"] + [f"{field}:{escape(t)}" for t in term.terms if not t.startswith(prefix)]
        return matches[0] if len(matches) == 1 else "(" + " OR ".join(matches) + ")^=1"  # constant score, as a prefix
    found = terms(term.text)
    if not found:
        return None
    if term.phrase and len(found) > 1:
        return f'{field}:"{" ".join(escape(word) for word in found)}"'
    if len(found) == 1:
        return f"{field}:{escape(found[0])}"
    # One written word of several terms ("co-operation"): all of them, anywhere, as Whoosh parses it.
    return "(" + " ".join(f"+{field}:{escape(word)}" for word in found) + ")"


def filter_queries(request: SearchRequest) -> list[str]:
    """One fq per filter (Solr caches each): versions, dates, as_of, created_after, actors and topics."""
    filters = request.filters
    fq = ["-is_version:true"]  # each group of similar versions once: its original stands for it
    if filters.date_from or filters.date_to:
        fq.append(f"date:[{_day(filters.date_from)} TO {_day(filters.date_to)}]")
    if filters.as_of:
        fq.append(f"created:[* TO {microseconds(day_after(filters.as_of))}}}")
    if request.created_after:
        fq.append(f"created:{{{microseconds(request.created_after)} TO *]")
    for field in ("actors", "topics"):
        for label in getattr(filters, field):
            fq.append(f"{field}:(" + " OR ".join(quoted(slug) for slug in label_slugs(label)) + ")")
        if any_of := getattr(filters, f"{field}_any"):
            fq.append(f"{field}:(" + " OR ".join(quoted(slug) for slug in labels_slugs(any_of)) + ")")
        if none_of := getattr(filters, f"{field}_not"):
            fq.append(f"-{field}:(" + " OR ".join(quoted(slug) for slug in labels_slugs(none_of)) + ")")
    return fq


def select_params(request: SearchRequest, q: str) -> list[tuple[str, str]]:
    """The /select parameters of one page of the request (its rows, count and facets)."""
    rows = max(0, request.stop - request.start) if request.stop is not None else 0
    params = [("q", q), ("fl", "django_id"), ("start", str(request.start)), ("rows", str(rows)),
              ("sort", SORTS[request.sort]), ("wt", "json"), LUCENE, STABLE_REPLICAS, SINGLE_PASS]
    params += [("fq", fq) for fq in filter_queries(request)]
    if request.facets:
        params += facet_params(request.days)
    return params


def facet_params(days: bool) -> list[tuple[str, str]]:
    """Counts of every value over every match: no limit, no zero counts."""
    fields = list(FACET_FIELDS.values()) + (["day"] if days else [])
    return [("facet", "true"), ("facet.limit", "-1"), ("facet.mincount", "1"), ("json.nl", "map")] + [
        ("facet.field", field) for field in fields
    ]


def cursor_params(request: SearchRequest, q: str, chunk: int) -> list[tuple[str, str]]:
    """Parameters to page through every match with cursorMark (the sort ends on the unique key)."""
    params = [("q", q), ("fl", "django_id"), ("rows", str(chunk)), ("sort", SORTS[request.sort] + ",id asc"),
              ("wt", "json"), LUCENE, STABLE_REPLICAS, SINGLE_PASS]
    return params + [("fq", fq) for fq in filter_queries(request)]


def _day(day: datetime.date | None) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else "*"


def microseconds(moment: datetime.datetime) -> int:
    """A moment as the `created` field holds it: microseconds since 1970 UTC (naive moments are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)
