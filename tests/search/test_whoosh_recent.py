"""The postings of recently searched words (engines/whoosh/recent.py): what Whoosh reads, kept within a bound."""

import numpy as np
import pytest
from whoosh.fields import ID, TEXT, Schema

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
    from articles.search.engines.whoosh.postings import decoded_positions

    ids, weights, encoded = recent.kept_with_positions(reader, "body", b"talks")
    starts, positions = decoded_positions(reader.schema["body"].format, encoded)
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


def test_positions_decoded_at_once_are_what_whoosh_decodes_one_by_one():
    """Lists of every length (none, one, past pickle's batches of 1,000), gaps of 1, 2 and 4 bytes, values with or without their final "."."""
    from whoosh.formats import Characters, Positions

    from articles.search.engines.whoosh.postings import decoded_positions

    rng = np.random.default_rng(7)
    lists = [[], [0], [5], [255, 256], [65535, 65536, 70000], list(range(0, 2500, 2)), [3, 2**31 - 1]]
    lists += [sorted(set(rng.integers(0, 5000, rng.integers(1, 40)).tolist())) for _ in range(300)]
    fmt = Positions()
    values = [fmt.encode(found) for found in lists]
    values = [value[:-1] if n % 2 else value for n, value in enumerate(values)]  # as Whoosh's blocks keep some
    starts, positions = decoded_positions(fmt, values)
    assert [positions[starts[i]:starts[i + 1]].tolist() for i in range(len(values))] == [fmt.decode_positions(v) for v in values]
    assert positions.dtype == np.int32
    characters = Characters()  # another format: decoded Whoosh's way
    values = [characters.encode([(p, p * 6, p * 6 + 5) for p in found]) for found in lists[:50]]
    starts, positions = decoded_positions(characters, values)
    assert [positions[starts[i]:starts[i + 1]].tolist() for i in range(len(values))] == [characters.decode_positions(v) for v in values]


def test_encoded_positions_and_phrases_count_towards_the_bound(reader, monkeypatch):
    monkeypatch.setattr(recent, "_kept", type(recent._kept)())
    monkeypatch.setattr(recent, "_size", 0)
    ids, weights, encoded = recent.kept_with_positions(reader, "body", b"talks")
    with_positions = ids.nbytes + weights.nbytes + sum(map(len, encoded)) + recent.BYTES_OBJECT * len(encoded)
    assert recent._size == with_positions
    matched = np.arange(3), {b"summit": np.ones(3), b"talks": np.ones(3)}
    assert recent.kept_phrase(reader, "body", (b"summit", b"talks"), lambda: matched) is matched
    assert recent._size == with_positions + 3 * 3 * 8
    assert recent.kept_phrase(reader, "body", (b"summit", b"talks"), lambda: pytest.fail("matched again")) is matched


def test_a_field_without_stored_values_is_kept_too(monkeypatch):
    """An ID field's postings carry no values (None each): they are kept, and counted, all the same."""
    monkeypatch.setattr(recent, "_kept", type(recent._kept)())
    monkeypatch.setattr(recent, "_size", 0)
    index = scratch_storage().create_index(Schema(ident=ID))
    writer = index.writer()
    for n in range(200):
        writer.add_document(ident=f"id{n % 2}")
    writer.commit()
    with index.searcher() as searcher:
        ids, weights, values = recent.kept_with_positions(searcher.reader(), "ident", b"id1")
    assert ids.tolist() == list(range(1, 200, 2)) and values == [None] * 100
    assert recent._size == ids.nbytes + weights.nbytes + recent.BYTES_OBJECT * 100
