"""Newsdesk's embedded engine: a Whoosh index on disk, searched through numpy columns of it."""

import dataclasses
import logging
import os
import shutil
from collections.abc import Hashable, Iterable, Iterator, Sequence

from django.conf import settings
from django.utils import timezone
from haystack import connections

from articles.models import Article

from ...analysis import ANALYSIS_VERSION, fold, terms
from ..base import EngineHealth, IndexedDocument, SearchHits, SearchRequest, SearchUnavailable
from .backend import analysis_of, backend_at, mark_analysis, require_index, search_backend, storage_errors
from .column_search import column_search
from .columns import KEYWORD_FIELDS, columns_prepare, searcher_columns, searcher_spelling
from .integrity import index_forget, index_record, index_verify
from .plain import plain_search
from .prefixes import prefix_terms
from .searchers import current_searcher
from .writing import bulk_add, whoosh_replace

PARALLEL_MIN = 5000  # articles from which a rebuild writes with sub-processes
PREFIX_POSTINGS_KEPT = 4096
_prefix_postings: dict[tuple, int] = {}  # (generation, field, prefix) -> postings
log = logging.getLogger(__name__)


class WhooshEngine:
    name = "whoosh"

    # --- reads -------------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchHits:
        with storage_errors():
            require_index()
            index_verify(settings.INDEX_DIR)  # a file damaged since the last look: 503, not a wrong answer
            return column_search(request) if settings.SEARCH_COLUMNS else plain_search(request)

    def iter_ids(self, request: SearchRequest, chunk: int = 1000) -> Iterator[list[int]]:
        # The column search lists every match at once (an array of ids); only loading articles is chunked.
        ids = self.search(dataclasses.replace(request, facets=False)).ids
        for start in range(0, len(ids), chunk):
            yield ids[start:start + chunk]

    def suggest(self, words: list[str]) -> list[str] | None:
        with storage_errors():
            require_index()
            backend = search_backend()
            searcher = current_searcher(backend)
            vocabulary = searcher_spelling(searcher)
            suggested, changed = [], False
            for word in words:
                known = any(searcher.frequency(backend.content_field_name, term) for term in terms(word))
                best = None if known else vocabulary.closest(fold(word).lower())
                suggested.append(best or word)
                changed = changed or bool(best and best != word.lower())
            return suggested if changed else None

    def related(self, article: Article, limit: int) -> list[int] | None:
        return None  # by shared actors, from the database

    def prefix_terms(self, field: str, prefix: str) -> tuple[str, ...]:
        with storage_errors():
            require_index()
            backend = search_backend()
            return prefix_terms(current_searcher(backend), field or backend.content_field_name, prefix)

    def prefix_postings(self, field: str, prefix: str) -> int:
        # Asked for every prefix of every view a page parses (a list of saved views): kept per generation.
        key = (self.generation(), field, prefix)
        if (known := _prefix_postings.get(key)) is not None:
            return known
        with storage_errors():
            require_index()
            backend = search_backend()
            searcher = current_searcher(backend)
            name = field or backend.content_field_name
            reader = searcher.reader()
            found = sum(reader.doc_frequency(name, term) for term in prefix_terms(searcher, name, prefix))
        if len(_prefix_postings) >= PREFIX_POSTINGS_KEPT:
            _prefix_postings.clear()
        _prefix_postings[key] = found
        return found

    def health(self) -> EngineHealth:
        try:
            with storage_errors():
                require_index()
                index_verify(settings.INDEX_DIR)  # a damaged file: unavailable, never wrong answers
                columns = searcher_columns(current_searcher(search_backend()))
                return EngineHealth(True, int(columns.live.sum()), f"Whoosh index at {settings.INDEX_DIR}")
        except SearchUnavailable as error:
            return EngineHealth(False, 0, str(error))

    def generation(self) -> Hashable:
        """The directory the live path points at and its tables of contents (one per commit)."""
        try:
            directory = os.path.realpath(settings.INDEX_DIR)
            return directory, tuple(sorted(name for name in os.listdir(directory) if name.endswith(".toc")))
        except OSError:
            return None  # no index there

    def warm_up(self) -> None:
        with storage_errors():
            require_index()
            searcher = current_searcher(search_backend())
            if settings.SEARCH_COLUMNS:
                searcher_columns(searcher)
            searcher_spelling(searcher)

    # --- index_check ---------------------------------------------------------------------------
    def indexed(self) -> dict[int, IndexedDocument]:
        with storage_errors():
            require_index()
            return indexed_documents(search_backend())

    def schema_outdated(self) -> bool:
        with storage_errors():
            require_index()
            backend = search_backend()
            on_disk = backend.storage.open_index().schema
            if sorted(on_disk.names()) != sorted(backend.schema.names()):
                return True
            return analysis_of(settings.INDEX_DIR) != ANALYSIS_VERSION

    # --- writes --------------------------------------------------------------------------------
    def write(self, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None:
        with storage_errors():  # an unwritable or locked index: the rows stay queued
            backend = search_backend()
            whoosh_replace(backend, articles, removed_ids)
            index_record(settings.INDEX_DIR)
        if settings.SEARCH_COLUMNS:
            try:
                columns_prepare(backend)  # the next search in any worker only loads them
            except Exception:  # the next search reads them itself; the index writes are done
                log.exception("could not save the index columns")

    def clear(self) -> None:
        backend = connections["default"].get_backend()
        if not backend.setup_complete:
            backend.setup()  # creates the directory when missing
        # In place, so a symlinked generation directory (see WhooshBuild) stays where it is.
        backend.storage.create_index(backend.schema)
        index_forget(settings.INDEX_DIR)
        mark_analysis(settings.INDEX_DIR)
        connections.reload("default")

    def begin_rebuild(self, total: int) -> "WhooshBuild":
        with storage_errors():  # a directory that cannot be written beside the live one
            return WhooshBuild(total)


def indexed_documents(backend) -> dict[int, IndexedDocument]:
    """Every live document by article id: `updated` from its sort column, actors and topics from the columns."""
    searcher = current_searcher(backend)
    columns = searcher_columns(searcher)
    updated = []
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        stamps = reader.column_reader("updated") if reader.has_column("updated") else None
        updated += list(stamps) if stamps is not None else [None] * reader.doc_count_all()
    labels = {field: columns.keywords[field].values_by_document() for field in KEYWORD_FIELDS}
    return {
        int(columns.article_ids[docnum]): IndexedDocument(
            updated=updated[docnum],
            actors=labels["actors"].get(docnum, frozenset()),
            topics=labels["topics"].get(docnum, frozenset()),
        )
        for docnum in columns.live.nonzero()[0].tolist()
    }


class WhooshBuild:
    """A fresh index in a new generation directory; the live path (settings.INDEX_DIR) becomes a symlink to it.

    Searches keep using the old index while the new one is built: var/whoosh ->
    var/whoosh-20261122T213000; the swap replaces that symlink in one rename.
    """

    def __init__(self, total: int):
        live = settings.INDEX_DIR
        self.live = live
        self.path = live.with_name(f"{live.name}-{timezone.now():%Y%m%dT%H%M%S%f}")
        self.backend = backend_at(self.path)
        # Sub-processes analyse and write documents: one per core (up to two), for a large archive.
        # Below PARALLEL_MIN starting them costs more than it saves; more would split the index further.
        self.processes = max(1, min(2, os.cpu_count() or 1)) if total >= PARALLEL_MIN else 1

    def fill(self, batches: Iterable[Sequence[Article]]) -> int:
        return bulk_add(self.backend, batches, processes=self.processes)

    def write(self, articles: Sequence[Article], removed_ids: Iterable[int] = ()) -> None:
        whoosh_replace(self.backend, articles, removed_ids)

    def indexed(self) -> dict[int, IndexedDocument]:
        return indexed_documents(self.backend)

    def swap(self) -> None:
        """Point the live path at the fresh index in one rename; delete what it pointed at before.

        A live index that cannot be moved aside (unwritable) stays as it was: SearchUnavailable.
        """
        with storage_errors():
            columns_prepare(self.backend)  # and forget the old index's
            index_record(self.path)
            live, fresh = self.live, self.path
            if live.is_symlink():
                previous = live.resolve()
            elif live.exists():
                previous = live.with_name(f"{live.name}-replaced")
                live.rename(previous)  # a real directory from before the first rebuild
            else:
                previous = None
            link = live.with_name(f".{live.name}.swap")
            link.unlink(missing_ok=True)
            link.symlink_to(fresh.name)
            os.replace(link, live)
        connections.reload("default")
        if previous and previous != fresh.resolve():
            shutil.rmtree(previous, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)  # the live index was never touched

