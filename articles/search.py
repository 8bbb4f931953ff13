"""The one place that runs searches: text queries through the index, filter-only views from the database."""

import dataclasses
import datetime
import math
import operator
import sys
from collections import Counter
from collections.abc import Iterator
from functools import reduce

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.safestring import SafeString
from haystack.inputs import Exact
from haystack.query import SQ, SearchQuerySet

from .backend import IndexUnavailable, highlight_snippet, index_guard
from .column_search import column_search
from .forms import SearchFilters
from .histogram import wants_days
from .models import Article
from .query import ParsedQuery, QuerySyntaxError, parse_query, plain_words, query_to_sq
from .versions import version_counts

EXPORT_CHUNK = 500
RELATED_BY_ACTORS = 5
RELATED_CANDIDATES = 50
RELATED_LINKS_PER_ACTOR = 1000


@dataclasses.dataclass(frozen=True)
class FacetCounts:
    """Raw counts over the whole result set: {actor slug: n}, {topic slug: n}, {"YYYY-MM": n}."""

    actors: dict[str, int]
    topics: dict[str, int]
    months: dict[str, int]
    days: dict[str, int] | None = None  # {"YYYY-MM-DD": n}, only for short date ranges


@dataclasses.dataclass(frozen=True)
class ResultRow:
    article: Article  # with .version_count: its similar versions, left out of the results
    snippet: SafeString | None  # escaped HTML with <mark>ed query words; None: show the lead


@dataclasses.dataclass(frozen=True)
class SearchPage:
    rows: list[ResultRow]
    count: int
    page: int
    num_pages: int
    facets: FacetCounts
    notices: tuple[str, ...] = ()

    @property
    def first(self) -> int:
        return (self.page - 1) * settings.SEARCH_RESULTS_PER_PAGE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def out_of_range(self) -> bool:
        return self.count > 0 and self.page > self.num_pages


def article_search(filters: SearchFilters) -> SearchPage:
    """Return one page of articles matching the filters, with facet counts over all matches.

    Raises IndexUnavailable for a text query when the index is missing or unreadable.
    """
    if filters.q:
        with index_guard():
            return _column_search(filters) if columns_enabled() else _index_search(filters)
    if columns_enabled():
        try:
            with index_guard():
                return _column_search(filters)
        except IndexUnavailable:
            pass  # browsing goes on from the database while the index is rebuilt
    return _database_search(filters)


def columns_enabled() -> bool:
    """The column fast path (articles.column_search) reads Whoosh's files: Whoosh only."""
    return settings.SEARCH_ENGINE == "whoosh" and settings.SEARCH_COLUMNS


def read_query(q: str) -> tuple[ParsedQuery, tuple[str, ...]]:
    """Parse the query syntax; a malformed query is read as plain words, with a notice."""
    try:
        return parse_query(q), ()
    except QuerySyntaxError as error:
        return plain_words(q), (f"Searched for the words only, because {error}.",)


def _page_bounds(page: int) -> tuple[int, int]:
    size = settings.SEARCH_RESULTS_PER_PAGE
    return (page - 1) * size, page * size


def _day_after(day: datetime.date) -> datetime.datetime:
    """Midnight UTC after `day`: everything created on or before that day is earlier."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.timezone.utc)


def _num_pages(count: int) -> int:
    return max(1, math.ceil(count / settings.SEARCH_RESULTS_PER_PAGE))


def _index_queryset(filters: SearchFilters, parsed: ParsedQuery) -> SearchQuerySet:
    """The text query with every filter and the sort order, as a haystack query."""
    # Each group of similar versions once: its original stands for it (articles.versions).
    sqs = SearchQuerySet().filter(query_to_sq(parsed)).exclude(is_version=True)
    if filters.date_from:
        sqs = sqs.filter(date__gte=filters.date_from)
    if filters.date_to:
        sqs = sqs.filter(date__lte=filters.date_to)
    if filters.as_of:
        sqs = sqs.filter(created__lt=_day_after(filters.as_of))
    for field in ("actors", "topics"):
        for label in getattr(filters, field):
            sqs = sqs.filter(**{field: Exact(label.slug)})
        if any_of := getattr(filters, f"{field}_any"):
            sqs = sqs.filter(reduce(operator.or_, (SQ(**{field: Exact(label.slug)}) for label in any_of)))
        for label in getattr(filters, f"{field}_not"):
            sqs = sqs.exclude(**{field: Exact(label.slug)})
    if filters.sort in ("newest", "oldest"):
        sqs = sqs.order_by("-date" if filters.sort == "newest" else "date")
    return sqs


def _index_search(filters: SearchFilters) -> SearchPage:
    """Search the text index; one backend query gives the page, the count and the facets."""
    parsed, notices = read_query(filters.q)
    if not parsed.clauses:
        return _nothing_to_search(filters, notices)
    sqs = _index_queryset(filters, parsed).facet("actors").facet("topics").facet("month")
    if wants_days(filters):
        sqs = sqs.facet("day")
    start, end = _page_bounds(filters.page)
    hits = list(sqs[start:end])
    count = sqs.count()
    fields = sqs.facet_counts().get("fields", {})
    facets = FacetCounts(
        actors=_facet_dict(fields, "actors"),
        topics=_facet_dict(fields, "topics"),
        months=_facet_dict(fields, "month"),
        days=_facet_dict(fields, "day") if wants_days(filters) else None,
    )
    articles = _with_version_counts(_articles_in_order([int(hit.pk) for hit in hits]))
    words = parsed.words()
    rows = [ResultRow(article, highlight_snippet(article.body, words)) for article in articles]
    return SearchPage(rows, count, filters.page, _num_pages(count), facets, notices)


def _column_search(filters: SearchFilters) -> SearchPage:
    """The same page as _index_search or _database_search, with filters and facets from the index columns."""
    parsed, notices = read_query(filters.q) if filters.q else (None, ())
    if parsed is not None and not parsed.clauses:
        return _nothing_to_search(filters, notices)
    start, end = _page_bounds(filters.page)
    hits = column_search(filters, parsed, start, end, with_days=wants_days(filters))
    facets = FacetCounts(actors=hits.actors, topics=hits.topics, months=hits.months, days=hits.days)
    articles = _with_version_counts(_articles_in_order(hits.article_ids))
    words = parsed.words() if parsed else []
    rows = [ResultRow(article, highlight_snippet(article.body, words) if parsed else None) for article in articles]
    return SearchPage(rows, hits.count, filters.page, _num_pages(hits.count), facets, notices)


def _nothing_to_search(filters: SearchFilters, notices: tuple[str, ...]) -> SearchPage:
    empty = FacetCounts({}, {}, {})
    return SearchPage([], 0, filters.page, 1, empty, notices + ("There is nothing to search for in that query.",))


def matching_articles(filters: SearchFilters, limit: int | None = None) -> Iterator[Article]:
    """Yield every article of the view (or the first `limit`), in its order, with actors and topics loaded."""
    if not filters.q:
        articles = filtered_articles(filters).prefetch_related("actors", "topics")
        yield from (articles[:limit] if limit else articles).iterator(chunk_size=EXPORT_CHUNK)
        return
    parsed, _ = read_query(filters.q)
    if not parsed.clauses:
        return
    if columns_enabled():
        with index_guard():
            ids = column_search(filters, parsed, 0, limit).article_ids
        for start in range(0, len(ids), EXPORT_CHUNK):
            yield from _articles_in_order(ids[start:start + EXPORT_CHUNK])
        return
    with index_guard():
        sqs = _index_queryset(filters, parsed)
        total = min(sqs.count(), limit or sys.maxsize)
    for start in range(0, total, EXPORT_CHUNK):
        hits = sqs[start:min(start + EXPORT_CHUNK, total)]
        yield from _articles_in_order([int(hit.pk) for hit in hits])


def _facet_dict(fields: dict, name: str) -> dict[str, int]:
    """{value: count} for one facet; haystack adds a None bucket for documents without a value."""
    return {value: count for value, count in fields.get(name, []) if value is not None}


def _articles_in_order(ids: list[int]) -> list[Article]:
    """Load articles with their actors and topics, in the order of ids, skipping any deleted since."""
    found = Article.objects.prefetch_related("actors", "topics").in_bulk(ids)
    return [found[article_id] for article_id in ids if article_id in found]


def _with_version_counts(articles: list[Article]) -> list[Article]:
    """Set .version_count on each article of a page: "+N similar versions" on the result row."""
    counts = version_counts([article.pk for article in articles])
    for article in articles:
        article.version_count = counts.get(article.pk, 0)
    return articles


def filtered_articles(filters: SearchFilters) -> QuerySet[Article]:
    """Return the articles matching the filters without text query, newest first, each group of versions once."""
    articles = Article.objects.filter(version_of__isnull=True)
    if filters.date_from:
        articles = articles.filter(date__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(date__lte=filters.date_to)
    if filters.as_of:
        articles = articles.filter(created__lt=_day_after(filters.as_of))
    for field, through in (("actors", Article.actors.through), ("topics", Article.topics.through)):
        column = f"{field[:-1]}_id"  # actor_id / topic_id in the link table
        # One join per value: an article must carry every required actor and topic.
        for label in getattr(filters, field):
            articles = articles.filter(**{field: label})
        if any_of := getattr(filters, f"{field}_any"):
            linked = through.objects.filter(**{f"{column}__in": [label.pk for label in any_of]}).values("article_id")
            articles = articles.filter(id__in=linked)
        if none_of := getattr(filters, f"{field}_not"):
            linked = through.objects.filter(**{f"{column}__in": [label.pk for label in none_of]}).values("article_id")
            articles = articles.exclude(id__in=linked)
    return articles.order_by(*(("date", "id") if filters.sort == "oldest" else ("-date", "-id")))


def _database_search(filters: SearchFilters) -> SearchPage:
    """Serve a filter-only view from the database (far cheaper than Whoosh without a query)."""
    articles = filtered_articles(filters)
    count = articles.count()
    start, end = _page_bounds(filters.page)
    page_articles = _with_version_counts(list(articles.prefetch_related("actors", "topics")[start:end]))
    rows = [ResultRow(article, None) for article in page_articles]
    return SearchPage(rows, count, filters.page, _num_pages(count), _database_facets(articles, wants_days(filters)))


def _database_facets(articles: QuerySet[Article], with_days: bool) -> FacetCounts:
    """Count actors, topics and months over every article of the queryset."""
    ids = articles.order_by().values("id")
    actor_rows = (
        Article.actors.through.objects.filter(article_id__in=ids)
        .values("actor__slug")
        .annotate(n=Count("id"))
    )
    topic_rows = (
        Article.topics.through.objects.filter(article_id__in=ids)
        .values("topic__slug")
        .annotate(n=Count("id"))
    )
    month_rows = (
        Article.objects.filter(id__in=ids)
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("year", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return FacetCounts(
        actors={row["actor__slug"]: row["n"] for row in actor_rows},
        topics={row["topic__slug"]: row["n"] for row in topic_rows},
        months={f"{row['year']:04d}-{row['month']:02d}": row["n"] for row in month_rows},
        days=_day_counts(ids) if with_days else None,
    )


def _day_counts(ids: QuerySet) -> dict[str, int]:
    rows = Article.objects.filter(id__in=ids).values("date").annotate(n=Count("id")).order_by()
    return {row["date"].isoformat(): row["n"] for row in rows}


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Articles sharing the most of this one's rarer actors, newest first among equals.

    Rare actors say more about an article than "Russia" does: only the links of its
    RELATED_BY_ACTORS least-common actors are counted.
    """
    rare = (
        article.actors.annotate(uses=Count("articles")).order_by("uses").values_list("id", flat=True)[:RELATED_BY_ACTORS]
    )
    # Count in Python over the bare link rows (no join), at most the newest RELATED_LINKS_PER_ACTOR
    # of each actor, so the cost stays flat however large the archive grows.
    links = Article.actors.through.objects.exclude(article_id=article.pk).order_by("-id")
    shared = Counter(
        article_id
        for actor_id in rare
        for article_id in links.filter(actor_id=actor_id).values_list("article_id", flat=True)[:RELATED_LINKS_PER_ACTOR]
    )
    candidates = [article_id for article_id, _ in shared.most_common(RELATED_CANDIDATES)]
    found = (
        Article.objects.filter(id__in=candidates, version_of__isnull=True)
        .exclude(id=article.version_of_id)  # its own original and versions are listed apart
        .exclude(version_of=article.version_of_id or article.pk)
        .defer("signature", "body")
    )
    return sorted(found, key=lambda other: (-shared[other.pk], -other.date.toordinal(), -other.pk))[:limit]
