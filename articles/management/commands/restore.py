"""python manage.py restore FILE.json.gz — load a backup into an empty database and rebuild the index."""

import gzip
import zlib
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.backups import archive_restore
from articles.models import Article
from articles.search.consistency import index_differences
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
        try:
            archive_restore(path=file)
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise CommandError(f"{file} is not a complete backup ({error}); nothing was restored.") from error
        except DatabaseError as error:
            reason = " ".join(str(error).split())
            raise CommandError(f"{file} does not load into this database ({reason}); nothing was restored.") from error
        total = index_rebuild()
        self.stdout.write(f"Restored {total} articles from {file}.")
        self.stdout.write(index_differences().summary())
