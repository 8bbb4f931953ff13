"""Backup and restore: the archive comes back on a fresh database, searchable."""

import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "seeds"


def manage(env, *args, expect=0):
    result = subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == expect, result.stdout + result.stderr
    return result.stdout if expect == 0 else result.stderr


def data_dir_env(path):
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(path), "DJANGO_SUPERUSER_PASSWORD": "a-long-test-password-42"}
    env.pop("DATABASE_URL", None)
    return env


@pytest.mark.slow
def test_backup_on_one_machine_restores_on_another(tmp_path, empty_index):
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


# A round trip gives back the same archive: data, history, editors' decisions and the admin's log.

ROUND_TRIP_TEXTS = {
    "lavrov.txt": " date 2024-04-08 Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing. "
                  "The talks covered grain exports and sanctions.\n\nOfficials said a second round would follow.",
    "nato.txt": " date 2024-05-02 NATO Secretary General Jens Stoltenberg met President Volodymyr Zelensky in Kyiv. "
                "They discussed air defence and energy supplies.",
    "gas.txt": " date 2024-06-03 Gazprom and China agreed on gas deliveries, President Vladimir Putin said in Moscow. "
               "Energy exports to Europe fell further.",
    "eu.txt": " date 2024-07-04 The European Union and Ukraine signed a trade deal in Brussels. "
              "President Volodymyr Zelensky welcomed the sanctions on Russia.",
}


# What the archive holds, named here rather than taken from the backup code under test.
ARCHIVE = ["auth.user", "auth.group", "admin.logentry", "articles", "savedviews"]


def dumped() -> dict[str, list[dict]]:
    """Every row of the archive, by model, in primary-key order, as Python values (times to the microsecond)."""
    from django.apps import apps
    from django.core import serializers

    models = [apps.get_model(label) for label in ARCHIVE if "." in label]
    models += [model for label in ARCHIVE if "." not in label for model in apps.get_app_config(label).get_models()]
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model.objects.order_by("pk"), use_natural_foreign_keys=True,
        )
        for model in models
        if model._meta.label_lower != "articles.indexqueue"
    }


@pytest.fixture
def curated_archive(client, search_index, default_topics, tmp_path):
    """Ingested articles, then an editor's work in the admin: an edit with decisions, a merge, a delete."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from articles.curation import actor_merge
    from articles.models import Actor, Article
    from savedviews.models import SavedView

    from .admin_forms import article_form

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ROUND_TRIP_TEXTS.items():
        (corpus / name).write_text(text)
    call_command("ingest", str(corpus), stdout=io.StringIO())
    chief = User.objects.create_superuser("chief", password="a-long-test-password-42")
    client.force_login(chief)
    lavrov = Article.objects.get(source="lavrov.txt")
    kept = [actor.pk for actor in lavrov.actors.exclude(name="Wang Yi")]
    response = client.post(f"/admin/articles/article/{lavrov.pk}/change/", article_form(
        lavrov, headline="Lavrov meets Wang", date="2024-04-08", body=lavrov.body.replace("grain", "wheat"),
        source=lavrov.source, actors=kept, topics=[topic.pk for topic in lavrov.topics.all()],
    ))
    assert response.status_code == 302
    zelensky = Actor.objects.get(name="Volodymyr Zelensky")
    duplicate = Actor.objects.create(name="V. Zelensky", kind="person", slug="v-zelensky")
    Article.objects.get(source="eu.txt").actors.add(duplicate)
    actor_merge(survivor=zelensky, merged=duplicate)
    gas = Article.objects.get(source="gas.txt")
    gas_actors = sorted(actor.name for actor in gas.actors.all())
    assert len(gas_actors) >= 2
    assert client.post(f"/admin/articles/article/{gas.pk}/delete/", {"post": "yes"}).status_code == 302
    SavedView.objects.create(owner=chief, name="Energy", params="topic=energy", last_opened=lavrov.created)
    return {"deleted": gas, "deleted_actors": gas_actors}


def test_a_backup_round_trip_gives_back_the_same_archive(curated_archive, tmp_path):
    from django.contrib.admin.models import LogEntry
    from django.core.management import call_command

    from articles.models import Article
    from articles.restore import article_restore

    before = dumped()
    assert LogEntry.objects.count() == 2  # the edit and the delete
    backup = tmp_path / "archive.json.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    out = io.StringIO()
    call_command("restore", str(backup), stdout=out)
    assert "Index matches the database: 3 articles." in out.getvalue()

    after = dumped()
    assert sorted(after) == sorted(before)
    for model in before:
        assert after[model] == before[model], f"{model}: {len(before[model])} rows before, {len(after[model])} after"
    # The deleted article comes back from its restored history with its own actors only.
    deletion = Article.history.filter(id=curated_archive["deleted"].pk, history_type="-").get()
    restored = article_restore(history_id=deletion.history_id)
    assert sorted(actor.name for actor in restored.actors.all()) == curated_archive["deleted_actors"]
    # New rows get fresh ids after the restore (PostgreSQL sequences follow the loaded rows).
    Article.objects.create(headline="New", date="2024-08-01", body="A new article after the restore.", fingerprint="new")


# A backup taken while an ingest commits is one snapshot, on SQLite and on PostgreSQL.


@pytest.fixture
def archive_env(tmp_path):
    """make(name) -> the environment of a fresh archive: SQLite in its own data dir, or its own
    PostgreSQL database on the server of DATABASE_URL (scripts/with-postgres)."""
    server = os.environ.get("DATABASE_URL", "")
    created = []

    def make(name: str) -> dict:
        env = {**data_dir_env(tmp_path / name)}
        if server.startswith("postgres"):
            database = f"newsdesk_{name}_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{database}"')
            created.append(database)
            env["DATABASE_URL"] = f"{server.rsplit('/', 1)[0]}/{database}"
        return env

    yield make
    for database in created:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_backup_taken_while_an_ingest_commits_is_one_snapshot_and_restores(tmp_path, archive_env):
    old, new = archive_env("old"), archive_env("new")
    manage(old, "migrate")
    manage(old, "ingest", str(SEEDS))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(5):
        (corpus / f"{n}.txt").write_text(f" date 2024-03-{n + 1:02d} Officials in Geneva met about file number {n} today.")
    backup, paused, resume = tmp_path / "during.json.gz", tmp_path / "paused", tmp_path / "resume"
    dump = subprocess.Popen([sys.executable, str(ROOT / "tests" / "paused_backup.py"), str(backup), str(paused), str(resume)],
                            env=old, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(paused, dump)
    assert "5 ingested" in manage(old, "ingest", str(corpus))  # committed while the dump is half-way
    resume.touch()
    out, err = dump.communicate(timeout=120)
    assert dump.returncode == 0, out + err
    assert "Saved 2 articles" in out

    manage(new, "migrate")
    restored = manage(new, "restore", str(backup))
    assert "Restored 2 articles" in restored and "Index matches the database: 2 articles." in restored
    check = "from articles.models import Article, IngestBatch, IngestFileResult; " \
            "print(Article.objects.count(), IngestBatch.objects.count(), IngestFileResult.objects.count())"
    assert manage(new, "shell", "-v", "0", "-c", check).split() == ["2", "1", "2"]  # the seeds' batch alone


def test_a_backup_restores_where_the_role_groups_have_other_ids(small_archive, tmp_path):
    """A role group deleted and made again (by hand, or a later roles migration) has a new id; a freshly
    migrated archive numbers its groups from 1: the restore used to fail on "Editors" taken."""
    from django.contrib.auth.models import Group, Permission, User
    from django.core.management import call_command

    from articles.roles import roles_ensure

    Group.objects.filter(name="Editors").delete()
    roles_ensure(Group, Permission)
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    groups_before = {group.name: sorted(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}
    backup = tmp_path / "archive.json.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    roles_ensure(Group, Permission)  # as the migrations of a new archive make them
    call_command("restore", str(backup), stdout=io.StringIO())
    assert [group.name for group in User.objects.get(username="editor").groups.all()] == ["Editors"]
    groups_after = {group.name: sorted(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}
    assert groups_after == groups_before


@pytest.mark.parametrize("target", ["missing-folder/backup.json.gz", "/proc/newsdesk-backup.json.gz"])
def test_backup_that_cannot_be_written_fails_with_one_line(small_archive, tmp_path, target):
    from django.core.management import CommandError, call_command

    path = tmp_path / target if not target.startswith("/") else Path(target)
    with pytest.raises(CommandError, match=r"^No backup made: cannot write in .*: (No such file or directory|.*)$"):
        call_command("backup", str(path), stdout=io.StringIO())
    assert not path.exists()


def test_a_backup_that_breaks_off_leaves_the_last_good_one_in_place(small_archive, tmp_path, monkeypatch):
    from django.core.management import CommandError, call_command
    from django.core.serializers.json import Serializer

    backup = tmp_path / "nightly.json.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    good = backup.read_bytes()

    def disk_full(serializer, obj):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Serializer, "start_object", disk_full)
    with pytest.raises(CommandError, match=f"^No backup made: cannot write {backup}: No space left on device$"):
        call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.read_bytes() == good
    assert [path.name for path in tmp_path.iterdir()] == ["nightly.json.gz"]  # no partial file left behind
