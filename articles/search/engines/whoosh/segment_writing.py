"""What Whoosh's SegmentWriter does per posting, done once per field or per chunk: the same segment, written faster.

    writer = index.writer(); segment_writer_tuned(writer)   # then add_document() and commit() as usual

Three costs of writing a segment, each read off Whoosh 2.7.4's writing.py and externalsort.py:
1. While writing postings, Whoosh asks whether each field has a length column, and for a field
   without one (the spelling and keyword fields) looks for the file again for every posting
   (a third of a drain's time).
2. For a field with one, it reads the document's length from the file, posting by posting
   (a tenth of a rebuild's time). Neither answer can change for the segment being written.
3. Past `limitmb` of postings (a rebuild of a few thousand articles) the posting pool spills
   sorted runs to disk and merges them back, pickling and unpickling every posting one call at
   a time (two fifths of a 5,000-article rebuild). Here a run is pickled in chunks of postings:
   the same postings in the same order, read back in a few calls.
"""

import itertools
import pickle

from whoosh.writing import PostingPool, SegmentWriter

RUN_CHUNK = 10_000  # postings pickled together when the pool spills a run


def segment_writer_tuned(writer: SegmentWriter) -> None:
    """Make a fresh SegmentWriter (nothing added yet) read columns once and spill postings in chunks."""
    open_reader = writer.per_document_reader

    def per_document_reader():
        reader = open_reader()
        reader.has_column = _remembered(reader.has_column)
        reader.doc_field_length = lengths_read_once(reader)
        return reader

    writer.per_document_reader = per_document_reader
    if type(writer.pool) is PostingPool and not writer.pool.current and not writer.pool.runs:
        writer.pool.__class__ = ChunkedPostingPool


def _remembered(has_column):
    known = {}

    def has_column_remembered(fieldname):
        if fieldname not in known:
            known[fieldname] = has_column(fieldname)
        return known[fieldname]

    return has_column_remembered


_NO_LENGTHS = object()


def lengths_read_once(reader):
    """reader.doc_field_length answering from each field's lengths, read from the file at the first question."""
    read_length, loaded = reader.doc_field_length, {}

    def doc_field_length(docnum, fieldname, default=0):
        lengths = loaded.get(fieldname)
        if lengths is None:
            has_lengths = read_length(0, fieldname, _NO_LENGTHS) is not _NO_LENGTHS
            lengths = loaded[fieldname] = (
                [read_length(doc, fieldname) for doc in range(reader.doc_count_all())] if has_lengths else _NO_LENGTHS)
        if lengths is _NO_LENGTHS:
            return default
        if 0 <= docnum < len(lengths):
            return lengths[docnum]
        return read_length(docnum, fieldname, default)  # past the segment's documents: as Whoosh answers

    return doc_field_length


class ChunkedPostingPool(PostingPool):
    """Whoosh's posting pool, writing each spilled run as pickled lists of RUN_CHUNK postings."""

    def add(self, item):
        # PostingPool.add without its type assertions: the same size estimate, so the same runs.
        # item = (fieldname, tbytes, docnum, weight, vbytes)
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items):
        try:
            iterator = iter(items)
            while chunk := list(itertools.islice(iterator, RUN_CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)
