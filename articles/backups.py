"""Back up the whole archive to one gzipped JSON file, and load such a file into a fresh database.

A backup is one consistent snapshot of the database, whatever runs beside it (an ingest that
commits an article and its ingest result while the dump is half-way would otherwise leave a
result pointing at an article missing from the file). It is written beside the target and
renamed into place only once complete, so a failed backup never leaves a truncated file
where the last good one was.

A restore loads the rows exactly as they were: history records, editors' decisions and the
admin's log of recent actions included. Loading must not write history of its own (every
article's actors set again would make a new record, with copies of their actor rows).
"""

import contextlib
import dataclasses
import datetime
import gzip
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from .search.indexing import index_writes_deferred
from .models import Article, IndexQueue, Topic

# What a new machine needs; sessions, login attempts and the index queue are not worth keeping.
BACKED_UP = ["auth.user", "auth.group", "admin.logentry", "articles", "savedviews"]
NOT_BACKED_UP = ["articles.indexqueue"]
CHECK_CHUNK = 1 << 20
DUMP_CHUNK = 2000


class BackupFailed(Exception):
    """No usable backup could be made; the message says why in one line."""


@dataclasses.dataclass(frozen=True)
class BackupResult:
    path: Path
    articles: int
    size: int  # bytes


def archive_backup(*, path: Path) -> BackupResult:
    """Write every backed-up row, as one snapshot, to path (gzipped JSON); raise BackupFailed."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=directory)
    except OSError as error:
        raise BackupFailed(f"cannot write in {directory}: {error.strerror}") from error
    partial = Path(partial)
    try:
        with os.fdopen(handle, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out, read_snapshot():
            articles = Article.objects.count()
            serializers.serialize(
                "json", _backed_up_rows(), stream=out, use_natural_foreign_keys=True, cls=ExactJSONEncoder,
            )
        _check_gzip(partial)
        partial.replace(path)
    except OSError as error:
        raise BackupFailed(f"cannot write {path}: {error.strerror or error}") from error
    except DatabaseError as error:
        raise BackupFailed(f"cannot read the database: {' '.join(str(error).split())}") from error
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, articles, path.stat().st_size)


def backed_up_models() -> list:
    """The models of BACKED_UP, those a model's natural keys depend on first (as dumpdata orders them)."""
    by_app: dict = {}
    for label in BACKED_UP:
        if "." in label:
            model = apps.get_model(label)
            by_app.setdefault(model._meta.app_config, []).append(model)
        else:
            by_app.setdefault(apps.get_app_config(label), []).extend(apps.get_app_config(label).get_models())
    skipped = {apps.get_model(label) for label in NOT_BACKED_UP}
    kept = [(app, [m for m in models if m not in skipped and not m._meta.proxy and m._meta.managed]) for app, models in by_app.items()]
    return serializers.sort_dependencies(kept, allow_cycles=True)


def _backed_up_rows() -> Iterator:
    for model in backed_up_models():
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=DUMP_CHUNK)


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it cuts them to milliseconds).

    History dates, creation stamps and "new since you last opened it" compare to the microsecond.
    """

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


@contextlib.contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Make every read inside see the database as it was at the first one, without blocking writers.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite (WAL): a deferred transaction,
    whose snapshot is taken at its first read; Django's own atomic() would begin IMMEDIATE here
    (settings: transaction_mode) and hold the write lock for the whole dump.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor != "sqlite":
        with transaction.atomic(using=using):
            yield
        return
    if connection.in_atomic_block:
        raise RuntimeError("read_snapshot() needs a connection outside any transaction")
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # read only: nothing to keep


def _check_gzip(path: Path) -> None:
    """Read the file back to its end: gzip checks its length and CRC there, so a short write shows."""
    with gzip.open(path, "rb") as written:
        while written.read(CHECK_CHUNK):
            pass


def archive_restore(*, path: Path) -> None:
    """Load a backup into a freshly migrated, empty archive, in one transaction, writing no history of its own."""
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "backup.json"
        with gzip.open(path, "rb") as source, open(plain, "wb") as target:
            while chunk := source.read(CHECK_CHUNK):
                target.write(chunk)
        with transaction.atomic(), index_writes_deferred(), history_paused():
            # The data migrations' default topics and role groups would collide with the backup's own
            # (a group deleted and made again in the backed-up archive has another id than here).
            Topic.objects.filter(articles__isnull=True).delete()
            Group.objects.filter(user__isnull=True).delete()
            call_command("loaddata", str(plain), verbosity=0)
            IndexQueue.objects.all().delete()  # the index is rebuilt from everything at once


@contextlib.contextmanager
def history_paused() -> Iterator[None]:
    """Write no simple-history records inside (simple-history reads this setting on every change)."""
    previous = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    settings.SIMPLE_HISTORY_ENABLED = False
    try:
        yield
    finally:
        settings.SIMPLE_HISTORY_ENABLED = previous
