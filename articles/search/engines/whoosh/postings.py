"""A word's postings as numpy arrays, read from Whoosh's segment files without its matcher.

Whoosh 2.7.4 stores a word's postings in blocks of up to 128 (blocks.py); reading them a
block at a time beats stepping through them one posting at a time. A block is
stored as one pickled tuple with the positions of every posting, so reading a word that
most documents contain still costs tens of milliseconds at 100k articles: a large
segment's common words are read once when its columns are made (columns.py) and kept
beside them as plain arrays, mapped from disk.
"""

import pickle
from itertools import chain

import numpy as np
from whoosh.formats import Positions
from whoosh.system import _INT_SIZE, pack_ushort

from .blocks import TERM_INFO, UnknownPostings, posting_blocks, read_block, term_info_extent

CONTENT_FIELD = "text"  # haystack's document field
FREQUENT_SHARE = 0.2
FREQUENT_MIN_DOCS = 5000  # smaller segments' postings are quick to read anyway


def read_postings(reader, text: bytes, with_positions: bool = False, field: str = CONTENT_FIELD):
    """(document numbers, weights) of the word's postings in this segment reader, deleted documents
    included; with_positions, the encoded positions of each posting as a third item.

    The word's postings come in one read and their blocks are unpacked here (blocks.py): Whoosh's
    matcher reads each block's length, info and data in small reads of their own and adds its ids
    up in Python (a word in 79,000 documents of the 100k archive: 75 ms that way, 60 ms here, most
    of it unpickling the blocks). Postings inlined in the term table are read by the matcher.
    """
    terms = reader._terms
    info = terms._tindex[pack_ushort(terms._fieldmap[field]) + text]  # callers look the word up first
    if TERM_INFO.unpack_from(info)[0]:  # inlined in the term table
        return _matcher_postings(reader, text, with_positions, field)
    offset, length = term_info_extent(info)
    value_size = reader.schema[field].format.fixed_value_size()
    deltas, weights, values, last_ids = [], [], [], []
    try:
        for block in posting_blocks(terms._postfile.get(offset, length)):
            (count, last_id, _, _, _, _), data = read_block(block)
            block_deltas, block_weights, block_values = pickle.loads(data)
            deltas.append(block_deltas)
            last_ids.append(last_id)
            weights.extend([1.0] * count if block_weights is None
                           else [block_weights] * count if isinstance(block_weights, float) else block_weights)
            if with_positions:
                values.extend(_block_values(block_values, count, value_size))
    except UnknownPostings:
        return _matcher_postings(reader, text, with_positions, field)
    found = _ids_from_deltas(deltas, last_ids), np.array(weights, dtype=np.float64)
    return found + (values,) if with_positions else found


def _ids_from_deltas(deltas: list[tuple], last_ids: list[int]) -> np.ndarray:
    """Document numbers from each block's delta-coded ids (a block's first delta is its first id)."""
    lengths = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    summed = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(lengths.sum()))
    firsts = np.cumsum(lengths)[:-1]
    summed[firsts] -= np.array(last_ids[:-1], dtype=np.int64)  # each block then adds on to the block before
    return np.cumsum(summed)


def _block_values(values, count: int, value_size: int | None):
    """One block's values, one per posting, as W3LeafMatcher._read_values gives them."""
    if value_size is None or value_size < 0:
        return values
    if value_size == 0:
        return (None,) * count
    return tuple(values[n:n + value_size] for n in range(0, len(values), value_size))


def _matcher_postings(reader, text: bytes, with_positions: bool, field: str):
    """read_postings through Whoosh's block matcher: postings inlined in the term table."""
    matcher = reader._terms.matcher(field, text, reader.schema[field].format)
    ids, weights, values = [], [], []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        if with_positions:
            matcher._read_values()
            values.extend(matcher._values)
        matcher._next_block()
    found = np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    return found + (values,) if with_positions else found


def frequent_postings(reader) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{word: (int32 document numbers, uint16 weights)} for the words in at least FREQUENT_SHARE of
    the segment's documents.

    6 bytes a posting, saved with the segment's columns and mapped, not loaded, by the workers:
    generated wire copy has ~230 such postings per article (~140 MB at 100k articles, a sixth
    of its index); real text, fewer. Only words whose weights are whole numbers below 2**16
    (plain term frequencies) are kept, so the arrays give back exactly what read_postings() reads.
    """
    size = reader.doc_count_all()
    if size < FREQUENT_MIN_DOCS or CONTENT_FIELD not in reader.schema:
        return {}
    frequent = {}
    for text, info in reader.iter_field(CONTENT_FIELD):
        if info.doc_frequency() >= FREQUENT_SHARE * size:
            ids, weights = read_postings(reader, text)
            if whole_numbers_below(weights, 2**16):
                frequent[text.decode("utf-8")] = (ids.astype(np.int32), weights.astype(np.uint16))
    return frequent


def whole_numbers_below(weights: np.ndarray, bound: int) -> bool:
    """Whether every weight is a whole number below bound: a plain term frequency (no field boost)."""
    return np.array_equal(weights, np.floor(weights)) and bool((weights < bound).all())


_PICKLED_LIST = b"\x80\x02"  # Positions.encode(): a 4-byte count, then pickle.dumps(deltas, 2), at times without its "."


def decoded_positions(format, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(starts, positions) of encoded postings: the i-th posting's positions are positions[starts[i]:starts[i + 1]].

    Whoosh's Positions.decode_positions unpickles each posting and adds its deltas up in Python:
    a phrase of two common words decoded ~13,000 postings that way in a worker's first search
    of it (~15 ms at 10k articles). Here the postings' pickled lists are laid end to end as one
    pickled list of lists (one loads) and the deltas are summed by numpy. Another format, or a
    value not as Positions.encode() writes it, is decoded Whoosh's way.
    """
    if type(format) is Positions and all(value.startswith(_PICKLED_LIST, _INT_SIZE) for value in values):
        body = b"".join(value[_INT_SIZE + 2:-1] if value.endswith(b".") else value[_INT_SIZE + 2:] for value in values)
        deltas = pickle.loads(b"\x80\x02(" + body + b"l.")
    else:
        deltas = [np.diff(format.decode_positions(value), prepend=0) for value in values]
    lengths = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    starts = np.zeros(len(deltas) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    summed = np.cumsum(np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(starts[-1])))
    # Each posting's deltas start again from 0: take away what the postings before it summed to.
    before = np.concatenate(([0], summed))[starts[:-1]]
    return starts, (summed - np.repeat(before, lengths)).astype(np.int32)
