"""Get a new gunicorn worker ready before it takes requests (newsdesk/gunicorn.conf.py).

Without this, a worker's first search imports the views, compiles the templates, opens
every index segment and loads the index columns, and its first page of each kind fills
Django's URL reversing tables, SQLite's page cache and Python's regex cache: several
times a warm request. So the worker loads the index, then serves itself one page of
each kind (search, a phrase, a misspelt word, filters only, JSON, article, actor, topic) before taking traffic. It also
reads the archive's names for "did you mean" (at 100k articles the first misspelt query
otherwise took ~0.7 s reading them).
"""

import io
import logging

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils.http import urlencode

log = logging.getLogger(__name__)

PAGES = ("articles/search.html", "articles/article_detail.html", "articles/actor_detail.html", "articles/topic_detail.html")


def warm_up(application=None) -> None:
    """Load what searches need; with the worker's WSGI `application`, also serve it sample pages."""
    get_resolver().url_patterns  # imports every view module
    for name in PAGES:
        get_template(name)
    try:
        _open_index()
    except Exception as error:  # a missing index is reported by the pages themselves
        log.warning("search index not loaded ahead of requests: %s", error)
        return
    try:
        _read_names()
    except Exception as error:  # read again by the first query that needs them
        log.warning("names for suggestions not read ahead of requests: %s", error)
    if application is not None:
        try:
            for path in sample_paths():
                _serve_itself(application, path)
        except Exception as error:  # a warm-up must never keep a worker from starting
            log.warning("warm-up pages not served: %s", error)


def _open_index() -> None:
    from .search.engines import engine

    engine().warm_up()


def _read_names() -> None:
    from .suggestions import name_words

    name_words()


def sample_paths() -> list[str]:
    """One page of each kind, from the newest article: empty when the archive is."""
    from .models import Article

    article = Article.objects.filter(version_of__isnull=True).order_by("-id").first()
    if article is None:
        return []
    search = reverse("search")
    words = [word.strip(".,;:!?\"'()") for word in article.body.split()[:40]]
    word = max(words, key=len, default="")
    paths = [search + "?" + urlencode({"q": word}), search + "?" + urlencode({"q": word, "format": "json"})] if word else []
    if word:  # no article has it: the empty page, its templates and "did you mean"
        paths.append(search + "?" + urlencode({"q": word + "zq"}))
    if phrase := _first_phrase(words):  # a phrase reads positions
        paths.append(search + "?" + urlencode({"q": f'"{phrase[0]} {phrase[1]}"'}))
    paths.append(article.get_absolute_url())
    actor, topic = article.actors.first(), article.topics.first()
    if actor:
        paths += [actor.get_absolute_url(), search + "?" + urlencode({"actor": actor.slug})]
    if topic:
        paths.append(topic.get_absolute_url())
    return paths


def _serve_itself(application, path: str) -> None:
    """Run one GET through the whole WSGI stack, as gunicorn would, and drop the answer."""
    path_info, _, query = path.partition("?")
    secure, host = getattr(settings, "SECURE_SSL_REDIRECT", False), _host()
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path_info, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": host, "SERVER_PORT": "443" if secure else "80", "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(), "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    statuses = []
    response = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        for _ in response:
            pass
    finally:
        if hasattr(response, "close"):
            response.close()
    if not statuses or not statuses[0].startswith("200"):
        log.info("warm-up page %s answered %s", path, statuses[0] if statuses else "nothing")


def _host() -> str:
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
    return hosts[0] if hosts else "localhost"


def _first_phrase(words: list[str]) -> tuple[str, str] | None:
    """The first two neighbouring words that are one index term each: a phrase the index matches by positions.

    # ["The", "government", "of", "Ethiopia", "announced"] -> ("Ethiopia", "announced"): "The" and "of" are stop words
    """
    from .search.analysis import terms

    single = [len(terms(word)) == 1 for word in words]
    return next(((words[i], words[i + 1]) for i in range(len(words) - 1) if single[i] and single[i + 1]), None)
