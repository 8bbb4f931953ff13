"""An export too large to answer within one request: written to a file in the background, then downloaded."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters, 192 bits


def new_token() -> str:
    """The unguessable part of an export's address: whoever has the link may follow and download it."""
    return secrets.token_urlsafe(TOKEN_BYTES)


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Being written"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    format = models.CharField(max_length=10)  # a key of exports.formats.FORMATS
    # The view's canonical parameters without page or format: "q=gas&actor=vladimir-putin".
    params = models.CharField(max_length=2000, blank=True)
    origin = models.CharField(max_length=300)  # "https://news.example.org": the article links in the rows
    client = models.CharField(max_length=64, blank=True, db_index=True)  # the address that asked
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    expected_rows = models.PositiveIntegerField(default=0)  # the view's count when asked: progress is measured by it
    rows_written = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=100, blank=True)  # under settings.EXPORT_DIR, once done
    size = models.BigIntegerField(null=True, blank=True)  # bytes, once done
    error = models.TextField(blank=True)
    # Each start is one attempt; a writer only ever saves progress for its own attempt, so a job
    # restarted after a stall is never written by two writers at once.
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)  # "host:pid" of the process writing it
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)  # the writer's last sign of life
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{self.format} export {self.token[:8]}… ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("export_job", args=[self.token])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_written * 100 // self.expected_rows) if self.expected_rows else 0
