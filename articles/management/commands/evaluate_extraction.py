"""python manage.py evaluate_extraction [DIR...] [--gold DIR] — precision, recall and F1 of actor extraction per kind."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.extraction.evaluate import format_report
from articles.extraction.gold import format_gold_report

DEVSET = settings.BASE_DIR / "tests" / "devset"


def labelled_sets() -> list[Path]:
    """The dev set and every labelled held-out set inside it."""
    return [DEVSET, *sorted(path.parent for path in DEVSET.glob("*/labels.json"))]


class Command(BaseCommand):
    help = (
        "Print precision, recall and F1 of actor extraction per kind: on labelled sets (labels.json; "
        "default: the dev set and its held-out sets), or with --gold on real-news gold directories "
        "(gold.json, scored by the rules of the CoNLL-2003 dev set's README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("sets", nargs="*", type=Path, help="labelled directories (default: the dev set and its held-out sets)")
        parser.add_argument("--gold", action="append", type=Path, default=[], metavar="DIR",
                            help="a directory with gold.json and its articles (repeatable)")
        parser.add_argument("--group", default="news",
                            help="with --gold: score only documents of this group (default: news; 'all' for every one)")
        parser.add_argument("--misses", action="store_true", help="list misses and false positives per file")

    def handle(self, *args, sets, gold, group, misses, **options):
        for directory in gold:
            if not (directory / "gold.json").is_file():
                raise CommandError(f"{directory} has no gold.json")
            report = format_gold_report(directory, misses, None if group == "all" else group)
            self.stdout.write(f"== {directory} (gold, group {group})\n{report}\n")
        for directory in sets or ([] if gold else labelled_sets()):
            if not (directory / "labels.json").is_file():
                raise CommandError(f"{directory} has no labels.json")
            self.stdout.write(f"== {directory}\n{format_report(directory, misses)}\n")
