"""Editors only read the never-an-actor names; adding or correcting one is the chief editors' call (README)."""

from django.db import migrations

from articles.roles import roles_update


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_topic_keyword_fixes")]
    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
