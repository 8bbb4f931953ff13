"""How Newsdesk turns text into index terms: one definition, used by every engine and by highlighting.

# "The Bürgenstock talks banned U.S. imports" -> bürgenstock→burgenstock, talks→talk, banned→ban, u.s, import
#   terms: ["burgenstock", "talk", "ban", "u.s", "import"] at positions 1, 2, 3, 4, 5 ("The" is a stop word)

1. fold: accents and compatibility forms off, character by character (FOLD_TABLE: "Zürich" ->
   "Zurich", "ß" -> "ss", "ﬁ" -> "fi"); combining marks vanish;
2. words: WORD_PATTERN over the folded text ("U.S." -> "U.S", "co-operation" -> "co", "operation");
3. lower-case; a stop word or a one-letter word is left out and the next word takes its position
   (so "Power of Siberia" and "power siberia" are the same phrase);
4. English Porter stemming (the Snowball "porter" algorithm).

The Whoosh engine indexes with exactly this (engines/whoosh/analysis.py wraps it), and the
Solr configset reproduces it: a MappingCharFilter generated from FOLD_TABLE
(`solrcloud/configset/generate.py`), the same word pattern, stop list and Porter stemmer. Token
spans are offsets in the original text, for highlighting.
"""

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import accumulate

import snowballstemmer

# Whoosh's English stop words (whoosh.analysis.filters.STOP_WORDS), kept so existing queries behave as before.
STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in", "is", "it", "may",
    "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we", "when", "will", "with", "yet", "you",
    "your",
))
MIN_LENGTH = 2
# A word, with inner dots kept: "U.S" and "2.5" are one word each. The Solr configset uses the same pattern.
WORD_PATTERN = r"\w+(?:\.?\w+)*"
ANALYSIS_VERSION = "newsdesk-analysis-1"  # bump when any step changes: indexes built before must be rebuilt

_WORD = re.compile(WORD_PATTERN)
_WORD_SPLIT = re.compile(f"({WORD_PATTERN})")  # split() keeps the words: gap, word, gap, ..., word, gap
# Letters whose folded form is not in their Unicode decomposition.
_SPECIAL_FOLDS = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T",
    "\u200c": "", "\u200d": "",  # zero-width (non-)joiners: not letters
}
# Characters folded: Latin, Greek, Cyrillic, punctuation and symbols, presentation forms. Combining marks anywhere.
_FOLDED_RANGES = ((0x80, 0x3000), (0xFB00, 0xFB50), (0xFE20, 0xFE30), (0xFF00, 0xFFF0))


def _fold_char(char: str) -> str:
    if char in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[char]
    if unicodedata.category(char).startswith("M"):
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))


def _fold_table() -> dict[int, str]:
    table = {}
    for low, high in _FOLDED_RANGES:
        for code in range(low, high):
            char = chr(code)
            folded = _fold_char(char)
            if folded != char:
                table[code] = folded
    for code in range(0x300, 0x370):  # combining diacritics (inside the first range) and beyond it
        table[code] = ""
    for code in range(0x1AB0, 0x1B00):
        table[code] = ""
    for code in range(0x1DC0, 0x1E00):
        table[code] = ""
    for code in range(0x20D0, 0x2100):
        table[code] = ""
    return table


FOLD_TABLE: dict[int, str] = _fold_table()
# Characters whose folded form is not exactly one character: offsets shift after them.
_RESIZING = re.compile("[" + "".join(re.escape(chr(code)) for code, folded in FOLD_TABLE.items() if len(folded) != 1) + "]")


def fold(text: str) -> str:
    """Accents and compatibility forms off: fold("Zürich ﬁnal") == "Zurich final"."""
    return text if text.isascii() else text.translate(FOLD_TABLE)  # FOLD_TABLE folds no ASCII character


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    term: str  # the index term ("" for a stop word)
    position: int  # consecutive over the terms; a stop word has its next term's position
    start: int  # span in the original text
    end: int
    stopped: bool = False


def analyze(text: str, keep_stopped: bool = False, stemmed: bool = True) -> Iterator[Token]:
    """The tokens of text in order; stop words only with keep_stopped (for highlighting).

    stemmed=False gives the words as spelling suggestions show them ("talks", not "talk").
    """
    word_term = index_term if stemmed else spelling_term
    folded = fold(text)
    offsets = _offsets(text) if folded is not text and _RESIZING.search(text) else None
    position = 0
    for match in _WORD.finditer(folded):
        start, end = match.span()
        if offsets is not None:
            start, end = offsets[start], offsets[end]
        term = word_term(match.group())
        if term:
            yield Token(term, position, start, end)
            position += 1
        elif keep_stopped:
            yield Token("", position, start, end, stopped=True)


@dataclasses.dataclass(frozen=True, slots=True)
class TokenTable:
    """analyze(text, keep_stopped=True) as three parallel lists, for highlighting: the same tokens, in order."""

    terms: list[str]  # "" for a stop word
    starts: Sequence[int]  # lists, or compact arrays when kept (highlight.tokens_of)
    ends: Sequence[int]


def token_table(text: str, stemmed: bool = True) -> TokenTable:
    """Every token of text (stop words too) without a Python step per word: ~20x faster than analyze().

    stemmed=False gives the words as spelling suggestions show them, as analyze() does.

    The gaps and words that re.split() leaves, laid end to end, give the spans:
    # "The talks." -> pieces ["", "The", " ", "talks", "."] -> ends 0, 3, 4, 9, 10 -> spans (0, 3), (4, 9)
    """
    folded = fold(text)
    pieces = _WORD_SPLIT.split(folded)
    bounds = list(accumulate(map(len, pieces)))
    starts, ends = bounds[0:-1:2], bounds[1::2]
    if not folds_in_place(text):
        offsets = _offsets(text)
        starts, ends = [offsets[start] for start in starts], [offsets[end] for end in ends]
    return TokenTable(list(map(index_term if stemmed else spelling_term, pieces[1::2])), starts, ends)


def folds_in_place(text: str) -> bool:
    """Whether fold(text) keeps every character where it was (no "ﬁ" -> "fi"): then offsets in it are offsets in text."""
    return text.isascii() or _RESIZING.search(text) is None


def token_table_between(folded: str, start: int, end: int) -> TokenTable:
    """token_table(), stemmed, of folded[start:end] with offsets in folded: start and end must not cut a word."""
    pieces = _WORD_SPLIT.split(folded[start:end])
    bounds = list(accumulate(map(len, pieces), initial=start))[1:]
    return TokenTable(list(map(index_term, pieces[1::2])), bounds[0:-1:2], bounds[1::2])


def term_at(folded: str, position: int) -> str:
    """The index term of the word that starts at `position` of a folded text, as if a word began there ("" if none)."""
    word = _WORD.match(folded, position)
    return index_term(word.group()) if word else ""


def token_terms(text: str, stemmed: bool = True) -> list[str]:
    """token_table(text, stemmed).terms without the spans: what indexing needs ("" for a stop word)."""
    return list(map(index_term if stemmed else spelling_term, _WORD.findall(fold(text))))


def _offsets(text: str) -> list[int]:
    """offsets[i]: where the i-th character of fold(text) comes from in text (and len(text) past the end).

    Only the resizing characters move offsets; the runs between them map one to one (a step per
    character made this a quarter of the time an article took to index).
    # "ﬁx…" -> fold "fix..." -> [0, 0, 1, 2, 2, 2, 3]
    """
    offsets, run_start = [], 0
    for found in _RESIZING.finditer(text):
        index = found.start()
        offsets.extend(range(run_start, index))
        offsets.extend([index] * len(found.group().translate(FOLD_TABLE)))
        run_start = index + 1
    offsets.extend(range(run_start, len(text) + 1))
    return offsets


@functools.lru_cache(maxsize=200_000)
def index_term(word: str) -> str:
    """The term of one folded word: lower-cased and stemmed, or "" for a stop word or a single letter."""
    lowered = word.lower()
    if len(lowered) < MIN_LENGTH or lowered in STOP_WORDS:
        return ""
    return _STEMMER.stemWord(lowered)


_STEMMER = snowballstemmer.stemmer("porter")


@functools.lru_cache(maxsize=100_000)
def spelling_term(word: str) -> str:
    """A folded word as a spelling suggestion: lower-cased, not stemmed ("" for a stop word or a single letter)."""
    lowered = word.lower()
    return "" if len(lowered) < MIN_LENGTH or lowered in STOP_WORDS else lowered


def terms(text: str) -> list[str]:
    """The index terms of a word or phrase, in order: terms("Talks in Zürich") == ["talk", "zurich"]."""
    return [token.term for token in analyze(text)]


def prefix_text(word: str) -> str:
    """A prefix as it is matched against index terms: folded and lower-cased, not stemmed."""
    return fold(word).lower()
