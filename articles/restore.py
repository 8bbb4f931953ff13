"""Undo a delete: list the articles deleted in the last 30 days and bring one back from its history.

A deleted article's last history record (type "-", articles.history) holds its fields and its
actors and topics at deletion; restoring recreates it with the same id and lets the index queue
(articles.search.indexing) put it back in search.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .history import history_context
from .models import Actor, Article, Topic
from .similarity import pack_signature, text_signature
from .versions import article_bands_store, similar_original

RESTORE_DAYS = 30
HistoricalArticle = Article.history.model


class RestoreRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class DeletedArticle:
    record: "HistoricalArticle"  # the deletion record: the article as it was, who deleted it and when
    actors: list[Actor]
    topics: list[Topic]


def articles_deleted() -> list[DeletedArticle]:
    """The articles deleted in the last RESTORE_DAYS days and not restored since, most recently deleted first."""
    records = (
        HistoricalArticle.objects.filter(history_type="-", history_date__gte=_restorable_since())
        .filter(~Exists(Article.objects.filter(pk=OuterRef("id"))))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    latest = {}
    for record in records:  # deleted, restored and deleted again: the last deletion is the one to undo
        latest.setdefault(record.id, record)
    return [
        DeletedArticle(
            record=record,
            actors=list(Actor.objects.filter(pk__in=record.actors.values("actor_id"))),
            topics=list(Topic.objects.filter(pk__in=record.topics.values("topic_id"))),
        )
        for record in latest.values()
    ]


def article_restore(*, history_id: int, user=None) -> Article:
    """Recreate a deleted article (same id, text, actors and topics) from its deletion record; raise RestoreRefused."""
    with history_context(user=user, reason="restored after deletion"), transaction.atomic():
        record = HistoricalArticle.objects.filter(history_id=history_id, history_type="-").first()
        if record is None or record.history_date < _restorable_since():
            raise RestoreRefused(
                f"No deleted article to restore here: only deletions of the last {RESTORE_DAYS} days can be undone."
            )
        if Article.objects.filter(pk=record.id).exists():
            raise RestoreRefused(f"Article {record.id} is in the archive already: it was restored before.")
        same_text = Article.objects.filter(fingerprint=record.fingerprint).first()
        if same_text:
            raise RestoreRefused(
                f"The same text was added again since, as article {same_text.pk} ({same_text.headline}): "
                "restoring would store it twice."
            )
        signature = text_signature(record.body)
        original = Article.objects.filter(pk=record.version_of_id, version_of=None).values_list("pk", flat=True)
        article = Article(
            id=record.id,
            headline=record.headline,
            date=record.date,
            body=record.body,
            source=record.source,
            fingerprint=record.fingerprint,
            signature=pack_signature(signature),
            # Its original was deleted too (or it was an original whose versions were promoted):
            # join the group it is similar to now, as ingest would.
            version_of_id=original.first() or similar_original(signature, exclude_pk=record.id),
        )
        article.save(force_insert=True)  # queues its index document
        Article.objects.filter(pk=article.pk).update(created=record.created)
        article_bands_store(article, signature)
        # Labels deleted since (an actor merged or ruled out) stay away; the sets queue the document again.
        article.actors.set(Actor.objects.filter(pk__in=record.actors.values("actor_id")))
        article.topics.set(Topic.objects.filter(pk__in=record.topics.values("topic_id")))
    return article


def _restorable_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=RESTORE_DAYS)
