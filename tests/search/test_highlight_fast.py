"""The fast snippets and marks (articles/search/highlight.py) are byte for byte those of the reference.

The reference (highlight_reference.py) is highlight.py as it was before: every token
through analyze() and the fragmenter. Texts mix words the queries look for, stop words,
accented and resizing characters, dotted words, long words and long texts, so passages
end exactly at their context, break at FRAGMENT_CHARS and pass CHAR_LIMIT.
"""

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search.analysis import analyze, token_table
from articles.search.highlight import mark_matches, snippet
from articles.search.query import read_query

from . import highlight_reference as reference

WORDS = (
    "talks talk talked sanctions sanctioned security council power of the Siberia Zürich Straße ﬁnal e\u0301te\u0301 "
    "U.S. co-operation 2.5 a I pipeline pipelines gas governor government governments central bank said officials "
    "Œuvre 北京 joint statement peace"
).split()
PUNCTUATION = [" ", " ", " ", ", ", ". ", " – ", "\n\n", " (", ") ", ": ", "; ", "…"]
QUERIES = [
    "talks", "talk", "sanction*", "govern*", '"security council"', '"power of siberia"', '"joint statement"',
    '"central bank governor"', "talks -gas", "talks OR pipeline", "gas pipeline", "zurich", "Zürich strasse",
    "final", "ete", "u.s", "co", "2.5", "北京", '"talks talks"', '"talk talk talk"', "said officials",
    "sanction* govern* talks", '"peace talks" sanction*', "headline:talks", "pipe*", "a", "nothing",
    '"security council" council', "s* talks", '"joint statement" statement joint',
]


def random_text(rng: random.Random, words: int) -> str:
    pieces = []
    for _ in range(words):
        word = rng.choice(WORDS)
        if rng.random() < 0.01:
            word = word * rng.randint(30, 60)  # a token longer than a passage
        pieces.append(word)
        pieces.append(rng.choice(PUNCTUATION))
    return rng.choice(["", " ", "« "]) + "".join(pieces)


def texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [random_text(rng, rng.choice([3, 12, 40, 120, 400, 900])) for _ in range(count)]


@pytest.mark.parametrize("q", QUERIES)
def test_snippets_equal_the_reference(q):
    query = read_query(q)[0]
    for text in texts(150, seed=len(q)):
        assert str(snippet(text, query)) == str(reference.snippet(text, query)), (q, text)


def test_snippets_of_long_texts_stop_at_the_char_limit_like_the_reference():
    rng = random.Random(3)
    text = random_text(rng, 9000)  # ~60 KB: matches past the first 32 KB are not shown
    assert len(text) > 2**15 + 5000
    for q in ("talks", '"security council"', "sanction* gas"):
        query = read_query(q)[0]
        assert str(snippet(text, query)) == str(reference.snippet(text, query))
        assert str(snippet(text, query, fragments=40)) == str(reference.snippet(text, query, fragments=40))


@pytest.mark.parametrize("q", QUERIES[::3])
def test_article_marks_equal_the_reference(q):
    query = read_query(q)[0]
    paragraphs = texts(40, seed=99)
    assert mark_matches(paragraphs, query) == reference.mark_matches(paragraphs, query)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("aeiouTtlksngZü.-ßﬁ\u0301 ,\n") + ["talks ", "of ", "gas ", "council "]),
                max_size=200).map("".join),
       st.sampled_from(QUERIES))
def test_snippets_of_any_text_equal_the_reference(text, q):
    query = read_query(q)[0]
    assert str(snippet(text, query)) == str(reference.snippet(text, query))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_token_table_lists_the_tokens_of_analyze(text):
    table = token_table(text)
    tokens = list(analyze(text, keep_stopped=True))
    assert table.terms == [token.term for token in tokens]
    assert table.starts == [token.start for token in tokens]
    assert table.ends == [token.end for token in tokens]


def test_token_table_of_articles_lists_the_tokens_of_analyze():
    for text in texts(60, seed=5):
        tokens = list(analyze(text, keep_stopped=True))
        assert token_table(text) == type(token_table(text))(
            [token.term for token in tokens], [token.start for token in tokens], [token.end for token in tokens])


# Prefixes with the index terms they matched (selectors.with_prefix_terms): "negotiat" matched the term "negoti".
PREFIX_TERMS = {"negotiat": ("negoti",), "sanctions": ("sanction",), "govern": ("govern", "government")}
PREFIX_QUERIES = ["negotiat*", "sanctions*", "negotiat* talks", '"security council" negotiat* govern*', "negotiat* OR sanctions*"]


def with_terms(q: str):
    query = read_query(q)[0]
    clauses = tuple(tuple(dataclasses.replace(term, terms=PREFIX_TERMS[term.text]) if term.prefix else term for term in clause)
                    for clause in query.clauses)
    return dataclasses.replace(query, clauses=clauses)


@pytest.mark.parametrize("q", PREFIX_QUERIES)
def test_snippets_and_marks_of_prefixes_with_their_index_terms_equal_the_reference(q):
    query = with_terms(q)
    rng = random.Random(len(q))
    extra = ["negotiations", "negotiated", "negotiable", "negligence", "negotiator"]
    bodies = [random_text(rng, rng.choice([12, 120, 400])) + " ".join(rng.sample(extra, 2)) for _ in range(100)]
    marked = 0
    for text in bodies:
        assert str(snippet(text, query)) == str(reference.snippet(text, query)), (q, text)
        marked += "<mark>negotiable</mark>" in str(snippet(text, query))
    assert mark_matches(bodies[:30], query) == reference.mark_matches(bodies[:30], query)
    if "negotiat" in q:
        assert marked  # a word of the matched term that does not start with the prefix is marked too


# Texts whose folding keeps every offset: snippets come from the tokens around possible matches only.
IN_PLACE_WORDS = (
    "talks talk talked sanctions sanctioned security council power of the Siberia Zurich final U.S. co-operation 2.5 "
    "a I pipeline pipelines gas governor government governments central bank said officials joint statement peace happy "
    "happiness negotiations negotiated negotiable"
).split()
GAPS = [" ", " ", " ", ", ", ". ", "\n\n", " (", ") ", "; ", " " * 150, "\n" + "-" * 300 + "\n", " the of a an to in "]


def in_place_text(rng: random.Random, words: int) -> str:
    pieces = []
    for _ in range(words):
        word = rng.choice(IN_PLACE_WORDS)
        if rng.random() < 0.01:
            word = word * rng.randint(30, 60)
        pieces += [word, rng.choice(GAPS) if rng.random() < 0.2 else " "]
    return rng.choice(["", " ", "\n"]) + "".join(pieces)


@pytest.mark.parametrize("q", QUERIES + ["happy", "happi*", '"power of the siberia"', "negotiat*", '"gas pipeline" talks'])
def test_snippets_from_the_tokens_around_matches_equal_the_reference(q):
    """Long gaps, stop words between a phrase's words, long words, texts of every length (past CHAR_LIMIT too)."""
    query = read_query(q)[0]
    rng = random.Random(len(q) * 7)
    for n in range(120):
        text = in_place_text(rng, rng.choice([2, 30, 150, 600, 1500] + ([7000] if n % 40 == 0 else [])))
        assert str(snippet(text, query)) == str(reference.snippet(text, query)), (q, text)


# Words the needles of "press", "central", "joint" find that are not those words: "pre", "centr", "joi".
LOOKALIKES = (
    "press pressed presses pressing president presidents previous pressure prepared freedom freedoms free "
    "central centre centres centralised centrist bank banks banker joint joints jointly joined joining statement "
    "U.S. Press.Freedom pre-war pre.war of the"
).split()


@pytest.mark.parametrize("q", ['"press freedom"', "press", "pre*", "press*", '"central bank"', "centr*",
                               '"joint statement" press', '"press freedom" OR president', "freedom -press"])
def test_snippets_among_words_the_needles_also_find_equal_the_reference(q):
    query = read_query(q)[0]
    rng = random.Random(len(q) * 11)
    for n in range(150):
        pieces = []
        for _ in range(rng.choice([3, 40, 200, 900])):
            pieces += [rng.choice(LOOKALIKES), rng.choice(GAPS) if rng.random() < 0.2 else " "]
        text = "".join(pieces)
        assert str(snippet(text, query)) == str(reference.snippet(text, query)), (q, text)


def test_a_phrase_is_tokenised_around_its_first_word_only_not_around_words_that_share_its_beginning():
    from articles.search.highlight import QueryTerms, tokens_around_matches

    text = " ".join(["the president prepared previous pressure"] * 150) + " press freedom " + " ".join(["presidents"] * 300)
    table = tokens_around_matches(text, QueryTerms.of(read_query('"press freedom"')[0]))
    assert 0 < len(table.terms) < len(token_table(text).terms) / 10
    assert ["press", "freedom"] == [term for term in table.terms if term in ("press", "freedom")]
    assert str(snippet(text, read_query('"press freedom"')[0])) == str(reference.snippet(text, read_query('"press freedom"')[0]))


def test_a_long_text_with_one_match_is_tokenised_around_it_only():
    from articles.search.highlight import QueryTerms, tokens_around_matches

    text = " ".join(["officials said the talks continued"] * 200) + " tungsten " + " ".join(["gas pipeline"] * 200)
    table = tokens_around_matches(text, QueryTerms.of(read_query("tungsten")[0]))
    assert 0 < len(table.terms) < len(token_table(text).terms) / 10
    assert "tungsten" in table.terms
    assert str(snippet(text, read_query("tungsten")[0])) == str(reference.snippet(text, read_query("tungsten")[0]))


def test_every_word_of_the_seeds_and_devset_starts_with_its_term_less_the_slack():
    """What the windows rest on: a word whose term could match starts with the term less _STEM_SLACK letters."""
    import re
    from pathlib import Path

    from articles.search.analysis import fold, index_term
    from articles.search.highlight import _STEM_SLACK

    root = Path(__file__).resolve().parents[2]
    words = set()
    for path in [*root.glob("tests/devset/*.txt"), *(root.parent / "shared" / "seeds").glob("*.txt")]:
        words.update(re.findall(r"\w+(?:\.?\w+)*", fold(path.read_text()).lower()))
    assert len(words) > 2000
    for word in words:
        term = index_term(word)
        assert not term or word.startswith(term[:max(len(term) - _STEM_SLACK, 1)]), (word, term)
