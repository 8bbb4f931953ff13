"""Lost updates: tell an editor that the article, actor or topic changed since they opened its form, and how.

The version an editor starts from is the record's latest history record (articles.history):
every save makes one, whoever saves (another editor, ingest, re-extraction, a merge), and for an
article so does every change of its actors or topics, also from their side. The form carries the
version it was opened at; saving over a newer one is refused with what changed, by whom and when.

    # alice opens article 7 at version 41; bob saves a new lead (version 44); alice saves:
    edit_conflict(Article, 7, seen_version=41)
    #   -> EditConflict(version=44, editors=("bob",), changed_at=..., fields=("body",))
"""

import dataclasses
import datetime

from django.db.models import Max


@dataclasses.dataclass(frozen=True)
class EditConflict:
    version: int  # the record's version now: a form carrying it saves over the others' changes knowingly
    editors: tuple[str, ...]  # who changed it since, in order ("a command" for work no account did)
    changed_at: datetime.datetime  # the latest of those changes
    fields: tuple[str, ...]  # the fields whose value differs from the version the editor started from


def record_version(model, pk: int) -> int:
    """The id of the record's latest history record (0 when it has none)."""
    return model.history.model.objects.filter(id=pk).aggregate(latest=Max("history_id"))["latest"] or 0


def edit_conflict(model, pk: int, *, seen_version: int) -> EditConflict | None:
    """What changed since seen_version, or None when the record is still at that version."""
    history = model.history.model.objects
    records = list(history.filter(id=pk, history_id__gt=seen_version).select_related("history_user").order_by("history_id"))
    if not records:
        return None
    latest = records[-1]
    seen = history.filter(id=pk, history_id=seen_version).first()
    fields = tuple(sorted(latest.diff_against(seen).changed_fields)) if seen else ()
    editors = tuple(dict.fromkeys(record.history_user.username if record.history_user else "a command" for record in records))
    return EditConflict(latest.history_id, editors, latest.history_date, fields)
