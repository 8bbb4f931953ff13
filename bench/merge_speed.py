"""Time a big merge and a big rename in the admin: the editor's request, and the index catching up after.

    .venv/bin/python bench/merge_speed.py                 # an actor with 3,000 articles (the issue: 2,926)
    .venv/bin/python bench/merge_speed.py --articles 500

Builds a throwaway data dir (SQLite + Whoosh, in a temporary directory): N synthetic articles
(bench/generate.py's text, seed 1) all carrying the actor "Putin", stored and indexed in bulk.
Then, through Django's test client as a chief editor (no HTTP, the same views as the admin):
1. merge "Putin" into "Vladimir Putin" with the admin action: the request's wall time and its SQL
   queries, then how long the index takes to catch up in the background (until `index_check`
   would find nothing to repair);
2. rename the survivor's slug in its change form: the same figures.
Prints one line per step. Wall times on a shared machine move with what else runs.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsdesk-merge-bench-") as data_dir:
        os.environ.update(NEWSDESK_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="newsdesk.settings",
                          ALLOWED_HOSTS="testserver")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        run(args.articles)


def run(count: int) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Actor
    from articles.search.consistency import index_differences

    survivor, merged = store(count)
    client = Client()
    client.force_login(User.objects.create_user("chief", is_staff=True, is_superuser=True))
    print(f"{count:,} articles carrying the actor Putin, stored and indexed")

    def timed(label: str, send) -> None:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = send()
            request = time.perf_counter() - started
        caught_up = wait_for_index(started)
        print(f"{label}: request {request:.2f} s ({response.status_code}, {len(queries)} SQL queries); "
              f"index caught up {caught_up:.1f} s after the click; index_check: {index_differences().summary()}")

    timed("merge Putin into Vladimir Putin", lambda: client.post("/admin/articles/actor/", {
        "action": "merge_actors", "_selected_action": [survivor.pk, merged.pk], "survivor": survivor.pk, "apply": "Merge"}))
    survivor = Actor.objects.get(pk=survivor.pk)
    timed("rename vladimir-putin to putin-vladimir", lambda: client.post(f"/admin/articles/actor/{survivor.pk}/change/", {
        "name": survivor.name, "kind": survivor.kind, "slug": "putin-vladimir", "aliases": survivor.aliases,
        "description": "", "affiliation": "", "redirects-TOTAL_FORMS": "0", "redirects-INITIAL_FORMS": "0",
        "redirects-MIN_NUM_FORMS": "0", "redirects-MAX_NUM_FORMS": "1000"}))


def store(count: int):
    """N articles with the actor "Putin", one with "Vladimir Putin" too; indexed."""
    import generate
    from django.db import transaction

    from articles.ingest import fingerprint_text, parse_article_text
    from articles.models import Actor, Article
    from articles.search.indexing import index_drain, index_enqueue, index_writes_deferred

    writer = generate.ArticleWriter(1)
    survivor = Actor.objects.create(name="Vladimir Putin", kind="person", slug="vladimir-putin")
    merged = Actor.objects.create(name="Putin", kind="person", slug="putin")
    with transaction.atomic(), index_writes_deferred():
        rows = []
        for number in range(count):
            parsed = parse_article_text(writer.article(number))
            rows.append(Article(headline=parsed.headline, date=parsed.date or datetime.date(2024, 1, 1), body=parsed.body,
                                source=f"{number}.txt", fingerprint=fingerprint_text(parsed.body) + str(number)))
        articles = Article.objects.bulk_create(rows)
        through = Article.actors.through
        through.objects.bulk_create(through(article_id=article.pk, actor_id=merged.pk) for article in articles)
        through.objects.create(article_id=articles[0].pk, actor_id=survivor.pk)
        index_enqueue([article.pk for article in articles])
    index_drain()
    return survivor, merged


def wait_for_index(started: float, limit: float = 600) -> float:
    """Seconds from `started` until nothing waits in the index queue."""
    from articles.models import IndexQueue

    while IndexQueue.objects.exists() and time.perf_counter() - started < limit:
        time.sleep(0.1)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
