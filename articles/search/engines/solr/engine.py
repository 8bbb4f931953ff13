"""Newsdesk's distributed engine: a SolrCloud collection behind an alias, over HTTP to any of its nodes."""

import dataclasses
import datetime
from collections.abc import Hashable, Iterable, Iterator, Sequence

from django.conf import settings
from django.utils import timezone

from articles.models import Article

from ...analysis import ANALYSIS_VERSION, fold, terms
from ...documents import article_index
from ..base import (
    EngineHealth, FacetCounts, IndexedDocument, SearchHits, SearchMisconfigured, SearchRequest, SearchUnavailable,
)
from . import collections, prefixes, translate
from .client import SolrClient
from .writing import commit_changes, delete_everything, write_articles

INDEXED_CHUNK = 5000  # documents per cursorMark page when listing the index
ID_PAGE = 10_000  # ids per cursorMark page of iter_ids
# Fields every document carries besides the SearchIndex's own (haystack's identifiers).
IDENTIFIER_FIELDS = {"id", "django_ct", "django_id"}


class SolrEngine:
    name = "solr"

    def __init__(self, urls: list[str] | None = None, alias: str | None = None):
        self.client = SolrClient(settings.SEARCH_URLS if urls is None else urls)
        self.alias = alias or settings.SOLR_ALIAS
        self._current_schemas: set[str] = set()  # collections whose schema was found current

    # --- reads -------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchHits:
        q = self._text_query(request)
        if q is None:  # only stop words: nothing to look for, as on Whoosh
            return SearchHits([], 0, _no_facets(request))
        paged = request if request.stop is not None else dataclasses.replace(request, stop=request.start)
        answer = self._select(translate.select_params(paged, q))
        count = answer["response"]["numFound"]
        ids = [int(doc["django_id"]) for doc in answer["response"]["docs"]]
        if request.stop is None:  # every match from start: paged through with a cursor
            ids = [article_id for chunk in self.iter_ids(dataclasses.replace(request, facets=False)) for article_id in chunk]
        facets = _facets(answer, request.days) if request.facets else _no_facets(request)
        return SearchHits(ids, count, facets)

    def iter_ids(self, request: SearchRequest, chunk: int = 1000) -> Iterator[list[int]]:
        q = self._text_query(request)
        if q is None:
            return
        # Asked ID_PAGE at a time whatever the chunk: each page is a round of requests to every shard
        # (10,000 ids: 219 ms in pages of 2,000, 108 in one), handed on in chunks.
        page = max(chunk, ID_PAGE)
        if request.stop is not None:
            page = max(1, min(page, request.stop))
        params = translate.cursor_params(request, q, page)
        skip, left = request.start, (request.stop - request.start if request.stop is not None else None)
        cursor = "*"
        while left is None or left > 0:
            answer = self._select(params + [("cursorMark", cursor)])
            ids = [int(doc["django_id"]) for doc in answer["response"]["docs"]]
            if skip:
                dropped, ids = ids[:skip], ids[skip:]
                skip -= len(dropped)
            if left is not None:
                ids, left = ids[:left], left - len(ids[:left])
            for start in range(0, len(ids), chunk):
                yield ids[start:start + chunk]
            if answer["nextCursorMark"] == cursor:
                return
            cursor = answer["nextCursorMark"]

    def suggest(self, words: list[str]) -> list[str] | None:
        """Each word the index lacks (none of its terms indexed) replaced by the closest indexed word."""
        word_terms = [terms(word) for word in words]
        every_term = sorted({term for found in word_terms for term in found})
        folded = [fold(word).lower() for word in words]
        params = [("q", "*:*"), ("rows", "0"), ("wt", "json"), translate.LUCENE, ("facet", "true"), ("json.nl", "map"),
                  ("spellcheck", "true"), ("spellcheck.q", " ".join(folded)), ("spellcheck.count", "1")]
        params += [("facet.query", "{!term f=text}" + term) for term in every_term]
        answer = self._select(params)
        known = {query.removeprefix("{!term f=text}") for query, count in
                 answer.get("facet_counts", {}).get("facet_queries", {}).items() if count}
        corrections = _spelling_corrections(answer)
        suggested, changed = [], False
        for word, found, lowered in zip(words, word_terms, folded):
            best = None if any(term in known for term in found) else corrections.get(lowered)
            suggested.append(best or word)
            changed = changed or bool(best and best != word.lower())
        return suggested if changed else None

    def related(self, article: Article, limit: int) -> list[int] | None:
        return None  # by shared actors, from the database: the same articles as on Whoosh

    def prefix_terms(self, field: str, prefix: str) -> tuple[str, ...]:
        return prefixes.prefix_terms(self.client, self.alias, field, prefix)

    def prefix_postings(self, field: str, prefix: str) -> int:
        return 0  # matched inside the cluster from its term dictionary and bit sets: not bounded here

    def health(self) -> EngineHealth:
        try:
            answer = self._select([("q", "*:*"), ("rows", "0"), ("wt", "json")])
        except SearchMisconfigured as error:
            return EngineHealth(False, 0, str(error), misconfigured=True)
        except SearchUnavailable as error:
            return EngineHealth(False, 0, str(error))
        return EngineHealth(True, answer["response"]["numFound"],
                            f"SolrCloud alias {self.alias} on {', '.join(self.client.urls)}")

    def generation(self) -> Hashable:
        return None  # only a request to the cluster would tell

    def warm_up(self) -> None:
        # Opens the searchers and loads the facet fields' docValues on the replicas this node asks.
        self._select([("q", "*:*"), ("rows", "0"), ("wt", "json")] + translate.facet_params(days=False))

    # --- index_check ---------------------------------------------------------------------------
    def indexed(self) -> dict[int, IndexedDocument]:
        return indexed_documents(self.client, self.alias)

    def schema_outdated(self) -> bool:
        """The collection's schema lacks a field of the search document, or was built with another analysis.

        No collection at all (a new cluster) counts as outdated: `index_check --repair` builds one.
        """
        targets = collections.alias_targets(self.client, self.alias)
        if not targets and not collections.exists(self.client, self.alias):
            return True
        if targets and set(targets) <= self._current_schemas:
            return False  # a collection's schema never changes: each is made from a configset of its own
        name = self.client.get(f"{self.alias}/schema/name", {"wt": "json"}).get("name")
        fields = self.client.get(f"{self.alias}/schema/fields", {"wt": "json"}).get("fields", [])
        needed = set(article_index().fields) | IDENTIFIER_FIELDS
        outdated = name != ANALYSIS_VERSION or not needed <= {field["name"] for field in fields}
        if not outdated:
            self._current_schemas |= set(targets)
        return outdated

    # --- writes --------------------------------------------------------------------------------
    def write(self, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None:
        write_articles(self.client, self.alias, articles, removed_ids)

    def clear(self) -> None:
        """Delete every document; a collection of an older schema is replaced by a new empty one."""
        if self.schema_outdated():
            build = self.begin_rebuild(0)
            build.swap()
        else:
            delete_everything(self.client, self.alias)

    def begin_rebuild(self, total: int) -> "SolrBuild":
        return SolrBuild(self.client, self.alias)

    def _text_query(self, request: SearchRequest) -> str | None:
        """The request's text query in Lucene syntax ("*:*" without one, None when only stop words)."""
        if request.query is None:
            return "*:*"
        return translate.text_query(prefixes.with_prefix_terms(request.query, self.client, self.alias))

    def _select(self, params: list[tuple[str, str]]) -> dict:
        # POST: a long query or many filters never outgrow a URL.
        return self.client.post(f"{self.alias}/select", data=params)


def indexed_documents(client: SolrClient, collection: str) -> dict[int, IndexedDocument]:
    """Every document by article id (stamp, actors, topics), paged through with a cursor."""
    params = [("q", "*:*"), ("fl", "django_id,updated,actors,topics"), ("rows", str(INDEXED_CHUNK)),
              ("sort", "id asc"), ("wt", "json")]
    found, cursor = {}, "*"
    while True:
        answer = client.post(f"{collection}/select", data=params + [("cursorMark", cursor)])
        for doc in answer["response"]["docs"]:
            found[int(doc["django_id"])] = IndexedDocument(
                updated=_moment(doc.get("updated")),
                actors=frozenset(doc.get("actors", ())),
                topics=frozenset(doc.get("topics", ())),
            )
        if answer["nextCursorMark"] == cursor:
            return found
        cursor = answer["nextCursorMark"]


class SolrBuild:
    """A fresh collection newsdesk_<stamp> filled beside the live one; swap() moves the alias onto it."""

    def __init__(self, client: SolrClient, alias: str):
        self.client = client
        self.alias = alias
        self.collection = f"{alias}_{timezone.now():%Y%m%dT%H%M%S%f}"
        live = collections.alias_targets(client, alias)
        layout = collections.collection_layout(client, live[0]) if live else collections.Layout(
            collections.DEFAULT_SHARDS, collections.DEFAULT_REPLICAS)
        collections.upload_configset(client, self.collection)
        try:
            collections.create_collection(client, self.collection, self.collection, layout)
        except BaseException:
            self.discard()
            raise

    def fill(self, batches: Iterable[Sequence[Article]]) -> int:
        added = 0
        for batch in batches:
            added += write_articles(self.client, self.collection, batch, commit=False)
        commit_changes(self.client, self.collection)
        return added

    def write(self, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None:
        write_articles(self.client, self.collection, articles, removed_ids)

    def indexed(self) -> dict[int, IndexedDocument]:
        return indexed_documents(self.client, self.collection)

    def swap(self) -> None:
        """Point the alias at the fresh collection in one step, then drop the collections it left."""
        previous = collections.alias_targets(self.client, self.alias)
        collections.point_alias(self.client, self.alias, self.collection)
        for old in previous:
            if old != self.collection:
                collections.drop_collection(self.client, old)

    def discard(self) -> None:
        collections.drop_collection(self.client, self.collection)  # the live collection was never touched


def _facets(answer: dict, days: bool) -> FacetCounts:
    fields = answer.get("facet_counts", {}).get("facet_fields", {})
    counts = {name: {value: count for value, count in fields.get(field, {}).items() if count}
              for name, field in translate.FACET_FIELDS.items()}
    return FacetCounts(**counts, days=dict(fields.get("day", {})) if days else None)


def _no_facets(request: SearchRequest) -> FacetCounts:
    return FacetCounts({}, {}, {}, days={} if request.days else None)


def _spelling_corrections(answer: dict) -> dict[str, str]:
    """{word: its best suggestion} from the spellcheck component's flat list ["word", {...}, ...]."""
    suggestions = answer.get("spellcheck", {}).get("suggestions", [])
    pairs = suggestions.items() if isinstance(suggestions, dict) else zip(suggestions[::2], suggestions[1::2])
    corrections = {}
    for word, details in pairs:
        found = details.get("suggestion", []) if isinstance(details, dict) else []
        if found:
            best = found[0]
            corrections[word] = best["word"] if isinstance(best, dict) else best
    return corrections


def _moment(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
