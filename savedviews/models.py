"""A researcher's saved view: a named search (its canonical parameters) with a private feed and an optional share link."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters, 256 bits


def new_token() -> str:
    """An unguessable URL token for a feed or a share link."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def search_url_for(params: str, **extra: str) -> str:
    """The search page of stored parameters: "q=gas", format="csv" -> "/search/?q=gas&format=csv"."""
    query = "&".join(part for part in (params, urlencode(extra)) if part)
    return reverse("search") + (f"?{query}" if query else "")


class SavedView(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=200)
    note = models.TextField(blank=True, max_length=2000)
    # The search's canonical parameters without page or format: "q=gas&actor=vladimir-putin&from=2024-01-01".
    params = models.CharField(max_length=2000, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # Matches added to the archive after this moment count as new on "My saved views".
    last_opened = models.DateTimeField()
    # The private Atom feed's address; replaced (so the old address stops working) on request.
    feed_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The read-only share page's address; None while not shared, a fresh token each time it is shared.
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # "My saved views" shows these counts while the archive is at the version they were taken at
    # (services.saved_view_counts_refresh): a list of hundreds of views is not counted on every visit.
    counted_version = models.CharField(max_length=100, blank=True, editable=False)
    match_total = models.PositiveIntegerField(null=True, editable=False)
    match_new = models.PositiveIntegerField(null=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.share_token is not None

    def search_url(self, **extra: str) -> str:
        return search_url_for(self.params, **extra)

    @property
    def csv_url(self) -> str:
        """Every match as CSV: the search page's own export."""
        return self.search_url(format="csv")

    def feed_url(self) -> str:
        return reverse("saved_view_feed", args=[self.feed_token])

    def share_url(self) -> str | None:
        return reverse("saved_view_shared", args=[self.share_token]) if self.share_token else None
