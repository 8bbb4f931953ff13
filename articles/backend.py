"""What Newsdesk needs from Whoosh beyond haystack's API, kept in one place.

Accent folding, highlighting with the index's own analyzer, and listing what the
index holds. A distributed engine (Elasticsearch, Solr) would replace this module
with its native features.
"""

import datetime

from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.support.charset import accent_map

# "Bürgenstock" and "Burgenstock" index and query as the same term.
FOLDING_ANALYZER = StemmingAnalyzer() | CharsetFilter(accent_map)

_DJANGO_ID = "django_id"


def highlight_snippet(text: str, query_words: list[str], fragments: int = 2) -> SafeString | None:
    """Return escaped fragments of text with the query words in <mark>, or None when none occur."""
    terms = {token.text for word in query_words for token in FOLDING_ANALYZER(word)}
    if not terms:
        return None
    formatter = HtmlFormatter(tagname="mark", between=" … ")
    fragmenter = ContextFragmenter(maxchars=220, surround=60)
    # HtmlFormatter escapes the text around and inside each highlighted token.
    html = highlight(text, terms, FOLDING_ANALYZER, fragmenter, formatter, top=fragments)
    return mark_safe(html) if html else None


def indexed_documents() -> dict[int, datetime.datetime | None]:
    """Return {article id: its `updated` stamp} for every document in the index."""
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    index = backend.index.refresh()
    with index.searcher() as searcher:
        return {
            int(fields[_DJANGO_ID]): fields.get("updated")
            for fields in searcher.all_stored_fields()
        }
