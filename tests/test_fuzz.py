"""Every public page, every parameter, every format, 10,000 fuzzed requests: no 5xx, no unreadable body, none costly.

NEWSDESK_FUZZ_REQUESTS and NEWSDESK_FUZZ_SEED change the size and the draw; the summary (tried,
failed, the slowest requests) is printed, so `pytest -s tests/test_fuzz.py` shows it.
"""

import os

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.models import Actor, Article, Topic
from savedviews.models import SavedView, new_token

from .fuzzing import FUZZED_URL_NAMES, URL_KINDS, FuzzArchive, finished_export_jobs, fuzz

REQUESTS = int(os.environ.get("NEWSDESK_FUZZ_REQUESTS", "10000"))
SEED = int(os.environ.get("NEWSDESK_FUZZ_SEED", "19"))
# Issue 19's bound for any request anyone can send, in seconds of this process's CPU time: the
# work the request makes the app do. Wall time is printed, not asserted: CI runs three suites side
# by side on two cores, and one PostgreSQL commit waited 3 s on the disk there. bench/fuzz.py
# holds wall time to the bound over a served archive.
CPU_SECONDS_ALLOWED = 2.0
# Pages the fuzz leaves out, and why: each changes an account or a saved view by POST, or is the admin.
NOT_FUZZED = {
    "index_progress": "an editors' page (staff only, under /admin/): anonymous requests go to the sign-in page",
    "logout": "POST only; signs the session out",
    "password_change": "changes the researcher's password",
    "saved_view_open": "POST only; marks a view opened",
    "saved_view_edit": "one researcher's own view: covered by test_savedviews",
    "saved_view_delete": "deletes a view",
    "saved_view_share": "POST only",
    "saved_view_unshare": "POST only",
    "saved_view_feed_token": "POST only",
}


@pytest.fixture
def fuzz_targets(small_archive):
    researcher = User.objects.create_user("fuzzer")
    shared = SavedView.objects.create(owner=researcher, name="Gas", params="q=gas", last_opened=timezone.now(),
                                      share_token=new_token())
    signed_in = Client()
    signed_in.force_login(researcher)
    export_tokens, export_downloads = finished_export_jobs(signed_in)
    assert signed_in.get(export_downloads[0]).status_code == 200
    archive = FuzzArchive(
        actors=list(Actor.objects.values_list("slug", flat=True)),
        topics=list(Topic.objects.values_list("slug", flat=True)),
        article_urls=[article.get_absolute_url() for article in Article.objects.all()],
        feed_tokens=[shared.feed_token],
        share_tokens=[shared.share_token],
        export_tokens=export_tokens,
        export_downloads=export_downloads,
    )
    return archive, signed_in


def test_every_public_page_survives_fuzzed_parameters_in_every_format(client, fuzz_targets):
    archive, signed_in = fuzz_targets
    results = fuzz(client, signed_in, archive, requests=REQUESTS, seed=SEED)
    print(f"\nfuzz, seed {SEED}:\n{results.summary()}")
    assert results.tried == REQUESTS and set(results.kinds) == set(URL_KINDS)
    assert results.failures == []
    assert results.busiest[0][0] <= CPU_SECONDS_ALLOWED, results.summary()


def test_the_fuzz_reaches_every_public_page():
    names = set(_url_names(get_resolver().url_patterns))
    public = {name for name in names if name and not name.startswith("admin") and name not in NOT_FUZZED}
    assert public == FUZZED_URL_NAMES


def _url_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name
