"""What Newsdesk needs from Whoosh beyond haystack's API, kept in one place.

Accent folding, highlighting with the index's own analyzer, and listing what the
index holds. A distributed engine (Elasticsearch, Solr) would replace this module
with its native features.
"""

import contextlib
import functools
import datetime
import logging
import math
from collections.abc import Iterator

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, StemmingAnalyzer, Token
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, HtmlFormatter, highlight
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.support.charset import accent_map
from whoosh.writing import SegmentWriter

from .columns import searcher_columns
from .searchers import current_searcher

# "Bürgenstock" and "Burgenstock" index and query as the same term.
FOLDING_ANALYZER = StemmingAnalyzer() | CharsetFilter(accent_map)

_DJANGO_ID = "django_id"
log = logging.getLogger(__name__)


def highlight_snippet(text: str, query_words: list[str], fragments: int = 2) -> SafeString | None:
    """Return escaped fragments of text with the query words in <mark>, or None when none occur."""
    terms = {token.text for word in query_words for token in FOLDING_ANALYZER(word)}
    if not terms:
        return None
    formatter = HtmlFormatter(tagname="mark", between=" … ")
    fragmenter = ContextFragmenter(maxchars=220, surround=60)
    # HtmlFormatter escapes the text around and inside each highlighted token.
    html = highlight(text, terms, _analyzed_tokens, fragmenter, formatter, top=fragments,
                     scorer=_earlier_wins_ties, minscore=(1, -math.inf))
    return mark_safe(html) if html else None


def _earlier_wins_ties(fragment) -> tuple[float, int]:
    """Whoosh's fragment score, earlier fragments first among equals.

    Whoosh breaks ties by comparing fragment objects by id(), so the same article could
    show different snippets from one request to the next.
    """
    return _FRAGMENT_SCORE(fragment), -fragment.startchar


_FRAGMENT_SCORE = BasicFragmentScorer()


def _analyzed_tokens(text: str, **options) -> Iterator[Token]:
    """FOLDING_ANALYZER's tokens of text with their character spans, each distinct word analysed once.

    Highlighting ran the whole analyzer chain over every word of every result (half the
    time of a results page); the filters work word by word, so caching each word's
    result gives the same tokens.
    """
    token = Token(positions=True, chars=True, removestops=False, mode=options.get("mode", ""))
    for position, match in enumerate(_WORD.finditer(text)):
        token.text, token.stopped = _analyzed_word(match.group(0))
        token.boost, token.pos = 1.0, position
        token.startchar, token.endchar = match.span()
        yield token


_WORD = FOLDING_ANALYZER.items[0].expression  # the analyzer's tokenizer pattern


@functools.lru_cache(maxsize=100_000)
def _analyzed_word(word: str) -> tuple[str, bool]:
    """(text, stopped) of one word through FOLDING_ANALYZER, stop words kept as highlighting keeps them."""
    token = next(FOLDING_ANALYZER(word, removestops=False))
    return token.text, token.stopped


class IndexUnavailable(Exception):
    """The search index is missing or unreadable; text search must wait for a rebuild."""


@contextlib.contextmanager
def index_guard() -> Iterator[None]:
    """Turn a missing or corrupt index into IndexUnavailable instead of a traceback."""
    require_index()
    try:
        yield
    except IndexUnavailable:
        raise
    except Exception as error:  # Whoosh reports damaged files as many kinds of error
        log.exception("search index unreadable")
        raise IndexUnavailable(str(error)) from error


def require_index() -> None:
    """Raise IndexUnavailable when there is no index on disk (haystack would silently make an empty one)."""
    try:
        present = whoosh_index.exists_in(str(settings.INDEX_DIR))
    except Exception as error:  # an unreadable table of contents
        raise IndexUnavailable(f"the search index is unreadable: {error}") from error
    if not present:
        raise IndexUnavailable("there is no search index")


def index_schema_outdated(backend=None) -> bool:
    """Tell whether the index on disk was built with other fields than the code defines now."""
    backend = backend or search_backend()
    on_disk = backend.storage.open_index().schema
    return sorted(on_disk.names()) != sorted(backend.schema.names())


def search_backend():
    backend = connections["default"].get_backend()
    if not backend.setup_complete:
        backend.setup()
    return backend


def indexed_documents(backend=None) -> dict[int, datetime.datetime | None]:
    """Return {article id: its `updated` stamp} for every document in the index.

    Ids come from the index columns (articles.columns, saved per segment) and stamps from
    the `updated` column: the stored fields would mean unpacking every article's text.
    """
    searcher = current_searcher(backend or search_backend())
    columns = searcher_columns(searcher)
    updated = []
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        stamps = reader.column_reader("updated") if reader.has_column("updated") else None
        updated += list(stamps) if stamps is not None else [None] * reader.doc_count_all()
    return {int(columns.article_ids[docnum]): updated[docnum] for docnum in columns.live.nonzero()[0]}


def spelling_suggestion(words: list[str]) -> list[str] | None:
    """Return the words with each unknown one replaced by the closest term in the index, or None."""
    backend = search_backend()
    searcher = current_searcher(backend)
    corrector = searcher.corrector(backend.content_field_name)
    suggested, changed = [], False
    for word in words:
        known = any(True for token in FOLDING_ANALYZER(word) if searcher.frequency(backend.content_field_name, token.text))
        best = None if known else next(iter(corrector.suggest(word.lower(), limit=1)), None)
        suggested.append(best or word)
        changed = changed or bool(best and best != word.lower())
    return suggested if changed else None


def mark_terms(paragraphs: list[str], words: list[str]) -> tuple[list[SafeString], int]:
    """Escape each paragraph and wrap every occurrence of the query words in <mark id="hit-N">."""
    terms = {token.text for word in words for token in FOLDING_ANALYZER(word)}
    marked, hits = [], 0
    for text in paragraphs:
        pieces, position = [], 0
        for token in _analyzed_tokens(text) if terms else ():
            if token.text in terms and not token.stopped:
                hits += 1
                pieces.append(escape(text[position:token.startchar]))
                pieces.append(format_html('<mark id="hit-{}">{}</mark>', hits, text[token.startchar:token.endchar]))
                position = token.endchar
        pieces.append(escape(text[position:]))
        marked.append(mark_safe("".join(pieces)))
    return marked, hits


def document_fields(backend, search_index, obj) -> dict | None:
    """Return obj's search document as Whoosh field values (what haystack's update() writes), or None to skip it."""
    from haystack.exceptions import SkipDocument

    try:
        document = search_index.full_prepare(obj)
    except SkipDocument:
        return None
    document.pop("boost", None)  # document boosts are not supported by Whoosh 2.5+
    return {key: backend._from_python(value) for key, value in document.items()}


def remember_missing_columns(writer) -> None:
    """Save Whoosh a file-system lookup per posting when it writes the new segment.

    While writing postings, Whoosh asks whether each field has a length column, and for a
    field without one (the spelling and keyword fields) looks for the file again for every
    posting (a third of a drain's time). The answer cannot change for the segment being written.
    """
    open_reader = writer.per_document_reader

    def per_document_reader():
        reader = open_reader()
        has_column, known = reader.has_column, {}

        def has_column_remembered(fieldname):
            if fieldname not in known:
                known[fieldname] = has_column(fieldname)
            return known[fieldname]

        reader.has_column = has_column_remembered
        return reader

    writer.per_document_reader = per_document_reader


def bulk_add(backend, search_index, batches, processes: int = 1) -> int:
    """Add documents to an empty index with one Whoosh writer and one commit.

    haystack's update() opens a writer, replaces each document by id and commits per
    batch; into a fresh index none of that is needed, and one commit saves the repeated
    segment merges (STACK.md: rebuild time grows faster than linearly otherwise).
    With processes > 1 this process prepares the documents and that many sub-processes
    analyse and write them, one segment each (Whoosh's MpWriter).
    """
    if processes > 1:
        writer = ParallelWriter(backend.index, procs=processes, batchsize=PARALLEL_BATCH, multisegment=True, limitmb=128)
    else:
        writer = backend.index.writer(limitmb=256)
    remember_missing_columns(writer)
    added = 0
    try:
        for batch in batches:
            for obj in batch:
                fields = document_fields(backend, search_index, obj)
                if fields is not None:
                    writer.add_document(**fields)
                    added += 1
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    backend.index = backend.index.refresh()
    return added


PARALLEL_BATCH = 200  # documents per job file handed to a sub-writer


class ParallelWriter(MpWriter):
    """Whoosh's MpWriter with sub-writers that remember missing columns, and a cancel that stops them.

    MpWriter.cancel() only flags its copies of the sub-process objects: the sub-processes
    would wait for jobs forever and keep the command from exiting.
    """

    def _new_task(self):
        task = _SubWriter(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self):
        for task in self.tasks:
            task.terminate()
            task.join()
        SegmentWriter.cancel(self)


class _SubWriter(SubWriterTask):
    def run(self):
        # A forked process of its own: changing its SegmentWriter class changes nobody else's.
        original_init = SegmentWriter.__init__

        def init_remembering(writer, *args, **kwargs):
            original_init(writer, *args, **kwargs)
            remember_missing_columns(writer)

        SegmentWriter.__init__ = init_remembering
        super().run()
