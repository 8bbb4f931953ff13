"""The postings of the words searched last, and the matches of the phrases searched last, kept in memory:
researchers search the same words again, and page through the same phrase.

Reading a common word from Whoosh's segment files means unpickling and decompressing every
block of it (~5 ms per word and segment at 10k articles, ten times more at 100k). A phrase
reads its words' encoded positions too, and decodes those of the documents that have every
word; what it matched is kept per phrase. Segments never change once written (their
deletions are applied from the columns), so what is kept stays right as long as its segment
exists; the least recently used is dropped past BYTES_KEPT.

# kept_postings(reader, "text", b"govern") -> (ids int64, weights float64)
# kept_with_positions(reader, "text", b"peac") -> (ids, weights, encoded positions: one bytes per posting)
# kept_phrase(reader, "text", (b"peac", b"talk"), match) -> what match() returned, kept for the phrase
"""

import threading
from collections import OrderedDict

import numpy as np

from .postings import read_postings

BYTES_KEPT = 32 * 2**20  # per worker: 16 bytes a posting, ~45 per posting's encoded positions (~2M postings)
BYTES_OBJECT = 41  # a bytes object's own size (33) and its place in a list (8)

_kept: OrderedDict = OrderedDict()  # (segment id, field, word or phrase, what) -> (value, its size)
_size = 0
_lock = threading.Lock()


def kept_postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of the word in this segment, deleted documents included."""
    return _kept_or_read((reader.segment().segment_id(), field, text, "postings"),
                         lambda: read_postings(reader, text, field=field))


def kept_with_positions(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """(document numbers, weights, each posting's positions as Whoosh encodes them: postings.decoded_positions)."""
    return _kept_or_read((reader.segment().segment_id(), field, text, "with positions"),
                         lambda: read_postings(reader, text, with_positions=True, field=field))


def kept_phrase(reader, field: str, texts: tuple[bytes, ...], match):
    """What match() returns for this phrase's words in this segment: arrays, or dicts and tuples of them."""
    return _kept_or_read((reader.segment().segment_id(), field, texts, "phrase"), match)


def _kept_or_read(key: tuple, read):
    global _size
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found[0]
    value = read()
    size = _size_of(value)
    with _lock:
        if key not in _kept and size <= BYTES_KEPT:
            _kept[key] = (value, size)
            _size += size
            while _size > BYTES_KEPT:
                _, (_, dropped) = _kept.popitem(last=False)
                _size -= dropped
    return value


def _size_of(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, dict):
        return _size_of(list(value.values()))
    if value and isinstance(value, list) and isinstance(value[0], (bytes, type(None))):
        # Encoded positions: bytes, or None for every posting of a field that stores no values (ID).
        return sum(map(len, filter(None, value))) + BYTES_OBJECT * len(value)
    return sum(map(_size_of, value))
