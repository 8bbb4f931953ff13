"""Merge small segments by copying their blocks of postings: the segments Whoosh's MERGE_SMALL merges, merged faster.

    writer.commit(mergetype=merge_small_segments)

Whoosh 2.7.4 merges a segment by feeding each of its postings through the new segment's
posting pool (collected, sorted, spilled to disk and merged back) and encoding them again
one at a time. Merging the 15 segments of 500 articles (4.9 million postings) of the 100k
benchmark archive took 27.6 s, 8.7 s by copying (bench/segment_merge_speed.py); Whoosh's way
it was a quarter of the CPU time of ingesting 2,000 articles into that archive.

Segments merged one after another keep their postings in order: document n of a segment
becomes document base + n of the merged one, so a word's merged postings are its postings in
each segment, one segment after the other. A block of postings (Whoosh 3's format: its
length, a pickled info tuple, then a compressed pickle of delta-coded ids, weights and
values) needs only its first id and its last id moved by the base: it is unpickled and
written again with its weights, values and bounds as they were, never decoded posting by
posting. The documents' stored fields, lengths and columns are copied by Whoosh's own code.

Which segments merge is MERGE_SMALL's choice. They become a segment of their own, beside the
writer's new documents (Whoosh puts both into one segment). A deleted document is dropped, as
Whoosh drops it: in a segment with deletions, a block with none between its first and last
document moves by its own shift; the others are decoded, and their live postings renumbered
and encoded again as Whoosh's writer encodes them.
"""

import dataclasses
import heapq
import itertools
import logging
import operator
import pickle
import types
import zlib
from collections.abc import Callable

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.reading import SegmentReader
from whoosh.system import _SHORT_SIZE, pack_int, pack_long, pack_ushort
from whoosh.util import fib
from whoosh.util.numeric import length_to_byte
from whoosh.writing import MERGE_SMALL, SegmentWriter

from .blocks import TERM_INFO, UnknownPostings, posting_blocks, read_block, term_info_extent
from .segment_writing import lengths_read_once

log = logging.getLogger(__name__)

def merge_small_segments(writer: SegmentWriter, segments: list) -> list:
    """A Whoosh merge policy: the segments MERGE_SMALL would merge, merged into one new segment by copying."""
    chosen = small_segments(segments)
    if len(chosen) < 2:
        return segments
    if not isinstance(writer.codec, W3Codec):
        return MERGE_SMALL(writer, segments)
    try:
        merged = merged_segment(writer, chosen)
    except UnknownPostings as reason:  # the new segment's files are not in the table of contents: Whoosh deletes them
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


@dataclasses.dataclass
class Source:
    """One segment being merged: its term table, its postings file (read whole), where its documents start in the
    merged segment and, when it has deleted documents, where each live one goes ({old number: new number})."""
    reader: SegmentReader
    postings: bytes
    base: int
    docmap: dict[int, int] | None
    field_length: Callable[[int, str], int | None]  # (docnum, field) -> its length (0 or None: no words), read once a field


def merged_segment(writer: SegmentWriter, segments: list):
    """A new segment holding the live documents of `segments`, in their order."""
    storage, schema, codec = writer.storage, writer.schema, writer.codec
    segment = codec.new_segment(storage, writer.indexname)
    readers = [SegmentReader(storage, schema, each) for each in segments]
    try:
        per_document = codec.per_document_writer(storage, segment)
        # SegmentWriter.write_per_doc reads only these three attributes of its writer.
        copier = types.SimpleNamespace(schema=schema, perdocwriter=per_document, docnum=0)
        sources = []
        for reader in readers:
            base = copier.docnum
            indexed = {name for name in reader.indexed_field_names() if name in schema}
            docmap = SegmentWriter.write_per_doc(copier, set(schema.names()) | indexed, reader)  # None: nothing deleted
            sources.append(Source(reader, _whole(reader._terms._postfile), base, docmap, lengths_read_once(reader)))
        per_document.close()
        field_writer = codec.field_writer(storage, segment)
        try:
            copy_postings(field_writer, schema, sources)
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


def copy_postings(field_writer, schema, sources: list[Source]) -> None:
    """Write every word of every field of the sources into field_writer (W3FieldWriter)."""
    postings_file, term_table = field_writer._postfile, field_writer._tindex
    position = postings_file.tell()
    names = sorted({name for source in sources for name in source.reader._terms.indexed_field_names() if name in schema})
    for name in names:
        field_writer.start_field(name, schema[name])
        key_prefix = pack_ushort(field_writer._fieldid)
        value_size = schema[name].format.fixed_value_size()
        words = heapq.merge(*(_field_words(source.reader._terms, name, n) for n, source in enumerate(sources)))
        for word, group in itertools.groupby(words, key=operator.itemgetter(0)):
            parts = [(sources[n], info) for _, n, info in group]
            copied = _copied_word(parts, name, value_size, position)
            if copied is not None:  # None: every document of the word was deleted
                info, postings = copied
                postings_file.write(postings)
                position += len(postings)
                term_table.add(key_prefix + word, info)
        field_writer.finish_field()


def _whole(postings_file) -> bytes:
    """A segment's postings file, read once: small segments hold a few MB, read a word at a time it is ~700,000 reads."""
    postings_file.seek(0)
    return postings_file.read()


def _field_words(terms, name: str, n: int):
    """(word, n, term info bytes) of the field's words in one segment, in order."""
    if name not in terms._fieldmap:
        return
    prefix = pack_ushort(terms._fieldmap[name])
    for key, info in terms._tindex.items_from(prefix):
        if key[:_SHORT_SIZE] != prefix:
            return
        yield key[_SHORT_SIZE:], n, info


@dataclasses.dataclass
class WordStatistics:
    """What Whoosh's W3TermInfo.add_block adds up over a word's blocks: totals, the lowest and highest length bytes
    (the byte code keeps the order of lengths), the highest weight, the first and the last document."""
    weight: float = 0.0
    frequency: int = 0
    min_length: int | None = None
    max_length: int = 0
    max_weight: float = 0
    first_id: int | None = None
    last_id: int | None = None

    def add(self, weight, frequency, min_length, max_length, max_weight, first_id, last_id) -> None:
        self.weight += weight
        self.frequency += frequency
        self.min_length = min_length if self.min_length is None else min(self.min_length, min_length)
        self.max_length, self.max_weight = max(self.max_length, max_length), max(self.max_weight, max_weight)
        self.first_id = first_id if self.first_id is None else self.first_id
        self.last_id = last_id


def _copied_word(parts: list[tuple[Source, bytes]], field: str, value_size: int | None, start: int):
    """(merged term info, merged postings) of one word from its postings in each segment (in segment order),
    the postings to be written at offset `start` of the new postings file; None when no posting is left."""
    blocks, statistics = [], WordStatistics()
    for source, info in parts:
        flags, weight, frequency, low, high, max_weight, first_id, last_id = TERM_INFO.unpack_from(info)
        if flags:
            raise UnknownPostings("postings inlined in the term table")
        offset, length = term_info_extent(info)
        raw = source.postings[offset:offset + length]
        if source.docmap is None:
            blocks += [_moved_block(block, source.base) if source.base else block for block in posting_blocks(raw)]
            statistics.add(weight, frequency, low, high, max_weight, first_id + source.base, last_id + source.base)
            continue
        for block in posting_blocks(raw):
            kept = _kept_block(block, source, field, value_size)
            if kept is not None:
                blocks.append(kept[0])
                statistics.add(*kept[1:])
    if not blocks:
        return None
    pieces = [WHOOSH3_HEADER_MAGIC]
    for n, block in enumerate(blocks):  # the word's last block has a negative length
        pieces += [pack_int(-len(block) if n == len(blocks) - 1 else len(block)), block]
    postings = b"".join(pieces)
    s = statistics
    info = (TERM_INFO.pack(0, s.weight, s.frequency, s.min_length, s.max_length, s.max_weight, s.first_id, s.last_id)
            + pack_long(start) + pack_int(len(postings)))
    return info, postings


def _written_block(info: tuple, data: tuple) -> bytes:
    """A block as Whoosh writes it: both pickles protocol 2, the data compressed at the block's level."""
    compression = info[3]
    data = pickle.dumps(data, 2)
    return pickle.dumps(info, 2) + (zlib.compress(data, compression) if compression else data)


def _moved_block(block: bytes, shift: int) -> bytes:
    """One block with its document numbers moved by shift."""
    info, data = read_block(block)
    return _moved(info, pickle.loads(data), shift)


def _moved(info: tuple, data: tuple, shift: int) -> bytes:
    """A block from its info tuple and data, its document numbers moved by shift.

    Ids are delta-coded from the block's start, so only the first moves; the info tuple holds the last.
    """
    count, last_id, max_weight, compression, low, high = info
    deltas, weights, values = data
    return _written_block((count, last_id + shift, max_weight, compression, low, high),
                          ((deltas[0] + shift,) + tuple(deltas[1:]), weights, values))


def _kept_block(block: bytes, source: Source, field: str, value_size: int | None):
    """A block of a segment with deletions, its live documents renumbered, as W3PostingsWriter would write their
    postings; with the block's statistics (WordStatistics.add's arguments). None when none is live."""
    info, data = read_block(block)
    count, last_id, max_weight, compression, low, high = info
    deltas, weights, values = data = pickle.loads(data)
    weights = [1.0] * count if weights is None else [weights] * count if isinstance(weights, float) else weights
    docmap, first_id = source.docmap, deltas[0]
    if first_id in docmap and last_id in docmap and docmap[first_id] - first_id == docmap[last_id] - last_id:
        shift = docmap[first_id] - first_id  # no deleted document from the block's first to its last
        return _moved(info, data, shift), sum(weights), count, low, high, max_weight, first_id + shift, last_id + shift
    ids = list(itertools.accumulate(deltas))
    kept = [n for n, docnum in enumerate(ids) if docnum in docmap]
    if not kept:
        return None
    new_ids = [docmap[ids[n]] for n in kept]
    weights = [weights[n] for n in kept]
    if value_size is None or value_size < 0:
        values = tuple(values[n] for n in kept)
    elif value_size > 0:
        values = b"".join(values[n * value_size:(n + 1) * value_size] for n in kept)
    lengths = [length for length in (source.field_length(ids[n], field) for n in kept) if length]
    min_length, max_length = (min(lengths), max(lengths)) if lengths else (None, 0)
    max_weight = max([0, *weights])
    info = (len(kept), new_ids[-1], max_weight, compression, length_to_byte(min_length), length_to_byte(max_length))
    mini_weights = None if all(w == 1.0 for w in weights) else weights[0] if all(w == weights[0] for w in weights) else tuple(weights)
    block = _written_block(info, (tuple(new_ids[:1]) + tuple(b - a for a, b in zip(new_ids, new_ids[1:])), mini_weights,
                                  values))
    return block, sum(weights), len(kept), info[4], info[5], max_weight, new_ids[0], new_ids[-1]
