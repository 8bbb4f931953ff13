"""Lost updates: tell an editor that the article changed since they opened its form, and how.

The version an editor starts from is the article's latest history record (articles.history):
every save makes one, whoever saves (another editor, ingest, re-extraction), and so does every
change of its actors or topics, also from their side (a merge). The form carries the version
it was opened at; saving over a newer one is refused with what changed, by whom and when.

    # alice opens article 7 at version 41; bob saves a new lead (version 44); alice saves:
    article_edit_conflict(7, seen_version=41)
    #   -> EditConflict(version=44, editors=("bob",), changed_at=..., fields=("body",))
"""

import dataclasses
import datetime

from django.db.models import Max

from .models import Article

HistoricalArticle = Article.history.model


@dataclasses.dataclass(frozen=True)
class EditConflict:
    version: int  # the article's version now: a form carrying it saves over the others' changes knowingly
    editors: tuple[str, ...]  # who changed it since, in order ("a command" for work no account did)
    changed_at: datetime.datetime  # the latest of those changes
    fields: tuple[str, ...]  # the fields whose value differs from the version the editor started from


def article_version(article_pk: int) -> int:
    """The id of the article's latest history record (0 when it has none)."""
    return HistoricalArticle.objects.filter(id=article_pk).aggregate(latest=Max("history_id"))["latest"] or 0


def article_edit_conflict(article_pk: int, *, seen_version: int) -> EditConflict | None:
    """What changed since seen_version, or None when the article is still at that version."""
    records = list(
        HistoricalArticle.objects.filter(id=article_pk, history_id__gt=seen_version)
        .select_related("history_user")
        .order_by("history_id")
    )
    if not records:
        return None
    latest = records[-1]
    seen = HistoricalArticle.objects.filter(id=article_pk, history_id=seen_version).first()
    fields = tuple(sorted(latest.diff_against(seen).changed_fields)) if seen else ()
    editors = tuple(dict.fromkeys(record.history_user.username if record.history_user else "a command" for record in records))
    return EditConflict(latest.history_id, editors, latest.history_date, fields)
