"""The search document of an article, as every engine receives it: haystack's SearchIndex prepares it.

# Article 12 "Gas talks" -> {"id": "articles.article.12", "django_id": "12", "text": "Gas talks\n\n...",
#     "headline": "Gas talks", "date": date(2024, 5, 16), "actors": ["russia"], "month": ["2024-05"], ...}
The fields are declared in articles/search_indexes.py; engines convert the values to their own types.
"""

from haystack import connections
from haystack.exceptions import SkipDocument

from articles.models import Actor, ActorRedirect, Article, TopicRedirect


def search_document(article: Article) -> dict | None:
    """The article's document (actors and topics prefetched saves two queries), or None when it is not indexed."""
    try:
        document = article_index().full_prepare(article)
    except SkipDocument:
        return None
    document.pop("boost", None)  # per-document boosts: no engine here uses them
    return document


def article_index():
    return connections["default"].get_unified_index().get_index(Article)


def document_id(article_id: int) -> str:
    """haystack's document id for an article id ("articles.article.12")."""
    return f"{Article._meta.label_lower}.{article_id}"


def label_slugs(label) -> tuple[str, ...]:
    """The slugs an actor's or topic's documents may carry: its own, and its old ones (renamed, or of
    the labels merged into it). A rename or merge queues its articles to be indexed again; until each is,
    its document carries the old slug, so filters ask for every one of them, and the view stays whole
    meanwhile. No other label ever takes an old slug (the admin refuses it)."""
    known = getattr(label, "_index_slugs", None)
    if known is None:
        redirects = ActorRedirect.objects.filter(actor=label.pk) if isinstance(label, Actor) else \
            TopicRedirect.objects.filter(topic=label.pk)
        known = label._index_slugs = (label.slug, *sorted(redirects.values_list("old_slug", flat=True)))
    return known


def labels_slugs(labels) -> list[str]:
    """label_slugs of every label, in order."""
    return [slug for label in labels for slug in label_slugs(label)]
