"""Run the fuzz of tests/fuzzing.py over a built archive and print what it tried, what failed, the slowest.

    .venv/bin/python bench/fuzz.py /tmp/data10k --requests 2000 --seed 19

DATA_DIR is a Newsdesk data dir with articles ingested. The fuzz signs in as a researcher made
for the run (with one shared saved view for the feed and share pages, and two finished export
jobs), deleted afterwards with whatever it saved and exported. Exit status 1 when any request failed or took over 2 s.
"""

import argparse
import os
import sys
from pathlib import Path

from inprocess import django_over

SLOWEST_ALLOWED = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    django_over(args.data_dir)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from articles.models import Actor, Article, Topic
    from exports.models import ExportJob
    from savedviews.models import SavedView, new_token
    from tests.fuzzing import FuzzArchive, finished_export_jobs, fuzz

    researcher = User.objects.create_user(f"bench-fuzzer-{os.getpid()}")
    jobs_before = set(ExportJob.objects.values_list("pk", flat=True))
    try:
        shared = SavedView.objects.create(owner=researcher, name="Minister", params="q=minister",
                                          last_opened=timezone.now(), share_token=new_token())
        signed_in = Client(HTTP_HOST="localhost")
        signed_in.force_login(researcher)
        export_tokens, export_downloads = finished_export_jobs(signed_in)
        archive = FuzzArchive(
            actors=list(Actor.objects.order_by("?").values_list("slug", flat=True)[:300]),
            topics=list(Topic.objects.values_list("slug", flat=True)),
            article_urls=[article.get_absolute_url() for article in Article.objects.order_by("?")[:300]],
            feed_tokens=[shared.feed_token],
            share_tokens=[shared.share_token],
            export_tokens=export_tokens,
            export_downloads=export_downloads,
        )
        print(f"{Article.objects.count():,} articles in {args.data_dir}; {args.requests} requests, seed {args.seed}")
        results = fuzz(Client(HTTP_HOST="localhost"), signed_in, archive, requests=args.requests, seed=args.seed)
    finally:
        researcher.delete()
        for job in ExportJob.objects.exclude(pk__in=jobs_before):  # the run's own, with their files
            if job.file_name:
                (Path(settings.EXPORT_DIR) / job.file_name).unlink(missing_ok=True)
            job.delete()
    print(results.summary())
    return 1 if results.failures or results.slowest[0][0] > SLOWEST_ALLOWED else 0


if __name__ == "__main__":
    sys.exit(main())
