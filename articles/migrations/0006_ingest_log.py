"""The ingest log (a batch per run of ingest, a row per file), and the editors' permission to read it."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def update_roles(apps, schema_editor):
    from articles.roles import roles_ensure

    # Permissions are normally created after all migrations; the groups need the new ones now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_ensure(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_editor_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IngestBatch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("started", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("finished", models.DateTimeField(blank=True, help_text="Empty while running, or if the run broke off.", null=True)),
                ("origin", models.CharField(choices=[("command", "Command line"), ("upload", "Upload")], max_length=10)),
                ("run_by", models.CharField(help_text="The editor's account name, or the system user of the command.", max_length=150)),
                ("ingested", models.PositiveIntegerField(default=0)),
                ("duplicate", models.PositiveIntegerField(default=0)),
                ("refused", models.PositiveIntegerField(default=0)),
                ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="ingest_batches", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name_plural": "ingest batches", "ordering": ["-started", "-id"]},
        ),
        migrations.CreateModel(
            name="IngestFileResult",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.TextField(help_text="The file as it was given: a path, an uploaded name or a zip entry.")),
                ("status", models.CharField(choices=[("ingested", "Ingested"), ("duplicate", "Duplicate"), ("refused", "Refused")], max_length=10)),
                ("reason", models.TextField(blank=True)),
                ("article", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="articles.article")),
                ("batch", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="results", to="articles.ingestbatch")),
            ],
            options={"verbose_name": "ingest result", "ordering": ["batch", "id"]},
        ),
        migrations.RunPython(update_roles, migrations.RunPython.noop),
    ]
