"""Reads for saved views: one researcher's views with their counts, a view by token, a view's filters."""

import dataclasses
import datetime

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, QueryDict

from articles.forms import LabelLookup, SearchFilters, parse_search_filters
from articles.search.selectors import match_count

from .models import SavedView


SAVED_VIEWS_PER_PAGE = 50


@dataclasses.dataclass(frozen=True)
class CountsRefresh:
    """What counting a page of views found: the archive's version, and the views the engine could not count."""

    version: str
    unavailable: frozenset[int] = frozenset()


@dataclasses.dataclass(frozen=True)
class SavedViewRow:
    """One line of "My saved views"."""

    view: SavedView
    description: str
    count: int | None  # None: not counted, see status
    new: int | None
    status: str = "counted"  # | "unavailable" (the search index is rebuilt) | "pending" (counted on a later visit)


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


def saved_view_page(*, owner, number: str) -> Page:
    """One page of the researcher's saved views, newest saved first; a page that does not exist is 404."""
    paginator = Paginator(SavedView.objects.filter(owner=owner), SAVED_VIEWS_PER_PAGE)
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404("No such page.") from None


def saved_views_filters(saved_views: list[SavedView]) -> dict[int, SearchFilters]:
    """{view id: its filters}, the actors and topics of all of them looked up together."""
    queries = {saved_view.pk: QueryDict(saved_view.params) for saved_view in saved_views}
    labels = LabelLookup.preloaded(queries.values())
    return {pk: parse_search_filters(query, labels)[0] for pk, query in queries.items()}


def saved_view_rows(saved_views: list[SavedView], filters: dict[int, SearchFilters], counted: CountsRefresh) -> list[SavedViewRow]:
    """The lines of the list: each view with its description and the counts stored at the archive's version."""
    rows = []
    for saved_view in saved_views:
        description = filters[saved_view.pk].describe()
        if saved_view.counted_version == counted.version:
            rows.append(SavedViewRow(saved_view, description, saved_view.match_total, saved_view.match_new))
        else:
            status = "unavailable" if saved_view.pk in counted.unavailable else "pending"
            rows.append(SavedViewRow(saved_view, description, None, None, status))
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
