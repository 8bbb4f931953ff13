"""haystack's index commands, refused: they would write the index beside Newsdesk's queue and lock."""

from django.core.management.base import BaseCommand, CommandError


def refused(name: str, instead: str) -> type[BaseCommand]:
    class Command(BaseCommand):
        help = f"Refused: use `manage.py {instead}` (haystack's {name} bypasses Newsdesk's index queue and lock)."

        def run_from_argv(self, argv):
            # Whatever the arguments: say what to run instead, exit non-zero.
            self.stderr.write(f"{name} is not used by Newsdesk: run `manage.py {instead}` instead.")
            raise SystemExit(2)

        def handle(self, *args, **options):
            raise CommandError(f"{name} is not used by Newsdesk: run `manage.py {instead}` instead.")

    return Command
