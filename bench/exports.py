"""How fast exports stream and how much memory they hold: rows/s and peak memory per format.

    .venv/bin/python bench/exports.py --articles 100000           # bench/var/exports-100k, built in bulk once
    .venv/bin/python bench/exports.py --articles 1000000 --formats csv
    .venv/bin/python bench/exports.py --data-dir bench/var/copy-10k --query said   # a copy of a real archive

Builds (once, then reused) an archive of synthetic articles written straight into the database
(~3.5 KB bodies, 3-8 actors and 1-3 topics each; no index: a view without text is answered from
the database, as while the index is rebuilt). Then, for each format, writes the view's whole
export as a background job does (exports.jobs.export_job_write: ids from the search, values
queries per chunk, the file on disk) and reports rows/s; a second pass under tracemalloc
reports the peak of Python memory allocated while writing (the first pass is not slowed by it),
and the process's peak RSS is printed at the end. Also times the largest export sent whole
within a request (EXPORT_INLINE_ROWS rows). The 1-minute load average before and after says how
busy the machine was.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTORS, TOPICS = 1500, 15
WORDS = ("officials talks minister agreement gas pipeline border security council sanctions trade "
         "summit ceasefire election parliament government spokesman reported said week capital").split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="archive size to build (ignored with --data-dir)")
    parser.add_argument("--data-dir", type=Path, help="an existing data dir of your own (it is migrated)")
    parser.add_argument("--query", default="", help="the view's q (needs the data dir's search index)")
    parser.add_argument("--formats", nargs="+", default=["csv", "jsonl"])
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured, also into a log file
    data_dir = args.data_dir or ROOT / "bench" / "var" / f"exports-{_short(args.articles)}"
    os.environ["NEWSDESK_DATA_DIR"] = str(data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    built = args.data_dir is None and build_archive(args.articles)
    measure(args, data_dir, built)


def _short(n: int) -> str:
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def build_archive(count: int) -> bool:
    """Fill the database with `count` synthetic articles, unless it holds them already (plain SQL: fast).

    Returns whether it built them.
    """
    from django.db import connection, transaction

    from articles.models import Actor, Article, Topic

    have = Article.objects.count()
    if have == count:
        return False
    if have:
        sys.exit(f"The data dir holds {have} articles, not {count}: delete it or pick another size.")
    started = time.monotonic()
    rng = random.Random(1)
    kinds = ["person"] * 8 + ["organisation", "country"]
    actor_ids = [actor.pk for actor in Actor.objects.bulk_create(
        Actor(name=f"{rng.choice(WORDS).title()} {n:04d}", kind=rng.choice(kinds), slug=f"actor-{n}") for n in range(ACTORS)
    )]
    topic_ids = [topic.pk for topic in Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(TOPICS))]
    weights = [1 / (rank + 1) for rank in range(ACTORS)]  # a few actors in many articles, most in few
    paragraphs = [" ".join(rng.choices(WORDS, k=60)).capitalize() + "." for _ in range(500)]
    first = datetime.date(2015, 1, 1)
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    article, links = Article._meta.db_table, (Article.actors.through._meta.db_table, Article.topics.through._meta.db_table)
    batch = 20_000
    for start in range(0, count, batch):
        ids = range(start + 1, min(count, start + batch) + 1)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {article} (id, headline, date, body, source, fingerprint, created, updated, signature) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (n, " ".join(rng.choices(WORDS, k=9)).capitalize() + f", {n}",
                     (first + datetime.timedelta(days=rng.randrange(3650))).isoformat(),
                     "\n\n".join(rng.choices(paragraphs, k=7)),  # ~3.5 KB
                     f"wire/{n // 1000:04d}/{n}.txt", f"bench-{n}", now, now, b"")
                    for n in ids
                ],
            )
            cursor.executemany(
                f"INSERT INTO {links[0]} (article_id, actor_id) VALUES (%s, %s)",
                [(n, actor_ids[i]) for n in ids for i in set(rng.choices(range(ACTORS), weights, k=rng.randint(3, 8)))],
            )
            cursor.executemany(
                f"INSERT INTO {links[1]} (article_id, topic_id) VALUES (%s, %s)",
                [(n, topic) for n in ids for topic in rng.sample(topic_ids, rng.randint(1, 3))],
            )
        print(f"\rbuilding the archive: {ids[-1]:,} of {count:,} articles", end="", flush=True)
    print(f" ({time.monotonic() - started:.0f} s)")
    return True


def measure(args, data_dir: Path, built: bool) -> None:
    from django.conf import settings
    from django.http import QueryDict

    from articles.forms import parse_search_filters
    from articles.models import Article
    from articles.search.selectors import first_matching_ids
    from exports.formats import FORMATS, export_text
    from exports.jobs import export_job_claim, export_job_write, view_params
    from exports.models import ExportJob
    from exports.rows import export_rows

    settings.EXPORT_DIR = data_dir / "bench-exports"
    filters, notices = parse_search_filters(QueryDict(f"q={args.query}" if args.query else ""))
    if notices:
        sys.exit(" ".join(notices))
    print(f"archive: {Article.objects.count():,} articles in {data_dir}; view: {filters.describe()}; "
          f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}; load before: {os.getloadavg()[0]:.1f}")
    print(f"{'format':8} {'rows':>10} {'seconds':>8} {'rows/s':>9} {'CPU s':>7} {'rows/CPU s':>11} {'file MB':>8} {'peak traced MB':>15}")

    def write_job(name: str) -> ExportJob:
        ExportJob.objects.all().delete()
        ExportJob.objects.create(format=name, params=view_params(filters), origin="https://news.example.org")
        job = export_job_claim()
        export_job_write(job)
        job.refresh_from_db()
        if job.status != ExportJob.Status.DONE:
            sys.exit(f"the export failed: {job.error}")
        (settings.EXPORT_DIR / job.file_name).unlink()
        return job

    for name in args.formats:
        started, cpu_started = time.monotonic(), time.process_time()
        job = write_job(name)
        seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
        peak = "-"
        if not args.no_memory:
            tracemalloc.start()
            write_job(name)
            peak = f"{tracemalloc.get_traced_memory()[1] / 2**20:.1f}"
            tracemalloc.stop()
        print(f"{name:8} {job.rows_written:>10,} {seconds:>8.2f} {job.rows_written / seconds:>9,.0f} {cpu:>7.2f} "
              f"{job.rows_written / cpu:>11,.0f} {job.size / 2**20:>8.1f} {peak:>15}")

    limit = settings.EXPORT_INLINE_ROWS
    started, cpu_started = time.monotonic(), time.process_time()
    first = first_matching_ids(filters, limit)
    chunks = (first.ids[start:start + 500] for start in range(0, len(first.ids), 500))
    size = sum(len(text) for text in export_text(FORMATS["csv"], export_rows(chunks, "https://news.example.org")))
    print(f"largest CSV sent whole in a request ({len(first.ids):,} rows, {size / 2**20:.1f} MB): "
          f"{time.monotonic() - started:.2f} s ({time.process_time() - cpu_started:.2f} s of CPU)")
    print(f"peak RSS of this process{' (building the archive included: run again for the export alone)' if built else ''}: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"load after: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
