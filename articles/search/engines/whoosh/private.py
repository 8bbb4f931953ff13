"""Every use of Whoosh's (and haystack's Whoosh backend's) internals, in one list, and a probe of each.

The speed of the Whoosh engine comes partly from reading Whoosh below its public API.
Each use below was read off Whoosh 2.7.4's source. `private_use_problems()` builds a tiny
index in memory and touches every one of them: on another Whoosh version it names what
changed (tests/search/test_whoosh_private.py fails, and `manage.py check` reports it).
"""

import dataclasses
import inspect

import numpy as np
import whoosh

BUILT_FOR = (2, 7, 4)


@dataclasses.dataclass(frozen=True)
class PrivateUse:
    owner: str  # the class whose internals are used
    names: tuple[str, ...]
    where: str  # which of our functions relies on them, and why


PRIVATE_USES = (
    PrivateUse("whoosh.reading.SegmentReader", ("_terms",),
               "postings.read_postings: the segment's term table, to open a word's block matcher"),
    PrivateUse("whoosh.codec.whoosh3.W3LeafMatcher",
               ("_read_ids", "_read_weights", "_read_values", "_next_block", "_ids", "_weights", "_values"),
               "postings.read_postings: the ids, weights and positions of a word inlined in the term table"),
    PrivateUse("whoosh.scoring.BM25F scorer", ("_score",),
               "column_search._scores: Whoosh's own BM25F score of a (frequency, length) pair"),
    PrivateUse("whoosh.index.FileIndex", ("_schema",),
               "searchers.current_searcher: the code's schema when reading the table of contents"),
    PrivateUse("whoosh.multiproc.MpWriter", ("_new_task", "tasks", "jobqueue", "resultqueue", "subargs", "multisegment"),
               "writing.ParallelWriter: sub-writers that can be stopped, and that are tuned (segment_writing)"),
    PrivateUse("whoosh.writing.SegmentWriter", ("per_document_reader", "pool"),
               "segment_writing.segment_writer_tuned: columns read once per field, postings spilled in chunks"),
    PrivateUse("whoosh.writing.PostingPool", ("add", "_write_run", "_read_run", "_open_run", "_remove_run",
                                              "current", "runs", "limit", "currentsize", "fieldnames", "save"),
               "segment_writing.ChunkedPostingPool: the same runs, pickled in chunks of postings"),
    PrivateUse("whoosh.codec.whoosh3.W3TermsReader", ("_tindex", "_fieldmap", "_postfile"),
               "segment_merging.copy_postings: a segment's words, term infos and posting bytes, copied block by block; "
               "postings.read_postings: a word's term info and posting bytes, read in one go"),
    PrivateUse("whoosh.codec.whoosh3.W3FieldWriter", ("_postfile", "_tindex", "_fieldid"),
               "segment_merging.copy_postings: the merged segment's postings file and term table, written directly"),
    PrivateUse("whoosh.codec.whoosh3.W3TermInfo", ("_struct",),
               "blocks.term_info_extent: the packed term info (statistics, then the postings' offset and length)"),
    PrivateUse("haystack.backends.whoosh_backend.WhooshSearchBackend", ("_from_python",),
               "writing.whoosh_fields: haystack's conversion of document values to Whoosh's"),
    PrivateUse("whoosh.query.MultiTerm", ("_btexts",),
               "prefixes.WordPrefix and matching._prefix: the terms a Prefix's matcher ORs together in a segment"),
    PrivateUse("whoosh matcher trees (query.compound, util.make_weighted_tree, matching.InverseMatcher)",
               ("TOO_MANY_CLAUSES", "AUTO_MATCHER", "matcher_type"),
               "matching.match_query: the order Whoosh's matchers add scores in, and when Or sums in an array"),
)


def scratch_storage():
    """An in-memory Whoosh storage that is safe beside other processes doing the same.

    RamStorage puts a writer's temporary files in /tmp/<indexname>.tmp, a folder shared by every process using the
    same index name ("MAIN"), and each writer removes that whole folder when it commits: two processes running the
    system checks at once lost each other's files (FileNotFoundError). Here each temporary storage is its own folder,
    removed when the storage is let go (Whoosh's per-document writer never removes its own: every system check left
    two empty folders in /tmp).
    """
    import shutil
    import tempfile
    import weakref

    from whoosh.filedb.filestore import FileStorage, RamStorage

    class ScratchStorage(RamStorage):
        def temp_storage(self, name=None):
            folder = tempfile.mkdtemp(prefix="newsdesk-whoosh-")
            storage = FileStorage(folder).create()
            weakref.finalize(storage, shutil.rmtree, folder, ignore_errors=True)
            return storage

    return ScratchStorage()


def private_use_problems() -> list[str]:
    """What no longer holds on the installed Whoosh; [] when every private use is still there."""
    from haystack.backends.whoosh_backend import WhooshSearchBackend
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import FileIndex
    from whoosh.multiproc import MpWriter
    from whoosh.query import MultiTerm
    from whoosh.reading import SegmentReader
    from whoosh.writing import PostingPool, SegmentWriter

    problems = []
    if whoosh.__version__[:3] != BUILT_FOR:
        problems.append(f"Whoosh {whoosh.__version__[:3]} is installed; the engine was written for {BUILT_FOR}")
    storage = scratch_storage()
    index = storage.create_index(Schema(id=ID(stored=True), text=TEXT()))
    writer = index.writer()
    if not hasattr(writer, "per_document_reader") or not isinstance(writer, SegmentWriter):
        problems.append("SegmentWriter.per_document_reader")
    pool = getattr(writer, "pool", None)
    pool_names = [use.names for use in PRIVATE_USES if use.owner == "whoosh.writing.PostingPool"][0]
    pool_missing = [name for name in pool_names if not isinstance(pool, PostingPool) or not hasattr(pool, name)]
    writer.add_document(id="1", text="words and words")
    writer.commit()
    actual = {
        "whoosh.writing.PostingPool": pool_missing,
        "whoosh.index.FileIndex": [name for name in ("_schema",) if not hasattr(index, name) or not isinstance(index, FileIndex)],
        "whoosh.multiproc.MpWriter": [name for name in ("_new_task",) if not hasattr(MpWriter, name)],
        "haystack.backends.whoosh_backend.WhooshSearchBackend": [
            name for name in ("_from_python",) if not hasattr(WhooshSearchBackend, name)],
    }
    with index.searcher() as searcher:
        reader = searcher.reader()
        actual["whoosh.reading.SegmentReader"] = [name for name in ("_terms",) if not isinstance(reader, SegmentReader) or not hasattr(reader, name)]
        matcher = reader._terms.matcher("text", b"words", reader.schema["text"].format) if not actual["whoosh.reading.SegmentReader"] else None
        block_names = ("_read_ids", "_read_weights", "_read_values", "_next_block")
        missing = [name for name in block_names if matcher is None or not hasattr(matcher, name)]
        if not missing:
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            missing = [name for name in ("_ids", "_weights", "_values") if not hasattr(matcher, name)]
        actual["whoosh.codec.whoosh3.W3LeafMatcher"] = missing
        actual["whoosh.codec.whoosh3.W3TermsReader"] = [
            name for name in ("_tindex", "_fieldmap", "_postfile") if not hasattr(getattr(reader, "_terms", None), name)]
        scorer = searcher.weighting.scorer(searcher, "text", b"words")
        actual["whoosh.scoring.BM25F scorer"] = [name for name in ("_score",) if not hasattr(scorer, name)]
    actual["whoosh.codec.whoosh3.W3FieldWriter"] = _field_writer_problems(index)
    actual["whoosh.codec.whoosh3.W3TermInfo"] = _term_info_problems()
    # MultiTerm.matcher builds its Or from self._btexts(reader): WordPrefix overrides it.
    actual["whoosh.query.MultiTerm"] = [
        name for name in ("_btexts",) if "self._btexts(reader)" not in inspect.getsource(MultiTerm.matcher)]
    actual["whoosh matcher trees (query.compound, util.make_weighted_tree, matching.InverseMatcher)"] = (
        _matcher_tree_problems())
    # MpWriter sets these in __init__, which starts processes: read them off its source instead.
    init_source = inspect.getsource(MpWriter.__init__)
    actual["whoosh.multiproc.MpWriter"] += [
        name for name in ("tasks", "jobqueue", "resultqueue", "subargs", "multisegment") if f"self.{name} =" not in init_source]
    for use in PRIVATE_USES:
        for name in actual.get(use.owner, []):
            problems.append(f"{use.owner}.{name} is gone ({use.where})")
    return problems


def _field_writer_problems(index) -> list[str]:
    """Whether a W3FieldWriter still writes through these attributes (segment_merging writes to them itself)."""
    from whoosh.codec import default_codec

    codec = default_codec()
    writer = codec.field_writer(index.storage, codec.new_segment(index.storage, index.indexname))
    writer.start_field("text", index.schema["text"])
    missing = [name for name in ("_postfile", "_tindex", "_fieldid") if not hasattr(writer, name)]
    writer.finish_field()
    writer.close()
    return missing


def _term_info_problems() -> list[str]:
    """Whether W3TermInfo still packs (flags, weight, frequency, length bytes, max weight, first id, last id, offset, length)."""
    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.system import pack_int, pack_long

    from .blocks import TERM_INFO, term_info_extent

    info = W3TermInfo(weight=7.0, df=3, minlength=1, maxlength=1, maxweight=4.0, minid=5, maxid=90)
    info.set_extent(1234, 56)
    packed = info.to_bytes()
    expected = TERM_INFO.pack(0, 7.0, 3, 1, 1, 4.0, 5, 90) + pack_long(1234) + pack_int(56)  # length 1 is byte 1
    if getattr(W3TermInfo, "_struct", None) is None or packed != expected or term_info_extent(packed) != (1234, 56):
        return ["_struct"]
    return []


def _matcher_tree_problems() -> list[str]:
    """Where matching.match_query no longer gives Whoosh's own matches and scores, on a tiny index."""
    from whoosh.fields import TEXT, Schema
    from whoosh.query import And, Not, Or, Phrase, Prefix, Term

    from .columns import Columns
    from .matching import match_query
    from .prefixes import WordPrefix

    if not all(hasattr(Or, name) for name in ("TOO_MANY_CLAUSES", "AUTO_MATCHER", "matcher_type")):
        return ["TOO_MANY_CLAUSES"]
    index = scratch_storage().create_index(Schema(body=TEXT(phrase=True)))  # not the content field: no saved columns
    writer = index.writer()
    for text in ("gas gas pipeline talks", "talks summit", "gas talks summit summit", "pipeline", "gas pipes talks"):
        writer.add_document(body=text)
    writer.commit()
    queries = [
        And([Term("body", "gas"), Term("body", "talks"), Not(Term("body", "summit"))]),
        Or([Term("body", "gas"), Term("body", "summit"), Term("body", "pipeline")]),
        Or([Prefix("body", "pipe"), Phrase("body", ["gas", "talks"]), Term("body", "summit")]),
        And([WordPrefix("body", "pip", ("nosuch", "pipeline", "pipes")), Term("body", "gas")]),
    ]
    with index.searcher() as searcher:
        reader = searcher.reader()
        lengths = np.array([reader.doc_field_length(docnum, "body") or 0 for docnum in range(reader.doc_count_all())])
        none = np.zeros(0, dtype=np.int32)
        columns = Columns(article_ids=none, days=none, created=none, is_version=none, lengths={"body": lengths},
                          live=none, keywords={})
        for query in queries:
            docnums, scores = match_query(searcher, query, columns)
            expected = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
            if dict(zip(docnums.tolist(), scores.tolist())) != expected:
                return [f"matcher_type (scores of {query})"]
    return []
