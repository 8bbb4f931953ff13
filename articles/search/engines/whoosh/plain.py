"""The plain path: haystack's own search on Whoosh, filters and facets included (NEWSDESK_SEARCH_COLUMNS=0).

Slower than the column search at every size, it stays as the reference the column search
is tested against: the same matches, count and facets.
"""

import datetime
import operator
from functools import reduce

from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from ...database import day_after
from ...documents import label_slugs, labels_slugs
from ..base import FacetCounts, SearchHits, SearchRequest
from .query import query_to_sq


def plain_search(request: SearchRequest) -> SearchHits:
    """One haystack query gives the matches, the count and the facets; the order is settled here."""
    sqs = _queryset(request)
    if request.facets:
        sqs = sqs.facet("actors").facet("topics").facet("month")
        if request.days:
            sqs = sqs.facet("day")
    # Counted in date order: Whoosh's relevance collector skips low-scoring blocks once it holds
    # as many hits as asked for, and its count falls short; asking for every match skips nothing.
    total = sqs.order_by("-date").count()
    hits = [(int(hit.pk), hit.score, hit.date) for hit in (sqs[0:total] if total else [])]
    hits.sort(key=_order(request.sort))
    facets = FacetCounts({}, {}, {})
    if request.facets:
        fields = sqs.facet_counts().get("fields", {})
        facets = FacetCounts(
            actors=_facet_dict(fields, "actors"),
            topics=_facet_dict(fields, "topics"),
            months=_facet_dict(fields, "month"),
            days=_facet_dict(fields, "day") if request.days else None,
        )
    ids = [article_id for article_id, _, _ in hits][request.start:request.stop]
    return SearchHits(ids, len(hits), facets)


def _order(sort: str):
    """The engines' order (engines/base.py): relevance = score, newer, higher id; dates then ids."""
    if sort == "oldest":
        return lambda hit: (hit[2], hit[0])
    if sort == "newest":
        return lambda hit: (-hit[2].toordinal(), -hit[0])
    return lambda hit: (-hit[1], -hit[2].toordinal(), -hit[0])


def _queryset(request: SearchRequest) -> SearchQuerySet:
    """The text query (or every document) with every filter, as a haystack query."""
    filters = request.filters
    sqs = SearchQuerySet()
    sqs = sqs.filter(query_to_sq(request.query)) if request.query is not None else sqs.all()
    # Each group of similar versions once: its original stands for it (articles.versions).
    sqs = sqs.exclude(is_version=True)
    if filters.date_from:
        sqs = sqs.filter(date__gte=filters.date_from)
    if filters.date_to:
        sqs = sqs.filter(date__lte=filters.date_to)
    if filters.as_of:
        # Whoosh compares whole seconds and keeps a document stamped exactly at an exclusive end.
        sqs = sqs.filter(created__lte=day_after(filters.as_of) - datetime.timedelta(seconds=1))
    if request.created_after:
        sqs = sqs.filter(created__gt=request.created_after)
    for field in ("actors", "topics"):
        for label in getattr(filters, field):
            sqs = sqs.filter(_any_slug(field, label_slugs(label)))
        if any_of := getattr(filters, f"{field}_any"):
            sqs = sqs.filter(_any_slug(field, labels_slugs(any_of)))
        for slug in labels_slugs(getattr(filters, f"{field}_not")):
            sqs = sqs.exclude(**{field: Exact(slug)})
    return sqs


def _any_slug(field: str, slugs) -> SQ:
    return reduce(operator.or_, (SQ(**{field: Exact(slug)}) for slug in slugs))


def _facet_dict(fields: dict, name: str) -> dict[str, int]:
    """{value: count} for one facet; haystack adds a None bucket for documents without a value."""
    return {value: count for value, count in fields.get(name, []) if value is not None}
