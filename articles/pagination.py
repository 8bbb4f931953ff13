"""Page-number links for any paginated list: previous, next, and a window of numbers."""

import dataclasses
import re
from collections.abc import Callable

from django.http import Http404, HttpRequest

from .forms import MAX_PAGE, SearchFilters
from .search.selectors import SearchPage, article_search


@dataclasses.dataclass(frozen=True)
class PageLink:
    number: int | None  # None marks a gap ("…")
    url: str
    current: bool = False


@dataclasses.dataclass(frozen=True)
class Pagination:
    previous_url: str | None
    next_url: str | None
    links: list[PageLink]


def paginate(current: int, num_pages: int, url_for: Callable[[int], str], window: int = 2) -> Pagination | None:
    """Return links around the current page (1 … 4 5 [6] 7 8 … 20), or None for a single page."""
    if num_pages <= 1:
        return None
    shown = {1, num_pages} | set(range(max(1, current - window), min(num_pages, current + window) + 1))
    links: list[PageLink] = []
    for number in sorted(shown):
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None, ""))
        links.append(PageLink(number, url_for(number), number == current))
    return Pagination(
        previous_url=url_for(current - 1) if 1 < current <= num_pages else None,
        next_url=url_for(current + 1) if current < num_pages else None,
        links=links,
    )


def results_page_or_404(request: HttpRequest, filters: SearchFilters) -> tuple[SearchFilters, SearchPage]:
    """The view's filters at the ?page= number (default 1) and that page of results.

    A page number outside 1 to MAX_PAGE, or past the last page of results, is a 404.
    """
    number = request.GET.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,6}", number) or not 1 <= int(number) <= MAX_PAGE:
        raise Http404("No such page.")
    filters = filters.replace(page=int(number))
    result = article_search(filters)
    if result.out_of_range:
        raise Http404("No such page.")
    return filters, result
