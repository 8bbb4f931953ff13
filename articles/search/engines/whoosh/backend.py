"""haystack's Whoosh backend as Newsdesk uses it: the schema from the SearchIndex, our analysis, our errors.

haystack stays the indexing vocabulary (articles/search_indexes.py declares the fields);
this backend builds the Whoosh schema from them with Newsdesk's analyzer, and opens the
index. Everything else (searching, writing, rebuilding) is the engine's own code.
"""

import contextlib
import json
import pickle
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh import index as whoosh_index
from whoosh.fields import TEXT, Schema

from ...analysis import ANALYSIS_VERSION
from ..base import SearchUnavailable
from .analysis import NewsdeskAnalyzer
from .prefixes import WordPrefixParser
from .searchers import index_exists, reading_latest

# What reading a missing, truncated or damaged Whoosh index raises. Anything else is a bug, not an outage.
STORAGE_ERRORS = (
    OSError, EOFError, whoosh_index.IndexError, whoosh_index.LockError, struct.error, zlib.error, pickle.UnpicklingError,
)
MARKER = "newsdesk-index.json"  # beside Whoosh's files: the analysis the index was built with


class NewsdeskWhooshBackend(WhooshSearchBackend):
    def setup(self):
        """Open the index (haystack creates an empty one when there is none) and mark a new one with our analysis.

        Its query parser matches prefixes by word (prefixes.py).
        """
        super().setup()
        self.parser = WordPrefixParser(self.parser, self)
        if self.use_file_storage and analysis_of(self.path) is None and self.index.doc_count_all() == 0:
            mark_analysis(self.path)

    def build_schema(self, fields):
        """haystack's schema, with every text field analysed by Newsdesk and not stored.

        Pages read the article text from the database, so the index need not store it
        (haystack stores it twice: as a stored field and as a sort column).
        """
        content_field_name, schema = super().build_schema(fields)
        # Sub-fields (the spelling words of the content field: spell_text) come with their field.
        subfields = {prefix + name for name in schema.names() for prefix, _ in schema[name].subfields() if prefix}
        built = {}
        for name in [name for name in schema.names() if name not in subfields]:
            field = schema[name]
            if isinstance(field, TEXT):
                field = TEXT(analyzer=NewsdeskAnalyzer(), phrase=True, spelling=name == content_field_name)
            built[name] = field
        return content_field_name, Schema(**built)


class NewsdeskWhooshEngine(WhooshEngine):
    """The HAYSTACK_CONNECTIONS engine when Newsdesk runs on Whoosh."""

    backend = NewsdeskWhooshBackend


def search_backend() -> NewsdeskWhooshBackend:
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend


def backend_at(path: Path) -> NewsdeskWhooshBackend:
    """A backend on another index directory (a rebuild's fresh one), created if missing."""
    backend = NewsdeskWhooshBackend("default", PATH=str(path), SILENTLY_FAIL=False)
    backend.setup()
    mark_analysis(path)
    return backend


def require_index() -> None:
    """Raise SearchUnavailable when there is no index on disk (haystack would silently make an empty one)."""
    try:
        present = reading_latest(lambda: index_exists(str(settings.INDEX_DIR)))
    except STORAGE_ERRORS as error:  # an unreadable table of contents
        raise SearchUnavailable(f"the search index is unreadable: {error}") from error
    if not present:
        raise SearchUnavailable("there is no search index")


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Report a missing or damaged index as SearchUnavailable; let every other error through."""
    try:
        yield
    except SearchUnavailable:
        raise
    except STORAGE_ERRORS as error:
        raise SearchUnavailable(f"the search index is unreadable: {error}") from error


def mark_analysis(path: Path) -> None:
    """Record beside a new index which analysis builds it."""
    (Path(path) / MARKER).write_text(json.dumps({"analysis": ANALYSIS_VERSION}))


def analysis_of(path: Path) -> str | None:
    try:
        return json.loads((Path(path) / MARKER).read_text()).get("analysis")
    except (OSError, ValueError, AttributeError):
        return None
