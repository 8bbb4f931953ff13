""""Did you mean": the closest words of the index to a misspelt one, by edit distance computed in C++.

Whoosh's corrector reads every word of the spelling field and runs a Python edit distance
on each, for every zero-hit query (~330 ms at 10k articles). Here each segment's spelling
words and their document frequencies are read once (kept with the segment's columns,
columns.py), merged per index generation and grouped by length; a misspelt word is
compared only with words within two letters of its length, by rapidfuzz.

The ranking is what Whoosh's ReaderCorrector documents ("by the edit distance, then by
highest to lowest frequency") but does not do (it ranks every word within distance 2 by
the frequency of the word in the stemmed field, so "sanctoins" became "sanction"): the
fewest edits (a swap of two neighbouring letters is one, as Whoosh's Damerau-Levenshtein
counts it), then the most documents, then alphabetical order.
"""

import bisect
import dataclasses
import threading
from collections import Counter

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

MAX_DISTANCE = 2  # Whoosh's default maxdist


@dataclasses.dataclass(frozen=True)
class Vocabulary:
    """Every spelling word of an index with the number of documents containing it, grouped by length."""

    by_length: dict[int, tuple[list[str], np.ndarray]]  # length -> (words, document frequencies)
    words: list[str] = dataclasses.field(default_factory=list)  # every word, sorted (for prefixes)

    @classmethod
    def merged(cls, segments: list[tuple[list[str], np.ndarray]]) -> "Vocabulary":
        """From each segment's (words, document frequencies); a word in several segments adds them up."""
        totals = Counter()
        for words, counts in segments:
            for word, count in zip(words, counts.tolist()):
                totals[word] += count
        grouped: dict[int, list[str]] = {}
        for word in sorted(totals):
            grouped.setdefault(len(word), []).append(word)
        return cls({length: (words, np.array([totals[word] for word in words], dtype=np.int64))
                    for length, words in grouped.items()}, sorted(totals))

    def starting_with(self, prefix: str) -> list[str]:
        """The words beginning with prefix, in order."""
        # Every word starting with prefix sorts before prefix + the last code point.
        return self.words[bisect.bisect_left(self.words, prefix):bisect.bisect_left(self.words, prefix + chr(0x10FFFF))]

    def closest(self, word: str) -> str | None:
        """The indexed word nearest to word (at most MAX_DISTANCE edits, not word itself), or None."""
        best = None
        for length in range(len(word) - MAX_DISTANCE, len(word) + MAX_DISTANCE + 1):
            if length not in self.by_length:
                continue
            words, counts = self.by_length[length]
            distances = cdist([word], words, scorer=OSA.distance, score_cutoff=MAX_DISTANCE, dtype=np.int32)[0]
            for position in np.flatnonzero(distances <= MAX_DISTANCE).tolist():
                if words[position] != word:
                    candidate = (int(distances[position]), -int(counts[position]), words[position])
                    best = candidate if best is None or candidate < best else best
        return best[2] if best else None


_cache: dict[tuple, Vocabulary] = {}
_lock = threading.Lock()


def searcher_vocabulary(searcher, segment_words) -> Vocabulary:
    """The vocabulary of every segment the searcher sees, merged once per index generation.

    segment_words(reader) gives one segment's (words, document frequencies).
    """
    readers = [sub.reader() for sub, _ in searcher.leaf_searchers() if sub.reader().segment()]
    key = tuple(reader.segment().segment_id() for reader in readers)
    with _lock:
        vocabulary = _cache.get(key)
        if vocabulary is None:
            vocabulary = Vocabulary.merged([segment_words(reader) for reader in readers])
            _cache.clear()  # the newest generation only
            _cache[key] = vocabulary
    return vocabulary


def spelling_words(reader, field: str) -> tuple[list[str], np.ndarray]:
    """One segment's spelling words and how many documents contain each (deleted ones too, as Whoosh counts)."""
    words, counts = [], []
    if field in reader.schema:
        for text, info in reader.iter_field(field):
            words.append(text.decode("utf-8"))
            counts.append(info.doc_frequency())
    return words, np.array(counts, dtype=np.int64)
