"""Backup and restore: the archive comes back on a fresh database, searchable."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "seeds"


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def data_dir_env(path):
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(path), "DJANGO_SUPERUSER_PASSWORD": "a-long-test-password-42"}
    env.pop("DATABASE_URL", None)
    return env


@pytest.mark.slow
def test_backup_on_one_machine_restores_on_another(tmp_path):
    old, new = data_dir_env(tmp_path / "old"), data_dir_env(tmp_path / "new")
    manage(old, "migrate")
    manage(old, "ingest", str(SEEDS))
    manage(old, "createsuperuser", "--noinput", "--username", "chief", "--email", "c@example.org")
    shell = "from articles.models import Actor; a = Actor.objects.get(slug='sergei-lavrov'); a.description = 'Russia’s foreign minister'; a.save()"
    manage(old, "shell", "-c", shell)
    backup = tmp_path / "newsdesk.json.gz"
    assert "Saved 2 articles" in manage(old, "backup", str(backup))

    manage(new, "migrate")
    out = manage(new, "restore", str(backup))
    assert "Restored 2 articles" in out and "Index matches the database: 2 articles." in out
    check = "from articles.models import Actor, Article; from django.contrib.auth.models import User; " \
            "print(Article.objects.count(), Actor.objects.get(slug='sergei-lavrov').description, User.objects.get().username)"
    assert manage(new, "shell", "-v", "0", "-c", check).strip() == "2 Russia’s foreign minister chief"
    search = "from django.test import Client; import json; print(json.loads(Client(HTTP_HOST='localhost').get('/search/', {'q': 'Lavrov', 'format': 'json'}).content)['count'])"
    assert manage(new, "shell", "-v", "0", "-c", search).strip() == "1"


def test_restore_refuses_a_database_that_is_not_empty(small_archive, tmp_path):
    from django.core.management import CommandError, call_command

    backup = tmp_path / "b.json.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), stdout=io.StringIO())
