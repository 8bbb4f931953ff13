""""Did you mean" on Whoosh (engines/whoosh/spelling.py): the closest indexed word, then the most common."""

import random

import numpy as np
import pytest
from django.db import transaction
from whoosh.support.levenshtein import damerau_levenshtein

from articles.search.engines import engine
from articles.search.engines.whoosh.spelling import MAX_DISTANCE, Vocabulary

LETTERS = "aeinorst"


def misspelt(rng: random.Random, word: str) -> str:
    """One or two random edits: a letter replaced, dropped, added, or two neighbours swapped."""
    for _ in range(rng.choice([1, 1, 2])):
        at = rng.randrange(len(word))
        edit = rng.choice(["replace", "drop", "add", "swap"])
        if edit == "replace":
            word = word[:at] + rng.choice(LETTERS) + word[at + 1:]
        elif edit == "drop" and len(word) > 2:
            word = word[:at] + word[at + 1:]
        elif edit == "add":
            word = word[:at] + rng.choice(LETTERS) + word[at:]
        elif at + 1 < len(word):
            word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word


def test_closest_word_is_the_nearest_then_most_common_by_whooshs_own_edit_distance():
    rng = random.Random(4)
    words = sorted({"".join(rng.choice(LETTERS) for _ in range(rng.randint(3, 9))) for _ in range(2000)})
    counts = {word: rng.randint(1, 50) for word in words}
    halves = [words[::2], words[1::2] + words[:100]]  # two segments sharing some words: counts add up
    vocabulary = Vocabulary.merged([
        (half, np.array([counts[w] if i % 2 else counts[w] - counts[w] // 2 for i, w in enumerate(half)]))
        for half in halves])
    merged = {word: 0 for word in words}
    for half in halves:
        for i, word in enumerate(half):
            merged[word] += counts[word] if i % 2 else counts[word] - counts[word] // 2
    for _ in range(150):
        word = misspelt(rng, rng.choice(words))
        # Whoosh's corrector on several segments: its Damerau-Levenshtein over every word (but those whose
        # length alone puts them further than MAX_DISTANCE: the oracle took 15 s of every CI suite without this).
        within = [(damerau_levenshtein(word, other), -merged[other], other) for other in words
                  if other != word and abs(len(other) - len(word)) <= MAX_DISTANCE]
        within = [candidate for candidate in within if candidate[0] <= MAX_DISTANCE]
        assert vocabulary.closest(word) == (min(within)[2] if within else None), word


def test_an_empty_vocabulary_suggests_nothing():
    assert Vocabulary.merged([]).closest("talks") is None


@pytest.mark.parametrize("typed, expected", [
    ("sanctoins", "sanctions"),  # a swap is one edit; Whoosh chose "sanction" (2 edits) for its frequency
    ("negotiatons", "negotiations"),  # Whoosh: "negotiation" (2 edits), first in alphabetical order
    ("contrakt", "contract"),
    ("ceasfire", "ceasefire"),
    ("Sanctoins", "sanctions"),
])
def test_suggests_the_closest_indexed_word(search_index, make_article, typed, expected):
    make_article("Sanctions and negotiations on the ceasefire contract; the sanction regime; a negotiation.")
    make_article("Negotiations resumed after sanctions were lifted under the contract.", date="2024-05-01")
    assert engine().suggest(["sanctions", typed]) == ["sanctions", expected]


def test_known_words_and_words_too_far_change_nothing(search_index, make_article):
    make_article("Sanctions and negotiations on the ceasefire.")
    assert engine().suggest(["sanctions", "negotiation"]) is None  # stemmed, it is in the index
    assert engine().suggest(["xyzzyqwerty"]) is None


def test_new_words_are_suggested_after_an_edit(search_index, make_article):
    article = make_article("Talks on the harbour.")
    assert engine().suggest(["desalinaton"]) is None
    article.body = "Talks on the desalination plant."
    with transaction.atomic():
        article.save()
    assert engine().suggest(["desalinaton"]) == ["desalination"]
