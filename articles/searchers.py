"""A Whoosh searcher kept open between requests, reopening only the segments that changed.

Opening a segment reader copies its term files into memory (whoosh.filedb.structfile
BufferFile wraps the mmap in BytesIO), so a fresh searcher per search costs more than
the search itself, and more as the index grows. Whoosh's own `reader(reuse=...)` looks
readers up by generation instead of segment id and never reuses one (Whoosh 2.7.4), so
the reuse is done here: a segment reader stays valid while its segment id and its
number of deleted documents are unchanged (segments are immutable; deletions only grow).
"""

import threading

from whoosh.index import TOC
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

_local = threading.local()  # readers hold file positions: one set per thread


def current_searcher(index) -> Searcher:
    """A searcher on the index's latest generation; do not close it (its readers are reused)."""
    toc = TOC.read(index.storage, index.indexname, schema=index._schema)
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
