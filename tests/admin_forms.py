"""Form data for the admin's article page, as a browser would post it."""

INLINE_PREFIXES = ("articleactordecisions", "articletopicdecisions")


def article_form(**fields) -> dict:
    """The article change form's fields plus the (empty) management forms of its inlines."""
    data = {"headline": "", "date": "2024-06-01", "body": "", "source": "", "actors": [], "topics": []}
    data.update(fields)
    for prefix in INLINE_PREFIXES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data
