"""Site-wide middleware: security headers, and a clear page when the search index is unavailable."""

from django.conf import settings
from django.shortcuts import render

from articles.backend import IndexUnavailable


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class IndexUnavailableMiddleware:
    """Answer 503 with a clear page while the search index is missing or unreadable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, IndexUnavailable):
            response = render(request, "search_unavailable.html", status=503)
            response["Retry-After"] = "120"
            return response
        return None
