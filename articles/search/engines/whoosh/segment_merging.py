"""Merge small segments by copying their blocks of postings: the segments Whoosh's MERGE_SMALL merges, merged faster.

    writer.commit(mergetype=merge_small_segments)

Whoosh 2.7.4 merges a segment by feeding each of its postings through the new segment's
posting pool (collected, sorted, spilled to disk and merged back) and encoding them again
one at a time. Merging 15 segments of 500 articles (4.9 million postings) took 22 s: a
quarter of the CPU time of ingesting 2,000 articles into a 100k archive.

Segments merged one after another keep their postings in order: document n of a segment
becomes document base + n of the merged one, so a word's merged postings are its postings in
each segment, one segment after the other. A block of postings (Whoosh 3's format: its
length, a pickled info tuple, then a compressed pickle of delta-coded ids, weights and
values) needs only its first id and last id moved by the base; the rest is copied. The
documents' stored fields, lengths and columns are copied by Whoosh's own code.

Which segments merge is MERGE_SMALL's choice. They become a segment of their own, beside the
writer's new documents (Whoosh puts both into one segment). Segments with deleted documents
are left to Whoosh's merge, which drops those documents.
"""

import heapq
import io
import itertools
import logging
import operator
import pickle
import types
import zlib

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3TermInfo
from whoosh.reading import SegmentReader
from whoosh.system import _INT_SIZE, _LONG_SIZE, _SHORT_SIZE, pack_int, pack_long, pack_ushort, unpack_int, unpack_long
from whoosh.util import fib
from whoosh.writing import MERGE_SMALL, SegmentWriter

log = logging.getLogger(__name__)

TERM_INFO = W3TermInfo._struct  # flags, total weight, document frequency, min/max length bytes, max weight, first/last id


class CannotCopy(Exception):
    """Postings this module does not copy (inlined in the term table): Whoosh merges them instead."""


def merge_small_segments(writer: SegmentWriter, segments: list) -> list:
    """A Whoosh merge policy: the segments MERGE_SMALL would merge, merged into one new segment by copying."""
    chosen = small_segments(segments)
    if len(chosen) < 2:
        return segments
    if not isinstance(writer.codec, W3Codec) or any(segment.has_deletions() for segment in chosen):
        return MERGE_SMALL(writer, segments)
    try:
        merged = merged_segment(writer, chosen)
    except CannotCopy as reason:  # the new segment's files are not in the table of contents: Whoosh deletes them
        log.info("segments merged by Whoosh: %s", reason)
        return MERGE_SMALL(writer, segments)
    return [segment for segment in segments if segment not in chosen] + [merged]


def small_segments(segments: list) -> list:
    """The segments MERGE_SMALL merges: the smallest first, up to the first i > 3 where the i + 1 smallest hold
    fewer than fib(i + 5) documents; none when there is no such i."""
    by_size = sorted(segments, key=lambda segment: segment.doc_count_all())
    total = 0
    for i, segment in enumerate(by_size):
        total += segment.doc_count_all()
        if i > 3 and total < fib(i + 5):
            return by_size[:i + 1]
    return []


def merged_segment(writer: SegmentWriter, segments: list):
    """A new segment holding the documents of `segments`, in their order (none may have deletions)."""
    storage, schema, codec = writer.storage, writer.schema, writer.codec
    segment = codec.new_segment(storage, writer.indexname)
    readers = [SegmentReader(storage, schema, each) for each in segments]
    try:
        per_document = codec.per_document_writer(storage, segment)
        # SegmentWriter.write_per_doc reads only these three attributes of its writer.
        copier = types.SimpleNamespace(schema=schema, perdocwriter=per_document, docnum=0)
        bases = []
        for reader in readers:
            bases.append(copier.docnum)
            indexed = {name for name in reader.indexed_field_names() if name in schema}
            SegmentWriter.write_per_doc(copier, set(schema.names()) | indexed, reader)
        per_document.close()
        field_writer = codec.field_writer(storage, segment)
        try:
            copy_postings(field_writer, schema, [reader._terms for reader in readers], bases)
        finally:
            field_writer.close()
    finally:
        for reader in readers:
            reader.close()
    segment.set_doc_count(copier.docnum)
    if writer.compound and segment.should_assemble():
        segment.create_compound_file(storage)
        segment.compound = True
    return segment


def copy_postings(field_writer, schema, term_readers: list, bases: list[int]) -> None:
    """Write every word of every field of the term readers (W3TermsReader) into field_writer (W3FieldWriter).

    Each segment's postings file is read whole, once (small segments: a few MB each), rather
    than a word at a time through the compound file.
    """
    postings_file, term_table = field_writer._postfile, field_writer._tindex
    postings = [_whole(terms._postfile) for terms in term_readers]
    position = postings_file.tell()
    names = sorted({name for terms in term_readers for name in terms.indexed_field_names() if name in schema})
    for name in names:
        field_writer.start_field(name, schema[name])
        key_prefix = pack_ushort(field_writer._fieldid)
        words = heapq.merge(*(_field_words(terms, name, source) for source, terms in enumerate(term_readers)))
        for word, group in itertools.groupby(words, key=operator.itemgetter(0)):
            info, copied = _copied_word(postings, bases, [(source, info) for _, source, info in group], position)
            postings_file.write(copied)
            position += len(copied)
            term_table.add(key_prefix + word, info)
        field_writer.finish_field()


def _whole(postings_file) -> bytes:
    postings_file.seek(0)
    return postings_file.read()


def _field_words(terms, name: str, source: int):
    """(word, source, term info bytes) of the field's words in one segment, in order."""
    if name not in terms._fieldmap:
        return
    prefix = pack_ushort(terms._fieldmap[name])
    for key, info in terms._tindex.items_from(prefix):
        if key[:_SHORT_SIZE] != prefix:
            return
        yield key[_SHORT_SIZE:], source, info


def _copied_word(postings: list[bytes], bases: list[int], infos: list[tuple[int, bytes]], start: int) -> tuple[bytes, bytes]:
    """(merged term info, merged postings) of one word from its postings in each segment (in segment order),
    the postings to be written at offset `start` of the new postings file.

    The merged statistics are what Whoosh's W3TermInfo.add_block adds up over the merged
    blocks: the totals, the lowest and highest length bytes (the byte code keeps the order of
    lengths), the highest weight, the first and the last document.
    """
    pieces = [WHOOSH3_HEADER_MAGIC]
    weight = frequency = max_length = max_weight = 0
    min_length, first_id, last_id = None, None, None
    for n, (source, info) in enumerate(infos):
        flags, word_weight, word_frequency, low, high, word_max_weight, low_id, high_id = TERM_INFO.unpack_from(info)
        if flags:
            raise CannotCopy("postings inlined in the term table")
        offset, length = term_info_extent(info)
        _copy_blocks(pieces, postings[source][offset:offset + length], bases[source], last=n == len(infos) - 1)
        weight += word_weight
        frequency += word_frequency
        min_length = low if min_length is None else min(min_length, low)
        max_length, max_weight = max(max_length, high), max(max_weight, word_max_weight)
        first_id = low_id + bases[source] if first_id is None else first_id
        last_id = high_id + bases[source]
    copied = b"".join(pieces)
    info = (TERM_INFO.pack(0, weight, frequency, min_length, max_length, max_weight, first_id, last_id)
            + pack_long(start) + pack_int(len(copied)))
    return info, copied


def term_info_extent(info: bytes) -> tuple[int, int]:
    """(offset, length) of a word's postings in the postings file, from its term info (W3TermInfo.from_bytes
    reads the length as a 1-tuple)."""
    offset = unpack_long(info[TERM_INFO.size:TERM_INFO.size + _LONG_SIZE])[0]
    return offset, unpack_int(info[TERM_INFO.size + _LONG_SIZE:TERM_INFO.size + _LONG_SIZE + _INT_SIZE])[0]


def _copy_blocks(pieces: list[bytes], raw: bytes, base: int, last: bool) -> None:
    """Append the blocks of one segment's postings of a word to pieces, their ids moved by base.

    A block's length is negative when it is the word's last: only the last block of the last
    segment stays so.
    """
    if raw[:len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        raise CannotCopy("a posting list without Whoosh 3's header")
    position, final = len(WHOOSH3_HEADER_MAGIC), False
    while not final:
        length = unpack_int(raw[position:position + _INT_SIZE])[0]
        final = length < 0
        block = raw[position + _INT_SIZE:position + _INT_SIZE + abs(length)]
        position += _INT_SIZE + abs(length)
        if base:
            block = _moved_block(block, base)
        pieces.append(pack_int(-len(block) if final and last else len(block)))
        pieces.append(block)


def _moved_block(block: bytes, base: int) -> bytes:
    """One block (info tuple, then the data) with its document numbers moved by base.

    Ids are delta-coded from the block's start, so only the first moves; the info tuple
    holds the last. Both pickles are written as Whoosh writes them (protocol 2).
    """
    stream = io.BytesIO(block)
    count, last_id, max_weight, compression, low, high = pickle.load(stream)
    data = block[stream.tell():]
    ids, weights, values = pickle.loads(zlib.decompress(data) if compression else data)
    data = pickle.dumps(((ids[0] + base,) + tuple(ids[1:]), weights, values), 2)
    info = pickle.dumps((count, last_id + base, max_weight, compression, low, high), 2)
    return info + (zlib.compress(data, compression) if compression else data)
