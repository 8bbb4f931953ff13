"""Reads for saved views: one researcher's views with their counts, a view by token, a view's filters."""

import dataclasses
import datetime

from django.http import Http404, QueryDict

from articles.backend import IndexUnavailable, index_guard
from articles.forms import SearchFilters, parse_search_filters
from articles.models import Article
from articles.search import _index_queryset, filtered_articles, read_query

from .models import SavedView


@dataclasses.dataclass(frozen=True)
class SavedViewRow:
    """One line of "My saved views": counts are None while the search index is unavailable."""

    view: SavedView
    description: str
    count: int | None
    new: int | None


def saved_view_filters(saved_view: SavedView) -> tuple[SearchFilters, list[str]]:
    """The view's filters, read from its stored parameters exactly as the search page reads them."""
    return params_filters(saved_view.params)


def params_filters(params: str) -> tuple[SearchFilters, list[str]]:
    return parse_search_filters(QueryDict(params))


def canonical_params(query: QueryDict) -> str:
    """The parameters a saved view stores: canonical order, page and format left out.

    # q=gas&page=3&format=csv&actor=xi-jinping&actor=vladimir-putin -> "q=gas&actor=vladimir-putin&actor=xi-jinping"
    """
    filters, _ = parse_search_filters(query)
    return filters.replace(page=1).querystring().removeprefix("?")


def saved_view_list(*, owner) -> list[SavedViewRow]:
    """The researcher's saved views, newest saved first, each with its total and its matches new since last opened."""
    rows = []
    for saved_view in SavedView.objects.filter(owner=owner):
        filters, _ = saved_view_filters(saved_view)
        try:
            count, new = match_counts(filters, since=saved_view.last_opened)
        except IndexUnavailable:
            count = new = None
        rows.append(SavedViewRow(saved_view, filters.describe(), count, new))
    return rows


def saved_view_same_search(*, owner, params: str) -> SavedView | None:
    """The researcher's newest saved view of exactly this search, if any."""
    return SavedView.objects.filter(owner=owner, params=params).first()


def saved_view_get(*, owner, pk: int) -> SavedView:
    """One of the researcher's own saved views; anybody else's is 404, exactly like one that does not exist."""
    try:
        return SavedView.objects.get(owner=owner, pk=pk)
    except SavedView.DoesNotExist:
        raise Http404("No such saved view.") from None


def saved_view_by_feed_token(token: str) -> SavedView:
    try:
        return SavedView.objects.get(feed_token=token)
    except SavedView.DoesNotExist:
        raise Http404("No such feed.") from None


def saved_view_by_share_token(token: str) -> SavedView:
    try:
        return SavedView.objects.get(share_token=token)
    except SavedView.DoesNotExist:
        raise Http404("No such shared view.") from None


def match_counts(filters: SearchFilters, *, since: datetime.datetime) -> tuple[int, int]:
    """How many articles the view matches, and how many of them entered the archive after `since`.

    The same filters the search page uses, plus a created-after bound; a view frozen with
    as_of never has new matches. Raises IndexUnavailable for a text query without an index.
    """
    if not filters.q:
        articles = filtered_articles(filters)
        total = articles.count()
        return total, 0 if filters.as_of or not total else articles.filter(created__gt=since).count()
    parsed, _ = read_query(filters.q)
    if not parsed.clauses:
        return 0, 0
    with index_guard():
        # Counted in date order: Whoosh's relevance collector skips low-scoring blocks and, once the
        # index has several segments, its count() falls short (3 of 12); the sorting collector sees all.
        matches = _index_queryset(filters.replace(sort="newest"), parsed)
        total = matches.count()
        return total, 0 if filters.as_of or not total else _index_created_after(matches, since)


def _index_created_after(matches, since: datetime.datetime) -> int:
    """Count index matches created after `since`, to the microsecond.

    Whoosh compares datetimes to the whole second: every article of since's own second
    matches both created > since and created < since. Those few are settled from the database.
    """
    later = matches.filter(created__gt=since)
    count = later.count()
    if not count:
        return 0
    same_second = [int(hit.pk) for hit in later.filter(created__lt=since)]
    return count - Article.objects.filter(pk__in=same_second, created__lte=since).count()
