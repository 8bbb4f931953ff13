"""Exports too large for one request: queued as ExportJob rows and written to files by a thread of a web process.

A job's life: export_job_request() queues it (or hands back the same view's job already under
way) -> a runner thread claims it (at most EXPORT_JOBS_AT_ONCE are written at a time, site-wide)
and writes <token>-<attempt>.<ext>.part under EXPORT_DIR, saving its progress and a heartbeat
every PROGRESS_SECONDS -> the whole file is renamed into place and only then is the job done, so
a file that can be downloaded is complete -> it is deleted once EXPORT_KEEP has passed.
A writer that dies (its worker killed or restarted) stops beating: the next look at the queue
starts the job again, up to MAX_ATTEMPTS times; a writer that finds its job taken over stops.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F, Q, Sum
from django.http import QueryDict
from django.utils import timezone

from articles.forms import SearchFilters, parse_search_filters
from articles.search.engines.base import SearchUnavailable
from articles.search.selectors import matching_article_ids

from .formats import FORMATS
from .models import ExportJob
from .rows import export_rows

Status = ExportJob.Status
UNFINISHED = (Status.QUEUED, Status.RUNNING)
PROGRESS_SECONDS = 1.0
MAX_ATTEMPTS = 3
UPKEEP_SECONDS = 60.0
WORKER = f"{socket.gethostname()}:{os.getpid()}"
log = logging.getLogger(__name__)


class ExportRefused(Exception):
    """Too many exports are being prepared (for this client, or in all): ask again later."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status  # 429: this client's limit; 503: the site's


class ExportFailed(Exception):
    """The export cannot be written as asked; the message says why, in plain words."""


class _LostJob(Exception):
    """Another attempt took this job over (this writer was thought dead): stop without a trace."""


def view_params(filters: SearchFilters) -> str:
    """The canonical parameters of a view, as a job stores them: "q=gas&actor=vladimir-putin"."""
    return urlencode(filters.replace(page=1).params())


def job_filters(job: ExportJob) -> tuple[SearchFilters, list[str]]:
    """The view a job exports, read again from its parameters (with notices when it no longer reads the same)."""
    return parse_search_filters(QueryDict(job.params))


def export_job_request(
    *, filters: SearchFilters, format: str, expected_rows: int, origin: str, client: str, user=None
) -> ExportJob:
    """Queue an export of the view, or return the job already writing (or lately written for) the same view.

    Raises ExportRefused when this client already waits for EXPORT_JOBS_PER_CLIENT exports or
    EXPORT_JOBS_WAITING are waiting in all.
    """
    export_jobs_clean()
    params, now = view_params(filters), timezone.now()
    with transaction.atomic():
        same = (
            ExportJob.objects.filter(params=params, format=format, origin=origin)
            .filter(Q(status__in=UNFINISHED) | Q(status=Status.DONE, finished__gte=now - settings.EXPORT_REUSE))
            .order_by("-created")
            .first()
        )
        if same is not None:
            return same
        unfinished = ExportJob.objects.filter(status__in=UNFINISHED)
        if unfinished.filter(client=client).count() >= settings.EXPORT_JOBS_PER_CLIENT:
            raise ExportRefused(
                f"You already have {settings.EXPORT_JOBS_PER_CLIENT} exports being prepared. "
                "Ask for this one when one of them is ready.",
                429,
            )
        if unfinished.filter(status=Status.QUEUED).count() >= settings.EXPORT_JOBS_WAITING:
            raise ExportRefused("Too many exports are waiting to be written. Ask again in a few minutes.", 503)
        return ExportJob.objects.create(
            format=format, params=params, origin=origin, client=client, expected_rows=expected_rows,
            requested_by=user if user is not None and user.is_authenticated else None,
        )


def queue_position(job: ExportJob) -> int:
    """How many waiting jobs are ahead of this one."""
    return ExportJob.objects.filter(status=Status.QUEUED).filter(
        Q(created__lt=job.created) | Q(created=job.created, id__lt=job.id)
    ).count()


# --- running -------------------------------------------------------------------------------------

_runner: threading.Thread | None = None
_runner_lock = threading.Lock()


def export_jobs_kick() -> None:
    """Start again the jobs whose writer died, and have this process write whatever is waiting.

    With EXPORT_THREADS off, web processes write nothing: `manage.py export_jobs --forever` does.
    """
    export_jobs_requeue_stalled()
    if settings.EXPORT_THREADS and ExportJob.objects.filter(status=Status.QUEUED).exists():
        start_runner()


def start_export_upkeep() -> threading.Thread:
    """Every UPKEEP_SECONDS, in the background of a web process: restart stalled jobs, write waiting ones, clean up.

    So a job whose writer died is finished, and old files go, even when nobody is looking.
    """
    def loop() -> None:
        while True:
            time.sleep(UPKEEP_SECONDS)
            try:
                export_jobs_clean()
                export_jobs_kick()
            except Exception:  # never let upkeep take the worker down; the next round tries again
                log.exception("export upkeep failed")
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="newsdesk-export-upkeep", daemon=True)
    thread.start()
    return thread


def export_jobs_requeue_stalled() -> None:
    """Put back in the queue the running jobs whose writer stopped beating; fail those that stopped too often."""
    stalled = ExportJob.objects.filter(status=Status.RUNNING, heartbeat__lt=timezone.now() - settings.EXPORT_STALLED_AFTER)
    if stalled.exists():
        stalled.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=Status.FAILED, finished=timezone.now(),
            error=f"The export stopped {MAX_ATTEMPTS} times before it was finished. Ask for it again, "
            "or narrow the view (a date range, a filter).",
        )
        stalled.update(status=Status.QUEUED, worker="")


def start_runner() -> None:
    """One runner thread per process writes waiting jobs, one after another, until it can claim none."""
    global _runner
    with _runner_lock:
        if _runner is not None and _runner.is_alive():
            return
        _runner = threading.Thread(target=_run_in_thread, name="newsdesk-exports", daemon=True)
        _runner.start()


def _run_in_thread() -> None:
    try:
        export_jobs_run()
    except Exception:
        log.exception("The export runner stopped")
    finally:
        connections.close_all()  # this thread's own connections


def export_jobs_run(report: Callable[[ExportJob], None] = lambda job: None) -> int:
    """Write waiting jobs until none can be claimed, reporting each when finished; return how many."""
    written = 0
    while (job := export_job_claim()) is not None:
        export_job_write(job)
        job.refresh_from_db()
        report(job)
        written += 1
    return written


def export_job_claim() -> ExportJob | None:
    """Take the oldest waiting job for this process, unless EXPORT_JOBS_AT_ONCE are already being written.

    Exact on SQLite (a write transaction holds the database); on PostgreSQL two processes
    claiming at the same instant may both start one: the cap may be passed by one, never a job
    written twice (the conditional update gives each job to one claimer).
    """
    for _ in range(5):  # another process may claim the same job first: then try the next
        with transaction.atomic():
            if ExportJob.objects.filter(status=Status.RUNNING).count() >= settings.EXPORT_JOBS_AT_ONCE:
                return None
            job = ExportJob.objects.filter(status=Status.QUEUED).order_by("created", "id").first()
            if job is None:
                return None
            now = timezone.now()
            claimed = ExportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
                status=Status.RUNNING, attempts=F("attempts") + 1, started=now, heartbeat=now,
                worker=WORKER, rows_written=0,
            )
        if claimed:
            job.refresh_from_db()
            return job
    return None


class _Progress:
    """Counts the rows written and, every PROGRESS_SECONDS, saves them with a heartbeat."""

    def __init__(self, job: ExportJob):
        self.mine = ExportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=Status.RUNNING)
        self.rows = 0
        self.saved_at = time.monotonic()

    def add(self, rows: int) -> None:
        self.rows += rows
        if time.monotonic() - self.saved_at >= PROGRESS_SECONDS:
            if not self.mine.update(rows_written=self.rows, heartbeat=timezone.now()):
                raise _LostJob
            self.saved_at = time.monotonic()


def export_job_write(job: ExportJob) -> None:
    """Write the job's file; mark it done once the whole file is in place, or failed with a reason."""
    export_format = FORMATS[job.format]
    part = Path(settings.EXPORT_DIR) / f"{job.token}-{job.attempts}.{export_format.name}.part"
    mine = ExportJob.objects.filter(pk=job.pk, attempts=job.attempts, status=Status.RUNNING)
    try:
        filters, notices = job_filters(job)
        if notices:
            raise ExportFailed("The view no longer reads as it did when it was asked for: " + " ".join(notices))
        part.parent.mkdir(parents=True, exist_ok=True)
        progress = _Progress(job)
        with open(part, "w", encoding="utf-8", newline="") as out:
            out.write(export_format.header)
            for rows in export_rows(matching_article_ids(filters), job.origin):
                out.write(export_format.encode(rows))
                progress.add(len(rows))
        whole = part.with_suffix("")  # <token>-<attempt>.csv
        os.replace(part, whole)
        done = mine.update(
            status=Status.DONE, file_name=whole.name, size=whole.stat().st_size, rows_written=progress.rows,
            finished=timezone.now(), heartbeat=timezone.now(),
        )
        _remove_files(job.token, keep=whole.name if done else None)  # and any half file of an earlier attempt
    except _LostJob:
        part.unlink(missing_ok=True)
    except Exception as error:
        part.unlink(missing_ok=True)
        mine.update(status=Status.FAILED, error=_failure_message(error), finished=timezone.now())


def _failure_message(error: Exception) -> str:
    if isinstance(error, ExportFailed):
        return str(error)
    if isinstance(error, SearchUnavailable):
        return "The search index could not be read while this export was written. Ask for it again in a few minutes."
    log.exception("Export job failed")
    return "The export failed because of an error in Newsdesk (it has been logged). Ask for it again later."


# --- cleaning up -----------------------------------------------------------------------------------

def export_jobs_clean() -> int:
    """Delete exports older than EXPORT_KEEP, the oldest files while they take more than EXPORT_MAX_BYTES, and strays.

    Returns how many jobs were deleted.
    """
    now = timezone.now()
    expired = list(ExportJob.objects.filter(
        Q(status__in=(Status.DONE, Status.FAILED), finished__lt=now - settings.EXPORT_KEEP)
        | Q(status__in=UNFINISHED, created__lt=now - settings.EXPORT_KEEP)
    ))
    done = ExportJob.objects.filter(status=Status.DONE).exclude(pk__in=[job.pk for job in expired])
    excess = (done.aggregate(total=Sum("size"))["total"] or 0) - settings.EXPORT_MAX_BYTES
    for job in done.order_by("finished") if excess > 0 else ():
        if excess <= 0:
            break
        expired.append(job)
        excess -= job.size or 0
    for job in expired:
        _remove_files(job.token)
        job.delete()
    _remove_strays(now)
    return len(expired)


def _remove_files(token: str, keep: str | None = None) -> None:
    for path in Path(settings.EXPORT_DIR).glob(f"{token}-*"):
        if path.name != keep:
            path.unlink(missing_ok=True)


def _remove_strays(now) -> None:
    """Files of no job, and unfinished files no writer has touched for EXPORT_STALLED_AFTER (a writer killed mid-file)."""
    directory = Path(settings.EXPORT_DIR)
    if not directory.is_dir():
        return
    kept = {job.file_name for job in ExportJob.objects.filter(status=Status.DONE).only("file_name")}
    quiet_since = (now - settings.EXPORT_STALLED_AFTER).timestamp()
    for path in directory.iterdir():
        if path.name not in kept and path.stat().st_mtime < quiet_since:
            path.unlink(missing_ok=True)
