"""The search engine Newsdesk runs on, chosen by settings.SEARCH_ENGINE (NEWSDESK_SEARCH_ENGINE)."""

import functools

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import SearchEngine

ENGINES = {
    "whoosh": "articles.search.engines.whoosh.engine.WhooshEngine",
    "solr": "articles.search.engines.solr.engine.SolrEngine",
}


def engine() -> SearchEngine:
    """The configured engine, one per process."""
    return _engine(settings.SEARCH_ENGINE)


@functools.lru_cache(maxsize=None)
def _engine(name: str) -> SearchEngine:
    if name not in ENGINES:
        raise ImproperlyConfigured(f"NEWSDESK_SEARCH_ENGINE must be one of {', '.join(ENGINES)}, not {name!r}")
    return import_string(ENGINES[name])()
