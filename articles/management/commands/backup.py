"""python manage.py backup FILE.json.gz — save articles, actors, topics, decisions, accounts and saved views."""

import gzip
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article

# What a new machine needs; sessions, login attempts and the index queue are not worth keeping.
BACKED_UP = ["auth.user", "auth.group", "articles", "savedviews"]
NOT_BACKED_UP = ["articles.indexqueue"]


class Command(BaseCommand):
    help = "Write the archive's data to a gzipped JSON file that `restore` brings back on any database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        with gzip.open(file, "wt", encoding="utf-8") as out:
            call_command(
                "dumpdata", *BACKED_UP, exclude=NOT_BACKED_UP, natural_foreign=True, natural_primary=False,
                indent=None, stdout=out,
            )
        self.stdout.write(f"Saved {Article.objects.count()} articles to {file} ({file.stat().st_size // 1024} KiB).")
