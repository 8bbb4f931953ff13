"""Rebuild the search index from the database beside the live one, then swap it in.

Searches keep using the old index while the new one is built. The live index path
(settings.INDEX_DIR, e.g. var/whoosh) becomes a symlink to a generation directory
(var/whoosh-20261122T213000); the swap replaces that symlink in one rename.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from haystack import connections
from haystack.backends.whoosh_backend import WhooshSearchBackend

from .backend import bulk_add
from .columns import columns_prepare
from .consistency import index_differences
from .indexing import index_write_lock, whoosh_replace
from .models import Article

BUILD_BATCH = 1000
PARALLEL_MIN = 5000


def index_rebuild(progress=None) -> int:
    """Index every article into a fresh directory and swap it in atomically; return how many."""
    live = settings.INDEX_DIR
    fresh = live.with_name(f"{live.name}-{timezone.now():%Y%m%dT%H%M%S%f}")
    backend = _backend_at(fresh)
    ids = list(Article.objects.values_list("id", flat=True).order_by("id"))
    try:
        total = bulk_add(backend, _search_index(), _batches(ids, progress), processes=build_processes(len(ids)))
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)  # the live index was never touched
        raise
    with index_write_lock():
        _catch_up(backend)
        columns_prepare(backend)  # and forget the old index's
        _swap(live, fresh)
    return total


def build_processes(articles: int) -> int:
    """Sub-processes analysing and writing documents: one per core (up to two), for a large archive.

    Below PARALLEL_MIN articles starting them costs more than it saves. Two cores already
    halve the Whoosh work; more would also split the index into more segments.
    """
    return max(1, min(2, os.cpu_count() or 1)) if articles >= PARALLEL_MIN else 1


def _backend_at(path: Path) -> WhooshSearchBackend:
    backend = WhooshSearchBackend("default", PATH=str(path), SILENTLY_FAIL=False)
    backend.setup()
    return backend


def _search_index():
    return connections["default"].get_unified_index().get_index(Article)


def _batches(ids: list[int], progress=None):
    """Yield the articles with these ids, BUILD_BATCH at a time, with actors and topics loaded."""
    for start in range(0, len(ids), BUILD_BATCH):
        batch = ids[start:start + BUILD_BATCH]
        yield list(Article.objects.filter(id__in=batch).prefetch_related("actors", "topics"))
        if progress:
            progress(len(batch))


def _catch_up(backend: WhooshSearchBackend) -> None:
    """Bring over the edits made while the fresh index was built (they went to the old one)."""
    differences = index_differences(backend)
    for batch in _batches(differences.missing + differences.stale):
        whoosh_replace(backend, _search_index(), batch)
    if differences.orphaned:
        whoosh_replace(backend, _search_index(), [], differences.orphaned)


def _swap(live: Path, fresh: Path) -> None:
    """Point `live` at `fresh` in one rename; delete what it pointed at before."""
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
