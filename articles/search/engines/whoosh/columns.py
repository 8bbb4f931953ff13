"""Per-document columns of the Whoosh index as numpy arrays: what filters and facets need.

Whoosh answers "which articles have actor X" and "count actors over these hits" by walking
postings in Python on every search (STACK.md: facets cost more than the query). Here each
segment's columns are read once: article id, date, created, is_version, and the
(document, actor) and (document, topic) pairs, and (large segments) the postings of the
common words (postings.py). Segments never change once written (only
their deletions grow), so the columns are saved beside the index under the segment's id
and any worker loads them instead of reading postings again; the common words' postings,
the bulk of them, are saved as arrays of their own that workers map rather than load. A
searcher's columns are the
segments' columns laid end to end at their document offsets, cached per index generation.
"""

import dataclasses
import datetime
import functools
import logging
import os
import tempfile
import threading
from pathlib import Path

import numpy as np
from django.conf import settings
from whoosh.fields import TEXT

from .postings import CONTENT_FIELD, frequent_postings
from .searchers import current_searcher
from .spelling import Vocabulary, searcher_vocabulary, spelling_words

log = logging.getLogger(__name__)

KEYWORD_FIELDS = ("actors", "topics")
_EPOCH = datetime.date(1970, 1, 1)
_FORMAT_VERSION = 5  # bump when the saved layout changes: older files are then rebuilt


@dataclasses.dataclass(frozen=True)
class Keywords:
    """One keyword field as pairs: docs[i] carries vocab[terms[i]], in document order."""

    docs: np.ndarray  # int32 document numbers, ascending
    terms: np.ndarray  # int32 positions in vocab
    vocab: tuple[str, ...]

    @classmethod
    def in_document_order(cls, docs: np.ndarray, terms: np.ndarray, vocab: tuple[str, ...]) -> "Keywords":
        if len(docs) and (np.diff(docs) < 0).any():
            order = np.argsort(docs, kind="stable")
            docs, terms = docs[order], terms[order]
        return cls(docs, terms, vocab)

    def counts(self, selected: np.ndarray) -> dict[str, int]:
        """{value: number of selected documents carrying it}, for values with at least one."""
        totals = np.bincount(self._selected_terms(selected), minlength=len(self.vocab))
        carried = np.flatnonzero(totals).tolist()  # thousands of actors for a broad query: no numpy scalars
        vocab = self.vocab
        return dict(zip([vocab[term] for term in carried], totals[carried].tolist()))

    def _selected_terms(self, selected: np.ndarray) -> np.ndarray:
        """The terms of the selected documents' pairs. Few documents: gather just their runs of pairs."""
        docnums = np.flatnonzero(selected)
        if 2 * len(docnums) >= len(selected):
            return self.terms[selected[self.docs]]
        docnums = docnums[docnums < len(self._doc_starts) - 1]
        starts = self._doc_starts[docnums]
        lengths = self._doc_starts[docnums + 1] - starts
        # Positions starts[i] .. starts[i] + lengths[i] - 1 of every run, in one vector.
        run_offsets = np.cumsum(lengths) - lengths
        return self.terms[np.repeat(starts - run_offsets, lengths) + np.arange(lengths.sum())]

    @functools.cached_property
    def _doc_starts(self) -> np.ndarray:
        """_doc_starts[d] .. _doc_starts[d + 1]: the pairs of document d (up to the last with any)."""
        last = int(self.docs[-1]) + 1 if len(self.docs) else 0
        return np.searchsorted(self.docs, np.arange(last + 1))

    def values_by_document(self) -> dict[int, frozenset[str]]:
        """{document number: the values it carries}, for documents carrying any."""
        found: dict[int, set[str]] = {}
        vocab = self.vocab
        for doc, term in zip(self.docs.tolist(), self.terms.tolist()):
            found.setdefault(doc, set()).add(vocab[term])
        return {doc: frozenset(values) for doc, values in found.items()}

    def carrying(self, values: list[str], size: int) -> np.ndarray:
        """A mask of the documents carrying any of the values."""
        docs_by_term, term_starts = self._by_term
        mask = np.zeros(size, dtype=bool)
        for position in {self._position(value) for value in values} - {-1}:
            mask[docs_by_term[term_starts[position]:term_starts[position + 1]]] = True
        return mask

    @functools.cached_property
    def _by_term(self) -> tuple[np.ndarray, np.ndarray]:
        """(the documents sorted by term, where each term's run starts): a value's documents in one slice."""
        narrow = self.terms.astype(np.int16) if len(self.vocab) < 2**15 else self.terms  # int16 sorts by radix
        docs_by_term = self.docs[np.argsort(narrow, kind="stable")]
        term_starts = np.concatenate([[0], np.cumsum(np.bincount(self.terms, minlength=len(self.vocab)))])
        return docs_by_term, term_starts

    def _position(self, value: str) -> int:
        try:
            return self._positions[value]
        except KeyError:
            return -1  # a value no document carries matches nothing

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        return {value: position for position, value in enumerate(self.vocab)}


@dataclasses.dataclass(frozen=True)
class Columns:
    """Columns over a run of document numbers (one segment, or a whole searcher)."""

    article_ids: np.ndarray  # int64, 0 where a document has no id
    days: np.ndarray  # int32 days since 1970-01-01 of the article's date
    created: np.ndarray  # int64 microseconds since 1970-01-01 UTC
    is_version: np.ndarray  # bool
    # {text field: int32 lengths as Whoosh scores them (lossy, from one byte)}: "text" (the content), "headline"
    lengths: dict[str, np.ndarray]
    live: np.ndarray  # bool: False for deleted documents
    keywords: dict[str, Keywords]
    # One segment's common words' postings (postings.py), mapped from disk; empty for a whole searcher's columns.
    frequent: dict[str, tuple[np.ndarray, np.ndarray]] = dataclasses.field(default_factory=dict)
    # One segment's spelling words and their document frequencies (spelling.py); empty for a whole searcher's.
    spelling: tuple[list[str], np.ndarray] = dataclasses.field(default_factory=lambda: ([], np.zeros(0, dtype=np.int64)))

    @property
    def size(self) -> int:
        return len(self.article_ids)


def day_number(day: datetime.date) -> int:
    return (day - _EPOCH).days


def microseconds(moment: datetime.datetime) -> int:
    """Microseconds since the epoch, reading a naive datetime as UTC (as the index stores it)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return (moment - datetime.datetime(1970, 1, 1)) // datetime.timedelta(microseconds=1)


# --- a searcher's columns ---------------------------------------------------------------

_generation_cache: dict[tuple, Columns] = {}
_segment_cache: dict[str, Columns] = {}
_lock = threading.Lock()


def searcher_columns(searcher) -> Columns:
    """The columns of every document the searcher sees, indexed by its document numbers."""
    leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers() if sub.reader().segment()]
    key = tuple((reader.segment().segment_id(), offset, reader.doc_count()) for reader, offset in leaves)
    with _lock:
        cached = _generation_cache.get(key)
        if cached is None:
            cached = _concatenate([_live_columns(reader) for reader, _ in leaves])
            _generation_cache.clear()  # one generation at a time: the newest
            _generation_cache[key] = cached
            _forget_segments_except({segment_id for segment_id, _, _ in key})
    return cached


def searcher_spelling(searcher) -> Vocabulary:
    """The spelling words of the searcher's segments (the content's unstemmed words), kept with their columns."""
    return searcher_vocabulary(searcher, lambda reader: segment_columns(reader).spelling)


def _live_columns(reader) -> Columns:
    """A segment's columns with its current deletions applied to `live`."""
    columns = segment_columns(reader)
    if not reader.has_deletions():
        return columns
    live = np.zeros(columns.size, dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return dataclasses.replace(columns, live=live)


def _concatenate(segments: list[Columns]) -> Columns:
    if len(segments) == 1:
        return segments[0]
    if not segments:  # an index without documents
        return _empty_columns()
    offsets = np.cumsum([0] + [segment.size for segment in segments[:-1]])
    keywords = {}
    for field in KEYWORD_FIELDS:
        vocab = sorted({value for segment in segments for value in segment.keywords[field].vocab})
        position = {value: number for number, value in enumerate(vocab)}
        docs, terms = [], []
        for segment, offset in zip(segments, offsets):
            own = segment.keywords[field]
            remap = np.array([position[value] for value in own.vocab], dtype=np.int32)
            docs.append(own.docs + np.int32(offset))
            terms.append(remap[own.terms] if len(own.vocab) else own.terms)
        keywords[field] = Keywords(np.concatenate(docs), np.concatenate(terms), tuple(vocab))  # segments follow each other
    return Columns(
        article_ids=np.concatenate([segment.article_ids for segment in segments]),
        days=np.concatenate([segment.days for segment in segments]),
        created=np.concatenate([segment.created for segment in segments]),
        is_version=np.concatenate([segment.is_version for segment in segments]),
        lengths={field: np.concatenate([segment.lengths[field] for segment in segments])
                 for field in set.intersection(*(set(segment.lengths) for segment in segments))},
        live=np.concatenate([segment.live for segment in segments]),
        keywords=keywords,
    )


def _empty_columns() -> Columns:
    none = np.zeros(0, dtype=np.int32)
    return Columns(
        article_ids=np.zeros(0, dtype=np.int64), days=none, created=np.zeros(0, dtype=np.int64),
        is_version=np.zeros(0, dtype=bool), lengths={CONTENT_FIELD: none}, live=np.zeros(0, dtype=bool),
        keywords={field: Keywords(none, none, ()) for field in KEYWORD_FIELDS},
    )


def _forget_segments_except(segment_ids: set[str]) -> None:
    for segment_id in set(_segment_cache) - segment_ids:
        del _segment_cache[segment_id]


# --- one segment: from memory, from its saved file, or read from the index ---------------

def segment_columns(reader) -> Columns:
    """One segment's columns (deletions not applied), computed once and saved for every process."""
    segment_id = reader.segment().segment_id()
    columns = _segment_cache.get(segment_id)
    if columns is None:
        path = columns_dir() / f"{segment_id}.v{_FORMAT_VERSION}.npz"
        columns = _load(path, reader.doc_count_all())
        if columns is None:
            columns = _read_segment(reader)
            _save(path, columns)
        _segment_cache[segment_id] = columns
    return columns


def columns_dir() -> Path:
    """Beside the index directory, so an index rebuilt into a fresh directory shares it."""
    return Path(settings.INDEX_DIR).parent / f"{Path(settings.INDEX_DIR).name}-columns"


def _read_segment(reader) -> Columns:
    size = reader.doc_count_all()
    return Columns(
        article_ids=_id_column(reader, size),
        days=_date_column(reader, "date", size, lambda value: day_number(value.date())).astype(np.int32),
        created=_date_column(reader, "created", size, microseconds),
        is_version=_flag_column(reader, "is_version", size),
        lengths={field: _length_column(reader, field, size) for field in scored_fields(reader.schema)},
        live=np.ones(size, dtype=bool),
        keywords={field: _keyword_pairs(reader, field) for field in KEYWORD_FIELDS},
        frequent=frequent_postings(reader),
        spelling=spelling_words(reader, spelling_field(reader.schema)),
    )


def spelling_field(schema) -> str:
    """The field of the content's unstemmed words ("spell_text"), which "did you mean" picks from."""
    return schema[CONTENT_FIELD].spelling_fieldname(CONTENT_FIELD) if CONTENT_FIELD in schema else ""


def scored_fields(schema) -> list[str]:
    """The text fields (the content and the headline), whose lengths scoring needs."""
    return sorted(name for name, field in schema.items() if isinstance(field, TEXT) and field.scorable)


def _length_column(reader, field: str, size: int) -> np.ndarray:
    return np.array([reader.doc_field_length(docnum, field) or 0 for docnum in range(size)], dtype=np.int32)


def _id_column(reader, size: int) -> np.ndarray:
    ids = np.zeros(size, dtype=np.int64)
    for term in reader.lexicon("django_id"):
        ids[list(reader.postings("django_id", term).all_ids())] = int(term.decode())
    return ids


def _date_column(reader, field: str, size: int, convert) -> np.ndarray:
    """A sortable DATETIME field's values (haystack makes date fields sortable)."""
    values = np.zeros(size, dtype=np.int64)
    if reader.has_column(field):
        for docnum, value in enumerate(reader.column_reader(field)):
            if value is not None:
                values[docnum] = convert(value)
    return values


def _flag_column(reader, field: str, size: int) -> np.ndarray:
    flags = np.zeros(size, dtype=bool)
    if field in reader.schema:
        true_term = reader.schema[field].to_bytes(True)
        if (field, true_term) in reader:
            flags[list(reader.postings(field, true_term).all_ids())] = True
    return flags


def _keyword_pairs(reader, field: str) -> Keywords:
    docs, terms, vocab = [], [], []
    if field in reader.schema:
        for term in reader.lexicon(field):
            found = list(reader.postings(field, term).all_ids())
            docs.extend(found)
            terms.extend([len(vocab)] * len(found))
            vocab.append(term.decode())
    return Keywords.in_document_order(np.array(docs, dtype=np.int32), np.array(terms, dtype=np.int32), tuple(vocab))


def _save(path: Path, columns: Columns) -> None:
    """Write atomically (another worker may be loading the same segment's files); the mapped postings first."""
    arrays = {
        "article_ids": columns.article_ids, "days": columns.days, "created": columns.created,
        "is_version": columns.is_version,
    }
    arrays.update({f"lengths_{field}": lengths for field, lengths in columns.lengths.items()})
    for field, keywords in columns.keywords.items():
        arrays[f"{field}_docs"], arrays[f"{field}_terms"] = keywords.docs, keywords.terms
        arrays[f"{field}_vocab"] = np.array(keywords.vocab, dtype=str)
    arrays["frequent_words"], arrays["frequent_starts"], mapped = _frequent_arrays(columns.frequent)
    words, arrays["spelling_counts"] = columns.spelling
    # One UTF-8 text, a word a line: a fixed-width string array would take its longest word's room per word.
    arrays["spelling_words"] = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for name, array in mapped.items():
            _write_atomically(_mapped_path(path, name), lambda handle, array=array: np.save(handle, array))
        _write_atomically(path, lambda handle: np.savez(handle, **arrays))
    except OSError as error:  # a read-only data dir only costs the next worker the same work
        log.warning("could not save index columns to %s: %s", path, error)


def _write_atomically(path: Path, write) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
        write(handle)
    os.chmod(handle.name, 0o644)  # temporary files are private; web workers may run as another user
    os.replace(handle.name, path)


def _mapped_path(path: Path, name: str) -> Path:
    """MAIN_x.v5.npz -> MAIN_x.v5.frequent_ids.npy"""
    return path.with_suffix(f".{name}.npy")


def _load(path: Path, size: int) -> Columns | None:
    try:
        with np.load(path) as saved:
            columns = Columns(
                article_ids=saved["article_ids"], days=saved["days"], created=saved["created"],
                is_version=saved["is_version"], live=np.ones(size, dtype=bool),
                lengths={name.removeprefix("lengths_"): saved[name] for name in saved.files if name.startswith("lengths_")},
                keywords={
                    field: Keywords.in_document_order(
                        saved[f"{field}_docs"], saved[f"{field}_terms"], tuple(saved[f"{field}_vocab"].tolist()))
                    for field in KEYWORD_FIELDS
                },
                frequent=_frequent_from(saved, path),
                spelling=(_lines(saved["spelling_words"]), saved["spelling_counts"]),
            )
    except (OSError, KeyError, ValueError):
        return None
    return columns if columns.size == size else None


def _lines(utf8: np.ndarray) -> list[str]:
    return utf8.tobytes().decode("utf-8").split("\n") if len(utf8) else []


def _frequent_arrays(frequent: dict) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The common words, where each word's run starts, and their postings laid end to end (to be mapped)."""
    words = sorted(frequent)
    word_array = np.array(words, dtype=str)
    starts = np.concatenate([[0], np.cumsum([len(frequent[word][0]) for word in words], dtype=np.int64)])
    if not words:
        return word_array, starts, {}  # np.concatenate() of no postings would fail
    return word_array, starts, {
        "frequent_ids": np.concatenate([frequent[word][0] for word in words]),
        "frequent_weights": np.concatenate([frequent[word][1] for word in words]),
    }


def _frequent_from(saved, path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    words, starts = saved["frequent_words"].tolist(), saved["frequent_starts"]
    if not words:
        return {}
    ids = np.load(_mapped_path(path, "frequent_ids"), mmap_mode="r")
    weights = np.load(_mapped_path(path, "frequent_weights"), mmap_mode="r")
    if not len(ids) == len(weights) == starts[-1]:
        raise ValueError(f"{path.name}: its mapped postings do not match it")
    return {word: (ids[starts[n]:starts[n + 1]], weights[starts[n]:starts[n + 1]]) for n, word in enumerate(words)}


def columns_prepare(backend) -> None:
    """Save the columns of every segment of the backend's index that has none yet (after index
    writes), so that web workers load them instead of reading postings; delete those of
    segments the index no longer has."""
    keep = set()
    for leaf, _ in current_searcher(backend).leaf_searchers():
        if leaf.reader().segment():
            segment_columns(leaf.reader())
            keep.add(leaf.reader().segment().segment_id())
    _columns_prune(keep)


def _columns_prune(keep: set[str]) -> None:
    """Delete the files of segments not kept, and those of another layout (MAIN_x.v4.npz)."""
    directory = columns_dir()
    if directory.is_dir():
        for path in [*directory.glob("*.npz"), *directory.glob("*.npy")]:
            segment_id, version = path.name.split(".")[:2]
            if segment_id not in keep or version != f"v{_FORMAT_VERSION}":
                path.unlink(missing_ok=True)
