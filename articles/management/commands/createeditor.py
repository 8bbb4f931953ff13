"""python manage.py createeditor NAME [--chief] [--email E] — an editor account with no password yet."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from articles.roles import CHIEF_EDITORS, EDITORS


class Command(BaseCommand):
    help = "Create a staff account in the Editors (or Chief editors) group; set its password with changepassword."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--chief", action="store_true", help="in the Chief editors group")
        parser.add_argument("--email", default="")

    def handle(self, *args, username, chief, email, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"There is already an account called {username}.")
        group = Group.objects.get(name=CHIEF_EDITORS if chief else EDITORS)
        user = User.objects.create_user(username, email=email, is_staff=True)
        user.set_unusable_password()  # no default password, ever
        user.save()
        user.groups.add(group)
        self.stdout.write(
            f"Created {username} in {group.name}. It cannot log in until a password is set:\n"
            f"  python manage.py changepassword {username}"
        )
