"""What Newsdesk needs from a search engine: the one boundary between the app and Whoosh or SolrCloud.

Everything above this line (selectors, views, exports, saved views, index_check, rebuild)
talks to a SearchEngine; everything engine-specific (Whoosh's files and private
attributes, Solr's HTTP API and query syntax) lives in one package under engines/.
SearchFilters is the one filter language: each engine translates it once.

# SearchRequest(filters=SearchFilters(q="gas", actors=(putin,), sort="newest"), query=parse_query("gas"), stop=20)
#   -> SearchHits(ids=[41, 17, ...], count=233, facets=FacetCounts(actors={"vladimir-putin": 233, ...}, ...))
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from articles.forms import SearchFilters
    from articles.models import Article

    from ..query import ParsedQuery


class SearchUnavailable(Exception):
    """The engine cannot answer now (no index, unreadable files, cluster down): the 503 page, then retry.

    Only real outages are reported this way; a bug in Newsdesk stays an error.
    """


class SearchMisconfigured(SearchUnavailable):
    """The engine answers but is not set up as Newsdesk needs (wrong URL, missing collection or field).

    Shown as a configuration error to the operator, not as "index unavailable".
    """


@dataclasses.dataclass(frozen=True)
class FacetCounts:
    """Counts over every match, never cut to a top N: {actor slug: n}, {topic slug: n}, {"YYYY-MM": n}."""

    actors: dict[str, int]
    topics: dict[str, int]
    months: dict[str, int]
    days: dict[str, int] | None = None  # {"YYYY-MM-DD": n}, only when asked for (short date ranges)


NO_FACETS = FacetCounts({}, {}, {})


@dataclasses.dataclass(frozen=True)
class SearchRequest:
    """One search: the view's filters and sort, its parsed text query (None: filters only), a slice.

    Order: "relevance" = score, then newer date, then higher id; "newest" = date, then higher id;
    "oldest" = date, then lower id. Every engine breaks ties the same way, so pages never overlap.
    Each group of similar versions counts once: documents marked is_version never match.
    """

    filters: SearchFilters
    query: ParsedQuery | None = None
    start: int = 0
    stop: int | None = None  # None: every match from start
    facets: bool = True
    days: bool = False  # also count matches per day
    created_after: datetime.datetime | None = None  # only articles that entered the archive later (saved views)

    @property
    def sort(self) -> str:
        return self.filters.sort if self.query is not None or self.filters.sort != "relevance" else "newest"


@dataclasses.dataclass(frozen=True)
class SearchHits:
    ids: list[int]  # article ids of the requested slice, in order
    count: int  # every match
    facets: FacetCounts = NO_FACETS


@dataclasses.dataclass(frozen=True)
class IndexedDocument:
    """What the index holds of one article, for index_check: compared with the database."""

    updated: datetime.datetime | None
    actors: frozenset[str]
    topics: frozenset[str]


@dataclasses.dataclass(frozen=True)
class EngineHealth:
    available: bool
    documents: int  # documents the index holds (0 when unavailable)
    detail: str  # one line for operators: "Whoosh index at var/whoosh, 3 segments" / the error
    misconfigured: bool = False  # unavailable because of its configuration (SearchMisconfigured), not an outage

    def error(self) -> SearchUnavailable:
        """What to raise for an unavailable engine: a configuration error stays one (its own 503 page)."""
        return (SearchMisconfigured if self.misconfigured else SearchUnavailable)(self.detail)


class IndexBuild(Protocol):
    """A fresh index filled beside the live one; swap() makes it live in one step, discard() drops it."""

    def fill(self, batches: Iterable[Sequence[Article]]) -> int: ...

    def write(self, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None: ...

    def indexed(self) -> dict[int, IndexedDocument]: ...

    def swap(self) -> None: ...

    def discard(self) -> None: ...


class SearchEngine(Protocol):
    """Every engine behind Newsdesk does all of this, with the same results."""

    name: str  # "whoosh" | "solr"

    # --- reads ---------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchHits:
        """The slice of matching article ids in the request's order, the count, and facet counts over all."""

    def iter_ids(self, request: SearchRequest, chunk: int = 1000) -> Iterator[list[int]]:
        """Every matching id from request.start (to request.stop), in order, a chunk at a time (exports)."""

    def suggest(self, words: list[str]) -> list[str] | None:
        """The words with each unknown one replaced by the closest indexed word, or None when none changes."""

    def related(self, article: Article, limit: int) -> list[int] | None:
        """Ids of articles most like this one, or None to let Newsdesk choose by shared actors."""

    def prefix_terms(self, field: str, prefix: str) -> tuple[str, ...]:
        """The index terms a prefix matches in a field ("": the content), sorted: the terms starting
        with it and those of the indexed words starting with it ("negotiat" -> ("negoti",))."""

    def prefix_postings(self, field: str, prefix: str) -> int:
        """How many postings the terms of prefix_terms() hold together: what matching the prefix reads
        (0 where matching a prefix costs the engine little whatever it matches)."""

    def health(self) -> EngineHealth:
        """Whether the engine answers and how many documents its index holds; never raises."""

    def generation(self) -> Hashable:
        """A cheap token that changes whenever the index is written, replaced or lost (None: no cheap
        token; pages then trust a look at the index for coverage.CHECK_EVERY seconds); never raises."""

    def warm_up(self) -> None:
        """Load what the first search would otherwise load (a new web worker calls this)."""

    # --- index_check ---------------------------------------------------------------------
    def indexed(self) -> dict[int, IndexedDocument]:
        """Every document in the index, by article id."""

    def schema_outdated(self) -> bool:
        """Whether the index was built with other fields or analysis than the code defines now."""

    # --- writes (callers hold articles.search.indexing.index_write_lock) ---------------------
    def write(self, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None:
        """Replace these articles' documents and delete those of removed_ids, visible to the next search."""

    def clear(self) -> None:
        """Replace the index with an empty one with the current fields."""

    def begin_rebuild(self, total: int) -> IndexBuild:
        """Start a fresh index beside the live one, for `total` articles."""
