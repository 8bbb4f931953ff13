"""python manage.py export_jobs [--forever] — write waiting exports here, clean up old ones."""

import time

from django.core.management.base import BaseCommand

from exports.jobs import export_jobs_clean, export_jobs_requeue_stalled, export_jobs_run
from exports.models import ExportJob

POLL_SECONDS = 2


class Command(BaseCommand):
    help = (
        "Write the exports waiting to be written (web processes do so in a thread unless NEWSDESK_EXPORT_THREADS=0), "
        "and delete those past their keeping time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help=f"keep going, looking for work every {POLL_SECONDS} s")

    def handle(self, *args, forever, **options):
        while True:
            export_jobs_clean()
            export_jobs_requeue_stalled()
            export_jobs_run(report=self._report)
            if not forever:
                return
            time.sleep(POLL_SECONDS)

    def _report(self, job: ExportJob) -> None:
        if job.status == ExportJob.Status.DONE:
            self.stdout.write(f"wrote {job.format} export {job.token[:8]}: {job.rows_written:,} rows, {job.size:,} bytes")
        else:
            self.stdout.write(f"{job.format} export {job.token[:8]} {job.get_status_display().lower()}: {job.error}")
