"""python manage.py ingest PATH... — store article files, one line per file, then index them; logged as a batch."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.batches import BatchFile, BatchInterrupted, ingest_batch_run, ingest_batch_summary
from articles.management.logs import quiet_logs
from articles.models import IngestBatch
from articles.services import INGESTED, REFUSED, IngestResult

PROGRESS_BAR_FROM = 20  # files; fewer finish before a bar would help
INDEX_ALONGSIDE_FROM = 200  # files; a second process indexes while they are stored (articles.indexer_process)
PREPARE_ALONGSIDE_FROM = 20  # files; worker processes extract the next ones while one is stored (articles.ingest_ahead)
WORKERS = min(2, os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Ingest article files (.txt) and directories of them (searched recursively)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or directories")

    def handle(self, *args, paths, **options):
        with quiet_logs():  # this command says itself what went wrong, once
            self.ingest(paths)

    def ingest(self, paths: list[Path]) -> None:
        files, missing = collect_files(paths)
        progress = Progress(total=len(files) + len(missing), shown=len(files) >= PROGRESS_BAR_FROM and sys.stderr.isatty())
        try:
            batch = ingest_batch_run(
                files=[BatchFile(path, str(path)) for path in files],
                origin=IngestBatch.Origin.COMMAND,
                refused=[IngestResult(str(path), REFUSED, "no such file or directory") for path in missing],
                on_result=lambda result: self.report(result, progress),
                on_indexed=progress.indexed,
                index_alongside=len(files) >= INDEX_ALONGSIDE_FROM,
                heal_index=True,
                workers=WORKERS if len(files) >= PREPARE_ALONGSIDE_FROM and WORKERS > 1 else 0,
            )
        except BatchInterrupted as stop:
            progress.close()
            total = len(files) + len(missing)
            self.stderr.write(
                f"ingest stopped: {stop.reason}. {stop.stored} of {total} files were stored before, each whole; "
                "run the same command again to store the rest."
            )
            sys.exit(3)
        finally:
            progress.close()
        self.stdout.write(ingest_batch_summary(batch))
        if batch.index_note:
            self.stderr.write(batch.index_note)
            sys.exit(2)
        if batch.refused:
            sys.exit(1)

    def report(self, result: IngestResult, progress: "Progress"):
        """Print one line per file: status, file name, and the reason or the new article."""
        if result.status == INGESTED:
            line = f"ingested  {result.name}  → article {result.article.pk}: {result.article.headline}"
            if result.article.version_of_id:
                line += f" (similar version of article {result.article.version_of_id})"
        else:
            line = f"{result.status:<9} {result.name}: {result.reason}"
        if progress.shown:
            progress.files.write(line, file=sys.stdout)
        else:
            self.stdout.write(line)
        progress.files.update()


class Progress:
    """On a terminal, for large batches: a bar for the files, then one for writing the index."""

    def __init__(self, *, total: int, shown: bool):
        self.shown = shown
        self.files = tqdm(total=total, unit="file", disable=not shown, file=sys.stderr)
        self.indexing = None

    def indexed(self, count: int) -> None:
        if self.indexing is None:
            self.files.close()
            self.indexing = tqdm(desc="indexing", unit="article", disable=not self.shown, file=sys.stderr)
        self.indexing.update(count)

    def close(self) -> None:
        self.files.close()
        if self.indexing is not None:
            self.indexing.close()


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Expand directories to their *.txt files (recursively, sorted); return (files, missing paths)."""
    files, missing = [], []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.txt") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return list(dict.fromkeys(files)), missing
