"""The one place that runs searches: every page, export, feed and saved-view count asks here.

# article_search(SearchFilters(q="gas", actors=(putin,))) -> SearchPage(rows=[...20 rows], count=233, facets=...)
Text queries go to the search engine; views without text go to the engine too and, while
it is unavailable, to the database, which answers them the same way.
"""

import dataclasses
import math
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.db import connection
from django.utils.safestring import SafeString

from articles.forms import SearchFilters
from articles.histogram import wants_days
from articles.labels import ActorValue, TopicValue, article_labels
from articles.models import Article
from articles.versions import version_counts

from .analysis import prefix_text
from .coverage import index_coverage, recent_coverage
from .database import database_ids, database_search
from .engines import engine
from .engines.base import NO_FACETS, FacetCounts, SearchHits, SearchRequest, SearchUnavailable
from .highlight import snippet
from .query import ParsedQuery, Term, read_query

EXPORT_CHUNK = 2000  # ids per chunk of an export: rows are loaded five queries a chunk (500: a tenth slower)
RELATED_BY_ACTORS = 5
RELATED_CANDIDATES = 50
RELATED_LINKS_PER_ACTOR = 1000


@dataclasses.dataclass(frozen=True)
class ResultRow:
    article: Article  # with .version_count: its similar versions, left out of the results
    snippet: SafeString | None  # escaped HTML with <mark>ed query words; None: show the lead
    actors: tuple[ActorValue, ...] = ()  # the article's, by name (article.actors is not loaded)
    topics: tuple[TopicValue, ...] = ()


@dataclasses.dataclass(frozen=True)
class SearchPage:
    rows: list[ResultRow]
    count: int
    page: int
    num_pages: int
    facets: FacetCounts
    notices: tuple[str, ...] = ()

    @property
    def first(self) -> int:
        return (self.page - 1) * settings.SEARCH_RESULTS_PER_PAGE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0

    @property
    def out_of_range(self) -> bool:
        return self.count > 0 and self.page > self.num_pages


def article_search(filters: SearchFilters) -> SearchPage:
    """One page of articles matching the filters, with facet counts over all matches.

    Raises SearchUnavailable for a text query while the engine cannot answer.
    """
    parsed, notices = read_query(filters.q) if filters.q else (None, ())
    if parsed is not None and not parsed.clauses:
        return SearchPage([], 0, filters.page, 1, NO_FACETS, notices + ("There is nothing to search for in that query.",))
    if filters.matches_nothing:
        return SearchPage([], 0, filters.page, 1, NO_FACETS, notices)
    size = settings.SEARCH_RESULTS_PER_PAGE
    request = SearchRequest(filters, parsed, start=(filters.page - 1) * size, stop=filters.page * size,
                            days=wants_days(filters))
    coverage = recent_coverage()
    if coverage.available and not coverage.complete:
        # The index lost documents and is being rebuilt: say so; views without text come from the database.
        notices += (coverage.notice(),) if parsed is not None else ()
        hits = engine().search(request) if parsed is not None else database_search(request)
    else:
        hits = search_hits(request)
        notices += (coverage.catching_up_notice(),) if coverage.catching_up else ()
    articles = _with_version_counts(_articles_in_order(hits.ids, with_labels=False))
    actors, topics = article_labels([article.pk for article in articles])
    highlighted = with_prefix_terms(parsed) if parsed and articles else parsed
    rows = [
        ResultRow(article, snippet(article.body, highlighted) if parsed else None, actors.get(article.pk, ()), topics.get(article.pk, ()))
        for article in articles
    ]
    return SearchPage(rows, hits.count, filters.page, max(1, math.ceil(hits.count / size)), hits.facets, notices)


def search_hits(request: SearchRequest) -> SearchHits:
    """The engine's answer; a view without text falls back to the database while the engine is unavailable.

    Unavailable includes an index that still opens but whose files were damaged (health() checks them).
    """
    if not recent_coverage().available:
        if request.query is not None:
            raise engine().health().error()
        return database_search(request)
    if request.query is not None:
        return engine().search(request)
    try:
        return engine().search(request)
    except SearchUnavailable:
        return database_search(request)  # browsing goes on while the index is rebuilt


def search_ready() -> None:
    """Raise SearchUnavailable now when text searches cannot give every match (before a stream starts).

    SearchMisconfigured when the engine answers but is not set up as Newsdesk needs.
    """
    coverage = index_coverage()
    if not coverage.available:
        raise engine().health().error()
    if not coverage.complete:
        raise SearchUnavailable(coverage.notice())


def with_prefix_terms(parsed: ParsedQuery) -> ParsedQuery:
    """The query with each prefix given the index terms it matches (engine.prefix_terms), for highlighting.

    While the engine cannot answer, a prefix marks the terms starting with it.
    """
    if not any(term.prefix for clause in parsed.clauses for term in clause):
        return parsed
    try:
        clauses = tuple(
            tuple(_with_terms(term) if term.prefix and not term.negated else term for term in clause)
            for clause in parsed.clauses
        )
    except SearchUnavailable:
        return parsed
    return dataclasses.replace(parsed, clauses=clauses)


def _with_terms(term: Term) -> Term:
    return dataclasses.replace(term, terms=engine().prefix_terms(term.field, prefix_text(term.text)))


def highlight_query(text: str) -> ParsedQuery | None:
    """The article page's highlighted query (?hl=), matched as its search matched it; None without one."""
    return with_prefix_terms(read_query(text)[0]) if text else None


def text_query(filters: SearchFilters) -> ParsedQuery | None:
    """The view's parsed text query (None without one)."""
    return read_query(filters.q)[0] if filters.q else None


def _finds_nothing(filters: SearchFilters, parsed: ParsedQuery | None) -> bool:
    """Whether the view matches no article before anything is asked: an unknown label required, or a query of no words."""
    return filters.matches_nothing or (parsed is not None and not parsed.clauses)


def matching_article_ids(filters: SearchFilters, limit: int | None = None) -> Iterator[list[int]]:
    """Every article id of the view (or the first `limit`), in its order, EXPORT_CHUNK at a time."""
    parsed = text_query(filters)
    if _finds_nothing(filters, parsed):
        return
    request = SearchRequest(filters, parsed, stop=limit, facets=False)
    if parsed is not None:
        search_ready()  # every match, or an error: never a file that looks whole and is not
        yield from engine().iter_ids(request, EXPORT_CHUNK)
        return
    ids = database_ids(request)  # without text the database answers exactly, whatever the index's state
    for start in range(0, len(ids), EXPORT_CHUNK):
        yield ids[start:start + EXPORT_CHUNK].tolist()


def first_matching_ids(filters: SearchFilters, limit: int) -> SearchHits:
    """The view's first `limit` article ids in order, and how many it matches in all (one search, no facets).

    Exports use it to send a small view at once and to hand a large one to a background job; like
    matching_article_ids, text from a complete index only, views without text from the database.
    """
    parsed = text_query(filters)
    if _finds_nothing(filters, parsed):
        return SearchHits([], 0)
    request = SearchRequest(filters, parsed, stop=limit, facets=False)
    if parsed is not None:
        search_ready()
        return engine().search(request)
    return database_search(request)


def matching_articles(filters: SearchFilters, limit: int | None = None) -> Iterator[Article]:
    """Every article of the view (or the first `limit`), in its order, with actors and topics loaded."""
    for ids in matching_article_ids(filters, limit):
        yield from _articles_in_order(ids)


def match_count(filters: SearchFilters, created_after=None) -> int:
    """How many articles the view matches (that entered the archive after `created_after`, if given)."""
    parsed = text_query(filters)
    if _finds_nothing(filters, parsed):
        return 0
    request = SearchRequest(filters, parsed, stop=0, facets=False, created_after=created_after)
    if not recent_coverage().complete:
        if parsed is not None:
            search_ready()  # a count from an incomplete index would look right and be wrong
        return database_search(request).count
    return search_hits(request).count


def _articles_in_order(ids: list[int], with_labels: bool = True) -> list[Article]:
    """Load articles (with their actors and topics, unless not wanted), in the order of ids, skipping any deleted since."""
    found = (Article.objects.prefetch_related("actors", "topics") if with_labels else Article.objects).in_bulk(ids)
    return [found[article_id] for article_id in ids if article_id in found]


def _with_version_counts(articles: list[Article]) -> list[Article]:
    """Set .version_count on each article of a page: "+N similar versions" on the result row."""
    counts = version_counts([article.pk for article in articles])
    for article in articles:
        article.version_count = counts.get(article.pk, 0)
    return articles


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Articles most like this one: the engine's choice, or those sharing the most of its rarer actors."""
    chosen = engine().related(article, limit)
    if chosen is not None:
        return _articles_in_order(chosen, with_labels=False)  # listed by headline and date only
    return _sharing_rare_actors(article, limit)


def _rarest_actors(article_id: int, limit: int) -> list[int]:
    """The ids of the article's `limit` least-common actors: in the fewest articles, counted up to
    RELATED_LINKS_PER_ACTOR + 1 (commoner ones are alike here: only their newest links count); ties by id.

    Each count reads at most that many rows of the links' actor index, however common the actor.
    """
    table = connection.ops.quote_name(Article.actors.through._meta.db_table)
    uses_up_to = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE actor_id = %s LIMIT %s) AS links"
    uses = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT actor_id FROM {table} WHERE article_id = %s", [article_id])
        for (actor_id,) in cursor.fetchall():
            cursor.execute(uses_up_to, [actor_id, RELATED_LINKS_PER_ACTOR + 1])
            uses[actor_id] = cursor.fetchone()[0]
    return sorted(uses, key=lambda actor_id: (uses[actor_id], actor_id))[:limit]


def _shared_actor_counts(article_id: int, actor_ids: list[int]) -> Counter:
    """{other article id: how many of these actors it shares}, over each actor's newest RELATED_LINKS_PER_ACTOR links.

    Counted in Python over the bare link rows (no join), so the cost stays flat however large
    the archive grows. Thousands of rows: read as plain tuples, not through the ORM's per-row
    machinery (half the article page's time).
    """
    table = connection.ops.quote_name(Article.actors.through._meta.db_table)
    newest_links = f"SELECT article_id FROM {table} WHERE actor_id = %s AND article_id <> %s ORDER BY id DESC LIMIT %s"
    shared = Counter()
    with connection.cursor() as cursor:
        for actor_id in actor_ids:
            cursor.execute(newest_links, [actor_id, article_id, RELATED_LINKS_PER_ACTOR])
            shared.update(other for (other,) in cursor.fetchall())
    return shared


def _sharing_rare_actors(article: Article, limit: int) -> list[Article]:
    """Articles sharing the most of this one's rarer actors, newest first among equals.

    Rare actors say more about an article than "Russia" does: only the links of its
    RELATED_BY_ACTORS least-common actors are counted.
    """
    shared = _shared_actor_counts(article.pk, _rarest_actors(article.pk, RELATED_BY_ACTORS))
    candidates = [article_id for article_id, _ in shared.most_common(RELATED_CANDIDATES)]
    eligible = (
        Article.objects.filter(id__in=candidates, version_of__isnull=True)
        .exclude(id=article.version_of_id)  # its own original and versions are listed apart
        .exclude(version_of=article.version_of_id or article.pk)
        .values_list("id", "date")  # ranked as plain values; only the chosen few become objects
    )
    chosen = sorted(eligible, key=lambda row: (-shared[row[0]], -row[1].toordinal(), -row[0]))[:limit]
    found = Article.objects.defer("signature", "body").in_bulk([article_id for article_id, _ in chosen])
    return [found[article_id] for article_id, _ in chosen if article_id in found]
