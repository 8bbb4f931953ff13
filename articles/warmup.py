"""Get a new gunicorn worker ready before it takes requests (newsdesk/gunicorn.conf.py).

Without this, a worker's first search imports the views, compiles the templates, opens
every index segment and loads the index columns: several times a warm request.
"""

import logging

from django.template.loader import get_template
from django.urls import get_resolver

log = logging.getLogger(__name__)

PAGES = ("articles/search.html", "articles/article_detail.html", "articles/actor_detail.html", "articles/topic_detail.html")


def warm_up() -> None:
    get_resolver().url_patterns  # imports every view module
    for name in PAGES:
        get_template(name)
    try:
        _open_index()
    except Exception as error:  # a missing index is reported by the pages themselves
        log.warning("search index not loaded ahead of requests: %s", error)


def _open_index() -> None:
    from .backend import require_index, search_backend
    from .columns import searcher_columns
    from .search import columns_enabled
    from .searchers import current_searcher

    if not columns_enabled():
        return
    require_index()
    searcher_columns(current_searcher(search_backend()))
