"""Site-wide middleware: security headers, and a clear page when the search index is unavailable."""

import logging

from django.conf import settings
from django.shortcuts import render

from articles.search.engines.base import SearchMisconfigured, SearchUnavailable

log = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class SearchUnavailableMiddleware:
    """Answer 503 with a clear page while the search engine cannot answer (no index, cluster down),
    or cannot be used as configured (a wrong URL, a missing collection or field): each says which."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SearchUnavailable):
            misconfigured = isinstance(exception, SearchMisconfigured)
            log.log(logging.ERROR if misconfigured else logging.WARNING, "search %s: %s",
                    "misconfigured" if misconfigured else "unavailable", exception)
            template = "search_misconfigured.html" if misconfigured else "search_unavailable.html"
            response = render(request, template, status=503)
            response["Retry-After"] = "120"
            return response
        return None
