"""Django set up in this process over a built data dir, for benchmarks that use the test client (no HTTP).

    from inprocess import django_over
    django_over(Path("/tmp/data10k"))   # then import the app's modules and use django.test.Client
"""

import logging
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_over(data_dir: Path) -> None:
    """Point settings at data_dir, set Django up, and quieten what a benchmark does not need to hear."""
    os.environ["NEWSDESK_DATA_DIR"] = str(data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 per hostile request is no news
    warnings.filterwarnings("ignore", message="No directory at")
    # Static files as they are on disk: a bench data dir has no collectstatic manifest.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
