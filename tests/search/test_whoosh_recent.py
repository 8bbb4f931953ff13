"""The postings of recently searched words (engines/whoosh/recent.py): what Whoosh reads, kept within a bound."""

import numpy as np
import pytest
from whoosh.fields import TEXT, Schema

from articles.search.engines.whoosh import recent
from articles.search.engines.whoosh.private import scratch_storage


@pytest.fixture
def reader():
    index = scratch_storage().create_index(Schema(body=TEXT(phrase=True)))
    writer = index.writer()
    for n in range(300):
        writer.add_document(body=" ".join(["talks"] * (n % 4 + 1) + ["summit", "talks"] * (n % 3) + [f"w{n % 7}"]))
    writer.commit()
    with index.searcher() as searcher:
        yield searcher.reader()


def test_positions_are_whooshs_own(reader):
    ids, weights, starts, positions = recent.kept_positions(reader, "body", b"talks")
    matcher = reader.postings("body", b"talks")
    expected = list(matcher.items_as("positions"))
    assert ids.tolist() == [docnum for docnum, _ in expected]
    assert [positions[starts[i]:starts[i + 1]].tolist() for i in range(len(ids))] == [found for _, found in expected]
    assert weights.tolist() == [len(found) for _, found in expected]


def test_the_least_recently_used_words_go_past_the_bound(reader, monkeypatch):
    monkeypatch.setattr(recent, "_kept", type(recent._kept)())
    monkeypatch.setattr(recent, "_size", 0)
    one_word = sum(array.nbytes for array in recent.kept_postings(reader, "body", b"w0"))
    recent._kept.clear()
    recent._size = 0
    monkeypatch.setattr(recent, "BYTES_KEPT", 2 * one_word + 1)  # room for two of the w0..w6 words
    for word in (b"w0", b"w1", b"w0", b"w2"):  # w1 is then the least recently used
        recent.kept_postings(reader, "body", word)
    kept = {key[2] for key in recent._kept}
    assert kept == {b"w0", b"w2"} and recent._size <= recent.BYTES_KEPT
    again = recent.kept_postings(reader, "body", b"w1")  # read again, the same arrays
    assert np.array_equal(again[0], np.array([n for n in range(300) if n % 7 == 1]))
