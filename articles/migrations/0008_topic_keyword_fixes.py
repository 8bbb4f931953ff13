"""Fix starting topic keywords that misfired on real news; editors' own keywords are kept.

"import*" matched "important", "term" matched "long-term"; Diplomacy missed visits and
"foreign ministers"; no topic knew Iran or Iraq, and the China topic did not know China.
"""

from django.db import migrations

# slug -> (keywords removed, keywords added), as of this migration
CHANGES = {
    "diplomacy": (["state visit"], ["foreign ministers", "visit", "visits", "visited"]),
    "trade-economy": (["import*"], ["import", "imports", "imported", "importer*"]),
    "elections-politics": (["term"], ["second term", "third term", "term limit*"]),
    "middle-east-conflict": ([], ["iran", "iranian*", "tehran", "iraq", "iraqi*", "baghdad"]),
    "asia-pacific-security": ([], ["china", "chinese"]),
}


def fix_keywords(apps, schema_editor):
    Topic = apps.get_model("articles", "Topic")
    for slug, (removed, added) in CHANGES.items():
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            continue  # an editor deleted or merged it away
        keywords = [k for k in topic.keywords.splitlines() if k.strip() and k.strip() not in removed]
        keywords += [k for k in added if k not in keywords]
        topic.keywords = "\n".join(keywords)
        topic.save(update_fields=["keywords"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_history")]
    operations = [migrations.RunPython(fix_keywords, migrations.RunPython.noop)]
