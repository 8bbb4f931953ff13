"""Writes: run ingest over a batch of files and record it in the ingest log (the command and uploads both).

The log tells the truth whatever happens to the process: each file's result is written in the
same transaction as its article, the batch knows which process runs it (a killed one shows as
interrupted), and a database that cannot be written stops the batch between two files with a
reason, never in the middle of one.
"""

import contextlib
import dataclasses
import getpass
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import DatabaseError, InterfaceError, connection
from django.utils import timezone

from .history import history_context
from .indexer_process import indexing_alongside
from .ingest_ahead import FilesAhead
from .search.engines.base import SearchUnavailable
from .search.indexing import index_drain, index_writes_deferred
from .search.upkeep import index_heal
from .models import IngestBatch, IngestFileResult
from .prepare import PreparedArticle
from .resolve import actor_registry
from .services import DUPLICATE, INGESTED, MAX_FILE_BYTES, REFUSED, IngestResult, article_store

RECONNECT_FOR = 60.0  # seconds a batch waits for a database that went away (restarted) before it stops
log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class BatchFile:
    path: Path  # where the bytes are now
    name: str  # the file as the user named it: a path on the command line, an upload or zip entry


class BatchInterrupted(Exception):
    """The database could not be written (locked by another process, gone): the batch stopped between two files.

    Every file stored before is stored whole, with its row in the log; none after was begun.
    """

    def __init__(self, reason: str, batch: IngestBatch | None, stored: int):
        super().__init__(reason)
        self.reason, self.batch, self.stored = reason, batch, stored


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
    workers: int = 0,
) -> IngestBatch:
    """Ingest each file (one short transaction each), then index them all at once; log the batch and every result.

    refused: files turned away before ingest (a path that does not exist), logged first.
    max_file_bytes: a larger file is refused (uploads take less than the command: they must finish in a request).
    on_result is called with each result once it is stored; on_indexed with counts while the index is written.
    index_alongside: a second process indexes stored articles meanwhile (large batches from the command line).
    workers: processes that extract the next files while this one stores (articles.ingest_ahead); 0: one file after another.
    heal_index: rebuild the index if it lost documents (the command; a web request leaves it to the upkeep).
    Raises BatchInterrupted when the database cannot be written. When the index cannot be written,
    the articles stay queued for it and batch.index_note says why.
    """
    files, refused = list(files), list(refused)
    batch = _database_step(lambda: IngestBatch.objects.create(
        origin=origin, user=user, run_by=user.get_username() if user else _system_user(),
        files_total=len(files) + len(refused), host=socket.gethostname(), pid=os.getpid(),
    ), batch=None, counts={})
    counts = {INGESTED: 0, DUPLICATE: 0, REFUSED: 0}

    def record(result: IngestResult) -> None:
        IngestFileResult.objects.create(
            batch=batch, name=result.name, status=result.status, reason=result.reason, article=result.article
        )
        counts[result.status] += 1
        IngestBatch.objects.filter(pk=batch.pk).update(
            ingested=counts[INGESTED], duplicate=counts[DUPLICATE], refused=counts[REFUSED])

    def ingest(file: BatchFile, outcome: IngestResult | PreparedArticle) -> IngestResult:
        before = dict(counts)
        try:
            # An ingested file's row is written in its article's transaction (on_stored); the others' after.
            result = outcome if isinstance(outcome, IngestResult) else article_store(
                outcome, name=file.name, source=file.path.name, on_stored=record)
            if result.status != INGESTED:
                record(result)
            return result
        except BaseException:
            counts.update(before)  # the transaction that counted it rolled back
            raise

    for result in refused:
        _database_step(lambda: record(result), batch, counts)
        _report(on_result, result)
    # The registry is compiled once per batch, not per file.
    ahead = FilesAhead(files, registry=actor_registry(), max_bytes=max_file_bytes, workers=workers)
    reason = f"upload by {batch.run_by}" if origin == IngestBatch.Origin.UPLOAD else "ingest (command line)"
    alongside = indexing_alongside() if index_alongside else contextlib.nullcontext()
    with history_context(user=user, reason=reason), index_writes_deferred(), alongside, ahead:
        while not ahead.finished():
            _database_step(ahead.read_next, batch, counts)
            file, outcome = ahead.take()
            _report(on_result, _database_step(lambda: ingest(file, outcome), batch, counts))
    batch.index_note = _index_written(on_indexed, heal_index)
    batch.ingested, batch.duplicate, batch.refused = counts[INGESTED], counts[DUPLICATE], counts[REFUSED]
    batch.finished = timezone.now()
    _database_step(lambda: batch.save(update_fields=["ingested", "duplicate", "refused", "finished", "index_note"]),
                   batch, counts)
    return batch


def _report(on_result, result: IngestResult) -> None:
    if on_result:
        on_result(result)


def _database_step(step: Callable, batch: IngestBatch | None, counts: dict):
    """Run one step of the batch (a file, a log row); wait for a database that went away, stop on one that refuses.

    A restarted server (PostgreSQL) drops the connection: reconnect and try the step again for up
    to RECONNECT_FOR seconds. A database that answers but cannot write (SQLite locked by another
    process past its timeout, a full disk) stops the batch: BatchInterrupted.
    """
    deadline = time.monotonic() + RECONNECT_FOR
    while True:
        try:
            return step()
        except (DatabaseError, InterfaceError) as error:
            if _connection_alive():
                raise BatchInterrupted(_database_problem(error), batch, counts.get(INGESTED, 0)) from error
            if time.monotonic() > deadline:
                raise BatchInterrupted(f"the database cannot be reached ({_first_line(error)})", batch,
                                       counts.get(INGESTED, 0)) from error
            log.warning("the database connection was lost (%s); trying again", _first_line(error))
            connection.close()
            time.sleep(1)


def _connection_alive() -> bool:
    """Whether the database still answers on this connection (False after a server restart)."""
    if connection.connection is None:
        return False
    try:
        return connection.is_usable()
    except Exception:
        return False


def _database_problem(error: DatabaseError) -> str:
    text = _first_line(error)
    if "locked" in text:
        waited = connection.settings_dict.get("OPTIONS", {}).get("timeout")
        return f"the database is locked by another process (waited {waited:g} s)" if waited else "the database is locked"
    return f"the database refused the write ({text})"


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _index_written(on_indexed, heal_index: bool) -> str:
    """Write the queued articles to the index (and heal a lost one); "" when done, else why not."""
    try:
        index_drain(progress=on_indexed)
        if heal_index:
            index_heal(progress=on_indexed, announce=log.info)
    except SearchUnavailable as error:
        return (f"The search index could not be written ({error}); the articles wait in the index queue and become "
                "searchable when it can be (index_check --repair, or the site's upkeep).")
    except DatabaseError as error:
        return f"The articles could not be indexed now ({_first_line(error)}); they wait in the index queue."
    return ""


def batch_state(batch: IngestBatch) -> str:
    """"finished", "running", or "interrupted": unfinished while the process that ran it is gone (killed)."""
    if batch.finished is not None:
        return "finished"
    if batch.pid is None or batch.host != socket.gethostname():
        return "running"  # another machine's process: we cannot look
    try:
        os.kill(batch.pid, 0)
    except ProcessLookupError:
        return "interrupted"
    except PermissionError:
        pass  # alive, another user's
    return "running"


def ingest_batch_summary(batch: IngestBatch) -> str:
    """One line for a batch, as the command prints it ("3 files: 1 ingested, 1 duplicate, 1 refused.")."""
    counts = f"{batch.ingested} ingested, {batch.duplicate} duplicate, {batch.refused} refused."
    state = batch_state(batch)
    if state != "finished" and batch.files_total is not None:
        return f"{state.capitalize()} after {batch.files} of {_files(batch.files_total)}: {counts}"
    return f"{_files(batch.files)}: {counts}"


def _files(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


def upload_interrupted(stop: BatchInterrupted, files: int) -> str:
    """What the upload page says when its batch stopped: what was stored, and what to do."""
    return (f"The upload stopped: {stop.reason}. {stop.stored} of {_files(files)} were stored, each whole (listed below); "
            "upload the same files again to store the rest: those already stored are recognised as duplicates.")


def _system_user() -> str:
    """The name of the system account running the command (getpass fails without a passwd entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
