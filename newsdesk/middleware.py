"""Site-wide middleware: security headers, and a clear page when the search index is unavailable."""

from django.conf import settings
from django.shortcuts import render

from articles.search.engines.base import SearchUnavailable


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class SearchUnavailableMiddleware:
    """Answer 503 with a clear page while the search engine cannot answer (no index, cluster down)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SearchUnavailable):
            response = render(request, "search_unavailable.html", status=503)
            response["Retry-After"] = "120"
            return response
        return None
