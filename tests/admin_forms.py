"""Form data for the admin's article page, as a browser would post it."""

INLINE_PREFIXES = ("articleactordecisions", "articletopicdecisions")


def article_form(article=None, **fields) -> dict:
    """The article change form's fields plus the (empty) management forms of its inlines.

    With the article, the form carries its version now, as a form just opened would.
    """
    from articles.conflicts import record_version
    from articles.models import Article

    data = {"headline": "", "date": "2024-06-01", "body": "", "source": "", "actors": [], "topics": []}
    if article is not None:
        data["edited_version"] = str(record_version(Article, article.pk))
    data.update(fields)
    for prefix in INLINE_PREFIXES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data
