"""Reads for saved views: one researcher's views with their counts, a view by token, a view's filters."""

import dataclasses
import datetime

from django.http import Http404, QueryDict

from articles.forms import SearchFilters, parse_search_filters
from articles.search.engines.base import SearchUnavailable
from articles.search.selectors import match_count

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
        except SearchUnavailable:
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

    The same search the page runs, plus a created-after bound; a view frozen with as_of never
    has new matches. Raises SearchUnavailable for a text query while the engine cannot answer.
    """
    total = match_count(filters)
    return total, 0 if filters.as_of or not total else match_count(filters, created_after=since)
