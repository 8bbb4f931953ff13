"""Writes for saved views and researcher accounts: each one function, one transaction."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import SavedView, new_token


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
    """Record that the researcher looked at the view now; return its search URL."""
    saved_view.last_opened = timezone.now()
    saved_view.save(update_fields=["last_opened"])
    return saved_view.search_url()


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
