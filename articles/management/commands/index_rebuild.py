"""python manage.py index_rebuild — rebuild the search index from the database, search staying up."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.search.consistency import index_differences
from articles.models import Article
from articles.search.rebuild import index_rebuild


class Command(BaseCommand):
    help = "Build a fresh search index from the database beside the live one and swap it in."

    def handle(self, *args, **options):
        with tqdm(total=Article.objects.count(), unit="article", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
            total = index_rebuild(progress=bar.update)
        self.stdout.write(f"Rebuilt the index with {total} articles and swapped it in.")
        self.stdout.write(index_differences().summary())
