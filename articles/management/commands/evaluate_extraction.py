"""python manage.py evaluate_extraction [DIR...] — precision and recall of actor extraction per kind."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.extraction.evaluate import format_report

DEVSET = settings.BASE_DIR / "tests" / "devset"


def labelled_sets() -> list[Path]:
    """The dev set and every labelled held-out set inside it."""
    return [DEVSET, *sorted(path.parent for path in DEVSET.glob("*/labels.json"))]


class Command(BaseCommand):
    help = "Print precision and recall of actor extraction on labelled sets (default: the dev set and its held-out sets)."

    def add_arguments(self, parser):
        parser.add_argument("sets", nargs="*", type=Path, help="labelled directories (default: the dev set and its held-out sets)")
        parser.add_argument("--misses", action="store_true", help="list misses and false positives per file")

    def handle(self, *args, sets, misses, **options):
        for directory in sets or labelled_sets():
            self.stdout.write(f"== {directory}\n{format_report(directory, misses)}\n")
