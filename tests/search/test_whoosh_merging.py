"""Merging segments by copying blocks (segment_merging) gives what Whoosh's own merge gives.

The same small segments are merged by Whoosh (its writer takes each segment's documents and
postings back in, as MERGE_SMALL does) and by copying their blocks of postings: the merged
segments must hold the same documents under the same numbers, the same postings with the
same positions, the same term statistics (first and last document included), lengths,
columns and stored fields. Then whole indexes written with each policy must answer alike.
"""

import random
import types

import pytest
import whoosh.reading
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

from articles.search.engines.whoosh import segment_merging
from articles.search.engines.whoosh.backend import backend_at

from ..engines import whoosh_only
from .index_contents import SPELLING_PREFIX, index_contents
from .test_whoosh_writing_fast import documents

pytestmark = whoosh_only

SIZES = (150, 3, 260, 1, 40)  # a word of most documents spans several blocks of 128 postings in a segment


def segmented(backend, docs: list[dict], sizes=SIZES) -> None:
    """The documents written in one segment per size, none merged."""
    start = 0
    for size in sizes:
        writer = backend.index.writer()
        for doc in docs[start:start + size]:
            writer.add_document(**{key: backend._from_python(value) for key, value in doc.items()})
        writer.commit(merge=False)
        start += size


def merged_by(backend, merge_segments) -> None:
    """Merge every segment of the index, in its order, with `merge_segments(writer, segments)` and nothing added."""
    writer = backend.index.writer()
    writer.commit(mergetype=lambda writer, segments: merge_segments(writer, list(segments)))


def whoosh_merge(writer, segments):
    for segment in segments:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return []


def copying_merge(writer, segments):
    return [segment_merging.merged_segment(writer, segments)]


def segment_contents(backend) -> dict:
    """The one segment's documents by number, and each word's raw term statistics and postings."""
    index = backend.index.refresh()
    (segment,) = index._segments()
    reader = SegmentReader(index.storage, index.schema, segment)
    try:
        schema = reader.schema
        documents = {docnum: (stored, {name: reader.doc_field_length(docnum, name) for name in schema.names()},
                              {name: reader.column_reader(name)[docnum] for name in schema.names() if reader.has_column(name)})
                     for docnum, stored in reader.iter_docs()}
        words = {}
        for (field, text), info in reader._terms.items():
            matcher = reader._terms.matcher(field, text, schema[field].format)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            if field.startswith(SPELLING_PREFIX):
                # Whoosh files a segment's spelling words under document 0, each with the value of the last word
                # written before it (a value nothing reads); its merge sorts them by that value, copying keeps them.
                postings.sort()
            statistics = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
                          info.min_id(), info.max_id())
            words[(field, text)] = (statistics, postings)
        return {"documents": documents, "words": words, "count": segment.doc_count_all()}
    finally:
        reader.close()


# Deleted before the merge: documents here and there, the first of a segment (Whoosh files a segment's spelling
# words under its document 0), a one-document segment's only one, the only document with the word "zeppelin".
DELETIONS = {"none": (), "some": (0, 7, 150, 152, 153, 300, 413, 414, 450)}


@pytest.mark.parametrize("deleted", DELETIONS.values(), ids=DELETIONS.keys())
def test_copied_segments_hold_what_whoosh_merges(tmp_path, deleted):
    docs = documents(sum(SIZES), seed=3)
    docs[7]["text"] += " zeppelin"
    plain, copied = backend_at(tmp_path / "plain"), backend_at(tmp_path / "copied")
    for backend in (plain, copied):
        segmented(backend, docs)
        if deleted:
            writer = backend.index.writer()
            for n in deleted:
                writer.delete_by_term("id", docs[n]["id"])
            writer.commit(merge=False)
    merged_by(plain, whoosh_merge)
    merged_by(copied, copying_merge)
    expected, found = segment_contents(plain), segment_contents(copied)
    assert found["count"] == expected["count"] == sum(SIZES) - len(deleted)
    assert found["documents"] == expected["documents"]
    assert found["words"].keys() == expected["words"].keys()
    assert found["words"] == expected["words"]
    most = max(expected["words"].values(), key=lambda word: len(word[1]))
    assert len(most[1]) > 3 * 128, "no word spans several blocks in several segments: block copying was not tested"
    assert (("text", b"zeppelin") in found["words"]) == (not deleted)


def test_the_policy_merges_what_merge_small_merges(tmp_path):
    """Drains of a few new and edited documents each: after every commit both indexes hold the same, the copying one in
    at most one segment more than MERGE_SMALL ever leaves (it keeps the merged segments and the new documents apart)."""
    docs = documents(90, seed=5)
    plain, copied = backend_at(tmp_path / "plain"), backend_at(tmp_path / "copied")
    rng, start, merges, most, exact = random.Random(7), 0, 0, {}, 0
    while start < len(docs):
        size = rng.randint(1, 6)
        edited = [{**doc, "text": doc["text"] + " edited"} for doc in rng.sample(docs[:start], min(start, 2))]
        for backend, policy in ((plain, MERGE_SMALL), (copied, segment_merging.merge_small_segments)):
            writer = backend.index.writer()
            before = list(writer.segments)
            for doc in edited:  # an edit: the old document deleted where it is, the new one added
                writer.delete_by_term("id", doc["id"])
            for doc in docs[start:start + size] + edited:
                writer.add_document(**{key: backend._from_python(value) for key, value in doc.items()})
            writer.commit(mergetype=policy)
            if policy is MERGE_SMALL:
                merges += bool(segment_merging.small_segments(before))
        start += size
        found, expected = index_contents(copied.index.refresh()), index_contents(plain.index.refresh())
        if any(segment.has_deletions() for backend in (plain, copied) for segment in backend.index.refresh()._segments()):
            # Whoosh's term statistics count deleted documents until their segment is merged: while one is
            # pending they follow when each index merged, which the two policies do at different commits.
            found.pop("terms"), expected.pop("terms")
        else:
            exact += 1
        assert found == expected
        for backend in (plain, copied):
            most[backend] = max(most.get(backend, 0), len(backend.index.refresh()._segments()))
    assert merges >= 2, "MERGE_SMALL never merged: the policy was not tested"
    assert exact >= 1, "term statistics were never compared"
    assert most[copied] <= most[plain] + 1


@pytest.mark.parametrize("sizes", [(5, 5, 5, 5, 5), (1, 1, 1, 1, 1, 1, 200), (60, 1, 1, 1, 1), (1, 2, 3), (8, 13, 21, 34, 55, 89)])
def test_the_choice_is_merge_smalls(sizes, monkeypatch):
    segments = [types.SimpleNamespace(doc_count_all=lambda size=size: size, name=f"s{i}") for i, size in enumerate(sizes)]
    taken = []

    def reader(storage, schema, segment):  # MERGE_SMALL opens a reader of each segment it merges
        taken.append(segment.name)
        return types.SimpleNamespace(close=lambda: None)

    monkeypatch.setattr(whoosh.reading, "SegmentReader", reader)
    MERGE_SMALL(types.SimpleNamespace(storage=None, schema=None, add_reader=lambda reader: None), segments)
    assert [segment.name for segment in segment_merging.small_segments(segments)] == taken


def test_deleted_documents_are_dropped_as_whoosh_drops_them(tmp_path):
    docs = documents(12, seed=9)
    plain, copied = backend_at(tmp_path / "plain"), backend_at(tmp_path / "copied")
    for backend, policy in ((plain, MERGE_SMALL), (copied, segment_merging.merge_small_segments)):
        segmented(backend, docs, sizes=(2, 2, 2, 2, 2, 2))
        writer = backend.index.writer()
        writer.delete_by_term("id", docs[3]["id"])
        writer.commit(mergetype=policy)
    sizes = [[segment.doc_count_all() for segment in backend.index.refresh()._segments()] for backend in (plain, copied)]
    assert sizes[0] == sizes[1] == [2, 9]  # five segments merged, the deleted document dropped
    assert not any(segment.has_deletions() for segment in copied.index.refresh()._segments())
    assert index_contents(copied.index.refresh()) == index_contents(plain.index.refresh())
    assert docs[3]["id"] not in index_contents(copied.index.refresh())["documents"]
