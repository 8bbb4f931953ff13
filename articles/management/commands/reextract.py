"""python manage.py reextract [--from DATE] [--to DATE] — re-run actor and topic extraction, keeping editors' decisions."""

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.curation import actor_short_forms_merge
from articles.search.consistency import index_differences
from articles.history import history_context
from articles.search.indexing import index_drain, index_writes_deferred
from articles.models import Article
from articles.resolve import actor_registry
from articles.services import article_extract


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Re-extract actors and topics for the archive (or a date range), honouring editors' decisions."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", type=iso_date, help="first date, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", type=iso_date, help="last date, YYYY-MM-DD")

    def handle(self, *args, date_from, date_to, **options):
        articles = Article.objects.order_by("id")
        if date_from:
            articles = articles.filter(date__gte=date_from)
        if date_to:
            articles = articles.filter(date__lte=date_to)
        total = articles.count()
        with history_context(reason="re-extraction"), index_writes_deferred():
            merges = actor_short_forms_merge()  # "Blair" split from Tony Blair by earlier extraction
        for short, full in merges:
            self.stdout.write(f"Merged {short} into {full}")
        registry = actor_registry()
        changed = 0
        show_bar = sys.stderr.isatty()
        with (
            history_context(reason="re-extraction"),
            index_writes_deferred(),
            tqdm(total=total, unit="article", disable=not show_bar, file=sys.stderr) as bar,
        ):
            for article in articles.prefetch_related("actors", "topics").iterator(chunk_size=500):
                changed += article_extract(article, registry)
                bar.update()
        with tqdm(desc="indexing", unit="article", disable=not show_bar, file=sys.stderr) as bar:
            index_drain(progress=bar.update)
        self.stdout.write(f"Re-extracted {total} articles: {changed} changed.")
        self.stdout.write(index_differences().summary())
