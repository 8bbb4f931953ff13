"""Newsdesk's analysis: the terms every engine indexes, and the spans highlighting marks."""

import pytest

from articles.search.analysis import analyze, fold, prefix_text, terms


@pytest.mark.parametrize("text, expected", [
    ("Talks in Zürich", ["talk", "zurich"]),
    ("The Bürgenstock talks banned U.S. imports", ["burgenstock", "talk", "ban", "u.", "import"]),  # "u.s" stems
    ("Straße, Æsir, Øresund, Łódź", ["strass", "aesir", "oresund", "lodz"]),
    ("ﬁnal ＧＡＳ", ["final", "ga"]),  # compatibility forms: ligature, full-width letters
    ("co-operation: a 2.5% rise", ["co", "oper", "2.5", "rise"]),
    ("e\u0301te\u0301 ete", ["et", "et"]),  # combining accents (decomposed text) fold like precomposed ones
    ("I am a Z", ["am"]),  # single letters and stop words are left out
    ("北京 talks", ["北京", "talk"]),
])
def test_terms(text, expected):
    assert terms(text) == expected


def test_positions_close_over_stop_words_and_spans_point_into_the_original():
    text = "The Power of Siberia, Straße"
    tokens = list(analyze(text))
    assert [(token.term, token.position) for token in tokens] == [("power", 0), ("siberia", 1), ("strass", 2)]
    assert [text[token.start:token.end] for token in tokens] == ["Power", "Siberia", "Straße"]
    with_stops = list(analyze(text, keep_stopped=True))
    assert [text[token.start:token.end] for token in with_stops if token.stopped] == ["The", "of"]


def test_spans_survive_characters_that_fold_to_several_or_none():
    text = "ﬁrst Stra\u00dfe then e\u0301te\u0301 and Œuvre"
    assert [text[token.start:token.end] for token in analyze(text)] == ["ﬁrst", "Straße", "then", "e\u0301te\u0301", "Œuvre"]


def test_unstemmed_words_for_spelling():
    assert [token.term for token in analyze("The talks banned", stemmed=False)] == ["talks", "banned"]


def test_prefixes_are_folded_not_stemmed():
    assert prefix_text("Bürgen") == "burgen"
    assert fold("Zürich") == "Zurich"
