"""python manage.py index_check [--repair] — compare the search index with the database."""

import sys

from django.core.management.base import BaseCommand

from articles.search.consistency import index_differences, index_repair


class Command(BaseCommand):
    help = "Report articles missing from, stale in, or deleted but still in the search index; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="queue and write every difference")

    def handle(self, *args, repair, **options):
        differences = index_differences()
        self.stdout.write(differences.summary())
        if differences and repair:
            index_repair(differences)
            after = index_differences()
            self.stdout.write(f"After repair: {after.summary()}")
            if after:
                sys.exit(1)
        elif differences:
            sys.exit(1)
