"""python manage.py backup FILE.json.gz — save articles, actors, topics, history, decisions, accounts and saved views."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupFailed, archive_backup


class Command(BaseCommand):
    help = "Write the archive's data, as one consistent snapshot, to a gzipped JSON file that `restore` brings back on any database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            result = archive_backup(path=file)
        except BackupFailed as failure:
            raise CommandError(f"No backup made: {failure}") from failure
        self.stdout.write(f"Saved {result.articles} articles to {file} ({result.size // 1024} KiB).")
