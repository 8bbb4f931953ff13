"""python manage.py createresearcher NAME [--email E] — a researcher account with no password yet."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from savedviews.services import researcher_create


class Command(BaseCommand):
    help = "Create a researcher account (saved views, no admin access); set its password with changepassword."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, email, **options):
        if get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username}.")
        researcher_create(username=username, email=email)
        self.stdout.write(
            f"Created researcher {username}. It cannot sign in until a password is set:\n"
            f"  python manage.py changepassword {username}"
        )
