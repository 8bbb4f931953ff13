"""Writes for saved views and researcher accounts: each one function, one transaction."""

import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from articles.forms import SearchFilters
from articles.models import Actor, Article, IndexQueue, Topic
from articles.search.engines.base import SearchUnavailable

from .models import SavedView, new_token
from .selectors import CountsRefresh, match_counts

COUNT_SECONDS = 0.15  # counting one list of views stops after this...
COUNT_AT_LEAST = 5  # ...once this many are counted


@transaction.atomic
def saved_view_create(*, owner, name: str, note: str, params: str) -> SavedView:
    """Save a view; it counts as opened now, so only later additions are new."""
    return SavedView.objects.create(owner=owner, name=name, note=note, params=params, last_opened=timezone.now())


@transaction.atomic
def saved_view_update(*, saved_view: SavedView, name: str, note: str) -> SavedView:
    """Rename a saved view or change its note (its search stays as saved)."""
    saved_view.name, saved_view.note = name, note
    saved_view.save(update_fields=["name", "note"])
    return saved_view


@transaction.atomic
def saved_view_open(*, saved_view: SavedView) -> str:
    """Record that the researcher looked at the view now (nothing is new any more); return its search URL."""
    saved_view.last_opened = timezone.now()
    saved_view.counted_version = ""
    saved_view.save(update_fields=["last_opened", "counted_version"])
    return saved_view.search_url()


def archive_version() -> str:
    """A stamp that changes whenever a search could count differently.

    Every change of an article (its text, dates, actors or topics, from either side), of an
    actor or of a topic writes a history record (articles.history); index writes not yet
    drained are the pending queue. "41207.988.15.0": latest records, then the last queued row.
    """
    def latest(queryset, field):
        return queryset.aggregate(latest=Max(field))["latest"] or 0

    records = [latest(model.history, "history_id") for model in (Article, Actor, Topic)]
    return ".".join(str(n) for n in [*records, latest(IndexQueue.objects, "id")])


def saved_view_counts_refresh(*, saved_views: list[SavedView], filters: dict[int, SearchFilters]) -> CountsRefresh:
    """Count the views whose stored counts are older than the archive, for COUNT_SECONDS (at least COUNT_AT_LEAST).

    Views left for lack of time keep their old version and are counted on a later visit; the
    page says so. A view whose search needs the engine while it is unavailable is not counted.
    """
    version = archive_version()
    deadline = time.monotonic() + COUNT_SECONDS
    counted, unavailable = 0, set()
    for saved_view in saved_views:
        if saved_view.counted_version == version:
            continue
        if counted >= COUNT_AT_LEAST and time.monotonic() > deadline:
            break
        try:
            total, new = match_counts(filters[saved_view.pk], since=saved_view.last_opened)
        except SearchUnavailable:
            unavailable.add(saved_view.pk)
            continue
        counted += 1
        # Only if not opened meanwhile: its new matches were counted since the previous opening.
        SavedView.objects.filter(pk=saved_view.pk, last_opened=saved_view.last_opened).update(
            counted_version=version, match_total=total, match_new=new,
        )
        saved_view.counted_version, saved_view.match_total, saved_view.match_new = version, total, new
    return CountsRefresh(version, frozenset(unavailable))


@transaction.atomic
def saved_view_delete(*, saved_view: SavedView) -> None:
    saved_view.delete()


@transaction.atomic
def saved_view_share(*, saved_view: SavedView, shared: bool) -> SavedView:
    """Share (a fresh link each time) or unshare (the link stops working for good)."""
    if shared and not saved_view.is_shared:
        saved_view.share_token = new_token()
    elif not shared:
        saved_view.share_token = None
    saved_view.save(update_fields=["share_token"])
    return saved_view


@transaction.atomic
def saved_view_feed_token_regenerate(*, saved_view: SavedView) -> SavedView:
    """Give the feed a new address; the old one answers 404 from now on."""
    saved_view.feed_token = new_token()
    saved_view.save(update_fields=["feed_token"])
    return saved_view


@transaction.atomic
def researcher_create(*, username: str, email: str = ""):
    """A researcher account (not staff, no admin access) with no password until one is set."""
    user = get_user_model().objects.create_user(username, email=email)
    user.set_unusable_password()  # no default password, ever
    user.save()
    return user
