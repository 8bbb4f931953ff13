"""A word's postings read from its blocks in one read (engines/whoosh/postings.py) are what Whoosh's own matcher reads."""

import numpy as np
import pytest
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

from articles.search.engines.whoosh.postings import _matcher_postings, read_postings
from articles.search.engines.whoosh.private import scratch_storage


@pytest.fixture(scope="module")
def reader():
    """Words in one document and in all 700 (blocks of 128 and a short last one), weights all 1, all alike
    in a block, or mixed; positions, frequencies only, and keywords; two segments, one with deletions."""
    schema = Schema(id=ID(stored=True), body=TEXT(phrase=True), plain=TEXT(phrase=False), tags=KEYWORD, n=NUMERIC)
    index = scratch_storage().create_index(schema)
    for part in (range(0, 400), range(400, 700)):
        writer = index.writer()
        for n in part:
            words = ["talks"] * (n % 5 + 1) + ["summit"] * 2 + [f"w{n % 9}", f"only{n}" if n % 50 == 0 else "filler"]
            writer.add_document(id=str(n), body=" ".join(words), plain=" ".join(reversed(words)),
                                tags=f"t{n % 3} t{n % 11}", n=n)
        writer.commit(merge=False)
    writer = index.writer()
    writer.delete_by_term("id", "7")
    writer.commit(merge=False)
    with index.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
        yield searcher.reader()


def test_every_word_of_every_field_reads_as_whoosh_reads_it(reader):
    checked = 0
    for segment_reader, _ in reader.leaf_readers():
        for field in ("body", "plain", "tags", "id", "n"):
            for text in segment_reader.lexicon(field):
                for with_positions in (False, True):
                    expected = _matcher_postings(segment_reader, text, with_positions, field)
                    found = read_postings(segment_reader, text, with_positions, field)
                    assert [array.dtype for array in found[:2]] == [np.int64, np.float64]
                    assert np.array_equal(found[0], expected[0]) and np.array_equal(found[1], expected[1]), (field, text)
                    if with_positions:
                        assert list(found[2]) == list(expected[2]), (field, text)
                checked += 1
    assert checked > 100


def test_long_posting_lists_span_blocks_with_every_kind_of_weight(reader):
    """talks: mixed weights; summit: 2 everywhere (one float per block); filler: weight 1 (no weights stored)."""
    segment_reader = reader.leaf_readers()[0][0]
    ids, weights = read_postings(segment_reader, b"talks", field="body")
    assert ids.tolist() == list(range(400)) and weights.tolist() == [n % 5 + 1 for n in range(400)]
    assert read_postings(segment_reader, b"summit", field="body")[1].tolist() == [2.0] * 400
    assert read_postings(segment_reader, b"filler", field="body")[1].tolist() == [1.0] * 392
