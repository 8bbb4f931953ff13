"""Store the starting topic vocabulary; editors change it in the admin afterwards."""

from django.db import migrations


def add_default_topics(apps, schema_editor):
    from articles.extraction import DEFAULT_TOPICS

    Topic = apps.get_model("articles", "Topic")
    for topic in DEFAULT_TOPICS:
        Topic.objects.get_or_create(
            slug=topic["slug"],
            defaults={
                "name": topic["name"],
                "description": topic["description"],
                "keywords": "\n".join(topic["keywords"]),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(add_default_topics, migrations.RunPython.noop)]
