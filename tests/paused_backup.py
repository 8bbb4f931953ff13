"""Run `manage.py backup FILE` that pauses once it has begun dumping articles, until RESUME exists.

test_backup runs this in its own process, commits an ingest while it waits, then lets it finish:
the file must hold the archive as it was when the dump began, nothing of the ingest.

    python tests/paused_backup.py FILE PAUSED RESUME
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 120


def main(backup: str, paused: str, resume: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.serializers.json import Serializer

    from articles.models import Article

    start_object = Serializer.start_object
    waited = []

    def start_object_pausing_once(serializer, obj):
        if not waited and isinstance(obj, Article):
            waited.append(True)
            Path(paused).touch()
            deadline = time.monotonic() + WAIT_SECONDS
            while not Path(resume).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        start_object(serializer, obj)

    Serializer.start_object = start_object_pausing_once
    call_command("backup", backup)


if __name__ == "__main__":
    main(*sys.argv[1:])
