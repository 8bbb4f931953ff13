"""The postings of the words searched last, kept in memory as arrays: researchers search the same words again.

Reading a common word from Whoosh's segment files means unpickling and decompressing every
block of it (~5 ms per word and segment at 10k articles, ten times more at 100k), and a
phrase also decodes every posting's positions. Segments never change once written (their
deletions are applied from the columns), so a word's arrays stay right as long as its
segment exists; the least recently used are dropped past BYTES_KEPT of arrays.

# kept_postings(reader, "text", b"govern") -> (ids int64, weights float64)
# kept_positions(reader, "text", b"peac") -> (ids, weights, starts int64, positions int32):
#   the positions of the i-th posting are positions[starts[i]:starts[i + 1]]
"""

import threading
from collections import OrderedDict

import numpy as np

from .postings import decoded_positions, read_postings

BYTES_KEPT = 32 * 2**20  # per worker: 16 bytes a posting, 4 a position (~2M postings)

_kept: OrderedDict = OrderedDict()  # (segment id, field, word, with positions) -> (arrays, postings)
_size = 0
_lock = threading.Lock()


def kept_postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of the word in this segment, deleted documents included."""
    return _kept_or_read(reader, field, text, False, lambda: read_postings(reader, text, field=field))


def kept_positions(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(document numbers, weights, where each posting's positions start, every position laid end to end)."""
    def read():
        ids, weights, values = read_postings(reader, text, with_positions=True, field=field)
        return ids, weights, *decoded_positions(reader.schema[field].format, values)
    return _kept_or_read(reader, field, text, True, read)


def _kept_or_read(reader, field: str, text: bytes, with_positions: bool, read):
    global _size
    key = (reader.segment().segment_id(), field, text, with_positions)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found[0]
    arrays = read()
    size = sum(array.nbytes for array in arrays)
    with _lock:
        if key not in _kept and size <= BYTES_KEPT:
            _kept[key] = (arrays, size)
            _size += size
            while _size > BYTES_KEPT:
                _, (_, dropped) = _kept.popitem(last=False)
                _size -= dropped
    return arrays

