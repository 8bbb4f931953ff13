"""Near-duplicate groups: link a new or edited article to the original it is a version of, promote on delete.

A group is flat: its original (the first article ingested) has version_of empty, every similar
version points at it, and a copy of a copy points at the original too. Searches leave the
versions out and show "+N similar versions" on the original (articles.search). Signatures and
band keys come from articles.similarity; band keys are stored in ArticleBand for lookup.
"""

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from .search.indexing import index_enqueue
from .models import Article, ArticleBand
from .similarity import band_keys, most_similar, pack_signature, text_signature, unpack_signature


def similar_original(signature: tuple[int, ...], *, exclude_pk: int | None = None) -> int | None:
    """Return the id of the original whose group holds the article most similar to the signature, or None."""
    keys = band_keys(signature)
    if not keys:
        return None
    candidates = (
        Article.objects.filter(pk__in=ArticleBand.objects.filter(key__in=keys).values("article_id"))
        .exclude(pk=exclude_pk)
        .order_by("created", "id")  # on a tie, the group of the earliest article
        .values_list("pk", "version_of_id", "signature")
    )
    return most_similar(
        signature, ((version_of_id or pk, unpack_signature(stored)) for pk, version_of_id, stored in candidates)
    )


def article_bands_store(article: Article, signature: tuple[int, ...]) -> None:
    """Store the band keys of a new article (or of one whose old keys were deleted)."""
    ArticleBand.objects.bulk_create(ArticleBand(article=article, key=key) for key in band_keys(signature))


@transaction.atomic
def article_versions_refresh(*, article: Article) -> None:
    """After an editor saved the article: recompute its signature and, if its text changed, its group.

    An original that has versions stays the original of its group, whatever the edit.
    """
    signature = text_signature(article.body)
    packed = pack_signature(signature)
    if bytes(article.signature or b"") == packed and article.bands.exists():
        return  # the text did not change
    article.signature = packed
    article.bands.all().delete()
    article_bands_store(article, signature)
    if not article.versions.exists():
        article.version_of_id = similar_original(signature, exclude_pk=article.pk)
    article.save(update_fields=["signature", "version_of", "updated"])  # queues its index document


@transaction.atomic
def article_versions_promote(*, version_ids: list[int]) -> int | None:
    """Make the oldest remaining of these versions (their original was deleted) the original of the others."""
    remaining = list(Article.objects.filter(pk__in=version_ids).order_by("created", "id").values_list("pk", flat=True))
    if not remaining:
        return None
    promoted, others = remaining[0], remaining[1:]
    now = timezone.now()  # a new `updated` lets index_check see documents left stale
    Article.objects.filter(pk=promoted).update(version_of=None, updated=now)
    Article.objects.filter(pk__in=others).update(version_of=promoted, updated=now)
    index_enqueue(remaining)
    return promoted


def version_counts(article_ids: list[int]) -> dict[int, int]:
    """Return {original id: how many similar versions it has}, for the originals among the ids."""
    rows = Article.objects.filter(version_of__in=article_ids).values("version_of").annotate(n=Count("id")).order_by()
    return {row["version_of"]: row["n"] for row in rows}


def _original_deleting(sender, instance, **kwargs):
    # on_delete=SET_NULL empties the versions' version_of before post_delete: remember them now.
    instance._version_ids = list(instance.versions.values_list("pk", flat=True))


def _original_deleted(sender, instance, **kwargs):
    if getattr(instance, "_version_ids", None):
        article_versions_promote(version_ids=instance._version_ids)


def connect_signals() -> None:
    """Promote a version whenever an original is deleted (admin, shell or service alike)."""
    pre_delete.connect(_original_deleting, sender=Article, dispatch_uid="articles.versions.deleting")
    post_delete.connect(_original_deleted, sender=Article, dispatch_uid="articles.versions.deleted")
