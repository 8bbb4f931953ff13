"""What the configset's analysis assumes of Python's, and the query translation into Lucene syntax.

Pure checks, on any engine: generate.py --check and the comparison of Solr's tokens with
analyze() on the cluster are tests/solr/test_configset.py and tests/solr/test_analysis.py.
"""

import re
import sys
import unicodedata

import pytest

from articles.search.analysis import FOLD_TABLE, STOP_WORDS
from articles.search.engines.solr.translate import escape, text_query
from articles.search.query import read_query


def test_python_word_characters_are_letters_numbers_and_underscore():
    """The tokenizer spells \\w as [\\p{L}\\p{N}_]: true of every character that folding leaves."""
    word = re.compile(r"\w")
    differing = [
        hex(code) for code in range(sys.maxunicode + 1)
        if code not in FOLD_TABLE
        and bool(word.match(chr(code))) != (unicodedata.category(chr(code))[0] in "LN" or chr(code) == "_")
    ]
    assert differing == []


def test_only_ascii_letters_lower_case_to_ascii_after_folding():
    """Stop words are matched with ASCII-only case folding in Solr: no other character lower-cases into one."""
    into_ascii = [hex(code) for code in range(128, sys.maxunicode + 1)
                  if code not in FOLD_TABLE and any(ord(char) < 128 for char in chr(code).lower())]
    assert into_ascii == []
    assert all(word.isascii() for word in STOP_WORDS)


@pytest.mark.parametrize("q, expected", [
    ("gas", "+text:ga"),
    ('"power of siberia" -oil', '+text:"power siberia" -text:oil'),
    ("gas OR pipelines", "+(text:ga OR text:pipelin)"),
    ("co-operation", "+(+text:co +text:oper)"),  # one written word of two terms: both, as Whoosh parses it
    ("Bürgen*", "+text:burgen*"),
    ("headline:Sanctions", "+headline:sanction"),
    ("the -gas", "*:* -text:ga"),  # only an exclusion left: every document without it
    ("the OR of", None),  # nothing to look for: no match
    ("U.S.", "+text:u."),
    ("foo_bar", "+text:foo_bar"),
])
def test_text_query_in_index_terms(q, expected):
    assert text_query(read_query(q)[0]) == expected


def test_every_lucene_operator_character_is_escaped():
    assert escape('a+b-c&&d||e!(f){g}[h]^"i"~j*k?l:m\\n/o p') == (
        'a\\+b\\-c\\&\\&d\\|\\|e\\!\\(f\\)\\{g\\}\\[h\\]\\^\\"i\\"\\~j\\*k\\?l\\:m\\\\n\\/o\\ p'
    )
