"""python manage.py index_check [--repair] — compare the search index with the database."""

import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from articles.management.logs import quiet_logs
from articles.search.consistency import index_differences, index_repair
from articles.search.engines.base import SearchUnavailable
from articles.search.upkeep import comparison_recorded, index_heal


class Command(BaseCommand):
    help = "Report articles missing from, stale in, or deleted but still in the search index; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="queue and write every difference (rebuild a lost index)")

    def handle(self, *args, repair, **options):
        with quiet_logs():  # this command says itself what went wrong, once
            try:
                self.compare(repair)
            except DatabaseError as error:  # locked by another process past NEWSDESK_DB_LOCK_WAIT, gone
                self.stderr.write(f"The database cannot be used now: {str(error).strip().splitlines()[0]}. Try again later.")
                sys.exit(3)

    def compare(self, repair: bool) -> None:
        try:
            if repair and index_heal(announce=self.stdout.write) is not None:
                self.stdout.write("Rebuilt the index from the database.")
            differences = index_differences()
        except SearchUnavailable as error:
            self.fail(error, "read" if not repair else "rebuilt",
                      "Is the search engine running, and its directory writable?" if repair
                      else "Run `manage.py index_check --repair` to rebuild it.")
        self.stdout.write(differences.summary())
        if not differences:
            comparison_recorded()
        if differences and repair:
            try:
                index_repair(differences)
                after = index_differences()
            except SearchUnavailable as error:
                self.fail(error, "written", "The live index was left as it was; make it writable and repair again.")
            self.stdout.write(f"After repair: {after.summary()}")
            if after:
                sys.exit(1)
            comparison_recorded()
        elif differences:
            sys.exit(1)

    def fail(self, error: SearchUnavailable, what: str, advice: str) -> None:
        """One line on stderr, exit status 2."""
        self.stderr.write(f"The search index cannot be {what}: {error}. {advice}")
        sys.exit(2)
