"""python manage.py ingest PATH... — store article files, one line per file, then index them."""

import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.indexing import index_drain, index_writes_deferred
from articles.services import DUPLICATE, INGESTED, REFUSED, IngestResult, actor_registry, article_ingest

PROGRESS_BAR_FROM = 20  # files; fewer finish before a bar would help


class Command(BaseCommand):
    help = "Ingest article files (.txt) and directories of them (searched recursively)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or directories")

    def handle(self, *args, paths, **options):
        files, missing = collect_files(paths)
        results = [IngestResult(str(path), REFUSED, "no such file or directory") for path in missing]
        for result in results:
            self.report(result)
        show_bar = len(files) >= PROGRESS_BAR_FROM and sys.stderr.isatty()
        with tqdm(total=len(files), unit="file", disable=not show_bar, file=sys.stderr) as bar:
            registry = actor_registry()  # compiled once per run, not per file
            with index_writes_deferred():
                for path in files:
                    result = article_ingest(path=path, registry=registry)
                    results.append(result)
                    self.report(result, bar)
                    bar.update()
        with tqdm(desc="indexing", unit="article", disable=not show_bar, file=sys.stderr) as bar:
            index_drain(progress=bar.update)
        counts = Counter(result.status for result in results)
        self.stdout.write(
            f"{len(results)} files: {counts[INGESTED]} ingested, "
            f"{counts[DUPLICATE]} duplicate, {counts[REFUSED]} refused."
        )
        if counts[REFUSED]:
            sys.exit(1)

    def report(self, result: IngestResult, bar=None):
        """Print one line per file: status, file name, and the reason or the new article."""
        if result.status == INGESTED:
            line = f"ingested  {result.name}  → article {result.article.pk}: {result.article.headline}"
            if result.article.version_of_id:
                line += f" (similar version of article {result.article.version_of_id})"
        else:
            line = f"{result.status:<9} {result.name}: {result.reason}"
        if bar is not None and not bar.disable:
            bar.write(line, file=sys.stdout)
        else:
            self.stdout.write(line)


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
