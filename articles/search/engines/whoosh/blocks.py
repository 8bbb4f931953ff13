"""Whoosh 3's posting lists as bytes, read without its matcher.

A word's term info ends with the offset and length of its postings in the segment's postings
file: a header, then blocks. A block is its length (negative for the word's last block), a
pickled info tuple (postings, last id, highest weight, compression level, lowest and highest
length byte), then a pickle of (delta-coded ids, weights, values), compressed at that level.
postings.read_postings reads a word's blocks from one read of its postings; segment_merging
copies them block by block.
"""

import io
import pickle
import zlib
from collections.abc import Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import _INT_SIZE, _LONG_SIZE, unpack_int, unpack_long

TERM_INFO = W3TermInfo._struct  # flags, total weight, document frequency, min/max length bytes, max weight, first/last id


class UnknownPostings(Exception):
    """Postings not laid out as this module reads them (inlined in the term table, or without Whoosh 3's header)."""


def term_info_extent(info: bytes) -> tuple[int, int]:
    """(offset, length) of a word's postings in the postings file, from its term info (W3TermInfo.from_bytes
    reads the length as a 1-tuple)."""
    offset = unpack_long(info[TERM_INFO.size:TERM_INFO.size + _LONG_SIZE])[0]
    return offset, unpack_int(info[TERM_INFO.size + _LONG_SIZE:TERM_INFO.size + _LONG_SIZE + _INT_SIZE])[0]


def posting_blocks(raw: bytes) -> Iterator[bytes]:
    """The blocks (info tuple, then data) of a word's postings in one segment, without their lengths."""
    if raw[:len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        raise UnknownPostings("a posting list without Whoosh 3's header")
    position, final = len(WHOOSH3_HEADER_MAGIC), False
    while not final:
        length = unpack_int(raw[position:position + _INT_SIZE])[0]
        final = length < 0  # the word's last block
        yield raw[position + _INT_SIZE:position + _INT_SIZE + abs(length)]
        position += _INT_SIZE + abs(length)


def read_block(block: bytes) -> tuple[tuple, bytes]:
    """(info tuple, uncompressed data pickle) of a block."""
    stream = io.BytesIO(block)
    info = pickle.load(stream)
    data = block[stream.tell():]
    return info, zlib.decompress(data) if info[3] else data
