"""Views without a text query, answered by the database: the fallback while the index is unavailable.

The same filters (SearchFilters) and the same order as every engine: newest (date, then id)
or oldest first, each group of similar versions once.
"""

import datetime
from array import array

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from articles.forms import SearchFilters
from articles.models import Article

from .engines.base import FacetCounts, SearchHits, SearchRequest


def filtered_articles(filters: SearchFilters, created_after: datetime.datetime | None = None) -> QuerySet[Article]:
    """The articles matching the filters without text query, in the view's date order, each group of versions once."""
    articles = Article.objects.filter(version_of__isnull=True)
    if filters.date_from:
        articles = articles.filter(date__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(date__lte=filters.date_to)
    if filters.as_of:
        articles = articles.filter(created__lt=day_after(filters.as_of))
    if created_after:
        articles = articles.filter(created__gt=created_after)
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


def day_after(day: datetime.date) -> datetime.datetime:
    """Midnight UTC after `day`: everything created on or before that day is earlier."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.timezone.utc)


def database_search(request: SearchRequest) -> SearchHits:
    """A filter-only request answered from the database, as an engine would answer it."""
    articles = filtered_articles(request.filters, request.created_after)
    count = articles.count()
    stop = request.stop if request.stop is not None else count
    ids = list(articles.values_list("id", flat=True)[request.start:stop]) if stop > request.start else []
    facets = database_facets(articles, request.days) if request.facets else FacetCounts({}, {}, {})
    return SearchHits(ids, count, facets)


ID_BATCH = 10_000  # ids read from the database cursor at a time by database_ids


def database_ids(request: SearchRequest) -> array:
    """Every matching id of a filter-only request, in order, as 8-byte integers (exports of a million rows).

    A list of ids costs ~90 bytes an id while Django reads it; the array is read through a
    cursor in batches of ID_BATCH and holds 8.
    """
    ids = filtered_articles(request.filters, request.created_after).values_list("id", flat=True)
    return array("q", ids[request.start:request.stop].iterator(chunk_size=ID_BATCH))


def database_facets(articles: QuerySet[Article], with_days: bool) -> FacetCounts:
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
