"""Whoosh indexes opened for Newsdesk: without mmap, and a searcher kept open between requests.

With mmap, Whoosh copies each segment file into memory whenever a reader opens it
(whoosh.filedb.structfile.BufferFile wraps the mapping in BytesIO): at 10k articles a
searcher cost ~0.5 s and 160 MB per process. Read as plain files, only what a lookup
needs is read (the OS caches it).

A fresh searcher per search still reopens every segment. Whoosh's own
`reader(reuse=...)` looks readers up by generation instead of segment id and never
reuses one (Whoosh 2.7.4), so the reuse is done here: a segment reader stays valid
while its segment id and its number of deleted documents are unchanged (segments are
immutable; deletions only grow).
"""

import os
import threading

from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, EmptyIndexError, FileIndex
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

_local = threading.local()  # readers hold file positions: one set per thread


def unmapped_index(backend) -> FileIndex:
    """The backend's index read without mmap, with the fields the code defines (as haystack opens it:
    an index built before a field was added still takes it)."""
    return FileIndex(_unmapped(backend.storage), backend.schema, backend.index.indexname)


def _unmapped(storage):
    if isinstance(storage, FileStorage) and storage.supports_mmap:
        return FileStorage(storage.folder, supports_mmap=False)
    return storage


# Handed to Whoosh where only an index's generations and segments matter: given a schema (a non-empty one: an
# empty Schema is false), reading a table of contents skips unpickling the one stored in it, most of the read
# (~60 of ~85 us at 10k articles; each search read one so three times, for the index's presence and checksums).
_FIELDS_UNUSED = Schema(unused=ID())


def index_files(folder: str, indexname: str = "MAIN") -> FileIndex:
    """The index in folder, for its generations and segments (its schema is not read); EmptyIndexError if none."""
    return FileIndex(FileStorage(folder, supports_mmap=False), schema=_FIELDS_UNUSED, indexname=indexname)


def generation_toc(index: FileIndex, generation: int) -> TOC:
    """The table of contents of one generation of an index_files() index, for its segments (the schema is not read)."""
    return TOC.read(index.storage, index.indexname, generation, schema=_FIELDS_UNUSED)


def index_exists(folder: str, indexname: str = "MAIN") -> bool:
    """whoosh.index.exists_in(folder) without reading the stored schema: an unreadable table of contents still raises."""
    if not os.path.exists(folder):
        return False
    try:
        return index_files(folder, indexname).latest_generation() > -1
    except EmptyIndexError:
        return False


GENERATION_ATTEMPTS = 5


def reading_latest(read):
    """read() (it opens the index's latest generation), again when that generation vanished meanwhile.

    A writer's commit deletes the generation it replaces: its .toc may go between listing the
    directory and opening the file (FileNotFoundError; the short load test saw a 503 so). Then
    a newer generation exists: read again. An index that is really gone still raises.
    """
    for attempt in range(GENERATION_ATTEMPTS):
        try:
            return read()
        except FileNotFoundError:
            if attempt == GENERATION_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def latest_generation(backend) -> tuple[FileIndex, TOC]:
    """The index and the table of contents of its latest generation."""
    def read():
        index = unmapped_index(backend)
        return index, TOC.read(index.storage, index.indexname, schema=index._schema)

    return reading_latest(read)


def current_searcher(backend) -> Searcher:
    """A searcher on the latest generation of the backend's index; do not close it (its readers are reused)."""
    index, toc = latest_generation(backend)
    previous: dict = getattr(_local, "readers", {})
    readers = {}
    for segment in toc.segments:
        key = (segment.segment_id(), segment.deleted_count())
        readers[key] = previous.pop(key, None) or SegmentReader(index.storage, toc.schema, segment, generation=toc.generation)
    for stale in previous.values():
        stale.close()
    _local.readers = readers
    ordered = list(readers.values())
    if not ordered:
        reader = EmptyReader(toc.schema)
    elif len(ordered) == 1:
        reader = ordered[0]
    else:
        reader = MultiReader(ordered, generation=toc.generation)
    return Searcher(reader, fromindex=index)


def forget_searchers() -> None:
    """Close this thread's kept readers (tests that replace the index directory call this)."""
    for reader in getattr(_local, "readers", {}).values():
        reader.close()
    _local.readers = {}
