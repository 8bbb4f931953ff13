"""Move every article of one actor (or topic) to another in a few queries, whatever their number.

A merge used to add the articles one by one (a history record each, written one at a time) and
then index them inside the editor's request: merging an actor with 2,926 articles ran past the
60 s timeout after the database had committed. Here the links move in two statements, the
articles' history records are written in bulk, and the articles are queued for the index, which
catches up in the background (articles.search.indexing).

# articles_relink(field="actors", merged=<Actor Putin>, survivor=<Actor Vladimir Putin>, reason="...") -> 2926
"""

from django.db.models import Model
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .history import _history_from_context
from .models import Article
from .search.indexing import index_enqueue

HISTORY_CHUNK = 1000  # articles whose history records are written per round (memory, query size)


def articles_relink(*, field: str, merged: Model, survivor: Model, reason: str) -> list[int]:
    """Give merged's articles to survivor (field: "actors" or "topics"); return the ids of the articles changed.

    Each changed article gets one "Changed" history record, by whoever does the work, with
    `reason`; each is queued for the index. Call inside the merge's transaction.
    """
    through, label = getattr(Article, field).through, _label_column(field)
    links = through.objects.filter(**{label: merged.pk})
    article_ids = list(links.values_list("article_id", flat=True))
    if not article_ids:
        return []
    already = through.objects.filter(**{label: survivor.pk}).values("article_id")
    links.exclude(article_id__in=already).update(**{label: survivor.pk})
    links.delete()  # the articles that had both: the survivor's link stays
    articles_history_record(article_ids, reason)
    index_enqueue(article_ids)
    return article_ids


def articles_unlink(*, field: str, label: Model, reason: str) -> list[int]:
    """Take the label (an actor or topic) off every article that has it; return their ids.

    One history record per article, with `reason`; each is queued for the index. Call inside the
    transaction that rules the label out.
    """
    links = getattr(Article, field).through.objects.filter(**{_label_column(field): label.pk})
    article_ids = list(links.values_list("article_id", flat=True))
    if article_ids:
        links.delete()
        articles_history_record(article_ids, reason)
        index_enqueue(article_ids)
    return article_ids


def articles_history_record(article_ids: list[int], reason: str) -> None:
    """One "Changed" history record per article, holding its fields, actors and topics as they are now.

    What django-simple-history writes on each article's relation change, written in bulk: a few
    queries per HISTORY_CHUNK articles instead of several per article.
    """
    history_model = Article.history.model
    tracked = [field.attname for field in history_model.tracked_fields]
    m2m_models = {name: Article.history.model._meta.apps.get_model("articles", f"HistoricalArticle_{name}")
                  for name in ("actors", "topics")}
    now, user = timezone.now(), _request_user()
    for start in range(0, len(article_ids), HISTORY_CHUNK):
        chunk = article_ids[start:start + HISTORY_CHUNK]
        records = []
        for values in Article.objects.filter(pk__in=chunk).values(*tracked):
            record = history_model(history_date=now, history_type="~", history_user=user,
                                   history_change_reason=reason, **values)
            _history_from_context(sender=history_model, history_instance=record)  # the work's user, if any
            records.append(record)
        records = history_model.objects.bulk_create(records)
        by_article = {record.id: record for record in records}
        for name, m2m_model in m2m_models.items():
            through, label = getattr(Article, name).through, _label_column(name)
            rows = through.objects.filter(article_id__in=chunk).values_list("id", "article_id", label)
            m2m_model.objects.bulk_create(
                m2m_model(id=row_id, article_id=article_id, history=by_article[article_id], **{label: value})
                for row_id, article_id, value in rows
                if article_id in by_article
            )


def _label_column(field: str) -> str:
    """The link table's column for the label: "actors" -> "actor_id"."""
    return f"{Article._meta.get_field(field).related_model._meta.model_name}_id"


def _request_user():
    """The signed-in user of the request under way (django-simple-history's middleware), else None."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
