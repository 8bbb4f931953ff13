"""python manage.py restore FILE.json.gz — load a backup into an empty database and rebuild the index."""

import gzip
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.search.consistency import index_differences
from articles.search.indexing import index_writes_deferred
from articles.models import Article, IndexQueue, Topic
from articles.search.rebuild import index_rebuild


class Command(BaseCommand):
    help = "Load a file written by `backup` into an empty archive, then rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if Article.objects.exists():
            raise CommandError("The archive is not empty: restore only into a fresh database (run migrate first).")
        call_command("migrate", verbosity=0)
        with tempfile.TemporaryDirectory() as folder:
            plain = Path(folder) / "backup.json"
            with gzip.open(file, "rt", encoding="utf-8") as source:
                plain.write_text(source.read(), encoding="utf-8")
            # The data migration's default topics would collide with the backup's own.
            with transaction.atomic(), index_writes_deferred():
                Topic.objects.filter(articles__isnull=True).delete()
                call_command("loaddata", str(plain), verbosity=0)
                IndexQueue.objects.all().delete()  # the rebuild below indexes everything at once
        total = index_rebuild()
        self.stdout.write(f"Restored {total} articles from {file}.")
        self.stdout.write(index_differences().summary())
