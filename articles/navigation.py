"""Where "Back to results" on an article page leads: the results page the reader came from.

# Referer http://host/search/?q=gas&actor=russia&page=2 -> "/search/?q=gas&actor=russia&page=2"
# Referer from another site, or from an article page    -> the search for ?hl= if given, else none
The Referer is only read for a path on this site, so the link never leads elsewhere.
"""

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import SearchFilters

# Pages that list articles: a reader opens an article from one of them and wants to go back to it.
RESULTS_PAGES = {"home", "search", "actor_detail", "topic_detail", "saved_view_shared"}


def results_url(request: HttpRequest, highlight: str) -> str | None:
    """The results page the reader came from, else the search for the highlighted words, else None."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        parts = urlsplit(referer)
        try:
            name = resolve(parts.path).url_name
        except Resolver404:
            name = None
        if name in RESULTS_PAGES:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return SearchFilters(q=highlight).url() if highlight else None
