"""The fast analysis paths give exactly the tokens of the plain ones.

- _offsets() jumps from one resizing character to the next; the reference maps every character.
- The Whoosh analyzer reads one token_table() (token_terms() when no spans are asked for); the reference
  is the loop over analyze() it replaced, for every combination of the flags Whoosh passes (positions,
  chars, stop words, spelling words).
"""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import analysis
from articles.search.analysis import FOLD_TABLE, analyze, token_table, token_terms
from articles.search.engines.whoosh.analysis import NewsdeskAnalyzer

# Words and separators that stress the analysis: stop words, single letters, characters that fold to
# several characters or to none, combining marks, dotted words, scripts without case.
PIECES = ["talks ", "of ", "the ", "a ", "I ", "U.S. ", "2.5 ", "co-operation ", "Zürich ", "Straße ", "ﬁnal ",
          "e\u0301te\u0301 ", "Œuvre ", "北京 ", "…", "—", "½ ", "ＧＡＳ ", "\u200d", ", ", ".\n\n", "  "]
ARTICLE_LIKE = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


def reference_offsets(text: str) -> list[int]:
    """_offsets as it was: one step per character."""
    offsets = []
    for index, char in enumerate(text):
        offsets.extend([index] * len(char.translate(FOLD_TABLE)))
    offsets.append(len(text))
    return offsets


def reference_tokens(value, positions, chars, keeporiginal, removestops, no_morph, start_pos=0, start_char=0):
    """What NewsdeskAnalyzer yielded through analyze(), as tuples."""
    tokens = []
    for found in analyze(value, keep_stopped=not removestops, stemmed=not no_morph):
        tokens.append((
            found.term, found.stopped,
            value[found.start:found.end] if keeporiginal else None,
            start_pos + found.position if positions else None,
            (start_char + found.start, start_char + found.end) if chars else None,
        ))
    return tokens


def analyzer_tokens(value, positions, chars, keeporiginal, removestops, no_morph, start_pos=0, start_char=0):
    tokens = []
    for token in NewsdeskAnalyzer()(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                    removestops=removestops, no_morph=no_morph, start_pos=start_pos, start_char=start_char):
        tokens.append((
            token.text, token.stopped,
            token.original if keeporiginal else None,
            token.pos if positions else None,
            (token.startchar, token.endchar) if chars else None,
        ))
    return tokens


FLAGS = list(itertools.product([False, True], repeat=5))  # positions, chars, keeporiginal, removestops, no_morph


@settings(max_examples=300, deadline=None)
@given(st.one_of(ARTICLE_LIKE, st.text(max_size=200)))
def test_offsets_map_every_folded_character_like_the_reference(text):
    assert analysis._offsets(text) == reference_offsets(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(ARTICLE_LIKE, st.text(max_size=200)))
def test_unstemmed_token_table_lists_the_spelling_words_of_analyze(text):
    table = token_table(text, stemmed=False)
    tokens = list(analyze(text, keep_stopped=True, stemmed=False))
    assert (table.terms, list(table.starts), list(table.ends)) == (
        [token.term for token in tokens], [token.start for token in tokens], [token.end for token in tokens])


@settings(max_examples=200, deadline=None)
@given(st.one_of(ARTICLE_LIKE, st.text(max_size=200)), st.booleans())
def test_token_terms_are_the_terms_of_the_token_table(text, stemmed):
    assert token_terms(text, stemmed=stemmed) == token_table(text, stemmed=stemmed).terms


@settings(max_examples=200, deadline=None)
@given(st.one_of(ARTICLE_LIKE, st.text(max_size=200)), st.sampled_from(FLAGS))
def test_whoosh_analyzer_yields_the_tokens_of_analyze(text, flags):
    assert analyzer_tokens(text, *flags, start_pos=3, start_char=10) == reference_tokens(text, *flags, start_pos=3, start_char=10)


@pytest.mark.parametrize("flags", FLAGS)
def test_whoosh_analyzer_on_an_article(flags):
    text = ("Talks in Zürich… The U.S. and the Bürgenstock co-operation — ½ of Straße's ﬁnal ＧＡＳ deal. " * 30).strip()
    assert analyzer_tokens(text, *flags) == reference_tokens(text, *flags)


def test_the_stemmer_in_use_is_the_compiled_snowball_one_and_stems_as_the_python_one():
    """PyStemmer (C) is what snowballstemmer hands out when installed; its Porter stems must be the pure-Python ones."""
    import re
    from pathlib import Path

    from snowballstemmer.porter_stemmer import PorterStemmer

    from articles.search import analysis

    assert type(analysis._STEMMER).__module__ == "Stemmer"  # the C extension, not snowballstemmer's Python classes
    devset = Path(__file__).resolve().parent.parent / "devset"
    words = sorted({word.lower() for path in devset.glob("*.txt") for word in re.findall(r"[^\W\d_]+", path.read_text())})
    assert len(words) > 2000
    python = PorterStemmer()
    assert [analysis._STEMMER.stemWord(word) for word in words] == [python.stemWord(word) for word in words]
