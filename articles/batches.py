"""Writes: run ingest over a batch of files and record it in the ingest log (the command and uploads both)."""

import contextlib
import dataclasses
import getpass
from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils import timezone

from .history import history_context
from .indexer_process import indexing_alongside
from .search.indexing import index_drain, index_writes_deferred
from .search.upkeep import index_heal
from .models import IngestBatch, IngestFileResult
from .services import DUPLICATE, INGESTED, MAX_FILE_BYTES, REFUSED, IngestResult, actor_registry, article_ingest


@dataclasses.dataclass(frozen=True)
class BatchFile:
    path: Path  # where the bytes are now
    name: str  # the file as the user named it: a path on the command line, an upload or zip entry


def ingest_batch_run(
    *,
    files: Iterable[BatchFile],
    origin: str,
    user=None,
    refused: Iterable[IngestResult] = (),
    max_file_bytes: int = MAX_FILE_BYTES,
    on_result: Callable[[IngestResult], None] | None = None,
    on_indexed: Callable[[int], None] | None = None,
    index_alongside: bool = False,
    heal_index: bool = False,
) -> IngestBatch:
    """Ingest each file (one transaction each), then index them all at once; log the batch and every result.

    refused: files turned away before ingest (a path that does not exist), logged first.
    max_file_bytes: a larger file is refused (uploads take less than the command: they must finish in a request).
    on_result is called with each result as it comes; on_indexed with counts while the index is written.
    index_alongside: a second process indexes stored articles meanwhile (large batches from the command line).
    heal_index: rebuild the index if it lost documents (the command; a web request leaves it to the upkeep).
    The batch's counts are saved with every file, so a batch that is killed says what it stored.
    """
    batch = IngestBatch.objects.create(
        origin=origin, user=user, run_by=user.get_username() if user else _system_user()
    )
    counts = {INGESTED: 0, DUPLICATE: 0, REFUSED: 0}

    def record(result: IngestResult) -> None:
        IngestFileResult.objects.create(
            batch=batch, name=result.name, status=result.status, reason=result.reason, article=result.article
        )
        counts[result.status] += 1
        IngestBatch.objects.filter(pk=batch.pk).update(
            ingested=counts[INGESTED], duplicate=counts[DUPLICATE], refused=counts[REFUSED])
        if on_result:
            on_result(result)

    for result in refused:
        record(result)
    registry = actor_registry()  # compiled once per batch, not per file
    reason = f"upload by {batch.run_by}" if origin == IngestBatch.Origin.UPLOAD else "ingest (command line)"
    alongside = indexing_alongside() if index_alongside else contextlib.nullcontext()
    with history_context(user=user, reason=reason), index_writes_deferred(), alongside:
        for file in files:
            record(article_ingest(path=file.path, name=file.name, registry=registry, max_bytes=max_file_bytes))
    try:
        index_drain(progress=on_indexed)
        if heal_index:
            index_heal(progress=on_indexed)
    finally:  # the articles are stored even when the index cannot be written: log them as such
        batch.ingested, batch.duplicate, batch.refused = counts[INGESTED], counts[DUPLICATE], counts[REFUSED]
        batch.finished = timezone.now()
        batch.save(update_fields=["ingested", "duplicate", "refused", "finished"])
    return batch


def ingest_batch_summary(batch: IngestBatch) -> str:
    """One line for a batch, as the command prints it ("3 files: 1 ingested, 1 duplicate, 1 refused.")."""
    files = f"{batch.files} file{'' if batch.files == 1 else 's'}"
    return f"{files}: {batch.ingested} ingested, {batch.duplicate} duplicate, {batch.refused} refused."


def _system_user() -> str:
    """The name of the system account running the command (getpass fails without a passwd entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
