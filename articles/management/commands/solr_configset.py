"""python manage.py solr_configset [--check] — write the configset's parts generated from Newsdesk's analysis."""

import sys

from django.core.management.base import BaseCommand

from articles.search.engines.solr.configset import configset_dir, configset_write, stale_files


class Command(BaseCommand):
    help = "Write solrcloud/configset/conf's fold mapping and text field types from articles/search/analysis.py."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="report stale files (exit 1) instead of writing them")

    def handle(self, *args, check, **options):
        if check:
            stale = sorted(stale_files())
            if stale:
                self.stderr.write(f"Out of date with articles/search/analysis.py: {', '.join(stale)} "
                                  "(run `manage.py solr_configset`).")
                sys.exit(1)
            self.stdout.write(f"The configset in {configset_dir()} is current.")
            return
        written = configset_write()
        self.stdout.write(f"Wrote {', '.join(written)}." if written else "Nothing to write: the configset is current.")
