"""The search document of an article, as every engine receives it: haystack's SearchIndex prepares it.

# Article 12 "Gas talks" -> {"id": "articles.article.12", "django_id": "12", "text": "Gas talks\n\n...",
#     "headline": "Gas talks", "date": date(2024, 5, 16), "actors": ["russia"], "month": ["2024-05"], ...}
The fields are declared in articles/search_indexes.py; engines convert the values to their own types.
"""

from haystack import connections
from haystack.exceptions import SkipDocument

from articles.models import Article


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
